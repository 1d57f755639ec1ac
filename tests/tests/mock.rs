//! `ecosuite-mock`: every operation mocked and called through the real client, typed body
//! matching, the messages of unmatched requests, `times` verification, and requests the
//! document forbids refused with their reason.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::time::Duration;

use ecosuite::chrono::{DateTime, Utc};
use ecosuite::reqwest::Method;
use ecosuite::types::{Aggregation, Event, EventLocation, EventType, ProjectResponse};
use ecosuite_mock::MockServer;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

type Call = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
/// Sets an operation's expectation on the mock and returns the call through the client.
type Mocked = fn(&MockServer, ecosuite::Client) -> Call;

fn observe<T: Serialize>(
    result: Result<ecosuite::Response<T>, ecosuite::Error>,
) -> Result<(), String> {
    match result {
        Ok(response) if response.status().is_success() => Ok(()),
        Ok(response) => Err(format!("answered {}", response.status())),
        Err(e) => Err(format!("{e}: {}", api_message(&e))),
    }
}

fn api_message(error: &ecosuite::Error) -> String {
    match error {
        ecosuite::Error::Api(api) => api.message().unwrap_or_default(),
        _ => String::new(),
    }
}

fn arg<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "a value built from the schema does not deserialize into {}: {e}\n  {json}",
            std::any::type_name::<T>()
        )
    })
}

include!(concat!(env!("OUT_DIR"), "/mock_sweep.rs"));

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn event(description: &str) -> Event {
    Event::builder()
        .type_(EventType::Energy)
        .cause("Inverter fault")
        .start_date(at("2025-03-01T12:00:00Z"))
        .description(description)
        .location(
            EventLocation::builder()
                .project("PRJ1")
                .site("S1")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn project_response(code: &str, name: &str) -> ProjectResponse {
    serde_json::from_value(json!({"project": {
        "code": code, "status": "Operational", "name": name, "address": "1 Main St",
        "town": "Springfield", "state": "NY", "lat": 42.1, "long": -73.9,
        "startDate": "2020-05-01", "timezone": "America/New_York"
    }}))
    .unwrap()
}

/// Every operation of the document: an expectation with every parameter and the body set,
/// then the same call through the client, which must get the mocked answer. The mock must
/// refuse nothing, leave nothing unmatched, and see each expectation called exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_is_mocked_and_called_through_the_client() {
    sweep(MockServer::start()).await;
}

/// The same calls are what the document describes, to the letter: a strict mock (no enum
/// value or property the document does not list) refuses none of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_passes_a_strict_mock() {
    sweep(MockServer::builder().strict(true).start()).await;
}

async fn sweep(mock: MockServer) {
    let client = mock.client();
    assert_eq!(MOCKED.len(), 185, "the pinned document has 185 operations");
    let mut failures = Vec::new();
    for (id, mocked) in MOCKED {
        if let Err(e) = mocked(&mock, client.clone()).await {
            failures.push(format!("{id}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} calls failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(mock.refused(), vec![]);
    assert_eq!(mock.unmatched(), vec![]);
    mock.verify();
}

#[tokio::test]
async fn answers_are_the_clients_types_and_parameters_match() {
    let mock = MockServer::start();
    mock.project()
        .project("PRJ1")
        .returns(project_response("PRJ1", "Solar One"));
    let start = at("2025-01-01T00:00:00Z");
    let end = at("2025-02-01T00:00:00Z");
    let datums = mock
        .energy()
        .project_datums("PRJ1", start, end)
        .aggregation(Aggregation::Day)
        .times(1)
        .returns(arg(
            r#"{"projectId": "PRJ1", "aggregation": "day", "data": []}"#,
        ));
    let client = mock.client();
    let project = client.project().project("PRJ1").send().await.unwrap();
    assert_eq!(project.project.unwrap().name, "Solar One");
    // The optional parameter was set on the expectation: a call without it does not match.
    let error = client
        .energy()
        .project_datums("PRJ1", start, end)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
    assert!(
        api_message(&error).contains("query parameter `aggregation` is missing, expected \"day\""),
        "{}",
        api_message(&error)
    );
    client
        .energy()
        .project_datums("PRJ1", start, end)
        .aggregation(Aggregation::Day)
        .send()
        .await
        .unwrap();
    assert_eq!(datums.hits(), 1);
    assert_eq!(mock.unmatched().len(), 1);
}

#[tokio::test]
async fn bodies_match_by_value_once_decoded() {
    let mock = MockServer::start();
    mock.event()
        .create_event(event("Inverter 2 offline"))
        .times(1)
        .returns(serde_json::Map::new());
    let client = mock.client();
    // Another description: no match, and the message says where the body differs.
    let error = client
        .event()
        .create_event(event("Inverter 3 offline"))
        .send()
        .await
        .unwrap_err();
    let message = api_message(&error);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418), "{message}");
    assert!(message.contains("operation `createEvent`"), "{message}");
    assert!(
        message.contains("the body differs at `.description`: \"Inverter 3 offline\", expected \"Inverter 2 offline\""),
        "{message}"
    );
    // The same value, whatever the key order or spacing on the wire.
    client
        .event()
        .create_event(event("Inverter 2 offline"))
        .send()
        .await
        .unwrap();
    let raw = client
        .request(Method::POST, "/events")
        .json(&json!({
            "location": {"site": "S1", "project": "PRJ1"},
            "description": "Inverter 2 offline", "startDate": "2025-03-01T12:00:00.000Z",
            "cause": "Inverter fault", "type": "energy"
        }))
        .send_raw()
        .await
        .unwrap();
    // Called twice now: the second is beyond `times(1)`.
    assert_eq!(raw.status().as_u16(), 418);
    assert!(
        raw.text()
            .contains("was already called the 1 time expected"),
        "{}",
        raw.text()
    );
    // The extra call counts: the expectation was called twice, not once.
    let problems = mock.problems();
    assert!(
        problems[0].contains("was expected 1 time, and called 2 times"),
        "{problems:?}"
    );
    std::panic::catch_unwind(AssertUnwindSafe(move || drop(mock)))
        .expect_err("dropping a mock called too often panics");
}

#[tokio::test]
async fn unmatched_requests_name_the_operation_and_what_differs() {
    let mock = MockServer::start();
    mock.project()
        .project("PRJ1")
        .token("other-token")
        .returns(project_response("PRJ1", "A"));
    let client = mock.client();
    let error = client.project().project("PRJ2").send().await.unwrap_err();
    let message = api_message(&error);
    assert!(
        message.starts_with(
            "ecosuite-mock: no expectation matches GET /projects/PRJ2 (operation `project`): "
        ),
        "{message}"
    );
    assert!(
        message.contains("path parameter `projectId` is \"PRJ2\", expected \"PRJ1\""),
        "{message}"
    );
    assert!(message.contains("the token differs"), "{message}");
    // An operation with no expectation at all.
    let error = client.project().projects().send().await.unwrap_err();
    assert!(
        api_message(&error).contains("no expectation is set for `projects`"),
        "{}",
        api_message(&error)
    );
    let unmatched = mock.unmatched();
    assert_eq!(unmatched.len(), 2);
    assert_eq!(unmatched[0].operation, "project");
    assert_eq!(unmatched[1].request, "GET /projects");
}

#[tokio::test]
async fn times_is_verified_on_verify_and_on_drop() {
    let mock = MockServer::start();
    mock.project()
        .project("PRJ1")
        .times(2)
        .returns(project_response("PRJ1", "A"));
    mock.project()
        .projects()
        .returns_raw(200, r#"{"projects": []}"#)
        .times(1);
    let client = mock.client();
    client.project().project("PRJ1").send().await.unwrap();
    let problems = mock.problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("`project().project` (operation `project`, projectId = \"PRJ1\") was expected 2 times, and called 1 time"),
        "{problems:?}"
    );
    let verified = std::panic::catch_unwind(AssertUnwindSafe(|| mock.verify()));
    assert!(verified.is_err(), "verify must fail");
    let dropped = std::panic::catch_unwind(AssertUnwindSafe(move || drop(mock)));
    let panic = dropped.expect_err("dropping an unverified mock must panic");
    let text = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(text.contains("was expected 2 times"), "{text}");

    // `times(0)`: a call that must not happen, answered 418 and reported.
    let mock = MockServer::start();
    mock.project()
        .project("PRJ1")
        .times(0)
        .returns(project_response("PRJ1", "A"));
    let error = mock
        .client()
        .project()
        .project("PRJ1")
        .send()
        .await
        .unwrap_err();
    assert!(
        api_message(&error).contains("was already called the 0 times expected"),
        "{}",
        api_message(&error)
    );
    assert!(
        mock.problems()[0].contains("was expected 0 times, and called 1 time"),
        "{:?}",
        mock.problems()
    );
    let dropped = std::panic::catch_unwind(AssertUnwindSafe(move || drop(mock)));
    assert!(dropped.is_err(), "a call beyond `times` fails the test");

    // Once called as often as expected, it passes.
    let mock = MockServer::start();
    mock.project()
        .project("PRJ1")
        .times(1)
        .returns(project_response("PRJ1", "A"));
    mock.client()
        .project()
        .project("PRJ1")
        .send()
        .await
        .unwrap();
    mock.verify();
}

#[tokio::test]
async fn requests_the_document_forbids_are_refused_with_the_reason() {
    let mock = MockServer::start();
    let client = mock.client();
    let refused = |raw: ecosuite::RawResponse| (raw.status().as_u16(), raw.text().to_string());

    let (status, text) = refused(
        client
            .request(Method::GET, "/nowhere/at/all")
            .send_raw()
            .await
            .unwrap(),
    );
    assert_eq!(status, 404);
    assert!(
        text.contains("the document has no path like `/nowhere/at/all`"),
        "{text}"
    );

    let (status, text) = refused(
        client
            .request(Method::DELETE, "/energy/datums")
            .send_raw()
            .await
            .unwrap(),
    );
    assert_eq!(status, 405, "{text}");
    assert!(
        text.contains("no DELETE for this path (it has GET /energy/datums)"),
        "{text}"
    );

    let (status, text) = refused(
        client
            .request(Method::GET, "/energy/datums")
            .query("end", "2025-02-01T00:00:00Z")
            .send_raw()
            .await
            .unwrap(),
    );
    assert_eq!(status, 400);
    assert!(
        text.contains("(operation `datums`): the required query parameter `start` is missing"),
        "{text}"
    );

    let (_, text) = refused(
        client
            .request(Method::GET, "/energy/datums")
            .query("start", "yesterday")
            .query("end", "2025-02-01T00:00:00Z")
            .send_raw()
            .await
            .unwrap(),
    );
    assert!(
        text.contains("the query parameter `start` is `yesterday`, not a date-time"),
        "{text}"
    );

    let (status, text) = refused(
        client
            .request(Method::POST, "/events")
            .json(
                &json!({"type": "energy", "cause": "x", "startDate": "2025-03-01T12:00:00Z",
                          "description": "x", "location": {"project": 7}}),
            )
            .send_raw()
            .await
            .unwrap(),
    );
    assert_eq!(status, 400);
    assert!(
        text.contains("(operation `createEvent`): the body does not fit at `location.project`"),
        "{text}"
    );

    assert_eq!(mock.refused().len(), 5);
    // A refused request fails the test when the mock is verified.
    let problems = mock.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("refused by the API document")),
        "{problems:?}"
    );
    mock.take_refused();
    mock.verify();
}

#[tokio::test]
async fn what_the_document_does_not_list_passes_unless_strict() {
    let body = json!({"type": "solar-flare", "cause": "x", "startDate": "2025-03-01T12:00:00Z",
                      "description": "x", "owner": "ops"});
    for strict in [false, true] {
        let mock = MockServer::builder().strict(strict).start();
        mock.event()
            .create_event(serde_json::from_value(body.clone()).unwrap())
            .returns(serde_json::Map::new());
        mock.energy()
            .datums(at("2025-01-01T00:00:00Z"), at("2025-02-01T00:00:00Z"))
            .returns(arg(r#"{}"#));
        let client = mock.client();
        let created = client
            .request(Method::POST, "/events")
            .json(&body)
            .send_raw()
            .await
            .unwrap();
        let datums = client
            .request(Method::GET, "/energy/datums")
            .query("start", "2025-01-01T00:00:00Z")
            .query("end", "2025-02-01T00:00:00Z")
            .query("aggregation", "fortnight")
            .send_raw()
            .await
            .unwrap();
        if strict {
            assert_eq!(created.status().as_u16(), 400);
            assert!(
                created.text().contains("is not a value the document lists")
                    || created
                        .text()
                        .contains("is not a property the document declares"),
                "{}",
                created.text()
            );
            assert_eq!(datums.status().as_u16(), 400);
            assert!(
                datums.text().contains(
                    "the query parameter `aggregation` is `fortnight`, not one of day, hour"
                ),
                "{}",
                datums.text()
            );
            assert_eq!(mock.take_refused().len(), 2);
        } else {
            assert_eq!(created.status().as_u16(), 200, "{}", created.text());
            assert_eq!(datums.status().as_u16(), 200, "{}", datums.text());
        }
    }
}

#[tokio::test]
async fn fails_and_delay() {
    let mock = MockServer::start();
    mock.project().project("PRJ9").fails(
        404,
        ecosuite::types::Error::builder()
            .message("no project PRJ9")
            .build()
            .unwrap(),
    );
    mock.project()
        .projects()
        .delay(Duration::from_millis(300))
        .returns(arg("{}"));
    let client = mock.client();
    let error = client.project().project("PRJ9").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(api_message(&error), "no project PRJ9");
    let error = client
        .with_timeout(Duration::from_millis(50))
        .project()
        .projects()
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}
