//! Drift test: the checked-in client (`generated-client/src/generated/`), the command line's
//! generated modules (`cli/src/generated/`) and the mock's (`mock/src/generated/`) are exactly what the generator makes from
//! `spec/ecosuite.yaml` today.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use similar::TextDiff;

/// How much of each file's diff to show: the first hunk usually tells the story.
const MAX_DIFF_LINES: usize = 40;
/// After this many differing files, only their names are listed.
const MAX_DIFFS: usize = 3;

const FIX: &str = "the checked-in generated code is stale: run `cargo xtask generate`";

#[test]
fn checked_in_client_command_line_and_mock_match_the_spec() {
    let root = common::workspace_root();
    let spec_path = root.join("spec/ecosuite.yaml");
    let spec = std::fs::read(&spec_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", spec_path.display()));
    let options = ecosuite_generator::Options {
        spec_name: "spec/ecosuite.yaml".to_string(),
        command: common::COMMAND.to_string(),
    };
    let generated = ecosuite_generator::generate_client_and_cli(&spec, &options)
        .unwrap_or_else(|e| panic!("generating from spec/ecosuite.yaml failed:\n{e}"));

    let mut report = String::new();
    compare(
        &root,
        "generated-client/src/generated",
        &generated.client.files,
        &mut report,
    );
    compare(&root, "cli/src/generated", &generated.cli, &mut report);
    compare(&root, "mock/src/generated", &generated.mock, &mut report);
    assert!(report.is_empty(), "{report}\n{FIX}");
}

/// Adds to `report` how the files under `root/dir` differ from `expected`.
fn compare(root: &Path, dir: &str, expected: &BTreeMap<String, String>, report: &mut String) {
    let mut on_disk = BTreeMap::new();
    let full = root.join(dir);
    if full.exists() {
        read_tree(&full, &full, &mut on_disk);
    }
    let mut diffs_shown = 0;
    for (path, contents) in expected {
        match on_disk.get(path) {
            None => writeln!(report, "missing: {dir}/{path}").unwrap(),
            Some(Err(())) => writeln!(report, "differs: {dir}/{path} (not UTF-8 on disk)").unwrap(),
            Some(Ok(actual)) if actual != contents => {
                writeln!(report, "differs: {dir}/{path}").unwrap();
                if diffs_shown < MAX_DIFFS {
                    report.push_str(&short_diff(path, actual, contents));
                    diffs_shown += 1;
                }
            }
            Some(Ok(_)) => {}
        }
    }
    for path in on_disk.keys().filter(|path| !expected.contains_key(*path)) {
        writeln!(report, "extra (no longer generated): {dir}/{path}").unwrap();
    }
}

/// Reads every file under `dir` into `out`, keyed by its `/`-separated path relative to `base`;
/// a file that is not UTF-8 maps to `Err(())`.
fn read_tree(base: &Path, dir: &Path, out: &mut BTreeMap<String, Result<String, ()>>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("readable directory entry").path();
        if path.is_dir() {
            read_tree(base, &path, out);
        } else {
            let relative = path.strip_prefix(base).unwrap();
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            out.insert(key, String::from_utf8(bytes).map_err(|_| ()));
        }
    }
}

/// The first lines of a unified diff from the checked-in file to the generated one.
fn short_diff(path: &str, checked_in: &str, generated: &str) -> String {
    let diff = TextDiff::from_lines(checked_in, generated);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("checked-in {path}"), &format!("generated {path}"))
        .to_string();
    let total = text.lines().count();
    let mut out: String = text
        .lines()
        .take(MAX_DIFF_LINES)
        .map(|line| format!("    {line}\n"))
        .collect();
    if total > MAX_DIFF_LINES {
        writeln!(out, "    ... ({} more diff lines)", total - MAX_DIFF_LINES).unwrap();
    }
    out
}
