//! Emits the `types` module: one Rust item per IR type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc, doc_lines, ident, type_tokens};
use crate::model::{
    Api, Enum, EnumRepr, Field, Presence, Struct, TypeDef, TypeKind, TypeRef, Undeclared, Union,
    UnionDecoding,
};

pub fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let docs = doc(def.doc.as_deref());
    let name = ident(&def.name);
    // Enums have their own text form; objects and unions in parameters are sent as JSON.
    let json_param = (def.used_in_parameters
        && matches!(def.kind, TypeKind::Struct(_) | TypeKind::Union(_)))
    .then(|| quote!(crate::runtime::enums::impl_json_param!(#name);));
    let item = match &def.kind {
        TypeKind::Struct(s) => struct_def(api, &docs, &name, s),
        TypeKind::Enum(e) => enum_def(&docs, &name, e),
        TypeKind::Union(u) => union_def(api, &docs, &name, u),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(api, ty);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    };
    quote!(#item #json_param)
}

fn struct_def(api: &Api, docs: &TokenStream, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|field| field_def(api, field));
    let undeclared = undeclared_field(api, s).map(|(field, ty)| {
        quote! {
            /// Properties the API document does not declare, kept as they were received and
            /// sent back when this value is encoded.
            pub #field: #ty,
        }
    });
    let default = s.derive_default.then(|| quote!(Default,));
    let has_secrets = s.fields.iter().any(|f| f.secret);
    let derive_debug = (!has_secrets).then(|| quote!(Debug,));
    let debug = has_secrets.then(|| debug_impl(name, s));
    let deserialize = deserialize_impl(api, name, s);
    let serialize = serialize_impl(name, s);
    let builder = builder_def(api, name, s);
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    quote! {
        #docs
        #separator
        /// Build one with [`Self::builder`]. The struct is `#[non_exhaustive]`: a property
        /// the API adds becomes a new field in a minor release.
        #[derive(#derive_debug Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #undeclared
        }

        #deserialize
        #serialize
        #debug
        #builder
    }
}

/// `Name::builder()` and `NameBuilder`: a setter per field taking `impl Into<..>`, and
/// `build()`, which names the first required property not set. Positional constructors of
/// many same-typed arguments would invite silent swaps.
fn builder_def(api: &Api, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let builder = ident(&s.builder);
    let mut slots = Vec::new();
    let mut setters = Vec::new();
    let mut inits = Vec::new();
    // Required fields: their name and wire name, in declaration order.
    let mut required = Vec::new();
    for field in &s.fields {
        let local = ident(&field.rust_name);
        let setter = ident(&field.setter);
        let wire = field.wire_name.as_str();
        let mut ty = type_tokens(api, &field.ty);
        if field.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        // What a setter takes: the value, or for a nullable field the value or `None`; and the
        // field's value in `build` (none for a required one: `build`'s match binds it).
        let (slot, argument, init) = match field.presence {
            Presence::Required => {
                required.push((local.clone(), wire));
                (quote!(::std::option::Option<#ty>), quote!(#ty), None)
            }
            Presence::Optional => (
                quote!(::std::option::Option<#ty>),
                quote!(#ty),
                Some(quote!(self.#local)),
            ),
            Presence::RequiredNullable => (
                quote!(::std::option::Option<::std::option::Option<#ty>>),
                quote!(::std::option::Option<#ty>),
                Some(quote!(self.#local.flatten())),
            ),
            Presence::OptionalNullable => (
                quote!(::std::option::Option<::std::option::Option<#ty>>),
                quote!(::std::option::Option<#ty>),
                Some(quote!(self.#local)),
            ),
        };
        let doc = match field.presence {
            Presence::Required => format!("Sets `{}` (required).", field.wire_name),
            Presence::RequiredNullable => format!(
                "Sets `{}` (required; `None` sends `null`, and is what an unset one sends).",
                field.wire_name
            ),
            Presence::OptionalNullable => format!(
                "Sets `{}`; `None` sends `null`, clearing it.",
                field.wire_name
            ),
            Presence::Optional => format!("Sets `{}`.", field.wire_name),
        };
        let doc = doc_lines(&doc.replace("``", "`"));
        slots.push(quote!(#local: #slot,));
        setters.push(quote! {
            #doc
            pub fn #setter(mut self, value: impl ::std::convert::Into<#argument>) -> Self {
                self.#local = ::std::option::Option::Some(value.into());
                self
            }
        });
        inits.push(match init {
            Some(init) => quote!(#local: #init,),
            None => quote!(#local,),
        });
    }
    if let Some((field, ty)) = undeclared_field(api, s) {
        slots.push(quote!(#field: #ty,));
        setters.push(quote! {
            /// Sets the properties the API document does not declare, sent after the others.
            pub fn #field(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#field = value.into();
                self
            }
        });
        inits.push(quote!(#field: self.#field,));
    }
    let builder_doc = doc_lines(&format!(
        "Builder of [`{name}`]: set the fields, then call [`build`]({}::build).",
        s.builder
    ));
    let allow = allow_deprecated(s);
    let build_body = build_body(name, &required, &inits);
    quote! {
        impl #name {
            /// A builder with no field set.
            pub fn builder() -> #builder {
                ::std::default::Default::default()
            }
        }

        #builder_doc
        #[derive(Clone, Default)]
        #[must_use]
        pub struct #builder {
            #(#slots)*
        }

        // Setters are named after the properties, so `isActive` gives `is_active(self, ..)`
        // and `next` gives `next(self, ..)`: clippy's naming conventions do not apply.
        #[allow(clippy::wrong_self_convention, clippy::should_implement_trait)]
        #allow
        impl #builder {
            #(#setters)*

            /// The value, or an error naming the first required property not set.
            pub fn build(self) -> ::std::result::Result<#name, crate::runtime::BuildError> {
                #build_body
            }
        }
    }
}

/// `build`'s body: the value, after one match on every required value, so the error path
/// (naming the first one missing) drops the builder once rather than once per required field.
fn build_body(
    name: &proc_macro2::Ident,
    required: &[(proc_macro2::Ident, &str)],
    inits: &[TokenStream],
) -> TokenStream {
    let value = quote!(::std::result::Result::Ok(#name { #(#inits)* }));
    if required.is_empty() {
        return value;
    }
    let type_name = Literal::string(&name.to_string());
    let locals: Vec<_> = required.iter().map(|(local, _)| local).collect();
    let wires = required.iter().map(|(_, wire)| Literal::string(wire));
    quote! {
        match (#(self.#locals,)*) {
            (#(::std::option::Option::Some(#locals),)*) => #value,
            (#(#locals,)*) => ::std::result::Result::Err(crate::runtime::build::missing(
                #type_name,
                &[#((#wires, #locals.is_some())),*],
            )),
        }
    }
}

/// `#[allow(deprecated)]` for the impls of a struct with a deprecated property: they read and
/// write every field, and the lint fires in the struct's own crate too.
fn allow_deprecated(s: &Struct) -> Option<TokenStream> {
    s.fields
        .iter()
        .any(|field| field.deprecated)
        .then(|| quote!(#[allow(deprecated)]))
}

/// The field that keeps undeclared keys and its type, unless the schema forbids them.
fn undeclared_field(api: &Api, s: &Struct) -> Option<(proc_macro2::Ident, TokenStream)> {
    match &s.undeclared {
        Undeclared::Forbidden => None,
        Undeclared::Kept { field, value } => {
            let ty = match value {
                None => quote!(crate::runtime::AdditionalProperties),
                Some(value) => {
                    let value = type_tokens(api, value);
                    quote!(::std::collections::BTreeMap<::std::string::String, #value>)
                }
            };
            Some((ident(field), ty))
        }
    }
}

/// `Deserialize` through the runtime's `Object`: one pass over the keys, each declared one
/// into its field by position, the others kept (or skipped when the schema forbids them).
fn deserialize_impl(api: &Api, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let type_name = Literal::string(&name.to_string());
    let wire_names = s.fields.iter().map(|f| Literal::string(&f.wire_name));
    let locals: Vec<_> = s.fields.iter().map(|f| ident(&f.rust_name)).collect();
    let last = s.fields.len().saturating_sub(1);
    let arms = locals.iter().enumerate().map(|(index, local)| {
        let pattern = if index == last {
            quote!(_)
        } else {
            let index = Literal::usize_unsuffixed(index);
            quote!(#index)
        };
        quote!(Key::Field(#pattern) => #local = Some(__map.next_value()?),)
    });
    let no_fields = s.fields.is_empty().then(|| quote!(Key::Field(_) => {}));
    let (undeclared_local, undeclared_arm, undeclared_init) = match undeclared_field(api, s) {
        Some((field, ty)) => (
            quote!(let mut #field = <#ty as ::std::default::Default>::default();),
            quote! {
                Key::Undeclared(__key) => {
                    #field.insert(__key, __map.next_value()?);
                }
            },
            quote!(#field,),
        ),
        None => (
            TokenStream::new(),
            quote! {
                Key::Undeclared(_) => {
                    __map.next_value::<::serde::de::IgnoredAny>()?;
                }
            },
            TokenStream::new(),
        ),
    };
    let uses = |presences: &[Presence]| s.fields.iter().any(|f| presences.contains(&f.presence));
    let helpers = [
        uses(&[Presence::Optional, Presence::RequiredNullable]).then(|| quote!(optional)),
        uses(&[Presence::Required]).then(|| quote!(required)),
    ]
    .into_iter()
    .flatten();
    // A field called `required` or `optional` is a local that hides the helper of that name:
    // then the helpers are called by their path.
    let hidden = s
        .fields
        .iter()
        .any(|f| matches!(f.rust_name.as_str(), "required" | "optional"));
    let (required_fn, optional_fn) = if hidden {
        (
            quote!(crate::runtime::object::required),
            quote!(crate::runtime::object::optional),
        )
    } else {
        (quote!(required), quote!(optional))
    };
    let helpers: Vec<TokenStream> = if hidden {
        Vec::new()
    } else {
        helpers.collect()
    };
    let inits = s.fields.iter().zip(&locals).map(|(field, local)| {
        let wire = Literal::string(&field.wire_name);
        let value = match field.presence {
            Presence::Required => {
                quote!(#required_fn::<_, __A::Error>(#local, #wire)?)
            }
            Presence::Optional | Presence::RequiredNullable => {
                quote!(#optional_fn(#local))
            }
            // The local already has the field's type: `Some(None)` is a `null` received.
            Presence::OptionalNullable => return quote!(#local,),
        };
        quote!(#local: #value,)
    });
    let allow = allow_deprecated(s);
    quote! {
        #allow
        impl crate::runtime::object::Object for #name {
            const NAME: &'static str = #type_name;
            const FIELDS: &'static [&'static str] = &[#(#wire_names),*];

            fn from_map<'de, __A: ::serde::de::MapAccess<'de>>(mut __map: __A) -> ::std::result::Result<Self, __A::Error> {
                // Local names only: a schema called `Key` or `Some` cannot shadow these.
                use crate::runtime::object::{#(#helpers,)* Key, KeySeed};
                use ::std::option::Option::{None, Some};
                #(let mut #locals = None;)*
                #undeclared_local
                while let Some(__key) = __map.next_key_seed(KeySeed(Self::FIELDS))? {
                    match __key {
                        #(#arms)*
                        #no_fields
                        #undeclared_arm
                    }
                }
                ::std::result::Result::Ok(Self {
                    #(#inits)*
                    #undeclared_init
                })
            }
        }

        crate::runtime::object::impl_object!(#name);
    }
}

/// `Serialize` as a JSON object: required fields always, optional ones when set (`null` for
/// a nullable field set to `None`), then the undeclared keys.
fn serialize_impl(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let entries = s.fields.iter().map(|field| {
        let wire = Literal::string(&field.wire_name);
        let local = ident(&field.rust_name);
        match field.presence {
            Presence::Required | Presence::RequiredNullable => {
                quote!(__map.serialize_entry(#wire, &self.#local)?;)
            }
            Presence::Optional | Presence::OptionalNullable => quote! {
                if let ::std::option::Option::Some(__value) = &self.#local {
                    __map.serialize_entry(#wire, __value)?;
                }
            },
        }
    });
    let undeclared = match &s.undeclared {
        Undeclared::Forbidden => TokenStream::new(),
        Undeclared::Kept { field, .. } => {
            let field = ident(field);
            quote!(crate::runtime::object::serialize_undeclared(&mut __map, <Self as crate::runtime::object::Object>::FIELDS, &self.#field)?;)
        }
    };
    let allow = allow_deprecated(s);
    quote! {
        #allow
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, __serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut __map = __serializer.serialize_map(::std::option::Option::None)?;
                #(#entries)*
                #undeclared
                __map.end()
            }
        }
    }
}

/// `Debug` that shows whether a secret field is set, never its value.
fn debug_impl(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let type_name = Literal::string(&name.to_string());
    let entries = s.fields.iter().map(|field| {
        let label = Literal::string(&field.rust_name);
        let local = ident(&field.rust_name);
        match (field.secret, field.presence) {
            (false, _) => quote!(.field(#label, &self.#local)),
            (true, Presence::Required) => {
                quote!(.field(#label, &crate::runtime::redact::Redacted))
            }
            (true, _) => {
                quote!(.field(#label, crate::runtime::redact::secret_field(&self.#local)))
            }
        }
    });
    let undeclared = match &s.undeclared {
        Undeclared::Forbidden => TokenStream::new(),
        Undeclared::Kept { field, .. } => {
            let label = Literal::string(field);
            let field = ident(field);
            quote!(.field(#label, &self.#field))
        }
    };
    let allow = allow_deprecated(s);
    quote! {
        #allow
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#entries)*
                    #undeclared
                    .finish()
            }
        }
    }
}

fn field_def(api: &Api, field: &Field) -> TokenStream {
    let mut docs = doc(field.doc.as_deref());
    if field.read_only {
        let note = if field.doc.is_some() {
            "\nSet by the server (read-only)."
        } else {
            "Set by the server (read-only)."
        };
        docs.extend(doc_lines(note));
    }
    if field.wire_name != field.rust_name {
        let note = format!("`{}` in JSON.", field.wire_name.replace('`', "'"));
        let separator = if docs.is_empty() { "" } else { "\n" };
        docs.extend(doc_lines(&format!("{separator}{note}")));
    }
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&field.rust_name);
    let mut ty = type_tokens(api, &field.ty);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    let ty = match field.presence {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => quote!(::std::option::Option<#ty>),
        Presence::OptionalNullable => {
            quote!(::std::option::Option<::std::option::Option<#ty>>)
        }
    };
    quote! {
        #docs
        #deprecated
        pub #name: #ty,
    }
}

fn enum_def(docs: &TokenStream, name: &proc_macro2::Ident, e: &Enum) -> TokenStream {
    let catch_all = ident(&e.catch_all);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire_doc = v.shows_wire.then(|| doc_lines(&wire_doc(&v.wire)));
        quote!(#wire_doc #variant,)
    });
    let (unknown_ty, wire_ty, impl_macro) = match e.repr {
        EnumRepr::String => (
            quote!(::std::string::String),
            quote!(&str),
            quote!(impl_string_enum),
        ),
        EnumRepr::Integer => (quote!(i64), quote!(i64), quote!(impl_integer_enum)),
    };
    let to_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = wire_literal(e.repr, &v.wire);
        quote!(Self::#variant => #wire,)
    });
    let from_wire = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = wire_literal(e.repr, &v.wire);
        quote!(#wire => Self::#variant,)
    });
    let (unknown_to_wire, unknown_from_wire) = match e.repr {
        EnumRepr::String => (
            quote!(Self::#catch_all(value) => value,),
            quote!(other => Self::#catch_all(other.to_owned()),),
        ),
        EnumRepr::Integer => (
            quote!(Self::#catch_all(value) => *value,),
            quote!(other => Self::#catch_all(other),),
        ),
    };
    quote! {
        #docs
        // `PartialEq`, `Eq`, `Hash` and `Ord` compare wire values (the runtime's macro), so
        // `Unknown("day".into()) == Day`.
        #[derive(Debug, Clone)]
        // A value the server adds later becomes a new variant when the client is regenerated;
        // `non_exhaustive` makes that a minor release rather than a breaking one.
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know yet.
            #catch_all(#unknown_ty),
        }

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_wire(&self) -> #wire_ty {
                match self {
                    #(#to_wire)*
                    #unknown_to_wire
                }
            }

            /// The variant for a wire value; values not listed in the spec are kept as they are.
            pub fn from_wire(value: #wire_ty) -> Self {
                match value {
                    #(#from_wire)*
                    #unknown_from_wire
                }
            }
        }

        crate::runtime::#impl_macro!(#name);
    }
}

/// The wire value as a code span, readable whatever it contains.
fn wire_doc(wire: &str) -> String {
    if wire.is_empty() {
        return "The empty string.".into();
    }
    if wire.contains('`') {
        return format!("`` {} ``", wire);
    }
    format!("`{wire}`")
}

fn wire_literal(repr: EnumRepr, wire: &str) -> TokenStream {
    match repr {
        EnumRepr::String => {
            let literal = Literal::string(wire);
            quote!(#literal)
        }
        EnumRepr::Integer => {
            let value: i64 = wire
                .parse()
                .expect("integer enum values are parsed from i64");
            let literal = Literal::i64_unsuffixed(value);
            quote!(#literal)
        }
    }
}

fn union_def(api: &Api, docs: &TokenStream, name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let from_impls = union_from_impls(api, name, u);
    let item = union_item(api, docs, name, u);
    quote!(#item #from_impls)
}

/// `From<Variant>` for each variant whose Rust type no other variant has, so a value converts
/// into the union with `.into()`. Types are compared as Rust spells them, through aliases and
/// string formats: `IntegerValue` and `LongValue`, both aliases of `i64`, are one type.
fn union_from_impls(api: &Api, name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let rust_type = |ty: &TypeRef| type_tokens(api, api.resolve_alias(ty)).to_string();
    let impls = u
        .variants
        .iter()
        .filter(|v| {
            let ty = rust_type(&v.ty);
            u.variants
                .iter()
                .filter(|other| rust_type(&other.ty) == ty)
                .count()
                == 1
        })
        .map(|v| {
            let variant = ident(&v.rust_name);
            let ty = type_tokens(api, &v.ty);
            quote! {
                impl ::std::convert::From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#variant(value)
                    }
                }
            }
        });
    quote!(#(#impls)*)
}

fn union_item(api: &Api, docs: &TokenStream, name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = type_tokens(api, &v.ty);
        quote!(#variant(#ty),)
    });
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    let keys = match &u.decoding {
        UnionDecoding::InOrder => {
            return quote! {
                #docs
                #separator
                /// The first variant (in this order) that the JSON value decodes as is taken.
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                }
            };
        }
        UnionDecoding::ByTagOrKeys { keys } => keys,
    };
    let candidates = u.variants.iter().zip(keys).map(|(v, keys)| {
        let variant = ident(&v.rust_name);
        let keys = keys.iter().map(|k| Literal::string(k));
        let tags = v.tags.iter().map(|t| Literal::string(t));
        quote! {
            crate::runtime::union::Variant {
                keys: &[#(#keys),*],
                tags: &[#(#tags),*],
                decode: |value| ::serde_json::from_value(value).map(Self::#variant),
            },
        }
    });
    let type_name = Literal::string(&name.to_string());
    let discriminator = match &u.discriminator {
        Some(property) => {
            let property = Literal::string(property);
            quote!(::std::option::Option::Some(#property))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        #docs
        #separator
        /// Decoding picks the variant the discriminator names, if any, else tries first the
        /// variant that declares most of the object's keys.
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::union::deserialize(deserializer, #type_name, #discriminator, &[#(#candidates)*])
            }
        }
    }
}
