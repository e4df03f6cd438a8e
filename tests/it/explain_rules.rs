//! `akoctl compile --explain-rules`: which CRD set which field.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const CASE: &str = "testdata/compile/crd-post-pass/gencrd-1007";

fn case(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(CASE).join(p)
}

fn compile(extra: &[&str]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_akoctl"));
    c.arg("compile")
        .arg("-f")
        .arg(case("input.yaml"))
        .arg("--values")
        .arg(case("values.yaml"))
        .arg("--cloud-facts")
        .arg(case("cloud-facts.yaml"))
        .args(extra);
    c.output().expect("akoctl runs")
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn json_gets_a_rules_key_only_with_the_flag() {
    let plain = json(&compile(&["-o", "json"]));
    assert!(plain.get("rules").is_none(), "default output has no rules");
    let explained = json(&compile(&["-o", "json", "--explain-rules"]));
    assert_eq!(explained["objects"], plain["objects"]);
    let rules = explained["rules"].as_array().cloned().unwrap_or_default();
    assert!(!rules.is_empty(), "{explained}");
    for r in &rules {
        for k in ["type", "tenant", "name", "field", "source"] {
            assert!(r[k].is_string(), "{k} in {r}");
        }
        // Every explained field is on an object of the output.
        let on_object = plain["objects"].as_array().into_iter().flatten().any(|o| {
            o["type"] == r["type"]
                && o["name"] == r["name"]
                && o["body"].get(r["field"].as_str().unwrap_or("")).is_some()
        });
        assert!(on_object, "{r}");
    }
    assert!(
        rules.iter().any(|r| r["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("HostRule "))),
        "{rules:?}"
    );
}

#[test]
fn other_formats_print_rules_on_stderr() {
    let out = compile(&["-o", "yaml", "--explain-rules"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("rule: ")).collect();
    assert!(!lines.is_empty(), "{err}");
    assert!(lines.iter().all(|l| l.contains(" <- ")), "{err}");
    let quiet = compile(&["-o", "yaml"]);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("rule: "));
}

/// The CRD example of the README: a HostRule and an HTTPRule at work.
#[test]
fn crds_example_shows_a_host_rule_and_an_http_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/examples/crds");
    let out = Command::new(env!("CARGO_BIN_EXE_akoctl"))
        .arg("compile")
        .arg("-f")
        .arg(dir.join("manifests"))
        .arg("--values")
        .arg(dir.join("values.yaml"))
        .arg("--cloud-facts")
        .arg(dir.join("cloud-facts.yaml"))
        .args(["-o", "json", "--explain-rules"])
        .output()
        .expect("akoctl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let objects = v["objects"].as_array().cloned().unwrap_or_default();
    let find = |t: &str, n: &str| {
        objects
            .iter()
            .find(|o| o["type"] == t && o["name"] == n)
            .map(|o| o["body"].clone())
            .unwrap_or(Value::Null)
    };
    let rules = v["rules"].as_array().cloned().unwrap_or_default();
    let explained = |t: &str, n: &str, field: &str, src: &str| {
        rules
            .iter()
            .any(|r| r["type"] == t && r["name"] == n && r["field"] == field && r["source"] == src)
    };
    // HostRule: SSL profile, alias and client logs on the SNI child.
    let child = find("virtualservice", "demo--shop.avi.internal");
    assert_eq!(
        child["ssl_profile_ref"],
        "/api/sslprofile/?name=System-Standard"
    );
    assert_eq!(
        child["vh_domain_name"],
        serde_json::json!(["shop.avi.internal", "www.shop.avi.internal"])
    );
    assert_eq!(
        child["analytics_policy"]["full_client_logs"]["throttle"],
        50
    );
    assert!(explained(
        "virtualservice",
        "demo--shop.avi.internal",
        "ssl_profile_ref",
        "HostRule shop/shop"
    ));
    // HostRule: regex paths through string groups, / moved to /store.
    let ps = find("httppolicyset", "demo--shop-shop.avi.internal");
    let rules_of_ps = ps["http_request_policy"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        rules_of_ps
            .iter()
            .any(|r| r["match"]["path"]["match_criteria"] == "REGEX_MATCH")
    );
    assert!(
        rules_of_ps
            .iter()
            .any(|r| { r["redirect_action"]["path"]["tokens"][0]["str_value"] == "store" })
    );
    let groups: Vec<&Value> = objects
        .iter()
        .filter(|o| o["type"] == "stringgroup")
        .collect();
    assert_eq!(groups.len(), 2);
    // HTTPRule: consistent hashing and HTTP/2 on the /api pool (renamed for regex).
    let api_pool = objects.iter().find(|o| {
        o["type"] == "pool" && o["body"]["lb_algorithm"] == "LB_ALGORITHM_CONSISTENT_HASH"
    });
    let api_pool = api_pool.expect("the /api pool takes the HTTPRule");
    assert_eq!(api_pool["body"]["enable_http2"], true);
    let name = api_pool["name"].as_str().unwrap_or("");
    assert!(
        explained("pool", name, "lb_algorithm", "HTTPRule shop/shop"),
        "{rules:?}"
    );
    // The insecure host is left alone.
    let blog = find("pool", "demo--blog.avi.internal_-shop-shop");
    assert!(blog.get("lb_algorithm").is_none());
}
