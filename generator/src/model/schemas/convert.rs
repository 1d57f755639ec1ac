//! One schema to what the IR makes of it: a scalar, array or map (`Converted::Ref`), or a
//! struct or enum that needs a type (`Converted::Kind`). Composition keywords are handed to
//! `composition`; whether the type is shared is `dedup`'s business.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::context::Context;
use super::enums::{integer_enum, string_enum};
use super::{Converted, SchemaBuilder};
use crate::diagnostics::Error;
use crate::model::{
    Field, IntegerKind, NumberKind, Presence, Struct, TypeKind, TypeRef, Undeclared,
};
use crate::naming;
use crate::resolve::{self, join};

impl SchemaBuilder<'_> {
    pub(super) fn convert(
        &mut self,
        schema: &Schema,
        context: &Context,
    ) -> Result<Converted, Error> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    return Ok(Converted::Kind(TypeKind::Enum(string_enum(values))));
                }
                if let VariantOrUnknownOrEmpty::Unknown(format) = &string.format {
                    self.unknown_format("string", format, context);
                }
                Ok(Converted::Ref(string_type(&string.format)))
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let values: Vec<i64> = integer.enumeration.iter().flatten().copied().collect();
                if !values.is_empty() {
                    return Ok(Converted::Kind(TypeKind::Enum(integer_enum(values))));
                }
                Ok(Converted::Ref(TypeRef::Integer(integer_kind(
                    &integer.format,
                ))))
            }
            SchemaKind::Type(Type::Number(number)) => {
                if let VariantOrUnknownOrEmpty::Unknown(format) = &number.format {
                    self.unknown_format("number", format, context);
                }
                Ok(Converted::Ref(TypeRef::Number(match &number.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => NumberKind::F32,
                    _ => NumberKind::F64,
                })))
            }
            SchemaKind::Type(Type::Boolean(_)) => Ok(Converted::Ref(TypeRef::Boolean)),
            SchemaKind::Type(Type::Array(array)) => {
                let element = context.element("Item", "items");
                let item = match &array.items {
                    Some(items) => self.type_of_boxed(items, &element)?,
                    None => TypeRef::Any,
                };
                Ok(Converted::Ref(TypeRef::Array(Box::new(item))))
            }
            SchemaKind::Type(Type::Object(object)) => self.object(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                context,
            ),
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.union(
                    members,
                    keyword,
                    schema.schema_data.discriminator.as_ref(),
                    None,
                    context,
                )
            }
            SchemaKind::AllOf { all_of } => self.all_of(all_of, None, context),
            SchemaKind::Not { .. } => {
                self.warn(
                    &context.pointer,
                    "`not` cannot be expressed as a Rust type; any JSON value is accepted here",
                );
                Ok(Converted::Ref(TypeRef::Any))
            }
            SchemaKind::Any(any) => {
                self.any(any, schema.schema_data.discriminator.as_ref(), context)
            }
        }
    }

    /// A schema without a single `type` (or with keywords beside it that the typed model has
    /// no place for, such as `type: object` with `oneOf`): read it by the keywords it has.
    /// Keywords beside `allOf`, `oneOf` and `anyOf` are merged in, or reported, never dropped.
    fn any(
        &mut self,
        any: &openapiv3::AnySchema,
        discriminator: Option<&openapiv3::Discriminator>,
        context: &Context,
    ) -> Result<Converted, Error> {
        if !any.all_of.is_empty() || !any.one_of.is_empty() || !any.any_of.is_empty() {
            return self.any_composed(any, discriminator, context);
        }
        if !any.properties.is_empty()
            || any.additional_properties.is_some()
            || any.typ.as_deref() == Some("object")
        {
            return self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                context,
            );
        }
        if any.items.is_some() || any.typ.as_deref() == Some("array") {
            let element = context.element("Item", "items");
            let item = match &any.items {
                Some(items) => self.type_of_boxed(items, &element)?,
                None => TypeRef::Any,
            };
            return Ok(Converted::Ref(TypeRef::Array(Box::new(item))));
        }
        let strings: Vec<String> = any
            .enumeration
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        if !strings.is_empty()
            && strings.len() == any.enumeration.iter().filter(|v| !v.is_null()).count()
        {
            return Ok(Converted::Kind(TypeKind::Enum(string_enum(strings))));
        }
        if any.typ.as_deref() == Some("integer") {
            return Ok(self.any_integer(any, context));
        }
        Ok(Converted::Ref(any_scalar(any)))
    }

    /// `type: integer` with an enum or bound the typed model could not read: an enum when
    /// every listed value is an `i64`, else `u64` or `f64` with a warning, else by `format`.
    fn any_integer(&mut self, any: &openapiv3::AnySchema, context: &Context) -> Converted {
        // The typed model reads an integer schema this way when a bound or an enum value
        // is not a 64-bit integer (`maximum: 18446744073709551615`); the format still counts.
        let listed: Vec<&serde_json::Value> =
            any.enumeration.iter().filter(|v| !v.is_null()).collect();
        let integers: Vec<i64> = listed.iter().filter_map(|v| v.as_i64()).collect();
        if !listed.is_empty() && integers.len() == listed.len() {
            return Converted::Kind(TypeKind::Enum(integer_enum(integers)));
        }
        if !listed.is_empty() {
            let (ty, word) = if listed.iter().all(|v| v.is_u64()) {
                (TypeRef::Integer(IntegerKind::U64), "u64")
            } else {
                (TypeRef::Number(NumberKind::F64), "f64")
            };
            let values: Vec<String> = listed
                .iter()
                .filter(|v| v.as_i64().is_none())
                .map(|v| format!("`{v}`"))
                .collect();
            self.warn(
                &join(&context.pointer, "enum"),
                format!(
                    "integer enum value{} {} do{} not fit a 64-bit integer, so no enum is generated; values are read as `{word}`",
                    if values.len() == 1 { "" } else { "s" },
                    values.join(", "),
                    if values.len() == 1 { "es" } else { "" },
                ),
            );
            return Converted::Ref(ty);
        }
        Converted::Ref(TypeRef::Integer(integer_kind(&any.format.clone().into())))
    }

    pub(super) fn object(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        context: &Context,
    ) -> Result<Converted, Error> {
        let additional_schema = match additional {
            Some(AdditionalProperties::Schema(schema)) if !is_empty_schema(schema) => Some(schema),
            _ => None,
        };
        if properties.is_empty() {
            return Ok(Converted::Ref(match additional_schema {
                Some(schema) => {
                    let value = context.element("Value", "additionalProperties");
                    TypeRef::Map(Box::new(self.type_of(schema, &value)?))
                }
                None => TypeRef::Object,
            }));
        }
        let rust_names: Vec<String> = properties
            .keys()
            .map(|name| naming::snake_name(name))
            .collect();
        let rust_names = naming::make_unique(&rust_names, &BTreeSet::new());
        let mut fields = Vec::with_capacity(properties.len());
        for ((wire_name, schema), rust_name) in properties.iter().zip(rust_names) {
            let property = context.property(wire_name);
            let ty = self.type_of_boxed(schema, &property)?;
            let data = property_data(self.api, schema);
            let read_only = data.read_only;
            let nullable = data.nullable;
            let is_required = required.iter().any(|r| r == wire_name) && !read_only;
            let presence = match (is_required, nullable) {
                (true, false) => Presence::Required,
                (false, false) => Presence::Optional,
                (true, true) => Presence::RequiredNullable,
                (false, true) => Presence::OptionalNullable,
            };
            fields.push(Field {
                wire_name: wire_name.clone(),
                setter: rust_name.clone(),
                rust_name,
                doc: match schema {
                    ReferenceOr::Item(s) => schema_doc(s),
                    ReferenceOr::Reference { .. } => None,
                },
                ty,
                presence,
                read_only,
                deprecated: data.deprecated,
                boxed: false,
                secret: data.password || crate::model::secrets::is_secret_name(wire_name),
            });
        }
        let setters: Vec<String> = fields.iter().map(|f| f.setter.clone()).collect();
        let setters = naming::make_unique(&setters, &["build".to_string()].into());
        for (field, setter) in fields.iter_mut().zip(setters) {
            field.setter = setter;
        }
        let undeclared = if matches!(additional, Some(AdditionalProperties::Any(false))) {
            Undeclared::Forbidden
        } else {
            let value = match additional_schema {
                Some(schema) => {
                    let value = context.element("Value", "additionalProperties");
                    Some(self.type_of(schema, &value)?)
                }
                None => None,
            };
            Undeclared::Kept {
                field: undeclared_field_name(&fields),
                value,
            }
        };
        let derive_default = fields.iter().all(|f| f.presence != Presence::Required);
        Ok(Converted::Kind(TypeKind::Struct(Struct {
            fields,
            // Named in `finish`, once the type has its name.
            builder: String::new(),
            undeclared,
            derive_default,
        })))
    }

    /// Warns once per unknown format (with how often it occurs) rather than once per use.
    fn unknown_format(&mut self, kind: &str, format: &str, context: &Context) {
        const KNOWN: &[&str] = &[
            "email",
            "uuid",
            "uri",
            "uri-reference",
            "url",
            "hostname",
            "ipv4",
            "ipv6",
            "time",
            "duration",
            "regex",
            "json-pointer",
            "iri",
            "idn-email",
            "idn-hostname",
            "password",
            "byte",
            "binary",
            "date",
            "date-time",
        ];
        if KNOWN.contains(&format) {
            return;
        }
        let key = format!("{kind}:{format}");
        let count = self.unknown_formats.entry(key).or_insert(0);
        *count += 1;
        if *count == 1 {
            self.warn(
                &context.pointer,
                format!("unknown {kind} format `{format}`; values are handled as plain {kind}s"),
            );
        }
    }
}

/// The flags of a property that shape its field: its own, or its target's when it is a
/// reference (so a `$ref` to a nullable component is nullable).
fn property_data(api: &OpenAPI, schema: &ReferenceOr<Box<Schema>>) -> PropertyFlags {
    let password = |schema: &Schema| match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)
        }
        SchemaKind::Any(any) => any.format.as_deref() == Some("password"),
        _ => false,
    };
    let schema = match schema {
        ReferenceOr::Item(schema) => Some(&**schema),
        ReferenceOr::Reference { reference } => resolve::schema_component(api, reference)
            .ok()
            .map(|(_, s)| s),
    };
    schema.map_or(PropertyFlags::default(), |s| PropertyFlags {
        read_only: s.schema_data.read_only,
        nullable: s.schema_data.nullable,
        deprecated: s.schema_data.deprecated,
        password: password(s),
    })
}

#[derive(Default)]
struct PropertyFlags {
    read_only: bool,
    nullable: bool,
    deprecated: bool,
    /// `format: password`.
    password: bool,
}

/// The field that keeps undeclared keys: `additional_properties` (the name
/// openapi-python-client and typify use), `undeclared_properties` when a property already
/// has that name, else the first numbered `additional_properties_N` that is free.
fn undeclared_field_name(fields: &[Field]) -> String {
    let taken = |name: &str| fields.iter().any(|f| f.rust_name == name);
    ["additional_properties", "undeclared_properties"]
        .into_iter()
        .map(str::to_string)
        .chain((2..).map(|n| format!("additional_properties_{n}")))
        .find(|name| !taken(name))
        .expect("an unbounded sequence of names has a free one")
}

pub(super) fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    data.description
        .clone()
        .or_else(|| data.title.clone())
        .filter(|d| !d.trim().is_empty())
}

fn is_empty_schema(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Any(any) => {
                any.typ.is_none()
                    && any.properties.is_empty()
                    && any.additional_properties.is_none()
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && any.one_of.is_empty()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty()
            }
            _ => false,
        },
    }
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => {
            TypeRef::String(crate::model::StringFormat::Byte)
        }
        VariantOrUnknownOrEmpty::Unknown(name) => {
            TypeRef::String(crate::model::StringFormat::from_name(name))
        }
        _ => TypeRef::String(crate::model::StringFormat::Plain),
    }
}

fn integer_kind(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> IntegerKind {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntegerKind::I32,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "uint8" => IntegerKind::U8,
            "uint16" => IntegerKind::U16,
            "uint32" | "uint" => IntegerKind::U32,
            "uint64" => IntegerKind::U64,
            "int8" | "int16" | "int32" => IntegerKind::I32,
            _ => IntegerKind::I64,
        },
        _ => IntegerKind::I64,
    }
}

/// The scalar an untyped-model schema's `type` (and `format`) names; anything else is any JSON
/// value.
fn any_scalar(any: &openapiv3::AnySchema) -> TypeRef {
    match any.typ.as_deref() {
        Some("string") => match any.format.as_deref() {
            Some("date") => TypeRef::Date,
            Some("date-time") => TypeRef::DateTime,
            format => TypeRef::String(crate::model::StringFormat::from_name(
                format.unwrap_or_default(),
            )),
        },
        Some("number") => TypeRef::Number(match any.format.as_deref() {
            Some("float") => NumberKind::F32,
            _ => NumberKind::F64,
        }),
        Some("boolean") => TypeRef::Boolean,
        _ => TypeRef::Any,
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{from_yaml, type_named, Presence, Struct, TypeKind, Undeclared};

    fn struct_of<'a>(api: &'a crate::model::Api, name: &str) -> &'a Struct {
        match &type_named(api, name).kind {
            TypeKind::Struct(s) => s,
            other => panic!("`{name}` is not a struct: {other:?}"),
        }
    }

    #[test]
    fn field_names_are_snake_case_unique_and_clear_of_the_builders_method() {
        let api = from_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [fooBar]
      properties:
        fooBar: {type: string}
        foo_bar: {type: string}
        type: {type: string}
        build: {type: string}
        additional_properties: {type: string}
"#,
        );
        let thing = struct_of(&api, "Thing");
        let fields: Vec<(&str, &str, &str)> = thing
            .fields
            .iter()
            .map(|f| {
                (
                    f.wire_name.as_str(),
                    f.rust_name.as_str(),
                    f.setter.as_str(),
                )
            })
            .collect();
        assert_eq!(
            fields,
            [
                ("fooBar", "foo_bar", "foo_bar"),
                ("foo_bar", "foo_bar_2", "foo_bar_2"),
                ("type", "type_", "type_"),
                ("build", "build", "build_2"),
                (
                    "additional_properties",
                    "additional_properties",
                    "additional_properties"
                ),
            ]
        );
        assert_eq!(thing.fields[0].presence, Presence::Required);
        assert_eq!(thing.fields[1].presence, Presence::Optional);
        // A property already has the usual name of the field for undeclared keys.
        assert_eq!(
            thing.undeclared,
            Undeclared::Kept {
                field: "undeclared_properties".into(),
                value: None
            }
        );
        assert!(!thing.derive_default, "a required field: no Default");
    }
}
