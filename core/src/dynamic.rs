//! Operations looked up by id at run time, with JSON-like input and output, for bindings that
//! cannot name the generated Rust types.

use crate::client_config::ClientConfig;
use crate::error::{BuildError, ResponseError};
use crate::operation::{Operation, OperationInfo};
use crate::request::{build_request, Auth, Request};
use crate::response::RawResponse;

/// A parsed response whose type is erased; serialize it with any serde serializer.
pub type ErasedOutput = Box<dyn erased_serde::Serialize + Send + Sync>;

/// One operation, reachable without its Rust type.
#[derive(Clone, Copy)]
pub struct DynOperation {
    /// Facts about the operation.
    pub info: &'static OperationInfo,
    build: fn(
        &mut dyn erased_serde::Deserializer<'_>,
        &ClientConfig,
        &Auth,
    ) -> Result<Request, BuildError>,
    parse: fn(&RawResponse<'_>) -> Result<ErasedOutput, ResponseError>,
}

impl std::fmt::Debug for DynOperation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DynOperation").field("id", &self.info.id).finish()
    }
}

impl DynOperation {
    /// The entry for operation type `O`.
    pub const fn of<O>() -> Self
    where
        O: Operation + serde::de::DeserializeOwned + 'static,
        O::Output: serde::Serialize + Send + Sync + 'static,
    {
        Self { info: O::INFO, build: build_erased::<O>, parse: parse_erased::<O> }
    }

    /// Builds a request from input given in any self-describing serde format: an object with
    /// the parameters under their spec names and the body under `body`.
    pub fn build(
        &self,
        input: &mut dyn erased_serde::Deserializer<'_>,
        config: &ClientConfig,
        auth: &Auth,
    ) -> Result<Request, BuildError> {
        (self.build)(input, config, auth)
    }

    /// Builds a request from input given as JSON.
    pub fn build_json(
        &self,
        input: &serde_json::Value,
        config: &ClientConfig,
        auth: &Auth,
    ) -> Result<Request, BuildError> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(input);
        self.build(&mut erased, config, auth)
    }

    /// Parses a response into the operation's output, type-erased.
    pub fn parse(&self, response: &RawResponse<'_>) -> Result<ErasedOutput, ResponseError> {
        (self.parse)(response)
    }

    /// Parses a response into JSON.
    pub fn parse_json(
        &self,
        response: &RawResponse<'_>,
    ) -> Result<serde_json::Value, ResponseError> {
        let output = self.parse(response)?;
        Ok(serde_json::to_value(&*output).unwrap_or(serde_json::Value::Null))
    }
}

fn build_erased<O>(
    input: &mut dyn erased_serde::Deserializer<'_>,
    config: &ClientConfig,
    auth: &Auth,
) -> Result<Request, BuildError>
where
    O: Operation + serde::de::DeserializeOwned,
{
    let operation: O =
        serde_path_to_error::deserialize(input).map_err(|e| BuildError::InvalidInput {
            operation: O::INFO.id,
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })?;
    build_request(&operation, config, auth)
}

fn parse_erased<O>(response: &RawResponse<'_>) -> Result<ErasedOutput, ResponseError>
where
    O: Operation,
    O::Output: serde::Serialize + Send + Sync + 'static,
{
    O::parse_response(response).map(|output| Box::new(output) as ErasedOutput)
}

/// The operation `id` of `api`, if both exist in this build.
pub fn find_operation(api: crate::Api, id: &str) -> Option<&'static DynOperation> {
    let operations = operations(api);
    operations.binary_search_by(|op| op.info.id.cmp(id)).ok().map(|index| &operations[index])
}

/// Every operation of `api` in this build, sorted by id.
pub fn operations(api: crate::Api) -> &'static [DynOperation] {
    match api {
        #[cfg(feature = "config-api")]
        crate::Api::Config => crate::config_api::ops::OPERATIONS,
        #[cfg(feature = "public-api")]
        crate::Api::Public => crate::public_api::ops::OPERATIONS,
        #[allow(unreachable_patterns)]
        _ => &[],
    }
}
