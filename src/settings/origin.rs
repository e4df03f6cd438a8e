//! Where each resolved setting came from: a line of the values file, a
//! `--set` argument, a key of AKO's ConfigMap, an env variable of the `ako`
//! container, a field of the ako-operator's `AKOConfig`, a line of the
//! cloud-facts file, or the chart's default.
//!
//! Pure: takes the values tree the loader read ([`values_tree`]) and the
//! resolved [`Settings`], returns rows. Only the settings translation reads
//! are listed, so nothing of `avicredentials` (or any other secret a values
//! file may hold) is ever part of a row.

use serde::Serialize;
use serde_json::{Value, json};

use super::tree::{self, Node, Src, Val};
use super::values::SettingsInput;
use super::{AutoFqdn, IpFamily, ServiceType, Settings, ShardSize};

/// One resolved setting.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The helm values path (`L7Settings.shardVSSize`), or
    /// `cloudFacts.<key>` for a controller fact.
    pub setting: String,
    /// The value AKO's getter returns, as JSON.
    pub value: Value,
    /// Where it was written (`values.yaml:12`, `--set ...`, `ConfigMap
    /// avi-system/avi-k8s-config key shardVSSize`, ...) or `default`.
    pub origin: String,
    /// The value differs from what the chart's defaults resolve to.
    pub changed: bool,
}

impl Row {
    /// The value as one line: scalars plain, lists and mappings as JSON.
    pub fn value_text(&self) -> String {
        match &self.value {
            Value::Null => "(unset)".into(),
            Value::String(s) if s.is_empty() => "\"\"".into(),
            Value::String(s) => s.clone(),
            v => v.to_string(),
        }
    }
}

/// The values tree the loader reads: the values file laid over `base`
/// (AKO's settings read from a cluster), then the `--set` overrides, as
/// [`super::values::load_over`] builds it. `None` when the values file does
/// not parse or a `--set` is malformed (the loader reports those).
pub fn values_tree(base: Option<Node>, input: &SettingsInput<'_>) -> Option<Node> {
    let file = match input.values {
        Some((name, text)) => Some(tree::parse(name, text).ok()?),
        None => None,
    };
    let mut root = match (base, file) {
        (Some(mut b), Some(f)) => {
            super::values::merge(&mut b, f);
            b
        }
        (Some(b), None) => b,
        (None, Some(f)) => f,
        (None, None) => Node::new(Src::Line(0), Val::Map(Vec::new())),
    };
    for s in input.sets {
        tree::apply_set(&mut root, s).ok()?;
    }
    Some(root)
}

/// The node at a dotted path.
fn find<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    path.split('.').try_fold(root, |n, k| n.get(k))
}

/// `file:line`, `--set ARG` or the cluster object, for a node.
pub fn describe(src: &Src, file: &str) -> String {
    match src {
        Src::Line(l) => format!("{file}:{l}"),
        Src::Set(arg) => format!("--set {arg}"),
        Src::Cluster(from) => from.clone(),
    }
}

fn shard(s: ShardSize) -> Value {
    json!(match s {
        ShardSize::Large => "LARGE",
        ShardSize::Medium => "MEDIUM",
        ShardSize::Small => "SMALL",
        ShardSize::Dedicated => "DEDICATED",
        ShardSize::Other => "(other: one shard)",
    })
}

/// Every setting translation reads, by helm values path, with the value
/// AKO's getter returns (`internal/lib/lib.go`, `cmd/ako-main/main.go`).
fn values_of(s: &Settings) -> Vec<(&'static str, Value)> {
    let vip: Vec<Value> = s
        .vip_networks
        .iter()
        .map(|n| {
            let mut m = serde_json::Map::new();
            for (k, v) in [
                ("networkName", &n.network_name),
                ("networkUUID", &n.network_uuid),
                ("cidr", &n.cidr),
                ("v6cidr", &n.v6cidr),
            ] {
                if !v.is_empty() {
                    m.insert(k.into(), json!(v));
                }
            }
            Value::Object(m)
        })
        .collect();
    let node: Vec<Value> = s
        .node_networks
        .iter()
        .map(|n| {
            let mut m = serde_json::Map::new();
            for (k, v) in [
                ("networkName", &n.network_name),
                ("networkUUID", &n.network_uuid),
            ] {
                if !v.is_empty() {
                    m.insert(k.into(), json!(v));
                }
            }
            if !n.cidrs.is_empty() {
                m.insert("cidrs".into(), json!(n.cidrs));
            }
            Value::Object(m)
        })
        .collect();
    vec![
        ("AKOSettings.clusterName", json!(s.cluster_name)),
        ("AKOSettings.primaryInstance", json!(s.primary_instance)),
        ("AKOSettings.namespace", json!(s.ako_namespace)),
        ("AKOSettings.cniPlugin", json!(s.cni_plugin)),
        ("AKOSettings.enableEVH", json!(s.enable_evh)),
        ("AKOSettings.layer7Only", json!(s.layer7_only)),
        (
            "AKOSettings.namespaceSelector.labelKey",
            json!(s.namespace_selector_key),
        ),
        (
            "AKOSettings.namespaceSelector.labelValue",
            json!(s.namespace_selector_value),
        ),
        (
            "AKOSettings.blockedNamespaceList",
            json!(s.blocked_namespaces),
        ),
        (
            "AKOSettings.ipFamily",
            match s.ip_family {
                None => Value::Null,
                Some(IpFamily::V4) => json!("V4"),
                Some(IpFamily::V6) => json!("V6"),
                Some(IpFamily::V4V6) => json!("V4_V6"),
            },
        ),
        (
            "AKOSettings.disableStaticRouteSync",
            json!(s.disable_static_route_sync),
        ),
        ("AKOSettings.istioEnabled", json!(s.istio_enabled)),
        ("AKOSettings.vipPerNamespace", json!(s.vip_per_namespace)),
        ("AKOSettings.servicesAPI", json!(s.services_api)),
        (
            "AKOSettings.useDefaultSecretsOnly",
            json!(s.use_default_secrets_only),
        ),
        ("NetworkSettings.vipNetworkList", Value::Array(vip)),
        ("NetworkSettings.nodeNetworkList", Value::Array(node)),
        ("NetworkSettings.enableRHI", json!(s.enable_rhi)),
        ("NetworkSettings.bgpPeerLabels", json!(s.bgp_peer_labels)),
        ("NetworkSettings.nsxtT1LR", json!(s.nsxt_t1_lr)),
        ("NetworkSettings.defaultDomain", json!(s.default_domain)),
        ("L7Settings.shardVSSize", shard(s.shard_vs_size)),
        (
            "L7Settings.passthroughShardSize",
            shard(s.passthrough_shard_size),
        ),
        (
            "L7Settings.serviceType",
            json!(match s.service_type {
                ServiceType::ClusterIp => "ClusterIP",
                ServiceType::NodePort => "NodePort",
                ServiceType::NodePortLocal => "NodePortLocal",
            }),
        ),
        (
            "L7Settings.defaultIngController",
            json!(s.default_ing_controller),
        ),
        ("L7Settings.noPGForSNI", json!(s.no_pg_for_sni)),
        ("L7Settings.fqdnReusePolicy", json!(s.fqdn_reuse_policy)),
        (
            "L4Settings.defaultLBController",
            json!(s.default_lb_controller),
        ),
        (
            "L4Settings.autoFQDN",
            json!(match s.auto_fqdn {
                AutoFqdn::Default => "default",
                AutoFqdn::Flat => "flat",
                AutoFqdn::Disabled => "disabled",
            }),
        ),
        ("ControllerSettings.cloudName", json!(s.cloud_name)),
        (
            "ControllerSettings.serviceEngineGroupName",
            json!(s.se_group_name),
        ),
        ("ControllerSettings.tenantName", json!(s.tenant_name)),
        ("ControllerSettings.vrfName", json!(s.vrf_name)),
        ("nodePortSelector.key", json!(s.node_selector_key)),
        ("nodePortSelector.value", json!(s.node_selector_value)),
        ("featureGates.GatewayAPI", json!(s.gateway_api)),
        ("featureGates.EnableEndpointSlice", json!(s.endpoint_slices)),
        (
            "ako-crd-operator.enabled",
            json!(s.ako_crd_operator_enabled),
        ),
        ("cloudFacts.cloudType", json!(s.cloud.cloud_type)),
        ("cloudFacts.dnsSubdomains", json!(s.cloud.dns_subdomains)),
        (
            "cloudFacts.defaultLicenseTier",
            json!(s.cloud.default_license_tier),
        ),
        ("cloudFacts.vrf", json!(s.cloud.vrf)),
    ]
}

/// The inputs the rows are computed from.
pub struct Sources<'a> {
    /// The values tree ([`values_tree`]); `None` when there was none to read.
    pub tree: Option<&'a Node>,
    /// The values file's name, for `file:line` origins.
    pub values_file: &'a str,
    /// The cloud-facts file `(name, text)`, when one was given.
    pub cloud_facts: Option<(&'a str, &'a str)>,
}

/// One row per setting: its resolved value in `settings`, where it came
/// from, and whether it differs from `defaults` (the settings the chart's
/// defaults resolve to for the same release). Settings the release's chart
/// does not have are left out.
pub fn rows(settings: &Settings, defaults: &Settings, src: &Sources<'_>) -> Vec<Row> {
    let facts = src
        .cloud_facts
        .and_then(|(name, text)| tree::parse(name, text).ok().map(|n| (name, n)));
    let default_values = values_of(defaults);
    values_of(settings)
        .into_iter()
        .zip(default_values)
        .filter(|((path, _), _)| {
            path.starts_with("cloudFacts.") || settings.release.chart_has(path)
        })
        .map(|((path, value), (_, default))| {
            let origin =
                if let Some(key) = path.strip_prefix("cloudFacts.") {
                    match facts.as_ref().and_then(|(name, n)| Some((name, n.get(key)?))) {
                    Some((name, n)) => describe(&n.src, name),
                    None if key == "vrf" && value != default => {
                        "resolved as AKO does from the cloud type and ControllerSettings.vrfName"
                            .to_string()
                    }
                    None => "default".to_string(),
                }
                } else {
                    src.tree
                        .and_then(|t| origin_in(t, path, src.values_file))
                        .unwrap_or_else(|| "default".to_string())
                };
            Row {
                setting: path.to_string(),
                changed: value != default,
                value,
                origin,
            }
        })
        .collect()
}

/// Where `path` was written in the values tree, following the chart's
/// aliases (`L4Settings.defaultDomain` for `NetworkSettings.defaultDomain`,
/// `nodeSelectorLabels` for `nodePortSelector`).
fn origin_in(root: &Node, path: &str, file: &str) -> Option<String> {
    let text_of = |n: &Node| n.val.as_text().unwrap_or_else(|| "x".into());
    match path {
        // `helm/ako/templates/configmap.yaml`: NetworkSettings.defaultDomain
        // when non-empty, else L4Settings.defaultDomain.
        "NetworkSettings.defaultDomain" => {
            let net = find(root, path);
            if let Some(n) = net.filter(|n| !text_of(n).is_empty()) {
                return Some(describe(&n.src, file));
            }
            if let Some(n) = find(root, "L4Settings.defaultDomain") {
                return Some(format!(
                    "{} (L4Settings.defaultDomain)",
                    describe(&n.src, file)
                ));
            }
            net.map(|n| describe(&n.src, file))
        }
        "nodePortSelector.key" | "nodePortSelector.value" => {
            if let Some(n) = find(root, path) {
                return Some(describe(&n.src, file));
            }
            let alias = path.replacen("nodePortSelector", "nodeSelectorLabels", 1);
            find(root, &alias).map(|n| format!("{} ({alias})", describe(&n.src, file)))
        }
        _ => find(root, path).map(|n| describe(&n.src, file)),
    }
}

/// The `-v` lines: one per setting whose value is not the default.
pub fn changed_lines(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.changed)
        .map(|r| format!("{} = {} ({})", r.setting, r.value_text(), r.origin))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::values::{self, SettingsInput};

    fn rows_of(values: &str, sets: &[String], facts: Option<&str>) -> Vec<Row> {
        let input = SettingsInput {
            values: Some(("v.yaml", values)),
            sets,
            cloud_facts: facts.map(|t| ("f.yaml", t)),
        };
        let (settings, _) = values::load(&input).expect("settings");
        let (defaults, _) = values::load(&SettingsInput {
            values: None,
            sets: &[],
            cloud_facts: None,
        })
        .expect("defaults");
        let tree = values_tree(None, &input);
        rows(
            &settings,
            &defaults,
            &Sources {
                tree: tree.as_ref(),
                values_file: "v.yaml",
                cloud_facts: input.cloud_facts,
            },
        )
    }

    fn row<'a>(rows: &'a [Row], path: &str) -> &'a Row {
        rows.iter()
            .find(|r| r.setting == path)
            .unwrap_or_else(|| panic!("no row {path}"))
    }

    #[test]
    fn lines_sets_defaults_and_aliases() {
        let values = "AKOSettings:\n  clusterName: prod\nL4Settings:\n  defaultDomain: a.com\nL7Settings:\n  shardVSSize: SMALL\navicredentials:\n  password: hunter2\n";
        let sets = vec!["ControllerSettings.tenantName=team-a".to_string()];
        let r = rows_of(values, &sets, Some("cloudType: CLOUD_NONE\n"));
        assert_eq!(row(&r, "AKOSettings.clusterName").origin, "v.yaml:2");
        assert_eq!(
            row(&r, "NetworkSettings.defaultDomain").origin,
            "v.yaml:4 (L4Settings.defaultDomain)"
        );
        assert_eq!(
            row(&r, "ControllerSettings.tenantName").origin,
            "--set ControllerSettings.tenantName=team-a"
        );
        let cloud = row(&r, "ControllerSettings.cloudName");
        assert_eq!((cloud.origin.as_str(), cloud.changed), ("default", false));
        assert_eq!(row(&r, "cloudFacts.cloudType").origin, "f.yaml:1");
        assert_eq!(row(&r, "cloudFacts.dnsSubdomains").origin, "default");
        let lines = changed_lines(&r);
        assert!(
            lines.contains(&"L7Settings.shardVSSize = SMALL (v.yaml:6)".to_string()),
            "{lines:?}"
        );
        assert!(!lines.iter().any(|l| l.contains("cloudName")), "{lines:?}");
        let all = serde_json::to_string(&r).expect("json");
        assert!(!all.contains("hunter2") && !all.contains("avicredentials"));
    }

    #[test]
    fn a_setting_written_with_its_default_value_is_not_changed() {
        let r = rows_of("L7Settings:\n  shardVSSize: LARGE\n", &[], None);
        let shard = row(&r, "L7Settings.shardVSSize");
        assert_eq!((shard.origin.as_str(), shard.changed), ("v.yaml:2", false));
    }
}
