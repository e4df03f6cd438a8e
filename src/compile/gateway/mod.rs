//! Gateway API (translation-extended.md §5): what AKO's `ako-gateway-api`
//! container builds from `gateway.networking.k8s.io/v1` GatewayClasses,
//! Gateways and HTTPRoutes when `featureGates.GatewayAPI` is on.
//!
//! This module judges the objects the way AKO's validators do
//! (`ako-gateway-api/k8s/validator.go` `IsValidGateway`, `isValidListener`;
//! `ako-gateway-api/nodes/route_validator.go` `IsHTTPRouteValid`,
//! `validateParentReference`) and attaches routes to listeners
//! (`gateway_model_rel.go` `GatewayGetGw`, `HTTPRouteToGateway`,
//! `parentRefGatewayMappings`). The builders live in `parent.rs` (Gateway →
//! parent VS, vsvip, certificates, default-backend policy), `route.rs`
//! (HTTPRoute rules → child VSes, policy sets), `pool.rs` (pools and pool
//! groups), `dedicated.rs` (dedicated gateway mode) and `names.rs`.
//!
//! A rejected object becomes a warning carrying the message AKO writes in
//! its status; the output is what it would be without that object.

pub mod dedicated;
#[cfg(test)]
mod e2e_tests;
pub mod extension;
pub mod names;
pub mod parent;
pub mod persistence;
pub mod pool;
pub mod route;

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;

use super::{Context, Out, describe, source};
use crate::kube::gateway::{Gateway, HttpRoute, Listener};
use crate::model::{Diagnostic, Obj, Severity};
use crate::settings::{Settings, ShardSize};

/// The controller name AKO answers to (`ako-gateway-api/lib/constants.go`
/// `GatewayController`).
pub const CONTROLLER: &str = "ako.vmware.com/avi-lb";
/// Gateway annotation of dedicated mode (`DedicatedGatewayModeAnnotation`).
pub const DEDICATED_ANNOTATION: &str = "ako.vmware.com/dedicated-gateway-mode";
const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";
const AKO_GROUP: &str = "ako.vmware.com";

/// The settings the gateway container runs with: `cmd/gateway-api/main.go`
/// `Initialize` forces EVH on, no VIP per namespace, LARGE shards, no
/// static routes and a non-primary AKO; the helm chart passes it no
/// namespace filter and no IP family.
pub fn container_settings(s: &Settings) -> Settings {
    let mut g = s.clone();
    g.enable_evh = true;
    g.vip_per_namespace = false;
    g.shard_vs_size = ShardSize::Large;
    g.passthrough_shard_size = ShardSize::Large;
    g.disable_static_route_sync = true;
    g.primary_instance = false;
    g.blocked_namespaces.clear();
    g.namespace_selector_key.clear();
    g.namespace_selector_value.clear();
    g.ip_family = None;
    g
}

/// `created_by` of every gateway object: `SetAKOUser("ako-gw-")` in a
/// container whose primary flag is forced off, so the AKO namespace is
/// appended (`internal/lib/lib.go` `SetAKOUser`).
pub fn created_by(s: &Settings) -> String {
    format!("ako-gw-{}-{}", s.cluster_name, s.ako_namespace)
}

/// Shared inputs of the builders.
pub struct Gw<'c, 'a> {
    pub ctx: &'c Context<'a>,
    /// [`container_settings`] of the compile's settings.
    pub s: Settings,
    pub created_by: String,
}

fn ns_name(m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> (&str, &str) {
    (
        m.namespace.as_deref().unwrap_or(""),
        m.name.as_deref().unwrap_or(""),
    )
}

fn warn(
    out: &mut Out,
    kind: &str,
    ns: &str,
    name: &str,
    origin: &crate::model::Origin,
    msg: String,
) {
    out.push(Diagnostic::new(Severity::Warning, Some(describe(kind, ns, name)), msg).at(origin));
}

/// A Gateway AKO processes, with the verdict on each listener.
pub struct GwModel<'a> {
    pub gw: &'a Obj<Gateway>,
    pub ns: &'a str,
    pub name: &'a str,
    pub tenant: String,
    pub dedicated: bool,
    /// Per listener: `Ok` or the message AKO writes in the listener status.
    pub listeners: Vec<Result<(), String>>,
    /// `Accepted` (at least one valid listener, addresses fine).
    pub accepted: bool,
    /// Routes attached, in processing order.
    pub routes: Vec<Attached<'a>>,
}

impl GwModel<'_> {
    pub fn listener_valid(&self, i: usize) -> bool {
        matches!(self.listeners.get(i), Some(Ok(())))
    }

    pub fn source(&self) -> String {
        source("Gateway", self.ns, self.name)
    }
}

/// An HTTPRoute attached to one Gateway: the hosts it serves there and the
/// listeners it attached to.
pub struct Attached<'a> {
    pub route: &'a Obj<HttpRoute>,
    /// `hosts(route, gateway)`: sorted, unique (may contain wildcards).
    pub hosts: Vec<String>,
    /// Indexes of the listeners, in attach order.
    pub listeners: Vec<usize>,
    /// Why listeners the parentRef names did not admit the route
    /// (`allowedRoutes`), to report the real reason when none did.
    pub refused: Vec<String>,
}

impl Attached<'_> {
    pub fn ns(&self) -> &str {
        ns_name(&self.route.metadata).0
    }
    pub fn name(&self) -> &str {
        ns_name(&self.route.metadata).1
    }
}

/// Build everything of the Gateway API (no-op unless `featureGates.GatewayAPI`).
pub fn build(ctx: &Context, out: &mut Out) {
    let snap = ctx.snapshot;
    let any = !snap.gateways.is_empty() || !snap.http_routes.is_empty();
    if !ctx.settings.gateway_api {
        if any {
            out.diag(
                Severity::Warning,
                None,
                "Gateway API objects are in the input but featureGates.GatewayAPI is off: AKO's gateway container is not deployed and they are ignored",
            );
        }
        return;
    }
    if chart_class_assumed(ctx) {
        out.diag(
            Severity::Info,
            None,
            format!(
                "GatewayClass {CHART_CLASS} (controllerName {CONTROLLER}) is assumed: AKO's helm chart installs it with featureGates.GatewayAPI and AKOSettings.primaryInstance (templates/gatewayclass.yaml); a GatewayClass {CHART_CLASS} in the input replaces it"
            ),
        );
    }
    let gw = Gw {
        ctx,
        s: container_settings(ctx.settings),
        created_by: created_by(ctx.settings),
    };
    let mut models = judge_gateways(&gw, out);
    attach_routes(&gw, out, &mut models);
    // Tenant → the Gateways sharing its default-backend policy set.
    let mut default_backend: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &models {
        if !m.accepted {
            continue;
        }
        if m.dedicated {
            dedicated::build(&gw, out, m);
        } else {
            parent::build(&gw, out, m);
            default_backend
                .entry(m.tenant.clone())
                .or_default()
                .insert(m.source());
        }
    }
    for (t, sources) in default_backend {
        parent::emit_default_backend(&gw, out, &t, sources);
    }
}

/// Name of the GatewayClass AKO's chart installs (AKO:
/// `helm/ako/templates/gatewayclass.yaml`, rendered when
/// `AKOSettings.primaryInstance` and `featureGates.GatewayAPI` are both true,
/// with `controllerName` [`CONTROLLER`]).
pub const CHART_CLASS: &str = "avi-lb";

/// Whether the chart's GatewayClass is assumed: the chart renders it and the
/// input defines no GatewayClass of that name (one in the input wins).
fn chart_class_assumed(ctx: &Context) -> bool {
    ctx.settings.primary_instance
        && ctx.settings.gateway_api
        && !ctx
            .snapshot
            .gateway_classes
            .iter()
            .any(|c| c.metadata.name.as_deref() == Some(CHART_CLASS))
}

/// GatewayClasses whose `controllerName` is AKO's (`CheckGatewayClassController`),
/// with the chart's class when it is assumed.
fn ako_classes<'a>(ctx: &Context<'a>) -> BTreeMap<&'a str, bool> {
    let mut classes: BTreeMap<&'a str, bool> = ctx
        .snapshot
        .gateway_classes
        .iter()
        .map(|c| {
            (
                c.metadata.name.as_deref().unwrap_or(""),
                c.spec.controller_name == CONTROLLER,
            )
        })
        .collect();
    if chart_class_assumed(ctx) {
        classes.insert(CHART_CLASS, true);
    }
    classes
}

/// Gateways of AKO's classes, judged (`IsValidGateway`). Sorted by
/// namespace/name: the order of the informer's initial list.
fn judge_gateways<'a>(gw: &Gw<'_, 'a>, out: &mut Out) -> Vec<GwModel<'a>> {
    let ctx = gw.ctx;
    let classes = ako_classes(ctx);
    let mut gws: Vec<&'a Obj<Gateway>> = ctx.snapshot.gateways.iter().collect();
    gws.sort_by(|a, b| ns_name(&a.metadata).cmp(&ns_name(&b.metadata)));
    let mut models = Vec::new();
    for g in &gws {
        let (ns, name) = ns_name(&g.metadata);
        let class = g.spec.gateway_class_name.as_str();
        match classes.get(class) {
            None => {
                warn(
                    out,
                    "Gateway",
                    ns,
                    name,
                    &g.origin,
                    format!("GatewayClass {class} not found: AKO does not process the Gateway"),
                );
                continue;
            }
            Some(false) => continue,
            Some(true) => {}
        }
        let dedicated = g
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(DEDICATED_ANNOTATION))
            .is_some_and(|v| v == "true");
        let mut model = GwModel {
            gw: g,
            ns,
            name,
            tenant: ctx.tenant_of(ns),
            dedicated,
            listeners: Vec::new(),
            accepted: false,
            routes: Vec::new(),
        };
        let spec = &g.spec;
        let gateway_error = if spec.listeners.is_empty() {
            Some("No listeners found".to_string())
        } else if spec.addresses.len() > 1 {
            Some("More than one address is not supported".to_string())
        } else if spec
            .addresses
            .first()
            .is_some_and(|a| a.type_.as_deref().unwrap_or("IPAddress") != "IPAddress")
        {
            Some("Only IPAddress as AddressType is supported".to_string())
        } else {
            None
        };
        if let Some(msg) = gateway_error {
            warn(
                out,
                "Gateway",
                ns,
                name,
                &g.origin,
                format!("rejected (Accepted=False): {msg}; no virtual service is built"),
            );
            models.push(model);
            continue;
        }
        for (i, l) in spec.listeners.iter().enumerate() {
            let verdict = judge_listener(gw, &gws, g, l, dedicated);
            if let Err(msg) = &verdict {
                warn(
                    out,
                    "Gateway",
                    ns,
                    name,
                    &g.origin,
                    format!(
                        "listener {} (#{i}) is invalid (Accepted=False): {msg}; it is left out of the virtual service",
                        l.name
                    ),
                );
            }
            model.listeners.push(verdict);
        }
        if model.listeners.iter().all(Result::is_err) {
            warn(
                out,
                "Gateway",
                ns,
                name,
                &g.origin,
                "rejected (Accepted=False): Gateway does not contain any valid listener; no virtual service is built".into(),
            );
        } else {
            model.accepted = true;
        }
        models.push(model);
    }
    models
}

/// `VerifyHostnameSubdomainMatch`: with IPAM/DNS sub-domains on the cloud,
/// a hostname must end with one of them.
pub fn hostname_in_subdomains(s: &Settings, host: &str) -> bool {
    s.cloud.dns_subdomains.is_empty()
        || s.cloud
            .dns_subdomains
            .iter()
            .any(|d| host.ends_with(d.as_str()))
}

/// `isValidListener`: `Err` carries the listener status message.
fn judge_listener(
    gw: &Gw,
    all: &[&Obj<Gateway>],
    g: &Obj<Gateway>,
    l: &Listener,
    dedicated: bool,
) -> Result<(), String> {
    let (ns, name) = ns_name(&g.metadata);
    if l.protocol != "HTTP" && l.protocol != "HTTPS" {
        return Err("Unsupported protocol".into());
    }
    let from = l
        .allowed_routes
        .as_ref()
        .and_then(|a| a.namespaces.as_ref())
        .and_then(|n| n.from.as_deref());
    if dedicated {
        if l.hostname.is_some() {
            return Err("Hostname is not supported in dedicated mode".into());
        }
        if from == Some("All") {
            return Err("Routes from all namespaces is not supported in dedicated mode".into());
        }
    }
    // Another Gateway of the namespace already holding the hostname. AKO
    // checks against every other Gateway in its cache, so the first one
    // validated keeps the hostname and later ones are refused (after a
    // restart, with all of them cached, each refuses the others). akoctl
    // takes the first-come rule of spec §8 item 14: the oldest
    // `creationTimestamp` (missing = oldest) keeps it, then namespace/name.
    if let Some(h) = &l.hostname {
        let age = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
            m.creation_timestamp.as_ref().map(|t| t.0)
        };
        for other in all {
            let (ons, oname) = ns_name(&other.metadata);
            if ons != ns || (age(&other.metadata), oname) >= (age(&g.metadata), name) {
                continue;
            }
            if other
                .spec
                .listeners
                .iter()
                .any(|ol| ol.hostname.as_deref() == Some(h.as_str()))
            {
                return Err(format!(
                    "Hostname is same as an existing gateway hostname (Gateway {ns}/{oname} has {h})"
                ));
            }
        }
        if h != "*" && !h.is_empty() && !hostname_in_subdomains(&gw.s, h) {
            return Err(format!(
                "Didn't find match for hostname :{h} in available sub-domains"
            ));
        }
    }
    if let Some(tls) = &l.tls {
        if tls.mode.as_deref().is_some_and(|m| m != "Terminate") || tls.certificate_refs.is_empty()
        {
            return Err(
                "TLS mode or reference not valid (ResolvedRefs=False InvalidCertificateRef)".into(),
            );
        }
        for c in &tls.certificate_refs {
            if c.group.as_deref().is_some_and(|g| !g.is_empty())
                || c.kind.as_deref().is_some_and(|k| k != "Secret")
            {
                return Err(
                    "TLS mode or reference not valid (ResolvedRefs=False InvalidCertificateRef)"
                        .into(),
                );
            }
            // AKO looks the Secret up in the Gateway's namespace, whatever
            // the certificateRef's namespace.
            if !gw
                .ctx
                .secrets
                .contains_key(&(ns.to_string(), c.name.clone()))
            {
                return Err(format!(
                    "Secret does not exist (ResolvedRefs=False InvalidCertificateRef: {ns}/{})",
                    c.name
                ));
            }
        }
    }
    if let Some(ar) = &l.allowed_routes {
        for k in &ar.kinds {
            if !k.kind.is_empty() && k.kind != "HTTPRoute" {
                return Err(
                    "AllowedRoute kind is invalid. Only HTTPRoute is supported currently".into(),
                );
            }
            if k.group
                .as_deref()
                .is_some_and(|g| !g.is_empty() && g != GATEWAY_GROUP)
            {
                return Err("AllowedRoute Group is invalid.".into());
            }
        }
    }
    Ok(())
}

/// Result of `validateParentReference` for one parentRef.
enum ParentCheck {
    /// No status entry is written (Gateway missing or not AKO's).
    NoStatus,
    Rejected(String),
    Accepted,
}

/// Route-level rejections before any parentRef is looked at
/// (`IsHTTPRouteConfigValid`, `validateHTTPRouteRules`).
fn judge_route_rules(r: &HttpRoute) -> Result<(), String> {
    if r.spec.parent_refs.is_empty() {
        return Err("Parent Reference is empty".into());
    }
    for rule in r.effective_rules() {
        for f in &rule.filters {
            if f.type_ == "URLRewrite"
                && let Some(p) = f.url_rewrite.as_ref().and_then(|u| u.path.as_ref())
                && p.type_ != "ReplaceFullPath"
            {
                return Err("HTTPUrlRewrite PathType has Unsupported value".into());
            }
            if f.type_ == "ExtensionRef"
                && let Some(e) = &f.extension_ref
                && e.group == AKO_GROUP
                && e.kind != "L7Rule"
                && e.kind != "ApplicationProfile"
            {
                return Err(format!(
                    "Unsupported kind {} defined on HTTPRoute-Rule",
                    e.kind
                ));
            }
        }
        if let Some(sp) = &rule.session_persistence {
            if sp.type_.as_deref() == Some("Header") {
                return Err("Header based session persistence type is not supported".into());
            }
            if sp.session_name.as_deref().unwrap_or("").is_empty() {
                return Err("Session Name is needed in SessionPersistence".into());
            }
        }
    }
    Ok(())
}

/// `isRegexMatch`: the first `*` of `wild` becomes `([a-z0-9-]{1,})`, the
/// rest is taken as a regular expression, anchored.
fn regex_match(wild: &str, host: &str) -> bool {
    let pattern = format!("^{}$", wild.replacen('*', "([a-z0-9-]{1,})", 1));
    Regex::new(&pattern).is_ok_and(|re| re.is_match(host))
}

/// `utils.CheckSubdomainOverlapping`: labels compared from the right over
/// the shorter length, `*` matching any label.
pub fn subdomain_overlapping(a: &str, b: &str) -> bool {
    let la: Vec<&str> = a.split('.').collect();
    let lb: Vec<&str> = b.split('.').collect();
    la.iter()
        .rev()
        .zip(lb.iter().rev())
        .all(|(x, y)| *x == "*" || *y == "*" || x == y)
}

/// Whether a listener hostname and the route hostnames match for
/// `validateParentReference`.
fn listener_matches_route(l: &Listener, hostnames: &[String], dedicated: bool) -> bool {
    let h = l.hostname.as_deref().unwrap_or("");
    if h.is_empty() || h == "*" {
        return !hostnames.is_empty() || dedicated;
    }
    if hostnames.is_empty() {
        return true;
    }
    let lw = h.starts_with('*');
    let mut matched = false;
    for rh in hostnames {
        let rw = rh.starts_with('*');
        if rw && lw {
            if subdomain_overlapping(rh, h) {
                return true;
            }
        } else if !rw && !lw {
            if rh == h {
                return true;
            }
        } else if rw {
            matched = matched || regex_match(rh, h);
        } else {
            matched = matched || regex_match(h, rh);
        }
    }
    matched
}

/// `validateParentReference` for parentRef `i` of `r`, in a steady state
/// (every Gateway already judged).
fn check_parent(
    gw: &Gw,
    models: &[GwModel],
    claimed: &BTreeMap<usize, String>,
    r: &Obj<HttpRoute>,
    i: usize,
) -> (ParentCheck, Option<usize>) {
    let (rns, rname) = ns_name(&r.metadata);
    let pr = &r.spec.parent_refs[i];
    let gns = pr.namespace.as_deref().unwrap_or(rns);
    let Some(mi) = models.iter().position(|m| m.ns == gns && m.name == pr.name) else {
        return (ParentCheck::NoStatus, None);
    };
    let m = &models[mi];
    let reject = |msg: String| (ParentCheck::Rejected(msg), Some(mi));
    if m.dedicated {
        if r.spec.parent_refs.len() > 1 {
            return reject(
                "Dedicated Gateway Mode is enabled. Only one parent reference is allowed in HTTPRoute"
                    .into(),
            );
        }
        if !r.spec.hostnames.is_empty() {
            return reject(
                "Dedicated Gateway Mode is enabled. Hostnames are not allowed in HTTPRoute".into(),
            );
        }
    }
    if rns != gns && gw.ctx.tenant_of(rns) != gw.ctx.tenant_of(gns) {
        return reject(format!(
            "Tenant mismatch between HTTPRoute {rname} and Parent Reference {}",
            pr.name
        ));
    }
    if !m.accepted {
        return reject(format!("Gateway {} is in Invalid State", pr.name));
    }
    let listeners: Vec<usize> = match &pr.section_name {
        Some(sn) => {
            let Some(li) = m.gw.spec.listeners.iter().position(|l| &l.name == sn) else {
                return reject("Invalid listener name provided".into());
            };
            if !m.listener_valid(li) {
                return reject("Matching gateway listener is in Invalid state".into());
            }
            vec![li]
        }
        None => (0..m.gw.spec.listeners.len()).collect(),
    };
    let any = listeners.iter().any(|&li| {
        listener_matches_route(&m.gw.spec.listeners[li], &r.spec.hostnames, m.dedicated)
    });
    if !any {
        return reject(
            "Hostname in Gateway Listener doesn't match with any of the hostnames in HTTPRoute"
                .into(),
        );
    }
    if m.dedicated
        && let Some(owner) = claimed.get(&mi)
        && *owner != format!("{rns}/{rname}")
    {
        return reject(
            "Dedicated Gateway Mode is enabled. Only one route is allowed per listener in Gateway"
                .into(),
        );
    }
    (ParentCheck::Accepted, Some(mi))
}

/// Judge every HTTPRoute and attach it to its Gateways' listeners.
/// Routes are processed in namespace/name order (the informer's initial
/// list), which decides which route a dedicated Gateway keeps.
fn attach_routes<'a>(gw: &Gw<'_, 'a>, out: &mut Out, models: &mut [GwModel<'a>]) {
    let mut routes: Vec<&'a Obj<HttpRoute>> = gw.ctx.snapshot.http_routes.iter().collect();
    routes.sort_by(|a, b| ns_name(&a.metadata).cmp(&ns_name(&b.metadata)));
    // Dedicated gateway (model index) → the route that claimed it.
    let mut claimed: BTreeMap<usize, String> = BTreeMap::new();
    for r in routes {
        let (rns, rname) = ns_name(&r.metadata);
        let route_warn =
            |out: &mut Out, msg: String| warn(out, "HTTPRoute", rns, rname, &r.origin, msg);
        if let Err(msg) = judge_route_rules(r) {
            route_warn(
                out,
                format!("rejected: {msg}; AKO does not process the route"),
            );
            continue;
        }
        // Status entries: one per parentRef AKO controls, in spec order.
        let mut status: Vec<(String, Result<usize, String>)> = Vec::new();
        let mut invalid = 0;
        for i in 0..r.spec.parent_refs.len() {
            let pr = &r.spec.parent_refs[i];
            let (verdict, mi) = check_parent(gw, models, &claimed, r, i);
            let parent = format!("{}/{}", pr.namespace.as_deref().unwrap_or(rns), pr.name);
            match verdict {
                ParentCheck::NoStatus => {
                    invalid += 1;
                    route_warn(
                        out,
                        format!("parentRef {parent} is not a Gateway AKO processes: ignored"),
                    );
                }
                ParentCheck::Rejected(msg) => {
                    invalid += 1;
                    route_warn(
                        out,
                        format!("parentRef {parent} rejected (Accepted=False): {msg}"),
                    );
                    status.push((pr.name.clone(), Err(msg)));
                }
                ParentCheck::Accepted => {
                    if let Some(mi) = mi {
                        if models[mi].dedicated {
                            claimed.insert(mi, format!("{rns}/{rname}"));
                        }
                        status.push((pr.name.clone(), Ok(mi)));
                    }
                }
            }
        }
        if invalid == r.spec.parent_refs.len() {
            route_warn(
                out,
                "rejected: no valid parent reference; AKO does not process the route".into(),
            );
            continue;
        }
        // `HTTPRouteToGateway`: walk the parentRefs along the status entries;
        // a rejected entry ends the walk (later parentRefs are not mapped).
        let mut per_gw: BTreeMap<usize, Mapped> = BTreeMap::new();
        let mut order: Vec<usize> = Vec::new();
        let mut si = 0;
        for pr in &r.spec.parent_refs {
            let Some((sname, verdict)) = status.get(si) else {
                break;
            };
            if *sname != pr.name {
                continue;
            }
            si += 1;
            let mi = match verdict {
                Ok(mi) => *mi,
                Err(_) => {
                    if si < status.len() {
                        route_warn(
                            out,
                            "a rejected parentRef stops AKO from mapping the parentRefs after it"
                                .into(),
                        );
                    }
                    break;
                }
            };
            let gns = pr.namespace.as_deref().unwrap_or(rns);
            if models[mi].ns != gns || models[mi].name != pr.name {
                continue;
            }
            if !order.contains(&mi) {
                order.push(mi);
            }
            let entry = per_gw.entry(mi).or_default();
            map_parent(gw, &models[mi], r, pr, entry);
        }
        for mi in order {
            let (hosts, listeners, refused) = per_gw.remove(&mi).unwrap_or_default();
            let m = &mut models[mi];
            m.routes.push(Attached {
                route: r,
                hosts: hosts.into_iter().collect(),
                listeners,
                refused: refused.into_iter().collect(),
            });
        }
    }
}

/// What [`map_parent`] gathers for one Gateway: the route's hostnames
/// there, the listeners it attached to, and why listeners refused it.
type Mapped = (BTreeSet<String>, Vec<usize>, BTreeSet<String>);

/// `parentRefGatewayMappings`: the listeners of the Gateway that admit the
/// route, and the hostnames the route gets there.
fn map_parent(
    gw: &Gw,
    m: &GwModel,
    r: &Obj<HttpRoute>,
    pr: &crate::kube::gateway::ParentReference,
    (hosts, listeners, refused): &mut Mapped,
) {
    let rns = ns_name(&r.metadata).0;
    for (li, l) in m.gw.spec.listeners.iter().enumerate() {
        if !m.listener_valid(li) {
            continue;
        }
        if pr.section_name.as_ref().is_some_and(|s| *s != l.name)
            || pr.port.is_some_and(|p| p != l.port)
        {
            continue;
        }
        if !listener_admits(m, l, rns) {
            refused.insert(format!("listener {}: {}", l.name, refusal(m, l, rns)));
            continue;
        }
        let lh = l
            .hostname
            .as_deref()
            .filter(|h| !h.is_empty())
            .unwrap_or("*");
        let mut matched = false;
        for rh in &r.spec.hostnames {
            if subdomain_overlapping(rh, lh) && hostname_in_subdomains(&gw.s, rh) {
                hosts.insert(rh.clone());
                matched = true;
            }
        }
        let concrete = r.spec.hostnames.is_empty() && lh != "*";
        if concrete {
            hosts.insert(lh.to_string());
        }
        if (matched || concrete) && !listeners.contains(&li) {
            listeners.push(li);
        }
    }
}

/// `allowedRoutes` of a listener (`GatewayGetGw` store, checked in
/// `parentRefGatewayMappings`): kinds empty or holding
/// `gateway.networking.k8s.io/HTTPRoute`, and the namespace `Same` (the
/// default) or `All`; `Selector` admits nothing.
/// Why [`listener_admits`] refuses a route, in the user's terms.
fn refusal(m: &GwModel, l: &Listener, route_ns: &str) -> String {
    let ar = l.allowed_routes.as_ref();
    let kinds_ok = ar.is_none_or(|ar| {
        ar.kinds.is_empty()
            || ar.kinds.iter().any(|k| {
                k.kind == "HTTPRoute" && k.group.as_deref().is_none_or(|g| g == GATEWAY_GROUP)
            })
    });
    if !kinds_ok {
        return "allowedRoutes.kinds does not include gateway.networking.k8s.io/HTTPRoute".into();
    }
    let from = ar
        .and_then(|a| a.namespaces.as_ref())
        .map_or("Same", |n| n.from.as_deref().unwrap_or("Same"));
    match from {
        "Same" => format!(
            "allowedRoutes.namespaces.from Same admits routes of namespace {} only, the route is in {route_ns}",
            m.ns
        ),
        "Selector" => "allowedRoutes.namespaces.from Selector admits no route in AKO, which does not evaluate namespace selectors (ako-gateway-api/nodes/gateway_model_rel.go GatewayGetGw)".into(),
        other => format!("allowedRoutes.namespaces.from {other} admits no route in AKO"),
    }
}

fn listener_admits(m: &GwModel, l: &Listener, route_ns: &str) -> bool {
    let Some(ar) = &l.allowed_routes else {
        return route_ns == m.ns;
    };
    let kinds_ok = ar.kinds.is_empty()
        || ar.kinds.iter().any(|k| {
            k.kind == "HTTPRoute"
                && match k.group.as_deref() {
                    None => true,
                    Some(g) => g == GATEWAY_GROUP,
                }
        });
    let from = ar
        .namespaces
        .as_ref()
        .map(|n| n.from.as_deref().unwrap_or("Same"))
        .unwrap_or("Same");
    let ns_ok = match from {
        "All" => true,
        "Same" => route_ns == m.ns,
        _ => false,
    };
    kinds_ok && ns_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomain_overlap_like_ako() {
        assert!(subdomain_overlapping("foo.com", "*"));
        assert!(subdomain_overlapping("a.foo.com", "*.foo.com"));
        assert!(subdomain_overlapping("*.bar.foo.com", "*.foo.com"));
        assert!(subdomain_overlapping("a.foo.com", "foo.com"));
        assert!(!subdomain_overlapping("foo.com", "bar.com"));
    }

    #[test]
    fn wildcard_regex_match() {
        assert!(regex_match("*.foo.com", "a.foo.com"));
        assert!(!regex_match("*.foo.com", "a.b.foo.com"));
        assert!(!regex_match("*.foo.com", "foo.com"));
    }

    #[test]
    fn listener_hostname_matching() {
        let l = |h: Option<&str>| Listener {
            hostname: h.map(String::from),
            ..Listener::default()
        };
        let hosts = vec!["a.foo.com".to_string()];
        assert!(listener_matches_route(&l(None), &hosts, false));
        assert!(!listener_matches_route(&l(None), &[], false));
        assert!(listener_matches_route(&l(None), &[], true));
        assert!(listener_matches_route(&l(Some("*.foo.com")), &hosts, false));
        assert!(!listener_matches_route(
            &l(Some("b.foo.com")),
            &hosts,
            false
        ));
        assert!(listener_matches_route(&l(Some("b.foo.com")), &[], false));
    }
}
