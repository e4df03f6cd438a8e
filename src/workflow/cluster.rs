//! A live cluster as input: where it is read from, AKO's settings in it,
//! and the objects of `compile`, `plan` and `apply` (the cluster's objects
//! laid under the `-f` files).

use std::path::PathBuf;

use miette::{IntoDiagnostic, Result, WrapErr};

use crate::cluster::{self, ClusterRead, Progress, Scope, Target};
use crate::input;
use crate::model::{Diagnostic, Snapshot};
use crate::settings::{ServiceType, Settings};

/// Where a live cluster is read from, as the cluster flags give it.
#[derive(Clone, Debug, Default)]
pub struct ClusterSource {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    /// Every namespace, even with a namespace for the files.
    pub all_namespaces: bool,
    /// AKO's namespace [default: avi-system].
    pub ako_namespace: Option<String>,
}

impl ClusterSource {
    /// Whether a cluster flag was given.
    pub fn given(&self) -> bool {
        self.kubeconfig.is_some()
            || self.context.is_some()
            || self.all_namespaces
            || self.ako_namespace.is_some()
    }

    /// AKO's namespace: the one given, else `avi-system`.
    pub fn ako_ns(&self) -> &str {
        self.ako_namespace
            .as_deref()
            .unwrap_or(cluster::ako::DEFAULT_NAMESPACE)
    }

    pub fn target(&self) -> Target {
        Target {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
        }
    }

    fn scope(&self, namespace: Option<&str>, settings: &Settings) -> Scope {
        Scope {
            namespace: namespace
                .filter(|_| !self.all_namespaces)
                .map(str::to_string),
            pods: settings.service_type == ServiceType::NodePortLocal,
            ako_namespace: settings.ako_namespace.clone(),
            cni_plugin: settings.cni_plugin.clone(),
        }
    }
}

/// Whether the cluster's objects are read: no `-f`, or a cluster flag.
pub fn reads_cluster(files: &[String], cluster: &ClusterSource) -> bool {
    files.is_empty() || cluster.given()
}

/// Connect and read AKO's ConfigMap, StatefulSet or AKOConfig.
pub(super) fn read_ako(src: &ClusterSource) -> Result<cluster::ako::AkoRead> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(async {
        let conn = cluster::connect(&src.target()).await?;
        cluster::ako::read_ako(&conn, src.ako_ns()).await
    })
}

/// The input of `compile` and `plan`.
///
/// * `-f` only: the files, offline; objects without a namespace go to `-n`
///   (default `default`).
/// * no `-f`: the cluster (default kubeconfig unless a flag names one).
/// * `-f` and a cluster flag: the files laid over the cluster. Objects without
///   a namespace go to `-n`, else the context's namespace, as with
///   `kubectl apply`.
///
/// `-n` limits which namespaces of the cluster are read, unless `-A`.
pub fn read_input(
    files: &[String],
    namespace: Option<&str>,
    cluster: &ClusterSource,
    settings: &Settings,
    progress: &dyn Progress,
) -> Result<(Snapshot, Vec<Diagnostic>)> {
    if !files.is_empty() && !cluster.given() {
        let sources = input::read_sources(files)?;
        return input::decode(&sources, namespace.unwrap_or("default"));
    }
    let sources = input::read_sources(files)?;
    let read =
        read_cluster(cluster, &cluster.scope(namespace, settings), progress).map_err(|e| {
            if files.is_empty() && !cluster.given() {
                e.wrap_err("no -f given, so the cluster of the kubeconfig is read")
            } else {
                e
            }
        })?;
    let default_namespace = namespace.unwrap_or(&read.default_namespace).to_string();
    cluster::overlay::decode(&read, &sources, &default_namespace)
}

/// The input of `plan` and `apply` as texts, so that they can be
/// fingerprinted: the cluster's objects (as one source) laid under the files,
/// or the files alone. Same rules as [`read_input`].
pub struct InputSources {
    pub sources: Vec<input::Source>,
    pub default_namespace: String,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn read_input_sources(
    files: &[String],
    namespace: Option<&str>,
    cluster: &ClusterSource,
    settings: &Settings,
    progress: &dyn Progress,
) -> Result<InputSources> {
    let file_sources = input::read_sources(files)?;
    if !files.is_empty() && !cluster.given() {
        return Ok(InputSources {
            sources: file_sources,
            default_namespace: namespace.unwrap_or("default").to_string(),
            diagnostics: Vec::new(),
        });
    }
    let read =
        read_cluster(cluster, &cluster.scope(namespace, settings), progress).map_err(|e| {
            if files.is_empty() && !cluster.given() {
                e.wrap_err("no -f given, so the cluster of the kubeconfig is read")
            } else {
                e
            }
        })?;
    let default_namespace = namespace.unwrap_or(&read.default_namespace).to_string();
    let (sources, mut diagnostics) =
        cluster::overlay::sources(&read, &file_sources, &default_namespace);
    diagnostics.extend(read.diagnostics.iter().cloned());
    Ok(InputSources {
        sources,
        default_namespace,
        diagnostics,
    })
}

/// Connect and read, telling `progress` the context and each request.
fn read_cluster(
    src: &ClusterSource,
    scope: &Scope,
    progress: &dyn Progress,
) -> Result<ClusterRead> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(async {
        let conn = cluster::connect(&src.target()).await?;
        progress.context(&conn.context);
        cluster::read(&conn, scope, progress).await
    })
}

/// The cluster's objects that translation reads, in the namespace given
/// (unless every namespace is asked for), as `akoctl snapshot` writes them.
pub fn read_objects(
    src: &ClusterSource,
    namespace: Option<&str>,
    settings: &Settings,
    progress: &dyn Progress,
) -> Result<ClusterRead> {
    read_cluster(src, &src.scope(namespace, settings), progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_namespaces_wins_over_namespace() {
        let settings = Settings {
            service_type: ServiceType::NodePortLocal,
            ako_namespace: "ako".into(),
            ..Settings::default()
        };
        let mut args = ClusterSource::default();
        assert!(!args.given());
        let scope = args.scope(Some("shop"), &settings);
        assert_eq!(scope.namespace.as_deref(), Some("shop"));
        assert!(scope.pods);
        assert_eq!(scope.ako_namespace, "ako");
        args.all_namespaces = true;
        assert!(args.given());
        assert_eq!(args.scope(Some("shop"), &settings).namespace, None);
        assert!(
            !ClusterSource::default()
                .scope(None, &Settings::default())
                .pods
        );
    }
}
