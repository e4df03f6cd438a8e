//! `akoctl apply` end to end through the binary, against the in-memory
//! controller (127.0.0.1 only): compile → plan → apply → plan = "No changes"
//! for every example set; faults (lost answers, busy controller, expired
//! sessions, a refused write) and a second apply that converges; stale plan
//! files refused; no apply without confirmation.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use akoctl::devctl::{Config, FakeController};
use assert_cmd::Command;
use serde_json::{Value, json};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The fake controller on its own thread and runtime, alive for the test.
fn controller(config: Config) -> FakeController {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let ctl = FakeController::start(config).await.expect("start");
            tx.send(ctl).expect("send");
            std::future::pending::<()>().await
        });
    });
    rx.recv().expect("controller started")
}

/// An example set: manifests, values.yaml, optional cloud-facts.yaml.
struct Example {
    name: String,
    manifests: Vec<PathBuf>,
    values: PathBuf,
    facts: Option<PathBuf>,
}

fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    let root = repo("testdata/examples");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.join("values.yaml").exists())
        .collect();
    dirs.sort();
    for d in dirs {
        let manifests = if d.join("manifests").is_dir() {
            vec![d.join("manifests")]
        } else {
            let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
                .expect("example folder")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    (n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json"))
                        && n != "values.yaml"
                        && n != "cloud-facts.yaml"
                        && !n.starts_with("expect")
                })
                .collect();
            v.sort();
            v
        };
        out.push(Example {
            name: d
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string(),
            manifests,
            facts: Some(d.join("cloud-facts.yaml")).filter(|p| p.exists()),
            values: d.join("values.yaml"),
        });
    }
    out
}

fn akoctl() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akoctl"));
    c.env("AVI_PASSWORD", "admin")
        .env_remove("AVI_AUTH_TOKEN")
        .env_remove("AVI_USERNAME")
        .env("NO_COLOR", "1");
    c
}

impl Example {
    fn inputs(&self, c: &mut Command) {
        for m in &self.manifests {
            c.arg("-f").arg(m);
        }
        c.arg("--values").arg(&self.values);
    }

    /// `akoctl compile -o json` offline.
    fn compiled(&self) -> Value {
        let mut c = akoctl();
        c.arg("compile");
        self.inputs(&mut c);
        if let Some(f) = &self.facts {
            c.arg("--cloud-facts").arg(f);
        }
        let out = c.args(["-o", "json"]).output().expect("compile");
        assert!(out.status.success(), "{}: compile failed", self.name);
        serde_json::from_slice(&out.stdout).expect("compile JSON")
    }

    /// A controller with what this example refers to but does not create
    /// (networks, clouds' facts, tenants, SE groups, profiles).
    fn controller(&self) -> FakeController {
        let facts: Value = self
            .facts
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|t| serde_saphyr::from_str::<Value>(&t).ok())
            .unwrap_or(Value::Null);
        let mut config = Config::default();
        if let Some(d) = facts.get("dnsSubdomains").and_then(Value::as_array) {
            config.dns_domains = d
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect();
        }
        if let Some(t) = facts.get("defaultLicenseTier").and_then(Value::as_str) {
            config.license_tier = t.to_string();
        }
        if let Some(t) = facts.get("cloudType").and_then(Value::as_str) {
            config.cloud_vtype = t.to_string();
        }
        let ctl = controller(config);
        let compiled = self.compiled();
        let objects = compiled["objects"].as_array().cloned().unwrap_or_default();
        let own: BTreeSet<(String, String)> = objects
            .iter()
            .map(|o| {
                (
                    o["type"].as_str().unwrap_or("").to_string(),
                    o["name"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let mut wanted = BTreeSet::new();
        for o in &objects {
            refs(&o["body"], &mut wanted);
        }
        ctl.with(|s| {
            // Tenants first: other objects may live in them.
            let mut order: Vec<&(String, String)> = wanted.iter().collect();
            order.sort_by_key(|(k, _)| (k != "tenant", k.clone()));
            for (kind, name) in order {
                let exists = s
                    .objects()
                    .iter()
                    .any(|o| o.kind == *kind && o.name == *name);
                if !exists && !own.contains(&(kind.clone(), name.clone())) {
                    let mut body = json!({ "name": name });
                    if kind != "tenant" && kind != "cloud" {
                        body["cloud_ref"] = json!("/api/cloud/?name=Default-Cloud");
                    }
                    s.insert(kind, "admin", body);
                }
            }
        });
        ctl
    }
}

/// `(type, name)` of every `/api/<type>/?name=<name>` ref in a body.
fn refs(v: &Value, out: &mut BTreeSet<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if k.ends_with("_ref") => add_ref(s, out),
                    Value::Array(a) if k.ends_with("_refs") => a
                        .iter()
                        .filter_map(Value::as_str)
                        .for_each(|s| add_ref(s, out)),
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

fn add_ref(s: &str, out: &mut BTreeSet<(String, String)>) {
    let Some(rest) = s.strip_prefix("/api/") else {
        return;
    };
    let Some((kind, name)) = rest
        .split_once("/?name=")
        .or_else(|| rest.split_once("?name="))
    else {
        return;
    };
    out.insert((
        kind.to_string(),
        name.split('&').next().unwrap_or(name).to_string(),
    ));
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().expect("run akoctl");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn plan(ex: &Example, ctl: &FakeController, extra: &[&str]) -> (i32, String, String) {
    let mut c = akoctl();
    c.arg("plan");
    ex.inputs(&mut c);
    c.args(["--controller", &ctl.url(), "--detailed-exitcode"])
        .args(extra);
    run(&mut c)
}

fn apply(ex: &Example, ctl: &FakeController, extra: &[&str]) -> (i32, String, String) {
    let mut c = akoctl();
    c.arg("apply");
    ex.inputs(&mut c);
    c.args(["--controller", &ctl.url()]).args(extra);
    run(&mut c)
}

fn quickstart() -> Example {
    examples()
        .into_iter()
        .find(|e| e.name == "quickstart")
        .expect("the quickstart example")
}

fn owned_count(ctl: &FakeController, created_by: &str) -> usize {
    ctl.with(|s| {
        s.objects()
            .iter()
            .filter(|o| {
                o.body.get("created_by").and_then(Value::as_str) == Some(created_by)
                    || o.name.contains("--")
            })
            .count()
    })
}

#[test]
fn every_example_plans_applies_and_then_has_no_changes() {
    let all = examples();
    assert!(!all.is_empty(), "no example sets under testdata/examples");
    for ex in &all {
        let ctl = ex.controller();
        let (code, out, err) = plan(ex, &ctl, &[]);
        assert_eq!(
            code, 2,
            "{}: plan should show changes\n{out}\n{err}",
            ex.name
        );
        assert!(out.contains("to add"), "{}: {out}", ex.name);

        let (code, out, err) = apply(ex, &ctl, &["--auto-approve"]);
        assert_eq!(code, 0, "{}: apply failed\n{out}\n{err}", ex.name);
        assert!(out.contains("Apply complete!"), "{}: {out}", ex.name);
        assert!(
            !out.contains("PRIVATE KEY") && !err.contains("PRIVATE KEY"),
            "{}: a private key was printed",
            ex.name
        );
        // The real key went to the controller (it answers it redacted).
        ctl.with(|s| {
            for o in s
                .objects()
                .iter()
                .filter(|o| o.kind == "sslkeyandcertificate")
            {
                if let Some(k) = o.body.get("key").and_then(Value::as_str) {
                    assert!(
                        k.contains("PRIVATE KEY"),
                        "{}: {} was sent without its real key",
                        ex.name,
                        o.name
                    );
                }
            }
        });

        let (code, out, err) = plan(ex, &ctl, &[]);
        assert_eq!(code, 0, "{}: plan after apply\n{out}\n{err}", ex.name);
        assert!(out.contains("No changes"), "{}: {out}", ex.name);
    }
}

#[test]
fn lost_answers_a_busy_controller_and_expired_sessions_still_converge() {
    let ex = quickstart();
    let ctl = ex.controller();
    ctl.with(|s| {
        // The first three writes (taking the apply lock, renewing it, the
        // first object) go through but their answers are lost; the next two
        // requests and 15% of all are answered "busy"; sessions expire every
        // 9 API requests.
        s.fail_after_commit.extend([503, 503, 503]);
        s.fail_next.extend([503, 502]);
        s.faults.error_rate = 0.15;
        s.faults.seed = 7;
        s.faults.expire_every = Some(9);
    });
    let (code, out, err) = apply(&ex, &ctl, &["--auto-approve", "--parallelism", "3"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("existing"),
        "the lost create was adopted: {out}"
    );
    let (busy, relogins) = ctl.with(|s| {
        (
            s.log
                .iter()
                .filter(|l| l.status == 503 || l.status == 502)
                .count(),
            s.log.iter().filter(|l| l.path == "/login").count(),
        )
    });
    assert!(busy >= 3, "faults were injected: {busy}");
    assert!(relogins >= 2, "sessions were renewed: {relogins}");
    ctl.with(|s| {
        s.faults.expire_every = None;
        s.faults.error_rate = 0.0;
    });
    let (code, out, _) = plan(&ex, &ctl, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No changes"), "{out}");
}

#[test]
fn a_refused_write_stops_the_run_and_a_second_apply_finishes_it() {
    let ex = quickstart();
    let ctl = ex.controller();
    // Write 1 takes the apply lock; write 5 is the fourth object.
    ctl.with(|s| s.faults.fail_write = vec![(5, 400)]);
    let (code, out, err) = apply(&ex, &ctl, &["--auto-approve", "--parallelism", "2"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("Apply incomplete."), "{out}");
    assert!(
        out.contains("injected fault on write 5"),
        "the controller's message: {out}"
    );
    assert!(out.contains("not attempted:"), "{out}");
    // What was done stays done.
    let done = out.lines().filter(|l| l.contains(": created (")).count();
    assert!(done >= 3, "{out}");
    assert_eq!(owned_count(&ctl, "ako-demo"), done);
    // 4xx is not retried: exactly one refused request.
    let refused = ctl.with(|s| s.log.iter().filter(|l| l.status == 400).count());
    assert_eq!(refused, 1);

    ctl.with(|s| s.faults.fail_write.clear());
    let (code, out, err) = plan(&ex, &ctl, &[]);
    assert_eq!(code, 2, "{out}\n{err}");
    let (code, out, err) = apply(&ex, &ctl, &["--auto-approve"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        !out.contains("existing"),
        "nothing was created twice: {out}"
    );
    let (code, out, _) = plan(&ex, &ctl, &[]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn without_a_terminal_and_without_auto_approve_nothing_is_applied() {
    let ex = quickstart();
    let ctl = ex.controller();
    let before = ctl.with(|s| s.objects().len());
    let (code, out, err) = apply(&ex, &ctl, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(err.contains("--auto-approve"), "{err}");
    assert!(out.contains("to add"), "the plan is shown: {out}");
    assert_eq!(ctl.with(|s| s.objects().len()), before);
    let writes = ctl.with(|s| {
        s.log
            .iter()
            .filter(|l| {
                l.method != "GET"
                    && l.path != "/login"
                    && l.path != "/logout"
                    && !l.path.starts_with("/api/ipaddrgroup")
            })
            .count()
    });
    assert_eq!(writes, 0);
}

#[test]
fn a_saved_plan_applies_once_and_is_refused_when_stale() {
    let ex = quickstart();
    let ctl = ex.controller();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.plan");
    let file_s = file.to_str().expect("utf-8 path");
    let (code, out, err) = plan(&ex, &ctl, &["--out", file_s]);
    assert_eq!(code, 2, "{out}\n{err}");
    let saved = std::fs::read_to_string(&file).expect("plan file");
    assert!(!saved.contains("PRIVATE KEY"), "a plan file holds no keys");

    // Changed inputs: refused.
    let (code, _, err) = apply(
        &ex,
        &ctl,
        &[file_s, "--set", "L7Settings.shardVSSize=MEDIUM"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("stale") && err.contains("inputs"), "{err}");

    // No confirmation needed for a saved plan; applied exactly.
    let (code, out, err) = apply(&ex, &ctl, &[file_s]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("Apply complete!"), "{out}");

    // The same plan again: the controller changed since, refused.
    let (code, _, err) = apply(&ex, &ctl, &[file_s]);
    assert_eq!(code, 1);
    assert!(err.contains("controller state changed"), "{err}");

    // Someone changes the controller between plan and apply: refused.
    let (code, _, _) = plan(&ex, &ctl, &["--out", file_s]);
    assert_eq!(code, 0);
    ctl.with(|s| {
        s.post(
            "pool",
            "admin",
            &json!({"name": "demo--intruder", "created_by": "ako-demo",
                    "cloud_ref": "/api/cloud/?name=Default-Cloud"}),
        )
    });
    let (code, _, err) = apply(&ex, &ctl, &[file_s]);
    assert_eq!(code, 1);
    assert!(err.contains("controller state changed"), "{err}");
}

#[test]
fn removed_objects_are_deleted_referrers_first() {
    let ex = quickstart();
    let ctl = ex.controller();
    let (code, out, err) = apply(&ex, &ctl, &["--auto-approve"]);
    assert_eq!(code, 0, "{out}\n{err}");
    // Drop the LoadBalancer Service: its VS, L4 policy, pool and VIP go.
    let mut fewer = quickstart();
    let dir = repo("testdata/examples/quickstart/manifests");
    fewer.manifests = vec![dir.join("ingressclass.yaml"), dir.join("web.yaml")];
    ctl.with(|s| s.log.clear());
    let (code, out, err) = apply(&fewer, &ctl, &["--auto-approve"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("destroyed"), "{out}");
    let deletes: Vec<String> = ctl.with(|s| {
        s.log
            .iter()
            .filter(|l| l.method == "DELETE" && l.status == 204)
            .map(|l| l.path.split('/').nth(2).unwrap_or("").to_string())
            .collect()
    });
    let pos = |k: &str| {
        deletes
            .iter()
            .position(|d| d == k)
            .unwrap_or_else(|| panic!("no delete of {k}: {deletes:?}"))
    };
    assert!(pos("virtualservice") < pos("vsvip"), "{deletes:?}");
    assert!(pos("virtualservice") < pos("l4policyset"), "{deletes:?}");
    assert!(pos("l4policyset") < pos("pool"), "{deletes:?}");
    let (code, out, _) = plan(&fewer, &ctl, &[]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_vip_update_keeps_the_address_the_controller_allocated() {
    let ex = quickstart();
    let ctl = ex.controller();
    let (code, out, err) = apply(&ex, &ctl, &["--auto-approve"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let addr = |ctl: &FakeController| {
        ctl.with(|s| {
            s.objects()
                .iter()
                .find(|o| o.kind == "vsvip" && o.name == "demo--shop-payments")
                .map(|o| {
                    (
                        o.body["vip"][0]["ip_address"]["addr"].clone(),
                        o.body["dns_info"].clone(),
                    )
                })
        })
    };
    let (ip, dns) = addr(&ctl).expect("the L4 VIP exists");
    assert!(ip.is_string(), "the controller allocated an address");
    // Another FQDN scheme changes the VIP's dns_info: an update.
    let (code, out, err) = apply(
        &ex,
        &ctl,
        &["--auto-approve", "--set", "L4Settings.autoFQDN=flat"],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("vsvip/admin/demo--shop-payments: updated"),
        "{out}"
    );
    let (ip2, dns2) = addr(&ctl).expect("the L4 VIP exists");
    assert_ne!(dns, dns2, "the update went through");
    assert_eq!(ip, ip2, "the allocated address was kept");
}

#[test]
fn independent_objects_are_written_concurrently_within_the_limit() {
    let ex = quickstart();
    for (parallelism, expect_overlap) in [("1", false), ("4", true)] {
        let ctl = ex.controller();
        ctl.with(|s| s.faults.latency_ms = 40);
        let (code, out, err) = apply(&ex, &ctl, &["--auto-approve", "--parallelism", parallelism]);
        assert_eq!(code, 0, "{out}\n{err}");
        let max = ctl.with(|s| s.max_writes_in_flight);
        let limit: usize = parallelism.parse().unwrap_or(1);
        // Logout is a write too, but comes after the others.
        assert!(max <= limit, "at most {limit} writes at once, saw {max}");
        assert_eq!(
            max > 1,
            expect_overlap,
            "parallelism {parallelism}: {max} at once"
        );
    }
}

#[test]
fn a_name_held_by_another_owner_is_never_taken_over() {
    let ex = quickstart();
    let ctl = ex.controller();
    ctl.with(|s| {
        s.post(
            "pool",
            "admin",
            &json!({"name": "demo--shop-payments-TCP-443", "created_by": "someone-else",
                    "cloud_ref": "/api/cloud/?name=Default-Cloud"}),
        )
    });
    let (code, out, err) = apply(&ex, &ctl, &["--auto-approve"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(err.contains("conflicts"), "{err}");
    let writes = ctl.with(|s| {
        s.log
            .iter()
            .filter(|l| {
                l.method != "GET"
                    && l.path != "/login"
                    && l.path != "/logout"
                    && !l.path.starts_with("/api/ipaddrgroup")
            })
            .count()
    });
    assert_eq!(writes, 0, "nothing was written");
}

/// The command line of an apply, for spawning.
fn apply_cmd(ex: &Example, ctl: &FakeController, extra: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_akoctl"));
    c.env("AVI_PASSWORD", "admin")
        .env_remove("AVI_AUTH_TOKEN")
        .env_remove("AVI_USERNAME")
        .env("NO_COLOR", "1")
        .arg("apply");
    for m in &ex.manifests {
        c.arg("-f").arg(m);
    }
    c.arg("--values")
        .arg(&ex.values)
        .args(["--controller", &ctl.url()])
        .args(extra)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    c
}

fn lock_objects(ctl: &FakeController) -> Vec<Value> {
    ctl.with(|s| {
        s.objects()
            .iter()
            .filter(|o| o.kind == "ipaddrgroup")
            .map(|o| o.body.clone())
            .collect()
    })
}

#[test]
fn a_second_concurrent_apply_stops_with_a_clear_message() {
    let ex = quickstart();
    let ctl = ex.controller();
    // Slow answers keep the first apply busy while the second starts.
    ctl.with(|s| s.faults.latency_ms = 25);
    let first = apply_cmd(&ex, &ctl, &["--auto-approve", "--parallelism", "1"])
        .spawn()
        .expect("first apply");
    let t0 = std::time::Instant::now();
    while lock_objects(&ctl).is_empty() {
        assert!(
            t0.elapsed().as_secs() < 30,
            "the first apply never took the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = apply_cmd(&ex, &ctl, &["--auto-approve"])
        .output()
        .expect("second apply");
    let first = first.wait_with_output().expect("first apply");
    let (out1, err1) = (
        String::from_utf8_lossy(&first.stdout),
        String::from_utf8_lossy(&first.stderr),
    );
    let err2 = String::from_utf8_lossy(&second.stderr);
    assert_eq!(first.status.code(), Some(0), "{out1}\n{err1}");
    assert_eq!(second.status.code(), Some(1), "{err2}");
    assert!(
        err2.contains("another `akoctl apply` is applying to cluster \"demo\"")
            && err2.contains("nothing was applied"),
        "{err2}"
    );
    assert!(err2.contains("akoctl pid"), "the holder is named: {err2}");
    // The second one wrote nothing but its attempt at the lock; the first
    // released the lock.
    let writes_outside_lock = ctl.with(|s| {
        s.log
            .iter()
            .filter(|l| l.method != "GET" && !l.path.starts_with("/api/ipaddrgroup"))
            .filter(|l| l.path != "/login" && l.path != "/logout")
            .count()
    });
    assert_eq!(
        writes_outside_lock,
        out1.lines().filter(|l| l.contains(": created (")).count(),
        "only the first apply wrote objects"
    );
    assert!(lock_objects(&ctl).is_empty(), "the lock was released");
    ctl.with(|s| s.faults.latency_ms = 0);
    let (code, out, _) = plan(&ex, &ctl, &[]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_lock_left_by_a_dead_apply_is_taken_over_once_expired() {
    let ex = quickstart();
    let ctl = ex.controller();
    let lease = |expires: u64| {
        json!({"name": "akoctl-apply-lock--demo",
               "description": json!({"akoctl": "apply lock", "holder": "ci@runner-7 (akoctl pid 42)",
                                     "token": "dead", "acquired": 1, "expires": expires}).to_string()})
    };
    // Live (expires in the far future): refused, nothing written.
    ctl.with(|s| s.insert("ipaddrgroup", "admin", lease(u64::MAX / 2)));
    let (code, _, err) = apply(&ex, &ctl, &["--auto-approve"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("held by ci@runner-7 (akoctl pid 42)"), "{err}");
    let objects = ctl.with(|s| {
        s.objects()
            .iter()
            .filter(|o| o.name.starts_with("demo--"))
            .count()
    });
    assert_eq!(objects, 0, "nothing was applied");
    // Expired long ago: taken over, applied, released.
    let ctl2 = ex.controller();
    ctl2.with(|s| s.insert("ipaddrgroup", "admin", lease(1_000)));
    let (code, out, err) = apply(&ex, &ctl2, &["--auto-approve"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("Apply complete!"), "{out}");
    assert!(lock_objects(&ctl2).is_empty(), "released after the run");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_new_writes_and_reports_exactly() {
    use std::io::{BufRead, BufReader};
    let ex = quickstart();
    let ctl = ex.controller();
    ctl.with(|s| s.faults.latency_ms = 60);
    let mut child = apply_cmd(&ex, &ctl, &["--auto-approve", "--parallelism", "1"])
        .spawn()
        .expect("apply");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    // Interrupt after the first object is written.
    loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("progress lines");
        if line.contains(": created (") {
            break;
        }
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("apply ends");
    let stdout = reader.join().expect("reader");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("Interrupted: waiting for the writes in flight"),
        "{stderr}"
    );
    assert!(
        stdout.contains("Apply stopped (interrupted by Ctrl-C)."),
        "{stdout}"
    );
    assert!(
        stdout.contains("not attempted: create") && stdout.contains("not started: interrupted"),
        "{stdout}"
    );
    // Exactly what the report says was done is on the controller.
    let created = stdout.lines().filter(|l| l.contains(": created (")).count();
    assert!(created >= 1, "{stdout}");
    let on_controller = ctl.with(|s| {
        s.objects()
            .iter()
            .filter(|o| o.name.starts_with("demo--"))
            .count()
    });
    assert_eq!(on_controller, created, "{stdout}");
    assert!(lock_objects(&ctl).is_empty(), "the lock was released");
    ctl.with(|s| s.faults.latency_ms = 0);
    let (code, out, err) = apply(&ex, &ctl, &["--auto-approve"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let (code, out, _) = plan(&ex, &ctl, &[]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn fields_newer_than_the_api_version_are_refused_by_the_controller() {
    // Markers came with 20.1.5: a client speaking 20.1.4 is refused with
    // the controller's message, and nothing is half-written.
    let ex = quickstart();
    let ctl = ex.controller();
    let (code, out, err) = apply(&ex, &ctl, &["--auto-approve", "--api-version", "20.1.4"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains("has field (markers) introduced in later versions(v20_1_5)"),
        "{out}"
    );
    let objects = ctl.with(|s| {
        s.objects()
            .iter()
            .filter(|o| o.name.starts_with("demo--"))
            .count()
    });
    assert_eq!(objects, 0, "{out}");
}

#[test]
fn dev_controller_fault_flags() {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_akoctl"));
    let out = c
        .args([
            "dev-controller",
            "--listen",
            "127.0.0.1:0",
            "--fault",
            "3:bogus",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown fault"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_left_by_a_dead_process_of_this_machine_is_taken_over_at_once() {
    let ex = quickstart();
    let ctl = ex.controller();
    let mut gone = std::process::Command::new("true").spawn().expect("spawn");
    let pid = gone.id();
    gone.wait().expect("wait");
    ctl.with(|s| {
        s.insert(
            "ipaddrgroup",
            "admin",
            json!({"name": "akoctl-apply-lock--demo",
                   "description": json!({"akoctl": "apply lock", "holder": "me@test-host",
                       "host": "test-host", "pid": pid, "token": "dead",
                       "acquired": 1, "expires": u64::MAX / 2}).to_string()}),
        )
    });
    let (code, out, err) = run(akoctl()
        .env("HOSTNAME", "test-host")
        .arg("apply")
        .arg("-f")
        .arg(&ex.manifests[0])
        .arg("--values")
        .arg(&ex.values)
        .args(["--controller", &ctl.url(), "--auto-approve"]));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(lock_objects(&ctl).is_empty(), "released after the run");
    // The same lease on another machine is respected until it expires.
    ctl.with(|s| {
        s.insert(
            "ipaddrgroup",
            "admin",
            json!({"name": "akoctl-apply-lock--demo",
                   "description": json!({"akoctl": "apply lock", "holder": "me@elsewhere",
                       "host": "elsewhere", "pid": pid, "token": "dead",
                       "acquired": 1, "expires": u64::MAX / 2}).to_string()}),
        )
    });
    let (code, _, err) = run(akoctl()
        .env("HOSTNAME", "test-host")
        .arg("apply")
        .arg("-f")
        .arg(&ex.manifests[0])
        .arg("--values")
        .arg(&ex.values)
        .args(["--controller", &ctl.url(), "--auto-approve"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("held by me@elsewhere"), "{err}");
}

/// Copy a folder (one level of sub-folders) for a test that edits inputs.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

#[test]
fn a_saved_plan_applies_with_nothing_but_the_controller() {
    let ex = quickstart();
    let ctl = ex.controller();
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo("testdata/examples/quickstart"), dir.path());
    let plan_in = |c: &mut Command| {
        c.current_dir(dir.path()).args([
            "plan",
            "-f",
            "manifests",
            "--values",
            "values.yaml",
            "--controller",
            &ctl.url(),
            "--out",
            "demo.plan",
        ]);
    };
    let mut c = akoctl();
    plan_in(&mut c);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 0, "{out}\n{err}");
    // The hint is a command that works as printed.
    let hint = format!("akoctl apply demo.plan --controller {}", ctl.url());
    assert!(out.contains(&hint), "{out}");

    // From the plan's folder, only the plan file and the controller.
    let mut c = akoctl();
    c.current_dir(dir.path())
        .args(["apply", "demo.plan", "--controller", &ctl.url()]);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("Apply complete!"), "{out}");
    assert!(err.contains("inputs recorded in the plan"), "{err}");

    // A changed input is refused; a missing one too, with its name.
    let mut c = akoctl();
    plan_in(&mut c);
    run(&mut c);
    let plan_file = dir.path().join("demo.plan");
    let plan_s = plan_file.to_str().expect("utf-8");
    let values = dir.path().join("values.yaml");
    let text = std::fs::read_to_string(&values).expect("values");
    std::fs::write(&values, text.replace("SMALL", "MEDIUM")).expect("write");
    let mut c = akoctl();
    c.args(["apply", plan_s, "--controller", &ctl.url()]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 1);
    assert!(err.contains("stale") && err.contains("inputs"), "{err}");
    std::fs::remove_file(&values).expect("rm");
    let mut c = akoctl();
    c.args(["apply", plan_s, "--controller", &ctl.url()]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 1);
    assert!(err.contains("values.yaml") && err.contains("gone"), "{err}");
}
