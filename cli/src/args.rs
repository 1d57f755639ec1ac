//! The parameters and body of one call, as text from the command line, and their decoding
//! into the client's types.
//!
//! Both forms (`ecosuite <tag> <operation> ...` and `ecosuite call <id> -p name=value`) end
//! up here, keyed by the parameters' names in the API document, so they behave the same from
//! this point on. Text becomes JSON by the parameter's shape (a number, a list, ...), then the
//! JSON is decoded into exactly the type the client's method takes: a value the client would
//! not accept is refused here, naming the parameter.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::catalog::{Operation, Param, Shape};
use crate::failure::Failure;

/// Where `--body` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodySource {
    Stdin,
    File(PathBuf),
}

impl BodySource {
    pub fn parse(text: &str) -> Self {
        if text == "-" {
            BodySource::Stdin
        } else {
            BodySource::File(PathBuf::from(text))
        }
    }

    fn describe(&self) -> String {
        match self {
            BodySource::Stdin => "the body on stdin".into(),
            BodySource::File(path) => format!("the body in {}", path.display()),
        }
    }

    fn read(&self) -> Result<Vec<u8>, Failure> {
        let mut bytes = Vec::new();
        let read = match self {
            BodySource::Stdin => std::io::stdin().read_to_end(&mut bytes).map(|_| ()),
            BodySource::File(path) => std::fs::read(path).map(|b| bytes = b),
        };
        read.map_err(|e| Failure::usage(format!("cannot read {}: {e}", self.describe())))?;
        Ok(bytes)
    }
}

/// One call's inputs, checked against the operation's table entry.
#[derive(Debug)]
pub struct Args {
    operation: &'static Operation,
    /// Raw values by the parameter's name in the document; several for list parameters.
    values: BTreeMap<&'static str, Vec<String>>,
    body: Option<BodySource>,
}

impl Args {
    /// Collects `(name, value)` pairs and a body for `operation`, refusing unknown names,
    /// repeated single values, missing required parameters or body, and values outside an
    /// enum's list.
    pub fn new(
        operation: &'static Operation,
        pairs: impl IntoIterator<Item = (String, String)>,
        body: Option<BodySource>,
    ) -> Result<Self, Failure> {
        let mut values: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for (name, value) in pairs {
            let param = operation.param(&name).ok_or_else(|| {
                Failure::usage(format!(
                    "operation `{}` has no parameter `{name}`; {}",
                    operation.id,
                    parameter_list(operation)
                ))
            })?;
            let entry = values.entry(param.name).or_default();
            if param.list {
                entry.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(String::from),
                );
            } else if entry.is_empty() {
                entry.push(value);
            } else {
                return Err(Failure::usage(format!(
                    "parameter `{}` of `{}` takes one value, and was given more",
                    param.name, operation.id
                )));
            }
        }
        for param in operation.params {
            let given = values
                .get(param.name)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if param.required && given.is_empty() {
                return Err(Failure::usage(format!(
                    "operation `{}` needs parameter `{}` ({}); {}",
                    operation.id,
                    param.name,
                    location_word(param.location),
                    parameter_list(operation)
                )));
            }
            if let Some(bad) = given
                .iter()
                .find(|v| !param.values.is_empty() && !param.values.contains(&v.as_str()))
            {
                return Err(Failure::usage(format!(
                    "`{bad}` is not a value of parameter `{}`; it takes one of: {}",
                    param.name,
                    param.values.join(", ")
                )));
            }
        }
        match (&operation.body, &body) {
            (None, Some(_)) => {
                return Err(Failure::usage(format!(
                    "operation `{}` ({} {}) takes no body",
                    operation.id, operation.method, operation.path
                )))
            }
            (Some(spec), None) if spec.required => {
                return Err(Failure::usage(format!(
                    "operation `{}` needs a body ({}): give --body FILE, or --body - for stdin",
                    operation.id, spec.content_type
                )))
            }
            _ => {}
        }
        Ok(Args {
            operation,
            values,
            body,
        })
    }

    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// A required parameter, decoded into the client's type `T`.
    pub fn required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Failure> {
        self.optional(name)?.ok_or_else(|| {
            Failure::usage(format!(
                "operation `{}` needs parameter `{name}`",
                self.operation.id
            ))
        })
    }

    /// An optional parameter, decoded into the client's type `T` when it was given.
    pub fn optional<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Failure> {
        let Some(param) = self.operation.param(name) else {
            return Err(Failure::unknown_parameter(self.operation.id, name));
        };
        let Some(raw) = self.values.get(param.name).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        let json = if param.list {
            raw.iter()
                .map(|text| to_json(param, text))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)?
        } else {
            to_json(param, &raw[0])?
        };
        serde_json::from_value(json).map(Some).map_err(|e| {
            Failure::usage(format!(
                "invalid value `{}` for parameter `{}`: {e}{}",
                raw.join(","),
                param.name,
                hint(param.shape)
            ))
        })
    }

    /// A structured body (JSON, or a form's or multipart's fields as a JSON object), decoded
    /// into the client's type `T`; the error names the JSON path that does not fit.
    pub fn json_body<T: DeserializeOwned>(&self) -> Result<Option<T>, Failure> {
        let Some(source) = &self.body else {
            return Ok(None);
        };
        let bytes = source.read()?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let at = if path == "." {
                String::new()
            } else {
                format!(" at `{path}`")
            };
            Failure::usage(format!(
                "{} does not fit the request body of `{}` ({}){at}: {}",
                source.describe(),
                self.operation.id,
                short_type_name::<T>(),
                e.inner()
            ))
        })?;
        deserializer.end().map_err(|e| {
            Failure::usage(format!(
                "{} has more after its JSON value: {e}",
                source.describe()
            ))
        })?;
        Ok(Some(value))
    }

    /// A `text/*` body: the file as it is.
    pub fn text_body(&self) -> Result<Option<String>, Failure> {
        let Some(source) = &self.body else {
            return Ok(None);
        };
        String::from_utf8(source.read()?)
            .map(Some)
            .map_err(|_| Failure::usage(format!("{} is not UTF-8 text", source.describe())))
    }

    /// Any other body: the file's bytes as they are.
    pub fn binary_body(&self) -> Result<Option<bytes::Bytes>, Failure> {
        match &self.body {
            None => Ok(None),
            Some(source) => Ok(Some(source.read()?.into())),
        }
    }
}

/// A required body that the checks in [`Args::new`] already saw given.
pub fn required_body<T>(body: Option<T>) -> Result<T, Failure> {
    body.ok_or_else(|| Failure::usage("this operation needs a body: give --body FILE or --body -"))
}

/// The text of one value as JSON, by the parameter's shape.
fn to_json(param: &Param, text: &str) -> Result<Value, Failure> {
    let invalid = |what: &str| {
        Failure::usage(format!(
            "invalid value `{text}` for parameter `{}`: expected {what}",
            param.name
        ))
    };
    Ok(match param.shape {
        Shape::String | Shape::Date => Value::String(text.to_string()),
        Shape::DateTime => {
            // A bare date is the start of that day in UTC: what a person typing it means.
            let is_date =
                text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok();
            if is_date {
                Value::String(format!("{text}T00:00:00Z"))
            } else {
                Value::String(text.to_string())
            }
        }
        Shape::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .map_err(|_| invalid("an integer"))?,
        Shape::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| invalid("a number"))?,
        Shape::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(invalid("true or false")),
        },
        // JSON when it parses; otherwise the text, for unions that accept a plain string.
        Shape::Json => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.into())),
    })
}

fn hint(shape: Shape) -> &'static str {
    match shape {
        Shape::DateTime => " (expected a date-time such as 2025-01-31T00:00:00Z, or a date)",
        Shape::Date => " (expected a date such as 2025-01-31)",
        Shape::Json => " (expected JSON)",
        _ => "",
    }
}

pub fn location_word(location: crate::catalog::Location) -> &'static str {
    use crate::catalog::Location;
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

fn parameter_list(operation: &Operation) -> String {
    if operation.params.is_empty() {
        return "it takes no parameters".into();
    }
    let names: Vec<String> = operation
        .params
        .iter()
        .map(|p| {
            if p.required {
                format!("{} (required)", p.name)
            } else {
                p.name.to_string()
            }
        })
        .collect();
    format!("its parameters are: {}", names.join(", "))
}

/// `Vec<ecosuite::types::Record>` -> `Vec<Record>`, for messages.
fn short_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let mut out = String::new();
    let mut word = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            out.push_str(word.rsplit("::").next().unwrap_or_default());
            word.clear();
            out.push(c);
        }
    }
    out.push_str(word.rsplit("::").next().unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Body, BodyFormat, Location};

    const PARAMS: &[Param] = &[
        Param {
            name: "projectId",
            flag: "project-id",
            location: Location::Path,
            required: true,
            shape: Shape::String,
            list: false,
            values: &[],
            help: "",
        },
        Param {
            name: "start",
            flag: "start",
            location: Location::Query,
            required: false,
            shape: Shape::DateTime,
            list: false,
            values: &[],
            help: "",
        },
        Param {
            name: "aggregation",
            flag: "aggregation",
            location: Location::Query,
            required: false,
            shape: Shape::String,
            list: false,
            values: &["day", "month"],
            help: "",
        },
        Param {
            name: "ids",
            flag: "ids",
            location: Location::Query,
            required: false,
            shape: Shape::Integer,
            list: true,
            values: &[],
            help: "",
        },
    ];

    static OPERATION: Operation = Operation {
        id: "things",
        tag: "thing",
        command: "things",
        method: "GET",
        path: "/things/{projectId}",
        summary: "",
        description: "",
        deprecated: false,
        params: PARAMS,
        body: Some(Body {
            format: BodyFormat::Json,
            content_type: "application/json",
            schema: "`Things`",
            required: false,
            help: "",
            example: "{}",
        }),
    };

    fn args(pairs: &[(&str, &str)]) -> Result<Args, Failure> {
        Args::new(
            &OPERATION,
            pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())),
            None,
        )
    }

    fn message(result: Result<impl std::fmt::Debug, Failure>) -> String {
        match result.unwrap_err() {
            Failure::Usage(message) => message,
            other => panic!("not a usage error: {other:?}"),
        }
    }

    #[test]
    fn decodes_values_into_the_clients_types() {
        let args = args(&[
            ("projectId", "PRJ1"),
            ("start", "2025-01-31"),
            ("ids", "1,2"),
            ("ids", "3"),
        ])
        .unwrap();
        assert_eq!(args.required::<String>("projectId").unwrap(), "PRJ1");
        let start: chrono::DateTime<chrono::Utc> = args.optional("start").unwrap().unwrap();
        assert_eq!(start.to_rfc3339(), "2025-01-31T00:00:00+00:00");
        assert_eq!(
            args.optional::<Vec<u32>>("ids").unwrap(),
            Some(vec![1, 2, 3])
        );
        assert_eq!(args.optional::<String>("aggregation").unwrap(), None);
    }

    #[test]
    fn refuses_what_the_client_would_not_take() {
        assert!(message(args(&[])).contains("needs parameter `projectId` (path)"));
        assert!(message(args(&[("projectId", "a"), ("nope", "1")]))
            .contains("has no parameter `nope`; its parameters are: projectId (required), start, aggregation, ids"));
        assert!(
            message(args(&[("projectId", "a"), ("projectId", "b")])).contains("takes one value")
        );
        assert!(
            message(args(&[("projectId", "a"), ("aggregation", "week")]))
                .contains("it takes one of: day, month")
        );
        assert!(message(
            args(&[("projectId", "a"), ("ids", "x")])
                .unwrap()
                .optional::<Vec<u32>>("ids")
        )
        .contains("invalid value `x` for parameter `ids`: expected an integer"));
        let given = args(&[("projectId", "a")]).unwrap();
        assert!(message(given.optional::<String>("nope"))
            .contains("operation `things` has no parameter `nope` in its table; the command line's generated code is stale"));
        let bad_date = args(&[("projectId", "a"), ("start", "yesterday")]).unwrap();
        assert!(
            message(bad_date.optional::<chrono::DateTime<chrono::Utc>>("start"))
                .contains("expected a date-time such as 2025-01-31T00:00:00Z")
        );
    }

    #[test]
    fn names_the_body_path_that_does_not_fit() {
        let dir = std::env::temp_dir().join(format!("ecosuite-cli-args-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("body.json");
        std::fs::write(&file, r#"{"items": [{"n": 1}, {"n": "two"}]}"#).unwrap();
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Item {
            n: u32,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Things {
            items: Vec<Item>,
        }
        let args = Args::new(
            &OPERATION,
            [("projectId".to_string(), "a".to_string())],
            Some(BodySource::File(file.clone())),
        )
        .unwrap();
        let error = message(args.json_body::<Things>());
        assert!(
            error.contains("does not fit the request body of `things` (Things) at `items[1].n`"),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn short_type_names_drop_module_paths() {
        assert_eq!(short_type_name::<Vec<String>>(), "Vec<String>");
        assert_eq!(
            short_type_name::<Option<crate::catalog::Shape>>(),
            "Option<Shape>"
        );
    }
}
