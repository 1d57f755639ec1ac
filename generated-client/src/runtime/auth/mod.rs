//! Credentials: none, a fixed token, or a Cognito session that logs in with SRP (or a plain
//! password), answers MFA, and keeps its ID token fresh.

mod cognito;
mod error;
mod jwt;
mod login;
mod session;
mod srp;

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderValue;

pub use cognito::CognitoConfig;
pub use error::{AuthError, AuthStep};
pub use login::{AuthFlow, Login, LoginBuilder, MfaChallenge, MfaKind};

use crate::runtime::error::Error;
use session::{Credential as SessionCredential, Session};

/// How a client authenticates its calls.
pub(crate) enum Auth {
    None,
    /// Sent as it is; never renewed.
    Static(HeaderValue),
    Session(Arc<Session>),
}

/// The `Authorization` value of one attempt, and whether it can be renewed after a 401.
pub(crate) struct Credential {
    pub(crate) header: HeaderValue,
    renewable: Option<SessionCredential>,
}

impl Auth {
    /// The credential for the next attempt, renewed first if it is about to expire.
    pub(crate) async fn credential(&self) -> Result<Option<Credential>, Error> {
        match self {
            Auth::None => Ok(None),
            Auth::Static(header) => Ok(Some(Credential {
                header: header.clone(),
                renewable: None,
            })),
            Auth::Session(session) => {
                let credential = session.credential_for_call().await?;
                Ok(Some(Credential {
                    header: credential.header.clone(),
                    renewable: Some(credential),
                }))
            }
        }
    }

    /// A fresh credential after the server rejected `rejected`, or `None` when it cannot be
    /// renewed (a fixed token).
    pub(crate) async fn renew(&self, rejected: &Credential) -> Result<Option<Credential>, Error> {
        match (self, &rejected.renewable) {
            (Auth::Session(session), Some(rejected)) => {
                let credential = session.renew(rejected).await?;
                Ok(Some(Credential {
                    header: credential.header.clone(),
                    renewable: Some(credential),
                }))
            }
            _ => Ok(None),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Auth::None => "None",
            Auth::Static(_) => "Token(<redacted>)",
            Auth::Session(_) => "CognitoSession(<redacted>)",
        })
    }
}

impl From<AuthError> for Error {
    fn from(error: AuthError) -> Self {
        Error::Auth(Box::new(error))
    }
}
