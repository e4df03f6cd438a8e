//! Ingresses and OpenShift Routes in EVH mode (`AKOSettings.enableEVH: true`;
//! translation-extended.md §1.7, §3, §3.6 and §4.2). A Route differs only in
//! its parse (pools with the service name, inline and CA certificates,
//! reencrypt pools) and in port 80: redirect only with `Redirect`, a
//! close-connection policy with `None`.
//!
//! One EVH parent VS per shard (or per namespace with `vipPerNamespace`)
//! carries the vsvip, the listeners and the certificates of all secure hosts;
//! every host, secure or insecure, gets its own EVH child VS with poolgroups,
//! pools, the path httppolicyset and (secure hosts) a redirect policyset named
//! after the child. With `shardVSSize: DEDICATED` the host's objects hang on a
//! Dedicated EVH VS instead. All names except the parent's are hashed
//! (`common::encode`).
//!
//! AKO: `internal/nodes/avi_model_evh_nodes.go` `ProcessInsecureHostsForEVH`,
//! `BuildModelGraphForInsecureEVH`, `evhNodeHostName`,
//! `BuildModelGraphForSecureEVH`, `BuildPolicyPGPoolsForEVH`,
//! `BuildPolicyRedirectForVSForEvh`, `RemoveRedirectHTTPPolicyInModelForEvh`,
//! `DeriveShardVSForEvh`, `ConstructAviL7SharedVsNodeForEvh`;
//! `internal/nodes/hostname_cache.go` `EnqueueIng`; REST
//! `internal/rest/avi_evh_obj.go` `AviVsBuildForEvh`, `AviVsChildEvhBuild`,
//! `setDedicatedEvhVSNodeProperties`, `internal/rest/avi_obj_vs.go`
//! `AviVsHttpPSAdd`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::release::Feature;
use serde_json::{Map, Value, json};

use super::parse::{HostPaths, L7Infra, ParsedIngress, TlsGroup};
use super::shard::{redirect_policy, shard_fqdn, vs_common};
use super::sni::{
    certificates, child_vs_fields, emit_pools_pgs, is_ca, policy_body, policy_refs, store_certs,
    vh_policy_order,
};
use super::{Built, Pg, Policy, Rule, Target, names, pool, push_unique};
use crate::compile::common::{Markers, ServiceMetadata, Sources, api_ref, bucket, cluster_markers};
use crate::compile::vip::Net;
use crate::compile::{Context, Out, describe, vip};
use crate::model::{AviType, Diagnostic, Severity};
use crate::settings::Settings;

/// Where a host lands in EVH mode (`DeriveShardVSForEvh`).
#[derive(Clone, Debug, PartialEq)]
pub enum EvhPlacement {
    /// EVH parent VS name.
    Parent(String),
    /// Dedicated EVH VS name.
    Dedicated(String),
}

/// `DeriveShardVSForEvh`: `vipPerNamespace` wins over the shard size; shard
/// size 0 (DEDICATED) gives a Dedicated EVH VS.
/// The shard size and the infra prefix come from the Ingress's
/// AviInfraSetting when one applies (translation-extended.md §0.3, §2.4).
pub fn placement(s: &Settings, infra: &L7Infra, ns: &str, host: &str) -> EvhPlacement {
    let count = infra.shard_size.count();
    let x = infra.name.as_str();
    if s.vip_per_namespace {
        EvhPlacement::Parent(names::evh_namespace_vs(s, x, ns))
    } else if count == 0 {
        EvhPlacement::Dedicated(names::dedicated_evh_vs(s, x, host))
    } else {
        EvhPlacement::Parent(names::evh_shard_vs(s, x, bucket(host, count)))
    }
}

/// Names in model order, where removing a name or moving it to the end
/// does not scan the list (an EVH parent holds the certificates of all its
/// hosts).
#[derive(Clone, Debug, Default)]
pub struct NameList {
    next: u64,
    order: BTreeMap<u64, String>,
    at: HashMap<String, u64>,
}

impl NameList {
    pub fn contains(&self, name: &str) -> bool {
        self.at.contains_key(name)
    }

    pub fn remove(&mut self, name: &str) {
        if let Some(i) = self.at.remove(name) {
            self.order.remove(&i);
        }
    }

    /// Put `name` last, taking it out of its old place.
    pub fn push_last(&mut self, name: &str) {
        self.remove(name);
        self.at.insert(name.to_string(), self.next);
        self.order.insert(self.next, name.to_string());
        self.next += 1;
    }

    pub fn clear(&mut self) {
        self.order.clear();
        self.at.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.order.values()
    }
}

/// An EVH parent VS: vsvip hosts and the certificates of its secure hosts.
#[derive(Debug, Default)]
pub struct Parent {
    pub tenant: String,
    pub name: String,
    /// Hosts on the vsvip (sorted on emit; a set, as a parent holds many).
    pub fqdns: BTreeSet<String>,
    /// Certificate names in model order (`SSLKeyCertRefs`).
    pub certs: NameList,
    /// CA certificates of Routes (`CACertRefs`): emitted, not referenced.
    pub ca_certs: NameList,
    pub sources: Sources,
    /// SE group and networks of the AviInfraSetting of its Ingresses (the
    /// last one processed), else the global ones.
    pub net: Option<Net>,
}

impl Parent {
    /// The parent takes the network side of the Ingress or Route that
    /// creates it (`ConstructAviL7SharedVsNodeForEvh`); a later one changes
    /// it only when an AviInfraSetting applies to it (`evhNodeHostName` and
    /// the insecure path call `buildWithInfraSettingForEvh` on an existing
    /// model only with a setting).
    fn set_infra(&mut self, infra: &L7Infra) {
        if self.net.is_none() || infra.set {
            self.net = Some(infra.net.clone());
        }
    }
}

/// A policyset on an EVH child or Dedicated EVH VS, in model order.
#[derive(Clone, Debug)]
pub enum ChildPolicy {
    Path(Box<Policy>),
    /// 80 → 443 redirect named after the VS; `namespace` of its markers.
    Redirect {
        name: String,
        namespace: String,
        hosts: Vec<String>,
    },
    /// Port-80 close-connection policy named after the VS (Route
    /// `insecureEdgeTerminationPolicy: None`); `namespace` of its markers.
    Security {
        name: String,
        namespace: String,
    },
}

impl ChildPolicy {
    fn name(&self) -> &str {
        match self {
            ChildPolicy::Path(p) => &p.name,
            ChildPolicy::Redirect { name, .. } | ChildPolicy::Security { name, .. } => name,
        }
    }

    /// Path of the first path rule (`HppMap[0].Path`), for `AviVsHttpPSAdd`.
    fn first_path(&self) -> Option<String> {
        match self {
            ChildPolicy::Path(p) => p.rules.first().and_then(|r| r.path.clone()),
            ChildPolicy::Redirect { .. } | ChildPolicy::Security { .. } => None,
        }
    }
}

/// An EVH child VS, or a Dedicated EVH VS when `parent` is `None`.
#[derive(Debug, Default)]
pub struct Child {
    pub tenant: String,
    pub name: String,
    pub host: String,
    pub parent: Option<String>,
    /// `ns/ing` of the Ingresses on the host when it was last built.
    pub ns_ings: Vec<String>,
    pub namespace: String,
    /// `VHDomainNames`: vh_matches hosts and the `Host` marker.
    pub domains: Vec<String>,
    pub policies: Vec<ChildPolicy>,
    /// Paths and Ingress names of all path rules (`Paths`, `IngressNames`).
    pub paths: BTreeSet<String>,
    pub ingress_names: BTreeSet<String>,
    pub pgs: BTreeMap<String, Pg>,
    pub pools: BTreeMap<String, Built>,
    /// Dedicated only: secure listener, vsvip hosts, certificates.
    pub secure: bool,
    pub fqdns: Vec<String>,
    pub certs: NameList,
    /// Dedicated only: CA certificates of Routes (`CACertRefs`).
    pub ca_certs: NameList,
    pub sources: Sources,
    /// `InfrasettingName` marker of the child and its redirect policy.
    pub infra_name: String,
}

/// The EVH models after all Ingresses are processed.
#[derive(Debug, Default)]
pub struct EvhModel {
    pub parents: BTreeMap<(String, String), Parent>,
    pub children: BTreeMap<(String, String), Child>,
    pub certs: BTreeMap<(String, String), Built>,
    /// AKO's host name cache: host → `ns/ing` of the Ingresses using it
    /// (`SharedHostNameLister`, `PopulateIngHostMap`).
    pub host_ings: BTreeMap<String, BTreeSet<String>>,
}

impl EvhModel {
    fn parent(&mut self, tenant: &str, name: &str) -> &mut Parent {
        self.parents
            .entry((tenant.to_string(), name.to_string()))
            .or_insert_with(|| Parent {
                tenant: tenant.to_string(),
                name: name.to_string(),
                ..Parent::default()
            })
    }

    fn child(
        &mut self,
        tenant: &str,
        name: &str,
        host: &str,
        parent: Option<&str>,
        secure: bool,
    ) -> &mut Child {
        self.children
            .entry((tenant.to_string(), name.to_string()))
            .or_insert_with(|| Child {
                tenant: tenant.to_string(),
                name: name.to_string(),
                host: host.to_string(),
                parent: parent.map(str::to_string),
                secure,
                ..Child::default()
            })
    }

    /// `EnqueueIng` with `fqdnReusePolicy: Strict`: a host already used by an
    /// Ingress of another namespace is skipped.
    fn claimed_elsewhere(&self, s: &Settings, ns: &str, host: &str) -> Option<String> {
        if s.fqdn_reuse_policy != "Strict" {
            return None;
        }
        self.host_ings
            .get(host)?
            .iter()
            .find(|x| x.split('/').next() != Some(ns))
            .cloned()
    }

    fn host_ings_of(&self, host: &str) -> Vec<String> {
        self.host_ings
            .get(host)
            .map(|v| v.iter().cloned().collect())
            .unwrap_or_default()
    }
}

fn warn(out: &mut Out, ing: &ParsedIngress, msg: String) {
    out.push(
        Diagnostic::new(
            Severity::Warning,
            Some(describe(ing.kind, &ing.ns, &ing.name)),
            msg,
        )
        .at(ing.origin),
    );
}

/// Build every accepted Ingress in EVH mode (insecure hosts of an Ingress
/// first, then its TLS hosts, as `HostNameShardAndPublish` does).
pub fn build(ctx: &Context, out: &mut Out, parsed: &[ParsedIngress]) {
    let mut model = EvhModel::default();
    for ing in parsed {
        for hp in &ing.insecure {
            if admitted(ctx, out, &model, ing, &hp.host) {
                insecure_host(ctx, out, &mut model, ing, hp);
            }
        }
        for group in &ing.tls {
            for hp in &group.hosts {
                if admitted(ctx, out, &model, ing, &hp.host) {
                    secure_host(ctx, out, &mut model, ing, group, hp);
                }
            }
        }
    }
    emit(ctx, out, model);
}

fn admitted(
    ctx: &Context,
    out: &mut Out,
    model: &EvhModel,
    ing: &ParsedIngress,
    host: &str,
) -> bool {
    match model.claimed_elsewhere(ctx.settings, &ing.ns, host) {
        None => true,
        Some(owner) => {
            warn(
                out,
                ing,
                format!(
                    "host {host} is already claimed by {} {owner} of another namespace (fqdnReusePolicy: Strict); AKO skips it for this {}",
                    ing.kind, ing.kind
                ),
            );
            false
        }
    }
}

/// `RemoveRedirectHTTPPolicyInModelForEvh`: drop `host` from the VS's redirect
/// policy, and the policy once it has no host left.
/// A security policy named like the VS goes too.
fn remove_redirect(child: &mut Child, host: &str) {
    for p in &mut child.policies {
        if let ChildPolicy::Redirect { hosts, .. } = p {
            hosts.retain(|h| h != host);
        }
    }
    let name = child.name.clone();
    child.policies.retain(|p| match p {
        ChildPolicy::Redirect { hosts, .. } => !hosts.is_empty(),
        ChildPolicy::Security { name: n, .. } => *n != name,
        ChildPolicy::Path(_) => true,
    });
}

/// `BuildHTTPSecurityPolicyForVSForEvh`: the port-80 close-connection policy
/// named like the VS, appended unless present
/// (`FindAndReplaceRedirectHTTPPolicyInModelforEvh`).
fn add_security(child: &mut Child, ns: &str) {
    let name = child.name.clone();
    if child.policies.iter().any(|p| p.name() == name) {
        return;
    }
    child.policies.push(ChildPolicy::Security {
        name,
        namespace: ns.to_string(),
    });
}

/// `BuildPolicyRedirectForVSForEvh`: add `host` to the VS's redirect policy,
/// created (appended) when missing.
fn add_redirect(child: &mut Child, ns: &str, host: &str) {
    let name = child.name.clone();
    for p in &mut child.policies {
        if let ChildPolicy::Redirect { name: n, hosts, .. } = p
            && *n == name
        {
            push_unique(hosts, host);
            return;
        }
    }
    child.policies.push(ChildPolicy::Redirect {
        name,
        namespace: ns.to_string(),
        hosts: vec![host.to_string()],
    });
}

/// An insecure host (`BuildModelGraphForInsecureEVH`).
fn insecure_host(
    ctx: &Context,
    out: &mut Out,
    model: &mut EvhModel,
    ing: &ParsedIngress,
    hp: &HostPaths,
) {
    let s = ctx.settings;
    let host = &hp.host;
    let tenant = &ing.tenant;
    let ns_ing = format!("{}/{}", ing.ns, ing.name);
    model
        .host_ings
        .entry(host.clone())
        .or_default()
        .insert(ns_ing);
    let ns_ings = model.host_ings_of(host);
    let (name, parent) = match placement(s, &ing.infra, &ing.ns, host) {
        EvhPlacement::Parent(p) => {
            let main_cert = names::evh_tls_cert(out, s, &ing.infra.name, host, "");
            let par = model.parent(tenant, &p);
            par.sources.insert(ing.source());
            par.set_infra(&ing.infra);
            par.certs.remove(&main_cert);
            par.fqdns.insert(host.clone());
            (names::evh_child(out, s, &ing.infra.name, host), Some(p))
        }
        EvhPlacement::Dedicated(d) => (d, None),
    };
    let child = model.child(tenant, &name, host, parent.as_deref(), false);
    child.sources.insert(ing.source());
    child.ns_ings = ns_ings;
    child.namespace = ing.ns.clone();
    child.infra_name = ing.infra.name.clone();
    if parent.is_none() {
        child.certs.clear();
        child.secure = false;
        push_unique(&mut child.fqdns, host);
    }
    remove_redirect(child, host);
    add_paths(ctx, out, child, ing, hp);
}

/// A host of a TLS group (`evhNodeHostName`, `BuildModelGraphForSecureEVH`).
fn secure_host(
    ctx: &Context,
    out: &mut Out,
    model: &mut EvhModel,
    ing: &ParsedIngress,
    group: &TlsGroup,
    hp: &HostPaths,
) {
    let s = ctx.settings;
    let host = &hp.host;
    let tenant = &ing.tenant;
    let ns_ing = format!("{}/{}", ing.ns, ing.name);
    model
        .host_ings
        .entry(host.clone())
        .or_default()
        .insert(ns_ing.clone());
    let (name, parent) = match placement(s, &ing.infra, &ing.ns, host) {
        EvhPlacement::Parent(p) => {
            // The parent model exists from here on, even when the certificate fails.
            let par = model.parent(tenant, &p);
            par.sources.insert(ing.source());
            par.set_infra(&ing.infra);
            (names::evh_child(out, s, &ing.infra.name, host), Some(p))
        }
        EvhPlacement::Dedicated(d) => {
            model
                .child(tenant, &d, host, None, true)
                .sources
                .insert(ing.source());
            (d, None)
        }
    };
    let key = (tenant.clone(), name.clone());
    let certs = match certificates(ctx, ing, group, host) {
        Ok(c) => c,
        Err(why) => {
            warn(
                out,
                ing,
                format!(
                    "TLS host {host}: {why}; the certificate could not be built, so AKO builds no virtual service for this host (it is not served insecurely either)"
                ),
            );
            let left = match model.host_ings.get_mut(host) {
                Some(v) => {
                    v.remove(&ns_ing);
                    !v.is_empty()
                }
                None => false,
            };
            if !left {
                let main = names::evh_tls_cert(out, s, &ing.infra.name, host, &group.secret_name);
                let alt = names::evh_tls_cert(
                    out,
                    s,
                    &ing.infra.name,
                    host,
                    &format!("{}-alt", group.secret_name),
                );
                let domains = model
                    .children
                    .get(&key)
                    .map(|c| c.domains.clone())
                    .unwrap_or_default();
                match &parent {
                    Some(p) => {
                        model.children.remove(&key);
                        let par = model.parent(tenant, p);
                        par.certs.remove(&main);
                        par.certs.remove(&alt);
                        par.fqdns.remove(host);
                        for d in &domains {
                            par.fqdns.remove(d);
                        }
                    }
                    None => {
                        if let Some(c) = model.children.get_mut(&key) {
                            c.pgs.clear();
                            c.pools.clear();
                            c.policies.clear();
                            c.certs.clear();
                            c.fqdns.retain(|h| h != host && !domains.contains(h));
                        }
                    }
                }
            }
            return;
        }
    };
    let changed = store_certs(out, ing, group, host, &certs, &mut model.certs);
    let ns_ings = model.host_ings_of(host);
    // A Route's CA certificate hangs on the parent (or Dedicated) VS model
    // and is referenced from the key/cert only (`BuildCACertNodeForEvh`,
    // `DeleteCACertRefInEVHNode` when the Route has none).
    let ca_name = names::evh_ca_cert(out, s, &ing.infra.name, host);
    let (certs, changed): (Vec<_>, Vec<_>) = certs
        .into_iter()
        .zip(changed)
        .filter(|((_, b), _)| !is_ca(b))
        .unzip();
    let ca_built = group
        .inline
        .as_ref()
        .is_some_and(|i| !i.ca.is_empty() && !group.avi_cert);
    {
        let cas = match &parent {
            Some(p) => &mut model.parent(tenant, p).ca_certs,
            None => &mut model.child(tenant, &name, host, None, true).ca_certs,
        };
        cas.remove(&ca_name);
        if ca_built {
            cas.push_last(&ca_name);
        }
    }
    {
        let list = match &parent {
            Some(p) => &mut model.parent(tenant, p).certs,
            None => &mut model.child(tenant, &name, host, None, true).certs,
        };
        // `ReplaceEvhSSLRefInEVHNode`: a new or changed certificate moves to the end.
        for ((cname, _), changed) in certs.iter().zip(changed) {
            if changed || !list.contains(cname) {
                list.push_last(cname);
            }
        }
    }
    if let Some(p) = &parent {
        model.parent(tenant, p).fqdns.insert(host.clone());
    }
    let child = model.child(tenant, &name, host, parent.as_deref(), true);
    child.sources.insert(ing.source());
    if !group.avi_cert && group.inline.is_none() {
        child.sources.insert(crate::compile::source(
            "Secret",
            &group.secret_ns,
            &group.secret_name,
        ));
        if let Some(alt) = &group.alt_secret {
            child
                .sources
                .insert(crate::compile::source("Secret", &group.secret_ns, alt));
        }
    }
    child.ns_ings = ns_ings;
    child.namespace = ing.ns.clone();
    child.infra_name = ing.infra.name.clone();
    if parent.is_none() {
        child.secure = true;
        push_unique(&mut child.fqdns, host);
    }
    add_paths(ctx, out, child, ing, hp);
    remove_redirect(child, host);
    // An Ingress always redirects; a Route only with `Redirect`, and a Route
    // with `None` closes port 80 instead (`BuildHTTPSecurityPolicyForVSForEvh`).
    if group.redirect {
        add_redirect(child, &ing.ns, host);
    } else if ing.route.as_ref().is_some_and(|r| r.block_http) {
        add_security(child, &ing.ns);
    }
}

/// Pools, poolgroups and path rules of one host of one Ingress
/// (`BuildPolicyPGPoolsForEVH`).
fn add_paths(ctx: &Context, out: &mut Out, child: &mut Child, ing: &ParsedIngress, hp: &HostPaths) {
    let s = ctx.settings;
    let host = &hp.host;
    let dedicated = child.parent.is_none();
    child.domains = vec![host.clone()];
    let mut ing_names = child.ingress_names.clone();
    ing_names.insert(ing.name.clone());
    let pol_name = names::evh_httpps(out, s, &ing.infra.name, &ing.ns, host);
    if !child.policies.iter().any(|p| p.name() == pol_name) {
        child.policies.push(ChildPolicy::Path(Box::new(Policy {
            name: pol_name.clone(),
            namespace: ing.ns.clone(),
            host: host.clone(),
            rules: Vec::new(),
            sources: Sources::default(),
            markers: None,
        })));
    }
    let mut local: BTreeMap<String, Pg> = BTreeMap::new();
    for entry in &hp.paths {
        let pg_name = names::evh_pg(
            out,
            s,
            &ing.infra.name,
            &ing.ns,
            host,
            &entry.path,
            &ing.name,
            dedicated,
        );
        let pool_name = names::evh_pool(
            out,
            s,
            &ing.infra.name,
            &ing.ns,
            host,
            &entry.path,
            &ing.name,
            &entry.service,
            dedicated,
        );
        let pg_found = local.contains_key(&pg_name);
        let pg = local.entry(pg_name.clone()).or_insert_with(|| Pg {
            members: Vec::new(),
            markers: Box::default(),
            sources: Sources::from([ing.source()]),
        });
        *pg.markers = pool::path_markers(ing, host, entry, false);
        let markers = pool::path_markers(ing, host, entry, true);
        let built = pool::build(
            ctx,
            out,
            &pool_name,
            ing,
            host,
            entry,
            &markers,
            pool::PoolKind::Secure,
        );
        pg.members.push((pool_name.clone(), entry.ratio));
        child.pools.insert(pool_name, built);
        child.pgs.insert(pg_name.clone(), pg.clone());
        if pg_found {
            continue;
        }
        child.paths.insert(entry.path.clone());
        let policy_markers = Markers {
            namespace: ing.ns.clone(),
            infrasetting_name: ing.infra.name.clone(),
            path: child.paths.iter().cloned().collect(),
            ingress_name: ing_names.iter().cloned().collect(),
            ..Markers::default()
        };
        let Some(ChildPolicy::Path(policy)) =
            child.policies.iter_mut().find(|p| p.name() == pol_name)
        else {
            continue;
        };
        policy.sources.insert(ing.source());
        policy.namespace = ing.ns.clone();
        policy.markers = Some(Box::new(policy_markers));
        // `ReplaceHTTPRefInNodeForEvh`: the rule moves to the end.
        policy.rules.retain(|r| r.key != pg_name);
        policy.rules.push(Rule {
            key: pg_name.clone(),
            path: (!entry.path.is_empty()).then(|| entry.path.clone()),
            exact: entry.exact,
            target: Some(Target::PoolGroup(pg_name)),
            ingress: ing.name.clone(),
        });
    }
    child.ingress_names = ing_names;
}

/// EVH listeners: no `port_range_end` (`AviVsBuildForEvh`).
fn evh_services(secure: bool) -> Value {
    let mut v = vec![json!({"port": 80, "enable_ssl": false, "enable_http2": false})];
    if secure {
        v.push(json!({"port": 443, "enable_ssl": true, "enable_http2": false}));
    }
    Value::Array(v)
}

fn emit(ctx: &Context, out: &mut Out, model: EvhModel) {
    let s = ctx.settings;
    let mut used: BTreeSet<(String, String)> = BTreeSet::new();
    for p in model.parents.values() {
        used.extend(
            p.certs
                .iter()
                .chain(p.ca_certs.iter())
                .map(|c| (p.tenant.clone(), c.clone())),
        );
    }
    for c in model.children.values() {
        used.extend(
            c.certs
                .iter()
                .chain(c.ca_certs.iter())
                .map(|x| (c.tenant.clone(), x.clone())),
        );
    }
    for (k, cert) in model.certs {
        if used.contains(&k) {
            out.emit_held(
                AviType::Sslkeyandcertificate,
                &k.0,
                &k.1,
                cert.sources,
                cert.body,
            );
        }
    }
    for p in model.parents.into_values() {
        emit_parent(s, out, p);
        out.cool();
    }
    for c in model.children.into_values() {
        emit_child(s, out, c);
    }
}

/// The close-connection policy body (`BuildHTTPSecurityPolicyForVSForEvh`,
/// REST `internal/rest/avi_obj_httpps.go` `AviHttpPSBuild`): one security
/// rule `<name>-0` on port 80, no request rules.
fn security_policy(s: &Settings, name: &str, tenant: &str, markers: Value) -> Value {
    json!({
        "name": name,
        "tenant_ref": crate::compile::common::tenant_ref(tenant),
        "created_by": s.created_by(),
        "http_request_policy": {},
        "http_security_policy": {"rules": [{
            "name": format!("{name}-0"),
            "index": 0,
            "enable": true,
            "action": {"action": "HTTP_SECURITY_ACTION_CLOSE_CONN"},
            "match": {"vs_port": {"match_criteria": "IS_IN", "ports": [80]}},
        }]},
        "markers": markers,
    })
}

fn cert_refs(certs: &NameList) -> Value {
    Value::Array(
        certs
            .iter()
            .map(|c| json!(api_ref("sslkeyandcertificate", c)))
            .collect(),
    )
}

/// The EVH parent VS and its vsvip (`AviVsBuildForEvh`, parent branch).
fn emit_parent(s: &Settings, out: &mut Out, p: Parent) {
    let (t, n) = (p.tenant.as_str(), p.name.as_str());
    let net = p.net.clone().unwrap_or_else(|| Net::global(s));
    let mut fqdns: Vec<String> = shard_fqdn(s, n, t).into_iter().collect();
    fqdns.extend(p.fqdns.iter().cloned());
    out.emit(
        AviType::Vsvip,
        t,
        n,
        p.sources.clone(),
        vip::vsvip_body_net(
            s,
            &net,
            &vip::VsvipSpec {
                name: n.to_string(),
                tenant: t.to_string(),
                fqdns,
                requested_ip: None,
            },
        ),
    );
    let mut vs = vs_common(s, &net, n, t, &ServiceMetadata::default());
    vs.remove("error_page_profile_ref");
    vs.insert("type".into(), json!("VS_TYPE_VH_PARENT"));
    vs.insert("vh_type".into(), json!("VS_TYPE_VH_ENHANCED"));
    vs.insert("services".into(), evh_services(true));
    if !p.certs.is_empty() {
        vs.insert("ssl_key_and_certificate_refs".into(), cert_refs(&p.certs));
    }
    vs.insert("markers".into(), cluster_markers(s));
    out.emit(AviType::Virtualservice, t, n, p.sources, Value::Object(vs));
}

/// An EVH child (`AviVsChildEvhBuild`) or Dedicated EVH VS
/// (`AviVsBuildForEvh` + `setDedicatedEvhVSNodeProperties`) with its
/// policysets, poolgroups and pools.
fn emit_child(s: &Settings, out: &mut Out, mut c: Child) {
    let (t, n) = (c.tenant.as_str(), c.name.as_str());
    emit_pools_pgs(s, out, t, std::mem::take(&mut c.pools), &c.pgs);
    for p in &c.policies {
        match p {
            ChildPolicy::Path(p) => out.emit(
                AviType::Httppolicyset,
                t,
                &p.name,
                p.sources.clone(),
                policy_body(s, t, &c.domains, "", p),
            ),
            ChildPolicy::Redirect {
                name,
                namespace,
                hosts,
            } => {
                let markers = Markers {
                    namespace: namespace.clone(),
                    host: c.domains.clone(),
                    infrasetting_name: c.infra_name.clone(),
                    ..Markers::default()
                };
                let body = redirect_policy(s, name, t, hosts, markers.to_json(s));
                out.emit(AviType::Httppolicyset, t, name, c.sources.clone(), body);
            }
            ChildPolicy::Security { name, namespace } => {
                let markers = Markers {
                    namespace: namespace.clone(),
                    host: c.domains.clone(),
                    infrasetting_name: c.infra_name.clone(),
                    ..Markers::default()
                };
                let body = security_policy(s, name, t, markers.to_json(s));
                out.emit(AviType::Httppolicyset, t, name, c.sources.clone(), body);
            }
        }
    }
    let metadata = ServiceMetadata {
        namespace_ingress_name: Some(c.ns_ings.clone()),
        namespace: c.namespace.clone(),
        hostnames: Some(vec![c.host.clone()]),
        host_namespace_ingress_name: Some(BTreeMap::from([(c.host.clone(), c.ns_ings.clone())])),
        ..ServiceMetadata::default()
    };
    let markers = Markers {
        namespace: c.namespace.clone(),
        host: c.domains.clone(),
        infrasetting_name: c.infra_name.clone(),
        ..Markers::default()
    };
    let mut b: Map<String, Value>;
    let order: Vec<&str> = match &c.parent {
        Some(parent) => {
            b = Map::new();
            b.insert("name".into(), json!(n));
            b.insert("cloud_ref".into(), json!(api_ref("cloud", &s.cloud_name)));
            b.insert("created_by".into(), json!(s.created_by()));
            b.insert("type".into(), json!("VS_TYPE_VH_CHILD"));
            b.insert("vh_type".into(), json!("VS_TYPE_VH_ENHANCED"));
            b.insert(
                "vh_parent_vs_ref".into(),
                json!(api_ref("virtualservice", parent)),
            );
            b.insert(
                "vh_matches".into(),
                Value::Array(
                    c.domains
                        .iter()
                        .map(|h| {
                            json!({"host": h, "rules": [{"name": "VHMATCHRULENAME", "matches": {"path": {
                                "match_criteria": "BEGINS_WITH", "match_case": "SENSITIVE", "match_str": ["/"]}}}]})
                        })
                        .collect(),
                ),
            );
            child_vs_fields(s, &mut b, "System-HTTP");
            if s.release.has(Feature::EvhMinPoolsUp) {
                b.insert("min_pools_up".into(), json!(1));
            }
            b.insert("error_page_profile_ref".into(), json!(""));
            b.insert(
                "service_metadata".into(),
                json!(metadata.render_for(s.release)),
            );
            vh_policy_order(&c.policies, ChildPolicy::first_path)
                .into_iter()
                .map(ChildPolicy::name)
                .collect()
        }
        None => {
            out.emit(
                AviType::Vsvip,
                t,
                n,
                c.sources.clone(),
                vip::vsvip_body(
                    s,
                    &vip::VsvipSpec {
                        name: n.to_string(),
                        tenant: t.to_string(),
                        fqdns: c.fqdns.clone(),
                        requested_ip: None,
                    },
                ),
            );
            b = vs_common(s, &crate::compile::vip::Net::global(s), n, t, &metadata);
            b.insert("type".into(), json!("VS_TYPE_NORMAL"));
            b.insert("services".into(), evh_services(c.secure));
            if c.secure {
                b.insert(
                    "application_profile_ref".into(),
                    json!(api_ref("applicationprofile", "System-Secure-HTTP")),
                );
            }
            b.insert("east_west_placement".into(), json!(false));
            if s.release.has(Feature::EvhMinPoolsUp) {
                b.insert("min_pools_up".into(), json!(1));
            }
            if !c.certs.is_empty() {
                b.insert("ssl_key_and_certificate_refs".into(), cert_refs(&c.certs));
            }
            c.policies.iter().map(ChildPolicy::name).collect()
        }
    };
    if !order.is_empty() {
        b.insert("http_policies".into(), policy_refs(&order));
    }
    b.insert("markers".into(), markers.to_json(s));
    out.emit(
        AviType::Virtualservice,
        t,
        n,
        c.sources.clone(),
        Value::Object(b),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::ShardSize;

    #[test]
    fn name_list_keeps_order_moves_to_the_end_and_removes() {
        let mut l = NameList::default();
        for n in ["a", "b", "c"] {
            l.push_last(n);
        }
        l.push_last("a");
        l.remove("b");
        l.remove("missing");
        assert!(l.contains("a") && !l.contains("b"));
        assert_eq!(l.iter().collect::<Vec<_>>(), ["c", "a"]);
        assert_eq!(cert_refs(&l).as_array().map(Vec::len), Some(2));
        l.clear();
        assert!(l.is_empty() && l.iter().next().is_none());
    }

    fn settings() -> Settings {
        Settings {
            cluster_name: "cluster".into(),
            enable_evh: true,
            ..Settings::default()
        }
    }

    fn infra(s: &Settings) -> L7Infra {
        L7Infra {
            name: String::new(),
            shard_size: s.shard_vs_size,
            net: Net::global(s),
            listeners: Vec::new(),
            pass_shard_size: s.passthrough_shard_size,
            set: false,
        }
    }

    #[test]
    fn placement_by_shard_size_dedicated_and_namespace() {
        let mut s = settings();
        assert_eq!(
            placement(&s, &infra(&s), "default", "foo.com"),
            EvhPlacement::Parent("cluster--Shared-L7-EVH-0".into())
        );
        assert_eq!(
            placement(&s, &infra(&s), "default", "bar.com"),
            EvhPlacement::Parent("cluster--Shared-L7-EVH-1".into())
        );
        s.shard_vs_size = ShardSize::Dedicated;
        assert_eq!(
            placement(&s, &infra(&s), "default", "foo.com"),
            EvhPlacement::Dedicated("cluster--fc94484f7312a22cfb5bcc517b05649e256c24a8-EVH".into())
        );
        // vipPerNamespace wins over the shard size.
        s.vip_per_namespace = true;
        assert_eq!(
            placement(&s, &infra(&s), "red", "foo.com"),
            EvhPlacement::Parent("cluster--Shared-L7-EVH-NS-red".into())
        );
    }

    #[test]
    fn redirect_is_re_appended_after_path_policies() {
        let mut c = Child {
            name: "vs".into(),
            ..Child::default()
        };
        add_redirect(&mut c, "ns", "foo.com");
        c.policies.push(ChildPolicy::Path(Box::new(Policy {
            name: "paths".into(),
            namespace: "ns".into(),
            host: "foo.com".into(),
            rules: Vec::new(),
            sources: Sources::default(),
            markers: None,
        })));
        // A secure host processed again: removed, then appended.
        remove_redirect(&mut c, "foo.com");
        add_redirect(&mut c, "ns", "foo.com");
        let names: Vec<&str> = c.policies.iter().map(ChildPolicy::name).collect();
        assert_eq!(names, vec!["paths", "vs"]);
        // An insecure use of the host drops the redirect.
        remove_redirect(&mut c, "foo.com");
        assert_eq!(c.policies.len(), 1);
    }

    #[test]
    fn strict_reuse_only_blocks_other_namespaces() {
        let mut s = settings();
        let mut m = EvhModel::default();
        m.host_ings
            .entry("foo.com".into())
            .or_default()
            .insert("red/a".into());
        assert_eq!(m.claimed_elsewhere(&s, "blue", "foo.com"), None);
        s.fqdn_reuse_policy = "Strict".into();
        assert_eq!(
            m.claimed_elsewhere(&s, "blue", "foo.com").as_deref(),
            Some("red/a")
        );
        assert_eq!(m.claimed_elsewhere(&s, "red", "foo.com"), None);
        assert_eq!(m.claimed_elsewhere(&s, "blue", "bar.com"), None);
    }

    fn ingress(
        name: &str,
        ts: &str,
        host: &str,
        tls: Option<&str>,
    ) -> crate::model::Obj<k8s_openapi::api::networking::v1::Ingress> {
        let mut spec = json!({"rules": [{"host": host, "http": {"paths": [{"path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": "svc", "port": {"number": 80}}}}]}}]});
        if let Some(secret) = tls {
            spec["tls"] = json!([{"hosts": [host], "secretName": secret}]);
        }
        crate::model::Obj {
            origin: crate::model::Origin {
                file: std::sync::Arc::from("t.yaml"),
                line: 1,
            },
            obj: serde_json::from_value(json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                "metadata": {"name": name, "namespace": "default", "creationTimestamp": ts}, "spec": spec}))
            .unwrap_or_default(),
        }
    }

    #[test]
    fn missing_secret_builds_no_child_and_keeps_the_host_off_the_vsvip() {
        let s = settings();
        let snap = crate::model::Snapshot {
            ingresses: vec![
                ingress("plain", "2024-01-01T00:00:00Z", "bar.com", None),
                ingress("tls", "2024-01-02T00:00:00Z", "foo.com", Some("missing")),
            ],
            ..crate::model::Snapshot::default()
        };
        let c = crate::compile::compile(&snap, &s);
        let find = |kind: AviType, name: &str| {
            c.objects
                .objects
                .iter()
                .find(|o| o.kind == kind && o.name == name)
                .map(|o| o.body.clone())
        };
        // LARGE: foo.com is on parent 0 (created although the certificate fails), bar.com on 1.
        assert!(
            find(
                AviType::Virtualservice,
                &names::evh_child(&mut Out::default(), &s, "", "foo.com")
            )
            .is_none()
        );
        let vsvip = find(AviType::Vsvip, "cluster--Shared-L7-EVH-0").unwrap_or_default();
        assert!(vsvip.is_object());
        assert!(!vsvip.to_string().contains("\"foo.com\""), "{vsvip}");
        let parent = find(AviType::Virtualservice, "cluster--Shared-L7-EVH-0").unwrap_or_default();
        assert_eq!(parent.get("ssl_key_and_certificate_refs"), None);
        assert!(
            find(
                AviType::Virtualservice,
                &names::evh_child(&mut Out::default(), &s, "", "bar.com")
            )
            .is_some()
        );
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.message.contains("Secret default/missing not found"))
        );
    }
}
