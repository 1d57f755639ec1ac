//! The one error type every operation returns.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
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
    /// A parameter value cannot be sent as given (a path parameter of `..`, for example).
    #[error("{operation}: {reason}")]
    InvalidParameter {
        operation: &'static str,
        reason: String,
    },
    /// The client is configured wrongly (base URL, token, Cognito settings).
    #[error("{0}")]
    Config(String),
    /// Logging in, or renewing the session's token, failed.
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

/// An answer with an error status. The body is kept as sent; [`ApiError::json`] decodes it
/// into the type the operation documents (for Ecosuite, `types::Error` on `400`).
#[derive(Debug, Clone)]
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
        #[derive(serde::Deserialize)]
        struct WithMessage {
            message: String,
        }
        if let Ok(body) = serde_json::from_slice::<WithMessage>(&self.body) {
            return Some(body.message);
        }
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }
}

/// How much of an unexpected body an error message quotes.
const QUOTE_LIMIT: usize = 200;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the API answered {}", self.operation, self.status)?;
        if let Some(message) = self.message() {
            let mut quoted: String = message.chars().take(QUOTE_LIMIT).collect();
            if quoted.len() < message.len() {
                quoted.push('…');
            }
            write!(f, ": {quoted}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A successful answer whose body does not decode as the documented type: usually the spec
/// and the server disagree, and `path` says where.
#[derive(Debug, Clone)]
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
            self.operation, self.path, self.message
        )
    }
}

impl std::error::Error for DecodeError {}
