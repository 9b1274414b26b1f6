//! The options objects JavaScript passes in, read with serde and turned into core types.

use std::time::Duration;

use airbyte_core::flow::jobs::WaitSettings;
use airbyte_core::{Auth, ClientConfig, Credentials, RetryPolicy, Secret};
use serde::Deserialize;

use crate::error::JsError;

/// Where the APIs live: `baseUrl` (`"cloud"` or a self-managed host), then explicit roots.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RootOptions {
    /// `"cloud"` or a self-managed server's URL (`http://localhost:8000`).
    #[serde(default)]
    pub(crate) base_url: Option<String>,
    /// The public API root, for a proxy or a mock.
    #[serde(default)]
    pub(crate) public_root: Option<String>,
    /// The Configuration API root, for a proxy or a mock.
    #[serde(default)]
    pub(crate) config_root: Option<String>,
    /// The `User-Agent` value.
    #[serde(default)]
    pub(crate) user_agent: Option<String>,
}

impl RootOptions {
    /// The client configuration these options describe.
    pub(crate) fn config(&self) -> Result<ClientConfig, JsError> {
        let mut config = match self.base_url.as_deref().map(str::trim) {
            None | Some("cloud") => ClientConfig::cloud(),
            Some(url) => ClientConfig::self_managed(url)?,
        };
        if let Some(root) = &self.public_root {
            config = config.with_public_root(root)?;
        }
        if let Some(root) = &self.config_root {
            config = config.with_config_root(root)?;
        }
        if let Some(agent) = &self.user_agent {
            config = config.with_user_agent(agent.clone());
        }
        Ok(config)
    }
}

/// A secret read from JavaScript. A value of the wrong type is refused without being echoed.
#[derive(Default)]
pub(crate) struct SecretText(Secret);

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SecretText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<SecretText, E> {
                Ok(SecretText(Secret::new(value)))
            }
            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<SecretText, E> {
                Ok(SecretText(Secret::new(value)))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<SecretText, E> {
                Err(E::custom("a secret must be a string"))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<SecretText, A::Error> {
                Err(serde::de::Error::custom("a secret must be a string"))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<SecretText, A::Error> {
                Err(serde::de::Error::custom("a secret must be a string"))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<SecretText, E> {
                Err(E::custom("a secret must be a string"))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<SecretText, E> {
                Err(E::custom("a secret must be a string"))
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<SecretText, E> {
                Err(E::custom("a secret must be a string"))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<SecretText, E> {
                Err(E::custom("a secret must be a string"))
            }
        }
        // `deserialize_any`, so that a number reaches the visitor (which does not echo it)
        // instead of an "invalid type" message that would.
        deserializer.deserialize_any(Visitor)
    }
}

/// How requests authenticate, as JavaScript spells it: `{clientId, clientSecret, tokenUrl?}`,
/// `{bearer}` or `{username, password}`; absent for none. Secrets are never echoed in errors.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CredentialOptions {
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    client_secret: Option<SecretText>,
    #[serde(default)]
    token_url: Option<String>,
    #[serde(default)]
    bearer: Option<SecretText>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<SecretText>,
}

impl CredentialOptions {
    /// The credentials, or which combination of fields is wrong.
    pub(crate) fn credentials(self) -> Result<Credentials, JsError> {
        let invalid = |message: &str| JsError::options(format!("credentials: {message}"));
        match self {
            Self {
                client_id: Some(client_id),
                client_secret: Some(SecretText(client_secret)),
                token_url,
                bearer: None,
                username: None,
                password: None,
            } => {
                if client_id.trim().is_empty() || client_secret.is_empty() {
                    return Err(invalid("clientId and clientSecret must not be empty"));
                }
                Ok(Credentials::ClientCredentials { client_id, client_secret, token_url })
            }
            Self {
                bearer: Some(SecretText(token)),
                client_id: None,
                client_secret: None,
                token_url: None,
                username: None,
                password: None,
            } => {
                if token.is_empty() {
                    return Err(invalid("bearer must not be empty"));
                }
                Ok(Credentials::Bearer(token))
            }
            Self {
                username: Some(username),
                password: Some(SecretText(password)),
                client_id: None,
                client_secret: None,
                token_url: None,
                bearer: None,
            } => Ok(Credentials::Basic { username, password }),
            Self {
                client_id: None,
                client_secret: None,
                token_url: None,
                bearer: None,
                username: None,
                password: None,
            } => Ok(Credentials::None),
            _ => Err(invalid(
                "give {clientId, clientSecret, tokenUrl?}, {bearer} or {username, password}",
            )),
        }
    }

    /// The auth of a request built without a client (no token exchange possible).
    pub(crate) fn auth(self) -> Result<Auth, JsError> {
        match self.credentials()? {
            Credentials::None => Ok(Auth::None),
            Credentials::Bearer(token) => Ok(Auth::Bearer(token)),
            Credentials::Basic { username, password } => Ok(Auth::Basic { username, password }),
            Credentials::ClientCredentials { .. } => Err(JsError::options(
                "credentials: a request built alone cannot exchange client credentials; pass \
                 {bearer} with a token (AirbyteClient.accessToken() gets one)"
                    .to_owned(),
            )),
        }
    }
}

/// The options of `buildRequest`: roots and auth.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct BuildOptions {
    #[serde(flatten)]
    pub(crate) roots: RootOptions,
    #[serde(default)]
    pub(crate) credentials: Option<CredentialOptions>,
}

/// Retry settings; each one left out keeps the core's default.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RetryOptions {
    #[serde(default)]
    max_attempts: Option<u32>,
    #[serde(default)]
    initial_backoff_ms: Option<f64>,
    #[serde(default)]
    max_backoff_ms: Option<f64>,
    #[serde(default)]
    multiplier: Option<f64>,
    #[serde(default)]
    jitter: Option<f64>,
    #[serde(default)]
    max_elapsed_ms: Option<f64>,
    #[serde(default)]
    max_retry_after_ms: Option<f64>,
}

/// A duration given in milliseconds, refused when negative or not finite.
pub(crate) fn millis(name: &str, value: f64) -> Result<Duration, JsError> {
    if value.is_finite() && value >= 0.0 {
        Ok(Duration::from_secs_f64(value / 1000.0))
    } else {
        Err(JsError::options(format!("{name} must be a finite number of milliseconds ≥ 0")))
    }
}

impl RetryOptions {
    /// The policy: the core's defaults with these settings applied.
    pub(crate) fn policy(&self) -> Result<RetryPolicy, JsError> {
        let mut policy = RetryPolicy::default();
        if let Some(n) = self.max_attempts {
            if n == 0 {
                return Err(JsError::options("retry.maxAttempts must be at least 1".to_owned()));
            }
            policy.max_attempts = n;
        }
        if let Some(ms) = self.initial_backoff_ms {
            policy.initial_backoff = millis("retry.initialBackoffMs", ms)?;
        }
        if let Some(ms) = self.max_backoff_ms {
            policy.max_backoff = millis("retry.maxBackoffMs", ms)?;
        }
        if let Some(m) = self.multiplier {
            if !(m.is_finite() && m >= 1.0) {
                return Err(JsError::options("retry.multiplier must be ≥ 1".to_owned()));
            }
            policy.multiplier = m;
        }
        if let Some(j) = self.jitter {
            if !(0.0..=1.0).contains(&j) {
                return Err(JsError::options("retry.jitter must be between 0 and 1".to_owned()));
            }
            policy.jitter = j;
        }
        if let Some(ms) = self.max_elapsed_ms {
            policy.max_elapsed = millis("retry.maxElapsedMs", ms)?;
        }
        if let Some(ms) = self.max_retry_after_ms {
            policy.max_retry_after = millis("retry.maxRetryAfterMs", ms)?;
        }
        Ok(policy)
    }
}

/// The options of `new CoreClient(...)`.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ClientOptions {
    #[serde(flatten)]
    pub(crate) roots: RootOptions,
    #[serde(default)]
    pub(crate) credentials: Option<CredentialOptions>,
    #[serde(default)]
    pub(crate) retry: Option<RetryOptions>,
    /// Per-request timeout; `null` leaves it to the platform.
    #[serde(default)]
    pub(crate) request_timeout_ms: Option<Option<f64>>,
}

/// How long and how often to wait for a job.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct WaitOptions {
    #[serde(default)]
    poll_interval_ms: Option<f64>,
    /// The longest the wait may take; `null` waits for ever.
    #[serde(default)]
    timeout_ms: Option<Option<f64>>,
    #[serde(default)]
    cancel_on_timeout: Option<bool>,
}

impl WaitOptions {
    /// The core's wait settings with these applied.
    pub(crate) fn settings(&self) -> Result<WaitSettings, JsError> {
        let mut settings = WaitSettings::default();
        if let Some(ms) = self.poll_interval_ms {
            settings.poll_interval = millis("pollIntervalMs", ms)?;
        }
        match self.timeout_ms {
            Some(Some(ms)) => settings.deadline = Some(millis("timeoutMs", ms)?),
            Some(None) => settings.deadline = None,
            None => {}
        }
        if let Some(cancel) = self.cancel_on_timeout {
            settings.cancel_on_deadline = cancel;
        }
        Ok(settings)
    }
}
