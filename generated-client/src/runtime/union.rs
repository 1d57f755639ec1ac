//! Decoding `oneOf`/`anyOf` unions without a discriminator whose variants are objects.
//!
//! Objects here are open (unknown keys allowed, most properties optional), so whichever
//! object variant is tried first would accept any object: `#[serde(untagged)]` alone would
//! always pick it. Instead the variants are ranked by how many of the object's keys each
//! declares, and tried in that order.
// Only documents with such unions use this module.
#![allow(dead_code)]

use std::cmp::Reverse;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// One variant of a union: the property names it declares and how to decode it.
pub(crate) struct Variant<T> {
    pub(crate) keys: &'static [&'static str],
    /// Discriminator values that select this variant.
    pub(crate) tags: &'static [&'static str],
    pub(crate) decode: fn(serde_json::Value) -> Result<T, serde_json::Error>,
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    type_name: &str,
    discriminator: Option<&str>,
    variants: &[Variant<T>],
) -> Result<T, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    // A discriminator names the variant outright; the whole object (tag included, since the
    // variant's own schema usually declares it) decodes as that variant.
    let tag = discriminator
        .and_then(|property| value.get(property))
        .and_then(|t| t.as_str())
        .map(str::to_owned);
    if let Some(tag) = tag {
        if let Some(variant) = variants.iter().find(|v| v.tags.contains(&tag.as_str())) {
            return (variant.decode)(value)
                .map_err(|e| D::Error::custom(format!("{type_name} `{tag}`: {e}")));
        }
    }
    let mut order: Vec<usize> = (0..variants.len()).collect();
    if let serde_json::Value::Object(object) = &value {
        let declared = |i: usize| {
            object
                .keys()
                .filter(|k| variants[i].keys.contains(&k.as_str()))
                .count()
        };
        // A stable sort: variants declaring equally many keys keep the document's order.
        order.sort_by_key(|&i| Reverse(declared(i)));
    }
    let mut first_error = None;
    for index in order {
        match (variants[index].decode)(value.clone()) {
            Ok(decoded) => return Ok(decoded),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    let reason = first_error.map_or_else(String::new, |e| format!(" (closest: {e})"));
    Err(D::Error::custom(format!(
        "the value matches no variant of {type_name}{reason}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Log {
        diff: Option<String>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Diff {
        logs: Option<Vec<i64>>,
    }

    #[derive(Debug, PartialEq)]
    enum Either {
        Log(Log),
        Diff(Diff),
    }

    fn decode(json: &str) -> Result<Either, serde_json::Error> {
        let variants = [
            Variant {
                keys: &["diff"],
                tags: &["log"],
                decode: |v| serde_json::from_value(v).map(Either::Log),
            },
            Variant {
                keys: &["logs"],
                tags: &["diff"],
                decode: |v| serde_json::from_value(v).map(Either::Diff),
            },
        ];
        let mut deserializer = serde_json::Deserializer::from_str(json);
        deserialize(&mut deserializer, "Either", Some("kind"), &variants)
    }

    #[test]
    fn the_variant_declaring_the_keys_wins() {
        assert_eq!(
            decode(r#"{"logs":[1,2]}"#).unwrap(),
            Either::Diff(Diff {
                logs: Some(vec![1, 2])
            })
        );
        assert_eq!(
            decode(r#"{"diff":"x"}"#).unwrap(),
            Either::Log(Log {
                diff: Some("x".into())
            })
        );
        // Nothing known: the document's order decides.
        assert_eq!(decode("{}").unwrap(), Either::Log(Log { diff: None }));
        assert!(decode("[1]")
            .unwrap_err()
            .to_string()
            .contains("no variant of Either"));
        // The discriminator wins over counting keys.
        assert_eq!(
            decode(r#"{"kind":"diff","diff":"x"}"#).unwrap(),
            Either::Diff(Diff { logs: None })
        );
    }
}
