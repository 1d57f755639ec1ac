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

/// The error naming the first required property not set: `required` lists each one (its
/// name in the API document) and whether it was set, in declaration order. Generated `build`
/// methods match on all the required values at once and call this only when one is missing,
/// so a builder's error path drops its fields once instead of once per required property.
pub(crate) fn missing(type_name: &'static str, required: &[(&'static str, bool)]) -> BuildError {
    // `build` calls this only when one is missing; an empty name would say which type at least.
    let property = required
        .iter()
        .find(|(_, set)| !set)
        .map_or("", |(property, _)| property);
    BuildError::missing(type_name, property)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_required_property_not_set_is_named() {
        let error = missing(
            "Site",
            &[("siteId", true), ("name", false), ("code", false)],
        );
        assert_eq!(error.type_name(), "Site");
        assert_eq!(error.property(), "name");
        assert_eq!(
            error.to_string(),
            "cannot build a `Site`: required property `name` is not set"
        );
    }
}
