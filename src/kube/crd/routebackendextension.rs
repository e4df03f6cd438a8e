//! RouteBackendExtension (`routebackendextensions.ako.vmware.com/v1alpha1`),
//! a CRD of the separate ako-crd-operator (translation-extended.md §2.8,
//! §5.4; AKO: `ako-crd-operator/api/v1alpha1/routebackendextension_types.go`).
//!
//! It creates no Avi object: the operator only validates it (`status.status`,
//! `status.controller`) and AKO's gateway container folds its spec into the
//! pools of the HTTPRoute backends that name it in an ExtensionRef filter.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteBackendExtension {
    #[serde(
        default,
        rename = "apiVersion",
        skip_serializing_if = "Option::is_none"
    )]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: RouteBackendExtensionSpec,
    /// `None` when the operator has not written a status yet.
    #[serde(default)]
    pub status: Option<RouteBackendExtensionStatus>,
}

fn default_lb_algorithm() -> Option<String> {
    Some("LB_ALGORITHM_LEAST_CONNECTIONS".into())
}

/// `RouteBackendExtensionSpec`; `lbAlgorithm` has the schema default
/// `LB_ALGORITHM_LEAST_CONNECTIONS` (`+kubebuilder:default`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteBackendExtensionSpec {
    #[serde(default = "default_lb_algorithm")]
    pub lb_algorithm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lb_algorithm_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lb_algorithm_consistent_hash_hdr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistence_profile: Option<String>,
    #[serde(default)]
    pub health_monitor: Vec<KindName>,
    #[serde(
        default,
        rename = "backendTLS",
        skip_serializing_if = "Option::is_none"
    )]
    pub backend_tls: Option<BackendTls>,
}

impl Default for RouteBackendExtensionSpec {
    fn default() -> Self {
        RouteBackendExtensionSpec {
            lb_algorithm: default_lb_algorithm(),
            lb_algorithm_hash: None,
            lb_algorithm_consistent_hash_hdr: None,
            persistence_profile: None,
            health_monitor: Vec::new(),
            backend_tls: None,
        }
    }
}

/// `BackendHealthMonitor` / `BackendPKIProfile`: `kind` (`AVIREF` or `CRD`)
/// and name.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KindName {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

/// `BackendTLS`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendTls {
    #[serde(
        default,
        rename = "pkiProfile",
        skip_serializing_if = "Option::is_none"
    )]
    pub pki_profile: Option<KindName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_check_enabled: Option<bool>,
    #[serde(default)]
    pub domain_name: Vec<String>,
}

/// `RouteBackendExtensionStatus`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteBackendExtensionStatus {
    #[serde(default)]
    pub controller: String,
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub status: String,
}

crate::kube::resource::k8s_resource!(
    RouteBackendExtension,
    "ako.vmware.com",
    "v1alpha1",
    "RouteBackendExtension",
    "routebackendextensions",
    k8s_openapi::NamespaceResourceScope
);
