//! JSON instances of the document's types, made from the IR alone: the command line's example
//! bodies, the contract tests' arguments and the round-trip fidelity check all take their
//! values from here.
//!
//! An instance is meant to be valid against the schema the type was made from, as far as the
//! IR knows it: strings in their `format`, enum values from the enum, a variant of each union
//! (with its discriminator value), `null` only where a property is nullable. Validation keywords
//! the IR does not keep (`minimum`, `maxLength`, `pattern`, `uniqueItems`, ...) are not known
//! here; the values are chosen to satisfy the usual ones (small positive numbers, short text,
//! distinct array items).
//!
//! Recursive types stop: a type met again inside itself is filled with its required
//! properties only, and past [`MAX_DEPTH`] arrays and maps are empty.

use serde_json::{json, Map, Value};

use crate::model::{
    Api, EnumRepr, IntegerKind, Presence, StringFormat, TypeId, TypeKind, TypeRef, Undeclared,
};

/// The key put in every open object by [`Fill::All`]: no document is expected to declare it
/// (when one does, `-2`, `-3`, ... is appended until it is free).
pub const UNDECLARED_PROBE: &str = "x-undeclared-probe";

/// Nesting deeper than this fills arrays and maps with nothing and structs with their required
/// properties only, so recursive schemas give finite instances.
pub const MAX_DEPTH: usize = 12;

/// Which properties an instance has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required properties only (`null` for the required nullable ones): the smallest valid
    /// value, what the command line's example bodies show.
    Required,
    /// Every property, optional ones too, two items in arrays and maps, and
    /// [`UNDECLARED_PROBE`] in every open object (an object whose schema does not say
    /// `additionalProperties: false`).
    All,
}

/// A value of `ty` with the given [`Fill`], the first value of every enum and the first
/// variant of every union.
pub fn example(api: &Api, ty: &TypeRef, fill: Fill) -> Value {
    Instances::new(api, fill).value(ty)
}

/// Makes instances of an API's types; [`example`] is the common case.
#[derive(Debug, Clone)]
pub struct Instances<'a> {
    api: &'a Api,
    fill: Fill,
    pick: usize,
    request: bool,
    documented: bool,
}

impl<'a> Instances<'a> {
    pub fn new(api: &'a Api, fill: Fill) -> Self {
        Instances {
            api,
            fill,
            pick: 0,
            request: false,
            documented: false,
        }
    }

    /// Takes the `k`-th value (modulo their number) of every enum and the `k`-th variant of
    /// every union, so that `k` in `0..n` sends each of `n` values once.
    pub fn pick(mut self, k: usize) -> Self {
        self.pick = k;
        self
    }

    /// Makes request bodies: read-only properties, which the server sets, are left out.
    pub fn request(mut self) -> Self {
        self.request = true;
        self
    }

    /// Keeps to what the document describes: [`UNDECLARED_PROBE`] goes only into objects whose
    /// `additionalProperties` gives a schema, not into every open one, so a strict reader (the
    /// mock's strict mode) accepts the instance.
    pub fn documented(mut self) -> Self {
        self.documented = true;
        self
    }

    /// A value of `ty`.
    pub fn value(&self, ty: &TypeRef) -> Value {
        let mut stack = Vec::new();
        self.walk(ty, self.fill, 0, 0, &mut stack)
    }

    /// A string in `format`; `second` gives another value of the same format (for the second
    /// item of an array).
    pub fn string(&self, format: StringFormat, second: bool) -> String {
        formatted(format, self.fill, second)
    }

    /// `variant` is 0, or more for the later items of an array or map: scalars of variant 0
    /// differ from the others', and enums and unions move on by `variant`, so `uniqueItems`
    /// holds.
    fn walk(
        &self,
        ty: &TypeRef,
        fill: Fill,
        variant: usize,
        depth: usize,
        stack: &mut Vec<TypeId>,
    ) -> Value {
        let all = fill == Fill::All;
        let deep = depth >= MAX_DEPTH;
        match ty {
            TypeRef::String(format) => Value::String(formatted(*format, fill, variant > 0)),
            TypeRef::Boolean => Value::Bool(all == (variant == 0)),
            TypeRef::Integer(kind) => match kind {
                // Past i32 in a 64-bit field, so a narrower Rust type would not hold it.
                IntegerKind::I64 | IntegerKind::U64 if all => {
                    json!(3_000_000_000u64 + variant as u64)
                }
                _ if all => json!(200 + variant),
                _ => json!(1 + variant),
            },
            TypeRef::Number(_) => json!(if all { 12.5 } else { 1.5 } + variant as f64),
            TypeRef::Date => json!(match (all, variant) {
                (true, 0) => "2024-02-29",
                (true, _) => "2023-12-31",
                (false, 0) => "2025-01-31",
                (false, _) => "2025-02-01",
            }),
            TypeRef::DateTime => json!(match (all, variant) {
                (true, 0) => "2024-02-29T23:59:58.123Z",
                (true, _) => "2023-12-31T01:02:03+02:00",
                (false, 0) => "2025-01-31T00:00:00Z",
                (false, _) => "2025-02-01T12:00:00Z",
            }),
            // `bytes::Bytes` deserializes from a string's bytes.
            TypeRef::Bytes => json!(match (all, variant) {
                (true, 0) => "bytes ✓",
                (true, _) => "bytes 2",
                (false, _) => "string",
            }),
            TypeRef::Array(item) => {
                if deep {
                    return Value::Array(Vec::new());
                }
                // The items start at this value's own variant, so arrays of arrays differ
                // too: `[[a, b], [b, c]]`.
                let first = self.walk(item, fill, variant, depth + 1, stack);
                if all {
                    let second = self.walk(item, fill, variant + 1, depth + 1, stack);
                    Value::Array(vec![first, second])
                } else {
                    Value::Array(vec![first])
                }
            }
            TypeRef::Map(value) => {
                let mut map = Map::new();
                if !deep {
                    let first = self.walk(value, fill, variant, depth + 1, stack);
                    map.insert("key1".into(), first);
                    if all {
                        let second = self.walk(value, fill, variant + 1, depth + 1, stack);
                        map.insert("key 2 ✓".into(), second);
                    }
                }
                Value::Object(map)
            }
            TypeRef::Object => match (all, variant) {
                (true, 0) => json!({"free": "form", "n": 1, "nested": {"a": [true, null]}}),
                (true, _) => json!({"free": "form 2"}),
                (false, _) => json!({}),
            },
            TypeRef::Any => match (all, variant) {
                (true, 0) => json!({"any": [1, "two", 3.5, null]}),
                (true, _) => json!("any 2"),
                (false, _) => json!("any"),
            },
            TypeRef::Named(id) => self.named(*id, fill, variant, depth, stack),
        }
    }

    fn named(
        &self,
        id: TypeId,
        fill: Fill,
        variant: usize,
        depth: usize,
        stack: &mut Vec<TypeId>,
    ) -> Value {
        let def = self.api.type_def(id);
        let pick = self.pick + variant;
        match &def.kind {
            TypeKind::Alias(target) => self.walk(target, fill, variant, depth + 1, stack),
            TypeKind::Enum(e) => {
                let Some(chosen) = e.variants.get(pick % e.variants.len().max(1)) else {
                    // An enum listing no value takes any: its catch-all holds it.
                    return Value::String("unlisted".into());
                };
                match e.repr {
                    EnumRepr::String => Value::String(chosen.wire.clone()),
                    EnumRepr::Integer => chosen
                        .wire
                        .parse::<i64>()
                        .map_or_else(|_| Value::String(chosen.wire.clone()), Value::from),
                }
            }
            TypeKind::Union(u) => {
                let count = u.variants.len().max(1);
                let Some(mut chosen) = u.variants.get(pick % count) else {
                    return Value::Null;
                };
                // Inside itself, or where the chosen variant is a type being filled, the union
                // takes a variant that does not lead back, where it has one (Stripe's
                // expandable fields: an id instead of the object): recursion ends at a leaf.
                let leads_back = |ty: &TypeRef| match self.api.resolve_alias(ty) {
                    TypeRef::Named(inner) => stack.contains(inner),
                    _ => false,
                };
                if stack.contains(&id) || leads_back(&chosen.ty) {
                    if let Some(leaf) = (0..count)
                        .map(|offset| &u.variants[(pick + offset) % count])
                        .find(|v| !leads_back(&v.ty))
                    {
                        chosen = leaf;
                    }
                }
                stack.push(id);
                let mut value = self.walk(&chosen.ty, fill, variant, depth + 1, stack);
                stack.pop();
                if let (Some(property), Some(tag), Value::Object(fields)) =
                    (&u.discriminator, chosen.tags.first(), &mut value)
                {
                    fields.insert(property.clone(), Value::String(tag.clone()));
                }
                value
            }
            TypeKind::Struct(s) => {
                // A type met again inside itself, or nesting past the limit, stops at what
                // it requires.
                let fill = if stack.contains(&id) || depth >= MAX_DEPTH {
                    Fill::Required
                } else {
                    fill
                };
                // A cycle of required properties has no finite instance: the third time
                // round it stops at an empty object (which may be invalid). Earlier, two
                // required recursive properties would double the instance at each level.
                if stack.iter().filter(|&&t| t == id).count() >= 2 || depth >= 4 * MAX_DEPTH {
                    return Value::Object(Map::new());
                }
                stack.push(id);
                let mut object = Map::new();
                for field in &s.fields {
                    if self.request && field.read_only {
                        continue;
                    }
                    let value = match (field.presence, fill) {
                        (Presence::Optional | Presence::OptionalNullable, Fill::Required) => {
                            continue
                        }
                        (Presence::RequiredNullable, Fill::Required) => Value::Null,
                        _ => self.walk(&field.ty, fill, variant, depth + 1, stack),
                    };
                    object.insert(field.wire_name.clone(), value);
                }
                if fill == Fill::All {
                    if let Undeclared::Kept { value, .. } = &s.undeclared {
                        if self.documented && value.is_none() {
                            stack.pop();
                            return Value::Object(object);
                        }
                        let key = probe_key(|key| s.fields.iter().any(|f| f.wire_name == key));
                        let value = match value {
                            Some(ty) => self.walk(ty, fill, variant, depth + 1, stack),
                            None => Value::String("kept".into()),
                        };
                        object.insert(key, value);
                    }
                }
                stack.pop();
                Value::Object(object)
            }
        }
    }
}

/// [`UNDECLARED_PROBE`], or the first of `-2`, `-3`, ... appended to it that `taken` refuses.
pub fn probe_key(taken: impl Fn(&str) -> bool) -> String {
    std::iter::once(UNDECLARED_PROBE.to_string())
        .chain((2..).map(|n| format!("{UNDECLARED_PROBE}-{n}")))
        .find(|key| !taken(key))
        .unwrap_or_default()
}

/// A string valid in `format`.
fn formatted(format: StringFormat, fill: Fill, second: bool) -> String {
    let all = fill == Fill::All;
    match (format, second) {
        (StringFormat::Plain, false) if all => "text ✓ \"all\"",
        (StringFormat::Plain, false) => "string",
        (StringFormat::Plain, true) => "text 2",
        (StringFormat::Email, false) if all => "first.last+all@example.co.uk",
        (StringFormat::Email, false) => "user@example.com",
        (StringFormat::Email, true) => "second@example.com",
        (StringFormat::Uuid, false) => "4f1c7b0e-2a5d-4c3b-9e8f-0a1b2c3d4e5f",
        (StringFormat::Uuid, true) => "4f1c7b0e-2a5d-4c3b-9e8f-0a1b2c3d4e60",
        (StringFormat::Uri, false) => "https://example.com/path?x=1",
        (StringFormat::Uri, true) => "https://example.org/",
        (StringFormat::UriReference, false) => "/path?x=1",
        (StringFormat::UriReference, true) => "other#part",
        (StringFormat::Hostname, false) => "example.com",
        (StringFormat::Hostname, true) => "api.example.org",
        (StringFormat::Ipv4, false) => "192.0.2.1",
        (StringFormat::Ipv4, true) => "198.51.100.7",
        (StringFormat::Ipv6, false) => "2001:db8::1",
        (StringFormat::Ipv6, true) => "2001:db8::2",
        (StringFormat::Time, false) => "23:59:58Z",
        (StringFormat::Time, true) => "08:00:00+02:00",
        (StringFormat::Duration, false) => "P1DT2H",
        (StringFormat::Duration, true) => "PT30M",
        (StringFormat::Byte, false) => "c3RyaW5n",
        (StringFormat::Byte, true) => "dGV4dCAy",
        (StringFormat::Regex, false) => "^[a-z]+$",
        (StringFormat::Regex, true) => "[0-9]*",
        (StringFormat::JsonPointer, false) => "/a/0",
        (StringFormat::JsonPointer, true) => "/b",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TypeRef;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Node:
      type: object
      required: [name, kind]
      properties:
        name: {type: string, format: email}
        id: {type: string, format: uuid}
        kind: {type: string, enum: [leaf, branch]}
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        note: {type: string, nullable: true}
        created: {type: string, format: date-time, readOnly: true}
    Closed:
      type: object
      additionalProperties: false
      properties:
        x-undeclared-probe: {type: integer}
    Expression:
      oneOf:
        - $ref: '#/components/schemas/And'
        - $ref: '#/components/schemas/Literal'
    And:
      type: object
      required: [left, right]
      properties:
        left: {$ref: '#/components/schemas/Expression'}
        right: {$ref: '#/components/schemas/Expression'}
    Literal:
      type: object
      required: [value]
      properties:
        value: {type: string}
    Open:
      type: object
      properties:
        x-undeclared-probe: {type: integer}
      additionalProperties: {type: boolean}
"#;

    fn api() -> Api {
        crate::build_model(SPEC.as_bytes(), &crate::Options::default()).unwrap()
    }

    fn named(api: &Api, name: &str) -> TypeRef {
        let index = api.types.iter().position(|t| t.name == name).unwrap();
        TypeRef::Named(crate::model::TypeId(index))
    }

    #[test]
    fn required_fill_is_the_smallest_valid_value() {
        let api = api();
        let value = example(&api, &named(&api, "Node"), Fill::Required);
        assert_eq!(value, json!({"name": "user@example.com", "kind": "leaf"}));
    }

    #[test]
    fn all_fill_fills_everything_and_stops_at_recursion() {
        let api = api();
        let node = Instances::new(&api, Fill::All).value(&named(&api, "Node"));
        assert_eq!(node["id"], "4f1c7b0e-2a5d-4c3b-9e8f-0a1b2c3d4e5f");
        assert_eq!(node["created"], "2024-02-29T23:59:58.123Z");
        assert_eq!(node["note"], "text ✓ \"all\"");
        assert_eq!(node[UNDECLARED_PROBE], "kept");
        // The type inside itself has its required properties only.
        assert_eq!(
            node["parent"],
            json!({"name": "user@example.com", "kind": "leaf"})
        );
        let children = node["children"].as_array().unwrap();
        assert_eq!(children.len(), 2);
        assert_ne!(children[0], children[1], "array items differ (uniqueItems)");
        // Requests leave out what the server sets; `pick` moves through enum values.
        let request = Instances::new(&api, Fill::All)
            .pick(1)
            .request()
            .value(&named(&api, "Node"));
        assert!(request.get("created").is_none());
        assert_eq!(request["kind"], "branch");
    }

    #[test]
    fn recursion_through_unions_ends_at_a_leaf() {
        let api = api();
        for fill in [Fill::Required, Fill::All] {
            for k in 0..2 {
                let value = Instances::new(&api, fill)
                    .pick(k)
                    .value(&named(&api, "Expression"));
                assert!(value.to_string().len() < 4096, "{value}");
            }
        }
    }

    #[test]
    fn the_probe_goes_only_into_open_objects_under_a_free_name() {
        let api = api();
        let closed = example(&api, &named(&api, "Closed"), Fill::All);
        assert_eq!(closed, json!({"x-undeclared-probe": 3_000_000_000u64}));
        let open = example(&api, &named(&api, "Open"), Fill::All);
        assert_eq!(
            open,
            json!({"x-undeclared-probe": 3_000_000_000u64, "x-undeclared-probe-2": true})
        );
    }
}
