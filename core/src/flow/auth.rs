//! Credentials, and the shared access-token cache behind client-credentials authentication.
//!
//! Client credentials are exchanged for a token at `<public root>/applications/token` (a path
//! join: `https://api.airbyte.com/v1` gives `https://api.airbyte.com/v1/applications/token`), with
//! a JSON body. The token is cached and refreshed before it expires: its lifetime is the smaller
//! of `expires_in` and the JWT's own `exp` claim (read, not verified), less a skew. One cache is
//! shared by every call of a client, so concurrent callers wait for one refresh instead of each
//! fetching a token.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;

use super::time::Timestamp;
use crate::client_config::{check_absolute_url, origin_of, BaseUrlError, ClientConfig};
use crate::error::ApiError;
use crate::operation::Method;
use crate::request::{Auth, Request};
use crate::response::RawResponse;
use crate::secret::Secret;

/// How a client authenticates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Credentials {
    /// No authentication: no token request and no `Authorization` header.
    #[default]
    None,
    /// A bearer token obtained elsewhere, sent as is.
    Bearer(Secret),
    /// An application's client id and secret, exchanged for short-lived tokens.
    ClientCredentials {
        /// The application's client id.
        client_id: String,
        /// The application's client secret.
        client_secret: Secret,
        /// Where to exchange them: absolute, an absolute path on the public root's host, or a
        /// path relative to the public root. `None` means `<public root>/applications/token`.
        token_url: Option<String>,
    },
    /// HTTP Basic credentials, for deployments behind a proxy that asks for them.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
}

/// Why no token could be had.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AuthError {
    /// The token endpoint refused the credentials or failed.
    #[error("the token request failed: {0}")]
    TokenRequestFailed(Box<ApiError>),
    /// The token endpoint answered 2xx with a body that holds no usable token.
    #[error("the token response is not usable: {reason}")]
    InvalidTokenResponse {
        /// What was wrong with it (never the token itself).
        reason: String,
    },
    /// The server refused a fresh token too: the credentials lack access.
    #[error("authentication failed: {0}")]
    Unauthorized(Box<ApiError>),
}

/// Settings of the token cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenSettings {
    /// How long before expiry a token is refreshed.
    pub skew: Duration,
    /// How long one caller may take to fetch a token before another may try.
    pub fetch_timeout: Duration,
    /// The lifetime assumed when the token response tells none.
    pub default_lifetime: Duration,
    /// How long a caller waits before asking again while another fetches.
    pub wait_step: Duration,
}

impl Default for TokenSettings {
    fn default() -> Self {
        Self {
            skew: Duration::from_secs(30),
            fetch_timeout: Duration::from_secs(60),
            default_lifetime: Duration::from_secs(180),
            wait_step: Duration::from_millis(25),
        }
    }
}

/// What a caller should do to get its `Authorization` header.
#[derive(Debug)]
pub enum TokenStep {
    /// Use this auth; `generation` identifies the token for [`TokenCache::invalidate`].
    Ready {
        /// The auth to apply.
        auth: Auth,
        /// Which token it is.
        generation: u64,
    },
    /// Send this token request and report its response to [`TokenCache::complete`].
    Fetch(TokenFetch),
    /// Another caller is fetching a token; ask again after this long.
    Wait(Duration),
}

/// A token request this caller is responsible for.
#[derive(Debug)]
pub struct TokenFetch {
    /// The request to send.
    pub request: Request,
    ticket: u64,
}

impl TokenFetch {
    /// The ticket to report the outcome under.
    pub fn ticket(&self) -> u64 {
        self.ticket
    }
}

#[derive(Debug)]
enum State {
    Empty,
    Fetching { since: Timestamp, ticket: u64 },
    Valid { token: Secret, refresh_at: Timestamp, generation: u64 },
}

/// Tokens shared by every call of one client. Thread-safe; holds no I/O.
#[derive(Debug)]
pub struct TokenCache {
    credentials: Credentials,
    token_url: String,
    user_agent: String,
    settings: TokenSettings,
    state: Mutex<(State, u64)>,
}

impl TokenCache {
    /// A cache for `credentials` against the roots of `config`.
    pub fn new(credentials: Credentials, config: &ClientConfig) -> Result<Self, BaseUrlError> {
        Self::with_settings(credentials, config, TokenSettings::default())
    }

    /// A cache with explicit settings.
    pub fn with_settings(
        credentials: Credentials,
        config: &ClientConfig,
        settings: TokenSettings,
    ) -> Result<Self, BaseUrlError> {
        let token_url = match &credentials {
            Credentials::ClientCredentials { token_url, .. } => {
                resolve_token_url(config.public_root(), token_url.as_deref())?
            }
            _ => String::new(),
        };
        Ok(Self {
            credentials,
            token_url,
            user_agent: config.user_agent().to_owned(),
            settings,
            state: Mutex::new((State::Empty, 0)),
        })
    }

    /// The credentials this cache authenticates with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The resolved token URL (empty unless client credentials are used).
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// Whether a 401 can be cured by fetching a new token.
    pub fn can_refresh(&self) -> bool {
        matches!(self.credentials, Credentials::ClientCredentials { .. })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (State, u64)> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The auth to use now, or what to do first.
    pub fn acquire(&self, now: Timestamp) -> TokenStep {
        let (client_id, client_secret) = match &self.credentials {
            Credentials::None => return TokenStep::Ready { auth: Auth::None, generation: 0 },
            Credentials::Bearer(token) => {
                return TokenStep::Ready { auth: Auth::Bearer(token.clone()), generation: 0 }
            }
            Credentials::Basic { username, password } => {
                let auth = Auth::Basic { username: username.clone(), password: password.clone() };
                return TokenStep::Ready { auth, generation: 0 };
            }
            Credentials::ClientCredentials { client_id, client_secret, .. } => {
                (client_id, client_secret)
            }
        };
        let mut guard = self.lock();
        let (state, counter) = &mut *guard;
        match state {
            State::Valid { token, refresh_at, generation } if now < *refresh_at => {
                return TokenStep::Ready {
                    auth: Auth::Bearer(token.clone()),
                    generation: *generation,
                };
            }
            State::Fetching { since, .. } if now.since(*since) < self.settings.fetch_timeout => {
                return TokenStep::Wait(self.settings.wait_step);
            }
            _ => {}
        }
        *counter += 1;
        let ticket = *counter;
        *state = State::Fetching { since: now, ticket };
        tracing::debug!(ticket, "fetching an access token");
        let body =
            serde_json::json!({"client_id": client_id, "client_secret": client_secret.expose()});
        let request = Request {
            operation: "createAccessToken",
            method: Method::Post,
            url: self.token_url.clone(),
            headers: vec![
                ("accept".to_owned(), "application/json".to_owned()),
                ("content-type".to_owned(), "application/json".to_owned()),
                ("user-agent".to_owned(), self.user_agent.clone()),
            ],
            body: Some(body.to_string().into_bytes()),
        };
        TokenStep::Fetch(TokenFetch { request, ticket })
    }

    /// Records the response to a token request. On failure the cache is emptied so that the
    /// next caller tries again.
    pub fn complete(
        &self,
        ticket: u64,
        response: &RawResponse<'_>,
        now: Timestamp,
    ) -> Result<(), AuthError> {
        let outcome = self.read_token(response, now);
        let mut guard = self.lock();
        let (state, counter) = &mut *guard;
        let is_current = matches!(state, State::Fetching { ticket: t, .. } if *t == ticket);
        match outcome {
            Ok((token, lifetime)) => {
                if is_current || !matches!(state, State::Valid { .. }) {
                    let skew = self.settings.skew.min(lifetime / 2);
                    *counter += 1;
                    *state = State::Valid {
                        token,
                        refresh_at: now.plus(lifetime - skew),
                        generation: *counter,
                    };
                    tracing::debug!(lifetime_secs = lifetime.as_secs(), "access token cached");
                }
                Ok(())
            }
            Err(error) => {
                if is_current {
                    *state = State::Empty;
                }
                Err(error)
            }
        }
    }

    /// Gives up a fetch that could not be sent, so another caller may try.
    pub fn abandon(&self, ticket: u64) {
        let mut guard = self.lock();
        if matches!(guard.0, State::Fetching { ticket: t, .. } if t == ticket) {
            guard.0 = State::Empty;
        }
    }

    /// Drops the token of `generation` after the server refused it; a newer token is kept.
    pub fn invalidate(&self, generation: u64) {
        let mut guard = self.lock();
        if matches!(guard.0, State::Valid { generation: g, .. } if g == generation) {
            tracing::debug!(generation, "access token dropped after a 401");
            guard.0 = State::Empty;
        }
    }

    fn read_token(
        &self,
        response: &RawResponse<'_>,
        now: Timestamp,
    ) -> Result<(Secret, Duration), AuthError> {
        if !(200..300).contains(&response.status) {
            let error = response.api_error(&TOKEN_OPERATION);
            return Err(match error {
                crate::ResponseError::Api(api) => AuthError::TokenRequestFailed(api),
                crate::ResponseError::Decode(_) => {
                    AuthError::InvalidTokenResponse { reason: "unreadable error".into() }
                }
            });
        }
        let invalid = |reason: &str| AuthError::InvalidTokenResponse { reason: reason.to_owned() };
        let body: Value =
            serde_json::from_slice(response.body).map_err(|_| invalid("the body is not JSON"))?;
        let token = body
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| invalid("it has no `access_token` string"))?;
        if let Some(kind) = body.get("token_type").and_then(Value::as_str) {
            if !kind.eq_ignore_ascii_case("bearer") {
                return Err(invalid(&format!("`token_type` is `{kind}`, not `Bearer`")));
            }
        }
        let expires_in = match body.get("expires_in") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
        let from_claim = jwt_expiry(token).map(|exp| exp.since(now));
        let lifetime = match (expires_in, from_claim) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => self.settings.default_lifetime,
        };
        Ok((Secret::new(token), lifetime))
    }
}

/// Facts about the token request, for calls that send it with retries.
pub(crate) static TOKEN_OPERATION: crate::OperationInfo = crate::OperationInfo {
    api: crate::Api::Public,
    id: "createAccessToken",
    method: Method::Post,
    path: "/applications/token",
    tag: "public_applications",
    authenticated: false,
    idempotent: true,
    has_body: true,
    body_required: true,
    responses: &[],
    error_statuses: &[],
    pagination: None,
    accept: "application/json",
};

/// The `exp` claim of a JWT, read without verifying the signature.
pub fn jwt_expiry(token: &str) -> Option<Timestamp> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    let claims: Value = serde_json::from_slice(&crate::rt::base64_decode(payload)?).ok()?;
    let exp = claims.get("exp")?.as_f64().filter(|e| e.is_finite() && *e >= 0.0)?;
    Some(Timestamp::from_unix_millis((exp * 1000.0) as u64))
}

/// Where to exchange client credentials, given the public root and an optional token URL.
///
/// An absolute URL is used as is; `/path` is taken on the root's host; a relative path is joined
/// to the root, dropping a prefix that repeats the root's last segments, so the value
/// `v1/applications/token` that other clients use with `https://api.airbyte.com/v1` also works.
pub fn resolve_token_url(
    public_root: &str,
    token_url: Option<&str>,
) -> Result<String, BaseUrlError> {
    let Some(given) = token_url.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(format!("{public_root}/applications/token"));
    };
    if given.contains("://") {
        return check_absolute_url("token URL", given);
    }
    if given.starts_with('/') {
        return check_absolute_url("token URL", &format!("{}{given}", origin_of(public_root)));
    }
    let relative = given.trim_start_matches("./");
    let root_path = public_root.strip_prefix(origin_of(public_root)).unwrap_or("");
    let root_segments: Vec<&str> = root_path.split('/').filter(|s| !s.is_empty()).collect();
    let relative_segments: Vec<&str> = relative.split('/').collect();
    let overlap = (1..=root_segments.len().min(relative_segments.len()))
        .rev()
        .find(|&k| root_segments[root_segments.len() - k..] == relative_segments[..k])
        .unwrap_or(0);
    let rest = relative_segments[overlap..].join("/");
    check_absolute_url("token URL", &format!("{public_root}/{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(exp: u64) -> String {
        let payload = crate::rt::base64(format!("{{\"sub\":\"x\",\"exp\":{exp}}}").as_bytes());
        format!("eyJhbGciOiJIUzI1NiJ9.{}.sig", payload.trim_end_matches('='))
    }

    fn client_credentials(token_url: Option<&str>) -> Credentials {
        Credentials::ClientCredentials {
            client_id: "id".into(),
            client_secret: Secret::new("s3cret"),
            token_url: token_url.map(str::to_owned),
        }
    }

    #[test]
    fn token_urls_are_joined_as_paths() {
        let cloud = "https://api.airbyte.com/v1";
        assert_eq!(
            resolve_token_url(cloud, None).unwrap(),
            "https://api.airbyte.com/v1/applications/token"
        );
        assert_eq!(
            resolve_token_url(cloud, Some("v1/applications/token")).unwrap(),
            "https://api.airbyte.com/v1/applications/token"
        );
        assert_eq!(
            resolve_token_url(cloud, Some("applications/token")).unwrap(),
            "https://api.airbyte.com/v1/applications/token"
        );
        let local = "http://localhost:8000/api/public/v1";
        assert_eq!(
            resolve_token_url(local, Some("/api/public/v1/applications/token")).unwrap(),
            "http://localhost:8000/api/public/v1/applications/token"
        );
        assert_eq!(
            resolve_token_url(local, Some("https://auth.example.com/token/")).unwrap(),
            "https://auth.example.com/token"
        );
        assert!(resolve_token_url(local, Some("ftp://x/token")).is_err());
    }

    #[test]
    fn lifetime_is_the_smaller_of_expires_in_and_exp_less_skew() {
        let config = ClientConfig::cloud();
        let cache = TokenCache::new(client_credentials(None), &config).unwrap();
        let t0 = Timestamp::from_unix_secs(1_000_000);
        let TokenStep::Fetch(fetch) = cache.acquire(t0) else { panic!("expected a fetch") };
        assert_eq!(fetch.request.url, "https://api.airbyte.com/v1/applications/token");
        assert_eq!(
            fetch.request.body.as_deref(),
            Some(&br#"{"client_id":"id","client_secret":"s3cret"}"#[..])
        );
        assert!(!format!("{:?}", fetch.request).contains("s3cret"));

        // A second caller waits while the first fetches.
        assert!(matches!(cache.acquire(t0), TokenStep::Wait(_)));

        // exp is 100 s away, expires_in 900 s: 100 s wins, refresh 30 s early.
        let body = format!(
            r#"{{"access_token":"{}","token_type":"bearer","expires_in":900}}"#,
            jwt(1_000_100)
        );
        let response = RawResponse::new(200, &[], body.as_bytes());
        cache.complete(fetch.ticket(), &response, t0).unwrap();
        let TokenStep::Ready { auth: Auth::Bearer(token), generation } =
            cache.acquire(t0.plus(Duration::from_secs(69)))
        else {
            panic!("expected the cached token")
        };
        assert_eq!(token.expose(), jwt(1_000_100));
        assert!(matches!(cache.acquire(t0.plus(Duration::from_secs(70))), TokenStep::Fetch(_)));

        // Invalidating an older generation does not drop a newer token.
        cache.invalidate(generation);
    }

    #[test]
    fn bad_token_responses_are_typed_and_reset_the_cache() {
        let cache = TokenCache::new(client_credentials(None), &ClientConfig::cloud()).unwrap();
        let t0 = Timestamp::from_unix_secs(1);
        let TokenStep::Fetch(fetch) = cache.acquire(t0) else { panic!() };
        let err =
            cache.complete(fetch.ticket(), &RawResponse::new(200, &[], b"{}"), t0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the token response is not usable: it has no `access_token` string"
        );
        let TokenStep::Fetch(fetch) = cache.acquire(t0) else { panic!("cache not reset") };
        let body = br#"{"errorId":"e-1"}"#;
        let err =
            cache.complete(fetch.ticket(), &RawResponse::new(401, &[], body), t0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the token request failed: createAccessToken: HTTP 401: the server gave no message (errorId e-1)"
        );
        let body = br#"{"access_token":"abc","token_type":"mac"}"#;
        let TokenStep::Fetch(fetch) = cache.acquire(t0) else { panic!() };
        let err =
            cache.complete(fetch.ticket(), &RawResponse::new(200, &[], body), t0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the token response is not usable: `token_type` is `mac`, not `Bearer`"
        );
    }

    #[test]
    fn static_credentials_need_no_fetch() {
        let config = ClientConfig::cloud();
        let t0 = Timestamp::from_unix_secs(1);
        let none = TokenCache::new(Credentials::None, &config).unwrap();
        assert!(matches!(none.acquire(t0), TokenStep::Ready { auth: Auth::None, .. }));
        let bearer = TokenCache::new(Credentials::Bearer(Secret::new("b")), &config).unwrap();
        assert!(matches!(bearer.acquire(t0), TokenStep::Ready { auth: Auth::Bearer(_), .. }));
        assert!(!bearer.can_refresh());
    }

    #[test]
    fn default_lifetime_applies_without_expiry_information() {
        let cache = TokenCache::new(client_credentials(None), &ClientConfig::cloud()).unwrap();
        let t0 = Timestamp::from_unix_secs(1);
        let TokenStep::Fetch(fetch) = cache.acquire(t0) else { panic!() };
        cache
            .complete(
                fetch.ticket(),
                &RawResponse::new(200, &[], br#"{"access_token":"opaque"}"#),
                t0,
            )
            .unwrap();
        // 180 s default, 30 s skew.
        assert!(matches!(
            cache.acquire(t0.plus(Duration::from_secs(149))),
            TokenStep::Ready { .. }
        ));
        assert!(matches!(cache.acquire(t0.plus(Duration::from_secs(150))), TokenStep::Fetch(_)));
    }

    #[test]
    fn jwt_expiry_reads_the_claim() {
        assert_eq!(jwt_expiry(&jwt(1234)), Some(Timestamp::from_unix_secs(1234)));
        assert_eq!(jwt_expiry("not-a-jwt"), None);
        assert_eq!(jwt_expiry("a.!!!.c"), None);
    }
}
