//! The hand-written part of the mock: the HTTP server, expectations and the checks against
//! the document. Nothing here knows the API's operations; the generated tables describe them.

mod expect;
mod http;
mod server;
mod spec;

pub use expect::{Expectation, Mocked};
pub use server::{MockBuilder, MockServer, RefusedRequest, UnmatchedRequest};
pub use spec::{
    check_any, check_form, check_json, ApiSpec, BodyFormat, BodySpec, Location, OperationSpec,
    ParamSpec, Shape,
};
