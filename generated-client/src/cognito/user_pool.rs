//! Cognito's user-pool JSON API, reached with plain HTTP: the calls a public app client needs
//! (`InitiateAuth`, `RespondToAuthChallenge`, and `AssociateSoftwareToken` and
//! `VerifySoftwareToken` to set up an authenticator app). A public app client signs nothing, so
//! no AWS SDK or request signing is needed.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::CONTENT_TYPE;
use reqwest::Url;

use crate::runtime::error::Error;
use crate::runtime::retry::RetryPolicy;
use crate::runtime::secret::Secret;
use crate::runtime::{AuthError, AuthStep};

/// Which Cognito user pool and app client to log in with, and where Cognito is.
///
/// The default is Ecosuite's (public values; the app client has no secret): region
/// `us-east-1`, user pool `us-east-1_7BBBhGf1p`, app client `6fk3ot5ut181jt7r2pdp9h6m5q`, at
/// `https://cognito-idp.us-east-1.amazonaws.com/`.
///
/// ```
/// let cognito = ecosuite::CognitoConfig::new("eu-west-1_AbCdEf123", "1example23456789")
///     .endpoint("http://127.0.0.1:9229/"); // e.g. a local test double
/// assert_eq!(cognito.region_name(), "eu-west-1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoConfig {
    pub(crate) user_pool_id: String,
    pub(crate) client_id: String,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
}

impl Default for CognitoConfig {
    fn default() -> Self {
        CognitoConfig::new("us-east-1_7BBBhGf1p", "6fk3ot5ut181jt7r2pdp9h6m5q")
    }
}

impl CognitoConfig {
    /// A user pool (`<region>_<name>`) and one of its app clients; the region is the pool's.
    pub fn new(user_pool_id: impl Into<String>, client_id: impl Into<String>) -> Self {
        CognitoConfig {
            user_pool_id: user_pool_id.into(),
            client_id: client_id.into(),
            region: None,
            endpoint: None,
        }
    }

    pub fn user_pool_id(mut self, user_pool_id: impl Into<String>) -> Self {
        self.user_pool_id = user_pool_id.into();
        self
    }

    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = client_id.into();
        self
    }

    /// The AWS region; defaults to the prefix of the user pool ID.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Where to send Cognito's requests instead of `https://cognito-idp.<region>.amazonaws.com/`
    /// (a proxy, a VPC endpoint, a test double).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The region requests go to.
    pub fn region_name(&self) -> &str {
        match &self.region {
            Some(region) => region,
            None => self
                .user_pool_id
                .split_once('_')
                .map_or("", |(region, _)| region),
        }
    }

    /// The URL requests go to.
    pub fn endpoint_url(&self) -> String {
        match &self.endpoint {
            Some(url) => url.clone(),
            None => format!("https://cognito-idp.{}.amazonaws.com/", self.region_name()),
        }
    }
}

/// A configured connection to one user pool's app client.
#[derive(Clone)]
pub(crate) struct Cognito {
    http: reqwest::Client,
    endpoint: Url,
    client_id: Arc<str>,
    /// The part of the pool ID after `_`, which SRP hashes.
    pool_name: Arc<str>,
    retry: RetryPolicy,
    /// The client's per-request timeout, so a login cannot hang longer than a call.
    timeout: Option<Duration>,
    /// What it was made from, for a saved session.
    config: Arc<CognitoConfig>,
}

/// What Cognito answered: the tokens, or the next challenge.
pub(crate) enum Answer {
    Tokens(Tokens),
    Challenge(Challenge),
}

pub(crate) struct Tokens {
    pub(crate) id: Secret,
    /// Sent on login; a refresh sends one only when the pool rotates refresh tokens.
    pub(crate) refresh: Option<Secret>,
}

pub(crate) struct Challenge {
    pub(crate) name: String,
    /// Public values only (salt, SRP_B, secret block, masked delivery destination).
    pub(crate) parameters: HashMap<String, String>,
    pub(crate) session: Option<Secret>,
}

impl Challenge {
    pub(crate) fn parameter(&self, name: &str, step: AuthStep) -> Result<&str, AuthError> {
        self.parameters
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| AuthError::Protocol {
                step,
                reason: format!("the {} challenge has no {name}", self.name),
            })
    }
}

impl Cognito {
    pub(crate) fn new(
        config: &CognitoConfig,
        http: reqwest::Client,
        retry: RetryPolicy,
        timeout: Option<Duration>,
    ) -> Result<Self, Error> {
        let pool_name = match config.user_pool_id.split_once('_') {
            Some((region, name)) if !region.is_empty() && !name.is_empty() => name,
            _ => {
                return Err(Error::Config(format!(
                    "the user pool ID `{}` is not of the form `<region>_<name>`",
                    config.user_pool_id
                )))
            }
        };
        if config.client_id.is_empty() {
            return Err(Error::Config("the Cognito app client ID is empty".into()));
        }
        let url = config.endpoint_url();
        let endpoint = Url::parse(&url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                Error::Config(format!(
                    "the Cognito endpoint `{url}` is not an http(s) URL"
                ))
            })?;
        Ok(Cognito {
            http,
            endpoint,
            client_id: config.client_id.as_str().into(),
            pool_name: pool_name.into(),
            retry,
            timeout,
            config: Arc::new(config.clone()),
        })
    }

    pub(crate) fn pool_name(&self) -> &str {
        &self.pool_name
    }

    pub(crate) fn config(&self) -> &CognitoConfig {
        &self.config
    }

    /// `AssociateSoftwareToken`: starts setting up an authenticator app during the `MFA_SETUP`
    /// challenge. Returns the shared secret (base32) and the session for the next step.
    pub(crate) async fn associate_software_token(
        &self,
        session: &Secret,
    ) -> Result<(Secret, Secret), AuthError> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Raw {
            secret_code: Option<String>,
            session: Option<String>,
        }
        let step = AuthStep::MfaSetup;
        let body = serde_json::json!({ "Session": session.expose() });
        let bytes = self
            .call_raw("AssociateSoftwareToken", "MFA_SETUP", &body, step)
            .await?;
        let raw: Raw = parse_json(&bytes, step)?;
        let secret = raw.secret_code.ok_or_else(|| AuthError::Protocol {
            step,
            reason: "the answer has no SecretCode".into(),
        })?;
        // Cognito answers with a new session; an old one is still better than none.
        let next = raw.session.map_or_else(|| session.clone(), Secret::new);
        Ok((Secret::new(secret), next))
    }

    /// `VerifySoftwareToken`: proves the authenticator app computes the right codes. Returns
    /// the session to answer the `MFA_SETUP` challenge with.
    pub(crate) async fn verify_software_token(
        &self,
        session: &Secret,
        code: &Secret,
        device_name: Option<&str>,
    ) -> Result<Secret, AuthError> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Raw {
            status: Option<String>,
            session: Option<String>,
        }
        let step = AuthStep::MfaSetup;
        let mut body = serde_json::json!({
            "Session": session.expose(),
            "UserCode": code.expose(),
        });
        if let Some(name) = device_name {
            body["FriendlyDeviceName"] = name.into();
        }
        let bytes = self
            .call_raw("VerifySoftwareToken", "MFA_SETUP", &body, step)
            .await?;
        let raw: Raw = parse_json(&bytes, step)?;
        match raw.status.as_deref() {
            Some("SUCCESS") => Ok(raw.session.map_or_else(|| session.clone(), Secret::new)),
            other => Err(AuthError::Rejected {
                step,
                code: "CodeMismatchException".into(),
                message: format!(
                    "the authenticator app's code was not accepted (status {})",
                    other.unwrap_or("missing")
                ),
            }),
        }
    }

    /// `InitiateAuth` with one of the flows (`USER_SRP_AUTH`, `USER_PASSWORD_AUTH`,
    /// `REFRESH_TOKEN_AUTH`) and its parameters.
    pub(crate) async fn initiate(
        &self,
        flow: &'static str,
        parameters: &[(&str, &str)],
        step: AuthStep,
    ) -> Result<Answer, AuthError> {
        let body = serde_json::json!({
            "AuthFlow": flow,
            "ClientId": &*self.client_id,
            "AuthParameters": to_map(parameters),
        });
        self.call("InitiateAuth", flow, &body, step).await
    }

    /// `RespondToAuthChallenge` with the answers to one challenge.
    pub(crate) async fn respond(
        &self,
        challenge: &'static str,
        responses: &[(&str, &str)],
        session: Option<&Secret>,
        step: AuthStep,
    ) -> Result<Answer, AuthError> {
        let mut body = serde_json::json!({
            "ChallengeName": challenge,
            "ClientId": &*self.client_id,
            "ChallengeResponses": to_map(responses),
        });
        if let Some(session) = session {
            body["Session"] = session.expose().into();
        }
        self.call("RespondToAuthChallenge", challenge, &body, step)
            .await
    }

    async fn call(
        &self,
        action: &'static str,
        detail: &'static str,
        body: &serde_json::Value,
        step: AuthStep,
    ) -> Result<Answer, AuthError> {
        let bytes = self.call_raw(action, detail, body, step).await?;
        parse_answer(&bytes, step)
    }

    /// One call; the body of a successful answer.
    async fn call_raw(
        &self,
        action: &'static str,
        detail: &'static str,
        body: &serde_json::Value,
        step: AuthStep,
    ) -> Result<bytes::Bytes, AuthError> {
        // Serialised once: the body holds secrets and is never logged or quoted.
        let body = serde_json::to_vec(body).expect("a JSON value always serialises");
        let mut failures = 0;
        let response = loop {
            let started = Instant::now();
            let mut request = self.http.post(self.endpoint.clone());
            if let Some(timeout) = self.timeout {
                request = request.timeout(timeout);
            }
            let sent = request
                .header(
                    "X-Amz-Target",
                    format!("AWSCognitoIdentityProviderService.{action}"),
                )
                .header(CONTENT_TYPE, "application/x-amz-json-1.1")
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(response) => {
                    tracing::debug!(
                        action,
                        detail,
                        status = response.status().as_u16(),
                        latency_ms = started.elapsed().as_millis() as u64,
                        "Cognito answered"
                    );
                    break response;
                }
                // A connection that was never made carried nothing, so trying again cannot
                // repeat a login step; anything later might have, so it is not retried.
                Err(error) if error.is_connect() => {
                    failures += 1;
                    match self.retry.delay(failures, None) {
                        Some(delay) => {
                            tracing::info!(
                                action,
                                attempt = failures,
                                "cannot reach Cognito; retrying"
                            );
                            tokio::time::sleep(delay).await;
                        }
                        None => return Err(transport(step, error)),
                    }
                }
                Err(error) => return Err(transport(step, error)),
            }
        };
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|error| transport(step, error))?;
        if !status.is_success() {
            return Err(rejection(step, status, &bytes));
        }
        Ok(bytes)
    }
}

fn transport(step: AuthStep, error: reqwest::Error) -> AuthError {
    AuthError::Transport {
        step,
        source: Arc::new(error),
    }
}

fn to_map<'a>(pairs: &[(&'a str, &'a str)]) -> HashMap<&'a str, &'a str> {
    pairs.iter().copied().collect()
}

/// Cognito's errors are `{"__type": "NotAuthorizedException", "message": "..."}`; `__type`
/// may carry a namespace (`com.amazonaws...#NotAuthorizedException`).
fn rejection(step: AuthStep, status: reqwest::StatusCode, body: &[u8]) -> AuthError {
    #[derive(serde::Deserialize)]
    struct Failure {
        #[serde(rename = "__type")]
        kind: Option<String>,
        #[serde(alias = "Message")]
        message: Option<String>,
    }
    let failure = serde_json::from_slice::<Failure>(body).ok();
    let (kind, message) = match failure {
        Some(Failure { kind, message }) => (kind, message),
        None => (None, None),
    };
    let code = kind
        .map(|k| k.rsplit('#').next().unwrap_or(&k).to_string())
        .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
    AuthError::Rejected {
        step,
        code,
        message: message.unwrap_or_else(|| "no message".into()),
    }
}

/// Decodes one of Cognito's answers. serde's messages can quote the offending value, which
/// could be a token: keep only where.
fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8], step: AuthStep) -> Result<T, AuthError> {
    serde_json::from_slice(body).map_err(|e| AuthError::Protocol {
        step,
        reason: format!(
            "the body is not the JSON Cognito documents (line {}, column {})",
            e.line(),
            e.column()
        ),
    })
}

fn parse_answer(body: &[u8], step: AuthStep) -> Result<Answer, AuthError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Raw {
        challenge_name: Option<String>,
        #[serde(default)]
        challenge_parameters: HashMap<String, String>,
        session: Option<String>,
        authentication_result: Option<RawTokens>,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct RawTokens {
        id_token: Option<String>,
        refresh_token: Option<String>,
    }
    let raw: Raw = parse_json(body, step)?;
    if let Some(tokens) = raw.authentication_result {
        let id = tokens.id_token.ok_or_else(|| AuthError::Protocol {
            step,
            reason: "the authentication result has no IdToken".into(),
        })?;
        return Ok(Answer::Tokens(Tokens {
            id: Secret::new(id),
            refresh: tokens.refresh_token.map(Secret::new),
        }));
    }
    match raw.challenge_name {
        Some(name) => Ok(Answer::Challenge(Challenge {
            name,
            parameters: raw.challenge_parameters,
            session: raw.session.map(Secret::new),
        })),
        None => Err(AuthError::Protocol {
            step,
            reason: "the answer has neither tokens nor a challenge".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosuite_is_the_default() {
        let config = CognitoConfig::default();
        assert_eq!(config.region_name(), "us-east-1");
        assert_eq!(
            config.endpoint_url(),
            "https://cognito-idp.us-east-1.amazonaws.com/"
        );
        let cognito =
            Cognito::new(&config, reqwest::Client::new(), RetryPolicy::never(), None).unwrap();
        assert_eq!(cognito.pool_name(), "7BBBhGf1p");
        assert_eq!(&*cognito.client_id, "6fk3ot5ut181jt7r2pdp9h6m5q");
    }

    #[test]
    fn region_follows_the_pool_unless_set() {
        let config = CognitoConfig::default().user_pool_id("eu-west-2_abc");
        assert_eq!(config.region_name(), "eu-west-2");
        let config = config.region("ap-south-1");
        assert_eq!(
            config.endpoint_url(),
            "https://cognito-idp.ap-south-1.amazonaws.com/"
        );
    }

    #[test]
    fn bad_settings_are_config_errors() {
        let http = reqwest::Client::new;
        for config in [
            CognitoConfig::default().user_pool_id("nounderscore"),
            CognitoConfig::default().user_pool_id("_name"),
            CognitoConfig::default().client_id(""),
            CognitoConfig::default().endpoint("not a url"),
            CognitoConfig::default().endpoint("ftp://x/"),
        ] {
            let result = Cognito::new(&config, http(), RetryPolicy::never(), None);
            assert!(matches!(result, Err(Error::Config(_))), "{config:?}");
        }
    }

    #[test]
    fn errors_keep_cognitos_type_and_message() {
        let body = br#"{"__type":"com.amazonaws#NotAuthorizedException","message":"Incorrect username or password."}"#;
        let error = rejection(AuthStep::Password, reqwest::StatusCode::BAD_REQUEST, body);
        assert!(error.is_wrong_password());
        assert_eq!(
            error.to_string(),
            "Cognito refused the login: Incorrect username or password. (NotAuthorizedException)"
        );
        let error = rejection(
            AuthStep::Refresh,
            reqwest::StatusCode::BAD_GATEWAY,
            b"<html>",
        );
        assert_eq!(error.code(), Some("HTTP 502"));
        assert!(error.is_session_expired());
    }

    #[test]
    fn answers_never_quote_their_values() {
        let body =
            br#"{"AuthenticationResult":{"IdToken":7777777,"RefreshToken":"secret-refresh"}}"#;
        let Err(error) = parse_answer(body, AuthStep::Password) else {
            panic!("must fail")
        };
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains("secret-refresh") && !shown.contains("7777777"),
            "{shown}"
        );
    }

    #[test]
    fn challenges_and_tokens_are_told_apart() {
        let body =
            br#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","ChallengeParameters":{},"Session":"s"}"#;
        let Ok(Answer::Challenge(challenge)) = parse_answer(body, AuthStep::Password) else {
            panic!("a challenge")
        };
        assert_eq!(challenge.name, "SOFTWARE_TOKEN_MFA");
        assert_eq!(challenge.session.unwrap().expose(), "s");
        let body =
            br#"{"AuthenticationResult":{"IdToken":"id","AccessToken":"a","ExpiresIn":3600}}"#;
        let Ok(Answer::Tokens(tokens)) = parse_answer(body, AuthStep::Refresh) else {
            panic!("tokens")
        };
        assert_eq!(tokens.id.expose(), "id");
        assert!(tokens.refresh.is_none());
    }
}
