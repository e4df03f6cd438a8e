//! `akoctl settings`: every setting AKO's translation reads, its resolved
//! value and where it came from (values file line, `--set`, AKO's ConfigMap,
//! the `ako` container's env, the ako-operator's `AKOConfig`, the
//! cloud-facts file, or the chart's default). Also the `-v` lines of
//! `compile` and `plan`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use comfy_table::{Table, presets};
use miette::Result;

use super::cluster::{ClusterArgs, load_settings};
use crate::settings::origin::{self, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SettingsFormat {
    /// SETTING, VALUE, ORIGIN columns.
    Table,
    /// `{"format_version": "1", "settings": [{setting, value, origin, changed}]}`.
    Json,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  akoctl settings --values values.yaml --set L7Settings.shardVSSize=SMALL
  akoctl settings                      # AKO's settings in the current cluster
  akoctl settings --context prod --changed -o json

Without --values, AKO's settings are read from the cluster of the kubeconfig:
the ConfigMap avi-k8s-config and the env of the ako container of the
StatefulSet ako in --ako-namespace (or the ako-operator's AKOConfig).
Only settings are shown, never the credentials of avi-secret or avicredentials.")]
pub struct SettingsArgs {
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// AKO's helm values.yaml; without it, the settings are read from the cluster.
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub values: Option<PathBuf>,
    /// Override a value, helm style: `L7Settings.shardVSSize=SMALL`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// What the Avi controller reports to AKO at start-up (cloudType,
    /// dnsSubdomains, defaultLicenseTier, vrf).
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub cloud_facts: Option<PathBuf>,
    /// The AKO release whose chart is read: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x.
    #[arg(long, value_name = "VERSION", value_parser = crate::release::Release::parse)]
    pub ako_version: Option<crate::release::Release>,
    /// Only the settings whose value differs from the chart's default.
    #[arg(long)]
    pub changed: bool,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value = "table")]
    pub output: SettingsFormat,
}

pub fn run(a: SettingsArgs) -> Result<ExitCode> {
    let values_text = crate::workflow::files::read_opt(&a.values)?;
    let facts_text = crate::workflow::files::read_opt(&a.cloud_facts)?;
    let loaded = load_settings(
        &a.cluster,
        true,
        &values_text,
        &a.set,
        &facts_text,
        a.ako_version,
    )?;
    let code = super::report(&loaded.diagnostics);
    let rows: Vec<&Row> = loaded
        .origins
        .iter()
        .filter(|r| r.changed || !a.changed)
        .collect();
    let text = match a.output {
        SettingsFormat::Json => {
            let mut t = serde_json::to_string_pretty(&serde_json::json!({
                "format_version": crate::diagnostics::FORMAT_VERSION,
                "ako_version": loaded.settings.release.line(),
                "settings": rows,
            }))
            .unwrap_or_default();
            t.push('\n');
            t
        }
        SettingsFormat::Table => table(&rows),
    };
    super::write_stdout(text.as_bytes())?;
    Ok(code)
}

/// The rows as a table without borders, no trailing spaces.
fn table(rows: &[&Row]) -> String {
    let mut t = Table::new();
    t.load_style(presets::NOTHING).force_no_tty();
    t.set_header(["SETTING", "VALUE", "ORIGIN"]);
    for r in rows {
        t.add_row([r.setting.clone(), r.value_text(), r.origin.clone()]);
    }
    for (i, c) in t.column_iter_mut().enumerate() {
        c.set_padding((0, if i == 2 { 0 } else { 2 }));
    }
    let mut s = String::new();
    for line in t.to_string().lines() {
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

/// The `-v` lines of `compile` and `plan`: one per setting whose value is
/// not the chart's default, with its origin.
pub(crate) fn print_changed(rows: &[Row]) {
    for line in origin::changed_lines(rows) {
        eprintln!("setting: {line}");
    }
}
