//! Compile cost of the generated crate: lines, `cargo check` and `cargo build --release` of a
//! copy of `ecosuite` after a touch, and (with `--breakdown`) which generated constructs cost
//! the most, by building variants of the copy with parts taken out.
//!
//! The copy lives in `target/bench/compile/` with its own target directory: touching and
//! editing it cannot disturb anyone building the real workspace, and the first run compiles
//! the dependencies once for all later runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use super::table::{self, median, Table};
use crate::failure::Failure;
use crate::fs::{self, Tree};

const CLIENT: &str = "generated-client";

/// A workspace of one crate to build and touch: a copy of ours, or progenitor's crate.
pub struct Workspace {
    dir: PathBuf,
    target: PathBuf,
    crate_tree: Tree,
    /// The package cargo builds (`-p`) and its directory in `dir`.
    package: &'static str,
    crate_dir: &'static str,
    /// The file touched to make cargo compile the crate again, relative to its directory.
    touched: &'static str,
    /// Ours builds `--offline` from the workspace's lock file; progenitor's resolves its own
    /// dependencies on its first build.
    offline: bool,
    /// A separate crate the generated code needs (progenitor's `progenitor-client`), which
    /// [`Mode::ReleaseWithRuntime`] builds again each time. Ours is in the crate.
    runtime: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `cargo check` with incremental compilation, as when working in this repository.
    CheckIncremental,
    /// `cargo check` without it: what a crate that depends on `ecosuite` pays.
    Check,
    Release,
    /// `cargo build --release` of the crate and of its runtime when that is a crate of its own:
    /// what a clean build pays for a generator's output.
    ReleaseWithRuntime,
}

impl Mode {
    pub fn describe(self) -> &'static str {
        match self {
            Mode::CheckIncremental => "`cargo check` after a touch (incremental)",
            Mode::Check => "`cargo check`, non-incremental (as a dependency)",
            Mode::Release => "`cargo build --release` after a touch",
            Mode::ReleaseWithRuntime => {
                "`cargo build --release` after a touch, with the runtime crate (if any) rebuilt"
            }
        }
    }
}

impl Workspace {
    /// Writes the copy: the workspace manifest reduced to the client, the lock file, and the
    /// client crate as it is checked in.
    pub fn create(root: &Path) -> Result<Self, Failure> {
        let dir = root.join("target/bench/compile");
        let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
            .map_err(|e| Failure::Io(format!("cannot read Cargo.toml: {e}")))?;
        let manifest = only_member(&manifest, CLIENT).ok_or_else(|| {
            Failure::Io("Cargo.toml has no `members = [...]` to point at the client".into())
        })?;
        std::fs::create_dir_all(&dir)
            .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))?;
        write_if_changed(&dir.join("Cargo.toml"), manifest.as_bytes())?;
        write_if_changed(
            &dir.join("Cargo.lock"),
            &fs::read(&root.join("Cargo.lock"))?,
        )?;
        let client = root.join(CLIENT);
        let mut crate_tree = Tree::new();
        crate_tree.insert("Cargo.toml".into(), fs::read(&client.join("Cargo.toml"))?);
        for (path, contents) in fs::read_tree(&client.join("src"))? {
            crate_tree.insert(format!("src/{path}"), contents);
        }
        let workspace = Workspace {
            target: dir.join("target"),
            dir,
            crate_tree,
            package: "ecosuite",
            crate_dir: CLIENT,
            touched: "src/generated/mod.rs",
            offline: true,
            runtime: None,
        };
        workspace.write_crate(&workspace.crate_tree)?;
        Ok(workspace)
    }

    /// A workspace already on disk in `dir`, whose crate `package` is in `dir/package`.
    pub fn existing(
        dir: PathBuf,
        package: &'static str,
        touched: &'static str,
        runtime: Option<&'static str>,
    ) -> Self {
        Workspace {
            target: dir.join("target"),
            dir,
            crate_tree: Tree::new(),
            package,
            crate_dir: package,
            touched,
            offline: false,
            runtime,
        }
    }

    /// The `ecosuite` command line in the workspace itself, as a consumer of the client: it
    /// calls every operation, so what the client leaves to its users to compile (each
    /// operation's future is compiled where it is awaited) is compiled there. Its own target
    /// directory; touching its `lib.rs` makes cargo compile it again, not the client.
    pub fn consumer(root: &Path) -> Self {
        Workspace {
            target: root.join("target/bench/consumer"),
            dir: root.to_path_buf(),
            crate_tree: Tree::new(),
            package: "ecosuite-cli",
            crate_dir: "cli",
            touched: "src/lib.rs",
            offline: true,
            runtime: None,
        }
    }

    /// The crate's directory.
    pub fn crate_dir(&self) -> PathBuf {
        self.dir.join(self.crate_dir)
    }

    fn write_crate(&self, tree: &Tree) -> Result<(), Failure> {
        fs::replace_dir(&self.dir.join(CLIENT), tree, &[])?;
        Ok(())
    }

    /// Touches the crate's file that is named for it, so cargo must compile the crate again.
    fn touch(&self) -> Result<(), Failure> {
        let path = self.crate_dir().join(self.touched);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|file| file.set_modified(SystemTime::now()))
            .map_err(|e| Failure::Io(format!("cannot touch {}: {e}", path.display())))
    }

    /// Before a timed run: the touch, and for [`Mode::ReleaseWithRuntime`] the runtime crate's
    /// release build removed (`cargo clean -p`), untimed.
    fn prepare(&self, mode: Mode) -> Result<(), Failure> {
        self.touch()?;
        let Some(runtime) = self.runtime.filter(|_| mode == Mode::ReleaseWithRuntime) else {
            return Ok(());
        };
        let status = Command::new(super::cargo())
            .args(["clean", "--quiet", "--release", "-p", runtime])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .status()
            .map_err(|e| Failure::Io(format!("cannot run cargo clean: {e}")))?;
        if !status.success() {
            return Err(Failure::Io(format!("cargo clean -p {runtime} failed")));
        }
        Ok(())
    }

    /// One cargo run in `mode`, timed from spawn to exit.
    fn cargo(&self, mode: Mode) -> Result<f64, Failure> {
        let mut command = Command::new(super::cargo());
        match mode {
            Mode::CheckIncremental => command.args(["check"]).env("CARGO_INCREMENTAL", "1"),
            Mode::Check => command.args(["check"]).env("CARGO_INCREMENTAL", "0"),
            Mode::Release | Mode::ReleaseWithRuntime => command.args(["build", "--release"]),
        };
        if self.offline {
            command.arg("--offline");
        }
        command
            .args(["--quiet", "--message-format", "short", "-p"])
            .arg(self.package)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target);
        let started = Instant::now();
        let output = command
            .output()
            .map_err(|e| Failure::Io(format!("cannot run cargo: {e}")))?;
        let elapsed = started.elapsed().as_secs_f64();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr
                .lines()
                .find(|l| l.contains("error"))
                .unwrap_or("cargo failed");
            return Err(Failure::Io(format!(
                "{}: {}: {first}",
                self.package,
                mode.describe()
            )));
        }
        Ok(elapsed)
    }

    /// [`Self::measure`] of two workspaces, run in turn: the medians of `a` and of `b`.
    pub fn measure_alternately(
        a: &Workspace,
        b: &Workspace,
        mode: Mode,
        runs: usize,
    ) -> Result<(f64, f64), Failure> {
        a.cargo(mode)?;
        b.cargo(mode)?;
        let (mut first, mut second) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            a.prepare(mode)?;
            first.push(a.cargo(mode)?);
            b.prepare(mode)?;
            second.push(b.cargo(mode)?);
        }
        Ok((median(&first), median(&second)))
    }

    /// Builds once so dependencies are compiled, then `runs` times after a touch.
    pub fn measure(&self, mode: Mode, runs: usize) -> Result<f64, Failure> {
        self.cargo(mode)?;
        let mut samples = Vec::new();
        for _ in 0..runs {
            self.prepare(mode)?;
            samples.push(self.cargo(mode)?);
        }
        Ok(median(&samples))
    }
}

/// The workspace manifest with `members = [...]` replaced by the one member.
fn only_member(manifest: &str, member: &str) -> Option<String> {
    let start = manifest.find("members = [")?;
    let end = start + manifest[start..].find(']')? + 1;
    Some(format!(
        "{}members = [\"{member}\"]{}",
        &manifest[..start],
        &manifest[end..]
    ))
}

/// Leaves an unchanged file alone, so its mtime does not make cargo redo work.
pub(super) fn write_if_changed(path: &Path, contents: &[u8]) -> Result<(), Failure> {
    if std::fs::read(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    std::fs::write(path, contents)
        .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))
}

/// Lines and files under `dir`.
pub(super) fn lines(dir: &Path) -> Result<(u64, usize), Failure> {
    let tree = fs::read_tree(dir)?;
    let lines = tree
        .values()
        .map(|contents| contents.iter().filter(|&&b| b == b'\n').count() as u64)
        .sum();
    Ok((lines, tree.len()))
}

pub fn table(root: &Path, runs: usize) -> Result<Table, Failure> {
    let (generated, files) = lines(&root.join(CLIENT).join("src/generated"))?;
    let (runtime, _) = lines(&root.join(CLIENT).join("src/runtime"))?;
    let (cognito, _) = lines(&root.join(CLIENT).join("src/cognito"))?;
    let workspace = Workspace::create(root)?;
    let mut table = Table::new(
        "Compile cost of the generated crate `ecosuite`",
        &[("measure", false), ("value", true)],
    );
    table.row(vec![
        "generated code".into(),
        format!("{} lines in {files} files", table::count(generated)),
    ]);
    table.row(vec![
        "hand-written runtime (every client's)".into(),
        format!("{} lines", table::count(runtime)),
    ]);
    table.row(vec![
        "hand-written Cognito login (Ecosuite's own)".into(),
        format!("{} lines", table::count(cognito)),
    ]);
    for mode in [Mode::CheckIncremental, Mode::Check, Mode::Release] {
        errln!("bench: {}", mode.describe());
        let seconds = workspace.measure(mode, runs)?;
        table.row(vec![mode.describe().into(), table::duration(seconds)]);
    }
    let consumer = Workspace::consumer(root);
    // Not incremental: touching a file whose contents did not change would let an incremental
    // check reuse everything, and measure nothing.
    for mode in [Mode::Check, Mode::Release] {
        errln!(
            "bench: the command line, as a consumer: {}",
            mode.describe()
        );
        let seconds = consumer.measure(mode, runs)?;
        table.row(vec![
            format!(
                "a consumer (the command line, which calls every operation): {}",
                mode.describe()
            ),
            table::duration(seconds),
        ]);
    }
    table.note(format!(
        "Wall time of the child `cargo` process, median of {runs} runs, dependencies already built, \
         on a copy of the crate in `target/bench/compile/` (same manifests, lock file and profiles). \
         The consumer rows build `ecosuite-cli` in `target/bench/consumer/` after touching its \
         `lib.rs`: what a program that calls every operation pays on top of the client."
    ));
    Ok(table)
}

/// A copy of the crate with some generated constructs taken out.
struct Variant {
    name: &'static str,
    edit: fn(&mut Tree),
}

const VARIANTS: &[Variant] = &[
    Variant {
        name: "the whole crate",
        edit: |_| {},
    },
    Variant {
        name: "without the operations (types and runtime only)",
        edit: without_operations,
    },
    Variant {
        name: "types only, without `Serialize`",
        edit: |tree| {
            without_operations(tree);
            edit_type_files(tree, |text| without_serde(text, true, false));
        },
    },
    // No "without `Deserialize`" alone: a struct's `Serialize` reads the field list of its
    // `Object` impl, which is its `Deserialize`; the two rows above and below bracket it.
    Variant {
        name: "types only, without `Serialize` and `Deserialize`",
        edit: |tree| {
            without_operations(tree);
            edit_type_files(tree, |text| without_serde(text, true, true));
        },
    },
    Variant {
        name: "types only, without `Debug, Clone, PartialEq, ...` derives",
        edit: |tree| {
            without_operations(tree);
            edit_type_files(tree, |text| {
                // Written-out `Debug` impls (those that redact secrets) go with the derives.
                let mut in_debug_impl = false;
                let lines: Vec<String> = text
                    .lines()
                    .filter(|line| {
                        if in_debug_impl {
                            in_debug_impl = *line != "}";
                            return false;
                        }
                        in_debug_impl = line.starts_with("impl ::std::fmt::Debug for ");
                        !in_debug_impl
                    })
                    .map(|line| {
                        if line.trim_start().starts_with("#[derive(") {
                            only_serde_derives(line)
                        } else {
                            line.to_string()
                        }
                    })
                    .collect();
                lines.join("\n") + "\n"
            });
        },
    },
    Variant {
        name: "runtime only (no generated code)",
        edit: |tree| {
            without_operations(tree);
            tree.retain(|path, _| !path.starts_with("src/generated/types/"));
            edit_file(tree, "src/generated/mod.rs", |text| {
                text.replace("pub mod types;", "pub mod types {}")
            });
        },
    },
];

fn without_operations(tree: &mut Tree) {
    tree.retain(|path, _| !path.starts_with("src/generated/operations/"));
    edit_file(tree, "src/generated/mod.rs", |text| {
        text.replace("pub mod operations;", "")
    });
    edit_file(tree, "src/lib.rs", |text| {
        text.replace(
            "pub use generated::{operations, types};",
            "pub use generated::types;",
        )
    });
}

fn edit_file(tree: &mut Tree, path: &str, edit: impl Fn(&str) -> String) {
    if let Some(contents) = tree.get_mut(path) {
        *contents = edit(&String::from_utf8_lossy(contents)).into_bytes();
    }
}

/// Applies `edit` to the text of every generated type module.
fn edit_type_files(tree: &mut Tree, edit: fn(&str) -> String) {
    for (path, contents) in tree.iter_mut() {
        if path.starts_with("src/generated/types/") {
            *contents = edit(&String::from_utf8_lossy(contents)).into_bytes();
        }
    }
}

/// Removes the `Serialize` and/or `Deserialize` implementations of generated types: from
/// `#[derive(...)]` lists, hand-written `impl` blocks (unions), and the `#[serde(...)]`
/// attributes of items left without any serde derive. Relies on prettyplease's layout: items
/// at column 0, a multi-line attribute ending in a `)]` line.
fn without_serde(text: &str, serialize: bool, deserialize: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut serde_derived = false;
    let (mut in_impl, mut in_attribute) = (false, false);
    for line in text.lines() {
        let trimmed = line.trim_start();
        if in_impl {
            in_impl = line != "}";
            continue;
        }
        if in_attribute {
            in_attribute = trimmed != ")]";
            continue;
        }
        // Structs decode through a generated `Object` impl that `impl_object!` turns into
        // `Deserialize`; enums and unions implement `Deserialize` directly.
        if (deserialize
            && (line.starts_with("impl<'de> ::serde::Deserialize<'de> for ")
                || line.starts_with("impl crate::runtime::object::Object for ")))
            || (serialize && line.starts_with("impl ::serde::Serialize for "))
        {
            in_impl = true;
            continue;
        }
        if deserialize && line.starts_with("crate::runtime::object::impl_object!(") {
            continue;
        }
        if let Some(inner) = trimmed
            .strip_prefix("#[derive(")
            .and_then(|rest| rest.strip_suffix(")]"))
        {
            let derives: Vec<&str> = inner
                .split(',')
                .map(str::trim)
                .filter(|d| {
                    !(serialize && *d == "::serde::Serialize"
                        || deserialize && *d == "::serde::Deserialize")
                })
                .collect();
            serde_derived = derives.iter().any(|d| d.starts_with("::serde::"));
            if !derives.is_empty() {
                let indent = &line[..line.len() - trimmed.len()];
                out.push_str(&format!("{indent}#[derive({})]\n", derives.join(", ")));
            }
            continue;
        }
        if !serde_derived && trimmed.starts_with("#[serde(") {
            in_attribute = !trimmed.ends_with(")]");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `#[derive(Debug, Clone, ::serde::Serialize)]` -> `#[derive(::serde::Serialize)]`. `Default`
/// stays: builders start from it (`X::builder()`).
fn only_serde_derives(line: &str) -> String {
    let Some(inner) = line
        .trim()
        .strip_prefix("#[derive(")
        .and_then(|rest| rest.strip_suffix(")]"))
    else {
        return line.to_string();
    };
    let kept: Vec<&str> = inner
        .split(',')
        .map(str::trim)
        .filter(|derive| derive.starts_with("::serde::") || *derive == "Default")
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        let indent = &line[..line.len() - line.trim_start().len()];
        format!("{indent}#[derive({})]", kept.join(", "))
    }
}

pub fn breakdown(root: &Path, runs: usize) -> Result<Table, Failure> {
    let workspace = Workspace::create(root)?;
    let mut table = Table::new(
        "Where the compile time of `ecosuite` goes",
        &[
            ("variant of the crate", false),
            ("`cargo check` (non-incremental)", true),
            ("`cargo build --release`", true),
        ],
    );
    // Dependencies first, so no variant pays for them.
    workspace.cargo(Mode::Check)?;
    workspace.cargo(Mode::Release)?;
    for variant in VARIANTS {
        errln!("bench: compile breakdown: {}", variant.name);
        let mut tree = workspace.crate_tree.clone();
        (variant.edit)(&mut tree);
        workspace.write_crate(&tree)?;
        let mut cells = vec![variant.name.to_string()];
        for mode in [Mode::Check, Mode::Release] {
            let mut samples = Vec::new();
            let mut failure = None;
            for _ in 0..runs {
                // Each build follows a fresh write, so the crate itself is always rebuilt.
                workspace.write_crate(&tree)?;
                match workspace.cargo(mode) {
                    Ok(seconds) => samples.push(seconds),
                    Err(e) => {
                        failure = Some(format!("does not build ({e})"));
                        break;
                    }
                }
            }
            cells.push(failure.unwrap_or_else(|| table::duration(median(&samples))));
        }
        table.row(cells);
    }
    workspace.write_crate(&workspace.crate_tree)?;
    table.note(format!(
        "Median of {runs} builds each, dependencies already built; each variant is the checked-in \
         crate with the named parts deleted from a copy. The differences between rows are what \
         those constructs cost."
    ));
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_client_member() {
        let manifest = "[workspace]\nresolver = \"2\"\nmembers = [\"generator\", \"generated-client\",\n \"xtask\"]\n\n[workspace.package]\n";
        assert_eq!(
            only_member(manifest, CLIENT).unwrap(),
            "[workspace]\nresolver = \"2\"\nmembers = [\"generated-client\"]\n\n[workspace.package]\n"
        );
        assert_eq!(only_member("[package]\n", CLIENT), None);
    }

    #[test]
    fn strips_derives_but_serde() {
        assert_eq!(
            only_serde_derives(
                "    #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)]"
            ),
            "    #[derive(Default, ::serde::Serialize, ::serde::Deserialize)]"
        );
        assert_eq!(only_serde_derives("#[derive(Debug, Clone)]"), "");
    }

    #[test]
    fn removes_serde_implementations() {
        let text = "\
#[derive(Debug, Clone, ::serde::Serialize, ::serde::Deserialize)]
pub struct A {
    #[serde(rename = \"b\")]
    pub b: u8,
    #[serde(
        rename = \"cC\",
        skip_serializing_if = \"Option::is_none\"
    )]
    pub c: Option<u8>,
}
#[derive(Debug, ::serde::Serialize)]
#[serde(untagged)]
pub enum U {
    A(A),
}
impl<'de> ::serde::Deserialize<'de> for U {
    fn deserialize() {}
}
impl crate::runtime::object::Object for A {
    fn from_map() {}
}
crate::runtime::object::impl_object!(A);
";
        let without_serialize = without_serde(text, true, false);
        assert!(without_serialize.contains("#[derive(Debug, Clone, ::serde::Deserialize)]"));
        assert!(without_serialize.contains("rename = \"cC\""));
        assert!(!without_serialize.contains("untagged"));
        assert!(without_serialize.contains("impl<'de>"));
        assert!(without_serialize.contains("impl_object!(A)"));
        let without_both = without_serde(text, true, true);
        assert_eq!(
            without_both,
            "#[derive(Debug, Clone)]\npub struct A {\n    pub b: u8,\n    pub c: Option<u8>,\n}\n\
             #[derive(Debug)]\npub enum U {\n    A(A),\n}\n"
        );
    }

    #[test]
    fn variants_find_what_they_edit() {
        let root = crate::workspace_root().join(CLIENT);
        let mut tree = Tree::new();
        for path in ["src/lib.rs", "src/generated/mod.rs"] {
            tree.insert(path.into(), fs::read(&root.join(path)).unwrap());
        }
        let types = "src/generated/types/energy.rs";
        let text = std::fs::read_to_string(root.join(types)).unwrap();
        assert!(
            text.contains("impl crate::runtime::object::Object for ")
                && text.contains("impl ::serde::Serialize for "),
            "{types}: the serde variants no longer find the serde implementations"
        );
        let stripped = without_serde(&text, true, true);
        assert!(!stripped.contains("impl crate::runtime::object::Object for "));
        assert!(!stripped.contains("impl ::serde::Serialize for "));
        let before = tree.clone();
        without_operations(&mut tree);
        for (path, contents) in &tree {
            assert_ne!(
                contents, &before[path],
                "{path} no longer has what the `without operations` variant removes"
            );
        }
    }
}
