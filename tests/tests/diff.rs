//! `diff`: every classification rule on a small document pair, both ways, and the real
//! history of the Ecosuite document as a reviewed snapshot.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use ecosuite_generator::diff::{compare, markdown, Bump, Change, Effect, Report, Subject};
use ecosuite_generator::{build_model, Options};

/// The fixtures of the rules: `base.yaml`, a small API (`getItem` receives `Item`, `putItem`
/// sends `NewItem`); `rules.yaml`, edits of it; `pairs.yaml`, whole document pairs. Shared with
/// `cargo xtask semver-crosscheck`, which checks the same pairs against cargo-semver-checks.
const FIXTURES: &str = "tests/fixtures/diff";

fn base() -> String {
    read(&format!("{FIXTURES}/base.yaml"))
}

fn report(old: &str, new: &str) -> Report {
    labelled_report(old, new, "old.yaml", "new.yaml")
}

fn labelled_report(old: &str, new: &str, old_label: &str, new_label: &str) -> Report {
    let options = Options::default();
    let old_api = build_model(old.as_bytes(), &options).expect("old side builds");
    let new_api = build_model(new.as_bytes(), &options).expect("new side builds");
    compare(&old_api, &new_api, old_label, new_label)
}

/// What a test expects of the one change a rule should produce.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    summary: String,
    breaking: bool,
    #[serde(deserialize_with = "bump")]
    bump: Bump,
}

fn bump<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Bump, D::Error> {
    match String::deserialize(deserializer)?.as_str() {
        "patch" => Ok(Bump::Patch),
        "minor" => Ok(Bump::Minor),
        "major" => Ok(Bump::Major),
        other => Err(serde::de::Error::custom(format!(
            "unknown bump `{other}`: use patch, minor or major"
        ))),
    }
}

/// One rule of `rules.yaml`: `base.yaml` with `from` replaced by `to`, and the change expected
/// each way.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    name: String,
    from: String,
    to: String,
    forward: Expect,
    backward: Expect,
}

/// One pair of `pairs.yaml`: two whole documents, and the change expected each way.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    name: String,
    old: String,
    new: String,
    forward: Expect,
    backward: Expect,
}

fn load<T: serde::de::DeserializeOwned>(file: &str) -> Vec<T> {
    let path = format!("{FIXTURES}/{file}");
    serde_yaml::from_str(&read(&path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn find<'a>(report: &'a Report, summary: &str) -> Option<&'a Change> {
    report.changes.iter().find(|c| c.summary.contains(summary))
}

fn check(rule: &Rule, base: &str) -> Vec<String> {
    assert!(
        base.contains(&rule.from),
        "rule `{}`: `{}` is not in the base document",
        rule.name,
        rule.from
    );
    let modified = base.replacen(&rule.from, &rule.to, 1);
    check_both_ways(&rule.name, base, &modified, &rule.forward, &rule.backward)
}

fn check_both_ways(
    name: &str,
    old: &str,
    new: &str,
    forward: &Expect,
    backward: &Expect,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (direction, old, new, expect) in [
        ("forward", old, new, forward),
        ("backward", new, old, backward),
    ] {
        let report = report(old, new);
        let summaries: Vec<&str> = report.changes.iter().map(|c| c.summary.as_str()).collect();
        match find(&report, &expect.summary) {
            None => failures.push(format!(
                "{name} ({direction}): no change mentions `{}`; got {summaries:?}",
                expect.summary
            )),
            Some(change) => {
                if change.api.breaking != expect.breaking || change.rust.bump != expect.bump {
                    failures.push(format!(
                        "{name} ({direction}): `{}` is breaking={} bump={:?}, expected breaking={} bump={:?} ({})",
                        change.summary,
                        change.api.breaking,
                        change.rust.bump,
                        expect.breaking,
                        expect.bump,
                        change.api.reason
                    ));
                }
                // The report's verdict is at least the rule's bump.
                assert!(report.semver >= expect.bump);
            }
        }
    }
    failures
}

#[test]
fn every_rule_is_classified_both_ways() {
    let base = base();
    let rules: Vec<Rule> = load("rules.yaml");
    assert_eq!(rules.len(), 21, "rules.yaml lost or gained a rule");
    let failures: Vec<String> = rules.iter().flat_map(|rule| check(rule, &base)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} rules misclassified:\n{}",
        failures.len(),
        rules.len(),
        failures.join("\n")
    );
}

#[test]
fn every_document_pair_is_classified_both_ways() {
    let pairs: Vec<Pair> = load("pairs.yaml");
    assert!(!pairs.is_empty());
    let failures: Vec<String> = pairs
        .iter()
        .flat_map(|pair| {
            check_both_ways(
                &pair.name,
                &pair.old,
                &pair.new,
                &pair.forward,
                &pair.backward,
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} pairs misclassified:\n{}",
        failures.len(),
        pairs.len(),
        failures.join("\n")
    );
}

/// A document with one operation on `path`, whose path parameters are `params` (name, type).
fn with_path(path: &str, params: &[(&str, &str)]) -> String {
    let params: String = params
        .iter()
        .map(|(name, ty)| {
            format!("      - {{name: {name}, in: path, required: true, schema: {{type: {ty}}}}}\n")
        })
        .collect();
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  {path}:\n    get:\n      tags: [sites]\n      operationId: getSite\n      parameters:\n{params}      responses:\n        '200': {{description: OK}}\n"
    )
}

#[test]
fn swapped_positional_arguments_of_one_type_break_calling_code() {
    let before = with_path(
        "/projects/{projectId}/sites/{siteId}",
        &[("projectId", "string"), ("siteId", "string")],
    );
    let after = with_path(
        "/sites/{siteId}/projects/{projectId}",
        &[("projectId", "string"), ("siteId", "string")],
    );
    for (old, new, order) in [
        (
            &before,
            &after,
            "from `projectId`, `siteId` to `siteId`, `projectId`",
        ),
        (
            &after,
            &before,
            "from `siteId`, `projectId` to `projectId`, `siteId`",
        ),
    ] {
        let report = report(old, new);
        let change = find(&report, "positional arguments reordered")
            .unwrap_or_else(|| panic!("no reorder reported: {:?}", report.changes));
        assert!(change.summary.contains(order), "{}", change.summary);
        assert_eq!(change.rust.bump, Bump::Major);
        assert!(
            change.rust.reason.contains("compiles"),
            "{}",
            change.rust.reason
        );
        assert_eq!(report.semver, Bump::Major);
    }
    // Another order of the same path: nothing moves.
    assert!(find(&report(&before, &before), "reordered").is_none());
}

#[test]
fn renaming_a_required_parameter_breaks_the_request_not_the_crate() {
    let before = with_path("/sites/{siteId}", &[("siteId", "string")]);
    let after = with_path("/sites/{id}", &[("id", "string")]);
    for (old, new, summary) in [
        (&before, &after, "path parameter `siteId` renamed to `id`"),
        (&after, &before, "path parameter `id` renamed to `siteId`"),
    ] {
        let report = report(old, new);
        let change = find(&report, summary)
            .unwrap_or_else(|| panic!("no rename reported: {:?}", report.changes));
        assert!(change.api.breaking, "the request changes");
        assert_eq!(change.rust.bump, Bump::Patch, "{}", change.rust.reason);
        assert!(find(&report, "reordered").is_none());
    }
}

#[test]
fn schema_changes_name_the_operations_they_reach() {
    let base = base();
    let modified = base.replacen("enum: [red, green]", "enum: [red, green, blue]", 1);
    let report = report(&base, &modified);
    let change = find(&report, "enum value `blue` added").unwrap();
    assert_eq!(
        change.subject,
        Subject::Schema {
            name: "ItemColor".into()
        }
    );
    assert_eq!(change.reaches, ["getItem"]);
    assert_eq!(change.tags, ["items"]);
    assert_eq!(change.rust.items, ["types::ItemColor::Blue"]);
}

/// What scripts using the command line see: each edit of `base.yaml`, and the change (command,
/// summary, breaking) it must produce.
#[test]
fn command_line_changes_for_scripts() {
    let base = base();
    let cases: &[(&str, &str, &str, &str, bool)] = &[
        (
            "- {name: q, in: query, schema: {type: string}}",
            "- {name: q, in: query, required: true, schema: {type: string}}",
            "ecosuite items get-item",
            "`--q` is now required",
            true,
        ),
        (
            "- {name: q, in: query, schema: {type: string}}",
            "- {name: query, in: query, schema: {type: string}}",
            "ecosuite items get-item",
            "`--q` (`q`) removed: scripts passing it fail",
            true,
        ),
        (
            "- {name: q, in: query, schema: {type: string}}",
            "- {name: q, in: query, schema: {type: string}}\n      - {name: limit, in: query, required: true, schema: {type: integer}}",
            "ecosuite items get-item",
            "new required `--limit` (`limit`): scripts without it fail",
            true,
        ),
        (
            "- {name: q, in: query, schema: {type: string}}",
            "- {name: q, in: query, schema: {type: string, enum: [a, b]}}",
            "ecosuite items get-item",
            "`--q` now takes only `a`, `b`",
            true,
        ),
        (
            "tags: [items]\n      operationId: getItem",
            "tags: [things]\n      operationId: getItem",
            "ecosuite things get-item",
            "was `ecosuite items get-item`: scripts using the old command fail (`ecosuite call getItem` still works)",
            true,
        ),
        (
            "  /items/{id}:\n    get:",
            "  /items/{id}:\n    delete:\n      tags: [items]\n      operationId: dropItem\n      parameters:\n      - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: Gone}\n    get:",
            "ecosuite items drop-item",
            "new command (also `ecosuite call dropItem`)",
            false,
        ),
        (
            "      requestBody: {required: true,",
            "      requestBody: {required: false,",
            "ecosuite items put-item",
            "`--body` is now optional",
            false,
        ),
    ];
    for (from, to, command, summary, breaking) in cases {
        assert!(base.contains(from), "base.yaml lacks {from:?}");
        let changed = base.replacen(from, to, 1);
        let report = report(&base, &changed);
        let found = report
            .command_line
            .iter()
            .find(|c| c.command == *command && c.summary == *summary);
        assert!(
            found.is_some_and(|c| c.breaking == *breaking),
            "{from:?} -> {to:?}: expected `{command}`: {summary} (breaking: {breaking}); got {:#?}",
            report.command_line
        );
    }
    // Both ways: a removed operation is a removed command.
    let with_drop = base.replacen(cases[5].0, cases[5].1, 1);
    let report = report(&with_drop, &base);
    assert!(report
        .command_line
        .iter()
        .any(|c| c.command == "ecosuite items drop-item"
            && c.summary == "command removed, and `ecosuite call dropItem` with it"
            && c.breaking));
}

#[test]
fn identical_documents_have_no_changes() {
    let base = base();
    let report = report(&base, &base);
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(report.semver, Bump::Patch);
    assert!(markdown(&report).contains("No changes"));
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(workspace().join(path)).unwrap()
}

#[test]
fn the_real_history() {
    let (old, new) = ("spec/history/ecosuite-2024-08.yaml", "spec/ecosuite.yaml");
    let report = labelled_report(&read(old), &read(new), old, new);
    let added: Vec<&str> = report
        .changes
        .iter()
        .filter_map(|c| match (&c.subject, c.effect) {
            (Subject::Operation { operation_id, .. }, Effect::Added) => Some(operation_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(added.len(), 14, "{added:?}");
    for op in [
        "createUser",
        "updateUser",
        "resendUserInvite",
        "drEvent",
        "drParticipant",
        "drDeleteParticipant",
        "getRFI",
        "getRFIReply",
    ] {
        assert!(added.contains(&op), "{op} is added");
    }
    // The user reads and record lists gain their 200 responses, typed now.
    for op in [
        "users",
        "getUser",
        "projectRecords",
        "siteRecords",
        "systemRecords",
        "getRecordPayments",
    ] {
        assert!(
            report.changes.iter().any(|c| c.summary == "success response `200` documented"
                && matches!(&c.subject, Subject::Operation { operation_id, .. } if operation_id == op)),
            "{op} documents its 200"
        );
    }
    for schema in ["User", "Record"] {
        assert!(
            find(&report, &format!("schema `{schema}` added")).is_some(),
            "{schema} is added"
        );
    }
    assert_eq!(report.breaking_count(), 0, "2025-11 breaks no API client");
    // For the command line: 14 new commands, 6 that now print a typed answer, none breaking.
    assert_eq!(report.command_line.len(), 20, "{:#?}", report.command_line);
    assert_eq!(report.breaking_for_scripts(), 0);
    assert!(report
        .command_line
        .iter()
        .any(|c| c.command == "ecosuite user create-user"
            && c.summary == "new command (also `ecosuite call createUser`)"));
    assert_eq!(
        report.semver,
        Bump::Major,
        "typed responses replace `Value` returns"
    );
    insta::assert_snapshot!("history_2024_08_to_2025_11", markdown(&report));
}

fn xtask_diff(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xtask", "--", "diff"])
        .args(args)
        .current_dir(workspace())
        .output()
        .expect("cargo runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_exit_codes() {
    let (code, stdout, _) = xtask_diff(&[
        "spec/ecosuite.yaml",
        "spec/ecosuite.yaml",
        "--fail-on",
        "breaking",
    ]);
    assert_eq!(code, 0, "identical documents");
    assert!(stdout.contains("No changes"), "{stdout}");

    let (code, stdout, stderr) = xtask_diff(&[
        "spec/ecosuite.yaml",
        "spec/history/ecosuite-2024-08.yaml",
        "--fail-on",
        "breaking",
    ]);
    assert_eq!(
        code, 1,
        "going back to 2024-08 removes operations: {stderr}"
    );
    assert!(
        stdout.contains("operation `createUser` removed"),
        "{stdout}"
    );

    let (code, stdout, _) = xtask_diff(&[
        "spec/history/ecosuite-2024-08.yaml",
        "spec/ecosuite.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(json["semver"], "major");
    assert_eq!(json["new"]["operations"], 185);

    let (code, _, stderr) =
        xtask_diff(&["tests/fixtures/does-not-exist.yaml", "spec/ecosuite.yaml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("does-not-exist.yaml"), "{stderr}");

    let broken = std::env::temp_dir().join("ecosuite-diff-broken.yaml");
    std::fs::write(&broken, "openapi: 3.0.3\ninfo: [\n").unwrap();
    let (code, _, stderr) = xtask_diff(&[broken.to_str().unwrap(), "spec/ecosuite.yaml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("ecosuite-diff-broken.yaml:3:1"),
        "the error names the line: {stderr}"
    );
}
