//! L7Rule (`l7rules.ako.vmware.com/v1alpha2`). AKO:
//! `pkg/apis/ako/v1alpha2/l7rule.go`, `helm/ako/crds/ako_vmware.com_l7rules.yaml`
//! (schema defaults applied here).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use super::hostrule::{high, some_false};
use super::l4rule::PerformanceLimits;
use super::{CrdStatus, crd_impl};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L7Rule {
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
    pub spec: L7RuleSpec,
    #[serde(default)]
    pub status: CrdStatus,
}
crd_impl!(
    L7Rule,
    "L7Rule",
    "v1alpha2",
    "l7rules",
    k8s_openapi::NamespaceResourceScope
);

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L7RuleSpec {
    #[serde(default = "some_false")]
    pub allow_invalid_client_cert: Option<bool>,
    pub bot_policy_ref: Option<String>,
    #[serde(default = "some_false")]
    pub close_client_conn_on_config_update: Option<bool>,
    pub host_name_xlate: Option<String>,
    #[serde(default = "some_false")]
    pub ign_pool_net_reach: Option<bool>,
    pub min_pools_up: Option<u32>,
    pub performance_limits: Option<PerformanceLimits>,
    #[serde(default = "some_false")]
    pub remove_listening_port_on_vs_down: Option<bool>,
    pub security_policy_ref: Option<String>,
    /// Schema default 1024.
    #[serde(default = "d1024")]
    pub ssl_sess_cache_avg_size: Option<u32>,
    pub traffic_clone_profile_ref: Option<String>,
    pub analytics_profile: Option<KindName>,
    pub application_profile: Option<KindName>,
    pub waf_policy: Option<KindName>,
    pub icap_profile: Option<KindName>,
    pub error_page_profile: Option<KindName>,
    pub http_policy: Option<L7HttpPolicy>,
    pub analytics_policy: Option<L7AnalyticsPolicy>,
}

impl Default for L7RuleSpec {
    /// The spec of `spec: {}` after schema defaulting.
    fn default() -> Self {
        L7RuleSpec {
            allow_invalid_client_cert: some_false(),
            bot_policy_ref: None,
            close_client_conn_on_config_update: some_false(),
            host_name_xlate: None,
            ign_pool_net_reach: some_false(),
            min_pools_up: None,
            performance_limits: None,
            remove_listening_port_on_vs_down: some_false(),
            security_policy_ref: None,
            ssl_sess_cache_avg_size: d1024(),
            traffic_clone_profile_ref: None,
            analytics_profile: None,
            application_profile: None,
            waf_policy: None,
            icap_profile: None,
            error_page_profile: None,
            http_policy: None,
            analytics_policy: None,
        }
    }
}

fn d1024() -> Option<u32> {
    Some(1024)
}

/// `{kind, name}`; `kind` defaults to `AviRef` (schema).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct KindName {
    #[serde(default = "avi_ref")]
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

fn avi_ref() -> String {
    "AviRef".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L7HttpPolicy {
    #[serde(default)]
    pub policy_sets: Vec<String>,
    #[serde(default = "some_false")]
    pub overwrite: Option<bool>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L7AnalyticsPolicy {
    pub full_client_logs: Option<L7FullClientLogs>,
    #[serde(default = "some_false")]
    pub log_all_headers: Option<bool>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L7FullClientLogs {
    #[serde(default = "some_false")]
    pub enabled: Option<bool>,
    #[serde(default = "high")]
    pub throttle: String,
    pub duration: Option<u32>,
}
