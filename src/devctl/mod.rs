//! An in-memory Avi controller for tests (and, later, `akoctl dev-controller`).
//!
//! It behaves like a real controller where akoctl depends on it (see the
//! controller-API notes §7): `POST /login` with JSON or form bodies and
//! password or token, `csrftoken` + session cookies, 401 without a session,
//! CSRF checks on unsafe methods, `X-Avi-Version` required, `X-Avi-Tenant`
//! scoping (`*` for reads only), paginated lists with `count` and absolute
//! `next` links, filters (`name`, `name.contains`, `created_by`,
//! `cloud_ref.name`, `label_key`/`label_value`), refs rendered as
//! `<scheme>://<host>/api/<type>/<uuid>[#name]`, controller-filled fields,
//! redacted private keys, 409 on duplicates, 403 on deleting a referenced
//! object, 400 on fields newer than the request's `X-Avi-Version`
//! ([`versions`]), fault injection ([`Faults`], [`Fault`]) and a request log
//! (status 0: the connection was dropped). Every cloud has its own VRF
//! context `global` (a cloud created over the API gets one), and a ref by
//! name means the object of the referring object's cloud.
//!
//! It only listens on loopback. [`handle`] is the whole controller as a plain
//! function over a [`Store`]; [`FakeController`] serves it over HTTP/1.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use serde_json::{Map, Value, json};

use crate::plan::normalize::{canonical_ref, percent_decode};

pub mod seed;
pub mod serve;
pub mod versions;

/// Fake controller settings.
#[derive(Clone, Debug)]
pub struct Config {
    pub version: String,
    /// username -> password.
    pub users: Vec<(String, String)>,
    /// username -> auth token.
    pub tokens: Vec<(String, String)>,
    /// `sessionid` (older controllers) or `avi-sessionid`.
    pub session_cookie_name: String,
    /// Page size when the client sends none.
    pub default_page_size: usize,
    /// Tenants besides `admin`.
    pub tenants: Vec<String>,
    /// Reject requests without `X-Avi-Version`.
    pub require_version: bool,
    /// DNS sub-domains of every cloud.
    pub dns_domains: Vec<String>,
    pub license_tier: String,
    /// The `vtype` of `Default-Cloud`.
    pub cloud_vtype: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: "22.1.3".into(),
            users: vec![("admin".into(), "admin".into())],
            tokens: Vec::new(),
            session_cookie_name: "avi-sessionid".into(),
            default_page_size: 25,
            tenants: Vec::new(),
            require_version: true,
            dns_domains: Vec::new(),
            license_tier: "ENTERPRISE".into(),
            cloud_vtype: "CLOUD_VCENTER".into(),
        }
    }
}

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
    sessions: HashMap<String, String>,
    objects: Vec<Stored>,
    counter: u64,
    clock: u64,
    /// Addresses handed out to VIPs with `auto_allocate_ip`.
    allocated: u64,
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
    ref_index: Option<RefIndex>,
}

/// `(type, name)` -> positions in `objects`, valid while the objects are
/// unchanged: `stamp` is their count, the uuid counter and the clock, one of
/// which every write moves.
#[derive(Debug, Default)]
struct RefIndex {
    stamp: (usize, u64, u64),
    by_name: HashMap<(String, String), Vec<usize>>,
    /// Positions of each type's objects, in order.
    by_kind: HashMap<String, Vec<usize>>,
    /// Per position: the canonical `cloud_ref` (for `cloud_ref.name`).
    clouds: Vec<String>,
    /// Objects already rendered for a list read, as JSON text, by position
    /// and `include_name`, for `base` (a controller's own CPU is not what
    /// a client's read time should measure: a real one answers from its
    /// database in about the same time for every page).
    rendered: HashMap<(usize, bool), String>,
    base: String,
    /// The positions a collection query matched, by type, tenant and
    /// filters (every page of one collection asks the same question).
    matched: HashMap<String, Vec<usize>>,
}

/// Random faults, for tests and benchmarks (deterministic: a seeded
/// generator).
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Delay before answering each request.
    pub latency_ms: u64,
    /// Share of `/api/` requests answered with 503, 0.0–1.0.
    pub error_rate: f64,
    /// Drop every session after this many `/api/` requests (session expiry).
    pub expire_every: Option<u64>,
    /// `(n, status)`: the n-th write (POST/PUT/PATCH/DELETE, counted from 1)
    /// is refused with `status` before it takes effect.
    pub fail_write: Vec<(u64, u16)>,
    /// Scripted faults: `(n, fault)` strikes the n-th API request (counted
    /// from 1 over every authenticated `/api/` request, reads included; see
    /// [`Store::api_requests`]). Each entry fires once.
    pub script: Vec<(u64, Fault)>,
    pub seed: u64,
    requests: u64,
    writes: u64,
}

/// One scripted fault (see [`Faults::script`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Refused with this status before the request takes effect (a 5xx
    /// burst is several of these in a row).
    Status(u16),
    /// The request takes effect, but the answer is this status: the client
    /// cannot tell that it went through.
    StatusAfterCommit(u16),
    /// The connection is closed without an answer; the request never took
    /// effect.
    Drop,
    /// The request takes effect, then the connection is closed without an
    /// answer.
    DropAfterCommit,
    /// The request takes effect and the answer comes this many milliseconds
    /// late (a latency spike; longer than the client's timeout, the answer
    /// is lost).
    Delay(u64),
    /// Every session is dropped first: the request is answered 401.
    ExpireSessions,
}

impl Faults {
    fn next_random(&mut self) -> f64 {
        // xorshift64*
        let mut x = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.seed = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Object types that live in `admin` and are visible from every tenant.
const SHARED_KINDS: &[&str] = &[
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
fn model(kind: &str) -> &str {
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

/// A response: status, extra headers, JSON (or empty) body.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Close the connection instead of answering (fault injection).
    pub close: bool,
    /// Answer this many milliseconds late (fault injection).
    pub delay_ms: u64,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        body: body.to_string(),
        ..Reply::default()
    }
}

fn error(status: u16, msg: &str) -> Reply {
    reply(status, json!({ "error": msg }))
}

/// A request as [`handle`] sees it.
#[derive(Clone, Debug, Default)]
pub struct Req {
    pub method: String,
    /// Path and query as received (`//api/pool/?a=b` is fine).
    pub target: String,
    /// Lower-case header names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// `http` or `https`, for absolute links.
    pub scheme: String,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .find_map(|c| {
                let (k, v) = c.trim().split_once('=')?;
                (k == name).then(|| v.to_string())
            })
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
    fn seed(&mut self) {
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

    fn next_uuid(&mut self, kind: &str) -> String {
        self.counter += 1;
        format!(
            "{kind}-{:08x}-0000-4000-8000-{:012x}",
            self.counter, self.counter
        )
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1_000;
        self.clock
    }

    fn tenant_exists(&self, t: &str) -> bool {
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

    /// Create an object as `POST /api/<kind>` in `tenant` would (defaults
    /// filled in, duplicates refused); returns the reply. Refs are not
    /// checked, so that tests can build a state whose pre-existing objects
    /// are missing.
    pub fn post(&mut self, kind: &str, tenant: &str, body: &Value) -> Reply {
        create(
            self,
            kind,
            tenant,
            body.to_string().as_bytes(),
            "https://127.0.0.1",
            false,
        )
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

    fn names_by_uuid(&self) -> HashMap<String, String> {
        self.objects
            .iter()
            .map(|o| (o.uuid.clone(), o.name.clone()))
            .collect()
    }

    fn refs_by_name(&self, mut body: Value) -> Value {
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

    fn stamp(&self) -> (usize, u64, u64) {
        (self.objects.len(), self.counter, self.clock)
    }

    /// Index the objects by type and name (before a list read, which looks
    /// up every ref of every object rendered).
    fn index_refs(&mut self) {
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
    fn find_in(&self, kind: &str, tenant: &str, name: &str, cloud: &str) -> Option<&Stored> {
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
    fn add_cloud_vrf(&mut self, cloud: &str) {
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
    fn render(&self, o: &Stored, base: &str, include_name: bool) -> Value {
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
    fn fill_defaults(kind: &str, body: &mut Value) {
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
fn mask_nested_secrets(v: &mut Value) {
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
fn map_refs(v: &mut Value, f: &mut dyn FnMut(&str) -> String) {
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

fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

fn encode_query(q: &[(String, String)]) -> String {
    q.iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::compile::common::query_escape(k),
                crate::compile::common::query_escape(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The whole controller: one request in, one reply out.
pub fn handle(store: &mut Store, req: &Req) -> Reply {
    let (raw_path, raw_query) = req
        .target
        .split_once('?')
        .unwrap_or((req.target.as_str(), ""));
    // Collapse `//` and drop a trailing `/` (both optional on a real controller).
    let segs: Vec<&str> = raw_path.split('/').filter(|s| !s.is_empty()).collect();
    let path = format!("/{}", segs.join("/"));
    let query = parse_query(raw_query);
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let tenant = req
        .header("x-avi-tenant")
        .or(q("tenant"))
        .unwrap_or("admin")
        .to_string();
    let r = route(store, req, &path, &segs, &query, &tenant);
    store.log.push(LogEntry {
        method: req.method.clone(),
        path: path.clone(),
        tenant,
        status: r.status,
    });
    r
}

fn route(
    store: &mut Store,
    req: &Req,
    path: &str,
    segs: &[&str],
    query: &[(String, String)],
    tenant: &str,
) -> Reply {
    let host = req.header("host").unwrap_or("127.0.0.1");
    let base = format!(
        "{}://{host}",
        if req.scheme.is_empty() {
            "http"
        } else {
            &req.scheme
        }
    );
    let method = req.method.as_str();
    if path == "/login" && method == "POST" {
        return login(store, req);
    }
    if path == "/api/initial-data" && method == "GET" {
        return reply(
            200,
            json!({"version": {"Version": store.config.version, "min_version": "18.2.6"}}),
        );
    }
    if segs.first() != Some(&"api") && path != "/logout" {
        return error(404, "Not found");
    }
    // Session.
    let sid = req
        .cookie(&store.config.session_cookie_name)
        .or_else(|| req.cookie("sessionid"))
        .or_else(|| req.cookie("avi-sessionid"));
    let Some(csrf) = sid.as_ref().and_then(|s| store.sessions.get(s)).cloned() else {
        return error(401, "Authentication credentials were not provided.");
    };
    if method != "GET" {
        let header = req.header("x-csrftoken");
        let cookie = req.cookie("csrftoken");
        if header != Some(csrf.as_str())
            || cookie.as_deref() != Some(csrf.as_str())
            || req.header("referer").is_none()
        {
            return error(403, "CSRF Failed: CSRF token missing or incorrect.");
        }
    }
    if path == "/logout" {
        if let Some(s) = sid {
            store.sessions.remove(&s);
        }
        return reply(200, json!({}));
    }
    if let Some(status) = store.fail_next.pop_front() {
        return error(status, "injected fault");
    }
    store.faults.requests += 1;
    if let Some(n) = store.faults.expire_every
        && n > 0
        && store.faults.requests.is_multiple_of(n)
    {
        store.sessions.clear();
        return error(401, "Authentication credentials were not provided.");
    }
    let n = store.faults.requests;
    let mut after = Vec::new();
    let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut store.faults.script)
        .into_iter()
        .partition(|(at, _)| *at == n);
    store.faults.script = later;
    for (_, f) in now {
        match f {
            Fault::ExpireSessions => {
                store.sessions.clear();
                return error(401, "Authentication credentials were not provided.");
            }
            Fault::Status(s) => return error(s, &format!("injected fault on request {n}")),
            Fault::Drop => {
                return Reply {
                    close: true,
                    ..Reply::default()
                };
            }
            other => after.push(other),
        }
    }
    let mut r = serve_api(store, req, query, tenant, segs, &base);
    for f in after {
        match f {
            Fault::StatusAfterCommit(s) => {
                r = error(s, &format!("injected fault after request {n} took effect"));
            }
            Fault::DropAfterCommit => r.close = true,
            Fault::Delay(ms) => r.delay_ms += ms,
            _ => {}
        }
    }
    r
}

/// An authenticated API request, after session checks and scripted faults.
fn serve_api(
    store: &mut Store,
    req: &Req,
    query: &[(String, String)],
    tenant: &str,
    segs: &[&str],
    base: &str,
) -> Reply {
    let method = req.method.as_str();
    if method != "GET" {
        store.faults.writes += 1;
        let n = store.faults.writes;
        if let Some(&(_, status)) = store.faults.fail_write.iter().find(|(w, _)| *w == n) {
            return error(status, &format!("injected fault on write {n}"));
        }
    }
    if store.faults.error_rate > 0.0 && store.faults.next_random() < store.faults.error_rate {
        return error(503, "injected fault: controller busy");
    }
    match req.header("x-avi-version") {
        None if store.config.require_version => {
            return error(400, "X-Avi-Version header is required");
        }
        Some(v) if crate::client::version_cmp(v, &store.config.version).is_gt() => {
            return error(
                400,
                &format!(
                    "API version {v} is newer than the controller's ({})",
                    store.config.version
                ),
            );
        }
        _ => {}
    }
    if let (Some(v), "POST" | "PUT" | "PATCH") = (req.header("x-avi-version"), method)
        && let Ok(body) = serde_json::from_slice::<Value>(&req.body)
    {
        let kind = segs.get(1).copied().unwrap_or("");
        let parts: Vec<&Value> = if method == "PATCH" {
            body.as_object()
                .map(|m| m.values().collect())
                .unwrap_or_default()
        } else {
            vec![&body]
        };
        if let Some(m) = parts.iter().find_map(|b| versions::check(kind, b, v)) {
            return error(400, &m);
        }
    }
    if tenant == "*" && method != "GET" {
        return error(403, "Tenant '*' is only valid for reads");
    }
    if tenant != "*" && !store.tenant_exists(tenant) {
        return error(403, &format!("Tenant '{tenant}' does not exist!"));
    }
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let include_name = query
        .iter()
        .any(|(k, v)| k == "include_name" && v != "false");
    let kind = segs.get(1).copied().unwrap_or("");
    match (method, kind, segs.get(2)) {
        ("GET", "systemconfiguration", None) => reply(
            200,
            json!({"default_license_tier": store.config.license_tier, "portal_configuration": {"allow_basic_authentication": false}}),
        ),
        ("GET", "ipamdnsproviderprofiledomainlist", None) => {
            let cloud = q("cloud_uuid").unwrap_or("");
            if !store
                .objects
                .iter()
                .any(|o| o.kind == "cloud" && o.uuid == cloud)
            {
                return error(400, "Ipam Type invalid or configuration not found in Avi");
            }
            let domains = seed::cloud_domains(store, cloud)
                .unwrap_or_else(|| store.config.dns_domains.clone());
            reply(200, json!({ "domains": domains }))
        }
        ("GET", _, None) => {
            store.index_refs();
            list(store, kind, query, tenant, base, include_name)
        }
        ("GET", _, Some(uuid)) => match store
            .objects
            .iter()
            .find(|o| o.kind == kind && o.uuid == *uuid && visible(o, tenant))
        {
            Some(o) => reply(200, store.render(o, base, include_name)),
            None => error(404, &format!("{} object not found!", model(kind))),
        },
        ("POST", _, None) => committed(store, |s| create(s, kind, tenant, &req.body, base, true)),
        ("PUT", _, Some(uuid)) => {
            committed(store, |s| replace(s, kind, uuid, tenant, &req.body, base))
        }
        ("PATCH", _, Some(uuid)) => {
            committed(store, |s| patch(s, kind, uuid, tenant, &req.body, base))
        }
        ("DELETE", _, Some(uuid)) => committed(store, |s| delete(s, kind, uuid, tenant)),
        _ => error(405, "Method not allowed"),
    }
}

/// Run a write; mark the store dirty when it succeeded, and replace the
/// answer with an injected post-commit fault if one is queued.
fn committed(store: &mut Store, f: impl FnOnce(&mut Store) -> Reply) -> Reply {
    let r = f(store);
    if (200..300).contains(&r.status) {
        store.dirty = true;
        if let Some(status) = store.fail_after_commit.pop_front() {
            return error(status, "injected fault after the write took effect");
        }
    }
    r
}

fn visible(o: &Stored, tenant: &str) -> bool {
    tenant == "*"
        || o.tenant == tenant
        || (o.tenant == "admin" && SHARED_KINDS.contains(&o.kind.as_str()))
}

fn login(store: &mut Store, req: &Req) -> Reply {
    let ct = req.header("content-type").unwrap_or("");
    let fields: HashMap<String, String> = if ct.contains("json") || req.body.first() == Some(&b'{')
    {
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(Value::Object(m)) => m
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                .collect(),
            _ => HashMap::new(),
        }
    } else {
        parse_query(&String::from_utf8_lossy(&req.body))
            .into_iter()
            .collect()
    };
    let user = fields.get("username").cloned().unwrap_or_default();
    let ok = match (fields.get("password"), fields.get("token")) {
        (Some(p), _) => store
            .config
            .users
            .iter()
            .any(|(u, pw)| *u == user && pw == p),
        (None, Some(t)) => store
            .config
            .tokens
            .iter()
            .any(|(u, tk)| *u == user && tk == t),
        _ => false,
    };
    if !ok {
        return error(401, "Invalid credentials");
    }
    store.counter += 1;
    let sid = format!(
        "{:032x}",
        crate::compile::common::fnv1a32(&format!("s{}", store.counter)) as u128 * 7919
            + store.counter as u128
    );
    let csrf = format!(
        "{:032x}",
        crate::compile::common::fnv1a32(&format!("c{}", store.counter)) as u128 * 104_729
            + store.counter as u128
    );
    store.sessions.insert(sid.clone(), csrf.clone());
    let tenants: Vec<Value> = store
        .objects
        .iter()
        .filter(|o| o.kind == "tenant")
        .map(|o| json!({"name": o.name, "uuid": o.uuid, "url": format!("/api/tenant/{}", o.uuid)}))
        .collect();
    let mut r = reply(
        200,
        json!({
            "version": {"Version": store.config.version, "min_version": "18.2.6", "ProductName": "Avi Cloud Controller"},
            "user": {"username": user},
            "tenants": tenants,
            "system_config": {"portal_configuration": {"allow_basic_authentication": false}},
            "controller": {"api_idle_timeout": 15},
            "session_cookie_name": store.config.session_cookie_name,
        }),
    );
    r.headers.push((
        "set-cookie".into(),
        format!("csrftoken={csrf}; Path=/; SameSite=Lax"),
    ));
    r.headers.push((
        "set-cookie".into(),
        format!(
            "{}={sid}; Path=/; HttpOnly",
            store.config.session_cookie_name
        ),
    ));
    r
}

fn marker_has(o: &Stored, key: &str, value: &str) -> bool {
    o.body
        .get("markers")
        .and_then(Value::as_array)
        .is_some_and(|ms| {
            ms.iter().any(|m| {
                m.get("key").and_then(Value::as_str) == Some(key)
                    && m.get("values")
                        .and_then(Value::as_array)
                        .is_some_and(|vs| vs.iter().any(|v| v.as_str() == Some(value)))
            })
        })
}

fn list(
    store: &mut Store,
    kind: &str,
    query: &[(String, String)],
    tenant: &str,
    base: &str,
    include_name: bool,
) -> Reply {
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let page: usize = q("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let page_size: usize = match q("page_size") {
        Some(p) => match p.parse::<usize>() {
            Ok(n) if (1..=200).contains(&n) => n,
            _ => return error(400, "page_size must be between 1 and 200"),
        },
        None => store.config.default_page_size,
    };
    let cloud_ref = q("cloud_ref.name").map(|c| format!("/api/cloud/?name={c}"));
    let (name, contains, created_by) = (q("name"), q("name.contains"), q("created_by"));
    let icontains = q("name.icontains").map(str::to_lowercase);
    let label = q("label_key").zip(q("label_value"));
    let question = {
        let mut filters: Vec<&(String, String)> = query
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "page" | "page_size" | "include_name"))
            .collect();
        filters.sort();
        format!("{kind}\n{tenant}\n{filters:?}")
    };
    let stamp = store.stamp();
    let known = store
        .ref_index
        .as_ref()
        .filter(|ix| ix.stamp == stamp)
        .and_then(|ix| ix.matched.get(&question).cloned());
    let matches: Vec<usize> = if let Some(m) = known {
        m
    } else {
        // With the index: only this type's objects, clouds already canonical.
        let index = store
            .ref_index
            .as_ref()
            .filter(|i| i.stamp == store.stamp());
        let positions: Box<dyn Iterator<Item = usize>> = match index {
            Some(i) => Box::new(i.by_kind.get(kind).into_iter().flatten().copied()),
            None => Box::new(0..store.objects.len()),
        };
        positions
            .filter(|&i| {
                cloud_ref.as_ref().is_none_or(|c| match index {
                    Some(ix) => ix.clouds.get(i) == Some(c),
                    None => store
                        .objects
                        .get(i)
                        .is_some_and(|o| cloud_of(&o.body) == *c),
                })
            })
            .filter(|&i| {
                store.objects.get(i).is_some_and(|o| {
                    o.kind == kind
                        && visible(o, tenant)
                        && name.is_none_or(|n| o.name == n)
                        && contains.is_none_or(|n| o.name.contains(n))
                        && icontains
                            .as_ref()
                            .is_none_or(|n| o.name.to_lowercase().contains(n.as_str()))
                        && created_by.is_none_or(|c| {
                            o.body.get("created_by").and_then(Value::as_str) == Some(c)
                        })
                        && label.is_none_or(|(k, v)| marker_has(o, k, v))
                })
            })
            .collect()
    };
    if let Some(ix) = store.ref_index.as_mut().filter(|ix| ix.stamp == stamp) {
        ix.matched.insert(question, matches.clone());
    }
    let count = matches.len();
    let start = (page - 1).saturating_mul(page_size);
    let shown: Vec<usize> = matches
        .iter()
        .skip(start)
        .take(page_size)
        .copied()
        .collect();
    // Render what is not cached yet, then the page from the cached texts.
    let cached = |store: &Store, i: usize| {
        store
            .ref_index
            .as_ref()
            .filter(|ix| ix.stamp == store.stamp() && ix.base == base)
            .is_some_and(|ix| ix.rendered.contains_key(&(i, include_name)))
    };
    let fresh: Vec<(usize, String)> = shown
        .iter()
        .filter(|&&i| !cached(store, i))
        .filter_map(|&i| {
            let o = store.objects.get(i)?;
            Some((i, store.render(o, base, include_name).to_string()))
        })
        .collect();
    let mut body = format!("{{\"count\":{count},");
    if start + page_size < count {
        let mut nq: Vec<(String, String)> =
            query.iter().filter(|(k, _)| k != "page").cloned().collect();
        nq.push(("page".into(), (page + 1).to_string()));
        let next = format!("{base}/api/{kind}?{}", encode_query(&nq));
        body.push_str(&format!("\"next\":{},", Value::String(next)));
    }
    body.push_str("\"results\":[");
    let push = |body: &mut String, t: &str| {
        if !body.ends_with('[') {
            body.push(',');
        }
        body.push_str(t);
    };
    match store.ref_index.as_mut().filter(|ix| ix.stamp == stamp) {
        Some(ix) => {
            if ix.base != base {
                ix.rendered.clear();
                ix.base = base.to_string();
            }
            ix.rendered
                .extend(fresh.into_iter().map(|(i, t)| ((i, include_name), t)));
            let size: usize = shown
                .iter()
                .filter_map(|i| ix.rendered.get(&(*i, include_name)))
                .map(|t| t.len() + 1)
                .sum();
            body.reserve(size + 2);
            for i in &shown {
                if let Some(t) = ix.rendered.get(&(*i, include_name)) {
                    push(&mut body, t);
                }
            }
        }
        None => fresh.iter().for_each(|(_, t)| push(&mut body, t)),
    }
    body.push_str("]}");
    Reply {
        status: 200,
        body,
        ..Reply::default()
    }
}

fn parse_body(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(error(400, "Invalid JSON body")),
    }
}

fn cloud_of(body: &Value) -> String {
    body.get("cloud_ref")
        .and_then(Value::as_str)
        .map(|r| canonical_ref(r, &HashMap::new()))
        .unwrap_or_default()
}

fn create(
    store: &mut Store,
    kind: &str,
    tenant: &str,
    raw: &[u8],
    base: &str,
    check: bool,
) -> Reply {
    let m = match parse_body(raw) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let Some(name) = m.get("name").and_then(Value::as_str).map(String::from) else {
        return error(400, "Field 'name' is required");
    };
    let mut body = store.refs_by_name(Value::Object(m));
    if check && let Err(r) = check_refs(store, &body, tenant) {
        return r;
    }
    let cloud = cloud_of(&body);
    if store.objects.iter().any(|o| {
        o.kind == kind && o.tenant == tenant && o.name == name && cloud_of(&o.body) == cloud
    }) {
        return error(
            409,
            &format!(
                "{} with this Name, Tenant ref and Cloud ref already exists.",
                model(kind)
            ),
        );
    }
    Store::fill_defaults(kind, &mut body);
    store.allocate_vips(kind, &mut body);
    let uuid = store.next_uuid(kind);
    let last_modified = store.tick();
    let o = Stored {
        kind: kind.into(),
        uuid,
        tenant: tenant.into(),
        name,
        body,
        last_modified,
    };
    let out = store.render(&o, base, true);
    let new_cloud = (kind == "cloud").then(|| o.name.clone());
    store.objects.push(o);
    if let Some(c) = new_cloud {
        store.add_cloud_vrf(&c);
    }
    reply(201, out)
}

fn replace(
    store: &mut Store,
    kind: &str,
    uuid: &str,
    tenant: &str,
    raw: &[u8],
    base: &str,
) -> Reply {
    let m = match parse_body(raw) {
        Ok(m) => m,
        Err(r) => return r,
    };
    // A VRF context of `admin` is written from the tenant that uses it (as
    // AKO writes its static routes with its own tenant).
    let Some(idx) = store.objects.iter().position(|o| {
        o.kind == kind
            && o.uuid == uuid
            && (o.tenant == tenant || (kind == "vrfcontext" && visible(o, tenant)))
    }) else {
        return error(404, &format!("{} object not found!", model(kind)));
    };
    if let Some(lm) = m.get("_last_modified").and_then(Value::as_str)
        && lm != store.objects[idx].last_modified.to_string()
    {
        return error(412, &format!("Need to reload object data {}", model(kind)));
    }
    let mut body = store.refs_by_name(Value::Object(m));
    if let Err(r) = check_refs(store, &body, tenant) {
        return r;
    }
    let new_name = body.get("name").and_then(Value::as_str).unwrap_or("");
    let cloud = cloud_of(&body);
    if store.objects.iter().any(|o| {
        o.kind == kind
            && o.uuid != uuid
            && o.tenant == tenant
            && o.name == new_name
            && cloud_of(&o.body) == cloud
    }) {
        return error(
            409,
            &format!(
                "{} with this Name, Tenant ref and Cloud ref already exists.",
                model(kind)
            ),
        );
    }
    if let Value::Object(bm) = &mut body {
        for k in ["uuid", "url", "_last_modified"] {
            bm.remove(k);
        }
    }
    Store::fill_defaults(kind, &mut body);
    store.allocate_vips(kind, &mut body);
    let last_modified = store.tick();
    let o = &mut store.objects[idx];
    o.name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(&o.name)
        .to_string();
    o.body = body;
    o.last_modified = last_modified;
    let o = store.objects[idx].clone();
    reply(200, store.render(&o, base, true))
}

fn delete(store: &mut Store, kind: &str, uuid: &str, tenant: &str) -> Reply {
    let Some(idx) = store
        .objects
        .iter()
        .position(|o| o.kind == kind && o.uuid == uuid && o.tenant == tenant)
    else {
        return error(404, &format!("{} object not found!", model(kind)));
    };
    let o = &store.objects[idx];
    if o.name.starts_with("System-")
        || o.body.get("system_default").and_then(Value::as_bool) == Some(true)
        || o.kind == "tenant"
        || (o.kind == "cloud" && o.name == "Default-Cloud")
        || (o.kind == "serviceenginegroup" && o.name == "Default-Group")
    {
        return error(403, "Cannot delete system default object");
    }
    let target = format!("/api/{kind}/?name={}", store.objects[idx].name);
    let mut referrers: BTreeMap<String, ()> = BTreeMap::new();
    for o in &store.objects {
        let mut hit = false;
        let mut b = o.body.clone();
        map_refs(&mut b, &mut |s| {
            if s == target {
                hit = true;
            }
            s.to_string()
        });
        if hit && o.uuid != uuid {
            referrers.insert(format!("'{} {}'", model(&o.kind), o.name), ());
        }
    }
    if !referrers.is_empty() {
        let list: Vec<String> = referrers.into_keys().collect();
        return reply(
            403,
            json!({"error": format!("Cannot delete, object is referred by: [{}]", list.join(", ")), "obj_name": store.objects[idx].name}),
        );
    }
    store.objects.remove(idx);
    Reply {
        status: 204,
        ..Reply::default()
    }
}

/// A fake controller serving HTTP/1 on 127.0.0.1 (loopback only).
#[derive(Clone)]
pub struct FakeController {
    pub store: Arc<Mutex<Store>>,
    pub addr: SocketAddr,
}

impl FakeController {
    /// Bind 127.0.0.1 on a free port and serve on the current tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<FakeController> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let store = Arc::new(Mutex::new(Store::new(config)));
        tokio::spawn(serve::serve(
            listener,
            store.clone(),
            serve::ServeOptions::default(),
        ));
        Ok(FakeController { store, addr })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Run `f` on the store (seeding, fault injection, inspection).
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        let mut g = match self.store.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&mut g)
    }
}

async fn serve_one(
    store: &Mutex<Store>,
    r: Request<Incoming>,
    scheme: &str,
    data: Option<&std::path::Path>,
) -> Result<Response<Full<Bytes>>, serve::Dropped> {
    let (parts, body) = r.into_parts();
    let body = match Limited::new(body, 16 << 20).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    let req = Req {
        method: parts.method.to_string(),
        target: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into()),
        headers: parts
            .headers
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    k.as_str().to_ascii_lowercase(),
                    v.to_str().ok()?.to_string(),
                ))
            })
            .collect(),
        body,
        scheme: scheme.into(),
    };
    let write = req.method != "GET";
    let latency = {
        let mut g = match store.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if write {
            g.writes_in_flight += 1;
            g.max_writes_in_flight = g.max_writes_in_flight.max(g.writes_in_flight);
        } else {
            g.reads_in_flight += 1;
            g.max_reads_in_flight = g.max_reads_in_flight.max(g.reads_in_flight);
        }
        g.faults.latency_ms
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let rep = {
        let mut g = match store.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if write {
            g.writes_in_flight = g.writes_in_flight.saturating_sub(1);
        } else {
            g.reads_in_flight = g.reads_in_flight.saturating_sub(1);
        }
        let r = handle(&mut g, &req);
        if g.dirty {
            g.dirty = false;
            if let Some(path) = data {
                let text = g.to_json().to_string();
                // Write a temporary file, then rename: a crash never leaves
                // half a file.
                let tmp = path.with_extension("tmp");
                if std::fs::write(&tmp, text)
                    .and_then(|_| std::fs::rename(&tmp, path))
                    .is_err()
                {
                    return Ok(Response::builder()
                        .status(500)
                        .body(Full::new(Bytes::from(
                            json!({"error": "could not persist the data file"}).to_string(),
                        )))
                        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()))));
                }
            }
        }
        r
    };
    if rep.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(rep.delay_ms)).await;
    }
    if rep.close {
        return Err(serve::Dropped);
    }
    let mut b = Response::builder().status(rep.status);
    if !rep.body.is_empty() {
        b = b.header("content-type", "application/json");
    }
    for (k, v) in &rep.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    Ok(b.body(Full::new(Bytes::from(rep.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()))))
}

/// Every ref of a body must resolve: 400 `<Model> object not found!`
/// otherwise (controller-API notes §3.5).
fn check_refs(store: &Store, body: &Value, tenant: &str) -> Result<(), Reply> {
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

/// `PATCH` in the legacy form (controller-API notes §3.3): `add` appends to
/// lists and sets scalars, `replace` sets, `delete` removes matching list
/// entries or resets a scalar. Top-level fields only.
fn patch(store: &mut Store, kind: &str, uuid: &str, tenant: &str, raw: &[u8], base: &str) -> Reply {
    let m = match parse_body(raw) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let Some(idx) = store
        .objects
        .iter()
        .position(|o| o.kind == kind && o.uuid == uuid && o.tenant == tenant)
    else {
        return error(404, &format!("{} object not found!", model(kind)));
    };
    let mut body = store.objects[idx].body.clone();
    let Value::Object(cur) = &mut body else {
        return error(500, "stored object is not a JSON object");
    };
    for (op, fields) in &m {
        let Value::Object(fields) = store.refs_by_name(fields.clone()) else {
            return error(400, &format!("PATCH {op}: an object of fields is expected"));
        };
        for (k, v) in fields {
            match op.as_str() {
                "add" => match (cur.get_mut(&k), v) {
                    (Some(Value::Array(a)), Value::Array(more)) => a.extend(more),
                    (_, v) => {
                        cur.insert(k, v);
                    }
                },
                "replace" => {
                    cur.insert(k, v);
                }
                "delete" => match (cur.get_mut(&k), v) {
                    (Some(Value::Array(a)), Value::Array(gone)) => {
                        a.retain(|x| !gone.iter().any(|g| subset(g, x)))
                    }
                    _ => {
                        cur.remove(&k);
                    }
                },
                other => return error(400, &format!("Unsupported PATCH operation {other:?}")),
            }
        }
    }
    if let Err(r) = check_refs(store, &body, tenant) {
        return r;
    }
    Store::fill_defaults(kind, &mut body);
    let last_modified = store.tick();
    let o = &mut store.objects[idx];
    o.body = body;
    o.last_modified = last_modified;
    let o = store.objects[idx].clone();
    reply(200, store.render(&o, base, true))
}

/// Whether every field of `pattern` is equal in `v` (list entry matching for
/// PATCH delete).
fn subset(pattern: &Value, v: &Value) -> bool {
    match (pattern, v) {
        (Value::Object(p), Value::Object(o)) => p
            .iter()
            .all(|(k, pv)| o.get(k).is_some_and(|ov| subset(pv, ov))),
        _ => pattern == v,
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
    fn allocate_vips(&mut self, kind: &str, body: &mut Value) {
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
