//! L4Rule on LoadBalancer-Service virtual services and pools
//! (translation-extended.md §2.7; AKO: `internal/nodes/avi_model_l4_translator.go`
//! `getL4Rule`, `buildWithL4Rule`).

use serde_json::{Value, json};

use crate::compile::common::{api_ref, name_of};
use crate::compile::{Context, Out, describe, source};
use crate::kube::crd::{Crd, L4Rule};
use crate::model::{AviType, Obj};
use crate::names::table;

use super::{FieldProvenance, marker};

/// `utils.DEFAULT_TCP_NW_PROFILE`.
const TCP_PROXY: &str = "System-TCP-Proxy";

/// The listener checks of `getL4Rule` (AKO
/// `internal/nodes/avi_model_l4_translator.go`): with `listenerProperties`
/// given, as many listeners as Service ports, no SSL listener on a Service
/// with several ports, and every Service `port+protocol` among them. `Err`
/// carries AKO's warning text (`ann`: the Service's annotation value).
fn listeners_match(
    spec: &crate::kube::crd::l4rule::L4RuleSpec,
    ports: &[(i32, String)],
    svc: &str,
    ann: &str,
) -> Result<(), String> {
    if spec.services.is_empty() {
        return Ok(());
    }
    if spec.services.len() != ports.len() {
        return Err(format!(
            "Number of port definitions in {ann} l4rule listener spec does not match with the port definitons in {svc} service"
        ));
    }
    if ports.len() > 1
        && let Some(l) = spec.services.iter().find(|l| l.enable_ssl == Some(true))
    {
        return Err(format!(
            "Port {} requires enabling SSL for L4 but there are multiple ports defined in {svc} service definition",
            l.port.unwrap_or(0)
        ));
    }
    for (p, proto) in ports {
        let listed = spec
            .services
            .iter()
            .any(|l| l.port == Some(*p as u32) && l.protocol.as_deref() == Some(proto.as_str()));
        if !listed {
            return Err(format!(
                "Port {p} defined in {svc} service definition is not present in {ann} l4rule listener spec"
            ));
        }
    }
    Ok(())
}

/// Service annotation naming the L4Rule (`lib.L4RuleAnnotation`).
pub const ANNOTATION: &str = "ako.vmware.com/l4rule";

impl<'a> super::Rules<'a> {
    /// The Accepted L4Rule a Service names (`[ns/]name`, namespace defaults to
    /// the Service's). `Err` says why a named rule does not apply.
    pub fn l4_rule_for(
        &self,
        svc_ns: &str,
        annotations: Option<&std::collections::BTreeMap<String, String>>,
    ) -> Option<Result<&'a Obj<L4Rule>, String>> {
        let v = annotations?.get(ANNOTATION)?;
        let (ns, name) = v.split_once('/').unwrap_or((svc_ns, v.as_str()));
        Some(
            match self.l4_rules.get(&(ns.to_string(), name.to_string())) {
                None => Err(format!("L4Rule {ns}/{name} not found")),
                Some(j) if !j.verdict.accepted() => {
                    Err(format!("L4Rule {ns}/{name} is not Accepted"))
                }
                Some(j) => Ok(j.obj),
            },
        )
    }
}

fn opt_str(
    b: &mut Value,
    k: &str,
    kind: &str,
    v: &Option<String>,
    f: &mut Vec<&'static str>,
    name: &'static str,
) {
    if let Some(x) = v {
        b[k] = json!(api_ref(kind, x));
        f.push(name);
    }
}

/// An L4 virtual service an L4Rule may apply to: one Service's, or a shared
/// VIP's with its member Services in name order (the order `l4.rs` builds
/// them in; its first member's annotations decide).
struct L4Vs {
    tenant: String,
    name: String,
    ns: String,
    members: Vec<String>,
    shared: bool,
}

/// Apply L4Rules to the L4 virtual services (markers Namespace + ServiceName;
/// shared-VIP VSes: Namespace + GatewayName, made from Services only) and
/// their pools (markers ServiceName + Port).
pub fn apply(ctx: &Context, out: &mut Out) {
    if ctx.crds.l4_rules.is_empty() {
        return;
    }
    let vss: Vec<L4Vs> = out
        .iter_kind(AviType::Virtualservice)
        .filter(|o| marker(&o.body, "Host").is_empty())
        .filter_map(|o| {
            let ns = marker(&o.body, "Namespace").first()?.to_string();
            if let Some(svc) = marker(&o.body, "ServiceName").first() {
                return Some(L4Vs {
                    tenant: o.tenant.clone(),
                    name: o.name.clone(),
                    ns,
                    members: vec![svc.to_string()],
                    shared: false,
                });
            }
            marker(&o.body, "GatewayName").first()?;
            // Services-API gateways carry the same markers.
            if o.sources.iter().any(|s| s.starts_with("Gateway/")) {
                return None;
            }
            let members = o
                .sources
                .iter()
                .filter_map(|s| s.strip_prefix(&format!("Service/{ns}/")))
                .map(str::to_string)
                .collect();
            Some(L4Vs {
                tenant: o.tenant.clone(),
                name: o.name.clone(),
                ns,
                members,
                shared: true,
            })
        })
        .collect();
    for v in vss {
        // Each member's rule, once (its diagnostics too): `getL4Rule`.
        let rules: Vec<Option<&Obj<L4Rule>>> = v
            .members
            .iter()
            .map(|m| member_rule(ctx, out, &v.ns, m))
            .collect();
        // The VS takes the first member's rule (`BuildL4LBGraph`;
        // shared VIP: `avi_model_advl4_translator.go` `BuildSharedVipGraph`).
        if let (Some(Some(rule)), Some(first)) = (rules.first(), v.members.first()) {
            apply_vs(out, &v, first, rule);
        }
        for (m, rule) in v.members.iter().zip(&rules) {
            if let Some(rule) = rule {
                apply_pools(ctx, out, &v.tenant, &v.ns, m, rule);
            }
        }
    }
}

/// The L4Rule that applies to Service `ns/svc_name`, if any: Accepted, and
/// its listeners fit the Service's ports. A diagnostic says why not.
fn member_rule<'a>(
    ctx: &Context<'a>,
    out: &mut Out,
    ns: &str,
    svc_name: &str,
) -> Option<&'a Obj<L4Rule>> {
    let svc = ctx.service(ns, svc_name)?;
    let found = ctx
        .crds
        .l4_rule_for(ns, svc.obj.metadata.annotations.as_ref())?;
    let what = describe("Service", ns, svc_name);
    let rule = match found {
        Ok(r) => r,
        Err(why) => {
            out.diag(
                crate::model::Severity::Warning,
                Some(what),
                format!("{why}; the VS is built without it"),
            );
            return None;
        }
    };
    let ports: Vec<(i32, String)> = svc
        .obj
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .into_iter()
        .flatten()
        .map(|p| (p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
        .collect();
    let ann = svc
        .obj
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(ANNOTATION))
        .map(String::as_str)
        .unwrap_or("");
    if let Err(why) = listeners_match(&rule.obj.spec, &ports, svc_name, ann) {
        out.diag(
            crate::model::Severity::Warning,
            Some(what),
            format!(
                "{why}; AKO builds the VS and its pools without L4Rule {}",
                rule.obj.ns_name()
            ),
        );
        return None;
    }
    Some(rule)
}

/// The VS and VIP fields of an L4Rule (`buildWithL4Rule`).
fn apply_vs(out: &mut Out, v: &L4Vs, first: &str, rule: &Obj<L4Rule>) {
    let (tenant, name) = (&v.tenant, &v.name);
    let what = describe("Service", &v.ns, first);
    let spec = &rule.obj.spec;
    // An SSL listener needs the VS network profile System-TCP-Proxy (the
    // profile AKO chose from the Service protocols and the license, before
    // the L4Rule): otherwise the VS fields and the VIP address are not
    // applied, the backend properties still are (`buildWithL4Rule`
    // returns early, `buildPoolWithL4Rule` runs).
    let ssl = spec.services.iter().any(|l| l.enable_ssl == Some(true));
    let profile = out
        .get(AviType::Virtualservice, tenant, name)
        .as_deref()
        .and_then(|v| v.body.get("network_profile_ref"))
        .and_then(Value::as_str)
        .and_then(super::pool::ref_name)
        .unwrap_or("")
        .to_string();
    let vs_applies = !ssl || profile == TCP_PROXY;
    if !vs_applies {
        out.diag(
            crate::model::Severity::Warning,
            Some(what.clone()),
            format!(
                "L4Rule {} cannot be applied to the VS: an SSL listener needs network profile {TCP_PROXY}, the VS has {profile}; only its backendProperties apply",
                rule.obj.ns_name()
            ),
        );
    }
    let src = describe("L4Rule", rule.obj.namespace(), rule.obj.name());
    // `loadBalancerIP`: the VIP address unless the Service asks for one
    // (`spec.loadBalancerIP`, annotation), AKO `BuildL4LBGraph` VSVIP node.
    // A shared VIP takes it over the first member's request
    // (`BuildSharedVipGraph` sets it last).
    if let Some(ip) = spec.load_balancer_ip.as_deref().filter(|i| !i.is_empty())
        && vs_applies
        && let Some(vip) = out.get_mut(AviType::Vsvip, tenant, name)
        && let Some(v0) = vip
            .body
            .get_mut("vip")
            .and_then(Value::as_array_mut)
            .and_then(|v| v.first_mut())
        && (v.shared || (v0.get("ip_address").is_none() && v0.get("ip6_address").is_none()))
    {
        if let Some(o) = v0.as_object_mut() {
            o.remove("ip_address");
            o.remove("ip6_address");
        }
        if ip.contains(':') {
            v0["ip6_address"] = json!({"addr": ip, "type": "V6"});
        } else {
            v0["ip_address"] = json!({"addr": ip, "type": "V4"});
        }
        out.record(FieldProvenance {
            kind: AviType::Vsvip,
            tenant: tenant.clone(),
            name: name.clone(),
            field: "vip".into(),
            source: src.clone(),
        });
    }
    let mut f: Vec<&'static str> = Vec::new();
    if vs_applies && let Some(vs) = out.get_mut(AviType::Virtualservice, tenant, name) {
        vs.sources
            .insert(source("L4Rule", rule.obj.namespace(), rule.obj.name()));
        let b = &mut vs.body;
        opt_str(
            b,
            "analytics_profile_ref",
            "analyticsprofile",
            &spec.analytics_profile_ref,
            &mut f,
            "analytics_profile_ref",
        );
        let ssl = spec.services.iter().any(|l| l.enable_ssl == Some(true));
        if let Some(app) = &spec.application_profile_ref {
            let app = if ssl && app == "System-L4-Application" {
                "System-SSL-Application"
            } else {
                app
            };
            b["application_profile_ref"] = json!(api_ref("applicationprofile", app));
            f.push("application_profile_ref");
        }
        if let Some(fcl) = spec
            .analytics_policy
            .as_ref()
            .and_then(|a| a.full_client_logs.as_ref())
        {
            let mut m = serde_json::Map::new();
            if let Some(d) = fcl.duration {
                m.insert("duration".into(), json!(d));
            }
            if let Some(e) = fcl.enabled {
                m.insert("enabled".into(), json!(e));
            }
            if let Some(t) = fcl.throttle {
                m.insert("throttle".into(), json!(t));
            }
            b["analytics_policy"] = json!({"full_client_logs": m});
            f.push("analytics_policy");
        }
        if let Some(p) = &spec.performance_limits {
            let mut m = serde_json::Map::new();
            if let Some(c) = p.max_concurrent_connections {
                m.insert("max_concurrent_connections".into(), json!(c));
            }
            if let Some(c) = p.max_throughput {
                m.insert("max_throughput".into(), json!(c));
            }
            b["performance_limits"] = Value::Object(m);
            f.push("performance_limits");
        }
        opt_str(
            b,
            "network_profile_ref",
            "networkprofile",
            &spec.network_profile_ref,
            &mut f,
            "network_profile_ref",
        );
        opt_str(
            b,
            "network_security_policy_ref",
            "networksecuritypolicy",
            &spec.network_security_policy_ref,
            &mut f,
            "network_security_policy_ref",
        );
        opt_str(
            b,
            "security_policy_ref",
            "securitypolicy",
            &spec.security_policy_ref,
            &mut f,
            "security_policy_ref",
        );
        opt_str(
            b,
            "ssl_profile_ref",
            "sslprofile",
            &spec.ssl_profile_ref,
            &mut f,
            "ssl_profile_ref",
        );
        if !spec.vs_datascript_refs.is_empty() {
            let mut seen = Vec::new();
            for d in &spec.vs_datascript_refs {
                if !seen.contains(d) {
                    seen.push(d.clone());
                }
            }
            let v: Vec<Value> = seen
                .iter()
                .enumerate()
                .map(|(i, d)| json!({"index": i, "vs_datascript_set_ref": api_ref("vsdatascriptset", d)}))
                .collect();
            b["vs_datascripts"] = Value::Array(v);
            f.push("vs_datascripts");
        }
        if !spec.ssl_key_and_certificate_refs.is_empty() {
            let v: Vec<String> = spec
                .ssl_key_and_certificate_refs
                .iter()
                .map(|c| api_ref("sslkeyandcertificate", c))
                .collect();
            b["ssl_key_and_certificate_refs"] = json!(v);
            f.push("ssl_key_and_certificate_refs");
        }
        // `copier.Copy` sets `RevokeVipRoute` whenever the rule gives it,
        // `false` included; on a shared VIP only `true` is dropped.
        // `listenerProperties` land in the model's `Services`, which only
        // decide SSL: the VS listeners stay the Service ports
        // (`AviVsBuild` writes them from `PortProto`, `enable_ssl: false`).
        if let Some(r) = spec.revoke_vip_route
            && !(r && v.shared)
        {
            b["revoke_vip_route"] = json!(r);
            f.push("revoke_vip_route");
        }
    }
    // With an SSL listener applied, `ConstructAviL4PolPoolNodes` makes the
    // (single) pool the VS default pool and builds no L4 policy set; without
    // one, `AviVsBuild` does not set `remove_listening_port_on_vs_down`.
    if vs_applies && ssl && !v.shared {
        let pool = out
            .iter_kind(AviType::Pool)
            .find(|o| {
                o.tenant == *tenant
                    && marker(&o.body, "Namespace").first() == Some(&v.ns.as_str())
                    && marker(&o.body, "ServiceName").first() == Some(&first)
            })
            .map(|o| o.name.clone());
        out.remove(AviType::L4policyset, tenant, name);
        if let Some(vs) = out.get_mut(AviType::Virtualservice, tenant, name)
            && let Some(b) = vs.body.as_object_mut()
        {
            b.remove("l4_policies");
            b.remove("remove_listening_port_on_vs_down");
            if let Some(pool) = pool {
                b.insert("pool_ref".into(), json!(api_ref("pool", &pool)));
                f.push("pool_ref");
            }
        }
    }
    if spec.revoke_vip_route == Some(true) && v.shared && vs_applies {
        out.diag(
            crate::model::Severity::Warning,
            Some(what.clone()),
            format!(
                "L4Rule {}: RevokeVipRoute cannot be used with Shared VIP. VIP Route won't be revoked.",
                rule.obj.ns_name()
            ),
        );
    }
    for field in f {
        out.record(FieldProvenance {
            kind: AviType::Virtualservice,
            tenant: tenant.clone(),
            name: name.clone(),
            field: field.into(),
            source: src.clone(),
        });
    }
}

/// The backend properties of an L4Rule on the pools of Service `ns/svc_name`
/// (`buildPoolWithL4Rule`).
fn apply_pools(
    ctx: &Context,
    out: &mut Out,
    tenant: &str,
    ns: &str,
    svc_name: &str,
    rule: &Obj<L4Rule>,
) {
    let spec = &rule.obj.spec;
    let s = ctx.settings;
    let src = describe("L4Rule", rule.obj.namespace(), rule.obj.name());
    // Pools: matched by port (Port marker) and protocol (in the name).
    let pool_names: Vec<String> = out
        .iter_kind(AviType::Pool)
        .filter(|o| o.tenant == tenant)
        .filter(|o| marker(&o.body, "Namespace").first() == Some(&ns))
        .filter(|o| marker(&o.body, "ServiceName").first() == Some(&svc_name))
        .map(|o| o.name.clone())
        .collect();
    for pname in pool_names {
        let Some(pool) = out.get_mut(AviType::Pool, tenant, &pname) else {
            continue;
        };
        let port = marker(&pool.body, "Port")
            .first()
            .and_then(|p| p.parse::<i64>().ok());
        // The pool's protocol: its Protocol marker (shared VIP), else the
        // one whose `GetL4PoolName` (encoded in EVH mode) gives its name.
        let proto = marker(&pool.body, "Protocol")
            .first()
            .and_then(|m| ["TCP", "UDP", "SCTP"].into_iter().find(|p| p == m))
            .or_else(|| {
                ["TCP", "UDP", "SCTP"].into_iter().find(|p| {
                    port.is_some_and(|port| {
                        let port = port.to_string();
                        let parts = [
                            ("namespace", ns),
                            ("service", svc_name),
                            ("protocol", p),
                            ("port", port.as_str()),
                        ];
                        name_of(s, &table::L4_POOL, &parts) == pname
                    })
                })
            })
            .or_else(|| {
                ["TCP", "UDP", "SCTP"]
                    .into_iter()
                    .find(|p| pname.contains(&format!("-{p}-")))
            });
        let Some(bp) = spec
            .backend_properties
            .iter()
            .find(|bp| bp.port == port && bp.protocol.as_deref() == proto)
        else {
            continue;
        };
        let b = &mut pool.body;
        let mut pf: Vec<&'static str> = Vec::new();
        opt_str(
            b,
            "application_persistence_profile_ref",
            "applicationpersistenceprofile",
            &bp.application_persistence_profile_ref,
            &mut pf,
            "application_persistence_profile_ref",
        );
        if let Some(e) = bp.enabled {
            b["enabled"] = json!(e);
            pf.push("enabled");
        }
        if !bp.health_monitor_refs.is_empty() {
            let v: Vec<String> = bp
                .health_monitor_refs
                .iter()
                .map(|h| api_ref("healthmonitor", h))
                .collect();
            b["health_monitor_refs"] = json!(v);
            pf.push("health_monitor_refs");
        } else if !bp.health_monitor_crd_refs.is_empty() {
            // ako-crd-operator HealthMonitors, by the UUID in their status,
            // sorted (AKO: `buildPoolWithHealthMonitorCrdRefs`).
            let mut v: Vec<String> = bp
                .health_monitor_crd_refs
                .iter()
                .filter_map(|n| {
                    ctx.snapshot.health_monitors.iter().find(|h| {
                        h.obj.metadata.namespace.as_deref() == Some(rule.obj.namespace())
                            && h.obj.metadata.name.as_deref() == Some(n.as_str())
                    })
                })
                .filter_map(|h| h.obj.status.as_ref())
                .filter(|st| !st.uuid.is_empty())
                .map(|st| format!("/api/healthmonitor/{}", st.uuid))
                .collect();
            v.sort();
            v.dedup();
            if !v.is_empty() {
                b["health_monitor_refs"] = json!(v);
                pf.push("health_monitor_refs");
            }
        }
        for (k, v) in [
            ("lb_algorithm", &bp.lb_algorithm),
            ("lb_algorithm_hash", &bp.lb_algorithm_hash),
            (
                "lb_algorithm_consistent_hash_hdr",
                &bp.lb_algorithm_consistent_hash_hdr,
            ),
        ] {
            if let Some(v) = v {
                b[k] = json!(v);
                pf.push(k);
            }
        }
        opt_str(
            b,
            "pki_profile_ref",
            "pkiprofile",
            &bp.pki_profile_ref,
            &mut pf,
            "pki_profile_ref",
        );
        opt_str(
            b,
            "ssl_key_and_certificate_ref",
            "sslkeyandcertificate",
            &bp.ssl_key_and_certificate_ref,
            &mut pf,
            "ssl_key_and_certificate_ref",
        );
        opt_str(
            b,
            "ssl_profile_ref",
            "sslprofile",
            &bp.ssl_profile_ref,
            &mut pf,
            "ssl_profile_ref",
        );
        if let Some(m) = bp
            .analytics_policy
            .as_ref()
            .and_then(|a| a.enable_realtime_metrics)
        {
            b["analytics_policy"] = json!({"enable_realtime_metrics": m});
            pf.push("analytics_policy");
        }
        if let Some(m) = bp.min_servers_up {
            b["min_servers_up"] = json!(m);
            pf.push("min_servers_up");
        }
        pool.sources
            .insert(source("L4Rule", rule.obj.namespace(), rule.obj.name()));
        for field in pf {
            out.record(FieldProvenance {
                kind: AviType::Pool,
                tenant: tenant.to_string(),
                name: pname.clone(),
                field: field.into(),
                source: src.clone(),
            });
        }
    }
}
