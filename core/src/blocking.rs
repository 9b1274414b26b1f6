//! A blocking HTTP transport (ureq) that runs the core's flows, for Rust programs. Behind the
//! `blocking` feature, so the default build of the core carries no HTTP client. Bodies larger
//! than the engine's limit ([`Engine::with_max_body_bytes`]) are refused while reading.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::flow::call::{TransportError, TransportErrorKind};
use crate::flow::jobs::{JobKind, JobProgress, JobReport, WaitSettings};
use crate::flow::task::{Engine, Step, Task, TaskOutput};
use crate::flow::ClientError;
use crate::{Api, Auth, Operation, Request, Response, Timestamp};

/// What a running flow reports on the way.
#[derive(Debug)]
pub enum Event {
    /// A job moved.
    Progress(JobProgress),
    /// The items of one page.
    Page(Vec<Value>),
}

/// Runs flows over HTTP with a blocking client. Cheap to clone; clones share connections and
/// tokens.
#[derive(Clone, Debug)]
pub struct BlockingClient {
    engine: Engine,
    agent: ureq::Agent,
    cancel: Arc<AtomicBool>,
}

impl BlockingClient {
    /// A client running `engine`'s flows.
    pub fn new(engine: Engine) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(engine.config().user_agent())
            .build();
        Self { engine, agent: config.into(), cancel: Arc::new(AtomicBool::new(false)) }
    }

    /// The engine (configuration, tokens, retry policy).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// A flag that, once set, cancels the flows this client runs (a job is cancelled on the
    /// server first). Set it from a signal handler or another thread.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    /// Runs `task` to its end, handing progress and pages to `events`.
    pub fn drive(
        &self,
        task: &mut Task,
        events: &mut dyn FnMut(Event),
    ) -> Result<TaskOutput, ClientError> {
        let mut cancel_sent = false;
        loop {
            if !cancel_sent && self.cancel.load(Ordering::Relaxed) {
                cancel_sent = true;
                task.cancel();
            }
            match task.poll(Timestamp::now_from_system_clock()) {
                Step::Send { request, timeout } => match self.send_raw(&request, timeout) {
                    Ok(response) => task.on_response(response, Timestamp::now_from_system_clock()),
                    Err(error) => {
                        task.on_transport_error(error, Timestamp::now_from_system_clock())
                    }
                },
                Step::Sleep(duration) => self.sleep(duration),
                Step::Progress(progress) => events(Event::Progress(progress)),
                Step::Page(items) => events(Event::Page(items)),
                Step::Done(result) => return result,
            }
        }
    }

    /// Sleeps in short steps so that a cancellation is noticed quickly.
    fn sleep(&self, duration: Duration) {
        let step = Duration::from_millis(100);
        let mut left = duration;
        while !left.is_zero() && !self.cancel.load(Ordering::Relaxed) {
            let now = left.min(step);
            std::thread::sleep(now);
            left -= now;
        }
        if duration.is_zero() {
            std::thread::yield_now();
        }
    }

    /// Calls a typed operation: tokens, retries and parsing included.
    pub fn send<O: Operation>(&self, operation: &O) -> Result<O::Output, ClientError> {
        let request = crate::build_request(operation, self.engine.config(), &Auth::None)?;
        let mut task = self.engine.call_request(request, O::INFO);
        match self.drive(&mut task, &mut |_| {})? {
            TaskOutput::Response(response) => Ok(O::parse_response(&response.as_raw())?),
            _ => Err(unexpected("a call ended without a response")),
        }
    }

    /// Calls operation `id` of `api` with JSON input and returns the parsed output as JSON.
    pub fn call_json(&self, api: Api, id: &str, input: &Value) -> Result<Value, ClientError> {
        let operation = crate::dynamic::find_operation(api, id).ok_or_else(|| {
            ClientError::Build(crate::BuildError::UnknownOperation {
                api,
                operation: id.to_owned(),
            })
        })?;
        let mut task = self.engine.call(api, id, input)?;
        match self.drive(&mut task, &mut |_| {})? {
            TaskOutput::Response(response) => Ok(operation.parse_json(&response.as_raw())?),
            _ => Err(unexpected("a call ended without a response")),
        }
    }

    /// Calls `on_page` with the items of every page of list operation `id`.
    pub fn for_each_page(
        &self,
        api: Api,
        id: &str,
        input: Value,
        page_size: Option<u32>,
        on_page: &mut dyn FnMut(Vec<Value>),
    ) -> Result<(), ClientError> {
        let mut task = self.engine.pages(api, id, input, page_size)?;
        self.drive(&mut task, &mut |event| {
            if let Event::Page(items) = event {
                on_page(items);
            }
        })?;
        Ok(())
    }

    /// Starts a job on a connection and waits for it, reporting progress.
    pub fn run_job(
        &self,
        api: Api,
        connection_id: &str,
        kind: JobKind,
        attach: bool,
        settings: WaitSettings,
        on_progress: &mut dyn FnMut(JobProgress),
    ) -> Result<JobReport, ClientError> {
        let mut task = self.engine.run_job(api, connection_id, kind, attach, settings);
        self.job(&mut task, on_progress)
    }

    /// Waits for a job to end, reporting progress.
    pub fn wait_job(
        &self,
        api: Api,
        job_id: i64,
        settings: WaitSettings,
        on_progress: &mut dyn FnMut(JobProgress),
    ) -> Result<JobReport, ClientError> {
        let mut task = self.engine.wait_job(api, job_id, settings);
        self.job(&mut task, on_progress)
    }

    fn job(
        &self,
        task: &mut Task,
        on_progress: &mut dyn FnMut(JobProgress),
    ) -> Result<JobReport, ClientError> {
        let output = self.drive(task, &mut |event| {
            if let Event::Progress(progress) = event {
                on_progress(progress);
            }
        })?;
        match output {
            TaskOutput::Job(report) => Ok(report),
            _ => Err(unexpected("a job run ended without a report")),
        }
    }

    /// Sends one request as is (no auth, no retries) and reads the whole response.
    pub fn send_raw(
        &self,
        request: &Request,
        timeout: Option<Duration>,
    ) -> Result<Response, TransportError> {
        let mut builder =
            http::Request::builder().method(request.method.as_str()).uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let http_request = builder
            .body(request.body.clone().unwrap_or_default())
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))?;
        use ureq::RequestExt;
        let result =
            http_request.with_agent(&self.agent).configure().timeout_global(timeout).build().run();
        let mut response = result.map_err(transport_error)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned())
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(u64::try_from(self.engine.max_body_bytes()).unwrap_or(u64::MAX))
            .read_to_vec()
            .map_err(transport_error)?;
        Ok(Response { status, headers, body })
    }
}

fn unexpected(message: &str) -> ClientError {
    ClientError::UnexpectedOutput { operation: "blocking client", message: message.to_owned() }
}

fn transport_error(error: ureq::Error) -> TransportError {
    let kind = match &error {
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
        ureq::Error::BodyExceedsLimit(_) => TransportErrorKind::BodyTooLarge,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            TransportErrorKind::Connect
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            TransportErrorKind::Timeout
        }
        ureq::Error::Io(_) => TransportErrorKind::Io,
        _ => TransportErrorKind::Other,
    };
    TransportError::new(kind, error.to_string())
}
