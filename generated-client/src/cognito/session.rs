//! A logged-in Cognito session: the current ID token, renewed with the refresh token shortly
//! before it expires or when the API rejects it, by one refresh at a time however many calls
//! are waiting for it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderValue;

use super::jwt;
use super::saved::SavedSession;
use super::user_pool::{Answer, Cognito, Tokens};
use crate::runtime::secret::Secret;
use crate::runtime::{AuthError, AuthStep};
use crate::runtime::{RenewFuture, Token, TokenFuture, TokenSource};

/// How long before `exp` a token is renewed, so that it cannot expire on its way to the server
/// or on a server whose clock runs a little ahead.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

pub(crate) struct Session {
    cognito: Cognito,
    current: RwLock<Current>,
    /// Held for the whole of a refresh: the lock is what makes the refresh single-flight.
    refresh: tokio::sync::Mutex<RefreshState>,
    /// Refresh attempts so far. A caller that finds this moved on while it waited for the lock
    /// takes the outcome of the attempt it waited for instead of making another.
    attempts: AtomicU64,
}

#[derive(Clone)]
struct Current {
    header: HeaderValue,
    expires_at: Option<SystemTime>,
    /// Counts renewals, so a caller can tell whether the token it used is still the current one.
    generation: u64,
}

struct RefreshState {
    token: Option<Secret>,
    last_failure: Option<AuthError>,
}

impl Current {
    fn new(id_token: &Secret, generation: u64, step: AuthStep) -> Result<Self, AuthError> {
        let mut header =
            HeaderValue::from_str(id_token.expose()).map_err(|_| AuthError::Protocol {
                step,
                reason: "the ID token contains characters not allowed in a header".into(),
            })?;
        header.set_sensitive(true);
        Ok(Current {
            header,
            expires_at: jwt::expires_at(id_token.expose()),
            generation,
        })
    }

    fn needs_refresh(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|at| now + REFRESH_MARGIN >= at)
    }

    fn expired(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }
}

impl Session {
    pub(crate) fn new(cognito: Cognito, tokens: Tokens, step: AuthStep) -> Result<Self, AuthError> {
        Ok(Session {
            cognito,
            current: RwLock::new(Current::new(&tokens.id, 0, step)?),
            refresh: tokio::sync::Mutex::new(RefreshState {
                token: tokens.refresh,
                last_failure: None,
            }),
            attempts: AtomicU64::new(0),
        })
    }

    fn current(&self) -> Current {
        // The value is replaced whole, so a poisoned lock still holds a consistent token.
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The `Authorization` value for one attempt, and which token it was, for
    /// [`Session::renew`].
    fn credential(&self, current: Current, attempts: u64) -> Token {
        Token {
            header: current.header,
            generation: current.generation,
            attempts,
        }
    }

    /// The session as it is now, to resume later; waits for a refresh under way, so the
    /// refresh token is the newest.
    pub(crate) async fn saved(&self) -> SavedSession {
        let state = self.refresh.lock().await;
        let current = self.current();
        let id_token = Secret::new(current.header.to_str().unwrap_or_default());
        SavedSession::from_parts(self.cognito.config(), id_token, state.token.clone())
    }

    /// The token to send now, renewed first if it is about to expire.
    pub(crate) async fn credential_for_call(&self) -> Result<Token, AuthError> {
        // Read before the token: a refresh that ends in between then counts as "someone else's".
        let attempts = self.attempts.load(Ordering::Acquire);
        let current = self.current();
        if !current.needs_refresh(SystemTime::now()) {
            return Ok(self.credential(current, attempts));
        }
        match self.refresh(current.generation, attempts).await {
            Ok(credential) => Ok(credential),
            // A token that has not expired yet still works; the next call tries again.
            Err(error) if !current.expired(SystemTime::now()) => {
                tracing::warn!(error = %error, "renewing the ID token failed; using it until it expires");
                Ok(self.credential(current, attempts))
            }
            Err(error) => Err(error),
        }
    }

    /// A new token after the server rejected `rejected` (401).
    pub(crate) async fn renew(&self, rejected: &Token) -> Result<Token, AuthError> {
        self.refresh(rejected.generation, rejected.attempts).await
    }

    async fn refresh(&self, generation: u64, attempts_seen: u64) -> Result<Token, AuthError> {
        let mut state = self.refresh.lock().await;
        let current = self.current();
        let attempts = self.attempts.load(Ordering::Acquire);
        if current.generation != generation {
            // Another call renewed the token while this one waited.
            return Ok(self.credential(current, attempts));
        }
        if attempts != attempts_seen {
            if let Some(failure) = &state.last_failure {
                // Another call just tried and failed; do not hammer Cognito once per waiter.
                return Err(failure.clone());
            }
        }
        let attempts = self.attempts.fetch_add(1, Ordering::AcqRel) + 1;
        let result = self.request_tokens(&state).await.and_then(|tokens| {
            let next = Current::new(&tokens.id, generation + 1, AuthStep::Refresh)?;
            Ok((next, tokens.refresh))
        });
        match result {
            Ok((next, rotated)) => {
                if rotated.is_some() {
                    state.token = rotated;
                }
                state.last_failure = None;
                *self.current.write().unwrap_or_else(PoisonError::into_inner) = next.clone();
                tracing::debug!(generation = next.generation, "ID token renewed");
                Ok(self.credential(next, attempts))
            }
            Err(error) => {
                state.last_failure = Some(error.clone());
                Err(error)
            }
        }
    }

    async fn request_tokens(&self, state: &RefreshState) -> Result<Tokens, AuthError> {
        let token = state.token.as_ref().ok_or(AuthError::NoRefreshToken)?;
        let answer = self
            .cognito
            .initiate(
                "REFRESH_TOKEN_AUTH",
                &[("REFRESH_TOKEN", token.expose())],
                AuthStep::Refresh,
            )
            .await?;
        match answer {
            Answer::Tokens(tokens) => Ok(tokens),
            Answer::Challenge(challenge) => Err(AuthError::UnsupportedChallenge(challenge.name)),
        }
    }
}

impl TokenSource for Session {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.credential_for_call())
    }

    fn renew<'a>(&'a self, rejected: &'a Token) -> RenewFuture<'a> {
        Box::pin(async move { Session::renew(self, rejected).await.map(Some) })
    }
}
