//! The final names of the types: components keep theirs (made unique), inline types take
//! one from the places they were met (`inline_names`), and every struct's builder is named
//! after its type. Run once, when every schema has been converted.

use std::collections::BTreeSet;

use super::inline_names::{self, NameCandidate};
use super::Draft;
use crate::model::{TypeDef, TypeKind};
use crate::naming;

/// The name and module of every draft, in order: components by their own (unique) names,
/// inline types from their candidates.
pub(super) fn assign(drafts: &[Draft]) -> Vec<(String, String)> {
    let component_names: Vec<String> = drafts
        .iter()
        .filter_map(|d| d.component.as_ref())
        .map(|name| naming::type_name(name))
        .collect();
    let component_names = naming::make_unique(&component_names, &BTreeSet::new());
    let mut component_names = component_names.into_iter();
    let fixed: Vec<Option<String>> = drafts
        .iter()
        .map(|d| {
            d.component
                .as_ref()
                .map(|_| component_names.next().unwrap())
        })
        .collect();
    let candidates: Vec<&[NameCandidate]> =
        drafts.iter().map(|d| d.candidates.as_slice()).collect();
    inline_names::assign(&fixed, &candidates)
}

/// `ProjectBuilder` for `Project`, numbered when a type of that name exists. A keyword
/// guard stays out of the composed name: `SelfBuilder` for `Self_`, which is upper camel case.
pub(super) fn name_builders(types: &mut [TypeDef]) {
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
