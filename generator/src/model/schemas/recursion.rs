//! Types that contain themselves: components that are only references to each other are
//! rejected, arrays or maps of themselves are cut, and fields that would give a struct an
//! infinite size are boxed. Everything about cycles is decided here.

use std::collections::BTreeSet;

use super::{Draft, SchemaBuilder};
use crate::diagnostics::Error;
use crate::model::{TypeDef, TypeId, TypeKind, TypeRef};
use crate::resolve;

impl SchemaBuilder<'_> {
    /// Components that are only references to each other (`A: $ref B`, `B: $ref A`) have no
    /// schema to generate: `type A = B; type B = A;` would not compile.
    pub(super) fn reject_alias_cycles(&self) -> Result<(), Error> {
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
    pub(super) fn break_recursive_aliases(&mut self) {
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
}

/// Fields that would make a type contain itself (directly or through other types, without
/// a `Vec` or map in between) are boxed, so the type has a finite size.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
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
