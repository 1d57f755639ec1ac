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

/// Types known not to round-trip (`FAIL`), or whose instance the validator rejects
/// (`INVALID`: the instance generator is wrong for them): (document, type, why). Empty: every
/// type round-trips, from a valid instance.
const EXPECTED_FAILURES: &[(&str, &str, &str)] = &[];

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

    // Failures are exactly the expected ones.
    let mut document = "";
    let mut failures = Vec::new();
    for line in stdout.lines() {
        if let Some((spec, _)) = line.split_once(": ").filter(|_| !line.starts_with(' ')) {
            document = spec;
        } else if let Some(rest) = line
            .trim_start()
            .strip_prefix("FAIL ")
            .or_else(|| line.trim_start().strip_prefix("INVALID "))
        {
            let type_name = rest.split(':').next().unwrap_or_default();
            failures.push((
                document.to_string(),
                type_name.to_string(),
                line.to_string(),
            ));
        }
    }
    let unexpected: Vec<&String> = failures
        .iter()
        .filter(|(spec, ty, _)| {
            !EXPECTED_FAILURES
                .iter()
                .any(|(s, t, _)| spec == s && ty == t)
        })
        .map(|(_, _, line)| line)
        .collect();
    assert!(
        unexpected.is_empty(),
        "types that do not round-trip or have invalid instances:\n{}\n{report}",
        unexpected
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    for (spec, ty, why) in EXPECTED_FAILURES {
        assert!(
            failures.iter().any(|(s, t, _)| s == spec && t == ty),
            "{spec}: {ty} round-trips now ({why} no longer holds): remove it from EXPECTED_FAILURES\n{report}"
        );
    }
    assert!(
        stdout.contains("total: "),
        "the xtask printed no total\n{report}"
    );
}
