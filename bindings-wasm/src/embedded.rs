//! The embedded widget's token, for pages that host the widget.

use std::time::Duration;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert;
use crate::error::JsError;

/// A decoded, checked widget token. The inner access token is only returned by
/// `accessToken()`; `toJSON()` and `toString()` leave it out.
#[wasm_bindgen]
pub struct WidgetToken {
    inner: airbyte_core::embedded::WidgetToken,
}

/// What `toJSON()` shows: everything but the access token.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Shown<'a> {
    widget_url: &'a str,
    workspace_id: Option<&'a str>,
    allowed_origin: Option<&'a str>,
    expires_at: Option<u64>,
}

/// Decodes a widget token as the server issues it (base64 or base64url of
/// `{"token", "widgetUrl"}`, padded or not); throws `AirbyteWidgetTokenError` naming what is
/// wrong, never the token.
#[wasm_bindgen(js_name = decodeWidgetToken)]
pub fn decode_widget_token(encoded: JsValue) -> Result<WidgetToken, JsValue> {
    let text = encoded
        .as_string()
        .ok_or_else(|| JsError::options("the widget token must be a string".to_owned()))?;
    let inner = airbyte_core::embedded::WidgetToken::decode(&text).map_err(JsError::from)?;
    Ok(WidgetToken { inner })
}

fn lead(lead_ms: f64) -> Result<Duration, JsError> {
    crate::options::millis("leadMs", lead_ms)
}

#[wasm_bindgen]
impl WidgetToken {
    /// The inner access token (a JWT) to hand to the widget.
    #[wasm_bindgen(js_name = accessToken)]
    pub fn access_token(&self) -> String {
        self.inner.access_token.expose().to_owned()
    }

    /// The URL of the widget page.
    #[wasm_bindgen(getter, js_name = widgetUrl)]
    pub fn widget_url(&self) -> String {
        self.inner.widget_url.clone()
    }

    /// The workspace named in the widget URL.
    #[wasm_bindgen(getter, js_name = workspaceId)]
    pub fn workspace_id(&self) -> Option<String> {
        self.inner.workspace_id.clone()
    }

    /// The origin the widget may be embedded in.
    #[wasm_bindgen(getter, js_name = allowedOrigin)]
    pub fn allowed_origin(&self) -> Option<String> {
        self.inner.allowed_origin.clone()
    }

    /// When the inner token expires, in milliseconds since the epoch, if it says.
    #[wasm_bindgen(getter, js_name = expiresAt)]
    pub fn expires_at(&self) -> Option<f64> {
        self.inner.expires_at.map(|t| t.unix_millis() as f64)
    }

    /// When to fetch a new token: `leadMs` before expiry (milliseconds since the epoch), or
    /// `undefined` when the token tells no expiry.
    #[wasm_bindgen(js_name = refreshAt)]
    pub fn refresh_at(&self, lead_ms: f64) -> Result<Option<f64>, JsValue> {
        Ok(self.inner.refresh_at(lead(lead_ms)?).map(|t| t.unix_millis() as f64))
    }

    /// How long from `nowMs` until a new token should be fetched (0 when due), or `undefined`
    /// when the token tells no expiry.
    #[wasm_bindgen(js_name = refreshIn)]
    pub fn refresh_in(&self, now_ms: f64, lead_ms: f64) -> Result<Option<f64>, JsValue> {
        let wait = self.inner.refresh_in(convert::timestamp(now_ms), lead(lead_ms)?);
        Ok(wait.map(convert::duration_ms))
    }

    /// The token without its secret part, for logs and `JSON.stringify`.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        convert::to_js(&Shown {
            widget_url: &self.inner.widget_url,
            workspace_id: self.inner.workspace_id.as_deref(),
            allowed_origin: self.inner.allowed_origin.as_deref(),
            expires_at: self.inner.expires_at.map(|t| t.unix_millis()),
        })
    }

    /// `WidgetToken(<widget URL>)`, without the secret part.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("WidgetToken({})", self.inner.widget_url)
    }
}
