//! The flows (token refresh, retries, pages, job runs) driven through `Task` against a
//! simulated server and a simulated clock: no test sleeps, no socket is opened.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::Duration;

use airbyte_core::flow::jobs::{JobKind, JobOutcome, WaitSettings};
use airbyte_core::flow::task::{Engine, Step, Task, TaskOutput};
use airbyte_core::flow::ClientError;
use airbyte_core::{
    Api, Auth, ClientConfig, Credentials, Request, Response, RetryPolicy, Secret, Timestamp,
    TransportError, TransportErrorKind,
};
use serde_json::{json, Value};

/// What a test saw while driving a task.
#[derive(Debug, Default)]
struct Trace {
    requests: Vec<String>,
    sleeps: Vec<Duration>,
    progress: Vec<(String, Option<i64>)>,
    pages: Vec<usize>,
}

fn json_response(status: u16, body: Value) -> Result<Response, TransportError> {
    Ok(Response {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_string().into_bytes(),
    })
}

fn body_of(request: &Request) -> Value {
    request.body.as_deref().map_or(Value::Null, |b| serde_json::from_slice(b).unwrap())
}

/// Runs `task` to its end; the clock starts at 1,000,000 s and moves only by the sleeps.
fn drive(
    task: &mut Task,
    mut server: impl FnMut(&Request, Timestamp) -> Result<Response, TransportError>,
) -> (Result<TaskOutput, ClientError>, Trace) {
    let mut now = Timestamp::from_unix_secs(1_000_000);
    let mut trace = Trace::default();
    for _ in 0..10_000 {
        match task.poll(now) {
            Step::Send { request, .. } => {
                trace.requests.push(format!("{} {}", request.method.as_str(), request.url));
                match server(&request, now) {
                    Ok(response) => task.on_response(response, now),
                    Err(error) => task.on_transport_error(error, now),
                }
            }
            Step::Sleep(duration) => {
                trace.sleeps.push(duration);
                now = now.plus(duration);
            }
            Step::Progress(progress) => {
                trace.progress.push((progress.status, progress.rows_synced))
            }
            Step::Page(items) => trace.pages.push(items.len()),
            Step::Done(result) => return (result, trace),
        }
    }
    panic!("the task did not end");
}

fn engine(credentials: Credentials) -> Engine {
    let config = ClientConfig::self_managed("http://localhost:8000").unwrap();
    Engine::new(config, credentials)
        .unwrap()
        .with_retry(RetryPolicy { jitter: 0.0, ..RetryPolicy::default() })
}

fn bearer() -> Credentials {
    Credentials::Bearer(Secret::new("t"))
}

fn settings(poll_secs: u64, deadline_secs: u64) -> WaitSettings {
    WaitSettings {
        poll_interval: Duration::from_secs(poll_secs),
        request_timeout: Duration::from_secs(10),
        deadline: Some(Duration::from_secs(deadline_secs)),
        cancel_on_deadline: true,
    }
}

const CONNECTION: &str = "11111111-1111-4111-8111-111111111111";

fn public_job(id: i64, status: &str, rows: i64) -> Value {
    json!({"jobId": id, "status": status, "jobType": "sync", "startTime": "2026-12-04T10:00:00Z",
        "connectionId": CONNECTION, "rowsSynced": rows, "bytesSynced": rows * 100})
}

#[test]
fn public_sync_waits_through_every_non_terminal_status_and_reports_progress() {
    let statuses =
        ["queued", "running", "running", "incomplete", "paused-by-operator", "succeeded"];
    let mut polls = 0;
    let mut task =
        engine(bearer()).run_job(Api::Public, CONNECTION, JobKind::Sync, false, settings(5, 3600));
    let (result, trace) =
        drive(&mut task, |request, _| match (request.method.as_str(), request.url.as_str()) {
            ("POST", "http://localhost:8000/api/public/v1/jobs") => {
                assert_eq!(
                    body_of(request),
                    json!({"connectionId": CONNECTION, "jobType": "sync"})
                );
                json_response(200, public_job(42, "pending", 0))
            }
            ("GET", "http://localhost:8000/api/public/v1/jobs/42") => {
                polls += 1;
                json_response(200, public_job(42, statuses[polls - 1], polls as i64 * 10))
            }
            other => panic!("unexpected {other:?}"),
        });
    let Ok(TaskOutput::Job(report)) = result else { panic!("{result:?}") };
    assert_eq!(report.outcome, JobOutcome::Succeeded);
    assert_eq!(report.progress.job_id, 42);
    assert_eq!(report.progress.rows_synced, Some(60));
    assert_eq!(report.progress.bytes_synced, Some(6000));
    assert!(!report.cancel_requested);
    assert_eq!(report.elapsed_ms, 30_000);
    assert_eq!(trace.sleeps, vec![Duration::from_secs(5); 6]);
    let statuses_seen: Vec<&str> = trace.progress.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        statuses_seen,
        [
            "pending",
            "queued",
            "running",
            "running",
            "incomplete",
            "paused-by-operator",
            "succeeded"
        ]
    );
}

#[test]
fn config_api_failure_carries_the_failure_summary() {
    let mut task =
        engine(bearer()).run_job(Api::Config, CONNECTION, JobKind::Sync, false, settings(2, 600));
    let job = |status: &str| {
        json!({"id": 7, "configType": "sync", "configId": CONNECTION, "createdAt": 1,
        "updatedAt": 2, "status": status, "aggregatedStats": {"recordsEmitted": 5, "bytesEmitted": 50,
        "recordsCommitted": 4, "bytesCommitted": 40, "recordsRejected": 0}})
    };
    let (result, trace) = drive(&mut task, |request, _| match request.url.as_str() {
        "http://localhost:8000/api/v1/connections/sync" => {
            json_response(200, json!({"job": job("running"), "attempts": []}))
        }
        "http://localhost:8000/api/v1/jobs/get_light" => {
            json_response(200, json!({"job": job("failed")}))
        }
        "http://localhost:8000/api/v1/jobs/get_without_logs" => json_response(
            200,
            json!({"job": job("failed"), "attempts": [{"attempt": {"id": 1, "status": "failed", "createdAt": 1,
                "updatedAt": 2, "failureSummary": {"failures": [{"timestamp": 3, "failureOrigin": "source",
                "failureType": "config_error", "externalMessage": "Invalid API key"}]}}}]}),
        ),
        other => panic!("unexpected {other}"),
    });
    let Ok(TaskOutput::Job(report)) = result else { panic!("{result:?}") };
    assert_eq!(report.outcome, JobOutcome::Failed);
    assert_eq!(report.failure_summary.as_deref(), Some("Invalid API key (config_error, source)"));
    assert_eq!(report.progress.rows_synced, Some(4));
    assert_eq!(trace.requests.len(), 3);
}

#[test]
fn the_deadline_cancels_the_job_on_the_server() {
    let mut task =
        engine(bearer()).run_job(Api::Public, CONNECTION, JobKind::Sync, false, settings(10, 25));
    let (result, trace) = drive(&mut task, |request, _| match request.method.as_str() {
        "POST" => json_response(200, public_job(5, "pending", 0)),
        "GET" => json_response(200, public_job(5, "running", 1)),
        "DELETE" => json_response(200, public_job(5, "cancelled", 1)),
        other => panic!("unexpected {other}"),
    });
    let Ok(TaskOutput::Job(report)) = result else { panic!("{result:?}") };
    assert_eq!(report.outcome, JobOutcome::TimedOut);
    assert!(report.cancel_requested);
    assert_eq!(report.elapsed_ms, 25_000);
    assert_eq!(
        trace.requests.last().map(String::as_str),
        Some("DELETE http://localhost:8000/api/public/v1/jobs/5")
    );
    // Polls at 10 s and 20 s, then a short sleep to the deadline.
    assert_eq!(trace.sleeps, [10, 10, 5].map(Duration::from_secs));
}

#[test]
fn a_cancel_that_races_with_the_end_reports_the_end() {
    let mut task =
        engine(bearer()).run_job(Api::Public, CONNECTION, JobKind::Sync, false, settings(10, 10));
    let mut cancelled = false;
    let (result, trace) = drive(&mut task, |request, _| match request.method.as_str() {
        "POST" => json_response(200, public_job(5, "running", 0)),
        "DELETE" => {
            cancelled = true;
            json_response(
                409,
                json!({"type": "https://reference.airbyte.com/reference/errors#409-state-conflict",
                "title": "state-conflict", "status": 409, "detail": "Job is not currently running"}),
            )
        }
        "GET" if cancelled => json_response(200, public_job(5, "succeeded", 99)),
        "GET" => json_response(200, public_job(5, "running", 1)),
        other => panic!("unexpected {other}"),
    });
    let Ok(TaskOutput::Job(report)) = result else { panic!("{result:?}") };
    assert_eq!(report.outcome, JobOutcome::Succeeded);
    assert_eq!(report.progress.rows_synced, Some(99));
    // The deadline came at the first poll: cancel, refused, then one read of the end.
    assert_eq!(trace.requests.len(), 3, "{:?}", trace.requests);
}

fn already_running() -> Result<Response, TransportError> {
    json_response(
        409,
        json!({"type": "https://reference.airbyte.com/reference/errors#409-try-again-later",
        "title": "try-again-later", "status": 409,
        "detail": format!("A sync is already running for: {CONNECTION}")}),
    )
}

#[test]
fn a_second_sync_is_a_typed_error() {
    let mut task =
        engine(bearer()).run_job(Api::Public, CONNECTION, JobKind::Sync, false, settings(5, 60));
    let (result, trace) = drive(&mut task, |_, _| already_running());
    let Err(ClientError::AlreadyRunning(error)) = result else { panic!("{result:?}") };
    assert_eq!(error.connection_id, CONNECTION);
    assert_eq!(
        error.to_string(),
        format!("a job is already running for connection {CONNECTION}: A sync is already running for: {CONNECTION}")
    );
    assert_eq!(trace.requests.len(), 1, "starting a sync is not repeated");
}

#[test]
fn attach_waits_for_the_running_job_instead() {
    let mut task =
        engine(bearer()).run_job(Api::Public, CONNECTION, JobKind::Sync, true, settings(5, 60));
    let (result, trace) = drive(&mut task, |request, _| {
        match (request.method.as_str(), request.url.as_str()) {
            ("POST", _) => already_running(),
            ("GET", url) if url.starts_with("http://localhost:8000/api/public/v1/jobs?") => {
                json_response(
                    200,
                    json!({"data": [public_job(9, "running", 3), public_job(8, "succeeded", 1)], "next": "", "previous": ""}),
                )
            }
            ("GET", "http://localhost:8000/api/public/v1/jobs/9") => {
                json_response(200, public_job(9, "succeeded", 7))
            }
            other => panic!("unexpected {other:?}"),
        }
    });
    let Ok(TaskOutput::Job(report)) = result else { panic!("{result:?}") };
    assert!(report.attached);
    assert_eq!((report.outcome, report.progress.job_id), (JobOutcome::Succeeded, 9));
    assert_eq!(
        trace.requests[1],
        format!(
            "GET http://localhost:8000/api/public/v1/jobs?connectionId={CONNECTION}&limit=5&orderBy=createdAt%7CDESC"
        )
    );
}

#[test]
fn the_caller_can_cancel_a_waiting_job() {
    let mut task = engine(bearer()).wait_job(Api::Config, 3, settings(5, 600));
    let mut now = Timestamp::from_unix_secs(1);
    let mut sent = Vec::new();
    let mut cancelled_at_poll = false;
    let result = loop {
        match task.poll(now) {
            Step::Send { request, .. } => {
                sent.push(request.url.clone());
                let job = json!({"job": {"id": 3, "configType": "sync", "configId": "c", "createdAt": 1,
                    "updatedAt": 1, "status": if request.url.ends_with("/cancel") { "cancelled" } else { "running" }}});
                let body = if request.url.ends_with("/cancel") {
                    json!({"job": job["job"], "attempts": []})
                } else {
                    job
                };
                task.on_response(
                    Response { status: 200, headers: vec![], body: body.to_string().into_bytes() },
                    now,
                );
                if !cancelled_at_poll {
                    task.cancel();
                    cancelled_at_poll = true;
                }
            }
            Step::Sleep(d) => now = now.plus(d),
            Step::Progress(_) | Step::Page(_) => {}
            Step::Done(result) => break result,
        }
    };
    let Ok(TaskOutput::Job(report)) = result else { panic!("{result:?}") };
    assert_eq!(report.outcome, JobOutcome::Cancelled);
    assert!(report.cancel_requested);
    assert_eq!(
        sent,
        ["http://localhost:8000/api/v1/jobs/get_light", "http://localhost:8000/api/v1/jobs/cancel"]
    );
}

#[test]
fn transient_poll_failures_keep_the_wait_going() {
    let engine = engine(bearer()).with_retry(RetryPolicy::none());
    let mut task = engine.wait_job(Api::Public, 4, settings(5, 600));
    let mut polls = 0;
    let (result, _) = drive(&mut task, |_, _| {
        polls += 1;
        match polls {
            1 => Err(TransportError::new(TransportErrorKind::Timeout, "read timed out")),
            2 => Ok(Response {
                status: 502,
                headers: vec![],
                body: b"<html>bad gateway</html>".to_vec(),
            }),
            _ => json_response(200, public_job(4, "succeeded", 1)),
        }
    });
    assert!(
        matches!(result, Ok(TaskOutput::Job(ref r)) if r.outcome == JobOutcome::Succeeded),
        "{result:?}"
    );
    assert_eq!(polls, 3);
}

#[test]
fn a_client_error_while_polling_ends_the_wait() {
    let mut task = engine(bearer()).wait_job(Api::Public, 4, settings(5, 600));
    let (result, _) = drive(&mut task, |_, _| {
        json_response(
            404,
            json!({"type": "error:resource-not-found", "title": "resource-not-found",
            "status": 404, "detail": "job 4 not found"}),
        )
    });
    let Err(ClientError::Response(error)) = result else { panic!("{result:?}") };
    assert_eq!(
        error.to_string(),
        "getJob: HTTP 404: job 4 not found (problem error:resource-not-found)"
    );
}

#[test]
fn pages_keep_filters_and_stay_on_the_configured_origin() {
    let engine = engine(bearer());
    let input = json!({"connectionId": CONNECTION, "status": "succeeded"});
    let mut task = engine.pages(Api::Public, "listJobs", input, Some(2)).unwrap();
    let mut seen_auth = Vec::new();
    let (result, trace) = drive(&mut task, |request, _| {
        seen_auth.push(request.header("authorization").map(str::to_owned));
        let offset: i64 = request
            .url
            .split("offset=")
            .nth(1)
            .map_or(0, |o| o.split('&').next().unwrap().parse().unwrap());
        let items: Vec<Value> =
            (offset..(offset + 2).min(5)).map(|i| public_job(i, "succeeded", i)).collect();
        let next = if items.is_empty() {
            String::new()
        } else {
            format!("https://other-host.example/api/public/v1/jobs?limit=2&offset={}", offset + 2)
        };
        json_response(200, json!({"data": items, "next": next, "previous": ""}))
    });
    assert!(matches!(result, Ok(TaskOutput::Pages)), "{result:?}");
    // The empty page that ends the walk is not handed out.
    assert_eq!(trace.pages, [2, 2, 1]);
    let url = |offset: &str| {
        format!("GET http://localhost:8000/api/public/v1/jobs?connectionId={CONNECTION}&limit=2{offset}&status=succeeded")
    };
    assert_eq!(trace.requests, [url(""), url("&offset=2"), url("&offset=4"), url("&offset=6")]);
    assert!(seen_auth.iter().all(|a| a.as_deref() == Some("Bearer t")));
}

#[test]
fn concurrent_tasks_share_one_token_refresh() {
    let credentials = Credentials::ClientCredentials {
        client_id: "id".into(),
        client_secret: Secret::new("secret"),
        token_url: None,
    };
    let engine = engine(credentials);
    let input = json!({"jobId": 1});
    let mut first = engine.call(Api::Public, "getJob", &input).unwrap();
    let mut second = engine.call(Api::Public, "getJob", &input).unwrap();
    let now = Timestamp::from_unix_secs(100);

    let Step::Send { request: token_request, .. } = first.poll(now) else { panic!() };
    assert_eq!(token_request.url, "http://localhost:8000/api/public/v1/applications/token");
    assert!(
        matches!(second.poll(now), Step::Sleep(_)),
        "the second caller waits for the first's fetch"
    );
    first.on_response(
        Response {
            status: 200,
            headers: vec![],
            body: br#"{"access_token":"shared","expires_in":600}"#.to_vec(),
        },
        now,
    );
    for task in [&mut first, &mut second] {
        let Step::Send { request, .. } = task.poll(now) else { panic!() };
        assert_eq!(request.header("authorization"), Some("Bearer shared"));
        assert_eq!(request.url, "http://localhost:8000/api/public/v1/jobs/1");
    }
}

#[test]
fn an_unknown_operation_is_a_typed_error() {
    let err = engine(bearer()).call(Api::Public, "getJobz", &json!({})).unwrap_err();
    assert_eq!(err.to_string(), "the public Airbyte API has no operation `getJobz`");
    let err = engine(bearer()).call(Api::Public, "getJob", &json!({"jobID": 1})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "getJob: invalid input at `jobID`: unknown field `jobID`, expected `jobId`"
    );
}

#[test]
fn a_body_over_the_limit_is_a_transport_error_and_not_retried() {
    let engine = engine(bearer()).with_max_body_bytes(16);
    let mut task = engine.call(Api::Public, "getJob", &json!({"jobId": 1})).unwrap();
    let mut sent = 0;
    let (result, _) = drive(&mut task, |_, _| {
        sent += 1;
        json_response(200, public_job(1, "running", 0))
    });
    let Err(ClientError::Call(airbyte_core::CallError::Transport { error, .. })) = result else {
        panic!("{result:?}")
    };
    assert_eq!(error.kind, TransportErrorKind::BodyTooLarge);
    assert!(error.message.starts_with("the response body has "), "{}", error.message);
    assert!(error.message.ends_with("bytes, more than the limit of 16"), "{}", error.message);
    assert_eq!(sent, 1);
}

#[test]
fn job_requests_carry_the_wait_settings_request_timeout() {
    let mut wait = settings(5, 60);
    wait.request_timeout = Duration::from_secs(7);
    let mut task = engine(bearer()).wait_job(Api::Public, 3, wait);
    let Step::Send { timeout, .. } = task.poll(Timestamp::from_unix_secs(1)) else { panic!() };
    assert_eq!(timeout, Some(Duration::from_secs(7)));
    let mut call = engine(bearer()).call(Api::Public, "getJob", &json!({"jobId": 3})).unwrap();
    let Step::Send { timeout, .. } = call.poll(Timestamp::from_unix_secs(1)) else { panic!() };
    assert_eq!(timeout, Some(Duration::from_secs(30)), "other calls use the engine's");
}

fn client_credentials() -> Credentials {
    Credentials::ClientCredentials {
        client_id: "id".into(),
        client_secret: Secret::new("secret"),
        token_url: None,
    }
}

#[test]
fn access_token_fetches_once_with_retries_then_serves_the_cache() {
    let shared = engine(client_credentials());
    let fetches = std::cell::Cell::new(0);
    let server = |request: &Request, _: Timestamp| {
        assert_eq!(request.url, "http://localhost:8000/api/public/v1/applications/token");
        assert_eq!(request.header("authorization"), None);
        fetches.set(fetches.get() + 1);
        if fetches.get() == 1 {
            json_response(503, json!({"message": "busy"}))
        } else {
            json_response(200, json!({"access_token": "tok-1", "expires_in": 600}))
        }
    };
    let (result, trace) = drive(&mut shared.access_token(), server);
    let Ok(TaskOutput::Auth(Auth::Bearer(token))) = result else { panic!("{result:?}") };
    assert_eq!(token.expose(), "tok-1");
    assert_eq!(trace.sleeps, [Duration::from_millis(500)]);
    assert_eq!((trace.requests.len(), fetches.get()), (2, 2));

    // The second time the token comes from the cache, without a request.
    let (result, trace) = drive(&mut shared.access_token(), server);
    assert!(matches!(result, Ok(TaskOutput::Auth(Auth::Bearer(ref t))) if t.expose() == "tok-1"));
    assert!(trace.requests.is_empty());

    // Static credentials need no request at all.
    let (result, _) = drive(&mut engine(bearer()).access_token(), |_, _| panic!("no request"));
    assert!(matches!(result, Ok(TaskOutput::Auth(Auth::Bearer(ref t))) if t.expose() == "t"));
    let (result, _) =
        drive(&mut engine(Credentials::None).access_token(), |_, _| panic!("no request"));
    assert!(matches!(result, Ok(TaskOutput::Auth(Auth::None))), "{result:?}");
}

#[test]
fn refused_credentials_end_the_access_token_task_with_an_auth_error() {
    let engine = engine(client_credentials());
    let (result, trace) =
        drive(&mut engine.access_token(), |_, _| json_response(401, json!({"errorId": "e-9"})));
    assert_eq!(trace.requests.len(), 1, "a 401 from the token endpoint is not retried");
    let Err(error) = result else { panic!("{result:?}") };
    assert_eq!(
        error.to_string(),
        "the token request failed: createAccessToken: HTTP 401: the server gave no message (errorId e-9)"
    );
    assert!(!error.to_string().contains("secret"));
}

#[test]
fn cancelling_interrupts_a_status_poll_and_cancels_the_job_at_once() {
    let mut task = engine(bearer()).wait_job(Api::Public, 7, settings(5, 600));
    let now = Timestamp::from_unix_secs(10);
    let Step::Send { request, .. } = task.poll(now) else { panic!() };
    assert_eq!(request.url, "http://localhost:8000/api/public/v1/jobs/7");
    assert!(task.awaiting_response());

    // The caller cancels while the status request is out: its answer is no longer wanted.
    task.cancel();
    assert!(!task.awaiting_response());
    task.on_transport_error(TransportError::new(TransportErrorKind::Other, "aborted"), now);
    let Step::Send { request, .. } = task.poll(now) else { panic!("expected the cancel") };
    assert_eq!(
        (request.method.as_str(), request.url.as_str()),
        ("DELETE", "http://localhost:8000/api/public/v1/jobs/7")
    );
    task.on_response(json_response(200, public_job(7, "cancelled", 3)).unwrap(), now);
    let step = task.poll(now);
    let Step::Progress(progress) = step else { panic!("{step:?}") };
    assert_eq!(progress.status, "cancelled");
    let Step::Done(Ok(TaskOutput::Job(report))) = task.poll(now) else { panic!() };
    assert_eq!((report.outcome, report.cancel_requested), (JobOutcome::Cancelled, true));
}

#[test]
fn cancelling_never_interrupts_the_start_of_a_job() {
    let mut task =
        engine(bearer()).run_job(Api::Public, CONNECTION, JobKind::Sync, false, settings(5, 600));
    let now = Timestamp::from_unix_secs(10);
    let Step::Send { request, .. } = task.poll(now) else { panic!() };
    assert_eq!(request.method.as_str(), "POST");
    task.cancel();
    assert!(task.awaiting_response(), "the job id in the answer is needed to cancel the job");
    task.on_response(json_response(200, public_job(12, "pending", 0)).unwrap(), now);
    let mut sent = Vec::new();
    let result = loop {
        match task.poll(now) {
            Step::Send { request, .. } => {
                sent.push(format!("{} {}", request.method.as_str(), request.url));
                task.on_response(json_response(200, public_job(12, "cancelled", 0)).unwrap(), now);
            }
            Step::Done(result) => break result,
            _ => {}
        }
    };
    assert_eq!(sent, ["DELETE http://localhost:8000/api/public/v1/jobs/12"]);
    assert!(matches!(result, Ok(TaskOutput::Job(ref r)) if r.outcome == JobOutcome::Cancelled));
}

#[test]
fn a_cancelled_token_fetch_lets_the_next_caller_fetch_at_once() {
    let engine = engine(client_credentials());
    let now = Timestamp::from_unix_secs(100);
    let mut first = engine.call(Api::Public, "getJob", &json!({"jobId": 1})).unwrap();
    let Step::Send { request, .. } = first.poll(now) else { panic!() };
    assert!(request.url.ends_with("/applications/token"));
    first.cancel();
    assert!(!first.awaiting_response());
    let mut second = engine.call(Api::Public, "getJob", &json!({"jobId": 2})).unwrap();
    let step = second.poll(now);
    assert!(
        matches!(&step, Step::Send { request, .. } if request.url.ends_with("/applications/token")),
        "{step:?}"
    );
    let Step::Done(Err(error)) = first.poll(now) else { panic!() };
    assert_eq!(error.to_string(), "getJob: cancelled by the caller");
}

#[test]
fn a_job_cancelled_before_it_starts_is_never_started() {
    let mut task =
        engine(bearer()).run_job(Api::Public, CONNECTION, JobKind::Sync, false, settings(5, 600));
    task.cancel();
    let (result, trace) = drive(&mut task, |request, _| panic!("sent {}", request.url));
    assert!(trace.requests.is_empty());
    let Err(error) = result else { panic!("{result:?}") };
    assert_eq!(error.to_string(), "start a job: cancelled by the caller");
}
