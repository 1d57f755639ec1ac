//! Enums from `enum` lists: variant names from the values (made unique and kept clear of
//! the catch-all variant that holds values the document does not list).

use crate::model::{Enum, EnumRepr, EnumVariant};
use crate::naming;

pub(super) fn string_enum(values: Vec<String>) -> Enum {
    enum_of(EnumRepr::String, values)
}

pub(super) fn integer_enum(values: Vec<i64>) -> Enum {
    enum_of(
        EnumRepr::Integer,
        values.iter().map(i64::to_string).collect(),
    )
}

/// Names the variants of an enum (values listed twice count once) and its catch-all.
fn enum_of(repr: EnumRepr, values: Vec<String>) -> Enum {
    let mut unique: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        if !unique.contains(&value) {
            unique.push(value);
        }
    }
    let names: Vec<String> = unique.iter().map(|v| naming::type_name(v)).collect();
    // The catch-all is `Unknown` unless the spec lists a value of that name (`unknown`),
    // which then keeps its natural name.
    let catch_all = ["Unknown", "Other", "UnknownValue"]
        .into_iter()
        .find(|candidate| !names.iter().any(|n| n == candidate))
        .unwrap_or("UnlistedValue")
        .to_string();
    let names = naming::make_unique(&names, &[catch_all.clone()].into());
    let variants = names
        .into_iter()
        .zip(unique)
        .map(|(rust_name, wire)| EnumVariant {
            shows_wire: !wire_is_obvious(&wire, &rust_name),
            rust_name,
            wire,
        })
        .collect();
    Enum {
        repr,
        variants,
        catch_all,
    }
}

/// Whether a variant's Rust name says its wire value plainly: the same text, or a lowercase
/// alphanumeric word in type case (`day` is `Day`; `PTO`'s `Pto` and `15minute`'s `Minute15` are
/// not).
fn wire_is_obvious(wire: &str, rust_name: &str) -> bool {
    wire == rust_name
        || (wire.starts_with(|c: char| c.is_ascii_lowercase())
            && wire.chars().all(|c| c.is_ascii_alphanumeric())
            && naming::type_name(wire) == rust_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(e: &Enum) -> Vec<(&str, &str)> {
        e.variants
            .iter()
            .map(|v| (v.rust_name.as_str(), v.wire.as_str()))
            .collect()
    }

    #[test]
    fn variants_are_named_from_their_values_once_each() {
        let e = string_enum(
            ["15minute", "hour", "day-ahead", "hour"]
                .map(String::from)
                .to_vec(),
        );
        assert_eq!(e.repr, EnumRepr::String);
        assert_eq!(
            names(&e),
            [
                ("Minute15", "15minute"),
                ("Hour", "hour"),
                ("DayAhead", "day-ahead")
            ]
        );
        assert_eq!(e.catch_all, "Unknown");
    }

    #[test]
    fn values_with_one_name_get_numbered_variants() {
        let e = string_enum(["foo-bar", "foo_bar", "FooBar"].map(String::from).to_vec());
        assert_eq!(
            names(&e),
            [
                ("FooBar", "foo-bar"),
                ("FooBar2", "foo_bar"),
                ("FooBar3", "FooBar")
            ]
        );
    }

    #[test]
    fn a_listed_unknown_keeps_its_name_and_the_catch_all_moves_aside() {
        let e = string_enum(["known", "unknown"].map(String::from).to_vec());
        assert_eq!(names(&e), [("Known", "known"), ("Unknown", "unknown")]);
        assert_eq!(e.catch_all, "Other");
        let e = string_enum(["unknown", "other"].map(String::from).to_vec());
        assert_eq!(e.catch_all, "UnknownValue");
    }

    #[test]
    fn docs_show_the_wire_value_where_the_name_does_not_say_it() {
        let e = string_enum(
            [
                "day",
                "A",
                "PTO",
                "15minute",
                "New System",
                "foo-bar",
                "foo_bar",
            ]
            .map(String::from)
            .to_vec(),
        );
        let shown: Vec<&str> = e
            .variants
            .iter()
            .filter(|v| v.shows_wire)
            .map(|v| v.wire.as_str())
            .collect();
        assert_eq!(
            shown,
            ["PTO", "15minute", "New System", "foo-bar", "foo_bar"]
        );
    }

    #[test]
    fn integer_values_are_kept_as_text() {
        let e = integer_enum(vec![10, -1, 10]);
        assert_eq!(e.repr, EnumRepr::Integer);
        let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
        assert_eq!(wires, ["10", "-1"]);
    }
}
