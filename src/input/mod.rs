//! Reading Kubernetes manifests into a [`Snapshot`].
//!
//! Minimal first version: files and stdin, multi-document YAML, JSON, `kind: List`.

use std::sync::Arc;

use miette::{IntoDiagnostic, Result, WrapErr, miette};
use serde_json::Value;

use crate::model::{Diagnostic, Obj, Origin, Severity, Snapshot};

/// One input text with the name shown in messages (a path or `<stdin>`).
pub struct Source {
    pub name: String,
    pub text: String,
}

/// Decode every source into one snapshot (pure: the caller reads the files).
pub fn decode(sources: &[Source], default_namespace: &str) -> Result<(Snapshot, Vec<Diagnostic>)> {
    let mut snap = Snapshot::default();
    let mut diags = Vec::new();
    for src in sources {
        let file: Arc<str> = Arc::from(src.name.as_str());
        let docs: Vec<Value> = serde_saphyr::from_multiple(&src.text)
            .into_diagnostic()
            .wrap_err_with(|| format!("reading {}", src.name))?;
        for doc in docs {
            let origin = Origin {
                file: file.clone(),
                line: 1,
            };
            add(&mut snap, &mut diags, doc, origin, default_namespace)?;
        }
    }
    Ok((snap, diags))
}

fn add(
    snap: &mut Snapshot,
    diags: &mut Vec<Diagnostic>,
    mut doc: Value,
    origin: Origin,
    default_namespace: &str,
) -> Result<()> {
    if doc.is_null() {
        return Ok(());
    }
    let kind = doc
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if kind == "List" {
        if let Some(items) = doc.get_mut("items").and_then(Value::as_array_mut) {
            for item in std::mem::take(items) {
                add(snap, diags, item, origin.clone(), default_namespace)?;
            }
        }
        return Ok(());
    }
    let group = doc
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(|v| v.split_once('/'))
        .map(|(g, _)| g.to_string())
        .unwrap_or_default();
    let ako = group == crate::crd::GROUP;
    let cluster_scoped = matches!(kind.as_str(), "Namespace" | "Node" | "IngressClass")
        || (ako && kind == "AviInfraSetting");
    if !cluster_scoped {
        if let Some(meta) = doc.get_mut("metadata").and_then(Value::as_object_mut) {
            if meta
                .get("namespace")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                meta.insert("namespace".into(), Value::String(default_namespace.into()));
            }
        }
    }
    macro_rules! push {
        ($field:ident) => {{
            let obj = serde_json::from_value(doc).map_err(|e| miette!("{origin}: {kind}: {e}"))?;
            snap.$field.push(Obj { origin, obj });
        }};
    }
    match kind.as_str() {
        "Namespace" => push!(namespaces),
        "Service" => push!(services),
        "EndpointSlice" => push!(endpoint_slices),
        "Endpoints" => push!(endpoints),
        "Ingress" => push!(ingresses),
        "IngressClass" => push!(ingress_classes),
        "Secret" => push!(secrets),
        "Node" => push!(nodes),
        "Pod" => push!(pods),
        "HostRule" if ako => push!(host_rules),
        "HTTPRule" if ako => push!(http_rules),
        "AviInfraSetting" if ako => push!(infra_settings),
        "L4Rule" if ako => push!(l4_rules),
        "L7Rule" if ako => push!(l7_rules),
        "SSORule" if ako => push!(sso_rules),
        _ => diags.push(
            Diagnostic::new(
                Severity::Info,
                None,
                format!("ignoring object of kind {kind:?}"),
            )
            .at(&origin),
        ),
    }
    Ok(())
}
