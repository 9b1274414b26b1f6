//! The public Airbyte API (`api.yaml`), served under `/api/public/v1`.

use airbyte_core::public_api::models as m;
use airbyte_core::public_api::ops as op;
use serde_json::Value;
use uuid::Uuid;

use crate::actors;
use crate::api::{anonymous_route, ok, page_links, route, Ctx, Reply, Route};
use crate::errors;
use crate::http::HttpResponse;
use crate::specs;
use crate::state::{ActorKind, Connection, Job, JobKind, JobStatus};
use crate::util::{java_duration, java_time, parse_time};

/// The public API's routes.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        route::<op::GetHealthCheck>(health),
        anonymous_route::<op::CreateAccessToken>(create_access_token),
        route::<op::ListWorkspaces>(list_workspaces),
        route::<op::GetWorkspace>(get_workspace),
        route::<op::ListConnections>(list_connections),
        route::<op::GetConnection>(get_connection),
        route::<op::CreateJob>(create_job),
        route::<op::GetJob>(get_job),
        route::<op::CancelJob>(cancel_job),
        route::<op::ListJobs>(list_jobs),
        route::<op::ListSources>(list_sources),
        route::<op::CreateSource>(create_source),
        route::<op::GetSource>(get_source),
        route::<op::ListDestinations>(list_destinations),
        route::<op::CreateDestination>(create_destination),
        route::<op::GetDestination>(get_destination),
        route::<op::ListSourceDefinitions>(list_source_definitions),
        route::<op::ListDestinationDefinitions>(list_destination_definitions),
    ]
}

fn health(_ctx: &mut Ctx<'_>) -> Reply {
    Ok(HttpResponse { status: 200, headers: Vec::new(), body: Vec::new() })
}

/// Reads `client_id` and `client_secret` from a JSON or form-encoded body.
pub(crate) fn read_credentials(ctx: &Ctx<'_>) -> Result<(String, String), HttpResponse> {
    let content_type = ctx.request.header("content-type").unwrap_or_default().to_ascii_lowercase();
    let body = &ctx.request.body;
    let looks_like_json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if content_type.contains("x-www-form-urlencoded") || (!looks_like_json && !body.is_empty()) {
        let text = String::from_utf8_lossy(body);
        let pairs = crate::util::parse_query(&text);
        let get = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        return match (get("client_id"), get("client_secret")) {
            (Some(id), Some(secret)) => Ok((id, secret)),
            _ => {
                let message = "the form body needs client_id and client_secret";
                Err(match ctx.api {
                    airbyte_core::Api::Public => errors::bad_request(message),
                    airbyte_core::Api::Config => errors::known_exception(422, message),
                })
            }
        };
    }
    match ctx.api {
        airbyte_core::Api::Public => {
            let request: m::ApplicationTokenRequestWithGrant =
                ctx.body("ApplicationTokenRequestWithGrant")?;
            Ok((request.client_id, request.client_secret))
        }
        airbyte_core::Api::Config => {
            let request: airbyte_core::config_api::models::ApplicationTokenRequest =
                ctx.body("ApplicationTokenRequest")?;
            Ok((request.client_id, request.client_secret))
        }
    }
}

/// Checks the credentials and issues a token; `None` when they are wrong.
pub(crate) fn issue_token(ctx: &mut Ctx<'_>) -> Result<(String, i64), HttpResponse> {
    let (id, secret) = read_credentials(ctx)?;
    if (id.as_str(), secret.as_str()) != ctx.credentials {
        return Err(errors::error_id_only(401));
    }
    let lifetime = ctx.inner.config.token_lifetime_secs;
    let token = ctx.inner.tokens.issue(ctx.now, lifetime);
    Ok((token, i64::try_from(lifetime).unwrap_or(i64::MAX)))
}

fn create_access_token(ctx: &mut Ctx<'_>) -> Reply {
    let (token, expires_in) = issue_token(ctx)?;
    ok(&m::PublicAccessTokenResponse::new(
        token,
        m::PublicAccessTokenResponseTokenType::Bearer,
        expires_in,
    ))
}

/// `limit` (1..=100, default 20) and `offset` (≥ 0, default 0).
fn paging(ctx: &Ctx<'_>) -> Result<(i64, i64), HttpResponse> {
    Ok((ctx.query_int("limit", 20, 1, 100)?, ctx.query_int("offset", 0, 0, i64::from(i32::MAX))?))
}

/// The page of `items` at `offset`.
fn page<T: Clone>(items: &[T], limit: i64, offset: i64) -> Vec<T> {
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(items.len());
    let len = usize::try_from(limit).unwrap_or(0);
    items[start..].iter().take(len).cloned().collect()
}

/// The filters to repeat in `next`/`previous` links, comma-joined like the real server's.
fn link_filters(ctx: &Ctx<'_>, names: &[&'static str]) -> Vec<(&'static str, String)> {
    let mut filters = Vec::new();
    for name in names {
        let values: Vec<&str> =
            ctx.query.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect();
        if !values.is_empty() {
            filters.push((*name, values.join(",")));
        }
    }
    filters
}

fn workspace_response(workspace: &crate::state::Workspace) -> m::WorkspaceResponse {
    m::WorkspaceResponse::new(
        workspace.id,
        workspace.name.clone(),
        "auto".to_owned(),
        m::NotificationsConfig::new(),
    )
}

fn list_workspaces(ctx: &mut Ctx<'_>) -> Reply {
    let ids = ctx.query_uuids("workspaceIds")?;
    ctx.query_bool("includeDeleted")?;
    let (limit, offset) = paging(ctx)?;
    let all: Vec<m::WorkspaceResponse> = ctx
        .inner
        .data
        .workspaces
        .iter()
        .filter(|w| ids.is_empty() || ids.contains(&w.id))
        .map(workspace_response)
        .collect();
    let data = page(&all, limit, offset);
    let filters = link_filters(ctx, &["workspaceIds", "includeDeleted"]);
    let (next, previous) =
        page_links(ctx.base_url, "workspaces", limit, offset, data.len(), &filters);
    let mut response = m::WorkspacesResponse::new(data);
    response.next = Some(next);
    response.previous = Some(previous);
    ok(&response)
}

fn get_workspace(ctx: &mut Ctx<'_>) -> Reply {
    let id = ctx.param_uuid("workspaceId", "workspace")?;
    match ctx.inner.data.workspace(id) {
        Some(workspace) => ok(&workspace_response(workspace)),
        None => Err(ctx.not_found("workspace", &id.to_string())),
    }
}

fn connection_response(connection: &Connection) -> m::ConnectionResponse {
    let status = if connection.deleted {
        m::ConnectionStatusEnum::Deprecated
    } else {
        m::ConnectionStatusEnum::Active
    };
    let mut configurations = m::StreamConfigurations::new();
    configurations.streams = Some(
        connection
            .streams
            .iter()
            .map(|(namespace, name)| {
                let mut stream = m::StreamConfiguration::new((*name).to_owned());
                if !namespace.is_empty() {
                    stream.namespace = Some((*namespace).to_owned());
                }
                if connection.incremental {
                    stream.sync_mode =
                        Some(m::ConnectionSyncModeEnum::from_wire("incremental_append"));
                    stream.cursor_field = Some(vec!["updated_at".to_owned()]);
                } else {
                    stream.sync_mode =
                        Some(m::ConnectionSyncModeEnum::from_wire("full_refresh_overwrite"));
                }
                stream.primary_key = Some(vec![vec!["id".to_owned()]]);
                stream
            })
            .collect(),
    );
    let mut response = m::ConnectionResponse::new(
        connection.id,
        connection.name.clone(),
        connection.source_id,
        connection.destination_id,
        connection.workspace_id,
        status,
        m::ConnectionScheduleResponse::new(m::ScheduleTypeWithBasicEnum::Manual),
        configurations,
        connection.created_at,
        Vec::new(),
    );
    response.namespace_definition = Some(m::NamespaceDefinitionEnum::Destination);
    response.non_breaking_schema_updates_behavior =
        Some(m::NonBreakingSchemaUpdatesBehaviorEnum::from_wire("ignore"));
    response.prefix = Some(String::new());
    response
}

fn list_connections(ctx: &mut Ctx<'_>) -> Reply {
    let ids = ctx.query_uuids("workspaceIds")?;
    ctx.query_uuids("tagIds")?;
    let include_deleted = ctx.query_bool("includeDeleted")?;
    let (limit, offset) = paging(ctx)?;
    let all: Vec<m::ConnectionResponse> = ctx
        .inner
        .data
        .connections
        .iter()
        .filter(|c| ids.is_empty() || ids.contains(&c.workspace_id))
        .filter(|c| include_deleted || !c.deleted)
        .map(connection_response)
        .collect();
    let data = page(&all, limit, offset);
    let filters = link_filters(ctx, &["workspaceIds", "tagIds", "includeDeleted"]);
    let (next, previous) =
        page_links(ctx.base_url, "connections", limit, offset, data.len(), &filters);
    let mut response = m::ConnectionsResponse::new(data);
    response.next = Some(next);
    response.previous = Some(previous);
    ok(&response)
}

fn get_connection(ctx: &mut Ctx<'_>) -> Reply {
    let id = ctx.param_uuid("connectionId", "connection")?;
    match ctx.inner.data.connection(id) {
        Some(connection) => ok(&connection_response(connection)),
        None => Err(ctx.not_found("connection", &id.to_string())),
    }
}

/// A job as the public API shows it.
pub(crate) fn job_response(job: &Job, now: i64) -> m::JobResponse {
    let mut response = m::JobResponse::new(
        job.id,
        m::JobStatusEnum::from_wire(job.status.as_str()),
        m::JobTypeEnum::from_wire(job.kind.public_name()),
        java_time(job.created_at),
        job.connection_id,
    );
    let end = if job.status.is_terminal() {
        response.last_updated_at = Some(java_time(job.updated_at));
        job.updated_at
    } else {
        now
    };
    response.duration = Some(java_duration(end.saturating_sub(job.created_at)));
    response.bytes_synced = Some(job.bytes);
    response.rows_synced = Some(job.rows);
    response
}

/// Starts a job unless one of the connection is running; the error is in the API's shape.
pub(crate) fn start_job(
    ctx: &mut Ctx<'_>,
    connection_id: Uuid,
    kind: JobKind,
) -> Result<Job, HttpResponse> {
    let public = ctx.api == airbyte_core::Api::Public;
    let Some(connection) = ctx.inner.data.connection(connection_id) else {
        return Err(ctx.not_found("connection", &connection_id.to_string()));
    };
    let conflict = |message: &str| {
        if public {
            errors::try_again_later(message)
        } else {
            errors::known_exception(409, message)
        }
    };
    if connection.deleted {
        return Err(conflict(&format!(
            "Connection {connection_id} is deleted and cannot be synced"
        )));
    }
    if ctx.inner.data.running_job(connection_id).is_some() {
        return Err(conflict(&format!("A sync is already running for: {connection_id}")));
    }
    let polls = ctx.inner.config.polls;
    let now = ctx.now;
    Ok(ctx.inner.data.start_job(connection_id, kind, now, &polls))
}

fn create_job(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::JobCreateRequest = ctx.body("JobCreateRequest")?;
    let Some(kind) = JobKind::from_public(request.job_type.as_str()) else {
        return Err(errors::bad_request(&format!(
            "`jobType`: `{}` is not one of sync, reset, refresh, clear",
            request.job_type.as_str()
        )));
    };
    let job = start_job(ctx, request.connection_id, kind)?;
    ok(&job_response(&job, ctx.now))
}

fn job_id(ctx: &Ctx<'_>) -> Result<i64, HttpResponse> {
    let text = ctx.param("jobId");
    text.parse().map_err(|_| errors::bad_request(&format!("`jobId`: `{text}` is not an integer")))
}

fn get_job(ctx: &mut Ctx<'_>) -> Reply {
    let id = job_id(ctx)?;
    let now = ctx.now;
    match ctx.inner.data.job_mut(id) {
        Some(job) => {
            job.poll(now);
            ok(&job_response(job, now))
        }
        None => Err(ctx.not_found("job", &id.to_string())),
    }
}

fn cancel_job(ctx: &mut Ctx<'_>) -> Reply {
    let id = job_id(ctx)?;
    let now = ctx.now;
    match ctx.inner.data.job_mut(id) {
        Some(job) if job.status.is_terminal() => {
            Err(errors::state_conflict("Job is not currently running"))
        }
        Some(job) => {
            job.cancel(now);
            ok(&job_response(job, now))
        }
        None => Err(ctx.not_found("job", &id.to_string())),
    }
}

fn list_jobs(ctx: &mut Ctx<'_>) -> Reply {
    let connection_id = match ctx.query_one("connectionId") {
        Some(text) => Some(Uuid::parse_str(text).map_err(|_| {
            errors::bad_request(&format!("`connectionId`: `{text}` is not a UUID"))
        })?),
        None => None,
    };
    let workspace_ids = ctx.query_uuids("workspaceIds")?;
    let kind = match ctx.query_one("jobType") {
        Some(text) => Some(JobKind::from_public(text).ok_or_else(|| {
            errors::bad_request(&format!(
                "`jobType`: `{text}` is not one of sync, reset, refresh, clear"
            ))
        })?),
        None => None,
    };
    let status = match ctx.query_one("status") {
        Some(text) => Some(parse_status(text)?),
        None => None,
    };
    // `Some(None)`: a valid status no job of this server has.
    let range = |name: &str| -> Result<Option<i64>, HttpResponse> {
        ctx.query_one(name)
            .map(|text| {
                parse_time(text).ok_or_else(|| {
                    errors::bad_request(&format!("`{name}`: `{text}` is not a date-time"))
                })
            })
            .transpose()
    };
    let created = (range("createdAtStart")?, range("createdAtEnd")?);
    let updated = (range("updatedAtStart")?, range("updatedAtEnd")?);
    let (field, descending) = parse_order(ctx.query_one("orderBy").unwrap_or("createdAt|DESC"))?;
    let (limit, offset) = paging(ctx)?;
    let data = &ctx.inner.data;
    let mut jobs: Vec<&Job> = data
        .jobs
        .iter()
        .filter(|j| connection_id.is_none_or(|id| j.connection_id == id))
        .filter(|j| kind.is_none_or(|k| j.kind == k))
        .filter(|j| status.is_none_or(|s| s == Some(j.status)))
        .filter(|j| in_range(j.created_at, created) && in_range(j.updated_at, updated))
        .filter(|j| {
            workspace_ids.is_empty()
                || data
                    .connection(j.connection_id)
                    .is_some_and(|c| workspace_ids.contains(&c.workspace_id))
        })
        .collect();
    jobs.sort_by_key(|j| {
        let time = if field == "updatedAt" { j.updated_at } else { j.created_at };
        (time, j.id)
    });
    if descending {
        jobs.reverse();
    }
    let all: Vec<m::JobResponse> = jobs.into_iter().map(|j| job_response(j, ctx.now)).collect();
    let page_data = page(&all, limit, offset);
    let filters = link_filters(
        ctx,
        &[
            "connectionId",
            "jobType",
            "status",
            "orderBy",
            "workspaceIds",
            "createdAtStart",
            "createdAtEnd",
            "updatedAtStart",
            "updatedAtEnd",
        ],
    );
    let (next, previous) =
        page_links(ctx.base_url, "jobs", limit, offset, page_data.len(), &filters);
    let mut response = m::JobsResponse::new(page_data);
    response.next = Some(next);
    response.previous = Some(previous);
    ok(&response)
}

/// Whether `time` is within the optional inclusive bounds.
pub(crate) fn in_range(time: i64, (start, end): (Option<i64>, Option<i64>)) -> bool {
    start.is_none_or(|s| time >= s) && end.is_none_or(|e| time <= e)
}

/// A job status filter. `queued` and `incomplete` are valid but no job of this server has them.
fn parse_status(text: &str) -> Result<Option<JobStatus>, HttpResponse> {
    if let Some(status) = JobStatus::parse(text) {
        return Ok(Some(status));
    }
    if ["queued", "incomplete"].iter().any(|s| s.eq_ignore_ascii_case(text)) {
        return Ok(None);
    }
    Err(errors::bad_request(&format!("`status`: `{text}` is not a job status")))
}

/// `createdAt|DESC` → (`createdAt`, true).
fn parse_order(text: &str) -> Result<(&str, bool), HttpResponse> {
    let bad = || {
        errors::bad_request(&format!(
            "`orderBy`: `{text}` must be createdAt or updatedAt, `|`, then ASC or DESC"
        ))
    };
    let (field, direction) = text.split_once('|').ok_or_else(bad)?;
    if field != "createdAt" && field != "updatedAt" {
        return Err(bad());
    }
    match direction.to_ascii_uppercase().as_str() {
        "ASC" => Ok((field, false)),
        "DESC" => Ok((field, true)),
        _ => Err(bad()),
    }
}

fn source_response(ctx: &Ctx<'_>, actor: &crate::state::Actor) -> m::SourceResponse {
    let definition = ctx.inner.data.definition(ActorKind::Source, actor.definition_id);
    m::SourceResponse::new(
        actor.id,
        actor.name.clone(),
        definition.map_or_else(String::new, |d| d.short_name.clone()),
        actor.definition_id,
        actor.workspace_id,
        definition.map_or_else(
            || actor.configuration.clone(),
            |d| specs::mask(&d.spec, &actor.configuration),
        ),
        actor.created_at,
    )
}

fn destination_response(ctx: &Ctx<'_>, actor: &crate::state::Actor) -> m::DestinationResponse {
    let definition = ctx.inner.data.definition(ActorKind::Destination, actor.definition_id);
    m::DestinationResponse::new(
        actor.id,
        actor.name.clone(),
        definition.map_or_else(String::new, |d| d.short_name.clone()),
        actor.definition_id,
        actor.workspace_id,
        definition.map_or_else(
            || actor.configuration.clone(),
            |d| specs::mask(&d.spec, &actor.configuration),
        ),
        actor.created_at,
    )
}

/// The actors of `kind` after the workspace filter and paging, with the links.
fn list_actors(
    ctx: &Ctx<'_>,
    kind: ActorKind,
) -> Result<(Vec<crate::state::Actor>, String, String), HttpResponse> {
    let ids = ctx.query_uuids("workspaceIds")?;
    ctx.query_bool("includeDeleted")?;
    let (limit, offset) = paging(ctx)?;
    let all: Vec<crate::state::Actor> = ctx
        .inner
        .data
        .actors
        .iter()
        .filter(|a| a.kind == kind && (ids.is_empty() || ids.contains(&a.workspace_id)))
        .cloned()
        .collect();
    let data = page(&all, limit, offset);
    let filters = link_filters(ctx, &["workspaceIds", "includeDeleted"]);
    let resource = if kind == ActorKind::Source { "sources" } else { "destinations" };
    let (next, previous) = page_links(ctx.base_url, resource, limit, offset, data.len(), &filters);
    Ok((data, next, previous))
}

fn list_sources(ctx: &mut Ctx<'_>) -> Reply {
    let (actors, next, previous) = list_actors(ctx, ActorKind::Source)?;
    let mut response =
        m::SourcesResponse::new(actors.iter().map(|a| source_response(ctx, a)).collect());
    response.next = Some(next);
    response.previous = Some(previous);
    ok(&response)
}

fn list_destinations(ctx: &mut Ctx<'_>) -> Reply {
    let (actors, next, previous) = list_actors(ctx, ActorKind::Destination)?;
    let mut response =
        m::DestinationsResponse::new(actors.iter().map(|a| destination_response(ctx, a)).collect());
    response.next = Some(next);
    response.previous = Some(previous);
    ok(&response)
}

/// The definition of a create request: `definitionId`, else `configuration.<type_key>` matched
/// against the definitions' short names.
fn definition_of(
    ctx: &Ctx<'_>,
    kind: ActorKind,
    definition_id: Option<Uuid>,
    configuration: &Value,
    type_key: &str,
) -> Result<Uuid, HttpResponse> {
    if let Some(id) = definition_id {
        return Ok(id);
    }
    let short_name = configuration.get(type_key).and_then(Value::as_str);
    let found = short_name.and_then(|name| {
        ctx.inner
            .data
            .definitions
            .iter()
            .find(|d| d.kind == kind && d.short_name.eq_ignore_ascii_case(name))
    });
    match (short_name, found) {
        (_, Some(definition)) => Ok(definition.id),
        (Some(name), None) => Err(errors::bad_request(&format!(
            "`configuration.{type_key}`: no {} definition is named `{name}`",
            kind.as_str()
        ))),
        (None, None) => Err(errors::bad_request(&format!(
            "either `definitionId` or `configuration.{type_key}` is required"
        ))),
    }
}

fn without_key(configuration: &Value, key: &str) -> Value {
    let mut configuration = configuration.clone();
    if let Some(object) = configuration.as_object_mut() {
        object.remove(key);
    }
    configuration
}

fn create_source(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::SourceCreateRequest = ctx.body("SourceCreateRequest")?;
    let definition_id = definition_of(
        ctx,
        ActorKind::Source,
        request.definition_id,
        &request.configuration,
        "sourceType",
    )?;
    let configuration = without_key(&request.configuration, "sourceType");
    let actor = actors::create(
        ctx,
        ActorKind::Source,
        request.workspace_id,
        definition_id,
        request.name,
        configuration,
    )?;
    ok(&source_response(ctx, &actor))
}

fn create_destination(ctx: &mut Ctx<'_>) -> Reply {
    let request: m::DestinationCreateRequest = ctx.body("DestinationCreateRequest")?;
    let definition_id = definition_of(
        ctx,
        ActorKind::Destination,
        request.definition_id,
        &request.configuration,
        "destinationType",
    )?;
    let configuration = without_key(&request.configuration, "destinationType");
    let actor = actors::create(
        ctx,
        ActorKind::Destination,
        request.workspace_id,
        definition_id,
        request.name,
        configuration,
    )?;
    ok(&destination_response(ctx, &actor))
}

fn get_source(ctx: &mut Ctx<'_>) -> Reply {
    let id = ctx.param_uuid("sourceId", "source")?;
    match ctx.inner.data.actor(ActorKind::Source, id) {
        Some(actor) => ok(&source_response(ctx, actor)),
        None => Err(ctx.not_found("source", &id.to_string())),
    }
}

fn get_destination(ctx: &mut Ctx<'_>) -> Reply {
    let id = ctx.param_uuid("destinationId", "destination")?;
    match ctx.inner.data.actor(ActorKind::Destination, id) {
        Some(actor) => ok(&destination_response(ctx, actor)),
        None => Err(ctx.not_found("destination", &id.to_string())),
    }
}

fn list_definitions(ctx: &mut Ctx<'_>, kind: ActorKind) -> Reply {
    let workspace_id = ctx.param_uuid("workspaceId", "workspace")?;
    if ctx.inner.data.workspace(workspace_id).is_none() {
        return Err(ctx.not_found("workspace", &workspace_id.to_string()));
    }
    let data = ctx
        .inner
        .data
        .definitions
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| {
            let mut response = m::DefinitionResponse::new(
                d.id,
                d.name.clone(),
                d.docker_repository.clone(),
                d.docker_image_tag.clone(),
            );
            response.documentation_url = Some(d.documentation_url.clone());
            response
        })
        .collect();
    ok(&m::DefinitionsResponse::new(data))
}

fn list_source_definitions(ctx: &mut Ctx<'_>) -> Reply {
    list_definitions(ctx, ActorKind::Source)
}

fn list_destination_definitions(ctx: &mut Ctx<'_>) -> Reply {
    list_definitions(ctx, ActorKind::Destination)
}
