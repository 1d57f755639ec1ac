//! Finds every schema in the raw document tree ([`crate::load::Document::raw`]), wherever the
//! document may put one, and hands each to a visitor with its JSON pointer.
//!
//! The typed model (`openapiv3`) drops keys it does not know, so a pass that must see every
//! keyword of every schema (the keyword ledger, [`crate::ledger`]; the OpenAPI 3.1
//! normalization) reads the raw tree instead, and this module is where such passes learn
//! where schemas are. It knows places, not meanings: it visits `$ref` schemas like any other
//! (their siblings are keywords too) and never follows a reference, so each schema is visited
//! once, where it is written.
//!
//! Places visited, in document order:
//!
//! ```text
//! paths/*/parameters/*                      schema, content/*/schema
//! paths/*/<method>/parameters/*             schema, content/*/schema
//! paths/*/<method>/requestBody              content/*/schema
//! paths/*/<method>/responses/*              content/*/schema, headers/*/schema, headers/*/content/*/schema
//! paths/*/<method>/callbacks/*/*            a path item again
//! webhooks/*                                a path item (OpenAPI 3.1)
//! components/schemas/*
//! components/parameters/*, headers/*        schema, content/*/schema
//! components/requestBodies/*                content/*/schema
//! components/responses/*                    content/*/schema, headers/*/...
//! components/callbacks/*/*, pathItems/*     a path item
//! ```
//!
//! and inside every schema, the subschemas of the keywords in [`SUBSCHEMA`],
//! [`SUBSCHEMA_MAPS`] and [`SUBSCHEMA_LISTS`] (JSON Schema 2020-12's applicators included, so
//! 3.1 documents are covered too). Values that are data rather than schemas (`example`,
//! `examples`, `default`, `enum`, `const`) are never entered, so a property named `items`
//! inside an example is not mistaken for a schema. Boolean schemas (`true`, `false`, valid in
//! 3.1) are not mappings and are not visited.
//!
//! [`walk_mut`] mirrors [`walk`] with `&mut` over the same keyword tables, for passes that
//! change the tree (the 3.1 -> 3.0 normalization, [`crate::openapi31`]), so the two never
//! disagree on where schemas are.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::escape_pointer_token;

/// Keywords whose value is one subschema. `items` may also be a list (draft 4 tuples), and
/// `additionalProperties` a boolean; only mappings are visited.
pub const SUBSCHEMA: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
];

/// Keywords whose value maps names to subschemas.
pub const SUBSCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];

/// Keywords whose value is a list of subschemas.
pub const SUBSCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];

/// The HTTP methods a path item may hold operations under.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Calls `visit(pointer, schema)` for every schema of `document` (the raw tree of a whole
/// OpenAPI document), each before its subschemas, in document order. `pointer` is an
/// RFC 6901 fragment such as `#/components/schemas/Project/properties/code`, ready for
/// [`crate::load::Document::locate`].
pub fn walk<'a>(document: &'a Value, visit: &mut dyn FnMut(&str, &'a Mapping)) {
    let Some(root) = document.as_mapping() else {
        return;
    };
    let mut walker = Walker {
        pointer: String::from("#"),
        visit,
    };
    if let Some(paths) = get_mapping(root, "paths") {
        walker.enter("paths", |w| {
            for (path, item) in paths {
                w.enter_key(path, |w| w.path_item(item));
            }
        });
    }
    if let Some(webhooks) = get_mapping(root, "webhooks") {
        walker.enter("webhooks", |w| {
            for (name, item) in webhooks {
                w.enter_key(name, |w| w.path_item(item));
            }
        });
    }
    let Some(components) = get_mapping(root, "components") else {
        return;
    };
    walker.enter("components", |w| {
        for section in [
            "schemas",
            "parameters",
            "headers",
            "requestBodies",
            "responses",
            "callbacks",
            "pathItems",
        ] {
            let Some(entries) = get_mapping(components, section) else {
                continue;
            };
            w.enter(section, |w| {
                for (name, entry) in entries {
                    w.enter_key(name, |w| match section {
                        "schemas" => w.schema(entry),
                        "parameters" | "headers" => w.parameter(entry),
                        "requestBodies" => w.content_holder(entry),
                        "responses" => w.response(entry),
                        "callbacks" => w.callback(entry),
                        _ => w.path_item(entry),
                    });
                }
            });
        }
    });
}

/// A walker that keeps the JSON pointer of the value it is at: both walkers enter keys the
/// same way.
trait Pointed: Sized {
    /// The pointer of the value being looked at; pushed and truncated, never rebuilt.
    fn pointer(&mut self) -> &mut String;

    /// Runs `inner` with `token` appended to the pointer.
    fn enter(&mut self, token: &str, inner: impl FnOnce(&mut Self)) {
        let pointer = self.pointer();
        let length = pointer.len();
        pointer.push('/');
        if token.contains(['~', '/']) {
            pointer.push_str(&escape_pointer_token(token));
        } else {
            pointer.push_str(token);
        }
        inner(self);
        self.pointer().truncate(length);
    }

    /// [`Self::enter`] for a mapping key, which YAML allows to be a number or a boolean
    /// (`200:` for a status code).
    fn enter_key(&mut self, key: &Value, inner: impl FnOnce(&mut Self)) {
        match key {
            Value::String(key) => self.enter(key, inner),
            Value::Number(number) => self.enter(&number.to_string(), inner),
            Value::Bool(flag) => self.enter(if *flag { "true" } else { "false" }, inner),
            _ => {}
        }
    }
}

impl<'a> Pointed for Walker<'a, '_> {
    fn pointer(&mut self) -> &mut String {
        &mut self.pointer
    }
}

impl Pointed for WalkerMut<'_> {
    fn pointer(&mut self) -> &mut String {
        &mut self.pointer
    }
}

struct Walker<'a, 'v> {
    /// The pointer of the value being looked at; pushed and truncated, never rebuilt.
    pointer: String,
    visit: &'v mut dyn FnMut(&str, &'a Mapping),
}

impl<'a> Walker<'a, '_> {
    fn path_item(&mut self, item: &'a Value) {
        let Some(item) = item.as_mapping() else {
            return;
        };
        self.parameters(item);
        for method in METHODS {
            let Some(operation) = get_mapping(item, method) else {
                continue;
            };
            self.enter(method, |w| {
                w.parameters(operation);
                if let Some(body) = operation.get("requestBody") {
                    w.enter("requestBody", |w| w.content_holder(body));
                }
                if let Some(responses) = get_mapping(operation, "responses") {
                    w.enter("responses", |w| {
                        for (status, response) in responses {
                            w.enter_key(status, |w| w.response(response));
                        }
                    });
                }
                if let Some(callbacks) = get_mapping(operation, "callbacks") {
                    w.enter("callbacks", |w| {
                        for (name, callback) in callbacks {
                            w.enter_key(name, |w| w.callback(callback));
                        }
                    });
                }
            });
        }
    }

    fn parameters(&mut self, holder: &'a Mapping) {
        let Some(parameters) = holder.get("parameters").and_then(Value::as_sequence) else {
            return;
        };
        self.enter("parameters", |w| {
            for (index, parameter) in parameters.iter().enumerate() {
                w.enter(&index.to_string(), |w| w.parameter(parameter));
            }
        });
    }

    /// A parameter or a header: `schema`, or `content/*/schema`.
    fn parameter(&mut self, parameter: &'a Value) {
        if let Some(schema) = parameter.get("schema") {
            self.enter("schema", |w| w.schema(schema));
        }
        self.content_holder(parameter);
    }

    fn response(&mut self, response: &'a Value) {
        self.content_holder(response);
        if let Some(headers) = response.get("headers").and_then(Value::as_mapping) {
            self.enter("headers", |w| {
                for (name, header) in headers {
                    w.enter_key(name, |w| w.parameter(header));
                }
            });
        }
    }

    fn callback(&mut self, callback: &'a Value) {
        let Some(callback) = callback.as_mapping() else {
            return;
        };
        for (expression, item) in callback {
            self.enter_key(expression, |w| w.path_item(item));
        }
    }

    /// A request body, response, parameter or header: `content/<media type>/schema`.
    fn content_holder(&mut self, holder: &'a Value) {
        let Some(content) = holder.get("content").and_then(Value::as_mapping) else {
            return;
        };
        self.enter("content", |w| {
            for (media_type, media) in content {
                if let Some(schema) = media.get("schema") {
                    w.enter_key(media_type, |w| w.enter("schema", |w| w.schema(schema)));
                }
            }
        });
    }

    fn schema(&mut self, schema: &'a Value) {
        let Some(schema) = schema.as_mapping() else {
            return;
        };
        (self.visit)(&self.pointer, schema);
        // Only the values of applicator keywords are entered, so a data-valued keyword
        // (`example`, `default`, `enum`, ...) never is.
        for (keyword, value) in schema {
            let Some(keyword) = keyword.as_str() else {
                continue;
            };
            if SUBSCHEMA.contains(&keyword) {
                match value {
                    Value::Sequence(list) => self.enter(keyword, |w| w.schemas(list)),
                    subschema => self.enter(keyword, |w| w.schema(subschema)),
                }
            } else if SUBSCHEMA_MAPS.contains(&keyword) {
                if let Some(map) = value.as_mapping() {
                    self.enter(keyword, |w| {
                        for (name, subschema) in map {
                            w.enter_key(name, |w| w.schema(subschema));
                        }
                    });
                }
            } else if SUBSCHEMA_LISTS.contains(&keyword) {
                if let Some(list) = value.as_sequence() {
                    self.enter(keyword, |w| w.schemas(list));
                }
            }
        }
    }

    fn schemas(&mut self, list: &'a [Value]) {
        for (index, subschema) in list.iter().enumerate() {
            self.enter(&index.to_string(), |w| w.schema(subschema));
        }
    }
}

fn get_mapping<'a>(mapping: &'a Mapping, key: &str) -> Option<&'a Mapping> {
    mapping.get(key).and_then(Value::as_mapping)
}

/// The `&mut` mirror of [`walk`], for passes that change the tree (the OpenAPI 3.1
/// normalization, [`crate::openapi31`]): the same places, the same keyword tables.
/// `visit(pointer, schema)` sees every schema value, booleans included (a 3.1 boolean schema
/// may be replaced by a mapping), each before its subschemas; the subschemas entered are those
/// of the value as `visit` left it, so a keyword it removes is not entered. `webhooks` are
/// not visited (a pass that keeps them can walk them with [`walk_schema_mut`]).
pub fn walk_mut(document: &mut Value, visit: &mut dyn FnMut(&str, &mut Value)) {
    let Some(root) = document.as_mapping_mut() else {
        return;
    };
    let mut walker = WalkerMut {
        pointer: String::from("#"),
        visit,
    };
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_mapping_mut) {
        walker.enter("paths", |w| {
            for (path, item) in paths.iter_mut() {
                w.enter_key(path, |w| w.path_item(item));
            }
        });
    }
    let Some(components) = root.get_mut("components").and_then(Value::as_mapping_mut) else {
        return;
    };
    walker.enter("components", |w| {
        for section in [
            "schemas",
            "parameters",
            "headers",
            "requestBodies",
            "responses",
            "callbacks",
            "pathItems",
        ] {
            let Some(entries) = components.get_mut(section).and_then(Value::as_mapping_mut) else {
                continue;
            };
            w.enter(section, |w| {
                for (name, entry) in entries.iter_mut() {
                    w.enter_key(name, |w| match section {
                        "schemas" => w.schema(entry),
                        "parameters" | "headers" => w.parameter(entry),
                        "requestBodies" => w.content_holder(entry),
                        "responses" => w.response(entry),
                        "callbacks" => w.callback(entry),
                        _ => w.path_item(entry),
                    });
                }
            });
        }
    });
}

/// [`walk_mut`] for one schema whose place is `pointer` (a schema moved elsewhere in the
/// tree is walked under the pointer it was written at, so what is said about it is located
/// in the document as written).
pub fn walk_schema_mut(pointer: &str, schema: &mut Value, visit: &mut dyn FnMut(&str, &mut Value)) {
    let mut walker = WalkerMut {
        pointer: pointer.to_string(),
        visit,
    };
    walker.schema(schema);
}

struct WalkerMut<'v> {
    pointer: String,
    visit: &'v mut dyn FnMut(&str, &mut Value),
}

impl WalkerMut<'_> {
    fn path_item(&mut self, item: &mut Value) {
        let Some(item) = item.as_mapping_mut() else {
            return;
        };
        self.parameters(item);
        for method in METHODS {
            let Some(operation) = item.get_mut(*method).and_then(Value::as_mapping_mut) else {
                continue;
            };
            self.enter(method, |w| {
                w.parameters(operation);
                if let Some(body) = operation.get_mut("requestBody") {
                    w.enter("requestBody", |w| w.content_holder(body));
                }
                if let Some(responses) = operation
                    .get_mut("responses")
                    .and_then(Value::as_mapping_mut)
                {
                    w.enter("responses", |w| {
                        for (status, response) in responses.iter_mut() {
                            w.enter_key(status, |w| w.response(response));
                        }
                    });
                }
                if let Some(callbacks) = operation
                    .get_mut("callbacks")
                    .and_then(Value::as_mapping_mut)
                {
                    w.enter("callbacks", |w| {
                        for (name, callback) in callbacks.iter_mut() {
                            w.enter_key(name, |w| w.callback(callback));
                        }
                    });
                }
            });
        }
    }

    fn parameters(&mut self, holder: &mut Mapping) {
        let Some(parameters) = holder
            .get_mut("parameters")
            .and_then(Value::as_sequence_mut)
        else {
            return;
        };
        self.enter("parameters", |w| {
            for (index, parameter) in parameters.iter_mut().enumerate() {
                w.enter(&index.to_string(), |w| w.parameter(parameter));
            }
        });
    }

    fn parameter(&mut self, parameter: &mut Value) {
        if let Some(schema) = parameter.get_mut("schema") {
            self.enter("schema", |w| w.schema(schema));
        }
        self.content_holder(parameter);
    }

    fn response(&mut self, response: &mut Value) {
        self.content_holder(response);
        if let Some(headers) = response.get_mut("headers").and_then(Value::as_mapping_mut) {
            self.enter("headers", |w| {
                for (name, header) in headers.iter_mut() {
                    w.enter_key(name, |w| w.parameter(header));
                }
            });
        }
    }

    fn callback(&mut self, callback: &mut Value) {
        let Some(callback) = callback.as_mapping_mut() else {
            return;
        };
        for (expression, item) in callback.iter_mut() {
            self.enter_key(expression, |w| w.path_item(item));
        }
    }

    fn content_holder(&mut self, holder: &mut Value) {
        let Some(content) = holder.get_mut("content").and_then(Value::as_mapping_mut) else {
            return;
        };
        self.enter("content", |w| {
            for (media_type, media) in content.iter_mut() {
                if let Some(schema) = media.get_mut("schema") {
                    w.enter_key(media_type, |w| w.enter("schema", |w| w.schema(schema)));
                }
            }
        });
    }

    fn schema(&mut self, schema: &mut Value) {
        (self.visit)(&self.pointer, schema);
        let Some(schema) = schema.as_mapping_mut() else {
            return;
        };
        for (keyword, value) in schema.iter_mut() {
            let Some(keyword) = keyword.as_str() else {
                continue;
            };
            if SUBSCHEMA.contains(&keyword) {
                match value {
                    Value::Sequence(list) => self.enter(keyword, |w| w.schemas(list)),
                    subschema => self.enter(keyword, |w| w.schema(subschema)),
                }
            } else if SUBSCHEMA_MAPS.contains(&keyword) {
                if let Some(map) = value.as_mapping_mut() {
                    self.enter(keyword, |w| {
                        for (name, subschema) in map.iter_mut() {
                            w.enter_key(name, |w| w.schema(subschema));
                        }
                    });
                }
            } else if SUBSCHEMA_LISTS.contains(&keyword) {
                if let Some(list) = value.as_sequence_mut() {
                    self.enter(keyword, |w| w.schemas(list));
                }
            }
        }
    }

    fn schemas(&mut self, list: &mut [Value]) {
        for (index, subschema) in list.iter_mut().enumerate() {
            self.enter(&index.to_string(), |w| w.schema(subschema));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(yaml: &str) -> Vec<String> {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        let mut found = Vec::new();
        walk(&value, &mut |pointer, _| found.push(pointer.to_string()));
        found
    }

    #[test]
    fn finds_schemas_in_every_place_a_document_puts_them() {
        let found = pointers(
            r#"
openapi: 3.0.3
paths:
  /a/{id}:
    parameters:
    - {name: id, in: path, schema: {type: string}}
    get:
      parameters:
      - {name: q, in: query, content: {application/json: {schema: {type: object}}}}
      - $ref: '#/components/parameters/P'
      requestBody:
        content:
          application/json: {schema: {type: string}}
      responses:
        200:
          description: OK
          headers:
            X-Rate: {schema: {type: integer}}
          content:
            application/json: {schema: {$ref: '#/components/schemas/S'}}
      callbacks:
        onEvent:
          '{$request.body#/url}':
            post:
              requestBody:
                content:
                  application/json: {schema: {type: boolean}}
components:
  schemas:
    S: {type: object}
  parameters:
    P: {name: p, in: query, schema: {type: string}}
  headers:
    H: {schema: {type: string}}
  requestBodies:
    B: {content: {text/plain: {schema: {type: string}}}}
  responses:
    R:
      description: R
      headers: {X-H: {schema: {type: string}}}
      content: {application/json: {schema: {type: number}}}
"#,
        );
        assert_eq!(
            found,
            [
                "#/paths/~1a~1{id}/parameters/0/schema",
                "#/paths/~1a~1{id}/get/parameters/0/content/application~1json/schema",
                "#/paths/~1a~1{id}/get/requestBody/content/application~1json/schema",
                "#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema",
                "#/paths/~1a~1{id}/get/responses/200/headers/X-Rate/schema",
                "#/paths/~1a~1{id}/get/callbacks/onEvent/{$request.body#~1url}/post/requestBody/content/application~1json/schema",
                "#/components/schemas/S",
                "#/components/parameters/P/schema",
                "#/components/headers/H/schema",
                "#/components/requestBodies/B/content/text~1plain/schema",
                "#/components/responses/R/content/application~1json/schema",
                "#/components/responses/R/headers/X-H/schema",
            ]
        );
    }

    #[test]
    fn finds_nested_schemas_under_every_applicator() {
        let found = pointers(
            r#"
components:
  schemas:
    T:
      type: object
      properties:
        a: {type: array, items: {type: string}}
        m: {additionalProperties: {type: integer}}
        closed: {additionalProperties: false}
      allOf: [{type: object}]
      oneOf: [{type: string}]
      anyOf: [{type: integer}]
      not: {type: boolean}
      $defs: {D: {type: string}}
      prefixItems: [{type: string}]
      patternProperties: {'^x': {type: string}}
      if: {required: [a]}
      then: {required: [m]}
      else: {required: [closed]}
      dependentSchemas: {a: {required: [m]}}
      contains: {type: string}
      propertyNames: {pattern: '^[a-z]+$'}
      unevaluatedProperties: {type: string}
      unevaluatedItems: {type: string}
"#,
        );
        let expected: Vec<String> = [
            "",
            "/properties/a",
            "/properties/a/items",
            "/properties/m",
            "/properties/m/additionalProperties",
            "/properties/closed",
            "/allOf/0",
            "/oneOf/0",
            "/anyOf/0",
            "/not",
            "/$defs/D",
            "/prefixItems/0",
            "/patternProperties/^x",
            "/if",
            "/then",
            "/else",
            "/dependentSchemas/a",
            "/contains",
            "/propertyNames",
            "/unevaluatedProperties",
            "/unevaluatedItems",
        ]
        .iter()
        .map(|tail| format!("#/components/schemas/T{tail}"))
        .collect();
        assert_eq!(found, expected, "parents first, then document order");
    }

    #[test]
    fn does_not_enter_data_valued_keywords() {
        let found = pointers(
            r#"
components:
  schemas:
    E:
      type: object
      example: {items: {type: string}, properties: {a: {type: string}}}
      default: {not: {type: string}}
      enum: [{allOf: [{type: string}]}]
      const: {items: {type: string}}
      examples: [{items: {type: string}}]
      properties:
        example: {type: string}
"#,
        );
        assert_eq!(
            found,
            [
                "#/components/schemas/E",
                "#/components/schemas/E/properties/example"
            ]
        );
    }

    #[test]
    fn tuple_items_and_boolean_schemas() {
        let found = pointers(
            r#"
components:
  schemas:
    Tuple: {items: [{type: string}, true], additionalProperties: true}
    Yes: true
"#,
        );
        assert_eq!(
            found,
            [
                "#/components/schemas/Tuple",
                "#/components/schemas/Tuple/items/0"
            ]
        );
    }
}
