//! Turns a successful response body into the type the operation documents.

use std::marker::PhantomData;

use bytes::Bytes;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{DecodeError, Error};

/// JSON into `T`; a failure names the JSON path where the body and the type disagree.
pub(crate) fn json<T: DeserializeOwned>(
    operation: &'static str,
    status: StatusCode,
    body: Bytes,
) -> Result<T, Error> {
    serde_json::from_slice(&body).map_err(|error| decode_error(operation, status, body, &error))
}

/// Why `body` did not decode, and where: found from serde_json's position after the fact
/// ([`json_path`](super::json_path)), so `json` stays one generic instantiation per type.
fn decode_error(
    operation: &'static str,
    status: StatusCode,
    body: Bytes,
    error: &serde_json::Error,
) -> Error {
    Error::Decode(Box::new(DecodeError {
        operation,
        status,
        path: super::json_path::path_at(&body, error.line(), error.column()),
        message: error.to_string(),
        body,
    }))
}

/// Like [`json`] into a `serde_json::Value`, for undocumented bodies, which may be empty.
pub(crate) fn json_or_null(
    operation: &'static str,
    status: StatusCode,
    body: Bytes,
) -> Result<serde_json::Value, Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Value::Null);
    }
    json(operation, status, body)
}

/// The operation documents no body: whatever came is ignored.
pub(crate) fn empty(
    _operation: &'static str,
    _status: StatusCode,
    _body: Bytes,
) -> Result<(), Error> {
    Ok(())
}

#[allow(dead_code)] // Used only by documents with text responses.
pub(crate) fn text(
    operation: &'static str,
    status: StatusCode,
    body: Bytes,
) -> Result<String, Error> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        Error::Decode(Box::new(DecodeError {
            operation,
            status,
            path: ".".into(),
            message: e.to_string(),
            body,
        }))
    })
}

#[allow(dead_code)] // Used only by documents with binary responses.
pub(crate) fn bytes(
    _operation: &'static str,
    _status: StatusCode,
    body: Bytes,
) -> Result<Bytes, Error> {
    Ok(body)
}

/// How a successful answer's body becomes an operation's type: named by the generated code
/// (`Json<Project>`, `Empty`, ...), so decoding is compiled where the call is awaited.
pub(crate) trait Decode {
    type Output;

    fn decode(
        operation: &'static str,
        status: StatusCode,
        body: Bytes,
    ) -> Result<Self::Output, Error>;
}

// The markers below are types only: generated code names them, nothing builds them.

/// A JSON body of type `T` ([`json`]).
pub(crate) struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Decode for Json<T> {
    type Output = T;

    fn decode(operation: &'static str, status: StatusCode, body: Bytes) -> Result<T, Error> {
        json(operation, status, body)
    }
}

/// A marker type whose decoding is one of the functions above.
macro_rules! decoder {
    ($(#[$doc:meta])* $marker:ident => $output:ty, $decode:ident) => {
        $(#[$doc])*
        #[allow(dead_code)] // Named only by documents with such a response.
        pub(crate) struct $marker;

        impl Decode for $marker {
            type Output = $output;

            fn decode(
                operation: &'static str,
                status: StatusCode,
                body: Bytes,
            ) -> Result<$output, Error> {
                $decode(operation, status, body)
            }
        }
    };
}

decoder!(
    /// An undocumented body ([`json_or_null`]).
    JsonOrNull => serde_json::Value, json_or_null
);
decoder!(
    /// No body documented ([`empty`]).
    Empty => (), empty
);
decoder!(
    /// A text body ([`text`]).
    Text => String, text
);
decoder!(
    /// A binary body ([`bytes`]).
    Binary => Bytes, bytes
);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        count: i64,
    }

    #[test]
    fn decode_errors_name_the_operation_and_path() {
        let body = Bytes::from_static(br#"{"items":[{"count":1},{"count":"two"}]}"#);
        let Err(Error::Decode(e)) = json::<Outer>("listThings", StatusCode::OK, body) else {
            panic!("must fail")
        };
        assert_eq!(e.operation, "listThings");
        assert_eq!(e.path, "items[1].count");
    }

    #[test]
    fn empty_undocumented_bodies_are_null() {
        assert_eq!(
            json_or_null("x", StatusCode::OK, Bytes::new()).unwrap(),
            serde_json::Value::Null
        );
    }
}
