//! Conversions between JavaScript values and the core's types.

use std::time::Duration;

use airbyte_core::flow::jobs::{JobOutcome, JobProgress, JobReport};
use airbyte_core::{Api, Request, Timestamp, TransportErrorKind};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::JsError;

/// Serializes `value` into plain JavaScript values: objects (not `Map`s), `null` for absent
/// values, numbers for integers (an integer beyond 2^53 loses digits, as in `JSON.parse`).
///
/// The value is written as JSON text inside WebAssembly and handed to `JSON.parse` as one
/// string: one path for every value, and no slower than building the objects by a call into
/// JavaScript per object, key and string (BENCHMARKS.md has the figures).
pub(crate) fn to_js<T: erased_serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(&ErasedRef(value))
        .map_err(|e| JsValue::from(JsError::unexpected("serialize", e.to_string())))?;
    js_sys::JSON::parse(&text)
}

/// Serializes a type-erased value with a regular serde serializer.
struct ErasedRef<'a, T: erased_serde::Serialize + ?Sized>(&'a T);

impl<T: erased_serde::Serialize + ?Sized> Serialize for ErasedRef<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        erased_serde::serialize(self.0, serializer)
    }
}

/// Reads a value with serde, naming `what` in the error.
pub(crate) fn from_js<T: for<'de> Deserialize<'de>>(
    what: &str,
    value: JsValue,
) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::argument(what, e))
}

/// Reads an optional options object: `undefined` and `null` give the defaults.
pub(crate) fn options<T: for<'de> Deserialize<'de> + Default>(
    what: &str,
    value: JsValue,
) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(what, value)
    }
}

/// An operation's input as JSON; `undefined` and `null` mean "no parameters".
///
/// The input becomes JSON the way `JSON.stringify` sees it (keys whose value is `undefined` are
/// left out, `toJSON()` is honoured, so a `Date` becomes its ISO string) rather than going
/// straight to the operation's deserializer, which would drop misspelt parameters silently
/// (serde-wasm-bindgen reads only the fields a struct declares) and turn `undefined` into `null`.
pub(crate) fn input(value: JsValue) -> Result<Value, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    json_of(&value, "input", 0)
}

/// Inputs nested deeper than this are refused (most likely a cycle).
const MAX_DEPTH: usize = 128;

/// The JSON of a JavaScript value; `path` names it in errors.
fn json_of(value: &JsValue, path: &str, depth: usize) -> Result<Value, JsError> {
    let refuse = |what: &str| JsError::options(format!("{path}: {what}"));
    if depth > MAX_DEPTH {
        return Err(refuse(&format!("nested more than {MAX_DEPTH} levels deep (a cycle?)")));
    }
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(flag) = value.as_bool() {
        return Ok(Value::Bool(flag));
    }
    if let Some(number) = value.as_f64() {
        if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
            return Ok(Value::from(number as i64));
        }
        return serde_json::Number::from_f64(number)
            .map(Value::Number)
            .ok_or_else(|| refuse(&format!("{number} is not a finite number")));
    }
    if let Some(text) = value.as_string() {
        return Ok(Value::String(text));
    }
    if value.is_bigint() {
        let digits = String::from(
            js_sys::BigInt::unchecked_from_js_ref(value).to_string(10).ok().unwrap_or_default(),
        );
        return match (digits.parse::<i64>(), digits.parse::<u64>()) {
            (Ok(n), _) => Ok(Value::from(n)),
            (_, Ok(n)) => Ok(Value::from(n)),
            _ => Err(refuse("a BigInt beyond 64 bits")),
        };
    }
    if let Some(array) = value.dyn_ref::<js_sys::Array>() {
        return array
            .iter()
            .enumerate()
            .map(|(index, item)| json_of(&item, &format!("{path}[{index}]"), depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array);
    }
    if value.is_function() || value.is_symbol() || !value.is_object() {
        return Err(refuse("not a JSON value (a function or a symbol)"));
    }
    if value.is_instance_of::<js_sys::Map>() || value.is_instance_of::<js_sys::Set>() {
        return Err(refuse("a Map or Set is not JSON: use a plain object or an array"));
    }
    let to_json = js_sys::Reflect::get(value, &JsValue::from_str("toJSON"))
        .map_err(|_| refuse("unreadable object"))?;
    if let Some(function) = to_json.dyn_ref::<js_sys::Function>() {
        let converted = function.call0(value).map_err(|_| refuse("its toJSON() failed"))?;
        return json_of(&converted, path, depth + 1);
    }
    let mut object = serde_json::Map::new();
    for entry in js_sys::Object::entries(value.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let item = pair.get(1);
        if item.is_undefined() || item.is_function() || item.is_symbol() {
            continue;
        }
        let item = json_of(&item, &format!("{path}.{key}"), depth + 1)?;
        object.insert(key, item);
    }
    Ok(Value::Object(object))
}

/// The largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// `"public"` or `"config"`.
pub(crate) fn api(name: &str) -> Result<Api, JsError> {
    match name {
        "public" => Ok(Api::Public),
        "config" => Ok(Api::Config),
        other => {
            Err(JsError::options(format!("api must be \"public\" or \"config\", not {other:?}")))
        }
    }
}

/// A time given as milliseconds since the epoch (`Date.now()`).
pub(crate) fn timestamp(now_ms: f64) -> Timestamp {
    let millis = if now_ms.is_finite() && now_ms > 0.0 { now_ms as u64 } else { 0 };
    Timestamp::from_unix_millis(millis)
}

/// A duration as milliseconds for `setTimeout`.
pub(crate) fn duration_ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The name JavaScript uses for a transport error kind.
pub(crate) fn transport_kind_name(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "connect",
        TransportErrorKind::Timeout => "timeout",
        TransportErrorKind::Io => "io",
        TransportErrorKind::BodyTooLarge => "body_too_large",
        TransportErrorKind::Other => "other",
    }
}

/// The transport error kind JavaScript names.
pub(crate) fn transport_kind(name: &str) -> TransportErrorKind {
    match name {
        "connect" => TransportErrorKind::Connect,
        "timeout" => TransportErrorKind::Timeout,
        "io" => TransportErrorKind::Io,
        "body_too_large" => TransportErrorKind::BodyTooLarge,
        _ => TransportErrorKind::Other,
    }
}

/// Header pairs serialized as one plain object, in order.
struct HeaderObject<'a>(&'a [(String, String)]);

impl Serialize for HeaderObject<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// A request as JavaScript's `fetch` takes it: `{method, url, headers, body}`.
#[derive(Serialize)]
struct JsRequest<'a> {
    method: &'static str,
    url: &'a str,
    headers: HeaderObject<'a>,
    body: Option<String>,
}

/// The request as a plain object; the body (always JSON) as text.
pub(crate) fn request_to_js(request: &Request) -> Result<JsValue, JsValue> {
    let body = request.body.as_deref().map(|bytes| String::from_utf8_lossy(bytes).into_owned());
    to_js(&JsRequest {
        method: request.method.as_str(),
        url: &request.url,
        headers: HeaderObject(&request.headers),
        body,
    })
}

/// Response headers from an array of `[name, value]` pairs or a plain object.
pub(crate) fn headers_from_js(value: &JsValue) -> Result<Vec<(String, String)>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if js_sys::Array::is_array(value) {
        return from_js("headers", value.clone());
    }
    if !value.is_object() {
        return Err(JsError::options(
            "headers must be an array of [name, value] pairs or an object".to_owned(),
        ));
    }
    let entries = js_sys::Object::entries(value.unchecked_ref());
    from_js("headers", entries.into())
}

/// A response body given as text, bytes (`Uint8Array`, `ArrayBuffer`) or nothing.
pub(crate) fn body_from_js(value: &JsValue) -> Result<Vec<u8>, JsError> {
    if value.is_undefined() || value.is_null() {
        Ok(Vec::new())
    } else if let Some(text) = value.as_string() {
        Ok(text.into_bytes())
    } else if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        Ok(bytes.to_vec())
    } else if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        Ok(js_sys::Uint8Array::new(buffer).to_vec())
    } else {
        Err(JsError::options(
            "body must be a string, a Uint8Array, an ArrayBuffer or null".to_owned(),
        ))
    }
}

/// A job's state, with JavaScript's field names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JsProgress<'a> {
    job_id: i64,
    status: &'a str,
    rows_synced: Option<i64>,
    bytes_synced: Option<i64>,
}

impl<'a> From<&'a JobProgress> for JsProgress<'a> {
    fn from(progress: &'a JobProgress) -> Self {
        Self {
            job_id: progress.job_id,
            status: &progress.status,
            rows_synced: progress.rows_synced,
            bytes_synced: progress.bytes_synced,
        }
    }
}

/// How a job run ended, with JavaScript's field names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JsReport<'a> {
    outcome: &'static str,
    job_id: i64,
    status: &'a str,
    rows_synced: Option<i64>,
    bytes_synced: Option<i64>,
    failure_summary: Option<&'a str>,
    cancel_requested: bool,
    attached: bool,
    elapsed_ms: u64,
}

impl<'a> From<&'a JobReport> for JsReport<'a> {
    fn from(report: &'a JobReport) -> Self {
        Self {
            outcome: match report.outcome {
                JobOutcome::Succeeded => "succeeded",
                JobOutcome::Failed => "failed",
                JobOutcome::Cancelled => "cancelled",
                JobOutcome::TimedOut => "timed_out",
            },
            job_id: report.progress.job_id,
            status: &report.progress.status,
            rows_synced: report.progress.rows_synced,
            bytes_synced: report.progress.bytes_synced,
            failure_summary: report.failure_summary.as_deref(),
            cancel_requested: report.cancel_requested,
            attached: report.attached,
            elapsed_ms: report.elapsed_ms,
        }
    }
}
