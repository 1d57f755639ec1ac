//! `cargo xtask check`: fails when the checked-in client is not what `generate` would write.

use std::path::Path;

use crate::drift;
use crate::failure::Failure;
use crate::fs;
use crate::generate::{self, COMMAND, OUT, SPEC};

/// Enough of the diff to see what changed without burying the hint that fixes it.
const MAX_DIFF_LINES: usize = 40;

pub fn run(root: &Path) -> Result<(), Failure> {
    let (files, _) = generate::run_generator(&root.join(SPEC), &generate::options())?;
    let expected = generate::to_tree(files.files);
    let actual = fs::read_tree_or_empty(&root.join(OUT))?;
    let drift = drift::compare(&expected, &actual);
    if drift.is_empty() {
        outln!("generated client is up to date ({} files)", expected.len());
        return Ok(());
    }
    errln!(
        "{}",
        drift::report(&drift, &expected, &actual, OUT, MAX_DIFF_LINES)
    );
    errln!("run `{COMMAND}` to update the checked-in client");
    Err(Failure::Stale)
}
