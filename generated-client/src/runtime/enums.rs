//! The trait impls every generated enum shares, written once as macros so the generated
//! code stays short: each enum provides `as_wire` and `from_wire`, these add the rest.

use std::fmt;

/// Equality, hashing and order by wire value: a value decoded into the catch-all
/// (`Unknown("day")`, built by hand or by an older crate) equals the variant it names, and
/// both hash alike; values sort by their wire form, not by declaration order.
macro_rules! impl_wire_comparisons {
    ($name:ident) => {
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_wire() == other.as_wire()
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.as_wire().hash(state)
            }
        }

        impl ::std::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl ::std::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.as_wire().cmp(&other.as_wire())
            }
        }
    };
}

/// Implements `Display`, `From<&str>`, `FromStr`, serde and parameter encoding for a string
/// enum with an `Unknown(String)` catch-all, so unknown values decode instead of failing.
macro_rules! impl_string_enum {
    ($name:ident) => {
        $crate::runtime::enums::impl_wire_comparisons!($name);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_wire())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            // Not `Self::Err`: an enum may have a variant called `Err`.
            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(Self::from_wire(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_wire())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::runtime::enums::StrVisitor(Self::from_wire))
            }
        }

        impl $crate::runtime::ParamValue for $name {
            fn to_param(&self) -> ::std::string::String {
                self.as_wire().to_owned()
            }
        }
    };
}

/// Like [`impl_string_enum`], for integer enums with an `Unknown(i64)` catch-all.
macro_rules! impl_integer_enum {
    ($name:ident) => {
        $crate::runtime::enums::impl_wire_comparisons!($name);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.as_wire())
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                Self::from_wire(value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_wire())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from_wire)
            }
        }

        impl $crate::runtime::ParamValue for $name {
            fn to_param(&self) -> ::std::string::String {
                self.as_wire().to_string()
            }
        }
    };
}

/// Gives an object or union type used as a parameter its text form: its JSON, with a plain
/// string left unquoted (a `oneOf [integer, string]` id is sent as `42` or `abc`).
#[allow(unused_macros)] // Used only by documents with object or union parameters.
macro_rules! impl_json_param {
    ($name:ident) => {
        impl $crate::runtime::ParamValue for $name {
            fn to_param(&self) -> ::std::string::String {
                $crate::runtime::enums::json_param(self)
            }
        }
    };
}

#[allow(unused_imports)] // As above.
pub(crate) use impl_json_param;
pub(crate) use {impl_integer_enum, impl_string_enum, impl_wire_comparisons};

/// The text form of any serializable value, for [`impl_json_param`].
pub(crate) fn json_param(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        // Generated types always serialize; an empty value is the least surprising fallback.
        Err(_) => String::new(),
    }
}

/// Decodes a string enum from borrowed or owned strings without an extra allocation.
pub(crate) struct StrVisitor<T>(pub(crate) fn(&str) -> T);

impl<T> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok((self.0)(value))
    }
}
