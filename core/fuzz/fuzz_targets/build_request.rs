//! Any input for any operation against any root: building returns a request or an error, and a
//! request's URL stays below the configured root with its path intact.
#![no_main]

use airbyte_core::{Auth, ClientConfig, Secret};
use airbyte_core_fuzz::{all_operations, Bytes};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data);
    let operations = all_operations();
    let operation = operations[usize::from(bytes.u16()) % operations.len()];
    let host_length = usize::from(bytes.u8() % 48);
    let host = String::from_utf8_lossy(bytes.take(host_length)).into_owned();
    let config = match ClientConfig::self_managed(&host) {
        Ok(config) => config,
        Err(error) => {
            let _ = error.to_string();
            ClientConfig::cloud()
        }
    };
    let input_bytes = bytes.rest();
    // JSON when it parses; otherwise the text becomes every string parameter's value.
    let input = serde_json::from_slice::<Value>(input_bytes).unwrap_or_else(|_| {
        let text = String::from_utf8_lossy(input_bytes).into_owned();
        let params = operation.info.path.split('{').skip(1).filter_map(|p| p.split('}').next());
        Value::Object(params.map(|p| (p.to_owned(), Value::String(text.clone()))).collect())
    });
    let auth = Auth::Bearer(Secret::new("fuzz-token"));
    let Ok(request) = operation.build_json(&input, &config, &auth) else { return };
    let root = config.root(operation.info.api);
    assert!(request.url.starts_with(root), "{} escapes {root}", request.url);
    let path = request.url[root.len()..].split('?').next().unwrap_or("");
    assert!(!path.contains('#'), "a fragment in {path}");
    for segment in path.split('/') {
        assert!(segment != ".." && segment != ".", "a dot segment in {path}");
        assert!(!segment.eq_ignore_ascii_case("%2e%2e"), "an encoded dot segment in {path}");
    }
    assert!(request.to_http().is_ok() || request.url.len() > 65_000);
});
