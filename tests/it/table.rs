//! `-o table` fitted to 80, 100 and 200 columns, and `-o wide` (snapshots
//! in tests/it/snapshots/).

use std::path::Path;

use akoctl::model::ObjectSet;
use akoctl::render::{self, Format};
use akoctl::settings::values::{self, SettingsInput};

/// The OpenShift example: long names and objects with many sources.
fn compiled() -> ObjectSet {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/examples/openshift");
    let read = |f: &str| std::fs::read_to_string(root.join(f)).expect("read");
    let (values, facts) = (read("values.yaml"), read("cloud-facts.yaml"));
    let (settings, _) = values::load(&SettingsInput {
        values: Some(("values.yaml", &values)),
        sets: &[],
        cloud_facts: Some(("cloud-facts.yaml", &facts)),
    })
    .expect("settings");
    let sources = akoctl::input::read_sources(&[root.join("manifests").display().to_string()])
        .expect("sources");
    let (snapshot, _) = akoctl::input::decode(&sources, "default").expect("decode");
    akoctl::compile::compile(&snapshot, &settings).objects
}

fn check(width: usize, text: &str) {
    for l in text.lines() {
        assert!(l.chars().count() <= width, "{} > {width}: {l:?}", l.len());
        assert_eq!(l, l.trim_end(), "trailing spaces: {l:?}");
    }
}

#[test]
fn table_fits_80_100_and_200_columns() {
    let set = compiled();
    for w in [80, 100, 200] {
        let t = render::table_fit(&set, w);
        check(w, &t);
        insta::assert_snapshot!(format!("table_{w}"), t);
    }
    let t80 = render::table_fit(&set, 80);
    assert!(t80.contains(" more"), "{t80}");
}

#[test]
fn wide_shows_every_source() {
    let set = compiled();
    let wide = render::render(&set, Format::Wide);
    assert!(!wide.contains(" more"), "{wide}");
    for o in &set.objects {
        for s in &o.sources {
            assert!(wide.contains(s.as_str()), "{s} missing");
        }
    }
    assert!(wide.lines().all(|l| l == l.trim_end()));
}
