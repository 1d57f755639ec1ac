//! Tests for the generator and the `ecosuite` client live in `tests/tests/`. This library
//! only makes the README's Rust example a doctest, so the documented usage keeps compiling.
#![doc = include_str!("../../README.md")]
