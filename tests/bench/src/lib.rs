//! Inputs for the benchmarks of `airbyte-core` (`tests/bench/run`): response bodies of four
//! workloads, generated deterministically from the core's own model types (so they match the
//! specs the models are generated from, and need no spec file at run time), and one sample input
//! per operation, taken from the generated request vectors.
//!
//! The same bodies and inputs feed the Rust benchmarks (`benches/`), the Python and Node
//! benchmarks (through the files `bench-bodies` writes) and the memory measurement.

pub mod bodies;
pub mod requests;
