//! Parses the document bytes (YAML or JSON) into `openapiv3::OpenAPI`, with located errors.

use crate::diagnostics::{Error, Location};

/// A parsed document together with what is needed to point back into it.
pub struct Document {
    pub api: openapiv3::OpenAPI,
    pub file: String,
    pub text: String,
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

    let api: openapiv3::OpenAPI = if looks_like_json(&text) {
        serde_json::from_str(&text).map_err(|e| {
            at(
                Some(e.line()),
                Some(e.column()),
                format!("invalid OpenAPI document: {e}"),
            )
        })?
    } else {
        serde_yaml::from_str(&text).map_err(|e| {
            let (line, column) = match e.location() {
                Some(l) => (Some(l.line()), Some(l.column())),
                None => (None, None),
            };
            at(line, column, format!("invalid OpenAPI document: {e}"))
        })?
    };
    Ok(Document {
        api,
        file: file.to_string(),
        text,
    })
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
