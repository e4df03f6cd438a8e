//! The dev controller's objects: the store, its ref index and how stored
//! objects are rendered, checked and saved.

use std::collections::{HashMap, VecDeque};

use serde_json::{Value, json};

use super::{Config, faults::*, wire::*};
use crate::plan::normalize::{canonical_ref, percent_decode};

/// A stored object. Refs in `body` are kept by name (`/api/<type>/?name=`).
#[derive(Clone, Debug)]
pub struct Stored {
    pub kind: String,
    pub uuid: String,
    pub tenant: String,
    pub name: String,
    pub body: Value,
    pub last_modified: u64,
}

/// One request as the fake saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub tenant: String,
    pub status: u16,
}

/// The controller's state.
#[derive(Debug)]
pub struct Store {
    pub config: Config,
    /// session id -> csrf token.
    pub(super) sessions: HashMap<String, String>,
    pub(super) objects: Vec<Stored>,
    pub(super) counter: u64,
    pub(super) clock: u64,
    /// Addresses handed out to VIPs with `auto_allocate_ip`.
    pub(super) allocated: u64,
    /// Statuses the next requests to `/api/` answer with (fault injection).
    pub fail_next: VecDeque<u16>,
    /// Statuses that replace the answer of the next writes *after* they took
    /// effect (a lost answer: the client cannot tell that it went through).
    pub fail_after_commit: VecDeque<u16>,
    pub faults: Faults,
    pub log: Vec<LogEntry>,
    /// Set when a write changed the objects (for persistence).
    pub dirty: bool,
    /// Writes being served right now, and the most seen at once (to check
    /// a client's parallelism).
    pub writes_in_flight: usize,
    pub max_writes_in_flight: usize,
    /// The same for reads (to check that a client's page reads overlap).
    pub reads_in_flight: usize,
    pub max_reads_in_flight: usize,
    /// Where objects are by type and name, for rendering the refs of a
    /// list read (see [`Store::index_refs`]).
    pub(super) ref_index: Option<RefIndex>,
}

/// `(type, name)` -> positions in `objects`, valid while the objects are
/// unchanged: `stamp` is their count, the uuid counter and the clock, one of
/// which every write moves.
#[derive(Debug, Default)]
pub(super) struct RefIndex {
    pub(super) stamp: (usize, u64, u64),
    pub(super) by_name: HashMap<(String, String), Vec<usize>>,
    /// Positions of each type's objects, in order.
    pub(super) by_kind: HashMap<String, Vec<usize>>,
    /// Per position: the canonical `cloud_ref` (for `cloud_ref.name`).
    pub(super) clouds: Vec<String>,
    /// Objects already rendered for a list read, as JSON text, by position
    /// and `include_name`, for `base` (a controller's own CPU is not what
    /// a client's read time should measure: a real one answers from its
    /// database in about the same time for every page).
    pub(super) rendered: HashMap<(usize, bool), String>,
    pub(super) base: String,
    /// The positions a collection query matched, by type, tenant and
    /// filters (every page of one collection asks the same question).
    pub(super) matched: HashMap<String, Vec<usize>>,
}

/// Object types that live in `admin` and are visible from every tenant.
pub(super) const SHARED_KINDS: &[&str] = &[
    "cloud",
    "network",
    "vrfcontext",
    "serviceenginegroup",
    "healthmonitor",
    "applicationprofile",
    "networkprofile",
    "sslprofile",
    "analyticsprofile",
    "applicationpersistenceprofile",
    "tenant",
];

/// The controller's model name in messages.
pub(super) fn model(kind: &str) -> &str {
    match kind {
        "virtualservice" => "VirtualService",
        "vsvip" => "VsVip",
        "pool" => "Pool",
        "poolgroup" => "PoolGroup",
        "httppolicyset" => "HTTPPolicySet",
        "l4policyset" => "L4PolicySet",
        "vsdatascriptset" => "VSDataScriptSet",
        "sslkeyandcertificate" => "SSLKeyAndCertificate",
        "pkiprofile" => "PKIProfile",
        "stringgroup" => "StringGroup",
        "applicationpersistenceprofile" => "ApplicationPersistenceProfile",
        "vrfcontext" => "VrfContext",
        "cloud" => "Cloud",
        "network" => "Network",
        "tenant" => "Tenant",
        other => other,
    }
}

impl Store {
    pub fn new(config: Config) -> Store {
        let mut s = Store {
            config,
            sessions: HashMap::new(),
            objects: Vec::new(),
            counter: 0,
            clock: 1_700_000_000_000_000,
            allocated: 0,
            fail_next: VecDeque::new(),
            fail_after_commit: VecDeque::new(),
            faults: Faults::default(),
            log: Vec::new(),
            dirty: false,
            writes_in_flight: 0,
            max_writes_in_flight: 0,
            reads_in_flight: 0,
            max_reads_in_flight: 0,
            ref_index: None,
        };
        s.seed();
        s
    }

    /// The objects AKO expects to exist (§7.1 "Seed").
    pub(super) fn seed(&mut self) {
        let admin = "admin".to_string();
        self.objects.push(Stored {
            kind: "tenant".into(),
            uuid: "admin".into(),
            tenant: admin.clone(),
            name: "admin".into(),
            body: json!({"name": "admin"}),
            last_modified: self.clock,
        });
        for t in self.config.tenants.clone() {
            self.insert("tenant", "admin", json!({ "name": t }));
        }
        self.insert(
            "cloud",
            "admin",
            json!({"name": "Default-Cloud", "vtype": self.config.cloud_vtype}),
        );
        self.insert(
            "serviceenginegroup",
            "admin",
            json!({"name": "Default-Group", "cloud_ref": "/api/cloud/?name=Default-Cloud"}),
        );
        self.insert("vrfcontext", "admin", json!({"name": "global", "system_default": true, "cloud_ref": "/api/cloud/?name=Default-Cloud"}));
        for (kind, names) in [
            (
                "healthmonitor",
                &["System-TCP", "System-UDP", "System-SCTP"][..],
            ),
            (
                "applicationprofile",
                &[
                    "System-HTTP",
                    "System-Secure-HTTP",
                    "System-L4-Application",
                    "System-SSL-Application",
                ][..],
            ),
            (
                "networkprofile",
                &[
                    "System-TCP-Proxy",
                    "System-UDP-Fast-Path",
                    "System-TCP-Fast-Path",
                    "System-SCTP-Proxy",
                ][..],
            ),
            ("sslprofile", &["System-Standard"][..]),
            // What a RouteBackendExtension `persistenceProfile` may name.
            (
                "applicationpersistenceprofile",
                &[
                    "System-Persistence-Client-IP",
                    "System-Persistence-Http-Cookie",
                    "System-Persistence-TLS",
                    "System-Persistence-App-Cookie",
                ][..],
            ),
            ("analyticsprofile", &["System-Analytics-Profile"][..]),
            // The TLS parser AKO's passthrough datascript names
            // (`internal/nodes/avi_passthrough_translator.go`), a system object.
            ("protocolparser", &["Default-TLS"][..]),
        ] {
            for n in names {
                self.insert(kind, "admin", json!({ "name": n }));
            }
        }
    }

    pub(super) fn next_uuid(&mut self, kind: &str) -> String {
        self.counter += 1;
        format!(
            "{kind}-{:08x}-0000-4000-8000-{:012x}",
            self.counter, self.counter
        )
    }

    pub(super) fn tick(&mut self) -> u64 {
        self.clock += 1_000;
        self.clock
    }

    pub(super) fn tenant_exists(&self, t: &str) -> bool {
        t == "admin"
            || self
                .objects
                .iter()
                .any(|o| o.kind == "tenant" && o.name == t)
    }

    /// Store an object directly (test seeding); returns its uuid. Refs may be
    /// written in any spelling; they are kept by name.
    ///
    /// As on a controller, a cloud comes with its VRF context `global`; a
    /// VRF context inserted for a cloud that already has one of that name
    /// replaces that one's body (keeping its uuid).
    pub fn insert(&mut self, kind: &str, tenant: &str, body: Value) -> String {
        let name = body
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let body = self.refs_by_name(body);
        if kind == "vrfcontext" {
            let cloud = cloud_of(&body);
            if let Some(i) = self.objects.iter().position(|o| {
                o.kind == kind && o.name == name && o.tenant == tenant && cloud_of(&o.body) == cloud
            }) {
                let last_modified = self.tick();
                let o = &mut self.objects[i];
                o.body = body;
                o.last_modified = last_modified;
                return o.uuid.clone();
            }
        }
        let uuid = self.next_uuid(kind);
        let last_modified = self.tick();
        self.objects.push(Stored {
            kind: kind.into(),
            uuid: uuid.clone(),
            tenant: tenant.into(),
            name: name.clone(),
            body,
            last_modified,
        });
        if kind == "cloud" {
            self.add_cloud_vrf(&name);
        }
        uuid
    }

    pub fn objects(&self) -> &[Stored] {
        &self.objects
    }

    /// Change the bodies of the objects `pick` selects in place (test
    /// seeding: what someone else wrote); returns how many changed. Refs
    /// stay as `f` leaves them (write them by name).
    pub fn edit(
        &mut self,
        mut pick: impl FnMut(&Stored) -> bool,
        mut f: impl FnMut(&mut Value),
    ) -> usize {
        let mut n = 0;
        for i in 0..self.objects.len() {
            if pick(&self.objects[i]) {
                let at = self.tick();
                let o = &mut self.objects[i];
                f(&mut o.body);
                o.last_modified = at;
                n += 1;
            }
        }
        self.dirty |= n > 0;
        n
    }

    /// How many authenticated API requests were counted so far (the clock
    /// of [`Faults::script`]).
    pub fn api_requests(&self) -> u64 {
        self.faults.requests
    }

    /// Drop every session (as an idle timeout would).
    pub fn expire_sessions(&mut self) {
        self.sessions.clear();
    }

    pub(super) fn names_by_uuid(&self) -> HashMap<String, String> {
        self.objects
            .iter()
            .map(|o| (o.uuid.clone(), o.name.clone()))
            .collect()
    }

    pub(super) fn refs_by_name(&self, mut body: Value) -> Value {
        // Only a ref without a name (`…/<uuid>`) needs the uuid -> name map:
        // build it on the first one.
        let mut names: Option<HashMap<String, String>> = None;
        map_refs(&mut body, &mut |s| {
            let named = s.rsplit_once('#').is_some_and(|(_, f)| !f.is_empty())
                || s.split_once('?').is_some_and(|(p, q)| {
                    p.contains("/api/") && q.split('&').any(|kv| kv.starts_with("name="))
                });
            if named {
                canonical_ref(s, &HashMap::new())
            } else {
                canonical_ref(s, names.get_or_insert_with(|| self.names_by_uuid()))
            }
        });
        body
    }

    pub(super) fn stamp(&self) -> (usize, u64, u64) {
        (self.objects.len(), self.counter, self.clock)
    }

    /// Index the objects by type and name (before a list read, which looks
    /// up every ref of every object rendered).
    pub(super) fn index_refs(&mut self) {
        if self
            .ref_index
            .as_ref()
            .is_some_and(|i| i.stamp == self.stamp())
        {
            return;
        }
        let mut by_name: HashMap<(String, String), Vec<usize>> = HashMap::new();
        let mut by_kind: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, o) in self.objects.iter().enumerate() {
            by_name
                .entry((o.kind.clone(), o.name.clone()))
                .or_default()
                .push(i);
            by_kind.entry(o.kind.clone()).or_default().push(i);
        }
        let clouds = self.objects.iter().map(|o| cloud_of(&o.body)).collect();
        self.ref_index = Some(RefIndex {
            stamp: self.stamp(),
            by_name,
            by_kind,
            clouds,
            rendered: HashMap::new(),
            base: String::new(),
            matched: HashMap::new(),
        });
    }

    /// The object a ref by name from an object of `tenant` in `cloud` (a
    /// canonical `cloud_ref`, or empty) means. Names of cloud-scoped objects
    /// repeat across clouds (every cloud has its own VRF `global`): a ref
    /// means the one in the referring object's cloud, as on a controller,
    /// where an object can only refer to objects of its own cloud.
    pub(super) fn find_in(
        &self,
        kind: &str,
        tenant: &str,
        name: &str,
        cloud: &str,
    ) -> Option<&Stored> {
        let candidates: Vec<&Stored> =
            match self.ref_index.as_ref().filter(|i| i.stamp == self.stamp()) {
                Some(index) => {
                    let at = index.by_name.get(&(kind.to_string(), name.to_string()))?;
                    if let [only] = at.as_slice() {
                        return self.objects.get(*only);
                    }
                    at.iter().filter_map(|&i| self.objects.get(i)).collect()
                }
                None => self
                    .objects
                    .iter()
                    .filter(|o| o.kind == kind && o.name == name)
                    .collect(),
            };
        let in_cloud: Vec<&Stored> = if candidates.len() > 1 && !cloud.is_empty() {
            candidates
                .iter()
                .copied()
                .filter(|o| cloud_of(&o.body) == cloud)
                .collect()
        } else {
            Vec::new()
        };
        let objs = if in_cloud.is_empty() {
            &candidates
        } else {
            &in_cloud
        };
        objs.iter()
            .find(|o| o.tenant == tenant)
            .or_else(|| objs.iter().find(|o| o.tenant == "admin"))
            .or_else(|| objs.first())
            .copied()
    }

    /// A new cloud gets its own VRF context `global`, as on a controller
    /// (every cloud has one; they share the name).
    pub(super) fn add_cloud_vrf(&mut self, cloud: &str) {
        let cloud_ref = format!("/api/cloud/?name={cloud}");
        let exists = self.objects.iter().any(|o| {
            o.kind == "vrfcontext" && o.name == "global" && cloud_of(&o.body) == cloud_ref
        });
        if !exists {
            self.insert(
                "vrfcontext",
                "admin",
                json!({"name": "global", "system_default": true, "cloud_ref": cloud_ref}),
            );
        }
    }

    /// The object as the controller returns it.
    pub(super) fn render(&self, o: &Stored, base: &str, include_name: bool) -> Value {
        let mut body = o.body.clone();
        if let Value::Object(m) = &mut body {
            m.insert("uuid".into(), json!(o.uuid));
            m.insert(
                "url".into(),
                json!(format!("{base}/api/{}/{}", o.kind, o.uuid)),
            );
            m.insert("_last_modified".into(), json!(o.last_modified.to_string()));
            m.insert(
                "tenant_ref".into(),
                json!(format!("/api/tenant/?name={}", o.tenant)),
            );
            m.entry("configpb_attributes")
                .or_insert(json!({"version": 1}));
            if o.kind == "sslkeyandcertificate" && m.contains_key("key") {
                m.insert("key".into(), json!("<sensitive>"));
            }
        }
        mask_nested_secrets(&mut body);
        let cloud = cloud_of(&o.body);
        map_refs(&mut body, &mut |s| {
            let c = canonical_ref(s, &HashMap::new());
            let Some(rest) = c.strip_prefix("/api/") else {
                return s.to_string();
            };
            let Some((kind, name)) = rest.split_once("/?name=") else {
                return format!("{base}{c}");
            };
            let name = percent_decode(name);
            let uuid = self
                .find_in(kind, &o.tenant, &name, &cloud)
                .map(|t| t.uuid.clone())
                .unwrap_or_else(|| {
                    format!("{kind}-{:08x}", crate::compile::common::fnv1a32(&name))
                });
            if include_name {
                format!("{base}/api/{kind}/{uuid}#{name}")
            } else {
                format!("{base}/api/{kind}/{uuid}")
            }
        });
        body
    }

    /// Fields a controller fills in on its own (a few, so that clients are
    /// tested against them).
    pub(super) fn fill_defaults(kind: &str, body: &mut Value) {
        let Value::Object(m) = body else { return };
        match kind {
            "pool" => {
                m.entry("enabled").or_insert(json!(true));
                m.entry("lb_algorithm")
                    .or_insert(json!("LB_ALGORITHM_LEAST_CONNECTIONS"));
                m.entry("inline_health_monitor").or_insert(json!(true));
                if let Some(Value::Array(servers)) = m.get_mut("servers") {
                    for s in servers {
                        let ip = s.pointer("/ip/addr").cloned().unwrap_or(Value::Null);
                        if let Value::Object(sm) = s {
                            sm.entry("ratio").or_insert(json!(1));
                            sm.entry("hostname").or_insert(ip);
                        }
                    }
                }
            }
            "virtualservice" => {
                m.entry("weight").or_insert(json!(1));
                m.entry("enabled").or_insert(json!(true));
                m.entry("analytics_policy").or_insert(
                    json!({"metrics_realtime_update": {"enabled": false, "duration": 30}}),
                );
            }
            "poolgroup" => {
                m.entry("min_servers").or_insert(json!(0));
            }
            _ => {}
        }
    }
}

/// Write-only fields below the top level (an SSORule's OAuth secrets) are
/// answered as `<sensitive>`, as a controller answers them.
pub(super) fn mask_nested_secrets(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if crate::plan::normalize::NESTED_SECRET_FIELDS.contains(&k.as_str())
                    && x.is_string()
                {
                    *x = json!("<sensitive>");
                } else {
                    mask_nested_secrets(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(mask_nested_secrets),
        _ => {}
    }
}

/// Apply `f` to every `*_ref` string and `*_refs` list entry, at any depth.
pub(super) fn map_refs(v: &mut Value, f: &mut dyn FnMut(&str) -> String) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match x {
                    Value::String(s) if k.ends_with("_ref") && !s.is_empty() => *s = f(s),
                    Value::Array(a) if k.ends_with("_refs") => {
                        for e in a.iter_mut() {
                            if let Value::String(s) = e {
                                *s = f(s);
                            }
                        }
                    }
                    _ => map_refs(x, f),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| map_refs(x, f)),
        _ => {}
    }
}

/// Every ref of a body must resolve: 400 `<Model> object not found!`
/// otherwise (controller-API notes §3.5).
pub(super) fn check_refs(store: &Store, body: &Value, tenant: &str) -> Result<(), Reply> {
    let mut missing: Option<String> = None;
    let cloud = cloud_of(body);
    let mut b = body.clone();
    map_refs(&mut b, &mut |s| {
        if missing.is_none() {
            let c = canonical_ref(s, &HashMap::new());
            if let Some(rest) = c.strip_prefix("/api/") {
                let found = match rest.split_once("/?name=") {
                    Some((kind, name)) => {
                        let name = percent_decode(name.split('&').next().unwrap_or(name));
                        store.find_in(kind, tenant, &name, &cloud).is_some()
                    }
                    None => match rest.split_once('/') {
                        Some((kind, uuid)) => store
                            .objects
                            .iter()
                            .any(|o| o.kind == kind && o.uuid == uuid),
                        None => true,
                    },
                };
                if !found {
                    let kind = rest.split('/').next().unwrap_or("");
                    missing = Some(format!("{} object not found!", model(kind)));
                }
            }
        }
        s.to_string()
    });
    match missing {
        Some(m) => Err(error(400, &m)),
        None => Ok(()),
    }
}

impl Store {
    /// The objects as JSON, for `--data` persistence.
    pub fn to_json(&self) -> Value {
        json!({
            "counter": self.counter,
            "clock": self.clock,
            "objects": self.objects.iter().map(|o| json!({
                "kind": o.kind, "uuid": o.uuid, "tenant": o.tenant, "name": o.name,
                "body": o.body, "last_modified": o.last_modified,
            })).collect::<Vec<_>>(),
        })
    }

    /// Replace the objects with the ones saved by [`Store::to_json`].
    pub fn load_json(&mut self, v: &Value) -> Result<(), String> {
        let objs = v
            .get("objects")
            .and_then(Value::as_array)
            .ok_or("no \"objects\" list")?;
        let mut out = Vec::with_capacity(objs.len());
        for o in objs {
            let s = |k: &str| {
                o.get(k)
                    .and_then(Value::as_str)
                    .map(String::from)
                    .ok_or_else(|| format!("an object has no {k:?}"))
            };
            out.push(Stored {
                kind: s("kind")?,
                uuid: s("uuid")?,
                tenant: s("tenant")?,
                name: s("name")?,
                body: o.get("body").cloned().unwrap_or(Value::Null),
                last_modified: o.get("last_modified").and_then(Value::as_u64).unwrap_or(0),
            });
        }
        self.objects = out;
        self.ref_index = None;
        self.counter = v
            .get("counter")
            .and_then(Value::as_u64)
            .unwrap_or(self.counter);
        self.clock = v.get("clock").and_then(Value::as_u64).unwrap_or(self.clock);
        Ok(())
    }
}

impl Store {
    /// A VIP with `auto_allocate_ip` and no address gets the next free one
    /// from 100.64.0.0/16 (deterministic). A PUT that leaves the address out
    /// gets a new one, so that clients must carry the allocated address over
    /// (GET, modify, PUT), as AKO does.
    pub(super) fn allocate_vips(&mut self, kind: &str, body: &mut Value) {
        if kind != "vsvip" {
            return;
        }
        let Some(Value::Array(vips)) = body.get_mut("vip") else {
            return;
        };
        for v in vips {
            let auto = v.get("auto_allocate_ip").and_then(Value::as_bool) == Some(true);
            let Value::Object(m) = v else { continue };
            if auto && !m.contains_key("ip_address") && !m.contains_key("ip6_address") {
                self.allocated += 1;
                let n = self.allocated;
                m.insert(
                    "ip_address".into(),
                    json!({"addr": format!("100.64.{}.{}", (n / 254) % 256, n % 254 + 1), "type": "V4"}),
                );
            }
        }
    }
}

pub(super) fn cloud_of(body: &Value) -> String {
    body.get("cloud_ref")
        .and_then(Value::as_str)
        .map(|r| canonical_ref(r, &HashMap::new()))
        .unwrap_or_default()
}
