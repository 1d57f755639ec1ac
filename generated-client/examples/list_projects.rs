//! Logs in (asking for an MFA code on the terminal when Cognito wants one), then lists the
//! projects the user can see, with their status and each project's devices.
//!
//! ```sh
//! ECOSUITE_USERNAME=me@example.com ECOSUITE_PASSWORD=... \
//!     cargo run -p ecosuite --example list_projects
//! ```
//!
//! Every setting is an environment variable; a missing or wrong one ends the program with a
//! message and exit status 2 (see `common/mod.rs` for the list).

mod common;

use std::process::ExitCode;

use common::Failure;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.exit(),
    }
}

async fn run() -> Result<(), Failure> {
    let client = common::connect().await?;

    let projects = client.project().projects().send().await?;
    let projects = projects.projects.unwrap_or_default();
    // Devices come keyed by project ID from one call rather than one call per project. A user
    // without access to connectivity data still gets the project list.
    let devices = match client.connectivity().devices().send().await {
        Ok(devices) => devices.projects.unwrap_or_default(),
        Err(error) => {
            eprintln!("(devices not shown: {error})");
            Default::default()
        }
    };

    println!("{} projects", projects.len());
    for project in &projects {
        println!(
            "{:<10} {:<40} {}",
            project.code, project.name, project.status
        );
        for device in devices.get(&project.code).into_iter().flatten() {
            println!(
                "{:<10}   - {} ({})",
                "",
                device.name.as_deref().unwrap_or("unnamed device"),
                device.type_.as_deref().unwrap_or("unknown type"),
            );
        }
    }
    Ok(())
}
