/// mimalloc: `compile -o json` builds and frees a `Value` tree per object
/// (bodies are kept as text, `compile::compile_lean`), which glibc's malloc
/// makes about 40% slower; mimalloc frees them for less than it costs to
/// build them. Built without transparent huge pages (`no_thp`): with them,
/// page faults stall in the kernel's memory compaction (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    akoctl::cli::main()
}
