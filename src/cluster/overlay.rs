//! Putting manifests over a cluster's objects, and decoding the result.
//!
//! `-f` with a cluster answers "what would change if I applied this": every
//! object of the files replaces the cluster's object of the same API group,
//! kind, namespace and name, and the others are added. What remains of the
//! cluster becomes one input [`Source`] named `cluster:<context>`, one object
//! per line (`--- {json}`), so that it is decoded by exactly the code that
//! decodes files, and each object's origin is `cluster:<context>:<n>` for the
//! n-th object read.

use std::collections::{BTreeMap, HashSet};

use miette::Result;
use serde::Deserialize;

use super::{ClusterRead, resource_of};
use crate::input::registry::{self, Lookup};
use crate::input::{self, Source};
use crate::model::{Diagnostic, Severity, Snapshot};

/// `(group, kind, namespace, name)`; namespace empty for cluster-scoped kinds.
type Key = (String, String, String, String);

/// Decode a cluster read with the files laid over it.
///
/// `default_namespace` is the namespace of file objects that have none.
pub fn decode(
    read: &ClusterRead,
    files: &[Source],
    default_namespace: &str,
) -> Result<(Snapshot, Vec<Diagnostic>)> {
    let (sources, mut diags) = sources(read, files, default_namespace);
    let name = read.source_name();
    let (snapshot, decoded) = input::decode(&sources, default_namespace)?;
    diags.extend(summarize_unknown_fields(decoded, &name));
    diags.extend(read.diagnostics.iter().cloned());
    Ok((snapshot, diags))
}

/// The sources to decode: the cluster's objects that no file redefines, then
/// the files. Kinds the input registry does not decode are left out of the
/// cluster source, with one Info per kind.
pub fn sources(
    read: &ClusterRead,
    files: &[Source],
    default_namespace: &str,
) -> (Vec<Source>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let redefined = file_keys(files, default_namespace);
    let mut replaced = Vec::new();
    let mut unread: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut text = String::new();
    for o in &read.objects {
        let r = o.resource;
        let key = (
            r.group.to_string(),
            r.kind.to_string(),
            if r.namespaced {
                o.namespace().to_string()
            } else {
                String::new()
            },
            o.name().to_string(),
        );
        if redefined.contains(&key) {
            replaced.push(label(r.kind, &key.2, &key.3));
            continue;
        }
        if !matches!(registry::lookup(&r.api_version(), r.kind), Lookup::Found(_)) {
            *unread.entry((r.kind, r.group)).or_default() += 1;
            continue;
        }
        text.push_str("--- ");
        text.push_str(&o.value.to_string());
        text.push('\n');
    }
    for ((kind, group), n) in unread {
        diags.push(Diagnostic::new(
            Severity::Info,
            None,
            format!(
                "{n} {kind} object{} ({group}) read from the cluster; akoctl does not translate {kind} yet",
                if n == 1 { "" } else { "s" }
            ),
        ));
    }
    if !replaced.is_empty() {
        let shown: Vec<&str> = replaced.iter().take(5).map(String::as_str).collect();
        let more = if replaced.len() > shown.len() {
            format!(" and {} more", replaced.len() - shown.len())
        } else {
            String::new()
        };
        diags.push(Diagnostic::new(
            Severity::Info,
            None,
            format!(
                "{} object{} from -f replace the cluster's: {}{more}",
                replaced.len(),
                if replaced.len() == 1 { "" } else { "s" },
                shown.join(", ")
            ),
        ));
    }
    let mut out = Vec::with_capacity(files.len() + 1);
    out.push(Source {
        name: read.source_name(),
        text,
    });
    out.extend(files.iter().cloned());
    (out, diags)
}

fn label(kind: &str, ns: &str, name: &str) -> String {
    if ns.is_empty() {
        format!("{kind} {name}")
    } else {
        format!("{kind} {ns}/{name}")
    }
}

/// The few fields that identify an object.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Head {
    #[serde(rename = "apiVersion")]
    api_version: Option<String>,
    kind: Option<String>,
    metadata: Option<MetaHead>,
    items: Option<Vec<Head>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MetaHead {
    name: Option<String>,
    namespace: Option<String>,
}

/// Keys of every object in the files. A file that does not parse adds none:
/// decoding reports it.
fn file_keys(files: &[Source], default_namespace: &str) -> HashSet<Key> {
    let mut keys = HashSet::new();
    for f in files {
        let docs: Vec<Option<Head>> =
            match serde_saphyr::from_multiple_with_options(&f.text, options(f.text.len())) {
                Ok(d) => d,
                Err(_) => continue,
            };
        for h in docs.into_iter().flatten() {
            let (Some(kind), Some(version)) = (h.kind.as_deref(), h.api_version.as_deref()) else {
                continue;
            };
            match (kind.strip_suffix("List"), &h.items) {
                (Some(list_of), Some(items)) => {
                    for item in items {
                        let k = item
                            .kind
                            .as_deref()
                            .filter(|k| !k.is_empty())
                            .unwrap_or(list_of);
                        let v = item
                            .api_version
                            .as_deref()
                            .filter(|v| !v.is_empty())
                            .unwrap_or(version);
                        keys.extend(key_of(v, k, &item.metadata, default_namespace));
                    }
                }
                _ => keys.extend(key_of(version, kind, &h.metadata, default_namespace)),
            }
        }
    }
    keys
}

fn key_of(
    api_version: &str,
    kind: &str,
    meta: &Option<MetaHead>,
    default_namespace: &str,
) -> Option<Key> {
    let name = meta.as_ref()?.name.as_deref().filter(|n| !n.is_empty())?;
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let given = meta
        .as_ref()
        .and_then(|m| m.namespace.as_deref())
        .filter(|n| !n.is_empty());
    let namespaced = match registry::lookup(api_version, kind) {
        Lookup::Found(k) | Lookup::Served(k, _) | Lookup::OtherVersion(k) => k.namespaced,
        Lookup::Unknown => resource_of(group, kind).map_or(given.is_some(), |r| r.namespaced),
    };
    let ns = match (namespaced, given) {
        (false, _) => "",
        (true, Some(ns)) => ns,
        (true, None) => default_namespace,
    };
    Some((
        group.to_string(),
        kind.to_string(),
        ns.to_string(),
        name.to_string(),
    ))
}

/// Parser budget that grows with the text, as input decoding allows.
fn options(len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_documents = budget.max_documents.max(len / 4 + 1);
    budget.max_events = budget.max_events.max(len.saturating_mul(2));
    budget.max_nodes = budget.max_nodes.max(len);
    let mut opts = serde_saphyr::Options::default();
    opts.budget = Some(budget);
    opts
}

/// A cluster newer than akoctl's API types sends fields they do not know; one
/// Warning per object would drown the rest. Such warnings from the cluster
/// source become one Info per kind and field; those from files stay.
fn summarize_unknown_fields(diags: Vec<Diagnostic>, source_name: &str) -> Vec<Diagnostic> {
    let mut out = Vec::with_capacity(diags.len());
    let mut fields: BTreeMap<(String, String), usize> = BTreeMap::new();
    for d in diags {
        let from_cluster = d.origin.as_ref().is_some_and(|o| &*o.file == source_name);
        let field = d
            .message
            .strip_prefix("unknown field `")
            .and_then(|m| m.split_once('`'))
            .map(|(f, _)| f);
        match (from_cluster, field) {
            (true, Some(field)) => {
                let kind = d
                    .object
                    .as_deref()
                    .and_then(|o| o.split_whitespace().next())
                    .unwrap_or("object")
                    .to_string();
                *fields.entry((kind, without_indices(field))).or_default() += 1;
            }
            _ => out.push(d),
        }
    }
    for ((kind, field), n) in fields {
        out.push(Diagnostic::new(
            Severity::Info,
            None,
            format!(
                "field `{field}` of {n} {kind} object{} from the cluster is unknown to akoctl and ignored",
                if n == 1 { "" } else { "s" }
            ),
        ));
    }
    out
}

/// `spec.ports[0].x` → `spec.ports[].x`.
fn without_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{ClusterObject, resource_of};
    use serde_json::json;

    fn read(objects: Vec<(&str, &str, serde_json::Value)>) -> ClusterRead {
        ClusterRead {
            context: "ctx".into(),
            default_namespace: "default".into(),
            objects: objects
                .into_iter()
                .filter_map(|(g, k, value)| {
                    Some(ClusterObject {
                        resource: resource_of(g, k)?,
                        value,
                    })
                })
                .collect(),
            diagnostics: Vec::new(),
        }
    }

    fn svc(ns: &str, name: &str, port: i32) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Service",
               "metadata": {"namespace": ns, "name": name},
               "spec": {"ports": [{"port": port}]}})
    }

    #[test]
    fn files_replace_cluster_objects() -> Result<()> {
        let r = read(vec![
            ("", "Service", svc("default", "web", 80)),
            ("", "Service", svc("other", "web", 81)),
            (
                "",
                "Node",
                json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}),
            ),
        ]);
        let file = Source {
            name: "app.yaml".into(),
            text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 8080\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  namespace: ignored\n".into(),
        };
        let (snap, diags) = decode(&r, &[file], "default")?;
        let mut ports: Vec<(String, String, i32)> = snap
            .services
            .iter()
            .map(|s| {
                (
                    s.metadata.namespace.clone().unwrap_or_default(),
                    s.origin.file.to_string(),
                    s.spec
                        .as_ref()
                        .and_then(|sp| sp.ports.as_ref())
                        .and_then(|p| p.first())
                        .map_or(0, |p| p.port),
                )
            })
            .collect();
        ports.sort();
        assert_eq!(
            ports,
            vec![
                ("default".into(), "app.yaml".into(), 8080),
                ("other".into(), "cluster:ctx".into(), 81)
            ]
        );
        assert_eq!(snap.nodes.len(), 1);
        assert_eq!(
            snap.nodes
                .first()
                .map(|n| n.origin.file.to_string())
                .as_deref(),
            Some("app.yaml")
        );
        assert!(
            diags.iter().any(|d| d
                .message
                .contains("2 objects from -f replace the cluster's: Service default/web, Node n1"))
        );
        Ok(())
    }

    #[test]
    fn list_items_and_default_namespace_count_as_keys() {
        let file = Source {
            name: "l.yaml".into(),
            text: "apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: a}\n- metadata: {name: b, namespace: x}\n---\n".into(),
        };
        let keys = file_keys(&[file], "team");
        let k = |ns: &str, n: &str| {
            (
                "".to_string(),
                "Service".to_string(),
                ns.to_string(),
                n.to_string(),
            )
        };
        assert!(keys.contains(&k("team", "a")));
        assert!(keys.contains(&k("x", "b")));
        assert_eq!(keys.len(), 2);
    }

    #[test]
    fn origins_are_pseudo_lines() -> Result<()> {
        let r = read(vec![
            ("", "Service", svc("a", "one", 1)),
            ("", "Service", svc("a", "two", 2)),
        ]);
        let (snap, _) = decode(&r, &[], "default")?;
        let origins: Vec<String> = snap.services.iter().map(|s| s.origin.to_string()).collect();
        assert_eq!(origins, ["cluster:ctx:1", "cluster:ctx:2"]);
        Ok(())
    }

    #[test]
    fn unknown_cluster_fields_are_summarized() -> Result<()> {
        let mut a = svc("a", "one", 1);
        let mut b = svc("a", "two", 2);
        for v in [&mut a, &mut b] {
            if let Some(spec) = v.get_mut("spec").and_then(|s| s.as_object_mut()) {
                spec.insert("futureField".into(), json!(true));
            }
        }
        let (_, diags) = decode(
            &read(vec![("", "Service", a), ("", "Service", b)]),
            &[],
            "default",
        )?;
        let related: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.message.contains("futureField"))
            .collect();
        assert_eq!(related.len(), 1, "{diags:?}");
        assert!(
            related
                .iter()
                .all(|d| d.severity == Severity::Info && d.message.contains("2 Service objects"))
        );
        Ok(())
    }

    #[test]
    fn index_free_paths() {
        assert_eq!(without_indices("spec.ports[12].x[3]"), "spec.ports[].x[]");
    }
}
