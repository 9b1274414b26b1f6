//! The one error type that crosses the boundary, and how the core's errors map onto it.
//!
//! Every failure becomes [`AirbyteError::Failure`] with a [`ErrorKind`], the HTTP status when
//! there was a response, a one-line message and [`ErrorDetails`]. Raw bodies and headers stay
//! behind: a body can hold a token, so only what the core extracted from it crosses.

use airbyte_core::flow::call::CallError;
use airbyte_core::flow::ClientError;
use airbyte_core::{ApiError, AuthError, BaseUrlError, BuildError, ErrorBody, ResponseError};

use crate::convert::{json_of, ConvertError};

/// What went wrong, in a few stable kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ErrorKind {
    /// The caller's input was refused before anything was sent: a malformed root URL, input
    /// that breaks the spec, JSON that does not parse, an unknown operation id.
    InvalidInput,
    /// The server answered with an error status.
    Api,
    /// The server answered with a success status but a body that does not match the spec.
    Decode,
    /// No token could be had, or the server refused a fresh one.
    Auth,
    /// The host's transport failed, after any retries.
    Transport,
    /// The caller cancelled.
    Cancelled,
    /// A job could not start because one is already running for the connection.
    AlreadyRunning,
    /// A success response lacked what a flow needs.
    Unexpected,
    /// A host callback (a listener) failed; the flow stopped.
    Callback,
    /// A bug in the binding or the core (a caught panic); please report it.
    Internal,
}

/// One entry of an invalid-input response's `validationErrors`.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ValidationIssue {
    /// `propertyPath`.
    pub property_path: String,
    /// `message`, when the server sent one.
    pub message: Option<String>,
}

/// Everything known about an error besides its kind, status and message. Fields that do not
/// apply are empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct ErrorDetails {
    /// The operation id being built or called.
    #[uniffi(default)]
    pub operation: Option<String>,
    /// What exactly was wrong, without context: the message the server's error body carried,
    /// the decoder's message, or what is wrong with an input value.
    #[uniffi(default)]
    pub cause: Option<String>,
    /// Where the bad value is: an input path (`body.pagination.pageSize`) for invalid input,
    /// a JSON path in the response (`data[3].status`) for a decode error.
    #[uniffi(default)]
    pub path: Option<String>,
    /// The schema a success body was decoded as (decode errors).
    #[uniffi(default)]
    pub schema: Option<String>,
    /// The shape of an error body: `problem`, `known_exception`, `error_id`, `auth_layer`,
    /// `other_json`, `html`, `text` or `empty`.
    #[uniffi(default)]
    pub body_kind: Option<String>,
    /// Whether the spec declares the error status for the operation.
    #[uniffi(default)]
    pub declared: Option<bool>,
    /// The problem `type` of a problem body.
    #[uniffi(default)]
    pub problem_type: Option<String>,
    /// The server's error id, when the body carries one.
    #[uniffi(default)]
    pub error_id: Option<String>,
    /// A problem's `data` or a known exception's `details`, as JSON text.
    #[uniffi(default)]
    pub data_json: Option<String>,
    /// The `validationErrors` of an invalid-input response.
    #[uniffi(default)]
    pub validation_errors: Vec<ValidationIssue>,
    /// The kind of transport failure (`connect`, `timeout`, `io`, `body_too_large`, `other`).
    #[uniffi(default)]
    pub transport_kind: Option<String>,
    /// The connection of a job that could not start.
    #[uniffi(default)]
    pub connection_id: Option<String>,
    /// The job already running, when it could be found.
    #[uniffi(default)]
    pub running_job_id: Option<i64>,
}

/// The error of every fallible function of the binding.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum AirbyteError {
    /// Something failed; `kind` says what.
    #[error("{message}")]
    Failure {
        /// What went wrong.
        kind: ErrorKind,
        /// The HTTP status, when a response came.
        status: Option<u16>,
        /// A one-line description, naming the operation and what was wrong.
        message: String,
        /// The rest of what is known.
        details: ErrorDetails,
    },
}

impl AirbyteError {
    /// An error of `kind` with `message` and no details.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        AirbyteError::Failure {
            kind,
            status: None,
            message: message.into(),
            details: ErrorDetails::default(),
        }
    }

    /// Invalid input at `path`.
    pub fn invalid_input(path: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AirbyteError::Failure {
            kind: ErrorKind::InvalidInput,
            status: None,
            message: format!("invalid input at `{path}`: {message}"),
            details: ErrorDetails {
                path: Some(path.to_owned()),
                cause: Some(message),
                ..ErrorDetails::default()
            },
        }
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AirbyteError::Failure { kind, .. } => *kind,
        }
    }

    /// The HTTP status, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            AirbyteError::Failure { status, .. } => *status,
        }
    }

    /// The details.
    pub fn details(&self) -> &ErrorDetails {
        match self {
            AirbyteError::Failure { details, .. } => details,
        }
    }
}

fn api_details(error: &ApiError) -> ErrorDetails {
    let data = match &error.kind {
        ErrorBody::Problem(problem) => problem.data.as_ref().map(json_of),
        ErrorBody::KnownException(known) => known.details.as_ref().map(json_of),
        _ => None,
    };
    let validation_errors = match &error.kind {
        ErrorBody::KnownException(known) => known
            .validation_errors
            .iter()
            .map(|v| ValidationIssue {
                property_path: v.property_path.clone(),
                message: v.message.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    ErrorDetails {
        operation: Some(error.operation.to_owned()),
        cause: Some(error.message.clone()),
        body_kind: Some(error.kind.kind_name().to_owned()),
        declared: Some(error.declared),
        problem_type: error.problem_type().map(str::to_owned),
        error_id: error.error_id().map(str::to_owned),
        data_json: data,
        validation_errors,
        ..ErrorDetails::default()
    }
}

fn from_api(kind: ErrorKind, message: String, error: &ApiError) -> AirbyteError {
    AirbyteError::Failure { kind, status: Some(error.status), message, details: api_details(error) }
}

impl From<BuildError> for AirbyteError {
    fn from(error: BuildError) -> Self {
        let message = error.to_string();
        let (operation, path, cause) = match &error {
            BuildError::InvalidInput { operation, path, message } => {
                (Some((*operation).to_owned()), Some(path.clone()), Some(message.clone()))
            }
            BuildError::Serialize { operation, message }
            | BuildError::InvalidUrl { operation, message } => {
                (Some((*operation).to_owned()), None, Some(message.clone()))
            }
            BuildError::UnknownOperation { operation, .. } => (Some(operation.clone()), None, None),
        };
        AirbyteError::Failure {
            kind: ErrorKind::InvalidInput,
            status: None,
            message,
            details: ErrorDetails { operation, path, cause, ..ErrorDetails::default() },
        }
    }
}

impl From<BaseUrlError> for AirbyteError {
    fn from(error: BaseUrlError) -> Self {
        AirbyteError::new(ErrorKind::InvalidInput, error.to_string())
    }
}

impl From<ConvertError> for AirbyteError {
    fn from(error: ConvertError) -> Self {
        AirbyteError::invalid_input(&error.path, error.message)
    }
}

impl From<ResponseError> for AirbyteError {
    fn from(error: ResponseError) -> Self {
        match &error {
            ResponseError::Api(api) => from_api(ErrorKind::Api, error.to_string(), api),
            ResponseError::Decode(decode) => AirbyteError::Failure {
                kind: ErrorKind::Decode,
                status: Some(decode.status),
                message: error.to_string(),
                details: ErrorDetails {
                    operation: Some(decode.operation.to_owned()),
                    cause: Some(decode.message.clone()),
                    path: Some(decode.path.clone()),
                    schema: Some(decode.schema.to_owned()),
                    ..ErrorDetails::default()
                },
            },
        }
    }
}

impl From<ClientError> for AirbyteError {
    fn from(error: ClientError) -> Self {
        let message = error.to_string();
        match error {
            ClientError::Build(build) => build.into(),
            ClientError::Response(response) => response.into(),
            ClientError::Call(CallError::Auth(auth)) => match &auth {
                AuthError::TokenRequestFailed(api) | AuthError::Unauthorized(api) => {
                    from_api(ErrorKind::Auth, message, api)
                }
                AuthError::InvalidTokenResponse { .. } => {
                    AirbyteError::new(ErrorKind::Auth, message)
                }
            },
            ClientError::Call(CallError::Transport { operation, error }) => AirbyteError::Failure {
                kind: ErrorKind::Transport,
                status: None,
                message,
                details: ErrorDetails {
                    operation: Some(operation.to_owned()),
                    transport_kind: Some(crate::client::transport_kind_name(error.kind).to_owned()),
                    ..ErrorDetails::default()
                },
            },
            ClientError::Call(CallError::Cancelled { operation }) => AirbyteError::Failure {
                kind: ErrorKind::Cancelled,
                status: None,
                message,
                details: ErrorDetails {
                    operation: Some(operation.to_owned()),
                    ..ErrorDetails::default()
                },
            },
            ClientError::AlreadyRunning(running) => {
                let mut details = api_details(&running.error);
                details.connection_id = Some(running.connection_id.clone());
                details.running_job_id = running.running_job_id;
                AirbyteError::Failure {
                    kind: ErrorKind::AlreadyRunning,
                    status: Some(running.error.status),
                    message,
                    details,
                }
            }
            ClientError::UnexpectedOutput { operation, .. } => AirbyteError::Failure {
                kind: ErrorKind::Unexpected,
                status: None,
                message,
                details: ErrorDetails {
                    operation: Some(operation.to_owned()),
                    ..ErrorDetails::default()
                },
            },
        }
    }
}

/// Runs `body`, turning a panic into an [`ErrorKind::Internal`] error so that no panic reaches
/// the host.
pub fn guard<T>(body: impl FnOnce() -> Result<T, AirbyteError>) -> Result<T, AirbyteError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            Err(AirbyteError::new(
                ErrorKind::Internal,
                format!("internal error in airbyte-core (please report it): {what}"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_internal_errors() {
        let result: Result<(), AirbyteError> = guard(|| panic!("boom {}", 42));
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Internal);
        assert_eq!(error.to_string(), "internal error in airbyte-core (please report it): boom 42");
        let ok = guard(|| Ok::<_, AirbyteError>(7));
        assert_eq!(ok, Ok(7));
    }

    #[test]
    fn invalid_input_names_the_place() {
        let error = AirbyteError::invalid_input("body.name", "expected a string");
        assert_eq!(error.to_string(), "invalid input at `body.name`: expected a string");
        assert_eq!(error.details().path.as_deref(), Some("body.name"));
        assert_eq!(error.status(), None);
    }
}
