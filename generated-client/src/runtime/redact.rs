//! What `Debug` output hides: values under names that hold secrets (see `secret_names`).

use std::fmt;

use super::secret_names::is_secret_name;

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
