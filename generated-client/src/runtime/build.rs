//! [`BuildError`]: what a generated struct's builder says when a required property is unset.

use std::fmt;

/// A struct's builder was asked to build before every required property was set.
///
/// ```
/// let error = ecosuite::types::Project::builder().code("PRJ1").build().unwrap_err();
/// assert_eq!(error.property(), "status");
/// assert_eq!(error.to_string(), "cannot build a `Project`: required property `status` is not set");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    type_name: &'static str,
    property: &'static str,
}

impl BuildError {
    pub(crate) fn missing(type_name: &'static str, property: &'static str) -> Self {
        BuildError {
            type_name,
            property,
        }
    }

    /// The type being built, e.g. `Project`.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The first required property (its name in the API document) that was not set.
    pub fn property(&self) -> &'static str {
        self.property
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot build a `{}`: required property `{}` is not set",
            self.type_name, self.property
        )
    }
}

impl std::error::Error for BuildError {}

/// A required property's value, or the error naming it.
pub(crate) fn required<T>(
    value: Option<T>,
    type_name: &'static str,
    property: &'static str,
) -> Result<T, BuildError> {
    value.ok_or(BuildError::missing(type_name, property))
}
