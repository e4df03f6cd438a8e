//! `cargo bench --bench controller`: the controller targets, each measured
//! as a ratio within one run, against the in-memory dev controller on
//! 127.0.0.1 with 5 ms of latency injected before every answer.
//!
//! - read: `plan --controller`'s state read (`client::read::read_state`) of
//!   about 20,000 objects (those of a synthetic cluster, seeded straight into
//!   the controller), one page at a time (`concurrency` 1) over the default
//!   (pages and collections at once, at most `DEFAULT_CONCURRENCY` GETs in
//!   flight);
//! - apply: about 5,000 creates (a synthetic cluster's plan against an empty
//!   controller) with `--parallelism 1` over `--parallelism 16`.
//!
//! Sizes: `AKOCTL_BENCH_READ_N` and `AKOCTL_BENCH_APPLY_N` (Services and
//! Ingresses of the synthetic cluster; defaults 1650 and 425 give about
//! 20,000 objects and 5,000 creates); `AKOCTL_BENCH_LATENCY_MS` (default 5).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use akoctl::apply;
use akoctl::client::read::read_state;
use akoctl::client::{Client, ClientOptions, Credential, DEFAULT_CONCURRENCY};
use akoctl::compile::compile;
use akoctl::devctl::{Config, FakeController};
use akoctl::input::{Source, decode};
use akoctl::model::ObjectSet;
use akoctl::plan::state::State;
use akoctl::plan::{PlanSettings, plan};
use akoctl::settings::{CloudFacts, Settings};
use akoctl::synth::{GenSpec, generate};
use serde_json::{Value, json};

fn settings() -> Settings {
    Settings {
        cluster_name: "bench".into(),
        cloud: CloudFacts {
            dns_subdomains: vec!["example.com".into()],
            ..CloudFacts::default()
        },
        ..Settings::default()
    }
}

/// The objects of a synthetic cluster of `n` Services and `n` Ingresses.
fn desired(n: usize, s: &Settings) -> ObjectSet {
    let src = vec![Source {
        name: "synthetic.yaml".into(),
        text: generate(&GenSpec {
            services: n,
            ingresses: n,
            ..GenSpec::default()
        }),
    }];
    let (snap, _) = decode(&src, "default").expect("synthetic input decodes");
    compile(&snap, s).objects
}

/// A dev controller on its own thread and runtime, alive until the end.
fn controller(latency_ms: u64) -> FakeController {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let ctl = FakeController::start(Config::default())
                .await
                .expect("start");
            ctl.with(|s| s.faults.latency_ms = latency_ms);
            tx.send(ctl).expect("send");
            std::future::pending::<()>().await
        });
    });
    rx.recv().expect("controller started")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn connect(rt: &tokio::runtime::Runtime, ctl: &FakeController, concurrency: usize) -> Client {
    let mut o = ClientOptions::new(&ctl.url(), "admin", Credential::Password("admin".into()));
    o.concurrency = concurrency;
    rt.block_on(Client::connect(o)).expect("login")
}

/// Seed `objs` into the controller as they are (refs by name), in one go.
fn seed(ctl: &FakeController, objs: &ObjectSet) {
    ctl.with(|store| {
        let mut saved = store.to_json();
        let mut counter = saved.get("counter").and_then(Value::as_u64).unwrap_or(0);
        if let Some(Value::Array(list)) = saved.get_mut("objects") {
            for o in &objs.objects {
                counter += 1;
                list.push(json!({
                    "kind": o.kind.as_str(),
                    "uuid": format!("{}-{counter:08x}", o.kind.as_str()),
                    "tenant": o.tenant,
                    "name": o.name,
                    "body": o.body,
                    "last_modified": counter,
                }));
            }
        }
        saved["counter"] = json!(counter);
        store.load_json(&saved).expect("seed");
    });
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo test --benches` passes no `--bench`: keep that run tiny.
    let quick = !std::env::args().any(|a| a == "--bench");
    let latency = env("AKOCTL_BENCH_LATENCY_MS", 5);
    let read_n = env("AKOCTL_BENCH_READ_N", if quick { 10 } else { 1650 }) as usize;
    let apply_n = env("AKOCTL_BENCH_APPLY_N", if quick { 5 } else { 425 }) as usize;
    let s = settings();
    let rt = runtime();

    // Read.
    let objs = desired(read_n, &s);
    let ctl = controller(latency);
    seed(&ctl, &objs);
    if std::env::var("AKOCTL_BENCH_SIZE").is_ok() {
        let bytes: usize = objs.objects.iter().map(|o| o.body.to_string().len()).sum();
        println!(
            "bodies: {} objects, {bytes} bytes of compact JSON",
            objs.objects.len()
        );
    }
    let read = |concurrency: usize| {
        let client = connect(&rt, &ctl, concurrency);
        let t = Instant::now();
        let state = rt.block_on(read_state(&client, &s, None)).expect("read");
        let took = t.elapsed();
        assert!(state.objects.len() >= objs.objects.len());
        (took, state.objects.len())
    };
    // A first read, untimed, so that both timed reads find the controller
    // in the same state (its answers for this data already rendered).
    read(DEFAULT_CONCURRENCY);
    let (paged, read_objects) = read(1);
    let (parallel, again) = read(DEFAULT_CONCURRENCY);
    assert_eq!(read_objects, again);
    println!(
        "read {} objects, {latency} ms latency: one page at a time {:.0} ms, \
         concurrency {DEFAULT_CONCURRENCY} {:.0} ms, speed-up {:.2} (target >= 5)",
        read_objects,
        ms(paged),
        ms(parallel),
        ratio(paged, parallel)
    );

    // Apply.
    let objs = desired(apply_n, &s);
    let ps = PlanSettings::from_settings(&s);
    let run = |parallelism: usize| {
        let ctl = controller(latency);
        let client = connect(&rt, &ctl, DEFAULT_CONCURRENCY);
        let p = plan(&objs, &State::empty(), &ps);
        let steps = apply::schedule(&p, &objs);
        let n = steps.len();
        let t = Instant::now();
        let opts = apply::Options::new(parallelism, ps.clone());
        let report = rt.block_on(apply::execute(&client, steps, &opts));
        let took = t.elapsed();
        assert!(report.success(), "{}", report.text());
        (took, n)
    };
    let (seq, n) = run(1);
    let (par, _) = run(16);
    println!(
        "apply {n} creates, {latency} ms latency: --parallelism 1 {:.0} ms, \
         --parallelism 16 {:.0} ms, speed-up {:.2} (target >= 8)",
        ms(seq),
        ms(par),
        ratio(seq, par)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}
