//! Loading [`Settings`] from AKO's helm `values.yaml`, `--set` overrides and a
//! cloud-facts file.

use miette::{IntoDiagnostic, Result, WrapErr};
use serde_json::Value;

use super::{AutoFqdn, CloudFacts, NodeNetwork, ServiceType, Settings, ShardSize, VipNetwork};
use crate::model::Diagnostic;

/// Texts of the inputs, already read by the caller (no IO here).
pub struct SettingsInput<'a> {
    pub values: Option<(&'a str, &'a str)>,
    pub sets: &'a [String],
    pub cloud_facts: Option<(&'a str, &'a str)>,
}

/// Minimal loader (to be completed: --set, validation, unknown keys).
pub fn load(input: &SettingsInput<'_>) -> Result<(Settings, Vec<Diagnostic>)> {
    let mut s = Settings::default();
    let diags = Vec::new();
    if let Some((name, text)) = input.values {
        let v: Value = serde_saphyr::from_str(text)
            .into_diagnostic()
            .wrap_err_with(|| format!("reading {name}"))?;
        let get = |path: &[&str]| -> Option<&Value> {
            let mut cur = &v;
            for p in path {
                cur = cur.get(*p)?;
            }
            Some(cur)
        };
        let gs = |path: &[&str]| -> Option<String> {
            get(path).and_then(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        if let Some(x) = gs(&["AKOSettings", "clusterName"]) {
            s.cluster_name = x;
        }
        if let Some(x) = gs(&["AKOSettings", "enableEVH"]) {
            s.enable_evh = x == "true";
        }
        if let Some(x) = gs(&["AKOSettings", "layer7Only"]) {
            s.layer7_only = x == "true";
        }
        if let Some(x) = gs(&["AKOSettings", "cniPlugin"]) {
            s.cni_plugin = x.to_lowercase();
        }
        if let Some(x) = gs(&["AKOSettings", "namespaceSelector", "labelKey"]) {
            s.namespace_selector_key = x;
        }
        if let Some(x) = gs(&["AKOSettings", "namespaceSelector", "labelValue"]) {
            s.namespace_selector_value = x;
        }
        if let Some(x) = gs(&["ControllerSettings", "cloudName"]) {
            s.cloud_name = x;
        }
        if let Some(x) = gs(&["ControllerSettings", "serviceEngineGroupName"]) {
            s.se_group_name = x;
        }
        if let Some(x) = gs(&["ControllerSettings", "tenantName"]) {
            s.tenant_name = x;
        }
        if let Some(x) = gs(&["L7Settings", "shardVSSize"]) {
            s.shard_vs_size = match x.as_str() {
                "LARGE" => ShardSize::Large,
                "MEDIUM" => ShardSize::Medium,
                "SMALL" => ShardSize::Small,
                "DEDICATED" => ShardSize::Dedicated,
                _ => ShardSize::Other,
            };
        }
        if let Some(x) = gs(&["L7Settings", "serviceType"]) {
            s.service_type = match x.as_str() {
                "NodePort" => ServiceType::NodePort,
                "NodePortLocal" => ServiceType::NodePortLocal,
                _ => ServiceType::ClusterIp,
            };
        }
        if let Some(x) = gs(&["L4Settings", "autoFQDN"]) {
            s.auto_fqdn = match x.as_str() {
                "default" => AutoFqdn::Default,
                "flat" => AutoFqdn::Flat,
                _ => AutoFqdn::Disabled,
            };
        }
        if let Some(x) = gs(&["L4Settings", "defaultLBController"]) {
            s.default_lb_controller = x != "false";
        }
        if let Some(x) = gs(&["NetworkSettings", "defaultDomain"]) {
            s.default_domain = x;
        }
        if let Some(Value::Array(a)) = get(&["NetworkSettings", "vipNetworkList"]) {
            s.vip_networks = a
                .iter()
                .map(|e| VipNetwork {
                    network_name: e.get("networkName").and_then(Value::as_str).unwrap_or("").into(),
                    network_uuid: e.get("networkUUID").and_then(Value::as_str).unwrap_or("").into(),
                    cidr: e.get("cidr").and_then(Value::as_str).unwrap_or("").into(),
                    v6cidr: e.get("v6cidr").and_then(Value::as_str).unwrap_or("").into(),
                })
                .collect();
        }
        if let Some(Value::Array(a)) = get(&["NetworkSettings", "nodeNetworkList"]) {
            s.node_networks = a
                .iter()
                .map(|e| NodeNetwork {
                    network_name: e.get("networkName").and_then(Value::as_str).unwrap_or("").into(),
                    network_uuid: e.get("networkUUID").and_then(Value::as_str).unwrap_or("").into(),
                    cidrs: e
                        .get("cidrs")
                        .and_then(Value::as_array)
                        .map(|c| c.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                        .unwrap_or_default(),
                })
                .collect();
        }
    }
    if let Some((name, text)) = input.cloud_facts {
        let v: Value = serde_saphyr::from_str(text)
            .into_diagnostic()
            .wrap_err_with(|| format!("reading {name}"))?;
        let mut f = CloudFacts::default();
        if let Some(x) = v.get("cloudType").and_then(Value::as_str) {
            f.cloud_type = x.into();
        }
        if let Some(a) = v.get("dnsSubdomains").and_then(Value::as_array) {
            f.dns_subdomains = a.iter().filter_map(|x| x.as_str().map(String::from)).collect();
        }
        if let Some(x) = v.get("defaultLicenseTier").and_then(Value::as_str) {
            f.default_license_tier = x.into();
        }
        if let Some(x) = v.get("vrf").and_then(Value::as_str) {
            f.vrf = x.into();
        }
        s.cloud = f;
    }
    Ok((s, diags))
}
