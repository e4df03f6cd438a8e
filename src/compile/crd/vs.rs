//! HostRule, L7Rule and SSORule on L7 virtual services (translation-extended.md
//! §2.2.3, §2.5, §2.6, §3.5; AKO: `internal/nodes/crd_translator.go`
//! `BuildL7HostRule`, `BuildL7Rule`, `BuildL7SSORule`; REST
//! `internal/rest/avi_obj_vs.go` `AviVsBuild`, `AviVsSniBuild`, `AviVsHttpPSAdd`,
//! `internal/rest/avi_evh_obj.go`).

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value, json};

use crate::compile::common::api_ref;
use crate::compile::ingress::parse::OrderKey;
use crate::compile::{Context, Out, describe, source};
use crate::kube::crd::hostrule::{CERT_REF, VirtualHost};
use crate::kube::crd::{Crd, L7Rule, SsoRule};
use crate::model::AviType;

use super::pool::ref_name;
use super::{FieldProvenance, crd_status, marker, set_crd_status};

/// What kind of L7 virtual service a body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    SniChild,
    EvhChild,
    /// Shared L7 parent (SNI or EVH).
    Parent {
        evh: bool,
    },
    /// One VS per host (`-L7-dedicated`, EVH: `...-EVH`).
    Dedicated {
        evh: bool,
    },
}

/// Classify a virtual service body; `None` for L4, passthrough and others.
pub fn role(name: &str, body: &Value) -> Option<Role> {
    let ty = body.get("type").and_then(Value::as_str).unwrap_or("");
    let evh = body.get("vh_type").and_then(Value::as_str) == Some("VS_TYPE_VH_ENHANCED");
    match ty {
        "VS_TYPE_VH_CHILD" if evh => Some(Role::EvhChild),
        "VS_TYPE_VH_CHILD" => Some(Role::SniChild),
        "VS_TYPE_VH_PARENT" if name.contains("Shared-Passthrough-") => None,
        "VS_TYPE_VH_PARENT" => Some(Role::Parent { evh }),
        _ if name.ends_with("-L7-dedicated") => Some(Role::Dedicated { evh: false }),
        _ if name.ends_with("-EVH") && !marker(body, "Host").is_empty() => {
            Some(Role::Dedicated { evh: true })
        }
        _ => None,
    }
}

/// Whether any VS service port terminates TLS.
pub fn has_ssl_port(body: &Value) -> bool {
    body.get("services")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|s| s.get("enable_ssl").and_then(Value::as_bool) == Some(true))
}

/// The host string a HostRule is matched against (§2.2.1): for a shared
/// parent its configured FQDN (the VSVIP FQDN derived from the VS name, else
/// the VS name), for the others the host.
pub(super) fn bind_host(
    out: &Out,
    prefix: &str,
    tenant: &str,
    name: &str,
    role: Role,
    body: &Value,
) -> Option<String> {
    match role {
        Role::Parent { .. } => {
            let vip = out.get(AviType::Vsvip, tenant, name);
            let fqdns = vip
                .as_deref()
                .and_then(|v| v.body.get("dns_info"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|d| d.get("fqdn").and_then(Value::as_str));
            let mut found = None;
            for f in fqdns {
                if f.strip_prefix(name)
                    .is_some_and(|r| r.starts_with('.') || r.starts_with('-'))
                {
                    found = Some(f.to_string());
                }
            }
            Some(found.unwrap_or_else(|| name.to_string()))
        }
        Role::Dedicated { evh: false } => match marker(body, "Host").first() {
            Some(h) => Some(h.to_string()),
            // Without a Host marker the name says it: `P + I- + host + "-L7-dedicated"`.
            None => {
                let infra = marker(body, "InfrasettingName")
                    .first()
                    .map(|i| format!("{i}-"));
                name.strip_prefix(prefix)
                    .map(|r| r.strip_prefix(infra.as_deref().unwrap_or("")).unwrap_or(r))
                    .and_then(|r| r.strip_suffix("-L7-dedicated"))
                    .map(str::to_string)
            }
        },
        _ => marker(body, "Host").first().map(|h| h.to_string()),
    }
}

struct Target {
    tenant: String,
    name: String,
    role: Role,
    host: String,
    parent: Option<String>,
}

fn set(b: &mut Value, field: &str, v: Value, fields: &mut Vec<String>) {
    b[field] = v;
    fields.push(field.to_string());
}

fn remove(b: &mut Value, field: &str) {
    if let Some(o) = b.as_object_mut() {
        o.remove(field);
    }
}

fn strings(b: &Value, field: &str) -> Vec<String> {
    b.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// `lib.GetThrottle`.
fn throttle(s: &str) -> u32 {
    match s {
        "HIGH" => 10,
        "MEDIUM" => 30,
        "LOW" => 50,
        _ => 0,
    }
}

/// Effects collected for one VS before they are written.
#[derive(Default)]
struct Common {
    waf: Option<String>,
    app_profile: Option<String>,
    analytics_profile: Option<String>,
    error_page: Option<String>,
    icap: Vec<String>,
    analytics_policy: Option<Value>,
    policy_sets: Vec<String>,
    overwrite: bool,
}

fn analytics_policy(
    enabled: Option<bool>,
    throttle_s: Option<&str>,
    duration: Option<u32>,
    all_headers: Option<bool>,
    has_fcl: bool,
) -> Value {
    let mut fcl = Map::new();
    fcl.insert("duration".into(), json!(duration.unwrap_or(0)));
    if has_fcl {
        if let Some(e) = enabled {
            fcl.insert("enabled".into(), json!(e));
        }
        fcl.insert("throttle".into(), json!(throttle(throttle_s.unwrap_or(""))));
    }
    let mut ap = Map::new();
    if let Some(h) = all_headers {
        ap.insert("all_headers".into(), json!(h));
    }
    ap.insert("full_client_logs".into(), Value::Object(fcl));
    Value::Object(ap)
}

fn common_from_host_rule(vh: &VirtualHost) -> Common {
    let r = |k: &str, n: &str| (!n.is_empty()).then(|| api_ref(k, n));
    let mut policy_sets = Vec::new();
    for p in &vh.http_policy.policy_sets {
        let r = api_ref("httppolicyset", p);
        if !policy_sets.contains(&r) {
            policy_sets.push(r);
        }
    }
    Common {
        waf: r("wafpolicy", &vh.waf_policy),
        app_profile: r("applicationprofile", &vh.application_profile),
        analytics_profile: r("analyticsprofile", &vh.analytics_profile),
        error_page: r("errorpageprofile", &vh.error_page_profile),
        icap: vh
            .icap_profile
            .first()
            .map(|i| api_ref("icapprofile", i))
            .into_iter()
            .collect(),
        analytics_policy: vh.analytics_policy.as_ref().map(|a| {
            let f = a.full_client_logs.as_ref();
            analytics_policy(
                f.and_then(|f| f.enabled),
                f.map(|f| f.throttle.as_str()),
                f.and_then(|f| f.duration),
                a.log_all_headers,
                f.is_some(),
            )
        }),
        policy_sets,
        overwrite: vh.http_policy.overwrite,
    }
}

/// `populateCommonFields`: L7Rule values fill what the HostRule left unset.
/// The ICAP fallback never fires in AKO (the HostRule path initialises the
/// list; spec §8 item 9), reproduced here.
fn fill_from_l7_rule(c: &mut Common, l7: &L7Rule) {
    let s = &l7.spec;
    if c.analytics_policy.is_none()
        && let Some(a) = &s.analytics_policy
    {
        let f = a.full_client_logs.as_ref();
        c.analytics_policy = Some(analytics_policy(
            f.and_then(|f| f.enabled),
            f.map(|f| f.throttle.as_str()),
            f.and_then(|f| f.duration),
            a.log_all_headers,
            f.is_some(),
        ));
    }
    if c.analytics_profile.is_none() {
        c.analytics_profile = s
            .analytics_profile
            .as_ref()
            .map(|k| api_ref("analyticsprofile", &k.name));
    }
    if c.error_page.is_none() {
        c.error_page = s
            .error_page_profile
            .as_ref()
            .map(|k| api_ref("errorpageprofile", &k.name));
    }
    if c.app_profile.is_none() {
        c.app_profile = s
            .application_profile
            .as_ref()
            .map(|k| api_ref("applicationprofile", &k.name));
    }
    if c.waf.is_none() {
        c.waf = s.waf_policy.as_ref().map(|k| api_ref("wafpolicy", &k.name));
    }
    if c.policy_sets.is_empty()
        && let Some(h) = &s.http_policy
    {
        for p in &h.policy_sets {
            let r = api_ref("httppolicyset", p);
            if !c.policy_sets.contains(&r) {
                c.policy_sets.push(r);
            }
        }
        if h.overwrite == Some(true) {
            c.overwrite = true;
        }
    }
}

/// L7Rule fields copied onto the VS (`AviVsNodeGeneratedFields`); the
/// parent-only ones are dropped on EVH children (`ConvertL7RuleParentOnlyFieldsToNil`).
/// `bot_policy_ref` names the type `botpolicy`, as `ConvertToRef`
/// (`internal/nodes/avi_model_nodes_utils.go`) writes it, although the
/// controller's type is `botdetectionpolicy` (checked as such in validation).
pub(crate) fn l7_generated(l7: &L7Rule, role: Role) -> Vec<(&'static str, Value)> {
    let s = &l7.spec;
    let parent_fields = !matches!(role, Role::EvhChild | Role::SniChild);
    let mut v: Vec<(&'static str, Value)> = Vec::new();
    let mut put = |k: &'static str, x: Option<Value>| {
        if let Some(x) = x {
            v.push((k, x));
        }
    };
    put(
        "allow_invalid_client_cert",
        s.allow_invalid_client_cert.map(|b| json!(b)),
    );
    put(
        "bot_policy_ref",
        s.bot_policy_ref
            .as_ref()
            .map(|b| json!(api_ref("botpolicy", b))),
    );
    put(
        "close_client_conn_on_config_update",
        s.close_client_conn_on_config_update.map(|b| json!(b)),
    );
    put("ign_pool_net_reach", s.ign_pool_net_reach.map(|b| json!(b)));
    put("min_pools_up", s.min_pools_up.map(|b| json!(b)));
    put(
        "remove_listening_port_on_vs_down",
        s.remove_listening_port_on_vs_down.map(|b| json!(b)),
    );
    put(
        "ssl_sess_cache_avg_size",
        s.ssl_sess_cache_avg_size.map(|b| json!(b)),
    );
    put(
        "traffic_clone_profile_ref",
        s.traffic_clone_profile_ref
            .as_ref()
            .map(|b| json!(api_ref("trafficcloneprofile", b))),
    );
    if parent_fields {
        put(
            "host_name_xlate",
            s.host_name_xlate.as_ref().map(|b| json!(b)),
        );
        put(
            "performance_limits",
            s.performance_limits.as_ref().map(|p| {
                let mut m = Map::new();
                if let Some(c) = p.max_concurrent_connections {
                    m.insert("max_concurrent_connections".into(), json!(c));
                }
                if let Some(c) = p.max_throughput {
                    m.insert("max_throughput".into(), json!(c));
                }
                Value::Object(m)
            }),
        );
        put(
            "security_policy_ref",
            s.security_policy_ref
                .as_ref()
                .map(|b| json!(api_ref("securitypolicy", b))),
        );
    }
    v
}

/// The L7Rule fields `AviVsNodeGeneratedFields.ConvertToRef` turns into
/// references, with the type it names.
const DOUBLE_CONVERTED: [(&str, &str); 3] = [
    ("bot_policy_ref", "botpolicy"),
    ("security_policy_ref", "securitypolicy"),
    ("traffic_clone_profile_ref", "trafficcloneprofile"),
];

/// When AKO's full sync processes an object: kind (Ingresses before Routes),
/// then its `IngressLessthan` / `RouteLessthan` key; then the host.
type ProcessKey = ((u8, Option<OrderKey>), String);

/// A child's position and the SSL profile it hands to its EVH parent.
type ProfileCandidate = (ProcessKey, Option<String>);

/// The processing position of the Ingress or Route last processed among the
/// sources of a VS (`internal/k8s/ako_init.go` `FullSyncK8s`).
fn last_processed(ctx: &Context, out: &Out, t: &Target) -> (u8, Option<OrderKey>) {
    let Some(vs) = out.get(AviType::Virtualservice, &t.tenant, &t.name) else {
        return (0, None);
    };
    vs.sources
        .iter()
        .filter_map(|src| {
            let mut it = src.splitn(3, '/');
            let (kind, ns, name) = (it.next()?, it.next()?, it.next()?);
            let is = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
                m.namespace.as_deref() == Some(ns) && m.name.as_deref() == Some(name)
            };
            match kind {
                "Ingress" => ctx
                    .snapshot
                    .ingresses
                    .iter()
                    .find(|i| is(&i.obj.metadata))
                    .map(|i| (0, Some(crate::compile::ingress::parse::order_key(i)))),
                "Route" => ctx
                    .snapshot
                    .routes
                    .iter()
                    .find(|r| is(&r.obj.metadata))
                    .map(|r| (1, Some(crate::compile::ingress::route::order_key(r)))),
                _ => None,
            }
        })
        .max()
        .unwrap_or((0, None))
}

/// Apply HostRules (and, in EVH mode, L7Rules and SSORules) to every L7 VS.
pub fn apply_host_rules(ctx: &Context, out: &mut Out) {
    let s = ctx.settings;
    // Without a HostRule, only the EVH steps below (SSORules, parent
    // certificates and SSL profile) change anything.
    if !s.enable_evh && !ctx.crds.any_host_rule() {
        return;
    }
    let mut targets = Vec::new();
    for o in out.iter_kind(AviType::Virtualservice) {
        let Some(role) = role(&o.name, &o.body) else {
            continue;
        };
        let Some(host) = bind_host(out, &s.prefix(), &o.tenant, &o.name, role, &o.body) else {
            continue;
        };
        let parent = o
            .body
            .get("vh_parent_vs_ref")
            .and_then(Value::as_str)
            .and_then(ref_name)
            .map(str::to_string);
        targets.push(Target {
            tenant: o.tenant.clone(),
            name: o.name.clone(),
            role,
            host,
            parent,
        });
    }
    // EVH parents collect certificate refs and the hoisted SSL profile from
    // their children (`manipulateEvhNodeForSSL`); children in host order, the
    // last one decides the profile (spec §8 item 3).
    let mut evh_parent_certs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut evh_parent_profile: BTreeMap<(String, String), (ProcessKey, Option<String>)> =
        BTreeMap::new();
    let mut profile_candidates: BTreeMap<(String, String), Vec<ProfileCandidate>> = BTreeMap::new();
    let mut drop_certs: Vec<(String, String)> = Vec::new();
    let mut static_ips: Vec<(String, String, String, String)> = Vec::new();
    let mut alias_spread: Vec<(String, String, Vec<String>, String, String)> = Vec::new();
    let mut overwritten: Vec<(String, String)> = Vec::new();
    let mut child_policy_hosts: Vec<(String, String, Vec<String>, String)> = Vec::new();
    let mut evh_policy_hosts: Vec<(String, String, Vec<String>, String)> = Vec::new();
    let mut double_refs: Vec<(String, String)> = Vec::new();
    for t in &targets {
        let hr = ctx
            .crds
            .host_rule(&t.host)
            .filter(|hr| ctx.tenant_of(hr.obj.namespace()) == t.tenant);
        let evh_bound = matches!(t.role, Role::EvhChild | Role::Dedicated { evh: true });
        let sso = if s.enable_evh && evh_bound {
            ctx.crds
                .sso_rule(&t.host)
                .filter(|r| ctx.tenant_of(r.obj.namespace()) == t.tenant)
        } else {
            None
        };
        let mut provenance: Vec<(String, String)> = Vec::new();
        let Some(vs) = out.get_mut(AviType::Virtualservice, &t.tenant, &t.name) else {
            continue;
        };
        let mut evh_certs: Vec<String> = Vec::new();
        let mut evh_profile: Option<String> = None;
        let mut l7_keys: Vec<&'static str> = Vec::new();
        let mut l7_name = String::new();
        if let Some(hr) = hr {
            let hr_src = describe("HostRule", hr.obj.namespace(), hr.obj.name());
            vs.sources
                .insert(source("HostRule", hr.obj.namespace(), hr.obj.name()));
            let vh = &hr.obj.spec.virtualhost;
            let mut c = common_from_host_rule(vh);
            let mut l7_fields = Vec::new();
            if s.enable_evh
                && !vh.l7_rule.is_empty()
                && let Some(l7) = ctx
                    .crds
                    .l7_rule(hr.obj.namespace(), &vh.l7_rule)
                    .filter(|l| ctx.tenant_of(l.obj.namespace()) == t.tenant)
            {
                fill_from_l7_rule(&mut c, &l7.obj);
                l7_fields = l7_generated(&l7.obj, t.role);
                l7_keys = l7_fields.iter().map(|(k, _)| *k).collect();
                l7_name = describe("L7Rule", l7.obj.namespace(), l7.obj.name());
                // `BuildL7Rule` (`internal/nodes/crd_translator.go`): on a VS
                // that is neither dedicated nor shared (an EVH child) the
                // parent-only fields are dropped (`ConvertL7RuleParentOnlyFieldsToNil`).
                if t.role == Role::EvhChild {
                    let sp = &l7.obj.spec;
                    let parent_only: Vec<&str> = [
                        ("hostNameXlate", sp.host_name_xlate.is_some()),
                        ("performanceLimits", sp.performance_limits.is_some()),
                        ("securityPolicyRef", sp.security_policy_ref.is_some()),
                    ]
                    .into_iter()
                    .filter_map(|(k, set)| set.then_some(k))
                    .collect();
                    if !parent_only.is_empty() {
                        double_refs.push((
                            l7_name.clone(),
                            format!(
                                "spec.{} has no effect: AKO applies these L7Rule fields only to a shared or dedicated virtual service, and {hr_src} binds it to the EVH child {} of host {} (ConvertL7RuleParentOnlyFieldsToNil); bind the L7Rule through a HostRule on the shared VS's FQDN or use a dedicated VS",
                                parent_only.join(", spec."),
                                t.name,
                                t.host
                            ),
                        ));
                    }
                }
                vs.sources
                    .insert(source("L7Rule", l7.obj.namespace(), l7.obj.name()));
                let l7_src = describe("L7Rule", l7.obj.namespace(), l7.obj.name());
                for (k, _) in &l7_fields {
                    provenance.push((k.to_string(), l7_src.clone()));
                }
            }
            let b = &mut vs.body;
            let mut hf: Vec<String> = Vec::new();
            // TLS certificates of type ref replace AKO's host certificate.
            let cert = &vh.tls.ssl_key_certificate;
            let mut refs = Vec::new();
            for (kind, name) in [
                (cert.kind.as_str(), cert.name.as_str()),
                (
                    cert.alternate_certificate.kind.as_str(),
                    cert.alternate_certificate.name.as_str(),
                ),
            ] {
                if kind == CERT_REF && !name.is_empty() {
                    refs.push(api_ref("sslkeyandcertificate", name));
                }
            }
            let evh_parent = t.role == Role::Parent { evh: true };
            match t.role {
                Role::EvhChild => {
                    if !refs.is_empty() {
                        evh_certs = refs.clone();
                    }
                    evh_profile = (!vh.tls.ssl_profile.is_empty())
                        .then(|| api_ref("sslprofile", &vh.tls.ssl_profile));
                }
                Role::Parent { .. } => {
                    if !refs.is_empty() {
                        let mut cur = strings(b, "ssl_key_and_certificate_refs");
                        cur.extend(refs.iter().cloned());
                        set(b, "ssl_key_and_certificate_refs", json!(cur), &mut hf);
                    }
                    if !vh.tls.ssl_profile.is_empty() {
                        set(
                            b,
                            "ssl_profile_ref",
                            json!(api_ref("sslprofile", &vh.tls.ssl_profile)),
                            &mut hf,
                        );
                    }
                }
                _ => {
                    if !refs.is_empty() {
                        for old in strings(b, "ssl_key_and_certificate_refs") {
                            if let Some(n) = ref_name(&old) {
                                drop_certs.push((t.tenant.clone(), n.to_string()));
                            }
                        }
                        set(b, "ssl_key_and_certificate_refs", json!(refs), &mut hf);
                    }
                    if !vh.tls.ssl_profile.is_empty() {
                        set(
                            b,
                            "ssl_profile_ref",
                            json!(api_ref("sslprofile", &vh.tls.ssl_profile)),
                            &mut hf,
                        );
                    }
                }
            }
            if let Some(w) = &c.waf
                && !evh_parent
            {
                set(b, "waf_policy_ref", json!(w), &mut hf);
            }
            if let Some(a) = &c.app_profile {
                set(b, "application_profile_ref", json!(a), &mut hf);
            }
            if let Some(a) = &c.analytics_profile
                && !evh_parent
            {
                set(b, "analytics_profile_ref", json!(a), &mut hf);
            }
            if let Some(e) = &c.error_page {
                set(b, "error_page_profile_ref", json!(e), &mut hf);
            }
            if !c.icap.is_empty() {
                set(b, "icap_request_profile_refs", json!(c.icap), &mut hf);
            }
            if let Some(a) = &c.analytics_policy {
                set(b, "analytics_policy", a.clone(), &mut hf);
            }
            // HTTP policy sets: AKO's first (index 11..), the CRD ones after a gap of 5.
            if c.overwrite || !c.policy_sets.is_empty() {
                let mut pols: Vec<Value> = if c.overwrite {
                    // AKO empties the VS's policy nodes: their objects are not built.
                    for n in strings_at(b, "http_policies", "http_policy_set_ref") {
                        if let Some(n) = ref_name(&n) {
                            overwritten.push((t.tenant.clone(), n.to_string()));
                        }
                    }
                    Vec::new()
                } else {
                    b.get("http_policies")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                };
                let base = pols.len() + 11 + 5;
                for (i, p) in c.policy_sets.iter().enumerate() {
                    pols.push(json!({"http_policy_set_ref": p, "index": base + i}));
                }
                if pols.is_empty() {
                    remove(b, "http_policies");
                } else {
                    b["http_policies"] = Value::Array(pols);
                }
                hf.push("http_policies".into());
            }
            // Datascripts from the rule (replacing the shared VS datascript on a parent).
            let mut ds: Vec<String> = Vec::new();
            for d in &vh.datascripts {
                let r = api_ref("vsdatascriptset", d);
                if !ds.contains(&r) {
                    ds.push(r);
                }
            }
            if !ds.is_empty() {
                let v: Vec<Value> = ds
                    .iter()
                    .enumerate()
                    .map(|(i, r)| json!({"index": i, "vs_datascript_set_ref": r}))
                    .collect();
                set(b, "vs_datascripts", Value::Array(v), &mut hf);
            }
            let parent_or_dedicated =
                matches!(t.role, Role::Parent { .. } | Role::Dedicated { .. });
            if parent_or_dedicated {
                if let Some(tcp) = &vh.tcp_settings
                    && !tcp.listeners.is_empty()
                {
                    let sni = !matches!(
                        t.role,
                        Role::Parent { evh: true } | Role::Dedicated { evh: true }
                    );
                    let svcs: Vec<Value> = tcp
                            .listeners
                            .iter()
                            .map(|l| {
                                let mut m = json!({"enable_http2": false, "enable_ssl": l.enable_ssl, "port": l.port});
                                if sni {
                                    m["port_range_end"] = json!(l.port);
                                }
                                m
                            })
                            .collect();
                    set(b, "services", Value::Array(svcs), &mut hf);
                }
                if !vh.network_security_policy.is_empty() {
                    set(
                        b,
                        "network_security_policy_ref",
                        json!(api_ref(
                            "networksecuritypolicy",
                            &vh.network_security_policy
                        )),
                        &mut hf,
                    );
                }
            } else {
                // `BuildL7HostRule`: tcpSettings and networkSecurityPolicy go
                // on shared and dedicated VSes only; on a child they are
                // dropped (the latter with AKO's "Configuration is ignored").
                let ignored: Vec<&str> = [
                    ("tcpSettings", vh.tcp_settings.is_some()),
                    (
                        "networkSecurityPolicy",
                        !vh.network_security_policy.is_empty(),
                    ),
                ]
                .into_iter()
                .filter_map(|(k, set)| set.then_some(k))
                .collect();
                if !ignored.is_empty() {
                    let kind = if t.role == Role::EvhChild {
                        "EVH"
                    } else {
                        "SNI"
                    };
                    double_refs.push((
                        hr_src.clone(),
                        format!(
                            "spec.virtualhost.{} has no effect: AKO applies it only to a shared or dedicated virtual service, and host {} is the {kind} child {} (BuildL7HostRule); bind it to the shared VS's FQDN or use a dedicated VS",
                            ignored.join(", spec.virtualhost."),
                            t.host,
                            t.name
                        ),
                    ));
                }
            }
            if let Some(e) = vh.enable_virtual_host
                && !evh_parent
            {
                set(b, "enabled", json!(e), &mut hf);
            }
            // Aliases (and a GSLB fqdn on secure hosts; in EVH mode on every
            // child) extend the child's domains. EVH: `avi_model_evh_nodes.go`
            // builds the child's domains as [host, gslb] for secure and
            // insecure hosts alike, and `BuildL7HostRule` appends the aliases.
            let mut extra: Vec<String> = Vec::new();
            if !vh.gslb.fqdn.is_empty()
                && (matches!(t.role, Role::EvhChild | Role::Dedicated { evh: true })
                    || has_ssl_certs(b))
                && vh.gslb.fqdn != t.host
            {
                extra.push(vh.gslb.fqdn.clone());
            }
            extra.extend(vh.aliases.iter().flatten().cloned());
            if !extra.is_empty() && !matches!(t.role, Role::Parent { .. }) {
                match t.role {
                    Role::SniChild => {
                        let mut d = strings(b, "vh_domain_name");
                        for e in &extra {
                            if !d.contains(e) {
                                d.push(e.clone());
                            }
                        }
                        set(b, "vh_domain_name", json!(d), &mut hf);
                    }
                    Role::EvhChild => {
                        let mut m = b
                            .get("vh_matches")
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default();
                        let rules = m
                            .first()
                            .and_then(|x| x.get("rules"))
                            .cloned()
                            .unwrap_or(json!([]));
                        for e in &extra {
                            if !m
                                .iter()
                                .any(|x| x.get("host").and_then(Value::as_str) == Some(e))
                            {
                                m.push(json!({"host": e, "rules": rules}));
                            }
                        }
                        set(b, "vh_matches", Value::Array(m), &mut hf);
                    }
                    _ => {}
                }
                add_marker_hosts(b, &extra);
                if matches!(t.role, Role::SniChild | Role::Dedicated { evh: false }) {
                    let vip_vs = match t.role {
                        Role::SniChild => t.parent.clone(),
                        _ => Some(t.name.clone()),
                    };
                    if let Some(v) = vip_vs {
                        let mut domains = strings(b, "vh_domain_name");
                        if domains.is_empty() {
                            domains.push(t.host.clone());
                        }
                        for e in &extra {
                            if !domains.contains(e) {
                                domains.push(e.clone());
                            }
                        }
                        child_policy_hosts.push((
                            t.tenant.clone(),
                            t.name.clone(),
                            domains.clone(),
                            hr_src.clone(),
                        ));
                        alias_spread.push((
                            t.tenant.clone(),
                            v,
                            domains,
                            vh.gslb.fqdn.clone(),
                            hr_src.clone(),
                        ));
                    }
                } else if matches!(t.role, Role::EvhChild | Role::Dedicated { evh: true }) {
                    // `AddFQDNsToModel` on the parent's VIP (all but the GSLB
                    // FQDN) and `AddFQDNAliasesToHTTPPolicy` on the child's
                    // own policy sets (redirect hosts and Host markers, in
                    // domain order).
                    let mut domains = vec![t.host.clone()];
                    for e in &extra {
                        if !domains.contains(e) {
                            domains.push(e.clone());
                        }
                    }
                    evh_policy_hosts.push((
                        t.tenant.clone(),
                        t.name.clone(),
                        domains.clone(),
                        hr_src.clone(),
                    ));
                    // The VIP is the parent's, or a dedicated VS's own.
                    let vip_vs = t.parent.clone().unwrap_or_else(|| t.name.clone());
                    alias_spread.push((
                        t.tenant.clone(),
                        vip_vs,
                        domains,
                        vh.gslb.fqdn.clone(),
                        hr_src.clone(),
                    ));
                }
            }
            if let Some(tcp) = &vh.tcp_settings
                && parent_or_dedicated
                && !tcp.load_balancer_ip.is_empty()
            {
                static_ips.push((
                    t.tenant.clone(),
                    t.name.clone(),
                    tcp.load_balancer_ip.clone(),
                    hr_src.clone(),
                ));
            }
            for (k, v) in l7_fields {
                b[k] = v;
            }
            set_crd_status(b, "HostRule", &hr.obj.ns_name(), "ACTIVE");
            hf.push("service_metadata".into());
            for f in hf {
                provenance.push((f, hr_src.clone()));
            }
        }
        // EVH children and dedicated EVH: the SSORule pass runs after the HostRule
        // pass and overwrites crd_status (no SSORule: an earlier status turns INACTIVE).
        if s.enable_evh && evh_bound {
            let b = &mut vs.body;
            match sso {
                Some(r) => {
                    let src = describe("SSORule", r.obj.namespace(), r.obj.name());
                    for (k, v) in sso_fields(ctx, &r.obj) {
                        b[k] = v;
                        provenance.push((k.to_string(), src.clone()));
                    }
                    set_crd_status(b, "SSORule", &r.obj.ns_name(), "ACTIVE");
                    vs.sources
                        .insert(source("SSORule", r.obj.namespace(), r.obj.name()));
                    // `BuildL7SSORule` runs `ConvertToRef` over every generated
                    // field again: the L7Rule refs it already converted
                    // (`BuildL7Rule`) get the `/api/<type>?name=` prefix twice.
                    for (k, kind) in DOUBLE_CONVERTED {
                        if !l7_keys.contains(&k) {
                            continue;
                        }
                        let Some(name) = b
                            .get(k)
                            .and_then(Value::as_str)
                            .and_then(ref_name)
                            .map(str::to_string)
                        else {
                            continue;
                        };
                        b[k] = json!(format!("/api/{kind}?name=/api/{kind}?name={name}"));
                        double_refs.push((
                            l7_name.clone(),
                            format!(
                                "host {}: {k} is sent as /api/{kind}?name=/api/{kind}?name={name}, as AKO sends it: with SSORule {} on the same host AKO converts the L7Rule's refs twice (BuildL7Rule, then BuildL7SSORule); the controller will not resolve that ref",
                                t.host,
                                r.obj.ns_name()
                            ),
                        ));
                    }
                }
                None => {
                    if let Some((ty, val, _)) = crd_status(b).filter(|(_, v, _)| !v.is_empty()) {
                        set_crd_status(b, &ty, &val, "INACTIVE");
                    }
                }
            }
        }
        if t.role == Role::EvhChild
            && let Some(p) = &t.parent
        {
            let k = (t.tenant.clone(), p.clone());
            evh_parent_certs
                .entry(k.clone())
                .or_default()
                .extend(evh_certs.iter().cloned());
            if !evh_certs.is_empty() {
                // The host's own AKO certificate is not built.
                drop_certs.push((
                    t.tenant.clone(),
                    // `table::SNI_VS` without an infra setting.
                    crate::compile::common::name_of(
                        s,
                        &crate::names::table::SNI_VS,
                        &[("host", &t.host)],
                    ),
                ));
            }
            // The child built last decides: the one whose Ingress or Route
            // AKO's full sync processes last (`FullSyncK8s`: Ingresses, then
            // Routes, each sorted by `IngressLessthan` / `RouteLessthan`),
            // host order between hosts of one object.
            let key = (last_processed(ctx, out, t), t.host.clone());
            profile_candidates
                .entry(k.clone())
                .or_default()
                .push((key.clone(), evh_profile.clone()));
            let later = evh_parent_profile.get(&k).is_none_or(|(h, _)| key >= *h);
            if later {
                evh_parent_profile.insert(k, (key, evh_profile.clone()));
            }
        }
        for (field, src) in provenance {
            if src.is_empty() {
                continue;
            }
            out.record(FieldProvenance {
                kind: AviType::Virtualservice,
                tenant: t.tenant.clone(),
                name: t.name.clone(),
                field,
                source: src,
            });
        }
    }
    // The hosts of one Ingress are built in Go map order (`evhNodeHostName`
    // ranges over `tlssetting.Hosts`): when the last object processed puts
    // several hosts with different SSL profiles on one parent, AKO's pick is
    // not determined.
    for ((_, parent), cands) in &profile_candidates {
        let Some(last) = cands.iter().map(|(k, _)| &k.0).max() else {
            continue;
        };
        let mut tied: Vec<&ProfileCandidate> = cands.iter().filter(|(k, _)| &k.0 == last).collect();
        tied.sort_by(|a, b| a.0.cmp(&b.0));
        if tied.iter().all(|(_, p)| *p == tied[0].1) {
            continue;
        }
        let list: Vec<String> = tied
            .iter()
            .map(|(k, p)| {
                format!(
                    "{} ({})",
                    k.1,
                    p.as_deref().and_then(ref_name).unwrap_or("no SSL profile")
                )
            })
            .collect();
        let (chosen, profile) = &tied[tied.len() - 1];
        out.diag(
            crate::model::Severity::Warning,
            Some(format!("virtualservice {parent}")),
            format!(
                "hosts {} of one Ingress or Route set different SSL profiles on this EVH parent; AKO builds them in Go map order, so which one it keeps is not determined; akoctl takes the last host by name, {} ({})",
                list.join(", "),
                chosen.1,
                profile.as_deref().and_then(ref_name).unwrap_or("no SSL profile")
            ),
        );
    }
    for (what, msg) in double_refs {
        out.diag(crate::model::Severity::Warning, Some(what), msg);
    }
    // EVH parents: HostRule ref certificates of the children first, then AKO's own.
    for ((tenant, parent), certs) in evh_parent_certs {
        let Some(vs) = out.get_mut(AviType::Virtualservice, &tenant, &parent) else {
            continue;
        };
        let b = &mut vs.body;
        let mut list: Vec<String> = Vec::new();
        for c in certs {
            if !list.contains(&c) {
                list.push(c);
            }
        }
        for c in strings(b, "ssl_key_and_certificate_refs") {
            let dropped = ref_name(&c)
                .is_some_and(|n| drop_certs.iter().any(|(t, d)| *t == tenant && d == n));
            if !dropped && !list.contains(&c) {
                list.push(c);
            }
        }
        if list.is_empty() {
            remove(b, "ssl_key_and_certificate_refs");
        } else {
            b["ssl_key_and_certificate_refs"] = json!(list);
        }
        if let Some((_, profile)) = evh_parent_profile.get(&(tenant.clone(), parent.clone())) {
            match profile {
                Some(p) => b["ssl_profile_ref"] = json!(p),
                None => remove(b, "ssl_profile_ref"),
            }
        }
    }
    // Policy sets an `httpPolicy.overwrite` dropped, unless another VS uses them.
    // The (tenant, name) of every policy set some VS refers to, gathered once.
    let used_sets: HashSet<(String, String)> = if overwritten.is_empty() {
        HashSet::new()
    } else {
        vs_refs(out, |b| {
            strings_at(b, "http_policies", "http_policy_set_ref")
        })
    };
    for (tenant, name) in overwritten {
        if !used_sets.contains(&(tenant.clone(), name.clone())) {
            out.remove(AviType::Httppolicyset, &tenant, &name);
        }
    }
    // The child's own policy sets carry every domain in their Host marker.
    for (tenant, vs_name, hosts, src) in child_policy_hosts {
        let policies = policy_set_names(out, &tenant, &vs_name);
        for p in policies {
            let Some(ps) = out.get_mut(AviType::Httppolicyset, &tenant, &p) else {
                continue;
            };
            if marker(&ps.body, "Host").is_empty() {
                continue;
            }
            if let Some(markers) = ps.body.get_mut("markers").and_then(Value::as_array_mut) {
                for m in markers.iter_mut() {
                    if m.get("key").and_then(Value::as_str) == Some("Host") {
                        m["values"] = json!(hosts);
                    }
                }
            }
            out.record(FieldProvenance {
                kind: AviType::Httppolicyset,
                tenant: tenant.clone(),
                name: p,
                field: "markers".into(),
                source: src.clone(),
            });
        }
    }
    for (tenant, vs_name, hosts, gslb, src) in alias_spread {
        spread_aliases(out, &tenant, &vs_name, &hosts, &gslb, &src);
    }
    // After `spread_aliases`: an EVH VS's own redirect hosts keep domain order.
    for (tenant, vs_name, hosts, src) in evh_policy_hosts {
        set_evh_policy_hosts(out, &tenant, &vs_name, &hosts, &src);
    }
    // `tcpSettings.loadBalancerIP`: static VIP on the VS's VSVIP (same name).
    for (tenant, name, ip, src) in static_ips {
        if let Some(vip) = out.get_mut(AviType::Vsvip, &tenant, &name)
            && let Some(v0) = vip
                .body
                .get_mut("vip")
                .and_then(Value::as_array_mut)
                .and_then(|v| v.first_mut())
        {
            v0["ip_address"] = json!({"addr": ip, "type": "V4"});
            out.record(FieldProvenance {
                kind: AviType::Vsvip,
                tenant,
                name,
                field: "vip".into(),
                source: src,
            });
        }
    }
    // AKO does not build the host certificates a HostRule replaced.
    let used_certs: HashSet<(String, String)> = if drop_certs.is_empty() {
        HashSet::new()
    } else {
        vs_refs(out, |b| strings(b, "ssl_key_and_certificate_refs"))
    };
    for (tenant, name) in drop_certs {
        if !used_certs.contains(&(tenant.clone(), name.clone())) {
            out.remove(AviType::Sslkeyandcertificate, &tenant, &name);
        }
    }
}

fn has_ssl_certs(b: &Value) -> bool {
    !strings(b, "ssl_key_and_certificate_refs").is_empty()
}

fn add_marker_hosts(b: &mut Value, extra: &[String]) {
    let Some(markers) = b.get_mut("markers").and_then(Value::as_array_mut) else {
        return;
    };
    for m in markers.iter_mut() {
        if m.get("key").and_then(Value::as_str) == Some("Host")
            && let Some(vals) = m.get_mut("values").and_then(Value::as_array_mut)
        {
            for e in extra {
                if !vals.iter().any(|v| v.as_str() == Some(e)) {
                    vals.push(json!(e));
                }
            }
        }
    }
}

/// SSORule fields on the VS (`BuildL7SSORule`): the spec copied by field
/// name, refs expanded, secrets resolved from the SSORule namespace.
fn sso_fields(ctx: &Context, r: &SsoRule) -> Vec<(&'static str, Value)> {
    let s = &r.spec;
    let ns = r.namespace();
    let secret = |name: &str, key: &str| -> Option<String> {
        let sec = ctx.secrets.get(&(ns.to_string(), name.to_string()))?;
        sec.obj
            .string_data
            .as_ref()
            .and_then(|d| d.get(key).cloned())
            .or_else(|| {
                sec.obj
                    .data
                    .as_ref()
                    .and_then(|d| d.get(key))
                    .map(|b| String::from_utf8_lossy(&b.0).into_owned())
            })
    };
    // OAuth secrets are printed like private keys: a fingerprint unless
    // `--show-secrets` (the push to a controller compiles with it).
    let hidden = |v: String| crate::compile::ingress::sni::key_text(ctx.settings, v.as_bytes());
    let mut v: Vec<(&'static str, Value)> = Vec::new();
    if let Some(p) = &s.sso_policy_ref {
        v.push(("sso_policy_ref", json!(api_ref("ssopolicy", p))));
    }
    if let Some(o) = &s.oauth_vs_config {
        let mut m = Map::new();
        let mut opt = |k: &str, x: Option<Value>| {
            if let Some(x) = x {
                m.insert(k.into(), x);
            }
        };
        opt("cookie_name", o.cookie_name.as_ref().map(|x| json!(x)));
        opt("cookie_timeout", o.cookie_timeout.map(|x| json!(x)));
        opt("logout_uri", o.logout_uri.as_ref().map(|x| json!(x)));
        opt(
            "post_logout_redirect_uri",
            o.post_logout_redirect_uri.as_ref().map(|x| json!(x)),
        );
        opt("redirect_uri", o.redirect_uri.as_ref().map(|x| json!(x)));
        let settings: Vec<Value> = o
            .oauth_settings
            .iter()
            .map(|st| {
                let mut sm = Map::new();
                if let Some(a) = &st.auth_profile_ref {
                    sm.insert("auth_profile_ref".into(), json!(api_ref("authprofile", a)));
                }
                if let Some(app) = &st.app_settings {
                    let mut am = Map::new();
                    if let Some(c) = &app.client_id {
                        am.insert("client_id".into(), json!(c));
                    }
                    if let Some(c) = &app.client_secret {
                        am.insert(
                            "client_secret".into(),
                            json!(hidden(secret(c, "clientSecret").unwrap_or_default())),
                        );
                    }
                    if let Some(oc) = &app.oidc_config {
                        let mut om = Map::new();
                        for (k, x) in [
                            ("oidc_enable", oc.oidc_enable),
                            ("profile", oc.profile),
                            ("userinfo", oc.userinfo),
                        ] {
                            if let Some(x) = x {
                                om.insert(k.into(), json!(x));
                            }
                        }
                        am.insert("oidc_config".into(), Value::Object(om));
                    }
                    if !app.scopes.is_empty() {
                        am.insert("scopes".into(), json!(app.scopes));
                    }
                    sm.insert("app_settings".into(), Value::Object(am));
                }
                if let Some(rs) = &st.resource_server {
                    let mut rm = Map::new();
                    if let Some(a) = &rs.access_type {
                        rm.insert("access_type".into(), json!(a));
                    }
                    if let Some(op) = &rs.opaque_token_params {
                        if let Some(t) = rs.introspection_data_timeout {
                            rm.insert("introspection_data_timeout".into(), json!(t));
                        }
                        let mut pm = Map::new();
                        if let Some(id) = &op.server_id {
                            pm.insert("server_id".into(), json!(id));
                        }
                        if let Some(sname) = &op.server_secret {
                            pm.insert(
                                "server_secret".into(),
                                json!(hidden(secret(sname, "serverSecret").unwrap_or_default())),
                            );
                        }
                        rm.insert("opaque_token_params".into(), Value::Object(pm));
                    }
                    if let Some(j) = &rs.jwt_params {
                        let mut jm = Map::new();
                        if let Some(a) = &j.audience {
                            jm.insert("audience".into(), json!(a));
                        }
                        rm.insert("jwt_params".into(), Value::Object(jm));
                    }
                    sm.insert("resource_server".into(), Value::Object(rm));
                }
                Value::Object(sm)
            })
            .collect();
        if !settings.is_empty() {
            m.insert("oauth_settings".into(), Value::Array(settings));
        }
        v.push(("oauth_vs_config", Value::Object(m)));
    }
    if let Some(saml) = &s.saml_sp_config {
        let mut m = Map::new();
        let index = saml.authn_req_acs_type.as_deref() == Some("SAML_AUTHN_REQ_ACS_TYPE_INDEX");
        if index && let Some(i) = saml.acs_index {
            m.insert("acs_index".into(), json!(i));
        }
        if let Some(x) = &saml.authn_req_acs_type {
            m.insert("authn_req_acs_type".into(), json!(x));
        }
        if let Some(x) = &saml.cookie_name {
            m.insert("cookie_name".into(), json!(x));
        }
        if let Some(x) = saml.cookie_timeout {
            m.insert("cookie_timeout".into(), json!(x));
        }
        if let Some(x) = &saml.entity_id {
            m.insert("entity_id".into(), json!(x));
        }
        if let Some(x) = &saml.signing_ssl_key_and_certificate_ref {
            m.insert(
                "signing_ssl_key_and_certificate_ref".into(),
                json!(api_ref("sslkeyandcertificate", x)),
            );
        }
        if let Some(x) = &saml.single_signon_url {
            m.insert("single_signon_url".into(), json!(x));
        }
        if let Some(x) = saml.use_idp_session_timeout {
            m.insert("use_idp_session_timeout".into(), json!(x));
        }
        v.push(("saml_sp_config", Value::Object(m)));
    }
    v
}

/// HostRule `gslb.fqdn` on an insecure host of a shared SNI virtual service
/// (§2.2.4): a policy set `<shard>--host-hdr-re-write--<host>` that rewrites
/// the Host header from the GSLB FQDN to the local host. AKO:
/// `internal/nodes/avi_model_l7_translator.go` `BuildHeaderRewrite`,
/// `internal/lib/lib.go` `GetHeaderRewritePolicy`, REST
/// `internal/rest/avi_obj_httpps.go` `AviHttpPSBuild` (`HeaderReWrite`).
/// The HostRule is found as at parse time (`findHostRuleMappingForFqdn`: any
/// non-Rejected rule, no tenant check). The policy sets follow AKO's own
/// policies on the VS, in host order.
pub fn apply_gslb_rewrites(ctx: &Context, out: &mut Out) {
    if !ctx.crds.any_host_rule() {
        return;
    }
    let s = ctx.settings;
    // (tenant, shard VS, [(host, GSLB FQDN, HostRule)])
    type Found = Vec<(String, String, String)>;
    let mut work: Vec<(String, String, Found)> = Vec::new();
    for o in out.iter_kind(AviType::Virtualservice) {
        if role(&o.name, &o.body) != Some(Role::Parent { evh: false }) {
            continue;
        }
        // Insecure hosts of the shard: the priority labels of its pool group.
        let mut hosts: Vec<String> = out
            .get(AviType::Poolgroup, &o.tenant, &o.name)
            .as_deref()
            .and_then(|pg| pg.body.get("members"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| m.get("priority_label").and_then(Value::as_str))
            .map(|l| l.split('/').next().unwrap_or(l).to_string())
            .collect();
        hosts.sort();
        hosts.dedup();
        let mut found = Vec::new();
        for h in hosts {
            if let Some(hr) = ctx.crds.host_rule(&h) {
                let g = &hr.obj.spec.virtualhost.gslb.fqdn;
                if !g.is_empty() {
                    let src = describe("HostRule", hr.obj.namespace(), hr.obj.name());
                    found.push((h, g.clone(), src));
                }
            }
        }
        if !found.is_empty() {
            work.push((o.tenant.clone(), o.name.clone(), found));
        }
    }
    for (tenant, vs_name, found) in work {
        let mut names = Vec::new();
        for (host, gslb, src) in &found {
            let name = crate::names::format(
                &crate::names::table::HEADER_REWRITE,
                &[("vs", &vs_name), ("host", host)],
                false,
            );
            let body = json!({
                "name": name,
                "tenant_ref": crate::compile::common::tenant_ref(&tenant),
                "created_by": s.created_by(),
                "http_request_policy": {"rules": [{
                    "index": 0,
                    "enable": true,
                    "name": format!("{name}-0"),
                    "match": {"host_hdr": {"match_criteria": "HDR_EQUALS", "value": [gslb]}},
                    "hdr_action": [{
                        "action": "HTTP_REPLACE_HDR",
                        "hdr": {"name": "Host", "value": {"val": host}},
                    }],
                }]},
                "http_security_policy": {},
                "markers": crate::compile::common::cluster_markers(s),
            });
            let (ns, hr_name) = src
                .split_once(' ')
                .and_then(|(_, n)| n.split_once('/'))
                .unwrap_or(("", ""));
            out.emit(
                AviType::Httppolicyset,
                &tenant,
                &name,
                [source("HostRule", ns, hr_name)],
                body,
            );
            out.record(FieldProvenance {
                kind: AviType::Httppolicyset,
                tenant: tenant.clone(),
                name: name.clone(),
                field: "http_request_policy".into(),
                source: src.clone(),
            });
            names.push((name, src.clone()));
        }
        let Some(vs) = out.get_mut(AviType::Virtualservice, &tenant, &vs_name) else {
            continue;
        };
        let mut pols = vs
            .body
            .get("http_policies")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let next = pols
            .iter()
            .filter_map(|p| p.get("index").and_then(Value::as_i64))
            .max()
            .map_or(11, |m| m + 1);
        for (i, (n, _)) in names.iter().enumerate() {
            pols.push(json!({"index": next + i as i64, "http_policy_set_ref": api_ref("httppolicyset", n)}));
        }
        vs.body["http_policies"] = Value::Array(pols);
        for (_, src) in names {
            out.record(FieldProvenance {
                kind: AviType::Virtualservice,
                tenant: tenant.clone(),
                name: vs_name.clone(),
                field: "http_policies".into(),
                source: src,
            });
        }
    }
}

/// The domains of an SNI child or dedicated VS (host, aliases, GSLB FQDN) on
/// the VS that owns the VIP (AKO: `internal/nodes/avi_model_nodes.go`
/// `AddFQDNsToModel`, `AddFQDNAliasesToHTTPPolicy`): every domain except the
/// GSLB FQDN joins the VSVIP FQDNs, and all of them join the host lists of the
/// 80 -> 443 redirect rules (not the application-root redirects).
fn spread_aliases(
    out: &mut Out,
    tenant: &str,
    vs_name: &str,
    hosts: &[String],
    gslb: &str,
    src: &str,
) {
    if let Some(vip) = out.get_mut(AviType::Vsvip, tenant, vs_name) {
        let mut dns = vip
            .body
            .get("dns_info")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let before = dns.len();
        for h in hosts.iter().filter(|h| h.as_str() != gslb) {
            if !dns
                .iter()
                .any(|d| d.get("fqdn").and_then(Value::as_str) == Some(h))
            {
                dns.push(json!({"fqdn": h}));
            }
        }
        if dns.len() != before {
            vip.body["dns_info"] = Value::Array(dns);
            out.record(FieldProvenance {
                kind: AviType::Vsvip,
                tenant: tenant.to_string(),
                name: vs_name.to_string(),
                field: "dns_info".into(),
                source: src.to_string(),
            });
        }
    }
    for p in policy_set_names(out, tenant, vs_name) {
        let Some(ps) = out.get_mut(AviType::Httppolicyset, tenant, &p) else {
            continue;
        };
        let mut changed = false;
        if let Some(rules) = ps
            .body
            .pointer_mut("/http_request_policy/rules")
            .and_then(Value::as_array_mut)
        {
            for r in rules.iter_mut() {
                if r.get("redirect_action").is_none()
                    || r.pointer("/redirect_action/path").is_some()
                {
                    continue;
                }
                let Some(vals) = r
                    .pointer_mut("/match/host_hdr/value")
                    .and_then(Value::as_array_mut)
                else {
                    continue;
                };
                let mut hs: Vec<String> = vals
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                if !hosts.iter().any(|h| hs.contains(h)) {
                    continue;
                }
                for h in hosts {
                    if !hs.contains(h) {
                        hs.push(h.clone());
                        changed = true;
                    }
                }
                hs.sort();
                *vals = hs.into_iter().map(Value::String).collect();
            }
        }
        if changed {
            out.record(FieldProvenance {
                kind: AviType::Httppolicyset,
                tenant: tenant.to_string(),
                name: p,
                field: "http_request_policy".into(),
                source: src.to_string(),
            });
        }
    }
}

/// The domains of an EVH child (host, GSLB FQDN, aliases) on its own policy
/// sets: the host list of every 80 -> 443 redirect rule (not the
/// application-root redirects) and the `Host` markers (AKO:
/// `internal/nodes/avi_model_evh_nodes.go` `AddFQDNAliasesToHTTPPolicy`).
fn set_evh_policy_hosts(out: &mut Out, tenant: &str, vs_name: &str, hosts: &[String], src: &str) {
    for p in policy_set_names(out, tenant, vs_name) {
        let Some(ps) = out.get_mut(AviType::Httppolicyset, tenant, &p) else {
            continue;
        };
        let mut fields = Vec::new();
        if let Some(rules) = ps
            .body
            .pointer_mut("/http_request_policy/rules")
            .and_then(Value::as_array_mut)
        {
            for r in rules.iter_mut() {
                if r.get("redirect_action").is_none()
                    || r.pointer("/redirect_action/path").is_some()
                {
                    continue;
                }
                if let Some(vals) = r.pointer_mut("/match/host_hdr/value") {
                    *vals = json!(hosts);
                    fields.push("http_request_policy");
                }
            }
        }
        if let Some(markers) = ps.body.get_mut("markers").and_then(Value::as_array_mut) {
            for m in markers.iter_mut() {
                if m.get("key").and_then(Value::as_str) == Some("Host") {
                    m["values"] = json!(hosts);
                    fields.push("markers");
                }
            }
        }
        fields.dedup();
        for f in fields {
            out.record(FieldProvenance {
                kind: AviType::Httppolicyset,
                tenant: tenant.to_string(),
                name: p.clone(),
                field: f.into(),
                source: src.to_string(),
            });
        }
    }
}

/// Names of the policy sets a VS refers to.
fn policy_set_names(out: &Out, tenant: &str, vs_name: &str) -> Vec<String> {
    out.get(AviType::Virtualservice, tenant, vs_name)
        .map(|v| {
            v.body
                .get("http_policies")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| p.get("http_policy_set_ref").and_then(Value::as_str))
                .filter_map(ref_name)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// (tenant, referred name) of the refs `refs` finds in each VS body.
fn vs_refs(out: &Out, refs: impl Fn(&Value) -> Vec<String>) -> HashSet<(String, String)> {
    let mut set = HashSet::new();
    for o in out.iter_kind(AviType::Virtualservice) {
        for r in refs(&o.body) {
            if let Some(n) = ref_name(&r) {
                set.insert((o.tenant.clone(), n.to_string()));
            }
        }
    }
    set
}

/// String values of `field[].key`.
fn strings_at(b: &Value, field: &str, key: &str) -> Vec<String> {
    b.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| x.get(key).and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}
