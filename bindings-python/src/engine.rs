//! The core's client configuration, requests, and flows (`Engine`, `Task`) as Python classes.

use std::time::Duration;

use airbyte_core::dynamic::{find_operation, DynOperation};
use airbyte_core::flow::call::{RetryPolicy, TransportError, TransportErrorKind};
use airbyte_core::flow::jobs::{JobKind, WaitSettings};
use airbyte_core::flow::task::{Engine, Step, Task, TaskOutput};
use airbyte_core::{
    Api, Auth, BodyKind, ClientConfig, Credentials, RawResponse, Request, Response, Secret,
    Timestamp,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};

use crate::convert::{from_py, to_py};
use crate::errors::{build_error, client_error, response_error, url_error};

/// `"public"` or `"config"`.
pub(crate) fn api(name: &str) -> PyResult<Api> {
    match name {
        "public" => Ok(Api::Public),
        "config" => Ok(Api::Config),
        other => Err(PyValueError::new_err(format!(
            "unknown API `{other}`: use \"public\" or \"config\""
        ))),
    }
}

pub(crate) fn operation(
    py: Python<'_>,
    api_name: &str,
    id: &str,
) -> PyResult<&'static DynOperation> {
    let api = api(api_name)?;
    find_operation(api, id).ok_or_else(|| {
        build_error(
            py,
            &airbyte_core::BuildError::UnknownOperation { api, operation: id.to_owned() },
        )
    })
}

fn seconds(value: f64, what: &str) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        PyValueError::new_err(format!("{what} must be a number of seconds ≥ 0, not {value}"))
    })
}

fn now(value: Option<f64>) -> PyResult<Timestamp> {
    match value {
        None => Ok(Timestamp::now_from_system_clock()),
        Some(secs) => Ok(Timestamp::from_unix_millis(seconds(secs, "now")?.as_millis() as u64)),
    }
}

/// The roots of both APIs and the `User-Agent`.
#[pyclass(module = "airbyte_core._native", name = "ClientConfig", frozen, eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct PyClientConfig {
    pub(crate) inner: ClientConfig,
}

#[pymethods]
impl PyClientConfig {
    #[staticmethod]
    fn cloud() -> Self {
        Self { inner: ClientConfig::cloud() }
    }

    #[staticmethod]
    fn self_managed(py: Python<'_>, host: &str) -> PyResult<Self> {
        ClientConfig::self_managed(host).map(|inner| Self { inner }).map_err(|e| url_error(py, &e))
    }

    fn with_public_root(&self, py: Python<'_>, root: &str) -> PyResult<Self> {
        self.inner
            .clone()
            .with_public_root(root)
            .map(|inner| Self { inner })
            .map_err(|e| url_error(py, &e))
    }

    fn with_config_root(&self, py: Python<'_>, root: &str) -> PyResult<Self> {
        self.inner
            .clone()
            .with_config_root(root)
            .map(|inner| Self { inner })
            .map_err(|e| url_error(py, &e))
    }

    fn with_user_agent(&self, user_agent: &str) -> Self {
        Self { inner: self.inner.clone().with_user_agent(user_agent) }
    }

    #[getter]
    fn public_root(&self) -> &str {
        self.inner.public_root()
    }

    #[getter]
    fn config_root(&self) -> &str {
        self.inner.config_root()
    }

    #[getter]
    fn user_agent(&self) -> &str {
        self.inner.user_agent()
    }

    fn __repr__(&self) -> String {
        format!(
            "ClientConfig(public_root={:?}, config_root={:?}, user_agent={:?})",
            self.inner.public_root(),
            self.inner.config_root(),
            self.inner.user_agent()
        )
    }
}

/// A request ready to send. `repr` hides the `Authorization` value and the body.
#[pyclass(module = "airbyte_core._native", name = "Request", frozen)]
pub(crate) struct PyRequest {
    pub(crate) inner: Request,
}

#[pymethods]
impl PyRequest {
    #[getter]
    fn operation(&self) -> &str {
        self.inner.operation
    }

    #[getter]
    fn method(&self) -> &str {
        self.inner.method.as_str()
    }

    #[getter]
    fn url(&self) -> &str {
        &self.inner.url
    }

    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (name, value) in &self.inner.headers {
            list.append(PyTuple::new(py, [name.as_str(), value.as_str()])?)?;
        }
        Ok(list)
    }

    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.body.as_deref().map(|b| PyBytes::new(py, b))
    }

    /// The value of header `name`, matched case-insensitively, or `None`.
    fn header(&self, name: &str) -> Option<&str> {
        self.inner.header(name)
    }

    fn __repr__(&self) -> String {
        let headers: Vec<String> = self
            .inner
            .headers
            .iter()
            .map(|(n, v)| {
                let shown = if n.eq_ignore_ascii_case("authorization")
                    || n.eq_ignore_ascii_case("cookie")
                {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                format!("({n:?}, {shown:?})")
            })
            .collect();
        let body = match &self.inner.body {
            Some(b) => format!("<{} bytes>", b.len()),
            None => "None".to_owned(),
        };
        format!(
            "Request(operation={:?}, method={:?}, url={:?}, headers=[{}], body={body})",
            self.inner.operation,
            self.inner.method.as_str(),
            self.inner.url,
            headers.join(", ")
        )
    }
}

/// How a request authenticates, from keyword arguments.
pub(crate) fn auth(
    bearer_token: Option<String>,
    username: Option<String>,
    password: Option<String>,
) -> PyResult<Auth> {
    match (bearer_token, username, password) {
        (None, None, None) => Ok(Auth::None),
        (Some(token), None, None) => Ok(Auth::Bearer(Secret::new(token))),
        (None, Some(username), Some(password)) => {
            Ok(Auth::Basic { username, password: Secret::new(password) })
        }
        (None, _, _) => Err(PyValueError::new_err("username and password go together")),
        (Some(_), _, _) => {
            Err(PyValueError::new_err("give either a bearer token or a username and password"))
        }
    }
}

/// Parses a response of `operation` into plain Python data (bytes for binary bodies).
pub(crate) fn parse<'py>(
    py: Python<'py>,
    operation: &'static DynOperation,
    response: &RawResponse<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    let output = operation.parse(response).map_err(|e| response_error(py, &e))?;
    // Bytes come as they are, not as the list of numbers their JSON form is.
    let responses = operation.info.responses;
    let declared = responses
        .iter()
        .find(|r| r.status == response.status)
        .or_else(|| responses.iter().find(|r| (200..300).contains(&r.status)));
    if declared.is_some_and(|r| r.body == BodyKind::Binary) {
        return Ok(PyBytes::new(py, response.body).into_any());
    }
    to_py(py, &*output)
}

/// Configuration, credentials and policies shared by the flows of one client.
#[pyclass(module = "airbyte_core._native", name = "Engine", frozen)]
pub(crate) struct PyEngine {
    inner: Engine,
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (
        config, *, bearer_token=None, client_id=None, client_secret=None, token_url=None,
        username=None, password=None, max_attempts=4, initial_backoff=0.5, max_backoff=30.0,
        backoff_multiplier=2.0, jitter=0.2, max_elapsed=120.0, max_retry_after=120.0,
        request_timeout=Some(30.0),
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        config: &PyClientConfig,
        bearer_token: Option<String>,
        client_id: Option<String>,
        client_secret: Option<String>,
        token_url: Option<String>,
        username: Option<String>,
        password: Option<String>,
        max_attempts: u32,
        initial_backoff: f64,
        max_backoff: f64,
        backoff_multiplier: f64,
        jitter: f64,
        max_elapsed: f64,
        max_retry_after: f64,
        request_timeout: Option<f64>,
    ) -> PyResult<Self> {
        let credentials = match (bearer_token, client_id, client_secret, username, password) {
            (None, None, None, None, None) => Credentials::None,
            (Some(token), None, None, None, None) => Credentials::Bearer(Secret::new(token)),
            (None, Some(client_id), Some(secret), None, None) => Credentials::ClientCredentials {
                client_id,
                client_secret: Secret::new(secret),
                token_url,
            },
            (None, None, None, Some(username), Some(password)) => {
                Credentials::Basic { username, password: Secret::new(password) }
            }
            _ => {
                return Err(PyValueError::new_err(
                    "give one kind of credentials: a bearer token, a client id and secret, or a \
                     username and password",
                ))
            }
        };
        if max_attempts == 0 {
            return Err(PyValueError::new_err("max_attempts must be at least 1"));
        }
        let retry = RetryPolicy {
            max_attempts,
            initial_backoff: seconds(initial_backoff, "initial_backoff")?,
            max_backoff: seconds(max_backoff, "max_backoff")?,
            multiplier: backoff_multiplier,
            jitter,
            max_elapsed: seconds(max_elapsed, "max_elapsed")?,
            max_retry_after: seconds(max_retry_after, "max_retry_after")?,
        };
        let timeout = request_timeout.map(|t| seconds(t, "request_timeout")).transpose()?;
        let engine =
            Engine::new(config.inner.clone(), credentials).map_err(|e| url_error(py, &e))?;
        Ok(Self { inner: engine.with_retry(retry).with_request_timeout(timeout) })
    }

    #[getter]
    fn config(&self) -> PyClientConfig {
        PyClientConfig { inner: self.inner.config().clone() }
    }

    /// The URL client credentials are exchanged at (empty without client credentials).
    #[getter]
    fn token_url(&self) -> &str {
        self.inner.tokens().token_url()
    }

    /// One call of an operation, with tokens and retries; ends with the parsed output.
    fn call(
        &self,
        py: Python<'_>,
        api_name: &str,
        operation_id: &str,
        input: &Bound<'_, PyAny>,
    ) -> PyResult<PyTask> {
        let operation = operation(py, api_name, operation_id)?;
        let input = from_py(input)?;
        let request = operation
            .build_json(&input, self.inner.config(), &Auth::None)
            .map_err(|e| build_error(py, &e))?;
        let task = self.inner.call_request(request, operation.info);
        Ok(PyTask { inner: task, operation: Some(operation) })
    }

    /// Every page of a list operation.
    #[pyo3(signature = (api_name, operation_id, input, page_size=None))]
    fn pages(
        &self,
        py: Python<'_>,
        api_name: &str,
        operation_id: &str,
        input: &Bound<'_, PyAny>,
        page_size: Option<u32>,
    ) -> PyResult<PyTask> {
        let api = api(api_name)?;
        let input = from_py(input)?;
        let task = self
            .inner
            .pages(api, operation_id, input, page_size)
            .map_err(|e| client_error(py, &e))?;
        Ok(PyTask { inner: task, operation: None })
    }

    /// Starts a job on a connection and waits for it to end.
    #[pyo3(signature = (
        api_name, connection_id, kind, attach, poll_interval, timeout, cancel_on_timeout
    ))]
    #[allow(clippy::too_many_arguments)]
    fn run_job(
        &self,
        api_name: &str,
        connection_id: &str,
        kind: &str,
        attach: bool,
        poll_interval: f64,
        timeout: Option<f64>,
        cancel_on_timeout: bool,
    ) -> PyResult<PyTask> {
        let api = api(api_name)?;
        let kind = JobKind::parse(kind).ok_or_else(|| {
            PyValueError::new_err(format!(
                "unknown job kind `{kind}`: use sync, reset, refresh or clear"
            ))
        })?;
        let settings = wait_settings(poll_interval, timeout, cancel_on_timeout)?;
        let task = self.inner.run_job(api, connection_id, kind, attach, settings);
        Ok(PyTask { inner: task, operation: None })
    }

    /// Waits for an existing job to end.
    #[pyo3(signature = (api_name, job_id, poll_interval, timeout, cancel_on_timeout))]
    fn wait_job(
        &self,
        api_name: &str,
        job_id: i64,
        poll_interval: f64,
        timeout: Option<f64>,
        cancel_on_timeout: bool,
    ) -> PyResult<PyTask> {
        let api = api(api_name)?;
        let settings = wait_settings(poll_interval, timeout, cancel_on_timeout)?;
        Ok(PyTask { inner: self.inner.wait_job(api, job_id, settings), operation: None })
    }

    fn __repr__(&self) -> String {
        let config = self.inner.config();
        format!(
            "Engine(public_root={:?}, config_root={:?})",
            config.public_root(),
            config.config_root()
        )
    }
}

fn wait_settings(poll_interval: f64, timeout: Option<f64>, cancel: bool) -> PyResult<WaitSettings> {
    Ok(WaitSettings {
        poll_interval: seconds(poll_interval, "poll_interval")?,
        deadline: timeout.map(|t| seconds(t, "timeout")).transpose()?,
        cancel_on_deadline: cancel,
        ..WaitSettings::default()
    })
}

/// A flow in progress: poll it, send what it asks, report what came back.
#[pyclass(module = "airbyte_core._native", name = "Task")]
pub(crate) struct PyTask {
    inner: Task,
    /// The operation of a single call, whose final response is parsed here.
    operation: Option<&'static DynOperation>,
}

#[pymethods]
impl PyTask {
    /// The next step: `("send", Request, timeout)`, `("sleep", seconds)`,
    /// `("progress", dict)`, `("page", list)` or `("done", result)`; raises when the flow failed.
    #[pyo3(signature = (now=None))]
    fn poll<'py>(&mut self, py: Python<'py>, now: Option<f64>) -> PyResult<Bound<'py, PyTuple>> {
        let step = self.inner.poll(self::now(now)?);
        let (name, value): (&str, Bound<'py, PyAny>) = match step {
            Step::Send { request, timeout } => {
                let timeout = timeout.map(|t| t.as_secs_f64());
                let request = Bound::new(py, PyRequest { inner: request })?.into_any();
                return PyTuple::new(
                    py,
                    [
                        ("send").into_pyobject(py)?.into_any(),
                        request,
                        timeout.into_pyobject(py)?.into_any(),
                    ],
                );
            }
            Step::Sleep(duration) => {
                ("sleep", duration.as_secs_f64().into_pyobject(py)?.into_any())
            }
            Step::Progress(progress) => ("progress", to_py(py, &progress)?),
            Step::Page(items) => ("page", to_py(py, &items)?),
            Step::Done(Err(error)) => return Err(client_error(py, &error)),
            Step::Done(Ok(output)) => ("done", self.output(py, output)?),
        };
        PyTuple::new(py, [name.into_pyobject(py)?.into_any(), value])
    }

    /// Reports the response to the request last handed out.
    #[pyo3(signature = (status, headers, body, now=None))]
    fn on_response(
        &mut self,
        status: u16,
        headers: Vec<(String, String)>,
        body: &[u8],
        now: Option<f64>,
    ) -> PyResult<()> {
        let response = Response { status, headers, body: body.to_vec() };
        self.inner.on_response(response, self::now(now)?);
        Ok(())
    }

    /// Reports that the request last handed out got no response: `kind` is `connect` (nothing
    /// was sent), `timeout`, `io`, `body_too_large` or `other`.
    #[pyo3(signature = (kind, message, now=None))]
    fn on_transport_error(&mut self, kind: &str, message: &str, now: Option<f64>) -> PyResult<()> {
        let kind = match kind {
            "connect" => TransportErrorKind::Connect,
            "timeout" => TransportErrorKind::Timeout,
            "io" => TransportErrorKind::Io,
            "body_too_large" => TransportErrorKind::BodyTooLarge,
            "other" => TransportErrorKind::Other,
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown transport error kind `{other}`"
                )))
            }
        };
        self.inner.on_transport_error(TransportError::new(kind, message), self::now(now)?);
        Ok(())
    }

    /// Cancels the flow: a job is cancelled on the server first; anything else ends at once.
    fn cancel(&mut self) {
        self.inner.cancel();
    }

    /// Whether the flow has handed out its result.
    #[getter]
    fn done(&self) -> bool {
        self.inner.is_done()
    }
}

impl PyTask {
    fn output<'py>(&self, py: Python<'py>, output: TaskOutput) -> PyResult<Bound<'py, PyAny>> {
        match output {
            TaskOutput::Response(response) => match self.operation {
                Some(operation) => parse(py, operation, &response.as_raw()),
                None => Ok(py.None().into_bound(py)),
            },
            TaskOutput::Pages => Ok(py.None().into_bound(py)),
            TaskOutput::Job(report) => to_py(py, &report),
            // No Python task runs `Engine::access_token`; its output would be a secret anyway.
            TaskOutput::Auth(_) => Ok(py.None().into_bound(py)),
        }
    }
}
