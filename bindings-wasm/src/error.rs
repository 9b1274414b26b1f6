//! Errors handed to JavaScript: a plain object naming the `Error` subclass the JavaScript layer
//! throws (`AirbyteApiError`, ...) and carrying its fields. Messages come from the core's
//! `Display` implementations, which never contain credentials or tokens.

use airbyte_core::embedded::WidgetTokenError;
use airbyte_core::flow::call::CallError;
use airbyte_core::flow::ClientError;
use airbyte_core::{
    ApiError, AuthError, BaseUrlError, BuildError, DecodeError, ErrorBody, ResponseError,
};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;

/// One entry of a known exception's `validationErrors`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ValidationInfo {
    property_path: String,
    message: Option<String>,
}

/// Everything the JavaScript error classes read; fields that do not apply are left out.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JsError {
    name: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    operation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<indexmap::IndexMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    declared: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validation_errors: Option<Vec<ValidationInfo>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transport_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    running_job_id: Option<i64>,
}

impl JsError {
    fn new(name: &'static str, message: String) -> Self {
        Self { name, message, ..Self::default() }
    }

    /// Options or arguments of the wrong shape (`AirbyteConfigError`).
    pub(crate) fn options(message: String) -> Self {
        Self::new("AirbyteConfigError", message)
    }

    /// An argument that is not what the function takes (`AirbyteConfigError`).
    pub(crate) fn argument(what: &str, error: impl std::fmt::Display) -> Self {
        Self::options(format!("{what}: {}", clean(&error.to_string())))
    }

    /// A success response whose parsed value cannot be handed to JavaScript.
    pub(crate) fn unexpected(operation: &str, message: String) -> Self {
        let mut error = Self::new("AirbyteError", format!("{operation}: {message}"));
        error.operation = Some(operation.to_owned());
        error.reason = Some("unexpected_output".to_owned());
        error
    }

    /// Fills the status, body and problem fields from an API error.
    fn with_api(mut self, api: &ApiError) -> Self {
        self.operation = Some(api.operation.to_owned());
        self.status = Some(api.status);
        self.body_kind = Some(api.kind.kind_name());
        self.body = Some(String::from_utf8_lossy(&api.body).into_owned());
        self.headers = Some(api.headers.iter().cloned().collect());
        self.declared = Some(api.declared);
        self.server_message = Some(api.message.clone());
        self.error_id = api.error_id().map(str::to_owned);
        match &api.kind {
            ErrorBody::Problem(problem) => {
                self.problem_type = Some(problem.problem_type.clone());
                self.title = Some(problem.title.clone());
                self.detail = problem.detail.clone();
                self.data = problem.data.clone();
            }
            ErrorBody::KnownException(known) => {
                self.validation_errors = Some(
                    known
                        .validation_errors
                        .iter()
                        .map(|v| ValidationInfo {
                            property_path: v.property_path.clone(),
                            message: v.message.clone(),
                        })
                        .collect(),
                );
            }
            _ => {}
        }
        self
    }

    fn decode(decode: &DecodeError) -> Self {
        let mut error = Self::new("AirbyteDecodeError", decode.to_string());
        error.operation = Some(decode.operation.to_owned());
        error.status = Some(decode.status);
        error.schema = Some(decode.schema.to_owned());
        error.path = Some(decode.path.clone());
        error.reason = Some(decode.message.clone());
        error.body = Some(String::from_utf8_lossy(&decode.body).into_owned());
        error.headers = Some(decode.headers.iter().cloned().collect());
        error
    }
}

/// A message from serde-wasm-bindgen without the `Error: ` prefixes its `Display` adds (one per
/// layer of deserializers the message went through).
pub(crate) fn clean(message: &str) -> String {
    let mut text = message;
    while let Some(rest) = text.strip_prefix("Error: ") {
        text = rest;
    }
    text.to_owned()
}

impl From<BuildError> for JsError {
    fn from(error: BuildError) -> Self {
        let error = match error {
            BuildError::InvalidInput { operation, path, message } => {
                BuildError::InvalidInput { operation, path, message: clean(&message) }
            }
            other => other,
        };
        let mut js = Self::new("AirbyteBuildError", error.to_string());
        match &error {
            BuildError::InvalidInput { operation, path, message } => {
                js.operation = Some((*operation).to_owned());
                js.path = Some(path.clone());
                js.reason = Some(message.clone());
            }
            BuildError::Serialize { operation, message }
            | BuildError::InvalidUrl { operation, message } => {
                js.operation = Some((*operation).to_owned());
                js.reason = Some(message.clone());
            }
            BuildError::UnknownOperation { operation, .. } => {
                js.operation = Some(operation.clone());
                js.reason = Some("unknown_operation".to_owned());
            }
        }
        js
    }
}

impl From<ResponseError> for JsError {
    fn from(error: ResponseError) -> Self {
        match &error {
            ResponseError::Api(api) => {
                Self::new("AirbyteApiError", error.to_string()).with_api(api)
            }
            ResponseError::Decode(decode) => Self::decode(decode),
        }
    }
}

impl From<BaseUrlError> for JsError {
    fn from(error: BaseUrlError) -> Self {
        Self::options(error.to_string())
    }
}

impl From<WidgetTokenError> for JsError {
    fn from(error: WidgetTokenError) -> Self {
        let mut js = Self::new("AirbyteWidgetTokenError", error.to_string());
        js.reason = Some(
            match error {
                WidgetTokenError::NotBase64 => "not_base64",
                WidgetTokenError::NotJson => "not_json",
                WidgetTokenError::MissingField(_) => "missing_field",
                WidgetTokenError::BadWidgetUrl => "bad_widget_url",
            }
            .to_owned(),
        );
        if let WidgetTokenError::MissingField(field) = error {
            js.path = Some(field.to_owned());
        }
        js
    }
}

impl From<AuthError> for JsError {
    fn from(error: AuthError) -> Self {
        let js = Self::new("AirbyteAuthError", error.to_string());
        match &error {
            AuthError::TokenRequestFailed(api) => {
                let mut js = js.with_api(api);
                js.reason = Some("token_request_failed".to_owned());
                js
            }
            AuthError::Unauthorized(api) => {
                let mut js = js.with_api(api);
                js.reason = Some("unauthorized".to_owned());
                js
            }
            AuthError::InvalidTokenResponse { .. } => {
                let mut js = js;
                js.reason = Some("invalid_token_response".to_owned());
                js
            }
        }
    }
}

impl From<ClientError> for JsError {
    fn from(error: ClientError) -> Self {
        match error {
            ClientError::Build(error) => error.into(),
            ClientError::Response(error) => error.into(),
            ClientError::Call(CallError::Auth(error)) => error.into(),
            ClientError::Call(CallError::Transport { operation, error }) => {
                let message = format!("{operation}: {error}");
                let mut js = Self::new("AirbyteTransportError", message);
                js.operation = Some(operation.to_owned());
                js.transport_kind = Some(crate::convert::transport_kind_name(error.kind));
                js.reason = Some(error.message);
                js
            }
            ClientError::Call(error @ CallError::Cancelled { .. }) => {
                let mut js = Self::new("AbortError", error.to_string());
                if let CallError::Cancelled { operation } = error {
                    js.operation = Some(operation.to_owned());
                }
                js
            }
            ClientError::AlreadyRunning(running) => {
                let mut js = Self::new("AirbyteAlreadyRunningError", running.to_string())
                    .with_api(&running.error);
                js.connection_id = Some(running.connection_id.clone());
                js.running_job_id = running.running_job_id;
                js
            }
            ClientError::UnexpectedOutput { operation, message } => {
                Self::unexpected(operation, message)
            }
        }
    }
}

impl From<serde_wasm_bindgen::Error> for JsError {
    fn from(error: serde_wasm_bindgen::Error) -> Self {
        Self::options(clean(&error.to_string()))
    }
}

impl From<JsError> for JsValue {
    fn from(error: JsError) -> Self {
        match crate::convert::to_js(&error) {
            Ok(value) => value,
            Err(_) => js_sys::Error::new(&error.message).into(),
        }
    }
}
