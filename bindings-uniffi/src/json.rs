//! Reading the JSON text that free-form fields (connector configurations, unknown fields,
//! page items) cross as, without a JSON library on the host side.

use std::fmt;

use serde_json::Value;

use crate::convert::json_of;
use crate::error::{guard, AirbyteError};

/// The type of a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// One JSON value, read. `Debug` shows its kind and size only, since configurations hold
/// secrets.
#[derive(Clone, PartialEq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct JsonNode {
    /// Its type.
    pub kind: JsonKind,
    /// The value as compact JSON text.
    pub json: String,
    /// The string, for a string.
    pub string_value: Option<String>,
    /// The number, for a number (integers beyond 2^53 lose precision; see `integer_value`).
    pub number_value: Option<f64>,
    /// The number, for an integer that fits 64 bits.
    pub integer_value: Option<i64>,
    /// The boolean, for a boolean.
    pub bool_value: Option<bool>,
    /// The keys in order, for an object.
    pub keys: Vec<String>,
    /// The number of items (array) or keys (object); 0 otherwise.
    pub length: u64,
}

impl fmt::Debug for JsonNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonNode")
            .field("kind", &self.kind)
            .field("length", &self.length)
            .field("json", &format!("<{} bytes>", self.json.len()))
            .finish()
    }
}

impl fmt::Display for JsonNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

fn node(value: &Value) -> JsonNode {
    let (kind, length, keys) = match value {
        Value::Null => (JsonKind::Null, 0, Vec::new()),
        Value::Bool(_) => (JsonKind::Bool, 0, Vec::new()),
        Value::Number(_) => (JsonKind::Number, 0, Vec::new()),
        Value::String(_) => (JsonKind::String, 0, Vec::new()),
        Value::Array(items) => (JsonKind::Array, items.len(), Vec::new()),
        Value::Object(map) => (JsonKind::Object, map.len(), map.keys().cloned().collect()),
    };
    JsonNode {
        kind,
        json: json_of(value),
        string_value: value.as_str().map(str::to_owned),
        number_value: value.as_f64(),
        integer_value: value.as_i64(),
        bool_value: value.as_bool(),
        keys,
        length: u64::try_from(length).unwrap_or(u64::MAX),
    }
}

/// Reads the value at `pointer` (RFC 6901: `""` for the whole text, `/streams/0/name`) in JSON
/// `text`; `None` when nothing is there. Text that is not JSON, or a pointer that does not start
/// with `/`, is invalid input.
#[uniffi::export]
pub fn json_read(text: String, pointer: String) -> Result<Option<JsonNode>, AirbyteError> {
    guard(|| {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(AirbyteError::invalid_input(
                "pointer",
                format!("`{pointer}` is not a JSON pointer: it must be empty or start with `/`"),
            ));
        }
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| AirbyteError::invalid_input("text", format!("not JSON: {e}")))?;
        Ok(value.pointer(&pointer).map(node))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_by_pointer() {
        let text = r#"{"name":"pg","port":5432,"big":12345678901234567890,"tags":["a","b"],
            "ssl":{"mode":"require"},"on":true,"none":null,"a/b":1}"#;
        let read = |p: &str| json_read(text.to_owned(), p.to_owned()).unwrap();
        let root = read("").unwrap();
        assert_eq!(root.kind, JsonKind::Object);
        assert_eq!(root.keys, ["name", "port", "big", "tags", "ssl", "on", "none", "a/b"]);
        assert_eq!(root.length, 8);
        assert_eq!(read("/name").unwrap().string_value.as_deref(), Some("pg"));
        let port = read("/port").unwrap();
        assert_eq!((port.integer_value, port.number_value), (Some(5432), Some(5432.0)));
        assert_eq!(read("/big").unwrap().integer_value, None);
        assert_eq!(read("/tags/1").unwrap().json, "\"b\"");
        assert_eq!(read("/tags").unwrap().length, 2);
        assert_eq!(read("/ssl").unwrap().json, r#"{"mode":"require"}"#);
        assert_eq!(read("/on").unwrap().bool_value, Some(true));
        assert_eq!(read("/none").unwrap().kind, JsonKind::Null);
        assert_eq!(read("/a~1b").unwrap().integer_value, Some(1));
        assert_eq!(read("/missing"), None);
        assert_eq!(
            format!("{:?}", read("/ssl").unwrap()),
            "JsonNode { kind: Object, length: 1, json: \"<18 bytes>\" }"
        );
    }

    #[test]
    fn bad_text_and_pointers_are_invalid_input() {
        let error = json_read("{".into(), "".into()).unwrap_err();
        assert_eq!(error.details().path.as_deref(), Some("text"));
        let error = json_read("{}".into(), "name".into()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid input at `pointer`: `name` is not a JSON pointer: it must be empty or start \
             with `/`"
        );
    }
}
