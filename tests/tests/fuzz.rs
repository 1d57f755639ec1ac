//! Mutation fuzzing of `load` + `generate`: real documents (the fixtures and the Ecosuite
//! spec) are damaged line by line in ways real documents go wrong (missing keys, wrong types,
//! dangling references, odd names, numbers out of range, broken indentation), their names
//! are renamed to Rust's own (keywords, prelude and trait names, the client's methods), huge
//! numbers and odd response keys are put in, and now and then the whole document is replaced
//! by a degenerate one (empty, a list, Swagger 2.0, ...). The generator must answer every one
//! with files or an error that names a line, never a panic.
//!
//! `cargo test -p ecosuite-tests --test fuzz` runs a short, fixed-seed pass (`FUZZ_ONLY=openapi31`:
//! only the documents whose name contains that). A long run:
//! `FUZZ_ITERATIONS=200000 FUZZ_SEED=7 cargo test --release -p ecosuite-tests --test fuzz`.
//! A document that panics is written to `target/fuzz-crashes/` and the test fails; fixed
//! ones are kept in `tests/fixtures/fuzz/`, which every run replays first.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use ecosuite_generator::{generate_client_and_cli, Options};

/// A small, fast, seedable generator (xorshift64*): reproducible runs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values a mutation puts where a document had something else.
const VALUES: &[&str] = &[
    "",
    "0",
    "-1",
    "9223372036854775808",
    "-9223372036854776000",
    "1e400",
    "null",
    "true",
    "[]",
    "{}",
    "[1, 2]",
    "{a: {b: [c]}}",
    "'#/components/schemas/Missing'",
    "false",
    "[string, 'null']",
    "[integer, string, 'null']",
    "{type: 'null'}",
    "{anyOf: [{$ref: '#/components/schemas/Missing'}, {type: 'null'}]}",
    "{$defs: {A: {type: string}}, $ref: '#/$defs/A'}",
    "{const: 1.5}",
    "{prefixItems: [true, false], items: false}",
    "{$ref: '#/components/pathItems/Missing'}",
    "'#/components/schemas/Pet/properties/owner'",
    "{contentEncoding: base64, contentMediaType: image/png}",
    "{$ref: '#/components/schemas/Missing'}",
    "{$ref: '#/paths'}",
    "{$ref: 'other.yaml#/x'}",
    "object",
    "array",
    "string",
    "integer",
    "number",
    "boolean",
    "date-time",
    "binary",
    "type",
    "self",
    "'15minute'",
    "'御中'",
    "'*/ #[cfg(x)] fn f() {}'",
    "'{id}'",
    "'/a/{b}/{b}'",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
    "Self",
    "super",
    "crate",
    "Default",
    "Option",
    "'2xx'",
    "'-1e30'",
    "1e300",
    "-1e30",
    "18446744073709551616",
    "-9223372036854775809",
    "100000000000000000000000000000",
    "[1, 9223372036854775808, -9223372036854775809]",
];

/// Names Rust, its standard library or the generated client already use: keywords, the
/// prelude, traits, the crates the generated code names, and the client's own methods.
const RUST_NAMES: &[&str] = &[
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "fn",
    "mod",
    "async",
    "await",
    "dyn",
    "try",
    "gen",
    "union",
    "r#type",
    "Iterator",
    "Default",
    "Into",
    "From",
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Box",
    "Vec",
    "String",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "Clone",
    "Copy",
    "Debug",
    "Display",
    "FromStr",
    "Hash",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "std",
    "core",
    "serde",
    "serde_json",
    "chrono",
    "bytes",
    "reqwest",
    "Client",
    "Error",
    "Response",
    "Request",
    "types",
    "runtime",
    "operations",
    "new",
    "clone",
    "cmp",
    "add",
    "div",
    "into",
    "builder",
    "login",
    "url",
    "attempt",
    "id_token",
    "execute",
    "send",
    "send_with_response",
    "body",
    "client",
    "value",
    "additional_properties",
];

/// Numbers beyond 64-bit integers (and floats), for bounds, enums and defaults.
const HUGE_NUMBERS: &[&str] = &[
    "18446744073709551616",
    "18446744073709551615",
    "9223372036854775808",
    "-9223372036854775809",
    "-9223372036854776000",
    "100000000000000000000000000000",
    "-100000000000000000000000000000",
    "1e300",
    "-1e30",
    "1e-300",
    "1.7976931348623157e308",
    "1e400",
];

/// Keys under `responses` that are neither a status code, a range nor `default`, and some
/// that are.
const RESPONSE_KEYS: &[&str] = &[
    "200x", "OK", "6XX", "99", "'2xx'", "'4xX'", "600", "'1000'", "0XX", "2X0", "' 200'", "'200'",
    "4XX", "default", "x-note", "true", "null", "''",
];

/// Whole documents that are not OpenAPI 3.0 documents, or barely are.
const DEGENERATE: &[&str] = &[
    "",
    "   \n\t\n",
    "# only a comment\n",
    "---\n---\n",
    "[]",
    "[1, 2]",
    "- a\n- b\n",
    "42",
    "null",
    "~",
    "true",
    "'openapi: 3.0.3'",
    "{",
    "[",
    "\u{feff}",
    "\u{0}",
    "<html></html>",
    "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    "openapi: 3\ninfo: {title: t, version: '1'}\npaths: {}\n",
    "openapi: 3.0\n",
    "openapi: [3.0.3]\n",
    "openapi: 3.0.3\n",
    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n",
    "openapi: 3.0.3\npaths: {}\n",
    "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n---\nx: 1\n",
    "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}",
    "{\"openapi\": 3.0, \"info\": {}, \"paths\": {}}",
    "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}, \"x\": 1e400}",
    "\u{feff}openapi: 3.0.3\r\ninfo: {title: t, version: '1'}\r\npaths: {}\r\n",
];

/// Keys a mutation adds, so damage reaches the schema and operation code, not only the parser.
const KEYS: &[&str] = &[
    "type",
    "format",
    "enum",
    "items",
    "properties",
    "additionalProperties",
    "required",
    "nullable",
    "readOnly",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "discriminator",
    "$ref",
    "operationId",
    "tags",
    "parameters",
    "requestBody",
    "responses",
    "content",
    "schema",
    "in",
    "name",
    "default",
    "security",
];

/// Renames one name the document defines everywhere it is used, so the document stays valid:
/// a component schema (its key and every `$ref` to it), a tag, an operationId, a property or
/// a parameter, to one of [`RUST_NAMES`].
fn rename(rng: &mut Rng, text: &str) -> String {
    let to = *rng.pick(RUST_NAMES);
    let lines: Vec<&str> = text.lines().collect();
    let value_of = |line: &str, key: &str| {
        line.trim_start()
            .trim_start_matches("- ")
            .strip_prefix(key)
            .map(|v| v.trim().trim_matches(|c| c == '\'' || c == '"').to_string())
    };
    match rng.below(4) {
        // A component schema: `#/components/schemas/<name>` and its key line.
        0 => {
            let refs: Vec<String> = text
                .split("#/components/schemas/")
                .skip(1)
                .filter_map(|rest| {
                    let name: String = rest
                        .chars()
                        .take_while(|c| !matches!(c, '\'' | '"' | '}' | ',' | ' '))
                        .collect();
                    (!name.is_empty()).then_some(name)
                })
                .collect();
            if refs.is_empty() {
                return text.to_string();
            }
            let from = rng.pick(&refs).clone();
            text.lines()
                .map(|line| {
                    let indent = line.len() - line.trim_start().len();
                    if line.trim_start().starts_with(&format!("{from}:")) && indent == 4 {
                        line.replacen(&from, to, 1)
                    } else {
                        line.replace(
                            &format!("#/components/schemas/{from}'"),
                            &format!("#/components/schemas/{to}'"),
                        )
                        .replace(
                            &format!("#/components/schemas/{from}\""),
                            &format!("#/components/schemas/{to}\""),
                        )
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        // A tag: every line that names it (`- name: t`, `- t`, `tags: [t]`).
        1 => {
            let tags: Vec<String> = lines
                .iter()
                .filter_map(|line| {
                    let rest = line.trim_start().strip_prefix("tags: [")?;
                    Some(
                        rest.trim_end_matches(']')
                            .split(',')
                            .next()?
                            .trim()
                            .to_string(),
                    )
                })
                .chain(lines.windows(2).filter_map(|pair| {
                    (pair[0].trim() == "tags:").then(|| value_of(pair[1], "- "))?
                }))
                .filter(|tag| !tag.is_empty())
                .collect();
            if tags.is_empty() {
                return text.to_string();
            }
            let from = rng.pick(&tags).clone();
            text.lines()
                .map(|line| {
                    let trimmed = line.trim();
                    if trimmed == format!("- {from}") || trimmed == format!("- name: {from}") {
                        line.replacen(&from, to, 1)
                    } else if trimmed.starts_with("tags: [") {
                        line.replace(&format!("[{from}]"), &format!("[{to}]"))
                            .replace(&format!("[{from},"), &format!("[{to},"))
                    } else {
                        line.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
        // An operationId, or a parameter's or a property's name, in place.
        _ => {
            let candidates: Vec<usize> = (0..lines.len())
                .filter(|&i| {
                    let line = lines[i].trim_start().trim_start_matches("- ");
                    line.starts_with("operationId:")
                        || line.starts_with("name:")
                        || line.starts_with("{name:")
                        || (i > 0 && lines[i - 1].trim() == "properties:")
                })
                .collect();
            if candidates.is_empty() {
                return text.to_string();
            }
            let at = *rng.pick(&candidates);
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let line = &out[at];
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim_start();
            out[at] = if let Some(rest) = trimmed.strip_prefix("{name: ") {
                let rest = rest.split_once(',').map_or("}", |(_, r)| r);
                format!("{}{{name: '{to}',{rest}", &line[..indent])
            } else if let Some((key, _)) = trimmed.split_once(": ") {
                if key.ends_with("operationId") || key.ends_with("name") {
                    format!("{}{key}: '{to}'", &line[..indent])
                } else {
                    line.to_string()
                }
            } else if let Some((_, value)) = trimmed.split_once(':') {
                format!("{}'{to}':{value}", &line[..indent])
            } else {
                line.to_string()
            };
            out.join("\n")
        }
    }
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    // Now and then the whole document is something degenerate.
    if rng.below(40) == 0 {
        return rng.pick(DEGENERATE).to_string();
    }
    let mut text = text.to_string();
    if rng.below(4) == 0 {
        text = rename(rng, &text);
    }
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..1 + rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let at = rng.below(lines.len());
        let indent: String = lines[at].chars().take_while(|c| *c == ' ').collect();
        let trimmed = lines[at].trim_start().to_string();
        match rng.below(11) {
            // A huge number as a bound, enum value or default beside a numeric type.
            8 if trimmed.starts_with("type: integer") || trimmed.starts_with("type: number") => {
                let key = rng.pick(&["minimum", "maximum", "multipleOf", "default", "enum"]);
                let number = rng.pick(HUGE_NUMBERS);
                let value = if *key == "enum" {
                    format!("[1, {number}]")
                } else {
                    number.to_string()
                };
                lines.insert(at + 1, format!("{indent}{key}: {value}"));
            }
            // An odd key beside a response, or a response renamed to one.
            9 if trimmed.starts_with("'2")
                || trimmed.starts_with("'4")
                || trimmed.starts_with("default:") =>
            {
                let key = rng.pick(RESPONSE_KEYS);
                if rng.below(2) == 0 {
                    lines.insert(at, format!("{indent}{key}: {{description: odd}}"));
                } else if let Some((_, value)) = trimmed.split_once(':') {
                    lines[at] = format!("{indent}{key}:{value}");
                }
            }
            // A Rust name as a key or a value.
            10 => {
                if let Some((key, value)) = lines[at].split_once(": ") {
                    lines[at] = if rng.below(2) == 0 {
                        format!("{key}: {}", rng.pick(RUST_NAMES))
                    } else {
                        format!("{indent}{}: {value}", rng.pick(RUST_NAMES))
                    };
                }
            }
            8 | 9 => {}
            // Replace a value.
            0 | 1 => {
                if let Some((key, _)) = lines[at].split_once(": ") {
                    lines[at] = format!("{key}: {}", rng.pick(VALUES));
                }
            }
            // Add a key with a value beside an existing one.
            2 | 3 => lines.insert(
                at,
                format!("{indent}{}: {}", rng.pick(KEYS), rng.pick(VALUES)),
            ),
            // Delete a line.
            4 => {
                lines.remove(at);
            }
            // Duplicate a line (duplicate keys, repeated parameters).
            5 => {
                let line = lines[at].clone();
                lines.insert(at, line);
            }
            // Move a line somewhere else.
            6 => {
                let line = lines.remove(at);
                let to = rng.below(lines.len() + 1);
                lines.insert(to, line);
            }
            // Rename a key.
            _ => {
                if let Some((_, value)) = lines[at].split_once(": ") {
                    lines[at] = format!("{indent}{}: {value}", rng.pick(KEYS));
                }
            }
        }
    }
    lines.join("\n")
}

/// `Ok` with how the document ended (`files` or `error`), `Err` with the panic message.
fn run(text: &str) -> Result<&'static str, String> {
    let options = Options {
        spec_name: "fuzz.yaml".into(),
        ..Options::default()
    };
    // The command line's emitter runs too: it reads the same IR and must not panic either.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        generate_client_and_cli(text.as_bytes(), &options)
    }));
    match outcome {
        Ok(Ok(generated)) => match name_clashes(&generated.client.files) {
            Some(clash) => Err(clash),
            None => Ok("files"),
        },
        Ok(Err(error)) if error.message.is_empty() => Err("an error that says nothing".into()),
        // Every refusal names where: at least a line (1 for the document as a whole).
        Ok(Err(error)) if error.location.line.is_none() => {
            Err(format!("an error without a line: {error}"))
        }
        Ok(Err(_)) => Ok("error"),
        Err(panic) => Err(panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())),
    }
}

/// What a generated crate would not compile (or pass clippy) with, found without compiling
/// it: a type name rustc calls not camel case (`Self_Api`), an accessor on `Client` that is
/// also one of the runtime's own methods, an operation method clippy takes for a constructor
/// or trait method, a setter clippy takes for an operator. The compile test proves the
/// fixtures compile; this catches the same classes in mutated documents.
fn name_clashes(files: &std::collections::BTreeMap<String, String>) -> Option<String> {
    static CLIENT_METHODS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let client_methods = CLIENT_METHODS.get_or_init(|| {
        let path = common::workspace_root().join("generated-client/src/runtime/client.rs");
        let source = std::fs::read_to_string(path).unwrap();
        let mut in_client = false;
        let mut names = Vec::new();
        for line in source.lines() {
            if !line.starts_with(' ') && !line.is_empty() {
                in_client = line.starts_with("impl Client {");
            }
            let Some(rest) = in_client
                .then(|| line.trim_start())
                .and_then(|l| l.split("fn ").nth(1).filter(|_| l.contains("fn ")))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(name);
        }
        assert!(
            names.iter().any(|n| n == "with_timeout"),
            "impl Client not found"
        );
        // `Client::builder()` is generated (it hands the runtime the default base URL).
        names.push("builder".into());
        names
    });
    const OPERATORS: &[&str] = &[
        "add", "sub", "mul", "div", "rem", "shl", "shr", "bitand", "bitor", "bitxor",
    ];
    const CONSTRUCTOR_OR_TRAIT: &[&str] = &["new", "clone", "cmp"];
    for (path, contents) in files {
        for line in contents.lines() {
            let trimmed = line.trim_start();
            for item in ["pub struct ", "pub enum ", "pub type "] {
                if let Some(rest) = trimmed.strip_prefix(item) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let camel = name.starts_with(|c: char| c.is_ascii_uppercase())
                        && !name.trim_end_matches('_').contains('_');
                    if !camel {
                        return Some(format!("{path}: `{name}` is not an UpperCamelCase name"));
                    }
                }
            }
            let Some(rest) = trimmed.strip_prefix("pub fn ") else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let clash = if path == "operations/mod.rs" {
                client_methods.contains(&name)
            } else if rest.contains("(mut self, value") {
                OPERATORS.contains(&name.as_str())
            } else if rest.contains("(&self") && path.starts_with("operations/") {
                CONSTRUCTOR_OR_TRAIT.contains(&name.as_str())
            } else {
                false
            };
            if clash {
                return Some(format!(
                    "{path}: `fn {name}` clashes with Rust's or the runtime's own"
                ));
            }
        }
    }
    None
}

fn corpus() -> Vec<(String, String)> {
    let mut documents: Vec<(String, String)> = common::fixture_names()
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(common::fixtures_dir().join(format!("{name}.yaml")))
                .unwrap();
            (format!("{name}.yaml"), text)
        })
        .collect();
    // OpenAPI 3.1 documents, which go through the 3.1 -> 3.0 rewrite first (the Ecosuite
    // document's 3.1 form is left out: its 3.0 form is here, and it is large).
    let dir = common::fixtures_dir().join("openapi31");
    let mut v31: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("ecosuite")
        })
        .collect();
    v31.push(common::fixtures_dir().join("errors/warnings-openapi-31.yaml"));
    v31.sort();
    for path in v31 {
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains("\nopenapi: 3.1") {
            let name = path.file_name().unwrap().to_string_lossy();
            documents.push((format!("openapi31-{name}"), text));
        }
    }
    let spec = common::workspace_root().join("spec/ecosuite.yaml");
    documents.push((
        "ecosuite.yaml".into(),
        std::fs::read_to_string(spec).unwrap(),
    ));
    documents
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn earlier_findings_stay_fixed() {
    let dir = common::workspace_root().join("tests/fixtures/fuzz");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(panic) = run(&text) {
            panic!("{} panics again: {panic}", path.display());
        }
    }
}

#[test]
fn mutated_documents_never_panic() {
    let iterations = env_number("FUZZ_ITERATIONS", 300);
    let mut rng = Rng(env_number("FUZZ_SEED", 0x5eed).max(1));
    // Small documents mutate into interesting shapes fastest; the big spec gets a share.
    let mut documents = corpus();
    // `FUZZ_ONLY=openapi31` fuzzes only the documents whose name contains it.
    if let Ok(only) = std::env::var("FUZZ_ONLY") {
        documents.retain(|(name, _)| name.contains(&only));
        assert!(
            !documents.is_empty(),
            "no document matches FUZZ_ONLY={only}"
        );
    }
    // A panic message is printed by the default hook; keep the output readable.
    std::panic::set_hook(Box::new(|_| {}));
    let mut crashes = Vec::new();
    let mut outcomes = std::collections::BTreeMap::<&str, usize>::new();
    for iteration in 0..iterations {
        let (name, text) = rng.pick(&documents).clone();
        let mutated = mutate(&mut rng, &text);
        match run(&mutated) {
            Ok(outcome) => *outcomes.entry(outcome).or_default() += 1,
            Err(panic) => {
                let dir = common::workspace_root().join("target/fuzz-crashes");
                std::fs::create_dir_all(&dir).unwrap();
                let path: PathBuf = dir.join(format!("{iteration}-{name}"));
                std::fs::write(&path, &mutated).unwrap();
                crashes.push(format!("{}: {panic}", path.display()));
            }
        }
    }
    let _ = std::panic::take_hook();
    eprintln!(
        "fuzz: {iterations} documents, outcomes {outcomes:?}, {} panics",
        crashes.len()
    );
    assert!(
        crashes.is_empty(),
        "the generator panicked on:\n{}",
        crashes.join("\n")
    );
}
