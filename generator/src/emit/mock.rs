//! Emits the generated half of `ecosuite-mock`: per tag, the expectation methods in the
//! client's shape (`mock.energy().project_datums("PRJ1", start, end).aggregation(..)`), and
//! the tables the mock checks requests against (operations, parameters, body shapes).
//!
//! Expectations use the client's own types for parameters, bodies and answers, so a mock can
//! only answer what the document allows, and a spec change the mock does not follow stops it
//! compiling, like the client.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc_lines, ident, location_phrase, markdown_safe, type_tokens_in};
use crate::model::{
    Api, BodyKind, Operation, ParamEncoding, ParamLocation, ResponseBody, Tag, TypeDef, TypeKind,
    TypeRef, Undeclared,
};

/// How generated mock code reaches the client crate (`use ecosuite as client;` in its root).
fn client() -> TokenStream {
    quote!(crate::client)
}

/// The static holding an operation's table entry: `OPERATION_<index>` by document order.
fn spec_static(api: &Api, op: &Operation) -> proc_macro2::Ident {
    let index = api
        .operations
        .iter()
        .position(|o| std::ptr::eq(o, op))
        .expect("the operation is the API's");
    ident(&format!("OPERATION_{index}"))
}

/// `mod.rs`: the tag modules, the accessors on `MockServer` and the table of the document.
pub fn root_module(api: &Api) -> TokenStream {
    let modules = api.tags.iter().map(|tag| ident(&tag.module));
    let accessors = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let accessor = ident(&tag.mock_accessor());
        let mock_struct = ident(&format!("{}Mock", tag.api_struct.trim_end_matches("Api")));
        let docs = doc_lines(&format!(
            "Expectations for the operations tagged `{}`.",
            tag.name.replace('`', "'")
        ));
        quote! {
            #docs
            pub fn #accessor(&self) -> #module::#mock_struct<'_> {
                #module::#mock_struct { mock: self }
            }
        }
    });
    let operations = api.operations.iter().map(|op| {
        let module = ident(&api.tag(op.tag).module);
        let name = spec_static(api, op);
        quote!(&#module::#name)
    });
    quote! {
        //! Expectations for every operation of the API, and the document's operations and
        //! schemas as the mock checks requests against them. The hand-written mock lives
        //! outside this directory.
        #(pub mod #modules;)*
        mod shapes;

        impl crate::MockServer {
            /// Options for a mock of this API; [`MockServer::start`](crate::MockServer::start)
            /// starts one with the defaults.
            pub fn builder() -> crate::MockBuilder {
                crate::MockBuilder::for_api(&API)
            }

            #(#accessors)*
        }

        /// The same as [`MockServer::builder`](crate::MockServer::builder).
        impl ::std::default::Default for crate::MockBuilder {
            fn default() -> Self {
                crate::MockServer::builder()
            }
        }

        /// The API document, as the mock checks requests against it.
        pub(crate) static API: crate::runtime::ApiSpec = crate::runtime::ApiSpec {
            operations: &[#(#operations),*],
            types: shapes::TYPES,
        };
    }
}

/// `shapes.rs`: every named schema as a [`Shape`], indexed like the IR's types.
pub fn shapes_module(api: &Api) -> TokenStream {
    let shapes = api.types.iter().map(|def| type_shape(api, def));
    quote! {
        //! Every schema of the document as the mock checks values against it, indexed like
        //! `Shape::Named`.
        pub(super) static TYPES: &[crate::runtime::Shape] = &[#(#shapes),*];
    }
}

fn type_shape(api: &Api, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().map(|f| {
                let wire = Literal::string(&f.wire_name);
                let shape = shape(api, &f.ty);
                quote!((#wire, &#shape))
            });
            let extra = match &s.undeclared {
                Undeclared::Kept {
                    value: Some(ty), ..
                } => {
                    let shape = shape(api, ty);
                    quote!(::std::option::Option::Some(&#shape))
                }
                Undeclared::Kept { value: None, .. } | Undeclared::Forbidden => {
                    quote!(::std::option::Option::None)
                }
            };
            let secrets = s
                .fields
                .iter()
                .filter(|f| f.secret)
                .map(|f| Literal::string(&f.wire_name));
            quote!(crate::runtime::Shape::Object { fields: &[#(#fields),*], extra: #extra, secrets: &[#(#secrets),*] })
        }
        TypeKind::Enum(e) => {
            let values = e.variants.iter().map(|v| Literal::string(&v.wire));
            quote!(crate::runtime::Shape::Enum { values: &[#(#values),*] })
        }
        TypeKind::Union(u) => {
            let variants = u.variants.iter().map(|v| {
                let shape = shape(api, &v.ty);
                quote!(&#shape)
            });
            quote!(crate::runtime::Shape::Union { variants: &[#(#variants),*] })
        }
        TypeKind::Alias(ty) => shape(api, ty),
    }
}

/// The shape of a type reference, as an expression of `Shape` (in scope).
fn shape(api: &Api, ty: &TypeRef) -> TokenStream {
    let _ = api;
    match ty {
        TypeRef::Named(id) => {
            let index = Literal::usize_unsuffixed(id.0);
            quote!(crate::runtime::Shape::Named { index: #index })
        }
        TypeRef::String(_) => quote!(crate::runtime::Shape::String),
        TypeRef::Boolean => quote!(crate::runtime::Shape::Boolean),
        TypeRef::Integer(_) => quote!(crate::runtime::Shape::Integer),
        TypeRef::Number(_) => quote!(crate::runtime::Shape::Number),
        TypeRef::Date => quote!(crate::runtime::Shape::Date),
        TypeRef::DateTime => quote!(crate::runtime::Shape::DateTime),
        TypeRef::Bytes => quote!(crate::runtime::Shape::Bytes),
        TypeRef::Array(item) => {
            let item = shape(api, item);
            quote!(crate::runtime::Shape::Array { item: &#item })
        }
        TypeRef::Map(value) => {
            let value = shape(api, value);
            quote!(crate::runtime::Shape::Map { value: &#value })
        }
        TypeRef::Object => quote!(crate::runtime::Shape::Map {
            value: &crate::runtime::Shape::Any
        }),
        TypeRef::Any => quote!(crate::runtime::Shape::Any),
    }
}

fn location(location: ParamLocation) -> TokenStream {
    match location {
        ParamLocation::Path => quote!(crate::runtime::Location::Path),
        ParamLocation::Query => quote!(crate::runtime::Location::Query),
        ParamLocation::Header => quote!(crate::runtime::Location::Header),
        ParamLocation::Cookie => quote!(crate::runtime::Location::Cookie),
    }
}

/// `<tag>.rs`: the tag's accessor struct, one expectation constructor per operation, the
/// operation's setters and answers, and its table entry.
pub fn tag_module(api: &Api, tag: &Tag) -> TokenStream {
    let operations: Vec<&Operation> = api.operations_of(tag).collect();
    let mock_struct = ident(&format!("{}Mock", tag.api_struct.trim_end_matches("Api")));
    let accessor = tag.mock_accessor();
    let struct_docs = doc_lines(&format!(
        "Expectations for the operations tagged `{}`, from [`MockServer::{accessor}`](crate::MockServer::{accessor}).",
        tag.name.replace('`', "'")
    ));
    let constructors = operations.iter().map(|op| constructor(api, op));
    let items = operations.iter().map(|op| operation_items(api, op));
    let docs_text = format!(
        " `mock.{accessor}()`: expectations for the operations tagged `{}`.",
        tag.name.replace('`', "'")
    );
    quote! {
        #![doc = #docs_text]

        #struct_docs
        #[derive(Debug, Clone, Copy)]
        pub struct #mock_struct<'a> {
            pub(crate) mock: &'a crate::MockServer,
        }

        impl<'a> #mock_struct<'a> {
            #(#constructors)*
        }

        #(#items)*
    }
}

fn positional_type(api: &Api, ty: &TypeRef) -> (TokenStream, bool) {
    match ty {
        TypeRef::String(_) => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            true,
        ),
        _ => (type_tokens_in(api, ty, &client()), false),
    }
}

fn body_type(api: &Api, kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart { ty, .. } => {
            type_tokens_in(api, ty, &client())
        }
        BodyKind::Text => quote!(::std::string::String),
        BodyKind::Binary => quote!(::bytes::Bytes),
    }
}

/// The statement that makes the expectation require a parameter's value (in `value`).
fn param_match(api: &Api, param: &crate::model::Param, value: &TokenStream) -> TokenStream {
    let wire = Literal::string(&param.wire_name);
    let location = location(param.location);
    match api.param_encoding(param) {
        ParamEncoding::QueryList { explode } => {
            quote!(expectation.with_list_param(#location, #wire, #value, #explode);)
        }
        ParamEncoding::Single => quote!(expectation.with_param(#location, #wire, #value);),
    }
}

/// The statement that makes the expectation require the body (in `body`).
fn body_match(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(_) => quote!(expectation.with_json_body(body);),
        BodyKind::Form(_) => quote!(expectation.with_form_body(body);),
        BodyKind::Multipart { .. } => quote!(expectation.with_any_body(body);),
        BodyKind::Text => quote!(expectation.with_raw_body(body.into_bytes());),
        BodyKind::Binary => quote!(expectation.with_raw_body(body.to_vec());),
    }
}

fn constructor(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let marker = ident(&op.builder_name);
    let spec = spec_static(api, op);
    let mut text = format!(
        "Expects `{} {}` (operation `{}`), as `client.{}().{}(..)` sends it",
        op.http_method,
        op.path,
        op.operation_id,
        api.tag(op.tag).module,
        op.method_name
    );
    if let Some(summary) = op.summary.as_deref().or(op.description.as_deref()) {
        let first = markdown_safe(summary.lines().next().unwrap_or(""));
        text.push_str(&format!(": {}", first.trim()));
    } else {
        text.push('.');
    }
    text.push_str(
        "\n\nThe arguments must match; answer it with `returns`, `fails` or `returns_raw`.",
    );
    let docs = doc_lines(&text);
    let mut args = Vec::new();
    let mut matches = Vec::new();
    for param in op.params.iter().filter(|p| p.required) {
        let name = ident(&param.rust_name);
        let (ty, into) = positional_type(api, &param.ty);
        args.push(quote!(#name: #ty));
        if into {
            matches.push(quote!(let #name: ::std::string::String = #name.into();));
        }
        matches.push(param_match(api, param, &quote!(&#name)));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = body_type(api, &body.kind);
        args.push(quote!(body: #ty));
        matches.push(body_match(&body.kind));
    }
    let body = if matches.is_empty() {
        quote!(crate::Expectation::new(self.mock, &#spec))
    } else {
        quote! {
            let mut expectation = crate::Expectation::new(self.mock, &#spec);
            #(#matches)*
            expectation
        }
    };
    quote! {
        #docs
        pub fn #method(&self, #(#args),*) -> crate::Expectation<#marker> {
            #body
        }
    }
}

/// The marker type of an operation, its setters and answers, and its table entry.
fn operation_items(api: &Api, op: &Operation) -> TokenStream {
    let marker = ident(&op.builder_name);
    let marker_doc = doc_lines(&format!(
        "The operation `{}` (`{} {}`), for [`Expectation`](crate::Expectation).",
        op.operation_id.replace('`', "'"),
        op.http_method,
        op.path
    ));
    let setters = op.params.iter().filter(|p| !p.required).map(|param| {
        let name = ident(&param.mock_setter());
        let (ty, into) = positional_type(api, &param.ty);
        let convert = into.then(|| quote!(let value: ::std::string::String = value.into();));
        let matched = param_match(api, param, &quote!(&value));
        let docs = doc_lines(&format!(
            "Matches only requests whose {} `{}` is this value.",
            location_phrase(param.location),
            param.wire_name.replace('`', "'")
        ));
        quote! {
            #docs
            pub fn #name(self, value: #ty) -> Self {
                let mut expectation = self;
                #convert
                #matched
                expectation
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|body| {
        let ty = body_type(api, &body.kind);
        let matched = body_match(&body.kind);
        quote! {
            /// Matches only requests whose body is this value, once decoded into the client's type.
            pub fn body(self, body: #ty) -> Self {
                let mut expectation = self;
                #matched
                expectation
            }
        }
    });
    let status = op
        .response
        .status
        .as_deref()
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (200..300).contains(s))
        .unwrap_or(200);
    let status_lit = Literal::u16_unsuffixed(status);
    let returns = match &op.response.body {
        ResponseBody::Json(ty) => {
            let ty = type_tokens_in(api, ty, &client());
            quote! {
                #[doc = concat!(" Answers with the documented success status (", stringify!(#status_lit), ") and this body.")]
                pub fn returns(self, body: #ty) -> crate::Mocked {
                    self.reply_json(#status_lit, &body)
                }
            }
        }
        ResponseBody::Undocumented => quote! {
            /// Answers `200` with this JSON (the document describes no success answer).
            pub fn returns(self, body: ::serde_json::Value) -> crate::Mocked {
                self.reply_json(#status_lit, &body)
            }
        },
        ResponseBody::Empty => quote! {
            #[doc = concat!(" Answers with the documented success status (", stringify!(#status_lit), ") and no body.")]
            pub fn returns(self) -> crate::Mocked {
                self.reply(#status_lit, ::std::option::Option::None, ::std::vec::Vec::new())
            }
        },
        ResponseBody::Text => quote! {
            #[doc = concat!(" Answers with the documented success status (", stringify!(#status_lit), ") and this text.")]
            pub fn returns(self, body: impl ::std::convert::Into<::std::string::String>) -> crate::Mocked {
                self.reply(#status_lit, ::std::option::Option::Some("text/plain; charset=utf-8"), body.into().into_bytes())
            }
        },
        ResponseBody::Binary => quote! {
            #[doc = concat!(" Answers with the documented success status (", stringify!(#status_lit), ") and these bytes.")]
            pub fn returns(self, body: impl ::std::convert::Into<::std::vec::Vec<u8>>) -> crate::Mocked {
                self.reply(#status_lit, ::std::option::Option::Some("application/octet-stream"), body.into())
            }
        },
    };
    let spec = spec_static(api, op);
    let id = Literal::string(&op.operation_id);
    let call = Literal::string(&format!(
        "{}().{}",
        api.tag(op.tag).mock_accessor(),
        op.method_name
    ));
    let method = Literal::string(&op.http_method);
    let path = Literal::string(&op.path);
    let params = op.params.iter().map(|param| {
        let name = Literal::string(&param.wire_name);
        let location = location(param.location);
        let required = param.required;
        let shape = shape(api, &param.ty);
        let secret = param.secret;
        quote!(crate::runtime::ParamSpec { name: #name, location: #location, required: #required, shape: &#shape, secret: #secret })
    });
    let body = match &op.body {
        None => quote!(::std::option::Option::None),
        Some(body) => {
            let content_type = Literal::string(&body.content_type);
            let required = body.required;
            let (format, check, shape) = match &body.kind {
                BodyKind::Json(ty) => {
                    let t = type_tokens_in(api, ty, &client());
                    (
                        quote!(Json),
                        quote!(crate::runtime::check_json::<#t>),
                        shape(api, ty),
                    )
                }
                BodyKind::Form(ty) => {
                    let t = type_tokens_in(api, ty, &client());
                    (
                        quote!(Form),
                        quote!(crate::runtime::check_form::<#t>),
                        shape(api, ty),
                    )
                }
                BodyKind::Multipart { ty, .. } => (
                    quote!(Multipart),
                    quote!(crate::runtime::check_any),
                    shape(api, ty),
                ),
                BodyKind::Text => (
                    quote!(Text),
                    quote!(crate::runtime::check_any),
                    quote!(crate::runtime::Shape::String),
                ),
                BodyKind::Binary => (
                    quote!(Binary),
                    quote!(crate::runtime::check_any),
                    quote!(crate::runtime::Shape::Bytes),
                ),
            };
            quote!(::std::option::Option::Some(crate::runtime::BodySpec {
                format: crate::runtime::BodyFormat::#format,
                content_type: #content_type,
                required: #required,
                check: #check,
                shape: &#shape,
            }))
        }
    };
    let setters_and_answers = quote! {
        impl crate::Expectation<#marker> {
            #(#setters)*
            #body_setter
            #returns
        }
    };
    quote! {
        #marker_doc
        pub enum #marker {}

        #setters_and_answers

        pub(crate) static #spec: crate::runtime::OperationSpec = crate::runtime::OperationSpec {
            id: #id,
            call: #call,
            method: #method,
            path: #path,
            params: &[#(#params),*],
            body: #body,
        };
    }
}
