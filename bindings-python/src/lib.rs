//! The native module `airbyte_core._native` behind the Python package `airbyte_core`: the core's
//! configuration, request building, response parsing and flows, with conversions between JSON
//! and Python data and core errors mapped to `airbyte_core.errors`. Everything else (transports,
//! the driver loop, the typed operation functions) is Python.

mod convert;
mod engine;
mod errors;
mod logging;

use airbyte_core::dynamic::operations as all_operations;
use airbyte_core::{BodyKind, PaginationStyle, RawResponse};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use convert::from_py;
use engine::{api, auth, operation, PyClientConfig, PyEngine, PyRequest, PyTask};
use errors::build_error;

/// Builds the request of operation `operation_id` of `api_name` (`"public"` or `"config"`) from
/// `input` (parameters under their spec names, the body under `"body"`).
#[pyfunction]
#[pyo3(signature = (
    api_name, operation_id, input, config, *, bearer_token=None, username=None, password=None
))]
#[allow(clippy::too_many_arguments)]
fn build_request(
    py: Python<'_>,
    api_name: &str,
    operation_id: &str,
    input: &Bound<'_, PyAny>,
    config: &PyClientConfig,
    bearer_token: Option<String>,
    username: Option<String>,
    password: Option<String>,
) -> PyResult<PyRequest> {
    let operation = operation(py, api_name, operation_id)?;
    let auth = auth(bearer_token, username, password)?;
    let input = from_py(input)?;
    operation
        .build_json(&input, &config.inner, &auth)
        .map(|inner| PyRequest { inner })
        .map_err(|e| build_error(py, &e))
}

/// Parses a response of operation `operation_id` into plain Python data, or raises
/// `ApiError` / `DecodeError`.
#[pyfunction]
fn parse_response<'py>(
    py: Python<'py>,
    api_name: &str,
    operation_id: &str,
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> PyResult<Bound<'py, PyAny>> {
    let operation = operation(py, api_name, operation_id)?;
    engine::parse(py, operation, &RawResponse::new(status, &headers, body))
}

/// The ids of every operation of `api_name`, sorted.
#[pyfunction]
fn operations(api_name: &str) -> PyResult<Vec<&'static str>> {
    Ok(all_operations(api(api_name)?).iter().map(|op| op.info.id).collect())
}

/// Facts about an operation, taken from the spec.
#[pyfunction]
fn operation_info<'py>(
    py: Python<'py>,
    api_name: &str,
    operation_id: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let info = operation(py, api_name, operation_id)?.info;
    let dict = PyDict::new(py);
    dict.set_item("api", api_name)?;
    dict.set_item("id", info.id)?;
    dict.set_item("method", info.method.as_str())?;
    dict.set_item("path", info.path)?;
    dict.set_item("tag", info.tag)?;
    dict.set_item("authenticated", info.authenticated)?;
    dict.set_item("idempotent", info.idempotent)?;
    dict.set_item("has_body", info.has_body)?;
    dict.set_item("body_required", info.body_required)?;
    let pagination = info.pagination.map(|p| match p {
        PaginationStyle::LimitOffset => "limit_offset",
        PaginationStyle::PageSizeRowOffset => "page_size_row_offset",
        PaginationStyle::Cursor => "cursor",
        PaginationStyle::PageToken => "page_token",
    });
    dict.set_item("pagination", pagination)?;
    let responses = PyList::empty(py);
    for response in info.responses {
        let kind = match response.body {
            BodyKind::Empty => "empty",
            BodyKind::Json => "json",
            BodyKind::Text => "text",
            BodyKind::Binary => "binary",
            BodyKind::Redirect => "redirect",
        };
        responses.append((response.status, kind, response.schema))?;
    }
    dict.set_item("responses", responses)?;
    dict.set_item("error_statuses", info.error_statuses.to_vec())?;
    Ok(dict)
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    // Another extension may have installed a subscriber first; then the core's events go there.
    let _ = tracing::subscriber::set_global_default(logging::PythonLogging);
    module.add("DEFAULT_USER_AGENT", airbyte_core::DEFAULT_USER_AGENT)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_class::<PyClientConfig>()?;
    module.add_class::<PyRequest>()?;
    module.add_class::<PyEngine>()?;
    module.add_class::<PyTask>()?;
    module.add_function(wrap_pyfunction!(build_request, module)?)?;
    module.add_function(wrap_pyfunction!(parse_response, module)?)?;
    module.add_function(wrap_pyfunction!(operations, module)?)?;
    module.add_function(wrap_pyfunction!(operation_info, module)?)?;
    Ok(())
}
