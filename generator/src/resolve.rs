//! `$ref` resolution with cycle detection, and mapping JSON pointers back to source lines.

use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

use crate::diagnostics::escape_pointer_token;

/// Why a `$ref` could not be followed.
#[derive(Debug)]
pub enum RefError {
    /// Only local references into `#/components/...` are supported.
    External(String),
    Dangling(String),
    Cycle(Vec<String>),
}

impl std::fmt::Display for RefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefError::External(r) => write!(f, "`$ref: {r}` points outside this document; only `#/components/...` references are supported"),
            RefError::Dangling(r) => write!(f, "`$ref: {r}` points to nothing in this document"),
            RefError::Cycle(chain) => write!(f, "`$ref` cycle with no schema in it: {}", chain.join(" -> ")),
        }
    }
}

/// The name of the component a `#/components/<section>/<name>` reference points to.
pub fn component_name<'r>(reference: &'r str, section: &str) -> Result<&'r str, RefError> {
    let prefix = format!("#/components/{section}/");
    reference
        .strip_prefix(prefix.as_str())
        .filter(|name| !name.is_empty() && !name.contains('/'))
        .ok_or_else(|| RefError::External(reference.to_string()))
}

/// Follows a chain of schema references (`A: $ref B`, `B: $ref C`) to the component that
/// holds an actual schema, returning that component's name.
pub fn schema_component<'a>(
    api: &'a OpenAPI,
    reference: &str,
) -> Result<(String, &'a Schema), RefError> {
    let mut seen = Vec::new();
    let mut current = reference.to_string();
    loop {
        if seen.contains(&current) {
            seen.push(current);
            return Err(RefError::Cycle(seen));
        }
        let name = component_name(&current, "schemas")?.to_string();
        let target = api
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(&name))
            .ok_or_else(|| RefError::Dangling(current.clone()))?;
        seen.push(current);
        match target {
            ReferenceOr::Item(schema) => return Ok((name, schema)),
            ReferenceOr::Reference { reference } => current = reference.clone(),
        }
    }
}

macro_rules! resolver {
    ($fn_name:ident, $ty:ty, $section:literal, $field:ident) => {
        /// Resolves an inline item or a (chain of) references into `#/components/
        #[doc = $section]
        /// `.
        pub fn $fn_name<'a>(
            api: &'a OpenAPI,
            item: &'a ReferenceOr<$ty>,
        ) -> Result<&'a $ty, RefError> {
            let mut current = item;
            let mut seen: Vec<String> = Vec::new();
            loop {
                match current {
                    ReferenceOr::Item(value) => return Ok(value),
                    ReferenceOr::Reference { reference } => {
                        if seen.contains(reference) {
                            seen.push(reference.clone());
                            return Err(RefError::Cycle(seen));
                        }
                        let name = component_name(reference, $section)?;
                        current = api
                            .components
                            .as_ref()
                            .and_then(|c| c.$field.get(name))
                            .ok_or_else(|| RefError::Dangling(reference.clone()))?;
                        seen.push(reference.clone());
                    }
                }
            }
        }
    };
}

resolver!(parameter, Parameter, "parameters", parameters);
resolver!(request_body, RequestBody, "requestBodies", request_bodies);
resolver!(response, Response, "responses", responses);

/// The 1-based line where the node at `pointer` starts, found by scanning the text.
///
/// The typed document keeps no positions, so this walks the pointer's tokens through the
/// source: in YAML by indentation, in JSON by key order. It is a best effort for messages,
/// never used for decisions. To locate many pointers in one text, use a [`Locator`].
pub fn line_of_pointer(text: &str, pointer: &str) -> Option<usize> {
    Locator::new(text).line(pointer)
}

/// Locates many pointers in one text, with the answers of [`line_of_pointer`]: the text is
/// split into lines once, and where each pointer prefix was found is remembered, so pointers
/// that share a prefix (the keywords of one schema, the schemas of one component) scan the
/// text only past it. Locating is otherwise a scan from the top, which for a few dozen
/// warnings in a 4 MB document cost more than the whole keyword ledger.
pub struct Locator<'t> {
    lines: Vec<&'t str>,
    json: bool,
    /// Pointer prefix -> where the scan stood after it.
    found: std::collections::HashMap<String, Step>,
}

/// Where the scan stands after some tokens of a pointer.
#[derive(Debug, Clone, Copy)]
struct Step {
    /// The 0-based line of the last token (JSON skips array indices: none if all were).
    line: Option<usize>,
    /// Where the next token's search starts.
    start: usize,
    /// YAML: the indentation the next token's key must exceed.
    parent_indent: isize,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Locator {
            lines: text.lines().collect(),
            json: text.trim_start().starts_with('{'),
            found: std::collections::HashMap::new(),
        }
    }

    /// The 1-based line where the node at `pointer` starts, as [`line_of_pointer`] finds it.
    pub fn line(&mut self, pointer: &str) -> Option<usize> {
        let tokens_at = pointer.strip_prefix('#')?;
        if tokens_at.is_empty() {
            return None;
        }
        // Byte offsets in `pointer` where each token ends (a prefix is `pointer[..end]`).
        let mut ends: Vec<usize> = pointer
            .match_indices('/')
            .map(|(at, _)| at)
            .skip(1)
            .collect();
        ends.push(pointer.len());
        // Resume after the longest prefix already located.
        let (mut done, mut step) = (0, None);
        for (index, end) in ends.iter().enumerate().rev() {
            if let Some(known) = self.found.get(&pointer[..*end]) {
                (done, step) = (index + 1, Some(*known));
                break;
            }
        }
        let mut state = step.unwrap_or(Step {
            line: None,
            start: 0,
            parent_indent: -1,
        });
        let mut previous_end = if done == 0 { 1 } else { ends[done - 1] };
        for &end in &ends[done..] {
            let raw = &pointer[previous_end + 1..end];
            previous_end = end;
            let token = raw.replace("~1", "/").replace("~0", "~");
            state = if self.json {
                self.json_step(state, &token)?
            } else {
                self.yaml_step(state, &token)?
            };
            self.found.insert(pointer[..end].to_string(), state);
        }
        state.line.map(|line| line + 1)
    }

    fn yaml_step(&self, state: Step, token: &str) -> Option<Step> {
        let lines = &self.lines;
        // A number is a map key (`'200':`) where there is one, else an array index.
        let item = match find_key(lines, state.start, state.parent_indent, token) {
            Some(hit) => Some((hit, false)),
            None => token
                .parse()
                .ok()
                .and_then(|index| find_item(lines, state.start, state.parent_indent, index))
                .map(|hit| (hit, true)),
        };
        let ((line, indent), is_item) = item?;
        Some(Step {
            line: Some(line),
            // An item's own keys sit on the same line as its dash.
            start: if is_item { line } else { line + 1 },
            parent_indent: indent,
        })
    }

    fn json_step(&self, state: Step, token: &str) -> Option<Step> {
        if token.parse::<usize>().is_ok() {
            return Some(state);
        }
        let needle = format!("\"{}\"", token.replace('"', "\\\""));
        let offset = self.lines[state.start..]
            .iter()
            .position(|l| l.contains(&needle))?;
        Some(Step {
            line: Some(state.start + offset),
            start: state.start + offset + 1,
            parent_indent: -1,
        })
    }
}

/// The lines of the block that starts at `start` and is indented deeper than `parent`.
fn block<'a>(
    lines: &'a [&'a str],
    start: usize,
    parent: isize,
) -> impl Iterator<Item = (usize, isize, &'a str)> + 'a {
    lines
        .iter()
        .enumerate()
        .skip(start)
        .map(|(i, line)| {
            let trimmed = line.trim_start();
            (i, (line.len() - trimmed.len()) as isize, trimmed)
        })
        .filter(|(_, _, trimmed)| !trimmed.is_empty() && !trimmed.starts_with('#'))
        .take_while(move |(i, indent, trimmed)| {
            *i == start || *indent > parent || (*indent == parent && trimmed.starts_with("- "))
        })
}

fn find_key(lines: &[&str], start: usize, parent: isize, token: &str) -> Option<(usize, isize)> {
    let candidates = [
        format!("{token}:"),
        format!("'{token}':"),
        format!("\"{token}\":"),
    ];
    block(lines, start, parent).find_map(|(i, indent, trimmed)| {
        let key = trimmed.trim_start_matches("- ");
        let key_indent = indent + (trimmed.len() - key.len()) as isize;
        (key_indent > parent && candidates.iter().any(|c| key.starts_with(c.as_str())))
            .then_some((i, key_indent))
    })
}

fn find_item(lines: &[&str], start: usize, parent: isize, wanted: usize) -> Option<(usize, isize)> {
    block(lines, start, parent)
        .filter(|(_, _, trimmed)| trimmed.starts_with("- ") || *trimmed == "-")
        .nth(wanted)
        .map(|(i, indent, _)| (i, indent + 1))
}

/// Appends a token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_pointer_token(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_yaml_lines() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n      - name: x\n        in: query\n      - name: y\n        in: query\n";
        assert_eq!(line_of_pointer(text, "#/paths/~1a/get"), Some(4));
        assert_eq!(
            line_of_pointer(text, "#/paths/~1a/get/parameters/1"),
            Some(8)
        );
        assert_eq!(
            line_of_pointer(text, "#/paths/~1a/get/parameters/1/in"),
            Some(9)
        );
        assert_eq!(line_of_pointer(text, "#/paths/~1b"), None);
        let responses = "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: OK\n";
        assert_eq!(
            line_of_pointer(responses, "#/paths/~1a/get/responses/200/description"),
            Some(6)
        );
    }

    #[test]
    fn a_locator_answers_as_line_of_pointer_does() {
        let yaml = "paths:\n  /a:\n    get:\n      parameters:\n      - name: x\n        in: query\n      - name: y\n        in: query\n  /b:\n    get: {}\n";
        let json = "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\n        \"parameters\": [\n          {\"name\": \"x\",\n           \"in\": \"query\"}\n        ]\n      }\n    }\n  }\n}\n";
        let pointers = [
            "#/paths/~1a/get/parameters/1/in",
            "#/paths/~1a/get/parameters/0/in",
            "#/paths/~1a/get",
            "#/paths/~1b/get",
            "#/paths/~1a/get/parameters/1",
            "#/paths/~1c",
            "#/paths/~1a/get/parameters/0",
            "#/0",
            "#",
            "",
        ];
        for text in [yaml, json] {
            let mut locator = Locator::new(text);
            for pointer in pointers {
                assert_eq!(
                    locator.line(pointer),
                    line_of_pointer(text, pointer),
                    "{pointer}"
                );
            }
        }
        assert_eq!(
            Locator::new(yaml).line("#/paths/~1a/get/parameters/1/in"),
            Some(8)
        );
        assert_eq!(
            Locator::new(json).line("#/paths/~1a/get/parameters/0/in"),
            Some(7)
        );
    }
}
