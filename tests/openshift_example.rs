//! The OpenShift example under `testdata/examples/openshift/` compiles and
//! yields the objects its comments promise.

use std::process::Command;

use serde_json::Value;

#[test]
fn openshift_example_compiles() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/examples/openshift");
    let out = Command::new(env!("CARGO_BIN_EXE_akoctl"))
        .current_dir(dir)
        .args([
            "compile",
            "-f",
            "manifests/",
            "--values",
            "values.yaml",
            "--cloud-facts",
            "cloud-facts.yaml",
            "-o",
            "json",
        ])
        .output()
        .expect("akoctl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json output");
    let objects = v["objects"].as_array().cloned().unwrap_or_default();
    let find = |t: &str, n: &str| {
        objects
            .iter()
            .find(|o| o["type"] == t && o["name"] == n)
            .map(|o| o["body"].clone())
    };
    // Canary weights become poolgroup ratios.
    let pg = find("poolgroup", "ocp--api-api.apps.ocp.example.com-api").unwrap_or_default();
    let mut ratios: Vec<i64> = pg["members"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["ratio"].as_i64())
        .collect();
    ratios.sort();
    assert_eq!(ratios, vec![20, 80]);
    // Reencrypt with a destination CA: pool TLS and a PKI profile per pool.
    let pool = find("pool", "ocp--api-api.apps.ocp.example.com-api-api-v1").unwrap_or_default();
    assert_eq!(pool["sni_enabled"], Value::Bool(true));
    assert!(
        find(
            "pkiprofile",
            "ocp--api-api.apps.ocp.example.com-api-api-v2-pkiprofile"
        )
        .is_some()
    );
    // Passthrough with Redirect: the L4 VS and its insecure companion.
    assert!(find("virtualservice", "ocp--Shared-Passthrough-0").is_some());
    assert!(find("virtualservice", "ocp--Shared-Passthrough-0-insecure").is_some());
    // The edge Route with Redirect puts its host on the parent's redirect policy.
    let redirect = find("httppolicyset", "ocp--Shared-L7-0").unwrap_or_default();
    assert!(
        redirect
            .to_string()
            .contains("checkout.apps.ocp.example.com")
    );
    // Private keys are never printed.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("(example key)"));
}
