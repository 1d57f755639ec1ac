//! Round-trip fidelity: every component type of `spec/ecosuite.yaml` and of the published
//! documents in `tests/fixtures/corpus/` gives back, decoded then encoded by the generated
//! client, the JSON it was given: every property filled, an undeclared key in every open
//! object (`cargo xtask fidelity`, which also checks each instance with a JSON Schema
//! validator).
//!
//! Slow on a cold cache: the harness crates build in `target/fixture-check`, the target
//! directory the compile test (`compile_fixtures.rs`) fills with the same dependencies and
//! flags, so what one builds the other reuses. Run with `--nocapture` to see progress.

mod common;

use std::process::Command;

/// Instances the validator rejects, by document and the validator's words, each with its
/// cause: the IR keeps no validation keywords, so the instance generator cannot honour them.
/// The types still round-trip; their instances are just not what the server could send.
/// No type may fail to round-trip: there is no list for that.
const EXPECTED_INVALID: &[(&str, &str, &str)] = &[
    (
        "tests/fixtures/corpus/camara--quality-on-demand-1.1.0.yaml",
        "does not match",
        "`pattern` (phone numbers, profile names): the IR keeps no patterns",
    ),
    (
        "tests/fixtures/corpus/camara--quality-on-demand-1.1.0.yaml",
        "is greater than the maximum of 65535",
        "`maximum` of a port: the IR keeps no bounds, and 64-bit integers get 3000000000 to prove their width",
    ),
    (
        "tests/fixtures/corpus/redocly-museum--openapi.yaml",
        "does not match",
        "`pattern` of opening times (`^([01][0-9]|2[0-3]):?([0-5][0-9])$`): the IR keeps no patterns",
    ),
    (
        "tests/fixtures/corpus/xero--xero-webhooks.yaml",
        "is greater than the maximum of 2147483647",
        "`maximum` of an integer without a format (a 64-bit integer in Rust): the IR keeps no bounds",
    ),
    (
        "tests/fixtures/corpus/xero--xero_files.yaml",
        "is a required property",
        "`required` names properties the schema does not declare (`id` beside `Id`); the IR keeps declared ones only",
    ),
];

#[test]
fn every_component_type_round_trips() {
    let root = common::workspace_root();
    let mut specs = vec!["spec/ecosuite.yaml".to_string()];
    specs.extend(
        common::corpus_fixtures()
            .into_iter()
            .map(|file| format!("tests/fixtures/corpus/{file}")),
    );
    let output = Command::new(env!("CARGO"))
        .current_dir(&root)
        .args(["run", "--quiet", "--package", "xtask", "--", "fidelity"])
        .args(&specs)
        .arg("--target-dir")
        .arg(root.join("target/fixture-check"))
        // The compile test's flags, so the shared target directory is not rebuilt.
        .arg("--deny-warnings")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report = format!("--- stdout ---\n{stdout}--- stderr ---\n{stderr}");

    // One summary line per document, none skipped.
    for spec in &specs {
        let line = stdout
            .lines()
            .find(|line| line.starts_with(&format!("{spec}: ")))
            .unwrap_or_else(|| panic!("no summary line for {spec}\n{report}"));
        assert!(
            line.contains("types round-trip"),
            "{spec} was not checked: {line}\n{report}"
        );
    }

    // No type fails; the invalid instances are the expected ones.
    let mut document = "";
    let mut unexpected = Vec::new();
    let mut seen = vec![false; EXPECTED_INVALID.len()];
    for line in stdout.lines() {
        if !line.starts_with(' ') {
            if let Some((spec, _)) = line.split_once(": ") {
                document = spec;
            }
            continue;
        }
        let line = line.trim_start();
        if line.starts_with("FAIL ") {
            unexpected.push(format!("{document}: {line}"));
        } else if line.starts_with("INVALID ") {
            let expected = EXPECTED_INVALID
                .iter()
                .position(|(spec, words, _)| *spec == document && line.contains(words));
            match expected {
                Some(index) => seen[index] = true,
                None => unexpected.push(format!("{document}: {line}")),
            }
        }
    }
    assert!(
        unexpected.is_empty(),
        "types that do not round-trip, or instances the validator rejects unexpectedly:\n{}\n{report}",
        unexpected.join("\n")
    );
    for ((spec, words, why), seen) in EXPECTED_INVALID.iter().zip(seen) {
        assert!(
            seen,
            "{spec}: no instance is rejected for `{words}` any more ({why}): remove it from EXPECTED_INVALID\n{report}"
        );
    }
    assert!(
        stdout.contains("total: "),
        "the xtask printed no total\n{report}"
    );
}
