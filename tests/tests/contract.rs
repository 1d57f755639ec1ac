//! Contract tests: the generated `ecosuite` client against a real local HTTP server (wiremock on
//! 127.0.0.1). Each case states exactly what the client must send (method, percent-encoded path,
//! query pairs, `Authorization`, JSON body) and feeds back a response written from the spec's
//! schema for that operation, then checks the decoded values.
//!
//! Layout: `contract()` runs one case; the per-tag cases come first (at least one operation of
//! each of the 24 tags), then the cross-cutting behaviours (security: [], trailing slash,
//! bodiless 200s, bare strings, GET with a body, errors, decode paths, unknown enum values,
//! `send_with_response`, transport errors, redaction).

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use ecosuite::types;
use ecosuite::Error;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A Cognito-ID-token-looking credential. Its last segment is distinctive, so redaction checks
/// can look for it.
const TOKEN: &str = "eyJraWQiOiJ0ZXN0In0.eyJzdWIiOiJ1c2VyLTEifQ.c2VjcmV0LXNpZ25hdHVyZS14eXo";
const TOKEN_TAIL: &str = "c2VjcmV0LXNpZ25hdHVyZS14eXo";

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

/// What one case expects on the wire, and what the server answers.
struct Expect {
    method: &'static str,
    /// The path exactly as it must appear on the wire (percent-encoded).
    path: &'static str,
    /// Every query pair, decoded; the request must carry exactly these (order aside).
    query: Vec<(&'static str, &'static str)>,
    /// The JSON body; `None` means the request must have no body at all.
    body: Option<Value>,
    response: ResponseTemplate,
}

fn expect(method: &'static str, path: &'static str) -> Expect {
    Expect {
        method,
        path,
        query: Vec::new(),
        body: None,
        response: ResponseTemplate::new(200),
    }
}

impl Expect {
    fn query(mut self, name: &'static str, value: &'static str) -> Self {
        self.query.push((name, value));
        self
    }

    fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    fn respond_json(mut self, body: Value) -> Self {
        self.response = ResponseTemplate::new(200).set_body_json(body);
        self
    }

    fn respond(mut self, response: ResponseTemplate) -> Self {
        self.response = response;
        self
    }
}

fn client_for(base_url: &str) -> ecosuite::Client {
    ecosuite::Client::builder()
        .base_url(base_url)
        .token(TOKEN)
        .build()
        .expect("client builds")
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("valid RFC 3339 date-time")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("valid date")
}

fn describe(request: &Request) -> String {
    let headers: Vec<String> = request
        .headers
        .iter()
        .map(|(name, value)| format!("    {name}: {}", value.to_str().unwrap_or("<binary>")))
        .collect();
    format!(
        "  {} {}\n{}\n    body: {}",
        request.method,
        request.url,
        headers.join("\n"),
        String::from_utf8_lossy(&request.body)
    )
}

/// Runs one case against a fresh server, with the client's base URL = the server's URI.
async fn contract<T, F, Fut>(case: &str, expect: Expect, call: F) -> T
where
    F: FnOnce(ecosuite::Client) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    contract_at(case, |uri| uri.to_string(), expect, call).await
}

/// Like [`contract`], with the base URL derived from the server's URI by `base`.
async fn contract_at<T, F, Fut>(
    case: &str,
    base: impl FnOnce(&str) -> String,
    expect: Expect,
    call: F,
) -> T
where
    F: FnOnce(ecosuite::Client) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let server = MockServer::start().await;
    let mut mock = Mock::given(method(expect.method))
        .and(path(expect.path))
        .and(header("authorization", TOKEN));
    for (name, value) in &expect.query {
        mock = mock.and(query_param(*name, *value));
    }
    if let Some(body) = &expect.body {
        mock = mock.and(body_json(body));
    }
    mock.respond_with(expect.response)
        .expect(1)
        .named(case)
        .mount(&server)
        .await;

    let result = call(client_for(&base(&server.uri()))).await;

    let requests = server.received_requests().await.expect("recording is on");
    let seen = || requests.iter().map(describe).collect::<Vec<_>>().join("\n");
    let value = match result {
        Ok(value) => value,
        Err(error) => panic!(
            "[{case}] the call failed: {error}\n  {error:?}\nthe server received:\n{}",
            seen()
        ),
    };
    assert_eq!(
        requests.len(),
        1,
        "[{case}] expected exactly one request, got:\n{}",
        seen()
    );
    let request = &requests[0];
    assert_eq!(request.method.as_str(), expect.method, "[{case}] method");
    assert_eq!(request.url.path(), expect.path, "[{case}] path");

    let mut query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    query.sort();
    let mut wanted: Vec<(String, String)> = expect
        .query
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    wanted.sort();
    assert_eq!(
        query,
        wanted,
        "[{case}] query pairs (raw query: {:?})",
        request.url.query()
    );

    let auth: Vec<&str> = request
        .headers
        .get_all("authorization")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(
        auth,
        [TOKEN],
        "[{case}] Authorization must be the raw token, once"
    );

    match &expect.body {
        Some(body) => {
            assert_eq!(
                request
                    .headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok()),
                Some("application/json"),
                "[{case}] content-type of the body"
            );
            let sent: Value = serde_json::from_slice(&request.body).unwrap_or_else(|e| {
                panic!(
                    "[{case}] body is not JSON ({e}): {}",
                    String::from_utf8_lossy(&request.body)
                )
            });
            assert_eq!(&sent, body, "[{case}] JSON body");
        }
        None => assert!(
            request.body.is_empty(),
            "[{case}] expected no body, got {}",
            String::from_utf8_lossy(&request.body)
        ),
    }
    value
}

/// A realistic `ProjectDatums` body (the schema shared by energy and public datums).
fn project_datums_json() -> Value {
    json!({
        "code": "PRJ1",
        "name": "Solar One",
        "peakConsumption": 12.5,
        "peakGeneration": 250.75,
        "aggregatedTotals": [
            {"2025-01-01T00:00:00Z": {"generation": 1200.5, "consumption": 300.25, "export": 900.0}}
        ],
        "sources": [
            {"/PRJ1/S1/SYS1/PYR/1": {"reading": 4567.8, "peakReading": 980.1}}
        ],
        "sites": {
            "S1": {
                "code": "PRJ1/S1",
                "name": "North Field",
                "peakGeneration": 125.0,
                "aggregatedTotals": [{"2025-01-01T00:00:00Z": {"generation": 600.25}}],
                "systems": {
                    "SYS1": {
                        "code": "PRJ1/S1/SYS1",
                        "name": "Array A",
                        "peakGeneration": 62.5,
                        "aggregatedTotals": [{"2025-01-01T00:00:00Z": {"generation": 300.125, "generationReading": 15000.0}}],
                        "sources": [{"/PRJ1/S1/SYS1/INV/1": {"reading": 15000.0}}]
                    }
                }
            }
        }
    })
}

fn check_project_datums(datums: &types::ProjectDatums) {
    assert_eq!(datums.code.as_deref(), Some("PRJ1"));
    assert_eq!(datums.name.as_deref(), Some("Solar One"));
    assert_eq!(datums.peak_consumption, Some(12.5));
    assert_eq!(datums.peak_generation, Some(250.75));
    let totals = &datums.aggregated_totals.as_ref().unwrap()[0]["2025-01-01T00:00:00Z"];
    assert_eq!(totals.generation, Some(1200.5));
    assert_eq!(totals.consumption, Some(300.25));
    assert_eq!(totals.export, Some(900.0));
    assert_eq!(totals.storage, None);
    let source = &datums.sources.as_ref().unwrap()[0]["/PRJ1/S1/SYS1/PYR/1"];
    assert_eq!(source.reading, Some(4567.8));
    assert_eq!(source.peak_reading, Some(980.1));
    let site = &datums.sites.as_ref().unwrap()["S1"];
    assert_eq!(site.name.as_deref(), Some("North Field"));
    let system = &site.systems.as_ref().unwrap()["SYS1"];
    assert_eq!(system.code.as_deref(), Some("PRJ1/S1/SYS1"));
    assert_eq!(system.peak_generation, Some(62.5));
    let system_total = &system.aggregated_totals.as_ref().unwrap()[0]["2025-01-01T00:00:00Z"];
    assert_eq!(system_total.generation, Some(300.125));
    assert_eq!(system_total.generation_reading, Some(15000.0));
}

fn range_json() -> Value {
    json!({"localStartDate": "2025-01-01T00:00:00Z", "localEndDate": "2025-02-01T00:00:00Z"})
}

fn check_range(range: &Option<types::Range>) {
    let range = range.as_ref().expect("range");
    assert_eq!(range.local_start_date, Some(utc("2025-01-01T00:00:00Z")));
    assert_eq!(range.local_end_date, Some(utc("2025-02-01T00:00:00Z")));
}

// ---------------------------------------------------------------------------------------------
// One or more operations per tag
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn audit_get_audit_logs_for_asset_log_variant() {
    let logs = contract(
        "audit/getAuditLogsForAsset (AuditLog)",
        expect("GET", "/audit/assets/SYS%201%2Fa")
            .query("diff", "true")
            .respond_json(json!({
                "diff": {
                    "name": [{"kind": "E", "lhs": "Array A", "rhs": "Array A (east)"}]
                }
            })),
        |c| async move {
            c.audit()
                .get_audit_logs_for_asset("SYS 1/a")
                .diff(true)
                .send()
                .await
        },
    )
    .await;
    let types::GetAuditLogsForAssetResponse::AuditLog(log) = logs else {
        panic!("expected the AuditLog variant, got {logs:?}")
    };
    let changes = &log.diff.as_ref().unwrap()["name"];
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["rhs"], json!("Array A (east)"));
}

/// `oneOf [AuditLog, AuditDiff]` without a discriminator: a body carrying `logs` (AuditDiff's
/// only property) must come back as `AuditDiff` with its logs, not as an empty `AuditLog`.
#[tokio::test]
async fn audit_get_audit_logs_for_project_diff_variant() {
    let logs = contract(
        "audit/getAuditLogsForProject (AuditDiff)",
        expect("GET", "/audit/projects/PRJ1").respond_json(json!({
            "logs": [{
                "path": "/sites/S1/name",
                "userId": "user-1",
                "assetType": "site",
                "timestamp": 1735689600000_i64,
                "puserNameath": "Jane Doe",
                "project": "PRJ1",
                "item": {"name": "North Field"},
                "id": "PRJ1/S1"
            }]
        })),
        |c| async move { c.audit().get_audit_logs_for_project("PRJ1").send().await },
    )
    .await;
    let types::GetAuditLogsForAssetResponse::AuditDiff(diff) = &logs else {
        panic!("a body with `logs` must decode as AuditDiff; got {logs:?} (the logs were dropped)")
    };
    let entry = &diff.logs.as_ref().unwrap()[0];
    assert_eq!(entry.user_id.as_deref(), Some("user-1"));
    assert_eq!(entry.asset_type.as_deref(), Some("site"));
    assert_eq!(entry.timestamp, Some(1735689600000));
    assert_eq!(entry.puser_nameath.as_deref(), Some("Jane Doe"));
    assert_eq!(entry.item.as_ref().unwrap()["name"], json!("North Field"));
}

#[tokio::test]
async fn coda_import_coda() {
    let answer = contract(
        "coda/importCoda",
        expect("PUT", "/coda/PRJ%201/import")
            .query("applyChanges", "true")
            .respond_json(json!({"changes": 3})),
        |c| async move { c.coda().import_coda("PRJ 1", true).send().await },
    )
    .await;
    // No 200 is documented: the body comes back as JSON.
    assert_eq!(answer, json!({"changes": 3}));
}

#[tokio::test]
async fn connectivity_data() {
    let data = contract(
        "connectivity/data",
        expect("GET", "/connectivity/data")
            .query("start", "2025-01-01T00:00:00Z")
            .query("end", "2025-02-01T00:00:00Z")
            .query("projectIrd", "2024-06-15T04:00:00Z")
            .respond_json(json!({
                "projects": {
                    "PRJ1": {"sites": {"S1": {"total": 2048, "data": [{"date": "2025-01-01", "bytes": 1024}]}}}
                },
                "providers": [{"total": 4096, "name": "Verizon", "projectTotals": {"PRJ1": 4096}}],
                "range": range_json(),
                "aggregation": "day"
            })),
        |c| async move {
            c.connectivity()
                .data(utc("2025-01-01T00:00:00Z"), utc("2025-02-01T00:00:00Z"))
                .project_ird(utc("2024-06-15T04:00:00Z"))
                .send()
                .await
        },
    )
    .await;
    let site = &data.projects.as_ref().unwrap()["PRJ1"]
        .sites
        .as_ref()
        .unwrap()["S1"];
    assert_eq!(site.total, Some(2048));
    let day = &site.data.as_ref().unwrap()[0];
    assert_eq!(day.date.as_deref(), Some("2025-01-01"));
    assert_eq!(day.bytes, Some(1024));
    let provider = &data.providers.as_ref().unwrap()[0];
    assert_eq!(provider.name.as_deref(), Some("Verizon"));
    assert_eq!(provider.total, Some(4096));
    assert_eq!(provider.project_totals, Some(json!({"PRJ1": 4096})));
    check_range(&data.range);
    assert_eq!(data.aggregation, Some(types::Aggregation::Day));
}

#[tokio::test]
async fn dashboard_dashboard_status() {
    let status = contract(
        "dashboard/dashboardStatus",
        expect("GET", "/dashboard/status").respond_json(json!({
            "projects": [{
                "code": "PRJ1",
                "name": "Solar One",
                "status": "ok",
                "sites": {
                    "S1": {
                        "code": "PRJ1/S1",
                        "name": "North Field",
                        "status": "ok",
                        "systems": {
                            "SYS1": {
                                "code": "PRJ1/S1/SYS1",
                                "name": "Array A",
                                "dcSize": 500,
                                "acSize": 400,
                                "devices": [{"sourceId": "/PRJ1/S1/SYS1/INV/1", "dcSize": 250, "acSize": 200}],
                                "nodesStatus": [{
                                    "nodeId": 123,
                                    "sourceId": "/PRJ1/S1/SYS1/INV/1",
                                    "reading": 15000.5,
                                    "latestDatumDate": "2025-01-31T23:45:00Z",
                                    "watts": 1500.25,
                                    "status": "ok"
                                }],
                                "status": "ok",
                                "watts": 3000.5,
                                "latestReadingDate": "2025-01-31T23:45:00Z"
                            }
                        }
                    }
                },
                "nodesSatus": [{"nodeId": 123, "status": "ok"}]
            }]
        })),
        |c| async move { c.dashboard().dashboard_status().send().await },
    )
    .await;
    let project = &status.projects.as_ref().unwrap()[0];
    assert_eq!(project.code.as_deref(), Some("PRJ1"));
    assert_eq!(project.nodes_satus.as_ref().unwrap()[0].node_id, Some(123));
    let system = &project.sites.as_ref().unwrap()["S1"]
        .systems
        .as_ref()
        .unwrap()["SYS1"];
    assert_eq!(system.dc_size, Some(500));
    assert_eq!(system.ac_size, Some(400));
    assert_eq!(system.watts, Some(3000.5));
    assert_eq!(
        system.latest_reading_date,
        Some(utc("2025-01-31T23:45:00Z"))
    );
    assert_eq!(
        system.devices.as_ref().unwrap()[0].source_id.as_deref(),
        Some("/PRJ1/S1/SYS1/INV/1")
    );
    let node = &system.nodes_status.as_ref().unwrap()[0];
    assert_eq!(node.reading, Some(15000.5));
    assert_eq!(node.latest_datum_date, Some(utc("2025-01-31T23:45:00Z")));
}

/// Also the bare-string response: `POST /dr/dr-events` answers the new ID as a JSON string.
#[tokio::test]
async fn demandresponse_dr_create_event_returns_a_bare_string() {
    let event = types::DrEvent::builder()
        .priority(types::DrEventPriority::High)
        .name("Peak shave")
        .start_date(utc("2025-07-01T18:00:00Z"))
        .notification_date(utc("2025-07-01T12:00:00Z"))
        .end_date(utc("2025-07-01T21:00:00Z"))
        .goal("500 kW")
        .participants(vec!["PART-1".to_string(), "PART-2".to_string()])
        .build()
        .unwrap();
    let id = contract(
        "demandresponse/drCreateEvent",
        expect("POST", "/dr/dr-events")
            .body(json!({
                "priority": "high",
                "name": "Peak shave",
                "startDate": "2025-07-01T18:00:00Z",
                "notificationDate": "2025-07-01T12:00:00Z",
                "endDate": "2025-07-01T21:00:00Z",
                "goal": "500 kW",
                "participants": ["PART-1", "PART-2"]
            }))
            .respond_json(json!("DR-2025-0001")),
        |c| async move { c.demandresponse().dr_create_event(event).send().await },
    )
    .await;
    let id: String = id;
    assert_eq!(id, "DR-2025-0001");
}

#[tokio::test]
async fn demandresponse_dr_events() {
    let events = contract(
        "demandresponse/drEvents",
        expect("GET", "/dr/dr-events").respond_json(json!({
            "events": [{
                "priority": "medium",
                "name": "Peak shave",
                "startDate": "2025-07-01T18:00:00Z",
                "notificationDate": "2025-07-01T12:00:00Z",
                "endDate": "2025-07-01T21:00:00Z",
                "goal": "500 kW",
                "participants": ["PART-1"],
                "notificationSent": true
            }]
        })),
        |c| async move { c.demandresponse().dr_events().send().await },
    )
    .await;
    let event = &events.events.as_ref().unwrap()[0];
    assert_eq!(event.priority, types::DrEventPriority::Medium);
    assert_eq!(event.start_date, utc("2025-07-01T18:00:00Z"));
    assert_eq!(event.participants, ["PART-1"]);
    assert_eq!(event.notification_sent, Some(true));
}

#[tokio::test]
async fn energy_project_datums() {
    let datums = contract(
        "energy/projectDatums",
        expect("GET", "/energy/datums/projects/PRJ%201%2Fx")
            .query("start", "2025-01-01T00:00:00Z")
            .query("end", "2025-02-01T00:00:00Z")
            .query("aggregation", "15minute")
            .respond_json(json!({
                "projectDatums": project_datums_json(),
                "range": range_json(),
                "aggregation": "15minute"
            })),
        |c| async move {
            c.energy()
                .project_datums(
                    "PRJ 1/x",
                    utc("2025-01-01T00:00:00Z"),
                    utc("2025-02-01T00:00:00Z"),
                )
                .aggregation(types::Aggregation::Minute15)
                .send()
                .await
        },
    )
    .await;
    check_project_datums(datums.project_datums.as_ref().unwrap());
    check_range(&datums.range);
    assert_eq!(datums.aggregation, Some(types::Aggregation::Minute15));
}

#[tokio::test]
async fn event_create_event() {
    let event = types::Event::builder()
        .type_(types::EventType::Energy)
        .cause("Inverter fault")
        .start_date(utc("2025-03-01T12:00:00Z"))
        .description("Inverter 2 offline")
        .priority(types::EventPriority::Value5)
        .location(
            types::EventLocation::builder()
                .project("PRJ1")
                .site("S1")
                .build()
                .unwrap(),
        )
        .notes(vec![types::EventNote::builder()
            .note("Crew dispatched")
            .note_date(utc("2025-03-01T13:30:00Z"))
            .build()
            .unwrap()])
        .build()
        .unwrap();
    let created = contract(
        "event/createEvent",
        expect("POST", "/events")
            .body(json!({
                "type": "energy",
                "cause": "Inverter fault",
                "startDate": "2025-03-01T12:00:00Z",
                "description": "Inverter 2 offline",
                "priority": 5,
                "location": {"project": "PRJ1", "site": "S1"},
                "notes": [{"note": "Crew dispatched", "noteDate": "2025-03-01T13:30:00Z"}]
            }))
            .respond_json(json!({"event": {"id": "EVT-1", "type": "energy"}})),
        |c| async move { c.event().create_event(event).send().await },
    )
    .await;
    // The 200 schema is a free-form object.
    assert_eq!(created["event"]["id"], json!("EVT-1"));
}

#[tokio::test]
async fn event_events() {
    let events = contract(
        "event/events",
        expect("GET", "/events")
            .query("start", "2025-03-01T00:00:00Z")
            .query("end", "2025-03-31T23:59:59Z")
            .respond_json(json!({
                "events": [{
                    "type": "solarnetwork",
                    "cause": "Node offline",
                    "startDate": "2025-03-02T08:00:00Z",
                    "description": "Node 123 stopped reporting",
                    "priority": 10,
                    "location": {"project": "PRJ1", "node": "123"}
                }],
                "range": range_json()
            })),
        |c| async move {
            c.event()
                .events(utc("2025-03-01T00:00:00Z"), utc("2025-03-31T23:59:59Z"))
                .send()
                .await
        },
    )
    .await;
    let event = &events.events.as_ref().unwrap()[0];
    assert_eq!(event.type_, types::EventType::Solarnetwork);
    assert_eq!(event.priority, Some(types::EventPriority::Value10));
    assert_eq!(
        event.location.as_ref().unwrap().node.as_deref(),
        Some("123")
    );
    assert_eq!(event.start_date, utc("2025-03-02T08:00:00Z"));
}

/// Also a bodiless 200 (the export is produced out of band).
#[tokio::test]
async fn export_export_irr_report() {
    let () = contract(
        "export/exportIrrReport",
        expect("GET", "/finance/export/report")
            .query("projectIds", "PRJ1,PRJ2")
            .query("columns", "irr,npv")
            .query("includeProjectBreakdown", "true")
            .query("aggregate", "month"),
        |c| async move {
            c.export()
                .export_irr_report("PRJ1,PRJ2")
                .columns("irr,npv")
                .include_project_breakdown(true)
                .aggregate("month")
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn feedback_send_feedback() {
    let answer = contract(
        "feedback/sendFeedback",
        // Query values with `&`, `+`, `=` and spaces must survive form encoding.
        expect("POST", "/feedback")
            .query("version", "2.4.1")
            .query("feedback", "Great app & charts = 10/10+")
            .query("email", "jane+ops@example.com")
            .respond_json(json!({"results": "sent"})),
        |c| async move {
            c.feedback()
                .send_feedback("2.4.1", "Great app & charts = 10/10+")
                .email("jane+ops@example.com")
                .send()
                .await
        },
    )
    .await;
    assert_eq!(answer.results.as_deref(), Some("sent"));
}

/// `security: []` in the spec, but the token is still sent (checked by the harness).
#[tokio::test]
async fn finance_get_cash_flow_payment_logs_security_none_still_sends_token() {
    let logs = contract(
        "finance/getCashFlowPaymentLogs",
        expect(
            "GET",
            "/finance/projects/PRJ1/cash-flows/CF%201/payment-logs",
        )
        .respond_json(json!({
            "cashFlow": {"id": "CF 1", "name": "PPA revenue"},
            "paymentLogs": {
                "payments": {
                    "advisedAmount": 1250.5,
                    "reading": 10000.0,
                    "advisedReading": 9950.25,
                    "expectedAmount": 1300.0,
                    "start": "2025-01-01",
                    "end": "2025-01-31"
                }
            }
        })),
        |c| async move {
            c.finance()
                .get_cash_flow_payment_logs("PRJ1", "CF 1")
                .send()
                .await
        },
    )
    .await;
    assert_eq!(
        logs.cash_flow.as_ref().unwrap()["name"],
        json!("PPA revenue")
    );
    let payments = logs.payment_logs.unwrap().payments.unwrap();
    assert_eq!(payments.advised_amount, Some(1250.5));
    assert_eq!(payments.advised_reading, Some(9950.25));
    assert_eq!(payments.expected_amount, Some(1300.0));
    assert_eq!(payments.start, Some(date("2025-01-01")));
    assert_eq!(payments.end, Some(date("2025-01-31")));
}

/// `security: []` and a path parameter holding slashes and a space.
#[tokio::test]
async fn media_get_file_security_none_still_sends_token() {
    let file = contract(
        "media/getFile",
        expect("GET", "/media/storage/file/projects%2FPRJ1%2Fphoto%201.jpg").respond_json(json!({
            "media": {
                "createdDateTime": "2025-01-10T09:00:00Z",
                "lastUpdatedDateTime": "2025-01-11T10:30:00Z",
                "lastUpdateAuthor": "bob@example.com",
                "tags": ["site-photo"],
                "contentType": "image/jpeg",
                "contentEncoding": "base64",
                "data": "https://media.example.com/signed/photo-1.jpg?X-Amz-Signature=abc",
                "contentLength": 20480,
                "tagIDs": ["TAG-1"],
                "code": "PRJ1",
                "name": "photo 1.jpg",
                "description": "Array view from the east",
                "id": "MEDIA-1",
                "key": "projects/PRJ1/photo 1.jpg",
                "author": "jane@example.com"
            }
        })),
        |c| async move { c.media().get_file("projects/PRJ1/photo 1.jpg").send().await },
    )
    .await;
    let media = file.media.unwrap();
    assert_eq!(media.key, "projects/PRJ1/photo 1.jpg");
    assert_eq!(media.content_length, 20480.0);
    assert_eq!(media.tag_ids, ["TAG-1"]);
    assert_eq!(media.content_type, "image/jpeg");
    assert_eq!(media.last_update_author, "bob@example.com");
    assert_eq!(media.created_date_time, "2025-01-10T09:00:00Z");
}

#[tokio::test]
async fn notification_get_alert_events() {
    let alerts = contract(
        "notification/getAlertEvents",
        expect("GET", "/users/jane@example.com/alerts").respond_json(json!({
            "events": {
                "userNotificationId": "UN-1",
                "userId": "jane@example.com",
                "message": "PRJ1 generation below expected",
                "timestamp": 1735689600000.0,
                "localTimestamp": "2025-01-01T00:00:00Z",
                "id": "ALERT-1"
            },
            "range": range_json()
        })),
        |c| async move {
            c.notification()
                .get_alert_events("jane@example.com")
                .send()
                .await
        },
    )
    .await;
    // `events` holds one object, as documented.
    let event = alerts.events.unwrap();
    assert_eq!(event.user_notification_id.as_deref(), Some("UN-1"));
    assert_eq!(event.timestamp, Some(1735689600000.0));
    assert_eq!(event.local_timestamp, Some(utc("2025-01-01T00:00:00Z")));
    check_range(&alerts.range);
}

#[tokio::test]
async fn profile_update_profile() {
    let profile = types::Profile::builder()
        .email("jane@example.com")
        .first_name("Jane")
        .last_name("Doe")
        .build()
        .unwrap();
    let updated = contract(
        "profile/updateProfile",
        // No `"timezone": null`: unset optional fields are left out.
        expect("PUT", "/profile")
            .body(json!({"email": "jane@example.com", "firstName": "Jane", "lastName": "Doe"}))
            .respond_json(json!({
                "profile": {
                    "email": "jane@example.com",
                    "firstName": "Jane",
                    "lastName": "Doe",
                    "timezone": "America/New_York"
                }
            })),
        |c| async move { c.profile().update_profile(profile).send().await },
    )
    .await;
    let profile = updated.profile.unwrap();
    assert_eq!(profile.first_name, "Jane");
    assert_eq!(profile.timezone.as_deref(), Some("America/New_York"));
}

fn project_json(status: &str) -> Value {
    json!({
        "code": "PRJ 1/x",
        "status": status,
        "name": "Solar One",
        "address": "1 Main St",
        "town": "Springfield",
        "state": "MA",
        "lat": 42.1015,
        "long": -72.5898,
        "startDate": "2023-05-01",
        "timezone": "America/New_York",
        "dcSize": 1250.5,
        "paused": false,
        "interconnection": {
            "ieee1547ReactivePowerCategory": "A",
            "ieee1547DisturbanceCategory": "II",
            "withdrawalReason": "unknown",
            "estimatedCostOfStudiesAndFees": 15000
        },
        "revenueType": "communitySolar",
        "milestones": {"pto": "2023-11-15", "operational": "2023-12-01"},
        "icons": [{"tooltip": "Battery", "iconName": "battery"}],
        "notes": [{
            "note": "Check meter",
            "userName": "jane",
            "created": "2024-02-01T15:04:05Z",
            "comments": [{"comment": "Done", "created": "2024-02-02T09:00:00Z"}]
        }],
        "tags": ["community", "ma"]
    })
}

#[tokio::test]
async fn project_project_percent_encodes_the_path() {
    let project = contract(
        "project/project",
        expect("GET", "/projects/PRJ%201%2Fx")
            .respond_json(json!({"project": project_json("Pre-Construction")})),
        |c| async move { c.project().project("PRJ 1/x").send().await },
    )
    .await;
    let project = project.project.unwrap();
    assert_eq!(project.code, "PRJ 1/x");
    assert_eq!(project.status, types::ProjectStatus::PreConstruction);
    assert_eq!(project.lat, 42.1015);
    assert_eq!(project.long, -72.5898);
    assert_eq!(project.start_date, date("2023-05-01"));
    assert_eq!(project.dc_size, Some(1250.5));
    assert_eq!(project.paused, Some(false));
    let interconnection = project.interconnection.unwrap();
    // All-caps wire values (`A`, `II`) are known variants.
    let reactive = interconnection.ieee1547_reactive_power_category.unwrap();
    assert_eq!(reactive.as_wire(), "A");
    assert!(
        !format!("{reactive:?}").starts_with("Unknown"),
        "{reactive:?}"
    );
    let disturbance = interconnection.ieee1547_disturbance_category.unwrap();
    assert_eq!(disturbance.as_wire(), "II");
    assert!(
        !format!("{disturbance:?}").starts_with("Unknown"),
        "{disturbance:?}"
    );
    // The documented value `unknown` is a known variant named `Unknown`; the catch-all for
    // values the document does not list is then `Other`.
    let reason = interconnection.withdrawal_reason.unwrap();
    assert_eq!(reason.as_wire(), "unknown");
    assert_eq!(
        reason,
        types::ProjectInterconnectionWithdrawalReason::Unknown
    );
    assert_eq!(
        interconnection.estimated_cost_of_studies_and_fees,
        Some(15000.0)
    );
    assert_eq!(
        project.revenue_type,
        Some(types::ProjectRevenueType::CommunitySolar)
    );
    assert_eq!(project.milestones.unwrap().pto, Some(date("2023-11-15")));
    assert_eq!(project.icons.unwrap()[0].tooltip, "Battery");
    let note = &project.notes.as_ref().unwrap()[0];
    assert_eq!(note.created, Some(utc("2024-02-01T15:04:05Z")));
    assert_eq!(note.comments.as_ref().unwrap()[0].comment, "Done");
    assert_eq!(project.tags.unwrap(), ["community", "ma"]);
}

#[tokio::test]
async fn public_public_project_datums() {
    let datums = contract(
        "public/publicProjectDatums",
        expect("GET", "/public/energy/datums/projects/PRJ1")
            .query("preset", "week")
            .respond_json(json!({
                "project": project_datums_json(),
                "range": range_json(),
                "aggregation": "5minute"
            })),
        |c| async move {
            c.public()
                // The `preset` enum (`day|week`) through `From<&str>`, whatever its type name.
                .public_project_datums("PRJ1", "week".into())
                .send()
                .await
        },
    )
    .await;
    check_project_datums(datums.project.as_ref().unwrap());
    assert_eq!(datums.aggregation, Some(types::Aggregation::Minute5));
}

/// Also a bodiless 200: the server sends an empty body and `send` returns `()`.
#[tokio::test]
async fn record_delete_project_pro_forma_bodiless_200() {
    let () = contract(
        "record/deleteProjectProForma",
        expect("DELETE", "/projects/PRJ%201/pro-forma")
            .query("version", "v2")
            .respond(ResponseTemplate::new(200)),
        |c| async move {
            c.record()
                .delete_project_pro_forma("PRJ 1")
                .version("v2")
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn record_project_records() {
    let records = contract(
        "record/projectRecords",
        expect("GET", "/projects/PRJ1/records").respond_json(json!({
            "records": [{
                "name": "Interconnection agreement",
                "isContract": "yes",
                "recordType": "financial",
                "contacts": [{"name": "Utility desk", "type": "utility", "email": "desk@utility.example"}],
                "notes": [{"note": "Signed", "userName": "jane", "created": "2024-03-01T10:00:00Z", "resolved": true}],
                "verified": true,
                "hiddenFields": ["amount"]
            }]
        })),
        |c| async move { c.record().project_records("PRJ1").send().await },
    )
    .await;
    let record = &records.records.as_ref().unwrap()[0];
    assert_eq!(record.is_contract, "yes");
    assert_eq!(record.record_type, "financial");
    let contact = &record.contacts.as_ref().unwrap()[0];
    assert_eq!(contact.type_.as_deref(), Some("utility"));
    let note = &record.notes.as_ref().unwrap()[0];
    assert_eq!(note.created, Some(utc("2024-03-01T10:00:00Z")));
    assert_eq!(note.resolved, Some(true));
    assert_eq!(
        record.hidden_fields.as_deref(),
        Some(&["amount".to_string()][..])
    );
}

#[tokio::test]
async fn report_generate_project_operating_report_bodiless_200() {
    let () = contract(
        "report/generateProjectOperatingReport",
        // A bodiless operation whose server still says something: ignored.
        expect("POST", "/report/operating/project/PRJ1")
            .respond(ResponseTemplate::new(200).set_body_string("OK")),
        |c| async move {
            c.report()
                .generate_project_operating_report("PRJ1")
                .send()
                .await
        },
    )
    .await;
}

/// `security: []` (all `/rfi/...` operations), two path parameters.
#[tokio::test]
async fn rfi_get_rfi_security_none_still_sends_token() {
    let rfi = contract(
        "rfi/getRFI",
        expect("GET", "/rfi/thread/RFI-1/3").respond_json(json!({
            "rfi": {
                "id": "RFI-1",
                "createdDateTime": "2025-01-15",
                "author": "jane@example.com",
                "number": 7,
                "lastUpdatedDateTime": "2025-01-20",
                "lastUpdatedBy": "bob@example.com",
                "version": "3",
                "resolved": false,
                "resolutionHistory": {"2025-01-18": "reopened"},
                "code": "PRJ1",
                "name": "Racking spec",
                "dueDateTime": "2025-02-01",
                "linked": ["RFI-0"],
                "media": ["MEDIA-1"],
                "costImpacts": "none",
                "assigned": ["ecogyenergy.com"]
            }
        })),
        |c| async move { c.rfi().get_rfi("RFI-1", "3").send().await },
    )
    .await;
    let rfi = rfi.rfi.unwrap();
    assert_eq!(rfi.number, 7.0);
    assert_eq!(rfi.created_date_time, date("2025-01-15"));
    assert_eq!(rfi.due_date_time, date("2025-02-01"));
    assert_eq!(rfi.version, "3");
    assert!(!rfi.resolved);
    assert_eq!(rfi.resolution_history["2025-01-18"], json!("reopened"));
    assert_eq!(rfi.linked, ["RFI-0"]);
    assert_eq!(rfi.assigned.unwrap(), ["ecogyenergy.com"]);
    assert_eq!(rfi.schedule_impacts, None);
}

#[tokio::test]
async fn search_refinements() {
    let refinements = contract(
        "search/refinements",
        expect("GET", "/search/refinements").respond_json(json!({
            "refinements": {"state": ["MA", "NY"], "status": ["Operational"]},
            "autoCompletes": {"name": {"Solar One": {"projects": ["PRJ1"]}}}
        })),
        |c| async move { c.search().refinements().send().await },
    )
    .await;
    assert_eq!(
        refinements.refinements.as_ref().unwrap()["state"],
        ["MA", "NY"]
    );
    let auto = refinements.auto_completes.unwrap();
    assert_eq!(
        auto["name"]["Solar One"].projects.as_deref(),
        Some(&["PRJ1".to_string()][..])
    );
}

#[tokio::test]
async fn service_request_create_service_request() {
    let request = types::ServiceRequest::builder()
        .location(
            types::ServiceRequestLocation::builder()
                .project("PRJ1")
                .site("S1")
                .build()
                .unwrap(),
        )
        .task_summary("Replace inverter fan")
        .context("Fan noise reported")
        .site_visit_window(
            types::ServiceRequestSiteVisitWindow::builder()
                .start(utc("2025-04-01T13:00:00Z"))
                .end(utc("2025-04-01T17:00:00Z"))
                .build()
                .unwrap(),
        )
        .tasks(vec!["Swap fan".to_string()])
        .information(vec![types::ServiceRequestInformationItem::builder()
            .text("Manual")
            .link("https://example.com/manual.pdf")
            .build()
            .unwrap()])
        .build()
        .unwrap();
    let created = contract(
        "service_request/createServiceRequest",
        expect("POST", "/service-requests")
            .body(json!({
                "location": {"project": "PRJ1", "site": "S1"},
                "taskSummary": "Replace inverter fan",
                "context": "Fan noise reported",
                "siteVisitWindow": {"start": "2025-04-01T13:00:00Z", "end": "2025-04-01T17:00:00Z"},
                "tasks": ["Swap fan"],
                "information": [{"text": "Manual", "link": "https://example.com/manual.pdf"}]
            }))
            .respond_json(json!({"serviceRequest": {"id": "SR-9"}})),
        |c| async move {
            c.service_request()
                .create_service_request(request)
                .send()
                .await
        },
    )
    .await;
    assert_eq!(created["serviceRequest"]["id"], json!("SR-9"));
}

#[tokio::test]
async fn solarnetwork_device_sources() {
    let devices = contract(
        "solarnetwork/deviceSources",
        expect("GET", "/solarnetwork/devices").respond_json(json!({
            "projects": {
                "PRJ1": {"sites": {"S1": {"systems": {"SYS1": {"nodes": {
                    "123": {"id": "123", "devices": ["/PRJ1/S1/SYS1/INV/1", "/PRJ1/S1/SYS1/PYR/1"]}
                }}}}}}
            }
        })),
        |c| async move { c.solarnetwork().device_sources().send().await },
    )
    .await;
    let node = &devices.projects.as_ref().unwrap()["PRJ1"]
        .sites
        .as_ref()
        .unwrap()["S1"]
        .systems
        .as_ref()
        .unwrap()["SYS1"]
        .nodes
        .as_ref()
        .unwrap()["123"];
    assert_eq!(node.id.as_deref(), Some("123"));
    assert_eq!(node.devices.as_ref().unwrap().len(), 2);
}

#[tokio::test]
async fn tools_lookup_address_business_details() {
    let body = types::LookupAddressBusinessDetailsBody::builder()
        .indexes(
            types::LookupAddressBusinessDetailsBodyIndexes::builder()
                .place(0)
                .business(1)
                .phone(2)
                .build()
                .unwrap(),
        )
        .addresses(vec![vec![
            "1 Main St".to_string(),
            "Springfield, MA".to_string(),
        ]])
        .build()
        .unwrap();
    let places = contract(
        "tools/lookupAddressBusinessDetails",
        expect("POST", "/tools/address-business-details")
            .query("radius", "500")
            .body(json!({
                "indexes": {"place": 0, "business": 1, "phone": 2},
                "addresses": [["1 Main St", "Springfield, MA"]]
            }))
            .respond_json(json!({"places": [["Main St Bakery", "413-555-0100"]]})),
        |c| async move {
            c.tools()
                .lookup_address_business_details(body)
                .radius("500")
                .send()
                .await
        },
    )
    .await;
    assert_eq!(places.places.unwrap(), [["Main St Bakery", "413-555-0100"]]);
}

/// The GET-with-body operation sends its body.
#[tokio::test]
async fn user_get_user_type_sends_its_body() {
    let body = types::UserType::builder()
        .name("Installer")
        .application(types::UserTypeApplication::Econode)
        .id("UT 1")
        .build()
        .unwrap();
    let answer = contract(
        "user/getUserType",
        expect("GET", "/user-types/UT%201")
            .body(json!({"name": "Installer", "application": "econode", "id": "UT 1"}))
            .respond_json(
                json!({"userType": {"id": "UT 1", "name": "Installer", "application": "econode"}}),
            ),
        |c| async move { c.user().get_user_type("UT 1", body).send().await },
    )
    .await;
    assert_eq!(answer["userType"]["application"], json!("econode"));
}

#[tokio::test]
async fn user_get_user() {
    let user = contract(
        "user/getUser",
        expect("GET", "/users/user-1").respond_json(json!({
            "email": "jane@example.com",
            "firstName": "Jane",
            "lastName": "Doe",
            "userType": "admin",
            "access": {
                "startDate": "2025-01-01",
                "endDate": "2025-12-31",
                "preventDownload": "yes",
                "restrictProjects": "no"
            }
        })),
        |c| async move { c.user().get_user("user-1").send().await },
    )
    .await;
    assert_eq!(user.email, "jane@example.com");
    assert_eq!(user.user_type.as_deref(), Some("admin"));
    let access = user.access.unwrap();
    assert_eq!(access.start_date, Some(date("2025-01-01")));
    assert_eq!(
        access.prevent_download.as_ref().map(|v| v.as_wire()),
        Some("yes")
    );
    assert_eq!(
        access.restrict_projects.as_ref().map(|v| v.as_wire()),
        Some("no")
    );
}

#[tokio::test]
async fn weather_project_weather_datums() {
    let weather = contract(
        "weather/projectWeatherDatums",
        expect("GET", "/weather/datums/projects/PRJ1")
            .query("start", "2025-01-01T00:00:00Z")
            .query("end", "2025-01-02T00:00:00Z")
            .query("aggregation", "hour")
            .respond_json(json!({
                "sitesDatums": {
                    "S1": [{"created": "2025-01-01 05:00:00.000Z", "temp": -3.5, "sky": "Clear"}]
                },
                "range": range_json(),
                "aggregation": "hour"
            })),
        |c| async move {
            c.weather()
                .project_weather_datums(
                    "PRJ1",
                    utc("2025-01-01T00:00:00Z"),
                    utc("2025-01-02T00:00:00Z"),
                )
                .aggregation(types::Aggregation::Hour)
                .send()
                .await
        },
    )
    .await;
    let datum = &weather.sites_datums.as_ref().unwrap()["S1"][0];
    assert_eq!(datum["temp"], json!(-3.5));
    assert_eq!(datum["sky"], json!("Clear"));
    assert_eq!(weather.aggregation, Some(types::Aggregation::Hour));
}

// ---------------------------------------------------------------------------------------------
// Cross-cutting behaviour
// ---------------------------------------------------------------------------------------------

/// `PUT /coda/milestones` has `security: []` and only a `default` response.
#[tokio::test]
async fn security_none_coda_milestones_sends_token_and_empty_body_is_null() {
    let answer = contract(
        "coda/importProjectMilestoneDates",
        expect("PUT", "/coda/milestones").respond(ResponseTemplate::new(200)),
        |c| async move { c.coda().import_project_milestone_dates().send().await },
    )
    .await;
    assert_eq!(answer, Value::Null);
}

#[tokio::test]
async fn base_url_with_trailing_slash_does_not_double_the_slash() {
    let profile = contract_at(
        "trailing slash",
        |uri| format!("{uri}/"),
        expect("GET", "/profile").respond_json(json!({
            "profile": {"email": "jane@example.com", "firstName": "Jane", "lastName": "Doe"}
        })),
        |c| async move { c.profile().get_profile().send().await },
    )
    .await;
    assert_eq!(profile.profile.unwrap().last_name, "Doe");
}

#[tokio::test]
async fn base_url_with_a_path_prefix_keeps_it() {
    let () = contract_at(
        "path prefix",
        |uri| format!("{uri}/v1/"),
        expect("POST", "/v1/report/operating/project/PRJ1"),
        |c| async move {
            c.report()
                .generate_project_operating_report("PRJ1")
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn bodiless_200_with_empty_body_and_other_bodiless_operations() {
    let () = contract(
        "record/deleteProjectProForma (no version)",
        expect("DELETE", "/projects/PRJ1/pro-forma"),
        |c| async move { c.record().delete_project_pro_forma("PRJ1").send().await },
    )
    .await;
    let () = contract(
        "finance/updateProjectCache",
        expect("PUT", "/finance/projects/PRJ1/report"),
        |c| async move { c.finance().update_project_cache("PRJ1").send().await },
    )
    .await;
    let () = contract(
        "demandresponse/drDeleteParticipant",
        expect("DELETE", "/dr/participants/PART-1"),
        |c| async move {
            c.demandresponse()
                .dr_delete_participant("PART-1")
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn api_error_400_keeps_status_message_json_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/projects/PRJ1"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-amzn-requestid", "req-400")
                .set_body_json(json!({"message": "bad project"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let error = client.project().project("PRJ1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(ecosuite::StatusCode::BAD_REQUEST));
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(api.operation, "project");
    assert_eq!(api.status, 400);
    assert_eq!(api.message().as_deref(), Some("bad project"));
    let body: types::Error = api.json().expect("the documented error body");
    assert_eq!(body.message.as_deref(), Some("bad project"));
    assert_eq!(api.headers.get("x-amzn-requestid").unwrap(), "req-400");
    let shown = error.to_string();
    assert!(shown.contains("project"), "{shown}");
    assert!(shown.contains("400"), "{shown}");
    assert!(shown.contains("bad project"), "{shown}");
}

#[tokio::test]
async fn api_error_500_with_text_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/dashboard/status"))
        .respond_with(
            ResponseTemplate::new(500).set_body_raw("Internal Server Error", "text/plain"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let error = client
        .dashboard()
        .dashboard_status()
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(api.operation, "dashboardStatus");
    assert_eq!(api.status, 500);
    assert_eq!(api.message().as_deref(), Some("Internal Server Error"));
    assert_eq!(&api.body[..], b"Internal Server Error");
    assert!(api.json::<types::Error>().is_err());
}

#[tokio::test]
async fn api_error_for_undocumented_statuses_401_and_404() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/profile"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthorized"})))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let error = client.profile().get_profile().send().await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(api.status, 401);
    assert_eq!(api.message().as_deref(), Some("Unauthorized"));

    // Nothing mounted for this path: wiremock answers 404 with an empty body.
    let error = client.search().refinements().send().await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(api.operation, "refinements");
    assert_eq!(api.status, 404);
    assert_eq!(api.message(), None);
}

async fn decode_error_for(body: Value) -> ecosuite::DecodeError {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/energy/datums/projects/PRJ1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let error = client
        .energy()
        .project_datums(
            "PRJ1",
            utc("2025-01-01T00:00:00Z"),
            utc("2025-02-01T00:00:00Z"),
        )
        .send()
        .await
        .unwrap_err();
    match error {
        Error::Decode(decode) => *decode,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn decode_error_names_operation_and_exact_json_path() {
    // A number where a string is documented, five levels down through two maps.
    let mut datums = project_datums_json();
    datums["sites"]["S1"]["systems"]["SYS1"]["name"] = json!(42);
    let error = decode_error_for(json!({"projectDatums": datums})).await;
    assert_eq!(error.operation, "projectDatums");
    assert_eq!(error.status, 200);
    assert_eq!(error.path, "projectDatums.sites.S1.systems.SYS1.name");
    assert!(
        error.message.contains("invalid type: integer `42`"),
        "{}",
        error.message
    );
    assert!(!error.body.is_empty());
    let shown = Error::Decode(Box::new(error)).to_string();
    assert!(
        shown.contains("projectDatums")
            && shown.contains("projectDatums.sites.S1.systems.SYS1.name"),
        "{shown}"
    );

    // Through arrays and a map keyed by date.
    let mut datums = project_datums_json();
    datums["sites"]["S1"]["aggregatedTotals"][0]["2025-01-01T00:00:00Z"]["generation"] =
        json!("lots");
    let error = decode_error_for(json!({"projectDatums": datums})).await;
    assert_eq!(
        error.path,
        "projectDatums.sites.S1.aggregatedTotals[0].2025-01-01T00:00:00Z.generation"
    );

    // A date-time that is not one.
    let error = decode_error_for(json!({"range": {"localStartDate": "yesterday"}})).await;
    assert_eq!(error.path, "range.localStartDate");
}

#[tokio::test]
async fn decode_error_for_a_missing_required_field_names_its_parent() {
    let server = MockServer::start().await;
    let mut project = project_json("Operational");
    project.as_object_mut().unwrap().remove("name");
    Mock::given(method("GET"))
        .and(path("/projects/PRJ1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"project": project})))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let error = client.project().project("PRJ1").send().await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}")
    };
    assert_eq!(decode.operation, "project");
    assert_eq!(decode.path, "project");
    assert!(
        decode.message.contains("missing field `name`"),
        "{}",
        decode.message
    );
}

#[tokio::test]
async fn decode_error_for_a_non_json_200_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/refinements"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>gateway</html>", "text/html"))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let error = client.search().refinements().send().await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}")
    };
    assert_eq!(decode.operation, "refinements");
    assert_eq!(&decode.body[..], b"<html>gateway</html>");
}

#[tokio::test]
async fn unknown_enum_values_decode_as_unknown() {
    // String enum inside a response object.
    let project = contract(
        "project/project (unknown status)",
        expect("GET", "/projects/PRJ1")
            .respond_json(json!({"project": project_json("Decommissioned")})),
        |c| async move { c.project().project("PRJ1").send().await },
    )
    .await;
    let project = project.project.unwrap();
    assert_eq!(
        project.status,
        types::ProjectStatus::Unknown("Decommissioned".into())
    );
    assert_eq!(project.status.as_wire(), "Decommissioned");

    // A shared enum (aggregation) and a required enum field.
    let events = contract(
        "demandresponse/drEvents (unknown priority)",
        expect("GET", "/dr/dr-events").respond_json(json!({
            "events": [{
                "priority": "critical",
                "name": "Grid emergency",
                "startDate": "2025-07-01T18:00:00Z",
                "notificationDate": "2025-07-01T17:00:00Z",
                "endDate": "2025-07-01T19:00:00Z",
                "goal": "1 MW",
                "participants": []
            }]
        })),
        |c| async move { c.demandresponse().dr_events().send().await },
    )
    .await;
    assert_eq!(
        events.events.unwrap()[0].priority,
        types::DrEventPriority::Unknown("critical".into())
    );

    let data = contract(
        "connectivity/data (unknown aggregation)",
        expect("GET", "/connectivity/data")
            .query("start", "2025-01-01T00:00:00Z")
            .query("end", "2025-02-01T00:00:00Z")
            .respond_json(json!({"aggregation": "week"})),
        |c| async move {
            c.connectivity()
                .data(utc("2025-01-01T00:00:00Z"), utc("2025-02-01T00:00:00Z"))
                .send()
                .await
        },
    )
    .await;
    assert_eq!(
        data.aggregation,
        Some(types::Aggregation::Unknown("week".into()))
    );

    // The integer enum (`Event.priority` ∈ {1, 5, 10}).
    let event = contract(
        "event/getEvent (unknown priority)",
        expect("GET", "/events/EVT-1").respond_json(json!({
            "event": {
                "type": "maintenance",
                "cause": "Mowing",
                "startDate": "2025-05-01T12:00:00Z",
                "description": "Vegetation management",
                "priority": 3
            }
        })),
        |c| async move { c.event().get_event("EVT-1").send().await },
    )
    .await;
    let event = event.event.unwrap();
    assert_eq!(event.priority, Some(types::EventPriority::Unknown(3)));
    assert_eq!(event.type_, types::EventType::Unknown("maintenance".into()));

    // And an unknown value round-trips as it came when sent back.
    let mut echoed = event.clone();
    echoed.notes = None;
    let sent = serde_json::to_value(&echoed).unwrap();
    assert_eq!(sent["priority"], json!(3));
    assert_eq!(sent["type"], json!("maintenance"));
}

#[tokio::test]
async fn send_with_response_exposes_status_and_headers() {
    let response = contract(
        "profile/getProfile (send_with_response)",
        expect("GET", "/profile").respond(
            ResponseTemplate::new(200)
                .insert_header("x-amzn-requestid", "req-42")
                .set_body_json(json!({
                    "profile": {"email": "jane@example.com", "firstName": "Jane", "lastName": "Doe"}
                })),
        ),
        |c| async move { c.profile().get_profile().send_with_response().await },
    )
    .await;
    assert_eq!(response.status(), ecosuite::StatusCode::OK);
    assert_eq!(
        response.headers().get("x-amzn-requestid").unwrap(),
        "req-42"
    );
    assert_eq!(
        response.body().profile.as_ref().unwrap().email,
        "jane@example.com"
    );
    let profile = response.into_body().profile.unwrap();
    assert_eq!(profile.first_name, "Jane");

    // Another 2xx status is a success too, and is reported as it came.
    let response = contract(
        "report/generateProjectOperatingReport (202)",
        expect("POST", "/report/operating/project/PRJ1").respond(ResponseTemplate::new(202)),
        |c| async move {
            c.report()
                .generate_project_operating_report("PRJ1")
                .send_with_response()
                .await
        },
    )
    .await;
    assert_eq!(response.status(), ecosuite::StatusCode::ACCEPTED);
}

/// A port nobody listens on: bind one, note it, close it.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_naming_the_operation() {
    let client = client_for(&closed_port_url());
    let error = client.project().project("PRJ1").send().await.unwrap_err();
    match &error {
        Error::Transport { operation, .. } => assert_eq!(*operation, "project"),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert!(error.to_string().starts_with("project:"), "{error}");
    assert_eq!(error.status(), None);
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn debug_output_never_contains_the_token() {
    let assert_hidden = |what: &str, shown: String| {
        assert!(
            !shown.contains(TOKEN) && !shown.contains(TOKEN_TAIL),
            "{what} shows the token: {shown}"
        );
    };
    let builder = ecosuite::Client::builder().token(TOKEN);
    assert_hidden("ClientBuilder", format!("{builder:?}"));
    let client = client_for("http://127.0.0.1:9/");
    assert_hidden("Client", format!("{client:?}"));
    assert_hidden("Client (pretty)", format!("{client:#?}"));
    assert_hidden(
        "request builder",
        format!("{:?}", client.project().project("PRJ1")),
    );
    assert_hidden("tag API", format!("{:?}", client.project()));

    // Transport error.
    let closed = client_for(&closed_port_url());
    let error = closed.project().project("PRJ1").send().await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_hidden("Error::Transport", format!("{error:?} {error}"));

    // API and decode errors.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/profile"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"message": "Forbidden"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search/refinements"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"refinements": 1})))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let error = client.profile().get_profile().send().await.unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_hidden("Error::Api", format!("{error:?} {error:#?} {error}"));
    let error = client.search().refinements().send().await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_hidden("Error::Decode", format!("{error:?} {error}"));
}

/// A path parameter is one segment: IDs `.` and `..` must not be resolved away by URL parsing
/// into another endpoint (`delete_site("PRJ1", "..")` must never reach `DELETE /projects/PRJ1/`).
/// A URL cannot carry such a segment (`%2E%2E` is resolved too), so the call should fail before
/// sending; what is checked here is only that no request leaves its template.
#[tokio::test]
async fn dot_segment_ids_cannot_escape_their_path_segment() {
    async fn check<T: std::fmt::Debug, Fut: Future<Output = Result<T, Error>>>(
        case: &str,
        prefix: &str,
        call: impl FnOnce(ecosuite::Client) -> Fut,
    ) {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&server)
            .await;
        let result = call(client_for(&server.uri())).await;
        let requests = server.received_requests().await.unwrap();
        for request in &requests {
            let path = request.url.path();
            let id = path.strip_prefix(prefix);
            assert!(
                id.is_some_and(|id| !id.is_empty() && !id.contains('/')),
                "[{case}] the ID escaped its path segment: {} {path} was sent (expected \
                 {prefix}<id>); the call returned {result:?}",
                request.method
            );
        }
    }
    check(
        "deleteSite(PRJ1, ..)",
        "/projects/PRJ1/sites/",
        |c| async move { c.project().delete_site("PRJ1", "..").send().await },
    )
    .await;
    check("project(.)", "/projects/", |c| async move {
        c.project().project(".").send().await
    })
    .await;
}
