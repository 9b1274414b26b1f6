//! The core's flows as tasks for the JavaScript driver loop.
//!
//! [`CoreClient`] holds the core's `Engine` (roots, credentials with the shared token cache,
//! retry policy). Each flow is a [`CoreTask`] that the JavaScript layer polls with
//! `Date.now()`; a step is a plain object:
//!
//! - `{type: "send", request: {method, url, headers, body}, timeoutMs}`: send it with `fetch`,
//!   then call `onResponse` or `onTransportError`;
//! - `{type: "sleep", ms}`: wait with `setTimeout`, then poll again;
//! - `{type: "progress", progress}` / `{type: "page", items}`: hand out, then poll again;
//! - `{type: "done", value}` or `{type: "error", error}`: the end.

use airbyte_core::dynamic::DynOperation;
use airbyte_core::flow::jobs::JobKind;
use airbyte_core::flow::task::{Engine, Step, Task, TaskOutput};
use airbyte_core::{Auth, Response, TransportError};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{self, JsProgress, JsReport};
use crate::error::JsError;
use crate::options::{ClientOptions, WaitOptions};

/// A client: configuration, credentials and policies shared by its tasks.
#[wasm_bindgen]
pub struct CoreClient {
    engine: Engine,
}

#[wasm_bindgen]
impl CoreClient {
    /// A client from `{baseUrl?, publicRoot?, configRoot?, userAgent?, credentials?, retry?,
    /// requestTimeoutMs?}`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<CoreClient, JsValue> {
        let options: ClientOptions = convert::options("client options", options)?;
        let config = options.roots.config()?;
        let credentials = options.credentials.unwrap_or_default().credentials()?;
        let mut engine = Engine::new(config, credentials).map_err(JsError::from)?;
        if let Some(retry) = &options.retry {
            engine = engine.with_retry(retry.policy()?);
        }
        if let Some(timeout) = options.request_timeout_ms {
            let timeout =
                timeout.map(|ms| crate::options::millis("requestTimeoutMs", ms)).transpose()?;
            engine = engine.with_request_timeout(timeout);
        }
        Ok(Self { engine })
    }

    /// The public API root requests go to.
    #[wasm_bindgen(getter, js_name = publicRoot)]
    pub fn public_root(&self) -> String {
        self.engine.config().public_root().to_owned()
    }

    /// The Configuration API root requests go to (without its `/v1`).
    #[wasm_bindgen(getter, js_name = configRoot)]
    pub fn config_root(&self) -> String {
        self.engine.config().config_root().to_owned()
    }

    /// One call of operation `operationId` of `api`; ends with the parsed output.
    pub fn call(&self, api: &str, operation_id: &str, input: JsValue) -> Result<CoreTask, JsValue> {
        let operation = crate::operation(convert::api(api)?, operation_id)?;
        let input = convert::input(input)?;
        let request = operation
            .build_json(&input, self.engine.config(), &Auth::None)
            .map_err(JsError::from)?;
        Ok(CoreTask::new(self.engine.call_request(request, operation.info), Some(operation)))
    }

    /// Every page of list operation `operationId` of `api`; hands out each page's items.
    pub fn pages(
        &self,
        api: &str,
        operation_id: &str,
        input: JsValue,
        page_size: Option<u32>,
    ) -> Result<CoreTask, JsValue> {
        let api = convert::api(api)?;
        let input = convert::input(input)?;
        let task = self.engine.pages(api, operation_id, input, page_size).map_err(JsError::from)?;
        Ok(CoreTask::new(task, None))
    }

    /// Starts a job of `kind` (`sync`, `reset`, `refresh`, `clear`) on a connection and waits
    /// for it; with `attach`, a job already running is waited for instead.
    #[wasm_bindgen(js_name = runJob)]
    pub fn run_job(
        &self,
        api: &str,
        connection_id: &str,
        kind: &str,
        attach: bool,
        wait: JsValue,
    ) -> Result<CoreTask, JsValue> {
        let api = convert::api(api)?;
        let kind = JobKind::parse(kind).ok_or_else(|| {
            JsError::options(format!(
                "kind must be \"sync\", \"reset\", \"refresh\" or \"clear\", not {kind:?}"
            ))
        })?;
        let settings = convert::options::<WaitOptions>("wait options", wait)?.settings()?;
        let task = self.engine.run_job(api, connection_id, kind, attach, settings);
        Ok(CoreTask::new(task, None))
    }

    /// Waits for job `jobId` to end.
    #[wasm_bindgen(js_name = waitJob)]
    pub fn wait_job(&self, api: &str, job_id: f64, wait: JsValue) -> Result<CoreTask, JsValue> {
        let api = convert::api(api)?;
        if !(job_id.is_finite() && job_id.fract() == 0.0 && job_id.abs() < 9.007e15) {
            return Err(JsError::options("jobId must be an integer".to_owned()).into());
        }
        let settings = convert::options::<WaitOptions>("wait options", wait)?.settings()?;
        Ok(CoreTask::new(self.engine.wait_job(api, job_id as i64, settings), None))
    }

    /// The token requests carry now, fetched (client credentials) when none is cached; ends
    /// with the token, or `null` for credentials that use none.
    #[wasm_bindgen(js_name = accessToken)]
    pub fn access_token(&self) -> CoreTask {
        CoreTask::new(self.engine.access_token(), None)
    }
}

/// One flow in progress, polled by the JavaScript driver loop.
#[wasm_bindgen]
pub struct CoreTask {
    task: Task,
    operation: Option<&'static DynOperation>,
}

/// A step as JavaScript reads it.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
enum JsStep<'a> {
    Sleep { ms: f64 },
    Progress { progress: JsProgress<'a> },
}

impl CoreTask {
    fn new(task: Task, operation: Option<&'static DynOperation>) -> Self {
        Self { task, operation }
    }

    /// The value a finished task hands out.
    fn output(&self, output: TaskOutput) -> Result<JsValue, JsValue> {
        match output {
            TaskOutput::Response(response) => {
                let operation = self.operation.ok_or_else(|| {
                    JsError::unexpected("call", "a response without its operation".into())
                })?;
                let parsed = operation.parse(&response.as_raw()).map_err(JsError::from)?;
                convert::to_js(&*parsed)
            }
            TaskOutput::Pages => Ok(JsValue::UNDEFINED),
            TaskOutput::Job(report) => convert::to_js(&JsReport::from(&report)),
            TaskOutput::Auth(Auth::Bearer(token)) => Ok(JsValue::from_str(token.expose())),
            TaskOutput::Auth(_) => Ok(JsValue::NULL),
        }
    }
}

/// `{type, ...fields}` as a plain object.
fn step_object(kind: &str, fields: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let object = js_sys::Object::new();
    js_sys::Reflect::set(&object, &"type".into(), &kind.into())?;
    for (name, value) in fields {
        js_sys::Reflect::set(&object, &(*name).into(), value)?;
    }
    Ok(object.into())
}

#[wasm_bindgen]
impl CoreTask {
    /// The next step, given the time in milliseconds since the epoch.
    pub fn poll(&mut self, now_ms: f64) -> Result<JsValue, JsValue> {
        match self.task.poll(convert::timestamp(now_ms)) {
            Step::Send { request, timeout } => {
                let timeout = timeout.map_or(JsValue::NULL, |t| convert::duration_ms(t).into());
                step_object(
                    "send",
                    &[("request", convert::request_to_js(&request)?), ("timeoutMs", timeout)],
                )
            }
            Step::Sleep(duration) => {
                convert::to_js(&JsStep::Sleep { ms: convert::duration_ms(duration) })
            }
            Step::Progress(progress) => {
                convert::to_js(&JsStep::Progress { progress: JsProgress::from(&progress) })
            }
            Step::Page(items) => step_object("page", &[("items", convert::to_js(&items)?)]),
            Step::Done(Ok(output)) => match self.output(output) {
                Ok(value) => step_object("done", &[("value", value)]),
                Err(error) => step_object("error", &[("error", error)]),
            },
            Step::Done(Err(error)) => {
                step_object("error", &[("error", JsValue::from(JsError::from(error)))])
            }
        }
    }

    /// Reports the response to the request last handed out: status, `[name, value]` header
    /// pairs and the body bytes.
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(
        &mut self,
        status: u16,
        headers: JsValue,
        body: Vec<u8>,
        now_ms: f64,
    ) -> Result<(), JsValue> {
        let headers = convert::headers_from_js(&headers)?;
        self.task.on_response(Response { status, headers, body }, convert::timestamp(now_ms));
        Ok(())
    }

    /// Reports that the request last handed out got no response: `kind` is `connect`,
    /// `timeout`, `io`, `body_too_large` or `other`.
    #[wasm_bindgen(js_name = onTransportError)]
    pub fn on_transport_error(&mut self, kind: &str, message: String, now_ms: f64) {
        let error = TransportError::new(convert::transport_kind(kind), message);
        self.task.on_transport_error(error, convert::timestamp(now_ms));
    }

    /// Cancels the task; a job is cancelled on the server before the task ends.
    pub fn cancel(&mut self) {
        self.task.cancel();
    }

    /// Whether the request last handed out is still wanted; after `cancel()` it may not be,
    /// and the driver aborts it.
    #[wasm_bindgen(js_name = awaitingResponse)]
    pub fn awaiting_response(&self) -> bool {
        self.task.awaiting_response()
    }
}
