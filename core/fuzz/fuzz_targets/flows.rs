//! The token, retry, paging and job state machines fed arbitrary responses and transport
//! failures: every task ends (no hang) without a panic.
#![no_main]

use std::time::Duration;

use airbyte_core::flow::jobs::{JobKind, WaitSettings};
use airbyte_core::flow::task::{Engine, Step};
use airbyte_core::{
    Api, ClientConfig, Credentials, Response, Secret, Timestamp, TransportError, TransportErrorKind,
};
use airbyte_core_fuzz::{headers, status, Bytes};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data);
    let config = ClientConfig::self_managed("http://127.0.0.1:8000").expect("a valid host");
    let credentials = match bytes.u8() % 3 {
        0 => Credentials::None,
        1 => Credentials::Bearer(Secret::new("t")),
        _ => Credentials::ClientCredentials {
            client_id: "id".into(),
            client_secret: Secret::new("secret"),
            token_url: None,
        },
    };
    let engine = Engine::new(config, credentials).expect("valid credentials").with_max_body_bytes(4096);
    let api = if bytes.u8() % 2 == 0 { Api::Public } else { Api::Config };
    let settings = WaitSettings {
        poll_interval: Duration::from_secs(1),
        request_timeout: Duration::from_secs(5),
        deadline: Some(Duration::from_secs(30)),
        cancel_on_deadline: bytes.u8() % 2 == 0,
    };
    let mut task = match bytes.u8() % 4 {
        0 => engine.run_job(api, "c0000000-0000-4000-8000-000000000001", JobKind::Sync, true, settings),
        1 => engine.wait_job(api, 7, settings),
        2 => {
            let (id, input) = match api {
                Api::Public => ("listJobs", json!({"limit": 2})),
                Api::Config => ("listJobsFor", json!({"body": {"configTypes": ["sync"], "configId": "c"}})),
            };
            engine.pages(api, id, input, Some(2)).expect("a paging operation")
        }
        _ => engine.call(api, "getHealthCheck", &json!({})).expect("an operation"),
    };

    let mut now = Timestamp::from_unix_secs(1_000_000);
    for _ in 0..2_000 {
        match task.poll(now) {
            Step::Send { .. } => {
                if bytes.0.is_empty() {
                    task.on_transport_error(TransportError::new(TransportErrorKind::Connect, "no more input"), now);
                    continue;
                }
                match bytes.u8() % 8 {
                    0 => task.on_transport_error(TransportError::new(TransportErrorKind::Timeout, "t"), now),
                    _ => {
                        let status = status(&mut bytes);
                        let headers = headers(&mut bytes);
                        let length = usize::from(bytes.u16() % 600);
                        let body = bytes.take(length).to_vec();
                        task.on_response(Response { status, headers, body }, now);
                    }
                }
            }
            Step::Sleep(duration) => now = now.plus(duration.max(Duration::from_millis(1))),
            Step::Progress(_) | Step::Page(_) => {}
            Step::Done(_) => return,
        }
    }
    panic!("the task did not end within 2000 steps");
});
