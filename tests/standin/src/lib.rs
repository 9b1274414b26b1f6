//! A stateful stand-in for an Airbyte server, for the tests of every binding.
//!
//! It serves the parts of both HTTP APIs that client flows use, on `127.0.0.1`, laid out like a
//! real self-managed server: the public API under `/api/public/v1` and the Configuration API
//! under `/api/v1`. Bodies are read and written with `airbyte-core`'s generated models, and
//! routes are taken from the generated operations' method and path, so the stand-in cannot drift
//! from the core.
//!
//! ```no_run
//! use airbyte_standin::{Fault, FaultKind, Options, Standin};
//!
//! let standin = Standin::start(Options::default())?;
//! let base = standin.base_url(); // http://127.0.0.1:PORT
//! standin.add_faults([Fault::once(FaultKind::Html(502)).on_path("/api/public/v1/jobs")]);
//! // ... drive a client against `base` ...
//! let sent = standin.requests();
//! # let _ = (base, sent);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Other languages start the `airbyte-standin` binary, read the line
//! `listening on http://127.0.0.1:PORT` from its standard output and use the same controls
//! over HTTP under `/_standin/` (see `README.md` beside this crate).

mod actors;
mod api;
mod app;
mod auth;
mod config_api;
mod control;
mod errors;
mod http;
pub mod ids;
mod public;
mod specs;
mod state;
mod util;

use std::io;
use std::sync::Arc;

use serde_json::{json, Value};

pub use control::{ConfigPatch, Fault, FaultKind, FaultMatch, LoggedRequest, RuntimeConfig};
pub use state::Polls;

/// The client id the token endpoints accept by default.
pub const DEFAULT_CLIENT_ID: &str = "standin-client";
/// The client secret the token endpoints accept by default.
pub const DEFAULT_CLIENT_SECRET: &str = "standin-secret";
/// The default token lifetime, seconds (Airbyte Cloud's tokens live 3 minutes).
pub const DEFAULT_TOKEN_LIFETIME_SECS: u64 = 180;

/// How to start the stand-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Lifetime of issued tokens, seconds.
    pub token_lifetime_secs: u64,
    /// Whether endpoints other than health and token need a bearer token.
    pub auth: bool,
    /// The client id the token endpoints accept.
    pub client_id: String,
    /// The client secret the token endpoints accept.
    pub client_secret: String,
    /// How many polls jobs spend in each state.
    pub polls: Polls,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            port: 0,
            token_lifetime_secs: DEFAULT_TOKEN_LIFETIME_SECS,
            auth: true,
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_CLIENT_SECRET.to_owned(),
            polls: Polls::default(),
        }
    }
}

/// Starts stand-in servers.
#[derive(Debug)]
pub struct Standin;

impl Standin {
    /// Binds `127.0.0.1:<port>` and serves on background threads until the handle is stopped
    /// or dropped.
    pub fn start(options: Options) -> io::Result<Handle> {
        let config = RuntimeConfig {
            token_lifetime_secs: options.token_lifetime_secs,
            auth: options.auth,
            polls: options.polls,
        };
        let (server, app) = http::Server::start(options.port, |addr| {
            Arc::new(app::App::new(
                format!("http://{addr}"),
                config,
                options.client_id.clone(),
                options.client_secret.clone(),
            ))
        })?;
        Ok(Handle {
            server,
            app,
            client_id: options.client_id,
            client_secret: options.client_secret,
        })
    }
}

/// A running stand-in. Dropping it stops the server.
pub struct Handle {
    server: http::Server,
    app: Arc<app::App>,
    client_id: String,
    client_secret: String,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle").field("base_url", &self.base_url()).finish_non_exhaustive()
    }
}

impl Handle {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        self.app.base_url()
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.server.addr().port()
    }

    /// The public API root, `http://127.0.0.1:PORT/api/public/v1`.
    pub fn public_root(&self) -> String {
        format!("{}/api/public/v1", self.base_url())
    }

    /// The Configuration API root, `http://127.0.0.1:PORT/api/v1`.
    pub fn config_root(&self) -> String {
        format!("{}/api/v1", self.base_url())
    }

    /// The client id the token endpoints accept.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret the token endpoints accept.
    pub fn client_secret(&self) -> &str {
        &self.client_secret
    }

    /// Adds faults after those still pending.
    pub fn add_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        self.app.add_faults(faults);
    }

    /// The faults still pending.
    pub fn faults(&self) -> Vec<Fault> {
        self.app.lock().faults.clone()
    }

    /// Drops all pending faults.
    pub fn clear_faults(&self) {
        self.app.lock().faults.clear();
    }

    /// The API requests received so far (control requests are not logged).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.app.lock().log.clone()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.app.lock().log.clear();
    }

    /// Restores the seeded data and the startup settings, drops faults and the request log.
    /// Issued tokens stay valid.
    pub fn reset(&self) {
        self.app.reset();
    }

    /// The current settings.
    pub fn config(&self) -> RuntimeConfig {
        self.app.lock().config.clone()
    }

    /// Changes settings; returns the result.
    pub fn update_config(&self, patch: &ConfigPatch) -> RuntimeConfig {
        self.app.update_config(patch)
    }

    /// Moves the server's clock forward (or back, with a negative value), for token expiry
    /// without waiting.
    pub fn advance_clock(&self, secs: i64) {
        let mut inner = self.app.lock();
        inner.clock_offset = inner.clock_offset.saturating_add(secs);
    }

    /// Makes every token issued so far expire.
    pub fn expire_tokens(&self) {
        self.app.lock().tokens.expire_all();
    }

    /// Issues a token without going through the token endpoint.
    pub fn issue_token(&self) -> String {
        self.app.issue_token()
    }

    /// Stops the server and waits (briefly) for open connections to close.
    pub fn stop(mut self) {
        self.server.stop();
    }
}

/// The fixed ids of the seeded data, as served by `GET /_standin/seed`.
pub(crate) fn seed_json() -> Value {
    let data = state::Data::seed();
    let actors = |kind: state::ActorKind| -> Vec<Value> {
        data.actors
            .iter()
            .filter(|a| a.kind == kind)
            .map(|a| json!({ "id": a.id, "name": a.name, "workspaceId": a.workspace_id, "definitionId": a.definition_id }))
            .collect()
    };
    let definitions = |kind: state::ActorKind| -> Vec<Value> {
        data.definitions
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| json!({ "id": d.id, "name": d.name, "type": d.short_name }))
            .collect()
    };
    json!({
        "organizationId": ids::ORGANIZATION,
        "workspaces": data.workspaces.iter().map(|w| json!({ "id": w.id, "name": w.name })).collect::<Vec<_>>(),
        "sourceDefinitions": definitions(state::ActorKind::Source),
        "destinationDefinitions": definitions(state::ActorKind::Destination),
        "sources": actors(state::ActorKind::Source),
        "destinations": actors(state::ActorKind::Destination),
        "connections": data.connections.iter().map(|c| json!({
            "id": c.id,
            "name": c.name,
            "workspaceId": c.workspace_id,
            "deleted": c.deleted,
            "behavior": match c.behavior {
                state::Behavior::Normal => "normal",
                state::Behavior::Failing => "failing",
                state::Behavior::Slow => "slow",
            },
        })).collect::<Vec<_>>(),
        "okConnectionId": ids::CONNECTION_OK,
        "failingConnectionId": ids::CONNECTION_FAILING,
        "slowConnectionId": ids::CONNECTION_SLOW,
        "deletedConnectionId": ids::CONNECTION_DELETED,
        "activeConnections": ids::ACTIVE_CONNECTIONS,
        "firstNewJobId": ids::FIRST_NEW_JOB_ID,
    })
}
