//! `cargo xtask generate`: regenerates the checked-in client from `spec/ecosuite.yaml`.

use std::path::Path;
use std::time::{Duration, Instant};

use ecosuite_generator::{Files, Options, Summary, Warning};

use crate::drift;
use crate::failure::Failure;
use crate::fs::{self, Tree};

/// The document the checked-in client is generated from, relative to the workspace root.
pub const SPEC: &str = "spec/ecosuite.yaml";
/// Where the checked-in client's generated modules live, relative to the workspace root.
pub const OUT: &str = "generated-client/src/generated";
/// The command that regenerates the checked-in client, named in headers and hints.
pub const COMMAND: &str = "cargo xtask generate";

pub fn options() -> Options {
    Options {
        spec_name: SPEC.to_string(),
        command: COMMAND.to_string(),
    }
}

pub fn run(root: &Path) -> Result<(), Failure> {
    let (files, elapsed) = run_generator(&root.join(SPEC), &options())?;
    print_warnings(&files.warnings);
    let tree = to_tree(files.files);
    let out = root.join(OUT);
    // Rewriting identical files would touch every mtime and make cargo rebuild the client for
    // nothing.
    let unchanged = drift::compare(&tree, &fs::read_tree_or_empty(&out)?).is_empty();
    if !unchanged {
        fs::replace_dir(&out, &tree, &[])?;
    }
    let mut line = summary_line(&files.summary, elapsed, OUT, tree.len());
    if unchanged {
        line.push_str(" (unchanged, nothing written)");
    }
    outln!("{line}");
    Ok(())
}

/// Reads `spec` and runs the generator on it, timing only the generator itself.
pub fn run_generator(spec: &Path, options: &Options) -> Result<(Files, Duration), Failure> {
    let bytes = fs::read(spec)?;
    let start = Instant::now();
    let files =
        ecosuite_generator::generate(&bytes, options).map_err(|e| Failure::Spec(e.to_string()))?;
    Ok((files, start.elapsed()))
}

pub fn to_tree(files: std::collections::BTreeMap<String, String>) -> Tree {
    files
        .into_iter()
        .map(|(path, contents)| (path, contents.into_bytes()))
        .collect()
}

pub fn print_warnings(warnings: &[Warning]) {
    for warning in warnings {
        errln!("warning: {warning}");
    }
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
