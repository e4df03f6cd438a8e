//! End-to-end checks of order-sensitive details (list orders, absent
//! fields inside list elements) that the compile cases cannot assert.

use serde_json::Value;

use crate::compile::compile;
use crate::input::{self, Source};
use crate::model::{AviType, Snapshot};
use crate::settings::Settings;

fn snapshot(yaml: &str) -> Snapshot {
    let src = [Source {
        name: "test.yaml".into(),
        text: yaml.into(),
    }];
    input::decode(&src, "default")
        .expect("test input decodes")
        .0
}

fn settings() -> Settings {
    Settings {
        cluster_name: "cluster".into(),
        gateway_api: true,
        ..Settings::default()
    }
}

const HEAD: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: avi-lb}
spec: {controllerName: ako.vmware.com/avi-lb}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: avi-lb
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {ports: [{port: 80}]}
---
";

fn bodies(yaml: &str, kind: AviType) -> Vec<Value> {
    let c = compile(&snapshot(&format!("{HEAD}{yaml}")), &settings());
    c.objects
        .objects
        .iter()
        .filter(|o| o.kind == kind)
        .map(|o| o.body.clone())
        .collect()
}

#[test]
fn redirect_excludes_header_actions_and_markers_keep_declaration_order() {
    let ps = bodies(
        "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: [a.example.com]
  rules:
  - name: named
    filters:
    - {type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x, value: '1'}]}}
    - {type: RequestRedirect, requestRedirect: {statusCode: 308}}
    backendRefs: [{name: web, port: 80}]
",
        AviType::Httppolicyset,
    );
    let child = ps
        .iter()
        .find(|b| b["name"] != "ako-gw-cluster--default-backend")
        .expect("child policy set");
    let rules = child["http_request_policy"]["rules"]
        .as_array()
        .expect("rules");
    assert_eq!(rules.len(), 1);
    assert!(rules[0].get("hdr_action").is_none());
    // Unsupported codes fall back to 302; an unset hostname is an empty token.
    assert_eq!(
        rules[0]["redirect_action"]["status_code"],
        "HTTP_REDIRECT_STATUS_CODE_302"
    );
    assert_eq!(
        rules[0]["redirect_action"]["host"]["tokens"][0]["str_value"],
        ""
    );
    let vss = bodies(
        "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: [b.example.com, a.example.com, a.example.com]
  rules: [{name: named, backendRefs: [{name: web, port: 80}]}]
",
        AviType::Virtualservice,
    );
    let child = vss
        .iter()
        .find(|b| b["type"] == "VS_TYPE_VH_CHILD")
        .expect("child");
    let keys: Vec<&str> = child["markers"]
        .as_array()
        .expect("markers")
        .iter()
        .filter_map(|m| m["key"].as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "clustername",
            "Host",
            "GatewayName",
            "GatewayNamespace",
            "HTTPRouteName",
            "HTTPRouteNamespace",
            "HTTPRouteRuleName"
        ]
    );
    // Hosts sorted and unique, in the marker and in vh_matches.
    assert_eq!(
        child["markers"][1]["values"],
        serde_json::json!(["a.example.com", "b.example.com"])
    );
    let hosts: Vec<&str> = child["vh_matches"]
        .as_array()
        .expect("vh_matches")
        .iter()
        .filter_map(|m| m["host"].as_str())
        .collect();
    assert_eq!(hosts, ["a.example.com", "b.example.com"]);
}

#[test]
fn header_actions_are_sorted_and_indexed_per_filter() {
    let ps = bodies(
        "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: [a.example.com]
  rules:
  - filters:
    - {type: RequestHeaderModifier, requestHeaderModifier: {remove: [z, a], set: [{name: s2, value: v}, {name: s1, value: v}], add: [{name: n, value: ''}]}}
    - {type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: second, value: v}]}}
    backendRefs: [{name: web, port: 80}]
",
        AviType::Httppolicyset,
    );
    let child = ps
        .iter()
        .find(|b| b["name"] != "ako-gw-cluster--default-backend")
        .expect("child policy set");
    let acts = child["http_request_policy"]["rules"][0]["hdr_action"]
        .as_array()
        .expect("actions");
    let seen: Vec<(String, String, u64)> = acts
        .iter()
        .map(|a| {
            (
                a["action"].as_str().unwrap_or("").to_string(),
                a["hdr"]["name"].as_str().unwrap_or("").to_string(),
                a["hdr_index"].as_u64().unwrap_or(99),
            )
        })
        .collect();
    let want = [
        ("HTTP_ADD_HDR", "n", 0),
        ("HTTP_REPLACE_HDR", "s1", 1),
        ("HTTP_REPLACE_HDR", "s2", 2),
        ("HTTP_REMOVE_HDR", "a", 3),
        ("HTTP_REMOVE_HDR", "z", 4),
        ("HTTP_ADD_HDR", "second", 0),
    ];
    let want: Vec<(String, String, u64)> = want
        .iter()
        .map(|(a, n, i)| (a.to_string(), n.to_string(), *i))
        .collect();
    assert_eq!(seen, want);
    // An empty value leaves the value out.
    assert!(acts[0]["hdr"].get("value").is_none());
}

#[test]
fn listener_order_gives_vs_port_order_and_default_backend_is_per_tenant() {
    let yaml = format!(
        "{}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r, namespace: default}}
spec:
  parentRefs: [{{name: gw2, sectionName: b}}, {{name: gw2, sectionName: a}}]
  hostnames: [a.example.com]
  rules: [{{backendRefs: [{{name: web, port: 80}}]}}]
",
        "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw2, namespace: default}
spec:
  gatewayClassName: avi-lb
  listeners: [{name: a, port: 81, protocol: HTTP}, {name: b, port: 82, protocol: HTTP}]
"
    );
    let vss = bodies(&yaml, AviType::Virtualservice);
    let child = vss
        .iter()
        .find(|b| b["type"] == "VS_TYPE_VH_CHILD")
        .expect("child");
    // Attach order: the parentRef naming b first.
    assert_eq!(
        child["vh_matches"][0]["rules"][0]["matches"]["vs_port"]["ports"],
        serde_json::json!([82, 81])
    );
    let ps = bodies(&yaml, AviType::Httppolicyset);
    assert_eq!(ps.len(), 1, "one default-backend policy set for the tenant");
}

#[test]
fn host_rules_and_http_rules_do_not_reach_gateway_objects() {
    let yaml = "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: gw}]
  hostnames: [a.example.com]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: ako.vmware.com/v1beta1
kind: HostRule
metadata: {name: hr, namespace: default}
spec:
  virtualhost: {fqdn: a.example.com, wafPolicy: my-waf}
---
apiVersion: ako.vmware.com/v1beta1
kind: HTTPRule
metadata: {name: rr, namespace: default}
spec:
  fqdn: a.example.com
  paths: [{target: /, loadBalancerPolicy: {algorithm: LB_ALGORITHM_ROUND_ROBIN}}]
";
    let c = compile(&snapshot(&format!("{HEAD}{yaml}")), &settings());
    let text = serde_json::to_string(
        &c.objects
            .objects
            .iter()
            .map(|o| &o.body)
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    assert!(text.contains("a.example.com"));
    assert!(!text.contains("my-waf"), "HostRule applied to a gateway VS");
    assert!(
        !text.contains("ROUND_ROBIN"),
        "HTTPRule applied to a gateway pool"
    );
}

#[test]
fn operator_objects_are_not_read_without_the_operator() {
    let yaml = format!(
        "{HEAD}apiVersion: ako.vmware.com/v1alpha1
kind: HealthMonitor
metadata: {{name: hm, namespace: default}}
spec: {{type: HEALTH_MONITOR_HTTP}}
status: {{uuid: healthmonitor-1, tenant: admin, conditions: [{{type: Programmed, status: 'True'}}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r, namespace: default}}
spec:
  parentRefs: [{{name: gw}}]
  hostnames: [a.example.com]
  rules:
  - backendRefs:
    - name: web
      port: 80
      filters: [{{type: ExtensionRef, extensionRef: {{group: ako.vmware.com, kind: HealthMonitor, name: hm}}}}]
"
    );
    let pool_hms = |s: &Settings| {
        let c = compile(&snapshot(&yaml), s);
        let hms: Vec<Value> = c
            .objects
            .objects
            .iter()
            .filter(|o| o.kind == AviType::Pool)
            .map(|o| o.body["health_monitor_refs"].clone())
            .collect();
        (hms, c.diagnostics)
    };
    let (on, _) = pool_hms(&settings());
    assert_eq!(
        on,
        [serde_json::json!(["/api/healthmonitor/healthmonitor-1"])]
    );
    let off = Settings {
        ako_crd_operator_enabled: false,
        ..settings()
    };
    let (hms, diags) = pool_hms(&off);
    assert_eq!(
        hms,
        [serde_json::json!(["/api/healthmonitor/?name=System-TCP"])]
    );
    assert!(
        diags
            .iter()
            .any(|d| d.message.contains("ako-crd-operator.enabled is false")),
        "{diags:?}"
    );
}
