//! Snapshot tests: the generated tree for each fixture spec under `tests/fixtures/`, so any
//! change in generator output shows up as a snapshot diff to review.
//!
//! A new or changed snapshot is written next to the old one as `*.snap.new` and the test fails;
//! review it, then accept it with `cargo insta accept` (or by renaming it to `*.snap`).

mod common;

use std::collections::BTreeSet;

/// One test per fixture, so that one fixture's failure does not hide another's.
macro_rules! snapshot_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                assert_fixture_snapshot(stringify!($name));
            }
        )*

        /// Fixtures listed above, to check that no fixture on disk goes untested.
        const SNAPSHOT_FIXTURES: &[&str] = &[$(stringify!($name)),*];
    };
}

snapshot_tests!(
    bodies,
    bodies_beyond_json,
    dates,
    enums,
    hostile,
    hostile_encoding,
    hostile_names,
    hostile_numbers,
    maps,
    naming,
    objects,
    params,
    responses,
    schema_drops,
    security,
    unions
);

fn assert_fixture_snapshot(name: &str) {
    let text = common::render_tree(&common::generate_fixture(name));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(common::fixtures_dir().join(format!("{name}.yaml")));
    settings.set_description(format!("generated from tests/fixtures/{name}.yaml"));
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn every_fixture_has_a_snapshot_test() {
    let on_disk: BTreeSet<String> = common::fixture_names().into_iter().collect();
    let tested: BTreeSet<String> = SNAPSHOT_FIXTURES
        .iter()
        .map(|name| name.to_string())
        .collect();
    let untested: Vec<_> = on_disk.difference(&tested).collect();
    let missing: Vec<_> = tested.difference(&on_disk).collect();
    assert!(
        untested.is_empty() && missing.is_empty(),
        "snapshot_tests! in tests/tests/snapshots.rs and tests/fixtures/ disagree: \
         fixtures without a test: {untested:?}; tests without a fixture: {missing:?}"
    );
}

/// Same spec, same bytes: maps iterated in hash order would show up here, since each
/// `HashMap` in a process gets its own random seed.
#[test]
fn generation_is_deterministic() {
    let mut specs: Vec<(String, Vec<u8>, ecosuite_generator::Options)> = common::fixture_names()
        .into_iter()
        .map(|name| {
            let path = common::fixtures_dir().join(format!("{name}.yaml"));
            let spec = std::fs::read(&path).unwrap();
            let options = common::fixture_options(&name);
            (format!("tests/fixtures/{name}.yaml"), spec, options)
        })
        .collect();
    let real = common::workspace_root().join("spec/ecosuite.yaml");
    specs.push((
        "spec/ecosuite.yaml".to_string(),
        std::fs::read(&real).unwrap(),
        common::ecosuite_options(),
    ));

    for (spec_name, spec, options) in &specs {
        let first = ecosuite_generator::generate(spec, options)
            .unwrap_or_else(|e| panic!("generating from {spec_name} failed:\n{e}"));
        for attempt in 2..=3 {
            let again = ecosuite_generator::generate(spec, options).unwrap();
            let first_paths: Vec<_> = first.files.keys().collect();
            let again_paths: Vec<_> = again.files.keys().collect();
            assert_eq!(
                first_paths, again_paths,
                "{spec_name}: run {attempt} generated other files"
            );
            for (path, contents) in &first.files {
                assert!(
                    *contents == again.files[path],
                    "{spec_name}: run {attempt} generated other bytes for {path}"
                );
            }
            let first_warnings: Vec<String> =
                first.warnings.iter().map(|w| w.to_string()).collect();
            let again_warnings: Vec<String> =
                again.warnings.iter().map(|w| w.to_string()).collect();
            assert_eq!(
                first_warnings, again_warnings,
                "{spec_name}: run {attempt} warned otherwise"
            );
        }
    }
}

/// Spec text is documentation, never code: the hostile fixture's attribute and function lines
/// must not start a generated line (they may only appear inside comments or string literals).
/// Compiling the generated crate (compile_fixtures.rs) is the stronger check.
#[test]
fn hostile_text_does_not_become_code() {
    const INJECTED: &[&str] = &[
        "#[cfg(foo)]",
        "fn injected",
        "pub fn also_injected",
        "mod m {}",
        "fn main()",
    ];
    let files = common::generate_fixture("hostile");
    let mut offending = Vec::new();
    for (path, contents) in &files.files {
        for (index, line) in contents.lines().enumerate() {
            let trimmed = line.trim_start();
            if INJECTED.iter().any(|code| trimmed.starts_with(code)) {
                offending.push(format!("{path}:{}: {line}", index + 1));
            }
        }
    }
    assert!(
        offending.is_empty(),
        "spec text became code:\n{}",
        offending.join("\n")
    );
}

/// An outer doc comment belongs to the item right below it: a blank line after a `///` line
/// splits the comment or detaches it (clippy's `empty_line_after_doc_comments`). Spec text
/// ending in `}` or `;` must not cause one. The compile test catches this too, but slowly.
#[test]
fn doc_comments_are_not_followed_by_blank_lines() {
    let mut offending = Vec::new();
    for name in common::fixture_names() {
        for (path, contents) in &common::generate_fixture(&name).files {
            let lines: Vec<&str> = contents.lines().collect();
            for (index, pair) in lines.windows(2).enumerate() {
                if pair[0].trim_start().starts_with("///") && pair[1].trim().is_empty() {
                    offending.push(format!("{name}: {path}:{}: {}", index + 1, pair[0].trim()));
                }
            }
        }
    }
    assert!(
        offending.is_empty(),
        "doc comment lines followed by a blank line:\n{}",
        offending.join("\n")
    );
}

/// The command line's generated modules for the fixture with every kind of body (form,
/// multipart, raw bytes, text) and response: how each is read from `--body` and printed.
#[test]
fn command_line_for_bodies_beyond_json() {
    let name = "bodies_beyond_json";
    let path = common::fixtures_dir().join(format!("{name}.yaml"));
    let spec = std::fs::read(&path).unwrap();
    let generated =
        ecosuite_generator::generate_client_and_cli(&spec, &common::fixture_options(name))
            .unwrap_or_else(|e| panic!("generating from {name}.yaml failed:\n{e}"));
    let text: Vec<String> = generated
        .cli
        .iter()
        .map(|(path, contents)| format!("// ===== {path} =====\n{contents}"))
        .collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(&path);
    settings.set_description(format!(
        "the command line's modules generated from tests/fixtures/{name}.yaml"
    ));
    settings.bind(|| insta::assert_snapshot!("command_line_bodies_beyond_json", text.join("\n")));
}
