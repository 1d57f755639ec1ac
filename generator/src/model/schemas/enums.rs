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
        .map(|(rust_name, wire)| EnumVariant { rust_name, wire })
        .collect();
    Enum {
        repr,
        variants,
        catch_all,
    }
}
