//! `Client` and its builder: where requests go, with which credentials, limits and retries.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, COOKIE};
use reqwest::{StatusCode, Url};
use tracing::Instrument as _;

use super::auth::{Credentials, Document, PendingCredentials, Security, Sent};
use super::call::{CallInfo, Hooks, ResponseInfo};
use super::error::Error;
use super::request::Request;
use super::retry::{self, RetryPolicy};
use super::trace;

/// How long a whole request may take unless the builder says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// An answer as it came: status, headers and body.
pub(crate) type Answer = (StatusCode, HeaderMap, Bytes);

/// The answer to one request, or why there is none: what every call's future waits for.
pub(crate) type Exchange = Pin<Box<dyn Future<Output = Result<Answer, Error>> + Send>>;

/// A client for the API. Cheap to clone: clones share one connection pool and their
/// credentials (so one token refresh serves them all), and may be used from many tasks at once.
///
/// Made with [`Client::builder`]; operations are reached through one method per tag. Each
/// request holds its own clone of the client, so requests and their futures are
/// `Send + 'static`: they can be spawned (`tokio::spawn(client.project().projects().send())`)
/// or kept and sent later. [`Client::request`] makes calls the document lacks.
///
/// Per-call settings come from a view of the client with the setting changed, made by
/// [`with_timeout`](Self::with_timeout), [`with_retry`](Self::with_retry) or
/// [`retry_post`](Self::retry_post). A view is as cheap as a clone and shares everything else:
///
/// ```no_run
/// # async fn example(client: &ecosuite::Client) -> Result<(), ecosuite::Error> {
/// use std::time::Duration;
/// let report = client
///     .with_timeout(Duration::from_secs(300))
///     .with_retry(ecosuite::RetryPolicy::never())
///     .project()
///     .projects()
///     .send()
///     .await?;
/// # let _ = report; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    call: CallOptions,
}

struct Inner {
    http: reqwest::Client,
    /// Parsed once; never ends with `/`, so joining a path never doubles the slash.
    base_url: String,
    /// The base URL's own path (`/v1` or empty), which every request path extends.
    base_path: String,
    /// The base URL parsed once; a request's URL is a copy with its path set.
    base: Url,
    /// Applied per request, so it also bounds requests of a caller-supplied HTTP client.
    timeout: Option<Duration>,
    retry: RetryPolicy,
    document: &'static Document,
    auth: Credentials,
    /// Sent on every call, before the call's own headers.
    default_headers: HeaderMap,
    hooks: Hooks,
}

/// What a view of the client changes for the calls made through it.
#[derive(Debug, Clone, Copy, Default)]
struct CallOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    retry_post: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("timeout", &self.call.timeout.or(self.inner.timeout))
            .field("retry", &self.call.retry.unwrap_or(self.inner.retry))
            .field("retry_post", &self.call.retry_post)
            .field(
                "default_headers",
                &super::redact::Headers(&self.inner.default_headers),
            )
            .field("request_hooks", &self.inner.hooks.request.len())
            .field("response_hooks", &self.inner.hooks.response.len())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The client's credentials, for code that adds its own ways to log in.
    #[allow(dead_code)] // Used only by clients with a login of their own.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.inner.auth
    }

    /// What untyped requests send: the document's `security`.
    pub(crate) fn default_security(&self) -> Security {
        self.inner.document.security
    }

    /// A view of this client whose calls may take `timeout` each (per attempt), instead of
    /// the client's. The connect timeout stays the client's: it belongs to the connection pool.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        let mut view = self.clone();
        view.call.timeout = Some(timeout);
        view
    }

    /// A view of this client whose calls are retried by `policy` instead of the client's.
    pub fn with_retry(&self, policy: RetryPolicy) -> Client {
        let mut view = self.clone();
        view.call.retry = Some(policy);
        view
    }

    /// A view of this client that also retries POST (and PATCH) calls. A POST that failed may
    /// still have been carried out, so use it only for a call the server treats as idempotent.
    pub fn retry_post(&self) -> Client {
        let mut view = self.clone();
        view.call.retry_post = true;
        view
    }

    /// Sends a request built by generated code or an untyped request, with retries, and
    /// returns the answer, whatever its status; [`Sending`](super::Sending) finishes it.
    /// Boxed, so the retry loop is compiled once, here: an operation's future holds a
    /// pointer to it instead of a copy of its state machine, in this crate and in every
    /// program that awaits one. One allocation per call, next to the many of an HTTP exchange.
    pub(crate) fn exchange(self, mut request: Request) -> Exchange {
        Box::pin(async move {
            let url = self.url(&request)?;
            let headers = self.headers(&mut request)?;
            let span = trace::call_span(request.operation, &request.method, url.path());
            self.send_with_retries(request, url, headers, &span)
                .instrument(span.clone())
                .await
        })
    }

    fn url(&self, request: &Request) -> Result<Url, Error> {
        let operation = request.operation;
        let expected_path = format!("{}{}", self.inner.base_path, request.path);
        let mut url = self.inner.base.clone();
        url.set_path(&expected_path);
        // Setting a path resolves `.` and `..` segments (even percent-encoded), so a parameter
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
        Ok(url)
    }

    /// The headers every attempt sends, but the token: the client's default headers, then the
    /// operation's header and cookie parameters and its content type, then the headers given
    /// to the call, each replacing those of the same name before it.
    fn headers(&self, request: &mut Request) -> Result<HeaderMap, Error> {
        let operation = request.operation;
        let mut headers = self.inner.default_headers.clone();
        for (name, value) in &request.headers {
            let (name, value) = super::call::header(*name, value.as_str())
                .map_err(|reason| Error::InvalidParameter { operation, reason })?;
            headers.insert(name, value);
        }
        if !request.cookies.is_empty() {
            let cookies: Vec<String> = request
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            let (name, value) = super::call::header(COOKIE, cookies.join("; "))
                .map_err(|reason| Error::InvalidParameter { operation, reason })?;
            headers.insert(name, value);
        }
        if let Some((Some(content_type), _)) = &request.body {
            let value = HeaderValue::from_str(content_type).map_err(|_| {
                Error::Config(format!(
                    "{operation}: the content type `{content_type}` is not valid header text"
                ))
            })?;
            headers.insert(CONTENT_TYPE, value);
        }
        if !request.extra.is_empty() {
            let mut previous: Option<HeaderName> = None;
            for (name, value) in std::mem::take(&mut request.extra) {
                match name {
                    Some(name) => {
                        headers.insert(name.clone(), value);
                        previous = Some(name);
                    }
                    // More values for the name before: kept, not replaced.
                    None => {
                        if let Some(name) = &previous {
                            headers.append(name, value);
                        }
                    }
                }
            }
        }
        Ok(headers)
    }

    /// Sends until there is an answer to return: retrying transient failures under the retry
    /// policy, and renewing the token once if the server rejects it. Any status is returned.
    async fn send_with_retries(
        &self,
        mut request: Request,
        url: Url,
        headers: HeaderMap,
        span: &tracing::Span,
    ) -> Result<(StatusCode, HeaderMap, Bytes), Error> {
        let operation = request.operation;
        let policy = self.call.retry.unwrap_or(self.inner.retry);
        let may_retry = retry::is_idempotent(&request.method) || self.call.retry_post;
        // Shared, not copied, between attempts.
        let body = request.body.take().map(|(_, bytes)| bytes);
        let started = Instant::now();
        let mut attempt = 0;
        let mut failures = 0;
        let mut renewed = false;
        let security = request.security;
        let mut credentials = self.inner.auth.tokens(security).await?;
        loop {
            attempt += 1;
            let info = CallInfo {
                operation,
                method: &request.method,
                template: &request.template,
                attempt,
            };
            let sent_at = Instant::now();
            let response = self
                .attempt(&info, &url, &headers, body.clone(), &credentials)
                .await
                .map_err(without_query);
            self.responded(&info, &response, sent_at.elapsed());
            let response = match response {
                Ok(response) => response,
                Err(error) => {
                    trace::no_answer(attempt, sent_at.elapsed(), &error);
                    failures += 1;
                    if may_retry && retry::is_retryable_error(&error) {
                        if let Some(delay) = policy.delay(failures, None) {
                            trace::retrying(attempt, delay, "transport");
                            tokio::time::sleep(delay).await;
                            credentials = self.inner.auth.tokens(security).await?;
                            continue;
                        }
                    }
                    trace::finished(span, None, attempt, started.elapsed());
                    return Err(Error::Transport {
                        operation,
                        source: error,
                    });
                }
            };
            let status = response.status();
            trace::answered(attempt, status, sent_at.elapsed());
            // A rejected token is renewed and the call repeated once, whatever its method: the
            // server did not act on a request it did not authenticate.
            if status == StatusCode::UNAUTHORIZED && !renewed && !credentials.is_empty() {
                renewed = true;
                trace::token_rejected();
                if let Some(fresh) = self.inner.auth.renew(&credentials).await? {
                    credentials = fresh;
                    continue;
                }
            }
            if may_retry && retry::is_retryable_status(status) {
                failures += 1;
                let wait = retry::retry_after(response.headers());
                if let Some(delay) = policy.delay(failures, wait) {
                    trace::retrying(attempt, delay, "status");
                    tokio::time::sleep(delay).await;
                    credentials = self.inner.auth.tokens(security).await?;
                    continue;
                }
            }
            // Taken, not cloned: reading the body does not need them (no decompression).
            let mut response = response;
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(without_query);
            trace::finished(span, Some(status), attempt, started.elapsed());
            let body = body.map_err(|source| Error::Transport { operation, source })?;
            return Ok((status, headers, body));
        }
    }

    /// One try: the request from the parts that do not change between tries, the credentials,
    /// then the hooks.
    async fn attempt(
        &self,
        info: &CallInfo<'_>,
        url: &Url,
        headers: &HeaderMap,
        body: Option<Bytes>,
        credentials: &Sent,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut request = reqwest::Request::new(info.method.clone(), url.clone());
        *request.timeout_mut() = self.call.timeout.or(self.inner.timeout);
        request.headers_mut().clone_from(headers);
        self.inner.auth.apply(credentials, &mut request);
        if let Some(body) = body {
            *request.body_mut() = Some(body.into());
        }
        for hook in &self.inner.hooks.request {
            hook(&mut request, info);
        }
        self.inner.http.execute(request).await
    }

    /// Tells the response hooks how an attempt ended.
    fn responded(
        &self,
        info: &CallInfo<'_>,
        response: &Result<reqwest::Response, reqwest::Error>,
        elapsed: std::time::Duration,
    ) {
        if self.inner.hooks.response.is_empty() {
            return;
        }
        let info = ResponseInfo {
            call: *info,
            outcome: match response {
                Ok(response) => Ok((response.status(), response.headers())),
                Err(error) => Err(error),
            },
            elapsed,
        };
        for hook in &self.inner.hooks.response {
            hook(&info);
        }
    }
}

/// A transport error without the query string of its URL, which may hold parameters the
/// caller would not want in a log; the path stays, to say which call failed.
fn without_query(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
    }
    error
}

/// Configures a [`Client`]. Made by [`Client::builder`] (or `ClientBuilder::default()`), which
/// the generated code defines with the document's server as the default base URL.
pub struct ClientBuilder {
    /// The document's default server and security schemes: handed over by the generated
    /// code, so the runtime names nothing generated.
    document: &'static Document,
    base_url: Option<String>,
    pub(crate) credentials: PendingCredentials,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
    default_headers: HeaderMap,
    /// Why a default header cannot be sent: reported by `build()`.
    invalid_header: Option<String>,
    hooks: Hooks,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field(
                "default_headers",
                &super::redact::Headers(&self.default_headers),
            )
            .field("request_hooks", &self.hooks.request.len())
            .field("response_hooks", &self.hooks.response.len())
            .finish_non_exhaustive()
    }
}

/// A built client's settings: what a login carries from the builder to the client it makes,
/// and what sources made when the client is built (an OAuth2 token endpoint's) take from it.
#[derive(Clone)]
pub(crate) struct Parts {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    base_path: String,
    base: Url,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) document: &'static Document,
    pub(crate) credentials: Credentials,
    default_headers: HeaderMap,
    hooks: Hooks,
}

impl Parts {
    pub(crate) fn into_client(self) -> Client {
        Client {
            inner: Arc::new(Inner {
                http: self.http,
                base_url: self.base_url,
                base_path: self.base_path,
                base: self.base,
                timeout: self.timeout,
                retry: self.retry,
                document: self.document,
                auth: self.credentials,
                default_headers: self.default_headers,
                hooks: self.hooks,
            }),
            call: CallOptions::default(),
        }
    }
}

impl ClientBuilder {
    /// A builder for a client of `document`: requests go to its first server unless
    /// [`base_url`](Self::base_url) says otherwise, every other setting at its default. The
    /// generated `Client::builder()` calls it.
    pub(crate) fn for_document(document: &'static Document) -> Self {
        ClientBuilder {
            document,
            base_url: None,
            credentials: PendingCredentials::default(),
            timeout: None,
            connect_timeout: None,
            retry: None,
            http: None,
            default_headers: HeaderMap::new(),
            invalid_header: None,
            hooks: Hooks::default(),
        }
    }

    /// Where to send requests; defaults to the server the API document names.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How long one attempt of a request (connect, send, receive) may take. Defaults to 60 s;
    /// [`Client::with_timeout`] changes it for some calls.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long connecting may take. Defaults to 10 s. Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How failed calls are retried; [`RetryPolicy::default`] unless set.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Uses this `reqwest::Client` (its pool, proxy and TLS settings) for every request, to
    /// the API and to whoever issues its tokens.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// A header sent on every call to the API (not to token endpoints). A call's own
    /// [`header`](crate::UntypedRequest::header)s and the operation's header parameters replace
    /// a default header of the same name; a credential, when the call sends one, replaces them
    /// all. Call it again to add more; the same name twice sends both values.
    ///
    /// An invalid name or value makes [`build`](Self::build) fail with [`Error::Config`]
    /// naming the header.
    pub fn default_header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName, Error: fmt::Display>,
        V: TryInto<HeaderValue, Error: fmt::Display>,
    {
        match super::call::header(name, value) {
            Ok((name, value)) => {
                self.default_headers.append(name, value);
            }
            Err(reason) => {
                self.invalid_header.get_or_insert(reason);
            }
        }
        self
    }

    /// Headers sent on every call to the API, added to those set before; see
    /// [`default_header`](Self::default_header).
    pub fn default_headers(mut self, headers: HeaderMap) -> Self {
        let mut previous: Option<HeaderName> = None;
        for (name, value) in headers {
            if let Some(name) = name {
                previous = Some(name);
            }
            if let Some(name) = &previous {
                self.default_headers.append(name, value);
            }
        }
        self
    }

    /// A hook run just before every attempt of every call (retries and the repeat after a
    /// token renewal included), with the request as it is about to be sent: URL, headers
    /// (credentials included), body. It may change it: add an idempotency key or a correlation
    /// id, sign it. `info` names the operation, method, path template and attempt.
    ///
    /// Hooks are plain functions (they cannot wait), run in the order they were added; the
    /// request is built afresh for each attempt, so a hook sees none of its own changes from
    /// an earlier one.
    ///
    /// ```
    /// let client = ecosuite::Client::builder()
    ///     .on_request(|request, info| {
    ///         let id = format!("{}-{}", info.operation(), info.attempt());
    ///         request.headers_mut().insert("x-correlation-id", id.parse().unwrap());
    ///     })
    ///     .build()?;
    /// # let _ = client; Ok::<(), ecosuite::Error>(())
    /// ```
    pub fn on_request(
        mut self,
        hook: impl Fn(&mut reqwest::Request, &CallInfo<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.hooks.request.push(Arc::new(hook));
        self
    }

    /// A hook run after every attempt of every call, with the answer's status and headers
    /// (before the body is read), or the transport error when no answer came: for metrics
    /// and logs. `info.call()` names the operation, method, path template and attempt.
    pub fn on_response(mut self, hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
        self.hooks.response.push(Arc::new(hook));
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a base URL that is not http(s) or has a query string or
    /// fragment, a credential or default header that is not valid header text, an OAuth2
    /// token URL that is not a URL, or an HTTP client that cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        Ok(self.into_parts()?.into_client())
    }

    /// Validates the settings and makes the credentials' sources.
    pub(crate) fn into_parts(self) -> Result<Parts, Error> {
        let base_url = self
            .base_url
            .unwrap_or_else(|| self.document.base_url.to_string());
        let parsed = Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("invalid base URL `{base_url}`: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "base URL `{base_url}` must be http or https"
            )));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            // Not quoted whole: a query string may hold a key.
            let mut shown = parsed.clone();
            shown.set_query(None);
            shown.set_fragment(None);
            return Err(Error::Config(format!(
                "base URL `{shown}` must not have a query string or fragment: requests add \
                 their own paths and query strings to it"
            )));
        }
        if let Some(reason) = self.invalid_header {
            return Err(Error::Config(format!("default headers: {reason}")));
        }
        let (http, timeout) = match self.http {
            // A caller's client keeps its own timeout unless one is set here.
            Some(http) => (http, self.timeout),
            None => {
                let http = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .user_agent(concat!(
                        env!("CARGO_PKG_NAME"),
                        "/",
                        env!("CARGO_PKG_VERSION")
                    ))
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
                (http, Some(self.timeout.unwrap_or(DEFAULT_TIMEOUT)))
            }
        };
        let mut parts = Parts {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            base_path: parsed.path().trim_end_matches('/').to_string(),
            base: parsed.clone(),
            timeout,
            retry: self.retry.unwrap_or_default(),
            document: self.document,
            credentials: Credentials::default(),
            default_headers: self.default_headers,
            hooks: self.hooks,
        };
        parts.credentials = Credentials::bind(self.credentials, &parts)?;
        Ok(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_loses_its_trailing_slash() {
        let client = Client::builder()
            .base_url("https://api.example.com/")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://api.example.com");
    }

    #[test]
    fn request_urls_extend_the_base_path_and_refuse_dot_segments() {
        let client = Client::builder()
            .base_url("https://api.example.com/v1/")
            .build()
            .unwrap();
        let url = |path: &str| {
            let mut request = Request::new("op", reqwest::Method::GET, path.into());
            request.query.push(("q".into(), "a b".into()));
            client.url(&request)
        };
        assert_eq!(
            url("/projects/PRJ%201").unwrap().as_str(),
            "https://api.example.com/v1/projects/PRJ%201?q=a+b"
        );
        for escaping in ["/projects/..", "/projects/%2e%2E", "/projects/./x"] {
            assert!(
                matches!(url(escaping), Err(Error::InvalidParameter { .. })),
                "{escaping} must be refused"
            );
        }
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
        for url in [
            "https://api.example.com/v1?key=s3cret",
            "https://api.example.com/v1#top",
        ] {
            let Err(Error::Config(message)) = Client::builder().base_url(url).build() else {
                panic!("{url} must be refused")
            };
            assert!(message.contains("query string or fragment"), "{message}");
            assert!(!message.contains("s3cret"), "{message}");
        }
    }

    #[test]
    fn bad_default_headers_are_refused_by_build() {
        let Err(Error::Config(message)) =
            Client::builder().default_header("x-tenant", "a\nb").build()
        else {
            panic!("a header value with a line break must be refused")
        };
        assert!(message.contains("`x-tenant`"), "{message}");
        assert!(matches!(
            Client::builder().default_header("bad name", "x").build(),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn views_change_only_their_own_settings() {
        let client = Client::builder().build().unwrap();
        let view = client
            .with_timeout(Duration::from_secs(1))
            .with_retry(RetryPolicy::never())
            .retry_post();
        assert!(Arc::ptr_eq(&client.inner, &view.inner));
        assert_eq!(view.call.timeout, Some(Duration::from_secs(1)));
        assert_eq!(view.call.retry, Some(RetryPolicy::never()));
        assert!(view.call.retry_post);
        assert_eq!(client.call.timeout, None);
        assert!(!client.call.retry_post);
    }

    #[test]
    fn clients_can_be_shared_across_tasks() {
        fn shared<T: Clone + Send + Sync + 'static>() {}
        shared::<Client>();
        fn sendable<T: Send>(_: &T) {}
        let client = Client::builder().build().unwrap();
        // The runtime serves every document, so this uses no generated operation.
        let request = Request::new("anything", reqwest::Method::GET, "/x".into());
        sendable(&client.clone().exchange(request));
        fn owned<T: Send + 'static>(_: &T) {}
        owned(&client.request(reqwest::Method::GET, "/x").send_raw());
        owned(
            &client
                .request(reqwest::Method::GET, "/x")
                .send::<serde_json::Value>(),
        );
    }
}
