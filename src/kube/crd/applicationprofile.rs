//! ApplicationProfile (`applicationprofiles.ako.vmware.com/v1alpha1`), a CRD
//! of the separate ako-crd-operator (translation-extended.md §2.8; AKO:
//! `ako-crd-operator/api/v1alpha1/applicationprofile_types.go`).
//!
//! The operator creates the Avi application profile and writes its UUID,
//! tenant, name and conditions into `status`; AKO's gateway container only
//! reads that status when an HTTPRoute rule names the profile in an
//! ExtensionRef filter. The `spec` carries Avi field names as they are and is
//! kept as JSON.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use super::healthmonitor::HealthMonitorStatus;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationProfile {
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

crate::kube::resource::k8s_resource!(
    ApplicationProfile,
    "ako.vmware.com",
    "v1alpha1",
    "ApplicationProfile",
    "applicationprofiles",
    k8s_openapi::NamespaceResourceScope
);
