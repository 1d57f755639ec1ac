//! What a change of the API document does, computed on two IRs so it speaks in the names
//! the Rust API uses as well as in spec terms.
//!
//! Every change is classified twice: for programs that call the API (does the wire contract
//! still hold?) and for Rust code that uses the generated crate (which public items change,
//! and which semver bump that means, given exactly how `emit` prints the IR: structs,
//! enums and unions are `#[non_exhaustive]` (structs are built through builders), required
//! parameters are positional and optional ones are setters).

mod cli;
mod markdown;
mod operations;
mod reach;
mod schemas;

use serde::Serialize;

use crate::model::Api;

pub use cli::CliChange;
pub use markdown::markdown;

/// Everything that changed between two documents.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub old: Side,
    pub new: Side,
    pub changes: Vec<Change>,
    /// What scripts using the `ecosuite` command line see change.
    pub command_line: Vec<CliChange>,
    /// The bump the `ecosuite` crate needs: the largest of the changes'.
    pub semver: Bump,
}

/// One document's identity, for headings.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub label: String,
    pub title: String,
    pub version: String,
    pub operations: usize,
    pub types: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// What changed, in spec terms: `GET /projects/{projectId}`, or a schema name.
    pub subject: Subject,
    /// Whether the subject itself appeared, disappeared or changed.
    pub effect: Effect,
    /// One line saying what changed.
    pub summary: String,
    /// The tags whose operations the change reaches (the operation's own tag for operation
    /// changes); empty for a schema no operation uses.
    pub tags: Vec<String>,
    /// The operations (by operationId) a schema change reaches.
    pub reaches: Vec<String>,
    pub api: ApiImpact,
    pub rust: RustImpact,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    Operation {
        operation_id: String,
        method: String,
        path: String,
    },
    Schema {
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Added,
    Removed,
    Modified,
}

/// The change seen by a program calling the API over HTTP.
#[derive(Debug, Clone, Serialize)]
pub struct ApiImpact {
    pub breaking: bool,
    pub reason: String,
}

/// The change seen by Rust code using the generated crate.
#[derive(Debug, Clone, Serialize)]
pub struct RustImpact {
    pub bump: Bump,
    /// The public items that change, e.g. `fn ProjectApi::project` or `types::Project::status`.
    pub items: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing public changes (documentation, wire details the runtime handles).
    Patch,
    /// Only additions.
    Minor,
    /// Code that compiled against the old crate may not compile against the new one.
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl Report {
    pub fn breaking_count(&self) -> usize {
        self.changes.iter().filter(|c| c.api.breaking).count()
    }

    /// Changes that can make a script using the command line fail.
    pub fn breaking_for_scripts(&self) -> usize {
        self.command_line.iter().filter(|c| c.breaking).count()
    }
}

/// Compares two APIs. `old_label` and `new_label` name the sides in the report.
pub fn compare(old: &Api, new: &Api, old_label: &str, new_label: &str) -> Report {
    let old_reach = reach::Reach::of(old);
    let new_reach = reach::Reach::of(new);
    let mut changes = operations::compare(old, new);
    changes.extend(schemas::compare(old, new, &old_reach, &new_reach));
    let semver = changes
        .iter()
        .map(|c| c.rust.bump)
        .max()
        .unwrap_or(Bump::Patch);
    let side = |api: &Api, label: &str| Side {
        label: label.to_string(),
        title: api.title.clone(),
        version: api.version.clone(),
        operations: api.operations.len(),
        types: api.types.len(),
    };
    Report {
        old: side(old, old_label),
        new: side(new, new_label),
        changes,
        command_line: cli::compare(old, new),
        semver,
    }
}

/// Reports on two documents given as YAML text, for the unit tests of the rules.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{compare, Change, Report};

    /// What changes from `old` to `new`.
    pub(crate) fn report(old: &str, new: &str) -> Report {
        let old = crate::model::from_yaml(old);
        let new = crate::model::from_yaml(new);
        compare(&old, &new, "old", "new")
    }

    /// `base` with `from` replaced (it must occur) by `to`.
    pub(crate) fn edit(base: &str, from: &str, to: &str) -> String {
        assert!(base.contains(from), "`{from}` is not in the document");
        base.replacen(from, to, 1)
    }

    /// The only change of the report, which must say `summary`.
    pub(crate) fn only_change<'a>(report: &'a Report, summary: &str) -> &'a Change {
        let summaries: Vec<&str> = report.changes.iter().map(|c| c.summary.as_str()).collect();
        assert_eq!(
            report.changes.len(),
            1,
            "one change expected: {summaries:?}"
        );
        let change = &report.changes[0];
        assert!(
            change.summary.contains(summary),
            "`{summary}` expected in {summaries:?}"
        );
        change
    }
}
