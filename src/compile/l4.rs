//! Services of type LoadBalancer (translation-core.md §4.2) and shared-VIP
//! LoadBalancer Services (§4.3): one virtualservice, vsvip and l4policyset per
//! Service (or per shared-VIP key), one pool per Service port.
//!
//! AKO: `internal/nodes/avi_model_l4_translator.go` `BuildL4LBGraph`,
//! `ConstructAviL4VsNode`, `ConstructAviL4PolPoolNodes`;
//! `internal/nodes/avi_model_advl4_translator.go` `ConstructSharedVipSvcLBNode`,
//! `ConstructSharedVipPolPoolNodes`; `internal/nodes/dequeue_ingestion.go`
//! `handleL4Service`, `handleL4SharedVipService`; REST bodies from
//! `internal/rest/avi_obj_vs.go` `AviVsBuild`, `avi_obj_pool.go` `AviPoolBuild`,
//! `avi_obj_l4ps.go` `AviL4PSBuild`, `avi_obj_vsvip.go` `AviVsVipBuild`.

use std::collections::{BTreeMap, BTreeSet};

use crate::release::Feature;
use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{Map, Value, json};

use super::common::{
    Markers, ServiceMetadata, api_ref, name_too_long, recorded_name_of, tenant_ref,
};
use super::crd::infra::InfraChoice;
use super::fqdn::{auto_fqdn, subdomain};
use super::servers::{Backend, server_sources, servers, servers_json, service_type};
use super::vip::{
    Net, VsvipSpec, istio_pool_fields, pool_placement_networks_net, pool_vrf_fields_net, vrf_name,
    vsvip_body_net,
};
use super::{Context, Out, describe, source};
use crate::model::{AviType, Obj, Severity};
use crate::names::table;
use crate::settings::{AutoFqdn, ServiceType, Settings};

const SHARED_VIP: &str = "ako.vmware.com/enable-shared-vip";
const EXTERNAL_DNS: &str = "external-dns.alpha.kubernetes.io/hostname";
const LB_IP: &str = "ako.vmware.com/load-balancer-ip";
const DISABLE_TRAFFIC: &str = "ako.vmware.com/disable-traffic";
const APP_PROFILE: &str = "ako.vmware.com/application-profile";
const INFRA_SETTING: &str = "aviinfrasetting.ako.vmware.com/name";
const L4RULE: &str = "ako.vmware.com/l4rule";
const AVI_LB_CLASS: &str = "ako.vmware.com/avi-lb";
pub(super) const DEFAULT_L4_APP_PROFILE: &str = "System-L4-Application";

/// Build every L4 object of the snapshot.
pub fn build(ctx: &Context, out: &mut Out) {
    let mut services: Vec<&Obj<Service>> = ctx.snapshot.services.iter().collect();
    services.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    let mut shared: BTreeMap<(String, String), Vec<&Obj<Service>>> = BTreeMap::new();
    for svc in services {
        let (ns, name) = ns_name(svc);
        let who = describe("Service", ns, name);
        let ty = service_type(svc);
        if ty != "LoadBalancer" {
            let why = if ty == "ExternalName" {
                "type ExternalName, ignored by AKO".to_string()
            } else {
                format!("type {ty}, not an L4 service")
            };
            out.push(crate::model::Diagnostic::new(Severity::Info, Some(who), why).at(&svc.origin));
            continue;
        }
        if let Err(why) = ctx.namespace_accepted(ns) {
            warn(out, svc, format!("{why}; no L4 virtual service"));
            continue;
        }
        if ctx.settings.layer7_only {
            warn(
                out,
                svc,
                "AKO runs with layer7Only: no L4 virtual service (the Service is usable as an Ingress backend)",
            );
            continue;
        }
        if let Some(key) = annotation(svc, SHARED_VIP).filter(|k| !k.is_empty()) {
            shared
                .entry((ns.to_string(), key.to_string()))
                .or_default()
                .push(svc);
            continue;
        }
        if let Err(why) = lb_class_accepted(ctx.settings, svc) {
            warn(out, svc, why);
            continue;
        }
        build_service(ctx, svc, out);
    }
    for ((ns, key), members) in shared {
        build_shared(ctx, &ns, &key, &members, out);
    }
}

pub(super) fn ns_name(svc: &Obj<Service>) -> (&str, &str) {
    (
        svc.metadata.namespace.as_deref().unwrap_or(""),
        svc.metadata.name.as_deref().unwrap_or(""),
    )
}

fn annotation<'a>(svc: &'a Service, key: &str) -> Option<&'a str> {
    svc.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .map(String::as_str)
}

fn warn(out: &mut Out, svc: &Obj<Service>, msg: impl Into<String>) {
    let (ns, name) = ns_name(svc);
    out.push(
        crate::model::Diagnostic::new(Severity::Warning, Some(describe("Service", ns, name)), msg)
            .at(&svc.origin),
    );
}

/// LoadBalancer class filter (translation-core.md §4.11). AKO:
/// `internal/lib/lib.go` `ValidateSvcforClass`.
fn lb_class_accepted(settings: &Settings, svc: &Service) -> Result<(), String> {
    match svc
        .spec
        .as_ref()
        .and_then(|s| s.load_balancer_class.as_deref())
    {
        None if settings.default_lb_controller => Ok(()),
        None => Err(format!(
            "no loadBalancerClass and {AVI_LB_CLASS} is not the default load balancer controller (defaultLBController false); ignored"
        )),
        Some(c) if c == AVI_LB_CLASS => Ok(()),
        Some(c) => Err(format!(
            "loadBalancerClass {c:?} is not {AVI_LB_CLASS}; ignored"
        )),
    }
}

/// Port protocol, defaulted to TCP as the API server does.
pub(super) fn protocol(p: &ServicePort) -> &str {
    p.protocol
        .as_deref()
        .filter(|p| !p.is_empty())
        .unwrap_or("TCP")
}

/// `targetPort`, defaulted to the port as the API server does.
pub(super) fn target_port(p: &ServicePort) -> IntOrString {
    p.target_port.clone().unwrap_or(IntOrString::Int(p.port))
}

/// VS network profile and per-port overrides. AKO:
/// `internal/nodes/avi_model_l4_translator.go` `getNetworkProfile`;
/// `internal/rest/avi_obj_vs.go` `AviVsBuild` (mixed protocols).
fn network_profile(settings: &Settings, protocols: &[&str]) -> (String, bool) {
    let tcp = protocols.contains(&"TCP");
    let udp = protocols.contains(&"UDP");
    let sctp = protocols.contains(&"SCTP");
    let tcp_profile = if settings.is_enterprise_license() {
        "System-TCP-Proxy"
    } else {
        "System-TCP-Fast-Path"
    };
    match (tcp, udp, sctp) {
        (false, false, true) => ("System-SCTP-Proxy".into(), false),
        (true, false, false) => (tcp_profile.into(), false),
        (false, true, false) => ("System-UDP-Fast-Path".into(), false),
        _ if tcp => (tcp_profile.into(), true),
        _ => ("System-UDP-Fast-Path".into(), true),
    }
}

/// One VS listener: `{port, port_range_end, enable_ssl, enable_http2}` plus
/// the override profile of UDP/SCTP ports on a mixed VS.
fn vs_service(port: i32, proto: &str, mixed: bool) -> Value {
    let mut v =
        json!({"port": port, "port_range_end": port, "enable_ssl": false, "enable_http2": false});
    if mixed {
        match proto {
            "UDP" => {
                v["override_network_profile_ref"] =
                    json!(api_ref("networkprofile", "System-UDP-Fast-Path"))
            }
            "SCTP" => {
                v["override_network_profile_ref"] =
                    json!(api_ref("networkprofile", "System-SCTP-Proxy"))
            }
            _ => {}
        }
    }
    v
}

/// What one L4 pool needs.
pub(super) struct PoolPlan<'a> {
    pub(super) name: String,
    pub(super) svc_ns: &'a str,
    pub(super) svc_name: &'a str,
    pub(super) port: i32,
    pub(super) proto: String,
    pub(super) port_name: String,
    pub(super) target: IntOrString,
    pub(super) metadata: ServiceMetadata,
    pub(super) markers: Markers,
}

/// Pool body. AKO: `internal/rest/avi_obj_pool.go` `AviPoolBuild`.
fn pool_body(
    ctx: &Context,
    tenant: &str,
    net: &Net,
    plan: &PoolPlan<'_>,
    out: &mut Out,
) -> (Value, Vec<String>) {
    let s = ctx.settings;
    let backend = Backend {
        namespace: plan.svc_ns,
        service: plan.svc_name,
        port: plan.port,
        port_name: plan.port_name.clone(),
        target_port: Some(plan.target.clone()),
        for_l7: false,
    };
    let list = servers(ctx, &backend, out);
    let mut b = Map::new();
    b.insert("name".into(), json!(plan.name));
    b.insert("tenant_ref".into(), json!(tenant_ref(tenant)));
    b.insert("cloud_ref".into(), json!(api_ref("cloud", &s.cloud_name)));
    b.insert("created_by".into(), json!(s.created_by()));
    b.insert(
        "service_metadata".into(),
        json!(plan.metadata.render_for(s.release)),
    );
    b.insert("sni_enabled".into(), json!(false));
    if s.release.has(Feature::PoolGracefulDisableTimeout) {
        b.insert("graceful_disable_timeout".into(), json!(1));
    }
    pool_vrf_fields_net(s, net, &mut b);
    let hm = match plan.proto.as_str() {
        "UDP" => "System-UDP",
        "SCTP" => "System-SCTP",
        _ => "System-TCP",
    };
    b.insert(
        "health_monitor_refs".into(),
        json!([api_ref("healthmonitor", hm)]),
    );
    if let Some(v) = servers_json(&list) {
        b.insert("servers".into(), v);
    }
    if let Some(p) = pool_placement_networks_net(s, net) {
        b.insert("placement_networks".into(), p);
    }
    istio_pool_fields(s, &mut b);
    b.insert("markers".into(), plan.markers.to_json(s));
    (Value::Object(b), server_sources(ctx, &backend))
}

/// One l4policyset rule: the literal `/api/pool?name=<pool>` is the rule name.
/// AKO: `internal/rest/avi_obj_l4ps.go` `AviL4PSBuild`.
fn l4_rule(index: usize, pool: &str, port: i32, proto: &str) -> Value {
    let literal = format!("/api/pool?name={pool}");
    let proto = match proto {
        "UDP" => "PROTOCOL_UDP",
        "SCTP" => "PROTOCOL_SCTP",
        _ => "PROTOCOL_TCP",
    };
    json!({
        "name": literal,
        "index": index,
        "action": {"select_pool": {"action_type": "L4_RULE_ACTION_SELECT_POOL", "pool_ref": api_ref("pool", pool)}},
        "match": {
            "port": {"match_criteria": "IS_IN", "ports": [port]},
            "protocol": {"match_criteria": "IS_IN", "protocol": proto},
        },
    })
}

/// Everything of one L4 virtual service model, ready to emit.
pub(super) struct VsPlan<'a> {
    pub(super) name: String,
    pub(super) tenant: String,
    pub(super) app_profile: String,
    /// (sort key, port, protocol) per listener.
    pub(super) listeners: Vec<(String, i32, String)>,
    pub(super) fqdns: Vec<String>,
    pub(super) requested_ip: Option<String>,
    pub(super) traffic_enabled: Option<bool>,
    pub(super) metadata: ServiceMetadata,
    pub(super) markers: Markers,
    pub(super) l4ps_markers: Markers,
    pub(super) pools: Vec<PoolPlan<'a>>,
    /// Pools in l4 rule order (indexes into `pools`).
    pub(super) rule_order: Vec<usize>,
    pub(super) sources: BTreeSet<String>,
    /// Global network side, or the AviInfraSetting's.
    pub(super) net: Net,
}

pub(super) fn emit_plan(ctx: &Context, plan: VsPlan<'_>, who: &str, out: &mut Out) {
    let s = ctx.settings;
    for n in [&plan.name] {
        if name_too_long(n) {
            out.diag(
                Severity::Warning,
                Some(who.to_string()),
                format!("virtualservice name {n} exceeds maximum length limit of 255 characters for AVI Object; no L4 objects"),
            );
            return;
        }
    }
    let mut sources = plan.sources.clone();
    // Pools.
    let mut created = vec![false; plan.pools.len()];
    for (i, p) in plan.pools.iter().enumerate() {
        if name_too_long(&p.name) {
            out.diag(
                Severity::Warning,
                Some(who.to_string()),
                format!("pool name {} exceeds maximum length limit of 255 characters for AVI Object; pool and its L4 rule dropped", p.name),
            );
            continue;
        }
        let (body, srcs) = pool_body(ctx, &plan.tenant, &plan.net, p, out);
        let mut psrc = plan.sources.clone();
        psrc.extend(srcs.iter().cloned());
        sources.extend(srcs);
        out.emit(AviType::Pool, &plan.tenant, &p.name, psrc, body);
        created[i] = true;
    }
    // vsvip.
    let vip = vsvip_body_net(
        s,
        &plan.net,
        &VsvipSpec {
            name: plan.name.clone(),
            tenant: plan.tenant.clone(),
            fqdns: plan.fqdns.clone(),
            requested_ip: plan.requested_ip.clone(),
        },
    );
    out.emit(
        AviType::Vsvip,
        &plan.tenant,
        &plan.name,
        plan.sources.clone(),
        vip,
    );
    // l4policyset.
    let mut rules = Vec::new();
    for &i in &plan.rule_order {
        let p = &plan.pools[i];
        if p.port == 0 || !created[i] || name_too_long(&format!("/api/pool?name={}", p.name)) {
            continue;
        }
        rules.push(l4_rule(rules.len(), &p.name, p.port, &p.proto));
    }
    let l4ps = json!({
        "name": plan.name,
        "tenant_ref": tenant_ref(&plan.tenant),
        "created_by": s.created_by(),
        "l4_connection_policy": if rules.is_empty() { json!({}) } else { json!({"rules": rules}) },
        "markers": plan.l4ps_markers.to_json(s),
    });
    out.emit(
        AviType::L4policyset,
        &plan.tenant,
        &plan.name,
        plan.sources.clone(),
        l4ps,
    );
    // virtualservice.
    let protos: Vec<&str> = plan.listeners.iter().map(|l| l.2.as_str()).collect();
    let (profile, mixed) = network_profile(s, &protos);
    let mut listeners: Vec<&(String, i32, String)> = plan.listeners.iter().collect();
    listeners.sort_by(|a, b| a.0.cmp(&b.0));
    let services: Vec<Value> = listeners
        .iter()
        .map(|l| vs_service(l.1, &l.2, mixed))
        .collect();
    let mut vs = Map::new();
    vs.insert("name".into(), json!(plan.name));
    vs.insert("tenant_ref".into(), json!(tenant_ref(&plan.tenant)));
    vs.insert("cloud_ref".into(), json!(api_ref("cloud", &s.cloud_name)));
    vs.insert("created_by".into(), json!(s.created_by()));
    vs.insert(
        "application_profile_ref".into(),
        json!(api_ref("applicationprofile", &plan.app_profile)),
    );
    vs.insert(
        "network_profile_ref".into(),
        json!(api_ref("networkprofile", &profile)),
    );
    vs.insert(
        "se_group_ref".into(),
        json!(api_ref("serviceenginegroup", &plan.net.se_group)),
    );
    if plan.net.t1lr().is_none() {
        vs.insert(
            "vrf_context_ref".into(),
            json!(api_ref("vrfcontext", &vrf_name(s))),
        );
    }
    vs.insert("vsvip_ref".into(), json!(api_ref("vsvip", &plan.name)));
    vs.insert("services".into(), Value::Array(services));
    vs.insert(
        "l4_policies".into(),
        json!([{"index": 0, "l4_policy_set_ref": api_ref("l4policyset", &plan.name)}]),
    );
    vs.insert("remove_listening_port_on_vs_down".into(), json!(true));
    if let Some(t) = plan.traffic_enabled
        && s.release.has(Feature::L4TrafficEnabled)
    {
        vs.insert("traffic_enabled".into(), json!(t));
    }
    if plan.net.enable_rhi {
        vs.insert("enable_rhi".into(), json!(true));
    }
    vs.insert("error_page_profile_ref".into(), json!(""));
    vs.insert(
        "service_metadata".into(),
        json!(plan.metadata.render_for(s.release)),
    );
    vs.insert("markers".into(), plan.markers.to_json(s));
    out.emit(
        AviType::Virtualservice,
        &plan.tenant,
        &plan.name,
        sources,
        Value::Object(vs),
    );
}

/// The requested VIP: `spec.loadBalancerIP`, else annotation
/// `ako.vmware.com/load-balancer-ip`. AKO: `internal/lib/utils.go`
/// `HasSpecLoadBalancerIP`, `HasLoadBalancerIPAnnotation`.
fn requested_ip(svc: &Service) -> Option<String> {
    let spec_ip = svc
        .spec
        .as_ref()
        .and_then(|s| s.load_balancer_ip.clone())
        .filter(|i| !i.is_empty());
    spec_ip.or_else(|| {
        annotation(svc, LB_IP)
            .filter(|i| !i.is_empty())
            .map(String::from)
    })
}

pub(super) fn ports(svc: &Service) -> &[ServicePort] {
    svc.spec
        .as_ref()
        .and_then(|s| s.ports.as_deref())
        .unwrap_or(&[])
}

/// Plain L4 (translation-core.md §4.2).
fn build_service(ctx: &Context, svc: &Obj<Service>, out: &mut Out) {
    let s = ctx.settings;
    let (ns, name) = ns_name(svc);
    let who = describe("Service", ns, name);
    let ports = ports(svc);
    if ports.is_empty() {
        warn(
            out,
            svc,
            "LoadBalancer Service without ports; no L4 virtual service",
        );
        return;
    }
    if s.service_type == ServiceType::NodePortLocal && ports.iter().any(|p| protocol(p) == "SCTP") {
        warn(
            out,
            svc,
            "SCTP protocol is not supported for service type NodePortLocal; no L4 virtual service",
        );
        return;
    }
    // FQDNs (`ConstructAviL4VsNode`).
    let mut fqdns = Vec::new();
    let ext = annotation(svc, EXTERNAL_DNS);
    if s.auto_fqdn == AutoFqdn::Disabled {
        if ext.is_some() {
            warn(
                out,
                svc,
                format!("annotation {EXTERNAL_DNS} is ignored because autoFQDN is disabled"),
            );
        }
    } else if let Some(e) = ext {
        fqdns.push(e.to_string());
    } else if let Some(f) = auto_fqdn(s, ns, name) {
        fqdns.push(f);
    }
    let Some(net) = l4_net(ctx, svc, &who, out) else {
        return;
    };
    let tenant = ctx.tenant_of(ns);
    let vs_name = recorded_name_of(
        out,
        s,
        &table::L4_VS,
        &[("namespace", ns), ("service", name)],
    );
    let traffic_enabled =
        !annotation(svc, DISABLE_TRAFFIC).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let app_profile = annotation(svc, APP_PROFILE)
        .filter(|a| !a.is_empty())
        .unwrap_or(DEFAULT_L4_APP_PROFILE);
    let mut protos: BTreeSet<&str> = BTreeSet::new();
    let mut pools = Vec::new();
    let mut listeners = Vec::new();
    for p in ports {
        let proto = protocol(p);
        protos.insert(proto);
        listeners.push((
            p.name.clone().unwrap_or_default(),
            p.port,
            proto.to_string(),
        ));
        pools.push(PoolPlan {
            name: recorded_name_of(
                out,
                s,
                &table::L4_POOL,
                &[
                    ("namespace", ns),
                    ("service", name),
                    ("protocol", proto),
                    ("port", &p.port.to_string()),
                ],
            ),
            svc_ns: ns,
            svc_name: name,
            port: p.port,
            proto: proto.to_string(),
            port_name: p.name.clone().unwrap_or_default(),
            target: target_port(p),
            metadata: ServiceMetadata::default(),
            markers: Markers {
                namespace: ns.into(),
                service_name: name.into(),
                port: p.port.to_string(),
                ..Markers::default()
            },
        });
    }
    let rule_order = (0..pools.len()).collect();
    let plan = VsPlan {
        name: vs_name,
        tenant,
        app_profile: app_profile.to_string(),
        listeners,
        requested_ip: requested_ip(svc),
        traffic_enabled: Some(traffic_enabled),
        metadata: ServiceMetadata {
            namespace_svc_name: Some(vec![format!("{ns}/{name}")]),
            hostnames: (!fqdns.is_empty()).then(|| fqdns.clone()),
            ..ServiceMetadata::default()
        },
        fqdns,
        markers: Markers {
            namespace: ns.into(),
            service_name: name.into(),
            ..Markers::default()
        },
        l4ps_markers: Markers {
            namespace: ns.into(),
            service_name: name.into(),
            protocol: protos.into_iter().collect::<Vec<_>>().join(","),
            ..Markers::default()
        },
        pools,
        rule_order,
        sources: BTreeSet::from([source("Service", ns, name)]),
        net,
    };
    emit_plan(ctx, plan, &who, out);
}

/// The network side of an L4 VS: the AviInfraSetting named by the Service
/// annotation or its namespace (translation-extended.md §2.4), or `None` when
/// a referenced setting is missing or not Accepted and AKO skips the Service.
/// AKO: `internal/nodes/avi_model_l4_translator.go` `getL4InfraSetting`.
fn l4_net(ctx: &Context, svc: &Obj<Service>, who: &str, out: &mut Out) -> Option<Net> {
    match ctx.crds.infra_for_service(ctx, &svc.obj) {
        InfraChoice::Block(why) => {
            out.push(
                crate::model::Diagnostic::new(
                    Severity::Warning,
                    Some(who.to_string()),
                    format!("{why}; AKO builds no L4 virtual service"),
                )
                .at(&svc.origin),
            );
            None
        }
        c => Some(Net::with_infra(ctx.settings, c.infra())),
    }
}

/// Shared-VIP L4 (translation-core.md §4.3). Members are taken in name order
/// (AKO: the order it saw them); the first member decides the requested VIP.
/// A member with another loadBalancerClass, another requested VIP, or another
/// AviInfraSetting / L4Rule annotation than the first makes AKO drop the whole
/// shared VS. AKO: `internal/nodes/dequeue_ingestion.go`
/// `handleL4SharedVipService`; `avi_model_advl4_translator.go`.
fn build_shared(ctx: &Context, ns: &str, key: &str, members: &[&Obj<Service>], out: &mut Out) {
    let s = ctx.settings;
    let who = format!("shared VIP {ns}/{key}");
    let Some(first) = members.first() else { return };
    let first_ip = requested_ip(first).unwrap_or_default();
    let first_infra = annotation(first, INFRA_SETTING).unwrap_or("");
    let first_rule = annotation(first, L4RULE).unwrap_or("");
    for (i, m) in members.iter().enumerate() {
        let (_, mname) = ns_name(m);
        let problem = if let Err(why) = lb_class_accepted(s, m) {
            Some(format!("member Service {mname}: {why}"))
        } else if let Some(ip) = m
            .spec
            .as_ref()
            .and_then(|sp| sp.load_balancer_ip.as_deref())
            .filter(|x| !x.is_empty())
        {
            (ip != first_ip).then(|| format!("member Service {mname} requests loadBalancerIP {ip}, the first member {first_ip:?}"))
        } else if let Some(ip) = annotation(m, LB_IP).filter(|x| !x.is_empty()) {
            (ip != first_ip).then(|| format!("member Service {mname} requests load-balancer-ip {ip}, the first member {first_ip:?}"))
        } else {
            None
        };
        let problem = problem.or_else(|| {
            (i != 0 && annotation(m, INFRA_SETTING).unwrap_or("") != first_infra)
                .then(|| format!("member Service {mname} has another {INFRA_SETTING} annotation than the first member"))
        });
        let problem = problem.or_else(|| {
            (i != 0 && annotation(m, L4RULE).unwrap_or("") != first_rule).then(|| {
                format!(
                    "member Service {mname} has another {L4RULE} annotation than the first member"
                )
            })
        });
        if let Some(p) = problem {
            out.diag(
                Severity::Warning,
                Some(who),
                format!("{p}; AKO builds no shared virtual service"),
            );
            return;
        }
    }
    if s.service_type == ServiceType::NodePortLocal
        && members
            .iter()
            .any(|m| ports(m).iter().any(|p| protocol(p) == "SCTP"))
    {
        out.diag(
            Severity::Warning,
            Some(who),
            "SCTP protocol is not supported for service type NodePortLocal; no shared virtual service",
        );
        return;
    }
    let Some(net) = l4_net(ctx, first, &who, out) else {
        return;
    };
    let has_subdomain = subdomain(s).is_some();
    let mut fqdns = Vec::new();
    let mut listeners = Vec::new();
    let mut pools = Vec::new();
    let mut sources = BTreeSet::new();
    for m in members {
        let (_, mname) = ns_name(m);
        sources.insert(source("Service", ns, mname));
        if has_subdomain {
            if let Some(e) = annotation(m, EXTERNAL_DNS) {
                fqdns.push(e.to_string());
            } else if let Some(f) = auto_fqdn(s, ns, mname) {
                fqdns.push(f);
            }
        }
        let own_fqdn = if has_subdomain {
            auto_fqdn(s, ns, mname)
        } else {
            None
        };
        for p in ports(m) {
            let proto = protocol(p);
            let label = format!("{proto}-{}", p.port);
            listeners.push((label.clone(), p.port, proto.to_string()));
            pools.push((
                label,
                PoolPlan {
                    name: recorded_name_of(
                        out,
                        s,
                        &table::SHARED_VIP_POOL,
                        &[
                            ("namespace", ns),
                            ("service", mname),
                            ("shared-vip", key),
                            ("protocol", proto),
                            ("port", &p.port.to_string()),
                        ],
                    ),
                    svc_ns: ns,
                    svc_name: mname,
                    port: p.port,
                    proto: proto.to_string(),
                    port_name: p.name.clone().unwrap_or_default(),
                    target: target_port(p),
                    metadata: ServiceMetadata {
                        namespace_svc_name: Some(vec![format!("{ns}/{mname}")]),
                        hostnames: own_fqdn.clone().map(|f| vec![f]),
                        ..ServiceMetadata::default()
                    },
                    markers: Markers {
                        namespace: ns.into(),
                        service_name: mname.into(),
                        port: p.port.to_string(),
                        protocol: proto.into(),
                        gateway_name: key.into(),
                        ..Markers::default()
                    },
                },
            ));
        }
    }
    let mut rule_order: Vec<usize> = (0..pools.len()).collect();
    rule_order.sort_by(|a, b| pools[*a].0.cmp(&pools[*b].0));
    let pools: Vec<PoolPlan> = pools.into_iter().map(|(_, p)| p).collect();
    let markers = Markers {
        namespace: ns.into(),
        gateway_name: key.into(),
        ..Markers::default()
    };
    let plan = VsPlan {
        name: recorded_name_of(
            out,
            s,
            &table::SHARED_VIP_VS,
            &[("namespace", ns), ("shared-vip", key)],
        ),
        tenant: s.tenant_name.clone(),
        app_profile: DEFAULT_L4_APP_PROFILE.into(),
        listeners,
        requested_ip: (!first_ip.is_empty()).then_some(first_ip),
        traffic_enabled: None,
        metadata: ServiceMetadata {
            hostnames: (!fqdns.is_empty()).then(|| fqdns.clone()),
            ..ServiceMetadata::default()
        },
        fqdns,
        markers: markers.clone(),
        l4ps_markers: markers,
        pools,
        rule_order,
        sources,
        net,
    };
    emit_plan(ctx, plan, &who, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(license: &str) -> Settings {
        let mut s = Settings::default();
        s.cloud.default_license_tier = license.into();
        s
    }

    #[test]
    fn network_profiles_by_protocol_and_license() {
        assert_eq!(
            network_profile(&st(""), &["TCP"]),
            ("System-TCP-Fast-Path".into(), false)
        );
        assert_eq!(
            network_profile(&st("ENTERPRISE"), &["TCP"]),
            ("System-TCP-Proxy".into(), false)
        );
        assert_eq!(
            network_profile(&st(""), &["UDP", "UDP"]),
            ("System-UDP-Fast-Path".into(), false)
        );
        assert_eq!(
            network_profile(&st(""), &["SCTP"]),
            ("System-SCTP-Proxy".into(), false)
        );
        assert_eq!(
            network_profile(&st("ENTERPRISE_WITH_CLOUD_SERVICES"), &["UDP", "TCP"]),
            ("System-TCP-Proxy".into(), true)
        );
        assert_eq!(
            network_profile(&st(""), &["UDP", "SCTP"]),
            ("System-UDP-Fast-Path".into(), true)
        );
    }

    #[test]
    fn mixed_listener_overrides() {
        assert!(
            vs_service(53, "TCP", true)
                .get("override_network_profile_ref")
                .is_none()
        );
        assert_eq!(
            vs_service(53, "UDP", true)["override_network_profile_ref"],
            "/api/networkprofile/?name=System-UDP-Fast-Path"
        );
        assert_eq!(
            vs_service(9, "SCTP", true)["override_network_profile_ref"],
            "/api/networkprofile/?name=System-SCTP-Proxy"
        );
        assert!(
            vs_service(53, "UDP", false)
                .get("override_network_profile_ref")
                .is_none()
        );
    }

    #[test]
    fn l4_rule_keeps_literal_name() {
        let r = l4_rule(2, "c--ns-svc-UDP-53", 53, "UDP");
        assert_eq!(r["name"], "/api/pool?name=c--ns-svc-UDP-53");
        assert_eq!(
            r["action"]["select_pool"]["pool_ref"],
            "/api/pool/?name=c--ns-svc-UDP-53"
        );
        assert_eq!(r["index"], 2);
        assert_eq!(r["match"]["protocol"]["protocol"], "PROTOCOL_UDP");
        assert_eq!(r["match"]["port"]["ports"], json!([53]));
    }

    #[test]
    fn lb_class_rules() {
        let mut svc = Service::default();
        let mut s = Settings::default();
        assert!(lb_class_accepted(&s, &svc).is_ok());
        s.default_lb_controller = false;
        assert!(lb_class_accepted(&s, &svc).is_err());
        svc.spec = Some(k8s_openapi::api::core::v1::ServiceSpec {
            load_balancer_class: Some(AVI_LB_CLASS.into()),
            ..Default::default()
        });
        assert!(lb_class_accepted(&s, &svc).is_ok());
        if let Some(sp) = svc.spec.as_mut() {
            sp.load_balancer_class = Some("other".into());
        }
        s.default_lb_controller = true;
        assert!(lb_class_accepted(&s, &svc).is_err());
    }
}

#[cfg(test)]
mod compile_tests {
    use crate::compile::{Compiled, compile};
    use crate::input::{Source, decode};
    use crate::model::{AviType, Severity};
    use crate::settings::Settings;
    use serde_json::Value;

    fn run(settings: &Settings, yaml: &str) -> Compiled {
        let (snap, _) = decode(
            &[Source {
                name: "t.yaml".into(),
                text: yaml.into(),
            }],
            "default",
        )
        .unwrap_or_default();
        compile(&snap, settings)
    }

    fn find<'a>(c: &'a Compiled, kind: AviType, name: &str) -> Option<&'a Value> {
        c.objects
            .objects
            .iter()
            .find(|o| o.kind == kind && o.name == name)
            .map(|o| &o.body)
    }

    const SVC: &str = "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: red}
spec:
  type: LoadBalancer
  ports: [{name: http, port: 80, targetPort: 8080}]
";

    fn settings() -> Settings {
        Settings {
            cluster_name: "c".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn plain_names_and_default_protocol() {
        let c = run(&settings(), SVC);
        assert!(find(&c, AviType::Virtualservice, "c--red-web").is_some());
        assert!(find(&c, AviType::Pool, "c--red-web-TCP-80").is_some());
        let vs = find(&c, AviType::Virtualservice, "c--red-web")
            .cloned()
            .unwrap_or_default();
        assert_eq!(vs["created_by"], "ako-c");
        assert_eq!(vs["vrf_context_ref"], "/api/vrfcontext/?name=global");
        assert!(vs.get("enable_rhi").is_none());
    }

    #[test]
    fn evh_encodes_l4_names() {
        let s = Settings {
            cluster_name: "my-cluster".into(),
            enable_evh: true,
            ..Settings::default()
        };
        let yaml = SVC.replace(
            "name: web, namespace: red",
            "name: avisvc-lb, namespace: red",
        );
        let c = run(&s, &yaml);
        let vs = "my-cluster--dfad040f8ff538fb5f49e559dc21e387c9cae042";
        assert!(find(&c, AviType::Virtualservice, vs).is_some());
        assert!(find(&c, AviType::Vsvip, vs).is_some());
        assert!(find(&c, AviType::L4policyset, vs).is_some());
        let pool = c
            .objects
            .objects
            .iter()
            .find(|o| o.kind == AviType::Pool)
            .map(|o| o.name.clone());
        assert_eq!(
            pool,
            Some(crate::compile::common::encode(
                &s,
                "my-cluster--red-avisvc-lb-TCP-80"
            ))
        );
    }

    #[test]
    fn layer7_only_and_namespace_filter_skip_with_warning() {
        let s = Settings {
            layer7_only: true,
            ..settings()
        };
        let c = run(&s, SVC);
        assert!(c.objects.objects.is_empty());
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.severity == Severity::Warning && d.message.contains("layer7Only"))
        );
        let s = Settings {
            blocked_namespaces: vec!["red".into()],
            ..settings()
        };
        let c = run(&s, SVC);
        assert!(c.objects.objects.is_empty());
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.message.contains("blockedNamespaceList"))
        );
    }

    #[test]
    fn names_over_255_bytes_are_not_created() {
        let s = Settings {
            cluster_name: "x".repeat(250),
            ..Settings::default()
        };
        let c = run(&s, SVC);
        assert!(c.objects.objects.is_empty());
        assert!(c.diagnostics.iter().any(|d| d.message.contains("255")));
    }

    #[test]
    fn rhi_and_t1() {
        let s = Settings {
            enable_rhi: true,
            bgp_peer_labels: vec!["peer2".into(), "peer1".into()],
            nsxt_t1_lr: "/infra/tier-1s/t1".into(),
            ..settings()
        };
        let c = run(&s, SVC);
        let vs = find(&c, AviType::Virtualservice, "c--red-web")
            .cloned()
            .unwrap_or_default();
        assert_eq!(vs["enable_rhi"], true);
        assert!(vs.get("vrf_context_ref").is_none());
        let vip = find(&c, AviType::Vsvip, "c--red-web")
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            vip["bgp_peer_labels"],
            serde_json::json!(["peer1", "peer2"])
        );
        assert_eq!(vip["tier1_lr"], "/infra/tier-1s/t1");
        let pool = find(&c, AviType::Pool, "c--red-web-TCP-80")
            .cloned()
            .unwrap_or_default();
        assert_eq!(pool["tier1_lr"], "/infra/tier-1s/t1");
        assert!(pool.get("vrf_ref").is_none());
    }

    #[test]
    fn empty_shared_vip_annotation_is_plain_l4() {
        let yaml = SVC.replace(
            "name: web, namespace: red}",
            "name: web, namespace: red, annotations: {ako.vmware.com/enable-shared-vip: ''}}",
        );
        let c = run(&settings(), &yaml);
        assert!(find(&c, AviType::Virtualservice, "c--red-web").is_some());
    }

    #[test]
    fn shared_vip_with_conflicting_ips_is_dropped() {
        let yaml = "
apiVersion: v1
kind: Service
metadata: {name: a, namespace: red, annotations: {ako.vmware.com/enable-shared-vip: k}}
spec: {type: LoadBalancer, loadBalancerIP: 10.0.0.1, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: red, annotations: {ako.vmware.com/enable-shared-vip: k}}
spec: {type: LoadBalancer, loadBalancerIP: 10.0.0.2, ports: [{port: 81}]}
";
        let c = run(&settings(), yaml);
        assert!(c.objects.objects.is_empty());
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.message.contains("loadBalancerIP"))
        );
        let ok = yaml.replace("10.0.0.2", "10.0.0.1");
        let c = run(&settings(), &ok);
        let vip = find(&c, AviType::Vsvip, "c--red-k")
            .cloned()
            .unwrap_or_default();
        assert_eq!(vip["vip"][0]["ip_address"]["addr"], "10.0.0.1");
    }

    #[test]
    fn non_lb_services_get_an_info() {
        let yaml = SVC.replace("type: LoadBalancer", "type: NodePort");
        let c = run(&settings(), &yaml);
        assert!(c.objects.objects.is_empty());
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.severity == Severity::Info && d.message.contains("type NodePort"))
        );
    }
}
