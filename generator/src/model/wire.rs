//! How values go on the wire, decided once here and recorded in the IR: each parameter's
//! `style` and `explode`, the parts of a multipart body, how a union is decoded. Emitters print
//! these decisions and make none of their own.

use openapiv3::{CookieStyle, HeaderStyle, Parameter, PathStyle, QueryStyle};

use super::{
    resolve_alias, Api, BodyKind, Operation, Param, ParamLocation, Presence, TypeDef, TypeKind,
    TypeRef, Union,
};

/// A parameter's `style`, as the document gives it or OpenAPI's default for its location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `a=1&a=2` exploded, `a=1,2` not: the default in the query and in cookies.
    Form,
    /// `1,2`: the default in the path and in headers.
    Simple,
    /// `a[key]=value`, for objects in the query.
    DeepObject,
    /// `a=1%202` (arrays in the query).
    SpaceDelimited,
    /// `a=1|2` (arrays in the query).
    PipeDelimited,
    /// `.1.2` (path).
    Label,
    /// `;a=1,2` (path).
    Matrix,
}

impl ParamStyle {
    /// The style of a parameter that names none: `form` in the query and in cookies,
    /// `simple` in the path and in headers.
    pub fn default_for(location: ParamLocation) -> ParamStyle {
        match location {
            ParamLocation::Query | ParamLocation::Cookie => ParamStyle::Form,
            ParamLocation::Path | ParamLocation::Header => ParamStyle::Simple,
        }
    }

    /// Whether a parameter of this style that does not say `explode` explodes: only `form`
    /// ones do.
    pub fn explodes_by_default(self) -> bool {
        self == ParamStyle::Form
    }
}

/// The style and `explode` of a declared parameter, OpenAPI's defaults filling what the
/// document leaves out.
pub(super) fn style_of(parameter: &Parameter) -> (ParamStyle, bool) {
    let style = match parameter {
        Parameter::Query { style, .. } => match style {
            QueryStyle::Form => ParamStyle::Form,
            QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
            QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
            QueryStyle::DeepObject => ParamStyle::DeepObject,
        },
        Parameter::Path { style, .. } => match style {
            PathStyle::Simple => ParamStyle::Simple,
            PathStyle::Label => ParamStyle::Label,
            PathStyle::Matrix => ParamStyle::Matrix,
        },
        Parameter::Header {
            style: HeaderStyle::Simple,
            ..
        } => ParamStyle::Simple,
        Parameter::Cookie {
            style: CookieStyle::Form,
            ..
        } => ParamStyle::Form,
    };
    let explode = parameter
        .parameter_data_ref()
        .explode
        .unwrap_or(style.explodes_by_default());
    (style, explode)
}

/// How the client sends a parameter's value and the mock matches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamEncoding {
    /// One value in its text form: a path segment, a query pair, a header, a cookie.
    Single,
    /// An array in the query: the key repeated per value when `explode` (`a=1&a=2`), else
    /// one value joined with commas (`a=1,2`).
    QueryList { explode: bool },
}

impl Api {
    /// How `param` goes on the wire. Only arrays in the query are lists; every query style
    /// is sent as `form` is (`spaceDelimited`, `pipeDelimited` and `deepObject` lists too,
    /// by their `explode`), and path, header and cookie values as one text.
    pub fn param_encoding(&self, param: &Param) -> ParamEncoding {
        match (param.location, self.resolve_alias(&param.ty)) {
            (ParamLocation::Query, TypeRef::Array(_)) => ParamEncoding::QueryList {
                explode: param.explode,
            },
            _ => ParamEncoding::Single,
        }
    }
}

/// The parts a `multipart/form-data` body is sent as.
#[derive(Debug, Clone, PartialEq)]
pub enum MultipartParts {
    /// The body is an object: one part per property, in the struct's order.
    Fields(Vec<MultipartPart>),
    /// The body is not an object: one text part named `body` holding the whole value.
    Whole,
}

/// One part of a multipart body: a property of the body's object.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    /// The part's name: the property's name on the wire.
    pub wire_name: String,
    /// The body struct's field that holds it.
    pub field: String,
    pub kind: PartKind,
    /// The property is required (nullable or not): the part is always sent. Otherwise it is
    /// sent only when the field is set.
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// `format: binary`: a file part holding the bytes.
    File,
    /// Anything else: a text part holding the value's text form (a string as it is, any
    /// other value as JSON).
    Text,
}

/// How a union's JSON value is decoded into one of its variants.
#[derive(Debug, Clone, PartialEq)]
pub enum UnionDecoding {
    /// No discriminator and no variant is an object: the first variant, in order, that the
    /// value decodes as (`#[serde(untagged)]`).
    InOrder,
    /// The variant the discriminator names, when the union has one and the value's tag
    /// selects a variant; else the variants in order of how many of the object's keys each
    /// declares, the document's order breaking ties. Objects here are open, so the first
    /// object variant tried would accept any object.
    ByTagOrKeys {
        /// Per variant, the properties it declares (none for a variant that is not an object).
        keys: Vec<Vec<String>>,
    },
}

/// Records what needs every type to be final: each union's decoding and each multipart
/// body's parts (built as placeholders until then).
pub(super) fn decide(types: &mut [TypeDef], operations: &mut [Operation]) {
    let decodings: Vec<(usize, UnionDecoding)> = types
        .iter()
        .enumerate()
        .filter_map(|(index, def)| match &def.kind {
            TypeKind::Union(u) => Some((index, union_decoding(types, u))),
            _ => None,
        })
        .collect();
    for (index, decoding) in decodings {
        if let TypeKind::Union(u) = &mut types[index].kind {
            u.decoding = decoding;
        }
    }
    for body in operations.iter_mut().filter_map(|op| op.body.as_mut()) {
        if let BodyKind::Multipart { ty, parts } = &mut body.kind {
            *parts = multipart_parts(types, ty);
        }
    }
}

/// How `union` is decoded: by discriminator or declared keys as soon as it has a
/// discriminator or a variant that is (directly) a struct, else in order.
fn union_decoding(types: &[TypeDef], union: &Union) -> UnionDecoding {
    let keys: Vec<Option<Vec<String>>> = union
        .variants
        .iter()
        .map(|v| match &v.ty {
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Struct(s) => Some(s.fields.iter().map(|f| f.wire_name.clone()).collect()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    if keys.iter().all(Option::is_none) && union.discriminator.is_none() {
        return UnionDecoding::InOrder;
    }
    UnionDecoding::ByTagOrKeys {
        keys: keys.into_iter().map(Option::unwrap_or_default).collect(),
    }
}

/// The parts of a multipart body of type `ty`: one per field of its struct (a file part for
/// bytes, a text part for anything else), or the whole value when it is not a struct.
fn multipart_parts(types: &[TypeDef], ty: &TypeRef) -> MultipartParts {
    let TypeRef::Named(id) = resolve_alias(types, ty) else {
        return MultipartParts::Whole;
    };
    let TypeKind::Struct(body) = &types[id.0].kind else {
        return MultipartParts::Whole;
    };
    let parts = body
        .fields
        .iter()
        .map(|field| MultipartPart {
            wire_name: field.wire_name.clone(),
            field: field.rust_name.clone(),
            kind: if resolve_alias(types, &field.ty) == &TypeRef::Bytes {
                PartKind::File
            } else {
                PartKind::Text
            },
            required: matches!(
                field.presence,
                Presence::Required | Presence::RequiredNullable
            ),
        })
        .collect();
    MultipartParts::Fields(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::from_yaml;

    /// The IR of a document with one operation `op` on `path`, whose parameters are the YAML
    /// flow list `parameters`.
    fn api_with(path: &str, parameters: &str) -> Api {
        from_yaml(&format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  {path}:
    get:
      operationId: op
      parameters: {parameters}
      responses: {{'204': {{description: ok}}}}
"#
        ))
    }

    fn param<'a>(api: &'a Api, wire_name: &str) -> &'a Param {
        api.operations[0]
            .params
            .iter()
            .find(|p| p.wire_name == wire_name)
            .unwrap_or_else(|| panic!("no parameter `{wire_name}`"))
    }

    #[test]
    fn each_location_has_its_default_style_and_explode() {
        let api = api_with(
            "/items/{id}",
            "[{name: id, in: path, required: true, schema: {type: string}}, \
              {name: q, in: query, schema: {type: array, items: {type: string}}}, \
              {name: X-H, in: header, schema: {type: string}}, \
              {name: c, in: cookie, schema: {type: string}}]",
        );
        for (name, style, explode) in [
            ("id", ParamStyle::Simple, false),
            ("q", ParamStyle::Form, true),
            ("X-H", ParamStyle::Simple, false),
            ("c", ParamStyle::Form, true),
        ] {
            let p = param(&api, name);
            assert_eq!((p.style, p.explode), (style, explode), "{name}");
            assert_eq!(ParamStyle::default_for(p.location), style, "{name}");
        }
    }

    #[test]
    fn a_path_placeholder_nobody_declares_has_the_paths_defaults() {
        let api = api_with("/items/{id}", "[]");
        let p = param(&api, "id");
        assert_eq!((p.style, p.explode), (ParamStyle::Simple, false));
    }

    #[test]
    fn style_and_explode_as_the_document_gives_them() {
        let api = api_with(
            "/items/{id}",
            "[{name: id, in: path, required: true, style: label, explode: true, schema: {type: string}}, \
              {name: joined, in: query, explode: false, schema: {type: array, items: {type: string}}}, \
              {name: piped, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}, \
              {name: spaced, in: query, style: spaceDelimited, explode: true, schema: {type: array, items: {type: string}}}, \
              {name: deep, in: query, style: deepObject, schema: {type: object, properties: {a: {type: string}}}}, \
              {name: m, in: header, explode: true, schema: {type: string}}]",
        );
        for (name, style, explode) in [
            ("id", ParamStyle::Label, true),
            ("joined", ParamStyle::Form, false),
            // Only `form` explodes by default.
            ("piped", ParamStyle::PipeDelimited, false),
            ("spaced", ParamStyle::SpaceDelimited, true),
            ("deep", ParamStyle::DeepObject, false),
            ("m", ParamStyle::Simple, true),
        ] {
            let p = param(&api, name);
            assert_eq!((p.style, p.explode), (style, explode), "{name}");
        }
    }

    #[test]
    fn only_arrays_in_the_query_are_lists() {
        let api = api_with(
            "/items/{id}",
            "[{name: id, in: path, required: true, schema: {type: array, items: {type: string}}}, \
              {name: repeated, in: query, schema: {type: array, items: {type: string}}}, \
              {name: joined, in: query, explode: false, schema: {type: array, items: {type: string}}}, \
              {name: piped, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}, \
              {name: one, in: query, schema: {type: string}}, \
              {name: X-List, in: header, schema: {type: array, items: {type: string}}}]",
        );
        for (name, encoding) in [
            ("id", ParamEncoding::Single),
            ("repeated", ParamEncoding::QueryList { explode: true }),
            ("joined", ParamEncoding::QueryList { explode: false }),
            // Sent as `form` is, by its `explode`: the client has no `|` lists.
            ("piped", ParamEncoding::QueryList { explode: false }),
            ("one", ParamEncoding::Single),
            ("X-List", ParamEncoding::Single),
        ] {
            assert_eq!(api.param_encoding(param(&api, name)), encoding, "{name}");
        }
    }

    fn multipart_of(schema: &str, components: &str) -> MultipartParts {
        let api = from_yaml(&format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema: {schema}
      responses: {{'204': {{description: ok}}}}
components:
  schemas: {components}
"#
        ));
        match &api.operations[0].body.as_ref().expect("a body").kind {
            BodyKind::Multipart { parts, .. } => parts.clone(),
            other => panic!("not a multipart body: {other:?}"),
        }
    }

    fn part(wire_name: &str, field: &str, kind: PartKind, required: bool) -> MultipartPart {
        MultipartPart {
            wire_name: wire_name.into(),
            field: field.into(),
            kind,
            required,
        }
    }

    #[test]
    fn binary_properties_are_file_parts_and_the_rest_text_parts() {
        let parts = multipart_of(
            "{type: object, required: [file, meta], properties: {\
              file: {type: string, format: binary}, \
              meta: {type: object, nullable: true, properties: {a: {type: string}}}, \
              note: {type: string}, \
              attachment: {$ref: '#/components/schemas/Blob'}, \
              count: {type: integer}}}",
            "{Blob: {type: string, format: binary}}",
        );
        assert_eq!(
            parts,
            MultipartParts::Fields(vec![
                part("file", "file", PartKind::File, true),
                // Required and nullable: always sent.
                part("meta", "meta", PartKind::Text, true),
                part("note", "note", PartKind::Text, false),
                // Bytes through an alias are a file too.
                part("attachment", "attachment", PartKind::File, false),
                part("count", "count", PartKind::Text, false),
            ])
        );
    }

    #[test]
    fn a_component_body_is_laid_out_by_its_fields() {
        let parts = multipart_of(
            "{$ref: '#/components/schemas/Upload'}",
            "{Upload: {type: object, properties: {file-name: {type: string}, data: {type: string, format: binary}}}}",
        );
        assert_eq!(
            parts,
            MultipartParts::Fields(vec![
                part("file-name", "file_name", PartKind::Text, false),
                part("data", "data", PartKind::File, false),
            ])
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_is_one_part() {
        assert_eq!(
            multipart_of("{type: array, items: {type: string}}", "{}"),
            MultipartParts::Whole
        );
    }

    fn decoding_of(components: &str) -> UnionDecoding {
        let api = from_yaml(&format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas: {components}\n"
        ));
        match &crate::model::type_named(&api, "U").kind {
            TypeKind::Union(u) => u.decoding.clone(),
            other => panic!("`U` is not a union: {other:?}"),
        }
    }

    fn keys(keys: &[&[&str]]) -> UnionDecoding {
        UnionDecoding::ByTagOrKeys {
            keys: keys
                .iter()
                .map(|k| k.iter().map(|s| s.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn a_union_of_no_object_without_a_discriminator_decodes_in_order() {
        assert_eq!(
            decoding_of("{U: {oneOf: [{type: string}, {type: integer}, {type: array, items: {type: string}}]}}"),
            UnionDecoding::InOrder
        );
    }

    #[test]
    fn object_variants_are_ranked_by_the_keys_they_declare() {
        assert_eq!(
            decoding_of(
                "{U: {anyOf: [{$ref: '#/components/schemas/A'}, {type: string}, {$ref: '#/components/schemas/B'}]}, \
                  A: {type: object, properties: {a: {type: string}, shared: {type: string}}}, \
                  B: {type: object, properties: {b: {type: integer}}}}"
            ),
            keys(&[&["a", "shared"], &[], &["b"]])
        );
    }

    #[test]
    fn a_discriminator_is_read_even_without_object_variants() {
        assert_eq!(
            decoding_of(
                "{U: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}], \
                      discriminator: {propertyName: kind}}, \
                  A: {type: string}, B: {type: integer}}"
            ),
            keys(&[&[], &[]])
        );
    }
}
