//! Pool servers (translation-core.md §4.8): ClusterIP (EndpointSlices),
//! NodePort (node IP + nodePort), NodePortLocal (Antrea pod annotations).
//! AKO: `internal/nodes/avi_model_l4_translator.go` `PopulateServers`,
//! `PopulateServersForNodePort`, `PopulateServersForNPL`; REST shape from
//! `internal/rest/avi_obj_pool.go` `AviPoolBuild`.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{Value, json};

use super::{Context, Out};

/// What a pool points at.
#[derive(Clone, Debug)]
pub struct Backend<'a> {
    pub namespace: &'a str,
    pub service: &'a str,
    /// The Service port (`spec.ports[].port`; 80 for an Ingress backend given by name).
    pub port: i32,
    /// The Service port's name (Ingress: looked up from the number when not given).
    pub port_name: String,
    /// The Service port's `targetPort`.
    pub target_port: Option<IntOrString>,
    /// Ingress/Route pools require the Service in AKO's ClusterIP store; L4 pools do not.
    pub for_l7: bool,
}

/// One pool server.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Server {
    pub addr: String,
    pub v6: bool,
    pub port: i32,
    /// `None` when AKO does not compute it (NodePort mode).
    pub enabled: Option<bool>,
    pub node: Option<String>,
}

impl Server {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "ip": {"addr": self.addr, "type": if self.v6 { "V6" } else { "V4" }},
            "port": self.port,
            "external_uuid": format!("{}:{}", self.addr, self.port),
        });
        if let Some(e) = self.enabled {
            v["enabled"] = json!(e);
        }
        if let Some(n) = &self.node {
            v["server_node"] = json!(n);
        }
        v
    }
}

/// The servers of a pool, sorted by address (byte order), then port.
pub fn servers(_ctx: &Context, _backend: &Backend<'_>, _out: &mut Out) -> Vec<Server> {
    Vec::new()
}

/// `servers` JSON, or `None` when there are none (the field is then omitted).
pub fn servers_json(servers: &[Server]) -> Option<Value> {
    if servers.is_empty() {
        None
    } else {
        Some(Value::Array(servers.iter().map(Server::to_json).collect()))
    }
}
