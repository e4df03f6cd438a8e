//! `cargo bench --bench pipeline`: parse, compile and plan on synthetic
//! clusters (see `akoctl::synth`).

use akoctl::compile::compile;
use akoctl::input::{Source, decode};
use akoctl::plan::state::{CurrentObject, State};
use akoctl::plan::{PlanSettings, plan};
use akoctl::settings::{CloudFacts, Settings};
use akoctl::synth::{GenSpec, generate};

fn main() {
    divan::main();
}

fn spec(n: usize) -> GenSpec {
    GenSpec {
        services: n,
        ingresses: n,
        hosts: 2,
        paths: 2,
        tls_percent: 30,
        ..GenSpec::default()
    }
}

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

fn source(n: usize) -> Vec<Source> {
    vec![Source {
        name: "synthetic.yaml".into(),
        text: generate(&spec(n)),
    }]
}

#[divan::bench(args = [100, 1000])]
fn parse_only(bencher: divan::Bencher, n: usize) {
    let src = source(n);
    bencher.bench(|| decode(divan::black_box(&src), "default").map(|(s, _)| s.services.len()));
}

#[divan::bench(args = [100, 1000])]
fn parse_and_compile(bencher: divan::Bencher, n: usize) {
    let src = source(n);
    let s = settings();
    bencher.bench(|| {
        let (snap, _) = decode(divan::black_box(&src), "default").expect("decodes");
        compile(&snap, &s).objects.objects.len()
    });
}

#[divan::bench(args = [100, 1000])]
fn compile_only(bencher: divan::Bencher, n: usize) {
    let (snap, _) = decode(&source(n), "default").expect("decodes");
    let s = settings();
    bencher.bench(|| compile(divan::black_box(&snap), &s).objects.objects.len());
}

#[divan::bench(args = [100, 1000])]
fn plan_against_equal_state(bencher: divan::Bencher, n: usize) {
    let (snap, _) = decode(&source(n), "default").expect("decodes");
    let s = settings();
    let desired = compile(&snap, &s).objects;
    let mut state = State::empty();
    for o in &desired.objects {
        state.push(CurrentObject {
            kind: o.kind,
            name: o.name.clone(),
            tenant: o.tenant.clone(),
            uuid: None,
            last_modified: None,
            body: o.body.clone(),
        });
    }
    let ps = PlanSettings::from_settings(&s);
    bencher.bench(|| plan(divan::black_box(&desired), &state, &ps).changes.len());
}
