//! WebAssembly/JavaScript binding of `airbyte-core` (filled in by the WebAssembly issue).
