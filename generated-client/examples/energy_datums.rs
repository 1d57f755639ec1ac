//! Fetches a project's energy datums for a date range, aggregated by hour, day, month or year,
//! and prints them as a small table.
//!
//! ```sh
//! ECOSUITE_TOKEN=eyJ... cargo run -p ecosuite --example energy_datums -- PRJ1 2025-01-01 2025-02-01 day
//! ```
//!
//! Arguments: `PROJECT [START [END [AGGREGATION]]]`, dates as `YYYY-MM-DD` (UTC), the end
//! excluded; by default the last 7 days, by day. The login settings are environment variables
//! as for every example (see `common/mod.rs`).

mod common;

use std::process::ExitCode;

use chrono::{DateTime, Days, NaiveDate, Utc};
use common::Failure;
use ecosuite::types::Aggregation;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.exit(),
    }
}

struct Query {
    project: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    aggregation: Aggregation,
}

fn usage(problem: &str) -> Failure {
    Failure::Settings(format!(
        "{problem}\nusage: energy_datums PROJECT [START [END [AGGREGATION]]]   \
         (dates YYYY-MM-DD; aggregation 5minute, 15minute, hour, day, month or year)"
    ))
}

fn date(text: &str) -> Result<DateTime<Utc>, Failure> {
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| usage(&format!("`{text}` is not a date: {e}")))?;
    Ok(day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
}

fn query() -> Result<Query, Failure> {
    let mut args = std::env::args().skip(1);
    let project = args.next().ok_or_else(|| usage("no project given"))?;
    // chrono is built without its clock here; the standard library has one.
    let today = DateTime::<Utc>::from(std::time::SystemTime::now()).date_naive();
    let start = match args.next() {
        Some(text) => date(&text)?,
        None => date(&(today - Days::new(7)).to_string())?,
    };
    let end = match args.next() {
        Some(text) => date(&text)?,
        None => date(&today.to_string())?,
    };
    if end <= start {
        return Err(usage("the end must come after the start"));
    }
    let aggregation = match args.next().as_deref() {
        None => Aggregation::Day,
        Some(text) => match Aggregation::from(text) {
            Aggregation::Unknown(other) => {
                return Err(usage(&format!("`{other}` is not an aggregation")))
            }
            known => known,
        },
    };
    Ok(Query {
        project,
        start,
        end,
        aggregation,
    })
}

fn cell(value: Option<f64>) -> String {
    value.map_or_else(|| "-".into(), |v| format!("{:.1}", v / 1000.0))
}

async fn run() -> Result<(), Failure> {
    let query = query()?;
    let client = common::connect().await?;
    let response = client
        .energy()
        .project_datums(&query.project, query.start, query.end)
        .aggregation(query.aggregation.clone())
        .send()
        .await?;
    let datums = response.project_datums.unwrap_or_default();
    let totals = datums.aggregated_totals.unwrap_or_default();

    println!(
        "{} {} — {} to {}, by {}",
        query.project,
        datums.name.as_deref().unwrap_or(""),
        query.start.date_naive(),
        query.end.date_naive(),
        query.aggregation
    );
    println!(
        "{:<26} {:>14} {:>14} {:>14}",
        "date", "generation kWh", "consumpt. kWh", "export kWh"
    );
    // Each datum is keyed by its date, as the API writes it.
    let rows: Vec<_> = totals.iter().flatten().collect();
    for (date, value) in &rows {
        println!(
            "{date:<26} {:>14} {:>14} {:>14}",
            cell(value.generation),
            cell(value.consumption),
            cell(value.export)
        );
    }
    if rows.is_empty() {
        println!("(no datums in this range)");
    }
    Ok(())
}
