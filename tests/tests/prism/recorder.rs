//! A pass-through HTTP/1.1 proxy between the client and Prism that keeps the last exchange:
//! the request exactly as the client sent it and the response body exactly as Prism sent it.
//! Failure messages quote both, and the passes compare the decoded body with the raw one.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request and its answer, as they crossed the wire.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    /// The request target: path and query, percent-encoded.
    pub target: String,
    pub request_body: Vec<u8>,
    pub status: u16,
    pub response_body: Vec<u8>,
}

impl Exchange {
    /// The request and the answer's status, for a failure message.
    pub fn request_line(&self) -> String {
        let mut line = format!("{} {} -> {}", self.method, self.target, self.status);
        if !self.request_body.is_empty() {
            line.push_str("\n      request body: ");
            line.push_str(&quote(&self.request_body));
        }
        line
    }
}

/// At most this much of a body goes into a message.
pub fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut quoted: String = text.chars().take(1500).collect();
    if quoted.len() < text.len() {
        quoted.push('…');
    }
    quoted
}

pub struct Recorder {
    port: u16,
    last: Arc<Mutex<Option<Exchange>>>,
    task: JoinHandle<()>,
}

impl Recorder {
    /// Listens on a free 127.0.0.1 port and forwards everything to `upstream` (`http://host:port`).
    pub async fn start(upstream: String) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the recorder");
        let port = listener.local_addr().unwrap().port();
        let last = Arc::new(Mutex::new(None));
        // A fresh connection to Prism per exchange: Prism (Node) closes idle keep-alive
        // connections after a few seconds, and a pooled one it closed meanwhile fails the
        // relay with `IncompleteMessage` (seen in CI under load), which the client would take
        // for a transport error of its own.
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .expect("the recorder's HTTP client builds");
        let shared = Arc::clone(&last);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (http, upstream, last) = (http.clone(), upstream.clone(), Arc::clone(&shared));
                tokio::spawn(async move {
                    if let Err(error) = forward(stream, &http, &upstream, &last).await {
                        eprintln!("recorder: {error}");
                    }
                });
            }
        });
        Recorder { port, last, task }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The exchange since the last `take`, if one happened.
    pub fn take(&self) -> Option<Exchange> {
        self.last.lock().unwrap().take()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Relays one request (the client's connection is closed after the answer, so each
/// connection carries exactly one exchange).
async fn forward(
    stream: TcpStream,
    http: &reqwest::Client,
    upstream: &str,
    last: &Mutex<Option<Exchange>>,
) -> Result<(), String> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .await
        .map_err(|e| e.to_string())?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(format!("bad request line {line:?}"));
    };
    let (method, target) = (method.to_string(), target.to_string());
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        line.clear();
        reader
            .read_line(&mut line)
            .await
            .map_err(|e| e.to_string())?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| format!("bad header {header:?}"))?;
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_string());
        if name == "transfer-encoding" {
            return Err(format!(
                "the client sent `transfer-encoding: {value}`, not relayed"
            ));
        }
        if name == "content-length" {
            length = value.parse().map_err(|_| format!("bad length {value:?}"))?;
        }
        if !matches!(name.as_str(), "host" | "connection" | "content-length") {
            headers.push((name, value));
        }
    }
    let mut request_body = vec![0; length];
    reader
        .read_exact(&mut request_body)
        .await
        .map_err(|e| e.to_string())?;

    let method_value = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
    let mut request = http.request(method_value, format!("{upstream}{target}"));
    for (name, value) in &headers {
        request = request.header(name, value);
    }
    if length > 0 || matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
        request = request.body(request_body.clone());
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let response_headers = response.headers().clone();
    let response_body = response.bytes().await.map_err(|e| e.to_string())?.to_vec();

    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    for (name, value) in &response_headers {
        if !matches!(
            name.as_str(),
            "content-length" | "connection" | "transfer-encoding" | "keep-alive"
        ) {
            head.push_str(&format!(
                "{name}: {}\r\n",
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        response_body.len()
    ));
    *last.lock().unwrap() = Some(Exchange {
        method,
        target,
        request_body,
        status: status.as_u16(),
        response_body: response_body.clone(),
    });
    let mut stream = reader.into_inner();
    stream
        .write_all(head.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    stream
        .write_all(&response_body)
        .await
        .map_err(|e| e.to_string())?;
    stream.shutdown().await.map_err(|e| e.to_string())
}
