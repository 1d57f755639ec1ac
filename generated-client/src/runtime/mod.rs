//! The hand-written runtime the generated code calls into: client, credentials for the
//! document's security schemes, retries, tracing, errors, requests, parameter encoding and
//! response decoding. Nothing here knows about the API's operations or names anything
//! generated, and nothing here is particular to one API: every generated crate has a copy.

pub(crate) mod auth;
pub(crate) mod build;
mod call;
pub(crate) mod client;
pub(crate) mod decode;
pub(crate) mod enums;
pub(crate) mod error;
mod json_path;
pub(crate) mod object;
mod params;
mod raw;
pub(crate) mod redact;
mod request;
mod response;
pub(crate) mod retry;
pub(crate) mod secret;
mod secret_names;
pub(crate) mod sending;
mod trace;
mod undeclared;
pub(crate) mod union;

pub use auth::{
    AuthError, AuthStep, ClientCredentials, MfaKind, RenewFuture, StaticToken, Token, TokenFuture,
    TokenSource,
};
pub(crate) use auth::{Document, Placement, Scheme, Security};
pub use build::BuildError;
pub use call::{CallInfo, ResponseInfo};
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, DecodeError, Error};
pub use params::ParamValue;
pub use raw::{RawResponse, UntypedRequest};
pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
pub use response::Response;
pub use retry::RetryPolicy;
pub use undeclared::AdditionalProperties;

pub(crate) use call::Call;
pub(crate) use enums::{impl_integer_enum, impl_string_enum};
#[allow(unused_imports)] // Used only by documents with parameters named like credentials.
pub(crate) use redact::Redacted;
pub(crate) use request::Request;
pub(crate) use sending::Sending;
