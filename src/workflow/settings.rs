//! AKO's settings: from a values file, `--set` and cloud facts, or from
//! AKO's objects in the cluster under them, with each setting's origin.

use miette::Result;

use super::cluster::{ClusterSource, read_ako};
use crate::model::Diagnostic;
use crate::release::Release;
use crate::settings::Settings;
use crate::settings::values::{self, SettingsInput};

/// The settings of `values_text` (name, text), `sets` and `facts_text` for
/// the chart and objects of AKO `release`, and their diagnostics.
pub fn from_values(
    values_text: &Option<(String, String)>,
    sets: &[String],
    facts_text: &Option<(String, String)>,
    release: Release,
) -> Result<(Settings, Vec<Diagnostic>)> {
    values::load_for(
        &SettingsInput {
            values: values_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
            sets,
            cloud_facts: facts_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        },
        release,
    )
}

/// Settings, their diagnostics, and what the cluster said about AKO.
pub struct LoadedSettings {
    pub settings: Settings,
    pub diagnostics: Vec<Diagnostic>,
    /// The image of the AKO container of the StatefulSet `ako`, when the
    /// settings were read from the cluster (`.../ako:2.2.1`).
    pub ako_image: Option<String>,
    /// The values tree the settings were loaded from, with each value's
    /// origin, when they were read from the cluster.
    pub cluster_tree: Option<crate::settings::tree::Node>,
    /// Each resolved setting with where it came from.
    pub origins: Vec<crate::settings::origin::Row>,
}

/// Each resolved setting of `settings` with its origin in the values tree
/// (`base` from the cluster, then the values file and `--set`s of `input`).
pub fn origins(
    base: Option<crate::settings::tree::Node>,
    input: &SettingsInput<'_>,
    settings: &Settings,
) -> Vec<crate::settings::origin::Row> {
    use crate::settings::origin;
    let none = SettingsInput {
        values: None,
        sets: &[],
        cloud_facts: None,
    };
    let defaults = values::load_for(&none, settings.release)
        .map(|(s, _)| s)
        .unwrap_or_default();
    let tree = origin::values_tree(base, input);
    origin::rows(
        settings,
        &defaults,
        &origin::Sources {
            tree: tree.as_ref(),
            values_file: input.values.map(|(n, _)| n).unwrap_or("values.yaml"),
            cloud_facts: input.cloud_facts,
        },
    )
}

/// AKO's settings: with `values` (and `--set`, cloud facts) as given; when the
/// cluster is read (`from_cluster`) and no values file is given, from AKO's
/// ConfigMap and StatefulSet (or `AKOConfig`) in its namespace, which
/// `--values` and `--set` then override key by key.
pub fn load_settings(
    cluster: &ClusterSource,
    from_cluster: bool,
    values_text: &Option<(String, String)>,
    sets: &[String],
    facts_text: &Option<(String, String)>,
    release: Option<crate::release::Release>,
) -> Result<LoadedSettings> {
    let input = SettingsInput {
        values: values_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        sets,
        cloud_facts: facts_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
    };
    if !from_cluster || values_text.is_some() {
        let (settings, diagnostics) = values::load_for(&input, release.unwrap_or_default())?;
        let origins = origins(None, &input, &settings);
        return Ok(LoadedSettings {
            settings,
            diagnostics,
            ako_image: None,
            cluster_tree: None,
            origins,
        });
    }
    let read = read_ako(cluster).map_err(|e| {
        // Reading the cluster without a cluster flag: only because no -f.
        if cluster.given() {
            e
        } else {
            e.wrap_err("no -f given, so the cluster of the kubeconfig is read")
        }
    })?;
    let mut diagnostics = read.diagnostics;
    let found = crate::settings::cluster::from_cluster(&read.objects);
    let ns = cluster.ako_ns();
    let (tree, image) = match found {
        Some(f) => {
            diagnostics.push(Diagnostic::new(
                crate::model::Severity::Info,
                None,
                format!(
                    "AKO's settings read from {}{}",
                    f.described,
                    f.image
                        .as_deref()
                        .map(|i| format!(", image {i}"))
                        .unwrap_or_default()
                ),
            ));
            for n in &f.notes {
                diagnostics.push(Diagnostic::new(
                    crate::model::Severity::Warning,
                    None,
                    n.clone(),
                ));
            }
            (Some(f.tree), f.image)
        }
        None => {
            diagnostics.push(Diagnostic::new(
                crate::model::Severity::Warning,
                None,
                format!(
                    "no ConfigMap {ns}/{} nor AKOConfig in {ns}: AKO's chart defaults are used (pass --values, or --ako-namespace when AKO runs elsewhere)",
                    crate::settings::cluster::CONFIGMAP
                ),
            ));
            (None, None)
        }
    };
    // The release: --ako-version, else the tag of AKO's image, else 2.2.
    let (release, _, said) = crate::release::select(release, image.as_deref());
    if let Some(m) = said {
        diagnostics.push(Diagnostic::new(crate::model::Severity::Info, None, m));
    }
    let (settings, diags) = values::load_over(tree.clone(), &input, release)?;
    diagnostics.extend(diags);
    let origins = origins(tree.clone(), &input, &settings);
    Ok(LoadedSettings {
        settings,
        diagnostics,
        ako_image: image,
        cluster_tree: tree,
        origins,
    })
}
