//! Any operation, any status, any headers, any body: parsing returns a value or an error.
#![no_main]

use airbyte_core::RawResponse;
use airbyte_core_fuzz::{all_operations, headers, status, Bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data);
    let operations = all_operations();
    let operation = operations[usize::from(bytes.u16()) % operations.len()];
    let status = status(&mut bytes);
    let headers = headers(&mut bytes);
    let body = bytes.rest();
    let response = RawResponse::new(status, &headers, body);
    if let Ok(value) = operation.parse_json(&response) {
        // What parsed must serialize again.
        let text = serde_json::to_string(&value).expect("a parsed value serializes");
        assert!(!text.is_empty());
    }
});
