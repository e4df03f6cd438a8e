//! Property tests of `compile` over generated clusters of Namespaces,
//! Services, EndpointSlices, Secrets and Ingresses:
//! - determinism: the same documents in another order give identical output;
//! - closed references: every `/api/<type>/?name=<name>` in a body names an
//!   emitted object or an object AKO expects to exist on the controller
//!   (cloud, SE group, VRF, tenant, System-* profiles, networks).

use std::collections::BTreeSet;
use std::sync::Arc;

use akoctl::compile::compile;
use akoctl::model::{Obj, Origin, Snapshot};
use akoctl::settings::{CloudFacts, NodeNetwork, Settings, ShardSize, VipNetwork};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const HOSTS: [&str; 6] = [
    "a.avi.internal",
    "b.avi.internal",
    "shop.example.com",
    "d.avi.internal",
    "",
    "x.other.org",
];
const PATHS: [&str; 5] = ["/", "/foo", "/foo/bar", "", "/api/v1"];
const PATH_TYPES: [&str; 3] = ["Prefix", "Exact", "ImplementationSpecific"];
const BACKENDS: [&str; 3] = ["svc0", "svc1", "missing"];
const SECRETS: [&str; 3] = ["sec0", "sec1", "nosuch"];

#[derive(Clone, Debug)]
struct Rule {
    host: usize,
    paths: Vec<(usize, usize, usize)>,
}

#[derive(Clone, Debug)]
struct Ing {
    ns: usize,
    rules: Vec<Rule>,
    tls: Vec<(Vec<usize>, usize)>,
    default_tls: bool,
    class: Option<bool>,
}

#[derive(Clone, Debug)]
struct Cluster {
    tenant_ns1: bool,
    ings: Vec<Ing>,
    shard: usize,
    no_pg: bool,
    seed: u64,
}

fn rule() -> impl Strategy<Value = Rule> {
    (
        0..HOSTS.len(),
        prop::collection::vec(
            (0..PATHS.len(), 0..PATH_TYPES.len(), 0..BACKENDS.len()),
            1..4,
        ),
    )
        .prop_map(|(host, paths)| Rule { host, paths })
}

fn ing() -> impl Strategy<Value = Ing> {
    (
        0..2usize,
        prop::collection::vec(rule(), 1..4),
        prop::collection::vec(
            (
                prop::collection::vec(0..HOSTS.len(), 0..3),
                0..SECRETS.len(),
            ),
            0..3,
        ),
        prop::bool::weighted(0.15),
        prop::option::of(prop::bool::ANY),
    )
        .prop_map(|(ns, rules, tls, default_tls, class)| Ing {
            ns,
            rules,
            tls,
            default_tls,
            class,
        })
}

fn cluster() -> impl Strategy<Value = Cluster> {
    (
        prop::bool::ANY,
        prop::collection::vec(ing(), 1..6),
        0..5usize,
        prop::bool::ANY,
        any::<u64>(),
    )
        .prop_map(|(tenant_ns1, ings, shard, no_pg, seed)| Cluster {
            tenant_ns1,
            ings,
            shard,
            no_pg,
            seed,
        })
}

fn obj<T: DeserializeOwned>(v: Value, line: usize) -> Obj<T> {
    Obj {
        origin: Origin {
            file: Arc::from("gen.yaml"),
            line,
        },
        obj: serde_json::from_value(v).expect("generated object is valid"),
    }
}

fn settings(c: &Cluster) -> Settings {
    Settings {
        cluster_name: "cluster".into(),
        shard_vs_size: [
            ShardSize::Large,
            ShardSize::Medium,
            ShardSize::Small,
            ShardSize::Dedicated,
            ShardSize::Other,
        ][c.shard],
        no_pg_for_sni: c.no_pg,
        vip_networks: vec![VipNetwork {
            network_name: "vip-net".into(),
            ..VipNetwork::default()
        }],
        node_networks: vec![NodeNetwork {
            network_name: "node-net".into(),
            cidrs: vec!["10.79.168.0/22".into()],
            ..NodeNetwork::default()
        }],
        cloud: CloudFacts {
            dns_subdomains: vec!["avi.internal".into(), ".com".into()],
            ..CloudFacts::default()
        },
        ..Settings::default()
    }
}

fn snapshot(c: &Cluster) -> Snapshot {
    let mut s = Snapshot::default();
    let mut line = 0;
    let mut next = || {
        line += 1;
        line
    };
    for ns in ["ns0", "ns1", "avi-system"] {
        let mut m = json!({"name": ns});
        if ns == "ns1" && c.tenant_ns1 {
            m["annotations"] = json!({"ako.vmware.com/tenant-name": "team-a"});
        }
        s.namespaces.push(obj(
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": m}),
            next(),
        ));
    }
    s.ingress_classes.push(obj(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
               "metadata": {"name": "avi-lb", "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}},
               "spec": {"controller": "ako.vmware.com/avi-lb"}}),
        next(),
    ));
    let pem = |what: &str| format!("-----BEGIN {what}-----\nAAAA\n-----END {what}-----\n");
    for ns in ["ns0", "ns1"] {
        for (i, svc) in ["svc0", "svc1"].iter().enumerate() {
            s.services.push(obj(
                json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": svc, "namespace": ns},
                       "spec": {"type": "ClusterIP", "ports": [{"name": "http", "port": 8080, "targetPort": 8080 + i}],
                                "ipFamilies": ["IPv4"]}}),
                next(),
            ));
            s.endpoint_slices.push(obj(
                json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                       "metadata": {"name": format!("{svc}-x"), "namespace": ns, "labels": {"kubernetes.io/service-name": svc}},
                       "addressType": "IPv4",
                       "endpoints": [{"addresses": [format!("10.0.{i}.5")], "conditions": {"ready": true}}],
                       "ports": [{"name": "http", "port": 8080 + i, "protocol": "TCP"}]}),
                next(),
            ));
        }
        s.secrets.push(obj(
            json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
                   "metadata": {"name": "sec0", "namespace": ns},
                   "stringData": {"tls.crt": pem("CERTIFICATE"), "tls.key": pem("EC PRIVATE KEY")}}),
            next(),
        ));
        s.secrets.push(obj(
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "sec1", "namespace": ns},
                   "stringData": {"tls.crt": pem("CERTIFICATE")}}),
            next(),
        ));
    }
    s.secrets.push(obj(
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "router-certs-default", "namespace": "avi-system"},
               "stringData": {"tls.crt": pem("CERTIFICATE"), "tls.key": pem("EC PRIVATE KEY"),
                              "alt.crt": pem("CERTIFICATE"), "alt.key": pem("EC PRIVATE KEY")}}),
        next(),
    ));
    for (i, g) in c.ings.iter().enumerate() {
        let rules: Vec<Value> = g
            .rules
            .iter()
            .map(|r| {
                let paths: Vec<Value> = r
                    .paths
                    .iter()
                    .map(|&(p, t, b)| {
                        json!({"path": PATHS[p], "pathType": PATH_TYPES[t],
                               "backend": {"service": {"name": BACKENDS[b], "port": {"number": 8080}}}})
                    })
                    .collect();
                let mut v = json!({"http": {"paths": paths}});
                if !HOSTS[r.host].is_empty() {
                    v["host"] = json!(HOSTS[r.host]);
                }
                v
            })
            .collect();
        let tls: Vec<Value> = g
            .tls
            .iter()
            .map(|(hosts, sec)| {
                json!({"hosts": hosts.iter().map(|h| HOSTS[*h]).filter(|h| !h.is_empty()).collect::<Vec<_>>(),
                       "secretName": SECRETS[*sec]})
            })
            .collect();
        let ns = ["ns0", "ns1"][g.ns];
        let mut meta = json!({"name": format!("ing{i}"), "namespace": ns});
        if g.default_tls {
            meta["annotations"] = json!({"ako.vmware.com/enable-tls": "true"});
        }
        let mut spec = json!({"rules": rules, "tls": tls});
        match g.class {
            Some(true) => spec["ingressClassName"] = json!("avi-lb"),
            Some(false) => spec["ingressClassName"] = json!("other"),
            None => {}
        }
        s.ingresses.push(obj(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}),
            next(),
        ));
    }
    s
}

/// Deterministic Fisher-Yates with a small LCG: a permutation per seed.
fn shuffle<T>(v: &mut [T], seed: &mut u64) {
    for i in (1..v.len()).rev() {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (*seed >> 33) as usize % (i + 1);
        v.swap(i, j);
    }
}

fn shuffled(mut s: Snapshot, mut seed: u64) -> Snapshot {
    shuffle(&mut s.namespaces, &mut seed);
    shuffle(&mut s.services, &mut seed);
    shuffle(&mut s.endpoint_slices, &mut seed);
    shuffle(&mut s.secrets, &mut seed);
    shuffle(&mut s.ingresses, &mut seed);
    shuffle(&mut s.ingress_classes, &mut seed);
    s
}

fn render(s: &Snapshot, settings: &Settings) -> String {
    let c = compile(s, settings);
    let diags: Vec<String> = c.diagnostics.iter().map(ToString::to_string).collect();
    format!(
        "{}\n{}",
        serde_json::to_string(&c.objects).unwrap_or_default(),
        diags.join("\n")
    )
}

fn refs(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => {
            if let Some(rest) = s.strip_prefix("/api/")
                && let Some((t, name)) = rest.split_once("/?name=")
            {
                out.push((t.to_string(), name.to_string()));
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        Value::Object(m) => m.values().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// Objects AKO refers to but never creates (translation-core.md §2.2).
fn pre_existing(settings: &Settings, kind: &str, name: &str) -> bool {
    match kind {
        "cloud" => name == settings.cloud_name,
        "serviceenginegroup" => name == settings.se_group_name,
        "vrfcontext" => name == settings.cloud.vrf,
        "tenant" => name == settings.tenant_name || name == "team-a",
        "applicationprofile" | "networkprofile" | "healthmonitor" | "sslprofile" => {
            name.starts_with("System-")
        }
        "network" => {
            settings.vip_networks.iter().any(|n| n.network_name == name)
                || settings
                    .node_networks
                    .iter()
                    .any(|n| n.network_name == name)
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn compile_is_deterministic_under_input_order(c in cluster()) {
        let settings = settings(&c);
        let snap = snapshot(&c);
        let first = render(&snap, &settings);
        let again = render(&shuffled(snap, c.seed), &settings);
        prop_assert_eq!(first, again);
    }

    #[test]
    fn every_reference_is_emitted_or_pre_existing(c in cluster()) {
        let settings = settings(&c);
        let compiled = compile(&snapshot(&c), &settings);
        let emitted: BTreeSet<(String, String)> = compiled
            .objects
            .objects
            .iter()
            .map(|o| (o.kind.as_str().to_string(), o.name.clone()))
            .collect();
        for o in &compiled.objects.objects {
            let mut found = Vec::new();
            refs(&o.body, &mut found);
            for (kind, name) in found {
                prop_assert!(
                    emitted.contains(&(kind.clone(), name.clone())) || pre_existing(&settings, &kind, &name),
                    "{} {} refers to /api/{}/?name={} which is neither emitted nor pre-existing",
                    o.kind, o.name, kind, name
                );
            }
        }
    }

    #[test]
    fn private_keys_never_appear(c in cluster()) {
        let settings = settings(&c);
        let out = render(&snapshot(&c), &settings);
        prop_assert!(!out.contains("PRIVATE KEY"));
    }
}
