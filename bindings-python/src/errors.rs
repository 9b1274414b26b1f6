//! Core errors as the exceptions of `airbyte_core.errors`, with structured attributes.

use airbyte_core::flow::call::CallError;
use airbyte_core::flow::jobs::AlreadyRunning;
use airbyte_core::flow::ClientError;
use airbyte_core::{ApiError, AuthError, BaseUrlError, BuildError, ErrorBody, ResponseError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use pyo3::IntoPyObjectExt;

use crate::convert::to_py;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// An instance of `airbyte_core.errors.<class>(message, **attributes)`.
fn raise(py: Python<'_>, class: &str, message: &str, attributes: &Bound<'_, PyDict>) -> PyErr {
    let made = ERRORS
        .get_or_try_init(py, || py.import("airbyte_core.errors").map(Bound::unbind))
        .and_then(|module| module.bind(py).getattr(class))
        .and_then(|class| class.call((message,), Some(attributes)));
    match made {
        Ok(error) => PyErr::from_value(error),
        Err(error) => error,
    }
}

fn attributes<'py>(py: Python<'py>, pairs: &[(&str, Bound<'py, PyAny>)]) -> Bound<'py, PyDict> {
    let dict = PyDict::new(py);
    for (key, value) in pairs {
        let _ = dict.set_item(key, value);
    }
    dict
}

fn opt_str<'py>(py: Python<'py>, value: Option<&str>) -> Bound<'py, PyAny> {
    match value {
        Some(text) => {
            text.into_pyobject(py).map(Bound::into_any).unwrap_or_else(|_| py.None().into_bound(py))
        }
        None => py.None().into_bound(py),
    }
}

fn any<'py, T: IntoPyObject<'py>>(py: Python<'py>, value: T) -> Bound<'py, PyAny> {
    value.into_bound_py_any(py).unwrap_or_else(|_| py.None().into_bound(py))
}

fn headers<'py>(py: Python<'py>, headers: &[(String, String)]) -> Bound<'py, PyAny> {
    let list = PyList::empty(py);
    for (name, value) in headers {
        if let Ok(pair) = PyTuple::new(py, [name.as_str(), value.as_str()]) {
            let _ = list.append(pair);
        }
    }
    list.into_any()
}

fn json<'py>(py: Python<'py>, value: Option<&serde_json::Value>) -> Bound<'py, PyAny> {
    value.and_then(|v| to_py(py, v).ok()).unwrap_or_else(|| py.None().into_bound(py))
}

/// The attributes every error with a response carries.
fn api_attributes<'py>(py: Python<'py>, error: &ApiError) -> Bound<'py, PyDict> {
    let (title, detail, documentation_url, data) = match &error.kind {
        ErrorBody::Problem(p) => (
            Some(p.title.as_str()),
            p.detail.as_deref(),
            p.documentation_url.as_deref(),
            p.data.as_ref(),
        ),
        _ => (None, None, None, None),
    };
    let validation_errors = PyList::empty(py);
    if let ErrorBody::KnownException(known) = &error.kind {
        for v in &known.validation_errors {
            let item = attributes(
                py,
                &[
                    ("property_path", any(py, v.property_path.as_str())),
                    ("message", opt_str(py, v.message.as_deref())),
                    ("invalid_value", json(py, v.invalid_value.as_ref())),
                ],
            );
            let _ = validation_errors.append(item);
        }
    }
    let details = match &error.kind {
        ErrorBody::KnownException(known) => known.details.as_ref(),
        ErrorBody::OtherJson(value) => Some(value),
        _ => None,
    };
    attributes(
        py,
        &[
            ("operation", any(py, error.operation)),
            ("status", any(py, error.status)),
            ("kind", any(py, error.kind.kind_name())),
            ("problem_type", opt_str(py, error.problem_type())),
            ("title", opt_str(py, title)),
            ("detail", opt_str(py, detail)),
            ("documentation_url", opt_str(py, documentation_url)),
            ("data", json(py, data.or(details))),
            ("error_id", opt_str(py, error.error_id())),
            ("validation_errors", validation_errors.into_any()),
            ("declared", any(py, error.declared)),
            ("headers", headers(py, &error.headers)),
            ("body", PyBytes::new(py, &error.body).into_any()),
            ("reason", any(py, error.message.as_str())),
        ],
    )
}

/// A request that could not be built.
pub(crate) fn build_error(py: Python<'_>, error: &BuildError) -> PyErr {
    let message = error.to_string();
    let (operation, path) = match error {
        BuildError::InvalidInput { operation, path, .. } => (Some(*operation), Some(path.as_str())),
        BuildError::Serialize { operation, .. } | BuildError::InvalidUrl { operation, .. } => {
            (Some(*operation), None)
        }
        BuildError::UnknownOperation { operation, .. } => (Some(operation.as_str()), None),
    };
    let attrs =
        attributes(py, &[("operation", opt_str(py, operation)), ("path", opt_str(py, path))]);
    raise(py, "InvalidInputError", &message, &attrs)
}

/// A URL root or token URL that was refused.
pub(crate) fn url_error(py: Python<'_>, error: &BaseUrlError) -> PyErr {
    let attrs = attributes(
        py,
        &[("operation", py.None().into_bound(py)), ("path", py.None().into_bound(py))],
    );
    raise(py, "InvalidInputError", &error.to_string(), &attrs)
}

/// A response that was not the operation's success value.
pub(crate) fn response_error(py: Python<'_>, error: &ResponseError) -> PyErr {
    match error {
        ResponseError::Api(api) => {
            raise(py, "ApiError", &api.to_string(), &api_attributes(py, api))
        }
        ResponseError::Decode(decode) => {
            let attrs = attributes(
                py,
                &[
                    ("operation", any(py, decode.operation)),
                    ("status", any(py, decode.status)),
                    ("schema", any(py, decode.schema)),
                    ("path", any(py, decode.path.as_str())),
                    ("reason", any(py, decode.message.as_str())),
                    ("headers", headers(py, &decode.headers)),
                    ("body", PyBytes::new(py, &decode.body).into_any()),
                ],
            );
            raise(py, "DecodeError", &decode.to_string(), &attrs)
        }
    }
}

fn auth_error(py: Python<'_>, error: &AuthError) -> PyErr {
    let message = error.to_string();
    let (reason, api) = match error {
        AuthError::TokenRequestFailed(api) => ("token_request_failed", Some(api)),
        AuthError::InvalidTokenResponse { .. } => ("invalid_token_response", None),
        AuthError::Unauthorized(api) => ("unauthorized", Some(api)),
    };
    let attrs = match api {
        Some(api) => api_attributes(py, api),
        None => PyDict::new(py),
    };
    let _ = attrs.set_item("failure", reason);
    raise(py, "AuthenticationError", &message, &attrs)
}

fn already_running(py: Python<'_>, error: &AlreadyRunning) -> PyErr {
    let attrs = api_attributes(py, &error.error);
    let _ = attrs.set_item("connection_id", error.connection_id.as_str());
    let _ = attrs.set_item("running_job_id", error.running_job_id);
    raise(py, "SyncAlreadyRunningError", &error.to_string(), &attrs)
}

/// Why a flow failed.
pub(crate) fn client_error(py: Python<'_>, error: &ClientError) -> PyErr {
    match error {
        ClientError::Build(error) => build_error(py, error),
        ClientError::Response(error) => response_error(py, error),
        ClientError::Call(CallError::Auth(error)) => auth_error(py, error),
        ClientError::Call(CallError::Transport { operation, error: transport }) => {
            let kind = match transport.kind {
                airbyte_core::TransportErrorKind::Connect => "connect",
                airbyte_core::TransportErrorKind::Timeout => "timeout",
                airbyte_core::TransportErrorKind::Io => "io",
                airbyte_core::TransportErrorKind::BodyTooLarge => "body_too_large",
                airbyte_core::TransportErrorKind::Other => "other",
            };
            let attrs =
                attributes(py, &[("operation", any(py, *operation)), ("kind", any(py, kind))]);
            raise(py, "TransportError", &error.to_string(), &attrs)
        }
        ClientError::Call(CallError::Cancelled { operation }) => {
            let attrs = attributes(py, &[("operation", any(py, *operation))]);
            raise(py, "CallCancelledError", &error.to_string(), &attrs)
        }
        ClientError::AlreadyRunning(error) => already_running(py, error),
        ClientError::UnexpectedOutput { operation, message } => {
            let attrs = attributes(
                py,
                &[
                    ("operation", any(py, *operation)),
                    ("status", py.None().into_bound(py)),
                    ("schema", py.None().into_bound(py)),
                    ("path", any(py, "")),
                    ("reason", any(py, message.as_str())),
                ],
            );
            raise(py, "DecodeError", &error.to_string(), &attrs)
        }
    }
}
