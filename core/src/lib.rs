//! A sans-IO client core for Airbyte's two HTTP APIs: the Configuration API (`config.yaml`) and
//! the public Airbyte API (`api.yaml`).
//!
//! The core builds requests and parses responses; it never opens a connection, sleeps or reads
//! a clock. Every operation of both specs is a generated struct implementing [`Operation`]:
//!
//! ```
//! use airbyte_core::public_api::ops::GetJob;
//! use airbyte_core::{build_request, Auth, ClientConfig, Operation, Response, Secret};
//!
//! let config = ClientConfig::cloud();
//! let request = build_request(&GetJob { job_id: 42 }, &config, &Auth::Bearer(Secret::new("t")))?;
//! assert_eq!(request.url, "https://api.airbyte.com/v1/jobs/42");
//!
//! let body = br#"{"jobId":42,"status":"running","jobType":"sync","startTime":"2026-01-01T00:00Z",
//!     "connectionId":"9a3a2b1c-0000-4000-8000-000000000001"}"#;
//! let response = Response { status: 200, headers: vec![], body: body.to_vec() };
//! let job = GetJob::parse_response(&response.as_raw())?;
//! assert_eq!(job.status.as_str(), "running");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Models are forgiving on input and strict on output: enums are open (unknown values are kept
//! as strings), unknown object fields are kept and sent back, optional fields that were never set
//! are never sent.

#[cfg(feature = "blocking")]
pub mod blocking;
mod client_config;
pub mod dynamic;
pub mod embedded;
mod error;
pub mod flow;
mod operation;
mod request;
mod response;
#[doc(hidden)]
pub mod rt;
mod secret;

#[cfg(feature = "config-api")]
#[path = "generated/config_api/mod.rs"]
pub mod config_api;
#[cfg(feature = "public-api")]
#[path = "generated/public_api/mod.rs"]
pub mod public_api;

pub use client_config::{
    Api, BaseUrlError, ClientConfig, CLOUD_CONFIG_ROOT, CLOUD_PUBLIC_ROOT, DEFAULT_USER_AGENT,
};
pub use error::{
    ApiError, BuildError, DecodeError, ErrorBody, KnownException, Problem, ResponseError,
    ValidationError,
};
pub use flow::auth::{AuthError, Credentials, TokenCache};
pub use flow::call::{
    Call, CallAction, CallError, RetryPolicy, TransportError, TransportErrorKind,
};
pub use flow::time::Timestamp;
pub use operation::{
    BodyKind, DeclaredResponse, Method, Operation, OperationInfo, PaginationStyle,
};
pub use request::{build_request, Auth, Request};
pub use response::{RawResponse, Redirect, Response};
pub use secret::Secret;

/// The README's Rust examples, compiled and run as doctests so that they stay true.
#[cfg(all(doctest, feature = "blocking"))]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
