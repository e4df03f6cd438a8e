//! Loading [`Settings`] from AKO's helm `values.yaml`, `--set` overrides and a
//! cloud-facts file.
//!
//! Every value goes the way it goes in a real install: helm renders it into
//! the ConfigMap `avi-k8s-config` with `quote` (`helm/ako/templates/configmap.yaml`),
//! then AKO's getters read the string (`internal/lib/lib.go`,
//! `cmd/ako-main/main.go`). So booleans may be written `true` or `'true'`,
//! and an unparsable boolean takes the getter's fallback (with a warning).
//!
//! Problems are sorted in three kinds:
//! - errors (returned as `Err`, one line each): YAML that does not parse,
//!   a value of the wrong shape, a cloud fact outside its allowed set,
//!   and inputs with which AKO refuses to start (translation-core.md §5 row 4);
//! - warnings (returned diagnostics): unknown keys (with their path), values
//!   AKO replaces by a fallback, deprecated aliases, features akoctl does not model;
//! - nothing: helm keys that do not change translation (`logLevel`, `image`, ...).
//!
//! Pure: the caller reads the files.

use std::sync::Arc;

use super::{is_v4_cidr, is_v6_cidr};
use miette::{Result, miette};

use super::tree::{self, Node, Src, Val};
use super::{
    AutoFqdn, CloudFacts, IpFamily, NodeNetwork, ServiceType, Settings, ShardSize, VipNetwork,
};
use crate::model::{Diagnostic, Origin, Severity};
use crate::release::Release;

/// Texts of the inputs, already read by the caller (no IO here): `(name, text)`.
pub struct SettingsInput<'a> {
    pub values: Option<(&'a str, &'a str)>,
    pub sets: &'a [String],
    pub cloud_facts: Option<(&'a str, &'a str)>,
}

/// Allowed `L7Settings.shardVSSize` values (`internal/lib/lib.go` `ShardSizeMap`).
pub const SHARD_SIZES: [&str; 4] = ["LARGE", "MEDIUM", "SMALL", "DEDICATED"];
/// Allowed `L7Settings.passthroughShardSize` values (helm values.yaml comment).
pub const PASSTHROUGH_SHARD_SIZES: [&str; 3] = ["LARGE", "MEDIUM", "SMALL"];
/// Allowed `L7Settings.serviceType` values (`internal/lib/lib.go` `GetServiceType`).
pub const SERVICE_TYPES: [&str; 3] = ["ClusterIP", "NodePort", "NodePortLocal"];
/// `AKOSettings.cniPlugin` values of AKO's chart (`helm/ako/values.yaml`
/// enum), lower-cased as `GetCNIPlugin` reads them.
pub const CNI_PLUGINS: [&str; 8] = [
    "calico",
    "canal",
    "flannel",
    "openshift",
    "antrea",
    "ncp",
    "ovn-kubernetes",
    "cilium",
];
/// Allowed `AKOSettings.ipFamily` values (`internal/lib/lib.go` `IsValidV6Config`).
pub const IP_FAMILIES: [&str; 3] = ["V4", "V6", "V4_V6"];
/// Cloud types AKO knows (`internal/lib/constants.go` `CLOUD_*`).
pub const CLOUD_TYPES: [&str; 7] = [
    "CLOUD_VCENTER",
    "CLOUD_AZURE",
    "CLOUD_AWS",
    "CLOUD_OPENSTACK",
    "CLOUD_GCP",
    "CLOUD_NONE",
    "CLOUD_NSXT",
];
/// NSX-T transport zone types (`internal/lib/constants.go`
/// `OVERLAY_TRANSPORT_ZONE`, `VLAN_TRANSPORT_ZONE`; `""` = not reported).
pub const TRANSPORT_ZONES: [&str; 3] = ["", "OVERLAY", "VLAN"];
/// `systemconfiguration.default_license_tier` values (`""` = not reported).
pub const LICENSE_TIERS: [&str; 5] = [
    "",
    "ESSENTIALS",
    "BASIC",
    "ENTERPRISE",
    "ENTERPRISE_WITH_CLOUD_SERVICES",
];

/// Top-level helm keys that exist in AKO's chart but do not change what AKO
/// builds (deployment details, credentials, sub-chart values).
const IGNORED_TOP: [&str; 13] = [
    "replicaCount",
    "image",
    "GatewayAPI",
    "resources",
    "securityContext",
    "podSecurityContext",
    "rbac",
    "avicredentials",
    "persistentVolumeClaim",
    "mountPath",
    "logFile",
    "akoGatewayLogFile",
    "ako-crd-operator",
];

/// Load settings: values file, then `--set` overrides in order, then the
/// cloud facts. Returns the resolved settings and warnings, or every error
/// found (one per line).
pub fn load(input: &SettingsInput<'_>) -> Result<(Settings, Vec<Diagnostic>)> {
    load_for(input, Release::default())
}

/// [`load`] for the chart of AKO `release` (its keys and defaults).
pub fn load_for(
    input: &SettingsInput<'_>,
    release: Release,
) -> Result<(Settings, Vec<Diagnostic>)> {
    load_over(None, input, release)
}

/// [`load_for`] over a values tree read elsewhere (AKO's settings in a cluster,
/// [`super::cluster::from_cluster`]): the values file is laid over it key
/// by key (a list or a scalar replaces, mappings merge, as helm merges
/// values files), then the `--set` overrides.
pub fn load_over(
    base: Option<Node>,
    input: &SettingsInput<'_>,
    release: Release,
) -> Result<(Settings, Vec<Diagnostic>)> {
    let file = input.values.map(|(n, _)| n).unwrap_or("values.yaml");
    let mut ld = Loader::new(file);
    ld.release = release;
    let file_root = match input.values {
        Some((name, text)) => match tree::parse(name, text) {
            Ok(n) => Some(n),
            Err(e) => return Err(miette!("{e}")),
        },
        None => None,
    };
    let mut root = match (base, file_root) {
        (Some(mut b), Some(f)) => {
            merge(&mut b, f);
            b
        }
        (Some(b), None) => b,
        (None, Some(f)) => f,
        (None, None) => Node::new(Src::Line(0), Val::Map(Vec::new())),
    };
    for s in input.sets {
        if let Err(e) = tree::apply_set(&mut root, s) {
            ld.errors.push(e);
        }
    }
    let mut raw = Raw::default();
    raw.s.release = release;
    ld.values(&root, &mut raw);
    if let Some((name, text)) = input.cloud_facts {
        match tree::parse(name, text) {
            Ok(n) => {
                let mut fl = Loader::new(name);
                fl.facts(&n, &mut raw);
                ld.errors.append(&mut fl.errors);
                ld.diags.append(&mut fl.diags);
            }
            Err(e) => ld.errors.push(e),
        }
    }
    ld.resolve(&mut raw);
    if !ld.errors.is_empty() {
        return Err(miette!("{}", ld.errors.join("\n")));
    }
    Ok((raw.s, ld.diags))
}

/// Lay `top` over `base`: mappings merge key by key, anything else replaces.
pub(crate) fn merge(base: &mut Node, top: Node) {
    match (&mut base.val, top.val) {
        (Val::Map(b), Val::Map(t)) => {
            for (k, v) in t {
                match b.iter_mut().rev().find(|(bk, _)| *bk == k) {
                    Some((_, bv)) => merge(bv, v),
                    None => b.push((k, v)),
                }
            }
        }
        (_, val) => {
            base.val = val;
            base.src = top.src;
        }
    }
}

/// Settings being filled plus the raw values that resolve together at the end.
#[derive(Default)]
struct Raw {
    s: Settings,
    network_default_domain: Option<(String, Node)>,
    l4_default_domain: Option<(String, Node)>,
    ns_key: Option<(String, Node)>,
    ns_value: Option<(String, Node)>,
    node_selector: Option<(String, String)>,
    node_selector_alias: Option<(String, String, Node)>,
    fqdn_reuse_policy: Option<(String, Node)>,
    facts_vrf: Option<String>,
    /// Where the boot checks point: the nodes of the values they judge.
    vip_list: Option<Node>,
    node_list: Option<Node>,
    /// `nodeNetworkList[].cidrs` entries with their path.
    node_cidrs: Vec<(String, Node, String)>,
    t1lr: Option<Node>,
    vpc_mode: Option<Node>,
    ip_family: Option<(String, Node)>,
    replica_count: Option<Node>,
    primary_instance: Option<Node>,
    /// List entries AKO's `json.Unmarshal` refuses (a number or boolean
    /// where a string is wanted), with their path.
    vip_not_strings: Vec<(Node, String)>,
    node_not_strings: Vec<(Node, String)>,
}

struct Loader {
    file: Arc<str>,
    errors: Vec<String>,
    diags: Vec<Diagnostic>,
    /// Whose chart the values are read for (`crate::release::CHART_KEYS`).
    release: Release,
}

impl Loader {
    fn new(file: &str) -> Self {
        Loader {
            file: Arc::from(file),
            errors: Vec::new(),
            diags: Vec::new(),
            release: Release::default(),
        }
    }

    /// `file:line` or `--set arg`, for messages.
    fn at(&self, n: &Node) -> String {
        match &n.src {
            Src::Line(l) => format!("{}:{l}", self.file),
            Src::Set(arg) => format!("--set {arg}"),
            Src::Cluster(from) => from.clone(),
        }
    }

    fn error(&mut self, n: &Node, path: &str, msg: impl AsRef<str>) {
        let at = self.at(n);
        self.errors.push(format!("{at}: {path}: {}", msg.as_ref()));
    }

    fn warn(&mut self, n: &Node, path: &str, msg: impl AsRef<str>) {
        let mut d = Diagnostic::new(Severity::Warning, None, format!("{path}: {}", msg.as_ref()));
        match &n.src {
            Src::Line(l) => {
                d.origin = Some(Origin {
                    file: self.file.clone(),
                    line: *l as usize,
                })
            }
            Src::Set(arg) => d.message.push_str(&format!(" (--set {arg})")),
            Src::Cluster(from) => d.message.push_str(&format!(" ({from})")),
        }
        self.diags.push(d);
    }

    /// Walk a mapping section; `f` handles a key and says whether it knows it.
    fn section(
        &mut self,
        n: &Node,
        path: &str,
        known: &[&str],
        mut f: impl FnMut(&mut Self, &str, &Node, &str),
    ) {
        let entries = match &n.val {
            Val::Null => return,
            Val::Map(m) => m,
            other => {
                self.error(n, path, format!("expected a mapping, got {}", other.kind()));
                return;
            }
        };
        for (k, v) in entries {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if known.contains(&k.as_str()) && !self.release.chart_has(&p) {
                let r = self.release;
                self.warn(
                    v,
                    &p,
                    format!("not a value of AKO {r}'s chart, ignored (see --ako-version)"),
                );
            } else if known.contains(&k.as_str()) {
                f(self, k, v, &p);
            } else {
                let hint = suggest(k, known)
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                self.warn(v, &p, format!("unknown key, ignored{hint}"));
            }
        }
    }

    /// A scalar rendered as helm's `quote` would.
    fn text(&mut self, n: &Node, path: &str) -> Option<String> {
        match n.val.as_text() {
            Some(t) => Some(t),
            None => {
                self.error(
                    n,
                    path,
                    format!("expected a single value, got {}", n.val.kind()),
                );
                None
            }
        }
    }

    /// A boolean read the way AKO reads it: Go's `strconv.ParseBool`, and
    /// `fallback` when that fails (empty = unset, no warning).
    fn go_bool(&mut self, n: &Node, path: &str, fallback: bool) -> bool {
        let Some(t) = self.text(n, path) else {
            return fallback;
        };
        match parse_go_bool(&t) {
            Some(b) => b,
            None => {
                if !t.is_empty() {
                    self.warn(
                        n,
                        path,
                        format!("{t:?} is not a boolean (true/false); AKO uses {fallback}"),
                    );
                }
                fallback
            }
        }
    }

    /// A value that must be one of `allowed` (case-sensitive, as AKO compares).
    fn one_of(&mut self, n: &Node, path: &str, allowed: &[&str]) -> Option<String> {
        let t = self.text(n, path)?;
        if allowed.contains(&t.as_str()) {
            Some(t)
        } else {
            let list = allowed
                .iter()
                .map(|a| if a.is_empty() { "\"\"" } else { a })
                .collect::<Vec<_>>();
            self.error(
                n,
                path,
                format!("invalid value {t:?}; allowed values: {}", list.join(", ")),
            );
            None
        }
    }

    /// A list of strings (`mustToJson` then `json.Unmarshal` into `[]string`).
    /// `None` when the node is not such a list (a warning was given).
    fn strings(&mut self, n: &Node, path: &str, what_ako_does: &str) -> Option<Vec<String>> {
        match &n.val {
            Val::Null => Some(Vec::new()),
            Val::Seq(items) => {
                let mut out = Vec::new();
                for it in items {
                    match &it.val {
                        Val::Str(s) => out.push(s.clone()),
                        other => {
                            self.warn(
                                it,
                                path,
                                format!(
                                    "list entries must be strings, got {}; {what_ako_does}",
                                    other.kind()
                                ),
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            }
            other => {
                self.warn(
                    n,
                    path,
                    format!(
                        "expected a list of strings, got {}; {what_ako_does}",
                        other.kind()
                    ),
                );
                None
            }
        }
    }

    fn values(&mut self, root: &Node, raw: &mut Raw) {
        const TOP: [&str; 21] = [
            "AKOSettings",
            "NetworkSettings",
            "L7Settings",
            "L4Settings",
            "ControllerSettings",
            "nodePortSelector",
            "nodeSelectorLabels",
            "featureGates",
            IGNORED_TOP[0],
            IGNORED_TOP[1],
            IGNORED_TOP[2],
            IGNORED_TOP[3],
            IGNORED_TOP[4],
            IGNORED_TOP[5],
            IGNORED_TOP[6],
            IGNORED_TOP[7],
            IGNORED_TOP[8],
            IGNORED_TOP[9],
            IGNORED_TOP[10],
            IGNORED_TOP[11],
            IGNORED_TOP[12],
        ];
        self.section(root, "", &TOP, |ld, k, v, p| match k {
            "AKOSettings" => ld.ako_settings(v, p, raw),
            "NetworkSettings" => ld.network_settings(v, p, raw),
            "L7Settings" => ld.l7_settings(v, p, raw),
            "L4Settings" => ld.l4_settings(v, p, raw),
            "ControllerSettings" => ld.controller_settings(v, p, raw),
            "nodePortSelector" => {
                if let Some((key, value)) = ld.node_selector(v, p) {
                    raw.node_selector = Some((key, value));
                }
            }
            "nodeSelectorLabels" => {
                if let Some((key, value)) = ld.node_selector(v, p) {
                    raw.node_selector_alias = Some((key, value, v.clone()));
                }
            }
            "replicaCount" => raw.replica_count = Some(v.clone()),
            "featureGates" => {
                // `helm/ako/templates/statefulset.yaml`: the `ako-gateway-api`
                // container is deployed iff `featureGates.GatewayAPI` is true.
                let keys = ["GatewayAPI", "EnablePrometheus", "EnableEndpointSlice"];
                ld.section(v, p, &keys, |ld, k, v, p| {
                    if k == "GatewayAPI" {
                        raw.s.gateway_api = ld.go_bool(v, p, false);
                    }
                    // 1.13 `GetEndpointSliceEnabled`: unparsable is false.
                    if k == "EnableEndpointSlice" {
                        raw.s.endpoint_slices = ld.go_bool(v, p, false);
                    }
                })
            }
            // A sub-chart: only `enabled` reaches AKO (statefulset env
            // `AKO_CRD_OPERATOR_ENABLED`); its other keys are the operator's.
            "ako-crd-operator" => {
                if let Val::Map(m) = &v.val
                    && let Some((_, e)) = m.iter().find(|(k, _)| k == "enabled")
                {
                    raw.s.ako_crd_operator_enabled = ld.go_bool(e, &format!("{p}.enabled"), true);
                }
            }
            _ => {}
        });
    }

    /// `AKOSettings` (`helm/ako/values.yaml`; getters in `internal/lib/lib.go`).
    fn ako_settings(&mut self, n: &Node, path: &str, raw: &mut Raw) {
        const KEYS: [&str; 20] = [
            "primaryInstance",
            "enableEvents",
            "logLevel",
            "fullSyncFrequency",
            "apiServerPort",
            "deleteConfig",
            "disableStaticRouteSync",
            "clusterName",
            "cniPlugin",
            "enableEVH",
            "layer7Only",
            "namespaceSelector",
            "servicesAPI",
            "vipPerNamespace",
            "istioEnabled",
            "blockedNamespaceList",
            "ipFamily",
            "useDefaultSecretsOnly",
            "vpcMode",
            "namespace",
        ];
        self.section(n, path, &KEYS, |ld, k, v, p| {
            let s = &mut raw.s;
            match k {
                // `cmd/ako-main/main.go`: ParseBool, true when unparsable.
                "primaryInstance" => {
                    s.primary_instance = ld.go_bool(v, p, true);
                    raw.primary_instance = Some(v.clone());
                }
                "disableStaticRouteSync" => s.disable_static_route_sync = ld.go_bool(v, p, false),
                "clusterName" => {
                    if let Some(t) = ld.text(v, p) {
                        s.cluster_name = t;
                    }
                }
                // `internal/lib/dynamic_client.go` `GetCNIPlugin` lower-cases it
                // and `GetPodCIDR` compares it with calico, openshift,
                // ovn-kubernetes and cilium; any other value (the chart's
                // canal, flannel, antrea, ncp included) reads the Node.
                "cniPlugin" => {
                    if let Some(t) = ld.text(v, p) {
                        s.cni_plugin = t.to_lowercase();
                        if !s.cni_plugin.is_empty() && !CNI_PLUGINS.contains(&s.cni_plugin.as_str()) {
                            ld.warn(v, p, format!("{t:?} is not one of {} (AKO's chart); AKO uses the Node's ako.vmware.com/pod-cidrs annotation or spec.podCIDRs for static routes, as for canal or flannel (GetPodCIDR)", CNI_PLUGINS.join(", ")));
                        }
                    }
                }
                "enableEVH" => s.enable_evh = ld.go_bool(v, p, false),
                // `SetLayer7Only`: keeps false when unparsable.
                "layer7Only" => s.layer7_only = ld.go_bool(v, p, false),
                "namespaceSelector" => ld.section(v, p, &["labelKey", "labelValue"], |ld, k, v, p| {
                    if let Some(t) = ld.text(v, p) {
                        let slot = if k == "labelKey" { &mut raw.ns_key } else { &mut raw.ns_value };
                        *slot = Some((t, v.clone()));
                    }
                }),
                "vipPerNamespace" => s.vip_per_namespace = ld.go_bool(v, p, false),
                "istioEnabled" => s.istio_enabled = ld.go_bool(v, p, false),
                // `internal/lib/lib.go` `GetGlobalBlockedNSList`: nil when not a string list.
                "blockedNamespaceList" => {
                    s.blocked_namespaces =
                        ld.strings(v, p, "AKO then blocks no namespace").unwrap_or_default();
                }
                // Judged with the cloud type in `resolve` (`SetIPFamily`,
                // `IsValidV6Config`).
                "ipFamily" => {
                    if let Some(t) = ld.text(v, p) {
                        s.ip_family = match t.as_str() {
                            "V4" => Some(IpFamily::V4),
                            "V6" => Some(IpFamily::V6),
                            "V4_V6" => Some(IpFamily::V4V6),
                            _ => None,
                        };
                        raw.ip_family = Some((t, v.clone()));
                    }
                }
                "useDefaultSecretsOnly" => s.use_default_secrets_only = ld.go_bool(v, p, false),
                // The helm release namespace is not a values key; accepted here so
                // that a values file can say where AKO runs (default avi-system).
                "namespace" => {
                    if let Some(t) = ld.text(v, p) {
                        s.ako_namespace = if t.is_empty() { "avi-system".into() } else { t };
                    }
                }
                // `internal/lib/lib.go` `UseServicesAPI`: ParseBool, false when unparsable.
                "servicesAPI" => s.services_api = ld.go_bool(v, p, false),
                "vpcMode" if ld.go_bool(v, p, false) => {
                    ld.warn(v, p, "this mode is not modelled by akoctl; compiling as if it were off");
                    raw.vpc_mode = Some(v.clone());
                }
                "deleteConfig" if ld.go_bool(v, p, false) => {
                    ld.warn(
                        v,
                        p,
                        "AKO would delete the objects it created; akoctl shows what it would create",
                    );
                }
                _ => {} // enableEvents, logLevel, fullSyncFrequency, apiServerPort
            }
        });
    }

    /// `NetworkSettings`.
    fn network_settings(&mut self, n: &Node, path: &str, raw: &mut Raw) {
        const KEYS: [&str; 6] = [
            "nodeNetworkList",
            "enableRHI",
            "nsxtT1LR",
            "bgpPeerLabels",
            "vipNetworkList",
            "defaultDomain",
        ];
        self.section(n, path, &KEYS, |ld, k, v, p| {
            let s = &mut raw.s;
            match k {
                // An explicit null is kept apart: helm renders it as "null",
                // which `GetNodeNetworkMapEnv` / `GetVipNetworkListEnv` refuse
                // (judged with the cloud type in `boot_checks`).
                "nodeNetworkList" => {
                    let (list, cidrs) = ld.node_networks(v, p, &mut raw.node_not_strings);
                    s.node_networks = list;
                    raw.node_cidrs = cidrs;
                    raw.node_list = Some(v.clone());
                }
                "vipNetworkList" => {
                    s.vip_networks = ld.vip_networks(v, p, &mut raw.vip_not_strings);
                    raw.vip_list = Some(v.clone());
                }
                "enableRHI" => s.enable_rhi = ld.go_bool(v, p, false),
                "nsxtT1LR" => {
                    if let Some(t) = ld.text(v, p) {
                        s.nsxt_t1_lr = t;
                        raw.t1lr = Some(v.clone());
                    }
                }
                // `GetGlobalBgpPeerLabels`: nil when not a string list.
                "bgpPeerLabels" => {
                    s.bgp_peer_labels = ld
                        .strings(v, p, "AKO then uses no labels")
                        .unwrap_or_default();
                }
                "defaultDomain" => {
                    if let Some(t) = ld.text(v, p) {
                        raw.network_default_domain = Some((t, v.clone()));
                    }
                }
                _ => {}
            }
        });
    }

    /// One object of a list AKO decodes with Go's `encoding/json`
    /// (`vipNetworkList`, `nodeNetworkList`): keys match the field tags
    /// case-insensitively, as `json.Unmarshal` matches them.
    fn json_entry(
        &mut self,
        n: &Node,
        path: &str,
        known: &[&str],
        mut f: impl FnMut(&mut Self, &str, &Node, &str),
    ) {
        let Val::Map(entries) = &n.val else {
            return self.section(n, path, known, f);
        };
        for (k, v) in entries {
            let p = format!("{path}.{k}");
            match known.iter().find(|c| c.eq_ignore_ascii_case(k)) {
                Some(c) => f(self, c, v, &p),
                None => self.warn(v, &p, "unknown key, ignored"),
            }
        }
    }

    /// A string field of such an object: a string, or empty for null; a
    /// number or boolean is noted in `bad` (AKO's `json.Unmarshal` fails).
    fn json_string(&mut self, v: &Node, path: &str, bad: &mut Vec<(Node, String)>) -> String {
        if matches!(v.val, Val::Num(_) | Val::Bool(_)) {
            bad.push((v.clone(), path.to_string()));
        }
        self.text(v, path).unwrap_or_default()
    }

    fn list_of_maps<'n>(&mut self, n: &'n Node, path: &str) -> Vec<(&'n Node, String)> {
        match &n.val {
            Val::Null => Vec::new(),
            Val::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, it)| (it, format!("{path}[{i}]")))
                .collect(),
            other => {
                self.error(n, path, format!("expected a list, got {}", other.kind()));
                Vec::new()
            }
        }
    }

    /// `nodeNetworkList` (`internal/lib/lib.go` `GetNodeNetworkMapEnv`), with
    /// each CIDR's node and path for the boot checks.
    fn node_networks(
        &mut self,
        n: &Node,
        path: &str,
        bad: &mut Vec<(Node, String)>,
    ) -> (Vec<NodeNetwork>, Vec<(String, Node, String)>) {
        let mut out = Vec::new();
        let mut cidr_nodes = Vec::new();
        for (it, p) in self.list_of_maps(n, path) {
            let mut nn = NodeNetwork::default();
            self.json_entry(
                it,
                &p,
                &["networkName", "networkUUID", "cidrs"],
                |ld, k, v, p| match k {
                    "networkName" => nn.network_name = ld.json_string(v, p, bad),
                    "networkUUID" => nn.network_uuid = ld.json_string(v, p, bad),
                    _ => match &v.val {
                        Val::Null => {}
                        Val::Seq(items) => {
                            for c in items {
                                let t = ld.json_string(c, p, bad);
                                if matches!(c.val, Val::Str(_)) {
                                    cidr_nodes.push((t.clone(), c.clone(), p.to_string()));
                                    nn.cidrs.push(t);
                                }
                            }
                        }
                        other => ld.error(
                            v,
                            p,
                            format!("expected a list of CIDRs, got {}", other.kind()),
                        ),
                    },
                },
            );
            if !matches!(it.val, Val::Map(_)) && it.val != Val::Null {
                continue;
            }
            out.push(nn);
        }
        (out, cidr_nodes)
    }

    /// `vipNetworkList` (`internal/lib/lib.go` `GetVipNetworkListEnv`).
    fn vip_networks(
        &mut self,
        n: &Node,
        path: &str,
        bad: &mut Vec<(Node, String)>,
    ) -> Vec<VipNetwork> {
        let mut out = Vec::new();
        for (it, p) in self.list_of_maps(n, path) {
            let mut vn = VipNetwork::default();
            self.json_entry(
                it,
                &p,
                &["networkName", "networkUUID", "cidr", "v6cidr"],
                |ld, k, v, p| {
                    let t = ld.json_string(v, p, bad);
                    match k {
                        "networkName" => vn.network_name = t,
                        "networkUUID" => vn.network_uuid = t,
                        "cidr" => vn.cidr = t,
                        _ => vn.v6cidr = t,
                    }
                },
            );
            if !matches!(it.val, Val::Map(_)) && it.val != Val::Null {
                continue;
            }
            out.push(vn);
        }
        out
    }

    /// `L7Settings`.
    fn l7_settings(&mut self, n: &Node, path: &str, raw: &mut Raw) {
        const KEYS: [&str; 7] = [
            "defaultIngController",
            "noPGForSNI",
            "serviceType",
            "shardVSSize",
            "passthroughShardSize",
            "enableMCI",
            "fqdnReusePolicy",
        ];
        self.section(n, path, &KEYS, |ld, k, v, p| {
            let s = &mut raw.s;
            match k {
                // `internal/lib/lib.go` `GetDefaultIngController`: anything but "false" is true.
                "defaultIngController" => {
                    s.default_ing_controller = ld.text(v, p).is_none_or(|t| t != "false");
                }
                // `SetNoPGForSNI`: keeps false when unparsable.
                "noPGForSNI" => s.no_pg_for_sni = ld.go_bool(v, p, false),
                // `internal/lib/lib.go` `IsNodePortMode` / `GetServiceType`: the
                // string is compared with "NodePort" and "NodePortLocal"
                // (case-sensitively); anything else, empty included, runs as
                // ClusterIP mode (servers from endpoints, static routes on).
                "serviceType" => {
                    let Some(t) = ld.text(v, p) else { return };
                    s.service_type = match t.as_str() {
                        "NodePort" => ServiceType::NodePort,
                        "NodePortLocal" => ServiceType::NodePortLocal,
                        "ClusterIP" | "" => ServiceType::ClusterIp,
                        other => {
                            ld.warn(v, p, format!("{other:?} is not one of {} (compared case-sensitively); AKO uses ClusterIP mode (IsNodePortMode is false and GetServiceType is not NodePortLocal)", SERVICE_TYPES.join(", ")));
                            ServiceType::ClusterIp
                        }
                    };
                }
                // `internal/lib/lib.go` `GetshardSize`: a value outside
                // `ShardSizeMap` (case-sensitive) gives one shared VS.
                "shardVSSize" => {
                    if let Some(t) = ld.text(v, p) {
                        s.shard_vs_size = shard_size(&t);
                        if s.shard_vs_size == ShardSize::Other {
                            ld.warn(v, p, format!("{t:?} is not one of {} (compared case-sensitively); AKO uses 1 shared virtual service, as SMALL (GetshardSize)", SHARD_SIZES.join(", ")));
                        }
                    }
                }
                // `internal/lib/lib.go` `PassthroughShardSize`: any key of
                // `ShardSizeMap`, else one VS. DEDICATED is 0 there, and
                // `utils.Bkt` with 0 keeps the whole FNV-1a hash of the host.
                "passthroughShardSize" => {
                    if let Some(t) = ld.text(v, p) {
                        s.passthrough_shard_size = shard_size(&t);
                        match s.passthrough_shard_size {
                            ShardSize::Other => ld.warn(v, p, format!("{t:?} is not one of {} (compared case-sensitively); AKO uses 1 passthrough virtual service, as SMALL (PassthroughShardSize)", PASSTHROUGH_SHARD_SIZES.join(", "))),
                            ShardSize::Dedicated => ld.warn(v, p, "DEDICATED is not one of LARGE, MEDIUM, SMALL for passthrough; AKO uses size 0: one passthrough virtual service per host, numbered by the host's whole FNV-1a hash (PassthroughShardSize, utils.Bkt)"),
                            _ => {}
                        }
                    }
                }
                "enableMCI" if ld.go_bool(v, p, false) => {
                    ld.warn(v, p, "multi-cluster ingress is not modelled by akoctl");
                }
                "fqdnReusePolicy" => {
                    if let Some(t) = ld.text(v, p) {
                        raw.fqdn_reuse_policy = Some((t, v.clone()));
                    }
                }
                _ => {}
            }
        });
    }

    /// `L4Settings`.
    fn l4_settings(&mut self, n: &Node, path: &str, raw: &mut Raw) {
        self.section(n, path, &["defaultLBController", "defaultDomain", "autoFQDN"], |ld, k, v, p| {
            match k {
                // `cmd/ako-main/main.go`: ParseBool, true when unparsable.
                "defaultLBController" => raw.s.default_lb_controller = ld.go_bool(v, p, true),
                "defaultDomain" => {
                    if let Some(t) = ld.text(v, p) {
                        raw.l4_default_domain = Some((t, v.clone()));
                    }
                }
                // `internal/lib/lib.go` `GetL4FqdnFormat`: exactly `default` or
                // `flat`; anything else disables auto FQDN.
                _ => {
                    let Some(t) = ld.text(v, p) else { return };
                    raw.s.auto_fqdn = match t.as_str() {
                        "default" => AutoFqdn::Default,
                        "flat" => AutoFqdn::Flat,
                        "disabled" | "disable" => AutoFqdn::Disabled,
                        other => {
                            ld.warn(
                                v,
                                p,
                                format!("{other:?} is not one of default, flat, disabled; AKO disables auto FQDN"),
                            );
                            AutoFqdn::Disabled
                        }
                    };
                }
            }
        });
    }

    /// `ControllerSettings`.
    fn controller_settings(&mut self, n: &Node, path: &str, raw: &mut Raw) {
        const KEYS: [&str; 7] = [
            "serviceEngineGroupName",
            "controllerVersion",
            "cloudName",
            "controllerHost",
            "tenantName",
            "vrfName",
            "dedicatedTenantMode",
        ];
        self.section(n, path, &KEYS, |ld, k, v, p| {
            let s = &mut raw.s;
            let or = |t: String, d: &str| if t.is_empty() { d.to_string() } else { t };
            match k {
                // `internal/lib/lib.go` `init`: empty SEG_NAME = Default-Group.
                "serviceEngineGroupName" => {
                    if let Some(t) = ld.text(v, p) {
                        s.se_group_name = or(t, "Default-Group");
                    }
                }
                // `pkg/utils/types.go` `init`: empty CLOUD_NAME = Default-Cloud.
                "cloudName" => {
                    if let Some(t) = ld.text(v, p) {
                        s.cloud_name = or(t, "Default-Cloud");
                    }
                }
                // `internal/lib/lib.go` `GetTenant`: empty = admin.
                "tenantName" => {
                    if let Some(t) = ld.text(v, p) {
                        s.tenant_name = or(t, "admin");
                    }
                }
                "vrfName" => {
                    if let Some(t) = ld.text(v, p) {
                        s.vrf_name = t;
                    }
                }
                _ => {} // controllerVersion, controllerHost, dedicatedTenantMode
            }
        });
    }

    /// `nodePortSelector` / `nodeSelectorLabels`: `{key, value}`.
    fn node_selector(&mut self, n: &Node, path: &str) -> Option<(String, String)> {
        let mut kv = (String::new(), String::new());
        let mut ok = true;
        self.section(n, path, &["key", "value"], |ld, k, v, p| {
            match ld.text(v, p) {
                Some(t) if k == "key" => kv.0 = t,
                Some(t) => kv.1 = t,
                None => ok = false,
            }
        });
        ok.then_some(kv)
    }

    /// The cloud-facts file: `cloudType`, `dnsSubdomains`, `defaultLicenseTier`,
    /// `vrf`, `nsxtTransportZone`.
    fn facts(&mut self, n: &Node, raw: &mut Raw) {
        let mut f = CloudFacts::default();
        self.section(
            n,
            "",
            &[
                "cloudType",
                "dnsSubdomains",
                "defaultLicenseTier",
                "vrf",
                "nsxtTransportZone",
            ],
            |ld, k, v, p| match k {
                "cloudType" => {
                    if let Some(t) = ld.one_of(v, p, &CLOUD_TYPES) {
                        f.cloud_type = t;
                    }
                }
                "dnsSubdomains" => match &v.val {
                    Val::Null => {}
                    Val::Seq(items) => {
                        for it in items {
                            if let Some(t) = ld.text(it, p) {
                                f.dns_subdomains.push(t);
                            }
                        }
                    }
                    other => ld.error(
                        v,
                        p,
                        format!("expected a list of sub-domains, got {}", other.kind()),
                    ),
                },
                "defaultLicenseTier" => {
                    if let Some(t) = ld.one_of(v, p, &LICENSE_TIERS) {
                        f.default_license_tier = t;
                    }
                }
                "nsxtTransportZone" => {
                    if let Some(t) = ld.one_of(v, p, &TRANSPORT_ZONES) {
                        f.nsxt_transport_zone = t;
                    }
                }
                _ => {
                    if let Some(t) = ld.text(v, p) {
                        raw.facts_vrf = (!t.is_empty()).then_some(t);
                    }
                }
            },
        );
        raw.s.cloud = f;
    }

    /// Settings that depend on each other, and AKO's boot-time refusals.
    fn resolve(&mut self, raw: &mut Raw) {
        // defaultDomain: `helm/ako/templates/configmap.yaml` renders
        // NetworkSettings.defaultDomain when non-empty, else L4Settings.defaultDomain.
        let net = raw
            .network_default_domain
            .take()
            .filter(|(t, _)| !t.is_empty());
        let l4 = raw.l4_default_domain.take().filter(|(t, _)| !t.is_empty());
        match (net, l4) {
            (Some((t, _)), Some((l4t, n))) => {
                if t != l4t {
                    self.warn(
                        &n,
                        "L4Settings.defaultDomain",
                        format!("ignored: NetworkSettings.defaultDomain {t:?} takes precedence"),
                    );
                }
                raw.s.default_domain = t;
            }
            (Some((t, _)), None) => raw.s.default_domain = t,
            (None, Some((t, n))) => {
                if self.release.chart_has("NetworkSettings.defaultDomain") {
                    self.warn(
                        &n,
                        "L4Settings.defaultDomain",
                        "deprecated; use NetworkSettings.defaultDomain",
                    );
                }
                raw.s.default_domain = t;
            }
            (None, None) => {}
        }

        // namespaceSelector: `GetLabelToSyncNamespace` needs both, trimmed non-empty.
        let key = raw.ns_key.take();
        let value = raw.ns_value.take();
        let filled =
            |x: &Option<(String, Node)>| x.as_ref().is_some_and(|(t, _)| !t.trim().is_empty());
        match (filled(&key), filled(&value)) {
            (true, true) => {
                raw.s.namespace_selector_key = key.map(|x| x.0).unwrap_or_default();
                raw.s.namespace_selector_value = value.map(|x| x.0).unwrap_or_default();
            }
            (true, false) | (false, true) => {
                if let Some((_, n)) = key.as_ref().or(value.as_ref()) {
                    self.warn(
                        n,
                        "AKOSettings.namespaceSelector",
                        "labelKey and labelValue must both be set; AKO syncs every namespace",
                    );
                }
            }
            (false, false) => {}
        }

        // nodePortSelector (docs: nodeSelectorLabels); the chart renders
        // NODE_KEY/NODE_VALUE only for serviceType NodePort (`GetNodePortsSelector`).
        let selector = match (raw.node_selector.take(), raw.node_selector_alias.take()) {
            (Some(main), Some((_, _, n))) => {
                self.warn(
                    &n,
                    "nodeSelectorLabels",
                    "ignored: nodePortSelector takes precedence",
                );
                Some(main)
            }
            (Some(main), None) => Some(main),
            (None, Some((k, v, _))) => Some((k, v)),
            (None, None) => None,
        };
        if let Some((k, v)) = selector
            && raw.s.service_type == ServiceType::NodePort
        {
            raw.s.node_selector_key = k;
            raw.s.node_selector_value = v;
        }

        // fqdnReusePolicy: lower-cased (`cmd/ako-main/main.go`); only `strict`
        // with EVH, anything else InterNamespaceAllowed
        // (`internal/lib/control_config.go` `SetAKOFQDNReusePolicy`).
        if let Some((t, n)) = raw.fqdn_reuse_policy.take() {
            let lower = t.to_lowercase();
            if !matches!(lower.as_str(), "" | "strict" | "internamespaceallowed") {
                self.warn(&n, "L7Settings.fqdnReusePolicy", format!("{t:?} is not Strict or InterNamespaceAllowed; AKO uses InterNamespaceAllowed"));
            }
            raw.s.fqdn_reuse_policy = if lower == "strict" && raw.s.enable_evh {
                "Strict".into()
            } else {
                "InterNamespaceAllowed".into()
            };
        }

        raw.s.cloud.vrf = match raw.facts_vrf.take() {
            Some(v) => v,
            None => default_vrf(&raw.s),
        };

        self.boot_checks(raw);
    }

    /// A refusal at `n` (its line or `--set`), or at the settings as a whole
    /// when the key is not written (the chart default applies).
    fn refuse(&mut self, n: Option<&Node>, path: &str, msg: String) {
        match n {
            Some(n) => self.error(n, path, msg),
            None => self.errors.push(format!("settings: {path}: {msg}")),
        }
    }

    /// Inputs with which AKO refuses to start or to sync, in the order of its
    /// boot path: helm's own `fail`s (`helm/ako/templates/statefulset.yaml`),
    /// then `internal/cache/controller_obj_cache.go` `ValidateUserInput`
    /// (`checkAndSetCloudType`, `checkRequiredValuesYaml`, `checkNodeNetwork`,
    /// `checkPublicCloud`, `checkAndSetVRFFromNetwork`, `IsValidV6Config`) and
    /// `cmd/ako-main/main.go` `InitializeAKC` (`GetVipNetworkListEnv`). A failed
    /// validation makes `HandleConfigMap` return an error, and AKO stops without
    /// syncing anything. The clusterName, NodePortLocal-without-antrea and
    /// bgpPeerLabels-without-RHI checks are reported by `compile`.
    ///
    /// Not judged offline (they need more of the controller than the cloud
    /// facts hold): the tenant, cloud, VRF, SE group and networks existing,
    /// and the cloud's IPAM. The NSX-T transport zone is judged when the
    /// cloud facts give it (`nsxtTransportZone`).
    fn boot_checks(&mut self, raw: &Raw) {
        let s = &raw.s;
        let cloud = s.cloud.cloud_type.as_str();
        let vip_at = raw.vip_list.as_ref();
        const VIP: &str = "NetworkSettings.vipNetworkList";

        // helm: `fail` in the StatefulSet template; the chart does not install.
        if let Some(n) = &raw.replica_count {
            let count = sprig_int(&n.val);
            if count > 2 {
                self.error(n, "replicaCount", format!("{count} is more than 2; helm refuses to install AKO's chart (\"ReplicaCount more than 2 is not supported.\"); use 1, or 2 for a standby replica"));
            } else if count > 1 {
                match raw.primary_instance.as_ref().map(|p| &p.val) {
                    Some(Val::Bool(true)) | None => {}
                    Some(Val::Bool(false)) => self.error(n, "replicaCount", format!("{count} with AKOSettings.primaryInstance false; helm refuses to install AKO's chart (\"ReplicaCount more than 1 is not supported for secondary AKO.\"); use replicaCount 1 for a secondary AKO")),
                    Some(other) => {
                        let kind = other.kind();
                        self.error(n, "replicaCount", format!("{count} with AKOSettings.primaryInstance written as {kind}: the chart compares it with the boolean false and helm fails to render it (incompatible types for comparison); write primaryInstance: true or false without quotes"));
                    }
                }
            }
        }

        // `checkAndSetCloudType`: an NSX-T cloud's transport zone decides
        // whether nsxtT1LR is required (overlay) or refused (VLAN).
        if let Some(msg) = nsxt_transport_zone_refusal(s) {
            self.refuse(raw.t1lr.as_ref(), "NetworkSettings.nsxtT1LR", msg);
        }
        // `checkAndSetCloudType`: nsxtT1LR and vpcMode belong to NSX-T clouds.
        if cloud != "CLOUD_NSXT" {
            if let Some(n) = raw.t1lr.as_ref().filter(|_| !s.nsxt_t1_lr.is_empty()) {
                self.error(n, "NetworkSettings.nsxtT1LR", format!("is set but the cloud is {cloud}; AKO stops (\"Cloud is not configured as NSX-T but the T1 LR mapping is provided\"); remove nsxtT1LR, or name an NSX-T cloud in ControllerSettings.cloudName"));
            } else if let Some(n) = &raw.vpc_mode {
                self.error(n, "AKOSettings.vpcMode", format!("is true but the cloud is {cloud}; AKO stops (\"Cloud is not configured as NSX-T but VPC mode is enabled\"); set vpcMode: false, or name an NSX-T cloud in ControllerSettings.cloudName"));
            }
        }

        // `GetVipNetworkListEnv` (skipped in VPC mode): an explicit null is
        // rendered "null" and refused; more than one entry outside AWS.
        if raw.vpc_mode.is_none() {
            for (n, p) in &raw.vip_not_strings {
                let kind = n.val.kind();
                self.error(n, p, format!("is {kind}, not a string; AKO stops (\"unable to unmarshall json for vipNetworkList\"); quote the value"));
            }
            if let Some(n) = vip_at.filter(|n| n.val == Val::Null) {
                let advice = if is_public_cloud(cloud) {
                    format!(
                        "list the VIP network, e.g. vipNetworkList: [{{networkName: <network>}}] ({cloud} also refuses [])"
                    )
                } else {
                    "write vipNetworkList: [] to let the cloud's IPAM choose, or list the VIP network".to_string()
                };
                self.error(
                    n,
                    VIP,
                    format!(
                        "is null; AKO stops (\"vipNetworkList not set in values.yaml\"); {advice}"
                    ),
                );
            } else if s.vip_networks.len() > 1 && cloud != "CLOUD_AWS" {
                let msg = format!(
                    "has {} entries; AKO stops (\"more than one network specified in VIP Network List and Cloud type is not AWS\"); only CLOUD_AWS takes several, keep one",
                    s.vip_networks.len()
                );
                self.refuse(vip_at, VIP, msg);
            }
        }

        // `checkNodeNetwork`: vCenter clouds and NSX-T VLAN zones
        // (`IsNodeNetworkAllowedCloud`).
        if cloud == "CLOUD_VCENTER" || s.cloud.is_nsxt_vlan() {
            const NODE: &str = "NetworkSettings.nodeNetworkList";
            for (n, p) in &raw.node_not_strings {
                let kind = n.val.kind();
                self.error(n, p, format!("is {kind}, not a string; AKO stops (\"Unable to unmarshall json for nodeNetworkMap\"); quote the value"));
            }
            if let Some(n) = raw.node_list.as_ref().filter(|n| n.val == Val::Null) {
                self.error(n, NODE, "is null; AKO stops (\"nodeNetworkList not set in values yaml\"); write nodeNetworkList: [] or list the node networks");
            } else if s.node_networks.len() > 5 {
                let msg = format!(
                    "has {} entries; AKO stops (\"Maximum of 5 entries are allowed for nodeNetworkMap\"); keep at most 5",
                    s.node_networks.len()
                );
                self.refuse(raw.node_list.as_ref(), NODE, msg);
            } else {
                for (cidr, n, p) in &raw.node_cidrs {
                    if !is_go_cidr(cidr) {
                        self.error(n, p, format!("{cidr:?} is not a CIDR; AKO stops (\"value of CIDR couldn't be parsed\"); write address/prefix-length, e.g. 10.0.0.0/24"));
                    }
                }
            }
        }

        // `checkPublicCloud`: public clouds need a VIP network.
        if is_public_cloud(cloud)
            && s.vip_networks.is_empty()
            && vip_at.is_none_or(|n| n.val != Val::Null)
        {
            self.refuse(vip_at, VIP, format!("is empty but the cloud is {cloud}; AKO stops syncing (\"vipNetworkList not specified, syncing will be disabled\"); list the network (subnet) for VIPs, e.g. vipNetworkList: [{{networkName: <network>}}]"));
        }

        // `checkAndSetVRFFromNetwork` → `validateNetworkNames`, reached when
        // the VRF comes from the VIP network.
        let vrf_named = matches!(cloud, "CLOUD_VCENTER" | "CLOUD_NONE") && !s.vrf_name.is_empty();
        let vrf_from_network =
            !is_public_cloud(cloud) && s.service_type != ServiceType::NodePort && !vrf_named;
        if vrf_from_network {
            for v in &s.vip_networks {
                if !v.cidr.is_empty() && !is_v4_cidr(&v.cidr) {
                    let msg = format!(
                        "invalid cidr {:?} for network {:?}; AKO stops syncing (\"failed to validate Network Names specified in VIP Network List\"); write an IPv4 CIDR such as 10.0.0.0/24",
                        v.cidr, v.network_name
                    );
                    self.refuse(vip_at, VIP, msg);
                }
                if !v.v6cidr.is_empty() && !is_v6_cidr(&v.v6cidr) {
                    let msg = format!(
                        "invalid v6cidr {:?} for network {:?}; AKO stops syncing (\"failed to validate Network Names specified in VIP Network List\"); write an IPv6 CIDR such as 2001:db8::/64",
                        v.v6cidr, v.network_name
                    );
                    self.refuse(vip_at, VIP, msg);
                }
            }
        }

        // `SetIPFamily` / `IsValidV6Config`: on vCenter, no-access and NSX-T
        // clouds ipFamily is used as written and must be V4, V6 or V4_V6; on
        // other clouds AKO uses V4 whatever is written, and refuses v6cidr.
        let v6_cloud = matches!(cloud, "CLOUD_VCENTER" | "CLOUD_NONE" | "CLOUD_NSXT");
        if let Some((t, n)) = &raw.ip_family
            && !t.is_empty()
            && !IP_FAMILIES.contains(&t.as_str())
        {
            if v6_cloud {
                self.error(n, "AKOSettings.ipFamily", format!("invalid value {t:?}; allowed values: {}; AKO stops syncing (\"ipFamily is not one of (V4, V6)\")", IP_FAMILIES.join(", ")));
            } else {
                self.warn(
                    n,
                    "AKOSettings.ipFamily",
                    format!(
                        "{t:?} is not one of {}; on {cloud} AKO uses V4 whatever is written",
                        IP_FAMILIES.join(", ")
                    ),
                );
            }
        }
        if !v6_cloud && s.vip_networks.iter().any(|v| !v.v6cidr.is_empty()) {
            self.refuse(vip_at, VIP, format!("v6cidr is set but the cloud is {cloud}; AKO stops syncing (\"IPv6 CIDR is only supported for vCenter Clouds\"); v6cidr works on CLOUD_VCENTER, CLOUD_NONE and CLOUD_NSXT clouds only, remove it"));
        }
    }
}

/// AKO's refusal of `nsxtT1LR` for the transport zone of an NSX-T cloud
/// (`internal/cache/controller_obj_cache.go` `checkAndSetCloudType`): an
/// overlay zone needs the T1 path, a VLAN zone refuses it; either failure
/// stops AKO ("AKO will be rebooted to retry"). `None` when the zone is not
/// known or the pair is valid. Also judged after a live controller's facts
/// are read.
pub fn nsxt_transport_zone_refusal(s: &Settings) -> Option<String> {
    if s.cloud.cloud_type != "CLOUD_NSXT" {
        return None;
    }
    let zone = s.cloud.nsxt_transport_zone.as_str();
    let t1 = !s.nsxt_t1_lr.is_empty();
    match (zone, t1) {
        ("OVERLAY", false) => Some(format!(
            "is not set but cloud {:?} is NSX-T with an OVERLAY transport zone; AKO stops (\"Cloud is configured as NSX-T with overlay transport zone but the T1 LR mapping is not provided\"); set nsxtT1LR to the tier-1 path, e.g. /infra/tier-1s/<t1>",
            s.cloud_name
        )),
        ("VLAN", true) => Some(format!(
            "is {:?} but cloud {:?} is NSX-T with a VLAN transport zone; AKO stops (\"Cloud configured as NSX-T with VLAN transport zone but the T1 LR mapping is provided\"); remove nsxtT1LR",
            s.nsxt_t1_lr, s.cloud_name
        )),
        _ => None,
    }
}

/// AKO's public clouds (`internal/lib/lib.go` `IsPublicCloud`).
fn is_public_cloud(cloud: &str) -> bool {
    matches!(
        cloud,
        "CLOUD_AWS" | "CLOUD_AZURE" | "CLOUD_GCP" | "CLOUD_OPENSTACK"
    )
}

/// Go's `net.ParseCIDR` acceptance: an IPv4 or IPv6 address, `/`, and a
/// decimal prefix length no longer than the address.
fn is_go_cidr(s: &str) -> bool {
    let Some((addr, len)) = s.split_once('/') else {
        return false;
    };
    let bits = if addr.parse::<std::net::Ipv4Addr>().is_ok() {
        32
    } else if addr.parse::<std::net::Ipv6Addr>().is_ok() {
        128
    } else {
        return false;
    };
    !len.is_empty()
        && len.bytes().all(|b| b.is_ascii_digit())
        && len.parse::<u32>().is_ok_and(|n| n <= bits)
}

/// Sprig's `int` on a helm value (`cast.ToInt`): numbers truncated, numeric
/// strings parsed, booleans 1/0, anything else 0.
fn sprig_int(v: &Val) -> i64 {
    match v {
        Val::Bool(b) => i64::from(*b),
        Val::Num(t) | Val::Str(t) => t
            .trim()
            .parse::<i64>()
            .ok()
            .or_else(|| {
                t.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| f as i64)
            })
            .unwrap_or(0),
        _ => 0,
    }
}

fn shard_size(s: &str) -> ShardSize {
    match s {
        "LARGE" => ShardSize::Large,
        "MEDIUM" => ShardSize::Medium,
        "SMALL" => ShardSize::Small,
        "DEDICATED" => ShardSize::Dedicated,
        _ => ShardSize::Other,
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// The VRF AKO settles on when the cloud-facts file does not say
/// (`internal/cache/controller_obj_cache.go` `checkAndSetVRFFromNetwork`):
/// public clouds use `global` (OpenStack with a non-admin tenant
/// `<tenant>-default`); NodePort mode uses `vrfName` or `global`; vCenter and
/// no-access clouds use `vrfName` when set. Otherwise AKO reads the VIP
/// network's VRF from the controller, which an offline compile cannot see:
/// `global` is assumed.
pub fn default_vrf(s: &Settings) -> String {
    let cloud = s.cloud.cloud_type.as_str();
    match cloud {
        "CLOUD_OPENSTACK" if s.tenant_name != "admin" => format!("{}-default", s.tenant_name),
        "CLOUD_AWS" | "CLOUD_AZURE" | "CLOUD_GCP" | "CLOUD_OPENSTACK" => "global".into(),
        _ if !s.vrf_name.is_empty()
            && (s.service_type == ServiceType::NodePort
                || matches!(cloud, "CLOUD_VCENTER" | "CLOUD_NONE")) =>
        {
            s.vrf_name.clone()
        }
        _ => "global".into(),
    }
}

/// A known key close to `k` (same letters in another case, or two edits away).
fn suggest<'a>(k: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = k.to_lowercase();
    known
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests;
