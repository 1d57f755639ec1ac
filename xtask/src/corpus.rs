//! `cargo xtask corpus DIR`: generates a standalone crate for every OpenAPI document in DIR,
//! `cargo check`s each (one shared target directory, so dependencies compile once), and
//! prints a table and `N passed, M failed`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use ecosuite_generator::{generate, Options};

use crate::failure::Failure;
use crate::{fs, standalone};

#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub dir: PathBuf,
    /// Only documents whose file name contains this.
    pub only: Option<String>,
    /// Generate only; skip `cargo check`.
    pub no_check: bool,
}

struct Row {
    spec: String,
    operations: usize,
    types: usize,
    generation: Duration,
    warnings: usize,
    /// Schema keywords ignored, and validation keywords not checked (the keyword ledger).
    ignored_keywords: usize,
    unchecked_keywords: usize,
    /// `None` when everything passed; else the first error.
    error: Option<String>,
}

pub fn run(root: &Path, request: &Request) -> Result<(), Failure> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&request.dir)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", request.dir.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .filter(|path| match &request.only {
            Some(only) => path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains(only.as_str())),
            None => true,
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(Failure::Usage(format!(
            "no .yaml, .yml or .json files in {}",
            request.dir.display()
        )));
    }
    let crates_dir = root.join("target/corpus");
    let check_target = root.join("target/corpus-check");
    let lock = std::fs::read(root.join("Cargo.lock")).ok();

    let mut rows = Vec::new();
    for spec in &specs {
        let file = spec
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        errln!("corpus: {file}");
        rows.push(run_one(
            root,
            spec,
            &file,
            &crates_dir,
            &check_target,
            lock.as_deref(),
            request.no_check,
        ));
    }

    outln!("| spec | operations | types | generation | warnings | keywords ignored | validation unchecked | result | first error |");
    outln!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    for row in &rows {
        let (result, error) = match &row.error {
            None => ("pass", String::new()),
            Some(error) => ("FAIL", error.replace('|', "\\|")),
        };
        outln!(
            "| {} | {} | {} | {:.0} ms | {} | {} | {} | {result} | {error} |",
            row.spec,
            row.operations,
            row.types,
            row.generation.as_secs_f64() * 1000.0,
            row.warnings,
            row.ignored_keywords,
            row.unchecked_keywords
        );
    }
    let failed = rows.iter().filter(|r| r.error.is_some()).count();
    outln!("\n{} passed, {failed} failed", rows.len() - failed);
    if failed > 0 {
        return Err(Failure::Spec(format!(
            "{failed} of {} documents failed",
            rows.len()
        )));
    }
    Ok(())
}

fn run_one(
    root: &Path,
    spec: &Path,
    file: &str,
    crates_dir: &Path,
    check_target: &Path,
    lock: Option<&[u8]>,
    no_check: bool,
) -> Row {
    let mut row = Row {
        spec: file.to_string(),
        operations: 0,
        types: 0,
        generation: Duration::ZERO,
        warnings: 0,
        ignored_keywords: 0,
        unchecked_keywords: 0,
        error: None,
    };
    let bytes = match fs::read(spec) {
        Ok(bytes) => bytes,
        Err(e) => {
            row.error = Some(e.to_string());
            return row;
        }
    };
    let options = Options {
        spec_name: file.to_string(),
        command: format!("cargo xtask corpus ({file})"),

        ..Options::default()
    };
    let started = Instant::now();
    let generated = generate(&bytes, &options);
    row.generation = started.elapsed();
    let files = match generated {
        Ok(files) => files,
        Err(e) => {
            row.error = Some(format!("generation: {e}"));
            return row;
        }
    };
    row.operations = files.summary.operations;
    row.types = files.summary.types;
    row.warnings = files.warnings.len();
    row.ignored_keywords = files.summary.ignored_keywords;
    row.unchecked_keywords = files.summary.unchecked_keywords;
    if no_check {
        return row;
    }

    let name = standalone::crate_name_for("corpus_", file);
    let out = crates_dir.join(&name);
    let written = standalone::crate_tree(root, &name, file, files.files).and_then(|mut tree| {
        // The workspace's lock file pins the same dependency versions as the client, so the
        // shared target directory is reused and nothing needs the network.
        if let Some(lock) = lock {
            tree.insert("Cargo.lock".into(), lock.to_vec());
        }
        let _ = std::fs::remove_dir_all(&out);
        fs::replace_dir(&out, &tree, &[]).map_err(Failure::from)
    });
    if let Err(e) = written {
        row.error = Some(format!("writing the crate: {e}"));
        return row;
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--quiet",
            "--message-format",
            "short",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", check_target)
        .output();
    match output {
        Err(e) => row.error = Some(format!("cannot run cargo: {e}")),
        Ok(output) if !output.status.success() => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr
                .lines()
                .find(|l| l.contains("error"))
                .unwrap_or("cargo check failed")
                .replace(&format!("{}/", out.display()), "");
            row.error = Some(format!("cargo check: {first}"));
        }
        Ok(_) => {}
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_valid() {
        assert_eq!(
            standalone::crate_name_for("corpus_", "github-rest-api--api.github.com.json"),
            "corpus_github_rest_api_api_github_com"
        );
        assert_eq!(standalone::crate_name_for("corpus_", "x.yaml"), "corpus_x");
    }
}
