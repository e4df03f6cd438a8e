//! Kubernetes Ingress in SNI ("hostname shard") mode and Dedicated mode
//! (translation-core.md §2, §3, §4.4-§4.7, §4.11, §5, §6;
//! translation-extended.md §4.1).
//!
//! AKO builds one in-memory model per shard VS while it processes the Ingresses
//! one after the other (`internal/nodes/avi_model_routeingr_hostname_shard.go`
//! `HostNameShardAndPublish`: insecure hosts first, then secure hosts). This
//! module does the same: [`parse`] selects and reads the Ingresses in AKO's
//! processing order, [`shard`] and [`sni`] fold them into a [`Model`], and the
//! model is emitted once at the end, so "last one wins" and "removed again"
//! rules come out as AKO's full sync leaves them.

pub mod evh;
pub mod names;
pub mod parse;
pub mod passthrough;
pub mod pool;
pub mod route;
pub mod shard;
pub mod sni;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::common::{Markers, Sources, bucket};
use super::{Context, Out};
use crate::model::Severity;

/// Build every Ingress (or, when the input has Routes, every Route) object
/// into `out`.
///
/// When the Route API exists AKO watches Routes and not Ingresses
/// (`internal/lib/lib.go` `InformersToRegister`); akoctl takes any Route in
/// the input as that sign, so Routes win and Ingresses are ignored with a
/// diagnostic (translation-extended.md §1).
pub fn build(ctx: &Context, out: &mut Out) {
    let routes = !ctx.snapshot.routes.is_empty();
    if !routes && ctx.snapshot.ingresses.is_empty() {
        return;
    }
    let parsed = if routes {
        if !ctx.snapshot.ingresses.is_empty() {
            out.diag(
                Severity::Warning,
                None,
                format!(
                    "the input has OpenShift Routes: AKO then watches Routes instead of Ingresses, so the {} Ingress(es) are ignored",
                    ctx.snapshot.ingresses.len()
                ),
            );
        }
        route::accepted(ctx, out)
    } else {
        if ctx.snapshot.ingress_classes.is_empty() && ctx.settings.primary_instance {
            out.diag(
                Severity::Info,
                None,
                format!(
                    "IngressClass {} (controller {}, the default class iff L7Settings.defaultIngController is true, now {}) is assumed: AKO's helm chart installs it with AKOSettings.primaryInstance (templates/ingressclass.yaml); IngressClasses in the input replace it",
                    parse::CHART_CLASS,
                    parse::AVI_CONTROLLER,
                    ctx.settings.default_ing_controller
                ),
            );
        }
        parse::accepted(ctx, out)
    };
    duplicate_paths(&parsed, out);
    // Passthrough hosts go to the shared L4 passthrough VSes in SNI and EVH
    // mode alike (translation-extended.md §1.6).
    let mut pass = passthrough::PassModel::new();
    for p in &parsed {
        passthrough::add(ctx, out, &mut pass, p);
    }
    passthrough::emit(ctx, out, pass);
    nodeport_dedicated_order(ctx, &parsed, out);
    if ctx.settings.enable_evh {
        // Routes and Ingresses share the EVH builders
        // (translation-extended.md §1.7, §3).
        evh::build(ctx, out, &parsed);
        return;
    }
    let mut model = Model::default();
    for ing in &parsed {
        for hp in &ing.insecure {
            shard::insecure_host(ctx, out, &mut model, ing, hp);
        }
        for group in &ing.tls {
            for hp in &group.hosts {
                sni::secure_host(ctx, out, &mut model, ing, group, hp);
            }
        }
    }
    // The model owns what it needs: the parsed Ingresses are not held while
    // the objects are emitted.
    drop(parsed);
    model.emit(ctx, out);
}

/// Same host and path in several Ingresses: AKO builds them all and warns
/// (translation-core.md §5 row 22; `internal/nodes/validator.go`
/// `validateSpecFromHostnameCache`).
fn duplicate_paths(parsed: &[parse::ParsedIngress], out: &mut Out) {
    let mut seen: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for ing in parsed {
        let hosts = ing
            .insecure
            .iter()
            .chain(ing.tls.iter().flat_map(|t| t.hosts.iter()));
        for hp in hosts {
            for e in &hp.paths {
                let v = seen.entry((hp.host.clone(), e.path.clone())).or_default();
                let who = format!("{} {}/{}", ing.kind, ing.ns, ing.name);
                if !v.contains(&who) {
                    v.push(who);
                }
            }
        }
    }
    for ((host, path), ings) in seen {
        if ings.len() > 1 {
            out.diag(
                Severity::Warning,
                None,
                format!(
                    "duplicate host and path {host}{path} in {}: AKO builds all of them, and which one serves the traffic depends on the controller",
                    ings.join(", ")
                ),
            );
        }
    }
}

/// Dedicated VS built by a TLS and a plain Ingress (or Route) in NodePort
/// mode: AKO's answer depends on event order, so warn.
///
/// On one dedicated VS, the last Ingress processed decides whether the host
/// is secure: a plain one strips the SSL port, certificates, secure
/// application profile and redirect policy
/// (`internal/nodes/avi_model_l7_hostname_shard.go`
/// `BuildDedicatedL7VSGraphHostNameShard`), a TLS one puts them back
/// (`BuildModelGraphForSNI`); the same holds for a Dedicated EVH VS
/// (`internal/nodes/avi_model_evh_nodes.go` `BuildModelGraphForInsecureEVH`,
/// `evhNodeHostName`). A full sync processes the Ingresses in the
/// order akoctl follows. In NodePort mode every Node event handled after the
/// full sync runs all Ingresses and Routes of NodePort Services again
/// (`internal/nodes/dequeue_ingestion.go` `handleIngress` after
/// `processNodeObj`, Services from `internal/lib/utils.go`
/// `GetSvcKeysForNodeCRUD`, which lists the informer cache in Go map order),
/// so the last one processed, and with it the VS, is not determined.
/// akoctl keeps the full-sync outcome and names it.
fn nodeport_dedicated_order(ctx: &Context, parsed: &[parse::ParsedIngress], out: &mut Out) {
    if ctx.settings.service_type != crate::settings::ServiceType::NodePort {
        return;
    }
    // Dedicated VS name -> (host, builders in processing order: who, secure).
    let mut by_vs: BTreeMap<String, (String, Vec<(String, bool)>)> = BTreeMap::new();
    for ing in parsed {
        let who = format!("{} {}/{}", ing.kind, ing.ns, ing.name);
        let secure_hosts = ing
            .tls
            .iter()
            .flat_map(|t| t.hosts.iter().map(|h| (h, true)));
        for (hp, secure) in ing.insecure.iter().map(|h| (h, false)).chain(secure_hosts) {
            let vs = if ctx.settings.enable_evh {
                match evh::placement(ctx.settings, &ing.infra, &ing.ns, &hp.host) {
                    evh::EvhPlacement::Dedicated(vs) => vs,
                    evh::EvhPlacement::Parent(_) => continue,
                }
            } else {
                match placement(ctx, &ing.infra, &hp.host) {
                    Placement::Dedicated(vs) => vs,
                    Placement::Shard(_) => continue,
                }
            };
            let entry = by_vs
                .entry(vs)
                .or_insert_with(|| (hp.host.clone(), Vec::new()));
            entry.1.retain(|(w, _)| w != &who);
            entry.1.push((who.clone(), secure));
        }
    }
    for (vs, (host, builders)) in by_vs {
        let secure: Vec<&str> = builders
            .iter()
            .filter(|b| b.1)
            .map(|b| b.0.as_str())
            .collect();
        let plain: Vec<&str> = builders
            .iter()
            .filter(|b| !b.1)
            .map(|b| b.0.as_str())
            .collect();
        if secure.is_empty() || plain.is_empty() {
            continue;
        }
        let (last, last_secure) = builders.last().expect("two builders at least");
        let kept = if *last_secure { "TLS" } else { "plain" };
        out.diag(
            Severity::Warning,
            Some(format!("virtualservice {vs}")),
            format!(
                "dedicated host {host} is TLS in {} and plain in {}: in NodePort mode AKO processes them again after its full sync on Node events, in Go map order of the Services, so whether this VS ends secure is not determined (it may differ between AKO restarts); akoctl keeps the full-sync order, in which the {kept} {last} comes last and decides the application profile, certificates, port 443 and redirect policy",
                secure.join(", "),
                plain.join(", ")
            ),
        );
    }
}

/// Where a host lands (§3).
pub enum Placement {
    /// Shared parent VS name.
    Shard(String),
    /// Dedicated VS name.
    Dedicated(String),
}

/// `internal/nodes/dequeue_ingestion.go` `DeriveShardVS`, `GetShardVSName`;
/// the shard size and infra prefix come from the Ingress's AviInfraSetting
/// (`internal/lib/lib.go` `GetShardSizeFromAviInfraCRD`).
pub fn placement(ctx: &Context, infra: &parse::L7Infra, host: &str) -> Placement {
    let s = ctx.settings;
    let count = infra.shard_size.count();
    if count == 0 {
        Placement::Dedicated(names::dedicated_vs(s, &infra.name, host))
    } else {
        Placement::Shard(names::shard_vs(s, &infra.name, bucket(host, count)))
    }
}

/// A built object body with the Kubernetes objects it came from.
#[derive(Clone, Debug)]
pub struct Built {
    pub body: super::Held,
    pub sources: Sources,
    /// A pool's PKI profile (name, body), emitted with the pool.
    pub pki: Option<Box<(String, Value)>>,
}

impl Built {
    /// Emit a pool and its PKI profile (the bodies are moved, not copied).
    pub fn emit_pool(self, out: &mut Out, tenant: &str, name: &str) {
        if let Some(pki) = self.pki {
            let (pn, pb) = *pki;
            out.emit(
                crate::model::AviType::Pkiprofile,
                tenant,
                &pn,
                self.sources.iter().cloned(),
                pb,
            );
        }
        out.emit_held(
            crate::model::AviType::Pool,
            tenant,
            name,
            self.sources,
            self.body,
        );
    }
}

/// A shared parent VS with its vsvip, poolgroup, datascript and redirect
/// policy (§4.5) and the insecure pools on it (§4.6).
#[derive(Debug, Default)]
pub struct Shard {
    pub tenant: String,
    pub name: String,
    /// Hosts on the vsvip (a set: sorted on emit anyway, and a shard holds
    /// many hosts, so a list with a duplicate check would be quadratic).
    pub fqdns: BTreeSet<String>,
    pub pools: BTreeMap<String, Built>,
    /// Pool name → (priority label, ratio).
    pub members: BTreeMap<String, (String, u32)>,
    /// Hosts redirected to HTTPS (a set, like `fqdns`).
    pub redirect_hosts: BTreeSet<String>,
    pub sources: Sources,
    /// Network side and listeners of the Ingress that touched the shard last.
    pub net: Option<super::vip::Net>,
    pub listeners: Vec<(i64, bool, bool)>,
}

/// Where a path rule sends traffic.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    PoolGroup(String),
    Pool(String),
}

/// One path rule of an SNI httppolicyset (AKO's `AviHostPathPortPoolPG`).
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// hppmap name (the SNI pool name): identity of the rule in the model.
    pub key: String,
    pub path: Option<String>,
    pub exact: bool,
    /// `None` when the pool/poolgroup name is too long (empty switching action).
    pub target: Option<Target>,
    pub ingress: String,
}

/// SNI httppolicyset `P + [X-] + ns + "-" + host`.
#[derive(Clone, Debug)]
pub struct Policy {
    pub name: String,
    pub namespace: String,
    pub host: String,
    pub rules: Vec<Rule>,
    pub sources: Sources,
    /// Markers kept by the model (EVH: set as AKO builds them); `None`
    /// derives the SNI markers from the rules on emit. `Host` is always the
    /// host list of the VS.
    pub markers: Option<Box<Markers>>,
}

/// An SNI poolgroup.
#[derive(Clone, Debug)]
pub struct Pg {
    /// (pool name, ratio).
    pub members: Vec<(String, u32)>,
    pub markers: Box<Markers>,
    pub sources: Sources,
}

/// A virtual-hosted child VS (SNI mode) or a Dedicated VS: both carry one
/// host's certificates, policies, poolgroups and pools.
#[derive(Debug, Default)]
pub struct Vh {
    pub tenant: String,
    pub name: String,
    pub host: String,
    /// Parent shard VS (SNI child); `None` for a Dedicated VS.
    pub parent: Option<String>,
    /// Certificate names, main first.
    pub certs: Vec<String>,
    /// CA certificates referenced by the certificates (Route `caCertificate`).
    pub ca_certs: Vec<String>,
    /// `ns/ing` of every Ingress serving the host (service_metadata).
    pub ns_ings: BTreeSet<String>,
    /// Dedicated only: the service_metadata list when the last Ingress
    /// processed failed its certificate (it is still listed there).
    pub listed_ns_ings: Option<BTreeSet<String>>,
    /// Namespace of the last Ingress processed for the host.
    pub namespace: String,
    pub policies: Vec<Policy>,
    pub pgs: BTreeMap<String, Pg>,
    pub pools: BTreeMap<String, Built>,
    /// `vh_domain_name` (AKO's `VHDomainNames`): `[host]` once a secure
    /// Ingress served the host; also the `Host` marker of the VS and of all its
    /// policies (`AddFQDNAliasesToHTTPPolicy`), so an insecure-only Dedicated VS
    /// has none.
    pub domains: Vec<String>,
    /// Dedicated only: listens on 443 with the secure application profile.
    pub secure: bool,
    /// Dedicated only: hosts on the vsvip.
    pub fqdns: Vec<String>,
    /// Dedicated only: hosts of the redirect policy named like the VS.
    pub redirect_hosts: Vec<String>,
    /// Dedicated only: position of the redirect policy among `policies`
    /// (it is appended after the path policies that exist when it is added).
    pub redirect_at: usize,
    pub sources: Sources,
    /// `InfrasettingName` marker of the VS (empty when none).
    pub infra_name: String,
    /// Dedicated only: network side and listeners of the last Ingress.
    pub net: Option<super::vip::Net>,
    pub listeners: Vec<(i64, bool, bool)>,
}

/// The objects AKO's models hold after all Ingresses are processed.
#[derive(Debug, Default)]
pub struct Model {
    pub shards: BTreeMap<(String, String), Shard>,
    pub vhs: BTreeMap<(String, String), Vh>,
    /// Certificate bodies by (tenant, name); emitted when some VS refers to them.
    pub certs: BTreeMap<(String, String), Built>,
}

impl Model {
    /// The shard VS model, created on first use
    /// (`avi_model_l7_translator.go` `ConstructAviL7VsNode`).
    pub fn shard(&mut self, tenant: &str, name: &str) -> &mut Shard {
        self.shards
            .entry((tenant.to_string(), name.to_string()))
            .or_insert_with(|| Shard {
                tenant: tenant.to_string(),
                name: name.to_string(),
                ..Shard::default()
            })
    }

    /// The VS of a host: SNI child under `parent`, or Dedicated VS when
    /// `parent` is `None` (created with the secure listener when `secure`).
    pub fn vh(
        &mut self,
        tenant: &str,
        name: &str,
        host: &str,
        parent: Option<&str>,
        secure: bool,
    ) -> &mut Vh {
        self.vhs
            .entry((tenant.to_string(), name.to_string()))
            .or_insert_with(|| Vh {
                tenant: tenant.to_string(),
                name: name.to_string(),
                host: host.to_string(),
                parent: parent.map(str::to_string),
                secure,
                ..Vh::default()
            })
    }

    fn emit(self, ctx: &Context, out: &mut Out) {
        let mut used_certs: BTreeSet<(String, String)> = BTreeSet::new();
        for vh in self.vhs.values() {
            for c in vh.certs.iter().chain(&vh.ca_certs) {
                used_certs.insert((vh.tenant.clone(), c.clone()));
            }
        }
        for (k, cert) in self.certs {
            if used_certs.contains(&k) {
                out.emit_held(
                    crate::model::AviType::Sslkeyandcertificate,
                    &k.0,
                    &k.1,
                    cert.sources,
                    cert.body,
                );
            }
        }
        let shards: Vec<Shard> = self.shards.into_values().collect();
        let mut vhs: Vec<Vh> = self.vhs.into_values().collect();
        // The shards and then the virtual-hosted VSes, in key order; a VS
        // emits its own objects only, so with many of them the later ones
        // go on a second thread (the L4 pass, which ran beside this one,
        // has often ended by now).
        if vhs.len() < EMIT_SPLIT_MIN {
            return emit_in_order(ctx, out, shards, vhs);
        }
        // Halves of about equal work, counted in objects.
        let shard_work: usize = shards.iter().map(|s| 1 + s.pools.len()).sum();
        let vh_work = |v: &Vh| 1 + v.pools.len() + v.pgs.len() + v.policies.len();
        let half = (shard_work + vhs.iter().map(vh_work).sum::<usize>()) / 2;
        let mut first = shard_work;
        let mut at = 0;
        while at < vhs.len() && first < half {
            first += vh_work(&vhs[at]);
            at += 1;
        }
        let later = vhs.split_off(at);
        out.beside(
            |out| emit_in_order(ctx, out, shards, vhs),
            |out| emit_in_order(ctx, out, Vec::new(), later),
        );
    }
}

/// Fewest virtual-hosted VSes that [`Model::emit`] splits over two threads
/// (fewer in unit tests, so that small inputs take the split).
const EMIT_SPLIT_MIN: usize = if cfg!(test) { 2 } else { 64 };

fn emit_in_order(ctx: &Context, out: &mut Out, shards: Vec<Shard>, vhs: Vec<Vh>) {
    for shard in shards {
        shard::emit(ctx, out, shard);
        out.cool();
    }
    for vh in vhs {
        sni::emit(ctx, out, vh);
    }
}

/// Push `item` unless present.
pub fn push_unique(v: &mut Vec<String>, item: &str) {
    if !v.iter().any(|x| x == item) {
        v.push(item.to_string());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{Value, json};

    use crate::compile::compile;
    use crate::model::{AviType, Obj, Origin, Snapshot};
    use crate::settings::{Settings, ShardSize};

    fn obj<T: serde::de::DeserializeOwned>(v: Value) -> Obj<T> {
        Obj {
            origin: Origin {
                file: Arc::from("t.yaml"),
                line: 1,
            },
            obj: serde_json::from_value(v).expect("valid"),
        }
    }

    fn ing(
        name: &str,
        ts: &str,
        host: &str,
        path: &str,
        tls: Option<&str>,
    ) -> Obj<k8s_openapi::api::networking::v1::Ingress> {
        let mut spec = json!({"rules": [{"host": host, "http": {"paths": [{"path": path, "pathType": "Prefix",
            "backend": {"service": {"name": "svc", "port": {"number": 80}}}}]}}]});
        if let Some(secret) = tls {
            spec["tls"] = json!([{"hosts": [host], "secretName": secret}]);
        }
        obj(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                   "metadata": {"name": name, "namespace": "default", "creationTimestamp": ts}, "spec": spec}),
        )
    }

    fn secret(name: &str) -> Obj<k8s_openapi::api::core::v1::Secret> {
        obj(
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": "default"},
                   "stringData": {"tls.crt": "CERT", "tls.key": "KEY"}}),
        )
    }

    fn names(s: &Snapshot, settings: &Settings, kind: AviType) -> Vec<String> {
        compile(s, settings)
            .objects
            .objects
            .iter()
            .filter(|o| o.kind == kind)
            .map(|o| o.name.clone())
            .collect()
    }

    fn body(s: &Snapshot, settings: &Settings, kind: AviType, name: &str) -> Value {
        compile(s, settings)
            .objects
            .objects
            .into_iter()
            .find(|o| o.kind == kind && o.name == name)
            .map(|o| o.body)
            .unwrap_or(Value::Null)
    }

    fn settings() -> Settings {
        Settings {
            cluster_name: "c".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn failed_certificate_removes_the_host_from_the_shard_vsvip_when_processed_last() {
        // foo.com is shard 0 (LARGE). The insecure Ingress comes first, the secure
        // one without Secret last: AKO drops the FQDN although the host is served.
        let snap = Snapshot {
            ingresses: vec![
                ing("plain", "2024-01-01T00:00:00Z", "foo.com", "/a", None),
                ing(
                    "tls",
                    "2024-01-02T00:00:00Z",
                    "foo.com",
                    "/b",
                    Some("missing"),
                ),
            ],
            ..Snapshot::default()
        };
        let s = settings();
        let vsvip = body(&snap, &s, AviType::Vsvip, "c--Shared-L7-0");
        assert_eq!(vsvip.get("dns_info"), None, "{vsvip}");
        assert_eq!(
            names(&snap, &s, AviType::Pool),
            vec!["c--foo.com_a-default-plain"]
        );
        // The other order keeps it.
        let snap = Snapshot {
            ingresses: vec![
                ing("plain", "2024-01-03T00:00:00Z", "foo.com", "/a", None),
                ing(
                    "tls",
                    "2024-01-02T00:00:00Z",
                    "foo.com",
                    "/b",
                    Some("missing"),
                ),
            ],
            ..Snapshot::default()
        };
        let vsvip = body(&snap, &s, AviType::Vsvip, "c--Shared-L7-0");
        assert_eq!(vsvip["dns_info"], json!([{"fqdn": "foo.com"}]));
    }

    #[test]
    fn last_secret_wins_for_a_shared_secure_host() {
        let mut other = secret("two");
        other.obj.string_data = Some(
            [
                ("tls.crt".into(), "OTHER".into()),
                ("tls.key".into(), "K2".into()),
            ]
            .into(),
        );
        let snap = Snapshot {
            secrets: vec![secret("one"), other],
            ingresses: vec![
                ing(
                    "first",
                    "2024-01-01T00:00:00Z",
                    "foo.com",
                    "/a",
                    Some("one"),
                ),
                ing(
                    "second",
                    "2024-01-02T00:00:00Z",
                    "foo.com",
                    "/b",
                    Some("two"),
                ),
            ],
            ..Snapshot::default()
        };
        let s = settings();
        let c = compile(&snap, &s);
        let cert = c
            .objects
            .objects
            .iter()
            .find(|o| o.kind == AviType::Sslkeyandcertificate);
        assert_eq!(
            cert.map(|c| c.body["certificate"]["certificate"].clone()),
            Some(json!("OTHER"))
        );
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.message.contains("duplicate secrets"))
        );
        let child = body(&snap, &s, AviType::Virtualservice, "c--foo.com");
        assert_eq!(
            child["ssl_key_and_certificate_refs"],
            json!(["/api/sslkeyandcertificate/?name=c--foo.com"])
        );
    }

    #[test]
    fn tls_and_plain_ingress_on_one_dedicated_host_warn_only_in_nodeport_mode() {
        let snap = Snapshot {
            secrets: vec![secret("one")],
            ingresses: vec![
                ing(
                    "secure",
                    "2024-01-01T00:00:00Z",
                    "foo.com",
                    "/a",
                    Some("one"),
                ),
                ing("plain", "2024-01-02T00:00:00Z", "foo.com", "/b", None),
            ],
            ..Snapshot::default()
        };
        let warned = |service_type| {
            let s = Settings {
                shard_vs_size: ShardSize::Dedicated,
                service_type,
                ..settings()
            };
            compile(&snap, &s)
                .diagnostics
                .iter()
                .filter(|d| d.message.contains("dedicated host foo.com is TLS in"))
                .count()
        };
        assert_eq!(warned(crate::settings::ServiceType::ClusterIp), 0);
        assert_eq!(warned(crate::settings::ServiceType::NodePort), 1);
    }

    #[test]
    fn dedicated_host_turned_insecure_by_a_later_ingress_loses_tls() {
        let snap = Snapshot {
            secrets: vec![secret("one")],
            ingresses: vec![
                ing(
                    "secure",
                    "2024-01-01T00:00:00Z",
                    "foo.com",
                    "/a",
                    Some("one"),
                ),
                ing("plain", "2024-01-02T00:00:00Z", "foo.com", "/b", None),
            ],
            ..Snapshot::default()
        };
        let s = Settings {
            shard_vs_size: ShardSize::Dedicated,
            ..settings()
        };
        let vs = body(
            &snap,
            &s,
            AviType::Virtualservice,
            "c--foo.com-L7-dedicated",
        );
        assert_eq!(vs["services"].as_array().map(Vec::len), Some(1));
        assert_eq!(vs.get("ssl_key_and_certificate_refs"), None);
        assert_eq!(
            vs["application_profile_ref"],
            json!("/api/applicationprofile/?name=System-HTTP")
        );
        assert_eq!(
            names(&snap, &s, AviType::Httppolicyset),
            vec!["c--default-foo.com"]
        );
        assert_eq!(names(&snap, &s, AviType::Pool).len(), 2);
    }

    #[test]
    fn over_long_names_are_not_created_and_not_referenced() {
        let long = format!("/{}", "p".repeat(260));
        let snap = Snapshot {
            secrets: vec![secret("one")],
            ingresses: vec![
                ing("plain", "2024-01-01T00:00:00Z", "foo.com", &long, None),
                ing("tls", "2024-01-02T00:00:00Z", "bar.com", &long, Some("one")),
            ],
            ..Snapshot::default()
        };
        let s = settings();
        let c = compile(&snap, &s);
        assert!(c.objects.objects.iter().all(|o| o.name.len() <= 255));
        assert!(
            c.objects
                .objects
                .iter()
                .all(|o| !o.body.to_string().contains(&long[..200])
                    || o.kind == AviType::Httppolicyset
                        && o.body["markers"].to_string().contains(&long[..200]))
        );
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.message.contains("exceeds maximum length"))
        );
        // The host still reaches the vsvip.
        let vsvip = body(&snap, &s, AviType::Vsvip, "c--Shared-L7-0");
        assert_eq!(vsvip["dns_info"], json!([{"fqdn": "foo.com"}]));
    }
}
