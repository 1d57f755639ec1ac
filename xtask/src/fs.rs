//! File trees in memory, read from disk and written back as one all-or-nothing directory swap.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A directory's files: `/`-separated paths relative to its root -> contents.
pub use ecosuite_generator::freshness::Tree;

/// An I/O failure, naming what was being done and to which path.
#[derive(Debug)]
pub struct FsError {
    pub action: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

impl FsError {
    pub fn new(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        FsError {
            action,
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not {} {}: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for FsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

pub fn read(path: &Path) -> Result<Vec<u8>, FsError> {
    fs::read(path).map_err(|e| FsError::new("read", path, e))
}

/// Reads every file under `dir`, recursively.
pub fn read_tree(dir: &Path) -> Result<Tree, FsError> {
    let mut tree = Tree::new();
    read_tree_into(dir, "", &mut tree)?;
    Ok(tree)
}

/// Like [`read_tree`], but a missing `dir` reads as empty: "nothing generated yet" is a state
/// to report as drift, not an error.
pub fn read_tree_or_empty(dir: &Path) -> Result<Tree, FsError> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Tree::new()),
        Err(e) => Err(FsError::new("read", dir, e)),
        Ok(_) => read_tree(dir),
    }
}

fn read_tree_into(dir: &Path, prefix: &str, tree: &mut Tree) -> Result<(), FsError> {
    let entries = fs::read_dir(dir).map_err(|e| FsError::new("list", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| FsError::new("list", dir, e))?;
        let path = entry.path();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let file_type = entry
            .file_type()
            .map_err(|e| FsError::new("inspect", &path, e))?;
        if file_type.is_dir() {
            read_tree_into(&path, &format!("{name}/"), tree)?;
        } else {
            tree.insert(name, read(&path)?);
        }
    }
    Ok(())
}

/// Replaces the directory `target` with one holding exactly `files`, all or nothing.
///
/// Everything is written into a fresh sibling directory first; only when that has fully
/// succeeded is the old directory renamed away and the new one renamed in. Two renames rather
/// than one because no platform renames a directory over a non-empty one. On any error before
/// the swap the sibling is removed and `target` is left exactly as it was.
///
/// Top-level entries of the old directory named in `keep` (say a build's `target/`) are moved
/// into the new one rather than deleted, unless `files` provides that name itself.
pub fn replace_dir(target: &Path, files: &Tree, keep: &[&str]) -> Result<(), FsError> {
    let (parent, name) = split(target)?;
    // Always address the target as parent/name, so a spelling like `out/.` cannot confuse rename.
    let target = parent.join(&name);
    fs::create_dir_all(&parent).map_err(|e| FsError::new("create directory", &parent, e))?;

    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.tmp-{pid}"));
    let retired = parent.join(format!(".{name}.old-{pid}"));
    // A leftover with our pid can only come from an earlier run that crashed; it is ours to clear.
    remove_if_exists(&staging)?;
    remove_if_exists(&retired)?;

    let existed = match fs::symlink_metadata(&target) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => {
            let error = io::Error::new(
                io::ErrorKind::AlreadyExists,
                "it exists and is not a directory",
            );
            return Err(FsError::new("replace", &target, error));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(FsError::new("inspect", &target, e)),
    };

    if let Err(error) = write_tree(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }

    let carried = if existed {
        match carry_over(&target, &staging, keep, files) {
            Ok(carried) => carried,
            Err((carried, error)) => {
                move_back(&staging, &target, &carried);
                let _ = fs::remove_dir_all(&staging);
                return Err(error);
            }
        }
    } else {
        Vec::new()
    };

    if existed {
        if let Err(e) = fs::rename(&target, &retired) {
            move_back(&staging, &target, &carried);
            let _ = fs::remove_dir_all(&staging);
            return Err(FsError::new("move aside", &target, e));
        }
    }
    if let Err(e) = fs::rename(&staging, &target) {
        if existed && fs::rename(&retired, &target).is_ok() {
            move_back(&staging, &target, &carried);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(FsError::new("move into place", &staging, e));
    }

    if existed {
        // The new tree is already in place, so a leftover old copy is untidy but not a failure.
        if let Err(e) = fs::remove_dir_all(&retired) {
            errln!(
                "warning: {}",
                FsError::new("remove old directory", &retired, e)
            );
        }
    }
    Ok(())
}

fn split(target: &Path) -> Result<(PathBuf, String), FsError> {
    let Some(name) = target.file_name() else {
        let error = io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not end in a directory name",
        );
        return Err(FsError::new("write to", target, error));
    };
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name.to_string_lossy().into_owned()))
}

fn remove_if_exists(dir: &Path) -> Result<(), FsError> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(FsError::new("remove", dir, e)),
        _ => Ok(()),
    }
}

fn write_tree(root: &Path, files: &Tree) -> Result<(), FsError> {
    fs::create_dir(root).map_err(|e| FsError::new("create directory", root, e))?;
    for (relative, contents) in files {
        let path = root.join(relative);
        if !is_plain_relative(relative) {
            // Guards against writing outside `root`, whatever a caller's map contains.
            let error = io::Error::new(io::ErrorKind::InvalidInput, "not a plain relative path");
            return Err(FsError::new("write", path, error));
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| FsError::new("create directory", dir, e))?;
        }
        fs::write(&path, contents).map_err(|e| FsError::new("write", &path, e))?;
    }
    Ok(())
}

fn is_plain_relative(path: &str) -> bool {
    path.split('/')
        .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', '\0']))
}

/// Moves the `keep` entries of `from` into `to`; on failure returns what was already moved.
fn carry_over(
    from: &Path,
    to: &Path,
    keep: &[&str],
    files: &Tree,
) -> Result<Vec<String>, (Vec<String>, FsError)> {
    let mut carried = Vec::new();
    for &name in keep {
        let provided = files
            .keys()
            .any(|path| path.split('/').next() == Some(name));
        let source = from.join(name);
        if provided || fs::symlink_metadata(&source).is_err() {
            continue;
        }
        if let Err(e) = fs::rename(&source, to.join(name)) {
            return Err((carried, FsError::new("move", source, e)));
        }
        carried.push(name.to_string());
    }
    Ok(carried)
}

/// Best effort undo of [`carry_over`], used only on a path that already reports an error.
fn move_back(from: &Path, to: &Path, carried: &[String]) {
    for name in carried {
        let _ = fs::rename(from.join(name), to.join(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory unique to one test, removed when the test ends.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(test: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!("xtask-fs-{}-{test}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn tree(entries: &[(&str, &str)]) -> Tree {
        entries
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn creates_a_missing_directory() {
        let scratch = Scratch::new("create");
        let target = scratch.0.join("nested/out");
        replace_dir(&target, &tree(&[("mod.rs", "a"), ("types/x.rs", "b")]), &[]).unwrap();
        assert_eq!(
            read_tree(&target).unwrap(),
            tree(&[("mod.rs", "a"), ("types/x.rs", "b")])
        );
        assert_eq!(entries(&scratch.0.join("nested")), ["out"]);
    }

    #[test]
    fn replaces_everything_and_leaves_no_siblings() {
        let scratch = Scratch::new("replace");
        let target = scratch.0.join("generated");
        replace_dir(&target, &tree(&[("old.rs", "old"), ("mod.rs", "1")]), &[]).unwrap();
        replace_dir(
            &target,
            &tree(&[("mod.rs", "2"), ("new/deep.rs", "n")]),
            &[],
        )
        .unwrap();
        assert_eq!(
            read_tree(&target).unwrap(),
            tree(&[("mod.rs", "2"), ("new/deep.rs", "n")])
        );
        assert_eq!(entries(&scratch.0), ["generated"]);
    }

    #[test]
    fn failure_before_the_swap_keeps_the_old_directory() {
        let scratch = Scratch::new("failure");
        let target = scratch.0.join("generated");
        let old = tree(&[("mod.rs", "old"), ("types/a.rs", "a")]);
        replace_dir(&target, &old, &[]).unwrap();
        // `a` as a file and as a directory cannot both be written: fails halfway through.
        let conflicting = tree(&[("a", "file"), ("a/b.rs", "under a file"), ("mod.rs", "new")]);
        let error = replace_dir(&target, &conflicting, &[]).unwrap_err();
        assert!(error.to_string().contains("could not"), "{error}");
        assert_eq!(read_tree(&target).unwrap(), old);
        assert_eq!(entries(&scratch.0), ["generated"]);
    }

    #[test]
    fn rejects_paths_that_escape_the_directory() {
        let scratch = Scratch::new("escape");
        let target = scratch.0.join("generated");
        replace_dir(&target, &tree(&[("mod.rs", "old")]), &[]).unwrap();
        for bad in ["../evil.rs", "/abs.rs", "a//b.rs", "./x.rs", ""] {
            let error = replace_dir(&target, &tree(&[(bad, "x")]), &[]).unwrap_err();
            assert!(
                error.to_string().contains("not a plain relative path"),
                "{bad}: {error}"
            );
        }
        assert_eq!(read_tree(&target).unwrap(), tree(&[("mod.rs", "old")]));
        assert_eq!(entries(&scratch.0), ["generated"]);
    }

    #[test]
    fn refuses_to_replace_a_file() {
        let scratch = Scratch::new("file");
        let target = scratch.0.join("out");
        fs::write(&target, "precious").unwrap();
        let error = replace_dir(&target, &tree(&[("mod.rs", "x")]), &[]).unwrap_err();
        assert!(error.to_string().contains("not a directory"), "{error}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "precious");
        assert_eq!(entries(&scratch.0), ["out"]);
    }

    #[test]
    fn keeps_named_entries_of_the_old_directory() {
        let scratch = Scratch::new("keep");
        let target = scratch.0.join("crate");
        replace_dir(
            &target,
            &tree(&[("Cargo.toml", "1"), ("src/lib.rs", "1")]),
            &[],
        )
        .unwrap();
        fs::create_dir_all(target.join("target/debug")).unwrap();
        fs::write(target.join("target/debug/artifact"), "built").unwrap();
        fs::write(target.join("stray.txt"), "gone").unwrap();
        replace_dir(
            &target,
            &tree(&[("Cargo.toml", "2")]),
            &["target", "Cargo.lock"],
        )
        .unwrap();
        assert_eq!(
            read_tree(&target).unwrap(),
            tree(&[("Cargo.toml", "2"), ("target/debug/artifact", "built")])
        );
    }

    #[test]
    fn a_missing_directory_reads_as_empty() {
        let scratch = Scratch::new("missing");
        assert!(read_tree_or_empty(&scratch.0.join("nope"))
            .unwrap()
            .is_empty());
        assert!(read_tree(&scratch.0.join("nope")).is_err());
    }
}
