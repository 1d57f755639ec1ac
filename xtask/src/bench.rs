//! `cargo xtask bench`: how fast the generator runs, how long the generated crate takes to
//! compile, how fast it decodes and how much a call through it costs; prints one table per
//! part, and writes them as Markdown for the README with `--markdown PATH`.
//!
//! Timings are only meaningful from a release build, so a debug `cargo xtask bench` runs
//! itself again with `cargo run --release`.

mod cli;
mod client;
mod compile;
mod generation;
mod progenitor;
mod table;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::failure::Failure;
use crate::generate::SPEC;
use table::Table;

/// What `cargo xtask bench` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// More documents to time the generator on (the corpus is outside the project).
    pub corpus: Vec<PathBuf>,
    /// Timed generator runs per document.
    pub runs: usize,
    /// Seconds each decoding and call measurement may take.
    pub seconds: f64,
    pub sections: Sections,
    /// Also build variants of the crate to see which generated constructs cost compile time.
    pub breakdown: bool,
    pub markdown: Option<PathBuf>,
    /// Internal: time the generator on this document in this process and print JSON.
    pub generation_child: Option<PathBuf>,
    /// The arguments as given, to run again in release.
    pub args: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sections {
    pub generation: bool,
    pub compile: bool,
    pub decode: bool,
    pub calls: bool,
    /// The command line's cold build per profile: minutes, so never part of `ALL`.
    pub cli: bool,
}

impl Sections {
    const ALL: Sections = Sections {
        generation: true,
        compile: true,
        decode: true,
        calls: true,
        cli: false,
    };
    const NONE: Sections = Sections {
        generation: false,
        compile: false,
        decode: false,
        calls: false,
        cli: false,
    };
}

pub fn parse(args: &[String]) -> Result<Request, String> {
    let mut request = Request {
        corpus: Vec::new(),
        runs: 10,
        seconds: 8.0,
        sections: Sections::ALL,
        breakdown: false,
        markdown: None,
        generation_child: None,
        args: args.to_vec(),
    };
    let mut only: Option<Sections> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = crate::split_flag(arg);
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match flag {
            "--corpus" => request.corpus.push(value()?.into()),
            "--runs" => {
                request.runs = value()?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("`--runs` needs a positive whole number")?
            }
            "--seconds" => {
                request.seconds = value()?
                    .parse()
                    .ok()
                    .filter(|&s: &f64| s > 0.0 && s.is_finite())
                    .ok_or("`--seconds` needs a positive number")?
            }
            "--only" => {
                let sections = only.get_or_insert(Sections::NONE);
                for name in value()?.split(',') {
                    match name.trim() {
                        "generation" => sections.generation = true,
                        "compile" => sections.compile = true,
                        "decode" => sections.decode = true,
                        "calls" => sections.calls = true,
                        "cli" => sections.cli = true,
                        other => {
                            return Err(format!(
                            "unknown part `{other}`: use generation, compile, decode, calls or cli"
                        ))
                        }
                    }
                }
            }
            "--breakdown" => request.breakdown = true,
            "--markdown" => request.markdown = Some(value()?.into()),
            "--generation-child" => request.generation_child = Some(value()?.into()),
            _ if flag.starts_with('-') => {
                return Err(format!("unknown option `{flag}` for `bench`"))
            }
            _ => return Err(format!("unexpected argument `{arg}` for `bench`")),
        }
    }
    if let Some(only) = only {
        request.sections = only;
    }
    Ok(request)
}

/// `cargo`, as the one that started us names itself.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub fn run(root: &Path, request: &Request) -> Result<(), Failure> {
    if let Some(spec) = &request.generation_child {
        return generation::child(root, spec, request.runs);
    }
    if cfg!(debug_assertions) {
        return run_in_release(root, request);
    }
    let machine = Machine::read();
    errln!("bench: {}", machine.describe());
    let mut tables: Vec<Table> = Vec::new();
    let mut print = |mut table: Table, load_before: String| {
        table.note(format!(
            "Load average (1, 5, 15 min) before / after: {load_before} / {}.",
            load_average()
        ));
        outln!("{}", table.text());
        tables.push(table);
    };

    if request.sections.generation {
        let load = load_average();
        let mut measured = Vec::new();
        let specs = std::iter::once(root.join(SPEC)).chain(request.corpus.iter().cloned());
        for spec in specs {
            errln!("bench: generation of {}", spec.display());
            measured.push(generation::measure(&spec, request.runs)?);
        }
        print(generation::table(&measured), load);
    }

    if request.sections.decode || request.sections.calls {
        let load = load_average();
        let sections = client::Sections {
            decode: request.sections.decode,
            calls: request.sections.calls,
        };
        let report = client::run(root, &sections, request.seconds)?;
        if let Some(table) = client::decode_table(&report) {
            print(table, load.clone());
        }
        if let Some(table) = client::calls_table(&report) {
            print(table, load);
        }
    }

    if request.sections.compile {
        let load = load_average();
        print(compile::table(root, request.runs.min(3))?, load);
        if progenitor::installed() {
            let load = load_average();
            print(progenitor::table(root, request.runs.min(3))?, load);
        } else {
            errln!(
                "bench: `cargo progenitor` is not installed (cargo install --locked cargo-progenitor): \
                 no comparison with progenitor's crate"
            );
        }
    }
    if request.sections.cli {
        let load = load_average();
        print(cli::table(root)?, load);
    }
    if request.breakdown {
        let load = load_average();
        print(compile::breakdown(root, request.runs.min(3))?, load);
    }

    if let Some(path) = &request.markdown {
        let mut markdown = format!(
            "Measured with `{}` on {}.\n\n",
            reproduce(request),
            machine.describe()
        );
        for table in &tables {
            markdown.push_str(&table.markdown());
            markdown.push('\n');
        }
        std::fs::write(path, markdown)
            .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
        errln!("bench: wrote {}", path.display());
    }
    Ok(())
}

/// The command line that reproduces these figures, with paths as given.
fn reproduce(request: &Request) -> String {
    let mut args: Vec<String> = Vec::new();
    let mut given = request.args.iter();
    while let Some(arg) = given.next() {
        // Where the Markdown went is not part of what was measured.
        if arg == "--markdown" {
            given.next();
        } else if !arg.starts_with("--markdown=") {
            args.push(arg.clone());
        }
    }
    let mut command = "cargo xtask bench".to_string();
    for arg in args {
        command.push(' ');
        command.push_str(&arg);
    }
    command
}

/// `cargo xtask` is a debug build; timing one would measure the optimizer's absence.
fn run_in_release(root: &Path, request: &Request) -> Result<(), Failure> {
    errln!(
        "bench: `cargo xtask` is a debug build; running `cargo run --release -p xtask -- bench` instead"
    );
    // Same working directory, so relative paths in the arguments mean the same.
    let status = Command::new(cargo())
        .args(["run", "--release", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .args(["-p", "xtask", "--", "bench"])
        .args(&request.args)
        .status()
        .map_err(|e| Failure::Io(format!("cannot run cargo: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Io(format!(
            "the release build of `bench` failed ({status})"
        )))
    }
}

/// What the figures were measured on.
struct Machine {
    cpu: String,
    cores: usize,
    memory_gb: f64,
    rustc: String,
}

impl Machine {
    fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
            .map(|(_, name)| name.trim().to_string())
            .unwrap_or_else(|| "an unknown CPU".into());
        let memory_kb: f64 = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|info| {
                let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
                line.split_whitespace().nth(1)?.parse().ok()
            })
            .unwrap_or(0.0);
        let rustc = Command::new("rustc")
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gb: memory_kb / 1024.0 / 1024.0,
            rustc,
        }
    }

    fn describe(&self) -> String {
        format!(
            "{} cores of {}, {:.0} GB RAM, {}, {}",
            self.cores,
            self.cpu,
            self.memory_gb,
            std::env::consts::OS,
            self.rustc
        )
    }
}

/// `0.52 0.80 1.10`, or `?` where there is no procfs.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn parses_options() {
        let request = parse(&args(&[
            "--corpus",
            "a.json",
            "--corpus=b.yaml",
            "--runs",
            "3",
            "--only",
            "generation,calls",
            "--markdown",
            "out.md",
            "--breakdown",
        ]))
        .unwrap();
        assert_eq!(request.corpus, [PathBuf::from("a.json"), "b.yaml".into()]);
        assert_eq!(request.runs, 3);
        assert_eq!(
            request.sections,
            Sections {
                generation: true,
                calls: true,
                ..Sections::NONE
            }
        );
        assert!(request.breakdown);
        assert_eq!(request.markdown, Some("out.md".into()));
        assert_eq!(
            reproduce(&request),
            "cargo xtask bench --corpus a.json --corpus=b.yaml --runs 3 --only generation,calls --breakdown"
        );
        assert_eq!(parse(&[]).unwrap().sections, Sections::ALL);
    }

    #[test]
    fn rejects_bad_options() {
        for (given, expected) in [
            (&["--runs", "0"][..], "positive whole number"),
            (&["--runs"], "needs a value"),
            (&["--only", "linking"], "unknown part `linking`"),
            (&["--fast"], "unknown option `--fast`"),
            (&["stray"], "unexpected argument `stray`"),
            (&["--seconds", "-1"], "positive number"),
        ] {
            let error = parse(&args(given)).unwrap_err();
            assert!(error.contains(expected), "{given:?}: {error}");
        }
    }
}
