//! `akoctl plan` / `akoctl pull` through the binary: state sources, exit codes,
//! rendering (snapshots in tests/it/snapshots/), secrets, saved plans.

use std::path::Path;
use std::process::{Command, Output};

use akoctl::devctl::{Config, FakeController};
use serde_json::{Value, json};

const KEY_MARKERS: &[&str] = &["PRIVATE KEY", "MHcCAQEEIFPaiWhx9"];

fn akoctl(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akoctl"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("AVI_PASSWORD")
        .env_remove("AVI_AUTH_TOKEN")
        .env_remove("AVI_USERNAME")
        .env_remove("AVI_VERSION");
    c
}

fn run(args: &[&str]) -> Output {
    akoctl(args).output().expect("run akoctl")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

const DESIRED: &str = "testdata/plan/desired.json";
const VALUES: &str = "testdata/plan/values.yaml";

fn plan_compiled(extra: &[&str]) -> Output {
    let mut a = vec!["plan", "--compiled", DESIRED, "--values", VALUES];
    a.extend_from_slice(extra);
    run(&a)
}

fn assert_no_secret(text: &str) {
    for m in KEY_MARKERS {
        assert!(!text.contains(m), "secret material {m:?} printed:\n{text}");
    }
}

/// A `<symbol> key = (sensitive value)` row.
fn sensitive_row(out: &str, symbol: &str) -> bool {
    out.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with(&format!("{symbol} key ")) && l.ends_with("= (sensitive value)")
    })
}

#[test]
fn empty_state_plans_every_object_as_a_create() {
    let o = plan_compiled(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Plan: 11 to add, 0 to change, 0 to destroy."),
        "{out}"
    );
    assert!(sensitive_row(&out, "+"), "{out}");
    assert_no_secret(&out);
    assert_no_secret(&stderr(&o));
    insta::assert_snapshot!("plan_empty_state", out);
    // terraform's -detailed-exitcode: 2 = changes present.
    assert_eq!(code(&plan_compiled(&["--detailed-exitcode"])), 2);
}

#[test]
fn compile_output_as_state_is_no_change() {
    let o = plan_compiled(&["--state", DESIRED, "--detailed-exitcode"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("No changes."), "{out}");
    insta::assert_snapshot!("plan_no_changes", out);
}

#[test]
fn manifests_compiled_then_planned_against_their_own_output_is_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let common = [
        "-f",
        "testdata/plan/ingress.yaml",
        "--values",
        VALUES,
        "--cloud-facts",
        "testdata/plan/cloud-facts.yaml",
    ];
    let mut c = vec!["compile"];
    c.extend_from_slice(&common);
    c.extend_from_slice(&["-o", "json"]);
    let compiled = run(&c);
    assert_eq!(code(&compiled), 0, "{}", stderr(&compiled));
    std::fs::write(&state, &compiled.stdout).unwrap();
    let mut p = vec!["plan"];
    p.extend_from_slice(&common);
    let state_s = state.to_string_lossy().into_owned();
    p.extend_from_slice(&["--state", &state_s, "--detailed-exitcode"]);
    let o = run(&p);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).starts_with("No changes."));
}

#[test]
fn modified_state_plans_updates_creates_and_destroys() {
    let o = plan_compiled(&[
        "--state",
        "testdata/plan/state-modified.json",
        "--detailed-exitcode",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Plan: 1 to add, 4 to change, 1 to destroy."),
        "{out}"
    );
    // Another cluster's pool is neither destroyed nor shown.
    assert!(!out.contains("cluster2--"), "{out}");
    assert!(sensitive_row(&out, "~"), "{out}");
    assert_no_secret(&out);
    insta::assert_snapshot!("plan_modified_state", out);
}

#[test]
fn markdown_plan_for_a_pull_request() {
    let o = plan_compiled(&[
        "--state",
        "testdata/plan/state-modified.json",
        "-o",
        "markdown",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("**Plan: 1 to add, 4 to change, 1 to destroy.**"),
        "{out}"
    );
    assert_eq!(
        out.matches("<details>").count(),
        out.matches("</details>").count()
    );
    assert_eq!(out.matches("<details>").count(), 6, "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("! ")
            && l.contains("key")
            && l.ends_with("= (sensitive value)")),
        "{out}"
    );
    assert_no_secret(&out);
    insta::assert_snapshot!("plan_markdown", out);
    let o = plan_compiled(&["--state", DESIRED, "-o", "markdown"]);
    assert!(stdout(&o).contains("**No changes.**"), "{}", stdout(&o));
    let o = plan_compiled(&[
        "--state",
        "testdata/plan/state-conflict.json",
        "-o",
        "markdown",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("**Planning failed: 1 conflict(s)**"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn json_plan_carries_format_version_and_diagnostics() {
    let o = plan_compiled(&["-o", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["format_version"], "1");
    assert!(v["diagnostics"].is_array(), "{v}");
}

#[test]
fn foreign_owned_object_with_a_desired_name_is_a_conflict() {
    let o = plan_compiled(&["--state", "testdata/plan/state-conflict.json"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains("belongs to \"ako-cluster2\", not \"ako-cluster\""),
        "{out}"
    );
    assert!(out.contains("Planning failed: 1 conflict(s)."), "{out}");
    // JSON says the same, and the exit code stays 1 even with --detailed-exitcode.
    let o = plan_compiled(&[
        "--state",
        "testdata/plan/state-conflict.json",
        "-o",
        "json",
        "--detailed-exitcode",
    ]);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["applyable"], json!(false));
    assert_eq!(v["conflicts"][0]["owner"], json!("ako-cluster2"));
    // No plan file is written for a plan that cannot be applied.
    let dir = tempfile::tempdir().unwrap();
    let pf = dir.path().join("p.plan");
    let o = plan_compiled(&[
        "--state",
        "testdata/plan/state-conflict.json",
        "--out",
        &pf.to_string_lossy(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(!pf.exists());
}

#[test]
fn json_plan_is_machine_readable_and_redacts_secrets() {
    let o = plan_compiled(&["--state", "testdata/plan/state-modified.json", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_no_secret(&out);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"], json!({"add": 1, "change": 4, "destroy": 1}));
    let changes = v["resource_changes"].as_array().unwrap();
    let cert = changes
        .iter()
        .find(|c| c["type"] == "sslkeyandcertificate")
        .unwrap();
    assert_eq!(cert["change"]["actions"], json!(["update"]));
    assert_eq!(cert["change"]["after"]["key"], Value::Null);
    assert_eq!(cert["change"]["after_sensitive"]["key"], json!(true));
    let gone = changes
        .iter()
        .find(|c| c["change"]["actions"] == json!(["delete"]))
        .unwrap();
    assert_eq!(
        gone["name"],
        json!("cluster--default-old.com_foo-ingress-old")
    );
    // No-ops are listed too, for tooling.
    assert!(
        changes
            .iter()
            .any(|c| c["change"]["actions"] == json!(["no-op"]))
    );
}

#[test]
fn saved_plan_has_fingerprints_and_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let save = |name: &str, extra: &[&str]| -> Value {
        let pf = dir.path().join(name);
        let pfs = pf.to_string_lossy().into_owned();
        let mut a = vec![
            "--state",
            "testdata/plan/state-modified.json",
            "--out",
            pfs.as_str(),
        ];
        a.extend_from_slice(extra);
        let o = plan_compiled(&a);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(stdout(&o).contains(&format!("Saved the plan to: {}", pf.display())));
        let text = std::fs::read_to_string(&pf).unwrap();
        assert_no_secret(&text);
        serde_json::from_str(&text).unwrap()
    };
    let a = save("a.plan", &[]);
    let b = save("b.plan", &[]);
    let c = save("c.plan", &["--set", "AKOSettings.cniPlugin=calico"]);
    assert_eq!(a["format"], json!("akoctl-plan/1"));
    for k in ["inputs", "settings", "state"] {
        let f = a["fingerprints"][k].as_str().unwrap();
        assert_eq!(f.len(), 64, "{k}");
        assert_eq!(
            a["fingerprints"][k], b["fingerprints"][k],
            "deterministic {k}"
        );
    }
    assert_ne!(a["fingerprints"]["inputs"], c["fingerprints"]["inputs"]);
    assert_eq!(a["fingerprints"]["state"], c["fingerprints"]["state"]);
    // The key is kept only as a digest.
    let digest = a["sensitive"]["sslkeyandcertificate/admin/cluster--foo.com"]["key"]
        .as_str()
        .unwrap();
    assert_eq!(digest.len(), 64);
    // Controller identity for the staleness check of apply.
    assert!(
        a["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.get("uuid").is_some())
    );
}

#[test]
fn bad_state_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.json");
    std::fs::write(&f, "{\"results\": []}").unwrap();
    let o = plan_compiled(&["--state", &f.to_string_lossy()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("no \"objects\" list"), "{}", stderr(&o));
    let o = plan_compiled(&["--state", "testdata/plan/does-not-exist.json"]);
    assert_eq!(code(&o), 1);
}

/// A fake controller on 127.0.0.1, served from its own thread.
fn fake(seed: impl FnOnce(&FakeController) + Send + 'static) -> FakeController {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let ctl = FakeController::start(Config::default()).await.unwrap();
            seed(&ctl);
            tx.send(ctl).unwrap();
            std::future::pending::<()>().await;
        });
    });
    rx.recv().unwrap()
}

fn seeded() -> FakeController {
    seeded_with(true)
}

fn seeded_with(network: bool) -> FakeController {
    fake(move |ctl| {
        let desired =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(DESIRED)).unwrap();
        let desired: Value = serde_json::from_str(&desired).unwrap();
        ctl.with(|s| {
            s.insert(
                "cloud",
                "admin",
                json!({"name": "CLOUD_VCENTER", "vtype": "CLOUD_VCENTER"}),
            );
            if network {
                s.insert(
                    "network",
                    "admin",
                    json!({"name": "net123", "vrf_context_ref": "/api/vrfcontext/?name=global"}),
                );
            }
            for o in desired["objects"].as_array().unwrap() {
                let (kind, tenant, mut body) = (
                    o["type"].as_str().unwrap(),
                    o["tenant"].as_str().unwrap(),
                    o["body"].clone(),
                );
                if kind == "pool" {
                    body["servers"][0]["port"] = json!(9999);
                }
                if kind == "vrfcontext" {
                    s.insert(kind, tenant, body);
                } else {
                    assert_eq!(s.post(kind, tenant, &body).status, 201);
                }
            }
        });
    })
}

#[test]
fn live_controller_state_and_pull() {
    let ctl = seeded();
    let url = ctl.url();
    // Credentials only from the environment or a file.
    let o = plan_compiled(&["--controller", &url]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("AVI_PASSWORD"), "{}", stderr(&o));
    let o = plan_compiled(&["--controller", &url, "--password", "admin"]);
    assert_ne!(code(&o), 0);

    let o = akoctl(&[
        "plan",
        "--compiled",
        DESIRED,
        "--values",
        VALUES,
        "--controller",
        &url,
        "--detailed-exitcode",
    ])
    .env("AVI_PASSWORD", "admin")
    .output()
    .unwrap();
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{out}"
    );
    assert!(out.contains("-     \"port\": 9999"), "{out}");
    assert!(out.contains(&format!("controller {url} (version 22.1.3)")));
    // --insecure is allowed, with a warning.
    let o = akoctl(&[
        "plan",
        "--compiled",
        DESIRED,
        "--values",
        VALUES,
        "--controller",
        &url,
        "--insecure",
    ])
    .env("AVI_PASSWORD", "admin")
    .output()
    .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: --insecure"), "{}", stderr(&o));
    // The session was closed.
    assert!(ctl.with(|s| s.log.iter().any(|l| l.path == "/logout" && l.status == 200)));

    // pull, then plan against the file: the same plan.
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "admin\n").unwrap();
    let state = dir.path().join("state.json");
    let o = run(&[
        "pull",
        "--values",
        VALUES,
        "--controller",
        &url,
        "--password-file",
        &pw.to_string_lossy(),
        "-o",
        &state.to_string_lossy(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let pulled: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(pulled["format"], json!("akoctl-state/1"));
    assert_eq!(pulled["cloud_facts"]["cloudType"], json!("CLOUD_VCENTER"));
    assert_no_secret(&pulled.to_string());
    let o = plan_compiled(&["--state", &state.to_string_lossy(), "--detailed-exitcode"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{}",
        stdout(&o)
    );
}

#[test]
fn state_and_controller_are_exclusive() {
    let o = plan_compiled(&["--state", DESIRED, "--controller", "https://127.0.0.1:1"]);
    assert_ne!(code(&o), 0);
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn missing_pre_existing_objects_fail_the_plan() {
    let ctl = seeded_with(false);
    let o = akoctl(&[
        "plan",
        "--compiled",
        DESIRED,
        "--values",
        VALUES,
        "--controller",
        &ctl.url(),
    ])
    .env("AVI_PASSWORD", "admin")
    .output()
    .unwrap();
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("refers to network \"net123\", which does not exist"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}

/// `plan --ako-version` says the release it models, records it in the JSON
/// plan and the plan file; an unknown release is an error listing them.
#[test]
fn plan_names_and_records_the_modelled_release() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let planfile = dir.path().join("p.plan");
    let common = [
        "-f",
        "testdata/plan/ingress.yaml",
        "--values",
        VALUES,
        "--cloud-facts",
        "testdata/plan/cloud-facts.yaml",
    ];
    let mut c = vec!["compile"];
    c.extend_from_slice(&common);
    c.extend_from_slice(&["-o", "json"]);
    let compiled = run(&c);
    assert_eq!(code(&compiled), 0, "{}", stderr(&compiled));
    std::fs::write(&state, &compiled.stdout).unwrap();
    let state_s = state.to_string_lossy().into_owned();
    let plan_s = planfile.to_string_lossy().into_owned();
    let mut p = vec!["plan"];
    p.extend_from_slice(&common);
    p.extend_from_slice(&[
        "--state",
        &state_s,
        "--ako-version",
        "1.13.4",
        "-o",
        "json",
        "--out",
        &plan_s,
    ]);
    let o = run(&p);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Planning the objects of AKO 1.13.4"),
        "{}",
        stderr(&o)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ako_version"], json!("1.13.4"));
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&planfile).unwrap()).unwrap();
    assert_eq!(saved["ako_version"], json!("1.13.4"));

    let bad = run(&["plan", "--compiled", DESIRED, "--ako-version", "1.11.5"]);
    assert_eq!(code(&bad), 1);
    assert!(
        stderr(&bad).contains("2.2.x, 2.1.x, 1.13.x, 1.12.x"),
        "{}",
        stderr(&bad)
    );
}
