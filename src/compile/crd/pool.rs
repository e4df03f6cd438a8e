//! HTTPRule on L7 pools (translation-extended.md §2.3; AKO:
//! `internal/nodes/crd_translator.go` `BuildPoolHTTPRule`, REST
//! `internal/rest/avi_obj_pool.go` `AviPoolBuild`).

use std::collections::{BTreeSet, HashSet};

use regex::Regex;
use serde_json::{Value, json};

use crate::compile::common::{Markers, api_ref, name_of, plain_name_of, tenant_ref};
use crate::compile::{Context, Out, describe};
use crate::kube::crd::{Crd, HttpRule};
use crate::model::{AviType, Obj};
use crate::names::table;

use super::{FieldProvenance, marker, set_crd_status};

/// `lib.DefaultPoolSSLProfile`.
const DEFAULT_POOL_SSL_PROFILE: &str = "System-Standard";
/// `lib.TypeTLSReencrypt`.
const REENCRYPT: &str = "reencrypt";
const CONSISTENT_HASH: &str = "LB_ALGORITHM_CONSISTENT_HASH";
const CUSTOM_HEADER: &str = "LB_ALGORITHM_CONSISTENT_HASH_CUSTOM_HEADER";
/// Monitors the REST layer adds when a pool has none (`AviPoolBuild`).
const DEFAULT_MONITORS: [&str; 3] = ["System-TCP", "System-UDP", "System-SCTP"];
const DEDICATED_SUFFIX: &str = "-L7-dedicated";

/// Pool facts read back from its body.
struct PoolInfo {
    tenant: String,
    name: String,
    ns: String,
    host: String,
    path: String,
    ing: String,
    infra: String,
    svc: String,
}

/// Pools that sit on a shared (non-EVH) parent's pool group: the insecure
/// SNI-mode pools (`BuildPoolHTTPRule` is called with `isSNI=false` for them),
/// plus the pools of insecure SNI dedicated virtual services.
fn insecure_pools(out: &Out, settings: &crate::settings::Settings) -> BTreeSet<(String, String)> {
    let mut set = BTreeSet::new();
    if settings.enable_evh {
        return set;
    }
    let parents: BTreeSet<(String, String)> = out
        .iter_kind(AviType::Virtualservice)
        .filter(|o| o.body.get("type").and_then(Value::as_str) == Some("VS_TYPE_VH_PARENT"))
        .map(|o| (o.tenant.clone(), o.name.clone()))
        .collect();
    let insecure_dedicated: BTreeSet<(String, String)> = out
        .iter_kind(AviType::Virtualservice)
        .filter(|o| o.name.ends_with(DEDICATED_SUFFIX))
        .filter(|o| !super::vs::has_ssl_port(&o.body))
        .map(|o| (o.tenant.clone(), o.name.clone()))
        .collect();
    for pg in out.iter_kind(AviType::Poolgroup) {
        let shared = parents.contains(&(pg.tenant.clone(), pg.name.clone()));
        let members = pg
            .body
            .get("members")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for m in members {
            let Some(pool) = m.get("pool_ref").and_then(Value::as_str).and_then(ref_name) else {
                continue;
            };
            if shared {
                set.insert((pg.tenant.clone(), pool.to_string()));
            }
        }
    }
    // Pools of an insecure dedicated VS carry its host marker.
    for p in out
        .iter_kind(AviType::Pool)
        .filter(|o| o.name.ends_with(DEDICATED_SUFFIX))
    {
        let host = marker(&p.body, "Host").first().copied().unwrap_or("");
        let infra = marker(&p.body, "InfrasettingName")
            .first()
            .copied()
            .unwrap_or("");
        let vs = crate::compile::ingress::names::dedicated_vs(settings, infra, host);
        if insecure_dedicated.contains(&(p.tenant.clone(), vs)) {
            set.insert((p.tenant.clone(), p.name.clone()));
        }
    }
    set
}

/// Name from `/api/<type>/?name=<name>`.
pub fn ref_name(r: &str) -> Option<&str> {
    r.split_once("?name=").map(|(_, n)| n)
}

/// Apply every Accepted HTTPRule to the pools of its fqdn.
pub fn apply_http_rules(ctx: &Context, out: &mut Out) {
    if ctx.crds.http_rules.iter().all(|j| !j.verdict.accepted()) {
        return;
    }
    let s = ctx.settings;
    let insecure = insecure_pools(out, s);
    let pools: Vec<PoolInfo> = out
        .iter_kind(AviType::Pool)
        .filter_map(|o| {
            let m = |k| {
                marker(&o.body, k)
                    .first()
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            };
            let info = PoolInfo {
                tenant: o.tenant.clone(),
                name: o.name.clone(),
                ns: m("Namespace"),
                host: m("Host"),
                path: m("Path"),
                ing: m("IngressName"),
                infra: m("InfrasettingName"),
                svc: m("ServiceName"),
            };
            (!info.host.is_empty() && !info.ing.is_empty()).then_some(info)
        })
        .collect();
    let evh_dedicated = if s.enable_evh {
        dedicated_evh_hosts(out)
    } else {
        HashSet::new()
    };
    for p in pools {
        let is_sni = !insecure.contains(&(p.tenant.clone(), p.name.clone()));
        let rules: Vec<&Obj<HttpRule>> = ctx.crds.http_rules_for(&p.host);
        if rules.is_empty() {
            continue;
        }
        // target -> (rule, path); a later rule with the same target replaces an
        // earlier one, then shorter targets first so the longest wins (spec §8 item 2).
        // The tenant gate comes after the replacement: AKO keeps one rule per
        // fqdn and target (`GetFqdnHTTPRulesMapping`) and skips it when its
        // namespace's tenant is not the VS's, so an earlier rule of the right
        // tenant does not come back (`crd_translator.go` `BuildPoolHTTPRule`).
        let mut targets: Vec<(String, &Obj<HttpRule>, usize)> = Vec::new();
        for r in &rules {
            for (i, path) in r.obj.spec.paths.iter().enumerate() {
                targets.retain(|(t, _, _)| *t != path.target);
                targets.push((path.target.clone(), r, i));
            }
        }
        targets.retain(|(_, r, _)| ctx.tenant_of(r.obj.namespace()) == p.tenant);
        targets.sort_by_key(|(t, _, _)| t.len());
        let dedicated = p.name.ends_with(DEDICATED_SUFFIX)
            || evh_dedicated.contains(&(p.tenant.clone(), p.host.clone()));
        let match_name = if s.enable_evh && !p.ns.is_empty() {
            // The un-encoded EVH pool name (`GetEvhPoolNameNoEncoding`).
            let f = if dedicated {
                &table::EVH_POOL_DEDICATED
            } else {
                &table::EVH_POOL
            };
            plain_name_of(
                s,
                f,
                &[
                    ("infrasetting", &p.infra),
                    ("namespace", &p.ns),
                    ("host", &p.host),
                    ("path", &p.path),
                    ("ingress", &p.ing),
                    ("service", &p.svc),
                ],
            )
        } else {
            p.name.clone()
        };
        // Targets that match this pool, in the order applied.
        let mut matched: Vec<(String, String)> = Vec::new();
        for (target, rule, idx) in targets {
            let Some(path) = rule.obj.spec.paths.get(idx) else {
                continue;
            };
            if !path.tls.kind.is_empty() && path.tls.kind != REENCRYPT {
                continue;
            }
            let rr_ns = rule.obj.namespace();
            let t = if p.path.is_empty() && target == "/" {
                String::new()
            } else {
                target.clone()
            };
            let pp = t.replace('/', "_");
            let infra = if p.infra.is_empty() {
                String::new()
            } else {
                format!("{}-", p.infra)
            };
            let pattern = if is_sni {
                format!("^{}{infra}{rr_ns}-{}{pp}.*-{}", s.prefix(), p.host, p.ing)
            } else {
                format!("^{}{infra}{}{pp}.*-{rr_ns}-{}", s.prefix(), p.host, p.ing)
            };
            let Ok(re) = Regex::new(&pattern) else {
                continue;
            };
            if !re.is_match(&match_name) {
                continue;
            }
            let source = describe("HTTPRule", rr_ns, rule.obj.name());
            matched.push((target.clone(), source.clone()));
            let mut fields = Vec::new();
            let mut pki: Option<(String, Value)> = None;
            let mut drop_pki: Option<String> = None;
            if let Some(pool) = out.get_mut(AviType::Pool, &p.tenant, &p.name) {
                let b = &mut pool.body;
                if !path.tls.kind.is_empty() {
                    b["sni_enabled"] = json!(true);
                    let prof = if path.tls.ssl_profile.is_empty() {
                        DEFAULT_POOL_SSL_PROFILE
                    } else {
                        &path.tls.ssl_profile
                    };
                    b["ssl_profile_ref"] = json!(api_ref("sslprofile", prof));
                    fields.extend(["sni_enabled", "ssl_profile_ref"]);
                    if !path.tls.destination_ca.is_empty() {
                        let name = name_of(s, &table::POOL_PKI_PROFILE, &[("pool", &match_name)]);
                        let markers = Markers {
                            namespace: p.ns.clone(),
                            host: vec![p.host.clone()],
                            service_name: p.svc.clone(),
                            ingress_name: vec![p.ing.clone()],
                            path: vec![t.clone()],
                            ..Markers::default()
                        };
                        let body = json!({
                            "name": name,
                            "created_by": s.created_by(),
                            "tenant_ref": tenant_ref(&p.tenant),
                            "crl_check": false,
                            "ca_certs": [{"certificate": path.tls.destination_ca}],
                            "markers": markers.to_json(s),
                        });
                        b["pki_profile_ref"] = json!(api_ref("pkiprofile", &name));
                        pki = Some((name, body));
                        fields.push("pki_profile_ref");
                    } else {
                        if let Some(old) = b.get("pki_profile_ref").and_then(Value::as_str) {
                            drop_pki = ref_name(old).map(str::to_string);
                        }
                        if let Some(o) = b.as_object_mut() {
                            o.remove("pki_profile_ref");
                        }
                    }
                    if !path.tls.pki_profile.is_empty() {
                        b["pki_profile_ref"] = json!(api_ref("pkiprofile", &path.tls.pki_profile));
                        fields.push("pki_profile_ref");
                    }
                }
                if path.application_persistence.is_empty() {
                    if let Some(o) = b.as_object_mut() {
                        o.remove("application_persistence_profile_ref");
                    }
                } else {
                    b["application_persistence_profile_ref"] = json!(api_ref(
                        "applicationpersistenceprofile",
                        &path.application_persistence
                    ));
                    fields.push("application_persistence_profile_ref");
                }
                if !path.health_monitors.is_empty() {
                    let mut hms: Vec<String> = b
                        .get("health_monitor_refs")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect();
                    let is_default = hms.len() == 1
                        && DEFAULT_MONITORS
                            .iter()
                            .any(|d| hms[0] == api_ref("healthmonitor", d));
                    if is_default {
                        hms.clear();
                    }
                    for hm in &path.health_monitors {
                        let r = api_ref("healthmonitor", hm);
                        if !hms.contains(&r) {
                            hms.push(r);
                        }
                    }
                    b["health_monitor_refs"] = json!(hms);
                    fields.push("health_monitor_refs");
                }
                if let Some(h2) = path.enable_http2 {
                    b["enable_http2"] = json!(h2);
                    fields.push("enable_http2");
                }
                let lb = &path.load_balancer_policy;
                if !lb.algorithm.is_empty() {
                    b["lb_algorithm"] = json!(lb.algorithm);
                    fields.push("lb_algorithm");
                }
                if b.get("lb_algorithm").and_then(Value::as_str) == Some(CONSISTENT_HASH) {
                    b["lb_algorithm_hash"] = json!(lb.hash);
                    fields.push("lb_algorithm_hash");
                    if lb.hash == CUSTOM_HEADER && !lb.host_header.is_empty() {
                        b["lb_algorithm_consistent_hash_hdr"] = json!(lb.host_header);
                        fields.push("lb_algorithm_consistent_hash_hdr");
                    }
                }
                let value = format!("{}/{}", rule.obj.ns_name(), t);
                set_crd_status(b, "HTTPRule", &value, "ACTIVE");
                fields.push("service_metadata");
                pool.sources
                    .insert(crate::compile::source("HTTPRule", rr_ns, rule.obj.name()));
            }
            if let Some(old) = drop_pki {
                out.remove(AviType::Pkiprofile, &p.tenant, &old);
            }
            if let Some((name, body)) = pki {
                let src = [crate::compile::source("HTTPRule", rr_ns, rule.obj.name())];
                out.emit(AviType::Pkiprofile, &p.tenant, &name, src, body);
                out.record(FieldProvenance {
                    kind: AviType::Pkiprofile,
                    tenant: p.tenant.clone(),
                    name,
                    field: "ca_certs".into(),
                    source: source.clone(),
                });
            }
            for f in fields {
                out.record(FieldProvenance {
                    kind: AviType::Pool,
                    tenant: p.tenant.clone(),
                    name: p.name.clone(),
                    field: f.to_string(),
                    source: source.clone(),
                });
            }
        }
        if matched.len() > 1 {
            out.diag(
                crate::model::Severity::Warning,
                Some(format!("pool {}", p.name)),
                overlap_message(&p.host, &p.path, &matched),
            );
        }
    }
}

/// Several HTTPRule targets match one pool by prefix. `BuildPoolHTTPRule`
/// (internal/nodes/crd_translator.go) applies the host's targets while
/// ranging over a Go map (`GetFqdnHTTPRulesMapping`), so which one AKO
/// applies last is not determined. akoctl applies them shortest first.
fn overlap_message(host: &str, path: &str, matched: &[(String, String)]) -> String {
    let list: Vec<String> = matched
        .iter()
        .map(|(t, src)| format!("target {t} ({src})"))
        .collect();
    let (last, last_src) = &matched[matched.len() - 1];
    let shown = if path.is_empty() { "(no path)" } else { path };
    format!(
        "host {host} path {shown}: {} match this pool by prefix; AKO applies them in Go map order, so its result is not determined (it may differ between AKO restarts); akoctl applies them shortest first, so target {last} ({last_src}) decides the fields they both set",
        list.join(" and ")
    )
}

/// EVH dedicated pools have hashed names; they belong to a VS named `...-EVH`
/// with a normal (non-virtual-hosted) type: the (tenant, first `Host`
/// marker) of every such VS, gathered once so that checking a pool does not
/// scan all objects.
fn dedicated_evh_hosts(out: &Out) -> HashSet<(String, String)> {
    out.iter_kind(AviType::Virtualservice)
        .filter(|o| {
            o.name.ends_with("-EVH")
                && o.body.get("type").and_then(Value::as_str) == Some("VS_TYPE_NORMAL")
        })
        .filter_map(|o| {
            Some((
                o.tenant.clone(),
                marker(&o.body, "Host").first()?.to_string(),
            ))
        })
        .collect()
}
