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
use crate::kube::cni::{BlockAffinity, CiliumNode, HostSubnet};
use crate::model::{AviType, Diagnostic, Obj, Severity};
use crate::settings::{Settings, is_v4_cidr, is_v6_cidr};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

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
    let cni = CniObjects::of(ctx);
    unread_cni_objects(s, &cni, out);
    for node in &ctx.nodes {
        let name = node.metadata.name.as_deref().unwrap_or("");
        let node_routes = match routes_for_node(s, &cni, node) {
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

/// CNI objects in the input that AKO does not read with this `cniPlugin`
/// (`GetPodCIDR` reads each kind for its own CNI only): a user who forgot
/// `cniPlugin` gets routes from the Nodes instead, as AKO would build them,
/// and one warning per kind saying so.
fn unread_cni_objects(s: &Settings, cni: &CniObjects<'_>, out: &mut Out) {
    let kinds = [
        (
            "BlockAffinity",
            "calico",
            cni.block_affinities.first().map(|o| &o.origin),
            cni.block_affinities.len(),
        ),
        (
            "HostSubnet",
            "openshift",
            cni.host_subnets.first().map(|o| &o.origin),
            cni.host_subnets.len(),
        ),
        (
            "CiliumNode",
            "cilium",
            cni.cilium_nodes.first().map(|o| &o.origin),
            cni.cilium_nodes.len(),
        ),
    ];
    for (kind, plugin, origin, count) in kinds {
        let Some(origin) = origin else { continue };
        if s.cni_plugin == plugin {
            continue;
        }
        out.push(
            Diagnostic::new(
                Severity::Warning,
                None,
                format!(
                    "{count} {kind} object(s) in the input, but AKOSettings.cniPlugin is {:?}: AKO reads them only with cniPlugin {plugin} and takes the pod CIDRs for static routes from the Nodes",
                    s.cni_plugin
                ),
            )
            .at(origin),
        );
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

/// The CNI objects AKO lists for pod CIDRs, each kind sorted by name as the
/// API server lists cluster-scoped objects (input order among equal names).
#[derive(Default)]
struct CniObjects<'a> {
    block_affinities: Vec<&'a Obj<BlockAffinity>>,
    host_subnets: Vec<&'a Obj<HostSubnet>>,
    cilium_nodes: Vec<&'a Obj<CiliumNode>>,
}

impl<'a> CniObjects<'a> {
    fn of(ctx: &Context<'a>) -> Self {
        fn sorted<T: k8s_openapi::Metadata<Ty = ObjectMeta>>(list: &[Obj<T>]) -> Vec<&Obj<T>> {
            let mut v: Vec<&Obj<T>> = list.iter().collect();
            v.sort_by(|a, b| a.obj.metadata().name.cmp(&b.obj.metadata().name));
            v
        }
        let snap = ctx.snapshot;
        CniObjects {
            block_affinities: sorted(&snap.block_affinities),
            host_subnets: sorted(&snap.host_subnets),
            cilium_nodes: sorted(&snap.cilium_nodes),
        }
    }
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
fn routes_for_node(
    s: &Settings,
    cni: &CniObjects<'_>,
    node: &Obj<Node>,
) -> Result<Vec<Route>, String> {
    let (ip4, ip6) = node_ips(s, node);
    if ip4.is_none() && ip6.is_none() {
        return Err(
            "no node IP found (annotations for the CNI or status.addresses InternalIP)".into(),
        );
    }
    let cidrs = pod_cidrs(s, cni, node)?;
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

/// Pod CIDRs of a node (`GetPodCIDR`), by `cniPlugin`:
/// - `calico`: the `spec.cidr` of every BlockAffinity whose `spec.node` is the
///   node, in list order, without repeats; an empty `cidr` fails the node;
/// - `openshift`: the `subnet` of every HostSubnet whose `host` is the node; a
///   HostSubnet without a string `host` (any of them) or a matching one without
///   a string `subnet` fails the node;
/// - `cilium`: `spec.ipam.podCIDRs` of the CiliumNode named after the node; no
///   `ipam` or no `podCIDRs` fails the node;
/// - `ovn-kubernetes`: the `k8s.ovn.org/node-subnets` annotation;
/// - otherwise annotation `ako.vmware.com/pod-cidrs` (IPv4 only), else
///   `spec.podCIDRs`, which AKO reads only when `spec.podCIDR` is set.
///
/// AKO lists the CNI objects from the API server, which returns cluster-scoped
/// objects sorted by name: `cni` holds them in that order.
fn pod_cidrs(s: &Settings, cni: &CniObjects<'_>, node: &Node) -> Result<Vec<String>, String> {
    let ann = node.metadata.annotations.as_ref();
    let name = node.metadata.name.as_deref().unwrap_or("");
    match s.cni_plugin.as_str() {
        "calico" => {
            let mut out: Vec<String> = Vec::new();
            for b in cni.block_affinities.iter().filter(|b| b.spec.node == name) {
                if b.spec.cidr.is_empty() {
                    let ba = b.metadata.name.as_deref().unwrap_or("");
                    return Err(format!("BlockAffinity {ba} has an empty spec.cidr"));
                }
                if !out.contains(&b.spec.cidr) {
                    out.push(b.spec.cidr.clone());
                }
            }
            return Ok(out);
        }
        "openshift" => {
            let mut out: Vec<String> = Vec::new();
            for h in &cni.host_subnets {
                let hs = h.metadata.name.as_deref().unwrap_or("");
                let Some(host) = &h.host else {
                    return Err(format!(
                        "HostSubnet {hs} has no host (AKO then reads no HostSubnet)"
                    ));
                };
                if host != name {
                    continue;
                }
                let Some(subnet) = &h.subnet else {
                    return Err(format!("HostSubnet {hs} has no subnet"));
                };
                if !out.contains(subnet) {
                    out.push(subnet.clone());
                }
            }
            return Ok(out);
        }
        "cilium" => {
            let mut out: Vec<String> = Vec::new();
            for c in cni
                .cilium_nodes
                .iter()
                .filter(|c| c.metadata.name.as_deref() == Some(name))
            {
                let Some(ipam) = &c.spec.ipam else {
                    return Err(format!("CiliumNode {name} has no spec.ipam"));
                };
                let Some(list) = &ipam.pod_cidrs else {
                    return Err(format!("CiliumNode {name} has no spec.ipam.podCIDRs"));
                };
                for c in list {
                    if !out.contains(c) {
                        out.push(c.clone());
                    }
                }
            }
            return Ok(out);
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
            &CniObjects::default(),
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
            &CniObjects::default(),
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
        let r = routes_for_node(&settings(), &CniObjects::default(), &wrap(n)).unwrap_or_default();
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
        let r = routes_for_node(&settings(), &CniObjects::default(), &wrap(n)).unwrap_or_default();
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
        assert!(routes_for_node(&settings(), &CniObjects::default(), &wrap(bad)).is_err());
    }

    #[test]
    fn pod_cidr_without_pod_cidrs_gives_no_routes() {
        let mut n = node("n", "10.1.1.2", &[], &[]);
        if let Some(sp) = n.spec.as_mut() {
            sp.pod_cidr = Some("10.244.0.0/24".into());
        }
        assert!(routes_for_node(&settings(), &CniObjects::default(), &wrap(n)).is_err());
    }

    fn obj<T>(t: T) -> Obj<T> {
        Obj {
            origin: crate::model::Origin {
                file: "t".into(),
                line: 1,
            },
            obj: t,
        }
    }

    fn cni_settings(cni: &str) -> Settings {
        Settings {
            cni_plugin: cni.into(),
            ..settings()
        }
    }

    fn prefixes(r: Result<Vec<Route>, String>) -> Vec<String> {
        r.unwrap_or_default()
            .into_iter()
            .map(|r| format!("{}/{}", r.prefix, r.mask))
            .collect()
    }

    #[test]
    fn calico_reads_block_affinities_of_the_node() {
        let ba = |name: &str, node: &str, cidr: &str| {
            obj(BlockAffinity {
                metadata: ObjectMeta {
                    name: Some(name.into()),
                    ..Default::default()
                },
                spec: crate::kube::cni::BlockAffinitySpec {
                    node: node.into(),
                    cidr: cidr.into(),
                    ..Default::default()
                },
                ..Default::default()
            })
        };
        let list = [
            ba("b", "n", "10.2.0.0/26"),
            ba("a", "n", "10.1.0.0/26"),
            ba("c", "m", "10.3.0.0/26"),
            ba("d", "n", "10.2.0.0/26"),
        ];
        let cni = CniObjects {
            block_affinities: list.iter().collect(),
            ..Default::default()
        };
        let n = wrap(node("n", "10.1.1.2", &["10.244.0.0/24"], &[]));
        let r = routes_for_node(&cni_settings("calico"), &cni, &n);
        assert_eq!(prefixes(r), ["10.2.0.0/26", "10.1.0.0/26"]);
        // Without BlockAffinities: no routes, no error (spec.podCIDRs unread).
        let r = routes_for_node(&cni_settings("calico"), &CniObjects::default(), &n);
        assert_eq!(r, Ok(Vec::new()));
        let empty = [ba("e", "n", "")];
        let cni = CniObjects {
            block_affinities: empty.iter().collect(),
            ..Default::default()
        };
        assert!(routes_for_node(&cni_settings("calico"), &cni, &n).is_err());
    }

    #[test]
    fn openshift_reads_host_subnets_and_fails_on_a_broken_one() {
        let hs = |name: &str, host: Option<&str>, subnet: Option<&str>| {
            obj(HostSubnet {
                metadata: ObjectMeta {
                    name: Some(name.into()),
                    ..Default::default()
                },
                host: host.map(str::to_string),
                subnet: subnet.map(str::to_string),
                ..Default::default()
            })
        };
        let n = wrap(node("n", "10.1.1.2", &["10.244.0.0/24"], &[]));
        let ok = [
            hs("m", Some("m"), Some("10.129.0.0/23")),
            hs("n", Some("n"), Some("10.128.0.0/23")),
        ];
        let cni = CniObjects {
            host_subnets: ok.iter().collect(),
            ..Default::default()
        };
        assert_eq!(
            prefixes(routes_for_node(&cni_settings("openshift"), &cni, &n)),
            ["10.128.0.0/23"]
        );
        // Another node's HostSubnet without a host fails every node.
        let broken = [
            hs("m", None, Some("10.129.0.0/23")),
            hs("n", Some("n"), Some("10.128.0.0/23")),
        ];
        let cni = CniObjects {
            host_subnets: broken.iter().collect(),
            ..Default::default()
        };
        assert!(routes_for_node(&cni_settings("openshift"), &cni, &n).is_err());
        let no_subnet = [hs("n", Some("n"), None)];
        let cni = CniObjects {
            host_subnets: no_subnet.iter().collect(),
            ..Default::default()
        };
        assert!(routes_for_node(&cni_settings("openshift"), &cni, &n).is_err());
    }

    #[test]
    fn cilium_reads_the_node_named_ciliumnode() {
        let cn = |name: &str, cidrs: Option<&[&str]>| {
            obj(CiliumNode {
                metadata: ObjectMeta {
                    name: Some(name.into()),
                    ..Default::default()
                },
                spec: crate::kube::cni::CiliumNodeSpec {
                    ipam: cidrs.map(|c| crate::kube::cni::CiliumIpam {
                        pod_cidrs: Some(c.iter().map(|s| s.to_string()).collect()),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                ..Default::default()
            })
        };
        let n = wrap(node("n", "10.1.1.2", &["10.244.0.0/24"], &[]));
        let list = [
            cn("m", Some(&["10.9.0.0/24"])),
            cn("n", Some(&["10.8.0.0/24", "10.8.0.0/24"])),
        ];
        let cni = CniObjects {
            cilium_nodes: list.iter().collect(),
            ..Default::default()
        };
        assert_eq!(
            prefixes(routes_for_node(&cni_settings("cilium"), &cni, &n)),
            ["10.8.0.0/24"]
        );
        let list = [cn("n", None)];
        let cni = CniObjects {
            cilium_nodes: list.iter().collect(),
            ..Default::default()
        };
        assert!(routes_for_node(&cni_settings("cilium"), &cni, &n).is_err());
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
        let r = routes_for_node(&s, &CniObjects::default(), &wrap(n)).unwrap_or_default();
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
