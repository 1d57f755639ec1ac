//! Serde support for `Option<Option<T>>` fields, where `None` (absent: leave the value alone)
//! and `Some(None)` (`null`: clear it) must stay distinct.
// Only documents with optional nullable properties use this module.
#![allow(dead_code)]

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub(crate) fn serialize<T: Serialize, S: Serializer>(
    value: &Option<Option<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(Some(value)) => value.serialize(serializer),
        // `None` is skipped by the field's `skip_serializing_if`; `Some(None)` is an explicit null.
        Some(None) | None => serializer.serialize_none(),
    }
}

pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    // Only called when the field is present (absent fields take `default`, i.e. `None`).
    Option::<T>::deserialize(deserializer).map(Some)
}
