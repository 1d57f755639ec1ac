//! [`AdditionalProperties`]: what an object carries beyond what the API document declares.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde_json::{Map, Value};

/// The keys of an object that the API document does not declare, with their JSON values, in
/// the order the server sent them.
///
/// The document is incomplete in places, so every generated struct whose schema does not
/// forbid undeclared keys keeps them here (in its field `additional_properties`) and writes
/// them back when it is encoded: a value read, changed and sent back loses nothing the server
/// sent. It dereferences to a [`serde_json::Map`] for reading and changing. `Debug` redacts
/// the values of keys named like secrets (`password`, `token`, `apiKey`, ...).
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct AdditionalProperties(Map<String, Value>);

impl AdditionalProperties {
    /// An empty set of properties.
    pub fn new() -> Self {
        Self::default()
    }

    /// The properties as a JSON map.
    pub fn into_inner(self) -> Map<String, Value> {
        self.0
    }
}

impl Deref for AdditionalProperties {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for AdditionalProperties {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl From<Map<String, Value>> for AdditionalProperties {
    fn from(map: Map<String, Value>) -> Self {
        AdditionalProperties(map)
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for AdditionalProperties {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        AdditionalProperties(
            iter.into_iter()
                .map(|(key, value)| (key.into(), value.into()))
                .collect(),
        )
    }
}

impl<'a> IntoIterator for &'a AdditionalProperties {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for AdditionalProperties {
    type Item = (String, Value);
    type IntoIter = serde_json::map::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Debug for AdditionalProperties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::redact::RedactedMap(&self.0).fmt(f)
    }
}
