//! The README's "Testing code that uses ecosuite" example, as written: the user's function and
//! its `#[cfg(test)]` tests (tests/build.rs makes each Rust block a module of this test binary,
//! so its `#[tokio::test]`s run here against `ecosuite-mock`).

include!(concat!(env!("OUT_DIR"), "/readme_testing.rs"));
