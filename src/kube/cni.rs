//! The objects in which some CNIs keep a node's pod CIDRs, decoded with our
//! own serde types. AKO reads them, one kind per `cniPlugin` value, to build
//! its static routes (`internal/lib/dynamic_client.go` `GetPodCIDR`, with the
//! resources `CalicoBlockaffinityGVR`, `HostSubnetGVR` and `CiliumNodeGVR`):
//!
//! - `calico`: `crd.projectcalico.org/v1` BlockAffinity (`spec.node`, `spec.cidr`);
//!   a `projectcalico.org/v3` BlockAffinity (Calico's API server) is the same
//!   stored object and is read as such (`input::registry::SERVED`);
//! - `openshift`: `network.openshift.io/v1` HostSubnet (top-level `host`, `subnet`);
//! - `cilium`: `cilium.io/v2` CiliumNode (`metadata.name`, `spec.ipam.podCIDRs`).
//!
//! AKO reads these through its dynamic client as unstructured maps and looks
//! at nothing else, so every other field is accepted and kept aside without a
//! warning: these objects are written by the CNI, not by users.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Fields AKO does not read, kept as they came.
pub type Other = BTreeMap<String, Value>;

/// Calico `BlockAffinity` (cluster-scoped): one IPAM block of pod addresses
/// affine to a node.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockAffinity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: BlockAffinitySpec,
    #[serde(flatten)]
    pub other: Other,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BlockAffinitySpec {
    /// The node the block belongs to.
    #[serde(default)]
    pub node: String,
    /// The block, e.g. `10.244.97.128/26`.
    #[serde(default)]
    pub cidr: String,
    /// `state`, `deleted`, ...: not read by AKO.
    #[serde(flatten)]
    pub other: Other,
}

crate::kube::resource::k8s_resource!(
    BlockAffinity,
    "crd.projectcalico.org",
    "v1",
    "BlockAffinity",
    "blockaffinities",
    k8s_openapi::ClusterResourceScope
);

/// OpenShift SDN `HostSubnet` (cluster-scoped; its fields sit at the top
/// level, there is no `spec`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostSubnet {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The node name. `None` when absent or not a string.
    #[serde(default, deserialize_with = "string_or_none")]
    pub host: Option<String>,
    /// The node's pod subnet. `None` when absent or not a string.
    #[serde(default, deserialize_with = "string_or_none")]
    pub subnet: Option<String>,
    /// `hostIP`, `egressIPs`, `egressCIDRs`: not read by AKO.
    #[serde(flatten)]
    pub other: Other,
}

crate::kube::resource::k8s_resource!(
    HostSubnet,
    "network.openshift.io",
    "v1",
    "HostSubnet",
    "hostsubnets",
    k8s_openapi::ClusterResourceScope
);

/// Cilium `CiliumNode` (cluster-scoped, named after its node).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CiliumNode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: CiliumNodeSpec,
    /// `status` and anything else: not read by AKO.
    #[serde(flatten)]
    pub other: Other,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CiliumNodeSpec {
    /// `None` when the object has no `spec.ipam` mapping.
    #[serde(default)]
    pub ipam: Option<CiliumIpam>,
    #[serde(flatten)]
    pub other: Other,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CiliumIpam {
    /// `None` when `podCIDRs` is absent.
    #[serde(default, rename = "podCIDRs")]
    pub pod_cidrs: Option<Vec<String>>,
    #[serde(flatten)]
    pub other: Other,
}

crate::kube::resource::k8s_resource!(
    CiliumNode,
    "cilium.io",
    "v2",
    "CiliumNode",
    "ciliumnodes",
    k8s_openapi::ClusterResourceScope
);

/// A string, or `None` for anything else (AKO's `.(string)` assertion fails).
fn string_or_none<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(de)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_what_ako_reads_and_keeps_the_rest() {
        let b: BlockAffinity = serde_json::from_value(json!({
            "apiVersion": "crd.projectcalico.org/v1", "kind": "BlockAffinity",
            "metadata": {"name": "worker-1-10-244-97-128-26"},
            "spec": {"cidr": "10.244.97.128/26", "deleted": "false", "node": "worker-1", "state": "confirmed"}
        }))
        .unwrap_or_default();
        assert_eq!(b.spec.node, "worker-1");
        assert_eq!(b.spec.cidr, "10.244.97.128/26");
        assert_eq!(b.spec.other.get("state"), Some(&json!("confirmed")));

        let h: HostSubnet = serde_json::from_value(json!({
            "apiVersion": "network.openshift.io/v1", "kind": "HostSubnet",
            "metadata": {"name": "worker-1"},
            "host": "worker-1", "hostIP": "10.0.0.11", "subnet": "10.128.2.0/23", "egressIPs": []
        }))
        .unwrap_or_default();
        assert_eq!(h.host.as_deref(), Some("worker-1"));
        assert_eq!(h.subnet.as_deref(), Some("10.128.2.0/23"));
        let h: HostSubnet = serde_json::from_value(json!({"metadata": {"name": "x"}, "host": 3}))
            .unwrap_or_default();
        assert_eq!(h.host, None);

        let c: CiliumNode = serde_json::from_value(json!({
            "apiVersion": "cilium.io/v2", "kind": "CiliumNode",
            "metadata": {"name": "worker-1"},
            "spec": {"addresses": [{"ip": "10.0.0.11", "type": "InternalIP"}],
                     "ipam": {"podCIDRs": ["10.0.1.0/24"], "pools": {}}},
            "status": {"ipam": {}}
        }))
        .unwrap_or_default();
        let ipam = c.spec.ipam.unwrap_or_default();
        assert_eq!(ipam.pod_cidrs, Some(vec!["10.0.1.0/24".to_string()]));
    }
}
