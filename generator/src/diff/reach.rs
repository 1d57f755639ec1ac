//! Which operations use a type, and in which direction: a type that is only read from
//! responses changes differently for callers than one they send.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, BodyKind, ResponseBody, TypeId, TypeKind, TypeRef};

#[derive(Debug, Default)]
pub struct Reach {
    /// Type name -> operationIds that send it (parameters, request body).
    pub sent_by: BTreeMap<String, BTreeSet<String>>,
    /// Type name -> operationIds that receive it (success or error response).
    pub received_by: BTreeMap<String, BTreeSet<String>>,
    /// operationId -> tag.
    pub tag_of: BTreeMap<String, String>,
}

impl Reach {
    pub fn of(api: &Api) -> Reach {
        let mut reach = Reach::default();
        for op in &api.operations {
            reach
                .tag_of
                .insert(op.operation_id.clone(), api.tag(op.tag).name.clone());
            let mut sent = BTreeSet::new();
            for param in &op.params {
                collect(api, &param.ty, &mut sent);
            }
            if let Some(body) = &op.body {
                if let BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart { ty, .. } =
                    &body.kind
                {
                    collect(api, ty, &mut sent);
                }
            }
            let mut received = BTreeSet::new();
            if let ResponseBody::Json(ty) = &op.response.body {
                collect(api, ty, &mut received);
            }
            // Error answers are read too (`ApiError::json`): a type used only there is
            // received as much as a success body.
            for error in &op.errors {
                if let Some(ty) = &error.ty {
                    collect(api, ty, &mut received);
                }
            }
            for id in sent {
                let name = api.type_def(id).name.clone();
                reach
                    .sent_by
                    .entry(name)
                    .or_default()
                    .insert(op.operation_id.clone());
            }
            for id in received {
                let name = api.type_def(id).name.clone();
                reach
                    .received_by
                    .entry(name)
                    .or_default()
                    .insert(op.operation_id.clone());
            }
        }
        reach
    }

    pub fn is_sent(&self, type_name: &str) -> bool {
        self.sent_by.contains_key(type_name)
    }

    pub fn is_received(&self, type_name: &str) -> bool {
        self.received_by.contains_key(type_name)
    }

    /// Every operation reaching the type, either way, and their tags.
    pub fn operations(&self, type_name: &str) -> (Vec<String>, Vec<String>) {
        let mut operations = BTreeSet::new();
        for map in [&self.sent_by, &self.received_by] {
            if let Some(ops) = map.get(type_name) {
                operations.extend(ops.iter().cloned());
            }
        }
        let tags: BTreeSet<String> = operations
            .iter()
            .filter_map(|op| self.tag_of.get(op).cloned())
            .collect();
        (operations.into_iter().collect(), tags.into_iter().collect())
    }
}

/// Every named type reachable from `ty`.
fn collect(api: &Api, ty: &TypeRef, out: &mut BTreeSet<TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            if !out.insert(*id) {
                return;
            }
            match &api.type_def(*id).kind {
                TypeKind::Struct(s) => {
                    for field in &s.fields {
                        collect(api, &field.ty, out);
                    }
                    if let Some(value) = s.undeclared.value_type() {
                        collect(api, value, out);
                    }
                }
                TypeKind::Union(u) => {
                    for variant in &u.variants {
                        collect(api, &variant.ty, out);
                    }
                }
                TypeKind::Alias(target) => collect(api, target, out),
                TypeKind::Enum(_) => {}
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => collect(api, inner, out),
        _ => {}
    }
}
