//! The Configuration API (`config.yaml`, `/v1/...`), served under `/api/v1`.

use airbyte_core::config_api::models as m;
use airbyte_core::config_api::ops as op;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::actors;
use crate::api::{anonymous_route, ok, route, Ctx, Reply, Route};
use crate::errors;
use crate::http::HttpResponse;
use crate::ids;
use crate::specs;
use crate::state::{Actor, ActorKind, Connection, Definition, Job, JobKind, JobStatus};
use crate::util::rfc3339;

/// The Configuration API's routes.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        route::<op::GetHealthCheck>(health),
        anonymous_route::<op::ApplicationTokenRequest>(application_token),
        route::<op::GetWorkspace>(get_workspace),
        route::<op::ListWorkspacesPaginated>(list_workspaces_paginated),
        route::<op::ListWorkspacesInOrganization>(list_workspaces_in_organization),
        route::<op::ListConnectionsForWorkspace>(list_connections),
        route::<op::GetConnection>(get_connection),
        route::<op::SyncConnection>(sync_connection),
        route::<op::ResetConnection>(reset_connection),
        route::<op::GetJobInfo>(get_job),
        route::<op::GetJobInfoLight>(get_job_light),
        route::<op::GetJobInfoWithoutLogs>(get_job_without_logs),
        route::<op::CancelJob>(cancel_job),
        route::<op::ListJobsFor>(list_jobs),
        route::<op::ListSourceDefinitions>(list_source_definitions),
        route::<op::ListSourceDefinitionsForWorkspace>(list_source_definitions_for_workspace),
        route::<op::GetSourceDefinitionSpecification>(source_specification),
        route::<op::ListDestinationDefinitions>(list_destination_definitions),
        route::<op::ListDestinationDefinitionsForWorkspace>(
            list_destination_definitions_for_workspace,
        ),
        route::<op::GetDestinationDefinitionSpecification>(destination_specification),
        route::<op::CreateSource>(create_source),
        route::<op::GetSource>(get_source),
        route::<op::ListSourcesForWorkspace>(list_sources),
        route::<op::ExecuteSourceCheckConnection>(check_source_config),
        route::<op::CheckConnectionToSource>(check_source),
        route::<op::CreateDestination>(create_destination),
        route::<op::GetDestination>(get_destination),
        route::<op::ListDestinationsForWorkspace>(list_destinations),
        route::<op::ExecuteDestinationCheckConnection>(check_destination_config),
        route::<op::CheckConnectionToDestination>(check_destination),
    ]
}

fn health(_ctx: &mut Ctx<'_>) -> Reply {
    ok(&m::HealthCheckRead::new(true))
}

fn application_token(ctx: &mut Ctx<'_>) -> Reply {
    let (token, _) = crate::public::issue_token(ctx)?;
    ok(&m::AccessToken::new(token))
}

/// The body if one was sent, else `None` (for operations whose body is optional).
fn optional_body<T: serde::de::DeserializeOwned>(
    ctx: &Ctx<'_>,
    schema: &str,
) -> Result<Option<T>, HttpResponse> {
    if ctx.request.body.iter().all(u8::is_ascii_whitespace) {
        Ok(None)
    } else {
        ctx.body(schema).map(Some)
    }
}

/// `pagination {pageSize, rowOffset}` applied to `items`.
fn paginate<T>(items: Vec<T>, pagination: Option<&m::Pagination>) -> Result<Vec<T>, HttpResponse> {
    let size = pagination.and_then(|p| p.page_size);
    let offset = pagination.and_then(|p| p.row_offset).unwrap_or(0);
    if size.is_some_and(|s| s < 1) || offset < 0 {
        return Err(errors::known_exception(
            422,
            "pagination.pageSize must be at least 1 and pagination.rowOffset at least 0",
        ));
    }
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let size = size.map_or(usize::MAX, |s| usize::try_from(s).unwrap_or(usize::MAX));
    Ok(items.into_iter().skip(offset).take(size).collect())
}

fn workspace_read(workspace: &crate::state::Workspace) -> m::WorkspaceRead {
    let mut read = m::WorkspaceRead::new(
        workspace.id,
        workspace.customer_id,
        workspace.name.clone(),
        workspace.name.to_ascii_lowercase(),
        true,
        workspace.organization_id,
    );
    read.email = Some(format!("{}@standin.example", workspace.name.to_ascii_lowercase()));
    read.anonymous_data_collection = Some(false);
    read.news = Some(false);
    read.security_updates = Some(false);
    read.display_setup_wizard = Some(false);
    read.notifications = Some(Vec::new());
    read.tombstone = Some(false);
    read
}

fn get_workspace(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::WorkspaceIdRequestBody = ctx.body("WorkspaceIdRequestBody")?;
    match ctx.inner.data.workspace(request.workspace_id) {
        Some(workspace) => ok(&workspace_read(workspace)),
        None => Err(errors::error_id_only(404)),
    }
}

fn name_matches(name: &str, contains: Option<&String>) -> bool {
    contains.is_none_or(|c| name.to_lowercase().contains(&c.to_lowercase()))
}

fn list_workspaces_paginated(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::ListResourcesForWorkspacesRequestBody =
        ctx.body("ListResourcesForWorkspacesRequestBody")?;
    let all: Vec<m::WorkspaceRead> = ctx
        .inner
        .data
        .workspaces
        .iter()
        .filter(|w| request.workspace_ids.is_empty() || request.workspace_ids.contains(&w.id))
        .filter(|w| name_matches(&w.name, request.name_contains.as_ref()))
        .map(workspace_read)
        .collect();
    ok(&m::WorkspaceReadList::new(paginate(all, Some(&request.pagination))?))
}

fn list_workspaces_in_organization(ctx: &mut Ctx<'_>) -> Reply {
    let Some(request) = optional_body::<m::ListWorkspacesInOrganizationRequestBody>(
        ctx,
        "ListWorkspacesInOrganizationRequestBody",
    )?
    else {
        return Err(errors::known_exception(
            422,
            "the request body is required: send organizationId",
        ));
    };
    if request.organization_id != ids::ORGANIZATION {
        return Err(errors::error_id_only(404));
    }
    let all: Vec<m::WorkspaceRead> = ctx
        .inner
        .data
        .workspaces
        .iter()
        .filter(|w| name_matches(&w.name, request.name_contains.as_ref()))
        .map(workspace_read)
        .collect();
    ok(&m::WorkspaceReadList::new(paginate(all, request.pagination.as_ref())?))
}

fn catalog(ctx: &Ctx<'_>, connection: &Connection) -> m::AirbyteCatalog {
    let _ = ctx;
    let streams = connection
        .streams
        .iter()
        .map(|(namespace, name)| {
            let mut stream = m::AirbyteStream::new((*name).to_owned());
            if !namespace.is_empty() {
                stream.namespace = Some((*namespace).to_owned());
            }
            stream.json_schema = Some(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": ["null", "string"]},
                    "updated_at": {"type": "string", "format": "date-time"}
                }
            }));
            stream.supported_sync_modes =
                Some(vec![m::SyncMode::FullRefresh, m::SyncMode::Incremental]);
            stream.source_defined_cursor = Some(false);
            stream.default_cursor_field = Some(vec!["updated_at".to_owned()]);
            stream.source_defined_primary_key = Some(vec![vec!["id".to_owned()]]);
            let mut config = if connection.incremental {
                let mut config = m::AirbyteStreamConfiguration::new(
                    m::SyncMode::Incremental,
                    m::DestinationSyncMode::AppendDedup,
                );
                config.cursor_field = Some(vec!["updated_at".to_owned()]);
                config
            } else {
                m::AirbyteStreamConfiguration::new(
                    m::SyncMode::FullRefresh,
                    m::DestinationSyncMode::Overwrite,
                )
            };
            config.primary_key = Some(vec![vec!["id".to_owned()]]);
            config.alias_name = Some((*name).to_owned());
            config.selected = Some(true);
            let mut item = m::AirbyteStreamAndConfiguration::new();
            item.stream = Some(stream);
            item.config = Some(config);
            item
        })
        .collect();
    m::AirbyteCatalog::new(streams)
}

fn connection_read(ctx: &Ctx<'_>, connection: &Connection) -> m::ConnectionRead {
    let status = if connection.deleted {
        m::ConnectionStatus::Deprecated
    } else {
        m::ConnectionStatus::Active
    };
    let mut read = m::ConnectionRead::new(
        connection.id,
        connection.name.clone(),
        connection.source_id,
        connection.destination_id,
        catalog(ctx, connection),
        status,
        false,
    );
    read.namespace_definition = Some(m::NamespaceDefinitionType::Destination);
    read.prefix = Some(String::new());
    read.schedule_type = Some(m::ConnectionScheduleType::Manual);
    read.non_breaking_changes_preference = Some(m::NonBreakingChangesPreference::Ignore);
    read.notify_schema_changes = Some(false);
    read.created_at = Some(connection.created_at);
    read.workspace_id = Some(connection.workspace_id);
    read.tags = Some(Vec::new());
    read
}

fn list_connections(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::WorkspaceIdRequestBody = ctx.body("WorkspaceIdRequestBody")?;
    if ctx.inner.data.workspace(request.workspace_id).is_none() {
        return Err(errors::error_id_only(404));
    }
    let include_deleted = request.include_tombstone == Some(true);
    let connections = ctx
        .inner
        .data
        .connections
        .iter()
        .filter(|c| c.workspace_id == request.workspace_id && (include_deleted || !c.deleted))
        .map(|c| connection_read(ctx, c))
        .collect();
    ok(&m::ConnectionReadList::new(connections))
}

fn get_connection(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::ConnectionIdRequestBody = ctx.body("ConnectionIdRequestBody")?;
    match ctx.inner.data.connection(request.connection_id) {
        Some(connection) => ok(&connection_read(ctx, connection)),
        None => Err(errors::error_id_only(404)),
    }
}

fn job_read(job: &Job) -> m::JobRead {
    let mut read = m::JobRead::new(
        job.id,
        m::JobConfigType::from_wire(job.kind.config_name()),
        job.connection_id.to_string(),
        job.created_at,
        job.updated_at,
        m::JobStatus::from_wire(job.status.as_str()),
    );
    read.started_at = job.started_at;
    read.aggregated_stats =
        Some(m::JobAggregatedStats::new(job.rows, job.bytes, job.rows, job.bytes, 0));
    read
}

fn failure_reason(job: &Job) -> Option<m::FailureReason> {
    let ended = job.ended_at.unwrap_or(job.updated_at);
    let mut reason = m::FailureReason::new(ended.saturating_mul(1000));
    match job.status {
        JobStatus::Failed => {
            reason.failure_origin = Some(m::FailureOrigin::Source);
            reason.failure_type = Some(m::FailureType::ConfigError);
            reason.external_message = Some(
                "The source rejected the credentials: Invalid API Key provided (HTTP 401). \
                 Update the source's credentials and try again."
                    .to_owned(),
            );
            reason.internal_message = Some(
                "io.airbyte.workers.exception.WorkerException: Source process exited with code 1: \
                 401 Client Error: Unauthorized"
                    .to_owned(),
            );
            reason.retryable = Some(false);
            reason.from_trace_message = Some(true);
        }
        JobStatus::Cancelled => {
            reason.failure_origin = Some(m::FailureOrigin::AirbytePlatform);
            reason.failure_type = Some(m::FailureType::ManualCancellation);
            reason.external_message = Some("The sync was cancelled.".to_owned());
            reason.retryable = Some(false);
        }
        _ => return None,
    }
    Some(reason)
}

fn attempt_read(job: &Job) -> m::AttemptRead {
    let started = job.started_at.unwrap_or(job.created_at);
    let status = match job.status {
        JobStatus::Succeeded => m::AttemptStatus::Succeeded,
        JobStatus::Failed | JobStatus::Cancelled => m::AttemptStatus::Failed,
        JobStatus::Pending | JobStatus::Running => m::AttemptStatus::Running,
    };
    let mut attempt = m::AttemptRead::new(0, status, started, job.updated_at);
    attempt.ended_at = job.ended_at;
    attempt.bytes_synced = Some(job.bytes);
    attempt.records_synced = Some(job.rows);
    let mut stats = m::AttemptStats::new();
    stats.records_emitted = Some(job.rows);
    stats.bytes_emitted = Some(job.bytes);
    stats.records_committed = Some(job.rows);
    stats.bytes_committed = Some(job.bytes);
    attempt.total_stats = Some(stats);
    attempt.failure_summary = failure_reason(job).map(|reason| {
        let mut summary = m::AttemptFailureSummary::new(vec![reason]);
        summary.partial_success = Some(false);
        summary
    });
    attempt
}

fn log_lines(ctx: &Ctx<'_>, job: &Job) -> Vec<String> {
    let data = &ctx.inner.data;
    let connection = data.connection(job.connection_id);
    let name_of = |kind, id| data.actor(kind, id).map_or("?", |a: &Actor| a.name.as_str());
    let started = job.started_at.unwrap_or(job.created_at);
    let mut lines = vec![format!(
        "{} platform > Starting {} job {} for connection {}",
        rfc3339(started),
        job.kind.config_name(),
        job.id,
        job.connection_id
    )];
    if let Some(connection) = connection {
        lines.push(format!(
            "{} platform > Source: {}; destination: {}",
            rfc3339(started),
            name_of(ActorKind::Source, connection.source_id),
            name_of(ActorKind::Destination, connection.destination_id)
        ));
    }
    lines.push(format!(
        "{} replication-orchestrator > Records read: {} ({} bytes)",
        rfc3339(job.updated_at),
        job.rows,
        job.bytes
    ));
    let end = job.ended_at.unwrap_or(job.updated_at);
    match job.status {
        JobStatus::Succeeded => lines.push(format!("{} platform > Sync succeeded", rfc3339(end))),
        JobStatus::Failed => lines.push(format!(
            "{} platform > Sync failed: {}",
            rfc3339(end),
            failure_reason(job).and_then(|r| r.external_message).unwrap_or_default()
        )),
        JobStatus::Cancelled => lines.push(format!("{} platform > Sync cancelled", rfc3339(end))),
        JobStatus::Pending | JobStatus::Running => {}
    }
    lines
}

fn job_info(ctx: &Ctx<'_>, job: &Job) -> m::JobInfoRead {
    let attempts = if job.has_attempt() {
        let mut info = m::AttemptInfoRead::new(attempt_read(job));
        info.log_type = Some(m::LogFormatType::Formatted);
        info.logs = Some(m::AttemptInfoReadLogs::LogRead(m::LogRead::new(log_lines(ctx, job))));
        vec![info]
    } else {
        Vec::new()
    };
    m::JobInfoRead::new(job_read(job), attempts)
}

fn start(ctx: &mut Ctx<'_>, kind: JobKind) -> Reply {
    let request: m::ConnectionIdRequestBody = ctx.body("ConnectionIdRequestBody")?;
    let job = crate::public::start_job(ctx, request.connection_id, kind)?;
    ok(&job_info(ctx, &job))
}

fn sync_connection(ctx: &mut Ctx<'_>) -> Reply {
    start(ctx, JobKind::Sync)
}

fn reset_connection(ctx: &mut Ctx<'_>) -> Reply {
    start(ctx, JobKind::Reset)
}

/// Reads the job of a `JobIdRequestBody` and counts the read as a poll.
fn polled_job(ctx: &mut Ctx<'_>) -> Result<Job, HttpResponse> {
    let request: m::JobIdRequestBody = ctx.body("JobIdRequestBody")?;
    let now = ctx.now;
    let job = ctx.inner.data.job_mut(request.id).ok_or_else(|| errors::error_id_only(404))?;
    job.poll(now);
    Ok(job.clone())
}

fn get_job(ctx: &mut Ctx<'_>) -> Reply {
    let job = polled_job(ctx)?;
    ok(&job_info(ctx, &job))
}

fn get_job_without_logs(ctx: &mut Ctx<'_>) -> Reply {
    let job = polled_job(ctx)?;
    let mut info = job_info(ctx, &job);
    for attempt in &mut info.attempts {
        attempt.logs = None;
        attempt.log_type = None;
    }
    ok(&info)
}

fn get_job_light(ctx: &mut Ctx<'_>) -> Reply {
    let job = polled_job(ctx)?;
    ok(&m::JobInfoLightRead::new(job_read(&job)))
}

fn cancel_job(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::JobIdRequestBody = ctx.body("JobIdRequestBody")?;
    let now = ctx.now;
    let job = ctx.inner.data.job_mut(request.id).ok_or_else(|| errors::error_id_only(404))?;
    if job.status.is_terminal() {
        let message = format!(
            "Failed to cancel job {}: the job is not currently running (status {})",
            job.id,
            job.status.as_str()
        );
        return Err(errors::known_exception(409, &message));
    }
    job.cancel(now);
    let job = job.clone();
    ok(&job_info(ctx, &job))
}

fn list_jobs(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::JobListRequestBody = ctx.body("JobListRequestBody")?;
    let kinds: Vec<JobKind> =
        request.config_types.iter().filter_map(|t| JobKind::from_config(t.as_str())).collect();
    let statuses: Option<Vec<String>> = request
        .statuses
        .as_ref()
        .map(|s| s.iter().map(|s| s.as_str().to_ascii_lowercase()).collect());
    let by_updated =
        matches!(request.order_by_field, Some(m::JobListRequestBodyOrderByField::UpdatedAt));
    let ascending =
        matches!(request.order_by_method, Some(m::JobListRequestBodyOrderByMethod::Asc));
    let time = |name: &str, value: &Option<String>| -> Result<Option<i64>, HttpResponse> {
        value
            .as_deref()
            .map(|text| {
                crate::util::parse_time(text).ok_or_else(|| {
                    errors::known_exception(422, &format!("{name}: `{text}` is not a date-time"))
                })
            })
            .transpose()
    };
    let created = (
        time("createdAtStart", &request.created_at_start)?,
        time("createdAtEnd", &request.created_at_end)?,
    );
    let updated = (
        time("updatedAtStart", &request.updated_at_start)?,
        time("updatedAtEnd", &request.updated_at_end)?,
    );
    let mut jobs: Vec<Job> = ctx
        .inner
        .data
        .jobs
        .iter()
        .filter(|j| kinds.contains(&j.kind))
        .filter(|j| request.config_id.as_ref().is_none_or(|id| *id == j.connection_id.to_string()))
        .filter(|j| statuses.as_ref().is_none_or(|s| s.iter().any(|s| s == j.status.as_str())))
        .filter(|j| {
            crate::public::in_range(j.created_at, created)
                && crate::public::in_range(j.updated_at, updated)
        })
        .cloned()
        .collect();
    jobs.sort_by_key(|j| (if by_updated { j.updated_at } else { j.created_at }, j.id));
    if !ascending {
        jobs.reverse();
    }
    let total = i64::try_from(jobs.len()).unwrap_or(i64::MAX);
    let page = paginate(jobs, request.pagination.as_ref())?;
    let items = page
        .iter()
        .map(|job| {
            let mut item = m::JobWithAttemptsRead::new();
            item.job = Some(job_read(job));
            item.attempts =
                Some(if job.has_attempt() { vec![attempt_read(job)] } else { Vec::new() });
            item
        })
        .collect();
    ok(&m::JobReadList::new(items, total))
}

/// Checks the workspace of a `list_for_workspace` body, when one was sent.
fn check_workspace_body(ctx: &Ctx<'_>) -> Result<(), HttpResponse> {
    let request: Option<m::WorkspaceIdActorDefinitionRequestBody> =
        optional_body(ctx, "WorkspaceIdActorDefinitionRequestBody")?;
    match request {
        Some(request) if ctx.inner.data.workspace(request.workspace_id).is_none() => {
            Err(errors::error_id_only(404))
        }
        _ => Ok(()),
    }
}

fn source_definition_read(d: &Definition) -> m::SourceDefinitionRead {
    let mut read = m::SourceDefinitionRead::new(
        d.id,
        d.name.clone(),
        d.docker_repository.clone(),
        d.docker_image_tag.clone(),
    );
    read.documentation_url = Some(d.documentation_url.clone());
    read.protocol_version = Some("0.2.0".to_owned());
    read.source_type =
        Some(m::SourceDefinitionReadSourceType::from_wire(if d.short_name == "postgres" {
            "database"
        } else {
            "api"
        }));
    read.support_level = Some(m::SupportLevel::from_wire("certified"));
    read.release_stage = Some(m::ReleaseStage::from_wire("generally_available"));
    read
}

fn destination_definition_read(d: &Definition) -> m::DestinationDefinitionRead {
    let mut read = m::DestinationDefinitionRead::new(
        d.id,
        d.name.clone(),
        d.docker_repository.clone(),
        d.docker_image_tag.clone(),
        d.documentation_url.clone(),
    );
    read.protocol_version = Some("0.2.0".to_owned());
    read.support_level = Some(m::SupportLevel::from_wire("certified"));
    read.release_stage = Some(m::ReleaseStage::from_wire("generally_available"));
    read
}

fn list_source_definitions_for_workspace(ctx: &mut Ctx<'_>) -> Reply {
    check_workspace_body(ctx)?;
    list_source_definitions(ctx)
}

fn list_destination_definitions_for_workspace(ctx: &mut Ctx<'_>) -> Reply {
    check_workspace_body(ctx)?;
    list_destination_definitions(ctx)
}

/// `/v1/source_definitions/list` takes no body; whatever is sent is ignored.
fn list_source_definitions(ctx: &mut Ctx<'_>) -> Reply {
    let list = ctx
        .inner
        .data
        .definitions
        .iter()
        .filter(|d| d.kind == ActorKind::Source)
        .map(source_definition_read)
        .collect();
    ok(&m::SourceDefinitionReadList::new(list))
}

/// `/v1/destination_definitions/list` takes no body; whatever is sent is ignored.
fn list_destination_definitions(ctx: &mut Ctx<'_>) -> Reply {
    let list = ctx
        .inner
        .data
        .definitions
        .iter()
        .filter(|d| d.kind == ActorKind::Destination)
        .map(destination_definition_read)
        .collect();
    ok(&m::DestinationDefinitionReadList::new(list))
}

/// A synchronous job record (spec, check) that took no time.
fn synchronous_job(
    ctx: &Ctx<'_>,
    config_type: &str,
    config_id: Option<Uuid>,
    lines: Vec<String>,
) -> m::SynchronousJobRead {
    let id = ids::id(ids::SYNC_JOB_PREFIX, u64::try_from(ctx.now).unwrap_or(0));
    let mut job = m::SynchronousJobRead::new(
        id,
        m::JobConfigType::from_wire(config_type),
        ctx.now,
        ctx.now,
        true,
    );
    job.config_id = config_id.map(|id| id.to_string());
    job.log_type = Some(m::LogFormatType::Formatted);
    job.logs = Some(m::SynchronousJobReadLogs::LogRead(m::LogRead::new(lines)));
    job
}

/// The definition of a specification request, after checking the workspace.
fn spec_definition(
    ctx: &Ctx<'_>,
    kind: ActorKind,
    definition_id: Uuid,
    workspace_id: Uuid,
) -> Result<Definition, HttpResponse> {
    if ctx.inner.data.workspace(workspace_id).is_none() {
        return Err(errors::error_id_only(404));
    }
    ctx.inner
        .data
        .definition(kind, definition_id)
        .cloned()
        .ok_or_else(|| errors::error_id_only(404))
}

fn source_specification(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::SourceDefinitionIdWithWorkspaceId =
        ctx.body("SourceDefinitionIdWithWorkspaceId")?;
    let definition = spec_definition(
        ctx,
        ActorKind::Source,
        request.source_definition_id,
        request.workspace_id,
    )?;
    let job = synchronous_job(
        ctx,
        "get_spec",
        None,
        vec![format!("Fetched the spec of {}", definition.docker_repository)],
    );
    let mut read = m::SourceDefinitionSpecificationRead::new(definition.id, job);
    read.documentation_url = Some(definition.documentation_url.clone());
    read.connection_specification = Some(definition.spec.clone());
    ok(&read)
}

fn destination_specification(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::DestinationDefinitionIdWithWorkspaceId =
        ctx.body("DestinationDefinitionIdWithWorkspaceId")?;
    let definition = spec_definition(
        ctx,
        ActorKind::Destination,
        request.destination_definition_id,
        request.workspace_id,
    )?;
    let job = synchronous_job(
        ctx,
        "get_spec",
        None,
        vec![format!("Fetched the spec of {}", definition.docker_repository)],
    );
    let mut read = m::DestinationDefinitionSpecificationRead::new(definition.id, job);
    read.documentation_url = Some(definition.documentation_url.clone());
    read.connection_specification = Some(definition.spec.clone());
    read.supported_destination_sync_modes = Some(vec![
        m::DestinationSyncMode::Overwrite,
        m::DestinationSyncMode::Append,
        m::DestinationSyncMode::AppendDedup,
    ]);
    ok(&read)
}

fn masked(ctx: &Ctx<'_>, actor: &Actor) -> Value {
    ctx.inner
        .data
        .definition(actor.kind, actor.definition_id)
        .map_or_else(|| actor.configuration.clone(), |d| specs::mask(&d.spec, &actor.configuration))
}

fn definition_name(ctx: &Ctx<'_>, actor: &Actor) -> String {
    ctx.inner
        .data
        .definition(actor.kind, actor.definition_id)
        .map_or_else(String::new, |d| d.name.clone())
}

fn source_read(ctx: &Ctx<'_>, actor: &Actor) -> m::SourceRead {
    let mut read = m::SourceRead::new(
        actor.definition_id,
        actor.id,
        actor.workspace_id,
        masked(ctx, actor),
        actor.name.clone(),
        definition_name(ctx, actor),
        actor.created_at,
    );
    read.num_connections = Some(actors::connection_count(ctx, actor));
    read
}

fn destination_read(ctx: &Ctx<'_>, actor: &Actor) -> m::DestinationRead {
    let mut read = m::DestinationRead::new(
        actor.definition_id,
        actor.id,
        actor.workspace_id,
        masked(ctx, actor),
        actor.name.clone(),
        definition_name(ctx, actor),
        actor.created_at,
    );
    read.num_connections = Some(actors::connection_count(ctx, actor));
    read
}

fn create_source(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::SourceCreate = ctx.body("SourceCreate")?;
    let actor = actors::create(
        ctx,
        ActorKind::Source,
        request.workspace_id,
        request.source_definition_id,
        request.name,
        request.connection_configuration,
    )?;
    ok(&source_read(ctx, &actor))
}

fn create_destination(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::DestinationCreate = ctx.body("DestinationCreate")?;
    let actor = actors::create(
        ctx,
        ActorKind::Destination,
        request.workspace_id,
        request.destination_definition_id,
        request.name,
        request.connection_configuration,
    )?;
    ok(&destination_read(ctx, &actor))
}

fn get_source(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::SourceIdRequestBody = ctx.body("SourceIdRequestBody")?;
    match ctx.inner.data.actor(ActorKind::Source, request.source_id) {
        Some(actor) => ok(&source_read(ctx, actor)),
        None => Err(errors::error_id_only(404)),
    }
}

fn get_destination(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::DestinationIdRequestBody = ctx.body("DestinationIdRequestBody")?;
    match ctx.inner.data.actor(ActorKind::Destination, request.destination_id) {
        Some(actor) => ok(&destination_read(ctx, actor)),
        None => Err(errors::error_id_only(404)),
    }
}

/// Keyset paging of `/v1/sources/list` and `/v1/destinations/list`: actors in id order, those
/// after `cursor`, at most `pageSize`.
fn keyset(
    ctx: &Ctx<'_>,
    kind: ActorKind,
    request: &m::ActorListCursorPaginatedRequestBody,
) -> Result<(Vec<Actor>, i64), HttpResponse> {
    if ctx.inner.data.workspace(request.workspace_id).is_none() {
        return Err(errors::error_id_only(404));
    }
    if request.page_size.is_some_and(|size| size < 1) {
        return Err(errors::known_exception(422, "pageSize must be at least 1"));
    }
    let mut all: Vec<Actor> = ctx
        .inner
        .data
        .actors
        .iter()
        .filter(|a| a.kind == kind && a.workspace_id == request.workspace_id)
        .cloned()
        .collect();
    all.sort_by_key(|a| a.id);
    let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let size = request.page_size.map_or(usize::MAX, |s| usize::try_from(s).unwrap_or(usize::MAX));
    let page =
        all.into_iter().filter(|a| request.cursor.is_none_or(|c| a.id > c)).take(size).collect();
    Ok((page, total))
}

fn list_sources(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::ActorListCursorPaginatedRequestBody =
        ctx.body("ActorListCursorPaginatedRequestBody")?;
    let (page, total) = keyset(ctx, ActorKind::Source, &request)?;
    let mut list = m::SourceReadList::new(page.iter().map(|a| source_read(ctx, a)).collect());
    list.page_size = request.page_size;
    list.num_connections = Some(total);
    ok(&list)
}

fn list_destinations(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::ActorListCursorPaginatedRequestBody =
        ctx.body("ActorListCursorPaginatedRequestBody")?;
    let (page, total) = keyset(ctx, ActorKind::Destination, &request)?;
    let mut list =
        m::DestinationReadList::new(page.iter().map(|a| destination_read(ctx, a)).collect());
    list.page_size = request.page_size;
    list.num_connections = Some(total);
    ok(&list)
}

/// Runs a check of `configuration` against a definition and answers `CheckConnectionRead`.
fn check_reply(
    ctx: &Ctx<'_>,
    kind: ActorKind,
    definition: &Definition,
    configuration: &Value,
    actor_id: Option<Uuid>,
) -> Reply {
    let config_type = match kind {
        ActorKind::Source => "check_connection_source",
        ActorKind::Destination => "check_connection_destination",
    };
    let outcome = actors::check(&definition.spec, configuration);
    let line = match &outcome {
        Ok(()) => format!("Check of {} succeeded", definition.docker_repository),
        Err(message) => format!("Check of {} failed: {message}", definition.docker_repository),
    };
    let mut read =
        m::CheckConnectionRead::new(synchronous_job(ctx, config_type, actor_id, vec![line]));
    match outcome {
        Ok(()) => read.status = Some(m::CheckConnectionReadStatus::Succeeded),
        Err(message) => {
            read.status = Some(m::CheckConnectionReadStatus::Failed);
            read.message = Some(message);
        }
    }
    ok(&read)
}

/// A check of a configuration that may not be stored yet (`SourceCoreConfig` and twin).
fn check_config(
    ctx: &Ctx<'_>,
    kind: ActorKind,
    definition_id: Uuid,
    workspace_id: Uuid,
    actor_id: Option<Uuid>,
    configuration: &Value,
) -> Reply {
    let definition = spec_definition(ctx, kind, definition_id, workspace_id)?;
    let configuration = match actor_id.and_then(|id| ctx.inner.data.actor(kind, id)) {
        Some(stored) => actors::unmask(configuration, &stored.configuration),
        None => configuration.clone(),
    };
    check_reply(ctx, kind, &definition, &configuration, actor_id)
}

fn check_source_config(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::SourceCoreConfig = ctx.body("SourceCoreConfig")?;
    check_config(
        ctx,
        ActorKind::Source,
        request.source_definition_id,
        request.workspace_id,
        request.source_id,
        &request.connection_configuration,
    )
}

fn check_destination_config(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::DestinationCoreConfig = ctx.body("DestinationCoreConfig")?;
    check_config(
        ctx,
        ActorKind::Destination,
        request.destination_definition_id,
        request.workspace_id,
        request.destination_id,
        &request.connection_configuration,
    )
}

/// A check of a stored actor.
fn check_stored(ctx: &Ctx<'_>, kind: ActorKind, id: Uuid) -> Reply {
    let actor = ctx.inner.data.actor(kind, id).ok_or_else(|| errors::error_id_only(404))?;
    let definition = ctx
        .inner
        .data
        .definition(kind, actor.definition_id)
        .ok_or_else(|| errors::error_id_only(404))?;
    check_reply(ctx, kind, definition, &actor.configuration, Some(id))
}

fn check_source(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::SourceIdRequestBody = ctx.body("SourceIdRequestBody")?;
    check_stored(ctx, ActorKind::Source, request.source_id)
}

fn check_destination(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::DestinationIdRequestBody = ctx.body("DestinationIdRequestBody")?;
    check_stored(ctx, ActorKind::Destination, request.destination_id)
}
