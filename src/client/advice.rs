//! When a controller lacks an object AKO expects to find there (a tenant, a
//! cloud, a network, an SE group, a VRF context), say which setting or
//! Kubernetes object asked for it and how to create it: on the controller,
//! or with `akoctl dev-controller` and the flag that seeds it.
//!
//! Pure: the controller's error text (`Tenant 'team-a' does not exist!`,
//! controller-API notes §4), or a missing ref found before writing, plus the
//! settings, their origins and the inputs, to a hint.

use crate::model::Snapshot;
use crate::settings::Settings;
use crate::settings::origin::Row;

/// The tenant annotation of a Namespace (`internal/lib/constants.go`
/// `TenantAnnotation`, read by `internal/lib/utils.go` `GetTenantInNamespace`).
const TENANT_ANNOTATION: &str = "ako.vmware.com/tenant-name";

/// An object the controller does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lacking {
    /// The Avi type, as in `/api/<kind>`.
    pub kind: String,
    pub name: String,
}

/// The object a controller error says is missing: `Tenant '<t>' does not
/// exist!` (403 on any request in that tenant), or the cloud the facts
/// read did not find. `None` for any other error.
pub fn lacking_in(text: &str) -> Option<Lacking> {
    let between = |start: &str, end: &str| {
        let i = text.find(start)? + start.len();
        let j = text[i..].find(end)? + i;
        Some(text[i..j].to_string())
    };
    if let Some(t) = between("Tenant '", "' does not exist") {
        return Some(Lacking {
            kind: "tenant".into(),
            name: t,
        });
    }
    if let Some(c) = between("cloud \"", "\" does not exist on the controller") {
        return Some(Lacking {
            kind: "cloud".into(),
            name: c,
        });
    }
    None
}

/// What a command was given, for naming the dev-controller flags.
#[derive(Clone, Debug, Default)]
pub struct Given<'a> {
    /// The values file (`--values`).
    pub values: Option<&'a str>,
    /// The manifests (`-f`).
    pub files: &'a [String],
}

fn origin_of<'a>(origins: &'a [Row], setting: &str) -> &'a str {
    origins
        .iter()
        .find(|r| r.setting == setting)
        .map(|r| r.origin.as_str())
        .unwrap_or("default")
}

/// Who asked for `l`: settings (with their origin) and input objects (with
/// their file and line). Empty when nothing known did.
pub fn askers(
    l: &Lacking,
    s: &Settings,
    origins: &[Row],
    inputs: Option<&Snapshot>,
) -> (Vec<String>, bool, bool) {
    let mut out = Vec::new();
    let (mut by_settings, mut by_inputs) = (false, false);
    let mut setting = |out: &mut Vec<String>, path: &str| {
        out.push(format!("{path} ({})", origin_of(origins, path)));
        by_settings = true;
    };
    let name = l.name.as_str();
    match l.kind.as_str() {
        "tenant" => {
            if s.tenant_name == name {
                setting(&mut out, "ControllerSettings.tenantName");
            }
            for ns in inputs.map(|i| i.namespaces.as_slice()).unwrap_or_default() {
                let annotated = ns
                    .obj
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(TENANT_ANNOTATION))
                    .is_some_and(|t| t == name);
                if annotated {
                    out.push(format!(
                        "the annotation {TENANT_ANNOTATION} of Namespace {} ({})",
                        ns.obj.metadata.name.as_deref().unwrap_or(""),
                        ns.origin
                    ));
                    by_inputs = true;
                }
            }
        }
        "cloud" if s.cloud_name == name => setting(&mut out, "ControllerSettings.cloudName"),
        "serviceenginegroup" => {
            if s.se_group_name == name {
                setting(&mut out, "ControllerSettings.serviceEngineGroupName");
            }
            for i in inputs
                .map(|i| i.infra_settings.as_slice())
                .unwrap_or_default()
            {
                if i.obj.spec.se_group.name == name {
                    out.push(format!(
                        "AviInfraSetting {} spec.seGroup.name ({})",
                        i.obj.metadata.name.as_deref().unwrap_or(""),
                        i.origin
                    ));
                    by_inputs = true;
                }
            }
        }
        "network" => {
            if s.vip_networks.iter().any(|n| n.network_name == name) {
                setting(&mut out, "NetworkSettings.vipNetworkList");
            }
            if s.node_networks.iter().any(|n| n.network_name == name) {
                setting(&mut out, "NetworkSettings.nodeNetworkList");
            }
            for i in inputs
                .map(|i| i.infra_settings.as_slice())
                .unwrap_or_default()
            {
                let net = &i.obj.spec.network;
                let field = if net.vip_networks.iter().any(|n| n.network_name == name) {
                    "vipNetworks"
                } else if net.node_networks.iter().any(|n| n.network_name == name) {
                    "nodeNetworks"
                } else {
                    continue;
                };
                out.push(format!(
                    "AviInfraSetting {} spec.network.{field} ({})",
                    i.obj.metadata.name.as_deref().unwrap_or(""),
                    i.origin
                ));
                by_inputs = true;
            }
        }
        "vrfcontext" => {
            if s.vrf_name == name {
                setting(&mut out, "ControllerSettings.vrfName");
            } else if s.cloud.vrf == name {
                out.push(format!(
                    "the VRF of cloud {} (cloudFacts.vrf, {})",
                    s.cloud_name,
                    origin_of(origins, "cloudFacts.vrf")
                ));
                by_settings = true;
            }
        }
        _ => {}
    }
    (out, by_settings, by_inputs)
}

/// The `akoctl dev-controller` arguments that would create `l`: its own
/// flag where there is one (`--tenant`, `--network` for `Default-Cloud`),
/// and the values and manifests that asked for it (`--values`, `-f`), which
/// the dev controller seeds from.
pub fn dev_flags(l: &Lacking, s: &Settings, by: (bool, bool), given: &Given<'_>) -> Vec<String> {
    let (by_settings, by_inputs) = by;
    let mut out = Vec::new();
    match l.kind.as_str() {
        "tenant" => out.push(format!("--tenant {}", l.name)),
        "network" if s.cloud_name == "Default-Cloud" => out.push(format!("--network {}", l.name)),
        "network" | "cloud" | "serviceenginegroup" | "vrfcontext" => {}
        _ => return out,
    }
    let mut seed = Vec::new();
    if by_settings || by_inputs {
        seed.push(format!(
            "--values {}",
            given.values.unwrap_or("values.yaml")
        ));
    }
    if by_inputs {
        if given.files.is_empty() {
            seed.push("-f MANIFESTS".to_string());
        }
        seed.extend(given.files.iter().map(|f| format!("-f {f}")));
    }
    if !seed.is_empty() {
        out.push(seed.join(" "));
    }
    out
}

/// The hint for `l`: who asked for it and how to create it.
pub fn hint(
    l: &Lacking,
    s: &Settings,
    origins: &[Row],
    inputs: Option<&Snapshot>,
    given: &Given<'_>,
) -> String {
    let (who, by_settings, by_inputs) = askers(l, s, origins, inputs);
    let mut text = format!("{} {}", l.kind, l.name);
    if who.is_empty() {
        text.push_str(" does not exist on the controller");
    } else {
        text.push_str(&format!(" is asked for by {}", who.join(", and by ")));
    }
    text.push_str("; create it on the controller");
    let flags = dev_flags(l, s, (by_settings, by_inputs), given);
    if let Some((first, rest)) = flags.split_first() {
        text.push_str(&format!(", or with akoctl dev-controller: {first}"));
        if !rest.is_empty() {
            text.push_str(&format!(" (or {})", rest.join(", or ")));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::origin;
    use crate::settings::values::{self, SettingsInput};

    fn case(values: &str, inputs: &str, error: &str) -> String {
        let input = SettingsInput {
            values: Some(("values.yaml", values)),
            sets: &[],
            cloud_facts: None,
        };
        let (s, _) = values::load(&input).expect("settings");
        let (d, _) = values::load(&SettingsInput {
            values: None,
            sets: &[],
            cloud_facts: None,
        })
        .expect("defaults");
        let tree = origin::values_tree(None, &input);
        let rows = origin::rows(
            &s,
            &d,
            &origin::Sources {
                tree: tree.as_ref(),
                values_file: "values.yaml",
                cloud_facts: None,
            },
        );
        let sources = vec![crate::input::Source {
            name: "apps.yaml".into(),
            text: inputs.into(),
        }];
        let (snap, _) = crate::input::decode(&sources, "default").expect("decode");
        let files = vec!["apps.yaml".to_string()];
        let given = Given {
            values: Some("values.yaml"),
            files: &files,
        };
        let l = lacking_in(error)
            .or_else(|| {
                error.split_once(' ').map(|(k, n)| Lacking {
                    kind: k.into(),
                    name: n.into(),
                })
            })
            .expect("lacking");
        hint(&l, &s, &rows, Some(&snap), &given)
    }

    const NS: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: red\n  annotations:\n    ako.vmware.com/tenant-name: team-a\n---\napiVersion: ako.vmware.com/v1beta1\nkind: AviInfraSetting\nmetadata:\n  name: dmz\nspec:\n  seGroup:\n    name: dmz-seg\n  network:\n    vipNetworks:\n    - networkName: dmz-vip\n";

    #[test]
    fn tenant_of_the_values_and_of_a_namespace() {
        insta::assert_snapshot!(case(
            "ControllerSettings:\n  tenantName: team-a\n",
            NS,
            "GET /api/vsvip?name=x: HTTP 403: Tenant 'team-a' does not exist!"
        ));
    }

    #[test]
    fn tenant_of_a_namespace_only() {
        insta::assert_snapshot!(case(
            "AKOSettings:\n  clusterName: c\n",
            NS,
            "POST /api/pool: HTTP 403: Tenant 'team-a' does not exist!"
        ));
    }

    #[test]
    fn cloud_of_the_values() {
        insta::assert_snapshot!(case(
            "ControllerSettings:\n  cloudName: vcenter-2\n",
            NS,
            "/api/cloud?name=vcenter-2: unexpected response: cloud \"vcenter-2\" does not exist on the controller (AKO would not start)"
        ));
    }

    #[test]
    fn network_of_the_values_and_of_an_infra_setting() {
        insta::assert_snapshot!(case(
            "NetworkSettings:\n  vipNetworkList:\n  - networkName: vip\n    cidr: 10.0.0.0/24\n",
            NS,
            "network vip"
        ));
        insta::assert_snapshot!(case("{}\n", NS, "network dmz-vip"));
    }

    #[test]
    fn se_group_of_an_infra_setting_and_a_profile_nobody_named() {
        insta::assert_snapshot!(case("{}\n", NS, "serviceenginegroup dmz-seg"));
        insta::assert_snapshot!(case("{}\n", NS, "applicationprofile my-profile"));
    }

    #[test]
    fn other_errors_name_nothing() {
        assert_eq!(lacking_in("HTTP 400: Pool object not found!"), None);
        assert_eq!(
            lacking_in("HTTP 409: Pool with this Name already exists."),
            None
        );
    }
}
