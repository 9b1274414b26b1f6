//! The generator behind `airbyte-core`: reads the Airbyte OpenAPI specs, lowers them to an
//! intermediate model ([`ir`]), and emits Rust source ([`emit_rust`]), the Python binding's
//! typed modules and stubs ([`emit_python`]), TypeScript declarations for the JavaScript package
//! ([`emit_ts`]), the UniFFI binding's types ([`emit_uniffi`]) and test vectors ([`vectors`])
//! from it.

pub mod emit_python;
pub mod emit_rust;
pub mod emit_ts;
pub mod emit_uniffi;
pub mod ir;
pub mod lower;
pub mod names;
pub mod overrides;
pub mod pattern;
pub mod spec;
pub mod vectors;
