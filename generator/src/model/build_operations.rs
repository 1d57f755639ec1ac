//! Turns paths and operations into IR operations grouped by tag, with typed parameters,
//! bodies and responses.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};

use super::schemas::{Context, SchemaBuilder};
use super::{
    BodyKind, ErrorResponse, MultipartParts, Operation, Param, ParamLocation, ParamStyle,
    RequestBody, ResponseBody, StringFormat, SuccessResponse, Tag, TagId, TypeRef,
};
use crate::diagnostics::{Error, Warning};
use crate::load::Document;
use crate::naming;
use crate::resolve::{self, join};

/// Operations without a tag are grouped under this one (`client.untagged()`; `default` would
/// read like `Default::default`).
const UNTAGGED: &str = "untagged";

pub struct Operations {
    pub operations: Vec<Operation>,
    pub tags: Vec<Tag>,
    pub warnings: Vec<Warning>,
}

pub fn build(document: &Document, schemas: &mut SchemaBuilder<'_>) -> Result<Operations, Error> {
    let api = &document.api;
    let mut warnings = Vec::new();
    let mut operations = Vec::new();
    let global_auth = api.security.as_ref().is_some_and(|s| !s.is_empty());

    // Tag names first, so each operation knows the module its inline types belong to.
    let tags = collect_tags(api);

    let mut ids = OperationIds::new(api);
    for (path, item) in api.paths.paths.iter() {
        let path_pointer = join("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                return Err(error_at(
                    document,
                    &path_pointer,
                    "path items given by `$ref` are not supported".into(),
                ))
            }
        };
        for (method, op) in item.iter() {
            let pointer = join(&path_pointer, method);
            let (operation_id, derived) =
                ids.name(document, op, method, path, &pointer, &mut warnings);
            let tag_name = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| UNTAGGED.to_string());
            let tag = tags
                .iter()
                .find(|t| t.name == tag_name)
                .expect("collected from the same operations");
            let op_words = vec![naming::type_name(&operation_id)];
            let site = Site {
                document,
                path,
                path_pointer: &path_pointer,
                pointer: &pointer,
                op_words: &op_words,
                module: &tag.module,
            };

            let mut params = parameters(&site, item, op, schemas, &mut warnings)?;
            let body = request_body(&site, op, schemas)?;
            name_setters(&mut params, body.is_some());

            let (response, errors) =
                responses(document, op, &pointer, &op_words, &tag.module, schemas)?;
            operations.push(Operation {
                operation_id: operation_id.clone(),
                operation_id_derived: derived,
                method_name: guard(&naming::snake_name(&operation_id), API_METHODS),
                command: String::new(),
                builder_name: format!(
                    "{}Request",
                    naming::type_name(&operation_id).trim_end_matches('_')
                ),
                tag: tag.id,
                http_method: method.to_ascii_uppercase(),
                path: path.clone(),
                summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
                description: op.description.clone().filter(|s| !s.trim().is_empty()),
                deprecated: op.deprecated,
                params,
                body,
                response,
                errors,
                auth_declared: op.security.as_ref().map_or(global_auth, |s| !s.is_empty()),
                security: op
                    .security
                    .as_ref()
                    .map(|s| super::build_security::requirement(s)),
                pointer,
            });
        }
    }

    unique_names_per_tag(&mut operations, &tags);
    let tags = drop_unused_tags(tags, &mut operations);
    Ok(Operations {
        operations,
        tags,
        warnings,
    })
}

fn error_at(document: &Document, pointer: &str, message: String) -> Error {
    Error {
        location: document.locate(pointer),
        message,
    }
}

/// Where one operation is, and what its inline types are named after and placed in.
struct Site<'a> {
    document: &'a Document,
    path: &'a str,
    path_pointer: &'a str,
    pointer: &'a str,
    /// The operation's name as type-name words (`ProjectDatums`).
    op_words: &'a [String],
    /// The tag's module, where the operation's inline types go.
    module: &'a str,
}

/// The operationIds given so far, and the method names taken, so that each operation gets a
/// name of its own.
struct OperationIds {
    seen_ids: BTreeSet<String>,
    taken_methods: BTreeSet<String>,
}

impl OperationIds {
    fn new(api: &openapiv3::OpenAPI) -> Self {
        // A name made for an operation without an operationId never takes one the document
        // gives (compared as method names, so `importProject` keeps its name against
        // `import_project`).
        let taken_methods: BTreeSet<String> = api
            .paths
            .iter()
            .filter_map(|(_, item)| item.as_item())
            .flat_map(|item| item.iter())
            .filter_map(|(_, op)| op.operation_id.as_deref())
            .filter(|id| !id.trim().is_empty())
            .map(naming::snake_name)
            .collect();
        OperationIds {
            seen_ids: BTreeSet::new(),
            taken_methods,
        }
    }

    /// The operation's operationId (made from its method and path when it has none, with a
    /// warning), made unique; and whether it was made.
    fn name(
        &mut self,
        document: &Document,
        op: &openapiv3::Operation,
        method: &str,
        path: &str,
        pointer: &str,
        warnings: &mut Vec<Warning>,
    ) -> (String, bool) {
        let (operation_id, derived) = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => (id.clone(), false),
            _ => {
                let mut id = derive_operation_id(method, path);
                let base = id.clone();
                let mut n = 2;
                while self.taken_methods.contains(&naming::snake_name(&id)) {
                    id = format!("{base}_{n}");
                    n += 1;
                }
                self.taken_methods.insert(naming::snake_name(&id));
                warnings.push(Warning {
                    location: document.locate(pointer),
                    message: format!(
                        "operation has no operationId; it is named `{id}` from its method and path"
                    ),
                });
                (id, true)
            }
        };
        // operationIds must be unique (OpenAPI says so, and `diff` matches operations
        // by them); a repeated one gets a suffix rather than stopping generation.
        let operation_id = if self.seen_ids.contains(&operation_id) {
            let unique =
                naming::make_unique(std::slice::from_ref(&operation_id), &self.seen_ids).remove(0);
            warnings.push(Warning {
                location: document.locate(pointer),
                message: format!("operationId `{operation_id}` is used by another operation too; this one is called `{unique}`"),
            });
            unique
        } else {
            operation_id
        };
        self.seen_ids.insert(operation_id.clone());
        (operation_id, derived)
    }
}

/// The operation's parameters, typed, in positional order: its own and the path item's
/// (which apply unless the operation redefines them), without path parameters the path does
/// not use, with path placeholders nobody declares as strings.
fn parameters(
    site: &Site<'_>,
    item: &openapiv3::PathItem,
    op: &openapiv3::Operation,
    schemas: &mut SchemaBuilder<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Param>, Error> {
    let declared = declared_parameters(site, item, op)?;
    let template_params = path_template_params(site.path);
    let mut params = Vec::new();
    let path = site.path;
    for ((name, _), (parameter, param_pointer)) in &declared {
        if param_location(parameter) == ParamLocation::Path && !template_params.contains(name) {
            warnings.push(Warning {
                location: site.document.locate(param_pointer),
                message: format!(
                    "path parameter `{name}` does not appear in the path `{path}`; it is ignored"
                ),
            });
            continue;
        }
        params.push(typed_parameter(
            site,
            name,
            parameter,
            param_pointer,
            schemas,
        )?);
    }
    for name in &template_params {
        if !params
            .iter()
            .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
        {
            warnings.push(Warning {
                location: site.document.locate(site.pointer),
                message: format!("path parameter `{name}` is used in `{path}` but not declared; it is taken as a string"),
            });
            params.push(Param {
                wire_name: name.clone(),
                rust_name: naming::snake_name(name),
                flag: String::new(),
                location: ParamLocation::Path,
                ty: TypeRef::String(StringFormat::Plain),
                required: true,
                doc: None,
                style: ParamStyle::default_for(ParamLocation::Path),
                explode: false,
                secret: super::secrets::is_secret_name(name),
            });
        }
    }
    order_params(&mut params, &template_params);
    Ok(params)
}

/// Resolved parameters by name and location (`"query"`), each with its JSON pointer.
type Declared<'a> = IndexMap<(String, &'static str), (&'a Parameter, String)>;

/// Parameters resolved and keyed by name and location: the path item's first, then the
/// operation's, which replace a path item's of the same key. Each with its JSON pointer.
fn declared_parameters<'a>(
    site: &Site<'a>,
    item: &'a openapiv3::PathItem,
    op: &'a openapiv3::Operation,
) -> Result<Declared<'a>, Error> {
    let api = &site.document.api;
    // Path-level parameters apply unless the operation redefines them.
    let mut declared: Declared<'a> = IndexMap::new();
    for (list, base) in [
        (&item.parameters, join(site.path_pointer, "parameters")),
        (&op.parameters, join(site.pointer, "parameters")),
    ] {
        for (index, parameter) in list.iter().enumerate() {
            let param_pointer = join(&base, &index.to_string());
            let parameter = resolve::parameter(api, parameter)
                .map_err(|e| error_at(site.document, &param_pointer, e.to_string()))?;
            let data = parameter.parameter_data_ref();
            declared.insert(
                (data.name.clone(), location_key(parameter)),
                (parameter, param_pointer),
            );
        }
    }
    Ok(declared)
}

fn param_location(parameter: &Parameter) -> ParamLocation {
    match parameter {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// One declared parameter as the IR has it: its type (an inline schema named after the
/// parameter, or qualified by the operation's name), whether it is required, how arrays go.
fn typed_parameter(
    site: &Site<'_>,
    name: &str,
    parameter: &Parameter,
    param_pointer: &str,
    schemas: &mut SchemaBuilder<'_>,
) -> Result<Param, Error> {
    let data = parameter.parameter_data_ref();
    let location = param_location(parameter);
    let type_name = naming::type_name(name);
    let context = Context::new(
        vec![type_name.clone()],
        [site.op_words.to_vec(), vec![type_name]].concat(),
        join(param_pointer, "schema"),
        site.module.to_string(),
    );
    let ty = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => schemas.type_of(schema, &context)?,
        ParameterSchemaOrContent::Content(content) => {
            match content.values().next().and_then(|m| m.schema.as_ref()) {
                Some(schema) => schemas.type_of(schema, &context)?,
                None => TypeRef::String(StringFormat::Plain),
            }
        }
    };
    let (style, explode) = super::wire::style_of(parameter);
    Ok(Param {
        wire_name: name.to_string(),
        rust_name: naming::snake_name(name),
        flag: String::new(),
        location,
        ty,
        required: data.required || location == ParamLocation::Path,
        doc: data.description.clone().filter(|d| !d.trim().is_empty()),
        style,
        explode,
        secret: super::secrets::is_secret_name(name),
    })
}

/// The request body, typed by the media type chosen (JSON first); `None` when the operation
/// has none or it lists no media type.
fn request_body(
    site: &Site<'_>,
    op: &openapiv3::Operation,
    schemas: &mut SchemaBuilder<'_>,
) -> Result<Option<RequestBody>, Error> {
    let Some(body) = &op.request_body else {
        return Ok(None);
    };
    let body_pointer = join(site.pointer, "requestBody");
    let body = resolve::request_body(&site.document.api, body)
        .map_err(|e| error_at(site.document, &body_pointer, e.to_string()))?;
    let Some((content_type, media)) = pick_media_type(&body.content) else {
        return Ok(None);
    };
    let context = Context::new(
        [site.op_words.to_vec(), vec!["Body".into()]].concat(),
        [site.op_words.to_vec(), vec!["Body".into()]].concat(),
        join(
            &join(&join(&body_pointer, "content"), content_type),
            "schema",
        ),
        site.module.to_string(),
    );
    let kind = body_kind(content_type, media, schemas, &context)?;
    Ok(Some(RequestBody {
        content_type: content_type.clone(),
        kind,
        required: body.required,
        doc: body.description.clone().filter(|d| !d.trim().is_empty()),
    }))
}

/// Gives each parameter's setter a name that is none of the request builder's own items
/// (its fields and methods, `body` when there is a body) and not an operator's method.
fn name_setters(params: &mut [Param], has_body: bool) {
    // The request builder's own items: its field, its methods.
    let mut reserved: BTreeSet<String> = [
        "client",
        "call",
        "header",
        "send",
        "send_with_response",
        "send_raw",
        "into_request",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if has_body {
        reserved.insert("body".into());
    }
    // A setter `fn add(self, value) -> Self` is what clippy takes for `Add::add`: such
    // names get the keyword guard's `_` (which the command line drops again).
    const OPERATOR_METHODS: &[&str] = &[
        "add", "sub", "mul", "div", "rem", "shl", "shr", "bitand", "bitor", "bitxor",
    ];
    let names: Vec<String> = params
        .iter()
        .map(|p| guard(&p.rust_name, OPERATOR_METHODS))
        .collect();
    for (param, name) in params
        .iter_mut()
        .zip(naming::make_unique(&names, &reserved))
    {
        param.rust_name = name;
    }
}

/// The tags some operation uses, with ids renumbered to their places in the list kept.
fn drop_unused_tags(tags: Vec<Tag>, operations: &mut [Operation]) -> Vec<Tag> {
    let mut kept = Vec::new();
    let mut new_ids = Vec::with_capacity(tags.len());
    for mut tag in tags {
        if operations.iter().any(|op| op.tag == tag.id) {
            let id = TagId(kept.len());
            new_ids.push(Some(id));
            tag.id = id;
            kept.push(tag);
        } else {
            new_ids.push(None);
        }
    }
    for op in operations {
        op.tag = new_ids[op.tag.0].expect("an operation's tag is kept");
    }
    kept
}

/// Method and builder names must be unique within their tag's module.
fn unique_names_per_tag(operations: &mut [Operation], tags: &[Tag]) {
    for tag in tags {
        let indices: Vec<usize> = (0..operations.len())
            .filter(|&i| operations[i].tag == tag.id)
            .collect();
        let methods: Vec<String> = indices
            .iter()
            .map(|&i| operations[i].method_name.clone())
            .collect();
        let builders: Vec<String> = indices
            .iter()
            .map(|&i| operations[i].builder_name.clone())
            .collect();
        let methods = naming::make_unique(&methods, &BTreeSet::new());
        let builders = naming::make_unique(&builders, &[tag.api_struct.clone()].into());
        for ((index, method), builder) in indices.into_iter().zip(methods).zip(builders) {
            operations[index].method_name = method;
            operations[index].builder_name = builder;
        }
    }
}

/// Method names an operation's method must not take on its tag's API struct (which is `Clone`,
/// `Copy` and `Debug`): clippy reads `new` and `clone` as constructors and trait methods, and
/// the others would hide the trait method every value has.
const API_METHODS: &[&str] = &[
    "new",
    "clone",
    "clone_from",
    "cmp",
    "partial_cmp",
    "eq",
    "ne",
    "fmt",
    "hash",
    "to_owned",
    "into",
    "try_into",
    "from",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// `name`, or `name_` when it is one of `taken`: the same guard as for keywords, so the
/// command line (which drops a trailing `_`) keeps the plain name.
fn guard(name: &str, taken: &[&str]) -> String {
    if taken.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

fn location_key(parameter: &Parameter) -> &'static str {
    param_location(parameter).as_str()
}

/// Tags in the document's order, then tags used by operations but not declared, in first use.
fn collect_tags(api: &openapiv3::OpenAPI) -> Vec<Tag> {
    let mut names: Vec<(String, Option<String>)> = api
        .tags
        .iter()
        .map(|t| (t.name.clone(), t.description.clone()))
        .collect();
    for (_, item) in api.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, op) in item.iter() {
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| UNTAGGED.to_string());
            if !names.iter().any(|(n, _)| *n == tag) {
                names.push((tag, None));
            }
        }
    }
    // The module is also the accessor on `Client`, which must not hide one of the runtime's
    // own methods (a tag `login` would make `client.login()` ambiguous) or a trait method
    // every client has (`clone`).
    const CLIENT_METHODS: &[&str] = &[
        "builder",
        "login",
        "base_url",
        "id_token",
        "saved_session",
        "request",
        // Private to the runtime, but an accessor of the same name would still clash.
        "url",
        "attempt",
        "send_with_retries",
        "credentials",
        "default_security",
        "with_timeout",
        "with_retry",
        "retry_post",
        "execute",
        "send",
        "clone",
        "clone_from",
        "fmt",
        "to_owned",
        "into",
        "try_into",
        "from",
        "borrow",
        "borrow_mut",
        "type_id",
        "eq",
        "ne",
        "hash",
        // Not a method: the tag modules live in `operations`, and `operations::operations`
        // is a module named like its parent (clippy's `module_inception`).
        "operations",
    ];
    let modules: Vec<String> = names
        .iter()
        .map(|(n, _)| naming::snake_name(n))
        .map(|m| {
            if CLIENT_METHODS.contains(&m.as_str()) {
                format!("{m}_api")
            } else {
                m
            }
        })
        .collect();
    // `mod.rs` is the operations module itself.
    let modules = naming::make_unique(&modules, &["mod".to_string()].into());
    let structs: Vec<String> = names
        .iter()
        .map(|(n, _)| format!("{}Api", naming::type_name(n).trim_end_matches('_')))
        .collect();
    let structs = naming::make_unique(&structs, &BTreeSet::new());
    names
        .into_iter()
        .zip(modules)
        .zip(structs)
        .enumerate()
        .map(|(index, (((name, description), module), api_struct))| Tag {
            id: TagId(index),
            name,
            description,
            module,
            command: String::new(),
            api_struct,
        })
        .collect()
}

/// Path segments that name what is done rather than a thing: a path ending in one is an
/// action on the resource before it (`POST /finance/projects/{projectId}/import`).
const ACTIONS: &[&str] = &[
    "activate",
    "approve",
    "archive",
    "assign",
    "authorize",
    "calculate",
    "cancel",
    "clone",
    "close",
    "complete",
    "confirm",
    "copy",
    "deactivate",
    "disable",
    "download",
    "duplicate",
    "enable",
    "export",
    "generate",
    "import",
    "invite",
    "lock",
    "login",
    "logout",
    "merge",
    "move",
    "preview",
    "publish",
    "refresh",
    "register",
    "reject",
    "rename",
    "resend",
    "reset",
    "restore",
    "retry",
    "revoke",
    "run",
    "search",
    "send",
    "share",
    "start",
    "stop",
    "submit",
    "sync",
    "unlock",
    "unpublish",
    "upload",
    "validate",
    "verify",
];

/// The name of an operation that has no operationId: what a person would call it, from its
/// path and method.
///
/// - The resource is every static segment of the path, in order, each in the singular when a
///   path parameter follows it (`/finance/projects/{projectId}` is `finance_project`); path
///   parameters themselves add nothing.
/// - When the path ends in an action word ([`ACTIONS`]: `import`, `export`, `search`, ...),
///   that word is the verb and the segments before it the resource, whatever the method:
///   `POST /finance/projects/{projectId}/import` is `import_finance_project`.
/// - Otherwise the verb is the method: `GET /widgets` is `get_widgets`, `POST /widgets` is
///   `post_widgets`, `GET /widgets/{id}` is `get_widget`, `GET /widgets/{id}/parts` is
///   `get_widget_parts`. A path with no static segment is the resource `root` (`get_root`).
///
/// The caller keeps the name clear of every operationId of the document and of names made
/// before it (`_2`, `_3`, ...), and warns that the operation was named.
fn derive_operation_id(method: &str, path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |segment: &str| segment.starts_with('{') && segment.ends_with('}');
    let resource = |segments: &[&str]| -> Vec<String> {
        segments
            .iter()
            .enumerate()
            .filter(|(_, segment)| !is_param(segment))
            .map(|(i, segment)| {
                let word = naming::snake_name(segment);
                if segments.get(i + 1).is_some_and(|next| is_param(next)) {
                    singular_snake(&word)
                } else {
                    word
                }
            })
            .collect()
    };
    let action = segments
        .split_last()
        .filter(|(last, _)| !is_param(last))
        .map(|(last, rest)| (naming::snake_name(last), rest))
        .filter(|(last, _)| ACTIONS.contains(&last.as_str()));
    let (verb, mut words) = match action {
        Some((verb, before)) => (verb, resource(before)),
        None => {
            let mut words = resource(&segments);
            if words.is_empty() {
                words.push("root".into());
            }
            (method.to_ascii_lowercase(), words)
        }
    };
    words.insert(0, verb);
    words.join("_")
}

/// `finance_projects` -> `finance_project`: the last word in the singular, when it looks plural.
fn singular_snake(word: &str) -> String {
    let (head, last) = match word.rsplit_once('_') {
        Some((head, last)) => (format!("{head}_"), last),
        None => (String::new(), word),
    };
    match naming::singular(last) {
        Some(singular) => format!("{head}{singular}"),
        None => word.to_string(),
    }
}

/// The `{name}` placeholders of a path template, in order.
pub fn path_template_params(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + end].to_string());
        rest = &rest[start + end + 1..];
    }
    names
}

/// Positional parameters first (path ones in template order, then other required ones in
/// document order), then optional ones in document order.
fn order_params(params: &mut [Param], template: &[String]) {
    let rank = |p: &Param| match (p.location, p.required) {
        (ParamLocation::Path, _) => (
            0,
            template
                .iter()
                .position(|t| *t == p.wire_name)
                .unwrap_or(usize::MAX),
        ),
        (_, true) => (1, 0),
        (_, false) => (2, 0),
    };
    params.sort_by_key(rank);
}

/// JSON first (including `+json` types), then text, then whatever is listed first.
fn pick_media_type(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content
        .iter()
        .find(|(t, _)| is_json(t))
        .or_else(|| content.iter().find(|(t, _)| essence(t) == FORM))
        .or_else(|| content.iter().find(|(t, _)| essence(t) == MULTIPART))
        .or_else(|| content.iter().find(|(t, _)| t.starts_with("text/")))
        .or_else(|| content.iter().next())
}

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// `application/json; charset=utf-8` -> `application/json`.
fn essence(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or("").trim()
}

fn is_json(content_type: &str) -> bool {
    let essence = essence(content_type);
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

fn body_kind(
    content_type: &str,
    media: &MediaType,
    schemas: &mut SchemaBuilder<'_>,
    context: &Context,
) -> Result<BodyKind, Error> {
    let typed = |schemas: &mut SchemaBuilder<'_>| match &media.schema {
        Some(schema) => schemas.type_of(schema, context),
        None => Ok(TypeRef::Any),
    };
    if is_json(content_type) {
        return Ok(BodyKind::Json(typed(schemas)?));
    }
    if essence(content_type) == FORM && media.schema.is_some() {
        return Ok(BodyKind::Form(typed(schemas)?));
    }
    if essence(content_type) == MULTIPART && media.schema.is_some() {
        // The parts need every type final: `wire::decide` lays them out.
        return Ok(BodyKind::Multipart {
            ty: typed(schemas)?,
            parts: MultipartParts::Whole,
        });
    }
    if content_type.starts_with("text/") {
        return Ok(BodyKind::Text);
    }
    Ok(BodyKind::Binary)
}

fn responses(
    document: &Document,
    op: &openapiv3::Operation,
    pointer: &str,
    op_words: &[String],
    module: &str,
    schemas: &mut SchemaBuilder<'_>,
) -> Result<(SuccessResponse, Vec<ErrorResponse>), Error> {
    let api = &document.api;
    let responses_pointer = join(pointer, "responses");
    let mut success: Option<SuccessResponse> = None;
    let mut errors = Vec::new();
    let mut entries: Vec<(String, bool, &ReferenceOr<openapiv3::Response>)> = op
        .responses
        .responses
        .iter()
        .map(|(status, response)| {
            let is_success = match status {
                StatusCode::Code(code) => (200..300).contains(code),
                StatusCode::Range(range) => *range == 2,
            };
            (status.to_string(), is_success, response)
        })
        .collect();
    if let Some(default) = &op.responses.default {
        entries.push(("default".into(), false, default));
    }
    // The documented success is 200 if there is one, else the lowest 2xx.
    entries.sort_by_key(|(status, is_success, _)| (!is_success, status != "200", status.clone()));
    for (status, is_success, response) in entries {
        let response_pointer = join(&responses_pointer, &status);
        let response = resolve::response(api, response).map_err(|e| Error {
            location: document.locate(&response_pointer),
            message: e.to_string(),
        })?;
        let media = pick_media_type(&response.content);
        let description = Some(response.description.clone()).filter(|d| !d.trim().is_empty());
        if is_success {
            if success.is_some() {
                continue;
            }
            let body = success_body(media, &response_pointer, op_words, module, schemas)?;
            success = Some(SuccessResponse {
                status: Some(status),
                body,
                doc: description,
            });
        } else {
            let ty = error_type(media, &status, &response_pointer, op_words, module, schemas)?;
            errors.push(ErrorResponse {
                status,
                ty,
                description,
            });
        }
    }
    let success = success.unwrap_or(SuccessResponse {
        status: None,
        body: ResponseBody::Undocumented,
        doc: None,
    });
    Ok((success, errors))
}

/// The body of the documented success response: `()` without content, else typed by the
/// media type chosen (JSON first), as `<Operation>Response` when it is an inline schema.
fn success_body(
    media: Option<(&String, &MediaType)>,
    response_pointer: &str,
    op_words: &[String],
    module: &str,
    schemas: &mut SchemaBuilder<'_>,
) -> Result<ResponseBody, Error> {
    let words: Vec<String> = [op_words.to_vec(), vec!["Response".into()]].concat();
    Ok(match media {
        None => ResponseBody::Empty,
        Some((content_type, media)) => {
            let context = Context::new(
                words.clone(),
                words,
                join(
                    &join(&join(response_pointer, "content"), content_type),
                    "schema",
                ),
                module.to_string(),
            );
            match body_kind(content_type, media, schemas, &context)? {
                BodyKind::Json(ty) => ResponseBody::Json(ty),
                BodyKind::Text => ResponseBody::Text,
                // Form and multipart responses are rare; their bytes are returned.
                BodyKind::Form(_) | BodyKind::Multipart { .. } | BodyKind::Binary => {
                    ResponseBody::Binary
                }
            }
        }
    })
}

/// The type of an error response's JSON body, named `<Operation>Error` (qualified by the
/// status when that collides); `None` when it has no JSON schema.
fn error_type(
    media: Option<(&String, &MediaType)>,
    status: &str,
    response_pointer: &str,
    op_words: &[String],
    module: &str,
    schemas: &mut SchemaBuilder<'_>,
) -> Result<Option<TypeRef>, Error> {
    Ok(match media {
        Some((content_type, media)) if is_json(content_type) && media.schema.is_some() => {
            let words: Vec<String> = [op_words.to_vec(), vec!["Error".into()]].concat();
            let qualified = [words.clone(), vec![naming::type_name(status)]].concat();
            let context = Context::new(
                words,
                qualified,
                join(
                    &join(&join(response_pointer, "content"), content_type),
                    "schema",
                ),
                module.to_string(),
            );
            Some(schemas.type_of(media.schema.as_ref().expect("checked above"), &context)?)
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_hold_the_index_of_their_tag_among_the_tags_kept() {
        // `unused` is declared first but no operation has it: it is dropped, and the ids
        // of the tags after it are their places in what is kept.
        let api = crate::model::from_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
tags: [{name: unused}, {name: sites}, {name: projects}]
paths:
  /projects:
    get: {operationId: listProjects, tags: [projects], responses: {'204': {description: ok}}}
  /sites:
    get: {operationId: listSites, tags: [sites], responses: {'204': {description: ok}}}
  /other:
    get: {operationId: other, responses: {'204': {description: ok}}}
"#,
        );
        let names: Vec<&str> = api.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["sites", "projects", UNTAGGED]);
        for (index, tag) in api.tags.iter().enumerate() {
            assert_eq!(tag.id, TagId(index));
        }
        let tags: Vec<&str> = api
            .operations
            .iter()
            .map(|op| api.tag(op.tag).name.as_str())
            .collect();
        assert_eq!(tags, ["projects", "sites", UNTAGGED]);
        let sites = api.tag(TagId(0));
        let of_sites: Vec<&str> = api
            .operations_of(sites)
            .map(|op| op.operation_id.as_str())
            .collect();
        assert_eq!(of_sites, ["listSites"]);
    }

    #[test]
    fn an_action_ending_the_path_is_the_verb() {
        for (method, path, name) in [
            (
                "post",
                "/finance/projects/{projectId}/import",
                "import_finance_project",
            ),
            ("post", "/projects/{projectId}/import", "import_project"),
            ("get", "/projects/{projectId}/export", "export_project"),
            (
                "post",
                "/projects/{projectId}/sites/{siteId}/archive",
                "archive_project_site",
            ),
            ("post", "/reports/generate", "generate_reports"),
            ("post", "/search", "search"),
            (
                "post",
                "/users/{userId}/resend-invite",
                "post_user_resend_invite",
            ),
        ] {
            assert_eq!(derive_operation_id(method, path), name, "{method} {path}");
        }
    }

    #[test]
    fn otherwise_the_method_and_the_resource() {
        for (method, path, name) in [
            ("get", "/widgets", "get_widgets"),
            ("post", "/widgets", "post_widgets"),
            ("get", "/widgets/{id}", "get_widget"),
            ("delete", "/widgets/{widgetId}", "delete_widget"),
            ("get", "/widgets/{id}/parts", "get_widget_parts"),
            (
                "put",
                "/finance/projects/{projectId}",
                "put_finance_project",
            ),
            // Not plural, so kept; an action word followed by a parameter is a resource.
            ("get", "/status", "get_status"),
            ("get", "/imports/{importId}", "get_import"),
            ("get", "/import/{jobId}", "get_import"),
            ("get", "/energy/datums", "get_energy_datums"),
            ("get", "/", "get_root"),
            ("get", "/{id}", "get_root"),
            ("GET", "/site-weather/{siteId}", "get_site_weather"),
        ] {
            assert_eq!(derive_operation_id(method, path), name, "{method} {path}");
        }
    }

    fn operation_ids(spec: &str) -> Vec<String> {
        crate::model::from_yaml(spec)
            .operations
            .iter()
            .map(|op| op.operation_id.clone())
            .collect()
    }

    #[test]
    fn made_names_leave_the_documents_own_alone() {
        // The document's `importProject` (later in the document) keeps its name; the made
        // `import_project` becomes `import_project_2`, and a second made one `_3`.
        let ids = operation_ids(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /projects/{projectId}/import:
    parameters:
    - {name: projectId, in: path, required: true, schema: {type: string}}
    post:
      responses: {'204': {description: ok}}
    put:
      responses: {'204': {description: ok}}
  /imports:
    post:
      operationId: importProject
      responses: {'204': {description: ok}}
"#,
        );
        assert_eq!(
            ids,
            ["import_project_2", "import_project_3", "importProject"]
        );
    }
}
