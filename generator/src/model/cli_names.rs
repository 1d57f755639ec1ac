//! The command line's names: `ecosuite <tag> <operation> --<flag>`. Each is the kebab-case
//! form of the Rust name the model already made (tag module, operation method, parameter
//! setter), kept clear of what the hand-written command line defines itself and unique where
//! the command line looks it up: tag commands among the tags, operation commands within their
//! tag, flags within their operation.
//!
//! Run once by [`super::build`]; `emit::cli` prints these names and `diff::cli` compares them.

use std::collections::BTreeSet;

use super::{Api, TypeKind, TypeRef};
use crate::naming;

/// Subcommands the hand-written command line defines beside the tags.
pub const RESERVED_COMMANDS: &[&str] = &[
    "call",
    "login",
    "logout",
    "operations",
    "completions",
    "help",
];

/// Options the hand-written command line defines on every subcommand.
pub const RESERVED_FLAGS: &[&str] = &[
    "help", "output", "token", "base-url", "body", "timeout", "raw", "profile",
];

/// Sets [`super::Tag::command`], [`super::Operation::command`] and [`super::Param::flag`].
pub(super) fn assign(api: &mut Api) {
    name_uniquely(
        &mut api.tags,
        |tag| &tag.module,
        RESERVED_COMMANDS,
        "api",
        |tag, command| tag.command = command,
    );

    for tag in 0..api.tags.len() {
        let id = api.tags[tag].id;
        let operations: Vec<usize> = (0..api.operations.len())
            .filter(|&i| api.operations[i].tag == id)
            .collect();
        let commands: Vec<String> = operations
            .iter()
            .map(|&i| naming::kebab_name(&api.operations[i].method_name))
            .collect();
        for (index, command) in operations.into_iter().zip(unique(&commands, &[], "")) {
            api.operations[index].command = command;
        }
    }

    for op in &mut api.operations {
        name_uniquely(
            &mut op.params,
            |param| &param.rust_name,
            RESERVED_FLAGS,
            "param",
            |param, flag| param.flag = flag,
        );
    }
}

/// Gives each of `items` (with `set`) the kebab case of its Rust name, made unique by
/// [`unique`].
fn name_uniquely<T>(
    items: &mut [T],
    rust_name: impl Fn(&T) -> &String,
    reserved: &[&str],
    suffix: &str,
    set: impl Fn(&mut T, String),
) {
    let names: Vec<String> = items
        .iter()
        .map(|item| naming::kebab_name(rust_name(item)))
        .collect();
    for (item, name) in items.iter_mut().zip(unique(&names, reserved, suffix)) {
        set(item, name);
    }
}

/// Each of `names` (kebab case) made unique, in order: one of `reserved` gets `-<suffix>`
/// (`body` becomes `body-param`); a name that is still taken, by a name the document gives
/// outright or one made before it, gets `-2`, `-3`, ... (`body-param-2` when the document also
/// has a `body_param`).
fn unique(names: &[String], reserved: &[&str], suffix: &str) -> Vec<String> {
    let is_reserved = |name: &String| reserved.contains(&name.as_str());
    let mut used: BTreeSet<String> = reserved.iter().map(|r| r.to_string()).collect();
    // The names that need no change claim themselves first, so a renamed one never takes
    // another's plain name, whatever their order.
    let claimed: Vec<bool> = names
        .iter()
        .map(|name| !is_reserved(name) && used.insert(name.clone()))
        .collect();
    names
        .iter()
        .zip(claimed)
        .map(|(name, claimed)| {
            if claimed {
                return name.clone();
            }
            let wanted = if is_reserved(name) {
                format!("{name}-{suffix}")
            } else {
                name.clone()
            };
            let mut candidate = wanted.clone();
            let mut n = 2;
            while used.contains(&candidate) {
                candidate = format!("{wanted}-{n}");
                n += 1;
            }
            used.insert(candidate.clone());
            candidate
        })
        .collect()
}

impl Api {
    /// The values a parameter of type `ty` takes on the command line: an enum's wire values,
    /// looking through aliases and one level of list (`--status a,b`); empty for other types.
    pub fn enum_values(&self, ty: &TypeRef) -> Vec<String> {
        let ty = match self.resolve_alias(ty) {
            TypeRef::Array(item) => self.resolve_alias(item),
            ty => ty,
        };
        match ty {
            TypeRef::Named(id) => match &self.type_def(*id).kind {
                TypeKind::Enum(e) => e.variants.iter().map(|v| v.wire.clone()).collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::from_yaml;

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    /// `ecosuite <tag> <operation>` of every operation, and each one's flags.
    fn commands(api: &Api) -> Vec<(String, Vec<String>)> {
        api.operations
            .iter()
            .map(|op| {
                (
                    format!("{} {}", api.tag(op.tag).command, op.command),
                    op.params.iter().map(|p| p.flag.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn names_are_the_kebab_case_of_the_rust_names() {
        let api = from_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /projects/{projectId}/datums:
    get:
      operationId: projectDatums
      tags: [service request]
      parameters:
        - {name: projectId, in: path, required: true, schema: {type: string}}
        - {name: projectIds, in: query, schema: {type: string}}
        - {name: type, in: query, schema: {type: string}}
      responses: {'204': {description: ok}}
"#,
        );
        let op = &api.operations[0];
        assert_eq!(op.params[2].rust_name, "type_");
        // A keyword guard's trailing `_` means nothing on a command line.
        assert_eq!(
            commands(&api),
            [(
                "service-request project-datums".to_string(),
                strings(&["project-id", "project-ids", "type"])
            )]
        );
    }

    #[test]
    fn tag_commands_are_clear_of_the_built_in_commands() {
        let names = strings(&["service-request", "call", "login", "operations", "help"]);
        assert_eq!(
            unique(&names, RESERVED_COMMANDS, "api"),
            strings(&[
                "service-request",
                "call-api",
                "login-api",
                "operations-api",
                "help-api"
            ])
        );
    }

    #[test]
    fn flags_are_clear_of_the_global_options() {
        let names = strings(&[
            "project-ids",
            "output",
            "token",
            "base-url",
            "body",
            "timeout",
            "raw",
            "help",
            "profile",
        ]);
        let flags = unique(&names, RESERVED_FLAGS, "param");
        assert_eq!(flags[0], "project-ids");
        for (name, flag) in names.iter().zip(&flags).skip(1) {
            assert_eq!(*flag, format!("{name}-param"));
        }
    }

    #[test]
    fn a_renamed_name_never_takes_one_the_document_gives() {
        // `body` becomes `body-param`, which the document's `body_param` has already, in
        // whichever order they come.
        for names in [["body", "body-param"], ["body-param", "body"]] {
            let names = strings(&names);
            let flags = unique(&names, RESERVED_FLAGS, "param");
            let of = |name: &str| &flags[names.iter().position(|n| n == name).unwrap()];
            assert_eq!(of("body-param"), "body-param");
            assert_eq!(of("body"), "body-param-2");
        }
        // Repeated names (which the model's unique Rust names never give) still part.
        assert_eq!(
            unique(&strings(&["a", "a", "a-2"]), &[], ""),
            strings(&["a", "a-3", "a-2"])
        );
    }

    #[test]
    fn collisions_in_a_document_are_made_unique() {
        let api = from_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      tags: [call]
      parameters:
        - {name: body, in: query, schema: {type: string}}
        - {name: body_param, in: query, schema: {type: string}}
        - {name: raw, in: header, schema: {type: string}}
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: getB
      tags: [call api]
      parameters:
        - {name: body, in: query, schema: {type: string}}
      responses: {'204': {description: ok}}
"#,
        );
        let tags: Vec<&str> = api.tags.iter().map(|t| t.command.as_str()).collect();
        assert_eq!(tags, ["call-api-2", "call-api"]);
        assert_eq!(
            commands(&api),
            [
                (
                    "call-api-2 get-a".to_string(),
                    strings(&["body-param-2", "body-param", "raw-param"])
                ),
                // Flags are unique per operation: this `body` is `body-param` again.
                ("call-api get-b".to_string(), strings(&["body-param"])),
            ]
        );
    }

    #[test]
    fn operation_commands_are_unique_within_their_tag() {
        // `new` is guarded as the method `new_`, whose command is `new` again; the methods
        // are unique, and so are the commands.
        let api = from_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get: {operationId: new, tags: [x], responses: {'204': {description: ok}}}
    post: {operationId: list, tags: [x], responses: {'204': {description: ok}}}
  /b:
    get: {operationId: List, tags: [x], responses: {'204': {description: ok}}}
    post: {operationId: list, tags: [y], responses: {'204': {description: ok}}}
"#,
        );
        let names: Vec<String> = commands(&api).into_iter().map(|(c, _)| c).collect();
        assert_eq!(names, ["x new", "x list", "x list-2", "y list-2"]);
    }

    #[test]
    fn enum_values_look_through_aliases_and_one_list() {
        let api = from_yaml(
            r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Status: {type: string, enum: [active, inactive]}
    Statuses: {type: array, items: {$ref: '#/components/schemas/Status'}}
    Nested: {type: array, items: {$ref: '#/components/schemas/Statuses'}}
    Name: {type: string}
"#,
        );
        let named = |name: &str| {
            let id = api.types.iter().position(|t| t.name == name).unwrap();
            TypeRef::Named(crate::model::TypeId(id))
        };
        assert_eq!(api.enum_values(&named("Status")), ["active", "inactive"]);
        assert_eq!(api.enum_values(&named("Statuses")), ["active", "inactive"]);
        assert!(api.enum_values(&named("Nested")).is_empty());
        assert!(api.enum_values(&named("Name")).is_empty());
        assert!(api
            .enum_values(&TypeRef::String(Default::default()))
            .is_empty());
    }
}
