//! IR -> token streams. Emitters only print decisions the model has made.
//!
//! Generated code names everything outside its own module by full path (`::std::string::String`,
//! `crate::types::Project`), so a schema called `String`, `Option` or `Result` cannot shadow
//! what the code relies on.

pub mod cli;
pub mod mock;
pub mod operations;
pub mod security;
pub mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, ParamLocation, TypeRef};

/// An identifier token; keywords were already made safe by `naming`.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type for a reference, as seen from any module of the generated client.
pub fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    type_tokens_in(api, ty, &quote!(crate))
}

/// The Rust type for a reference, with generated types reached through `client_crate`
/// (`crate` inside the client, `::ecosuite` from the command line crate). Other types are
/// spelled as the model's one table ([`TypeRef::rust_type`]) says.
pub fn type_tokens_in(api: &Api, ty: &TypeRef, client_crate: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&api.type_def(*id).name);
            quote!(#client_crate::types::#name)
        }
        TypeRef::Array(item) => {
            let vec = path_tokens(TypeRef::VEC.path);
            let item = type_tokens_in(api, item, client_crate);
            quote!(#vec<#item>)
        }
        TypeRef::Map(value) => {
            let map = path_tokens(TypeRef::MAP.path);
            let key = type_tokens_in(api, &TypeRef::MAP_KEY, client_crate);
            let value = type_tokens_in(api, value, client_crate);
            quote!(#map<#key, #value>)
        }
        scalar => match scalar.rust_type() {
            Some(rust) => path_tokens(rust.path),
            None => unreachable!("every other type has a Rust path"),
        },
    }
}

/// The tokens of a Rust path from the model's table, parsed once per thread: types are
/// printed tens of thousands of times per document.
fn path_tokens(path: &'static str) -> TokenStream {
    thread_local! {
        static PARSED: std::cell::RefCell<std::collections::HashMap<&'static str, TokenStream>> =
            std::cell::RefCell::default();
    }
    PARSED.with(|parsed| {
        parsed
            .borrow_mut()
            .entry(path)
            .or_insert_with(|| {
                path.parse()
                    .expect("the model's Rust paths are valid tokens")
            })
            .clone()
    })
}

/// A parameter's location in prose: `path parameter`, `query parameter`, `header`, `cookie`.
pub fn location_phrase(location: ParamLocation) -> String {
    match location {
        ParamLocation::Path | ParamLocation::Query => format!("{} parameter", location.as_str()),
        ParamLocation::Header | ParamLocation::Cookie => location.as_str().to_string(),
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

/// Escapes spec prose so rustdoc shows it as written: Markdown stays Markdown, but nothing
/// in it can make rustdoc compile a doctest or warn.
pub fn markdown_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open_fence: Option<&str> = None;
    // Inside a list item: the width of its marker (`- `, `10. `).
    let mut list_item: Option<usize> = None;
    for raw in text.trim().lines() {
        let line = raw.trim();
        if let Some(fence) = ["```", "~~~"].into_iter().find(|f| line.starts_with(f)) {
            match open_fence {
                // A fenced block stays a code block, marked `text` so it is never compiled.
                None => {
                    out.push_str(fence);
                    out.push_str("text\n");
                    open_fence = Some(fence);
                }
                Some(open) if open == fence => {
                    out.push_str(fence);
                    out.push('\n');
                    open_fence = None;
                }
                Some(_) => {
                    out.push_str(raw.trim_end());
                    out.push('\n');
                }
            }
            continue;
        }
        if open_fence.is_some() {
            out.push_str(raw.trim_end());
        } else {
            // Leading indentation would make an indented code block, which rustdoc compiles;
            // only a list item's continuation lines are indented, to stay in the item.
            match list_marker_width(line) {
                Some(width) => list_item = Some(width),
                None if line.is_empty() => list_item = None,
                None => {
                    if let Some(width) = list_item {
                        out.push_str(&" ".repeat(width));
                    }
                }
            }
            out.push_str(&escape_line(line));
        }
        out.push('\n');
    }
    if let Some(fence) = open_fence {
        out.push_str(fence);
        out.push('\n');
    }
    out
}

/// The width of the list marker a line starts with (`- `, `* `, `+ `, `1. `, `2) `).
fn list_marker_width(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// Escapes one line outside code spans; an unpaired backtick is escaped itself.
fn escape_line(line: &str) -> String {
    let ticks = line.matches('`').count();
    let mut out = String::with_capacity(line.len() + 8);
    for (index, part) in line.split('`').enumerate() {
        if index > 0 {
            let unpaired = ticks % 2 == 1 && index == ticks;
            out.push_str(if unpaired { "\\`" } else { "`" });
        }
        let in_code_span = index % 2 == 1 && !(ticks % 2 == 1 && index == ticks);
        if in_code_span {
            out.push_str(part);
        } else {
            out.push_str(&escape_prose(part));
        }
    }
    out
}

/// Escapes what rustdoc would read as HTML or links, and makes URLs autolinks.
fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(len) = url_len(rest) {
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        if let Some((text, url, len)) = inline_link(rest) {
            // A Markdown link `[text](url)` is meant as one; only bare brackets are escaped.
            out.push('[');
            out.push_str(&escape_prose(text));
            out.push_str("](");
            out.push_str(url);
            out.push(')');
            rest = &rest[len..];
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `[text](url)` at the start of `text`: the text, the URL and the length of the link. Only
/// links to absolute URLs or anchors count; anything else stays escaped prose.
fn inline_link(text: &str) -> Option<(&str, &str, usize)> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find("](")?;
    let label = &inner[..close];
    if label.contains('[') || label.contains(']') {
        return None;
    }
    let after = &inner[close + 2..];
    let end = after.find(')')?;
    let url = &after[..end];
    let plain = !url.contains(char::is_whitespace) && !url.contains(['<', '>', '"']);
    let absolute =
        url.starts_with("http://") || url.starts_with("https://") || url.starts_with('#');
    (plain && absolute).then_some((label, url, 1 + close + 2 + end + 1))
}

/// The length of the URL `text` starts with, if it starts with one.
fn url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']' | '`'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    (url.len() > "https://".len()).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_code_and_messages_spell_types_from_one_table() {
        use crate::model::IntegerKind;
        let api =
            crate::model::from_yaml("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
        let ty = TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::Date))));
        assert_eq!(ty.label(&api), "BTreeMap<String, Vec<NaiveDate>>");
        let tokens = type_tokens(&api, &ty).to_string().replace(' ', "");
        assert_eq!(
            tokens,
            "::std::collections::BTreeMap<::std::string::String,::std::vec::Vec<::chrono::NaiveDate>>"
        );
        assert_eq!(TypeRef::Integer(IntegerKind::U16).label(&api), "u16");
        assert_eq!(
            type_tokens(&api, &TypeRef::Any)
                .to_string()
                .replace(' ', ""),
            "::serde_json::Value"
        );
    }

    #[test]
    fn prose_is_escaped_outside_code_spans() {
        assert_eq!(
            markdown_safe("a <script> [x] `#[cfg(y)]` b\\c"),
            "a &lt;script&gt; \\[x\\] `#[cfg(y)]` b\\\\c\n"
        );
        assert_eq!(markdown_safe("one ` tick"), "one \\` tick\n");
        assert_eq!(markdown_safe("    indented\n"), "indented\n");
    }

    #[test]
    fn fences_become_text_blocks() {
        assert_eq!(
            markdown_safe("```rust\nfn main() {}\n```"),
            "```text\nfn main() {}\n```\n"
        );
        assert_eq!(markdown_safe("```\nunclosed"), "```text\nunclosed\n```\n");
    }

    #[test]
    fn list_items_keep_their_continuation_lines() {
        assert_eq!(
            markdown_safe("- one\nmore of one\n\nafter"),
            "- one\n  more of one\n\nafter\n"
        );
        assert_eq!(markdown_safe("10. ten\nmore"), "10. ten\n    more\n");
    }

    #[test]
    fn markdown_links_stay_links() {
        assert_eq!(
            markdown_safe("see [the guide](https://x.io/g#a) and [x]"),
            "see [the guide](https://x.io/g#a) and \\[x\\]\n"
        );
    }

    #[test]
    fn urls_become_autolinks() {
        assert_eq!(
            markdown_safe("see https://x.io/a."),
            "see <https://x.io/a>.\n"
        );
        assert_eq!(
            markdown_safe("<a href=\"http://x.io\">x</a>"),
            "&lt;a href=\"<http://x.io>\"&gt;x&lt;/a&gt;\n"
        );
    }
}
