//! Errors of building requests and of parsing responses.
//!
//! Error bodies are classified by the shape the server really sends, which is not what the specs
//! declare: problem objects (`{type, title, status, detail, data}`), known-exception objects
//! (`{message, details, errorId}`), a bare `{errorId}`, bodies of the authentication layer in
//! front of the API, and non-JSON pages from proxies. Whatever came, the status, headers and raw
//! body are kept.

use std::fmt;

use serde_json::Value;

/// A request could not be built. No request exists when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// The input breaks a rule of the spec: a missing or malformed field, a value out of range.
    #[error("{operation}: invalid input at `{path}`: {message}")]
    InvalidInput {
        /// The operation being built.
        operation: &'static str,
        /// Where the bad value is, as a JSON-style path (`body.pagination.pageSize`).
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The request body could not be serialized.
    #[error("{operation}: the request body could not be serialized: {message}")]
    Serialize {
        /// The operation being built.
        operation: &'static str,
        /// The serializer's message.
        message: String,
    },
    /// A URL built from the configured root and the path was refused by `http`.
    #[error("{operation}: the request URL is not valid: {message}")]
    InvalidUrl {
        /// The operation being built.
        operation: &'static str,
        /// Why it was refused.
        message: String,
    },
    /// The operation id names no operation of the API (dynamic dispatch only).
    #[error("the {api} has no operation `{operation}`")]
    UnknownOperation {
        /// The API that was searched.
        api: crate::Api,
        /// The id that was asked for.
        operation: String,
    },
}

impl BuildError {
    pub(crate) fn invalid(operation: &'static str, path: &str, message: impl Into<String>) -> Self {
        BuildError::InvalidInput { operation, path: path.to_owned(), message: message.into() }
    }
}

/// A response was not the operation's success value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResponseError {
    /// The server answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The server answered with a success status but a body that does not match the spec.
    #[error(transparent)]
    Decode(Box<DecodeError>),
}

impl ResponseError {
    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        match self {
            ResponseError::Api(e) => e.status,
            ResponseError::Decode(e) => e.status,
        }
    }

    /// The raw body the server sent.
    pub fn body(&self) -> &[u8] {
        match self {
            ResponseError::Api(e) => &e.body,
            ResponseError::Decode(e) => &e.body,
        }
    }

    /// The error as an [`ApiError`], if it is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            ResponseError::Api(e) => Some(e),
            ResponseError::Decode(_) => None,
        }
    }
}

/// The server answered with an error status (or a status the operation does not declare).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The response headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// What the body was recognised as.
    pub kind: ErrorBody,
    /// A one-line human message taken from whichever body shape came.
    pub message: String,
    /// Whether the spec declares this status for this operation.
    pub declared: bool,
}

impl ApiError {
    /// The problem `type` (`error:connection/locked`, or a documentation URL) when the body
    /// was a problem object.
    pub fn problem_type(&self) -> Option<&str> {
        match &self.kind {
            ErrorBody::Problem(problem) => Some(&problem.problem_type),
            _ => None,
        }
    }

    /// The server's error id, when the body carries one.
    pub fn error_id(&self) -> Option<&str> {
        match &self.kind {
            ErrorBody::KnownException(known) => known.error_id.as_deref(),
            ErrorBody::ErrorId { error_id } => Some(error_id),
            _ => None,
        }
    }

    /// The value of a response header, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::response::find_header(&self.headers, name)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}: {}", self.operation, self.status, self.message)?;
        if let Some(problem_type) = self.problem_type() {
            write!(f, " (problem {problem_type})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A success status with a body the operation's schema does not accept.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The schema the body was decoded as.
    pub schema: &'static str,
    /// Where decoding failed, as a JSON path (`jobs[3].status`); empty at the top level.
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The response headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the HTTP {} response does not match {}",
            self.operation, self.status, self.schema
        )?;
        if !self.path.is_empty() && self.path != "." {
            write!(f, " at `{}`", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// What an error body was recognised as.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody {
    /// An RFC 9457-style problem: `{type, title, status?, detail?, documentationUrl?, data?}`.
    Problem(Problem),
    /// A known-exception object: `{message, details?, errorId?, validationErrors?, ...}`.
    KnownException(KnownException),
    /// Only an error id: `{"errorId": "..."}`.
    ErrorId {
        /// The id the server logged the error under.
        error_id: String,
    },
    /// A body from the authentication layer in front of the API (Micronaut security's
    /// `{message, _embedded.errors}` or an OAuth `{error, error_description}`).
    AuthLayer {
        /// The message it carried.
        message: String,
    },
    /// JSON of no known shape.
    OtherJson(Value),
    /// An HTML page, typically from a proxy or load balancer.
    Html {
        /// The page's `<title>`, if any.
        title: Option<String>,
        /// The start of the page text.
        snippet: String,
    },
    /// Plain text or anything else that is not JSON.
    Text {
        /// The start of the text.
        snippet: String,
    },
    /// No body at all.
    Empty,
}

impl ErrorBody {
    /// The shape's name in `snake_case`, stable across versions: `problem`, `known_exception`,
    /// `error_id`, `auth_layer`, `other_json`, `html`, `text` or `empty`. Bindings expose it and
    /// the shared test vectors (`tests/vectors`) spell expected error kinds with it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ErrorBody::Problem(_) => "problem",
            ErrorBody::KnownException(_) => "known_exception",
            ErrorBody::ErrorId { .. } => "error_id",
            ErrorBody::AuthLayer { .. } => "auth_layer",
            ErrorBody::OtherJson(_) => "other_json",
            ErrorBody::Html { .. } => "html",
            ErrorBody::Text { .. } => "text",
            ErrorBody::Empty => "empty",
        }
    }
}

/// An RFC 9457-style problem object as the Airbyte server sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// `type`: `error:<area>/<code>` or a documentation URL. Not unique on its own.
    pub problem_type: String,
    /// `title`.
    pub title: String,
    /// `status`, when present.
    pub status: Option<u16>,
    /// `detail`, when present.
    pub detail: Option<String>,
    /// `documentationUrl`, when present.
    pub documentation_url: Option<String>,
    /// `data`, the problem-specific payload, kept as JSON.
    pub data: Option<Value>,
}

/// A known-exception object (`KnownExceptionInfo`, `InvalidInputExceptionInfo`,
/// `NotFoundKnownExceptionInfo`).
#[derive(Debug, Clone, PartialEq)]
pub struct KnownException {
    /// `message`.
    pub message: String,
    /// `details`, kept as JSON.
    pub details: Option<Value>,
    /// `errorId`, when present.
    pub error_id: Option<String>,
    /// `exceptionClassName`, when present.
    pub exception_class_name: Option<String>,
    /// `validationErrors` of an invalid-input response.
    pub validation_errors: Vec<ValidationError>,
}

/// One entry of `validationErrors`.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// `propertyPath`.
    pub property_path: String,
    /// `message`.
    pub message: Option<String>,
    /// `invalidValue`, kept as JSON.
    pub invalid_value: Option<Value>,
}

const SNIPPET_CHARS: usize = 200;

/// Classifies an error body and extracts a one-line message from it.
pub(crate) fn classify(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> (ErrorBody, String) {
    let kind = classify_body(content_type, body);
    let message = message_of(&kind).unwrap_or_else(|| reason_phrase(status).to_owned());
    (kind, message)
}

fn classify_body(content_type: Option<&str>, body: &[u8]) -> ErrorBody {
    if body.iter().all(u8::is_ascii_whitespace) {
        return ErrorBody::Empty;
    }
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        return classify_json(value);
    }
    let text = String::from_utf8_lossy(body);
    let looks_html = content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html"))
        || text.trim_start().starts_with('<');
    if looks_html {
        let title = html_title(&text);
        ErrorBody::Html { title, snippet: snippet(&strip_tags(&text)) }
    } else {
        ErrorBody::Text { snippet: snippet(&text) }
    }
}

fn classify_json(value: Value) -> ErrorBody {
    let Value::Object(object) = &value else { return ErrorBody::OtherJson(value) };
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);

    if let (Some(problem_type), Some(title)) = (text("type"), text("title")) {
        return ErrorBody::Problem(Problem {
            problem_type,
            title,
            status: object
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok()),
            detail: text("detail"),
            documentation_url: text("documentationUrl"),
            data: object.get("data").cloned(),
        });
    }
    let is_micronaut = object.contains_key("_embedded") || object.contains_key("_links");
    if is_micronaut {
        let embedded = object
            .get("_embedded")
            .and_then(|e| e.get("errors"))
            .and_then(Value::as_array)
            .and_then(|errors| errors.iter().find_map(|e| e.get("message")?.as_str()));
        if let Some(message) = embedded.map(str::to_owned).or_else(|| text("message")) {
            return ErrorBody::AuthLayer { message };
        }
    }
    if let Some(message) = text("message") {
        let validation_errors = object
            .get("validationErrors")
            .and_then(Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| ValidationError {
                        property_path: e
                            .get("propertyPath")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                        message: e.get("message").and_then(Value::as_str).map(str::to_owned),
                        invalid_value: e.get("invalidValue").cloned(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        return ErrorBody::KnownException(KnownException {
            message,
            details: object.get("details").cloned(),
            error_id: text("errorId"),
            exception_class_name: text("exceptionClassName"),
            validation_errors,
        });
    }
    if let Some(error_id) = text("errorId") {
        return ErrorBody::ErrorId { error_id };
    }
    if let Some(error) = text("error") {
        let message = match text("error_description") {
            Some(description) => format!("{error}: {description}"),
            None => error,
        };
        return ErrorBody::AuthLayer { message };
    }
    ErrorBody::OtherJson(value)
}

fn message_of(kind: &ErrorBody) -> Option<String> {
    let message = match kind {
        ErrorBody::Problem(problem) => {
            let data_message =
                problem.data.as_ref().and_then(|d| d.get("message")).and_then(Value::as_str);
            // The server's `detail` is often the problem type's fixed text ("Please try again
            // later."), while `data.message` says what happened: prefer it.
            data_message
                .filter(|m| !m.trim().is_empty())
                .or(problem.detail.as_deref().filter(|d| !d.trim().is_empty()))
                .unwrap_or(&problem.title)
                .to_owned()
        }
        ErrorBody::KnownException(known) => match known.validation_errors.first() {
            Some(first) => match &first.message {
                Some(m) => format!("{} ({}: {m})", known.message, first.property_path),
                None => format!("{} ({})", known.message, first.property_path),
            },
            None => known.message.clone(),
        },
        ErrorBody::ErrorId { error_id } => {
            format!("the server gave no message (errorId {error_id})")
        }
        ErrorBody::AuthLayer { message } => message.clone(),
        ErrorBody::OtherJson(value) => ["message", "detail", "error", "title"]
            .iter()
            .find_map(|key| value.get(key)?.as_str().map(str::to_owned))
            .unwrap_or_else(|| snippet(&value.to_string())),
        ErrorBody::Html { title: Some(title), .. } => format!("HTML page: {title}"),
        ErrorBody::Html { title: None, snippet } => format!("HTML page: {snippet}"),
        ErrorBody::Text { snippet } => snippet.clone(),
        ErrorBody::Empty => return None,
    };
    let one_line = collapse_whitespace(&message);
    if one_line.is_empty() {
        None
    } else {
        Some(one_line)
    }
}

/// The start of a text, on one line, cut at a character boundary.
pub(crate) fn snippet(text: &str) -> String {
    let one_line = collapse_whitespace(text);
    match one_line.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = collapse_whitespace(&html[open_end..close]);
    if title.is_empty() {
        None
    } else {
        Some(title)
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len().min(4096));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
        if out.len() > 4 * SNIPPET_CHARS {
            break;
        }
    }
    out
}

/// The standard reason phrase of a status, used when a body says nothing.
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unrecognised status")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_str(status: u16, content_type: &str, body: &str) -> (ErrorBody, String) {
        classify(status, Some(content_type), body.as_bytes())
    }

    #[test]
    fn problem_bodies_use_data_message_then_detail_then_title() {
        let (kind, message) = classify_str(
            409,
            "application/json",
            r#"{"status":409,"type":"error:connection/locked","title":"connection-locked","detail":"The connection is locked.","data":{"connectionId":"c"}}"#,
        );
        assert_eq!(message, "The connection is locked.");
        let ErrorBody::Problem(problem) = kind else { panic!("not a problem") };
        assert_eq!(problem.problem_type, "error:connection/locked");
        assert_eq!(problem.status, Some(409));

        let (_, message) = classify_str(
            400,
            "application/json",
            r#"{"type":"t","title":"bad-request","data":{"message":"limit must be at most 100"}}"#,
        );
        assert_eq!(message, "limit must be at most 100");
        let (_, message) = classify_str(
            409,
            "application/json",
            r#"{"type":"t","title":"try-again-later","detail":"Please try again later.","data":{"message":"A sync is already running for: c1"}}"#,
        );
        assert_eq!(message, "A sync is already running for: c1");
        let (_, message) =
            classify_str(404, "application/json", r#"{"type":"t","title":"resource-not-found"}"#);
        assert_eq!(message, "resource-not-found");
    }

    #[test]
    fn known_exceptions_keep_validation_errors() {
        let (kind, message) = classify_str(
            422,
            "application/json",
            r#"{"message":"Invalid input","validationErrors":[{"propertyPath":"connectionId","message":"must be a uuid","invalidValue":"x"}],"errorId":"e1"}"#,
        );
        assert_eq!(message, "Invalid input (connectionId: must be a uuid)");
        let ErrorBody::KnownException(known) = kind else { panic!("not known") };
        assert_eq!(known.error_id.as_deref(), Some("e1"));
        assert_eq!(known.validation_errors[0].invalid_value, Some(Value::from("x")));
    }

    #[test]
    fn error_ids_auth_layer_and_other_json() {
        let (kind, message) = classify_str(500, "application/json", r#"{"errorId":"abc"}"#);
        assert_eq!(kind, ErrorBody::ErrorId { error_id: "abc".into() });
        assert_eq!(message, "the server gave no message (errorId abc)");

        let (kind, message) = classify_str(
            401,
            "application/json",
            r#"{"message":"Unauthorized","_links":{"self":{"href":"/api/v1/jobs/get"}},"_embedded":{"errors":[{"message":"Bearer token expired"}]}}"#,
        );
        assert_eq!(kind, ErrorBody::AuthLayer { message: "Bearer token expired".into() });
        assert_eq!(message, "Bearer token expired");

        let (_, message) = classify_str(
            401,
            "application/json",
            r#"{"error":"invalid_client","error_description":"bad secret"}"#,
        );
        assert_eq!(message, "invalid_client: bad secret");

        let (kind, message) = classify_str(400, "application/json", "[1,2]");
        assert_eq!(kind, ErrorBody::OtherJson(serde_json::json!([1, 2])));
        assert_eq!(message, "[1,2]");
    }

    #[test]
    fn html_text_and_empty_bodies() {
        let (kind, message) = classify_str(
            502,
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>",
        );
        assert_eq!(message, "HTML page: 502 Bad Gateway");
        let ErrorBody::Html { snippet, .. } = kind else { panic!("not html") };
        assert_eq!(snippet, "502 Bad Gateway 502 Bad Gateway nginx");

        let (kind, message) =
            classify_str(503, "text/plain", "upstream connect error\nor disconnect");
        assert_eq!(
            kind,
            ErrorBody::Text { snippet: "upstream connect error or disconnect".into() }
        );
        assert_eq!(message, "upstream connect error or disconnect");

        let (kind, message) = classify(404, None, b"  ");
        assert_eq!(kind, ErrorBody::Empty);
        assert_eq!(message, "Not Found");
        let (_, message) = classify(599, None, b"");
        assert_eq!(message, "unrecognised status");
    }

    #[test]
    fn snippets_are_cut_on_character_boundaries() {
        let long = "é".repeat(300);
        let cut = snippet(&long);
        assert_eq!(cut.chars().count(), SNIPPET_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
