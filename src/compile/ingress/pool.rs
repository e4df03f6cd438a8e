//! Ingress pools (translation-core.md §4.6, §4.7 step 3). AKO:
//! `internal/nodes/avi_model_l7_hostname_shard.go` `buildPoolNode`,
//! `internal/nodes/avi_model_l7_translator.go` `BuildPolicyPGPoolsForSNI`;
//! REST `internal/rest/avi_obj_pool.go` `AviPoolBuild`.

use crate::release::Feature;
use serde_json::{Map, Value, json};

use super::Built;
use super::parse::{ParsedIngress, PathEntry};
use crate::compile::common::{Markers, ServiceMetadata, Sources, api_ref, tenant_ref};
use crate::compile::servers::{self, Backend};
use crate::compile::{Context, Out, describe, source};
use crate::model::{Diagnostic, Severity};

/// Where a pool hangs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolKind {
    /// Shared parent VS (port 80); an `Allow` Route marks these pools.
    Insecure,
    /// SNI child or Dedicated VS; a reencrypt Route gets pool-side TLS here.
    Secure,
    /// Shared passthrough VS.
    Passthrough,
}

/// Build one pool body for a path entry of `ing` on `host`.
#[allow(clippy::too_many_arguments)]
pub fn build(
    ctx: &Context,
    out: &mut Out,
    name: &str,
    ing: &ParsedIngress,
    host: &str,
    entry: &PathEntry,
    markers: &Markers,
    kind: PoolKind,
) -> Built {
    let s = ctx.settings;
    let mut sources = Sources::from([ing.source()]);
    let svc = ctx.service(&ing.ns, &entry.service);
    let svc_type = svc
        .and_then(|x| x.spec.as_ref())
        .and_then(|x| x.type_.as_deref())
        .unwrap_or("ClusterIP");
    let outside_store = match svc_type {
        "ExternalName" => true,
        "LoadBalancer" => !s.layer7_only,
        _ => false,
    };
    match svc {
        Some(_) if outside_store => {
            sources.insert(source("Service", &ing.ns, &entry.service));
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    Some(describe(ing.kind, &ing.ns, &ing.name)),
                    format!(
                        "backend Service {}/{} is of type {svc_type}, which AKO does not use as an Ingress backend{}: pool {name} has no servers",
                        ing.ns,
                        entry.service,
                        if svc_type == "LoadBalancer" { " unless layer7Only is set" } else { "" }
                    ),
                )
                .at(ing.origin),
            );
        }
        Some(_) => {
            sources.insert(source("Service", &ing.ns, &entry.service));
        }
        None => out.push(
            Diagnostic::new(
                Severity::Warning,
                Some(describe(ing.kind, &ing.ns, &ing.name)),
                format!(
                    "backend Service {}/{} not found: pool {name} has no servers",
                    ing.ns, entry.service
                ),
            )
            .at(ing.origin),
        ),
    }
    let backend = Backend {
        namespace: &ing.ns,
        service: &entry.service,
        port: entry.port,
        port_name: entry.port_name.clone(),
        target_port: entry.target_port.clone(),
        for_l7: true,
    };
    let servers = servers::servers(ctx, &backend, out);
    let metadata = ServiceMetadata {
        ingress_name: ing.name.clone(),
        namespace: ing.ns.clone(),
        hostnames: Some(vec![host.to_string()]),
        pool_ratio: entry.ratio,
        insecureedgetermallow: kind == PoolKind::Insecure
            && ing.route.as_ref().is_some_and(|r| r.allow),
        ..ServiceMetadata::default()
    };
    let reencrypt = ing
        .route
        .as_ref()
        .filter(|r| kind == PoolKind::Secure && r.reencrypt);
    let mut b = Map::new();
    b.insert("name".into(), json!(name));
    b.insert("tenant_ref".into(), json!(tenant_ref(&ing.tenant)));
    b.insert("cloud_ref".into(), json!(api_ref("cloud", &s.cloud_name)));
    b.insert("created_by".into(), json!(s.created_by()));
    b.insert(
        "service_metadata".into(),
        json!(metadata.render_for(s.release)),
    );
    b.insert("sni_enabled".into(), json!(reencrypt.is_some()));
    let mut pki = None;
    if let Some(r) = reencrypt {
        // AKO: `internal/nodes/avi_model_l7_translator.go` `BuildPoolSecurity`.
        b.insert(
            "ssl_profile_ref".into(),
            json!(api_ref("sslprofile", "System-Standard")),
        );
        if !r.destination_ca.is_empty() {
            // `internal/lib/lib.go` `GetPoolPKIProfileName`: hashed again in EVH.
            let pki_name = crate::compile::common::name_of(
                s,
                &crate::names::table::POOL_PKI_PROFILE,
                &[("pool", name)],
            );
            b.insert(
                "pki_profile_ref".into(),
                json!(api_ref("pkiprofile", &pki_name)),
            );
            // AKO: `internal/rest/ssl_key_certificate.go` `AviPkiProfileBuild`.
            pki = Some(Box::new((
                pki_name.clone(),
                json!({
                    "name": pki_name,
                    "tenant_ref": tenant_ref(&ing.tenant),
                    "created_by": s.created_by(),
                    "crl_check": false,
                    "ca_certs": [{"certificate": r.destination_ca}],
                    "markers": markers.to_json(s),
                }),
            )));
        }
    }
    if s.release.has(Feature::PoolGracefulDisableTimeout) {
        b.insert("graceful_disable_timeout".into(), json!(1));
    }
    crate::compile::vip::pool_vrf_fields_net(s, &ing.infra.net, &mut b);
    b.insert(
        "health_monitor_refs".into(),
        json!([api_ref("healthmonitor", "System-TCP")]),
    );
    if let Some(v) = servers::servers_json(&servers) {
        b.insert("servers".into(), v);
    }
    if let Some(v) = crate::compile::vip::pool_placement_networks_net(s, &ing.infra.net) {
        b.insert("placement_networks".into(), v);
    }
    b.insert("markers".into(), markers.to_json(s));
    Built {
        body: out.hold(Value::Object(b)),
        sources,
        pki,
    }
}

/// Markers of the pool (with the service) or pool group (without) of one
/// path of a virtual-hosted host, SNI and EVH alike
/// (`BuildPolicyPGPoolsForSNI`, `BuildPolicyPGPoolsForEVH`).
pub fn path_markers(ing: &ParsedIngress, host: &str, entry: &PathEntry, pool: bool) -> Markers {
    Markers {
        namespace: ing.ns.clone(),
        host: vec![host.to_string()],
        infrasetting_name: ing.infra.name.clone(),
        service_name: if pool {
            entry.service.clone()
        } else {
            String::new()
        },
        path: vec![entry.path.clone()],
        ingress_name: vec![ing.name.clone()],
        ..Markers::default()
    }
}
