//! Expectations: what a request must be, and what answers it.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::http::HttpResponse;
use super::server::{Incoming, Shared};
use super::spec::{ApiSpec, Location, OperationSpec, Shape};
use crate::client::ParamValue;

type BodyMatcher = Box<dyn Fn(&[u8]) -> Result<(), String> + Send + Sync>;

/// One expectation as the server keeps it.
pub(crate) struct Rule {
    pub op: &'static OperationSpec,
    /// `(location, name, values)` the request must carry, each as the client writes it.
    pub params: Vec<(Location, &'static str, Vec<String>)>,
    pub body: Option<BodyMatcher>,
    pub token: Option<String>,
    pub times: Option<usize>,
    pub delay: Duration,
    pub hits: usize,
    pub reply: Option<(u16, Option<String>, Vec<u8>)>,
}

/// `operation `project` (projectId = "PRJ1")`: how a rule is named in messages.
pub(crate) fn describe(rule: &Rule) -> String {
    let given: Vec<String> = rule
        .params
        .iter()
        .map(|(location, name, values)| {
            format!("{name} = {}", shown(rule.op, *location, name, values))
        })
        .collect();
    if given.is_empty() {
        format!("`{}` (operation `{}`)", rule.op.call, rule.op.id)
    } else {
        format!(
            "`{}` (operation `{}`, {})",
            rule.op.call,
            rule.op.id,
            given.join(", ")
        )
    }
}

/// Values for a message: `"PRJ1"`, `["a", "b"]`, or `<redacted>` for a parameter named like
/// a credential.
fn shown(op: &OperationSpec, location: Location, name: &str, values: &[String]) -> String {
    let secret = op
        .params
        .iter()
        .any(|p| p.location == location && p.name == name && p.secret);
    match values {
        _ if secret => "<redacted>".to_string(),
        [] => "missing".to_string(),
        [one] => format!("{one:?}"),
        many => format!("{many:?}"),
    }
}

impl Rule {
    pub fn exhausted(&self) -> bool {
        self.times.is_some_and(|times| self.hits >= times)
    }

    pub fn matches(&self, incoming: &Incoming<'_>) -> Result<(), String> {
        let mut problems = Vec::new();
        for (location, name, expected) in &self.params {
            let actual = incoming.values(*location, name);
            if &actual != expected {
                let got = if actual.is_empty() {
                    "missing".to_string()
                } else {
                    shown(self.op, *location, name, &actual)
                };
                let wanted = shown(self.op, *location, name, expected);
                problems.push(format!(
                    "{} `{name}` is {got}, expected {wanted}",
                    location.noun()
                ));
            }
        }
        if let Some(token) = &self.token {
            let sent = incoming.http.header("authorization");
            let bare = sent.map(|s| s.strip_prefix("Bearer ").unwrap_or(s));
            if sent != Some(token.as_str()) && bare != Some(token.as_str()) {
                problems.push(match sent {
                    None => "no token was sent".to_string(),
                    Some(_) => "the token differs".to_string(),
                });
            }
        }
        if let Some(body) = &self.body {
            if let Err(reason) = body(&incoming.http.body) {
                problems.push(reason);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join(", "))
        }
    }

    pub fn response(&self) -> HttpResponse {
        let (status, content_type, body) = self.reply.clone().unwrap_or((200, None, Vec::new()));
        HttpResponse {
            status,
            content_type,
            body,
            delay: self.delay,
        }
    }
}

/// An expectation being set for the operation `Op`: narrow it with the operation's optional
/// parameters (named as in the client), [`token`](Self::token), [`times`](Self::times),
/// [`delay`](Self::delay), then answer it with `returns(..)`, [`fails`](Self::fails) or
/// [`returns_raw`](Self::returns_raw). Until it is answered it matches nothing.
#[must_use = "an expectation does nothing until it is answered with `returns`, `fails` or `returns_raw`"]
pub struct Expectation<Op> {
    pub(crate) rule: Rule,
    pub(crate) shared: Arc<Shared>,
    _op: PhantomData<fn() -> Op>,
}

impl<Op> Expectation<Op> {
    #[doc(hidden)]
    pub fn new(mock: &crate::MockServer, op: &'static OperationSpec) -> Self {
        Expectation {
            rule: Rule {
                op,
                params: Vec::new(),
                body: None,
                token: None,
                times: None,
                delay: Duration::ZERO,
                hits: 0,
                reply: None,
            },
            shared: mock.shared.clone(),
            _op: PhantomData,
        }
    }

    /// Requires the parameter to be sent with this value, written as the client writes it.
    #[doc(hidden)]
    pub fn with_param(
        &mut self,
        location: Location,
        name: &'static str,
        value: &(impl ParamValue + ?Sized),
    ) {
        self.with_param_values(location, name, vec![value.to_param()]);
    }

    /// A list parameter: one value per key when `explode`, else one comma-joined value.
    #[doc(hidden)]
    pub fn with_list_param<T: ParamValue>(
        &mut self,
        location: Location,
        name: &'static str,
        values: &[T],
        explode: bool,
    ) {
        let values: Vec<String> = values.iter().map(ParamValue::to_param).collect();
        let values = if explode && location == Location::Query {
            values
        } else {
            vec![values.join(",")]
        };
        self.with_param_values(location, name, values);
    }

    fn with_param_values(&mut self, location: Location, name: &'static str, values: Vec<String>) {
        self.rule
            .params
            .retain(|(l, n, _)| !(*l == location && *n == name));
        self.rule.params.push((location, name, values));
    }

    /// Requires a JSON body equal to `expected` once decoded into the client's type.
    #[doc(hidden)]
    pub fn with_json_body<T>(&mut self, expected: T)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + Send + Sync + 'static,
    {
        let context = self
            .rule
            .op
            .body
            .as_ref()
            .map(|body| (self.shared.spec, body.shape));
        self.rule.body = Some(Box::new(move |bytes: &[u8]| {
            let actual: T = serde_json::from_slice(bytes)
                .map_err(|e| format!("the body does not decode: {e}"))?;
            if actual == expected {
                return Ok(());
            }
            let want = serde_json::to_value(&expected).unwrap_or(Value::Null);
            let got = serde_json::to_value(&actual).unwrap_or(Value::Null);
            Err(match first_difference(&want, &got, "", context, false) {
                Some(difference) => format!("the body differs {difference}"),
                None => "the body differs".to_string(),
            })
        }));
    }

    /// Requires a form body equal to `expected` once decoded into the client's type.
    #[doc(hidden)]
    pub fn with_form_body<T>(&mut self, expected: T)
    where
        T: serde::de::DeserializeOwned + PartialEq + Send + Sync + 'static,
    {
        self.rule.body = Some(Box::new(move |bytes: &[u8]| {
            let actual: T = serde_urlencoded::from_bytes(bytes)
                .map_err(|e| format!("the form body does not decode: {e}"))?;
            if actual == expected {
                Ok(())
            } else {
                Err("the form body differs".to_string())
            }
        }));
    }

    /// Requires the body to be exactly these bytes (text and binary bodies).
    #[doc(hidden)]
    pub fn with_raw_body(&mut self, expected: Vec<u8>) {
        self.rule.body = Some(Box::new(move |bytes: &[u8]| {
            if bytes == expected.as_slice() {
                Ok(())
            } else {
                Err(format!(
                    "the body differs ({} bytes, expected {})",
                    bytes.len(),
                    expected.len()
                ))
            }
        }));
    }

    /// Multipart bodies are checked against the document, not compared.
    #[doc(hidden)]
    pub fn with_any_body<T>(&mut self, _expected: T) {}

    /// Answers with `status` and `body` encoded as JSON.
    #[doc(hidden)]
    pub fn reply_json(self, status: u16, body: &impl serde::Serialize) -> Mocked {
        let bytes = serde_json::to_vec(body).expect("the client's types encode as JSON");
        self.register(status, Some("application/json".into()), bytes)
    }

    /// Answers with `status`, a content type and a body.
    #[doc(hidden)]
    pub fn reply(self, status: u16, content_type: Option<&str>, body: Vec<u8>) -> Mocked {
        self.register(status, content_type.map(str::to_string), body)
    }

    /// Matches only requests sending this token in `Authorization` (as it is, or after
    /// `Bearer `).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.rule.token = Some(token.into());
        self
    }

    /// Answers at most `n` requests, and fails [`MockServer::verify`](crate::MockServer::verify)
    /// (and the mock's drop) unless exactly `n` matching requests came: one more is answered
    /// `418` (unless another expectation answers it) and counted. Without it, an expectation
    /// answers any number of requests and is not verified.
    pub fn times(mut self, n: usize) -> Self {
        self.rule.times = Some(n);
        self
    }

    /// Waits this long before answering (to test timeouts).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.rule.delay = delay;
        self
    }

    /// Answers with an error status and a body encoded as JSON, e.g. `types::Error`.
    pub fn fails(self, status: u16, body: impl serde::Serialize) -> Mocked {
        self.reply_json(status, &body)
    }

    /// Answers with this status and body, as they are (no content type): for answers the
    /// document does not describe.
    pub fn returns_raw(self, status: u16, body: impl Into<Vec<u8>>) -> Mocked {
        self.register(status, None, body.into())
    }

    fn register(mut self, status: u16, content_type: Option<String>, body: Vec<u8>) -> Mocked {
        self.rule.reply = Some((status, content_type, body));
        let mut state = self.shared.lock();
        state.rules.push(self.rule);
        Mocked {
            shared: self.shared.clone(),
            index: state.rules.len() - 1,
        }
    }
}

impl<Op> std::fmt::Debug for Expectation<Op> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expectation")
            .field("expects", &describe(&self.rule))
            .field("times", &self.rule.times)
            .field("delay", &self.rule.delay)
            .finish_non_exhaustive()
    }
}

/// An expectation once answered: how often it was called; `times` and `delay` can still be
/// changed.
pub struct Mocked {
    shared: Arc<Shared>,
    index: usize,
}

impl Mocked {
    /// How many requests it answered so far.
    pub fn hits(&self) -> usize {
        self.shared.lock().rules[self.index].hits
    }

    /// See [`Expectation::times`].
    pub fn times(self, n: usize) -> Self {
        self.shared.lock().rules[self.index].times = Some(n);
        self
    }

    /// See [`Expectation::delay`].
    pub fn delay(self, delay: Duration) -> Self {
        self.shared.lock().rules[self.index].delay = delay;
        self
    }
}

impl std::fmt::Debug for Mocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.shared.lock();
        let rule = &state.rules[self.index];
        f.debug_struct("Mocked")
            .field("expectation", &describe(rule))
            .field("hits", &rule.hits)
            .finish()
    }
}

/// What [`first_difference`] knows of the document: the schema of the value compared, to
/// redact the properties it marks as secrets.
type Context = Option<(&'static ApiSpec, &'static Shape)>;

fn descend(context: Context, key: Result<&str, usize>) -> (Context, bool) {
    match context {
        Some((spec, shape)) => {
            let (child, secret) = spec.child(shape, key);
            (child.map(|child| (spec, child)), secret)
        }
        None => (None, false),
    }
}

/// Where two JSON values first differ: `at `.project.name`: "B", expected "A"`. Values of
/// properties the document marks as secrets are `<redacted>`.
fn first_difference(
    want: &Value,
    got: &Value,
    at: &str,
    context: Context,
    secret: bool,
) -> Option<String> {
    let here = if at.is_empty() { "." } else { at };
    let show = |value: &Value| {
        if secret {
            "<redacted>".to_string()
        } else {
            short(value)
        }
    };
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let path = format!("{at}.{k}");
                let (child, child_secret) = descend(context, Ok(k));
                let child_secret = secret || child_secret;
                match g.get(k) {
                    None => {
                        let shown = if child_secret {
                            "<redacted>".to_string()
                        } else {
                            short(wv)
                        };
                        return Some(format!("at `{path}`: missing, expected {shown}"));
                    }
                    Some(gv) => {
                        if let Some(d) = first_difference(wv, gv, &path, child, child_secret) {
                            return Some(d);
                        }
                    }
                }
            }
            g.keys()
                .find(|k| !w.contains_key(*k))
                .map(|k| format!("at `{at}.{k}`: not expected"))
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            w.iter().zip(g).enumerate().find_map(|(i, (wv, gv))| {
                let (child, _) = descend(context, Err(i));
                first_difference(wv, gv, &format!("{at}[{i}]"), child, secret)
            })
        }
        _ if want == got => None,
        _ => Some(format!(
            "at `{here}`: {}, expected {}",
            show(got),
            show(want)
        )),
    }
}

/// A JSON value for a message: at most 200 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 200 {
        let cut: String = text.chars().take(200).collect();
        format!("{cut}...")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::spec::ParamSpec;

    static OP: OperationSpec = OperationSpec {
        id: "login",
        call: "auth().login",
        method: "GET",
        path: "/login",
        params: &[
            ParamSpec {
                name: "user",
                location: Location::Query,
                required: true,
                shape: &Shape::String,
                secret: false,
            },
            ParamSpec {
                name: "apiKey",
                location: Location::Query,
                required: true,
                shape: &Shape::String,
                secret: true,
            },
        ],
        body: None,
    };

    #[test]
    fn secret_parameters_are_redacted_in_messages() {
        let values = vec!["s3cr3t".to_string()];
        assert_eq!(shown(&OP, Location::Query, "apiKey", &values), "<redacted>");
        assert_eq!(shown(&OP, Location::Query, "user", &values), "\"s3cr3t\"");
        assert_eq!(
            shown(&OP, Location::Query, "user", &["a".into(), "b".into()]),
            "[\"a\", \"b\"]"
        );
    }

    static TYPES: &[Shape] = &[Shape::Object {
        fields: &[
            ("name", &Shape::String),
            ("password", &Shape::String),
            ("login", &Shape::Named { index: 0 }),
        ],
        extra: None,
        secrets: &["password"],
    }];
    static SPEC: ApiSpec = ApiSpec {
        operations: &[],
        types: TYPES,
    };

    #[test]
    fn secret_properties_are_redacted_in_body_differences() {
        let context = Some((&SPEC, &Shape::Named { index: 0 }));
        let want = serde_json::json!({"name": "a", "login": {"password": "hunter2"}});
        let got = serde_json::json!({"name": "a", "login": {"password": "letmein"}});
        assert_eq!(
            first_difference(&want, &got, "", context, false).as_deref(),
            Some("at `.login.password`: <redacted>, expected <redacted>")
        );
        let got = serde_json::json!({"name": "b", "login": {"password": "hunter2"}});
        assert_eq!(
            first_difference(&want, &got, "", context, false).as_deref(),
            Some("at `.name`: \"b\", expected \"a\"")
        );
    }

    #[test]
    fn differences_name_their_json_path() {
        let want = serde_json::json!({"a": {"b": [1, 2]}, "c": "x"});
        let got = serde_json::json!({"a": {"b": [1, 3]}, "c": "x", "d": true});
        assert_eq!(
            first_difference(&want, &got, "", None, false).as_deref(),
            Some("at `.a.b[1]`: 3, expected 2")
        );
        let got = serde_json::json!({"a": {"b": [1, 2]}, "c": "x", "d": true});
        assert_eq!(
            first_difference(&want, &got, "", None, false).as_deref(),
            Some("at `.d`: not expected")
        );
    }
}
