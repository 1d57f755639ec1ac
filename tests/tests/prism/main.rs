//! Contract tests against an independent implementation of the document: Stoplight Prism
//! serves `spec/ecosuite.yaml` as a mock, validates every request against it (a violation
//! comes back in an `sl-violations` header, or as a 422) and answers with bodies built from
//! the schemas.
//!
//! - Every operation of the document is called through the generated client (calls written by
//!   `tests/build.rs` from the spec), with required arguments, then with all of them once per
//!   enum value. Prism must report no violation, the status must be the documented success,
//!   the body must decode into the generated type, and, serialized again, give back exactly
//!   what Prism sent (a recording proxy in between keeps the raw exchange).
//! - One call per operation against Prism's `--dynamic` mode with several seeds: random
//!   schema-valid bodies (optional fields absent, maps of any size, every enum value, extra
//!   undeclared keys) must all decode, and what decoded must be what was sent.
//! - Requests built wrong on purpose are rejected by Prism, and a copy of the document changed
//!   behind the client's back makes the same checks fail: a wrong client would be caught.
//!
//! Prism is installed by `npm ci --prefix tests/prism` (`.ci/run` does it). Without it these
//! tests say "skipped" and pass, unless `ECOSUITE_REQUIRE_PRISM` is set.

mod calls;
mod recorder;
mod server;

use std::collections::BTreeSet;
use std::future::Future;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use calls::{calls_of, run_pass, Calls, Fill, Pass, RoundTrip, OPERATIONS};
use server::{Mode, Prism};

/// The dynamic pass's seeds, unless `PRISM_SEEDS` (comma-separated) gives others. Each seed is
/// one more Prism process and a few seconds of CI.
const SEEDS: [u64; 3] = [1, 2, 3];

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn client(base_url: &str) -> ecosuite::Client {
    ecosuite::Client::builder()
        .base_url(base_url)
        // Prism checks that the ApiKeyAuth header is there, not what it holds.
        .token("prism-test-token")
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client for Prism builds")
}

fn report(failures: &[String], calls: usize) -> String {
    format!(
        "{} of {calls} calls went wrong:\n\n{}\n",
        failures.len(),
        failures.join("\n\n")
    )
}

/// The operations are the document's: every method and path the YAML lists (read here with a
/// plain YAML parser, not the generator) has exactly one call, and no call is for anything else.
#[test]
fn every_operation_of_the_document_has_a_call() {
    let text = std::fs::read_to_string(server::workspace().join("spec/ecosuite.yaml")).unwrap();
    let document: Value = serde_yaml::from_str(&text).unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if item.get(method).is_some() {
                documented.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let called: Vec<String> = OPERATIONS
        .iter()
        .map(|op| format!("{} {}", op.method, op.path))
        .collect();
    let called_set: BTreeSet<String> = called.iter().cloned().collect();
    assert_eq!(called.len(), called_set.len(), "an operation has two calls");
    let missing: Vec<_> = documented.difference(&called_set).collect();
    let extra: Vec<_> = called_set.difference(&documented).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "operations without a Prism call: {missing:?}\ncalls for no documented operation: {extra:?}"
    );
    let ids: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    assert_eq!(
        ids.len(),
        OPERATIONS.len(),
        "two calls share an operationId"
    );
    // And by operationId, against the generator's model of the document as it is now.
    let options = ecosuite_generator::Options {
        spec_name: "spec/ecosuite.yaml".into(),
        ..Default::default()
    };
    let api = ecosuite_generator::build_model(text.as_bytes(), &options).unwrap();
    let modelled: BTreeSet<&str> = api
        .operations
        .iter()
        .map(|op| op.operation_id.as_str())
        .collect();
    assert_eq!(
        modelled, ids,
        "the calls are not those of the document's operationIds"
    );
}

/// Every operation, static responses: requests valid, statuses documented, bodies decoded.
#[test]
fn every_operation_is_valid_and_decodes_against_static_prism() {
    if !server::available("every_operation_is_valid_and_decodes_against_static_prism") {
        return;
    }
    let started = Instant::now();
    let prism = Prism::shared_static();
    let booted = started.elapsed();
    let (calls, failures) = block_on(run_pass(
        prism.base_url(),
        &prism.mode().to_string(),
        Pass {
            calls: Calls::Sweep,
            round_trip: RoundTrip::Exact,
        },
    ));
    assert!(failures.is_empty(), "{}", report(&failures, calls));
    // Printed with --nocapture: what this pass costs.
    println!(
        "static: {} operations, {calls} calls, Prism ready in {booted:.1?}, total {:.1?}",
        OPERATIONS.len(),
        started.elapsed()
    );
}

/// Every operation against `--dynamic` Prism with several seeds: random but schema-valid
/// bodies must all decode into the generated types.
#[test]
fn every_operation_decodes_random_responses_from_dynamic_prism() {
    if !server::available("every_operation_decodes_random_responses_from_dynamic_prism") {
        return;
    }
    let seeds: Vec<u64> = match std::env::var("PRISM_SEEDS") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .expect("PRISM_SEEDS: comma-separated integers")
            })
            .collect(),
        Err(_) => SEEDS.to_vec(),
    };
    let started = Instant::now();
    let modes: Vec<Mode> = seeds.iter().map(|&seed| Mode::Dynamic { seed }).collect();
    let servers = Prism::start_all(&modes);
    let booted = started.elapsed();
    let results = block_on(async {
        let passes = servers.iter().map(|prism| {
            let (url, label) = (prism.base_url(), prism.mode().to_string());
            let pass = Pass {
                calls: Calls::Once,
                round_trip: RoundTrip::Subset,
            };
            tokio::spawn(async move { run_pass(url, &label, pass).await })
        });
        let mut results = Vec::new();
        for pass in passes.collect::<Vec<_>>() {
            results.push(pass.await.expect("a pass ran to its end"));
        }
        results
    });
    let calls: usize = results.iter().map(|(calls, _)| calls).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|(_, f)| f).collect();
    assert!(failures.is_empty(), "{}", report(&failures, calls));
    println!(
        "dynamic: seeds {seeds:?}, {calls} calls, Prism ready in {booted:.1?}, total {:.1?}",
        started.elapsed()
    );
}

/// What a wrong request must get from Prism: an error status, and the violation, naming
/// `mentions`, in the `sl-violations` header (or, where the operation documents no 4xx,
/// in the 422 problem body Prism makes up).
async fn assert_rejected(case: &str, request: reqwest::RequestBuilder, mentions: &str) {
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("[{case}] {e}"));
    let status = response.status();
    let header = calls::violations(response.headers());
    let body = response.text().await.unwrap_or_default();
    assert!(
        status.is_client_error(),
        "[{case}] Prism accepted a wrong request: {status}, body {body}"
    );
    let violations = header.unwrap_or_else(|| {
        let problem: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        assert_eq!(
            problem["status"], 422,
            "[{case}] {status} without sl-violations and not Prism's 422: {body}"
        );
        problem["validation"].to_string()
    });
    assert!(
        violations.contains(mentions),
        "[{case}] the violations do not name `{mentions}`: {violations}"
    );
}

/// Requests built wrong, sent without the client, must be rejected; the same requests built
/// right must not. So the passes above would catch a client that sent any of these.
#[test]
fn wrong_requests_are_rejected_by_prism() {
    if !server::available("wrong_requests_are_rejected_by_prism") {
        return;
    }
    let prism = Prism::shared_static();
    let base = prism.base_url();
    let http = reqwest::Client::new();
    let get = |path_and_query: &str| {
        http.get(format!("{base}{path_and_query}"))
            .header("Authorization", "prism-test-token")
    };
    let post_user = |body: Value| {
        http.post(format!("{base}/users"))
            .header("Authorization", "prism-test-token")
            .header("Content-Type", "application/json")
            .body(body.to_string())
    };
    block_on(async {
        // The controls: right requests pass, so the rejections below are for the stated reason.
        let right = [
            get("/energy/datums?start=2025-01-31T12:00:00Z&end=2025-02-01T00:00:00Z&aggregation=15minute"),
            get("/public/energy/datums/projects/P1?preset=day"),
            post_user(json!({"email": "a@example.com", "firstName": "A", "lastName": "B"})),
        ];
        for request in right {
            let response = request.send().await.unwrap();
            let status = response.status();
            let violations = calls::violations(response.headers());
            assert!(
                status.is_success() && violations.is_none(),
                "a right request is rejected: {status} {violations:?} {}",
                response.text().await.unwrap_or_default()
            );
        }

        let cases = [
            (
                "a required query parameter missing",
                get("/energy/datums?start=2025-01-31T12:00:00Z"),
                "'end'",
            ),
            (
                "a date-time in a non-ISO format",
                get("/energy/datums?start=31/01/2025&end=2025-02-01T00:00:00Z"),
                "start",
            ),
            (
                "a date-time as Rust's Display writes it",
                get("/energy/datums?start=2025-01-31%2012:00:00%20UTC&end=2025-02-01T00:00:00Z"),
                "date-time",
            ),
            (
                "a date where a date-time is documented",
                get("/energy/datums?start=2025-01-31&end=2025-02-01T00:00:00Z"),
                "date-time",
            ),
            (
                "an enum value the document does not list",
                get("/energy/datums?start=2025-01-31T12:00:00Z&end=2025-02-01T00:00:00Z&aggregation=Minute15"),
                "aggregation",
            ),
            (
                "a required enum query parameter missing",
                get("/public/energy/datums/projects/P1"),
                "preset",
            ),
            (
                "a boolean query parameter that is not a boolean",
                get("/audit/users?diff=maybe"),
                "diff",
            ),
            (
                "no Authorization header",
                http.get(format!("{base}/projects")),
                "",
            ),
            (
                "a body without a required field",
                post_user(json!({"firstName": "A", "lastName": "B"})),
                "email",
            ),
            (
                "a body with an invalid email",
                post_user(json!({"email": "not an email", "firstName": "A", "lastName": "B"})),
                "email",
            ),
            (
                "a body field of the wrong type",
                post_user(json!({"email": "a@example.com", "firstName": 7, "lastName": "B"})),
                "firstName",
            ),
            (
                "a required body missing",
                http.post(format!("{base}/users")).header("Authorization", "prism-test-token"),
                "Body parameter is required",
            ),
        ];
        for (case, request, mentions) in cases {
            if mentions.is_empty() {
                // Auth: Prism answers 401 with a problem body, no violation list.
                let status = request.send().await.unwrap().status();
                assert_eq!(status, 401, "[{case}] Prism did not ask for credentials");
                continue;
            }
            assert_rejected(case, request, mentions).await;
        }
    });
}

/// Changes to the document that the checked-in client does not follow, each with the
/// operation that must then fail and what its failure must say.
fn disagreements(document: &mut Value) -> Vec<(&'static str, &'static str, &'static str)> {
    fn at<'d>(document: &'d mut Value, pointer: &str) -> &'d mut Value {
        document
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer} is not in the document any more"))
    }
    fn object<'d>(
        document: &'d mut Value,
        pointer: &str,
    ) -> &'d mut serde_json::Map<String, Value> {
        at(document, pointer).as_object_mut().expect("an object")
    }
    fn parameter<'d>(document: &'d mut Value, operation: &str, name: &str) -> &'d mut Value {
        at(document, &format!("{operation}/parameters"))
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{operation} has no parameter {name} any more"))
    }
    let mut cases = Vec::new();
    // A query parameter the client treats as optional becomes required.
    parameter(document, "/paths/~1energy~1datums/get", "projectIds")["required"] = json!(true);
    // Prism matches query names case-insensitively and reports them lowercased.
    cases.push(("datums", "a parameter that became required", "'projectids'"));
    // A date-time query parameter becomes a date.
    let operation = "/paths/~1energy~1datums~1consumption~1cost/get";
    parameter(document, operation, "start")["schema"]["format"] = json!("date");
    cases.push((
        "consumptionCostDatums",
        "a date-time that became a date",
        "parameter start must match format",
    ));
    // A body field the client treats as optional becomes required.
    *at(document, "/components/schemas/Portfolio/required") =
        json!(["name", "projects", "reports"]);
    cases.push((
        "createPortfolio",
        "a body field that became required",
        "reports",
    ));
    // (A response gaining a field is no disagreement any more: the client keeps properties
    // the document does not declare and writes them back, so the round trip stays exact.)
    // A required response field is renamed: the body no longer decodes.
    let user = object(document, "/components/schemas/User/properties");
    let email = user.remove("email").unwrap();
    user.insert("mail".into(), email);
    *at(document, "/components/schemas/User/required/0") = json!("mail");
    cases.push((
        "getUser",
        "a required response field renamed",
        "missing field `email`",
    ));
    // The success status changes.
    let responses = object(document, "/paths/~1projects~1{projectId}/delete/responses");
    let ok = responses.remove("200").unwrap();
    responses.insert("201".into(), ok);
    cases.push(("deleteProject", "a success status changed", "status 201"));
    cases
}

/// The checks catch a client that disagrees with the document: Prism serves a copy of the
/// spec changed in ways the checked-in client does not follow, and the same calls and checks
/// as the passes above must fail, each for its reason. (The negative test shows Prism rejects
/// wrong requests; this shows the harness notices, for requests and for responses.)
#[test]
fn the_checks_catch_a_client_that_disagrees_with_the_document() {
    if !server::available("the_checks_catch_a_client_that_disagrees_with_the_document") {
        return;
    }
    let text = std::fs::read_to_string(server::workspace().join("spec/ecosuite.yaml")).unwrap();
    let mut document: Value = serde_yaml::from_str(&text).unwrap();
    let cases = disagreements(&mut document);
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("prism-disagreeing-{}.json", std::process::id()));
    std::fs::write(&path, document.to_string()).unwrap();
    let prism = Prism::start_document(Mode::Static, &path);
    let _ = std::fs::remove_file(&path);
    block_on(async {
        let recorder = recorder::Recorder::start(prism.base_url()).await;
        let client = client(&recorder.base_url());
        for (id, change, expected) in cases {
            let op = OPERATIONS.iter().find(|op| op.id == id).unwrap();
            let verdict =
                calls::call(&client, &recorder, op, Fill::Required, 0, RoundTrip::Exact).await;
            match verdict {
                Ok(()) => panic!("[{change}] {op:?} passed against the changed document"),
                Err(why) => assert!(
                    why.contains(expected),
                    "[{change}] {op:?} failed, but not for `{expected}`: {why}"
                ),
            }
        }
    });
}

/// Prism takes `?START=` for `start` and ignores undeclared names, so the harness checks the
/// names itself; here it must refuse what Prism lets through.
#[test]
fn query_names_are_checked_where_prism_does_not() {
    let datums = OPERATIONS.iter().find(|op| op.id == "datums").unwrap();
    let exchange = |target: &str| recorder::Exchange {
        method: "GET".into(),
        target: target.into(),
        request_body: Vec::new(),
        status: 200,
        response_body: Vec::new(),
    };
    let check = |fill, target: &str| calls::check_query_names(datums, fill, &exchange(target));
    let (start, end) = ("2025-01-31T12:00:00Z", "2025-02-01T00:00:00Z");
    assert_eq!(
        check(
            Fill::Required,
            &format!("/energy/datums?start={start}&end={end}")
        ),
        Ok(())
    );
    for wrong in [
        format!("/energy/datums?START={start}&end={end}"),
        format!("/energy/datums?start={start}&end={end}&bogus=1"),
        format!("/energy/datums?start={start}&start={start}&end={end}"),
        format!("/energy/datums?start={start}"),
    ] {
        assert!(check(Fill::Required, &wrong).is_err(), "{wrong} passes");
    }
    // With every argument set, the optional names must be there too.
    assert!(check(
        Fill::All,
        &format!("/energy/datums?start={start}&end={end}")
    )
    .is_err());
}

/// The numbers the closing note asks for, printed with `--nocapture`.
#[test]
fn calls_per_pass() {
    let calls: usize = OPERATIONS
        .iter()
        .map(|op| calls_of(op, Calls::Sweep).count())
        .sum();
    let swept = OPERATIONS.iter().filter(|op| op.sweep > 1).count();
    println!(
        "{} operations, {calls} calls per pass ({swept} operations swept over enum values)",
        OPERATIONS.len()
    );
    assert!(calls >= 2 * OPERATIONS.len());
}
