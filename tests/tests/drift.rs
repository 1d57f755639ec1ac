//! Drift test: the checked-in client (`generated-client/src/generated/`), the command line's
//! generated modules (`cli/src/generated/`) and the mock's (`mock/src/generated/`) are exactly
//! what the generator makes from `spec/ecosuite.yaml` today. The check and its report are
//! `ecosuite_generator::freshness`, which `cargo xtask check` uses too.

mod common;

use ecosuite_generator::freshness;

#[test]
fn checked_in_client_command_line_and_mock_match_the_spec() {
    let root = common::workspace_root();
    let spec_path = root.join("spec/ecosuite.yaml");
    let spec = std::fs::read(&spec_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", spec_path.display()));
    let options = common::ecosuite_options();
    let generated = ecosuite_generator::generate_client_and_cli(&spec, &options)
        .unwrap_or_else(|e| panic!("generating from spec/ecosuite.yaml failed:\n{e}"));

    let outputs = [
        ("generated-client/src/generated", generated.client.files),
        ("cli/src/generated", generated.cli),
        ("mock/src/generated", generated.mock),
    ];
    let mut reports = Vec::new();
    for (dir, files) in outputs {
        let expected = freshness::text_tree(files);
        if let Some(report) = freshness::check(&root, dir, &expected, common::COMMAND)
            .unwrap_or_else(|e| panic!("{e}"))
        {
            reports.push(report);
        }
    }
    assert!(reports.is_empty(), "{}", reports.join("\n"));
}
