//! Dedicated gateway mode (translation-extended.md §5.5): a Gateway
//! annotated `ako.vmware.com/dedicated-gateway-mode: "true"` becomes one
//! normal VS; the rules of its one HTTPRoute go into one HTTP policy set.
//! AKO: `ako-gateway-api/nodes/avi_model_l7_dedicated_translator.go`
//! (`ProcessL7RoutesForDedicatedGateway`, `BuildHTTPPolicySetsForDedicatedMode`,
//! `BuildHTTPRequestRuleWithMatch`, `BuildHTTPResponseRuleWithMatch`,
//! `BuildMatchTarget`, `addStringGroup`, `AddDefaultRule`,
//! `BuildPGPoolForDedicatedMode`); REST `internal/rest/avi_evh_obj.go`
//! `AviVsBuildForEvh` + `setDedicatedEvhVSNodeProperties`,
//! `avi_obj_string_group.go` `AviStringGroupBuild`, `GetStringGroupMarkers`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::names::{self, Match};
use super::route::{self, Filter, Rule};
use super::{Attached, Gw, GwModel, parent, pool};
use crate::compile::common::{ServiceMetadata, api_ref, tenant_ref};
use crate::compile::{Out, source};
use crate::model::AviType;

/// `getPathTypePriority`: Exact 3, RegularExpression 1, anything else 2.
fn priority(t: &str) -> u8 {
    match t {
        "Exact" => 3,
        "RegularExpression" => 1,
        _ => 2,
    }
}

/// The match target of a request or response rule (`BuildMatchTarget`,
/// `BuildResponseMatchTarget`); a regular-expression path goes through a
/// string group, collected in `groups`.
fn match_target(gw: &Gw, m: &Match, groups: &mut BTreeMap<String, String>) -> Value {
    let (p, t) = m
        .path
        .clone()
        .unwrap_or_else(|| ("/".into(), "PathPrefix".into()));
    let mut path = json!({"match_case": "SENSITIVE", "match_str": [p]});
    if let Some(c) = route::criteria(&t) {
        path["match_criteria"] = json!(c);
    }
    if t == "RegularExpression" {
        let sg = names::string_group(&gw.created_by, &p);
        path.as_object_mut().map(|o| o.remove("match_str"));
        path["string_group_refs"] = json!([api_ref("stringgroup", &sg)]);
        groups.entry(sg).or_insert(p);
    }
    let mut target = json!({"path": path});
    if !m.headers.is_empty() {
        target["hdrs"] = Value::Array(
            m.headers
                .iter()
                .map(|(t, n, v)| {
                    let mut h = json!({"hdr": n, "match_case": "SENSITIVE"});
                    match t.as_str() {
                        "Exact" => {
                            h["match_criteria"] = json!("HDR_EQUALS");
                            h["value"] = json!([v]);
                        }
                        "RegularExpression" => {
                            h["match_criteria"] = json!("HDR_REGEX");
                            h["value"] = json!([v]);
                        }
                        _ => {}
                    }
                    h
                })
                .collect(),
        );
    }
    target
}

/// Request-side actions of a rule's filters (`BuildHTTPRequestRuleWithMatch`).
fn request_actions(rule_json: &mut Value, filters: &[Filter]) {
    let mut hdrs: Vec<Value> = Vec::new();
    for f in filters {
        if let Some((host, code)) = &f.redirect {
            let mut r = json!({});
            if !host.is_empty() {
                r["host"] = route::tokenized("HTTP_TYPE_HOST", host);
            }
            if *code != 0 {
                r["status_code"] = json!(format!("HTTP_REDIRECT_{code}"));
            }
            rule_json["redirect_action"] = r;
        }
        if let Some(h) = &f.request {
            hdrs.extend(route::hdr_actions(h));
        }
        if let Some((host, path)) = &f.rewrite {
            let mut r = json!({"query": {"keep_query": true}});
            if let Some(p) = path.as_deref().filter(|p| !p.is_empty()) {
                r["path"] = route::tokenized("URI_PARAM_TYPE_TOKENIZED", p);
            }
            if !host.is_empty() {
                r["host_hdr"] = route::tokenized("URI_PARAM_TYPE_TOKENIZED", host);
            }
            rule_json["rewrite_url_action"] = r;
        }
    }
    if !hdrs.is_empty() {
        rule_json["hdr_action"] = Value::Array(hdrs);
    }
}

/// The dedicated VS of a Gateway with its vsvip, certificates, and the
/// policy set, pool groups, pools and string groups of its route.
pub fn build(gw: &Gw, out: &mut Out, m: &GwModel) {
    let c = &gw.s.cluster_name;
    let name = names::parent_vs(c, m.ns, m.name, true);
    let net = parent::net(gw, m);
    let certs = parent::certificates(gw, out, m);
    parent::emit_vsvip(gw, out, m, &name, &net);
    let mut markers = parent::gateway_markers(m);
    let mut metadata = ServiceMetadata {
        gateway: format!("{}/{}", m.ns, m.name),
        ..ServiceMetadata::default()
    };
    let mut sources = vec![m.source()];
    let mut policy = None;
    if let Some(a) = m.routes.first() {
        markers.httproute_name = a.name().to_string();
        markers.httproute_namespace = a.ns().to_string();
        metadata.httproute = format!("{}/{}", a.ns(), a.name());
        sources.push(source("HTTPRoute", a.ns(), a.name()));
        policy = Some(route_policy(gw, out, m, a));
    }
    let mut b = parent::vs_body(gw, m, &name, &net, &metadata, &markers);
    b.insert("type".into(), json!("VS_TYPE_NORMAL"));
    b.insert("east_west_placement".into(), json!(false));
    b.insert("min_pools_up".into(), json!(1));
    b.insert("error_page_profile_ref".into(), json!(""));
    if !certs.is_empty() {
        b.insert(
            "ssl_key_and_certificate_refs".into(),
            Value::Array(
                certs
                    .iter()
                    .map(|x| json!(api_ref("sslkeyandcertificate", x)))
                    .collect(),
            ),
        );
    }
    if let Some(p) = policy {
        b.insert(
            "http_policies".into(),
            json!([{"index": 11, "http_policy_set_ref": api_ref("httppolicyset", &p)}]),
        );
    }
    out.emit(
        AviType::Virtualservice,
        &m.tenant,
        &name,
        sources,
        Value::Object(b),
    );
}

/// The route's policy set, pool groups, pools and string groups; returns
/// the policy set name.
fn route_policy(gw: &Gw, out: &mut Out, m: &GwModel, a: &Attached) -> String {
    let c = &gw.s.cluster_name;
    let base = names::base(m.ns, m.name, a.ns(), a.name());
    let rules = route::parse_rules(gw, out, a, true);
    let route_src = source("HTTPRoute", a.ns(), a.name());
    // Pool groups, one per rule with backends (`BuildPGPoolForDedicatedMode`).
    let mut pg_of: Vec<Option<String>> = Vec::new();
    for (ri, rule) in rules.iter().enumerate() {
        // Dedicated mode reads neither sessionPersistence nor the rule's
        // L7Rule / ApplicationProfile ExtensionRefs (no `ApplyRuleExtensionRefs`,
        // no `BuildApplicationPersistenceProfile`).
        let unused = [
            (rule.persistence.is_some(), "sessionPersistence"),
            (
                !rule.exts.is_empty(),
                "L7Rule / ApplicationProfile ExtensionRefs",
            ),
        ];
        for (_, what) in unused.iter().filter(|(on, _)| *on) {
            out.push(
                crate::model::Diagnostic::new(
                    crate::model::Severity::Warning,
                    Some(crate::compile::describe("HTTPRoute", a.ns(), a.name())),
                    format!("rule #{ri}: {what} has no effect in dedicated gateway mode"),
                )
                .at(&a.route.origin),
            );
        }
        pg_of.push(rule_pg(gw, out, m, a, rule, &base));
    }
    // Every (rule, match), sorted for longest-prefix matching.
    let mut all: Vec<(usize, usize, &Match)> = Vec::new();
    let mut root = false;
    for (ri, rule) in rules.iter().enumerate() {
        for (mi, x) in rule.matches.iter().enumerate() {
            if x.path.as_ref().is_some_and(|p| p.0 == "/") {
                root = true;
            }
            all.push((ri, mi, x));
        }
    }
    let key = |x: &Match| {
        let (p, t) = x.path.clone().unwrap_or_default();
        (priority(&t), p.len())
    };
    all.sort_by(|a, b| {
        let (ka, kb) = (key(a.2), key(b.2));
        kb.0.cmp(&ka.0)
            .then(kb.1.cmp(&ka.1))
            .then(a.0.cmp(&b.0))
            .then(a.1.cmp(&b.1))
    });
    let mut groups: BTreeMap<String, String> = BTreeMap::new();
    let mut req = Vec::new();
    for (k, (ri, _, x)) in all.iter().enumerate() {
        let rule = &rules[*ri];
        let mut r = json!({
            "name": format!("rule-{k}"),
            "enable": true,
            "index": k,
            "match": match_target(gw, x, &mut groups),
        });
        request_actions(&mut r, &rule.filters);
        if let Some(pg) = &pg_of[*ri] {
            r["switching_action"] = json!({
                "action": "HTTP_SWITCHING_SELECT_POOLGROUP",
                "pool_group_ref": api_ref("poolgroup", pg),
            });
        }
        req.push(r);
    }
    if !root {
        req.push(parent::default_backend_rule(req.len()));
    }
    let mut resp = Vec::new();
    for (ri, _, x) in &all {
        let hdrs: Vec<Value> = rules[*ri]
            .filters
            .iter()
            .filter_map(|f| f.response.as_ref())
            .flat_map(route::hdr_actions)
            .collect();
        if hdrs.is_empty() {
            continue;
        }
        let idx = 1000 + resp.len();
        resp.push(json!({
            "name": format!("response-rule-{idx}"),
            "enable": true,
            "index": idx,
            "match": match_target(gw, x, &mut groups),
            "hdr_action": hdrs,
        }));
    }
    for (sg, path) in &groups {
        out.record_hash(sg, names::string_group_hashed(&gw.created_by, path));
        let body = json!({
            "name": sg,
            "tenant_ref": format!("/api/tenant/?name={}", m.tenant),
            "type": "SG_TYPE_STRING",
            "longest_match": true,
            "kv": [{"key": path}],
            "markers": [
                {"key": "clustername", "values": [gw.s.cluster_name]},
                {"key": "created_by", "values": [gw.created_by]},
            ],
        });
        out.emit(
            AviType::Stringgroup,
            &m.tenant,
            sg,
            [route_src.clone(), m.source()],
            body,
        );
    }
    let name = names::dedicated_policy(out, c, &base);
    let mut pmarkers = parent::gateway_markers(m);
    pmarkers.httproute_name = a.name().to_string();
    pmarkers.httproute_namespace = a.ns().to_string();
    let mut body = json!({
        "name": name,
        "tenant_ref": tenant_ref(&m.tenant),
        "created_by": gw.created_by,
        "http_request_policy": if req.is_empty() { json!({}) } else { json!({"rules": req}) },
        "http_security_policy": {},
        "markers": pmarkers.to_json(&gw.s),
    });
    if !resp.is_empty() {
        body["http_response_policy"] = json!({"rules": resp});
    }
    out.emit(
        AviType::Httppolicyset,
        &m.tenant,
        &name,
        [route_src, m.source()],
        body,
    );
    name
}

/// The pool group of a rule and its pools (`BuildPGPoolForDedicatedMode`):
/// built whenever the rule has backends, even when no pool could be;
/// ratio = weight when the weights sum above 0, else 1.
fn rule_pg(
    gw: &Gw,
    out: &mut Out,
    m: &GwModel,
    a: &Attached,
    rule: &Rule,
    base: &names::Base,
) -> Option<String> {
    if rule.backends.is_empty() {
        return None;
    }
    let c = &gw.s.cluster_name;
    let pg = names::child_vs(c, base, &rule.match_name);
    out.record_hash(&pg, names::child_hashed(c, base, rule));
    let total: i64 = rule.backends.iter().map(|b| i64::from(b.weight)).sum();
    let mut members = Vec::new();
    for b in &rule.backends {
        let name = names::dedicated_pool(out, c, &pg, &b.ns, &b.name, b.port);
        if pool::emit_pool(
            gw,
            out,
            m,
            a,
            &name,
            b,
            &pool::rule_markers(m, a, rule, Some(b)),
            // `BuildPGPoolForDedicatedMode` builds no persistence profile.
            None,
        ) {
            members.push((name, if total > 0 { b.weight } else { 1 }));
        }
    }
    if !pool::emit_pg(
        gw,
        out,
        m,
        a,
        &pg,
        &members,
        &pool::rule_markers(m, a, rule, None),
    ) {
        let s = &gw.s;
        let body = json!({
            "name": pg,
            "tenant_ref": tenant_ref(&m.tenant),
            "cloud_ref": api_ref("cloud", &s.cloud_name),
            "created_by": gw.created_by,
            "implicit_priority_labels": false,
            "markers": pool::rule_markers(m, a, rule, None).to_json(s),
        });
        out.emit(
            AviType::Poolgroup,
            &m.tenant,
            &pg,
            [source("HTTPRoute", a.ns(), a.name()), m.source()],
            body,
        );
    }
    Some(pg)
}
