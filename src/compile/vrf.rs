//! Static routes in the VRF (translation-core.md §4.10). AKO:
//! `internal/nodes/avi_vrf_translator.go` `BuildVRFGraph`, `addRouteForNode`,
//! `findRoutePrefix`; `internal/nodes/dequeue_ingestion.go` `processNodeObj`;
//! `internal/lib/dynamic_client.go` `GetPodCIDR`; `internal/rest/avi_obj_vrf.go`
//! `AviVrfBuild`.
//!
//! AKO never creates the vrfcontext: it PUTs the controller's object back with
//! its own routes (labelled `clustername=<cluster>`) replaced. The emitted body
//! is that object as far as AKO shapes it: `name`, `tenant_ref`, `cloud_ref`,
//! `system_default` (true for the system VRF `global`, which lives in tenant
//! `admin`) and this cluster's `static_routes`. Routes of other clusters and
//! unlabelled routes on the controller are not known offline.

use k8s_openapi::api::core::v1::Node;
use serde_json::{Value, json};

use super::common::{api_ref, sha1_hex, tenant_ref};
use super::servers::node_ips;
use super::vip::vrf_name;
use super::{Context, Out, source};
use crate::model::{AviType, Diagnostic, Obj, Severity};
use crate::settings::{Settings, is_v4_cidr, is_v6_cidr};

/// Build the vrfcontext update, when static routes are on and at least one
/// route results.
pub fn build(ctx: &Context, out: &mut Out) {
    let s = ctx.settings;
    if !s.static_routes_enabled() {
        return;
    }
    let mut routes: Vec<Value> = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    let mut sources = Vec::new();
    for node in &ctx.nodes {
        let name = node.metadata.name.as_deref().unwrap_or("");
        let node_routes = match routes_for_node(s, node) {
            Ok(r) => r,
            Err(why) => {
                out.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Some(format!("Node {name}")),
                        format!("{why}; no static routes"),
                    )
                    .at(&node.origin),
                );
                continue;
            }
        };
        if node_routes.is_empty() {
            continue;
        }
        // `findRoutePrefix`: a node whose prefix address repeats one already added is skipped whole.
        if let Some(dup) = node_routes.iter().find(|r| prefixes.contains(&r.prefix)) {
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    Some(format!("Node {name}")),
                    format!("static route prefix {} already exists (another node); no static routes for this node", dup.prefix),
                )
                .at(&node.origin),
            );
            continue;
        }
        let route_prefix = route_id_prefix(&s.cluster_name, name);
        for r in &node_routes {
            prefixes.push(r.prefix.clone());
            let ty = if r.v6 { "V6" } else { "V4" };
            routes.push(json!({
                "route_id": format!("{}-{}-{}", s.cluster_name, route_prefix, r.index),
                "prefix": {"ip_addr": {"addr": r.prefix, "type": ty}, "mask": r.mask},
                "next_hop": {"addr": r.next_hop, "type": ty},
                "labels": [{"key": "clustername", "value": s.cluster_name}],
            }));
        }
        sources.push(source("Node", "", name));
    }
    if routes.is_empty() {
        return;
    }
    let vrf = vrf_name(s);
    let vrf_tenant = vrf_tenant(s, &vrf);
    let body = json!({
        "name": vrf,
        "tenant_ref": tenant_ref(&vrf_tenant),
        "cloud_ref": api_ref("cloud", &s.cloud_name),
        "system_default": vrf == "global",
        "static_routes": routes,
    });
    out.emit(AviType::Vrfcontext, &vrf_tenant, &vrf, sources, body);
}

/// The tenant the VRF lives in, which is where AKO's update lands whatever
/// `tenantName` is. AKO reads the VRF with its own tenant's client
/// (`internal/cache/controller_obj_cache.go` `AviObjVrfCachePopulate`,
/// `internal/rest/avi_obj_vrf.go` `AviVrfGet`), caches it under its bare name
/// (`getVrfCacheObj`, so `internal/rest/dequeue_nodes.go` finds it whatever
/// the tenant in `vrfKey`), and PUTs the object it read back by uuid, with
/// the `tenant_ref` the controller returned. The op carries `tenantName` as
/// tenant (`AviVrfBuild`); when the controller refuses that for an object of
/// another tenant ("Cannot modify VrfContext"), AKO replays the PUT in
/// `admin` (`internal/rest/rest_operation.go` `leader.AviRestOperate`). The system
/// VRF `global` belongs to `admin`, so its update is an `admin` object even
/// with `tenantName` set. Any other VRF is taken to be the tenant's own (as
/// AKO's OpenStack `<tenant>-default` VRF is).
pub fn vrf_tenant(s: &Settings, vrf: &str) -> String {
    if vrf == "global" {
        "admin".to_string()
    } else {
        s.tenant_name.clone()
    }
}

/// Deterministic stand-in for AKO's random per-node UUIDv4 in `route_id`
/// (`lib.Uuid4`): the first 128 bits of SHA-1(cluster + "/" + node) written in
/// UUID form. Route ids are not reproducible across AKO restarts; plans
/// compare routes by prefix, mask and next hop.
pub fn route_id_prefix(cluster: &str, node: &str) -> String {
    let h = sha1_hex(&format!("{cluster}/{node}"));
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[derive(Debug, PartialEq)]
struct Route {
    index: usize,
    prefix: String,
    mask: i64,
    v6: bool,
    next_hop: String,
}

/// `addRouteForNode`: one route per pod CIDR (index = position in the CIDR
/// list) whose family has a node IP; the prefix address is kept as written.
fn routes_for_node(s: &Settings, node: &Obj<Node>) -> Result<Vec<Route>, String> {
    let (ip4, ip6) = node_ips(s, node);
    if ip4.is_none() && ip6.is_none() {
        return Err(
            "no node IP found (annotations for the CNI or status.addresses InternalIP)".into(),
        );
    }
    let cidrs = pod_cidrs(s, node)?;
    let mut out = Vec::new();
    for (index, cidr) in cidrs.iter().enumerate() {
        let Some((addr, mask)) = cidr.split_once('/') else {
            return Err(format!("pod CIDR {cidr:?} is malformed"));
        };
        let mask: i64 = mask
            .parse()
            .map_err(|_| format!("pod CIDR {cidr:?} has a bad mask"))?;
        let (next_hop, v6) = match (&ip4, &ip6) {
            (Some(ip), _) if is_v4_cidr(cidr) => (ip.clone(), false),
            (_, Some(ip)) if is_v6_cidr(cidr) => (ip.clone(), true),
            _ => continue,
        };
        out.push(Route {
            index,
            prefix: addr.to_string(),
            mask,
            v6,
            next_hop,
        });
    }
    Ok(out)
}

/// Pod CIDRs of a node (`GetPodCIDR`). The CNIs that keep them in CRDs
/// (calico BlockAffinity, openshift HostSubnet, cilium CiliumNode) are not
/// read here; ovn-kubernetes uses the `k8s.ovn.org/node-subnets` annotation;
/// otherwise annotation `ako.vmware.com/pod-cidrs` (IPv4 only), else
/// `spec.podCIDRs`, which AKO reads only when `spec.podCIDR` is set.
fn pod_cidrs(s: &Settings, node: &Node) -> Result<Vec<String>, String> {
    let ann = node.metadata.annotations.as_ref();
    match s.cni_plugin.as_str() {
        "calico" | "openshift" | "cilium" => {
            let crd = match s.cni_plugin.as_str() {
                "calico" => "BlockAffinity",
                "openshift" => "HostSubnet",
                _ => "CiliumNode",
            };
            return Err(format!(
                "with cniPlugin {} pod CIDRs come from {crd} objects, which are not read",
                s.cni_plugin
            ));
        }
        "ovn-kubernetes" => {
            let raw = ann
                .and_then(|a| a.get("k8s.ovn.org/node-subnets"))
                .ok_or("annotation k8s.ovn.org/node-subnets not found")?;
            let v: Value = serde_json::from_str(raw)
                .map_err(|e| format!("annotation k8s.ovn.org/node-subnets: {e}"))?;
            return match v.get("default") {
                Some(Value::String(c)) if !c.is_empty() => Ok(vec![c.clone()]),
                Some(Value::Array(list)) if !list.is_empty() => {
                    let mut out = Vec::new();
                    for c in list.iter().filter_map(Value::as_str) {
                        if c.is_empty() {
                            return Err("empty pod CIDR in k8s.ovn.org/node-subnets".into());
                        }
                        out.push(c.to_string());
                    }
                    Ok(out)
                }
                Some(Value::String(_)) | Some(Value::Array(_)) => {
                    Err("pod CIDR not found in k8s.ovn.org/node-subnets".into())
                }
                _ => Ok(Vec::new()),
            };
        }
        _ => {}
    }
    if let Some(list) = ann.and_then(|a| a.get("ako.vmware.com/pod-cidrs")) {
        let mut out = Vec::new();
        for c in list.trim().split(',') {
            if c.is_empty() {
                continue;
            }
            let c = c.trim();
            if !is_v4_cidr(c) {
                return Err(format!(
                    "CIDR value {c} in annotation ako.vmware.com/pod-cidrs is of incorrect format"
                ));
            }
            out.push(c.to_string());
        }
        return Ok(out);
    }
    let spec = node.spec.as_ref();
    if spec
        .and_then(|s| s.pod_cidr.as_deref())
        .unwrap_or("")
        .is_empty()
    {
        return Err("spec.podCIDR is empty".into());
    }
    let cidrs = spec.and_then(|s| s.pod_cidrs.clone()).unwrap_or_default();
    if cidrs.is_empty() {
        return Err("spec.podCIDRs is empty (AKO reads spec.podCIDRs, not spec.podCIDR)".into());
    }
    Ok(cidrs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{NodeAddress, NodeSpec, NodeStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use std::collections::BTreeMap;

    fn node(name: &str, ip: &str, cidrs: &[&str], ann: &[(&str, &str)]) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                annotations: Some(
                    ann.iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect::<BTreeMap<_, _>>(),
                ),
                ..Default::default()
            },
            spec: Some(NodeSpec {
                pod_cidr: cidrs.first().map(|c| c.to_string()),
                pod_cidrs: Some(cidrs.iter().map(|c| c.to_string()).collect()),
                ..Default::default()
            }),
            status: Some(NodeStatus {
                addresses: Some(vec![NodeAddress {
                    type_: "InternalIP".into(),
                    address: ip.into(),
                }]),
                ..Default::default()
            }),
        }
    }

    fn wrap(n: Node) -> Obj<Node> {
        Obj {
            origin: crate::model::Origin {
                file: "t".into(),
                line: 1,
            },
            obj: n,
        }
    }

    fn settings() -> Settings {
        Settings {
            cluster_name: "c".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn routes_from_pod_cidrs() {
        let r = routes_for_node(
            &settings(),
            &wrap(node("n", "10.1.1.2", &["10.244.0.0/24"], &[])),
        )
        .unwrap_or_default();
        assert_eq!(
            r,
            vec![Route {
                index: 0,
                prefix: "10.244.0.0".into(),
                mask: 24,
                v6: false,
                next_hop: "10.1.1.2".into()
            }]
        );
    }

    #[test]
    fn v6_cidr_needs_v6_node_ip() {
        let r = routes_for_node(
            &settings(),
            &wrap(node(
                "n",
                "10.1.1.2",
                &["10.244.0.0/24", "fd00:10::/64"],
                &[],
            )),
        )
        .unwrap_or_default();
        assert_eq!(r.len(), 1);
        let mut n = node("n", "10.1.1.2", &["10.244.0.0/24", "fd00:10::/64"], &[]);
        if let Some(st) = n.status.as_mut() {
            st.addresses.get_or_insert_with(Vec::new).push(NodeAddress {
                type_: "InternalIP".into(),
                address: "fd00::2".into(),
            });
        }
        let r = routes_for_node(&settings(), &wrap(n)).unwrap_or_default();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].index, 1);
        assert!(r[1].v6);
        assert_eq!(r[1].next_hop, "fd00::2");
    }

    #[test]
    fn annotation_overrides_spec_and_validates() {
        let n = node(
            "n",
            "10.1.1.2",
            &["10.244.0.0/24"],
            &[("ako.vmware.com/pod-cidrs", " 10.9.0.0/16, 10.8.0.0/16")],
        );
        let r = routes_for_node(&settings(), &wrap(n)).unwrap_or_default();
        assert_eq!(
            r.iter().map(|r| r.prefix.as_str()).collect::<Vec<_>>(),
            ["10.9.0.0", "10.8.0.0"]
        );
        let bad = node(
            "n",
            "10.1.1.2",
            &[],
            &[("ako.vmware.com/pod-cidrs", "fd00::/64")],
        );
        assert!(routes_for_node(&settings(), &wrap(bad)).is_err());
    }

    #[test]
    fn pod_cidr_without_pod_cidrs_gives_no_routes() {
        let mut n = node("n", "10.1.1.2", &[], &[]);
        if let Some(sp) = n.spec.as_mut() {
            sp.pod_cidr = Some("10.244.0.0/24".into());
        }
        assert!(routes_for_node(&settings(), &wrap(n)).is_err());
    }

    #[test]
    fn crd_based_cni_reports() {
        let s = Settings {
            cni_plugin: "calico".into(),
            ..settings()
        };
        let e = routes_for_node(&s, &wrap(node("n", "10.1.1.2", &["10.244.0.0/24"], &[])))
            .err()
            .unwrap_or_default();
        assert!(e.contains("BlockAffinity"));
    }

    #[test]
    fn ovn_annotation() {
        let s = Settings {
            cni_plugin: "ovn-kubernetes".into(),
            ..settings()
        };
        let n = node(
            "n",
            "10.1.1.2",
            &[],
            &[(
                "k8s.ovn.org/node-subnets",
                r#"{"default":["10.128.0.0/23"]}"#,
            )],
        );
        let r = routes_for_node(&s, &wrap(n)).unwrap_or_default();
        assert_eq!(r[0].prefix, "10.128.0.0");
        assert_eq!(r[0].mask, 23);
    }

    #[test]
    fn cidr_regexes() {
        assert!(is_v4_cidr("10.244.0.0/24"));
        assert!(is_v4_cidr("010.244.0.0/24"));
        assert!(!is_v4_cidr("10.244.0.0/33"));
        assert!(!is_v4_cidr("10.244.0/24"));
        assert!(is_v6_cidr("fd00:10::/64"));
        assert!(!is_v6_cidr("fd00:10::/0"));
        assert!(!is_v6_cidr("10.0.0.0/8"));
    }

    #[test]
    fn route_id_is_uuid_shaped_and_stable() {
        let a = route_id_prefix("c", "node-1");
        assert_eq!(a.len(), 36);
        assert_eq!(a, route_id_prefix("c", "node-1"));
        assert_ne!(a, route_id_prefix("c", "node-2"));
        assert_eq!(a.matches('-').count(), 4);
    }
}
