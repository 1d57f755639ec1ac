//! `cargo xtask generate`: regenerates the checked-in client, the `ecosuite` command line's
//! and the mock's generated modules from `spec/ecosuite.yaml`.

use std::path::Path;
use std::time::{Duration, Instant};

use ecosuite_generator::{freshness, AuthOptions, ClientAndCli, Options, Summary, Warning};

use crate::failure::Failure;
use crate::fs::{self, Tree};

/// The document the checked-in client is generated from, relative to the workspace root.
pub const SPEC: &str = "spec/ecosuite.yaml";
/// Where the checked-in client's generated modules live, relative to the workspace root.
pub const OUT: &str = "generated-client/src/generated";
/// Where the command line's generated modules live, relative to the workspace root.
pub const CLI_OUT: &str = "cli/src/generated";
/// Where the mock crate's generated modules live, relative to the workspace root.
pub const MOCK_OUT: &str = "mock/src/generated";
/// The command that regenerates the checked-in client, named in headers and hints.
pub const COMMAND: &str = "cargo xtask generate";

/// How the `ecosuite` crate is generated. Its credentials are the hand-written Cognito
/// module's, and every operation sends them: Ecosuite's gateway wants the token even on the
/// operations the document marks `security: []` (see `spec/README.md`).
pub fn options() -> Options {
    Options {
        spec_name: SPEC.to_string(),
        command: COMMAND.to_string(),
        auth: AuthOptions {
            credentials_on_public_operations: true,
            hand_written_credentials: true,
        },
    }
}

pub fn run(root: &Path) -> Result<(), Failure> {
    let (generated, elapsed) = run_generator_with_cli(&root.join(SPEC), &options())?;
    print_warnings(&generated.client.warnings);
    let client_tree = to_tree(generated.client.files.clone());
    let cli_tree = to_tree(generated.cli);
    let mock_tree = to_tree(generated.mock);
    let cli_lines = count_lines(&cli_tree);
    let mock_lines = count_lines(&mock_tree);
    // All trees are made before any is written, so a failure leaves them as they were.
    let client_written = write_if_changed(&root.join(OUT), &client_tree)?;
    let cli_written = write_if_changed(&root.join(CLI_OUT), &cli_tree)?;
    let mock_written = write_if_changed(&root.join(MOCK_OUT), &mock_tree)?;
    let mut line = summary_line(&generated.client.summary, elapsed, OUT, client_tree.len());
    if !client_written {
        line.push_str(" (unchanged, nothing written)");
    }
    outln!("{line}");
    outln!("{}", keyword_line(&generated.client.summary));
    outln!(
        "generated the command line's {} operations -> {CLI_OUT} ({} files, {cli_lines} lines){}",
        generated.client.summary.operations,
        cli_tree.len(),
        if cli_written {
            ""
        } else {
            " (unchanged, nothing written)"
        }
    );
    outln!(
        "generated the mock's {} operations -> {MOCK_OUT} ({} files, {mock_lines} lines){}",
        generated.client.summary.operations,
        mock_tree.len(),
        if mock_written {
            ""
        } else {
            " (unchanged, nothing written)"
        }
    );
    Ok(())
}

/// Replaces `dir` with `tree` unless it already holds exactly that; says whether it wrote.
fn write_if_changed(dir: &Path, tree: &Tree) -> Result<bool, Failure> {
    // Rewriting identical files would touch every mtime and make cargo rebuild for nothing.
    if freshness::compare(tree, &fs::read_tree_or_empty(dir)?).is_empty() {
        return Ok(false);
    }
    fs::replace_dir(dir, tree, &[])?;
    Ok(true)
}

fn count_lines(tree: &Tree) -> usize {
    tree.values()
        .map(|bytes| bytes.iter().filter(|b| **b == b'\n').count())
        .sum()
}

/// Reads `spec` and generates the client and the command line from it, timing the generator.
pub fn run_generator_with_cli(
    spec: &Path,
    options: &Options,
) -> Result<(ClientAndCli, Duration), Failure> {
    let bytes = fs::read(spec)?;
    let start = Instant::now();
    let generated = ecosuite_generator::generate_client_and_cli(&bytes, options)
        .map_err(|e| Failure::Spec(e.to_string()))?;
    Ok((generated, start.elapsed()))
}

pub fn to_tree(files: std::collections::BTreeMap<String, String>) -> Tree {
    freshness::text_tree(files)
}

pub fn print_warnings(warnings: &[Warning]) {
    for warning in warnings {
        errln!("warning: {warning}");
    }
}

/// What the keyword ledger counted: schema keywords the generated code does not express
/// (each named in a warning above) and validation keywords the client does not check.
pub fn keyword_line(summary: &Summary) -> String {
    let ignored = summary.ignored_keywords;
    let unchecked = summary.unchecked_keywords;
    let mut line = format!(
        "{ignored} schema keyword{} ignored",
        if ignored == 1 { "" } else { "s" }
    );
    if unchecked > 0 {
        line.push_str(&format!(
            ", {unchecked} validation keyword{} not checked",
            if unchecked == 1 { "" } else { "s" }
        ));
    }
    if ignored + unchecked > 0 {
        line.push_str("; see the warnings above");
    }
    line
}

/// One line that says what was made, so a reviewer sees at a glance whether a spec change
/// grew the client the way they expected.
pub fn summary_line(summary: &Summary, elapsed: Duration, out: &str, file_count: usize) -> String {
    let mut line = format!(
        "generated {} operations, {} types ({} inline duplicates merged) in {} ms -> {out} \
         ({file_count} files, {} lines); longest type name: {} ({})",
        summary.operations,
        summary.types,
        summary.merged_duplicates,
        elapsed.as_millis(),
        summary.lines,
        summary.longest_type_name,
        summary.longest_type_name.chars().count(),
    );
    if summary.value_fields > 0 {
        line.push_str(&format!(
            "; {} fields left as serde_json::Value",
            summary.value_fields
        ));
    }
    line
}
