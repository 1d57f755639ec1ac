//! Serde for the generated structs. Their `Deserialize` and `Serialize` impls are generated
//! (not derived) so that keys the document does not declare are kept and written back without
//! `#[serde(flatten)]`, which buffers every value it touches; what they share is here.
//!
//! A generated impl looks like this (for `{code: string (required), size: number}`):
//!
//! ```text
//! impl Object for Thing {
//!     const NAME: &str = "Thing";
//!     const FIELDS: &[&str] = &["code", "size"];
//!     fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
//!         let (mut code, mut size) = (None, None);
//!         let mut additional_properties = AdditionalProperties::new();
//!         while let Some(key) = map.next_key_seed(KeySeed(Self::FIELDS))? {
//!             match key {
//!                 Key::Field(0) => code = Some(map.next_value()?),
//!                 Key::Field(_) => size = Some(map.next_value()?),
//!                 Key::Undeclared(key) => additional_properties.insert(key, map.next_value()?),
//!             }
//!         }
//!         Ok(Thing { code: required(code, "code")?, size: optional(size), additional_properties })
//!     }
//! }
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serialize};

/// A generated struct decoded from a JSON object, key by key.
pub(crate) trait Object: Sized {
    /// The type's name, for "expected an object `Project`" messages.
    const NAME: &'static str;
    /// The declared properties' wire names; [`Key::Field`] indexes this list.
    const FIELDS: &'static [&'static str];

    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The body of every generated `Deserialize::deserialize`.
pub(crate) fn deserialize<'de, T: Object, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object `{}`", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// A key of an object: one of the declared properties (by position), or another one, kept
/// as it is.
pub(crate) enum Key {
    Field(usize),
    Undeclared(String),
}

/// Reads a key and looks it up among the declared names without allocating; only an
/// undeclared key is copied (and not even that when the decoder hands over an owned string).
pub(crate) struct KeySeed(pub(crate) &'static [&'static str]);

impl KeySeed {
    fn find(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|name| *name == key)
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.find(key) {
            Some(index) => Key::Field(index),
            None => Key::Undeclared(key.to_owned()),
        })
    }

    fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key, E> {
        Ok(match self.find(&key) {
            Some(index) => Key::Field(index),
            None => Key::Undeclared(key),
        })
    }
}

/// A required property's value, or the "missing field" error naming it.
pub(crate) fn required<T, E: serde::de::Error>(
    value: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

/// An optional property: absent and `null` are both `None`. (A `null` for a property the
/// document does not call nullable is read as absent, rather than failing the whole answer.)
pub(crate) fn optional<T>(value: Option<Option<T>>) -> Option<T> {
    value.flatten()
}

/// Writes the undeclared keys after the declared ones. A key that is also a declared
/// property (put there by hand) is skipped: the declared field is the value that counts, and
/// JSON objects must not repeat a key.
pub(crate) fn serialize_undeclared<M: SerializeMap, V: Serialize>(
    map: &mut M,
    fields: &'static [&'static str],
    undeclared: impl IntoIterator<Item = (impl AsRef<str>, V)>,
) -> Result<(), M::Error> {
    for (key, value) in undeclared {
        let key = key.as_ref();
        if !fields.contains(&key) {
            map.serialize_entry(key, &value)?;
        }
    }
    Ok(())
}

/// A property whose value does not fit its type, named (serde's messages only name the type).
#[allow(dead_code)] // Kept for generated code that validates more than types.
pub(crate) fn invalid<E: serde::de::Error>(name: &str, reason: impl fmt::Display) -> E {
    E::custom(format_args!("property `{name}`: {reason}"))
}

/// Implements `Deserialize` for a generated struct through its [`Object`] impl.
macro_rules! impl_object {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::object::deserialize(deserializer)
            }
        }
    };
}

pub(crate) use impl_object;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::AdditionalProperties;

    /// What the generator writes for `{code: string (required), size: number, note: string,
    /// nullable}`, by hand.
    #[derive(Debug, PartialEq)]
    struct Thing {
        code: String,
        size: Option<f64>,
        note: Option<Option<String>>,
        additional_properties: AdditionalProperties,
    }

    impl Object for Thing {
        const NAME: &'static str = "Thing";
        const FIELDS: &'static [&'static str] = &["code", "size", "note"];

        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut code, mut size, mut note) = (None, None, None);
            let mut additional_properties = AdditionalProperties::new();
            while let Some(key) = map.next_key_seed(KeySeed(Self::FIELDS))? {
                match key {
                    Key::Field(0) => code = Some(map.next_value()?),
                    Key::Field(1) => size = Some(map.next_value()?),
                    Key::Field(_) => note = Some(map.next_value()?),
                    Key::Undeclared(key) => {
                        additional_properties.insert(key, map.next_value()?);
                    }
                }
            }
            Ok(Thing {
                code: required(code, "code")?,
                size: optional(size),
                note,
                additional_properties,
            })
        }
    }

    impl_object!(Thing);

    impl Serialize for Thing {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("code", &self.code)?;
            if let Some(value) = &self.size {
                map.serialize_entry("size", value)?;
            }
            if let Some(value) = &self.note {
                map.serialize_entry("note", value)?;
            }
            serialize_undeclared(&mut map, Self::FIELDS, &self.additional_properties)?;
            map.end()
        }
    }

    #[test]
    fn undeclared_keys_are_kept_and_written_back() {
        let json = r#"{"code":"A","extra":{"deep":[1,2]},"size":2.5,"note":null,"zz":true}"#;
        let thing: Thing = serde_json::from_str(json).unwrap();
        assert_eq!(thing.code, "A");
        assert_eq!(thing.size, Some(2.5));
        assert_eq!(thing.note, Some(None));
        assert_eq!(thing.additional_properties.len(), 2);
        let back = serde_json::to_string(&thing).unwrap();
        assert_eq!(
            back,
            r#"{"code":"A","size":2.5,"note":null,"extra":{"deep":[1,2]},"zz":true}"#
        );
        // From a `serde_json::Value` too (owned keys), as unions decode their variants.
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::from_value::<Thing>(value).unwrap(), thing);
    }

    #[test]
    fn absent_null_and_missing() {
        let thing: Thing = serde_json::from_str(r#"{"code":"A","size":null}"#).unwrap();
        assert_eq!((thing.size, thing.note), (None, None));
        let error = serde_json::from_str::<Thing>(r#"{"size":1}"#).unwrap_err();
        assert!(
            error.to_string().contains("missing field `code`"),
            "{error}"
        );
        let error = serde_json::from_str::<Thing>("[]").unwrap_err();
        assert!(error.to_string().contains("an object `Thing`"), "{error}");
    }

    #[test]
    fn a_declared_key_in_the_undeclared_map_is_not_written_twice() {
        let mut thing: Thing = serde_json::from_str(r#"{"code":"A"}"#).unwrap();
        thing
            .additional_properties
            .insert("code".into(), serde_json::json!("B"));
        assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"code":"A"}"#);
    }

    #[test]
    fn a_failure_names_the_path() {
        let body = bytes::Bytes::from_static(br#"{"code":"A","size":"big"}"#);
        let Err(crate::Error::Decode(error)) =
            crate::runtime::decode::json::<Thing>("op", reqwest::StatusCode::OK, body)
        else {
            panic!("a string is not a number")
        };
        assert_eq!(error.path, "size");
    }
}
