//! UniFFI binding of `airbyte-core` for Kotlin, Swift and Python hosts (namespace
//! `airbyte_core`).
//!
//! Two ways to use it:
//! - sans-IO ([`sans_io`]): [`sans_io::build_request`] gives a request record for the host's own
//!   HTTP stack, and [`sans_io::parse_response`] or a generated `parse_<api>_<operation>` turns
//!   the response record into JSON or a typed record;
//! - a client object ([`client::AirbyteClient`]) that the host hands its HTTP stack once, as the
//!   foreign trait [`client::HttpTransport`]; tokens, retries, pagination and job waits then run
//!   in the core.
//!
//! Every model of both specs crosses as a record or enum ([`generated`]). Errors cross as
//! [`error::AirbyteError`]; panics are caught and never reach the host.

// The scaffolding UniFFI's macros expand to is `extern "C"` code with `unsafe` blocks; the
// binding's own code has none.
#![allow(unsafe_code)]
// `AirbyteError` carries its details by value because UniFFI types cannot hold a `Box`; the size
// of an error is no concern next to the HTTP exchange that produced it.
#![allow(clippy::result_large_err)]

pub mod client;
pub mod convert;
pub mod error;
pub mod generated;
pub mod http;
pub mod json;
pub mod sans_io;
#[cfg(test)]
mod vector_tests;

uniffi::setup_scaffolding!("airbyte_core");
