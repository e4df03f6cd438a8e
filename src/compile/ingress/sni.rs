//! Secure Ingress hosts: SNI child VSes under the shard VS, certificates,
//! SNI httppolicysets, poolgroups and pools (translation-core.md §4.7), and
//! the Dedicated-mode VS that carries the same objects for one host
//! (translation-extended.md §4.1).
//!
//! AKO: `internal/nodes/avi_model_l7_hostname_shard.go` `sniNodeHostName`,
//! `BuildModelGraphForSNI`, `BuildDedicatedL7VSGraphHostNameShard`,
//! `BuildPoolPGPolicyForDedicatedVS`; `internal/nodes/avi_model_l7_translator.go`
//! `BuildTlsCertNode`, `BuildPolicyPGPoolsForSNI`, `BuildPolicyRedirectForVS`;
//! REST `internal/rest/avi_obj_vs.go` `AviVsSniBuild`, `AviVsHttpPSAdd`,
//! `setDedicatedVSNodeProperties`, `avi_obj_httpps.go` `AviHttpPSBuild`,
//! `ssl_key_certificate.go` `AviSSLBuild`.

use crate::compile::vip;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::names::{self, DEFAULT_SECRET};
use super::parse::{HostPaths, InlineCert, ParsedIngress, TlsGroup};
use super::shard::{redirect_policy, services, too_long, vs_common, with_listeners};
use super::{Built, Model, Pg, Placement, Policy, Rule, Target, Vh, placement, pool, push_unique};
use crate::compile::Held;
use crate::compile::common::{
    Markers, ServiceMetadata, Sources, api_ref, name_too_long, tenant_ref,
};
use crate::compile::{Context, Out, describe, source};
use crate::model::{AviType, Diagnostic, Severity};
use crate::settings::Settings;

/// Secrets of this type are invisible to AKO (its informer filters them).
const HELM_RELEASE_SECRET: &str = "helm.sh/release.v1";

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

/// The private key as printed: a redaction marker with the SHA-256 of the
/// key, unless `show_secrets` is set.
pub fn key_text(s: &Settings, key: &[u8]) -> String {
    if s.show_secrets {
        String::from_utf8_lossy(key).into_owned()
    } else {
        let d = Sha256::digest(key);
        let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
        format!("<redacted sha256:{hex}>")
    }
}

/// The certificates for `host` from the TLS Secret of `group`
/// (`BuildTlsCertNode`): main certificate, then the alternate one when the
/// Secret has `alt.crt` and `alt.key`. `Err` says why none can be built.
pub fn certificates(
    ctx: &Context,
    ing: &ParsedIngress,
    group: &TlsGroup,
    host: &str,
) -> Result<Vec<(String, Built)>, String> {
    let s = ctx.settings;
    if group.avi_cert {
        // HostRule `tls.sslKeyCertificate.type: ref`: the Avi certificate is
        // referenced by the CRD pass; AKO builds none (§2.2.3).
        return Ok(Vec::new());
    }
    if let Some(inline) = &group.inline {
        return Ok(inline_certificates(s, ing, inline, host));
    }
    let (ns, name) = (&group.secret_ns, &group.secret_name);
    let mut out = secret_certificates(ctx, ing, ns, name, host)?;
    if let Some(alt) = &group.alt_secret {
        // A HostRule's alternate certificate Secret: a TLS configuration of
        // its own in AKO, built after the main one here. When its Secret
        // cannot be used that configuration adds nothing and the main
        // certificates stand (`avi_model_l7_translator.go` `BuildTlsCertNode`
        // returns false). Under a name already built, the alternate's body
        // replaces the main one, as the configuration processed last does
        // (`parse::alternate_collides`).
        if let Ok(more) = secret_certificates(ctx, ing, ns, alt, host) {
            for (n, b) in more {
                match out.iter_mut().find(|(m, _)| *m == n) {
                    Some(slot) => slot.1 = b,
                    None => out.push((n, b)),
                }
            }
        }
    }
    Ok(out)
}

/// The certificates of one TLS Secret for `host` (`BuildTlsCertNode`): the
/// main one under `GetTLSKeyCertNodeName(host, secret)`, then `alt.crt` /
/// `alt.key` under the `-alt` name.
fn secret_certificates(
    ctx: &Context,
    ing: &ParsedIngress,
    ns: &str,
    name: &str,
    host: &str,
) -> Result<Vec<(String, Built)>, String> {
    let s = ctx.settings;
    let secret = ctx
        .secrets
        .get(&(ns.to_string(), name.to_string()))
        .filter(|x| x.type_.as_deref() != Some(HELM_RELEASE_SECRET))
        .ok_or_else(|| format!("Secret {ns}/{name} not found"))?;
    let mut data: BTreeMap<String, Vec<u8>> = secret
        .data
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.0.clone()))
        .collect();
    for (k, v) in secret.string_data.iter().flatten() {
        data.insert(k.clone(), v.clone().into_bytes());
    }
    let crt = data
        .get("tls.crt")
        .ok_or_else(|| format!("certificate (tls.crt) not found in Secret {ns}/{name}"))?;
    let key = data
        .get("tls.key")
        .ok_or_else(|| format!("key (tls.key) not found in Secret {ns}/{name}"))?;
    let default = name == DEFAULT_SECRET;
    let markers = if default {
        Markers::default()
    } else {
        Markers {
            host: vec![host.to_string()],
            infrasetting_name: ing.infra.name.clone(),
            ..Markers::default()
        }
    };
    let sources = Sources::from([ing.source(), source("Secret", ns, name)]);
    let body = |cname: &str, crt: &[u8], key: &[u8]| -> Built {
        Built {
            body: Held::Tree(cert_body(s, &ing.tenant, cname, crt, key, &markers)),
            sources: sources.clone(),
            pki: None,
        }
    };
    let main = names::tls_cert(s, &ing.infra.name, host, name);
    let mut out = vec![(main.clone(), body(&main, crt, key))];
    if let (Some(ac), Some(ak)) = (data.get("alt.crt"), data.get("alt.key")) {
        let alt = names::tls_cert(s, &ing.infra.name, host, &format!("{name}-alt"));
        out.push((alt.clone(), body(&alt, ac, ak)));
    }
    Ok(out)
}

/// Keep the certificate bodies built for `host` by (tenant, name); a
/// different body under a name already built is reported (the Ingress
/// processed last wins). Returns, per certificate, whether it is new or
/// changed (AKO's `CheckSSLCertNodeNameNChecksum`).
pub fn store_certs(
    out: &mut Out,
    ing: &ParsedIngress,
    group: &TlsGroup,
    host: &str,
    certs: &[(String, Built)],
    store: &mut BTreeMap<(String, String), Built>,
) -> Vec<bool> {
    let mut changed = Vec::new();
    for (name, built) in certs {
        let k = (ing.tenant.clone(), name.clone());
        let differs = store
            .get(&k)
            .map(|old| old.body.value() != built.body.value());
        if differs == Some(true) {
            warn(
                out,
                ing,
                format!(
                    "duplicate secrets for host {host}: certificate {name} is overwritten with Secret {}/{} (the Ingress processed last wins)",
                    group.secret_ns, group.secret_name
                ),
            );
        }
        changed.push(differs != Some(false));
        // Kept as text in a lean compile, as the pools are: a model holds
        // every certificate of the cluster until it is emitted.
        store.insert(
            k,
            Built {
                body: out.hold_copy(&built.body),
                sources: built.sources.clone(),
                pki: built.pki.clone(),
            },
        );
    }
    changed
}

fn cert_body(
    s: &Settings,
    tenant: &str,
    name: &str,
    crt: &[u8],
    key: &[u8],
    markers: &Markers,
) -> Value {
    json!({
        "name": name,
        "tenant_ref": tenant_ref(tenant),
        "created_by": s.created_by(),
        "type": "SSL_CERTIFICATE_TYPE_VIRTUALSERVICE",
        "certificate": {"certificate": String::from_utf8_lossy(crt)},
        "key": key_text(s, key),
        "markers": markers.to_json(s),
    })
}

/// Whether a built certificate is a CA certificate (referenced from a
/// key/cert, never from a VS).
pub fn is_ca(b: &Built) -> bool {
    b.body.value()["type"] == "SSL_CERTIFICATE_TYPE_CA"
}

/// A Route's inline certificate `P + [I-] + host`, and its CA certificate
/// `P + [I-] + host + "-cacert"` (both hashed in EVH mode) when `tls.caCertificate` is set (returned last,
/// referenced from the key/cert through `ca_certs`). AKO:
/// `avi_model_l7_translator.go` `BuildTlsCertNode`, `BuildCACertNode`;
/// `internal/rest/ssl_key_certificate.go` `AviSSLBuild`, `AviCACertBuild`.
fn inline_certificates(
    s: &Settings,
    ing: &ParsedIngress,
    inline: &InlineCert,
    host: &str,
) -> Vec<(String, Built)> {
    // `PopulateTLSKeyCertNode`: host and infrasetting, on both certificates.
    let markers = Markers {
        host: vec![host.to_string()],
        infrasetting_name: ing.infra.name.clone(),
        ..Markers::default()
    };
    let sources = Sources::from([ing.source()]);
    // `GetTLSKeyCertNodeName` with the internal route secret name.
    let main = names::tls_cert(s, &ing.infra.name, host, "");
    let mut body = cert_body(
        s,
        &ing.tenant,
        &main,
        inline.cert.as_bytes(),
        inline.key.as_bytes(),
        &markers,
    );
    let mut out = Vec::new();
    let mut ca = None;
    if !inline.ca.is_empty() {
        let ca_name = names::ca_cert(s, &ing.infra.name, host);
        body["ca_certs"] =
            json!([{"name": ca_name, "ca_ref": api_ref("sslkeyandcertificate", &ca_name)}]);
        ca = Some((
            ca_name.clone(),
            Built {
                body: Held::Tree(json!({
                    "name": ca_name,
                    "tenant_ref": tenant_ref(&ing.tenant),
                    "created_by": s.created_by(),
                    "type": "SSL_CERTIFICATE_TYPE_CA",
                    "certificate": {"certificate": inline.ca},
                    "key": "",
                    "markers": markers.to_json(s),
                })),
                sources: sources.clone(),
                pki: None,
            },
        ));
    }
    out.push((
        main,
        Built {
            body: Held::Tree(body),
            sources,
            pki: None,
        },
    ));
    out.extend(ca);
    out
}

/// One host of a TLS group of an Ingress (`sniNodeHostName`,
/// `BuildModelGraphForSNI`).
pub fn secure_host(
    ctx: &Context,
    out: &mut Out,
    model: &mut Model,
    ing: &ParsedIngress,
    group: &TlsGroup,
    hp: &HostPaths,
) {
    let s = ctx.settings;
    let host = &hp.host;
    let tenant = &ing.tenant;
    let (vh_name, parent) = match placement(ctx, &ing.infra, host) {
        Placement::Shard(sh) => {
            // The shard model exists from here on, even when the certificate fails.
            let shard = model.shard(tenant, &sh);
            shard.sources.insert(ing.source());
            shard.set_infra(&ing.infra);
            (names::sni_vs(s, &ing.infra.name, host), Some(sh))
        }
        Placement::Dedicated(d) => {
            let vh = model.vh(tenant, &d, host, None, true);
            vh.sources.insert(ing.source());
            vh.set_infra(&ing.infra);
            (d, None)
        }
    };
    let ns_ing = format!("{}/{}", ing.ns, ing.name);
    let vkey = (tenant.clone(), vh_name.clone());
    let certs = match certificates(ctx, ing, group, host) {
        Ok(c) => c,
        Err(why) => {
            let what = if parent.is_none() {
                "AKO keeps the host's dedicated virtual service with no certificate, pool or policy"
            } else {
                "AKO builds no virtual service for this host"
            };
            warn(
                out,
                ing,
                format!(
                    "TLS host {host}: {why}; the certificate could not be built, so {what} (it is not served insecurely either)"
                ),
            );
            let remaining = match model.vhs.get_mut(&vkey) {
                Some(vh) => {
                    // A Dedicated VS takes the host's service metadata and
                    // markers before the certificate is tried
                    // (`BuildModelGraphForSNI`), the failing Ingress still
                    // listed; the cleanup (`DeleteDedicatedVSNode`) keeps them.
                    if parent.is_none() {
                        let mut listed = vh.ns_ings.clone();
                        listed.insert(ns_ing.clone());
                        vh.listed_ns_ings = Some(listed);
                        vh.namespace = ing.ns.clone();
                        vh.infra_name = ing.infra.name.clone();
                    }
                    vh.ns_ings.remove(&ns_ing);
                    !vh.ns_ings.is_empty()
                }
                None => false,
            };
            if !remaining {
                match &parent {
                    Some(sh) => {
                        model.vhs.remove(&vkey);
                        let shard = model.shard(tenant, sh);
                        shard.fqdns.remove(host);
                        shard.redirect_hosts.remove(host);
                    }
                    None => {
                        if let Some(vh) = model.vhs.get_mut(&vkey) {
                            vh.pgs.clear();
                            vh.pools.clear();
                            vh.policies.clear();
                            vh.certs.clear();
                            vh.redirect_hosts.clear();
                            vh.fqdns.retain(|h| h != host);
                        }
                    }
                }
            }
            return;
        }
    };
    let dedicated = parent.is_none();
    store_certs(out, ing, group, host, &certs, &mut model.certs);
    // A Route's CA certificate is referenced from its key/cert, not from the
    // child VS.
    let (certs, ca): (Vec<_>, Vec<_>) = certs.into_iter().partition(|(_, b)| !is_ca(b));
    let vh = model.vh(tenant, &vh_name, host, parent.as_deref(), true);
    vh.sources.insert(ing.source());
    if !group.avi_cert && group.inline.is_none() {
        vh.sources
            .insert(source("Secret", &group.secret_ns, &group.secret_name));
        if let Some(alt) = &group.alt_secret {
            vh.sources.insert(source("Secret", &group.secret_ns, alt));
        }
    }
    vh.ca_certs = ca.iter().map(|(n, _)| n.clone()).collect();
    vh.ns_ings.insert(ns_ing);
    vh.listed_ns_ings = None;
    vh.namespace = ing.ns.clone();
    vh.infra_name = ing.infra.name.clone();
    vh.domains = vec![host.clone()];
    if let Some((main, _)) = certs.first()
        && !vh.certs.contains(main)
    {
        if vh.certs.len() == 1 {
            vh.certs[0] = main.clone();
        } else {
            vh.certs.push(main.clone());
        }
    }
    for (alt, _) in certs.iter().skip(1) {
        push_unique(&mut vh.certs, alt);
    }
    add_paths(ctx, out, vh, ing, hp, dedicated);
    if dedicated {
        vh.secure = true;
        push_unique(&mut vh.fqdns, host);
        if group.redirect {
            push_unique(&mut vh.redirect_hosts, host);
            vh.redirect_at = vh.policies.len();
        } else {
            vh.redirect_hosts.retain(|h| h != host);
        }
    } else if let Some(sh) = &parent {
        let shard = model.shard(tenant, sh);
        shard.fqdns.insert(host.clone());
        // The host leaves the parent's redirect policy, comes back when its
        // TLS asks for the redirect, and is also added whenever the policy
        // still exists: `BuildModelGraphForSNI` ends with
        // `AddFQDNAliasesToHTTPPolicy` on the parent, which puts the host in
        // every redirect rule of the parent. So a Route without
        // `insecureEdgeTerminationPolicy: Redirect` is redirected when a host
        // processed before it created the policy on the same shard.
        shard.redirect_hosts.remove(host);
        if group.redirect || !shard.redirect_hosts.is_empty() {
            shard.redirect_hosts.insert(host.clone());
        }
    }
}

impl Vh {
    /// Record the infrasetting effects of the Ingress being processed.
    /// The InfrasettingName marker follows every Ingress; the network side is
    /// the creator's, changed later only by an Ingress with a setting
    /// (`HostNameShardAndPublish`: `buildWithInfraSetting` on an existing model
    /// only when `infraSetting != nil`).
    pub fn set_infra(&mut self, infra: &super::parse::L7Infra) {
        self.infra_name = infra.name.clone();
        if self.net.is_none() || infra.set {
            self.net = Some(infra.net.clone());
            self.listeners = infra.listeners.clone();
        }
    }
}

/// An insecure host in Dedicated mode (`BuildDedicatedL7VSGraphHostNameShard`):
/// the host's VS loses its secure listener, certificates and redirect.
pub fn dedicated_insecure(
    ctx: &Context,
    out: &mut Out,
    model: &mut Model,
    ing: &ParsedIngress,
    hp: &HostPaths,
    vs_name: &str,
) {
    let vh = model.vh(&ing.tenant, vs_name, &hp.host, None, false);
    vh.sources.insert(ing.source());
    vh.set_infra(&ing.infra);
    vh.ns_ings.insert(format!("{}/{}", ing.ns, ing.name));
    vh.listed_ns_ings = None;
    vh.namespace = ing.ns.clone();
    push_unique(&mut vh.fqdns, &hp.host);
    vh.redirect_hosts.clear();
    vh.certs.clear();
    vh.secure = false;
    add_paths(ctx, out, vh, ing, hp, true);
}

/// Pools, poolgroups and policy rules of one host of one Ingress
/// (`BuildPolicyPGPoolsForSNI`, `BuildPoolPGPolicyForDedicatedVS`).
fn add_paths(
    ctx: &Context,
    out: &mut Out,
    vh: &mut Vh,
    ing: &ParsedIngress,
    hp: &HostPaths,
    dedicated: bool,
) {
    let s = ctx.settings;
    let host = &hp.host;
    let infra = &ing.infra.name;
    let pol_name = names::sni_httpps(s, infra, &ing.ns, host);
    let pol_ok = !name_too_long(&pol_name);
    if pol_ok {
        if !vh.policies.iter().any(|p| p.name == pol_name) {
            vh.policies.push(Policy {
                name: pol_name.clone(),
                namespace: ing.ns.clone(),
                host: host.clone(),
                rules: Vec::new(),
                sources: Sources::default(),
                markers: None,
            });
        }
    } else {
        too_long(out, ing, "httppolicyset", &pol_name);
        vh.policies.retain(|p| p.name != pol_name);
    }
    let mut local: BTreeMap<String, Pg> = BTreeMap::new();
    for entry in &hp.paths {
        let base = names::sni_pool(
            s,
            infra,
            &ing.ns,
            host,
            &entry.path,
            &ing.name,
            dedicated,
            false,
        );
        // A Route's service name goes before the `-L7-dedicated` suffix
        // (`GetSniPoolName` with a service name).
        let pool_ing = format!("{}{}", ing.name, ing.pool_suffix(&entry.service));
        let pool_name = names::sni_pool(
            s,
            infra,
            &ing.ns,
            host,
            &entry.path,
            &pool_ing,
            dedicated,
            s.no_pg_for_sni,
        );
        let mut pg_found = false;
        let target;
        if s.no_pg_for_sni {
            target = (!name_too_long(&pool_name)).then(|| Target::Pool(pool_name.clone()));
        } else {
            pg_found = local.contains_key(&base);
            let pg = local.entry(base.clone()).or_insert_with(|| Pg {
                members: Vec::new(),
                markers: Box::default(),
                sources: Sources::from([ing.source()]),
            });
            *pg.markers = pool::path_markers(ing, host, entry, false);
            target = (!name_too_long(&base)).then(|| Target::PoolGroup(base.clone()));
        }
        let pool_ok = !name_too_long(&pool_name);
        if pool_ok {
            let markers = pool::path_markers(ing, host, entry, true);
            let b = pool::build(
                ctx,
                out,
                &pool_name,
                ing,
                host,
                entry,
                &markers,
                pool::PoolKind::Secure,
            );
            vh.pools.insert(pool_name.clone(), b);
            if let Some(pg) = local.get_mut(&base) {
                pg.members.push((pool_name.clone(), entry.ratio));
            }
        } else {
            too_long(out, ing, "pool", &pool_name);
            vh.pools.remove(&pool_name);
        }
        if !s.no_pg_for_sni {
            if name_too_long(&base) {
                too_long(out, ing, "poolgroup", &base);
                vh.pgs.remove(&base);
            } else if let Some(pg) = local.get(&base) {
                vh.pgs.insert(base.clone(), pg.clone());
            }
        }
        if pg_found {
            continue;
        }
        let Some(policy) = vh.policies.iter_mut().find(|p| p.name == pol_name) else {
            continue;
        };
        policy.sources.insert(ing.source());
        let pos = policy.rules.iter().position(|r| r.key == base);
        if name_too_long(&base) {
            if let Some(i) = pos {
                policy.rules.remove(i);
            }
            continue;
        }
        let rule = Rule {
            key: base.clone(),
            path: (!entry.path.is_empty()).then(|| entry.path.clone()),
            exact: entry.exact,
            target,
            ingress: ing.name.clone(),
        };
        match pos {
            Some(i) if policy.rules[i] == rule => {}
            Some(i) => {
                policy.rules.remove(i);
                policy.rules.push(rule);
            }
            None => policy.rules.push(rule),
        }
    }
}

/// `http_request_policy.rules` and markers of an SNI httppolicyset
/// (`AviHttpPSBuild`): rules with a path by path length descending (stable),
/// then rules without path; Path marker = paths in insertion order,
/// IngressName = sorted distinct.
pub fn policy_body(s: &Settings, tenant: &str, hosts: &[String], infra: &str, p: &Policy) -> Value {
    let mut ordered: Vec<&Rule> = p.rules.iter().filter(|r| r.path.is_some()).collect();
    ordered.sort_by_key(|r| std::cmp::Reverse(r.path.as_deref().map_or(0, str::len)));
    ordered.extend(p.rules.iter().filter(|r| r.path.is_none()));
    let mut rules = Vec::new();
    for r in ordered {
        let idx = rules.len();
        let name = format!("{}-{idx}", p.name);
        if name_too_long(&name) {
            continue;
        }
        let mut m = json!({});
        if let Some(path) = &r.path {
            m["path"] = json!({
                "match_criteria": if r.exact { "EQUALS" } else { "BEGINS_WITH" },
                "match_case": "SENSITIVE",
                "match_str": [path],
            });
        }
        let action = match &r.target {
            Some(Target::PoolGroup(pg)) => json!({
                "action": "HTTP_SWITCHING_SELECT_POOLGROUP",
                "pool_group_ref": api_ref("poolgroup", pg),
            }),
            Some(Target::Pool(pool)) => json!({
                "action": "HTTP_SWITCHING_SELECT_POOL",
                "pool_ref": api_ref("pool", pool),
            }),
            None => json!({}),
        };
        rules.push(json!({"index": idx, "enable": true, "name": name, "match": m, "switching_action": action}));
    }
    // `AviHttpPSBuild` (internal/rest/avi_obj_httpps.go) rewrites the Path
    // and IngressName markers of a policy set not attached to a shared VS
    // from its path rules: paths of rules that have one (a Route without a
    // path has none), in rule order, and the sorted Ingress names.
    let markers = match &p.markers {
        Some(m) => {
            let from_rules = sni_policy_markers(hosts, infra, p);
            Markers {
                host: hosts.to_vec(),
                path: from_rules.path,
                ingress_name: from_rules.ingress_name,
                ..(**m).clone()
            }
        }
        None => sni_policy_markers(hosts, infra, p),
    };
    let req = if rules.is_empty() {
        json!({})
    } else {
        json!({"rules": rules})
    };
    json!({
        "name": p.name,
        "tenant_ref": tenant_ref(tenant),
        "created_by": s.created_by(),
        "http_request_policy": req,
        "http_security_policy": {},
        "markers": markers.to_json(s),
    })
}

/// SNI policy markers: paths in rule insertion order, Ingress names sorted.
fn sni_policy_markers(hosts: &[String], infra: &str, p: &Policy) -> Markers {
    Markers {
        namespace: p.namespace.clone(),
        host: hosts.to_vec(),
        infrasetting_name: infra.to_string(),
        path: p.rules.iter().filter_map(|r| r.path.clone()).collect(),
        ingress_name: p
            .rules
            .iter()
            .map(|r| r.ingress.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        ..Markers::default()
    }
}

/// SNI child `http_policies` order (`AviVsHttpPSAdd`): policies whose first
/// inserted rule has no path first (model order), then the others by the path
/// of their first inserted rule; indexes from 11.
fn child_policy_order(policies: &[Policy]) -> Vec<&Policy> {
    let first_path = |p: &Policy| p.rules.first().and_then(|r| r.path.clone());
    vh_policy_order(policies, first_path)
}

/// `AviVsHttpPSAdd` ordering for any policy list: items whose first path is
/// `None` first (list order), then the others by that path (stable).
pub fn vh_policy_order<T>(items: &[T], first_path: impl Fn(&T) -> Option<String>) -> Vec<&T> {
    let mut without: Vec<&T> = items.iter().filter(|p| first_path(p).is_none()).collect();
    let mut with: Vec<&T> = items.iter().filter(|p| first_path(p).is_some()).collect();
    with.sort_by_key(|p| first_path(p));
    without.append(&mut with);
    without
}

/// `http_policies` refs with indexes from 11.
pub fn policy_refs(names: &[&str]) -> Value {
    Value::Array(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| json!({"index": 11 + i, "http_policy_set_ref": api_ref("httppolicyset", n)}))
            .collect(),
    )
}

/// Fields every virtual-hosted child VS carries, SNI and EVH alike
/// (`AviVsSniBuild`, `AviVsChildEvhBuild`): the global SE group (never an
/// AviInfraSetting's), the VRF even with a tier-1, and the profiles.
pub fn child_vs_fields(s: &Settings, b: &mut Map<String, Value>, app_profile: &str) {
    b.insert(
        "application_profile_ref".into(),
        json!(api_ref("applicationprofile", app_profile)),
    );
    b.insert(
        "network_profile_ref".into(),
        json!(api_ref("networkprofile", "System-TCP-Proxy")),
    );
    b.insert(
        "se_group_ref".into(),
        json!(api_ref("serviceenginegroup", &s.se_group_name)),
    );
    b.insert(
        "vrf_context_ref".into(),
        json!(api_ref("vrfcontext", &s.cloud.vrf)),
    );
    b.insert("east_west_placement".into(), json!(false));
    b.insert("ign_pool_net_reach".into(), json!(false));
}

/// Emit pools (with their PKI profiles) and their poolgroups
/// (`AviPoolBuild`, `AviPkiProfileBuild`, `AviPoolGroupBuild`).
pub fn emit_pools_pgs(
    s: &Settings,
    out: &mut Out,
    t: &str,
    pools: BTreeMap<String, Built>,
    pgs: &BTreeMap<String, Pg>,
) {
    for (name, p) in pools {
        p.emit_pool(out, t, &name);
    }
    for (name, pg) in pgs {
        let mut members: Vec<&(String, u32)> = pg.members.iter().collect();
        members.sort();
        members.dedup_by(|a, b| a.0 == b.0);
        let mut body = json!({
            "name": name,
            "tenant_ref": tenant_ref(t),
            "cloud_ref": api_ref("cloud", &s.cloud_name),
            "created_by": s.created_by(),
            "implicit_priority_labels": false,
            "markers": pg.markers.to_json(s),
        });
        if !members.is_empty() {
            body["members"] = Value::Array(
                members
                    .iter()
                    .map(|(m, r)| json!({"pool_ref": api_ref("pool", m), "ratio": r}))
                    .collect(),
            );
        }
        out.emit(AviType::Poolgroup, t, name, pg.sources.clone(), body);
    }
}

/// Emit an SNI child or Dedicated VS with its policies, poolgroups and pools.
pub fn emit(ctx: &Context, out: &mut Out, mut vh: Vh) {
    let s = ctx.settings;
    let t = vh.tenant.as_str();
    let n = vh.name.as_str();
    emit_pools_pgs(s, out, t, std::mem::take(&mut vh.pools), &vh.pgs);
    for p in &vh.policies {
        out.emit(
            AviType::Httppolicyset,
            t,
            &p.name,
            p.sources.clone(),
            policy_body(s, t, &vh.domains, &vh.infra_name, p),
        );
    }
    if name_too_long(n) {
        out.diag(
            Severity::Warning,
            None,
            format!("virtualservice name {n} exceeds maximum length limit of 255 characters for AVI Object; AKO does not create it"),
        );
        return;
    }
    let metadata = ServiceMetadata {
        namespace_ingress_name: Some(
            vh.listed_ns_ings
                .as_ref()
                .unwrap_or(&vh.ns_ings)
                .iter()
                .cloned()
                .collect(),
        ),
        namespace: vh.namespace.clone(),
        hostnames: Some(vec![vh.host.clone()]),
        ..ServiceMetadata::default()
    };
    // After a certificate failure the Dedicated VS keeps the markers set
    // before it (`PopulateVSNodeMarkers` with the host); otherwise the Host
    // marker follows `VHDomainNames`.
    let markers = Markers {
        namespace: vh.namespace.clone(),
        host: if vh.listed_ns_ings.is_some() {
            vec![vh.host.clone()]
        } else {
            vh.domains.clone()
        },
        infrasetting_name: vh.infra_name.clone(),
        ..Markers::default()
    };
    let net = vh.net.clone().unwrap_or_else(|| vip::Net::global(s));
    let certs: Vec<String> = vh
        .certs
        .iter()
        .map(|c| api_ref("sslkeyandcertificate", c))
        .collect();
    let sources = vh.sources.clone();
    match &vh.parent {
        Some(parent) => {
            let mut b = Map::new();
            b.insert("name".into(), json!(n));
            b.insert("cloud_ref".into(), json!(api_ref("cloud", &s.cloud_name)));
            b.insert("created_by".into(), json!(s.created_by()));
            b.insert("type".into(), json!("VS_TYPE_VH_CHILD"));
            b.insert(
                "vh_parent_vs_ref".into(),
                json!(api_ref("virtualservice", parent)),
            );
            b.insert("vh_domain_name".into(), json!(vh.domains));
            child_vs_fields(s, &mut b, "System-Secure-HTTP");
            b.insert("error_page_profile_ref".into(), json!(""));
            if !certs.is_empty() {
                b.insert("ssl_key_and_certificate_refs".into(), json!(certs));
            }
            let order: Vec<&str> = child_policy_order(&vh.policies)
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            if !order.is_empty() {
                b.insert("http_policies".into(), policy_refs(&order));
            }
            b.insert(
                "service_metadata".into(),
                json!(metadata.render_for(s.release)),
            );
            b.insert("markers".into(), markers.to_json(s));
            out.emit(AviType::Virtualservice, t, n, sources, Value::Object(b));
        }
        None => {
            out.emit(
                AviType::Vsvip,
                t,
                n,
                sources.clone(),
                vip::vsvip_body_net(
                    s,
                    &net,
                    &vip::VsvipSpec {
                        name: n.to_string(),
                        tenant: t.to_string(),
                        fqdns: vh.fqdns.clone(),
                        requested_ip: None,
                    },
                ),
            );
            let mut order: Vec<&str> = vh.policies.iter().map(|p| p.name.as_str()).collect();
            if !vh.redirect_hosts.is_empty() {
                let rmarkers = markers.clone();
                let body = redirect_policy(s, n, t, &vh.redirect_hosts, rmarkers.to_json(s));
                out.emit(AviType::Httppolicyset, t, n, sources.clone(), body);
                order.insert(vh.redirect_at.min(order.len()), n);
            }
            let mut b = vs_common(s, &net, n, t, &metadata);
            b.insert("type".into(), json!("VS_TYPE_NORMAL"));
            b.insert(
                "services".into(),
                with_listeners(services(vh.secure), &vh.listeners),
            );
            if vh.secure {
                b.insert(
                    "application_profile_ref".into(),
                    json!(api_ref("applicationprofile", "System-Secure-HTTP")),
                );
            }
            b.insert("east_west_placement".into(), json!(false));
            if !certs.is_empty() {
                b.insert("ssl_key_and_certificate_refs".into(), json!(certs));
            }
            if !order.is_empty() {
                b.insert("http_policies".into(), policy_refs(&order));
            }
            b.insert("markers".into(), markers.to_json(s));
            out.emit(AviType::Virtualservice, t, n, sources, Value::Object(b));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: Option<&str>, ing: &str) -> Rule {
        Rule {
            key: format!("{ing}{}", path.unwrap_or("")),
            path: path.map(str::to_string),
            exact: false,
            target: Some(Target::PoolGroup("pg".into())),
            ingress: ing.into(),
        }
    }

    fn policy(name: &str, rules: Vec<Rule>) -> Policy {
        Policy {
            name: name.into(),
            namespace: "ns".into(),
            host: "h.com".into(),
            rules,
            sources: Sources::default(),
            markers: None,
        }
    }

    #[test]
    fn rules_sorted_by_path_length_then_pathless() {
        let s = Settings::default();
        let p = policy(
            "p",
            vec![
                rule(None, "b"),
                rule(Some("/a"), "a"),
                rule(Some("/long"), "a"),
                rule(Some("/b"), "c"),
            ],
        );
        let body = policy_body(&s, "admin", &["h.com".to_string()], "", &p);
        let rules = body["http_request_policy"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let paths: Vec<Value> = rules
            .iter()
            .map(|r| r["match"]["path"]["match_str"][0].clone())
            .collect();
        assert_eq!(
            paths,
            vec![json!("/long"), json!("/a"), json!("/b"), Value::Null]
        );
        assert_eq!(rules[3]["match"], json!({}));
        assert_eq!(rules[2]["name"], json!("p-2"));
        let markers = body["markers"].to_string();
        assert!(
            markers.contains(r#"{"key":"Path","values":["/a","/long","/b"]}"#),
            "{markers}"
        );
        assert!(
            markers.contains(r#"{"key":"IngressName","values":["a","b","c"]}"#),
            "{markers}"
        );
    }

    #[test]
    fn child_policies_pathless_first_then_by_first_path() {
        let ps = vec![
            policy("x", vec![rule(Some("/z"), "a")]),
            policy("y", vec![rule(None, "a"), rule(Some("/a"), "a")]),
            policy("w", vec![rule(Some("/b"), "a")]),
        ];
        let order: Vec<&str> = child_policy_order(&ps)
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(order, vec!["y", "w", "x"]);
    }

    #[test]
    fn key_is_redacted_unless_asked() {
        let mut s = Settings::default();
        let k = key_text(&s, b"-----BEGIN EC PRIVATE KEY-----");
        assert!(k.starts_with("<redacted sha256:") && k.ends_with('>'));
        assert!(!k.contains("PRIVATE"));
        assert_eq!(k.len(), "<redacted sha256:>".len() + 64);
        s.show_secrets = true;
        assert_eq!(key_text(&s, b"abc"), "abc");
    }
}
