//! OpenAPI Overlays (the OpenAPI Initiative's Overlay Specification 1.0.0): ordered actions,
//! each a JSONPath `target` with an `update` to merge in or `remove: true`, applied to a
//! document. `update-spec` applies the overlays in `spec/overlays/` to every document it reads,
//! so what we added to Ecosuite's document survives a fetched one.
//!
//! Merging follows the specification: an update merged into an object replaces primitive
//! properties, merges object properties recursively, appends to array properties, and adds new
//! properties at the end; an update aimed at an array is appended to it. Any other combination
//! (an object into a string, say) is an error naming the action. An action whose target
//! matches nothing is not an error but a warning naming it: the upstream document may have
//! taken the change in, or moved what the action was written for; either way someone should look.
//! So is an update that finds its content already there (a member it adds exists, a value it
//! sets is already so): it is merged all the same, but an array entry that is already present is
//! not appended a second time (our one departure from plain appending), so an overlay applied to
//! a document that has taken its change in neither duplicates parameters nor goes unnoticed.

use serde_yaml::{Mapping, Value};

use crate::jsonpath::{self, Step};

/// An overlay document, checked but not yet applied.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Where it came from, for messages.
    pub name: String,
    pub title: String,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone)]
pub struct Action {
    pub target: String,
    pub segments: Vec<jsonpath::Segment>,
    pub description: Option<String>,
    pub change: Change,
}

#[derive(Debug, Clone)]
pub enum Change {
    Update(Value),
    Remove,
}

impl Action {
    /// `action 3 (Adds the records operations; target $.paths)`.
    fn label(&self, index: usize) -> String {
        match &self.description {
            Some(description) => format!(
                "action {} ({description}; target `{}`)",
                index + 1,
                self.target
            ),
            None => format!("action {} (target `{}`)", index + 1, self.target),
        }
    }
}

/// Reads an overlay document (YAML or JSON); `name` says where it came from in errors.
pub fn parse(name: &str, text: &str) -> Result<Overlay, String> {
    let fail = |message: String| format!("{name}: {message}");
    let root: Value = serde_yaml::from_str(text).map_err(|e| fail(e.to_string()))?;
    let Value::Mapping(root) = root else {
        return Err(fail("an overlay is a mapping".into()));
    };
    match root.get("overlay") {
        Some(Value::String(version)) if version.starts_with("1.0.") => {}
        Some(other) => {
            return Err(fail(format!(
                "`overlay` is {}, but only Overlay 1.0.x is supported",
                inline(other)
            )))
        }
        None => {
            return Err(fail(
                "no `overlay` field: is this an Overlay document?".into(),
            ))
        }
    }
    let title = root
        .get("info")
        .and_then(|info| info.get("title"))
        .and_then(Value::as_str)
        .ok_or_else(|| fail("`info.title` is required".into()))?
        .to_string();
    let Some(Value::Sequence(raw_actions)) = root.get("actions") else {
        return Err(fail("`actions` must be a list".into()));
    };
    let mut actions = Vec::new();
    for (index, raw) in raw_actions.iter().enumerate() {
        let at = |message: &str| fail(format!("action {}: {message}", index + 1));
        let target = raw
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| at("`target` (a JSONPath string) is required"))?;
        let segments = jsonpath::parse(target).map_err(|e| at(&e.to_string()))?;
        let description = raw
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        let remove = match raw.get("remove") {
            None => false,
            Some(Value::Bool(remove)) => *remove,
            Some(_) => return Err(at("`remove` must be true or false")),
        };
        let change = match (remove, raw.get("update")) {
            (true, _) => Change::Remove,
            (false, Some(update)) => Change::Update(update.clone()),
            (false, None) => return Err(at("needs `update` or `remove: true`")),
        };
        if remove && segments.is_empty() {
            return Err(at("the root cannot be removed"));
        }
        actions.push(Action {
            target: target.to_string(),
            segments,
            description,
            change,
        });
    }
    Ok(Overlay {
        name: name.to_string(),
        title,
        actions,
    })
}

/// Applies `overlay` to `document` in place. Returns one warning for each action whose target
/// matched nothing; an action that cannot be applied is an error, and `document` is then
/// partly changed (callers work on a copy).
pub fn apply(overlay: &Overlay, document: &mut Value) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    for (index, action) in overlay.actions.iter().enumerate() {
        let locations = jsonpath::select(document, &action.segments);
        if locations.is_empty() {
            warnings.push(format!(
                "{}: {} matched nothing in the document",
                overlay.name,
                action.label(index)
            ));
            continue;
        }
        match &action.change {
            Change::Update(update) => {
                let mut already = Vec::new();
                for location in &locations {
                    let node = jsonpath::get_mut(document, location)
                        .expect("a location just selected exists");
                    merge_into(node, update, &jsonpath::display(location), &mut already)
                        .map_err(|e| format!("{}: {}: {e}", overlay.name, action.label(index)))?;
                }
                if !already.is_empty() {
                    warnings.push(format!(
                        "{}: {}: the document already has {}; merged, but Ecosuite's document may now cover this: check, then delete or fix the action",
                        overlay.name,
                        action.label(index),
                        already.join(", ")
                    ));
                }
            }
            Change::Remove => {
                // Last first, so the indices of earlier array elements stay valid.
                for location in locations.iter().rev() {
                    let (last, parent) = location.split_last().expect("the root is never removed");
                    match (jsonpath::get_mut(document, parent), last) {
                        (Some(Value::Mapping(map)), Step::Key(key)) => {
                            map.shift_remove(key);
                        }
                        (Some(Value::Sequence(items)), Step::Index(index)) => {
                            items.remove(*index);
                        }
                        _ => unreachable!("a selected location's parent holds it"),
                    }
                }
            }
        }
    }
    Ok(warnings)
}

/// Merges `update` into `target` (at `at`, for messages). What the target already had is noted
/// in `already`: a member the update adds that exists (merged into), a value it sets that is
/// already so, an array entry it appends that is already there (not appended twice). An
/// overlay written for a document that has since taken its change in then says so instead of
/// duplicating parameters or tags.
fn merge_into(
    target: &mut Value,
    update: &Value,
    at: &str,
    already: &mut Vec<String>,
) -> Result<(), String> {
    match (target, update) {
        (Value::Mapping(target), Value::Mapping(update)) => {
            merge_mappings(target, update, at, already, true)
        }
        (Value::Sequence(items), entry) => {
            if items.contains(entry) {
                already.push(format!("the entry in `{at}`"));
            } else {
                items.push(entry.clone());
            }
            Ok(())
        }
        (target, update) => Err(format!(
            "cannot merge {} into {} at {at}",
            kind(update),
            kind(target)
        )),
    }
}

fn merge_mappings(
    target: &mut Mapping,
    update: &Mapping,
    at: &str,
    already: &mut Vec<String>,
    top: bool,
) -> Result<(), String> {
    for (key, value) in update {
        let here = format!("{at}{}", &jsonpath::display(&[Step::Key(key.clone())])[1..]);
        let Some(existing) = target.get_mut(key) else {
            target.insert(key.clone(), value.clone());
            continue;
        };
        match (existing, value) {
            (Value::Mapping(existing), Value::Mapping(value)) => {
                if top {
                    already.push(format!("`{here}`"));
                }
                merge_mappings(existing, value, &here, already, false)?
            }
            (Value::Sequence(existing), Value::Sequence(value)) => {
                for entry in value {
                    if existing.contains(entry) {
                        already.push(format!("the entry in `{here}`"));
                    } else {
                        existing.push(entry.clone());
                    }
                }
            }
            (existing, value) if is_primitive(existing) && is_primitive(value) => {
                if existing == value {
                    if top {
                        already.push(format!("`{here}` = {}", inline(value)));
                    }
                } else {
                    *existing = value.clone()
                }
            }
            (existing, value) => {
                return Err(format!(
                    "cannot merge {} into {} at {here}",
                    kind(value),
                    kind(existing)
                ))
            }
        }
    }
    Ok(())
}

fn is_primitive(value: &Value) -> bool {
    !matches!(
        value,
        Value::Mapping(_) | Value::Sequence(_) | Value::Tagged(_)
    )
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Mapping(_) => "an object",
        Value::Sequence(_) => "an array",
        Value::Tagged(_) => "a tagged value",
        _ => "a primitive value",
    }
}

fn inline(value: &Value) -> String {
    serde_yaml::to_string(value)
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    fn overlay(actions: &str) -> Overlay {
        parse(
            "test.yaml",
            &format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n{actions}"),
        )
        .unwrap()
    }

    #[test]
    fn updates_merge_deeply_and_removes_remove() {
        let mut document = yaml(
            "info: {title: A, version: '1'}\npaths:\n  /a: {get: {operationId: a, tags: [x]}}\n  /b: {get: {operationId: b}}\n",
        );
        let overlay = overlay(
            "- target: $.info\n  update: {version: '2', x-extra: {a: 1}}\n\
             - target: $.paths['/a'].get\n  update: {tags: [y], summary: S}\n\
             - target: $.paths['/a'].get.tags\n  update: z\n\
             - target: $.paths['/b']\n  remove: true\n\
             - target: $.paths\n  update: {/c: {get: {operationId: c}}}\n",
        );
        let warnings = apply(&overlay, &mut document).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            document,
            yaml("info: {title: A, version: '2', x-extra: {a: 1}}\npaths:\n  /a: {get: {operationId: a, tags: [x, y, z], summary: S}}\n  /c: {get: {operationId: c}}\n")
        );
        // New keys go at the end, in the update's order.
        let keys: Vec<_> = document["paths"]
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        assert_eq!(keys, ["/a", "/c"]);
    }

    #[test]
    fn an_action_that_matches_nothing_is_reported_by_name() {
        let mut document = yaml("paths: {}\n");
        let overlay =
            overlay("- target: $.paths['/gone']\n  description: Fixes /gone\n  remove: true\n");
        let warnings = apply(&overlay, &mut document).unwrap();
        assert_eq!(
            warnings,
            ["test.yaml: action 1 (Fixes /gone; target `$.paths['/gone']`) matched nothing in the document"]
        );
    }

    #[test]
    fn an_update_the_document_already_has_is_reported_and_not_duplicated() {
        let text =
            "info: {title: A, version: '2'}\npaths:\n  /a:\n    get: {operationId: a, tags: [x]}\n";
        let mut document = yaml(text);
        let overlay = overlay(
            "- target: $.info\n  update: {version: '2'}\n\
             - target: $.paths\n  update: {/a: {get: {operationId: a, tags: [x]}}}\n\
             - target: $.paths['/a'].get.tags\n  update: x\n\
             - target: $.paths\n  update: {/b: {get: {operationId: b}}}\n",
        );
        let warnings = apply(&overlay, &mut document).unwrap();
        let mut expected = yaml(text);
        expected["paths"]["/b"] = yaml("get: {operationId: b}");
        assert_eq!(document, expected);
        assert_eq!(warnings.len(), 3, "{warnings:#?}");
        let has = |warning: &str, parts: &[&str]| parts.iter().all(|part| warning.contains(part));
        assert!(
            has(&warnings[0], &["action 1", "`$.info.version` = '2'"]),
            "{}",
            warnings[0]
        );
        assert!(
            has(
                &warnings[1],
                &[
                    "action 2",
                    "`$.paths['/a']`",
                    "the entry in `$.paths['/a'].get.tags`"
                ]
            ),
            "{}",
            warnings[1]
        );
        assert!(
            has(
                &warnings[2],
                &["action 3", "the entry in `$.paths['/a'].get.tags`"]
            ),
            "{}",
            warnings[2]
        );
    }

    #[test]
    fn incompatible_merges_are_errors() {
        let mut document = yaml("info: {title: A}\n");
        let overlay = overlay("- target: $.info\n  update: {title: {a: 1}}\n");
        let error = apply(&overlay, &mut document).unwrap_err();
        assert!(
            error.contains("action 1")
                && error.contains("cannot merge an object into a primitive value at $.info.title"),
            "{error}"
        );
    }

    #[test]
    fn refuses_malformed_overlays() {
        for (text, message) in [
            ("openapi: 3.0.0\n", "no `overlay` field"),
            (
                "overlay: 2.0.0\ninfo: {title: t}\nactions: []\n",
                "only Overlay 1.0.x",
            ),
            ("overlay: 1.0.0\nactions: []\n", "`info.title` is required"),
            (
                "overlay: 1.0.0\ninfo: {title: t}\nactions:\n- target: $.a\n",
                "action 1: needs `update`",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t}\nactions:\n- target: $..a\n  remove: true\n",
                "descendant",
            ),
            (
                "overlay: 1.0.0\ninfo: {title: t}\nactions:\n- target: $\n  remove: true\n",
                "root cannot be removed",
            ),
        ] {
            let error = parse("o.yaml", text).unwrap_err();
            assert!(
                error.starts_with("o.yaml: ") && error.contains(message),
                "{text}: {error}"
            );
        }
    }
}
