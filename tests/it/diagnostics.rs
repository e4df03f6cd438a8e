//! Diagnostics for people and for CI: codes on every finding, levels,
//! `--strict`, `--deny`, `--allow`, `-q`, `-v`, `.akoctl.yaml`, the JSON
//! `diagnostics` array and `explain-code`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

const D: &str = "testdata/diagnostics";

/// `akoctl compile` on the diagnostics example, run in a scratch folder so
/// that no `.akoctl.yaml` of the checkout applies.
fn compile(values: &str, extra: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_akoctl"))
        .current_dir(dir.path())
        .arg("compile")
        .arg("-f")
        .arg(repo(&format!("{D}/input.yaml")))
        .arg("--values")
        .arg(repo(&format!("{D}/{values}")))
        .arg("--cloud-facts")
        .arg(repo(&format!("{D}/cloud-facts.yaml")))
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (out, dir)
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every diagnostic of the JSON output, with machine paths made relative.
fn diagnostics_json(o: &std::process::Output) -> Value {
    let v: Value = serde_json::from_slice(&o.stdout).expect("json on stdout");
    assert_eq!(v["format_version"], "1");
    let mut d = v["diagnostics"].clone();
    if let Value::Array(items) = &mut d {
        for i in items {
            if let Some(f) = i["file"].as_str() {
                let name = Path::new(f)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned());
                i["file"] = name.into();
            }
        }
    }
    d
}

#[test]
fn infos_are_hidden_and_counted_by_default() {
    let (o, _d) = compile("values.yaml", &["-o", "json"]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(!e.contains("info:"), "{e}");
    assert!(e.contains("1 note hidden; -v to show"), "{e}");
    assert!(
        e.contains("warning: Ingress shop/shop: backend Service shop/web-missing not found")
            && e.contains("[AKO022]"),
        "{e}"
    );
    let (o, _d) = compile("values.yaml", &["-o", "json", "-v"]);
    let e = stderr(&o);
    assert!(
        e.contains("info: Service shop/web: type ClusterIP, not an L4 service")
            && e.contains("[AKO020]"),
        "{e}"
    );
    assert!(!e.contains("hidden"), "{e}");
    let (o, _d) = compile("values.yaml", &["-o", "json", "-q"]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert_eq!(e.trim(), "2 warnings and 1 note hidden; -v to show", "{e}");
}

#[test]
fn strict_deny_allow_and_exit_codes() {
    let (o, _d) = compile("typo-values.yaml", &["-o", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("did you mean enableEVH?"));

    let (o, _d) = compile("typo-values.yaml", &["-o", "json", "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: AKOSettings.enableEvh: unknown key"),
        "{}",
        stderr(&o)
    );

    // Only the missing Service fails the run; the info becomes an error too.
    let (o, _d) = compile("values.yaml", &["-o", "json", "--deny", "AKO022"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let (o, _d) = compile("values.yaml", &["-o", "json", "--deny", "service-not-l4"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: Service shop/web: type ClusterIP"));

    // --strict with the warnings allowed passes.
    let (o, _d) = compile(
        "values.yaml",
        &["-o", "json", "--strict", "--allow", "AKO022"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("3 notes hidden"), "{}", stderr(&o));

    let (o, _d) = compile("values.yaml", &["-o", "json", "--deny", "AKO999"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("unknown diagnostic code AKO999"));
}

#[test]
fn the_repository_config_file_sets_levels() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::fs::write(
        dir.path().join(".akoctl.yaml"),
        "diagnostics:\n  deny: [missing-backend-service]\n",
    )
    .expect("write");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_akoctl"))
            .current_dir(dir.path().join("sub"))
            .arg("compile")
            .arg("-f")
            .arg(repo(&format!("{D}/input.yaml")))
            .arg("--values")
            .arg(repo(&format!("{D}/values.yaml")))
            .args(["-o", "json"])
            .args(extra)
            .env("NO_COLOR", "1")
            .output()
            .expect("runs")
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&["--allow", "AKO022"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    std::fs::write(dir.path().join(".akoctl.yaml"), "diagnostic: {}\n").expect("write");
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("unknown field"), "{}", stderr(&o));
}

#[test]
fn json_carries_the_diagnostics() {
    let (o, _d) = compile("typo-values.yaml", &["-o", "json", "--deny", "AKO022"]);
    let text = serde_json::to_string_pretty(&diagnostics_json(&o)).expect("json");
    insta::assert_snapshot!(text);
}

#[test]
fn explain_code_lists_and_explains() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_akoctl"))
            .arg("explain-code")
            .args(args)
            .output()
            .expect("runs")
    };
    let o = run(&[]);
    assert!(o.status.success());
    let list = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        list.lines().any(|l| l == "AKO022  missing-backend-service"),
        "{list}"
    );
    let o = run(&["ako022"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("AKO022 (missing-backend-service)"));
    let o = run(&["AKO999"]);
    assert_eq!(o.status.code(), Some(1));
}

/// Every finding of every compile case, the examples and the error
/// catalogue has a code: a new kind of diagnostic without one fails here
/// (give it a rule in `src/diagnostics.rs`, or `.with_code(..)` at its site).
#[test]
fn every_diagnostic_of_the_test_data_has_a_code() {
    let mut runs: Vec<(PathBuf, Vec<String>)> = Vec::new();
    for root in ["testdata/compile", "testdata/examples"] {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo(root))
            .expect("exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for d in dirs {
            let input = if d.join("input.yaml").exists() {
                "input.yaml"
            } else if d.join("manifests").is_dir() {
                "manifests"
            } else {
                continue;
            };
            let mut args = vec!["-f".to_string(), input.to_string()];
            for (opt, f) in [
                ("--values", "values.yaml"),
                ("--cloud-facts", "cloud-facts.yaml"),
            ] {
                if d.join(f).exists() {
                    args.extend([opt.to_string(), f.to_string()]);
                }
            }
            runs.push((d, args));
        }
    }
    let mut uncoded = Vec::new();
    let mut seen = 0;
    for (dir, args) in &runs {
        let o = Command::new(env!("CARGO_BIN_EXE_akoctl"))
            .current_dir(dir)
            .arg("compile")
            .args(args)
            .args(["-o", "json", "--config", "/dev/null"])
            .env("NO_COLOR", "1")
            .output()
            .expect("runs");
        let Ok(v) = serde_json::from_slice::<Value>(&o.stdout) else {
            continue;
        };
        for d in v["diagnostics"].as_array().into_iter().flatten() {
            seen += 1;
            if d["code"] == "AKO000" {
                uncoded.push(format!("{}: {}", dir.display(), d));
            }
        }
    }
    assert!(seen > 100, "only {seen} diagnostics seen");
    assert!(
        uncoded.is_empty(),
        "{} diagnostics without a code:\n{}",
        uncoded.len(),
        uncoded.join("\n")
    );
}

/// README.md documents every code.
#[test]
fn readme_lists_every_code() {
    let readme = std::fs::read_to_string(repo("README.md")).expect("README.md");
    for c in akoctl::diagnostics::CODES {
        let row = format!("| `{}` | `{}` |", c.code, c.name);
        assert!(readme.contains(&row), "README.md lacks {row}");
    }
}

fn compile_in_repo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_akoctl"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("compile")
        .args(args)
        .args(["--config", "/dev/null", "-o", "json"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

/// An input error is printed once, on one line with file, line and column;
/// the quoted lines only with -v.
#[test]
fn an_input_error_is_printed_once() {
    let o = compile_in_repo(&["-f", "testdata/input/bad-type.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("input_error", stderr(&o));
    let o = compile_in_repo(&["-v", "-f", "testdata/input/bad-type.yaml"]);
    assert!(stderr(&o).contains(" │ "), "{}", stderr(&o));
}

/// Helm values or an unrendered helm template given with -f get a hint.
#[test]
fn values_and_templates_among_manifests_get_a_hint() {
    let o = compile_in_repo(&["-f", "testdata/diagnostics/values.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("hint: this file looks like AKO's helm values: give it with --values"),
        "{}",
        stderr(&o)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let tpl = dir.path().join("svc.yaml");
    std::fs::write(
        &tpl,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n",
    )
    .expect("write");
    let o = compile_in_repo(&["-f", tpl.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("hint: this file holds helm template expressions"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_repository_config_file_names_the_ako_release() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    let case = repo("testdata/compile/release-2.1-metadata");
    let run = |extra: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_akoctl"))
            .current_dir(dir.path())
            .arg("compile")
            .arg("-f")
            .arg(case.join("input.yaml"))
            .arg("--values")
            .arg(case.join("values.yaml"))
            .args(["-o", "json"])
            .args(extra)
            .env("NO_COLOR", "1")
            .output()
            .expect("runs");
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
        (o.status.code(), v["objects"].clone())
    };
    let (code, default) = run(&[]);
    assert_eq!(code, Some(0));
    let (_, flagged) = run(&["--ako-version", "2.1.1"]);
    assert_ne!(default, flagged, "the case must differ between 2.2 and 2.1");

    std::fs::write(dir.path().join(".akoctl.yaml"), "ako-version: 2.1.1\n").expect("write");
    let (code, configured) = run(&[]);
    assert_eq!(code, Some(0));
    assert_eq!(configured, flagged);
    // The flag wins over the file.
    let (_, overridden) = run(&["--ako-version", "2.2.1"]);
    assert_eq!(overridden, default);

    std::fs::write(dir.path().join(".akoctl.yaml"), "ako-version: 3.0\n").expect("write");
    let (code, _) = run(&[]);
    assert_eq!(code, Some(1), "an unknown release is an error");
}
