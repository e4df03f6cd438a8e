//! `akoctl explain-name`: the CLI side of [`crate::explain`].

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use miette::{IntoDiagnostic, Result, miette};

use super::{InputArgs, load_and_compile, load_settings_from, report, write_stdout};
use crate::explain;

pub const EXAMPLES: &str = "\
Examples:
  # Which formula could have made this name? (no inputs: every reading)
  akoctl explain-name cluster--red-web-TCP-80

  # Exactly which objects, sources and rule, and why this shard
  akoctl explain-name cluster--Shared-L7-3 -f manifests/ --values values.yaml

  # The reverse: every Avi object an Ingress produces
  akoctl explain-name --for ingress/red/shop -f manifests/ --values values.yaml

Without -f the name is split by every AKO naming formula it can match;
names and namespaces may contain '-', so several readings can fit. With -f
the inputs are compiled and the answer is exact. Encoded (SHA-1) names can
only be resolved with -f. Each reading cites the AKO source file and
function of its formula.

Exit status: 0 when the name (or the --for object) was found; 1 when the
compiled inputs hold no object of that name, the --for object produces
nothing, the name fits no AKO formula, or on an error.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The Avi object name to explain.
    #[arg(required_unless_present = "for_object", conflicts_with = "for_object")]
    pub name: Option<String>,
    /// Instead of a name: list every Avi object this Kubernetes object
    /// produces (KIND/NAMESPACE/NAME, e.g. ingress/red/shop, service/red/web).
    #[arg(long = "for", value_name = "KIND/NS/NAME")]
    pub for_object: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value = "text")]
    pub output: ExplainFormat,
}

pub fn run(mut a: ExplainArgs) -> Result<ExitCode> {
    if a.input.ako_version.is_none() {
        a.input.ako_version = super::gate::GateArgs::default().repo_config()?.release()?;
    }
    let (text, json, code) = if let Some(obj) = &a.for_object {
        let source = explain::parse_source(obj, a.input.namespace.as_deref().unwrap_or("default"))
            .map_err(|e| miette!(e))?;
        if !has_inputs(&a.input) {
            return Err(miette!(
                "--for needs the inputs to compile: give manifests with -f PATH, or a cluster with --kubeconfig / --context"
            ));
        }
        let loaded = load_and_compile(&a.input, false)?;
        let code = report(&loaded.diagnostics);
        let e = explain::explain_source(&source, &loaded.settings, &loaded.compiled.objects);
        let code = if e.objects.is_empty() {
            ExitCode::from(1)
        } else {
            code
        };
        (
            explain::render_source_text(&e),
            serde_json::to_string_pretty(&e).into_diagnostic()?,
            code,
        )
    } else {
        let name = a.name.as_deref().unwrap_or_default();
        let (e, code) = if !has_inputs(&a.input) {
            let (settings, diags) = load_settings_from(&a.input, false)?;
            let code = report(&diags);
            let settings = if a.input.values.is_none() && a.input.set.is_empty() {
                // No cluster name given: read it from the name itself.
                crate::settings::Settings {
                    cluster_name: String::new(),
                    ..settings
                }
            } else {
                settings
            };
            (explain::explain_name(name, &settings, None), code)
        } else {
            let loaded = load_and_compile(&a.input, false)?;
            let code = report(&loaded.diagnostics);
            (
                explain::explain_name_with(
                    name,
                    &loaded.settings,
                    Some(&loaded.compiled.objects),
                    &loaded.compiled.hashed,
                ),
                code,
            )
        };
        let code = if explain::not_found(&e) {
            ExitCode::from(1)
        } else {
            code
        };
        (
            explain::render_text(&e),
            serde_json::to_string_pretty(&e).into_diagnostic()?,
            code,
        )
    };
    // Which release's naming rules and objects were modelled.
    let release = a.input.ako_version.unwrap_or_default();
    let out = match a.output {
        ExplainFormat::Text => format!("{text}\nModelled release: AKO {release} (--ako-version)\n"),
        ExplainFormat::Json => {
            let mut v: serde_json::Value = serde_json::from_str(&json).into_diagnostic()?;
            if let Some(m) = v.as_object_mut() {
                m.insert("ako_version".into(), serde_json::json!(release.to_string()));
            }
            serde_json::to_string_pretty(&v).into_diagnostic()? + "\n"
        }
    };
    write_stdout(out.as_bytes())?;
    Ok(code)
}

/// Inputs to compile were given: manifests, or a cluster named explicitly.
fn has_inputs(a: &InputArgs) -> bool {
    !a.filename.is_empty() || a.cluster.given()
}
