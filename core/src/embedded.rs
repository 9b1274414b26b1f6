//! Tokens of the embedded widget ("Powered by Airbyte").
//!
//! The server's widget token is base64 (standard or URL-safe, padding optional) of a JSON object
//! `{"token": "<JWT>", "widgetUrl": "<airbyte>/embedded-widget?workspaceId=...&allowedOrigin=..."}`.
//! Decoding checks every part, so a page learns at once that a token is unusable, and reads the
//! inner JWT's expiry so the page can fetch a new token in time.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use crate::flow::auth::jwt_expiry;
use crate::flow::time::Timestamp;
use crate::secret::Secret;

/// A decoded widget token.
#[derive(Clone, PartialEq, Eq)]
pub struct WidgetToken {
    /// The inner access token (a JWT) the widget uses.
    pub access_token: Secret,
    /// The URL of the widget page.
    pub widget_url: String,
    /// The workspace named in the widget URL, if any.
    pub workspace_id: Option<String>,
    /// The origin the widget may be embedded in, if named.
    pub allowed_origin: Option<String>,
    /// When the inner token expires, if it says.
    pub expires_at: Option<Timestamp>,
}

impl fmt::Debug for WidgetToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WidgetToken")
            .field("access_token", &self.access_token)
            .field("widget_url", &self.widget_url)
            .field("workspace_id", &self.workspace_id)
            .field("allowed_origin", &self.allowed_origin)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Why a widget token was refused. The token itself is never part of the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WidgetTokenError {
    /// Not base64 at all.
    #[error("the widget token is not base64")]
    NotBase64,
    /// Base64 of something that is not a JSON object.
    #[error("the widget token does not decode to a JSON object")]
    NotJson,
    /// A required field is missing or not a string.
    #[error("the widget token has no `{0}` string")]
    MissingField(&'static str),
    /// `widgetUrl` is not an http(s) URL.
    #[error("the widget token's `widgetUrl` is not an http or https URL")]
    BadWidgetUrl,
}

impl WidgetToken {
    /// Decodes and checks a widget token as the server issues it.
    pub fn decode(encoded: &str) -> Result<Self, WidgetTokenError> {
        let bytes = crate::rt::base64_decode(encoded).ok_or(WidgetTokenError::NotBase64)?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|_| WidgetTokenError::NotJson)?;
        if !value.is_object() {
            return Err(WidgetTokenError::NotJson);
        }
        let text = |key: &'static str| {
            value
                .get(key)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or(WidgetTokenError::MissingField(key))
        };
        let access_token = text("token")?;
        let widget_url = text("widgetUrl")?;
        let lower = widget_url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) || widget_url.len() < 10
        {
            return Err(WidgetTokenError::BadWidgetUrl);
        }
        let query_value = |name: &str| {
            let query = widget_url.split_once('?')?.1.split('#').next()?;
            query.split('&').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                (key == name).then(|| {
                    percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned()
                })
            })
        };
        Ok(Self {
            expires_at: jwt_expiry(access_token),
            access_token: Secret::new(access_token),
            workspace_id: query_value("workspaceId"),
            allowed_origin: query_value("allowedOrigin"),
            widget_url: widget_url.to_owned(),
        })
    }

    /// When to fetch a new token: `lead` before expiry, or `None` when the token tells no
    /// expiry. A time already past means "now".
    pub fn refresh_at(&self, lead: Duration) -> Option<Timestamp> {
        let expires = self.expires_at?;
        Some(Timestamp::from_unix_millis(
            expires
                .unix_millis()
                .saturating_sub(u64::try_from(lead.as_millis()).unwrap_or(u64::MAX)),
        ))
    }

    /// How long to wait from `now` before fetching a new token (zero when due).
    pub fn refresh_in(&self, now: Timestamp, lead: Duration) -> Option<Duration> {
        self.refresh_at(lead).map(|at| at.since(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(json: &str, url_safe: bool, padded: bool) -> String {
        let mut text = crate::rt::base64(json.as_bytes());
        if url_safe {
            text = text.replace('+', "-").replace('/', "_");
        }
        if !padded {
            text = text.trim_end_matches('=').to_owned();
        }
        text
    }

    fn jwt(exp: u64) -> String {
        let claims = crate::rt::base64(format!(r#"{{"exp":{exp}}}"#).as_bytes());
        format!("eyJhbGciOiJIUzI1NiJ9.{}.c2ln", claims.trim_end_matches('='))
    }

    #[test]
    fn decodes_padded_and_unpadded_url_safe_tokens() {
        let json = format!(
            r#"{{"token":"{}","widgetUrl":"https://cloud.airbyte.com/embedded-widget?workspaceId=w-1&allowedOrigin=https%3A%2F%2Fapp.example.com"}}"#,
            jwt(2_000)
        );
        for (url_safe, padded) in [(false, true), (false, false), (true, true), (true, false)] {
            let token = WidgetToken::decode(&encode(&json, url_safe, padded)).unwrap();
            assert_eq!(token.workspace_id.as_deref(), Some("w-1"));
            assert_eq!(token.allowed_origin.as_deref(), Some("https://app.example.com"));
            assert_eq!(token.expires_at, Some(Timestamp::from_unix_secs(2_000)));
            assert_eq!(token.access_token.expose(), jwt(2_000));
        }
        let token = WidgetToken::decode(&encode(&json, true, false)).unwrap();
        assert_eq!(
            token.refresh_at(Duration::from_secs(60)),
            Some(Timestamp::from_unix_secs(1_940))
        );
        assert_eq!(
            token.refresh_in(Timestamp::from_unix_secs(1_900), Duration::from_secs(60)),
            Some(Duration::from_secs(40))
        );
        assert_eq!(
            token.refresh_in(Timestamp::from_unix_secs(1_990), Duration::from_secs(60)),
            Some(Duration::ZERO)
        );
        assert!(!format!("{token:?}").contains(&jwt(2_000)));
    }

    #[test]
    fn refuses_what_is_not_a_widget_token() {
        assert_eq!(WidgetToken::decode("%%%"), Err(WidgetTokenError::NotBase64));
        assert_eq!(
            WidgetToken::decode(&encode("[1]", false, true)),
            Err(WidgetTokenError::NotJson)
        );
        assert_eq!(
            WidgetToken::decode(&encode("nope", false, true)),
            Err(WidgetTokenError::NotJson)
        );
        assert_eq!(
            WidgetToken::decode(&encode(r#"{"token":"t"}"#, false, true)),
            Err(WidgetTokenError::MissingField("widgetUrl"))
        );
        assert_eq!(
            WidgetToken::decode(&encode(r#"{"widgetUrl":"https://x/y"}"#, false, true)),
            Err(WidgetTokenError::MissingField("token"))
        );
        assert_eq!(
            WidgetToken::decode(&encode(
                r#"{"token":"t","widgetUrl":"javascript:alert(1)"}"#,
                false,
                true
            )),
            Err(WidgetTokenError::BadWidgetUrl)
        );
        let opaque = WidgetToken::decode(&encode(
            r#"{"token":"t","widgetUrl":"https://host/w"}"#,
            false,
            true,
        ))
        .unwrap();
        assert_eq!((opaque.expires_at, opaque.workspace_id.as_deref()), (None, None));
        assert_eq!(opaque.refresh_at(Duration::from_secs(1)), None);
    }
}
