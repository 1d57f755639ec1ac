//! Credentials: a token source for each of the document's security schemes the caller
//! configured, and, for each call, the credentials its operation's `security` asks for, renewed
//! when the server rejects them and sent where the scheme says (a header, a query parameter or
//! a cookie).
//!
//! Every credential is a [`TokenSource`]: a fixed token or key, HTTP basic's encoded pair, an
//! OAuth2 client-credentials grant ([`ClientCredentials`]) or a source of the caller's own. The
//! builder methods that set them are generated, one set per scheme, named after it.

mod client_credentials;
mod error;
mod schemes;
mod token_source;

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use reqwest::header::{HeaderValue, COOKIE};

pub use client_credentials::ClientCredentials;
pub use error::{AuthError, AuthStep, MfaKind};
pub(crate) use schemes::{Document, Placement, Scheme, Security};
pub use token_source::{RenewFuture, StaticToken, Token, TokenFuture, TokenSource};

use crate::runtime::client::{ClientBuilder, Parts};
use crate::runtime::error::Error;
use schemes::Target;

/// A token source, kept twice: as the trait object the client asks, and as `Any`, so that code
/// which put a concrete source in can take it out again (a login session, to save it).
#[derive(Clone)]
pub(crate) struct Source {
    dynamic: Arc<dyn TokenSource>,
    concrete: Arc<dyn Any + Send + Sync>,
}

impl Source {
    pub(crate) fn new<S: TokenSource>(source: S) -> Self {
        let shared = Arc::new(source);
        Source {
            dynamic: shared.clone(),
            concrete: shared,
        }
    }
}

/// Makes a source when the client is built, from its settings.
pub(crate) type MakeSource = Box<dyn FnOnce(&Parts) -> Result<Source, Error> + Send + Sync>;

/// What the builder was given for one scheme.
pub(crate) enum Pending {
    Ready(Source),
    /// Made when the client is built: a source that needs the HTTP client (an OAuth2 token
    /// endpoint, a login session) or a value checked then (a token).
    Deferred(MakeSource),
}

/// The credentials given to a builder, by scheme name; setting a scheme again replaces it.
#[derive(Default)]
pub(crate) struct PendingCredentials(Vec<(&'static str, Pending)>);

impl PendingCredentials {
    pub(crate) fn set(&mut self, scheme: &'static str, pending: Pending) {
        self.remove(scheme);
        self.0.push((scheme, pending));
    }

    pub(crate) fn remove(&mut self, scheme: &str) {
        self.0.retain(|(name, _)| *name != scheme);
    }
}

impl fmt::Debug for PendingCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, _)| (name, "<redacted>")))
            .finish()
    }
}

/// A client's credentials: the configured schemes, each with where it goes and its source.
#[derive(Clone, Default)]
pub(crate) struct Credentials(Vec<Entry>);

#[derive(Clone)]
struct Entry {
    scheme: &'static str,
    target: Target,
    source: Source,
}

/// The credentials of one attempt: which entry, and the token it gave.
pub(crate) type Sent = Vec<(usize, Token)>;

impl Credentials {
    /// Binds what the builder was given to the document's schemes, making deferred sources
    /// with the client's settings.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a scheme the document does not have, a header name it cannot
    /// send, or a source that cannot be made.
    pub(crate) fn bind(pending: PendingCredentials, parts: &Parts) -> Result<Self, Error> {
        let mut credentials = Credentials::default();
        for (scheme, pending) in pending.0 {
            let source = match pending {
                Pending::Ready(source) => source,
                Pending::Deferred(make) => make(parts)?,
            };
            credentials.set(parts.document, scheme, source)?;
        }
        Ok(credentials)
    }

    /// Sets the source of `scheme`, replacing the one it had.
    pub(crate) fn set(
        &mut self,
        document: &Document,
        scheme: &'static str,
        source: Source,
    ) -> Result<(), Error> {
        let declared = document.scheme(scheme).ok_or_else(|| {
            Error::Config(format!(
                "the API document has no security scheme named `{scheme}`"
            ))
        })?;
        let target = Target::new(declared).map_err(Error::Config)?;
        self.0.retain(|entry| entry.scheme != scheme);
        self.0.push(Entry {
            scheme,
            target,
            source,
        });
        Ok(())
    }

    /// The concrete source of `scheme`, when it is a `T`.
    pub(crate) fn source<T: Any + Send + Sync>(&self, scheme: &str) -> Option<Arc<T>> {
        let entry = self.0.iter().find(|entry| entry.scheme == scheme)?;
        entry.source.concrete.clone().downcast::<T>().ok()
    }

    /// The token `scheme` would send next, renewed first if it is about to expire.
    pub(crate) async fn token_of(&self, scheme: &str) -> Result<Option<Token>, Error> {
        match self.0.iter().find(|entry| entry.scheme == scheme) {
            Some(entry) => Ok(Some(entry.source.dynamic.token().await?)),
            None => Ok(None),
        }
    }

    /// The credentials for a call that accepts `security`, asked of their sources.
    pub(crate) async fn tokens(&self, security: Security) -> Result<Sent, Error> {
        let Some(alternative) =
            schemes::choose(security, |name| self.0.iter().any(|e| e.scheme == name))
        else {
            return Ok(Vec::new());
        };
        let mut sent = Vec::with_capacity(alternative.len());
        for (index, entry) in self.0.iter().enumerate() {
            if alternative.contains(&entry.scheme) {
                sent.push((index, entry.source.dynamic.token().await?));
            }
        }
        Ok(sent)
    }

    /// Fresh credentials after the server rejected `sent`, or `None` when no source could do
    /// better than what it gave (a fixed key).
    pub(crate) async fn renew(&self, sent: &Sent) -> Result<Option<Sent>, Error> {
        let mut renewed = false;
        let mut fresh = Vec::with_capacity(sent.len());
        for (index, token) in sent {
            match self.0[*index].source.dynamic.renew(token).await? {
                Some(new) => {
                    renewed = true;
                    fresh.push((*index, new));
                }
                None => fresh.push((*index, token.clone())),
            }
        }
        Ok(renewed.then_some(fresh))
    }

    /// Puts `sent` where each scheme says.
    pub(crate) fn apply(&self, sent: &Sent, request: &mut reqwest::Request) {
        for (index, token) in sent {
            match &self.0[*index].target {
                Target::Header(name, "") => {
                    request
                        .headers_mut()
                        .insert(name.clone(), token.header.clone());
                }
                Target::Header(name, prefix) => {
                    // The token is visible ASCII (`Token::new` checked), so this cannot fail.
                    if let Ok(mut value) =
                        HeaderValue::from_str(&format!("{prefix}{}", token.expose()))
                    {
                        value.set_sensitive(true);
                        request.headers_mut().insert(name.clone(), value);
                    }
                }
                Target::Query(name) => {
                    request
                        .url_mut()
                        .query_pairs_mut()
                        .append_pair(name, token.expose());
                }
                Target::Cookie(name) => {
                    let pair = format!("{name}={}", token.expose());
                    let cookie = match request.headers().get(COOKIE) {
                        Some(others) => {
                            format!("{}; {pair}", String::from_utf8_lossy(others.as_bytes()))
                        }
                        None => pair,
                    };
                    if let Ok(mut value) = HeaderValue::from_str(&cookie) {
                        value.set_sensitive(true);
                        request.headers_mut().insert(COOKIE, value);
                    }
                }
            }
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|entry| (entry.scheme, "<redacted>")))
            .finish()
    }
}

impl From<AuthError> for Error {
    fn from(error: AuthError) -> Self {
        Error::Auth(Box::new(error))
    }
}

/// What the generated builder methods call: one per kind of credential.
impl ClientBuilder {
    /// The builder without the credential it was given for `scheme`, if any.
    #[allow(dead_code)] // Used only by clients with a login of their own.
    pub(crate) fn without_credential(mut self, scheme: &str) -> Self {
        self.credentials.remove(scheme);
        self
    }

    /// A token or key for `scheme`, sent as it is (after the scheme's prefix). Checked when the
    /// client is built.
    #[allow(dead_code)] // Used only by documents with such schemes.
    pub(crate) fn scheme_token(mut self, scheme: &'static str, token: String) -> Self {
        self.credentials.set(
            scheme,
            Pending::Deferred(Box::new(move |_| {
                StaticToken::new(token).map(Source::new).map_err(|_| {
                    Error::Config(format!(
                        "the credential for `{scheme}` contains characters not allowed in a request"
                    ))
                })
            })),
        );
        self
    }

    /// The caller's own source of `scheme`'s token.
    #[allow(dead_code)] // Used only by documents with such schemes.
    pub(crate) fn scheme_source(mut self, scheme: &'static str, source: impl TokenSource) -> Self {
        self.credentials
            .set(scheme, Pending::Ready(Source::new(source)));
        self
    }

    /// HTTP basic: `username:password`, encoded once.
    #[allow(dead_code)] // Used only by documents with such schemes.
    pub(crate) fn scheme_basic(
        self,
        scheme: &'static str,
        username: String,
        password: String,
    ) -> Self {
        let encoded = STANDARD.encode(format!("{username}:{password}"));
        self.scheme_token(scheme, encoded)
    }

    /// OAuth2's client-credentials grant, asking `token_url` (the document's) unless the
    /// credentials name another.
    #[allow(dead_code)] // Used only by documents with such schemes.
    pub(crate) fn scheme_client_credentials(
        mut self,
        scheme: &'static str,
        credentials: ClientCredentials,
        token_url: &'static str,
    ) -> Self {
        self.credentials.set(
            scheme,
            Pending::Deferred(Box::new(move |parts: &Parts| {
                credentials
                    .into_source(
                        token_url,
                        &parts.base_url,
                        parts.http.clone(),
                        parts.timeout,
                    )
                    .map(Source::new)
                    .map_err(|reason| Error::Config(format!("`{scheme}`: {reason}")))
            })),
        );
        self
    }
}
