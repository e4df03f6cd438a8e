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

/// Avi types the seed gives a `cloud_ref` (objects of a cloud).
const CLOUD_SCOPED: [&str; 3] = ["network", "serviceenginegroup", "vrfcontext"];

/// Controller objects the compiled objects refer to by name that AKO never
/// creates and that no other [`Want`] covers: profiles, policies and health
/// monitors named by HostRules, HTTPRules, L4Rules, L7Rules and SSORules
/// (AKO expects them on the controller: `internal/lib/lib.go` refs by name),
/// and the SE groups and networks of AviInfraSettings. Each names the CRD
/// that set the field (`--explain-rules`), else the referring object.
pub fn referenced(s: &Settings, compiled: &crate::compile::Compiled) -> Vec<Want> {
    let cloud_ref = format!("/api/cloud/?name={}", s.cloud_name);
    let names = crate::plan::normalize::RefNames::new();
    let mut out: Vec<Want> = Vec::new();
    for o in &compiled.objects.objects {
        let Value::Object(fields) = &o.body else {
            continue;
        };
        for (field, v) in fields {
            let mut refs = Vec::new();
            collect_refs(field, v, &mut refs);
            for r in refs {
                let c = crate::plan::normalize::canonical_ref(&r, &names);
                let Some((kind, name)) = c
                    .strip_prefix("/api/")
                    .and_then(|x| x.split_once("/?name="))
                else {
                    continue;
                };
                // Objects of the set itself are created by apply.
                let in_set = crate::model::AviType::parse(kind).is_some_and(|t| {
                    compiled
                        .objects
                        .objects
                        .iter()
                        .any(|x| x.kind == t && x.name == name)
                });
                if name.is_empty()
                    || in_set
                    || matches!(kind, "tenant" | "cloud")
                    || out.iter().any(|w| w.kind == kind && w.name == name)
                {
                    continue;
                }
                let Some(kind) = static_kind(kind) else {
                    continue;
                };
                let why = compiled
                    .provenance
                    .iter()
                    .find(|p| {
                        p.kind == o.kind
                            && p.name == o.name
                            && p.tenant == o.tenant
                            && p.field == *field
                    })
                    .map(|p| format!("{} ({} {}.{field})", p.source, o.kind, o.name))
                    .unwrap_or_else(|| format!("{} {}.{field}", o.kind, o.name));
                let mut body = json!({ "name": name });
                if CLOUD_SCOPED.contains(&kind) {
                    body["cloud_ref"] = json!(cloud_ref);
                }
                out.push(Want {
                    kind,
                    name: name.to_string(),
                    body,
                    why,
                });
            }
        }
    }
    out
}

/// Every `*_ref` string and `*_refs` list below a field.
fn collect_refs(key: &str, v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if key.ends_with("_ref") && !s.is_empty() => out.push(s.clone()),
        Value::Array(a) if key.ends_with("_refs") => {
            out.extend(a.iter().filter_map(|e| e.as_str().map(String::from)))
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(key, x, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| collect_refs(k, x, out)),
        _ => {}
    }
}

/// The Avi types a seed may create, as static names.
fn static_kind(kind: &str) -> Option<&'static str> {
    const KINDS: [&str; 22] = [
        "network",
        "serviceenginegroup",
        "vrfcontext",
        "healthmonitor",
        "applicationprofile",
        "networkprofile",
        "sslprofile",
        "analyticsprofile",
        "errorpageprofile",
        "wafpolicy",
        "botpolicy",
        "icapprofile",
        "ssopolicy",
        "authprofile",
        "networksecuritypolicy",
        "httppolicyset",
        "vsdatascriptset",
        "pkiprofile",
        "sslkeyandcertificate",
        "applicationpersistenceprofile",
        "trafficcloneprofile",
        "securitypolicy",
    ];
    KINDS.iter().find(|k| **k == kind).copied()
}

/// The controller version to report so that every compiled object is
/// accepted: `start`, raised to the release that introduced the newest
/// field the objects carry ([`super::versions::check`]), with the field that
/// asked for it. A controller older than that refuses the object with 400,
/// as it would refuse AKO's.
pub fn version_for(compiled: &crate::compile::Compiled, start: &str) -> (String, Option<String>) {
    let mut version = start.to_string();
    let mut why = None;
    for o in &compiled.objects.objects {
        // Each round raises the version; a field list is finite.
        for _ in 0..16 {
            let Some(msg) = super::versions::check(o.kind.as_str(), &o.body, &version) else {
                break;
            };
            let newer = msg
                .rsplit_once("later versions(v")
                .and_then(|(_, v)| v.split_once(')'))
                .map(|(v, _)| v.replace('_', "."));
            let field = msg
                .split_once("has field (")
                .and_then(|(_, f)| f.split_once(')'))
                .map(|(f, _)| f.to_string())
                .unwrap_or_default();
            match newer {
                Some(v) if crate::client::version_cmp(&v, &version).is_gt() => {
                    why = Some(format!("field {field} of {} {}", o.kind, o.name));
                    version = v;
                }
                _ => break,
            }
        }
    }
    (version, why)
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
    fn referenced_controller_objects_and_the_version_they_need() {
        use crate::model::{AviObject, AviType, ObjectSet};
        let vs = AviObject {
            kind: AviType::Virtualservice,
            name: "c--shop".into(),
            tenant: "admin".into(),
            sources: Default::default(),
            body: json!({"name": "c--shop", "ssl_profile_ref": "/api/sslprofile/?name=strict",
                "waf_policy_ref": "/api/wafpolicy/?name=waf", "revoke_vip_route": true,
                "vsvip_ref": "/api/vsvip/?name=c--shop",
                "http_policies": [{"http_policy_set_ref": "/api/httppolicyset/?name=theirs"}],
                "se_group_ref": "/api/serviceenginegroup/?name=Default-Group"}),
        };
        let vip = AviObject {
            kind: AviType::Vsvip,
            name: "c--shop".into(),
            tenant: "admin".into(),
            sources: Default::default(),
            body: json!({"name": "c--shop"}),
        };
        let compiled = crate::compile::Compiled {
            objects: ObjectSet {
                objects: vec![vip, vs],
            },
            diagnostics: Vec::new(),
            lean: Vec::new(),
            provenance: vec![crate::compile::crd::FieldProvenance {
                kind: AviType::Virtualservice,
                tenant: "admin".into(),
                name: "c--shop".into(),
                field: "ssl_profile_ref".into(),
                source: "HostRule shop/strict".into(),
            }],
            hashed: Default::default(),
        };
        let s = Settings::default();
        let got: Vec<(&str, String, String)> = referenced(&s, &compiled)
            .into_iter()
            .map(|w| (w.kind, w.name, w.why))
            .collect();
        // Fields in body order (keys sorted).
        let expected = [
            (
                "httppolicyset",
                "theirs",
                "virtualservice c--shop.http_policies",
            ),
            (
                "serviceenginegroup",
                "Default-Group",
                "virtualservice c--shop.se_group_ref",
            ),
            (
                "sslprofile",
                "strict",
                "HostRule shop/strict (virtualservice c--shop.ssl_profile_ref)",
            ),
            ("wafpolicy", "waf", "virtualservice c--shop.waf_policy_ref"),
        ];
        assert_eq!(got.len(), expected.len(), "{got:?}");
        for ((k, n, w), (ek, en, ew)) in got.iter().zip(expected) {
            assert_eq!((*k, n.as_str(), w.as_str()), (ek, en, ew));
        }
        let (v, why) = version_for(&compiled, "22.1.3");
        assert_eq!(v, "30.2.1");
        assert_eq!(
            why.as_deref(),
            Some("field revoke_vip_route of virtualservice c--shop")
        );
        assert_eq!(version_for(&compiled, "31.1.1").0, "31.1.1");
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
