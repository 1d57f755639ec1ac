//! The mock server: one thread with its own tokio runtime, so a mock works from any test
//! (`#[test]` or `#[tokio::test]` of either flavour) and outlives no test.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use super::expect::{describe, Rule};
use super::http::{self, HttpRequest, HttpResponse};
use super::spec::{ApiSpec, BodyFormat, Location, OperationSpec};

/// The token [`MockServer::client`] sends.
pub const TOKEN: &str = "ecosuite-mock-token";

/// A local server that answers the API's operations as told, on `127.0.0.1`.
///
/// Set expectations through the per-tag accessors (`mock.project().project("PRJ1")...`),
/// point a client at [`uri`](Self::uri) (or take [`client`](Self::client)), and run the code
/// under test. Dropping the mock stops the server and verifies it ([`verify`](Self::verify)).
pub struct MockServer {
    pub(crate) shared: Arc<Shared>,
    uri: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

pub(crate) struct Shared {
    pub spec: &'static ApiSpec,
    pub strict: bool,
    pub state: Mutex<State>,
}

#[derive(Default)]
pub(crate) struct State {
    pub rules: Vec<Rule>,
    pub unmatched: Vec<UnmatchedRequest>,
    pub refused: Vec<RefusedRequest>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock is held cannot leave the state half-changed: keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A request that reached an operation of the document but no expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedRequest {
    /// `GET /projects/PRJ2?x=1`, as it arrived.
    pub request: String,
    /// The operationId it would be.
    pub operation: &'static str,
    /// Why each expectation of that operation did not match (empty: none was set).
    pub reasons: Vec<String>,
}

/// A request the document does not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedRequest {
    /// `GET /projects/PRJ2?x=1`, as it arrived.
    pub request: String,
    /// The operationId it would be, when its method and path name one.
    pub operation: Option<&'static str>,
    pub reason: String,
}

impl fmt::Display for UnmatchedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (operation `{}`): ", self.request, self.operation)?;
        if self.reasons.is_empty() {
            write!(f, "no expectation is set for `{}`", self.operation)
        } else {
            write!(f, "{}", self.reasons.join("; "))
        }
    }
}

impl fmt::Display for RefusedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operation {
            Some(op) => write!(f, "{} (operation `{op}`): {}", self.request, self.reason),
            None => write!(f, "{}: {}", self.request, self.reason),
        }
    }
}

/// Options for a [`MockServer`]. Made by [`MockServer::builder`] (or `MockBuilder::default()`),
/// which the generated code defines with the document's operations.
#[derive(Debug, Clone)]
pub struct MockBuilder {
    strict: bool,
    /// What requests are checked against: handed over by the generated code, so the runtime
    /// names nothing generated.
    spec: &'static ApiSpec,
}

impl MockBuilder {
    /// A lenient mock of the API `spec` describes. The generated `MockServer::builder()` calls
    /// it with the document's operations and schemas.
    pub(crate) fn for_api(spec: &'static ApiSpec) -> Self {
        MockBuilder {
            strict: false,
            spec,
        }
    }

    /// Refuses what the document does not describe too: enum values it does not list and
    /// undeclared keys in bodies. Off by default, since the document is incomplete.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Starts the server on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// When no port can be bound or no thread started: a test cannot go on without them.
    pub fn start(self) -> MockServer {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("ecosuite-mock binds 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("ecosuite-mock sets its listener non-blocking");
        let port = listener.local_addr().expect("a bound address").port();
        let shared = Arc::new(Shared {
            spec: self.spec,
            strict: self.strict,
            state: Mutex::new(State::default()),
        });
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let handler_state = shared.clone();
        let handler: http::Handler = Arc::new(move |request| handle(&handler_state, request));
        std::thread::Builder::new()
            .name(format!("ecosuite-mock-{port}"))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_io()
                    .enable_time()
                    .build()
                    .expect("ecosuite-mock starts its runtime");
                runtime.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("ecosuite-mock listens");
                    // Dropping the runtime when `stopped` fires ends the server and its connections.
                    tokio::spawn(http::serve(listener, handler));
                    let _ = stopped.await;
                });
            })
            .expect("ecosuite-mock starts its thread");
        MockServer {
            shared,
            uri: format!("http://127.0.0.1:{port}"),
            shutdown: Some(shutdown),
        }
    }
}

impl MockServer {
    /// The token [`client`](Self::client) sends.
    pub const TOKEN: &'static str = TOKEN;

    /// Starts a mock that lets through what the document does not describe (see
    /// [`MockBuilder::strict`]).
    pub fn start() -> MockServer {
        MockServer::builder().start()
    }

    /// The base URL to give the client: `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        self.uri.clone()
    }

    /// A client of this mock, sending [`MockServer::TOKEN`].
    ///
    /// # Panics
    ///
    /// Never in practice: the base URL and token are valid.
    pub fn client(&self) -> crate::client::Client {
        crate::client::Client::builder()
            .base_url(self.uri())
            .token(TOKEN)
            .build()
            .expect("a client of the mock builds")
    }

    /// Requests that reached an operation but matched no expectation, oldest first.
    pub fn unmatched(&self) -> Vec<UnmatchedRequest> {
        self.shared.lock().unmatched.clone()
    }

    /// Requests the document does not allow, oldest first.
    pub fn refused(&self) -> Vec<RefusedRequest> {
        self.shared.lock().refused.clone()
    }

    /// Returns and forgets the refused requests, for a test that sends them on purpose.
    pub fn take_refused(&self) -> Vec<RefusedRequest> {
        std::mem::take(&mut self.shared.lock().refused)
    }

    /// What is wrong so far: expectations with [`times`](crate::Expectation::times) not
    /// called that many times, and requests the document does not allow.
    pub fn problems(&self) -> Vec<String> {
        let state = self.shared.lock();
        let mut problems = Vec::new();
        for rule in &state.rules {
            if let Some(times) = rule.times {
                if rule.hits != times {
                    problems.push(format!(
                        "{} was expected {times} time{}, and called {} time{}",
                        describe(rule),
                        plural(times),
                        rule.hits,
                        plural(rule.hits)
                    ));
                }
            }
        }
        for refused in &state.refused {
            problems.push(format!("refused by the API document: {refused}"));
        }
        if !problems.is_empty() {
            for unmatched in &state.unmatched {
                problems.push(format!("(unmatched: {unmatched})"));
            }
        }
        problems
    }

    /// Panics, listing what is wrong, unless every expectation with
    /// [`times`](crate::Expectation::times) was called that many times and no request was
    /// refused by the document. Unmatched requests are listed then, to help.
    pub fn verify(&self) {
        let problems = self.problems();
        if !problems.is_empty() {
            panic!("ecosuite-mock: {}", problems.join("\n  "));
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.uri)
            .finish_non_exhaustive()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if !std::thread::panicking() {
            self.verify();
        }
    }
}

/// What the server knows of a request once it is taken apart.
pub(crate) struct Incoming<'r> {
    pub op: &'static OperationSpec,
    /// Decoded path parameters, by name.
    pub path: Vec<(&'static str, String)>,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    pub http: &'r HttpRequest,
}

impl Incoming<'_> {
    pub fn values(&self, location: Location, name: &str) -> Vec<String> {
        match location {
            Location::Path => self
                .path
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .collect(),
            Location::Query => self
                .query
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .collect(),
            Location::Header => self
                .http
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .collect(),
            Location::Cookie => self
                .http
                .header("cookie")
                .into_iter()
                .flat_map(|c| c.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
                .collect(),
        }
    }
}

fn text(status: u16, message: String) -> HttpResponse {
    HttpResponse {
        status,
        content_type: Some("text/plain; charset=utf-8".into()),
        body: message.into_bytes(),
        delay: std::time::Duration::ZERO,
    }
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The operations whose path template the request's path fits, most literal segments first,
/// with their path parameters.
fn route(spec: &ApiSpec, path: &str) -> Vec<(&'static OperationSpec, Vec<(&'static str, String)>)> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut found = Vec::new();
    for op in spec.operations {
        let template: Vec<&'static str> = op.path.split('/').collect();
        if template.len() != segments.len() {
            continue;
        }
        let mut params = Vec::new();
        let mut literal = 0;
        let fits = template.iter().zip(&segments).all(|(t, s)| {
            if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                params.push((name, decode(s)));
                !s.is_empty()
            } else {
                literal += 1;
                t == s
            }
        });
        if fits {
            found.push((literal, *op, params));
        }
    }
    found.sort_by_key(|(literal, _, _)| std::cmp::Reverse(*literal));
    found
        .into_iter()
        .map(|(_, op, params)| (op, params))
        .collect()
}

/// `GET /path?query` for messages, with the values of query parameters the operation names
/// like credentials `<redacted>`.
fn display(op: Option<&OperationSpec>, request: &HttpRequest) -> String {
    let secret = |name: &str| {
        op.is_some_and(|op| {
            op.params
                .iter()
                .any(|p| p.location == Location::Query && p.secret && p.name == name)
        })
    };
    let target = match request.target.split_once('?') {
        Some((path, query)) if op.is_some_and(|op| op.params.iter().any(|p| p.secret)) => {
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| {
                    let name = pair.split('=').next().unwrap_or("");
                    if secret(&decode(name)) {
                        format!("{name}=<redacted>")
                    } else {
                        pair.to_string()
                    }
                })
                .collect();
            format!("{path}?{}", pairs.join("&"))
        }
        _ => request.target.clone(),
    };
    format!("{} {target}", request.method)
}

fn handle(shared: &Shared, request: HttpRequest) -> HttpResponse {
    let mut shown = display(None, &request);
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target.as_str(), ""));
    let refuse = |shown: &str, operation: Option<&'static str>, status: u16, reason: String| {
        let refused = RefusedRequest {
            request: shown.to_string(),
            operation,
            reason,
        };
        let message = format!("ecosuite-mock: refused by the API document: {refused}");
        shared.lock().refused.push(refused);
        text(status, message)
    };
    let routes = route(shared.spec, path);
    if routes.is_empty() {
        return refuse(
            &shown,
            None,
            404,
            format!("the document has no path like `{path}`"),
        );
    }
    let Some((op, path_params)) = routes
        .iter()
        .find(|(op, _)| op.method.eq_ignore_ascii_case(&request.method))
        .cloned()
    else {
        let allowed: Vec<String> = routes
            .iter()
            .map(|(op, _)| format!("{} {}", op.method, op.path))
            .collect();
        return refuse(
            &shown,
            None,
            405,
            format!(
                "the document has no {} for this path (it has {})",
                request.method,
                allowed.join(", ")
            ),
        );
    };
    shown = display(Some(op), &request);
    let query: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let incoming = Incoming {
        op,
        path: path_params,
        query,
        http: &request,
    };
    if let Err(reason) = check(shared, &incoming) {
        return refuse(&shown, Some(op.id), 400, reason);
    }

    let mut state = shared.lock();
    let mut reasons = Vec::new();
    // The first expectation that matched but had answered all it may: the request counts
    // against it (so `times(n)` sees the extra call) unless another one answers.
    let mut exhausted = None;
    for (index, rule) in state.rules.iter_mut().enumerate() {
        if !std::ptr::eq(rule.op, op) {
            continue;
        }
        match rule.matches(&incoming) {
            Ok(()) if rule.exhausted() => {
                reasons.push(format!(
                    "{} was already called the {} time{} expected",
                    describe(rule),
                    rule.times.unwrap_or_default(),
                    plural(rule.times.unwrap_or_default())
                ));
                exhausted.get_or_insert(index);
            }
            Ok(()) => {
                rule.hits += 1;
                return rule.response();
            }
            Err(reason) => reasons.push(format!("{}: {reason}", describe(rule))),
        }
    }
    if let Some(index) = exhausted {
        state.rules[index].hits += 1;
    }
    let unmatched = UnmatchedRequest {
        request: shown,
        operation: op.id,
        reasons,
    };
    let message = format!("ecosuite-mock: no expectation matches {unmatched}");
    state.unmatched.push(unmatched);
    text(418, message)
}

/// Checks the request against the operation as the document describes it.
fn check(shared: &Shared, incoming: &Incoming<'_>) -> Result<(), String> {
    let spec = shared.spec;
    for param in incoming.op.params {
        let values = incoming.values(param.location, param.name);
        if values.is_empty() {
            if param.required {
                return Err(format!(
                    "the required {} `{}` is missing",
                    param.location.noun(),
                    param.name
                ));
            }
            continue;
        }
        spec.check_param(param.shape, &values, shared.strict)
            .map_err(|reason| format!("the {} `{}` {reason}", param.location.noun(), param.name))?;
    }
    if shared.strict {
        for (name, _) in &incoming.query {
            let declared = incoming
                .op
                .params
                .iter()
                .any(|p| p.location == Location::Query && p.name == name);
            if !declared {
                return Err(format!(
                    "the query parameter `{name}` is not in the document (strict)"
                ));
            }
        }
    }
    let body = &incoming.http.body;
    match &incoming.op.body {
        None => {}
        Some(spec_body) if body.is_empty() && spec_body.required => {
            return Err(format!(
                "the body ({}) is required and missing",
                spec_body.content_type
            ));
        }
        Some(_) if body.is_empty() => {}
        Some(spec_body) => {
            let content_type = incoming.http.header("content-type").unwrap_or("");
            let essence = |t: &str| {
                t.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            };
            let fits = match spec_body.format {
                BodyFormat::Json => essence(content_type).ends_with("json"),
                BodyFormat::Text | BodyFormat::Binary => true,
                _ => essence(content_type) == essence(spec_body.content_type),
            };
            if !fits {
                return Err(format!(
                    "the body is sent as `{content_type}`, the document says `{}`",
                    spec_body.content_type
                ));
            }
            (spec_body.check)(body)?;
            if shared.strict && spec_body.format == BodyFormat::Json {
                if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
                    let problems = spec.strict_problems(spec_body.shape, &value);
                    if let Some(first) = problems.into_iter().next() {
                        return Err(format!("in the body, {first} (strict)"));
                    }
                }
            }
        }
    }
    Ok(())
}
