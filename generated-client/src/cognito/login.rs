//! Logging in: username and password through Cognito (SRP by default), then what Cognito asks
//! for next (an MFA code, a new password on a first login, an authenticator app's setup),
//! answered by async callbacks or step by step.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tracing::Instrument as _;

use super::session::Session;
use super::srp;
use super::user_pool::{Answer, Challenge, Cognito, CognitoConfig, Tokens};
use super::SCHEME;
use crate::runtime::auth::Source;
use crate::runtime::client::{Client, ClientBuilder, Parts};
use crate::runtime::error::Error;
use crate::runtime::secret::Secret;
use crate::runtime::{AuthError, AuthStep, MfaKind};

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

/// The challenge name of `kind`, and the response field the code goes in: Cognito's one
/// mapping, which [`mfa_kind`] reads backwards.
fn mfa_wire(kind: MfaKind) -> (&'static str, &'static str) {
    match kind {
        MfaKind::Totp => ("SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE"),
        MfaKind::Sms => ("SMS_MFA", "SMS_MFA_CODE"),
        MfaKind::Email => ("EMAIL_OTP", "EMAIL_OTP_CODE"),
    }
}

/// The kind of code a Cognito challenge asks for, if it is an MFA challenge.
fn mfa_kind(challenge: &str) -> Option<MfaKind> {
    [MfaKind::Totp, MfaKind::Sms, MfaKind::Email]
        .into_iter()
        .find(|&kind| mfa_wire(kind).0 == challenge)
}

/// What a callback of the login gives back: `None` abandons the login.
type Answered = Pin<Box<dyn Future<Output = Option<String>> + Send>>;
type Callback<T> = Box<dyn FnOnce(&T) -> Answered + Send>;

fn boxed<T, F, Fut>(callback: F) -> Callback<T>
where
    F: FnOnce(&T) -> Fut + Send + 'static,
    Fut: Future<Output = Option<String>> + Send + 'static,
{
    Box::new(move |challenge: &T| Box::pin(callback(challenge)) as Answered)
}

/// A login to configure, from [`ClientBuilder::login`] or [`Client::login`].
///
/// With callbacks for what Cognito may ask, in one go. They are async, so an answer that comes
/// from a web form or a chat message does not block a runtime thread; each gets the challenge
/// by reference and returns a future that owns what it needs:
///
/// ```no_run
/// # async fn example() -> Result<(), ecosuite::Error> {
/// # async fn ask(_: String) -> Option<String> { None }
/// let client = ecosuite::Client::builder()
///     .login("user@example.com", "password")
///     .mfa(|challenge| ask(format!("Enter {}:", challenge.kind())))
///     // A first login after an invitation:
///     .new_password(|_| ask("Choose a new password:".into()))
///     .mfa_setup(|setup| {
///         ask(format!("Add {} to your authenticator app, then enter its code:",
///             setup.otpauth_uri("Ecosuite")))
///     })
///     .build()
///     .await?;
/// # let _ = client; Ok(()) }
/// ```
///
/// Or step by step, when the answers come from elsewhere:
///
/// ```no_run
/// # async fn example(code: &str, new_password: &str) -> Result<(), ecosuite::Error> {
/// use ecosuite::Login;
///
/// // A new password (an invited user's first login) may lead to MFA, so loop until done.
/// let mut step = ecosuite::Client::login("user@example.com", "password").await?;
/// let client = loop {
///     step = match step {
///         Login::Done(client) => break client,
///         Login::Mfa(challenge) => Login::Done(challenge.respond(code).await?),
///         Login::NewPassword(challenge) => challenge.respond(new_password).await?,
///         Login::MfaSetup(setup) => Login::Done(setup.verify(code).await?),
///     };
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
    mfa: Option<Callback<MfaChallenge>>,
    new_password: Option<Callback<NewPasswordChallenge>>,
    mfa_setup: Option<Callback<MfaSetupChallenge>>,
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
            .field("new_password_callback", &self.new_password.is_some())
            .field("mfa_setup_callback", &self.mfa_setup.is_some())
            .finish()
    }
}

impl LoginBuilder {
    pub(crate) fn new(client: ClientBuilder, username: String, password: String) -> Self {
        LoginBuilder {
            // The login's session replaces any credential given before.
            client: client.without_credential(SCHEME),
            username,
            password: Secret::new(password),
            cognito: CognitoConfig::default(),
            flow: AuthFlow::default(),
            mfa: None,
            new_password: None,
            mfa_setup: None,
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
    /// most once; a wrong code fails the login (see [`MfaChallenge::respond`] to retry).
    pub fn mfa<F, Fut>(mut self, callback: F) -> Self
    where
        F: FnOnce(&MfaChallenge) -> Fut + Send + 'static,
        Fut: Future<Output = Option<String>> + Send + 'static,
    {
        self.mfa = Some(boxed(callback));
        self
    }

    /// Asked for a new password when Cognito requires one (the first login of an invited
    /// user, or after an administrator reset it); `None` abandons the login. Called at most
    /// once; see [`NewPasswordChallenge::respond`] to retry a password the pool refuses.
    pub fn new_password<F, Fut>(mut self, callback: F) -> Self
    where
        F: FnOnce(&NewPasswordChallenge) -> Fut + Send + 'static,
        Fut: Future<Output = Option<String>> + Send + 'static,
    {
        self.new_password = Some(boxed(callback));
        self
    }

    /// Asked for the first code of the user's authenticator app when Cognito requires setting
    /// one up (show the user [`MfaSetupChallenge::otpauth_uri`] first, e.g. as a QR code);
    /// `None` abandons the login. Called at most once.
    pub fn mfa_setup<F, Fut>(mut self, callback: F) -> Self
    where
        F: FnOnce(&MfaSetupChallenge) -> Fut + Send + 'static,
        Fut: Future<Output = Option<String>> + Send + 'static,
    {
        self.mfa_setup = Some(boxed(callback));
        self
    }

    /// Logs in and returns the client, asking the callbacks ([`mfa`](Self::mfa),
    /// [`new_password`](Self::new_password), [`mfa_setup`](Self::mfa_setup)) when Cognito asks
    /// for more than the password.
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when Cognito refuses (see [`AuthError::is_wrong_password`],
    /// [`AuthError::is_wrong_code`]), when it asks for something there is no callback for, or
    /// when it cannot be reached; [`Error::Config`] for invalid settings.
    pub async fn build(self) -> Result<Client, Error> {
        match self.start().await? {
            Login::Done(client) => Ok(client),
            Login::Mfa(challenge) => Err(AuthError::MfaRequired(challenge.kind).into()),
            Login::NewPassword(_) => Err(AuthError::NewPasswordRequired.into()),
            Login::MfaSetup(_) => Err(AuthError::MfaSetupRequired.into()),
        }
    }

    /// Sends the username and password. The answer is a client, or what Cognito asks for
    /// next, when there is no callback for it: an MFA code, a new password, an authenticator
    /// app to set up.
    ///
    /// # Errors
    ///
    /// As for [`build`](Self::build).
    pub async fn start(self) -> Result<Login, Error> {
        let span = tracing::info_span!("cognito_login", flow = ?self.flow);
        self.start_in_span().instrument(span).await
    }

    async fn start_in_span(self) -> Result<Login, Error> {
        // Taken apart: the callbacks are `Send` but not `Sync`, so the future may own them but
        // must not hold a borrow of `self` across an await.
        let LoginBuilder {
            client,
            username,
            password,
            cognito,
            flow,
            mut mfa,
            mut new_password,
            mut mfa_setup,
        } = self;
        let parts = client.into_parts()?;
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
                (answer, username.clone())
            }
        };
        let pending = Pending {
            parts,
            cognito,
            user_id,
            username: username.into(),
        };
        let mut login = pending.next(answer, AuthStep::Password).await?;
        loop {
            login = match login {
                Login::Done(_) => return Ok(login),
                Login::Mfa(challenge) => match mfa.take() {
                    Some(callback) => {
                        let code = callback(&challenge).await.ok_or(AuthError::MfaCancelled)?;
                        return challenge.respond(&code).await.map(Login::Done);
                    }
                    None => return Ok(Login::Mfa(challenge)),
                },
                Login::NewPassword(challenge) => match new_password.take() {
                    Some(callback) => {
                        let password = callback(&challenge)
                            .await
                            .ok_or(AuthError::NewPasswordCancelled)?;
                        challenge.respond(&password).await?
                    }
                    None => return Ok(Login::NewPassword(challenge)),
                },
                Login::MfaSetup(setup) => match mfa_setup.take() {
                    Some(callback) => {
                        let code = callback(&setup).await.ok_or(AuthError::MfaCancelled)?;
                        return setup.verify(&code).await.map(Login::Done);
                    }
                    None => return Ok(Login::MfaSetup(setup)),
                },
            };
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
    /// What Cognito knows the user by in challenge answers.
    user_id: String,
    /// What the user logged in with, for the authenticator app's label.
    username: Arc<str>,
}

impl Pending {
    async fn next(self, answer: Answer, step: AuthStep) -> Result<Login, Error> {
        match answer {
            Answer::Tokens(tokens) => Ok(Login::Done(self.client(tokens, step)?)),
            Answer::Challenge(challenge) => self.challenge(challenge, step).await,
        }
    }

    async fn challenge(self, challenge: Challenge, step: AuthStep) -> Result<Login, Error> {
        let name = challenge.name;
        let session = challenge.session.ok_or_else(|| AuthError::Protocol {
            step,
            reason: format!("the {name} challenge has no Session"),
        })?;
        let mut parameters = challenge.parameters;
        let user_id = parameters
            .remove("USER_ID_FOR_SRP")
            .unwrap_or_else(|| self.user_id.clone());
        let pending = Pending { user_id, ..self };
        if let Some(kind) = mfa_kind(&name) {
            return Ok(Login::Mfa(MfaChallenge {
                kind,
                destination: parameters.remove("CODE_DELIVERY_DESTINATION"),
                session,
                pending: Arc::new(pending),
            }));
        }
        match name.as_str() {
            "NEW_PASSWORD_REQUIRED" => {
                // A JSON list, as a string: `["userAttributes.name"]`.
                let required = parameters
                    .get("requiredAttributes")
                    .and_then(|list| serde_json::from_str::<Vec<String>>(list).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|name| match name.strip_prefix("userAttributes.") {
                        Some(short) => short.to_string(),
                        None => name,
                    })
                    .collect();
                Ok(Login::NewPassword(NewPasswordChallenge {
                    required_attributes: required,
                    session,
                    pending: Arc::new(pending),
                }))
            }
            "MFA_SETUP" => {
                // Which kinds of MFA may be set up: a JSON list, as a string.
                if let Some(kinds) = parameters.get("MFAS_CAN_SETUP") {
                    if !kinds.contains("SOFTWARE_TOKEN_MFA") {
                        let what = format!("MFA_SETUP ({kinds})");
                        return Err(AuthError::UnsupportedChallenge(what).into());
                    }
                }
                let (secret, session) = pending.cognito.associate_software_token(&session).await?;
                tracing::debug!("authenticator app associated; waiting for its first code");
                Ok(Login::MfaSetup(MfaSetupChallenge {
                    secret,
                    session,
                    pending: Arc::new(pending),
                }))
            }
            _ => Err(AuthError::UnsupportedChallenge(name).into()),
        }
    }

    fn client(self, tokens: Tokens, step: AuthStep) -> Result<Client, Error> {
        let session = Session::new(self.cognito, tokens, step)?;
        tracing::debug!("logged in");
        let mut parts = self.parts;
        parts
            .credentials
            .set(parts.document, SCHEME, Source::new(session))?;
        Ok(parts.into_client())
    }
}

/// The outcome of [`LoginBuilder::start`] and of the steps after it.
#[derive(Debug)]
#[must_use = "a pending challenge must be answered to get a client"]
pub enum Login {
    /// Logged in: the client sends the user's ID token and renews it as needed.
    Done(Client),
    /// Cognito wants an MFA code first.
    Mfa(MfaChallenge),
    /// Cognito wants a new password first: the first login of an invited user.
    NewPassword(NewPasswordChallenge),
    /// Cognito wants the user to set up an authenticator app first.
    MfaSetup(MfaSetupChallenge),
}

impl Login {
    /// The Cognito challenge still to answer, for an error saying that one came unexpectedly.
    fn unexpected(self) -> Error {
        let name = match self {
            Login::Done(_) => "none",
            Login::Mfa(challenge) => mfa_wire(challenge.kind).0,
            Login::NewPassword(_) => "NEW_PASSWORD_REQUIRED",
            Login::MfaSetup(_) => "MFA_SETUP",
        };
        AuthError::UnsupportedChallenge(name.into()).into()
    }

    fn into_client(self) -> Result<Client, Error> {
        match self {
            Login::Done(client) => Ok(client),
            other => Err(other.unexpected()),
        }
    }
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
        let (challenge, field) = mfa_wire(self.kind);
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
        Pending::clone(pending)
            .next(answer, AuthStep::MfaCode)
            .await?
            .into_client()
    }
}

/// Cognito's request for a new password (`NEW_PASSWORD_REQUIRED`): the first login of a user
/// an administrator invited, whose password was temporary. Answered with
/// [`respond`](Self::respond); Cognito may then ask for an MFA code or an authenticator app's
/// setup.
pub struct NewPasswordChallenge {
    required_attributes: Vec<String>,
    session: Secret,
    pending: Arc<Pending>,
}

impl fmt::Debug for NewPasswordChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewPasswordChallenge")
            .field("required_attributes", &self.required_attributes)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl NewPasswordChallenge {
    /// User attributes the pool wants set along with the password (`name`, `phone_number`,
    /// ...); give them to [`respond_with_attributes`](Self::respond_with_attributes).
    pub fn required_attributes(&self) -> &[String] {
        &self.required_attributes
    }

    /// Sets the new password. The answer is a client, or the next thing Cognito asks for.
    ///
    /// After a password the pool's policy refuses ([`AuthError::is_invalid_password`]) this may
    /// be called again with another.
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when Cognito refuses the password or cannot be reached.
    pub async fn respond(&self, new_password: &str) -> Result<Login, Error> {
        self.respond_with_attributes(new_password, &[]).await
    }

    /// Sets the new password and the [`required_attributes`](Self::required_attributes), as
    /// `(name, value)` pairs.
    ///
    /// # Errors
    ///
    /// As for [`respond`](Self::respond).
    pub async fn respond_with_attributes(
        &self,
        new_password: &str,
        attributes: &[(&str, &str)],
    ) -> Result<Login, Error> {
        let span = tracing::info_span!("cognito_new_password");
        self.respond_in_span(new_password, attributes)
            .instrument(span)
            .await
    }

    async fn respond_in_span(
        &self,
        new_password: &str,
        attributes: &[(&str, &str)],
    ) -> Result<Login, Error> {
        let password = Secret::new(new_password);
        let pending = &self.pending;
        let names: Vec<String> = attributes
            .iter()
            .map(|(name, _)| format!("userAttributes.{name}"))
            .collect();
        let mut responses = vec![
            ("USERNAME", pending.user_id.as_str()),
            ("NEW_PASSWORD", password.expose()),
        ];
        responses.extend(
            names
                .iter()
                .map(String::as_str)
                .zip(attributes.iter().map(|(_, v)| *v)),
        );
        let answer = pending
            .cognito
            .respond(
                "NEW_PASSWORD_REQUIRED",
                &responses,
                Some(&self.session),
                AuthStep::NewPassword,
            )
            .await?;
        Pending::clone(pending)
            .next(answer, AuthStep::NewPassword)
            .await
    }
}

/// Cognito's request to set up an authenticator app (`MFA_SETUP`). The app has been
/// associated with the user already: show the user [`otpauth_uri`](Self::otpauth_uri) (as a
/// QR code, or the [`secret`](Self::secret) to type in), then [`verify`](Self::verify) the
/// first code the app shows. Later logins ask for the app's code ([`MfaKind::Totp`]).
pub struct MfaSetupChallenge {
    secret: Secret,
    session: Secret,
    pending: Arc<Pending>,
}

impl fmt::Debug for MfaSetupChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaSetupChallenge")
            .field("secret", &self.secret)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl MfaSetupChallenge {
    /// The app's shared secret, in base32, for typing into an authenticator app. Show it to
    /// the user only: it is what the app's codes are made from.
    pub fn secret(&self) -> &str {
        self.secret.expose()
    }

    /// `otpauth://totp/<issuer>:<username>?secret=...&issuer=<issuer>`, what authenticator apps
    /// read from a QR code. `issuer` names the account in the app (e.g. `Ecosuite`). Holds the
    /// secret: show it to the user only.
    pub fn otpauth_uri(&self, issuer: &str) -> String {
        use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
        let encode = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}",
            encode(issuer),
            encode(&self.pending.username),
            encode(self.secret.expose()),
            encode(issuer)
        )
    }

    /// Sends the app's first code (`VerifySoftwareToken`), then completes the challenge.
    ///
    /// After a wrong code ([`AuthError::is_wrong_code`]) this may be called again with the
    /// app's next one while Cognito still accepts the challenge.
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when Cognito refuses the code or cannot be reached.
    pub async fn verify(&self, code: &str) -> Result<Client, Error> {
        let span = tracing::info_span!("cognito_mfa_setup");
        self.verify_in_span(code).instrument(span).await
    }

    async fn verify_in_span(&self, code: &str) -> Result<Client, Error> {
        let code = Secret::new(code.trim());
        let pending = &self.pending;
        let session = pending
            .cognito
            .verify_software_token(&self.session, &code, None)
            .await?;
        let answer = pending
            .cognito
            .respond(
                "MFA_SETUP",
                &[("USERNAME", &pending.user_id)],
                Some(&session),
                AuthStep::MfaSetup,
            )
            .await?;
        Pending::clone(pending)
            .next(answer, AuthStep::MfaSetup)
            .await?
            .into_client()
    }
}
