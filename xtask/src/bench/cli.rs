//! `cargo xtask bench --only cli`: what the `ecosuite` command line costs to distribute, per
//! cargo profile: its cold build (dependencies included, in a target directory of its own,
//! emptied first) and the size of the binary. Minutes per profile, so only on request.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use super::table::Table;
use crate::failure::Failure;

/// The profiles compared: the workspace's `release` (the other benches' figures depend on it,
/// so it stays as it is) and `dist`, the one releases are built with.
const PROFILES: &[&str] = &["release", "dist"];

pub fn table(root: &Path) -> Result<Table, Failure> {
    let mut table = Table::new(
        "The `ecosuite` command line, cold build per profile",
        &[
            ("profile", false),
            ("cold build", true),
            ("binary", true),
            ("binary / release", true),
        ],
    );
    let mut release_size = None;
    for profile in PROFILES {
        errln!("bench: cold build of the command line with `--profile {profile}`");
        let (seconds, bytes) = cold_build(root, profile)?;
        let size = *release_size.get_or_insert(bytes);
        table.row(vec![
            profile.to_string(),
            format!("{}:{:04.1}", (seconds / 60.0) as u64, seconds % 60.0),
            format!("{:.1} MB", bytes as f64 / 1e6),
            format!("{:.2}x", bytes as f64 / size as f64),
        ]);
    }
    table.note(
        "`cargo build -p ecosuite-cli --profile P --locked` in an emptied target directory \
         (`target/bench/cli-P`), so every dependency is compiled too; minutes:seconds of wall \
         time, one run each. The profiles are in the workspace's Cargo.toml.",
    );
    Ok(table)
}

fn cold_build(root: &Path, profile: &str) -> Result<(f64, u64), Failure> {
    let target = root.join("target/bench").join(format!("cli-{profile}"));
    let _ = std::fs::remove_dir_all(&target);
    let started = Instant::now();
    let status = Command::new(super::cargo())
        .current_dir(root)
        .args([
            "build",
            "--quiet",
            "--locked",
            "-p",
            "ecosuite-cli",
            "--profile",
            profile,
        ])
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| Failure::Io(format!("cannot run cargo: {e}")))?;
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(Failure::Io(format!(
            "building the command line with `--profile {profile}` failed"
        )));
    }
    // Cargo puts `release` in `release/` and any other profile in a directory of its name.
    let binary = target.join(profile).join("ecosuite");
    let bytes = std::fs::metadata(&binary)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", binary.display())))?
        .len();
    Ok((seconds, bytes))
}
