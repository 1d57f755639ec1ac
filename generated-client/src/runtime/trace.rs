//! What the client tells `tracing` about each call: a span per call (operation, method, path),
//! an event per attempt (status, attempt, latency) and per retry. Headers, bodies and query
//! strings are never recorded, so credentials cannot reach a log: a transport error's URL has
//! lost its query string before it gets here.
//!
//! Without a subscriber, each of these costs one check of a cached flag.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use tracing::field::Empty;
use tracing::Span;

/// The span every attempt, retry and token refresh of one call is recorded in. `path` is the
/// request path without the query; `status` and `attempts` are filled in when the call ends.
pub(crate) fn call_span(operation: &'static str, method: &Method, path: &str) -> Span {
    tracing::info_span!(
        "api_call",
        operation,
        method = %method,
        path,
        status = Empty,
        attempts = Empty,
    )
}

pub(crate) fn answered(attempt: u32, status: StatusCode, latency: Duration) {
    tracing::debug!(
        attempt,
        status = status.as_u16(),
        latency_ms = millis(latency),
        "answer received"
    );
}

pub(crate) fn no_answer(attempt: u32, latency: Duration, error: &reqwest::Error) {
    tracing::debug!(
        attempt,
        latency_ms = millis(latency),
        timeout = error.is_timeout(),
        connect = error.is_connect(),
        error = %error,
        "no answer"
    );
}

/// `reason` is a fixed word (`"transport"`, `"status"`), never text from the server.
pub(crate) fn retrying(attempt: u32, delay: Duration, reason: &'static str) {
    tracing::info!(attempt, delay_ms = millis(delay), reason, "retrying");
}

pub(crate) fn token_rejected() {
    tracing::info!("the server rejected the token (401); refreshing it and trying once more");
}

/// Records the outcome on the call's span, so a subscriber sees it with the span's fields.
pub(crate) fn finished(span: &Span, status: Option<StatusCode>, attempts: u32, total: Duration) {
    if let Some(status) = status {
        span.record("status", status.as_u16());
    }
    span.record("attempts", attempts);
    tracing::debug!(
        attempts,
        status = status.map(|s| s.as_u16()),
        latency_ms = millis(total),
        "call finished"
    );
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
