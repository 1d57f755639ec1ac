//! Emits the `operations` modules: per tag, an API struct with one method per operation,
//! each returning a request builder.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc, doc_lines, ident, type_tokens};
use crate::model::{
    Api, BodyKind, MultipartParts, Operation, Param, ParamEncoding, ParamLocation, PartKind,
    ResponseBody, Tag, TypeRef,
};

/// `impl Client { pub fn <tag>(&self) -> <tag>::<Tag>Api }` for every tag.
pub fn client_accessors(api: &Api) -> TokenStream {
    let accessors = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let api_struct = ident(&tag.api_struct);
        let text = match &tag.description {
            Some(description) => format!(
                "Operations tagged `{}`: {}",
                tag.name.replace('`', "'"),
                super::markdown_safe(description)
            ),
            None => format!("Operations tagged `{}`.", tag.name.replace('`', "'")),
        };
        let docs = doc_lines(&text);
        quote! {
            #docs
            pub fn #module(&self) -> #module::#api_struct<'_> {
                #module::#api_struct { client: self }
            }
        }
    });
    quote! {
        impl crate::Client {
            #(#accessors)*
        }
    }
}

pub fn tag_module(api: &Api, tag: &Tag) -> TokenStream {
    let api_struct = ident(&tag.api_struct);
    let struct_doc = doc_lines(&format!(
        "The operations tagged `{}`, from [`Client::{}`](crate::Client::{}).",
        tag.name.replace('`', "'"),
        tag.module,
        tag.module
    ));
    let operations: Vec<&Operation> = api.operations_of(tag).collect();
    let methods = operations.iter().map(|op| constructor(api, op));
    let builders = operations.iter().map(|op| builder(api, op));
    quote! {
        #struct_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #api_struct<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #api_struct<'a> {
            #(#methods)*
        }

        #(#builders)*
    }
}

fn operation_doc(op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(&super::markdown_safe(summary));
    }
    if let Some(description) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
            text.push('\n');
            text.push_str(&super::markdown_safe(description));
        }
    }
    let documented: Vec<&Param> = positional(op).filter(|p| p.doc.is_some()).collect();
    if !documented.is_empty() {
        text.push_str("\n# Parameters\n\n");
        for param in documented {
            let doc = super::markdown_safe(param.doc.as_deref().unwrap_or_default());
            let doc = doc.trim().replace('\n', " ");
            text.push_str(&format!("- `{}`: {doc}\n", param.rust_name));
        }
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&format!(
        "`{} {}` (operation `{}`)",
        op.http_method,
        op.path.replace('`', "'"),
        op.operation_id.replace('`', "'")
    ));
    doc_lines(&text)
}

/// Positional arguments take what converts into the type, where that helps (`&str` for strings).
fn argument_type(api: &Api, ty: &TypeRef) -> (TokenStream, bool) {
    match ty {
        TypeRef::String(_) => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            true,
        ),
        _ => (type_tokens(api, ty), false),
    }
}

fn positional(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.required)
}

fn optional(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| !p.required)
}

fn body_type(api: &Api, kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart { ty, .. } => {
            type_tokens(api, ty)
        }
        BodyKind::Text => quote!(::std::string::String),
        BodyKind::Binary => quote!(::bytes::Bytes),
    }
}

fn constructor(api: &Api, op: &Operation) -> TokenStream {
    let docs = operation_doc(op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for param in positional(op) {
        let name = ident(&param.rust_name);
        let (ty, into) = argument_type(api, &param.ty);
        args.push(quote!(#name: #ty));
        inits.push(if into {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        });
    }
    for param in optional(op) {
        let name = ident(&param.rust_name);
        inits.push(quote!(#name: ::std::option::Option::None));
    }
    if let Some(body) = &op.body {
        if body.required {
            let ty = body_type(api, &body.kind);
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: ::std::option::Option::None));
        }
    }
    quote! {
        #docs
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder { call: crate::runtime::Call::new(self.client), #(#inits),* }
        }
    }
}

fn response_type(api: &Api, body: &ResponseBody) -> (TokenStream, TokenStream) {
    match body {
        ResponseBody::Empty => (quote!(()), quote!(crate::runtime::decode::Empty)),
        ResponseBody::Json(ty) => {
            let ty = type_tokens(api, ty);
            (ty.clone(), quote!(crate::runtime::decode::Json<#ty>))
        }
        ResponseBody::Text => (
            quote!(::std::string::String),
            quote!(crate::runtime::decode::Text),
        ),
        ResponseBody::Binary => (
            quote!(::bytes::Bytes),
            quote!(crate::runtime::decode::Binary),
        ),
        ResponseBody::Undocumented => (
            quote!(::serde_json::Value),
            quote!(crate::runtime::decode::JsonOrNull),
        ),
    }
}

/// The request builder of an operation: its struct, `Debug`, setters and the ways to send it.
fn builder(api: &Api, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let builder_doc = builder_doc(op);
    let (fields, shown) = builder_fields(api, op);
    let builder_name = Literal::string(&op.builder_name);
    let setters = setters(api, op);
    let body_setter = body_setter(api, op);

    let (output, decoder) = response_type(api, &op.response.body);
    let operation_id = Literal::string(&op.operation_id);
    let method = format_ident!("{}", op.http_method);
    let path_values = path_values(op);
    let template = Literal::string(&op.path);
    let security = super::security::operation(op);
    let query_and_headers = query_and_headers(api, op);
    let body = body_statement(op);
    let start = quote! {
        self.call.start(#operation_id, ::reqwest::Method::#method, #template, #path_values, #security)
    };
    // The request as `start` makes it, or with query parameters, headers and a body added.
    let prepare = if query_and_headers.is_empty() && body.is_none() {
        start
    } else {
        quote! {
            let (client, mut request) = #start?;
            #(#query_and_headers)*
            #body
            ::std::result::Result::Ok((client, request))
        }
    };
    let send_doc = send_doc(api, op);
    quote! {
        #builder_doc
        #[derive(Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            call: crate::runtime::Call,
            #(#fields,)*
        }

        impl ::std::fmt::Debug for #builder {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.call.debug(f, #builder_name, &[#(#shown),*])
            }
        }

        impl #builder {
            #(#setters)*
            #body_setter

            /// Adds a header to this call. It replaces a default header of the client, or a
            /// header parameter, of the same name; added twice, both values are sent. An
            /// invalid name or value makes [`send`](Self::send) fail with
            /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) naming the header.
            pub fn header<K, V>(mut self, name: K, value: V) -> Self
            where
                K: ::std::convert::TryInto<::reqwest::header::HeaderName, Error: ::std::fmt::Display>,
                V: ::std::convert::TryInto<::reqwest::header::HeaderValue, Error: ::std::fmt::Display>,
            {
                self.call.header(name, value);
                self
            }

            #send_doc
            pub fn send(self) -> impl ::std::future::Future<Output = ::std::result::Result<#output, crate::Error>> + ::std::marker::Send + 'static {
                crate::runtime::Sending::<crate::runtime::sending::Body<#decoder>>::start(self.into_request())
            }

            /// Like [`send`](Self::send), keeping the response's status and headers.
            pub fn send_with_response(self) -> impl ::std::future::Future<Output = ::std::result::Result<crate::Response<#output>, crate::Error>> + ::std::marker::Send + 'static {
                crate::runtime::Sending::<crate::runtime::sending::WithResponse<#decoder>>::start(self.into_request())
            }

            /// Sends the request and returns the answer as the server sent it (status,
            /// headers, body bytes), whatever its status and however its body: for answers
            /// the document does not describe. Only a request that gets no answer, or cannot
            /// be sent, is an error.
            pub fn send_raw(self) -> impl ::std::future::Future<Output = ::std::result::Result<crate::RawResponse, crate::Error>> + ::std::marker::Send + 'static {
                crate::runtime::Sending::<crate::runtime::sending::Raw>::start(self.into_request())
            }

            fn into_request(self) -> ::std::result::Result<(crate::Client, crate::runtime::Request), crate::Error> {
                #prepare
            }
        }
    }
}

/// The request builder's doc: the request, and what to do with it.
fn builder_doc(op: &Operation) -> TokenStream {
    let has_options =
        op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required);
    doc_lines(&format!(
        "A `{} {}` request: {}",
        op.http_method,
        op.path.replace('`', "'"),
        if has_options {
            "set optional parameters, then [`send`](Self::send) it."
        } else {
            "ready to [`send`](Self::send)."
        }
    ))
}

/// The request builder's fields (positional parameters, optional ones, the body) and what its
/// `Debug` shows of each.
fn builder_fields(api: &Api, op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut fields = Vec::new();
    let mut shown = Vec::new();
    for param in positional(op) {
        let name = ident(&param.rust_name);
        let ty = type_tokens(api, &param.ty);
        fields.push(quote!(#name: #ty));
        shown.push(debug_field(param));
    }
    for param in optional(op) {
        let name = ident(&param.rust_name);
        let ty = type_tokens(api, &param.ty);
        fields.push(quote!(#name: ::std::option::Option<#ty>));
        shown.push(debug_field(param));
    }
    if let Some(body) = &op.body {
        let ty = body_type(api, &body.kind);
        fields.push(if body.required {
            quote!(body: #ty)
        } else {
            quote!(body: ::std::option::Option<#ty>)
        });
        // Typed bodies show themselves (their types redact secret fields); text and bytes
        // show their length and a short quote.
        let value = match (&body.kind, body.required) {
            (BodyKind::Text | BodyKind::Binary, true) => {
                quote!(&crate::runtime::redact::body(&self.body))
            }
            (BodyKind::Text | BodyKind::Binary, false) => {
                quote!(&self.body.as_ref().map(crate::runtime::redact::body))
            }
            _ => quote!(&self.body),
        };
        shown.push(quote!(("body", #value)));
    }
    (fields, shown)
}

/// A setter for each optional parameter.
fn setters(api: &Api, op: &Operation) -> Vec<TokenStream> {
    optional(op)
        .map(|param| {
            let name = ident(&param.rust_name);
            let (ty, into) = argument_type(api, &param.ty);
            let value = if into {
                quote!(value.into())
            } else {
                quote!(value)
            };
            let mut docs = doc(param.doc.as_deref());
            if docs.is_empty() {
                docs = doc_lines(&format!(
                    "Sets the {} parameter `{}`.",
                    param.location.as_str(),
                    param.wire_name.replace('`', "'")
                ));
            }
            quote! {
                #docs
                pub fn #name(mut self, value: #ty) -> Self {
                    self.#name = ::std::option::Option::Some(#value);
                    self
                }
            }
        })
        .collect()
}

/// The setter of an optional body.
fn body_setter(api: &Api, op: &Operation) -> Option<TokenStream> {
    op.body.as_ref().filter(|b| !b.required).map(|body| {
        let ty = body_type(api, &body.kind);
        let mut docs = doc(body.doc.as_deref());
        if docs.is_empty() {
            docs = doc_lines("Sets the request body.");
        }
        quote! {
            #docs
            pub fn body(mut self, value: #ty) -> Self {
                self.body = ::std::option::Option::Some(value);
                self
            }
        }
    })
}

/// The statements that add the query, header and cookie parameters to the request.
fn query_and_headers(api: &Api, op: &Operation) -> Vec<TokenStream> {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|param| {
            let name = ident(&param.rust_name);
            let wire = Literal::string(&param.wire_name);
            let value = if param.required {
                quote!(&self.#name)
            } else {
                quote!(value)
            };
            let add = match (api.param_encoding(param), param.location) {
                (ParamEncoding::QueryList { explode }, _) => {
                    quote!(request.query_list(#wire, #value, #explode))
                }
                (ParamEncoding::Single, ParamLocation::Query) => {
                    quote!(request.query(#wire, #value))
                }
                (ParamEncoding::Single, ParamLocation::Header) => {
                    quote!(request.header(#wire, #value))
                }
                (ParamEncoding::Single, ParamLocation::Cookie) => {
                    quote!(request.cookie(#wire, #value))
                }
                (ParamEncoding::Single, ParamLocation::Path) => unreachable!("filtered above"),
            };
            if param.required {
                quote! { #add; }
            } else {
                quote! { if let ::std::option::Option::Some(value) = &self.#name { #add; } }
            }
        })
        .collect()
}

/// The statement that sets the request's body, when the operation has one.
fn body_statement(op: &Operation) -> Option<TokenStream> {
    op.body.as_ref().map(|body| {
        let content_type = Literal::string(&body.content_type);
        let value = if body.required {
            quote!(&self.body)
        } else {
            quote!(value)
        };
        let set = match &body.kind {
            BodyKind::Json(_) => quote!(request.json_body(#value)?),
            BodyKind::Form(_) => quote!(request.form_body(#value)?),
            BodyKind::Multipart { parts, .. } => multipart_parts(parts, &value),
            BodyKind::Text => quote!(request.text_body(#content_type, #value)),
            BodyKind::Binary => quote!(request.binary_body(#content_type, #value)),
        };
        if body.required {
            quote! { #set; }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.body { #set; } }
        }
    })
}

/// `send`'s doc: what it returns and its errors.
fn send_doc(api: &Api, op: &Operation) -> TokenStream {
    let result_doc = match &op.response.body {
        ResponseBody::Empty => "The response has no body.".to_string(),
        ResponseBody::Undocumented => {
            "No success response is documented: the body comes back as JSON (`Null` when empty)."
                .to_string()
        }
        _ => match &op.response.doc {
            Some(d) => format!(
                "Returns the decoded body ({}).",
                super::markdown_safe(d).trim()
            ),
            None => "Returns the decoded body.".to_string(),
        },
    };
    doc_lines(&format!(
        "Sends the request: nothing goes out until the returned future is awaited. \
         {result_doc}\n\n# Errors\n\n{}",
        errors_doc(api, op)
    ))
}

/// `request.multipart_body(vec![...])`: the parts the model laid out, in order.
fn multipart_parts(parts: &MultipartParts, value: &TokenStream) -> TokenStream {
    let parts = match parts {
        MultipartParts::Fields(parts) => parts,
        MultipartParts::Whole => {
            return quote!(
                request.multipart_body(vec![crate::runtime::Request::json_part("body", #value)])?
            )
        }
    };
    let parts = parts.iter().map(|part| {
        let name = ident(&part.field);
        let wire = Literal::string(&part.wire_name);
        let made = match part.kind {
            PartKind::File => quote!(crate::runtime::Request::file_part(#wire, part.clone())),
            PartKind::Text => quote!(crate::runtime::Request::json_part(#wire, part)),
        };
        if part.required {
            quote! { { let part = &body.#name; parts.push(#made); } }
        } else {
            quote! { if let ::std::option::Option::Some(part) = &body.#name { parts.push(#made); } }
        }
    });
    quote! {
        {
            let body = #value;
            let mut parts = ::std::vec::Vec::new();
            #(#parts)*
            request.multipart_body(parts)?
        }
    }
}

/// A parameter as `Debug` of its request builder shows it: as given, or `<redacted>` when its
/// name is a credential's.
fn debug_field(param: &Param) -> TokenStream {
    let shown = Literal::string(&param.rust_name);
    if param.secret {
        return quote!((#shown, &crate::runtime::Redacted));
    }
    let name = ident(&param.rust_name);
    quote!((#shown, &self.#name))
}

fn errors_doc(api: &Api, op: &Operation) -> String {
    let mut text = String::from(
        "[`Error::Api`](crate::Error::Api) for any status other than the documented success",
    );
    let documented: Vec<String> = op
        .errors
        .iter()
        .map(|e| match &e.ty {
            Some(TypeRef::Named(id)) => {
                let name = &api.type_def(*id).name;
                format!(
                    "`{}` with a body of type [`{name}`](crate::types::{name})",
                    e.status
                )
            }
            _ => format!("`{}`", e.status),
        })
        .collect();
    if !documented.is_empty() {
        text.push_str(&format!(" (documented: {})", documented.join(", ")));
    }
    text.push_str(
        "; [`Error::Transport`](crate::Error::Transport) when the server cannot be reached; \
         [`Error::Decode`](crate::Error::Decode) when the body does not match the spec; \
         [`Error::InvalidParameter`](crate::Error::InvalidParameter) for an empty path \
         parameter or a header that cannot be sent.",
    );
    text
}

/// The path parameters' values in the order the template names them, which the runtime
/// fills in (`fill_template`).
fn path_values(op: &Operation) -> TokenStream {
    let values = crate::model::path_template_params(&op.path)
        .into_iter()
        .map(|wire| {
            let param = op
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.wire_name == wire)
                .expect("the model declares every path template parameter");
            let name = ident(&param.rust_name);
            quote!(&self.#name)
        });
    quote!(&[#(#values),*])
}
