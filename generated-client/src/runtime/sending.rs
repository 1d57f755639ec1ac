//! The future that `send`, `send_with_response` and `send_raw` return.
//!
//! One generic type instead of an `async fn` per operation and way of sending: a crate with
//! hundreds of operations would otherwise compile hundreds of state machines, each holding
//! the runtime's, and every program awaiting them would compile them again. Here an
//! operation's future is the runtime's one boxed exchange plus how to finish it (measured by
//! `cargo xtask bench`, compile part).

use std::future::Future;
use std::marker::PhantomData;
use std::mem;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use super::client::{Answer, Exchange};
use super::decode::Decode;
use super::error::Error;
use super::raw::RawResponse;
use super::request::Request;
use super::response::Response;
use super::Client;

/// What an answer becomes: the decoded body, the body with status and headers, or the raw
/// answer.
pub(crate) trait Finish {
    type Output;

    fn finish(operation: &'static str, answer: Answer) -> Result<Self::Output, Error>;
}

/// `send`: the decoded body of a successful answer.
pub(crate) struct Body<D>(PhantomData<fn() -> D>);

impl<D: Decode> Finish for Body<D> {
    type Output = D::Output;

    fn finish(operation: &'static str, answer: Answer) -> Result<D::Output, Error> {
        let (status, _headers, body) = successful(operation, answer)?;
        D::decode(operation, status, body)
    }
}

/// `send_with_response`: the decoded body with the answer's status and headers.
pub(crate) struct WithResponse<D>(PhantomData<fn() -> D>);

impl<D: Decode> Finish for WithResponse<D> {
    type Output = Response<D::Output>;

    fn finish(operation: &'static str, answer: Answer) -> Result<Self::Output, Error> {
        let (status, headers, body) = successful(operation, answer)?;
        let body = D::decode(operation, status, body)?;
        Ok(Response::new(status, headers, body))
    }
}

/// `send_raw`: the answer as it came, whatever its status.
pub(crate) struct Raw;

impl Finish for Raw {
    type Output = RawResponse;

    fn finish(
        operation: &'static str,
        (status, headers, body): Answer,
    ) -> Result<RawResponse, Error> {
        Ok(RawResponse::new(operation, status, headers, body))
    }
}

/// An answer with a status other than success is the API's error.
fn successful(operation: &'static str, answer: Answer) -> Result<Answer, Error> {
    let (status, headers, body) = answer;
    if status.is_success() {
        return Ok((status, headers, body));
    }
    Err(Error::Api(Box::new(super::ApiError {
        operation,
        status,
        headers,
        body,
    })))
}

/// A request on its way: prepared when `send` is called (path, query, headers, body), sent
/// when first polled.
#[must_use = "a request does nothing until its future is awaited"]
pub(crate) struct Sending<F> {
    prepared: Prepared,
    finish: PhantomData<fn() -> F>,
}

/// What does not depend on how the answer is finished, so it is compiled once, not once per
/// operation and way of sending.
struct Prepared {
    operation: &'static str,
    state: State,
}

enum State {
    Exchanging(Exchange),
    /// The request could not be prepared: the first poll returns why.
    Refused(Error),
    Done,
}

impl<F: Finish> Sending<F> {
    pub(crate) fn start(prepared: Result<(Client, Request), Error>) -> Self {
        Sending {
            prepared: Prepared::start(prepared),
            finish: PhantomData,
        }
    }
}

impl Prepared {
    // Not inlined into the hundreds of generated `send` methods that call it.
    #[inline(never)]
    fn start(prepared: Result<(Client, Request), Error>) -> Self {
        match prepared {
            Ok((client, request)) => Prepared {
                operation: request.operation,
                state: State::Exchanging(client.exchange(request)),
            },
            Err(error) => Prepared {
                operation: "",
                state: State::Refused(error),
            },
        }
    }

    fn poll_answer(&mut self, cx: &mut Context<'_>) -> Poll<Result<Answer, Error>> {
        let answer = match &mut self.state {
            State::Exchanging(exchange) => ready!(exchange.as_mut().poll(cx)),
            State::Refused(_) | State::Done => match mem::replace(&mut self.state, State::Done) {
                State::Refused(error) => Err(error),
                _ => panic!("a request's future was polled after it completed"),
            },
        };
        self.state = State::Done;
        Poll::Ready(answer)
    }
}

impl<F: Finish> Future for Sending<F> {
    type Output = Result<F::Output, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let prepared = &mut self.prepared;
        let answer = ready!(prepared.poll_answer(cx));
        Poll::Ready(answer.and_then(|answer| F::finish(prepared.operation, answer)))
    }
}
