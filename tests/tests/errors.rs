//! Documents the generator cannot use, or can use only with a fallback: each gives a clear
//! error or warning naming the file, the JSON pointer and the line, snapshotted as text; and
//! a failed generation leaves what was on disk untouched.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use ecosuite_generator::{generate, Options};

fn error_fixtures() -> Vec<PathBuf> {
    let dir = common::fixtures_dir().join("errors");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
}

/// What a user sees: the error, or the warnings of a generation that went on.
fn outcome(path: &Path) -> String {
    let name = format!(
        "tests/fixtures/errors/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    let options = Options {
        spec_name: name,
        ..Options::default()
    };
    match generate(&std::fs::read(path).unwrap(), &options) {
        Err(error) => format!("error: {error}\n"),
        Ok(files) => {
            let mut text = format!(
                "generated {} operations, {} types\n",
                files.summary.operations, files.summary.types
            );
            for warning in &files.warnings {
                text.push_str(&format!("warning: {warning}\n"));
            }
            text
        }
    }
}

/// Documents named `warnings*` generate, with warnings; every other one is refused. Either
/// way each message names the file and a line.
#[test]
fn each_bad_document_gets_a_located_message() {
    for path in error_fixtures() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = outcome(&path);
        if stem.starts_with("warnings") || stem == "keywords" {
            assert!(
                text.starts_with("generated ") && text.contains("\nwarning: "),
                "{stem} must generate with warnings:\n{text}"
            );
        } else {
            assert!(
                text.starts_with("error: "),
                "{stem} must be refused:\n{text}"
            );
        }
        let file = format!(
            "tests/fixtures/errors/{}:",
            path.file_name().unwrap().to_string_lossy()
        );
        // The ledger's one line counting validation keywords is about the whole document.
        for message in text.lines().filter(|l| {
            !l.starts_with("generated ") && !l.contains("validation keywords are not checked")
        }) {
            let line = message
                .split_once(&file)
                .map(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next().unwrap());
            assert!(
                line.is_some_and(|line| !line.is_empty()),
                "{stem}: the message names no file and line: {message}"
            );
        }
        insta::assert_snapshot!(format!("error_{stem}"), text);
    }
}

#[test]
fn located_errors_name_line_and_pointer() {
    let dangling = outcome(&common::fixtures_dir().join("errors/dangling-ref.yaml"));
    assert!(
        dangling.contains("dangling-ref.yaml:13"),
        "line of the schema: {dangling}"
    );
    assert!(
        dangling.contains("#/paths/~1a/get/responses/200/content/application~1json/schema"),
        "{dangling}"
    );
    let malformed = outcome(&common::fixtures_dir().join("errors/malformed-yaml.yaml"));
    assert!(malformed.contains("malformed-yaml.yaml:"), "{malformed}");
}

/// The keyword ledger: the exact lines are in the `error_keywords` snapshot; here, that each
/// ignored keyword is one located warning (file, line and the keyword's pointer) and that the
/// counts `cargo xtask generate` prints agree with them.
#[test]
fn ignored_schema_keywords_are_each_reported_once_with_their_line() {
    let path = common::fixtures_dir().join("errors/keywords.yaml");
    let files = generate(&std::fs::read(&path).unwrap(), &Options::default()).unwrap();
    // `Nothing` is a lone `not`: the model warns about it (checked below), not the ledger.
    let located: Vec<String> = files
        .warnings
        .iter()
        .filter(|w| {
            w.location.pointer.starts_with("#/components/schemas/T")
                || w.location.pointer.starts_with("#/components/schemas/O")
        })
        .map(|w| {
            assert!(w.location.line.is_some(), "no line: {w}");
            let (_, keyword) = w.location.pointer.rsplit_once('/').unwrap();
            keyword.to_string()
        })
        .collect();
    assert_eq!(
        located,
        [
            "minProperties",
            "patternProperties",
            "propertys",
            "nullable",
            "const",
            "xml",
            "if",
            "writeOnly",
            "not",
            "discriminator",
            "dependentRequired",
            "unevaluatedProperties",
        ],
        "{:#?}",
        files.warnings
    );
    // `then` and `else` share the warning of their `if`, and count.
    assert_eq!(files.summary.ignored_keywords, located.len() + 2);
    let validation: Vec<&str> = files
        .warnings
        .iter()
        .filter(|w| w.location.pointer.is_empty())
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        validation,
        ["validation keywords are not checked by the client (values are sent and accepted as they are): maxLength ×2, maxItems ×1, minimum ×1, pattern ×1"]
    );
    assert_eq!(files.summary.unchecked_keywords, 5);
    // The lone `not` of `Nothing` gets the model's own warning, not the ledger's as well.
    let nothing: Vec<_> = files
        .warnings
        .iter()
        .filter(|w| {
            w.location
                .pointer
                .starts_with("#/components/schemas/Nothing")
        })
        .collect();
    assert_eq!(nothing.len(), 1, "{nothing:#?}");
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xtask", "--"])
        .args(args)
        .current_dir(common::workspace_root())
        .output()
        .expect("cargo runs")
}

fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_failed_generation_writes_nothing() {
    let out = common::workspace_root().join("target/errors-untouched");
    let _ = std::fs::remove_dir_all(&out);
    let out_arg = out.to_str().unwrap();
    let good = xtask(&[
        "generate",
        "--spec",
        "tests/fixtures/objects.yaml",
        "--out",
        out_arg,
        "--name",
        "untouched",
    ]);
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let before = snapshot_dir(&out);

    for bad in [
        "dangling-ref.yaml",
        "malformed-yaml.yaml",
        "openapi-32.yaml",
    ] {
        let spec = format!("tests/fixtures/errors/{bad}");
        let failed = xtask(&[
            "generate",
            "--spec",
            &spec,
            "--out",
            out_arg,
            "--name",
            "untouched",
        ]);
        assert_eq!(failed.status.code(), Some(1), "{bad}: spec errors exit 1");
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert!(
            stderr.contains(bad),
            "{bad}: the error names the file: {stderr}"
        );
        assert_eq!(
            snapshot_dir(&out),
            before,
            "{bad}: the earlier output is untouched"
        );
    }

    let missing = xtask(&[
        "generate",
        "--spec",
        "tests/fixtures/errors/no-such-file.yaml",
        "--out",
        out_arg,
        "--name",
        "untouched",
    ]);
    assert_eq!(missing.status.code(), Some(2), "I/O errors exit 2");
    assert_eq!(snapshot_dir(&out), before);
}
