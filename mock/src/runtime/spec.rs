//! The API document as the mock checks requests against it: tables the generator writes from
//! the same intermediate representation as the client.

use crate::client::chrono;

/// Every operation and named schema of the document.
#[derive(Debug)]
pub struct ApiSpec {
    pub operations: &'static [&'static OperationSpec],
    /// Named schemas, indexed by [`Shape::Named`].
    pub types: &'static [Shape],
}

/// One operation: where it lives, what it takes.
#[derive(Debug)]
pub struct OperationSpec {
    /// The operationId.
    pub id: &'static str,
    /// The client's `tag().method()`, for messages.
    pub call: &'static str,
    pub method: &'static str,
    /// The path template, e.g. `/projects/{projectId}`.
    pub path: &'static str,
    pub params: &'static [ParamSpec],
    pub body: Option<BodySpec>,
}

#[derive(Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    pub location: Location,
    pub required: bool,
    pub shape: &'static Shape,
    /// Named like a credential: its values are `<redacted>` in messages.
    pub secret: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Location::Path => "path parameter",
            Location::Query => "query parameter",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

#[derive(Debug)]
pub struct BodySpec {
    pub format: BodyFormat,
    pub content_type: &'static str,
    pub required: bool,
    /// Decodes the body into the client's type: the reason it does not fit, with its JSON path.
    pub check: fn(&[u8]) -> Result<(), String>,
    pub shape: &'static Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// What a schema allows, for parameter text and for strict mode's walk over JSON bodies.
#[derive(Debug)]
pub enum Shape {
    Any,
    String,
    Integer,
    Number,
    Boolean,
    Date,
    DateTime,
    Bytes,
    Enum {
        values: &'static [&'static str],
    },
    Array {
        item: &'static Shape,
    },
    Map {
        value: &'static Shape,
    },
    Object {
        fields: &'static [(&'static str, &'static Shape)],
        /// The type of undeclared keys, when the schema gives one; otherwise strict mode
        /// refuses them.
        extra: Option<&'static Shape>,
        /// Properties holding secrets: `<redacted>` in messages.
        secrets: &'static [&'static str],
    },
    Union {
        variants: &'static [&'static Shape],
    },
    /// A named schema: an index into [`ApiSpec::types`].
    Named {
        index: usize,
    },
}

/// Decodes a JSON body into `T`, naming the JSON path where it disagrees.
pub fn check_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(), String> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(_) => Ok(()),
        Err(e) => Err(describe_json_error(&e)),
    }
}

/// Decodes a form body into `T`.
pub fn check_form<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(), String> {
    serde_urlencoded::from_bytes::<T>(bytes)
        .map(|_| ())
        .map_err(|e| format!("the form body does not fit: {e}"))
}

/// Any body passes (text, bytes, multipart parts).
pub fn check_any(_: &[u8]) -> Result<(), String> {
    Ok(())
}

fn describe_json_error(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    if path == "." || path.is_empty() {
        format!("the body does not fit: {}", e.inner())
    } else {
        format!("the body does not fit at `{path}`: {}", e.inner())
    }
}

impl ApiSpec {
    pub(crate) fn resolve<'s>(&'s self, mut shape: &'s Shape) -> &'s Shape {
        for _ in 0..=self.types.len() {
            match shape {
                Shape::Named { index } => shape = &self.types[*index],
                _ => return shape,
            }
        }
        shape
    }

    /// Checks one parameter's text against its shape. Strict mode refuses enum values the
    /// document does not list.
    pub(crate) fn check_param(
        &self,
        shape: &Shape,
        values: &[String],
        strict: bool,
    ) -> Result<(), String> {
        let shape = self.resolve(shape);
        if let Shape::Array { item } = shape {
            for value in values {
                for part in value.split(',') {
                    self.check_text(item, part, strict)?;
                }
            }
            return Ok(());
        }
        if values.len() > 1 {
            return Err(format!("is given {} times, once is allowed", values.len()));
        }
        match values.first() {
            Some(value) => self.check_text(shape, value, strict),
            None => Ok(()),
        }
    }

    fn check_text(&self, shape: &Shape, text: &str, strict: bool) -> Result<(), String> {
        let shape = self.resolve(shape);
        let ok = match shape {
            Shape::Integer => text.parse::<i128>().is_ok(),
            Shape::Number => text.parse::<f64>().is_ok(),
            Shape::Boolean => text == "true" || text == "false",
            Shape::Date => text.parse::<chrono::NaiveDate>().is_ok(),
            Shape::DateTime => text.parse::<chrono::DateTime<chrono::Utc>>().is_ok(),
            Shape::Enum { values } => !strict || values.contains(&text),
            Shape::Object { .. } | Shape::Map { .. } | Shape::Union { .. } if strict => {
                match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(value) => {
                        let mut problems = Vec::new();
                        self.walk(shape, &value, "", &mut problems);
                        if let Some(problem) = problems.into_iter().next() {
                            return Err(problem);
                        }
                        true
                    }
                    Err(_) => false,
                }
            }
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("is `{text}`, not {}", self.expected(shape)))
        }
    }

    fn expected(&self, shape: &Shape) -> String {
        match self.resolve(shape) {
            Shape::Integer => "an integer".into(),
            Shape::Number => "a number".into(),
            Shape::Boolean => "`true` or `false`".into(),
            Shape::Date => "a date (2025-01-31)".into(),
            Shape::DateTime => "a date-time (2025-01-31T12:00:00Z)".into(),
            Shape::Enum { values } => format!("one of {}", values.join(", ")),
            Shape::Object { .. } | Shape::Map { .. } => "a JSON object".into(),
            _ => "what the document allows".into(),
        }
    }

    /// The shape of a property (`Ok(key)`) or item (`Err(index)`) of a value of `shape`, and
    /// whether the document marks the property as a secret.
    pub(crate) fn child(
        &'static self,
        shape: &'static Shape,
        key: Result<&str, usize>,
    ) -> (Option<&'static Shape>, bool) {
        match (self.resolve(shape), key) {
            (
                Shape::Object {
                    fields,
                    extra,
                    secrets,
                },
                Ok(key),
            ) => (
                fields
                    .iter()
                    .find(|(name, _)| *name == key)
                    .map(|(_, shape)| *shape)
                    .or(*extra),
                secrets.contains(&key),
            ),
            (Shape::Map { value }, Ok(_)) => (Some(*value), false),
            (Shape::Array { item }, Err(_)) => (Some(*item), false),
            _ => (None, false),
        }
    }

    /// Strict mode's walk over a decoded body: enum values the document does not list and
    /// keys it does not declare, each with its JSON path.
    pub(crate) fn strict_problems(&self, shape: &Shape, value: &serde_json::Value) -> Vec<String> {
        let mut problems = Vec::new();
        self.walk(shape, value, "", &mut problems);
        problems
    }

    fn walk(&self, shape: &Shape, value: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        use serde_json::Value;
        let shape = self.resolve(shape);
        let here = || {
            if at.is_empty() {
                ".".to_string()
            } else {
                at.to_string()
            }
        };
        match (shape, value) {
            (Shape::Enum { values }, Value::String(s)) if !values.contains(&s.as_str()) => {
                out.push(format!(
                    "`{}`: `{s}` is not a value the document lists ({})",
                    here(),
                    values.join(", ")
                ));
            }
            (Shape::Enum { values }, Value::Number(n))
                if !values.contains(&n.to_string().as_str()) =>
            {
                out.push(format!(
                    "`{}`: `{n}` is not a value the document lists ({})",
                    here(),
                    values.join(", ")
                ));
            }
            (Shape::Array { item }, Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    self.walk(item, v, &format!("{at}[{i}]"), out);
                }
            }
            (Shape::Map { value: inner }, Value::Object(map)) => {
                for (k, v) in map {
                    self.walk(inner, v, &format!("{at}.{k}"), out);
                }
            }
            (Shape::Object { fields, extra, .. }, Value::Object(map)) => {
                for (k, v) in map {
                    let path = format!("{at}.{k}");
                    match fields.iter().find(|(name, _)| name == k) {
                        Some((_, field)) => self.walk(field, v, &path, out),
                        None => match extra {
                            Some(extra) => self.walk(extra, v, &path, out),
                            None => out
                                .push(format!("`{path}` is not a property the document declares")),
                        },
                    }
                }
            }
            (Shape::Union { variants }, _) => {
                // Strictly fine when one variant is.
                let mut first = None;
                for variant in *variants {
                    let mut problems = Vec::new();
                    self.walk(variant, value, at, &mut problems);
                    if problems.is_empty() {
                        return;
                    }
                    first.get_or_insert(problems);
                }
                out.extend(first.unwrap_or_default());
            }
            _ => {}
        }
    }
}
