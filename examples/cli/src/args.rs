//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// List Airbyte workspaces, connections and jobs, start syncs and follow them.
///
/// With no server given (no --url and no AIRBYTE_URL), an embedded stand-in server is started
/// on 127.0.0.1 and used, so every command can be tried on a machine without Airbyte.
#[derive(Debug, Parser)]
#[command(name = "airbyte", version)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) server: ServerArgs,

    /// Print the API's own JSON instead of tables.
    #[arg(long, global = true)]
    pub(crate) json: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Where the server is and how to authenticate.
#[derive(Debug, Args)]
pub(crate) struct ServerArgs {
    /// The server: `cloud`, or the URL of a self-managed server (`http://localhost:8000`).
    #[arg(long, env = "AIRBYTE_URL", global = true)]
    pub(crate) url: Option<String>,

    /// The application's client id (client-credentials authentication).
    #[arg(long, env = "AIRBYTE_CLIENT_ID", global = true)]
    pub(crate) client_id: Option<String>,

    /// The application's client secret.
    #[arg(long, env = "AIRBYTE_CLIENT_SECRET", global = true, hide_env_values = true)]
    pub(crate) client_secret: Option<String>,

    /// A bearer token to send as is, instead of client credentials.
    #[arg(long, env = "AIRBYTE_TOKEN", global = true, hide_env_values = true)]
    pub(crate) token: Option<String>,

    /// Where to exchange client credentials (default: `<public API root>/applications/token`).
    #[arg(long, env = "AIRBYTE_TOKEN_URL", global = true)]
    pub(crate) token_url: Option<String>,

    /// The public API root, when it is not `<url>/api/public/v1` (a proxy, a mock).
    #[arg(long, env = "AIRBYTE_PUBLIC_ROOT", global = true)]
    pub(crate) public_root: Option<String>,

    /// The Configuration API root, when it is not `<url>/api/v1` (a proxy, a mock).
    #[arg(long, env = "AIRBYTE_CONFIG_ROOT", global = true)]
    pub(crate) config_root: Option<String>,

    /// Which API to talk to.
    #[arg(long, value_enum, default_value_t = ApiChoice::Public, env = "AIRBYTE_API", global = true)]
    pub(crate) api: ApiChoice,
}

/// The two APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ApiChoice {
    /// The public Airbyte API (`/api/public/v1`).
    Public,
    /// The Configuration API (`/api/v1`).
    Config,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check that the server answers.
    Health,
    /// Workspaces.
    Workspaces {
        #[command(subcommand)]
        command: WorkspacesCommand,
    },
    /// Connections.
    Connections {
        #[command(subcommand)]
        command: ConnectionsCommand,
    },
    /// Jobs.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Start a sync (or reset, refresh, clear) of a connection, and optionally wait for it.
    Sync(SyncArgs),
}

/// Workspace commands.
#[derive(Debug, Subcommand)]
pub(crate) enum WorkspacesCommand {
    /// List workspaces (every page).
    List {
        /// With the Configuration API: the organization whose workspaces to list.
        #[arg(long)]
        organization: Option<String>,
    },
}

/// Connection commands.
#[derive(Debug, Subcommand)]
pub(crate) enum ConnectionsCommand {
    /// List connections (every page), optionally of some workspaces only.
    List {
        /// A workspace id; repeat for several.
        #[arg(long = "workspace")]
        workspaces: Vec<String>,
    },
}

/// Job commands.
#[derive(Debug, Subcommand)]
pub(crate) enum JobsCommand {
    /// List jobs, newest first.
    List {
        /// Only jobs of this connection (required with the Configuration API).
        #[arg(long)]
        connection: Option<String>,
        /// Only jobs with this status.
        #[arg(long)]
        status: Option<String>,
        /// At most this many jobs.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Show one job.
    Get {
        /// The job id.
        job_id: i64,
    },
    /// Cancel a running job.
    Cancel {
        /// The job id.
        job_id: i64,
    },
}

/// Arguments of `sync`.
#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// The connection id.
    pub(crate) connection_id: String,

    /// Wait for the job to end, showing its progress; the exit status is 0 only if it succeeded.
    #[arg(long)]
    pub(crate) wait: bool,

    /// What to run.
    #[arg(long, value_enum, default_value_t = KindChoice::Sync)]
    pub(crate) kind: KindChoice,

    /// If a job is already running for the connection, wait for that one instead of failing.
    #[arg(long)]
    pub(crate) attach: bool,

    /// Give up (and cancel the job) after this many seconds of waiting.
    #[arg(long, default_value_t = 3600)]
    pub(crate) timeout: u64,

    /// Seconds between two status requests while waiting.
    #[arg(long, default_value_t = 3.0)]
    pub(crate) poll: f64,
}

/// Job kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindChoice {
    /// Copy new data.
    Sync,
    /// Reset the connection's data.
    Reset,
    /// Re-read every stream.
    Refresh,
    /// Delete the connection's data.
    Clear,
}
