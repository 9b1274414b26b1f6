//! `airbyte`: a command-line client for Airbyte built on `airbyte-core`'s blocking transport.
//!
//! Exit status: 0 on success; 1 when a waited-for job did not succeed; 2 for bad usage; 3 when
//! the server or the network failed.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod output;

use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use airbyte_core::blocking::BlockingClient;
use airbyte_core::flow::jobs::{JobKind, JobOutcome, JobReport, WaitSettings};
use airbyte_core::flow::task::Engine;
use airbyte_core::{Api, ClientConfig, Credentials, Secret};
use clap::Parser;
use serde_json::{json, Value};

use args::{
    ApiChoice, Cli, Command, ConnectionsCommand, JobsCommand, KindChoice, ServerArgs, SyncArgs,
    WorkspacesCommand,
};
use output::{table, Column, ProgressLine};

/// A failure, with the exit status it maps to.
struct Failure {
    status: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Self { status: 2, message: message.into() }
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(error: E) -> Self {
        Self { status: 3, message: error.to_string() }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("airbyte: {}", failure.message);
            ExitCode::from(failure.status)
        }
    }
}

/// A connected client; keeps the embedded stand-in alive while it is used.
struct Session {
    client: BlockingClient,
    api: Api,
    _standin: Option<airbyte_standin::Handle>,
}

fn is_cloud(url: &str) -> bool {
    let url = url.trim().trim_end_matches('/');
    url.eq_ignore_ascii_case("cloud")
        || ["https://api.airbyte.com", "https://cloud.airbyte.com"]
            .iter()
            .any(|c| url.starts_with(c))
}

fn connect(server: &ServerArgs) -> Result<Session, Failure> {
    let mut standin = None;
    let mut client_id = server.client_id.clone();
    let mut client_secret = server.client_secret.clone();
    let mut config = match &server.url {
        Some(url) if is_cloud(url) => ClientConfig::cloud(),
        Some(url) => ClientConfig::self_managed(url)?,
        None if server.public_root.is_some() || server.config_root.is_some() => {
            ClientConfig::cloud()
        }
        None => {
            let handle = airbyte_standin::Standin::start(airbyte_standin::Options::default())
                .map_err(|e| Failure {
                    status: 3,
                    message: format!("cannot start the embedded stand-in: {e}"),
                })?;
            eprintln!(
                "airbyte: no server given (--url or AIRBYTE_URL); using an embedded stand-in at {}",
                handle.base_url()
            );
            let config = ClientConfig::self_managed(handle.base_url())?;
            if server.token.is_none() && client_id.is_none() && client_secret.is_none() {
                client_id = Some(airbyte_standin::DEFAULT_CLIENT_ID.to_owned());
                client_secret = Some(airbyte_standin::DEFAULT_CLIENT_SECRET.to_owned());
            }
            standin = Some(handle);
            config
        }
    };
    if let Some(root) = &server.public_root {
        config = config.with_public_root(root)?;
    }
    if let Some(root) = &server.config_root {
        config = config.with_config_root(root)?;
    }
    config = config.with_user_agent(concat!("airbyte-cli/", env!("CARGO_PKG_VERSION")));

    let credentials = match (&server.token, client_id, client_secret) {
        (Some(token), None, None) => Credentials::Bearer(Secret::new(token.clone())),
        (Some(_), _, _) => {
            return Err(Failure::usage(
                "give either --token or --client-id/--client-secret, not both",
            ))
        }
        (None, Some(client_id), Some(secret)) => Credentials::ClientCredentials {
            client_id,
            client_secret: Secret::new(secret),
            token_url: server.token_url.clone(),
        },
        (None, Some(_), None) | (None, None, Some(_)) => {
            return Err(Failure::usage("--client-id and --client-secret go together"));
        }
        (None, None, None) => Credentials::None,
    };
    let engine = Engine::new(config, credentials)?;
    let api = match server.api {
        ApiChoice::Public => Api::Public,
        ApiChoice::Config => Api::Config,
    };
    Ok(Session { client: BlockingClient::new(engine), api, _standin: standin })
}

fn run(cli: &Cli) -> Result<ExitCode, Failure> {
    let session = connect(&cli.server)?;
    match &cli.command {
        Command::Health => health(&session, cli.json),
        Command::Workspaces { command: WorkspacesCommand::List { organization } } => {
            list_workspaces(&session, organization.as_deref(), cli.json)
        }
        Command::Connections { command: ConnectionsCommand::List { workspaces } } => {
            list_connections(&session, workspaces, cli.json)
        }
        Command::Jobs { command } => match command {
            JobsCommand::List { connection, status, limit } => {
                list_jobs(&session, connection.as_deref(), status.as_deref(), *limit, cli.json)
            }
            JobsCommand::Get { job_id } => get_job(&session, *job_id, cli.json),
            JobsCommand::Cancel { job_id } => cancel_job(&session, *job_id, cli.json),
        },
        Command::Sync(args) => sync(&session, args, cli.json),
    }
}

fn print_json(value: &Value) {
    println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
}

fn health(session: &Session, as_json: bool) -> Result<ExitCode, Failure> {
    let output = session.client.call_json(session.api, "getHealthCheck", &json!({}))?;
    // The public API answers 200 without a body; the Configuration API with `{available}`.
    let available = output.get("available").and_then(Value::as_bool).unwrap_or(true);
    if as_json {
        print_json(&json!({"available": available}));
    } else {
        println!("{}", if available { "ok" } else { "unavailable" });
    }
    Ok(if available { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn collect_pages(session: &Session, id: &str, input: Value) -> Result<Vec<Value>, Failure> {
    let mut items = Vec::new();
    session.client.for_each_page(session.api, id, input, None, &mut |page| items.extend(page))?;
    Ok(items)
}

fn list_workspaces(
    session: &Session,
    organization: Option<&str>,
    as_json: bool,
) -> Result<ExitCode, Failure> {
    let items = match session.api {
        Api::Public => collect_pages(session, "listWorkspaces", json!({}))?,
        Api::Config => {
            let organization = organization
                .ok_or_else(|| Failure::usage("with --api config, give --organization <id>"))?;
            collect_pages(
                session,
                "listWorkspacesInOrganization",
                json!({"body": {"organizationId": organization}}),
            )?
        }
    };
    if as_json {
        print_json(&Value::Array(items));
        return Ok(ExitCode::SUCCESS);
    }
    print!(
        "{}",
        table(
            &items,
            &[
                Column { heading: "WORKSPACE ID", keys: &["workspaceId"] },
                Column { heading: "NAME", keys: &["name"] },
                Column { heading: "REGION", keys: &["dataResidency", "dataplaneGroupId"] },
            ],
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn list_connections(
    session: &Session,
    workspaces: &[String],
    as_json: bool,
) -> Result<ExitCode, Failure> {
    let items = match session.api {
        Api::Public => {
            let input =
                if workspaces.is_empty() { json!({}) } else { json!({"workspaceIds": workspaces}) };
            collect_pages(session, "listConnections", input)?
        }
        Api::Config => {
            if workspaces.is_empty() {
                return Err(Failure::usage(
                    "with --api config, give --workspace <id> (repeatable)",
                ));
            }
            let mut items = Vec::new();
            for workspace in workspaces {
                let input = json!({"body": {"workspaceId": workspace}});
                let output =
                    session.client.call_json(Api::Config, "listConnectionsForWorkspace", &input)?;
                items.extend(
                    output
                        .get("connections")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default(),
                );
            }
            items
        }
    };
    if as_json {
        print_json(&Value::Array(items));
        return Ok(ExitCode::SUCCESS);
    }
    print!(
        "{}",
        table(
            &items,
            &[
                Column { heading: "CONNECTION ID", keys: &["connectionId"] },
                Column { heading: "NAME", keys: &["name"] },
                Column { heading: "STATUS", keys: &["status"] },
                Column { heading: "SOURCE ID", keys: &["sourceId"] },
                Column { heading: "DESTINATION ID", keys: &["destinationId"] },
                Column { heading: "SCHEDULE", keys: &["schedule.scheduleType", "scheduleType"] },
            ],
        )
    );
    Ok(ExitCode::SUCCESS)
}

const JOB_COLUMNS: &[Column] = &[
    Column { heading: "JOB ID", keys: &["jobId", "job.id", "id"] },
    Column { heading: "TYPE", keys: &["jobType", "job.configType", "configType"] },
    Column { heading: "STATUS", keys: &["status", "job.status"] },
    Column { heading: "CONNECTION ID", keys: &["connectionId", "job.configId", "configId"] },
    Column { heading: "STARTED", keys: &["startTime", "job.createdAt", "createdAt"] },
    Column { heading: "ROWS", keys: &["rowsSynced", "job.aggregatedStats.recordsCommitted"] },
    Column { heading: "BYTES", keys: &["bytesSynced", "job.aggregatedStats.bytesCommitted"] },
];

fn list_jobs(
    session: &Session,
    connection: Option<&str>,
    status: Option<&str>,
    limit: u32,
    as_json: bool,
) -> Result<ExitCode, Failure> {
    let limit = limit.clamp(1, 100);
    let items = match session.api {
        Api::Public => {
            let mut input = json!({"limit": limit, "orderBy": "createdAt|DESC"});
            if let Some(connection) = connection {
                input["connectionId"] = json!(connection);
            }
            if let Some(status) = status {
                input["status"] = json!(status);
            }
            let output = session.client.call_json(Api::Public, "listJobs", &input)?;
            output.get("data").and_then(Value::as_array).cloned().unwrap_or_default()
        }
        Api::Config => {
            let connection = connection
                .ok_or_else(|| Failure::usage("with --api config, give --connection <id>"))?;
            let mut body = json!({"configTypes": ["sync", "reset_connection", "refresh", "clear"],
                "configId": connection, "pagination": {"pageSize": limit},
                "orderByField": "createdAt", "orderByMethod": "DESC"});
            if let Some(status) = status {
                body["statuses"] = json!([status]);
            }
            let output =
                session.client.call_json(Api::Config, "listJobsFor", &json!({"body": body}))?;
            output.get("jobs").and_then(Value::as_array).cloned().unwrap_or_default()
        }
    };
    if as_json {
        print_json(&Value::Array(items));
    } else {
        print!("{}", table(&items, JOB_COLUMNS));
    }
    Ok(ExitCode::SUCCESS)
}

fn job_input(api: Api, job_id: i64) -> Value {
    match api {
        Api::Public => json!({"jobId": job_id}),
        Api::Config => json!({"body": {"id": job_id}}),
    }
}

fn get_job(session: &Session, job_id: i64, as_json: bool) -> Result<ExitCode, Failure> {
    let id = if session.api == Api::Public { "getJob" } else { "getJobInfoLight" };
    let output = session.client.call_json(session.api, id, &job_input(session.api, job_id))?;
    if as_json {
        print_json(&output);
    } else {
        print!("{}", table(std::slice::from_ref(&output), JOB_COLUMNS));
    }
    Ok(ExitCode::SUCCESS)
}

fn cancel_job(session: &Session, job_id: i64, as_json: bool) -> Result<ExitCode, Failure> {
    let output =
        session.client.call_json(session.api, "cancelJob", &job_input(session.api, job_id))?;
    if as_json {
        print_json(&output);
    } else {
        let job = output.get("job").unwrap_or(&output);
        let status = job.get("status").and_then(Value::as_str).unwrap_or("unknown");
        println!("job {job_id}: {status}");
    }
    Ok(ExitCode::SUCCESS)
}

fn kind_of(kind: KindChoice) -> JobKind {
    match kind {
        KindChoice::Sync => JobKind::Sync,
        KindChoice::Reset => JobKind::Reset,
        KindChoice::Refresh => JobKind::Refresh,
        KindChoice::Clear => JobKind::Clear,
    }
}

fn sync(session: &Session, args: &SyncArgs, as_json: bool) -> Result<ExitCode, Failure> {
    let kind = kind_of(args.kind);
    if !args.wait {
        let (id, input) = match (session.api, kind) {
            (Api::Public, kind) => (
                "createJob",
                json!({"body": {"connectionId": args.connection_id, "jobType": kind.as_str()}}),
            ),
            (Api::Config, JobKind::Sync) => {
                ("syncConnection", json!({"body": {"connectionId": args.connection_id}}))
            }
            (Api::Config, JobKind::Reset) => {
                ("resetConnection", json!({"body": {"connectionId": args.connection_id}}))
            }
            (Api::Config, JobKind::Clear) => {
                ("clearConnection", json!({"body": {"connectionId": args.connection_id}}))
            }
            (Api::Config, JobKind::Refresh) => (
                "refreshConnectionStream",
                json!({"body": {"connectionId": args.connection_id, "refreshMode": "Merge"}}),
            ),
        };
        let output = session.client.call_json(session.api, id, &input)?;
        if as_json {
            print_json(&output);
        } else {
            let job = output.get("job").unwrap_or(&output);
            let job_id = job
                .get("jobId")
                .or_else(|| job.get("id"))
                .and_then(Value::as_i64)
                .unwrap_or_default();
            let status = job.get("status").and_then(Value::as_str).unwrap_or("unknown");
            println!("started job {job_id} ({status})");
        }
        return Ok(ExitCode::SUCCESS);
    }

    let settings = WaitSettings {
        poll_interval: Duration::from_secs_f64(args.poll.max(0.05)),
        request_timeout: Duration::from_secs(30),
        deadline: Some(Duration::from_secs(args.timeout)),
        cancel_on_deadline: true,
    };
    let cancel = session.client.cancel_flag();
    let _ = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed));
    let started = std::time::Instant::now();
    let mut line = ProgressLine::new();
    let report = session.client.run_job(
        session.api,
        &args.connection_id,
        kind,
        args.attach,
        settings,
        &mut |p| {
            line.show(
                p.job_id,
                &p.status,
                p.rows_synced,
                p.bytes_synced,
                started.elapsed().as_secs(),
            );
        },
    );
    line.finish();
    let report = report?;
    if as_json {
        print_json(&serde_json::to_value(&report).unwrap_or_default());
    } else {
        println!("{}", summary(&report));
    }
    Ok(if report.outcome == JobOutcome::Succeeded { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn summary(report: &JobReport) -> String {
    let progress = &report.progress;
    let outcome = match report.outcome {
        JobOutcome::Succeeded => "succeeded",
        JobOutcome::Failed => "failed",
        JobOutcome::Cancelled => "was cancelled",
        JobOutcome::TimedOut if report.cancel_requested => "timed out and was cancelled",
        JobOutcome::TimedOut => "timed out",
    };
    let mut text = format!("job {} {outcome}", progress.job_id);
    if let Some(rows) = progress.rows_synced {
        text.push_str(&format!(": {} rows", output::thousands(rows)));
        if let Some(size) = progress.bytes_synced {
            text.push_str(&format!(", {}", output::bytes(size)));
        }
    }
    text.push_str(&format!(" in {:.1}s", report.elapsed_ms as f64 / 1000.0));
    if report.attached {
        text.push_str(" (attached to a job that was already running)");
    }
    if let Some(failure) = &report.failure_summary {
        text.push_str(&format!("\n  failure: {failure}"));
    }
    text
}
