//! UniFFI binding of `airbyte-core` for Kotlin, Swift and Python hosts (filled in by the UniFFI issue).
