//! Requests and responses as plain records, for the host's HTTP stack.

use std::fmt;
use std::time::Duration;

use crate::convert::{ConvertError, FromCore, IntoCore, Path};

/// One header: name and value. Printed, the value of `Authorization`, `Cookie` and `Set-Cookie`
/// is hidden.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct HttpHeader {
    /// The name (lowercase in requests the core builds; any case in responses).
    pub name: String,
    /// The value.
    pub value: String,
}

/// A request ready to send. Printed (Kotlin `toString`, Python `str` and `repr`, Swift
/// `description`), the `Authorization` and `Cookie` values and the body are hidden.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct HttpRequest {
    /// The operation id the request calls (`getJob`; `createAccessToken` for a token request).
    pub operation: String,
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// The absolute URL, path and query percent-encoded.
    pub url: String,
    /// The headers to send, in order.
    pub headers: Vec<HttpHeader>,
    /// The body bytes (JSON), if there is a body.
    pub body: Option<Vec<u8>>,
    /// How long the whole exchange may take, in milliseconds; absent: the transport's own.
    pub timeout_ms: Option<u64>,
}

/// A response as received: status, headers (any case) and the whole body. Printed, it shows the
/// body's length only (a token response holds a token).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers in the order received.
    #[uniffi(default)]
    pub headers: Vec<HttpHeader>,
    /// The body bytes, possibly empty.
    #[uniffi(default)]
    pub body: Vec<u8>,
}

/// What an operation that answers with a redirect returns.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Redirect {
    /// The HTTP status.
    pub status: u16,
    /// The `Location` header, if sent.
    pub location: Option<String>,
}

fn is_secret_header(name: &str) -> bool {
    ["authorization", "cookie", "set-cookie"].iter().any(|n| name.eq_ignore_ascii_case(n))
}

fn shown_value(header: &HttpHeader) -> &str {
    if is_secret_header(&header.name) {
        "<redacted>"
    } else {
        &header.value
    }
}

impl fmt::Debug for HttpHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {:?}", self.name, shown_value(self))
    }
}

impl fmt::Display for HttpHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, shown_value(self))
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> =
            self.headers.iter().map(|h| (h.name.as_str(), shown_value(h))).collect();
        f.debug_struct("HttpRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())))
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

impl fmt::Display for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> =
            self.headers.iter().map(|h| (h.name.as_str(), shown_value(h))).collect();
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &headers)
            .field("body", &format!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl fmt::Display for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl HttpRequest {
    /// The request the core built, with the timeout to apply.
    pub fn from_core(request: airbyte_core::Request, timeout: Option<Duration>) -> Self {
        HttpRequest {
            operation: request.operation.to_owned(),
            method: request.method.as_str().to_owned(),
            url: request.url,
            headers: request
                .headers
                .into_iter()
                .map(|(name, value)| HttpHeader { name, value })
                .collect(),
            body: request.body,
            timeout_ms: timeout.map(|t| u64::try_from(t.as_millis()).unwrap_or(u64::MAX)),
        }
    }
}

impl HttpResponse {
    /// The core's owned response.
    pub fn into_core(self) -> airbyte_core::Response {
        airbyte_core::Response {
            status: self.status,
            headers: self.headers.into_iter().map(|h| (h.name, h.value)).collect(),
            body: self.body,
        }
    }
}

impl FromCore<airbyte_core::Redirect> for Redirect {
    fn from_core(value: airbyte_core::Redirect) -> Self {
        Redirect { status: value.status, location: value.location }
    }
}

impl IntoCore<airbyte_core::Redirect> for Redirect {
    fn into_core(self, _path: &Path<'_>) -> Result<airbyte_core::Redirect, ConvertError> {
        Ok(airbyte_core::Redirect { status: self.status, location: self.location })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_credentials_and_bodies() {
        let request = HttpRequest {
            operation: "getJob".into(),
            method: "GET".into(),
            url: "http://h/api/public/v1/jobs/1".into(),
            headers: vec![
                HttpHeader { name: "authorization".into(), value: "Bearer s3cret".into() },
                HttpHeader { name: "accept".into(), value: "application/json".into() },
            ],
            body: Some(b"{\"client_secret\":\"s3cret\"}".to_vec()),
            timeout_ms: Some(30_000),
        };
        let text = format!("{request:?}");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("<redacted>") && text.contains("<26 bytes>"), "{text}");
        let response = HttpResponse {
            status: 200,
            headers: vec![HttpHeader { name: "Set-Cookie".into(), value: "sid=s3cret".into() }],
            body: b"{\"access_token\":\"s3cret\"}".to_vec(),
        };
        let text = format!("{response:?}");
        assert!(!text.contains("s3cret"), "{text}");
        assert_eq!(
            text,
            "HttpResponse { status: 200, headers: [(\"Set-Cookie\", \"<redacted>\")], \
             body: \"<25 bytes>\" }"
        );
    }
}
