//! Reading the objects translation needs from a live cluster.
//!
//! Four parts:
//!
//! * [`client`]: a kubeconfig (`--kubeconfig`, else `KUBECONFIG`, else
//!   `~/.kube/config`) and a context become an authenticated HTTPS client, the
//!   way kubectl does it (client certificates, tokens, exec credential plugins,
//!   the cluster's CA or `insecure-skip-tls-verify`).
//! * [`read`]: lists every kind in [`RESOURCES`] concurrently, page by page
//!   (`limit`/`continue`), then fetches by name the Secrets translation refers to.
//!   A kind whose API the cluster does not serve is skipped with an Info; a list
//!   the user may not run (HTTP 403) is a Warning naming the verb and resource.
//! * [`overlay`]: manifests given with `-f` replace the cluster's objects of the
//!   same kind, namespace and name, and the result becomes input
//!   [`Source`](crate::input::Source)s, decoded by the same code as files.
//! * [`snapshot`]: what was read, as one YAML manifest file per kind, so that an
//!   offline run gives the same result as the live one.
//!
//! Objects are kept as JSON values between reading and decoding; the kinds the
//! input registry knows are decoded into typed objects there, the others (for
//! now OpenShift Routes, AKO's CRDs and Gateway API objects) are kept for
//! snapshots and reported once per kind.
//!
//! Nothing here prints; progress goes through the [`Progress`] trait.

pub mod ako;
pub mod client;
mod list;
pub mod overlay;
pub mod snapshot;

use serde_json::Value;

use crate::model::Diagnostic;

pub use client::{Connection, Target, connect};
pub use list::read;

/// How a kind is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Every object (in the namespace of `-n`, when given and the kind is
    /// namespaced).
    List,
    /// Listed only when `serviceType` is NodePortLocal, and only the objects
    /// carrying Antrea's `nodeportlocal.antrea.io` annotation are kept.
    NodePortLocal,
    /// Fetched one by one by name: the Secrets Ingresses refer to in `tls[]`,
    /// and the default route certificate in AKO's namespace.
    ByName,
    /// Listed only when `AKOSettings.cniPlugin` is this value: the objects in
    /// which that CNI keeps the nodes' pod CIDRs (AKO:
    /// `internal/lib/dynamic_client.go` `NewDynamicInformers`, `GetPodCIDR`).
    Cni(&'static str),
}

/// One kind read from the cluster.
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceDef {
    /// API group, `""` for the core group.
    pub group: &'static str,
    pub version: &'static str,
    /// The resource name in URLs (`services`).
    pub plural: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    /// Served only on some clusters (OpenShift, AKO's CRDs installed, Gateway
    /// API installed): a missing API is an Info, not a Warning.
    pub optional: bool,
    pub how: How,
}

impl ResourceDef {
    /// `group/version`, or just `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `plural` for the core group, `plural.group` otherwise (as kubectl and
    /// RBAC rules name resources).
    pub fn resource_name(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// URL path of the collection, in `namespace` or cluster-wide.
    pub fn collection_path(&self, namespace: Option<&str>) -> String {
        let root = if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        };
        match namespace.filter(|_| self.namespaced) {
            Some(ns) => format!("{root}/namespaces/{}/{}", encode(ns), self.plural),
            None => format!("{root}/{}", self.plural),
        }
    }
}

const fn def(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    kind: &'static str,
    namespaced: bool,
    optional: bool,
    how: How,
) -> ResourceDef {
    ResourceDef {
        group,
        version,
        plural,
        kind,
        namespaced,
        optional,
        how,
    }
}

/// Every kind read, in the order snapshots and diagnostics use.
///
/// The AKO CRD versions are the ones AKO reads: HostRule, HTTPRule and
/// AviInfraSetting `v1beta1`, L4Rule, L7Rule and SSORule `v1alpha2`
/// (AKO: `pkg/apis/ako/*`); HealthMonitor, ApplicationProfile and
/// RouteBackendExtension `v1alpha1` belong to ako-crd-operator (AKO:
/// `helm/ako/crds/ako.vmware.com_healthmonitors.yaml`,
/// `ako-crd-operator/config/crd/bases/*.yaml`).
pub static RESOURCES: &[ResourceDef] = &[
    def("", "v1", "namespaces", "Namespace", false, false, How::List),
    def("", "v1", "nodes", "Node", false, false, How::List),
    def("", "v1", "services", "Service", true, false, How::List),
    def("", "v1", "endpoints", "Endpoints", true, false, How::List),
    def(
        "discovery.k8s.io",
        "v1",
        "endpointslices",
        "EndpointSlice",
        true,
        false,
        How::List,
    ),
    def(
        "networking.k8s.io",
        "v1",
        "ingressclasses",
        "IngressClass",
        false,
        false,
        How::List,
    ),
    def(
        "networking.k8s.io",
        "v1",
        "ingresses",
        "Ingress",
        true,
        false,
        How::List,
    ),
    def("", "v1", "pods", "Pod", true, false, How::NodePortLocal),
    def("", "v1", "secrets", "Secret", true, false, How::ByName),
    def(
        "route.openshift.io",
        "v1",
        "routes",
        "Route",
        true,
        true,
        How::List,
    ),
    def(
        "ako.vmware.com",
        "v1beta1",
        "aviinfrasettings",
        "AviInfraSetting",
        false,
        true,
        How::List,
    ),
    def(
        "ako.vmware.com",
        "v1beta1",
        "hostrules",
        "HostRule",
        true,
        true,
        How::List,
    ),
    def(
        "ako.vmware.com",
        "v1beta1",
        "httprules",
        "HTTPRule",
        true,
        true,
        How::List,
    ),
    def(
        "ako.vmware.com",
        "v1alpha2",
        "l4rules",
        "L4Rule",
        true,
        true,
        How::List,
    ),
    def(
        "ako.vmware.com",
        "v1alpha2",
        "l7rules",
        "L7Rule",
        true,
        true,
        How::List,
    ),
    def(
        "ako.vmware.com",
        "v1alpha2",
        "ssorules",
        "SSORule",
        true,
        true,
        How::List,
    ),
    def(
        "ako.vmware.com",
        "v1alpha1",
        "healthmonitors",
        "HealthMonitor",
        true,
        true,
        How::List,
    ),
    def(
        "ako.vmware.com",
        "v1alpha1",
        "applicationprofiles",
        "ApplicationProfile",
        true,
        true,
        How::List,
    ),
    def(
        "ako.vmware.com",
        "v1alpha1",
        "routebackendextensions",
        "RouteBackendExtension",
        true,
        true,
        How::List,
    ),
    def(
        "gateway.networking.k8s.io",
        "v1",
        "gatewayclasses",
        "GatewayClass",
        false,
        true,
        How::List,
    ),
    def(
        "gateway.networking.k8s.io",
        "v1",
        "gateways",
        "Gateway",
        true,
        true,
        How::List,
    ),
    def(
        "gateway.networking.k8s.io",
        "v1",
        "httproutes",
        "HTTPRoute",
        true,
        true,
        How::List,
    ),
    // Services API (AKO servicesAPI mode).
    def(
        "networking.x-k8s.io",
        "v1alpha1",
        "gatewayclasses",
        "GatewayClass",
        false,
        true,
        How::List,
    ),
    def(
        "networking.x-k8s.io",
        "v1alpha1",
        "gateways",
        "Gateway",
        true,
        true,
        How::List,
    ),
    // Pod CIDRs of the CNIs that keep them in their own objects.
    def(
        "crd.projectcalico.org",
        "v1",
        "blockaffinities",
        "BlockAffinity",
        false,
        true,
        How::Cni("calico"),
    ),
    def(
        "network.openshift.io",
        "v1",
        "hostsubnets",
        "HostSubnet",
        false,
        true,
        How::Cni("openshift"),
    ),
    def(
        "cilium.io",
        "v2",
        "ciliumnodes",
        "CiliumNode",
        false,
        true,
        How::Cni("cilium"),
    ),
];

/// The resource of an API group and kind, if akoctl reads it.
pub fn resource_of(group: &str, kind: &str) -> Option<&'static ResourceDef> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.kind == kind)
}

/// Which part of the cluster to read.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Only this namespace for namespaced kinds; `None` reads all of them.
    /// Cluster-scoped kinds (Nodes, IngressClasses, ...) are always read whole.
    pub namespace: Option<String>,
    /// List Pods (serviceType NodePortLocal).
    pub pods: bool,
    /// AKO's own namespace, home of the default route certificate Secret.
    pub ako_namespace: String,
    /// `AKOSettings.cniPlugin`, lower-cased: which CNI objects to list.
    pub cni_plugin: String,
}

/// One object read from the cluster: `apiVersion` and `kind` filled in, and
/// the server-side bookkeeping stripped (see [`clean`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterObject {
    pub resource: &'static ResourceDef,
    pub value: Value,
}

impl ClusterObject {
    pub fn namespace(&self) -> &str {
        meta_str(&self.value, "namespace")
    }

    pub fn name(&self) -> &str {
        meta_str(&self.value, "name")
    }
}

fn meta_str<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Everything read from a cluster, sorted by kind (in [`RESOURCES`] order),
/// namespace and name.
#[derive(Clone, Debug, Default)]
pub struct ClusterRead {
    /// The kubeconfig context it was read through.
    pub context: String,
    /// The context's namespace (`default` when it names none): where `-f`
    /// objects without a namespace go, as with `kubectl apply`.
    pub default_namespace: String,
    pub objects: Vec<ClusterObject>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ClusterRead {
    /// The name given to what was read, in origins and messages.
    pub fn source_name(&self) -> String {
        format!("cluster:{}", self.context)
    }
}

/// Progress of a read, for a terminal indicator. Every method has an empty
/// default.
pub trait Progress {
    /// Connected to the cluster of this kubeconfig context.
    fn context(&self, _context: &str) {}
    /// `total` more requests (lists or fetches) are about to run.
    fn add(&self, _total: u64) {}
    /// One of them finished; `what` names it (`services`).
    fn done(&self, _what: &str) {}
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {}

/// Remove what the API server keeps for itself and that translation never
/// reads: `managedFields`, `resourceVersion`, `uid`, `selfLink`.
/// `creationTimestamp` stays: AKO orders Ingresses and Routes by it.
pub fn clean(value: &mut Value) {
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        for k in ["managedFields", "resourceVersion", "uid", "selfLink"] {
            meta.remove(k);
        }
    }
}

/// Percent-encode a path segment or query value (RFC 3986 unreserved
/// characters pass).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let svc = resource_of("", "Service");
        assert_eq!(
            svc.map(|r| r.collection_path(None)).as_deref(),
            Some("/api/v1/services")
        );
        assert_eq!(
            svc.map(|r| r.collection_path(Some("team a"))).as_deref(),
            Some("/api/v1/namespaces/team%20a/services")
        );
        let class = resource_of("networking.k8s.io", "IngressClass");
        assert_eq!(
            class.map(|r| r.collection_path(Some("x"))).as_deref(),
            Some("/apis/networking.k8s.io/v1/ingressclasses")
        );
        assert_eq!(
            resource_of("route.openshift.io", "Route").map(ResourceDef::resource_name),
            Some("routes.route.openshift.io".to_string())
        );
    }

    #[test]
    fn kinds_are_unique() {
        for (i, a) in RESOURCES.iter().enumerate() {
            for b in &RESOURCES[i + 1..] {
                assert!(
                    (a.group, a.kind) != (b.group, b.kind)
                        && (a.group, a.plural) != (b.group, b.plural),
                    "{} twice",
                    a.kind
                );
            }
        }
    }

    #[test]
    fn clean_keeps_creation_timestamp() {
        let mut v = serde_json::json!({"metadata": {
            "name": "a", "uid": "u", "resourceVersion": "1", "selfLink": "/x",
            "managedFields": [{"manager": "kubectl"}],
            "creationTimestamp": "2024-01-01T00:00:00Z"
        }});
        clean(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"metadata": {"name": "a", "creationTimestamp": "2024-01-01T00:00:00Z"}})
        );
    }

    #[test]
    fn encode_reserved() {
        assert_eq!(encode("a+b/c=="), "a%2Bb%2Fc%3D%3D");
        assert_eq!(encode("plain-name.x_y~"), "plain-name.x_y~");
    }
}
