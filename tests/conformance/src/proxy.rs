//! The stand-in behind `prism proxy`: the client flows run against proxies of both specs that
//! validate every request and every response (`--errors` turns a violation into an error
//! answer), so the stand-in and the core are held to the specs together.

use std::path::Path;
use std::time::Duration;

use airbyte_core::blocking::BlockingClient;
use airbyte_core::flow::jobs::{JobKind, JobOutcome, WaitSettings};
use airbyte_core::flow::task::Engine;
use airbyte_core::{Api, ClientConfig, Credentials, RetryPolicy, Secret};
use airbyte_standin::{ids, Options, Standin};
use serde_json::{json, Value};

use crate::prism::Prism;

fn settings() -> WaitSettings {
    WaitSettings {
        poll_interval: Duration::from_millis(20),
        request_timeout: Duration::from_secs(30),
        deadline: Some(Duration::from_secs(60)),
        cancel_on_deadline: true,
    }
}

/// Runs the flows; returns whether they all passed with no violation.
pub(crate) fn run(prism: &Path, config_spec: &Path, public_spec: &Path) -> Result<bool, String> {
    let standin = Standin::start(Options::default()).map_err(|e| e.to_string())?;
    let public_upstream = standin.public_root();
    let config_upstream = format!("{}/api", standin.base_url());
    let public = Prism::start(prism, &["proxy"], public_spec, &[&public_upstream, "--errors"])?;
    let config = Prism::start(prism, &["proxy"], config_spec, &[&config_upstream, "--errors"])?;

    let client_config = ClientConfig::self_managed(standin.base_url())
        .and_then(|c| c.with_public_root(&public.url))
        .and_then(|c| c.with_config_root(&config.url))
        .map_err(|e| e.to_string())?;
    let credentials = Credentials::ClientCredentials {
        client_id: standin.client_id().to_owned(),
        client_secret: Secret::new(standin.client_secret()),
        token_url: None,
    };
    let engine = Engine::new(client_config, credentials)
        .map_err(|e| e.to_string())?
        .with_retry(RetryPolicy::none());
    let client = BlockingClient::new(engine);

    let mut failures = Vec::new();
    let mut check = |name: &str, result: Result<String, String>| match result {
        Ok(detail) => println!("proxy flow ok: {name}: {detail}"),
        Err(error) => {
            println!("FAIL proxy flow {name}: {error}");
            failures.push(name.to_owned());
        }
    };

    let count_pages = |api: Api, id: &str, input: Value, size: u32| -> Result<String, String> {
        let mut pages = 0;
        let mut items = 0;
        client
            .for_each_page(api, id, input, Some(size), &mut |page| {
                pages += 1;
                items += page.len();
            })
            .map_err(|e| e.to_string())?;
        Ok(format!("{items} items in {pages} pages"))
    };
    check(
        "public health",
        client
            .call_json(Api::Public, "getHealthCheck", &json!({}))
            .map(|_| "ok".into())
            .map_err(|e| e.to_string()),
    );
    check("public workspaces", count_pages(Api::Public, "listWorkspaces", json!({}), 1));
    check("public connections", count_pages(Api::Public, "listConnections", json!({}), 10));
    check("config connections", {
        let input = json!({"body": {"workspaceId": ids::WORKSPACE_ANALYTICS}});
        client
            .call_json(Api::Config, "listConnectionsForWorkspace", &input)
            .map(|v| format!("{} connections", v["connections"].as_array().map_or(0, Vec::len)))
            .map_err(|e| e.to_string())
    });
    check(
        "config workspaces",
        count_pages(
            Api::Config,
            "listWorkspacesInOrganization",
            json!({"body": {"organizationId": ids::ORGANIZATION}}),
            1,
        ),
    );
    check(
        "config sources (cursor)",
        count_pages(
            Api::Config,
            "listSourcesForWorkspace",
            json!({"body": {"workspaceId": ids::WORKSPACE_ANALYTICS}}),
            2,
        ),
    );

    let connection_ok = ids::CONNECTION_OK.to_string();
    let connection_failing = ids::CONNECTION_FAILING.to_string();
    for api in [Api::Public, Api::Config] {
        for (connection, expected) in
            [(&connection_ok, JobOutcome::Succeeded), (&connection_failing, JobOutcome::Failed)]
        {
            let name = format!("{} sync {connection}", api.as_str());
            let result = client
                .run_job(api, connection, JobKind::Sync, false, settings(), &mut |_| {})
                .map_err(|e| e.to_string())
                .and_then(|report| {
                    if report.outcome == expected {
                        Ok(format!("{:?}, job {}", report.outcome, report.progress.job_id))
                    } else {
                        Err(format!("expected {expected:?}, got {:?}", report.outcome))
                    }
                });
            check(&name, result);
        }
    }
    check("public jobs list", {
        let input = json!({"connectionId": connection_ok, "limit": 5, "orderBy": "createdAt|DESC"});
        client
            .call_json(Api::Public, "listJobs", &input)
            .map(|v| format!("{} jobs", v["data"].as_array().map_or(0, Vec::len)))
            .map_err(|e| e.to_string())
    });
    check("config jobs list", {
        let input = json!({"body": {"configTypes": ["sync"], "configId": connection_ok, "pagination": {"pageSize": 5}}});
        client
            .call_json(Api::Config, "listJobsFor", &input)
            .map(|v| format!("{} jobs", v["jobs"].as_array().map_or(0, Vec::len)))
            .map_err(|e| e.to_string())
    });
    check("connector setup", connector_setup(&client));

    let violations: Vec<String> = [&public, &config]
        .iter()
        .flat_map(|p| p.log_lines())
        .filter(|line| line.contains("Violation") || line.contains("violation"))
        .collect();
    for line in &violations {
        println!("FAIL proxy violation: {line}");
    }
    println!("proxy: {} flows failed, {} violations", failures.len(), violations.len());
    Ok(failures.is_empty() && violations.is_empty())
}

/// The connector-setup steps of an embedding web app, on the Configuration API.
fn connector_setup(client: &BlockingClient) -> Result<String, String> {
    let workspace = ids::WORKSPACE_ANALYTICS.to_string();
    let definition = ids::SOURCE_DEFINITION_POSTGRES.to_string();
    let call = |id: &str, body: Value| {
        client.call_json(Api::Config, id, &json!({"body": body})).map_err(|e| e.to_string())
    };
    let definitions = call("listSourceDefinitionsForWorkspace", json!({"workspaceId": workspace}))?;
    let count = definitions["sourceDefinitions"].as_array().map_or(0, Vec::len);
    let spec = call(
        "getSourceDefinitionSpecification",
        json!({"sourceDefinitionId": definition, "workspaceId": workspace}),
    )?;
    let required =
        spec["connectionSpecification"]["required"].as_array().cloned().unwrap_or_default();
    let mut configuration = serde_json::Map::new();
    for field in &required {
        let name = field.as_str().unwrap_or_default();
        let schema = &spec["connectionSpecification"]["properties"][name];
        let value = match schema["type"].as_str() {
            Some("integer") => json!(5432),
            Some("boolean") => json!(true),
            _ => schema["enum"].get(0).cloned().unwrap_or(json!(format!("value-{name}"))),
        };
        configuration.insert(name.to_owned(), value);
    }
    let check = call(
        "executeSourceCheckConnection",
        json!({"sourceDefinitionId": definition, "workspaceId": workspace, "connectionConfiguration": configuration}),
    )?;
    let created = call(
        "createSource",
        json!({"sourceDefinitionId": definition, "workspaceId": workspace, "name": "conformance source",
            "connectionConfiguration": configuration}),
    )?;
    Ok(format!(
        "{count} definitions, {} required fields, check {}, created {}",
        required.len(),
        check["status"].as_str().unwrap_or("?"),
        created["sourceId"].as_str().unwrap_or("?")
    ))
}
