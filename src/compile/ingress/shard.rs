//! Shared L7 parent VS and insecure hosts (translation-core.md §4.5, §4.6).
//! AKO: `internal/nodes/avi_model_l7_translator.go` `ConstructAviL7VsNode`,
//! `ConstructShardVsPGNode`, `ConstructHTTPDataScript`;
//! `internal/nodes/avi_model_l7_hostname_shard.go` `BuildL7VSGraphHostNameShard`;
//! REST `internal/rest/avi_obj_vs.go` `AviVsBuild`, `avi_pool_group.go`,
//! `avi_datascript.go` `AviDSBuild`, `avi_obj_httpps.go` `AviHttpPSBuild`.

use serde_json::{Map, Value, json};

use super::parse::{HostPaths, ParsedIngress};
use super::{Model, Placement, Shard, names, placement, pool, sni};
use crate::compile::common::{
    MAX_NAME_LEN, Markers, ServiceMetadata, api_ref, cluster_markers, name_too_long, tenant_ref,
};
use crate::compile::vip;
use crate::compile::{Context, Out, describe};
use crate::model::{AviType, Diagnostic, Severity};
use crate::settings::{AutoFqdn, Settings};

/// `pkg/utils/constants.go` `HTTP_DS_SCRIPT_MODIFIED`, `%s` = poolgroup name.
pub fn datascript(pg: &str) -> String {
    format!(
        "host = avi.http.get_host_tokens(\"MODIFIED\", 1)\npath = avi.http.get_path_tokens(1)\nif string.contains(host, \":\") then\nfor match in string.gmatch(host, \".*:\") do\nhost = string.sub(match,0,-2)\nend\nend\nif host and path then\nlbl = host..\"/\"..path\nelse\nlbl = host..\"/\"\nend\navi.poolgroup.select(\"{pg}\", string.lower(lbl) )"
    )
}

/// Priority label and pool label of a path entry: `host + path`, or `host`
/// when the path is empty.
pub fn label(host: &str, path: &str) -> String {
    format!("{host}{path}")
}

/// One insecure host of an Ingress (§4.6); Dedicated mode goes to
/// [`sni::dedicated_insecure`].
pub fn insecure_host(
    ctx: &Context,
    out: &mut Out,
    model: &mut Model,
    ing: &ParsedIngress,
    hp: &HostPaths,
) {
    let shard_name = match placement(ctx, &ing.infra, &hp.host) {
        Placement::Dedicated(name) => {
            return sni::dedicated_insecure(ctx, out, model, ing, hp, &name);
        }
        Placement::Shard(name) => name,
    };
    let s = ctx.settings;
    let host = &hp.host;
    let mut built = Vec::new();
    for entry in &hp.paths {
        let l = label(host, &entry.path);
        let name = names::insecure_pool(s, &ing.infra.name, &l, &ing.ns, &ing.name)
            + &ing.pool_suffix(&entry.service);
        if name_too_long(&name) {
            too_long(out, ing, "pool", &name);
            built.push(None);
            continue;
        }
        let markers = Markers {
            namespace: ing.ns.clone(),
            host: vec![host.clone()],
            infrasetting_name: ing.infra.name.clone(),
            path: vec![entry.path.clone()],
            ingress_name: vec![ing.name.clone()],
            // Route pools carry the service (`buildPoolNode`).
            service_name: if ing.route.is_some() {
                entry.service.clone()
            } else {
                String::new()
            },
            ..Markers::default()
        };
        let b = pool::build(
            ctx,
            out,
            &name,
            ing,
            host,
            entry,
            &markers,
            pool::PoolKind::Insecure,
        );
        built.push(Some((name, (l.to_lowercase(), entry.ratio), b)));
    }
    let shard = model.shard(&ing.tenant, &shard_name);
    shard.sources.insert(ing.source());
    shard.set_infra(&ing.infra);
    for b in built {
        shard.fqdns.insert(host.clone());
        if let Some((name, label, b)) = b {
            shard.members.insert(name.clone(), label);
            shard.pools.insert(name, b);
        }
    }
}

/// Diagnostic for an object AKO drops for its name length (§2.3).
pub fn too_long(out: &mut Out, ing: &ParsedIngress, kind: &str, name: &str) {
    out.push(
        Diagnostic::new(
            Severity::Warning,
            Some(describe(ing.kind, &ing.ns, &ing.name)),
            format!(
                "{kind} name {name} exceeds maximum length limit of {MAX_NAME_LEN} characters for AVI Object; AKO does not create it"
            ),
        )
        .at(ing.origin),
    );
}

/// Replace every run of characters outside `[a-zA-Z0-9-]` by `-`, collapse
/// runs of `-`, trim `-` (`internal/lib/lib.go` `sanitizeTenantNameForDNS`).
pub fn sanitize_tenant(t: &str) -> String {
    let mut out = String::new();
    for c in t.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '-' {
            c
        } else {
            '-'
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    out.trim_matches('-').to_string()
}

/// Auto FQDN of a shard VS (`internal/lib/lib.go` `GetFqdns`).
pub fn shard_fqdn(s: &Settings, vs: &str, tenant: &str) -> Option<String> {
    if s.vip_per_namespace || s.shard_vs_size.count() == 0 {
        return None;
    }
    let sd = s.fqdn_subdomain()?;
    let sd = sd.strip_prefix('.').unwrap_or(sd);
    let t = sanitize_tenant(tenant);
    match s.auto_fqdn {
        AutoFqdn::Default => Some(format!("{vs}.{t}.{sd}")),
        AutoFqdn::Flat => Some(format!("{vs}-{t}.{sd}")),
        AutoFqdn::Disabled => None,
    }
}

/// The redirect policy body (`BuildPolicyRedirectForVS`, `AviHttpPSBuild`).
pub fn redirect_policy(
    s: &Settings,
    name: &str,
    tenant: &str,
    hosts: &[String],
    markers: Value,
) -> Value {
    let mut h = hosts.to_vec();
    h.sort();
    h.dedup();
    json!({
        "name": name,
        "tenant_ref": tenant_ref(tenant),
        "created_by": s.created_by(),
        "http_request_policy": {"rules": [{
            "index": 0,
            "enable": true,
            "name": format!("{name}-0"),
            "match": {
                "host_hdr": {"match_criteria": "HDR_EQUALS", "value": h},
                "vs_port": {"match_criteria": "IS_IN", "ports": [80]},
            },
            "redirect_action": {"protocol": "HTTPS", "port": 443, "status_code": "HTTP_REDIRECT_STATUS_CODE_302"},
        }]},
        "http_security_policy": {},
        "markers": markers,
    })
}

impl Shard {
    /// Record the infrasetting effects of the Ingress being processed (the
    /// last one wins, as AKO rebuilds the shard model per Ingress).
    /// The parent takes the network side of the Ingress that creates it
    /// (`ConstructAviL7VsNode`); a later Ingress changes it only when an
    /// AviInfraSetting applies to it (`sniNodeHostName`: `buildWithInfraSetting`
    /// runs on an existing model only with a setting).
    pub fn set_infra(&mut self, infra: &super::parse::L7Infra) {
        if self.net.is_none() || infra.set {
            self.net = Some(infra.net.clone());
            self.listeners = infra.listeners.clone();
        }
    }
}

/// Common fields of a parent or Dedicated VS (`AviVsBuild`); SE group, RHI and
/// tier-1 from `net` (`buildWithInfraSetting`).
pub fn vs_common(
    s: &Settings,
    net: &vip::Net,
    name: &str,
    tenant: &str,
    metadata: &ServiceMetadata,
) -> Map<String, Value> {
    let mut b = Map::new();
    b.insert("name".into(), json!(name));
    b.insert("tenant_ref".into(), json!(tenant_ref(tenant)));
    b.insert("cloud_ref".into(), json!(api_ref("cloud", &s.cloud_name)));
    b.insert("created_by".into(), json!(s.created_by()));
    b.insert(
        "application_profile_ref".into(),
        json!(api_ref("applicationprofile", "System-HTTP")),
    );
    b.insert(
        "network_profile_ref".into(),
        json!(api_ref("networkprofile", "System-TCP-Proxy")),
    );
    b.insert(
        "se_group_ref".into(),
        json!(api_ref("serviceenginegroup", &net.se_group)),
    );
    if net.t1lr().is_none() {
        b.insert(
            "vrf_context_ref".into(),
            json!(api_ref("vrfcontext", &s.cloud.vrf)),
        );
    }
    if net.enable_rhi {
        b.insert("enable_rhi".into(), json!(true));
    }
    b.insert("vsvip_ref".into(), json!(api_ref("vsvip", name)));
    b.insert("error_page_profile_ref".into(), json!(""));
    b.insert(
        "service_metadata".into(),
        json!(metadata.render_for(s.release)),
    );
    b
}

/// Listener list: port 80, plus 443 with SSL when `secure`.
pub fn services(secure: bool) -> Value {
    let mut v =
        vec![json!({"port": 80, "port_range_end": 80, "enable_ssl": false, "enable_http2": false})];
    if secure {
        v.push(
            json!({"port": 443, "port_range_end": 443, "enable_ssl": true, "enable_http2": false}),
        );
    }
    Value::Array(v)
}

/// Apply AviInfraSetting `network.listeners`: each replaces the service on
/// the same port or is appended (translation-extended.md §2.4; AKO
/// `avi_model_l7_translator.go` `buildListenerPortsWithInfraSetting`).
pub fn with_listeners(services: Value, listeners: &[(i64, bool, bool)]) -> Value {
    if listeners.is_empty() {
        return services;
    }
    let mut v = match services {
        Value::Array(a) => a,
        other => return other,
    };
    for &(port, ssl, http2) in listeners {
        let svc =
            json!({"port": port, "port_range_end": port, "enable_ssl": ssl, "enable_http2": http2});
        match v.iter_mut().find(|x| x["port"] == json!(port)) {
            Some(x) => *x = svc,
            None => v.push(svc),
        }
    }
    Value::Array(v)
}

/// Emit a shard VS with its vsvip, poolgroup, datascript, redirect policy and pools.
pub fn emit(ctx: &Context, out: &mut Out, mut shard: Shard) {
    let s = ctx.settings;
    let (t, n) = (shard.tenant.as_str(), shard.name.as_str());
    if name_too_long(n) {
        out.diag(
            Severity::Warning,
            None,
            format!("virtualservice name {n} exceeds maximum length limit of {MAX_NAME_LEN} characters for AVI Object; AKO does not create it"),
        );
        return;
    }
    let src = || shard.sources.clone();
    let net = shard.net.clone().unwrap_or_else(|| vip::Net::global(s));
    for (name, p) in std::mem::take(&mut shard.pools) {
        p.emit_pool(out, t, &name);
    }
    let mut fqdns: Vec<String> = shard_fqdn(s, n, t).into_iter().collect();
    fqdns.extend(shard.fqdns.iter().cloned());
    out.emit(
        AviType::Vsvip,
        t,
        n,
        src(),
        vip::vsvip_body_net(
            s,
            &net,
            &vip::VsvipSpec {
                name: n.to_string(),
                tenant: t.to_string(),
                fqdns: fqdns.clone(),
                requested_ip: None,
            },
        ),
    );

    let members: Vec<Value> = shard
        .members
        .iter()
        .filter(|(_, (l, _))| l.len() <= MAX_NAME_LEN)
        .map(|(p, (l, r))| json!({"pool_ref": api_ref("pool", p), "priority_label": l, "ratio": r}))
        .collect();
    let mut pg = json!({
        "name": n,
        "tenant_ref": tenant_ref(t),
        "cloud_ref": api_ref("cloud", &s.cloud_name),
        "created_by": s.created_by(),
        "implicit_priority_labels": true,
        "markers": cluster_markers(s),
    });
    if !members.is_empty() {
        pg["members"] = Value::Array(members);
    }
    out.emit(AviType::Poolgroup, t, n, src(), pg);

    let ds = json!({
        "name": n,
        "tenant_ref": tenant_ref(t),
        "created_by": s.created_by(),
        "datascript": [{"evt": "VS_DATASCRIPT_EVT_HTTP_REQ", "script": datascript(n)}],
        "pool_group_refs": [api_ref("poolgroup", n)],
        "markers": cluster_markers(s),
    });
    out.emit(AviType::Vsdatascriptset, t, n, src(), ds);

    let mut vs = vs_common(s, &net, n, t, &ServiceMetadata::default());
    vs.insert("type".into(), json!("VS_TYPE_VH_PARENT"));
    vs.insert(
        "services".into(),
        with_listeners(services(true), &shard.listeners),
    );
    vs.insert(
        "vs_datascripts".into(),
        json!([{"index": 0, "vs_datascript_set_ref": api_ref("vsdatascriptset", n)}]),
    );
    vs.insert("markers".into(), cluster_markers(s));
    if !shard.redirect_hosts.is_empty() {
        let hosts: Vec<String> = std::mem::take(&mut shard.redirect_hosts)
            .into_iter()
            .collect();
        let body = redirect_policy(s, n, t, &hosts, cluster_markers(s));
        out.emit(AviType::Httppolicyset, t, n, src(), body);
        vs.insert(
            "http_policies".into(),
            json!([{"index": 11, "http_policy_set_ref": api_ref("httppolicyset", n)}]),
        );
    }
    out.emit(AviType::Virtualservice, t, n, src(), Value::Object(vs));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::CloudFacts;

    #[test]
    fn tenant_sanitizing() {
        assert_eq!(sanitize_tenant("admin"), "admin");
        assert_eq!(sanitize_tenant("team a_b"), "team-a-b");
        assert_eq!(sanitize_tenant("--x..y--"), "x-y");
    }

    #[test]
    fn shard_fqdn_formats() {
        let mut s = Settings {
            cluster_name: "cluster".into(),
            cloud: CloudFacts {
                dns_subdomains: vec!["avi.internal".into(), ".com".into()],
                ..CloudFacts::default()
            },
            ..Settings::default()
        };
        assert_eq!(
            shard_fqdn(&s, "cluster--Shared-L7-0", "admin").as_deref(),
            Some("cluster--Shared-L7-0.admin.com")
        );
        s.auto_fqdn = AutoFqdn::Flat;
        s.default_domain = "avi.internal".into();
        assert_eq!(
            shard_fqdn(&s, "c--Shared-L7-1", "t 1").as_deref(),
            Some("c--Shared-L7-1-t-1.avi.internal")
        );
        s.auto_fqdn = AutoFqdn::Disabled;
        assert_eq!(shard_fqdn(&s, "c--Shared-L7-1", "admin"), None);
        s.auto_fqdn = AutoFqdn::Default;
        s.cloud.dns_subdomains.clear();
        assert_eq!(shard_fqdn(&s, "c--Shared-L7-1", "admin"), None);
    }

    #[test]
    fn listeners_replace_same_port_and_append_others() {
        let v = with_listeners(services(true), &[(443, true, true), (8080, false, false)]);
        assert_eq!(
            v,
            json!([
                {"port": 80, "port_range_end": 80, "enable_ssl": false, "enable_http2": false},
                {"port": 443, "port_range_end": 443, "enable_ssl": true, "enable_http2": true},
                {"port": 8080, "port_range_end": 8080, "enable_ssl": false, "enable_http2": false},
            ])
        );
        assert_eq!(with_listeners(services(false), &[]), services(false));
    }

    #[test]
    fn vs_common_takes_se_group_rhi_and_t1_from_net() {
        let s = Settings::default();
        let mut net = vip::Net::global(&s);
        net.se_group = "seg-x".into();
        net.enable_rhi = true;
        let b = vs_common(&s, &net, "vs", "admin", &ServiceMetadata::default());
        assert_eq!(b["se_group_ref"], "/api/serviceenginegroup/?name=seg-x");
        assert_eq!(b["enable_rhi"], true);
        assert!(b.contains_key("vrf_context_ref"));
        net.t1lr = "/infra/tier-1s/t".into();
        net.enable_rhi = false;
        let b = vs_common(&s, &net, "vs", "admin", &ServiceMetadata::default());
        assert!(!b.contains_key("vrf_context_ref"));
        assert!(!b.contains_key("enable_rhi"));
    }

    #[test]
    fn datascript_is_byte_exact() {
        let d = datascript("my-cluster--Shared-L7-2");
        assert!(d.starts_with("host = avi.http.get_host_tokens(\"MODIFIED\", 1)\npath"));
        assert!(
            d.ends_with("avi.poolgroup.select(\"my-cluster--Shared-L7-2\", string.lower(lbl) )")
        );
        assert_eq!(d.lines().count(), 13);
        assert!(!d.ends_with('\n'));
    }
}
