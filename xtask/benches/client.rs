//! Decoding throughput and per-call overhead of the generated `ecosuite` client, against
//! `serde_json::Value` and a bare `reqwest::Client` on the same bytes and the same server.
//!
//! `cargo xtask bench` runs this (`cargo bench -p xtask --bench client -- --json`) and folds
//! its report into its table; run alone it prints the figures. It is a bench target of the
//! xtask rather than part of the xtask binary so that `cargo xtask` does not have to compile
//! the client, reqwest and tokio: they are dev-dependencies, built only for benches and tests.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ecosuite::types::{Aggregation, DatumsResponse};
use serde_json::{json, Map, Value};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "bench-token";
/// A month of daily datums, as `aggregation=day` for January returns.
const DAYS: usize = 31;
const SITES: usize = 2;
const SYSTEMS: usize = 3;

struct Args {
    json: bool,
    decode: bool,
    calls: bool,
    /// Size of the large response, in MB.
    megabytes: f64,
    /// Time budget per measurement, in seconds.
    seconds: f64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        json: false,
        decode: true,
        calls: true,
        megabytes: 24.0,
        seconds: 8.0,
    };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        let mut number = |name: &str| -> Result<f64, String> {
            iter.next()
                .and_then(|v| v.parse().ok())
                .filter(|v: &f64| *v > 0.0)
                .ok_or_else(|| format!("`{name}` needs a positive number"))
        };
        match arg.as_str() {
            "--json" => args.json = true,
            "--only-decode" => args.calls = false,
            "--only-calls" => args.decode = false,
            "--megabytes" => args.megabytes = number("--megabytes")?,
            "--seconds" => args.seconds = number("--seconds")?,
            // `cargo bench` passes `--bench`; a filter or other harness flags mean nothing here.
            _ => {}
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::exit(2);
        }
    };
    let mut report = Map::new();
    let (large, projects) = large_body(args.megabytes);
    check_shape(&large);
    report.insert("bytes".into(), json!(large.len()));
    report.insert("projects".into(), json!(projects));
    if args.decode {
        eprintln!("bench: decoding {:.1} MB", large.len() as f64 / 1e6);
        report.insert("decode".into(), decode(&large, args.seconds));
    }
    if args.calls {
        eprintln!("bench: calls against 127.0.0.1");
        match calls(large, args.seconds) {
            Ok(calls) => {
                report.insert("calls".into(), calls);
            }
            Err(e) => {
                eprintln!("error: the call benchmark failed: {e}");
                std::process::exit(1);
            }
        }
    }
    let report = Value::Object(report);
    if args.json {
        println!("{report}");
    } else {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    }
}

/// A small deterministic generator (xorshift), so every run decodes the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A reading with three decimals, below `max`, as a meter reports it.
    fn reading(&mut self, max: u64) -> Value {
        json!((self.next() % (max * 1000)) as f64 / 1000.0)
    }
}

/// One day's datum: the fields of the spec's `Datum` a solar-plus-storage site reports.
fn datum_value(rng: &mut Rng) -> Value {
    json!({
        "generation": rng.reading(5_000),
        "generationReading": rng.reading(90_000_000),
        "normalisedGeneration": rng.reading(10),
        "consumption": rng.reading(4_000),
        "consumptionReading": rng.reading(70_000_000),
        "export": rng.reading(2_000),
        "exportReading": rng.reading(30_000_000),
        "storage": rng.reading(1_000),
        "storageReading": rng.reading(10_000_000),
    })
}

/// The fields every level (project, site, system) of `ProjectDatums` shares.
fn level(code: &str, rng: &mut Rng) -> Map<String, Value> {
    let totals: Map<String, Value> = (1..=DAYS)
        .map(|day| (format!("2025-01-{day:02}T00:00:00.000Z"), datum_value(rng)))
        .collect();
    let sources: Map<String, Value> = (1..=2)
        .map(|source| {
            (
                format!("/{code}/GEN/{source}"),
                json!({"reading": rng.reading(90_000_000), "peakReading": rng.reading(500)}),
            )
        })
        .collect();
    let mut level = Map::new();
    level.insert("code".into(), json!(code));
    level.insert("name".into(), json!(format!("{code} solar and storage")));
    level.insert("peakConsumption".into(), rng.reading(500));
    level.insert("peakGeneration".into(), rng.reading(800));
    level.insert("aggregatedTotals".into(), json!([totals]));
    level.insert("sources".into(), json!([sources]));
    level
}

fn project(index: usize, rng: &mut Rng) -> Value {
    let code = format!("PRJ{index:04}");
    let mut project = level(&code, rng);
    let sites: Map<String, Value> = (1..=SITES)
        .map(|s| {
            let site_code = format!("{code}-S{s}");
            let mut site = level(&site_code, rng);
            let systems: Map<String, Value> = (1..=SYSTEMS)
                .map(|y| {
                    let system_code = format!("{site_code}-SYS{y}");
                    let system = level(&system_code, rng);
                    (system_code, Value::Object(system))
                })
                .collect();
            site.insert("systems".into(), Value::Object(systems));
            (site_code, Value::Object(site))
        })
        .collect();
    project.insert("sites".into(), Value::Object(sites));
    Value::Object(project)
}

fn response(projects: usize) -> Value {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let projects: Map<String, Value> = (1..=projects)
        .map(|i| (format!("PRJ{i:04}"), project(i, &mut rng)))
        .collect();
    json!({
        "projects": projects,
        "range": {
            "localStartDate": "2025-01-01T00:00:00Z",
            "localEndDate": "2025-02-01T00:00:00Z",
        },
        "aggregation": "day",
    })
}

/// A `GET /energy/datums` answer (`DatumsResponse`) for enough projects to reach `megabytes`:
/// each with sites, each site with systems, every level with a month of daily datums.
fn large_body(megabytes: f64) -> (Vec<u8>, usize) {
    let per_project = serde_json::to_vec(&response(1)).map_or(1, |b| b.len());
    let projects = ((megabytes * 1e6) / per_project as f64).ceil().max(1.0) as usize;
    let body = serde_json::to_vec(&response(projects)).expect("a JSON value serializes");
    (body, projects)
}

/// The body must be exactly what the generated types describe: decoding it and encoding the
/// result again gives the same JSON, so no field was skipped as unknown.
fn check_shape(body: &[u8]) {
    let typed: DatumsResponse = serde_json::from_slice(body).expect("the body is a DatumsResponse");
    let value: Value = serde_json::from_slice(body).expect("the body is JSON");
    let again = serde_json::to_value(&typed).expect("a DatumsResponse serializes");
    assert!(
        again == value,
        "the generated types do not capture every field of the benchmark body"
    );
}

/// Runs each of `cases` in turn, round after round, until `budget` is spent (at least
/// `min_rounds`); returns each case's median seconds per round.
fn rounds(cases: &mut [&mut dyn FnMut() -> f64], min_rounds: usize, budget: Duration) -> Vec<f64> {
    let started = Instant::now();
    let mut samples = vec![Vec::new(); cases.len()];
    let mut round = 0;
    while round < min_rounds || (started.elapsed() < budget && round < 200) {
        // Alternate the order, so neither side always runs on a warmer machine.
        let order: Vec<usize> = if round % 2 == 0 {
            (0..cases.len()).collect()
        } else {
            (0..cases.len()).rev().collect()
        };
        for i in order {
            samples[i].push(cases[i]());
        }
        round += 1;
    }
    samples.iter().map(|s| median(s)).collect()
}

fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Times one decode, dropping the result outside the timing.
fn time_decode<T>(decode: impl FnOnce() -> T) -> f64 {
    let started = Instant::now();
    let value = decode();
    let elapsed = started.elapsed().as_secs_f64();
    drop(value);
    elapsed
}

fn decode(body: &[u8], seconds: f64) -> Value {
    let mut value =
        || time_decode(|| serde_json::from_slice::<Value>(body).expect("the body is JSON"));
    let mut typed = || {
        time_decode(|| serde_json::from_slice::<DatumsResponse>(body).expect("the body decodes"))
    };
    let names = [
        "`serde_json::Value`",
        "`DatumsResponse` (`serde_json::from_slice`, as the client decodes)",
    ];
    let medians = rounds(
        &mut [&mut value, &mut typed],
        5,
        Duration::from_secs_f64(seconds),
    );
    let rows: Vec<Value> = names
        .iter()
        .zip(&medians)
        .map(|(name, seconds)| {
            json!({
                "name": name,
                "seconds": seconds,
                "mb_per_s": body.len() as f64 / 1e6 / seconds,
            })
        })
        .collect();
    json!({ "bytes": body.len(), "rows": rows })
}

/// A minimal HTTP/1.1 server on 127.0.0.1 that answers every request with a canned response:
/// the large body when the query asks for `projectIds=ALL`, else the small one. Keep-alive,
/// one task per connection, on its own thread so the client's runtime has its own core.
fn start_server(small: Vec<u8>, large: Vec<u8>) -> io::Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let respond = |body: &[u8]| {
        let mut response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        Arc::new(response)
    };
    let (small, large) = (respond(&small), respond(&large));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("a listening socket");
            while let Ok((stream, _)) = listener.accept().await {
                let (small, large) = (small.clone(), large.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &small, &large).await;
                });
            }
        });
    });
    Ok(format!("http://{address}"))
}

async fn serve(mut stream: TcpStream, small: &[u8], large: &[u8]) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..read]);
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let target = head.split_whitespace().nth(1).unwrap_or("/");
        let body_length = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        while buffer.len() < head_end + body_length {
            let read = stream.read(&mut chunk).await?;
            if read == 0 {
                return Ok(());
            }
            buffer.extend_from_slice(&chunk[..read]);
        }
        let response = if target.contains("projectIds=ALL") {
            large
        } else {
            small
        };
        buffer.drain(..head_end + body_length);
        stream.write_all(response).await?;
    }
}

fn calls(large: Vec<u8>, seconds: f64) -> Result<Value, String> {
    let small = serde_json::to_vec(&response(1)).map_err(|e| e.to_string())?;
    // One project at the project level only, two days: the size of a typical small answer.
    let small = {
        let mut value: Value = serde_json::from_slice(&small).map_err(|e| e.to_string())?;
        let project = &mut value["projects"]["PRJ0001"];
        if let Some(project) = project.as_object_mut() {
            project.remove("sites");
        }
        if let Some(days) = project["aggregatedTotals"][0].as_object_mut() {
            let keep: Vec<String> = days.keys().take(2).cloned().collect();
            days.retain(|day, _| keep.contains(day));
        }
        serde_json::to_vec(&value).map_err(|e| e.to_string())?
    };
    let small_bytes = small.len();
    let large_bytes = large.len();
    let base = start_server(small, large).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let client = ecosuite::Client::builder()
            .base_url(&base)
            .token(TOKEN)
            .build()
            .map_err(|e| e.to_string())?;
        let bare = reqwest::Client::new();
        let start = "2025-01-01T00:00:00Z".parse().expect("a date-time");
        let end = "2025-02-01T00:00:00Z".parse().expect("a date-time");
        let url = format!("{base}/energy/datums");

        let generated = |projects: &'static str| {
            let client = client.clone();
            async move {
                client
                    .energy()
                    .datums(start, end)
                    .project_ids(projects)
                    .aggregation(Aggregation::Day)
                    .send()
                    .await
                    .map_err(|e| e.to_string())
            }
        };
        let by_hand = |projects: &'static str| {
            let (bare, url) = (bare.clone(), url.clone());
            async move {
                let response = bare
                    .get(&url)
                    .query(&[
                        ("start", "2025-01-01T00:00:00Z"),
                        ("end", "2025-02-01T00:00:00Z"),
                        ("projectIds", projects),
                        ("aggregation", "day"),
                    ])
                    .header(reqwest::header::AUTHORIZATION, TOKEN)
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .map_err(|e| e.to_string())?;
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                serde_json::from_slice::<DatumsResponse>(&body).map_err(|e| e.to_string())
            }
        };

        // Small answers: calls per second, in batches.
        const BATCH: usize = 200;
        for _ in 0..BATCH {
            generated("PRJ0001").await?;
            by_hand("PRJ0001").await?;
        }
        let budget = Duration::from_secs_f64(seconds);
        let started = Instant::now();
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        let mut round = 0;
        while round < 6 || (started.elapsed() < budget && round < 200) {
            for side in [round % 2, 1 - round % 2] {
                let batch_started = Instant::now();
                for _ in 0..BATCH {
                    if side == 0 {
                        generated("PRJ0001").await?;
                    } else {
                        by_hand("PRJ0001").await?;
                    }
                }
                let rate = BATCH as f64 / batch_started.elapsed().as_secs_f64();
                if side == 0 { &mut ours } else { &mut theirs }.push(rate);
            }
            round += 1;
        }

        // The large answer: seconds per call, body transfer and decoding included.
        let (mut ours_large, mut theirs_large) = (Vec::new(), Vec::new());
        let started = Instant::now();
        let mut round = 0;
        while round < 4 || (started.elapsed() < budget && round < 50) {
            for side in [round % 2, 1 - round % 2] {
                let call_started = Instant::now();
                if side == 0 {
                    drop(generated("ALL").await?);
                    ours_large.push(call_started.elapsed().as_secs_f64());
                } else {
                    drop(by_hand("ALL").await?);
                    theirs_large.push(call_started.elapsed().as_secs_f64());
                }
            }
            round += 1;
        }
        Ok(json!({
            "small_bytes": small_bytes,
            "large_bytes": large_bytes,
            "small": {
                "client_calls_per_s": median(&ours),
                "bare_calls_per_s": median(&theirs),
                "rounds": ours.len(),
                "batch": BATCH,
            },
            "large": {
                "client_seconds": median(&ours_large),
                "bare_seconds": median(&theirs_large),
                "rounds": ours_large.len(),
            },
        }))
    })
}
