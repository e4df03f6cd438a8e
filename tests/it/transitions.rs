//! `akoctl apply` taking over from AKO (`testdata/transitions/`, see its
//! README): a controller holding what AKO wrote for state A is brought to
//! state B; it must end as a fresh apply of B leaves it, `plan` must then say
//! no changes, and no other cloud's VRF may be touched. Plus the refusals:
//! a VRF context missing from the configured cloud is an error, never a
//! create and never a write into another cloud's VRF.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use akoctl::devctl::{Config, FakeController, Stored};
use assert_cmd::Command;
use serde_json::{Value, json};

const DEFAULT_CLOUD_REF: &str = "/api/cloud/?name=Default-Cloud";

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The in-memory controller on its own thread and runtime.
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

fn akoctl() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akoctl"));
    c.env("AVI_PASSWORD", "admin")
        .env_remove("AVI_AUTH_TOKEN")
        .env_remove("AVI_USERNAME")
        .env("NO_COLOR", "1");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().expect("run akoctl");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// One side of a transition: `input.yaml`, `values.yaml`, `cloud-facts.yaml`.
struct Side(PathBuf);

impl Side {
    fn file(&self, f: &str) -> PathBuf {
        self.0.join(f)
    }

    fn yaml(&self, f: &str) -> Value {
        std::fs::read_to_string(self.file(f))
            .ok()
            .and_then(|t| serde_saphyr::from_str::<Value>(&t).ok())
            .unwrap_or(Value::Null)
    }

    fn cloud(&self) -> String {
        self.yaml("values.yaml")
            .pointer("/ControllerSettings/cloudName")
            .and_then(Value::as_str)
            .unwrap_or("Default-Cloud")
            .to_string()
    }

    fn compiled(&self) -> Vec<Value> {
        let out = akoctl()
            .arg("compile")
            .arg("-f")
            .arg(self.file("input.yaml"))
            .arg("--values")
            .arg(self.file("values.yaml"))
            .arg("--cloud-facts")
            .arg(self.file("cloud-facts.yaml"))
            .args(["-o", "json"])
            .output()
            .expect("compile");
        assert!(out.status.success(), "{}: compile failed", self.0.display());
        let v: Value = serde_json::from_slice(&out.stdout).expect("compile JSON");
        v["objects"].as_array().cloned().unwrap_or_default()
    }

    fn akoctl(&self, verb: &str, ctl: &FakeController, extra: &[&str]) -> (i32, String, String) {
        let mut c = akoctl();
        c.arg(verb)
            .arg("-f")
            .arg(self.file("input.yaml"))
            .arg("--values")
            .arg(self.file("values.yaml"))
            .args(["--controller", &ctl.url()])
            .args(extra);
        run(&mut c)
    }
}

/// `(type, name)` of every ref by name in a body.
fn refs(v: &Value, out: &mut BTreeSet<(String, String)>) {
    fn add(s: &str, out: &mut BTreeSet<(String, String)>) {
        if let Some((kind, name)) = s
            .strip_prefix("/api/")
            .and_then(|r| r.split_once("/?name="))
        {
            out.insert((kind.to_string(), name.to_string()));
        }
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if k.ends_with("_ref") => add(s, out),
                    Value::Array(a) if k.ends_with("_refs") => {
                        a.iter().filter_map(Value::as_str).for_each(|s| add(s, out))
                    }
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

fn foreign_route() -> Value {
    json!({"route_id": "west-1", "prefix": {"ip_addr": {"addr": "10.99.0.0", "type": "V4"}, "mask": 16},
           "next_hop": {"addr": "10.9.9.9", "type": "V4"},
           "labels": [{"key": "clustername", "value": "west"}]})
}

fn is_vrf(o: &Stored, cloud_ref: &str) -> bool {
    o.kind == "vrfcontext"
        && o.name == "global"
        && o.body.get("cloud_ref").and_then(Value::as_str) == Some(cloud_ref)
}

/// A controller with what both sides refer to but do not create. The
/// configured cloud is created over the API, as a controller creates a
/// cloud (with its own VRF `global`); `Default-Cloud`'s VRF holds a route of
/// another cluster.
fn seeded(a: &Side, b: &Side, own: &[&Vec<Value>]) -> FakeController {
    let facts = b.yaml("cloud-facts.yaml");
    let mut config = Config::default();
    if let Some(t) = facts.get("defaultLicenseTier").and_then(Value::as_str) {
        config.license_tier = t.to_string();
    }
    if let Some(d) = facts.get("dnsSubdomains").and_then(Value::as_array) {
        config.dns_domains = d
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect();
    }
    let vtype = facts
        .get("cloudType")
        .and_then(Value::as_str)
        .unwrap_or("CLOUD_VCENTER")
        .to_string();
    config.cloud_vtype = vtype.clone();
    let ctl = controller(config);
    let mut wanted = BTreeSet::new();
    let mut mine = BTreeSet::new();
    for set in own {
        for o in set.iter() {
            refs(&o["body"], &mut wanted);
            mine.insert((
                o["type"].as_str().unwrap_or("").to_string(),
                o["name"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    ctl.with(|s| {
        for cloud in [a.cloud(), b.cloud()] {
            if !s
                .objects()
                .iter()
                .any(|o| o.kind == "cloud" && o.name == cloud)
            {
                let r = s.post("cloud", "admin", &json!({"name": cloud, "vtype": vtype}));
                assert_eq!(r.status, 201, "{}", r.body);
            }
        }
        let edited = s.edit(
            |o| is_vrf(o, DEFAULT_CLOUD_REF),
            |body| body["static_routes"] = json!([foreign_route()]),
        );
        assert_eq!(edited, 1);
        let mut order: Vec<&(String, String)> = wanted.iter().collect();
        order.sort_by_key(|(k, _)| (k != "tenant", k.clone()));
        for (kind, name) in order {
            let exists = s
                .objects()
                .iter()
                .any(|o| o.kind == *kind && o.name == *name);
            if exists || mine.contains(&(kind.clone(), name.clone())) {
                continue;
            }
            let mut body = json!({ "name": name });
            if kind != "tenant" && kind != "cloud" {
                body["cloud_ref"] = json!(format!("/api/cloud/?name={}", b.cloud()));
            }
            s.insert(kind, "admin", body);
        }
    });
    ctl
}

/// Write A as AKO does: its objects with AKO's checksums (which akoctl
/// never writes), its static routes into the VRF of its own cloud.
fn replay_as_ako(ctl: &FakeController, objects: &[Value]) {
    ctl.with(|s| {
        for (i, o) in objects.iter().enumerate() {
            let kind = o["type"].as_str().unwrap_or("");
            let tenant = o["tenant"].as_str().unwrap_or("admin");
            let mut body = o["body"].clone();
            if kind == "vrfcontext" {
                let cloud_ref = body["cloud_ref"].as_str().unwrap_or("").to_string();
                let routes = body["static_routes"].clone();
                let n = s.edit(
                    |x| is_vrf(x, &cloud_ref),
                    |b| {
                        let mut all = b["static_routes"].as_array().cloned().unwrap_or_default();
                        all.extend(routes.as_array().cloned().unwrap_or_default());
                        b["static_routes"] = Value::Array(all);
                    },
                );
                assert_eq!(n, 1, "the VRF of {cloud_ref}");
                continue;
            }
            match kind {
                "virtualservice" | "pool" | "poolgroup" | "httppolicyset" => {
                    body["cloud_config_cksum"] = json!(format!("{}", 1_000_000 + i));
                }
                "vsvip" => body["vsvip_cloud_config_cksum"] = json!(format!("{}", 2_000_000 + i)),
                _ => {}
            }
            let r = s.post(kind, tenant, &body);
            assert_eq!(r.status, 201, "{kind} {tenant}: {}", r.body);
        }
    });
}

/// Sorted lists, without what differs between two controllers holding the
/// same configuration, and without secrets (private keys, OAuth secrets:
/// write-only on a controller; the replayed A only has compile's redaction
/// markers).
fn canon(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let auto = m.get("auto_allocate_ip") == Some(&json!(true));
            Value::Object(
                m.iter()
                    .filter(|(k, _)| {
                        let dropped = matches!(
                            k.as_str(),
                            "cloud_config_cksum"
                                | "vsvip_cloud_config_cksum"
                                | "route_id"
                                | "key"
                                | "client_secret"
                                | "server_secret"
                        );
                        let allocated = auto && matches!(k.as_str(), "ip_address" | "ip6_address");
                        !dropped && !allocated
                    })
                    .map(|(k, x)| (k.clone(), canon(x)))
                    .collect(),
            )
        }
        Value::Array(a) => {
            let mut items: Vec<Value> = a.iter().map(canon).collect();
            items.sort_by_key(|x| x.to_string());
            Value::Array(items)
        }
        other => other.clone(),
    }
}

type Snapshot = BTreeMap<(String, String, String, String), Value>;

fn snapshot(ctl: &FakeController) -> Snapshot {
    ctl.with(|s| {
        s.objects()
            .iter()
            .map(|o| {
                let cloud = o.body["cloud_ref"].as_str().unwrap_or("").to_string();
                (
                    (o.kind.clone(), o.tenant.clone(), o.name.clone(), cloud),
                    canon(&o.body),
                )
            })
            .collect()
    })
}

fn differences(moved: &Snapshot, fresh: &Snapshot) -> Vec<String> {
    let keys: BTreeSet<_> = moved.keys().chain(fresh.keys()).collect();
    keys.into_iter()
        .filter_map(|k| match (moved.get(k), fresh.get(k)) {
            (Some(_), None) => Some(format!("left over: {k:?}")),
            (None, Some(_)) => Some(format!("missing: {k:?}")),
            (Some(x), Some(y)) if x != y => Some(format!("differs: {k:?}\n  {x}\n  {y}")),
            _ => None,
        })
        .collect()
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo("testdata/transitions"))
        .expect("testdata/transitions")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("a").is_dir() && p.join("b").is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn apply_takes_over_from_ako_and_ends_as_a_fresh_apply() {
    let all = cases();
    assert!(
        all.len() >= 4,
        "transition cases under testdata/transitions"
    );
    let mut failures = Vec::new();
    for dir in &all {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let (a, b) = (Side(dir.join("a")), Side(dir.join("b")));
        let (objs_a, objs_b) = (a.compiled(), b.compiled());
        let ctl = seeded(&a, &b, &[&objs_a, &objs_b]);
        replay_as_ako(&ctl, &objs_a);
        // AKO's own objects, checksums and all, are what akoctl would write.
        let (code, out, err) = a.akoctl("plan", &ctl, &["--detailed-exitcode"]);
        if code != 0 {
            failures.push(format!(
                "{name}: plan of A over AKO's A: exit {code}\n{out}\n{err}"
            ));
            continue;
        }
        let (code, out, err) = b.akoctl("apply", &ctl, &["--auto-approve"]);
        if code != 0 {
            failures.push(format!("{name}: apply A -> B: exit {code}\n{out}\n{err}"));
            continue;
        }
        let (code, out, err) = b.akoctl("plan", &ctl, &["--detailed-exitcode"]);
        if code != 0 {
            failures.push(format!(
                "{name}: plan after apply: exit {code}\n{out}\n{err}"
            ));
            continue;
        }
        let moved = snapshot(&ctl);
        let fresh_ctl = seeded(&a, &b, &[&objs_a, &objs_b]);
        let (code, out, err) = b.akoctl("apply", &fresh_ctl, &["--auto-approve"]);
        assert_eq!(code, 0, "{name}: fresh apply of B\n{out}\n{err}");
        let diffs = differences(&moved, &snapshot(&fresh_ctl));
        if !diffs.is_empty() {
            failures.push(format!(
                "{name}: controller differs from a fresh apply of B:\n{}",
                diffs.join("\n")
            ));
        }
        // No other cloud's VRF was written.
        ctl.with(|s| {
            for o in s.objects().iter().filter(|o| o.kind == "vrfcontext") {
                let cloud = o.body["cloud_ref"].as_str().unwrap_or("");
                if cloud != format!("/api/cloud/?name={}", b.cloud()) {
                    let want = if cloud == DEFAULT_CLOUD_REF {
                        json!([foreign_route()])
                    } else {
                        Value::Null
                    };
                    if o.body["static_routes"] != want {
                        failures.push(format!(
                            "{name}: the VRF of {cloud} was changed: {}",
                            o.body["static_routes"]
                        ));
                    }
                }
            }
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The configured cloud has no VRF context `global` (only `Default-Cloud`
/// has one): plan refuses with a conflict instead of planning a create, and
/// apply writes nothing, above all not into `Default-Cloud`'s VRF.
#[test]
fn a_vrf_missing_from_the_configured_cloud_is_an_error_not_a_create() {
    let dir = repo("testdata/transitions/vrf-two-clouds");
    let (a, b) = (Side(dir.join("a")), Side(dir.join("b")));
    let objs_b = b.compiled();
    let ctl = seeded(&a, &b, &[&objs_b]);
    ctl.with(|s| {
        // vc-b's VRF moves to another cloud: vc-b has none.
        let n = s.edit(
            |o| is_vrf(o, "/api/cloud/?name=vc-b"),
            |body| body["cloud_ref"] = json!("/api/cloud/?name=retired-cloud"),
        );
        assert_eq!(n, 1);
    });
    let before = snapshot(&ctl);
    let (code, out, err) = b.akoctl("plan", &ctl, &["--detailed-exitcode"]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        !out.contains("vrfcontext/admin/global will be created"),
        "{out}"
    );
    assert!(
        out.contains("no VRF context \"global\" in cloud \"vc-b\""),
        "{out}\n{err}"
    );
    let (code, out, err) = b.akoctl("apply", &ctl, &["--auto-approve"]);
    assert_ne!(code, 0, "{out}\n{err}");
    assert_eq!(differences(&snapshot(&ctl), &before), Vec::<String>::new());
}

/// The in-memory controller keeps one VRF `global` per cloud, as a
/// controller does, and a `cloud_ref.name` read returns only that cloud's.
#[test]
fn every_cloud_has_its_own_vrf_global() {
    let ctl = controller(Config::default());
    ctl.with(|s| {
        let r = s.post(
            "cloud",
            "admin",
            &json!({"name": "vc-b", "vtype": "CLOUD_VCENTER"}),
        );
        assert_eq!(r.status, 201);
        let r = s.post(
            "vsvip",
            "admin",
            &json!({"name": "east--x", "cloud_ref": "/api/cloud/?name=vc-b",
                    "vrf_context_ref": "/api/vrfcontext/?name=global"}),
        );
        assert_eq!(r.status, 201);
        let vrfs: Vec<&Stored> = s
            .objects()
            .iter()
            .filter(|o| o.kind == "vrfcontext")
            .collect();
        assert_eq!(vrfs.len(), 2);
        let vc_b = vrfs
            .iter()
            .find(|o| o.body["cloud_ref"] == "/api/cloud/?name=vc-b")
            .expect("vc-b's VRF");
        // The ref resolves to the VRF of the vsvip's own cloud.
        assert!(
            r.body
                .contains(&format!("/api/vrfcontext/{}#global", vc_b.uuid)),
            "{}",
            r.body
        );
    });
}
