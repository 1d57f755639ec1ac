//! The hand-written runtime the generated code calls into: client, login and credentials,
//! retries, tracing, errors, requests, parameter encoding and response decoding. Nothing here
//! knows about the API's operations.

mod auth;
mod client;
pub(crate) mod decode;
pub(crate) mod double_option;
pub(crate) mod enums;
mod error;
mod params;
mod request;
mod response;
mod retry;
mod secret;
mod trace;
pub(crate) mod union;

pub use auth::{
    AuthError, AuthFlow, AuthStep, CognitoConfig, Login, LoginBuilder, MfaChallenge, MfaKind,
};
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, DecodeError, Error};
pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
pub use response::Response;
pub use retry::RetryPolicy;

pub(crate) use enums::{impl_integer_enum, impl_string_enum};
pub(crate) use params::{encode_path, ParamValue};
pub(crate) use request::Request;
