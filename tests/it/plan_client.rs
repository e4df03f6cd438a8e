//! The controller client against the in-memory fake controller (127.0.0.1
//! only): session, CSRF, version header, tenants, pagination, retries, and a
//! full state read planned against the compiled objects.

use std::time::Duration;

use akoctl::client::read::{missing_refs, read_cloud_facts, read_state};
use akoctl::client::{Client, ClientError, ClientOptions, Credential};
use akoctl::devctl::{Config, FakeController};
use akoctl::model::AviType;
use akoctl::plan::{self, Action, PlanSettings};
use akoctl::settings::Settings;
use serde_json::{Value, json};

fn opts(ctl: &FakeController) -> ClientOptions {
    let mut o = ClientOptions::new(&ctl.url(), "admin", Credential::Password("admin".into()));
    o.backoff = Duration::from_millis(5);
    o.page_size = 25;
    o
}

fn pool(name: &str, owner: &str) -> Value {
    json!({
        "name": name,
        "created_by": owner,
        "cloud_ref": "/api/cloud/?name=Default-Cloud",
        "markers": [{"key": "clustername", "values": ["c"]}],
        "servers": [{"ip": {"addr": "10.0.0.1", "type": "V4"}, "port": 80}]
    })
}

fn settings(cluster: &str) -> Settings {
    Settings {
        cluster_name: cluster.into(),
        ..Settings::default()
    }
}

/// Raw HTTP, to check what the fake refuses.
async fn raw(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let c = reqwest::Client::new();
    let mut r = c.request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    if let Some(b) = body {
        r = r.body(b);
    }
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    let h = resp.headers().clone();
    (status, h, resp.text().await.unwrap())
}

fn cookie(h: &reqwest::header::HeaderMap, name: &str) -> String {
    h.get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';')
                .next()?
                .strip_prefix(&format!("{name}="))
                .map(String::from)
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn fake_refuses_what_a_controller_refuses() {
    let ctl = FakeController::start(Config::default()).await.unwrap();
    let base = ctl.url();
    // No session: 401.
    let (s, _, _) = raw(
        "GET",
        &format!("{base}/api/pool"),
        &[("X-Avi-Version", "22.1.3")],
        None,
    )
    .await;
    assert_eq!(s, 401);
    // Bad password: 401 "Invalid credentials".
    let (s, _, b) = raw(
        "POST",
        &format!("{base}/login"),
        &[("Content-Type", "application/json")],
        Some(json!({"username": "admin", "password": "nope"}).to_string()),
    )
    .await;
    assert_eq!((s, b.contains("Invalid credentials")), (401, true));
    // Form-encoded login works, and sets csrftoken + the session cookie.
    let (s, h, b) = raw(
        "POST",
        &format!("{base}/login"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some("username=admin&password=admin".into()),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let (csrf, sid) = (cookie(&h, "csrftoken"), cookie(&h, "avi-sessionid"));
    assert!(!csrf.is_empty() && !sid.is_empty());
    let cookies = format!("csrftoken={csrf}; avi-sessionid={sid}");
    // X-Avi-Version is required.
    let (s, _, _) = raw(
        "GET",
        &format!("{base}/api/pool"),
        &[("Cookie", &cookies)],
        None,
    )
    .await;
    assert_eq!(s, 400);
    // Double slash and trailing slash are fine.
    let (s, _, _) = raw(
        "GET",
        &format!("{base}//api/pool/"),
        &[("Cookie", &cookies), ("X-Avi-Version", "22.1.3")],
        None,
    )
    .await;
    assert_eq!(s, 200);
    // POST without CSRF token: 403; with token and Referer: 201.
    let body = Some(pool("c--p", "ako-c").to_string());
    let (s, _, _) = raw(
        "POST",
        &format!("{base}/api/pool"),
        &[("Cookie", &cookies), ("X-Avi-Version", "22.1.3")],
        body.clone(),
    )
    .await;
    assert_eq!(s, 403);
    let hdrs = [
        ("Cookie", cookies.as_str()),
        ("X-Avi-Version", "22.1.3"),
        ("X-CSRFToken", csrf.as_str()),
        ("Referer", base.as_str()),
    ];
    let (s, _, created) = raw("POST", &format!("{base}/api/pool"), &hdrs, body.clone()).await;
    assert_eq!(s, 201, "{created}");
    let created: Value = serde_json::from_str(&created).unwrap();
    assert!(
        created["cloud_ref"]
            .as_str()
            .unwrap()
            .ends_with("#Default-Cloud"),
        "{created}"
    );
    assert!(created["uuid"].as_str().unwrap().starts_with("pool-"));
    // Duplicate: 409.
    let (s, _, _) = raw("POST", &format!("{base}/api/pool"), &hdrs, body).await;
    assert_eq!(s, 409);
    // Unknown tenant: 403; `*` is for reads only.
    let mut h2 = hdrs.to_vec();
    h2.push(("X-Avi-Tenant", "nosuch"));
    let (s, _, b) = raw("GET", &format!("{base}/api/pool"), &h2, None).await;
    assert_eq!((s, b.contains("does not exist")), (403, true));
    let mut h3 = hdrs.to_vec();
    h3.push(("X-Avi-Tenant", "*"));
    let (s, _, _) = raw(
        "POST",
        &format!("{base}/api/pool"),
        &h3,
        Some(pool("c--q", "ako-c").to_string()),
    )
    .await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn lists_follow_next_links() {
    let ctl = FakeController::start(Config::default()).await.unwrap();
    ctl.with(|s| {
        for i in 0..60 {
            s.insert("pool", "admin", pool(&format!("c--p{i:02}"), "ako-c"));
        }
        s.insert("pool", "admin", pool("other--p", "ako-other"));
    });
    let client = Client::connect(opts(&ctl)).await.unwrap();
    assert_eq!(client.controller_version().await, "22.1.3");
    assert_eq!(client.api_version().await, "22.1.3");
    let all = client
        .list("pool", &[("created_by", "ako-c")], "*")
        .await
        .unwrap();
    assert_eq!(all.len(), 60);
    let mut names: Vec<&str> = all.iter().map(|o| o["name"].as_str().unwrap()).collect();
    names.dedup();
    assert_eq!(names.len(), 60);
    let gets = ctl.with(|s| s.log.iter().filter(|l| l.path == "/api/pool").count());
    assert_eq!(gets, 3, "60 objects in pages of 25");
    // Refs come back by uuid with `#name`.
    assert!(
        all[0]["tenant_ref"]
            .as_str()
            .unwrap()
            .ends_with("/api/tenant/admin#admin")
    );
}

/// The pages after the first are asked for at once (by number, from the
/// first page's `count`), and come back complete and in order.
#[tokio::test]
async fn pages_after_the_first_are_read_at_once() {
    let ctl = FakeController::start(Config::default()).await.unwrap();
    ctl.with(|s| {
        for i in 0..250 {
            s.insert("pool", "admin", pool(&format!("c--p{i:03}"), "ako-c"));
        }
        s.faults.latency_ms = 40;
    });
    let read = |concurrency: usize| {
        let mut o = opts(&ctl);
        o.concurrency = concurrency;
        let ctl = &ctl;
        async move {
            let client = Client::connect(o).await.unwrap();
            ctl.with(|s| s.max_reads_in_flight = 0);
            let all = client
                .list("pool", &[("name.contains", "c--")], "*")
                .await
                .unwrap();
            (ctl.with(|s| s.max_reads_in_flight), all)
        }
    };
    let (one_at_a_time, all) = read(1).await;
    let (at_once, again) = read(16).await;
    let names = |v: &[Value]| -> Vec<String> {
        v.iter()
            .map(|o| o["name"].as_str().unwrap().to_string())
            .collect()
    };
    let want: Vec<String> = (0..250).map(|i| format!("c--p{i:03}")).collect();
    assert_eq!(names(&all), want);
    assert_eq!(names(&again), want);
    // One at a time, never two reads in flight; at once, the pages after
    // the first overlap (measured by the controller, not by a clock).
    assert_eq!(one_at_a_time, 1);
    assert!(at_once > 1, "at most {at_once} reads in flight");
    let pages = ctl.with(|s| {
        s.log
            .iter()
            .filter(|l| l.path == "/api/pool" && l.method == "GET")
            .count()
    });
    assert_eq!(pages, 20, "10 pages per read");
}

/// The fake keeps rendered list pages until the next write: a read after a
/// PUT, a create and a delete sees each of them, and differently filtered
/// reads of one collection do not share answers.
#[tokio::test]
async fn list_reads_see_every_write() {
    let ctl = FakeController::start(Config::default()).await.unwrap();
    ctl.with(|s| {
        for i in 0..30 {
            s.insert("pool", "admin", pool(&format!("c--p{i:02}"), "ako-c"));
        }
        s.insert("pool", "admin", pool("other--p", "ako-other"));
    });
    let client = Client::connect(opts(&ctl)).await.unwrap();
    let names = |v: &[Value]| -> Vec<String> {
        v.iter()
            .map(|o| o["name"].as_str().unwrap().to_string())
            .collect()
    };
    let ours = || client.list("pool", &[("created_by", "ako-c")], "*");
    let first = ours().await.unwrap();
    assert_eq!(first.len(), 30);
    let theirs = client
        .list("pool", &[("created_by", "ako-other")], "*")
        .await
        .unwrap();
    assert_eq!(names(&theirs), ["other--p"]);
    // PUT: the next read has the new body and a new `_last_modified`.
    let target = &first[3];
    let uuid = target["uuid"].as_str().unwrap();
    let mut body = pool("c--p03", "ako-c");
    body["servers"][0]["port"] = json!(8080);
    client
        .put_object("pool", uuid, "admin", &body)
        .await
        .unwrap();
    let after = ours().await.unwrap();
    let changed = after.iter().find(|o| o["uuid"] == target["uuid"]).unwrap();
    assert_eq!(changed["servers"][0]["port"], 8080);
    assert_ne!(changed["_last_modified"], target["_last_modified"]);
    // Create and delete: the count and the pages follow.
    client
        .create("pool", "admin", &pool("c--p99", "ako-c"))
        .await
        .unwrap();
    client.delete("pool", uuid, "admin").await.unwrap();
    let last = ours().await.unwrap();
    assert_eq!(last.len(), 30);
    assert!(names(&last).contains(&"c--p99".to_string()));
    assert!(!names(&last).contains(&"c--p03".to_string()));
}

/// Full pages of 200 objects are parsed off the runtime's thread, with the
/// uuid -> name facts of their refs gathered there: the state read knows
/// every object's and every ref's name, as a read page by page would.
#[tokio::test]
async fn large_pages_keep_every_name() {
    let ctl = FakeController::start(Config::default()).await.unwrap();
    ctl.with(|s| {
        for i in 0..450 {
            let mut p = pool(&format!("c--p{i:03}"), "ako-c");
            p["description"] = json!("x".repeat(200));
            s.insert("pool", "admin", p);
        }
    });
    let mut o = opts(&ctl);
    o.page_size = 200;
    let client = Client::connect(o).await.unwrap();
    let state = read_state(&client, &settings("c"), None).await.unwrap();
    let pools: Vec<_> = state
        .objects
        .iter()
        .filter(|o| o.kind == AviType::Pool)
        .collect();
    assert_eq!(pools.len(), 450);
    for p in &pools {
        let uuid = p.uuid.as_deref().unwrap();
        assert_eq!(state.ref_names.get(uuid), Some(&p.name));
    }
    // The cloud every pool refers to is known by name from the `#name` refs.
    let cloud = ctl.with(|s| {
        s.objects()
            .iter()
            .find(|o| o.kind == "cloud" && o.name == "Default-Cloud")
            .map(|o| o.uuid.clone())
            .unwrap()
    });
    assert_eq!(
        state.ref_names.get(&cloud).map(String::as_str),
        Some("Default-Cloud")
    );
}

#[tokio::test]
async fn tenants_scope_reads() {
    let ctl = FakeController::start(Config {
        tenants: vec!["red".into()],
        ..Config::default()
    })
    .await
    .unwrap();
    ctl.with(|s| {
        s.insert("pool", "red", pool("c--red", "ako-c"));
        s.insert("pool", "admin", pool("c--admin", "ako-c"));
    });
    let client = Client::connect(opts(&ctl)).await.unwrap();
    let names = |v: Vec<Value>| -> Vec<String> {
        let mut n: Vec<String> = v
            .iter()
            .map(|o| o["name"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        names(client.list("pool", &[], "red").await.unwrap()),
        ["c--red"]
    );
    assert_eq!(
        names(client.list("pool", &[], "admin").await.unwrap()),
        ["c--admin"]
    );
    assert_eq!(
        names(client.list("pool", &[], "*").await.unwrap()),
        ["c--admin", "c--red"]
    );
    let e = client.list("pool", &[], "blue").await.unwrap_err();
    assert!(matches!(e, ClientError::Api { status: 403, .. }), "{e}");
}

#[tokio::test]
async fn bad_credentials_fail_and_tokens_work() {
    let ctl = FakeController::start(Config {
        tokens: vec![("admin".into(), "tok-1".into())],
        session_cookie_name: "sessionid".into(),
        ..Config::default()
    })
    .await
    .unwrap();
    let mut o = opts(&ctl);
    o.credential = Credential::Password("wrong".into());
    let e = Client::connect(o).await.err().unwrap();
    assert!(e.to_string().contains("Invalid credentials"), "{e}");
    assert!(!e.to_string().contains("wrong"));
    let mut o = opts(&ctl);
    o.credential = Credential::Token("tok-1".into());
    let client = Client::connect(o).await.unwrap();
    assert!(client.list("pool", &[], "*").await.unwrap().is_empty());
}

#[tokio::test]
async fn expired_session_logs_in_again_and_transient_errors_retry() {
    let ctl = FakeController::start(Config::default()).await.unwrap();
    let client = Client::connect(opts(&ctl)).await.unwrap();
    ctl.with(|s| s.expire_sessions());
    client.list("pool", &[], "*").await.unwrap();
    let logins = ctl.with(|s| s.log.iter().filter(|l| l.path == "/login").count());
    assert_eq!(logins, 2);
    // 503 twice, then fine.
    ctl.with(|s| s.fail_next.extend([503, 503]));
    client.list("pool", &[], "*").await.unwrap();
    // 500 is not retried.
    ctl.with(|s| s.fail_next.extend([500]));
    let e = client.list("pool", &[], "*").await.unwrap_err();
    assert!(matches!(e, ClientError::Api { status: 500, .. }), "{e}");
    // A version newer than the controller's is refused.
    let mut o = opts(&ctl);
    o.api_version = Some("99.1.1".into());
    let c2 = Client::connect(o).await.unwrap();
    assert!(matches!(
        c2.list("pool", &[], "*").await.unwrap_err(),
        ClientError::Api { status: 400, .. }
    ));
}

fn desired() -> akoctl::model::ObjectSet {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/plan/desired.json"
    ))
    .unwrap();
    plan::state::desired_from_json(&text).unwrap()
}

fn seed_controller(ctl: &FakeController, desired: &akoctl::model::ObjectSet) {
    ctl.with(|s| {
        s.config.dns_domains = vec!["avi.internal".into()];
        s.insert("cloud", "admin", json!({"name": "CLOUD_VCENTER", "vtype": "CLOUD_VCENTER"}));
        s.insert("vrfcontext", "admin", json!({"name": "global", "cloud_ref": "/api/cloud/?name=CLOUD_VCENTER"}));
        s.insert("network", "admin", json!({"name": "net123", "cloud_ref": "/api/cloud/?name=CLOUD_VCENTER", "vrf_context_ref": "/api/vrfcontext/?name=global"}));
        for o in &desired.objects {
            if o.kind == AviType::Vrfcontext {
                continue;
            }
            let r = s.post(o.kind.as_str(), &o.tenant, &o.body);
            assert_eq!(r.status, 201, "{}", r.body);
        }
    });
}

#[tokio::test]
async fn state_read_from_a_controller_plans_no_changes_after_apply() {
    let desired = desired();
    let ctl = FakeController::start(Config::default()).await.unwrap();
    seed_controller(&ctl, &desired);
    // Someone else's object with the same cluster-name substring, and one of
    // another cluster whose name starts with ours.
    ctl.with(|s| {
        let mut other = pool("cluster2--x", "ako-cluster2");
        other["cloud_ref"] = json!("/api/cloud/?name=CLOUD_VCENTER");
        s.insert("pool", "admin", other);
    });
    let mut settings = settings("cluster");
    settings.cloud_name = "CLOUD_VCENTER".into();
    settings.vip_networks = vec![akoctl::settings::VipNetwork {
        network_name: "net123".into(),
        ..Default::default()
    }];
    let client = Client::connect(opts(&ctl)).await.unwrap();
    let facts = read_cloud_facts(&client, &settings).await.unwrap();
    assert_eq!(facts.cloud_type, "CLOUD_VCENTER");
    assert_eq!(facts.dns_subdomains, ["avi.internal"]);
    assert_eq!(facts.default_license_tier, "ENTERPRISE");
    assert_eq!(facts.vrf, "global");
    settings.cloud = facts;
    let state = read_state(&client, &settings, None).await.unwrap();
    // Every pre-existing object the desired set refers to is there.
    assert_eq!(missing_refs(&client, &desired).await.unwrap(), []);
    // Every list was read with include_name and a page size, in all tenants.
    ctl.with(|s| {
        assert!(
            s.log
                .iter()
                .filter(|l| l.path == "/api/pool")
                .all(|l| l.tenant == "*")
        );
    });
    let ps = PlanSettings::from_settings(&settings);
    let p = plan::plan(&desired, &state, &ps);
    assert!(p.conflicts.is_empty(), "{:?}", p.conflicts);
    let changed: Vec<String> = p
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| format!("{} {:?}", c.address(), c.fields))
        .collect();
    // Only the VRF routes are missing (the fake's VRF has none).
    assert_eq!(changed.len(), 1, "{changed:#?}");
    assert!(changed[0].starts_with("vrfcontext/admin/global"));
    assert!(p.changes.iter().all(|c| c.action != Action::Destroy));
    // The uuid of each existing object is kept for apply.
    assert!(
        p.changes
            .iter()
            .filter(|c| c.kind == AviType::Pool)
            .all(|c| c.uuid.is_some())
    );
    // A pull file round-trips to the same plan.
    let text = state.to_json().to_string();
    assert!(!text.contains("PRIVATE KEY"));
    let (again, _) = plan::State::from_json(&text, plan::StateOrigin::Empty).unwrap();
    assert_eq!(plan::plan(&desired, &again, &ps).changes, p.changes);
}

#[tokio::test]
async fn foreign_object_with_a_desired_name_is_a_conflict() {
    let desired = desired();
    let ctl = FakeController::start(Config::default()).await.unwrap();
    ctl.with(|s| {
        s.insert(
            "cloud",
            "admin",
            json!({"name": "CLOUD_VCENTER", "vtype": "CLOUD_VCENTER"}),
        );
        // Every cloud has its VRF `global` (a missing one is a conflict too).
        s.insert(
            "vrfcontext",
            "admin",
            json!({"name": "global", "cloud_ref": "/api/cloud/?name=CLOUD_VCENTER"}),
        );
        let mut p = pool("cluster--default-foo.com_foo-ingress-shp", "ako-cluster2");
        p["cloud_ref"] = json!("/api/cloud/?name=CLOUD_VCENTER");
        s.insert("pool", "admin", p);
    });
    let mut settings = settings("cluster");
    settings.cloud_name = "CLOUD_VCENTER".into();
    let client = Client::connect(opts(&ctl)).await.unwrap();
    let state = read_state(&client, &settings, None).await.unwrap();
    let p = plan::plan(&desired, &state, &PlanSettings::from_settings(&settings));
    assert_eq!(p.conflicts.len(), 1);
    assert_eq!(p.conflicts[0].owner.as_deref(), Some("ako-cluster2"));
}

#[tokio::test]
async fn tls_is_verified_by_default_and_ca_files_are_checked() {
    let ctl = FakeController::start(Config::default()).await.unwrap();
    // The fake speaks plain HTTP: an https URL must fail at the TLS layer,
    // never fall back to plain text.
    let mut o = opts(&ctl);
    o.url = ctl.url().replace("http://", "https://");
    o.retries = 0;
    let e = Client::connect(o).await.err().unwrap();
    assert!(matches!(e, ClientError::Login { .. }), "{e}");
    assert!(
        ctl.with(|s| s.log.is_empty()),
        "no request reached the server as plain HTTP"
    );
    // A CA file without a certificate is refused before any request.
    let mut o = opts(&ctl);
    o.ca_cert_pem = Some(b"not a certificate".to_vec());
    let e = Client::connect(o).await.err().unwrap();
    assert!(matches!(e, ClientError::CaCert(_)), "{e}");
}
