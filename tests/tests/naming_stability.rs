//! Type names are stable: changing one part of the document does not rename types that
//! other parts made. Measured on the real change from the 2024-08 document to 2025-11.

use std::collections::BTreeMap;
use std::path::Path;

use ecosuite_generator::{build_model, Options};

/// Origin pointer -> type name, for every type.
fn names(file: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(file);
    let spec = std::fs::read(path).unwrap();
    let api = build_model(&spec, &Options::default()).unwrap();
    api.types.into_iter().map(|t| (t.origin, t.name)).collect()
}

#[test]
fn the_2025_changes_rename_no_existing_type() {
    let before = names("spec/history/ecosuite-2024-08.yaml");
    let after = names("spec/ecosuite.yaml");
    let renamed: Vec<String> = before
        .iter()
        .filter_map(|(origin, old)| {
            let new = after.get(origin)?;
            (new != old).then(|| format!("{origin}: {old} -> {new}"))
        })
        .collect();
    let kept = before.keys().filter(|o| after.contains_key(*o)).count();
    assert!(kept > 250, "most types keep their origin ({kept})");
    assert!(
        renamed.is_empty(),
        "renamed by the 2025-11 changes:\n{}",
        renamed.join("\n")
    );
}
