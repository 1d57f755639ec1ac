//! `ecosuite login` through the client's Cognito login, against a local stand-in for Cognito's
//! JSON API (the SRP arithmetic itself is tested with the client, in tests/tests/auth.rs).

use serde_json::{json, Value};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{argv, ecosuite};

const ID_TOKEN: &str = "eyJ.id-token.sig";

async fn cognito() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.InitiateAuth",
        ))
        .respond_with(|request: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            if body["AuthParameters"]["PASSWORD"] == "correct horse" {
                ResponseTemplate::new(200).set_body_json(json!({
                    "ChallengeName": "SOFTWARE_TOKEN_MFA",
                    "ChallengeParameters": {},
                    "Session": "session-1"
                }))
            } else {
                ResponseTemplate::new(400).set_body_json(json!({
                    "__type": "NotAuthorizedException",
                    "message": "Incorrect username or password."
                }))
            }
        })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.RespondToAuthChallenge",
        ))
        .respond_with(|request: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            if body["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"] == "123456" {
                ResponseTemplate::new(200).set_body_json(json!({
                    "AuthenticationResult": {"IdToken": ID_TOKEN, "RefreshToken": "refresh-1"}
                }))
            } else {
                ResponseTemplate::new(400).set_body_json(json!({
                    "__type": "CodeMismatchException",
                    "message": "Invalid code received for user"
                }))
            }
        })
        .mount(&server)
        .await;
    server
}

fn login_args(server: &MockServer, extra: &[&str]) -> Vec<String> {
    let mut args = argv(&[
        "login",
        "--flow",
        "password",
        "--username",
        "jane@example.com",
        "--cognito-url",
    ]);
    args.push(server.uri());
    args.extend(argv(extra));
    args
}

#[tokio::test]
async fn login_print_token_with_mfa_prints_the_id_token_alone() {
    let server = cognito().await;
    let run = ecosuite(
        login_args(
            &server,
            &["--print-token", "--password-stdin", "--totp-code", "123456"],
        ),
        Some(b"correct horse\n".to_vec()),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{ID_TOKEN}\n"));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests.len(),
        2,
        "InitiateAuth, then RespondToAuthChallenge"
    );
    let initiate: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(initiate["AuthFlow"], "USER_PASSWORD_AUTH");
    assert_eq!(initiate["AuthParameters"]["USERNAME"], "jane@example.com");
    let respond: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(respond["Session"], "session-1");
}

#[tokio::test]
async fn a_refused_login_exits_5_without_echoing_secrets() {
    let server = cognito().await;
    let run = ecosuite(
        login_args(&server, &["--password-stdin", "--totp-code", "123456"]),
        Some(b"wrong battery\n".to_vec()),
    )
    .await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("NotAuthorizedException"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("wrong battery"), "{}", run.stderr);

    let run = ecosuite(
        login_args(&server, &["--password-stdin", "--totp-code", "999999"]),
        Some(b"correct horse\n".to_vec()),
    )
    .await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stderr.contains("CodeMismatchException"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("999999") && !run.stderr.contains("session-1"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn without_a_password_or_a_terminal_it_says_how_to_give_one() {
    let server = cognito().await;
    let run = ecosuite(login_args(&server, &[]), None).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no password: set ECOSUITE_PASSWORD, or give --password-stdin"),
        "{}",
        run.stderr
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
