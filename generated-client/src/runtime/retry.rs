//! When a failed call is tried again, and how long the client waits before it does.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How a client retries calls that failed for a reason that may pass: the connection could not
/// be made or broke before an answer came, or the server answered `429 Too Many Requests`,
/// `502 Bad Gateway`, `503 Service Unavailable` or `504 Gateway Timeout`.
///
/// Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried: a POST that failed may
/// still have been carried out, so it is retried only through
/// [`Client::retry_post`](crate::Client::retry_post), for one call the caller knows to be safe.
/// Timeouts are not retried either: the call already waited as long as it was allowed to.
///
/// Between attempts the client waits `initial_backoff`, doubling per retry up to `max_delay`,
/// with jitter (a random half of each wait) so that many clients do not retry in step. When the
/// server says how long to wait (`Retry-After`, in seconds or as an HTTP date), that wait is used
/// instead; if it is longer than `max_delay`, the client gives up at once and returns the answer.
///
/// ```
/// use std::time::Duration;
/// let patient = ecosuite::RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(500))
///     .max_delay(Duration::from_secs(60));
/// let never = ecosuite::RetryPolicy::never();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, waiting about 200 ms and then 400 ms, honouring `Retry-After` up to 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// One attempt: nothing is retried.
    pub fn never() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// How many times a call is sent at most, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; each further retry waits twice as long.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between two attempts, for the backoff and for `Retry-After` alike.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The wait before trying again after `failures` failed attempts, or `None` when the call
    /// must not be tried again (attempts used up, or the server asks for too long a wait).
    pub(crate) fn delay(&self, failures: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if failures >= self.max_attempts {
            return None;
        }
        match retry_after {
            Some(wait) if wait > self.max_delay => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(failures, random_u64())),
        }
    }

    /// Exponential backoff with "equal jitter": half the step is fixed, so waits still grow,
    /// half is random, so clients that failed together spread out.
    fn backoff(&self, failures: u32, random: u64) -> Duration {
        let doublings = failures.saturating_sub(1).min(31);
        let step = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_delay);
        let half = step / 2;
        let jitter_nanos = match u64::try_from(half.as_nanos()) {
            Ok(0) | Err(_) => 0,
            Ok(half_nanos) => random % (half_nanos + 1),
        };
        half + Duration::from_nanos(jitter_nanos)
    }
}

/// Whether a method may be sent twice without changing the outcome (RFC 9110, 9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Statuses that say "not now" rather than "no".
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Failures to connect, and connections that broke before an answer. A timeout is not one of
/// them: the caller's time is already spent.
pub(crate) fn is_retryable_error(error: &reqwest::Error) -> bool {
    !error.is_timeout() && (error.is_connect() || error.is_request())
}

/// The server's `Retry-After`: delay seconds, or an HTTP date (a date in the past means now).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
    Some(
        at.signed_duration_since(now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// Randomness for jitter only, nothing secret: std's hasher keys are random per process and
/// fresh per `RandomState`, which is all spreading retries needs, without a dependency.
fn random_u64() -> u64 {
    use std::hash::BuildHasher as _;
    std::collections::hash_map::RandomState::new().hash_one(std::time::Instant::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
            .max_attempts(5)
            .initial_backoff(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350))
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let p = policy();
        assert_eq!(p.backoff(1, 0), Duration::from_millis(50));
        assert_eq!(p.backoff(1, 50_000_000), Duration::from_millis(100));
        assert_eq!(p.backoff(1, 50_000_001), Duration::from_millis(50));
        assert_eq!(p.backoff(2, 0), Duration::from_millis(100));
        assert_eq!(p.backoff(3, 0), Duration::from_millis(175)); // 400 capped at 350
        assert_eq!(p.backoff(30, 0), Duration::from_millis(175));
        for failures in 1..=4 {
            let step = (100u64 << (failures - 1)).min(350);
            for _ in 0..20 {
                let wait = p.delay(failures, None).unwrap();
                assert!(wait >= Duration::from_millis(step / 2), "{wait:?}");
                assert!(wait <= Duration::from_millis(step), "{wait:?}");
            }
        }
    }

    #[test]
    fn attempts_are_bounded() {
        let p = policy();
        assert!(p.delay(4, None).is_some());
        assert_eq!(p.delay(5, None), None);
        assert_eq!(RetryPolicy::never().delay(1, None), None);
        assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = policy();
        let wait = Duration::from_millis(300);
        assert_eq!(p.delay(1, Some(wait)), Some(wait));
        assert_eq!(p.delay(1, Some(Duration::from_secs(1))), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        let now = chrono::DateTime::<chrono::Utc>::from(SystemTime::now());
        let later = now + chrono::Duration::seconds(120);
        let date = later.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&date).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn only_idempotent_methods_and_transient_statuses_qualify() {
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::PUT));
        assert!(is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
        for status in [429, 502, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(status).unwrap()));
        }
        for status in [200, 400, 401, 404, 500, 501] {
            assert!(!is_retryable_status(StatusCode::from_u16(status).unwrap()));
        }
    }
}
