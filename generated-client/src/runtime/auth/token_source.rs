//! Where the token a call sends comes from: a trait the client asks before every attempt, and
//! tells when the server rejected what it was given.
//!
//! The trait returns boxed futures rather than using `async fn`: the client keeps its source as
//! an `Arc<dyn TokenSource>` (one client type, whatever the source), and an `async fn` in a
//! trait can neither be called through `dyn` nor promise that its future is `Send`, which every
//! request future must be to stay spawnable. One allocation per call is nothing next to the
//! HTTP request it authenticates.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use reqwest::header::HeaderValue;

use super::error::AuthError;

/// The future a [`TokenSource`] method returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, AuthError>> + Send + 'a>>;

/// The future [`TokenSource::renew`] returns: `None` when the source cannot do better than
/// the token it gave.
pub type RenewFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<Token>, AuthError>> + Send + 'a>>;

/// Gives the client the credential of one security scheme (a token or an API key, which the
/// client sends where the scheme says, after its `Bearer ` or `Basic ` prefix if it has one),
/// and hears when the server rejected one.
///
/// A fixed token ([`StaticToken`]), an OAuth2 client-credentials grant and, in the `ecosuite`
/// crate, a Cognito session are implementations; write one for a secrets manager, a token
/// minted by another service, ... and give it to the builder: `ClientBuilder::token_source` in
/// the `ecosuite` crate, the `<scheme>_source` method of each scheme in clients generated for
/// other documents:
///
/// ```
/// use ecosuite::{AuthError, RenewFuture, Token, TokenFuture, TokenSource};
///
/// /// Reads the token from a file that another process keeps fresh.
/// struct FromFile(std::path::PathBuf);
///
/// impl TokenSource for FromFile {
///     fn token(&self) -> TokenFuture<'_> {
///         Box::pin(async move {
///             let text = std::fs::read_to_string(&self.0).map_err(AuthError::token_source)?;
///             Token::new(text.trim())
///         })
///     }
///
///     // A 401: read the file again, in case it was replaced since.
///     fn renew<'a>(&'a self, _rejected: &'a Token) -> RenewFuture<'a> {
///         Box::pin(async move { self.token().await.map(Some) })
///     }
/// }
///
/// let client = ecosuite::Client::builder()
///     .token_source(FromFile("/run/secrets/ecosuite-token".into()))
///     .build()?;
/// # Ok::<(), ecosuite::Error>(())
/// ```
///
/// Every clone of the client shares the one source, so it may be asked from many tasks at
/// once; a source that renews should renew once for all of them (compare the rejected token
/// with its current one). An `Arc` of a source is a source too, to keep a handle on it.
///
/// The methods return boxed futures rather than being `async fn`s: the client holds any source
/// as one `Arc<dyn TokenSource>`, which an `async fn` in a trait does not allow, and the boxed
/// futures are `Send`, so every call made with the client can be spawned.
pub trait TokenSource: Send + Sync + 'static {
    /// The token for the next attempt of a call. Asked before every attempt, so keep it cheap
    /// when nothing has to be renewed.
    fn token(&self) -> TokenFuture<'_>;

    /// The server answered 401 to `rejected`: a fresh token to try once more, or `None` to give
    /// the 401 to the caller. The default gives up.
    fn renew<'a>(&'a self, rejected: &'a Token) -> RenewFuture<'a> {
        let _ = rejected;
        Box::pin(async { Ok(None) })
    }
}

impl<T: TokenSource + ?Sized> TokenSource for std::sync::Arc<T> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }

    fn renew<'a>(&'a self, rejected: &'a Token) -> RenewFuture<'a> {
        (**self).renew(rejected)
    }
}

/// A token (or key) to send. `Debug` does not show it.
#[derive(Clone)]
pub struct Token {
    pub(crate) header: HeaderValue,
    pub(crate) generation: u64,
    /// For the Cognito session: how many refreshes had been tried when this token was given.
    pub(crate) attempts: u64,
}

impl Token {
    /// A token, sent as it is.
    ///
    /// # Errors
    ///
    /// [`AuthError::InvalidToken`] when it holds characters a header cannot carry (a line
    /// break, say); the message does not quote it.
    pub fn new(value: impl AsRef<str>) -> Result<Self, AuthError> {
        let mut header = HeaderValue::from_str(value.as_ref()).map_err(|_| {
            AuthError::InvalidToken("it contains characters not allowed in a header")
        })?;
        header.set_sensitive(true);
        Ok(Token {
            header,
            generation: 0,
            attempts: 0,
        })
    }

    /// Numbers the token among those the source gave, so that [`TokenSource::renew`] can tell
    /// whether the token the server rejected is still the current one. 0 unless set.
    #[must_use]
    pub fn with_generation(mut self, generation: u64) -> Self {
        self.generation = generation;
        self
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The token itself. Keep it out of logs.
    pub fn expose(&self) -> &str {
        // Made from a `&str` by `Token::new`, so always visible ASCII.
        self.header.to_str().unwrap_or_default()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("value", &"<redacted>")
            .field("generation", &self.generation)
            .finish()
    }
}

/// A fixed token or key, sent as it is and never renewed: what the builder's methods that take
/// one (`ClientBuilder::token` in the `ecosuite` crate) use.
#[derive(Clone)]
pub struct StaticToken(Token);

impl StaticToken {
    /// # Errors
    ///
    /// As for [`Token::new`].
    pub fn new(token: impl AsRef<str>) -> Result<Self, AuthError> {
        Token::new(token.as_ref().trim()).map(StaticToken)
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let token = Token::new("eyJsecret").unwrap().with_generation(3);
        let shown = format!("{token:?} {:?}", StaticToken::new("eyJsecret").unwrap());
        assert!(!shown.contains("eyJsecret"), "{shown}");
        assert!(shown.contains("generation: 3"), "{shown}");
        assert_eq!(token.expose(), "eyJsecret");
    }

    #[test]
    fn a_token_that_cannot_be_a_header_is_refused_without_quoting_it() {
        let error = Token::new("secret\nvalue").unwrap_err();
        assert!(!error.to_string().contains("secret"), "{error}");
    }

    #[test]
    fn sources_are_objects_with_send_futures() {
        fn sendable<T: Send>(_: &T) {}
        let source: std::sync::Arc<dyn TokenSource> =
            std::sync::Arc::new(StaticToken::new("t").unwrap());
        sendable(&source.token());
    }
}
