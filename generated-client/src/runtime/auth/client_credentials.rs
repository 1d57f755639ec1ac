//! OAuth2's client-credentials grant (RFC 6749, section 4.4) as a [`TokenSource`]: the client
//! asks the token endpoint for an access token with its id and secret, keeps it until shortly
//! before it expires, and asks again when it expires or the API rejects it.

use std::fmt;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION};
use reqwest::Url;

use super::error::{AuthError, AuthStep};
use super::token_source::{RenewFuture, Token, TokenFuture, TokenSource};
use crate::runtime::secret::Secret;

/// A token is renewed this long before it expires, so a call does not reach the API with a
/// token that expires on the way.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// An OAuth2 client's id and secret, for a security scheme with a `clientCredentials` flow:
/// given to the builder method the scheme's name gives (`.oauth2_client_credentials(...)` for
/// a scheme named `OAuth2`), which knows the document's token URL.
///
/// ```
/// let credentials = ecosuite::ClientCredentials::new("my-client-id", "my-client-secret")
///     .scope("catalog");
/// assert!(!format!("{credentials:?}").contains("my-client-secret"));
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    token_url: Option<String>,
    secret_in_body: bool,
}

impl ClientCredentials {
    /// The client's id and secret. No scope is asked for unless [`scope`](Self::scope) adds one.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        ClientCredentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            scopes: Vec::new(),
            token_url: None,
            secret_in_body: false,
        }
    }

    /// Asks for this scope too (the token request's `scope` lists them, space-separated).
    #[must_use]
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Asks this token endpoint instead of the one the document names (an absolute URL, or a
    /// path relative to the client's base URL).
    #[must_use]
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Sends the id and secret as form fields (`client_secret_post`) instead of in an HTTP
    /// basic `Authorization` header (`client_secret_basic`, the default RFC 6749 asks servers
    /// to support), for token endpoints that accept only the former.
    #[must_use]
    pub fn secret_in_body(mut self) -> Self {
        self.secret_in_body = true;
        self
    }

    /// The token source these credentials make, asking `default_url` (the document's, made
    /// absolute against `base_url`) unless a token URL was set.
    pub(crate) fn into_source(
        self,
        default_url: &str,
        base_url: &str,
        http: reqwest::Client,
        timeout: Option<Duration>,
    ) -> Result<ClientCredentialsSource, String> {
        let url = self.token_url.as_deref().unwrap_or(default_url);
        let token_url = resolve(url, base_url)
            .map_err(|e| format!("the OAuth2 token URL `{url}` is not valid: {e}"))?;
        Ok(ClientCredentialsSource {
            credentials: self,
            token_url,
            http,
            timeout,
            current: tokio::sync::Mutex::new(None),
        })
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("token_url", &self.token_url)
            .finish()
    }
}

/// A token URL: absolute, or relative to the API's base URL (a document's
/// `tokenUrl: /v1/oauth/tokens` is on the API's own server).
fn resolve(url: &str, base_url: &str) -> Result<Url, String> {
    if let Ok(absolute) = Url::parse(url) {
        return Ok(absolute);
    }
    let base = format!("{}/", base_url.trim_end_matches('/'));
    Url::parse(&base)
        .and_then(|base| base.join(url.trim_start_matches('/')))
        .map_err(|e| e.to_string())
}

/// The token source of [`ClientCredentials`], made when the client is built.
pub(crate) struct ClientCredentialsSource {
    credentials: ClientCredentials,
    token_url: Url,
    http: reqwest::Client,
    timeout: Option<Duration>,
    /// The token last given, and when it stops being good; one lock, so that many calls
    /// needing a token at once make one token request.
    current: tokio::sync::Mutex<Option<Current>>,
}

struct Current {
    token: Token,
    renew_at: Option<Instant>,
}

impl ClientCredentialsSource {
    async fn fetch(&self, generation: u64) -> Result<Current, AuthError> {
        let step = AuthStep::TokenRequest;
        let credentials = &self.credentials;
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        let scope = credentials.scopes.join(" ");
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        let mut request = self
            .http
            .post(self.token_url.clone())
            .header(ACCEPT, "application/json");
        if credentials.secret_in_body {
            form.push(("client_id", &credentials.client_id));
            form.push(("client_secret", credentials.client_secret.expose()));
        } else {
            request = request.header(AUTHORIZATION, basic(credentials)?);
        }
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        let transport = |source: reqwest::Error| AuthError::Transport {
            step,
            source: std::sync::Arc::new(source),
        };
        let response = request.form(&form).send().await.map_err(transport)?;
        let status = response.status();
        let body = response.bytes().await.map_err(transport)?;
        if !status.is_success() {
            return Err(rejected(status, &body));
        }
        let answer: TokenAnswer =
            serde_json::from_slice(&body).map_err(|e| AuthError::Protocol {
                step,
                reason: format!("the token endpoint's answer is not an access token: {e}"),
            })?;
        if !answer.token_type.eq_ignore_ascii_case("bearer") {
            return Err(AuthError::Protocol {
                step,
                reason: format!(
                    "the token endpoint gave a `{}` token; only bearer tokens can be sent",
                    answer.token_type
                ),
            });
        }
        let token = Token::new(&answer.access_token)?.with_generation(generation);
        let renew_at = answer.expires_in.map(|seconds| {
            Instant::now() + Duration::from_secs(seconds).saturating_sub(EXPIRY_MARGIN)
        });
        tracing::debug!(expires_in = answer.expires_in, "got an OAuth2 access token");
        Ok(Current { token, renew_at })
    }
}

/// The token endpoint's answer (RFC 6749, section 5.1).
#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: String,
    token_type: String,
    expires_in: Option<u64>,
}

/// The token endpoint's error (RFC 6749, section 5.2): `invalid_client` and its description.
#[derive(serde::Deserialize)]
struct TokenError {
    error: String,
    error_description: Option<String>,
}

fn rejected(status: reqwest::StatusCode, body: &[u8]) -> AuthError {
    match serde_json::from_slice::<TokenError>(body) {
        Ok(error) => AuthError::Rejected {
            step: AuthStep::TokenRequest,
            code: error.error,
            message: error.error_description.unwrap_or_default(),
        },
        Err(_) => AuthError::Rejected {
            step: AuthStep::TokenRequest,
            code: status.as_u16().to_string(),
            message: status.canonical_reason().unwrap_or_default().to_string(),
        },
    }
}

/// `client_secret_basic`: id and secret, each form-encoded, in an HTTP basic header.
fn basic(credentials: &ClientCredentials) -> Result<HeaderValue, AuthError> {
    let encode = |text: &str| form_urlencoded(text);
    let pair = format!(
        "{}:{}",
        encode(&credentials.client_id),
        encode(credentials.client_secret.expose())
    );
    let mut value = HeaderValue::from_str(&format!("Basic {}", STANDARD.encode(pair)))
        .map_err(|_| AuthError::InvalidToken("the client id cannot be sent in a header"))?;
    value.set_sensitive(true);
    Ok(value)
}

fn form_urlencoded(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|pair| pair[1..].to_string())
        .unwrap_or_default()
}

impl TokenSource for ClientCredentialsSource {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let mut current = self.current.lock().await;
            match &*current {
                Some(Current { token, renew_at })
                    if renew_at.is_none_or(|at| Instant::now() < at) =>
                {
                    Ok(token.clone())
                }
                previous => {
                    let generation = previous.as_ref().map_or(0, |c| c.token.generation() + 1);
                    let fresh = self.fetch(generation).await?;
                    let token = fresh.token.clone();
                    *current = Some(fresh);
                    Ok(token)
                }
            }
        })
    }

    fn renew<'a>(&'a self, rejected: &'a Token) -> RenewFuture<'a> {
        Box::pin(async move {
            let mut current = self.current.lock().await;
            if let Some(Current { token, .. }) = &*current {
                // Another call renewed it since: that token, not another request.
                if token.generation() != rejected.generation() {
                    return Ok(Some(token.clone()));
                }
            }
            let fresh = self.fetch(rejected.generation() + 1).await?;
            let token = fresh.token.clone();
            *current = Some(fresh);
            Ok(Some(token))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_token_urls_are_on_the_api_server() {
        let url = resolve("/v1/oauth/tokens", "https://api.example.com/catalog").unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/catalog/v1/oauth/tokens"
        );
        let url = resolve("https://auth.example.com/token", "https://api.example.com").unwrap();
        assert_eq!(url.as_str(), "https://auth.example.com/token");
    }

    #[test]
    fn the_basic_header_form_encodes_id_and_secret() {
        let value = basic(&ClientCredentials::new("id:1", "s3cr&t")).unwrap();
        assert!(value.is_sensitive());
        let encoded = value.to_str().unwrap().strip_prefix("Basic ").unwrap();
        let decoded = String::from_utf8(STANDARD.decode(encoded).unwrap()).unwrap();
        assert_eq!(decoded, "id%3A1:s3cr%26t");
    }

    #[test]
    fn errors_of_the_token_endpoint_keep_its_code() {
        let error = rejected(
            reqwest::StatusCode::UNAUTHORIZED,
            br#"{"error":"invalid_client","error_description":"unknown client"}"#,
        );
        assert_eq!(error.code(), Some("invalid_client"));
        let error = rejected(reqwest::StatusCode::BAD_GATEWAY, b"<html>");
        assert_eq!(error.code(), Some("502"));
    }
}
