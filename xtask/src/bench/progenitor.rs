//! Compile cost of our crate beside progenitor's crate for the same document, measured in one
//! run, alternately, so the ratios hold on a machine whose speed varies from run to run.
//!
//! Runs when `cargo progenitor` is installed (`cargo install --locked cargo-progenitor`).
//! progenitor refuses an operation without an `operationId`, so it reads a copy of the document
//! with those filled in by the names our generator gives them (`import_finance_project`);
//! nothing else changes.

use std::path::Path;
use std::process::Command;

use super::compile::{Mode, Workspace};
use super::table::{self, Table};
use crate::failure::Failure;
use crate::fs;

const SPEC: &str = "spec/ecosuite.yaml";
const CRATE: &str = "ecosuite-progenitor";

/// Whether `cargo progenitor` runs here.
pub fn installed() -> bool {
    Command::new(super::cargo())
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The table, or why it could not be made.
pub fn table(root: &Path, runs: usize) -> Result<Table, Failure> {
    let ours = Workspace::create(root)?;
    let theirs = progenitor_workspace(root)?;
    let (our_lines, _) = super::compile::lines(&root.join("generated-client/src/generated"))?;
    let (their_lines, _) = super::compile::lines(&theirs.crate_dir().join("src"))?;

    let mut table = Table::new(
        "Compile cost beside progenitor (same document, same run)",
        &[
            ("measure", false),
            ("`ecosuite`", true),
            ("progenitor", true),
            ("ours / progenitor", true),
        ],
    );
    table.row(vec![
        "generated code".into(),
        format!("{} lines", table::count(our_lines)),
        format!("{} lines", table::count(their_lines)),
        format!("{:.2}x", our_lines as f64 / their_lines as f64),
    ]);
    for mode in [
        Mode::CheckIncremental,
        Mode::Check,
        Mode::Release,
        Mode::ReleaseWithRuntime,
    ] {
        errln!("bench: beside progenitor: {}", mode.describe());
        let (a, b) = Workspace::measure_alternately(&ours, &theirs, mode, runs)?;
        table.row(vec![
            mode.describe().into(),
            table::duration(a),
            table::duration(b),
            format!("{:.2}x", a / b),
        ]);
    }
    table.note(format!(
        "Wall time of the child `cargo` process, median of {runs} runs each, the two crates \
         built in turn, dependencies already built. progenitor's crate is the output of {} \
         for `{SPEC}` (positional interface, progenitor-client as a dependency) in \
         `target/bench/progenitor/`, with the same profiles as ours. The last row also \
         builds progenitor-client again (`cargo clean --release -p progenitor-client` before \
         each run): our runtime is in our crate, so the rows before it count ours and not \
         theirs.",
        progenitor_version()
    ));
    Ok(table)
}

/// `cargo-progenitor v0.15.1`, from `cargo install --list` (the tool has no `--version`).
fn progenitor_version() -> String {
    Command::new(super::cargo())
        .args(["install", "--list"])
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find(|line| line.starts_with("cargo-progenitor v"))
                .map(|line| line.trim_end_matches(':').to_string())
        })
        .unwrap_or_else(|| "cargo-progenitor, version unknown".into())
}

/// Generates progenitor's crate under `target/bench/progenitor/` (again only when the document
/// changed) in a workspace with our profiles.
fn progenitor_workspace(root: &Path) -> Result<Workspace, Failure> {
    let dir = root.join("target/bench/progenitor");
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))?;
    let input = dir.join("ecosuite.yaml");
    let document = with_operation_ids(root)?;
    let changed = std::fs::read_to_string(&input).ok().as_deref() != Some(document.as_str());
    if changed || !dir.join(CRATE).join("src/lib.rs").exists() {
        std::fs::write(&input, &document)
            .map_err(|e| Failure::Io(format!("cannot write {}: {e}", input.display())))?;
        let _ = std::fs::remove_dir_all(dir.join(CRATE));
        let output = Command::new(super::cargo())
            .args(["progenitor", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(dir.join(CRATE))
            .args(["--name", CRATE, "--version", "0.1.0"])
            .output()
            .map_err(|e| Failure::Io(format!("cannot run cargo progenitor: {e}")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().next().unwrap_or("no message");
            return Err(Failure::Io(format!("cargo progenitor failed: {first}")));
        }
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| Failure::Io(format!("cannot read Cargo.toml: {e}")))?;
    let profiles = manifest
        .find("\n[profile")
        .map_or("", |start| &manifest[start..]);
    let workspace_manifest =
        format!("[workspace]\nresolver = \"3\"\nmembers = [\"{CRATE}\"]\n{profiles}");
    super::compile::write_if_changed(&dir.join("Cargo.toml"), workspace_manifest.as_bytes())?;
    Ok(Workspace::existing(
        dir,
        CRATE,
        "src/lib.rs",
        Some("progenitor-client"),
    ))
}

/// `spec/ecosuite.yaml` with an `operationId` on every operation: the generator's own name
/// where the document gives none.
fn with_operation_ids(root: &Path) -> Result<String, Failure> {
    let path = root.join(SPEC);
    let bytes = fs::read(&path)?;
    let api = ecosuite_generator::build_model(&bytes, &ecosuite_generator::Options::default())
        .map_err(|e| Failure::Spec(e.to_string()))?;
    let mut document: serde_yaml::Value = serde_yaml::from_slice(&bytes)
        .map_err(|e| Failure::Spec(format!("{}: {e}", path.display())))?;
    for op in api.operations.iter().filter(|op| op.operation_id_derived) {
        let method = op.http_method.to_ascii_lowercase();
        if let Some(operation) = document
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(op.path.as_str()))
            .and_then(|item| item.get_mut(method.as_str()))
            .and_then(serde_yaml::Value::as_mapping_mut)
        {
            operation.insert("operationId".into(), op.operation_id.clone().into());
        }
    }
    serde_yaml::to_string(&document).map_err(|e| Failure::Io(e.to_string()))
}
