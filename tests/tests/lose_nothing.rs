//! What the server sends and the document does not describe survives the client: decoded,
//! changed and sent back, nothing is lost. Enums compare by wire value, builders name what is
//! missing, and `Debug` never shows a secret.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use ecosuite::types::{self, Aggregation};
use ecosuite::Client;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(uri: &str) -> Client {
    Client::builder()
        .base_url(uri)
        .token("test-token")
        .build()
        .unwrap()
}

/// A project as the server sends it: the declared fields, and more (top level and nested).
fn project_json() -> Value {
    json!({
        "code": "PRJ1",
        "status": "Operational",
        "name": "Solar One",
        "address": "1 Main St",
        "town": "Springfield",
        "state": "MA",
        "lat": 42.1,
        "long": -72.5,
        "startDate": "2020-01-01",
        "timezone": "America/New_York",
        "owner": {"id": "ORG-7", "since": "2019-05-01"},
        "tags": ["rooftop", "net-metered"],
        "sites": {"S1": {"code": "S1", "name": "Roof", "address": "1 Main St", "town": "Springfield",
                          "state": "MA", "lat": 42.1, "long": -72.5, "meterId": "M-1"}},
        "customScore": 0.75
    })
}

#[tokio::test]
async fn a_read_modify_write_keeps_what_the_document_does_not_declare() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/projects/PRJ1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "project": project_json(),
            "generatedAt": "2025-01-01T00:00:00Z"
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/projects/PRJ1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let response = client.project().project("PRJ1").send().await.unwrap();
    assert_eq!(
        response.additional_properties.get("generatedAt"),
        Some(&json!("2025-01-01T00:00:00Z"))
    );
    let mut project = response.project.unwrap();
    assert_eq!(project.additional_properties["owner"]["id"], "ORG-7");
    assert_eq!(project.additional_properties["customScore"], 0.75);

    project.name = "Solar One (renamed)".into();
    client
        .project()
        .update_project("PRJ1", project)
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let put = requests
        .iter()
        .find(|r| r.method.as_str() == "PUT")
        .unwrap();
    let sent: Value = serde_json::from_slice(&put.body).unwrap();
    let mut expected = project_json();
    expected["name"] = json!("Solar One (renamed)");
    assert_eq!(
        sent, expected,
        "the server gets back all it sent, and the change"
    );
}

#[test]
fn decode_then_encode_gives_the_same_json() {
    let body = json!({"project": project_json(), "extra": [1, {"deep": null}]});
    let decoded: types::ProjectResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body);
}

#[test]
fn undeclared_properties_can_be_read_written_and_built() {
    let mut project = types::Project::builder()
        .code("PRJ2")
        .status(types::ProjectStatus::Operational)
        .name("Two")
        .address("2 Main St")
        .town("Springfield")
        .state("MA")
        .lat(42.0)
        .long(-72.0)
        .start_date(chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap())
        .timezone("UTC")
        .additional_properties(ecosuite::AdditionalProperties::from_iter([(
            "owner", "ORG-7",
        )]))
        .build()
        .unwrap();
    project
        .additional_properties
        .insert("customScore".into(), json!(1));
    let sent = serde_json::to_value(&project).unwrap();
    assert_eq!(sent["owner"], "ORG-7");
    assert_eq!(sent["customScore"], 1);
    assert_eq!(sent["startDate"], "2021-03-01");
    assert!(
        sent.get("dcSize").is_none(),
        "unset optional fields are omitted"
    );
}

#[test]
fn a_builder_names_the_missing_required_property() {
    let error = types::Project::builder()
        .code("PRJ1")
        .name("One")
        .build()
        .unwrap_err();
    assert_eq!(error.type_name(), "Project");
    assert_eq!(error.property(), "status");
    assert_eq!(
        error.to_string(),
        "cannot build a `Project`: required property `status` is not set"
    );
    // Through `?` in a function returning `ecosuite::Error`, too.
    fn build() -> Result<types::Project, ecosuite::Error> {
        Ok(types::Project::builder().build()?)
    }
    assert!(matches!(build(), Err(ecosuite::Error::Build(_))));
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

#[test]
fn enums_compare_hash_and_sort_by_wire_value() {
    let unknown_day = Aggregation::Unknown("day".into());
    assert_eq!(unknown_day, Aggregation::Day);
    assert_eq!(hash_of(&unknown_day), hash_of(&Aggregation::Day));
    assert_ne!(Aggregation::Unknown("fortnight".into()), Aggregation::Day);
    // Decoding picks the known variant; order is by wire value, not declaration order.
    assert_eq!("day".parse::<Aggregation>().unwrap(), Aggregation::Day);
    let mut values = [Aggregation::Year, Aggregation::Day, Aggregation::Minute15];
    values.sort();
    let wires: Vec<&str> = values.iter().map(|v| v.as_wire()).collect();
    assert_eq!(wires, ["15minute", "day", "year"]);
    let set: std::collections::HashSet<Aggregation> =
        [Aggregation::Day, Aggregation::Unknown("day".into())].into();
    assert_eq!(set.len(), 1);
}

#[test]
fn debug_never_shows_a_secret() {
    let body = types::SetSolarNodeCredentialsBody::builder()
        .username("node-7")
        .password("hunter2")
        .additional_properties(ecosuite::AdditionalProperties::from_iter([
            ("apiKey", json!("k-123")),
            (
                "nested",
                json!({"refreshToken": "r-456", "region": "us-east-1"}),
            ),
        ]))
        .build()
        .unwrap();
    let shown = format!("{body:?}");
    for secret in ["hunter2", "k-123", "r-456"] {
        assert!(!shown.contains(secret), "`{secret}` in {shown}");
    }
    assert!(
        shown.contains("node-7") && shown.contains("us-east-1"),
        "{shown}"
    );
    assert!(shown.contains("password: Some(<redacted>)"), "{shown}");
    // The value is still there to send.
    assert_eq!(body.password.as_deref(), Some("hunter2"));
    assert_eq!(serde_json::to_value(&body).unwrap()["apiKey"], "k-123");
}
