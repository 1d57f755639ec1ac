//! The hand-written runtime the generated code calls into: client, errors, requests,
//! parameter encoding and response decoding. Nothing here knows about Ecosuite's operations.

mod client;
pub(crate) mod decode;
pub(crate) mod double_option;
pub(crate) mod enums;
mod error;
mod params;
mod request;
mod response;
pub(crate) mod union;

pub use client::{Client, ClientBuilder};
pub use error::{ApiError, DecodeError, Error};
pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
pub use response::Response;

pub(crate) use enums::{impl_integer_enum, impl_string_enum};
pub(crate) use params::{encode_path, ParamValue};
pub(crate) use request::Request;
