//! The data the pure core works on: the Kubernetes snapshot going in, the Avi
//! objects and diagnostics coming out.
//!
//! Nothing here does IO. `input` fills a [`Snapshot`]; `compile` turns it into an
//! [`ObjectSet`]; `render` and `plan` read the set.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Endpoints, Namespace, Node, Pod, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};
use serde::Serialize;

/// Where an object was read from: file (or `<stdin>`) and 1-based line of the
/// document start.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: Arc<str>,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A decoded Kubernetes object with its origin.
#[derive(Clone, Debug)]
pub struct Obj<T> {
    pub origin: Origin,
    pub obj: T,
}

impl<T> std::ops::Deref for Obj<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.obj
    }
}

/// The object named `ns/name` in a list of namespaced objects.
pub fn find_named<'a, T>(list: &'a [Obj<T>], ns: &str, name: &str) -> Option<&'a Obj<T>>
where
    T: k8s_openapi::Metadata<Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>,
{
    list.iter().find(|o| {
        let m = o.obj.metadata();
        m.namespace.as_deref() == Some(ns) && m.name.as_deref() == Some(name)
    })
}

/// Every Kubernetes object translation reads, typed. Namespaced objects always
/// carry a namespace here (input fills the default).
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub namespaces: Vec<Obj<Namespace>>,
    pub services: Vec<Obj<Service>>,
    pub endpoint_slices: Vec<Obj<EndpointSlice>>,
    pub endpoints: Vec<Obj<Endpoints>>,
    pub ingresses: Vec<Obj<Ingress>>,
    pub ingress_classes: Vec<Obj<IngressClass>>,
    pub secrets: Vec<Obj<Secret>>,
    pub nodes: Vec<Obj<Node>>,
    pub pods: Vec<Obj<Pod>>,
    // AKO CRDs (`ako.vmware.com`).
    pub host_rules: Vec<Obj<crate::kube::crd::HostRule>>,
    pub http_rules: Vec<Obj<crate::kube::crd::HttpRule>>,
    pub infra_settings: Vec<Obj<crate::kube::crd::AviInfraSetting>>,
    pub l4_rules: Vec<Obj<crate::kube::crd::L4Rule>>,
    pub l7_rules: Vec<Obj<crate::kube::crd::L7Rule>>,
    pub sso_rules: Vec<Obj<crate::kube::crd::SsoRule>>,
    /// ako-crd-operator HealthMonitors (read for L4Rule `healthMonitorCrdRefs`).
    pub health_monitors: Vec<Obj<crate::kube::crd::HealthMonitor>>,
    /// ako-crd-operator ApplicationProfiles (read for HTTPRoute rule ExtensionRefs).
    pub application_profiles: Vec<Obj<crate::kube::crd::ApplicationProfile>>,
    /// ako-crd-operator RouteBackendExtensions (read for HTTPRoute backendRef ExtensionRefs).
    pub route_backend_extensions: Vec<Obj<crate::kube::crd::RouteBackendExtension>>,
    // OpenShift (`route.openshift.io`).
    pub routes: Vec<Obj<crate::kube::route::Route>>,
    // Gateway API (`gateway.networking.k8s.io/v1`).
    pub gateway_classes: Vec<Obj<crate::kube::gateway::GatewayClass>>,
    pub gateways: Vec<Obj<crate::kube::gateway::Gateway>>,
    pub http_routes: Vec<Obj<crate::kube::gateway::HttpRoute>>,
    // Services API (`networking.x-k8s.io/v1alpha1`), read in servicesAPI mode.
    pub svcapi_gateway_classes: Vec<Obj<crate::kube::services_api::SvcApiGatewayClass>>,
    pub svcapi_gateways: Vec<Obj<crate::kube::services_api::SvcApiGateway>>,
    // Pod CIDRs of CNIs that keep them in their own objects, read for static
    // routes with the matching `cniPlugin` (`crate::kube::cni`).
    pub block_affinities: Vec<Obj<crate::kube::cni::BlockAffinity>>,
    pub host_subnets: Vec<Obj<crate::kube::cni::HostSubnet>>,
    pub cilium_nodes: Vec<Obj<crate::kube::cni::CiliumNode>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A message about the input: why something was skipped, degraded or rejected.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// `Kind ns/name` of the object concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_origin")]
    pub origin: Option<Origin>,
    /// Stable code of the kind of finding (`AKO0xx`, see `diagnostics::CODES`):
    /// set by the emitting site with [`Diagnostic::with_code`], or derived
    /// from the message by `diagnostics::assign_codes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
}

fn ser_origin<S: serde::Serializer>(o: &Option<Origin>, s: S) -> Result<S::Ok, S::Error> {
    match o {
        Some(o) => s.serialize_str(&o.to_string()),
        None => s.serialize_none(),
    }
}

impl Diagnostic {
    pub fn new(severity: Severity, object: Option<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            object,
            message: message.into(),
            origin: None,
            code: None,
        }
    }
    pub fn at(mut self, origin: &Origin) -> Self {
        self.origin = Some(origin.clone());
        self
    }
    /// Report under this code instead of the one derived from the message.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.severity)?;
        if let Some(o) = &self.object {
            write!(f, "{o}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(o) = &self.origin {
            write!(f, " ({o})")?;
        }
        if let Some(c) = self.code {
            write!(f, " [{c}]")?;
        }
        Ok(())
    }
}

/// Avi REST object types akoctl emits or refers to, lower case as in `/api/<type>`.
/// The declaration order is the apply order (create/update); deletes run in reverse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AviType {
    Vrfcontext,
    Sslkeyandcertificate,
    Pkiprofile,
    Vsvip,
    /// Gateway API `sessionPersistence`: created before the pools that
    /// refer to it, deleted after them.
    Applicationpersistenceprofile,
    Pool,
    Poolgroup,
    Stringgroup,
    Httppolicyset,
    L4policyset,
    Vsdatascriptset,
    Virtualservice,
}

impl AviType {
    pub const ALL: [AviType; 12] = [
        AviType::Vrfcontext,
        AviType::Sslkeyandcertificate,
        AviType::Pkiprofile,
        AviType::Vsvip,
        AviType::Applicationpersistenceprofile,
        AviType::Pool,
        AviType::Poolgroup,
        AviType::Stringgroup,
        AviType::Httppolicyset,
        AviType::L4policyset,
        AviType::Vsdatascriptset,
        AviType::Virtualservice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AviType::Vrfcontext => "vrfcontext",
            AviType::Sslkeyandcertificate => "sslkeyandcertificate",
            AviType::Pkiprofile => "pkiprofile",
            AviType::Vsvip => "vsvip",
            AviType::Applicationpersistenceprofile => "applicationpersistenceprofile",
            AviType::Pool => "pool",
            AviType::Poolgroup => "poolgroup",
            AviType::Stringgroup => "stringgroup",
            AviType::Httppolicyset => "httppolicyset",
            AviType::L4policyset => "l4policyset",
            AviType::Vsdatascriptset => "vsdatascriptset",
            AviType::Virtualservice => "virtualservice",
        }
    }

    pub fn parse(s: &str) -> Option<AviType> {
        AviType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for AviType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One Avi object as AKO would send it: REST body with refs written by name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AviObject {
    #[serde(rename = "type")]
    pub kind: AviType,
    pub name: String,
    pub tenant: String,
    /// `Kind/namespace/name` (or `Kind/name`) of the Kubernetes objects it came from.
    pub sources: BTreeSet<String>,
    pub body: serde_json::Value,
}

impl AviObject {
    /// Apply-order rank: a child virtual service (`vh_parent_vs_ref`) comes after
    /// every parent.
    pub fn apply_rank(&self) -> (AviType, u8) {
        let child =
            self.kind == AviType::Virtualservice && self.body.get("vh_parent_vs_ref").is_some();
        (self.kind, child as u8)
    }
}

/// An [`AviObject`] whose body is kept as compact JSON text (what
/// `serde_json` writes for the body) and whose sources are a sorted slice:
/// the lean form of `compile -o json`.
#[derive(Clone, Debug)]
pub struct LeanObject {
    pub kind: AviType,
    pub name: String,
    pub tenant: String,
    /// Sorted, as the set of [`AviObject::sources`].
    pub sources: Box<[String]>,
    pub body: Box<str>,
    /// The body has a `vh_parent_vs_ref` ([`AviObject::apply_rank`]).
    pub child: bool,
}

impl LeanObject {
    /// The object with its body as a `Value`.
    pub fn to_object(&self) -> AviObject {
        AviObject {
            kind: self.kind,
            name: self.name.clone(),
            tenant: self.tenant.clone(),
            sources: self.sources.iter().cloned().collect(),
            body: body_from_text(&self.body),
        }
    }
}

/// A body as compact JSON text, the bytes `serde_json` writes for it
/// (`to_string`, or `Value`'s `Display`).
///
/// Written by [`write_compact`] into a buffer kept per thread, then copied
/// once into a box of exactly its length: no buffer growing by doubling for
/// each body, and an allocator may keep a shrunk block at full size.
pub fn body_text(body: &serde_json::Value) -> Box<str> {
    thread_local! {
        static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    BUF.with(|buf| {
        // Nothing below calls `body_text` again, so the buffer is free.
        let mut buf = buf.borrow_mut();
        buf.clear();
        write_compact(body, &mut buf);
        Box::from(buf.as_str())
    })
}

/// `v` as `serde_json::to_writer` writes it (compact), faster: strings
/// are copied in runs between the bytes to escape instead of byte by byte
/// ([`write_str`]); numbers as `serde_json` writes them (their `Display`).
fn write_compact(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    use std::fmt::Write;
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(k, out);
                out.push(':');
                write_compact(item, out);
            }
            out.push('}');
        }
    }
}

/// A JSON string as `serde_json` writes it: copied whole when no byte
/// needs an escape (nearly every string of a body), else in runs between
/// the bytes to escape, each escaped as `serde_json` escapes it (`\n`-style
/// where JSON has one, else `\u00xx`). Every byte escaped is ASCII, so each
/// run is whole characters.
fn write_str(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    // No early exit: one pass over every byte, without a branch per byte.
    if s.bytes().fold(false, |e, c| e | needs_escape(c)) {
        let mut run = 0;
        for (at, c) in s.bytes().enumerate() {
            if !needs_escape(c) {
                continue;
            }
            out.push_str(&s[run..at]);
            run = at + 1;
            let short = match c {
                b'"' => '"',
                b'\\' => '\\',
                0x08 => 'b',
                0x0c => 'f',
                b'\n' => 'n',
                b'\r' => 'r',
                b'\t' => 't',
                _ => '\0',
            };
            out.push('\\');
            if short != '\0' {
                out.push(short);
            } else {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("u00");
                out.push(char::from(HEX[usize::from(c >> 4)]));
                out.push(char::from(HEX[usize::from(c & 0xf)]));
            }
        }
        out.push_str(&s[run..]);
    } else {
        out.push_str(s);
    }
    out.push('"');
}

/// A byte JSON needs escaped in a string.
fn needs_escape(c: u8) -> bool {
    c < 0x20 || c == b'"' || c == b'\\'
}

/// A body kept as text (what `serde_json` wrote for a `Value`) as that
/// `Value` again.
pub fn body_from_text(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

/// The compiled object set: sorted by apply order, then type, then name, then tenant.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ObjectSet {
    pub objects: Vec<AviObject>,
}

impl ObjectSet {
    pub fn sort(&mut self) {
        self.objects.sort_by(|a, b| {
            (a.apply_rank(), &a.name, &a.tenant).cmp(&(b.apply_rank(), &b.name, &b.tenant))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// [`body_text`] writes what `serde_json` writes, for every value of
    /// every expected object set in `testdata/compile` and for strings and
    /// numbers with every kind of escape and spelling.
    #[test]
    fn body_text_is_serde_jsons_text() {
        let mut values = vec![json!({
            "plain": "pool-1--default-svc",
            "escapes": "q\"b\\s\n\t\r\u{1}\u{8}\u{c}\u{1f}\u{7f} é 日本 \u{2028} 🙂",
            "long": format!("{}\"{}\"\\{}\n", "a".repeat(31), "é".repeat(16), "b".repeat(40)),
            "": ["", "\"", "\\", "\u{0}"],
            "numbers": [0, -1, 1.5, -0.0, 1e300, 2.5e-8, u64::MAX, i64::MIN, 0.1],
            "nested": {"a": [[], {}, [{}], null, true, false]},
        })];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/compile");
        for dir in std::fs::read_dir(&root).expect("testdata/compile") {
            let expect = dir.expect("entry").path().join("expect.yaml");
            if let Ok(text) = std::fs::read_to_string(&expect) {
                let v: Value = serde_saphyr::from_str(&text).expect("expect.yaml parses");
                values.push(v);
            }
        }
        assert!(values.len() > 100, "{} expected sets", values.len());
        fn each(v: &Value, f: &mut dyn FnMut(&Value)) {
            f(v);
            match v {
                Value::Array(a) => a.iter().for_each(|x| each(x, f)),
                Value::Object(m) => m.values().for_each(|x| each(x, f)),
                _ => {}
            }
        }
        let mut checked = 0;
        for v in &values {
            each(v, &mut |x| {
                assert_eq!(&*body_text(x), serde_json::to_string(x).unwrap());
                checked += 1;
            });
        }
        assert!(checked > 5_000, "{checked}");
    }
}
