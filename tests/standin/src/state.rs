//! The server's data: workspaces, connector definitions, sources, destinations, connections and
//! jobs, seeded deterministically, and how jobs move on.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::ids::{self, id};
use crate::specs;

/// 2026-01-01T00:00:00Z, the creation time of all seeded objects.
pub(crate) const SEED_TIME: i64 = 1_767_225_600;

/// Whether an actor or definition is a source or a destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ActorKind {
    /// A source.
    Source,
    /// A destination.
    Destination,
}

impl ActorKind {
    /// `source` or `destination`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ActorKind::Source => "source",
            ActorKind::Destination => "destination",
        }
    }
}

/// A workspace.
#[derive(Clone, Debug)]
pub(crate) struct Workspace {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) organization_id: Uuid,
    pub(crate) customer_id: Uuid,
}

/// A connector definition with its connection specification.
#[derive(Clone, Debug)]
pub(crate) struct Definition {
    pub(crate) id: Uuid,
    pub(crate) kind: ActorKind,
    pub(crate) name: String,
    /// The short type name used by the public API (`postgres`, `bigquery`).
    pub(crate) short_name: String,
    pub(crate) docker_repository: String,
    pub(crate) docker_image_tag: String,
    pub(crate) documentation_url: String,
    /// The JSON Schema of the configuration.
    pub(crate) spec: Value,
    /// Streams a source offers (empty for destinations).
    pub(crate) streams: Vec<(&'static str, &'static str)>,
}

/// A source or a destination.
#[derive(Clone, Debug)]
pub(crate) struct Actor {
    pub(crate) id: Uuid,
    pub(crate) kind: ActorKind,
    pub(crate) workspace_id: Uuid,
    pub(crate) definition_id: Uuid,
    pub(crate) name: String,
    pub(crate) configuration: Value,
    pub(crate) created_at: i64,
}

/// How the syncs of a connection behave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Behavior {
    /// Pending, then running for `running_polls`, then succeeded.
    Normal,
    /// Like normal, but ends failed with a failure summary.
    Failing,
    /// Running for `slow_running_polls`, then succeeded.
    Slow,
}

/// A connection.
#[derive(Clone, Debug)]
pub(crate) struct Connection {
    pub(crate) id: Uuid,
    pub(crate) workspace_id: Uuid,
    pub(crate) source_id: Uuid,
    pub(crate) destination_id: Uuid,
    pub(crate) name: String,
    pub(crate) deleted: bool,
    pub(crate) behavior: Behavior,
    pub(crate) created_at: i64,
    /// `(namespace, stream)` pairs that are synced.
    pub(crate) streams: Vec<(&'static str, &'static str)>,
    /// Whether the streams are synced incrementally.
    pub(crate) incremental: bool,
}

/// What a job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JobKind {
    Sync,
    Reset,
    Refresh,
    Clear,
}

impl JobKind {
    /// The public API's `JobTypeEnum` value.
    pub(crate) fn public_name(self) -> &'static str {
        match self {
            JobKind::Sync => "sync",
            JobKind::Reset => "reset",
            JobKind::Refresh => "refresh",
            JobKind::Clear => "clear",
        }
    }

    /// The Configuration API's `JobConfigType` value.
    pub(crate) fn config_name(self) -> &'static str {
        match self {
            JobKind::Sync => "sync",
            JobKind::Reset => "reset_connection",
            JobKind::Refresh => "refresh",
            JobKind::Clear => "clear",
        }
    }

    /// The kind for a public `jobType` value.
    pub(crate) fn from_public(name: &str) -> Option<Self> {
        [JobKind::Sync, JobKind::Reset, JobKind::Refresh, JobKind::Clear]
            .into_iter()
            .find(|kind| kind.public_name().eq_ignore_ascii_case(name))
    }

    /// The kind for a `JobConfigType` value.
    pub(crate) fn from_config(name: &str) -> Option<Self> {
        [JobKind::Sync, JobKind::Reset, JobKind::Refresh, JobKind::Clear]
            .into_iter()
            .find(|kind| kind.config_name().eq_ignore_ascii_case(name))
    }
}

/// The status of a job; the same value set in both APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JobStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobStatus {
    /// The wire value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }

    /// The status for a wire value (any case); `None` for values this server never produces.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        [
            JobStatus::Pending,
            JobStatus::Running,
            JobStatus::Succeeded,
            JobStatus::Failed,
            JobStatus::Cancelled,
        ]
        .into_iter()
        .find(|status| status.as_str().eq_ignore_ascii_case(name))
    }

    /// Whether the job has ended.
    pub(crate) fn is_terminal(self) -> bool {
        matches!(self, JobStatus::Succeeded | JobStatus::Failed | JobStatus::Cancelled)
    }
}

/// Rows a job moves per poll while running.
pub(crate) const ROWS_PER_POLL: i64 = 1_250;
/// Bytes per row.
pub(crate) const BYTES_PER_ROW: i64 = 212;

/// A job.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub(crate) id: i64,
    pub(crate) connection_id: Uuid,
    pub(crate) kind: JobKind,
    pub(crate) behavior: Behavior,
    pub(crate) status: JobStatus,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) started_at: Option<i64>,
    pub(crate) ended_at: Option<i64>,
    /// Times the job was read by id so far.
    pub(crate) polls: u32,
    /// Polls spent pending (fixed when the job is created).
    pub(crate) pending_polls: u32,
    /// Polls spent running (fixed when the job is created).
    pub(crate) running_polls: u32,
    pub(crate) rows: i64,
    pub(crate) bytes: i64,
}

impl Job {
    /// A new job at poll 0.
    pub(crate) fn new(
        id: i64,
        connection: &Connection,
        kind: JobKind,
        now: i64,
        polls: &Polls,
    ) -> Self {
        let running_polls = match connection.behavior {
            Behavior::Slow => polls.slow_running,
            _ => polls.running,
        };
        let mut job = Self {
            id,
            connection_id: connection.id,
            kind,
            behavior: connection.behavior,
            status: JobStatus::Pending,
            created_at: now,
            updated_at: now,
            started_at: None,
            ended_at: None,
            polls: 0,
            pending_polls: polls.pending,
            running_polls,
            rows: 0,
            bytes: 0,
        };
        job.settle(now);
        job
    }

    /// Counts one read of the job and moves it on.
    pub(crate) fn poll(&mut self, now: i64) {
        if self.status.is_terminal() {
            return;
        }
        self.polls = self.polls.saturating_add(1);
        self.settle(now);
    }

    /// Sets the status, counters and times that follow from the number of polls.
    fn settle(&mut self, now: i64) {
        self.updated_at = now;
        let n = self.polls;
        if n < self.pending_polls {
            self.status = JobStatus::Pending;
            return;
        }
        self.started_at.get_or_insert(now);
        let running_for = i64::from(n - self.pending_polls);
        if n < self.pending_polls.saturating_add(self.running_polls) {
            self.status = JobStatus::Running;
            self.rows = ROWS_PER_POLL * running_for;
        } else {
            self.status = if self.behavior == Behavior::Failing {
                JobStatus::Failed
            } else {
                JobStatus::Succeeded
            };
            self.rows = if self.status == JobStatus::Failed {
                ROWS_PER_POLL * running_for / 2
            } else {
                ROWS_PER_POLL * (running_for + 1)
            };
            self.ended_at = Some(now);
        }
        self.bytes = self.rows * BYTES_PER_ROW;
    }

    /// Cancels a job that has not ended.
    pub(crate) fn cancel(&mut self, now: i64) {
        self.status = JobStatus::Cancelled;
        self.updated_at = now;
        self.ended_at = Some(now);
    }

    /// Whether the job has an attempt (it has started).
    pub(crate) fn has_attempt(&self) -> bool {
        self.started_at.is_some()
    }
}

/// How many polls a job spends in each state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Polls {
    /// Polls a new job stays `pending` (0: it starts `running`).
    pub pending: u32,
    /// Polls a job then stays `running` before it ends.
    pub running: u32,
    /// Polls the slow connection's jobs stay `running`.
    pub slow_running: u32,
}

impl Default for Polls {
    fn default() -> Self {
        Self { pending: 1, running: 2, slow_running: 25 }
    }
}

/// All data the APIs serve.
#[derive(Clone, Debug)]
pub(crate) struct Data {
    pub(crate) workspaces: Vec<Workspace>,
    pub(crate) definitions: Vec<Definition>,
    pub(crate) actors: Vec<Actor>,
    pub(crate) connections: Vec<Connection>,
    pub(crate) jobs: Vec<Job>,
    pub(crate) next_job_id: i64,
    pub(crate) next_source: u64,
    pub(crate) next_destination: u64,
}

impl Data {
    /// The seeded data.
    pub(crate) fn seed() -> Self {
        let workspaces = vec![
            workspace(ids::WORKSPACE_ANALYTICS, "Analytics", 1),
            workspace(ids::WORKSPACE_MARKETING, "Marketing", 2),
        ];
        let definitions = specs::definitions();
        let actors = seed_actors();
        let connections = seed_connections(&actors, &definitions);
        let jobs = seed_jobs(&connections);
        Self {
            workspaces,
            definitions,
            next_source: 7,
            next_destination: 5,
            actors,
            connections,
            jobs,
            next_job_id: ids::FIRST_NEW_JOB_ID,
        }
    }

    /// The workspace with `id`.
    pub(crate) fn workspace(&self, id: Uuid) -> Option<&Workspace> {
        self.workspaces.iter().find(|w| w.id == id)
    }

    /// The definition with `id` of `kind`.
    pub(crate) fn definition(&self, kind: ActorKind, id: Uuid) -> Option<&Definition> {
        self.definitions.iter().find(|d| d.kind == kind && d.id == id)
    }

    /// The actor with `id` of `kind`.
    pub(crate) fn actor(&self, kind: ActorKind, id: Uuid) -> Option<&Actor> {
        self.actors.iter().find(|a| a.kind == kind && a.id == id)
    }

    /// The connection with `id`.
    pub(crate) fn connection(&self, id: Uuid) -> Option<&Connection> {
        self.connections.iter().find(|c| c.id == id)
    }

    /// The job with `id`.
    pub(crate) fn job_mut(&mut self, id: i64) -> Option<&mut Job> {
        self.jobs.iter_mut().find(|j| j.id == id)
    }

    /// A job of the connection that has not ended, if any.
    pub(crate) fn running_job(&self, connection_id: Uuid) -> Option<&Job> {
        self.jobs.iter().find(|j| j.connection_id == connection_id && !j.status.is_terminal())
    }

    /// Adds a source or destination and returns it.
    pub(crate) fn add_actor(
        &mut self,
        kind: ActorKind,
        workspace_id: Uuid,
        definition_id: Uuid,
        name: String,
        configuration: Value,
        now: i64,
    ) -> Actor {
        let id = match kind {
            ActorKind::Source => {
                self.next_source += 1;
                id(ids::SOURCE_PREFIX, self.next_source - 1)
            }
            ActorKind::Destination => {
                self.next_destination += 1;
                id(ids::DESTINATION_PREFIX, self.next_destination - 1)
            }
        };
        let actor =
            Actor { id, kind, workspace_id, definition_id, name, configuration, created_at: now };
        self.actors.push(actor.clone());
        actor
    }

    /// Starts a job of `kind` on a connection; the caller checked that none is running.
    pub(crate) fn start_job(
        &mut self,
        connection_id: Uuid,
        kind: JobKind,
        now: i64,
        polls: &Polls,
    ) -> Job {
        let id = self.next_job_id;
        self.next_job_id += 1;
        let job = match self.connection(connection_id) {
            Some(connection) => Job::new(id, connection, kind, now, polls),
            None => Job::new(id, &placeholder_connection(connection_id), kind, now, polls),
        };
        self.jobs.push(job.clone());
        job
    }
}

fn placeholder_connection(id: Uuid) -> Connection {
    Connection {
        id,
        workspace_id: Uuid::nil(),
        source_id: Uuid::nil(),
        destination_id: Uuid::nil(),
        name: String::new(),
        deleted: false,
        behavior: Behavior::Normal,
        created_at: SEED_TIME,
        streams: Vec::new(),
        incremental: false,
    }
}

fn workspace(id: Uuid, name: &str, n: u64) -> Workspace {
    Workspace {
        id,
        name: name.to_owned(),
        organization_id: ids::ORGANIZATION,
        customer_id: ids::id(ids::CUSTOMER_PREFIX, n),
    }
}

fn seed_actors() -> Vec<Actor> {
    let source = |id: Uuid, ws: Uuid, def: Uuid, name: &str, configuration: Value| Actor {
        id,
        kind: ActorKind::Source,
        workspace_id: ws,
        definition_id: def,
        name: name.to_owned(),
        configuration,
        created_at: SEED_TIME,
    };
    let destination = |id: Uuid, ws: Uuid, def: Uuid, name: &str, configuration: Value| Actor {
        kind: ActorKind::Destination,
        ..source(id, ws, def, name, configuration)
    };
    let (analytics, marketing) = (ids::WORKSPACE_ANALYTICS, ids::WORKSPACE_MARKETING);
    vec![
        source(
            ids::SOURCE_POSTGRES_PRODUCTION,
            analytics,
            ids::SOURCE_DEFINITION_POSTGRES,
            "Postgres (production)",
            json!({"host": "db.internal.example", "port": 5432, "database": "app",
                   "username": "airbyte", "password": "pg-prod-password",
                   "ssl_mode": "require", "include_views": false}),
        ),
        source(
            ids::SOURCE_STRIPE_REVOKED,
            analytics,
            ids::SOURCE_DEFINITION_STRIPE,
            "Stripe (revoked key)",
            json!({"account_id": "acct_1Standin", "client_secret": "invalid",
                   "start_date": "2025-01-01T00:00:00Z", "lookback_window_days": 0,
                   "environment": "live", "expand_subscriptions": true}),
        ),
        source(
            ids::SOURCE_GITHUB,
            analytics,
            ids::SOURCE_DEFINITION_GITHUB,
            "GitHub (airbytehq)",
            json!({"repositories": ["airbytehq/airbyte", "airbytehq/airbyte-platform"],
                   "personal_access_token": "ghp_standinstandinstandin",
                   "repository_visibility": "public", "max_waiting_time": 10,
                   "include_forks": false}),
        ),
        source(
            ids::SOURCE_HUBSPOT,
            analytics,
            ids::SOURCE_DEFINITION_HUBSPOT,
            "HubSpot CRM",
            json!({"credentials_title": "Private App Credentials",
                   "access_token": "pat-standin-hubspot", "start_date": "2024-06-01T00:00:00Z",
                   "enable_experimental_streams": false, "lookback_window": 7}),
        ),
        source(
            ids::SOURCE_POSTGRES_MARKETING,
            marketing,
            ids::SOURCE_DEFINITION_POSTGRES,
            "Postgres (marketing)",
            json!({"host": "marketing-db.example", "port": 6432, "database": "campaigns",
                   "username": "reader", "password": "pg-marketing-password",
                   "ssl_mode": "prefer", "include_views": true}),
        ),
        source(
            ids::SOURCE_STRIPE_BILLING,
            marketing,
            ids::SOURCE_DEFINITION_STRIPE,
            "Stripe (billing)",
            json!({"account_id": "acct_2Standin", "client_secret": "sk_test_standin",
                   "start_date": "2025-06-01T00:00:00Z", "lookback_window_days": 3,
                   "environment": "test", "expand_subscriptions": false}),
        ),
        destination(
            ids::DESTINATION_BIGQUERY_WAREHOUSE,
            analytics,
            ids::DESTINATION_DEFINITION_BIGQUERY,
            "Warehouse (BigQuery)",
            json!({"project_id": "standin-analytics", "dataset_id": "raw",
                   "dataset_location": "US", "credentials_json": "{\"type\":\"service_account\"}",
                   "transformation_priority": "interactive",
                   "big_query_client_buffer_size_mb": 15, "disable_type_dedupe": false}),
        ),
        destination(
            ids::DESTINATION_POSTGRES_REPORTING,
            analytics,
            ids::DESTINATION_DEFINITION_POSTGRES,
            "Reporting (Postgres)",
            json!({"host": "reporting-db.example", "port": 5432, "database": "reporting",
                   "schema": "public", "username": "writer", "password": "pg-reporting-password",
                   "ssl_mode": "require", "disable_type_dedupe": false}),
        ),
        destination(
            ids::DESTINATION_SNOWFLAKE_MARKETING,
            marketing,
            ids::DESTINATION_DEFINITION_SNOWFLAKE,
            "Snowflake (marketing)",
            json!({"host": "standin.snowflakecomputing.com", "role": "AIRBYTE_ROLE",
                   "warehouse": "AIRBYTE_WH", "database": "MARKETING", "schema": "RAW",
                   "username": "AIRBYTE_USER", "password": "snowflake-password",
                   "auth_type": "Username and Password", "retention_period_days": 1,
                   "disable_type_dedupe": false}),
        ),
        destination(
            ids::DESTINATION_BIGQUERY_MARKETING,
            marketing,
            ids::DESTINATION_DEFINITION_BIGQUERY,
            "BigQuery (marketing)",
            json!({"project_id": "standin-marketing", "dataset_id": "marketing_raw",
                   "dataset_location": "EU", "credentials_json": "{\"type\":\"service_account\"}",
                   "transformation_priority": "batch",
                   "big_query_client_buffer_size_mb": 8, "disable_type_dedupe": true}),
        ),
    ]
}

fn seed_connections(actors: &[Actor], definitions: &[Definition]) -> Vec<Connection> {
    use ids::*;
    // (source, destination, behavior, deleted) in id order.
    let mut plan: Vec<(Uuid, Uuid, Behavior, bool)> = vec![
        (SOURCE_POSTGRES_PRODUCTION, DESTINATION_BIGQUERY_WAREHOUSE, Behavior::Normal, false),
        (SOURCE_STRIPE_REVOKED, DESTINATION_BIGQUERY_WAREHOUSE, Behavior::Failing, false),
        (SOURCE_GITHUB, DESTINATION_POSTGRES_REPORTING, Behavior::Slow, false),
    ];
    let analytics_sources = [SOURCE_POSTGRES_PRODUCTION, SOURCE_GITHUB, SOURCE_HUBSPOT];
    let analytics_destinations = [DESTINATION_BIGQUERY_WAREHOUSE, DESTINATION_POSTGRES_REPORTING];
    for i in 0..12 {
        plan.push((
            analytics_sources[i % 3],
            analytics_destinations[(i / 3) % 2],
            Behavior::Normal,
            false,
        ));
    }
    let marketing_sources = [SOURCE_POSTGRES_MARKETING, SOURCE_STRIPE_BILLING];
    let marketing_destinations = [DESTINATION_SNOWFLAKE_MARKETING, DESTINATION_BIGQUERY_MARKETING];
    for i in 0..10 {
        plan.push((
            marketing_sources[i % 2],
            marketing_destinations[(i / 2) % 2],
            Behavior::Normal,
            false,
        ));
    }
    plan.push((SOURCE_POSTGRES_MARKETING, DESTINATION_SNOWFLAKE_MARKETING, Behavior::Normal, true));

    let actor = |id: Uuid| actors.iter().find(|a| a.id == id);
    plan.into_iter()
        .enumerate()
        .map(|(index, (source_id, destination_id, behavior, deleted))| {
            let n = index as u64 + 1;
            let source = actor(source_id);
            let destination = actor(destination_id);
            let workspace_id = source.map_or(Uuid::nil(), |s| s.workspace_id);
            let streams = source
                .and_then(|s| definitions.iter().find(|d| d.id == s.definition_id))
                .map(|d| d.streams.clone())
                .unwrap_or_default();
            let mut name = format!(
                "{} → {}",
                source.map_or("?", |s| s.name.as_str()),
                destination.map_or("?", |d| d.name.as_str())
            );
            match behavior {
                Behavior::Failing => name.push_str(" [fails]"),
                Behavior::Slow => name.push_str(" [slow]"),
                Behavior::Normal => name.push_str(&format!(" #{n:02}")),
            }
            if deleted {
                name.push_str(" [deleted]");
            }
            Connection {
                id: id(CONNECTION_PREFIX, n),
                workspace_id,
                source_id,
                destination_id,
                name,
                deleted,
                behavior,
                created_at: SEED_TIME + 60 * index as i64,
                streams,
                incremental: n % 2 == 1,
            }
        })
        .collect()
}

fn seed_jobs(connections: &[Connection]) -> Vec<Job> {
    let finished = |id: i64, connection: &Connection, status: JobStatus, start: i64, secs: i64| {
        let rows = if status == JobStatus::Succeeded { 48_211 } else { 1_024 };
        Job {
            id,
            connection_id: connection.id,
            kind: JobKind::Sync,
            behavior: connection.behavior,
            status,
            created_at: start,
            updated_at: start + secs,
            started_at: Some(start + 5),
            ended_at: Some(start + secs),
            polls: 0,
            pending_polls: 0,
            running_polls: 0,
            rows,
            bytes: rows * BYTES_PER_ROW,
        }
    };
    let day = 86_400;
    let (Some(ok), Some(failing)) = (connections.first(), connections.get(1)) else {
        return Vec::new();
    };
    vec![
        finished(1, ok, JobStatus::Succeeded, SEED_TIME + day, 754),
        finished(2, failing, JobStatus::Failed, SEED_TIME + day + 3600, 61),
        finished(3, ok, JobStatus::Succeeded, SEED_TIME + 2 * day, 812),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_has_the_promised_shape() {
        let data = Data::seed();
        assert_eq!(data.workspaces.len(), 2);
        assert_eq!(data.connections.len(), ids::ACTIVE_CONNECTIONS + 1);
        assert_eq!(data.connections.iter().filter(|c| !c.deleted).count(), ids::ACTIVE_CONNECTIONS);
        assert_eq!(data.connection(ids::CONNECTION_FAILING).unwrap().behavior, Behavior::Failing);
        assert_eq!(data.connection(ids::CONNECTION_SLOW).unwrap().behavior, Behavior::Slow);
        assert!(data.connection(ids::CONNECTION_DELETED).unwrap().deleted);
        for connection in &data.connections {
            let source = data.actor(ActorKind::Source, connection.source_id).unwrap();
            let destination =
                data.actor(ActorKind::Destination, connection.destination_id).unwrap();
            assert_eq!(source.workspace_id, connection.workspace_id);
            assert_eq!(destination.workspace_id, connection.workspace_id);
            assert!(!connection.streams.is_empty());
        }
        // Only the failing connection reads from the source with the revoked key.
        let revoked: Vec<_> = data
            .connections
            .iter()
            .filter(|c| c.source_id == ids::SOURCE_STRIPE_REVOKED)
            .map(|c| c.id)
            .collect();
        assert_eq!(revoked, vec![ids::CONNECTION_FAILING]);
        let ws1 = data.connections.iter().filter(|c| c.workspace_id == ids::WORKSPACE_ANALYTICS);
        assert_eq!(ws1.count(), 15);
    }

    #[test]
    fn jobs_move_one_step_per_poll() {
        let data = Data::seed();
        let polls = Polls { pending: 1, running: 2, slow_running: 5 };
        let ok = data.connection(ids::CONNECTION_OK).unwrap();
        let mut job = Job::new(10, ok, JobKind::Sync, 100, &polls);
        let mut seen = vec![(job.status, job.rows)];
        for t in 1..6 {
            job.poll(100 + t);
            seen.push((job.status, job.rows));
        }
        use JobStatus::*;
        assert_eq!(
            seen,
            vec![
                (Pending, 0),
                (Running, 0),
                (Running, ROWS_PER_POLL),
                (Succeeded, 3 * ROWS_PER_POLL),
                (Succeeded, 3 * ROWS_PER_POLL),
                (Succeeded, 3 * ROWS_PER_POLL)
            ]
        );
        assert_eq!(job.ended_at, Some(103));

        let failing = data.connection(ids::CONNECTION_FAILING).unwrap();
        let mut job = Job::new(11, failing, JobKind::Sync, 100, &polls);
        (0..3).for_each(|t| job.poll(101 + t));
        assert_eq!(job.status, Failed);

        let slow = data.connection(ids::CONNECTION_SLOW).unwrap();
        let mut job = Job::new(12, slow, JobKind::Sync, 100, &Polls { pending: 0, ..polls });
        assert_eq!(job.status, Running);
        (0..4).for_each(|t| job.poll(101 + t));
        assert_eq!(job.status, Running);
        job.poll(200);
        assert_eq!(job.status, Succeeded);
    }
}
