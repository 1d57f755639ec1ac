//! Identifier rules in one place: case conversion, keywords, invalid starts, collisions.
//!
//! Every name the generated code uses is made here, so the same spec string always becomes
//! the same identifier, and anything a spec may contain (`15minute`, `type`, `御中`, `+1`,
//! an empty string) becomes a valid, readable Rust identifier.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2015-2024, which cannot be plain identifiers (and the
/// weak keyword `union`, avoided too). The one list: the xtask refuses crate names from it.
pub const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `name` is one of [`KEYWORDS`], so cannot name a generated item as it is.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Splits a spec string into ASCII words: non-ASCII characters become `uXXXX` words (so
/// `御中` stays distinguishable from `様`) and everything else that is not alphanumeric
/// separates words.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:x} ", c as u32));
        }
    }
    // `IDs`, as in `tagIDs`, is one word: without this, case conversion gives `tag_i_ds`.
    out.replace("IDs", "Ids")
}

/// Symbols that carry meaning in enum values and property names (`+1`, `-1`, `$ref`, `@type`)
/// are spelled out, so `+1` and `-1` do not both become `1`.
fn spell_symbols(raw: &str) -> String {
    let trimmed = raw.trim();
    let (prefix, rest) = match trimmed.chars().next() {
        Some('+') => ("plus ", &trimmed[1..]),
        Some('-') if trimmed.len() > 1 => ("minus ", &trimmed[1..]),
        Some('$') => ("dollar ", &trimmed[1..]),
        Some('@') => ("at ", &trimmed[1..]),
        _ => ("", trimmed),
    };
    format!("{prefix}{rest}")
}

/// `15minute` -> `Minute15`: Rust identifiers cannot start with a digit, and moving the
/// number to the end keeps the name readable where a prefix like `_15minute` would not.
fn move_leading_digits(words: &str) -> String {
    let trimmed = words.trim_start();
    let digits: String = trimmed.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return trimmed.to_string();
    }
    let rest = &trimmed[digits.len()..];
    if !rest.chars().any(|c| c.is_ascii_alphabetic()) {
        // Only numbers (`1`, `1.0`): there is no word to move them behind.
        return format!("value {trimmed}");
    }
    // `2 3 fa` -> `fa 2 3`: repeat until a letter leads.
    move_leading_digits(&format!("{rest} {digits}"))
}

/// A type or variant name: `UpperCamelCase`, never empty, never a keyword.
pub fn type_name(raw: &str) -> String {
    let words = move_leading_digits(&ascii_words(&spell_symbols(raw)));
    let mut name = words.to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// A field, method, parameter or module name: `snake_case`, never empty, never a keyword.
pub fn snake_name(raw: &str) -> String {
    let words = ascii_words(&spell_symbols(raw));
    let mut name = words.to_snake_case();
    if name.is_empty() {
        name = "empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// A command line name (`project-datums`, `--project-ids`) from a snake name the model made:
/// the keyword guard's trailing `_` is dropped, since a command line has no keywords.
pub fn kebab_name(snake: &str) -> String {
    snake.trim_end_matches('_').replace('_', "-")
}

/// Gives each name in `names` a unique spelling, in order: the first keeps its name, later
/// ones get `2`, `3`, ... (or `_2` for snake names). Names in `taken` are avoided too.
/// Order is the spec's order, so the result is deterministic.
pub fn make_unique(names: &[String], taken: &BTreeSet<String>) -> Vec<String> {
    let mut used: BTreeSet<String> = taken.clone();
    names
        .iter()
        .map(|name| {
            let separator = if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                ""
            } else {
                "_"
            };
            let mut candidate = name.clone();
            let mut n = 2;
            while used.contains(&candidate) {
                candidate = format!("{}{separator}{n}", name.trim_end_matches('_'));
                n += 1;
            }
            used.insert(candidate.clone());
            candidate
        })
        .collect()
}

/// The singular of an English plural, for naming the items of `sites` a `Site`; `None` when
/// the word does not look plural (`data`, `status`), so the caller appends `Item` instead.
pub fn singular(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if lower.ends_with(suffix) {
            return Some(word[..word.len() - 2].to_string());
        }
    }
    if lower.ends_with('s') && !["ss", "us", "is"].iter().any(|s| lower.ends_with(s)) {
        return Some(word[..word.len() - 1].to_string());
    }
    None
}

/// Splits an `UpperCamelCase` name into its words, for shortening long names.
pub fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let bytes = name.as_bytes();
    for i in 1..bytes.len() {
        let boundary = bytes[i].is_ascii_uppercase()
            || (bytes[i].is_ascii_digit() && !bytes[i - 1].is_ascii_digit());
        if boundary {
            words.push(&name[start..i]);
            start = i;
        }
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("15minute"), "Minute15");
        assert_eq!(type_name("5minute"), "Minute5");
        assert_eq!(type_name("New System"), "NewSystem");
        assert_eq!(type_name("Pre-Construction"), "PreConstruction");
        assert_eq!(type_name("PTO"), "Pto");
        assert_eq!(type_name("II"), "Ii");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("+1"), "Plus1");
        assert_eq!(type_name("-1"), "Minus1");
        assert_eq!(type_name("1"), "Value1");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("御中"), "U5fa1U4e2d");
        assert_eq!(
            type_name("ParamaeterStoreFormData"),
            "ParamaeterStoreFormData"
        );
        assert_eq!(type_name("1.0"), "Value10");
        assert_eq!(type_name("2 3 fa"), "Fa23");
    }

    #[test]
    fn every_name_is_a_valid_identifier() {
        let inputs = [
            "",
            " ",
            "1",
            "1.0",
            "-1",
            "+",
            "$",
            "@",
            "_",
            "__",
            "a b",
            "9lives",
            "1 2 3",
            "self",
            "Self",
            "super",
            "crate",
            "type",
            "gen",
            "async",
            "御中",
            "é",
            "a-b",
            "a_b",
            "A B",
            "x.y.z",
            "1st",
            "2xx",
            "3D",
            "_private",
            "r#type",
            "\"quoted\"",
            "tab\tbed",
        ];
        for input in inputs {
            for name in [type_name(input), snake_name(input)] {
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{input:?} gave {name:?}, which is not an identifier"
                );
            }
        }
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("parcelID"), "parcel_id");
        assert_eq!(snake_name("tagIDs"), "tag_ids");
        assert_eq!(snake_name("rfiID"), "rfi_id");
        assert_eq!(snake_name("authorization-date"), "authorization_date");
        assert_eq!(snake_name("LastModifiedDate"), "last_modified_date");
        assert_eq!(
            snake_name("getProjectProFormaIRR"),
            "get_project_pro_forma_irr"
        );
        assert_eq!(snake_name("1st"), "n1st");
        assert_eq!(snake_name("$ref"), "dollar_ref");
        assert_eq!(snake_name("@type"), "at_type");
        assert_eq!(snake_name("+++"), "plus");
    }

    #[test]
    fn unique_names_are_stable() {
        let names = vec![
            "foo_bar".to_string(),
            "foo_bar".to_string(),
            "Aa".to_string(),
            "Aa".to_string(),
        ];
        assert_eq!(
            make_unique(&names, &BTreeSet::new()),
            ["foo_bar", "foo_bar_2", "Aa", "Aa2"]
        );
    }

    #[test]
    fn singulars() {
        assert_eq!(
            singular("sites").as_deref(),
            Some("sites"[..4].to_string().as_str())
        );
        assert_eq!(singular("categories").as_deref(), Some("category"));
        assert_eq!(singular("status"), None);
        assert_eq!(singular("data"), None);
        assert_eq!(singular("Totals").as_deref(), Some("Total"));
    }

    #[test]
    fn camel_word_split() {
        assert_eq!(
            camel_words("ProjectDatumsSite"),
            ["Project", "Datums", "Site"]
        );
        assert_eq!(camel_words("Minute15"), ["Minute", "15"]);
    }
}
