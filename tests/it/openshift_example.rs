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
    // The partner Route names the AviInfraSetting dmz; its HostRule
    // certificate makes it secure (SNI child under the dmz shard, no redirect).
    let child =
        find("virtualservice", "ocp--dmz-partners.apps.ocp.example.com").unwrap_or_default();
    assert_eq!(
        child["vh_parent_vs_ref"],
        "/api/virtualservice/?name=ocp--Shared-L7-dmz-0"
    );
    let shard = find("virtualservice", "ocp--Shared-L7-dmz-0").unwrap_or_default();
    assert_eq!(
        shard["se_group_ref"],
        "/api/serviceenginegroup/?name=dmz-seg"
    );
    assert!(find("httppolicyset", "ocp--Shared-L7-dmz-0").is_none());
    // Private keys are never printed.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("(example key)"));
}

/// The same Routes with `enableEVH`: EVH parents and hashed children, the
/// passthrough objects unchanged.
#[test]
fn openshift_example_compiles_in_evh_mode() {
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
            "--set",
            "AKOSettings.enableEVH=true",
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
    let names = |t: &str| -> Vec<String> {
        objects
            .iter()
            .filter(|o| o["type"] == t)
            .filter_map(|o| o["name"].as_str().map(str::to_string))
            .collect()
    };
    let vs = names("virtualservice");
    assert!(vs.iter().any(|n| n == "ocp--Shared-L7-EVH-0"), "{vs:?}");
    assert!(vs.iter().any(|n| n == "ocp--Shared-L7-EVH-dmz-0"), "{vs:?}");
    assert!(
        vs.iter().any(|n| n == "ocp--Shared-Passthrough-0"),
        "{vs:?}"
    );
    // Four L7 Route hosts, four EVH children (the passthrough host gets
    // none); no SNI shard VS.
    let children = objects
        .iter()
        .filter(|o| o["type"] == "virtualservice" && o["body"]["type"] == "VS_TYPE_VH_CHILD")
        .count();
    assert_eq!(children, 4);
    assert!(!vs.iter().any(|n| n.starts_with("ocp--Shared-L7-0")));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("(example key)"));
}
