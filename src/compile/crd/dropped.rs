//! Warnings for CRD objects AKO accepts but does not apply in the current
//! mode: AKO's output stays as it is, the user learns what was dropped.

use super::super::{Context, Out, describe};
use crate::kube::crd::Crd;
use crate::model::{Diagnostic, Severity};

/// In SNI mode (`enableEVH` false) AKO reads no L7Rule and no SSORule:
/// `BuildL7HostRule` (`internal/nodes/crd_translator.go`) follows a
/// HostRule's `l7Rule` only when EVH is enabled, and `BuildL7SSORule` is
/// called from the EVH model builders only (`internal/nodes/avi_model_evh_nodes.go`).
pub fn warn_sni_mode(ctx: &Context, out: &mut Out) {
    if ctx.settings.enable_evh {
        return;
    }
    for hr in ctx.crds.host_rules.iter().filter(|h| h.verdict.accepted()) {
        let l7 = &hr.obj.spec.virtualhost.l7_rule;
        if l7.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new(
                Severity::Warning,
                Some(describe("HostRule", hr.obj.namespace(), hr.obj.name())),
                format!(
                    "spec.virtualhost.l7Rule {l7} has no effect: AKO applies L7Rules only with AKOSettings.enableEVH (SNI mode ignores them)"
                ),
            )
            .at(&hr.obj.origin),
        );
    }
    for r in ctx.crds.sso_rules.iter().filter(|r| r.verdict.accepted()) {
        out.push(
            Diagnostic::new(
                Severity::Warning,
                Some(describe("SSORule", r.obj.namespace(), r.obj.name())),
                "has no effect: AKO applies SSORules only to EVH virtual services (AKOSettings.enableEVH; SNI mode ignores them)",
            )
            .at(&r.obj.origin),
        );
    }
}

/// HostRule fields that land on the host's own virtual service, by the
/// name the user wrote (`spec.virtualhost.*`). `gslb` (a Host header
/// rewrite on the shared VS), `tls` (which makes the host secure), `l7Rule`
/// and `useRegex` / `applicationRootPath` are judged elsewhere.
fn vs_fields(vh: &crate::kube::crd::hostrule::VirtualHost) -> Vec<&'static str> {
    let mut f = Vec::new();
    let mut put = |set: bool, name: &'static str| {
        if set {
            f.push(name);
        }
    };
    put(!vh.analytics_profile.is_empty(), "analyticsProfile");
    put(!vh.application_profile.is_empty(), "applicationProfile");
    put(!vh.datascripts.is_empty(), "datascripts");
    put(vh.enable_virtual_host.is_some(), "enableVirtualHost");
    put(!vh.error_page_profile.is_empty(), "errorPageProfile");
    put(!vh.http_policy.policy_sets.is_empty(), "httpPolicy");
    put(!vh.waf_policy.is_empty(), "wafPolicy");
    put(vh.analytics_policy.is_some(), "analyticsPolicy");
    put(vh.tcp_settings.is_some(), "tcpSettings");
    put(
        vh.aliases.as_ref().is_some_and(|a| !a.is_empty()),
        "aliases",
    );
    put(!vh.icap_profile.is_empty(), "icapProfile");
    put(
        !vh.network_security_policy.is_empty(),
        "networkSecurityPolicy",
    );
    f
}

/// A HostRule whose host is insecure on a shared SNI virtual service (SNI
/// mode, no TLS for the host): such a host has no virtual service of its
/// own, and AKO applies a HostRule's virtual-service fields only to the
/// host's SNI child, its dedicated VS or (by the shared VS's own FQDN) the
/// shared VS: `BuildL7HostRule` (`internal/nodes/crd_translator.go`) is
/// called from `BuildTlsCertNode` / `BuildDedicatedVSL7...` in
/// `internal/nodes/avi_model_l7_hostname_shard.go` and from the shared
/// VS's FQDN in `avi_model_l7_translator.go`, never for the pool-group
/// members of an insecure host. AKO's output is unchanged; the warning names
/// the fields that do nothing.
pub fn warn_insecure_sni_hosts(ctx: &Context, out: &mut Out) {
    use super::vs::{Role, bind_host, role};
    use crate::model::AviType;
    use serde_json::Value;
    use std::collections::BTreeSet;

    if ctx.settings.enable_evh || !ctx.crds.any_host_rule() {
        return;
    }
    let prefix = ctx.settings.prefix();
    let mut bound: BTreeSet<String> = BTreeSet::new();
    let mut insecure: BTreeSet<String> = BTreeSet::new();
    for o in out.iter_kind(AviType::Virtualservice) {
        let Some(r) = role(&o.name, &o.body) else {
            continue;
        };
        if let Some(h) = bind_host(out, &prefix, &o.tenant, &o.name, r, &o.body) {
            bound.insert(h);
        }
        if r != (Role::Parent { evh: false }) {
            continue;
        }
        let pg = out.get(AviType::Poolgroup, &o.tenant, &o.name);
        let labels = pg
            .as_deref()
            .and_then(|pg| pg.body.get("members"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| m.get("priority_label").and_then(Value::as_str));
        for l in labels {
            insecure.insert(l.split('/').next().unwrap_or(l).to_string());
        }
    }
    let mut warned: BTreeSet<(String, String)> = BTreeSet::new();
    for host in insecure.difference(&bound) {
        let Some(hr) = ctx.crds.host_rule(host) else {
            continue;
        };
        let fields = vs_fields(&hr.obj.spec.virtualhost);
        let key = (hr.obj.namespace().to_string(), hr.obj.name().to_string());
        if fields.is_empty() || !warned.insert(key) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Severity::Warning,
                Some(describe("HostRule", hr.obj.namespace(), hr.obj.name())),
                format!(
                    "spec.virtualhost {} has no effect: AKO applies HostRules to a host's own virtual service, and host {host} is insecure in SNI mode (served from the shared virtual service's pool group); give the host TLS (Ingress spec.tls or spec.virtualhost.tls) or enable AKOSettings.enableEVH",
                    fields.join(", ")
                ),
            )
            .at(&hr.origin),
        );
    }
}
