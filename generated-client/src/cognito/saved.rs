//! A Cognito session to keep between runs: what a logged-in client hands out
//! ([`Client::saved_session`](crate::Client::saved_session)) and a new client resumes
//! ([`ClientBuilder::session`](crate::ClientBuilder::session)).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use super::jwt;
use super::user_pool::CognitoConfig;
use crate::runtime::secret::Secret;

/// A logged-in Cognito session, saved: the ID token, the refresh token, and the user pool, app
/// client, region and endpoint they belong to.
///
/// It serialises (with serde, to JSON say) with the tokens in the clear: whoever holds the
/// refresh token can call the API as the user until it expires (30 days by default), so keep
/// it where only the user can read it. `Debug` does not show the tokens.
///
/// ```no_run
/// # async fn example(client: ecosuite::Client) -> Result<(), Box<dyn std::error::Error>> {
/// // One run: save the session.
/// if let Some(session) = client.saved_session().await {
///     std::fs::write("session.json", serde_json::to_vec(&session)?)?;
/// }
///
/// // A later run: no password, no MFA code; the ID token is renewed when needed.
/// let session: ecosuite::SavedSession = serde_json::from_slice(&std::fs::read("session.json")?)?;
/// let client = ecosuite::Client::builder().session(session).build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSession {
    id_token: Secret,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<Secret>,
    /// When the ID token expires (its `exp`, seconds since 1970), for whoever reads the file;
    /// the client reads the token itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    user_pool_id: String,
    client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    endpoint: Option<String>,
}

impl SavedSession {
    /// A session from tokens obtained elsewhere, for `cognito`'s user pool and app client.
    pub fn new(
        cognito: CognitoConfig,
        id_token: impl Into<String>,
        refresh_token: Option<String>,
    ) -> Self {
        SavedSession::from_parts(
            &cognito,
            Secret::new(id_token),
            refresh_token.map(Secret::new),
        )
    }

    pub(crate) fn from_parts(
        cognito: &CognitoConfig,
        id_token: Secret,
        refresh_token: Option<Secret>,
    ) -> Self {
        let expires_at = jwt::expires_at(id_token.expose())
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map(|after| after.as_secs());
        SavedSession {
            id_token,
            refresh_token,
            expires_at,
            user_pool_id: cognito.user_pool_id.clone(),
            client_id: cognito.client_id.clone(),
            region: cognito.region.clone(),
            endpoint: cognito.endpoint.clone(),
        }
    }

    /// The ID token, as the API is sent it. Keep it out of logs.
    pub fn id_token(&self) -> &str {
        self.id_token.expose()
    }

    pub(crate) fn id_secret(&self) -> &Secret {
        &self.id_token
    }

    pub(crate) fn refresh_secret(&self) -> Option<&Secret> {
        self.refresh_token.as_ref()
    }

    /// Whether the session can be renewed once its ID token expires.
    pub fn has_refresh_token(&self) -> bool {
        self.refresh_token.is_some()
    }

    /// When the ID token expires, read from its `exp` claim; `None` when it has none.
    pub fn expires_at(&self) -> Option<SystemTime> {
        jwt::expires_at(self.id_token.expose())
    }

    /// The user pool, app client, region and endpoint the session belongs to.
    pub fn cognito(&self) -> CognitoConfig {
        CognitoConfig {
            user_pool_id: self.user_pool_id.clone(),
            client_id: self.client_id.clone(),
            region: self.region.clone(),
            endpoint: self.endpoint.clone(),
        }
    }
}

impl fmt::Debug for SavedSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SavedSession")
            .field("id_token", &self.id_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_at", &self.expires_at)
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json_and_debug_hides_the_tokens() {
        let cognito = CognitoConfig::new("eu-west-1_Pool", "client").endpoint("http://x/");
        let saved = SavedSession::new(
            cognito.clone(),
            "eyJ.id-secret.sig",
            Some("refresh-secret".into()),
        );
        let json = serde_json::to_string(&saved).unwrap();
        assert!(
            json.contains("\"refreshToken\":\"refresh-secret\""),
            "{json}"
        );
        let back: SavedSession = serde_json::from_str(&json).unwrap();
        assert_eq!(back, saved);
        assert_eq!(back.cognito(), cognito);
        assert!(back.has_refresh_token());
        let shown = format!("{saved:?} {saved:#?}");
        assert!(
            !shown.contains("id-secret") && !shown.contains("refresh-secret"),
            "{shown}"
        );
        assert!(shown.contains("eu-west-1_Pool"), "{shown}");
    }
}
