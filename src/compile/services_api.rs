//! Services API L4 gateways (translation-extended.md §5.7): with
//! `AKOSettings.servicesAPI` main AKO turns every `networking.x-k8s.io/v1alpha1`
//! Gateway of its GatewayClass into one L4 virtual service (with vsvip and
//! l4policyset), one listener port per Gateway listener and one pool per
//! listener whose `protocol/port` is served by exactly one labelled Service.
//!
//! AKO: `internal/nodes/avi_model_advl4_translator.go` `BuildAdvancedL4Graph`,
//! `ConstructSvcApiL4VsNode`, `ConstructAdvL4PolPoolNodes`;
//! `internal/nodes/ingress_model_rel.go` `SvcToGateway`,
//! `ParseL4ServiceForGateway`, `parseSvcApiGatewayForListeners`,
//! `validateSvcApiGatewayForClass`; `internal/nodes/dequeue_ingestion.go`
//! `isGatewayDelete`; names from `internal/lib/lib.go` `GetL4VSName`,
//! `GetSvcApiL4PoolName`, markers from `PopulateAdvL4VSNodeMarkers`,
//! `PopulateSvcApiL4PoolNodeMarkers`. The bodies are those of ordinary L4
//! virtual services (`l4.rs`).
//!
//! The vSphere with Tanzu flavour (`ADVANCED_L4`, GatewayClass controller
//! `lbapi.run.tanzu.vmware.com/avi-lb`) is not modelled: such classes get a
//! diagnostic and no objects.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::Service;

use super::common::{Markers, ServiceMetadata, recorded_name_of};
use super::crd::infra::InfraChoice;
use super::fqdn::{auto_fqdn, subdomain};
use super::l4::{
    DEFAULT_L4_APP_PROFILE, PoolPlan, VsPlan, emit_plan, ns_name, ports, protocol, target_port,
};
use super::servers::service_type;
use super::vip::Net;
use super::{Context, Out, describe, source};
use crate::kube::services_api::{
    CONTROLLER, GATEWAY_NAME_LABEL, GATEWAY_NAMESPACE_LABEL, SvcApiGateway, SvcApiGatewayClass,
};
use crate::model::{Diagnostic, Obj, Severity};
use crate::names::table;
use crate::settings::ServiceType;

/// GatewayClass controller of the vSphere with Tanzu (advl4) flavour.
/// AKO: `internal/lib/constants.go` `AviGatewayController`.
const ADVL4_CONTROLLER: &str = "lbapi.run.tanzu.vmware.com/avi-lb";
/// `ako.vmware.com` / `AviInfraSetting`, the only `parametersRef` AKO follows.
const INFRA_KIND: &str = "AviInfraSetting";

/// Build the L4 objects of every services-API Gateway.
pub fn build(ctx: &Context, out: &mut Out) {
    let snap = ctx.snapshot;
    if !ctx.settings.services_api {
        for gw in &snap.svcapi_gateways {
            out.push(
                Diagnostic::new(
                    Severity::Info,
                    Some(gw_who(gw)),
                    "AKOSettings.servicesAPI is false: AKO does not read networking.x-k8s.io/v1alpha1 Gateways; ignored",
                )
                .at(&gw.origin),
            );
        }
        return;
    }
    let services = gateway_services(ctx, out);
    let mut gateways: Vec<&Obj<SvcApiGateway>> = snap.svcapi_gateways.iter().collect();
    gateways.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    for gw in gateways {
        build_gateway(ctx, gw, &services, out);
    }
}

fn gw_ns_name(gw: &SvcApiGateway) -> (&str, &str) {
    (
        gw.metadata.namespace.as_deref().unwrap_or(""),
        gw.metadata.name.as_deref().unwrap_or(""),
    )
}

fn gw_who(gw: &Obj<SvcApiGateway>) -> String {
    let (ns, name) = gw_ns_name(gw);
    describe("Gateway", ns, name)
}

fn warn(out: &mut Out, gw: &Obj<SvcApiGateway>, msg: impl Into<String>) {
    out.push(Diagnostic::new(Severity::Warning, Some(gw_who(gw)), msg).at(&gw.origin));
}

/// Gateway `ns/name` → listener key `PROTOCOL/port` → labelled Services
/// (sorted). A Service joins the Gateway named by its two labels with every
/// port that has a number and a protocol; LoadBalancer Services are not
/// attached (AKO builds them as ordinary L4 virtual services and ignores the
/// labels). AKO: `internal/nodes/ingress_model_rel.go` `SvcToGateway`,
/// `ParseL4ServiceForGateway`.
type GatewayServices<'a> = BTreeMap<String, BTreeMap<String, Vec<&'a Obj<Service>>>>;

fn gateway_services<'a>(ctx: &Context<'a>, out: &mut Out) -> GatewayServices<'a> {
    let mut map: GatewayServices<'a> = BTreeMap::new();
    let mut services: Vec<&Obj<Service>> = ctx.snapshot.services.iter().collect();
    services.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    for svc in services {
        let labels = svc.metadata.labels.as_ref();
        let name = labels.and_then(|l| l.get(GATEWAY_NAME_LABEL));
        let namespace = labels.and_then(|l| l.get(GATEWAY_NAMESPACE_LABEL));
        let (Some(gw_name), Some(gw_ns)) = (name, namespace) else {
            continue;
        };
        let (ns, sname) = ns_name(svc);
        if service_type(svc) == "LoadBalancer" {
            out.push(
                Diagnostic::new(
                    Severity::Info,
                    Some(describe("Service", ns, sname)),
                    format!("LoadBalancer Service labelled for Gateway {gw_ns}/{gw_name}: AKO builds its own L4 virtual service and does not attach it to the Gateway"),
                )
                .at(&svc.origin),
            );
            continue;
        }
        if ctx.namespace_accepted(ns).is_err() {
            continue;
        }
        let entry = map.entry(format!("{gw_ns}/{gw_name}")).or_default();
        for p in ports(svc) {
            if p.port == 0 {
                continue;
            }
            let list = entry
                .entry(format!("{}/{}", protocol(p), p.port))
                .or_default();
            if !list.iter().any(|s| std::ptr::eq(*s, svc)) {
                list.push(svc);
            }
        }
    }
    map
}

/// The listener selector check: every listener's `routes.selector.matchLabels`
/// must name this Gateway by both labels. AKO: `internal/nodes/ingress_model_rel.go`
/// `validateSvcApiGatewayForClass`, `parseSvcApiGatewayForListeners`.
fn listeners_valid(gw: &SvcApiGateway) -> Result<(), String> {
    let (ns, name) = gw_ns_name(gw);
    for (i, l) in gw.spec.listeners.iter().enumerate() {
        let labels = l.routes.match_labels();
        let ok = labels.get(GATEWAY_NAME_LABEL).map(String::as_str) == Some(name)
            && labels.get(GATEWAY_NAMESPACE_LABEL).map(String::as_str) == Some(ns);
        if !ok {
            return Err(format!(
                "listener #{i} ({}/{}): routes.selector.matchLabels must hold {GATEWAY_NAME_LABEL}: {name} and {GATEWAY_NAMESPACE_LABEL}: {ns} (AKO: Incorrect gateway matchLabels configuration); AKO builds no virtual service for this Gateway",
                l.protocol, l.port
            ));
        }
    }
    Ok(())
}

fn find_class<'a>(ctx: &Context<'a>, name: &str) -> Option<&'a Obj<SvcApiGatewayClass>> {
    ctx.snapshot
        .svcapi_gateway_classes
        .iter()
        .find(|c| c.metadata.name.as_deref() == Some(name))
}

/// The network side: the AviInfraSetting of the GatewayClass `parametersRef`
/// when it exists and is Accepted, else the global settings (AKO logs and goes
/// on). AKO: `internal/nodes/avi_model_l4_translator.go` `getL4InfraSetting`,
/// `buildWithInfraSetting`.
fn gateway_net(
    ctx: &Context,
    gw: &Obj<SvcApiGateway>,
    class: &SvcApiGatewayClass,
    out: &mut Out,
) -> Net {
    let (ns, _) = gw_ns_name(gw);
    let infra = match &class.spec.parameters_ref {
        Some(r) if r.group == crate::kube::crd::GROUP && r.kind == INFRA_KIND => {
            match ctx.crds.infra_for_gateway_class(ctx, &r.name, ns) {
                InfraChoice::Block(why) => {
                    warn(
                        out,
                        gw,
                        format!("{why}; AKO uses the global settings for this Gateway"),
                    );
                    InfraChoice::None
                }
                c => c,
            }
        }
        _ => InfraChoice::None,
    };
    Net::with_infra(ctx.settings, infra.infra())
}

fn build_gateway(
    ctx: &Context,
    gw: &Obj<SvcApiGateway>,
    services: &GatewayServices,
    out: &mut Out,
) {
    let s = ctx.settings;
    let (ns, name) = gw_ns_name(gw);
    // `isGatewayDelete`: namespace, class, listener selectors, controller.
    if let Err(why) = ctx.namespace_accepted(ns) {
        warn(out, gw, format!("{why}; no L4 virtual service"));
        return;
    }
    let class_name = gw.spec.gateway_class_name.as_str();
    let Some(class) = find_class(ctx, class_name) else {
        warn(
            out,
            gw,
            format!(
                "GatewayClass {class_name} (networking.x-k8s.io/v1alpha1) not found; AKO builds no virtual service for this Gateway"
            ),
        );
        return;
    };
    if let Err(why) = listeners_valid(gw) {
        warn(out, gw, why);
        return;
    }
    match class.spec.controller.as_str() {
        CONTROLLER => {}
        ADVL4_CONTROLLER => {
            warn(
                out,
                gw,
                format!(
                    "GatewayClass {class_name} has controller {ADVL4_CONTROLLER} (advanced L4, vSphere with Tanzu only): not supported by akoctl; no objects"
                ),
            );
            return;
        }
        other => {
            out.push(
                Diagnostic::new(
                    Severity::Info,
                    Some(gw_who(gw)),
                    format!("GatewayClass {class_name} has controller {other:?}, not {CONTROLLER}: not AKO's; ignored"),
                )
                .at(&gw.origin),
            );
            return;
        }
    }
    // `GetGWListeners`: one key per listener, in listener order.
    let keys: Vec<String> = gw
        .spec
        .listeners
        .iter()
        .map(|l| format!("{}/{}", l.protocol, l.port))
        .collect();
    if keys.is_empty() {
        warn(out, gw, "no listeners; AKO builds no virtual service");
        return;
    }
    if s.service_type == ServiceType::NodePortLocal
        && gw.spec.listeners.iter().any(|l| l.protocol == "SCTP")
    {
        warn(
            out,
            gw,
            "SCTP protocol is not supported for service type NodePortLocal; no L4 virtual service",
        );
        return;
    }
    let empty = BTreeMap::new();
    let by_key = services.get(&format!("{ns}/{name}")).unwrap_or(&empty);
    // A listener gets a pool only when exactly one Service serves it
    // (`ConstructAdvL4PolPoolNodes`: `len(svc) != 1` is skipped).
    let mut served: BTreeMap<&str, &Obj<Service>> = BTreeMap::new();
    for key in &keys {
        match by_key.get(key).map(Vec::as_slice) {
            Some([one]) => {
                served.insert(key.as_str(), one);
            }
            Some(many) if many.len() > 1 => {
                let names: Vec<String> = many
                    .iter()
                    .map(|m| {
                        let (a, b) = ns_name(m);
                        format!("{a}/{b}")
                    })
                    .collect();
                warn(
                    out,
                    gw,
                    format!(
                        "listener {key} is served by {} Services ({}); AKO builds no pool for it",
                        many.len(),
                        names.join(", ")
                    ),
                );
            }
            _ => {}
        }
    }
    // VS FQDNs (`ConstructSvcApiL4VsNode`): a listener's hostname, else the
    // auto FQDN of its Service when the cloud has a DNS sub-domain; a Service
    // counts for the first listener that names it (AKO records it once).
    let has_subdomain = subdomain(s).is_some();
    let mut fqdns = Vec::new();
    let mut counted: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut first_listener: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for key in &keys {
        if let Some(svc) = served.get(key.as_str()) {
            first_listener.entry(ns_name(svc)).or_insert(key.as_str());
        }
    }
    for (l, key) in gw.spec.listeners.iter().zip(&keys) {
        if let Some(h) = l.hostname.as_deref().filter(|h| !h.is_empty()) {
            fqdns.push(h.to_string());
            continue;
        }
        if !has_subdomain {
            continue;
        }
        if let Some(svc) = served.get(key.as_str()) {
            let id = ns_name(svc);
            if first_listener.get(&id) == Some(&key.as_str())
                && counted.insert(id)
                && let Some(f) = auto_fqdn(s, id.0, id.1)
            {
                fqdns.push(f);
            }
        }
    }
    let net = gateway_net(ctx, gw, class, out);
    let tenant = ctx.tenant_of(ns);
    let vs_name = recorded_name_of(
        out,
        s,
        &table::SVCAPI_VS,
        &[("namespace", ns), ("gateway", name)],
    );
    let hostnames: BTreeMap<String, String> = gw
        .spec
        .listeners
        .iter()
        .zip(&keys)
        .filter_map(|(l, k)| {
            l.hostname
                .as_deref()
                .filter(|h| !h.is_empty())
                .map(|h| (k.clone(), h.to_string()))
        })
        .collect();
    let mut sources = BTreeSet::from([
        source("Gateway", ns, name),
        source("GatewayClass", "", class_name),
    ]);
    // Pools, in listener-key order (AKO walks a Go map here).
    let mut pools = Vec::new();
    for (key, svc) in &served {
        let Some((proto, port)) = key.split_once('/') else {
            continue;
        };
        let Ok(port) = port.parse::<i32>() else {
            continue;
        };
        let (sns, sname) = ns_name(svc);
        sources.insert(source("Service", sns, sname));
        let svc_port = ports(svc).iter().rfind(|p| p.port == port);
        let fqdn = hostnames
            .get(*key)
            .cloned()
            .or_else(|| auto_fqdn(s, sns, sname));
        pools.push(PoolPlan {
            name: recorded_name_of(
                out,
                s,
                &table::SVCAPI_POOL,
                &[
                    ("namespace", ns),
                    ("service", sname),
                    ("gateway", name),
                    ("protocol", proto),
                    ("port", &port.to_string()),
                ],
            ),
            svc_ns: sns,
            svc_name: sname,
            port,
            proto: proto.to_string(),
            port_name: svc_port.and_then(|p| p.name.clone()).unwrap_or_default(),
            target: svc_port
                .map(target_port)
                .unwrap_or(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(port)),
            metadata: ServiceMetadata {
                namespace_svc_name: Some(vec![format!("{sns}/{sname}")]),
                hostnames: fqdn.map(|f| vec![f]),
                ..ServiceMetadata::default()
            },
            markers: Markers {
                namespace: ns.into(),
                gateway_name: name.into(),
                service_name: sname.into(),
                protocol: proto.into(),
                port: port.to_string(),
                ..Markers::default()
            },
        });
    }
    let listeners = gw
        .spec
        .listeners
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let proto = if l.protocol.is_empty() {
                "TCP".to_string()
            } else {
                l.protocol.clone()
            };
            (format!("{i:06}"), l.port, proto)
        })
        .collect();
    let requested_ip = gw
        .spec
        .addresses
        .first()
        .filter(|a| a.effective_type() == "IPAddress" && !a.value.is_empty())
        .map(|a| a.value.clone());
    let markers = Markers {
        namespace: ns.into(),
        gateway_name: name.into(),
        ..Markers::default()
    };
    let rule_order = (0..pools.len()).collect();
    let plan = VsPlan {
        name: vs_name,
        tenant,
        app_profile: DEFAULT_L4_APP_PROFILE.into(),
        listeners,
        requested_ip,
        traffic_enabled: None,
        metadata: ServiceMetadata {
            gateway: format!("{ns}/{name}"),
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
    emit_plan(ctx, plan, &gw_who(gw), out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::services_api::{Listener, RouteBindingSelector};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

    fn gw(labels: &[(&str, &str)]) -> SvcApiGateway {
        let mut g = SvcApiGateway::default();
        g.metadata.namespace = Some("default".into());
        g.metadata.name = Some("my-gw".into());
        g.spec.listeners.push(Listener {
            port: 8081,
            protocol: "TCP".into(),
            routes: RouteBindingSelector {
                selector: Some(LabelSelector {
                    match_labels: Some(
                        labels
                            .iter()
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect(),
                    ),
                    ..LabelSelector::default()
                }),
                ..RouteBindingSelector::default()
            },
            ..Listener::default()
        });
        g
    }

    #[test]
    fn listener_selector_must_name_the_gateway() {
        let ok = gw(&[
            (GATEWAY_NAME_LABEL, "my-gw"),
            (GATEWAY_NAMESPACE_LABEL, "default"),
        ]);
        assert!(listeners_valid(&ok).is_ok());
        let wrong_ns = gw(&[
            (GATEWAY_NAME_LABEL, "my-gw"),
            (GATEWAY_NAMESPACE_LABEL, "other"),
        ]);
        assert!(listeners_valid(&wrong_ns).is_err());
        let missing = gw(&[(GATEWAY_NAME_LABEL, "my-gw")]);
        assert!(listeners_valid(&missing).is_err());
    }
}
