//! AKO's settings as a running AKO sees them: the ConfigMap `avi-k8s-config`
//! and the environment of the `ako` container of the StatefulSet `ako` in
//! AKO's namespace, or, when AKO was installed by the ako-operator and those
//! cannot be read, its `AKOConfig` object.
//!
//! The result is a values tree shaped like AKO's helm `values.yaml`, each leaf
//! remembering where it was read ([`Src::Cluster`]), so that it goes through
//! the same loader as a values file ([`super::values::load_over`]) and
//! every value takes the same getter as in a chart install.
//!
//! Pure: the caller fetches the objects (`crate::cluster::ako`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::tree::{Node, Src, Val};

/// The ConfigMap AKO reads (`helm/ako/templates/configmap.yaml`;
/// ako-operator `internal/controller/utils.go` `ConfigMapName`).
pub const CONFIGMAP: &str = "avi-k8s-config";
/// AKO's StatefulSet (`helm/ako/templates/statefulset.yaml`; ako-operator
/// `StatefulSetName`).
pub const STATEFULSET: &str = "ako";
/// The AKO container (`.Chart.Name`; ako-operator `statefulset.go`).
pub const AKO_CONTAINER: &str = "ako";
/// The Gateway API container, present iff `featureGates.GatewayAPI`
/// (`helm/ako/templates/statefulset.yaml`).
pub const GATEWAY_CONTAINER: &str = "ako-gateway-api";
/// The Secret holding the controller credentials (`helm/ako/templates/secret.yaml`).
pub const AVI_SECRET: &str = "avi-secret";

/// How a value is written in the ConfigMap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A quoted scalar.
    Text,
    /// `mustToJson` of a list (`json.Unmarshal` by AKO).
    Json,
}

/// Environment variable of the `ako` container, the ConfigMap key the chart
/// takes it from, and the helm values path it renders
/// (`helm/ako/templates/statefulset.yaml`, `configmap.yaml`).
const ENV: &[(&str, &str, &str, Shape)] = &[
    (
        "CTRL_IPADDRESS",
        "controllerIP",
        "ControllerSettings.controllerHost",
        Shape::Text,
    ),
    (
        "CTRL_VERSION",
        "controllerVersion",
        "ControllerSettings.controllerVersion",
        Shape::Text,
    ),
    (
        "CNI_PLUGIN",
        "cniPlugin",
        "AKOSettings.cniPlugin",
        Shape::Text,
    ),
    (
        "ISTIO_ENABLED",
        "istioEnabled",
        "AKOSettings.istioEnabled",
        Shape::Text,
    ),
    (
        "VIP_PER_NAMESPACE",
        "vipPerNamespace",
        "AKOSettings.vipPerNamespace",
        Shape::Text,
    ),
    (
        "SHARD_VS_SIZE",
        "shardVSSize",
        "L7Settings.shardVSSize",
        Shape::Text,
    ),
    (
        "PASSTHROUGH_SHARD_SIZE",
        "passthroughShardSize",
        "L7Settings.passthroughShardSize",
        Shape::Text,
    ),
    (
        "FULL_SYNC_INTERVAL",
        "fullSyncFrequency",
        "AKOSettings.fullSyncFrequency",
        Shape::Text,
    ),
    (
        "PRIMARY_AKO_FLAG",
        "primaryInstance",
        "AKOSettings.primaryInstance",
        Shape::Text,
    ),
    (
        "CLOUD_NAME",
        "cloudName",
        "ControllerSettings.cloudName",
        Shape::Text,
    ),
    (
        "TENANT_NAME",
        "tenantName",
        "ControllerSettings.tenantName",
        Shape::Text,
    ),
    (
        "DEDICATED_TENANT_MODE",
        "dedicatedTenantMode",
        "ControllerSettings.dedicatedTenantMode",
        Shape::Text,
    ),
    (
        "VRF_NAME",
        "vrfName",
        "ControllerSettings.vrfName",
        Shape::Text,
    ),
    (
        "CLUSTER_NAME",
        "clusterName",
        "AKOSettings.clusterName",
        Shape::Text,
    ),
    (
        "ENABLE_RHI",
        "enableRHI",
        "NetworkSettings.enableRHI",
        Shape::Text,
    ),
    (
        "ENABLE_EVH",
        "enableEVH",
        "AKOSettings.enableEVH",
        Shape::Text,
    ),
    (
        "SERVICES_API",
        "servicesAPI",
        "AKOSettings.servicesAPI",
        Shape::Text,
    ),
    (
        "DEFAULT_DOMAIN",
        "defaultDomain",
        "NetworkSettings.defaultDomain",
        Shape::Text,
    ),
    (
        "DISABLE_STATIC_ROUTE_SYNC",
        "disableStaticRouteSync",
        "AKOSettings.disableStaticRouteSync",
        Shape::Text,
    ),
    (
        "NSXT_T1_LR",
        "nsxtT1LR",
        "NetworkSettings.nsxtT1LR",
        Shape::Text,
    ),
    (
        "NAMESPACE_SYNC_LABEL_KEY",
        "nsSyncLabelKey",
        "AKOSettings.namespaceSelector.labelKey",
        Shape::Text,
    ),
    (
        "NAMESPACE_SYNC_LABEL_VALUE",
        "nsSyncLabelValue",
        "AKOSettings.namespaceSelector.labelValue",
        Shape::Text,
    ),
    (
        "DEFAULT_ING_CONTROLLER",
        "defaultIngController",
        "L7Settings.defaultIngController",
        Shape::Text,
    ),
    (
        "DEFAULT_LB_CONTROLLER",
        "defaultLBController",
        "L4Settings.defaultLBController",
        Shape::Text,
    ),
    (
        "SEG_NAME",
        "serviceEngineGroupName",
        "ControllerSettings.serviceEngineGroupName",
        Shape::Text,
    ),
    (
        "BGP_PEER_LABELS",
        "bgpPeerLabels",
        "NetworkSettings.bgpPeerLabels",
        Shape::Json,
    ),
    (
        "NODE_NETWORK_LIST",
        "nodeNetworkList",
        "NetworkSettings.nodeNetworkList",
        Shape::Json,
    ),
    (
        "VIP_NETWORK_LIST",
        "vipNetworkList",
        "NetworkSettings.vipNetworkList",
        Shape::Json,
    ),
    (
        "AKO_API_PORT",
        "apiServerPort",
        "AKOSettings.apiServerPort",
        Shape::Text,
    ),
    (
        "SERVICE_TYPE",
        "serviceType",
        "L7Settings.serviceType",
        Shape::Text,
    ),
    ("NODE_KEY", "nodeKey", "nodePortSelector.key", Shape::Text),
    (
        "NODE_VALUE",
        "nodeValue",
        "nodePortSelector.value",
        Shape::Text,
    ),
    (
        "AUTO_L4_FQDN",
        "autoFQDN",
        "L4Settings.autoFQDN",
        Shape::Text,
    ),
    (
        "MCI_ENABLED",
        "enableMCI",
        "L7Settings.enableMCI",
        Shape::Text,
    ),
    (
        "BLOCKED_NS_LIST",
        "blockedNamespaceList",
        "AKOSettings.blockedNamespaceList",
        Shape::Json,
    ),
    ("IP_FAMILY", "ipFamily", "AKOSettings.ipFamily", Shape::Text),
    (
        "USE_DEFAULT_SECRETS_ONLY",
        "useDefaultSecretsOnly",
        "AKOSettings.useDefaultSecretsOnly",
        Shape::Text,
    ),
    ("VPC_MODE", "vpcMode", "AKOSettings.vpcMode", Shape::Text),
    (
        "PROMETHEUS_ENABLED",
        "enablePrometheus",
        "featureGates.EnablePrometheus",
        Shape::Text,
    ),
    (
        "FQDN_REUSE_POLICY",
        "fqdnReusePolicy",
        "L7Settings.fqdnReusePolicy",
        Shape::Text,
    ),
    (
        "AKO_CRD_OPERATOR_ENABLED",
        "akoCRDOperatorEnabled",
        "ako-crd-operator.enabled",
        Shape::Text,
    ),
];

/// ConfigMap keys AKO reads from the ConfigMap itself, not from its
/// environment (`internal/k8s/ako_init.go`: `cm.Data[lib.LOG_LEVEL]`,
/// `EnableEvents`, `LAYER7_ONLY`, `NO_PG_FOR_SNI`, `DeleteConfig`).
const CONFIGMAP_ONLY: &[(&str, &str)] = &[
    ("logLevel", "AKOSettings.logLevel"),
    ("enableEvents", "AKOSettings.enableEvents"),
    ("layer7Only", "AKOSettings.layer7Only"),
    ("noPGForSNI", "L7Settings.noPGForSNI"),
    ("deleteConfig", "AKOSettings.deleteConfig"),
];

/// The objects read from AKO's namespace, as the API server returned them
/// (`None`: not found, not readable, or not asked for).
#[derive(Clone, Debug, Default)]
pub struct AkoObjects {
    /// AKO's namespace.
    pub namespace: String,
    pub configmap: Option<Value>,
    pub statefulset: Option<Value>,
    /// The first `AKOConfig` (ako-operator) in AKO's namespace.
    pub akoconfig: Option<Value>,
}

/// Settings found in the cluster, as a values tree.
#[derive(Clone, Debug)]
pub struct FromCluster {
    /// Shaped like AKO's helm values; every leaf a [`Src::Cluster`].
    pub tree: Node,
    /// The image of the `ako` container, when the StatefulSet was read
    /// (`projects.packages.broadcom.com/ako/ako:2.2.1`).
    pub image: Option<String>,
    /// What the settings were read from, for messages
    /// (`ConfigMap avi-system/avi-k8s-config and StatefulSet avi-system/ako`).
    pub described: String,
    /// Things worth telling (a ConfigMap reference to another ConfigMap, no
    /// StatefulSet, ...), one sentence each.
    pub notes: Vec<String>,
}

/// The values tree of what `objects` hold, or `None` when neither the
/// ConfigMap nor an `AKOConfig` was found.
///
/// Order of precedence, as AKO sees its settings: the `ako` container's
/// environment (literal `value`s, and `configMapKeyRef`s into
/// `avi-k8s-config`), then, without a StatefulSet, the ConfigMap's keys under
/// the names the chart passes them; without a ConfigMap, the ConfigMap the
/// ako-operator would build from the `AKOConfig`
/// (`ako-operator/internal/controller/configmap.go` `BuildConfigMap`).
pub fn from_cluster(objects: &AkoObjects) -> Option<FromCluster> {
    let ns = &objects.namespace;
    let mut notes = Vec::new();
    let (data, cm_label, from_akoconfig) = match (&objects.configmap, &objects.akoconfig) {
        (Some(cm), _) => (
            string_map(cm.get("data")),
            format!("ConfigMap {ns}/{CONFIGMAP}"),
            false,
        ),
        (None, Some(ako)) => (
            akoconfig_data(ako),
            format!(
                "AKOConfig {ns}/{}",
                ako.pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
            ),
            true,
        ),
        (None, None) => return None,
    };
    let mut root = Node::new(Src::Cluster(cm_label.clone()), Val::Map(Vec::new()));
    let container = if from_akoconfig {
        None
    } else {
        objects.statefulset.as_ref().and_then(ako_container)
    };
    let image = objects
        .statefulset
        .as_ref()
        .and_then(ako_container)
        .and_then(|c| c.get("image"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let key_src = |key: &str| {
        Src::Cluster(match akoconfig_field(key).filter(|_| from_akoconfig) {
            Some(field) => format!("{cm_label} field {field}"),
            None => format!("{cm_label} key {key}"),
        })
    };
    let mut described = cm_label.clone();
    match container {
        Some(c) => {
            described.push_str(&format!(
                " and StatefulSet {ns}/{STATEFULSET} (container {AKO_CONTAINER})"
            ));
            let env_src = |name: &str| {
                Src::Cluster(format!(
                    "env {name} of container {AKO_CONTAINER} in StatefulSet {ns}/{STATEFULSET}"
                ))
            };
            let envs: Vec<&Value> = c
                .get("env")
                .and_then(Value::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            for (name, _, path, shape) in ENV {
                // A later entry of the same name wins, as in a Pod.
                let Some(e) = envs
                    .iter()
                    .rev()
                    .find(|e| e.get("name").and_then(Value::as_str) == Some(name))
                else {
                    continue;
                };
                let (text, src) = if let Some(v) = e.get("value") {
                    (v.as_str().unwrap_or("").to_string(), env_src(name))
                } else if let Some(r) = e.pointer("/valueFrom/configMapKeyRef") {
                    let cm_name = r.get("name").and_then(Value::as_str).unwrap_or("");
                    let key = r.get("key").and_then(Value::as_str).unwrap_or("");
                    if cm_name != CONFIGMAP {
                        notes.push(format!(
                            "env {name} of container {AKO_CONTAINER} comes from ConfigMap {cm_name:?}, which akoctl does not read; {path} keeps its default"
                        ));
                        continue;
                    }
                    (data.get(key).cloned().unwrap_or_default(), key_src(key))
                } else if e.get("valueFrom").is_some() {
                    notes.push(format!(
                        "env {name} of container {AKO_CONTAINER} comes from a Secret or field akoctl does not read; {path} keeps its default"
                    ));
                    continue;
                } else {
                    (String::new(), env_src(name))
                };
                insert(&mut root, path, leaf(&text, *shape, src));
            }
            let gateway = c_list(objects.statefulset.as_ref())
                .iter()
                .any(|c| c.get("name").and_then(Value::as_str) == Some(GATEWAY_CONTAINER));
            insert(
                &mut root,
                "featureGates.GatewayAPI",
                Node::new(
                    Src::Cluster(format!(
                        "container {GATEWAY_CONTAINER} {} StatefulSet {ns}/{STATEFULSET}",
                        if gateway { "in" } else { "not in" }
                    )),
                    Val::Bool(gateway),
                ),
            );
        }
        None => {
            if !from_akoconfig {
                notes.push(format!(
                    "StatefulSet {ns}/{STATEFULSET} was not read: the ConfigMap's keys are taken as the chart passes them to AKO, and featureGates.GatewayAPI is taken as false"
                ));
            }
            for (_, key, path, shape) in ENV {
                if let Some(text) = data.get(*key) {
                    insert(&mut root, path, leaf(text, *shape, key_src(key)));
                }
            }
            if from_akoconfig {
                let on = objects
                    .akoconfig
                    .as_ref()
                    .and_then(|a| a.pointer("/spec/featureGates/gatewayAPI"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                insert(
                    &mut root,
                    "featureGates.GatewayAPI",
                    Node::new(
                        Src::Cluster(format!("{cm_label} field spec.featureGates.gatewayAPI")),
                        Val::Bool(on),
                    ),
                );
            }
        }
    }
    for (key, path) in CONFIGMAP_ONLY {
        if let Some(text) = data.get(*key) {
            insert(&mut root, path, leaf(text, Shape::Text, key_src(key)));
        }
    }
    insert(
        &mut root,
        "AKOSettings.namespace",
        Node::new(
            Src::Cluster(format!("namespace of {cm_label}")),
            Val::Str(ns.clone()),
        ),
    );
    Some(FromCluster {
        tree: root,
        image,
        described,
        notes,
    })
}

fn c_list(statefulset: Option<&Value>) -> Vec<&Value> {
    statefulset
        .and_then(|s| s.pointer("/spec/template/spec/containers"))
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// The `ako` container of the StatefulSet.
fn ako_container(statefulset: &Value) -> Option<&Value> {
    c_list(Some(statefulset))
        .into_iter()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(AKO_CONTAINER))
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// A ConfigMap value as a values-tree node. A JSON list that does not parse
/// becomes the text itself (the loader then reports it as AKO's getter
/// would); `""` and `null` become null.
fn leaf(text: &str, shape: Shape, src: Src) -> Node {
    match shape {
        Shape::Text => Node::new(src, Val::Str(text.to_string())),
        Shape::Json => {
            let t = text.trim();
            if t.is_empty() || t == "null" {
                return Node::new(src, Val::Null);
            }
            match serde_json::from_str::<Value>(t) {
                Ok(v) => json_node(&v, &src),
                Err(_) => Node::new(src, Val::Str(text.to_string())),
            }
        }
    }
}

fn json_node(v: &Value, src: &Src) -> Node {
    let val = match v {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Num(n.to_string()),
        Value::String(s) => Val::Str(s.clone()),
        Value::Array(a) => Val::Seq(a.iter().map(|x| json_node(x, src)).collect()),
        Value::Object(m) => Val::Map(
            m.iter()
                .map(|(k, x)| (k.clone(), json_node(x, src)))
                .collect(),
        ),
    };
    Node::new(src.clone(), val)
}

/// Put `node` at the dotted `path`, creating mappings on the way.
fn insert(root: &mut Node, path: &str, node: Node) {
    let mut cur = root;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let src = cur.src.clone();
        let Val::Map(entries) = &mut cur.val else {
            return;
        };
        let idx = match entries.iter().position(|(k, _)| k == part) {
            Some(i) => i,
            None => {
                entries.push((part.to_string(), Node::new(src, Val::Map(Vec::new()))));
                entries.len() - 1
            }
        };
        if parts.peek().is_none() {
            entries[idx].1 = node;
            return;
        }
        cur = &mut entries[idx].1;
    }
}

/// The `AKOConfig` field the ako-operator renders into ConfigMap key `key`
/// (`ako-operator/internal/controller/configmap.go` `BuildConfigMap`), for
/// saying where a setting came from. `None` for keys it writes a constant
/// into (`primaryInstance`, `enableMCI`).
pub fn akoconfig_field(key: &str) -> Option<&'static str> {
    const FIELDS: &[(&str, &str)] = &[
        ("controllerIP", "spec.controllerSettings.controllerIP"),
        (
            "controllerVersion",
            "spec.controllerSettings.controllerVersion",
        ),
        ("cniPlugin", "spec.akoSettings.cniPlugin"),
        ("enableEVH", "spec.akoSettings.enableEVH"),
        ("layer7Only", "spec.akoSettings.layer7Only"),
        ("servicesAPI", "spec.akoSettings.servicesAPI"),
        ("vipPerNamespace", "spec.akoSettings.vipPerNamespace"),
        ("shardVSSize", "spec.l7Settings.shardVSSize"),
        (
            "passthroughShardSize",
            "spec.l7Settings.passthroughShardSize",
        ),
        ("fullSyncFrequency", "spec.akoSettings.fullSyncFrequency"),
        ("cloudName", "spec.controllerSettings.cloudName"),
        ("clusterName", "spec.akoSettings.clusterName"),
        (
            "defaultDomain",
            "spec.networkSettings.defaultDomain (else spec.l4Settings.defaultDomain)",
        ),
        (
            "disableStaticRouteSync",
            "spec.akoSettings.disableStaticRouteSync",
        ),
        (
            "defaultIngController",
            "spec.l7Settings.defaultIngController",
        ),
        ("logLevel", "spec.akoSettings.logLevel"),
        ("deleteConfig", "spec.akoSettings.deleteConfig"),
        ("enableRHI", "spec.networkSettings.enableRHI"),
        ("nsxtT1LR", "spec.networkSettings.nsxtT1LR"),
        ("vipNetworkList", "spec.networkSettings.vipNetworkList"),
        ("bgpPeerLabels", "spec.networkSettings.bgpPeerLabels"),
        ("nodeKey", "spec.nodePortSelector.key"),
        ("nodeValue", "spec.nodePortSelector.value"),
        ("serviceType", "spec.l7Settings.serviceType"),
        (
            "serviceEngineGroupName",
            "spec.controllerSettings.serviceEngineGroupName",
        ),
        ("apiServerPort", "spec.akoSettings.apiServerPort"),
        ("nodeNetworkList", "spec.networkSettings.nodeNetworkList"),
        ("noPGForSNI", "spec.l7Settings.noPGForSNI"),
        (
            "nsSyncLabelKey",
            "spec.akoSettings.namespaceSelector.labelKey",
        ),
        (
            "nsSyncLabelValue",
            "spec.akoSettings.namespaceSelector.labelValue",
        ),
        ("tenantName", "spec.controllerSettings.tenantName"),
        ("autoFQDN", "spec.l4Settings.autoFQDN"),
        ("enableEvents", "spec.akoSettings.enableEvents"),
        ("istioEnabled", "spec.akoSettings.istioEnabled"),
        (
            "blockedNamespaceList",
            "spec.akoSettings.blockedNamespaceList",
        ),
        ("ipFamily", "spec.akoSettings.ipFamily"),
        (
            "useDefaultSecretsOnly",
            "spec.akoSettings.useDefaultSecretsOnly",
        ),
        ("vrfName", "spec.controllerSettings.vrfName"),
        ("defaultLBController", "spec.l4Settings.defaultLBController"),
        ("enablePrometheus", "spec.featureGates.enablePrometheus"),
        ("fqdnReusePolicy", "spec.l7Settings.fqdnReusePolicy"),
    ];
    FIELDS.iter().find(|(k, _)| *k == key).map(|(_, f)| *f)
}

/// The ConfigMap data the ako-operator writes for an `AKOConfig`
/// (`ako-operator/internal/controller/configmap.go` `BuildConfigMap`;
/// spec fields in `ako-operator/api/v1beta1/akoconfig_types.go`).
pub fn akoconfig_data(ako: &Value) -> BTreeMap<String, String> {
    let spec = ako.get("spec").cloned().unwrap_or(Value::Null);
    let s = |p: &str| {
        spec.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let b = |p: &str| {
        spec.pointer(p)
            .and_then(Value::as_bool)
            .unwrap_or(false)
            .to_string()
    };
    let list = |p: &str| spec.pointer(p).and_then(Value::as_array).cloned();
    let mut d = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        d.insert(k.to_string(), v);
    };
    put("controllerIP", s("/controllerSettings/controllerIP"));
    put(
        "controllerVersion",
        s("/controllerSettings/controllerVersion"),
    );
    put("cniPlugin", s("/akoSettings/cniPlugin"));
    put("enableEVH", b("/akoSettings/enableEVH"));
    put("layer7Only", b("/akoSettings/layer7Only"));
    put("servicesAPI", b("/akoSettings/servicesAPI"));
    put("vipPerNamespace", b("/akoSettings/vipPerNamespace"));
    put("shardVSSize", s("/l7Settings/shardVSSize"));
    put(
        "passthroughShardSize",
        s("/l7Settings/passthroughShardSize"),
    );
    put("fullSyncFrequency", s("/akoSettings/fullSyncFrequency"));
    put("cloudName", s("/controllerSettings/cloudName"));
    put("clusterName", s("/akoSettings/clusterName"));
    let net_domain = s("/networkSettings/defaultDomain");
    put(
        "defaultDomain",
        if net_domain.is_empty() {
            s("/l4Settings/defaultDomain")
        } else {
            net_domain
        },
    );
    put(
        "disableStaticRouteSync",
        b("/akoSettings/disableStaticRouteSync"),
    );
    put(
        "defaultIngController",
        b("/l7Settings/defaultIngController"),
    );
    put("logLevel", s("/akoSettings/logLevel"));
    put("deleteConfig", b("/akoSettings/deleteConfig"));
    put("enableRHI", b("/networkSettings/enableRHI"));
    put("nsxtT1LR", s("/networkSettings/nsxtT1LR"));
    // Rows re-marshalled with omitempty fields, "" when the list is empty.
    let rows = |p: &str, fields: &[&str]| -> String {
        let items = list(p).unwrap_or_default();
        if items.is_empty() {
            return String::new();
        }
        let out: Vec<Value> = items
            .iter()
            .map(|it| {
                let mut m = serde_json::Map::new();
                for f in fields {
                    match it.get(*f) {
                        Some(Value::String(x)) if x.is_empty() => {}
                        Some(Value::Array(x)) if x.is_empty() => {}
                        Some(v @ (Value::String(_) | Value::Array(_))) => {
                            m.insert((*f).to_string(), v.clone());
                        }
                        _ => {}
                    }
                }
                Value::Object(m)
            })
            .collect();
        serde_json::to_string(&out).unwrap_or_default()
    };
    put(
        "vipNetworkList",
        rows(
            "/networkSettings/vipNetworkList",
            &["cidr", "networkName", "v6cidr", "networkUUID"],
        ),
    );
    // json.Marshal of a nil []string is "null".
    let strings = |p: &str| match list(p) {
        Some(a) => serde_json::to_string(&a).unwrap_or_default(),
        None => "null".to_string(),
    };
    put("bgpPeerLabels", strings("/networkSettings/bgpPeerLabels"));
    let service_type = s("/l7Settings/serviceType");
    if service_type == "NodePort" {
        put("nodeKey", s("/nodePortSelector/key"));
        put("nodeValue", s("/nodePortSelector/value"));
    }
    put("serviceType", service_type);
    put(
        "serviceEngineGroupName",
        s("/controllerSettings/serviceEngineGroupName"),
    );
    let port = spec
        .pointer("/akoSettings/apiServerPort")
        .and_then(Value::as_i64)
        .filter(|p| *p > 0)
        .unwrap_or(8080);
    put("apiServerPort", port.to_string());
    put(
        "nodeNetworkList",
        rows(
            "/networkSettings/nodeNetworkList",
            &["cidrs", "networkName", "networkUUID"],
        ),
    );
    put("noPGForSNI", b("/l7Settings/noPGForSNI"));
    put(
        "nsSyncLabelKey",
        s("/akoSettings/namespaceSelector/labelKey"),
    );
    put(
        "nsSyncLabelValue",
        s("/akoSettings/namespaceSelector/labelValue"),
    );
    put("tenantName", s("/controllerSettings/tenantName"));
    let auto = s("/l4Settings/autoFQDN");
    put(
        "autoFQDN",
        if auto.is_empty() {
            "default".into()
        } else {
            auto
        },
    );
    put("enableEvents", b("/akoSettings/enableEvents"));
    put("primaryInstance", "true".into());
    put("istioEnabled", b("/akoSettings/istioEnabled"));
    put(
        "blockedNamespaceList",
        strings("/akoSettings/blockedNamespaceList"),
    );
    put("ipFamily", s("/akoSettings/ipFamily"));
    put("enableMCI", "false".into());
    put(
        "useDefaultSecretsOnly",
        b("/akoSettings/useDefaultSecretsOnly"),
    );
    put("vrfName", s("/controllerSettings/vrfName"));
    put("defaultLBController", b("/l4Settings/defaultLBController"));
    put("enablePrometheus", b("/featureGates/enablePrometheus"));
    let reuse = s("/l7Settings/fqdnReusePolicy");
    put(
        "fqdnReusePolicy",
        if reuse.is_empty() {
            "InterNamespaceAllowed".into()
        } else {
            reuse
        },
    );
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn objects(cm: Value, sts: Option<Value>) -> AkoObjects {
        AkoObjects {
            namespace: "avi-system".into(),
            configmap: Some(cm),
            statefulset: sts,
            akoconfig: None,
        }
    }

    #[test]
    fn env_literal_wins_over_configmap_and_json_lists_parse() {
        let cm = json!({"data": {"cloudName": "cm-cloud", "vipNetworkList": "[{\"networkName\":\"vip\",\"cidr\":\"10.0.0.0/24\"}]", "layer7Only": "true"}});
        let sts = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "ako", "image": "reg/ako:2.1.1", "env": [
                {"name": "CLOUD_NAME", "value": "env-cloud"},
                {"name": "VIP_NETWORK_LIST", "valueFrom": {"configMapKeyRef": {"name": "avi-k8s-config", "key": "vipNetworkList"}}}
            ]},
            {"name": "ako-gateway-api", "image": "reg/gw:2.1.1"}
        ]}}}});
        let r = from_cluster(&objects(cm, Some(sts))).expect("read");
        assert_eq!(r.image.as_deref(), Some("reg/ako:2.1.1"));
        let cloud = r
            .tree
            .get("ControllerSettings")
            .and_then(|n| n.get("cloudName"))
            .expect("cloud");
        assert_eq!(cloud.val, Val::Str("env-cloud".into()));
        assert_eq!(
            cloud.src,
            Src::Cluster("env CLOUD_NAME of container ako in StatefulSet avi-system/ako".into())
        );
        let vip = r
            .tree
            .get("NetworkSettings")
            .and_then(|n| n.get("vipNetworkList"))
            .expect("vip");
        assert!(matches!(&vip.val, Val::Seq(items) if items.len() == 1));
        assert_eq!(
            r.tree
                .get("featureGates")
                .and_then(|n| n.get("GatewayAPI"))
                .map(|n| &n.val),
            Some(&Val::Bool(true))
        );
        assert_eq!(
            r.tree
                .get("AKOSettings")
                .and_then(|n| n.get("layer7Only"))
                .map(|n| &n.val),
            Some(&Val::Str("true".into()))
        );
    }

    #[test]
    fn env_absent_keeps_the_default_even_when_the_configmap_has_the_key() {
        // The chart passes NODE_KEY only for NodePort: a stale key is not seen by AKO.
        let cm = json!({"data": {"nodeKey": "k", "serviceType": "ClusterIP"}});
        let sts =
            json!({"spec": {"template": {"spec": {"containers": [{"name": "ako", "env": []}]}}}});
        let r = from_cluster(&objects(cm, Some(sts))).expect("read");
        assert!(r.tree.get("nodePortSelector").is_none());
    }

    #[test]
    fn akoconfig_defaults_follow_the_operator() {
        let ako = json!({"metadata": {"name": "ako-config"}, "spec": {
            "l7Settings": {"serviceType": "NodePort"}, "nodePortSelector": {"key": "a", "value": "b"}}});
        let d = akoconfig_data(&ako);
        assert_eq!(d["autoFQDN"], "default");
        assert_eq!(d["apiServerPort"], "8080");
        assert_eq!(d["vipNetworkList"], "");
        assert_eq!(d["bgpPeerLabels"], "null");
        assert_eq!(d["nodeKey"], "a");
        assert_eq!(d["defaultLBController"], "false");
        let r = from_cluster(&AkoObjects {
            namespace: "avi-system".into(),
            akoconfig: Some(ako.clone()),
            ..AkoObjects::default()
        })
        .expect("read");
        let service_type = r
            .tree
            .get("L7Settings")
            .and_then(|n| n.get("serviceType"))
            .expect("serviceType");
        assert_eq!(
            service_type.src,
            Src::Cluster(
                "AKOConfig avi-system/ako-config field spec.l7Settings.serviceType".into()
            )
        );
        // Every key the operator renders from a field names that field.
        for key in d.keys() {
            assert!(
                akoconfig_field(key).is_some()
                    || ["primaryInstance", "enableMCI"].contains(&key.as_str()),
                "{key}"
            );
        }
        assert!(
            from_cluster(&AkoObjects {
                namespace: "avi-system".into(),
                ..AkoObjects::default()
            })
            .is_none()
        );
    }
}
