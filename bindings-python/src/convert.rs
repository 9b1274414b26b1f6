//! Conversions between JSON values and Python objects.

mod to_python;

use to_python::{KeyCache, PySerializer};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde::Serialize;
use serde_json::{Map, Number, Value};

/// Any serializable value as plain Python data: dicts (in key order), lists, str, int, float,
/// bool, None. The objects are made directly from the value (see [`PySerializer`]), with no JSON
/// text in between.
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let mut keys = KeyCache::default();
    value.serialize(PySerializer { py, keys: &mut keys, key: false }).map_err(|e| e.0)
}

static UUID: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Converts Python input (dicts, lists, tuples, str, int, float, bool, None, `uuid.UUID` and
/// other mappings) to JSON. The error names where the bad value is: `body.tags[2]`.
pub(crate) fn from_py(object: &Bound<'_, PyAny>) -> PyResult<Value> {
    let mut path = String::new();
    convert(object, &mut path).map_err(|message| {
        let at = if path.is_empty() { "the input".to_owned() } else { format!("`{path}`") };
        PyTypeError::new_err(format!("{at}: {message}"))
    })
}

fn convert(object: &Bound<'_, PyAny>, path: &mut String) -> Result<Value, String> {
    if object.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = object.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if object.is_instance_of::<PyInt>() {
        if let Ok(i) = object.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = object.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err("the integer does not fit in 64 bits".to_owned());
    }
    if let Ok(f) = object.cast::<PyFloat>() {
        let value = f.value();
        return Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| format!("{value} is not a finite number"));
    }
    if let Ok(s) = object.cast::<PyString>() {
        return s.to_cow().map(|s| Value::String(s.into_owned())).map_err(|e| e.to_string());
    }
    if let Ok(dict) = object.cast::<PyDict>() {
        return convert_items(dict.iter(), path);
    }
    if object.is_instance_of::<PyList>() || object.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (index, item) in object.try_iter().map_err(|e| e.to_string())?.enumerate() {
            let item = item.map_err(|e| e.to_string())?;
            let len = path.len();
            path.push_str(&format!("[{index}]"));
            items.push(convert(&item, path)?);
            path.truncate(len);
        }
        return Ok(Value::Array(items));
    }
    if let Ok(mapping) = object.cast::<PyMapping>() {
        let items = mapping.items().map_err(|e| e.to_string())?;
        let mut pairs = Vec::with_capacity(items.len());
        for pair in items.iter() {
            pairs.push(
                pair.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()
                    .map_err(|e| e.to_string())?,
            );
        }
        return convert_items(pairs.into_iter(), path);
    }
    let py = object.py();
    let uuid = UUID.get_or_try_init(py, || py.import("uuid")?.getattr("UUID").map(Bound::unbind));
    if uuid.is_ok_and(|uuid| object.is_instance(uuid.bind(py)).unwrap_or(false)) {
        return object.str().map(|s| Value::String(s.to_string())).map_err(|e| e.to_string());
    }
    let type_name =
        object.get_type().qualname().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_owned());
    Err(format!("a `{type_name}` cannot be sent as JSON"))
}

fn convert_items<'py>(
    items: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    path: &mut String,
) -> Result<Value, String> {
    let mut map = Map::new();
    for (key, item) in items {
        let key = key
            .cast::<PyString>()
            .map_err(|_| "object keys must be strings".to_owned())?
            .to_cow()
            .map_err(|e| e.to_string())?
            .into_owned();
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(&key);
        let value = convert(&item, path)?;
        path.truncate(len);
        map.insert(key, value);
    }
    Ok(Value::Object(map))
}
