//! The spec files handed to the validator.
//!
//! `api.yaml` refers to two components it does not define (`responses/ForbiddenResponse`,
//! `schemas/DataplaneCreateResponseBody`), which config.yaml does define; Prism refuses to start on
//! a dangling reference, so the copy given to Prism gets the missing components from config.yaml
//! (and what they refer to, transitively).
//!
//! Besides that, only the corrections named in the reviewed exception list are applied, each for
//! a place where the spec is wrong and the server disagrees with it:
//! - `uuid-format`: `format: UUID` (not a JSON Schema format, so validators accept any text)
//!   becomes `format: uuid`, what the server's Java `UUID` fields always produce;
//! - `required-missing-property`: `required` entries that name no property are dropped (the
//!   generator ignores them too);
//! - `mapper-configuration-anyof`: `MapperConfiguration`'s `oneOf` becomes `anyOf`, because its
//!   alternatives overlap and the server picks one by the sibling `type` field;
//! - `config-security-bearer`: config.yaml's global `security: [{}]` (anonymous) becomes the
//!   bearer token the server requires; operations marked `security: []` stay anonymous.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn references(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                out.insert(reference.clone());
            }
            object.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

fn pointer(reference: &str) -> Option<&str> {
    reference.strip_prefix('#')
}

/// The two specs as given to Prism, and what was changed.
pub(crate) struct Prepared {
    pub(crate) config: PathBuf,
    pub(crate) public: PathBuf,
    pub(crate) notes: Vec<String>,
}

/// Writes both specs, with `fixes` applied, as JSON files into `out_dir`.
pub(crate) fn prepare(specs: &Path, out_dir: &Path, fixes: &[String]) -> Result<Prepared, String> {
    let mut config = load(&specs.join("config.yaml"))?;
    let mut public = load(&specs.join("api.yaml"))?;
    let mut notes = Vec::new();
    let added = fill_dangling(&mut public, &config)?;
    notes.push(format!("api.yaml: components added from config.yaml: {}", added.join(", ")));
    for fix in fixes {
        for (name, spec) in [("config.yaml", &mut config), ("api.yaml", &mut public)] {
            let count = match fix.as_str() {
                "uuid-format" => walk_schemas(spec, &mut fix_uuid_format),
                "required-missing-property" => walk_schemas(spec, &mut drop_missing_required),
                "mapper-configuration-anyof" => mapper_any_of(spec),
                "config-security-bearer" if name == "config.yaml" => config_bearer(spec),
                "config-security-bearer" => 0,
                other => return Err(format!("unknown spec fix `{other}` in the exception list")),
            };
            notes.push(format!("{name}: {fix}: {count} changes"));
        }
    }
    std::fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
    let write = |file: &str, value: &Value| -> Result<PathBuf, String> {
        let path = out_dir.join(file);
        std::fs::write(&path, serde_json::to_vec_pretty(value).map_err(|e| e.to_string())?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    };
    Ok(Prepared {
        config: write("config.json", &config)?,
        public: write("api.json", &public)?,
        notes,
    })
}

/// Applies `fix` to every object in the document; returns how many it changed.
fn walk_schemas(
    value: &mut Value,
    fix: &mut dyn FnMut(&mut serde_json::Map<String, Value>) -> bool,
) -> usize {
    match value {
        Value::Object(object) => {
            let mut count = usize::from(fix(object));
            for child in object.values_mut() {
                count += walk_schemas(child, fix);
            }
            count
        }
        Value::Array(items) => items.iter_mut().map(|v| walk_schemas(v, fix)).sum(),
        _ => 0,
    }
}

fn fix_uuid_format(object: &mut serde_json::Map<String, Value>) -> bool {
    if object.get("format").and_then(Value::as_str) == Some("UUID") {
        object.insert("format".into(), Value::from("uuid"));
        return true;
    }
    false
}

fn drop_missing_required(object: &mut serde_json::Map<String, Value>) -> bool {
    let Some(properties) = object.get("properties").and_then(Value::as_object) else {
        return false;
    };
    let names: BTreeSet<String> = properties.keys().cloned().collect();
    let Some(Value::Array(required)) = object.get_mut("required") else { return false };
    let before = required.len();
    required.retain(|r| r.as_str().is_some_and(|name| names.contains(name)));
    required.len() != before
}

fn config_bearer(spec: &mut Value) -> usize {
    let Some(object) = spec.as_object_mut() else { return 0 };
    object.insert("security".into(), serde_json::json!([{"bearerAuth": []}]));
    1
}

fn mapper_any_of(spec: &mut Value) -> usize {
    let Some(mapper) =
        spec.pointer_mut("/components/schemas/MapperConfiguration").and_then(Value::as_object_mut)
    else {
        return 0;
    };
    match mapper.remove("oneOf") {
        Some(alternatives) => {
            mapper.insert("anyOf".into(), alternatives);
            1
        }
        None => 0,
    }
}

/// Copies the components `public` refers to but lacks from `config`; returns their references.
fn fill_dangling(public: &mut Value, config: &Value) -> Result<Vec<String>, String> {
    let mut added = Vec::new();
    loop {
        let mut refs = BTreeSet::new();
        references(public, &mut refs);
        let missing: Vec<String> = refs
            .into_iter()
            .filter(|r| pointer(r).is_some_and(|p| public.pointer(p).is_none()))
            .collect();
        if missing.is_empty() {
            break;
        }
        for reference in missing {
            let path = pointer(&reference).unwrap_or_default();
            let source = config
                .pointer(path)
                .ok_or_else(|| {
                    format!("api.yaml refers to {reference}, which config.yaml lacks too")
                })?
                .clone();
            let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
            let [section, kind, name] = parts.as_slice() else {
                return Err(format!("unexpected reference {reference}"));
            };
            let components = public
                .get_mut(*section)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| "api.yaml has no components".to_owned())?;
            let kind_map =
                components.entry(*kind).or_insert_with(|| Value::Object(Default::default()));
            if let Some(map) = kind_map.as_object_mut() {
                map.insert((*name).to_owned(), source);
            }
            added.push(reference);
        }
    }
    Ok(added)
}
