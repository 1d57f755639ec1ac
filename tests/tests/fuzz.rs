//! Mutation fuzzing of `load` + `generate`: real documents (the fixtures and the Ecosuite
//! spec) are damaged line by line in ways real documents go wrong (missing keys, wrong types,
//! dangling references, odd names, numbers out of range, broken indentation), and the
//! generator must answer every one with files or an error, never a panic.
//!
//! `cargo test -p ecosuite-tests --test fuzz` runs a short, fixed-seed pass. A long run:
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

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..1 + rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let at = rng.below(lines.len());
        let indent: String = lines[at].chars().take_while(|c| *c == ' ').collect();
        match rng.below(8) {
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
        Ok(Ok(_)) => Ok("files"),
        Ok(Err(error)) => {
            assert!(!error.message.is_empty(), "an error always says something");
            Ok("error")
        }
        Err(panic) => Err(panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())),
    }
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
    let documents = corpus();
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
