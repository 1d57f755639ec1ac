#!/usr/bin/env node
// Checks .github/scripts/api-report.cjs against an in-memory stand-in for the GitHub API:
// the first run posts one comment, later runs edit that same comment (and leave other
// comments alone), and the `breaking` label follows the verdict. Run with
// `node tests/actionlint/api-report.test.cjs`; no dependencies.
"use strict";

const assert = require("node:assert/strict");
const publish = require("../../.github/scripts/api-report.cjs");

function fakeGitHub() {
  const state = { comments: [], labels: new Set(["enhancement"]), nextId: 1, calls: [] };
  const rest = {
    issues: {
      listComments: async () => ({ data: state.comments }),
      createComment: async ({ body }) => {
        state.calls.push("create");
        const comment = { id: state.nextId++, body, user: { type: "Bot" }, html_url: "u" };
        state.comments.push(comment);
        return { data: comment };
      },
      updateComment: async ({ comment_id, body }) => {
        state.calls.push("update");
        state.comments.find((c) => c.id === comment_id).body = body;
        return { data: {} };
      },
      listLabelsOnIssue: async () => ({ data: [...state.labels].map((name) => ({ name })) }),
      addLabels: async ({ labels }) => labels.forEach((name) => state.labels.add(name)),
      removeLabel: async ({ name }) => {
        if (!state.labels.delete(name)) {
          const error = new Error("Not Found");
          error.status = 404;
          throw error;
        }
      },
    },
  };
  const github = { rest, paginate: async (method, params) => (await method(params)).data };
  return { github, state };
}

async function main() {
  const { github, state } = fakeGitHub();
  // A reviewer's comment that quotes the marker must not be taken for the report.
  state.comments.push({ id: 99, body: "<!-- ecosuite-api-report --> quoted", user: { type: "User" } });
  const context = { repo: { owner: "o", repo: "r" } };
  const core = { info: () => {} };
  const run = (report, breaking) =>
    publish({ github, context, core, pullNumber: 7, report, breaking });

  await run("## API changes\n\none breaking change\n", true);
  assert.deepEqual(state.calls, ["create"]);
  assert.ok(state.labels.has("breaking"));
  const report = state.comments.find((c) => c.id !== 99);
  assert.ok(report.body.startsWith("<!-- ecosuite-api-report -->\n## API changes"));

  await run("## API changes\n\nfixed\n", false);
  assert.deepEqual(state.calls, ["create", "update"]);
  assert.equal(state.comments.length, 2);
  assert.ok(report.body.includes("fixed"));
  assert.ok(!state.labels.has("breaking"));
  assert.ok(state.labels.has("enhancement"));
  assert.equal(state.comments.find((c) => c.id === 99).body, "<!-- ecosuite-api-report --> quoted");

  // Same report again: nothing to edit.
  await run("## API changes\n\nfixed\n", false);
  assert.deepEqual(state.calls, ["create", "update"]);

  // Too long for a comment: cut, with a pointer to the whole report.
  await run("x".repeat(70000), false);
  assert.ok(report.body.length < 65536);
  assert.ok(report.body.includes("cut short"));
  console.log("api-report.cjs: ok");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
