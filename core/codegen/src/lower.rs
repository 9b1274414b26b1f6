//! Spec → intermediate model.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::ir::*;
use crate::names::{pascal, snake, unique};
use crate::overrides::{is_sensitive_name, SIBLING_TAGS};
use crate::spec::{schema_ref_name, Spec};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The name of the bag of unknown fields on every generated struct.
pub const EXTRA_FIELD: &str = "extra";

struct Lowerer<'s> {
    spec: &'s Spec,
    kind: ApiKind,
    /// Component schema name → Rust name.
    components: BTreeMap<String, String>,
    models: BTreeMap<String, Model>,
    taken: BTreeSet<String>,
    warnings: Vec<String>,
}

/// Lowers a whole spec.
pub fn lower(spec: &Spec, kind: ApiKind) -> Result<Api, String> {
    let mut lowerer = Lowerer {
        spec,
        kind,
        components: BTreeMap::new(),
        models: BTreeMap::new(),
        taken: BTreeSet::new(),
        warnings: Vec::new(),
    };

    let mut by_rust: BTreeMap<String, String> = BTreeMap::new();
    for name in spec.schemas().keys() {
        let rust = pascal(name);
        if let Some(other) = by_rust.insert(rust.clone(), name.clone()) {
            return Err(format!(
                "schemas `{other}` and `{name}` both become the Rust type `{rust}`"
            ));
        }
        lowerer.taken.insert(rust.clone());
        lowerer.components.insert(name.clone(), rust);
    }
    for (name, node) in spec.schemas() {
        let rust = lowerer.components[name].clone();
        lowerer.lower_named(node, &rust, &format!("#/components/schemas/{name}"))?;
    }

    let mut operations = Vec::new();
    let mut op_names = BTreeMap::new();
    for (path, item) in spec.root["paths"].as_object().into_iter().flatten() {
        let Some(item) = item.as_object() else { continue };
        for (method, node) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let operation = lowerer.lower_operation(path, method, item, node)?;
            if let Some(other) = op_names.insert(operation.rust.clone(), operation.id.clone()) {
                return Err(format!(
                    "operations `{other}` and `{}` both become the Rust type `{}`",
                    operation.id, operation.rust
                ));
            }
            operations.push(operation);
        }
    }
    operations.sort_by(|a, b| a.id.cmp(&b.id));

    lowerer.apply_sibling_tags();
    lowerer.mark_boxed_fields();
    lowerer.mark_json_alias_fields_sensitive();
    lowerer.warnings.sort();
    lowerer.warnings.dedup();
    Ok(Api {
        kind,
        source: spec.file.clone(),
        spec_version: spec.version(),
        models: lowerer.models.into_values().collect(),
        operations,
        warnings: lowerer.warnings,
    })
}

fn is_nullable(node: &Value) -> bool {
    node.get("nullable").and_then(Value::as_bool).unwrap_or(false)
        || node.get("type").and_then(Value::as_array).is_some_and(|t| t.iter().any(|v| v == "null"))
}

fn type_name(node: &Value) -> Option<&str> {
    match node.get("type") {
        Some(Value::String(t)) => Some(t),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

fn constraints(node: &Value) -> Constraints {
    let number = |key: &str| node.get(key).and_then(Value::as_f64);
    let count = |key: &str| node.get(key).and_then(Value::as_u64);
    // On an array, `format` and `pattern` are taken from its items, where they apply.
    let items = node.get("items");
    let text = |key: &str| {
        node.get(key)
            .or_else(|| items.and_then(|i| i.get(key)))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Constraints {
        minimum: number("minimum"),
        maximum: number("maximum"),
        min_length: count("minLength"),
        max_length: count("maxLength"),
        min_items: count("minItems"),
        max_items: count("maxItems"),
        format: text("format"),
        pattern: text("pattern"),
    }
}

fn has_properties(node: &Value) -> bool {
    node.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
}

/// `oneOf` entries that only restate `required` (validation, not alternatives).
fn is_constraint_only_one_of(entries: &[Value]) -> bool {
    entries.iter().all(|e| {
        e.get("$ref").is_none() && e.get("properties").is_none() && e.get("type").is_none()
    })
}

impl Lowerer<'_> {
    fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    /// A fresh Rust name for an inline schema.
    fn fresh(&mut self, hint: &str) -> String {
        unique(pascal(hint), &mut self.taken)
    }

    fn follow_ref<'v>(&mut self, node: &'v Value, origin: &str) -> Option<&'v Value>
    where
        Self: 'v,
    {
        let _ = origin;
        node.get("$ref").and_then(Value::as_str).and_then(|r| self.spec.resolve(r))
    }

    /// The type of a schema node used somewhere; inline structures become models named from
    /// `hint`. Returns the type and whether `null` is allowed.
    fn lower_type(
        &mut self,
        node: &Value,
        hint: &str,
        origin: &str,
    ) -> Result<(Type, bool), String> {
        let nullable = is_nullable(node);
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let target = schema_ref_name(reference).and_then(|name| self.components.get(name));
            return match target {
                Some(rust) => Ok((Type::Named(rust.clone()), nullable)),
                None => {
                    self.warn(format!(
                        "{origin}: reference `{reference}` does not resolve; using raw JSON"
                    ));
                    Ok((Type::Json, nullable))
                }
            };
        }
        let structured = node.get("oneOf").is_some()
            || node.get("anyOf").is_some()
            || node.get("allOf").is_some()
            || node.get("enum").is_some()
            || has_properties(node);
        if structured {
            let rust = self.fresh(hint);
            self.lower_named(node, &rust, origin)?;
            return Ok((Type::Named(rust), nullable));
        }
        Ok((self.lower_plain(node, hint, origin)?, nullable))
    }

    /// Types that need no model of their own.
    fn lower_plain(&mut self, node: &Value, hint: &str, origin: &str) -> Result<Type, String> {
        let format = node.get("format").and_then(Value::as_str).unwrap_or("");
        Ok(match type_name(node) {
            Some("string") => match format.to_ascii_lowercase().as_str() {
                "uuid" => Type::Uuid,
                _ => Type::String,
            },
            Some("integer") => match format {
                "int32" => Type::I32,
                _ => Type::I64,
            },
            Some("number") => Type::F64,
            Some("boolean") => Type::Bool,
            Some("array") => match node.get("items") {
                Some(items) => {
                    let (item, _) =
                        self.lower_type(items, &format!("{hint}Item"), &format!("{origin}/items"))?;
                    Type::List(Box::new(item))
                }
                None => Type::List(Box::new(Type::Json)),
            },
            Some("object") | None => match node.get("additionalProperties") {
                Some(additional @ Value::Object(_))
                    if !additional.as_object().is_some_and(Map::is_empty) =>
                {
                    let (value, _) = self.lower_type(
                        additional,
                        &format!("{hint}Value"),
                        &format!("{origin}/additionalProperties"),
                    )?;
                    Type::Map(Box::new(value))
                }
                _ => Type::Json,
            },
            Some("null") => Type::Json,
            Some(other) => return Err(format!("{origin}: unsupported type `{other}`")),
        })
    }

    /// Lowers a schema into a model named `rust`.
    fn lower_named(&mut self, node: &Value, rust: &str, origin: &str) -> Result<(), String> {
        self.taken.insert(rust.to_owned());
        let kind = if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let _ = reference;
            let (target, _) = self.lower_type(node, rust, origin)?;
            ModelKind::Alias { target, constraints: constraints(node) }
        } else if node.get("anyOf").is_some() {
            return Err(format!("{origin}: `anyOf` is not supported"));
        } else if let Some(entries) = node.get("oneOf").and_then(Value::as_array) {
            if is_constraint_only_one_of(entries) {
                self.warn(format!(
                    "{origin}: `oneOf` of bare `required` lists checked as \"exactly one of\""
                ));
                let mut stripped = node.clone();
                if let Some(object) = stripped.as_object_mut() {
                    object.remove("oneOf");
                }
                self.lower_named(&stripped, rust, origin)?;
                let groups: Vec<Vec<String>> = entries
                    .iter()
                    .map(|e| {
                        e.get("required")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .collect();
                if let Some(Model { kind: ModelKind::Struct(s), .. }) = self.models.get_mut(rust) {
                    let known = |name: &String| s.fields.iter().any(|f| &f.wire == name);
                    if groups.iter().all(|g| !g.is_empty() && g.iter().all(known)) {
                        s.one_of_required = groups;
                    }
                }
                return Ok(());
            }
            ModelKind::Union(self.lower_union(node, entries, rust, origin)?)
        } else if let Some(parts) = node.get("allOf").and_then(Value::as_array) {
            let merged = self.merge_all_of(parts, origin)?;
            ModelKind::Struct(self.lower_struct(&merged, rust, origin)?)
        } else if let Some(values) = node.get("enum").and_then(Value::as_array) {
            ModelKind::Enum(self.lower_enum(values, origin)?)
        } else if has_properties(node) {
            ModelKind::Struct(self.lower_struct(node, rust, origin)?)
        } else {
            ModelKind::Alias {
                target: self.lower_plain(node, rust, origin)?,
                constraints: constraints(node),
            }
        };
        self.models.insert(
            rust.to_owned(),
            Model { name: rust.to_owned(), origin: origin.to_owned(), kind },
        );
        Ok(())
    }

    fn merge_all_of(&mut self, parts: &[Value], origin: &str) -> Result<Value, String> {
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        for part in parts {
            let resolved = match self.follow_ref(part, origin) {
                Some(target) => target.clone(),
                None if part.get("$ref").is_some() => {
                    return Err(format!("{origin}: allOf reference does not resolve"));
                }
                None => part.clone(),
            };
            let resolved = match resolved.get("allOf").and_then(Value::as_array) {
                Some(inner) => self.merge_all_of(&inner.clone(), origin)?,
                None => resolved,
            };
            for (name, schema) in
                resolved.get("properties").and_then(Value::as_object).into_iter().flatten()
            {
                properties.insert(name.clone(), schema.clone());
            }
            for name in resolved.get("required").and_then(Value::as_array).into_iter().flatten() {
                if !required.contains(name) {
                    required.push(name.clone());
                }
            }
        }
        Ok(serde_json::json!({"type": "object", "properties": properties, "required": required}))
    }

    fn lower_struct(&mut self, node: &Value, rust: &str, origin: &str) -> Result<Struct, String> {
        let empty = Map::new();
        let properties = node.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let required: BTreeSet<&str> = node
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for name in &required {
            if !properties.contains_key(*name) {
                self.warn(format!(
                    "{origin}: `required` names `{name}`, which is not a property; ignored"
                ));
            }
        }
        let mut taken = BTreeSet::from([EXTRA_FIELD.to_owned()]);
        let mut fields = Vec::new();
        for (wire, schema) in properties {
            let field_origin = format!("{origin}/properties/{wire}");
            let (ty, nullable) =
                self.lower_type(schema, &format!("{rust}{}", pascal(wire)), &field_origin)?;
            let base = snake(wire);
            if base == EXTRA_FIELD {
                return Err(format!("{field_origin}: the property `{wire}` collides with the unknown-field bag `{EXTRA_FIELD}`"));
            }
            let rust_name = unique(base.clone(), &mut taken);
            if rust_name != base {
                self.warn(format!("{field_origin}: Rust name `{base}` taken; using `{rust_name}`"));
            }
            let marked_sensitive = schema.get("x-sdk-param-sensitive").is_some()
                || schema.get("x-speakeasy-param-sensitive").is_some();
            let sensitive = marked_sensitive || is_sensitive_name(wire) || contains_json(&ty);
            fields.push(Field {
                wire: wire.clone(),
                rust: rust_name,
                ty,
                required: required.contains(wire.as_str()),
                nullable,
                boxed: false,
                sensitive,
                deprecated: schema.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
                constraints: constraints(schema),
                sibling_tag: None,
            });
        }
        Ok(Struct { fields, one_of_required: Vec::new() })
    }

    fn lower_enum(&mut self, values: &[Value], origin: &str) -> Result<Enum, String> {
        let mut taken = BTreeSet::from(["Other".to_owned()]);
        let mut out = Vec::new();
        for value in values {
            let wire = match value {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => return Err(format!("{origin}: enum value {other} is not a string")),
            };
            let base = pascal(&wire);
            let variant = unique(base.clone(), &mut taken);
            if variant != base {
                self.warn(format!(
                    "{origin}: enum value `{wire}` named `{variant}` to stay unique"
                ));
            }
            out.push(EnumValue { wire, variant });
        }
        Ok(Enum { values: out })
    }

    fn lower_union(
        &mut self,
        node: &Value,
        entries: &[Value],
        rust: &str,
        origin: &str,
    ) -> Result<Union, String> {
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut variant_names = BTreeSet::new();
        let mut schemas = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let entry_origin = format!("{origin}/oneOf/{index}");
            let (ty, _) =
                self.lower_type(entry, &format!("{rust}Variant{}", index + 1), &entry_origin)?;
            let Type::Named(model) = ty else {
                return Err(format!(
                    "{entry_origin}: a oneOf alternative must be an object schema"
                ));
            };
            let resolved =
                self.follow_ref(entry, &entry_origin).cloned().unwrap_or_else(|| entry.clone());
            let short = model
                .strip_prefix(rust)
                .filter(|s| !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit()))
                .or_else(|| model.strip_suffix(rust).filter(|s| !s.is_empty()))
                .unwrap_or(&model)
                .to_owned();
            let name = unique(short, &mut variant_names);
            let required = resolved
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|r| resolved.get("properties").and_then(|p| p.get(*r)).is_some())
                .map(str::to_owned)
                .collect();
            variants.push(UnionVariant { name, model, tags: Vec::new(), required });
            schemas.push(resolved);
        }

        if let Some(discriminator) = node.get("discriminator") {
            let property = discriminator
                .get("propertyName")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{origin}: discriminator without propertyName"))?
                .to_owned();
            let mapping = discriminator.get("mapping").and_then(Value::as_object);
            for (variant, entry) in variants.iter_mut().zip(entries) {
                let reference = entry.get("$ref").and_then(Value::as_str).unwrap_or("");
                variant.tags = match mapping {
                    Some(mapping) => mapping
                        .iter()
                        .filter(|(_, target)| target.as_str() == Some(reference))
                        .map(|(tag, _)| tag.clone())
                        .collect(),
                    None => schema_ref_name(reference).map(str::to_owned).into_iter().collect(),
                };
                if variant.tags.is_empty() {
                    return Err(format!(
                        "{origin}: no discriminator value maps to `{}`",
                        variant.model
                    ));
                }
            }
            return Ok(Union { variants, tagging: Tagging::Property { name: property } });
        }

        if let Some((property, tags)) = self.implicit_tag(&schemas) {
            for (variant, tag) in variants.iter_mut().zip(tags) {
                variant.tags = vec![tag];
            }
            self.warn(format!(
                "{origin}: oneOf without discriminator, tagged by its single-value `{property}`"
            ));
            return Ok(Union { variants, tagging: Tagging::Property { name: property } });
        }
        Ok(Union { variants, tagging: Tagging::Untagged })
    }

    /// A property that every alternative requires and fixes to one distinct enum value.
    fn implicit_tag(&mut self, schemas: &[Value]) -> Option<(String, Vec<String>)> {
        let first = schemas.first()?;
        let candidates: Vec<String> = first
            .get("required")?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        'candidate: for property in candidates {
            let mut tags = Vec::new();
            for schema in schemas {
                let Some(node) = schema.get("properties").and_then(|p| p.get(&property)) else {
                    continue 'candidate;
                };
                let node = self.follow_ref(node, "").cloned().unwrap_or_else(|| node.clone());
                match node.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
                    Some([Value::String(only)]) if !tags.contains(only) => tags.push(only.clone()),
                    _ => continue 'candidate,
                }
            }
            return Some((property, tags));
        }
        None
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        item: &Map<String, Value>,
        node: &Value,
    ) -> Result<Operation, String> {
        let id = node
            .get("operationId")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{} {path} has no operationId", method.to_uppercase()))?
            .to_owned();
        let rust = pascal(&id);
        let origin = format!("operation `{id}`");
        if !matches!(method, "get" | "post" | "put" | "patch" | "delete") {
            return Err(format!("{origin}: method {method} is not supported"));
        }
        let tag = node
            .get("tags")
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_owned();

        let relative_path = match self.kind {
            ApiKind::Public => path.to_owned(),
            ApiKind::Config => path.to_owned(),
        };

        // Parameters: path-level first, then the operation's, which override by (name, in).
        let mut raw_params: Vec<Value> = Vec::new();
        for list in [item.get("parameters"), node.get("parameters")].into_iter().flatten() {
            for param in list.as_array().into_iter().flatten() {
                let param = match param.get("$ref").and_then(Value::as_str) {
                    Some(reference) => self.spec.resolve(reference).cloned().ok_or_else(|| {
                        format!("{origin}: parameter reference `{reference}` does not resolve")
                    })?,
                    None => param.clone(),
                };
                let key = (param.get("name").cloned(), param.get("in").cloned());
                raw_params.retain(|p| (p.get("name").cloned(), p.get("in").cloned()) != key);
                raw_params.push(param);
            }
        }
        let mut taken = BTreeSet::from(["body".to_owned()]);
        let mut params = Vec::new();
        for param in &raw_params {
            let wire = param
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{origin}: unnamed parameter"))?;
            let location = match param.get("in").and_then(Value::as_str) {
                Some("path") => Location::Path,
                Some("query") => Location::Query,
                Some("header") => Location::Header,
                other => {
                    return Err(format!(
                        "{origin}: parameter `{wire}` in {other:?} is not supported"
                    ))
                }
            };
            let schema = param.get("schema").cloned().unwrap_or(Value::Null);
            let (ty, _) = self.lower_type(
                &schema,
                &format!("{rust}{}", pascal(wire)),
                &format!("{origin}/parameters/{wire}"),
            )?;
            if location == Location::Path && !relative_path.contains(&format!("{{{wire}}}")) {
                return Err(format!("{origin}: path parameter `{wire}` is not in the path {path}"));
            }
            params.push(Param {
                wire: wire.to_owned(),
                rust: unique(snake(wire), &mut taken),
                location,
                required: location == Location::Path
                    || param.get("required").and_then(Value::as_bool).unwrap_or(false),
                constraints: constraints(&schema),
                ty,
            });
        }
        for segment in relative_path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if !params.iter().any(|p| p.location == Location::Path && p.wire == name) {
                    return Err(format!(
                        "{origin}: the path {path} names `{name}`, which is not a parameter"
                    ));
                }
            }
        }

        let body = match node.get("requestBody") {
            None => None,
            Some(request_body) => {
                let request_body = match request_body.get("$ref").and_then(Value::as_str) {
                    Some(reference) => self.spec.resolve(reference).cloned().unwrap_or(Value::Null),
                    None => request_body.clone(),
                };
                let content = request_body.get("content").and_then(Value::as_object);
                let json = content.and_then(|c| c.get("application/json"));
                match json.and_then(|j| j.get("schema")) {
                    Some(schema) => {
                        let hint = schema
                            .get("title")
                            .and_then(Value::as_str)
                            .map_or(format!("{rust}Request"), pascal);
                        let (ty, _) =
                            self.lower_type(schema, &hint, &format!("{origin}/requestBody"))?;
                        Some(Body {
                            ty,
                            required: request_body
                                .get("required")
                                .and_then(Value::as_bool)
                                .unwrap_or(false),
                        })
                    }
                    None if content.is_some_and(|c| !c.is_empty()) && json.is_none() => {
                        return Err(format!("{origin}: only JSON request bodies are supported"));
                    }
                    None => Some(Body {
                        ty: Type::Json,
                        required: request_body
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    }),
                }
            }
        };

        let mut responses = Vec::new();
        let mut error_statuses = Vec::new();
        let declared =
            node.get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
        let success_count = declared.keys().filter(|k| k.starts_with('2')).count();
        for (status_text, response) in &declared {
            let Ok(status) = status_text.parse::<u16>() else {
                self.warn(format!(
                    "{origin}: response `{status_text}` is not a status; treated as an error"
                ));
                continue;
            };
            if status >= 400 {
                error_statuses.push(status);
                continue;
            }
            let response = match response.get("$ref").and_then(Value::as_str) {
                Some(reference) => match self.spec.resolve(reference) {
                    Some(target) => target.clone(),
                    None => {
                        self.warn(format!(
                            "{origin}: response reference `{reference}` does not resolve"
                        ));
                        Value::Null
                    }
                },
                None => response.clone(),
            };
            let content = response.get("content").and_then(Value::as_object);
            let mut examples = Vec::new();
            let body = if (300..400).contains(&status) {
                ResponseBody::Redirect
            } else if let Some(json) = content.and_then(|c| {
                c.get("application/json").or_else(|| c.get("application/problem+json"))
            }) {
                let ty = match json.get("schema") {
                    Some(schema) => {
                        let hint = schema.get("title").and_then(Value::as_str).map_or_else(
                            || {
                                if success_count > 1 {
                                    format!("{rust}Response{status}")
                                } else {
                                    format!("{rust}Response")
                                }
                            },
                            pascal,
                        );
                        self.lower_type(schema, &hint, &format!("{origin}/responses/{status}"))?.0
                    }
                    None => Type::Json,
                };
                examples = self.examples(json, &format!("{origin}/responses/{status}"));
                if status == 204 {
                    ResponseBody::OptionalJson(ty)
                } else {
                    ResponseBody::Json(ty)
                }
            } else if let Some(content) = content.filter(|c| !c.is_empty()) {
                if content.keys().any(|k| k.starts_with("text/")) {
                    ResponseBody::Text
                } else {
                    ResponseBody::Binary
                }
            } else {
                ResponseBody::Empty
            };
            responses.push(Response { status, body, examples });
        }
        responses.sort_by_key(|r| r.status);
        error_statuses.sort_unstable();

        let accept = accept_header(node, &responses);
        let authenticated =
            !node.get("security").and_then(Value::as_array).is_some_and(|s| s.is_empty());
        let idempotent = is_idempotent(method, &id, path);
        let pagination = self.pagination(&params, body.as_ref(), &responses);
        Ok(Operation {
            module: snake(&tag),
            id,
            rust,
            method: method.to_uppercase(),
            path: relative_path,
            spec_path: path.to_owned(),
            tag,
            authenticated,
            idempotent,
            params,
            body,
            responses,
            error_statuses,
            pagination,
            accept,
        })
    }

    /// The examples of a media type object: `example`, then each `examples.<name>.value`
    /// (following `$ref`s to `components/examples`). Examples without a value are skipped
    /// with a warning.
    fn examples(&mut self, media: &Value, origin: &str) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(value) = media.get("example") {
            out.push(Example { name: "example".to_owned(), value: value.clone() });
        }
        for (name, example) in
            media.get("examples").and_then(Value::as_object).into_iter().flatten()
        {
            let example = match example.get("$ref").and_then(Value::as_str) {
                Some(reference) => self.spec.resolve(reference),
                None => Some(example),
            };
            match example.and_then(|e| e.get("value")) {
                Some(value) => out.push(Example { name: name.clone(), value: value.clone() }),
                None => self.warn(format!("{origin}: example `{name}` has no value; skipped")),
            }
        }
        out
    }

    fn struct_fields(&self, ty: &Type) -> Vec<(String, Type)> {
        let Type::Named(name) = ty else { return Vec::new() };
        match self.models.get(name).map(|m| &m.kind) {
            Some(ModelKind::Struct(s)) => {
                s.fields.iter().map(|f| (f.wire.clone(), f.ty.clone())).collect()
            }
            Some(ModelKind::Alias { target, .. }) => self.struct_fields(&target.clone()),
            _ => Vec::new(),
        }
    }

    fn pagination(
        &self,
        params: &[Param],
        body: Option<&Body>,
        responses: &[Response],
    ) -> Option<Pagination> {
        let response_fields: Vec<String> = responses
            .iter()
            .filter_map(|r| match &r.body {
                ResponseBody::Json(ty) => Some(self.struct_fields(ty)),
                _ => None,
            })
            .flatten()
            .map(|(wire, _)| wire)
            .collect();
        let query =
            |name: &str| params.iter().any(|p| p.location == Location::Query && p.wire == name);
        if query("limit") && query("offset") && response_fields.iter().any(|f| f == "next") {
            return Some(Pagination::LimitOffset);
        }
        let body_fields = body.map(|b| self.struct_fields(&b.ty)).unwrap_or_default();
        let has = |name: &str| body_fields.iter().any(|(wire, _)| wire == name);
        if has("pagination") {
            return Some(Pagination::PageSizeRowOffset);
        }
        if has("cursor") && has("pageSize") {
            return Some(Pagination::Cursor);
        }
        if has("pageToken") && response_fields.iter().any(|f| f == "nextPageToken") {
            return Some(Pagination::PageToken);
        }
        None
    }

    fn apply_sibling_tags(&mut self) {
        for sibling in SIBLING_TAGS {
            let (Some(holder), Some(union)) = (
                self.components.get(sibling.holder).cloned(),
                self.components
                    .get(sibling.holder)
                    .and_then(|h| self.models.get(h))
                    .and_then(|m| match &m.kind {
                        ModelKind::Struct(s) => s.fields.iter().find(|f| f.wire == sibling.field),
                        _ => None,
                    })
                    .and_then(|f| match &f.ty {
                        Type::Named(n) => Some(n.clone()),
                        _ => None,
                    }),
            ) else {
                continue;
            };
            let mut complete = true;
            if let Some(Model { kind: ModelKind::Union(u), .. }) = self.models.get_mut(&union) {
                for variant in &mut u.variants {
                    let schema = sibling.mapping.iter().find(|(_, s)| pascal(s) == variant.model);
                    match schema {
                        Some((tag, _)) => variant.tags = vec![(*tag).to_owned()],
                        None => complete = false,
                    }
                }
            } else {
                complete = false;
            }
            if !complete {
                self.warn(format!(
                    "sibling tag of {}.{} does not match the spec; decoded untagged",
                    sibling.holder, sibling.field
                ));
                continue;
            }
            if let Some(Model { kind: ModelKind::Struct(s), .. }) = self.models.get_mut(&holder) {
                for field in &mut s.fields {
                    if field.wire == sibling.field {
                        field.sibling_tag = Some(sibling.tag_field.to_owned());
                    }
                }
            }
        }
    }

    /// Marks fields sensitive whose type is free-form JSON behind a named schema (a connector's
    /// `SourceConfiguration` is an alias of raw JSON): like inline JSON, it can hold secrets.
    fn mark_json_alias_fields_sensitive(&mut self) {
        let aliases: BTreeMap<String, Type> = self
            .models
            .values()
            .filter_map(|m| match &m.kind {
                ModelKind::Alias { target, .. } => Some((m.name.clone(), target.clone())),
                _ => None,
            })
            .collect();
        for model in self.models.values_mut() {
            let ModelKind::Struct(s) = &mut model.kind else { continue };
            for field in &mut s.fields {
                if !field.sensitive && contains_json(&resolve_aliases(&field.ty, &aliases, 0)) {
                    field.sensitive = true;
                }
            }
        }
    }

    /// Boxes fields through which a model contains itself without an array or map between.
    fn mark_boxed_fields(&mut self) {
        let direct = |ty: &Type| match ty {
            Type::Named(n) => Some(n.clone()),
            _ => None,
        };
        let edges: BTreeMap<String, Vec<String>> = self
            .models
            .values()
            .map(|m| {
                let targets = match &m.kind {
                    ModelKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
                    ModelKind::Union(u) => u.variants.iter().map(|v| v.model.clone()).collect(),
                    ModelKind::Alias { target, .. } => direct(target).into_iter().collect(),
                    ModelKind::Enum(_) => Vec::new(),
                };
                (m.name.clone(), targets)
            })
            .collect();
        let reaches = |from: &str, to: &str| {
            let mut stack = vec![from.to_owned()];
            let mut seen = BTreeSet::new();
            while let Some(next) = stack.pop() {
                if next == to {
                    return true;
                }
                if seen.insert(next.clone()) {
                    stack.extend(edges.get(&next).into_iter().flatten().cloned());
                }
            }
            false
        };
        let names: Vec<String> = self.models.keys().cloned().collect();
        for name in names {
            let Some(Model { kind: ModelKind::Struct(s), .. }) = self.models.get(&name) else {
                continue;
            };
            let to_box: Vec<usize> = s
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| direct(&f.ty).is_some_and(|target| reaches(&target, &name)))
                .map(|(i, _)| i)
                .collect();
            if let Some(Model { kind: ModelKind::Struct(s), .. }) = self.models.get_mut(&name) {
                for i in to_box {
                    s.fields[i].boxed = true;
                }
            }
        }
    }
}

/// `ty` with named aliases replaced by what they stand for (at most 32 levels deep).
fn resolve_aliases(ty: &Type, aliases: &BTreeMap<String, Type>, depth: usize) -> Type {
    match ty {
        Type::Named(name) if depth < 32 => match aliases.get(name) {
            Some(target) => resolve_aliases(target, aliases, depth + 1),
            None => ty.clone(),
        },
        Type::List(inner) => Type::List(Box::new(resolve_aliases(inner, aliases, depth))),
        Type::Map(inner) => Type::Map(Box::new(resolve_aliases(inner, aliases, depth))),
        _ => ty.clone(),
    }
}

fn contains_json(ty: &Type) -> bool {
    match ty {
        Type::Json => true,
        Type::List(inner) | Type::Map(inner) => contains_json(inner),
        _ => false,
    }
}

fn accept_header(node: &Value, responses: &[Response]) -> String {
    let mut types: Vec<String> = Vec::new();
    for response in responses {
        match response.body {
            ResponseBody::Text | ResponseBody::Binary => {
                let status = response.status.to_string();
                let content = node
                    .pointer(&format!("/responses/{status}/content"))
                    .and_then(Value::as_object);
                types.extend(content.into_iter().flatten().map(|(k, _)| k.clone()));
            }
            ResponseBody::Redirect => types.push("*/*".to_owned()),
            _ => {}
        }
    }
    if types.is_empty() {
        return "application/json".to_owned();
    }
    types.dedup();
    types.join(", ")
}

/// GET, PUT and DELETE are idempotent by HTTP's definition. The Configuration API's POSTs that
/// only read are recognised by their name and path: `get*`, `list*` and `search*` operations
/// whose last path segment says the same (`/v1/jobs/get`, `/v1/sources/list_paginated`).
fn is_idempotent(method: &str, id: &str, path: &str) -> bool {
    match method {
        "get" | "put" | "delete" | "head" | "options" => true,
        "post" => {
            let last = path.rsplit('/').next().unwrap_or("");
            let reads =
                |s: &str| s.starts_with("get") || s.starts_with("list") || s.starts_with("search");
            reads(id) && reads(last) && !id.contains("OrCreate")
        }
        _ => false,
    }
}
