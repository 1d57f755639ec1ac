//! Decoding and per-call figures: runs the `client` bench target of this crate (which depends
//! on the `ecosuite` client, reqwest and tokio so that the xtask binary does not) and turns its
//! JSON report into tables.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::table::{self, Table};
use crate::failure::Failure;

pub struct Sections {
    pub decode: bool,
    pub calls: bool,
}

pub fn run(root: &Path, sections: &Sections, seconds: f64) -> Result<Value, Failure> {
    let mut command = Command::new(super::cargo());
    command
        .args(["bench", "--quiet", "-p", "xtask", "--bench", "client", "--"])
        .args(["--json", "--seconds", &seconds.to_string()])
        .current_dir(root)
        .stderr(Stdio::inherit());
    if !sections.calls {
        command.arg("--only-decode");
    }
    if !sections.decode {
        command.arg("--only-calls");
    }
    errln!("bench: cargo bench -p xtask --bench client (builds the client in release first)");
    let output = command
        .output()
        .map_err(|e| Failure::Io(format!("cannot run cargo bench: {e}")))?;
    if !output.status.success() {
        return Err(Failure::Io(
            "cargo bench -p xtask --bench client failed".into(),
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or_default();
    serde_json::from_str(line).map_err(|e| {
        Failure::Io(format!(
            "the client bench's report is not JSON ({e}): {stdout}"
        ))
    })
}

pub fn decode_table(report: &Value) -> Option<Table> {
    let decode = report.get("decode")?;
    let rows = decode["rows"].as_array()?;
    let baseline = rows.first()?["mb_per_s"].as_f64()?;
    let mut table = Table::new(
        format!(
            "Decoding a {} `GET /energy/datums` answer",
            table::size(decode["bytes"].as_f64()?)
        ),
        &[
            ("into", false),
            ("time", true),
            ("throughput", true),
            ("vs `serde_json::Value`", true),
        ],
    );
    for row in rows {
        let mb_per_s = row["mb_per_s"].as_f64()?;
        table.row(vec![
            row["name"].as_str()?.to_string(),
            table::duration(row["seconds"].as_f64()?),
            format!("{mb_per_s:.0} MB/s"),
            format!("{:.2}x", mb_per_s / baseline),
        ]);
    }
    table.note(format!(
        "A `DatumsResponse` for {} projects, each with {} sites of {} systems, every level with a month \
         of daily datums and its sources, built by the bench from the spec's shapes (decoding it and \
         encoding it again gives the same JSON, so the generated types hold every field). Median \
         of rounds that run each decoder in turn; `serde_json` here has `preserve_order` (the \
         generator enables it), so `Value` objects are `IndexMap`s.",
        report["projects"].as_u64()?,
        2,
        3,
    ));
    Some(table)
}

pub fn calls_table(report: &Value) -> Option<Table> {
    let calls = report.get("calls")?;
    let small = &calls["small"];
    let large = &calls["large"];
    let mut table = Table::new(
        "Calls through the generated client vs a bare `reqwest::Client`",
        &[
            ("call", false),
            ("generated client", true),
            ("bare reqwest + serde_json", true),
            ("client / bare", true),
        ],
    );
    let (ours, theirs) = (
        small["client_calls_per_s"].as_f64()?,
        small["bare_calls_per_s"].as_f64()?,
    );
    table.row(vec![
        format!(
            "`energy().datums(..)`, {} answer",
            table::size(calls["small_bytes"].as_f64()?)
        ),
        format!("{} calls/s", table::count(ours.round() as u64)),
        format!("{} calls/s", table::count(theirs.round() as u64)),
        format!("{:.2}x", ours / theirs),
    ]);
    let (ours, theirs) = (
        large["client_seconds"].as_f64()?,
        large["bare_seconds"].as_f64()?,
    );
    table.row(vec![
        format!(
            "the same, {} answer",
            table::size(calls["large_bytes"].as_f64()?)
        ),
        table::duration(ours),
        table::duration(theirs),
        format!("{:.2}x", theirs / ours),
    ]);
    table.note(format!(
        "Sequential calls on one keep-alive connection to a minimal HTTP/1.1 server on 127.0.0.1 \
         (its own thread); both sides decode into `DatumsResponse` and send the same query and \
         `Authorization` header. Median of {} alternating batches of {} calls (small) and of {} \
         alternating calls (large); *client / bare* above 1 means the generated client is faster.",
        small["rounds"].as_u64()?,
        small["batch"].as_u64()?,
        large["rounds"].as_u64()?,
    ));
    Some(table)
}
