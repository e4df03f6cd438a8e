//! HTTPRoute rules → EVH child VSes and their HTTP policy sets
//! (translation-extended.md §5.4). AKO: `ako-gateway-api/nodes/route_model.go`
//! `ParseRouteConfig`; `avi_model_l7_translator.go` `ProcessL7Routes`,
//! `BuildChildVS`, `BuildVHMatch`, `BuildHTTPPolicySet` and its
//! `BuildHTTPPolicySet*Rules` helpers; `route_validator.go`
//! `validateBackendReference`; REST `internal/rest/avi_evh_obj.go`
//! `AviVsChildEvhBuild`, `avi_obj_vs.go` `AviVsHttpPSAdd`,
//! `avi_obj_httpps.go` `AviHttpPSBuild`.

use serde_json::{Map, Value, json};

use super::names::{self, Match};
use super::{Attached, Gw, GwModel, extension, persistence, pool};
use crate::compile::common::{Markers, ServiceMetadata, api_ref, cluster_markers, tenant_ref};
use crate::compile::crd::FieldProvenance;
use crate::compile::crd::vs::{Role, l7_generated};
use crate::compile::ingress::sni::child_vs_fields;
use crate::compile::{Out, describe, source};
use crate::kube::gateway::HttpRouteRule;
use crate::model::{AviType, Diagnostic, Severity};

/// A request or response header modifier, each list sorted by name
/// (`sort.Sort(Headers)`, `sort.Strings`).
#[derive(Clone, Debug, Default)]
pub struct HeaderFilter {
    pub add: Vec<(String, String)>,
    pub set: Vec<(String, String)>,
    pub remove: Vec<String>,
}

/// One filter of a rule as AKO models it (`route_model.go` `Filter`).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub request: Option<HeaderFilter>,
    pub response: Option<HeaderFilter>,
    /// (hostname or "", status code).
    pub redirect: Option<(String, i32)>,
    /// (hostname or "", path modifier present, `replaceFullPath` without its leading `/`).
    pub rewrite: Option<(String, Option<String>)>,
}

/// One backendRef that passed `validateBackendReference`.
#[derive(Clone, Debug)]
pub struct Backend {
    pub ns: String,
    pub name: String,
    /// 0 when unset.
    pub port: i32,
    pub weight: i32,
    /// ExtensionRef filters (group, kind, name), in order.
    pub exts: Vec<extension::ExtRef>,
}

/// A rule ExtensionRef that passed `validateFilterExtensionRef`, in filter
/// order (`ApplyRuleExtensionRefs` walks them in that order).
#[derive(Clone, Debug)]
pub enum RuleExt {
    /// An L7Rule of the route's namespace, by name.
    L7Rule(String),
    /// A ready ako-crd-operator ApplicationProfile: its ref and source.
    AppProfile(String, String),
}

/// One rule of an HTTPRoute, parsed.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The rule's index in the route's `spec.rules`.
    pub index: usize,
    /// `rule.name`, or empty.
    pub name: String,
    /// Sorted matches.
    pub matches: Vec<Match>,
    /// The hash input of the names: the rule name, or the Go JSON of the matches.
    pub match_name: String,
    pub filters: Vec<Filter>,
    pub backends: Vec<Backend>,
    /// The rule's L7Rule and ApplicationProfile ExtensionRefs, in order.
    pub exts: Vec<RuleExt>,
    /// `sessionPersistence` of type Cookie.
    pub persistence: Option<persistence::Persistence>,
}

impl Rule {
    /// `httproute_rule_name` / `HTTPRouteRuleName`: the rule name, else the
    /// decimal FNV-1a of the matches JSON.
    pub fn rule_label(&self) -> String {
        if self.name.is_empty() {
            names::suffix(&self.match_name)
        } else {
            self.name.clone()
        }
    }
}

fn header_filter(h: &crate::kube::gateway::HttpHeaderFilter) -> HeaderFilter {
    let pairs = |v: &[crate::kube::gateway::HttpHeader]| {
        let mut p: Vec<(String, String)> = v
            .iter()
            .map(|x| (x.name.clone(), x.value.clone()))
            .collect();
        p.sort_by(|a, b| a.0.cmp(&b.0));
        p
    };
    let mut remove = h.remove.clone();
    remove.sort();
    HeaderFilter {
        add: pairs(&h.add),
        set: pairs(&h.set),
        remove,
    }
}

/// `ParseRouteConfig` for one route: every rule, backends judged
/// (`validateBackendReference`), unsupported pieces reported.
pub fn parse_rules(gw: &Gw, out: &mut Out, a: &Attached, dedicated: bool) -> Vec<Rule> {
    let (rns, rname) = (a.ns().to_string(), a.name().to_string());
    let who = describe("HTTPRoute", &rns, &rname);
    let mut diag = |msg: String| {
        out.push(Diagnostic::new(Severity::Warning, Some(who.clone()), msg).at(&a.route.origin));
    };
    a.route
        .effective_rules()
        .iter()
        .enumerate()
        .map(|(ri, rule)| {
            redirect_warnings(&mut diag, ri, rule, dedicated);
            parse_rule(gw, &mut diag, &rns, ri, rule)
        })
        .collect()
}

/// What a rule's RequestRedirect says that AKO drops: `ParseRouteConfig`
/// (`ako-gateway-api/nodes/route_model.go`) copies only `hostname` and
/// `statusCode`; on a Gateway's child VS `BuildHTTPPolicySetHTTPRequestRedirectRules`
/// (`avi_model_l7_translator.go`) writes protocol HTTP and turns any code but
/// 301, 302 and 307 into 302; in dedicated mode
/// (`avi_model_l7_dedicated_translator.go`) the protocol is left unset.
fn redirect_warnings(
    diag: &mut impl FnMut(String),
    ri: usize,
    rule: &HttpRouteRule,
    dedicated: bool,
) {
    let protocol = if dedicated {
        "the redirect action has no protocol"
    } else {
        "the redirect goes to HTTP"
    };
    for f in &rule.filters {
        let Some(r) = &f.request_redirect else {
            continue;
        };
        let mut dropped = Vec::new();
        if let Some(scheme) = r.scheme.as_deref() {
            dropped.push(format!("scheme {scheme} ({protocol})"));
        }
        if let Some(port) = r.port {
            dropped.push(format!("port {port}"));
        }
        if r.path.is_some() {
            dropped.push("path (the request path is kept)".to_string());
        }
        if !dropped.is_empty() {
            diag(format!(
                "rule #{ri}: RequestRedirect {} ignored by AKO, which reads only hostname and statusCode of a redirect",
                if dropped.len() == 1 {
                    format!("{} is", dropped[0])
                } else {
                    format!("{} are", dropped.join(", "))
                }
            ));
        }
        if let Some(code) = r
            .status_code
            .filter(|c| !dedicated && ![301, 302, 307].contains(c))
        {
            diag(format!(
                "rule #{ri}: RequestRedirect statusCode {code} becomes 302: AKO writes only 301, 302 and 307"
            ));
        }
    }
}

fn parse_rule(
    gw: &Gw,
    diag: &mut impl FnMut(String),
    rns: &str,
    ri: usize,
    rule: &HttpRouteRule,
) -> Rule {
    let mut matches: Vec<Match> = rule
        .effective_matches()
        .iter()
        .map(|m| {
            let (t, v) = m.effective_path();
            Match {
                path: Some((v, t)),
                headers: m
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.effective_type().to_string(),
                            h.name.clone(),
                            h.value.clone(),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    names::sort_matches(&mut matches);
    for m in rule.effective_matches() {
        if m.query_params.is_some() || m.method.is_some() {
            diag(format!(
                "rule #{ri}: queryParams and method matches are not read by AKO"
            ));
        }
    }
    let name = rule.name.clone().unwrap_or_default();
    let match_name = if name.is_empty() {
        names::matches_json(&matches)
    } else {
        name.clone()
    };
    let mut filters = Vec::new();
    let mut exts = Vec::new();
    let mut ext_kinds: Vec<&str> = Vec::new();
    for f in &rule.filters {
        if let Some(e) = &f.extension_ref {
            if e.group == super::AKO_GROUP {
                // `validateHTTPRouteRules`: one object per kind, reported only.
                if ext_kinds.contains(&e.kind.as_str()) {
                    diag(format!(
                        "rule #{ri}: MultipleExtensionRef of same kind defined on HTTPRoute-Rule (ResolvedRefs=False InvalidKind); AKO applies them in order"
                    ));
                }
                ext_kinds.push(&e.kind);
            }
            // `ApplyRuleExtensionRefs` goes by the kind alone, whatever the
            // group (only the validator looks at the group).
            if e.kind == "L7Rule" {
                exts.push(RuleExt::L7Rule(e.name.clone()));
            } else if e.kind == "ApplicationProfile" {
                // `validateFilterExtensionRef` checks the kind whatever the
                // group; an invalid or unready profile drops the filter.
                match extension::application_profile(gw, rns, &e.name) {
                    Ok((r, src)) => exts.push(RuleExt::AppProfile(r, src)),
                    Err(msg) => {
                        diag(format!(
                            "rule #{ri}: {msg}; the child VS keeps its application profile"
                        ));
                        continue;
                    }
                }
            } else if e.group == super::AKO_GROUP {
                // Unsupported kinds were rejected with the route.
            } else {
                diag(format!(
                    "rule #{ri}: ExtensionRef of group {:?} is not handled by AKO",
                    e.group
                ));
            }
        }
        if f.request_mirror.is_some() || f.cors.is_some() {
            diag(format!(
                "rule #{ri}: filter {} is not supported by AKO and has no effect",
                f.type_
            ));
        }
        let rewrite = f.url_rewrite.as_ref().map(|u| {
            let path = u.path.as_ref().and_then(|p| {
                let full = p.replace_full_path.clone();
                if full.is_none() {
                    diag(format!(
                        "rule #{ri}: URLRewrite ReplaceFullPath without replaceFullPath: the path is left unchanged"
                    ));
                }
                full.map(|x| x.strip_prefix('/').map(str::to_string).unwrap_or(x))
            });
            (u.hostname.clone().unwrap_or_default(), path)
        });
        filters.push(Filter {
            request: f.request_header_modifier.as_ref().map(header_filter),
            response: f.response_header_modifier.as_ref().map(header_filter),
            redirect: f.request_redirect.as_ref().map(|r| {
                (
                    r.hostname.clone().unwrap_or_default(),
                    r.status_code.unwrap_or(302),
                )
            }),
            rewrite,
        });
    }
    let persistence = rule.session_persistence.as_ref().and_then(|sp| {
        let mut warns = Vec::new();
        let p = persistence::parse(sp, &mut |w| warns.push(w));
        for w in warns {
            diag(format!("rule #{ri}: {w}"));
        }
        p.map_err(|msg| diag(format!("rule #{ri}: {msg}"))).ok()
    });
    let route_tenant = gw.ctx.tenant_of(rns);
    let mut backends = Vec::new();
    for b in &rule.backend_refs {
        let ns = b.namespace.clone().unwrap_or_else(|| rns.to_string());
        let kind = b.kind.as_deref().unwrap_or("Service");
        if !kind.is_empty() && kind != "Service" {
            diag(format!(
                "rule #{ri}: backendRef {} has invalid kind {kind} (ResolvedRefs=False InvalidKind): dropped",
                b.name
            ));
            continue;
        }
        let bt = gw.ctx.tenant_of(&ns);
        if bt != route_tenant {
            diag(format!(
                "rule #{ri}: backendRef {} tenant {bt} is not equal to HTTPRoute tenant {route_tenant} (ResolvedRefs=False RefNotPermitted): dropped",
                b.name
            ));
            continue;
        }
        // `ParseRouteConfig` keeps only the filters with an ExtensionRef.
        let mut exts = Vec::new();
        for f in &b.filters {
            match &f.extension_ref {
                Some(e) => {
                    // The type is only checked for the status; the pool
                    // builder goes by the ExtensionRef alone.
                    if f.type_ != "ExtensionRef" {
                        diag(format!(
                            "rule #{ri}: backendRef {} has unsupported Filter Type {} (ResolvedRefs=False UnsupportedValue)",
                            b.name, f.type_
                        ));
                    }
                    exts.push((e.group.clone(), e.kind.clone(), e.name.clone()))
                }
                None => diag(format!(
                    "rule #{ri}: backendRef {} filter {} is not supported by AKO and is ignored",
                    b.name, f.type_
                )),
            }
        }
        if let Some(msg) = extension::validate_backend(gw, &ns, &exts) {
            diag(format!(
                "rule #{ri}: backendRef {}: {msg} (ResolvedRefs=False; the backend is kept)",
                b.name
            ));
        }
        backends.push(Backend {
            ns,
            name: b.name.clone(),
            port: b.port.unwrap_or(0),
            weight: b.weight.unwrap_or(1),
            exts,
        });
    }
    Rule {
        index: ri,
        name,
        matches,
        match_name,
        filters,
        backends,
        exts,
        persistence,
    }
}

/// The `path` match of a match (`BuildVHMatch`, `BuildMatchTarget`).
pub fn path_match(m: &Match) -> Option<Value> {
    let (p, t) = m.path.as_ref()?;
    let mut v = json!({"match_case": "SENSITIVE", "match_str": [p]});
    if let Some(c) = criteria(t) {
        v["match_criteria"] = json!(c);
    }
    Some(v)
}

/// Path type → Avi match criteria; unknown types get none.
pub fn criteria(t: &str) -> Option<&'static str> {
    match t {
        "Exact" => Some("EQUALS"),
        "PathPrefix" => Some("BEGINS_WITH"),
        "RegularExpression" => Some("REGEX_MATCH"),
        _ => None,
    }
}

/// `vh_matches` of a child (`BuildVHMatch`): per host, one rule per match
/// with the ports of every listener the route attached to.
fn vh_matches(m: &GwModel, a: &Attached, rule: &Rule) -> Value {
    let ports: Vec<i32> = a
        .listeners
        .iter()
        .filter_map(|&li| m.gw.spec.listeners.get(li).map(|l| l.port))
        .collect();
    let rules: Vec<Value> = rule
        .matches
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut t = Map::new();
            if let Some(p) = path_match(x) {
                t.insert("path".into(), p);
            }
            if !x.headers.is_empty() {
                t.insert(
                    "hdrs".into(),
                    Value::Array(
                        x.headers
                            .iter()
                            .map(|(_, n, v)| {
                                json!({"match_case": "SENSITIVE", "match_criteria": "HDR_EQUALS", "hdr": n, "value": [v]})
                            })
                            .collect(),
                    ),
                );
            }
            let mut vs_port = json!({"match_criteria": "IS_IN"});
            if !ports.is_empty() {
                vs_port["ports"] = json!(ports);
            }
            t.insert("vs_port".into(), vs_port);
            json!({"name": format!("rule-{i}"), "matches": Value::Object(t)})
        })
        .collect();
    Value::Array(
        a.hosts
            .iter()
            .map(|h| {
                let mut v = json!({"host": h});
                if !rules.is_empty() {
                    v["rules"] = Value::Array(rules.clone());
                }
                v
            })
            .collect(),
    )
}

/// One header action (`BuildHTTPPolicySetHTTPRuleHdrAction`): the value is
/// omitted when empty.
pub fn hdr_action(action: &str, name: &str, value: &str, index: u32) -> Value {
    let mut hdr = json!({"name": name});
    if !value.is_empty() {
        hdr["value"] = json!({"val": value, "is_sensitive": false});
    }
    json!({"action": action, "hdr": hdr, "hdr_index": index})
}

/// Header actions of one modifier: adds, sets, removes, indexes from 0.
pub fn hdr_actions(h: &HeaderFilter) -> Vec<Value> {
    let mut v = Vec::new();
    let mut j = 0;
    for (n, val) in &h.add {
        v.push(hdr_action("HTTP_ADD_HDR", n, val, j));
        j += 1;
    }
    for (n, val) in &h.set {
        v.push(hdr_action("HTTP_REPLACE_HDR", n, val, j));
        j += 1;
    }
    for n in &h.remove {
        v.push(hdr_action("HTTP_REMOVE_HDR", n, "", j));
        j += 1;
    }
    v
}

/// A tokenized URI parameter holding one string.
pub fn tokenized(kind: &str, s: &str) -> Value {
    json!({"type": kind, "tokens": [{"type": "URI_TOKEN_TYPE_STRING", "str_value": s}]})
}

/// `rewrite_url_action` of a URLRewrite filter (non-dedicated form).
fn rewrite_action(host: &str, path: &Option<String>) -> Value {
    let mut v = json!({"query": {"keep_query": true}});
    if !host.is_empty() {
        v["host_hdr"] = tokenized("URI_PARAM_TYPE_TOKENIZED", host);
    }
    if let Some(p) = path {
        v["path"] = tokenized("URI_PARAM_TYPE_TOKENIZED", p);
    }
    v
}

/// The child's HTTP policy set body (`BuildHTTPPolicySet`), `None` when the
/// rule has no redirect, rewrite or header filter.
fn policy_body(gw: &Gw, m: &GwModel, child: &str, rule: &Rule) -> Option<Value> {
    let relevant = rule.filters.iter().any(|f| {
        f.redirect.is_some() || f.rewrite.is_some() || f.request.is_some() || f.response.is_some()
    });
    if !relevant {
        return None;
    }
    // A new policy set is the child's first: index 0, rules at index 1.
    let index = 1;
    let mut req: Vec<Value> = Vec::new();
    let mut resp: Vec<Value> = Vec::new();
    if let Some((host, code)) = rule.filters.iter().find_map(|f| f.redirect.clone()) {
        let status = match code {
            301 | 302 | 307 => format!("HTTP_REDIRECT_STATUS_CODE_{code}"),
            _ => "HTTP_REDIRECT_STATUS_CODE_302".to_string(),
        };
        req.push(json!({
            "name": child, "enable": true, "index": index,
            "redirect_action": {
                "host": tokenized("URI_PARAM_TYPE_TOKENIZED", &host),
                "protocol": "HTTP",
                "status_code": status,
            },
        }));
    } else {
        let hdrs: Vec<Value> = rule
            .filters
            .iter()
            .filter_map(|f| f.request.as_ref())
            .flat_map(hdr_actions)
            .collect();
        if !hdrs.is_empty() {
            req.push(json!({"name": child, "enable": true, "index": index, "hdr_action": hdrs}));
        }
        if let Some((host, path)) = rule.filters.iter().find_map(|f| f.rewrite.clone()) {
            let action = rewrite_action(&host, &path);
            match req.first_mut() {
                Some(r) => r["rewrite_url_action"] = action,
                None => req.push(
                    json!({"name": child, "enable": true, "index": index, "rewrite_url_action": action}),
                ),
            }
        }
        let hdrs: Vec<Value> = rule
            .filters
            .iter()
            .filter_map(|f| f.response.as_ref())
            .flat_map(hdr_actions)
            .collect();
        if !hdrs.is_empty() {
            resp.push(json!({"name": child, "enable": true, "index": index, "hdr_action": hdrs}));
        }
    }
    let mut b = json!({
        "name": child,
        "tenant_ref": tenant_ref(&m.tenant),
        "created_by": gw.created_by,
        "http_request_policy": if req.is_empty() { json!({}) } else { json!({"rules": req}) },
        "http_security_policy": {},
        "markers": cluster_markers(&gw.s),
    });
    if !resp.is_empty() {
        b["http_response_policy"] = json!({"rules": resp});
    }
    Some(b)
}

/// What the L7Rules of a rule set on its child VS.
#[derive(Default)]
struct L7Effects {
    /// (field, value, `Kind ns/name` that set it).
    fields: Vec<(&'static str, Value, String)>,
    /// `httpPolicy.policySets`: trimmed, unique, sorted.
    policy_sets: Vec<String>,
    /// `httpPolicy.overwrite`: the rule's own policy set is dropped.
    overwrite: bool,
    sources: Vec<String>,
}

/// `ApplyRuleExtensionRefs` with `ParseL7CRD`
/// (`ako-gateway-api/lib/dynamic_client.go`): an Accepted L7Rule of the
/// route's namespace sets the generated fields, profile refs
/// (`/api/<field>?name=`), policy sets and analytics policy on the child; a
/// missing or rejected one resets what earlier ones set
/// (`resetChildNodeFields`). Several L7Rules apply in order, the last value
/// of a field winning. An ako-crd-operator ApplicationProfile sets
/// `application_profile_ref` (`/api/applicationprofile/<uuid>`) and takes
/// precedence over any L7Rule `applicationProfile`, before or after it.
fn l7rule_fields(gw: &Gw, out: &mut Out, a: &Attached, rule: &Rule) -> L7Effects {
    let mut e = L7Effects::default();
    let mut app_set = false;
    for x in &rule.exts {
        let name = match x {
            RuleExt::AppProfile(r, src) => {
                e.fields.retain(|(k, _, _)| *k != "application_profile_ref");
                let by = src.replacen('/', " ", 1);
                e.fields.push(("application_profile_ref", json!(r), by));
                e.sources.push(src.clone());
                app_set = true;
                continue;
            }
            RuleExt::L7Rule(n) => n,
        };
        let Some(j) = gw
            .ctx
            .crds
            .l7_rules
            .get(&(a.ns().to_string(), name.clone()))
            .filter(|j| j.verdict.accepted())
        else {
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    Some(describe("HTTPRoute", a.ns(), a.name())),
                    format!(
                        "L7Rule {}/{name} not found or not Accepted: the child VS fields of its L7Rules are reset",
                        a.ns()
                    ),
                )
                .at(&a.route.origin),
            );
            e.fields
                .retain(|(k, _, _)| app_set && *k == "application_profile_ref");
            e.policy_sets.clear();
            e.sources.retain(|src| !src.starts_with("L7Rule/"));
            continue;
        };
        e.sources.push(source("L7Rule", a.ns(), name));
        let sp = &j.obj.obj.spec;
        // `ParseL7CRD` (`ako-gateway-api/lib/dynamic_client.go`) reads the
        // child fields only; the parent-only ones are dropped.
        let parent_only: Vec<&str> = [
            ("hostNameXlate", sp.host_name_xlate.is_some()),
            ("performanceLimits", sp.performance_limits.is_some()),
            ("securityPolicyRef", sp.security_policy_ref.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, set)| set.then_some(k))
        .collect();
        if !parent_only.is_empty() {
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    Some(describe("L7Rule", a.ns(), name)),
                    format!(
                        "{} not applied: AKO's gateway container reads only the child VS fields of an L7Rule named by an HTTPRoute ExtensionRef",
                        parent_only.join(", ")
                    ),
                )
                .at(&j.obj.origin),
            );
        }
        let mut fields = std::mem::take(&mut e.fields);
        let by = describe("L7Rule", a.ns(), name);
        let mut put = |k: &'static str, v: Option<Value>| {
            if let Some(v) = v {
                fields.retain(|(x, _, _)| *x != k);
                fields.push((k, v, by.clone()));
            }
        };
        // The generated fields an L7Rule sets on any EVH child.
        for (k, v) in l7_generated(&j.obj.obj, Role::EvhChild) {
            put(k, Some(v));
        }
        let by_name = |kind: &str, k: &Option<crate::kube::crd::l7rule::KindName>| {
            k.as_ref().map(|k| json!(api_ref(kind, &k.name)))
        };
        put(
            "analytics_profile_ref",
            by_name("analyticsprofile", &sp.analytics_profile),
        );
        put("waf_policy_ref", by_name("wafpolicy", &sp.waf_policy));
        put(
            "icap_request_profile_refs",
            sp.icap_profile
                .as_ref()
                .map(|k| json!([api_ref("icapprofile", &k.name)])),
        );
        put(
            "error_page_profile_ref",
            by_name("errorpageprofile", &sp.error_page_profile),
        );
        if !app_set {
            put(
                "application_profile_ref",
                by_name("applicationprofile", &sp.application_profile),
            );
        }
        if let Some(ap) = &sp.analytics_policy {
            let mut v = json!({});
            if let Some(f) = &ap.full_client_logs
                && f.enabled == Some(true)
            {
                let mut fcl = json!({"enabled": true});
                if let Some(d) = f.duration {
                    fcl["duration"] = json!(d);
                }
                // `lib.GetThrottle`.
                let throttle = match f.throttle.as_str() {
                    "HIGH" => 10,
                    "MEDIUM" => 30,
                    "LOW" => 50,
                    _ => 0,
                };
                fcl["throttle"] = json!(throttle);
                v["full_client_logs"] = fcl;
            }
            if let Some(h) = ap.log_all_headers {
                v["all_headers"] = json!(h);
            }
            put("analytics_policy", Some(v));
        }
        e.fields = fields;
        if let Some(h) = &sp.http_policy {
            let set: std::collections::BTreeSet<String> = h
                .policy_sets
                .iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            e.policy_sets = set.into_iter().collect();
            if h.overwrite == Some(true) {
                e.overwrite = true;
            }
        }
    }
    e
}

/// The child VSes of one route on one Gateway (`ProcessL7Routes`,
/// `BuildChildVS`), with their pools, pool groups and policy sets.
pub fn build_children(gw: &Gw, out: &mut Out, m: &GwModel, a: &Attached, parent: &str) {
    let rules = parse_rules(gw, out, a, false);
    if a.hosts.is_empty() {
        if !rules.is_empty() {
            let why = if a.listeners.is_empty() && !a.refused.is_empty() {
                format!(
                    "no listener of Gateway {}/{} admits the route ({})",
                    m.ns,
                    m.name,
                    a.refused.join("; ")
                )
            } else {
                format!(
                    "no hostname of the route matches a listener of Gateway {}/{}",
                    m.ns, m.name
                )
            };
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    Some(describe("HTTPRoute", a.ns(), a.name())),
                    format!("{why}: no child virtual service is built there"),
                )
                .at(&a.route.origin),
            );
        }
        return;
    }
    let c = &gw.s.cluster_name;
    let base = names::base(m.ns, m.name, a.ns(), a.name());
    let route_src = source("HTTPRoute", a.ns(), a.name());
    for rule in &rules {
        let child = names::child_vs(c, &base, &rule.match_name);
        out.record_hash(&child, names::child_hashed(c, &base, rule));
        let pg = pool::build(gw, out, m, a, rule, &base, &child);
        let mut policy = policy_body(gw, m, &child, rule);
        let mut sources = vec![route_src.clone(), m.source()];
        let l7 = l7rule_fields(gw, out, a, rule);
        if l7.overwrite {
            policy = None;
        }
        if let Some(body) = &policy {
            out.emit(
                AviType::Httppolicyset,
                &m.tenant,
                &child,
                sources.clone(),
                body.clone(),
            );
        }
        sources.extend(l7.sources.iter().cloned());
        let metadata = ServiceMetadata {
            gateway: format!("{}/{}", m.ns, m.name),
            httproute: format!("{}/{}", a.ns(), a.name()),
            httproute_rule_name: rule.rule_label(),
            ..ServiceMetadata::default()
        };
        let markers = Markers {
            host: a.hosts.clone(),
            gateway_name: m.name.to_string(),
            gateway_namespace: m.ns.to_string(),
            httproute_name: a.name().to_string(),
            httproute_namespace: a.ns().to_string(),
            httproute_rule_name: rule.name.clone(),
            ..Markers::default()
        };
        let s = &gw.s;
        let mut b = Map::new();
        b.insert("name".into(), json!(child));
        b.insert("cloud_ref".into(), json!(api_ref("cloud", &s.cloud_name)));
        b.insert("created_by".into(), json!(gw.created_by));
        b.insert("type".into(), json!("VS_TYPE_VH_CHILD"));
        b.insert("vh_type".into(), json!("VS_TYPE_VH_ENHANCED"));
        b.insert(
            "vh_parent_vs_ref".into(),
            json!(api_ref("virtualservice", parent)),
        );
        b.insert("vh_matches".into(), vh_matches(m, a, rule));
        child_vs_fields(s, &mut b, "System-HTTP");
        b.insert("min_pools_up".into(), json!(1));
        b.insert("error_page_profile_ref".into(), json!(""));
        b.insert("service_metadata".into(), json!(metadata.render()));
        if let Some(pg) = &pg {
            b.insert("pool_group_ref".into(), json!(api_ref("poolgroup", pg)));
        }
        // `AviVsHttpPSAdd`: own policy sets from 11, the L7Rule's after a
        // buffer of 5.
        let mut policies: Vec<Value> = Vec::new();
        if policy.is_some() {
            policies.push(
                json!({"index": 11, "http_policy_set_ref": api_ref("httppolicyset", &child)}),
            );
        }
        let buffer = policies.len() + 16;
        for (i, p) in l7.policy_sets.iter().enumerate() {
            policies.push(
                json!({"index": buffer + i, "http_policy_set_ref": api_ref("httppolicyset", p)}),
            );
        }
        if !policies.is_empty() {
            b.insert("http_policies".into(), Value::Array(policies));
        }
        for (k, v, by) in l7.fields {
            b.insert(k.into(), v);
            out.record(FieldProvenance {
                kind: AviType::Virtualservice,
                tenant: m.tenant.clone(),
                name: child.clone(),
                field: k.to_string(),
                source: by,
            });
        }
        b.insert("markers".into(), markers.to_json(s));
        out.emit(
            AviType::Virtualservice,
            &m.tenant,
            &child,
            sources,
            Value::Object(b),
        );
    }
}
