//! The generator behind `airbyte-core`: reads the Airbyte OpenAPI specs, lowers them to an
//! intermediate model ([`ir`]) and emits Rust source from it ([`emit_rust`]).

pub mod emit_rust;
pub mod ir;
pub mod lower;
pub mod names;
pub mod overrides;
pub mod spec;
