//! AKO's own custom resources, as serde types that mirror AKO's CRD schemas
//! (`pkg/apis/ako/v1beta1`, `pkg/apis/ako/v1alpha2`, `helm/ako/crds/*.yaml`).
//!
//! Field names follow the JSON tags of AKO's Go types exactly (the API server
//! prunes unknown fields, so a misspelt field has no effect in AKO either).
//! Defaults that the API server fills from the CRD schema are applied here
//! with serde defaults, so a manifest read straight from git behaves like the
//! stored object AKO sees.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

pub mod applicationprofile;
pub mod healthmonitor;
pub mod hostrule;
pub mod httprule;
pub mod infrasetting;
pub mod l4rule;
pub mod l7rule;
pub mod routebackendextension;
pub mod ssorule;

pub use applicationprofile::ApplicationProfile;
pub use healthmonitor::HealthMonitor;
pub use hostrule::HostRule;
pub use httprule::HttpRule;
pub use infrasetting::AviInfraSetting;
pub use l4rule::L4Rule;
pub use l7rule::L7Rule;
pub use routebackendextension::RouteBackendExtension;
pub use ssorule::SsoRule;

/// API group of every AKO CRD.
pub const GROUP: &str = "ako.vmware.com";

/// `status` of every AKO CRD: `status` is `Accepted` or `Rejected`, `error`
/// says why (AKO: `internal/status/crd_status.go`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrdStatus {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub error: String,
}

/// `status.status` value of an applied CRD (`internal/lib/constants.go` `StatusAccepted`).
pub const ACCEPTED: &str = "Accepted";
/// `status.status` value of a refused CRD (`StatusRejected`).
pub const REJECTED: &str = "Rejected";

/// What every CRD type offers the compile code.
pub trait Crd: k8s_openapi::Resource {
    fn meta(&self) -> &ObjectMeta;
    fn status(&self) -> &CrdStatus;

    fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or("")
    }
    fn namespace(&self) -> &str {
        self.meta().namespace.as_deref().unwrap_or("")
    }
    /// `ns/name` (or `name` for cluster-scoped kinds).
    fn ns_name(&self) -> String {
        if self.namespace().is_empty() {
            self.name().to_string()
        } else {
            format!("{}/{}", self.namespace(), self.name())
        }
    }
}

macro_rules! crd_impl {
    ($t:ty, $kind:literal, $version:literal, $plural:literal, $scope:ty) => {
        impl $crate::kube::crd::Crd for $t {
            fn meta(&self) -> &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                &self.metadata
            }
            fn status(&self) -> &$crate::kube::crd::CrdStatus {
                &self.status
            }
        }

        $crate::kube::resource::k8s_resource!(
            $t,
            "ako.vmware.com",
            $version,
            $kind,
            $plural,
            $scope
        );
    };
}
pub(crate) use crd_impl;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostrule_defaults_and_names() {
        let hr: HostRule = serde_json::from_value(serde_json::json!({
            "apiVersion": "ako.vmware.com/v1beta1",
            "kind": "HostRule",
            "metadata": {"name": "hr", "namespace": "default"},
            "spec": {"virtualhost": {
                "fqdn": "foo.com",
                "tls": {"sslKeyCertificate": {"name": "c", "type": "ref"}, "termination": "edge"},
                "analyticsPolicy": {"fullClientLogs": {"enabled": true}},
                "tcpSettings": {"listeners": [{"port": 8443, "enableSSL": true}]},
                "icapProfile": ["i"]
            }}
        }))
        .unwrap();
        let vh = &hr.spec.virtualhost;
        assert_eq!(vh.fqdn_type, hostrule::FqdnType::Exact);
        assert_eq!(vh.tls.ssl_key_certificate.kind, "ref");
        let fcl = vh
            .analytics_policy
            .as_ref()
            .unwrap()
            .full_client_logs
            .as_ref()
            .unwrap();
        assert_eq!(fcl.throttle, "HIGH");
        assert!(vh.tcp_settings.as_ref().unwrap().listeners[0].enable_ssl);
        assert_eq!(hr.ns_name(), "default/hr");
        assert_eq!(hr.status.status, "");
    }

    #[test]
    fn httprule_enable_http2_spelling() {
        let rr: HttpRule = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "rr", "namespace": "default"},
            "spec": {"fqdn": "foo.com", "paths": [
                {"target": "/a", "enableHTTP2": true},
                {"target": "/b", "enableHttp2": true}
            ]}
        }))
        .unwrap();
        assert_eq!(rr.spec.paths[0].enable_http2, Some(true));
        // The misspelt field is pruned by the API server; AKO never sees it.
        assert_eq!(rr.spec.paths[1].enable_http2, None);
    }

    #[test]
    fn l7rule_kind_defaults_to_aviref() {
        let r: L7Rule = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "l7", "namespace": "default"},
            "spec": {"wafPolicy": {"name": "w"}}
        }))
        .unwrap();
        assert_eq!(r.spec.waf_policy.unwrap().kind, "AviRef");
        assert_eq!(r.spec.ssl_sess_cache_avg_size, Some(1024));
    }
}
