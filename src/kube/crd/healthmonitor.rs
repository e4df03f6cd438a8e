//! HealthMonitor (`healthmonitors.ako.vmware.com/v1alpha1`), a CRD of the
//! separate ako-crd-operator (translation-extended.md §2.8; AKO:
//! `helm/ako/crds/ako.vmware.com_healthmonitors.yaml`,
//! `ako-crd-operator/api/v1alpha1`).
//!
//! The operator creates the Avi health monitor and writes its UUID, tenant and
//! conditions into `status`; AKO only reads them when an L4Rule names the
//! HealthMonitor in `backendProperties[].healthMonitorCrdRefs`. The `spec`
//! carries Avi field names as they are and is kept as JSON.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthMonitor {
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
    pub spec: serde_json::Value,
    /// `None` when the operator has not written a status yet.
    #[serde(default)]
    pub status: Option<HealthMonitorStatus>,
}

/// What the operator reports (`ako-crd-operator/api/v1alpha1`
/// `HealthMonitorStatus`, `ApplicationProfileStatus`: the same fields).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthMonitorStatus {
    #[serde(default)]
    pub uuid: String,
    #[serde(default)]
    pub tenant: String,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// The Avi object's name (read by AKO for ApplicationProfiles).
    #[serde(default)]
    pub backend_object_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependency_sum: Option<u32>,
}

/// A `metav1.Condition`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

impl HealthMonitorStatus {
    /// A condition of this `type` with this `status`.
    fn has(&self, kind: &str, status: &str) -> bool {
        self.conditions
            .iter()
            .any(|c| c.kind == kind && c.status == status)
    }

    /// `Programmed=True`: the Avi object exists.
    pub fn programmed(&self) -> bool {
        self.has("Programmed", "True")
    }

    /// `Deleted=False`, which AKO reads as "being deleted"
    /// (`lib.IsHealthMonitorProcessedWithOptions`).
    pub fn being_deleted(&self) -> bool {
        self.has("Deleted", "False")
    }

    /// The operator wrote the status for `tenant` (the consumer's
    /// namespace tenant) and gave it conditions.
    pub fn processed_for(&self, tenant: &str) -> bool {
        !self.tenant.is_empty() && self.tenant == tenant && !self.conditions.is_empty()
    }
}

impl HealthMonitor {
    /// `spec.type`, e.g. `HEALTH_MONITOR_TCP`.
    pub fn monitor_type(&self) -> Option<&str> {
        self.spec.get("type").and_then(serde_json::Value::as_str)
    }
}

crate::kube::resource::k8s_resource!(
    HealthMonitor,
    "ako.vmware.com",
    "v1alpha1",
    "HealthMonitor",
    "healthmonitors",
    k8s_openapi::NamespaceResourceScope
);
