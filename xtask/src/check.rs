//! `cargo xtask check`: fails when the checked-in client, the command line's or the mock's
//! generated modules are not what `generate` would write. The comparison and its report are
//! the generator's `freshness` module, which the drift test uses too.

use std::path::Path;

use ecosuite_generator::freshness;

use crate::failure::Failure;
use crate::generate::{self, CLI_OUT, COMMAND, MOCK_OUT, OUT, SPEC};

pub fn run(root: &Path) -> Result<(), Failure> {
    let (generated, _) = generate::run_generator_with_cli(&root.join(SPEC), &generate::options())?;
    let outputs = [
        (
            "generated client",
            OUT,
            freshness::text_tree(generated.client.files),
        ),
        (
            "generated command line",
            CLI_OUT,
            freshness::text_tree(generated.cli),
        ),
        (
            "generated mock",
            MOCK_OUT,
            freshness::text_tree(generated.mock),
        ),
    ];
    let mut stale = false;
    for (what, dir, expected) in &outputs {
        match freshness::check(root, dir, expected, COMMAND)
            .map_err(|e| Failure::Io(e.to_string()))?
        {
            None => outln!("{what} is up to date ({} files in {dir})", expected.len()),
            Some(report) => {
                errln!("{report}");
                stale = true;
            }
        }
    }
    if stale {
        return Err(Failure::Stale);
    }
    Ok(())
}
