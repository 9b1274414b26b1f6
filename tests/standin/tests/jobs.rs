//! Jobs on both APIs: success, failure, conflicts, cancel, lists. Progress is per poll: no test
//! here sleeps.

mod common;

use airbyte_core::config_api::{models as cm, ops as cops};
use airbyte_core::public_api::{models, ops};
use airbyte_standin::{ids, ConfigPatch};
use common::*;

fn sync(connection: uuid::Uuid) -> ops::CreateJob {
    ops::CreateJob::new(models::JobCreateRequest::new(connection, models::JobTypeEnum::Sync))
}

#[test]
fn a_sync_moves_from_pending_to_succeeded_one_step_per_poll() {
    let standin = start();
    let auth = bearer(&standin);
    let job = call(&standin, &sync(ids::CONNECTION_OK), &auth).unwrap();
    assert_eq!(job.job_id, ids::FIRST_NEW_JOB_ID);
    assert_eq!(job.status.as_str(), "pending");
    assert_eq!(job.job_type.as_str(), "sync");
    assert!(job.last_updated_at.is_none());

    let mut statuses = Vec::new();
    let mut rows = Vec::new();
    for _ in 0..4 {
        let polled = call(&standin, &ops::GetJob::new(job.job_id), &auth).unwrap();
        statuses.push(polled.status.as_str().to_owned());
        rows.push(polled.rows_synced.unwrap());
    }
    assert_eq!(statuses, ["running", "running", "succeeded", "succeeded"]);
    assert!(rows.windows(2).all(|w| w[0] <= w[1]) && rows[2] > 0, "{rows:?}");
    let done = call(&standin, &ops::GetJob::new(job.job_id), &auth).unwrap();
    assert!(done.last_updated_at.is_some());
    assert!(done.duration.unwrap().starts_with("PT"));
    assert_eq!(done.bytes_synced.unwrap(), done.rows_synced.unwrap() * 212);
}

#[test]
fn a_failing_sync_ends_failed_with_a_failure_summary() {
    let standin = start();
    let auth = bearer(&standin);
    // Started on the Configuration API this time.
    let body = cm::ConnectionIdRequestBody::new(ids::CONNECTION_FAILING);
    let started = call(&standin, &cops::SyncConnection::new(body), &auth).unwrap();
    let id = started.job.id;
    assert_eq!(started.job.status.as_str(), "pending");
    assert!(started.attempts.is_empty());
    let mut info = started;
    for _ in 0..3 {
        info =
            call(&standin, &cops::GetJobInfo::new(cm::JobIdRequestBody::new(id)), &auth).unwrap();
    }
    assert_eq!(info.job.status.as_str(), "failed");
    let attempt = &info.attempts[0].attempt;
    assert_eq!(attempt.status.as_str(), "failed");
    let failure = &attempt.failure_summary.as_ref().unwrap().failures[0];
    assert_eq!(failure.failure_type.as_ref().unwrap().as_str(), "config_error");
    assert!(failure.external_message.as_ref().unwrap().contains("credentials"));
    let logs = serde_json::to_value(info.attempts[0].logs.as_ref().unwrap()).unwrap();
    assert!(logs["logLines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap().contains("Sync failed")));

    // The public API agrees.
    let public = call(&standin, &ops::GetJob::new(id), &auth).unwrap();
    assert_eq!(public.status.as_str(), "failed");
    // The light read counts as a poll too, and shows the same state.
    let light =
        call(&standin, &cops::GetJobInfoLight::new(cm::JobIdRequestBody::new(id)), &auth).unwrap();
    assert_eq!(light.job.status.as_str(), "failed");
}

#[test]
fn a_second_sync_while_one_runs_is_a_409() {
    let standin = start();
    let auth = bearer(&standin);
    let first = call(&standin, &sync(ids::CONNECTION_SLOW), &auth).unwrap();
    let error = call(&standin, &sync(ids::CONNECTION_SLOW), &auth).unwrap_err();
    assert_eq!(error.status(), 409);
    assert_eq!(
        problem_type(&error),
        "https://reference.airbyte.com/reference/errors#try-again-later"
    );
    let body: serde_json::Value = serde_json::from_slice(error.body()).unwrap();
    assert_eq!(body["title"], "try-again-later");
    assert_eq!(
        body["data"]["message"],
        format!("A sync is already running for: {}", ids::CONNECTION_SLOW)
    );

    // The Configuration API answers a known exception.
    let config = call(
        &standin,
        &cops::SyncConnection::new(cm::ConnectionIdRequestBody::new(ids::CONNECTION_SLOW)),
        &auth,
    )
    .unwrap_err();
    let api = config.as_api().unwrap();
    assert_eq!(api.status, 409);
    assert_eq!(api.message, format!("A sync is already running for: {}", ids::CONNECTION_SLOW));
    assert!(api.error_id().is_some());
    // A reset conflicts with the running sync as well.
    let reset = call(
        &standin,
        &cops::ResetConnection::new(cm::ConnectionIdRequestBody::new(ids::CONNECTION_SLOW)),
        &auth,
    );
    assert_eq!(reset.unwrap_err().status(), 409);

    // The slow connection stays running for many polls.
    for _ in 0..10 {
        let polled = call(&standin, &ops::GetJob::new(first.job_id), &auth).unwrap();
        assert_eq!(polled.status.as_str(), "running");
    }
    // Syncing a deleted connection is a conflict too.
    assert_eq!(call(&standin, &sync(ids::CONNECTION_DELETED), &auth).unwrap_err().status(), 409);
}

#[test]
fn cancel_a_running_job_then_cancel_again() {
    let standin = start();
    let auth = bearer(&standin);
    let job = call(&standin, &sync(ids::CONNECTION_SLOW), &auth).unwrap();
    call(&standin, &ops::GetJob::new(job.job_id), &auth).unwrap();
    let cancelled = call(&standin, &ops::CancelJob::new(job.job_id), &auth).unwrap();
    assert_eq!(cancelled.status.as_str(), "cancelled");
    // Polling a cancelled job does not move it.
    assert_eq!(
        call(&standin, &ops::GetJob::new(job.job_id), &auth).unwrap().status.as_str(),
        "cancelled"
    );

    let again = call(&standin, &ops::CancelJob::new(job.job_id), &auth).unwrap_err();
    assert_eq!(again.status(), 409);
    assert_eq!(
        problem_type(&again),
        "https://reference.airbyte.com/reference/errors#409-state-conflict"
    );
    let body: serde_json::Value = serde_json::from_slice(again.body()).unwrap();
    assert_eq!(body["data"]["message"], "Job is not currently running");

    // A new sync may start now; cancel it through the Configuration API.
    let next = call(&standin, &sync(ids::CONNECTION_SLOW), &auth).unwrap();
    let info = call(&standin, &cops::CancelJob::new(cm::JobIdRequestBody::new(next.job_id)), &auth)
        .unwrap();
    assert_eq!(info.job.status.as_str(), "cancelled");
    let config_again =
        call(&standin, &cops::CancelJob::new(cm::JobIdRequestBody::new(next.job_id)), &auth);
    assert_eq!(config_again.unwrap_err().status(), 409);
    assert_eq!(
        call(&standin, &cops::CancelJob::new(cm::JobIdRequestBody::new(424_242)), &auth)
            .unwrap_err()
            .status(),
        404
    );
}

#[test]
fn polls_per_state_are_configurable() {
    let standin = start();
    let auth = bearer(&standin);
    standin.update_config(&ConfigPatch {
        pending_polls: Some(0),
        running_polls: Some(0),
        ..ConfigPatch::default()
    });
    let job = call(&standin, &sync(ids::CONNECTION_OK), &auth).unwrap();
    assert_eq!(job.status.as_str(), "succeeded");

    let reply = control(
        &standin,
        "POST",
        "/_standin/config",
        Some(&serde_json::json!({"pending_polls": 2, "running_polls": 1})),
    );
    assert_eq!(
        reply.json()["polls"],
        serde_json::json!({"pending": 2, "running": 1, "slow_running": 25})
    );
    let job = call(&standin, &sync(ids::CONNECTION_OK), &auth).unwrap();
    let statuses: Vec<String> = (0..4)
        .map(|_| {
            call(&standin, &ops::GetJob::new(job.job_id), &auth).unwrap().status.as_str().to_owned()
        })
        .collect();
    assert_eq!(statuses, ["pending", "running", "succeeded", "succeeded"]);
}

#[test]
fn job_lists_filter_order_and_page() {
    let standin = start();
    let auth = bearer(&standin);
    let new = call(&standin, &sync(ids::CONNECTION_OK), &auth).unwrap();

    let mut list = ops::ListJobs::new();
    list.connection_id = Some(ids::CONNECTION_OK);
    let jobs = call(&standin, &list, &auth).unwrap();
    let order: Vec<i64> = jobs.data.iter().map(|j| j.job_id).collect();
    assert_eq!(order, [new.job_id, 3, 1], "newest first by default");

    list.order_by = Some("createdAt|ASC".to_owned());
    list.status = Some(models::JobStatusEnum::Succeeded);
    let jobs = call(&standin, &list, &auth).unwrap();
    assert_eq!(jobs.data.iter().map(|j| j.job_id).collect::<Vec<_>>(), [1, 3]);

    let mut all = ops::ListJobs::new();
    all.limit = Some(2);
    all.job_type = Some(models::JobTypeEnum::Sync);
    let page = call(&standin, &all, &auth).unwrap();
    assert_eq!(page.data.len(), 2);
    let next = page.next.unwrap();
    assert!(next.contains("limit=2&offset=2") && next.contains("jobType=sync"), "{next}");

    let mut bad = ops::ListJobs::new();
    bad.order_by = Some("name|UP".to_owned());
    assert_eq!(call(&standin, &bad, &auth).unwrap_err().status(), 400);

    // The Configuration API's list with `pagination`.
    let mut body = cm::JobListRequestBody::new(vec![cm::JobConfigType::Sync]);
    body.config_id = Some(ids::CONNECTION_OK.to_string());
    let mut pagination = cm::Pagination::new();
    pagination.page_size = Some(2);
    pagination.row_offset = Some(1);
    body.pagination = Some(pagination);
    let listed = call(&standin, &cops::ListJobsFor::new(body), &auth).unwrap();
    assert_eq!(listed.total_job_count, 3);
    let ids_listed: Vec<i64> = listed.jobs.iter().map(|j| j.job.as_ref().unwrap().id).collect();
    assert_eq!(ids_listed, [3, 1]);
}
