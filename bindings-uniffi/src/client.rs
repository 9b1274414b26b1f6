//! The client object: the host hands over its HTTP stack once, as a foreign trait, and the core
//! runs tokens, retries, pagination and job waits over it.
//!
//! Every method blocks until its flow ends; call it from a background thread (a coroutine on
//! `Dispatchers.IO`, a `Task.detached`, a worker thread). Waits between retries and job polls
//! happen in Rust (`std::thread::sleep` in steps of at most 100 ms, so a cancellation is seen
//! quickly). A [`CancelHandle`] stops a flow from another thread: a job run first asks the server
//! to cancel the job; anything else stops at once. A request the transport is sending is not
//! interrupted; the cancellation takes effect when it returns.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use airbyte_core::flow::call::{RetryPolicy, TransportError, TransportErrorKind};
use airbyte_core::flow::jobs;
use airbyte_core::flow::task::{Engine, Step, Task, TaskOutput};
use airbyte_core::{Secret, Timestamp};
use serde_json::Value;

use crate::convert::json_of;
use crate::error::{guard, AirbyteError, ErrorKind};
use crate::http::{HttpRequest, HttpResponse};
use crate::sans_io::{find, parse_input, ApiKind, ClientSettings};

/// How a client authenticates. `Debug` hides the secrets.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum Credentials {
    /// No authentication (a server with auth turned off).
    None,
    /// An access token obtained elsewhere, sent as is.
    Bearer {
        /// The token.
        token: String,
    },
    /// An application's client id and secret, exchanged for short-lived tokens that the core
    /// caches, refreshes before they expire and renews once after a 401.
    ClientCredentials {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: String,
        /// Where to exchange them; absent: `<public root>/applications/token`.
        #[uniffi(default)]
        token_url: Option<String>,
    },
    /// HTTP Basic credentials, for a server behind a proxy that asks for them.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Bearer { .. } => f.write_str("Bearer { token: <redacted> }"),
            Credentials::ClientCredentials { client_id, token_url, .. } => write!(
                f,
                "ClientCredentials {{ client_id: {client_id:?}, client_secret: <redacted>, \
                 token_url: {token_url:?} }}"
            ),
            Credentials::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, password: <redacted> }}")
            }
        }
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<Credentials> for airbyte_core::Credentials {
    fn from(credentials: Credentials) -> Self {
        match credentials {
            Credentials::None => airbyte_core::Credentials::None,
            Credentials::Bearer { token } => airbyte_core::Credentials::Bearer(Secret::new(token)),
            Credentials::ClientCredentials { client_id, client_secret, token_url } => {
                airbyte_core::Credentials::ClientCredentials {
                    client_id,
                    client_secret: Secret::new(client_secret),
                    token_url,
                }
            }
            Credentials::Basic { username, password } => {
                airbyte_core::Credentials::Basic { username, password: Secret::new(password) }
            }
        }
    }
}

/// When and how often calls are repeated. Absent fields keep the core's defaults (4 attempts,
/// 500 ms doubling up to 30 s, ±20 % jitter, no retry after 120 s).
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct RetrySettings {
    /// Attempts in all, the first included; 1 disables retries.
    #[uniffi(default)]
    pub max_attempts: Option<u32>,
    /// The wait before the first retry, in milliseconds.
    #[uniffi(default)]
    pub initial_backoff_ms: Option<u64>,
    /// The longest wait between attempts, in milliseconds.
    #[uniffi(default)]
    pub max_backoff_ms: Option<u64>,
    /// The factor between consecutive waits.
    #[uniffi(default)]
    pub multiplier: Option<f64>,
    /// The spread of random jitter as a fraction of the wait (0 for none).
    #[uniffi(default)]
    pub jitter: Option<f64>,
    /// No retry starts later than this after the first attempt, in milliseconds.
    #[uniffi(default)]
    pub max_elapsed_ms: Option<u64>,
    /// The longest `Retry-After` honoured, in milliseconds.
    #[uniffi(default)]
    pub max_retry_after_ms: Option<u64>,
}

impl RetrySettings {
    fn to_policy(&self) -> RetryPolicy {
        let defaults = RetryPolicy::default();
        let ms =
            |value: Option<u64>, default: Duration| value.map_or(default, Duration::from_millis);
        RetryPolicy {
            max_attempts: self.max_attempts.unwrap_or(defaults.max_attempts),
            initial_backoff: ms(self.initial_backoff_ms, defaults.initial_backoff),
            max_backoff: ms(self.max_backoff_ms, defaults.max_backoff),
            multiplier: self.multiplier.unwrap_or(defaults.multiplier),
            jitter: self.jitter.unwrap_or(defaults.jitter),
            max_elapsed: ms(self.max_elapsed_ms, defaults.max_elapsed),
            max_retry_after: ms(self.max_retry_after_ms, defaults.max_retry_after),
        }
    }
}

/// How a client behaves besides where it connects.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct ClientOptions {
    /// Retries; absent: the core's defaults.
    #[uniffi(default)]
    pub retry: Option<RetrySettings>,
    /// The timeout handed to the transport with each request, in milliseconds; absent: 30 s.
    #[uniffi(default)]
    pub request_timeout_ms: Option<u64>,
}

/// The kinds of transport failure, which decide whether a retry is safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum TransportFailureKind {
    /// No connection was made (refused, DNS): the request was not sent, so any call may retry.
    Connect,
    /// No complete response within the timeout.
    Timeout,
    /// The connection broke after the request may have been sent.
    Io,
    /// The response body was too large.
    BodyTooLarge,
    /// Anything else.
    Other,
}

/// What the host's transport throws when no response came.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TransportFailure {
    /// The exchange failed.
    #[error("{kind:?}: {reason}")]
    Failed {
        /// What kind of failure.
        kind: TransportFailureKind,
        /// The transport's own description.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportFailure {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TransportFailure::Failed {
            kind: TransportFailureKind::Other,
            reason: format!("the transport threw an unexpected exception: {}", error.reason),
        }
    }
}

impl From<TransportFailure> for TransportError {
    fn from(failure: TransportFailure) -> Self {
        let TransportFailure::Failed { kind, reason } = failure;
        let kind = match kind {
            TransportFailureKind::Connect => TransportErrorKind::Connect,
            TransportFailureKind::Timeout => TransportErrorKind::Timeout,
            TransportFailureKind::Io => TransportErrorKind::Io,
            TransportFailureKind::BodyTooLarge => TransportErrorKind::BodyTooLarge,
            TransportFailureKind::Other => TransportErrorKind::Other,
        };
        TransportError::new(kind, reason)
    }
}

/// The `snake_case` name of a transport error kind, as error details spell it.
pub(crate) fn transport_kind_name(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "connect",
        TransportErrorKind::Timeout => "timeout",
        TransportErrorKind::Io => "io",
        TransportErrorKind::BodyTooLarge => "body_too_large",
        TransportErrorKind::Other => "other",
    }
}

/// The host's HTTP stack: sends one request as given (no redirects followed, every status
/// returned as a response) and returns the whole response, or throws a [`TransportFailure`]
/// when none came. Called from the thread that called the client.
#[uniffi::export(with_foreign)]
pub trait HttpTransport: Send + Sync {
    /// Sends `request` and returns the response.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportFailure>;
}

/// What a host callback throws to stop a flow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CallbackError {
    /// The callback failed.
    #[error("{reason}")]
    Failed {
        /// Why.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for CallbackError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        CallbackError::Failed { reason: format!("unexpected exception: {}", error.reason) }
    }
}

/// Told how a job moves while a client waits for it.
#[uniffi::export(with_foreign)]
pub trait ProgressListener: Send + Sync {
    /// The job's state changed. Throwing stops the wait (the job keeps running on the server).
    fn on_progress(&self, progress: JobProgress) -> Result<(), CallbackError>;
}

/// Handed the items of each page while a client walks a list.
#[uniffi::export(with_foreign)]
pub trait PageListener: Send + Sync {
    /// The items of one more page, each as JSON text. Throwing stops the walk.
    fn on_page(&self, items: Vec<String>) -> Result<(), CallbackError>;
}

/// Cancels flows from another thread. One handle can be given to several calls.
#[derive(Debug, Default, uniffi::Object)]
pub struct CancelHandle {
    cancelled: AtomicBool,
}

#[uniffi::export]
impl CancelHandle {
    /// A handle that has not been cancelled.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Cancels every flow this handle was given to.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Whether `cancel` was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

/// What kind of job to start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum JobKind {
    /// Copy new data.
    Sync,
    /// Reset the connection's data.
    Reset,
    /// Re-read every stream from the start, keeping data.
    Refresh,
    /// Delete the connection's data.
    Clear,
}

impl From<JobKind> for jobs::JobKind {
    fn from(kind: JobKind) -> Self {
        match kind {
            JobKind::Sync => jobs::JobKind::Sync,
            JobKind::Reset => jobs::JobKind::Reset,
            JobKind::Refresh => jobs::JobKind::Refresh,
            JobKind::Clear => jobs::JobKind::Clear,
        }
    }
}

/// How long and how often to wait for a job. Absent fields keep the core's defaults (a poll
/// every 5 s, an hour at most, cancel the job at the deadline).
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct WaitSettings {
    /// The pause between two status requests, in milliseconds.
    #[uniffi(default)]
    pub poll_interval_ms: Option<u64>,
    /// The longest the whole wait may take, in milliseconds.
    #[uniffi(default)]
    pub deadline_ms: Option<u64>,
    /// Wait without a deadline (then `deadline_ms` is ignored).
    #[uniffi(default)]
    pub no_deadline: bool,
    /// Whether the job is cancelled on the server when the deadline passes.
    #[uniffi(default)]
    pub cancel_on_deadline: Option<bool>,
}

impl WaitSettings {
    fn to_core(&self) -> jobs::WaitSettings {
        let defaults = jobs::WaitSettings::default();
        jobs::WaitSettings {
            poll_interval: self
                .poll_interval_ms
                .map_or(defaults.poll_interval, Duration::from_millis),
            request_timeout: defaults.request_timeout,
            deadline: if self.no_deadline {
                None
            } else {
                self.deadline_ms.map(Duration::from_millis).or(defaults.deadline)
            },
            cancel_on_deadline: self.cancel_on_deadline.unwrap_or(defaults.cancel_on_deadline),
        }
    }
}

/// How a job ended, or why the wait ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum JobOutcome {
    /// The job succeeded.
    Succeeded,
    /// The job failed.
    Failed,
    /// The job was cancelled (through this wait or by someone else).
    Cancelled,
    /// The deadline passed first.
    TimedOut,
}

/// The state of a job while it runs.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct JobProgress {
    /// The job id.
    pub job_id: i64,
    /// The status as the server sent it (`pending`, `running`, ...).
    pub status: String,
    /// Rows synced so far, when the server reports them.
    pub rows_synced: Option<i64>,
    /// Bytes synced so far, when the server reports them.
    pub bytes_synced: Option<i64>,
}

impl From<jobs::JobProgress> for JobProgress {
    fn from(progress: jobs::JobProgress) -> Self {
        JobProgress {
            job_id: progress.job_id,
            status: progress.status,
            rows_synced: progress.rows_synced,
            bytes_synced: progress.bytes_synced,
        }
    }
}

/// The end of a wait for a job.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct JobReport {
    /// How it ended.
    pub outcome: JobOutcome,
    /// The last state seen.
    pub progress: JobProgress,
    /// The failure summary of the last attempt of a failed job, when the API gives one.
    pub failure_summary: Option<String>,
    /// Whether this wait asked the server to cancel the job.
    pub cancel_requested: bool,
    /// Whether the wait attached to a job that was already running.
    pub attached: bool,
    /// How long the wait took, in milliseconds.
    pub elapsed_ms: u64,
}

impl From<jobs::JobReport> for JobReport {
    fn from(report: jobs::JobReport) -> Self {
        JobReport {
            outcome: match report.outcome {
                jobs::JobOutcome::Succeeded => JobOutcome::Succeeded,
                jobs::JobOutcome::Failed => JobOutcome::Failed,
                jobs::JobOutcome::Cancelled => JobOutcome::Cancelled,
                jobs::JobOutcome::TimedOut => JobOutcome::TimedOut,
            },
            progress: report.progress.into(),
            failure_summary: report.failure_summary,
            cancel_requested: report.cancel_requested,
            attached: report.attached,
            elapsed_ms: report.elapsed_ms,
        }
    }
}

/// A client of both APIs over the host's HTTP stack. Thread-safe: calls from several threads
/// share one token cache.
#[derive(uniffi::Object)]
pub struct AirbyteClient {
    engine: Engine,
    transport: Arc<dyn HttpTransport>,
}

impl fmt::Debug for AirbyteClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AirbyteClient").field("config", self.engine.config()).finish()
    }
}

/// Something a flow hands out on the way.
enum Event {
    Progress(JobProgress),
    Page(Vec<Value>),
}

fn now() -> Timestamp {
    Timestamp::now_from_system_clock()
}

fn unexpected(message: &str) -> AirbyteError {
    AirbyteError::new(ErrorKind::Unexpected, message)
}

#[uniffi::export]
impl AirbyteClient {
    /// A client for the APIs `settings` locate, authenticating with `credentials`, sending
    /// through `transport`.
    #[uniffi::constructor(default(options = None))]
    pub fn new(
        settings: ClientSettings,
        credentials: Credentials,
        transport: Arc<dyn HttpTransport>,
        options: Option<ClientOptions>,
    ) -> Result<Arc<Self>, AirbyteError> {
        guard(|| {
            let options = options.unwrap_or_default();
            let mut engine = Engine::new(settings.to_config()?, credentials.into())?;
            if let Some(retry) = &options.retry {
                engine = engine.with_retry(retry.to_policy());
            }
            if let Some(timeout) = options.request_timeout_ms {
                engine = engine.with_request_timeout(Some(Duration::from_millis(timeout)));
            }
            Ok(Arc::new(AirbyteClient { engine, transport }))
        })
    }

    /// Calls operation `operation_id` with JSON input (tokens and retries included) and returns
    /// the final response, whatever its status: hand it to `parse_<api>_<operation>` for a
    /// typed result or to `parse_response` for JSON.
    #[uniffi::method(default(cancel = None))]
    pub fn call(
        &self,
        api: ApiKind,
        operation_id: String,
        input_json: String,
        cancel: Option<Arc<CancelHandle>>,
    ) -> Result<HttpResponse, AirbyteError> {
        guard(|| {
            let input = parse_input(&input_json)?;
            let mut task = self.engine.call(api.into(), &operation_id, &input)?;
            match self.drive(&mut task, cancel.as_deref(), &mut |_| Ok(()))? {
                TaskOutput::Response(response) => Ok(HttpResponse {
                    status: response.status,
                    headers: response
                        .headers
                        .into_iter()
                        .map(|(name, value)| crate::http::HttpHeader { name, value })
                        .collect(),
                    body: response.body,
                }),
                _ => Err(unexpected("a call ended without a response")),
            }
        })
    }

    /// Calls operation `operation_id` with JSON input and returns its parsed result as JSON
    /// text; an error status is an [`AirbyteError`].
    #[uniffi::method(default(cancel = None))]
    pub fn call_json(
        &self,
        api: ApiKind,
        operation_id: String,
        input_json: String,
        cancel: Option<Arc<CancelHandle>>,
    ) -> Result<String, AirbyteError> {
        let operation = find(api, &operation_id)?;
        let response = self.call(api, operation_id, input_json, cancel)?;
        guard(|| {
            let response = response.into_core();
            Ok(json_of(&operation.parse_json(&response.as_raw())?))
        })
    }

    /// Every item of every page of list operation `operation_id`, each as JSON text. Paging
    /// parameters in the input set where the walk starts; `page_size` sets the page size.
    #[uniffi::method(default(page_size = None, cancel = None))]
    pub fn list_all(
        &self,
        api: ApiKind,
        operation_id: String,
        input_json: String,
        page_size: Option<u32>,
        cancel: Option<Arc<CancelHandle>>,
    ) -> Result<Vec<String>, AirbyteError> {
        guard(|| {
            let mut items = Vec::new();
            self.pages(
                api,
                &operation_id,
                &input_json,
                page_size,
                cancel.as_deref(),
                &mut |page| {
                    items.extend(page.iter().map(json_of));
                    Ok(())
                },
            )?;
            Ok(items)
        })
    }

    /// Hands the items of each page of list operation `operation_id` to `listener` as they
    /// come.
    #[uniffi::method(default(page_size = None, cancel = None))]
    pub fn for_each_page(
        &self,
        api: ApiKind,
        operation_id: String,
        input_json: String,
        listener: Arc<dyn PageListener>,
        page_size: Option<u32>,
        cancel: Option<Arc<CancelHandle>>,
    ) -> Result<(), AirbyteError> {
        guard(|| {
            self.pages(api, &operation_id, &input_json, page_size, cancel.as_deref(), &mut |page| {
                listener.on_page(page.iter().map(json_of).collect()).map_err(callback_error)
            })
        })
    }

    /// Starts a job (`kind`) on connection `connection_id` and waits for it to end, telling
    /// `listener` how it moves. With `attach`, a job already running for the connection is
    /// waited for instead of failing with `AlreadyRunning`.
    #[uniffi::method(default(attach = false, settings = None, listener = None, cancel = None))]
    // Hosts see named parameters with defaults (Kotlin, Swift, Python), not a long positional list.
    #[allow(clippy::too_many_arguments)]
    pub fn run_job(
        &self,
        api: ApiKind,
        connection_id: String,
        kind: JobKind,
        attach: bool,
        settings: Option<WaitSettings>,
        listener: Option<Arc<dyn ProgressListener>>,
        cancel: Option<Arc<CancelHandle>>,
    ) -> Result<JobReport, AirbyteError> {
        guard(|| {
            let settings = settings.unwrap_or_default().to_core();
            let mut task =
                self.engine.run_job(api.into(), &connection_id, kind.into(), attach, settings);
            self.job(&mut task, listener.as_deref(), cancel.as_deref())
        })
    }

    /// Waits for job `job_id` to end, telling `listener` how it moves.
    #[uniffi::method(default(settings = None, listener = None, cancel = None))]
    pub fn wait_job(
        &self,
        api: ApiKind,
        job_id: i64,
        settings: Option<WaitSettings>,
        listener: Option<Arc<dyn ProgressListener>>,
        cancel: Option<Arc<CancelHandle>>,
    ) -> Result<JobReport, AirbyteError> {
        guard(|| {
            let settings = settings.unwrap_or_default().to_core();
            let mut task = self.engine.wait_job(api.into(), job_id, settings);
            self.job(&mut task, listener.as_deref(), cancel.as_deref())
        })
    }
}

fn callback_error(error: CallbackError) -> AirbyteError {
    let CallbackError::Failed { reason } = error;
    AirbyteError::new(ErrorKind::Callback, format!("a listener failed: {reason}"))
}

impl AirbyteClient {
    fn pages(
        &self,
        api: ApiKind,
        operation_id: &str,
        input_json: &str,
        page_size: Option<u32>,
        cancel: Option<&CancelHandle>,
        on_page: &mut dyn FnMut(Vec<Value>) -> Result<(), AirbyteError>,
    ) -> Result<(), AirbyteError> {
        let input = parse_input(input_json)?;
        let mut task = self.engine.pages(api.into(), operation_id, input, page_size)?;
        self.drive(&mut task, cancel, &mut |event| match event {
            Event::Page(items) => on_page(items),
            Event::Progress(_) => Ok(()),
        })?;
        Ok(())
    }

    fn job(
        &self,
        task: &mut Task,
        listener: Option<&dyn ProgressListener>,
        cancel: Option<&CancelHandle>,
    ) -> Result<JobReport, AirbyteError> {
        let output = self.drive(task, cancel, &mut |event| match (event, listener) {
            (Event::Progress(progress), Some(listener)) => {
                listener.on_progress(progress).map_err(callback_error)
            }
            _ => Ok(()),
        })?;
        match output {
            TaskOutput::Job(report) => Ok(report.into()),
            _ => Err(unexpected("a job run ended without a report")),
        }
    }

    /// The one driver loop: runs `task` to its end over the host's transport.
    fn drive(
        &self,
        task: &mut Task,
        cancel: Option<&CancelHandle>,
        events: &mut dyn FnMut(Event) -> Result<(), AirbyteError>,
    ) -> Result<TaskOutput, AirbyteError> {
        let cancelled = || cancel.is_some_and(CancelHandle::is_cancelled);
        let mut cancel_sent = false;
        loop {
            if !cancel_sent && cancelled() {
                cancel_sent = true;
                task.cancel();
            }
            match task.poll(now()) {
                Step::Send { request, timeout } => {
                    let request = HttpRequest::from_core(request, timeout);
                    match self.transport.send(request) {
                        Ok(response) => task.on_response(response.into_core(), now()),
                        Err(failure) => task.on_transport_error(failure.into(), now()),
                    }
                }
                // Once the cancellation is handed to the task, its waits (a job's final status
                // poll) are kept in full.
                Step::Sleep(duration) => sleep(duration, &|| !cancel_sent && cancelled()),
                Step::Progress(progress) => events(Event::Progress(progress.into()))?,
                Step::Page(items) => events(Event::Page(items))?,
                Step::Done(result) => return result.map_err(AirbyteError::from),
            }
        }
    }
}

/// Sleeps in steps of at most 100 ms, stopping early once `cancelled` says so.
fn sleep(duration: Duration, cancelled: &dyn Fn() -> bool) {
    let step = Duration::from_millis(100);
    let mut left = duration;
    while !left.is_zero() && !cancelled() {
        let now = left.min(step);
        std::thread::sleep(now);
        left -= now;
    }
    if duration.is_zero() {
        std::thread::yield_now();
    }
}
