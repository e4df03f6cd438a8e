//! A cluster read as manifest files, for `akoctl snapshot`.
//!
//! One YAML file per kind (`services.yaml`, `ingresses.networking.k8s.io.yaml`),
//! objects sorted by namespace and name, each a document with `apiVersion` and
//! `kind`. What the API server keeps for itself (`managedFields`,
//! `resourceVersion`, `uid`) was stripped when reading; `creationTimestamp` and
//! `status` stay, since translation reads them. The same bytes come out of the
//! same cluster state, so snapshots can be compared and committed.

use miette::{Result, miette};

use super::{ClusterRead, RESOURCES};

/// One file to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotFile {
    /// File name, without folder.
    pub name: String,
    pub text: String,
    /// Holds Secrets: write it readable by its owner only.
    pub sensitive: bool,
}

/// The files of a snapshot, in [`RESOURCES`] order; kinds with no object get
/// no file.
pub fn files(read: &ClusterRead) -> Result<Vec<SnapshotFile>> {
    let mut out = Vec::new();
    for r in RESOURCES {
        let objects: Vec<_> = read.objects.iter().filter(|o| o.resource == r).collect();
        if objects.is_empty() {
            continue;
        }
        let mut text = format!(
            "# {} {} object{} read by akoctl snapshot from context {}\n",
            objects.len(),
            r.kind,
            if objects.len() == 1 { "" } else { "s" },
            printable(&read.context)
        );
        let mut sorted = objects;
        sorted.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
        for o in sorted {
            let yaml = serde_saphyr::to_string(&o.value).map_err(|e| {
                miette!(
                    "cannot write {} {}/{} as YAML: {e}",
                    r.kind,
                    o.namespace(),
                    o.name()
                )
            })?;
            text.push_str("---\n");
            text.push_str(&yaml);
            if !yaml.ends_with('\n') {
                text.push('\n');
            }
        }
        out.push(SnapshotFile {
            name: format!("{}.yaml", r.resource_name()),
            text,
            sensitive: r.kind == "Secret",
        });
    }
    Ok(out)
}

/// The context name quoted on one line, whatever it holds.
fn printable(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{ClusterObject, resource_of};
    use crate::input::{Source, decode};
    use serde_json::{Value, json};

    fn read_of(values: Vec<(&str, &str, Value)>) -> ClusterRead {
        ClusterRead {
            context: "ctx".into(),
            default_namespace: "default".into(),
            objects: values
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

    /// Strings YAML would read as something else unless quoted, multi-line
    /// PEM, and odd whitespace all come back as they went.
    #[test]
    fn yaml_round_trips_tricky_values() -> Result<()> {
        let tricky = [
            "true",
            "no",
            "~",
            "null",
            "0x1F",
            "012",
            "1e3",
            ".5",
            "-",
            "- a",
            "a: b",
            "#x",
            "&a",
            "*a",
            "!tag",
            "%x",
            "@x",
            "`x",
            "",
            " lead",
            "trail ",
            "tab\there",
            "multi\nline\n",
            "multi\nline",
            "\n\nleading newlines",
            "ünïcödé ✓",
            "'quoted'",
            "\"dq\"",
            "---",
            "...",
            "{a}",
            "[a]",
            "a,b",
            "trailing\n\n\n",
            "\u{7f}del",
            "cr\r\nlf",
        ];
        let annotations: serde_json::Map<String, Value> = tricky
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("k{i}"), Value::String(s.to_string())))
            .collect();
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let svc = json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "s", "namespace": "default", "annotations": annotations,
                         "labels": {"": "empty-key"}, "creationTimestamp": "2024-05-01T10:00:00Z"},
            "spec": {"ports": [{"port": 80, "targetPort": "http"}, {"port": 443, "targetPort": 8443}],
                     "selector": {}, "clusterIPs": []}});
        let secret = json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "tls", "namespace": "default", "annotations": {"pem": pem}},
            "type": "kubernetes.io/tls", "data": {"tls.crt": "TUlJQg==", "tls.key": ""}});
        let read = read_of(vec![
            ("", "Service", svc.clone()),
            ("", "Secret", secret.clone()),
        ]);
        let files = files(&read)?;
        assert_eq!(
            files
                .iter()
                .map(|f| (f.name.as_str(), f.sensitive))
                .collect::<Vec<_>>(),
            [("services.yaml", false), ("secrets.yaml", true)]
        );
        for f in &files {
            let back: Vec<Value> =
                serde_saphyr::from_multiple(&f.text).map_err(|e| miette!("{e}"))?;
            let want = if f.sensitive { &secret } else { &svc };
            assert_eq!(back.as_slice(), std::slice::from_ref(want), "{}", f.text);
        }
        // And they decode as manifests.
        let sources: Vec<Source> = files
            .iter()
            .map(|f| Source {
                name: f.name.clone(),
                text: f.text.clone(),
            })
            .collect();
        let (snap, _) = decode(&sources, "default")?;
        assert_eq!(snap.services.len(), 1);
        assert_eq!(snap.secrets.len(), 1);
        Ok(())
    }

    #[test]
    fn objects_sorted_and_files_deterministic() -> Result<()> {
        let s = |ns: &str, n: &str| json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": n, "namespace": ns}});
        let a = read_of(vec![
            ("", "Service", s("b", "x")),
            ("", "Service", s("a", "y")),
            ("", "Service", s("a", "x")),
        ]);
        let b = read_of(vec![
            ("", "Service", s("a", "x")),
            ("", "Service", s("a", "y")),
            ("", "Service", s("b", "x")),
        ]);
        let fa = files(&a)?;
        assert_eq!(fa, files(&b)?);
        let text = fa.first().map(|f| f.text.clone()).unwrap_or_default();
        let back: Vec<Value> = serde_saphyr::from_multiple(&text).map_err(|e| miette!("{e}"))?;
        let names: Vec<String> = back
            .iter()
            .map(|v| {
                format!(
                    "{}/{}",
                    v["metadata"]["namespace"].as_str().unwrap_or(""),
                    v["metadata"]["name"].as_str().unwrap_or("")
                )
            })
            .collect();
        assert_eq!(names, ["a/x", "a/y", "b/x"]);
        Ok(())
    }
}
