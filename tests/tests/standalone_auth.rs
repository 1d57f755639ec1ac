//! Clients generated for other documents authenticate as their `securitySchemes` say: for a
//! hand-written document with every kind of scheme, the Swagger Petstore (an API key in a
//! header) and Apache Polaris's catalog (OAuth2 client credentials and bearer tokens),
//! `cargo xtask generate --spec --out` writes a standalone crate, this test adds a call test
//! to it (`tests/fixtures/auth_calls/`) and runs that test, which calls the client against a
//! local HTTP server and checks what reached it.
//!
//! Slow on a cold cache, like the fixture compile test, with which it shares its target
//! directory (so dependencies compile once for both). Run with `--nocapture` to see progress.

mod common;

use std::path::Path;
use std::process::Command;

/// Crate name, document, call test (in `tests/fixtures/auth_calls/`).
const CRATES: &[(&str, &str, &str)] = &[
    (
        "auth_security",
        "tests/fixtures/security.yaml",
        "security.rs",
    ),
    (
        "auth_petstore3",
        "tests/fixtures/corpus/swagger-petstore--petstore3.yaml",
        "petstore3.rs",
    ),
    (
        "auth_polaris",
        "tests/fixtures/security/apache-polaris--bundled-polaris-catalog-service.yaml",
        "polaris.rs",
    ),
];

/// What the call tests need besides the crate's own dependencies: a runtime for
/// `#[tokio::test]` and a socket for the local server.
const DEV_DEPENDENCIES: &str = r#"
[dev-dependencies]
tokio = { version = "1", default-features = false, features = ["macros", "rt", "net", "io-util", "sync"] }
"#;

#[test]
fn standalone_clients_send_the_credentials_their_documents_describe() {
    let root = common::workspace_root();
    let target_dir = root.join("target/fixture-check");
    let calls = root.join("tests/fixtures/auth_calls");
    let mut failures = Vec::new();
    for (name, spec, test) in CRATES {
        let out = root.join("target/auth-crates").join(name);
        eprintln!("{name}: cargo xtask generate --spec {spec}");
        let generated = common::generate_standalone(spec, &out, name);
        if !generated.status.success() {
            failures.push(common::command_failure(
                name,
                "cargo xtask generate",
                &generated,
            ));
            continue;
        }
        common::pin_dependencies(&out);
        add_call_test(&out, &calls, test);

        eprintln!("{name}: cargo test --test calls");
        let tested = Command::new(env!("CARGO"))
            .current_dir(&out)
            .args(["test", "--quiet", "--color=never", "--test", "calls"])
            .env("CARGO_TARGET_DIR", &target_dir)
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        if !tested.status.success() {
            failures.push(common::command_failure(
                name,
                "cargo test --test calls",
                &tested,
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Puts the call test and its server into the generated crate, with their dev-dependencies.
fn add_call_test(out: &Path, calls: &Path, test: &str) {
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to)
            .unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", from.display(), to.display()));
    };
    copy(&calls.join(test), &out.join("tests/calls.rs"));
    copy(
        &calls.join("common/mod.rs"),
        &out.join("tests/common/mod.rs"),
    );
    let manifest = out.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    if !text.contains("[dev-dependencies]") {
        text.push_str(DEV_DEPENDENCIES);
        std::fs::write(&manifest, text).unwrap();
    }
}
