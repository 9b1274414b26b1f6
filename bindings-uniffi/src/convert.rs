//! Conversions between the core's models and their UniFFI twins, used by the generated code.
//!
//! [`FromCore`] turns a core value into what crosses the boundary and cannot fail. [`IntoCore`]
//! goes back and checks what the host built: UUIDs and JSON text are parsed, and a failure names
//! the place (`body.configuration`) through a [`Path`] that is only rendered on error.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

/// A value the host built that the core cannot take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid value at `{path}`: {message}")]
pub struct ConvertError {
    /// Where the value is, as a JSON-style path.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

/// Where a value sits inside what is being converted; rendered only when an error needs it.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    /// The top: the value handed over.
    Root(&'a str),
    /// A named field of a parent.
    Field(&'a Path<'a>, &'a str),
    /// An item of a list.
    Index(&'a Path<'a>, usize),
    /// A value of a map.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The field `name` below this place.
    pub fn field(&'a self, name: &'a str) -> Path<'a> {
        Path::Field(self, name)
    }

    /// The list item `index` below this place.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The map value under `key` below this place.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// An error at this place.
    pub fn error(&self, message: impl Into<String>) -> ConvertError {
        ConvertError { path: self.to_string(), message: message.into() }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// Turns a core value into its UniFFI twin.
pub trait FromCore<C>: Sized {
    /// The twin of `value`.
    fn from_core(value: C) -> Self;
}

/// Turns a UniFFI value back into the core's type, checking what the core cannot take.
pub trait IntoCore<C> {
    /// The core value, or what is wrong at `path`.
    fn into_core(self, path: &Path<'_>) -> Result<C, ConvertError>;
}

macro_rules! same {
    ($($t:ty),*) => {$(
        impl FromCore<$t> for $t {
            fn from_core(value: $t) -> Self {
                value
            }
        }
        impl IntoCore<$t> for $t {
            fn into_core(self, _path: &Path<'_>) -> Result<$t, ConvertError> {
                Ok(self)
            }
        }
    )*};
}

same!(String, bool, i32, i64, f64, u8, u16, ());

/// The core keeps a JSON number exactly as the server wrote it; hosts get the nearest `f64`
/// (integers beyond 2^53 round, as they would in JavaScript or any JSON parser using doubles).
impl FromCore<serde_json::Number> for f64 {
    fn from_core(value: serde_json::Number) -> Self {
        value.as_f64().unwrap_or(f64::NAN)
    }
}

impl IntoCore<serde_json::Number> for f64 {
    fn into_core(self, path: &Path<'_>) -> Result<serde_json::Number, ConvertError> {
        serde_json::Number::from_f64(self)
            .ok_or_else(|| path.error(format!("{self} is not a finite number, which JSON needs")))
    }
}

impl FromCore<uuid::Uuid> for String {
    fn from_core(value: uuid::Uuid) -> Self {
        value.to_string()
    }
}

impl IntoCore<uuid::Uuid> for String {
    fn into_core(self, path: &Path<'_>) -> Result<uuid::Uuid, ConvertError> {
        uuid::Uuid::parse_str(self.trim())
            .map_err(|e| path.error(format!("`{self}` is not a UUID: {e}")))
    }
}

impl FromCore<Value> for String {
    fn from_core(value: Value) -> Self {
        json_of(&value)
    }
}

impl IntoCore<Value> for String {
    fn into_core(self, path: &Path<'_>) -> Result<Value, ConvertError> {
        from_json_text(&self, path)
    }
}

impl<C, F: FromCore<C>> FromCore<Vec<C>> for Vec<F> {
    fn from_core(value: Vec<C>) -> Self {
        value.into_iter().map(F::from_core).collect()
    }
}

impl<C, F: IntoCore<C>> IntoCore<Vec<C>> for Vec<F> {
    fn into_core(self, path: &Path<'_>) -> Result<Vec<C>, ConvertError> {
        self.into_iter().enumerate().map(|(i, item)| item.into_core(&path.index(i))).collect()
    }
}

impl<C, F: FromCore<C>> FromCore<Option<C>> for Option<F> {
    fn from_core(value: Option<C>) -> Self {
        value.map(F::from_core)
    }
}

impl<C, F: IntoCore<C>> IntoCore<Option<C>> for Option<F> {
    fn into_core(self, path: &Path<'_>) -> Result<Option<C>, ConvertError> {
        self.map(|value| value.into_core(path)).transpose()
    }
}

impl<C, F: FromCore<C>> FromCore<indexmap::IndexMap<String, C>> for HashMap<String, F> {
    fn from_core(value: indexmap::IndexMap<String, C>) -> Self {
        value.into_iter().map(|(k, v)| (k, F::from_core(v))).collect()
    }
}

impl<C, F: IntoCore<C>> IntoCore<indexmap::IndexMap<String, C>> for HashMap<String, F> {
    /// Keys are sorted, so the JSON sent does not depend on the hash map's order.
    fn into_core(self, path: &Path<'_>) -> Result<indexmap::IndexMap<String, C>, ConvertError> {
        let mut entries: Vec<(String, F)> = self.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = indexmap::IndexMap::with_capacity(entries.len());
        for (key, value) in entries {
            let converted = value.into_core(&path.key(&key))?;
            out.insert(key, converted);
        }
        Ok(out)
    }
}

/// JSON text of a serializable value. Serializing the core's models cannot fail (their maps have
/// string keys); should it ever, the text is `null`.
pub fn json_of<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// Parses JSON text into any deserializable value, naming `path` on failure.
pub fn from_json_text<T: serde::de::DeserializeOwned>(
    text: &str,
    path: &Path<'_>,
) -> Result<T, ConvertError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let inner = e.path().to_string();
        let message = e.into_inner().to_string();
        if inner == "." || inner.is_empty() {
            path.error(format!("not valid JSON here: {message}"))
        } else {
            path.error(format!("not valid JSON here: at `{inner}`: {message}"))
        }
    })?;
    deserializer.end().map_err(|e| path.error(format!("not valid JSON here: {e}")))?;
    Ok(value)
}

/// Unknown fields of a core model as name → JSON text.
pub fn extra_from_core(extra: serde_json::Map<String, Value>) -> HashMap<String, String> {
    extra.into_iter().map(|(key, value)| (key, json_of(&value))).collect()
}

/// Unknown fields given as name → JSON text, sorted by name.
pub fn extra_into_core(
    extra: HashMap<String, String>,
    path: &Path<'_>,
) -> Result<serde_json::Map<String, Value>, ConvertError> {
    let mut entries: Vec<(String, String)> = extra.into_iter().collect();
    entries.sort();
    let mut out = serde_json::Map::new();
    for (key, text) in entries {
        let value = from_json_text(&text, &path.field(&key))?;
        out.insert(key, value);
    }
    Ok(out)
}

/// An optional value for a field where `null` is meaningful: absent stays absent.
pub fn nullable<T>(value: Option<T>) -> Option<Option<T>> {
    value.map(Some)
}

/// An optional value for a boxed field.
pub fn boxed<T>(value: Option<T>) -> Option<Box<T>> {
    value.map(Box::new)
}

/// Shown instead of a value that must not be printed.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Shows the names of unknown fields, sorted, without their values.
pub struct Keys<'a>(pub &'a HashMap<String, String>);

impl fmt::Debug for Keys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&String> = self.0.keys().collect();
        keys.sort();
        f.debug_list().entries(keys).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_only_on_error() {
        let root = Path::Root("body");
        let field = root.field("streams");
        let item = field.index(2);
        let key = item.key("a b");
        assert_eq!(key.to_string(), "body.streams[2][\"a b\"]");
        let error = IntoCore::<uuid::Uuid>::into_core("nope".to_owned(), &item).unwrap_err();
        assert_eq!(error.path, "body.streams[2]");
        assert!(error.message.starts_with("`nope` is not a UUID"), "{}", error.message);
    }

    #[test]
    fn json_text_round_trips_and_names_bad_places() {
        let value: Value = from_json_text(r#"{"a":[1,2]}"#, &Path::Root("x")).unwrap();
        assert_eq!(json_of(&value), r#"{"a":[1,2]}"#);
        let error = from_json_text::<Value>("{\"a\":", &Path::Root("x")).unwrap_err();
        assert_eq!(error.path, "x");
        assert!(error.message.starts_with("not valid JSON here"), "{}", error.message);
        let error = from_json_text::<Value>("[1] 2", &Path::Root("x")).unwrap_err();
        assert!(error.message.contains("trailing characters"), "{}", error.message);
    }

    #[test]
    fn maps_are_sorted_on_the_way_to_the_core() {
        let map: HashMap<String, i64> = [("b".to_owned(), 2), ("a".to_owned(), 1)].into();
        let core: indexmap::IndexMap<String, i64> = map.into_core(&Path::Root("m")).unwrap();
        assert_eq!(core.keys().collect::<Vec<_>>(), ["a", "b"]);
        let extra = extra_into_core(
            [("z".to_owned(), "1".to_owned()), ("y".to_owned(), "\"t\"".to_owned())].into(),
            &Path::Root("m"),
        )
        .unwrap();
        assert_eq!(serde_json::to_string(&extra).unwrap(), r#"{"y":"t","z":1}"#);
        let error = extra_into_core([("k".to_owned(), "nope".to_owned())].into(), &Path::Root("m"))
            .unwrap_err();
        assert_eq!(error.path, "m.k");
    }
}
