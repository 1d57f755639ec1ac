//! Helpers shared by the integration tests: where the workspace and fixtures are, and how a
//! generated tree reads as one text.

// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ecosuite_generator::{Files, Options};

/// The command the `@generated` headers name, as the xtask passes it.
pub const COMMAND: &str = "cargo xtask generate";

/// The workspace root (the directory holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent directory")
        .to_path_buf()
}

/// `tests/fixtures/`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The fixture names (file stems of `tests/fixtures/*.yaml`), sorted.
pub fn fixture_names() -> Vec<String> {
    let dir = fixtures_dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut names: Vec<String> = entries
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures found in {}", dir.display());
    names
}

/// The published documents in `tests/fixtures/corpus/` (file names, sorted).
pub fn corpus_fixtures() -> Vec<String> {
    let dir = fixtures_dir().join("corpus");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".json"))
        .collect();
    files.sort();
    files
}

/// The options the xtask would pass for a fixture: the spec named by its workspace-relative path.
pub fn fixture_options(name: &str) -> Options {
    Options {
        spec_name: format!("tests/fixtures/{name}.yaml"),
        command: COMMAND.to_string(),
        ..Options::default()
    }
}

/// How `cargo xtask generate` generates the `ecosuite` crate (the drift test fails if this
/// and the xtask's differ): its credentials are the hand-written Cognito module's, sent on
/// every operation.
pub fn ecosuite_options() -> Options {
    Options {
        spec_name: "spec/ecosuite.yaml".to_string(),
        command: COMMAND.to_string(),
        auth: ecosuite_generator::AuthOptions {
            credentials_on_public_operations: true,
            hand_written_credentials: true,
        },
    }
}

/// Runs the generator on `tests/fixtures/<name>.yaml`, panicking with the generator's error.
pub fn generate_fixture(name: &str) -> Files {
    let path = fixtures_dir().join(format!("{name}.yaml"));
    let spec =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    ecosuite_generator::generate(&spec, &fixture_options(name))
        .unwrap_or_else(|e| panic!("generating from fixture {name}.yaml failed:\n{e}"))
}

/// All generated files in path order, each preceded by a `// ===== <path> =====` line (and a
/// blank line between files), so the text reads like the generated tree. Warnings, if any,
/// follow in a final section.
pub fn render_tree(files: &Files) -> String {
    let mut out = String::new();
    for (path, contents) in &files.files {
        if !out.is_empty() {
            out.push('\n');
        }
        writeln!(out, "// ===== {path} =====").unwrap();
        out.push_str(contents);
        if !contents.ends_with('\n') {
            out.push('\n');
        }
    }
    if !files.warnings.is_empty() {
        out.push_str("\n// ===== warnings (not a file) =====\n");
        for warning in &files.warnings {
            writeln!(out, "// {warning}").unwrap();
        }
    }
    out
}

/// Runs `cargo xtask generate --spec SPEC --out OUT --name NAME` from the workspace root: a
/// standalone crate, as a user of the generator makes one.
pub fn generate_standalone(spec: &str, out: &Path, name: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO"))
        .current_dir(workspace_root())
        .args(["run", "--quiet", "--package", "xtask", "--", "generate"])
        .args(["--spec", spec, "--name", name, "--out"])
        .arg(out)
        .output()
        .expect("cargo runs")
}

/// Starts a generated crate from the workspace's lock file, so it builds against the same
/// dependency versions as the checked-in client (cargo prunes what the crate does not use).
pub fn pin_dependencies(out_dir: &Path) {
    let lock = out_dir.join("Cargo.lock");
    let workspace_lock = workspace_root().join("Cargo.lock");
    if !lock.exists() && workspace_lock.exists() {
        std::fs::copy(&workspace_lock, &lock)
            .unwrap_or_else(|e| panic!("cannot copy Cargo.lock to {}: {e}", lock.display()));
    }
}

/// A failed command's report: what failed (`what`, then the step) with its status and output.
pub fn command_failure(what: &str, step: &str, output: &std::process::Output) -> String {
    format!(
        "{what}: `{step}` failed ({})\n--- stderr ---\n{}--- stdout ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout),
    )
}
