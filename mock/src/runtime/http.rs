//! A small HTTP/1.1 server on tokio: enough for a client on the same machine (keep-alive,
//! `Content-Length` and chunked bodies), nothing more, so tests pay for no HTTP crate.

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A request as it arrived: the path and query still percent-encoded.
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub delay: std::time::Duration,
}

/// What answers each request.
pub(crate) type Handler = Arc<dyn Fn(HttpRequest) -> HttpResponse + Send + Sync>;

/// Accepts connections until the task is dropped.
pub(crate) async fn serve(listener: TcpListener, handler: Handler) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let handler = handler.clone();
        tokio::spawn(async move {
            let _ = connection(stream, handler).await;
        });
    }
}

async fn connection(stream: TcpStream, handler: Handler) -> std::io::Result<()> {
    let _ = stream.set_nodelay(true);
    let mut stream = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut stream).await? else {
            return Ok(());
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let response = handler(request);
        if !response.delay.is_zero() {
            tokio::time::sleep(response.delay).await;
        }
        let reason = crate::client::StatusCode::from_u16(response.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\ncontent-length: {}\r\n",
            response.status,
            response.body.len()
        );
        if let Some(content_type) = &response.content_type {
            head.push_str(&format!("content-type: {content_type}\r\n"));
        }
        if close {
            head.push_str("connection: close\r\n");
        }
        head.push_str("\r\n");
        let out = stream.get_mut();
        out.write_all(head.as_bytes()).await?;
        out.write_all(&response.body).await?;
        out.flush().await?;
        if close {
            return Ok(());
        }
    }
}

fn invalid(message: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_string())
}

async fn read_line(stream: &mut BufReader<TcpStream>) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    let read = stream.read_until(b'\n', &mut line).await?;
    if read == 0 {
        return Ok(None);
    }
    if line.len() > 64 * 1024 {
        return Err(invalid("line too long"));
    }
    let text = String::from_utf8_lossy(&line);
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()))
}

async fn read_request(stream: &mut BufReader<TcpStream>) -> std::io::Result<Option<HttpRequest>> {
    let Some(line) = read_line(stream).await? else {
        return Ok(None);
    };
    let mut parts = line.split(' ');
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(invalid("bad request line"));
    };
    let (method, target) = (method.to_string(), target.to_string());
    let mut headers = Vec::new();
    loop {
        let Some(line) = read_line(stream).await? else {
            return Err(invalid("connection closed in the headers"));
        };
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let size_line = read_line(stream)
                .await?
                .ok_or_else(|| invalid("truncated chunk"))?;
            let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| invalid("bad chunk size"))?;
            if size == 0 {
                // Trailers, then the empty line.
                while let Some(line) = read_line(stream).await? {
                    if line.is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            stream.read_exact(&mut body[start..]).await?;
            read_line(stream).await?;
        }
    } else if let Some(length) = find("content-length") {
        let length: usize = length.parse().map_err(|_| invalid("bad content-length"))?;
        body.resize(length, 0);
        stream.read_exact(&mut body).await?;
    }
    Ok(Some(HttpRequest {
        method,
        target,
        headers,
        body,
    }))
}
