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

use crate::cni::{BlockAffinity, CiliumNode, HostSubnet};
use crate::crd::{
    ApplicationProfile, AviInfraSetting, HealthMonitor, HostRule, HttpRule, L4Rule, L7Rule,
    RouteBackendExtension, SsoRule,
};
use crate::gateway::{Gateway, GatewayClass, HttpRoute};
use crate::model::{Obj, Origin, Snapshot};
use crate::route::Route;
use crate::services_api::{SvcApiGateway, SvcApiGatewayClass};

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

/// What an `apiVersion` + `kind` pair resolves to.
#[derive(Debug)]
pub enum Lookup {
    Found(&'static Kind),
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
            Lookup::OtherVersion(k) if k.id == KindId::Gateway
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
