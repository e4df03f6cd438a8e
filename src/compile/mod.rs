//! The pure core: `compile(snapshot, settings) -> (objects, diagnostics)`.
//!
//! One submodule per AKO area. Each rule names the AKO file and function it
//! follows. No IO, no clocks, no randomness: the same input gives the same
//! bytes.

pub mod common;
mod core_endpoints;
pub mod crd;
pub mod fqdn;
pub mod gateway;
pub mod ingress;
pub mod l4;
pub mod servers;
pub mod services_api;
pub mod vip;
pub mod vrf;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use k8s_openapi::api::core::v1::{Endpoints, Namespace, Node, Pod, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::IngressClass;
use serde_json::Value;

use crate::model::{
    AviObject, AviType, Diagnostic, LeanObject, Obj, ObjectSet, Severity, Snapshot,
};
use crate::release::Feature;
use crate::settings::Settings;

/// Result of a compile.
#[derive(Clone, Debug, Default)]
pub struct Compiled {
    pub objects: ObjectSet,
    pub diagnostics: Vec<Diagnostic>,
    /// Which CRD set which Avi field (`--explain-rules`), sorted.
    pub provenance: Vec<crd::FieldProvenance>,
    /// What each hashed name recorded at its building site was made from.
    pub hashed: BTreeMap<String, crate::names::Hashed>,
    /// From [`compile_lean`] only: the objects, in the order of `objects`
    /// (which is then empty), each body as compact JSON text.
    pub lean: Vec<LeanObject>,
}

/// Compile a snapshot with the given settings.
pub fn compile(snapshot: &Snapshot, settings: &Settings) -> Compiled {
    run(snapshot, settings, Out::default())
}

/// [`compile`], with every body kept as compact JSON text from the moment
/// it is built ([`Compiled::lean`]) rather than as a `serde_json::Value`
/// tree, about a seventh of the memory: what `compile -o json` prints. The
/// objects and their order are those of [`compile`].
pub fn compile_lean(snapshot: &Snapshot, settings: &Settings) -> Compiled {
    let out = Out {
        lean: true,
        ..Out::default()
    };
    run(snapshot, settings, out)
}

fn run(snapshot: &Snapshot, settings: &Settings, mut out: Out) -> Compiled {
    // An older AKO release decodes its CRDs into types with fewer fields.
    let (view, release_notes) = crate::release::crd_view(snapshot, settings.release);
    let snapshot = view.as_ref().unwrap_or(snapshot);
    let ctx = Context::new(snapshot, settings);
    for d in release_notes {
        out.push(d);
    }
    if let Some(msg) = boot_error(settings) {
        out.diag(Severity::Error, None, msg);
        return out.finish();
    }
    for d in &ctx.crds.diagnostics {
        out.push(d.clone());
    }
    vrf::build(&ctx, &mut out);
    // The L4 and Ingress builders read the snapshot and no object of `out`,
    // and only add objects: the Ingress pass runs on a second thread, and its
    // results go after L4's, as if it had run after it ([`Out::beside`]).
    out.beside(|out| l4::build(&ctx, out), |out| ingress::build(&ctx, out));
    crd::apply(&ctx, &mut out);
    // Services API L4 gateways (servicesAPI mode; HostRules do not apply).
    services_api::build(&ctx, &mut out);
    // After the CRD pass: HostRules, HTTPRules and L4Rules are the main AKO
    // container's and never reach the gateway container's objects.
    if settings.gateway_api
        && settings.release != crate::release::Release::V2_2
        && !snapshot.gateways.is_empty()
    {
        out.diag(
            Severity::Warning,
            None,
            format!(
                "the ako-gateway-api container is modelled as in AKO 2.2.1 only, not as in AKO {}",
                settings.release
            ),
        );
    }
    gateway::build(&ctx, &mut out);
    out.finish()
}

/// Settings with which AKO refuses to sync anything (translation-core.md §5
/// rows 1-3).
fn boot_error(s: &Settings) -> Option<String> {
    let valid = !s.cluster_name.is_empty()
        && s.cluster_name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Some(format!(
            "clusterName {:?} is invalid: it must be non-empty and consist of alphanumeric characters, '-' or '_'; AKO would sync nothing",
            s.cluster_name
        ));
    }
    if s.service_type == crate::settings::ServiceType::NodePortLocal && s.cni_plugin != "antrea" {
        return Some(
            "serviceType NodePortLocal requires cniPlugin antrea; AKO would not start".into(),
        );
    }
    if !s.bgp_peer_labels.is_empty() && !s.enable_rhi {
        return Some(
            "bgpPeerLabels cannot be set while enableRHI is false; AKO would not start".into(),
        );
    }
    None
}

type Key = (String, String);

fn key(ns: &str, name: &str) -> Key {
    (ns.to_string(), name.to_string())
}

/// Indexes over the snapshot that every translation area uses.
pub struct Context<'a> {
    pub settings: &'a Settings,
    pub snapshot: &'a Snapshot,
    pub namespaces: HashMap<&'a str, &'a Obj<Namespace>>,
    pub services: HashMap<Key, &'a Obj<Service>>,
    /// EndpointSlices by (namespace, `kubernetes.io/service-name`), in input order.
    pub slices: HashMap<Key, Vec<&'a Obj<EndpointSlice>>>,
    /// core/v1 Endpoints by (namespace, name); the first one when repeated.
    pub endpoints: HashMap<Key, &'a Obj<Endpoints>>,
    pub secrets: HashMap<Key, &'a Obj<Secret>>,
    pub ingress_classes: HashMap<&'a str, &'a Obj<IngressClass>>,
    /// Nodes sorted by name.
    pub nodes: Vec<&'a Obj<Node>>,
    pub pods: HashMap<&'a str, Vec<&'a Obj<Pod>>>,
    /// AKO CRDs, judged and indexed (translation-extended.md §2).
    pub crds: crd::Rules<'a>,
}

impl<'a> Context<'a> {
    pub fn new(snapshot: &'a Snapshot, settings: &'a Settings) -> Self {
        let ns_of = |m: &'a k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
            (
                m.namespace.as_deref().unwrap_or(""),
                m.name.as_deref().unwrap_or(""),
            )
        };
        let mut slices: HashMap<Key, Vec<_>> = HashMap::new();
        for s in &snapshot.endpoint_slices {
            let (ns, _) = ns_of(&s.metadata);
            if let Some(svc) = s
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("kubernetes.io/service-name"))
            {
                slices.entry(key(ns, svc)).or_default().push(s);
            }
        }
        let mut endpoints = HashMap::new();
        for e in &snapshot.endpoints {
            if let (Some(ns), Some(n)) = (&e.metadata.namespace, &e.metadata.name) {
                endpoints.entry(key(ns, n)).or_insert(e);
            }
        }
        let mut nodes: Vec<_> = snapshot.nodes.iter().collect();
        nodes.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        let mut pods: HashMap<&str, Vec<_>> = HashMap::new();
        for p in &snapshot.pods {
            pods.entry(ns_of(&p.metadata).0).or_default().push(p);
        }
        let mut ctx = Context {
            settings,
            snapshot,
            namespaces: snapshot
                .namespaces
                .iter()
                .map(|n| (n.metadata.name.as_deref().unwrap_or(""), n))
                .collect(),
            services: snapshot
                .services
                .iter()
                .map(|s| {
                    let (ns, n) = ns_of(&s.metadata);
                    (key(ns, n), s)
                })
                .collect(),
            slices,
            endpoints,
            secrets: snapshot
                .secrets
                .iter()
                .map(|s| {
                    let (ns, n) = ns_of(&s.metadata);
                    (key(ns, n), s)
                })
                .collect(),
            ingress_classes: snapshot
                .ingress_classes
                .iter()
                .map(|c| (c.metadata.name.as_deref().unwrap_or(""), c))
                .collect(),
            nodes,
            pods,
            crds: crd::Rules::default(),
        };
        ctx.crds = crd::Rules::new(&ctx);
        ctx
    }

    pub fn service(&self, ns: &str, name: &str) -> Option<&'a Obj<Service>> {
        self.services.get(&key(ns, name)).copied()
    }

    pub fn slices_of(&self, ns: &str, svc: &str) -> &[&'a Obj<EndpointSlice>] {
        self.slices
            .get(&key(ns, svc))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Namespace filter (`pkg/utils/utils.go` `CheckIfNamespaceAccepted`,
    /// `internal/lib/lib.go` `IsNamespaceBlocked`). `Err` says why not.
    pub fn namespace_accepted(&self, ns: &str) -> Result<(), String> {
        let s = self.settings;
        if s.blocked_namespaces.iter().any(|b| b == ns) {
            return Err(format!("namespace {ns} is in blockedNamespaceList"));
        }
        if !s.namespace_selector_key.is_empty() && !s.namespace_selector_value.is_empty() {
            let ok = self
                .namespaces
                .get(ns)
                .and_then(|n| n.metadata.labels.as_ref())
                .and_then(|l| l.get(&s.namespace_selector_key))
                .is_some_and(|v| *v == s.namespace_selector_value);
            if !ok {
                return Err(format!(
                    "namespace {ns} does not carry label {}={} (namespaceSelector)",
                    s.namespace_selector_key, s.namespace_selector_value
                ));
            }
        }
        Ok(())
    }

    /// Tenant of a namespace (`internal/lib/utils.go` `GetTenantInNamespace`):
    /// annotation `ako.vmware.com/tenant-name` on the Namespace, else
    /// `tenantName`; releases without [`Feature::NamespaceTenant`] always
    /// use `tenantName`.
    pub fn tenant_of(&self, ns: &str) -> String {
        if !self.settings.release.has(Feature::NamespaceTenant) {
            return self.settings.tenant_name.clone();
        }
        self.namespaces
            .get(ns)
            .and_then(|n| n.metadata.annotations.as_ref())
            .and_then(|a| a.get("ako.vmware.com/tenant-name"))
            .filter(|t| !t.is_empty())
            .cloned()
            .unwrap_or_else(|| self.settings.tenant_name.clone())
    }
}

/// The object accumulator. Objects are keyed by (type, tenant, name); emitting
/// the same key again replaces the body and merges the sources (AKO's "last
/// one wins").
///
/// With `lean` ([`compile_lean`]) a body is turned into compact JSON text
/// soon after it is emitted (a few objects at a time, see [`Out::cool`]) and
/// parsed back only when a later pass reads or changes it, so the set is
/// never held as `Value` trees.
#[derive(Default)]
pub struct Out {
    objects: BTreeMap<ObjKey, Slot>,
    lean: bool,
    /// Objects whose body is a `Value` that [`Out::cool`] turns into text.
    warm: Vec<ObjKey>,
    diagnostics: Vec<Diagnostic>,
    provenance: Vec<crd::FieldProvenance>,
    /// Renames by old key: the new name, how many provenance records
    /// existed then (only those follow it) and the rename's sequence number,
    /// applied in [`Out::finish`] so that a rename costs no scan of the
    /// records.
    renames: HashMap<ObjKey, Vec<Rename>>,
    renamed: usize,
    hashed: BTreeMap<String, crate::names::Hashed>,
}

type ObjKey = (AviType, String, String);

/// An object of [`Out`]: warm (a `Value` body), or cold (a lean compile
/// only: the body as compact JSON text and the sources as a slice; its name
/// and tenant are the key's), so that a cold object costs its text and
/// little more.
enum Slot {
    Warm(Box<AviObject>),
    Cold {
        kind: AviType,
        text: Box<str>,
        sources: Box<[String]>,
        /// [`AviObject::apply_rank`]'s child flag.
        child: bool,
    },
}

/// Warm objects allowed before [`Out::emit`] cools them (one in tests, so
/// that every later read and change goes through text).
const WARM: usize = if cfg!(test) { 1 } else { 64 };

impl Slot {
    fn new(kind: AviType, k: &ObjKey) -> Slot {
        Slot::Warm(Box::new(AviObject {
            kind,
            name: k.2.clone(),
            tenant: k.1.clone(),
            sources: BTreeSet::new(),
            body: Value::Null,
        }))
    }

    /// The object, warm; `parse` parses a cold body back (otherwise it is
    /// left null, for a caller that replaces it).
    fn warm(&mut self, k: &ObjKey, parse: bool) -> &mut AviObject {
        if let Slot::Cold {
            kind,
            text,
            sources,
            ..
        } = self
        {
            let body = if parse {
                crate::model::body_from_text(text)
            } else {
                Value::Null
            };
            *self = Slot::Warm(Box::new(AviObject {
                kind: *kind,
                name: k.2.clone(),
                tenant: k.1.clone(),
                sources: std::mem::take(sources).into_vec().into_iter().collect(),
                body,
            }));
        }
        match self {
            Slot::Warm(o) => o,
            Slot::Cold { .. } => unreachable!("made warm above"),
        }
    }

    fn freeze(&mut self) {
        if let Slot::Warm(o) = self {
            let child = o.apply_rank().1 == 1;
            let text = crate::model::body_text(&o.body);
            self.freeze_as(text, child);
        }
    }

    /// Cold, with `text` as the body.
    fn freeze_as(&mut self, text: Box<str>, child: bool) {
        let sources = match self {
            Slot::Warm(o) => std::mem::take(&mut o.sources).into_iter().collect(),
            Slot::Cold { sources, .. } => std::mem::take(sources),
        };
        *self = Slot::Cold {
            kind: self.kind(),
            text,
            sources,
            child,
        };
    }

    fn kind(&self) -> AviType {
        match self {
            Slot::Warm(o) => o.kind,
            Slot::Cold { kind, .. } => *kind,
        }
    }

    /// The object with its body as a `Value`, borrowed when it is warm.
    fn view(&self, k: &ObjKey) -> Cow<'_, AviObject> {
        match self {
            Slot::Warm(o) => Cow::Borrowed(o),
            Slot::Cold {
                kind,
                text,
                sources,
                ..
            } => Cow::Owned(AviObject {
                kind: *kind,
                name: k.2.clone(),
                tenant: k.1.clone(),
                sources: sources.iter().cloned().collect(),
                body: crate::model::body_from_text(text),
            }),
        }
    }

    fn into_object(mut self, k: &ObjKey) -> AviObject {
        self.warm(k, true);
        match self {
            Slot::Warm(o) => *o,
            Slot::Cold { .. } => unreachable!("made warm above"),
        }
    }
}

/// A body held in a model until it is emitted: as compact JSON text in a
/// lean compile ([`Out::hold`]), so that a model holding every pool of the
/// cluster holds no `Value` trees.
#[derive(Clone, Debug)]
pub enum Held {
    Tree(Value),
    Text(Box<str>),
}

impl Held {
    /// The body as a `Value` (parsed when it is text).
    pub fn value(&self) -> std::borrow::Cow<'_, Value> {
        match self {
            Held::Tree(v) => std::borrow::Cow::Borrowed(v),
            Held::Text(t) => std::borrow::Cow::Owned(crate::model::body_from_text(t)),
        }
    }

    pub fn into_value(self) -> Value {
        match self {
            Held::Tree(v) => v,
            Held::Text(t) => crate::model::body_from_text(&t),
        }
    }
}

/// One [`Out::rename`].
struct Rename {
    new: String,
    /// Provenance records made before it.
    records: usize,
    /// 1, 2, ... in the order the renames happened.
    seq: usize,
}

/// Give each provenance record the name its object ended with: a record
/// made before a rename of its object follows it, and then every later
/// rename of the new name, in order (as if each rename had updated the
/// records existing at that moment).
fn follow_renames(
    records: &mut [crd::FieldProvenance],
    renames: &HashMap<(AviType, String, String), Vec<Rename>>,
) {
    if renames.is_empty() {
        return;
    }
    for (i, p) in records.iter_mut().enumerate() {
        let mut after = 0;
        let mut key = (p.kind, p.tenant.clone(), p.name.clone());
        // Each step takes a later rename, so this ends after at most as many
        // steps as there were renames.
        while let Some(r) = renames
            .get(&key)
            .and_then(|list| list.iter().find(|r| r.records > i && r.seq > after))
        {
            after = r.seq;
            key.2 = r.new.clone();
        }
        p.name = key.2;
    }
}

impl Out {
    /// An empty `Out` of the same mode, for a builder on another thread;
    /// [`Out::append`] adds what it built.
    fn fork(&self) -> Out {
        Out {
            lean: self.lean,
            ..Out::default()
        }
    }

    /// Build with `now` on this thread and `later` on another at the same
    /// time; the result is as if `now` had run first and `later` after it
    /// ([`Out::append`]). For builders that read no object of `out` and only
    /// add objects, diagnostics and hashed names.
    fn beside(&mut self, now: impl FnOnce(&mut Out), later: impl FnOnce(&mut Out) + Send) {
        #[cfg(test)]
        if lean_tests::ONE_THREAD.load(std::sync::atomic::Ordering::Relaxed) {
            now(self);
            return later(self);
        }
        let mut fork = self.fork();
        std::thread::scope(|s| {
            let after = s.spawn(|| later(&mut fork));
            now(self);
            if let Err(e) = after.join() {
                std::panic::resume_unwind(e);
            }
        });
        self.append(fork);
    }

    /// Add what a [`Out::fork`] built, as if it had been built after this
    /// one's objects: an object built in both gets the sources of both and
    /// the later body (as [`Out::emit`] would), diagnostics and records come
    /// after this one's, and a hashed name keeps its first record.
    fn append(&mut self, later: Out) {
        let Out {
            objects,
            lean: _,
            warm,
            diagnostics,
            provenance,
            renames,
            renamed,
            hashed,
        } = later;
        debug_assert!(renames.is_empty() && renamed == 0, "builders do not rename");
        for (k, slot) in objects {
            let (kind, tenant, name) = match self.objects.entry(k) {
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(slot);
                    continue;
                }
                // Built by both: emitted again, as the later builder would have.
                std::collections::btree_map::Entry::Occupied(e) => e.key().clone(),
            };
            match slot {
                Slot::Cold { text, sources, .. } => {
                    self.emit_held(kind, &tenant, &name, sources, Held::Text(text));
                }
                Slot::Warm(o) => self.emit(kind, &tenant, &name, o.sources, o.body),
            }
        }
        self.warm.extend(warm);
        self.diagnostics.extend(diagnostics);
        self.provenance.extend(provenance);
        for (name, h) in hashed {
            self.hashed.entry(name).or_insert(h);
        }
    }

    pub fn emit(
        &mut self,
        kind: AviType,
        tenant: &str,
        name: &str,
        sources: impl IntoIterator<Item = String>,
        body: Value,
    ) {
        let (k, o) = self.entry(kind, tenant, name, sources);
        o.body = body;
        self.warmed(k);
    }

    /// The object under (kind, tenant, name), warm (a new one, or a cold one
    /// whose body is about to be replaced), with `sources` added.
    fn entry(
        &mut self,
        kind: AviType,
        tenant: &str,
        name: &str,
        sources: impl IntoIterator<Item = String>,
    ) -> (ObjKey, &mut AviObject) {
        let k = (kind, tenant.to_string(), name.to_string());
        let slot = self
            .objects
            .entry(k.clone())
            .or_insert_with_key(|k| Slot::new(kind, k));
        let o = slot.warm(&k, false);
        o.sources.extend(sources);
        (k, o)
    }

    /// A body to keep in a model until it is emitted: text in a lean compile.
    pub fn hold(&self, body: Value) -> Held {
        if self.lean {
            Held::Text(crate::model::body_text(&body))
        } else {
            Held::Tree(body)
        }
    }

    /// [`Out::hold`] of a copy of `body` (text is copied as it is).
    pub fn hold_copy(&self, body: &Held) -> Held {
        match body {
            Held::Tree(v) if self.lean => Held::Text(crate::model::body_text(v)),
            other => other.clone(),
        }
    }

    /// [`Out::emit`] of a held body; text stays text (a virtual service's is
    /// parsed, for its apply rank).
    pub fn emit_held(
        &mut self,
        kind: AviType,
        tenant: &str,
        name: &str,
        sources: impl IntoIterator<Item = String>,
        body: Held,
    ) {
        let text = match body {
            Held::Text(t) if kind != AviType::Virtualservice => t,
            other => return self.emit(kind, tenant, name, sources, other.into_value()),
        };
        let (k, _) = self.entry(kind, tenant, name, sources);
        if let Some(slot) = self.objects.get_mut(&k) {
            slot.freeze_as(text, false);
        }
    }

    /// `k`'s body is a `Value` now: with `lean`, it is turned into text with
    /// the next few.
    fn warmed(&mut self, k: ObjKey) {
        if self.lean {
            self.warm.push(k);
            if self.warm.len() >= WARM {
                self.cool();
            }
        }
    }

    /// Turn the warm objects' bodies into text now, not after [`WARM`] more
    /// objects: after a shared VS, whose bodies list every host and pool
    /// of the shard and would otherwise be held as trees for a while.
    pub fn cool(&mut self) {
        for k in std::mem::take(&mut self.warm) {
            if let Some(slot) = self.objects.get_mut(&k) {
                slot.freeze();
            }
        }
    }

    pub fn get_mut(&mut self, kind: AviType, tenant: &str, name: &str) -> Option<&mut AviObject> {
        let k = (kind, tenant.to_string(), name.to_string());
        let slot = self.objects.get_mut(&k)?;
        if matches!(slot, Slot::Cold { .. }) {
            // Cooled again with the next emitted objects.
            self.warm.push(k.clone());
        }
        Some(slot.warm(&k, true))
    }

    /// An object, its body parsed when `lean` kept it as text.
    pub fn get(&self, kind: AviType, tenant: &str, name: &str) -> Option<Cow<'_, AviObject>> {
        let k = (kind, tenant.to_string(), name.to_string());
        self.objects.get(&k).map(|s| s.view(&k))
    }

    /// Every emitted object of one type, by (tenant, name).
    pub fn iter_kind(&self, kind: AviType) -> impl Iterator<Item = Cow<'_, AviObject>> {
        self.objects
            .range((kind, String::new(), String::new())..)
            .take_while(move |(k, _)| k.0 == kind)
            .map(|(k, s)| s.view(k))
    }

    pub fn remove(&mut self, kind: AviType, tenant: &str, name: &str) -> Option<AviObject> {
        let k = (kind, tenant.to_string(), name.to_string());
        let slot = self.objects.remove(&k)?;
        Some(slot.into_object(&k))
    }

    /// Record that a CRD set a field.
    pub fn record(&mut self, p: crd::FieldProvenance) {
        self.provenance.push(p);
    }

    /// Move an object to a new name, with what CRDs recorded about it.
    pub fn rename(&mut self, kind: AviType, tenant: &str, old: &str, new: &str) {
        let Some(mut o) = self.remove(kind, tenant, old) else {
            return;
        };
        o.name = new.to_string();
        if let Some(b) = o.body.as_object_mut() {
            b.insert("name".into(), Value::String(new.to_string()));
        }
        self.renamed += 1;
        let seq = self.renamed;
        self.renames
            .entry((kind, tenant.to_string(), old.to_string()))
            .or_default()
            .push(Rename {
                new: new.to_string(),
                records: self.provenance.len(),
                seq,
            });
        let k = (kind, tenant.to_string(), new.to_string());
        self.objects.insert(k.clone(), Slot::Warm(Box::new(o)));
        self.warmed(k);
    }

    pub fn contains(&self, kind: AviType, tenant: &str, name: &str) -> bool {
        self.objects
            .contains_key(&(kind, tenant.to_string(), name.to_string()))
    }

    pub fn diag(&mut self, severity: Severity, object: Option<String>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(severity, object, message));
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Records what the hashed `name` was made from (for `explain-name`).
    pub fn record_hash(&mut self, name: &str, h: Option<crate::names::Hashed>) {
        if let Some(h) = h {
            self.hashed.entry(name.to_string()).or_insert(h);
        }
    }

    pub fn finish(self) -> Compiled {
        let mut objects = ObjectSet::default();
        let mut lean = Vec::new();
        if self.lean {
            lean = self
                .objects
                .into_iter()
                .map(|((kind, tenant, name), mut slot)| {
                    slot.freeze();
                    let (text, sources, child) = match slot {
                        Slot::Cold {
                            text,
                            sources,
                            child,
                            ..
                        } => (text, sources, child),
                        Slot::Warm(_) => unreachable!("frozen above"),
                    };
                    LeanObject {
                        kind,
                        name,
                        tenant,
                        sources,
                        body: text,
                        child,
                    }
                })
                .collect();
            // The order of `ObjectSet::sort`.
            lean.sort_by(|a, b| {
                let key = |l: &LeanObject| (l.kind, l.child as u8);
                (key(a), &a.name, &a.tenant).cmp(&(key(b), &b.name, &b.tenant))
            });
        } else {
            objects.objects = self
                .objects
                .into_iter()
                .map(|(k, s)| s.into_object(&k))
                .collect();
            objects.sort();
        }
        let mut diagnostics = self.diagnostics;
        diagnostics.sort();
        diagnostics.dedup();
        let mut provenance = self.provenance;
        follow_renames(&mut provenance, &self.renames);
        provenance.sort();
        provenance.dedup();
        Compiled {
            objects,
            diagnostics,
            provenance,
            hashed: self.hashed,
            lean,
        }
    }
}

/// `Kind/ns/name` source string.
pub fn source(kind: &str, ns: &str, name: &str) -> String {
    if ns.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}/{ns}/{name}")
    }
}

/// `Kind ns/name` for diagnostics.
pub fn describe(kind: &str, ns: &str, name: &str) -> String {
    format!("{kind} {ns}/{name}")
}

#[cfg(test)]
mod rename_tests {
    use super::*;
    use serde_json::json;

    fn record(out: &mut Out, name: &str, field: &str) {
        out.record(crd::FieldProvenance {
            kind: AviType::Pool,
            tenant: "admin".into(),
            name: name.into(),
            field: field.into(),
            source: "HTTPRule default/r".into(),
        });
    }

    fn names(c: &Compiled) -> Vec<(String, String)> {
        c.provenance
            .iter()
            .map(|p| (p.field.clone(), p.name.clone()))
            .collect()
    }

    /// Records follow renames made after them, through chains (two renames
    /// in a row with no record between them included), and not renames made
    /// before them: a new object under an old name keeps its own records.
    #[test]
    fn provenance_follows_renames_in_order() {
        let mut out = Out::default();
        out.emit(AviType::Pool, "admin", "a", [], json!({"name": "a"}));
        record(&mut out, "a", "lb_algorithm");
        out.rename(AviType::Pool, "admin", "a", "b");
        out.rename(AviType::Pool, "admin", "b", "c");
        out.emit(AviType::Pool, "admin", "a", [], json!({"name": "a"}));
        record(&mut out, "a", "enable_http2");
        record(&mut out, "c", "health_monitor_refs");
        out.rename(AviType::Pool, "admin", "a", "d");
        let c = out.finish();
        let mut got = names(&c);
        got.sort();
        assert_eq!(
            got,
            [
                ("enable_http2".to_string(), "d".to_string()),
                ("health_monitor_refs".to_string(), "c".to_string()),
                ("lb_algorithm".to_string(), "c".to_string()),
            ]
        );
        let objs: Vec<&str> = c.objects.objects.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(objs, ["c", "d"]);
    }
}

#[cfg(test)]
mod fork_tests {
    use super::*;
    use serde_json::json;

    /// What one `Out` shows: objects (key, sources, body) and diagnostics.
    fn shown(out: Out) -> (Vec<String>, Vec<String>) {
        let c = out.finish();
        let objects = if c.lean.is_empty() {
            c.objects
                .objects
                .iter()
                .map(|o| format!("{} {:?} {}", o.name, o.sources, o.body))
                .collect()
        } else {
            c.lean
                .iter()
                .map(|o| format!("{} {:?} {}", o.name, o.sources, o.body))
                .collect()
        };
        let diags = c.diagnostics.iter().map(|d| d.message.clone()).collect();
        (objects, diags)
    }

    fn put(out: &mut Out, name: &str, source: Option<&str>, v: u32) {
        let sources = source.map(str::to_string);
        out.emit(AviType::Pool, "admin", name, sources, json!({ "v": v }));
    }

    fn first(out: &mut Out) {
        put(out, "p", Some("Service a/s"), 1);
        put(out, "only-first", None, 0);
        out.diag(Severity::Info, None, "first");
    }

    fn second(out: &mut Out) {
        let held = out.hold(json!({"v": 2}));
        let sources = ["Ingress a/i".to_string()];
        out.emit_held(AviType::Pool, "admin", "p", sources, held);
        put(out, "q", Some("Ingress a/i"), 3);
        put(out, "only-first", None, 4);
        out.diag(Severity::Info, None, "second");
    }

    /// A fork appended gives what building one after the other gives, an
    /// object built by both included, in both modes.
    #[test]
    fn append_is_building_after() {
        for lean in [false, true] {
            let mut one = Out::default().fork();
            one.lean = lean;
            first(&mut one);
            second(&mut one);
            let mut two = Out {
                lean,
                ..Out::default()
            };
            first(&mut two);
            let mut later = two.fork();
            second(&mut later);
            two.append(later);
            let (objects, diags) = shown(two);
            assert_eq!((objects.clone(), diags.clone()), shown(one), "lean {lean}");
            assert_eq!(diags, ["first", "second"]);
            assert!(objects[1].contains("Ingress a/i") && objects[1].contains("Service a/s"));
            assert!(objects[1].contains(r#""v":2"#) || objects[1].contains(r#"{"v":2}"#));
        }
    }
}

#[cfg(test)]
mod lean_tests {
    use std::path::Path;

    use crate::input::{self, Source};
    use crate::render::JsonDoc;
    use crate::settings::values::{self, SettingsInput};

    /// Set: [`super::Out::beside`] runs both builders on one thread, one
    /// after the other, into the same `Out`.
    pub(super) static ONE_THREAD: std::sync::atomic::AtomicBool =
        std::sync::atomic::AtomicBool::new(false);

    /// Builders run side by side on two threads ([`super::Out::beside`]: L4
    /// beside Ingress, and the later virtual-hosted VSes beside the earlier
    /// ones) give the objects and diagnostics of one pass on one thread,
    /// for every `testdata/compile` case and for generated clusters with
    /// many SNI hosts.
    #[test]
    fn threads_build_as_one_pass() {
        use std::sync::atomic::Ordering::Relaxed;
        let mut inputs = Vec::new();
        for (tls_percent, hosts) in [(30, 2), (100, 3)] {
            let text = crate::synth::generate(&crate::synth::GenSpec {
                services: 20,
                ingresses: 60,
                hosts,
                tls_percent,
                ..crate::synth::GenSpec::default()
            });
            let (settings, _) = values::load(&SettingsInput {
                values: Some(("values.yaml", "AKOSettings:\n  clusterName: c\n")),
                sets: &[],
                cloud_facts: None,
            })
            .expect("settings");
            inputs.push((format!("generated {tls_percent}% TLS"), text, settings));
        }
        let mut split = 0;
        let generated = inputs
            .into_iter()
            .filter_map(|(name, text, settings)| Some((name, decoded(text)?, settings)));
        let cases = cases()
            .into_iter()
            .map(|(dir, snap, settings)| (dir.display().to_string(), snap, settings));
        for (name, snap, settings) in generated.chain(cases) {
            let shown = |c: &super::Compiled| {
                let mut a = Vec::new();
                JsonDoc::new(&c.objects, true).write(&mut a).unwrap();
                JsonDoc::lean(&c.lean, true).write(&mut a).unwrap();
                (String::from_utf8(a).unwrap(), c.diagnostics.clone())
            };
            let mut runs = Vec::new();
            for one in [true, false] {
                ONE_THREAD.store(one, Relaxed);
                runs.push((
                    shown(&super::compile(&snap, &settings)),
                    shown(&super::compile_lean(&snap, &settings)),
                ));
            }
            ONE_THREAD.store(false, Relaxed);
            assert!(runs[0] == runs[1], "{name}: two threads differ from one");
            split += usize::from(runs[0].0.0.matches("\"type\": \"virtualservice\"").count() > 4);
        }
        assert!(split > 2, "{split} inputs with several virtual services");
    }

    /// A copy held by a lean `Out` is the body's text (what the model keeps
    /// of every certificate); any other is the body as it is.
    #[test]
    fn hold_copy_keeps_text_when_lean() {
        use super::{Held, Out};
        let body = serde_json::json!({"name": "c", "certificate": {"certificate": "PEM"}});
        let lean = Out {
            lean: true,
            ..Out::default()
        };
        match lean.hold_copy(&Held::Tree(body.clone())) {
            Held::Text(t) => assert_eq!(&*t, crate::model::body_text(&body).as_ref()),
            Held::Tree(_) => panic!("a lean copy is text"),
        }
        match Out::default().hold_copy(&Held::Tree(body.clone())) {
            Held::Tree(v) => assert_eq!(v, body),
            Held::Text(_) => panic!("a full compile keeps trees"),
        }
        let text = Held::Text("{}".into());
        assert!(matches!(lean.hold_copy(&text), Held::Text(t) if &*t == "{}"));
    }

    /// A text's snapshot, if it decodes.
    fn decoded(text: String) -> Option<crate::model::Snapshot> {
        let source = Source {
            name: "input.yaml".into(),
            text,
        };
        input::decode(&[source], "default")
            .ok()
            .map(|(snap, _)| snap)
    }

    /// Every `testdata/compile` case that reads: its folder, snapshot and
    /// settings.
    fn cases() -> Vec<(
        std::path::PathBuf,
        crate::model::Snapshot,
        crate::settings::Settings,
    )> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/compile");
        let mut cases = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).expect("testdata").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.file_name().is_some_and(|n| n == "input.yaml") {
                    cases.push(dir.clone());
                }
            }
        }
        cases.sort();
        assert!(cases.len() > 100, "{} cases", cases.len());
        let mut read_cases = Vec::new();
        for dir in cases {
            let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
            let Some(text) = read("input.yaml") else {
                continue;
            };
            let (v, f) = (read("values.yaml"), read("cloud-facts.yaml"));
            let Ok((settings, _)) = values::load(&SettingsInput {
                values: v.as_deref().map(|v| ("values.yaml", v)),
                sets: &[],
                cloud_facts: f.as_deref().map(|f| ("cloud-facts.yaml", f)),
            }) else {
                continue;
            };
            if let Some(snap) = decoded(text) {
                read_cases.push((dir, snap, settings));
            }
        }
        read_cases
    }

    /// Every `testdata/compile` case: the lean compile prints the same bytes
    /// as the `Value` one, with and without secrets.
    #[test]
    fn lean_json_is_byte_identical() {
        let mut compared = 0;
        for (dir, snap, settings) in cases() {
            let full = super::compile(&snap, &settings);
            let lean = super::compile_lean(&snap, &settings);
            assert!(lean.objects.objects.is_empty());
            assert_eq!(full.diagnostics, lean.diagnostics, "{}", dir.display());
            for secrets in [false, true] {
                let mut a = Vec::new();
                let mut b = Vec::new();
                JsonDoc::new(&full.objects, secrets).write(&mut a).unwrap();
                JsonDoc::lean(&lean.lean, secrets).write(&mut b).unwrap();
                assert!(
                    a == b,
                    "{}: lean JSON differs (secrets {secrets})",
                    dir.display()
                );
            }
            compared += 1;
        }
        assert!(compared > 100, "{compared} cases compared");
    }
}
