//! Identical inline shapes share one type: 34 copies of the same enum are one `Aggregation`,
//! and an inline schema shaped like a component is that component. Sharing is decided here
//! alone, by a key that ignores what does not change the Rust type (documentation, the
//! order of enum values).

use super::context::Context;
use super::{Draft, SchemaBuilder};
use crate::model::{TypeId, TypeKind};

impl SchemaBuilder<'_> {
    /// Remembers the shape of every converted component, so an inline schema of the same
    /// shape is that component rather than a copy.
    pub(super) fn record_component_shapes(&mut self) {
        for (index, draft) in self.drafts.iter().enumerate() {
            if let Some(kind @ (TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_))) =
                &draft.kind
            {
                self.component_shapes
                    .entry(shape_key(kind))
                    .or_insert(TypeId(index));
            }
        }
    }

    /// Finds or creates the inline type of this shape; a shared type collects every place
    /// it was met as a naming candidate.
    pub(super) fn intern(
        &mut self,
        kind: TypeKind,
        doc: Option<String>,
        context: &Context,
    ) -> TypeId {
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

#[cfg(test)]
mod tests {
    use super::shape_key;
    use crate::model::{from_yaml, type_named, Api, TypeKind, TypeRef};

    /// Two operations whose query parameter `aggregation` has the given inline schemas, and a
    /// component `Unit` that is a string enum of `kw` and `kwh`.
    fn two_params(first: &str, second: &str) -> Api {
        from_yaml(&format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a:
    get:
      operationId: getA
      parameters:
      - {{name: aggregation, in: query, schema: {first}}}
      responses: {{'204': {{description: ok}}}}
  /b:
    get:
      operationId: getB
      parameters:
      - {{name: aggregation, in: query, schema: {second}}}
      responses: {{'204': {{description: ok}}}}
components:
  schemas:
    Unit: {{type: string, enum: [kw, kwh]}}
"#
        ))
    }

    fn param_type(api: &Api, operation: usize) -> &TypeRef {
        &api.operations[operation].params[0].ty
    }

    #[test]
    fn identical_inline_shapes_share_one_type() {
        // The documentation and the order of the values do not make another type.
        let api = two_params(
            "{type: string, enum: [day, month], description: One}",
            "{type: string, enum: [month, day], description: Two}",
        );
        assert_eq!(param_type(&api, 0), param_type(&api, 1));
        assert_eq!(api.merged_duplicates, 1);
        let enums = api
            .types
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Enum(_)))
            .count();
        assert_eq!(enums, 2, "Unit and one Aggregation");
        let shared = type_named(&api, "Aggregation");
        assert_eq!(param_type(&api, 0), &TypeRef::Named(type_id(&api, shared)));
        assert_eq!(shared.doc.as_deref(), Some("One"), "the first doc is kept");
    }

    #[test]
    fn different_shapes_stay_apart() {
        let api = two_params(
            "{type: string, enum: [day, month]}",
            "{type: string, enum: [day, year]}",
        );
        assert_ne!(param_type(&api, 0), param_type(&api, 1));
        assert_eq!(api.merged_duplicates, 0);
        // Both want `Aggregation`, so both take their qualified names.
        let names: Vec<&str> = [0, 1]
            .map(|i| match param_type(&api, i) {
                TypeRef::Named(id) => api.type_def(*id).name.as_str(),
                other => panic!("a named type: {other:?}"),
            })
            .to_vec();
        assert_eq!(names, ["GetAAggregation", "GetBAggregation"]);
    }

    #[test]
    fn an_inline_shape_like_a_component_is_that_component() {
        let api = two_params(
            "{type: string, enum: [kwh, kw]}",
            "{type: string, enum: [kw, mw]}",
        );
        let unit = type_named(&api, "Unit");
        assert_eq!(param_type(&api, 0), &TypeRef::Named(type_id(&api, unit)));
        assert_ne!(param_type(&api, 1), param_type(&api, 0));
    }

    #[test]
    fn the_shape_key_ignores_field_docs_but_not_field_types() {
        let api = from_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {type: object, properties: {x: {type: string, description: one}}}
    B: {type: object, properties: {x: {type: string, description: two}}}
    C: {type: object, properties: {x: {type: integer}}}
"#,
        );
        // As the kinds are when shapes are compared: before builders are named.
        let key = |name: &str| {
            let mut kind = type_named(&api, name).kind.clone();
            if let TypeKind::Struct(s) = &mut kind {
                s.builder.clear();
            }
            shape_key(&kind)
        };
        assert_eq!(key("A"), key("B"));
        assert_ne!(key("A"), key("C"));
    }

    fn type_id(api: &Api, def: &crate::model::TypeDef) -> crate::model::TypeId {
        let index = api
            .types
            .iter()
            .position(|t| std::ptr::eq(t, def))
            .expect("a type of this api");
        crate::model::TypeId(index)
    }
}
