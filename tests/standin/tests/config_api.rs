//! The Configuration API: workspaces, connections, definitions, specifications, checks,
//! sources and destinations.

mod common;

use airbyte_core::config_api::{models as m, ops};
use airbyte_core::ErrorBody;
use airbyte_standin::ids;
use common::*;
use serde_json::json;

#[test]
fn workspaces_and_connections() {
    let standin = start();
    let auth = bearer(&standin);
    let workspace = call(
        &standin,
        &ops::GetWorkspace::new(m::WorkspaceIdRequestBody::new(ids::WORKSPACE_MARKETING)),
        &auth,
    )
    .unwrap();
    assert_eq!(
        (workspace.name.as_str(), workspace.organization_id),
        ("Marketing", ids::ORGANIZATION)
    );

    let mut pagination = m::Pagination::new();
    pagination.page_size = Some(1);
    pagination.row_offset = Some(1);
    let body = m::ListResourcesForWorkspacesRequestBody::new(Vec::new(), pagination);
    let page = call(&standin, &ops::ListWorkspacesPaginated::new(body), &auth).unwrap();
    assert_eq!(page.workspaces.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["Marketing"]);

    let mut by_org = ops::ListWorkspacesInOrganization::new();
    by_org.body = Some(m::ListWorkspacesInOrganizationRequestBody::new(ids::ORGANIZATION));
    assert_eq!(call(&standin, &by_org, &auth).unwrap().workspaces.len(), 2);

    let listed = call(
        &standin,
        &ops::ListConnectionsForWorkspace::new(m::WorkspaceIdRequestBody::new(
            ids::WORKSPACE_ANALYTICS,
        )),
        &auth,
    )
    .unwrap();
    assert_eq!(listed.connections.len(), 15);
    let connection = call(
        &standin,
        &ops::GetConnection::new(m::ConnectionIdRequestBody::new(ids::CONNECTION_OK)),
        &auth,
    )
    .unwrap();
    assert_eq!(connection.workspace_id, Some(ids::WORKSPACE_ANALYTICS));
    let stream = &connection.sync_catalog.streams[0];
    assert_eq!(stream.config.as_ref().unwrap().selected, Some(true));
    assert!(stream.stream.as_ref().unwrap().json_schema.is_some());

    // Unknown ids are 404 `{errorId}`, as the real server sends them.
    let missing = uuid::Uuid::from_u128(9);
    let error =
        call(&standin, &ops::GetConnection::new(m::ConnectionIdRequestBody::new(missing)), &auth)
            .unwrap_err();
    let api = error.as_api().unwrap();
    assert_eq!(api.status, 404);
    assert!(matches!(api.kind, ErrorBody::ErrorId { .. }), "{:?}", api.kind);
    assert_eq!(
        call(&standin, &ops::GetWorkspace::new(m::WorkspaceIdRequestBody::new(missing)), &auth)
            .unwrap_err()
            .status(),
        404
    );
}

#[test]
fn definitions_and_specifications() {
    let standin = start();
    let auth = bearer(&standin);
    let sources = call(&standin, &ops::ListSourceDefinitions::new(), &auth).unwrap();
    assert_eq!(sources.source_definitions.len(), 4);
    let mut for_workspace = ops::ListDestinationDefinitionsForWorkspace::new();
    for_workspace.body =
        Some(m::WorkspaceIdActorDefinitionRequestBody::new(ids::WORKSPACE_ANALYTICS));
    assert_eq!(call(&standin, &for_workspace, &auth).unwrap().destination_definitions.len(), 3);

    let body = m::SourceDefinitionIdWithWorkspaceId::new(
        ids::SOURCE_DEFINITION_STRIPE,
        ids::WORKSPACE_ANALYTICS,
    );
    let spec = call(&standin, &ops::GetSourceDefinitionSpecification::new(body), &auth).unwrap();
    let schema = spec.connection_specification.unwrap();
    assert_eq!(schema["required"], json!(["account_id", "client_secret"]));
    assert_eq!(schema["properties"]["client_secret"]["airbyte_secret"], true);
    assert!(spec.job_info.succeeded);

    let body = m::DestinationDefinitionIdWithWorkspaceId::new(
        ids::DESTINATION_DEFINITION_SNOWFLAKE,
        ids::WORKSPACE_MARKETING,
    );
    let spec =
        call(&standin, &ops::GetDestinationDefinitionSpecification::new(body), &auth).unwrap();
    assert!(spec.connection_specification.unwrap()["properties"]["auth_type"]["enum"].is_array());

    let body = m::SourceDefinitionIdWithWorkspaceId::new(
        uuid::Uuid::from_u128(1),
        ids::WORKSPACE_ANALYTICS,
    );
    assert_eq!(
        call(&standin, &ops::GetSourceDefinitionSpecification::new(body), &auth)
            .unwrap_err()
            .status(),
        404
    );
}

#[test]
fn check_connection_validates_against_the_spec() {
    let standin = start();
    let auth = bearer(&standin);
    let check = |configuration: serde_json::Value| {
        let body = m::SourceCoreConfig::new(
            ids::SOURCE_DEFINITION_POSTGRES,
            configuration,
            ids::WORKSPACE_ANALYTICS,
        );
        call(&standin, &ops::ExecuteSourceCheckConnection::new(body), &auth).unwrap()
    };
    let ok = check(
        json!({"host": "h", "port": 5432, "database": "d", "username": "u", "password": "p"}),
    );
    assert_eq!(ok.status.unwrap().as_str(), "succeeded");
    assert!(ok.message.is_none());

    let missing = check(json!({"host": "h", "port": "5432", "username": "u"}));
    assert_eq!(missing.status.unwrap().as_str(), "failed");
    let message = missing.message.unwrap();
    assert!(message.contains("$.database: is missing but it is required"), "{message}");
    assert!(message.contains("$.port: string found, integer expected"), "{message}");
    assert_eq!(missing.job_info.config_type.as_str(), "check_connection_source");

    let rejected = check(
        json!({"host": "h", "port": 5432, "database": "d", "username": "u", "password": "invalid"}),
    );
    assert!(rejected.message.unwrap().contains("Authentication failed"));

    // Stored sources: the one with the revoked key fails, the others pass.
    let stored = |id| {
        call(&standin, &ops::CheckConnectionToSource::new(m::SourceIdRequestBody::new(id)), &auth)
            .unwrap()
            .status
            .unwrap()
    };
    assert_eq!(stored(ids::SOURCE_STRIPE_REVOKED).as_str(), "failed");
    assert_eq!(stored(ids::SOURCE_GITHUB).as_str(), "succeeded");

    // A masked configuration with the actor's id is checked with the stored secrets.
    let mut body = m::SourceCoreConfig::new(
        ids::SOURCE_DEFINITION_POSTGRES,
        json!({"host": "h", "port": 5432, "database": "d", "username": "u", "password": "**********"}),
        ids::WORKSPACE_ANALYTICS,
    );
    body.source_id = Some(ids::SOURCE_POSTGRES_PRODUCTION);
    let checked = call(&standin, &ops::ExecuteSourceCheckConnection::new(body), &auth).unwrap();
    assert_eq!(checked.status.unwrap().as_str(), "succeeded");

    let body = m::DestinationCoreConfig::new(
        ids::DESTINATION_DEFINITION_BIGQUERY,
        json!({"project_id": "p", "dataset_id": "d", "dataset_location": "EU"}),
        ids::WORKSPACE_ANALYTICS,
    );
    let destination =
        call(&standin, &ops::ExecuteDestinationCheckConnection::new(body), &auth).unwrap();
    assert_eq!(destination.status.unwrap().as_str(), "succeeded");
    let stored_destination = call(
        &standin,
        &ops::CheckConnectionToDestination::new(m::DestinationIdRequestBody::new(
            ids::DESTINATION_SNOWFLAKE_MARKETING,
        )),
        &auth,
    )
    .unwrap();
    assert_eq!(stored_destination.status.unwrap().as_str(), "succeeded");
}

#[test]
fn create_and_list_sources_and_destinations_with_a_keyset_cursor() {
    let standin = start();
    let auth = bearer(&standin);
    let body = m::SourceCreate::new(
        ids::SOURCE_DEFINITION_GITHUB,
        json!({"repositories": ["a/b"], "personal_access_token": "ghp_x"}),
        ids::WORKSPACE_MARKETING,
        "GitHub (new)".to_owned(),
    );
    let created = call(&standin, &ops::CreateSource::new(body), &auth).unwrap();
    assert_eq!(created.source_name, "GitHub");
    assert_eq!(created.connection_configuration["personal_access_token"], "**********");
    let fetched =
        call(&standin, &ops::GetSource::new(m::SourceIdRequestBody::new(created.source_id)), &auth)
            .unwrap();
    assert_eq!(fetched.name, "GitHub (new)");

    let invalid = m::SourceCreate::new(
        ids::SOURCE_DEFINITION_GITHUB,
        json!({"repositories": []}),
        ids::WORKSPACE_MARKETING,
        "Broken".to_owned(),
    );
    let error = call(&standin, &ops::CreateSource::new(invalid), &auth).unwrap_err();
    let api = error.as_api().unwrap();
    assert_eq!(api.status, 422);
    assert!(api.message.contains("minimum of 1 items"), "{}", api.message);

    // Three sources in Marketing now; pages of two by keyset cursor.
    let mut body = m::ActorListCursorPaginatedRequestBody::new(ids::WORKSPACE_MARKETING);
    body.page_size = Some(2);
    let first = call(&standin, &ops::ListSourcesForWorkspace::new(body.clone()), &auth).unwrap();
    assert_eq!(first.sources.len(), 2);
    assert_eq!(first.num_connections, Some(3));
    body.cursor = Some(first.sources[1].source_id);
    let second = call(&standin, &ops::ListSourcesForWorkspace::new(body), &auth).unwrap();
    assert_eq!(second.sources.iter().map(|s| s.source_id).collect::<Vec<_>>(), [created.source_id]);

    let body = m::DestinationCreate::new(
        ids::WORKSPACE_ANALYTICS,
        "Snowflake (new)".to_owned(),
        ids::DESTINATION_DEFINITION_SNOWFLAKE,
        json!({"host": "h", "role": "r", "warehouse": "w", "database": "d", "schema": "s", "username": "u"}),
    );
    let destination = call(&standin, &ops::CreateDestination::new(body), &auth).unwrap();
    let fetched = call(
        &standin,
        &ops::GetDestination::new(m::DestinationIdRequestBody::new(destination.destination_id)),
        &auth,
    )
    .unwrap();
    assert_eq!(fetched.destination_name, "Snowflake");
    let listed = call(
        &standin,
        &ops::ListDestinationsForWorkspace::new(m::ActorListCursorPaginatedRequestBody::new(
            ids::WORKSPACE_ANALYTICS,
        )),
        &auth,
    )
    .unwrap();
    assert_eq!(listed.destinations.len(), 3);
}

#[test]
fn malformed_bodies_are_422_known_exceptions() {
    let standin = start();
    let token = token(&standin);
    for body in [&b"{"[..], b"[]", br#"{"id": "seven"}"#, b""] {
        let reply = send(
            "POST",
            &format!("{}/jobs/get", standin.config_root()),
            &[("Authorization", &format!("Bearer {token}")), ("Content-Type", "application/json")],
            Some(body),
        );
        assert_eq!(reply.status, 422, "{}", String::from_utf8_lossy(body));
        let json = reply.json();
        assert!(json["message"].as_str().unwrap().starts_with("the request body"), "{json}");
        assert!(json["errorId"].is_string());
    }
}
