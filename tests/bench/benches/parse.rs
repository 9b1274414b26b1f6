//! Response parsing, typed versus untyped: for each workload, the operation's own
//! `parse_response` (the generated models, every field checked) against
//! `serde_json::from_slice::<serde_json::Value>` of the same bytes. `AIRBYTE_BENCH_TINY=1` uses
//! the tiny bodies. Run by `tests/bench/run`, never as a timed test.

// A benchmark stops at once when its setup fails; criterion's macros write undocumented items.
#![allow(missing_docs, clippy::expect_used)]

use std::hint::black_box;

use airbyte_bench::bodies::{Workload, WORKLOADS};
use airbyte_core::config_api::ops::{DiscoverSchemaForSource, ListJobsFor, ListSourceDefinitions};
use airbyte_core::public_api::ops::ListJobs;
use airbyte_core::{Operation, RawResponse};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Parses `body` as the response of the workload's operation, through its Rust type.
fn typed(workload: &Workload, response: &RawResponse<'_>) -> bool {
    match workload.operation {
        "listJobs" => ListJobs::parse_response(response).map(black_box).is_ok(),
        "listJobsFor" => ListJobsFor::parse_response(response).map(black_box).is_ok(),
        "discoverSchemaForSource" => {
            DiscoverSchemaForSource::parse_response(response).map(black_box).is_ok()
        }
        _ => ListSourceDefinitions::parse_response(response).map(black_box).is_ok(),
    }
}

fn parse(c: &mut Criterion) {
    let tiny = std::env::var_os("AIRBYTE_BENCH_TINY").is_some_and(|v| v == "1");
    for workload in WORKLOADS {
        let body = workload.body(if tiny { workload.tiny_items } else { workload.items });
        let headers = [("content-type".to_owned(), "application/json".to_owned())];
        let response = RawResponse::new(200, &headers, &body);
        assert!(typed(&workload, &response), "{}: the body does not parse", workload.name);

        let mut group = c.benchmark_group(format!("parse/{}", workload.name));
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function("typed", |b| b.iter(|| typed(&workload, black_box(&response))));
        group.bench_function("value", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).is_ok())
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = parse
}
criterion_main!(benches);
