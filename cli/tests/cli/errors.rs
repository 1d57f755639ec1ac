//! What goes wrong reaches the user as a clear message on stderr, nothing on stdout, and an
//! exit code a script can tell apart.

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{argv, ecosuite, ecosuite_with_env, Run, TempFile, TOKEN};

async fn against(server: &MockServer, args: &[&str]) -> Run {
    let mut args = argv(args);
    args.extend([
        "--base-url".into(),
        server.uri(),
        "--token".into(),
        TOKEN.into(),
    ]);
    ecosuite(args, None).await
}

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn assert_fails(run: &Run, code: i32, stderr_has: &[&str]) {
    assert_eq!(run.code, code, "exit code; stderr:\n{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing on stdout when a command fails");
    for text in stderr_has {
        assert!(
            run.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            run.stderr
        );
    }
}

#[tokio::test]
async fn an_api_error_exits_1_with_status_and_message() {
    let server =
        answering(ResponseTemplate::new(404).set_body_json(json!({"message": "no project PRJ9"})))
            .await;
    let run = against(&server, &["project", "project", "PRJ9"]).await;
    assert_fails(
        &run,
        1,
        &["error: project: the API answered 404 Not Found: no project PRJ9"],
    );
}

#[tokio::test]
async fn a_body_that_does_not_match_the_document_exits_4_naming_operation_and_path() {
    // `lat` is a number in the document.
    let server = answering(ResponseTemplate::new(200).set_body_json(json!({
        "project": {"code": "PRJ1", "status": "Operational", "name": "n", "address": "a", "town": "t",
                    "state": "MA", "lat": "north", "long": 1.0, "startDate": "2023-05-01", "timezone": "UTC"}
    })))
    .await;
    let run = against(&server, &["call", "project", "-p", "projectId=PRJ1"]).await;
    assert_fails(
        &run,
        4,
        &["project: the response body does not match the API document at `project.lat`"],
    );
}

#[tokio::test]
async fn no_answer_exits_3() {
    // A port nothing listens on: bind one, note it, let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = ecosuite(
        argv(&[
            "search",
            "refinements",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "--token",
            TOKEN,
        ]),
        None,
    )
    .await;
    assert_fails(&run, 3, &["error: refinements: the request failed"]);
}

#[tokio::test]
async fn usage_errors_exit_2_and_send_nothing() {
    let server = answering(ResponseTemplate::new(200)).await;
    let cases: &[(&[&str], &str)] = &[
        (&["call", "projectDatum"], "no operation has the id `projectDatum`; did you mean projectDatums"),
        (&["call", "project", "-p", "projectID=PRJ1"], "operation `project` has no parameter `projectID`; its parameters are: projectId (required)"),
        (&["call", "project"], "operation `project` needs parameter `projectId` (path)"),
        (&["call", "project", "-p", "projectId"], "`-p projectId` should be `-p name=value`"),
        (&["call", "projectDatums", "-p", "projectId=P", "-p", "start=2025-01-01", "-p", "end=2025-02-01", "-p", "aggregation=week"],
            "`week` is not a value of parameter `aggregation`; it takes one of: day, hour, month, year, 15minute, 5minute"),
        (&["energy", "project-datums", "P", "--start", "yesterday", "--end", "2025-02-01"],
            "invalid value `yesterday` for parameter `start`"),
        (&["energy", "project-datums", "P", "--start", "2025-01-01"], "--end <DATE-TIME>"),
        (&["energy", "project-datums", "P", "--start", "2025-01-01", "--end", "2025-02-01", "--aggregation", "week"],
            "invalid value 'week' for '--aggregation <VALUE>'"),
        (&["project", "projet", "PRJ1"], "unrecognized subcommand 'projet'"),
        (&["call", "project", "-p", "projectId=P", "--body", "-"], "operation `project` (GET /projects/{projectId}) takes no body"),
        (&["call", "createEvent"], "operation `createEvent` needs a body (application/json): give --body FILE, or --body - for stdin"),
        (&["event", "create-event"], "--body <FILE|->"),
        (&["event", "create-event", "--body", "no/such/file.json"], "cannot read the body in no/such/file.json"),
    ];
    for (args, message) in cases {
        let run = against(&server, args).await;
        assert_eq!(
            run.code,
            2,
            "ecosuite {}: exit code; stderr:\n{}",
            args.join(" "),
            run.stderr
        );
        assert!(
            run.stderr.contains(message),
            "ecosuite {}: stderr lacks {message:?}:\n{}",
            args.join(" "),
            run.stderr
        );
        assert_eq!(run.stdout, "", "ecosuite {}", args.join(" "));
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "a usage error sends nothing"
    );
}

#[tokio::test]
async fn a_body_that_does_not_fit_names_the_json_path() {
    let server = answering(ResponseTemplate::new(200)).await;
    let body = TempFile::new(
        "bad-event.json",
        br#"{"type": "energy", "cause": "c", "startDate": "March", "description": "d"}"#,
    );
    let run = against(&server, &["event", "create-event", "--body", &body.path()]).await;
    assert_fails(
        &run,
        2,
        &["does not fit the request body of `createEvent` (Event) at `startDate`"],
    );
    let body = TempFile::new("not-json.json", b"{\"type\": ");
    let run = against(&server, &["event", "create-event", "--body", &body.path()]).await;
    assert_fails(
        &run,
        2,
        &[
            "does not fit the request body of `createEvent`",
            "EOF while parsing",
        ],
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn yaml_and_table_output() {
    let body = json!({"projects": [
        {"code": "PRJ1", "name": "Solar One", "status": "ok"},
        {"code": "PRJ2", "name": "Storage", "status": "down"}
    ]});
    let server = answering(ResponseTemplate::new(200).set_body_json(body)).await;
    let run = against(&server, &["dashboard", "dashboard-status", "-o", "table"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "code  name       status\n----  ---------  ------\nPRJ1  Solar One  ok\nPRJ2  Storage    down\n"
    );
    let run = against(
        &server,
        &["--output", "yaml", "dashboard", "dashboard-status"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "projects:\n- code: PRJ1\n  name: Solar One\n  status: ok\n- code: PRJ2\n  name: Storage\n  status: down\n"
    );
}

#[tokio::test]
async fn the_token_comes_from_the_environment_too() {
    let server =
        answering(ResponseTemplate::new(200).set_body_json(json!({"refinements": {}}))).await;
    let run = ecosuite_with_env(
        argv(&["search", "refinements"]),
        None,
        vec![
            ("ECOSUITE_TOKEN", "from-env".into()),
            ("ECOSUITE_BASE_URL", server.uri()),
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers.get("authorization").unwrap(),
        "from-env"
    );
}
