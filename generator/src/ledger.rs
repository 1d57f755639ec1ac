//! The keyword ledger: every keyword of every schema is either used by the intermediate
//! representation or reported, so nothing the document says is dropped in silence.
//!
//! The typed model (`openapiv3`) keeps only `x-` extensions and drops keys it does not know,
//! so the ledger reads the raw tree ([`crate::load::Document::raw`]) through
//! [`crate::schema_walk::walk`]. Each keyword falls in one class of [`classify`], the one place
//! that lists them:
//!
//! - **used**: the IR reads it (the comment beside each names the IR field it decides);
//! - **documentation**: `example`, `examples`, `default`, `externalDocs`, `$comment` describe
//!   values without changing what goes on the wire or how it is decoded, so they are not
//!   counted. `default` in particular is what the *server* assumes when a key is absent: the
//!   client sends nothing for `None`, so the server applies it itself, and a decoded absent
//!   key stays `None`, which round-trips;
//! - **vendor extensions** (`x-*`): meant for other tools, silent;
//! - **validation**: constraints on values the client does not check (`maxLength`,
//!   `pattern`, ...): counted and reported as one informational line per document, at the
//!   file level, since one line per occurrence would bury everything else;
//! - **ignored**: what the IR cannot express, and unknown keys (typos such as `propertys`):
//!   one located warning per keyword per schema, saying what the generated code does instead.
//!
//! In an OpenAPI 3.1 document the ledger reads the document as written (not its 3.0 rewrite,
//! see [`crate::openapi31`]), so 3.1 keywords are reported at their lines; [`classify_31`]
//! says what differs from 3.0 (`const`, `$defs`, `contentEncoding` are read; a reference's
//! siblings are applied).
//!
//! Some used keywords are ignored in a context, and reported there: any keyword beside `$ref`
//! (OpenAPI 3.0 ignores a reference's siblings, and so does the typed model), `discriminator`
//! without `oneOf`/`anyOf`, `enum` of numbers or booleans. `not` alone in a schema is read as
//! such by the typed model and `model` warns about it where it converts it; the ledger reports
//! only a `not` beside other keywords, which the typed model drops.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Location, Warning};
use crate::load::Document;

/// What the ledger found in one document.
#[derive(Debug, Default)]
pub struct Ledger {
    /// One located warning per ignored keyword per schema, in document order, then the one
    /// line for validation keywords, if any.
    pub warnings: Vec<Warning>,
    /// Keyword occurrences the generated code does not express (each in a warning; `then`
    /// and `else` share the warning of their `if`).
    pub ignored: usize,
    /// Validation keyword occurrences (not checked by the client), grouped in one warning.
    pub unchecked: usize,
}

/// How the generator treats a schema keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Used,
    Documentation,
    Validation,
    /// Not expressed by the generated code; the text says what it does instead.
    Ignored(&'static str),
    /// Not a schema keyword of OpenAPI 3.0, nor one of JSON Schema the ledger knows.
    Unknown,
}

/// The one list of schema keywords and what becomes of each.
fn classify(keyword: &str) -> Class {
    use Class::*;
    match keyword {
        // Used by the IR (`model`), with the field each decides:
        "type" => Used,                 // TypeKind / TypeRef: which Rust type
        "format" => Used, // TypeRef::{Date, DateTime, Bytes}, IntegerKind, NumberKind (unknown formats are warned by `model`)
        "properties" => Used, // Struct::fields
        "required" => Used, // Field::presence
        "nullable" => Used, // Field::presence (RequiredNullable, OptionalNullable)
        "readOnly" => Used, // Field::read_only
        "deprecated" => Used, // Field::deprecated
        "items" => Used,  // TypeRef::Array
        "additionalProperties" => Used, // Struct::additional, TypeRef::Map, TypeRef::Object
        "enum" => Used,   // TypeKind::Enum (strings and integers; see `in_context`)
        "allOf" => Used,  // one Struct merged from the members
        "oneOf" | "anyOf" => Used, // TypeKind::Union
        "discriminator" => Used, // Union::discriminator, UnionVariant::tags (see `in_context`)
        "title" | "description" => Used, // TypeDef::doc, Field::doc
        "$ref" => Used,   // TypeRef::Named

        // Documentation: describes values, changes nothing on the wire (see the module docs).
        "example" | "examples" | "default" | "externalDocs" | "$comment" => Documentation,

        // Validation only: the client sends and accepts values without checking these.
        "maxLength" | "minLength" | "pattern" | "minimum" | "maximum" | "exclusiveMinimum"
        | "exclusiveMaximum" | "multipleOf" | "minItems" | "maxItems" | "uniqueItems" => Validation,

        // Not expressed by the generated code.
        "not" => Ignored("`not` cannot be expressed as a Rust type; it is ignored and the rest of the schema is used"),
        "writeOnly" => Ignored("`writeOnly` is not modelled: the property is expected in responses too (decoding fails if it is required and the server leaves it out)"),
        "minProperties" => Ignored("`minProperties` is not checked by the client"),
        "maxProperties" => Ignored("`maxProperties` is not checked by the client"),
        "xml" => Ignored("`xml` is not modelled: bodies are JSON, XML names, namespaces and wrapping are not applied"),
        // JSON Schema keywords OpenAPI 3.0 does not have (3.1 does; see `classify_31` for
        // what a 3.1 document's are).
        "patternProperties" => Ignored("`patternProperties` is not modelled: keys matching it are kept among the undeclared properties (`additional_properties`) as JSON values"),
        "if" | "then" | "else" => Ignored("`if`/`then`/`else` is not modelled: the conditional schemas are not applied; values are typed by the rest of the schema"),
        "const" => Ignored("`const` is not an OpenAPI 3.0 keyword: any value of the schema's type is accepted (a one-value `enum` says the same in 3.0)"),
        "dependentRequired" => Ignored("`dependentRequired` is not checked by the client"),
        "dependentSchemas" => Ignored("`dependentSchemas` is not modelled: the dependent schemas are not applied"),
        "unevaluatedProperties" => Ignored("`unevaluatedProperties` is not modelled: undeclared properties are handled as `additionalProperties` says"),
        "unevaluatedItems" => Ignored("`unevaluatedItems` is not modelled: array items are typed by `items` alone"),
        "prefixItems" => Ignored("`prefixItems` is not modelled (OpenAPI 3.0 has no tuples): every item is typed by `items`"),
        "additionalItems" => Ignored("`additionalItems` is not modelled: every item is typed by `items`"),
        "contains" | "minContains" | "maxContains" => Ignored("`contains` is not checked by the client"),
        "propertyNames" => Ignored("`propertyNames` is not checked by the client"),
        "$defs" | "definitions" => Ignored("schemas under `$defs` are not generated and cannot be referenced; put them under `components/schemas`"),
        "$id" | "$schema" | "$anchor" | "$dynamicRef" | "$dynamicAnchor" | "$vocabulary" => Ignored("this JSON Schema keyword is not part of OpenAPI 3.0; it is ignored"),
        _ => Unknown,
    }
}

/// What an OpenAPI 3.1 document's keywords become where that differs from 3.0 (see
/// [`crate::openapi31`], which rewrites them before the typed read); `None`: as in 3.0.
fn classify_31(keyword: &str) -> Option<Class> {
    use Class::*;
    Some(match keyword {
        "const" => Used,                                   // TypeKind::Enum of one value (see `in_context_31`)
        "$defs" | "definitions" => Used, // hoisted into `components/schemas`
        "contentEncoding" | "contentMediaType" => Used, // TypeRef::Bytes (`format: byte`/`binary`)
        "prefixItems" => Ignored("`prefixItems` (a tuple) is not modelled: every item is typed by `items`, or is any JSON value when `items` is absent"),
        "contentSchema" => Ignored("`contentSchema` is not modelled: the encoded content is a string to the client"),
        "$id" | "$schema" | "$anchor" | "$dynamicRef" | "$dynamicAnchor" | "$vocabulary" => {
            Ignored("this JSON Schema keyword is not modelled; it is ignored")
        }
        _ => return None,
    })
}

/// The keys that make the typed model read a schema as something other than a lone `not`.
const BESIDE_NOT: &[&str] = &[
    "type",
    "pattern",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minimum",
    "maximum",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "format",
    "minLength",
    "maxLength",
    "oneOf",
    "allOf",
    "anyOf",
];

/// Runs the ledger over every schema of `document`.
pub fn audit(document: &Document) -> Ledger {
    let mut ledger = Ledger::default();
    // Validation keyword -> occurrences.
    let mut unchecked: BTreeMap<&str, usize> = BTreeMap::new();
    // (pointer of the keyword, message), located after the walk: locating scans the text.
    let mut reports: Vec<(String, String)> = Vec::new();
    let v31 = crate::openapi31::is_31(&document.raw);
    crate::schema_walk::walk(&document.raw, &mut |pointer, schema| {
        audit_schema(
            pointer,
            schema,
            v31,
            &mut ledger,
            &mut unchecked,
            &mut reports,
        );
    });
    // One locator for all: reports come in document order and share prefixes, so each
    // finds its line by scanning on from the last, not from the top of the text.
    let mut locator = crate::resolve::Locator::new(&document.text);
    ledger.warnings = reports
        .into_iter()
        .map(|(pointer, message)| Warning {
            location: Location {
                file: document.file.clone(),
                // Where the scan cannot find the keyword itself (inside a flow mapping), the
                // line of the nearest enclosing place it finds.
                line: locator
                    .line(&pointer)
                    .or_else(|| document.locate(&pointer).line),
                pointer,
                column: None,
            },
            message,
        })
        .collect();
    ledger.unchecked = unchecked.values().sum();
    if !unchecked.is_empty() {
        let mut counts: Vec<(&str, usize)> = unchecked.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let list: Vec<String> = counts
            .iter()
            .map(|(keyword, count)| format!("{keyword} ×{count}"))
            .collect();
        ledger.warnings.push(Warning {
            location: Location {
                file: document.file.clone(),
                pointer: String::new(),
                line: None,
                column: None,
            },
            message: format!(
                "validation keywords are not checked by the client (values are sent and accepted as they are): {}",
                list.join(", ")
            ),
        });
    }
    ledger
}

fn audit_schema<'a>(
    pointer: &str,
    schema: &'a Mapping,
    v31: bool,
    ledger: &mut Ledger,
    unchecked: &mut BTreeMap<&'a str, usize>,
    reports: &mut Vec<(String, String)>,
) {
    let has = |key: &str| schema.contains_key(key);
    let has_ref = has("$ref");
    for key in schema.keys() {
        let Some(keyword) = key.as_str() else {
            continue;
        };
        if keyword.starts_with("x-") {
            continue;
        }
        let class = match v31.then(|| classify_31(keyword)).flatten() {
            Some(class) => class,
            None => classify(keyword),
        };
        let message = match class {
            Class::Documentation => continue,
            Class::Validation => {
                *unchecked.entry(keyword).or_insert(0) += 1;
                continue;
            }
            // 3.1 applies a reference's siblings: `openapi31` keeps them beside the reference
            // (`allOf`), except in a union member, whose type is the referenced schema.
            Class::Used if v31 && has_ref => match reference_sibling_31(pointer, keyword) {
                Some(message) => message,
                None => continue,
            },
            Class::Used if v31 => match in_context_31(keyword, schema) {
                Some(message) => message.to_string(),
                None => continue,
            },
            Class::Used if has_ref && !matches!(keyword, "$ref" | "title" | "description") => {
                format!("`{keyword}` beside `$ref` is ignored (OpenAPI 3.0 ignores the siblings of a reference): the referenced schema is used as it is; wrap the reference in `allOf` to add to it")
            }
            Class::Used => match in_context(keyword, schema) {
                Some(message) => message.to_string(),
                None => continue,
            },
            Class::Ignored(_)
                if keyword == "not" && !has_ref && !BESIDE_NOT.iter().any(|k| has(k)) =>
            {
                // A lone `not`: the typed model reads it and `model` warns where it is used.
                continue;
            }
            Class::Ignored(_) if matches!(keyword, "then" | "else") && has("if") => {
                // Counted, and reported with their `if`.
                ledger.ignored += 1;
                continue;
            }
            Class::Ignored(message) => message.to_string(),
            Class::Unknown => format!(
                "`{keyword}` is not an OpenAPI {} schema keyword; it is ignored (a misspelling? vendor extensions start with `x-`)",
                if v31 { "3.1" } else { "3.0" }
            ),
        };
        ledger.ignored += 1;
        reports.push((crate::resolve::join(pointer, keyword), message));
    }
}

/// Why a keyword beside `$ref` in a 3.1 document is ignored, if it is: only in a member of
/// `oneOf`/`anyOf`, whose variant is the referenced type (a sibling `type` only narrows the
/// reference and says nothing more).
fn reference_sibling_31(pointer: &str, keyword: &str) -> Option<String> {
    let parent = pointer.rsplit('/').nth(1).unwrap_or_default();
    (matches!(parent, "oneOf" | "anyOf") && !matches!(keyword, "$ref" | "type")).then(|| {
        format!("`{keyword}` beside `$ref` in a `{parent}` member is ignored: the variant is the referenced schema as it is; wrap the reference in `allOf` to add to it")
    })
}

/// [`in_context`] for 3.1 documents: the same, and `const` of a value that is not a string
/// or an integer (the IR's enums).
fn in_context_31(keyword: &str, schema: &Mapping) -> Option<&'static str> {
    match (keyword, schema.get("const")) {
        ("const", Some(value)) if !(value.is_string() || value.is_i64() || value.is_u64() || value.is_null()) => Some(
            "`const` of a value that is not a string or an integer is not modelled: any value of its type is accepted",
        ),
        _ => in_context(keyword, schema),
    }
}

/// Why a keyword the IR uses is ignored in this schema, if it is.
fn in_context(keyword: &str, schema: &Mapping) -> Option<&'static str> {
    let typ = schema.get("type").and_then(Value::as_str);
    match keyword {
        "discriminator" if !schema.contains_key("oneOf") && !schema.contains_key("anyOf") => Some(
            "`discriminator` is used only beside `oneOf` or `anyOf`: here it is ignored, and a value is decoded as this schema, not as the schema its property names",
        ),
        "enum" if typ == Some("number") => {
            Some("`enum` of numbers is not modelled: the type is a plain number, any value is accepted")
        }
        "enum" if typ == Some("boolean") => {
            Some("`enum` of booleans is not modelled: the type is `bool`, both values are accepted")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audit_text(yaml: &str) -> (Ledger, Vec<String>) {
        let document = crate::load::load(yaml.as_bytes(), "k.yaml").unwrap();
        let ledger = audit(&document);
        let lines = ledger.warnings.iter().map(|w| w.to_string()).collect();
        (ledger, lines)
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: K, version: '1'}\npaths: {}\n";

    #[test]
    fn each_ignored_keyword_is_reported_once_where_it_is() {
        let (ledger, lines) = audit_text(&format!(
            "{HEAD}components:
  schemas:
    Thing:
      type: object
      minProperties: 1
      patternProperties:
        '^x_': {{type: string}}
      properties:
        name:
          type: string
          xml: {{name: Name}}
        pick:
          type: object
          if: {{required: [a]}}
          then: {{required: [b]}}
          else: {{required: [c]}}
      propertys:
        oops: {{type: string}}
"
        ));
        assert_eq!(
            lines,
            [
                "k.yaml:8 (#/components/schemas/Thing/minProperties): `minProperties` is not checked by the client",
                "k.yaml:9 (#/components/schemas/Thing/patternProperties): `patternProperties` is not modelled: keys matching it are kept among the undeclared properties (`additional_properties`) as JSON values",
                "k.yaml:20 (#/components/schemas/Thing/propertys): `propertys` is not an OpenAPI 3.0 schema keyword; it is ignored (a misspelling? vendor extensions start with `x-`)",
                "k.yaml:14 (#/components/schemas/Thing/properties/name/xml): `xml` is not modelled: bodies are JSON, XML names, namespaces and wrapping are not applied",
                "k.yaml:17 (#/components/schemas/Thing/properties/pick/if): `if`/`then`/`else` is not modelled: the conditional schemas are not applied; values are typed by the rest of the schema",
            ]
        );
        assert_eq!(ledger.ignored, 7, "if, then and else count once each");
        assert_eq!(ledger.unchecked, 0);
    }

    #[test]
    fn validation_keywords_make_one_line_per_document() {
        let (ledger, lines) = audit_text(&format!(
            "{HEAD}components:
  schemas:
    A:
      type: object
      properties:
        code: {{type: string, maxLength: 8, pattern: '^[A-Z]+$'}}
        name: {{type: string, maxLength: 80}}
        tags: {{type: array, items: {{type: string, minLength: 1}}, maxItems: 3}}
        size: {{type: integer, minimum: 0, maximum: 10}}
"
        ));
        assert_eq!(
            lines,
            ["k.yaml: validation keywords are not checked by the client (values are sent and accepted as they are): maxLength ×2, maxItems ×1, maximum ×1, minLength ×1, minimum ×1, pattern ×1"]
        );
        assert_eq!(ledger.ignored, 0);
        assert_eq!(ledger.unchecked, 7);
    }

    #[test]
    fn extensions_documentation_and_used_keywords_are_silent() {
        let (ledger, lines) = audit_text(&format!(
            "{HEAD}components:
  schemas:
    Pet:
      type: object
      title: Pet
      description: A pet.
      required: [name]
      x-internal: true
      externalDocs: {{url: 'https://example.com'}}
      example: {{name: Rex, propertys: 1}}
      properties:
        name: {{type: string, nullable: true, readOnly: true, deprecated: true, default: Rex}}
        kind: {{type: string, enum: [cat, dog], x-enum-varnames: [Cat, Dog]}}
        when: {{type: string, format: date-time}}
        extra: {{type: object, additionalProperties: {{type: integer}}}}
        owner: {{$ref: '#/components/schemas/Owner', description: The owner.}}
    Owner:
      oneOf: [{{$ref: '#/components/schemas/Pet'}}, {{type: string}}]
      discriminator: {{propertyName: kind}}
    Both:
      allOf: [{{$ref: '#/components/schemas/Pet'}}]
"
        ));
        assert!(lines.is_empty(), "{lines:#?}");
        assert_eq!((ledger.ignored, ledger.unchecked), (0, 0));
    }

    #[test]
    fn keywords_in_context() {
        let (_, lines) = audit_text(&format!(
            "{HEAD}components:
  schemas:
    Base:
      type: object
      discriminator: {{propertyName: kind}}
      properties:
        kind:
          type: number
          enum: [1.5, 2.5]
        ref:
          $ref: '#/components/schemas/Base'
          nullable: true
        lone: {{not: {{type: string}}}}
        referenced:
          $ref: '#/components/schemas/Base'
          not: {{type: string}}
        mixed:
          type: string
          not: {{enum: [a]}}
"
        ));
        assert_eq!(
            lines,
            [
                "k.yaml:8 (#/components/schemas/Base/discriminator): `discriminator` is used only beside `oneOf` or `anyOf`: here it is ignored, and a value is decoded as this schema, not as the schema its property names",
                "k.yaml:12 (#/components/schemas/Base/properties/kind/enum): `enum` of numbers is not modelled: the type is a plain number, any value is accepted",
                "k.yaml:15 (#/components/schemas/Base/properties/ref/nullable): `nullable` beside `$ref` is ignored (OpenAPI 3.0 ignores the siblings of a reference): the referenced schema is used as it is; wrap the reference in `allOf` to add to it",
                "k.yaml:19 (#/components/schemas/Base/properties/referenced/not): `not` cannot be expressed as a Rust type; it is ignored and the rest of the schema is used",
                "k.yaml:22 (#/components/schemas/Base/properties/mixed/not): `not` cannot be expressed as a Rust type; it is ignored and the rest of the schema is used",
            ]
        );
    }

    #[test]
    fn a_31_document_is_audited_as_written() {
        let (ledger, lines) = audit_text(
            "openapi: 3.1.0
info: {title: K, version: '1'}
paths: {}
components:
  schemas:
    A:
      type: [object, 'null']
      properties:
        kind: {const: a}
        ratio: {const: 0.5}
        pair: {type: array, prefixItems: [{type: string}]}
        file: {type: string, contentEncoding: base64}
        owner: {$ref: '#/components/schemas/A/$defs/B', description: The owner.}
      $defs:
        B:
          type: object
          xml: {name: b}
",
        );
        assert_eq!(
            lines,
            [
                "k.yaml:10 (#/components/schemas/A/properties/ratio/const): `const` of a value that is not a string or an integer is not modelled: any value of its type is accepted",
                "k.yaml:11 (#/components/schemas/A/properties/pair/prefixItems): `prefixItems` (a tuple) is not modelled: every item is typed by `items`, or is any JSON value when `items` is absent",
                "k.yaml:17 (#/components/schemas/A/$defs/B/xml): `xml` is not modelled: bodies are JSON, XML names, namespaces and wrapping are not applied",
            ],
            "type lists, string consts, $defs, contentEncoding and a reference's description are read"
        );
        assert_eq!(ledger.ignored, 3);
    }
}
