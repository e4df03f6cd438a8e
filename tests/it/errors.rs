//! The bad-input catalogue: every folder of `testdata/errors/` is one bad
//! input run through the real binary (format in `testdata/errors/README.md`).
//! Each must end with exit status 1, a message naming the file and the
//! position, the fragments its `expect.txt` lists, no panic, nothing on
//! stdout, within a time limit and (on Unix) an address-space limit.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;

const DIR: &str = "testdata/errors";
const EXAMPLE: &str = "testdata/examples/quickstart";
/// Wall-clock limit per case (debug build, shared machine).
const TIME_LIMIT: Duration = Duration::from_secs(90);
/// Address-space limit per case, in KiB.
const MEMORY_LIMIT_KIB: u64 = 4 * 1024 * 1024;

/// One case's `expect.txt`.
#[derive(Debug, Default)]
struct Expect {
    generate: Option<String>,
    location: Option<String>,
    stderr: Vec<String>,
}

fn parse_expect(text: &str) -> Result<Expect, String> {
    let mut e = Expect::default();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("not `key: value`: {line:?}"));
        };
        let value = value.trim().to_string();
        match key.trim() {
            "generate" => e.generate = Some(value),
            "location" => e.location = Some(value),
            "stderr" => e.stderr.push(value),
            other => return Err(format!("unknown key {other:?}")),
        }
    }
    if e.location.is_none() {
        return Err("no `location:` line".into());
    }
    Ok(e)
}

/// Write a generated input into `dir`; returns the file written.
fn generate(name: &str, dir: &Path) -> Result<PathBuf, String> {
    let (file, text) = match name {
        // 50 MiB: 6 header lines, 524288 lines of 100 bytes, then a document
        // whose `name` line (line 524299) is indented with a tab.
        "huge-file" => {
            let line = format!("    {}\n", "x".repeat(95));
            let n = 50 * 1024 * 1024 / line.len();
            let mut s = String::with_capacity(n * line.len() + 200);
            s.push_str(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blob\ndata:\n  blob: |\n",
            );
            for _ in 0..n {
                s.push_str(&line);
            }
            s.push_str("---\napiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n");
            ("input.yaml", s)
        }
        "deep-brackets" => ("input.yaml", format!("{}\n", "[".repeat(100_000))),
        "deep-blocks" => {
            let mut s = String::new();
            for depth in 0..10_000 {
                s.push_str(&" ".repeat(depth));
                s.push_str("a:\n");
            }
            ("input.yaml", s)
        }
        "deep-values" => ("values.yaml", format!("{}\n", "a: [".repeat(100_000))),
        other => return Err(format!("unknown generator {other:?}")),
    };
    let path = dir.join(file);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// The binary, under an address-space limit where the shell can set one.
fn command(args: &[String]) -> Result<Command, String> {
    // The binary cargo built for this test run (never a stale copy).
    let bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_akoctl"));
    let mut cmd = if cfg!(unix) {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!(
                "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
            ))
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .args(args)
        .timeout(TIME_LIMIT);
    Ok(cmd)
}

/// Run one case; the problems found (empty when it passes).
fn run_case(case: &Path) -> Result<Vec<String>, String> {
    let expect_path = case.join("expect.txt");
    let text = std::fs::read_to_string(&expect_path)
        .map_err(|e| format!("{}: {e}", expect_path.display()))?;
    let expect = parse_expect(&text).map_err(|e| format!("{}: {e}", expect_path.display()))?;

    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let generated = match &expect.generate {
        Some(g) => Some(generate(g, tmp.path())?),
        None => None,
    };
    let find = |name: &str| -> Option<String> {
        let generated = generated
            .as_ref()
            .filter(|p| p.file_name().and_then(|f| f.to_str()) == Some(name));
        let path = match generated {
            Some(p) => p.clone(),
            None => case.join(name),
        };
        path.exists().then(|| path.display().to_string())
    };
    let manifests = find("input.yaml").unwrap_or_else(|| format!("{EXAMPLE}/manifests"));
    let values = find("values.yaml").unwrap_or_else(|| format!("{EXAMPLE}/values.yaml"));
    let args: Vec<String> = [
        "compile",
        "-f",
        &manifests,
        "--values",
        &values,
        "--cloud-facts",
        &format!("{EXAMPLE}/cloud-facts.yaml"),
        "-o",
        "json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();

    let started = Instant::now();
    let out = command(&args)?.output().map_err(|e| e.to_string())?;
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    if out.status.code() != Some(1) {
        problems.push(format!(
            "exit status {:?} (expected 1) after {took:?}",
            out.status.code()
        ));
    }
    if !out.stdout.is_empty() {
        problems.push(format!("{} bytes on stdout", out.stdout.len()));
    }
    for bad in ["panicked", "stack overflow", "RUST_BACKTRACE"] {
        if stderr.contains(bad) {
            problems.push(format!("stderr mentions {bad:?}"));
        }
    }
    if !stderr.starts_with("error: ") {
        problems.push("stderr does not start with `error: `".into());
    }
    let mut wanted: Vec<&String> = expect.location.iter().collect();
    wanted.extend(&expect.stderr);
    for w in wanted {
        if !stderr.contains(w.as_str()) {
            problems.push(format!("stderr lacks {w:?}"));
        }
    }
    if !problems.is_empty() {
        let head: String = stderr.lines().take(12).collect::<Vec<_>>().join("\n");
        problems.push(format!("stderr was:\n{head}"));
    }
    Ok(problems)
}

#[test]
fn every_bad_input_is_a_located_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    let mut cases: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => panic!("{}: {e}", root.display()),
    };
    cases.sort();
    assert!(cases.len() >= 20, "only {} cases found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match run_case(case) {
            Ok(p) if p.is_empty() => {}
            Ok(p) => failures.push(format!("{name}:\n  {}", p.join("\n  "))),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn expect_files_are_checked() {
    assert!(parse_expect("stderr: x\n").is_err(), "location is required");
    assert!(parse_expect("location: a:1\nbogus: 1\n").is_err());
    let e = parse_expect("# c\nlocation: a.yaml:1:2\nstderr: x: y\n");
    assert!(
        matches!(e, Ok(Expect { location: Some(l), stderr, .. }) if l == "a.yaml:1:2" && stderr == ["x: y"])
    );
}
