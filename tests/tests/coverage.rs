//! The checked-in client covers the whole document: every operation has its method, every
//! component schema its type, and inline types keep to the naming rules.
//!
//! The document is read here with a plain YAML parser, independently of the generator, so a
//! generator that silently drops an operation or a schema cannot pass.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where the generator puts operations without a tag (`client.untagged()`, in `untagged.rs`);
/// not `default`, which would read like `Default::default`.
const UNTAGGED: &str = "untagged";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn spec() -> serde_yaml::Value {
    let text = std::fs::read_to_string(workspace().join("spec/ecosuite.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// Every generated file under `dir` (relative to `generated/`), by path.
fn generated(dir: &str) -> BTreeMap<String, String> {
    let root = workspace().join("generated-client/src/generated").join(dir);
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.insert(name, std::fs::read_to_string(&path).unwrap());
    }
    files
}

/// `(kind, name)` of every public type item in the generated types.
fn type_items() -> Vec<(String, String)> {
    let mut items = Vec::new();
    for text in generated("types").values() {
        for line in text.lines() {
            for kind in ["struct", "enum", "type"] {
                if let Some(rest) = line.strip_prefix(&format!("pub {kind} ")) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    items.push((kind.to_string(), name));
                }
            }
        }
    }
    items
}

#[test]
fn every_operation_has_a_method() {
    let spec = spec();
    let operations = generated("operations");
    let mut missing = Vec::new();
    let mut count = 0;
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        let path = path.as_str().unwrap();
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            count += 1;
            // Each operation's method documents `METHOD /path` (operation `id`); an operation
            // without an operationId gets a derived one, so only the prefix is fixed then.
            let marker = match operation.get("operationId").and_then(|id| id.as_str()) {
                Some(id) => format!("`{} {path}` (operation `{id}`)", method.to_uppercase()),
                None => format!("`{} {path}` (operation `", method.to_uppercase()),
            };
            let tag = operation["tags"][0].as_str().unwrap_or(UNTAGGED);
            let file = format!("{}.rs", tag.replace('-', "_"));
            let text = operations.get(&file).map(String::as_str).unwrap_or("");
            if !text.contains(&marker) {
                missing.push(format!("{marker} in operations/{file}"));
            }
        }
    }
    assert_eq!(count, 185, "the pinned document has 185 operations");
    assert!(
        missing.is_empty(),
        "operations without a method:\n{}",
        missing.join("\n")
    );
}

/// The tests above look for an operation without a tag where the generator puts it: asked of
/// the generator itself, since the pinned document tags every operation.
#[test]
fn untagged_operations_are_where_the_tests_look() {
    let spec = br#"
openapi: '3.0.3'
info: {title: Untagged, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '204': {description: Listed}
"#;
    let options = ecosuite_generator::Options {
        spec_name: "untagged.yaml".into(),
        command: "cargo xtask generate".into(),
        ..ecosuite_generator::Options::default()
    };
    let files = ecosuite_generator::generate(spec, &options).unwrap().files;
    let file = format!("operations/{UNTAGGED}.rs");
    let text = files
        .get(&file)
        .unwrap_or_else(|| panic!("no {file} among {:?}", files.keys().collect::<Vec<_>>()));
    assert!(
        text.contains("`GET /things` (operation `listThings`)"),
        "{file} lacks the untagged operation:\n{text}"
    );
}

/// The command line has every operation too, under its method and path, so `ecosuite call
/// <operationId>` reaches anything the document offers.
#[test]
fn every_operation_has_a_command() {
    let spec = spec();
    let mut missing = Vec::new();
    let mut count = 0;
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        let path = path.as_str().unwrap();
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            count += 1;
            let method = method.to_uppercase();
            let found = ecosuite_cli::catalog::operations()
                .find(|op| op.method == method && op.path == path);
            match (
                found,
                operation.get("operationId").and_then(|id| id.as_str()),
            ) {
                (None, _) => missing.push(format!("{method} {path}")),
                (Some(op), Some(id)) if op.id != id => {
                    missing.push(format!("{method} {path} is `{}`, not `{id}`", op.id))
                }
                _ => {}
            }
        }
    }
    assert_eq!(count, 185, "the pinned document has 185 operations");
    assert_eq!(ecosuite_cli::catalog::operations().count(), count);
    assert!(
        missing.is_empty(),
        "operations the command line lacks:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_component_schema_has_a_type() {
    let spec = spec();
    let components: Vec<String> = spec["components"]["schemas"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        components.len(),
        103,
        "the pinned document has 103 component schemas"
    );
    let names: Vec<String> = type_items().into_iter().map(|(_, name)| name).collect();
    // Types follow Rust's naming convention, where acronyms are words (`RFIStored` becomes
    // `RfiStored`); names are otherwise kept, the typo in `ParamaeterStoreFormData` included.
    use heck::ToUpperCamelCase;
    let missing: Vec<&String> = components
        .iter()
        .filter(|c| !names.contains(&c.to_upper_camel_case()))
        .collect();
    assert!(
        missing.is_empty(),
        "component schemas without a type: {missing:?}"
    );
}

#[test]
fn type_names_are_short_and_unique() {
    let items = type_items();
    let names: std::collections::BTreeSet<&str> =
        items.iter().map(|(_, name)| name.as_str()).collect();
    // A struct's builder is its name and `Builder`: only the schema types' own names are
    // held to 40 characters.
    let is_builder = |name: &str| {
        name.strip_suffix("Builder")
            .is_some_and(|built| names.contains(built))
    };
    let too_long: Vec<&String> = items
        .iter()
        .map(|(_, name)| name)
        .filter(|name| name.len() > 40 && !is_builder(name))
        .collect();
    assert!(
        too_long.is_empty(),
        "type names over 40 characters: {too_long:?}"
    );
    let mut seen = std::collections::BTreeSet::new();
    let duplicates: Vec<&String> = items
        .iter()
        .map(|(_, name)| name)
        .filter(|name| !seen.insert(*name))
        .collect();
    assert!(
        duplicates.is_empty(),
        "type names defined twice: {duplicates:?}"
    );
}

#[test]
fn the_aggregation_enum_exists_once() {
    // The document repeats the same inline aggregation enum (year, month, day, hour,
    // 15minute, 5minute) for 34 parameters and properties; they must share one type.
    let with_15_minutes: usize = generated("types")
        .values()
        .map(|text| text.matches("\"15minute\" => Self::").count())
        .sum();
    assert_eq!(
        with_15_minutes, 1,
        "the aggregation enum must be generated exactly once"
    );
    let energy = &generated("types")["energy.rs"];
    assert!(
        energy.contains("pub enum Aggregation {"),
        "it is called `Aggregation`"
    );
}

#[test]
fn every_tag_has_an_accessor() {
    let spec = spec();
    let accessors = &generated("operations")["mod.rs"];
    for tag in spec["tags"].as_sequence().unwrap() {
        let tag = tag["name"].as_str().unwrap();
        let accessor = format!("pub fn {}(&self)", tag.replace('-', "_"));
        assert!(
            accessors.contains(&accessor),
            "no `client.{tag}()` accessor"
        );
    }
}

/// The mock (`ecosuite-mock`) has every operation too: its expectation method documents the
/// operation's method, path and operationId, in the tag's file.
#[test]
fn every_operation_has_a_mock_method() {
    let spec = spec();
    let dir = workspace().join("mock/src/generated");
    let mut missing = Vec::new();
    let mut count = 0;
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        let path = path.as_str().unwrap();
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            count += 1;
            let marker = match operation.get("operationId").and_then(|id| id.as_str()) {
                Some(id) => format!(
                    "Expects `{} {path}` (operation `{id}`)",
                    method.to_uppercase()
                ),
                None => format!("Expects `{} {path}` (operation `", method.to_uppercase()),
            };
            let tag = operation["tags"][0].as_str().unwrap_or(UNTAGGED);
            let file = format!("{}.rs", tag.replace('-', "_"));
            let text = std::fs::read_to_string(dir.join(&file)).unwrap_or_default();
            if !text.contains(&marker) {
                missing.push(format!("{marker} in mock/src/generated/{file}"));
            }
        }
    }
    assert_eq!(count, 185, "the pinned document has 185 operations");
    assert!(
        missing.is_empty(),
        "operations without a mock method:\n{}",
        missing.join("\n")
    );
}
