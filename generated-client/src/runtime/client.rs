//! `Client` and its builder: where requests go, with which credentials and limits.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use reqwest::{StatusCode, Url};

use super::error::Error;
use super::request::Request;
use super::response::Response;

/// How long a whole request may take unless the builder says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for the API. Cheap to clone: clones share one connection pool.
///
/// Made with [`Client::builder`]; operations are reached through one method per tag.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Parsed once; never ends with `/`, so joining a path never doubles the slash.
    base_url: String,
    /// The base URL's own path (`/v1` or empty), which every request path extends.
    base_path: String,
    token: Option<Secret>,
}

/// A credential that never shows in `Debug` output.
#[derive(Clone)]
struct Secret(HeaderValue);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.token)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request built by generated code and decodes a successful body with `decode`.
    pub(crate) async fn execute<T>(
        &self,
        request: Request,
        decode: impl FnOnce(&'static str, StatusCode, Bytes) -> Result<T, Error>,
    ) -> Result<Response<T>, Error> {
        let operation = request.operation;
        let (status, headers, body) = self.send(request).await?;
        let body = decode(operation, status, body)?;
        Ok(Response::new(status, headers, body))
    }

    /// The part of `execute` that does not depend on the body type, kept apart so it is
    /// compiled once rather than once per operation.
    async fn send(&self, request: Request) -> Result<(StatusCode, HeaderMap, Bytes), Error> {
        let operation = request.operation;
        let transport = |source| Error::Transport { operation, source };
        let expected_path = format!("{}{}", self.inner.base_path, request.path);
        let mut url = Url::parse(&format!("{}{}", self.inner.base_url, request.path))
            .map_err(|e| Error::Config(format!("{operation}: invalid request URL: {e}")))?;
        // URL parsing resolves `.` and `..` segments (even percent-encoded), so a parameter
        // such as `..` would send the request to another resource. Refuse instead.
        if url.path() != expected_path {
            return Err(Error::InvalidParameter {
                operation,
                reason: format!(
                    "a path parameter would change the request path to `{}`",
                    url.path()
                ),
            });
        }
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        let mut builder = self.inner.http.request(request.method, url);
        // Ecosuite expects the Cognito ID token as it is, without a `Bearer` prefix. It is
        // sent on every operation, including those the document marks `security: []`.
        if let Some(token) = &self.inner.token {
            builder = builder.header(AUTHORIZATION, token.0.clone());
        }
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        if !request.cookies.is_empty() {
            let cookies: Vec<String> = request
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            builder = builder.header(COOKIE, cookies.join("; "));
        }
        if let Some((content_type, body)) = request.body {
            builder = builder.header(CONTENT_TYPE, content_type).body(body);
        }
        let response = builder.send().await.map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?;
        if !status.is_success() {
            return Err(Error::Api(Box::new(super::ApiError {
                operation,
                status,
                headers,
                body,
            })));
        }
        Ok((status, headers, body))
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Where to send requests; defaults to the server the API document names.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The token sent in `Authorization` on every request (for Ecosuite, the user's Cognito
    /// ID token, sent as it is).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// How long a whole request (connect, send, receive) may take. Defaults to 60 s.
    /// Ignored when [`http_client`](Self::http_client) is given: configure that client instead.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long connecting may take. Defaults to 10 s. Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Uses this `reqwest::Client` (its pool, proxy, TLS and timeout settings) for every request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let base_url = self
            .base_url
            .unwrap_or_else(|| crate::generated::DEFAULT_BASE_URL.to_string());
        let parsed = Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("invalid base URL `{base_url}`: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "base URL `{base_url}` must be http or https"
            )));
        }
        let token = match self.token {
            None => None,
            Some(token) => {
                let mut value = HeaderValue::from_str(token.trim()).map_err(|_| {
                    Error::Config("the token contains characters not allowed in a header".into())
                })?;
                value.set_sensitive(true);
                Some(Secret(value))
            }
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_string(),
                base_path: parsed.path().trim_end_matches('/').to_string(),
                token,
            }),
        })
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
    }

    #[test]
    fn base_url_loses_its_trailing_slash() {
        let client = Client::builder()
            .base_url("https://api.example.com/")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://api.example.com");
    }

    #[test]
    fn bad_base_urls_are_rejected() {
        assert!(matches!(
            Client::builder().base_url("not a url").build(),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            Client::builder().base_url("ftp://x").build(),
            Err(Error::Config(_))
        ));
    }
}
