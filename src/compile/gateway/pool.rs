//! Pools and pool groups of HTTPRoute rules (translation-extended.md §5.4
//! "PoolGroup/pools"). AKO: `ako-gateway-api/nodes/avi_model_l7_translator.go`
//! `BuildPGPool`; `ako-gateway-api/lib/lib.go` `FindPortName`,
//! `FindTargetPort`; servers from `internal/nodes` `PopulateServers`,
//! `PopulateServersForNodePort`, `PopulateServersForNPL`; REST
//! `internal/rest/avi_obj_pool.go` `AviPoolBuild`, `avi_pool_group.go`
//! `AviPoolGroupBuild`, `SanitizePGMembers`.

use std::collections::BTreeSet;

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{Map, Value, json};

use super::route::{Backend, Rule};
use super::{Attached, Gw, GwModel, extension, names, parent, persistence};
use crate::compile::common::{Markers, ServiceMetadata, api_ref, tenant_ref};
use crate::compile::crd::FieldProvenance;
use crate::compile::servers::{self, service_type};
use crate::compile::vip;
use crate::compile::{Out, describe, source};
use crate::model::{AviType, Diagnostic, Severity};

/// Markers of a rule's pool group (and, with the backend, of its pools).
pub fn rule_markers(m: &GwModel, a: &Attached, rule: &Rule, backend: Option<&Backend>) -> Markers {
    Markers {
        gateway_name: m.name.to_string(),
        gateway_namespace: m.ns.to_string(),
        httproute_name: a.name().to_string(),
        httproute_namespace: a.ns().to_string(),
        httproute_rule_name: rule.name.clone(),
        backend_name: backend.map(|b| b.name.clone()).unwrap_or_default(),
        backend_ns: backend.map(|b| b.ns.clone()).unwrap_or_default(),
        ..Markers::default()
    }
}

/// Emit the pool of one backend; `false` when its Service does not exist
/// (AKO then leaves it out of the pool group). `persistence` names the
/// rule's ApplicationPersistenceProfile (`AviPoolBuild`:
/// `/api/applicationpersistenceprofile?name=`); the backend's ExtensionRefs
/// add their fields ([`extension::pool_fields`]).
#[allow(clippy::too_many_arguments)]
pub fn emit_pool(
    gw: &Gw,
    out: &mut Out,
    m: &GwModel,
    a: &Attached,
    name: &str,
    b: &Backend,
    markers: &Markers,
    persistence: Option<&str>,
) -> bool {
    let ctx = gw.ctx;
    let s = &gw.s;
    let Some(svc) = ctx.service(&b.ns, &b.name) else {
        out.push(
            Diagnostic::new(
                Severity::Warning,
                Some(describe("HTTPRoute", a.ns(), a.name())),
                format!(
                    "backend Service {}/{} not found: AKO builds no pool for it (pool {name})",
                    b.ns, b.name
                ),
            )
            .at(&a.route.origin),
        );
        return false;
    };
    // `FindPortName`, `FindTargetPort` (no target port for NodePort Services).
    let port = svc
        .spec
        .as_ref()
        .and_then(|sp| sp.ports.as_ref())
        .and_then(|ps| ps.iter().find(|p| p.port == b.port));
    let port_name = port.and_then(|p| p.name.clone()).unwrap_or_default();
    let target_port: Option<IntOrString> = if service_type(svc) == "NodePort" {
        None
    } else {
        port.and_then(|p| p.target_port.clone())
    };
    let backend = servers::Backend {
        namespace: &b.ns,
        service: &b.name,
        port: b.port,
        port_name,
        target_port,
        for_l7: false,
    };
    let list = servers::servers(ctx, &backend, out);
    let mut net = vip::Net::global(s);
    net.t1lr = parent::net(gw, m).t1lr;
    let metadata = ServiceMetadata {
        namespace_svc_name: Some(vec![format!("{}/{}", b.ns, b.name)]),
        ..ServiceMetadata::default()
    };
    let mut body = Map::new();
    body.insert("name".into(), json!(name));
    body.insert("tenant_ref".into(), json!(tenant_ref(&m.tenant)));
    body.insert("cloud_ref".into(), json!(api_ref("cloud", &s.cloud_name)));
    body.insert("created_by".into(), json!(gw.created_by));
    body.insert("service_metadata".into(), json!(metadata.render()));
    body.insert("sni_enabled".into(), json!(false));
    body.insert("graceful_disable_timeout".into(), json!(1));
    vip::pool_vrf_fields_net(s, &net, &mut body);
    vip::istio_pool_fields(s, &mut body);
    body.insert(
        "health_monitor_refs".into(),
        json!([api_ref("healthmonitor", "System-TCP")]),
    );
    if let Some(p) = persistence {
        body.insert(
            "application_persistence_profile_ref".into(),
            json!(api_ref("applicationpersistenceprofile", p)),
        );
    }
    let ext = extension::pool_fields(gw, a.ns(), &b.exts, persistence.is_some());
    for (k, v) in ext.fields {
        body.insert(k, v);
    }
    for (field, by) in ext.set_by {
        out.record(FieldProvenance {
            kind: AviType::Pool,
            tenant: m.tenant.clone(),
            name: name.to_string(),
            field,
            source: by,
        });
    }
    for p in ext.problems {
        out.push(
            Diagnostic::new(
                Severity::Warning,
                Some(describe("HTTPRoute", a.ns(), a.name())),
                format!("pool {name}: {p}"),
            )
            .at(&a.route.origin),
        );
    }
    if let Some(v) = servers::servers_json(&list) {
        body.insert("servers".into(), v);
    }
    if let Some(v) = vip::pool_placement_networks_net(s, &net) {
        body.insert("placement_networks".into(), v);
    }
    body.insert("markers".into(), markers.to_json(s));
    let mut sources: BTreeSet<String> = BTreeSet::from([
        source("HTTPRoute", a.ns(), a.name()),
        m.source(),
        source("Service", &b.ns, &b.name),
    ]);
    sources.extend(servers::server_sources(ctx, &backend));
    sources.extend(ext.sources);
    out.emit(AviType::Pool, &m.tenant, name, sources, Value::Object(body));
    true
}

/// Emit a pool group with its members (pool, ratio), duplicates dropped
/// (first kept); nothing when there are no members.
pub fn emit_pg(
    gw: &Gw,
    out: &mut Out,
    m: &GwModel,
    a: &Attached,
    name: &str,
    members: &[(String, i32)],
    markers: &Markers,
) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    let mut list = Vec::new();
    for (p, ratio) in members {
        if seen.contains(&p.as_str()) {
            continue;
        }
        seen.push(p);
        list.push(json!({"pool_ref": api_ref("pool", p), "ratio": ratio}));
    }
    if list.is_empty() {
        return false;
    }
    let s = &gw.s;
    let body = json!({
        "name": name,
        "tenant_ref": tenant_ref(&m.tenant),
        "cloud_ref": api_ref("cloud", &s.cloud_name),
        "created_by": gw.created_by,
        "implicit_priority_labels": false,
        "members": list,
        "markers": markers.to_json(s),
    });
    out.emit(
        AviType::Poolgroup,
        &m.tenant,
        name,
        [source("HTTPRoute", a.ns(), a.name()), m.source()],
        body,
    );
    true
}

/// Pools and pool group of one rule (`BuildPGPool`); returns the pool group
/// name when it has members. Needs at least one listener the route
/// attached to.
pub fn build(
    gw: &Gw,
    out: &mut Out,
    m: &GwModel,
    a: &Attached,
    rule: &Rule,
    base: &names::Base,
    pg_name: &str,
) -> Option<String> {
    if a.listeners.is_empty() {
        return None;
    }
    let c = &gw.s.cluster_name;
    let pg_markers = rule_markers(m, a, rule, None);
    let profile = rule
        .persistence
        .as_ref()
        .map(|_| persistence::name(c, base, &rule.match_name));
    if let Some(p) = &profile {
        out.record_hash(p, names::persistence_hashed(c, base, rule));
    }
    let mut members = Vec::new();
    for b in &rule.backends {
        let name = names::pool(c, base, &rule.match_name, &b.ns, &b.name, b.port);
        out.record_hash(&name, names::pool_hashed(c, base, rule, b));
        let markers = rule_markers(m, a, rule, Some(b));
        if emit_pool(gw, out, m, a, &name, b, &markers, profile.as_deref()) {
            members.push((name, b.weight));
        }
    }
    // `PoolCU` creates the profile of the pools it writes: none without a pool.
    if let (Some(p), Some(pname)) = (&rule.persistence, &profile)
        && !members.is_empty()
    {
        out.emit(
            AviType::Applicationpersistenceprofile,
            &m.tenant,
            pname,
            [source("HTTPRoute", a.ns(), a.name()), m.source()],
            persistence::body(pname, &m.tenant, p, pg_markers.to_json(&gw.s)),
        );
    }
    emit_pg(gw, out, m, a, pg_name, &members, &pg_markers).then(|| pg_name.to_string())
}
