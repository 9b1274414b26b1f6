//! The generated benchmark bodies parse with the core into what was generated, are the same
//! bytes on every run, and every operation has a sample input that builds.

use airbyte_bench::bodies::{iso_time, Workload, WORKLOADS};
use airbyte_bench::requests::{samples, vectors_dir};
use airbyte_core::config_api::ops::{DiscoverSchemaForSource, ListJobsFor, ListSourceDefinitions};
use airbyte_core::dynamic::{find_operation, operations};
use airbyte_core::public_api::ops::ListJobs;
use airbyte_core::{Api, Auth, ClientConfig, Operation, RawResponse, Secret};

fn response(body: &[u8]) -> RawResponse<'_> {
    RawResponse::new(200, &[], body)
}

fn body(name: &str, items: usize) -> Vec<u8> {
    Workload::named(name).map(|w| w.body(items)).unwrap_or_default()
}

#[test]
fn timestamps_are_utc_calendar_dates() {
    assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
    assert_eq!(iso_time(1_767_225_600), "2026-01-01T00:00:00Z");
    assert_eq!(iso_time(951_782_400 + 86_399), "2000-02-29T23:59:59Z");
}

#[test]
fn public_jobs_parse_into_what_was_generated() {
    let bytes = body("public_listJobs", 20);
    assert_eq!(bytes.len(), 5_117);
    let page = ListJobs::parse_response(&response(&bytes)).unwrap();
    assert_eq!(page.data.len(), 20);
    let first = &page.data[0];
    assert_eq!(first.job_id, 9_000_020);
    assert_eq!(first.start_time, "2026-01-01T00:20:00Z");
    assert!(first.status.is_known() && first.job_type.is_known());
    assert!(page.data.iter().all(|job| job.extra.is_empty()));
    // Nothing is lost or added: the typed value writes back the same bytes.
    assert_eq!(serde_json::to_vec(&page).unwrap(), bytes);
}

#[test]
fn config_jobs_parse_with_attempts_and_stats() {
    let bytes = body("config_listJobsFor", 20);
    assert_eq!(bytes.len(), 46_446);
    let list = ListJobsFor::parse_response(&response(&bytes)).unwrap();
    assert_eq!(list.jobs.len(), 20);
    assert_eq!(list.total_job_count, 60);
    let job = list.jobs[0].job.as_ref().unwrap();
    assert_eq!(job.id, 9_000_020);
    let attempts = list.jobs[0].attempts.as_ref().unwrap();
    assert!(!attempts.is_empty());
    assert!(attempts[0].total_stats.is_some() && attempts[0].stream_stats.is_some());
    assert!(job.aggregated_stats.is_some() && job.stream_aggregated_stats.is_some());
    assert_eq!(serde_json::to_vec(&list).unwrap(), bytes);
}

#[test]
fn discovered_catalog_parses() {
    let bytes = body("config_discoverSchemaForSource", 5);
    assert_eq!(bytes.len(), 9_821);
    let read = DiscoverSchemaForSource::parse_response(&response(&bytes)).unwrap();
    let streams = &read.catalog.as_ref().unwrap().streams;
    assert_eq!(streams.len(), 5);
    assert_eq!(streams[0].stream.as_ref().unwrap().name, "users_000");
    assert!(read.job_info.succeeded);
    assert_eq!(serde_json::to_vec(&read).unwrap(), bytes);
}

#[test]
fn source_definitions_parse() {
    let bytes = body("config_listSourceDefinitions", 6);
    assert_eq!(bytes.len(), 4_486);
    let list = ListSourceDefinitions::parse_response(&response(&bytes)).unwrap();
    assert_eq!(list.source_definitions.len(), 6);
    assert_eq!(list.source_definitions[0].name, "Postgres");
    assert_eq!(list.source_definitions[0].docker_repository, "airbyte/source-postgres");
    assert_eq!(serde_json::to_vec(&list).unwrap(), bytes);
}

#[test]
fn bodies_are_deterministic_and_every_workload_has_its_operation() {
    for workload in WORKLOADS {
        assert_eq!(workload.body(3), workload.body(3), "{}", workload.name);
        let operation = find_operation(workload.api, workload.operation).unwrap();
        let body = workload.body(workload.tiny_items);
        operation.parse(&response(&body)).unwrap();
    }
}

#[test]
fn every_operation_has_a_sample_input_that_builds() {
    let samples = samples(&vectors_dir()).unwrap();
    let count = operations(Api::Config).len() + operations(Api::Public).len();
    assert_eq!(samples.len(), count);
    assert_eq!(count, 551);
    let config = ClientConfig::self_managed("http://localhost:8000").unwrap();
    let auth = Auth::Bearer(Secret::new("bench-token"));
    for sample in &samples {
        let operation = find_operation(sample.api, &sample.operation).unwrap();
        let request = operation.build_json(&sample.input, &config, &auth);
        assert!(request.is_ok(), "{}: {:?}", sample.operation, request.err());
    }
}
