//! OpenShift Route (`route.openshift.io/v1`), decoded with our own serde types
//! (only the fields AKO reads; unknown fields are ignored).
//! AKO reads it through `github.com/openshift/api/route/v1` in
//! `internal/nodes/validator.go` `ParseHostPathForRoute`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
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
    pub spec: RouteSpec,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteSpec {
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub subdomain: String,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub to: RouteTarget,
    #[serde(default)]
    pub alternate_backends: Vec<RouteTarget>,
    pub port: Option<RoutePort>,
    pub tls: Option<TlsConfig>,
    /// Never read by AKO: a Route is always handled as its literal host.
    pub wildcard_policy: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteTarget {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    pub weight: Option<i32>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutePort {
    pub target_port: IntOrString,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsConfig {
    #[serde(default)]
    pub termination: String,
    #[serde(default)]
    pub certificate: String,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub ca_certificate: String,
    #[serde(default, rename = "destinationCACertificate")]
    pub destination_ca_certificate: String,
    #[serde(default)]
    pub insecure_edge_termination_policy: String,
}

crate::kube::resource::k8s_resource!(
    Route,
    "route.openshift.io",
    "v1",
    "Route",
    "routes",
    k8s_openapi::NamespaceResourceScope
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_fields_akos_reads() {
        let r: Route = serde_json::from_value(serde_json::json!({
            "apiVersion": "route.openshift.io/v1", "kind": "Route",
            "metadata": {"name": "r", "namespace": "default"},
            "spec": {"host": "foo.com", "path": "/a", "to": {"kind": "Service", "name": "s", "weight": 0},
                     "alternateBackends": [{"kind": "Service", "name": "t"}],
                     "port": {"targetPort": "web"},
                     "tls": {"termination": "edge", "insecureEdgeTerminationPolicy": "Redirect",
                             "destinationCACertificate": "D", "caCertificate": "C"},
                     "wildcardPolicy": "Subdomain", "unknown": 1}
        }))
        .unwrap_or_default();
        assert_eq!(r.spec.host, "foo.com");
        assert_eq!(r.spec.to.weight, Some(0));
        assert_eq!(r.spec.alternate_backends[0].weight, None);
        assert_eq!(
            r.spec.port.map(|p| p.target_port),
            Some(IntOrString::String("web".into()))
        );
        let tls = r.spec.tls.unwrap_or_default();
        assert_eq!(tls.termination, "edge");
        assert_eq!(tls.insecure_edge_termination_policy, "Redirect");
        assert_eq!(tls.destination_ca_certificate, "D");
        assert_eq!(tls.ca_certificate, "C");
    }
}
