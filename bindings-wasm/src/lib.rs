//! WebAssembly binding of `airbyte-core`, the engine of the npm package `airbyte-core`.
//!
//! This crate only converts: JavaScript values in, the core's requests, parsed responses, flow
//! steps and errors out. The JavaScript layer of the package (`bindings-wasm/js`) wraps these
//! exports in the public API (typed errors, the `fetch` driver loop, async iterators), and is
//! the only user of this module's exports.
//!
//! - [`build_request`] / [`parse_response`]: one operation of either API, sans-IO.
//! - [`client::CoreClient`] and [`client::CoreTask`]: the core's flows (tokens, retries, pages,
//!   jobs) as tasks the JavaScript loop drives with `fetch` and `setTimeout`.
//! - [`embedded::decode_widget_token`]: the embedded widget's token, checked.
//!
//! Built with the `config-api` and `public-api` features (both by default), or one of them for a
//! smaller module that serves one API.

// `JsError` carries every field a JavaScript error may show; it is built once, on the way out
// to JavaScript, so its size in a `Result` costs nothing that matters.
#![allow(clippy::result_large_err)]

pub mod client;
mod convert;
pub mod embedded;
mod error;
mod options;

use airbyte_core::dynamic::{find_operation, DynOperation};
use airbyte_core::{Api, BuildError, RawResponse};
use wasm_bindgen::prelude::*;

use crate::error::JsError;

/// The operation `id` of `api`, or an error naming it.
pub(crate) fn operation(api: Api, id: &str) -> Result<&'static DynOperation, JsError> {
    find_operation(api, id)
        .ok_or_else(|| BuildError::UnknownOperation { api, operation: id.to_owned() }.into())
}

/// Builds the request of operation `operationId` of `api` (`"public"` or `"config"`) from
/// `input` (parameters under their spec names, the body under `body`). `options` holds the
/// roots (`baseUrl`, `publicRoot`, `configRoot`, `userAgent`) and `credentials` (`{bearer}` or
/// `{username, password}`). Returns `{method, url, headers, body}`; throws an error object.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(
    api: &str,
    operation_id: &str,
    input: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let api = convert::api(api)?;
    let operation = operation(api, operation_id)?;
    let options: options::BuildOptions = convert::options("options", options)?;
    let config = options.roots.config()?;
    let auth = options.credentials.unwrap_or_default().auth()?;
    let input = convert::input(input)?;
    let request = operation.build_json(&input, &config, &auth).map_err(JsError::from)?;
    convert::request_to_js(&request)
}

/// Parses a response to operation `operationId` of `api`: `response` is
/// `{status, headers?, body?}` with headers as `[name, value]` pairs or an object and the body
/// as text or bytes. Returns the operation's output as plain JavaScript values; throws an error
/// object for an error status or a body that does not match the spec.
#[wasm_bindgen(js_name = parseResponse)]
pub fn parse_response(
    api: &str,
    operation_id: &str,
    response: JsValue,
) -> Result<JsValue, JsValue> {
    let api = convert::api(api)?;
    let operation = operation(api, operation_id)?;
    if !response.is_object() {
        return Err(
            JsError::options("response must be an object {status, headers, body}".into()).into()
        );
    }
    let field = |name: &str| js_sys::Reflect::get(&response, &JsValue::from_str(name));
    let status = field("status")?
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (100.0..=599.0).contains(s))
        .ok_or_else(|| {
            JsError::options("response.status must be an HTTP status (100-599)".into())
        })?;
    let headers = convert::headers_from_js(&field("headers")?)?;
    let body = convert::body_from_js(&field("body")?)?;
    let output = operation
        .parse(&RawResponse::new(status as u16, &headers, &body))
        .map_err(JsError::from)?;
    convert::to_js(&*output)
}

/// The operation ids of `api` in this build, sorted.
#[wasm_bindgen(js_name = operationIds)]
pub fn operation_ids(api: &str) -> Result<Vec<String>, JsValue> {
    let api = convert::api(api)?;
    Ok(airbyte_core::dynamic::operations(api).iter().map(|op| op.info.id.to_owned()).collect())
}

/// Which APIs this build serves: `["config", "public"]`, or one of them.
#[wasm_bindgen(js_name = builtApis)]
pub fn built_apis() -> Vec<String> {
    [Api::Config, Api::Public]
        .into_iter()
        .filter(|api| !airbyte_core::dynamic::operations(*api).is_empty())
        .map(|api| api.as_str().to_owned())
        .collect()
}

/// The wait before retry number `retry` (1-based) under the core's default retry policy, in
/// milliseconds: the JavaScript layer's widget-token refresh backs off with it.
#[wasm_bindgen(js_name = backoffMs)]
pub fn backoff_ms(retry: u32) -> f64 {
    convert::duration_ms(airbyte_core::RetryPolicy::default().backoff(retry.max(1)))
}
