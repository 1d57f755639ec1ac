//! A typed client for the Ecosuite Project Data API (<https://api.ecosuite.io>): projects,
//! sites, systems, energy datums, finance, events, media and demand response.
//!
//! Operations are grouped by the API document's tags and named after their `operationId`:
//! required parameters are arguments, optional ones are set on the returned builder, and
//! `.send()` makes the call.
//!
//! ```no_run
//! # async fn example() -> Result<(), ecosuite::Error> {
//! use ecosuite::types::Aggregation;
//!
//! let client = ecosuite::Client::builder()
//!     .token(std::env::var("ECOSUITE_TOKEN").unwrap_or_default())
//!     .build()?;
//!
//! let project = client.project().project("PRJ1").send().await?;
//! if let Some(project) = project.project {
//!     println!("{} is {}", project.name, project.status);
//! }
//!
//! let start = "2025-01-01T00:00:00Z".parse().unwrap();
//! let end = "2025-02-01T00:00:00Z".parse().unwrap();
//! let datums = client
//!     .energy()
//!     .project_datums("PRJ1", start, end)
//!     .aggregation(Aggregation::Day)
//!     .send()
//!     .await?;
//! # let _ = datums;
//! # Ok(())
//! # }
//! ```
//!
//! Instead of a token, [`Client::login`] signs in with a username and password through
//! Ecosuite's Cognito user pool (SRP, so the password never leaves the machine), answers an
//! MFA challenge (and a first login's new password and authenticator setup), and keeps the
//! token fresh. [`Client::saved_session`] hands the session out to save, and
//! [`ClientBuilder::session`] resumes it in a later run; a [`TokenSource`] of your own can
//! provide the token instead. Idempotent calls are retried on transient
//! failures ([`RetryPolicy`]); `tracing` spans describe every call, never its secrets.
//!
//! Every schema of the document is a type in [`types`]. Errors are one [`Error`] type: the
//! API's error answers ([`Error::Api`]), transport failures, and bodies that do not match the
//! document ([`Error::Decode`], naming the operation and the JSON path).
//!
//! Requests are `Send + 'static` (spawn them, keep them), take headers (`.header(name,
//! value)`), and have `send_raw()` for answers the document describes wrongly
//! ([`RawResponse`]); [`Client::request`] makes calls it lacks ([`UntypedRequest`]). Hooks
//! ([`ClientBuilder::on_request`], [`ClientBuilder::on_response`]) and default headers are set
//! on the builder.

mod runtime;

// Ecosuite's Cognito sign-in: the only part of the crate particular to this API.
mod cognito;
pub use cognito::{
    AuthFlow, CognitoConfig, Login, LoginBuilder, MfaChallenge, MfaSetupChallenge,
    NewPasswordChallenge, SavedSession,
};

// Generated code is formatted by the generator (prettyplease); rustfmt would restyle it and
// make `cargo xtask check` report the client as stale.
#[rustfmt::skip]
pub mod generated;

pub use generated::{operations, types};
pub use runtime::*;

// The crates whose types the API uses, so callers name the same versions without adding
// them to their own dependencies: `ecosuite::reqwest::Method` for untyped calls and
// `reqwest::header` for headers, `chrono` for dates, `serde_json::Value` for free-form
// JSON, `bytes::Bytes` for bodies.
pub use bytes;
pub use chrono;
pub use reqwest;
pub use serde_json;

/// The crate's README, compiled and run as doctests so its example keeps working.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
