//! Ecosuite's sign-in: its Cognito user pool, logged into with SRP (or a plain password),
//! answering MFA, a first login's new password and an authenticator app's setup, keeping the ID
//! token fresh, saving and resuming the session; and the builder methods that give the client a
//! token, a token source or a session.
//!
//! Only the `ecosuite` crate has this module. The runtime it builds on is every generated
//! client's; clients of other documents get their credentials from builder methods generated
//! from the document's `securitySchemes`.

mod jwt;
mod login;
mod saved;
mod session;
mod srp;
mod user_pool;

use std::sync::Arc;

pub use login::{
    AuthFlow, Login, LoginBuilder, MfaChallenge, MfaSetupChallenge, NewPasswordChallenge,
};
pub use saved::SavedSession;
pub use user_pool::CognitoConfig;

use crate::runtime::auth::{Pending, Source};
use crate::runtime::{AuthStep, Client, ClientBuilder, Error, StaticToken, TokenSource};
use session::Session;
use user_pool::{Cognito, Tokens};

/// The Ecosuite document's one security scheme: the user's Cognito ID token, sent as it is (no
/// `Bearer`) in `Authorization`. Every credential set here is this scheme's.
const SCHEME: &str = "ApiKeyAuth";

impl ClientBuilder {
    /// The token sent in `Authorization` on every request: the user's Cognito ID token, sent
    /// as it is. It is never renewed; [`login`](Self::login) gives a session that is. Replaces
    /// a [`session`](Self::session) or [`token_source`](Self::token_source) set before.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.credentials.set(
            SCHEME,
            Pending::Deferred(Box::new(move |_| {
                StaticToken::new(token).map(Source::new).map_err(|_| {
                    Error::Config("the token contains characters not allowed in a header".into())
                })
            })),
        );
        self
    }

    /// Asks `source` for the token of every call, and tells it when the API rejects one (see
    /// [`TokenSource`]). Replaces a [`token`](Self::token) or [`session`](Self::session) set
    /// before.
    pub fn token_source(self, source: impl TokenSource) -> Self {
        self.scheme_source(SCHEME, source)
    }

    /// Logs in with a username and password instead of a fixed token; see [`LoginBuilder`].
    /// The session's ID token is renewed before it expires, and when the API rejects it.
    pub fn login(self, username: impl Into<String>, password: impl Into<String>) -> LoginBuilder {
        LoginBuilder::new(self, username.into(), password.into())
    }

    /// Resumes a saved Cognito session (from [`Client::saved_session`], perhaps in another
    /// process): no password, no MFA code. The ID token is renewed with the refresh token when
    /// it is about to expire, as after a login; when the refresh token has expired or was
    /// revoked, calls fail with [`AuthError::is_session_expired`](crate::AuthError::is_session_expired)
    /// and the user has to log in again. Replaces a [`token`](Self::token) or
    /// [`token_source`](Self::token_source) set before.
    pub fn session(mut self, saved: SavedSession) -> Self {
        self.credentials.set(
            SCHEME,
            Pending::Deferred(Box::new(move |parts| {
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
                Ok(Source::new(Session::new(
                    cognito,
                    tokens,
                    AuthStep::Refresh,
                )?))
            })),
        );
        self
    }
}

impl Client {
    /// Logs in to Ecosuite's Cognito user pool with `USER_SRP_AUTH`, with every other setting
    /// at its default. The same as `Client::builder().login(username, password).start()`; use
    /// the builder to change the base URL, Cognito settings or timeouts.
    ///
    /// # Errors
    ///
    /// As for [`LoginBuilder::start`].
    pub async fn login(
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Result<Login, Error> {
        Client::builder().login(username, password).start().await
    }

    /// The client's Cognito session, to save and resume later with
    /// [`ClientBuilder::session`]: `None` unless the client logged in or resumed a session.
    /// Ask again after calls: the ID token (and, in pools that rotate them, the refresh token)
    /// change when the session is renewed. Waits for a renewal under way.
    pub async fn saved_session(&self) -> Option<SavedSession> {
        let session: Arc<Session> = self.credentials().source(SCHEME)?;
        Some(session.saved().await)
    }

    /// The ID token the next call will send, renewed first if it is about to expire: for
    /// handing a logged-in session to another program (`ecosuite login --print-token` prints
    /// it). `None` when the client has no credentials.
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when the session has to be renewed and cannot be.
    pub async fn id_token(&self) -> Result<Option<String>, Error> {
        let token = self.credentials().token_of(SCHEME).await?;
        Ok(token.map(|token| token.expose().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_token() {
        let client = Client::builder()
            .token("eyJsecret-token")
            .base_url("http://127.0.0.1:1/")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("eyJsecret"), "{shown}");
        assert!(shown.contains("http://127.0.0.1:1"), "{shown}");
        let builder = format!("{:?}", Client::builder().token("eyJsecret-token"));
        assert!(!builder.contains("eyJsecret"), "{builder}");
        let login = format!(
            "{:?}",
            Client::builder()
                .token("eyJsecret-token")
                .login("user", "pa55word")
        );
        assert!(
            !login.contains("eyJsecret") && !login.contains("pa55word"),
            "{login}"
        );
    }

    #[test]
    fn the_scheme_is_the_documents() {
        // The credentials set here are refused by `build` if the document renames its scheme.
        assert!(Client::builder().token("t").build().is_ok());
        assert!(matches!(
            Client::builder().token("a\nb").build(),
            Err(Error::Config(message)) if message.contains("not allowed in a header")
        ));
    }

    #[test]
    fn logins_are_send() {
        fn sendable<T: Send>(_: &T) {}
        sendable(&Client::login("u", "p"));
        sendable(
            &Client::builder()
                .login("u", "p")
                .mfa(|_| async { None })
                .build(),
        );
    }
}
