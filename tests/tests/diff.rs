//! `diff`: every classification rule on a small document pair, both ways, and the real
//! history of the Ecosuite document as a reviewed snapshot.

use std::path::{Path, PathBuf};
use std::process::Command;

use ecosuite_generator::diff::{compare, markdown, Bump, Change, Effect, Report, Subject};
use ecosuite_generator::{build_model, Options};

/// A small API: `getItem` receives `Item`, `putItem` sends `NewItem`.
const BASE: &str = r#"openapi: 3.0.3
info: {title: Items, version: '1'}
security:
- key: []
paths:
  /items/{id}:
    get:
      tags: [items]
      operationId: getItem
      parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: q, in: query, schema: {type: string}}
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
        '400': {description: Bad, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
    put:
      tags: [items]
      operationId: putItem
      parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewItem'}}}}
      responses:
        '200': {description: OK}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: Authorization}
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: integer}
        color: {type: string, enum: [red, green]}
        labels: {type: object, additionalProperties: {type: string}}
    NewItem:
      type: object
      required: [name]
      properties:
        name: {type: string}
        shade: {type: string, enum: [dark, light]}
        note: {type: string}
    Error:
      type: object
      properties:
        message: {type: string}
"#;

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
struct Expect {
    summary: &'static str,
    breaking: bool,
    bump: Bump,
}

/// One rule: `BASE` with `from` replaced by `to`, and the change expected each way.
struct Rule {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    forward: Expect,
    backward: Expect,
}

fn find<'a>(report: &'a Report, summary: &str) -> Option<&'a Change> {
    report.changes.iter().find(|c| c.summary.contains(summary))
}

fn check(rule: &Rule) -> Vec<String> {
    assert!(
        BASE.contains(rule.from),
        "rule `{}`: `{}` is not in the base document",
        rule.name,
        rule.from
    );
    let modified = BASE.replacen(rule.from, rule.to, 1);
    let mut failures = Vec::new();
    for (direction, old, new, expect) in [
        ("forward", BASE, modified.as_str(), &rule.forward),
        ("backward", modified.as_str(), BASE, &rule.backward),
    ] {
        let report = report(old, new);
        let summaries: Vec<&str> = report.changes.iter().map(|c| c.summary.as_str()).collect();
        match find(&report, expect.summary) {
            None => failures.push(format!(
                "{} ({direction}): no change mentions `{}`; got {summaries:?}",
                rule.name, expect.summary
            )),
            Some(change) => {
                if change.api.breaking != expect.breaking || change.rust.bump != expect.bump {
                    failures.push(format!(
                        "{} ({direction}): `{}` is breaking={} bump={:?}, expected breaking={} bump={:?} ({})",
                        rule.name,
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

const fn expect(summary: &'static str, breaking: bool, bump: Bump) -> Expect {
    Expect {
        summary,
        breaking,
        bump,
    }
}

#[test]
fn every_rule_is_classified_both_ways() {
    use Bump::{Major, Minor, Patch};
    let rules = [
        Rule {
            name: "operation added / removed",
            from: "components:\n",
            to: "  /other:\n    get:\n      tags: [items]\n      operationId: getOther\n      responses:\n        '200': {description: OK}\ncomponents:\n",
            forward: expect("operation `getOther` added", false, Minor),
            backward: expect("operation `getOther` removed", true, Major),
        },
        Rule {
            name: "operation moved",
            from: "  /items/{id}:\n",
            to: "  /things/{id}:\n",
            forward: expect("moved from `GET /items/{id}` to `GET /things/{id}`", true, Patch),
            backward: expect("moved from `GET /things/{id}` to `GET /items/{id}`", true, Patch),
        },
        Rule {
            name: "optional parameter added / removed",
            from: "      - {name: q, in: query, schema: {type: string}}\n",
            to: "      - {name: q, in: query, schema: {type: string}}\n      - {name: limit, in: query, schema: {type: integer}}\n",
            forward: expect("optional query parameter `limit` added", false, Minor),
            backward: expect("query parameter `limit` removed", true, Major),
        },
        Rule {
            name: "required parameter added / removed",
            from: "      - {name: q, in: query, schema: {type: string}}\n",
            to: "      - {name: q, in: query, schema: {type: string}}\n      - {name: limit, in: query, required: true, schema: {type: integer}}\n",
            forward: expect("required query parameter `limit` added", true, Major),
            backward: expect("query parameter `limit` removed", true, Major),
        },
        Rule {
            name: "parameter made required / optional",
            from: "{name: q, in: query, schema: {type: string}}",
            to: "{name: q, in: query, required: true, schema: {type: string}}",
            forward: expect("query parameter `q` made required", true, Major),
            backward: expect("query parameter `q` made optional", false, Major),
        },
        Rule {
            name: "parameter type changed",
            from: "{name: q, in: query, schema: {type: string}}",
            to: "{name: q, in: query, schema: {type: string, format: date-time}}",
            forward: expect("query parameter `q` type changed from `String` to `DateTime<Utc>`", true, Major),
            backward: expect("query parameter `q` type changed from `DateTime<Utc>` to `String`", true, Major),
        },
        Rule {
            name: "parameter renamed in place",
            from: "{name: q, in: query, schema: {type: string}}",
            to: "{name: query, in: query, schema: {type: string}}",
            forward: expect("query parameter `q` renamed to `query`", true, Major),
            backward: expect("query parameter `query` renamed to `q`", true, Major),
        },
        Rule {
            name: "request body removed / added",
            from: "      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewItem'}}}}\n",
            to: "",
            forward: expect("request body `NewItem` removed", true, Major),
            backward: expect("request body `NewItem` added, required", true, Major),
        },
        Rule {
            name: "response body changed",
            from: "'200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}",
            to: "'200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}",
            forward: expect("response body changed from `Item` to `Error`", true, Major),
            backward: expect("response body changed from `Error` to `Item`", true, Major),
        },
        Rule {
            name: "error response removed / documented",
            from: "        '400': {description: Bad, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}\n",
            to: "",
            forward: expect("error response `400` no longer documented", false, Patch),
            backward: expect("error response `400` documented", false, Patch),
        },
        Rule {
            name: "security relaxed / required",
            from: "      operationId: getItem\n",
            to: "      operationId: getItem\n      security: []\n",
            forward: expect("no longer declares authentication", false, Patch),
            backward: expect("now requires authentication", true, Patch),
        },
        Rule {
            name: "response property removed / added",
            from: "        size: {type: integer}\n",
            to: "",
            forward: expect("property `size` removed", true, Major),
            backward: expect("optional property `size` added", false, Minor),
        },
        Rule {
            name: "required request property added / removed",
            from: "      required: [name]\n      properties:\n        name: {type: string}\n        shade:",
            to: "      required: [name, code]\n      properties:\n        name: {type: string}\n        code: {type: string}\n        shade:",
            forward: expect("required property `code` added", true, Major),
            backward: expect("property `code` removed", false, Major),
        },
        Rule {
            name: "property type changed",
            from: "        size: {type: integer}\n",
            to: "        size: {type: string}\n",
            forward: expect("property `size` type changed from `i64` to `String`", true, Major),
            backward: expect("property `size` type changed from `String` to `i64`", true, Major),
        },
        Rule {
            name: "response property made optional / required",
            from: "    Item:\n      type: object\n      required: [name]\n",
            to: "    Item:\n      type: object\n",
            forward: expect("property `name` made optional", true, Major),
            backward: expect("property `name` made required", false, Major),
        },
        Rule {
            name: "response property made nullable / not",
            from: "        size: {type: integer}\n",
            to: "        size: {type: integer, nullable: true}\n",
            forward: expect("property `size` made nullable", true, Major),
            backward: expect("property `size` no longer nullable", false, Major),
        },
        Rule {
            name: "response enum value added / removed",
            from: "enum: [red, green]",
            to: "enum: [red, green, blue]",
            forward: expect("enum value `blue` added", false, Minor),
            backward: expect("enum value `blue` removed", false, Major),
        },
        Rule {
            name: "request enum value added / removed",
            from: "enum: [dark, light]",
            to: "enum: [dark, light, medium]",
            forward: expect("enum value `medium` added", false, Minor),
            backward: expect("enum value `medium` removed", true, Major),
        },
        Rule {
            name: "map value type changed",
            from: "labels: {type: object, additionalProperties: {type: string}}",
            to: "labels: {type: object, additionalProperties: {type: integer}}",
            forward: expect(
                "property `labels` type changed from `BTreeMap<String, String>` to `BTreeMap<String, i64>`",
                true,
                Major,
            ),
            backward: expect(
                "property `labels` type changed from `BTreeMap<String, i64>` to `BTreeMap<String, String>`",
                true,
                Major,
            ),
        },
        Rule {
            name: "property of a schema used only in error answers removed / added",
            from: "        message: {type: string}\n",
            to: "        message: {type: string}\n        code: {type: integer}\n",
            forward: expect("optional property `code` added", false, Minor),
            backward: expect("property `code` removed", true, Major),
        },
        Rule {
            name: "unused schema added / removed",
            from: "    Error:\n",
            to: "    Unused:\n      type: object\n      properties:\n        x: {type: string}\n    Error:\n",
            forward: expect("schema `Unused` added", false, Minor),
            backward: expect("schema `Unused` removed", false, Major),
        },
    ];
    let failures: Vec<String> = rules.iter().flat_map(check).collect();
    assert!(
        failures.is_empty(),
        "{} of {} rules misclassified:\n{}",
        failures.len(),
        rules.len(),
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
    let modified = BASE.replacen("enum: [red, green]", "enum: [red, green, blue]", 1);
    let report = report(BASE, &modified);
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

/// What scripts using the command line see: each edit of `BASE`, and the change (command,
/// summary, breaking) it must produce.
#[test]
fn command_line_changes_for_scripts() {
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
        assert!(BASE.contains(from), "BASE lacks {from:?}");
        let changed = BASE.replacen(from, to, 1);
        let report = report(BASE, &changed);
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
    let with_drop = BASE.replacen(cases[5].0, cases[5].1, 1);
    let report = report(&with_drop, BASE);
    assert!(report
        .command_line
        .iter()
        .any(|c| c.command == "ecosuite items drop-item"
            && c.summary == "command removed, and `ecosuite call dropItem` with it"
            && c.breaking));
}

#[test]
fn identical_documents_have_no_changes() {
    let report = report(BASE, BASE);
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
