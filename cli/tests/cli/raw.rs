//! `--raw`: the answer's body exactly as the server sent it, for answers the API document
//! describes wrongly; the README's examples of it run as written.

use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{argv, ecosuite, Run, TOKEN};

async fn against(server: &MockServer, mut args: Vec<String>) -> Run {
    args.extend([
        "--base-url".into(),
        server.uri(),
        "--token".into(),
        TOKEN.into(),
    ]);
    ecosuite(args, None).await
}

/// The `ecosuite ...` lines of the sh block in the README's "When the document and the server
/// disagree" section, without what they are piped or redirected to.
fn readme_examples() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md at the workspace root");
    let section = readme
        .split("### When the document and the server disagree")
        .nth(1)
        .expect("the README has the section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the section has an sh block");
    block
        .lines()
        .filter(|line| line.starts_with("ecosuite "))
        .map(|line| {
            let command = line.split([' ', '|', '>']).collect::<Vec<_>>();
            let end = command
                .iter()
                .position(|w| w.is_empty())
                .unwrap_or(command.len());
            command[1..end].iter().map(|w| w.to_string()).collect()
        })
        .collect()
}

#[tokio::test]
async fn raw_prints_the_body_as_sent_and_the_readme_examples_run() {
    let server = MockServer::start().await;
    // `GET /users` answers a list where the document says one `User`.
    let users = "[ {\"email\": \"a@example.com\"},\n  {\"email\": \"b@example.com\"} ]";
    Mock::given(method("GET"))
        .and(path("/users"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(users, "application/json"))
        .mount(&server)
        .await;
    let csv = "date,energy\n2025-01-01,12.5\n";
    Mock::given(method("GET"))
        .and(path("/energy/export"))
        .and(query_param("format", "csv"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(csv, "text/csv"))
        .mount(&server)
        .await;

    let typed = against(&server, argv(&["user", "users"])).await;
    assert_eq!(
        typed.code, 4,
        "the typed call cannot decode it: {}",
        typed.stderr
    );

    let examples = readme_examples();
    assert_eq!(examples.len(), 2, "{examples:?}");
    let mut printed = Vec::new();
    for args in examples {
        let run = against(&server, args.clone()).await;
        assert_eq!(run.code, 0, "ecosuite {}: {}", args.join(" "), run.stderr);
        printed.push(run.stdout);
    }
    assert_eq!(printed, [users, csv], "byte for byte");
}

#[tokio::test]
async fn raw_prints_an_error_answer_and_exits_1() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/projects/PRJ9"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "no project PRJ9"})),
        )
        .mount(&server)
        .await;
    let run = against(&server, argv(&["--raw", "project", "project", "PRJ9"])).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, r#"{"message":"no project PRJ9"}"#);
    assert!(run.stderr.contains("404"), "{}", run.stderr);
}
