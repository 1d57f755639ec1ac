//! Turns schemas into IR types: components keep their names, inline schemas are interned by
//! shape (identical ones share one type) and named later from where they were met.
//!
//! This module holds the builder's state and its entry points (register the components,
//! type a schema met somewhere, finish); each step lives in a module of its own:
//! `convert` (a schema to a type), `composition` (`oneOf`/`anyOf`/`allOf`), `enums`,
//! `dedup` (identical shapes share a type), `recursion` (alias cycles, boxing),
//! `type_names` (final names), with `context` and `inline_names` feeding the names.

mod composition;
mod context;
mod convert;
mod dedup;
mod enums;
mod inline_names;
mod recursion;
mod type_names;

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};

use super::{TypeDef, TypeId, TypeKind, TypeRef};
use crate::diagnostics::{Error, Warning};
use crate::load::Document;
use crate::naming;
use crate::resolve;
use convert::schema_doc;
use inline_names::NameCandidate;

pub use context::Context;

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
        self.record_component_shapes();
        Ok(())
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

    /// Names every type, boxes recursive fields and places each type in its module.
    pub fn finish(self) -> (Vec<TypeDef>, usize, Vec<Warning>) {
        let assigned = type_names::assign(&self.drafts);
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
        recursion::box_recursive_fields(&mut types);
        type_names::name_builders(&mut types);
        (types, self.merged_duplicates, self.warnings)
    }
}
