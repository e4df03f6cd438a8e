//! What a dev controller starts with so that AKO's objects for given
//! settings and inputs can be applied to it: the objects AKO expects to find
//! on a controller and never creates (`internal/cache/controller_obj_cache.go`:
//! the cloud by name, its SE group, VRF context and networks; the tenant it
//! writes to), also those the inputs name (tenants of namespace annotations,
//! networks and SE groups of AviInfraSettings), and the cloud's IPAM and DNS
//! profiles with the DNS sub-domains of the cloud facts.
//!
//! [`plan`] is pure (settings and inputs to a list of objects, each with the
//! reason it is there); [`apply`] inserts into a [`Store`] what it lacks.

use serde_json::{Value, json};

use super::{Config, Store};
use crate::model::Snapshot;
use crate::settings::Settings;

/// The Namespace annotation naming a namespace's tenant
/// (`internal/lib/constants.go` `TenantAnnotation`, read by
/// `internal/lib/utils.go` `GetTenantInNamespace`).
pub const TENANT_ANNOTATION: &str = "ako.vmware.com/tenant-name";

/// One object to seed.
#[derive(Clone, Debug, PartialEq)]
pub struct Want {
    pub kind: &'static str,
    pub name: String,
    /// Refs by name.
    pub body: Value,
    /// What asks for it (`ControllerSettings.tenantName`, `AviInfraSetting
    /// dmz spec.seGroup.name`, ...).
    pub why: String,
}

/// The controller settings the seed asks for: the cloud's type, DNS
/// sub-domains and license tier.
pub fn config(config: &mut Config, s: &Settings) {
    if !s.cloud.cloud_type.is_empty() {
        config.cloud_vtype = s.cloud.cloud_type.clone();
    }
    config.dns_domains = s.cloud.dns_subdomains.clone();
    if !s.cloud.default_license_tier.is_empty() {
        config.license_tier = s.cloud.default_license_tier.clone();
    }
}

/// The objects AKO needs on a controller for `s` and `inputs`, in the order
/// to create them (what an object refers to first). `networks` are the
/// `--network` names, created in `Default-Cloud` already.
pub fn plan(s: &Settings, inputs: Option<&Snapshot>, networks: &[String]) -> Vec<Want> {
    let mut out: Vec<Want> = Vec::new();
    let mut push = |w: Want| {
        if !out.iter().any(|o| o.kind == w.kind && o.name == w.name) {
            out.push(w);
        }
    };
    if s.tenant_name != "admin" {
        push(Want {
            kind: "tenant",
            name: s.tenant_name.clone(),
            body: json!({"name": s.tenant_name}),
            why: "ControllerSettings.tenantName".into(),
        });
    }
    if let Some(snap) = inputs
        && s.release.has(crate::release::Feature::NamespaceTenant)
    {
        for ns in &snap.namespaces {
            let name = ns.obj.metadata.name.clone().unwrap_or_default();
            if let Some(t) = ns
                .obj
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(TENANT_ANNOTATION))
                .filter(|t| !t.is_empty() && *t != "admin")
            {
                push(Want {
                    kind: "tenant",
                    name: t.clone(),
                    body: json!({"name": t}),
                    why: format!("annotation {TENANT_ANNOTATION} of Namespace {name}"),
                });
            }
        }
    }
    let cloud = s.cloud_name.as_str();
    let cloud_ref = format!("/api/cloud/?name={cloud}");
    let default_cloud = cloud == "Default-Cloud";
    if !default_cloud {
        let vtype = if s.cloud.cloud_type.is_empty() {
            "CLOUD_VCENTER"
        } else {
            s.cloud.cloud_type.as_str()
        };
        push(Want {
            kind: "cloud",
            name: cloud.into(),
            body: json!({"name": cloud, "vtype": vtype}),
            why: "ControllerSettings.cloudName".into(),
        });
    }
    let se_group = |name: &str, why: String| Want {
        kind: "serviceenginegroup",
        name: name.into(),
        body: json!({"name": name, "cloud_ref": cloud_ref}),
        why,
    };
    if !default_cloud || s.se_group_name != "Default-Group" {
        push(se_group(
            &s.se_group_name,
            "ControllerSettings.serviceEngineGroupName".into(),
        ));
    }
    let vrf = s.cloud.vrf.as_str();
    if !vrf.is_empty() && (!default_cloud || vrf != "global") {
        push(Want {
            kind: "vrfcontext",
            name: vrf.into(),
            body: json!({"name": vrf, "system_default": vrf == "global", "cloud_ref": cloud_ref}),
            why: "the VRF of the cloud facts".into(),
        });
    }
    let network = |name: &str, why: String| Want {
        kind: "network",
        name: name.into(),
        body: json!({"name": name, "cloud_ref": cloud_ref}),
        why,
    };
    let skip = |n: &str| n.is_empty() || (default_cloud && networks.iter().any(|x| x == n));
    let mut vip_names: Vec<String> = Vec::new();
    for n in &s.vip_networks {
        vip_names.push(n.network_name.clone());
        if !skip(&n.network_name) {
            push(network(
                &n.network_name,
                "NetworkSettings.vipNetworkList".into(),
            ));
        }
    }
    for n in &s.node_networks {
        if !skip(&n.network_name) {
            push(network(
                &n.network_name,
                "NetworkSettings.nodeNetworkList".into(),
            ));
        }
    }
    if let Some(snap) = inputs {
        for i in &snap.infra_settings {
            let name = i.obj.metadata.name.clone().unwrap_or_default();
            let spec = &i.obj.spec;
            for n in &spec.network.vip_networks {
                vip_names.push(n.network_name.clone());
                if !skip(&n.network_name) {
                    push(network(
                        &n.network_name,
                        format!("AviInfraSetting {name} spec.network.vipNetworks"),
                    ));
                }
            }
            for n in &spec.network.node_networks {
                if !skip(&n.network_name) {
                    push(network(
                        &n.network_name,
                        format!("AviInfraSetting {name} spec.network.nodeNetworks"),
                    ));
                }
            }
            if !spec.se_group.name.is_empty() {
                push(se_group(
                    &spec.se_group.name,
                    format!("AviInfraSetting {name} spec.seGroup.name"),
                ));
            }
        }
    }
    // The cloud's IPAM profile (the VIP networks it allocates from) and DNS
    // profile (the sub-domains AKO reads through
    // `/api/ipamdnsproviderprofiledomainlist`, `AviDNSPropertyPopulate`).
    vip_names.retain(|n| !n.is_empty());
    vip_names.sort();
    vip_names.dedup();
    if !vip_names.is_empty() {
        let usable: Vec<Value> = vip_names
            .iter()
            .map(|n| json!({"nw_ref": format!("/api/network/?name={n}")}))
            .collect();
        push(Want {
            kind: "ipamdnsproviderprofile",
            name: format!("{cloud}-ipam"),
            body: json!({"name": format!("{cloud}-ipam"), "type": "IPAMDNS_TYPE_INTERNAL",
                "internal_profile": {"usable_networks": usable}}),
            why: "the VIP networks (settings and AviInfraSettings)".into(),
        });
    }
    if !s.cloud.dns_subdomains.is_empty() {
        let domains: Vec<Value> = s
            .cloud
            .dns_subdomains
            .iter()
            .map(|d| json!({"domain_name": d}))
            .collect();
        push(Want {
            kind: "ipamdnsproviderprofile",
            name: format!("{cloud}-dns"),
            body: json!({"name": format!("{cloud}-dns"), "type": "IPAMDNS_TYPE_INTERNAL_DNS",
                "internal_profile": {"dns_service_domain": domains}}),
            why: "dnsSubdomains of the cloud facts".into(),
        });
    }
    out
}

/// Whether the store holds an object of this kind and name (in the cloud
/// of `body`, for cloud-scoped objects).
fn holds(store: &Store, w: &Want) -> bool {
    let cloud = w.body.get("cloud_ref").and_then(Value::as_str);
    store.objects().iter().any(|o| {
        o.kind == w.kind
            && o.name == w.name
            && (cloud.is_none() || o.body.get("cloud_ref").and_then(Value::as_str) == cloud)
    })
}

/// Insert what the store lacks of `wants` (tenants and admin-tenant objects,
/// in order), then point the cloud at its IPAM and DNS profiles. Returns one
/// line per object created, naming what asked for it.
pub fn apply(store: &mut Store, s: &Settings, wants: &[Want]) -> Vec<String> {
    let mut lines = Vec::new();
    for w in wants {
        if holds(store, w) {
            continue;
        }
        store.insert(w.kind, "admin", w.body.clone());
        lines.push(format!("{} {} (for {})", w.kind, w.name, w.why));
    }
    let cloud = s.cloud_name.clone();
    for (suffix, field) in [("ipam", "ipam_provider_ref"), ("dns", "dns_provider_ref")] {
        let profile = format!("{cloud}-{suffix}");
        if wants
            .iter()
            .any(|w| w.kind == "ipamdnsproviderprofile" && w.name == profile)
        {
            let r = format!("/api/ipamdnsproviderprofile/?name={profile}");
            store.edit(
                |o| o.kind == "cloud" && o.name == cloud,
                |b| {
                    if b.get(field).is_none() {
                        b[field] = json!(r);
                    }
                },
            );
        }
    }
    lines
}

/// The DNS sub-domains of the cloud with uuid `cloud_uuid`, from its DNS
/// profile (`dns_provider_ref`), as `/api/ipamdnsproviderprofiledomainlist`
/// answers; `None` when the cloud has no DNS profile.
pub fn cloud_domains(store: &Store, cloud_uuid: &str) -> Option<Vec<String>> {
    let cloud = store
        .objects()
        .iter()
        .find(|o| o.kind == "cloud" && o.uuid == cloud_uuid)?;
    let r = cloud.body.get("dns_provider_ref").and_then(Value::as_str)?;
    let name = r.rsplit_once("?name=").map(|(_, n)| n)?;
    let profile = store
        .objects()
        .iter()
        .find(|o| o.kind == "ipamdnsproviderprofile" && o.name == name)?;
    Some(
        profile
            .body
            .pointer("/internal_profile/dns_service_domain")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.get("domain_name").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::values::{self, SettingsInput};

    fn settings(values: &str, facts: &str) -> Settings {
        values::load(&SettingsInput {
            values: Some(("v.yaml", values)),
            sets: &[],
            cloud_facts: Some(("f.yaml", facts)),
        })
        .expect("settings")
        .0
    }

    #[test]
    fn inputs_name_tenants_networks_and_se_groups() {
        let s = settings(
            "ControllerSettings:\n  tenantName: team-a\nNetworkSettings:\n  vipNetworkList:\n  - networkName: vip\n    cidr: 10.0.0.0/24\n",
            "dnsSubdomains: [a.com]\n",
        );
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: red\n  annotations:\n    ako.vmware.com/tenant-name: team-red\n---\napiVersion: ako.vmware.com/v1beta1\nkind: AviInfraSetting\nmetadata:\n  name: dmz\nspec:\n  seGroup:\n    name: dmz-seg\n  network:\n    vipNetworks:\n    - networkName: dmz-vip\n";
        let sources = vec![crate::input::Source {
            name: "in.yaml".into(),
            text: text.into(),
        }];
        let (snap, _) = crate::input::decode(&sources, "default").expect("decode");
        let wants = plan(&s, Some(&snap), &[]);
        let got: Vec<(&str, &str, &str)> = wants
            .iter()
            .map(|w| (w.kind, w.name.as_str(), w.why.as_str()))
            .collect();
        assert!(got.contains(&("tenant", "team-a", "ControllerSettings.tenantName")));
        assert!(got.contains(&(
            "tenant",
            "team-red",
            "annotation ako.vmware.com/tenant-name of Namespace red"
        )));
        assert!(got.contains(&(
            "serviceenginegroup",
            "dmz-seg",
            "AviInfraSetting dmz spec.seGroup.name"
        )));
        assert!(got.contains(&(
            "network",
            "dmz-vip",
            "AviInfraSetting dmz spec.network.vipNetworks"
        )));
        assert!(got.contains(&("network", "vip", "NetworkSettings.vipNetworkList")));

        let mut store = Store::new(Config::default());
        let lines = apply(&mut store, &s, &wants);
        assert!(
            lines.iter().any(|l| l.starts_with("tenant team-red")),
            "{lines:?}"
        );
        // Applied twice: nothing more.
        assert!(apply(&mut store, &s, &wants).is_empty());
        let cloud_uuid = store
            .objects()
            .iter()
            .find(|o| o.kind == "cloud" && o.name == "Default-Cloud")
            .map(|o| o.uuid.clone())
            .expect("cloud");
        assert_eq!(
            cloud_domains(&store, &cloud_uuid),
            Some(vec!["a.com".to_string()])
        );
        let ipam = store
            .objects()
            .iter()
            .find(|o| o.kind == "ipamdnsproviderprofile" && o.name == "Default-Cloud-ipam")
            .expect("ipam");
        assert_eq!(
            ipam.body["internal_profile"]["usable_networks"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
    }
}
