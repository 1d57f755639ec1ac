//! The `ecosuite` binary; everything is in the library, which the tests reach too.

fn main() -> std::process::ExitCode {
    ecosuite_cli::main()
}
