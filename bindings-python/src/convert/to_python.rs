//! A serde serializer whose output is Python objects: parsed responses become dicts, lists, str,
//! int, float, bool and None straight from the typed value, without writing JSON text and
//! decoding it again. Its output equals `json.loads(serde_json::to_vec(value))`: objects keep
//! their key order, enum variants are strings, bytes are lists of numbers, NaN and infinity are
//! None. (Object keys must be strings or integers; serde_json would also write bool and float
//! keys, which no model of the core has.)
//!
//! Object keys repeat in every object of a list (10,000 jobs have the same nine), so each key is
//! made once per conversion and reused, as `json.loads` does. They are not interned: from Python
//! 3.12 on an interned string is never freed, and free-form maps bring keys chosen by the server.
//! Enum values (`"succeeded"`) are reused the same way.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::ser::{self, Serialize};

/// A Python exception raised while converting.
pub(crate) struct Error(pub(crate) PyErr);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Error {
    fn from(error: PyErr) -> Self {
        Self(error)
    }
}

/// Keys longer than this are made each time: long keys rarely repeat.
const MAX_KEY_LEN: usize = 64;
/// At most this many distinct keys are kept per conversion, which bounds the work of keys
/// chosen to collide in the hash (free-form maps come from the server).
const MAX_KEYS: usize = 1024;
/// Values at most this long are remembered by where their text is (see [`Recent`]).
const MAX_VALUE_LEN: usize = 16;

/// Strings made so far in one conversion. Keys are looked up by where their text is first, then
/// by the text; short values only by where their text is, which catches the static text of
/// enum values (`"succeeded"`) without hashing every string of the response.
#[derive(Default)]
pub(crate) struct KeyCache<'py> {
    recent_keys: Recent<'py>,
    recent_values: Recent<'py>,
    by_text: HashMap<Box<str>, Bound<'py, PyString>, BuildHasherDefault<FxHasher>>,
}

impl<'py> KeyCache<'py> {
    /// The key `text` as a Python string, made on first use.
    fn key(&mut self, py: Python<'py>, text: &str) -> Bound<'py, PyString> {
        if let Some(key) = self.recent_keys.get(text) {
            return key;
        }
        let key = match self.by_text.get(text) {
            Some(key) => key.clone(),
            None if text.len() > MAX_KEY_LEN || self.by_text.len() >= MAX_KEYS => {
                return PyString::new(py, text);
            }
            None => {
                let key = PyString::new(py, text);
                self.by_text.insert(text.into(), key.clone());
                key
            }
        };
        self.recent_keys.put(text, &key);
        key
    }

    /// The value `text` as a Python string; a short one seen at the same place is reused.
    fn value(&mut self, py: Python<'py>, text: &str) -> Bound<'py, PyString> {
        if text.len() > MAX_VALUE_LEN {
            return PyString::new(py, text);
        }
        if let Some(value) = self.recent_values.get(text) {
            return value;
        }
        let value = PyString::new(py, text);
        self.recent_values.put(text, &value);
        value
    }
}

/// Slots in a [`Recent`] table.
const SLOTS: usize = 256;

/// Python strings by the address of the Rust text they were made from, one per slot. Field
/// names and enum values are static text, so the same key comes back from the same address; a
/// hit also compares the text, since a temporary buffer can be reused for other text.
struct Recent<'py> {
    slots: Vec<Option<Slot<'py>>>,
}

/// The address of a text, the text, and the Python string made from it.
type Slot<'py> = (usize, Box<str>, Bound<'py, PyString>);

impl Default for Recent<'_> {
    fn default() -> Self {
        Self { slots: (0..SLOTS).map(|_| None).collect() }
    }
}

impl<'py> Recent<'py> {
    fn slot(text: &str) -> (usize, usize) {
        let address = text.as_ptr() as usize;
        (address, (address ^ (address >> 9)) % SLOTS)
    }

    fn get(&self, text: &str) -> Option<Bound<'py, PyString>> {
        let (address, slot) = Self::slot(text);
        match &self.slots[slot] {
            Some((at, seen, string)) if *at == address && **seen == *text => Some(string.clone()),
            _ => None,
        }
    }

    fn put(&mut self, text: &str, string: &Bound<'py, PyString>) {
        let (address, slot) = Self::slot(text);
        self.slots[slot] = Some((address, text.into(), string.clone()));
    }
}

/// A fast hash for short keys (the multiply-rotate hash of Firefox and rustc). Not resistant to
/// chosen collisions; [`MAX_KEYS`] bounds what those can cost.
#[derive(Default)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Serializes into Python objects. `key` is set while serializing an object key: strings then
/// come from the key cache and numbers become their decimal text, as JSON object keys are.
pub(crate) struct PySerializer<'a, 'py> {
    pub(crate) py: Python<'py>,
    pub(crate) keys: &'a mut KeyCache<'py>,
    pub(crate) key: bool,
}

impl<'py> PySerializer<'_, 'py> {
    fn int<T>(self, value: T) -> Result<Bound<'py, PyAny>, Error>
    where
        T: IntoPyObject<'py, Output = Bound<'py, PyInt>, Error = std::convert::Infallible>
            + fmt::Display,
    {
        if self.key {
            return Ok(PyString::new(self.py, &value.to_string()).into_any());
        }
        let Ok(object) = value.into_pyobject(self.py);
        Ok(object.into_any())
    }

    fn not_a_key(&self) -> Result<(), Error> {
        if self.key {
            return Err(ser::Error::custom("an object key must be a string or a number"));
        }
        Ok(())
    }
}

impl<'a, 'py> ser::Serializer for PySerializer<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'a, 'py>;
    type SerializeTuple = Seq<'a, 'py>;
    type SerializeTupleStruct = Seq<'a, 'py>;
    type SerializeTupleVariant = Seq<'a, 'py>;
    type SerializeMap = Map<'a, 'py>;
    type SerializeStruct = Map<'a, 'py>;
    type SerializeStructVariant = Map<'a, 'py>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok, Error> {
        self.not_a_key()?;
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }

    fn serialize_i8(self, v: i8) -> Result<Self::Ok, Error> {
        self.int(v)
    }

    fn serialize_i16(self, v: i16) -> Result<Self::Ok, Error> {
        self.int(v)
    }

    fn serialize_i32(self, v: i32) -> Result<Self::Ok, Error> {
        self.int(v)
    }

    fn serialize_i64(self, v: i64) -> Result<Self::Ok, Error> {
        self.int(v)
    }

    fn serialize_u8(self, v: u8) -> Result<Self::Ok, Error> {
        self.int(v)
    }

    fn serialize_u16(self, v: u16) -> Result<Self::Ok, Error> {
        self.int(v)
    }

    fn serialize_u32(self, v: u32) -> Result<Self::Ok, Error> {
        self.int(v)
    }

    fn serialize_u64(self, v: u64) -> Result<Self::Ok, Error> {
        self.int(v)
    }

    fn serialize_f32(self, v: f32) -> Result<Self::Ok, Error> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<Self::Ok, Error> {
        self.not_a_key()?;
        if !v.is_finite() {
            // JSON has no NaN or infinity; serde_json writes null for them.
            return Ok(self.py.None().into_bound(self.py));
        }
        Ok(PyFloat::new(self.py, v).into_any())
    }

    fn serialize_char(self, v: char) -> Result<Self::Ok, Error> {
        self.serialize_str(v.encode_utf8(&mut [0u8; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<Self::Ok, Error> {
        if self.key {
            return Ok(self.keys.key(self.py, v).into_any());
        }
        Ok(self.keys.value(self.py, v).into_any())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok, Error> {
        self.not_a_key()?;
        Ok(PyList::new(self.py, v)?.into_any())
    }

    fn serialize_none(self) -> Result<Self::Ok, Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Self::Ok, Error> {
        self.not_a_key()?;
        Ok(self.py.None().into_bound(self.py))
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok, Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Error> {
        self.not_a_key()?;
        let py = self.py;
        let dict = PyDict::new(py);
        let inner = value.serialize(PySerializer { py, keys: &mut *self.keys, key: false })?;
        dict.set_item(self.keys.key(py, variant), inner)?;
        Ok(dict.into_any())
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a, 'py>, Error> {
        self.not_a_key()?;
        Ok(Seq {
            py: self.py,
            keys: self.keys,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'a, 'py>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Seq<'a, 'py>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'a, 'py>, Error> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'a, 'py>, Error> {
        self.not_a_key()?;
        Ok(Map {
            py: self.py,
            dict: PyDict::new(self.py),
            keys: self.keys,
            key: None,
            variant: None,
        })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map<'a, 'py>, Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Map<'a, 'py>, Error> {
        let mut map = self.serialize_map(Some(len))?;
        map.variant = Some(variant);
        Ok(map)
    }
}

/// An array in progress; with `variant`, the value of a one-key object `{variant: [...]}`.
pub(crate) struct Seq<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut KeyCache<'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Seq<'_, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let item = value.serialize(PySerializer { py: self.py, keys: self.keys, key: false })?;
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>, Error> {
        let list = PyList::new(self.py, self.items)?.into_any();
        match self.variant {
            None => Ok(list),
            Some(variant) => {
                let dict = PyDict::new(self.py);
                dict.set_item(self.keys.key(self.py, variant), list)?;
                Ok(dict.into_any())
            }
        }
    }
}

/// The four sequence traits of serde differ only in their names: each pushes an element and
/// finishes the list.
macro_rules! sequence_impl {
    ($($trait:ident::$method:ident),+) => {$(
        impl<'py> ser::$trait for Seq<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }

            fn end(self) -> Result<Self::Ok, Error> {
                self.finish()
            }
        }
    )+};
}

sequence_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// An object in progress; with `variant`, the value of a one-key object `{variant: {...}}`.
pub(crate) struct Map<'a, 'py> {
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
    keys: &'a mut KeyCache<'py>,
    /// The key whose value comes next (`serialize_key` then `serialize_value`).
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Map<'_, 'py> {
    fn entry<T: Serialize + ?Sized>(
        &mut self,
        key: Bound<'py, PyAny>,
        value: &T,
    ) -> Result<(), Error> {
        let value = value.serialize(PySerializer { py: self.py, keys: self.keys, key: false })?;
        self.dict.set_item(key, value)?;
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>, Error> {
        match self.variant {
            None => Ok(self.dict.into_any()),
            Some(variant) => {
                let outer = PyDict::new(self.py);
                outer.set_item(self.keys.key(self.py, variant), self.dict)?;
                Ok(outer.into_any())
            }
        }
    }
}

impl<'py> ser::SerializeMap for Map<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(PySerializer { py: self.py, keys: self.keys, key: true })?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match self.key.take() {
            Some(key) => self.entry(key, value),
            None => Err(ser::Error::custom("a map value came without its key")),
        }
    }

    fn serialize_entry<K, V>(&mut self, key: &K, value: &V) -> Result<(), Error>
    where
        K: Serialize + ?Sized,
        V: Serialize + ?Sized,
    {
        let key = key.serialize(PySerializer { py: self.py, keys: self.keys, key: true })?;
        self.entry(key, value)
    }

    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}

impl<'py> ser::SerializeStruct for Map<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let key = self.keys.key(self.py, key).into_any();
        self.entry(key, value)
    }

    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}

impl<'py> ser::SerializeStructVariant for Map<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let key = self.keys.key(self.py, key).into_any();
        self.entry(key, value)
    }

    fn end(self) -> Result<Self::Ok, Error> {
        self.finish()
    }
}
