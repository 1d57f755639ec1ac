//! `cargo xtask update-spec SOURCE`: takes a new API document (a file or an http(s) URL),
//! applies our overlays, and if it generates, makes it the pinned document: the old one kept
//! in `spec/history/`, client and command line regenerated, both crates' versions bumped by
//! the diff's semver verdict, a CHANGELOG section written, the report printed. All or
//! nothing: every change is staged in memory and written as one transaction that is undone
//! on any failure.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use ecosuite_generator::diff::{compare, markdown, Bump, Change, Effect, Report, Subject};
use ecosuite_generator::{build_model, generate_client_and_cli, Options};
use serde_yaml::Value;

use crate::failure::Failure;
use crate::fs::{self, FsError, Tree};
use crate::generate::{self, CLI_OUT, MOCK_OUT, OUT, SPEC};
use crate::overlay;

/// Where the overlays live, applied in file-name order.
pub const OVERLAYS: &str = "spec/overlays";
const HISTORY: &str = "spec/history";
const CHANGELOG: &str = "CHANGELOG.md";
const CLIENT_MANIFEST: &str = "generated-client/Cargo.toml";
const CLI_MANIFEST: &str = "cli/Cargo.toml";
/// The mock crate moves with the client: its methods are the client's operations.
const MOCK_MANIFEST: &str = "mock/Cargo.toml";
/// Where a document that does not generate is left, so the error's line numbers can be read.
const REJECTED: &str = "target/update-spec/rejected.yaml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub source: String,
    /// Another copy of the repository to update instead of this workspace.
    pub root: Option<PathBuf>,
}

/// What an update did, for the caller (and the tests).
#[derive(Debug)]
pub struct Outcome {
    /// `None` when the document did not change.
    pub report: Option<Report>,
    /// One line per overlay applied.
    pub applied: Vec<String>,
    pub warnings: Vec<String>,
}

pub fn run(root: &Path, request: &Request) -> Result<(), Failure> {
    let root = request.root.as_deref().unwrap_or(root);
    let outcome = update(root, request)?;
    for line in &outcome.applied {
        errln!("{line}");
    }
    for warning in &outcome.warnings {
        errln!("warning: {warning}");
    }
    if let Some(report) = &outcome.report {
        outln!("{}", markdown(report).trim_end());
    }
    Ok(())
}

pub fn update(root: &Path, request: &Request) -> Result<Outcome, Failure> {
    let source = read_source(&request.source)?;
    let (mut document, applied, warnings) = with_overlays(root, &request.source, &source)?;
    normalize(&mut document);
    let text = serde_yaml::to_string(&document)
        .map_err(|e| Failure::Io(format!("cannot write the document as YAML: {e}")))?;

    let generated = match generate_client_and_cli(text.as_bytes(), &generate::options()) {
        Ok(generated) => generated,
        Err(_) => return Err(rejected(root, &request.source, &text)),
    };

    let old_bytes = fs::read(&root.join(SPEC))?;
    let old_document: Value =
        serde_yaml::from_slice(&old_bytes).map_err(|e| Failure::Spec(format!("{SPEC}: {e}")))?;
    if old_document == document {
        outln!(
            "{SPEC} already is the document from {} with the overlays applied: nothing to do",
            request.source
        );
        return Ok(Outcome {
            report: None,
            applied,
            warnings,
        });
    }

    let model = |bytes: &[u8], label: &str| {
        let options = Options {
            spec_name: label.to_string(),
            ..Options::default()
        };
        build_model(bytes, &options).map_err(|e| Failure::Spec(e.to_string()))
    };
    let report = compare(
        &model(&old_bytes, SPEC)?,
        &model(text.as_bytes(), &request.source)?,
        SPEC,
        &request.source,
    );

    // Versions: both crates move together, each from its own current version.
    let client_manifest = read_text(root, CLIENT_MANIFEST)?;
    let cli_manifest = read_text(root, CLI_MANIFEST)?;
    let client_version = package_version(&client_manifest, CLIENT_MANIFEST)?;
    let cli_version = package_version(&cli_manifest, CLI_MANIFEST)?;
    let next_client = bump(&client_version, report.semver).map_err(Failure::Io)?;
    let next_cli = bump(&cli_version, report.semver).map_err(Failure::Io)?;

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let history = history_path(root, &old_document, &old_bytes);
    if let Some(history) = history {
        files.push((history, old_bytes.clone()));
    }
    files.push((SPEC.to_string(), text.clone().into_bytes()));
    files.push((
        CLIENT_MANIFEST.to_string(),
        set_package_version(&client_manifest, &next_client).into_bytes(),
    ));
    files.push((
        CLI_MANIFEST.to_string(),
        set_package_version(&cli_manifest, &next_cli).into_bytes(),
    ));
    let mut workspace = read_text(root, "Cargo.toml")?;
    workspace = set_dependency_version(&workspace, "ecosuite", &next_client).ok_or_else(|| {
        Failure::Io("Cargo.toml has no `ecosuite = { path = ..., version = ... }` line in [workspace.dependencies]".into())
    })?;
    // The mock crate, where the repository has one, takes the client's version.
    let mock_manifest = std::fs::read_to_string(root.join(MOCK_MANIFEST)).ok();
    if let Some(manifest) = &mock_manifest {
        files.push((
            MOCK_MANIFEST.to_string(),
            set_package_version(manifest, &next_client).into_bytes(),
        ));
        if let Some(updated) = set_dependency_version(&workspace, "ecosuite-mock", &next_client) {
            workspace = updated;
        }
    }
    files.push(("Cargo.toml".to_string(), workspace.into_bytes()));
    if let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) {
        let mut lock = set_lock_version(&lock, "ecosuite", &next_client);
        lock = set_lock_version(&lock, "ecosuite-cli", &next_cli);
        if mock_manifest.is_some() {
            lock = set_lock_version(&lock, "ecosuite-mock", &next_client);
        }
        files.push(("Cargo.lock".to_string(), lock.into_bytes()));
    }
    let changelog = std::fs::read_to_string(root.join(CHANGELOG)).unwrap_or_default();
    let section = changelog_section(&report, &client_version, &next_client, &next_cli, &today());
    files.push((
        CHANGELOG.to_string(),
        insert_section(&changelog, &section).into_bytes(),
    ));

    let mut dirs = vec![
        (OUT.to_string(), generate::to_tree(generated.client.files)),
        (CLI_OUT.to_string(), generate::to_tree(generated.cli)),
    ];
    if mock_manifest.is_some() {
        dirs.push((MOCK_OUT.to_string(), generate::to_tree(generated.mock)));
    }
    write_all(root, &files, &dirs)?;
    outln!(
        "updated {SPEC} from {}; ecosuite {client_version} -> {next_client}, ecosuite-cli {cli_version} -> {next_cli} ({} change); {CHANGELOG} has the new section",
        request.source,
        report.semver.as_str()
    );
    Ok(Outcome {
        report: Some(report),
        applied,
        warnings,
    })
}

/// A file path, or an http(s) URL fetched with the machine's `curl` (no HTTP client, TLS stack
/// or async runtime in the xtask's build for one download a week).
fn read_source(source: &str) -> Result<Vec<u8>, Failure> {
    if source.starts_with("http://") || source.starts_with("https://") {
        let output = Process::new("curl")
            .args([
                "--silent",
                "--show-error",
                "--fail",
                "--location",
                "--max-time",
                "120",
                "--",
                source,
            ])
            .output()
            .map_err(|e| Failure::Io(format!("cannot run curl to fetch {source}: {e}")))?;
        if !output.status.success() {
            return Err(Failure::Io(format!(
                "cannot fetch {source}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        return Ok(output.stdout);
    }
    std::fs::read(source).map_err(|e| Failure::Io(format!("cannot read {source}: {e}")))
}

/// The document with every overlay of `spec/overlays/` applied, a line per overlay applied,
/// and the overlays' warnings.
pub fn with_overlays(
    root: &Path,
    label: &str,
    source: &[u8],
) -> Result<(Value, Vec<String>, Vec<String>), Failure> {
    let mut document: Value =
        serde_yaml::from_slice(source).map_err(|e| Failure::Spec(format!("{label}: {e}")))?;
    let (mut applied, mut warnings) = (Vec::new(), Vec::new());
    for (name, text) in overlays(root)? {
        let overlay = overlay::parse(&name, &text).map_err(Failure::Spec)?;
        let missed = overlay::apply(&overlay, &mut document).map_err(Failure::Spec)?;
        applied.push(format!(
            "applied {name} ({}): {} of {} actions",
            overlay.title,
            overlay.actions.len() - missed.len(),
            overlay.actions.len()
        ));
        warnings.extend(missed);
    }
    Ok((document, applied, warnings))
}

/// The layout `spec/README.md` promises, whatever order the source and the overlays left:
/// paths sorted, each path item's operations in the order get, put, post, delete (then the
/// rarer methods), each operation's responses sorted by status, every `components` map
/// sorted by name. A plain diff of two documents then
/// shows only what changed, and an overlay's additions (appended, per the Overlay
/// specification) land where they belong.
pub fn normalize(document: &mut Value) {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let Value::Mapping(root) = document else {
        return;
    };
    if let Some(Value::Mapping(paths)) = root.get_mut("paths") {
        sort_by_name(paths);
        for (_, item) in paths.iter_mut() {
            if let Value::Mapping(item) = item {
                let rank = |key: &Value| {
                    key.as_str()
                        .and_then(|key| METHODS.iter().position(|method| *method == key))
                        .map_or(0, |position| position + 1)
                };
                let mut entries: Vec<(Value, Value)> = std::mem::take(item).into_iter().collect();
                // Stable: everything that is not a method keeps its place, first.
                entries.sort_by_key(|(key, _)| rank(key));
                item.extend(entries);
                for (key, operation) in item.iter_mut() {
                    if rank(key) == 0 {
                        continue;
                    }
                    if let Some(Value::Mapping(responses)) = operation.get_mut("responses") {
                        sort_by_name(responses);
                    }
                }
            }
        }
    }
    if let Some(Value::Mapping(components)) = root.get_mut("components") {
        for (_, map) in components.iter_mut() {
            if let Value::Mapping(map) = map {
                sort_by_name(map);
            }
        }
    }
}

fn sort_by_name(map: &mut serde_yaml::Mapping) {
    let name = |key: &Value| match key {
        Value::String(text) => text.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default(),
    };
    let mut entries: Vec<(Value, Value)> = std::mem::take(map).into_iter().collect();
    entries.sort_by_key(|(key, _)| name(key));
    map.extend(entries);
}

fn overlays(root: &Path) -> Result<Vec<(String, String)>, Failure> {
    let dir = root.join(OVERLAYS);
    let tree = fs::read_tree_or_empty(&dir)?;
    tree.into_iter()
        .filter(|(name, _)| {
            !name.contains('/')
                && [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|ext| name.ends_with(ext))
        })
        .map(|(name, bytes)| {
            let label = format!("{OVERLAYS}/{name}");
            String::from_utf8(bytes)
                .map(|text| (label.clone(), text))
                .map_err(|_| Failure::Spec(format!("{label}: not UTF-8")))
        })
        .collect()
}

/// The generator's located error, against a copy of the rejected document kept under
/// `target/` so its line numbers can be looked up.
fn rejected(root: &Path, source: &str, text: &str) -> Failure {
    let options = Options {
        spec_name: REJECTED.to_string(),
        ..generate::options()
    };
    let error = match generate_client_and_cli(text.as_bytes(), &options) {
        Err(error) => error.to_string(),
        Ok(_) => "the generator rejected it".to_string(),
    };
    let path = root.join(REJECTED);
    let kept = path
        .parent()
        .map(std::fs::create_dir_all)
        .unwrap_or(Ok(()))
        .and_then(|()| std::fs::write(&path, text))
        .is_ok();
    Failure::Spec(format!(
        "the document from {source}, with the overlays applied, does not generate a client; nothing was changed\n{error}{}",
        if kept {
            format!("\n(the document as it would have been written is in {REJECTED})")
        } else {
            String::new()
        }
    ))
}

fn read_text(root: &Path, path: &str) -> Result<String, Failure> {
    String::from_utf8(fs::read(&root.join(path))?)
        .map_err(|_| Failure::Io(format!("{path} is not UTF-8")))
}

/// `spec/history/ecosuite-<info.version>.yaml` (or the date when the document has no version,
/// or that name already holds another document); `None` when it already holds this one.
fn history_path(root: &Path, document: &Value, bytes: &[u8]) -> Option<String> {
    let version = document
        .get("info")
        .and_then(|info| info.get("version"))
        .and_then(|version| match version {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        })
        .map(|version| {
            version
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        })
        .filter(|version| !version.is_empty());
    let base = match &version {
        Some(version) => format!("{HISTORY}/ecosuite-{version}"),
        None => format!("{HISTORY}/ecosuite-{}", today()),
    };
    let date = today();
    let candidates = std::iter::once(format!("{base}.yaml"))
        .chain((1..).map(|n| match n {
            1 => format!("{base}-{date}.yaml"),
            n => format!("{base}-{date}-{n}.yaml"),
        }))
        .take(100);
    for candidate in candidates {
        match std::fs::read(root.join(&candidate)) {
            Ok(existing) if existing == bytes => return None,
            Ok(_) => continue,
            Err(_) => return Some(candidate),
        }
    }
    Some(format!("{base}-{date}-{}.yaml", std::process::id()))
}

/// The `version = "..."` of a manifest's `[package]` table.
fn package_version(manifest: &str, path: &str) -> Result<String, Failure> {
    let mut in_package = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_package = trimmed == "[package]";
        } else if in_package {
            if let Some(value) = assignment(trimmed, "version") {
                return Ok(value);
            }
        }
    }
    Err(Failure::Io(format!(
        "{path} has no `version = \"...\"` in [package]"
    )))
}

fn assignment(line: &str, key: &str) -> Option<String> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let value = rest.strip_prefix('"')?.split('"').next()?;
    Some(value.to_string())
}

fn set_package_version(manifest: &str, version: &str) -> String {
    let mut in_package = false;
    let mut done = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_package = trimmed == "[package]";
        } else if in_package && !done && assignment(trimmed, "version").is_some() {
            let ending = if line.ends_with('\n') { "\n" } else { "" };
            out.push_str(&format!("version = \"{version}\"{ending}"));
            done = true;
            continue;
        }
        out.push_str(line);
    }
    out
}

/// Sets `version = "..."` in the one-line `name = { ..., version = "..." }` dependency.
fn set_dependency_version(manifest: &str, name: &str, version: &str) -> Option<String> {
    let mut found = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or("").trim();
        if key == name && line.contains('{') && !found {
            if let Some(start) = line.find("version") {
                let after = &line[start..];
                let open = after.find('"')?;
                let close = after[open + 1..].find('"')? + open + 1;
                out.push_str(&line[..start]);
                out.push_str(&after[..open + 1]);
                out.push_str(version);
                out.push_str(&after[close..]);
                found = true;
                continue;
            }
        }
        out.push_str(line);
    }
    found.then_some(out)
}

fn set_lock_version(lock: &str, name: &str, version: &str) -> String {
    let needle = format!("name = \"{name}\"\nversion = \"");
    let Some(start) = lock.find(&needle) else {
        return lock.to_string();
    };
    let value = start + needle.len();
    let Some(end) = lock[value..].find('"') else {
        return lock.to_string();
    };
    format!("{}{version}{}", &lock[..value], &lock[value + end..])
}

/// The next version by the 0.x rules while the major version is 0 (a breaking change bumps the
/// minor version, anything else the patch), by the usual ones after.
pub fn bump(version: &str, semver: Bump) -> Result<String, String> {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<u64> = core
        .split('.')
        .map(|part| part.parse())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{version}` is not a MAJOR.MINOR.PATCH version"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("`{version}` is not a MAJOR.MINOR.PATCH version"));
    };
    Ok(match (major, semver) {
        (0, Bump::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Bump::Major) => format!("{}.0.0", major + 1),
        (_, Bump::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Bump::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// Today as YYYY-MM-DD (UTC), from the system clock.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date((seconds / 86_400) as i64)
}

/// Days since 1970-01-01 -> `YYYY-MM-DD` (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

const CHANGELOG_HEAD: &str = "# Changelog\n\n\
All notable changes to the `ecosuite` crate and the `ecosuite` command line are documented \
here. The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/), and \
the crates follow [Semantic Versioning](https://semver.org/spec/v2.0.0.html) (while they are \
0.x, a breaking change bumps the minor version).\n";

/// Puts `section` before the first released section, after the heading and any `Unreleased`
/// section someone wrote by hand; makes the file when there is none.
pub fn insert_section(changelog: &str, section: &str) -> String {
    if changelog.trim().is_empty() {
        return format!("{CHANGELOG_HEAD}\n{section}");
    }
    let mut offset = 0;
    for line in changelog.split_inclusive('\n') {
        if line.starts_with("## ") && !line.to_ascii_lowercase().contains("unreleased") {
            return format!(
                "{}{section}\n{}",
                &changelog[..offset],
                &changelog[offset..]
            );
        }
        offset += line.len();
    }
    let mut out = changelog.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push('\n');
    out.push_str(section);
    out
}

/// The CHANGELOG section for one update: breaking changes first, each saying what calling code
/// must change; then additions; then fixes (documentation of what the server already did).
pub fn changelog_section(
    report: &Report,
    from: &str,
    client: &str,
    cli: &str,
    date: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## [{client}] - {date}\n");
    let _ = writeln!(
        out,
        "The API document moves from {} {} to {} {} (`ecosuite` {from} -> {client}, `ecosuite-cli` {cli}; semver: {}).\n",
        report.old.title,
        report.old.version,
        report.new.title,
        report.new.version,
        report.semver.as_str()
    );
    let (mut breaking, mut added, mut fixed) = (Vec::new(), Vec::new(), Vec::new());
    for change in &report.changes {
        if change.api.breaking || change.rust.bump == Bump::Major {
            breaking.push(format!(
                "- {}: {}. {}",
                place(change),
                change.summary,
                what_to_change(change)
            ));
        } else if change.effect == Effect::Added || change.rust.bump == Bump::Minor {
            added.push(format!(
                "- {}: {}.{}",
                place(change),
                change.summary,
                items(change)
            ));
        } else {
            fixed.push(format!("- {}: {}.", place(change), change.summary));
        }
    }
    for change in &report.command_line {
        let line = format!("- `{}` (command line): {}.", change.command, change.summary);
        if change.breaking {
            breaking.push(format!(
                "{line} Scripts that rely on the old behaviour must be updated."
            ));
        } else if change.summary.starts_with("new ") {
            added.push(line);
        } else {
            fixed.push(line);
        }
    }
    for (title, lines) in [
        ("Breaking changes", breaking),
        ("Added", added),
        ("Fixed", fixed),
    ] {
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    if report.changes.is_empty() && report.command_line.is_empty() {
        let _ = writeln!(
            out,
            "No change to the API or to the generated code's public items.\n"
        );
    }
    out
}

fn place(change: &Change) -> String {
    match &change.subject {
        Subject::Operation {
            operation_id,
            method,
            path,
        } => format!("`{method} {path}` (`{operation_id}`)"),
        Subject::Schema { name } => format!("schema `{name}`"),
    }
}

fn items(change: &Change) -> String {
    if change.rust.items.is_empty() {
        return String::new();
    }
    let items: Vec<String> = change
        .rust
        .items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect();
    format!(" New: {}.", items.join(", "))
}

/// What a caller of the crate (or of the API) has to do about a breaking change.
fn what_to_change(change: &Change) -> String {
    let mut out = String::from("What to change:");
    if change.rust.bump == Bump::Major {
        let items: Vec<String> = change
            .rust
            .items
            .iter()
            .map(|item| format!("`{item}`"))
            .collect();
        let _ = write!(
            out,
            " in Rust, {} — update code that uses {}.",
            change.rust.reason,
            if items.is_empty() {
                "it".to_string()
            } else {
                items.join(", ")
            }
        );
    }
    if change.api.breaking {
        let _ = write!(out, " For programs calling the API: {}.", change.api.reason);
    }
    out
}

/// One file write, remembered with what was there before so it can be undone.
struct Undo {
    path: PathBuf,
    before: Option<Vec<u8>>,
}

/// Swaps every directory and writes every file (each through a temporary sibling and a
/// rename); on the first failure undoes what was done, in reverse, and reports the failure.
fn write_all(
    root: &Path,
    files: &[(String, Vec<u8>)],
    dirs: &[(String, Tree)],
) -> Result<(), Failure> {
    let mut undo_files: Vec<Undo> = Vec::new();
    // The old tree, or `None` when the directory did not exist.
    let mut undo_dirs: Vec<(PathBuf, Option<Tree>)> = Vec::new();
    let result = (|| -> Result<(), FsError> {
        // Read everything the undo needs before changing anything.
        let mut befores = Vec::new();
        for (path, _) in files {
            let full = root.join(path);
            let before = match std::fs::read(&full) {
                Ok(bytes) => Some(bytes),
                Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                Err(e) => return Err(FsError::new("read", full, e)),
            };
            befores.push(before);
        }
        let mut old_trees = Vec::new();
        for (dir, _) in dirs {
            let full = root.join(dir);
            old_trees.push(if full.exists() {
                Some(fs::read_tree(&full)?)
            } else {
                None
            });
        }
        for ((dir, tree), old) in dirs.iter().zip(old_trees) {
            let full = root.join(dir);
            fs::replace_dir(&full, tree, &[])?;
            undo_dirs.push((full, old));
        }
        for ((path, contents), before) in files.iter().zip(befores) {
            let full = root.join(path);
            write_file(&full, contents)?;
            undo_files.push(Undo { path: full, before });
        }
        Ok(())
    })();
    if let Err(error) = result {
        for (dir, old) in undo_dirs.iter().rev() {
            let restored = match old {
                Some(old) => fs::replace_dir(dir, old, &[]),
                None => std::fs::remove_dir_all(dir).map_err(|e| FsError::new("remove", dir, e)),
            };
            if let Err(e) = restored {
                errln!("error: could not restore {}: {e}", dir.display());
            }
        }
        for undo in undo_files.iter().rev() {
            let restored = match &undo.before {
                Some(bytes) => write_file(&undo.path, bytes),
                None => std::fs::remove_file(&undo.path)
                    .map_err(|e| FsError::new("remove", &undo.path, e)),
            };
            if let Err(e) = restored {
                errln!("error: could not restore {}: {e}", undo.path.display());
            }
        }
        return Err(Failure::Io(format!("{error}; every change was undone")));
    }
    Ok(())
}

/// Writes `path` through a temporary sibling and a rename, so it is never half written.
fn write_file(path: &Path, contents: &[u8]) -> Result<(), FsError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| FsError::new("create directory", parent, e))?;
    }
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&temporary, contents).map_err(|e| FsError::new("write", &temporary, e))?;
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        FsError::new("move into place", path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    const HISTORY_2024: &str = "spec/history/ecosuite-2024-08.yaml";

    fn workspace() -> PathBuf {
        crate::workspace_root()
    }

    /// A copy of what `update-spec` reads and writes, with `spec/ecosuite.yaml` (and the
    /// generated code) as they were in 2024-08 and a CHANGELOG someone already started.
    struct Copy(PathBuf);

    impl Copy {
        fn new(test: &str) -> Copy {
            let root = std::env::temp_dir()
                .join(format!("xtask-update-spec-{}-{test}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            let from = workspace();
            let mut files = Tree::new();
            for path in [
                "Cargo.toml",
                "Cargo.lock",
                CLIENT_MANIFEST,
                CLI_MANIFEST,
                HISTORY_2024,
                "spec/overlays/ecosuite-2025.yaml",
            ] {
                files.insert(path.to_string(), std::fs::read(from.join(path)).unwrap());
            }
            files.insert(
                SPEC.to_string(),
                std::fs::read(from.join(HISTORY_2024)).unwrap(),
            );
            files.insert(
                CHANGELOG.to_string(),
                b"# Changelog\n\n## [Unreleased]\n\n- A note someone wrote by hand.\n".to_vec(),
            );
            // Stand-ins for the 2024-08 generated code: all of it is replaced.
            files.insert(format!("{OUT}/mod.rs"), b"// 2024-08\n".to_vec());
            files.insert(format!("{CLI_OUT}/mod.rs"), b"// 2024-08\n".to_vec());
            fs::replace_dir(&root, &files, &[]).unwrap();
            Copy(root)
        }

        fn read(&self, path: &str) -> String {
            std::fs::read_to_string(self.0.join(path)).unwrap()
        }

        fn tree(&self) -> Tree {
            fs::read_tree(&self.0).unwrap()
        }
    }

    impl Drop for Copy {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Serves `body` with `status` to every request on a local port; returns the base URL.
    fn serve(status: &'static str, body: Vec<u8>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/yaml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        format!("http://{address}")
    }

    fn request(copy: &Copy, source: String) -> Request {
        Request {
            source,
            root: Some(copy.0.clone()),
        }
    }

    #[test]
    fn the_overlay_turns_the_2024_document_into_the_pinned_one() {
        let root = workspace();
        let source = std::fs::read(root.join(HISTORY_2024)).unwrap();
        let (mut document, applied, warnings) =
            with_overlays(&root, HISTORY_2024, &source).unwrap();
        normalize(&mut document);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(applied.len(), 1, "{applied:?}");
        let pinned = std::fs::read(root.join(SPEC)).unwrap();
        let pinned_document: Value = serde_yaml::from_slice(&pinned).unwrap();
        assert!(
            document == pinned_document,
            "the overlay applied to {HISTORY_2024} is not {SPEC}"
        );
        // The same layout too (mappings compare without order), so the same client: the
        // text differs from the pinned file only in quoting and line wrapping.
        let written = serde_yaml::to_string(&document).unwrap();
        let generate = |bytes: &[u8]| {
            let generated = generate_client_and_cli(bytes, &generate::options()).unwrap();
            (generated.client.files, generated.cli)
        };
        assert!(
            generate(written.as_bytes()) == generate(&pinned),
            "the overlay applied to {HISTORY_2024} generates another client than {SPEC}"
        );
    }

    #[test]
    fn the_overlay_applied_to_the_pinned_document_changes_nothing_and_says_so() {
        let root = workspace();
        let pinned = std::fs::read(root.join(SPEC)).unwrap();
        let (mut document, _, warnings) = with_overlays(&root, SPEC, &pinned).unwrap();
        normalize(&mut document);
        let pinned_document: Value = serde_yaml::from_slice(&pinned).unwrap();
        assert!(document == pinned_document, "the overlay changed {SPEC}");
        let overlay =
            std::fs::read_to_string(root.join("spec/overlays/ecosuite-2025.yaml")).unwrap();
        let actions = overlay.matches("\n- target: ").count();
        assert_eq!(
            warnings.len(),
            actions,
            "one warning per action: {warnings:#?}"
        );
    }

    #[test]
    fn updates_a_copy_of_the_repository_from_a_url() {
        let copy = Copy::new("url");
        // An overlay action that no longer applies is reported by name.
        std::fs::write(
            copy.0.join("spec/overlays/zz-stale.yaml"),
            "overlay: 1.0.0\ninfo: {title: stale, version: '1'}\nactions:\n- target: $.paths['/gone']\n  description: Fixes /gone\n  remove: true\n",
        )
        .unwrap();
        let url = serve(
            "200 OK",
            std::fs::read(workspace().join(HISTORY_2024)).unwrap(),
        );
        let source = format!("{url}/openapi.yaml");
        let outcome = update(&copy.0, &request(&copy, source.clone())).unwrap();

        assert_eq!(
            outcome.warnings,
            ["spec/overlays/zz-stale.yaml: action 1 (Fixes /gone; target `$.paths['/gone']`) matched nothing in the document"]
        );
        let report = outcome.report.expect("the document changed");
        assert_eq!(report.semver, Bump::Major);

        // The document: the pinned one (the overlay applied), the old one kept.
        let root = workspace();
        let pinned: Value =
            serde_yaml::from_slice(&std::fs::read(root.join(SPEC)).unwrap()).unwrap();
        let written: Value = serde_yaml::from_str(&copy.read(SPEC)).unwrap();
        assert!(written == pinned, "{SPEC} is not the pinned document");
        assert!(copy.read(SPEC).contains("/dr/dr-events/{eventId}:"));
        assert_eq!(
            copy.read(HISTORY_2024),
            std::fs::read_to_string(root.join(HISTORY_2024)).unwrap()
        );
        // The generated code: what is checked in here.
        for dir in [OUT, CLI_OUT] {
            assert!(
                fs::read_tree(&copy.0.join(dir)).unwrap()
                    == fs::read_tree(&root.join(dir)).unwrap(),
                "{dir} differs from the checked-in one"
            );
        }
        // Versions: a breaking change to a 0.x crate bumps the minor version, everywhere.
        assert!(copy
            .read(CLIENT_MANIFEST)
            .contains("\nversion = \"0.2.0\"\n"));
        assert!(copy.read(CLI_MANIFEST).contains("\nversion = \"0.2.0\"\n"));
        assert!(copy
            .read("Cargo.toml")
            .contains("ecosuite = { path = \"generated-client\", version = \"0.2.0\" }"));
        let lock = copy.read("Cargo.lock");
        assert!(lock.contains("name = \"ecosuite\"\nversion = \"0.2.0\""));
        assert!(lock.contains("name = \"ecosuite-cli\"\nversion = \"0.2.0\""));
        assert!(lock.contains("name = \"ecosuite-generator\"\nversion = \"0.1.0\""));

        // The CHANGELOG: the hand-written Unreleased section first, then the new one, breaking
        // changes (with what to change) before additions before fixes.
        let changelog = copy.read(CHANGELOG);
        assert!(
            changelog.starts_with("# Changelog\n\n## [Unreleased]\n\n- A note someone wrote by hand.\n\n## [0.2.0] - "),
            "{changelog}"
        );
        let position = |text: &str| {
            changelog
                .find(text)
                .unwrap_or_else(|| panic!("no `{text}` in\n{changelog}"))
        };
        assert!(position("### Breaking changes") < position("### Added"));
        assert!(position("### Added") < position("### Fixed"));
        assert!(position(
            "- `GET /users` (`users`): response body changed from `Value` to `UsersResponse`. What to change: in Rust, `send()` returns another type — update code that uses `fn UsersRequest::send`."
        ) < position("### Added"));
        assert!(
            position("`POST /users` (`createUser`): operation `createUser` added.")
                > position("### Added")
        );
        assert!(changelog.contains(
            "from Ecosuite Project Data API 2024-08 to Ecosuite Project Data API 2025-11"
        ));

        // Run again: nothing to do, nothing written.
        let before = copy.tree();
        let again = update(&copy.0, &request(&copy, source)).unwrap();
        assert!(again.report.is_none());
        assert!(copy.tree() == before);
    }

    #[test]
    fn a_failing_update_leaves_the_copy_untouched() {
        let copy = Copy::new("failing");
        let before = copy.tree();
        let history = std::fs::read_to_string(workspace().join(HISTORY_2024)).unwrap();

        // A document that does not generate: a located error, nothing changed.
        let broken = copy.0.join("broken.yaml");
        std::fs::write(
            &broken,
            history.replacen(
                "$ref: '#/components/schemas/Event'",
                "$ref: '#/components/schemas/NoSuchSchema'",
                1,
            ),
        )
        .unwrap();
        let error = update(&copy.0, &request(&copy, broken.display().to_string())).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("does not generate")
                && message.contains("NoSuchSchema")
                && message.contains(REJECTED),
            "{message}"
        );
        assert_eq!(error.exit_code(), 1);
        std::fs::remove_file(&broken).unwrap();
        let _ = std::fs::remove_dir_all(copy.0.join("target"));
        assert!(
            copy.tree() == before,
            "a rejected document changed the copy"
        );

        // A URL that answers 404.
        let url = serve("404 Not Found", b"no".to_vec());
        let error = update(&copy.0, &request(&copy, format!("{url}/missing.yaml"))).unwrap_err();
        assert!(error.to_string().contains("cannot fetch"), "{error}");
        assert!(copy.tree() == before);

        // A write that fails halfway (CHANGELOG.md is a directory, and is written last):
        // everything done before it, the generated code, the document and the manifests, is
        // put back.
        std::fs::remove_file(copy.0.join(CHANGELOG)).unwrap();
        std::fs::create_dir_all(copy.0.join("CHANGELOG.md/blocked")).unwrap();
        let source = copy.0.join("upstream.yaml");
        std::fs::write(&source, &history).unwrap();
        let before = copy.tree();
        let error = update(&copy.0, &request(&copy, source.display().to_string())).unwrap_err();
        assert!(
            error.to_string().contains("every change was undone"),
            "{error}"
        );
        assert!(copy.tree() == before, "a failed write left changes behind");
    }

    #[test]
    fn bumps_by_the_0x_rules() {
        for (version, bump_kind, next) in [
            ("0.1.0", Bump::Major, "0.2.0"),
            ("0.1.3", Bump::Minor, "0.1.4"),
            ("0.1.3", Bump::Patch, "0.1.4"),
            ("1.2.3", Bump::Major, "2.0.0"),
            ("1.2.3", Bump::Minor, "1.3.0"),
            ("1.2.3", Bump::Patch, "1.2.4"),
            ("0.3.0-alpha.1", Bump::Major, "0.4.0"),
        ] {
            assert_eq!(
                bump(version, bump_kind).unwrap(),
                next,
                "{version} {bump_kind:?}"
            );
        }
        assert!(bump("1.2", Bump::Patch).is_err());
    }

    #[test]
    fn edits_manifests_in_place() {
        let manifest = "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\nversion_check = \"1\"\n";
        assert_eq!(package_version(manifest, "m").unwrap(), "0.1.0");
        assert_eq!(
            set_package_version(manifest, "0.2.0"),
            manifest.replace("version = \"0.1.0\"", "version = \"0.2.0\"")
        );
        let workspace = "[workspace.dependencies]\necosuite-cli = { path = \"cli\" }\necosuite = { path = \"generated-client\", version = \"0.1.0\" }\n";
        assert_eq!(
            set_dependency_version(workspace, "ecosuite", "0.2.0").unwrap(),
            workspace.replace("0.1.0", "0.2.0")
        );
        assert!(set_dependency_version(workspace, "serde", "1").is_none());
    }

    #[test]
    fn a_section_goes_after_the_heading_and_unreleased() {
        let section = "## [0.2.0] - 2026-01-01\n\nnew\n";
        assert!(insert_section("", section).starts_with("# Changelog\n\nAll notable"));
        assert!(insert_section("", section).ends_with(section));
        assert_eq!(
            insert_section("# Changelog\n\n## [0.1.0] - 2025-01-01\n\nold\n", section),
            "# Changelog\n\n## [0.2.0] - 2026-01-01\n\nnew\n\n## [0.1.0] - 2025-01-01\n\nold\n"
        );
        assert_eq!(
            insert_section("# Changelog\n\n## Unreleased\n\n- x\n", section),
            "# Changelog\n\n## Unreleased\n\n- x\n\n## [0.2.0] - 2026-01-01\n\nnew\n"
        );
    }

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_454), "2026-01-01");
    }
}
