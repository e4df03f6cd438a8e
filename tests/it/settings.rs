//! The settings catalogue (`testdata/settings/`, format in its README): every
//! folder of `refused/` holds helm values (and cloud facts) with which AKO
//! refuses to start or to sync, and must end with exit status 1 naming AKO's
//! reason, the values line and the advice; every folder of `accepted/` holds
//! values AKO accepts, and must compile (exit 0) with the warnings listed.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const DIR: &str = "testdata/settings";
const EXAMPLE: &str = "testdata/examples/quickstart";

/// One case's `expect.txt`.
#[derive(Debug, Default)]
struct Expect {
    /// The values file, relative to the case (default `values.yaml`).
    values: Option<String>,
    /// `file:line` (or `--set ...`) that must appear on stderr.
    location: Option<String>,
    stderr: Vec<String>,
    not_stderr: Vec<String>,
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
            "values" => e.values = Some(value),
            "location" => e.location = Some(value),
            "stderr" => e.stderr.push(value),
            "not-stderr" => e.not_stderr.push(value),
            other => return Err(format!("unknown key {other:?}")),
        }
    }
    Ok(e)
}

fn cases(kind: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR).join(kind);
    let mut cases: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => panic!("{}: {e}", root.display()),
    };
    cases.sort();
    cases
}

/// Run one case in its folder; the problems found (empty when it passes).
fn run_case(case: &Path, refused: bool) -> Result<Vec<String>, String> {
    let expect_path = case.join("expect.txt");
    let text = std::fs::read_to_string(&expect_path)
        .map_err(|e| format!("{}: {e}", expect_path.display()))?;
    let expect = parse_expect(&text).map_err(|e| format!("{}: {e}", expect_path.display()))?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let values = expect
        .values
        .clone()
        .unwrap_or_else(|| "values.yaml".into());
    let facts = if case.join("cloud-facts.yaml").exists() {
        "cloud-facts.yaml".to_string()
    } else {
        root.join(EXAMPLE)
            .join("cloud-facts.yaml")
            .display()
            .to_string()
    };
    let manifests = root.join(EXAMPLE).join("manifests").display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_akoctl"))
        .current_dir(case)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .args([
            "compile",
            "-f",
            &manifests,
            "--values",
            &values,
            "--cloud-facts",
            &facts,
            "-o",
            "json",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    let want = if refused { 1 } else { 0 };
    if out.status.code() != Some(want) {
        problems.push(format!(
            "exit status {:?} (expected {want})",
            out.status.code()
        ));
    }
    if refused && !out.stdout.is_empty() {
        problems.push(format!("{} bytes on stdout", out.stdout.len()));
    }
    if refused && expect.location.is_none() {
        problems.push("a refusal names its values line: no `location:`".into());
    }
    let mut wanted: Vec<&String> = expect.location.iter().collect();
    wanted.extend(&expect.stderr);
    for w in wanted {
        if !stderr.contains(w.as_str()) {
            problems.push(format!("stderr lacks {w:?}"));
        }
    }
    for w in &expect.not_stderr {
        if stderr.contains(w.as_str()) {
            problems.push(format!("stderr has {w:?}"));
        }
    }
    if !problems.is_empty() {
        let head: String = stderr.lines().take(12).collect::<Vec<_>>().join("\n");
        problems.push(format!("stderr was:\n{head}"));
    }
    Ok(problems)
}

fn run_all(kind: &str, refused: bool) {
    let cases = cases(kind);
    assert!(!cases.is_empty(), "no cases in {DIR}/{kind}");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().and_then(|f| f.to_str()).unwrap_or("?");
        match run_case(case, refused) {
            Ok(p) if p.is_empty() => {}
            Ok(p) => failures.push(format!("{kind}/{name}:\n  {}", p.join("\n  "))),
            Err(e) => failures.push(format!("{kind}/{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn settings_ako_refuses_are_refused() {
    run_all("refused", true);
}

#[test]
fn settings_ako_accepts_are_accepted() {
    run_all("accepted", false);
}
