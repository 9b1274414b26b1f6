//! Loading a spec file into JSON and following its local references.

use std::path::Path;

use serde_json::{Map, Value};

/// A loaded spec document.
pub struct Spec {
    /// The whole document.
    pub root: Value,
    /// The file name it was read from, for messages.
    pub file: String,
}

impl Spec {
    /// Reads a YAML or JSON spec. Map keys that YAML reads as numbers or booleans (`200:`)
    /// become strings; timestamps stay strings because YAML 1.2 has no timestamp type.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text)
            .map_err(|e| format!("{} is not valid YAML: {e}", path.display()))?;
        let root = yaml_to_json(yaml).map_err(|e| format!("{}: {e}", path.display()))?;
        if !root.get("paths").is_some_and(Value::is_object) {
            return Err(format!(
                "{} has no `paths` object; is it an OpenAPI document?",
                path.display()
            ));
        }
        let file = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        Ok(Self { root, file })
    }

    /// Resolves a local `#/a/b/c` reference.
    pub fn resolve(&self, reference: &str) -> Option<&Value> {
        let pointer = reference.strip_prefix('#')?;
        self.root.pointer(pointer)
    }

    /// `components.schemas`, or an empty map.
    pub fn schemas(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    /// `info.version`, or an empty string.
    pub fn version(&self) -> String {
        self.root.pointer("/info/version").and_then(Value::as_str).unwrap_or("").to_owned()
    }
}

/// The component schema name a `#/components/schemas/X` reference points to.
pub fn schema_ref_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

fn yaml_to_json(value: serde_yaml_ng::Value) -> Result<Value, String> {
    use serde_yaml_ng::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            Value::Array(items.into_iter().map(yaml_to_json).collect::<Result<_, _>>()?)
        }
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                out.insert(key, yaml_to_json(value)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}
