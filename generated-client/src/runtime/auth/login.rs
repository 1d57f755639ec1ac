//! Logging in: username and password through Cognito (SRP by default), then an MFA code if
//! Cognito asks for one, answered by a callback or in a second step.

use std::fmt;
use std::sync::Arc;

use tracing::Instrument as _;

use super::cognito::{Answer, Challenge, Cognito, CognitoConfig, Tokens};
use super::error::{AuthError, AuthStep};
use super::session::Session;
use super::srp;
use super::Auth;
use crate::runtime::client::{Client, ClientBuilder, Parts};
use crate::runtime::error::Error;
use crate::runtime::secret::Secret;

/// How the password is checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthFlow {
    /// `USER_SRP_AUTH`: the password never leaves the machine (what Ecosuite's own example uses).
    #[default]
    UserSrp,
    /// `USER_PASSWORD_AUTH`: the password is sent to Cognito over TLS. Only for app clients
    /// that allow it.
    UserPassword,
}

/// Which kind of code Cognito asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MfaKind {
    /// A code from an authenticator app (`SOFTWARE_TOKEN_MFA`).
    Totp,
    /// A code sent by text message (`SMS_MFA`).
    Sms,
    /// A code sent by email (`EMAIL_OTP`).
    Email,
}

impl MfaKind {
    fn from_challenge(name: &str) -> Option<Self> {
        match name {
            "SOFTWARE_TOKEN_MFA" => Some(MfaKind::Totp),
            "SMS_MFA" => Some(MfaKind::Sms),
            "EMAIL_OTP" => Some(MfaKind::Email),
            _ => None,
        }
    }

    /// The challenge name, and the response field the code goes in.
    fn wire(self) -> (&'static str, &'static str) {
        match self {
            MfaKind::Totp => ("SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE"),
            MfaKind::Sms => ("SMS_MFA", "SMS_MFA_CODE"),
            MfaKind::Email => ("EMAIL_OTP", "EMAIL_OTP_CODE"),
        }
    }
}

impl fmt::Display for MfaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MfaKind::Totp => "a code from an authenticator app",
            MfaKind::Sms => "a code sent by text message",
            MfaKind::Email => "a code sent by email",
        })
    }
}

type MfaCallback = Box<dyn FnOnce(&MfaChallenge) -> Option<String> + Send>;

/// A login to configure, from [`ClientBuilder::login`] or [`Client::login`].
///
/// With a callback for the MFA code, in one go:
///
/// ```no_run
/// # async fn example() -> Result<(), ecosuite::Error> {
/// let client = ecosuite::Client::builder()
///     .login("user@example.com", "password")
///     .mfa(|challenge| {
///         println!("Enter {}:", challenge.kind());
///         let mut code = String::new();
///         std::io::stdin().read_line(&mut code).ok()?;
///         Some(code.trim().to_string())
///     })
///     .build()
///     .await?;
/// # let _ = client; Ok(()) }
/// ```
///
/// Or in two steps, when the code comes from elsewhere:
///
/// ```no_run
/// # async fn example(code: &str) -> Result<(), ecosuite::Error> {
/// use ecosuite::Login;
///
/// let client = match ecosuite::Client::login("user@example.com", "password").await? {
///     Login::Done(client) => client,
///     Login::Mfa(challenge) => challenge.respond(code).await?,
/// };
/// # let _ = client; Ok(()) }
/// ```
#[must_use = "a login does nothing until it is started"]
pub struct LoginBuilder {
    client: ClientBuilder,
    username: String,
    password: Secret,
    cognito: CognitoConfig,
    flow: AuthFlow,
    mfa: Option<MfaCallback>,
}

impl fmt::Debug for LoginBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginBuilder")
            .field("client", &self.client)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("cognito", &self.cognito)
            .field("flow", &self.flow)
            .field("mfa_callback", &self.mfa.is_some())
            .finish()
    }
}

impl LoginBuilder {
    pub(crate) fn new(client: ClientBuilder, username: String, password: String) -> Self {
        LoginBuilder {
            client,
            username,
            password: Secret::new(password),
            cognito: CognitoConfig::default(),
            flow: AuthFlow::default(),
            mfa: None,
        }
    }

    /// The user pool, app client and Cognito endpoint; Ecosuite's by default.
    pub fn cognito(mut self, cognito: CognitoConfig) -> Self {
        self.cognito = cognito;
        self
    }

    /// How the password is checked; SRP by default.
    pub fn flow(mut self, flow: AuthFlow) -> Self {
        self.flow = flow;
        self
    }

    /// Asked for the code when Cognito requires MFA; `None` abandons the login. It is called at
    /// most once; a wrong code fails the login (see [`MfaChallenge::respond`] to retry). It runs
    /// on the login's task, so a blocking terminal prompt suits a program that waits for it.
    pub fn mfa(
        mut self,
        callback: impl FnOnce(&MfaChallenge) -> Option<String> + Send + 'static,
    ) -> Self {
        self.mfa = Some(Box::new(callback));
        self
    }

    /// Logs in and returns the client, asking the [`mfa`](Self::mfa) callback for a code if
    /// Cognito wants one.
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when Cognito refuses (see [`AuthError::is_wrong_password`],
    /// [`AuthError::is_wrong_code`]), when it asks for a code and there is no callback, or when
    /// it cannot be reached; [`Error::Config`] for invalid settings.
    pub async fn build(self) -> Result<Client, Error> {
        match self.start().await? {
            Login::Done(client) => Ok(client),
            Login::Mfa(challenge) => Err(AuthError::MfaRequired(challenge.kind).into()),
        }
    }

    /// Logs in, and stops at an MFA challenge when there is no [`mfa`](Self::mfa) callback, so
    /// the code can be asked for in any way and sent with [`MfaChallenge::respond`].
    ///
    /// # Errors
    ///
    /// As for [`build`](Self::build).
    pub async fn start(self) -> Result<Login, Error> {
        let span = tracing::info_span!("cognito_login", flow = ?self.flow);
        self.start_in_span().instrument(span).await
    }

    async fn start_in_span(self) -> Result<Login, Error> {
        // Taken apart: the MFA callback is `Send` but not `Sync`, so the future may own it but
        // must not hold a borrow of `self` across an await.
        let LoginBuilder {
            client,
            username,
            password,
            cognito,
            flow,
            mfa,
        } = self;
        let (parts, _) = client.into_parts()?;
        let cognito = Cognito::new(&cognito, parts.http.clone(), parts.retry, parts.timeout)?;
        let (answer, user_id) = match flow {
            AuthFlow::UserSrp => srp_login(&cognito, &username, &password).await?,
            AuthFlow::UserPassword => {
                let answer = cognito
                    .initiate(
                        "USER_PASSWORD_AUTH",
                        &[("USERNAME", &username), ("PASSWORD", password.expose())],
                        AuthStep::Password,
                    )
                    .await?;
                (answer, username)
            }
        };
        let pending = Pending {
            parts,
            cognito,
            user_id,
        };
        match pending.next(answer, AuthStep::Password)? {
            Login::Mfa(challenge) => match mfa {
                Some(callback) => {
                    let code = callback(&challenge).ok_or(AuthError::MfaCancelled)?;
                    challenge.respond(&code).await.map(Login::Done)
                }
                None => Ok(Login::Mfa(challenge)),
            },
            done => Ok(done),
        }
    }
}

/// `USER_SRP_AUTH`: send A, receive B, salt and secret block, answer `PASSWORD_VERIFIER` with
/// the signature. Returns Cognito's answer to that, and the user ID Cognito knows the user by.
async fn srp_login(
    cognito: &Cognito,
    username: &str,
    password: &Secret,
) -> Result<(Answer, String), AuthError> {
    let step = AuthStep::Password;
    let protocol = |reason: &str| AuthError::Protocol {
        step,
        reason: reason.into(),
    };
    let ephemeral = srp::Ephemeral::generate().map_err(protocol)?;
    let answer = cognito
        .initiate(
            "USER_SRP_AUTH",
            &[("USERNAME", username), ("SRP_A", &ephemeral.public_hex())],
            step,
        )
        .await?;
    let challenge = match answer {
        Answer::Challenge(challenge) if challenge.name == "PASSWORD_VERIFIER" => challenge,
        Answer::Challenge(other) => return Err(AuthError::UnsupportedChallenge(other.name)),
        Answer::Tokens(_) => return Err(protocol("tokens came before the password was proven")),
    };
    // Cognito identifies the user by an internal ID (e.g. when logging in with an email).
    let user_id = challenge
        .parameters
        .get("USER_ID_FOR_SRP")
        .cloned()
        .unwrap_or_else(|| username.to_string());
    let server_public = srp::parse_hex(challenge.parameter("SRP_B", step)?)
        .ok_or_else(|| protocol("SRP_B is not hex"))?;
    let salt = srp::parse_hex(challenge.parameter("SALT", step)?)
        .ok_or_else(|| protocol("SALT is not hex"))?;
    let secret_block = challenge.parameter("SECRET_BLOCK", step)?;
    let key = ephemeral
        .password_key(
            cognito.pool_name(),
            &user_id,
            password.expose(),
            &server_public,
            &salt,
        )
        .map_err(protocol)?;
    let timestamp = srp::timestamp(chrono::DateTime::from(std::time::SystemTime::now()));
    let signature = srp::password_signature(
        &key,
        cognito.pool_name(),
        &user_id,
        secret_block,
        &timestamp,
    )
    .map_err(protocol)?;
    let answer = cognito
        .respond(
            "PASSWORD_VERIFIER",
            &[
                ("USERNAME", &user_id),
                ("PASSWORD_CLAIM_SECRET_BLOCK", secret_block),
                ("TIMESTAMP", &timestamp),
                ("PASSWORD_CLAIM_SIGNATURE", &signature),
            ],
            challenge.session.as_ref(),
            step,
        )
        .await?;
    Ok((answer, user_id))
}

/// What a login needs between its steps.
#[derive(Clone)]
struct Pending {
    parts: Parts,
    cognito: Cognito,
    user_id: String,
}

impl Pending {
    fn next(self, answer: Answer, step: AuthStep) -> Result<Login, Error> {
        match answer {
            Answer::Tokens(tokens) => Ok(Login::Done(self.client(tokens, step)?)),
            Answer::Challenge(challenge) => self.challenge(challenge),
        }
    }

    fn challenge(self, challenge: Challenge) -> Result<Login, Error> {
        let Some(kind) = MfaKind::from_challenge(&challenge.name) else {
            return Err(AuthError::UnsupportedChallenge(challenge.name).into());
        };
        let session = challenge.session.ok_or_else(|| AuthError::Protocol {
            step: AuthStep::Password,
            reason: format!("the {} challenge has no Session", challenge.name),
        })?;
        let mut parameters = challenge.parameters;
        let user_id = parameters
            .remove("USER_ID_FOR_SRP")
            .unwrap_or_else(|| self.user_id.clone());
        Ok(Login::Mfa(MfaChallenge {
            kind,
            destination: parameters.remove("CODE_DELIVERY_DESTINATION"),
            session,
            pending: Arc::new(Pending { user_id, ..self }),
        }))
    }

    fn client(self, tokens: Tokens, step: AuthStep) -> Result<Client, Error> {
        let session = Session::new(self.cognito, tokens, step)?;
        tracing::debug!("logged in");
        Ok(self.parts.into_client(Auth::Session(Arc::new(session))))
    }
}

/// The outcome of [`LoginBuilder::start`].
#[derive(Debug)]
#[must_use = "a pending MFA challenge must be answered to get a client"]
pub enum Login {
    /// Logged in: the client sends the user's ID token and renews it as needed.
    Done(Client),
    /// Cognito wants a code first.
    Mfa(MfaChallenge),
}

/// Cognito's request for an MFA code, answered with [`respond`](Self::respond).
pub struct MfaChallenge {
    kind: MfaKind,
    destination: Option<String>,
    session: Secret,
    pending: Arc<Pending>,
}

impl fmt::Debug for MfaChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaChallenge")
            .field("kind", &self.kind)
            .field("destination", &self.destination)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl MfaChallenge {
    pub fn kind(&self) -> MfaKind {
        self.kind
    }

    /// Where Cognito sent the code, masked as Cognito shows it (`+*******1234`), for SMS and
    /// email codes.
    pub fn destination(&self) -> Option<&str> {
        self.destination.as_deref()
    }

    /// Sends the code and, if Cognito accepts it, returns the logged-in client.
    ///
    /// After a wrong code ([`AuthError::is_wrong_code`]) this may be called again while
    /// Cognito still accepts the challenge (a few minutes, a few tries); after that, log in again.
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when Cognito refuses the code or cannot be reached.
    pub async fn respond(&self, code: &str) -> Result<Client, Error> {
        let span = tracing::info_span!("cognito_mfa", kind = ?self.kind);
        self.respond_in_span(code).instrument(span).await
    }

    async fn respond_in_span(&self, code: &str) -> Result<Client, Error> {
        let code = Secret::new(code.trim());
        let (challenge, field) = self.kind.wire();
        let pending = &self.pending;
        let answer = pending
            .cognito
            .respond(
                challenge,
                &[("USERNAME", &pending.user_id), (field, code.expose())],
                Some(&self.session),
                AuthStep::MfaCode,
            )
            .await?;
        match Pending::clone(pending).next(answer, AuthStep::MfaCode)? {
            Login::Done(client) => Ok(client),
            Login::Mfa(next) => {
                Err(AuthError::UnsupportedChallenge(next.kind.wire().0.into()).into())
            }
        }
    }
}
