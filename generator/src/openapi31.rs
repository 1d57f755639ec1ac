//! OpenAPI 3.1 documents, read through the OpenAPI 3.0 model.
//!
//! The typed model (`openapiv3`) reads 3.0 only. Rather than a second parser and a second
//! path into the IR, a 3.1 document is rewritten at load time, on the raw tree, into the 3.0
//! document that means the same ([`normalize`]), and read like any 3.0 document: one IR for
//! both, so the client, the command line, `diff` and every later stage cannot tell them
//! apart. The rewrite works on a copy: the document as written stays the raw tree, which the
//! keyword ledger reads (it reports 3.1 keywords with their lines), and every warning here is
//! located at the place the document wrote the thing it is about.
//!
//! What becomes of each 3.1 construct (see also the README):
//!
//! | 3.1 | 3.0 |
//! | --- | --- |
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [A, B]` | `oneOf: [{type: A}, {type: B}]`, each with its type's keywords |
//! | `anyOf`/`oneOf: [X, {type: "null"}]` | `allOf: [X], nullable: true` (a nullable X, not a union) |
//! | `$ref` beside other keywords | `allOf: [{$ref}]` beside them; a sibling `type` is dropped (it narrows, it adds nothing) |
//! | `const: v` | `enum: [v]` (a string or an integer: a one-value enum); other values: their type, reported by the ledger |
//! | `examples: [...]` | `example:` the first |
//! | `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` (same for the maximum) |
//! | `contentEncoding: base64` / `contentMediaType` | `format: byte` / `format: binary` |
//! | `$defs` (anywhere) | moved to `components/schemas` under a free name, references rewritten |
//! | `prefixItems` | `items` as written, else any value (the ledger reports the tuple) |
//! | schema `true` / `false` | `{}` (any value); `false` with a warning |
//! | `webhooks` | skipped, with a warning each |
//! | `components/pathItems` | references to them in `paths` replaced by the item |
//! | `jsonSchemaDialect` | dropped; a dialect other than OpenAPI's own gets a warning |
//! | `info.summary`, `license.identifier` | `info.description` when there is none, `license.url` (SPDX) when there is none |
//!
//! [`upgrade`] goes the other way (3.0 -> 3.1, the same API), for the tests that prove both
//! forms give the same client and for `cargo xtask rewrite-31`.

use serde_yaml::{Mapping, Value};

use crate::schema_walk::{walk_mut, walk_schema_mut};

/// The dialect OpenAPI 3.1 schemas use unless the document says otherwise.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Whether the raw tree is an OpenAPI 3.1 document.
pub fn is_31(raw: &Value) -> bool {
    raw.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"))
}

/// Rewrites the 3.1 document `tree` into the 3.0 document that means the same. Returns what
/// could not be carried over, as (JSON pointer in the document as written, message).
pub fn normalize(tree: &mut Value) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    let Some(root) = tree.as_mapping_mut() else {
        return warnings;
    };
    root.insert("openapi".into(), "3.0.3".into());
    if let Some(dialect) = root.remove("jsonSchemaDialect") {
        if dialect.as_str() != Some(DEFAULT_DIALECT) {
            warnings.push((
                "#/jsonSchemaDialect".to_string(),
                format!(
                    "the schema dialect `{}` is not OpenAPI's own; schemas are read as OpenAPI 3.1 schemas (JSON Schema 2020-12) all the same",
                    scalar_text(&dialect)
                ),
            ));
        }
    }
    if let Some(info) = root.get_mut("info").and_then(Value::as_mapping_mut) {
        if let Some(summary) = info.remove("summary") {
            if !info.contains_key("description") {
                info.insert("description".into(), summary);
            }
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_mapping_mut) {
            if let Some(identifier) = license.remove("identifier") {
                if let (false, Some(id)) = (license.contains_key("url"), identifier.as_str()) {
                    let url = format!("https://spdx.org/licenses/{id}.html");
                    license.insert("url".into(), url.into());
                }
            }
        }
    }
    if let Some(webhooks) = root.remove("webhooks") {
        for name in webhooks.as_mapping().into_iter().flat_map(|m| m.keys()) {
            let name = scalar_text(name);
            warnings.push((
                crate::resolve::join("#/webhooks", &name),
                format!("webhook `{name}` is a request the API sends, not an operation a client calls; it is not generated"),
            ));
        }
    }
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Mapping(Mapping::new()));
    }
    inline_path_items(root);

    let mut state = State::default();
    walk_mut(tree, &mut |pointer, schema| state.schema(pointer, schema));
    hoist_definitions(tree, &mut state);
    hoist_deep_references(tree);
    warnings.append(&mut state.warnings);
    warnings
}

/// `paths/*: {$ref: '#/components/pathItems/X'}` -> the item itself (the typed model has no
/// `pathItems`); the path item's own keys beside the `$ref` win.
fn inline_path_items(root: &mut Mapping) {
    let items = root
        .get_mut("components")
        .and_then(Value::as_mapping_mut)
        .and_then(|c| c.remove("pathItems"))
        .and_then(|v| match v {
            Value::Mapping(m) => Some(m),
            _ => None,
        })
        .unwrap_or_default();
    if items.is_empty() {
        return;
    }
    let Some(paths) = root.get_mut("paths").and_then(Value::as_mapping_mut) else {
        return;
    };
    for (_, item) in paths.iter_mut() {
        // A chain of references (an item that is itself a reference) is followed a few steps.
        for _ in 0..8 {
            let Some(target) = item
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                .map(|name| name.replace("~1", "/").replace("~0", "~"))
                .and_then(|name| items.get(name.as_str()))
                .and_then(Value::as_mapping)
            else {
                break;
            };
            let mut merged = target.clone();
            if let Some(own) = item.as_mapping() {
                for (key, value) in own {
                    if key.as_str() != Some("$ref") {
                        merged.insert(key.clone(), value.clone());
                    }
                }
            }
            *item = Value::Mapping(merged);
        }
    }
}

/// What the schema pass collects.
#[derive(Default)]
struct State {
    warnings: Vec<(String, String)>,
    /// `$defs` taken out of schemas: (pointer where written, name, schema).
    definitions: Vec<(String, String, Value)>,
}

impl State {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push((pointer.to_string(), message.into()));
    }

    /// One schema, before its subschemas (which see what this leaves).
    fn schema(&mut self, pointer: &str, value: &mut Value) {
        let (parent, last) = parent_tokens(pointer);
        if let Value::Bool(allowed) = value {
            // `additionalProperties: false` is 3.0 too; the other keywords the typed model
            // does not read keep their value (the ledger reports them).
            if last == "additionalProperties" || !typed_position(parent, last) {
                return;
            }
            if !*allowed {
                self.warn(pointer, "the schema `false` (no value is valid) cannot be expressed; any JSON value is accepted here");
            }
            *value = Value::Mapping(Mapping::new());
            return;
        }
        let Some(schema) = value.as_mapping_mut() else {
            return;
        };
        if schema.contains_key("$ref") {
            // A sibling `type` narrows the reference; it must not make it nullable.
            schema.remove("type");
        }
        self.definitions(pointer, schema);
        self.null_members(schema);
        self.type_list(pointer, schema);
        const_to_enum(schema);
        if let Some(examples) = schema.remove("examples") {
            if let (false, Some(first)) = (
                schema.contains_key("example"),
                examples.as_sequence().and_then(|e| e.first()),
            ) {
                schema.insert("example".into(), first.clone());
            }
        }
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(limit) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
                schema.insert(bound.into(), limit);
                schema.insert(exclusive.into(), Value::Bool(true));
            }
        }
        content_encoding(schema);
        if schema.remove("prefixItems").is_some()
            && !schema.get("items").is_some_and(Value::is_mapping)
        {
            // The ledger reports the tuple; every item is any value.
            schema.insert("items".into(), Value::Mapping(Mapping::new()));
        }
        reference_siblings(schema, parent);
    }

    /// `$defs` (and draft 7's `definitions`) are taken out, to be hoisted.
    fn definitions(&mut self, pointer: &str, schema: &mut Mapping) {
        for keyword in ["$defs", "definitions"] {
            let Some(Value::Mapping(definitions)) = schema.remove(keyword) else {
                continue;
            };
            let at = crate::resolve::join(pointer, keyword);
            for (name, definition) in definitions {
                let name = scalar_text(&name);
                // Component names are pointer tokens: no `/` or `~` in them.
                self.definitions.push((
                    crate::resolve::join(&at, &name),
                    name.replace(['/', '~'], "_"),
                    definition,
                ));
            }
        }
    }

    /// `anyOf`/`oneOf` members that allow only null make the schema nullable; a single member
    /// left is the schema's type (`allOf: [it]`), so `anyOf: [{$ref: X}, {type: 'null'}]` is
    /// a nullable X, not a union.
    fn null_members(&mut self, schema: &mut Mapping) {
        for keyword in ["anyOf", "oneOf"] {
            let Some(members) = schema.get_mut(keyword).and_then(Value::as_sequence_mut) else {
                continue;
            };
            let before = members.len();
            members.retain(|member| !only_null(member));
            if members.len() == before {
                continue;
            }
            schema.insert("nullable".into(), Value::Bool(true));
            let members = schema
                .get(keyword)
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default();
            if members.len() > 1 {
                continue;
            }
            schema.remove(keyword);
            if let Some(member) = members.into_iter().next() {
                match schema.get_mut("allOf").and_then(Value::as_sequence_mut) {
                    Some(all_of) => all_of.push(member),
                    None => {
                        schema.insert("allOf".into(), Value::Sequence(vec![member]));
                    }
                }
            }
        }
    }

    /// `type: [..]`: `"null"` makes the schema nullable; one type left is the type; several
    /// are a union of one member per type, each with the keywords of its type.
    fn type_list(&mut self, pointer: &str, schema: &mut Mapping) {
        let types: Vec<String> = match schema.get("type") {
            Some(Value::Sequence(list)) => list.iter().map(scalar_text).collect(),
            Some(Value::String(t)) if t == "null" => vec![t.clone()],
            _ => return,
        };
        let mut types: Vec<String> = types.into_iter().fold(Vec::new(), |mut seen, t| {
            if !seen.contains(&t) {
                seen.push(t);
            }
            seen
        });
        if let Some(at) = types.iter().position(|t| t == "null") {
            types.remove(at);
            schema.insert("nullable".into(), Value::Bool(true));
        }
        match types.len() {
            0 => {
                schema.remove("type");
                if !schema.contains_key("allOf")
                    && !schema.contains_key("oneOf")
                    && !schema.contains_key("anyOf")
                    && !schema.contains_key("$ref")
                {
                    self.warn(
                        &crate::resolve::join(pointer, "type"),
                        "a schema that allows only `null` has no Rust type of its own; it is typed as any JSON value, optional",
                    );
                }
            }
            1 => {
                schema.insert("type".into(), types.remove(0).into());
            }
            _ => {
                schema.remove("type");
                if schema.contains_key("oneOf") || schema.contains_key("anyOf") {
                    self.warn(
                        &crate::resolve::join(pointer, "type"),
                        format!(
                            "several types beside `oneOf`/`anyOf` cannot be expressed; the type is `{}`",
                            types[0]
                        ),
                    );
                    schema.insert("type".into(), types.remove(0).into());
                    return;
                }
                let members = types
                    .iter()
                    .map(|t| Value::Mapping(type_member(t, schema)))
                    .collect();
                for keyword in TYPE_KEYWORDS.iter().flat_map(|(_, keywords)| *keywords) {
                    schema.remove(*keyword);
                }
                schema.remove("enum");
                schema.remove("format");
                schema.insert("oneOf".into(), Value::Sequence(members));
            }
        }
    }
}

/// The keywords that apply to one type only, moved into that type's member of a union.
const TYPE_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "string",
        &[
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
        ],
    ),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        "array",
        &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
        ],
    ),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "patternProperties",
        ],
    ),
];

/// The member of a `type: [..]` union for type `t`: the type with its own keywords, `format`
/// where it fits the type, and the `enum` values of the type.
fn type_member(t: &str, schema: &Mapping) -> Mapping {
    let mut member = Mapping::new();
    member.insert("type".into(), t.into());
    let family = if t == "integer" { "number" } else { t };
    for (owner, keywords) in TYPE_KEYWORDS {
        if *owner == family {
            for keyword in *keywords {
                if let Some(value) = schema.get(*keyword) {
                    member.insert((*keyword).into(), value.clone());
                }
            }
        }
    }
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        let numeric = matches!(format, "int32" | "int64" | "float" | "double");
        if numeric == (family == "number") && matches!(family, "number" | "string") {
            member.insert("format".into(), format.into());
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_sequence) {
        let mine: Vec<Value> = values
            .iter()
            .filter(|v| match t {
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_bool(),
                _ => false,
            })
            .cloned()
            .collect();
        if !mine.is_empty() {
            member.insert("enum".into(), Value::Sequence(mine));
        }
    }
    member
}

/// Whether a schema allows only `null`: `{type: 'null'}`, `{type: ['null']}`, `{const: null}`,
/// `{enum: [null]}` (descriptions and extensions aside).
fn only_null(schema: &Value) -> bool {
    let Some(schema) = schema.as_mapping() else {
        return false;
    };
    let mut says_null = false;
    for (key, value) in schema {
        let key = key.as_str().unwrap_or_default();
        match key {
            "type" => {
                says_null = match value {
                    Value::String(t) => t == "null",
                    Value::Sequence(list) => list.len() == 1 && list[0].as_str() == Some("null"),
                    _ => false,
                };
                if !says_null {
                    return false;
                }
            }
            "const" if value.is_null() => says_null = true,
            "enum"
                if value
                    .as_sequence()
                    .is_some_and(|l| l.len() == 1 && l[0].is_null()) =>
            {
                says_null = true
            }
            "description" | "title" | "$comment" | "nullable" => {}
            _ if key.starts_with("x-") => {}
            _ => return false,
        }
    }
    says_null
}

/// `const: v` -> `enum: [v]` when the value is a string or an integer (the IR's enums), with
/// its type; any other value keeps only its type (the ledger reports the `const`).
fn const_to_enum(schema: &mut Mapping) {
    let Some(value) = schema.remove("const") else {
        return;
    };
    let typ = match &value {
        Value::String(_) => "string",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Bool(_) => "boolean",
        Value::Sequence(_) => "array",
        Value::Mapping(_) => "object",
        Value::Null => {
            schema.insert("nullable".into(), Value::Bool(true));
            return;
        }
        Value::Tagged(_) => return,
    };
    if !schema.contains_key("type") {
        schema.insert("type".into(), typ.into());
    }
    if matches!(typ, "string" | "integer") && !schema.contains_key("enum") {
        schema.insert("enum".into(), Value::Sequence(vec![value]));
    }
}

/// `contentEncoding: base64` -> `format: byte`; `contentMediaType` alone (raw content) ->
/// `format: binary`.
fn content_encoding(schema: &mut Mapping) {
    let encoding = schema.remove("contentEncoding");
    let media = schema.remove("contentMediaType");
    if schema.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media) {
        (Some("base64" | "base64url"), _) => "byte",
        (None, Some(_)) => "binary",
        _ => return,
    };
    schema.insert("format".into(), format.into());
}

/// A `$ref` beside other keywords: 3.1 applies both. A sibling `type` only narrows (it makes
/// nothing nullable) and is dropped; others make `allOf: [{$ref}]` beside them, except in a
/// union member (the variant is the referenced type, named after it) and where they say
/// nothing the IR reads (examples, comments, extensions).
fn reference_siblings(schema: &mut Mapping, parent: &str) {
    let Some(reference) = schema.get("$ref").cloned() else {
        return;
    };
    schema.remove("type");
    let meaningful = schema.keys().any(|key| {
        let key = key.as_str().unwrap_or_default();
        !matches!(
            key,
            "$ref" | "example" | "default" | "$comment" | "externalDocs"
        ) && !key.starts_with("x-")
    });
    if !meaningful {
        return;
    }
    if matches!(parent, "oneOf" | "anyOf") {
        schema.retain(|key, _| key.as_str() == Some("$ref"));
        return;
    }
    schema.remove("$ref");
    let mut target = Mapping::new();
    target.insert("$ref".into(), reference);
    match schema.get_mut("allOf").and_then(Value::as_sequence_mut) {
        Some(all_of) => all_of.insert(0, Value::Mapping(target)),
        None => {
            schema.insert(
                "allOf".into(),
                Value::Sequence(vec![Value::Mapping(target)]),
            );
        }
    }
}

/// Moves the `$defs` collected by the schema pass into `components/schemas`, under their own
/// name when it is free (else the name with a number), normalizes them where they were
/// written, and rewrites the references to them.
fn hoist_definitions(tree: &mut Value, state: &mut State) {
    let mut moved: Vec<(String, String)> = Vec::new();
    while !state.definitions.is_empty() {
        let pending = std::mem::take(&mut state.definitions);
        for (pointer, name, mut schema) in pending {
            walk_schema_mut(&pointer, &mut schema, &mut |p, s| state.schema(p, s));
            let Some(root) = tree.as_mapping_mut() else {
                return;
            };
            let components = root
                .entry("components".into())
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            let Some(components) = components.as_mapping_mut() else {
                return;
            };
            let schemas = components
                .entry("schemas".into())
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            let Some(schemas) = schemas.as_mapping_mut() else {
                return;
            };
            let free = std::iter::once(name.clone())
                .chain((2..).map(|n| format!("{name}{n}")))
                .find(|candidate| !schemas.contains_key(candidate.as_str()))
                .expect("an unbounded sequence of names has a free one");
            schemas.insert(free.clone().into(), schema);
            moved.push((pointer, crate::resolve::join("#/components/schemas", &free)));
        }
    }
    if moved.is_empty() {
        return;
    }
    // Longest first, so a nested definition's reference is not caught by its parent's.
    moved.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    rewrite_references(tree, &moved);
}

/// A `$ref` to a place inside a schema (`#/components/schemas/Event/properties/items`, which
/// 3.1 documents write where JSON Schema allows any pointer) names a copy of that schema,
/// added to `components/schemas` (the IR names components; its inline types are not
/// reachable by reference). The copy has the shape of the original, so the two make one type.
fn hoist_deep_references(tree: &mut Value) {
    let mut targets: Vec<String> = Vec::new();
    collect_deep_references(tree, &mut targets);
    if targets.is_empty() {
        return;
    }
    targets.sort();
    targets.dedup();
    let mut moved = Vec::new();
    for target in targets {
        let Some(schema) = lookup(tree, &target).filter(|v| v.is_mapping()).cloned() else {
            continue;
        };
        let Some(schemas) = tree
            .get_mut("components")
            .and_then(|c| c.get_mut("schemas"))
            .and_then(Value::as_mapping_mut)
        else {
            continue;
        };
        let tokens: Vec<String> = target
            .trim_start_matches("#/components/schemas/")
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .filter(|t| !matches!(t.as_str(), "properties" | "$defs" | "definitions"))
            .map(|t| t.replace(['/', '~'], "_"))
            .collect();
        let name = tokens.join("_");
        let free = std::iter::once(name.clone())
            .chain((2..).map(|n| format!("{name}{n}")))
            .find(|candidate| !schemas.contains_key(candidate.as_str()))
            .expect("an unbounded sequence of names has a free one");
        schemas.insert(free.clone().into(), schema);
        moved.push((target, crate::resolve::join("#/components/schemas", &free)));
    }
    // Only exact references are rewritten here: a reference deeper still is its own target.
    rewrite_exact_references(tree, &moved);
}

/// `$ref`s into a component schema (below its top level).
fn collect_deep_references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    (Some("$ref"), Value::String(reference)) => {
                        if reference
                            .strip_prefix("#/components/schemas/")
                            .is_some_and(|rest| rest.contains('/'))
                        {
                            found.push(reference.clone());
                        }
                    }
                    _ => collect_deep_references(child, found),
                }
            }
        }
        Value::Sequence(list) => list.iter().for_each(|c| collect_deep_references(c, found)),
        _ => {}
    }
}

/// The value at a `#/...` pointer.
fn lookup<'a>(tree: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut value = tree;
    for token in pointer.strip_prefix("#/")?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        value = match value {
            Value::Mapping(map) => map.get(token.as_str())?,
            Value::Sequence(list) => list.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

fn rewrite_exact_references(value: &mut Value, moved: &[(String, String)]) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), child) {
                    (Some("$ref"), Value::String(reference)) => {
                        if let Some((_, to)) = moved.iter().find(|(from, _)| from == reference) {
                            *reference = to.clone();
                        }
                    }
                    (_, child) => rewrite_exact_references(child, moved),
                }
            }
        }
        Value::Sequence(list) => list
            .iter_mut()
            .for_each(|c| rewrite_exact_references(c, moved)),
        _ => {}
    }
}

/// Every `$ref` string in the tree that names a moved place (or a place inside it) names
/// its new place.
fn rewrite_references(value: &mut Value, moved: &[(String, String)]) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                if key.as_str() == Some("$ref") {
                    if let Value::String(reference) = child {
                        for (from, to) in moved {
                            if let Some(rest) = reference.strip_prefix(from.as_str()) {
                                if rest.is_empty() || rest.starts_with('/') {
                                    *reference = format!("{to}{rest}");
                                    break;
                                }
                            }
                        }
                    }
                } else {
                    rewrite_references(child, moved);
                }
            }
        }
        Value::Sequence(list) => list
            .iter_mut()
            .for_each(|child| rewrite_references(child, moved)),
        _ => {}
    }
}

/// The last two tokens of a pointer (`properties`, `name` for `.../properties/name`).
fn parent_tokens(pointer: &str) -> (&str, &str) {
    let (rest, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let parent = rest.rsplit_once('/').map_or(rest, |(_, p)| p);
    (parent, last)
}

/// Whether the typed model reads the schema at this place (so a boolean there must become a
/// mapping): `items`, `not`, a property, a member of `allOf`/`oneOf`/`anyOf`, a component,
/// a parameter's or media type's schema.
fn typed_position(parent: &str, last: &str) -> bool {
    matches!(last, "items" | "not" | "schema")
        || matches!(
            parent,
            "properties" | "allOf" | "oneOf" | "anyOf" | "schemas"
        )
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        _ => "(not a scalar)".to_string(),
    }
}

/// Rewrites a 3.0 document (`text`, YAML or JSON) as the 3.1 document that describes the same
/// API, as YAML: `nullable` becomes a `"null"` type (or a `{type: 'null'}` member beside a
/// reference), boolean exclusive bounds numbers, `example` an `examples` list, a string enum
/// of one value a `const`, `format: byte`/`binary` `contentEncoding`/`contentMediaType`.
/// Keywords beside a `$ref`, which 3.0 ignores, are dropped (3.1 would apply them).
pub fn upgrade(text: &str) -> Result<String, String> {
    let mut tree: Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    if !tree
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.0"))
    {
        return Err("not an OpenAPI 3.0 document".to_string());
    }
    if let Some(root) = tree.as_mapping_mut() {
        root.insert("openapi".into(), "3.1.0".into());
    }
    walk_mut(&mut tree, &mut |_, schema| upgrade_schema(schema));
    serde_yaml::to_string(&tree).map_err(|e| e.to_string())
}

fn upgrade_schema(value: &mut Value) {
    let Some(schema) = value.as_mapping_mut() else {
        return;
    };
    if schema.contains_key("$ref") {
        schema.retain(|key, _| key.as_str() == Some("$ref"));
        return;
    }
    if let Some(Value::Bool(nullable)) = schema.remove("nullable") {
        if nullable {
            let null = || {
                let mut null = Mapping::new();
                null.insert("type".into(), "null".into());
                Value::Mapping(null)
            };
            let single_all_of = schema
                .get("allOf")
                .and_then(Value::as_sequence)
                .is_some_and(|l| l.len() == 1);
            if let Some(Value::String(t)) = schema.get("type").cloned() {
                schema.insert(
                    "type".into(),
                    Value::Sequence(vec![t.into(), "null".into()]),
                );
            } else if single_all_of
                && !schema.contains_key("anyOf")
                && !schema.contains_key("oneOf")
            {
                let mut members = schema
                    .remove("allOf")
                    .and_then(|v| v.as_sequence().cloned())
                    .unwrap_or_default();
                members.push(null());
                schema.insert("anyOf".into(), Value::Sequence(members));
            } else if let Some(members) = ["oneOf", "anyOf"]
                .into_iter()
                .find(|k| schema.contains_key(*k))
                .and_then(|k| schema.get_mut(k))
                .and_then(Value::as_sequence_mut)
            {
                members.push(null());
            } else {
                // No type to add `"null"` to: 3.1 has no way to say it that the 3.0 reading
                // would give back, so `nullable` stays (the 3.1 reading honours it).
                schema.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match schema.get(exclusive) {
            Some(Value::Bool(true)) => {
                if let Some(limit) = schema.remove(bound) {
                    schema.insert(exclusive.into(), limit);
                } else {
                    schema.remove(exclusive);
                }
            }
            Some(Value::Bool(false)) => {
                schema.remove(exclusive);
            }
            _ => {}
        }
    }
    if let Some(example) = schema.remove("example") {
        schema.insert("examples".into(), Value::Sequence(vec![example]));
    }
    let one_string = schema
        .get("enum")
        .and_then(Value::as_sequence)
        .filter(|l| l.len() == 1 && l[0].is_string())
        .map(|l| l[0].clone());
    if let (Some(value), Some("string")) = (one_string, schema.get("type").and_then(Value::as_str))
    {
        schema.remove("enum");
        schema.insert("const".into(), value);
    }
    match schema.get("format").and_then(Value::as_str) {
        Some("byte") => {
            schema.remove("format");
            schema.insert("contentEncoding".into(), "base64".into());
        }
        Some("binary") => {
            schema.remove("format");
            schema.insert("contentMediaType".into(), "application/octet-stream".into());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(yaml: &str) -> (Value, Vec<(String, String)>) {
        let mut tree: Value = serde_yaml::from_str(yaml).unwrap();
        let warnings = normalize(&mut tree);
        (tree, warnings)
    }

    fn schema<'a>(tree: &'a Value, name: &str) -> &'a Value {
        &tree["components"]["schemas"][name]
    }

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    const HEAD: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n";

    #[test]
    fn type_lists_and_null_members() {
        let (tree, warnings) = normalized(&format!(
            "{HEAD}components:
  schemas:
    A: {{type: [string, 'null'], format: date}}
    B: {{anyOf: [{{$ref: '#/components/schemas/A'}}, {{type: 'null'}}], description: B}}
    C: {{type: [integer, string], format: int64, enum: [1, a]}}
    D: {{type: 'null'}}
    E: {{oneOf: [{{type: 'null'}}, {{$ref: '#/components/schemas/A'}}, {{type: integer}}]}}
"
        ));
        assert_eq!(
            schema(&tree, "A"),
            &yaml("{type: string, format: date, nullable: true}")
        );
        assert_eq!(
            schema(&tree, "B"),
            &yaml("{description: B, nullable: true, allOf: [{$ref: '#/components/schemas/A'}]}")
        );
        assert_eq!(
            schema(&tree, "C"),
            &yaml(
                "{oneOf: [{type: integer, format: int64, enum: [1]}, {type: string, enum: [a]}]}"
            )
        );
        assert_eq!(schema(&tree, "D"), &yaml("{nullable: true}"));
        assert_eq!(
            schema(&tree, "E"),
            &yaml("{oneOf: [{$ref: '#/components/schemas/A'}, {type: integer}], nullable: true}")
        );
        assert_eq!(
            warnings,
            [(
                "#/components/schemas/D/type".to_string(),
                "a schema that allows only `null` has no Rust type of its own; it is typed as any JSON value, optional".to_string()
            )]
        );
    }

    #[test]
    fn reference_siblings_narrow_or_document() {
        let (tree, _) = normalized(&format!(
            "{HEAD}components:
  schemas:
    A: {{type: object}}
    P:
      type: object
      properties:
        a: {{$ref: '#/components/schemas/A', description: The A.}}
        b: {{$ref: '#/components/schemas/A', type: ['object', 'null']}}
        c: {{$ref: '#/components/schemas/A', examples: [1]}}
    U: {{oneOf: [{{$ref: '#/components/schemas/A', description: x}}, {{type: string}}]}}
"
        ));
        let p = &schema(&tree, "P")["properties"];
        assert_eq!(
            p["a"],
            yaml("{description: The A., allOf: [{$ref: '#/components/schemas/A'}]}")
        );
        assert_eq!(
            p["b"],
            yaml("{$ref: '#/components/schemas/A'}"),
            "not nullable"
        );
        assert_eq!(p["c"], yaml("{$ref: '#/components/schemas/A', example: 1}"));
        assert_eq!(
            schema(&tree, "U")["oneOf"][0],
            yaml("{$ref: '#/components/schemas/A'}")
        );
    }

    #[test]
    fn values_bounds_encodings_and_booleans() {
        let (tree, warnings) = normalized(&format!(
            "{HEAD}components:
  schemas:
    K: {{const: on}}
    N: {{type: integer, exclusiveMinimum: 0, exclusiveMaximum: 10, examples: [5, 6]}}
    F: {{type: string, contentEncoding: base64}}
    G: {{type: string, contentMediaType: image/png}}
    T: {{type: array, prefixItems: [{{type: string}}], items: false}}
    Y: true
    O:
      type: object
      additionalProperties: false
      properties:
        never: false
"
        ));
        assert_eq!(schema(&tree, "K"), &yaml("{type: string, enum: ['on']}"));
        assert_eq!(
            schema(&tree, "N"),
            &yaml("{type: integer, exclusiveMinimum: true, exclusiveMaximum: true, example: 5, minimum: 0, maximum: 10}")
        );
        assert_eq!(schema(&tree, "F"), &yaml("{type: string, format: byte}"));
        assert_eq!(schema(&tree, "G"), &yaml("{type: string, format: binary}"));
        assert_eq!(schema(&tree, "T"), &yaml("{type: array, items: {}}"));
        assert_eq!(schema(&tree, "Y"), &yaml("{}"));
        assert_eq!(
            schema(&tree, "O"),
            &yaml("{type: object, additionalProperties: false, properties: {never: {}}}")
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].0, "#/components/schemas/O/properties/never");
    }

    #[test]
    fn definitions_are_hoisted_and_references_follow() {
        let (tree, _) = normalized(&format!(
            "{HEAD}paths:
  /a:
    get:
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                $defs:
                  Item: {{type: object, $defs: {{Inner: {{type: string}}}}, properties: {{i: {{$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema/$defs/Item/$defs/Inner'}}}}}}
                type: array
                items: {{$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema/$defs/Item'}}
components:
  schemas:
    Item: {{type: integer}}
"
        ));
        let schemas = &tree["components"]["schemas"];
        assert_eq!(
            tree["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["items"],
            yaml("{$ref: '#/components/schemas/Item2'}")
        );
        assert_eq!(
            schemas["Item2"]["properties"]["i"],
            yaml("{$ref: '#/components/schemas/Inner'}")
        );
        assert_eq!(schemas["Inner"], yaml("{type: string}"));
    }

    #[test]
    fn document_level_keywords() {
        let (tree, warnings) = normalized(
            "openapi: 3.1.0
jsonSchemaDialect: https://json-schema.org/draft/2020-12/schema
info: {title: T, version: '1', summary: Short., license: {name: MIT, identifier: MIT}}
webhooks:
  newPet: {post: {responses: {'200': {description: OK}}}}
components:
  pathItems:
    Pets: {get: {responses: {'200': {description: OK}}}}
",
        );
        assert_eq!(tree["openapi"], yaml("3.0.3"));
        assert_eq!(tree["info"]["description"], yaml("Short."));
        assert_eq!(
            tree["info"]["license"],
            yaml("{name: MIT, url: 'https://spdx.org/licenses/MIT.html'}")
        );
        assert_eq!(tree["paths"], yaml("{}"));
        assert!(tree.get("webhooks").is_none());
        let pointers: Vec<&str> = warnings.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(pointers, ["#/jsonSchemaDialect", "#/webhooks/newPet"]);
    }

    #[test]
    fn path_item_references_are_inlined() {
        let (tree, _) = normalized(&format!(
            "{HEAD}paths:
  /pets: {{$ref: '#/components/pathItems/Pets', summary: Pets}}
components:
  pathItems:
    Pets: {{get: {{operationId: listPets, responses: {{'200': {{description: OK}}}}}}}}
"
        ));
        assert_eq!(
            tree["paths"]["/pets"],
            yaml("{get: {operationId: listPets, responses: {'200': {description: OK}}}, summary: Pets}")
        );
    }

    #[test]
    fn upgrade_then_normalize_gives_the_document_back() {
        let original = "openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    A: {type: string, nullable: true, example: x, format: byte}
    B: {allOf: [{$ref: '#/components/schemas/A'}], nullable: true}
    C: {type: integer, minimum: 1, exclusiveMinimum: true}
    D: {type: string, enum: [only]}
";
        let upgraded = upgrade(original).unwrap();
        let mut tree: Value = serde_yaml::from_str(&upgraded).unwrap();
        assert_eq!(tree["openapi"], yaml("3.1.0"));
        assert!(normalize(&mut tree).is_empty());
        let schemas = &tree["components"]["schemas"];
        assert_eq!(
            schemas["A"],
            yaml("{type: string, nullable: true, example: x, format: byte}")
        );
        assert_eq!(
            schemas["B"],
            yaml("{nullable: true, allOf: [{$ref: '#/components/schemas/A'}]}")
        );
        assert_eq!(
            schemas["C"],
            yaml("{type: integer, exclusiveMinimum: true, minimum: 1}")
        );
        assert_eq!(schemas["D"], yaml("{type: string, enum: [only]}"));
    }
}
