//! Where a schema was met: the place an inline type is named after (its root, the properties
//! walked to reach it) and the JSON pointer its messages point to. Kept apart from conversion
//! so the naming inputs are one small value that conversion only carries and extends.

use super::inline_names::{self, NameCandidate};
use crate::naming;
use crate::resolve::join;

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
    pub(super) fn descend(&self, pointer_tokens: &[&str]) -> Context {
        let mut pointer = self.pointer.clone();
        for token in pointer_tokens {
            pointer = join(&pointer, token);
        }
        Context {
            pointer,
            ..self.clone()
        }
    }

    pub(super) fn child(
        &self,
        word: String,
        is_property: bool,
        pointer_tokens: &[&str],
    ) -> Context {
        let mut child = self.descend(pointer_tokens);
        child.qualified_segments.push(word.clone());
        child.segments.push((word, is_property));
        child
    }

    pub(super) fn property(&self, name: &str) -> Context {
        self.child(naming::type_name(name), true, &["properties", name])
    }

    /// The element of an array or the value of a map: `sites` -> `Site`, else `Item`/`Value`.
    pub(super) fn element(&self, fallback: &str, pointer_token: &str) -> Context {
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

    pub(super) fn candidate(&self) -> NameCandidate {
        let words: Vec<String> = self.segments.iter().map(|(w, _)| w.clone()).collect();
        NameCandidate {
            primary: inline_names::fit(&self.root, &words),
            qualified: inline_names::fit_qualified(&self.qualified_root, &self.qualified_segments),
            pointer: self.pointer.clone(),
            module: self.module.clone(),
        }
    }
}
