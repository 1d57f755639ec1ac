//! The ways around the document: an answer as the server sent it ([`RawResponse`], from every
//! operation's `send_raw()`), and calls the document does not describe ([`UntypedRequest`]).
//! Both go through the client as usual: token and its renewal, retries, timeouts, default
//! headers, hooks and tracing.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::call::Call;
use super::client::Client;
use super::decode::Json;
use super::error::{ApiError, Error};
use super::params::{fill_placeholders, ParamValue};
use super::redact;
use super::response::Response;
use super::sending::{self, Sending};

/// An answer as the server sent it: status, headers and body bytes, whatever the status.
///
/// What every operation's `send_raw()` returns, for answers the generated types do not fit.
/// `Debug` shows the body's length and a short quote of it.
#[derive(Clone)]
pub struct RawResponse {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        RawResponse {
            operation,
            status,
            headers,
            body,
        }
    }

    /// The operationId of the call (or the name of an untyped call).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, exactly as it came.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    pub fn into_body(self) -> Bytes {
        self.body
    }

    pub fn into_parts(self) -> (StatusCode, HeaderMap, Bytes) {
        (self.status, self.headers, self.body)
    }

    /// The body as text, invalid UTF-8 replaced by `�`.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// Decodes the body as JSON into `T`, whatever the status.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] naming the JSON path where the body and `T` disagree.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        super::decode::json(self.operation, self.status, self.body.clone())
    }

    /// `self` for a success status, else [`Error::Api`] holding the answer, as the typed
    /// `send()` would return it.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for any status other than 2xx.
    pub fn error_for_status(self) -> Result<Self, Error> {
        if self.status.is_success() {
            return Ok(self);
        }
        Err(Error::Api(Box::new(ApiError {
            operation: self.operation,
            status: self.status,
            headers: self.headers,
            body: self.body,
        })))
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &redact::Headers(&self.headers))
            .field("body", &redact::Body(&self.body))
            .finish()
    }
}

/// A call the document does not describe, made with [`Client::request`]: a method and a path
/// template whose `{name}`s are filled by [`path_param`](Self::path_param) (percent-encoded),
/// then query parameters, headers and a body.
///
/// ```no_run
/// # async fn example(client: &ecosuite::Client) -> Result<(), ecosuite::Error> {
/// use ecosuite::reqwest::Method;
/// let project: ecosuite::serde_json::Value = client
///     .request(Method::GET, "/projects/{projectId}")
///     .path_param("projectId", "PRJ 1")
///     .query("include", "sites")
///     .send()
///     .await?;
/// # let _ = project; Ok(()) }
/// ```
#[must_use = "a request does nothing until it is sent"]
pub struct UntypedRequest {
    call: Call,
    operation: &'static str,
    method: Method,
    template: String,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Option<(Option<&'static str>, Bytes)>,
    /// A body that could not be encoded: reported by `send`.
    invalid: Option<Error>,
}

/// The operation name of an untyped call unless [`UntypedRequest::operation`] gives one.
const UNTYPED: &str = "request";

impl Client {
    /// A call to `path` (relative to the base URL; `{name}`s are filled by
    /// [`UntypedRequest::path_param`]) that the document lacks or describes wrongly. The
    /// client's token, retries, timeouts, default headers, hooks and tracing apply as to any
    /// operation.
    pub fn request(&self, method: Method, path: impl Into<String>) -> UntypedRequest {
        UntypedRequest {
            call: Call::new(self),
            operation: UNTYPED,
            method,
            template: path.into(),
            path_params: Vec::new(),
            query: Vec::new(),
            body: None,
            invalid: None,
        }
    }
}

impl UntypedRequest {
    /// The name errors, logs and hooks give this call (`"request"` unless set).
    pub fn operation(mut self, name: &'static str) -> Self {
        self.operation = name;
        self
    }

    /// Fills `{name}` in the path with `value`, percent-encoded as one path segment.
    pub fn path_param(mut self, name: impl Into<String>, value: impl ParamValue) -> Self {
        self.path_params.push((name.into(), value.to_param()));
        self
    }

    /// Adds `name=value` to the query string (encoded); repeat it for a list.
    pub fn query(mut self, name: impl Into<String>, value: impl ParamValue) -> Self {
        self.query.push((name.into(), value.to_param()));
        self
    }

    /// Adds a header to this call, as on every request builder: it replaces a default header
    /// of the same name. An invalid name or value is reported by `send`.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName, Error: fmt::Display>,
        V: TryInto<HeaderValue, Error: fmt::Display>,
    {
        self.call.header(name, value);
        self
    }

    /// Sends `value` as a JSON body (`Content-Type: application/json`).
    pub fn json(mut self, value: &impl Serialize) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => self.body = Some((Some("application/json"), body.into())),
            Err(source) => {
                self.invalid.get_or_insert(Error::Encode {
                    operation: self.operation,
                    source,
                });
            }
        }
        self
    }

    /// Sends these bytes as the body, with no `Content-Type` unless a header gives one.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Some((None, body.into()));
        self
    }

    /// Sends the request and returns the answer as it came, whatever its status.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for a path parameter left unfilled, given but not in the
    /// path, or empty, and for a header that cannot be sent; [`Error::Encode`] for a body that
    /// could not be encoded; [`Error::Transport`] when no answer came.
    pub fn send_raw(self) -> impl Future<Output = Result<RawResponse, Error>> + Send + 'static {
        Sending::<sending::Raw>::start(self.into_request())
    }

    /// Sends the request and decodes a successful JSON body as `T`.
    ///
    /// # Errors
    ///
    /// As for [`send_raw`](Self::send_raw); also [`Error::Api`] for a status other than 2xx
    /// and [`Error::Decode`] when the body is not a `T`.
    pub fn send<T: DeserializeOwned>(self) -> impl Future<Output = Result<T, Error>> + Send {
        Sending::<sending::Body<Json<T>>>::start(self.into_request())
    }

    /// Like [`send`](Self::send), keeping the response's status and headers.
    ///
    /// # Errors
    ///
    /// As for [`send`](Self::send).
    pub fn send_with_response<T: DeserializeOwned>(
        self,
    ) -> impl Future<Output = Result<Response<T>, Error>> + Send {
        Sending::<sending::WithResponse<Json<T>>>::start(self.into_request())
    }

    fn into_request(self) -> Result<(Client, super::request::Request), Error> {
        let operation = self.operation;
        if let Some(error) = self.invalid {
            return Err(error);
        }
        let path = fill_path(operation, &self.template, &self.path_params)?;
        let security = self.call.default_security();
        let (client, mut request) =
            self.call
                .start_at(operation, self.method, "", path, security)?;
        request.template = Cow::Owned(self.template);
        request.query = self
            .query
            .into_iter()
            .map(|(name, value)| (Cow::Owned(name), value))
            .collect();
        request.body = self.body;
        Ok((client, request))
    }
}

impl fmt::Debug for UntypedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params = Params(&self.path_params);
        let query = Params(&self.query);
        let body = self.body.as_ref().map(|(_, body)| redact::Body(body));
        self.call.debug(
            f,
            "UntypedRequest",
            &[
                ("operation", &self.operation),
                ("method", &self.method),
                ("path", &self.template),
                ("path_params", &params),
                ("query", &query),
                ("body", &body),
            ],
        )
    }
}

/// Name-value pairs, with the values of credential-like names redacted.
struct Params<'a>(&'a [(String, String)]);

impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if redact::is_secret_name(name) {
                map.entry(name, &redact::Redacted);
            } else {
                map.entry(name, &redact::quote(value));
            }
        }
        map.finish()
    }
}

/// `template` with every `{name}` replaced by its percent-encoded value.
fn fill_path(
    operation: &'static str,
    template: &str,
    params: &[(String, String)],
) -> Result<String, Error> {
    let invalid = |reason: String| Error::InvalidParameter { operation, reason };
    if !template.starts_with('/') {
        return Err(invalid(format!(
            "the path `{template}` must start with `/`"
        )));
    }
    if template.contains(['?', '#']) {
        return Err(invalid(format!(
            "the path `{template}` has a query string or fragment; add query parameters with `.query(name, value)`"
        )));
    }
    let mut used = vec![false; params.len()];
    let (mut path, rest) = fill_placeholders(operation, template, |name| {
        let Some(index) = params.iter().position(|(n, _)| n == name) else {
            return Err(invalid(format!(
                "the path parameter `{name}` is not given (`.path_param(\"{name}\", value)`)"
            )));
        };
        used[index] = true;
        Ok(params[index].1.clone())
    })?;
    if rest.contains('{') {
        return Err(invalid(format!(
            "the path `{template}` has an unclosed `{{`"
        )));
    }
    path.push_str(rest);
    if let Some(index) = used.iter().position(|used| !used) {
        return Err(invalid(format!(
            "the path parameter `{}` is not in the path `{template}`",
            params[index].0
        )));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn reason(result: Result<String, Error>) -> String {
        match result {
            Err(Error::InvalidParameter { reason, .. }) => reason,
            other => panic!("expected InvalidParameter, got {other:?}"),
        }
    }

    #[test]
    fn path_parameters_are_filled_and_encoded() {
        let path = fill_path(
            "request",
            "/projects/{projectId}/sites/{siteId}",
            &params(&[("siteId", "S/1"), ("projectId", "PRJ 1")]),
        );
        assert_eq!(path.unwrap(), "/projects/PRJ%201/sites/S%2F1");
    }

    #[test]
    fn missing_unknown_and_empty_parameters_are_named() {
        let missing = reason(fill_path("request", "/projects/{projectId}", &[]));
        assert!(missing.contains("`projectId`"), "{missing}");
        let unknown = reason(fill_path(
            "request",
            "/projects",
            &params(&[("projectId", "P")]),
        ));
        assert!(unknown.contains("`projectId`"), "{unknown}");
        let empty = reason(fill_path(
            "request",
            "/projects/{projectId}",
            &params(&[("projectId", "")]),
        ));
        assert!(empty.contains("`projectId` is empty"), "{empty}");
        let query = reason(fill_path("request", "/projects?a=b", &[]));
        assert!(query.contains(".query("), "{query}");
    }
}
