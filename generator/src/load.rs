//! Parses the document bytes (YAML or JSON) into `openapiv3::OpenAPI`, with located errors.

use crate::diagnostics::{Error, Location, Warning};

/// A parsed document together with what is needed to point back into it.
pub struct Document {
    /// The typed document. For an OpenAPI 3.1 document, read from its 3.0 rewrite
    /// (`crate::openapi31`), so everything after `load` sees one model.
    pub api: openapiv3::OpenAPI,
    /// The whole document as parsed, before the typed read: `openapiv3` keeps only `x-`
    /// extensions and drops keys it does not know, so passes that must see every keyword (the
    /// keyword ledger, see `crate::ledger`) walk this tree (see `crate::schema_walk`). For a
    /// 3.1 document it is the document as written, not its 3.0 rewrite, so what is reported
    /// about it points at what the author wrote.
    pub raw: serde_yaml::Value,
    pub file: String,
    pub text: String,
    /// What loading had to work around (see [`drop_oversized_bounds`]).
    pub warnings: Vec<Warning>,
}

impl Document {
    /// A location for `pointer`, with the line found by a best-effort scan of the source:
    /// where the scan cannot find the place itself (a flow-style document, an odd layout), the
    /// line of the nearest enclosing place it finds, else line 1, so every message has a line.
    pub fn locate(&self, pointer: &str) -> Location {
        Location {
            file: self.file.clone(),
            pointer: pointer.to_string(),
            line: Some(line_near(&self.text, pointer)),
            column: None,
        }
    }
}

/// The line of `pointer`, else of the nearest enclosing place the scan finds, else 1.
fn line_near(text: &str, pointer: &str) -> usize {
    let mut enclosing = pointer;
    loop {
        if let Some(line) = crate::resolve::line_of_pointer(text, enclosing) {
            return line;
        }
        match enclosing.rsplit_once('/') {
            Some((parent, _)) if parent.len() > 1 => enclosing = parent,
            _ => return 1,
        }
    }
}

pub fn load(bytes: &[u8], file: &str) -> Result<Document, Error> {
    let at = |line: Option<usize>, column: Option<usize>, message: String| Error {
        location: Location {
            file: file.to_string(),
            pointer: String::new(),
            line,
            column,
        },
        message,
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = before.len()
                - before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1)
                + 1;
            at(
                Some(line),
                Some(column),
                format!("the document is not UTF-8: {e}"),
            )
        })?
        .to_string();

    check_version(&text).map_err(|refusal| Error {
        location: Location {
            file: file.to_string(),
            pointer: refusal.pointer.to_string(),
            line: Some(refusal.line),
            column: None,
        },
        message: refusal.message,
    })?;

    let parsed = parse(&text, file);
    let mut warnings = Vec::new();
    let (raw, api) = match parsed {
        Ok((raw, api, found)) => {
            warnings.extend(found);
            (raw, api)
        }
        // Real documents write bounds like `minimum: -9223372036854776000` (i64::MIN after a
        // round trip through a float), which the typed model cannot hold. The generator does
        // not use bounds, so they are dropped with a warning and the document read again.
        Err(error) => match drop_oversized_bounds(&text, file) {
            Some((raw, api, changes, found)) => {
                warnings.extend(changes.into_iter().map(|(line, message)| Warning {
                    location: Location {
                        file: file.to_string(),
                        pointer: String::new(),
                        line: Some(line),
                        column: None,
                    },
                    message,
                }));
                warnings.extend(found);
                (raw, api)
            }
            None => return Err(error),
        },
    };
    Ok(Document {
        api,
        raw,
        file: file.to_string(),
        text,
        warnings,
    })
}

/// Removes `minimum`, `maximum` and `multipleOf` values that are not 64-bit integers and
/// retries the typed read; other integers beyond 64 bits (an `enum` value, a `default`, an
/// `example`) are read as the nearest floating-point number. Returns the document (raw and
/// typed) and what was changed, by 1-based line, or `None` if that does not help. YAML is
/// edited as text (a removed line becomes a comment, so line numbers stay right), since no
/// YAML value type here holds such numbers: the YAML reader names the first one it cannot
/// hold, which is edited, and the document read again.
#[allow(clippy::type_complexity)]
fn drop_oversized_bounds(
    text: &str,
    file: &str,
) -> Option<(
    serde_yaml::Value,
    openapiv3::OpenAPI,
    Vec<(usize, String)>,
    Vec<Warning>,
)> {
    const BOUNDS: [&str; 3] = ["minimum", "maximum", "multipleOf"];
    const DROPPED: &str =
        "a minimum, maximum or multipleOf does not fit a 64-bit integer; it is ignored";
    if looks_like_json(text) {
        let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
        fn walk(value: &mut serde_json::Value, removed: &mut usize) {
            match value {
                serde_json::Value::Object(map) => {
                    for key in BOUNDS {
                        if map.get(key).is_some_and(|v| {
                            v.is_f64() && v.as_f64().is_some_and(|f| f.abs() >= 9.2e18)
                        }) {
                            map.remove(key);
                            *removed += 1;
                        }
                    }
                    map.values_mut().for_each(|child| walk(child, removed));
                }
                serde_json::Value::Array(items) => {
                    items.iter_mut().for_each(|item| walk(item, removed))
                }
                _ => {}
            }
        }
        let mut removed = 0;
        walk(&mut value, &mut removed);
        if removed == 0 {
            return None;
        }
        let mut raw = serde_yaml::to_value(value).ok()?;
        let mut found = check_response_keys(&mut raw, text, file);
        let api = typed_any_version(&raw, text, file, &mut found).ok()?;
        return Some((raw, api, vec![(1, DROPPED.to_string())], found));
    }
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut changed = Vec::new();
    // Each round fixes one number; a document with more than this many is refused.
    for _ in 0..1000 {
        let error = match parse(&lines.join("\n"), file) {
            Ok((raw, api, found)) => {
                return (!changed.is_empty()).then_some((raw, api, changed, found))
            }
            Err(error) => error,
        };
        if !error.message.contains(" as i128") && !error.message.contains(" as u128") {
            return None;
        }
        let (Some(line), Some(column)) = (error.location.line, error.location.column) else {
            return None;
        };
        let text_line = lines.get_mut(line.checked_sub(1)?)?;
        let start = text_line.char_indices().nth(column.checked_sub(1)?)?.0;
        let number: String = text_line[start..]
            .chars()
            .enumerate()
            .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+')))
            .map(|(_, c)| c)
            .collect();
        if !number.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let trimmed = text_line.trim_start();
        let key = trimmed.split(':').next().unwrap_or_default().trim();
        if BOUNDS.contains(&key) && trimmed[key.len()..].trim_start_matches(':').trim() == number {
            let indent = text_line.len() - trimmed.len();
            *text_line = format!(
                "{}# (bound too large for a 64-bit integer, ignored)",
                &text_line[..indent]
            );
            changed.push((line, DROPPED.to_string()));
        } else {
            text_line.insert_str(start + number.len(), ".0");
            changed.push((
                line,
                format!("the integer {number} does not fit 64 bits; it is read as the nearest floating-point number"),
            ));
        }
    }
    None
}

/// Text -> JSON value -> typed document. The typed model is read from a JSON value, never
/// straight from YAML: openapiv3 panics on some YAML it can read one way and not the other
/// (found by fuzzing); from a JSON value both ways agree. Errors carry line and column for
/// syntax, and the JSON pointer (with its line) for structure. The value is returned too, as
/// the raw tree: the typed read borrows it rather than consuming a copy.
#[allow(clippy::type_complexity)]
fn parse(
    text: &str,
    file: &str,
) -> Result<(serde_yaml::Value, openapiv3::OpenAPI, Vec<Warning>), Error> {
    let syntax = |line: Option<usize>, column: Option<usize>, message: String| Error {
        location: Location {
            file: file.to_string(),
            pointer: String::new(),
            line,
            column,
        },
        message: format!("invalid document: {message}"),
    };
    // YAML values keep the document's key order (a JSON value would sort keys, and with
    // them struct fields), and JSON is YAML.
    // A byte order mark is no part of the document (and not a newline, so lines stay right).
    let body = text.trim_start_matches('\u{feff}');
    let yaml = |body: &str| {
        serde_yaml::from_str::<serde_yaml::Value>(body).map_err(|e| {
            // Errors about the stream (a second document) name no place: the second
            // document's start, else the first line.
            match (e.location(), second_document_line(body)) {
                (Some(l), _) => syntax(Some(l.line()), Some(l.column()), e.to_string()),
                (None, Some(line)) => syntax(
                    Some(line),
                    None,
                    "a second YAML document starts here; the file must hold one document".into(),
                ),
                (None, None) => syntax(Some(1), None, e.to_string()),
            }
        })
    };
    let value: serde_yaml::Value = if looks_like_json(body) {
        match serde_json::from_str::<serde_json::Value>(body) {
            Ok(json) => {
                serde_yaml::to_value(json).map_err(|e| syntax(Some(1), None, e.to_string()))?
            }
            // `{openapi: 3.0.3, ...}` is YAML (a flow mapping), not JSON. A number JSON cannot
            // hold (`1e400`) is JSON's error, not a reason to read the text as YAML.
            Err(e) if !e.to_string().starts_with("number out of range") => {
                yaml(body).map_err(|_| syntax(Some(e.line()), Some(e.column()), e.to_string()))?
            }
            Err(e) => return Err(syntax(Some(e.line()), Some(e.column()), e.to_string())),
        }
    } else {
        yaml(body)?
    };
    let mut value = value;
    let mut warnings = check_response_keys(&mut value, text, file);
    let api = typed_any_version(&value, text, file, &mut warnings)?;
    Ok((value, api, warnings))
}

/// [`typed`] for a 3.0 document; for a 3.1 document, [`typed`] of its 3.0 rewrite, whose
/// warnings are added to `warnings`. The rewrite is made on a copy, so the document as
/// written stays the raw tree (the ledger reports its 3.1 keywords, with their lines); the
/// copy lives only as long as the typed read, and 3.0 documents make none.
fn typed_any_version(
    value: &serde_yaml::Value,
    text: &str,
    file: &str,
    warnings: &mut Vec<Warning>,
) -> Result<openapiv3::OpenAPI, Error> {
    if !crate::openapi31::is_31(value) {
        return typed(value, text, file);
    }
    let mut normalized = value.clone();
    let found = crate::openapi31::normalize(&mut normalized);
    warnings.extend(found.into_iter().map(|(pointer, message)| Warning {
        location: Location {
            file: file.to_string(),
            line: Some(line_near(text, &pointer)),
            pointer,
            column: None,
        },
        message,
    }));
    typed(&normalized, text, file)
}

/// Keys under an operation's `responses` must be a status code (100-599), a range (`1XX` to
/// `5XX`), `default` or an extension (`x-...`). The typed model would skip anything else
/// without a word (`200x`, `OK`) or take it as a status (`6XX`, `999`): such a response is
/// removed with a warning. A range in lower case (`2xx`) is read as the range, with a warning
/// (OpenAPI writes it in upper case).
fn check_response_keys(value: &mut serde_yaml::Value, text: &str, file: &str) -> Vec<Warning> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut warnings = Vec::new();
    let Some(paths) = value.get_mut("paths").and_then(|p| p.as_mapping_mut()) else {
        return warnings;
    };
    for (path, item) in paths.iter_mut() {
        let (Some(path), Some(item)) = (path.as_str(), item.as_mapping_mut()) else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            let Some(method) = method.as_str().filter(|m| METHODS.contains(m)) else {
                continue;
            };
            let Some(responses) = operation
                .get_mut("responses")
                .and_then(|r| r.as_mapping_mut())
            else {
                continue;
            };
            let mut removed = Vec::new();
            for key in responses.keys() {
                let text_key = match key {
                    serde_yaml::Value::String(key) => key.clone(),
                    serde_yaml::Value::Number(number) => number.to_string(),
                    serde_yaml::Value::Bool(flag) => flag.to_string(),
                    serde_yaml::Value::Null => "null".to_string(),
                    _ => "(not a scalar)".to_string(),
                };
                let verdict = response_key(&text_key);
                if verdict == ResponseKey::Valid {
                    continue;
                }
                let pointer = format!(
                    "#/paths/{}/{method}/responses/{}",
                    crate::diagnostics::escape_pointer_token(path),
                    crate::diagnostics::escape_pointer_token(&text_key)
                );
                let message = match verdict {
                    ResponseKey::LowerCaseRange => format!(
                        "response key `{text_key}` is read as the range `{}`; OpenAPI writes ranges in upper case",
                        text_key.to_ascii_uppercase()
                    ),
                    _ => {
                        removed.push(key.clone());
                        format!(
                            "response key `{text_key}` is neither a status code (100 to 599), a range (`1XX` to `5XX`) nor `default`; this response is ignored"
                        )
                    }
                };
                warnings.push(Warning {
                    location: Location {
                        file: file.to_string(),
                        line: Some(line_near(text, &pointer)),
                        pointer,
                        column: None,
                    },
                    message,
                });
            }
            for key in removed {
                responses.remove(&key);
            }
        }
    }
    warnings
}

#[derive(Debug, PartialEq, Eq)]
enum ResponseKey {
    Valid,
    LowerCaseRange,
    Invalid,
}

fn response_key(key: &str) -> ResponseKey {
    let bytes = key.as_bytes();
    if key == "default" || key.starts_with("x-") {
        return ResponseKey::Valid;
    }
    match bytes {
        [b'1'..=b'5', b'0'..=b'9', b'0'..=b'9'] => ResponseKey::Valid,
        [b'1'..=b'5', b'X', b'X'] => ResponseKey::Valid,
        [b'1'..=b'5', b'x' | b'X', b'x' | b'X'] => ResponseKey::LowerCaseRange,
        _ => ResponseKey::Invalid,
    }
}

/// The 1-based line where a second YAML document starts (`---` after content), if any.
fn second_document_line(text: &str) -> Option<usize> {
    let mut content = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            if content {
                return Some(index + 1);
            }
        } else if !trimmed.trim_start().is_empty() && !trimmed.trim_start().starts_with('#') {
            content = true;
        }
    }
    None
}

/// The typed read, from a borrowed value (`&serde_yaml::Value` is a `Deserializer`), so the
/// raw tree is kept without a clone.
///
/// Tracking the path costs a fifth to a third of the read, and only a failing read needs it:
/// the document is read with plain serde first, and only when that fails read again through
/// `serde_path_to_error` to locate the error (the same read fails the same way).
fn typed(value: &serde_yaml::Value, text: &str, file: &str) -> Result<openapiv3::OpenAPI, Error> {
    use serde::Deserialize;
    let plain = match openapiv3::OpenAPI::deserialize(value) {
        Ok(document) => return Ok(document),
        Err(error) => error,
    };
    let (pointer, message) = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(value)
    {
        Err(error) => (path_to_pointer(error.path()), error.inner().to_string()),
        // Not expected: both reads see the same value. The plain error, unlocated, then.
        Ok(_) => (String::new(), plain.to_string()),
    };
    Err(Error {
        location: Location {
            file: file.to_string(),
            // An error about the document as a whole (`missing field `info``) is at line 1.
            line: Some(line_near(text, &pointer)),
            pointer,
            column: None,
        },
        message: format!("invalid OpenAPI document: {message}"),
    })
}

/// `paths./projects.get` (serde_path_to_error's path) -> `#/paths/~1projects/get`.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } => {
                pointer.push_str(&crate::diagnostics::escape_pointer_token(key))
            }
            Segment::Enum { variant } => {
                pointer.push_str(&crate::diagnostics::escape_pointer_token(variant))
            }
            Segment::Unknown => pointer.push('?'),
        }
    }
    if pointer == "#" {
        String::new()
    } else {
        pointer
    }
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// Why a document is refused before it is read as OpenAPI: always with a line (1 when nothing
/// better exists) and, where one makes sense, a pointer.
#[derive(Debug)]
struct Refusal {
    message: String,
    line: usize,
    pointer: &'static str,
}

/// Refuses what is not an OpenAPI 3.0 or 3.1 document at all before the typed parse, whose errors
/// for it would be confusing ("missing field `openapi`"): an empty document, a list or a single
/// value, a Swagger 2.0 document or another OpenAPI version (3.2, 4), a version written as a number.
fn check_version(text: &str) -> Result<(), Refusal> {
    let refuse = |line: usize, pointer: &'static str, message: String| Refusal {
        message,
        line,
        pointer,
    };
    let body = text.trim_start_matches('\u{feff}');
    let meaningful = body.lines().any(|line| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#') && line != "---" && line != "..."
    });
    if !meaningful {
        return Err(refuse(
            1,
            "",
            "the document is empty; expected an OpenAPI 3.0 or 3.1 document".into(),
        ));
    }
    let (version, swagger) = match (
        top_level_scalar(body, "openapi"),
        top_level_scalar(body, "swagger"),
    ) {
        // Not found by the cheap scan (a YAML flow mapping, odd spacing): read the document.
        (None, None) => (
            parsed_scalar(body, "openapi"),
            parsed_scalar(body, "swagger"),
        ),
        found => found,
    };
    match (version, swagger) {
        (_, Some(v)) => Err(refuse(
            v.line,
            "#/swagger",
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0 and 3.1 are supported (convert it first, e.g. with swagger2openapi)",
                v.value
            ),
        )),
        (Some(v), None)
            if !v.quoted
                && (v.value.parse::<f64>().is_ok()
                    || v.value.starts_with(['[', '{'])
                    || v.value.is_empty()) =>
        {
            Err(refuse(
                v.line,
                "#/openapi",
                format!(
                    "`openapi: {}` is not a version string; write the version with its patch number, e.g. `openapi: 3.0.3`",
                    v.value
                ),
            ))
        }
        (Some(v), None) if v.value.starts_with("3.0") || v.value.starts_with("3.1") => Ok(()),
        (Some(v), None) => Err(refuse(
            v.line,
            "#/openapi",
            format!(
                "OpenAPI {} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x documents",
                v.value
            ),
        )),
        (None, None) => Err(refuse(1, "", not_openapi(body))),
    }
}

/// What the document is instead of an OpenAPI object, for the refusal.
fn not_openapi(text: &str) -> String {
    const HINT: &str =
        "expected an OpenAPI 3.0 or 3.1 document (an object with `openapi: 3.0.x` or `3.1.x`, `info` and `paths`)";
    let value: Option<serde_yaml::Value> = if looks_like_json(text) {
        serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|json| serde_yaml::to_value(json).ok())
    } else {
        serde_yaml::from_str(text).ok()
    };
    match value {
        Some(serde_yaml::Value::Sequence(_)) => format!("the document is a list; {HINT}"),
        Some(serde_yaml::Value::Mapping(_)) | None => {
            format!("no `openapi` version field found at the top level; {HINT}")
        }
        Some(_) => format!("the document is a single value, not an object; {HINT}"),
    }
}

/// A top-level `key: value` read from the parsed document (line 1: the parse keeps no lines).
fn parsed_scalar(text: &str, key: &str) -> Option<Scalar> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    let (value, quoted) = match value.as_mapping()?.get(key)? {
        serde_yaml::Value::String(text) => (text.clone(), true),
        serde_yaml::Value::Number(number) => (number.to_string(), false),
        _ => ("[...]".to_string(), false),
    };
    Some(Scalar {
        value,
        line: 1,
        quoted,
    })
}

/// A top-level `key: value` of the document, with its 1-based line and whether it was quoted.
struct Scalar {
    value: String,
    line: usize,
    quoted: bool,
}

/// Finds `key: value` at the top level of a YAML document or `"key": value` in JSON, cheaply.
fn top_level_scalar(text: &str, key: &str) -> Option<Scalar> {
    if looks_like_json(text) {
        let needle = format!("\"{key}\"");
        let at = text.find(&needle)?;
        let line = text[..at].matches('\n').count() + 1;
        let rest = text[at + needle.len()..]
            .trim_start()
            .strip_prefix(':')?
            .trim_start();
        if let Some(rest) = rest.strip_prefix('"') {
            return Some(Scalar {
                value: rest[..rest.find('"')?].to_string(),
                line,
                quoted: true,
            });
        }
        let end = rest
            .find(|c: char| c == ',' || c == '}' || c.is_whitespace())
            .unwrap_or(rest.len());
        return Some(Scalar {
            value: rest[..end].to_string(),
            line,
            quoted: false,
        });
    }
    text.lines().enumerate().find_map(|(index, line)| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let raw = rest.split(" #").next()?.trim();
        let value = raw.trim_matches(|c| c == '\'' || c == '"');
        Some(Scalar {
            value: value.to_string(),
            line: index + 1,
            quoted: value.len() != raw.len(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_swagger_and_versions_beyond_31() {
        let refusal = check_version("info: {}\nswagger: '2.0'\n").unwrap_err();
        assert!(refusal.message.contains("Swagger 2.0"), "{refusal:?}");
        assert_eq!(refusal.line, 2);
        assert!(check_version("openapi: 3.2.0\n")
            .unwrap_err()
            .message
            .contains("3.2.0"));
        assert!(check_version("{\"openapi\": \"4.0.0\"}")
            .unwrap_err()
            .message
            .contains("4.0.0"));
        assert!(check_version("openapi: 3.1.0\n").is_ok());
        assert!(check_version("{\"openapi\": \"3.1.1\"}").is_ok());
        assert!(check_version("openapi: '3.0.3'\n").is_ok());
        assert!(check_version("openapi: 3.0.3 # comment\n").is_ok());
        assert!(check_version("\u{feff}openapi: 3.0.3\n").is_ok());
    }

    #[test]
    fn refuses_what_is_no_openapi_object_with_a_line() {
        for (text, says) in [
            ("", "empty"),
            (" \n\t\n", "empty"),
            ("# only a comment\n---\n", "empty"),
            ("[1, 2]", "a list"),
            ("- a\n- b\n", "a list"),
            ("hello\n", "single value"),
            ("42", "single value"),
            ("name: x\n", "no `openapi`"),
            ("openapi: 3\n", "not a version string"),
            ("openapi: 3.0\n", "not a version string"),
            ("openapi: [3.0.3]\n", "not a version string"),
            ("{\"openapi\": 3.0}", "not a version string"),
            ("{openapi: 3.0}", "not a version string"),
        ] {
            let refusal = check_version(text).unwrap_err();
            assert!(refusal.message.contains(says), "{text:?}: {refusal:?}");
            assert_eq!(refusal.line, 1, "{text:?}");
        }
        assert!(check_version("openapi: '3.0'\n").is_ok());
        assert!(check_version("{openapi: 3.0.3, info: {}}").is_ok());
    }

    #[test]
    fn yaml_errors_have_a_line() {
        let err = load(b"openapi: 3.0.3\ninfo: [\n", "x.yaml").err().unwrap();
        assert!(err.location.line.is_some(), "{err}");
    }

    #[test]
    fn a_31_document_is_read_through_its_30_rewrite_and_kept_as_written() {
        for text in [
            "openapi: 3.1.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n    A: {type: [string, 'null']}\n",
            // Bounds beyond 64 bits take the other way in; it reads 3.1 too.
            r#"{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "components": {"schemas": {"A": {"type": ["string", "null"]}, "B": {"type": "integer", "maximum": 1e30}}}}"#,
        ] {
            let document = load(text.as_bytes(), "t.yaml").unwrap();
            let a = &document.api.components.as_ref().unwrap().schemas["A"];
            let openapiv3::ReferenceOr::Item(a) = a else {
                panic!("A is a schema")
            };
            assert!(a.schema_data.nullable);
            assert_eq!(
                document.raw["components"]["schemas"]["A"]["type"],
                serde_yaml::from_str::<serde_yaml::Value>("[string, 'null']").unwrap(),
                "the raw tree is the document as written"
            );
        }
    }
}
