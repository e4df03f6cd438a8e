//! Pool servers of releases that read core/v1 Endpoints instead of
//! EndpointSlices ([`Feature::EndpointSlices`] absent: AKO 1.12; AKO 1.13
//! with `featureGates.EnableEndpointSlice: false`).
//!
//! AKO 1.12: `internal/nodes/avi_model_l4_translator.go` `PopulateServers`
//! (branch `release-1.12.3`) reads the Service's Endpoints object: a subset is
//! used when one of its ports has the pool's port name or numeric target
//! port, or when it is the only subset and has one port; only `addresses`
//! (ready endpoints) become servers, written without `enabled`; the pool port
//! is the last matched subset's port. No protocol is compared.
//!
//! When the input holds no Endpoints object for the Service, it is derived
//! from its EndpointSlices as Kubernetes' endpoints controller would write it
//! (`pkg/controller/endpoint` `RepackSubsets`): endpoints of the Service's
//! primary IP family, one subset per distinct port set, an endpoint whose
//! `conditions.ready` is false under `notReadyAddresses`, empty slices
//! contributing nothing.
//!
//! [`Feature::EndpointSlices`]: crate::release::Feature::EndpointSlices

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::servers::{Backend, Server};
use super::vip::is_v6;
use super::{Context, Out, describe};
use crate::model::{Obj, Severity};
use crate::release::Feature;

/// One Endpoints subset: ports (name, port) and ready addresses
/// (ip, node name).
#[derive(Debug, Default, PartialEq)]
struct Subset {
    ports: Vec<(Option<String>, i32)>,
    addresses: Vec<(String, Option<String>)>,
}

/// The subsets of the Service's Endpoints object, or of the one derived
/// from its EndpointSlices (with an info diagnostic saying so).
fn subsets(ctx: &Context, svc: &Obj<Service>, b: &Backend<'_>, out: &mut Out) -> Vec<Subset> {
    if let Some(eps) = ctx
        .endpoints
        .get(&(b.namespace.to_string(), b.service.to_string()))
    {
        return eps
            .subsets
            .iter()
            .flatten()
            .map(|s| Subset {
                ports: s
                    .ports
                    .iter()
                    .flatten()
                    .map(|p| (p.name.clone(), p.port))
                    .collect(),
                addresses: s
                    .addresses
                    .iter()
                    .flatten()
                    .map(|a| (a.ip.clone(), a.node_name.clone()))
                    .collect(),
            })
            .collect();
    }
    let slices = ctx.slices_of(b.namespace, b.service);
    if slices.is_empty() {
        return Vec::new();
    }
    out.diag(
        Severity::Info,
        Some(describe("Service", b.namespace, b.service)),
        format!(
            "AKO {} reads core/v1 Endpoints{}; there is none for this Service, so they are derived from its EndpointSlices as the endpoints controller writes them",
            ctx.settings.release,
            if ctx.settings.release.has(Feature::EndpointSlices) {
                " (featureGates.EnableEndpointSlice is false)"
            } else {
                ""
            }
        ),
    );
    let primary = primary_family(svc);
    // Port set (sorted) -> (subset, whether it has any address, ready or not).
    type PortKey = Vec<(Option<String>, i32, String)>;
    let mut groups: BTreeMap<PortKey, (Subset, bool)> = BTreeMap::new();
    for sl in slices {
        if sl.address_type != primary {
            continue;
        }
        let mut key: PortKey = sl
            .ports
            .iter()
            .flatten()
            .map(|p| {
                (
                    p.name.clone(),
                    p.port.unwrap_or(0),
                    p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                )
            })
            .collect();
        key.sort();
        key.dedup();
        let entry = groups.entry(key.clone()).or_insert_with(|| {
            (
                Subset {
                    ports: key.iter().map(|(n, p, _)| (n.clone(), *p)).collect(),
                    addresses: Vec::new(),
                },
                false,
            )
        });
        for ep in &sl.endpoints {
            let Some(ip) = ep.addresses.first() else {
                continue;
            };
            entry.1 = true;
            let ready = ep.conditions.as_ref().and_then(|c| c.ready) != Some(false);
            if ready {
                entry.0.addresses.push((ip.clone(), ep.node_name.clone()));
            }
        }
    }
    groups
        .into_values()
        .filter(|(_, any)| *any)
        .map(|(s, _)| s)
        .collect()
}

/// `spec.ipFamilies[0]` as an EndpointSlice `addressType` (IPv4 unless the
/// Service says IPv6 or has an IPv6 cluster IP).
fn primary_family(svc: &Service) -> &'static str {
    let spec = svc.spec.as_ref();
    let first = spec
        .and_then(|s| s.ip_families.as_ref())
        .and_then(|f| f.first().cloned());
    match first.as_deref() {
        Some("IPv6") => "IPv6",
        Some(_) => "IPv4",
        None => {
            let ip = spec.and_then(|s| s.cluster_ip.clone()).unwrap_or_default();
            if is_v6(&ip) { "IPv6" } else { "IPv4" }
        }
    }
}

/// ClusterIP-mode servers of a release without EndpointSlices.
/// AKO 1.12: `internal/nodes/avi_model_l4_translator.go` `PopulateServers`.
pub(super) fn servers(
    ctx: &Context,
    svc: &Obj<Service>,
    b: &Backend<'_>,
    families: (bool, bool),
    out: &mut Out,
) -> Vec<Server> {
    let enabled = super::servers::enabled_families(ctx.settings);
    let subsets = subsets(ctx, svc, b, out);
    let tp = match &b.target_port {
        Some(IntOrString::Int(i)) => *i,
        _ => 0,
    };
    let mut pool_port = b.port;
    let mut list = Vec::new();
    let mut matched_any = false;
    for ss in &subsets {
        let mut matched = ss
            .ports
            .iter()
            .find(|(n, p)| n.as_deref().unwrap_or("") == b.port_name || *p == tp)
            .map(|(_, p)| *p);
        if ss.ports.len() == 1 && subsets.len() == 1 {
            matched = Some(ss.ports[0].1);
        }
        let Some(port) = matched else { continue };
        matched_any = true;
        pool_port = port;
        for (ip, node) in &ss.addresses {
            let Some(v6) = super::servers::server_family(ip, enabled, families) else {
                continue;
            };
            list.push(Server {
                addr: ip.clone(),
                v6,
                port: 0,
                enabled: None,
                node: node.clone(),
            });
        }
    }
    for s in &mut list {
        s.port = pool_port;
    }
    let who = describe("Service", b.namespace, b.service);
    if subsets.is_empty() {
        out.diag(
            Severity::Info,
            Some(who),
            "no Endpoints with addresses for this Service: its pool has no servers",
        );
    } else if !matched_any {
        out.diag(
            Severity::Warning,
            Some(who),
            format!(
                "no Endpoints port matches port {} (name {:?}): the pool has no servers",
                b.port, b.port_name
            ),
        );
    }
    list
}
