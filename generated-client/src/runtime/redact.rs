//! What `Debug` output may show: no secrets (headers and parameters named like credentials),
//! no megabytes (bodies are shown by length and a short quote).

use std::fmt;

use reqwest::header::HeaderMap;

/// How many characters of a body or message `Debug` and error messages quote.
pub(crate) const QUOTE_LIMIT: usize = 200;

/// Whether a header, parameter or property called `name` holds a credential: its name,
/// lowercased and without `-` and `_`, contains password, secret, token, credential, apikey,
/// authorization or cookie.
pub(crate) fn is_secret_name(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "password",
        "passwd",
        "secret",
        "token",
        "credential",
        "apikey",
        "authorization",
        "cookie",
        "privatekey",
    ];
    let folded: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    WORDS.iter().any(|word| folded.contains(word))
}

/// The first [`QUOTE_LIMIT`] characters of `text`, cut on a character boundary, with `…`
/// when something was left out.
pub(crate) fn quote(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTE_LIMIT) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// Shows a value as `<redacted>`.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A body as its length and the start of its text: `24000000 bytes: "{\"data\":…"`.
pub(crate) struct Body<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the quoted prefix is decoded, however long the body.
        let prefix = &self.0[..self.0.len().min(QUOTE_LIMIT * 4)];
        let text = String::from_utf8_lossy(prefix);
        let mut quoted = quote(&text).into_owned();
        if prefix.len() < self.0.len() && !quoted.ends_with('…') {
            quoted.push('…');
        }
        write!(f, "{} bytes: {:?}", self.0.len(), quoted)
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
                map.entry(&name.as_str(), &quote(&String::from_utf8_lossy(value.as_bytes())));
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "password",
            "Authorization",
            "X-Api-Key",
            "apiKey",
            "refresh_token",
            "clientSecret",
            "Set-Cookie",
            "credentials",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["projectId", "name", "author", "start"] {
            assert!(!is_secret_name(name), "{name}");
        }
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
    fn secret_headers_are_redacted() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "abc".parse().unwrap());
        headers.insert("set-cookie", "session=hunter2".parse().unwrap());
        let shown = format!("{:?}", Headers(&headers));
        assert!(shown.contains("abc") && !shown.contains("hunter2"), "{shown}");
    }
}
