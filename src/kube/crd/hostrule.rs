//! HostRule (`hostrules.ako.vmware.com/v1beta1`). AKO:
//! `pkg/apis/ako/v1beta1/hostrule.go`, `helm/ako/crds/ako.vmware.com_hostrules.yaml`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use super::{CrdStatus, crd_impl};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostRule {
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
    pub spec: HostRuleSpec,
    #[serde(default)]
    pub status: CrdStatus,
}
crd_impl!(
    HostRule,
    "HostRule",
    "v1beta1",
    "hostrules",
    k8s_openapi::NamespaceResourceScope
);

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostRuleSpec {
    #[serde(default)]
    pub virtualhost: VirtualHost,
}

/// `fqdnType` (schema default `Exact`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FqdnType {
    #[default]
    Exact,
    Wildcard,
    Contains,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualHost {
    #[serde(default)]
    pub analytics_profile: String,
    #[serde(default)]
    pub application_profile: String,
    #[serde(default)]
    pub datascripts: Vec<String>,
    pub enable_virtual_host: Option<bool>,
    #[serde(default)]
    pub error_page_profile: String,
    #[serde(default)]
    pub fqdn: String,
    #[serde(default)]
    pub fqdn_type: FqdnType,
    #[serde(default, rename = "httpPolicy")]
    pub http_policy: HttpPolicy,
    #[serde(default)]
    pub gslb: Gslb,
    #[serde(default)]
    pub tls: Tls,
    #[serde(default, rename = "wafPolicy")]
    pub waf_policy: String,
    pub analytics_policy: Option<AnalyticsPolicy>,
    #[serde(rename = "tcpSettings")]
    pub tcp_settings: Option<TcpSettings>,
    /// `None` when the field is absent (AKO checks `Aliases != nil`).
    pub aliases: Option<Vec<String>>,
    #[serde(default, rename = "icapProfile")]
    pub icap_profile: Vec<String>,
    #[serde(default)]
    pub network_security_policy: String,
    #[serde(default, rename = "l7Rule")]
    pub l7_rule: String,
    #[serde(default)]
    pub use_regex: bool,
    #[serde(default)]
    pub application_root_path: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TcpSettings {
    #[serde(default)]
    pub listeners: Vec<TcpListener>,
    #[serde(default, rename = "loadBalancerIP")]
    pub load_balancer_ip: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TcpListener {
    #[serde(default)]
    pub port: i64,
    #[serde(default, rename = "enableSSL")]
    pub enable_ssl: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tls {
    #[serde(default)]
    pub ssl_key_certificate: SslKeyCertificate,
    #[serde(default)]
    pub ssl_profile: String,
    #[serde(default)]
    pub termination: String,
}

/// `type` is `ref` (an Avi certificate by name) or `secret` (a Kubernetes Secret).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SslKeyCertificate {
    #[serde(default)]
    pub name: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub alternate_certificate: CertRef,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CertRef {
    #[serde(default)]
    pub name: String,
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// `HostRuleSecretTypeAviReference`.
pub const CERT_REF: &str = "ref";
/// `HostRuleSecretTypeSecretReference`.
pub const CERT_SECRET: &str = "secret";

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpPolicy {
    #[serde(default)]
    pub policy_sets: Vec<String>,
    #[serde(default)]
    pub overwrite: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gslb {
    #[serde(default)]
    pub fqdn: String,
    #[serde(default)]
    pub include_aliases: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsPolicy {
    pub full_client_logs: Option<FullClientLogs>,
    /// Schema default `false`.
    #[serde(default = "some_false")]
    pub log_all_headers: Option<bool>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FullClientLogs {
    /// Schema default `false`.
    #[serde(default = "some_false")]
    pub enabled: Option<bool>,
    /// Schema default `HIGH`.
    #[serde(default = "high")]
    pub throttle: String,
    /// Schema default 0 (infinite).
    pub duration: Option<u32>,
}

pub(crate) fn some_false() -> Option<bool> {
    Some(false)
}

pub(crate) fn high() -> String {
    "HIGH".into()
}
