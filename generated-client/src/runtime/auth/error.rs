//! Why a credential could not be had: a login or session refresh (Ecosuite's Cognito), an
//! OAuth2 token request, a token that cannot be sent, or a token source of the caller's own.

use std::fmt;
use std::sync::Arc;

/// Which exchange with the authority that issues tokens failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthStep {
    /// Asking an OAuth2 token endpoint for an access token (the client-credentials grant).
    TokenRequest,
    /// Username and password (`InitiateAuth`, and the SRP password verifier).
    Password,
    /// The MFA code (`RespondToAuthChallenge`).
    MfaCode,
    /// Renewing the ID token with the refresh token (`REFRESH_TOKEN_AUTH`).
    Refresh,
    /// Choosing a new password on a first login (`NEW_PASSWORD_REQUIRED`).
    NewPassword,
    /// Setting up an authenticator app (`MFA_SETUP`: `AssociateSoftwareToken`,
    /// `VerifySoftwareToken`).
    MfaSetup,
}

impl fmt::Display for AuthStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthStep::Password => "the login",
            AuthStep::MfaCode => "the MFA code",
            AuthStep::Refresh => "the session refresh",
            AuthStep::NewPassword => "the new password",
            AuthStep::MfaSetup => "the authenticator app's setup",
            AuthStep::TokenRequest => "the token request",
        })
    }
}

impl AuthStep {
    /// Who answers this step.
    fn authority(self) -> &'static str {
        match self {
            AuthStep::TokenRequest => "the OAuth2 token endpoint",
            AuthStep::Password
            | AuthStep::MfaCode
            | AuthStep::Refresh
            | AuthStep::NewPassword
            | AuthStep::MfaSetup => "Cognito",
        }
    }
}

/// Which kind of MFA code a login asks for.
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

impl fmt::Display for MfaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MfaKind::Totp => "a code from an authenticator app",
            MfaKind::Sms => "a code sent by text message",
            MfaKind::Email => "a code sent by email",
        })
    }
}

/// A credential that could not be had: a failed login, session refresh or token request. Never
/// contains a password, secret, token or code: the messages are the authority's own error
/// messages or the client's. The variants about MFA, new passwords and challenges come from a
/// login flow (Ecosuite's Cognito login); clients of other documents never return them.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The authority refused. Cognito: a wrong username or password
    /// (`NotAuthorizedException`), a wrong or expired code (`CodeMismatchException`,
    /// `ExpiredCodeException`), an expired refresh token (`NotAuthorizedException`), an unknown
    /// user, too many attempts, ... An OAuth2 token endpoint: `invalid_client`,
    /// `invalid_scope`, ... (or the HTTP status when it gave no error code).
    #[error("{} refused {step}: {message} ({code}){}", step.authority(), hint(*.step))]
    Rejected {
        step: AuthStep,
        /// The authority's error code, e.g. `NotAuthorizedException` or `invalid_client`.
        code: String,
        message: String,
    },
    /// Cognito asks for an MFA code and no callback was given to answer it.
    #[error(
        "Cognito asks for {0}; answer with `LoginBuilder::mfa`, or use `LoginBuilder::start` and `MfaChallenge::respond`"
    )]
    MfaRequired(MfaKind),
    /// The MFA callback gave no code.
    #[error("no MFA code was given")]
    MfaCancelled,
    /// Cognito asks the user to choose a new password (a first login after an invitation) and
    /// no callback was given to answer it.
    #[error(
        "Cognito asks for a new password (a first login); answer with `LoginBuilder::new_password`, or use `LoginBuilder::start` and `NewPasswordChallenge::respond`"
    )]
    NewPasswordRequired,
    /// Cognito asks the user to set up an authenticator app and no callback was given to answer
    /// it.
    #[error(
        "Cognito asks to set up an authenticator app; answer with `LoginBuilder::mfa_setup`, or use `LoginBuilder::start` and `MfaSetupChallenge::verify`"
    )]
    MfaSetupRequired,
    /// The new-password callback gave no password.
    #[error("no new password was given")]
    NewPasswordCancelled,
    /// A token that cannot be sent in a header. The message does not quote it.
    #[error("the token cannot be used: {0}")]
    InvalidToken(&'static str),
    /// A [`TokenSource`](super::TokenSource) of the caller's own failed.
    #[error("the token source failed: {0}")]
    TokenSource(Arc<dyn std::error::Error + Send + Sync>),
    /// Cognito asks for something this client does not answer.
    #[error(
        "Cognito asks for `{0}`, which this client cannot answer; complete it in the web app, then log in again"
    )]
    UnsupportedChallenge(String),
    /// The session has no refresh token, so an expired ID token cannot be renewed.
    #[error("the ID token has expired and there is no refresh token; log in again")]
    NoRefreshToken,
    /// The authority's answer was not what its protocol documents.
    #[error("the answer of {} to {step} is not understood: {reason}", step.authority())]
    Protocol { step: AuthStep, reason: String },
    /// The authority could not be reached.
    #[error("cannot reach {} for {step}: {source}", step.authority())]
    Transport {
        step: AuthStep,
        #[source]
        source: Arc<reqwest::Error>,
    },
}

fn hint(step: AuthStep) -> &'static str {
    match step {
        AuthStep::Refresh => "; log in again",
        AuthStep::Password
        | AuthStep::MfaCode
        | AuthStep::NewPassword
        | AuthStep::MfaSetup
        | AuthStep::TokenRequest => "",
    }
}

impl AuthError {
    /// The error of a [`TokenSource`](super::TokenSource) of the caller's own. Keep secrets out
    /// of its message: it is shown and logged.
    pub fn token_source(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        AuthError::TokenSource(Arc::from(error.into()))
    }

    /// The authority's error code when it refused, e.g. Cognito's `NotAuthorizedException` or
    /// an OAuth2 token endpoint's `invalid_client`.
    pub fn code(&self) -> Option<&str> {
        match self {
            AuthError::Rejected { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The username or password is wrong (or the user does not exist: Cognito does not say
    /// which when it is set to prevent user enumeration).
    pub fn is_wrong_password(&self) -> bool {
        matches!(
            self,
            AuthError::Rejected { step: AuthStep::Password, code, .. }
                if code == "NotAuthorizedException" || code == "UserNotFoundException"
        )
    }

    /// The MFA code (or the first code of an authenticator app being set up) is wrong or
    /// expired.
    pub fn is_wrong_code(&self) -> bool {
        matches!(
            self,
            AuthError::Rejected { step: AuthStep::MfaCode | AuthStep::MfaSetup, code, .. }
                if code == "CodeMismatchException" || code == "ExpiredCodeException"
                    || code == "EnableSoftwareTokenMFAException"
        )
    }

    /// The new password does not meet the user pool's policy
    /// (`InvalidPasswordException`); another may be tried.
    pub fn is_invalid_password(&self) -> bool {
        matches!(
            self,
            AuthError::Rejected { step: AuthStep::NewPassword, code, .. }
                if code == "InvalidPasswordException"
        )
    }

    /// The session cannot be renewed any more; the user has to log in again.
    pub fn is_session_expired(&self) -> bool {
        matches!(
            self,
            AuthError::Rejected {
                step: AuthStep::Refresh,
                ..
            } | AuthError::NoRefreshToken
        )
    }
}
