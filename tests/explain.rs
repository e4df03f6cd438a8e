//! `akoctl explain-name` through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const D: &str = "testdata/explain";

fn akoctl() -> Command {
    let mut c = Command::cargo_bin("akoctl").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

fn with_inputs(c: &mut Command) -> &mut Command {
    c.args([
        "-f",
        &format!("{D}/input.yaml"),
        "--values",
        &format!("{D}/values.yaml"),
    ])
}

#[test]
fn without_inputs_every_reading_is_listed() {
    akoctl()
        .args(["explain-name", "cluster--red-ns-web-TCP-80"])
        .assert()
        .success()
        .stdout(predicate::str::contains("namespace=red, service=ns-web"))
        .stdout(predicate::str::contains("namespace=red-ns, service=web"))
        .stdout(predicate::str::contains("splits in"));
}

#[test]
fn with_inputs_the_sources_decide_the_split() {
    let out =
        with_inputs(akoctl().args(["explain-name", "cluster--red-ns-web-TCP-80", "-o", "json"]))
            .output()
            .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let m = &v["matches"][0];
    assert_eq!(m["type"], "pool");
    assert_eq!(m["sources"][0], "Service/red-ns/web");
    assert_eq!(m["readings"].as_array().map(Vec::len), Some(1));
    assert_eq!(m["readings"][0]["parts"]["namespace"], "red-ns");
}

#[test]
fn shard_explanation_shows_each_hosts_hash() {
    // xyz.com and foobar.com both hash to shard 3 of 8 (translation-core.md §3).
    with_inputs(akoctl().args(["explain-name", "cluster--Shared-L7-3"]))
        .assert()
        .success()
        .stdout(predicate::str::contains("shard 3 of 8"))
        .stdout(predicate::str::contains("xyz.com -> 0xfa91f113 -> 3"))
        .stdout(predicate::str::contains("foobar.com -> 0xacc151cb -> 3"));
}

#[test]
fn encoded_name_without_and_with_inputs() {
    akoctl()
        .args([
            "explain-name",
            "cluster--532fd312059d5096118cb0bc3d1135a36cc4f826",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("encoded (SHA-1)"))
        .stdout(predicate::str::contains("-f MANIFESTS"));
}

#[test]
fn no_match_suggests_the_closest_names() {
    with_inputs(akoctl().args(["explain-name", "cluster--red-ns-wep"]))
        .assert()
        .success()
        .stdout(predicate::str::contains("did you mean"))
        .stdout(predicate::str::contains("cluster--red-ns-web"));
}

#[test]
fn reverse_lists_what_an_object_produces() {
    with_inputs(akoctl().args(["explain-name", "--for", "service/red/ns-api"]))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "virtualservice cluster--red-ns-api",
        ))
        .stdout(predicate::str::contains("pool cluster--red-ns-api-TCP-80"));
    with_inputs(akoctl().args(["explain-name", "--for", "ingress/default/shop"]))
        .assert()
        .success()
        .stdout(predicate::str::contains("cluster--Shared-L7-3"));
    akoctl()
        .args(["explain-name", "--for", "widget/a/b", "-f", "x.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown kind"));
}
