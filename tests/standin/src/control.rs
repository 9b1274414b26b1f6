//! The control surface tests use: faults, the request log and run-time settings. The same types
//! travel over HTTP (`/_standin/...`) as JSON and through the Rust [`crate::Handle`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::Polls;

/// A fault applied to the next `times` API requests that match.
///
/// JSON: `{"match": {"method": "GET", "path_prefix": "/api/public/v1/jobs"}, "times": 2,
/// "kind": {"status": 503, "retry_after": "1"}}`. `match` and `times` may be left out (every
/// request, once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Which requests it applies to.
    #[serde(rename = "match", default)]
    pub matcher: FaultMatch,
    /// How many matching requests it applies to.
    #[serde(default = "one")]
    pub times: u32,
    /// What happens to them.
    pub kind: FaultKind,
}

fn one() -> u32 {
    1
}

impl Fault {
    /// A fault for the next request (any method, any API path).
    pub fn once(kind: FaultKind) -> Self {
        Self { matcher: FaultMatch::default(), times: 1, kind }
    }

    /// Restricts the fault to requests whose path starts with `prefix`.
    pub fn on_path(mut self, prefix: &str) -> Self {
        self.matcher.path_prefix = Some(prefix.to_owned());
        self
    }

    /// Restricts the fault to requests with `method`.
    pub fn on_method(mut self, method: &str) -> Self {
        self.matcher.method = Some(method.to_owned());
        self
    }

    /// Applies the fault to the next `times` matching requests.
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }
}

/// Which requests a fault applies to. Empty matches every API request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultMatch {
    /// The method, any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// A prefix of the request path (the query is not looked at), e.g. `/api/public/v1/jobs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
}

impl FaultMatch {
    /// Whether a request with `method` and `path` matches.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path_prefix.as_deref().is_none_or(|p| path.starts_with(p))
    }
}

/// What a fault does to a request.
///
/// JSON, one of: `{"status": 503, "body"?: "...", "content_type"?: "...", "retry_after"?: "2"}`,
/// `{"html": 502}`, `{"delay_ms": 1500}`, `{"expire_tokens": true}`,
/// `{"close_connection": true}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer with this status instead of handling the request.
    Status {
        /// The status code.
        status: u16,
        /// The body; by default a JSON `{"message": ...}` naming the fault.
        body: Option<String>,
        /// The content type; by default JSON when the body parses as JSON, else text.
        content_type: Option<String>,
        /// A `Retry-After` header value.
        retry_after: Option<String>,
    },
    /// Answer with this status and an HTML error page, as a proxy in front of the server would.
    Html(u16),
    /// Wait this many milliseconds, then handle the request.
    Delay(u64),
    /// Make every token issued so far expire, then handle the request.
    ExpireTokens,
    /// Close the connection without answering.
    CloseConnection,
}

impl FaultKind {
    /// Reads the JSON form, with a message naming what is wrong.
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let Some(object) = value.as_object() else {
            return Err("a fault kind must be a JSON object".to_owned());
        };
        let text = |key: &str| -> Result<Option<String>, String> {
            match object.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Number(n)) if key == "retry_after" => Ok(Some(n.to_string())),
                Some(other) => Err(format!("`{key}` must be a string, not {other}")),
            }
        };
        let status_code = |key: &str| -> Result<u16, String> {
            object
                .get(key)
                .and_then(Value::as_u64)
                .and_then(|n| u16::try_from(n).ok())
                .filter(|n| (100..=599).contains(n))
                .ok_or_else(|| format!("`{key}` must be an HTTP status between 100 and 599"))
        };
        let allow_only = |keys: &[&str]| -> Result<(), String> {
            match object.keys().find(|k| !keys.contains(&k.as_str())) {
                Some(extra) => Err(format!("unknown key `{extra}` in fault kind")),
                None => Ok(()),
            }
        };
        let flag = |key: &str| -> Result<(), String> {
            match object.get(key) {
                Some(Value::Bool(true)) => Ok(()),
                _ => Err(format!("`{key}` must be true")),
            }
        };
        if object.contains_key("status") {
            allow_only(&["status", "body", "content_type", "retry_after"])?;
            return Ok(FaultKind::Status {
                status: status_code("status")?,
                body: text("body")?,
                content_type: text("content_type")?,
                retry_after: text("retry_after")?,
            });
        }
        if object.contains_key("html") {
            allow_only(&["html"])?;
            return Ok(FaultKind::Html(status_code("html")?));
        }
        if object.contains_key("delay_ms") {
            allow_only(&["delay_ms"])?;
            let ms = object
                .get("delay_ms")
                .and_then(Value::as_u64)
                .filter(|ms| *ms <= 600_000)
                .ok_or("`delay_ms` must be a whole number of milliseconds up to 600000")?;
            return Ok(FaultKind::Delay(ms));
        }
        if object.contains_key("expire_tokens") {
            allow_only(&["expire_tokens"])?;
            flag("expire_tokens")?;
            return Ok(FaultKind::ExpireTokens);
        }
        if object.contains_key("close_connection") {
            allow_only(&["close_connection"])?;
            flag("close_connection")?;
            return Ok(FaultKind::CloseConnection);
        }
        Err("a fault kind needs one of `status`, `html`, `delay_ms`, `expire_tokens`, \
             `close_connection`"
            .to_owned())
    }

    /// The JSON form.
    pub fn to_json(&self) -> Value {
        match self {
            FaultKind::Status { status, body, content_type, retry_after } => {
                let mut object = serde_json::Map::new();
                object.insert("status".to_owned(), Value::from(*status));
                for (key, value) in
                    [("body", body), ("content_type", content_type), ("retry_after", retry_after)]
                {
                    if let Some(value) = value {
                        object.insert(key.to_owned(), Value::from(value.as_str()));
                    }
                }
                Value::Object(object)
            }
            FaultKind::Html(status) => serde_json::json!({ "html": status }),
            FaultKind::Delay(ms) => serde_json::json!({ "delay_ms": ms }),
            FaultKind::ExpireTokens => serde_json::json!({ "expire_tokens": true }),
            FaultKind::CloseConnection => serde_json::json!({ "close_connection": true }),
        }
    }

    /// A short label for the request log.
    pub fn label(&self) -> String {
        match self {
            FaultKind::Status { status, .. } => format!("status {status}"),
            FaultKind::Html(status) => format!("html {status}"),
            FaultKind::Delay(ms) => format!("delay {ms} ms"),
            FaultKind::ExpireTokens => "expire tokens".to_owned(),
            FaultKind::CloseConnection => "close connection".to_owned(),
        }
    }
}

impl Serialize for FaultKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FaultKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        FaultKind::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// One API request the server received, for tests to assert on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// Position in the log, from 1.
    pub seq: u64,
    /// The method.
    pub method: String,
    /// The path and query as sent (still percent-encoded).
    pub path: String,
    /// Headers by lowercase name; repeated headers are joined with `, `. `Authorization` shows
    /// only its scheme (`Bearer <redacted>`).
    pub headers: std::collections::BTreeMap<String, String>,
    /// The body as text (lossy UTF-8), with `client_secret` values replaced by `<redacted>`.
    pub body: String,
    /// The fault applied to the request, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

impl LoggedRequest {
    /// The value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }
}

/// Settings that can change while the server runs (`POST /_standin/config`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeConfig {
    /// Lifetime of new tokens, seconds (`expires_in`).
    pub token_lifetime_secs: u64,
    /// Whether API endpoints other than health and token require a bearer token.
    pub auth: bool,
    /// How many polls new jobs spend in each state.
    pub polls: Polls,
}

/// A partial update of [`RuntimeConfig`]; unset fields are kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigPatch {
    /// New token lifetime, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_lifetime_secs: Option<u64>,
    /// Turns authentication on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<bool>,
    /// Polls pending for new jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_polls: Option<u32>,
    /// Polls running for new jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_polls: Option<u32>,
    /// Polls running for new jobs of the slow connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slow_running_polls: Option<u32>,
}

impl RuntimeConfig {
    /// Applies a patch.
    pub fn apply(&mut self, patch: &ConfigPatch) {
        if let Some(secs) = patch.token_lifetime_secs {
            self.token_lifetime_secs = secs;
        }
        if let Some(auth) = patch.auth {
            self.auth = auth;
        }
        if let Some(n) = patch.pending_polls {
            self.polls.pending = n;
        }
        if let Some(n) = patch.running_polls {
            self.polls.running = n;
        }
        if let Some(n) = patch.slow_running_polls {
            self.polls.slow_running = n;
        }
    }
}

/// Replaces secrets in a logged body: `client_secret` values in JSON objects (at any depth) and
/// in form-encoded bodies.
pub(crate) fn redact_body(body: &[u8], content_type: Option<&str>) -> String {
    let text = String::from_utf8_lossy(body).into_owned();
    if let Ok(mut value) = serde_json::from_str::<Value>(&text) {
        if redact_json(&mut value) {
            return value.to_string();
        }
        return text;
    }
    let is_form =
        content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("x-www-form-urlencoded"));
    if is_form || text.contains("client_secret=") {
        return text
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if crate::util::percent_decode(name, true) == "client_secret" => {
                    format!("{name}=<redacted>")
                }
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&");
    }
    text
}

fn redact_json(value: &mut Value) -> bool {
    match value {
        Value::Object(object) => {
            let mut changed = false;
            for (key, item) in object.iter_mut() {
                if key == "client_secret" && item.is_string() {
                    *item = Value::from("<redacted>");
                    changed = true;
                } else {
                    changed |= redact_json(item);
                }
            }
            changed
        }
        Value::Array(items) => {
            let mut changed = false;
            for item in items {
                changed |= redact_json(item);
            }
            changed
        }
        _ => false,
    }
}

/// `Bearer <redacted>` for `Bearer x`, `Basic <redacted>` for `Basic x`, else `<redacted>`.
pub(crate) fn redact_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) if !scheme.is_empty() => format!("{scheme} <redacted>"),
        _ => "<redacted>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fault_kinds_round_trip_and_explain_mistakes() {
        for kind in [
            json!({"status": 503, "retry_after": "2"}),
            json!({"status": 500, "body": "<b>x</b>", "content_type": "text/html"}),
            json!({"html": 502}),
            json!({"delay_ms": 1500}),
            json!({"expire_tokens": true}),
            json!({"close_connection": true}),
        ] {
            assert_eq!(FaultKind::from_json(&kind).unwrap().to_json(), kind);
        }
        let retry = FaultKind::from_json(&json!({"status": 429, "retry_after": 3})).unwrap();
        assert_eq!(retry.to_json()["retry_after"], "3");
        for (bad, message) in [
            (json!({"status": 99}), "`status` must be an HTTP status between 100 and 599"),
            (json!({"status": 503, "colour": 1}), "unknown key `colour` in fault kind"),
            (json!({"close_connection": false}), "`close_connection` must be true"),
            (json!({}), "a fault kind needs one of"),
            (json!([]), "a fault kind must be a JSON object"),
        ] {
            let error = FaultKind::from_json(&bad).unwrap_err();
            assert!(error.starts_with(message), "{error}");
        }
        let fault: Fault = serde_json::from_value(json!({"kind": {"html": 502}})).unwrap();
        assert_eq!(fault, Fault::once(FaultKind::Html(502)));
        assert!(fault.matcher.matches("GET", "/anything"));
        let scoped = Fault::once(FaultKind::Delay(1)).on_method("get").on_path("/api/v1/jobs");
        assert!(scoped.matcher.matches("GET", "/api/v1/jobs/get"));
        assert!(!scoped.matcher.matches("POST", "/api/v1/jobs/get"));
        assert!(!scoped.matcher.matches("GET", "/api/v1/connections"));
    }

    #[test]
    fn secrets_are_redacted_in_logged_bodies() {
        let json_body =
            br#"{"client_id":"a","client_secret":"s3cret","nested":[{"client_secret":"x"}]}"#;
        let logged = redact_body(json_body, Some("application/json"));
        assert!(!logged.contains("s3cret") && !logged.contains("\"x\""), "{logged}");
        assert!(logged.contains("\"client_id\":\"a\""));
        let form =
            redact_body(b"grant_type=client_credentials&client_id=a&client_secret=s3cret", None);
        assert_eq!(form, "grant_type=client_credentials&client_id=a&client_secret=<redacted>");
        assert_eq!(redact_body(b"plain", None), "plain");
        assert_eq!(redact_authorization("Bearer abc"), "Bearer <redacted>");
        assert_eq!(redact_authorization("abc"), "<redacted>");
    }
}
