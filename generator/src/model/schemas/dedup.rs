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
