//! Credentials held in memory (passwords, tokens, MFA codes): never shown by `Debug`.

use std::fmt;

/// A secret string. `Debug` prints `<redacted>` and there is no `Display`, so a secret cannot
/// reach a log line or an error message by accident; [`Secret::expose`] is the one way to the
/// value, which keeps every use visible in review. It serialises as the plain string, for a
/// saved session, which is written on purpose.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct Secret(Box<str>);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(value.into().into_boxed_str())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some(<redacted>)");
        assert_eq!(secret.expose(), "hunter2");
    }
}
