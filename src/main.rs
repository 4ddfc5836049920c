//! The `rlct` command: thin glue over the library (see `rlct::cli`).
fn main() -> std::process::ExitCode {
    rlct::cli::main()
}
