//! `cargo xtask diff [OLD [NEW]]`: what a change of the API document does to the API and to
//! the generated crate, as Markdown for a pull request or JSON for tools.

use std::path::Path;
use std::process::Command as Process;

use ecosuite_generator::diff::{compare, markdown};
use ecosuite_generator::{build_model, Options};

use crate::failure::Failure;

/// The document `diff` compares against when not told otherwise.
const SPEC: &str = "spec/ecosuite.yaml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub old: String,
    pub new: String,
    pub json: bool,
    pub fail_on_breaking: bool,
}

impl Request {
    /// No sides: the committed document against the working tree's. One side: it against
    /// the working tree's.
    pub fn new(sides: &[String], json: bool, fail_on_breaking: bool) -> Request {
        let old = sides
            .first()
            .cloned()
            .unwrap_or_else(|| format!("HEAD:{SPEC}"));
        let new = sides.get(1).cloned().unwrap_or_else(|| SPEC.to_string());
        Request {
            old,
            new,
            json,
            fail_on_breaking,
        }
    }
}

pub fn run(root: &Path, request: &Request) -> Result<(), Failure> {
    let old_text = read_side(root, &request.old)?;
    let new_text = read_side(root, &request.new)?;
    let model = |text: &[u8], label: &str| {
        let options = Options {
            spec_name: label.to_string(),
            ..Options::default()
        };
        build_model(text, &options).map_err(|e| Failure::Unreadable(e.to_string()))
    };
    let old = model(&old_text, &request.old)?;
    let new = model(&new_text, &request.new)?;
    let report = compare(&old, &new, &request.old, &request.new);
    if request.json {
        let json = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::Io(format!("cannot encode the report: {e}")))?;
        outln!("{json}");
    } else {
        outln!("{}", markdown(&report).trim_end());
    }
    if request.fail_on_breaking && report.breaking_count() > 0 {
        return Err(Failure::Breaking(report.breaking_count()));
    }
    Ok(())
}

/// A side is a file, or `REV:path` read from git (`origin/main:spec/ecosuite.yaml`).
fn read_side(root: &Path, side: &str) -> Result<Vec<u8>, Failure> {
    let path = root.join(side);
    if path.is_file() {
        return std::fs::read(&path)
            .map_err(|e| Failure::Unreadable(format!("cannot read `{side}`: {e}")));
    }
    let Some((rev, file)) = side
        .split_once(':')
        .filter(|(rev, file)| !rev.is_empty() && !file.is_empty())
    else {
        return Err(Failure::Unreadable(format!(
            "`{side}` is neither a file nor `REV:path` (for example `origin/main:{SPEC}`)"
        )));
    };
    let output = Process::new("git")
        .arg("show")
        .arg(format!("{rev}:{file}"))
        .current_dir(root)
        .output()
        .map_err(|e| Failure::Unreadable(format!("cannot run git to read `{side}`: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Failure::Unreadable(format!(
            "git cannot read `{side}`: {}",
            stderr.trim()
        )));
    }
    Ok(output.stdout)
}
