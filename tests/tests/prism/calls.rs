//! One call per operation through the generated client (written by `tests/build.rs` from the
//! spec), what the document says each must answer, and a pass that runs them all.

use std::fmt::{self, Debug};
use std::future::Future;
use std::pin::Pin;

use ecosuite::{Error, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::recorder::{quote, Exchange, Recorder};

/// Which parameters and body fields a call sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required parameters, required body fields.
    Required,
    /// Every parameter and every body field.
    All,
}

/// What a successful response carries, as the client decodes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // `Text` and `Binary`: the document has no such responses today.
pub enum ResponseKind {
    /// Documented without content: `()`.
    Empty,
    Json,
    Text,
    Binary,
    /// No success response documented: a `serde_json::Value`.
    Undocumented,
}

pub type Call = Pin<Box<dyn Future<Output = Outcome> + Send>>;

/// One operation of the document and the function that calls it.
pub struct Operation {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    /// The documented success status, when there is one.
    pub success: Option<&'static str>,
    pub response: ResponseKind,
    /// The query parameters: name on the wire, and whether it is required.
    pub query: &'static [(&'static str, bool)],
    /// The documented error statuses (`400`, `4XX`, `default`).
    pub errors: &'static [&'static str],
    /// How many `Fill::All` calls send every enum value of the arguments once.
    pub sweep: usize,
    pub call: fn(ecosuite::Client, Fill, usize) -> Call,
}

impl Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{} {}`", self.id, self.method, self.path)
    }
}

/// What came back from one call.
pub struct Outcome {
    pub status: Option<StatusCode>,
    /// Prism's `sl-violations` header.
    pub violations: Option<String>,
    /// The decoded body, serialized again, or why the call failed.
    pub result: Result<Value, Error>,
}

fn observe<T: Serialize>(result: Result<ecosuite::Response<T>, Error>) -> Outcome {
    match result {
        Ok(response) => Outcome {
            status: Some(response.status()),
            violations: violations(response.headers()),
            result: Ok(
                serde_json::to_value(response.body()).expect("a decoded body serializes again")
            ),
        },
        Err(error) => Outcome {
            status: error.status(),
            violations: match &error {
                Error::Api(api) => violations(&api.headers),
                _ => None,
            },
            result: Err(error),
        },
    }
}

pub fn violations(headers: &ecosuite::HeaderMap) -> Option<String> {
    let values: Vec<String> = headers
        .get_all("sl-violations")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    (!values.is_empty()).then(|| values.join("; "))
}

/// An argument from the JSON text build.rs made from its schema, typed by the parameter it
/// fills. A failure means the generated type and the document disagree on what is valid.
fn arg<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "a value built from the schema does not deserialize into the client's {}: {e}\n  {json}",
            std::any::type_name::<T>()
        )
    })
}

include!(concat!(env!("OUT_DIR"), "/prism_calls.rs"));

/// Operations whose response is `oneOf [AuditLog, AuditDiff]`. Both variants are open objects
/// with only optional properties, so every object matches both and no body can satisfy the
/// `oneOf`: Prism flags its own answer (`response.body`, code `oneOf`). That is the document's
/// flaw (it would need `anyOf`, or required properties), not the request's or the client's;
/// the client decodes these bodies, and the round trip below still checks it picked the
/// variant that keeps every key.
const OVERLAPPING_ONE_OF: [&str; 3] = [
    "getAuditLogsForAsset",
    "getAuditLogsForProject",
    "getAuditLogsForUsers",
];

/// Prism's violations minus the known flaw of the document above.
fn unexpected_violations(op: &Operation, header: &str) -> Vec<Value> {
    let list: Vec<Value> = serde_json::from_str(header).unwrap_or_else(|_| vec![header.into()]);
    list.into_iter()
        .filter(|v| {
            !(OVERLAPPING_ONE_OF.contains(&op.id)
                && v["location"] == serde_json::json!(["response", "body"])
                && v["code"] == "oneOf")
        })
        .collect()
}

/// Whether a status matches a documented one (`200`, `2XX`).
fn status_matches(status: StatusCode, documented: &str) -> bool {
    let code = status.as_str();
    documented.len() == 3
        && documented
            .chars()
            .zip(code.chars())
            .all(|(d, c)| d == c || d.eq_ignore_ascii_case(&'x'))
}

/// How closely a decoded body must reproduce what Prism sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundTrip {
    /// Everything Prism sent comes back: static bodies hold only declared properties, so a
    /// key lost in decoding is a wrong name or a wrong union variant.
    Exact,
    /// Everything decoded is what Prism sent; keys may be missing, since dynamic bodies add
    /// random undeclared properties to open objects and the types keep only declared ones.
    Subset,
}

/// Prism matches query names case-insensitively and ignores names the document does not
/// declare (`?START=..` passes as `start`, `?bogus=1` passes), so the names the client sent
/// are checked here: exactly the documented spelling, each once, the required ones always
/// and, with `Fill::All`, every one.
pub fn check_query_names(op: &Operation, fill: Fill, exchange: &Exchange) -> Result<(), String> {
    let url = reqwest::Url::parse(&format!("http://prism{}", exchange.target))
        .map_err(|e| format!("the request target does not parse: {e}"))?;
    let mut sent: Vec<String> = url
        .query_pairs()
        .map(|(name, _)| name.into_owned())
        .collect();
    sent.sort();
    let mut expected: Vec<String> = op
        .query
        .iter()
        .filter(|(_, required)| *required || fill == Fill::All)
        .map(|(name, _)| name.to_string())
        .collect();
    expected.sort();
    if sent == expected {
        Ok(())
    } else {
        Err(format!(
            "query names sent {sent:?}, documented {expected:?}"
        ))
    }
}

/// Why an outcome is not what the document promises, if it is not.
pub fn check(
    op: &Operation,
    fill: Fill,
    outcome: &Outcome,
    exchange: Option<&Exchange>,
    round_trip: RoundTrip,
) -> Result<(), String> {
    if let Some(exchange) = exchange {
        check_query_names(op, fill, exchange)?;
    }
    // Where the document has no answer for a problem (no 4xx for an invalid request, no 401,
    // no such path), Prism makes up a problem+json one, without `sl-violations`. An operation
    // documenting only `default` would otherwise pass with it.
    if let Err(Error::Api(api)) = &outcome.result {
        if let Ok(problem) = serde_json::from_slice::<Value>(&api.body) {
            if problem["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("https://stoplight.io/prism/errors#"))
            {
                return Err(format!(
                    "Prism refused the request ({}): {problem}",
                    api.status
                ));
            }
        }
    }
    if let Some(header) = &outcome.violations {
        let unexpected = unexpected_violations(op, header);
        if !unexpected.is_empty() {
            return Err(format!(
                "Prism reports violations (status {}): {}",
                show_status(outcome.status),
                Value::Array(unexpected)
            ));
        }
    }
    match (&outcome.result, op.success) {
        (Ok(decoded), Some(success)) => {
            let status = outcome.status.expect("a response has a status");
            if !status_matches(status, success) {
                return Err(format!("status {status}, documented {success}"));
            }
            compare_bodies(op, decoded, exchange, round_trip)
        }
        // Nothing documented: any success, as a JSON value, is right.
        (Ok(decoded), None) => compare_bodies(op, decoded, exchange, round_trip),
        // An operation that documents only error answers gets one from Prism for a valid
        // request; the client must report it as an API error with that status.
        (Err(Error::Api(api)), None)
            if op
                .errors
                .iter()
                .any(|e| *e == "default" || status_matches(api.status, e)) =>
        {
            Ok(())
        }
        (Err(error), _) => Err(describe(error)),
    }
}

fn compare_bodies(
    op: &Operation,
    decoded: &Value,
    exchange: Option<&Exchange>,
    round_trip: RoundTrip,
) -> Result<(), String> {
    if matches!(op.response, ResponseKind::Empty) {
        return Ok(());
    }
    let exchange = exchange.ok_or("the recorder saw no exchange")?;
    let raw = if exchange.response_body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice(&exchange.response_body)
            .map_err(|e| format!("Prism's body is not JSON ({e})"))?
    };
    same(decoded, &raw, round_trip, "").map_err(|why| {
        format!(
            "the decoded body does not give back what Prism sent: {why}\n      body: {}",
            quote(&exchange.response_body)
        )
    })
}

/// `decoded` (serialized again) against `raw` (as Prism sent it). Numbers compare by value
/// (an `f32` field holds `0.1` as `0.10000000149…`), date-times by instant.
fn same(decoded: &Value, raw: &Value, round_trip: RoundTrip, at: &str) -> Result<(), String> {
    let at_or_root = if at.is_empty() { "." } else { at };
    match (decoded, raw) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            if (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0) {
                Ok(())
            } else {
                Err(format!("at `{at_or_root}`: decoded {a}, sent {b}"))
            }
        }
        (Value::String(a), Value::String(b)) if a != b => {
            match (
                chrono::DateTime::parse_from_rfc3339(a),
                chrono::DateTime::parse_from_rfc3339(b),
            ) {
                (Ok(a), Ok(b)) if a == b => Ok(()),
                _ => Err(format!("at `{at_or_root}`: decoded {a:?}, sent {b:?}")),
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!(
                    "at `{at_or_root}`: decoded {} items, sent {}",
                    a.len(),
                    b.len()
                ));
            }
            for (i, (a, b)) in a.iter().zip(b).enumerate() {
                same(a, b, round_trip, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let path = format!("{at}.{key}");
                match b.get(key) {
                    Some(sent) => same(value, sent, round_trip, &path)?,
                    None => return Err(format!("at `{path}`: decoded a key Prism did not send")),
                }
            }
            if round_trip == RoundTrip::Exact {
                // `null` and absent mean the same for an optional field.
                let lost: Vec<&String> = b
                    .iter()
                    .filter(|(key, value)| !a.contains_key(*key) && !value.is_null())
                    .map(|(key, _)| key)
                    .collect();
                if !lost.is_empty() {
                    return Err(format!(
                        "at `{at_or_root}`: decoding lost the keys {lost:?}"
                    ));
                }
            }
            Ok(())
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("at `{at_or_root}`: decoded {a}, sent {b}")),
    }
}

fn show_status(status: Option<StatusCode>) -> String {
    status.map_or_else(|| "none".into(), |s| s.to_string())
}

/// An error with what Prism sent, for a failure message.
fn describe(error: &Error) -> String {
    match error {
        Error::Decode(decode) => format!(
            "the body does not decode at `{}`: {}\n      body: {}",
            decode.path,
            decode.message,
            quote(&decode.body)
        ),
        Error::Api(api) => format!("Prism answered {}: {}", api.status, quote(&api.body)),
        other => format!("{other} ({other:?})"),
    }
}

/// Which calls a pass makes per operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calls {
    /// Required arguments once, then every argument once per enum value: for checking
    /// requests.
    Sweep,
    /// Required arguments once: for checking responses. With `--seed`, Prism answers an
    /// operation with the same body however often it is called, so more calls would add
    /// nothing; more seeds do.
    Once,
}

/// The calls a pass makes for `op`.
pub fn calls_of(op: &Operation, calls: Calls) -> impl Iterator<Item = (Fill, usize)> {
    let all = match calls {
        Calls::Sweep => op.sweep,
        Calls::Once => 0,
    };
    std::iter::once((Fill::Required, 0)).chain((0..all).map(|k| (Fill::All, k)))
}

/// How a pass calls the operations and checks the answers.
#[derive(Debug, Clone, Copy)]
pub struct Pass {
    pub calls: Calls,
    pub round_trip: RoundTrip,
}

/// Calls every operation in document order, one at a time (so a dynamic seed gives the same
/// answers each run), through a recorder in front of Prism at `prism_url`. Returns how many
/// calls were made and what went wrong.
pub async fn run_pass(prism_url: String, label: &str, pass: Pass) -> (usize, Vec<String>) {
    let recorder = Recorder::start(prism_url).await;
    let client = crate::client(&recorder.base_url());
    let mut made = 0;
    let mut failures = Vec::new();
    for op in OPERATIONS {
        for (fill, k) in calls_of(op, pass.calls) {
            made += 1;
            if let Err(why) = call(&client, &recorder, op, fill, k, pass.round_trip).await {
                failures.push(format!("[{label}] {op:?} ({fill:?}, k={k}): {why}"));
            }
        }
    }
    (made, failures)
}

/// Makes one call and checks it; the error says what went wrong and what was sent.
pub async fn call(
    client: &ecosuite::Client,
    recorder: &Recorder,
    op: &Operation,
    fill: Fill,
    k: usize,
    round_trip: RoundTrip,
) -> Result<(), String> {
    recorder.take();
    // A panic (an argument that does not fit its type) fails this call, not the pass.
    let outcome = tokio::spawn((op.call)(client.clone(), fill, k)).await;
    let exchange = recorder.take();
    let verdict = match outcome {
        Ok(outcome) => check(op, fill, &outcome, exchange.as_ref(), round_trip),
        Err(join) => Err(match join.try_into_panic() {
            Ok(payload) => format!("the call panicked: {}", panic_message(&*payload)),
            Err(join) => format!("the call did not finish: {join}"),
        }),
    };
    verdict.map_err(|why| {
        let sent =
            exchange.map_or_else(|| "nothing reached Prism".to_string(), |e| e.request_line());
        format!("{why}\n      request: {sent}")
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}
