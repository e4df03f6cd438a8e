//! Pool servers (translation-core.md §4.8): ClusterIP (EndpointSlices, or
//! core/v1 Endpoints when a Service has no slice at all), NodePort (node IP +
//! nodePort), NodePortLocal (Antrea pod annotations).
//! AKO: `internal/nodes/avi_model_l4_translator.go` `PopulateServers`,
//! `PopulateServersForNodePort`, `PopulateServersForNPL`; REST shape from
//! `internal/rest/avi_obj_pool.go` `AviPoolBuild`.
//!
//! [`servers`] picks the mode the way AKO's pool builders do: NodePortLocal →
//! NPL; L4 with annotation `skipnodeport.ako.vmware.com/enabled` → endpoints;
//! NodePort → nodes; otherwise endpoints. Ingress pools (`for_l7`) have no
//! skip annotation and, in ClusterIP and NPL mode, need the Service in AKO's
//! ClusterIP store.

use std::collections::{HashMap, HashSet};

use k8s_openapi::api::core::v1::{Node, Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Deserialize;
use serde_json::{Value, json};

use super::vip::{is_v4, is_v6};
use super::{Context, Out, describe, source};
use crate::model::{Obj, Severity};
use crate::settings::{IpFamily, ServiceType, Settings};

/// What a pool points at.
#[derive(Clone, Debug)]
pub struct Backend<'a> {
    pub namespace: &'a str,
    pub service: &'a str,
    /// The Service port (`spec.ports[].port`; 80 for an Ingress backend given by name).
    pub port: i32,
    /// The Service port's name (Ingress: looked up from the number when not given).
    pub port_name: String,
    /// The Service port's `targetPort`.
    pub target_port: Option<IntOrString>,
    /// Ingress/Route pools require the Service in AKO's ClusterIP store; L4 pools do not.
    pub for_l7: bool,
}

/// One pool server.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Server {
    pub addr: String,
    pub v6: bool,
    pub port: i32,
    /// `None` when AKO does not compute it (NodePort mode).
    pub enabled: Option<bool>,
    pub node: Option<String>,
}

impl Server {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "ip": {"addr": self.addr, "type": if self.v6 { "V6" } else { "V4" }},
            "port": self.port,
            "external_uuid": format!("{}:{}", self.addr, self.port),
        });
        if let Some(e) = self.enabled {
            v["enabled"] = json!(e);
        }
        if let Some(n) = &self.node {
            v["server_node"] = json!(n);
        }
        v
    }
}

/// `servers` JSON, or `None` when there are none (the field is then omitted).
pub fn servers_json(servers: &[Server]) -> Option<Value> {
    if servers.is_empty() {
        None
    } else {
        Some(Value::Array(servers.iter().map(Server::to_json).collect()))
    }
}

/// The servers of a pool, sorted by address (byte order), then port
/// (`internal/nodes/avi_model_nodes.go` `AviPoolNode.CalculateCheckSum`).
/// Diagnostics explain empty pools.
pub fn servers(ctx: &Context, backend: &Backend<'_>, out: &mut Out) -> Vec<Server> {
    let svc = ctx.service(backend.namespace, backend.service);
    let who = describe("Service", backend.namespace, backend.service);
    let mut list = match ctx.settings.service_type {
        ServiceType::NodePortLocal => {
            if backend.for_l7 && !in_clusterip_store(ctx, svc, backend, out) {
                return Vec::new();
            }
            match svc {
                Some(svc) => npl_servers(ctx, svc, backend, out),
                None => Vec::new(),
            }
        }
        ServiceType::NodePort if backend.for_l7 || !has_skip_nodeport(svc) => match svc {
            Some(svc) => nodeport_servers(ctx, svc, backend, out),
            None => {
                out.diag(
                    Severity::Warning,
                    Some(who),
                    "Service not found: its pool has no servers",
                );
                Vec::new()
            }
        },
        _ => {
            if backend.for_l7 && !in_clusterip_store(ctx, svc, backend, out) {
                return Vec::new();
            }
            match svc {
                Some(svc) => endpoint_servers(ctx, svc, backend, out),
                None => Vec::new(),
            }
        }
    };
    list.sort_by(|a, b| (&a.addr, a.port).cmp(&(&b.addr, b.port)));
    list
}

/// Kubernetes objects the servers of this backend are read from, as `sources`
/// strings (EndpointSlices/Endpoints, Nodes or Pods depending on the mode).
pub fn server_sources(ctx: &Context, backend: &Backend<'_>) -> Vec<String> {
    let (ns, name) = (backend.namespace, backend.service);
    let svc = ctx.service(ns, name);
    let slices = || {
        let s: Vec<String> = ctx
            .slices_of(ns, name)
            .iter()
            .map(|s| {
                source(
                    "EndpointSlice",
                    ns,
                    s.metadata.name.as_deref().unwrap_or(""),
                )
            })
            .collect();
        if s.is_empty() && endpoints_of(ctx, ns, name).is_some() {
            vec![source("Endpoints", ns, name)]
        } else {
            s
        }
    };
    match ctx.settings.service_type {
        ServiceType::NodePortLocal => svc
            .map(|svc| {
                selected_pods(ctx, svc)
                    .iter()
                    .map(|p| pod_source(p))
                    .collect()
            })
            .unwrap_or_default(),
        ServiceType::NodePort if backend.for_l7 || !has_skip_nodeport(svc) => ctx
            .nodes
            .iter()
            .map(|n| source("Node", "", n.metadata.name.as_deref().unwrap_or("")))
            .collect(),
        _ => slices(),
    }
}

fn pod_source(p: &Obj<Pod>) -> String {
    source(
        "Pod",
        p.metadata.namespace.as_deref().unwrap_or(""),
        p.metadata.name.as_deref().unwrap_or(""),
    )
}

fn has_skip_nodeport(svc: Option<&Obj<Service>>) -> bool {
    svc.and_then(|s| s.metadata.annotations.as_ref())
        .is_some_and(|a| a.contains_key("skipnodeport.ako.vmware.com/enabled"))
}

/// Spec type with the API server default (`ClusterIP`).
pub fn service_type(svc: &Service) -> &str {
    svc.spec
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("ClusterIP")
}

/// AKO's ClusterIP store: Services of type ClusterIP or NodePort in accepted
/// namespaces, LoadBalancer only with `layer7Only`. AKO:
/// `internal/nodes/dequeue_ingestion.go` `DequeueIngestion`, `handleL4Service`;
/// `internal/k8s/ako_init.go` `FullSyncK8s`.
fn in_clusterip_store(
    ctx: &Context,
    svc: Option<&Obj<Service>>,
    backend: &Backend<'_>,
    out: &mut Out,
) -> bool {
    let who = describe("Service", backend.namespace, backend.service);
    let Some(svc) = svc else {
        out.diag(
            Severity::Warning,
            Some(who),
            "Service not found: the pool that uses it has no servers",
        );
        return false;
    };
    if let Err(why) = ctx.namespace_accepted(backend.namespace) {
        out.diag(
            Severity::Warning,
            Some(who),
            format!("{why}: the pool that uses it has no servers"),
        );
        return false;
    }
    let ok = match service_type(svc) {
        "ClusterIP" | "NodePort" => true,
        "LoadBalancer" => ctx.settings.layer7_only,
        _ => false,
    };
    if !ok {
        out.diag(
            Severity::Warning,
            Some(who),
            format!(
                "type {} is not usable as an Ingress backend{}: the pool that uses it has no servers",
                service_type(svc),
                if service_type(svc) == "LoadBalancer" { " while L4 is enabled (layer7Only false)" } else { "" }
            ),
        );
    }
    ok
}

/// The IP family AKO filters with: the configured `ipFamily` on vCenter,
/// no-access and NSX-T clouds (default `V4_V6`), always `V4` elsewhere.
/// AKO: `internal/lib/lib.go` `SetIPFamily`, `IsV6EnabledCloud`.
pub fn ako_ip_family(settings: &Settings) -> IpFamily {
    match settings.cloud.cloud_type.as_str() {
        "CLOUD_VCENTER" | "CLOUD_NONE" | "CLOUD_NSXT" => {
            settings.ip_family.unwrap_or(IpFamily::V4V6)
        }
        _ => IpFamily::V4,
    }
}

/// (v4 enabled, v6 enabled) by `ipFamily`.
pub(super) fn enabled_families(settings: &Settings) -> (bool, bool) {
    match ako_ip_family(settings) {
        IpFamily::V4 => (true, false),
        IpFamily::V6 => (false, true),
        IpFamily::V4V6 => (true, true),
    }
}

/// Whether an endpoint address becomes a v6 server (`Some(true)`), a v4 one
/// (`Some(false)`), or none: its family must be enabled for AKO (`enabled`,
/// [`enabled_families`]) and served by the Service (`service`).
pub(super) fn server_family(
    ip: &str,
    (v4on, v6on): (bool, bool),
    (v4fam, v6fam): (bool, bool),
) -> Option<bool> {
    if v4on && v4fam && is_v4(ip) {
        Some(false)
    } else if v6on && v6fam && is_v6(ip) {
        Some(true)
    } else {
        None
    }
}

/// (v4, v6) families of a Service from `spec.ipFamilies`: two entries → both,
/// first `IPv6` → v6, else v4. Missing `ipFamilies` is defaulted as the API
/// server does: from the first cluster IP (v6 literal → IPv6), else IPv4.
fn service_families(svc: &Service) -> (bool, bool) {
    let spec = svc.spec.as_ref();
    let fams = spec.and_then(|s| s.ip_families.clone()).unwrap_or_default();
    if fams.len() >= 2 {
        return (true, true);
    }
    let first = fams.first().cloned().unwrap_or_else(|| {
        let ip = spec
            .and_then(|s| {
                s.cluster_ips
                    .as_ref()
                    .and_then(|c| c.first().cloned())
                    .or_else(|| s.cluster_ip.clone())
            })
            .unwrap_or_default();
        if is_v6(&ip) {
            "IPv6".into()
        } else {
            "IPv4".into()
        }
    });
    if first == "IPv6" {
        (false, true)
    } else {
        (true, false)
    }
}

/// One endpoint as read from an EndpointSlice or a core/v1 Endpoints subset.
#[derive(Clone, Debug, Default)]
struct EpView {
    addresses: Vec<String>,
    ready: Option<bool>,
    terminating: Option<bool>,
    node_name: Option<String>,
    target_ref: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct PortView {
    name: Option<String>,
    port: Option<i32>,
    protocol: Option<String>,
}

/// An EndpointSlice, or the slice the mirroring controller would make of a
/// core/v1 Endpoints subset.
#[derive(Clone, Debug, Default)]
struct SliceView {
    address_type: String,
    ports: Vec<PortView>,
    endpoints: Vec<EpView>,
}

fn endpoints_of<'a>(
    ctx: &Context<'a>,
    ns: &str,
    name: &str,
) -> Option<&'a Obj<k8s_openapi::api::core::v1::Endpoints>> {
    ctx.endpoints
        .get(&(ns.to_string(), name.to_string()))
        .copied()
}

/// The Service's EndpointSlices in input order; without any, its core/v1
/// Endpoints converted like the EndpointSlice mirroring controller does (one
/// slice per subset and address family; `notReadyAddresses` not ready).
fn slice_views(ctx: &Context, ns: &str, name: &str, out: &mut Out) -> Vec<SliceView> {
    let slices = ctx.slices_of(ns, name);
    if !slices.is_empty() {
        return slices
            .iter()
            .map(|s| SliceView {
                address_type: s.address_type.clone(),
                ports: s
                    .ports
                    .iter()
                    .flatten()
                    .map(|p| PortView {
                        name: p.name.clone(),
                        port: p.port,
                        protocol: p.protocol.clone(),
                    })
                    .collect(),
                endpoints: s
                    .endpoints
                    .iter()
                    .map(|e| EpView {
                        addresses: e.addresses.clone(),
                        ready: e.conditions.as_ref().and_then(|c| c.ready),
                        terminating: e.conditions.as_ref().and_then(|c| c.terminating),
                        node_name: e.node_name.clone(),
                        target_ref: e.target_ref.as_ref().and_then(|t| t.name.clone()),
                    })
                    .collect(),
            })
            .collect();
    }
    let Some(eps) = endpoints_of(ctx, ns, name) else {
        return Vec::new();
    };
    out.diag(
        Severity::Info,
        Some(describe("Service", ns, name)),
        "no EndpointSlice found: servers are read from the core/v1 Endpoints object (as the EndpointSlice mirroring controller would)",
    );
    let mut views = Vec::new();
    for subset in eps.subsets.iter().flatten() {
        let ports: Vec<PortView> = subset
            .ports
            .iter()
            .flatten()
            .map(|p| PortView {
                name: p.name.clone(),
                port: Some(p.port),
                protocol: p.protocol.clone(),
            })
            .collect();
        for (fam, v6) in [("IPv4", false), ("IPv6", true)] {
            let mut endpoints = Vec::new();
            for (list, ready) in [
                (&subset.addresses, true),
                (&subset.not_ready_addresses, false),
            ] {
                for a in list.iter().flatten() {
                    if is_v6(&a.ip) != v6 {
                        continue;
                    }
                    endpoints.push(EpView {
                        addresses: vec![a.ip.clone()],
                        ready: Some(ready),
                        terminating: None,
                        node_name: a.node_name.clone(),
                        target_ref: a.target_ref.as_ref().and_then(|t| t.name.clone()),
                    });
                }
            }
            if !endpoints.is_empty() {
                views.push(SliceView {
                    address_type: fam.into(),
                    ports: ports.clone(),
                    endpoints,
                });
            }
        }
    }
    views
}

/// `targetPort.IntVal` as Go sees it (0 for a named port or none).
fn target_int(tp: &Option<IntOrString>) -> i32 {
    match tp {
        Some(IntOrString::Int(i)) => *i,
        _ => 0,
    }
}

/// Endpoint condition → `enabled`: ready and not terminating (missing ready
/// counts as not ready). AKO: `avi_model_l4_translator.go` `enableServer`.
fn enable_server(ep: &EpView) -> bool {
    ep.ready == Some(true) && ep.terminating != Some(true)
}

/// ClusterIP mode. AKO: `internal/nodes/avi_model_l4_translator.go` `PopulateServers`.
/// A slice is used when a port matches the pool's port name or numeric target
/// port, or when it is the only slice and has one port; the pool port becomes
/// the matched slice port (the last matched slice's port applies to every
/// server, as AKO writes the pool port into each server). Only `addresses[0]`
/// of an endpoint is used; duplicates of (address, port, protocol, family)
/// are dropped.
fn endpoint_servers(
    ctx: &Context,
    svc: &Obj<Service>,
    b: &Backend<'_>,
    out: &mut Out,
) -> Vec<Server> {
    if !ctx.settings.reads_endpoint_slices() {
        return super::core_endpoints::servers(ctx, svc, b, service_families(svc), out);
    }
    let who = describe("Service", b.namespace, b.service);
    let (v4on, v6on) = enabled_families(ctx.settings);
    let (v4fam, v6fam) = service_families(svc);
    let views = slice_views(ctx, b.namespace, b.service, out);
    let n = views.len();
    let tp = target_int(&b.target_port);
    let mut pool_port = b.port;
    let mut seen: HashSet<(String, i32, String, String)> = HashSet::new();
    let mut list = Vec::new();
    let mut matched_any = false;
    for view in &views {
        let mut matched = view.ports.iter().find(|p| {
            p.name.as_deref() == Some(b.port_name.as_str()) || p.port.is_some_and(|x| x == tp)
        });
        if n == 1 && view.ports.len() == 1 {
            matched = view.ports.first();
        }
        let Some(port) = matched else { continue };
        matched_any = true;
        if let Some(p) = port.port {
            pool_port = p;
        }
        let proto = port.protocol.clone().unwrap_or_else(|| "TCP".into());
        for ep in &view.endpoints {
            let Some(ip) = ep.addresses.first() else {
                out.diag(
                    Severity::Warning,
                    Some(who.clone()),
                    "an endpoint without addresses is ignored",
                );
                continue;
            };
            if !seen.insert((
                ip.clone(),
                pool_port,
                proto.clone(),
                view.address_type.clone(),
            )) {
                continue;
            }
            let Some(v6) = server_family(ip, (v4on, v6on), (v4fam, v6fam)) else {
                continue;
            };
            list.push(Server {
                addr: ip.clone(),
                v6,
                port: 0,
                enabled: Some(enable_server(ep)),
                node: ep.node_name.clone(),
            });
        }
    }
    for s in &mut list {
        s.port = pool_port;
    }
    if views.is_empty() {
        out.diag(
            Severity::Info,
            Some(who),
            "no EndpointSlice or Endpoints object for this Service: its pool has no servers",
        );
    } else if !matched_any {
        out.diag(
            Severity::Warning,
            Some(who),
            format!(
                "no EndpointSlice port matches port {} (name {:?}, targetPort {}): the pool has no servers",
                b.port,
                b.port_name,
                target_desc(&b.target_port)
            ),
        );
    }
    list
}

fn target_desc(tp: &Option<IntOrString>) -> String {
    match tp {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => format!("{s:?}"),
        None => "unset".into(),
    }
}

/// Node IPs (v4, v6) as AKO reads them: Antrea transport addresses or Calico
/// address annotations by `cniPlugin`, else the first `InternalIP` of each
/// family. AKO: `internal/lib/lib.go` `GetIPFromNode`.
pub fn node_ips(settings: &Settings, node: &Node) -> (Option<String>, Option<String>) {
    let (v4on, v6on) = enabled_families(settings);
    let ann = node.metadata.annotations.as_ref();
    let get = |k: &str| ann.and_then(|a| a.get(k)).map(String::as_str);
    let (mut v4, mut v6) = (String::new(), String::new());
    match settings.cni_plugin.as_str() {
        "calico" => {
            if v4on && let Some(ip) = get("projectcalico.org/IPv4Address") {
                v4 = ip.split('/').next().unwrap_or("").to_string();
            }
            if v6on && let Some(ip) = get("projectcalico.org/IPv6Address") {
                v6 = ip.split('/').next().unwrap_or("").to_string();
            }
        }
        "antrea" => {
            if let Some(list) = get("node.antrea.io/transport-addresses") {
                for ip in list.split(',') {
                    if v4on && is_v4(ip) {
                        v4 = ip.to_string();
                    } else if v6on && is_v6(ip) {
                        v6 = ip.to_string();
                    }
                }
            }
        }
        _ => {}
    }
    if v4.is_empty() || v6.is_empty() {
        let addrs = node.status.as_ref().and_then(|s| s.addresses.as_ref());
        for a in addrs
            .into_iter()
            .flatten()
            .filter(|a| a.type_ == "InternalIP")
        {
            if v4on && is_v4(&a.address) && v4.is_empty() {
                v4 = a.address.clone();
            } else if v6on && is_v6(&a.address) && v6.is_empty() {
                v6 = a.address.clone();
            }
        }
    }
    (
        (!v4.is_empty()).then_some(v4),
        (!v6.is_empty()).then_some(v6),
    )
}

/// NodePort mode. AKO: `internal/nodes/avi_model_l4_translator.go`
/// `PopulateServersForNodePort`, `checkIfEndpointSliceExistsForNode`;
/// `internal/lib/lib.go` `GetNodePortsSelector`.
fn nodeport_servers(
    ctx: &Context,
    svc: &Obj<Service>,
    b: &Backend<'_>,
    out: &mut Out,
) -> Vec<Server> {
    let who = describe("Service", b.namespace, b.service);
    if service_type(svc) == "ClusterIP" {
        out.diag(
            Severity::Warning,
            Some(who),
            "type ClusterIP has no node ports: in NodePort mode its pool has no servers",
        );
        return Vec::new();
    }
    let s = ctx.settings;
    let (v4on, v6on) = enabled_families(s);
    let (v4fam, v6fam) = service_families(svc);
    let spec = svc.spec.as_ref();
    let ports = spec.and_then(|s| s.ports.as_deref()).unwrap_or(&[]);
    let local = spec.and_then(|s| s.external_traffic_policy.as_deref()) == Some("Local")
        && s.release
            .has(crate::release::Feature::NodePortLocalTrafficPolicy);
    let views = if local {
        slice_views(ctx, b.namespace, b.service, out)
    } else {
        Vec::new()
    };
    let mut pool_port = b.port;
    let mut list = Vec::new();
    for port in ports {
        if port.name.as_deref().unwrap_or("") != b.port_name && ports.len() != 1 {
            continue;
        }
        pool_port = port.node_port.unwrap_or(0);
        for node in &ctx.nodes {
            if !s.node_selector_key.is_empty() {
                let label = node
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(&s.node_selector_key));
                if label != Some(&s.node_selector_value) {
                    continue;
                }
            }
            let (n4, n6) = if local {
                node_has_endpoint(&views, b, node)
            } else {
                (true, true)
            };
            if !n4 && !n6 {
                continue;
            }
            let (ip4, ip6) = node_ips(s, node);
            let server = match (ip4, ip6) {
                (Some(ip), _) if v4on && v4fam && n4 => (ip, false),
                (_, Some(ip)) if v6on && v6fam && n6 => (ip, true),
                _ => continue,
            };
            list.push(Server {
                addr: server.0,
                v6: server.1,
                port: 0,
                enabled: None,
                node: None,
            });
        }
    }
    for sv in &mut list {
        sv.port = pool_port;
    }
    list
}

/// Whether a node runs an endpoint of the backend (v4 slice, v6 slice).
fn node_has_endpoint(views: &[SliceView], b: &Backend<'_>, node: &Node) -> (bool, bool) {
    let node_name = node.metadata.name.as_deref().unwrap_or("");
    let tp = target_int(&b.target_port);
    let (mut n4, mut n6) = (false, false);
    for view in views {
        let mut found = view.ports.iter().any(|p| {
            p.port.is_some_and(|x| x == tp) || p.name.as_deref() == Some(b.port_name.as_str())
        });
        if !found && tp == 0 && b.port_name.is_empty() && views.len() == 1 && view.ports.len() == 1
        {
            found = true;
        }
        if !found {
            continue;
        }
        if view
            .endpoints
            .iter()
            .any(|e| e.node_name.as_deref() == Some(node_name))
        {
            match view.address_type.as_str() {
                "IPv4" => n4 = true,
                "IPv6" => n6 = true,
                _ => {}
            }
        }
        if n4 && n6 {
            break;
        }
    }
    (n4, n6)
}

/// Pods selected by the Service (`spec.selector`, all pairs equal), minus pods
/// with condition `Ready=False`, sorted by name.
fn selected_pods<'a>(ctx: &Context<'a>, svc: &Obj<Service>) -> Vec<&'a Obj<Pod>> {
    let ns = svc.metadata.namespace.as_deref().unwrap_or("");
    let Some(sel) = svc
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .filter(|s| !s.is_empty())
    else {
        return Vec::new();
    };
    let mut pods: Vec<&Obj<Pod>> = ctx
        .pods
        .get(ns)
        .into_iter()
        .flatten()
        .copied()
        .filter(|p| {
            let labels = p.metadata.labels.as_ref();
            sel.iter()
                .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
        })
        .filter(|p| {
            !p.status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .into_iter()
                .flatten()
                .any(|c| c.type_ == "Ready" && c.status == "False")
        })
        .collect();
    pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    pods
}

/// One entry of the Antrea annotation `nodeportlocal.antrea.io`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NplEntry {
    pod_port: i64,
    #[serde(rename = "nodeIP")]
    node_ip: String,
    node_port: i64,
}

/// NodePortLocal mode. AKO: `internal/nodes/avi_model_l4_translator.go`
/// `PopulateServersForNPL`; `internal/lib/utils.go` `GetPodsFromService`.
/// A named target port resolves to the container port of that name (the last
/// selected pod that declares it wins). `enabled` comes from the pod's
/// endpoint condition in a matching slice, default true.
fn npl_servers(ctx: &Context, svc: &Obj<Service>, b: &Backend<'_>, out: &mut Out) -> Vec<Server> {
    let who = describe("Service", b.namespace, b.service);
    let pods = selected_pods(ctx, svc);
    if pods.is_empty() {
        return Vec::new();
    }
    let mut target: i64 = 0;
    match &b.target_port {
        Some(IntOrString::String(name)) => {
            for p in &pods {
                for c in p.spec.iter().flat_map(|s| s.containers.iter()) {
                    for cp in c.ports.iter().flatten() {
                        if cp.name.as_deref() == Some(name.as_str()) {
                            target = cp.container_port.into();
                        }
                    }
                }
            }
        }
        other => target = target_int(other).into(),
    }
    let tp = target_int(&b.target_port);
    let (v4on, v6on) = enabled_families(ctx.settings);
    let (v4fam, v6fam) = service_families(svc);
    let mut condition: HashMap<String, bool> = HashMap::new();
    for view in slice_views(ctx, b.namespace, b.service, out) {
        let found = view.ports.iter().any(|p| {
            p.port.is_some_and(|x| x == tp) || p.name.as_deref() == Some(b.port_name.as_str())
        });
        if !found {
            continue;
        }
        for pod in &pods {
            let name = pod.metadata.name.as_deref().unwrap_or("");
            if let Some(ep) = view
                .endpoints
                .iter()
                .find(|e| e.target_ref.as_deref() == Some(name))
            {
                condition.insert(name.to_string(), enable_server(ep));
            }
        }
    }
    let mut list = Vec::new();
    for pod in &pods {
        let name = pod.metadata.name.as_deref().unwrap_or("");
        let Some(raw) = pod
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("nodeportlocal.antrea.io"))
        else {
            continue;
        };
        let entries: Vec<NplEntry> = match serde_json::from_str(raw) {
            Ok(e) => e,
            Err(e) => {
                out.diag(
                    Severity::Warning,
                    Some(describe("Pod", b.namespace, name)),
                    format!(
                        "annotation nodeportlocal.antrea.io is not valid JSON ({e}); pod ignored"
                    ),
                );
                continue;
            }
        };
        for a in entries {
            let v6 = if v4on && v4fam && is_v4(&a.node_ip) {
                false
            } else if v6on && v6fam && is_v6(&a.node_ip) {
                true
            } else {
                continue;
            };
            let port_ok = (matches!(b.target_port, Some(IntOrString::Int(_)))
                && a.pod_port == i64::from(tp))
                || a.pod_port == target;
            if !port_ok {
                continue;
            }
            list.push(Server {
                addr: a.node_ip,
                v6,
                port: i32::try_from(a.node_port).unwrap_or(0),
                // Releases reading core/v1 Endpoints write no `enabled`
                // (AKO 1.12 `PopulateServersForNPL`).
                enabled: ctx
                    .settings
                    .reads_endpoint_slices()
                    .then(|| condition.get(name).copied().unwrap_or(true)),
                node: None,
            });
        }
    }
    if list.is_empty() {
        out.diag(
            Severity::Info,
            Some(who),
            format!(
                "no NodePortLocal mapping for target port {}: the pool has no servers",
                target_desc(&b.target_port)
            ),
        );
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::Context;
    use crate::input::{Source, decode};
    use crate::model::Snapshot;

    fn snap(yaml: &str) -> Snapshot {
        decode(
            &[Source {
                name: "t.yaml".into(),
                text: yaml.into(),
            }],
            "default",
        )
        .map(|x| x.0)
        .unwrap_or_default()
    }

    fn backend<'a>(svc: &'a str, port: i32, name: &str, tp: IntOrString, l7: bool) -> Backend<'a> {
        Backend {
            namespace: "red",
            service: svc,
            port,
            port_name: name.into(),
            target_port: Some(tp),
            for_l7: l7,
        }
    }

    fn run(settings: &Settings, yaml: &str, b: &Backend<'_>) -> (Vec<Server>, Out) {
        let s = snap(yaml);
        let ctx = Context::new(&s, settings);
        let mut out = Out::default();
        let list = servers(&ctx, b, &mut out);
        (list, out)
    }

    fn addrs(list: &[Server]) -> Vec<(String, i32)> {
        list.iter().map(|s| (s.addr.clone(), s.port)).collect()
    }

    const TWO_SLICES: &str = "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: red}
spec: {type: ClusterIP, ports: [{name: http, port: 80, targetPort: 8080}, {name: admin, port: 81, targetPort: 9090}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-a, namespace: red, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.2], conditions: {ready: true}}]
ports: [{name: http, port: 8080}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-b, namespace: red, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.10]}]
ports: [{name: admin, port: 9090}]
";

    #[test]
    fn clusterip_matches_slices_by_port_name() {
        let s = Settings::default();
        let (list, _) = run(
            &s,
            TWO_SLICES,
            &backend("web", 80, "http", IntOrString::Int(8080), false),
        );
        assert_eq!(addrs(&list), [("10.0.0.2".to_string(), 8080)]);
        assert_eq!(list[0].enabled, Some(true));
        let (list, _) = run(
            &s,
            TWO_SLICES,
            &backend("web", 81, "admin", IntOrString::Int(9090), false),
        );
        assert_eq!(addrs(&list), [("10.0.0.10".to_string(), 9090)]);
        assert_eq!(list[0].enabled, Some(false));
    }

    #[test]
    fn clusterip_matches_by_target_number_and_reports_misses() {
        let s = Settings::default();
        let (list, _) = run(
            &s,
            TWO_SLICES,
            &backend("web", 80, "", IntOrString::Int(9090), false),
        );
        assert_eq!(addrs(&list), [("10.0.0.10".to_string(), 9090)]);
        let (list, out) = run(
            &s,
            TWO_SLICES,
            &backend("web", 80, "nope", IntOrString::Int(1), false),
        );
        assert!(list.is_empty());
        assert!(
            out.finish()
                .diagnostics
                .iter()
                .any(|d| d.message.contains("no EndpointSlice port matches"))
        );
    }

    #[test]
    fn single_slice_with_single_port_always_matches() {
        let yaml = "
apiVersion: v1
kind: Service
metadata: {name: one, namespace: red}
spec: {type: LoadBalancer, ports: [{name: a, port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: one-x, namespace: red, labels: {kubernetes.io/service-name: one}}
addressType: IPv4
endpoints: [{addresses: [1.1.1.1], nodeName: n1}]
ports: [{name: other, port: 7777}]
";
        let (list, _) = run(
            &Settings::default(),
            yaml,
            &backend("one", 80, "a", IntOrString::Int(8080), false),
        );
        assert_eq!(addrs(&list), [("1.1.1.1".to_string(), 7777)]);
        assert_eq!(list[0].node.as_deref(), Some("n1"));
    }

    #[test]
    fn ingress_backends_need_the_clusterip_store() {
        let yaml = TWO_SLICES.replace("type: ClusterIP", "type: LoadBalancer");
        let b = backend("web", 80, "http", IntOrString::Int(8080), true);
        let (list, out) = run(&Settings::default(), &yaml, &b);
        assert!(list.is_empty());
        assert!(
            out.finish()
                .diagnostics
                .iter()
                .any(|d| d.message.contains("LoadBalancer"))
        );
        let s = Settings {
            layer7_only: true,
            ..Settings::default()
        };
        let (list, _) = run(&s, &yaml, &b);
        assert_eq!(list.len(), 1);
        let (list, _) = run(
            &Settings::default(),
            &yaml,
            &backend("web", 80, "http", IntOrString::Int(8080), false),
        );
        assert_eq!(list.len(), 1, "L4 pools skip the store check");
        let (list, _) = run(
            &Settings::default(),
            TWO_SLICES,
            &backend("missing", 80, "", IntOrString::Int(80), true),
        );
        assert!(list.is_empty());
    }

    const NODES: &str = "
apiVersion: v1
kind: Node
metadata: {name: n2, annotations: {projectcalico.org/IPv4Address: 172.16.0.2/24}}
status: {addresses: [{type: InternalIP, address: 10.0.0.2}]}
---
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: Hostname, address: n1}, {type: InternalIP, address: 10.0.0.1}, {type: InternalIP, address: 10.0.0.99}]}
---
apiVersion: v1
kind: Service
metadata: {name: np, namespace: red}
spec: {type: NodePort, ports: [{name: x, port: 80, targetPort: 8080, nodePort: 30001}]}
---
apiVersion: v1
kind: Service
metadata: {name: cip, namespace: red}
spec: {type: ClusterIP, ports: [{port: 80}]}
";

    #[test]
    fn nodeport_servers_and_calico_node_ip() {
        let s = Settings {
            service_type: ServiceType::NodePort,
            cni_plugin: "calico".into(),
            ..Settings::default()
        };
        // Single-port Service: its port is used whatever the pool's port name.
        let (list, _) = run(
            &s,
            NODES,
            &backend("np", 80, "other", IntOrString::Int(8080), true),
        );
        assert_eq!(
            addrs(&list),
            [
                ("10.0.0.1".to_string(), 30001),
                ("172.16.0.2".to_string(), 30001)
            ]
        );
        assert!(list.iter().all(|s| s.enabled.is_none() && s.node.is_none()));
        let (list, out) = run(
            &s,
            NODES,
            &backend("cip", 80, "", IntOrString::Int(80), true),
        );
        assert!(list.is_empty());
        assert!(
            out.finish()
                .diagnostics
                .iter()
                .any(|d| d.message.contains("ClusterIP"))
        );
    }

    #[test]
    fn skip_nodeport_annotation_uses_endpoints_for_l4_only() {
        let yaml = format!(
            "{TWO_SLICES}\n---\napiVersion: v1\nkind: Node\nmetadata: {{name: n1}}\nstatus: {{addresses: [{{type: InternalIP, address: 10.9.9.9}}]}}\n"
        )
        .replace("name: web, namespace: red}", "name: web, namespace: red, annotations: {skipnodeport.ako.vmware.com/enabled: 'x'}}")
        .replace("type: ClusterIP", "type: LoadBalancer");
        let s = Settings {
            service_type: ServiceType::NodePort,
            ..Settings::default()
        };
        let (list, _) = run(
            &s,
            &yaml,
            &backend("web", 80, "http", IntOrString::Int(8080), false),
        );
        assert_eq!(addrs(&list), [("10.0.0.2".to_string(), 8080)]);
        let (list, _) = run(
            &s,
            &yaml,
            &backend("web", 80, "http", IntOrString::Int(8080), true),
        );
        assert_eq!(
            addrs(&list),
            [("10.9.9.9".to_string(), 0)],
            "Ingress pools ignore the annotation (the test ports have no nodePort)"
        );
    }

    #[test]
    fn ip_family_rules() {
        let mut s = Settings {
            ip_family: Some(IpFamily::V6),
            ..Settings::default()
        };
        assert_eq!(ako_ip_family(&s), IpFamily::V6);
        s.cloud.cloud_type = "CLOUD_AWS".into();
        assert_eq!(
            ako_ip_family(&s),
            IpFamily::V4,
            "only vCenter, no-access and NSX-T clouds honour ipFamily"
        );
        let svc: Service =
            serde_json::from_value(serde_json::json!({"spec": {"clusterIP": "fd00::1"}}))
                .unwrap_or_default();
        assert_eq!(service_families(&svc), (false, true));
        let svc: Service =
            serde_json::from_value(serde_json::json!({"spec": {}})).unwrap_or_default();
        assert_eq!(service_families(&svc), (true, false));
        let svc: Service =
            serde_json::from_value(serde_json::json!({"spec": {"ipFamilies": ["IPv6", "IPv4"]}}))
                .unwrap_or_default();
        assert_eq!(service_families(&svc), (true, true));
    }

    #[test]
    fn npl_numeric_target_port() {
        let yaml = r#"
apiVersion: v1
kind: Service
metadata: {name: w, namespace: red}
spec: {type: ClusterIP, selector: {app: w}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: w-1
  namespace: red
  labels: {app: w, extra: x}
  annotations: {nodeportlocal.antrea.io: '[{"podPort":8080,"nodeIP":"10.1.1.2","nodePort":61000},{"podPort":81,"nodeIP":"10.1.1.2","nodePort":61001}]'}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: w-bad
  namespace: red
  labels: {app: w}
  annotations: {nodeportlocal.antrea.io: 'not json'}
spec: {containers: [{name: c, image: i}]}
"#;
        let s = Settings {
            service_type: ServiceType::NodePortLocal,
            cni_plugin: "antrea".into(),
            ..Settings::default()
        };
        let (list, out) = run(
            &s,
            yaml,
            &backend("w", 80, "", IntOrString::Int(8080), true),
        );
        assert_eq!(addrs(&list), [("10.1.1.2".to_string(), 61000)]);
        assert_eq!(list[0].enabled, Some(true));
        assert!(
            out.finish()
                .diagnostics
                .iter()
                .any(|d| d.message.contains("not valid JSON"))
        );
    }
}
