//! Every tag, through both forms: `ecosuite <tag> <operation> ...` and `ecosuite call <id> -p
//! ...`. Each run asserts the request the server saw (method, exact path, query, token, body)
//! and what was printed: the answer as the typed client decoded it, encoded again as JSON.

use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{argv, ecosuite, TempFile, TOKEN};

struct Case {
    by_tag: Vec<String>,
    by_call: Vec<String>,
    method: &'static str,
    path: &'static str,
    query: Vec<(String, String)>,
    /// Given as `--body FILE` in the per-operation form and `--body -` (stdin) in `call`.
    body: Option<Value>,
    response: ResponseTemplate,
    /// What stdout must hold, as JSON; `None` for nothing at all.
    prints: Option<Value>,
}

fn case(by_tag: &[&str], by_call: &[&str], method: &'static str, path: &'static str) -> Case {
    Case {
        by_tag: argv(by_tag),
        by_call: argv(by_call),
        method,
        path,
        query: Vec::new(),
        body: None,
        response: ResponseTemplate::new(200),
        prints: None,
    }
}

impl Case {
    fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The server answers `body`, and the typed round trip prints it unchanged.
    fn answers(self, body: Value) -> Self {
        self.answers_and_prints(body.clone(), body)
    }

    fn answers_and_prints(mut self, body: Value, prints: Value) -> Self {
        self.response = ResponseTemplate::new(200).set_body_json(body);
        self.prints = Some(prints);
        self
    }

    async fn check(self) {
        let name = self.by_call[1].clone();
        for (form, mut args) in [
            ("per-operation", self.by_tag.clone()),
            ("call", self.by_call.clone()),
        ] {
            let server = MockServer::start().await;
            Mock::given(any())
                .respond_with(self.response.clone())
                .mount(&server)
                .await;
            let mut stdin = None;
            let _file;
            if let Some(body) = &self.body {
                let bytes = serde_json::to_vec_pretty(body).unwrap();
                if form == "call" {
                    args.extend(argv(&["--body", "-"]));
                    stdin = Some(bytes);
                } else {
                    let file = TempFile::new(&format!("{name}.json"), &bytes);
                    args.extend(["--body".to_string(), file.path()]);
                    _file = file;
                }
            }
            args.extend([
                "--base-url".into(),
                server.uri(),
                "--token".into(),
                TOKEN.into(),
            ]);
            let run = ecosuite(args.clone(), stdin).await;
            let context = format!("[{name}, {form} form: ecosuite {}]", args.join(" "));
            assert_eq!(run.code, 0, "{context} exit code; stderr:\n{}", run.stderr);
            // Not a terminal: no spinner, no noise.
            assert_eq!(run.stderr, "", "{context} stderr");

            let requests = server.received_requests().await.unwrap();
            assert_eq!(requests.len(), 1, "{context} one request");
            let request = &requests[0];
            assert_eq!(request.method.as_str(), self.method, "{context} method");
            assert_eq!(request.url.path(), self.path, "{context} path");
            let mut query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
            query.sort();
            let mut expected_query = self.query.clone();
            expected_query.sort();
            assert_eq!(query, expected_query, "{context} query");
            assert_eq!(
                request
                    .headers
                    .get("authorization")
                    .map(|v| v.to_str().unwrap()),
                Some(TOKEN),
                "{context} Authorization"
            );
            match &self.body {
                Some(body) => {
                    let sent: Value = serde_json::from_slice(&request.body)
                        .unwrap_or_else(|e| panic!("{context} body is not JSON: {e}"));
                    assert_eq!(&sent, body, "{context} body");
                    assert_eq!(
                        request
                            .headers
                            .get("content-type")
                            .map(|v| v.to_str().unwrap()),
                        Some("application/json"),
                        "{context} content type"
                    );
                }
                None => assert!(request.body.is_empty(), "{context} no body"),
            }
            match &self.prints {
                Some(expected) => assert_eq!(&run.json(), expected, "{context} stdout"),
                None => assert_eq!(run.stdout, "", "{context} stdout"),
            }
        }
    }
}

fn range_json() -> Value {
    json!({"localStartDate": "2025-01-01T00:00:00Z", "localEndDate": "2025-02-01T00:00:00Z"})
}

#[tokio::test]
async fn audit() {
    case(
        &[
            "audit",
            "get-audit-logs-for-asset",
            "SYS 1/a",
            "--diff",
            "true",
        ],
        &[
            "call",
            "getAuditLogsForAsset",
            "-p",
            "assetId=SYS 1/a",
            "-p",
            "diff=true",
        ],
        "GET",
        "/audit/assets/SYS%201%2Fa",
    )
    .query("diff", "true")
    .answers(json!({"diff": {"name": [{"kind": "E", "lhs": "Array A", "rhs": "Array A (east)"}]}}))
    .check()
    .await;
}

#[tokio::test]
async fn coda() {
    case(
        &["coda", "import-coda", "PRJ 1", "--apply-changes", "true"],
        &[
            "call",
            "importCoda",
            "-p",
            "projectId=PRJ 1",
            "-p",
            "applyChanges=true",
        ],
        "PUT",
        "/coda/PRJ%201/import",
    )
    .query("applyChanges", "true")
    // No 200 is documented: whatever JSON comes back is printed.
    .answers(json!({"changes": 3}))
    .check()
    .await;
}

#[tokio::test]
async fn connectivity() {
    case(
        // A bare date is that day's midnight, UTC.
        &[
            "connectivity",
            "data",
            "--start",
            "2025-01-01",
            "--end",
            "2025-02-01T00:00:00Z",
        ],
        &[
            "call",
            "data",
            "-p",
            "start=2025-01-01T00:00:00Z",
            "-p",
            "end=2025-02-01",
        ],
        "GET",
        "/connectivity/data",
    )
    .query("start", "2025-01-01T00:00:00Z")
    .query("end", "2025-02-01T00:00:00Z")
    .answers(json!({
        "providers": [{"total": 4096, "name": "Verizon", "projectTotals": {"PRJ1": 4096}}],
        "range": range_json(),
        "aggregation": "day"
    }))
    .check()
    .await;
}

#[tokio::test]
async fn dashboard() {
    case(
        &["dashboard", "dashboard-status"],
        &["call", "dashboardStatus"],
        "GET",
        "/dashboard/status",
    )
    // A field the document does not describe is kept by the client, so it is printed too,
    // after the declared ones.
    .answers_and_prints(
        json!({"projects": [{"undocumented": 1, "code": "PRJ1", "name": "Solar One", "status": "ok"}]}),
        json!({"projects": [{"code": "PRJ1", "name": "Solar One", "status": "ok", "undocumented": 1}]}),
    )
    .check()
    .await;
}

#[tokio::test]
async fn demandresponse() {
    case(
        &["demandresponse", "dr-create-event"],
        &["call", "drCreateEvent"],
        "POST",
        "/dr/dr-events",
    )
    .body(json!({
        "priority": "high",
        "name": "Peak shave",
        "startDate": "2025-07-01T18:00:00Z",
        "notificationDate": "2025-07-01T12:00:00Z",
        "endDate": "2025-07-01T21:00:00Z",
        "goal": "500 kW",
        "participants": ["PART-1", "PART-2"]
    }))
    .answers(json!("DR-2025-0001"))
    .check()
    .await;
}

#[tokio::test]
async fn energy() {
    case(
        &[
            "energy",
            "project-datums",
            "PRJ 1/x",
            "--start",
            "2025-01-01",
            "--end",
            "2025-02-01",
            "--aggregation",
            "15minute",
        ],
        &[
            "call",
            "projectDatums",
            "-p",
            "projectId=PRJ 1/x",
            "-p",
            "start=2025-01-01",
            "-p",
            "end=2025-02-01",
            "-p",
            "aggregation=15minute",
        ],
        "GET",
        "/energy/datums/projects/PRJ%201%2Fx",
    )
    .query("start", "2025-01-01T00:00:00Z")
    .query("end", "2025-02-01T00:00:00Z")
    .query("aggregation", "15minute")
    .answers(json!({"range": range_json(), "aggregation": "15minute"}))
    .check()
    .await;
}

#[tokio::test]
async fn event() {
    case(
        &["event", "create-event"],
        &["call", "createEvent"],
        "POST",
        "/events",
    )
    .body(json!({
        "type": "energy",
        "cause": "Inverter fault",
        "startDate": "2025-03-01T12:00:00Z",
        "description": "Inverter 2 offline",
        "priority": 5,
        "location": {"project": "PRJ1", "site": "S1"}
    }))
    .answers(json!({"event": {"id": "EVT-1", "type": "energy"}}))
    .check()
    .await;
}

#[tokio::test]
async fn export() {
    case(
        &[
            "export",
            "export-irr-report",
            "--project-ids",
            "PRJ1,PRJ2",
            "--columns",
            "irr,npv",
            "--include-project-breakdown",
            "true",
        ],
        &[
            "call",
            "exportIrrReport",
            "-p",
            "projectIds=PRJ1,PRJ2",
            "-p",
            "columns=irr,npv",
            "-p",
            "includeProjectBreakdown=true",
        ],
        "GET",
        "/finance/export/report",
    )
    .query("projectIds", "PRJ1,PRJ2")
    .query("columns", "irr,npv")
    .query("includeProjectBreakdown", "true")
    // A bodiless 200: nothing is printed.
    .check()
    .await;
}

#[tokio::test]
async fn feedback() {
    case(
        &[
            "feedback",
            "send-feedback",
            "--version",
            "2.4.1",
            "--feedback",
            "Great app & charts = 10/10+",
            "--email",
            "jane+ops@example.com",
        ],
        &[
            "call",
            "sendFeedback",
            "-p",
            "version=2.4.1",
            "-p",
            "feedback=Great app & charts = 10/10+",
            "-p",
            "email=jane+ops@example.com",
        ],
        "POST",
        "/feedback",
    )
    .query("version", "2.4.1")
    .query("feedback", "Great app & charts = 10/10+")
    .query("email", "jane+ops@example.com")
    .answers(json!({"results": "sent"}))
    .check()
    .await;
}

#[tokio::test]
async fn finance() {
    case(
        &["finance", "get-cash-flow-payment-logs", "PRJ1", "CF 1"],
        &["call", "getCashFlowPaymentLogs", "-p", "projectId=PRJ1", "-p", "cashFlowId=CF 1"],
        "GET",
        "/finance/projects/PRJ1/cash-flows/CF%201/payment-logs",
    )
    .answers(json!({
        "cashFlow": {"id": "CF 1", "name": "PPA revenue"},
        "paymentLogs": {"payments": {"advisedAmount": 1250.5, "expectedAmount": 1300.0, "start": "2025-01-01", "end": "2025-01-31"}}
    }))
    .check()
    .await;
}

#[tokio::test]
async fn media() {
    let media = json!({
        "createdDateTime": "2025-01-10T09:00:00Z",
        "lastUpdatedDateTime": "2025-01-11T10:30:00Z",
        "lastUpdateAuthor": "bob@example.com",
        "tags": ["site-photo"],
        "contentType": "image/jpeg",
        "contentEncoding": "base64",
        "data": "https://media.example.com/signed/photo-1.jpg",
        "contentLength": 20480.0,
        "tagIDs": ["TAG-1"],
        "code": "PRJ1",
        "name": "photo 1.jpg",
        "description": "Array view from the east",
        "id": "MEDIA-1",
        "key": "projects/PRJ1/photo 1.jpg",
        "author": "jane@example.com"
    });
    case(
        &["media", "get-file", "projects/PRJ1/photo 1.jpg"],
        &["call", "getFile", "-p", "key=projects/PRJ1/photo 1.jpg"],
        "GET",
        "/media/storage/file/projects%2FPRJ1%2Fphoto%201.jpg",
    )
    .answers(json!({"media": media}))
    .check()
    .await;
}

#[tokio::test]
async fn notification() {
    case(
        &["notification", "get-alert-events", "jane@example.com"],
        &["call", "getAlertEvents", "-p", "userId=jane@example.com"],
        "GET",
        "/users/jane@example.com/alerts",
    )
    .answers(json!({
        "events": {"userNotificationId": "UN-1", "message": "PRJ1 generation below expected", "timestamp": 1735689600000.0, "id": "ALERT-1"},
        "range": range_json()
    }))
    .check()
    .await;
}

#[tokio::test]
async fn profile() {
    case(&["profile", "update-profile"], &["call", "updateProfile"], "PUT", "/profile")
        .body(json!({"email": "jane@example.com", "firstName": "Jane", "lastName": "Doe"}))
        .answers(json!({"profile": {"email": "jane@example.com", "firstName": "Jane", "lastName": "Doe", "timezone": "America/New_York"}}))
        .check()
        .await;
}

#[tokio::test]
async fn project() {
    let project = json!({
        "code": "PRJ1",
        "status": "Operational",
        "name": "Solar One",
        "address": "1 Main St",
        "town": "Springfield",
        "state": "MA",
        "lat": 42.1015,
        "long": -72.5898,
        "startDate": "2023-05-01",
        "timezone": "America/New_York",
        "dcSize": 1250.5
    });
    case(
        &["project", "project", "PRJ1"],
        &["call", "project", "-p", "projectId=PRJ1"],
        "GET",
        "/projects/PRJ1",
    )
    .answers(json!({"project": project}))
    .check()
    .await;
}

#[tokio::test]
async fn public() {
    case(
        &[
            "public",
            "public-project-datums",
            "PRJ1",
            "--preset",
            "week",
        ],
        &[
            "call",
            "publicProjectDatums",
            "-p",
            "projectId=PRJ1",
            "-p",
            "preset=week",
        ],
        "GET",
        "/public/energy/datums/projects/PRJ1",
    )
    .query("preset", "week")
    .answers(json!({"range": range_json(), "aggregation": "5minute"}))
    .check()
    .await;
}

#[tokio::test]
async fn record() {
    case(
        &[
            "record",
            "delete-project-pro-forma",
            "PRJ 1",
            "--version",
            "v2",
        ],
        &[
            "call",
            "deleteProjectProForma",
            "-p",
            "projectId=PRJ 1",
            "-p",
            "version=v2",
        ],
        "DELETE",
        "/projects/PRJ%201/pro-forma",
    )
    .query("version", "v2")
    .check()
    .await;
}

#[tokio::test]
async fn report() {
    case(
        &["report", "generate-project-operating-report", "PRJ1"],
        &[
            "call",
            "generateProjectOperatingReport",
            "-p",
            "projectId=PRJ1",
        ],
        "POST",
        "/report/operating/project/PRJ1",
    )
    .check()
    .await;
}

#[tokio::test]
async fn rfi() {
    let rfi = json!({
        "id": "RFI-1",
        "createdDateTime": "2025-01-15",
        "author": "jane@example.com",
        "number": 7.0,
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
        "costImpacts": "none"
    });
    case(
        &["rfi", "get-rfi", "RFI-1", "3"],
        &["call", "getRFI", "-p", "id=RFI-1", "-p", "version=3"],
        "GET",
        "/rfi/thread/RFI-1/3",
    )
    .answers(json!({"rfi": rfi}))
    .check()
    .await;
}

#[tokio::test]
async fn search() {
    case(
        &["search", "refinements"],
        &["call", "refinements"],
        "GET",
        "/search/refinements",
    )
    .answers(json!({
        "refinements": {"state": ["MA", "NY"]},
        "autoCompletes": {"name": {"Solar One": {"projects": ["PRJ1"]}}}
    }))
    .check()
    .await;
}

#[tokio::test]
async fn service_request() {
    case(
        &["service-request", "create-service-request"],
        &["call", "createServiceRequest"],
        "POST",
        "/service-requests",
    )
    .body(json!({
        "location": {"project": "PRJ1", "site": "S1"},
        "taskSummary": "Replace inverter fan",
        "context": "Fan noise reported",
        "tasks": ["Swap fan"]
    }))
    .answers(json!({"serviceRequest": {"id": "SR-9"}}))
    .check()
    .await;
}

#[tokio::test]
async fn solarnetwork() {
    case(
        &["solarnetwork", "device-sources"],
        &["call", "deviceSources"],
        "GET",
        "/solarnetwork/devices",
    )
    .answers(json!({
        "projects": {"PRJ1": {"sites": {"S1": {"systems": {"SYS1": {"nodes": {
            "123": {"id": "123", "devices": ["/PRJ1/S1/SYS1/INV/1"]}
        }}}}}}}
    }))
    .check()
    .await;
}

#[tokio::test]
async fn tools() {
    case(
        &["tools", "lookup-address-business-details", "--radius", "500"],
        &["call", "lookupAddressBusinessDetails", "-p", "radius=500"],
        "POST",
        "/tools/address-business-details",
    )
    .query("radius", "500")
    .body(json!({"indexes": {"place": 0, "business": 1}, "addresses": [["1 Main St", "Springfield, MA"]]}))
    .answers(json!({"places": [["Main St Bakery", "413-555-0100"]]}))
    .check()
    .await;
}

#[tokio::test]
async fn user() {
    case(
        &["user", "get-user", "user-1"],
        &["call", "getUser", "-p", "userId=user-1"],
        "GET",
        "/users/user-1",
    )
    .answers(json!({
        "email": "jane@example.com",
        "firstName": "Jane",
        "lastName": "Doe",
        "userType": "admin",
        "access": {"startDate": "2025-01-01", "preventDownload": "yes"}
    }))
    .check()
    .await;
}

#[tokio::test]
async fn weather() {
    case(
        &[
            "weather",
            "project-weather-datums",
            "PRJ1",
            "--start",
            "2025-01-01T00:00:00Z",
            "--end",
            "2025-01-02T00:00:00Z",
            "--aggregation",
            "hour",
        ],
        &[
            "call",
            "projectWeatherDatums",
            "-p",
            "projectId=PRJ1",
            "-p",
            "start=2025-01-01T00:00:00Z",
            "-p",
            "end=2025-01-02T00:00:00Z",
            "-p",
            "aggregation=hour",
        ],
        "GET",
        "/weather/datums/projects/PRJ1",
    )
    .query("start", "2025-01-01T00:00:00Z")
    .query("end", "2025-01-02T00:00:00Z")
    .query("aggregation", "hour")
    .answers(json!({
        "sitesDatums": {"S1": [{"created": "2025-01-01 05:00:00.000Z", "temp": -3.5}]},
        "range": range_json(),
        "aggregation": "hour"
    }))
    .check()
    .await;
}

/// The tests above cover every tag: a new tag without a test fails here.
#[test]
fn every_tag_has_a_test_above() {
    let source = include_str!("tags.rs");
    for tag in ecosuite_cli::generated::TAGS {
        let test_name = tag.command.replace('-', "_");
        assert!(
            source.contains(&format!("async fn {test_name}()")),
            "tag `{}` has no test in cli/tests/cli/tags.rs",
            tag.command
        );
    }
}
