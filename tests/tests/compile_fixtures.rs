//! Compile test: the crate `cargo xtask generate` writes for every fixture spec compiles, and
//! is free of compiler, clippy and rustdoc warnings.
//!
//! Slow on a cold cache (the first run builds reqwest and friends once, into a target directory
//! shared by all fixture crates), so it is one test that loops over the fixtures rather than
//! one test per fixture racing for the same build lock. Run with `--nocapture` to see progress.

mod common;

use std::process::Command;

/// What is run on each generated crate, in order: a label, cargo's subcommand, and arguments
/// for after the common flags. A failing step skips the ones after it.
const STEPS: &[(&str, &str, &[&str])] = &[
    ("cargo check", "check", &["--all-targets"]),
    (
        "cargo clippy",
        "clippy",
        &["--all-targets", "--", "-D", "warnings"],
    ),
    // Broken intra-doc links, bare URLs and the like: spec text lands in doc comments.
    ("cargo doc", "doc", &["--no-deps"]),
    // A code fence in a spec description would become a doctest that fails to compile. Only the
    // generated code's doctests: the copied runtime's examples name the `ecosuite` crate.
    (
        "cargo test --doc",
        "test",
        &["--doc", "--", "src/generated/"],
    ),
];

#[test]
fn generated_fixture_crates_compile_without_warnings() {
    let root = common::workspace_root();
    let crates_dir = root.join("target/fixture-crates");
    // Shared by all fixture crates, so their dependencies compile once.
    let target_dir = root.join("target/fixture-check");
    // The hand-written fixtures, then a few published documents (tests/fixtures/corpus/).
    let mut specs: Vec<(String, String)> = common::fixture_names()
        .into_iter()
        .map(|name| (format!("tests/fixtures/{name}.yaml"), name))
        .collect();
    specs.extend(common::corpus_fixtures().into_iter().map(|file| {
        let name: String = file
            .rsplit_once('.')
            .map_or(file.as_str(), |(stem, _)| stem)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect::<String>()
            // `a--b` must not become `a__b`: a crate name is a snake-case identifier.
            .split('_')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        (format!("tests/fixtures/corpus/{file}"), name)
    }));
    let mut failures = Vec::new();

    for (index, (spec, name)) in specs.iter().enumerate() {
        let progress = format!("[{}/{}] {name}", index + 1, specs.len());
        let out_dir = crates_dir.join(name);

        eprintln!("{progress}: cargo xtask generate");
        let generated = common::generate_standalone(spec, &out_dir, &format!("fixture_{name}"));
        if !generated.status.success() {
            failures.push(failure(name, "cargo xtask generate", &generated));
            continue;
        }
        common::pin_dependencies(&out_dir);

        for (step, subcommand, args) in STEPS {
            eprintln!("{progress}: {step}");
            let output = Command::new(env!("CARGO"))
                .current_dir(&out_dir)
                .arg(subcommand)
                .args(["--quiet", "--color=never", "--manifest-path"])
                .arg(out_dir.join("Cargo.toml"))
                .args(*args)
                .env("CARGO_TARGET_DIR", &target_dir)
                // CARGO_ENCODED_RUSTFLAGS would take precedence over RUSTFLAGS.
                .env_remove("CARGO_ENCODED_RUSTFLAGS")
                .env("RUSTFLAGS", "-D warnings")
                .env("RUSTDOCFLAGS", "-D warnings")
                .output()
                .expect("cargo runs");
            if !output.status.success() {
                failures.push(failure(name, step, &output));
                break;
            }
        }
    }

    assert!(
        failures.is_empty(),
        "{} of {} fixture crates failed:\n\n{}",
        failures.len(),
        specs.len(),
        failures.join("\n\n")
    );
}

fn failure(name: &str, step: &str, output: &std::process::Output) -> String {
    common::command_failure(&format!("fixture {name}.yaml"), step, output)
}
