//! What can stop an xtask command, and the exit status each kind of failure maps to.

use std::fmt;

use crate::fs::FsError;

/// Why a command did not succeed. Every variant carries a finished message, so `main` only
/// has to print it and pick the exit status.
#[derive(Debug)]
pub enum Failure {
    /// The command line was wrong; `main` prints the usage text after the message.
    Usage(String),
    /// Reading or writing a path failed, or writing there would be unsafe.
    Io(String),
    /// The generator rejected the OpenAPI document.
    Spec(String),
    /// `check` found the checked-in client out of date; the report is already printed.
    Stale,
    /// `diff --fail-on breaking` found this many breaking changes; the report is printed.
    Breaking(usize),
    /// A side of `diff` could not be read or is not a document the generator accepts.
    Unreadable(String),
    /// `semver-crosscheck` found pairs where `diff`'s verdict is weaker than
    /// cargo-semver-checks'; the table is printed.
    Disagrees(String),
}

impl Failure {
    /// 1 means "the input or the checked-in output needs attention", 2 means "the invocation or
    /// the machine does", so CI logs and scripts can tell a spec problem from a broken setup.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Spec(_) | Failure::Stale | Failure::Breaking(_) | Failure::Disagrees(_) => 1,
            Failure::Usage(_) | Failure::Io(_) | Failure::Unreadable(_) => 2,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message)
            | Failure::Io(message)
            | Failure::Spec(message)
            | Failure::Unreadable(message)
            | Failure::Disagrees(message) => f.write_str(message),
            Failure::Breaking(count) => write!(f, "{count} breaking changes"),
            Failure::Stale => f.write_str("the generated code is stale"),
        }
    }
}

impl From<FsError> for Failure {
    fn from(error: FsError) -> Self {
        Failure::Io(error.to_string())
    }
}
