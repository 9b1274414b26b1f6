//! The intermediate model between a spec and the emitted code: every name resolved, every
//! inline schema given a name, every construct reduced to a few kinds. Emitters for Rust (and
//! the bindings' stubs) read only this.

use serde::Serialize;

/// One API: its models and operations.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// `config` or `public`.
    pub kind: ApiKind,
    /// The file the API was read from, as given.
    pub source: String,
    /// The spec's `info.version`.
    pub spec_version: String,
    /// Models, sorted by Rust name.
    pub models: Vec<Model>,
    /// Operations, sorted by operation id.
    pub operations: Vec<Operation>,
    /// Things in the spec that were accepted with an adjustment.
    pub warnings: Vec<String>,
}

/// Which API a spec describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiKind {
    /// The Configuration API.
    Config,
    /// The public Airbyte API.
    Public,
}

impl ApiKind {
    /// The Rust module the API is generated into.
    pub fn module(self) -> &'static str {
        match self {
            ApiKind::Config => "config_api",
            ApiKind::Public => "public_api",
        }
    }

    /// The `airbyte_core::Api` variant.
    pub fn variant(self) -> &'static str {
        match self {
            ApiKind::Config => "Config",
            ApiKind::Public => "Public",
        }
    }

    /// How the API is named in docs.
    pub fn title(self) -> &'static str {
        match self {
            ApiKind::Config => "Configuration API",
            ApiKind::Public => "public Airbyte API",
        }
    }
}

/// A type as used by a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum Type {
    /// Text (also dates, times, e-mails and URLs, kept as sent).
    String,
    /// A UUID (`uuid` and `UUID` formats).
    Uuid,
    /// A 32-bit integer.
    I32,
    /// A 64-bit integer (`int64`, `int` and unformatted integers).
    I64,
    /// A floating-point number.
    F64,
    /// A boolean.
    Bool,
    /// Any JSON value (free-form objects and untyped schemas).
    Json,
    /// A generated model, by Rust name.
    Named(String),
    /// An array (also `format: set`, to keep the order).
    List(Box<Type>),
    /// An object with typed values and free keys.
    Map(Box<Type>),
}

/// A named model.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// The Rust type name.
    pub name: String,
    /// Where it comes from: a component name or a path for inline schemas.
    pub origin: String,
    /// What it is.
    pub kind: ModelKind,
}

/// The kinds of model.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelKind {
    /// An object with declared fields; undeclared fields are kept in a bag.
    Struct(Struct),
    /// An open string enum.
    Enum(Enum),
    /// A `oneOf`.
    Union(Union),
    /// Another name for a type.
    Alias {
        /// The aliased type.
        target: Type,
        /// The alias's own constraints (`format: date-time` on a string alias, ...).
        constraints: Constraints,
    },
}

/// An object model.
#[derive(Debug, Clone, Serialize)]
pub struct Struct {
    /// Declared fields in spec order.
    pub fields: Vec<Field>,
    /// Groups of fields of which exactly one must be present (a `oneOf` of bare `required`
    /// lists, such as "either `workspaceId` or `organizationId`"); empty for most objects.
    pub one_of_required: Vec<Vec<String>>,
}

/// A field of an object model.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The JSON name.
    pub wire: String,
    /// The Rust name.
    pub rust: String,
    /// The type, without optionality.
    pub ty: Type,
    /// Whether the spec requires it.
    pub required: bool,
    /// Whether `null` is a meaningful value (`nullable: true` or a `null` type).
    pub nullable: bool,
    /// Whether the field must be boxed to break a cycle of direct containment.
    pub boxed: bool,
    /// Whether `Debug` output hides the value.
    pub sensitive: bool,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// Declared constraints.
    pub constraints: Constraints,
    /// For a union decided by a sibling field: that field's JSON name.
    pub sibling_tag: Option<String>,
}

/// Numeric, length and item-count constraints.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `format` of a string as written (`date-time`, `email`, `uri`...). Kept for samples that
    /// validators accept; the core keeps such strings as text and does not check them.
    pub format: Option<String>,
    /// `pattern` of a string. Kept for samples; the core does not check it.
    pub pattern: Option<String>,
}

impl Constraints {
    /// Whether anything the core checks is constrained (ranges, lengths, item counts).
    pub fn is_empty(&self) -> bool {
        Constraints { format: None, pattern: None, ..self.clone() } == Constraints::default()
    }
}

/// An open enum.
#[derive(Debug, Clone, Serialize)]
pub struct Enum {
    /// Known values in spec order.
    pub values: Vec<EnumValue>,
}

/// One known value of an enum.
#[derive(Debug, Clone, Serialize)]
pub struct EnumValue {
    /// As sent on the wire.
    pub wire: String,
    /// The Rust variant name.
    pub variant: String,
}

/// A `oneOf`.
#[derive(Debug, Clone, Serialize)]
pub struct Union {
    /// The alternatives, in spec order.
    pub variants: Vec<UnionVariant>,
    /// How a value picks its alternative.
    pub tagging: Tagging,
}

/// One alternative of a union.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The model it holds.
    pub model: String,
    /// The tag values that select it (tagged unions, sibling-tagged unions).
    pub tags: Vec<String>,
    /// The properties it requires (untagged unions pick the first alternative that has them).
    pub required: Vec<String>,
}

/// How a union's alternative is chosen.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tagging {
    /// A property inside the value names the alternative.
    Property {
        /// The property's JSON name.
        name: String,
    },
    /// The alternative is the first whose required properties are present and which decodes.
    Untagged,
}

/// An operation.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: String,
    /// The Rust struct name.
    pub rust: String,
    /// The HTTP method, uppercase.
    pub method: String,
    /// The path relative to the API root.
    pub path: String,
    /// The path as written in the spec.
    pub spec_path: String,
    /// The first tag.
    pub tag: String,
    /// The Rust module the operation is emitted into.
    pub module: String,
    /// Whether requests carry credentials.
    pub authenticated: bool,
    /// Whether the operation may be repeated safely.
    pub idempotent: bool,
    /// Path, query and header parameters in spec order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// Success and redirect responses in status order.
    pub responses: Vec<Response>,
    /// Declared error statuses.
    pub error_statuses: Vec<u16>,
    /// How the operation pages.
    pub pagination: Option<Pagination>,
    /// The `Accept` header value.
    pub accept: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// A path segment.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
}

/// A parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// The name on the wire.
    pub wire: String,
    /// The Rust field name.
    pub rust: String,
    /// Where it goes.
    pub location: Location,
    /// Its type.
    pub ty: Type,
    /// Whether it must be given.
    pub required: bool,
    /// Declared constraints.
    pub constraints: Constraints,
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    /// Its type.
    pub ty: Type,
    /// Whether it must be given.
    pub required: bool,
}

/// A declared success or redirect response.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// The status.
    pub status: u16,
    /// What its body is.
    pub body: ResponseBody,
    /// The examples the spec gives for a JSON body, in spec order (used for test vectors).
    pub examples: Vec<Example>,
}

/// An example of a response body, as the spec writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// `example` for a lone example, otherwise the key under `examples`.
    pub name: String,
    /// The example value.
    pub value: serde_json::Value,
}

/// The body of a declared response.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum ResponseBody {
    /// No body.
    Empty,
    /// JSON of a type.
    Json(Type),
    /// JSON that may be absent (a `204` that declares a body).
    OptionalJson(Type),
    /// Text.
    Text,
    /// Bytes.
    Binary,
    /// A redirect.
    Redirect,
}

/// How an operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pagination {
    /// `limit`/`offset` query parameters and `next` links.
    LimitOffset,
    /// `pagination {pageSize, rowOffset}` in the body.
    PageSizeRowOffset,
    /// `cursor` and `pageSize` in the body.
    Cursor,
    /// `pageToken` in the body, `nextPageToken` in the response.
    PageToken,
}

impl Pagination {
    /// The `airbyte_core::PaginationStyle` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Pagination::LimitOffset => "LimitOffset",
            Pagination::PageSizeRowOffset => "PageSizeRowOffset",
            Pagination::Cursor => "Cursor",
            Pagination::PageToken => "PageToken",
        }
    }
}
