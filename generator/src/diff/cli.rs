//! Changes to the `ecosuite` command line, as a script that runs it sees them: commands that
//! appear, disappear or move; arguments and `--flags` that are added, removed, renamed or
//! become required; enum values a flag takes; `--body`.
//!
//! The names are the model's (`Tag::command`, `Operation::command`, `Param::flag`,
//! `Api::enum_values`), which `emit::cli` prints, so what this reports is what the generated
//! command line does.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Api, Operation, Param, ParamLocation, ResponseBody};

/// One change to the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CliChange {
    /// The command it concerns, e.g. `ecosuite energy project-datums`.
    pub command: String,
    pub summary: String,
    /// Whether a script that worked before can fail now.
    pub breaking: bool,
}

pub fn compare(old: &Api, new: &Api) -> Vec<CliChange> {
    let by_id = |api: &'_ Api| -> BTreeMap<String, usize> {
        api.operations
            .iter()
            .enumerate()
            .map(|(i, op)| (op.operation_id.clone(), i))
            .collect()
    };
    let (old_ids, new_ids) = (by_id(old), by_id(new));
    let mut changes = Vec::new();
    for op in &old.operations {
        if !new_ids.contains_key(&op.operation_id) {
            changes.push(CliChange {
                command: command(old, op),
                summary: format!(
                    "command removed, and `ecosuite call {}` with it",
                    op.operation_id
                ),
                breaking: true,
            });
        }
    }
    for op in &new.operations {
        match old_ids.get(&op.operation_id) {
            None => changes.push(CliChange {
                command: command(new, op),
                summary: format!("new command (also `ecosuite call {}`)", op.operation_id),
                breaking: false,
            }),
            Some(&index) => compare_operation(old, &old.operations[index], new, op, &mut changes),
        }
    }
    changes
}

/// `ecosuite <tag> <operation>` for an operation of `api`.
fn command(api: &Api, op: &Operation) -> String {
    format!("ecosuite {} {}", api.tag(op.tag).command, op.command)
}

fn compare_operation(
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
    changes: &mut Vec<CliChange>,
) {
    let was = command(old, before);
    let now = command(new, after);
    let mut push = |summary: String, breaking: bool| {
        changes.push(CliChange {
            command: now.clone(),
            summary,
            breaking,
        })
    };
    if was != now {
        push(
            format!(
                "was `{was}`: scripts using the old command fail (`ecosuite call {}` still works)",
                after.operation_id
            ),
            true,
        );
    }

    let arguments = |op: &Operation| -> Vec<String> {
        op.params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .map(|p| p.wire_name.clone())
            .collect()
    };
    let (args_before, args_after) = (arguments(before), arguments(after));
    if args_before != args_after {
        push(
            format!(
                "its arguments are now `{}` (were `{}`)",
                args_after.join(" "),
                args_before.join(" ")
            ),
            true,
        );
    }

    let options = |op: &Operation| -> Vec<Param> {
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .cloned()
            .collect()
    };
    let (options_before, options_after) = (options(before), options(after));
    let find = |list: &[Param], param: &Param| -> Option<Param> {
        list.iter()
            .find(|p| p.wire_name == param.wire_name && p.location == param.location)
            .cloned()
    };
    for param in &options_before {
        if find(&options_after, param).is_none() {
            push(
                format!(
                    "`--{}` (`{}`) removed: scripts passing it fail",
                    param.flag, param.wire_name
                ),
                true,
            );
        }
    }
    for param in &options_after {
        let flag = &param.flag;
        let Some(previous) = find(&options_before, param) else {
            if param.required {
                push(
                    format!(
                        "new required `--{flag}` (`{}`): scripts without it fail",
                        param.wire_name
                    ),
                    true,
                );
            } else {
                push(
                    format!("new option `--{flag}` (`{}`)", param.wire_name),
                    false,
                );
            }
            continue;
        };
        let previous_flag = &previous.flag;
        if previous_flag != flag {
            push(
                format!(
                    "`--{previous_flag}` is now `--{flag}` (`-p {}` unchanged)",
                    param.wire_name
                ),
                true,
            );
        }
        match (previous.required, param.required) {
            (false, true) => push(format!("`--{flag}` is now required"), true),
            (true, false) => push(format!("`--{flag}` is now optional"), false),
            _ => {}
        }
        let (values_before, values_after) =
            (old.enum_values(&previous.ty), new.enum_values(&param.ty));
        let dropped: Vec<&String> = values_before
            .iter()
            .filter(|v| !values_after.is_empty() && !values_after.contains(v))
            .collect();
        let added: Vec<&String> = values_after
            .iter()
            .filter(|v| !values_before.is_empty() && !values_before.contains(v))
            .collect();
        if !dropped.is_empty() {
            push(
                format!("`--{flag}` no longer takes {}", list(&dropped)),
                true,
            );
        }
        if !added.is_empty() {
            push(format!("`--{flag}` also takes {}", list(&added)), false);
        }
        if values_before.is_empty() && !values_after.is_empty() {
            push(
                format!(
                    "`--{flag}` now takes only {}",
                    list(&values_after.iter().collect::<Vec<_>>())
                ),
                true,
            );
        }
    }

    let printed = |api: &Api, body: &ResponseBody| match body {
        ResponseBody::Empty => "nothing".to_string(),
        ResponseBody::Json(ty) => format!("`{}`", ty.label(api)),
        ResponseBody::Text => "text".to_string(),
        ResponseBody::Binary => "bytes".to_string(),
        ResponseBody::Undocumented => "any JSON".to_string(),
    };
    let (printed_before, printed_after) = (
        printed(old, &before.response.body),
        printed(new, &after.response.body),
    );
    if printed_before != printed_after {
        // Scripts reading fields the document does not describe lose them once the answer
        // is decoded into a type; a reviewer should see that, though most scripts keep working.
        push(
            format!("prints {printed_after} (was {printed_before}): only what that type describes is printed"),
            false,
        );
    }

    match (&before.body, &after.body) {
        (None, Some(body)) if body.required => push("now needs `--body`".into(), true),
        (None, Some(_)) => push("takes `--body`".into(), false),
        (Some(_), None) => push(
            "no longer takes `--body`: scripts passing it fail".into(),
            true,
        ),
        (Some(was), Some(now)) if !was.required && now.required => {
            push("`--body` is now required".into(), true)
        }
        (Some(was), Some(now)) if was.required && !now.required => {
            push("`--body` is now optional".into(), false)
        }
        _ => {}
    }
}

fn list(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
