//! The intermediate representation (IR): what the generated client contains, with every
//! naming and typing decision already made. No `openapiv3` type leaks past this module;
//! emitters only print what is here, and `diff` compares two of these.

mod build_operations;
mod build_security;
pub mod cli_names;
mod schemas;
pub(crate) mod secrets;
mod wire;

use crate::diagnostics::{Error, Warning};
use crate::load::Document;
pub(crate) use build_operations::path_template_params;
pub use wire::{MultipartPart, MultipartParts, ParamEncoding, ParamStyle, PartKind, UnionDecoding};

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// Index of a tag in [`Api::tags`]: how an operation names its tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagId(pub usize);

/// The whole API as the generated client presents it.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server's URL, without a trailing slash.
    pub base_url: String,
    /// Every generated type, indexed by [`TypeId`]: components first, in document order,
    /// then inline schemas in the order they were met.
    pub types: Vec<TypeDef>,
    /// Every operation, in document order (paths, then get, put, post, delete, ...).
    pub operations: Vec<Operation>,
    /// Operation groups, in the order the document's `tags` list gives, then first use.
    pub tags: Vec<Tag>,
    /// `components.securitySchemes`, in document order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The document's `security`: what operations without their own accept.
    pub security: Security,
    /// Whether the client builder gets methods for the schemes (not when they are written by
    /// hand: see [`crate::AuthOptions`]).
    pub credential_methods: bool,
    pub warnings: Vec<Warning>,
    /// How many inline schemas were found identical to another and share its type.
    pub merged_duplicates: usize,
    /// Schema keyword occurrences the generated code does not express, each reported in
    /// `warnings` (see `crate::ledger`).
    pub ignored_keywords: usize,
    /// Validation keyword occurrences (`maxLength`, `pattern`, ...) the client does not check,
    /// reported together in one warning.
    pub unchecked_keywords: usize,
}

impl Api {
    /// Applies the generation's authentication options (see [`crate::AuthOptions`]).
    pub fn apply(&mut self, options: &crate::AuthOptions) {
        if options.credentials_on_public_operations {
            for op in &mut self.operations {
                if op.security.as_ref().is_some_and(Vec::is_empty) {
                    op.security = None;
                }
            }
        }
        self.credential_methods = !options.hand_written_credentials;
    }

    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The tag an operation's [`Operation::tag`] designates.
    pub fn tag(&self, id: TagId) -> &Tag {
        &self.tags[id.0]
    }

    pub fn operations_of<'a>(&'a self, tag: &'a Tag) -> impl Iterator<Item = &'a Operation> + 'a {
        self.operations.iter().filter(move |op| op.tag == tag.id)
    }
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, unique in the `types` module.
    pub name: String,
    pub doc: Option<String>,
    /// JSON pointer of the schema this type was made from (its first occurrence if merged).
    pub origin: String,
    /// The component's name when the type comes from `#/components/schemas`.
    pub component: Option<String>,
    /// The file (`types/<module>.rs`) that holds the type: one per component and the
    /// inline types below it, one per tag for types first met in that tag's operations.
    pub module: String,
    pub kind: TypeKind,
    /// A parameter has this type (an object or union in a query string, say), so the type
    /// needs a text form: its JSON, with strings unquoted.
    pub used_in_parameters: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    /// `oneOf`/`anyOf`: decoded as [`Union::decoding`] says.
    Union(Union),
    /// A named schema that is not an object, an enum or a union: `pub type Name = ...;`.
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// The builder type's name (`ProjectBuilder`), unique among the types.
    pub builder: String,
    /// What becomes of the keys an object has beyond the declared properties.
    pub undeclared: Undeclared,
    /// Every field is optional, so an empty value is meaningful and `Default` is derived.
    pub derive_default: bool,
}

/// The keys of an object that its schema does not declare. The document is incomplete in
/// places, so they are kept unless the schema forbids them, and written back when the value
/// is encoded: a read-modify-write never deletes what the server sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Undeclared {
    /// `additionalProperties: false`: the document says there are none; any that arrive are
    /// skipped when decoding.
    Forbidden,
    /// Kept in the public field `field`, as JSON values (`value: None`, the schema says
    /// nothing of them or `additionalProperties: true`) or as the type
    /// `additionalProperties` gives.
    Kept {
        /// `additional_properties`, or `undeclared_properties` when a property already has
        /// that name, or a numbered variant of the first when both are taken.
        field: String,
        value: Option<TypeRef>,
    },
}

impl Undeclared {
    /// The declared type of the values kept, when the schema gives one.
    pub fn value_type(&self) -> Option<&TypeRef> {
        match self {
            Undeclared::Kept {
                value: Some(value), ..
            } => Some(value),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property name on the wire.
    pub wire_name: String,
    pub rust_name: String,
    /// The builder's method that sets this field: the field's name, except that `build`
    /// (the builder's own method) becomes `build_2`.
    pub setter: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub presence: Presence,
    /// Set by the server (`readOnly`): optional here so a request need not carry it.
    pub read_only: bool,
    pub deprecated: bool,
    /// The field's type contains this struct again: it is boxed to have a finite size.
    pub boxed: bool,
    /// The value is a secret (`format: password`, or a name like `password`, `secret`,
    /// `token`, `credentials`, `apiKey`): `Debug` shows it redacted.
    pub secret: bool,
}

/// How a property's absence and `null` are represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// May be absent: `Option<T>`, omitted when `None`.
    Optional,
    /// Always present, may be null: `Option<T>`, sent as `null` when `None`.
    RequiredNullable,
    /// May be absent or null, and the two differ: `Option<Option<T>>`, where `Some(None)`
    /// sends `null` (clear the value) and `None` sends nothing (leave it alone).
    OptionalNullable,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub repr: EnumRepr,
    pub variants: Vec<EnumVariant>,
    /// The variant that holds values the document does not list (`Unknown`, or `Other` when
    /// the document itself lists `unknown`).
    pub catch_all: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    /// The value on the wire, as text (`"15minute"`, `"10"`).
    pub wire: String,
    /// The variant's doc shows its wire value: the Rust name does not make it obvious
    /// (`15minute`, `New System`, `PTO` as `Pto`, or a name made unique; not `day` or `A`).
    pub shows_wire: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The property whose value names the variant (`discriminator.propertyName`).
    pub discriminator: Option<String>,
    /// How a value is decoded into a variant.
    pub decoding: UnionDecoding,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// The discriminator values that select this variant (from `mapping`, or the
    /// component's name when the mapping does not list it).
    pub tags: Vec<String>,
}

/// A reference to a Rust type, as a field, parameter or body uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Named(TypeId),
    /// A Rust `String`, whatever its `format`; the format says what text it holds, for
    /// whoever makes values of it (examples, test instances).
    String(StringFormat),
    Boolean,
    Integer(IntegerKind),
    Number(NumberKind),
    /// `format: date`: `chrono::NaiveDate`.
    Date,
    /// `format: date-time`: `chrono::DateTime<chrono::Utc>`.
    DateTime,
    /// `format: binary`: raw bytes, `bytes::Bytes` (file parts, octet-stream bodies).
    Bytes,
    Array(Box<TypeRef>),
    /// `additionalProperties: <schema>`, keyed by string.
    Map(Box<TypeRef>),
    /// A free-form object (`type: object` and nothing else): a JSON object of anything.
    Object,
    /// An untyped schema (`{}`): any JSON value.
    Any,
}

/// How a type the generator does not define is written in Rust: the full path generated code
/// uses (it names everything by full path, so a schema called `String` cannot shadow it) and
/// the short name messages use (`diff`'s). One table for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RustType {
    pub path: &'static str,
    pub name: &'static str,
}

impl TypeRef {
    /// The Rust type of a reference that is not a generated type, an array or a map (those are
    /// spelled from their parts with [`TypeRef::VEC`] and [`TypeRef::MAP`]).
    pub fn rust_type(&self) -> Option<RustType> {
        let (path, name) = match self {
            TypeRef::Named(_) | TypeRef::Array(_) | TypeRef::Map(_) => return None,
            TypeRef::String(_) => ("::std::string::String", "String"),
            TypeRef::Boolean => ("bool", "bool"),
            TypeRef::Integer(kind) => match kind {
                IntegerKind::I32 => ("i32", "i32"),
                IntegerKind::I64 => ("i64", "i64"),
                IntegerKind::U8 => ("u8", "u8"),
                IntegerKind::U16 => ("u16", "u16"),
                IntegerKind::U32 => ("u32", "u32"),
                IntegerKind::U64 => ("u64", "u64"),
            },
            TypeRef::Number(NumberKind::F32) => ("f32", "f32"),
            TypeRef::Number(NumberKind::F64) => ("f64", "f64"),
            TypeRef::Date => ("::chrono::NaiveDate", "NaiveDate"),
            TypeRef::DateTime => ("::chrono::DateTime<::chrono::Utc>", "DateTime<Utc>"),
            TypeRef::Bytes => ("::bytes::Bytes", "Bytes"),
            TypeRef::Object => (
                "::serde_json::Map<::std::string::String, ::serde_json::Value>",
                "Map<String, Value>",
            ),
            TypeRef::Any => ("::serde_json::Value", "Value"),
        };
        Some(RustType { path, name })
    }

    /// The containers arrays and maps become: `Vec<item>` and `BTreeMap<String, value>` (keyed
    /// by [`TypeRef::MAP_KEY`]).
    pub const VEC: RustType = RustType {
        path: "::std::vec::Vec",
        name: "Vec",
    };
    pub const MAP: RustType = RustType {
        path: "::std::collections::BTreeMap",
        name: "BTreeMap",
    };
    pub const MAP_KEY: TypeRef = TypeRef::String(StringFormat::Plain);

    /// The type as messages show it: `Vec<Project>`, `BTreeMap<String, f64>`.
    pub fn label(&self, api: &Api) -> String {
        match self {
            TypeRef::Named(id) => api.type_def(*id).name.clone(),
            TypeRef::Array(item) => format!("{}<{}>", TypeRef::VEC.name, item.label(api)),
            TypeRef::Map(value) => format!(
                "{}<{}, {}>",
                TypeRef::MAP.name,
                TypeRef::MAP_KEY.label(api),
                value.label(api)
            ),
            scalar => scalar
                .rust_type()
                .map(|rust| rust.name.to_string())
                .unwrap_or_default(),
        }
    }
}

/// The `format` of a string schema that stays a Rust `String` (`date`, `date-time` and
/// `binary` have types of their own). It changes no Rust type: only what a valid value looks
/// like, which validators (and Prism) check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StringFormat {
    /// No format, or one that constrains nothing a validator checks (`password`, unknown ones).
    #[default]
    Plain,
    Email,
    Uuid,
    /// `uri`, `url`, `iri`.
    Uri,
    /// `uri-reference`, `iri-reference`.
    UriReference,
    Hostname,
    Ipv4,
    Ipv6,
    /// `time`: `23:59:58Z`.
    Time,
    /// `duration`: ISO 8601, `P1D`.
    Duration,
    /// `byte`: base64.
    Byte,
    Regex,
    JsonPointer,
}

impl StringFormat {
    /// The format a document names (`format: uuid`).
    pub fn from_name(name: &str) -> StringFormat {
        match name {
            "email" | "idn-email" => StringFormat::Email,
            "uuid" => StringFormat::Uuid,
            "uri" | "url" | "iri" => StringFormat::Uri,
            "uri-reference" | "iri-reference" => StringFormat::UriReference,
            "hostname" | "idn-hostname" => StringFormat::Hostname,
            "ipv4" => StringFormat::Ipv4,
            "ipv6" => StringFormat::Ipv6,
            "time" => StringFormat::Time,
            "duration" => StringFormat::Duration,
            "byte" => StringFormat::Byte,
            "regex" => StringFormat::Regex,
            "json-pointer" => StringFormat::JsonPointer,
            _ => StringFormat::Plain,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntegerKind {
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    F32,
    F64,
}

/// A group of operations (an OpenAPI tag), reached as `client.<accessor>()`.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Its own index in [`Api::tags`].
    pub id: TagId,
    /// The tag as the document spells it.
    pub name: String,
    pub description: Option<String>,
    /// Module (`operations/<module>.rs`) and accessor method name.
    pub module: String,
    /// The `ecosuite <command>` subcommand: the module in kebab case, unique among the tags
    /// and clear of the command line's own subcommands (see [`cli_names`]).
    pub command: String,
    /// The struct the accessor returns, e.g. `ProjectApi`.
    pub api_struct: String,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The operationId, or one derived from method and path when the document has none.
    pub operation_id: String,
    pub operation_id_derived: bool,
    /// The method on the tag's API struct.
    pub method_name: String,
    /// The `ecosuite <tag> <command>` subcommand: the method in kebab case, unique within
    /// the tag (see [`cli_names`]).
    pub command: String,
    /// The request builder struct.
    pub builder_name: String,
    /// The tag the operation is grouped under ([`Api::tag`] gives it).
    pub tag: TagId,
    /// `GET`, `PUT`, ...
    pub http_method: String,
    /// The path template, e.g. `/projects/{projectId}`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Positional (required) parameters first, in path order then document order, then
    /// optional ones in document order.
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub response: SuccessResponse,
    pub errors: Vec<ErrorResponse>,
    /// `false` for `security: []` (or no `security` anywhere): the operation takes no
    /// credentials.
    pub auth_declared: bool,
    /// The operation's own `security`; `None` when it has none and the document's applies.
    pub security: Option<Security>,
    /// JSON pointer of the operation, for messages.
    pub pointer: String,
}

/// An operation's or the document's `security`: alternatives, any one of which the server
/// accepts, each the names of the schemes sent together. Empty: no credentials.
pub type Security = Vec<Vec<String>>;

/// One of the document's security schemes, as the client applies it.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its name in the document, which `security` requirements use.
    pub name: String,
    /// The stem of the client builder's methods for it (`api_key`, `api_key_source`), unique
    /// among the schemes and clear of the builder's own methods.
    pub method: String,
    pub description: Option<String>,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// `type: apiKey`: the key as it is, in a header, query parameter or cookie.
    ApiKey {
        location: ParamLocation,
        name: String,
    },
    /// `type: http, scheme: bearer`, OAuth2 and OpenID Connect: `Authorization: Bearer token`.
    Bearer {
        /// For OAuth2 with a `clientCredentials` flow: the client can get its own tokens.
        client_credentials: Option<ClientCredentialsFlow>,
    },
    /// `type: http, scheme: basic`: `Authorization: Basic base64(user:password)`.
    Basic,
    /// What the client cannot apply (HTTP digest, mutual TLS, ...), and why: operations that
    /// need it get no credentials for it (a request hook can add them).
    Unsupported { reason: String },
}

/// An OAuth2 `clientCredentials` flow.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientCredentialsFlow {
    /// Absolute, or relative to the server.
    pub token_url: String,
    /// Scope names and descriptions, in document order.
    pub scopes: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    /// The command line's `--flag`: the Rust name in kebab case, unique within the operation
    /// and clear of the options every subcommand has (see [`cli_names`]).
    pub flag: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// `style`, as given or OpenAPI's default for the location.
    pub style: ParamStyle,
    /// `explode`, as given or OpenAPI's default for the style (`form` explodes). How the
    /// client uses both: [`Api::param_encoding`].
    pub explode: bool,
    /// Named like a credential (`X-Api-Key`, `token`): `Debug` of the request shows it
    /// redacted.
    pub secret: bool,
}

/// Methods every mock expectation has (`ecosuite-mock`'s `Expectation`): a parameter's setter
/// never takes one of these names.
pub const MOCK_EXPECTATION_METHODS: &[&str] = &[
    "new",
    "token",
    "times",
    "delay",
    "fails",
    "returns",
    "returns_raw",
    "body",
    "reply",
    "reply_json",
    "with_param",
    "with_list_param",
    "with_json_body",
    "with_form_body",
    "with_raw_body",
    "with_any_body",
];

impl Param {
    /// The mock expectation's method that matches this (optional) parameter: the client's
    /// setter name, unless an expectation's own method has it (`times` becomes `times_param`).
    pub fn mock_setter(&self) -> String {
        if MOCK_EXPECTATION_METHODS.contains(&self.rust_name.as_str()) {
            format!("{}_param", self.rust_name)
        } else {
            self.rust_name.clone()
        }
    }
}

/// Methods of the mock server itself: a tag's accessor on the mock never takes one of these.
pub const MOCK_SERVER_METHODS: &[&str] = &[
    "start",
    "builder",
    "uri",
    "client",
    "unmatched",
    "refused",
    "take_refused",
    "problems",
    "verify",
];

impl Tag {
    /// `mock.<accessor>()` in `ecosuite-mock`: the client's accessor, unless the mock server
    /// has a method of that name (`client` becomes `client_api`).
    pub fn mock_accessor(&self) -> String {
        if MOCK_SERVER_METHODS.contains(&self.module.as_str()) {
            format!("{}_api", self.module)
        } else {
            self.module.clone()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    /// The location as OpenAPI's `in` spells it: `path`, `query`, `header`, `cookie`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub content_type: String,
    pub kind: BodyKind,
    pub required: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`: a flat object, sent as `a=1&b=2`.
    Form(TypeRef),
    /// `multipart/form-data`: the value of type `ty`, sent as `parts`.
    Multipart {
        ty: TypeRef,
        parts: MultipartParts,
    },
    /// `text/*`: sent as a string.
    Text,
    /// Anything else: sent as raw bytes with the declared content type.
    Binary,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    /// The documented success status, when there is one.
    pub status: Option<String>,
    pub body: ResponseBody,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// Documented without content: `()`, whatever the server sends is ignored.
    Empty,
    Json(TypeRef),
    Text,
    Binary,
    /// No success response is documented: the body as a `serde_json::Value`, `Null` when empty.
    Undocumented,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// `400`, `4XX` or `default`.
    pub status: String,
    pub ty: Option<TypeRef>,
    pub description: Option<String>,
}

/// Flags the named types parameters use, looking through arrays and aliases.
fn mark_parameter_types(types: &mut [TypeDef], operations: &[Operation]) {
    fn mark(types: &mut [TypeDef], ty: &TypeRef) {
        match ty {
            TypeRef::Named(id) if !types[id.0].used_in_parameters => {
                types[id.0].used_in_parameters = true;
                if let TypeKind::Alias(target) = types[id.0].kind.clone() {
                    mark(types, &target);
                }
            }
            TypeRef::Array(item) | TypeRef::Map(item) => mark(types, item),
            _ => {}
        }
    }
    for param in operations.iter().flat_map(|op| &op.params) {
        mark(types, &param.ty);
    }
}

impl Api {
    /// What a type is once aliases are looked through: `ProjectIds` (an alias of
    /// `Vec<String>`) is an array.
    pub fn resolve_alias<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        resolve_alias(&self.types, ty)
    }
}

/// [`Api::resolve_alias`] among `types`, before the `Api` is made.
fn resolve_alias<'a>(types: &'a [TypeDef], ty: &'a TypeRef) -> &'a TypeRef {
    let mut current = ty;
    for _ in 0..types.len() {
        match current {
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Alias(target) => current = target,
                _ => return current,
            },
            _ => return current,
        }
    }
    current
}

/// Builds the IR from a parsed document.
pub fn build(document: &Document) -> Result<Api, Error> {
    let mut schemas = schemas::SchemaBuilder::new(document);
    schemas.register_components()?;
    let mut operations = build_operations::build(document, &mut schemas)?;
    let security = build_security::build(document, &operations.operations)?;
    let (mut types, merged_duplicates, schema_warnings) = schemas.finish();
    mark_parameter_types(&mut types, &operations.operations);
    wire::decide(&mut types, &mut operations.operations);
    let mut warnings = document.warnings.clone();
    warnings.extend(schema_warnings);
    warnings.extend(operations.warnings);
    warnings.extend(security.warnings);
    let ledger = crate::ledger::audit(document);
    warnings.extend(ledger.warnings);
    let info = &document.api.info;
    let base_url = document
        .api
        .servers
        .first()
        .map(|s| s.url.trim_end_matches('/').to_string())
        .unwrap_or_default();
    let mut api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        base_url,
        types,
        operations: operations.operations,
        tags: operations.tags,
        security_schemes: security.schemes,
        security: security.default,
        credential_methods: true,
        warnings,
        merged_duplicates,
        ignored_keywords: ledger.ignored,
        unchecked_keywords: ledger.unchecked,
    };
    cli_names::assign(&mut api);
    Ok(api)
}

/// The IR of a document given as YAML text, for unit tests.
#[cfg(test)]
pub(crate) fn from_yaml(yaml: &str) -> Api {
    let document =
        crate::load::load(yaml.as_bytes(), "spec.yaml").expect("the test document loads");
    build(&document).expect("the test document builds")
}

/// The type called `name` in `api`, for unit tests.
#[cfg(test)]
pub(crate) fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
            panic!("no type `{name}` among {names:?}")
        })
}
