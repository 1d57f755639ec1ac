//! `cargo xtask fidelity SPEC...`: does every type of a document survive decode then encode?
//!
//! For each document: the IR is built, and for every component schema the generator's
//! instance generator makes a JSON value with every property filled and an undeclared key
//! in every open object (`ecosuite_generator::instances`, `Fill::All`). An independent
//! JSON Schema validator (the `jsonschema` crate) checks the instance against the schema,
//! so a wrong instance is told apart from a lossy client. Then the client crate is generated
//! (as `cargo xtask generate --spec` does) with a small binary, `src/bin/roundtrip.rs`,
//! that decodes each instance into its type, encodes it again and prints the result. The
//! result must equal the instance, compared as the client promises: key order aside, numbers
//! by value, date-times as the same instant, and a `null` may come back absent.
//!
//! Prints per document `N/M types round-trip` and, per failure, the type and the first JSON
//! path where the two differ (`FAIL` lines); instances the validator rejects are named too
//! (`INVALID` lines, or a note on the `FAIL` line): for them the instance generator is wrong. All harness crates build in one target directory
//! (`target/fidelity/build` unless `--target-dir` says otherwise), so dependencies compile once.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use ecosuite_generator::instances::{Fill, Instances};
use ecosuite_generator::model::{TypeDef, TypeId, TypeRef};
use ecosuite_generator::Options;
use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::{fs, standalone};

#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub specs: Vec<PathBuf>,
    /// Where the harness crates build; `target/fidelity/build` by default.
    pub target_dir: Option<PathBuf>,
    /// Build with `RUSTFLAGS=-D warnings`, as the compile test does, so the two can share a
    /// target directory.
    pub deny_warnings: bool,
}

/// What became of one document.
#[derive(Debug)]
pub struct Report {
    pub spec: String,
    /// Component types checked.
    pub types: usize,
    /// Component types that are binary (`type: string, format: binary`): bodies the client
    /// sends and receives as bytes, never as JSON, so they have no JSON round trip to check.
    pub binary: Vec<String>,
    pub failures: Vec<TypeFailure>,
    /// Types that round-trip although the validator rejects their instance: (type, why).
    /// The instance generator is wrong for them, so their round trip proves less.
    pub invalid: Vec<(String, String)>,
    /// Why the document could not be checked at all (generation or build failed).
    pub skipped: Option<String>,
}

#[derive(Debug)]
pub struct TypeFailure {
    /// The Rust type's name.
    pub type_name: String,
    /// What differs, starting with the JSON path (`/a/0/b: ...`), or the decode error.
    pub difference: String,
    /// The validator's first complaint about the instance: then the instance generator is
    /// wrong, not (necessarily) the client.
    pub invalid_instance: Option<String>,
}

impl Report {
    fn summary(&self) -> String {
        match &self.skipped {
            Some(why) => format!("{}: skipped ({})", self.spec, one_line(why)),
            None => {
                let invalid = self.invalid.len()
                    + self
                        .failures
                        .iter()
                        .filter(|f| f.invalid_instance.is_some())
                        .count();
                let mut notes = Vec::new();
                if invalid > 0 {
                    notes.push(format!("{invalid} instances invalid"));
                }
                if !self.binary.is_empty() {
                    notes.push(format!(
                        "{} binary, not JSON: {}",
                        self.binary.len(),
                        self.binary.join(", ")
                    ));
                }
                format!(
                    "{}: {}/{} types round-trip{}",
                    self.spec,
                    self.types - self.failures.len(),
                    self.types,
                    if notes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", notes.join("; "))
                    }
                )
            }
        }
    }
}

pub fn run(root: &Path, request: &Request) -> Result<(), Failure> {
    if request.specs.is_empty() {
        return Err(Failure::Usage(
            "`fidelity` needs at least one document".into(),
        ));
    }
    let target_dir = request
        .target_dir
        .clone()
        .unwrap_or_else(|| root.join("target/fidelity/build"));
    let mut reports = Vec::new();
    for spec in &request.specs {
        errln!("fidelity: {}", spec.display());
        let report = check_document(root, spec, &target_dir, request.deny_warnings);
        outln!("{}", report.summary());
        for failure in &report.failures {
            outln!("{}", failure_line(failure));
        }
        for (type_name, why) in &report.invalid {
            outln!(
                "  INVALID {type_name}: the validator rejects the instance: {}",
                one_line(why)
            );
        }
        reports.push(report);
    }
    let types: usize = reports
        .iter()
        .filter(|r| r.skipped.is_none())
        .map(|r| r.types)
        .sum();
    let failed: usize = reports.iter().map(|r| r.failures.len()).sum();
    let skipped = reports.iter().filter(|r| r.skipped.is_some()).count();
    outln!(
        "\ntotal: {}/{types} types round-trip in {} documents{}",
        types - failed,
        reports.len() - skipped,
        if skipped > 0 {
            format!(" ({skipped} skipped)")
        } else {
            String::new()
        }
    );
    if failed > 0 || skipped > 0 {
        return Err(Failure::Spec(format!(
            "{failed} types do not round-trip, {skipped} documents skipped"
        )));
    }
    Ok(())
}

/// `  FAIL Type: /path: what differs [instance rejected by the validator: why]`
fn failure_line(failure: &TypeFailure) -> String {
    let mut line = format!("  FAIL {}: {}", failure.type_name, failure.difference);
    if let Some(why) = &failure.invalid_instance {
        let _ = write!(line, " [instance rejected by the validator: {why}]");
    }
    one_line(&line)
}

/// Line breaks (in a schema's `pattern`, say) written as `\n`, so each report is one line.
fn one_line(text: &str) -> String {
    text.replace('\r', "\\r").replace('\n', "\\n")
}

fn check_document(root: &Path, spec: &Path, target_dir: &Path, deny_warnings: bool) -> Report {
    let file = spec.file_name().map_or_else(
        || spec.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut report = Report {
        spec: spec.display().to_string(),
        types: 0,
        binary: Vec::new(),
        failures: Vec::new(),
        invalid: Vec::new(),
        skipped: None,
    };
    match check(root, spec, &file, target_dir, deny_warnings, &mut report) {
        Ok(()) => {}
        Err(why) => report.skipped = Some(why),
    }
    report
}

fn check(
    root: &Path,
    spec: &Path,
    file: &str,
    target_dir: &Path,
    deny_warnings: bool,
    report: &mut Report,
) -> Result<(), String> {
    let bytes = fs::read(spec).map_err(|e| e.to_string())?;
    let options = Options {
        spec_name: file.to_string(),
        command: format!("cargo xtask fidelity ({file})"),

        ..Options::default()
    };
    let api = ecosuite_generator::build_model(&bytes, &options)
        .map_err(|e| format!("generation: {e}"))?;
    let files = ecosuite_generator::generate_from_model(&api, &options)
        .map_err(|e| format!("generation: {e}"))?;

    let is_binary =
        |index: usize| api.resolve_alias(&TypeRef::Named(TypeId(index))) == &TypeRef::Bytes;
    let mut components: Vec<&TypeDef> = Vec::new();
    let instances = Instances::new(&api, Fill::All);
    let mut values = Map::new();
    for (index, def) in api.types.iter().enumerate() {
        if def.component.is_none() {
            continue;
        }
        if is_binary(index) {
            report.binary.push(def.name.clone());
            continue;
        }
        let ty = TypeRef::Named(TypeId(index));
        values.insert(def.name.clone(), instances.value(&ty));
        components.push(def);
    }
    report.types = components.len();

    // The independent check of the instances, against the document's own schemas.
    let document = parse_document(&bytes)?;
    let targets: Vec<(&str, &str)> = components
        .iter()
        .filter_map(|def| Some((def.name.as_str(), def.component.as_deref()?)))
        .collect();
    let validation = validate(&document, &targets, &values);

    // The client crate and its harness, built and run.
    let name = standalone::crate_name_for("fidelity_", file);
    let out = root.join("target/fidelity").join(&name);
    let mut tree = standalone::crate_tree(root, &name, file, files.files)
        .map_err(|e| format!("writing the crate: {e}"))?;
    tree.insert(
        "src/bin/roundtrip.rs".into(),
        harness(&name, &components).into_bytes(),
    );
    with_harness_dependency(&mut tree)?;
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        // The workspace's versions, so the shared target directory is reused.
        tree.insert("Cargo.lock".into(), lock);
    }
    let instances_text =
        serde_json::to_vec_pretty(&Value::Object(values.clone())).map_err(|e| e.to_string())?;
    tree.insert("instances.json".into(), instances_text);
    let _ = std::fs::remove_dir_all(&out);
    fs::replace_dir(&out, &tree, &[]).map_err(|e| format!("writing the crate: {e}"))?;

    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // CARGO_ENCODED_RUSTFLAGS would take precedence over RUSTFLAGS.
    cargo.env_remove("CARGO_ENCODED_RUSTFLAGS");
    if deny_warnings {
        cargo.env("RUSTFLAGS", "-D warnings");
    }
    let output = cargo
        .args([
            "run",
            "--quiet",
            "--message-format",
            "short",
            "--bin",
            "roundtrip",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .arg("--")
        .arg(out.join("instances.json"))
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| l.contains("error"))
            .unwrap_or("the harness failed")
            .replace(&format!("{}/", out.display()), "");
        return Err(format!("build: {first}"));
    }
    let results: Map<String, Value> = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the harness printed no JSON object: {e}"))?;

    for def in &components {
        let expected = &values[&def.name];
        let difference = match results.get(&def.name) {
            None => Some("the harness did not answer".to_string()),
            Some(Value::Object(result)) => match (result.get("encoded"), result.get("error")) {
                (Some(encoded), _) => first_difference(expected, encoded, &mut String::new()),
                (None, Some(error)) => Some(format!(
                    "decode failed: {}",
                    error.as_str().unwrap_or_default()
                )),
                (None, None) => Some("the harness answered nothing".to_string()),
            },
            Some(other) => Some(format!("the harness answered {other}")),
        };
        let invalid_instance = validation.get(&def.name).cloned();
        match (difference, invalid_instance) {
            (Some(difference), invalid_instance) => report.failures.push(TypeFailure {
                type_name: def.name.clone(),
                difference,
                invalid_instance,
            }),
            (None, Some(why)) => report.invalid.push((def.name.clone(), why)),
            (None, None) => {}
        }
    }
    Ok(())
}

/// The document as JSON; integers beyond 64 bits (`minimum: -9223372036854775809`) become
/// floats.
fn parse_document(bytes: &[u8]) -> Result<Value, String> {
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut text = String::from_utf8_lossy(bytes).into_owned();
    // No YAML value type holds integers beyond 64 bits: each one the reader names is made a
    // float (`-9223372036854775809.0`) and the text read again.
    for _ in 0..1000 {
        let error = match serde_yaml::from_str::<serde_yaml::Value>(&text) {
            Ok(yaml) => return Ok(yaml_to_json(yaml)),
            Err(error) => error,
        };
        let message = error.to_string();
        let oversized = message.contains(" as i128") || message.contains(" as u128");
        let place = error.location().filter(|_| oversized);
        let Some(place) = place else {
            return Err(format!("the document is neither JSON nor YAML: {message}"));
        };
        let line_start = match place.line() {
            0 | 1 => 0,
            line => text
                .match_indices('\n')
                .nth(line - 2)
                .map_or(0, |(i, _)| i + 1),
        };
        let start = text[line_start..]
            .char_indices()
            .nth(place.column().saturating_sub(1))
            .map_or(text.len(), |(i, _)| line_start + i);
        let digits = text[start..]
            .char_indices()
            .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+')))
            .count();
        if digits == 0 {
            return Err(format!("the document is neither JSON nor YAML: {message}"));
        }
        text.insert_str(start + digits, ".0");
    }
    Err("the document has too many integers beyond 64 bits".into())
}

fn yaml_to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Yaml;
    match value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Value::from(i),
            (_, Some(u), _) => Value::from(u),
            (_, _, Some(f)) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            _ => Value::Null,
        },
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Yaml::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let key = match key {
                        Yaml::String(s) => s,
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim_end()
                            .to_string(),
                    };
                    (key, yaml_to_json(value))
                })
                .collect(),
        ),
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// The harness: decodes each instance of `instances.json` into its type and prints
/// `{"Type": {"encoded": ...} | {"error": "..."}}`. Each type's round trip is a function
/// pointer in a table (one small frame, whatever the number of types), run on a thread with a
/// large stack: debug builds of deeply nested types take a lot of it.
fn harness(crate_name: &str, components: &[&TypeDef]) -> String {
    let mut arms = String::new();
    for def in components {
        let _ = writeln!(
            arms,
            "        {:?} => round_trip::<{crate_name}::types::{}>,",
            def.name, def.name
        );
    }
    format!(
        r#"//! Written by `cargo xtask fidelity`: decode each instance into its type, encode it again.
// Types may be deprecated; a document without types leaves the lookup's end unreachable.
#![allow(deprecated, dead_code, unreachable_code, unused_variables)]

type RoundTrip = fn(&str) -> Result<serde_json::Value, String>;

fn main() {{
    let path = std::env::args().nth(1).expect("the instances file");
    let text = std::fs::read_to_string(&path).expect("the instances file is readable");
    let worker = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || run(&text))
        .expect("a thread");
    println!("{{}}", worker.join().expect("the round trips finish"));
}}

fn run(text: &str) -> serde_json::Value {{
    let instances: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).expect("the instances file is a JSON object");
    let mut results = serde_json::Map::new();
    for (name, instance) in instances {{
        let result = match round_trip_of(&name) {{
            Some(round_trip) => round_trip(&instance.to_string()),
            None => Err("no such type".to_string()),
        }};
        let result = match result {{
            Ok(encoded) => serde_json::json!({{ "encoded": encoded }}),
            Err(error) => serde_json::json!({{ "error": error }}),
        }};
        results.insert(name, result);
    }}
    serde_json::Value::Object(results)
}}

fn round_trip_of(name: &str) -> Option<RoundTrip> {{
    let round_trip: RoundTrip = match name {{
{arms}        _ => return None,
    }};
    Some(round_trip)
}}

/// Decodes as the client decodes a body (from text, the failing path named), then encodes as
/// the client encodes one (to text).
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    text: &str,
) -> Result<serde_json::Value, String> {{
    let mut decoder = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut decoder)
        .map_err(|e| format!("at {{}}: {{}}", e.path(), e.inner()))?;
    let encoded = serde_json::to_string(&value).map_err(|e| format!("encode: {{e}}"))?;
    serde_json::from_str(&encoded).map_err(|e| format!("encoded text: {{e}}"))
}}
"#
    )
}

/// The first place where `actual` (what the client wrote back) differs from `expected` (the
/// instance), as `/json/path: what`; `None` when they are the same in the client's sense.
pub fn first_difference(expected: &Value, actual: &Value, path: &mut String) -> Option<String> {
    let at = |path: &str| {
        if path.is_empty() {
            "/".to_string()
        } else {
            path.to_string()
        }
    };
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in expected {
                let len = path.len();
                path.push('/');
                path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                let found = match actual.get(key) {
                    // A `null` may come back absent.
                    None if value.is_null() => None,
                    None => Some(format!("{}: missing (was {})", at(path), short(value))),
                    Some(actual) => first_difference(value, actual, path),
                };
                if found.is_some() {
                    return found;
                }
                path.truncate(len);
            }
            actual
                .iter()
                .find(|(key, _)| !expected.contains_key(*key))
                .map(|(key, value)| format!("{}/{key}: added ({})", path, short(value)))
        }
        (Value::Array(expected), Value::Array(actual)) => {
            if expected.len() != actual.len() {
                return Some(format!(
                    "{}: {} items, was {}",
                    at(path),
                    actual.len(),
                    expected.len()
                ));
            }
            for (index, (expected, actual)) in expected.iter().zip(actual).enumerate() {
                let len = path.len();
                let _ = write!(path, "/{index}");
                let found = first_difference(expected, actual, path);
                if found.is_some() {
                    return found;
                }
                path.truncate(len);
            }
            None
        }
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(a), Some(b), _, _) => a == b,
                (_, _, Some(a), Some(b)) => a == b,
                _ => a.as_f64() == b.as_f64(),
            };
            (!same).then(|| format!("{}: {b}, was {a}", at(path)))
        }
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) => None,
        (a, b) if a == b => None,
        (a, b) => Some(format!("{}: {}, was {}", at(path), short(b), short(a))),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A value for a message, at most 80 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}...", text.chars().take(77).collect::<String>())
    } else {
        text
    }
}

/// Checks each instance against its component schema; returns the first error per type the
/// validator rejects.
///
/// OpenAPI 3.0 schemas are JSON Schema (draft 4 in what matters here: `exclusiveMinimum` is a
/// boolean) with differences that this translation removes, so a JSON Schema validator can
/// read them:
/// - `nullable: true` becomes `null` added to `type` (and to `enum`), or, beside no `type`,
///   an `anyOf` with `{"type": "null"}`;
/// - `$ref`s to `#/components/schemas/...` stay as they are: each component is checked as
///   `{"$ref": "#/components/schemas/Name"}` inside a copy of the document's `components`,
///   so they resolve against the document.
///
/// OpenAPI's own keywords (`discriminator`, `readOnly`, `xml`, `example`, `x-...`) mean
/// nothing to a JSON Schema validator, which ignores them; formats are checked.
///
/// `targets` are (Rust type name, component name) pairs; `instances` are keyed by type name.
fn validate(
    document: &Value,
    targets: &[(&str, &str)],
    instances: &Map<String, Value>,
) -> BTreeMap<String, String> {
    let mut schemas = document
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    // A 3.1 document's schemas are JSON Schema 2020-12 already.
    let openapi_31 = document
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    let draft = if openapi_31 {
        exclusive_bounds_as_numbers(&mut schemas);
        jsonschema::Draft::Draft202012
    } else {
        translate_map(&mut schemas);
        jsonschema::Draft::Draft4
    };
    // One schema for all types, so each component compiles once: an object whose property
    // `Type` is the component's schema, checked against the object of all instances.
    // Components the document does not write (a 3.1 `$defs` entry or an inline enum the
    // generator moved to `components/schemas`) are checked inside the schemas using them.
    let properties: Map<String, Value> = targets
        .iter()
        .filter(|(_, component)| schemas.get(*component).is_some())
        .map(|(name, component)| {
            let pointer = format!(
                "#/components/schemas/{}",
                component.replace('~', "~0").replace('/', "~1")
            );
            (name.to_string(), serde_json::json!({ "$ref": pointer }))
        })
        .collect();
    let schema = serde_json::json!({
        "type": "object",
        "properties": properties,
        "components": {"schemas": schemas},
    });
    let mut rejected = BTreeMap::new();
    let validator = match jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .build(&schema)
    {
        Ok(validator) => validator,
        Err(e) => {
            for (name, _) in targets {
                rejected.insert(name.to_string(), format!("the schemas do not compile: {e}"));
            }
            return rejected;
        }
    };
    let instances = Value::Object(instances.clone());
    for error in validator.iter_errors(&instances) {
        let path = error.instance_path().to_string();
        let mut segments = path.trim_start_matches('/').splitn(2, '/');
        let name = segments.next().unwrap_or_default().to_string();
        let rest = format!("/{}", segments.next().unwrap_or_default());
        rejected
            .entry(name)
            .or_insert_with(|| format!("{rest}: {error}"));
    }
    rejected
}

/// OpenAPI 3.0 -> JSON Schema, in place, for a map of schemas (`components/schemas`,
/// `properties`): see [`validate`].
fn translate_map(schemas: &mut Value) {
    if let Value::Object(schemas) = schemas {
        schemas.values_mut().for_each(translate);
    }
}

/// OpenAPI 3.0 -> JSON Schema, in place, for one schema and the schemas inside it; examples,
/// defaults, enums and extensions are values, not schemas, and are left as written.
fn translate(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    for (key, child) in object.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "definitions" => translate_map(child),
            "items" | "additionalProperties" | "not" => match child {
                Value::Array(items) => items.iter_mut().for_each(translate),
                child => translate(child),
            },
            "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(members) = child {
                    members.iter_mut().for_each(translate);
                }
            }
            _ => {}
        }
    }
    if object.get("nullable") == Some(&Value::Bool(true)) {
        object.remove("nullable");
        if let Some(Value::Array(values)) = object.get_mut("enum") {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
        match object.get_mut("type") {
            Some(Value::String(ty)) => {
                let ty = std::mem::take(ty);
                object.insert("type".into(), serde_json::json!([ty, "null"]));
            }
            Some(_) => {}
            None => {
                let rest = Value::Object(std::mem::take(object));
                object.insert("anyOf".into(), serde_json::json!([rest, {"type": "null"}]));
            }
        }
    }
}

/// 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` (beside `minimum`/`maximum`), which
/// some 3.1 documents still write (OpenAI's), as the numbers JSON Schema 2020-12 wants: the
/// validator refuses to compile a schema with the boolean form.
fn exclusive_bounds_as_numbers(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (exclusive, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if let Some(Value::Bool(flag)) = object.get(exclusive) {
                    let flag = *flag;
                    object.remove(exclusive);
                    if flag {
                        if let Some(number) = object.remove(bound) {
                            object.insert(exclusive.into(), number);
                        }
                    }
                }
            }
            object.values_mut().for_each(exclusive_bounds_as_numbers);
        }
        Value::Array(items) => items.iter_mut().for_each(exclusive_bounds_as_numbers),
        _ => {}
    }
}

/// The harness names the first differing JSON path with `serde_path_to_error`, which the client
/// itself does not depend on: added to the crate's manifest for the harness alone.
fn with_harness_dependency(tree: &mut crate::fs::Tree) -> Result<(), String> {
    let manifest = tree
        .get_mut("Cargo.toml")
        .ok_or("the generated crate has no Cargo.toml")?;
    let text = String::from_utf8(std::mem::take(manifest)).map_err(|e| e.to_string())?;
    let text = text.replacen(
        "[dependencies]\n",
        "[dependencies]\nserde_path_to_error = \"0.1\"\n",
        1,
    );
    *manifest = text.into_bytes();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn boolean_exclusive_bounds_become_numbers() {
        let mut schema = json!({
            "a": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
            "b": {"type": "number", "maximum": 9, "exclusiveMaximum": false},
            "c": {"type": "number", "exclusiveMinimum": 1},
        });
        exclusive_bounds_as_numbers(&mut schema);
        assert_eq!(
            schema,
            json!({
                "a": {"type": "number", "exclusiveMinimum": 0},
                "b": {"type": "number", "maximum": 9},
                "c": {"type": "number", "exclusiveMinimum": 1},
            })
        );
    }

    fn diff(expected: Value, actual: Value) -> Option<String> {
        first_difference(&expected, &actual, &mut String::new())
    }

    #[test]
    fn compares_as_the_client_promises() {
        assert_eq!(
            diff(json!({"a": 1, "b": 2}), json!({"b": 2.0, "a": 1})),
            None
        );
        assert_eq!(
            diff(
                json!({"t": "2024-02-29T23:59:58.123Z"}),
                json!({"t": "2024-03-01T01:59:58.123+02:00"})
            ),
            None
        );
        assert_eq!(diff(json!({"a": null}), json!({})), None);
        assert_eq!(
            diff(json!({"a": [1, {"b": "x"}]}), json!({"a": [1, {"b": "y"}]})),
            Some("/a/1/b: \"y\", was \"x\"".into())
        );
        assert_eq!(
            diff(json!({"a": {"k": 1}}), json!({"a": {}})),
            Some("/a/k: missing (was 1)".into())
        );
        assert_eq!(
            diff(json!({}), json!({"z": null})),
            Some("/z: added (null)".into())
        );
        assert_eq!(
            diff(json!(3_000_000_000u64), json!(-1294967296)),
            Some("/: -1294967296, was 3000000000".into())
        );
    }

    #[test]
    fn the_validator_reads_openapi_schemas() {
        let document = json!({"components": {"schemas": {
            "A": {
                "type": "object",
                "required": ["b"],
                "properties": {
                    "b": {"$ref": "#/components/schemas/B"},
                    "e": {"type": "string", "format": "email"},
                    "n": {"type": "string", "nullable": true},
                },
                "additionalProperties": false,
            },
            "B": {"type": "integer", "minimum": 1},
        }}});
        let check = |instance: Value| {
            let instances = json!({ "A": instance });
            validate(&document, &[("A", "A")], instances.as_object().unwrap()).remove("A")
        };
        assert_eq!(
            check(json!({"b": 1, "e": "a@example.com", "n": null})),
            None
        );
        for (bad, path) in [
            (json!({"b": 0}), "/b"),
            (json!({"b": 1, "e": "not an email"}), "/e"),
            (json!({"b": 1, "x": 1}), "/"),
            (json!({"e": "a@example.com"}), "/"),
        ] {
            let why = check(bad.clone()).unwrap_or_else(|| panic!("{bad} passed"));
            assert!(why.starts_with(&format!("{path}: ")), "{bad}: {why}");
        }
    }

    #[test]
    fn reads_yaml_with_integers_beyond_64_bits() {
        let text =
            "a:\r\n  b: 1\r\n  minimum: -9223372036854775809\r\n  max: 18446744073709551616\r\n";
        let document = parse_document(text.as_bytes()).unwrap();
        assert_eq!(document["a"]["b"], 1);
        assert!(document["a"]["minimum"].as_f64().unwrap() < -9.2e18);
        assert!(document["a"]["max"].as_f64().unwrap() > 1.8e19);
    }

    #[test]
    fn translates_nullable() {
        let mut schema = json!({
            "a": {"type": "string", "nullable": true, "enum": ["x"]},
            "b": {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true},
            "c": {"type": "object", "properties": {"nullable": {"type": "integer"}}},
        });
        translate_map(&mut schema);
        assert_eq!(
            schema,
            json!({
                "a": {"type": ["string", "null"], "enum": ["x", null]},
                "b": {"anyOf": [{"allOf": [{"$ref": "#/components/schemas/B"}]}, {"type": "null"}]},
                "c": {"type": "object", "properties": {"nullable": {"type": "integer"}}},
            })
        );
    }
}
