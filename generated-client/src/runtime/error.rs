//! The one error type every operation returns.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::redact::{self, QUOTE_LIMIT};

/// Why a call failed.
///
/// `Debug` and `Display` are safe to log: bodies are shown by their length and a short quote,
/// never in full; transport errors name the URL without its query string; headers named like
/// credentials are redacted.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status other than success. (Boxed, like `Decode`, to keep
    /// `Result`s small on the success path.)
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request did not get a complete answer: connection, TLS, timeout.
    #[error("{operation}: the request failed: {source}")]
    Transport {
        operation: &'static str,
        #[source]
        source: reqwest::Error,
    },
    /// The answer's body does not match the type the spec documents.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The request body could not be encoded.
    #[error("{operation}: cannot encode the request body: {source}")]
    Encode {
        operation: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// A parameter or header cannot be sent as given: an empty path parameter, one of `..`, a
    /// header name or value that is not valid in HTTP. `reason` names it (never a header's value).
    #[error("{operation}: {reason}")]
    InvalidParameter {
        operation: &'static str,
        reason: String,
    },
    /// The client is configured wrongly (base URL, a credential, login settings).
    #[error("{0}")]
    Config(String),
    /// A credential could not be had: logging in, renewing a session, an OAuth2 token
    /// request or a token source failed.
    #[error(transparent)]
    Auth(Box<crate::runtime::auth::AuthError>),
    /// A request body's builder was missing a required property.
    #[error(transparent)]
    Build(#[from] crate::runtime::BuildError),
}

impl Error {
    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport { source, .. } => source.status(),
            Error::Encode { .. }
            | Error::InvalidParameter { .. }
            | Error::Config(_)
            | Error::Auth(_)
            | Error::Build(_) => None,
        }
    }

    /// Whether the call ran out of time (the request timeout, or connecting took too long).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.is_timeout())
    }

    /// The login or session error, when that is what failed.
    pub fn auth(&self) -> Option<&crate::runtime::auth::AuthError> {
        match self {
            Error::Auth(error) => Some(error),
            _ => None,
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => f.debug_tuple("Api").field(error).finish(),
            Error::Transport { operation, source } => f
                .debug_struct("Transport")
                .field("operation", operation)
                // The client takes the query string out of the error's URL before it is kept.
                .field("source", source)
                .finish(),
            Error::Decode(error) => f.debug_tuple("Decode").field(error).finish(),
            Error::Encode { operation, source } => f
                .debug_struct("Encode")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Error::InvalidParameter { operation, reason } => f
                .debug_struct("InvalidParameter")
                .field("operation", operation)
                .field("reason", reason)
                .finish(),
            Error::Config(message) => f.debug_tuple("Config").field(message).finish(),
            Error::Auth(error) => f.debug_tuple("Auth").field(error).finish(),
            Error::Build(error) => f.debug_tuple("Build").field(error).finish(),
        }
    }
}

/// An answer with an error status. The body is kept as sent; [`ApiError::json`] decodes it
/// into the type the operation documents (for Ecosuite, `types::Error` on `400`).
///
/// `Debug` shows the operation, the status, the headers (credential-like ones redacted) and
/// the body's length with a short quote of it.
#[derive(Clone)]
pub struct ApiError {
    /// The operationId of the call.
    pub operation: &'static str,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl ApiError {
    /// Decodes the body as `T`, typically the error schema the operation documents.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The server's message: the `message` field of a JSON body, or the body as text.
    pub fn message(&self) -> Option<String> {
        if let Ok(body) = serde_json::from_slice::<WithMessage>(&self.body) {
            return Some(body.message);
        }
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &redact::Headers(&self.headers))
            .field("body", &redact::Body(&self.body))
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the API answered {}", self.operation, self.status)?;
        // Only the start of the body is read for the message: a long body is not copied.
        let start = &self.body[..self.body.len().min(64 * 1024)];
        let message = match serde_json::from_slice::<WithMessage>(start) {
            Ok(body) => Some(body.message),
            Err(_) => {
                let text = String::from_utf8_lossy(&start[..start.len().min(4 * QUOTE_LIMIT)]);
                let text = text.trim();
                (!text.is_empty()).then(|| text.to_string())
            }
        };
        if let Some(message) = message {
            let mut quoted = redact::quote(&message).into_owned();
            if start.len() < self.body.len() && !quoted.ends_with('…') {
                quoted.push('…');
            }
            write!(f, ": {quoted}")?;
        }
        Ok(())
    }
}

#[derive(serde::Deserialize)]
struct WithMessage {
    message: String,
}

impl std::error::Error for ApiError {}

/// A successful answer whose body does not decode as the documented type: usually the spec
/// and the server disagree, and `path` says where.
///
/// `Debug` and `Display` quote at most the start of the message and of the body, however
/// large the body. The whole body is still here, and `send_raw()` reads such answers.
#[derive(Clone)]
pub struct DecodeError {
    /// The operationId of the call.
    pub operation: &'static str,
    pub status: StatusCode,
    /// Where in the body decoding failed, e.g. `projects.PRJ1.sites[0].status`.
    pub path: String,
    /// What was wrong there.
    pub message: String,
    pub body: Bytes,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the response body does not match the API document at `{}`: {}",
            self.operation,
            redact::quote(&self.path),
            redact::quote(&self.message)
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("path", &redact::quote(&self.path))
            .field("message", &redact::quote(&self.message))
            .field("body", &redact::Body(&self.body))
            .finish()
    }
}

impl std::error::Error for DecodeError {}
