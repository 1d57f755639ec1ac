//! `cargo xtask`: reads the command line and runs the matching maintenance command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `println!` that ignores a closed stdout (`cargo xtask check | head`) instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed stderr instead of panicking.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod bench;
mod check;
mod corpus;
mod diff;
mod failure;
mod fidelity;
mod fs;
mod generate;
mod jsonpath;
mod overlay;
mod rewrite31;
mod semver_crosscheck;
mod standalone;
mod update_spec;
mod workspace;

use failure::Failure;

const USAGE: &str = "\
cargo xtask: maintenance commands for the ecosuite client

USAGE:
    cargo xtask generate
        Regenerate generated-client/src/generated/ from spec/ecosuite.yaml.
    cargo xtask check
        Fail if generated-client/src/generated/ differs from what `generate` would write.
    cargo xtask generate --spec PATH --out DIR --name CRATE
        Write a standalone crate CRATE into DIR for the OpenAPI 3.0 or 3.1 document PATH.
        DIR must be missing, empty, or an earlier output of this command.
    cargo xtask diff [OLD [NEW]] [--format markdown|json] [--fail-on breaking]
        Explain what changes between two API documents, for API clients and for the
        crate's semver. OLD and NEW are files or REV:path (read from git); OLD defaults
        to HEAD:spec/ecosuite.yaml, NEW to spec/ecosuite.yaml.
    cargo xtask corpus DIR [--only TEXT] [--no-check]
        Generate a standalone crate for every OpenAPI document in DIR and `cargo check`
        it (shared target directory target/corpus-check); print a table and
        `N passed, M failed`.
    cargo xtask fidelity SPEC... [--target-dir DIR] [--deny-warnings]
        For every component schema of each document: make a JSON instance with every
        property filled and an undeclared key in every open object, check it with a JSON
        Schema validator, decode it into the generated type and encode it again (a harness
        in the generated crate, built in DIR, default target/fidelity/build); print
        `N/M types round-trip` per document and the first differing JSON path of each
        failure. --deny-warnings builds with RUSTFLAGS=-D warnings (as the compile test).
    cargo xtask bench [--corpus PATH]... [--runs N] [--only PARTS] [--breakdown]
                      [--seconds S] [--markdown FILE]
        Time the generator per stage (spec/ecosuite.yaml and each --corpus document,
        median of N runs, default 10), the compile cost of the generated crate, decoding
        throughput and per-call overhead of the client; print a table per part. PARTS is a
        comma-separated list of generation, compile, decode, calls (default: all), and
        cli: the command line's cold build and binary size per profile (release, dist;
        minutes, so only when named).
        --breakdown also builds variants of the crate to show which generated constructs
        cost compile time. --markdown writes the tables as Markdown for the README.
        Always measures a release build: `cargo xtask` is a debug build, so the command
        runs itself again with `cargo run --release -p xtask -- bench`.
    cargo xtask rewrite-31 IN OUT
        Write the OpenAPI 3.1 form of the OpenAPI 3.0 document IN (the same API) to OUT
        (paths relative to the workspace root).
    cargo xtask update-spec SOURCE [--root DIR]
        Make the API document at SOURCE (a file or an http(s) URL) the pinned one: apply
        the overlays in spec/overlays/, refuse it if it does not generate, keep the old
        document in spec/history/, write spec/ecosuite.yaml, regenerate the client and the
        command line, bump both crates' versions by the diff's semver verdict, add a
        CHANGELOG.md section and print the diff report. All or nothing. --root works on
        another copy of the repository (default: this workspace).
    cargo xtask semver-crosscheck [--only NAME]
        Check diff's semver verdicts against cargo-semver-checks (installed with
        `cargo install --locked cargo-semver-checks` when missing): for the history pair
        and every rule fixture pair of tests/fixtures/diff/ both ways (or only those whose
        name contains NAME), generate both crates (version 1.0.0) into
        target/semver-crosscheck/, run `cargo semver-checks check-release`, print a table;
        fail if diff's verdict is weaker than cargo-semver-checks' on any pair. Manual,
        not in CI: slow.
    cargo xtask help
        Print this message.

EXIT STATUS:
    0 success; 1 the document was rejected, the client is stale, (diff --fail-on
    breaking) a change is breaking, or (semver-crosscheck) diff's verdict is weaker
    than cargo-semver-checks'; 2 usage or I/O error, or a diff side unreadable
";

#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Generate,
    Check,
    Standalone(standalone::Request),
    Diff(diff::Request),
    Corpus(corpus::Request),
    Fidelity(fidelity::Request),
    Bench(bench::Request),
    Rewrite31(rewrite31::Request),
    UpdateSpec(update_spec::Request),
    SemverCrosscheck(semver_crosscheck::Request),
}

fn main() -> ExitCode {
    let result = parse_args(std::env::args_os().skip(1)).and_then(|command| {
        if command == Command::Help {
            return run(command, Path::new("."));
        }
        let root = workspace::root()?;
        // Which checkout this run reads and writes, in case a shared target directory made
        // cargo run a binary built elsewhere.
        errln!("{}", workspace::describe(&root));
        run(command, &root)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            match &failure {
                Failure::Usage(message) => errln!("error: {message}\n\n{}", USAGE.trim_end()),
                Failure::Stale => {}
                Failure::Breaking(_) => errln!("{failure}"),
                Failure::Io(_)
                | Failure::Spec(_)
                | Failure::Unreadable(_)
                | Failure::Disagrees(_) => {
                    errln!("error: {failure}")
                }
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

fn run(command: Command, root: &Path) -> Result<(), Failure> {
    match command {
        Command::Help => {
            outln!("{}", USAGE.trim_end());
            Ok(())
        }
        Command::Generate => generate::run(root),
        Command::Check => check::run(root),
        Command::Standalone(request) => standalone::run(root, &request),
        Command::Diff(request) => diff::run(root, &request),
        Command::Corpus(request) => corpus::run(root, &request),
        Command::Fidelity(request) => fidelity::run(root, &request),
        Command::Bench(request) => bench::run(root, &request),
        Command::Rewrite31(request) => rewrite31::run(root, &request),
        Command::UpdateSpec(request) => update_spec::run(root, &request),
        Command::SemverCrosscheck(request) => semver_crosscheck::run(root, &request),
    }
}

/// The workspace root for the tests, found at run time as `cargo xtask` finds it
/// ([`workspace::root`]).
#[cfg(test)]
fn workspace_root() -> PathBuf {
    workspace::root().unwrap_or_else(|failure| panic!("{failure}"))
}

fn parse_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Command, Failure> {
    let args = args
        .into_iter()
        .map(|arg| {
            arg.into_string()
                .map_err(|arg| usage(format!("argument `{}` is not UTF-8", arg.to_string_lossy())))
        })
        .collect::<Result<Vec<String>, Failure>>()?;
    let Some((command, rest)) = args.split_first() else {
        return Err(usage("no command given"));
    };
    if rest.iter().any(|arg| arg == "--help" || arg == "-h") {
        return Ok(Command::Help);
    }
    match command.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "check" => match rest.first() {
            None => Ok(Command::Check),
            Some(arg) => Err(usage(format!("`check` takes no arguments, got `{arg}`"))),
        },
        "generate" => parse_generate(rest),
        "diff" => parse_diff(rest),
        "corpus" => parse_corpus(rest),
        "fidelity" => parse_fidelity(rest),
        "bench" => bench::parse(rest).map(Command::Bench).map_err(usage),
        "rewrite-31" => match rest {
            [input, output] => Ok(Command::Rewrite31(rewrite31::Request {
                input: input.into(),
                output: output.into(),
            })),
            _ => Err(usage("`rewrite-31` takes IN and OUT")),
        },
        "update-spec" => parse_update_spec(rest),
        "semver-crosscheck" => parse_semver_crosscheck(rest),
        other => Err(usage(format!("unknown command `{other}`"))),
    }
}

/// `generate` alone regenerates the checked-in client; with all of `--spec`, `--out` and
/// `--name` it writes a standalone crate instead. Half of them is a mistake, not a default.
fn parse_generate(args: &[String]) -> Result<Command, Failure> {
    let (mut spec, mut out, mut name) = (None, None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = split_flag(arg);
        let slot = match flag {
            "--spec" => &mut spec,
            "--out" => &mut out,
            "--name" => &mut name,
            _ if flag.starts_with('-') => {
                return Err(usage(format!("unknown option `{flag}` for `generate`")))
            }
            _ => return Err(usage(format!("unexpected argument `{arg}` for `generate`"))),
        };
        let value = match inline {
            Some(value) => value,
            None => match args.next() {
                Some(value) if !value.starts_with("--") => value.clone(),
                _ => return Err(usage(format!("`{flag}` needs a value"))),
            },
        };
        if value.is_empty() {
            return Err(usage(format!("`{flag}` needs a non-empty value")));
        }
        if slot.replace(value).is_some() {
            return Err(usage(format!("`{flag}` given more than once")));
        }
    }
    match (spec, out, name) {
        (None, None, None) => Ok(Command::Generate),
        (Some(spec), Some(out), Some(name)) => Ok(Command::Standalone(standalone::Request {
            spec: spec.into(),
            out: out.into(),
            name,
        })),
        (spec, out, name) => {
            let missing: Vec<&str> = [
                ("--spec", spec.is_none()),
                ("--out", out.is_none()),
                ("--name", name.is_none()),
            ]
            .into_iter()
            .filter_map(|(flag, is_missing)| is_missing.then_some(flag))
            .collect();
            Err(usage(format!(
                "`--spec`, `--out` and `--name` go together; missing {}",
                missing.join(", ")
            )))
        }
    }
}

fn parse_diff(args: &[String]) -> Result<Command, Failure> {
    let (mut sides, mut json, mut fail_on_breaking) = (Vec::new(), false, false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = split_flag(arg);
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| usage(format!("`{flag}` needs a value")))
        };
        match flag {
            "--format" => match value()?.as_str() {
                "json" => json = true,
                "markdown" => json = false,
                other => {
                    return Err(usage(format!(
                        "unknown format `{other}`: use markdown or json"
                    )))
                }
            },
            "--fail-on" => match value()?.as_str() {
                "breaking" => fail_on_breaking = true,
                other => {
                    return Err(usage(format!(
                        "`--fail-on` takes `breaking`, not `{other}`"
                    )))
                }
            },
            _ if flag.starts_with('-') => {
                return Err(usage(format!("unknown option `{flag}` for `diff`")))
            }
            _ => sides.push(arg.clone()),
        }
    }
    if sides.len() > 2 {
        return Err(usage(
            "`diff` compares two documents; give at most OLD and NEW",
        ));
    }
    Ok(Command::Diff(diff::Request::new(
        &sides,
        json,
        fail_on_breaking,
    )))
}

fn parse_update_spec(args: &[String]) -> Result<Command, Failure> {
    let (mut source, mut root) = (None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = split_flag(arg);
        match flag {
            "--root" => {
                let value = inline
                    .or_else(|| args.next().cloned())
                    .ok_or_else(|| usage("`--root` needs a directory"))?;
                root = Some(PathBuf::from(value));
            }
            _ if flag.starts_with('-') => {
                return Err(usage(format!("unknown option `{flag}` for `update-spec`")))
            }
            _ if source.is_none() => source = Some(arg.clone()),
            _ => {
                return Err(usage(format!(
                    "unexpected argument `{arg}` for `update-spec`"
                )))
            }
        }
    }
    let source =
        source.ok_or_else(|| usage("`update-spec` needs a SOURCE: a file or an http(s) URL"))?;
    Ok(Command::UpdateSpec(update_spec::Request { source, root }))
}

fn parse_semver_crosscheck(args: &[String]) -> Result<Command, Failure> {
    let mut only = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = split_flag(arg);
        match flag {
            "--only" => {
                let value = inline
                    .or_else(|| args.next().cloned())
                    .filter(|value| !value.is_empty())
                    .ok_or_else(|| usage("`--only` needs a NAME"))?;
                if only.replace(value).is_some() {
                    return Err(usage("`--only` given more than once"));
                }
            }
            _ if flag.starts_with('-') => {
                return Err(usage(format!(
                    "unknown option `{flag}` for `semver-crosscheck`"
                )))
            }
            _ => {
                return Err(usage(format!(
                    "unexpected argument `{arg}` for `semver-crosscheck`"
                )))
            }
        }
    }
    Ok(Command::SemverCrosscheck(semver_crosscheck::Request {
        only,
    }))
}

fn parse_corpus(args: &[String]) -> Result<Command, Failure> {
    let (mut dir, mut only, mut no_check) = (None, None, false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--no-check" => no_check = true,
            "--only" => {
                let value = args.next().ok_or_else(|| usage("`--only` needs a value"))?;
                only = Some(value.clone());
            }
            flag if flag.starts_with('-') => {
                return Err(usage(format!("unknown option `{flag}` for `corpus`")))
            }
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => return Err(usage(format!("unexpected argument `{arg}` for `corpus`"))),
        }
    }
    let dir = dir.ok_or_else(|| usage("`corpus` needs a directory of OpenAPI documents"))?;
    Ok(Command::Corpus(corpus::Request {
        dir,
        only,
        no_check,
    }))
}

fn parse_fidelity(args: &[String]) -> Result<Command, Failure> {
    let (mut specs, mut target_dir, mut deny_warnings) = (Vec::new(), None, false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = split_flag(arg);
        match flag {
            "--target-dir" => {
                let value = inline
                    .or_else(|| args.next().cloned())
                    .ok_or_else(|| usage("`--target-dir` needs a value"))?;
                target_dir = Some(PathBuf::from(value));
            }
            "--deny-warnings" => deny_warnings = true,
            _ if flag.starts_with('-') => {
                return Err(usage(format!("unknown option `{flag}` for `fidelity`")))
            }
            _ => specs.push(PathBuf::from(arg)),
        }
    }
    if specs.is_empty() {
        return Err(usage("`fidelity` needs at least one OpenAPI document"));
    }
    Ok(Command::Fidelity(fidelity::Request {
        specs,
        target_dir,
        deny_warnings,
    }))
}

/// `--flag=value` -> (`--flag`, Some(value)); anything else -> (the argument, None).
pub(crate) fn split_flag(arg: &str) -> (&str, Option<String>) {
    match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
        _ => (arg, None),
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|arg| arg.into())).map_err(|failure| {
            assert_eq!(failure.exit_code(), 2, "{failure}");
            failure.to_string()
        })
    }

    fn standalone(spec: &str, out: &str, name: &str) -> Command {
        Command::Standalone(standalone::Request {
            spec: spec.into(),
            out: out.into(),
            name: name.into(),
        })
    }

    #[test]
    fn parses_the_commands() {
        assert_eq!(parse(&["generate"]), Ok(Command::Generate));
        assert_eq!(parse(&["check"]), Ok(Command::Check));
        for help in [
            &["help"][..],
            &["--help"],
            &["-h"],
            &["generate", "--help"],
            &["check", "-h"],
        ] {
            assert_eq!(parse(help), Ok(Command::Help), "{help:?}");
        }
        assert_eq!(
            parse(&["generate", "--spec", "a.yaml", "--out", "out", "--name", "api"]),
            Ok(standalone("a.yaml", "out", "api"))
        );
        assert_eq!(
            parse(&["generate", "--name=api", "--out=dir/x", "--spec=s.json"]),
            Ok(standalone("s.json", "dir/x", "api"))
        );
        assert!(
            matches!(parse(&["bench", "--runs", "3"]), Ok(Command::Bench(request)) if request.runs == 3)
        );
        assert_eq!(
            parse(&["update-spec", "https://example.com/openapi.yaml"]),
            Ok(Command::UpdateSpec(update_spec::Request {
                source: "https://example.com/openapi.yaml".into(),
                root: None,
            }))
        );
        assert_eq!(
            parse(&["update-spec", "--root=copy", "new.yaml"]),
            Ok(Command::UpdateSpec(update_spec::Request {
                source: "new.yaml".into(),
                root: Some("copy".into()),
            }))
        );
        assert_eq!(
            parse(&[
                "fidelity",
                "a.yaml",
                "b.json",
                "--target-dir=t",
                "--deny-warnings"
            ]),
            Ok(Command::Fidelity(fidelity::Request {
                specs: vec!["a.yaml".into(), "b.json".into()],
                target_dir: Some("t".into()),
                deny_warnings: true,
            }))
        );
        assert_eq!(
            parse(&["semver-crosscheck"]),
            Ok(Command::SemverCrosscheck(semver_crosscheck::Request {
                only: None
            }))
        );
        for args in [
            &["semver-crosscheck", "--only", "enum value"][..],
            &["semver-crosscheck", "--only=enum value"],
        ] {
            assert_eq!(
                parse(args),
                Ok(Command::SemverCrosscheck(semver_crosscheck::Request {
                    only: Some("enum value".into())
                })),
                "{args:?}"
            );
        }
        assert_eq!(parse(&["semver-crosscheck", "-h"]), Ok(Command::Help));
    }

    #[test]
    fn rejects_bad_command_lines() {
        let cases: &[(&[&str], &str)] = &[
            (&[], "no command given"),
            (&["frobnicate"], "unknown command `frobnicate`"),
            (
                &["check", "--fix"],
                "`check` takes no arguments, got `--fix`",
            ),
            (&["generate", "--force"], "unknown option `--force`"),
            (&["generate", "stray"], "unexpected argument `stray`"),
            (&["generate", "--spec"], "`--spec` needs a value"),
            (
                &["generate", "--spec", "--out", "o"],
                "`--spec` needs a value",
            ),
            (&["generate", "--spec="], "`--spec` needs a non-empty value"),
            (
                &["generate", "--spec", "a", "--spec", "b"],
                "`--spec` given more than once",
            ),
            (&["generate", "--spec", "a.yaml"], "missing --out, --name"),
            (&["generate", "--out", "o", "--name", "n"], "missing --spec"),
            (&["update-spec"], "`update-spec` needs a SOURCE"),
            (&["update-spec", "a", "b"], "unexpected argument `b`"),
            (&["update-spec", "--force", "a"], "unknown option `--force`"),
            (
                &["update-spec", "a", "--root"],
                "`--root` needs a directory",
            ),
            (&["fidelity"], "needs at least one OpenAPI document"),
            (&["fidelity", "a.yaml", "--keep"], "unknown option `--keep`"),
            (&["semver-crosscheck", "--only"], "`--only` needs a NAME"),
            (&["semver-crosscheck", "--only="], "`--only` needs a NAME"),
            (
                &["semver-crosscheck", "--only", "a", "--only", "b"],
                "`--only` given more than once",
            ),
            (
                &["semver-crosscheck", "--fast"],
                "unknown option `--fast` for `semver-crosscheck`",
            ),
            (
                &["semver-crosscheck", "history"],
                "unexpected argument `history`",
            ),
        ];
        for (args, expected) in cases {
            let error = parse(args).expect_err(&format!("{args:?} should fail"));
            assert!(error.contains(expected), "{args:?}: {error}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn rejects_non_utf8_arguments() {
        use std::os::unix::ffi::OsStringExt;
        let args = vec!["generate".into(), std::ffi::OsString::from_vec(vec![0xff])];
        let failure = parse_args(args).unwrap_err();
        assert!(failure.to_string().contains("not UTF-8"), "{failure}");
    }

    #[test]
    fn finds_the_workspace_root() {
        assert!(workspace_root().join("Cargo.toml").is_file());
        assert!(workspace_root().join("xtask/Cargo.toml").is_file());
    }
}
