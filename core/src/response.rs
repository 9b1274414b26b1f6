//! Responses as plain data, and the decoding steps every generated parser shares.

use serde::de::DeserializeOwned;

use crate::error::{classify, snippet, ApiError, DecodeError, ResponseError};
use crate::operation::OperationInfo;

/// A response as received: status, headers (any case) and body bytes.
#[derive(Debug, Clone, Copy)]
pub struct RawResponse<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The headers in the order received.
    pub headers: &'a [(String, String)],
    /// The body bytes, possibly empty.
    pub body: &'a [u8],
}

/// An owned response, for hosts that collect one before parsing it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The headers in the order received.
    pub headers: Vec<(String, String)>,
    /// The body bytes, possibly empty.
    pub body: Vec<u8>,
}

impl Response {
    /// Borrows this response for parsing.
    pub fn as_raw(&self) -> RawResponse<'_> {
        RawResponse { status: self.status, headers: &self.headers, body: &self.body }
    }

    /// Converts an [`http::Response`]; header values that are not UTF-8 are decoded lossily.
    pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Self {
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned())
            })
            .collect();
        Self {
            status: response.status().as_u16(),
            headers,
            body: response.body().as_ref().to_vec(),
        }
    }
}

/// The result of an operation that answers with a redirect (`302 Found`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Redirect {
    /// The HTTP status.
    pub status: u16,
    /// The `Location` header, if sent.
    pub location: Option<String>,
}

/// The value of header `name` (case-insensitive), first occurrence.
pub(crate) fn find_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn lowercase_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.clone())).collect()
}

impl<'a> RawResponse<'a> {
    /// Wraps the parts of a response.
    pub fn new(status: u16, headers: &'a [(String, String)], body: &'a [u8]) -> Self {
        Self { status, headers, body }
    }

    /// The value of header `name`, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        find_header(self.headers, name)
    }

    /// The error for a status the operation does not treat as success.
    pub(crate) fn api_error(&self, info: &OperationInfo) -> ResponseError {
        let (kind, message) = classify(self.status, self.header("content-type"), self.body);
        tracing::debug!(operation = info.id, status = self.status, "error response");
        ResponseError::Api(Box::new(ApiError {
            operation: info.id,
            status: self.status,
            headers: lowercase_headers(self.headers),
            body: self.body.to_vec(),
            kind,
            message,
            declared: info.error_statuses.contains(&self.status),
        }))
    }

    fn decode_error(
        &self,
        info: &OperationInfo,
        schema: &'static str,
        path: String,
        message: String,
    ) -> ResponseError {
        ResponseError::Decode(Box::new(DecodeError {
            operation: info.id,
            status: self.status,
            schema,
            path,
            message,
            headers: lowercase_headers(self.headers),
            body: self.body.to_vec(),
        }))
    }

    /// Decodes a JSON body as `T`. On failure the body is decoded again with path tracking, so
    /// the error names where it failed without slowing down the common case.
    pub(crate) fn json<T: DeserializeOwned>(
        &self,
        info: &OperationInfo,
        schema: &'static str,
    ) -> Result<T, ResponseError> {
        match serde_json::from_slice(self.body) {
            Ok(value) => Ok(value),
            Err(first) => {
                if serde_json::from_slice::<serde::de::IgnoredAny>(self.body).is_err() {
                    let content_type = self.header("content-type").unwrap_or("no content-type");
                    let text = String::from_utf8_lossy(self.body);
                    let what = if self.body.is_empty() {
                        "the body is empty".to_owned()
                    } else {
                        format!(
                            "the body is not JSON ({content_type}; {first}): {}",
                            snippet(&text)
                        )
                    };
                    return Err(self.decode_error(info, schema, String::new(), what));
                }
                let mut deserializer = serde_json::Deserializer::from_slice(self.body);
                let (path, message) =
                    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                        Err(e) => (e.path().to_string(), e.into_inner().to_string()),
                        Ok(_) => (String::new(), first.to_string()),
                    };
                Err(self.decode_error(info, schema, path, message))
            }
        }
    }

    /// Decodes a JSON body the spec gives no schema for; an empty body is `null`.
    pub(crate) fn json_or_null(
        &self,
        info: &OperationInfo,
    ) -> Result<serde_json::Value, ResponseError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        self.json(info, "JSON")
    }

    /// Decodes a JSON body that may be absent: an empty body is `None`. (Only Configuration API
    /// operations answer so; a build with the public API alone does not use it.)
    #[cfg_attr(not(feature = "config-api"), allow(dead_code))]
    pub(crate) fn optional_json<T: DeserializeOwned>(
        &self,
        info: &OperationInfo,
        schema: &'static str,
    ) -> Result<Option<T>, ResponseError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        self.json(info, schema).map(Some)
    }

    /// The body as text; bytes that are not UTF-8 are replaced.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(self.body).into_owned()
    }

    /// The body bytes. (Only Configuration API operations answer with bytes.)
    #[cfg_attr(not(feature = "config-api"), allow(dead_code))]
    pub(crate) fn bytes(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    /// The redirect target.
    pub(crate) fn redirect(&self) -> Redirect {
        Redirect { status: self.status, location: self.header("location").map(str::to_owned) }
    }
}
