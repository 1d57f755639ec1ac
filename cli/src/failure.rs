//! Why a command failed, how that is told on stderr, and the exit code a script can test.

use std::fmt;
use std::process::ExitCode;

/// Exit codes, also listed in `ecosuite --help`.
pub mod exit {
    /// The API answered with an error status.
    pub const API: u8 = 1;
    /// The command line was wrong: an unknown operation or parameter, a bad value or body.
    pub const USAGE: u8 = 2;
    /// No answer: the connection failed or timed out.
    pub const TRANSPORT: u8 = 3;
    /// The answer does not match the API document.
    pub const DECODE: u8 = 4;
    /// Logging in failed, or the session could not be renewed.
    pub const AUTH: u8 = 5;
    /// The result could not be written (stdout closed, say).
    pub const OUTPUT: u8 = 6;
}

#[derive(Debug)]
pub enum Failure {
    /// A mistake on the command line; the text says what and where.
    Usage(String),
    /// The client's error for a call (or a login).
    Call(ecosuite::Error),
    /// Writing the result failed.
    Output(String),
    /// The saved session cannot be used (unreadable, readable by others, expired).
    Auth(String),
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure::Usage(message.into())
    }

    /// A table lists an operation the generated calls do not know.
    pub fn unknown_operation(id: &str) -> Self {
        Failure::stale(format!("operation `{id}` has no call"))
    }

    /// A generated call asks for a parameter its operation's table does not list.
    pub fn unknown_parameter(id: &str, name: &str) -> Self {
        Failure::stale(format!(
            "operation `{id}` has no parameter `{name}` in its table"
        ))
    }

    /// The two generated halves (tables and calls) disagree, which `cargo xtask check` prevents.
    fn stale(what: String) -> Self {
        Failure::Usage(format!(
            "{what}; the command line's generated code is stale (run `cargo xtask generate`)"
        ))
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => exit::USAGE,
            Failure::Output(_) => exit::OUTPUT,
            Failure::Auth(_) => exit::AUTH,
            Failure::Call(error) => match error {
                ecosuite::Error::Api(_) => exit::API,
                ecosuite::Error::Transport { .. } => exit::TRANSPORT,
                ecosuite::Error::Decode(_) => exit::DECODE,
                ecosuite::Error::Auth(_) => exit::AUTH,
                // A value the client cannot send, a bad base URL or token: the caller's to fix.
                _ => exit::USAGE,
            },
        }
    }

    /// Prints the failure on stderr and gives the exit code.
    pub fn report(&self) -> ExitCode {
        eprintln!("{self}");
        ExitCode::from(self.exit_code())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Output(message) | Failure::Auth(message) => {
                write!(f, "error: {message}")
            }
            Failure::Call(error) => {
                // The client's messages name the operation, the status and the server's
                // message, or the JSON path where the answer stopped matching the document.
                let mut told = format!("error: {error}");
                let mut source = std::error::Error::source(error);
                while let Some(cause) = source {
                    // Errors often repeat their source in their own message: say it once.
                    let cause_text = cause.to_string();
                    if !told.contains(&cause_text) {
                        told.push_str(&format!("\n  caused by: {cause_text}"));
                    }
                    source = cause.source();
                }
                f.write_str(&told)
            }
        }
    }
}

impl From<ecosuite::Error> for Failure {
    fn from(error: ecosuite::Error) -> Self {
        Failure::Call(error)
    }
}
