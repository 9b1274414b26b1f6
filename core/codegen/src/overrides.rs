//! Facts about the Airbyte specs that the specs themselves do not state, written down once.

/// A union whose alternative is named by a sibling field of the object that holds it, rather
/// than by a property inside the value (`ConfiguredStreamMapper {type, mapperConfiguration}`).
pub struct SiblingTag {
    /// The schema holding both fields.
    pub holder: &'static str,
    /// The field holding the union value.
    pub field: &'static str,
    /// The sibling field whose value names the alternative.
    pub tag_field: &'static str,
    /// Tag value → the component schema of the alternative.
    pub mapping: &'static [(&'static str, &'static str)],
}

/// The sibling-tagged unions of the Configuration and public APIs. In the server,
/// `StreamMapperType` selects the mapper and `mapperConfiguration` is decoded accordingly.
pub const SIBLING_TAGS: &[SiblingTag] = &[SiblingTag {
    holder: "ConfiguredStreamMapper",
    field: "mapperConfiguration",
    tag_field: "type",
    mapping: &[
        ("hashing", "HashingMapperConfiguration"),
        ("field-renaming", "FieldRenamingMapperConfiguration"),
        ("row-filtering", "RowFilteringMapperConfiguration"),
        ("encryption", "EncryptionMapperConfiguration"),
        ("field-filtering", "FieldFilteringMapperConfiguration"),
    ],
}];

/// Whether a field's value must not appear in `Debug` output, judged by its name. Free-form
/// JSON fields are always hidden: connector configurations carry secrets.
pub fn is_sensitive_name(wire: &str) -> bool {
    let name: String =
        wire.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    const MARKERS: &[&str] = &[
        "secret",
        "password",
        "token",
        "apikey",
        "accesskey",
        "privatekey",
        "credential",
        "passphrase",
    ];
    MARKERS.iter().any(|m| name.contains(m)) && name != "tokentype"
}
