//! Turns schemas into IR types: components keep their names, inline schemas are interned by
//! shape (identical ones share one type) and named later from where they were met.

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::inline_names::{self, NameCandidate};
use super::{
    Enum, EnumRepr, EnumVariant, Field, IntegerKind, NumberKind, Presence, Struct, TypeDef, TypeId,
    TypeKind, TypeRef, Undeclared, Union, UnionVariant,
};
use crate::diagnostics::{Error, Warning};
use crate::load::Document;
use crate::naming;
use crate::resolve::{self, join};

/// Where a schema was met, which is what its type is named after.
#[derive(Debug, Clone)]
pub struct Context {
    /// Words naming the place (`Project`, or `ProjectDatums Response`).
    pub root: Vec<String>,
    /// A longer root for when the short one collides (`ProjectDatums Aggregation` for a
    /// parameter whose short root is just `Aggregation`).
    pub qualified_root: Vec<String>,
    /// Words added while descending, with whether each names a property (which `items` and
    /// `additionalProperties` then turn singular: `sites` -> `Site`).
    pub segments: Vec<(String, bool)>,
    /// The same walk for the qualified name, which keeps plurals and says `Item`/`Value`
    /// (`ContactsItem` where the short name says `Contact`), so it differs from a component.
    pub qualified_segments: Vec<String>,
    pub pointer: String,
    /// The `types/<module>.rs` file the type goes in if it is named from here.
    pub module: String,
}

impl Context {
    pub fn new(
        root: Vec<String>,
        qualified_root: Vec<String>,
        pointer: String,
        module: String,
    ) -> Self {
        Context {
            root,
            qualified_root,
            segments: Vec::new(),
            qualified_segments: Vec::new(),
            pointer,
            module,
        }
    }

    /// The same place, `pointer_tokens` deeper, with no new name segment.
    fn descend(&self, pointer_tokens: &[&str]) -> Context {
        let mut pointer = self.pointer.clone();
        for token in pointer_tokens {
            pointer = join(&pointer, token);
        }
        Context {
            pointer,
            ..self.clone()
        }
    }

    fn child(&self, word: String, is_property: bool, pointer_tokens: &[&str]) -> Context {
        let mut child = self.descend(pointer_tokens);
        child.qualified_segments.push(word.clone());
        child.segments.push((word, is_property));
        child
    }

    fn property(&self, name: &str) -> Context {
        self.child(naming::type_name(name), true, &["properties", name])
    }

    /// The element of an array or the value of a map: `sites` -> `Site`, else `Item`/`Value`.
    fn element(&self, fallback: &str, pointer_token: &str) -> Context {
        let mut child = self.descend(&[pointer_token]);
        child.qualified_segments.push(fallback.to_string());
        let singular = match child.segments.last() {
            Some((word, true)) => naming::singular(word),
            _ => None,
        };
        match singular {
            Some(single) => {
                *child.segments.last_mut().expect("a property segment") = (single, false)
            }
            None => child.segments.push((fallback.to_string(), false)),
        }
        child
    }

    fn candidate(&self) -> NameCandidate {
        let words: Vec<String> = self.segments.iter().map(|(w, _)| w.clone()).collect();
        NameCandidate {
            primary: inline_names::fit(&self.root, &words),
            qualified: inline_names::fit_qualified(&self.qualified_root, &self.qualified_segments),
            pointer: self.pointer.clone(),
            module: self.module.clone(),
        }
    }
}

struct Draft {
    kind: Option<TypeKind>,
    doc: Option<String>,
    origin: String,
    component: Option<String>,
    candidates: Vec<NameCandidate>,
}

/// What a schema turned into before it is given a place.
enum Converted {
    /// A struct, enum or union, which needs a named type.
    Kind(TypeKind),
    /// Something expressible without a new type.
    Ref(TypeRef),
}

pub struct SchemaBuilder<'a> {
    document: &'a Document,
    api: &'a OpenAPI,
    drafts: Vec<Draft>,
    components: IndexMap<String, TypeId>,
    shapes: HashMap<String, TypeId>,
    /// Shapes of component types, filled once every component is converted: an operation's
    /// inline schema of the same shape is that component.
    component_shapes: HashMap<String, TypeId>,
    /// `kind:format` -> how many schemas use it, for one warning per unknown format.
    unknown_formats: std::collections::BTreeMap<String, usize>,
    merged_duplicates: usize,
    warnings: Vec<Warning>,
}

impl<'a> SchemaBuilder<'a> {
    pub fn new(document: &'a Document) -> Self {
        SchemaBuilder {
            document,
            api: &document.api,
            drafts: Vec::new(),
            components: IndexMap::new(),
            shapes: HashMap::new(),
            component_shapes: HashMap::new(),
            unknown_formats: std::collections::BTreeMap::new(),
            merged_duplicates: 0,
            warnings: Vec::new(),
        }
    }

    fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error {
            location: self.document.locate(pointer),
            message: message.into(),
        }
    }

    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let location = self.document.locate(pointer);
        self.warnings.push(Warning {
            location,
            message: message.into(),
        });
    }

    /// Gives every component schema its type: ids first, so references (even recursive
    /// ones) resolve, then bodies in document order.
    pub fn register_components(&mut self) -> Result<(), Error> {
        let Some(components) = self.api.components.as_ref() else {
            return Ok(());
        };
        for name in components.schemas.keys() {
            let id = TypeId(self.drafts.len());
            self.drafts.push(Draft {
                kind: None,
                doc: None,
                origin: resolve::join("#/components/schemas", name),
                component: Some(name.clone()),
                candidates: Vec::new(),
            });
            self.components.insert(name.clone(), id);
        }
        for (index, (name, schema)) in components.schemas.iter().enumerate() {
            let pointer = resolve::join("#/components/schemas", name);
            let type_name = naming::type_name(name);
            let context = Context::new(
                vec![type_name.clone()],
                vec![type_name],
                pointer.clone(),
                naming::snake_name(name),
            );
            let (kind, doc) = match schema {
                ReferenceOr::Reference { reference } => {
                    (TypeKind::Alias(self.reference(reference, &pointer)?), None)
                }
                ReferenceOr::Item(schema) => match self.convert(schema, &context)? {
                    Converted::Kind(kind) => (kind, schema_doc(schema)),
                    Converted::Ref(ty) => (TypeKind::Alias(ty), schema_doc(schema)),
                },
            };
            self.drafts[index].kind = Some(kind);
            self.drafts[index].doc = doc;
        }
        self.reject_alias_cycles()?;
        self.break_recursive_aliases();
        for (index, draft) in self.drafts.iter().enumerate() {
            if let Some(kind @ (TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_))) =
                &draft.kind
            {
                self.component_shapes
                    .entry(shape_key(kind))
                    .or_insert(TypeId(index));
            }
        }
        Ok(())
    }

    /// Components that are only references to each other (`A: $ref B`, `B: $ref A`) have no
    /// schema to generate: `type A = B; type B = A;` would not compile.
    fn reject_alias_cycles(&self) -> Result<(), Error> {
        for (start, draft) in self.drafts.iter().enumerate() {
            let mut chain = vec![start];
            let mut current = start;
            while let Some(TypeKind::Alias(TypeRef::Named(next))) = &self.drafts[current].kind {
                if next.0 == start {
                    let names: Vec<&str> = chain
                        .iter()
                        .chain([&start])
                        .filter_map(|&i| self.drafts[i].component.as_deref())
                        .collect();
                    return Err(self.error(
                        &draft.origin,
                        resolve::RefError::Cycle(names.iter().map(|n| n.to_string()).collect())
                            .to_string(),
                    ));
                }
                if chain.contains(&next.0) {
                    break;
                }
                chain.push(next.0);
                current = next.0;
            }
        }
        Ok(())
    }

    /// A component that is an array or map of itself (`Tree: {additionalProperties: {$ref:
    /// Tree}}`), directly or through other such aliases, would be a type alias of infinite
    /// size: the innermost reference back is read as any JSON value instead, with a warning.
    fn break_recursive_aliases(&mut self) {
        fn reaches(drafts: &[Draft], ty: &TypeRef, target: usize, seen: &mut Vec<usize>) -> bool {
            match ty {
                TypeRef::Array(inner) | TypeRef::Map(inner) => reaches(drafts, inner, target, seen),
                TypeRef::Named(id) if id.0 == target => true,
                TypeRef::Named(id) if !seen.contains(&id.0) => {
                    seen.push(id.0);
                    match &drafts[id.0].kind {
                        Some(TypeKind::Alias(next)) => reaches(drafts, next, target, seen),
                        _ => false,
                    }
                }
                _ => false,
            }
        }
        fn cut(drafts: &[Draft], ty: &mut TypeRef, target: usize) -> bool {
            match ty {
                TypeRef::Array(inner) | TypeRef::Map(inner) => {
                    if matches!(inner.as_ref(), TypeRef::Named(_))
                        && reaches(drafts, inner, target, &mut Vec::new())
                    {
                        **inner = TypeRef::Any;
                        true
                    } else {
                        cut(drafts, inner, target)
                    }
                }
                _ => false,
            }
        }
        for index in 0..self.drafts.len() {
            let Some(TypeKind::Alias(ty)) = &self.drafts[index].kind else {
                continue;
            };
            if !matches!(ty, TypeRef::Array(_) | TypeRef::Map(_))
                || !reaches(&self.drafts, ty, index, &mut Vec::new())
            {
                continue;
            }
            let mut ty = ty.clone();
            if cut(&self.drafts, &mut ty, index) {
                self.drafts[index].kind = Some(TypeKind::Alias(ty));
                let pointer = self.drafts[index].origin.clone();
                self.warn(
                    &pointer,
                    "this array or map contains itself, which a Rust type alias cannot say; the inner values are read as any JSON value",
                );
            }
        }
    }

    fn reference(&self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let name = resolve::component_name(reference, "schemas")
            .map_err(|e| self.error(pointer, e.to_string()))?;
        match self.components.get(name) {
            Some(id) => Ok(TypeRef::Named(*id)),
            None => Err(self.error(
                pointer,
                resolve::RefError::Dangling(reference.to_string()).to_string(),
            )),
        }
    }

    /// The type of a schema met at `context`, creating (or sharing) an inline type if needed.
    pub fn type_of(
        &mut self,
        schema: &ReferenceOr<Schema>,
        context: &Context,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, &context.pointer),
            ReferenceOr::Item(schema) => self.type_of_item(schema, context),
        }
    }

    fn type_of_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        context: &Context,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, &context.pointer),
            ReferenceOr::Item(schema) => self.type_of_item(schema, context),
        }
    }

    fn type_of_item(&mut self, schema: &Schema, context: &Context) -> Result<TypeRef, Error> {
        match self.convert(schema, context)? {
            Converted::Ref(ty) => Ok(ty),
            Converted::Kind(kind) => Ok(TypeRef::Named(self.intern(
                kind,
                schema_doc(schema),
                context,
            ))),
        }
    }

    /// Finds or creates the inline type of this shape; a shared type collects every place
    /// it was met as a naming candidate.
    fn intern(&mut self, kind: TypeKind, doc: Option<String>, context: &Context) -> TypeId {
        let shape = shape_key(&kind);
        if let Some(&id) = self.component_shapes.get(&shape) {
            self.merged_duplicates += 1;
            return id;
        }
        if let Some(&id) = self.shapes.get(&shape) {
            self.merged_duplicates += 1;
            let draft = &mut self.drafts[id.0];
            draft.candidates.push(context.candidate());
            if draft.doc.is_none() {
                draft.doc = doc;
            }
            return id;
        }
        let id = TypeId(self.drafts.len());
        self.drafts.push(Draft {
            kind: Some(kind),
            doc,
            origin: context.pointer.clone(),
            component: None,
            candidates: vec![context.candidate()],
        });
        self.shapes.insert(shape, id);
        id
    }

    fn convert(&mut self, schema: &Schema, context: &Context) -> Result<Converted, Error> {
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
        if !any.one_of.is_empty() || !any.any_of.is_empty() {
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
            return self.union(members, keyword, discriminator, Some(siblings), context);
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
            // The typed model reads an integer schema this way when a bound or an enum value
            // is not a 64-bit integer (`maximum: 18446744073709551615`); the format still counts.
            let listed: Vec<&serde_json::Value> =
                any.enumeration.iter().filter(|v| !v.is_null()).collect();
            let integers: Vec<i64> = listed.iter().filter_map(|v| v.as_i64()).collect();
            if !listed.is_empty() && integers.len() == listed.len() {
                return Ok(Converted::Kind(TypeKind::Enum(integer_enum(integers))));
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
                return Ok(Converted::Ref(ty));
            }
            return Ok(Converted::Ref(TypeRef::Integer(integer_kind(
                &any.format.clone().into(),
            ))));
        }
        Ok(Converted::Ref(match any.typ.as_deref() {
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
        }))
    }

    fn object(
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
                secret: data.password || super::secrets::is_secret_name(wire_name),
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

    /// `oneOf`/`anyOf` (`keyword`). Properties beside the members in the same schema
    /// (`common`) hold for every member: a member that lacks them gets a type with them merged in.
    fn union(
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
    fn all_of(
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

    /// Names every type, boxes recursive fields and places each type in its module.
    pub fn finish(self) -> (Vec<TypeDef>, usize, Vec<Warning>) {
        let component_names: Vec<String> = self
            .drafts
            .iter()
            .filter_map(|d| d.component.as_ref())
            .map(|name| naming::type_name(name))
            .collect();
        let component_names = naming::make_unique(&component_names, &BTreeSet::new());
        let mut component_names = component_names.into_iter();
        let fixed: Vec<Option<String>> = self
            .drafts
            .iter()
            .map(|d| {
                d.component
                    .as_ref()
                    .map(|_| component_names.next().unwrap())
            })
            .collect();
        let candidates: Vec<&[NameCandidate]> = self
            .drafts
            .iter()
            .map(|d| d.candidates.as_slice())
            .collect();
        let assigned = inline_names::assign(&fixed, &candidates);
        let mut types: Vec<TypeDef> = self
            .drafts
            .into_iter()
            .zip(assigned)
            .map(|(draft, (name, module))| TypeDef {
                name,
                doc: draft.doc,
                origin: draft.origin,
                module: match &draft.component {
                    Some(component) => naming::snake_name(component),
                    None => module,
                },
                component: draft.component,
                kind: draft
                    .kind
                    .expect("every registered component has been converted"),
                used_in_parameters: false,
            })
            .collect();
        box_recursive_fields(&mut types);
        name_builders(&mut types);
        (types, self.merged_duplicates, self.warnings)
    }
}

/// `ProjectBuilder` for `Project`, numbered when a type of that name exists. A keyword
/// guard stays out of the composed name: `SelfBuilder` for `Self_`, which is upper camel case.
fn name_builders(types: &mut [TypeDef]) {
    let type_names: BTreeSet<String> = types.iter().map(|t| t.name.clone()).collect();
    let wanted: Vec<String> = types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Struct(_)))
        // `Self_` (a keyword made safe) builds with `SelfBuilder`.
        .map(|t| format!("{}Builder", t.name.trim_end_matches('_')))
        .collect();
    let mut names = naming::make_unique(&wanted, &type_names).into_iter();
    for def in types.iter_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.builder = names.next().expect("one builder name per struct");
        }
    }
}

/// Fields that would make a type contain itself (directly or through other types, without
/// a `Vec` or map in between) are boxed, so the type has a finite size.
fn box_recursive_fields(types: &mut [TypeDef]) {
    fn direct_children(kind: &TypeKind) -> Vec<TypeId> {
        let named = |ty: &TypeRef| match ty {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        };
        match kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| !f.boxed)
                .filter_map(|f| named(&f.ty))
                .collect(),
            TypeKind::Union(u) => u.variants.iter().filter_map(|v| named(&v.ty)).collect(),
            TypeKind::Alias(ty) => named(ty).into_iter().collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    }
    fn reaches(
        types: &[TypeDef],
        from: TypeId,
        target: TypeId,
        seen: &mut BTreeSet<TypeId>,
    ) -> bool {
        if from == target {
            return true;
        }
        if !seen.insert(from) {
            return false;
        }
        direct_children(&types[from.0].kind)
            .into_iter()
            .any(|child| reaches(types, child, target, seen))
    }
    for index in 0..types.len() {
        let TypeKind::Struct(s) = &types[index].kind else {
            continue;
        };
        let to_box: Vec<usize> = s
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match f.ty {
                TypeRef::Named(child)
                    if reaches(types, child, TypeId(index), &mut BTreeSet::new()) =>
                {
                    Some(i)
                }
                _ => None,
            })
            .collect();
        if let TypeKind::Struct(s) = &mut types[index].kind {
            for i in to_box {
                s.fields[i].boxed = true;
            }
        }
    }
}

/// What makes an object schema a struct: its properties, `required` and
/// `additionalProperties`, wherever the typed model keeps them.
#[derive(Clone)]
struct ObjectParts<'s> {
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

fn schema_doc(schema: &Schema) -> Option<String> {
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

fn string_enum(values: Vec<String>) -> Enum {
    enum_of(EnumRepr::String, values)
}

fn integer_enum(values: Vec<i64>) -> Enum {
    enum_of(
        EnumRepr::Integer,
        values.iter().map(i64::to_string).collect(),
    )
}

/// Names the variants of an enum (values listed twice count once) and its catch-all.
fn enum_of(repr: EnumRepr, values: Vec<String>) -> Enum {
    let mut unique: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        if !unique.contains(&value) {
            unique.push(value);
        }
    }
    let names: Vec<String> = unique.iter().map(|v| naming::type_name(v)).collect();
    // The catch-all is `Unknown` unless the spec lists a value of that name (`unknown`),
    // which then keeps its natural name.
    let catch_all = ["Unknown", "Other", "UnknownValue"]
        .into_iter()
        .find(|candidate| !names.iter().any(|n| n == candidate))
        .unwrap_or("UnlistedValue")
        .to_string();
    let names = naming::make_unique(&names, &[catch_all.clone()].into());
    let variants = names
        .into_iter()
        .zip(unique)
        .map(|(rust_name, wire)| EnumVariant { rust_name, wire })
        .collect();
    Enum {
        repr,
        variants,
        catch_all,
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

/// What makes two inline types the same: their structure, not their documentation and not
/// the order of enum values (which means nothing).
fn shape_key(kind: &TypeKind) -> String {
    let mut kind = kind.clone();
    match &mut kind {
        TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| f.doc = None),
        TypeKind::Enum(e) => e.variants.sort_by(|a, b| a.wire.cmp(&b.wire)),
        TypeKind::Union(_) | TypeKind::Alias(_) => {}
    }
    format!("{kind:?}")
}
