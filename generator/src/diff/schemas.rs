//! Changes to schemas: added and removed types, properties, requiredness, nullability,
//! enum values, union variants and map value types, with the operations each one reaches.

use std::collections::BTreeMap;

use super::reach::Reach;
use super::{ApiImpact, Bump, Change, Effect, RustImpact, Subject};
use crate::model::{
    Api, Enum, Field, Presence, Struct, TypeDef, TypeKind, TypeRef, Undeclared, Union,
};

/// How a schema is used, which decides whether a change breaks callers.
#[derive(Clone, Copy)]
struct Usage {
    /// Some operation sends it (parameter or request body).
    sent: bool,
    /// Some operation receives it (response body).
    received: bool,
}

impl Usage {
    /// Whether a change breaks callers, and why. `breaks_senders` and `breaks_readers` say
    /// what goes wrong for each direction, when something does.
    fn judge(
        self,
        breaks_senders: Option<&str>,
        breaks_readers: Option<&str>,
        safe: &str,
    ) -> ApiImpact {
        if !self.sent && !self.received {
            return ApiImpact {
                breaking: false,
                reason: "no operation uses this schema".into(),
            };
        }
        let mut reasons = Vec::new();
        if self.sent {
            reasons.extend(breaks_senders.map(|r| format!("in requests: {r}")));
        }
        if self.received {
            reasons.extend(breaks_readers.map(|r| format!("in responses: {r}")));
        }
        if reasons.is_empty() {
            ApiImpact {
                breaking: false,
                reason: safe.to_string(),
            }
        } else {
            ApiImpact {
                breaking: true,
                reason: reasons.join("; "),
            }
        }
    }
}

struct SchemaChanges<'a> {
    name: &'a str,
    usage: Usage,
    reaches: Vec<String>,
    tags: Vec<String>,
    changes: Vec<Change>,
}

impl SchemaChanges<'_> {
    fn push(
        &mut self,
        summary: String,
        api: ApiImpact,
        bump: Bump,
        items: Vec<String>,
        rust_reason: &str,
    ) {
        self.changes.push(Change {
            subject: Subject::Schema {
                name: self.name.to_string(),
            },
            effect: Effect::Modified,
            summary,
            tags: self.tags.clone(),
            reaches: self.reaches.clone(),
            api,
            rust: RustImpact {
                bump,
                items,
                reason: rust_reason.to_string(),
            },
        });
    }
}

fn schema_label(def: &TypeDef) -> String {
    match &def.component {
        Some(component) => format!("schema `{component}`"),
        None => format!("inline schema at `{}`", def.origin),
    }
}

pub fn compare(old: &Api, new: &Api, old_reach: &Reach, new_reach: &Reach) -> Vec<Change> {
    let old_types: BTreeMap<&str, &TypeDef> =
        old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> =
        new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut changes = Vec::new();
    for (name, def) in &old_types {
        if !new_types.contains_key(name) {
            let (reaches, tags) = old_reach.operations(name);
            changes.push(Change {
                subject: Subject::Schema {
                    name: name.to_string(),
                },
                effect: Effect::Removed,
                summary: format!("{} removed (type `{name}`)", schema_label(def)),
                tags,
                reaches,
                api: ApiImpact {
                    breaking: false,
                    reason: "operations that used it are reported with their own changes".into(),
                },
                rust: RustImpact {
                    bump: Bump::Major,
                    items: vec![format!("types::{name}")],
                    reason: "a public type is removed".into(),
                },
            });
        }
    }
    for (name, def) in &new_types {
        let Some(before) = old_types.get(name) else {
            let (reaches, tags) = new_reach.operations(name);
            changes.push(Change {
                subject: Subject::Schema {
                    name: name.to_string(),
                },
                effect: Effect::Added,
                summary: format!("{} added (type `{name}`)", schema_label(def)),
                tags,
                reaches,
                api: ApiImpact {
                    breaking: false,
                    reason: "a new schema breaks no caller".into(),
                },
                rust: RustImpact {
                    bump: Bump::Minor,
                    items: vec![format!("types::{name}")],
                    reason: "a new public type".into(),
                },
            });
            continue;
        };
        let usage = Usage {
            sent: old_reach.is_sent(name) || new_reach.is_sent(name),
            received: old_reach.is_received(name) || new_reach.is_received(name),
        };
        let (mut reaches, mut tags) = new_reach.operations(name);
        let (old_ops, old_tags) = old_reach.operations(name);
        reaches.extend(old_ops);
        reaches.sort();
        reaches.dedup();
        tags.extend(old_tags);
        tags.sort();
        tags.dedup();
        let mut c = SchemaChanges {
            name,
            usage,
            reaches,
            tags,
            changes: Vec::new(),
        };
        compare_kinds(&mut c, old, before, new, def);
        changes.extend(c.changes);
    }
    changes
}

fn compare_kinds(c: &mut SchemaChanges, old: &Api, before: &TypeDef, new: &Api, after: &TypeDef) {
    let name = after.name.clone();
    match (&before.kind, &after.kind) {
        (TypeKind::Struct(was), TypeKind::Struct(is)) => compare_structs(c, old, was, new, is),
        (TypeKind::Enum(was), TypeKind::Enum(is)) => compare_enums(c, was, is),
        (TypeKind::Union(was), TypeKind::Union(is)) => compare_unions(c, old, was, new, is),
        (TypeKind::Alias(was), TypeKind::Alias(is)) => {
            let (was, is) = (was.label(old), is.label(new));
            if was != is {
                let api = c.usage.judge(
                    Some("values of the old type may be refused"),
                    Some("old readers may fail to decode"),
                    "",
                );
                c.push(
                    format!("type changed from `{was}` to `{is}`"),
                    api,
                    Bump::Major,
                    vec![format!("types::{name}")],
                    "the alias points to another type",
                );
            }
        }
        _ => {
            let api = c
                .usage
                .judge(Some("the shape changes"), Some("the shape changes"), "");
            c.push(
                format!(
                    "kind changed from {} to {}",
                    kind_word(&before.kind),
                    kind_word(&after.kind)
                ),
                api,
                Bump::Major,
                vec![format!("types::{name}")],
                "the Rust item changes kind",
            );
        }
    }
}

fn kind_word(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "object",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
    }
}

fn compare_structs(c: &mut SchemaChanges, old: &Api, was: &Struct, new: &Api, is: &Struct) {
    let name = c.name.to_string();
    let field_item = |f: &Field| format!("types::{name}::{}", f.rust_name);
    let old_fields: BTreeMap<&str, &Field> = was
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f))
        .collect();
    let new_fields: BTreeMap<&str, &Field> = is
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f))
        .collect();
    for field in &was.fields {
        if !new_fields.contains_key(field.wire_name.as_str()) {
            let api = c.usage.judge(
                None,
                Some("readers of the property lose it"),
                "the server no longer reads the property",
            );
            c.push(
                format!("property `{}` removed", field.wire_name),
                api,
                Bump::Major,
                vec![field_item(field)],
                "a public field is removed",
            );
        }
    }
    for field in &is.fields {
        let Some(previous) = old_fields.get(field.wire_name.as_str()) else {
            let required = field.presence == Presence::Required
                || field.presence == Presence::RequiredNullable;
            let api = if required {
                c.usage.judge(
                    Some("callers must now send it"),
                    None,
                    "readers ignore a new property",
                )
            } else {
                c.usage
                    .judge(None, None, "an optional property breaks no caller")
            };
            // Structs are `#[non_exhaustive]` and built through builders, so a new field
            // breaks no code; but a builder that does not set a new required property now
            // fails to build, which existing programs only find out when they run.
            let (bump, reason) = if field.presence == Presence::Required {
                (Bump::Major, REQUIRED_ADDED)
            } else {
                (Bump::Minor, NON_EXHAUSTIVE)
            };
            c.push(
                format!(
                    "{} property `{}` added",
                    if required { "required" } else { "optional" },
                    field.wire_name
                ),
                api,
                bump,
                vec![field_item(field)],
                reason,
            );
            continue;
        };
        let (was_type, is_type) = (previous.ty.label(old), field.ty.label(new));
        if was_type != is_type {
            let api = c.usage.judge(
                Some("values of the old type may be refused"),
                Some("old readers may fail to decode"),
                "",
            );
            c.push(
                format!(
                    "property `{}` type changed from `{was_type}` to `{is_type}`",
                    field.wire_name
                ),
                api,
                Bump::Major,
                vec![field_item(field)],
                "the field's Rust type changes",
            );
        }
        compare_presence(c, previous, field, field_item(field));
    }
    compare_undeclared(c, &name, old, new, &was.undeclared, &is.undeclared);
}

fn compare_presence(c: &mut SchemaChanges, was: &Field, is: &Field, item: String) {
    let required = |p: Presence| matches!(p, Presence::Required | Presence::RequiredNullable);
    let nullable =
        |p: Presence| matches!(p, Presence::RequiredNullable | Presence::OptionalNullable);
    if required(was.presence) != required(is.presence) {
        let api = if required(is.presence) {
            c.usage.judge(
                Some("callers must now send it"),
                None,
                "readers now always get it",
            )
        } else {
            c.usage.judge(
                None,
                Some("readers may now find it absent"),
                "callers may now leave it out",
            )
        };
        c.push(
            format!(
                "property `{}` made {}",
                is.wire_name,
                if required(is.presence) {
                    "required"
                } else {
                    "optional"
                }
            ),
            api,
            Bump::Major,
            vec![item.clone()],
            "the field changes between `T` and `Option<T>`",
        );
    }
    if nullable(was.presence) != nullable(is.presence) {
        let api = if nullable(is.presence) {
            c.usage.judge(
                None,
                Some("readers may now get null"),
                "callers may now send null",
            )
        } else {
            c.usage.judge(
                Some("callers sending null are refused"),
                None,
                "readers no longer get null",
            )
        };
        c.push(
            format!(
                "property `{}` {}",
                is.wire_name,
                if nullable(is.presence) {
                    "made nullable"
                } else {
                    "no longer nullable"
                }
            ),
            api,
            Bump::Major,
            vec![item],
            "the field's Rust type gains or loses an `Option`",
        );
    }
}

fn compare_enums(c: &mut SchemaChanges, was: &Enum, is: &Enum) {
    let name = c.name.to_string();
    if was.repr != is.repr {
        let api = c
            .usage
            .judge(Some("values change type"), Some("values change type"), "");
        c.push(
            "enum values changed between strings and integers".into(),
            api,
            Bump::Major,
            vec![format!("types::{name}")],
            "the enum's wire type changes",
        );
        return;
    }
    for variant in &was.variants {
        if !is.variants.iter().any(|v| v.wire == variant.wire) {
            let api = c.usage.judge(
                Some("callers sending it are refused"),
                None,
                "readers no longer get it",
            );
            c.push(
                format!("enum value `{}` removed", variant.wire),
                api,
                Bump::Major,
                vec![format!("types::{name}::{}", variant.rust_name)],
                "a variant is removed",
            );
        }
    }
    for variant in &is.variants {
        if !was.variants.iter().any(|v| v.wire == variant.wire) {
            let api = c.usage.judge(
                None,
                None,
                if c.usage.received {
                    "safe for this forward-compatible client (old versions decode it as the catch-all); strict clients may fail"
                } else {
                    "callers may now send it"
                },
            );
            c.push(
                format!("enum value `{}` added", variant.wire),
                api,
                Bump::Minor,
                vec![format!("types::{name}::{}", variant.rust_name)],
                "a new variant of a `#[non_exhaustive]` enum",
            );
        }
    }
}

fn compare_unions(c: &mut SchemaChanges, old: &Api, was: &Union, new: &Api, is: &Union) {
    let name = c.name.to_string();
    let labels = |api: &Api, u: &Union| {
        u.variants
            .iter()
            .map(|v| (v.ty.label(api), v.rust_name.clone()))
            .collect::<Vec<_>>()
    };
    let (was_labels, is_labels) = (labels(old, was), labels(new, is));
    for (label, rust_name) in &was_labels {
        if !is_labels.iter().any(|(l, _)| l == label) {
            let api = c.usage.judge(
                Some("callers sending that shape are refused"),
                None,
                "readers no longer get that shape",
            );
            c.push(
                format!("union variant `{label}` removed"),
                api,
                Bump::Major,
                vec![format!("types::{name}::{rust_name}")],
                "a variant is removed",
            );
        }
    }
    for (label, rust_name) in &is_labels {
        if !was_labels.iter().any(|(l, _)| l == label) {
            let api = c.usage.judge(
                None,
                Some("old readers cannot decode the new shape"),
                "callers may now send another shape",
            );
            c.push(
                format!("union variant `{label}` added"),
                api,
                Bump::Minor,
                vec![format!("types::{name}::{rust_name}")],
                "a new variant of a `#[non_exhaustive]` enum",
            );
        }
    }
}

/// What becomes of the keys an object does not declare: kept (in which field, as which
/// type) or forbidden.
const NON_EXHAUSTIVE: &str =
    "a new field of a `#[non_exhaustive]` struct, built through its builder";
const REQUIRED_ADDED: &str = "builders that do not set the new required property fail to build";

fn compare_undeclared(
    c: &mut SchemaChanges,
    name: &str,
    old: &Api,
    new: &Api,
    was: &Undeclared,
    is: &Undeclared,
) {
    let label = |api: &Api, value: Option<&TypeRef>| match value {
        Some(value) => value.label(api),
        None => "JSON value".to_string(),
    };
    match (was, is) {
        (Undeclared::Forbidden, Undeclared::Forbidden) => {}
        (
            Undeclared::Kept {
                field: was_field,
                value: was_value,
            },
            Undeclared::Kept {
                field: is_field,
                value: is_value,
            },
        ) => {
            let (a, b) = (
                label(old, was_value.as_ref()),
                label(new, is_value.as_ref()),
            );
            if a != b {
                let api = c.usage.judge(
                    Some("values of the old type may be refused"),
                    Some("old readers may fail to decode"),
                    "",
                );
                c.push(
                    format!("additional properties' type changed from `{a}` to `{b}`"),
                    api,
                    Bump::Major,
                    vec![format!("types::{name}::{is_field}")],
                    "the map's value type changes",
                );
            } else if was_field != is_field {
                let api = c.usage.judge(None, None, "the JSON is the same");
                c.push(
                    format!(
                        "undeclared properties move from field `{was_field}` to `{is_field}` (a property took its name)"
                    ),
                    api,
                    Bump::Major,
                    vec![format!("types::{name}::{was_field}")],
                    "a public field is renamed",
                );
            }
        }
        (Undeclared::Forbidden, Undeclared::Kept { field, value }) => {
            let b = label(new, value.as_ref());
            let api = c.usage.judge(None, None, "more properties are allowed");
            c.push(
                format!("additional properties of type `{b}` allowed"),
                api,
                Bump::Minor,
                vec![format!("types::{name}::{field}")],
                NON_EXHAUSTIVE,
            );
        }
        (Undeclared::Kept { field, value }, Undeclared::Forbidden) => {
            let a = label(old, value.as_ref());
            let api = c.usage.judge(
                Some("extra properties may be refused"),
                Some("readers of extra properties lose them"),
                "",
            );
            c.push(
                format!("additional properties of type `{a}` no longer allowed"),
                api,
                Bump::Major,
                vec![format!("types::{name}::{field}")],
                "a public field is removed",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::test_support::{edit, only_change, report};
    use crate::diff::{Bump, Effect, Subject};

    /// `getItem` answers with `Item`, `putItem` sends `NewItem`.
    const BASE: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}
    put:
      operationId: putItem
      parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewItem'}}}}
      responses:
        '204': {description: OK}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: integer}
        color: {type: string, enum: [red, green, blue]}
    NewItem:
      type: object
      required: [name]
      properties:
        name: {type: string}
        shade: {type: string, enum: [dark, medium, light]}
"#;

    #[test]
    fn an_enum_value_removed_from_a_request_is_major_and_breaks_callers() {
        let report = report(BASE, &edit(BASE, "[dark, medium, light]", "[dark, light]"));
        let change = only_change(&report, "enum value `medium` removed");
        assert!(
            change.api.breaking,
            "a caller sending `medium` is now refused"
        );
        assert_eq!(change.rust.bump, Bump::Major);
        assert_eq!(change.effect, Effect::Modified);
        assert_eq!(change.reaches, ["putItem"]);
    }

    #[test]
    fn an_enum_value_removed_from_a_response_is_major_but_breaks_no_caller() {
        let report = report(BASE, &edit(BASE, "[red, green, blue]", "[red, green]"));
        let change = only_change(&report, "enum value `blue` removed");
        assert!(!change.api.breaking, "callers only stop receiving `blue`");
        assert_eq!(change.rust.bump, Bump::Major, "the variant is gone");
        assert_eq!(change.reaches, ["getItem"]);
    }

    #[test]
    fn an_enum_value_added_is_minor() {
        let report = report(&edit(BASE, "[red, green, blue]", "[red, green]"), BASE);
        let change = only_change(&report, "enum value `blue` added");
        assert!(!change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Minor);
    }

    #[test]
    fn a_response_property_removed_is_major_and_added_is_minor() {
        let without = edit(BASE, "        size: {type: integer}\n", "");
        let removed = report(BASE, &without);
        let change = only_change(&removed, "property `size` removed");
        assert!(change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Major);
        assert!(matches!(&change.subject, Subject::Schema { name } if name == "Item"));

        let added = report(&without, BASE);
        let change = only_change(&added, "optional property `size` added");
        assert!(!change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Minor);
    }

    #[test]
    fn a_required_request_property_added_is_major_and_breaks_callers() {
        let report = report(
            BASE,
            &edit(
                BASE,
                "      required: [name]\n      properties:\n        name: {type: string}\n        shade:",
                "      required: [name, code]\n      properties:\n        name: {type: string}\n        code: {type: string}\n        shade:",
            ),
        );
        let change = only_change(&report, "required property `code` added");
        assert!(change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Major);
    }

    #[test]
    fn a_property_type_changed_is_major() {
        let report = report(
            BASE,
            &edit(BASE, "size: {type: integer}", "size: {type: string}"),
        );
        let change = only_change(
            &report,
            "property `size` type changed from `i64` to `String`",
        );
        assert!(change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Major);
    }

    #[test]
    fn an_unused_schema_added_is_minor_and_removed_is_major_without_breaking_callers() {
        let with_unused =
            format!("{BASE}    Unused: {{type: object, properties: {{a: {{type: string}}}}}}\n");
        let added = report(BASE, &with_unused);
        let change = only_change(&added, "schema `Unused` added");
        assert!(!change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Minor);
        assert!(change.reaches.is_empty());

        let removed = report(&with_unused, BASE);
        let change = only_change(&removed, "schema `Unused` removed");
        assert!(!change.api.breaking, "no operation uses it");
        assert_eq!(change.rust.bump, Bump::Major, "its type is gone");
    }
}
