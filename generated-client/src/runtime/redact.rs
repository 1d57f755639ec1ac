//! What `Debug` output may show: no secrets (values under names that hold credentials, by the
//! rule in `secret_names`), no megabytes (bodies are shown by length and a short quote).

use std::fmt;

use reqwest::header::HeaderMap;

pub(crate) use super::secret_names::is_secret_name;

/// How many characters of a body or message `Debug` and error messages quote.
pub(crate) const QUOTE_LIMIT: usize = 200;

/// The first [`QUOTE_LIMIT`] characters of `text`, cut on a character boundary, with `…`
/// when something was left out.
pub(crate) fn quote(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTE_LIMIT) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// Shows a value as `<redacted>` in `Debug`; generated `Debug` impls wrap secret fields in it.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A secret field's `Debug`: whether it is set, never its value.
pub(crate) fn secret_field<T>(value: &Option<T>) -> &'static dyn fmt::Debug {
    match value {
        Some(_) => &Some(Redacted),
        None => &None::<Redacted>,
    }
}

/// A JSON value in `Debug` form, with the values under secret keys redacted at any depth.
pub(crate) struct RedactedJson<'a>(pub(crate) &'a serde_json::Value);

impl fmt::Debug for RedactedJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            serde_json::Value::Object(map) => RedactedMap(map).fmt(f),
            serde_json::Value::Array(items) => f
                .debug_list()
                .entries(items.iter().map(RedactedJson))
                .finish(),
            other => fmt::Debug::fmt(other, f),
        }
    }
}

/// A JSON object in `Debug` form, with the values under secret keys redacted at any depth.
pub(crate) struct RedactedMap<'a>(pub(crate) &'a serde_json::Map<String, serde_json::Value>);

impl fmt::Debug for RedactedMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in self.0 {
            if is_secret_name(key) {
                map.entry(key, &Redacted);
            } else {
                map.entry(key, &RedactedJson(value));
            }
        }
        map.finish()
    }
}

/// A body as its length and the start of its text: `24000000 bytes: "{\"data\":…"`. In a
/// JSON body, the values of credential-like keys are `<redacted>`.
pub(crate) struct Body<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the quoted prefix is decoded, however long the body.
        let prefix = &self.0[..self.0.len().min(QUOTE_LIMIT * 4)];
        let text = String::from_utf8_lossy(prefix);
        let text = if text.trim_start().starts_with(['{', '[']) {
            json_without_secrets(&text).into()
        } else {
            text
        };
        let mut quoted = quote(&text).into_owned();
        if prefix.len() < self.0.len() && !quoted.ends_with('…') {
            quoted.push('…');
        }
        write!(f, "{} bytes: {:?}", self.0.len(), quoted)
    }
}

/// JSON text (or the start of it: it is scanned, not parsed, so a prefix cut anywhere will
/// do) with the value of every credential-like key replaced by `<redacted>`, objects and
/// arrays included (`"credentials": {...}`).
fn json_without_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    // The last string, while it may still be a key (until something other than `:` follows).
    let mut key: Option<String> = None;
    let mut redact_next = false;
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            out.push(c);
            continue;
        }
        if redact_next {
            redact_next = false;
            skip_value(c, &mut chars);
            out.push_str("\"<redacted>\"");
            continue;
        }
        match c {
            '"' => {
                let content = read_string(&mut chars);
                out.push('"');
                out.push_str(&content.0);
                if content.1 {
                    out.push('"');
                }
                key = Some(content.0);
            }
            ':' => {
                out.push(':');
                redact_next = key.take().is_some_and(|key| is_secret_name(&key));
            }
            c => {
                key = None;
                out.push(c);
            }
        }
    }
    out
}

/// Reads a JSON string after its opening quote: its text as written, and whether it closed.
fn read_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> (String, bool) {
    let mut text = String::new();
    let mut escaped = false;
    for c in chars.by_ref() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            return (text, true);
        }
        text.push(c);
    }
    (text, false)
}

/// Skips the JSON value that starts with `first`: a string, an object or array (nested), or a
/// number or literal.
fn skip_value(first: char, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match first {
        '"' => {
            read_string(chars);
        }
        '{' | '[' => {
            let mut depth = 1;
            while depth > 0 {
                match chars.next() {
                    None => return,
                    Some('"') => {
                        read_string(chars);
                    }
                    Some('{' | '[') => depth += 1,
                    Some('}' | ']') => depth -= 1,
                    Some(_) => {}
                }
            }
        }
        _ => while chars.next_if(|c| !matches!(c, ',' | '}' | ']')).is_some() {},
    }
}

/// A text or binary body as [`Body`] shows it.
#[allow(dead_code)] // Used only by documents with text or binary request bodies.
pub(crate) fn body(value: &impl AsRef<[u8]>) -> Body<'_> {
    Body(value.as_ref())
}

/// Headers with the values of credential-like names (and of values marked sensitive)
/// replaced by `<redacted>`.
pub(crate) struct Headers<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_secret_name(name.as_str()) {
                map.entry(&name.as_str(), &Redacted);
            } else {
                map.entry(
                    &name.as_str(),
                    &quote(&String::from_utf8_lossy(value.as_bytes())),
                );
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_secrets_are_redacted() {
        let value = serde_json::json!({
            "user": "jane",
            "credentials": {"password": "hunter2"},
            "nodes": [{"apiKey": "k-123", "id": 4}]
        });
        let shown = format!("{:?}", RedactedJson(&value));
        assert!(
            !shown.contains("hunter2") && !shown.contains("k-123"),
            "{shown}"
        );
        assert!(
            shown.contains("jane") && shown.contains("<redacted>"),
            "{shown}"
        );
    }

    #[test]
    fn quotes_are_short_and_cut_on_char_boundaries() {
        let long = "é".repeat(1000);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), QUOTE_LIMIT + 1);
        assert!(quoted.ends_with('…'));
        assert_eq!(quote("short"), "short");
        let body = vec![b'x'; 5_000_000];
        let shown = format!("{:?}", Body(&body));
        assert!(shown.starts_with("5000000 bytes: \"xxx"), "{shown}");
        assert!(shown.len() < 300, "{shown}");
    }

    #[test]
    fn secrets_in_json_bodies_are_redacted() {
        let body = br#"{"message": "no", "credentials": {"user": "u", "password": "p\"w}"}, "apiKey": 12345, "token": "t0k", "items": ["password", 1]}"#;
        let shown = json_without_secrets(std::str::from_utf8(body).unwrap());
        for secret in ["p\\\"w", "12345", "t0k", "\"u\""] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("message") && shown.contains(r#""items": ["password", 1]"#),
            "{shown}"
        );
        let debug = format!("{:?}", Body(body));
        assert!(
            !debug.contains("t0k") && !debug.contains("12345"),
            "{debug}"
        );
        assert_eq!(
            json_without_secrets(r#"{"a": 1, "password": "x", "b": [true]}"#),
            r#"{"a": 1, "password": "<redacted>", "b": [true]}"#
        );
        // A body cut in the middle of a secret.
        assert_eq!(
            json_without_secrets(r#"{"token": "abc"#),
            r#"{"token": "<redacted>""#
        );
    }

    #[test]
    fn secret_headers_are_redacted() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "abc".parse().unwrap());
        headers.insert("set-cookie", "session=hunter2".parse().unwrap());
        let shown = format!("{:?}", Headers(&headers));
        assert!(
            shown.contains("abc") && !shown.contains("hunter2"),
            "{shown}"
        );
    }
}
