//! The hand-written runtimes depend on nothing generated: generated code calls the runtime
//! (and hands it what it needs, such as the default base URL or the document's operations),
//! never the reverse. The runtimes are copied verbatim into standalone crates, and a runtime
//! that named generated items would tie them to what one document generates.

mod common;

use std::path::Path;

/// The runtimes, relative to the workspace root.
const RUNTIMES: &[&str] = &["generated-client/src/runtime", "mock/src/runtime"];

/// What a runtime file must not say.
const FORBIDDEN: &str = "crate::generated";

#[test]
fn runtimes_name_nothing_generated() {
    let offences = lines_containing(RUNTIMES, FORBIDDEN);
    assert!(
        offences.is_empty(),
        "the runtime names generated code ({FORBIDDEN}); have the generated code hand the \
         runtime what it needs instead:\n{}",
        offences.join("\n")
    );
}

/// The client's runtime is every generated crate's: Ecosuite's Cognito module builds on it,
/// never the reverse (standalone crates do not have that module).
#[test]
fn the_client_runtime_uses_nothing_particular_to_ecosuite() {
    let offences = lines_containing(&["generated-client/src/runtime"], "cognito::");
    assert!(
        offences.is_empty(),
        "the core runtime uses Ecosuite's Cognito module; move what it needs into the \
         runtime or turn it around:\n{}",
        offences.join("\n")
    );
}

/// `path:line: text` of every line of the `.rs` files under `dirs` that contains `needle`.
fn lines_containing(dirs: &[&str], needle: &str) -> Vec<String> {
    let root = common::workspace_root();
    let mut offences = Vec::new();
    let mut files = 0;
    for runtime in dirs {
        let dir = root.join(runtime);
        assert!(dir.is_dir(), "{runtime} is missing");
        visit(&root, &dir, &mut |relative, text| {
            files += 1;
            for (number, line) in text.lines().enumerate() {
                if line.contains(needle) {
                    offences.push(format!("{relative}:{}: {}", number + 1, line.trim()));
                }
            }
        });
    }
    assert!(files > 0, "no runtime files found");
    offences
}

/// Calls `f` with the `/`-separated path (relative to `root`) and text of every `.rs` file
/// under `dir`.
fn visit(root: &Path, dir: &Path, f: &mut dyn FnMut(&str, &str)) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            visit(root, &path, f);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            f(&relative, &text);
        }
    }
}
