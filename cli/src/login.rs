//! `ecosuite login`: logs in with the client's Cognito login (SRP by default; MFA, a first
//! login's new password and an authenticator app's setup when Cognito asks) and keeps the
//! session for later commands, or prints the ID token with `--print-token`, for
//! `export ECOSUITE_TOKEN=$(ecosuite login --print-token)`. `ecosuite logout` forgets it.
//!
//! Prompts go to stderr and read the terminal, so stdout carries the token alone. Passwords
//! are never taken as flags (they would stay in the shell's history and `ps`): the password
//! comes from ECOSUITE_PASSWORD, `--password-stdin`, or a prompt that does not echo; a new
//! one from ECOSUITE_NEW_PASSWORD or such a prompt.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use ecosuite::{AuthFlow, CognitoConfig, Login};

use crate::failure::Failure;
use crate::session::Store;

pub struct LoginOptions {
    print_token: bool,
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
        .about("Log in to Ecosuite and keep the session for later commands")
        .long_about(
            "Log in to Ecosuite's Cognito user pool and keep the session, so that later \
             commands need no password and no code:\n\n  \
             ecosuite login --username me@example.com\n  \
             ecosuite project projects\n\n\
             The session is kept in the user's configuration directory (ECOSUITE_CONFIG_DIR \
             to choose another), one file per --profile, readable by the user only; commands \
             renew it as needed, `ecosuite logout` forgets it. --token and ECOSUITE_TOKEN \
             win over it. With --print-token, nothing is kept and the ID token is printed \
             instead, valid for an hour:\n\n  \
             export ECOSUITE_TOKEN=$(ecosuite login --print-token --username me@example.com)\n\n\
             The password comes from ECOSUITE_PASSWORD, --password-stdin, or a prompt that \
             does not echo. An MFA code is asked for when Cognito wants one (or taken from \
             --totp-code / ECOSUITE_TOTP_CODE). On a first login, a new password is asked \
             for (or taken from ECOSUITE_NEW_PASSWORD), and an authenticator app is set up \
             if the user pool requires one.",
        )
        .arg(
            Arg::new("print-token")
                .long("print-token")
                .action(ArgAction::SetTrue)
                .help("Print an ID token on stdout instead of keeping the session"),
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
        print_token: matches.get_flag("print-token"),
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

pub fn logout_command() -> Command {
    Command::new("logout")
        .about("Forget the session `ecosuite login` kept (of --profile, or the default one)")
}

/// Logs in; keeps the session in `store`, or gives the ID token to print with `--print-token`.
pub async fn login(
    options: LoginOptions,
    builder: ecosuite::ClientBuilder,
    store: Result<Store, Failure>,
) -> Result<Option<String>, Failure> {
    // Before the password is asked for: a profile that cannot be kept is a mistake to say now.
    let store = if options.print_token {
        None
    } else {
        Some(store?)
    };
    let username = match options.username {
        Some(username) => username,
        None => prompt("Username: ")?,
    };
    let password = password(options.password_stdin)?;
    let mut login = builder
        .login(username.clone(), password)
        .cognito(options.cognito)
        .flow(options.flow)
        .start()
        .await?;
    let mut totp_code = options.totp_code;
    let client = loop {
        login = match login {
            Login::Done(client) => break client,
            Login::Mfa(challenge) => {
                let code = match totp_code.take() {
                    Some(code) => code,
                    None => {
                        let asks_for = match challenge.destination() {
                            Some(destination) => format!("{} ({destination})", challenge.kind()),
                            None => challenge.kind().to_string(),
                        };
                        prompt(&format!("Cognito asks for {asks_for}: "))?
                    }
                };
                Login::Done(challenge.respond(code.trim()).await?)
            }
            Login::NewPassword(challenge) => {
                if !challenge.required_attributes().is_empty() {
                    return Err(Failure::usage(format!(
                        "the first login also asks for {}; complete it in the web app, then log in again",
                        challenge.required_attributes().join(", ")
                    )));
                }
                challenge.respond(&new_password()?).await?
            }
            Login::MfaSetup(setup) => {
                eprintln!(
                    "Set up an authenticator app: add this account to it (most apps read it \
                     from a QR code of this text):\n\n  {}\n\nor type the key {}",
                    setup.otpauth_uri("Ecosuite"),
                    setup.secret()
                );
                let code = prompt("Code from the app: ")?;
                Login::Done(setup.verify(&code).await?)
            }
        };
    };
    let Some(store) = store else {
        let token = client
            .id_token()
            .await?
            .ok_or_else(|| Failure::usage("the login gave no token"))?;
        return Ok(Some(token));
    };
    let session = client
        .saved_session()
        .await
        .ok_or_else(|| Failure::usage("the login gave no session"))?;
    store.save(&session)?;
    eprintln!(
        "Logged in as {username}; the session (profile `{}`) is kept in {}",
        store.profile(),
        store.path().display()
    );
    Ok(None)
}

/// `ecosuite logout`.
pub fn logout(store: Store) -> Result<(), Failure> {
    if store.remove()? {
        eprintln!("Logged out: removed {}", store.path().display());
    } else {
        eprintln!("No session for profile `{}`", store.profile());
    }
    Ok(())
}

/// The new password of a first login: ECOSUITE_NEW_PASSWORD, or asked twice without echo.
fn new_password() -> Result<String, Failure> {
    if let Ok(password) = std::env::var("ECOSUITE_NEW_PASSWORD") {
        if !password.is_empty() {
            return Ok(password);
        }
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "this first login needs a new password: set ECOSUITE_NEW_PASSWORD, or run it at a terminal",
        ));
    }
    let read = |question: &str| {
        rpassword::prompt_password(question)
            .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))
    };
    let first = read("Choose a new password: ")?;
    if read("Type it again: ")? != first {
        return Err(Failure::usage("the two passwords differ"));
    }
    Ok(first)
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
