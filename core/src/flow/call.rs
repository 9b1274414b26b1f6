//! One API call as a state machine: authentication (token fetch, one replay after a 401) and
//! retries with backoff. It is told the time and the responses, and answers with the next
//! request to send or how long to wait.

use std::time::Duration;

use super::auth::{AuthError, TokenCache, TokenStep};
use super::time::{days_from_civil, Jitter, Timestamp};
use crate::operation::OperationInfo;
use crate::request::{Auth, Request};
use crate::response::Response;

/// When and how often a call is repeated.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included. `1` disables retries.
    pub max_attempts: u32,
    /// The wait before the first retry.
    pub initial_backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
    /// The factor between consecutive waits.
    pub multiplier: f64,
    /// The spread of random jitter, as a fraction of the wait (0 for none, 0.2 for ±20 %).
    pub jitter: f64,
    /// No retry starts later than this after the first attempt.
    pub max_elapsed: Duration,
    /// The longest `Retry-After` that is honoured; a longer one ends the retries.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            multiplier: 2.0,
            jitter: 0.2,
            max_elapsed: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The wait before retry number `retry` (1-based), before jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = self
            .multiplier
            .max(1.0)
            .powi(i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX));
        let millis = (self.initial_backoff.as_millis() as f64 * factor)
            .min(self.max_backoff.as_millis() as f64);
        Duration::from_millis(millis as u64)
    }
}

/// What went wrong below HTTP: reported by the host's transport.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct TransportError {
    /// The kind of failure.
    pub kind: TransportErrorKind,
    /// The transport's own message.
    pub message: String,
}

impl TransportError {
    /// A transport error of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }
}

/// Kinds of transport failure, which decide whether a retry is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// No connection was made (refused, DNS): the request was not sent, so any call may retry.
    Connect,
    /// No complete response within the per-request timeout.
    Timeout,
    /// The connection broke after the request may have been sent.
    Io,
    /// The response body exceeded the size limit.
    BodyTooLarge,
    /// Anything else.
    Other,
}

impl std::fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::BodyTooLarge => "response too large",
            TransportErrorKind::Other => "transport error",
        })
    }
}

/// Why a call ended without a response to parse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    /// No token could be had, or the server refused a fresh one.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The transport failed, after any retries.
    #[error("{operation}: {error}")]
    Transport {
        /// The operation being called.
        operation: &'static str,
        /// The last transport failure.
        error: TransportError,
    },
    /// The caller cancelled the call.
    #[error("{operation}: cancelled by the caller")]
    Cancelled {
        /// The operation being called.
        operation: &'static str,
    },
}

/// What the host should do next for a call.
#[derive(Debug)]
pub enum CallAction {
    /// Send this request and report the outcome with `on_response` or `on_transport_error`.
    Send(Request),
    /// Wait this long, then poll again.
    Sleep(Duration),
    /// The call is over: a response to parse (any status), or why there is none.
    Done(Result<Response, CallError>),
}

#[derive(Debug)]
enum State {
    Ready,
    FetchingToken { ticket: u64 },
    Sent { generation: u64 },
    SleepingUntil(Timestamp),
    Finished(Option<Result<Response, CallError>>),
}

/// One call of one operation, with authentication and retries.
#[derive(Debug)]
pub struct Call {
    request: Request,
    info: &'static OperationInfo,
    policy: RetryPolicy,
    state: State,
    started: Option<Timestamp>,
    attempts: u32,
    replayed_after_401: bool,
    jitter: Jitter,
    max_body_bytes: usize,
}

/// The largest response body a call accepts by default (64 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The statuses worth retrying: the request was not handled, or may succeed when repeated.
fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429) || (500..600).contains(&status) && status != 501
}

impl Call {
    /// A call sending `request` (built without auth; auth is applied here).
    pub fn new(request: Request, info: &'static OperationInfo, policy: RetryPolicy) -> Self {
        let seed = request
            .url
            .bytes()
            .fold(info.id.len() as u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        Self {
            request,
            info,
            policy,
            state: State::Ready,
            started: None,
            attempts: 0,
            replayed_after_401: false,
            jitter: Jitter::seeded(seed),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// Sets the largest response body accepted; a larger one ends the call with a
    /// [`TransportErrorKind::BodyTooLarge`] error.
    pub fn with_max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The operation being called.
    pub fn info(&self) -> &'static OperationInfo {
        self.info
    }

    /// How many times the request has been sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The next thing to do.
    pub fn poll(&mut self, tokens: &TokenCache, now: Timestamp) -> CallAction {
        let started = *self.started.get_or_insert(now);
        let _ = started;
        loop {
            match &mut self.state {
                State::Finished(result) => {
                    return match result.take() {
                        Some(result) => CallAction::Done(result),
                        None => {
                            CallAction::Done(Err(CallError::Cancelled { operation: self.info.id }))
                        }
                    };
                }
                State::SleepingUntil(until) => {
                    if now < *until {
                        return CallAction::Sleep(until.since(now));
                    }
                    self.state = State::Ready;
                }
                State::FetchingToken { .. } | State::Sent { .. } => {
                    // Waiting for a response the host has not reported: nothing new to do.
                    return CallAction::Sleep(Duration::ZERO);
                }
                State::Ready => {
                    if !self.info.authenticated {
                        return self.send(Auth::None, 0);
                    }
                    return match tokens.acquire(now) {
                        TokenStep::Ready { auth, generation } => self.send(auth, generation),
                        TokenStep::Wait(step) => CallAction::Sleep(step),
                        TokenStep::Fetch(fetch) => {
                            self.state = State::FetchingToken { ticket: fetch.ticket() };
                            CallAction::Send(fetch.request)
                        }
                    };
                }
            }
        }
    }

    fn send(&mut self, auth: Auth, generation: u64) -> CallAction {
        self.attempts += 1;
        self.state = State::Sent { generation };
        let mut request = self.request.clone();
        if let Some(value) = auth_header(&auth) {
            request.headers.retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
            request.headers.push(("authorization".to_owned(), value));
        }
        tracing::debug!(operation = self.info.id, attempt = self.attempts, "sending");
        CallAction::Send(request)
    }

    /// Reports the response to the request last sent.
    pub fn on_response(&mut self, tokens: &TokenCache, response: Response, now: Timestamp) {
        if response.body.len() > self.max_body_bytes {
            let message = format!(
                "the response body has {} bytes, more than the limit of {}",
                response.body.len(),
                self.max_body_bytes
            );
            let error = TransportError::new(TransportErrorKind::BodyTooLarge, message);
            self.on_transport_error(tokens, error, now);
            return;
        }
        match std::mem::replace(&mut self.state, State::Ready) {
            State::FetchingToken { ticket } => {
                match tokens.complete(ticket, &response.as_raw(), now) {
                    Ok(()) => {}
                    Err(AuthError::TokenRequestFailed(error))
                        if is_retryable_status(error.status) =>
                    {
                        self.retry_or_finish(now, Some(&response), || {
                            Err(CallError::Auth(AuthError::TokenRequestFailed(error)))
                        });
                    }
                    Err(error) => self.state = State::Finished(Some(Err(error.into()))),
                }
            }
            State::Sent { generation } => {
                let status = response.status;
                if status == 401 && self.info.authenticated && tokens.can_refresh() {
                    tokens.invalidate(generation);
                    if !self.replayed_after_401 {
                        self.replayed_after_401 = true;
                        tracing::debug!(
                            operation = self.info.id,
                            "401: refreshing the token and replaying"
                        );
                        return;
                    }
                    let error = response.as_raw().api_error(self.info);
                    let crate::ResponseError::Api(error) = error else { return };
                    self.state = State::Finished(Some(Err(AuthError::Unauthorized(error).into())));
                    return;
                }
                if is_retryable_status(status) && self.may_retry_status(status) {
                    let retry_after = retry_after(&response, now);
                    self.retry_with(now, retry_after, Ok(response));
                    return;
                }
                self.state = State::Finished(Some(Ok(response)));
            }
            other => self.state = other,
        }
    }

    /// Reports that the request last sent got no response.
    pub fn on_transport_error(
        &mut self,
        tokens: &TokenCache,
        error: TransportError,
        now: Timestamp,
    ) {
        let operation = self.info.id;
        match std::mem::replace(&mut self.state, State::Ready) {
            State::FetchingToken { ticket } => {
                tokens.abandon(ticket);
                self.retry_with(now, None, Err(CallError::Transport { operation, error }));
            }
            State::Sent { .. } => {
                let safe = error.kind == TransportErrorKind::Connect || self.info.idempotent;
                if safe && error.kind != TransportErrorKind::BodyTooLarge {
                    self.retry_with(now, None, Err(CallError::Transport { operation, error }));
                } else {
                    self.state =
                        State::Finished(Some(Err(CallError::Transport { operation, error })));
                }
            }
            other => self.state = other,
        }
    }

    /// Ends the call at the next poll.
    pub fn cancel(&mut self) {
        self.state = State::Finished(Some(Err(CallError::Cancelled { operation: self.info.id })));
    }

    /// Ends the call at the next poll like [`Call::cancel`], and gives up a token fetch this call
    /// has in flight, so that other calls sharing `tokens` fetch their own token at once instead
    /// of waiting for this one.
    pub fn cancel_with_tokens(&mut self, tokens: &TokenCache) {
        if let State::FetchingToken { ticket } = self.state {
            tokens.abandon(ticket);
        }
        self.cancel();
    }

    /// Whether the call waits for the outcome of a request it handed out. When it does not, a
    /// request still in flight is no longer wanted and the transport may abort it.
    pub fn is_awaiting_response(&self) -> bool {
        matches!(self.state, State::FetchingToken { .. } | State::Sent { .. })
    }

    /// Whether a retryable status may be retried for this operation: always for idempotent
    /// operations; for others only 429, which says the request was not processed.
    fn may_retry_status(&self, status: u16) -> bool {
        self.info.idempotent || status == 429
    }

    fn retry_or_finish(
        &mut self,
        now: Timestamp,
        response: Option<&Response>,
        last: impl FnOnce() -> Result<Response, CallError>,
    ) {
        let retry_after = response.and_then(|r| retry_after(r, now));
        self.retry_with(now, retry_after, last());
    }

    /// Schedules another attempt, or finishes with `last` when the policy is exhausted.
    fn retry_with(
        &mut self,
        now: Timestamp,
        retry_after: Option<Duration>,
        last: Result<Response, CallError>,
    ) {
        let retry = self.attempts.max(1);
        if self.attempts >= self.policy.max_attempts {
            self.state = State::Finished(Some(last));
            return;
        }
        let delay = match retry_after {
            Some(wait) if wait > self.policy.max_retry_after => {
                self.state = State::Finished(Some(last));
                return;
            }
            Some(wait) => wait,
            None => {
                let base = self.policy.backoff(retry).as_secs_f64();
                let spread = self.policy.jitter.clamp(0.0, 1.0);
                let factor = 1.0 - spread + 2.0 * spread * self.jitter.next_unit();
                Duration::from_secs_f64((base * factor).max(0.0))
            }
        };
        let started = self.started.unwrap_or(now);
        if now.plus(delay).since(started) > self.policy.max_elapsed {
            self.state = State::Finished(Some(last));
            return;
        }
        tracing::debug!(
            operation = self.info.id,
            retry,
            delay_ms = delay.as_millis() as u64,
            "retrying"
        );
        self.state = State::SleepingUntil(now.plus(delay));
    }
}

fn auth_header(auth: &Auth) -> Option<String> {
    match auth {
        Auth::None => None,
        Auth::Bearer(token) => Some(format!("Bearer {}", token.expose())),
        Auth::Basic { username, password } => Some(format!(
            "Basic {}",
            crate::rt::base64(format!("{username}:{}", password.expose()).as_bytes())
        )),
    }
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date relative to `now`.
pub fn retry_after(response: &Response, now: Timestamp) -> Option<Duration> {
    let value = response.as_raw().header("retry-after")?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    Some(at.since(now))
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn parse_http_date(value: &str) -> Option<Timestamp> {
    let rest = value.split_once(", ").map_or(value, |(_, rest)| rest);
    let parts: Vec<&str> = rest.split_whitespace().collect();
    let [day, month, year, time, zone] = parts.as_slice() else { return None };
    if *zone != "GMT" {
        return None;
    }
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let mut hms = time.split(':').map(|p| p.parse::<i64>());
    let (h, m, s) = (hms.next()?.ok()?, hms.next()?.ok()?, hms.next()?.ok()?);
    // Bounds first, so that no field a server sends can overflow the arithmetic below.
    let in_range = (1..=31).contains(&day)
        && (0..=9999).contains(&year)
        && (0..=23).contains(&h)
        && (0..=59).contains(&m)
        && (0..=60).contains(&s);
    if !in_range || hms.next().is_some() {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s;
    u64::try_from(seconds).ok().map(Timestamp::from_unix_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::auth::Credentials;
    use crate::public_api::ops::{CreateJob, GetJob};
    use crate::{build_request, ClientConfig, Operation, Secret};

    fn t(secs: u64) -> Timestamp {
        Timestamp::from_unix_secs(secs)
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            headers: headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn no_jitter() -> RetryPolicy {
        RetryPolicy { jitter: 0.0, ..RetryPolicy::default() }
    }

    fn get_job_call(policy: RetryPolicy) -> (Call, TokenCache) {
        let config = ClientConfig::cloud();
        let request = build_request(&GetJob::new(7), &config, &Auth::None).unwrap();
        let tokens = TokenCache::new(Credentials::Bearer(Secret::new("tok")), &config).unwrap();
        (Call::new(request, GetJob::INFO, policy), tokens)
    }

    fn expect_send(action: CallAction) -> Request {
        match action {
            CallAction::Send(request) => request,
            other => panic!("expected a send, got {other:?}"),
        }
    }

    #[test]
    fn retries_5xx_with_exponential_backoff_then_gives_up() {
        let (mut call, tokens) = get_job_call(no_jitter());
        let request = expect_send(call.poll(&tokens, t(100)));
        assert_eq!(request.header("authorization"), Some("Bearer tok"));
        call.on_response(&tokens, response(503, &[], "down"), t(100));
        assert!(
            matches!(call.poll(&tokens, t(100)), CallAction::Sleep(d) if d == Duration::from_millis(500))
        );
        expect_send(call.poll(&tokens, t(101)));
        call.on_response(&tokens, response(502, &[], ""), t(101));
        assert!(
            matches!(call.poll(&tokens, t(101)), CallAction::Sleep(d) if d == Duration::from_secs(1))
        );
        expect_send(call.poll(&tokens, t(102)));
        call.on_response(&tokens, response(500, &[], ""), t(102));
        assert!(
            matches!(call.poll(&tokens, t(102)), CallAction::Sleep(d) if d == Duration::from_secs(2))
        );
        expect_send(call.poll(&tokens, t(104)));
        call.on_response(&tokens, response(500, &[], "last"), t(104));
        let CallAction::Done(Ok(last)) = call.poll(&tokens, t(104)) else {
            panic!("expected the last response")
        };
        assert_eq!((last.status, last.body.as_slice()), (500, &b"last"[..]));
        assert_eq!(call.attempts(), 4);
    }

    #[test]
    fn honours_retry_after_seconds_and_dates() {
        let (mut call, tokens) = get_job_call(no_jitter());
        expect_send(call.poll(&tokens, t(100)));
        call.on_response(&tokens, response(429, &[("Retry-After", "7")], ""), t(100));
        assert!(
            matches!(call.poll(&tokens, t(100)), CallAction::Sleep(d) if d == Duration::from_secs(7))
        );
        assert!(
            matches!(call.poll(&tokens, t(105)), CallAction::Sleep(d) if d == Duration::from_secs(2))
        );
        expect_send(call.poll(&tokens, t(107)));

        // 784111777 = Sun, 06 Nov 1994 08:49:37 GMT.
        let (mut call, tokens) = get_job_call(no_jitter());
        expect_send(call.poll(&tokens, t(784_111_770)));
        call.on_response(
            &tokens,
            response(503, &[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")], ""),
            t(784_111_770),
        );
        assert!(
            matches!(call.poll(&tokens, t(784_111_770)), CallAction::Sleep(d) if d == Duration::from_secs(7))
        );
    }

    #[test]
    fn a_retry_after_beyond_the_limit_ends_the_call() {
        let (mut call, tokens) = get_job_call(no_jitter());
        expect_send(call.poll(&tokens, t(100)));
        call.on_response(&tokens, response(503, &[("retry-after", "3600")], ""), t(100));
        assert!(matches!(call.poll(&tokens, t(100)), CallAction::Done(Ok(r)) if r.status == 503));
    }

    #[test]
    fn starting_a_sync_is_not_repeated_on_5xx_or_broken_connections() {
        let config = ClientConfig::cloud();
        let body = crate::public_api::models::JobCreateRequest::new(
            uuid::Uuid::nil(),
            crate::public_api::models::JobTypeEnum::Sync,
        );
        let request = build_request(&CreateJob::new(body), &config, &Auth::None).unwrap();
        let tokens = TokenCache::new(Credentials::None, &config).unwrap();
        let mut call = Call::new(request.clone(), CreateJob::INFO, no_jitter());
        expect_send(call.poll(&tokens, t(1)));
        call.on_response(&tokens, response(502, &[], ""), t(1));
        assert!(matches!(call.poll(&tokens, t(1)), CallAction::Done(Ok(r)) if r.status == 502));

        let mut call = Call::new(request.clone(), CreateJob::INFO, no_jitter());
        expect_send(call.poll(&tokens, t(1)));
        call.on_transport_error(
            &tokens,
            TransportError::new(TransportErrorKind::Io, "reset"),
            t(1),
        );
        assert!(matches!(
            call.poll(&tokens, t(1)),
            CallAction::Done(Err(CallError::Transport { .. }))
        ));

        // A refused connection means nothing was sent: retried even for a sync.
        let mut call = Call::new(request.clone(), CreateJob::INFO, no_jitter());
        expect_send(call.poll(&tokens, t(1)));
        call.on_transport_error(
            &tokens,
            TransportError::new(TransportErrorKind::Connect, "refused"),
            t(1),
        );
        assert!(matches!(call.poll(&tokens, t(1)), CallAction::Sleep(_)));

        // 429 says the request was not processed: retried.
        let mut call = Call::new(request, CreateJob::INFO, no_jitter());
        expect_send(call.poll(&tokens, t(1)));
        call.on_response(&tokens, response(429, &[], ""), t(1));
        assert!(matches!(call.poll(&tokens, t(1)), CallAction::Sleep(_)));
    }

    #[test]
    fn elapsed_time_bounds_the_retries() {
        let policy =
            RetryPolicy { max_attempts: 100, max_elapsed: Duration::from_secs(3), ..no_jitter() };
        let (mut call, tokens) = get_job_call(policy);
        expect_send(call.poll(&tokens, t(10)));
        call.on_response(&tokens, response(500, &[], ""), t(10));
        assert!(matches!(call.poll(&tokens, t(10)), CallAction::Sleep(_)));
        expect_send(call.poll(&tokens, t(11)));
        call.on_response(&tokens, response(500, &[], ""), t(12));
        // The next wait (1 s) would start a retry at 13 s = 3 s after the start: allowed.
        assert!(matches!(call.poll(&tokens, t(12)), CallAction::Sleep(_)));
        expect_send(call.poll(&tokens, t(13)));
        call.on_response(&tokens, response(500, &[], ""), t(13));
        // The next (2 s) would start at 15 s: beyond the bound.
        assert!(matches!(call.poll(&tokens, t(13)), CallAction::Done(Ok(r)) if r.status == 500));
    }

    #[test]
    fn jitter_stays_within_its_spread() {
        for seed in 0..50u64 {
            let (mut call, tokens) = get_job_call(RetryPolicy::default());
            expect_send(call.poll(&tokens, t(seed)));
            call.on_response(&tokens, response(503, &[], ""), t(seed));
            let CallAction::Sleep(d) = call.poll(&tokens, t(seed)) else { panic!() };
            assert!(d >= Duration::from_millis(400) && d <= Duration::from_millis(600), "{d:?}");
        }
    }

    #[test]
    fn a_401_refreshes_the_token_and_replays_once_then_fails() {
        let config = ClientConfig::cloud();
        let request = build_request(&GetJob::new(7), &config, &Auth::None).unwrap();
        let credentials = Credentials::ClientCredentials {
            client_id: "id".into(),
            client_secret: Secret::new("secret"),
            token_url: None,
        };
        let tokens = TokenCache::new(credentials, &config).unwrap();
        let mut call = Call::new(request, GetJob::INFO, no_jitter());

        let token_request = expect_send(call.poll(&tokens, t(1)));
        assert_eq!(token_request.url, "https://api.airbyte.com/v1/applications/token");
        call.on_response(
            &tokens,
            response(200, &[], r#"{"access_token":"one","expires_in":900}"#),
            t(1),
        );
        let first = expect_send(call.poll(&tokens, t(1)));
        assert_eq!(first.header("authorization"), Some("Bearer one"));
        call.on_response(&tokens, response(401, &[], r#"{"message":"Unauthorized"}"#), t(2));

        let refetch = expect_send(call.poll(&tokens, t(2)));
        assert_eq!(refetch.operation, "createAccessToken");
        call.on_response(
            &tokens,
            response(200, &[], r#"{"access_token":"two","expires_in":900}"#),
            t(2),
        );
        let replay = expect_send(call.poll(&tokens, t(2)));
        assert_eq!(replay.header("authorization"), Some("Bearer two"));
        call.on_response(&tokens, response(401, &[], r#"{"message":"Unauthorized"}"#), t(3));
        let CallAction::Done(Err(CallError::Auth(AuthError::Unauthorized(error)))) =
            call.poll(&tokens, t(3))
        else {
            panic!("expected an authentication error")
        };
        assert_eq!(error.status, 401);
        assert_eq!(error.message, "Unauthorized");
    }

    #[test]
    fn a_rejected_token_request_is_an_auth_error_without_the_secret() {
        let config = ClientConfig::cloud();
        let request = build_request(&GetJob::new(7), &config, &Auth::None).unwrap();
        let credentials = Credentials::ClientCredentials {
            client_id: "id".into(),
            client_secret: Secret::new("very-secret"),
            token_url: None,
        };
        let tokens = TokenCache::new(credentials, &config).unwrap();
        let mut call = Call::new(request, GetJob::INFO, no_jitter());
        expect_send(call.poll(&tokens, t(1)));
        call.on_response(&tokens, response(401, &[], r#"{"errorId":"x"}"#), t(1));
        let CallAction::Done(Err(error)) = call.poll(&tokens, t(1)) else { panic!() };
        assert!(matches!(error, CallError::Auth(AuthError::TokenRequestFailed(_))));
        assert!(!format!("{error} {error:?}").contains("very-secret"));
    }

    #[test]
    fn http_dates_parse() {
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t(784_111_777)));
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(t(0)));
        assert_eq!(parse_http_date("Sat, 29 Feb 2020 12:00:00 GMT"), Some(t(1_582_977_600)));
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 PST"), None);
        assert_eq!(parse_http_date("Thu, 01 Jan 99999999999999999 00:00:00 GMT"), None);
        assert_eq!(parse_http_date("Thu, 99999999999999999 Jan 1970 00:00:00 GMT"), None);
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 9999999999999999:00:00 GMT"), None);
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00:00 GMT"), None);
        assert_eq!(parse_http_date("Wed, 31 Dec 1969 23:59:59 GMT"), None);
    }
}
