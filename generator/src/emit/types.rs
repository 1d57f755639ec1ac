//! Emits the `types` module: one Rust item per IR type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc, doc_lines, ident, type_tokens};
use crate::model::{
    Api, Enum, EnumRepr, Field, Presence, Struct, TypeDef, TypeKind, TypeRef, Union,
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
    let additional = s.additional.as_ref().map(|value| {
        let value = type_tokens(api, value);
        quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let default = s.derive_default.then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
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
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&field.rust_name);
    let mut ty = type_tokens(api, &field.ty);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    let mut serde_args: Vec<TokenStream> = Vec::new();
    if field.rust_name != field.wire_name {
        let wire = Literal::string(&field.wire_name);
        serde_args.push(quote!(rename = #wire));
    }
    let ty = match field.presence {
        Presence::Required => ty,
        Presence::RequiredNullable => quote!(::std::option::Option<#ty>),
        Presence::Optional => {
            // A missing `Option` field decodes as `None` without `default`.
            serde_args.push(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            ));
            quote!(::std::option::Option<#ty>)
        }
        Presence::OptionalNullable => {
            serde_args.push(quote!(
                default,
                skip_serializing_if = "::std::option::Option::is_none",
                with = "crate::runtime::double_option"
            ));
            quote!(::std::option::Option<::std::option::Option<#ty>>)
        }
    };
    let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    quote! {
        #docs
        #deprecated
        #serde_attr
        pub #name: #ty,
    }
}

fn enum_def(docs: &TokenStream, name: &proc_macro2::Ident, e: &Enum) -> TokenStream {
    let catch_all = ident(&e.catch_all);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        // Show the wire value where the Rust name does not make it obvious (`15minute`,
        // `New System`, or a name made unique).
        // (`PTO` is shown, since its variant is `Pto`; `day` and `A` are not.)
        let obvious = v.wire == v.rust_name
            || (v.wire.starts_with(|c: char| c.is_ascii_lowercase())
                && v.wire.chars().all(|c| c.is_ascii_alphanumeric())
                && crate::naming::type_name(&v.wire) == v.rust_name);
        let wire_doc = (!obvious).then(|| doc_lines(&wire_doc(&v.wire)));
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
    let derives = match e.repr {
        EnumRepr::String | EnumRepr::Integer => {
            quote!(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)
        }
    };
    quote! {
        #docs
        #[derive(#derives)]
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
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = type_tokens(api, &v.ty);
        quote!(#variant(#ty),)
    });
    // Objects in this API are open (every property optional, unknown ones allowed), so the
    // first object variant would accept any object. When variants are objects, the one
    // declaring most of the keys present is tried first instead.
    let object_keys: Vec<Option<Vec<&str>>> = u
        .variants
        .iter()
        .map(|v| match &v.ty {
            TypeRef::Named(id) => match &api.type_def(*id).kind {
                TypeKind::Struct(s) => {
                    Some(s.fields.iter().map(|f| f.wire_name.as_str()).collect())
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    let separator = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
    if object_keys.iter().all(Option::is_none) && u.discriminator.is_none() {
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
    let candidates = u.variants.iter().zip(&object_keys).map(|(v, keys)| {
        let variant = ident(&v.rust_name);
        let keys = keys.iter().flatten().map(|k| Literal::string(k));
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
