//! IR -> token streams. Emitters only print decisions the model has made.
//!
//! Generated code names everything outside its own module by full path (`::std::string::String`,
//! `crate::types::Project`), so a schema called `String`, `Option` or `Result` cannot shadow
//! what the code relies on.

pub mod operations;
pub mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, IntegerKind, NumberKind, TypeRef};

/// An identifier token; keywords were already made safe by `naming`.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type for a reference, as seen from any module of the generated code.
pub fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&api.type_def(*id).name);
            quote!(crate::types::#name)
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Integer(kind) => match kind {
            IntegerKind::I32 => quote!(i32),
            IntegerKind::I64 => quote!(i64),
            IntegerKind::U8 => quote!(u8),
            IntegerKind::U16 => quote!(u16),
            IntegerKind::U32 => quote!(u32),
            IntegerKind::U64 => quote!(u64),
        },
        TypeRef::Number(NumberKind::F32) => quote!(f32),
        TypeRef::Number(NumberKind::F64) => quote!(f64),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Array(item) => {
            let item = type_tokens(api, item);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(api, value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Object => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        TypeRef::Any => quote!(::serde_json::Value),
    }
}

/// `#[doc = "..."]` lines for spec text. The text is a string literal, so it can never become
/// code; it is also defused as Markdown, so rustdoc neither runs it as a doctest (code fences,
/// indented blocks) nor warns about it (HTML tags, brackets, bare URLs).
pub fn doc(text: Option<&str>) -> TokenStream {
    match text {
        None => TokenStream::new(),
        Some(text) => doc_lines(&markdown_safe(text)),
    }
}

/// Doc lines for text the generator wrote itself (already valid Markdown).
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Escapes spec prose so rustdoc shows it as written.
pub fn markdown_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.trim().lines() {
        // Leading indentation would make an indented code block, which rustdoc compiles.
        let line = line.trim();
        let mut escaped = String::with_capacity(line.len());
        // A fence would open a code block, which rustdoc compiles as a doctest.
        if line.starts_with("```") || line.starts_with("~~~") {
            escaped.push('\\');
        }
        for (index, word) in line.split(' ').enumerate() {
            if index > 0 {
                escaped.push(' ');
            }
            if word.starts_with("http://") || word.starts_with("https://") {
                let (url, rest) = split_url(word);
                escaped.push('<');
                escaped.push_str(url);
                escaped.push('>');
                escaped.push_str(&escape_markdown(rest));
            } else {
                escaped.push_str(&escape_markdown(word));
            }
        }
        out.push_str(&escaped);
        out.push('\n');
    }
    out
}

fn split_url(word: &str) -> (&str, &str) {
    let end = word
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
        .unwrap_or(word.len());
    let url = word[..end].trim_end_matches(['.', ',', ';', ':']);
    (url, &word[url.len()..])
}

fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_text_is_defused() {
        assert_eq!(
            markdown_safe("a <script> [x] `y`"),
            "a &lt;script&gt; \\[x\\] `y`\n"
        );
        assert_eq!(
            markdown_safe("```rust\nfn main() {}\n```"),
            "\\```rust\nfn main() {}\n\\```\n"
        );
        assert_eq!(markdown_safe("    indented\n"), "indented\n");
        assert_eq!(
            markdown_safe("see https://x.io/a."),
            "see <https://x.io/a>.\n"
        );
    }
}
