//! Emits the command line's generated half: per tag, a table describing its operations (what
//! `clap` turns into subcommands and `call` checks `-p` names against) and a function that
//! calls each operation through the typed client.
//!
//! The table is data, read by the hand-written command line at run time; the call function is
//! code, so the compiler checks every argument against the client's signatures and a spec
//! change that the command line does not follow stops it compiling.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{ident, type_tokens_in};
use crate::instances::{Fill, Instances};
use crate::model::{
    Api, BodyKind, EnumRepr, Operation, Param, ParamLocation, ResponseBody, Tag, TypeKind, TypeRef,
};

/// `mod.rs`: the tag modules, the table of tags and the dispatch to each tag's `call`.
pub fn root_module(api: &Api) -> TokenStream {
    let modules = api.tags.iter().map(|tag| ident(&tag.module));
    let tables = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        quote!(&#module::TAG)
    });
    let arms = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let command = Literal::string(&tag.command);
        quote!(#command => #module::call(client, operation.id, args, raw).await)
    });
    let operations = Literal::usize_unsuffixed(api.operations.len());
    quote! {
        //! The command line's view of the API: a table of every tag and operation, and the
        //! calls through the typed client. The hand-written command line lives outside this
        //! directory.
        #(mod #modules;)*

        /// Every tag, in the order the API document lists them.
        pub static TAGS: &[&crate::catalog::Tag] = &[#(#tables),*];

        /// How many operations the tags hold together: all of the API's.
        pub const OPERATION_COUNT: usize = #operations;

        /// Calls `operation` with the parameters and body in `args`; with `raw`, the answer
        /// comes back as the server sent it.
        pub(crate) async fn call(
            client: &::ecosuite::Client,
            operation: &crate::catalog::Operation,
            args: &crate::args::Args,
            raw: bool,
        ) -> ::std::result::Result<crate::output::Reply, crate::failure::Failure> {
            match operation.tag {
                #(#arms,)*
                _ => ::std::result::Result::Err(crate::failure::Failure::unknown_operation(operation.id)),
            }
        }
    }
}

/// `<tag>.rs`: the tag's table entry and its `call` function.
pub fn tag_module(api: &Api, tag: &Tag) -> TokenStream {
    let client_crate = quote!(::ecosuite);
    let operations: Vec<&Operation> = api.operations_of(tag).collect();
    let command = Literal::string(&tag.command);
    let name = Literal::string(&tag.name);
    let about = Literal::string(&plain(tag.description.as_deref()));
    let entries = operations.iter().map(|op| operation_entry(api, tag, op));
    let arms = operations
        .iter()
        .map(|op| call_arm(api, tag, op, &client_crate));
    let docs = Literal::string(&format!(
        " `ecosuite {}`: the operations tagged `{}`.",
        tag.command,
        tag.name.replace('`', "'")
    ));
    let deprecated = operations
        .iter()
        .any(|op| op.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let mut imports = Vec::new();
    if operations.iter().any(|op| op.body.is_some()) {
        imports.extend([quote!(Body), quote!(BodyFormat)]);
    }
    imports.push(quote!(Operation));
    if operations.iter().any(|op| !op.params.is_empty()) {
        imports.extend([quote!(Param), quote!(Shape)]);
    }
    imports.push(quote!(Tag));
    // A tag whose operations take nothing leaves `args` unused.
    let args = if operations
        .iter()
        .any(|op| !op.params.is_empty() || op.body.is_some())
    {
        quote!(args)
    } else {
        quote!(_args)
    };
    quote! {
        #![doc = #docs]
        // Only the table's own types are imported: nothing else is named here, so nothing a
        // document defines can collide with them.
        use crate::catalog::{#(#imports),*};

        pub static TAG: Tag = Tag {
            command: #command,
            name: #name,
            about: #about,
            operations: &[#(#entries),*],
        };

        #deprecated
        pub(super) async fn call(
            client: &::ecosuite::Client,
            operation_id: &str,
            #args: &crate::args::Args,
            raw: bool,
        ) -> ::std::result::Result<crate::output::Reply, crate::failure::Failure> {
            match operation_id {
                #(#arms)*
                _ => ::std::result::Result::Err(crate::failure::Failure::unknown_operation(operation_id)),
            }
        }
    }
}

fn operation_entry(api: &Api, tag: &Tag, op: &Operation) -> TokenStream {
    let id = Literal::string(&op.operation_id);
    let tag_command = Literal::string(&tag.command);
    let command = Literal::string(&op.command);
    let method = Literal::string(&op.http_method);
    let path = Literal::string(&op.path);
    let summary = Literal::string(&plain(op.summary.as_deref().or(op.description.as_deref())));
    let description = Literal::string(&plain(op.description.as_deref()));
    let deprecated = op.deprecated;
    let params = op.params.iter().map(|param| param_entry(api, param));
    let body = match &op.body {
        None => quote!(::std::option::Option::None),
        Some(body) => {
            let format = match body.kind {
                BodyKind::Json(_) => quote!(Json),
                BodyKind::Form(_) => quote!(Form),
                BodyKind::Multipart { .. } => quote!(Multipart),
                BodyKind::Text => quote!(Text),
                BodyKind::Binary => quote!(Binary),
            };
            let content_type = Literal::string(&body.content_type);
            let schema = Literal::string(&match &body.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart { ty, .. } => {
                    schema_name(api, ty)
                }
                BodyKind::Text => "text".to_string(),
                BodyKind::Binary => "bytes".to_string(),
            });
            let required = body.required;
            let help = Literal::string(&plain(body.doc.as_deref()));
            let example = Literal::string(&match &body.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart { ty, .. } => {
                    // A body holding every required field, with placeholder values of the right
                    // types: what `--help` shows to start from.
                    let example = Instances::new(api, Fill::Required).request().value(ty);
                    serde_json::to_string_pretty(&example).unwrap_or_default()
                }
                BodyKind::Text | BodyKind::Binary => String::new(),
            });
            quote!(::std::option::Option::Some(Body {
                format: BodyFormat::#format,
                content_type: #content_type,
                schema: #schema,
                required: #required,
                help: #help,
                example: #example,
            }))
        }
    };
    quote! {
        Operation {
            id: #id,
            tag: #tag_command,
            command: #command,
            method: #method,
            path: #path,
            summary: #summary,
            description: #description,
            deprecated: #deprecated,
            params: &[#(#params),*],
            body: #body,
        }
    }
}

/// A parameter as one line: `Param::query("start", "start", Shape::DateTime).required()`.
fn param_entry(api: &Api, param: &Param) -> TokenStream {
    let name = Literal::string(&param.wire_name);
    let flag = Literal::string(&param.flag);
    let constructor = match param.location {
        ParamLocation::Path => quote!(path),
        ParamLocation::Query => quote!(query),
        ParamLocation::Header => quote!(header),
        ParamLocation::Cookie => quote!(cookie),
    };
    let (shape, list) = shape(api, &param.ty);
    let values = api.enum_values(&param.ty);
    let shape = ident(shape);
    let mut entry = quote!(Param::#constructor(#name, #flag, Shape::#shape));
    // `Param::path` is required already: a path has no hole.
    if param.required && param.location != ParamLocation::Path {
        entry.extend(quote!(.required()));
    }
    if list {
        entry.extend(quote!(.list()));
    }
    if !values.is_empty() {
        let values = values.iter().map(|v| Literal::string(v));
        entry.extend(quote!(.values(&[#(#values),*])));
    }
    let help = plain(param.doc.as_deref());
    if !help.is_empty() {
        let help = Literal::string(&help);
        entry.extend(quote!(.help(#help)));
    }
    entry
}

/// How a parameter's text becomes JSON: the `catalog::Shape` variant of its values, and
/// whether it takes a list. (The values it may take, an enum's, are `Api::enum_values`.)
fn shape(api: &Api, ty: &TypeRef) -> (&'static str, bool) {
    match api.resolve_alias(ty) {
        TypeRef::Array(item) => match api.resolve_alias(item) {
            // A list of lists has no text form worth inventing: it is given as JSON.
            TypeRef::Array(_) => ("Json", false),
            item => (shape(api, item).0, true),
        },
        TypeRef::String(_) | TypeRef::Bytes => ("String", false),
        TypeRef::Boolean => ("Boolean", false),
        TypeRef::Integer(_) => ("Integer", false),
        TypeRef::Number(_) => ("Number", false),
        TypeRef::Date => ("Date", false),
        TypeRef::DateTime => ("DateTime", false),
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Enum(e) => match e.repr {
                EnumRepr::String => ("String", false),
                EnumRepr::Integer => ("Integer", false),
            },
            _ => ("Json", false),
        },
        TypeRef::Map(_) | TypeRef::Object | TypeRef::Any => ("Json", false),
    }
}

/// What a body holds, for help: the type's name as the client's docs show it.
fn schema_name(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => format!("`{}`", api.type_def(*id).name),
        TypeRef::Array(item) => format!("a list of {}", schema_name(api, item)),
        TypeRef::Map(value) => format!("an object of {}", schema_name(api, value)),
        TypeRef::String(_) | TypeRef::Date | TypeRef::DateTime | TypeRef::Bytes => {
            "a string".into()
        }
        TypeRef::Boolean => "a boolean".into(),
        TypeRef::Integer(_) | TypeRef::Number(_) => "a number".into(),
        TypeRef::Object => "an object".into(),
        TypeRef::Any => "any JSON".into(),
    }
}

/// One `match` arm: build the request from `args` with the client's own types, send it, and
/// hand back what the typed client understood.
fn call_arm(api: &Api, tag: &Tag, op: &Operation, client_crate: &TokenStream) -> TokenStream {
    let id = Literal::string(&op.operation_id);
    let accessor = ident(&tag.module);
    let method = ident(&op.method_name);
    let mut positional = Vec::new();
    let mut setters = Vec::new();
    for param in &op.params {
        let ty = type_tokens_in(api, &param.ty, client_crate);
        let wire = Literal::string(&param.wire_name);
        if param.required {
            positional.push(quote!(args.required::<#ty>(#wire)?));
        } else {
            let setter = ident(&param.rust_name);
            setters.push(quote! {
                if let ::std::option::Option::Some(value) = args.optional::<#ty>(#wire)? {
                    request = request.#setter(value);
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let read = match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart { ty, .. } => {
                let ty = type_tokens_in(api, ty, client_crate);
                quote!(args.json_body::<#ty>()?)
            }
            BodyKind::Text => quote!(args.text_body()?),
            BodyKind::Binary => quote!(args.binary_body()?),
        };
        if body.required {
            positional.push(quote!(crate::args::required_body(#read)?));
        } else {
            setters.push(quote! {
                if let ::std::option::Option::Some(body) = #read {
                    request = request.body(body);
                }
            });
        }
    }
    let request = if setters.is_empty() {
        quote!(let request = client.#accessor().#method(#(#positional),*);)
    } else {
        quote! {
            let mut request = client.#accessor().#method(#(#positional),*);
            #(#setters)*
        }
    };
    let kind = match &op.response.body {
        ResponseBody::Empty => quote!(empty),
        ResponseBody::Json(_) | ResponseBody::Undocumented => quote!(json),
        ResponseBody::Text => quote!(text),
        ResponseBody::Binary => quote!(bytes),
    };
    quote! {
        #id => {
            #request
            crate::output::reply!(request, #kind, raw)
        }
    }
}

/// Spec prose for a terminal: trimmed, blank lines between paragraphs kept, nothing escaped
/// (it is shown as text, never compiled or rendered).
fn plain(text: Option<&str>) -> String {
    text.map(|t| {
        t.trim()
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    })
    .unwrap_or_default()
}
