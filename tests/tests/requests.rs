//! The client in real programs, against local servers: requests that own what they need
//! (spawned, stored), headers per call and per client, hooks on every attempt, answers read
//! raw when the document is wrong, untyped calls, bad input refused before sending, and
//! `Debug` and logs that show neither secrets nor megabytes.

#[path = "common/capture.rs"]
mod capture;

use capture::Capture;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ecosuite::reqwest::Method;
use ecosuite::{Client, Error, RetryPolicy, StatusCode};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token";

fn client(uri: &str) -> Client {
    Client::builder()
        .base_url(uri)
        .token(TOKEN)
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

async fn projects_answer(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"projects": []})))
        .mount(server)
        .await;
}

// ---------------------------------------------------------------------------------------------
// Requests own what they need
// ---------------------------------------------------------------------------------------------

fn owned<T: Send + 'static>() {}

fn owned_value<T: Send + 'static>(_: &T) {}

// For every operation: its builder and the futures of its three ways to send are
// `Send + 'static` (compile-time checks, written by tests/build.rs from the document).
include!(concat!(env!("OUT_DIR"), "/owned_builders.rs"));

#[test]
fn every_request_builder_is_send_and_static() {
    assert_eq!(OWNED_BUILDERS, ecosuite_cli::generated::OPERATION_COUNT);
    owned::<ecosuite::UntypedRequest>();
    owned::<ecosuite::RawResponse>();
    owned::<Error>();
}

#[tokio::test]
async fn calls_can_be_spawned_and_stored() {
    let server = MockServer::start().await;
    projects_answer(&server).await;
    let client = client(&server.uri());

    // The builder holds a clone of the client: spawned, it outlives the borrow that made it.
    let handles: Vec<_> = (0..4)
        .map(|_| tokio::spawn(client.project().projects().send()))
        .collect();
    for handle in handles {
        assert_eq!(handle.await.unwrap().unwrap().projects, Some(vec![]));
    }

    // A request made from a temporary view of the client, kept in a variable, sent later.
    let request = client
        .with_timeout(Duration::from_secs(5))
        .project()
        .projects();
    assert!(request.send().await.unwrap().projects.is_some());

    // The untyped call too.
    let raw = tokio::spawn(client.request(Method::GET, "/projects").send_raw());
    assert_eq!(raw.await.unwrap().unwrap().status(), StatusCode::OK);
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

// ---------------------------------------------------------------------------------------------
// Headers and hooks
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn headers_reach_the_server_and_replace_defaults() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/projects"))
        .and(header("x-request-id", "call-1"))
        .and(header("x-tenant", "acme"))
        .and(header("x-team", "per-call"))
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .default_header("x-tenant", "acme")
        .default_header("x-team", "default")
        .build()
        .unwrap();
    client
        .project()
        .projects()
        .header("x-request-id", "call-1")
        .header(
            ecosuite::reqwest::header::HeaderName::from_static("x-team"),
            "per-call",
        )
        .send()
        .await
        .unwrap();
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers.get_all("x-team").iter().count(), 1);
}

#[tokio::test]
async fn a_header_that_cannot_be_sent_is_named_and_nothing_is_sent() {
    let server = MockServer::start().await;
    projects_answer(&server).await;
    let client = client(&server.uri());
    let error = client
        .project()
        .projects()
        .header("x-note", "line\nbreak")
        .send()
        .await
        .unwrap_err();
    let Error::InvalidParameter { operation, reason } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*operation, "projects");
    assert!(reason.contains("`x-note`"), "{reason}");
    let error = client
        .project()
        .projects()
        .header("bad name", "x")
        .send_raw()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { .. }), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn hooks_see_every_attempt_retries_included() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/projects"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    projects_answer(&server).await;

    let requests = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .on_request({
            let requests = requests.clone();
            move |request, info| {
                requests.fetch_add(1, Ordering::SeqCst);
                // An idempotency key per call, the same on every attempt.
                let key = format!("{}-{}", info.operation(), info.path_template());
                request
                    .headers_mut()
                    .insert("idempotency-key", key.parse().unwrap());
                request
                    .headers_mut()
                    .insert("x-attempt", info.attempt().to_string().parse().unwrap());
                // The request carries the token, for a hook that signs it.
                assert!(request.headers().contains_key("authorization"));
            }
        })
        .on_response({
            let seen = seen.clone();
            move |response| {
                let call = response.call();
                seen.lock().unwrap().push(format!(
                    "{} {} {} #{} -> {:?}",
                    call.operation(),
                    call.method(),
                    call.path_template(),
                    call.attempt(),
                    response.status().map(|s| s.as_u16()),
                ));
            }
        })
        .build()
        .unwrap();

    client.project().projects().send().await.unwrap();
    assert_eq!(requests.load(Ordering::SeqCst), 2);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "projects GET /projects #1 -> Some(503)",
            "projects GET /projects #2 -> Some(200)",
        ]
    );
    let sent = server.received_requests().await.unwrap();
    let attempts: Vec<_> = sent
        .iter()
        .map(|r| {
            assert_eq!(r.headers["idempotency-key"], "projects-/projects");
            r.headers["x-attempt"].to_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(attempts, ["1", "2"]);

    // An untyped call runs the hooks too, under its own name and template.
    client
        .request(Method::GET, "/projects/{projectId}")
        .operation("projectAsIs")
        .path_param("projectId", "PRJ1")
        .send_raw()
        .await
        .unwrap();
    assert_eq!(
        seen.lock().unwrap().last().unwrap(),
        "projectAsIs GET /projects/{projectId} #1 -> Some(404)"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn response_hooks_see_calls_that_get_no_answer() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url("http://127.0.0.1:1")
        .retry(RetryPolicy::never())
        .on_response({
            let seen = seen.clone();
            move |response| {
                seen.lock()
                    .unwrap()
                    .push((response.status(), response.error().is_some()));
            }
        })
        .build()
        .unwrap();
    assert!(client.project().projects().send().await.is_err());
    assert_eq!(*seen.lock().unwrap(), [(None, true)]);
}

// ---------------------------------------------------------------------------------------------
// A way around the document
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn send_raw_reads_an_answer_the_types_do_not_fit() {
    let server = MockServer::start().await;
    // The document says `GET /users` answers one `User`; this server sends a list.
    let users = json!([{"email": "a@example.com"}, {"email": "b@example.com"}]);
    Mock::given(method("GET"))
        .and(path("/users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(&users)
                .insert_header("x-total", "2"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/projects/GONE"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no such project"))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let typed = client.user().users().send().await.unwrap_err();
    assert!(matches!(typed, Error::Decode(_)), "{typed:?}");

    let raw = client.user().users().send_raw().await.unwrap();
    assert_eq!(raw.status(), StatusCode::OK);
    assert_eq!(raw.operation(), "users");
    assert_eq!(raw.headers()["x-total"], "2");
    assert_eq!(raw.json::<serde_json::Value>().unwrap(), users);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(raw.body()).unwrap(),
        users
    );

    // Any status is an answer; `error_for_status` makes it the typed call's error.
    let raw = client.project().project("GONE").send_raw().await.unwrap();
    assert_eq!(raw.status(), StatusCode::NOT_FOUND);
    assert_eq!(raw.text(), "no such project");
    let error = raw.error_for_status().unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert!(error.to_string().contains("no such project"), "{error}");
}

#[tokio::test]
async fn untyped_calls_fill_encode_and_decode() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/projects/PRJ%201/notes"))
        .and(query_param("draft", "true"))
        .and(query_param("at", "2025-01-02T03:04:05Z"))
        .and(header("x-request-id", "r-1"))
        .and(header("authorization", TOKEN))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"text": "hello"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "N1"})))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let at: ecosuite::chrono::DateTime<ecosuite::chrono::Utc> =
        "2025-01-02T03:04:05Z".parse().unwrap();
    let request = || {
        client
            .request(Method::POST, "/projects/{projectId}/notes")
            .path_param("projectId", "PRJ 1")
            .query("draft", true)
            .query("at", at)
            .header("x-request-id", "r-1")
            .json(&json!({"text": "hello"}))
    };

    #[derive(serde::Deserialize)]
    struct Created {
        id: String,
    }
    let created: Created = request().send().await.unwrap();
    assert_eq!(created.id, "N1");
    let raw = request().send_raw().await.unwrap();
    assert_eq!(raw.status(), StatusCode::CREATED);

    // Decoding into the wrong type names the call and the path.
    Mock::given(method("GET"))
        .and(path("/odd"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 5})))
        .mount(&server)
        .await;
    let error = client
        .request(Method::GET, "/odd")
        .send::<Created>()
        .await
        .err()
        .unwrap();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!((decode.operation, decode.path.as_str()), ("request", "id"));
    // An error status is `Error::Api`, as for operations.
    let error = client
        .request(Method::GET, "/missing")
        .send::<serde_json::Value>()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn untyped_calls_name_the_path_parameter_that_is_wrong() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let reason = |error: Error| match error {
        Error::InvalidParameter { reason, .. } => reason,
        other => panic!("{other:?}"),
    };
    let unfilled = client
        .request(Method::GET, "/projects/{projectId}")
        .send_raw()
        .await
        .unwrap_err();
    assert!(reason(unfilled).contains("`projectId` is not given"));
    let unknown = client
        .request(Method::GET, "/projects/{projectId}")
        .path_param("projectId", "P")
        .path_param("siteId", "S")
        .send_raw()
        .await
        .unwrap_err();
    assert!(reason(unknown).contains("`siteId` is not in the path"));
    let empty = client
        .request(Method::GET, "/projects/{projectId}")
        .path_param("projectId", "")
        .send_raw()
        .await
        .unwrap_err();
    assert!(reason(empty).contains("`projectId` is empty"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Refuse bad input before sending
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn empty_path_parameters_and_bad_base_urls_are_refused() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let error = client.project().project("").send().await.unwrap_err();
    let Error::InvalidParameter { operation, reason } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*operation, "project");
    assert!(reason.contains("`projectId` is empty"), "{reason}");
    assert!(client.project().project("").send_raw().await.is_err());
    assert!(server.received_requests().await.unwrap().is_empty());

    for base in [
        format!("{}/v1?key=abc", server.uri()),
        format!("{}/#x", server.uri()),
    ] {
        let error = Client::builder().base_url(&base).build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert!(!error.to_string().contains("key=abc"), "{error}");
    }
}

// ---------------------------------------------------------------------------------------------
// Safe Debug and logs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_24_mb_failed_decode_debugs_in_a_few_lines() {
    let server = MockServer::start().await;
    let padding = "x".repeat(24 * 1024 * 1024);
    let body = format!(r#"{{"projects": 5, "padding": "{padding}"}}"#);
    Mock::given(method("GET"))
        .and(path("/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/portfolios"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let error = client.project().projects().send().await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("not a decode error")
    };
    assert_eq!(decode.body.len(), body.len(), "the body is kept whole");
    for shown in [
        format!("{error:?}"),
        format!("{error:#?}"),
        format!("{error}"),
        format!("{decode:?}"),
    ] {
        assert!(shown.len() < 1_000, "{} characters", shown.len());
        assert!(shown.contains("projects"), "{shown}");
    }
    let debug = format!("{error:?}");
    assert!(debug.contains(&format!("{} bytes", body.len())), "{debug}");

    // An error status with the same body, and a raw answer.
    let error = client.project().portfolios().send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    for shown in [format!("{error:?}"), format!("{error}")] {
        assert!(shown.len() < 1_000, "{} characters", shown.len());
    }
    let raw = client.project().projects().send_raw().await.unwrap();
    assert!(format!("{raw:?}").len() < 1_000);
}

const PASSWORD: &str = "hunter2-correct-horse";

/// Single-threaded, so every event of the client lands in the thread's capturing subscriber.
#[tokio::test(flavor = "current_thread")]
async fn a_password_is_never_printed() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    // See tests/auth.rs: call sites registered by other threads may have cached "no one".
    tracing::callsite::rebuild_interest_cache();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/solarnetwork/credentials/solarnode"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "message": "rejected",
            "credentials": {"password": PASSWORD}
        })))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut shown = Vec::new();

    // A password in a header, a query parameter, and an error answer's body.
    let body = serde_json::from_value(json!({"username": "u"})).unwrap();
    let proxy = serde_json::from_value(json!("https://proxy.example.com")).unwrap();
    let request = client
        .solarnetwork()
        .set_solar_node_credentials("N1", proxy, body)
        .header("x-api-key", PASSWORD)
        .header("x-password", PASSWORD);
    shown.push(format!("{request:?} {request:#?}"));
    let error = request.send().await.unwrap_err();
    shown.push(format!("{error} {error:?} {error:#?}"));
    let untyped = client
        .request(Method::GET, "/login")
        .query("password", PASSWORD)
        .header("authorization-extra", PASSWORD);
    shown.push(format!("{untyped:?}"));

    // A transport error for a URL holding the password in its query string.
    let unreachable = Client::builder()
        .base_url("http://127.0.0.1:1")
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let error = unreachable
        .request(Method::GET, "/login")
        .query("password", PASSWORD)
        .send_raw()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    shown.push(format!("{error} {error:?} {error:#?}"));
    let raw = client
        .solarnetwork()
        .set_solar_node_credentials(
            "N1",
            serde_json::from_value(json!("https://proxy.example.com")).unwrap(),
            serde_json::from_value(json!({})).unwrap(),
        )
        .send_raw()
        .await
        .unwrap();
    shown.push(format!("{raw:?}"));

    // Redacted, not left out: what is there is still said.
    assert!(
        shown[0].contains(r#""x-api-key": <redacted>"#),
        "{}",
        shown[0]
    );
    assert!(shown[0].contains("node_id: \"N1\""), "{}", shown[0]);
    assert!(
        shown[1].contains("<redacted>") && shown[1].contains("rejected"),
        "{}",
        shown[1]
    );
    assert!(
        shown[2].contains(r#""password": <redacted>"#),
        "{}",
        shown[2]
    );
    assert!(shown[3].contains("127.0.0.1:1/login"), "{}", shown[3]);
    assert!(!shown[3].contains("password="), "{}", shown[3]);

    let log = capture.0.lock().unwrap().clone();
    assert!(
        log.contains("no answer"),
        "the transport error is logged: {log}"
    );
    assert!(
        log.contains("127.0.0.1:1/login"),
        "with its URL's path: {log}"
    );
    assert!(
        !log.contains(PASSWORD),
        "the log shows the password:\n{log}"
    );
    for text in &shown {
        assert!(!text.contains(PASSWORD), "the password is shown in: {text}");
    }
}
