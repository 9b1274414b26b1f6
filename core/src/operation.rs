//! What every generated operation provides: static metadata, request parts and a parser.

use crate::client_config::Api;
use crate::error::{BuildError, ResponseError};
use crate::response::RawResponse;

/// The HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The same method as an [`http::Method`].
    pub fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }
}

/// What a successful response of an operation carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// No body is expected; anything sent is ignored.
    Empty,
    /// A JSON document.
    Json,
    /// Text (`text/plain`, `text/html`).
    Text,
    /// Bytes (`application/zip`, `application/octet-stream`).
    Binary,
    /// A redirect whose `Location` header is the result.
    Redirect,
}

/// One declared response of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeclaredResponse {
    /// The HTTP status.
    pub status: u16,
    /// What the body is.
    pub body: BodyKind,
    /// The schema name of a JSON body, when it has one.
    pub schema: Option<&'static str>,
}

/// How a list operation pages through results, so that generic code can fetch every page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaginationStyle {
    /// Public API: `limit` and `offset` query parameters, `data` and `next` in the response.
    LimitOffset,
    /// Configuration API: a `pagination {pageSize, rowOffset}` object in the request body.
    PageSizeRowOffset,
    /// Configuration API: a keyset `cursor` plus `pageSize` in the request body.
    Cursor,
    /// Configuration API: `pageToken` in the request, `nextPageToken` in the response.
    PageToken,
}

/// Static facts about an operation, taken from the spec by the generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationInfo {
    /// The API the operation belongs to.
    pub api: Api,
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template relative to the API root, for example `/jobs/{jobId}`.
    pub path: &'static str,
    /// The first tag of the operation in the spec.
    pub tag: &'static str,
    /// Whether requests carry credentials (`false` where the spec says `security: []`).
    pub authenticated: bool,
    /// Whether repeating the request cannot change the outcome, so it may be retried.
    pub idempotent: bool,
    /// Whether the operation takes a request body at all.
    pub has_body: bool,
    /// Whether the request body is required.
    pub body_required: bool,
    /// The success (and redirect) responses declared in the spec.
    pub responses: &'static [DeclaredResponse],
    /// The error statuses declared in the spec.
    pub error_statuses: &'static [u16],
    /// How the operation pages, if it does.
    pub pagination: Option<PaginationStyle>,
    /// The `Accept` header value.
    pub accept: &'static str,
}

/// A typed operation input: a value of one of the generated operation structs.
///
/// Implementations are generated; the hand-written request builder and response parser use
/// them through this trait.
pub trait Operation {
    /// What a successful response parses into.
    type Output;

    /// Facts about the operation.
    const INFO: &'static OperationInfo;

    /// Checks the constraints the spec declares (ranges, lengths) before a request exists.
    fn validate(&self) -> Result<(), BuildError> {
        Ok(())
    }

    /// Appends the percent-encoded path, relative to the API root, to `out`.
    fn write_path(&self, out: &mut String);

    /// Appends the query parameters to `query`.
    fn write_query(&self, query: &mut crate::rt::Query) {
        let _ = query;
    }

    /// Appends the header parameters to `headers`.
    fn write_headers(&self, headers: &mut Vec<(String, String)>) {
        let _ = headers;
    }

    /// The JSON request body, if the operation sends one.
    fn body(&self) -> Result<Option<Vec<u8>>, BuildError> {
        Ok(None)
    }

    /// Parses a response into the operation's output or a typed error.
    fn parse_response(response: &RawResponse<'_>) -> Result<Self::Output, ResponseError>;
}
