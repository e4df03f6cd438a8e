//! Which Ingresses AKO handles (translation-core.md §4.11, §5, §6.1) and how
//! one Ingress is read into hosts and paths (§4.4).

use k8s_openapi::api::networking::v1::{Ingress, IngressServiceBackend};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::names::DEFAULT_SECRET;
use crate::compile::crd::infra::InfraChoice;
use crate::compile::vip::Net;
use crate::compile::{Context, Out, describe};
use crate::kube::crd::hostrule::{CERT_REF, CERT_SECRET};
use crate::model::{Diagnostic, Obj, Origin, Severity};
use crate::settings::ShardSize;

/// Controller name of AKO's IngressClass (`internal/lib/constants.go`
/// `AviIngressController`).
pub const AVI_CONTROLLER: &str = "ako.vmware.com/avi-lb";
/// Name of the IngressClass the helm chart renders (`helm/ako/templates/ingressclass.yaml`).
pub const CHART_CLASS: &str = "avi-lb";
const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";
const ENABLE_TLS_ANNOTATION: &str = "ako.vmware.com/enable-tls";
const PASSTHROUGH_ANNOTATION: &str = "passthrough.ako.vmware.com/enabled";

/// One `http.paths[]` entry as AKO keeps it (`internal/nodes/validator.go`
/// `IngressHostPathSvc`).
#[derive(Clone, Debug, PartialEq)]
pub struct PathEntry {
    /// The path as written (may be empty).
    pub path: String,
    /// `pathType: Exact` (else prefix semantics).
    pub exact: bool,
    pub service: String,
    /// `port.number`, 80 when a port name is used.
    pub port: i32,
    /// `port.name`, or the name of the Service port with that number.
    pub port_name: String,
    /// `targetPort` of the matching Service port; `None` when the Service is
    /// missing or of type NodePort.
    pub target_port: Option<IntOrString>,
    /// Poolgroup member ratio and `pool_ratio`: 100 for an Ingress, the
    /// backend weight for a Route (translation-extended.md §1.2).
    pub ratio: u32,
}

/// A host with its paths, rules of the same host merged in rule order.
#[derive(Clone, Debug, PartialEq)]
pub struct HostPaths {
    pub host: String,
    pub paths: Vec<PathEntry>,
}

/// One TLS configuration: a Secret and the hosts it secures.
#[derive(Clone, Debug, PartialEq)]
pub struct TlsGroup {
    /// Certificate given inline (Route `tls.certificate`/`tls.key`) instead
    /// of a Secret.
    pub inline: Option<InlineCert>,
    /// Whether port 80 of the hosts redirects to HTTPS: always for an
    /// Ingress, only `insecureEdgeTerminationPolicy: Redirect` for a Route.
    pub redirect: bool,
    pub secret_name: String,
    /// Namespace of the Secret: the Ingress namespace, or AKO's namespace for
    /// the default secret.
    pub secret_ns: String,
    pub hosts: Vec<HostPaths>,
    /// A HostRule names an Avi certificate (`tls.sslKeyCertificate.type: ref`):
    /// no certificate object is built; the CRD pass sets the reference.
    pub avi_cert: bool,
    /// A HostRule's alternate certificate Secret (same namespace), built
    /// after the main one (`HostRuleCert::alt_secret`).
    pub alt_secret: Option<String>,
}

/// The certificates a HostRule gives a host (translation-extended.md §2.2.3,
/// §2.2.4), as one TLS configuration.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct HostRuleCert {
    /// The certificate is an Avi certificate reference (`type: ref`): no
    /// certificate object is built, the CRD pass sets the reference.
    pub avi_cert: bool,
    /// Namespace of the Secret(s): the HostRule's.
    pub ns: String,
    /// The Secret (or Avi certificate) the host certificate comes from.
    pub name: String,
    /// `alternateCertificate` of `type: secret` next to a main certificate of
    /// `type: secret` (under the main's name when [`alternate_collides`]).
    pub alt_secret: Option<String>,
}

/// Whether the alternate certificate Secret of a HostRule lands under the
/// same certificate name as its main Secret. AKO builds both under
/// `GetTLSKeyCertNodeName(host, secret)`, which adds `-alt` only when the
/// Secret's own name ends in `-alt`; with equal names the one processed last
/// overwrites the other, and which that is follows Go map order
/// (`internal/nodes/validator.go` `ParseHostPathForIngress` iterates
/// `secretHostsMap`; `avi_model_l7_translator.go` `BuildTlsCertNode`). For a
/// Route the order is fixed, main then alternate (`ParseHostPathForRoute`
/// walks the list `sslKeyCertHostRulePresent` returns), so the alternate
/// wins; akoctl gives Ingresses the same outcome and reports the collision
/// (spec §8 item 21).
pub fn alternate_collides(main: &str, alt: &str) -> bool {
    main.ends_with("-alt") == alt.ends_with("-alt")
}

/// The certificate a HostRule gives a host (translation-extended.md §2.2.4).
/// AKO: `internal/nodes/validator.go` `findHostRuleMappingForFqdn`,
/// `sslKeyCertHostRulePresent` (either certificate, main or alternate, makes
/// the host secure).
///
/// * main `ref`: the Avi certificate; an alternate Secret would be built and
///   then dropped again by `BuildL7HostRule` (`SetSSLKeyCertRefs`), so none is
///   built.
/// * main `secret`: its certificates, then those of an alternate `secret`,
///   which replace a main one of the same name ([`alternate_collides`]; an
///   alternate `ref` is set by the CRD pass, which then drops the built
///   certificate as AKO does).
/// * no main certificate: the alternate one alone.
pub fn host_rule_cert(ctx: &Context, host: &str) -> Option<HostRuleCert> {
    let hr = ctx.crds.host_rule(host)?;
    let cert = &hr.obj.spec.virtualhost.tls.ssl_key_certificate;
    let alt = &cert.alternate_certificate;
    let ns = hr.obj.metadata.namespace.clone().unwrap_or_default();
    let pick = |kind: &str, name: &str| match kind {
        _ if name.is_empty() => None,
        CERT_SECRET => Some(HostRuleCert {
            avi_cert: false,
            ns: ns.clone(),
            name: name.to_string(),
            alt_secret: None,
        }),
        CERT_REF => Some(HostRuleCert {
            avi_cert: true,
            ns: String::new(),
            name: name.to_string(),
            alt_secret: None,
        }),
        _ => None,
    };
    match pick(cert.kind.as_str(), &cert.name) {
        Some(mut main) => {
            if !main.avi_cert && alt.kind == CERT_SECRET && !alt.name.is_empty() {
                main.alt_secret = Some(alt.name.clone());
            }
            Some(main)
        }
        None => pick(alt.kind.as_str(), &alt.name),
    }
}

/// A Route's inline certificate (`ParseHostPathForRoute`).
#[derive(Clone, Debug, PartialEq)]
pub struct InlineCert {
    pub cert: String,
    pub key: String,
    /// `tls.caCertificate`: a separate CA certificate object.
    pub ca: String,
}

/// What a Route adds to the Ingress model (translation-extended.md §1.4, §1.5).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RouteExtras {
    /// `insecureEdgeTerminationPolicy: Allow` (pool `insecureedgetermallow`).
    pub allow: bool,
    /// `termination: reencrypt`: pool-side TLS.
    pub reencrypt: bool,
    /// `insecureEdgeTerminationPolicy: None` on an edge/reencrypt Route
    /// without HostRule TLS (AKO's `blockHTTPTraffic`): in EVH mode port 80
    /// of the host closes the connection (translation-extended.md §3.5).
    pub block_http: bool,
    /// `tls.destinationCACertificate` (reencrypt): per-pool PKI profile.
    pub destination_ca: String,
}

/// An accepted, parsed Ingress, or a Route read into the same shape.
#[derive(Clone, Debug)]
pub struct ParsedIngress<'a> {
    /// `Ingress` or `Route`.
    pub kind: &'static str,
    pub origin: &'a Origin,
    /// `Some` for a Route: pool names carry the service name, pools may have TLS.
    pub route: Option<RouteExtras>,
    pub ns: String,
    pub name: String,
    pub tenant: String,
    pub insecure: Vec<HostPaths>,
    pub tls: Vec<TlsGroup>,
    pub infra: L7Infra,
    /// Hosts served by the shared L4 passthrough VSes
    /// (translation-extended.md §1.6).
    pub passthrough: Vec<HostPaths>,
    /// Whether the passthrough hosts redirect port 80 to HTTPS.
    pub passthrough_redirect: bool,
}

/// What the AviInfraSetting of an Ingress changes (translation-extended.md
/// §0.3, §2.4); the global settings when none applies. AKO:
/// `internal/nodes/route_ingress_model.go` `getL7IngressInfraSetting`,
/// `avi_model_l7_translator.go` `buildWithInfraSetting`.
#[derive(Clone, Debug)]
pub struct L7Infra {
    /// `X` of the L7 names and the `InfrasettingName` marker; empty when the
    /// setting is namespace-scoped or none applies.
    pub name: String,
    pub shard_size: ShardSize,
    pub net: Net,
    /// `network.listeners` as (port, enable_ssl, enable_http2).
    pub listeners: Vec<(i64, bool, bool)>,
    /// Shard size of the passthrough VSes: the infrasetting's
    /// `l7Settings.shardSize` when set, else `passthroughShardSize`
    /// (`internal/nodes/dequeue_ingestion.go` `DerivePassthroughVS`).
    pub pass_shard_size: ShardSize,
    /// An AviInfraSetting applies (namespace-scoped ones included).
    pub set: bool,
}

impl L7Infra {
    pub fn global(ctx: &Context) -> L7Infra {
        L7Infra {
            name: String::new(),
            shard_size: ctx.settings.shard_vs_size,
            net: Net::global(ctx.settings),
            listeners: Vec::new(),
            pass_shard_size: ctx.settings.passthrough_shard_size,
            set: false,
        }
    }

    pub fn of(ctx: &Context, choice: &InfraChoice) -> L7Infra {
        let s = ctx.settings;
        match choice.infra() {
            None => L7Infra::global(ctx),
            Some(i) => L7Infra {
                name: i.name_in_names().to_string(),
                shard_size: i.shard_size(s),
                net: Net::with_infra(s, Some(i)),
                listeners: i.listeners(),
                pass_shard_size: if i.setting.obj.spec.l7_settings.shard_size.is_empty() {
                    s.passthrough_shard_size
                } else {
                    i.shard_size(s)
                },
                set: true,
            },
        }
    }
}

impl ParsedIngress<'_> {
    pub fn source(&self) -> String {
        crate::compile::source(self.kind, &self.ns, &self.name)
    }

    /// Route pools end in `-<service>` (`internal/lib/lib.go` `GetL7PoolName`,
    /// `GetSniPoolName` with a service name); Ingress pools do not.
    pub fn pool_suffix(&self, svc: &str) -> String {
        if self.route.is_some() {
            format!("-{svc}")
        } else {
            String::new()
        }
    }
}

/// Every Ingress AKO would handle, parsed, in processing order (§6.1:
/// `creationTimestamp`, `uid`, then namespace and name).
pub fn accepted<'a>(ctx: &Context<'a>, out: &mut Out) -> Vec<ParsedIngress<'a>> {
    let mut ings: Vec<&Obj<Ingress>> = ctx.snapshot.ingresses.iter().collect();
    ings.sort_by_key(|i| order_key(i));
    let mut parsed = Vec::new();
    for ing in ings {
        let ns = ing.metadata.namespace.clone().unwrap_or_default();
        let name = ing.metadata.name.clone().unwrap_or_default();
        let what = describe("Ingress", &ns, &name);
        let diag = |out: &mut Out, sev: Severity, msg: String| {
            out.push(Diagnostic::new(sev, Some(what.clone()), msg).at(&ing.origin));
        };
        if let Err(why) = ctx.namespace_accepted(&ns) {
            diag(out, Severity::Info, format!("not handled: {why}"));
            continue;
        }
        if let Err((sev, why)) = class_accepted(ctx, ing) {
            diag(out, sev, why);
            continue;
        }
        if let Err(why) = validate(ing) {
            diag(out, Severity::Error, why);
            continue;
        }
        // Without any IngressClass in the input, the implicit chart class
        // carries no parameters: only the namespace can name a setting.
        let choice = if ctx.snapshot.ingress_classes.is_empty() {
            ctx.crds.infra_for_namespace(ctx, &ns)
        } else {
            ctx.crds.infra_for_ingress(ctx, &ing.obj)
        };
        if let InfraChoice::Block(why) = &choice {
            diag(
                out,
                Severity::Warning,
                format!("not handled: {why}; AKO does not process this Ingress"),
            );
            continue;
        }
        let infra = L7Infra::of(ctx, &choice);
        let annotations = ing.metadata.annotations.as_ref();
        let passthrough = annotations
            .and_then(|a| a.get(PASSTHROUGH_ANNOTATION))
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let spec = ing.spec.as_ref();
        if spec.is_some_and(|s| {
            s.rules
                .as_ref()
                .is_some_and(|r| r.iter().any(|r| r.http.is_none()))
        }) {
            diag(
                out,
                Severity::Warning,
                "a rule has no http block (no service backends); AKO does not process this Ingress"
                    .into(),
            );
            continue;
        }
        if spec.is_some_and(|s| s.default_backend.is_some()) {
            diag(
                out,
                Severity::Info,
                "spec.defaultBackend is ignored by AKO".into(),
            );
        }
        let mut p = parse(ctx, ing, &ns, &name, out);
        p.infra = infra;
        if passthrough {
            // Every host goes to the passthrough VSes, always with the port-80
            // redirect (translation-extended.md §1.6; `validator.go`
            // `ParseHostPathForIngress`, passthrough branch).
            let mut hosts = std::mem::take(&mut p.insecure);
            for g in std::mem::take(&mut p.tls) {
                hosts.extend(g.hosts);
            }
            for hp in hosts {
                match p.passthrough.iter_mut().find(|x| x.host == hp.host) {
                    Some(x) => x.paths.extend(hp.paths),
                    None => p.passthrough.push(hp),
                }
            }
            p.passthrough_redirect = true;
        }
        parsed.push(p);
    }
    parsed
}

pub type OrderKey = (Option<k8s_openapi::jiff::Timestamp>, String, String, String);

/// §6.1 processing order (`internal/lib/utils.go` `IngressLessthan` plus
/// namespace/name as final tie-breaks).
pub fn order_key(ing: &Obj<Ingress>) -> OrderKey {
    let m = &ing.metadata;
    (
        m.creation_timestamp.as_ref().map(|t| t.0),
        m.uid.clone().unwrap_or_default(),
        m.namespace.clone().unwrap_or_default(),
        m.name.clone().unwrap_or_default(),
    )
}

/// IngressClass check (`internal/lib/lib.go` `ValidateIngressForClass`,
/// `IsAviLBDefaultIngressClass`). When the input holds no IngressClass at all,
/// the chart's `avi-lb` class is assumed (rendered for the primary AKO only,
/// default iff `defaultIngController`).
fn class_accepted(ctx: &Context, ing: &Obj<Ingress>) -> Result<(), (Severity, String)> {
    let s = ctx.settings;
    let implicit = ctx.snapshot.ingress_classes.is_empty() && s.primary_instance;
    let class = ing
        .spec
        .as_ref()
        .and_then(|s| s.ingress_class_name.as_deref());
    match class {
        None => {
            let explicit_default = ctx.snapshot.ingress_classes.iter().any(|c| {
                c.spec.as_ref().and_then(|s| s.controller.as_deref()) == Some(AVI_CONTROLLER)
                    && c.metadata
                        .annotations
                        .as_ref()
                        .and_then(|a| a.get(DEFAULT_CLASS_ANNOTATION))
                        .is_some_and(|v| v == "true")
            });
            if explicit_default || (implicit && s.default_ing_controller) {
                Ok(())
            } else {
                Err((
                    Severity::Info,
                    format!(
                        "not handled: no ingressClassName and no IngressClass with controller {AVI_CONTROLLER} is the default class"
                    ),
                ))
            }
        }
        Some(name) => {
            if implicit && name == CHART_CLASS {
                return Ok(());
            }
            match ctx.ingress_classes.get(name) {
                None => Err((
                    Severity::Warning,
                    format!("not handled: IngressClass {name} not found"),
                )),
                Some(c) => {
                    let ctrl = c
                        .spec
                        .as_ref()
                        .and_then(|s| s.controller.as_deref())
                        .unwrap_or("");
                    if ctrl == AVI_CONTROLLER {
                        Ok(())
                    } else {
                        Err((
                            Severity::Info,
                            format!(
                                "not handled: IngressClass {name} has controller {ctrl:?}, not {AVI_CONTROLLER}"
                            ),
                        ))
                    }
                }
            }
        }
    }
}

/// Input AKO cannot handle at all (translation-core.md §5 row 12): a path
/// backend that is not a Service.
fn validate(ing: &Obj<Ingress>) -> Result<(), String> {
    let Some(rules) = ing.spec.as_ref().and_then(|s| s.rules.as_ref()) else {
        return Ok(());
    };
    for rule in rules {
        for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
            if p.backend.service.is_none() {
                let path = p.path.as_deref().unwrap_or("");
                let why = if p.backend.resource.is_some() {
                    "a resource backend"
                } else {
                    "no service backend"
                };
                return Err(format!(
                    "path {path:?} of host {:?} has {why}; AKO supports only Service backends (it fails on this Ingress); Ingress skipped",
                    rule.host.as_deref().unwrap_or("")
                ));
            }
        }
    }
    Ok(())
}

/// The cloud's DNS sub-domains, sorted as AKO sorts them
/// (`internal/nodes/avi_model_l4_translator.go` `GetDefaultSubDomain`); `None`
/// when the cloud has none.
fn subdomains(ctx: &Context) -> Option<Vec<String>> {
    let mut v = ctx.settings.cloud.dns_subdomains.clone();
    if v.is_empty() {
        return None;
    }
    v.sort();
    Some(v)
}

/// `internal/nodes/validator.go` `IsValidHostName`: plain suffix test.
fn host_valid(subs: &Option<Vec<String>>, host: &str) -> bool {
    match subs {
        None => true,
        Some(v) => v.iter().any(|d| host.ends_with(d.as_str())),
    }
}

/// `internal/nodes/validator.go` `ParseHostPathForIngress` (SNI mode, no
/// HostRule): hosts and paths, then TLS moves hosts from insecure to secure.
fn parse<'a>(
    ctx: &Context<'a>,
    ing: &'a Obj<Ingress>,
    ns: &str,
    name: &str,
    out: &mut Out,
) -> ParsedIngress<'a> {
    let what = describe("Ingress", ns, name);
    let subs = subdomains(ctx);
    let annotations = ing.metadata.annotations.as_ref();
    let default_secret = annotations
        .and_then(|a| a.get(ENABLE_TLS_ANNOTATION))
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut insecure: Vec<HostPaths> = Vec::new();
    let mut converted: Vec<(HostRuleCert, HostPaths)> = Vec::new();
    let mut tls: Vec<TlsGroup> = Vec::new();
    let spec = ing.spec.as_ref();
    for rule in spec.and_then(|s| s.rules.as_ref()).into_iter().flatten() {
        let host = match rule.host.as_deref().unwrap_or("") {
            "" => match &subs {
                None => {
                    out.push(
                        Diagnostic::new(
                            Severity::Warning,
                            Some(what.clone()),
                            "rule without host skipped: no DNS sub-domain configured in the cloud",
                        )
                        .at(&ing.origin),
                    );
                    continue;
                }
                Some(v) => {
                    let sd = &v[0];
                    if sd.starts_with('.') {
                        format!("{name}.{ns}{sd}")
                    } else {
                        format!("{name}.{ns}.{sd}")
                    }
                }
            },
            h => {
                if !host_valid(&subs, h) {
                    out.push(
                        Diagnostic::new(
                            Severity::Warning,
                            Some(what.clone()),
                            format!(
                                "rule for host {h} skipped: it does not end with any of the cloud's DNS sub-domains {:?}",
                                subs.as_deref().unwrap_or(&[])
                            ),
                        )
                        .at(&ing.origin),
                    );
                    continue;
                }
                h.to_string()
            }
        };
        let mut paths = Vec::new();
        for p in rule.http.iter().flat_map(|h| h.paths.iter()) {
            let Some(svc) = p.backend.service.as_ref() else {
                continue;
            };
            paths.push(path_entry(
                ctx,
                ns,
                p.path.as_deref().unwrap_or(""),
                &p.path_type,
                svc,
            ));
        }
        if let Some(key) = host_rule_cert(ctx, &host) {
            // A HostRule certificate makes the host secure (§2.2.4), before
            // the default secret and the Ingress's own TLS.
            match converted
                .iter_mut()
                .find(|(k, hp): &&mut (_, HostPaths)| *k == key && hp.host == host)
            {
                Some((_, hp)) => hp.paths.extend(paths),
                None => converted.push((key, HostPaths { host, paths })),
            }
        } else if default_secret {
            // Each rule becomes its own TLS configuration with the default secret.
            tls.push(TlsGroup {
                inline: None,
                redirect: true,
                secret_name: DEFAULT_SECRET.into(),
                secret_ns: ctx.settings.ako_namespace.clone(),
                hosts: vec![HostPaths { host, paths }],
                avi_cert: false,
                alt_secret: None,
            });
        } else if let Some(hp) = insecure.iter_mut().find(|h| h.host == host) {
            hp.paths.extend(paths);
        } else {
            insecure.push(HostPaths { host, paths });
        }
    }
    for t in spec.and_then(|s| s.tls.as_ref()).into_iter().flatten() {
        let mut group = TlsGroup {
            inline: None,
            redirect: true,
            secret_name: t.secret_name.clone().unwrap_or_default(),
            secret_ns: ns.to_string(),
            hosts: Vec::new(),
            avi_cert: false,
            alt_secret: None,
        };
        for h in t.hosts.iter().flatten() {
            if !host_valid(&subs, h) {
                continue;
            }
            if let Some(i) = insecure.iter().position(|x| x.host == *h) {
                group.hosts.push(insecure.remove(i));
            }
        }
        tls.push(group);
    }
    // One TLS configuration per HostRule certificate, after the Ingress's
    // own (AKO iterates a map here; ordered by certificate for determinism).
    converted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut extra: Vec<TlsGroup> = Vec::new();
    for (key, hp) in converted {
        let same = |g: &&mut TlsGroup| {
            g.avi_cert == key.avi_cert
                && g.secret_ns == key.ns
                && g.secret_name == key.name
                && g.alt_secret == key.alt_secret
        };
        match extra.iter_mut().find(same) {
            Some(g) => g.hosts.push(hp),
            None => extra.push(TlsGroup {
                inline: None,
                redirect: true,
                secret_name: key.name,
                secret_ns: key.ns,
                hosts: vec![hp],
                avi_cert: key.avi_cert,
                alt_secret: key.alt_secret,
            }),
        }
    }
    tls.extend(extra);
    ParsedIngress {
        kind: "Ingress",
        origin: &ing.origin,
        route: None,
        ns: ns.to_string(),
        name: name.to_string(),
        tenant: ctx.tenant_of(ns),
        insecure,
        tls,
        infra: L7Infra::global(ctx),
        passthrough: Vec::new(),
        passthrough_redirect: false,
    }
}

/// One path entry (§4.4 step 2; `validator.go` `findTargetPort`, `findPortName`).
fn path_entry(
    ctx: &Context,
    ns: &str,
    path: &str,
    path_type: &str,
    backend: &IngressServiceBackend,
) -> PathEntry {
    let number = backend.port.as_ref().and_then(|p| p.number).unwrap_or(0);
    let by_name = backend
        .port
        .as_ref()
        .and_then(|p| p.name.clone())
        .unwrap_or_default();
    let svc = ctx.service(ns, &backend.name);
    let ports = svc
        .and_then(|s| s.spec.as_ref())
        .and_then(|s| s.ports.as_ref());
    let is_nodeport = svc
        .and_then(|s| s.spec.as_ref())
        .and_then(|s| s.type_.as_deref())
        .is_some_and(|t| t == "NodePort");
    let target_port = if is_nodeport {
        None
    } else {
        ports.into_iter().flatten().find_map(|p| {
            (number == p.port || by_name == p.name.as_deref().unwrap_or("")).then(|| {
                // The API server defaults targetPort to the port.
                p.target_port.clone().unwrap_or(IntOrString::Int(p.port))
            })
        })
    };
    let port_name = if by_name.is_empty() {
        ports
            .into_iter()
            .flatten()
            .find(|p| p.port == number)
            .and_then(|p| p.name.clone())
            .unwrap_or_default()
    } else {
        by_name
    };
    PathEntry {
        path: path.to_string(),
        exact: path_type == "Exact",
        service: backend.name.clone(),
        port: if number == 0 { 80 } else { number },
        port_name,
        target_port,
        ratio: 100,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{Value, json};

    use super::*;
    use crate::model::{Origin, Snapshot};
    use crate::settings::{CloudFacts, Settings};

    fn obj<T: serde::de::DeserializeOwned>(v: Value) -> Obj<T> {
        Obj {
            origin: Origin {
                file: Arc::from("t.yaml"),
                line: 1,
            },
            obj: serde_json::from_value(v).expect("valid"),
        }
    }

    fn ingress(name: &str, spec: Value) -> Obj<Ingress> {
        obj(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                   "metadata": {"name": name, "namespace": "default"}, "spec": spec}),
        )
    }

    fn backend(svc: &str, port: Value) -> Value {
        json!({"service": {"name": svc, "port": port}})
    }

    fn path(p: &str, t: &str, svc: &str) -> Value {
        json!({"path": p, "pathType": t, "backend": backend(svc, json!({"number": 8080}))})
    }

    fn settings(subs: &[&str]) -> Settings {
        Settings {
            cloud: CloudFacts {
                dns_subdomains: subs.iter().map(|s| s.to_string()).collect(),
                ..CloudFacts::default()
            },
            ..Settings::default()
        }
    }

    /// (name, insecure hosts, [(secret, secure hosts)]) per accepted Ingress.
    type Summary = (String, Vec<String>, Vec<(String, Vec<String>)>);

    fn run(snap: &Snapshot, s: &Settings) -> (Vec<Summary>, Vec<Diagnostic>) {
        let ctx = Context::new(snap, s);
        let mut out = Out::default();
        let parsed = accepted(&ctx, &mut out);
        let v = parsed
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.insecure.iter().map(|h| h.host.clone()).collect(),
                    p.tls
                        .iter()
                        .map(|t| {
                            (
                                t.secret_name.clone(),
                                t.hosts.iter().map(|h| h.host.clone()).collect(),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        (v, out.finish().diagnostics)
    }

    #[test]
    fn host_less_rule_gets_generated_host_from_first_sorted_subdomain() {
        let snap = Snapshot {
            ingresses: vec![ingress(
                "nohost",
                json!({"rules": [{"http": {"paths": [path("/foo", "Prefix", "s")]}}]}),
            )],
            ..Snapshot::default()
        };
        let (p, _) = run(&snap, &settings(&["avi.internal", ".com"]));
        assert_eq!(p[0].1, vec!["nohost.default.com"]);
        let (p, _) = run(&snap, &settings(&["zz.io", "avi.internal"]));
        assert_eq!(p[0].1, vec!["nohost.default.avi.internal"]);
        let (p, d) = run(&snap, &settings(&[]));
        assert!(p[0].1.is_empty());
        assert!(d.iter().any(|d| d.message.contains("no DNS sub-domain")));
    }

    #[test]
    fn hosts_outside_the_subdomains_are_skipped_by_plain_suffix_test() {
        let rules = json!([
            {"host": "evilavi.internal", "http": {"paths": [path("/", "Prefix", "s")]}},
            {"host": "foo.org", "http": {"paths": [path("/", "Prefix", "s")]}},
        ]);
        let snap = Snapshot {
            ingresses: vec![ingress("i", json!({"rules": rules}))],
            ..Snapshot::default()
        };
        let (p, d) = run(&snap, &settings(&["avi.internal"]));
        assert_eq!(p[0].1, vec!["evilavi.internal"]);
        assert!(d.iter().any(|d| d.message.contains("foo.org")));
        let (p, _) = run(&snap, &settings(&[]));
        assert_eq!(p[0].1.len(), 2);
    }

    #[test]
    fn tls_moves_only_hosts_with_rules_and_only_once() {
        let spec = json!({
            "rules": [
                {"host": "a.com", "http": {"paths": [path("/x", "Prefix", "s")]}},
                {"host": "a.com", "http": {"paths": [path("/y", "Prefix", "s")]}},
                {"host": "b.com", "http": {"paths": [path("/", "Prefix", "s")]}},
            ],
            "tls": [
                {"hosts": ["a.com", "nowhere.com"], "secretName": "one"},
                {"hosts": ["a.com"], "secretName": "two"},
                {"secretName": "three"},
            ],
        });
        let snap = Snapshot {
            ingresses: vec![ingress("i", spec)],
            ..Snapshot::default()
        };
        let ctx_settings = settings(&[]);
        let ctx = Context::new(&snap, &ctx_settings);
        let mut out = Out::default();
        let p = accepted(&ctx, &mut out);
        assert_eq!(
            p[0].insecure
                .iter()
                .map(|h| h.host.as_str())
                .collect::<Vec<_>>(),
            vec!["b.com"]
        );
        assert_eq!(p[0].tls.len(), 3);
        assert_eq!(p[0].tls[0].hosts.len(), 1);
        let paths: Vec<&str> = p[0].tls[0].hosts[0]
            .paths
            .iter()
            .map(|e| e.path.as_str())
            .collect();
        assert_eq!(
            paths,
            vec!["/x", "/y"],
            "rules of one host are merged in rule order"
        );
        assert!(p[0].tls[1].hosts.is_empty() && p[0].tls[2].hosts.is_empty());
    }

    #[test]
    fn enable_tls_annotation_makes_every_rule_secure_with_the_default_secret() {
        let mut ing = ingress(
            "d",
            json!({"rules": [{"host": "a.com", "http": {"paths": [path("/", "Prefix", "s")]}}],
                   "tls": [{"hosts": ["a.com"], "secretName": "own"}]}),
        );
        ing.obj.metadata.annotations =
            Some([("ako.vmware.com/enable-tls".to_string(), "TRUE".to_string())].into());
        let snap = Snapshot {
            ingresses: vec![ing],
            ..Snapshot::default()
        };
        let (p, _) = run(&snap, &settings(&[]));
        assert!(p[0].1.is_empty());
        assert_eq!(
            p[0].2[0],
            (DEFAULT_SECRET.to_string(), vec!["a.com".to_string()])
        );
        assert!(
            p[0].2[1].1.is_empty(),
            "the Ingress own tls[] has no effect"
        );
    }

    #[test]
    fn backend_ports_follow_find_target_port_and_find_port_name() {
        let svc = obj(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "multi", "namespace": "default"},
            "spec": {"ports": [{"name": "myport1", "port": 80, "targetPort": 80},
                               {"name": "myport2", "port": 8080, "targetPort": 8090}]}}),
        );
        let unnamed = obj(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "single", "namespace": "default"},
            "spec": {"ports": [{"port": 80, "targetPort": 8080}]}}),
        );
        let np = obj(
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "np", "namespace": "default"},
            "spec": {"type": "NodePort", "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}),
        );
        let paths = json!([
            {"path": "/a", "pathType": "Prefix", "backend": backend("multi", json!({"name": "myport2"}))},
            {"path": "/b", "pathType": "Prefix", "backend": backend("multi", json!({"number": 8080}))},
            {"path": "/c", "pathType": "Prefix", "backend": backend("single", json!({"number": 9999}))},
            {"path": "/d", "pathType": "Prefix", "backend": backend("np", json!({"number": 80}))},
            {"path": "/e", "pathType": "Exact", "backend": backend("gone", json!({"number": 81}))},
        ]);
        let snap = Snapshot {
            services: vec![svc, unnamed, np],
            ingresses: vec![ingress(
                "i",
                json!({"rules": [{"host": "h.com", "http": {"paths": paths}}]}),
            )],
            ..Snapshot::default()
        };
        let s = settings(&[]);
        let ctx = Context::new(&snap, &s);
        let mut out = Out::default();
        let p = accepted(&ctx, &mut out);
        let e = &p[0].insecure[0].paths;
        let got: Vec<(i32, &str, Option<IntOrString>, bool)> = e
            .iter()
            .map(|x| (x.port, x.port_name.as_str(), x.target_port.clone(), x.exact))
            .collect();
        assert_eq!(got[0], (80, "myport2", Some(IntOrString::Int(8090)), false));
        assert_eq!(
            got[1],
            (8080, "myport2", Some(IntOrString::Int(8090)), false)
        );
        // An unnamed port matches any backend given by number through the empty name.
        assert_eq!(got[2], (9999, "", Some(IntOrString::Int(8080)), false));
        assert_eq!(got[3], (80, "http", None, false));
        assert_eq!(got[4], (81, "", None, true));
    }

    #[test]
    fn invalid_ingresses_are_skipped_with_a_diagnostic() {
        let resource = ingress(
            "res",
            json!({"rules": [{"host": "h.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
                "backend": {"resource": {"apiGroup": "x.io", "kind": "Bucket", "name": "b"}}}]}}]}),
        );
        let nohttp = ingress(
            "nohttp",
            json!({"rules": [{"host": "h.com"}, {"host": "g.com", "http": {"paths": [path("/", "Prefix", "s")]}}]}),
        );
        let snap = Snapshot {
            ingresses: vec![resource, nohttp],
            ..Snapshot::default()
        };
        let (p, d) = run(&snap, &settings(&[]));
        assert!(p.is_empty());
        assert!(
            d.iter()
                .any(|d| d.severity == Severity::Error && d.message.contains("resource backend"))
        );
        assert!(d.iter().any(|d| d.message.contains("no http block")));
    }

    #[test]
    fn processing_order_is_creation_time_then_uid_then_namespace_and_name() {
        let mut a = ingress("a", json!({}));
        let mut b = ingress("b", json!({}));
        let c = ingress("c", json!({}));
        a.obj.metadata.creation_timestamp =
            serde_json::from_value(json!("2024-02-01T00:00:00Z")).ok();
        b.obj.metadata.creation_timestamp =
            serde_json::from_value(json!("2024-01-01T00:00:00Z")).ok();
        let snap = Snapshot {
            ingresses: vec![a, b, c],
            ..Snapshot::default()
        };
        let (p, _) = run(&snap, &settings(&[]));
        let names: Vec<&str> = p.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, vec!["c", "b", "a"]);
    }

    #[test]
    fn ingress_class_rules() {
        let class = |name: &str, ctrl: &str, default: bool| {
            let mut m = json!({"name": name});
            if default {
                m["annotations"] = json!({"ingressclass.kubernetes.io/is-default-class": "true"});
            }
            obj(
                json!({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": m,
                       "spec": {"controller": ctrl}}),
            )
        };
        let plain = ingress("plain", json!({}));
        let named = ingress("named", json!({"ingressClassName": "avi-lb"}));
        // No class in the input: the chart class is assumed, default iff defaultIngController.
        let snap = Snapshot {
            ingresses: vec![plain.clone(), named.clone()],
            ..Snapshot::default()
        };
        assert_eq!(run(&snap, &settings(&[])).0.len(), 2);
        let off = Settings {
            default_ing_controller: false,
            ..settings(&[])
        };
        assert_eq!(run(&snap, &off).0.len(), 1);
        let secondary = Settings {
            primary_instance: false,
            ..settings(&[])
        };
        assert_eq!(run(&snap, &secondary).0.len(), 0);
        // Classes in the input decide.
        let snap = Snapshot {
            ingresses: vec![plain, named],
            ingress_classes: vec![class("avi-lb", "other.io/ctrl", true)],
            ..Snapshot::default()
        };
        assert_eq!(run(&snap, &settings(&[])).0.len(), 0);
    }
}
