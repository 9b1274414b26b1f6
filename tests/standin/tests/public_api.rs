//! The public API: lists and their links, workspaces, sources, destinations, definitions.

mod common;

use std::collections::BTreeSet;

use airbyte_core::public_api::{models, ops};
use airbyte_core::Operation;
use airbyte_standin::ids;
use common::*;
use serde_json::json;

#[test]
fn paging_through_all_connections_by_following_next() {
    let standin = start();
    let token = token(&standin);
    let mut url = format!("{}/connections?limit=10", standin.public_root());
    let mut seen = BTreeSet::new();
    let mut pages = Vec::new();
    loop {
        let reply = get(&url, &token);
        assert_eq!(reply.status, 200, "{url}: {}", reply.text());
        let page = ops::ListConnections::parse_response(&reply.as_core().as_raw()).unwrap();
        pages.push(page.data.len());
        for connection in &page.data {
            assert!(
                seen.insert(connection.connection_id),
                "seen twice: {}",
                connection.connection_id
            );
        }
        let next = page.next.unwrap();
        if page.data.is_empty() {
            assert_eq!(next, "", "an empty page has no next link");
            break;
        }
        assert!(next.starts_with(&format!("{}/connections?", standin.public_root())), "{next}");
        url = next;
    }
    // 25 connections in pages of 10, and the extra round-trip the real server needs.
    assert_eq!(pages, vec![10, 10, 5, 0]);
    assert_eq!(seen.len(), ids::ACTIVE_CONNECTIONS);
    assert!(!seen.contains(&ids::CONNECTION_DELETED));
}

#[test]
fn list_filters_and_previous_links() {
    let standin = start();
    let auth = bearer(&standin);
    let mut op = ops::ListConnections::new();
    op.workspace_ids = Some(vec![ids::WORKSPACE_MARKETING]);
    op.limit = Some(4);
    op.offset = Some(8);
    let page = call(&standin, &op, &auth).unwrap();
    assert_eq!(page.data.len(), 2);
    assert!(page.data.iter().all(|c| c.workspace_id == ids::WORKSPACE_MARKETING));
    let previous = page.previous.unwrap();
    assert!(previous.contains("limit=4&offset=4"), "{previous}");
    assert!(previous.contains(&format!("workspaceIds={}", ids::WORKSPACE_MARKETING)), "{previous}");

    op.include_deleted = Some(true);
    let page = call(&standin, &op, &auth).unwrap();
    assert_eq!(page.data.len(), 3);
    let deleted = page.data.iter().find(|c| c.connection_id == ids::CONNECTION_DELETED).unwrap();
    assert_eq!(deleted.status.as_str(), "deprecated");

    // Comma-joined ids, as the server's own links write them, work as well as repeated keys.
    let token = token(&standin);
    let both = format!("{},{}", ids::WORKSPACE_ANALYTICS, ids::WORKSPACE_MARKETING);
    let reply = get(
        &format!("{}/connections?limit=100&workspaceIds={both}", standin.public_root()),
        &token,
    );
    assert_eq!(reply.json()["data"].as_array().unwrap().len(), ids::ACTIVE_CONNECTIONS);
    let reply = get(
        &format!(
            "{}/workspaces?workspaceIds={}&workspaceIds={}",
            standin.public_root(),
            ids::WORKSPACE_ANALYTICS,
            ids::WORKSPACE_MARKETING
        ),
        &token,
    );
    assert_eq!(reply.json()["data"].as_array().unwrap().len(), 2);

    // Bad parameters are 400 problems, not crashes.
    for query in [
        "limit=0",
        "limit=101",
        "offset=-1",
        "limit=ten",
        "workspaceIds=nope",
        "includeDeleted=maybe",
    ] {
        let reply = get(&format!("{}/connections?{query}", standin.public_root()), &token);
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(reply.json()["title"], "bad-request", "{query}");
    }
}

#[test]
fn workspaces_and_not_found_problems() {
    let standin = start();
    let auth = bearer(&standin);
    let workspaces = call(&standin, &ops::ListWorkspaces::new(), &auth).unwrap();
    let names: Vec<&str> = workspaces.data.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["Analytics", "Marketing"]);
    let one = call(&standin, &ops::GetWorkspace::new(ids::WORKSPACE_ANALYTICS), &auth).unwrap();
    assert_eq!(one.name, "Analytics");

    let missing = uuid::Uuid::from_u128(7);
    let error = call(&standin, &ops::GetWorkspace::new(missing), &auth).unwrap_err();
    assert_eq!(error.status(), 404);
    assert_eq!(
        problem_type(&error),
        "https://reference.airbyte.com/reference/errors#resource-not-found"
    );
    let error = call(&standin, &ops::GetConnection::new(missing), &auth).unwrap_err();
    let api = error.as_api().unwrap();
    assert_eq!(api.status, 404);
    let body: serde_json::Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(
        body["data"],
        json!({"resourceType": "connection", "resourceId": missing.to_string()})
    );
    assert_eq!(call(&standin, &ops::GetJob::new(999_999), &auth).unwrap_err().status(), 404);

    let connection = call(&standin, &ops::GetConnection::new(ids::CONNECTION_OK), &auth).unwrap();
    assert_eq!(connection.source_id, ids::SOURCE_POSTGRES_PRODUCTION);
    assert!(!connection.configurations.streams.unwrap().is_empty());

    // Unknown routes and methods get Micronaut's bodies.
    let token = token(&standin);
    let reply = get(&format!("{}/nothing-here", standin.public_root()), &token);
    assert_eq!((reply.status, reply.json()["message"].as_str()), (404, Some("Not Found")));
    let reply = send(
        "PUT",
        &format!("{}/jobs", standin.public_root()),
        &[("Authorization", &format!("Bearer {token}"))],
        None,
    );
    assert_eq!(reply.status, 405);
}

#[test]
fn definitions_sources_and_destinations() {
    let standin = start();
    let auth = bearer(&standin);
    let definitions =
        call(&standin, &ops::ListSourceDefinitions::new(ids::WORKSPACE_ANALYTICS), &auth).unwrap();
    assert_eq!(definitions.data.len(), 4);
    assert!(definitions.data.iter().any(|d| d.docker_repository == "airbyte/source-postgres"));
    let destinations =
        call(&standin, &ops::ListDestinationDefinitions::new(ids::WORKSPACE_ANALYTICS), &auth)
            .unwrap();
    assert_eq!(destinations.data.len(), 3);

    let mut list = ops::ListSources::new();
    list.workspace_ids = Some(vec![ids::WORKSPACE_ANALYTICS]);
    let sources = call(&standin, &list, &auth).unwrap();
    assert_eq!(sources.data.len(), 4);
    // Secrets are masked.
    let postgres =
        sources.data.iter().find(|s| s.source_id == ids::SOURCE_POSTGRES_PRODUCTION).unwrap();
    assert_eq!(postgres.configuration["password"], "**********");
    assert_eq!(postgres.source_type, "postgres");

    // Create by `configuration.sourceType`.
    let body = models::SourceCreateRequest::new(
        "New Postgres".to_owned(),
        ids::WORKSPACE_MARKETING,
        json!({"sourceType": "postgres", "host": "h", "port": 5432, "database": "d", "username": "u", "password": "p"}),
    );
    let mut create = ops::CreateSource::new();
    create.body = Some(body);
    let created = call(&standin, &create, &auth).unwrap();
    assert_eq!(created.definition_id, ids::SOURCE_DEFINITION_POSTGRES);
    assert_eq!(created.configuration["password"], "**********");
    assert!(created.configuration.get("sourceType").is_none());
    let fetched = call(&standin, &ops::GetSource::new(created.source_id), &auth).unwrap();
    assert_eq!(fetched.name, "New Postgres");

    // A configuration that breaks the spec is a 422 problem naming the fields.
    let mut body = models::DestinationCreateRequest::new(
        "Broken".to_owned(),
        ids::WORKSPACE_ANALYTICS,
        json!({"project_id": "p", "dataset_location": "MARS"}),
    );
    body.definition_id = Some(ids::DESTINATION_DEFINITION_BIGQUERY);
    let mut create = ops::CreateDestination::new();
    create.body = Some(body);
    let error = call(&standin, &create, &auth).unwrap_err();
    assert_eq!(error.status(), 422);
    // The details are in `data.message`; `detail` is the problem type's fixed text.
    let body: serde_json::Value = serde_json::from_slice(error.body()).unwrap();
    let message = body["data"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("$.dataset_id: is missing but it is required"), "{message}");
    assert!(
        message.contains("$.dataset_location: does not have a value in the enumeration"),
        "{message}"
    );
}

#[test]
fn malformed_bodies_get_clear_4xx_problems() {
    let standin = start();
    let token = token(&standin);
    let url = format!("{}/jobs", standin.public_root());
    let auth = format!("Bearer {token}");
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json")];
    let not_json = send("POST", &url, &headers, Some(b"{nope"));
    assert_eq!(not_json.status, 400);
    assert!(not_json.json()["data"]["message"].as_str().unwrap().contains("not valid JSON"));
    let wrong_shape =
        send("POST", &url, &headers, Some(br#"{"connectionId": 5, "jobType": "sync"}"#));
    assert_eq!(wrong_shape.status, 422);
    assert!(wrong_shape.json()["data"]["message"].as_str().unwrap().contains("`connectionId`"));
    let missing = send("POST", &url, &headers, Some(br#"{"jobType": "sync"}"#));
    assert_eq!(missing.status, 422);
    assert!(missing.json()["data"]["message"].as_str().unwrap().contains("connectionId"));
    let empty = send("POST", &url, &headers, None);
    assert_eq!(empty.status, 400);
    let bad_type =
        post_json(&url, &token, &json!({"connectionId": ids::CONNECTION_OK, "jobType": "explode"}));
    assert_eq!(bad_type.status, 400);
    // Raw garbage on the socket gets a 400 too, and the server keeps serving.
    let reply = send("GET", &format!("{}/health", standin.public_root()), &[], None);
    assert_eq!(reply.status, 200);
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", standin.port())).unwrap();
    stream.write_all(b"NOT HTTP AT ALL\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert_eq!(send("GET", &format!("{}/health", standin.public_root()), &[], None).status, 200);
}
