//! Live cluster input on the command line: the flags every command that reads
//! manifests shares, the progress bar of a cluster read, and `akoctl
//! snapshot`. What is read is in `workflow::cluster`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use miette::{IntoDiagnostic, Result, WrapErr, miette};

use crate::cluster::{self, Progress};
use crate::model::{Diagnostic, Snapshot};
use crate::settings::Settings;
use crate::settings::values::SettingsInput;
use crate::workflow;
pub use crate::workflow::cluster::{ClusterSource, InputSources};
pub use crate::workflow::settings::{LoadedSettings, origins};

/// Where a live cluster is read from. Flattened into every command that takes
/// `-f`.
#[derive(Args, Clone, Debug, Default)]
pub struct ClusterArgs {
    /// Read the cluster of this kubeconfig file [default: KUBECONFIG, else ~/.kube/config].
    /// With -f, the files are laid over the cluster's objects (the files win).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context to use [default: its current-context].
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// Read every namespace of the cluster, even with -n (which then only names
    /// the namespace of -f objects without one). Reading every namespace is
    /// already the default without -n.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// AKO's namespace in the cluster, where its ConfigMap `avi-k8s-config`,
    /// StatefulSet `ako` (or ako-operator `AKOConfig`) and Secret `avi-secret`
    /// are read [default: avi-system].
    #[arg(long, value_name = "NAMESPACE")]
    pub ako_namespace: Option<String>,
}

impl ClusterArgs {
    /// The flags as the workflow takes them.
    pub fn source(&self) -> ClusterSource {
        ClusterSource {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            all_namespaces: self.all_namespaces,
            ako_namespace: self.ako_namespace.clone(),
        }
    }

    /// Whether a cluster flag was given.
    pub fn given(&self) -> bool {
        self.source().given()
    }

    /// AKO's namespace: `--ako-namespace`, else `avi-system`.
    pub fn ako_ns(&self) -> &str {
        self.ako_namespace
            .as_deref()
            .unwrap_or(crate::cluster::ako::DEFAULT_NAMESPACE)
    }

    pub fn target(&self) -> crate::cluster::Target {
        self.source().target()
    }
}

/// [`workflow::cluster::read_input`] with a progress bar.
pub fn read_input(
    files: &[String],
    namespace: Option<&str>,
    cluster: &ClusterArgs,
    settings: &Settings,
) -> Result<(Snapshot, Vec<Diagnostic>)> {
    let bar = Bar::new();
    let r = workflow::cluster::read_input(files, namespace, &cluster.source(), settings, &bar);
    bar.finish();
    r
}

/// [`workflow::cluster::read_input_sources`] with a progress bar.
pub fn read_input_sources(
    files: &[String],
    namespace: Option<&str>,
    cluster: &ClusterArgs,
    settings: &Settings,
) -> Result<InputSources> {
    let bar = Bar::new();
    let r =
        workflow::cluster::read_input_sources(files, namespace, &cluster.source(), settings, &bar);
    bar.finish();
    r
}

/// [`workflow::settings::load_settings`] for the cluster of the flags.
pub fn load_settings(
    cluster: &ClusterArgs,
    from_cluster: bool,
    values_text: &Option<(String, String)>,
    sets: &[String],
    facts_text: &Option<(String, String)>,
    release: Option<crate::release::Release>,
) -> Result<LoadedSettings> {
    workflow::settings::load_settings(
        &cluster.source(),
        from_cluster,
        values_text,
        sets,
        facts_text,
        release,
    )
}

/// Whether the cluster's objects are read: no `-f`, or a cluster flag.
pub fn reads_cluster(files: &[String], cluster: &ClusterArgs) -> bool {
    workflow::cluster::reads_cluster(files, &cluster.source())
}

/// indicatif progress bar on standard error, hidden when it is not a terminal.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Bar {
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} reading {prefix} {pos}/{len} {wide_msg}")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        Bar(bar)
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn context(&self, context: &str) {
        self.0.set_prefix(format!("cluster {context}"));
    }

    fn add(&self, total: u64) {
        self.0.inc_length(total);
    }

    fn done(&self, what: &str) {
        self.0.set_message(what.to_string());
        self.0.inc(1);
    }
}

/// `akoctl snapshot`: write what compile would read from the cluster as
/// manifest files, with the settings and cloud facts it resolved, so that
/// `akoctl compile -f DIR/manifests --values DIR/values.yaml --cloud-facts
/// DIR/cloud-facts.yaml` gives the same result offline.
#[derive(Args, Debug)]
#[command(after_help = "Examples:
  akoctl snapshot -o snap/
  akoctl snapshot --context prod -n shop --cloud-facts facts.yaml -o snap/
  akoctl compile -f snap/manifests --values snap/values.yaml \\
      --cloud-facts snap/cloud-facts.yaml

Writes DIR/manifests/ (one file per kind), DIR/values.yaml (AKO's settings as
compile resolves them: from the cluster's ConfigMap avi-k8s-config and the ako
container's env, or its AKOConfig, under --values and --set; each value with a
comment naming where it was read) and DIR/cloud-facts.yaml. The command that
replays the snapshot offline is printed, with --ako-version when the AKO image
of the cluster is another release. Reads the cluster of the kubeconfig (never
a controller); credentials are never written.")]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Only this namespace (for namespaced kinds) [default: all namespaces].
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
    /// Folder to write, one YAML file per kind; created if missing, must be empty.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// AKO's helm values.yaml [default: AKO's settings in the cluster]:
    /// decides what is read (Pods for NodePortLocal, AKO's namespace for the
    /// default certificate) and is written to DIR/values.yaml.
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// Override a value, helm style: `--set L7Settings.serviceType=NodePortLocal`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// The cloud facts the live compile uses (cloudType, dnsSubdomains,
    /// defaultLicenseTier, vrf), written resolved to DIR/cloud-facts.yaml
    /// [default: AKO's defaults].
    #[arg(long, value_name = "FILE")]
    pub cloud_facts: Option<PathBuf>,
    /// The AKO release [default: the tag of AKO's image in the cluster, else 2.2].
    #[arg(long, value_name = "VERSION", value_parser = crate::release::Release::parse)]
    pub ako_version: Option<crate::release::Release>,
}

/// Where a snapshot's parts go in its folder.
pub const SNAPSHOT_MANIFESTS: &str = "manifests";
pub const SNAPSHOT_VALUES: &str = "values.yaml";
pub const SNAPSHOT_CLOUD_FACTS: &str = "cloud-facts.yaml";

pub fn run_snapshot(a: SnapshotArgs) -> Result<ExitCode> {
    let values_text = crate::workflow::files::read_opt(&a.values)?;
    let facts_text = crate::workflow::files::read_opt(&a.cloud_facts)?;
    check_empty_dir(&a.output)?;
    // The settings as compile resolves them (from the cluster without --values).
    let loaded = load_settings(
        &a.cluster,
        true,
        &values_text,
        &a.set,
        &facts_text,
        a.ako_version,
    )?;
    let settings = &loaded.settings;
    let mut diags = loaded.diagnostics.clone();
    let bar = Bar::new();
    let read = workflow::cluster::read_objects(
        &a.cluster.source(),
        a.namespace.as_deref(),
        settings,
        &bar,
    );
    bar.finish();
    let read = read?;
    diags.extend(read.diagnostics.iter().cloned());
    let files = cluster::snapshot::files(&read)?;
    let manifests = a.output.join(SNAPSHOT_MANIFESTS);
    std::fs::create_dir_all(&manifests)
        .into_diagnostic()
        .wrap_err_with(|| format!("creating {}", manifests.display()))?;
    for f in &files {
        write_file(&manifests.join(&f.name), &f.text, f.sensitive)?;
    }
    let input = SettingsInput {
        values: values_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        sets: &a.set,
        cloud_facts: facts_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
    };
    let tree = crate::settings::origin::values_tree(loaded.cluster_tree.clone(), &input)
        .ok_or_else(|| miette!("cannot rebuild the values tree of the settings"))?;
    let release = settings.release;
    let flag = if release == crate::release::Release::default() {
        String::new()
    } else {
        format!(" --ako-version {release}")
    };
    let header = vec![
        format!(
            "AKO's settings read by akoctl snapshot from context {:?}{}",
            read.context,
            loaded
                .ako_image
                .as_deref()
                .map(|i| format!(" (AKO image {i})"))
                .unwrap_or_default()
        ),
        format!("AKO release {release}: replay with akoctl compile{flag}"),
    ];
    let values_file = input.values.map(|(n, _)| n).unwrap_or(SNAPSHOT_VALUES);
    let values_out = a.output.join(SNAPSHOT_VALUES);
    write_file(
        &values_out,
        &crate::settings::write::values_yaml(&tree, values_file, &header),
        false,
    )?;
    let facts_out = a.output.join(SNAPSHOT_CLOUD_FACTS);
    let facts_from = match &a.cloud_facts {
        Some(p) => format!("read from {}", p.display()),
        None => "AKO's defaults (no --cloud-facts)".to_string(),
    };
    write_file(
        &facts_out,
        &crate::settings::write::cloud_facts_yaml(
            &settings.cloud,
            &[format!("Cloud facts of akoctl snapshot: {facts_from}")],
        ),
        false,
    )?;
    let code = super::report(&diags);
    eprintln!(
        "wrote {} objects in {} files to {} (context {}), and {} and {}",
        read.objects.len(),
        files.len(),
        manifests.display(),
        read.context,
        values_out.display(),
        facts_out.display()
    );
    eprintln!(
        "replay offline: akoctl compile -f {} --values {} --cloud-facts {}{flag}",
        manifests.display(),
        values_out.display(),
        facts_out.display()
    );
    Ok(code)
}

/// A snapshot folder must not mix with older files.
fn check_empty_dir(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(miette!(
                    "{} is not empty; write the snapshot to a new or empty folder",
                    dir.display()
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(miette!(
            "cannot use {} as output folder: {e}",
            dir.display()
        )),
    }
}

fn write_file(path: &Path, text: &str, sensitive: bool) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if sensitive {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = sensitive;
    let mut file = options
        .open(path)
        .into_diagnostic()
        .wrap_err_with(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())
        .into_diagnostic()
        .wrap_err_with(|| format!("writing {}", path.display()))
}
