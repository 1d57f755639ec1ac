//! What every request builder holds besides its parameters (the client and the call's own
//! headers), and what hooks are told about each attempt.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::auth::Security;
use super::client::Client;
use super::error::Error;
use super::params::{fill_template, ParamValue};
use super::redact;
use super::request::Request;

/// The client a request is sent with and the headers added to this one call. Owned (the
/// client is a cheap clone), so request builders and their futures are `Send + 'static`.
#[derive(Clone)]
pub(crate) struct Call {
    client: Client,
    headers: HeaderMap,
    /// Why a header given to this call cannot be sent: reported by `send()`.
    invalid: Option<String>,
}

impl Call {
    /// What untyped requests send: the document's `security`.
    pub(crate) fn default_security(&self) -> Security {
        self.client.default_security()
    }

    pub(crate) fn new(client: &Client) -> Self {
        Call {
            client: client.clone(),
            headers: HeaderMap::new(),
            invalid: None,
        }
    }

    /// Adds a header; one that cannot be sent is remembered and reported when the call is sent.
    pub(crate) fn header<K, V>(&mut self, name: K, value: V)
    where
        K: TryInto<HeaderName, Error: fmt::Display>,
        V: TryInto<HeaderValue, Error: fmt::Display>,
    {
        match header(name, value) {
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(reason) => {
                self.invalid.get_or_insert(reason);
            }
        }
    }

    /// The request for a generated operation: its path is `template` filled with
    /// `path_values` in order ([`fill_template`]); see [`start_at`](Self::start_at).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] for an empty path parameter, or as for `start_at`.
    pub(crate) fn start(
        self,
        operation: &'static str,
        method: Method,
        template: &'static str,
        path_values: &[&dyn ParamValue],
        security: Security,
    ) -> Result<(Client, Request), Error> {
        let path = fill_template(operation, template, path_values)?;
        self.start_at(operation, method, template, path, security)
    }

    /// The request for `operation` at `path`, with this call's headers and the credentials
    /// it accepts; the client to send it with.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidParameter`] when a header given to the call cannot be sent.
    pub(crate) fn start_at(
        self,
        operation: &'static str,
        method: Method,
        template: &'static str,
        path: String,
        security: Security,
    ) -> Result<(Client, Request), Error> {
        if let Some(reason) = self.invalid {
            return Err(Error::InvalidParameter { operation, reason });
        }
        let mut request = Request::new(operation, method, path);
        request.template = template.into();
        request.extra = self.headers;
        request.security = security;
        Ok((self.client, request))
    }

    /// `Debug` for a request builder: its parameters (as given: bodies show themselves, and
    /// secret parameters come as [`redact::Redacted`]), then the call's headers, redacted.
    pub(crate) fn debug(
        &self,
        f: &mut fmt::Formatter<'_>,
        name: &str,
        fields: &[(&str, &dyn fmt::Debug)],
    ) -> fmt::Result {
        let mut out = f.debug_struct(name);
        for (field, value) in fields {
            out.field(field, value);
        }
        if !self.headers.is_empty() {
            out.field("headers", &redact::Headers(&self.headers));
        }
        out.finish_non_exhaustive()
    }
}

/// A header name and value, or why they cannot be sent (naming the header, never the value).
pub(crate) fn header<K, V>(name: K, value: V) -> Result<(HeaderName, HeaderValue), String>
where
    K: TryInto<HeaderName, Error: fmt::Display>,
    V: TryInto<HeaderValue, Error: fmt::Display>,
{
    let name = name
        .try_into()
        .map_err(|e| format!("a header name is not valid: {e}"))?;
    let mut value = value
        .try_into()
        .map_err(|e| format!("the value of the header `{name}` is not valid: {e}"))?;
    if redact::is_secret_name(name.as_str()) {
        value.set_sensitive(true);
    }
    Ok((name, value))
}

/// A hook that sees, and may change, every request the client sends.
pub(crate) type RequestHook = Arc<dyn Fn(&mut reqwest::Request, &CallInfo<'_>) + Send + Sync>;

/// A hook that sees the outcome of every attempt.
pub(crate) type ResponseHook = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

/// The hooks of a client, run in the order they were added.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) request: Vec<RequestHook>,
    pub(crate) response: Vec<ResponseHook>,
}

/// What the client's hooks are told about the call an attempt belongs to.
///
/// Given to [`ClientBuilder::on_request`](crate::ClientBuilder::on_request) hooks with the
/// request, and inside [`ResponseInfo`] to
/// [`ClientBuilder::on_response`](crate::ClientBuilder::on_response) hooks.
#[derive(Debug, Clone, Copy)]
pub struct CallInfo<'a> {
    pub(crate) operation: &'static str,
    pub(crate) method: &'a Method,
    pub(crate) template: &'a str,
    pub(crate) attempt: u32,
}

impl<'a> CallInfo<'a> {
    /// The operationId of the call (`"project"`), or the name given to an untyped call
    /// (`"request"` unless [`UntypedRequest::operation`](crate::UntypedRequest::operation) set one).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    pub fn method(&self) -> &'a Method {
        self.method
    }

    /// The path as the document writes it, before parameters are filled in:
    /// `/projects/{projectId}`. Good for metrics: it does not vary with the values.
    pub fn path_template(&self) -> &'a str {
        self.template
    }

    /// Which attempt this is: 1 for the first, 2 for the first retry (or the repeat after the
    /// token was renewed), and so on.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

/// What [`ClientBuilder::on_response`](crate::ClientBuilder::on_response) hooks are told
/// after every attempt: the answer's status and headers, or the transport error when there
/// was no answer. The body has not been read yet.
#[derive(Debug, Clone, Copy)]
pub struct ResponseInfo<'a> {
    pub(crate) call: CallInfo<'a>,
    pub(crate) outcome: Result<(StatusCode, &'a HeaderMap), &'a reqwest::Error>,
    pub(crate) elapsed: Duration,
}

impl<'a> ResponseInfo<'a> {
    /// The call and attempt this answers.
    pub fn call(&self) -> &CallInfo<'a> {
        &self.call
    }

    /// The operationId of the call; the same as `call().operation()`.
    pub fn operation(&self) -> &'static str {
        self.call.operation
    }

    /// The status, or `None` when no answer came (connection failure, timeout).
    pub fn status(&self) -> Option<StatusCode> {
        self.outcome.ok().map(|(status, _)| status)
    }

    /// The answer's headers, or `None` when no answer came.
    pub fn headers(&self) -> Option<&'a HeaderMap> {
        self.outcome.ok().map(|(_, headers)| headers)
    }

    /// Why no answer came (its URL without the query string).
    pub fn error(&self) -> Option<&'a reqwest::Error> {
        self.outcome.err()
    }

    /// From sending the request to the answer's headers (or the failure).
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}
