//! What a call gives back, and how it is written on stdout.
//!
//! A JSON answer is first decoded into the client's type by the generated call, then encoded
//! again here: what is printed is what the typed client understood, so a field the document
//! does not describe is not shown, and a mismatch is an error rather than silently passed on.

use std::io::Write;

use serde::Serialize;
use serde_json::Value;

use crate::failure::Failure;
use crate::table;

/// A successful answer.
#[derive(Debug)]
pub enum Reply {
    /// The operation documents no body.
    Empty,
    Json(Value),
    Text(String),
    Bytes(bytes::Bytes),
    /// `--raw`: the answer as the server sent it, whatever its status; its body is printed.
    Raw(ecosuite::RawResponse),
}

impl Reply {
    /// The client's typed value, encoded again as JSON.
    pub fn json<T: Serialize>(value: &T) -> Result<Reply, Failure> {
        serde_json::to_value(value)
            .map(Reply::Json)
            .map_err(|e| Failure::Output(format!("cannot encode the answer as JSON: {e}")))
    }
}

/// Sends a generated call's `request` and makes its [`Reply`]: with `raw`, the answer as
/// the server sent it; else the body the operation documents (`empty`, `json`, `text` or
/// `bytes`), decoded by the client. One line per operation in the generated calls.
macro_rules! reply {
    ($request:ident, $kind:ident, $raw:ident) => {
        if $raw {
            ::std::result::Result::Ok($crate::output::Reply::Raw($request.send_raw().await?))
        } else {
            $crate::output::reply!(@$kind $request)
        }
    };
    (@empty $request:ident) => {{
        $request.send().await?;
        ::std::result::Result::Ok($crate::output::Reply::Empty)
    }};
    (@json $request:ident) => {
        $crate::output::Reply::json(&$request.send().await?)
    };
    (@text $request:ident) => {
        ::std::result::Result::Ok($crate::output::Reply::Text($request.send().await?))
    };
    (@bytes $request:ident) => {
        ::std::result::Result::Ok($crate::output::Reply::Bytes($request.send().await?))
    };
}
pub(crate) use reply;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Table,
}

impl Format {
    pub const NAMES: [&'static str; 3] = ["json", "yaml", "table"];

    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "json" => Some(Format::Json),
            "yaml" => Some(Format::Yaml),
            "table" => Some(Format::Table),
            _ => None,
        }
    }
}

/// Writes `reply` in `format` (text and bytes are written as they are, whatever the format).
pub fn write(reply: &Reply, format: Format, out: &mut impl Write) -> Result<(), Failure> {
    let written = match reply {
        Reply::Empty => Ok(()),
        Reply::Text(text) => out.write_all(text.as_bytes()),
        Reply::Bytes(bytes) => out.write_all(bytes),
        Reply::Raw(raw) => out.write_all(raw.body()),
        Reply::Json(value) => {
            let text = match format {
                Format::Json => serde_json::to_string_pretty(value)
                    .map(|mut s| {
                        s.push('\n');
                        s
                    })
                    .map_err(|e| e.to_string()),
                Format::Yaml => serde_yaml::to_string(value).map_err(|e| e.to_string()),
                Format::Table => Ok(table::render(value)),
            }
            .map_err(|e| Failure::Output(format!("cannot write the answer: {e}")))?;
            out.write_all(text.as_bytes())
        }
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // The reader stopped early (`ecosuite operations | head`): what it wanted, it has.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Output(format!("cannot write to stdout: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(reply: &Reply, format: Format) -> String {
        let mut out = Vec::new();
        write(reply, format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_is_pretty_and_ends_with_a_newline() {
        let reply = Reply::Json(json!({"project": {"code": "PRJ1"}}));
        assert_eq!(
            written(&reply, Format::Json),
            "{\n  \"project\": {\n    \"code\": \"PRJ1\"\n  }\n}\n"
        );
        assert_eq!(written(&reply, Format::Yaml), "project:\n  code: PRJ1\n");
    }

    #[test]
    fn text_bytes_and_empty_are_written_as_they_are() {
        assert_eq!(
            written(&Reply::Text("a,b\n".into()), Format::Table),
            "a,b\n"
        );
        assert_eq!(
            written(
                &Reply::Bytes(bytes::Bytes::from_static(b"\x00\x01")),
                Format::Json
            ),
            "\u{0}\u{1}"
        );
        assert_eq!(written(&Reply::Empty, Format::Json), "");
    }
}
