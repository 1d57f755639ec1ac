//! Which workspace a command acts on, found when the command runs.
//!
//! Not from `env!("CARGO_MANIFEST_DIR")`, which is fixed when the xtask is compiled: with a
//! target directory shared by two checkouts, cargo may run the binary built in the other
//! checkout, which would then read and write that checkout. At run time, `cargo run` (and so
//! `cargo xtask`) tells the binary which package it runs in the `CARGO_MANIFEST_DIR`
//! environment variable; without it (the binary started by hand), the search starts in the
//! current directory.

use std::path::{Path, PathBuf};

use crate::failure::Failure;

/// The workspace root this run acts on: from the package directory cargo names at run time
/// (else the current directory) upwards, the first directory whose `Cargo.toml` has a
/// `[workspace]` table and which holds `xtask/Cargo.toml`.
pub fn root() -> Result<PathBuf, Failure> {
    let current = std::env::current_dir()
        .map_err(|e| Failure::Io(format!("cannot read the current directory: {e}")))?;
    let start = match std::env::var_os("CARGO_MANIFEST_DIR") {
        // Relative only if someone set it so by hand: then it means from here.
        Some(dir) if !dir.is_empty() => current.join(dir),
        _ => current,
    };
    find_root(&start).ok_or_else(|| {
        Failure::Io(format!(
            "no workspace with an xtask found in {} or above it: run `cargo xtask` inside the \
             repository",
            start.display()
        ))
    })
}

/// From `start` upwards, the first directory that is the root of a workspace with an xtask.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_workspace_with_xtask(dir))
        .map(Path::to_path_buf)
}

/// Whether `dir/Cargo.toml` declares a workspace (a `[workspace]` or `[workspace.*]` table) and
/// `dir/xtask/Cargo.toml` exists.
fn is_workspace_with_xtask(dir: &Path) -> bool {
    if !dir.join("xtask/Cargo.toml").is_file() {
        return false;
    }
    let Ok(manifest) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
        return false;
    };
    manifest.lines().any(|line| {
        let line = line.trim();
        line == "[workspace]" || line.starts_with("[workspace.")
    })
}

/// `root` as the one line on stderr that says which checkout a run acts on.
pub fn describe(root: &Path) -> String {
    format!("xtask: workspace {}", root.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory tree for one test, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(test: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("xtask-workspace-{}-{test}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn write(&self, path: &str, contents: &str) -> PathBuf {
            let path = self.0.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, contents).unwrap();
            path
        }

        fn dir(&self, path: &str) -> PathBuf {
            let path = self.0.join(path);
            std::fs::create_dir_all(&path).unwrap();
            path
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const WORKSPACE: &str = "[workspace]\nmembers = [\"xtask\", \"cli\"]\n";
    const PACKAGE: &str = "[package]\nname = \"x\"\n";

    #[test]
    fn found_from_the_root_and_from_any_directory_below_it() {
        let scratch = Scratch::new("below");
        scratch.write("repo/Cargo.toml", WORKSPACE);
        scratch.write("repo/xtask/Cargo.toml", PACKAGE);
        scratch.write("repo/cli/Cargo.toml", PACKAGE);
        let root = scratch.0.join("repo");
        for start in ["repo", "repo/xtask", "repo/cli/src/generated"] {
            assert_eq!(
                find_root(&scratch.dir(start)),
                Some(root.clone()),
                "{start}"
            );
        }
    }

    #[test]
    fn the_nearest_workspace_with_an_xtask_wins() {
        let scratch = Scratch::new("nearest");
        // A checkout inside another (a worktree under the main checkout): each is its own.
        scratch.write("main/Cargo.toml", WORKSPACE);
        scratch.write("main/xtask/Cargo.toml", PACKAGE);
        scratch.write(
            "main/wt/Cargo.toml",
            "[workspace.package]\nedition = \"2021\"\n",
        );
        scratch.write("main/wt/xtask/Cargo.toml", PACKAGE);
        assert_eq!(
            find_root(&scratch.dir("main/wt/xtask/src")),
            Some(scratch.0.join("main/wt"))
        );
        assert_eq!(
            find_root(&scratch.dir("main/xtask")),
            Some(scratch.0.join("main"))
        );
    }

    #[test]
    fn packages_and_workspaces_without_an_xtask_are_passed_over() {
        let scratch = Scratch::new("passed-over");
        scratch.write("repo/Cargo.toml", WORKSPACE);
        scratch.write("repo/xtask/Cargo.toml", PACKAGE);
        // A package with an `xtask` directory, not a workspace (a standalone crate's output).
        scratch.write("repo/out/Cargo.toml", PACKAGE);
        scratch.write("repo/out/xtask/Cargo.toml", PACKAGE);
        // A workspace without an xtask.
        scratch.write("repo/other/Cargo.toml", WORKSPACE);
        let root = scratch.0.join("repo");
        assert_eq!(find_root(&scratch.dir("repo/out/src")), Some(root.clone()));
        assert_eq!(find_root(&scratch.dir("repo/other/x")), Some(root));
    }

    #[test]
    fn nothing_outside_a_workspace() {
        let scratch = Scratch::new("outside");
        scratch.write("loose/Cargo.toml", PACKAGE);
        let start = scratch.dir("loose/src");
        // The temporary directory's own ancestors hold no workspace with an xtask.
        assert_eq!(find_root(&start), None);
    }

    #[test]
    fn this_run_acts_on_this_checkout() {
        // `cargo test` runs the tests in the xtask's package directory, as `cargo xtask` does
        // through `CARGO_MANIFEST_DIR`: the root is the checkout these sources are in.
        let root = root().unwrap();
        assert!(root.join("Cargo.toml").is_file());
        assert!(root.join("xtask/src/workspace.rs").is_file());
        assert_eq!(
            std::fs::read_to_string(root.join("xtask/src/workspace.rs")).unwrap(),
            include_str!("workspace.rs"),
            "the root found is the checkout this binary was built from"
        );
        assert_eq!(
            describe(Path::new("repo")),
            format!("xtask: workspace {}", Path::new("repo").display())
        );
    }
}
