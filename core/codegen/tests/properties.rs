//! Property tests over every generated model of both APIs: values built from random JSON that
//! fits the schema (random optional fields, unknown fields, unknown enum values, any alternative
//! of a union, odd strings and numbers) decode into the Rust type, serialize to JSON the spec
//! accepts, and decode back to an equal value.
//!
//! "The spec accepts" is judged by the generator's own decoder over the intermediate model
//! (`Vectors::decode_value`), written apart from the emitted Rust code. Needs the specs in
//! `../shared/specs`; without them the test says so and passes.

#![allow(clippy::unwrap_used, clippy::panic, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::Path;

use airbyte_codegen::ir::{ApiKind, Constraints, Model, ModelKind, Tagging, Type};
use airbyte_codegen::vectors::Vectors;
use airbyte_codegen::{lower, spec};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// A small deterministic random source, seeded by proptest.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const STRINGS: &[&str] = &[
    "",
    "plain",
    "with space",
    "quote \" and backslash \\",
    "é ü ß",
    "𝄞 emoji 🚀",
    "line\nbreak",
    "tab\tand\u{1}control",
    "<html>",
    "../x",
    "a/b?c#d",
    "0",
    "null",
];

struct Generator<'a> {
    models: BTreeMap<&'a str, &'a Model>,
    rng: Rng,
}

impl Generator<'_> {
    fn string(&mut self, constraints: &Constraints) -> String {
        let mut text = STRINGS[self.rng.below(STRINGS.len() as u64) as usize].to_owned();
        if self.rng.chance(30) {
            text = format!("{text}-{}", self.rng.next());
        }
        if let Some(max) = constraints.max_length {
            text = text.chars().take(max as usize).collect();
        }
        while text.chars().count() < constraints.min_length.unwrap_or(0) as usize {
            text.push('x');
        }
        text
    }

    fn integer(&mut self, constraints: &Constraints, low: i64, high: i64) -> i64 {
        let low = constraints.minimum.map_or(low, |m| m.ceil() as i64).max(low);
        let high = constraints.maximum.map_or(high, |m| m.floor() as i64).min(high);
        match self.rng.below(4) {
            0 => low,
            1 => high,
            _ => {
                let span = (high as i128 - low as i128 + 1).max(1) as u128;
                (low as i128 + (u128::from(self.rng.next()) % span) as i128) as i64
            }
        }
    }

    fn json(&mut self, depth: usize) -> Value {
        match self.rng.below(if depth > 2 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.chance(50)),
            2 => json!(self.rng.next() as i64),
            3 => json!(0.5 + self.rng.below(1000) as f64),
            4 => Value::String(self.string(&Constraints::default())),
            5 => Value::Array((0..self.rng.below(3)).map(|_| self.json(depth + 1)).collect()),
            _ => {
                let mut object = Map::new();
                for i in 0..self.rng.below(4) {
                    object.insert(format!("k{i}-{}", self.rng.below(9)), self.json(depth + 1));
                }
                Value::Object(object)
            }
        }
    }

    fn value(&mut self, ty: &Type, constraints: &Constraints, depth: usize) -> Value {
        match ty {
            Type::String => Value::String(self.string(constraints)),
            Type::Uuid => {
                let id = format!(
                    "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                    self.rng.next() as u32,
                    self.rng.below(0x10000),
                    self.rng.below(0x1000),
                    self.rng.below(0x1000),
                    self.rng.next() & 0xffff_ffff_ffff
                );
                Value::String(if self.rng.chance(20) { id.to_uppercase() } else { id })
            }
            Type::I32 => json!(self.integer(constraints, i64::from(i32::MIN), i64::from(i32::MAX))),
            Type::I64 => json!(self.integer(constraints, i64::MIN, i64::MAX)),
            Type::F64 => {
                let low = constraints.minimum.unwrap_or(-1e9);
                let high = constraints.maximum.unwrap_or(1e9);
                let fraction = self.rng.below(1_000_000) as f64 / 1_000_000.0;
                let number = low + (high - low) * fraction;
                if self.rng.chance(40) {
                    json!(number.round() as i64)
                } else {
                    json!(number)
                }
            }
            Type::Bool => Value::Bool(self.rng.chance(50)),
            Type::Json => self.json(depth),
            Type::List(inner) => {
                let min = constraints.min_items.unwrap_or(0);
                let max =
                    constraints.max_items.unwrap_or(min + if depth > 4 { 0 } else { 2 }).max(min);
                let count = min + self.rng.below(max - min + 1);
                Value::Array(
                    (0..count)
                        .map(|_| self.value(inner, &Constraints::default(), depth + 1))
                        .collect(),
                )
            }
            Type::Map(inner) => {
                let mut object = Map::new();
                for i in 0..self.rng.below(if depth > 4 { 1 } else { 3 }) {
                    object.insert(
                        format!("key-{i}"),
                        self.value(inner, &Constraints::default(), depth + 1),
                    );
                }
                Value::Object(object)
            }
            Type::Named(name) => self.model(name, constraints, depth),
        }
    }

    fn model(&mut self, name: &str, constraints: &Constraints, depth: usize) -> Value {
        let model = self.models[name];
        match &model.kind {
            ModelKind::Alias { target, constraints: own } => {
                let constraints =
                    if constraints.is_empty() { own.clone() } else { constraints.clone() };
                self.value(target, &constraints, depth)
            }
            ModelKind::Enum(e) => {
                if e.values.is_empty() || self.rng.chance(25) {
                    return Value::String(format!("unknown-{}", self.rng.below(100)));
                }
                let known = &e.values[self.rng.below(e.values.len() as u64) as usize].wire;
                Value::String(if self.rng.chance(20) {
                    known.to_uppercase()
                } else {
                    known.clone()
                })
            }
            ModelKind::Union(u) => {
                let index =
                    if depth > 5 { 0 } else { self.rng.below(u.variants.len() as u64) as usize };
                let variant = &u.variants[index];
                let mut value = self.model(&variant.model, &Constraints::default(), depth + 1);
                if let (Tagging::Property { name }, Some(tag)) = (&u.tagging, variant.tags.first())
                {
                    value[name.as_str()] = Value::String(tag.clone());
                }
                value
            }
            ModelKind::Struct(s) => {
                let mut object = Map::new();
                let mut sibling_tags: Vec<(String, String)> = Vec::new();
                for field in &s.fields {
                    let present = field.required || (depth < 4 && self.rng.chance(50));
                    if !present {
                        continue;
                    }
                    if (field.nullable || self.is_json(&field.ty)) && self.rng.chance(15) {
                        object.insert(field.wire.clone(), Value::Null);
                        continue;
                    }
                    let value = match (&field.sibling_tag, &field.ty) {
                        (Some(tag_field), Type::Named(union)) => {
                            let ModelKind::Union(u) = &self.models[union.as_str()].kind else {
                                unreachable!()
                            };
                            let variant =
                                &u.variants[self.rng.below(u.variants.len() as u64) as usize];
                            if let Some(tag) = variant.tags.first() {
                                sibling_tags.push((tag_field.clone(), tag.clone()));
                            }
                            self.model(&variant.model, &Constraints::default(), depth + 1)
                        }
                        _ => self.value(&field.ty, &field.constraints, depth + 1),
                    };
                    object.insert(field.wire.clone(), value);
                }
                for (tag_field, tag) in sibling_tags {
                    object.insert(tag_field, Value::String(tag));
                }
                if self.rng.chance(20) {
                    object
                        .insert(format!("zz-unknown-{}", self.rng.below(10)), self.json(depth + 1));
                }
                Value::Object(object)
            }
        }
    }

    fn is_json(&self, ty: &Type) -> bool {
        match ty {
            Type::Json => true,
            Type::Named(name) => matches!(&self.models[name.as_str()].kind,
                ModelKind::Alias { target, .. } if self.is_json(target)),
            _ => false,
        }
    }
}

fn load(kind: ApiKind, file: &str) -> Option<airbyte_codegen::ir::Api> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/specs").join(file);
    let spec = spec::Spec::load(&path).ok()?;
    Some(lower::lower(&spec, kind).unwrap())
}

/// A model's JSON round trip through its Rust type.
type Trip = fn(Value) -> Result<Value, String>;

fn round_trips(kind: ApiKind) -> BTreeMap<&'static str, Trip> {
    let table = match kind {
        ApiKind::Config => airbyte_core::config_api::models::ROUND_TRIPS,
        ApiKind::Public => airbyte_core::public_api::models::ROUND_TRIPS,
    };
    table.iter().copied().collect()
}

fn check_api(kind: ApiKind, file: &str, seed: u64) -> Result<usize, TestCaseError> {
    let Some(api) = load(kind, file) else {
        println!("{file} is not in ../shared/specs: property test skipped");
        return Ok(0);
    };
    let vectors = Vectors::new(&api);
    let trips = round_trips(kind);
    let mut generator = Generator {
        models: api.models.iter().map(|m| (m.name.as_str(), m)).collect(),
        rng: Rng(seed | 1),
    };
    let mut checked = 0;
    for model in &api.models {
        let Some(trip) = trips.get(model.name.as_str()) else { continue };
        let ty = Type::Named(model.name.clone());
        let input = generator.model(&model.name, &Constraints::default(), 0);
        let expected = vectors.decode_value(&ty, &input).map_err(|r| {
            TestCaseError::fail(format!(
                "{}: the generator made a value the spec refuses at {}: {}",
                model.name, r.path, r.message
            ))
        })?;
        let built = trip(input.clone())
            .map_err(|e| TestCaseError::fail(format!("{}: {e}\ninput: {input}", model.name)))?;
        prop_assert_eq!(&built, &expected, "{}: input {}", model.name, input);
        let accepted = vectors.decode_value(&ty, &built).map_err(|r| {
            TestCaseError::fail(format!(
                "{}: the spec refuses what the core sends, at {}: {}",
                model.name, r.path, r.message
            ))
        })?;
        prop_assert_eq!(&accepted, &built, "{}", model.name);
        let again = trip(built.clone())
            .map_err(|e| TestCaseError::fail(format!("{}: second pass: {e}", model.name)))?;
        prop_assert_eq!(&again, &built, "{}", model.name);
        checked += 1;
    }
    Ok(checked)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_model_round_trips_through_json_the_spec_accepts(seed in any::<u64>()) {
        let config = check_api(ApiKind::Config, "config.yaml", seed)?;
        let public = check_api(ApiKind::Public, "api.yaml", seed.rotate_left(17))?;
        prop_assert!(config == 0 || config > 800, "config models checked: {config}");
        prop_assert!(public == 0 || public > 100, "public models checked: {public}");
    }
}

#[test]
fn every_non_alias_model_is_covered() {
    for (kind, file) in [(ApiKind::Config, "config.yaml"), (ApiKind::Public, "api.yaml")] {
        let Some(api) = load(kind, file) else { return };
        let models =
            api.models.iter().filter(|m| !matches!(m.kind, ModelKind::Alias { .. })).count();
        assert_eq!(round_trips(kind).len(), models, "{file}");
        let checked = check_api(kind, file, 7).unwrap();
        assert_eq!(checked, models, "{file}");
        println!("property test: {file}: {checked} models round-trip");
    }
}
