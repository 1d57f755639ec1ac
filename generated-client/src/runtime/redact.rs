//! What `Debug` output hides: values under names that hold secrets.
//!
//! The generator marks declared properties with the same rule (`generator/src/model/secrets.rs`);
//! this copy serves keys the document does not declare. Keep the two word lists in step.

use std::fmt;

/// Words that, as a whole word of a key, mark its value as a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "credentials",
    "apikey",
    "privatekey",
    "authorization",
];

/// `password`, `clientSecret`, `api_key`, `X-Api-Key`, `refreshToken`: yes. `tokens_used`,
/// `secretary`: no.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    words
        .iter()
        .any(|word| SECRET_WORDS.contains(&word.as_str()))
        || words
            .windows(2)
            .any(|pair| SECRET_WORDS.contains(&format!("{}{}", pair[0], pair[1]).as_str()))
}

/// Lower-case words of a camelCase, snake_case, kebab-case or spaced name.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "password",
            "newPassword",
            "client_secret",
            "X-Api-Key",
            "APIKEY",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["tokens_used", "secretary", "code", "keyId"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

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
}
