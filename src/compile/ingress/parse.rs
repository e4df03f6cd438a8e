//! Which Ingresses AKO handles (translation-core.md §4.11, §5, §6.1) and how
//! one Ingress is read into hosts and paths (§4.4).

use k8s_openapi::api::networking::v1::{Ingress, IngressServiceBackend};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::names::DEFAULT_SECRET;
use crate::compile::{Context, Out, describe};
use crate::model::{Diagnostic, Obj, Severity};

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
    pub secret_name: String,
    /// Namespace of the Secret: the Ingress namespace, or AKO's namespace for
    /// the default secret.
    pub secret_ns: String,
    pub hosts: Vec<HostPaths>,
}

/// An accepted, parsed Ingress.
#[derive(Clone, Debug)]
pub struct ParsedIngress<'a> {
    pub obj: &'a Obj<Ingress>,
    pub ns: String,
    pub name: String,
    pub tenant: String,
    pub insecure: Vec<HostPaths>,
    pub tls: Vec<TlsGroup>,
}

impl ParsedIngress<'_> {
    pub fn source(&self) -> String {
        crate::compile::source("Ingress", &self.ns, &self.name)
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
        let annotations = ing.metadata.annotations.as_ref();
        if annotations
            .and_then(|a| a.get(PASSTHROUGH_ANNOTATION))
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            diag(
                out,
                Severity::Warning,
                "passthrough Ingresses (annotation passthrough.ako.vmware.com/enabled) are not compiled by akoctl yet; skipped".into(),
            );
            continue;
        }
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
        let p = parse(ctx, ing, &ns, &name, out);
        parsed.push(p);
    }
    parsed
}

type OrderKey = (Option<k8s_openapi::jiff::Timestamp>, String, String, String);

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
        if default_secret {
            // Each rule becomes its own TLS configuration with the default secret.
            tls.push(TlsGroup {
                secret_name: DEFAULT_SECRET.into(),
                secret_ns: ctx.settings.ako_namespace.clone(),
                hosts: vec![HostPaths { host, paths }],
            });
        } else if let Some(hp) = insecure.iter_mut().find(|h| h.host == host) {
            hp.paths.extend(paths);
        } else {
            insecure.push(HostPaths { host, paths });
        }
    }
    for t in spec.and_then(|s| s.tls.as_ref()).into_iter().flatten() {
        let mut group = TlsGroup {
            secret_name: t.secret_name.clone().unwrap_or_default(),
            secret_ns: ns.to_string(),
            hosts: Vec::new(),
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
    ParsedIngress {
        obj: ing,
        ns: ns.to_string(),
        name: name.to_string(),
        tenant: ctx.tenant_of(ns),
        insecure,
        tls,
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
    }
}
