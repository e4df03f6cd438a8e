//! OpenShift Routes read into the Ingress model (translation-extended.md
//! §1.1-§1.5). AKO: `internal/nodes/validator.go` `ParseHostPathForRoute`,
//! `internal/lib/lib.go` `HasValidBackends`, `GetHostnameforSubdomain`.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use std::collections::BTreeMap;

use super::names::DEFAULT_SECRET;
use super::parse::{
    HostPaths, InlineCert, L7Infra, ParsedIngress, PathEntry, RouteExtras, TlsGroup, host_rule_cert,
};
use crate::compile::crd::infra::InfraChoice;
use crate::compile::{Context, Out, describe};
use crate::kube::route::{Route, RouteTarget};
use crate::model::{Diagnostic, Obj, Severity};

/// Weight of a backend without one (`ParseHostPathForRoute`).
const DEFAULT_WEIGHT: i32 = 100;

use super::parse::OrderKey;

/// `internal/lib/utils.go` `RouteLessthan` plus uid/namespace/name tie-breaks.
pub fn order_key(r: &Obj<Route>) -> OrderKey {
    let m = &r.metadata;
    (
        m.creation_timestamp.as_ref().map(|t| t.0),
        m.uid.clone().unwrap_or_default(),
        m.namespace.clone().unwrap_or_default(),
        m.name.clone().unwrap_or_default(),
    )
}

/// The effective host: `spec.host`, else `subdomain + "." + defaultDomain`
/// (`internal/lib/lib.go` `GetHostnameforSubdomain`); `""` when neither works.
pub fn effective_host(route: &Route, default_domain: &str) -> String {
    if !route.spec.host.is_empty() {
        return route.spec.host.clone();
    }
    let (sub, dom) = (route.spec.subdomain.as_str(), default_domain);
    if sub.is_empty() || dom.is_empty() {
        return String::new();
    }
    if dom.starts_with('.') {
        format!("{sub}{dom}")
    } else {
        format!("{sub}.{dom}")
    }
}

/// Why AKO refuses a Route's backends (`HasValidBackends`): one service
/// named twice.
pub fn duplicate_backend(route: &Route) -> Option<String> {
    let mut seen = vec![route.spec.to.name.as_str()];
    for b in &route.spec.alternate_backends {
        if seen.contains(&b.name.as_str()) {
            return Some(b.name.clone());
        }
        seen.push(&b.name);
    }
    None
}

/// Every Route AKO would handle, read into the Ingress model, in processing
/// order (creation time, uid, namespace, name).
///
/// Admission follows AKO's Route event handler (translation-extended.md
/// §1.1): namespace filter, then the `fqdnReusePolicy: Strict` claim, then
/// the backends, the AviInfraSetting and the host. AKO:
/// `internal/k8s/controller.go` `AddRouteEventHandler`,
/// `isRouteAcceptedWithFQDNRestriction`; `internal/nodes/route_ingress_model.go`
/// `getL7RouteInfraSetting`.
pub fn accepted<'a>(ctx: &Context<'a>, out: &mut Out) -> Vec<ParsedIngress<'a>> {
    let mut routes: Vec<&Obj<Route>> = ctx.snapshot.routes.iter().collect();
    routes.sort_by_key(|r| order_key(r));
    let mut parsed = Vec::new();
    // `spec.host` → namespace/name of the oldest Route claiming it (Strict).
    let mut claims: BTreeMap<String, (String, String)> = BTreeMap::new();
    for r in routes {
        let ns = r.metadata.namespace.clone().unwrap_or_default();
        let name = r.metadata.name.clone().unwrap_or_default();
        let what = describe("Route", &ns, &name);
        let diag = |out: &mut Out, sev: Severity, msg: String| {
            out.push(Diagnostic::new(sev, Some(what.clone()), msg).at(&r.origin));
        };
        if let Err(why) = ctx.namespace_accepted(&ns) {
            diag(out, Severity::Info, format!("not handled: {why}"));
            continue;
        }
        if let Some((owner_ns, owner)) = strict_claim(ctx, &mut claims, r, &ns, &name) {
            diag(
                out,
                Severity::Warning,
                format!(
                    "host {:?} is already claimed by Route {owner_ns}/{owner} of another namespace (fqdnReusePolicy: Strict; status: Host already Claimed); AKO does not admit this Route",
                    r.spec.host
                ),
            );
            continue;
        }
        if let Some(svc) = duplicate_backend(r) {
            diag(
                out,
                Severity::Warning,
                format!(
                    "service {svc} is used by more than one backend (MultipleBackendsWithSameServiceError); AKO does not admit this Route"
                ),
            );
            continue;
        }
        let choice = ctx
            .crds
            .infra_for_route(ctx, &ns, r.metadata.annotations.as_ref());
        if let InfraChoice::Block(why) = &choice {
            diag(
                out,
                Severity::Warning,
                format!("not handled: {why}; AKO does not process this Route"),
            );
            continue;
        }
        let host = effective_host(r, &ctx.settings.default_domain);
        if host.is_empty() {
            diag(
                out,
                Severity::Warning,
                "no host: spec.host is empty and spec.subdomain with defaultDomain gives none; Route skipped".into(),
            );
            continue;
        }
        let subs = &ctx.settings.cloud.dns_subdomains;
        if !subs.is_empty() && !subs.iter().any(|d| host.ends_with(d.as_str())) {
            diag(
                out,
                Severity::Warning,
                format!(
                    "host {host} does not end with any of the cloud's DNS sub-domains {subs:?}; Route skipped"
                ),
            );
            continue;
        }
        if r.spec
            .wildcard_policy
            .as_deref()
            .is_some_and(|w| w != "None")
        {
            diag(
                out,
                Severity::Info,
                "spec.wildcardPolicy is ignored by AKO: the Route serves its literal host".into(),
            );
        }
        let mut p = parse(ctx, r, ns, name, host);
        p.infra = L7Infra::of(ctx, &choice);
        parsed.push(p);
    }
    parsed
}

/// `fqdnReusePolicy: Strict` (in effect only with EVH; the settings hold
/// `Strict` only then): the first Route in processing order claims its
/// literal `spec.host` (AKO keys the claim by `spec.host`, not by the host
/// derived from `spec.subdomain`); a Route of another namespace with that
/// host is not admitted. Returns the owner when `r` is refused. AKO:
/// `internal/k8s/controller.go` `isRouteAcceptedWithFQDNRestriction`,
/// `internal/objects/uniquehostname.go` `UpdateHostnameToRoute`.
fn strict_claim(
    ctx: &Context,
    claims: &mut BTreeMap<String, (String, String)>,
    r: &Route,
    ns: &str,
    name: &str,
) -> Option<(String, String)> {
    if ctx.settings.fqdn_reuse_policy != "Strict" {
        return None;
    }
    match claims.get(&r.spec.host) {
        Some((owner_ns, owner)) if owner_ns != ns => Some((owner_ns.clone(), owner.clone())),
        Some(_) => None,
        None => {
            claims.insert(r.spec.host.clone(), (ns.to_string(), name.to_string()));
            None
        }
    }
}

fn entry(path: &str, b: &RouteTarget, port: Option<&IntOrString>) -> PathEntry {
    let (port_name, target_port) = match port {
        Some(IntOrString::String(n)) => (n.clone(), None),
        Some(IntOrString::Int(i)) => (String::new(), Some(IntOrString::Int(*i))),
        None => (String::new(), None),
    };
    PathEntry {
        path: path.to_string(),
        exact: false,
        service: b.name.clone(),
        port: 0,
        port_name,
        target_port,
        // Weights are copied verbatim; a negative one cannot pass the API server.
        ratio: u32::try_from(b.weight.unwrap_or(DEFAULT_WEIGHT)).unwrap_or(0),
    }
}

/// `ParseHostPathForRoute`: one host, one path, the backends; classification
/// by `tls.termination`, `insecureEdgeTerminationPolicy` and a HostRule
/// certificate for the host (translation-extended.md §1.3, §2.2.4). The
/// infrasetting is set by the caller.
fn parse<'a>(
    ctx: &Context<'a>,
    r: &'a Obj<Route>,
    ns: String,
    name: String,
    host: String,
) -> ParsedIngress<'a> {
    let spec = &r.spec;
    let port = spec.port.as_ref().map(|p| &p.target_port);
    let mut paths = vec![entry(&spec.path, &spec.to, port)];
    // Alternate backends never get a port (§1.2).
    paths.extend(
        spec.alternate_backends
            .iter()
            .map(|b| entry(&spec.path, b, None)),
    );
    // A HostRule certificate for the host (`sslKeyCertHostRulePresent`).
    let host_rule = host_rule_cert(ctx, &host);
    let hp = HostPaths { host, paths };
    let mut p = ParsedIngress {
        kind: "Route",
        origin: &r.origin,
        route: Some(RouteExtras::default()),
        tenant: ctx.tenant_of(&ns),
        ns,
        name,
        insecure: Vec::new(),
        tls: Vec::new(),
        infra: L7Infra::global(ctx),
        passthrough: Vec::new(),
        passthrough_redirect: false,
    };
    let tls = spec.tls.as_ref();
    let iep = tls.map_or("", |t| t.insecure_edge_termination_policy.as_str());
    let allow = tls.is_some() && iep == "Allow";
    // The insecure part: no certificate from anywhere, or `Allow`.
    if (tls.is_none() && host_rule.is_none()) || allow {
        p.insecure.push(hp.clone());
    }
    p.route = Some(RouteExtras {
        allow,
        ..RouteExtras::default()
    });
    if let Some(t) = tls
        && t.termination == "passthrough"
    {
        // Passthrough ignores any HostRule certificate.
        p.passthrough.push(hp);
        p.passthrough_redirect = iep == "Redirect";
        return p;
    }
    if let Some(hr) = host_rule {
        // The HostRule certificate wins: the Route's own certificate,
        // termination, redirect and CAs are not used, and a Route never gets
        // the port-80 redirect from a HostRule.
        p.tls.push(TlsGroup {
            inline: None,
            redirect: false,
            secret_name: hr.name,
            secret_ns: hr.ns,
            hosts: vec![hp],
            avi_cert: hr.avi_cert,
            alt_secret: hr.alt_secret,
        });
        return p;
    }
    let Some(tls) = tls else {
        return p;
    };
    let inline = (!tls.certificate.is_empty() && !tls.key.is_empty()).then(|| InlineCert {
        cert: tls.certificate.clone(),
        key: tls.key.clone(),
        ca: tls.ca_certificate.clone(),
    });
    p.tls.push(TlsGroup {
        inline,
        redirect: iep == "Redirect",
        secret_name: DEFAULT_SECRET.into(),
        secret_ns: ctx.settings.ako_namespace.clone(),
        hosts: vec![hp],
        avi_cert: false,
        alt_secret: None,
    });
    let reencrypt = tls.termination == "reencrypt";
    p.route = Some(RouteExtras {
        allow,
        reencrypt,
        block_http: iep == "None",
        destination_ca: if reencrypt {
            tls.destination_ca_certificate.clone()
        } else {
            String::new()
        },
    });
    p
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{Value, json};

    use super::*;
    use crate::model::{Origin, Snapshot};
    use crate::settings::Settings;

    fn route(name: &str, spec: Value) -> Obj<Route> {
        Obj {
            origin: Origin {
                file: Arc::from("t.yaml"),
                line: 1,
            },
            obj: serde_json::from_value(
                json!({"apiVersion": "route.openshift.io/v1", "kind": "Route",
                "metadata": {"name": name, "namespace": "default"}, "spec": spec}),
            )
            .unwrap_or_default(),
        }
    }

    fn run(
        routes: Vec<Obj<Route>>,
        s: &Settings,
    ) -> (Vec<ParsedIngress<'static>>, Vec<Diagnostic>) {
        let snap: &'static Snapshot = Box::leak(Box::new(Snapshot {
            routes,
            ..Snapshot::default()
        }));
        let s: &'static Settings = Box::leak(Box::new(s.clone()));
        let ctx = Context::new(snap, s);
        let mut out = Out::default();
        let p = accepted(&ctx, &mut out);
        (p, out.finish().diagnostics)
    }

    #[test]
    fn host_from_subdomain_and_default_domain() {
        let mut r = route("r", json!({"subdomain": "app", "to": {"name": "s"}}));
        assert_eq!(
            effective_host(&r, "apps.example.com"),
            "app.apps.example.com"
        );
        assert_eq!(effective_host(&r, ".example.com"), "app.example.com");
        assert_eq!(effective_host(&r, ""), "");
        r.obj.spec.host = "h.com".into();
        assert_eq!(effective_host(&r, "x.com"), "h.com");
    }

    #[test]
    fn same_service_twice_is_rejected() {
        let (p, d) = run(
            vec![
                route(
                    "dup",
                    json!({"host": "a.com", "to": {"name": "s"}, "alternateBackends": [{"name": "s"}]}),
                ),
                route(
                    "dup2",
                    json!({"host": "a.com", "to": {"name": "s"}, "alternateBackends": [{"name": "t"}, {"name": "t"}]}),
                ),
                route(
                    "ok",
                    json!({"host": "a.com", "to": {"name": "s"}, "alternateBackends": [{"name": "t"}]}),
                ),
            ],
            &Settings::default(),
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].name, "ok");
        assert_eq!(
            d.iter()
                .filter(|d| d.message.contains("MultipleBackendsWithSameServiceError"))
                .count(),
            2
        );
    }

    #[test]
    fn weights_and_ports() {
        let (p, _) = run(
            vec![route(
                "w",
                json!({"host": "a.com", "path": "/x", "to": {"name": "s", "weight": 0},
                       "port": {"targetPort": "web"},
                       "alternateBackends": [{"name": "t"}, {"name": "u", "weight": 7}]}),
            )],
            &Settings::default(),
        );
        let e = &p[0].insecure[0].paths;
        let got: Vec<(&str, u32, &str)> = e
            .iter()
            .map(|x| (x.service.as_str(), x.ratio, x.port_name.as_str()))
            .collect();
        assert_eq!(got, vec![("s", 0, "web"), ("t", 100, ""), ("u", 7, "")]);
        assert!(e.iter().all(|x| x.path == "/x"));
        let (p, _) = run(
            vec![route(
                "n",
                json!({"host": "a.com", "to": {"name": "s"}, "port": {"targetPort": 8443}}),
            )],
            &Settings::default(),
        );
        assert_eq!(
            p[0].insecure[0].paths[0].target_port,
            Some(IntOrString::Int(8443))
        );
        assert_eq!(p[0].pool_suffix("s"), "-s");
    }

    #[test]
    fn classification_by_termination_and_policy() {
        let tls = |term: &str, iep: &str| {
            route(
                &format!("{term}-{iep}"),
                json!({"host": "a.com", "to": {"name": "s"},
                       "tls": {"termination": term, "insecureEdgeTerminationPolicy": iep,
                               "certificate": "C", "key": "K", "destinationCACertificate": "D"}}),
            )
        };
        let (p, _) = run(
            vec![
                tls("edge", "Redirect"),
                tls("edge", "Allow"),
                tls("reencrypt", "None"),
                tls("passthrough", "Redirect"),
                tls("passthrough", "Allow"),
            ],
            &Settings::default(),
        );
        // name -> (insecure, secure, redirect, passthrough, passthrough redirect)
        let got: std::collections::BTreeMap<&str, (usize, usize, bool, usize, bool)> = p
            .iter()
            .map(|x| {
                (
                    x.name.as_str(),
                    (
                        x.insecure.len(),
                        x.tls.len(),
                        x.tls.first().is_some_and(|g| g.redirect),
                        x.passthrough.len(),
                        x.passthrough_redirect,
                    ),
                )
            })
            .collect();
        let want: std::collections::BTreeMap<&str, (usize, usize, bool, usize, bool)> = [
            ("edge-Redirect", (0, 1, true, 0, false)),
            ("edge-Allow", (1, 1, false, 0, false)),
            ("reencrypt-None", (0, 1, false, 0, false)),
            ("passthrough-Redirect", (0, 0, false, 1, true)),
            ("passthrough-Allow", (1, 0, false, 1, false)),
        ]
        .into();
        assert_eq!(got, want);
        let by = |n: &str| p.iter().find(|x| x.name == n).cloned();
        let re = by("reencrypt-None")
            .and_then(|x| x.route)
            .unwrap_or_default();
        assert!(re.reencrypt && re.destination_ca == "D");
        let edge = by("edge-Redirect");
        let extras = edge
            .as_ref()
            .and_then(|x| x.route.clone())
            .unwrap_or_default();
        assert!(!extras.reencrypt && extras.destination_ca.is_empty());
        assert!(edge.is_some_and(|x| x.tls[0].inline.is_some()));
    }

    #[test]
    fn secure_route_without_inline_certificate_uses_router_certs_default() {
        let (p, _) = run(
            vec![route(
                "d",
                json!({"host": "a.com", "to": {"name": "s"}, "tls": {"termination": "edge", "certificate": "C"}}),
            )],
            &Settings::default(),
        );
        let g = &p[0].tls[0];
        assert!(g.inline.is_none());
        assert_eq!(g.secret_name, DEFAULT_SECRET);
        assert_eq!(g.secret_ns, "avi-system");
    }

    #[test]
    fn host_outside_the_dns_subdomains_skips_the_route() {
        let mut s = Settings::default();
        s.cloud.dns_subdomains = vec!["avi.internal".into()];
        let (p, d) = run(
            vec![
                route("in", json!({"host": "a.avi.internal", "to": {"name": "s"}})),
                route("out", json!({"host": "a.com", "to": {"name": "s"}})),
            ],
            &s,
        );
        assert_eq!(p.len(), 1);
        assert!(d.iter().any(|d| d.message.contains("a.com")));
    }

    fn run_with(snap: Snapshot, s: &Settings) -> (Vec<ParsedIngress<'static>>, Vec<Diagnostic>) {
        let snap: &'static Snapshot = Box::leak(Box::new(snap));
        let s: &'static Settings = Box::leak(Box::new(s.clone()));
        let ctx = Context::new(snap, s);
        let mut out = Out::default();
        let p = accepted(&ctx, &mut out);
        (p, out.finish().diagnostics)
    }

    fn crd<T: serde::de::DeserializeOwned + Default>(v: Value) -> Obj<T> {
        Obj {
            origin: Origin {
                file: Arc::from("t.yaml"),
                line: 1,
            },
            obj: serde_json::from_value(v).unwrap_or_default(),
        }
    }

    #[test]
    fn host_rule_certificate_makes_a_route_secure_without_redirect() {
        let hr = crd(
            json!({"apiVersion": "ako.vmware.com/v1beta1", "kind": "HostRule",
            "metadata": {"name": "hr", "namespace": "rules"},
            "spec": {"virtualhost": {"fqdn": "a.com", "tls": {"sslKeyCertificate": {"name": "c", "type": "secret"}}}},
            "status": {"status": "Accepted"}}),
        );
        let snap = Snapshot {
            host_rules: vec![hr],
            routes: vec![
                route("plain", json!({"host": "a.com", "to": {"name": "s"}})),
                route(
                    "re",
                    json!({"host": "a.com", "to": {"name": "s"}, "tls": {"termination": "reencrypt",
                        "insecureEdgeTerminationPolicy": "Redirect", "certificate": "C", "key": "K",
                        "destinationCACertificate": "D"}}),
                ),
                route(
                    "allow",
                    json!({"host": "a.com", "to": {"name": "s"}, "tls": {"termination": "edge",
                        "insecureEdgeTerminationPolicy": "Allow"}}),
                ),
                route(
                    "pass",
                    json!({"host": "a.com", "to": {"name": "s"}, "tls": {"termination": "passthrough"}}),
                ),
            ],
            ..Snapshot::default()
        };
        let (p, _) = run_with(snap, &Settings::default());
        let by = |n: &str| p.iter().find(|x| x.name == n);
        for n in ["plain", "re", "allow"] {
            let x = by(n).map(|x| x.tls.clone()).unwrap_or_default();
            assert_eq!(x.len(), 1, "{n}");
            assert!(!x[0].redirect && x[0].inline.is_none(), "{n}");
            assert_eq!(
                (x[0].secret_ns.as_str(), x[0].secret_name.as_str()),
                ("rules", "c")
            );
        }
        assert!(by("plain").is_some_and(|x| x.insecure.is_empty()));
        assert!(by("allow").is_some_and(|x| x.insecure.len() == 1));
        let re = by("re").and_then(|x| x.route.clone()).unwrap_or_default();
        assert!(!re.reencrypt && re.destination_ca.is_empty() && !re.block_http);
        let pass = by("pass");
        assert!(pass.is_some_and(|x| x.tls.is_empty() && x.passthrough.len() == 1));
    }

    #[test]
    fn strict_fqdn_reuse_lets_the_oldest_namespace_keep_the_host() {
        let mut a = route("a", json!({"host": "h.com", "to": {"name": "s"}}));
        a.obj.metadata.creation_timestamp =
            serde_json::from_value(json!("2024-01-02T00:00:00Z")).ok();
        let mut b = route("b", json!({"host": "h.com", "to": {"name": "s"}}));
        b.obj.metadata.namespace = Some("other".into());
        b.obj.metadata.creation_timestamp =
            serde_json::from_value(json!("2024-01-01T00:00:00Z")).ok();
        let mut c = route("c", json!({"host": "h.com", "to": {"name": "s"}}));
        c.obj.metadata.namespace = Some("other".into());
        c.obj.metadata.creation_timestamp =
            serde_json::from_value(json!("2024-01-03T00:00:00Z")).ok();
        let snap = || Snapshot {
            routes: vec![a.clone(), b.clone(), c.clone()],
            ..Snapshot::default()
        };
        let (p, _) = run_with(snap(), &Settings::default());
        assert_eq!(p.len(), 3);
        let strict = Settings {
            fqdn_reuse_policy: "Strict".into(),
            ..Settings::default()
        };
        let (p, d) = run_with(snap(), &strict);
        let names: Vec<&str> = p.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, vec!["b", "c"]);
        assert!(d.iter().any(|d| d.message.contains("Route other/b")));
    }

    #[test]
    fn route_annotation_picks_the_infrasetting_and_a_missing_one_blocks() {
        let infra = crd(
            json!({"apiVersion": "ako.vmware.com/v1beta1", "kind": "AviInfraSetting",
            "metadata": {"name": "inf"},
            "spec": {"seGroup": {"name": "seg"}, "l7Settings": {"shardSize": "MEDIUM"}},
            "status": {"status": "Accepted"}}),
        );
        let annotated = |name: &str, infra: &str, spec: Value| {
            let mut r = route(name, spec);
            r.obj.metadata.annotations = Some(
                [(
                    "aviinfrasetting.ako.vmware.com/name".to_string(),
                    infra.to_string(),
                )]
                .into(),
            );
            r
        };
        let snap = Snapshot {
            infra_settings: vec![infra],
            routes: vec![
                annotated("with", "inf", json!({"host": "a.com", "to": {"name": "s"}})),
                annotated(
                    "pass",
                    "inf",
                    json!({"host": "p.com", "to": {"name": "s"}, "tls": {"termination": "passthrough"}}),
                ),
                annotated(
                    "gone",
                    "nope",
                    json!({"host": "b.com", "to": {"name": "s"}}),
                ),
                route("plain", json!({"host": "c.com", "to": {"name": "s"}})),
            ],
            ..Snapshot::default()
        };
        let (p, d) = run_with(snap, &Settings::default());
        let by = |n: &str| p.iter().find(|x| x.name == n);
        let with = by("with").map(|x| x.infra.clone());
        assert_eq!(with.as_ref().map(|i| i.name.as_str()), Some("inf"));
        assert_eq!(
            with.as_ref().map(|i| i.shard_size),
            Some(crate::settings::ShardSize::Medium)
        );
        assert_eq!(with.map(|i| i.net.se_group), Some("seg".to_string()));
        // The infrasetting's shard size also sizes the passthrough VSes.
        assert_eq!(
            by("pass").map(|x| x.infra.pass_shard_size),
            Some(crate::settings::ShardSize::Medium)
        );
        assert!(by("gone").is_none());
        assert!(
            d.iter()
                .any(|d| d.message.contains("AviInfraSetting nope not found"))
        );
        assert_eq!(
            by("plain").map(|x| x.infra.name.clone()),
            Some(String::new())
        );
    }
}
