//! How parameter values are written into paths, query strings and headers.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use super::error::Error;

/// A value that can stand in a URL or header: written as the spec's formats say (dates and
/// date-times as ISO 8601, enums as their wire value). What
/// [`UntypedRequest`](crate::UntypedRequest)'s parameters take.
pub trait ParamValue {
    /// The value as it is written in a path, query string or header, before percent-encoding.
    fn to_param(&self) -> String;
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

display_param!(String, str, bool, i32, i64, u8, u16, u32, u64, f32, f64);

impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl ParamValue for chrono::DateTime<chrono::Utc> {
    /// RFC 3339 with a `Z`, e.g. `2025-01-01T00:00:00Z`; `Display` would give `2025-01-01 00:00:00 UTC`.
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl ParamValue for serde_json::Value {
    /// Strings as they are, anything else as JSON text.
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl ParamValue for serde_json::Map<String, serde_json::Value> {
    fn to_param(&self) -> String {
        serde_json::Value::Object(self.clone()).to_string()
    }
}

impl<T: serde::Serialize> ParamValue for std::collections::BTreeMap<String, T> {
    fn to_param(&self) -> String {
        super::enums::json_param(self)
    }
}

/// A list outside the query string (path, header): comma-separated, as OpenAPI's `simple`
/// style says.
impl<T: ParamValue> ParamValue for Vec<T> {
    fn to_param(&self) -> String {
        self.iter()
            .map(ParamValue::to_param)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Characters that cannot stand as themselves in one path segment: besides controls and
/// space, the URL delimiters, and `/` so a value can never reach another path.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// An operation's path: `template` with each `{name}` replaced by the next of `values` (the
/// generated code gives them in the template's order), percent-encoded as one path segment.
/// One function for every operation, rather than the same steps generated into each.
///
/// # Errors
///
/// [`Error::InvalidParameter`] naming the parameter when its value is empty: the request
/// would reach another resource (`/projects/` for `/projects/{projectId}`).
pub(crate) fn fill_template(
    operation: &'static str,
    template: &str,
    values: &[&dyn ParamValue],
) -> Result<String, Error> {
    let mut values = values.iter();
    let (mut path, rest) = fill_placeholders(operation, template, |name| {
        values
            .next()
            .map(|value| value.to_param())
            .ok_or_else(|| Error::InvalidParameter {
                operation,
                reason: format!("the path parameter `{name}` has no value"),
            })
    })?;
    path.push_str(rest);
    Ok(path)
}

/// The walk both kinds of request share: `template` with each closed `{name}` replaced by
/// `value(name)`, percent-encoded as one path segment, and the rest of the template after the
/// last placeholder (unfilled: the caller keeps it, or refuses an unclosed `{` in it).
///
/// # Errors
///
/// What `value` returns, and [`Error::InvalidParameter`] naming a parameter whose value is
/// empty.
pub(crate) fn fill_placeholders<'t>(
    operation: &'static str,
    template: &'t str,
    mut value: impl FnMut(&str) -> Result<String, Error>,
) -> Result<(String, &'t str), Error> {
    let mut path = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + length];
        let value = value(name)?;
        if value.is_empty() {
            return Err(Error::InvalidParameter {
                operation,
                reason: format!("the path parameter `{name}` is empty"),
            });
        }
        path.push_str(&rest[..start]);
        path.extend(utf8_percent_encode(&value, PATH_SEGMENT));
        rest = &rest[start + length + 1..];
    }
    Ok((path, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(
            fill_template("op", "/p/{id}", &[&"PRJ 1/../x?y#z%"]).unwrap(),
            "/p/PRJ%201%2F..%2Fx%3Fy%23z%25"
        );
        assert_eq!(
            fill_template("op", "/p/{id}/s/{n}/x", &[&"御中", &7_i64]).unwrap(),
            "/p/%E5%BE%A1%E4%B8%AD/s/7/x"
        );
        assert_eq!(fill_template("op", "/plain", &[]).unwrap(), "/plain");
    }

    #[test]
    fn empty_path_parameters_are_refused_by_name() {
        let Err(Error::InvalidParameter { operation, reason }) = fill_template(
            "project",
            "/projects/{projectId}/sites/{siteId}",
            &[&"P1", &""],
        ) else {
            panic!("an empty path parameter must be refused")
        };
        assert_eq!(operation, "project");
        assert!(reason.contains("`siteId`"), "{reason}");
    }

    #[test]
    fn dates_are_iso_8601() {
        let at = chrono::Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(at.to_param(), "2025-01-02T03:04:05Z");
        assert_eq!(at.date_naive().to_param(), "2025-01-02");
    }
}
