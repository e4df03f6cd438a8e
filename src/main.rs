fn main() -> std::process::ExitCode {
    akoctl::cli::main()
}
