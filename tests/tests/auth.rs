//! Login and the token lifecycle against a fake Cognito and a fake API, both on 127.0.0.1.
//!
//! The fake Cognito is written here from the published description of Cognito's SRP, on the
//! server's side (verifier `v = g^x`, `B = k·v + g^b`, `S = (A·v^u)^b`), so a login only
//! succeeds when the client's independent client-side math agrees with it. It issues JWT-shaped
//! ID tokens with an `exp`, refresh tokens it can expire, MFA challenges, a first login's
//! `NEW_PASSWORD_REQUIRED`, and an authenticator app's setup (`AssociateSoftwareToken`,
//! `VerifySoftwareToken`, TOTP codes checked by RFC 6238); the fake API accepts only tokens the
//! fake Cognito issued, unrevoked and unexpired.

#[path = "common/capture.rs"]
mod capture;

use capture::Capture;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ecosuite::{
    AuthError, AuthFlow, CognitoConfig, Error, Login, MfaKind, RenewFuture, RetryPolicy,
    SavedSession, Token, TokenFuture, TokenSource,
};
use num_bigint::BigUint;
use ring::rand::SecureRandom as _;
use ring::{digest, hmac};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const POOL_ID: &str = "us-east-1_TestPool9";
const POOL_NAME: &str = "TestPool9";
const CLIENT_ID: &str = "fakeclientid123";
const PASSWORD: &str = "Correct-Horse-Battery-7";
const WRONG_PASSWORD: &str = "Wrong-Horse-Battery-8";
const TOTP_CODE: &str = "246810";
const WRONG_CODE: &str = "135799";
const SMS_CODE: &str = "975310";
const NEW_PASSWORD: &str = "Fresh-Horse-Battery-9";

// ---------------------------------------------------------------------------------------------
// SRP, server side
// ---------------------------------------------------------------------------------------------

const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

fn n() -> BigUint {
    BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap()
}

/// Big-endian with a zero byte in front when the top bit is set (Cognito's `padHex`).
fn pad(value: &BigUint) -> Vec<u8> {
    let mut bytes = value.to_bytes_be();
    if bytes[0] >= 0x80 {
        bytes.insert(0, 0);
    }
    bytes
}

fn sha256(data: &[u8]) -> Vec<u8> {
    digest::digest(&digest::SHA256, data).as_ref().to_vec()
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
        .as_ref()
        .to_vec()
}

fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    ring::rand::SystemRandom::new().fill(&mut bytes).unwrap();
    bytes
}

fn random_hex(len: usize) -> String {
    random_bytes(len)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn g() -> BigUint {
    BigUint::from(2u32)
}

fn k() -> BigUint {
    BigUint::from_bytes_be(&sha256(&[pad(&n()), pad(&g())].concat()))
}

/// x = H(salt | H(poolName | userId | ":" | password)), as registration would compute it.
fn private_x(user_id: &str, password: &str, salt: &BigUint) -> BigUint {
    let inner = sha256(format!("{POOL_NAME}{user_id}:{password}").as_bytes());
    BigUint::from_bytes_be(&sha256(&[pad(salt), inner].concat()))
}

// ---------------------------------------------------------------------------------------------
// The fake Cognito and the fake API
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Mfa {
    None,
    Totp,
    Sms,
    /// An authenticator app, to be set up at the first login.
    Setup,
}

struct User {
    /// Invited by an administrator: the password is temporary, a new one is required.
    invited: bool,
    /// Cognito's internal name for the user, which SRP hashes (not the login name).
    user_id: String,
    password: String,
    salt: BigUint,
    verifier: BigUint,
    mfa: Mfa,
}

struct PendingSrp {
    username: String,
    a: BigUint,
    b: BigUint,
    big_b: BigUint,
}

#[derive(Default)]
struct State {
    srp: HashMap<String, PendingSrp>,
    mfa_sessions: HashMap<String, String>,
    /// Every MFA session issued, answered or not.
    issued_sessions: Vec<String>,
    /// refresh token -> (username, expired)
    refresh_tokens: HashMap<String, (String, bool)>,
    /// Every ID token issued, with its `exp`.
    id_tokens: Vec<(String, u64)>,
    revoked: HashSet<String>,
    /// The fake API refuses every token.
    api_refuses_all: bool,
    refreshes: usize,
    /// What the fake API saw in `Authorization`, in order.
    api_saw: Vec<String>,
    /// `NEW_PASSWORD_REQUIRED` sessions -> username.
    new_password_sessions: HashMap<String, String>,
    /// Passwords users chose at their first login.
    new_passwords: HashMap<String, String>,
    /// `MFA_SETUP` sessions -> (username, the secret associated so far).
    setup_sessions: HashMap<String, (String, Option<Vec<u8>>)>,
    /// Sessions whose app's first code was verified -> username.
    verified_sessions: HashMap<String, String>,
    /// Authenticator apps set up: username -> secret.
    totp_secrets: HashMap<String, Vec<u8>>,
    cognito_requests: Vec<(String, Value)>,
}

struct Fake {
    users: HashMap<String, User>,
    state: Mutex<State>,
    /// Lifetimes of ID tokens issued at login and at refresh, in seconds (may be negative).
    login_lifetime: i64,
    refresh_lifetime: i64,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

impl Fake {
    fn new(login_lifetime: i64, refresh_lifetime: i64) -> Arc<Self> {
        let mut users = HashMap::new();
        for (name, mfa, invited) in [
            ("alice", Mfa::None, false),
            ("bob@example.com", Mfa::Totp, false),
            ("carol", Mfa::Sms, false),
            ("dave", Mfa::Totp, true),
            ("erin@example.com", Mfa::Setup, false),
            ("frank", Mfa::Setup, true),
        ] {
            let user_id = format!("id-{}", random_hex(6));
            // A salt whose top bit is set exercises the padding rule.
            let mut salt = random_bytes(16);
            salt[0] |= 0x80;
            let salt = BigUint::from_bytes_be(&salt);
            let verifier = g().modpow(&private_x(&user_id, PASSWORD, &salt), &n());
            users.insert(
                name.to_string(),
                User {
                    invited,
                    user_id,
                    password: PASSWORD.to_string(),
                    salt,
                    verifier,
                    mfa,
                },
            );
        }
        Arc::new(Fake {
            users,
            state: Mutex::new(State::default()),
            login_lifetime,
            refresh_lifetime,
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    fn id_token(&self, username: &str, lifetime: i64) -> String {
        let exp = (now_secs() as i64 + lifetime) as u64;
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"fake"}"#);
        let payload = URL_SAFE_NO_PAD.encode(
            json!({"sub": username, "token_use": "id", "exp": exp, "jti": random_hex(4)})
                .to_string(),
        );
        let token = format!(
            "{header}.{payload}.{}",
            URL_SAFE_NO_PAD.encode(random_bytes(24))
        );
        self.state().id_tokens.push((token.clone(), exp));
        token
    }

    fn tokens(&self, username: &str) -> ResponseTemplate {
        let id = self.id_token(username, self.login_lifetime);
        let refresh = format!("refresh-{}", random_hex(16));
        self.state()
            .refresh_tokens
            .insert(refresh.clone(), (username.to_string(), false));
        ok(json!({
            "AuthenticationResult": {
                "AccessToken": format!("access-{}", random_hex(8)),
                "ExpiresIn": 3600,
                "IdToken": id,
                "RefreshToken": refresh,
                "TokenType": "Bearer"
            },
            "ChallengeParameters": {}
        }))
    }

    fn session(&self) -> String {
        let session = format!("session-{}", random_hex(16));
        self.state().issued_sessions.push(session.clone());
        session
    }

    /// The password a user logs in with: the one chosen at the first login, if any.
    fn password_of(&self, username: &str) -> String {
        let chosen = self.state().new_passwords.get(username).cloned();
        chosen.unwrap_or_else(|| self.users[username].password.clone())
    }

    fn after_password(&self, username: &str) -> ResponseTemplate {
        let user = &self.users[username];
        if user.invited && !self.state().new_passwords.contains_key(username) {
            let session = self.session();
            self.state()
                .new_password_sessions
                .insert(session.clone(), username.to_string());
            return ok(json!({
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "ChallengeParameters": {
                    "USER_ID_FOR_SRP": user.user_id,
                    "requiredAttributes": "[]",
                    "userAttributes": "{\"email_verified\":\"true\"}"
                },
                "Session": session
            }));
        }
        self.after_new_password(username)
    }

    fn after_new_password(&self, username: &str) -> ResponseTemplate {
        let user = &self.users[username];
        let set_up = self.state().totp_secrets.contains_key(username);
        let (challenge, parameters) = match user.mfa {
            Mfa::None => return self.tokens(username),
            Mfa::Totp => ("SOFTWARE_TOKEN_MFA", json!({})),
            Mfa::Setup if set_up => ("SOFTWARE_TOKEN_MFA", json!({})),
            Mfa::Setup => {
                let session = self.session();
                self.state()
                    .setup_sessions
                    .insert(session.clone(), (username.to_string(), None));
                return ok(json!({
                    "ChallengeName": "MFA_SETUP",
                    "ChallengeParameters": {"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"},
                    "Session": session
                }));
            }
            Mfa::Sms => (
                "SMS_MFA",
                json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0123"}),
            ),
        };
        let session = self.session();
        self.state()
            .mfa_sessions
            .insert(session.clone(), username.to_string());
        ok(
            json!({"ChallengeName": challenge, "ChallengeParameters": parameters, "Session": session}),
        )
    }

    /// `AssociateSoftwareToken`: a new secret for the user of an `MFA_SETUP` session.
    fn associate(&self, body: &Value) -> ResponseTemplate {
        let session = body["Session"].as_str().unwrap_or_default();
        let Some((username, _)) = self.state().setup_sessions.remove(session) else {
            return reject("NotAuthorizedException", "Invalid session for the user.");
        };
        let secret = random_bytes(20);
        let next = self.session();
        self.state()
            .setup_sessions
            .insert(next.clone(), (username, Some(secret.clone())));
        ok(json!({"SecretCode": base32(&secret), "Session": next}))
    }

    /// `VerifySoftwareToken`: the app's first code, checked against the associated secret.
    fn verify(&self, body: &Value) -> ResponseTemplate {
        let session = body["Session"].as_str().unwrap_or_default();
        let found = self.state().setup_sessions.get(session).cloned();
        let Some((username, Some(secret))) = found else {
            return reject("NotAuthorizedException", "Invalid session for the user.");
        };
        if !totp_matches(&secret, body["UserCode"].as_str().unwrap_or_default()) {
            return reject("EnableSoftwareTokenMFAException", "Code mismatch");
        }
        let next = self.session();
        let mut state = self.state();
        state.setup_sessions.remove(session);
        state.totp_secrets.insert(username.clone(), secret);
        state.verified_sessions.insert(next.clone(), username);
        ok(json!({"Status": "SUCCESS", "Session": next}))
    }

    fn initiate(&self, body: &Value) -> ResponseTemplate {
        let params = &body["AuthParameters"];
        match body["AuthFlow"].as_str().unwrap_or_default() {
            "USER_SRP_AUTH" => {
                let username = params["USERNAME"].as_str().unwrap_or_default();
                let Some(user) = self.users.get(username) else {
                    return wrong_password();
                };
                let a = BigUint::parse_bytes(params["SRP_A"].as_str().unwrap().as_bytes(), 16)
                    .expect("SRP_A is hex");
                assert_ne!(&a % n(), BigUint::ZERO, "A must not be 0 mod N");
                let b = BigUint::from_bytes_be(&random_bytes(32));
                let big_b = (k() * &user.verifier + g().modpow(&b, &n())) % n();
                let secret_block = STANDARD.encode(random_bytes(64));
                self.state().srp.insert(
                    secret_block.clone(),
                    PendingSrp {
                        username: username.to_string(),
                        a,
                        b,
                        big_b: big_b.clone(),
                    },
                );
                ok(json!({
                    "ChallengeName": "PASSWORD_VERIFIER",
                    "ChallengeParameters": {
                        "SALT": user.salt.to_str_radix(16),
                        "SECRET_BLOCK": secret_block,
                        "SRP_B": big_b.to_str_radix(16),
                        "USERNAME": user.user_id,
                        "USER_ID_FOR_SRP": user.user_id
                    }
                }))
            }
            "USER_PASSWORD_AUTH" => {
                let username = params["USERNAME"].as_str().unwrap_or_default();
                match self.users.get(username) {
                    Some(_) if params["PASSWORD"] == self.password_of(username).as_str() => {
                        self.after_password(username)
                    }
                    _ => wrong_password(),
                }
            }
            "REFRESH_TOKEN_AUTH" => {
                let token = params["REFRESH_TOKEN"].as_str().unwrap_or_default();
                let found = self.state().refresh_tokens.get(token).cloned();
                match found {
                    Some((username, false)) => {
                        self.state().refreshes += 1;
                        let id = self.id_token(&username, self.refresh_lifetime);
                        ok(
                            json!({"AuthenticationResult": {"IdToken": id, "AccessToken": "a", "ExpiresIn": 3600}}),
                        )
                    }
                    Some((_, true)) => {
                        reject("NotAuthorizedException", "Refresh Token has expired")
                    }
                    None => reject("NotAuthorizedException", "Invalid Refresh Token"),
                }
            }
            other => reject(
                "InvalidParameterException",
                &format!("unknown flow {other}"),
            ),
        }
    }

    fn respond(&self, body: &Value) -> ResponseTemplate {
        let responses = &body["ChallengeResponses"];
        match body["ChallengeName"].as_str().unwrap_or_default() {
            "PASSWORD_VERIFIER" => {
                let block = responses["PASSWORD_CLAIM_SECRET_BLOCK"]
                    .as_str()
                    .unwrap_or_default();
                let Some(pending) = self.state().srp.remove(block) else {
                    return reject("NotAuthorizedException", "Invalid session");
                };
                let user = &self.users[&pending.username];
                assert_eq!(responses["USERNAME"], user.user_id.as_str());
                let timestamp = responses["TIMESTAMP"].as_str().unwrap_or_default();
                check_timestamp(timestamp);
                let u = BigUint::from_bytes_be(&sha256(
                    &[pad(&pending.a), pad(&pending.big_b)].concat(),
                ));
                let s = (&pending.a * user.verifier.modpow(&u, &n())).modpow(&pending.b, &n());
                let prk = hmac_sha256(&pad(&u), &pad(&s));
                let key = &hmac_sha256(&prk, b"Caldera Derived Key\x01")[..16];
                let message = [
                    POOL_NAME.as_bytes(),
                    user.user_id.as_bytes(),
                    &STANDARD.decode(block).unwrap(),
                    timestamp.as_bytes(),
                ]
                .concat();
                let expected = STANDARD.encode(hmac_sha256(key, &message));
                if responses["PASSWORD_CLAIM_SIGNATURE"] != expected.as_str() {
                    return wrong_password();
                }
                self.after_password(&pending.username)
            }
            name @ ("SOFTWARE_TOKEN_MFA" | "SMS_MFA") => {
                let session = body["Session"].as_str().unwrap_or_default();
                let Some(username) = self.state().mfa_sessions.get(session).cloned() else {
                    return reject("NotAuthorizedException", "Invalid session for the user.");
                };
                let (field, code) = if name == "SMS_MFA" {
                    ("SMS_MFA_CODE", SMS_CODE)
                } else {
                    ("SOFTWARE_TOKEN_MFA_CODE", TOTP_CODE)
                };
                let app = self.state().totp_secrets.get(&username).cloned();
                let right = match app {
                    // An app set up here: its code of the moment.
                    Some(secret) => {
                        totp_matches(&secret, responses[field].as_str().unwrap_or_default())
                    }
                    None => responses[field] == code,
                };
                if !right {
                    // The session stays usable, so the caller may try another code.
                    return reject("CodeMismatchException", "Invalid code received for user");
                }
                self.state().mfa_sessions.remove(session);
                self.tokens(&username)
            }
            "NEW_PASSWORD_REQUIRED" => {
                let session = body["Session"].as_str().unwrap_or_default();
                let Some(username) = self.state().new_password_sessions.get(session).cloned()
                else {
                    return reject("NotAuthorizedException", "Invalid session for the user.");
                };
                let named = responses["USERNAME"].as_str().unwrap_or_default();
                assert!(
                    named == self.users[&username].user_id || named == username,
                    "{named}"
                );
                let password = responses["NEW_PASSWORD"].as_str().unwrap_or_default();
                if password.len() < 8 || password == self.users[&username].password {
                    // The session stays usable, so the caller may try another password.
                    return reject(
                        "InvalidPasswordException",
                        "Password does not conform to policy",
                    );
                }
                let mut state = self.state();
                state.new_password_sessions.remove(session);
                state
                    .new_passwords
                    .insert(username.clone(), password.to_string());
                drop(state);
                self.after_new_password(&username)
            }
            "MFA_SETUP" => {
                let session = body["Session"].as_str().unwrap_or_default();
                let Some(username) = self.state().verified_sessions.remove(session) else {
                    return reject("NotAuthorizedException", "Invalid session for the user.");
                };
                let named = responses["USERNAME"].as_str().unwrap_or_default();
                assert!(
                    named == self.users[&username].user_id || named == username,
                    "{named}"
                );
                self.tokens(&username)
            }
            other => reject(
                "InvalidParameterException",
                &format!("unexpected challenge {other}"),
            ),
        }
    }

    /// Whether the fake API accepts this `Authorization` value.
    fn accepts(&self, token: &str) -> bool {
        let state = self.state();
        !state.api_refuses_all
            && !state.revoked.contains(token)
            && state
                .id_tokens
                .iter()
                .any(|(t, exp)| t == token && *exp > now_secs())
    }

    fn last_id_token(&self) -> String {
        self.state().id_tokens.last().unwrap().0.clone()
    }

    /// Every secret this fake handed out or was sent.
    fn secrets(&self) -> Vec<String> {
        let state = self.state();
        let mut secrets: Vec<String> = state.id_tokens.iter().map(|(t, _)| t.clone()).collect();
        // A token's signature segment alone would also be a leak.
        secrets.extend(
            state
                .id_tokens
                .iter()
                .map(|(t, _)| t.rsplit('.').next().unwrap().to_string()),
        );
        secrets.extend(state.refresh_tokens.keys().cloned());
        secrets.extend(state.issued_sessions.iter().cloned());
        secrets.extend(state.new_passwords.values().cloned());
        secrets.extend(state.totp_secrets.values().map(|s| base32(s)));
        secrets
            .extend([PASSWORD, WRONG_PASSWORD, TOTP_CODE, WRONG_CODE, SMS_CODE].map(String::from));
        secrets
    }
}

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) and base32 (RFC 4648)
// ---------------------------------------------------------------------------------------------

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buffer = [0u8; 5];
        buffer[..chunk.len()].copy_from_slice(chunk);
        let bits = buffer.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(BASE32[(bits >> (35 - 5 * i) & 31) as usize] as char);
        }
    }
    out
}

fn base32_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u32, 0);
    for c in text.trim_end_matches('=').bytes() {
        let value = BASE32
            .iter()
            .position(|b| *b == c.to_ascii_uppercase())
            .expect("base32") as u32;
        bits = bits << 5 | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// The code an authenticator app shows for `secret` in the 30-second step `counter`.
fn totp_at(secret: &[u8], counter: u64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let mac = hmac::sign(&key, &counter.to_be_bytes());
    let mac = mac.as_ref();
    let offset = (mac[19] & 0xf) as usize;
    let value = u32::from_be_bytes(mac[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", value % 1_000_000)
}

fn totp(secret: &[u8]) -> String {
    totp_at(secret, now_secs() / 30)
}

/// Accepts the code of this step and of the steps either side, as Cognito does.
fn totp_matches(secret: &[u8], code: &str) -> bool {
    let step = now_secs() / 30;
    [step - 1, step, step + 1]
        .iter()
        .any(|s| totp_at(secret, *s) == code)
}

/// What a user's authenticator app computes after reading an `otpauth://` URI.
fn code_from_uri(uri: &str) -> String {
    let query = uri.split_once('?').expect("a query").1;
    let secret = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("secret="))
        .expect("a secret");
    totp(&base32_decode(secret))
}

#[test]
fn totp_follows_rfc_6238() {
    // RFC 6238, appendix B: the SHA-1 secret, at 59 s and 1111111109 s (8 digits there).
    let secret = b"12345678901234567890";
    assert_eq!(totp_at(secret, 59 / 30), "287082");
    assert_eq!(totp_at(secret, 1_111_111_109 / 30), "081804");
    assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
    assert_eq!(base32_decode("MZXW6YTBOI"), b"foobar");
}

fn check_timestamp(timestamp: &str) {
    let parsed = chrono::NaiveDateTime::parse_from_str(timestamp, "%a %b %e %H:%M:%S UTC %Y")
        .unwrap_or_else(|e| panic!("TIMESTAMP `{timestamp}`: {e}"));
    // Cognito's format: day of month not padded.
    assert_eq!(
        parsed.format("%a %b %-d %H:%M:%S UTC %Y").to_string(),
        timestamp
    );
    let skew = parsed.and_utc().timestamp() - now_secs() as i64;
    assert!(skew.abs() < 300, "TIMESTAMP `{timestamp}` is not now");
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/x-amz-json-1.1")
}

fn reject(kind: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_raw(
        json!({"__type": kind, "message": message}).to_string(),
        "application/x-amz-json-1.1",
    )
}

fn wrong_password() -> ResponseTemplate {
    reject("NotAuthorizedException", "Incorrect username or password.")
}

struct CognitoResponder(Arc<Fake>);

impl Respond for CognitoResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let target = request
            .headers
            .get("x-amz-target")
            .unwrap()
            .to_str()
            .unwrap();
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        self.0
            .state()
            .cognito_requests
            .push((target.to_string(), body.clone()));
        let needs_client = !target.ends_with("SoftwareToken");
        if needs_client && body["ClientId"] != CLIENT_ID {
            return reject(
                "ResourceNotFoundException",
                "User pool client does not exist.",
            );
        }
        match target {
            "AWSCognitoIdentityProviderService.InitiateAuth" => self.0.initiate(&body),
            "AWSCognitoIdentityProviderService.RespondToAuthChallenge" => self.0.respond(&body),
            "AWSCognitoIdentityProviderService.AssociateSoftwareToken" => self.0.associate(&body),
            "AWSCognitoIdentityProviderService.VerifySoftwareToken" => self.0.verify(&body),
            other => reject("UnknownOperationException", other),
        }
    }
}

struct ApiResponder(Arc<Fake>);

impl Respond for ApiResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let accepted = self.0.accepts(&token);
        self.0.state().api_saw.push(token);
        if accepted {
            ResponseTemplate::new(200).set_body_json(json!({"projects": []}))
        } else {
            ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthorized"}))
        }
    }
}

/// A fake Cognito and a fake API (`GET /projects`) sharing one `Fake`.
struct World {
    fake: Arc<Fake>,
    cognito: MockServer,
    api: MockServer,
}

impl World {
    async fn new(login_lifetime: i64, refresh_lifetime: i64) -> World {
        let fake = Fake::new(login_lifetime, refresh_lifetime);
        let cognito = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/"))
            .and(header("content-type", "application/x-amz-json-1.1"))
            .respond_with(CognitoResponder(fake.clone()))
            .mount(&cognito)
            .await;
        let api = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/projects"))
            .respond_with(ApiResponder(fake.clone()))
            .mount(&api)
            .await;
        World { fake, cognito, api }
    }

    fn cognito_config(&self) -> CognitoConfig {
        CognitoConfig::new(POOL_ID, CLIENT_ID).endpoint(format!("{}/", self.cognito.uri()))
    }

    fn login(&self, username: &str, password: &str) -> ecosuite::LoginBuilder {
        ecosuite::Client::builder()
            .base_url(self.api.uri())
            .retry(fast_retries())
            .login(username, password)
            .cognito(self.cognito_config())
    }

    fn refreshes(&self) -> usize {
        self.fake.state().refreshes
    }

    fn api_saw(&self) -> Vec<String> {
        self.fake.state().api_saw.clone()
    }
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(5))
}

async fn list(client: &ecosuite::Client) -> Result<(), Error> {
    client.project().projects().send().await.map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// Login
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn srp_login_gives_a_client_that_sends_the_raw_id_token() {
    let world = World::new(3600, 3600).await;
    let client = world.login("alice", PASSWORD).build().await.expect("login");
    list(&client).await.expect("the API accepts the token");

    let id_token = world.fake.last_id_token();
    assert_eq!(world.api_saw(), [id_token], "raw ID token, no `Bearer`");
    assert_eq!(world.refreshes(), 0);

    // The client spoke Cognito's JSON API: InitiateAuth with SRP_A, then the verifier.
    let requests = world.fake.state().cognito_requests.clone();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].0,
        "AWSCognitoIdentityProviderService.InitiateAuth"
    );
    assert_eq!(requests[0].1["AuthFlow"], "USER_SRP_AUTH");
    assert_eq!(requests[0].1["AuthParameters"]["USERNAME"], "alice");
    assert!(requests[0].1["AuthParameters"].get("PASSWORD").is_none());
    assert_eq!(
        requests[1].0,
        "AWSCognitoIdentityProviderService.RespondToAuthChallenge"
    );
    assert_eq!(requests[1].1["ChallengeName"], "PASSWORD_VERIFIER");
    let sent = serde_json::to_string(&requests).unwrap();
    assert!(!sent.contains(PASSWORD), "SRP never sends the password");
}

#[tokio::test]
async fn totp_challenge_two_steps_with_a_wrong_code_first() {
    let world = World::new(3600, 3600).await;
    let Login::Mfa(challenge) = world
        .login("bob@example.com", PASSWORD)
        .start()
        .await
        .unwrap()
    else {
        panic!("Cognito asks for a TOTP code")
    };
    assert_eq!(challenge.kind(), MfaKind::Totp);

    let error = challenge.respond(WRONG_CODE).await.unwrap_err();
    let auth = error.auth().expect("an auth error");
    assert!(auth.is_wrong_code(), "{error}");
    assert_eq!(auth.code(), Some("CodeMismatchException"));

    let client = challenge.respond(TOTP_CODE).await.expect("right code");
    list(&client).await.expect("the API accepts the token");
    assert_eq!(world.api_saw(), [world.fake.last_id_token()]);
}

#[tokio::test]
async fn totp_challenge_answered_by_a_callback() {
    let world = World::new(3600, 3600).await;
    let asked = Arc::new(Mutex::new(None));
    let seen = asked.clone();
    let client = world
        .login("bob@example.com", PASSWORD)
        .mfa(move |challenge| {
            *seen.lock().unwrap() = Some(challenge.kind());
            // The answer may come later, from elsewhere: the callback is async.
            async {
                tokio::task::yield_now().await;
                Some(format!(" {TOTP_CODE}\n"))
            }
        })
        .build()
        .await
        .expect("login with the callback's code");
    assert_eq!(*asked.lock().unwrap(), Some(MfaKind::Totp));
    list(&client).await.unwrap();
}

#[tokio::test]
async fn mfa_without_an_answer_is_a_clear_error() {
    let world = World::new(3600, 3600).await;
    let error = world
        .login("bob@example.com", PASSWORD)
        .build()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.auth(),
            Some(ecosuite::AuthError::MfaRequired(MfaKind::Totp))
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("authenticator app"), "{error}");

    let error = world
        .login("bob@example.com", PASSWORD)
        .mfa(|_| async { None })
        .build()
        .await
        .unwrap_err();
    assert!(
        matches!(error.auth(), Some(ecosuite::AuthError::MfaCancelled)),
        "{error:?}"
    );
}

#[tokio::test]
async fn user_password_flow_with_an_sms_code() {
    let world = World::new(3600, 3600).await;
    let login = world
        .login("carol", PASSWORD)
        .flow(AuthFlow::UserPassword)
        .start()
        .await
        .unwrap();
    let Login::Mfa(challenge) = login else {
        panic!("Cognito asks for an SMS code")
    };
    assert_eq!(challenge.kind(), MfaKind::Sms);
    assert_eq!(challenge.destination(), Some("+*******0123"));
    let client = challenge.respond(SMS_CODE).await.unwrap();
    list(&client).await.unwrap();
    let requests = world.fake.state().cognito_requests.clone();
    assert_eq!(requests[0].1["AuthFlow"], "USER_PASSWORD_AUTH");
}

#[tokio::test]
async fn wrong_password_is_refused_without_echoing_it() {
    let world = World::new(3600, 3600).await;
    for flow in [AuthFlow::UserSrp, AuthFlow::UserPassword] {
        let error = world
            .login("alice", WRONG_PASSWORD)
            .flow(flow)
            .build()
            .await
            .unwrap_err();
        let auth = error.auth().expect("an auth error");
        assert!(auth.is_wrong_password(), "{error:?}");
        assert_eq!(
            error.to_string(),
            "Cognito refused the login: Incorrect username or password. (NotAuthorizedException)"
        );
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(WRONG_PASSWORD), "{shown}");
    }
    assert!(world.api_saw().is_empty());
}

#[tokio::test]
async fn unreachable_cognito_is_a_transport_auth_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let error = ecosuite::Client::builder()
        .retry(RetryPolicy::never())
        .login("alice", PASSWORD)
        .cognito(
            CognitoConfig::new(POOL_ID, CLIENT_ID).endpoint(format!("http://127.0.0.1:{port}/")),
        )
        .build()
        .await
        .unwrap_err();
    assert!(
        matches!(error.auth(), Some(ecosuite::AuthError::Transport { .. })),
        "{error:?}"
    );
    assert!(std::error::Error::source(&error).is_some());
}

// ---------------------------------------------------------------------------------------------
// Token lifecycle
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_token_about_to_expire_is_refreshed_before_the_call() {
    // Issued with 30 s to live: inside the client's refresh margin.
    let world = World::new(30, 3600).await;
    let client = world.login("alice", PASSWORD).build().await.unwrap();
    let first = world.fake.last_id_token();
    list(&client).await.unwrap();
    assert_eq!(world.refreshes(), 1);
    let renewed = world.fake.last_id_token();
    assert_ne!(first, renewed);
    assert_eq!(world.api_saw().len(), 1);
    assert_eq!(world.api_saw()[0], renewed, "the old token was never sent");

    // The renewed token lives long: no further refresh.
    list(&client).await.unwrap();
    assert_eq!(world.refreshes(), 1);
    assert_eq!(world.api_saw(), [renewed.clone(), renewed]);
}

/// `id_token()` hands the session's token to another program (`ecosuite login` prints it):
/// the current one, or a renewed one when it is about to expire; none without credentials.
#[tokio::test]
async fn id_token_is_the_token_the_next_call_sends() {
    let world = World::new(3600, 3600).await;
    let client = world.login("alice", PASSWORD).build().await.unwrap();
    let current = world.fake.last_id_token();
    assert_eq!(client.id_token().await.unwrap(), Some(current));
    assert_eq!(world.refreshes(), 0);

    let world = World::new(30, 3600).await;
    let client = world.login("alice", PASSWORD).build().await.unwrap();
    let expiring = world.fake.last_id_token();
    let handed_out = client.id_token().await.unwrap().unwrap();
    assert_eq!(world.refreshes(), 1);
    assert_ne!(
        handed_out, expiring,
        "a token about to expire is renewed first"
    );
    assert_eq!(handed_out, world.fake.last_id_token());

    let anonymous = ecosuite::Client::builder().build().unwrap();
    assert_eq!(anonymous.id_token().await.unwrap(), None);
}

#[tokio::test]
async fn concurrent_calls_share_one_refresh() {
    let world = World::new(-10, 3600).await;
    let client = world.login("alice", PASSWORD).build().await.unwrap();
    let calls: Vec<_> = (0..40)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list(&client).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("every call succeeds");
    }
    assert_eq!(world.refreshes(), 1, "one refresh for all 40 calls");
    let renewed = world.fake.last_id_token();
    let saw = world.api_saw();
    assert_eq!(saw.len(), 40);
    assert!(saw.iter().all(|t| *t == renewed));
}

#[tokio::test]
async fn a_401_triggers_one_refresh_and_one_retry() {
    let world = World::new(3600, 3600).await;
    let client = world.login("alice", PASSWORD).build().await.unwrap();
    let first = world.fake.last_id_token();
    world.fake.state().revoked.insert(first.clone());

    list(&client).await.expect("succeeds after the refresh");
    let renewed = world.fake.last_id_token();
    assert_eq!(world.refreshes(), 1);
    assert_eq!(world.api_saw(), [first, renewed]);

    // If the renewed token is refused too, the 401 is returned after one retry, not looped on.
    world.fake.state().api_refuses_all = true;
    let error = list(&client).await.unwrap_err();
    assert_eq!(
        error.status(),
        Some(ecosuite::StatusCode::UNAUTHORIZED),
        "{error:?}"
    );
    assert_eq!(world.refreshes(), 2);
    assert_eq!(world.api_saw().len(), 4);
}

#[tokio::test]
async fn an_expired_refresh_token_ends_the_session() {
    let world = World::new(-10, 3600).await;
    let client = world.login("alice", PASSWORD).build().await.unwrap();
    for (_, (_, expired)) in world.fake.state().refresh_tokens.iter_mut() {
        *expired = true;
    }
    let error = list(&client).await.unwrap_err();
    let auth = error.auth().expect("an auth error");
    assert!(auth.is_session_expired(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "Cognito refused the session refresh: Refresh Token has expired (NotAuthorizedException); log in again"
    );
    assert!(world.api_saw().is_empty(), "an expired token is not sent");
}

#[tokio::test]
async fn a_static_token_is_sent_as_it_is_and_never_refreshed() {
    let world = World::new(3600, 3600).await;
    let revoked = world.fake.id_token("alice", 3600);
    world.fake.state().revoked.insert(revoked.clone());
    let client = ecosuite::Client::builder()
        .base_url(world.api.uri())
        .token(&revoked)
        .build()
        .unwrap();
    let error = list(&client).await.unwrap_err();
    assert_eq!(error.status(), Some(ecosuite::StatusCode::UNAUTHORIZED));
    assert_eq!(world.api_saw(), [revoked]);
    assert_eq!(world.refreshes(), 0);
}

// ---------------------------------------------------------------------------------------------
// Saved sessions
// ---------------------------------------------------------------------------------------------

fn cognito_calls(world: &World) -> usize {
    world.fake.state().cognito_requests.len()
}

/// A client built from a saved session, as another process would (through JSON).
fn resume(world: &World, json: &str) -> ecosuite::Client {
    let saved: SavedSession = serde_json::from_str(json).expect("a saved session");
    ecosuite::Client::builder()
        .base_url(world.api.uri())
        .retry(fast_retries())
        .session(saved)
        .build()
        .expect("a client from the saved session")
}

#[tokio::test]
async fn a_saved_session_is_resumed_without_password_or_code() {
    let world = World::new(3600, 3600).await;
    let Login::Mfa(challenge) = world
        .login("bob@example.com", PASSWORD)
        .start()
        .await
        .unwrap()
    else {
        panic!("Cognito asks for a TOTP code")
    };
    let client = challenge.respond(TOTP_CODE).await.unwrap();
    let saved = client
        .saved_session()
        .await
        .expect("a logged-in client has a session");
    assert_eq!(saved.id_token(), world.fake.last_id_token());
    assert!(saved.has_refresh_token());
    assert_eq!(saved.cognito(), world.cognito_config());
    let shown = format!("{saved:?}");
    assert!(!shown.contains(saved.id_token()), "{shown}");
    let json = serde_json::to_string(&saved).unwrap();
    assert!(
        !json.contains(PASSWORD) && !json.contains(TOTP_CODE),
        "{json}"
    );
    drop(client);

    let calls = cognito_calls(&world);
    let resumed = resume(&world, &json);
    list(&resumed).await.expect("the saved token is accepted");
    assert_eq!(
        cognito_calls(&world),
        calls,
        "no password, no code, no refresh"
    );
    assert_eq!(world.api_saw(), [saved.id_token().to_string()]);
    assert_eq!(resumed.saved_session().await, Some(saved));

    // A client with a fixed token has no session to hand out.
    let fixed = ecosuite::Client::builder().token("t").build().unwrap();
    assert_eq!(fixed.saved_session().await, None);
}

#[tokio::test]
async fn a_resumed_session_refreshes_and_hands_out_the_renewed_token() {
    // The saved ID token has expired: the resumed client renews it before the first call.
    let world = World::new(-10, 3600).await;
    let client = world.login("alice", PASSWORD).build().await.unwrap();
    let json = serde_json::to_string(&client.saved_session().await.unwrap()).unwrap();
    let expired = world.fake.last_id_token();

    let resumed = resume(&world, &json);
    list(&resumed).await.expect("renewed, then accepted");
    assert_eq!(world.refreshes(), 1);
    let renewed = world.fake.last_id_token();
    assert_ne!(renewed, expired);
    assert_eq!(world.api_saw(), [renewed.as_str()]);
    let saved = resumed.saved_session().await.unwrap();
    assert_eq!(
        saved.id_token(),
        renewed,
        "the session to save next is the renewed one"
    );
    assert!(saved.expires_at().unwrap() > SystemTime::now());
}

#[tokio::test]
async fn a_resumed_session_whose_refresh_token_expired_says_log_in_again() {
    let world = World::new(-10, 3600).await;
    let client = world.login("alice", PASSWORD).build().await.unwrap();
    let json = serde_json::to_string(&client.saved_session().await.unwrap()).unwrap();
    for (_, (_, expired)) in world.fake.state().refresh_tokens.iter_mut() {
        *expired = true;
    }
    let error = list(&resume(&world, &json)).await.unwrap_err();
    let auth = error.auth().expect("an auth error");
    assert!(auth.is_session_expired(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "Cognito refused the session refresh: Refresh Token has expired (NotAuthorizedException); log in again"
    );
    assert!(world.api_saw().is_empty(), "an expired token is not sent");

    // A revoked (unknown) refresh token too.
    let mut saved: Value = serde_json::from_str(&json).unwrap();
    saved["refreshToken"] = "refresh-revoked".into();
    let error = list(&resume(&world, &saved.to_string())).await.unwrap_err();
    assert!(error.auth().unwrap().is_session_expired(), "{error:?}");
    assert!(error.to_string().ends_with("; log in again"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Token sources
// ---------------------------------------------------------------------------------------------

/// A source of the test's own: hands out `first`, then `renewed` after a 401.
struct Rotating {
    first: String,
    renewed: String,
    asked: AtomicUsize,
    rejected: Mutex<Vec<u64>>,
}

impl TokenSource for Rotating {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            self.asked.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            if self.rejected.lock().unwrap().is_empty() {
                Token::new(&self.first)
            } else {
                Ok(Token::new(&self.renewed)?.with_generation(1))
            }
        })
    }

    fn renew<'a>(&'a self, rejected: &'a Token) -> RenewFuture<'a> {
        Box::pin(async move {
            self.rejected.lock().unwrap().push(rejected.generation());
            Ok(Some(Token::new(&self.renewed)?.with_generation(1)))
        })
    }
}

#[tokio::test]
async fn a_custom_token_source_is_asked_and_told_of_a_401() {
    let world = World::new(3600, 3600).await;
    let first = world.fake.id_token("alice", 3600);
    world.fake.state().revoked.insert(first.clone());
    let renewed = world.fake.id_token("alice", 3600);
    let source = Arc::new(Rotating {
        first: first.clone(),
        renewed: renewed.clone(),
        asked: AtomicUsize::new(0),
        rejected: Mutex::new(Vec::new()),
    });

    let client = ecosuite::Client::builder()
        .base_url(world.api.uri())
        // Shared: the test keeps a handle on the source.
        .token_source(source.clone())
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains(&first));

    // Calls stay spawnable with a source of the caller's own.
    let spawned = tokio::spawn({
        let client = client.clone();
        async move { list(&client).await }
    });
    spawned
        .await
        .unwrap()
        .expect("succeeds with the renewed token");
    assert_eq!(world.api_saw(), [first, renewed.clone()]);
    assert_eq!(*source.rejected.lock().unwrap(), [0]);
    assert_eq!(source.asked.load(Ordering::SeqCst), 1);

    list(&client).await.unwrap();
    assert_eq!(world.api_saw().last(), Some(&renewed));
    assert_eq!(source.asked.load(Ordering::SeqCst), 2);
    assert_eq!(world.refreshes(), 0, "Cognito is not involved");

    // A source that fails: its error, as an auth error.
    struct Failing;
    impl TokenSource for Failing {
        fn token(&self) -> TokenFuture<'_> {
            Box::pin(async { Err(AuthError::token_source("the vault is sealed")) })
        }
    }
    let client = ecosuite::Client::builder()
        .base_url(world.api.uri())
        .token_source(Failing)
        .build()
        .unwrap();
    let error = list(&client).await.unwrap_err();
    assert!(
        matches!(error.auth(), Some(AuthError::TokenSource(_))),
        "{error:?}"
    );
    assert!(error.to_string().contains("the vault is sealed"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// First logins: a new password, an authenticator app to set up
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_invited_user_sets_a_new_password_then_passes_totp() {
    let world = World::new(3600, 3600).await;
    for flow in [AuthFlow::UserSrp, AuthFlow::UserPassword] {
        let world = World::new(3600, 3600).await;
        let Login::NewPassword(challenge) = world
            .login("dave", PASSWORD)
            .flow(flow)
            .start()
            .await
            .unwrap()
        else {
            panic!("Cognito asks for a new password")
        };
        assert!(challenge.required_attributes().is_empty());
        let shown = format!("{challenge:?}");

        // The pool's policy refuses the temporary password; the challenge can be answered again.
        let error = challenge.respond(PASSWORD).await.unwrap_err();
        assert!(error.auth().unwrap().is_invalid_password(), "{error:?}");

        let Login::Mfa(mfa) = challenge.respond(NEW_PASSWORD).await.unwrap() else {
            panic!("then a TOTP code")
        };
        assert_eq!(mfa.kind(), MfaKind::Totp);
        let client = mfa.respond(TOTP_CODE).await.unwrap();
        list(&client).await.unwrap();
        assert_eq!(
            world
                .fake
                .state()
                .new_passwords
                .get("dave")
                .map(String::as_str),
            Some(NEW_PASSWORD)
        );
        for secret in world.fake.secrets() {
            assert!(!shown.contains(&secret), "{shown}");
        }
    }

    // With callbacks, in one go; and the next login asks for no new password.
    let client = world
        .login("dave", PASSWORD)
        .new_password(|challenge| {
            assert!(challenge.required_attributes().is_empty());
            async { Some(NEW_PASSWORD.to_string()) }
        })
        .mfa(|_| async { Some(TOTP_CODE.to_string()) })
        .build()
        .await
        .expect("first login");
    list(&client).await.unwrap();
    let Login::Mfa(_) = world
        .login("dave", NEW_PASSWORD)
        .flow(AuthFlow::UserPassword)
        .start()
        .await
        .unwrap()
    else {
        panic!("only the TOTP code, this time")
    };

    // Without a callback, `build` says what to do.
    let world = World::new(3600, 3600).await;
    let error = world.login("dave", PASSWORD).build().await.unwrap_err();
    assert!(
        matches!(error.auth(), Some(AuthError::NewPasswordRequired)),
        "{error:?}"
    );
}

#[tokio::test]
async fn mfa_setup_completes_with_a_code_computed_from_the_shown_secret() {
    let world = World::new(3600, 3600).await;
    let Login::MfaSetup(setup) = world
        .login("erin@example.com", PASSWORD)
        .start()
        .await
        .unwrap()
    else {
        panic!("Cognito asks to set up an authenticator app")
    };
    let uri = setup.otpauth_uri("Ecosuite");
    assert!(
        uri.starts_with("otpauth://totp/Ecosuite:erin%40example%2Ecom?secret="),
        "{uri}"
    );
    assert!(uri.ends_with("&issuer=Ecosuite"), "{uri}");
    assert!(uri.contains(setup.secret()));
    let shown = format!("{setup:?}");
    assert!(!shown.contains(setup.secret()), "{shown}");

    // A wrong first code can be followed by the right one.
    let code = code_from_uri(&uri);
    let wrong = format!(
        "{:06}",
        (code.parse::<u32>().unwrap() + 500_000) % 1_000_000
    );
    let error = setup.verify(&wrong).await.unwrap_err();
    assert!(error.auth().unwrap().is_wrong_code(), "{error:?}");
    let client = setup.verify(&code).await.expect("the app's code");
    list(&client).await.unwrap();

    // The next login asks for the app's code, which the same secret computes.
    let Login::Mfa(challenge) = world
        .login("erin@example.com", PASSWORD)
        .start()
        .await
        .unwrap()
    else {
        panic!("now a TOTP code")
    };
    assert_eq!(challenge.kind(), MfaKind::Totp);
    challenge.respond(&code_from_uri(&uri)).await.unwrap();
}

#[tokio::test]
async fn an_invited_user_chooses_a_password_and_sets_up_an_app_through_callbacks() {
    let world = World::new(3600, 3600).await;
    let shown_uri = Arc::new(Mutex::new(String::new()));
    let seen = shown_uri.clone();
    let client = world
        .login("frank", PASSWORD)
        .new_password(|_| async { Some(NEW_PASSWORD.to_string()) })
        .mfa_setup(move |setup| {
            let uri = setup.otpauth_uri("Ecosuite");
            *seen.lock().unwrap() = uri.clone();
            // The user reads the QR code and types the app's code, later.
            async move {
                tokio::task::yield_now().await;
                Some(code_from_uri(&uri))
            }
        })
        .build()
        .await
        .expect("first login");
    list(&client).await.unwrap();
    assert!(shown_uri
        .lock()
        .unwrap()
        .starts_with("otpauth://totp/Ecosuite:frank?"));
    let targets: Vec<String> = world
        .fake
        .state()
        .cognito_requests
        .iter()
        .map(|(target, body)| {
            let target = target.rsplit('.').next().unwrap().to_string();
            match body["ChallengeName"].as_str() {
                Some(name) => format!("{target} {name}"),
                None => target,
            }
        })
        .collect();
    assert_eq!(
        targets,
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge NEW_PASSWORD_REQUIRED",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
            "RespondToAuthChallenge MFA_SETUP",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets and tracing
// ---------------------------------------------------------------------------------------------

/// Single-threaded, so every event of the client lands in the thread's capturing subscriber.
#[tokio::test(flavor = "current_thread")]
async fn secrets_never_reach_debug_output_logs_or_errors() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let world = World::new(3600, 3600).await;
    let mut shown = Vec::new();

    // Login with a wrong password, then with a wrong and a right TOTP code.
    let builder = world.login("bob@example.com", WRONG_PASSWORD);
    shown.push(format!("{builder:?} {builder:#?}"));
    let error = builder.build().await.unwrap_err();
    shown.push(format!("{error} {error:?}"));
    let login = world
        .login("bob@example.com", PASSWORD)
        .start()
        .await
        .unwrap();
    shown.push(format!("{login:?}"));
    let Login::Mfa(challenge) = login else {
        panic!("a TOTP challenge")
    };
    let error = challenge.respond(WRONG_CODE).await.unwrap_err();
    shown.push(format!("{error} {error:?}"));
    let client = challenge.respond(TOTP_CODE).await.unwrap();
    shown.push(format!("{challenge:?} {client:?} {client:#?}"));
    let saved = client.saved_session().await.unwrap();
    shown.push(format!("{saved:?} {saved:#?}"));

    // tracing caches per call site whether anyone listens. A call site that another test's
    // thread registered while this subscriber was being installed can have cached "no one"
    // (tokio-rs/tracing's scoped-dispatcher race); re-evaluate now that all have settled.
    tracing::callsite::rebuild_interest_cache();

    // A call whose token is rejected: refresh and retry.
    let first = world.fake.last_id_token();
    world.fake.state().revoked.insert(first);
    list(&client).await.unwrap();
    // A view, a request builder.
    shown.push(format!(
        "{:?} {:?}",
        client.with_timeout(Duration::from_secs(1)),
        client.project().projects()
    ));

    // An expired session.
    for (_, (_, expired)) in world.fake.state().refresh_tokens.iter_mut() {
        *expired = true;
    }
    let current = world.fake.last_id_token();
    world.fake.state().revoked.insert(current);
    let error = list(&client).await.unwrap_err();
    shown.push(format!("{error} {error:?}"));

    // A first login: a new password, then an authenticator app set up.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (seen_password, seen_setup) = (seen.clone(), seen.clone());
    let first = world
        .login("frank", PASSWORD)
        .new_password(move |challenge| {
            seen_password.lock().unwrap().push(format!("{challenge:?}"));
            async { Some(NEW_PASSWORD.to_string()) }
        })
        .mfa_setup(move |setup| {
            seen_setup
                .lock()
                .unwrap()
                .push(format!("{setup:?} {setup:#?}"));
            let uri = setup.otpauth_uri("Ecosuite");
            async move { Some(code_from_uri(&uri)) }
        })
        .build()
        .await
        .unwrap();
    shown.extend(seen.lock().unwrap().iter().cloned());
    let saved = first.saved_session().await.unwrap();
    shown.push(format!(
        "{:?}",
        ecosuite::Client::builder().session(saved.clone())
    ));
    shown.push(format!(
        "{:?}",
        resume(&world, &serde_json::to_string(&saved).unwrap())
    ));

    let log = capture.0.lock().unwrap().clone();
    let secrets = world.fake.secrets();
    assert!(secrets.len() >= 10, "{secrets:?}");
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "the log shows `{secret}`:\n{log}"
        );
        for text in &shown {
            assert!(
                !text.contains(secret.as_str()),
                "`{secret}` shown in: {text}"
            );
        }
    }

    // And the log does say what happened.
    assert!(
        log.contains("span api_call operation=projects method=GET path=/projects"),
        "{log}"
    );
    assert!(log.contains("status=401"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("refreshing it"), "{log}");
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("latency_ms="), "{log}");
    assert!(log.contains("ID token renewed"), "{log}");
}
