//! Parses the document bytes (YAML or JSON) into `openapiv3::OpenAPI`, with located errors.

use crate::diagnostics::{Error, Location, Warning};

/// A parsed document together with what is needed to point back into it.
pub struct Document {
    pub api: openapiv3::OpenAPI,
    /// The whole document as parsed, before the typed read: `openapiv3` keeps only `x-`
    /// extensions and drops keys it does not know, so passes that must see every keyword (the
    /// keyword ledger, see `crate::ledger`) walk this tree (see `crate::schema_walk`).
    pub raw: serde_yaml::Value,
    pub file: String,
    pub text: String,
    /// What loading had to work around (see [`drop_oversized_bounds`]).
    pub warnings: Vec<Warning>,
}

impl Document {
    /// A location for `pointer`, with the line found by a best-effort scan of the source.
    pub fn locate(&self, pointer: &str) -> Location {
        Location {
            file: self.file.clone(),
            pointer: pointer.to_string(),
            line: crate::resolve::line_of_pointer(&self.text, pointer),
            column: None,
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
        .map_err(|e| at(None, None, format!("the document is not UTF-8: {e}")))?
        .to_string();

    check_version(&text).map_err(|message| at(None, None, message))?;

    let parsed = parse(&text, file);
    let mut warnings = Vec::new();
    let (raw, api) = match parsed {
        Ok(parsed) => parsed,
        // Real documents write bounds like `minimum: -9223372036854776000` (i64::MIN after a
        // round trip through a float), which the typed model cannot hold. The generator does
        // not use bounds, so they are dropped with a warning and the document read again.
        Err(error) => match drop_oversized_bounds(&text) {
            Some((raw, api, lines)) => {
                let warning = |line: Option<usize>| {
                    Warning {
                    location: Location { file: file.to_string(), pointer: String::new(), line, column: None },
                    message: "a minimum, maximum or multipleOf does not fit a 64-bit integer; it is ignored".into(),
                }
                };
                if lines.is_empty() {
                    warnings.push(warning(None));
                }
                warnings.extend(lines.into_iter().map(|line| warning(Some(line))));
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
/// retries the typed read. Returns the document (raw and typed) and the 1-based lines of what was removed,
/// or `None` if that does not help. YAML is edited as text (each removed line becomes a
/// comment, so line numbers stay right), since no YAML value type here holds such numbers.
fn drop_oversized_bounds(
    text: &str,
) -> Option<(serde_yaml::Value, openapiv3::OpenAPI, Vec<usize>)> {
    const BOUNDS: [&str; 3] = ["minimum", "maximum", "multipleOf"];
    let mut dropped = Vec::new();
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
        let raw = serde_yaml::to_value(value).ok()?;
        let api = typed(&raw, text, "").ok()?;
        return Some((raw, api, Vec::new()));
    }
    let mut edited = String::with_capacity(text.len());
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let oversized = BOUNDS.iter().any(|key| {
            trimmed
                .strip_prefix(key)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(str::trim)
                .is_some_and(|number| {
                    !number.is_empty()
                        && number
                            .trim_start_matches('-')
                            .chars()
                            .all(|c| c.is_ascii_digit())
                        && number.parse::<i64>().is_err()
                })
        });
        if oversized {
            edited.push_str(&line[..line.len() - trimmed.len()]);
            edited.push_str("# (bound too large for a 64-bit integer, ignored)");
            dropped.push(index + 1);
        } else {
            edited.push_str(line);
        }
        edited.push('\n');
    }
    if dropped.is_empty() {
        return None;
    }
    let (raw, api) = parse(&edited, "").ok()?;
    Some((raw, api, dropped))
}

/// Text -> JSON value -> typed document. The typed model is read from a JSON value, never
/// straight from YAML: openapiv3 panics on some YAML it can read one way and not the other
/// (found by fuzzing); from a JSON value both ways agree. Errors carry line and column for
/// syntax, and the JSON pointer (with its line) for structure. The value is returned too, as
/// the raw tree: the typed read borrows it rather than consuming a copy.
fn parse(text: &str, file: &str) -> Result<(serde_yaml::Value, openapiv3::OpenAPI), Error> {
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
    let value: serde_yaml::Value = if looks_like_json(text) {
        let json: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| syntax(Some(e.line()), Some(e.column()), e.to_string()))?;
        serde_yaml::to_value(json).map_err(|e| syntax(None, None, e.to_string()))?
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map_or((None, None), |l| (Some(l.line()), Some(l.column())));
            syntax(line, column, e.to_string())
        })?
    };
    let api = typed(&value, text, file)?;
    Ok((value, api))
}

/// The typed read, from a borrowed value (`&serde_yaml::Value` is a `Deserializer`), so the
/// raw tree is kept without a clone.
fn typed(value: &serde_yaml::Value, text: &str, file: &str) -> Result<openapiv3::OpenAPI, Error> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let pointer = path_to_pointer(error.path());
        Error {
            location: Location {
                file: file.to_string(),
                line: crate::resolve::line_of_pointer(text, &pointer),
                pointer,
                column: None,
            },
            message: format!("invalid OpenAPI document: {}", error.inner()),
        }
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

/// Rejects documents of another OpenAPI major version before the typed parse, whose
/// errors for them would be confusing ("missing field `openapi`").
fn check_version(text: &str) -> Result<(), String> {
    let version = top_level_scalar(text, "openapi");
    let swagger = top_level_scalar(text, "swagger");
    match (version, swagger) {
        (_, Some(v)) => Err(format!(
            "this is a Swagger {v} document; only OpenAPI 3.0 is supported (convert it first, e.g. with swagger2openapi)"
        )),
        (Some(v), None) if v.starts_with("3.0") => Ok(()),
        (Some(v), None) => Err(format!("OpenAPI {v} is not supported; this generator reads OpenAPI 3.0.x documents")),
        (None, None) => Err("no `openapi` version field found: is this an OpenAPI document?".into()),
    }
}

/// Finds `key: value` at the top level of a YAML document or `"key": "value"` in JSON, cheaply.
fn top_level_scalar(text: &str, key: &str) -> Option<String> {
    if looks_like_json(text) {
        let needle = format!("\"{key}\"");
        let start = text.find(&needle)? + needle.len();
        let rest = text[start..].trim_start().strip_prefix(':')?.trim_start();
        let rest = rest.strip_prefix('"')?;
        return Some(rest[..rest.find('"')?].to_string());
    }
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let value = rest
            .split('#')
            .next()?
            .trim()
            .trim_matches(|c| c == '\'' || c == '"');
        Some(value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_swagger_and_openapi_31() {
        assert!(check_version("swagger: '2.0'\n")
            .unwrap_err()
            .contains("Swagger 2.0"));
        assert!(check_version("openapi: 3.1.0\n")
            .unwrap_err()
            .contains("3.1.0"));
        assert!(check_version("{\"openapi\": \"3.1.0\"}")
            .unwrap_err()
            .contains("3.1.0"));
        assert!(check_version("openapi: '3.0.3'\n").is_ok());
    }

    #[test]
    fn yaml_errors_have_a_line() {
        let err = load(b"openapi: 3.0.3\ninfo: [\n", "x.yaml").err().unwrap();
        assert!(err.location.line.is_some(), "{err}");
    }
}
