//! A typed mock of the Ecosuite API, for testing code that uses the `ecosuite` crate without
//! the real API.
//!
//! [`MockServer::start`] serves HTTP on 127.0.0.1; expectations are set in the client's
//! shape, one method per operation, and answered with the client's own types:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use ecosuite::types::{Aggregation, DatumsResponse};
//!
//! let mock = ecosuite_mock::MockServer::start();
//! let start = "2025-01-01T00:00:00Z".parse()?;
//! let end = "2025-02-01T00:00:00Z".parse()?;
//! mock.energy()
//!     .datums(start, end)
//!     .aggregation(Aggregation::Day)
//!     .times(1)
//!     .returns(DatumsResponse::builder().aggregation(Aggregation::Day).build()?);
//!
//! let client = mock.client();
//! let datums = client.energy().datums(start, end).aggregation(Aggregation::Day).send().await?;
//! assert_eq!(datums.aggregation, Some(Aggregation::Day));
//! # Ok(())
//! # }
//! ```
//!
//! - An expectation matches on what it is given: the required parameters (arguments, as in
//!   the client), the optional ones set on it, the body (decoded into the client's type and
//!   compared by value) and, with [`Expectation::token`], the `Authorization` sent.
//! - A request no expectation matches is answered `418` with a text naming the operation it
//!   would be and what did not match; [`MockServer::unmatched`] lists them.
//! - Every request is checked against the API document as it arrives (path, method, required
//!   parameters, parameter formats, body shape); one the document forbids is answered `400`
//!   with the reason, and fails [`MockServer::verify`]. Enum values the document does not
//!   list and undeclared keys pass, unless the mock is strict ([`MockBuilder::strict`]).
//! - [`Expectation::times`] expectations are verified when the mock is dropped (unless the
//!   test is already panicking) or by [`MockServer::verify`].
//!
//! The methods are generated from the API document with the client (`cargo xtask generate`),
//! so they can never drift from it.

// The client this mock answers for; generated code names its types through this path.
use ecosuite as client;

// The runtime serves every document; a small one leaves parts of it unused.
#[allow(dead_code, unused_imports)]
mod runtime;

// Generated code is formatted by the generator (prettyplease); rustfmt would restyle it.
#[rustfmt::skip]
mod generated;

pub use generated::*;
pub use runtime::{Expectation, MockBuilder, MockServer, Mocked, RefusedRequest, UnmatchedRequest};
