//! AviInfraSetting (`aviinfrasettings.ako.vmware.com/v1beta1`, cluster-scoped).
//! AKO: `pkg/apis/ako/v1beta1/aviinfrasetting.go`,
//! `helm/ako/crds/ako.vmware.com_aviinfrasettings.yaml`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use super::{CrdStatus, crd_impl};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AviInfraSetting {
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
    pub spec: InfraSpec,
    #[serde(default)]
    pub status: CrdStatus,
}
crd_impl!(
    AviInfraSetting,
    "AviInfraSetting",
    "v1beta1",
    "aviinfrasettings",
    k8s_openapi::ClusterResourceScope
);

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InfraSpec {
    #[serde(default)]
    pub network: InfraNetwork,
    #[serde(default)]
    pub se_group: SeGroup,
    #[serde(default, rename = "l7Settings")]
    pub l7_settings: L7Settings,
    #[serde(default)]
    pub nsx_settings: NsxSettings,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NsxSettings {
    pub t1lr: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InfraNetwork {
    #[serde(default)]
    pub vip_networks: Vec<VipNetwork>,
    #[serde(default)]
    pub node_networks: Vec<NodeNetwork>,
    pub enable_rhi: Option<bool>,
    #[serde(rename = "enablePublicIP")]
    pub enable_public_ip: Option<bool>,
    #[serde(default)]
    pub bgp_peer_labels: Vec<String>,
    #[serde(default)]
    pub listeners: Vec<Listener>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Listener {
    pub port: Option<i64>,
    #[serde(rename = "enableSSL")]
    pub enable_ssl: Option<bool>,
    #[serde(rename = "enableHTTP2")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct VipNetwork {
    #[serde(default, rename = "networkName")]
    pub network_name: String,
    #[serde(default, rename = "networkUUID")]
    pub network_uuid: String,
    #[serde(default)]
    pub cidr: String,
    #[serde(default)]
    pub v6cidr: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NodeNetwork {
    #[serde(default, rename = "networkName")]
    pub network_name: String,
    #[serde(default, rename = "networkUUID")]
    pub network_uuid: String,
    #[serde(default)]
    pub cidrs: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SeGroup {
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L7Settings {
    #[serde(default)]
    pub shard_size: String,
}
