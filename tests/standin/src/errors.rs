//! Error bodies in the shapes the real server sends (spec-notes §7.2): problems on the public
//! API, `{message, details?, errorId}` and bare `{errorId}` on the Configuration API, and
//! Micronaut's own bodies for requests that never reach a controller.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Value};

use crate::http::HttpResponse;
use crate::ids;

static NEXT_ERROR: AtomicU64 = AtomicU64::new(1);

/// A fresh `errorId`.
pub(crate) fn error_id() -> String {
    ids::id(ids::ERROR_PREFIX, NEXT_ERROR.fetch_add(1, Ordering::Relaxed)).to_string()
}

const ERRORS: &str = "https://reference.airbyte.com/reference/errors";

/// An RFC 9457-style problem as the public API sends it (`application/json`).
pub(crate) fn problem(
    status: u16,
    problem_type: &str,
    title: &str,
    detail: &str,
    data: Option<Value>,
) -> HttpResponse {
    let mut body =
        json!({ "status": status, "type": problem_type, "title": title, "detail": detail });
    if let Some(data) = data {
        body["data"] = data;
    }
    HttpResponse::json(status, &body)
}

/// 404 `resource-not-found`.
pub(crate) fn resource_not_found(resource_type: &str, resource_id: &str) -> HttpResponse {
    problem(
        404,
        &format!("{ERRORS}#resource-not-found"),
        "resource-not-found",
        "The requested resource could not be found.",
        Some(json!({ "resourceType": resource_type, "resourceId": resource_id })),
    )
}

/// 400 `bad-request`.
pub(crate) fn bad_request(message: &str) -> HttpResponse {
    problem(
        400,
        &format!("{ERRORS}#bad-request"),
        "bad-request",
        "The request could not be understood by the server due to malformed syntax.",
        Some(json!({ "message": message })),
    )
}

/// 422 `unprocessable-entity`.
pub(crate) fn unprocessable(message: &str) -> HttpResponse {
    problem(
        422,
        &format!("{ERRORS}#unprocessable-entity"),
        "unprocessable-entity",
        "The body of the request was not understood",
        Some(json!({ "message": message })),
    )
}

/// 409 `try-again-later`, what the public API sends when a sync is already running.
pub(crate) fn try_again_later(message: &str) -> HttpResponse {
    problem(
        409,
        &format!("{ERRORS}#try-again-later"),
        "try-again-later",
        "Please try again later.",
        Some(json!({ "message": message })),
    )
}

/// 409 `state-conflict`, what the public API sends when cancelling a job that has ended.
pub(crate) fn state_conflict(message: &str) -> HttpResponse {
    problem(
        409,
        &format!("{ERRORS}#409-state-conflict"),
        "state-conflict",
        "State conflict",
        Some(json!({ "message": message })),
    )
}

/// A known exception of the Configuration API: `{message, errorId}`.
pub(crate) fn known_exception(status: u16, message: &str) -> HttpResponse {
    HttpResponse::json(status, &json!({ "message": message, "errorId": error_id() }))
}

/// A bare `{errorId}` body (the Configuration API's 404s, bad credentials, uncaught errors).
pub(crate) fn error_id_only(status: u16) -> HttpResponse {
    HttpResponse::json(status, &json!({ "errorId": error_id() }))
}

/// A body of Micronaut itself (authentication, unknown routes).
pub(crate) fn micronaut(status: u16, path: &str, title: &str, message: &str) -> HttpResponse {
    HttpResponse::json(
        status,
        &json!({
            "message": title,
            "_links": { "self": { "href": path, "templated": false } },
            "_embedded": { "errors": [ { "message": message } ] }
        }),
    )
}
