//! Request and response vectors: test data computed from the intermediate model, independently
//! of the emitted Rust, so that the core and every binding can be checked against the same
//! expectations.
//!
//! For every operation two request cases are produced: `minimal` (only what is required, at
//! every level) and `full` (every optional parameter and field too, down to [`FULL_DEPTH`]
//! levels of nesting). Sample values are deterministic: UUIDs are hashed from the input path,
//! strings are `sample-<name>`, numbers are hashed into their declared range, enums take their
//! first value and unions their first alternative (the first one that does not recurse).
//!
//! The expected request (method, URL, headers, body) is computed here from the model, by the
//! rules `airbyte-core` documents: the URL is the root plus the path with every parameter
//! percent-encoded (all but RFC 3986 unreserved characters), query parameters in spec order with
//! arrays repeating their key, headers in the order `accept`, `content-type` (only with a body),
//! `user-agent`, `authorization` (only for authenticated operations), then header parameters.
//!
//! For every response example in the spec, and for a `full` sample of every JSON response type,
//! a response case is produced whose expectation comes from a small decoder over the model
//! ([`Vectors::decode_value`]): it accepts what the core's models accept (open enums, unknown
//! fields, explicit nulls) and refuses what they refuse (wrong JSON types, missing required
//! fields, malformed UUIDs, fractions for integers), and it re-serializes the way the models do
//! (declared fields in spec order, then unknown fields in the order received; optional fields
//! sent as `null` dropped unless the field is nullable). An example that does not match its
//! schema becomes an expected decode error at the JSON path the core reports, never a skipped
//! case.
//!
//! The file format is described in `tests/vectors/README.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::{json, Map, Value};

use crate::ir::{
    Api, Constraints, Location, Model, ModelKind, Operation, ResponseBody, Struct, Tagging, Type,
    Union,
};

/// The server every generated request is built against, as given to
/// `ClientConfig::self_managed`.
pub const HOST: &str = "http://localhost:8000";
/// The public API root `ClientConfig::self_managed(HOST)` derives.
pub const PUBLIC_ROOT: &str = "http://localhost:8000/api/public/v1";
/// The Configuration API root `ClientConfig::self_managed(HOST)` derives; the Configuration
/// spec's paths (`/v1/jobs/get`) are relative to it.
pub const CONFIG_ROOT: &str = "http://localhost:8000/api";
/// The `User-Agent` of every generated request.
pub const USER_AGENT: &str = "airbyte-core-vectors/1";
/// The bearer token of every generated request.
pub const TOKEN: &str = "vector-token";
/// The value of the `format` key of every vector file.
pub const FORMAT: &str = "airbyte-core-vectors/1";

/// In `full` cases, optional fields are set in objects nested at most this deep (the body is at
/// depth 0); deeper objects get their required fields only. This bounds recursive and very
/// large types.
pub const FULL_DEPTH: usize = 5;

/// A sample that goes through more named models than this at once means a cycle of required
/// fields; it is refused.
const MAX_NESTING: usize = 100;

/// Vector files: path relative to the vectors directory → pretty-printed JSON.
pub type Files = BTreeMap<String, String>;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// Writes a path the way `serde_path_to_error` displays it (and so the core reports it):
/// `.` for the top level, keys joined by `.`, indexes as `[i]` (`data[0].jobId`).
fn path_text(path: &[Segment]) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for (i, segment) in path.iter().enumerate() {
        match segment {
            Segment::Key(key) => {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}

/// `path` extended by one segment.
fn child(path: &[Segment], segment: Segment) -> Vec<Segment> {
    let mut out = path.to_vec();
    out.push(segment);
    out
}

/// A value the models refuse: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The JSON path, as the core reports it.
    pub path: String,
    /// What is wrong, worded like serde (for messages only, not part of the vectors).
    pub message: String,
}

/// A refusal at `path`.
fn refuse(path: &[Segment], message: impl Into<String>) -> Refusal {
    Refusal { path: path_text(path), message: message.into() }
}

/// How serde names a JSON value in "invalid type" messages.
fn unexpected(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    }
}

/// serde's "invalid type" refusal of `value` where `expected` was expected.
fn invalid_type(path: &[Segment], value: &Value, expected: &str) -> Refusal {
    refuse(path, format!("invalid type: {}, expected {expected}", unexpected(value)))
}

/// Parses a UUID in the forms `uuid::Uuid::parse_str` accepts (hyphenated, simple, braced,
/// `urn:uuid:`), and returns it lowercase and hyphenated, as the core sends it back.
fn parse_uuid(text: &str) -> Option<String> {
    let inner = if let Some(rest) = text.strip_prefix("urn:uuid:") {
        rest
    } else if let Some(rest) = text.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        rest
    } else {
        text
    };
    let hex: String = match inner.len() {
        32 => inner.to_owned(),
        36 => {
            let bytes = inner.as_bytes();
            if [8, 13, 18, 23].iter().any(|&i| bytes[i] != b'-') {
                return None;
            }
            inner.chars().filter(|c| *c != '-').collect()
        }
        _ => return None,
    };
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    if inner.len() == 32 && text.len() != 32 {
        // Braced and URN forms are hyphenated only.
        return None;
    }
    let hex = hex.to_ascii_lowercase();
    Some(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}

/// FNV-1a, 64 bits, started from `seed`: a stable hash for sample values.
fn fnv1a(seed: u64, text: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ seed;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A version-4-shaped UUID derived from `path`.
pub fn sample_uuid(path: &str) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&fnv1a(0, path).to_be_bytes());
    bytes[8..].copy_from_slice(&fnv1a(0x9e37_79b9_7f4a_7c15, path).to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Percent-encodes everything but RFC 3986 unreserved characters, as the core does in paths
/// and queries.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The text form of a decoded scalar parameter value, as the core writes it into a URL or a
/// header.
fn param_text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) if n.is_f64() => Ok(n.as_f64().map(|f| f.to_string()).unwrap_or_default()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(format!("{other} cannot be a parameter value")),
    }
}

/// The vector generator for one API.
pub struct Vectors<'a> {
    api: &'a Api,
    models: BTreeMap<&'a str, &'a Model>,
}

/// Whether a request case sets only what is required or everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Only required parameters, body and fields.
    Minimal,
    /// Every optional parameter and field too (bounded by [`FULL_DEPTH`]).
    Full,
}

/// Names of the variants.
impl Variant {
    /// The variant's name in the vectors: `minimal` or `full`.
    fn name(self) -> &'static str {
        match self {
            Variant::Minimal => "minimal",
            Variant::Full => "full",
        }
    }
}

/// Where a sample sits, for names, hashes and recursion bounds.
struct Place<'p> {
    /// The field or parameter name, for `sample-<name>` strings.
    name: &'p str,
    /// The input path, for hashed values (`body.connections[0].sourceId`).
    path: String,
    /// How many objects deep the value is.
    depth: usize,
}

impl<'a> Vectors<'a> {
    /// A generator over `api`.
    pub fn new(api: &'a Api) -> Self {
        Self { api, models: api.models.iter().map(|m| (m.name.as_str(), m)).collect() }
    }

    /// Whether `ty` is free-form JSON, directly or through aliases.
    fn is_json(&self, ty: &Type) -> bool {
        match ty {
            Type::Json => true,
            Type::Named(name) => match self.models.get(name.as_str()).map(|m| &m.kind) {
                Some(ModelKind::Alias { target, .. }) => self.is_json(target),
                _ => false,
            },
            _ => false,
        }
    }

    /// The model named `name`.
    fn model(&self, name: &str) -> Result<&'a Model, String> {
        self.models.get(name).copied().ok_or_else(|| format!("unknown model `{name}`"))
    }

    /// Decodes `value` as `ty` the way the generated models do and returns what they serialize
    /// back, or where they refuse it.
    pub fn decode_value(&self, ty: &Type, value: &Value) -> Result<Value, Refusal> {
        self.decode(ty, value, &[])
    }

    /// [`Vectors::decode_value`] at `path`: the Rust type of `ty` deserialized from `value` and
    /// serialized again.
    fn decode(&self, ty: &Type, value: &Value, path: &[Segment]) -> Result<Value, Refusal> {
        match ty {
            Type::String => match value {
                Value::String(_) => Ok(value.clone()),
                _ => Err(invalid_type(path, value, "a string")),
            },
            Type::Uuid => match value {
                Value::String(text) => parse_uuid(text)
                    .map(Value::String)
                    .ok_or_else(|| refuse(path, format!("UUID parsing failed: {text:?}"))),
                _ => Err(invalid_type(path, value, "a UUID string")),
            },
            Type::I32 => decode_integer(value, path, i64::from(i32::MIN), i64::from(i32::MAX)),
            Type::I64 => decode_integer(value, path, i64::MIN, i64::MAX),
            // Numbers are kept as sent (`serde_json::Number`): 0 stays 0, 0.5 stays 0.5.
            Type::F64 if value.is_number() => Ok(value.clone()),
            Type::F64 => Err(invalid_type(path, value, "a JSON number")),
            Type::Bool => match value {
                Value::Bool(_) => Ok(value.clone()),
                _ => Err(invalid_type(path, value, "a boolean")),
            },
            Type::Json => Ok(value.clone()),
            Type::List(inner) => match value {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.decode(inner, item, &child(path, Segment::Index(i))))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array),
                _ => Err(invalid_type(path, value, "a sequence")),
            },
            Type::Map(inner) => match value {
                Value::Object(object) => {
                    let mut out = Map::new();
                    for (key, item) in object {
                        let decoded =
                            self.decode(inner, item, &child(path, Segment::Key(key.clone())))?;
                        out.insert(key.clone(), decoded);
                    }
                    Ok(Value::Object(out))
                }
                _ => Err(invalid_type(path, value, "a map")),
            },
            Type::Named(name) => {
                let model = self.model(name).map_err(|e| refuse(path, e))?;
                match &model.kind {
                    ModelKind::Alias { target, .. } => self.decode(target, value, path),
                    ModelKind::Enum(e) => match value {
                        Value::String(wire) => {
                            let known = e.values.iter().find(|v| v.wire == *wire).or_else(|| {
                                e.values.iter().find(|v| v.wire.eq_ignore_ascii_case(wire))
                            });
                            Ok(Value::String(
                                known.map_or_else(|| wire.clone(), |v| v.wire.clone()),
                            ))
                        }
                        _ => Err(invalid_type(path, value, &format!("a {name} string"))),
                    },
                    ModelKind::Union(u) => self.decode_union(u, value, path),
                    ModelKind::Struct(s) => self.decode_struct(name, s, value, path),
                }
            }
        }
    }

    /// A union is buffered as JSON and decoded from there; errors inside an alternative are
    /// reported at the union's own path.
    fn decode_union(&self, u: &Union, value: &Value, path: &[Segment]) -> Result<Value, Refusal> {
        match &u.tagging {
            Tagging::Property { name } => {
                let tag = value.get(name).and_then(Value::as_str);
                self.decode_tagged(u, tag, value, path)
            }
            Tagging::Untagged => Ok(self.decode_untagged(u, value)),
        }
    }

    /// The first alternative whose required properties are present and which decodes; the value
    /// unchanged when none does.
    fn decode_untagged(&self, u: &Union, value: &Value) -> Value {
        for variant in &u.variants {
            let has_keys = value
                .as_object()
                .is_some_and(|object| variant.required.iter().all(|k| object.contains_key(k)));
            if has_keys {
                if let Ok(decoded) = self.decode(&Type::Named(variant.model.clone()), value, &[]) {
                    return decoded;
                }
            }
        }
        value.clone()
    }

    /// The alternative named by `tag`, ignoring ASCII case. Without a tag a property-tagged
    /// union keeps the value as is and an untagged one decodes it by its properties; an
    /// unknown tag keeps the value as is.
    fn decode_tagged(
        &self,
        u: &Union,
        tag: Option<&str>,
        value: &Value,
        anchor: &[Segment],
    ) -> Result<Value, Refusal> {
        if u.variants.iter().all(|v| v.tags.is_empty()) {
            return Ok(match &u.tagging {
                Tagging::Untagged => self.decode_untagged(u, value),
                // The lowering gives every alternative of a property-tagged union a tag.
                Tagging::Property { .. } => value.clone(),
            });
        }
        let Some(tag) = tag else {
            return Ok(match u.tagging {
                Tagging::Untagged => self.decode_untagged(u, value),
                Tagging::Property { .. } => value.clone(),
            });
        };
        for variant in &u.variants {
            if variant.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                // A body that does not fit the tag's alternative is kept, as the core does.
                return Ok(match self.decode(&Type::Named(variant.model.clone()), value, &[]) {
                    Ok(decoded) => decoded,
                    Err(_) => match u.tagging {
                        Tagging::Untagged => self.decode_untagged(u, value),
                        Tagging::Property { .. } => value.clone(),
                    },
                });
            }
        }
        let _ = anchor;
        Ok(value.clone())
    }

    /// An object model: declared fields are decoded (a sibling-tagged union once the tag is
    /// known), unknown ones kept; errors come in the order the generated `visit_map` finds them:
    /// field values in input order, then sibling-tagged unions, then missing required fields.
    fn decode_struct(
        &self,
        name: &str,
        s: &Struct,
        value: &Value,
        path: &[Segment],
    ) -> Result<Value, Refusal> {
        let Value::Object(object) = value else {
            return Err(invalid_type(path, value, &format!("a {name} object")));
        };
        // `None`: absent (or dropped); `Some(Value::Null)`: an explicit null that is kept.
        let mut slots: Vec<Option<Value>> = vec![None; s.fields.len()];
        let mut extra = Map::new();
        for (key, item) in object {
            let Some(index) = s.fields.iter().position(|f| f.wire == *key) else {
                extra.insert(key.clone(), item.clone());
                continue;
            };
            let field = &s.fields[index];
            let at = child(path, Segment::Key(key.clone()));
            slots[index] = if field.sibling_tag.is_some() {
                Some(item.clone())
            } else if item.is_null() && self.is_json(&field.ty) {
                // Free-form JSON keeps an explicit null.
                Some(Value::Null)
            } else if item.is_null() && (field.nullable || !field.required) {
                // `Option<T>` reads null as `None`; a nullable optional field keeps it.
                (field.nullable && !field.required).then_some(Value::Null)
            } else {
                Some(self.decode(&field.ty, item, &at)?)
            };
        }
        for (index, field) in s.fields.iter().enumerate() {
            let Some(tag_field) = &field.sibling_tag else { continue };
            let Some(raw) = slots[index].take() else { continue };
            let tag = s
                .fields
                .iter()
                .position(|f| f.wire == *tag_field)
                .and_then(|i| slots[i].as_ref())
                .and_then(Value::as_str)
                .map(str::to_owned);
            let union = match &field.ty {
                Type::Named(union) => match &self.model(union).map_err(|e| refuse(path, e))?.kind {
                    ModelKind::Union(u) => u,
                    _ => {
                        return Err(refuse(
                            path,
                            format!("sibling-tagged `{union}` is not a union"),
                        ))
                    }
                },
                _ => return Err(refuse(path, "a sibling-tagged field must name a union")),
            };
            slots[index] = Some(self.decode_tagged(union, tag.as_deref(), &raw, path)?);
        }
        let mut out = Map::new();
        for (field, slot) in s.fields.iter().zip(slots) {
            match (field.required, field.nullable, slot) {
                (true, false, None) => {
                    return Err(refuse(path, format!("missing field `{}`", field.wire)));
                }
                (true, true, None) => {
                    out.insert(field.wire.clone(), Value::Null);
                }
                (_, _, Some(value)) => {
                    out.insert(field.wire.clone(), value);
                }
                (false, _, None) => {}
            }
        }
        for (key, item) in extra {
            out.insert(key, item);
        }
        Ok(Value::Object(out))
    }

    /// A sample value of `ty` at `place`.
    fn sample(
        &self,
        ty: &Type,
        constraints: &Constraints,
        place: &Place<'_>,
        variant: Variant,
        stack: &mut Vec<String>,
    ) -> Result<Value, String> {
        if stack.len() > MAX_NESTING {
            return Err(format!("{}: nested too deep; a cycle of required fields?", place.path));
        }
        Ok(match ty {
            Type::String => Value::String(sample_string(place.name, constraints)),
            Type::Uuid => Value::String(sample_uuid(&place.path)),
            Type::I32 | Type::I64 => {
                let (low, high) = match ty {
                    Type::I32 => (i64::from(i32::MIN), i64::from(i32::MAX)),
                    _ => (i64::MIN, i64::MAX),
                };
                Value::from(sample_integer(&place.path, constraints, low, high)?)
            }
            Type::F64 => {
                let base = (1 + fnv1a(0, &place.path) % 1000) as f64 + 0.25;
                let low = constraints.minimum.unwrap_or(f64::MIN);
                let high = constraints.maximum.unwrap_or(f64::MAX);
                Value::from(base.clamp(low.min(high), high))
            }
            Type::Bool => Value::Bool(true),
            Type::Json => json!({ "sample": format!("sample-{}", place.name) }),
            Type::List(inner) => {
                let min = constraints.min_items.unwrap_or(0);
                // Items of a model being sampled would recurse: give only as many as needed.
                let recursive = matches!(inner.as_ref(), Type::Named(n) if stack.contains(n));
                let wanted = if place.depth > FULL_DEPTH || recursive { min } else { min.max(1) };
                let count = constraints.max_items.map_or(wanted, |max| wanted.min(max));
                let mut items = Vec::new();
                for i in 0..count {
                    let item_place = Place {
                        name: place.name,
                        path: format!("{}[{i}]", place.path),
                        depth: place.depth,
                    };
                    let item_constraints = Constraints {
                        format: constraints.format.clone(),
                        pattern: constraints.pattern.clone(),
                        ..Constraints::default()
                    };
                    items.push(self.sample(
                        inner,
                        &item_constraints,
                        &item_place,
                        variant,
                        stack,
                    )?);
                }
                Value::Array(items)
            }
            Type::Map(inner) => {
                let value_place = Place {
                    name: place.name,
                    path: format!("{}.sample-key", place.path),
                    depth: place.depth,
                };
                let value =
                    self.sample(inner, &Constraints::default(), &value_place, variant, stack)?;
                json!({ "sample-key": value })
            }
            Type::Named(name) => {
                let model = self.model(name)?;
                stack.push(name.clone());
                let value = match &model.kind {
                    ModelKind::Alias { target, constraints: own } => {
                        let merged =
                            if constraints.format.is_none() && constraints.pattern.is_none() {
                                own
                            } else {
                                constraints
                            };
                        self.sample(target, merged, place, variant, stack)
                    }
                    ModelKind::Enum(e) => Ok(Value::String(e.values.first().map_or_else(
                        || sample_string(place.name, constraints),
                        |v| v.wire.clone(),
                    ))),
                    ModelKind::Union(u) => self.sample_union(u, place, variant, stack),
                    ModelKind::Struct(s) => self.sample_struct(s, place, variant, stack),
                };
                stack.pop();
                value?
            }
        })
    }

    /// The first alternative that does not lead back to a model being sampled, with its tag set.
    fn sample_union(
        &self,
        u: &Union,
        place: &Place<'_>,
        variant: Variant,
        stack: &mut Vec<String>,
    ) -> Result<Value, String> {
        let chosen = u
            .variants
            .iter()
            .find(|v| !stack.contains(&v.model))
            .or_else(|| u.variants.first())
            .ok_or_else(|| format!("{}: a union without alternatives", place.path))?;
        let value = self.sample(
            &Type::Named(chosen.model.clone()),
            &Constraints::default(),
            place,
            variant,
            stack,
        )?;
        match (&u.tagging, chosen.tags.first(), value) {
            (Tagging::Property { name }, Some(tag), Value::Object(object)) => {
                let mut tagged = Map::new();
                if !object.contains_key(name) {
                    tagged.insert(name.clone(), Value::String(tag.clone()));
                }
                for (key, item) in object {
                    let item = if key == *name { Value::String(tag.clone()) } else { item };
                    tagged.insert(key, item);
                }
                Ok(Value::Object(tagged))
            }
            (_, _, value) => Ok(value),
        }
    }

    /// An object with its required fields, and its optional ones in `full` cases above
    /// [`FULL_DEPTH`]; sibling-tagged unions are sampled last, to follow their tag.
    fn sample_struct(
        &self,
        s: &Struct,
        place: &Place<'_>,
        variant: Variant,
        stack: &mut Vec<String>,
    ) -> Result<Value, String> {
        let include_optional = variant == Variant::Full && place.depth < FULL_DEPTH;
        let mut values: Vec<Option<Value>> = vec![None; s.fields.len()];
        let sibling_last = s
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.sibling_tag.is_none())
            .chain(s.fields.iter().enumerate().filter(|(_, f)| f.sibling_tag.is_some()));
        // With "exactly one of" groups, the first group is set and the others left out.
        let chosen: Vec<&String> = s.one_of_required.first().into_iter().flatten().collect();
        let excluded: Vec<&String> =
            s.one_of_required.iter().skip(1).flatten().filter(|w| !chosen.contains(w)).collect();
        for (index, field) in sibling_last.collect::<Vec<_>>() {
            if excluded.contains(&&field.wire) {
                continue;
            }
            if !field.required && !include_optional && !chosen.contains(&&field.wire) {
                continue;
            }
            let field_place = Place {
                name: &field.wire,
                path: if place.path.is_empty() {
                    field.wire.clone()
                } else {
                    format!("{}.{}", place.path, field.wire)
                },
                depth: place.depth + 1,
            };
            let value = match &field.sibling_tag {
                Some(tag_field) => {
                    let tag = s
                        .fields
                        .iter()
                        .position(|f| f.wire == *tag_field)
                        .and_then(|i| values[i].as_ref())
                        .and_then(Value::as_str);
                    self.sample_sibling(&field.ty, tag, &field_place, variant, stack)?
                }
                None => self.sample(&field.ty, &field.constraints, &field_place, variant, stack)?,
            };
            values[index] = Some(value);
        }
        let mut object = Map::new();
        for (field, value) in s.fields.iter().zip(values) {
            if let Some(value) = value {
                object.insert(field.wire.clone(), value);
            }
        }
        Ok(Value::Object(object))
    }

    /// A union named by a sibling field: the alternative for `tag`, or the first one.
    fn sample_sibling(
        &self,
        ty: &Type,
        tag: Option<&str>,
        place: &Place<'_>,
        variant: Variant,
        stack: &mut Vec<String>,
    ) -> Result<Value, String> {
        let Type::Named(name) = ty else {
            return Err(format!("{}: a sibling-tagged field must name a union", place.path));
        };
        let ModelKind::Union(u) = &self.model(name)?.kind else {
            return Err(format!("{}: sibling-tagged `{name}` is not a union", place.path));
        };
        let chosen = u
            .variants
            .iter()
            .find(|v| tag.is_some_and(|tag| v.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))))
            .or_else(|| u.variants.first())
            .ok_or_else(|| format!("{}: a union without alternatives", place.path))?;
        stack.push(name.clone());
        let value = self.sample(
            &Type::Named(chosen.model.clone()),
            &Constraints::default(),
            place,
            variant,
            stack,
        );
        stack.pop();
        value
    }

    /// The `minimal` or `full` request case of `operation`.
    fn request_case(&self, op: &Operation, variant: Variant) -> Result<Value, String> {
        let origin = |e: String| format!("request vector `{}` ({}): {e}", op.id, variant.name());
        let mut input = Map::new();
        let mut path_values: BTreeMap<&str, String> = BTreeMap::new();
        let mut query: Vec<(String, String)> = Vec::new();
        let mut header_params: Vec<(String, String)> = Vec::new();
        for param in &op.params {
            if !param.required && variant == Variant::Minimal {
                continue;
            }
            let place = Place { name: &param.wire, path: param.wire.clone(), depth: 0 };
            let value = self
                .sample(&param.ty, &param.constraints, &place, variant, &mut Vec::new())
                .map_err(origin)?;
            let decoded = self
                .decode(&param.ty, &value, &[Segment::Key(param.wire.clone())])
                .map_err(|r| origin(format!("sample refused at {}: {}", r.path, r.message)))?;
            input.insert(param.wire.clone(), value);
            match param.location {
                Location::Path => {
                    let text = param_text(&decoded).map_err(origin)?;
                    if matches!(text.as_str(), "" | "." | "..") {
                        return Err(origin(format!("`{text}` cannot be a path segment")));
                    }
                    path_values.insert(&param.wire, text);
                }
                Location::Query => match &decoded {
                    Value::Array(items) => {
                        for item in items {
                            query.push((param.wire.clone(), param_text(item).map_err(origin)?));
                        }
                    }
                    Value::Object(entries) => {
                        for (key, item) in entries {
                            query.push((key.clone(), param_text(item).map_err(origin)?));
                        }
                    }
                    scalar => query.push((param.wire.clone(), param_text(scalar).map_err(origin)?)),
                },
                Location::Header => header_params
                    .push((param.wire.to_ascii_lowercase(), param_text(&decoded).map_err(origin)?)),
            }
        }

        let mut body = Value::Null;
        if let Some(declared) = op.body.as_ref().filter(|b| b.required || variant == Variant::Full)
        {
            let place = Place { name: "body", path: "body".to_owned(), depth: 0 };
            let value = self
                .sample(&declared.ty, &Constraints::default(), &place, variant, &mut Vec::new())
                .map_err(origin)?;
            body = self
                .decode(&declared.ty, &value, &[Segment::Key("body".to_owned())])
                .map_err(|r| origin(format!("sample refused at {}: {}", r.path, r.message)))?;
            if body.is_null() {
                return Err(origin(
                    "a body that is JSON null cannot be told from no body".to_owned(),
                ));
            }
            input.insert("body".to_owned(), value);
        }

        let root = match self.api.kind {
            crate::ir::ApiKind::Config => CONFIG_ROOT,
            crate::ir::ApiKind::Public => PUBLIC_ROOT,
        };
        let mut url = root.to_owned();
        let mut rest = op.path.as_str();
        while let Some(start) = rest.find('{') {
            url.push_str(&rest[..start]);
            let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
            let name = &rest[start + 1..end];
            let text = path_values
                .get(name)
                .ok_or_else(|| origin(format!("no value for path parameter `{name}`")))?;
            url.push_str(&percent_encode(text));
            rest = rest.get(end + 1..).unwrap_or("");
        }
        url.push_str(rest);
        for (i, (name, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&percent_encode(name));
            url.push('=');
            url.push_str(&percent_encode(value));
        }

        let mut headers = vec![json!(["accept", op.accept])];
        if !body.is_null() {
            headers.push(json!(["content-type", "application/json"]));
        }
        headers.push(json!(["user-agent", USER_AGENT]));
        if op.authenticated {
            headers.push(json!(["authorization", format!("Bearer {TOKEN}")]));
        }
        headers.extend(header_params.into_iter().map(|(name, value)| json!([name, value])));

        Ok(json!({
            "operation": op.id,
            "api": self.api.kind,
            "variant": variant.name(),
            "input": input,
            "expected": {
                "method": op.method,
                "url": url,
                "headers": headers,
                "body": body,
            },
        }))
    }

    /// The response cases of `operation`: for every JSON response, one per example the spec
    /// gives, then one with a `full` sample of its type (which checks that every response model
    /// decodes and re-serializes as the decoder here says).
    fn response_cases(&self, op: &Operation) -> Result<Vec<Value>, String> {
        let mut cases = Vec::new();
        for response in &op.responses {
            let ty = match &response.body {
                ResponseBody::Json(ty) | ResponseBody::OptionalJson(ty) => ty,
                _ => continue,
            };
            let case = |label: (&str, &str), body: &Value, expected: Value| {
                let mut case = Map::new();
                case.insert("operation".to_owned(), json!(op.id));
                case.insert("api".to_owned(), json!(self.api.kind));
                case.insert(label.0.to_owned(), json!(label.1));
                case.insert("status".to_owned(), json!(response.status));
                case.insert("headers".to_owned(), json!([["content-type", "application/json"]]));
                case.insert("body".to_owned(), json!(body.to_string()));
                case.insert("expected".to_owned(), expected);
                Value::Object(case)
            };
            for example in &response.examples {
                let expected = match self.decode(ty, &example.value, &[]) {
                    Ok(value) => json!({ "value": value }),
                    Err(refusal) => json!({ "decode_error": { "path": refusal.path } }),
                };
                cases.push(case(("example", &example.name), &example.value, expected));
            }
            let place = Place { name: "response", path: "response".to_owned(), depth: 0 };
            let sample = self
                .sample(ty, &Constraints::default(), &place, Variant::Full, &mut Vec::new())
                .map_err(|e| format!("response vector `{}` {}: {e}", op.id, response.status))?;
            let value = self.decode(ty, &sample, &[]).map_err(|r| {
                format!(
                    "response vector `{}` {}: sample refused at {}: {}",
                    op.id, response.status, r.path, r.message
                )
            })?;
            cases.push(case(("sample", Variant::Full.name()), &sample, json!({ "value": value })));
        }
        Ok(cases)
    }

    /// Refuses models that lead back to themselves without an object or array in between (an
    /// alias of itself, a union that is its own alternative): no value of them could be
    /// decoded or sampled.
    fn check_cycles(&self) -> Result<(), String> {
        let hollow = |name: &str| -> Vec<String> {
            match self.models.get(name).map(|m| &m.kind) {
                Some(ModelKind::Alias { target: Type::Named(target), .. }) => vec![target.clone()],
                Some(ModelKind::Union(u)) => u.variants.iter().map(|v| v.model.clone()).collect(),
                _ => Vec::new(),
            }
        };
        for start in self.models.keys() {
            let mut seen = BTreeSet::new();
            let mut stack = hollow(start);
            while let Some(name) = stack.pop() {
                if name == *start {
                    return Err(format!(
                        "model `{start}` contains itself without an object or array in between"
                    ));
                }
                if seen.insert(name.clone()) {
                    stack.extend(hollow(&name));
                }
            }
        }
        Ok(())
    }

    /// Every vector file of the API: `<api>/<module>.json`, one per tag module.
    pub fn files(&self) -> Result<Files, String> {
        self.check_cycles()?;
        let mut by_module: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
        for operation in &self.api.operations {
            by_module.entry(operation.module.as_str()).or_default().push(operation);
        }
        let api_name = match self.api.kind {
            crate::ir::ApiKind::Config => "config",
            crate::ir::ApiKind::Public => "public",
        };
        let mut files = Files::new();
        for (module, operations) in by_module {
            let mut requests = Vec::new();
            let mut responses = Vec::new();
            for op in operations {
                requests.push(self.request_case(op, Variant::Minimal)?);
                requests.push(self.request_case(op, Variant::Full)?);
                responses.extend(self.response_cases(op)?);
            }
            let file = json!({
                "format": FORMAT,
                "generated": format!(
                    "by airbyte-codegen from {} (spec version {}); do not edit, regenerate",
                    self.api.source, self.api.spec_version
                ),
                "client": {
                    "host": HOST,
                    "user_agent": USER_AGENT,
                    "auth": { "bearer": TOKEN },
                },
                "requests": requests,
                "responses": responses,
            });
            let mut text = serde_json::to_string_pretty(&file)
                .map_err(|e| format!("{api_name}/{module}.json: {e}"))?;
            text.push('\n');
            files.insert(format!("{api_name}/{module}.json"), text);
        }
        Ok(files)
    }
}

/// Every vector file of `api`.
pub fn generate(api: &Api) -> Result<Files, String> {
    Vectors::new(api).files()
}

/// An integer within `low..=high` (an `i32` or `i64`); fractions and strings are refused.
fn decode_integer(value: &Value, path: &[Segment], low: i64, high: i64) -> Result<Value, Refusal> {
    let expected = if low == i64::MIN { "i64" } else { "i32" };
    match value {
        Value::Number(n) if !n.is_f64() => match n.as_i64() {
            Some(i) if (low..=high).contains(&i) => Ok(Value::from(i)),
            _ => Err(refuse(path, format!("invalid value: integer `{n}`, expected {expected}"))),
        },
        _ => Err(invalid_type(path, value, expected)),
    }
}

/// A string validators accept for the declared format or pattern; otherwise `sample-<name>`,
/// cut or padded to the declared length.
fn sample_string(name: &str, constraints: &Constraints) -> String {
    if let Some(text) = constraints.pattern.as_deref().and_then(crate::pattern::sample) {
        return text;
    }
    let format_sample = match constraints.format.as_deref().map(str::to_ascii_lowercase).as_deref()
    {
        Some("date-time") => Some("2026-01-02T03:04:05Z".to_owned()),
        Some("date") => Some("2026-01-02".to_owned()),
        Some("email") => Some(format!("sample-{}@example.com", name.to_ascii_lowercase())),
        Some("uri") | Some("url") => Some(format!("https://example.com/sample-{name}")),
        _ => None,
    };
    if let Some(text) = format_sample {
        return text;
    }
    let mut text = format!("sample-{name}");
    if let Some(max) = constraints.max_length {
        text = text.chars().take(usize::try_from(max).unwrap_or(usize::MAX)).collect();
    }
    if let Some(min) = constraints.min_length {
        let min = usize::try_from(min).unwrap_or(usize::MAX);
        while text.chars().count() < min {
            text.push('x');
        }
    }
    text
}

/// A number from 1 to 1000 hashed from `path`, moved into the declared range.
fn sample_integer(
    path: &str,
    constraints: &Constraints,
    low: i64,
    high: i64,
) -> Result<i64, String> {
    let min = constraints.minimum.map_or(low, |m| (m.ceil() as i64).max(low));
    let max = constraints.maximum.map_or(high, |m| (m.floor() as i64).min(high));
    if min > max {
        return Err(format!("{path}: no integer between {min} and {max}"));
    }
    let base = 1 + (fnv1a(0, path) % 1000) as i64;
    Ok(base.clamp(min, max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_serde_path_to_error() {
        assert_eq!(path_text(&[]), ".");
        let path = [Segment::Key("data".into()), Segment::Index(0), Segment::Key("jobId".into())];
        assert_eq!(path_text(&path), "data[0].jobId");
        assert_eq!(path_text(&[Segment::Index(2), Segment::Key("a".into())]), "[2].a");
    }

    #[test]
    fn uuids_parse_like_the_uuid_crate() {
        let lower = "9a3a2b1c-0000-4000-8000-000000000001";
        assert_eq!(parse_uuid("9A3A2B1C-0000-4000-8000-000000000001").as_deref(), Some(lower));
        assert_eq!(parse_uuid("9a3a2b1c000040008000000000000001").as_deref(), Some(lower));
        assert_eq!(parse_uuid("{9a3a2b1c-0000-4000-8000-000000000001}").as_deref(), Some(lower));
        assert_eq!(
            parse_uuid("urn:uuid:9a3a2b1c-0000-4000-8000-000000000001").as_deref(),
            Some(lower)
        );
        assert_eq!(parse_uuid("{9a3a2b1c000040008000000000000001}"), None);
        assert_eq!(parse_uuid("9a3a2b1c-0000-4000-8000-00000000000g"), None);
        assert_eq!(parse_uuid("1234"), None);
    }

    #[test]
    fn sample_uuids_are_v4_shaped_and_stable() {
        let uuid = sample_uuid("body.workspaceId");
        assert_eq!(uuid, sample_uuid("body.workspaceId"));
        assert_ne!(uuid, sample_uuid("body.sourceId"));
        assert_eq!(parse_uuid(&uuid).as_deref(), Some(uuid.as_str()));
        assert_eq!(&uuid[14..15], "4");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        assert_eq!(percent_encode("../x a?b#c/é~_-."), "..%2Fx%20a%3Fb%23c%2F%C3%A9~_-.");
        assert_eq!(percent_encode("createdAt|DESC"), "createdAt%7CDESC");
    }

    fn api_with(models: Vec<Model>) -> Api {
        Api {
            kind: crate::ir::ApiKind::Public,
            source: "test.yaml".into(),
            spec_version: "1".into(),
            models,
            operations: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn alias(name: &str, target: Type) -> Model {
        Model {
            name: name.into(),
            origin: name.into(),
            kind: ModelKind::Alias { target, constraints: Constraints::default() },
        }
    }

    #[test]
    fn models_that_contain_themselves_directly_are_refused() {
        let api = api_with(vec![
            alias("A", Type::Named("B".into())),
            alias("B", Type::Named("A".into())),
        ]);
        assert_eq!(
            generate(&api).unwrap_err(),
            "model `A` contains itself without an object or array in between"
        );
        let api = api_with(vec![alias("A", Type::List(Box::new(Type::Named("A".into()))))]);
        assert_eq!(generate(&api).unwrap(), Files::new());
        let vectors = Vectors::new(&api);
        let place = Place { name: "a", path: "a".into(), depth: 0 };
        let sample = vectors.sample(
            &Type::Named("A".into()),
            &Constraints::default(),
            &place,
            Variant::Full,
            &mut Vec::new(),
        );
        assert_eq!(sample.unwrap(), json!([]));
    }

    #[test]
    fn samples_respect_constraints() {
        let short = Constraints { max_length: Some(4), ..Constraints::default() };
        assert_eq!(sample_string("name", &short), "samp");
        let long = Constraints { min_length: Some(12), ..Constraints::default() };
        assert_eq!(sample_string("a", &long), "sample-axxxx");
        let range =
            Constraints { minimum: Some(1.0), maximum: Some(3.0), ..Constraints::default() };
        let value = sample_integer("limit", &range, i64::MIN, i64::MAX).unwrap();
        assert!((1..=3).contains(&value));
        let empty =
            Constraints { minimum: Some(5.0), maximum: Some(3.0), ..Constraints::default() };
        assert!(sample_integer("x", &empty, i64::MIN, i64::MAX).is_err());
    }
}
