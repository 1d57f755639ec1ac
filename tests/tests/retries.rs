//! Retries, timeouts and concurrency of the client against local servers on 127.0.0.1: which
//! failures are retried (and which never are), how long the client waits, and that one client
//! serves many calls at once.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ecosuite::types::Portfolio;
use ecosuite::{Client, Error, RetryPolicy, StatusCode};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token";

/// Short waits keep the tests fast; the backoff's shape is unit-tested in the runtime.
fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(5))
}

fn client(uri: &str) -> Client {
    Client::builder()
        .base_url(uri)
        .token(TOKEN)
        .retry(fast())
        .build()
        .unwrap()
}

fn portfolio() -> Portfolio {
    Portfolio::builder()
        .name("P")
        .projects(vec!["PRJ1".to_string()])
        .build()
        .unwrap()
}

/// Answers `status` to the first `failures` requests for `method path`, then 200 `{}`.
async fn flaky(server: &MockServer, http_method: &str, route: &str, status: u16, failures: u64) {
    Mock::given(method(http_method))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({"message": "later"})))
        .up_to_n_times(failures)
        .mount(server)
        .await;
    healthy(server, http_method, route).await;
}

/// Answers 200 `{}` to every `method path`.
async fn healthy(server: &MockServer, http_method: &str, route: &str) {
    Mock::given(method(http_method))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn get_put_and_delete_are_retried_on_transient_statuses() {
    for status in [429, 502, 503, 504] {
        let server = MockServer::start().await;
        flaky(&server, "GET", "/portfolios/P1", status, 2).await;
        flaky(&server, "PUT", "/portfolios/P1", status, 2).await;
        flaky(&server, "DELETE", "/portfolios/P1", status, 2).await;
        let client = client(&server.uri());
        let project = client.project();
        project
            .portfolio("P1")
            .send()
            .await
            .expect("GET succeeds on the third try");
        assert_eq!(requests(&server).await, 3, "status {status}");
        project
            .update_portfolio("P1", portfolio())
            .send()
            .await
            .expect("PUT");
        assert_eq!(requests(&server).await, 6, "status {status}");
        project.delete_portfolio("P1").send().await.expect("DELETE");
        assert_eq!(requests(&server).await, 9, "status {status}");
    }
}

#[tokio::test]
async fn attempts_are_limited_and_the_last_answer_is_returned() {
    let server = MockServer::start().await;
    flaky(&server, "GET", "/portfolios/P1", 503, 100).await;
    let error = client(&server.uri())
        .project()
        .portfolio("P1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.status(),
        Some(StatusCode::SERVICE_UNAVAILABLE),
        "{error:?}"
    );
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let server = MockServer::start().await;
    for status in [400, 404, 500] {
        flaky(&server, "GET", &format!("/portfolios/S{status}"), status, 1).await;
    }
    let client = client(&server.uri());
    for status in [400, 404, 500] {
        let error = client
            .project()
            .portfolio(format!("S{status}"))
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
    assert_eq!(requests(&server).await, 3);
}

/// One `503` for the next POST, ahead of every other mock.
async fn one_post_failure(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/portfolios"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn post_is_not_retried_unless_the_call_opts_in() {
    let server = MockServer::start().await;
    healthy(&server, "POST", "/portfolios").await;
    let client = client(&server.uri());
    let create = || client.project().create_portfolio(portfolio());

    one_post_failure(&server).await;
    let error = create().send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await, 1, "a failed POST is not repeated");

    one_post_failure(&server).await;
    client
        .retry_post()
        .project()
        .create_portfolio(portfolio())
        .send()
        .await
        .expect("the opted-in POST is retried");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    assert_eq!(
        received[1].body, received[2].body,
        "the same body is sent again"
    );

    // The opt-in was for that view only.
    one_post_failure(&server).await;
    assert!(create().send().await.is_err());
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/portfolios/P1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    healthy(&server, "GET", "/portfolios/P1").await;
    let started = Instant::now();
    client(&server.uri())
        .project()
        .portfolio("P1")
        .send()
        .await
        .unwrap();
    // The backoff alone would have waited a few milliseconds.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_returns_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/portfolios/P1"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .with_retry(fast().max_delay(Duration::from_secs(10)))
        .project()
        .portfolio("P1")
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.headers["retry-after"], "3600", "the caller can see why");
    assert_eq!(requests(&server).await, 1);
}

/// A server that closes the first `drop_first` connections without answering, then answers
/// every request with 200 `{}`.
fn dropping_server(drop_first: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            if counter.fetch_add(1, Ordering::SeqCst) < drop_first {
                continue; // dropped: closed without a word
            }
            let mut head = Vec::new();
            let mut buffer = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
            );
        }
    });
    (url, connections)
}

#[tokio::test]
async fn broken_connections_are_retried() {
    let (url, connections) = dropping_server(2);
    client(&url)
        .project()
        .portfolio("P1")
        .send()
        .await
        .expect("the third connection answers");
    assert_eq!(connections.load(Ordering::SeqCst), 3);

    // Never for a POST: the server may have acted before the connection broke.
    let (url, connections) = dropping_server(1);
    let error = client(&url)
        .project()
        .create_portfolio(portfolio())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn timeouts_apply_per_client_and_per_call_and_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/portfolios/P1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;

    // Per client.
    let quick = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry(fast())
        .build()
        .unwrap();
    let error = quick.project().portfolio("P1").send().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        requests(&server).await,
        1,
        "a timed-out call is not repeated"
    );

    // Per call: the client allows a minute, this call 200 ms.
    let patient = client(&server.uri());
    let started = Instant::now();
    let error = patient
        .with_timeout(Duration::from_millis(200))
        .project()
        .portfolio("P1")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_serves_many_concurrent_calls() {
    let server = MockServer::start().await;
    // The first 10 requests fail; the calls that get them retry on their own. With more
    // attempts than failures, no call can run out.
    Mock::given(method("GET"))
        .and(path("/portfolios/P1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(10)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/portfolios/P1"))
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server.uri()).with_retry(fast().max_attempts(12));
    let calls: Vec<_> = (0..64)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.project().portfolio("P1").send().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("every call succeeds");
    }
    assert_eq!(requests(&server).await, 74);
}
