//! Reads when a JWT expires, without checking its signature: the client only needs to know
//! when to refresh the token it was given; the API checks the signature.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The `exp` claim of a JWT, or `None` when the token is not a JWT or has no usable `exp`.
pub(crate) fn expires_at(token: &str) -> Option<SystemTime> {
    #[derive(serde::Deserialize)]
    struct Claims {
        exp: Option<f64>,
    }
    let mut parts = token.split('.');
    let (_header, payload) = (parts.next()?, parts.next()?);
    // Some encoders pad base64url although JWTs must not; tolerate it.
    let json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let exp = serde_json::from_slice::<Claims>(&json).ok()?.exp?;
    let after_epoch = Duration::try_from_secs_f64(exp).ok()?;
    UNIX_EPOCH.checked_add(after_epoch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn reads_exp() {
        let at = expires_at(&jwt(r#"{"sub":"u","exp":1700000000,"token_use":"id"}"#));
        assert_eq!(at, Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
    }

    #[test]
    fn anything_else_has_no_expiry() {
        assert_eq!(expires_at("not a jwt"), None);
        assert_eq!(expires_at("a.%%%.c"), None);
        assert_eq!(expires_at(&jwt(r#"{"sub":"u"}"#)), None);
        assert_eq!(expires_at(&jwt(r#"{"exp":-5}"#)), None);
        assert_eq!(expires_at(&jwt(r#"{"exp":"soon"}"#)), None);
        assert_eq!(expires_at(&jwt("[]")), None);
    }
}
