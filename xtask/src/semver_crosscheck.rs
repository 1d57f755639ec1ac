//! `cargo xtask semver-crosscheck [--only NAME]`: checks `diff`'s semver verdicts against an
//! independent tool, cargo-semver-checks, on the real history pair and on every rule fixture
//! pair of `tests/fixtures/diff/` (both ways).
//!
//! For each pair it generates both standalone crates (the same crate name, version 1.0.0, so
//! that cargo-semver-checks speaks of major/minor/patch rather than of the 0.x rules) into
//! `target/semver-crosscheck/<pair>/{old,new}`, computes `diff`'s verdict in process, runs
//! `cargo semver-checks check-release` with a target directory shared by all pairs, and prints
//! a Markdown table. It fails when `diff`'s verdict is weaker than cargo-semver-checks' on any
//! pair. Manual, not in CI: cargo-semver-checks is installed from crates.io when missing
//! (it builds about 400 crates), and every pair builds rustdoc for two crates.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use ecosuite_generator::diff::{compare, Bump};
use ecosuite_generator::{build_model, generate, Options};
use serde::Deserialize;

use crate::failure::Failure;
use crate::{fs, standalone};

/// Where the rule fixtures live, relative to the workspace root (shared with tests/tests/diff.rs).
const FIXTURES: &str = "tests/fixtures/diff";

/// The real history pair.
const HISTORY: (&str, &str) = ("spec/history/ecosuite-2024-08.yaml", "spec/ecosuite.yaml");

/// Everything this command writes, relative to the workspace root.
const OUT: &str = "target/semver-crosscheck";

/// The version both crates of a pair get: at 1.0.0 cargo-semver-checks' verdicts are in
/// major/minor/patch terms (for a 0.x crate it folds major into minor).
const VERSION: &str = "1.0.0";

/// The tool and how to get it.
const TOOL: &str = "cargo-semver-checks";
const INSTALL: &[&str] = &["install", "--locked", "cargo-semver-checks"];

#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    /// Only pairs whose name contains this.
    pub only: Option<String>,
}

/// One rule of `rules.yaml` (the expectations are the tests'; here only the documents count).
#[derive(Deserialize)]
struct Rule {
    name: String,
    from: String,
    to: String,
}

/// One pair of `pairs.yaml`.
#[derive(Deserialize)]
struct DocumentPair {
    name: String,
    old: String,
    new: String,
}

/// Two documents to compare, old -> new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// As shown in the table, e.g. `operation added / removed (backward)`.
    pub name: String,
    /// Directory name under `target/semver-crosscheck/`.
    pub slug: String,
    pub old: String,
    pub new: String,
}

/// What cargo-semver-checks said about one pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// From its `Summary` line: the bump its failed (deny-level) lints require.
    pub required: Bump,
    /// From its `Warning` line: the bump its warn-level lints suggest, if higher.
    pub suggested: Option<Bump>,
    /// The ids of the lints it reported (failures, then warnings).
    pub lints: Vec<String>,
}

impl Verdict {
    /// What `diff`'s verdict is compared with: warnings count too.
    pub fn bump(&self) -> Bump {
        self.suggested
            .map_or(self.required, |s| s.max(self.required))
    }
}

struct Row {
    pair: String,
    diff: Bump,
    tool: Verdict,
}

pub fn run(root: &Path, request: &Request) -> Result<(), Failure> {
    let pairs: Vec<Pair> = all_pairs(root)?
        .into_iter()
        .filter(|pair| match &request.only {
            Some(only) => pair.name.contains(only.as_str()) || pair.slug.contains(only.as_str()),
            None => true,
        })
        .collect();
    if pairs.is_empty() {
        return Err(Failure::Usage(format!(
            "no pair's name contains `{}`",
            request.only.as_deref().unwrap_or_default()
        )));
    }
    ensure_tool()?;

    let out = root.join(OUT);
    let target_dir = out.join("target");
    let started = Instant::now();
    let mut rows = Vec::new();
    for (index, pair) in pairs.iter().enumerate() {
        errln!(
            "semver-crosscheck: [{}/{}] {}",
            index + 1,
            pairs.len(),
            pair.name
        );
        let pair_started = Instant::now();
        let diff = diff_verdict(pair)?;
        let dir = out.join(&pair.slug);
        let (old_dir, new_dir) = (dir.join("old"), dir.join("new"));
        let name = crate_name(&pair.slug);
        write_crate(root, pair, &pair.old, &name, &old_dir)?;
        write_crate(root, pair, &pair.new, &name, &new_dir)?;
        let tool = run_tool(pair, &old_dir, &new_dir, &target_dir)?;
        errln!(
            "semver-crosscheck:   diff {}, cargo-semver-checks {} ({:.0} s)",
            diff.as_str(),
            tool.bump().as_str(),
            pair_started.elapsed().as_secs_f64()
        );
        rows.push(Row {
            pair: pair.name.clone(),
            diff,
            tool,
        });
    }

    outln!("| pair | diff | cargo-semver-checks | result | cargo-semver-checks lints |");
    outln!("| --- | --- | --- | --- | --- |");
    for row in &rows {
        let tool = match row.tool.suggested {
            Some(suggested) if suggested > row.tool.required => format!(
                "{} (warnings: {})",
                row.tool.required.as_str(),
                suggested.as_str()
            ),
            _ => row.tool.required.as_str().to_string(),
        };
        let lints = row
            .tool
            .lints
            .iter()
            .map(|lint| format!("`{lint}`"))
            .collect::<Vec<_>>()
            .join(", ");
        outln!(
            "| {} | {} | {tool} | {} | {lints} |",
            row.pair.replace('|', "\\|"),
            row.diff.as_str(),
            agreement(row.diff, row.tool.bump())
        );
    }
    let count = |result: &str| {
        rows.iter()
            .filter(|row| agreement(row.diff, row.tool.bump()) == result)
            .count()
    };
    let weaker = count("DIFF WEAKER");
    outln!(
        "\n{} pairs: {} agree, {} diff stricter, {weaker} diff weaker ({:.0} s)",
        rows.len(),
        count("agree"),
        count("diff stricter"),
        started.elapsed().as_secs_f64()
    );
    if weaker > 0 {
        let names: Vec<&str> = rows
            .iter()
            .filter(|row| row.diff < row.tool.bump())
            .map(|row| row.pair.as_str())
            .collect();
        return Err(Failure::Disagrees(format!(
            "diff's verdict is weaker than cargo-semver-checks' on {weaker} pairs: {}",
            names.join("; ")
        )));
    }
    Ok(())
}

fn agreement(diff: Bump, tool: Bump) -> &'static str {
    match diff.cmp(&tool) {
        std::cmp::Ordering::Equal => "agree",
        std::cmp::Ordering::Greater => "diff stricter",
        std::cmp::Ordering::Less => "DIFF WEAKER",
    }
}

/// The history pair, then every rule of `rules.yaml` and every pair of `pairs.yaml`, both ways.
fn all_pairs(root: &Path) -> Result<Vec<Pair>, Failure> {
    let read = |path: &str| -> Result<String, Failure> {
        let bytes = fs::read(&root.join(path))?;
        String::from_utf8(bytes).map_err(|_| Failure::Io(format!("{path} is not UTF-8")))
    };
    let mut pairs = vec![Pair {
        name: format!("history: {} -> {}", HISTORY.0, HISTORY.1),
        slug: "history".into(),
        old: read(HISTORY.0)?,
        new: read(HISTORY.1)?,
    }];
    let base = read(&format!("{FIXTURES}/base.yaml"))?;
    let rules_path = format!("{FIXTURES}/rules.yaml");
    let rules: Vec<Rule> = serde_yaml::from_str(&read(&rules_path)?)
        .map_err(|e| Failure::Io(format!("{rules_path}: {e}")))?;
    let mut both_ways = Vec::new();
    for rule in rules {
        if !base.contains(&rule.from) {
            return Err(Failure::Io(format!(
                "{rules_path}: rule `{}`: its `from` is not in base.yaml",
                rule.name
            )));
        }
        let modified = base.replacen(&rule.from, &rule.to, 1);
        both_ways.push((rule.name, base.clone(), modified));
    }
    let pairs_path = format!("{FIXTURES}/pairs.yaml");
    let documents: Vec<DocumentPair> = serde_yaml::from_str(&read(&pairs_path)?)
        .map_err(|e| Failure::Io(format!("{pairs_path}: {e}")))?;
    both_ways.extend(documents.into_iter().map(|p| (p.name, p.old, p.new)));
    for (name, old, new) in both_ways {
        for (direction, old, new) in [
            ("forward", old.clone(), new.clone()),
            ("backward", new, old),
        ] {
            pairs.push(Pair {
                name: format!("{name} ({direction})"),
                slug: format!("{}-{direction}", slug(&name)),
                old,
                new,
            });
        }
    }
    Ok(pairs)
}

/// `operation added / removed` -> `operation-added-removed`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Both crates of a pair are named after it; `history` -> `crosscheck_history`.
fn crate_name(slug: &str) -> String {
    format!("crosscheck_{}", slug.replace('-', "_"))
}

/// `diff`'s verdict for the Rust crate, computed in process.
fn diff_verdict(pair: &Pair) -> Result<Bump, Failure> {
    let model = |text: &str, label: &str| {
        build_model(
            text.as_bytes(),
            &Options {
                spec_name: label.to_string(),
                ..Options::default()
            },
        )
        .map_err(|e| Failure::Spec(format!("pair `{}`: {label}: {e}", pair.name)))
    };
    let old = model(&pair.old, "old.yaml")?;
    let new = model(&pair.new, "new.yaml")?;
    Ok(compare(&old, &new, "old.yaml", "new.yaml").semver)
}

/// Writes the standalone crate of `document` (as `cargo xtask generate --spec --out --name`
/// would, without the mock) into `dir`, with version [`VERSION`].
fn write_crate(
    root: &Path,
    pair: &Pair,
    document: &str,
    name: &str,
    dir: &Path,
) -> Result<(), Failure> {
    let context = |e: String| format!("pair `{}`: {}: {e}", pair.name, dir.display());
    let options = Options {
        spec_name: "api.yaml".into(),
        command: "cargo xtask semver-crosscheck".into(),

        ..Options::default()
    };
    let files = generate(document.as_bytes(), &options)
        .map_err(|e| Failure::Spec(context(e.to_string())))?;
    let mut tree = standalone::crate_tree(root, name, "api.yaml", files.files)
        .map_err(|e| Failure::Io(context(e.to_string())))?;
    let manifest = tree
        .get("Cargo.toml")
        .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_default();
    let versioned = set_version(&manifest, VERSION)
        .ok_or_else(|| Failure::Io(context("no `version = ` line in its Cargo.toml".into())))?;
    tree.insert("Cargo.toml".into(), versioned.into_bytes());
    let _ = std::fs::remove_dir_all(dir);
    fs::replace_dir(dir, &tree, &[]).map_err(|e| Failure::Io(context(e.to_string())))
}

/// The manifest with its first `version = "..."` line (the package's) set to `version`.
fn set_version(manifest: &str, version: &str) -> Option<String> {
    let mut done = false;
    let lines: Vec<String> = manifest
        .lines()
        .map(|line| {
            if !done && line.starts_with("version = ") {
                done = true;
                format!("version = \"{version}\"")
            } else {
                line.to_string()
            }
        })
        .collect();
    done.then(|| lines.join("\n") + "\n")
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Is `cargo-semver-checks` on PATH? If not, install it.
fn ensure_tool() -> Result<(), Failure> {
    let on_path = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path)
            .any(|dir| dir.join(TOOL).is_file() || dir.join(format!("{TOOL}.exe")).is_file())
    });
    if on_path {
        return Ok(());
    }
    let command = format!("cargo {}", INSTALL.join(" "));
    errln!(
        "semver-crosscheck: {TOOL} is not on PATH; running `{command}` (it builds about 400 crates: 10 to 30 minutes)"
    );
    let status = Command::new(cargo())
        .args(INSTALL)
        .status()
        .map_err(|e| Failure::Io(format!("cannot run `{command}`: {e}")))?;
    if !status.success() {
        return Err(Failure::Io(format!("`{command}` failed ({status})")));
    }
    Ok(())
}

/// Runs cargo-semver-checks on one pair and reads its verdict.
fn run_tool(
    pair: &Pair,
    old_dir: &Path,
    new_dir: &Path,
    target_dir: &Path,
) -> Result<Verdict, Failure> {
    let manifest = new_dir.join("Cargo.toml");
    let args: Vec<PathBuf> = [
        "semver-checks",
        "check-release",
        "--color",
        "never",
        // Every failed lint counts, so the summary names the highest bump required.
        "--release-type",
        "patch",
        "--baseline-root",
    ]
    .into_iter()
    .map(PathBuf::from)
    .chain([old_dir.to_path_buf()])
    .chain(["--manifest-path".into(), manifest])
    .collect();
    let command = format!(
        "CARGO_TARGET_DIR={} cargo {}",
        target_dir.display(),
        args.iter()
            .map(|arg| arg.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let output = Command::new(cargo())
        .args(&args)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .map_err(|e| Failure::Io(format!("pair `{}`: cannot run `{command}`: {e}", pair.name)))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    parse_output(&stdout, &stderr).ok_or_else(|| {
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        Failure::Io(format!(
            "pair `{}`: `{command}` failed ({}) without a verdict:\n{}",
            pair.name,
            output.status,
            tail.join("\n")
        ))
    })
}

/// The verdict in cargo-semver-checks' output: `Summary semver requires new major version: ...`
/// or `Summary no semver update required` (stderr), `--- failure LINT: ... ---` and
/// `--- warning LINT: ... ---` (stdout), `... warnings suggest new minor version` (stderr).
/// `None` when there is no summary (the tool failed).
fn parse_output(stdout: &str, stderr: &str) -> Option<Verdict> {
    let bump_named = |text: &str, prefix: &str| -> Option<Bump> {
        let rest = &text[text.find(prefix)? + prefix.len()..];
        match rest.split_whitespace().next()? {
            "major" => Some(Bump::Major),
            "minor" => Some(Bump::Minor),
            _ => None,
        }
    };
    let mut required = None;
    let mut suggested = None;
    for line in stderr.lines().map(str::trim) {
        if let Some(summary) = line.strip_prefix("Summary ") {
            required = if summary.trim() == "no semver update required" {
                Some(Bump::Patch)
            } else {
                Some(bump_named(summary, "semver requires new ")?)
            };
        } else if line.contains("warnings suggest new ") {
            suggested = bump_named(line, "warnings suggest new ");
        }
    }
    let lints = stdout
        .lines()
        .filter_map(|line| {
            let rest = line
                .trim()
                .strip_prefix("--- failure ")
                .or_else(|| line.trim().strip_prefix("--- warning "))?;
            Some(rest.split(':').next()?.trim().to_string())
        })
        .collect();
    Some(Verdict {
        required: required?,
        suggested,
        lints,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_cover_history_and_every_fixture_both_ways() {
        let pairs = all_pairs(&crate::workspace_root()).unwrap();
        assert_eq!(pairs[0].slug, "history");
        assert!(pairs.len() > 40, "{}", pairs.len());
        assert_eq!(
            pairs.len() % 2,
            1,
            "the history, then each fixture both ways"
        );
        assert!(pairs
            .iter()
            .any(|p| p.slug == "positional-path-arguments-swapped-forward"));
        let forward = pairs
            .iter()
            .find(|p| p.name == "operation added / removed (forward)")
            .unwrap();
        let backward = pairs
            .iter()
            .find(|p| p.name == "operation added / removed (backward)")
            .unwrap();
        assert_eq!((&forward.old, &forward.new), (&backward.new, &backward.old));
        assert!(forward.new.contains("getOther") && !forward.old.contains("getOther"));
        let mut slugs: Vec<&str> = pairs.iter().map(|p| p.slug.as_str()).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), pairs.len(), "slugs are unique");
    }

    #[test]
    fn slugs_and_crate_names() {
        assert_eq!(slug("operation added / removed"), "operation-added-removed");
        assert_eq!(
            slug("property of a schema used only in error answers removed / added"),
            "property-of-a-schema-used-only-in-error-answers-removed-added"
        );
        assert_eq!(
            crate_name("operation-moved-forward"),
            "crosscheck_operation_moved_forward"
        );
    }

    #[test]
    fn sets_the_package_version() {
        let manifest =
            "# c\n[package]\nname = \"x\"\nversion = \"0.1.0\"\n[dependencies]\nversion = \"1\"\n";
        assert_eq!(
            set_version(manifest, "1.0.0").unwrap(),
            "# c\n[package]\nname = \"x\"\nversion = \"1.0.0\"\n[dependencies]\nversion = \"1\"\n"
        );
        assert_eq!(set_version("[package]\n", "1.0.0"), None);
    }

    #[test]
    fn reads_the_verdict() {
        let stdout =
            "\n--- failure function_missing: pub fn removed or renamed ---\n\nDescription:\n...\n\
                      \n--- failure enum_variant_missing: pub enum variant removed or renamed ---\n\
                      \n--- warning function_marked_deprecated: function #[deprecated] added ---\n";
        let stderr = "    Building crosscheck_x v1.0.0 (current)\n     Checked [   0.012s] 120 checks: 118 pass, 2 fail, 0 warn, 0 skip\n\n     Summary semver requires new major version: 2 major and 0 minor checks failed\n";
        assert_eq!(
            parse_output(stdout, stderr),
            Some(Verdict {
                required: Bump::Major,
                suggested: None,
                lints: vec![
                    "function_missing".into(),
                    "enum_variant_missing".into(),
                    "function_marked_deprecated".into()
                ],
            })
        );
        let pass = "     Checked [   0.010s] 120 checks: 120 pass, 0 skip\n     Summary no semver update required\n";
        let verdict = parse_output("", pass).unwrap();
        assert_eq!(verdict.bump(), Bump::Patch);
        assert!(verdict.lints.is_empty());
        let warned = "     Summary no semver update required\n     Warning produced 0 major and 1 minor level warnings\n             produced warnings suggest new minor version\n";
        let verdict = parse_output("", warned).unwrap();
        assert_eq!(
            (verdict.required, verdict.suggested, verdict.bump()),
            (Bump::Patch, Some(Bump::Minor), Bump::Minor)
        );
        assert_eq!(parse_output("", "error: could not compile\n"), None);
    }

    #[test]
    fn agreement_is_from_diffs_side() {
        assert_eq!(agreement(Bump::Major, Bump::Major), "agree");
        assert_eq!(agreement(Bump::Minor, Bump::Patch), "diff stricter");
        assert_eq!(agreement(Bump::Minor, Bump::Major), "DIFF WEAKER");
    }
}
