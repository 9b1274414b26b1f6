//! Python binding of `airbyte-core` (filled in by the Python issue).
