//! Command line. The only module that prints or exits.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use miette::{IntoDiagnostic, Result, WrapErr};

pub mod cluster;

use crate::compile;
use crate::model::Severity;
use crate::render::{self, Format};
use crate::settings::values::{self, SettingsInput};

#[derive(Parser, Debug)]
#[command(name = "akoctl", version, about = "See the Avi objects AKO would create, before it does")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile Kubernetes manifests into the Avi objects AKO would create.
    Compile(CompileArgs),
    /// Write what compile would read from a cluster as manifest files.
    Snapshot(cluster::SnapshotArgs),
}

#[derive(Args, Debug)]
pub struct CompileArgs {
    /// Manifest file or folder (recursive), or `-` for stdin. Repeatable.
    /// Without -f, the cluster of the kubeconfig is read.
    #[arg(short = 'f', long = "filename")]
    pub filename: Vec<String>,
    /// Namespace for objects that have none [default: `default`, or the
    /// context's with a cluster]; with a cluster, also the only one read.
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
    #[command(flatten)]
    pub cluster: cluster::ClusterArgs,
    /// AKO's helm values.yaml.
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// Override a value, helm style: `--set L7Settings.shardVSSize=SMALL`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Controller facts (cloudType, dnsSubdomains, defaultLicenseTier, vrf).
    #[arg(long)]
    pub cloud_facts: Option<PathBuf>,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value = "json")]
    pub output: Format,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Compile(a) => run_compile(a),
        Command::Snapshot(a) => cluster::run_snapshot(a),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e:?}");
            ExitCode::from(1)
        }
    }
}

fn read_opt(p: &Option<PathBuf>) -> Result<Option<(String, String)>> {
    match p {
        None => Ok(None),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .into_diagnostic()
                .wrap_err_with(|| format!("reading {}", p.display()))?;
            Ok(Some((p.display().to_string(), text)))
        }
    }
}

fn run_compile(a: CompileArgs) -> Result<ExitCode> {
    let values_text = read_opt(&a.values)?;
    let facts_text = read_opt(&a.cloud_facts)?;
    let (settings, mut diags) = values::load(&SettingsInput {
        values: values_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        sets: &a.set,
        cloud_facts: facts_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
    })?;
    let (snapshot, input_diags) =
        cluster::read_input(&a.filename, a.namespace.as_deref(), &a.cluster, &settings)?;
    diags.extend(input_diags);
    let compiled = compile::compile(&snapshot, &settings);
    diags.extend(compiled.diagnostics.iter().cloned());
    for d in &diags {
        eprintln!("{d}");
    }
    print!("{}", render::render(&compiled.objects, a.output));
    let failed = diags.iter().any(|d| d.severity == Severity::Error);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
