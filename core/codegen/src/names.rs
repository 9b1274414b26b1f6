//! Turning spec names (camelCase, snake_case, kebab-case, dotted values) into Rust identifiers.

/// Rust keywords that cannot be field names; such fields get a trailing underscore.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match",
    "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static",
    "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield", "abstract", "become", "do", "final",
];

/// Splits a name into lowercase words at case changes, digits-to-letters boundaries and any
/// non-alphanumeric character: `createdAt` → `created at`, `SHA-256` → `sha 256`,
/// `oauth2.0` → `oauth2 0`, `HTTPServer` → `http server`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `UpperCamelCase`, with a `V` prefix when the name would start with a digit or be empty.
pub fn pascal(name: &str) -> String {
    let mut out: String = words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// `snake_case`, with a trailing underscore for keywords and a `f_` prefix before a digit.
pub fn snake(name: &str) -> String {
    let mut out = words(name).join("_");
    if out.is_empty() {
        out.push_str("field");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "f_");
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// Makes `name` unique among `taken` by appending 2, 3, ... and records it.
pub fn unique(name: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(snake("createdAt"), "created_at");
        assert_eq!(snake("created_at"), "created_at");
        assert_eq!(snake("grant-type"), "grant_type");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("X-Airbyte-Version"), "x_airbyte_version");
        assert_eq!(snake("oAuthInputConfiguration"), "o_auth_input_configuration");
        assert_eq!(snake("jobId"), "job_id");
        assert_eq!(pascal("SHA-256"), "Sha256");
        assert_eq!(pascal("oauth2.0"), "Oauth20");
        assert_eq!(pascal("field-renaming"), "FieldRenaming");
        assert_eq!(pascal("NoPadding"), "NoPadding");
        assert_eq!(pascal("PKCS5Padding"), "Pkcs5Padding");
        assert_eq!(pascal("EQUAL"), "Equal");
        assert_eq!(pascal("getJobInfo"), "GetJobInfo");
        assert_eq!(pascal("1d"), "V1d");
        assert_eq!(pascal(""), "V");
        assert_eq!(pascal("HTTPServer"), "HttpServer");
    }
}
