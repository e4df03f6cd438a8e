//! The command line through the real binary: help, errors, warnings, output
//! formats, completions.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn akoctl() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akoctl"));
    c.env_remove("NO_COLOR");
    c
}

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

const QUICKSTART: &str = "testdata/examples/quickstart";

fn quickstart(format: &str) -> Command {
    let mut c = akoctl();
    c.arg("compile")
        .arg("-f")
        .arg(repo(&format!("{QUICKSTART}/manifests")))
        .arg("--values")
        .arg(repo(&format!("{QUICKSTART}/values.yaml")))
        .arg("--cloud-facts")
        .arg(repo(&format!("{QUICKSTART}/cloud-facts.yaml")))
        .args(["-o", format]);
    c
}

/// A temporary folder with one manifest and the given values file.
fn scratch(values: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("svc.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: red}\nspec:\n  ports: [{port: 80}]\n",
    )
    .expect("write manifest");
    std::fs::write(dir.path().join("values.yaml"), values).expect("write values");
    dir
}

fn compile_in(dir: &tempfile::TempDir) -> Command {
    let mut c = akoctl();
    c.current_dir(dir.path()).args([
        "compile",
        "-f",
        "svc.yaml",
        "--values",
        "values.yaml",
        "-o",
        "json",
    ]);
    c
}

#[test]
fn help_teaches_with_examples() {
    akoctl()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("akoctl compile -f"))
        .stdout(predicate::str::contains("completions"))
        .stdout(predicate::str::contains("gen-docs").not());
    akoctl()
        .args(["compile", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--cloud-facts"))
        .stdout(predicate::str::contains("--set <KEY=VALUE>"))
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("dnsSubdomains"));
}

#[test]
fn version_is_printed() {
    akoctl()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("akoctl "));
}

#[test]
fn usage_errors_exit_1() {
    // 2 is reserved for `plan --detailed-exitcode` ("changes present").
    akoctl()
        .arg("compile")
        .env("HOME", "/nonexistent")
        .env_remove("KUBECONFIG")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no -f given"));
    akoctl()
        .args(["compile", "-f", "x.yaml", "-o", "xml"])
        .assert()
        .code(1);
}

#[test]
fn unknown_shard_size_warns_with_the_value_ako_uses() {
    // `GetshardSize`: a value outside ShardSizeMap gives one shared VS.
    let dir = scratch("AKOSettings:\n  clusterName: c\nL7Settings:\n  shardVSSize: HUGE\n");
    compile_in(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("L7Settings.shardVSSize"))
        .stderr(predicate::str::contains("(values.yaml:4)"))
        .stderr(predicate::str::contains("\"HUGE\""))
        .stderr(predicate::str::contains("LARGE, MEDIUM, SMALL, DEDICATED"))
        .stderr(predicate::str::contains("as SMALL"));
}

#[test]
fn invalid_value_from_set_names_the_argument() {
    let dir = scratch("");
    compile_in(&dir)
        .args(["--set", "AKOSettings.ipFamily=v4"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--set AKOSettings.ipFamily=v4"))
        .stderr(predicate::str::contains("V4, V6, V4_V6"));
    compile_in(&dir)
        .args(["--set", "noequals"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("KEY=VALUE"));
}

#[test]
fn unknown_values_key_warns_and_succeeds() {
    let dir = scratch("AKOSettings:\n  clusterName: c\n  enableEvh: true\n");
    let out = compile_in(&dir).assert().success().get_output().clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.lines().any(
            |l| l.starts_with("warning: AKOSettings.enableEvh: unknown key")
                && l.contains("did you mean enableEVH?")
                && l.ends_with("(values.yaml:3) [AKO001]")
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\x1b'),
        "no colors when stderr is not a terminal: {stderr:?}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json on stdout");
    assert!(v["objects"].is_array());
}

#[test]
fn missing_files_are_errors() {
    let dir = scratch("");
    akoctl()
        .current_dir(dir.path())
        .args(["compile", "-f", "nope.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: cannot read \"nope.yaml\"",
        ));
    compile_in(&dir)
        .args(["--cloud-facts", "missing-facts.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error: reading missing-facts.yaml",
        ));
    akoctl()
        .current_dir(dir.path())
        .args([
            "compile",
            "-f",
            "svc.yaml",
            "--values",
            "missing-values.yaml",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing-values.yaml"));
}

#[test]
fn broken_yaml_names_the_file() {
    let dir = scratch("AKOSettings:\n  clusterName: [oops\n");
    compile_in(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error: values.yaml:"));
}

#[test]
fn bad_cloud_facts_list_allowed_values() {
    let dir = scratch("");
    std::fs::write(dir.path().join("facts.yaml"), "cloudType: vcenter\n").expect("write");
    compile_in(&dir)
        .args(["--cloud-facts", "facts.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("facts.yaml:1: cloudType"))
        .stderr(predicate::str::contains("CLOUD_VCENTER"));
}

#[test]
fn quickstart_compiles_to_the_output_contract() {
    let out = quickstart("json").assert().success().get_output().clone();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("PRIVATE KEY"), "private key printed");
    let v: Value = serde_json::from_str(&text).expect("json");
    let objects = v["objects"].as_array().expect("objects list");
    for o in objects {
        for k in ["type", "name", "tenant"] {
            assert!(o[k].is_string(), "{k} in {o}");
        }
        assert!(o["sources"].is_array() && o["body"].is_object(), "{o}");
    }
    // Deterministic: the same bytes twice.
    let again = quickstart("json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(out.stdout, again);
}

#[test]
fn yaml_and_table_outputs() {
    let json: Value =
        serde_json::from_slice(&quickstart("json").assert().success().get_output().stdout)
            .expect("json");
    let yaml_out = quickstart("yaml")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let yaml: Value = serde_saphyr::from_slice(&yaml_out).expect("yaml parses");
    // JSON adds `format_version` and `diagnostics` around the same objects.
    assert_eq!(yaml["objects"], json["objects"]);
    let n = json["objects"].as_array().map_or(0, Vec::len);
    quickstart("table")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("{n} object")))
        .stdout(predicate::str::contains("PRIVATE KEY").not());
}

#[test]
fn json_is_the_default_when_piped() {
    let out = akoctl()
        .arg("compile")
        .arg("-f")
        .arg(repo(&format!("{QUICKSTART}/manifests")))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json by default");
    assert!(v["objects"].is_array());
}

#[test]
fn stdin_input() {
    akoctl()
        .args(["compile", "-f", "-", "-o", "json"])
        .write_stdin(
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n",
        )
        .assert()
        .success()
        .stdout(predicate::str::contains("\"objects\""));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        akoctl()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("cloud-facts"));
    }
    akoctl().args(["completions", "tcsh"]).assert().code(1);
}

#[test]
fn checked_in_docs_match_the_binary() {
    akoctl()
        .args(["gen-docs", "--check", "--out"])
        .arg(repo("."))
        .assert()
        .success();
    let dir = tempfile::tempdir().expect("tempdir");
    akoctl()
        .args(["gen-docs", "--check", "--out"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cargo run -- gen-docs"));
}

/// The quickstart's TLS key, as it stands in the Secret (base64 of the PEM)
/// and decoded: neither may appear in any output without --show-secrets.
fn quickstart_key_markers() -> Vec<String> {
    let secret = std::fs::read_to_string("testdata/examples/quickstart/manifests/web.yaml")
        .expect("read quickstart");
    let b64 = secret
        .lines()
        .find_map(|l| l.trim().strip_prefix("tls.key: "))
        .expect("tls.key in the quickstart")
        .to_string();
    // A piece of the key's body from the middle of the PEM.
    vec![
        "PRIVATE KEY".into(),
        b64[40..80].to_string(),
        "MHcCAQEEIIny2U51WJ68".into(),
    ]
}

#[test]
fn no_output_format_prints_the_private_key() {
    let markers = quickstart_key_markers();
    for format in ["json", "yaml", "table"] {
        let out = quickstart(format).assert().success().get_output().clone();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        for m in &markers {
            assert!(
                !text.contains(m.as_str()),
                "{format} output holds key material {m:?}"
            );
        }
    }
    // The JSON says where the key was, with its fingerprint.
    let json = quickstart("json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&json).contains("<redacted sha256:"));
    // Asked for explicitly, the key is printed.
    let shown = quickstart("json")
        .arg("--show-secrets")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&shown).contains("PRIVATE KEY"));
}
