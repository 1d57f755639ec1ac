//! Generation: each stage of `generate` timed, the bare parse of the document as the floor,
//! and peak memory. Every document is measured in a fresh child process, so its peak RSS is
//! its own and not left over from the one before.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use ecosuite_generator::{generate_timed, Options};
use serde_json::{json, Value};

use super::table::{self, median, Table};
use crate::failure::Failure;
use crate::fs;
use crate::generate::to_tree;

/// One document's figures, as the child reports them (seconds, kilobytes).
pub struct Measured {
    pub spec: String,
    pub bytes: usize,
    pub operations: usize,
    pub types: usize,
    pub lines: usize,
    pub floor: f64,
    pub load: f64,
    pub model: f64,
    pub render: f64,
    pub write: f64,
    pub total: f64,
    pub peak_rss_kb: u64,
    pub base_rss_kb: u64,
    pub runs: usize,
}

/// Runs the child for `spec` and reads its report.
pub fn measure(spec: &Path, runs: usize) -> Result<Measured, Failure> {
    let exe = std::env::current_exe()
        .map_err(|e| Failure::Io(format!("cannot find the xtask executable: {e}")))?;
    let output = Command::new(exe)
        .arg("bench")
        .arg("--generation-child")
        .arg(spec)
        .arg("--runs")
        .arg(runs.to_string())
        .output()
        .map_err(|e| Failure::Io(format!("cannot run the generation child: {e}")))?;
    if !output.status.success() {
        return Err(Failure::Io(format!(
            "measuring {} failed: {}",
            spec.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let report: Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        Failure::Io(format!(
            "the generation child's report is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        ))
    })?;
    let number = |key: &str| report[key].as_f64().unwrap_or(f64::NAN);
    let seconds = |key: &str| {
        let samples: Vec<f64> = report[key]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        median(&samples)
    };
    Ok(Measured {
        spec: report["spec"].as_str().unwrap_or_default().to_string(),
        bytes: number("bytes") as usize,
        operations: number("operations") as usize,
        types: number("types") as usize,
        lines: number("lines") as usize,
        floor: seconds("floor"),
        load: seconds("load"),
        model: seconds("model"),
        render: seconds("render"),
        write: seconds("write"),
        total: seconds("total"),
        peak_rss_kb: number("peak_rss_kb") as u64,
        base_rss_kb: number("base_rss_kb") as u64,
        runs,
    })
}

/// The child: generates `spec` once cold (for peak memory), then `runs` more times for the
/// timings, then parses it bare `runs` times; prints one JSON object.
pub fn child(root: &Path, spec: &Path, runs: usize) -> Result<(), Failure> {
    let bytes = fs::read(spec)?;
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| Failure::Spec(format!("{} is not UTF-8", spec.display())))?;
    let name = display_name(root, spec);
    let options = Options {
        spec_name: name.clone(),
        command: "cargo xtask bench".into(),
        ..Options::default()
    };
    let write_dir = root
        .join("target/bench/write")
        .join(sanitize(&name))
        .join("generated");

    let base_rss_kb = status_kb("VmRSS");
    let mut samples: [Vec<f64>; 5] = Default::default();
    let mut summary = None;
    // Run 0 is the cold one: it sets the peak RSS and warms caches; it is not timed.
    let mut peak_rss_kb = 0;
    for run in 0..=runs {
        let started = Instant::now();
        let (files, stages) =
            generate_timed(&bytes, &options).map_err(|e| Failure::Spec(e.to_string()))?;
        let generated = Instant::now();
        let tree = to_tree(files.files);
        fs::replace_dir(&write_dir, &tree, &[])?;
        let written = Instant::now();
        if run == 0 {
            peak_rss_kb = status_kb("VmHWM");
            summary = Some(files.summary);
            continue;
        }
        let [load, model, render, write, total] = &mut samples;
        load.push(stages.load.as_secs_f64());
        model.push(stages.model.as_secs_f64());
        render.push(stages.render.as_secs_f64());
        write.push((written - generated).as_secs_f64());
        total.push((written - started).as_secs_f64());
    }
    let _ = std::fs::remove_dir_all(write_dir.parent().unwrap_or(&write_dir));

    // The floor: the document read into a plain value, nothing else.
    let json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    let mut floor = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        if json {
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| Failure::Spec(format!("{}: {e}", spec.display())))?;
            drop(value);
        } else {
            let value: serde_yaml::Value = serde_yaml::from_str(&text)
                .map_err(|e| Failure::Spec(format!("{}: {e}", spec.display())))?;
            drop(value);
        }
        floor.push(started.elapsed().as_secs_f64());
    }

    let summary = summary.expect("run 0 always happens");
    let [load, model, render, write, total] = samples;
    let report = json!({
        "spec": name,
        "bytes": bytes.len(),
        "operations": summary.operations,
        "types": summary.types,
        "lines": summary.lines,
        "floor": floor,
        "load": load,
        "model": model,
        "render": render,
        "write": write,
        "total": total,
        "peak_rss_kb": peak_rss_kb,
        "base_rss_kb": base_rss_kb,
    });
    outln!("{report}");
    Ok(())
}

/// A field of `/proc/self/status` in kB (`VmHWM` is the peak resident set); 0 where there
/// is no procfs.
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix(field)?.strip_prefix(':')?;
                rest.trim().trim_end_matches("kB").trim().parse().ok()
            })
        })
        .unwrap_or(0)
}

/// `spec/ecosuite.yaml` for a document of the project; the file name for one outside it.
fn display_name(root: &Path, spec: &Path) -> String {
    let canonical = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let spec = canonical(spec);
    match spec.strip_prefix(canonical(root)) {
        Ok(relative) => relative.to_string_lossy().into_owned(),
        Err(_) => spec
            .file_name()
            .map_or_else(|| spec.to_string_lossy(), |name| name.to_string_lossy())
            .into_owned(),
    }
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

pub fn table(measured: &[Measured]) -> Table {
    let mut table = Table::new(
        "Generation",
        &[
            ("document", false),
            ("size", true),
            ("operations / types", true),
            ("bare parse (floor)", true),
            ("load", true),
            ("model", true),
            ("emit + render", true),
            ("write", true),
            ("total", true),
            ("total / floor", true),
            ("peak RSS", true),
        ],
    );
    for m in measured {
        table.row(vec![
            format!("`{}`", m.spec),
            table::size(m.bytes as f64),
            format!("{} / {}", m.operations, m.types),
            table::duration(m.floor),
            table::duration(m.load),
            table::duration(m.model),
            table::duration(m.render),
            table::duration(m.write),
            format!("**{}**", table::duration(m.total)),
            format!("{:.1}x", m.total / m.floor),
            format!("{:.0} MB", m.peak_rss_kb as f64 / 1024.0),
        ]);
    }
    if let Some(first) = measured.first() {
        table.note(format!(
            "Median of {} warm runs per document, each document in a fresh process (release build). \
             *load* is parse + typed read into `openapiv3`; *model* includes `$ref` resolution and naming; \
             *emit + render* is `quote` tokens, `syn` parse and `prettyplease`; *write* is the atomic \
             directory swap `cargo xtask generate` does. *Bare parse* is the document read into a \
             `serde_yaml::Value` (a `serde_json::Value` for JSON). Peak RSS is the process's `VmHWM` after \
             one generation (about {:.0} MB of it is the process before generating). The generated \
             client is {} lines.",
            first.runs,
            first.base_rss_kb as f64 / 1024.0,
            table::count(first.lines as u64),
        ));
    }
    table
}
