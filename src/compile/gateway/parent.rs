//! Gateway → parent VS, its vsvip, listener certificates and the shared
//! default-backend policy set (translation-extended.md §5.3). AKO:
//! `ako-gateway-api/nodes/gateway_model.go` `BuildGatewayParent`,
//! `BuildPortProtocols`, `BuildTLSNodesForGateway`, `BuildVsVipNodeForGateway`,
//! `buildWithInfraSettingForGateway`; `avi_model_l7_translator.go`
//! `AddDefaultHTTPPolicySet`, `updateHostname`; REST
//! `internal/rest/avi_evh_obj.go` `AviVsBuildForEvh` (parent branch),
//! `avi_obj_vsvip.go` `AviVsVipBuild`, `ssl_key_certificate.go` `AviSSLBuild`,
//! `avi_obj_httpps.go` `AviHttpPSBuild`.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{Gw, GwModel, names, route};
use crate::compile::common::{Markers, ServiceMetadata, api_ref, cluster_markers, tenant_ref};
use crate::compile::ingress::shard::vs_common;
use crate::compile::ingress::sni::key_text;
use crate::compile::vip::{self, Net, VsvipSpec};
use crate::compile::{Out, describe, source};
use crate::model::{AviType, Diagnostic, Severity};

/// The SE group / tier-1 of a Gateway: only `seGroup.name` and
/// `nsxSettings.t1lr` of the namespace's AviInfraSetting count
/// (`buildWithInfraSettingForGateway`; GatewayClass `parametersRef` is not read).
pub fn net(gw: &Gw, m: &GwModel) -> Net {
    let mut net = Net::global(&gw.s);
    let choice = gw.ctx.crds.infra_for_namespace(gw.ctx, m.ns);
    if let Some(infra) = choice.infra() {
        if let Some(seg) = infra.se_group() {
            net.se_group = seg.to_string();
        }
        if let Some(t) = infra.t1lr() {
            net.t1lr = t.to_string();
        }
    }
    net
}

/// `traffic_enabled`: false only with `ako.vmware.com/disable-traffic: "true"`
/// (any case).
pub fn traffic_enabled(m: &GwModel) -> bool {
    !m.gw
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("ako.vmware.com/disable-traffic"))
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// `services` of the Gateway VS (`BuildPortProtocols`): one per distinct
/// valid listener (port, protocol, TLS), in listener order.
pub fn services(m: &GwModel) -> Value {
    let mut seen: Vec<(i32, &str, bool)> = Vec::new();
    for (i, l) in m.gw.spec.listeners.iter().enumerate() {
        if !m.listener_valid(i) {
            continue;
        }
        let ssl = l
            .tls
            .as_ref()
            .is_some_and(|t| !t.certificate_refs.is_empty());
        let k = (l.port, l.protocol.as_str(), ssl);
        if !seen.contains(&k) {
            seen.push(k);
        }
    }
    Value::Array(
        seen.into_iter()
            .map(|(port, _, ssl)| json!({"port": port, "enable_ssl": ssl, "enable_http2": false}))
            .collect(),
    )
}

/// Listener certificates (`BuildTLSNodesForGateway`, `TLSNodeFromSecret`):
/// emitted, and their names returned in listener/certificateRef order.
pub fn certificates(gw: &Gw, out: &mut Out, m: &GwModel) -> Vec<String> {
    let mut names_out: Vec<String> = Vec::new();
    for (i, l) in m.gw.spec.listeners.iter().enumerate() {
        if !m.listener_valid(i) {
            continue;
        }
        let Some(tls) = &l.tls else { continue };
        for c in &tls.certificate_refs {
            let ns = c
                .namespace
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or(m.ns);
            let Some(secret) = gw.ctx.secrets.get(&(ns.to_string(), c.name.clone())) else {
                out.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Some(describe("Gateway", m.ns, m.name)),
                        format!(
                            "listener {}: Secret {ns}/{} not found: no certificate is built for it",
                            l.name, c.name
                        ),
                    )
                    .at(&m.gw.origin),
                );
                continue;
            };
            let mut data: std::collections::BTreeMap<String, Vec<u8>> = secret
                .data
                .iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.0.clone()))
                .collect();
            for (k, v) in secret.string_data.iter().flatten() {
                data.insert(k.clone(), v.clone().into_bytes());
            }
            for key in ["tls.crt", "tls.key"] {
                if !data.contains_key(key) {
                    out.push(
                        Diagnostic::new(
                            Severity::Warning,
                            Some(describe("Gateway", m.ns, m.name)),
                            format!(
                                "Secret {ns}/{} has no {key}: AKO sends the certificate with it empty",
                                c.name
                            ),
                        )
                        .at(&m.gw.origin),
                    );
                }
            }
            let name = names::tls_cert(out, &gw.s.cluster_name, m.ns, m.name, ns, &c.name);
            let crt = data.get("tls.crt").cloned().unwrap_or_default();
            let key = data.get("tls.key").cloned().unwrap_or_default();
            let body = json!({
                "name": name,
                "tenant_ref": tenant_ref(&m.tenant),
                "created_by": gw.created_by,
                "type": "SSL_CERTIFICATE_TYPE_VIRTUALSERVICE",
                "certificate": {"certificate": String::from_utf8_lossy(&crt)},
                "key": key_text(&gw.s, &key),
                "markers": cluster_markers(&gw.s),
            });
            out.emit(
                AviType::Sslkeyandcertificate,
                &m.tenant,
                &name,
                [m.source(), source("Secret", ns, &c.name)],
                body,
            );
            if !names_out.contains(&name) {
                names_out.push(name);
            }
        }
    }
    names_out
}

/// The vsvip of a Gateway VS (`BuildVsVipNodeForGateway`, FQDNs from
/// `updateHostname`: every attached route's hosts without a `*`).
pub fn emit_vsvip(gw: &Gw, out: &mut Out, m: &GwModel, name: &str, net: &Net) {
    let has_rules = m
        .routes
        .iter()
        .any(|a| !a.route.effective_rules().is_empty());
    let fqdns: Vec<String> = if has_rules {
        m.routes
            .iter()
            .flat_map(|a| a.hosts.iter())
            .filter(|h| !h.contains('*'))
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    let requested_ip =
        m.gw.spec
            .addresses
            .first()
            .map(|a| a.value.clone())
            .filter(|ip| vip::is_v4(ip) || vip::is_v6(ip));
    let mut sources: BTreeSet<String> = BTreeSet::from([m.source()]);
    sources.extend(
        m.routes
            .iter()
            .filter(|a| !a.hosts.is_empty())
            .map(|a| source("HTTPRoute", a.ns(), a.name())),
    );
    let body = vip::vsvip_body_net(
        &gw.s,
        net,
        &VsvipSpec {
            name: name.to_string(),
            tenant: m.tenant.clone(),
            fqdns,
            requested_ip,
        },
    );
    out.emit(AviType::Vsvip, &m.tenant, name, sources, body);
}

/// Fields of a Gateway VS common to the parent and the dedicated VS
/// (`AviVsBuildForEvh`).
pub fn vs_body(
    gw: &Gw,
    m: &GwModel,
    name: &str,
    net: &Net,
    metadata: &ServiceMetadata,
    markers: &Markers,
) -> Map<String, Value> {
    let s = &gw.s;
    // The Ingress shard VS fields, but the gateway container's own
    // `created_by` and no error page profile.
    let mut b = vs_common(s, net, name, &m.tenant, metadata);
    b.insert("created_by".into(), json!(gw.created_by));
    b.remove("error_page_profile_ref");
    b.insert("traffic_enabled".into(), json!(traffic_enabled(m)));
    b.insert("services".into(), services(m));
    b.insert("markers".into(), markers.to_json(s));
    b
}

/// The Gateway's markers (`GatewayName`, `GatewayNamespace`).
pub fn gateway_markers(m: &GwModel) -> Markers {
    Markers {
        gateway_name: m.name.to_string(),
        gateway_namespace: m.ns.to_string(),
        ..Markers::default()
    }
}

/// The parent VS of a (non-dedicated) Gateway with its vsvip, certificates
/// and the child VSes of its routes.
pub fn build(gw: &Gw, out: &mut Out, m: &GwModel) {
    let name = names::parent_vs(&gw.s.cluster_name, m.ns, m.name, false);
    let net = net(gw, m);
    let certs = certificates(gw, out, m);
    emit_vsvip(gw, out, m, &name, &net);
    for a in &m.routes {
        route::build_children(gw, out, m, a, &name);
    }
    let metadata = ServiceMetadata {
        gateway: format!("{}/{}", m.ns, m.name),
        ..ServiceMetadata::default()
    };
    let mut b = vs_body(gw, m, &name, &net, &metadata, &gateway_markers(m));
    b.insert("type".into(), json!("VS_TYPE_VH_PARENT"));
    b.insert("vh_type".into(), json!("VS_TYPE_VH_ENHANCED"));
    if !certs.is_empty() {
        b.insert(
            "ssl_key_and_certificate_refs".into(),
            Value::Array(
                certs
                    .iter()
                    .map(|c| json!(api_ref("sslkeyandcertificate", c)))
                    .collect(),
            ),
        );
    }
    b.insert(
        "http_policies".into(),
        json!([{"index": 11, "http_policy_set_ref": api_ref("httppolicyset", &names::default_backend(&gw.s.cluster_name))}]),
    );
    out.emit(
        AviType::Virtualservice,
        &m.tenant,
        &name,
        [m.source()],
        Value::Object(b),
    );
}

/// The request rule answering 404 for anything no route matched
/// (`AddDefaultHTTPPolicySet`, `AddDefaultRule`).
pub fn default_backend_rule(index: usize) -> Value {
    json!({
        "name": "default-backend-rule",
        "enable": true,
        "index": index,
        "match": {"path": {"match_criteria": "BEGINS_WITH", "match_str": ["/"]}},
        "switching_action": {
            "action": "HTTP_SWITCHING_SELECT_LOCAL",
            "status_code": "HTTP_LOCAL_RESPONSE_STATUS_CODE_404",
        },
    })
}

/// The default-backend policy set of a tenant, shared by its Gateways.
pub fn emit_default_backend(gw: &Gw, out: &mut Out, tenant: &str, sources: BTreeSet<String>) {
    let name = names::default_backend(&gw.s.cluster_name);
    let body = json!({
        "name": name,
        "tenant_ref": tenant_ref(tenant),
        "created_by": gw.created_by,
        "http_request_policy": {"rules": [default_backend_rule(0)]},
        "http_security_policy": {},
        "markers": cluster_markers(&gw.s),
    });
    out.emit(AviType::Httppolicyset, tenant, &name, sources, body);
}
