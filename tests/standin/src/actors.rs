//! Creating and checking sources and destinations, shared by both APIs (which differ only in
//! their error bodies).

use airbyte_core::Api;
use serde_json::Value;
use uuid::Uuid;

use crate::api::Ctx;
use crate::errors;
use crate::http::HttpResponse;
use crate::specs;
use crate::state::{Actor, ActorKind};

/// A 422 for a configuration that does not fit the specification, worded like the server's
/// `JsonValidationException`.
fn invalid_configuration(ctx: &Ctx<'_>, problems: &[String]) -> HttpResponse {
    let message = format!(
        "The provided configuration does not fulfill the specification. Errors: json schema \
         validation failed when comparing the data to the json schema. \nErrors: {}",
        problems.join(", ")
    );
    match ctx.api {
        Api::Public => errors::unprocessable(&message),
        Api::Config => errors::known_exception(422, &message),
    }
}

/// Checks the workspace, the definition and the configuration, then stores a new actor.
pub(crate) fn create(
    ctx: &mut Ctx<'_>,
    kind: ActorKind,
    workspace_id: Uuid,
    definition_id: Uuid,
    name: String,
    configuration: Value,
) -> Result<Actor, HttpResponse> {
    if ctx.inner.data.workspace(workspace_id).is_none() {
        return Err(ctx.not_found("workspace", &workspace_id.to_string()));
    }
    let Some(definition) = ctx.inner.data.definition(kind, definition_id) else {
        return Err(
            ctx.not_found(&format!("{}_definition", kind.as_str()), &definition_id.to_string())
        );
    };
    let problems = specs::validate(&definition.spec, &configuration);
    if !problems.is_empty() {
        return Err(invalid_configuration(ctx, &problems));
    }
    let now = ctx.now;
    Ok(ctx.inner.data.add_actor(kind, workspace_id, definition_id, name, configuration, now))
}

/// The outcome of a connection check: `Ok(())` or the failure message.
pub(crate) fn check(spec: &Value, configuration: &Value) -> Result<(), String> {
    let problems = specs::validate(spec, configuration);
    if !problems.is_empty() {
        return Err(format!(
            "The provided configuration does not fulfill the specification: {}",
            problems.join(", ")
        ));
    }
    if specs::has_rejected_secret(spec, configuration) {
        return Err("Could not connect with provided configuration. Authentication failed: the \
                    service rejected the credentials (HTTP 401)."
            .to_owned());
    }
    Ok(())
}

/// Replaces masked secret values (`**********`) of `configuration` by the stored ones, the way
/// the server does when a stored actor is checked again with its masked configuration.
pub(crate) fn unmask(configuration: &Value, stored: &Value) -> Value {
    match (configuration, stored) {
        (Value::Object(given), Value::Object(stored)) => Value::Object(
            given
                .iter()
                .map(|(key, value)| {
                    let value = match stored.get(key) {
                        Some(old) if value.as_str() == Some(specs::MASK) => old.clone(),
                        Some(old) if value.is_object() => unmask(value, old),
                        _ => value.clone(),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        _ => configuration.clone(),
    }
}

/// The number of (not deleted) connections that use the actor.
pub(crate) fn connection_count(ctx: &Ctx<'_>, actor: &Actor) -> i64 {
    let count = ctx
        .inner
        .data
        .connections
        .iter()
        .filter(|c| !c.deleted && (c.source_id == actor.id || c.destination_id == actor.id))
        .count();
    i64::try_from(count).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masked_values_take_the_stored_ones() {
        let stored = json!({"a": "secret", "b": 1, "n": {"c": "inner"}});
        let given = json!({"a": "**********", "b": 2, "n": {"c": "**********"}, "d": true});
        assert_eq!(
            unmask(&given, &stored),
            json!({"a": "secret", "b": 2, "n": {"c": "inner"}, "d": true})
        );
    }
}
