//! `akoctl explain-name` through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

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
    // Not found: exit 1 (documented in the help), with suggestions.
    with_inputs(akoctl().args(["explain-name", "cluster--red-ns-wep"]))
        .assert()
        .code(1)
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

#[test]
fn not_found_exits_1_and_the_tree_is_drawn_right() {
    with_inputs(akoctl().args(["explain-name", "--for", "service/red/no-such"]))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("produces no Avi object"));
    akoctl()
        .args(["explain-name", "nothing-like-a-name"])
        .assert()
        .code(1);
    let out = with_inputs(akoctl().args(["explain-name", "cluster--red-ns-api"]))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    // Branches are ├─ except the last, └─; nothing hangs below the last one
    // with a │.
    let last = lines
        .iter()
        .rposition(|l| l.starts_with("└─"))
        .expect("a last branch");
    assert!(
        lines[last + 1..].iter().all(|l| !l.starts_with('│')),
        "{text}"
    );
    assert!(
        !text.contains(".md"),
        "cites AKO's source, not documents: {text}"
    );
    assert!(text.contains("internal/lib/lib.go"), "{text}");
}

/// `explain-name NAME` on a compile case's inputs (extra args after): stdout.
fn run_case(case: &str, name: &str, extra: &[&str]) -> Vec<u8> {
    let dir = format!("testdata/compile/{case}");
    let out = akoctl()
        .args([
            "explain-name",
            name,
            "-f",
            &format!("{dir}/input.yaml"),
            "--values",
            &format!("{dir}/values.yaml"),
        ])
        .args(extra)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `explain-name NAME -o json` on a compile case's inputs (extra args after).
fn explain_case(case: &str, name: &str, extra: &[&str]) -> Value {
    let mut args = vec!["-o", "json"];
    args.extend_from_slice(extra);
    serde_json::from_slice(&run_case(case, name, &args)).expect("json")
}

/// The rules of the readings of the match of `kind`.
fn rules_of(v: &Value, kind: &str) -> Vec<String> {
    v["matches"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["type"] == kind)
        .flat_map(|m| m["readings"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r["rule"].as_str().map(str::to_string))
        .collect()
}

fn match_of<'a>(v: &'a Value, kind: &str) -> &'a Value {
    v["matches"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["type"] == kind))
        .unwrap_or(&Value::Null)
}

#[test]
fn regex_renamed_sni_pool_is_read_back() {
    // HostRule useRegex in SNI mode: pool and pool group become
    // cluster--sha1(cluster--default-a.com_-ing) (translation-extended.md §2.2.5).
    let v = explain_case(
        "crd-hostrule-regex-approot",
        "cluster--4851d9054b60dfc962bef6603005f36b2c9e9638",
        &[],
    );
    for kind in ["pool", "poolgroup"] {
        let m = match_of(&v, kind);
        assert_eq!(m["encoded_from"], "cluster--default-a.com_-ing", "{kind}");
        let rules = rules_of(&v, kind);
        assert!(
            rules
                .iter()
                .any(|r| r.contains("renamed for HostRule useRegex")),
            "{rules:?}"
        );
        let sni = m["readings"]
            .as_array()
            .and_then(|a| a.iter().find(|r| r["parts"]["ingress"] == "ing"))
            .expect("SNI pool reading");
        assert_eq!(sni["parts"]["host"], "a.com");
        assert_eq!(sni["parts"]["path"], "/");
    }
}

#[test]
fn regex_string_group_is_read_back() {
    let v = explain_case(
        "crd-hostrule-regex-approot",
        "ako-cluster-292c3039531b09814f9b7d1e4b65ef8e5e9a7d1c",
        &[],
    );
    let m = match_of(&v, "stringgroup");
    assert_eq!(m["encoded_from"], "a.com/api/v[0-9]+");
    let r = m["readings"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["parts"]["host"] == "a.com"))
        .expect("host/path reading");
    assert_eq!(r["parts"]["path"], "/api/v[0-9]+");
}

#[test]
fn httprule_pki_profile_in_evh_mode_is_read_back() {
    // enc(<un-hashed pool> + "-pkiprofile") (translation-extended.md §2.3).
    let v = explain_case(
        "crd-httprule-evh",
        "cluster--0b9ad1d2731fc826af21a9ef19fb7bfbb8eed0c3",
        &[],
    );
    let m = match_of(&v, "pkiprofile");
    assert_eq!(
        m["encoded_from"],
        "cluster--default-a.com_api-ing-web-pkiprofile"
    );
    assert!(
        rules_of(&v, "pkiprofile")
            .iter()
            .any(|r| r.contains("HTTPRule destination CA"))
    );
    // The pool itself: the EVH pool formula with its service.
    let v = explain_case(
        "crd-httprule-evh",
        "cluster--d9140fa13991d12b006fcf0c6cc27c23e7a2957b",
        &[],
    );
    let r = match_of(&v, "pool")["readings"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["rule"] == "EVH pool, Route pool"))
        .cloned()
        .expect("EVH pool reading");
    assert_eq!(r["parts"]["service"], "web");
    assert_eq!(r["parts"]["path"], "/api");
}

#[test]
fn gslb_header_rewrite_policy_set() {
    let v = explain_case(
        "crd-hostrule-gslb",
        "cluster--Shared-L7-0--host-hdr-re-write--c.com",
        &[],
    );
    let r = &match_of(&v, "httppolicyset")["readings"][0];
    assert_eq!(r["parts"]["vs"], "cluster--Shared-L7-0");
    assert_eq!(r["parts"]["host"], "c.com");
    assert!(
        r["spec"]
            .as_str()
            .is_some_and(|s| s.contains("GetHeaderRewritePolicy"))
    );
}

#[test]
fn services_api_gateway_l4_names() {
    // Plain names: the gateway readings fit the sources; the L4 Service and
    // shared-VIP readings of the same shape do not.
    let v = explain_case("servicesapi-infra", "cluster--default-web-gw-a-TCP-80", &[]);
    assert_eq!(
        rules_of(&v, "pool"),
        vec!["services-API gateway pool (one per listener)"]
    );
    let v = explain_case("servicesapi-infra", "cluster--default-gw-a", &[]);
    assert_eq!(
        rules_of(&v, "virtualservice"),
        vec!["services-API gateway L4 virtual service"]
    );
    // EVH mode hashes them: enc(P + gwNs-gwName), enc(P + ns-svc-gw-PROTO-port).
    let evh = ["--set", "AKOSettings.enableEVH=true"];
    let v = explain_case(
        "servicesapi-infra",
        "cluster--138ec223d65074732722f142e3cb8d02070e384c",
        &evh,
    );
    assert_eq!(
        match_of(&v, "virtualservice")["encoded_from"],
        "cluster--default-gw-a"
    );
    let v = explain_case(
        "servicesapi-infra",
        "cluster--aa5557f8c4b86f7657fdde53df9d264e89b5b9f7",
        &evh,
    );
    let m = match_of(&v, "pool");
    assert_eq!(m["encoded_from"], "cluster--default-web-gw-a-TCP-80");
    assert!(
        rules_of(&v, "pool")
            .iter()
            .any(|r| r == "services-API gateway pool (one per listener)")
    );
}

#[test]
fn reverse_lists_what_an_l4rule_changes() {
    // `--for` takes the CRD kinds too: the L4Rule's VS, VIP and pool.
    let dir = "testdata/compile/crd-l4rule-shared-vip";
    akoctl()
        .args([
            "explain-name",
            "--for",
            "l4rule/red/rule2",
            "-f",
            &format!("{dir}/input.yaml"),
            "--values",
            &format!("{dir}/values.yaml"),
            "--cloud-facts",
            &format!("{dir}/cloud-facts.yaml"),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("L4Rule/red/rule2"))
        .stdout(predicate::str::contains("virtualservice cluster--red-k2"))
        .stdout(predicate::str::contains("pool cluster--red-c-k2-TCP-80"));
}

/// explain-name says which AKO release's names and objects it modelled.
#[test]
fn the_modelled_release_is_said() {
    akoctl()
        .args([
            "explain-name",
            "cluster--red-ns-web-TCP-80",
            "--ako-version",
            "1.12.3",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Modelled release: AKO 1.12.3"));
    let out = akoctl()
        .args(["explain-name", "cluster--red-ns-web-TCP-80", "-o", "json"])
        .output()
        .expect("run");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["ako_version"], "2.2.1");
    akoctl()
        .args(["explain-name", "x", "--ako-version", "3.0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "akoctl models 2.2.x, 2.1.x, 1.13.x, 1.12.x",
        ));
}

/// `--cloud-facts` of a compile case, when it has them.
fn facts(case: &str) -> Vec<String> {
    let f = format!("testdata/compile/{case}/cloud-facts.yaml");
    if std::path::Path::new(&f).exists() {
        vec!["--cloud-facts".into(), f]
    } else {
        Vec::new()
    }
}

/// The text answer for a name of a compiled case, without the diagnostics.
fn explain_text(case: &str, name: &str) -> String {
    let f = facts(case);
    let args: Vec<&str> = f.iter().map(String::as_str).collect();
    String::from_utf8(run_case(case, name, &args)).expect("utf-8")
}

/// Every match of a hashed name shows the text compile recorded for it,
/// and that text is what the name hashes: `<prefix><sha1(text)>`.
fn assert_recorded(case: &str, name: &str, prefix: &str) -> Value {
    let f = facts(case);
    let args: Vec<&str> = f.iter().map(String::as_str).collect();
    let v = explain_case(case, name, &args);
    let matches = v["matches"].as_array().expect("matches");
    assert!(!matches.is_empty(), "{name}: no match");
    for m in matches {
        let text = m["encoded_from"].as_str().expect("encoded_from");
        assert_eq!(
            format!("{prefix}{}", akoctl::names::sha1_hex(text)),
            name,
            "{text}"
        );
    }
    v
}

/// The recorded reading of the match of `kind`: its parts.
fn recorded_parts(v: &Value, kind: &str) -> Value {
    match_of(v, kind)["readings"]
        .as_array()
        .and_then(|rs| rs.last())
        .map(|r| r["parts"].clone())
        .unwrap_or(Value::Null)
}

#[test]
fn gateway_child_vs_and_pool_group_show_route_and_rule() {
    let name = "ako-gw-cluster--240aee13774d31467796d1dadaee3bd44fcebed8";
    let v = assert_recorded("gateway-httproute", name, "ako-gw-cluster--");
    for kind in ["virtualservice", "poolgroup"] {
        let p = recorded_parts(&v, kind);
        assert_eq!(p["gateway"], "gw", "{kind}");
        assert_eq!(p["route"], "shop", "{kind}");
        assert_eq!(p["rule index"], "2", "{kind}");
        // `<rule>` is the FNV-1a of the rule's matches, as text.
        let matches = p["rule matches"].as_str().expect("rule matches");
        assert_eq!(
            p["rule"],
            akoctl::compile::common::fnv1a32(matches).to_string()
        );
    }
    insta::assert_snapshot!(explain_text("gateway-httproute", name));
}

#[test]
fn gateway_pool_shows_route_rule_and_backend() {
    let name = "ako-gw-cluster--7f502a0a7bee9f8858b8d900cff68fb7fe621c6e";
    let v = assert_recorded("gateway-httproute", name, "ako-gw-cluster--");
    let p = recorded_parts(&v, "pool");
    assert_eq!(
        (&p["backend-namespace"], &p["backend"], &p["port"]),
        (&json!("default"), &json!("svc-b"), &json!("80"))
    );
    assert_eq!(p["rule index"], "0");
    insta::assert_snapshot!(explain_text("gateway-httproute", name));
}

#[test]
fn evh_l4_vs_and_pool_show_the_service() {
    let case = "crd-l4rule-evh-backend";
    let vs = "cluster--cdfdc3101fa8379336b6c5114d13ee35d51bf44a";
    let v = assert_recorded(case, vs, "cluster--");
    assert_eq!(
        match_of(&v, "virtualservice")["encoded_from"],
        "cluster--blue-dns"
    );
    let p = recorded_parts(&v, "virtualservice");
    assert_eq!(
        (&p["namespace"], &p["service"]),
        (&json!("blue"), &json!("dns"))
    );
    insta::assert_snapshot!("evh_l4_vs", explain_text(case, vs));
    let pool = "cluster--229488ffb5ec2c1be0ec67a4e2e1233ddadd6069";
    let v = assert_recorded(case, pool, "cluster--");
    let p = recorded_parts(&v, "pool");
    assert_eq!((&p["protocol"], &p["port"]), (&json!("UDP"), &json!("53")));
    insta::assert_snapshot!("evh_l4_pool", explain_text(case, pool));
}

#[test]
fn gateway_listener_certificate_shows_gateway_and_secret() {
    let case = "gateway-tls-listeners";
    let name = "ako-gw-cluster--1721aac526f5decc9ff941500bca333c5c664ddc";
    let v = assert_recorded(case, name, "ako-gw-cluster--");
    let p = recorded_parts(&v, "sslkeyandcertificate");
    for key in ["gateway-namespace", "gateway", "secret-namespace", "secret"] {
        assert!(p[key].is_string(), "{key} in {p}");
    }
    let text = match_of(&v, "sslkeyandcertificate")["encoded_from"]
        .as_str()
        .expect("text");
    let joined = [
        &p["gateway-namespace"],
        &p["gateway"],
        &p["secret-namespace"],
        &p["secret"],
    ]
    .map(|x| x.as_str().expect("part").to_string())
    .join("-");
    assert_eq!(text, joined);
    insta::assert_snapshot!(explain_text(case, name));
}

#[test]
fn gateway_persistence_profile_shows_route_and_rule() {
    let case = "gateway-session-persistence";
    let name = "ako-gw-cluster--30a37af899a84e0a0297f9bf39451e31768f09fc";
    let v = assert_recorded(case, name, "ako-gw-cluster--");
    let text = match_of(&v, "applicationpersistenceprofile")["encoded_from"]
        .as_str()
        .expect("text");
    assert!(text.contains("-PERSISTENCE_TYPE_HTTP_COOKIE-"), "{text}");
    let p = recorded_parts(&v, "applicationpersistenceprofile");
    assert!(p["route"].is_string() && p["rule index"].is_string(), "{p}");
    insta::assert_snapshot!(explain_text(case, name));
}

#[test]
fn gateway_dedicated_mode_names_show_their_parts() {
    let case = "gateway-dedicated";
    let policy = "ako-gw-cluster--94bfef90302c7badc9e261bc0324d23c1a2e9138";
    let v = assert_recorded(case, policy, "ako-gw-cluster--");
    let text = match_of(&v, "httppolicyset")["encoded_from"]
        .as_str()
        .expect("text");
    assert!(text.ends_with("-httproute"), "{text}");
    insta::assert_snapshot!("gateway_dedicated_policy", explain_text(case, policy));
    let pool = "ako-gw-cluster--1be3bbcc12681b1503cbcc30b92cf2632e492185";
    let v = assert_recorded(case, pool, "ako-gw-cluster--");
    let p = recorded_parts(&v, "pool");
    // The pool group part is itself a hashed name, whose text is shown.
    let pg = p["pool-group"].as_str().expect("pool-group");
    let pg_text = p["pool-group hashes"].as_str().expect("pool-group text");
    assert_eq!(
        format!("ako-gw-cluster--{}", akoctl::names::sha1_hex(pg_text)),
        pg
    );
    insta::assert_snapshot!("gateway_dedicated_pool", explain_text(case, pool));
    let sg = "ako-gw-cluster-avi-system-3bb844e46e3598bcfc9a079e879b0cb12e5a6833";
    let v = assert_recorded(case, sg, "ako-gw-cluster-avi-system-");
    assert!(recorded_parts(&v, "stringgroup")["path"].is_string());
    insta::assert_snapshot!("gateway_dedicated_string_group", explain_text(case, sg));
}

#[test]
fn evh_l7_pool_and_pool_group_show_the_ingress() {
    let case = "evh-shard-small-generated";
    let pool = "k8s1--2b896f9c90e512282e4e20aa808e0ff2c02f853d";
    let v = assert_recorded(case, pool, "k8s1--");
    let p = recorded_parts(&v, "pool");
    assert_eq!(
        (&p["namespace"], &p["ingress"], &p["service"]),
        (&json!("default"), &json!("ing-0"), &json!("web-1"))
    );
    assert!(p["host"].is_string(), "{p}");
    insta::assert_snapshot!("evh_l7_pool", explain_text(case, pool));
    let pg = "k8s1--a91e785890ee83712769c583e819c565ebe25eee";
    let v = assert_recorded(case, pg, "k8s1--");
    let p = recorded_parts(&v, "poolgroup");
    assert_eq!(p["ingress"], "ing-1");
    insta::assert_snapshot!("evh_l7_pool_group", explain_text(case, pg));
}

#[test]
fn evh_certificate_shows_the_host() {
    let case = "crd-hostrule-evh";
    let name = "cluster--3400e50931efc9721f3635a1f77fbd863bdfb52c";
    let v = assert_recorded(case, name, "cluster--");
    let p = recorded_parts(&v, "sslkeyandcertificate");
    assert!(p["host"].is_string(), "{p}");
    insta::assert_snapshot!("evh_certificate", explain_text(case, name));
}
