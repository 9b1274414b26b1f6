//! Fault injection, the request log and reset, through the Rust API and over HTTP.

mod common;

use std::time::{Duration, Instant};

use airbyte_core::public_api::{models, ops};
use airbyte_core::ErrorBody;
use airbyte_standin::{ids, Fault, FaultKind};
use common::*;
use serde_json::json;

#[test]
fn status_faults_apply_the_given_number_of_times_with_retry_after() {
    let standin = start();
    let auth = bearer(&standin);
    standin.add_faults([Fault::once(FaultKind::Status {
        status: 503,
        body: None,
        content_type: None,
        retry_after: Some("2".to_owned()),
    })
    .on_path("/api/public/v1/jobs")
    .times(2)]);
    for _ in 0..2 {
        let error = call(&standin, &ops::GetJob::new(1), &auth).unwrap_err();
        let api = error.as_api().unwrap();
        assert_eq!(api.status, 503);
        assert_eq!(api.header("retry-after"), Some("2"));
    }
    assert!(call(&standin, &ops::GetJob::new(1), &auth).is_ok());
    assert!(standin.faults().is_empty());

    // A custom text body keeps its content type.
    standin.add_faults([Fault::once(FaultKind::Status {
        status: 429,
        body: Some("slow down".to_owned()),
        content_type: None,
        retry_after: None,
    })]);
    let error = call(&standin, &ops::GetJob::new(1), &auth).unwrap_err();
    assert_eq!(error.status(), 429);
    assert!(
        matches!(&error.as_api().unwrap().kind, ErrorBody::Text { snippet } if snippet == "slow down")
    );
}

#[test]
fn html_faults_look_like_a_proxy_page() {
    let standin = start();
    let auth = bearer(&standin);
    standin.add_faults([Fault::once(FaultKind::Html(502)).on_method("POST")]);
    // A GET does not match the POST-only fault.
    assert!(call(&standin, &ops::GetJob::new(1), &auth).is_ok());
    let body = models::JobCreateRequest::new(ids::CONNECTION_OK, models::JobTypeEnum::Sync);
    let error = call(&standin, &ops::CreateJob::new(body), &auth).unwrap_err();
    let api = error.as_api().unwrap();
    assert_eq!(api.status, 502);
    assert!(
        matches!(&api.kind, ErrorBody::Html { title: Some(t), .. } if t == "502 Bad Gateway"),
        "{:?}",
        api.kind
    );
    assert_eq!(api.header("content-type"), Some("text/html"));
}

#[test]
fn delay_faults_hold_the_answer() {
    let standin = start();
    let auth = bearer(&standin);
    standin.add_faults([Fault::once(FaultKind::Delay(300))]);
    let started = Instant::now();
    assert!(call(&standin, &ops::GetJob::new(1), &auth).is_ok());
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    assert!(call(&standin, &ops::GetJob::new(1), &auth).is_ok());
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[test]
fn expire_tokens_faults_make_the_request_unauthorized() {
    let standin = start();
    let auth = bearer(&standin);
    standin.add_faults([Fault::once(FaultKind::ExpireTokens)]);
    let error = call(&standin, &ops::GetJob::new(1), &auth).unwrap_err();
    assert_eq!(error.status(), 401);
    assert!(matches!(error.as_api().unwrap().kind, ErrorBody::AuthLayer { .. }));
    // A new token works: the client's refresh path.
    assert!(call(&standin, &ops::GetJob::new(1), &bearer(&standin)).is_ok());
}

#[test]
fn close_connection_faults_answer_nothing() {
    let standin = start();
    let token = token(&standin);
    standin.add_faults([Fault::once(FaultKind::CloseConnection)]);
    let url = format!("{}/jobs/1", standin.public_root());
    let auth = format!("Bearer {token}");
    let result = try_send("GET", &url, &[("Authorization", &auth)], None);
    assert!(result.is_err(), "expected a transport error, got {result:?}");
    assert_eq!(get(&url, &token).status, 200);
}

#[test]
fn faults_over_http_and_their_errors() {
    let standin = start();
    let token = token(&standin);
    let faults = json!([
        {"match": {"method": "get", "path_prefix": "/api/v1/"}, "times": 1, "kind": {"status": 500}},
        {"kind": {"html": 504}}
    ]);
    let reply = control(&standin, "POST", "/_standin/faults", Some(&faults));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["faults"].as_array().unwrap().len(), 2);
    // The first fault matches only GETs under /api/v1/, so the next request takes the second.
    assert_eq!(get(&format!("{}/workspaces", standin.public_root()), &token).status, 504);
    let health = send("GET", &format!("{}/health", standin.config_root()), &[], None);
    assert_eq!(health.status, 500);
    assert_eq!(health.json()["message"], "HTTP 500 injected by airbyte-standin");
    assert_eq!(control(&standin, "GET", "/_standin/faults", None).json()["faults"], json!([]));

    // A mistake names itself.
    let bad = control(
        &standin,
        "POST",
        "/_standin/faults",
        Some(&json!([{"kind": {"status": 503}}, {"kind": {"delay": 5}}])),
    );
    assert_eq!(bad.status, 400);
    let message = bad.json()["message"].as_str().unwrap().to_owned();
    assert!(message.starts_with("fault 1:"), "{message}");
    assert!(standin.faults().is_empty(), "nothing is added when one fault is wrong");

    control(
        &standin,
        "POST",
        "/_standin/faults",
        Some(&json!({"kind": {"close_connection": true}, "times": 3})),
    );
    assert_eq!(standin.faults()[0].times, 3);
    assert_eq!(control(&standin, "DELETE", "/_standin/faults", None).status, 200);
    assert!(standin.faults().is_empty());
    assert_eq!(control(&standin, "GET", "/_standin/nope", None).status, 404);
}

#[test]
fn the_request_log_shows_what_clients_sent_without_secrets() {
    let standin = start();
    let auth = bearer(&standin);
    let body = models::JobCreateRequest::new(ids::CONNECTION_OK, models::JobTypeEnum::Sync);
    let job = call(&standin, &ops::CreateJob::new(body), &auth).unwrap();
    standin.add_faults([Fault::once(FaultKind::Html(502))]);
    let _ = call(&standin, &ops::GetJob::new(job.job_id), &auth);

    let log = standin.requests();
    assert_eq!(log.len(), 3);
    let token_request = &log[0];
    assert_eq!(token_request.path, "/api/public/v1/applications/token");
    assert!(!token_request.body.contains("standin-secret"), "{}", token_request.body);
    assert_eq!(token_request.json().unwrap()["client_secret"], "<redacted>");
    assert!(token_request.header("authorization").is_none());

    let create = &log[1];
    assert_eq!((create.method.as_str(), create.path.as_str()), ("POST", "/api/public/v1/jobs"));
    assert_eq!(create.header("Authorization"), Some("Bearer <redacted>"));
    assert_eq!(create.header("content-type"), Some("application/json"));
    assert_eq!(
        create.json().unwrap(),
        json!({"connectionId": ids::CONNECTION_OK, "jobType": "sync"})
    );
    assert_eq!(log[2].fault.as_deref(), Some("html 502"));

    // The same over HTTP; control requests are not logged.
    let over_http = control(&standin, "GET", "/_standin/requests", None).json();
    assert_eq!(over_http["requests"].as_array().unwrap().len(), 3);
    assert_eq!(over_http["requests"][1]["headers"]["authorization"], "Bearer <redacted>");
    let query = get(
        &format!("{}/jobs?orderBy=createdAt%7CASC&limit=1", standin.public_root()),
        &token(&standin),
    );
    assert_eq!(query.status, 200);
    assert_eq!(
        standin.requests().last().unwrap().path,
        "/api/public/v1/jobs?orderBy=createdAt%7CASC&limit=1"
    );
    control(&standin, "DELETE", "/_standin/requests", None);
    assert!(standin.requests().is_empty());
}

#[test]
fn reset_restores_the_seed_and_the_clock() {
    let standin = start();
    let auth = bearer(&standin);
    let body = models::JobCreateRequest::new(ids::CONNECTION_SLOW, models::JobTypeEnum::Sync);
    call(&standin, &ops::CreateJob::new(body.clone()), &auth).unwrap();
    standin.add_faults([Fault::once(FaultKind::Delay(1))]);
    let clock = control(&standin, "POST", "/_standin/clock", Some(&json!({"advance_secs": 30})));
    assert_eq!(clock.json()["offset_secs"], 30);

    assert_eq!(control(&standin, "POST", "/_standin/reset", None).status, 200);
    assert!(standin.faults().is_empty() && standin.requests().is_empty());
    assert_eq!(control(&standin, "GET", "/_standin/clock", None).json()["offset_secs"], 0);
    // The running job is gone, so a new sync starts, with the first new job id again; the
    // token issued before the reset still works.
    let job = call(&standin, &ops::CreateJob::new(body), &auth).unwrap();
    assert_eq!(job.job_id, ids::FIRST_NEW_JOB_ID);

    let seed = control(&standin, "GET", "/_standin/seed", None).json();
    assert_eq!(seed["failingConnectionId"], ids::CONNECTION_FAILING.to_string());
    assert_eq!(seed["connections"].as_array().unwrap().len(), ids::ACTIVE_CONNECTIONS + 1);
    assert_eq!(control(&standin, "POST", "/_standin/tokens/expire", None).status, 200);
    assert_eq!(call(&standin, &ops::GetJob::new(1), &auth).unwrap_err().status(), 401);
}
