//! Credentials: none, a token source (a fixed token, or the caller's own), or a Cognito session
//! that logs in with SRP (or a plain password), answers MFA, a first login's new password and
//! an authenticator app's setup, keeps its ID token fresh, and can be saved and resumed.

mod cognito;
mod error;
mod jwt;
mod login;
mod saved;
mod session;
mod srp;
mod token_source;

use std::fmt;
use std::sync::Arc;

pub use cognito::CognitoConfig;
pub use error::{AuthError, AuthStep};
pub use login::{
    AuthFlow, Login, LoginBuilder, MfaChallenge, MfaKind, MfaSetupChallenge, NewPasswordChallenge,
};
pub use saved::SavedSession;
pub use token_source::{RenewFuture, StaticToken, Token, TokenFuture, TokenSource};

#[cfg(doc)]
use crate::runtime::client::Client;
use crate::runtime::client::ClientBuilder;
use crate::runtime::error::Error;
use cognito::{Cognito, Tokens};
use session::Session;

/// How a client authenticates its calls.
pub(crate) enum Auth {
    None,
    /// Sent as it is; never renewed.
    Static(StaticToken),
    /// A Cognito session: from a login, or resumed.
    Session(Arc<Session>),
    /// The caller's own.
    Source(Arc<dyn TokenSource>),
}

/// The `Authorization` value of one attempt, and which token it was, for a renewal.
pub(crate) type Credential = Token;

/// What the builder was told to authenticate with.
#[derive(Clone)]
pub(crate) enum Credentials {
    Token(String),
    Source(Arc<dyn TokenSource>),
    Session(Box<SavedSession>),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Token(_) => f.write_str("Token(<redacted>)"),
            Credentials::Source(_) => f.write_str("TokenSource"),
            Credentials::Session(saved) => f.debug_tuple("Session").field(saved).finish(),
        }
    }
}

impl Auth {
    /// The client's credentials from the builder's, with the settings of `parts` for Cognito.
    pub(crate) fn new(
        credentials: Option<Credentials>,
        parts: &crate::runtime::client::Parts,
    ) -> Result<Self, Error> {
        Ok(match credentials {
            None => Auth::None,
            Some(Credentials::Token(token)) => {
                Auth::Static(StaticToken::new(token).map_err(|_| {
                    Error::Config("the token contains characters not allowed in a header".into())
                })?)
            }
            Some(Credentials::Source(source)) => Auth::Source(source),
            Some(Credentials::Session(saved)) => {
                let cognito = Cognito::new(
                    &saved.cognito(),
                    parts.http.clone(),
                    parts.retry,
                    parts.timeout,
                )?;
                let tokens = Tokens {
                    id: saved.id_secret().clone(),
                    refresh: saved.refresh_secret().cloned(),
                };
                Auth::Session(Arc::new(Session::new(cognito, tokens, AuthStep::Refresh)?))
            }
        })
    }

    fn source(&self) -> Option<&dyn TokenSource> {
        match self {
            Auth::None => None,
            Auth::Static(token) => Some(token),
            Auth::Session(session) => Some(&**session),
            Auth::Source(source) => Some(&**source),
        }
    }

    /// The Cognito session to save, if the client has one.
    pub(crate) async fn saved_session(&self) -> Option<SavedSession> {
        match self {
            Auth::Session(session) => Some(session.saved().await),
            _ => None,
        }
    }

    /// The credential for the next attempt, renewed first if it is about to expire.
    pub(crate) async fn credential(&self) -> Result<Option<Credential>, Error> {
        match self.source() {
            None => Ok(None),
            Some(source) => Ok(Some(source.token().await?)),
        }
    }

    /// A fresh credential after the server rejected `rejected`, or `None` when it cannot be
    /// renewed (a fixed token).
    pub(crate) async fn renew(&self, rejected: &Credential) -> Result<Option<Credential>, Error> {
        match self.source() {
            None => Ok(None),
            Some(source) => Ok(source.renew(rejected).await?),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Auth::None => "None",
            Auth::Static(_) => "Token(<redacted>)",
            Auth::Session(_) => "CognitoSession(<redacted>)",
            Auth::Source(_) => "TokenSource",
        })
    }
}

impl From<AuthError> for Error {
    fn from(error: AuthError) -> Self {
        Error::Auth(Box::new(error))
    }
}

impl ClientBuilder {
    /// Resumes a saved Cognito session (from [`Client::saved_session`], perhaps in another
    /// process):
    /// no password, no MFA code. The ID token is renewed with the refresh token when it is
    /// about to expire, as after a login; when the refresh token has expired or was revoked,
    /// calls fail with [`AuthError::is_session_expired`] and the user has to log in again.
    /// Replaces a [`token`](Self::token) or [`token_source`](Self::token_source) set before.
    pub fn session(mut self, session: SavedSession) -> Self {
        self.credentials = Some(Credentials::Session(Box::new(session)));
        self
    }

    /// Asks `source` for the token of every call, and tells it when the API rejects one (see
    /// [`TokenSource`]). Replaces a [`token`](Self::token) or [`session`](Self::session) set
    /// before.
    pub fn token_source(mut self, source: impl TokenSource) -> Self {
        self.credentials = Some(Credentials::Source(Arc::new(source)));
        self
    }
}
