//! [`AdditionalProperties`]: what an object carries beyond what the API document declares.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The keys of an object that the API document does not declare, with their JSON values, in
/// the order the server sent them.
///
/// The document is incomplete in places, so every generated struct whose schema does not
/// forbid undeclared keys keeps them here (in its field `additional_properties`) and writes
/// them back when it is encoded: a value read, changed and sent back loses nothing the server
/// sent. It dereferences to a [`serde_json::Map`] for reading and changing. `Debug` redacts
/// the values of keys named like secrets (`password`, `token`, `apiKey`, ...).
///
/// Most objects carry none, so an empty set costs one pointer and no allocation: the map is
/// made on the first insertion.
#[derive(Clone, Default)]
pub struct AdditionalProperties(Option<Box<Map<String, Value>>>);

/// What an empty [`AdditionalProperties`] dereferences to.
static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl AdditionalProperties {
    /// An empty set of properties.
    pub fn new() -> Self {
        Self::default()
    }

    /// The properties as a JSON map.
    pub fn into_inner(self) -> Map<String, Value> {
        self.0.map(|map| *map).unwrap_or_default()
    }
}

impl Deref for AdditionalProperties {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Self::Target {
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

impl DerefMut for AdditionalProperties {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0.get_or_insert_with(Default::default)
    }
}

impl PartialEq for AdditionalProperties {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for AdditionalProperties {}

impl Serialize for AdditionalProperties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AdditionalProperties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Self::from)
    }
}

impl From<Map<String, Value>> for AdditionalProperties {
    fn from(map: Map<String, Value>) -> Self {
        AdditionalProperties((!map.is_empty()).then(|| Box::new(map)))
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for AdditionalProperties {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        iter.into_iter()
            .map(|(key, value)| (key.into(), value.into()))
            .collect::<Map<String, Value>>()
            .into()
    }
}

impl<'a> IntoIterator for &'a AdditionalProperties {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

impl IntoIterator for AdditionalProperties {
    type Item = (String, Value);
    type IntoIter = serde_json::map::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.into_inner().into_iter()
    }
}

impl fmt::Debug for AdditionalProperties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::redact::RedactedMap(self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_costs_nothing_until_written() {
        let mut properties = AdditionalProperties::new();
        assert!(properties.0.is_none() && properties.is_empty());
        assert_eq!(
            std::mem::size_of::<AdditionalProperties>(),
            std::mem::size_of::<usize>()
        );
        assert_eq!(properties, AdditionalProperties::from(Map::new()));
        properties.insert("owner".into(), Value::from("ORG-7"));
        assert_eq!(properties.len(), 1);
        assert_ne!(properties, AdditionalProperties::new());
        assert_eq!(
            serde_json::to_string(&properties).unwrap(),
            r#"{"owner":"ORG-7"}"#
        );
        let back: AdditionalProperties = serde_json::from_str(r#"{"owner":"ORG-7"}"#).unwrap();
        assert_eq!(back, properties);
        assert_eq!(properties.into_iter().count(), 1);
    }
}
