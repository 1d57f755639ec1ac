//! The README's command-line examples run as written (against a local server and a local
//! stand-in for Cognito), so the README cannot drift from what the binary accepts and prints.

use serde_json::json;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{ecosuite_with_env, TempDir, TOKEN};

/// One example: the `ecosuite ...` words, what is piped into it, what its output is piped to.
#[derive(Debug)]
struct Example {
    args: Vec<String>,
    stdin: Option<String>,
    piped_to: Option<String>,
}

/// The `sh` block of the README's command-line section, as examples: `ecosuite login ...`
/// first, then commands that use the session it kept.
fn examples() -> Vec<Example> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md at the workspace root");
    let section = readme
        .split("## The `ecosuite` command line")
        .nth(1)
        .expect("the README has a command-line section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the section has an sh block");
    let mut examples = Vec::new();
    let mut lines = block.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("ecosuite ") {
            continue;
        }
        let (command, piped_to) = match line.split_once(" | ") {
            Some((command, rest)) => (command, Some(rest.to_string())),
            None => (line, None),
        };
        let (command, stdin) = match command.split_once(" <<'") {
            Some((command, marker)) => {
                let marker = marker.trim_end_matches('\'');
                let body: Vec<&str> = lines.by_ref().take_while(|l| *l != marker).collect();
                (command, Some(body.join("\n")))
            }
            None => (command, None),
        };
        examples.push(Example {
            args: words(command).into_iter().skip(1).collect(),
            stdin,
            piped_to,
        });
    }
    examples
}

/// Shell words with single and double quotes; enough for the README's lines.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

#[tokio::test]
async fn the_readme_examples_run_as_written() {
    // Cognito, for the login: the password flow (the SRP arithmetic is tested with the client).
    let cognito = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.InitiateAuth",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "AuthenticationResult": {"IdToken": TOKEN, "RefreshToken": "refresh-1"}
        })))
        .mount(&cognito)
        .await;
    let server = MockServer::start().await;
    let project = json!({
        "code": "PRJ1", "status": "Operational", "name": "Solar One", "address": "1 Main St",
        "town": "Springfield", "state": "MA", "lat": 42.1, "long": -72.6,
        "startDate": "2023-05-01", "timezone": "America/New_York"
    });
    Mock::given(method("GET"))
        .and(path("/projects/PRJ1"))
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"project": project})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/energy/datums/projects/PRJ1"))
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "projectDatums": {"code": "PRJ1"}, "aggregation": "day"
        })))
        .mount(&server)
        .await;
    Mock::given(any())
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"event": {"id": "EVT-1"}})))
        .mount(&server)
        .await;

    let examples = examples();
    assert_eq!(examples.len(), 4, "{examples:#?}");
    assert_eq!(
        examples[0].args[0], "login",
        "the README starts by logging in"
    );
    let config = TempDir::new();
    for example in examples {
        let mut args = example.args.clone();
        let login = args[0] == "login";
        let mut env = vec![("ECOSUITE_CONFIG_DIR", config.path())];
        if login {
            args.extend(["--flow".into(), "password".into(), "--cognito-url".into()]);
            args.push(cognito.uri());
            env.push(("ECOSUITE_PASSWORD", "correct horse".into()));
        } else {
            // No token: the session the login kept.
            args.extend(["--base-url".into(), server.uri()]);
        }
        let stdin = example.stdin.clone().map(String::into_bytes);
        let run = ecosuite_with_env(args.clone(), stdin, env).await;
        let context = format!("README example `ecosuite {}`", example.args.join(" "));
        assert_eq!(run.code, 0, "{context}: {}", run.stderr);
        if login {
            assert!(
                run.stderr.contains("Logged in"),
                "{context}: {}",
                run.stderr
            );
            continue;
        }
        assert!(!run.stdout.is_empty(), "{context} prints the answer");
        if example.piped_to.as_deref() == Some("jq -r .project.status") {
            assert_eq!(run.json()["project"]["status"], "Operational", "{context}");
        }
    }
    let requests = server.received_requests().await.unwrap();
    let sent: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        sent,
        [
            "GET /projects/PRJ1",
            "GET /energy/datums/projects/PRJ1",
            "POST /events"
        ]
    );
}

#[test]
fn shell_words_keep_quoted_text_together() {
    assert_eq!(
        words(r#"ecosuite call x -p 'a=b c' -p "d=e""#),
        ["ecosuite", "call", "x", "-p", "a=b c", "-p", "d=e"]
    );
}
