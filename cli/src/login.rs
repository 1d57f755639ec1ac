//! `ecosuite login`: logs in with the client's Cognito login (SRP by default, MFA when asked)
//! and prints the ID token, for `export ECOSUITE_TOKEN=$(ecosuite login)`.
//!
//! Prompts go to stderr and read the terminal, so stdout carries the token alone. The
//! password is never taken as a flag (it would stay in the shell's history and `ps`): it comes
//! from ECOSUITE_PASSWORD, `--password-stdin`, or a prompt that does not echo.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use ecosuite::{AuthFlow, CognitoConfig, Login};

use crate::failure::Failure;

pub struct LoginOptions {
    username: Option<String>,
    password_stdin: bool,
    totp_code: Option<String>,
    flow: AuthFlow,
    cognito: CognitoConfig,
}

pub fn command() -> Command {
    let setting = |id: &'static str, env: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .env(env)
            .hide_env_values(true)
            .help(help)
    };
    Command::new("login")
        .about("Log in to Ecosuite and print an ID token for --token or ECOSUITE_TOKEN")
        .long_about(
            "Log in to Ecosuite's Cognito user pool and print an ID token on stdout:\n\n  \
             export ECOSUITE_TOKEN=$(ecosuite login --username me@example.com)\n\n\
             The password comes from ECOSUITE_PASSWORD, --password-stdin, or a prompt that \
             does not echo. An MFA code is asked for when Cognito wants one (or taken from \
             --totp-code / ECOSUITE_TOTP_CODE). The token is valid for an hour.",
        )
        .arg(setting("username", "ECOSUITE_USERNAME", "The Ecosuite user").value_name("EMAIL"))
        .arg(
            Arg::new("password-stdin")
                .long("password-stdin")
                .action(ArgAction::SetTrue)
                .help("Read the password from the first line of stdin"),
        )
        .arg(
            setting(
                "totp-code",
                "ECOSUITE_TOTP_CODE",
                "The MFA code, if Cognito asks for one",
            )
            .value_name("CODE"),
        )
        .arg(
            Arg::new("flow")
                .long("flow")
                .value_name("FLOW")
                .value_parser(PossibleValuesParser::new(["srp", "password"]))
                .default_value("srp")
                .help(
                    "USER_SRP_AUTH (the password never leaves this machine) or USER_PASSWORD_AUTH",
                ),
        )
        .arg(
            setting(
                "cognito-url",
                "ECOSUITE_COGNITO_URL",
                "The Cognito endpoint [default: from the region]",
            )
            .value_name("URL"),
        )
        .arg(
            setting(
                "user-pool-id",
                "ECOSUITE_USER_POOL_ID",
                "The Cognito user pool [default: Ecosuite's]",
            )
            .value_name("ID"),
        )
        .arg(
            setting(
                "client-id",
                "ECOSUITE_CLIENT_ID",
                "The Cognito app client [default: Ecosuite's]",
            )
            .value_name("ID"),
        )
        .arg(
            setting(
                "region",
                "ECOSUITE_REGION",
                "The AWS region [default: the user pool's]",
            )
            .value_name("REGION"),
        )
}

pub fn options(matches: &ArgMatches) -> LoginOptions {
    let text = |id: &str| {
        matches
            .get_one::<String>(id)
            .filter(|v| !v.trim().is_empty())
            .cloned()
    };
    let mut cognito = CognitoConfig::default();
    if let Some(pool) = text("user-pool-id") {
        cognito = cognito.user_pool_id(pool);
    }
    if let Some(client_id) = text("client-id") {
        cognito = cognito.client_id(client_id);
    }
    if let Some(region) = text("region") {
        cognito = cognito.region(region);
    }
    if let Some(url) = text("cognito-url") {
        cognito = cognito.endpoint(url);
    }
    LoginOptions {
        username: text("username"),
        password_stdin: matches.get_flag("password-stdin"),
        totp_code: text("totp-code"),
        flow: match text("flow").as_deref() {
            Some("password") => AuthFlow::UserPassword,
            _ => AuthFlow::UserSrp,
        },
        cognito,
    }
}

/// Logs in and gives the ID token.
pub async fn login(
    options: LoginOptions,
    builder: ecosuite::ClientBuilder,
) -> Result<String, Failure> {
    let username = match options.username {
        Some(username) => username,
        None => prompt("Username: ")?,
    };
    let password = password(options.password_stdin)?;
    let login = builder
        .login(username, password)
        .cognito(options.cognito)
        .flow(options.flow)
        .start()
        .await?;
    let client = match login {
        Login::Done(client) => client,
        Login::Mfa(challenge) => {
            let code = match options.totp_code {
                Some(code) => code,
                None => {
                    let asks_for = match challenge.destination() {
                        Some(destination) => format!("{} ({destination})", challenge.kind()),
                        None => challenge.kind().to_string(),
                    };
                    prompt(&format!("Cognito asks for {asks_for}: "))?
                }
            };
            challenge.respond(code.trim()).await?
        }
    };
    client
        .id_token()
        .await?
        .ok_or_else(|| Failure::usage("the login gave no token"))
}

fn password(from_stdin: bool) -> Result<String, Failure> {
    if let Ok(password) = std::env::var("ECOSUITE_PASSWORD") {
        if !password.is_empty() {
            return Ok(password);
        }
    }
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("cannot read the password from stdin: {e}")))?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "no password: set ECOSUITE_PASSWORD, or give --password-stdin",
        ));
    }
    rpassword::prompt_password("Password: ")
        .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))
}

/// Asks on stderr and reads a line from the terminal.
fn prompt(question: &str) -> Result<String, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "`{}` needs an answer, and stdin is not a terminal: give it as an option",
            question.trim_end_matches([':', ' '])
        )));
    }
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::usage(format!("cannot read the answer: {e}")))?;
    let answer = answer.trim().to_string();
    if answer.is_empty() {
        return Err(Failure::usage("no answer given"));
    }
    Ok(answer)
}
