//! Behaviour above single requests, still sans-IO: tokens, retries, pagination and waiting for
//! jobs. Each piece is a state machine that is told the time and the responses and answers with
//! the next request to send or how long to wait, so every binding gets the same behaviour.

pub mod auth;
pub mod call;
pub mod jobs;
pub mod pagination;
pub mod task;
pub mod time;

use crate::error::{BuildError, ResponseError};

/// Why a flow (a call with retries, a walk over pages, a job run) failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// The input was refused before any request existed.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The server answered with an error status or an unexpected body.
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// No response: authentication or the transport failed, or the caller cancelled.
    #[error(transparent)]
    Call(#[from] call::CallError),
    /// A job could not start because one is running for the connection.
    #[error(transparent)]
    AlreadyRunning(#[from] jobs::AlreadyRunning),
    /// A success response lacked what the flow needs.
    #[error("{operation}: {message}")]
    UnexpectedOutput {
        /// The step of the flow.
        operation: &'static str,
        /// What was missing.
        message: String,
    },
}
