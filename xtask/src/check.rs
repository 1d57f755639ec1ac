//! `cargo xtask check`: fails when the checked-in client, the command line's or the mock's
//! generated modules are not what `generate` would write.

use std::path::Path;

use crate::drift;
use crate::failure::Failure;
use crate::fs;
use crate::generate::{self, CLI_OUT, COMMAND, MOCK_OUT, OUT, SPEC};

/// Enough of the diff to see what changed without burying the hint that fixes it.
const MAX_DIFF_LINES: usize = 40;

pub fn run(root: &Path) -> Result<(), Failure> {
    let (generated, _) = generate::run_generator_with_cli(&root.join(SPEC), &generate::options())?;
    let outputs = [
        (
            "generated client",
            OUT,
            generate::to_tree(generated.client.files),
        ),
        (
            "generated command line",
            CLI_OUT,
            generate::to_tree(generated.cli),
        ),
        (
            "generated mock",
            MOCK_OUT,
            generate::to_tree(generated.mock),
        ),
    ];
    let mut stale = false;
    for (what, dir, expected) in &outputs {
        let actual = fs::read_tree_or_empty(&root.join(dir))?;
        let drift = drift::compare(expected, &actual);
        if drift.is_empty() {
            outln!("{what} is up to date ({} files in {dir})", expected.len());
        } else {
            errln!(
                "{}",
                drift::report(&drift, expected, &actual, dir, MAX_DIFF_LINES)
            );
            stale = true;
        }
    }
    if stale {
        errln!("run `{COMMAND}` to update the checked-in code");
        return Err(Failure::Stale);
    }
    Ok(())
}
