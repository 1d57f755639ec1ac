//! Freshness of checked-in generated code, checked in one place for `cargo xtask check` and
//! the drift test: compare what the generator makes with what is on disk and, when they
//! differ, say which files, show the start of the diff, and say how to fix it (the pattern of
//! rust-analyzer's `ensure_file_contents`).
//!
//! The only module of the library that reads files: the generator itself stays pure.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use similar::TextDiff;

/// Files by `/`-separated path relative to the directory they belong in.
pub type Tree = BTreeMap<String, Vec<u8>>;

/// How much of the diff a stale report shows: the first hunk usually tells the story, and the
/// hint that fixes it must not be buried under thousands of lines.
pub const MAX_DIFF_LINES: usize = 40;

/// Whether the directory `root/dir` holds exactly `expected` (what the generator makes for
/// it). `Ok(None)` when it does; `Ok(Some(report))` when not, the report naming every file
/// that differs, is missing or is no longer generated, then the start of a unified diff
/// (disk -> generated), then `run `{command}` to update it`. A missing directory is stale,
/// not an error; `Err` is a directory or file that cannot be read.
pub fn check(root: &Path, dir: &str, expected: &Tree, command: &str) -> io::Result<Option<String>> {
    let actual = read_tree_or_empty(&root.join(dir))?;
    let drift = compare(expected, &actual);
    if drift.is_empty() {
        return Ok(None);
    }
    let mut report = report(&drift, expected, &actual, dir, MAX_DIFF_LINES);
    let _ = writeln!(report, "run `{command}` to update {dir}");
    Ok(Some(report))
}

/// [`Tree`] of generated text files.
pub fn text_tree(files: BTreeMap<String, String>) -> Tree {
    files
        .into_iter()
        .map(|(path, contents)| (path, contents.into_bytes()))
        .collect()
}

/// Every file under `dir`, by `/`-separated path relative to it; a missing `dir` reads as
/// empty ("nothing generated yet" is drift, not an error). Errors name the path.
pub fn read_tree_or_empty(dir: &Path) -> io::Result<Tree> {
    let mut tree = Tree::new();
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(located("read", dir, e)),
        Ok(_) => read_tree_into(dir, "", &mut tree)?,
    }
    Ok(tree)
}

fn read_tree_into(dir: &Path, prefix: &str, tree: &mut Tree) -> io::Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| located("list", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| located("list", dir, e))?;
        let path = entry.path();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let file_type = entry
            .file_type()
            .map_err(|e| located("inspect", &path, e))?;
        if file_type.is_dir() {
            read_tree_into(&path, &format!("{name}/"), tree)?;
        } else {
            let contents = std::fs::read(&path).map_err(|e| located("read", &path, e))?;
            tree.insert(name, contents);
        }
    }
    Ok(())
}

fn located(action: &str, path: &Path, error: io::Error) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("could not {action} {}: {error}", path.display()),
    )
}

/// How the files on disk differ from the expected ones; paths relative to the compared directory.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// On disk, but with other contents.
    pub changed: Vec<String>,
    /// Expected, but not on disk.
    pub missing: Vec<String>,
    /// On disk, but no longer expected.
    pub extra: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    pub fn len(&self) -> usize {
        self.changed.len() + self.missing.len() + self.extra.len()
    }
}

/// Compares `expected` (what would be written) with `actual` (what is there); sorted like the trees.
pub fn compare(expected: &Tree, actual: &Tree) -> Drift {
    let mut drift = Drift::default();
    for (path, contents) in expected {
        match actual.get(path) {
            None => drift.missing.push(path.clone()),
            Some(on_disk) if on_disk != contents => drift.changed.push(path.clone()),
            Some(_) => {}
        }
    }
    drift.extra = actual
        .keys()
        .filter(|path| !expected.contains_key(*path))
        .cloned()
        .collect();
    drift
}

/// Explains `drift` for a person: which files differ, then the start of a unified diff
/// (disk -> expected) cut after `max_diff_lines` lines, since the first hunk usually tells
/// the story and a full diff of a regenerated client can run to thousands of lines.
///
/// `dir` is how the compared directory is named in the output.
pub fn report(
    drift: &Drift,
    expected: &Tree,
    actual: &Tree,
    dir: &str,
    max_diff_lines: usize,
) -> String {
    let mut out = String::new();
    let count = drift.len();
    let noun = if count == 1 {
        "file differs"
    } else {
        "files differ"
    };
    let _ = writeln!(
        out,
        "{dir} is stale: {count} {noun} from what the generator makes"
    );
    for path in &drift.changed {
        let _ = writeln!(out, "  changed  {path}");
    }
    for path in &drift.missing {
        let _ = writeln!(out, "  missing  {path} (would be created)");
    }
    for path in &drift.extra {
        let _ = writeln!(out, "  extra    {path} (no longer generated)");
    }

    let mut paths: Vec<&String> = drift
        .changed
        .iter()
        .chain(&drift.missing)
        .chain(&drift.extra)
        .collect();
    paths.sort();
    let mut diff = String::new();
    for path in paths {
        let old = text(actual.get(path));
        let new = text(expected.get(path));
        let on_disk = format!("{dir}/{path} (on disk)");
        let generated = format!("{dir}/{path} (generated)");
        let text_diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
        let _ = write!(
            diff,
            "{}",
            text_diff
                .unified_diff()
                .context_radius(3)
                .header(&on_disk, &generated)
        );
    }

    let lines: Vec<&str> = diff.lines().collect();
    if !lines.is_empty() {
        out.push('\n');
        for line in lines.iter().take(max_diff_lines) {
            let _ = writeln!(out, "{line}");
        }
        if lines.len() > max_diff_lines {
            let _ = writeln!(
                out,
                "... ({} more diff lines)",
                lines.len() - max_diff_lines
            );
        }
    }
    out
}

/// Files are compared as bytes, but shown as text: a file that is not UTF-8 still gets a diff.
fn text(contents: Option<&Vec<u8>>) -> std::borrow::Cow<'_, str> {
    match contents {
        Some(bytes) => String::from_utf8_lossy(bytes),
        None => std::borrow::Cow::Borrowed(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, &str)]) -> Tree {
        entries
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn identical_trees_do_not_drift() {
        let files = tree(&[("mod.rs", "a\n"), ("types/x.rs", "b\n")]);
        assert!(compare(&files, &files.clone()).is_empty());
    }

    #[test]
    fn finds_changed_missing_and_extra_files() {
        let expected = tree(&[("mod.rs", "a\n"), ("new.rs", "n\n"), ("same.rs", "s\n")]);
        let actual = tree(&[("mod.rs", "b\n"), ("old.rs", "o\n"), ("same.rs", "s\n")]);
        let drift = compare(&expected, &actual);
        assert_eq!(
            drift,
            Drift {
                changed: vec!["mod.rs".into()],
                missing: vec!["new.rs".into()],
                extra: vec!["old.rs".into()]
            }
        );
        let report = report(&drift, &expected, &actual, "gen", 40);
        assert!(
            report.starts_with("gen is stale: 3 files differ"),
            "{report}"
        );
        assert!(report.contains("  changed  mod.rs\n"), "{report}");
        assert!(
            report.contains("  missing  new.rs (would be created)\n"),
            "{report}"
        );
        assert!(
            report.contains("  extra    old.rs (no longer generated)\n"),
            "{report}"
        );
        assert!(
            report.contains("--- gen/mod.rs (on disk)\n+++ gen/mod.rs (generated)\n"),
            "{report}"
        );
        assert!(report.contains("\n-b\n+a\n"), "{report}");
    }

    #[test]
    fn cuts_the_diff_short() {
        let expected = tree(&[("big.rs", &"new\n".repeat(100))]);
        let actual = tree(&[("big.rs", &"old\n".repeat(100))]);
        let report = report(&compare(&expected, &actual), &expected, &actual, "gen", 10);
        let diff_lines = report
            .lines()
            .skip_while(|line| !line.starts_with("---"))
            .count();
        assert_eq!(diff_lines, 11, "{report}");
        assert!(report.ends_with("... (193 more diff lines)\n"), "{report}");
    }

    #[test]
    fn check_reads_the_directory_and_says_how_to_fix_it() {
        let root = std::env::temp_dir().join(format!("freshness-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("gen/types")).unwrap();
        std::fs::write(root.join("gen/mod.rs"), "a\n").unwrap();
        std::fs::write(root.join("gen/types/x.rs"), "old\n").unwrap();

        let fresh = tree(&[("mod.rs", "a\n"), ("types/x.rs", "old\n")]);
        assert_eq!(
            check(&root, "gen", &fresh, "cargo xtask generate").unwrap(),
            None
        );

        let expected = tree(&[("mod.rs", "a\n"), ("types/x.rs", "new\n")]);
        let report = check(&root, "gen", &expected, "cargo xtask generate")
            .unwrap()
            .expect("stale");
        assert!(
            report.starts_with("gen is stale: 1 file differs"),
            "{report}"
        );
        assert!(report.contains("  changed  types/x.rs\n"), "{report}");
        assert!(report.contains("\n-old\n+new\n"), "{report}");
        assert!(
            report.ends_with("run `cargo xtask generate` to update gen\n"),
            "{report}"
        );

        // Nothing generated yet: every file is missing, which is drift, not an error.
        let report = check(&root, "absent", &expected, "x")
            .unwrap()
            .expect("stale");
        assert!(
            report.contains("  missing  mod.rs (would be created)"),
            "{report}"
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
