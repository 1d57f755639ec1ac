//! Changes to operations: added, removed, moved; their parameters, bodies, responses and
//! security.

use std::collections::BTreeMap;

use super::{ApiImpact, Bump, Change, Effect, RustImpact, Subject};
use crate::model::{Api, BodyKind, Operation, Param, ResponseBody, Tag};

/// Collects the changes of one operation, sharing its subject and tag.
struct OperationChanges<'a> {
    op: &'a Operation,
    tag: &'a Tag,
    changes: Vec<Change>,
}

impl OperationChanges<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        summary: String,
        breaking: bool,
        api_reason: &str,
        bump: Bump,
        items: Vec<String>,
        rust_reason: &str,
    ) {
        self.changes.push(Change {
            subject: subject(self.op),
            effect: Effect::Modified,
            summary,
            tags: vec![self.tag.name.clone()],
            reaches: vec![self.op.operation_id.clone()],
            api: ApiImpact {
                breaking,
                reason: api_reason.to_string(),
            },
            rust: RustImpact {
                bump,
                items,
                reason: rust_reason.to_string(),
            },
        });
    }
}

fn subject(op: &Operation) -> Subject {
    Subject::Operation {
        operation_id: op.operation_id.clone(),
        method: op.http_method.clone(),
        path: op.path.clone(),
    }
}

fn api_struct<'a>(api: &'a Api, op: &Operation) -> &'a str {
    &api.tag(op.tag).api_struct
}

fn method_item(api: &Api, op: &Operation) -> String {
    format!("fn {}::{}", api_struct(api, op), op.method_name)
}

fn setter_item(op: &Operation, param: &Param) -> String {
    format!("fn {}::{}", op.builder_name, param.rust_name)
}

fn location(param: &Param) -> &'static str {
    param.location.as_str()
}

pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.operation_id.as_str(), o))
        .collect();
    let new_ops: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.operation_id.as_str(), o))
        .collect();
    let mut changes = Vec::new();
    for op in &old.operations {
        if !new_ops.contains_key(op.operation_id.as_str()) {
            let mut c = OperationChanges {
                op,
                tag: old.tag(op.tag),
                changes: Vec::new(),
            };
            c.push(
                format!("operation `{}` removed", op.operation_id),
                true,
                "callers of this operation get errors",
                Bump::Major,
                vec![method_item(old, op), format!("struct {}", op.builder_name)],
                "a public method and its request builder are removed",
            );
            c.changes
                .iter_mut()
                .for_each(|change| change.effect = Effect::Removed);
            changes.extend(c.changes);
        }
    }
    for op in &new.operations {
        match old_ops.get(op.operation_id.as_str()) {
            None => {
                let mut c = OperationChanges {
                    op,
                    tag: new.tag(op.tag),
                    changes: Vec::new(),
                };
                c.push(
                    format!("operation `{}` added", op.operation_id),
                    false,
                    "a new operation breaks no caller",
                    Bump::Minor,
                    vec![method_item(new, op), format!("struct {}", op.builder_name)],
                    "a new method and request builder",
                );
                c.changes
                    .iter_mut()
                    .for_each(|change| change.effect = Effect::Added);
                changes.extend(c.changes);
            }
            Some(before) => changes.extend(compare_operation(old, before, new, op)),
        }
    }
    changes
}

fn compare_operation(old: &Api, before: &Operation, new: &Api, after: &Operation) -> Vec<Change> {
    let mut c = OperationChanges {
        op: after,
        tag: new.tag(after.tag),
        changes: Vec::new(),
    };
    if before.http_method != after.http_method || before.path != after.path {
        c.push(
            format!(
                "moved from `{} {}` to `{} {}`",
                before.http_method, before.path, after.http_method, after.path
            ),
            true,
            "callers still sending the old method or path miss the operation",
            Bump::Patch,
            Vec::new(),
            "the method keeps its name and arguments; only the request it sends changes",
        );
    }
    let (tag_before, tag_after) = (&old.tag(before.tag).name, &new.tag(after.tag).name);
    if tag_before != tag_after {
        c.push(
            format!("tag changed from `{tag_before}` to `{tag_after}`"),
            false,
            "tags do not reach the wire",
            Bump::Major,
            vec![method_item(old, before), method_item(new, after)],
            "the method moves to another tag's API struct",
        );
    }
    compare_params(&mut c, old, before, new, after);
    compare_body(&mut c, old, before, new, after);
    compare_responses(&mut c, old, before, new, after);
    if before.auth_declared != after.auth_declared {
        let (summary, breaking, reason) = if after.auth_declared {
            (
                "now requires authentication",
                true,
                "callers without credentials are refused",
            )
        } else {
            (
                "no longer declares authentication (`security: []`)",
                false,
                "requirements are relaxed",
            )
        };
        c.push(
            summary.to_string(),
            breaking,
            reason,
            Bump::Patch,
            Vec::new(),
            "the client sends its token on every operation either way",
        );
    }
    c.changes
}

fn compare_params(
    c: &mut OperationChanges,
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
) {
    let old_params: BTreeMap<_, &Param> = before.params.iter().map(|p| (param_key(p), p)).collect();
    let new_params: BTreeMap<_, &Param> = after.params.iter().map(|p| (param_key(p), p)).collect();
    let removed: Vec<&Param> = before
        .params
        .iter()
        .filter(|p| !new_params.contains_key(&param_key(p)))
        .collect();
    let added: Vec<&Param> = after
        .params
        .iter()
        .filter(|p| !old_params.contains_key(&param_key(p)))
        .collect();
    let (removed, added, renames) = pair_renames(old, removed, new, added);
    report_renames(c, new, before, after, &renames);
    let renamed: Vec<(Param, Param)> = renames
        .iter()
        .map(|(gone, replacement)| ((*gone).clone(), (*replacement).clone()))
        .collect();
    compare_positions(c, old, before, new, after, &renamed);
    report_removed(c, old, before, &removed);
    report_added(c, new, after, &added);
    for param in &after.params {
        if let Some(previous) = old_params.get(&param_key(param)) {
            compare_param(c, old, previous, new, after, param);
        }
    }
}

/// What identifies a parameter across two documents: its name and where it goes.
fn param_key(p: &Param) -> (String, &'static str) {
    (p.wire_name.clone(), location(p))
}

type Renames<'a> = Vec<(&'a Param, &'a Param)>;

/// A parameter removed and one added at the same place with the same type and requiredness is
/// a rename (`projectIrd` -> `projectId`): those pairs, and what is left removed and added.
fn pair_renames<'a>(
    old: &Api,
    mut removed: Vec<&'a Param>,
    new: &Api,
    mut added: Vec<&'a Param>,
) -> (Vec<&'a Param>, Vec<&'a Param>, Renames<'a>) {
    let mut renames = Vec::new();
    removed.retain(|gone| {
        let same = added.iter().position(|new_param| {
            new_param.location == gone.location
                && new_param.required == gone.required
                && new_param.ty.label(new) == gone.ty.label(old)
        });
        match same {
            Some(index) => {
                renames.push((*gone, added.remove(index)));
                false
            }
            None => true,
        }
    });
    (removed, added, renames)
}

fn report_renames(
    c: &mut OperationChanges,
    new: &Api,
    before: &Operation,
    after: &Operation,
    renames: &Renames<'_>,
) {
    for (gone, replacement) in renames {
        let items = if replacement.required {
            vec![method_item(new, after)]
        } else {
            vec![setter_item(before, gone), setter_item(after, replacement)]
        };
        c.push(
            format!(
                "{} parameter `{}` renamed to `{}`",
                location(gone),
                gone.wire_name,
                replacement.wire_name
            ),
            true,
            "callers sending the old name are not understood",
            // A positional argument's name is not part of the crate's API: calling code
            // compiles and works as before (its position is checked by `compare_positions`).
            if replacement.required {
                Bump::Patch
            } else {
                Bump::Major
            },
            items,
            if replacement.required {
                "a positional argument's name is not part of the crate's API: calling code is unaffected"
            } else {
                "a setter is renamed"
            },
        );
    }
}

fn report_removed(c: &mut OperationChanges, old: &Api, before: &Operation, removed: &[&Param]) {
    for param in removed {
        c.push(
            format!(
                "{} parameter `{}` removed",
                location(param),
                param.wire_name
            ),
            true,
            "callers sending it may be refused or misunderstood",
            Bump::Major,
            vec![if param.required {
                method_item(old, before)
            } else {
                setter_item(before, param)
            }],
            if param.required {
                "a positional argument is removed"
            } else {
                "a setter is removed"
            },
        );
    }
}

fn report_added(c: &mut OperationChanges, new: &Api, after: &Operation, added: &[&Param]) {
    for param in added {
        if param.required {
            c.push(
                format!(
                    "required {} parameter `{}` added",
                    location(param),
                    param.wire_name
                ),
                true,
                "callers that do not send it are refused",
                Bump::Major,
                vec![method_item(new, after)],
                "the method gains a positional argument",
            );
        } else {
            c.push(
                format!(
                    "optional {} parameter `{}` added",
                    location(param),
                    param.wire_name
                ),
                false,
                "an optional parameter breaks no caller",
                Bump::Minor,
                vec![setter_item(after, param)],
                "a new setter on the request builder",
            );
        }
    }
}

/// A parameter both documents have: made required or optional, or its type changed.
fn compare_param(
    c: &mut OperationChanges,
    old: &Api,
    previous: &Param,
    new: &Api,
    after: &Operation,
    param: &Param,
) {
    if previous.required != param.required {
        let (summary, breaking, reason) = if param.required {
            (
                "made required",
                true,
                "callers that do not send it are refused",
            )
        } else {
            ("made optional", false, "requirements are relaxed")
        };
        c.push(
            format!(
                "{} parameter `{}` {summary}",
                location(param),
                param.wire_name
            ),
            breaking,
            reason,
            Bump::Major,
            vec![method_item(new, after), setter_item(after, param)],
            "the parameter moves between the method's arguments and the builder's setters",
        );
    }
    let (was, is) = (previous.ty.label(old), param.ty.label(new));
    if was != is {
        c.push(
            format!(
                "{} parameter `{}` type changed from `{was}` to `{is}`",
                location(param),
                param.wire_name
            ),
            true,
            "values of the old type may be refused",
            Bump::Major,
            vec![if param.required {
                method_item(new, after)
            } else {
                setter_item(after, param)
            }],
            "the argument's Rust type changes",
        );
    }
}

/// The order of the method's positional (required) arguments. Path parameters come first,
/// in path order, so a path that swaps `{a}` and `{b}` swaps the arguments: when they have
/// the same type, calling code still compiles and silently sends each value as the other.
fn compare_positions(
    c: &mut OperationChanges,
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
    renamed: &[(Param, Param)],
) {
    // Old parameters under the names they have now, so a rename is the same argument.
    let current_name = |p: &Param| {
        renamed
            .iter()
            .find(|(gone, _)| gone.wire_name == p.wire_name && gone.location == p.location)
            .map_or_else(|| p.wire_name.clone(), |(_, now)| now.wire_name.clone())
    };
    let old_order: Vec<(String, String)> = before
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (current_name(p), p.ty.label(old)))
        .collect();
    let new_order: Vec<(String, String)> = after
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (p.wire_name.clone(), p.ty.label(new)))
        .collect();
    let in_both =
        |order: &[(String, String)], other: &[(String, String)]| -> Vec<(String, String)> {
            order
                .iter()
                .filter(|(name, _)| other.iter().any(|(n, _)| n == name))
                .cloned()
                .collect()
        };
    let (was, is) = (
        in_both(&old_order, &new_order),
        in_both(&new_order, &old_order),
    );
    if was == is {
        return;
    }
    let names = |order: &[(String, String)]| {
        order
            .iter()
            .map(|(name, _)| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Same types at the moved positions: nothing stops calling code from compiling.
    let silent = was
        .iter()
        .zip(&is)
        .all(|((_, was_type), (_, is_type))| was_type == is_type);
    c.push(
        format!(
            "positional arguments reordered from {} to {}",
            names(&was),
            names(&is)
        ),
        false,
        "the request names each parameter, so its meaning is unchanged",
        Bump::Major,
        vec![method_item(new, after)],
        if silent {
            "the arguments have the same types: calling code compiles and sends each value as the other"
        } else {
            "the method's arguments change order"
        },
    );
}

fn body_label(api: &Api, kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart { ty, .. } => ty.label(api),
        BodyKind::Text => "String".into(),
        BodyKind::Binary => "Bytes".into(),
    }
}

fn compare_body(
    c: &mut OperationChanges,
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
) {
    match (&before.body, &after.body) {
        (None, None) => {}
        (None, Some(body)) => c.push(
            format!(
                "request body `{}` added{}",
                body_label(new, &body.kind),
                if body.required { ", required" } else { "" }
            ),
            body.required,
            if body.required {
                "callers that send no body are refused"
            } else {
                "an optional body breaks no caller"
            },
            if body.required {
                Bump::Major
            } else {
                Bump::Minor
            },
            vec![method_item(new, after)],
            if body.required {
                "the method gains a `body` argument"
            } else {
                "a new `body` setter"
            },
        ),
        (Some(body), None) => c.push(
            format!("request body `{}` removed", body_label(old, &body.kind)),
            true,
            "callers sending a body may be refused",
            Bump::Major,
            vec![method_item(old, before)],
            "the `body` argument or setter is removed",
        ),
        (Some(was), Some(is)) => {
            let (was_label, is_label) = (body_label(old, &was.kind), body_label(new, &is.kind));
            if was_label != is_label || was.content_type != is.content_type {
                c.push(
                    format!(
                        "request body changed from `{was_label}` ({}) to `{is_label}` ({})",
                        was.content_type, is.content_type
                    ),
                    true,
                    "bodies of the old shape may be refused",
                    Bump::Major,
                    vec![method_item(new, after)],
                    "the body's Rust type changes",
                );
            }
            if was.required != is.required {
                c.push(
                    format!(
                        "request body made {}",
                        if is.required { "required" } else { "optional" }
                    ),
                    is.required,
                    if is.required {
                        "callers that send no body are refused"
                    } else {
                        "requirements are relaxed"
                    },
                    Bump::Major,
                    vec![method_item(new, after)],
                    "the body moves between the method's arguments and a setter",
                );
            }
        }
    }
}

fn response_label(api: &Api, body: &ResponseBody) -> String {
    match body {
        ResponseBody::Empty => "()".into(),
        ResponseBody::Json(ty) => ty.label(api),
        ResponseBody::Text => "String".into(),
        ResponseBody::Binary => "Bytes".into(),
        ResponseBody::Undocumented => "Value".into(),
    }
}

fn compare_responses(
    c: &mut OperationChanges,
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
) {
    let send_item = format!("fn {}::send", after.builder_name);
    let (was, is) = (&before.response, &after.response);
    if was.status != is.status {
        let summary = match (&was.status, &is.status) {
            (None, Some(status)) => format!("success response `{status}` documented"),
            (Some(status), None) => format!("success response `{status}` removed"),
            (Some(a), Some(b)) => format!("success status changed from `{a}` to `{b}`"),
            (None, None) => unreachable!("statuses differ"),
        };
        c.push(
            summary,
            is.status.is_none(),
            if is.status.is_none() {
                "the documented success is gone"
            } else {
                "documents what the server already does"
            },
            Bump::Patch,
            Vec::new(),
            "any 2xx status is a success for the client",
        );
    }
    let (was_body, is_body) = (
        response_label(old, &was.body),
        response_label(new, &is.body),
    );
    if was_body != is_body {
        c.push(
            format!("response body changed from `{was_body}` to `{is_body}`"),
            was.body != ResponseBody::Undocumented,
            if was.body == ResponseBody::Undocumented {
                "the body is now documented"
            } else {
                "readers of the old shape may fail to decode the new one"
            },
            Bump::Major,
            vec![send_item],
            "`send()` returns another type",
        );
    }
    let statuses = |op: &Operation| {
        op.errors
            .iter()
            .map(|e| e.status.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (was_errors, is_errors) = (statuses(before), statuses(after));
    for status in is_errors.difference(&was_errors) {
        c.push(
            format!("error response `{status}` documented"),
            false,
            "documents an error the caller may already see",
            Bump::Patch,
            Vec::new(),
            "errors are one `Error` type; only documentation changes",
        );
    }
    for status in was_errors.difference(&is_errors) {
        c.push(
            format!("error response `{status}` no longer documented"),
            false,
            "fewer documented errors breaks no caller",
            Bump::Patch,
            Vec::new(),
            "errors are one `Error` type; only documentation changes",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::test_support::{edit, only_change, report};
    use crate::diff::{Bump, Effect, Subject};

    const BASE: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
security:
- key: []
paths:
  /items/{id}:
    get:
      tags: [items]
      operationId: getItem
      parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: q, in: query, schema: {type: string}}
      responses:
        '200': {description: OK, content: {application/json: {schema: {type: string}}}}
  /other:
    get:
      tags: [items]
      operationId: getOther
      responses:
        '204': {description: done}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: Authorization}
"#;

    const OTHER: &str = "  /other:\n    get:\n      tags: [items]\n      operationId: getOther\n      responses:\n        '204': {description: done}\n";

    #[test]
    fn nothing_changed_is_nothing_to_report() {
        let report = report(BASE, BASE);
        assert!(report.changes.is_empty());
        assert_eq!(report.semver, Bump::Patch);
    }

    #[test]
    fn an_operation_removed_is_major_and_breaks_callers() {
        let report = report(BASE, &edit(BASE, OTHER, ""));
        let change = only_change(&report, "operation `getOther` removed");
        assert_eq!(change.effect, Effect::Removed);
        assert!(matches!(
            &change.subject,
            Subject::Operation { operation_id, .. } if operation_id == "getOther"
        ));
        assert!(change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Major);
        assert_eq!(report.semver, Bump::Major);
    }

    #[test]
    fn an_operation_added_is_minor() {
        let report = report(&edit(BASE, OTHER, ""), BASE);
        let change = only_change(&report, "operation `getOther` added");
        assert_eq!(change.effect, Effect::Added);
        assert!(!change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Minor);
        assert_eq!(report.semver, Bump::Minor);
    }

    const Q: &str = "      - {name: q, in: query, schema: {type: string}}\n";

    #[test]
    fn an_optional_parameter_added_is_minor_and_removed_is_major() {
        let with_limit = edit(
            BASE,
            Q,
            &format!("{Q}      - {{name: limit, in: query, schema: {{type: integer}}}}\n"),
        );
        let added = report(BASE, &with_limit);
        let change = only_change(&added, "optional query parameter `limit` added");
        assert!(!change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Minor);

        let removed = report(&with_limit, BASE);
        let change = only_change(&removed, "query parameter `limit` removed");
        assert!(change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Major);
    }

    #[test]
    fn a_required_parameter_added_is_major_and_breaks_callers() {
        let report = report(
            BASE,
            &edit(
                BASE,
                Q,
                &format!(
                    "{Q}      - {{name: limit, in: query, required: true, schema: {{type: integer}}}}\n"
                ),
            ),
        );
        let change = only_change(&report, "required query parameter `limit` added");
        assert!(change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Major);
    }

    #[test]
    fn a_parameter_made_required_is_major() {
        let report = report(
            BASE,
            &edit(
                BASE,
                "{name: q, in: query, schema",
                "{name: q, in: query, required: true, schema",
            ),
        );
        let change = only_change(&report, "query parameter `q` made required");
        assert!(change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Major);
    }

    #[test]
    fn a_response_body_type_changed_is_major() {
        let report = report(
            BASE,
            &edit(
                BASE,
                "schema: {type: string}}}}",
                "schema: {type: integer}}}}",
            ),
        );
        let change = only_change(&report, "response body changed from `String` to `i64`");
        assert!(change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Major);
    }

    #[test]
    fn security_relaxed_changes_no_rust_item() {
        let report = report(
            BASE,
            &edit(
                BASE,
                "      operationId: getOther\n",
                "      operationId: getOther\n      security: []\n",
            ),
        );
        let change = only_change(&report, "no longer declares authentication");
        assert!(!change.api.breaking);
        assert_eq!(change.rust.bump, Bump::Patch);
    }
}
