//! Building one request for every operation of both APIs from its sample input (the `full`
//! generated vector): `typed/<api>/<id>` times `build_request` on the operation's Rust value (what
//! a Rust caller pays), `typed-minimal/<api>/<id>` the same with only the required parameters and
//! fields (the `minimal` vector), `dynamic/<api>/<id>` times `DynOperation::build_json`, which
//! also reads the input from JSON (what every binding pays before its own conversion). Run by
//! `tests/bench/run`, never as a timed test; short measurement windows keep 1,653 benchmarks to
//! a few minutes.

// A benchmark stops at once when its setup fails; criterion's macros write undocumented items.
#![allow(missing_docs, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use airbyte_bench::requests::{samples, samples_of, vectors_dir};
use airbyte_core::dynamic::find_operation;
use airbyte_core::{build_request, Auth, ClientConfig, Operation, OperationInfo, Request, Secret};
use criterion::{criterion_group, criterion_main, Criterion};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Builds the request of an operation value read earlier; true when it built.
type Build = Box<dyn Fn(&ClientConfig, &Auth) -> bool>;

/// A request builder for one operation type: reads the input once, then builds on each call.
struct Typed {
    info: &'static OperationInfo,
    prepare: fn(&Value) -> Result<Build, String>,
}

fn typed<O: Operation + DeserializeOwned + 'static>() -> Typed {
    Typed {
        info: O::INFO,
        prepare: |input| {
            let operation: O = serde_json::from_value(input.clone()).map_err(|e| e.to_string())?;
            Ok(Box::new(move |config, auth| {
                build_request(black_box(&operation), config, auth).map(black_box).is_ok()
            }))
        },
    }
}

include!(concat!(env!("OUT_DIR"), "/operations.rs"));

fn build(c: &mut Criterion) {
    let config = ClientConfig::self_managed("http://localhost:8000").expect("a valid URL");
    let auth = Auth::Bearer(Secret::new("bench-token"));
    let samples = samples(&vectors_dir()).expect("the generated vectors");
    assert_eq!(samples.len(), TYPED.len(), "a sample input for every operation");

    let minimal = samples_of(&vectors_dir(), "minimal").expect("the generated vectors");
    for (name, samples) in [("typed", &samples), ("typed-minimal", &minimal)] {
        let mut group = c.benchmark_group(name);
        for entry in TYPED {
            let entry = entry();
            let api = entry.info.api;
            let sample = samples
                .iter()
                .find(|s| s.api == api && s.operation == entry.info.id)
                .expect("a sample for the operation");
            let run = (entry.prepare)(&sample.input).expect("the sample input reads");
            assert!(run(&config, &auth), "{}: the request builds", entry.info.id);
            group.bench_function(format!("{}/{}", api.as_str(), entry.info.id), |b| {
                b.iter(|| run(&config, &auth))
            });
        }
        group.finish();
    }

    let mut group = c.benchmark_group("dynamic");
    for sample in &samples {
        let operation = find_operation(sample.api, &sample.operation).expect("the operation");
        let run =
            |input: &Value| -> Result<Request, _> { operation.build_json(input, &config, &auth) };
        assert!(run(&sample.input).is_ok(), "{}: the request builds", sample.operation);
        group.bench_function(format!("{}/{}", sample.api.as_str(), sample.operation), |b| {
            b.iter(|| run(black_box(&sample.input)).map(black_box).is_ok())
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(30))
        .measurement_time(Duration::from_millis(100))
        .nresamples(1000)
        .without_plots();
    targets = build
}
criterion_main!(benches);
