//! Composed schemas: `oneOf`/`anyOf` become unions (tagged when a discriminator names the
//! variants), `allOf` merges its members' properties into one struct, and properties beside
//! the composition keywords are merged in rather than dropped.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::context::Context;
use super::convert::schema_doc;
use super::{Converted, SchemaBuilder};
use crate::diagnostics::Error;
use crate::model::{TypeKind, TypeRef, Union, UnionDecoding, UnionVariant};
use crate::naming;
use crate::resolve::{self, join};

impl SchemaBuilder<'_> {
    /// A schema with `allOf`, `oneOf` or `anyOf` and maybe properties beside them: `allOf`
    /// wins (the others are reported), else `oneOf` (with `anyOf` beside it reported), else
    /// `anyOf`; the properties beside are merged in.
    pub(super) fn any_composed(
        &mut self,
        any: &openapiv3::AnySchema,
        discriminator: Option<&openapiv3::Discriminator>,
        context: &Context,
    ) -> Result<Converted, Error> {
        let siblings = ObjectParts {
            properties: &any.properties,
            required: &any.required,
            additional: any.additional_properties.as_ref(),
        };
        if !any.all_of.is_empty() {
            for (keyword, members) in [("oneOf", &any.one_of), ("anyOf", &any.any_of)] {
                if !members.is_empty() {
                    self.warn(
                        &join(&context.pointer, keyword),
                        format!("`{keyword}` beside `allOf` in the same schema cannot be expressed; only the `allOf` members (and the properties beside them) make the type"),
                    );
                }
            }
            return self.all_of(&any.all_of, Some(siblings), context);
        }
        let (keyword, members) = if any.one_of.is_empty() {
            ("anyOf", &any.any_of)
        } else {
            ("oneOf", &any.one_of)
        };
        if !any.one_of.is_empty() && !any.any_of.is_empty() {
            self.warn(
                &join(&context.pointer, "anyOf"),
                "`anyOf` beside `oneOf` in the same schema cannot be expressed; the type is the `oneOf` union",
            );
        }
        self.union(members, keyword, discriminator, Some(siblings), context)
    }

    /// `oneOf`/`anyOf` (`keyword`). Properties beside the members in the same schema
    /// (`common`) hold for every member: a member that lacks them gets a type with them merged in.
    pub(super) fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        discriminator: Option<&openapiv3::Discriminator>,
        common: Option<ObjectParts<'_>>,
        context: &Context,
    ) -> Result<Converted, Error> {
        let common = common.filter(|c| !c.is_empty());
        if members.len() == 1 {
            let member_context = context.descend(&[keyword, "0"]);
            return Ok(Converted::Ref(match &common {
                Some(common) => {
                    self.union_member_with(&members[0], common, context, &member_context)?
                }
                None => self.type_of(&members[0], &member_context)?,
            }));
        }
        let mut names = Vec::with_capacity(members.len());
        let mut types = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let position = index.to_string();
            let word = format!("Variant{}", index + 1);
            let member_context = context.child(word.clone(), false, &[keyword, &position]);
            let ty = match &common {
                Some(common) => self.union_member_with(member, common, context, &member_context)?,
                None => self.type_of(member, &member_context)?,
            };
            names.push(match member {
                ReferenceOr::Reference { reference } => {
                    resolve::component_name(reference, "schemas")
                        .map(naming::type_name)
                        .unwrap_or(word)
                }
                ReferenceOr::Item(_) => primitive_variant_name(&ty).unwrap_or(word),
            });
            types.push(ty);
        }
        let names = naming::make_unique(&names, &BTreeSet::new());
        let tags: Vec<Vec<String>> = members
            .iter()
            .map(|member| match (discriminator, member) {
                (Some(d), ReferenceOr::Reference { reference }) => {
                    discriminator_values(d, reference)
                }
                _ => Vec::new(),
            })
            .collect();
        let variants = names
            .into_iter()
            .zip(types)
            .zip(tags)
            .map(|((rust_name, ty), tags)| UnionVariant {
                rust_name,
                ty,
                tags,
            })
            .collect();
        Ok(Converted::Kind(TypeKind::Union(Union {
            variants,
            discriminator: discriminator.map(|d| d.property_name.clone()),
            // Decided once every variant's type is final (`wire::decide`).
            decoding: UnionDecoding::InOrder,
        })))
    }

    /// The type of a union member whose schema also says `common` (properties beside
    /// `oneOf`/`anyOf`): the member itself when it already declares them (as variants usually
    /// declare the discriminator property), else the member and `common` merged like `allOf`.
    fn union_member_with(
        &mut self,
        member: &ReferenceOr<Schema>,
        common: &ObjectParts<'_>,
        union_context: &Context,
        member_context: &Context,
    ) -> Result<TypeRef, Error> {
        let (schema, component) = match member {
            ReferenceOr::Item(schema) => (schema, None),
            ReferenceOr::Reference { reference } => {
                let (name, schema) = resolve::schema_component(self.api, reference)
                    .map_err(|e| self.error(&member_context.pointer, e.to_string()))?;
                (schema, Some(name))
            }
        };
        let Some(own) = object_parts(schema) else {
            self.warn(
                &member_context.pointer,
                "this member is not an object, so the properties beside it in the same schema cannot apply to it; it is generated as it is",
            );
            return self.type_of(member, member_context);
        };
        let declares_all = common
            .properties
            .keys()
            .all(|name| own.properties.contains_key(name))
            && common.required.iter().all(|r| own.required.contains(r))
            && (common.additional.is_none() || own.additional == common.additional);
        if component.is_some() && declares_all {
            return self.type_of(member, member_context);
        }
        // A merged type for a component member is named after both (`PetCat`).
        let context = match &component {
            Some(name) => {
                let mut context = union_context.child(naming::type_name(name), false, &[]);
                context.pointer = member_context.pointer.clone();
                context
            }
            None => member_context.clone(),
        };
        match self.all_of(std::slice::from_ref(member), Some(common.clone()), &context)? {
            Converted::Ref(ty) => Ok(ty),
            Converted::Kind(kind) => {
                let doc = match component {
                    Some(_) => None,
                    None => schema_doc(schema),
                };
                Ok(TypeRef::Named(self.intern(kind, doc, &context)))
            }
        }
    }

    /// `allOf`: the members' properties merged into one struct, with the properties,
    /// `required` and `additionalProperties` beside `allOf` in the same schema (`siblings`) as
    /// one more member. A single member without siblings is that member.
    pub(super) fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        siblings: Option<ObjectParts<'_>>,
        context: &Context,
    ) -> Result<Converted, Error> {
        let siblings = siblings.filter(|s| !s.is_empty());
        if members.len() == 1 && siblings.is_none() {
            return Ok(Converted::Ref(self.type_of(&members[0], context)?));
        }
        let mut properties: IndexMap<String, ReferenceOr<Box<Schema>>> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional: Option<AdditionalProperties> = None;
        for (index, member) in members.iter().enumerate() {
            let pointer = join(&join(&context.pointer, "allOf"), &index.to_string());
            let schema = match member {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => {
                    resolve::schema_component(self.api, reference)
                        .map_err(|e| self.error(&pointer, e.to_string()))?
                        .1
                }
            };
            let Some(parts) = object_parts(schema) else {
                self.warn(&pointer, "this `allOf` member is not an object, so it cannot be merged; the first member's type is used");
                return Ok(Converted::Ref(self.type_of(&members[0], context)?));
            };
            parts.merge_into(&mut properties, &mut required, &mut additional);
        }
        if let Some(siblings) = siblings {
            siblings.merge_into(&mut properties, &mut required, &mut additional);
        }
        self.object(&properties, &required, additional.as_ref(), context)
    }
}

/// What makes an object schema a struct: its properties, `required` and
/// `additionalProperties`, wherever the typed model keeps them.
#[derive(Clone)]
pub(super) struct ObjectParts<'s> {
    properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
}

impl ObjectParts<'_> {
    fn is_empty(&self) -> bool {
        self.properties.is_empty() && self.required.is_empty() && self.additional.is_none()
    }

    fn merge_into(
        &self,
        properties: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
        additional: &mut Option<AdditionalProperties>,
    ) {
        for (name, property) in self.properties {
            properties.insert(name.clone(), property.clone());
        }
        for name in self.required {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
        // One member's `additionalProperties: false` would, read literally, forbid the
        // other members' properties; the merged type keeps undeclared keys instead.
        if let Some(add) = self.additional {
            if !matches!(add, AdditionalProperties::Any(false)) {
                *additional = Some(add.clone());
            }
        }
    }
}

/// The object parts of a schema that is a plain object (`type: object`, or properties
/// without a `type` and without `allOf`/`oneOf`/`anyOf`); `None` for anything else.
fn object_parts(schema: &Schema) -> Option<ObjectParts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(ObjectParts {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        }),
        SchemaKind::Any(a) if a.all_of.is_empty() && a.one_of.is_empty() && a.any_of.is_empty() => {
            Some(ObjectParts {
                properties: &a.properties,
                required: &a.required,
                additional: a.additional_properties.as_ref(),
            })
        }
        _ => None,
    }
}

/// The discriminator values naming the member at `reference`: the `mapping` entries pointing
/// to it (as `#/components/schemas/Cat` or plain `Cat`), else the component's own name.
fn discriminator_values(discriminator: &openapiv3::Discriminator, reference: &str) -> Vec<String> {
    let name = resolve::component_name(reference, "schemas").unwrap_or(reference);
    let mapped: Vec<String> = discriminator
        .mapping
        .iter()
        .filter(|(_, target)| target.as_str() == reference || target.as_str() == name)
        .map(|(value, _)| value.clone())
        .collect();
    if mapped.is_empty() {
        vec![name.to_string()]
    } else {
        mapped
    }
}

fn primitive_variant_name(ty: &TypeRef) -> Option<String> {
    Some(
        match ty {
            TypeRef::String(_) => "String",
            TypeRef::Boolean => "Boolean",
            TypeRef::Integer(_) => "Integer",
            TypeRef::Number(_) => "Number",
            TypeRef::Date => "Date",
            TypeRef::DateTime => "DateTime",
            TypeRef::Bytes => "Bytes",
            TypeRef::Array(_) => "Array",
            TypeRef::Map(_) => "Map",
            TypeRef::Object => "Object",
            TypeRef::Any | TypeRef::Named(_) => return None,
        }
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use crate::model::{from_yaml, type_named, Api, TypeKind, TypeRef, Union};

    fn pets(pet: &str) -> Api {
        from_yaml(&format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths: {{}}
components:
  schemas:
    Pet:
{pet}
    Cat:
      type: object
      required: [petType]
      properties:
        petType: {{type: string}}
        purrs: {{type: boolean}}
    Dog:
      type: object
      required: [petType]
      properties:
        petType: {{type: string}}
        barks: {{type: boolean}}
"#
        ))
    }

    fn union_of<'a>(api: &'a Api, name: &str) -> &'a Union {
        match &type_named(api, name).kind {
            TypeKind::Union(u) => u,
            other => panic!("`{name}` is not a union: {other:?}"),
        }
    }

    fn variants(api: &Api, union: &Union) -> Vec<(String, String, Vec<String>)> {
        union
            .variants
            .iter()
            .map(|v| {
                let ty = match &v.ty {
                    TypeRef::Named(id) => api.type_def(*id).name.clone(),
                    other => format!("{other:?}"),
                };
                (v.rust_name.clone(), ty, v.tags.clone())
            })
            .collect()
    }

    #[test]
    fn one_of_without_a_discriminator_is_an_untagged_union() {
        let api = pets(
            "      oneOf:\n      - $ref: '#/components/schemas/Cat'\n      - $ref: '#/components/schemas/Dog'",
        );
        let pet = union_of(&api, "Pet");
        assert_eq!(pet.discriminator, None);
        assert_eq!(
            variants(&api, pet),
            [
                ("Cat".into(), "Cat".into(), vec![]),
                ("Dog".into(), "Dog".into(), vec![]),
            ]
        );
    }

    #[test]
    fn a_discriminator_tags_each_variant_from_the_mapping_or_the_components_name() {
        let api = pets(
            "      oneOf:\n      - $ref: '#/components/schemas/Cat'\n      - $ref: '#/components/schemas/Dog'\n      discriminator:\n        propertyName: petType\n        mapping:\n          cat: '#/components/schemas/Cat'\n          kitty: Cat",
        );
        let pet = union_of(&api, "Pet");
        assert_eq!(pet.discriminator.as_deref(), Some("petType"));
        assert_eq!(
            variants(&api, pet),
            [
                (
                    "Cat".into(),
                    "Cat".into(),
                    vec!["cat".to_string(), "kitty".to_string()]
                ),
                ("Dog".into(), "Dog".into(), vec!["Dog".to_string()]),
            ]
        );
    }

    #[test]
    fn inline_members_are_named_by_what_they_are() {
        let api = pets(
            "      anyOf:\n      - {type: string}\n      - {type: integer}\n      - {type: object, properties: {name: {type: string}}}",
        );
        let pet = union_of(&api, "Pet");
        let names: Vec<String> = variants(&api, pet).into_iter().map(|v| v.0).collect();
        assert_eq!(names, ["String", "Integer", "Variant3"]);
        assert!(matches!(pet.variants[0].ty, TypeRef::String(_)));
        assert!(matches!(pet.variants[1].ty, TypeRef::Integer(_)));
        // The inline object member is a type named after the union and its place.
        assert_eq!(variants(&api, pet)[2].1, "PetVariant3");
    }

    #[test]
    fn a_single_member_is_that_member_not_a_union() {
        let api = pets("      oneOf:\n      - $ref: '#/components/schemas/Cat'");
        let pet = type_named(&api, "Pet");
        let cat = api.types.iter().position(|t| t.name == "Cat").unwrap();
        assert_eq!(
            pet.kind,
            TypeKind::Alias(TypeRef::Named(crate::model::TypeId(cat)))
        );
    }

    #[test]
    fn all_of_merges_the_members_properties_into_one_struct() {
        let api = pets(
            "      allOf:\n      - $ref: '#/components/schemas/Cat'\n      - {type: object, required: [name], properties: {name: {type: string}}}",
        );
        let TypeKind::Struct(pet) = &type_named(&api, "Pet").kind else {
            panic!("a struct")
        };
        let fields: Vec<&str> = pet.fields.iter().map(|f| f.wire_name.as_str()).collect();
        assert_eq!(fields, ["petType", "purrs", "name"]);
    }
}
