//! Error bodies of any shape are classified, and the message stays one short line.
#![no_main]

use airbyte_core::{ErrorBody, RawResponse, ResponseError};
use airbyte_core_fuzz::{all_operations, headers, Bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data);
    let operations = all_operations();
    let operation = operations[usize::from(bytes.u16()) % operations.len()];
    let status = 400 + bytes.u16() % 200;
    let headers = headers(&mut bytes);
    let body = bytes.rest();
    match operation.parse(&RawResponse::new(status, &headers, body)) {
        Err(ResponseError::Api(error)) => {
            assert_eq!(error.status, status);
            assert_eq!(error.body, body, "the raw body is kept");
            assert!(!error.message.contains('\n'), "one line: {:?}", error.message);
            assert!(!error.message.is_empty());
            if let ErrorBody::Text { snippet } | ErrorBody::Html { snippet, .. } = &error.kind {
                assert!(snippet.chars().count() <= 201, "snippets are short");
            }
            let _ = error.to_string();
        }
        Err(ResponseError::Decode(error)) => panic!("an error status gave a decode error: {error}"),
        Ok(_) => panic!("an error status {status} parsed as a success"),
    }
});
