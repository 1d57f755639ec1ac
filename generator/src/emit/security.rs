//! The document's authentication as generated code: the `DOCUMENT` the runtime is handed
//! (servers' first URL, security schemes, default `security`), each operation's `security`, and
//! the client builder's methods for each scheme, named as the model decided.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc, doc_lines, ident};
use crate::model::{Api, Operation, ParamLocation, SchemeKind, Security, SecurityScheme};

/// `static DOCUMENT` and `const SECURITY`, for `mod.rs`.
pub fn document(api: &Api) -> TokenStream {
    let schemes = api.security_schemes.iter().filter_map(scheme_entry);
    let security = requirement(&api.security);
    quote! {
        /// What the runtime is told about the document: its first server, how each security
        /// scheme sends its credential, and what operations accept by default.
        pub(crate) static DOCUMENT: crate::runtime::Document = crate::runtime::Document {
            base_url: DEFAULT_BASE_URL,
            schemes: &[#(#schemes),*],
            security: SECURITY,
        };

        /// The document's `security`: what operations without their own accept.
        pub(crate) const SECURITY: crate::runtime::Security = #security;
    }
}

/// The `security` argument of an operation's request.
pub fn operation(op: &Operation) -> TokenStream {
    match &op.security {
        None => quote!(crate::generated::SECURITY),
        Some(security) => requirement(security),
    }
}

fn requirement(security: &Security) -> TokenStream {
    let alternatives = security.iter().map(|alternative| {
        let names = alternative.iter().map(|name| Literal::string(name));
        quote!(&[#(#names),*])
    });
    quote!(&[#(#alternatives),*])
}

/// The runtime's view of one scheme; none for a scheme the client cannot apply.
fn scheme_entry(scheme: &SecurityScheme) -> Option<TokenStream> {
    let name = Literal::string(&scheme.name);
    let header = |header: &str, prefix: &str| {
        let header = Literal::string(header);
        let prefix = Literal::string(prefix);
        quote!(crate::runtime::Placement::Header { name: #header, prefix: #prefix })
    };
    let placement = match &scheme.kind {
        SchemeKind::ApiKey {
            location,
            name: key,
        } => {
            let key_literal = Literal::string(key);
            match location {
                ParamLocation::Query => quote!(crate::runtime::Placement::Query(#key_literal)),
                ParamLocation::Cookie => quote!(crate::runtime::Placement::Cookie(#key_literal)),
                ParamLocation::Header | ParamLocation::Path => header(key, ""),
            }
        }
        SchemeKind::Bearer { .. } => header("Authorization", "Bearer "),
        SchemeKind::Basic => header("Authorization", "Basic "),
        SchemeKind::Unsupported { .. } => return None,
    };
    Some(quote!(crate::runtime::Scheme { name: #name, placement: #placement }))
}

/// `impl ClientBuilder` with each scheme's methods; empty when the document has no scheme the
/// client applies.
pub fn builder_methods(api: &Api) -> TokenStream {
    let methods: Vec<TokenStream> = api.security_schemes.iter().map(scheme_methods).collect();
    if methods.iter().all(TokenStream::is_empty) {
        return TokenStream::new();
    }
    quote! {
        /// Credentials, one set of methods per security scheme of the document. An operation
        /// sends those its `security` asks for; setting a scheme again replaces it.
        impl crate::ClientBuilder {
            #(#methods)*
        }
    }
}

fn scheme_methods(scheme: &SecurityScheme) -> TokenStream {
    let name = Literal::string(&scheme.name);
    let method = ident(&scheme.method);
    let source = ident(&format!("{}_source", scheme.method));
    let described = match doc(scheme.description.as_deref()) {
        described if described.is_empty() => described,
        described => quote!(#[doc = ""] #described),
    };
    let what = match &scheme.kind {
        SchemeKind::ApiKey { location, name } => {
            // A key placed in the path is sent as a header (see `scheme_entry`).
            let place = super::location_phrase(match location {
                ParamLocation::Path => ParamLocation::Header,
                other => *other,
            });
            format!("an API key, sent as it is in the {place} `{name}`")
        }
        SchemeKind::Bearer { .. } => "a token, sent as `Authorization: Bearer <token>`".into(),
        SchemeKind::Basic => {
            "a username and password, sent as `Authorization: Basic <base64(username:password)>`"
                .into()
        }
        SchemeKind::Unsupported { .. } => return TokenStream::new(),
    };
    let heading = doc_lines(&format!("The security scheme `{}`: {what}.", scheme.name));
    let source_doc = doc_lines(&format!(
        "The security scheme `{}`, from a [`TokenSource`](crate::TokenSource) of your own, \
         asked before every attempt and told when the API rejects what it gave.",
        scheme.name
    ));
    let fixed = match &scheme.kind {
        SchemeKind::Basic => quote! {
            #heading
            #described
            pub fn #method(self, username: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.scheme_basic(#name, username.into(), password.into())
            }
        },
        _ => quote! {
            #heading
            #described
            pub fn #method(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.scheme_token(#name, value.into())
            }

            #source_doc
            pub fn #source(self, source: impl crate::TokenSource) -> Self {
                self.scheme_source(#name, source)
            }
        },
    };
    let client_credentials = match &scheme.kind {
        SchemeKind::Bearer {
            client_credentials: Some(flow),
        } => {
            let method = ident(&format!("{}_client_credentials", scheme.method));
            let token_url = Literal::string(&flow.token_url);
            let mut text = format!(
                "The security scheme `{}` with OAuth2's client-credentials grant: the client asks \
                 `{}` for an access token with these credentials, keeps it until shortly before it \
                 expires, and asks again then or when the API rejects it.",
                scheme.name,
                // In a code span, where Markdown means nothing but a backtick.
                flow.token_url.replace('`', "'")
            );
            if !flow.scopes.is_empty() {
                text.push_str(
                    "\n\nScopes the document lists (add them with \
                     [`ClientCredentials::scope`](crate::ClientCredentials::scope)):\n",
                );
                for (scope, description) in &flow.scopes {
                    let description = super::markdown_safe(description).trim().replace('\n', " ");
                    text.push_str(&format!("\n- `{scope}`: {description}"));
                }
            }
            let text = doc_lines(&text);
            quote! {
                #text
                pub fn #method(self, credentials: crate::ClientCredentials) -> Self {
                    self.scheme_client_credentials(#name, credentials, #token_url)
                }
            }
        }
        _ => TokenStream::new(),
    };
    quote!(#fixed #client_credentials)
}
