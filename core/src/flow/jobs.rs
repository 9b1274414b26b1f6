//! Starting a job (sync, reset, refresh, clear) and waiting for it, on either API.
//!
//! [`JobRun`] asks for operation calls by id with JSON input and is told their results; the
//! caller runs each call (with [`super::call::Call`] for tokens and retries). Statuses
//! `pending`, `queued`, `running`, `incomplete` and any value the spec does not list keep the
//! wait going; `succeeded`, `failed` and `cancelled` end it. At the deadline, or when the caller
//! cancels, the job is cancelled on the server; a cancel that races with the job's end is not an
//! error: the job's own end is reported.

use std::time::Duration;

use serde_json::{json, Value};

use super::time::Timestamp;
use super::ClientError;
use crate::client_config::Api;
use crate::dynamic::{find_operation, DynOperation};
use crate::error::ResponseError;

/// What kind of job to start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Copy new data.
    Sync,
    /// Reset the connection's data (older servers; `clear` on newer ones).
    Reset,
    /// Re-read every stream from the start, keeping data (`Merge`).
    Refresh,
    /// Delete the connection's data.
    Clear,
}

impl JobKind {
    /// The public API's `jobType` value.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Sync => "sync",
            JobKind::Reset => "reset",
            JobKind::Refresh => "refresh",
            JobKind::Clear => "clear",
        }
    }

    /// Parses `sync`, `reset`, `refresh` or `clear`, ignoring case.
    pub fn parse(value: &str) -> Option<Self> {
        [JobKind::Sync, JobKind::Reset, JobKind::Refresh, JobKind::Clear]
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(value.trim()))
    }
}

/// How long and how often to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitSettings {
    /// The pause between two status requests.
    pub poll_interval: Duration,
    /// The longest one request may take (applied by the transport).
    pub request_timeout: Duration,
    /// The longest the whole wait may take; `None` waits for ever.
    pub deadline: Option<Duration>,
    /// Whether the job is cancelled on the server when the deadline passes.
    pub cancel_on_deadline: bool,
}

impl Default for WaitSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            deadline: Some(Duration::from_secs(3600)),
            cancel_on_deadline: true,
        }
    }
}

/// How a job ended, or why the wait ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobOutcome {
    /// The job succeeded.
    Succeeded,
    /// The job failed.
    Failed,
    /// The job was cancelled (by the caller through this wait, or by someone else).
    Cancelled,
    /// The deadline passed first; the job was cancelled on the server if so configured.
    TimedOut,
}

/// The state of a job while it runs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JobProgress {
    /// The job id.
    pub job_id: i64,
    /// The status as the server sent it.
    pub status: String,
    /// Rows (records) synced so far, when the server reports them.
    pub rows_synced: Option<i64>,
    /// Bytes synced so far, when the server reports them.
    pub bytes_synced: Option<i64>,
}

/// The end of a wait.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JobReport {
    /// How it ended.
    pub outcome: JobOutcome,
    /// The last progress seen.
    pub progress: JobProgress,
    /// The failure summary of the last attempt, for a failed job when the API provides one.
    pub failure_summary: Option<String>,
    /// Whether this wait asked the server to cancel the job.
    pub cancel_requested: bool,
    /// Whether the wait attached to a job that was already running instead of starting one.
    pub attached: bool,
    /// How long the wait took.
    pub elapsed_ms: u64,
}

/// A sync (or reset, refresh, clear) could not start because one is running.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("a job is already running for connection {connection_id}: {}", .error.message)]
pub struct AlreadyRunning {
    /// The connection.
    pub connection_id: String,
    /// The running job, when it could be found.
    pub running_job_id: Option<i64>,
    /// The server's answer.
    pub error: Box<crate::ApiError>,
}

/// One operation call the job flow needs.
#[derive(Clone, Debug)]
pub struct OpCall {
    /// The operation.
    pub operation: &'static DynOperation,
    /// Its input: parameters by spec name, the body under `body`.
    pub input: Value,
}

/// What the caller should do next for a job run.
#[derive(Debug)]
pub enum JobAction {
    /// Run this call and report its result with [`JobRun::on_result`].
    Call(OpCall),
    /// Wait this long, then poll again.
    Sleep(Duration),
    /// The job moved; report it to whoever watches, then poll again.
    Progress(JobProgress),
    /// The run is over.
    Done(Result<JobReport, ClientError>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Start,
    FindRunning,
    Status,
    Cancel,
    FinalStatus,
    Failure,
}

#[derive(Debug)]
enum Phase {
    /// Decide the next call, or sleep until the next poll.
    Idle,
    /// A call is out.
    Waiting(Pending),
    /// Over; the result is handed out once.
    Finished(Option<Result<JobReport, ClientError>>),
}

/// Starting a job and waiting for it to end.
#[derive(Debug)]
pub struct JobRun {
    api: Api,
    connection_id: Option<String>,
    kind: JobKind,
    attach: bool,
    settings: WaitSettings,
    phase: Phase,
    /// A call that must come next, decided by the last result.
    follow_up: Option<Pending>,
    started: Option<Timestamp>,
    next_poll: Option<Timestamp>,
    job_id: Option<i64>,
    progress: Option<JobProgress>,
    reported: Option<JobProgress>,
    terminal: Option<JobOutcome>,
    cancel_reason: Option<JobOutcome>,
    cancel_requested: bool,
    caller_cancelled: bool,
    attached: bool,
    already_running: Option<Box<crate::ApiError>>,
}

const NON_TERMINAL: &[&str] = &["pending", "queued", "running", "incomplete"];

fn outcome_of(status: &str) -> Option<JobOutcome> {
    [
        ("succeeded", JobOutcome::Succeeded),
        ("failed", JobOutcome::Failed),
        ("cancelled", JobOutcome::Cancelled),
    ]
    .iter()
    .find(|(s, _)| s.eq_ignore_ascii_case(status))
    .map(|(_, o)| *o)
}

/// Whether an error answer to starting a job says that one is already running: the public
/// API's 409 "try again later" problem, the Configuration API's 423 or a 409 about a running
/// sync.
pub fn is_already_running(error: &crate::ApiError) -> bool {
    if error.status == 423 {
        return true;
    }
    if error.status != 409 {
        return false;
    }
    let text =
        format!("{} {}", error.problem_type().unwrap_or(""), error.message).to_ascii_lowercase();
    ["try-again-later", "already running", "already-running", "is running", "is already"]
        .iter()
        .any(|needle| text.contains(needle))
}

/// Whether a failed status request may succeed later, so the wait goes on.
fn is_transient(error: &ClientError) -> bool {
    match error {
        ClientError::Call(super::call::CallError::Transport { .. }) => true,
        ClientError::Response(ResponseError::Api(error)) => {
            matches!(error.status, 408 | 429) || error.status >= 500
        }
        _ => false,
    }
}

/// The first job that has not ended in a list of jobs of either API.
fn running_job(api: Api, output: &Value) -> Option<Value> {
    let jobs: Vec<&Value> = match api {
        Api::Public => output.get("data")?.as_array()?.iter().collect(),
        Api::Config => {
            output.get("jobs")?.as_array()?.iter().filter_map(|j| j.get("job")).collect()
        }
    };
    jobs.into_iter()
        .find(|job| {
            job.get("status").and_then(Value::as_str).is_some_and(|s| outcome_of(s).is_none())
        })
        .cloned()
}

/// A one-line summary of the last attempt's first failure in a Configuration API job.
fn failure_summary(output: &Value) -> Option<String> {
    let attempts = output.get("attempts")?.as_array()?;
    let failure = attempts.iter().rev().find_map(|a| {
        let attempt = a.get("attempt").unwrap_or(a);
        attempt.get("failureSummary")?.get("failures")?.as_array()?.first().cloned()
    })?;
    let message = failure
        .get("externalMessage")
        .or_else(|| failure.get("internalMessage"))
        .and_then(Value::as_str)
        .unwrap_or("no message");
    let details: Vec<&str> = ["failureType", "failureOrigin"]
        .iter()
        .filter_map(|k| failure.get(*k).and_then(Value::as_str))
        .collect();
    Some(if details.is_empty() {
        message.to_owned()
    } else {
        format!("{message} ({})", details.join(", "))
    })
}

impl JobRun {
    /// Starts a job of `kind` on `connection_id` and waits for it. With `attach`, a job that is
    /// already running for the connection is waited for instead of failing.
    pub fn start(
        api: Api,
        connection_id: &str,
        kind: JobKind,
        attach: bool,
        settings: WaitSettings,
    ) -> Self {
        let mut run = Self::new(api, settings);
        run.connection_id = Some(connection_id.to_owned());
        run.kind = kind;
        run.attach = attach;
        run
    }

    /// Waits for an existing job.
    pub fn wait(api: Api, job_id: i64, settings: WaitSettings) -> Self {
        let mut run = Self::new(api, settings);
        run.job_id = Some(job_id);
        run
    }

    fn new(api: Api, settings: WaitSettings) -> Self {
        Self {
            api,
            connection_id: None,
            kind: JobKind::Sync,
            attach: false,
            settings,
            phase: Phase::Idle,
            follow_up: None,
            started: None,
            next_poll: None,
            job_id: None,
            progress: None,
            reported: None,
            terminal: None,
            cancel_reason: None,
            cancel_requested: false,
            caller_cancelled: false,
            attached: false,
            already_running: None,
        }
    }

    /// The settings of this run.
    pub fn settings(&self) -> &WaitSettings {
        &self.settings
    }

    /// The job id, once known.
    pub fn job_id(&self) -> Option<i64> {
        self.job_id
    }

    /// Asks for the job to be cancelled on the server; the run then ends as cancelled.
    pub fn cancel(&mut self) {
        self.caller_cancelled = true;
    }

    /// Whether the call out is a status poll, which a caller's cancellation may interrupt: its
    /// answer is not needed to cancel the job. (The start, the cancel and the final reads are
    /// never interrupted: the job id, or how the job ended, would be lost.)
    pub fn is_polling_status(&self) -> bool {
        matches!(self.phase, Phase::Waiting(Pending::Status))
    }

    fn call(&mut self, pending: Pending, id: &str, input: Value) -> JobAction {
        match find_operation(self.api, id) {
            Some(operation) => {
                self.phase = Phase::Waiting(pending);
                JobAction::Call(OpCall { operation, input })
            }
            None => self.finish(Err(ClientError::Build(crate::BuildError::UnknownOperation {
                api: self.api,
                operation: id.to_owned(),
            }))),
        }
    }

    fn finish(&mut self, result: Result<JobReport, ClientError>) -> JobAction {
        self.phase = Phase::Finished(None);
        JobAction::Done(result)
    }

    fn end(&mut self, result: Result<JobReport, ClientError>) {
        self.phase = Phase::Finished(Some(result));
    }

    fn report(
        &self,
        outcome: JobOutcome,
        failure_summary: Option<String>,
        now: Timestamp,
    ) -> JobReport {
        JobReport {
            outcome,
            progress: self.progress.clone().unwrap_or(JobProgress {
                job_id: self.job_id.unwrap_or_default(),
                status: String::new(),
                rows_synced: None,
                bytes_synced: None,
            }),
            failure_summary,
            cancel_requested: self.cancel_requested,
            attached: self.attached,
            elapsed_ms: u64::try_from(now.since(self.started.unwrap_or(now)).as_millis())
                .unwrap_or(u64::MAX),
        }
    }

    fn already_running_error(&mut self) -> ClientError {
        let connection_id = self.connection_id.clone().unwrap_or_default();
        match self.already_running.take() {
            Some(error) => ClientError::AlreadyRunning(AlreadyRunning {
                connection_id,
                running_job_id: None,
                error,
            }),
            None => ClientError::UnexpectedOutput {
                operation: "find the running job",
                message: "the server said a job is running but lists none".into(),
            },
        }
    }

    /// The next thing to do.
    pub fn poll(&mut self, now: Timestamp) -> JobAction {
        let started = *self.started.get_or_insert(now);
        match &mut self.phase {
            Phase::Finished(result) => {
                return match result.take() {
                    Some(result) => JobAction::Done(result),
                    None => JobAction::Sleep(Duration::ZERO),
                }
            }
            Phase::Waiting(_) => return JobAction::Sleep(Duration::ZERO),
            Phase::Idle => {}
        }

        if self.progress != self.reported {
            if let Some(progress) = self.progress.clone() {
                self.reported = Some(progress.clone());
                return JobAction::Progress(progress);
            }
        }

        let connection_id = self.connection_id.clone().unwrap_or_default();
        match self.follow_up.take() {
            Some(Pending::FindRunning) => {
                return match self.api {
                    Api::Public => self.call(
                        Pending::FindRunning,
                        "listJobs",
                        json!({"connectionId": connection_id, "limit": 5, "orderBy": "createdAt|DESC"}),
                    ),
                    Api::Config => self.call(
                        Pending::FindRunning,
                        "listJobsFor",
                        json!({"body": {"configTypes": ["sync", "reset_connection", "refresh", "clear"],
                            "configId": connection_id, "pagination": {"pageSize": 5},
                            "orderByField": "createdAt", "orderByMethod": "DESC"}}),
                    ),
                };
            }
            Some(Pending::FinalStatus) => {
                let job_id = self.job_id.unwrap_or_default();
                return self.status_call(Pending::FinalStatus, job_id);
            }
            _ => {}
        }

        let Some(job_id) = self.job_id else {
            if self.caller_cancelled {
                // Cancelled before any job exists: start none.
                let cancelled = super::call::CallError::Cancelled { operation: "start a job" };
                return self.finish(Err(cancelled.into()));
            }
            return self.start_call(&connection_id);
        };

        if let Some(outcome) = self.terminal {
            let outcome = self.final_outcome(outcome);
            if outcome == JobOutcome::Failed && self.api == Api::Config {
                return self.call(
                    Pending::Failure,
                    "getJobInfoWithoutLogs",
                    json!({"body": {"id": job_id}}),
                );
            }
            let report = self.report(outcome, None, now);
            return self.finish(Ok(report));
        }

        let past_deadline = self.settings.deadline.is_some_and(|d| now.since(started) >= d);
        if self.cancel_reason.is_none() && (self.caller_cancelled || past_deadline) {
            let reason =
                if self.caller_cancelled { JobOutcome::Cancelled } else { JobOutcome::TimedOut };
            if reason == JobOutcome::TimedOut && !self.settings.cancel_on_deadline {
                let report = self.report(JobOutcome::TimedOut, None, now);
                return self.finish(Ok(report));
            }
            self.cancel_reason = Some(reason);
            self.cancel_requested = true;
            tracing::debug!(job_id, "cancelling the job");
            return match self.api {
                Api::Public => self.call(Pending::Cancel, "cancelJob", json!({"jobId": job_id})),
                Api::Config => {
                    self.call(Pending::Cancel, "cancelJob", json!({"body": {"id": job_id}}))
                }
            };
        }

        match self.next_poll {
            Some(at) if now < at => {
                let wait = at.since(now);
                let to_deadline = self.settings.deadline.map(|d| started.plus(d).since(now));
                JobAction::Sleep(
                    to_deadline.map_or(wait, |d| wait.min(d)).max(Duration::from_millis(1)),
                )
            }
            _ => self.status_call(Pending::Status, job_id),
        }
    }

    /// A cancellation we asked for shows as `cancelled`; at the deadline it is a time-out.
    fn final_outcome(&self, outcome: JobOutcome) -> JobOutcome {
        match (outcome, self.cancel_reason) {
            (JobOutcome::Cancelled, Some(JobOutcome::TimedOut)) => JobOutcome::TimedOut,
            (outcome, _) => outcome,
        }
    }

    fn status_call(&mut self, pending: Pending, job_id: i64) -> JobAction {
        match self.api {
            Api::Public => self.call(pending, "getJob", json!({"jobId": job_id})),
            Api::Config => self.call(pending, "getJobInfoLight", json!({"body": {"id": job_id}})),
        }
    }

    fn start_call(&mut self, connection_id: &str) -> JobAction {
        let body = json!({"connectionId": connection_id});
        match (self.api, self.kind) {
            (Api::Public, kind) => self.call(
                Pending::Start,
                "createJob",
                json!({"body": {"connectionId": connection_id, "jobType": kind.as_str()}}),
            ),
            (Api::Config, JobKind::Sync) => {
                self.call(Pending::Start, "syncConnection", json!({"body": body}))
            }
            (Api::Config, JobKind::Reset) => {
                self.call(Pending::Start, "resetConnection", json!({"body": body}))
            }
            (Api::Config, JobKind::Clear) => {
                self.call(Pending::Start, "clearConnection", json!({"body": body}))
            }
            (Api::Config, JobKind::Refresh) => self.call(
                Pending::Start,
                "refreshConnectionStream",
                json!({"body": {"connectionId": connection_id, "refreshMode": "Merge"}}),
            ),
        }
    }

    /// Reports the result of the call last asked for: the output as JSON, or the error.
    pub fn on_result(&mut self, result: Result<Value, ClientError>, now: Timestamp) {
        let Phase::Waiting(pending) = self.phase else { return };
        self.phase = Phase::Idle;
        match (pending, result) {
            (Pending::Start, Ok(output)) => {
                self.absorb(&output);
                if self.job_id.is_none() {
                    self.end(Err(ClientError::UnexpectedOutput {
                        operation: "start a job",
                        message: "the response names no job id".into(),
                    }));
                }
                self.next_poll = Some(now.plus(self.settings.poll_interval));
            }
            (Pending::Start, Err(ClientError::Response(ResponseError::Api(error))))
                if is_already_running(&error) =>
            {
                self.already_running = Some(error);
                if self.attach {
                    self.follow_up = Some(Pending::FindRunning);
                } else {
                    let error = self.already_running_error();
                    self.end(Err(error));
                }
            }
            (Pending::FindRunning, Ok(output)) => match running_job(self.api, &output) {
                Some(job) => {
                    self.attached = true;
                    self.absorb(&job);
                    self.next_poll = Some(now.plus(self.settings.poll_interval));
                }
                None => {
                    let error = self.already_running_error();
                    self.end(Err(error));
                }
            },
            (Pending::Status, Ok(output)) => {
                self.absorb(&output);
                self.next_poll = Some(now.plus(self.settings.poll_interval));
            }
            (Pending::FinalStatus, Ok(output)) => {
                self.absorb(&output);
                if self.terminal.is_none() {
                    // The server refused the cancel yet the job goes on: end with our reason.
                    self.terminal = self.cancel_reason;
                }
            }
            (Pending::Status, Err(ClientError::Call(super::call::CallError::Cancelled { .. })))
                if self.caller_cancelled =>
            {
                // The caller interrupted the poll to cancel: the next poll cancels the job.
            }
            (Pending::Status, Err(error)) if is_transient(&error) => {
                tracing::debug!(error = %error, "job status request failed; still waiting");
                self.next_poll = Some(now.plus(self.settings.poll_interval));
            }
            (Pending::Cancel, Ok(output)) => {
                self.absorb(&output);
                if self.terminal.is_none() {
                    self.terminal = self.cancel_reason;
                }
            }
            (Pending::Cancel, Err(ClientError::Response(ResponseError::Api(error))))
                if error.status == 409 =>
            {
                // The job ended on its own meanwhile: read how, and report that.
                self.follow_up = Some(Pending::FinalStatus);
            }
            (Pending::Failure, result) => {
                let summary = result.ok().and_then(|output| failure_summary(&output));
                let report = self.report(JobOutcome::Failed, summary, now);
                self.end(Ok(report));
            }
            (_, Err(error)) => self.end(Err(error)),
        }
    }

    /// Takes job id, status and counts from any job-shaped output of either API.
    fn absorb(&mut self, output: &Value) {
        let job = output.get("job").unwrap_or(output);
        if self.job_id.is_none() {
            self.job_id = job.get("jobId").or_else(|| job.get("id")).and_then(Value::as_i64);
        }
        let Some(status) = job.get("status").and_then(Value::as_str) else { return };
        let stats = job.get("aggregatedStats");
        let count = |public: &str, committed: &str, emitted: &str| {
            job.get(public)
                .and_then(Value::as_i64)
                .or_else(|| stats.and_then(|s| s.get(committed)).and_then(Value::as_i64))
                .or_else(|| stats.and_then(|s| s.get(emitted)).and_then(Value::as_i64))
        };
        if outcome_of(status).is_none()
            && !NON_TERMINAL.iter().any(|s| s.eq_ignore_ascii_case(status))
        {
            tracing::warn!(status, "unknown job status; still waiting");
        }
        self.terminal = outcome_of(status);
        self.progress = Some(JobProgress {
            job_id: self.job_id.unwrap_or_default(),
            status: status.to_owned(),
            rows_synced: count("rowsSynced", "recordsCommitted", "recordsEmitted"),
            bytes_synced: count("bytesSynced", "bytesCommitted", "bytesEmitted"),
        });
    }
}
