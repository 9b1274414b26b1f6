//! Connector definitions with real-looking connection specifications, a small JSON Schema
//! checker for configurations, and masking of secret fields.

use serde_json::{json, Value};

use crate::ids;
use crate::state::{ActorKind, Definition};

/// What the server shows instead of a secret value.
pub(crate) const MASK: &str = "**********";

/// The seeded connector definitions.
pub(crate) fn definitions() -> Vec<Definition> {
    vec![
        Definition {
            id: ids::SOURCE_DEFINITION_POSTGRES,
            kind: ActorKind::Source,
            name: "Postgres".to_owned(),
            short_name: "postgres".to_owned(),
            docker_repository: "airbyte/source-postgres".to_owned(),
            docker_image_tag: "3.6.28".to_owned(),
            documentation_url: "https://docs.airbyte.com/integrations/sources/postgres".to_owned(),
            spec: postgres_spec("Postgres Source Spec", false),
            streams: vec![("public", "users"), ("public", "orders"), ("public", "order_items")],
        },
        Definition {
            id: ids::SOURCE_DEFINITION_STRIPE,
            kind: ActorKind::Source,
            name: "Stripe".to_owned(),
            short_name: "stripe".to_owned(),
            docker_repository: "airbyte/source-stripe".to_owned(),
            docker_image_tag: "5.8.3".to_owned(),
            documentation_url: "https://docs.airbyte.com/integrations/sources/stripe".to_owned(),
            spec: json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "title": "Stripe Source Spec",
                "type": "object",
                "required": ["account_id", "client_secret"],
                "properties": {
                    "account_id": {"type": "string", "title": "Account ID", "order": 0,
                        "description": "Your Stripe account ID (starts with 'acct_')."},
                    "client_secret": {"type": "string", "title": "Secret Key", "order": 1,
                        "airbyte_secret": true,
                        "description": "Stripe API key (usually starts with 'sk_live_')."},
                    "start_date": {"type": "string", "title": "Replication start date",
                        "format": "date-time", "order": 2,
                        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                        "examples": ["2017-01-25T00:00:00Z"]},
                    "lookback_window_days": {"type": "integer", "title": "Lookback Window in days",
                        "default": 0, "minimum": 0, "order": 3},
                    "slice_range": {"type": "integer", "title": "Data request time increment in days",
                        "default": 365, "minimum": 1, "order": 4},
                    "environment": {"type": "string", "title": "Environment",
                        "enum": ["live", "test"], "default": "live", "order": 5},
                    "expand_subscriptions": {"type": "boolean", "title": "Expand subscriptions",
                        "default": false, "order": 6}
                }
            }),
            streams: vec![("", "charges"), ("", "customers"), ("", "invoices")],
        },
        Definition {
            id: ids::SOURCE_DEFINITION_GITHUB,
            kind: ActorKind::Source,
            name: "GitHub".to_owned(),
            short_name: "github".to_owned(),
            docker_repository: "airbyte/source-github".to_owned(),
            docker_image_tag: "1.8.35".to_owned(),
            documentation_url: "https://docs.airbyte.com/integrations/sources/github".to_owned(),
            spec: json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "title": "GitHub Source Spec",
                "type": "object",
                "required": ["repositories", "personal_access_token"],
                "properties": {
                    "repositories": {"type": "array", "title": "GitHub Repositories", "order": 0,
                        "minItems": 1, "items": {"type": "string"},
                        "examples": ["airbytehq/airbyte", "airbytehq/*"]},
                    "personal_access_token": {"type": "string", "title": "Personal Access Tokens",
                        "airbyte_secret": true, "order": 1},
                    "start_date": {"type": "string", "title": "Start date", "format": "date-time",
                        "order": 2},
                    "repository_visibility": {"type": "string", "title": "Repository visibility",
                        "enum": ["all", "public", "private"], "default": "all", "order": 3},
                    "max_waiting_time": {"type": "integer", "title": "Max Waiting Time (in minutes)",
                        "minimum": 1, "maximum": 60, "default": 10, "order": 4},
                    "include_forks": {"type": "boolean", "title": "Include forks",
                        "default": false, "order": 5}
                }
            }),
            streams: vec![("", "issues"), ("", "pull_requests"), ("", "commits")],
        },
        Definition {
            id: ids::SOURCE_DEFINITION_HUBSPOT,
            kind: ActorKind::Source,
            name: "HubSpot".to_owned(),
            short_name: "hubspot".to_owned(),
            docker_repository: "airbyte/source-hubspot".to_owned(),
            docker_image_tag: "4.4.7".to_owned(),
            documentation_url: "https://docs.airbyte.com/integrations/sources/hubspot".to_owned(),
            spec: json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "title": "HubSpot Source Spec",
                "type": "object",
                "required": ["credentials_title", "access_token"],
                "properties": {
                    "credentials_title": {"type": "string", "title": "Auth Type", "order": 0,
                        "enum": ["Private App Credentials", "OAuth Credentials"]},
                    "access_token": {"type": "string", "title": "Access token",
                        "airbyte_secret": true, "order": 1},
                    "start_date": {"type": "string", "title": "Start date", "format": "date-time",
                        "order": 2},
                    "enable_experimental_streams": {"type": "boolean",
                        "title": "Enable experimental streams", "default": false, "order": 3},
                    "lookback_window": {"type": "integer", "title": "Lookback window (days)",
                        "minimum": 0, "default": 0, "order": 4}
                }
            }),
            streams: vec![("", "contacts"), ("", "companies"), ("", "deals")],
        },
        Definition {
            id: ids::DESTINATION_DEFINITION_POSTGRES,
            kind: ActorKind::Destination,
            name: "Postgres".to_owned(),
            short_name: "postgres".to_owned(),
            docker_repository: "airbyte/destination-postgres".to_owned(),
            docker_image_tag: "2.4.7".to_owned(),
            documentation_url: "https://docs.airbyte.com/integrations/destinations/postgres"
                .to_owned(),
            spec: postgres_spec("Postgres Destination Spec", true),
            streams: Vec::new(),
        },
        Definition {
            id: ids::DESTINATION_DEFINITION_BIGQUERY,
            kind: ActorKind::Destination,
            name: "BigQuery".to_owned(),
            short_name: "bigquery".to_owned(),
            docker_repository: "airbyte/destination-bigquery".to_owned(),
            docker_image_tag: "2.10.2".to_owned(),
            documentation_url: "https://docs.airbyte.com/integrations/destinations/bigquery"
                .to_owned(),
            spec: json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "title": "BigQuery Destination Spec",
                "type": "object",
                "required": ["project_id", "dataset_location", "dataset_id"],
                "properties": {
                    "project_id": {"type": "string", "title": "Project ID", "order": 0},
                    "dataset_location": {"type": "string", "title": "Dataset Location", "order": 1,
                        "enum": ["US", "EU", "asia-east1", "europe-west1", "us-central1"]},
                    "dataset_id": {"type": "string", "title": "Default Dataset ID", "order": 2},
                    "credentials_json": {"type": "string", "title": "Service Account Key JSON",
                        "airbyte_secret": true, "order": 3},
                    "transformation_priority": {"type": "string", "title": "Transformation Query Run Type",
                        "enum": ["interactive", "batch"], "default": "interactive", "order": 4},
                    "big_query_client_buffer_size_mb": {"type": "integer",
                        "title": "Google BigQuery Client Chunk Size", "minimum": 1, "maximum": 15,
                        "default": 15, "order": 5},
                    "disable_type_dedupe": {"type": "boolean",
                        "title": "Disable Final Tables", "default": false, "order": 6}
                }
            }),
            streams: Vec::new(),
        },
        Definition {
            id: ids::DESTINATION_DEFINITION_SNOWFLAKE,
            kind: ActorKind::Destination,
            name: "Snowflake".to_owned(),
            short_name: "snowflake".to_owned(),
            docker_repository: "airbyte/destination-snowflake".to_owned(),
            docker_image_tag: "3.15.1".to_owned(),
            documentation_url: "https://docs.airbyte.com/integrations/destinations/snowflake"
                .to_owned(),
            spec: json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "title": "Snowflake Destination Spec",
                "type": "object",
                "required": ["host", "role", "warehouse", "database", "schema", "username"],
                "properties": {
                    "host": {"type": "string", "title": "Host", "order": 0,
                        "examples": ["accountname.us-east-2.aws.snowflakecomputing.com"]},
                    "role": {"type": "string", "title": "Role", "order": 1},
                    "warehouse": {"type": "string", "title": "Warehouse", "order": 2},
                    "database": {"type": "string", "title": "Database", "order": 3},
                    "schema": {"type": "string", "title": "Default Schema", "order": 4},
                    "username": {"type": "string", "title": "Username", "order": 5},
                    "password": {"type": "string", "title": "Password", "airbyte_secret": true,
                        "order": 6},
                    "auth_type": {"type": "string", "title": "Authorization Method", "order": 7,
                        "enum": ["Username and Password", "Key Pair Authentication"],
                        "default": "Username and Password"},
                    "retention_period_days": {"type": "integer",
                        "title": "Data Retention Period (days)", "minimum": 0, "order": 8},
                    "disable_type_dedupe": {"type": "boolean",
                        "title": "Disable Final Tables", "default": false, "order": 9}
                }
            }),
            streams: Vec::new(),
        },
    ]
}

fn postgres_spec(title: &str, destination: bool) -> Value {
    let mut required = vec!["host", "port", "database", "username"];
    let mut spec = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
        "type": "object",
        "properties": {
            "host": {"type": "string", "title": "Host", "description": "Hostname of the database.",
                "order": 0},
            "port": {"type": "integer", "title": "Port", "minimum": 0, "maximum": 65536,
                "default": 5432, "examples": ["5432"], "order": 1},
            "database": {"type": "string", "title": "Database Name", "order": 2},
            "username": {"type": "string", "title": "Username", "order": 4},
            "password": {"type": "string", "title": "Password", "airbyte_secret": true,
                "order": 5},
            "ssl_mode": {"type": "string", "title": "SSL Mode", "order": 6,
                "enum": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"],
                "default": "prefer"}
        }
    });
    if let Some(properties) = spec.get_mut("properties").and_then(Value::as_object_mut) {
        if destination {
            required.insert(3, "schema");
            properties.insert(
                "schema".to_owned(),
                json!({"type": "string", "title": "Default Schema", "default": "public",
                       "order": 3}),
            );
            properties.insert(
                "disable_type_dedupe".to_owned(),
                json!({"type": "boolean", "title": "Disable Final Tables", "default": false,
                       "order": 7}),
            );
        } else {
            properties.insert(
                "include_views".to_owned(),
                json!({"type": "boolean", "title": "Include views", "default": false,
                       "order": 7}),
            );
        }
    }
    spec["required"] = json!(required);
    spec
}

/// Checks `config` against the JSON Schema `spec` (the subset the seeded specs use: `type`,
/// `required`, `properties`, `enum`, `minimum`, `maximum`, `minItems`, `items`) and returns
/// the problems in the style of the Java validator the server uses (`$.port: ...`).
pub(crate) fn validate(spec: &Value, config: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    check(spec, config, "$", &mut problems);
    problems
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn check(schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    if let Some(expected) = schema.get("type").and_then(Value::as_str) {
        let actual = type_name(value);
        let fits = actual == expected || (expected == "number" && actual == "integer");
        if !fits {
            problems.push(format!("{path}: {actual} found, {expected} expected"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            problems.push(format!(
                "{path}: does not have a value in the enumeration [{}]",
                list.join(", ")
            ));
        }
    }
    if let Some(number) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if number < min {
                problems.push(format!("{path}: must have a minimum value of {min}"));
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if number > max {
                problems.push(format!("{path}: must have a maximum value of {max}"));
            }
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                problems
                    .push(format!("{path}: there must be a minimum of {min} items in the array"));
            }
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                check(item_schema, item, &format!("{path}[{i}]"), problems);
            }
        }
    }
    if let Some(object) = value.as_object() {
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    problems.push(format!("{path}.{name}: is missing but it is required"));
                }
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property_schema) in properties {
                if let Some(property) = object.get(name) {
                    check(property_schema, property, &format!("{path}.{name}"), problems);
                }
            }
        }
    }
}

/// A copy of `config` with every value the spec marks `airbyte_secret` replaced by [`MASK`].
pub(crate) fn mask(spec: &Value, config: &Value) -> Value {
    let mut masked = config.clone();
    if let (Some(properties), Some(object)) =
        (spec.get("properties").and_then(Value::as_object), masked.as_object_mut())
    {
        for (name, property_schema) in properties {
            let secret =
                property_schema.get("airbyte_secret").and_then(Value::as_bool) == Some(true);
            if let Some(value) = object.get_mut(name) {
                if secret {
                    *value = Value::String(MASK.to_owned());
                } else if value.is_object() {
                    *value = mask(property_schema, value);
                }
            }
        }
    }
    masked
}

/// Whether any secret value of `config` is the word `invalid`, which the stand-in's connection
/// checks and syncs treat as credentials the service rejects.
pub(crate) fn has_rejected_secret(spec: &Value, config: &Value) -> bool {
    let Some(properties) = spec.get("properties").and_then(Value::as_object) else {
        return false;
    };
    properties.iter().any(|(name, property_schema)| {
        property_schema.get("airbyte_secret").and_then(Value::as_bool) == Some(true)
            && config.get(name).and_then(Value::as_str) == Some("invalid")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_has_required_secret_enum_integer_and_boolean_fields() {
        for definition in definitions() {
            let spec = &definition.spec;
            let properties = spec["properties"].as_object().unwrap();
            assert!(!spec["required"].as_array().unwrap().is_empty(), "{}", definition.name);
            let has = |f: &dyn Fn(&Value) -> bool| properties.values().any(f);
            assert!(has(&|p| p["airbyte_secret"] == json!(true)), "{}", definition.name);
            assert!(has(&|p| p.get("enum").is_some()), "{}", definition.name);
            assert!(has(&|p| p["type"] == "integer"), "{}", definition.name);
            assert!(has(&|p| p["type"] == "boolean"), "{}", definition.name);
        }
    }

    #[test]
    fn seeded_configurations_are_valid_and_masked() {
        let data = crate::state::Data::seed();
        for actor in &data.actors {
            let definition = data.definition(actor.kind, actor.definition_id).unwrap();
            assert_eq!(validate(&definition.spec, &actor.configuration), Vec::<String>::new());
            let masked = mask(&definition.spec, &actor.configuration);
            assert!(masked.to_string().contains(MASK), "{}", actor.name);
        }
    }

    #[test]
    fn validation_names_each_problem() {
        let spec = postgres_spec("t", false);
        let problems = validate(
            &spec,
            &json!({"host": 5, "port": 70000, "username": "u", "ssl_mode": "maybe"}),
        );
        assert_eq!(
            problems,
            vec![
                "$.database: is missing but it is required",
                "$.host: integer found, string expected",
                "$.port: must have a maximum value of 65536",
                "$.ssl_mode: does not have a value in the enumeration [\"disable\", \"allow\", \
                 \"prefer\", \"require\", \"verify-ca\", \"verify-full\"]",
            ]
        );
        assert_eq!(validate(&spec, &json!([])), vec!["$: array found, object expected"]);
    }
}
