//! Settings written back as files: a values tree as a helm `values.yaml`
//! (each value followed by a comment saying where it was read), and the
//! cloud facts as a cloud-facts file. What `akoctl snapshot` writes, so that
//! an offline compile reads the very settings a live one resolved.
//!
//! Pure. Only the sections AKO's settings are read from are written: never
//! `avicredentials`, nor any key named like a password or token.

use super::CloudFacts;
use super::origin::describe;
use super::tree::{Node, Val};

/// Top-level sections of a values file that reach translation
/// (`super::values`); `ako-crd-operator` is cut to its `enabled`.
const SECTIONS: [&str; 10] = [
    "AKOSettings",
    "NetworkSettings",
    "L7Settings",
    "L4Settings",
    "ControllerSettings",
    "nodePortSelector",
    "nodeSelectorLabels",
    "featureGates",
    "replicaCount",
    "ako-crd-operator",
];

fn secret_like(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "password",
        "token",
        "secret",
        "credential",
        "privatekey",
        "cadata",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// A key as YAML: plain when it is a simple word, else double-quoted.
fn key_text(k: &str) -> String {
    let plain = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !k.starts_with(['-', '.'])
        && !matches!(
            k.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
        )
        && k.parse::<f64>().is_err();
    if plain {
        k.to_string()
    } else {
        serde_json::to_string(k).unwrap_or_default()
    }
}

/// A node as JSON, which YAML reads as the same value (flow style).
fn json_of(n: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &n.val {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(t) => serde_json::from_str::<serde_json::Number>(t)
            .map(Value::Number)
            .unwrap_or_else(|_| Value::String(t.clone())),
        Val::Str(s) => Value::String(s.clone()),
        Val::Seq(items) => Value::Array(items.iter().map(json_of).collect()),
        Val::Map(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !secret_like(k))
                .map(|(k, v)| (k.clone(), json_of(v)))
                .collect(),
        ),
    }
}

/// One line of a comment: no line breaks.
fn comment(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

fn write_map(out: &mut String, entries: &[(String, Node)], indent: usize, file: &str) {
    for (k, v) in entries {
        if secret_like(k) {
            continue;
        }
        let pad = " ".repeat(indent);
        match &v.val {
            Val::Map(m) if !m.is_empty() => {
                out.push_str(&format!("{pad}{}:\n", key_text(k)));
                write_map(out, m, indent + 2, file);
            }
            _ => {
                let from = describe(&v.src, file);
                out.push_str(&format!(
                    "{pad}{}: {}  # {}\n",
                    key_text(k),
                    json_of(v),
                    comment(&from)
                ));
            }
        }
    }
}

/// `tree` (the values tree the settings were loaded from) as a values file:
/// `header` lines as comments first, then the sections of [`SECTIONS`],
/// every value with a comment naming its origin (`file` names the values
/// file for its line numbers). Reading it back gives the same settings.
pub fn values_yaml(tree: &Node, file: &str, header: &[String]) -> String {
    let mut out = String::new();
    for h in header {
        out.push_str(&format!("# {}\n", comment(h)));
    }
    let entries: Vec<(String, Node)> = match &tree.val {
        Val::Map(m) => m
            .iter()
            .filter(|(k, _)| SECTIONS.contains(&k.as_str()))
            .map(|(k, v)| {
                if k != "ako-crd-operator" {
                    return (k.clone(), v.clone());
                }
                let enabled = match &v.val {
                    Val::Map(m) => m.iter().filter(|(k, _)| k == "enabled").cloned().collect(),
                    _ => Vec::new(),
                };
                (k.clone(), Node::new(v.src.clone(), Val::Map(enabled)))
            })
            .collect(),
        _ => Vec::new(),
    };
    if entries.is_empty() {
        out.push_str("{}\n");
    } else {
        write_map(&mut out, &entries, 0, file);
    }
    out
}

/// The cloud facts as a cloud-facts file (every key written, `vrf` as
/// resolved), with `header` lines as comments.
pub fn cloud_facts_yaml(facts: &CloudFacts, header: &[String]) -> String {
    let mut out = String::new();
    for h in header {
        out.push_str(&format!("# {}\n", comment(h)));
    }
    let j = |v: serde_json::Value| v.to_string();
    out.push_str(&format!(
        "cloudType: {}\n",
        j(serde_json::json!(facts.cloud_type))
    ));
    out.push_str(&format!(
        "dnsSubdomains: {}\n",
        j(serde_json::json!(facts.dns_subdomains))
    ));
    out.push_str(&format!(
        "defaultLicenseTier: {}\n",
        j(serde_json::json!(facts.default_license_tier))
    ));
    out.push_str(&format!("vrf: {}\n", j(serde_json::json!(facts.vrf))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::tree::{self, Src};
    use crate::settings::values::{self, SettingsInput};

    fn load(values: &str, facts: Option<&str>) -> crate::settings::Settings {
        values::load(&SettingsInput {
            values: Some(("v.yaml", values)),
            sets: &[],
            cloud_facts: facts.map(|f| ("f.yaml", f)),
        })
        .expect("settings")
        .0
    }

    #[test]
    fn written_values_read_back_to_the_same_settings() {
        let text = "AKOSettings:\n  clusterName: \"prod: a\"\n  enableEVH: 'true'\n  weird key: x\nNetworkSettings:\n  vipNetworkList:\n  - networkName: vip\n    cidr: 10.0.0.0/24\n  nodeNetworkList: []\nL7Settings:\n  shardVSSize: SMALL\n  noPGForSNI: null\nreplicaCount: 1\nako-crd-operator:\n  enabled: false\n  token: abc\navicredentials:\n  password: hunter2\n";
        let tree = tree::parse("v.yaml", text).expect("parse");
        let written = values_yaml(&tree, "v.yaml", &["read from here".into()]);
        assert!(written.starts_with("# read from here\n"), "{written}");
        assert!(
            written.contains("shardVSSize: \"SMALL\"  # v.yaml:11"),
            "{written}"
        );
        assert!(
            !written.contains("hunter2") && !written.contains("abc"),
            "{written}"
        );
        let facts = "cloudType: CLOUD_NONE\ndnsSubdomains: [a.com, b.com]\n";
        assert_eq!(load(&written, Some(facts)), load(text, Some(facts)));
        let s = load(text, Some(facts));
        let facts_text = cloud_facts_yaml(&s.cloud, &[]);
        assert_eq!(load(text, Some(&facts_text)), s);
    }

    #[test]
    fn cluster_origins_become_comments_and_an_empty_tree_a_mapping() {
        let mut tree = Node::new(Src::Line(0), Val::Map(Vec::new()));
        assert_eq!(values_yaml(&tree, "v", &[]), "{}\n");
        tree.val = Val::Map(vec![(
            "ControllerSettings".into(),
            Node::new(
                Src::Cluster("c".into()),
                Val::Map(vec![(
                    "cloudName".into(),
                    Node::new(
                        Src::Cluster("ConfigMap avi-system/avi-k8s-config key cloudName".into()),
                        Val::Str("Default-Cloud".into()),
                    ),
                )]),
            ),
        )]);
        assert_eq!(
            values_yaml(&tree, "v", &[]),
            "ControllerSettings:\n  cloudName: \"Default-Cloud\"  # ConfigMap avi-system/avi-k8s-config key cloudName\n"
        );
    }
}
