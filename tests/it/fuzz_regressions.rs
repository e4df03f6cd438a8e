//! Inputs the fuzz targets (`fuzz/`) once crashed on, replayed through the
//! same library functions: `testdata/fuzz-regressions/<target>/<file>`. Each
//! must return (an error is fine) without panicking, without breaking an
//! invariant the target checks, and quickly.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use akoctl::fuzzing;

type Target = fn(&[u8]) -> Result<usize, String>;

const TARGETS: [(&str, Target); 5] = [
    ("manifest", fuzzing::manifest),
    ("values", fuzzing::values),
    ("compile", fuzzing::compile),
    ("planfile", fuzzing::planfile),
    ("controller", fuzzing::controller),
];

/// Generous for a debug build; the fuzzer's own timeout is what found slow inputs.
const TIME_LIMIT: Duration = Duration::from_secs(20);

#[test]
fn fuzz_regressions_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz-regressions");
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (name, target) in TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
            .collect();
        files.sort();
        for f in files {
            let data = match std::fs::read(&f) {
                Ok(d) => d,
                Err(e) => {
                    failures.push(format!("{}: {e}", f.display()));
                    continue;
                }
            };
            replayed += 1;
            let started = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| target(&data)));
            let took = started.elapsed();
            match outcome {
                Err(_) => failures.push(format!("{}: panicked", f.display())),
                Ok(Err(e)) if e.starts_with(fuzzing::INVARIANT) => {
                    failures.push(format!("{}: {e}", f.display()))
                }
                Ok(_) if took > TIME_LIMIT => {
                    failures.push(format!("{}: took {took:?}", f.display()))
                }
                Ok(_) => {}
            }
        }
    }
    assert!(
        replayed > 0,
        "no regression inputs found under {}",
        root.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The entry points do real work on honest input: the examples compile to
/// objects under their own settings, and plan against themselves to nothing.
#[test]
fn entry_points_accept_the_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/examples");
    for (choice, example) in ["quickstart", "evh", "openshift"].iter().enumerate() {
        let dir = root.join(example).join("manifests");
        let mut files: Vec<_> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(e) => panic!("{}: {e}", dir.display()),
        };
        files.sort();
        let mut text = Vec::new();
        for f in files {
            match std::fs::read(&f) {
                Ok(b) => {
                    text.extend_from_slice(b"\n---\n");
                    text.extend(b);
                }
                Err(e) => panic!("{}: {e}", f.display()),
            }
        }
        assert!(fuzzing::manifest(&text).is_ok(), "{example}");
        let mut input = vec![u8::try_from(choice).unwrap_or(0)];
        input.extend(&text);
        match fuzzing::compile(&input) {
            Ok(n) => assert!(n > 0, "{example}: no objects"),
            Err(e) => panic!("{example}: {e}"),
        }
    }
}
