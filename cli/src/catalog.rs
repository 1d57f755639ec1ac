//! What the command line knows about the API: tags, operations and their parameters, as the
//! generated tables (`src/generated/`) describe them. Everything here is `'static` data.

use crate::generated::TAGS;

/// An OpenAPI tag: `ecosuite <command> ...`.
#[derive(Debug)]
pub struct Tag {
    pub command: &'static str,
    /// The tag as the API document spells it.
    pub name: &'static str,
    pub about: &'static str,
    pub operations: &'static [Operation],
}

/// One operation: `ecosuite <tag> <command>`, or `ecosuite call <id>`.
#[derive(Debug)]
pub struct Operation {
    /// The operationId.
    pub id: &'static str,
    /// The command of the tag it belongs to.
    pub tag: &'static str,
    pub command: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub deprecated: bool,
    /// Required parameters first (path ones in path order), then optional ones.
    pub params: &'static [Param],
    pub body: Option<Body>,
}

#[derive(Debug)]
pub struct Param {
    /// The name in the API document, which `-p name=value` uses.
    pub name: &'static str,
    /// The `--flag` of the per-operation form (path parameters are positional there).
    pub flag: &'static str,
    pub location: Location,
    pub required: bool,
    pub shape: Shape,
    /// Takes several values: repeated, or separated by commas.
    pub list: bool,
    /// The values an enum parameter may take; empty for others.
    pub values: &'static [&'static str],
    pub help: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter's text is read before it is decoded into the client's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    String,
    /// `2025-01-31`.
    Date,
    /// RFC 3339, `2025-01-31T00:00:00Z`; a bare date means its midnight, UTC.
    DateTime,
    Integer,
    Number,
    Boolean,
    /// An object, union or nested list, written as JSON.
    Json,
}

#[derive(Debug, Clone, Copy)]
pub struct Body {
    pub format: BodyFormat,
    pub content_type: &'static str,
    /// What it holds, for help: "`Event`", "a list of `Record`", "text".
    pub schema: &'static str,
    pub required: bool,
    pub help: &'static str,
    /// For structured bodies: JSON with every required field, to start from.
    pub example: &'static str,
}

/// How `--body` is read: JSON for structured bodies (form and multipart ones too: their fields
/// are given as a JSON object), the file as it is for text and binary ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

impl Operation {
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// Constructors for the generated tables, so that each parameter reads as one line:
/// `Param::query("start", "start", Shape::DateTime).required()`.
impl Param {
    const fn new(name: &'static str, flag: &'static str, location: Location, shape: Shape) -> Self {
        Param {
            name,
            flag,
            location,
            required: false,
            shape,
            list: false,
            values: &[],
            help: "",
        }
    }

    pub const fn path(name: &'static str, flag: &'static str, shape: Shape) -> Self {
        Param::new(name, flag, Location::Path, shape).required()
    }

    pub const fn query(name: &'static str, flag: &'static str, shape: Shape) -> Self {
        Param::new(name, flag, Location::Query, shape)
    }

    pub const fn header(name: &'static str, flag: &'static str, shape: Shape) -> Self {
        Param::new(name, flag, Location::Header, shape)
    }

    pub const fn cookie(name: &'static str, flag: &'static str, shape: Shape) -> Self {
        Param::new(name, flag, Location::Cookie, shape)
    }

    pub const fn required(self) -> Self {
        Param {
            required: true,
            ..self
        }
    }

    pub const fn list(self) -> Self {
        Param { list: true, ..self }
    }

    pub const fn values(self, values: &'static [&'static str]) -> Self {
        Param { values, ..self }
    }

    pub const fn help(self, help: &'static str) -> Self {
        Param { help, ..self }
    }
}

impl Param {
    /// Path parameters are positional in the per-operation form; the rest are flags.
    pub fn is_positional(&self) -> bool {
        self.location == Location::Path
    }
}

/// Every operation, tag by tag.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    TAGS.iter().flat_map(|tag| tag.operations.iter())
}

/// The operation with this operationId.
pub fn by_id(id: &str) -> Option<&'static Operation> {
    operations().find(|op| op.id == id)
}

/// Operation ids that look like `id`, for "did you mean" hints: same letters ignoring case and
/// punctuation, or one containing the other.
pub fn similar_ids(id: &str) -> Vec<&'static str> {
    let wanted = squash(id);
    if wanted.is_empty() {
        return Vec::new();
    }
    operations()
        .map(|op| op.id)
        .filter(|candidate| {
            let candidate = squash(candidate);
            candidate == wanted || candidate.contains(&wanted) || wanted.contains(&candidate)
        })
        .take(5)
        .collect()
}

fn squash(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn operation_ids_and_commands_are_unique() {
        let ids: BTreeSet<&str> = operations().map(|op| op.id).collect();
        assert_eq!(ids.len(), crate::generated::OPERATION_COUNT);
        let commands: BTreeSet<(&str, &str)> =
            operations().map(|op| (op.tag, op.command)).collect();
        assert_eq!(commands.len(), crate::generated::OPERATION_COUNT);
        let tags: BTreeSet<&str> = TAGS.iter().map(|t| t.command).collect();
        assert_eq!(tags.len(), TAGS.len());
    }

    #[test]
    fn flags_are_unique_within_an_operation() {
        for op in operations() {
            let flags: BTreeSet<&str> = op.params.iter().map(|p| p.flag).collect();
            assert_eq!(flags.len(), op.params.len(), "{}", op.id);
        }
    }

    #[test]
    fn similar_ids_ignore_case_and_punctuation() {
        assert_eq!(by_id("projects").map(|op| op.id), Some("projects"));
        assert!(similar_ids("PROJECT-datums").contains(&"projectDatums"));
        assert!(similar_ids("").is_empty());
    }
}
