//! One driver interface for every flow, so a binding needs a single loop:
//!
//! ```text
//! loop {
//!     match task.poll(now()) {
//!         Step::Send { request, timeout } => match send(request, timeout) {
//!             Ok(response) => task.on_response(response, now()),
//!             Err(error) => task.on_transport_error(error, now()),
//!         },
//!         Step::Sleep(duration) => sleep(duration),
//!         Step::Progress(progress) => report(progress),
//!         Step::Page(items) => yield_items(items),
//!         Step::Done(result) => return result,
//!     }
//! }
//! ```
//!
//! A driver that can abort a request in flight (a `fetch` with an `AbortSignal`) may do so after
//! [`Task::cancel`] when [`Task::awaiting_response`] is `false`: the answer is no longer wanted.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::auth::{Credentials, TokenCache, TokenStep, TOKEN_OPERATION};
use super::call::{Call, CallAction, RetryPolicy, TransportError};
use super::jobs::{JobAction, JobKind, JobProgress, JobReport, JobRun, WaitSettings};
use super::pagination::Pager;
use super::time::Timestamp;
use super::ClientError;
use crate::client_config::{Api, BaseUrlError, ClientConfig};
use crate::dynamic::{find_operation, DynOperation};
use crate::operation::OperationInfo;
use crate::request::{Auth, Request};
use crate::response::Response;

/// Configuration, credentials and policies shared by all tasks of one client. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Engine {
    config: ClientConfig,
    tokens: Arc<TokenCache>,
    retry: RetryPolicy,
    request_timeout: Option<Duration>,
    max_body_bytes: usize,
}

impl Engine {
    /// An engine for `config`, authenticating with `credentials`.
    pub fn new(config: ClientConfig, credentials: Credentials) -> Result<Self, BaseUrlError> {
        let tokens = Arc::new(TokenCache::new(credentials, &config)?);
        Ok(Self {
            config,
            tokens,
            retry: RetryPolicy::default(),
            request_timeout: Some(Duration::from_secs(30)),
            max_body_bytes: super::call::DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the per-request timeout handed to the transport (`None`: the transport's own).
    pub fn with_request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the largest response body accepted (default 64 MiB); a larger one is a transport
    /// error of kind `BodyTooLarge`.
    pub fn with_max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The largest response body accepted.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    fn new_call(&self, request: Request, info: &'static OperationInfo) -> Call {
        Call::new(request, info, self.retry.clone()).with_max_body_bytes(self.max_body_bytes)
    }

    /// The client configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The shared token cache.
    pub fn tokens(&self) -> &Arc<TokenCache> {
        &self.tokens
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    fn operation(api: Api, id: &str) -> Result<&'static DynOperation, ClientError> {
        find_operation(api, id).ok_or_else(|| {
            ClientError::Build(crate::BuildError::UnknownOperation {
                api,
                operation: id.to_owned(),
            })
        })
    }

    /// One call of operation `id` with JSON input; ends with the raw response to parse.
    pub fn call(&self, api: Api, id: &str, input: &Value) -> Result<Task, ClientError> {
        let operation = Self::operation(api, id)?;
        let request = operation.build_json(input, &self.config, &Auth::None)?;
        Ok(self.call_request(request, operation.info))
    }

    /// One call of a request built elsewhere (without auth; the engine applies it).
    pub fn call_request(&self, request: Request, info: &'static OperationInfo) -> Task {
        let call = self.new_call(request, info);
        self.task(Kind::Single, Some(call))
    }

    /// Every page of list operation `id`, from `input`.
    pub fn pages(
        &self,
        api: Api,
        id: &str,
        input: Value,
        page_size: Option<u32>,
    ) -> Result<Task, ClientError> {
        let operation = Self::operation(api, id)?;
        let pager = Pager::new(operation.info, input, page_size)?;
        Ok(self.task(Kind::Pages { pager, operation }, None))
    }

    /// Starts a job on a connection and waits for it to end.
    pub fn run_job(
        &self,
        api: Api,
        connection_id: &str,
        kind: JobKind,
        attach: bool,
        settings: WaitSettings,
    ) -> Task {
        let run = JobRun::start(api, connection_id, kind, attach, settings);
        self.task(Kind::Job { run: Box::new(run), operation: None }, None)
    }

    /// Waits for an existing job to end.
    pub fn wait_job(&self, api: Api, job_id: i64, settings: WaitSettings) -> Task {
        let run = JobRun::wait(api, job_id, settings);
        self.task(Kind::Job { run: Box::new(run), operation: None }, None)
    }

    /// The auth requests of this engine carry now: for client credentials a cached token, or
    /// one fetched (with retries) when none is valid. Ends with [`TaskOutput::Auth`]. Hosts
    /// that hand a token to another component (an embedding page's backend) use it.
    pub fn access_token(&self) -> Task {
        self.task(Kind::Token { ticket: None }, None)
    }

    fn task(&self, kind: Kind, call: Option<Call>) -> Task {
        Task { engine: self.clone(), kind, call, done: false }
    }
}

/// What a task asks of its driver.
#[derive(Debug)]
pub enum Step {
    /// Send this request (with this timeout) and report the outcome.
    Send {
        /// The request.
        request: Request,
        /// The per-request timeout to apply.
        timeout: Option<Duration>,
    },
    /// Wait this long, then poll again.
    Sleep(Duration),
    /// A job moved.
    Progress(JobProgress),
    /// The items of one more page.
    Page(Vec<Value>),
    /// The task is over.
    Done(Result<TaskOutput, ClientError>),
}

/// What a finished task produced.
#[derive(Debug)]
pub enum TaskOutput {
    /// The final response of a single call, to parse with the operation's parser (any status).
    Response(Response),
    /// Every page has been handed out.
    Pages,
    /// How a job ended.
    Job(JobReport),
    /// The auth to send (from [`Engine::access_token`]).
    Auth(Auth),
}

#[derive(Debug)]
enum Kind {
    Single,
    Pages { pager: Pager, operation: &'static DynOperation },
    Job { run: Box<JobRun>, operation: Option<&'static DynOperation> },
    Token { ticket: Option<u64> },
}

/// A flow in progress. Drive it with [`Task::poll`] and report what happened to each request.
#[derive(Debug)]
pub struct Task {
    engine: Engine,
    kind: Kind,
    call: Option<Call>,
    done: bool,
}

impl Task {
    /// The next thing to do.
    pub fn poll(&mut self, now: Timestamp) -> Step {
        loop {
            if self.done {
                return Step::Done(Err(ClientError::UnexpectedOutput {
                    operation: "task",
                    message: "polled after it finished".into(),
                }));
            }
            if let Some(call) = &mut self.call {
                match call.poll(&self.engine.tokens, now) {
                    CallAction::Send(request) => {
                        let timeout = match &self.kind {
                            Kind::Job { run, .. } => Some(run.settings().request_timeout),
                            _ => self.engine.request_timeout,
                        };
                        return Step::Send { request, timeout };
                    }
                    CallAction::Sleep(duration) => return Step::Sleep(duration),
                    CallAction::Done(result) => {
                        self.call = None;
                        if let Some(step) = self.on_call_done(result, now) {
                            return step;
                        }
                        continue;
                    }
                }
            }
            match &mut self.kind {
                Kind::Single => {
                    // A single call only lacks its call once cancelled before it was sent.
                    let cancelled = super::call::CallError::Cancelled { operation: "call" };
                    return self.finish(Err(cancelled.into()));
                }
                Kind::Pages { pager, operation } => {
                    let Some(input) = pager.next_input().cloned() else {
                        return self.finish(Ok(TaskOutput::Pages));
                    };
                    let operation = *operation;
                    match operation.build_json(&input, &self.engine.config, &Auth::None) {
                        Ok(request) => {
                            self.call = Some(self.engine.new_call(request, operation.info));
                        }
                        Err(error) => return self.finish(Err(error.into())),
                    }
                }
                Kind::Job { run, operation } => match run.poll(now) {
                    JobAction::Call(op_call) => {
                        *operation = Some(op_call.operation);
                        match op_call.operation.build_json(
                            &op_call.input,
                            &self.engine.config,
                            &Auth::None,
                        ) {
                            Ok(request) => {
                                self.call =
                                    Some(self.engine.new_call(request, op_call.operation.info));
                            }
                            Err(error) => run.on_result(Err(error.into()), now),
                        }
                    }
                    JobAction::Sleep(duration) => return Step::Sleep(duration),
                    JobAction::Progress(progress) => return Step::Progress(progress),
                    JobAction::Done(result) => return self.finish(result.map(TaskOutput::Job)),
                },
                Kind::Token { ticket } => match self.engine.tokens.acquire(now) {
                    TokenStep::Ready { auth, .. } => {
                        return self.finish(Ok(TaskOutput::Auth(auth)));
                    }
                    TokenStep::Wait(duration) => return Step::Sleep(duration),
                    TokenStep::Fetch(fetch) => {
                        *ticket = Some(fetch.ticket());
                        self.call = Some(Call::new(
                            fetch.request,
                            &TOKEN_OPERATION,
                            self.engine.retry.clone(),
                        ));
                    }
                },
            }
        }
    }

    fn finish(&mut self, result: Result<TaskOutput, ClientError>) -> Step {
        self.done = true;
        Step::Done(result)
    }

    /// Handles the end of a call; returns a step to hand out, or `None` to keep going.
    fn on_call_done(
        &mut self,
        result: Result<Response, super::call::CallError>,
        now: Timestamp,
    ) -> Option<Step> {
        match &mut self.kind {
            Kind::Single => {
                Some(self.finish(result.map(TaskOutput::Response).map_err(ClientError::from)))
            }
            Kind::Pages { pager, operation } => {
                let parsed = match result {
                    Ok(response) => {
                        operation.parse_json(&response.as_raw()).map_err(ClientError::from)
                    }
                    Err(error) => Err(error.into()),
                };
                match parsed {
                    Ok(output) => {
                        // The public API ends a walk with an empty page: nothing to hand out.
                        let items = pager.on_page(&output);
                        if items.is_empty() {
                            None
                        } else {
                            Some(Step::Page(items))
                        }
                    }
                    Err(error) => Some(self.finish(Err(error))),
                }
            }
            Kind::Job { run, operation } => {
                let parsed = match (result, operation.take()) {
                    (Ok(response), Some(operation)) => {
                        operation.parse_json(&response.as_raw()).map_err(ClientError::from)
                    }
                    (Ok(_), None) => Err(ClientError::UnexpectedOutput {
                        operation: "job",
                        message: "a response came for no call".into(),
                    }),
                    (Err(error), _) => Err(error.into()),
                };
                run.on_result(parsed, now);
                None
            }
            Kind::Token { ticket } => {
                let ticket = ticket.take().unwrap_or_default();
                let tokens = &self.engine.tokens;
                let failure = match result {
                    Ok(response) => tokens
                        .complete(ticket, &response.as_raw(), now)
                        .err()
                        .map(|error| ClientError::Call(super::call::CallError::Auth(error))),
                    Err(error) => {
                        tokens.abandon(ticket);
                        Some(error.into())
                    }
                };
                // On success the next poll finds the token in the cache.
                failure.map(|error| self.finish(Err(error)))
            }
        }
    }

    /// Reports the response to the request last handed out.
    pub fn on_response(&mut self, response: Response, now: Timestamp) {
        if let Some(call) = &mut self.call {
            call.on_response(&self.engine.tokens, response, now);
        }
    }

    /// Reports that the request last handed out got no response.
    pub fn on_transport_error(&mut self, error: TransportError, now: Timestamp) {
        if let Some(call) = &mut self.call {
            call.on_transport_error(&self.engine.tokens, error, now);
        }
    }

    /// Cancels the task: a job is cancelled on the server first (a status poll in flight is
    /// given up for it); anything else ends at once.
    pub fn cancel(&mut self) {
        let tokens = &self.engine.tokens;
        match &mut self.kind {
            Kind::Job { run, .. } => {
                if run.is_polling_status() {
                    if let Some(call) = &mut self.call {
                        call.cancel_with_tokens(tokens);
                    }
                }
                run.cancel();
            }
            _ => {
                if let Some(call) = &mut self.call {
                    call.cancel_with_tokens(tokens);
                } else if !self.done {
                    self.kind = Kind::Single;
                }
            }
        }
    }

    /// Whether the task waits for the outcome of the request it handed out last. After
    /// [`Task::cancel`] it may not: the driver can then abort that request and report the
    /// abort with [`Task::on_transport_error`] (which is ignored).
    pub fn awaiting_response(&self) -> bool {
        self.call.as_ref().is_some_and(Call::is_awaiting_response)
    }

    /// Whether the task has handed out its result.
    pub fn is_done(&self) -> bool {
        self.done
    }
}
