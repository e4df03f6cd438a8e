//! `akoctl compile --explain-rules`: which CRD set which field.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const CASE: &str = "testdata/compile/crd-post-pass/gencrd-1007";

fn case(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(CASE).join(p)
}

fn compile(extra: &[&str]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akoctl"));
    c.arg("compile")
        .arg("-f")
        .arg(case("input.yaml"))
        .arg("--values")
        .arg(case("values.yaml"))
        .arg("--cloud-facts")
        .arg(case("cloud-facts.yaml"))
        .args(extra);
    c.output().expect("akoctl runs")
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn json_gets_a_rules_key_only_with_the_flag() {
    let plain = json(&compile(&["-o", "json"]));
    assert!(plain.get("rules").is_none(), "default output has no rules");
    let explained = json(&compile(&["-o", "json", "--explain-rules"]));
    assert_eq!(explained["objects"], plain["objects"]);
    let rules = explained["rules"].as_array().cloned().unwrap_or_default();
    assert!(!rules.is_empty(), "{explained}");
    for r in &rules {
        for k in ["type", "tenant", "name", "field", "source"] {
            assert!(r[k].is_string(), "{k} in {r}");
        }
        // Every explained field is on an object of the output.
        let on_object = plain["objects"].as_array().into_iter().flatten().any(|o| {
            o["type"] == r["type"]
                && o["name"] == r["name"]
                && o["body"].get(r["field"].as_str().unwrap_or("")).is_some()
        });
        assert!(on_object, "{r}");
    }
    assert!(
        rules.iter().any(|r| r["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("HostRule "))),
        "{rules:?}"
    );
}

#[test]
fn other_formats_print_rules_on_stderr() {
    let out = compile(&["-o", "yaml", "--explain-rules"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("rule: ")).collect();
    assert!(!lines.is_empty(), "{err}");
    assert!(lines.iter().all(|l| l.contains(" <- ")), "{err}");
    let quiet = compile(&["-o", "yaml"]);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("rule: "));
}
