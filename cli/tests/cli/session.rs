//! `ecosuite login` keeps the session; later commands, each a new process, use and renew it
//! with no password and no code; `ecosuite logout` forgets it; `--profile` keeps several.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{argv, ecosuite_with_env, Run, TempDir};

const PASSWORD: &str = "correct horse battery";

#[derive(Default)]
struct State {
    /// Valid ID tokens.
    valid: Vec<String>,
    issued: usize,
    refresh_expired: bool,
    /// What the API saw in `Authorization`.
    api_saw: Vec<String>,
    /// Cognito's requests: `AuthFlow`s, or the challenges answered.
    cognito_saw: Vec<String>,
    /// An invited user: the first login asks for a new password.
    invited: bool,
}

/// A Cognito that logs in with `USER_PASSWORD_AUTH` and refreshes, issuing ID tokens that
/// live the given seconds; and an API (`GET /projects`) that accepts only unexpired ones.
#[derive(Clone)]
struct Fake {
    state: Arc<Mutex<State>>,
    login_lifetime: i64,
    refresh_lifetime: i64,
}

impl Fake {
    fn id_token(&self, lifetime: i64) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let mut state = self.state.lock().unwrap();
        state.issued += 1;
        let payload = json!({"sub": "jane", "exp": now + lifetime, "n": state.issued});
        let token = format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.sig{}",
            URL_SAFE_NO_PAD.encode(payload.to_string()),
            state.issued
        );
        if lifetime > 0 {
            state.valid.push(token.clone());
        }
        token
    }

    fn api_saw(&self) -> Vec<String> {
        self.state.lock().unwrap().api_saw.clone()
    }

    fn cognito_saw(&self) -> Vec<String> {
        self.state.lock().unwrap().cognito_saw.clone()
    }
}

struct Cognito(Fake);

impl Respond for Cognito {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let flow = body["AuthFlow"]
            .as_str()
            .or(body["ChallengeName"].as_str())
            .unwrap_or_default()
            .to_string();
        self.0.state.lock().unwrap().cognito_saw.push(flow.clone());
        let refused = |message: &str| {
            ResponseTemplate::new(400)
                .set_body_json(json!({"__type": "NotAuthorizedException", "message": message}))
        };
        let invited = self.0.state.lock().unwrap().invited;
        match flow.as_str() {
            "USER_PASSWORD_AUTH" if invited && body["AuthParameters"]["PASSWORD"] == PASSWORD => {
                ResponseTemplate::new(200).set_body_json(json!({
                    "ChallengeName": "NEW_PASSWORD_REQUIRED",
                    "ChallengeParameters": {"requiredAttributes": "[]"},
                    "Session": "new-password-session"
                }))
            }
            "NEW_PASSWORD_REQUIRED" => {
                assert_eq!(body["Session"], "new-password-session");
                assert_eq!(body["ChallengeResponses"]["USERNAME"], "jane@example.com");
                assert_eq!(body["ChallengeResponses"]["NEW_PASSWORD"], "a new battery staple");
                self.0.state.lock().unwrap().invited = false;
                ResponseTemplate::new(200).set_body_json(json!({"AuthenticationResult": {
                    "IdToken": self.0.id_token(self.0.login_lifetime), "RefreshToken": "refresh-secret-1"
                }}))
            }
            "USER_PASSWORD_AUTH" if body["AuthParameters"]["PASSWORD"] == PASSWORD => {
                ResponseTemplate::new(200).set_body_json(json!({"AuthenticationResult": {
                    "IdToken": self.0.id_token(self.0.login_lifetime), "RefreshToken": "refresh-secret-1"
                }}))
            }
            "REFRESH_TOKEN_AUTH" => {
                if self.0.state.lock().unwrap().refresh_expired {
                    return refused("Refresh Token has expired");
                }
                assert_eq!(
                    body["AuthParameters"]["REFRESH_TOKEN"], "refresh-secret-1",
                    "the kept refresh token"
                );
                ResponseTemplate::new(200)
                    .set_body_json(json!({"AuthenticationResult": {
                        "IdToken": self.0.id_token(self.0.refresh_lifetime)
                    }}))
            }
            _ => refused("Incorrect username or password."),
        }
    }
}

struct Api(Fake);

impl Respond for Api {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let mut state = self.0.state.lock().unwrap();
        state.api_saw.push(token.clone());
        if state.valid.contains(&token) || token == "given-token" {
            ResponseTemplate::new(200).set_body_json(json!({"projects": []}))
        } else {
            ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthorized"}))
        }
    }
}

struct World {
    fake: Fake,
    cognito: MockServer,
    api: MockServer,
    config: TempDir,
}

impl World {
    async fn new(login_lifetime: i64, refresh_lifetime: i64) -> World {
        let fake = Fake {
            state: Arc::default(),
            login_lifetime,
            refresh_lifetime,
        };
        let cognito = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(Cognito(fake.clone()))
            .mount(&cognito)
            .await;
        let api = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/projects"))
            .respond_with(Api(fake.clone()))
            .mount(&api)
            .await;
        World {
            fake,
            cognito,
            api,
            config: TempDir::new(),
        }
    }

    /// `ecosuite ARGS` with this world's configuration directory, and nothing else.
    async fn run(&self, args: &[&str], env: Vec<(&'static str, String)>) -> Run {
        let mut args = argv(args);
        let command = args.first().cloned().unwrap_or_default();
        if command == "login" {
            args.extend(argv(&[
                "--flow",
                "password",
                "--username",
                "jane@example.com",
                "--cognito-url",
            ]));
            args.push(self.cognito.uri());
        } else if command != "logout" {
            args.extend(["--base-url".to_string(), self.api.uri()]);
        }
        let mut env = env;
        env.push(("ECOSUITE_CONFIG_DIR", self.config.path()));
        ecosuite_with_env(args, None, env).await
    }

    async fn login(&self, extra: &[&str]) -> Run {
        let mut args = vec!["login"];
        args.extend(extra);
        self.run(&args, vec![("ECOSUITE_PASSWORD", PASSWORD.to_string())])
            .await
    }

    fn session_file(&self, profile: &str) -> std::path::PathBuf {
        self.config
            .0
            .join("sessions")
            .join(format!("{profile}.json"))
    }

    fn saved(&self, profile: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.session_file(profile)).unwrap()).unwrap()
    }
}

#[tokio::test]
async fn logs_in_once_and_three_later_commands_need_nothing() {
    let world = World::new(3600, 3600).await;
    let run = world.login(&[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing on stdout without --print-token");
    let file = world.session_file("default");
    assert!(
        run.stderr.contains("Logged in as jane@example.com")
            && run.stderr.contains(&file.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("refresh-secret"), "{}", run.stderr);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode =
            |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600, "only its owner can read the session");
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }
    let saved = world.saved("default");
    assert_eq!(saved["refreshToken"], "refresh-secret-1");
    assert!(!saved.to_string().contains(PASSWORD));
    let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["default.json"], "no temporary file left");

    for _ in 0..3 {
        // No password, no code, no token: a new process each time.
        let run = world.run(&["project", "projects"], Vec::new()).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.json(), json!({"projects": []}));
    }
    let id_token = saved["idToken"].as_str().unwrap();
    assert_eq!(world.fake.api_saw(), [id_token, id_token, id_token]);
    assert_eq!(
        world.fake.cognito_saw(),
        ["USER_PASSWORD_AUTH"],
        "one login, no refresh"
    );
}

#[tokio::test]
async fn a_command_renews_the_session_and_keeps_the_renewed_one() {
    // The token of the login has expired already: the first command renews it.
    let world = World::new(-10, 3600).await;
    assert_eq!(world.login(&[]).await.code, 0);
    let first = world.saved("default")["idToken"].clone();

    let run = world.run(&["project", "projects"], Vec::new()).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        world.fake.cognito_saw(),
        ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]
    );
    let renewed = world.saved("default");
    assert_ne!(renewed["idToken"], first, "the renewed session is kept");
    assert_eq!(renewed["refreshToken"], "refresh-secret-1");

    // The next command uses the renewed token as it is.
    let run = world.run(&["project", "projects"], Vec::new()).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(world.fake.cognito_saw().len(), 2, "no second refresh");
    let renewed = renewed["idToken"].as_str().unwrap();
    assert_eq!(
        world.fake.api_saw(),
        [renewed, renewed],
        "the expired token was never sent"
    );
}

#[tokio::test]
async fn an_ended_session_says_how_to_log_in_again() {
    let world = World::new(-10, 3600).await;
    assert_eq!(world.login(&["--profile", "work"]).await.code, 0);
    world.fake.state.lock().unwrap().refresh_expired = true;
    let run = world
        .run(&["project", "projects", "--profile", "work"], Vec::new())
        .await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stderr.contains("Refresh Token has expired")
            && run
                .stderr
                .contains("log in again with `ecosuite login --profile work`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("refresh-secret"), "{}", run.stderr);
    assert!(world.fake.api_saw().is_empty());
}

#[tokio::test]
async fn profiles_keep_several_accounts_and_logout_forgets_one() {
    let world = World::new(3600, 3600).await;
    assert_eq!(world.login(&["--profile", "work"]).await.code, 0);
    assert!(world.session_file("work").exists());
    assert!(!world.session_file("default").exists());

    // The default profile has no session: no credentials are sent, the API refuses.
    let run = world.run(&["project", "projects"], Vec::new()).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = world
        .run(&["project", "projects", "--profile", "work"], Vec::new())
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = world
        .run(
            &["project", "projects"],
            vec![("ECOSUITE_PROFILE", "work".into())],
        )
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);

    let run = world
        .run(&["logout", "--profile", "work"], Vec::new())
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Logged out"), "{}", run.stderr);
    assert!(!world.session_file("work").exists());
    let run = world
        .run(&["logout", "--profile", "work"], Vec::new())
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("No session for profile `work`"),
        "{}",
        run.stderr
    );

    let run = world
        .run(&["logout", "--profile", "../x"], Vec::new())
        .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[tokio::test]
async fn a_token_given_wins_over_the_kept_session() {
    let world = World::new(3600, 3600).await;
    assert_eq!(world.login(&[]).await.code, 0);
    let run = world
        .run(
            &["project", "projects", "--token", "given-token"],
            Vec::new(),
        )
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = world
        .run(
            &["project", "projects"],
            vec![("ECOSUITE_TOKEN", "given-token".into())],
        )
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(world.fake.api_saw(), ["given-token", "given-token"]);
}

#[tokio::test]
async fn print_token_prints_the_token_and_keeps_nothing() {
    let world = World::new(3600, 3600).await;
    let run = world.login(&["--print-token"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let token = run.stdout.trim_end();
    assert!(
        token.starts_with("eyJ") && run.stdout.ends_with('\n'),
        "{}",
        run.stdout
    );
    assert!(!world.session_file("default").exists());
    let run = world
        .run(&["project", "projects", "--token", token], Vec::new())
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[cfg(unix)]
#[tokio::test]
async fn a_session_file_others_can_read_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt as _;
    let world = World::new(3600, 3600).await;
    assert_eq!(world.login(&[]).await.code, 0);
    let file = world.session_file("default");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = world.run(&["project", "projects"], Vec::new()).await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("chmod 600 {}", file.display())),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("refresh-secret"), "{}", run.stderr);
    assert!(world.fake.api_saw().is_empty(), "nothing is sent");

    // Fixed as told, it is used again.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = world.run(&["project", "projects"], Vec::new()).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[tokio::test]
async fn an_invited_user_chooses_a_new_password_at_the_first_login() {
    let world = World::new(3600, 3600).await;
    world.fake.state.lock().unwrap().invited = true;

    // Not at a terminal and no ECOSUITE_NEW_PASSWORD: it says how to give one.
    let run = world.login(&[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("ECOSUITE_NEW_PASSWORD"),
        "{}",
        run.stderr
    );
    assert!(!world.session_file("default").exists());

    let run = world
        .run(
            &["login"],
            vec![
                ("ECOSUITE_PASSWORD", PASSWORD.to_string()),
                ("ECOSUITE_NEW_PASSWORD", "a new battery staple".to_string()),
            ],
        )
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("battery"), "{}", run.stderr);
    let run = world.run(&["project", "projects"], Vec::new()).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        world.fake.cognito_saw(),
        [
            "USER_PASSWORD_AUTH",
            "USER_PASSWORD_AUTH",
            "NEW_PASSWORD_REQUIRED"
        ]
    );
}
