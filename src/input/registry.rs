//! The kinds akoctl decodes, keyed by (API group, kind).
//!
//! Every entry is one line of the `registry!` invocation at the bottom:
//! `RustType => snapshot_field`. The type must implement
//! [`k8s_openapi::Resource`] (group, version, kind, scope), [`k8s_openapi::Metadata`]
//! with [`ObjectMeta`], and `serde::Deserialize`. k8s-openapi types do; our own
//! CRD structs (AKO HostRule, HTTPRule, AviInfraSetting, L4Rule, OpenShift Route,
//! Gateway API GatewayClass, Gateway, HTTPRoute, services API v1alpha1
//! GatewayClass and Gateway)
//! implement the two traits by hand and are added the same way.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{ClusterResourceScope, Metadata, NamespaceResourceScope, Resource};
use serde::{Deserialize, Deserializer};

use k8s_openapi::api::core::v1::{Endpoints, Namespace, Node, Pod, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};

use crate::kube::cni::{BlockAffinity, CiliumNode, HostSubnet};
use crate::kube::crd::{
    ApplicationProfile, AviInfraSetting, HealthMonitor, HostRule, HttpRule, L4Rule, L7Rule,
    RouteBackendExtension, SsoRule,
};
use crate::kube::gateway::{Gateway, GatewayClass, HttpRoute};
use crate::kube::route::Route;
use crate::kube::services_api::{SvcApiGateway, SvcApiGatewayClass};
use crate::model::{Obj, Origin, Snapshot};

/// Whether objects of a scope live in a namespace.
pub trait Scope {
    const NAMESPACED: bool;
}

impl Scope for NamespaceResourceScope {
    const NAMESPACED: bool = true;
}

impl Scope for ClusterResourceScope {
    const NAMESPACED: bool = false;
}

/// One registered kind.
#[derive(Debug)]
pub struct Kind {
    /// API group, `""` for the core group.
    pub group: &'static str,
    /// The one version akoctl reads.
    pub version: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub id: KindId,
}

impl Kind {
    /// `group/version`, or just `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// A further version the API server serves for a registered kind.
///
/// Each is a version of the same CustomResourceDefinition with conversion
/// strategy `None`: the API server stores what was written (pruned by the
/// written version's schema) and serves it unchanged under the version AKO's
/// informers ask for, so it is decoded as the registered type. `pruned` lists
/// the fields the registered version has and this one lacks: the API server
/// drops them when the object is written in this version.
#[derive(Debug)]
pub struct Served {
    pub id: KindId,
    /// The API group serving it; `""` for the kind's own group.
    pub group: &'static str,
    pub version: &'static str,
    /// Dotted paths (`[]` for every list element) the API server prunes.
    pub pruned: &'static [&'static str],
    /// Where the versions are defined, for messages.
    pub source: &'static str,
}

/// AKO's CRDs as its chart installs them (AKO: `helm/ako/crds/*.yaml`: HostRule,
/// HTTPRule and AviInfraSetting serve `v1alpha1` beside the stored `v1beta1`,
/// conversion `None`), and the Gateway API CRDs of the release AKO 2.2.1 is
/// built with (gateway-api v1.3.0, AKO's `go.mod`: GatewayClass, Gateway and
/// HTTPRoute serve `v1beta1` beside the stored `v1`, the same schema).
pub static SERVED: &[Served] = &[
    Served {
        id: KindId::HostRule,
        group: "",
        version: "v1alpha1",
        pruned: &[
            "spec.virtualhost.useRegex",
            "spec.virtualhost.applicationRootPath",
            "spec.virtualhost.l7Rule",
            "spec.virtualhost.networkSecurityPolicy",
            "spec.virtualhost.analyticsPolicy.fullClientLogs.duration",
        ],
        source: "AKO's helm/ako/crds/ako.vmware.com_hostrules.yaml",
    },
    Served {
        id: KindId::HttpRule,
        group: "",
        version: "v1alpha1",
        pruned: &["spec.paths[].enableHTTP2"],
        source: "AKO's helm/ako/crds/ako.vmware.com_httprules.yaml",
    },
    Served {
        id: KindId::AviInfraSetting,
        group: "",
        version: "v1alpha1",
        pruned: &[],
        source: "AKO's helm/ako/crds/ako.vmware.com_aviinfrasettings.yaml",
    },
    Served {
        id: KindId::GatewayClass,
        group: "",
        version: "v1beta1",
        pruned: &[],
        source: "the Gateway API v1.3.0 CRDs",
    },
    Served {
        id: KindId::Gateway,
        group: "",
        version: "v1beta1",
        pruned: &[],
        source: "the Gateway API v1.3.0 CRDs",
    },
    Served {
        id: KindId::HttpRoute,
        group: "",
        version: "v1beta1",
        pruned: &[],
        source: "the Gateway API v1.3.0 CRDs",
    },
    // Calico's API server serves `projectcalico.org/v3` BlockAffinities
    // from the very objects stored as `crd.projectcalico.org/v1`, the
    // resource AKO lists (`internal/lib/dynamic_client.go`
    // `CalicoBlockaffinityGVR`); `spec.node` and `spec.cidr`, all AKO reads,
    // are the same in both, so a v3 object in a dump is read as the v1
    // object it is.
    Served {
        id: KindId::BlockAffinity,
        group: "projectcalico.org",
        version: "v3",
        pruned: &[],
        source: "Calico's API server (projectcalico.org/v3 over crd.projectcalico.org/v1)",
    },
];

impl Kind {
    /// Every `apiVersion` the API server serves for this kind.
    pub fn served_versions(&self) -> Vec<String> {
        let mut out = vec![self.api_version()];
        for s in SERVED.iter().filter(|s| s.id == self.id) {
            let group = if s.group.is_empty() {
                self.group
            } else {
                s.group
            };
            out.push(format!("{group}/{}", s.version));
        }
        out
    }
}

/// What an `apiVersion` + `kind` pair resolves to.
#[derive(Debug)]
pub enum Lookup {
    Found(&'static Kind),
    /// A further version the API server serves, read as the registered kind.
    Served(&'static Kind, &'static Served),
    /// A known kind in a group or version akoctl does not read.
    OtherVersion(&'static Kind),
    Unknown,
}

/// Find the registered kind for `apiVersion` and `kind`.
pub fn lookup(api_version: &str, kind: &str) -> Lookup {
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let mut other = None;
    for k in KINDS {
        if k.kind == kind {
            if k.group == group && k.version == version {
                return Lookup::Found(k);
            }
            if let Some(s) = SERVED.iter().find(|s| {
                let g = if s.group.is_empty() { k.group } else { s.group };
                s.id == k.id && g == group && s.version == version
            }) {
                return Lookup::Served(k, s);
            }
            // Prefer the kind of the same group for the diagnostic
            // (Gateway exists in two groups).
            if other.is_none() || k.group == group {
                other = Some(k);
            }
        }
    }
    other.map_or(Lookup::Unknown, Lookup::OtherVersion)
}

macro_rules! registry {
    ($($ty:ident => $field:ident),* $(,)?) => {
        /// Registered kind, as a small copyable tag.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum KindId { $($ty),* }

        /// Every registered kind.
        pub static KINDS: &[Kind] = &[$(
            Kind {
                group: <$ty as Resource>::GROUP,
                version: <$ty as Resource>::VERSION,
                kind: <$ty as Resource>::KIND,
                namespaced: <<$ty as Resource>::Scope as Scope>::NAMESPACED,
                id: KindId::$ty,
            }
        ),*];

        /// A decoded object of a registered kind.
        #[derive(Debug)]
        pub enum Decoded { $($ty(Box<$ty>)),* }

        impl KindId {
            /// Decode one object of this kind straight from `de`.
            pub fn decode<'de, D: Deserializer<'de>>(self, de: D) -> Result<Decoded, D::Error> {
                match self {
                    $(KindId::$ty => <$ty>::deserialize(de).map(|o| Decoded::$ty(Box::new(o))),)*
                }
            }
        }

        impl Decoded {
            pub fn meta(&self) -> &ObjectMeta {
                match self { $(Decoded::$ty(o) => o.metadata(),)* }
            }

            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Decoded::$ty(o) => o.metadata_mut(),)* }
            }

            /// The object as JSON (to rewrite what the API server would).
            pub fn to_json(&self) -> serde_json::Result<serde_json::Value> {
                match self { $(Decoded::$ty(o) => serde_json::to_value(o),)* }
            }

            /// Move the object into its snapshot list.
            pub fn insert(self, snap: &mut Snapshot, origin: Origin) {
                match self { $(Decoded::$ty(o) => snap.$field.push(Obj { origin, obj: *o }),)* }
            }
        }
    };
}

registry! {
    Namespace => namespaces,
    Service => services,
    EndpointSlice => endpoint_slices,
    Endpoints => endpoints,
    Ingress => ingresses,
    IngressClass => ingress_classes,
    Secret => secrets,
    Node => nodes,
    Pod => pods,
    HostRule => host_rules,
    HttpRule => http_rules,
    AviInfraSetting => infra_settings,
    L4Rule => l4_rules,
    L7Rule => l7_rules,
    SsoRule => sso_rules,
    HealthMonitor => health_monitors,
    ApplicationProfile => application_profiles,
    RouteBackendExtension => route_backend_extensions,
    Route => routes,
    GatewayClass => gateway_classes,
    Gateway => gateways,
    HttpRoute => http_routes,
    SvcApiGatewayClass => svcapi_gateway_classes,
    SvcApiGateway => svcapi_gateways,
    BlockAffinity => block_affinities,
    HostSubnet => host_subnets,
    CiliumNode => cilium_nodes,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_by_group_and_kind() {
        assert!(matches!(lookup("v1", "Service"), Lookup::Found(k) if k.id == KindId::Service));
        assert!(matches!(
            lookup("networking.k8s.io/v1", "Ingress"),
            Lookup::Found(k) if k.id == KindId::Ingress && k.namespaced
        ));
        assert!(matches!(
            lookup("networking.k8s.io/v1", "IngressClass"),
            Lookup::Found(k) if !k.namespaced
        ));
        assert!(matches!(lookup("v1", "Node"), Lookup::Found(k) if !k.namespaced));
        assert!(matches!(lookup("v1", "Namespace"), Lookup::Found(k) if !k.namespaced));
        assert!(matches!(
            lookup("extensions/v1beta1", "Ingress"),
            Lookup::OtherVersion(_)
        ));
        assert!(matches!(lookup("v1", "ConfigMap"), Lookup::Unknown));
        assert!(matches!(
            lookup("networking.x-k8s.io/v1alpha1", "Gateway"),
            Lookup::Found(k) if k.id == KindId::SvcApiGateway && k.namespaced
        ));
        assert!(matches!(
            lookup("gateway.networking.k8s.io/v1", "Gateway"),
            Lookup::Found(k) if k.id == KindId::Gateway
        ));
        assert!(matches!(
            lookup("gateway.networking.k8s.io/v1beta1", "Gateway"),
            Lookup::Served(k, s) if k.id == KindId::Gateway && s.pruned.is_empty()
        ));
        assert!(matches!(
            lookup("gateway.networking.k8s.io/v1alpha2", "HTTPRoute"),
            Lookup::OtherVersion(k) if k.id == KindId::HttpRoute
        ));
        assert!(matches!(
            lookup("ako.vmware.com/v1alpha1", "HostRule"),
            Lookup::Served(k, s) if k.id == KindId::HostRule && !s.pruned.is_empty()
        ));
        assert!(matches!(
            lookup("ako.vmware.com/v1alpha1", "L7Rule"),
            Lookup::OtherVersion(k) if k.id == KindId::L7Rule
        ));
        assert!(matches!(
            lookup("networking.x-k8s.io/v1alpha1pre1", "Gateway"),
            Lookup::OtherVersion(k) if k.id == KindId::SvcApiGateway
        ));
        assert!(matches!(
            lookup("networking.x-k8s.io/v1alpha1", "GatewayClass"),
            Lookup::Found(k) if k.id == KindId::SvcApiGatewayClass && !k.namespaced
        ));
        assert!(matches!(
            lookup("discovery.k8s.io/v1", "EndpointSlice"),
            Lookup::Found(_)
        ));
        assert!(matches!(
            lookup("projectcalico.org/v3", "BlockAffinity"),
            Lookup::Served(k, s) if k.id == KindId::BlockAffinity && s.group == "projectcalico.org"
        ));
        assert!(matches!(
            lookup("projectcalico.org/v3", "HostRule"),
            Lookup::OtherVersion(_)
        ));
    }

    #[test]
    fn api_version_text() {
        let svc = KINDS
            .iter()
            .find(|k| k.id == KindId::Service)
            .map(Kind::api_version);
        assert_eq!(svc.as_deref(), Some("v1"));
        let ing = KINDS
            .iter()
            .find(|k| k.id == KindId::Ingress)
            .map(Kind::api_version);
        assert_eq!(ing.as_deref(), Some("networking.k8s.io/v1"));
    }
}
