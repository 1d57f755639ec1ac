//! The README's Rust examples run as written against a local server (tests/build.rs makes
//! each a module, pointing its client at `base_url()`), so the documented usage keeps working,
//! not only compiling (the doctests of tests/src/lib.rs check that).

use std::sync::OnceLock;

use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

static BASE_URL: OnceLock<String> = OnceLock::new();

fn base_url() -> String {
    BASE_URL.get().expect("the server is started first").clone()
}

include!(concat!(env!("OUT_DIR"), "/readme_examples.rs"));

/// A project as the server sends it, with a property the document does not declare.
fn project_with_owner() -> serde_json::Value {
    json!({
        "code": "PRJ3", "status": "Operational", "name": "Solar", "address": "3 Main St",
        "town": "Springfield", "state": "MA", "lat": 42.1, "long": -72.5,
        "startDate": "2020-01-01", "timezone": "UTC", "owner": {"id": "ORG-7"}
    })
}

/// Not a `#[tokio::test]`: each example's `#[tokio::main]` makes its own runtime. The mock
/// server runs on its own thread.
#[test]
fn the_readme_examples_run() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        // Shapes the typed calls decode; the hooks' and headers' traces are checked below.
        let routes = [
            ("GET", "/users", json!([{"email": "a@example.com"}])),
            (
                "GET",
                "/projects/PRJ%201",
                json!({"project": {"code": "PRJ 1"}}),
            ),
            ("POST", "/projects/PRJ1/notes", json!({"id": "N1"})),
            (
                "GET",
                "/projects/PRJ3",
                json!({"project": project_with_owner()}),
            ),
        ];
        for (verb, route, body) in routes {
            Mock::given(method(verb))
                .and(path(route))
                .respond_with(ResponseTemplate::new(200).set_body_json(body))
                .mount(&server)
                .await;
        }
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&server)
            .await;
        server
    });
    BASE_URL.set(server.uri()).unwrap();
    assert!(EXAMPLES.len() >= 3, "{} examples", EXAMPLES.len());
    for (index, main) in EXAMPLES.iter().enumerate() {
        if let Err(error) = main() {
            panic!("README example {} failed: {error}", index + 1);
        }
    }

    // What the examples say they send, the server received.
    let sent = runtime.block_on(server.received_requests()).unwrap();
    let saw = |verb: &str, route: &str, name: &str| {
        sent.iter().any(|r| {
            r.method.as_str() == verb && r.url.path() == route && r.headers.contains_key(name)
        })
    };
    assert!(
        saw("GET", "/projects/PRJ1", "x-correlation-id"),
        "a hook's header"
    );
    assert!(
        saw("GET", "/projects/PRJ2", "x-client-name"),
        "a default header"
    );
    assert!(
        saw("GET", "/projects", "idempotency-key"),
        "a call's header"
    );
    assert!(
        saw("GET", "/projects/PRJ%201", "x-request-id"),
        "an untyped call's header"
    );
    let untyped = sent
        .iter()
        .find(|r| r.url.path() == "/projects/PRJ%201")
        .unwrap();
    assert_eq!(untyped.url.query(), Some("include=sites"));
    let note = sent
        .iter()
        .find(|r| r.url.path() == "/projects/PRJ1/notes")
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&note.body).unwrap(),
        json!({"text": "Inverter 2 replaced"})
    );
    let event = sent
        .iter()
        .find(|r| r.method.as_str() == "POST" && r.url.path() == "/events")
        .expect("the builder example creates an event");
    let event: serde_json::Value = serde_json::from_slice(&event.body).unwrap();
    assert_eq!(event["location"], json!({"project": "PRJ1", "site": "S1"}));
    // The read-modify-write example sends back what the document does not declare.
    let update = sent
        .iter()
        .find(|r| r.method.as_str() == "PUT" && r.url.path() == "/projects/PRJ3")
        .expect("the read-modify-write example updates the project");
    let mut expected = project_with_owner();
    expected["name"] = json!("Solar Three");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&update.body).unwrap(),
        expected
    );
}
