//! Building blocks of the generated code: parameter encoding, map keys, open enums, unions,
//! validation and redacted `Debug` output. Kept here so that generated files stay short.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::Value;

use crate::error::BuildError;

/// Everything but RFC 3986 unreserved characters is percent-encoded, in paths and queries alike,
/// so that no value can add a path segment, a query parameter or a fragment.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A value that can appear in a path segment or a query parameter.
pub trait ToParam {
    /// Appends the value's unencoded text form to `out`.
    fn write_param(&self, out: &mut String);
}

impl ToParam for str {
    fn write_param(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl ToParam for String {
    fn write_param(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl ToParam for uuid::Uuid {
    fn write_param(&self, out: &mut String) {
        let mut buffer = uuid::Uuid::encode_buffer();
        out.push_str(self.hyphenated().encode_lower(&mut buffer));
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn write_param(&self, out: &mut String) {
                use fmt::Write;
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
display_param!(bool, i32, i64, f64, serde_json::Number);

/// A JSON number as `f64`, for range checks (`NaN` cannot occur: JSON has no such number).
pub fn number(value: &serde_json::Number) -> f64 {
    value.as_f64().unwrap_or(f64::NAN)
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn write_param(&self, out: &mut String) {
        (**self).write_param(out);
    }
}

fn encode_into(out: &mut String, value: &impl ToParam) {
    let mut text = String::new();
    value.write_param(&mut text);
    out.extend(utf8_percent_encode(&text, COMPONENT));
}

/// Appends `/` and one percent-encoded path segment.
pub fn push_segment(out: &mut String, value: &impl ToParam) {
    encode_into(out, value);
}

/// Refuses path parameter values that would change the path even when encoded: empty, `.` and
/// `..` (URL parsers resolve `%2E%2E` like `..`).
pub fn check_segment(
    operation: &'static str,
    name: &str,
    value: &impl ToParam,
) -> Result<(), BuildError> {
    let mut text = String::new();
    value.write_param(&mut text);
    match text.as_str() {
        "" => Err(BuildError::invalid(operation, name, "a path parameter cannot be empty")),
        "." | ".." => {
            Err(BuildError::invalid(operation, name, format!("`{text}` cannot be a path segment")))
        }
        _ => Ok(()),
    }
}

/// Refuses header values that could end the header or start another (control characters).
pub fn check_header(
    operation: &'static str,
    name: &str,
    value: &impl ToParam,
) -> Result<(), BuildError> {
    if param_text(value).chars().any(char::is_control) {
        return Err(BuildError::invalid(
            operation,
            name,
            "a header value cannot contain control characters",
        ));
    }
    Ok(())
}

/// The unencoded text form of a parameter value.
pub fn param_text(value: &impl ToParam) -> String {
    let mut text = String::new();
    value.write_param(&mut text);
    text
}

/// Query parameters in insertion order; arrays repeat their key (form style, exploded).
#[derive(Debug, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Adds `name=value`.
    pub fn push(&mut self, name: &str, value: &impl ToParam) {
        let mut text = String::new();
        value.write_param(&mut text);
        self.pairs.push((name.to_owned(), text));
    }

    /// Adds `name=value` when a value is set.
    pub fn push_opt<T: ToParam>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.push(name, value);
        }
    }

    /// Adds `name=item` once per item.
    pub fn push_all<T: ToParam>(&mut self, name: &str, values: &[T]) {
        for value in values {
            self.push(name, value);
        }
    }

    /// Adds each entry of a map as its own parameter (form style, exploded object).
    pub fn push_map<T: ToParam>(&mut self, values: &indexmap::IndexMap<String, T>) {
        for (name, value) in values {
            self.push(name, value);
        }
    }

    /// The parameters added so far, unencoded.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Appends `?a=1&b=2` (percent-encoded) to `url`, or nothing when empty.
    pub fn append_to(&self, url: &mut String) {
        for (index, (name, value)) in self.pairs.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            encode_into(url, &name.as_str());
            url.push('=');
            encode_into(url, &value.as_str());
        }
    }
}

/// Standard base64 with padding, for Basic credentials.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes base64 in the standard or the URL-safe alphabet, with or without padding. Returns
/// `None` on any other character or an impossible length.
pub fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let trimmed = input.trim().trim_end_matches('=');
    if trimmed.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in trimmed.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// An object key, borrowed from the input when it has no escapes.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The value of a required field, or serde's "missing field" error.
pub fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// The JSON object type used for unknown fields and free-form objects; keeps key order.
pub type Map = serde_json::Map<String, Value>;

/// Deserializes an open enum: `from_wire` maps any string to a known or an unknown variant.
pub fn open_enum<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    expecting: &'static str,
    from_wire: fn(&str) -> T,
) -> Result<T, D::Error> {
    struct EnumVisitor<T> {
        expecting: &'static str,
        from_wire: fn(&str) -> T,
    }
    impl<T> Visitor<'_> for EnumVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok((self.from_wire)(v))
        }
    }
    deserializer.deserialize_str(EnumVisitor { expecting, from_wire })
}

/// Finds the known value `wire` among `known` exactly, then ignoring ASCII case.
pub fn match_enum(wire: &str, known: &[&str]) -> Option<usize> {
    known
        .iter()
        .position(|k| *k == wire)
        .or_else(|| known.iter().position(|k| k.eq_ignore_ascii_case(wire)))
}

/// Decodes a buffered JSON value as variant type `T` of a union.
pub fn from_value<T: DeserializeOwned, E: de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// The string value of `tag` in a JSON object, if it has one.
pub fn tag_of<'v>(value: &'v Value, tag: &str) -> Option<&'v str> {
    value.get(tag).and_then(Value::as_str)
}

/// Whether a JSON object has every key in `keys`.
pub fn has_keys(value: &Value, keys: &[&str]) -> bool {
    value.as_object().is_some_and(|object| keys.iter().all(|k| object.contains_key(*k)))
}

/// Prints `<redacted>` in place of a sensitive value in `Debug` output.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Prints only the keys of unknown fields in `Debug` output: their values may hold secrets.
pub struct ExtraKeys<'a>(pub &'a Map);

impl fmt::Debug for ExtraKeys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// Checks `minimum`/`maximum` of a number.
pub fn check_range<N: PartialOrd + fmt::Display + Copy>(
    operation: &'static str,
    path: &str,
    value: N,
    min: Option<N>,
    max: Option<N>,
) -> Result<(), BuildError> {
    if let Some(min) = min.filter(|min| value < *min) {
        return Err(BuildError::invalid(
            operation,
            path,
            format!("{value} is less than the minimum {min}"),
        ));
    }
    if let Some(max) = max.filter(|max| value > *max) {
        return Err(BuildError::invalid(
            operation,
            path,
            format!("{value} is more than the maximum {max}"),
        ));
    }
    Ok(())
}

/// Checks `minLength`/`maxLength` (in characters) or `minItems`/`maxItems`.
pub fn check_len(
    operation: &'static str,
    path: &str,
    len: usize,
    min: Option<usize>,
    max: Option<usize>,
    unit: &str,
) -> Result<(), BuildError> {
    if let Some(min) = min.filter(|min| len < *min) {
        return Err(BuildError::invalid(
            operation,
            path,
            format!("has {len} {unit}, fewer than the minimum {min}"),
        ));
    }
    if let Some(max) = max.filter(|max| len > *max) {
        return Err(BuildError::invalid(
            operation,
            path,
            format!("has {len} {unit}, more than the maximum {max}"),
        ));
    }
    Ok(())
}

/// Constraint checks of a generated model, run on request bodies before they are sent.
pub trait Validate {
    /// Checks the value; `path` is where it sits in the request, for error messages.
    fn validate(&self, operation: &'static str, path: &str) -> Result<(), BuildError>;
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, operation: &'static str, path: &str) -> Result<(), BuildError> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, item)| item.validate(operation, &format!("{path}[{i}]")))
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, operation: &'static str, path: &str) -> Result<(), BuildError> {
        self.as_ref().map_or(Ok(()), |value| value.validate(operation, path))
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, operation: &'static str, path: &str) -> Result<(), BuildError> {
        (**self).validate(operation, path)
    }
}

impl<T: Validate> Validate for indexmap::IndexMap<String, T> {
    fn validate(&self, operation: &'static str, path: &str) -> Result<(), BuildError> {
        self.iter().try_for_each(|(key, item)| item.validate(operation, &format!("{path}.{key}")))
    }
}

/// Serializes a request body.
pub fn to_json<T: serde::Serialize>(
    operation: &'static str,
    body: &T,
) -> Result<Vec<u8>, BuildError> {
    serde_json::to_vec(body)
        .map_err(|e| BuildError::Serialize { operation, message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_queries_cannot_escape_their_component() {
        let mut path = String::from("/jobs/");
        push_segment(&mut path, &"../x/a b?c#d%e/é");
        assert_eq!(path, "/jobs/..%2Fx%2Fa%20b%3Fc%23d%25e%2F%C3%A9");

        let mut query = Query::default();
        query.push("orderBy", &"updatedAt|DESC");
        query.push_all("workspaceIds", &["a&b=c".to_owned(), "d".to_owned()]);
        query.push_opt::<i32>("limit", None);
        query.push_opt("offset", Some(&20));
        let mut url = String::from("http://h/jobs");
        query.append_to(&mut url);
        assert_eq!(url, "http://h/jobs?orderBy=updatedAt%7CDESC&workspaceIds=a%26b%3Dc&workspaceIds=d&offset=20");
    }

    #[test]
    fn dot_and_empty_segments_are_refused() {
        assert!(check_segment("op", "id", &"..").is_err());
        assert!(check_segment("op", "id", &".").is_err());
        assert!(check_segment("op", "id", &"").is_err());
        assert!(check_segment("op", "id", &"...").is_ok());
    }

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"airbyte:password"), "YWlyYnl0ZTpwYXNzd29yZA==");
    }

    #[test]
    fn base64_decodes_both_alphabets_with_or_without_padding() {
        assert_eq!(base64_decode("Zm9vYg==").as_deref(), Some(&b"foob"[..]));
        assert_eq!(base64_decode("Zm9vYg").as_deref(), Some(&b"foob"[..]));
        assert_eq!(base64_decode("-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(base64_decode("+/8=").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(base64_decode("Zm9v!"), None);
        assert_eq!(base64_decode("Z"), None);
        assert_eq!(
            base64_decode(&base64(b"airbyte:password")).as_deref(),
            Some(&b"airbyte:password"[..])
        );
    }

    #[test]
    fn enum_matching_prefers_exact_then_case_insensitive() {
        assert_eq!(match_enum("running", &["RUNNING", "running"]), Some(1));
        assert_eq!(match_enum("Running", &["pending", "running"]), Some(1));
        assert_eq!(match_enum("nope", &["pending"]), None);
    }
}
