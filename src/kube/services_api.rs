//! The legacy Kubernetes "services API" (`networking.x-k8s.io/v1alpha1`)
//! GatewayClass and Gateway that main AKO reads when `AKOSettings.servicesAPI`
//! is true (translation-extended.md §5.7), decoded with our own serde types.
//! They mirror the JSON tags of `sigs.k8s.io/service-apis/apis/v1alpha1`
//! (`gateway_types.go`, `gatewayclass_types.go`); `status` is accepted and
//! ignored. These are separate from the Gateway API v1 types in
//! `crate::kube::gateway`, which AKO's gateway container reads.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The GatewayClass controller main AKO serves in servicesAPI mode.
/// AKO: `internal/lib/constants.go` `SvcApiAviGatewayController`.
pub const CONTROLLER: &str = "ako.vmware.com/avi-lb";
/// Service label naming the Gateway. AKO: `SvcApiGatewayNameLabelKey`.
pub const GATEWAY_NAME_LABEL: &str = "ako.vmware.com/gateway-name";
/// Service label naming the Gateway namespace. AKO:
/// `SvcApiGatewayNamespaceLabelKey`.
pub const GATEWAY_NAMESPACE_LABEL: &str = "ako.vmware.com/gateway-namespace";

macro_rules! resource {
    ($ty:ident, $kind:literal, $plural:literal, $scope:ty) => {
        crate::kube::resource::k8s_resource!(
            $ty,
            "networking.x-k8s.io",
            "v1alpha1",
            $kind,
            $plural,
            $scope
        );
    };
}

/// v1alpha1 `GatewayClass` (cluster-scoped).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SvcApiGatewayClass {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: GatewayClassSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayClassSpec {
    #[serde(default)]
    pub controller: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters_ref: Option<LocalObjectReference>,
}

/// `LocalObjectReference` of the v1alpha1 API.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalObjectReference {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

/// v1alpha1 `Gateway` (namespaced).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SvcApiGateway {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: GatewaySpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewaySpec {
    #[serde(default)]
    pub gateway_class_name: String,
    #[serde(default)]
    pub listeners: Vec<Listener>,
    #[serde(default)]
    pub addresses: Vec<GatewayAddress>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Listener {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    #[serde(default)]
    pub port: i32,
    #[serde(default)]
    pub protocol: String,
    /// Not read by AKO's L4 translation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<Value>,
    #[serde(default)]
    pub routes: RouteBindingSelector,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteBindingSelector {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default)]
    pub kind: String,
}

impl RouteBindingSelector {
    /// `selector.matchLabels`, empty when absent.
    pub fn match_labels(&self) -> BTreeMap<String, String> {
        self.selector
            .as_ref()
            .and_then(|s| s.match_labels.clone())
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayAddress {
    /// CRD default `IPAddress` (`+kubebuilder:default=IPAddress`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    #[serde(default)]
    pub value: String,
}

impl GatewayAddress {
    /// The address type after the API server's CRD default.
    pub fn effective_type(&self) -> &str {
        match self.type_.as_deref() {
            None | Some("") => "IPAddress",
            Some(t) => t,
        }
    }
}

resource!(
    SvcApiGatewayClass,
    "GatewayClass",
    "gatewayclasses",
    k8s_openapi::ClusterResourceScope
);
resource!(
    SvcApiGateway,
    "Gateway",
    "gateways",
    k8s_openapi::NamespaceResourceScope
);
