//! The subset of JSONPath (RFC 9535) that overlay targets need, over `serde_yaml` values so
//! the document keeps its key order (the generator keeps the document's order, and
//! `serde_json::Value` would sort keys unless the whole workspace turned on `preserve_order`).
//!
//! Supported: the root `$`, then any number of segments:
//! - `.name` (a member name of letters, digits, `_` and `-`),
//! - `['name']` or `["name"]` (any member name; `\'`, `\"` and `\\` escape),
//! - `[0]` (an array index; negative counts from the end),
//! - `.*` and `[*]` (every member or element).
//!
//! Not supported, and refused with an error rather than misread: descendant segments (`..`),
//! slices, filters (`?`), unions (`,`).

use std::fmt;

use serde_yaml::Value;

/// One parsed segment of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Name(String),
    Index(i64),
    Wildcard,
}

/// A step from a node to one of its children, as found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(Value),
    Index(usize),
}

/// Where a node is: the steps from the root.
pub type Location = Vec<Step>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub path: String,
    pub at: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "JSONPath `{}`, at character {}: {}",
            self.path,
            self.at + 1,
            self.message
        )
    }
}

/// Parses `path` into segments.
pub fn parse(path: &str) -> Result<Vec<Segment>, ParseError> {
    let error = |at: usize, message: &str| ParseError {
        path: path.to_string(),
        at,
        message: message.to_string(),
    };
    let chars: Vec<char> = path.chars().collect();
    if chars.first() != Some(&'$') {
        return Err(error(0, "a path starts with `$`"));
    }
    let mut segments = Vec::new();
    let mut i = 1;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                i += 1;
                match chars.get(i) {
                    Some('.') => {
                        return Err(error(i, "descendant segments (`..`) are not supported"))
                    }
                    Some('*') => {
                        segments.push(Segment::Wildcard);
                        i += 1;
                    }
                    _ => {
                        let start = i;
                        while i < chars.len()
                            && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '-')
                        {
                            i += 1;
                        }
                        if i == start {
                            return Err(error(start, "expected a member name after `.`"));
                        }
                        segments.push(Segment::Name(chars[start..i].iter().collect()));
                    }
                }
            }
            '[' => {
                i += 1;
                match chars.get(i) {
                    Some(&quote @ ('\'' | '"')) => {
                        i += 1;
                        let mut name = String::new();
                        loop {
                            match chars.get(i) {
                                None => return Err(error(i, "unterminated quoted name")),
                                Some('\\') => {
                                    match chars.get(i + 1) {
                                        Some(&c @ ('\'' | '"' | '\\' | '/')) => name.push(c),
                                        _ => return Err(error(i, "unsupported escape")),
                                    }
                                    i += 2;
                                }
                                Some(&c) if c == quote => {
                                    i += 1;
                                    break;
                                }
                                Some(&c) => {
                                    name.push(c);
                                    i += 1;
                                }
                            }
                        }
                        segments.push(Segment::Name(name));
                    }
                    Some('*') => {
                        segments.push(Segment::Wildcard);
                        i += 1;
                    }
                    Some(c) if c.is_ascii_digit() || *c == '-' => {
                        let start = i;
                        i += 1;
                        while i < chars.len() && chars[i].is_ascii_digit() {
                            i += 1;
                        }
                        let text: String = chars[start..i].iter().collect();
                        let index = text
                            .parse()
                            .map_err(|_| error(start, "expected an array index"))?;
                        segments.push(Segment::Index(index));
                    }
                    _ => {
                        return Err(error(
                            i,
                            "expected a quoted name, an index or `*` (filters, slices and unions are not supported)",
                        ))
                    }
                }
                if chars.get(i) != Some(&']') {
                    return Err(error(i, "expected `]`"));
                }
                i += 1;
            }
            _ => return Err(error(i, "expected `.` or `[`")),
        }
    }
    Ok(segments)
}

/// The locations of the nodes `segments` selects in `root`, in document order.
pub fn select(root: &Value, segments: &[Segment]) -> Vec<Location> {
    let mut found = vec![(Vec::new(), root)];
    for segment in segments {
        let mut next = Vec::new();
        for (location, node) in found {
            let mut push = |step: Step, child| {
                let mut location = location.clone();
                location.push(step);
                next.push((location, child));
            };
            match (segment, node) {
                (Segment::Name(name), Value::Mapping(map)) => {
                    if let Some((key, child)) = map.iter().find(|(key, _)| key_is(key, name)) {
                        push(Step::Key(key.clone()), child);
                    }
                }
                (Segment::Index(index), Value::Sequence(items)) => {
                    let len = items.len() as i64;
                    let index = if *index < 0 { len + index } else { *index };
                    if (0..len).contains(&index) {
                        push(Step::Index(index as usize), &items[index as usize]);
                    }
                }
                (Segment::Wildcard, Value::Mapping(map)) => {
                    for (key, child) in map {
                        push(Step::Key(key.clone()), child);
                    }
                }
                (Segment::Wildcard, Value::Sequence(items)) => {
                    for (index, child) in items.iter().enumerate() {
                        push(Step::Index(index), child);
                    }
                }
                _ => {}
            }
        }
        found = next;
    }
    found.into_iter().map(|(location, _)| location).collect()
}

/// A YAML key matches a JSONPath name when it is that string, or a number or boolean spelled
/// that way (YAML allows `200:` unquoted; JSON would have `"200"`).
fn key_is(key: &Value, name: &str) -> bool {
    match key {
        Value::String(text) => text == name,
        Value::Number(number) => number.to_string() == name,
        Value::Bool(flag) => flag.to_string() == name,
        _ => false,
    }
}

/// The node at `location`, for changing it.
pub fn get_mut<'a>(root: &'a mut Value, location: &[Step]) -> Option<&'a mut Value> {
    location
        .iter()
        .try_fold(root, |node, step| match (step, node) {
            (Step::Key(key), Value::Mapping(map)) => map.get_mut(key),
            (Step::Index(index), Value::Sequence(items)) => items.get_mut(*index),
            _ => None,
        })
}

/// `location` as a JSONPath, for messages.
pub fn display(location: &[Step]) -> String {
    let mut out = String::from("$");
    for step in location {
        match step {
            Step::Index(index) => out.push_str(&format!("[{index}]")),
            Step::Key(key) => {
                let name = match key {
                    Value::String(text) => text.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                let plain = !name.is_empty()
                    && !name.starts_with(|c: char| c.is_ascii_digit() || c == '-')
                    && name
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
                if plain {
                    out.push('.');
                    out.push_str(&name);
                } else {
                    out.push_str(&format!(
                        "['{}']",
                        name.replace('\\', "\\\\").replace('\'', "\\'")
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        serde_yaml::from_str(
            "paths:\n  /a/{id}:\n    get: {operationId: a}\n    put: {operationId: b}\n  /b:\n    get: {operationId: c}\ncomponents:\n  schemas:\n    Name: {type: string}\n    it's: {type: integer}\nresponses:\n  200: {description: OK}\ntags: [x, y, z]\n",
        )
        .unwrap()
    }

    fn paths(path: &str) -> Vec<String> {
        let segments = parse(path).unwrap();
        select(&doc(), &segments)
            .iter()
            .map(|location| display(location))
            .collect()
    }

    #[test]
    fn selects_by_dotted_and_bracketed_names() {
        assert_eq!(paths("$.paths['/a/{id}'].get"), ["$.paths['/a/{id}'].get"]);
        assert_eq!(paths("$[\"paths\"][\"/b\"]"), ["$.paths['/b']"]);
        assert_eq!(
            paths("$.components.schemas.Name"),
            ["$.components.schemas.Name"]
        );
        assert_eq!(
            paths("$.components.schemas['it\\'s']"),
            ["$.components.schemas['it\\'s']"]
        );
        assert_eq!(paths("$.responses['200']"), ["$.responses['200']"]);
        assert_eq!(paths("$"), ["$"]);
    }

    #[test]
    fn selects_by_index_and_wildcard() {
        assert_eq!(paths("$.tags[0]"), ["$.tags[0]"]);
        assert_eq!(paths("$.tags[-1]"), ["$.tags[2]"]);
        assert!(paths("$.tags[3]").is_empty());
        assert_eq!(
            paths("$.paths.*.get"),
            ["$.paths['/a/{id}'].get", "$.paths['/b'].get"]
        );
        assert_eq!(paths("$.paths['/a/{id}'][*]").len(), 2);
    }

    #[test]
    fn nothing_matches_a_missing_name_or_a_wrong_kind() {
        assert!(paths("$.paths['/c']").is_empty());
        assert!(paths("$.tags.name").is_empty());
        assert!(paths("$.components[0]").is_empty());
    }

    #[test]
    fn refuses_what_it_does_not_support() {
        for (path, message) in [
            ("paths", "starts with `$`"),
            ("$..get", "descendant"),
            ("$.tags[?@ == 'x']", "filters"),
            ("$.tags[0:2]", "expected `]`"),
            ("$.paths['/a", "unterminated"),
            ("$.", "member name"),
            ("$x", "expected `.` or `[`"),
        ] {
            let error = parse(path).unwrap_err();
            assert!(error.to_string().contains(message), "{path}: {error}");
        }
    }
}
