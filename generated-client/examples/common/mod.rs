//! What the examples share: settings from the environment (so they can be scripted and pointed
//! at test servers), the login with an MFA prompt, and how a failure ends the program.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::process::ExitCode;

use ecosuite::{CognitoConfig, Login, MfaChallenge};

/// The settings every example reads, for messages that say how to fix them.
const SETTINGS: &str = "\
Settings (environment variables):
  ECOSUITE_TOKEN         a Cognito ID token; skips the login
  ECOSUITE_USERNAME      the Ecosuite user to log in as (unless ECOSUITE_TOKEN is set)
  ECOSUITE_PASSWORD      that user's password
  ECOSUITE_TOTP_CODE     the MFA code, if Cognito asks for one (else asked on the terminal)
  ECOSUITE_BASE_URL      the API (default https://api.ecosuite.io)
  ECOSUITE_COGNITO_URL   the Cognito endpoint (default from the region)
  ECOSUITE_USER_POOL_ID  the Cognito user pool (default Ecosuite's)
  ECOSUITE_CLIENT_ID     the Cognito app client (default Ecosuite's)
  ECOSUITE_REGION        the AWS region (default the user pool's)";

/// Why an example stopped: a setting to fix (exit 2) or a call that failed (exit 1).
pub enum Failure {
    Settings(String),
    Call(ecosuite::Error),
}

impl From<ecosuite::Error> for Failure {
    fn from(error: ecosuite::Error) -> Self {
        match error {
            ecosuite::Error::Config(message) => Failure::Settings(message),
            other => Failure::Call(other),
        }
    }
}

impl Failure {
    pub fn exit(self) -> ExitCode {
        match self {
            Failure::Settings(message) => {
                eprintln!("error: {message}\n\n{SETTINGS}");
                ExitCode::from(2)
            }
            Failure::Call(error) => {
                eprintln!("error: {error}");
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    eprintln!("  caused by: {cause}");
                    source = cause.source();
                }
                ExitCode::from(1)
            }
        }
    }
}

/// A setting, if it is set to something other than blanks.
pub fn setting(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

fn required(name: &str) -> Result<String, Failure> {
    setting(name).ok_or_else(|| {
        Failure::Settings(format!(
            "{name} is not set (or set ECOSUITE_TOKEN to skip the login)"
        ))
    })
}

/// A client with a fixed token, or logged in with username, password and, if Cognito asks, an
/// MFA code.
pub async fn connect() -> Result<ecosuite::Client, Failure> {
    let mut builder = ecosuite::Client::builder();
    if let Some(url) = setting("ECOSUITE_BASE_URL") {
        builder = builder.base_url(url);
    }
    if let Some(token) = setting("ECOSUITE_TOKEN") {
        return Ok(builder.token(token).build()?);
    }
    let username = required("ECOSUITE_USERNAME")?;
    let password = required("ECOSUITE_PASSWORD")?;

    let mut cognito = CognitoConfig::default();
    if let Some(pool) = setting("ECOSUITE_USER_POOL_ID") {
        cognito = cognito.user_pool_id(pool);
    }
    if let Some(client_id) = setting("ECOSUITE_CLIENT_ID") {
        cognito = cognito.client_id(client_id);
    }
    if let Some(region) = setting("ECOSUITE_REGION") {
        cognito = cognito.region(region);
    }
    if let Some(url) = setting("ECOSUITE_COGNITO_URL") {
        cognito = cognito.endpoint(url);
    }

    match builder
        .login(username, password)
        .cognito(cognito)
        .start()
        .await?
    {
        Login::Done(client) => Ok(client),
        Login::Mfa(challenge) => {
            let code = mfa_code(&challenge)?;
            Ok(challenge.respond(&code).await?)
        }
        // A first login (a new password, an authenticator app to set up): `ecosuite login`
        // answers those at a terminal.
        Login::NewPassword(_) | Login::MfaSetup(_) => Err(Failure::Settings(
            "this is the user's first login: complete it with `ecosuite login` or in the web app"
                .into(),
        )),
    }
}

/// `ECOSUITE_TOTP_CODE`, or a code typed on the terminal.
fn mfa_code(challenge: &MfaChallenge) -> Result<String, Failure> {
    if let Some(code) = setting("ECOSUITE_TOTP_CODE") {
        return Ok(code);
    }
    let asks_for = match challenge.destination() {
        Some(destination) => format!("{} ({destination})", challenge.kind()),
        None => challenge.kind().to_string(),
    };
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Settings(format!(
            "Cognito asks for {asks_for}: set ECOSUITE_TOTP_CODE"
        )));
    }
    eprint!("Cognito asks for {asks_for}: ");
    let _ = std::io::stderr().flush();
    let mut code = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut code)
        .map_err(|e| Failure::Settings(format!("cannot read the code: {e}")))?;
    let code = code.trim().to_string();
    if code.is_empty() {
        return Err(Failure::Settings("no MFA code was entered".into()));
    }
    Ok(code)
}
