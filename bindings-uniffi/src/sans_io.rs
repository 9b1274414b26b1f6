//! Sans-IO use: build a request record, send it with the host's own HTTP stack, parse the
//! response record. Every operation of both APIs is reachable by id with JSON input; typed
//! parse functions (`parse_public_get_job`, ...) are generated in [`crate::generated`].

use std::fmt;

use airbyte_core::{Api, Auth, ClientConfig, Operation, Secret};
use serde_json::Value;

use crate::convert::FromCore;
use crate::error::{guard, AirbyteError};
use crate::http::{HttpRequest, HttpResponse};

/// Which of the two APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ApiKind {
    /// The Configuration API (`config.yaml`): `<host>/api/v1/...`, RPC style.
    Config,
    /// The public Airbyte API (`api.yaml`): `https://api.airbyte.com/v1` or
    /// `<host>/api/public/v1`.
    Public,
}

impl From<ApiKind> for Api {
    fn from(kind: ApiKind) -> Self {
        match kind {
            ApiKind::Config => Api::Config,
            ApiKind::Public => Api::Public,
        }
    }
}

impl From<Api> for ApiKind {
    fn from(api: Api) -> Self {
        match api {
            Api::Config => ApiKind::Config,
            Api::Public => ApiKind::Public,
        }
    }
}

/// Where the APIs live and how requests identify themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct ClientSettings {
    /// A self-managed server (`http://localhost:8000`): the public API at
    /// `<host>/api/public/v1`, the Configuration API at `<host>/api/v1`. Absent: Airbyte Cloud.
    #[uniffi(default)]
    pub host: Option<String>,
    /// The public API root, to override what `host` gives (a proxy, a mock).
    #[uniffi(default)]
    pub public_root: Option<String>,
    /// The Configuration API root (`.../api` or `.../api/v1`), to override what `host` gives.
    #[uniffi(default)]
    pub config_root: Option<String>,
    /// The `User-Agent` to send; absent: `airbyte-core/<version>`.
    #[uniffi(default)]
    pub user_agent: Option<String>,
}

impl ClientSettings {
    /// The core's configuration; malformed roots are refused with the reason.
    pub fn to_config(&self) -> Result<ClientConfig, AirbyteError> {
        let mut config = match &self.host {
            Some(host) => ClientConfig::self_managed(host)?,
            None => ClientConfig::cloud(),
        };
        if let Some(root) = &self.public_root {
            config = config.with_public_root(root)?;
        }
        if let Some(root) = &self.config_root {
            config = config.with_config_root(root)?;
        }
        if let Some(user_agent) = &self.user_agent {
            config = config.with_user_agent(user_agent.clone());
        }
        Ok(config)
    }
}

/// The credentials a sans-IO request carries. `Debug` hides them.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum RequestAuth {
    /// No `Authorization` header.
    None,
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// The access token.
        token: String,
    },
    /// `Authorization: Basic ...`, for a server behind a proxy that asks for it.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
}

impl fmt::Debug for RequestAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestAuth::None => f.write_str("None"),
            RequestAuth::Bearer { .. } => f.write_str("Bearer { token: <redacted> }"),
            RequestAuth::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: <redacted> }}")
            }
        }
    }
}

impl fmt::Display for RequestAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<RequestAuth> for Auth {
    fn from(auth: RequestAuth) -> Self {
        match auth {
            RequestAuth::None => Auth::None,
            RequestAuth::Bearer { token } => Auth::Bearer(Secret::new(token)),
            RequestAuth::Basic { username, password } => {
                Auth::Basic { username, password: Secret::new(password) }
            }
        }
    }
}

/// Facts about one operation.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct OperationSummary {
    /// The API.
    pub api: ApiKind,
    /// The spec's `operationId`.
    pub id: String,
    /// The HTTP method.
    pub method: String,
    /// The path template relative to the API root (`/jobs/{jobId}`).
    pub path: String,
    /// The spec's first tag.
    pub tag: String,
    /// Whether requests carry credentials.
    pub authenticated: bool,
    /// Whether the operation takes a request body (given as `body` in the input).
    pub has_body: bool,
    /// Whether the operation pages (usable with `AirbyteClient.list_all`).
    pub paginated: bool,
    /// The typed parse function of the operation, as Rust and Python name it
    /// (`parse_public_get_job`; Kotlin and Swift: `parsePublicGetJob`).
    pub typed_parser: String,
}

/// Parses input JSON text, naming the place of a syntax error.
pub(crate) fn parse_input(input_json: &str) -> Result<Value, AirbyteError> {
    serde_json::from_str(input_json)
        .map_err(|e| AirbyteError::invalid_input(".", format!("the input is not JSON: {e}")))
}

pub(crate) fn find(
    api: ApiKind,
    id: &str,
) -> Result<&'static airbyte_core::dynamic::DynOperation, AirbyteError> {
    airbyte_core::dynamic::find_operation(api.into(), id).ok_or_else(|| {
        airbyte_core::BuildError::UnknownOperation { api: api.into(), operation: id.to_owned() }
            .into()
    })
}

/// Builds the request of operation `operation_id` of `api` from JSON input: an object with the
/// parameters under their spec names and the body under `body` (`{"jobId": 42}`,
/// `{"body": {"connectionId": "..."}}`).
#[uniffi::export]
pub fn build_request(
    settings: ClientSettings,
    api: ApiKind,
    operation_id: String,
    input_json: String,
    auth: RequestAuth,
) -> Result<HttpRequest, AirbyteError> {
    guard(|| {
        let config = settings.to_config()?;
        let operation = find(api, &operation_id)?;
        let input = parse_input(&input_json)?;
        let request = operation.build_json(&input, &config, &auth.into())?;
        Ok(HttpRequest::from_core(request, None))
    })
}

/// Parses a response of operation `operation_id` into its result as JSON text (`null` for an
/// operation without a result body), or the error the response stands for.
#[uniffi::export]
pub fn parse_response(
    api: ApiKind,
    operation_id: String,
    response: HttpResponse,
) -> Result<String, AirbyteError> {
    guard(|| {
        let operation = find(api, &operation_id)?;
        let response = response.into_core();
        let output = operation.parse_json(&response.as_raw())?;
        Ok(crate::convert::json_of(&output))
    })
}

/// Every operation of `api`, sorted by id.
#[uniffi::export]
pub fn list_operations(api: ApiKind) -> Vec<OperationSummary> {
    airbyte_core::dynamic::operations(api.into()).iter().map(|op| summary(op.info)).collect()
}

/// The operation `operation_id` of `api`, if there is one.
#[uniffi::export]
pub fn find_operation(api: ApiKind, operation_id: String) -> Option<OperationSummary> {
    airbyte_core::dynamic::find_operation(api.into(), &operation_id).map(|op| summary(op.info))
}

fn summary(info: &airbyte_core::OperationInfo) -> OperationSummary {
    OperationSummary {
        api: info.api.into(),
        id: info.id.to_owned(),
        method: info.method.as_str().to_owned(),
        path: info.path.to_owned(),
        tag: info.tag.to_owned(),
        authenticated: info.authenticated,
        has_body: info.has_body,
        paginated: info.pagination.is_some(),
        typed_parser: typed_parser(info.api, info.id).unwrap_or_default().to_owned(),
    }
}

/// The name of the generated typed parse function of operation `id`.
fn typed_parser(api: Api, id: &str) -> Option<&'static str> {
    let table = match api {
        Api::Config => crate::generated::config::PARSERS,
        Api::Public => crate::generated::public::PARSERS,
    };
    table.binary_search_by(|(op, _)| (*op).cmp(id)).ok().map(|index| table[index].1)
}

/// Parses a response of operation `O` into the UniFFI twin of its output; used by the
/// generated `parse_<api>_<operation>` functions.
pub(crate) fn parse_typed<O, F>(response: HttpResponse) -> Result<F, AirbyteError>
where
    O: Operation,
    F: FromCore<O::Output>,
{
    guard(|| {
        let response = response.into_core();
        let output = O::parse_response(&response.as_raw())?;
        Ok(F::from_core(output))
    })
}

/// A typed parse followed by the conversion back to the core's type and JSON text.
#[cfg(test)]
pub(crate) type RoundTrip = fn(HttpResponse) -> Result<String, AirbyteError>;

/// Parses a response of `O` into its UniFFI twin, converts that back to the core's output and
/// serializes it: what the typed path gives must equal what the JSON path gives.
#[cfg(test)]
pub(crate) fn round_trip<O, F>(response: HttpResponse) -> Result<String, AirbyteError>
where
    O: Operation,
    O::Output: serde::Serialize,
    F: FromCore<O::Output> + crate::convert::IntoCore<O::Output>,
{
    let typed: F = parse_typed::<O, F>(response)?;
    let core: O::Output = typed.into_core(&crate::convert::Path::Root("output"))?;
    Ok(crate::convert::json_of(&core))
}
