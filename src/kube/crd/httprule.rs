//! HTTPRule (`httprules.ako.vmware.com/v1beta1`). AKO:
//! `pkg/apis/ako/v1beta1/httprule.go`, `helm/ako/crds/ako.vmware.com_httprules.yaml`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use super::{CrdStatus, crd_impl};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRule {
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
    pub spec: HttpRuleSpec,
    #[serde(default)]
    pub status: CrdStatus,
}
crd_impl!(
    HttpRule,
    "HTTPRule",
    "v1beta1",
    "httprules",
    k8s_openapi::NamespaceResourceScope
);

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRuleSpec {
    #[serde(default)]
    pub fqdn: String,
    #[serde(default)]
    pub paths: Vec<HttpRulePath>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRulePath {
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub load_balancer_policy: LbPolicy,
    #[serde(default)]
    pub tls: PathTls,
    #[serde(default)]
    pub health_monitors: Vec<String>,
    #[serde(default)]
    pub application_persistence: String,
    /// JSON name `enableHTTP2` (AKO's Go tag).
    #[serde(rename = "enableHTTP2")]
    pub enable_http2: Option<bool>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LbPolicy {
    #[serde(default)]
    pub algorithm: String,
    #[serde(default)]
    pub hash: String,
    #[serde(default)]
    pub host_header: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathTls {
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub ssl_profile: String,
    #[serde(default)]
    pub pki_profile: String,
    #[serde(default, rename = "destinationCA")]
    pub destination_ca: String,
}
