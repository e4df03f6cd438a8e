//! Controller faults during `apply`, in process against the in-memory
//! controller on 127.0.0.1: dropped connections (before and after the write
//! took effect), 5xx bursts, latency spikes past the client's timeout,
//! sessions expiring mid-run, and an object created by someone else between
//! plan and apply. After each run:
//!
//! - the report is exact: every step reported done is on the controller as
//!   desired (a fresh plan has no change for it), every step reported failed
//!   or not attempted left the controller's object as it was, and nothing
//!   else changed;
//! - no object exists twice;
//! - planning again and applying converges to no changes.
//!
//! One test per fault kind, and 100 random fault schedules from a fixed seed.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use akoctl::apply::{self, Options, Outcome, Report};
use akoctl::client::read::{read_cloud_facts, read_state};
use akoctl::client::write::Written;
use akoctl::client::{Client, ClientOptions, Credential};
use akoctl::compile;
use akoctl::devctl::{Config, FakeController, Fault};
use akoctl::input::{self, Source};
use akoctl::model::ObjectSet;
use akoctl::plan::{self, Action, Plan, PlanSettings};
use akoctl::settings::Settings;
use akoctl::settings::values::{self, SettingsInput};
use serde_json::{Value, json};

const QUICKSTART: &str = "testdata/examples/quickstart";

/// Which manifests and `--set`s make a desired state.
#[derive(Clone, Copy, Debug)]
enum Version {
    /// Nothing: the controller is empty.
    Empty,
    /// The whole quickstart (L4 and L7).
    Full,
    /// Only the L4 Service.
    L4Only,
    /// Only the Ingress, with RHI and flat FQDNs: updates and deletes
    /// against `Full`, creates and deletes against `L4Only`.
    L7Changed,
}

fn sources(v: Version) -> Vec<Source> {
    let files: &[&str] = match v {
        Version::Empty => &[],
        Version::Full => &["ingressclass.yaml", "payments.yaml", "web.yaml"],
        Version::L4Only => &["ingressclass.yaml", "payments.yaml"],
        Version::L7Changed => &["ingressclass.yaml", "web.yaml"],
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(QUICKSTART);
    files
        .iter()
        .map(|f| {
            let p = root.join("manifests").join(f);
            Source {
                name: p.display().to_string(),
                text: std::fs::read_to_string(&p).expect("quickstart manifest"),
            }
        })
        .collect()
}

fn sets(v: Version) -> Vec<String> {
    match v {
        Version::L7Changed => vec![
            "NetworkSettings.enableRHI=true".into(),
            "L4Settings.autoFQDN=flat".into(),
        ],
        _ => Vec::new(),
    }
}

fn base_settings(v: Version) -> Settings {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(QUICKSTART);
    let text = std::fs::read_to_string(root.join("values.yaml")).expect("values");
    let sets = sets(v);
    let (s, _) = values::load(&SettingsInput {
        values: Some(("values.yaml", &text)),
        sets: &sets,
        cloud_facts: None,
    })
    .expect("settings");
    s
}

fn compiled(v: Version, settings: &Settings, show_secrets: bool) -> ObjectSet {
    // The settings of a version and the controller's facts never vary here:
    // compile each version once.
    type Cache = std::sync::Mutex<BTreeMap<(String, bool), ObjectSet>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let key = (format!("{v:?}"), show_secrets);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(o) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return o;
    }
    let o = compile_uncached(v, settings, show_secrets);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, o.clone());
    }
    o
}

fn compile_uncached(v: Version, settings: &Settings, show_secrets: bool) -> ObjectSet {
    let mut s = settings.clone();
    s.show_secrets = show_secrets;
    let (snap, _) = input::decode(&sources(v), "default").expect("decode");
    compile::compile(&snap, &s).objects
}

fn client_opts(ctl: &FakeController, faulty: bool) -> ClientOptions {
    let mut o = ClientOptions::new(&ctl.url(), "admin", Credential::Password("admin".into()));
    o.backoff = Duration::from_millis(1);
    if faulty {
        // Short enough that a latency spike loses the answer.
        o.retries = 2;
        o.timeout = Duration::from_millis(150);
    } else {
        o.timeout = Duration::from_secs(20);
    }
    o
}

/// A controller with what the quickstart refers to but does not create.
async fn controller() -> FakeController {
    let ctl = FakeController::start(Config::default())
        .await
        .expect("controller");
    ctl.with(|s| {
        for n in ["vip-net", "node-net"] {
            s.insert(
                "network",
                "admin",
                json!({"name": n, "cloud_ref": "/api/cloud/?name=Default-Cloud"}),
            );
        }
    });
    ctl
}

/// Plan `v` against the controller: the plan, the bodies to send, and the
/// plan settings.
async fn plan_now(client: &Client, v: Version) -> (Plan, ObjectSet, PlanSettings) {
    let mut settings = base_settings(v);
    settings.cloud = read_cloud_facts(client, &settings)
        .await
        .expect("cloud facts");
    let state = read_state(client, &settings, None).await.expect("state");
    let shown = compiled(v, &settings, false);
    let sent = compiled(v, &settings, true);
    let ps = PlanSettings::from_settings(&settings);
    (plan::plan(&shown, &state, &ps), sent, ps)
}

async fn apply_now(client: &Client, v: Version, parallelism: usize) -> (Plan, Report) {
    let (p, sent, ps) = plan_now(client, v).await;
    let steps = apply::schedule(&p, &sent);
    let r = apply::execute(client, steps, &Options::new(parallelism, ps)).await;
    (p, r)
}

type Key = (String, String, String);

/// Every object of the controller but the apply lock: key -> [(uuid, last
/// modified)].
fn snapshot(ctl: &FakeController) -> BTreeMap<Key, Vec<(String, u64)>> {
    ctl.with(|s| {
        let mut m: BTreeMap<Key, Vec<(String, u64)>> = BTreeMap::new();
        // The apply lock is not an object of the plan.
        for o in s.objects().iter().filter(|o| o.kind != "ipaddrgroup") {
            m.entry((o.kind.clone(), o.tenant.clone(), o.name.clone()))
                .or_default()
                .push((o.uuid.clone(), o.last_modified));
        }
        m
    })
}

fn key_of(address: &str) -> Key {
    let mut it = address.splitn(3, '/');
    let k = it.next().unwrap_or("").to_string();
    let t = it.next().unwrap_or("").to_string();
    let n = it.next().unwrap_or("").to_string();
    (k, t, n)
}

/// The report is exact, and nothing exists twice. `ctx` names the case.
async fn check_exact(
    ctx: &str,
    ctl: &FakeController,
    before: &BTreeMap<Key, Vec<(String, u64)>>,
    report: &Report,
    v: Version,
) {
    let after = snapshot(ctl);
    for (k, objs) in &after {
        assert!(objs.len() <= 1, "{ctx}: {k:?} exists {} times", objs.len());
    }
    let client = Client::connect(client_opts(ctl, false))
        .await
        .expect("connect");
    let (fresh, _, _) = plan_now(&client, v).await;
    client.logout().await;
    let noop = |k: &Key| {
        fresh.changes.iter().any(|c| {
            c.kind.as_str() == k.0 && c.tenant == k.1 && c.name == k.2 && c.action == Action::NoOp
        })
    };
    let mut reported = std::collections::BTreeSet::new();
    for e in &report.entries {
        let k = key_of(&e.address);
        reported.insert(k.clone());
        let (b, a) = (before.get(&k), after.get(&k));
        match (&e.outcome, e.action) {
            (Outcome::Done(_), Action::Destroy) => {
                assert!(
                    a.is_none(),
                    "{ctx}: {} reported deleted but exists",
                    e.address
                )
            }
            (Outcome::Done(_), _) => {
                assert!(a.is_some(), "{ctx}: {} reported done but absent", e.address);
                assert!(
                    noop(&k),
                    "{ctx}: {} reported done but differs from the desired body",
                    e.address
                );
            }
            (Outcome::Failed(m), _) if m.contains("unknown") => {
                // Honest uncertainty: unchanged, or applied as desired.
                assert!(
                    b == a || (e.action != Action::Destroy && noop(&k)),
                    "{ctx}: {} reported unknown but is neither unchanged nor applied",
                    e.address
                );
            }
            (Outcome::Failed(m), _) | (Outcome::NotAttempted(m), _) => {
                assert!(!m.is_empty(), "{ctx}: {} without a reason", e.address);
                assert_eq!(
                    b, a,
                    "{ctx}: {} reported {:?} but the controller's object changed",
                    e.address, e.outcome
                );
            }
        }
    }
    // Nothing else changed.
    for (k, a) in &after {
        if !reported.contains(k) {
            assert_eq!(before.get(k), Some(a), "{ctx}: unreported change of {k:?}");
        }
    }
    for k in before.keys() {
        if !reported.contains(k) {
            assert!(after.contains_key(k), "{ctx}: unreported delete of {k:?}");
        }
    }
}

/// Plan again and apply without faults: converges, then no changes.
async fn check_converges(ctx: &str, ctl: &FakeController, v: Version) {
    ctl.with(|s| {
        s.faults.script.clear();
        s.faults.latency_ms = 0;
    });
    let client = Client::connect(client_opts(ctl, false))
        .await
        .expect("connect");
    let (p, r) = apply_now(&client, v, 4).await;
    assert!(p.conflicts.is_empty(), "{ctx}: conflicts {:?}", p.conflicts);
    assert!(r.success(), "{ctx}: re-run failed:\n{}", r.text());
    let (p, _, _) = plan_now(&client, v).await;
    assert!(
        !p.has_changes(),
        "{ctx}: not converged: {:?}",
        p.changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| c.address())
            .collect::<Vec<_>>()
    );
    client.logout().await;
}

/// Bring the controller to `from` without faults, then apply `to` with
/// `script` (request offsets from the start of the run, counted from 1);
/// `meddle` runs between plan and apply. Checks the report and returns it.
async fn faulty_apply(
    ctx: &str,
    from: Version,
    to: Version,
    script: &[(u64, Fault)],
    parallelism: usize,
    meddle: impl FnOnce(&FakeController),
) -> (FakeController, Report) {
    let ctl = controller().await;
    if !matches!(from, Version::Empty) {
        let client = Client::connect(client_opts(&ctl, false))
            .await
            .expect("connect");
        let (_, r) = apply_now(&client, from, 4).await;
        assert!(r.success(), "{ctx}: setup failed:\n{}", r.text());
        client.logout().await;
    }
    let client = Client::connect(client_opts(&ctl, true))
        .await
        .expect("connect");
    let (p, sent, ps) = plan_now(&client, to).await;
    meddle(&ctl);
    let before = snapshot(&ctl);
    let base = ctl.with(|s| s.api_requests());
    ctl.with(|s| {
        s.faults.script = script.iter().map(|(n, f)| (base + n, f.clone())).collect();
    });
    let steps = apply::schedule(&p, &sent);
    let r = apply::execute(&client, steps, &Options::new(parallelism, ps)).await;
    ctl.with(|s| s.faults.script.clear());
    check_exact(ctx, &ctl, &before, &r, to).await;
    (ctl, r)
}

fn outcome<'a>(r: &'a Report, address: &str) -> &'a Outcome {
    &r.entries
        .iter()
        .find(|e| e.address == address)
        .unwrap_or_else(|| panic!("no step {address}:\n{}", r.text()))
        .outcome
}

fn first(r: &Report) -> &apply::Entry {
    r.entries.first().expect("a step")
}

#[tokio::test]
async fn dropped_connections_before_the_write() {
    // One drop is retried; three in a row outlast the retries: the step
    // fails, is read back as not created, and nothing after it starts.
    let script = [
        (1, Fault::Drop),
        (3, Fault::Drop),
        (4, Fault::Drop),
        (5, Fault::Drop),
    ];
    let (ctl, r) = faulty_apply("drop", Version::Empty, Version::Full, &script, 1, |_| {}).await;
    assert!(
        matches!(first(&r).outcome, Outcome::Done(_)),
        "{}",
        r.text()
    );
    let failed: Vec<_> = r.failed().collect();
    assert_eq!(failed.len(), 1, "{}", r.text());
    match &failed[0].outcome {
        Outcome::Failed(m) => assert!(m.contains("(not created)"), "{m}"),
        o => panic!("{o:?}"),
    }
    assert!(r.not_attempted().count() > 0, "{}", r.text());
    let dropped = ctl.with(|s| s.log.iter().filter(|l| l.status == 0).count());
    assert_eq!(dropped, 4);
    check_converges("drop", &ctl, Version::Full).await;
}

#[tokio::test]
async fn dropped_connections_after_the_write() {
    // The write takes effect each time, the answer never comes: the retry
    // finds the name taken (409) by this AKO's own object and replaces it;
    // when every answer is lost the object is read back and reported done.
    let script = [
        (1, Fault::DropAfterCommit),
        (2, Fault::DropAfterCommit),
        (3, Fault::DropAfterCommit),
    ];
    let (ctl, r) = faulty_apply(
        "drop after",
        Version::Empty,
        Version::Full,
        &script,
        1,
        |_| {},
    )
    .await;
    assert!(r.success(), "{}", r.text());
    assert!(
        matches!(first(&r).outcome, Outcome::Done(_)),
        "{}",
        r.text()
    );
    let conflicts = ctl.with(|s| s.log.iter().filter(|l| l.status == 409).count());
    assert!(conflicts >= 1, "the retried create met its own object");
    // Updates and deletes too.
    let script = [
        (2, Fault::DropAfterCommit),
        (5, Fault::DropAfterCommit),
        (9, Fault::DropAfterCommit),
    ];
    let (ctl, r) = faulty_apply(
        "drop after 2",
        Version::Full,
        Version::L7Changed,
        &script,
        1,
        |_| {},
    )
    .await;
    assert!(r.success(), "{}", r.text());
    assert!(r.counts().1 >= 1 && r.counts().2 >= 1, "{}", r.text());
    check_converges("drop after", &ctl, Version::L7Changed).await;
}

#[tokio::test]
async fn bursts_of_server_errors() {
    // Two 503s are retried through; a later burst of three outlasts the
    // retries and stops the run.
    let script = [
        (1, Fault::Status(503)),
        (2, Fault::Status(502)),
        (6, Fault::Status(503)),
        (7, Fault::Status(504)),
        (8, Fault::Status(503)),
    ];
    let (ctl, r) = faulty_apply("5xx", Version::Empty, Version::Full, &script, 1, |_| {}).await;
    assert_eq!(r.failed().count(), 1, "{}", r.text());
    assert!(r.done().count() >= 2, "{}", r.text());
    // A lost answer (500 after the write) is retried and reconciled.
    let script = [
        (1, Fault::StatusAfterCommit(500)),
        (4, Fault::StatusAfterCommit(503)),
    ];
    let (_, r2) = faulty_apply(
        "5xx after",
        Version::Full,
        Version::L7Changed,
        &script,
        1,
        |_| {},
    )
    .await;
    assert!(r2.success(), "{}", r2.text());
    check_converges("5xx", &ctl, Version::Full).await;
}

#[tokio::test]
async fn latency_spikes() {
    // A spike past the client's timeout loses the answer of a write that
    // took effect; short spikes only slow the run down.
    let script = [
        (1, Fault::Delay(400)),
        (3, Fault::Delay(5)),
        (4, Fault::Delay(400)),
        (5, Fault::Delay(400)),
        (6, Fault::Delay(400)),
    ];
    let (ctl, r) = faulty_apply("latency", Version::Empty, Version::Full, &script, 1, |_| {}).await;
    assert!(r.success(), "{}", r.text());
    let timeouts = ctl.with(|s| s.log.iter().filter(|l| l.status == 409).count());
    assert!(timeouts >= 1, "the retried create met its own object");
    check_converges("latency", &ctl, Version::Full).await;
}

#[tokio::test]
async fn sessions_expiring_mid_run() {
    let script = [
        (2, Fault::ExpireSessions),
        (5, Fault::ExpireSessions),
        (6, Fault::ExpireSessions),
    ];
    let (ctl, r) = faulty_apply("expiry", Version::Empty, Version::Full, &script, 3, |_| {}).await;
    assert!(r.success(), "{}", r.text());
    let logins = ctl.with(|s| s.log.iter().filter(|l| l.path == "/login").count());
    assert!(logins >= 4, "sessions were renewed: {logins} logins");
    check_converges("expiry", &ctl, Version::Full).await;
}

fn intruder(owner: &str) -> impl FnOnce(&FakeController) {
    let owner = owner.to_string();
    move |ctl: &FakeController| {
        ctl.with(|s| {
            s.insert(
                "pool",
                "admin",
                json!({"name": "demo--shop-payments-TCP-443", "created_by": owner,
                       "cloud_ref": "/api/cloud/?name=Default-Cloud",
                       "markers": [{"key": "clustername", "values": ["demo"]}]}),
            );
        })
    }
}

#[tokio::test]
async fn an_object_created_by_someone_else_between_plan_and_apply() {
    let pool = "pool/admin/demo--shop-payments-TCP-443";
    // Another owner: never taken over; the steps that need it do not run.
    let (ctl, r) = faulty_apply(
        "409 other",
        Version::Empty,
        Version::Full,
        &[],
        1,
        intruder("someone-else"),
    )
    .await;
    match outcome(&r, pool) {
        Outcome::Failed(m) => assert!(m.contains("created meanwhile"), "{m}"),
        o => panic!("{o:?}\n{}", r.text()),
    }
    let owner = ctl.with(|s| {
        s.objects()
            .iter()
            .find(|o| o.kind == "pool" && o.name == "demo--shop-payments-TCP-443")
            .and_then(|o| o.body.get("created_by").cloned())
    });
    assert_eq!(owner, Some(json!("someone-else")), "not taken over");
    // Planning again shows the conflict; once the other writer's object is
    // gone, the run converges.
    let client = Client::connect(client_opts(&ctl, false))
        .await
        .expect("connect");
    let (p, _, _) = plan_now(&client, Version::Full).await;
    assert_eq!(p.conflicts.len(), 1, "{:?}", p.conflicts);
    let uuid = ctl.with(|s| {
        s.objects()
            .iter()
            .find(|o| o.name == "demo--shop-payments-TCP-443")
            .map(|o| o.uuid.clone())
            .expect("intruder")
    });
    client
        .delete("pool", &uuid, "admin")
        .await
        .expect("intruder removed");
    client.logout().await;
    check_converges("409 other", &ctl, Version::Full).await;

    // This AKO's own object (AKO itself, or an earlier run): adopted.
    let (ctl, r) = faulty_apply(
        "409 same",
        Version::Empty,
        Version::Full,
        &[],
        1,
        intruder("ako-demo"),
    )
    .await;
    assert!(
        matches!(outcome(&r, pool), Outcome::Done(Written::Adopted(_))),
        "{}",
        r.text()
    );
    check_converges("409 same", &ctl, Version::Full).await;
}

/// xorshift64*, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn random_fault(rng: &mut Rng) -> Fault {
    match rng.below(9) {
        0 => Fault::Status([500, 502, 503, 504][rng.below(4) as usize]),
        1 => Fault::StatusAfterCommit([500, 503][rng.below(2) as usize]),
        2 | 3 => Fault::Drop,
        4 | 5 => Fault::DropAfterCommit,
        6 => Fault::Delay(if rng.below(3) == 0 { 200 } else { 3 }),
        7 => Fault::ExpireSessions,
        _ => Fault::Status(503),
    }
}

#[tokio::test]
async fn random_fault_schedules_keep_the_invariants() {
    let mut rng = Rng(0x005E_ED0F_FA17);
    let transitions = [
        (Version::Empty, Version::Full),
        (Version::Full, Version::L7Changed),
        (Version::L4Only, Version::L7Changed),
        (Version::L7Changed, Version::Full),
    ];
    for case in 0..100 {
        let (from, to) = transitions[rng.below(transitions.len() as u64) as usize];
        let n = rng.below(7);
        let mut script = Vec::new();
        for _ in 0..n {
            let at = 1 + rng.below(30);
            let f = random_fault(&mut rng);
            // A burst: the same fault on consecutive requests.
            let len = if rng.below(4) == 0 { 3 } else { 1 };
            for i in 0..len {
                script.push((at + i, f.clone()));
            }
        }
        let parallelism = [1, 3][rng.below(2) as usize];
        let meddle = rng.below(10);
        let ctx = format!(
            "case {case}: {from:?} -> {to:?}, parallelism {parallelism}, meddle {meddle}, script {script:?}"
        );
        let intrude = matches!(to, Version::Full) && meddle < 2;
        let (ctl, r) = faulty_apply(&ctx, from, to, &script, parallelism, |ctl| {
            if intrude {
                intruder(if meddle == 0 {
                    "someone-else"
                } else {
                    "ako-demo"
                })(ctl)
            }
        })
        .await;
        if intrude && meddle == 0 {
            // The other writer's object stays; remove it to converge.
            let pool = "pool/admin/demo--shop-payments-TCP-443";
            assert!(
                !matches!(outcome(&r, pool), Outcome::Done(_)),
                "{ctx}: another owner's object was taken over\n{}",
                r.text()
            );
            ctl.with(|s| {
                let n = s
                    .objects()
                    .iter()
                    .filter(|o| {
                        o.name == "demo--shop-payments-TCP-443"
                            && o.body.get("created_by") == Some(&Value::from("someone-else"))
                    })
                    .count();
                assert_eq!(n, 1, "{ctx}: the other owner's object is intact");
            });
            let client = Client::connect(client_opts(&ctl, false))
                .await
                .expect("connect");
            let uuid = ctl.with(|s| {
                s.objects()
                    .iter()
                    .find(|o| o.name == "demo--shop-payments-TCP-443")
                    .map(|o| o.uuid.clone())
                    .expect("intruder")
            });
            client
                .delete("pool", &uuid, "admin")
                .await
                .expect("intruder removed");
            client.logout().await;
        }
        check_converges(&ctx, &ctl, to).await;
    }
}

#[tokio::test]
async fn a_run_stops_when_its_apply_lock_is_taken_away() {
    use akoctl::apply::lock::{self, LeaseOptions};
    let ctl = controller().await;
    let client = Client::connect(client_opts(&ctl, false))
        .await
        .expect("connect");
    let opts = LeaseOptions {
        ttl: Duration::from_secs(5),
        renew_every: Duration::from_millis(30),
        skew: Duration::from_secs(0),
    };
    let lease = lock::acquire(&client, "demo", "admin", &opts)
        .await
        .expect("lock");
    // A second applier is refused while the lease lives.
    match lock::acquire(&client, "demo", "admin", &opts).await {
        Err(lock::LockError::Held { holder, .. }) => assert!(holder.contains("akoctl pid")),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("two holders of one lock"),
    }
    let (p, sent, ps) = plan_now(&client, Version::Full).await;
    let before = snapshot(&ctl);
    ctl.with(|s| s.faults.latency_ms = 15);
    let run = Options::new(1, ps);
    let stop = run.stop.clone();
    let steps = apply::schedule(&p, &sent);
    let thief = async {
        // Someone removes the lease while the run writes.
        tokio::time::sleep(Duration::from_millis(60)).await;
        let uuid = ctl.with(|s| {
            s.objects()
                .iter()
                .find(|o| o.kind == "ipaddrgroup")
                .map(|o| o.uuid.clone())
                .expect("lease")
        });
        let other = Client::connect(client_opts(&ctl, false))
            .await
            .expect("connect");
        other
            .delete(lock::LOCK_KIND, &uuid, "admin")
            .await
            .expect("removed");
        std::future::pending::<Report>().await
    };
    let r = tokio::select! {
        r = apply::execute(&client, steps, &run) => r,
        r = async { lease.keep_alive(stop.clone()).await; std::future::pending::<Report>().await } => r,
        r = thief => r,
    };
    ctl.with(|s| s.faults.latency_ms = 0);
    assert!(
        r.interrupted
            .as_deref()
            .is_some_and(|w| w.contains("taken over or removed")),
        "{}",
        r.text()
    );
    assert!(r.not_attempted().count() > 0, "{}", r.text());
    assert!(r.text().starts_with("Apply stopped"), "{}", r.text());
    check_exact("lease lost", &ctl, &before, &r, Version::Full).await;
    // Releasing a lease that is no longer ours removes nothing.
    let again = lock::acquire(&client, "demo", "admin", &opts)
        .await
        .expect("free again");
    assert!(lease.release().await.is_ok());
    assert_eq!(
        ctl.with(|s| s
            .objects()
            .iter()
            .filter(|o| o.kind == "ipaddrgroup")
            .count()),
        1,
        "the new holder's lease stays"
    );
    again.release().await.expect("released");
    check_converges("lease lost", &ctl, Version::Full).await;
}
