//! L4Rule (`l4rules.ako.vmware.com/v1alpha2`). AKO:
//! `pkg/apis/ako/v1alpha2/l4rule.go`, `common.go`,
//! `helm/ako/crds/ako.vmware.com_l4rules.yaml` (schema defaults applied here).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use super::{CrdStatus, crd_impl};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L4Rule {
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
    pub spec: L4RuleSpec,
    #[serde(default)]
    pub status: CrdStatus,
}
crd_impl!(
    L4Rule,
    "L4Rule",
    "v1alpha2",
    "l4rules",
    k8s_openapi::NamespaceResourceScope
);

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L4RuleSpec {
    pub analytics_policy: Option<L4AnalyticsPolicy>,
    /// Schema default `System-Analytics-Profile`.
    #[serde(default = "default_analytics_profile")]
    pub analytics_profile_ref: Option<String>,
    /// Schema default `System-L4-Application`.
    #[serde(default = "default_app_profile")]
    pub application_profile_ref: Option<String>,
    #[serde(default)]
    pub backend_properties: Vec<BackendProperties>,
    #[serde(default, rename = "listenerProperties")]
    pub services: Vec<ListenerProperty>,
    #[serde(rename = "loadBalancerIP")]
    pub load_balancer_ip: Option<String>,
    /// Schema default `System-TCP-Proxy`.
    #[serde(default = "default_network_profile")]
    pub network_profile_ref: Option<String>,
    pub network_security_policy_ref: Option<String>,
    pub performance_limits: Option<PerformanceLimits>,
    pub security_policy_ref: Option<String>,
    #[serde(default)]
    pub ssl_key_and_certificate_refs: Vec<String>,
    pub ssl_profile_ref: Option<String>,
    #[serde(default)]
    pub vs_datascript_refs: Vec<String>,
    /// Schema default `false`.
    #[serde(default = "super::hostrule::some_false")]
    pub revoke_vip_route: Option<bool>,
}

impl Default for L4RuleSpec {
    /// The spec of `spec: {}` after schema defaulting.
    fn default() -> Self {
        L4RuleSpec {
            analytics_policy: None,
            analytics_profile_ref: default_analytics_profile(),
            application_profile_ref: default_app_profile(),
            backend_properties: Vec::new(),
            services: Vec::new(),
            load_balancer_ip: None,
            network_profile_ref: default_network_profile(),
            network_security_policy_ref: None,
            performance_limits: None,
            security_policy_ref: None,
            ssl_key_and_certificate_refs: Vec::new(),
            ssl_profile_ref: None,
            vs_datascript_refs: Vec::new(),
            revoke_vip_route: Some(false),
        }
    }
}

fn default_analytics_profile() -> Option<String> {
    s("System-Analytics-Profile")
}
fn default_app_profile() -> Option<String> {
    s("System-L4-Application")
}
fn default_network_profile() -> Option<String> {
    s("System-TCP-Proxy")
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L4AnalyticsPolicy {
    pub full_client_logs: Option<L4FullClientLogs>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L4FullClientLogs {
    /// Schema default 30.
    #[serde(default = "d30")]
    pub duration: Option<u32>,
    pub enabled: Option<bool>,
    /// Schema default 10.
    #[serde(default = "d10")]
    pub throttle: Option<u32>,
}

fn d30() -> Option<u32> {
    Some(30)
}
fn d10() -> Option<u32> {
    Some(10)
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceLimits {
    pub max_concurrent_connections: Option<i32>,
    pub max_throughput: Option<i32>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListenerProperty {
    /// Schema default `false`.
    #[serde(default = "super::hostrule::some_false")]
    pub enable_ssl: Option<bool>,
    pub port: Option<u32>,
    pub protocol: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendProperties {
    pub analytics_policy: Option<PoolAnalyticsPolicy>,
    pub application_persistence_profile_ref: Option<String>,
    /// Schema default `true`.
    #[serde(default = "some_true")]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub health_monitor_refs: Vec<String>,
    #[serde(default)]
    pub health_monitor_crd_refs: Vec<String>,
    /// Schema default `LB_ALGORITHM_LEAST_CONNECTIONS`.
    #[serde(default = "default_lb")]
    pub lb_algorithm: Option<String>,
    pub lb_algorithm_consistent_hash_hdr: Option<String>,
    pub lb_algorithm_hash: Option<String>,
    pub min_servers_up: Option<u32>,
    pub pki_profile_ref: Option<String>,
    pub port: Option<i64>,
    pub protocol: Option<String>,
    pub ssl_key_and_certificate_ref: Option<String>,
    pub ssl_profile_ref: Option<String>,
}

fn some_true() -> Option<bool> {
    Some(true)
}
fn default_lb() -> Option<String> {
    s("LB_ALGORITHM_LEAST_CONNECTIONS")
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolAnalyticsPolicy {
    /// Schema default `false`.
    #[serde(default = "super::hostrule::some_false")]
    pub enable_realtime_metrics: Option<bool>,
}
