//! The `ecosuite` command line: every operation of the Ecosuite Project Data API, as
//! `ecosuite <tag> <operation> ...` or `ecosuite call <operationId> -p name=value ...`.
//!
//! The operations come from `src/generated/`, which `cargo xtask generate` writes from the same
//! intermediate representation as the client, so the two cannot drift apart (`cargo xtask
//! check` fails when they would). The rest is hand-written:
//!
//! ```text
//! app      the clap command tree, built from the generated tables, and what a command asks for
//! args     parameters and body as text -> the client's types
//! output   answers on stdout: JSON, YAML or a table
//! login    `ecosuite login` and `logout`: the client's Cognito login, keeping the session
//! session  where the session is kept between commands: one private file per profile
//! spinner  progress on stderr for slow calls, only at a terminal
//! failure  errors on stderr and exit codes
//! ```

mod app;
pub mod args;
pub mod catalog;
pub mod failure;
#[rustfmt::skip]
pub mod generated;
mod login;
pub mod output;
mod session;
mod spinner;
mod table;

use std::process::ExitCode;

use app::{Globals, Invocation};
use failure::Failure;
use output::Reply;

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    let matches = match app::command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            // --help and --version are "errors" that print to stdout and exit 0.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(failure::exit::USAGE));
        }
    };
    match app::invocation(&matches).and_then(|(globals, invocation)| run(globals, invocation)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn run(globals: Globals, invocation: Invocation) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Output(format!("cannot start the async runtime: {e}")))?;
    let mut stdout = std::io::stdout().lock();
    match invocation {
        Invocation::Operations => output::write(&operation_list(), globals.output, &mut stdout),
        Invocation::Completions(shell) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut app::command(), "ecosuite", &mut script);
            output::write(&Reply::Bytes(script.into()), globals.output, &mut stdout)
        }
        Invocation::Login(options) => {
            let store = session::Store::new(globals.profile.as_deref());
            let token = runtime.block_on(login::login(options, client_builder(&globals), store))?;
            match token {
                Some(token) => output::write(
                    &Reply::Text(format!("{token}\n")),
                    globals.output,
                    &mut stdout,
                ),
                None => Ok(()),
            }
        }
        Invocation::Logout => login::logout(session::Store::new(globals.profile.as_deref())?),
        Invocation::Call(args) => {
            let mut builder = client_builder(&globals);
            // A token given wins; else the session `ecosuite login` kept, if any.
            let mut kept = None;
            if let Some(token) = &globals.token {
                builder = builder.token(token.clone());
            } else {
                let store = session::Store::new(globals.profile.as_deref())?;
                if let Some(saved) = store.load()? {
                    builder = builder.session(saved.clone());
                    kept = Some((store, saved));
                }
            }
            let client = builder.build()?;
            let operation = args.operation();
            let spinner = spinner::Spinner::start(spinner::label(
                operation.method,
                operation.path,
                operation.id,
            ));
            let reply = runtime.block_on(generated::call(&client, operation, &args, globals.raw));
            spinner.stop();
            let reply = match kept {
                Some((store, saved)) => {
                    runtime.block_on(session::keep_renewed(&client, &store, &saved, reply))
                }
                None => reply,
            }?;
            output::write(&reply, globals.output, &mut stdout)?;
            // `--raw` prints any answer's body; an error status still fails the command.
            if let Reply::Raw(raw) = reply {
                raw.error_for_status()?;
            }
            Ok(())
        }
    }
}

fn client_builder(globals: &Globals) -> ecosuite::ClientBuilder {
    let mut builder = ecosuite::Client::builder().base_url(globals.base_url.clone());
    if let Some(timeout) = globals.timeout {
        builder = builder.timeout(timeout);
    }
    builder
}

/// `ecosuite operations`: every operation with both of its command forms.
fn operation_list() -> Reply {
    let rows = catalog::operations()
        .map(|op| {
            serde_json::json!({
                "operationId": op.id,
                "command": format!("{} {}", op.tag, op.command),
                "method": op.method,
                "path": op.path,
                "summary": app::first_line(op.summary).unwrap_or_default(),
            })
        })
        .collect();
    Reply::Json(serde_json::Value::Array(rows))
}
