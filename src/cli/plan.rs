//! `akoctl plan` and `akoctl pull`.
//!
//! Exit codes of `plan` (terraform's `-detailed-exitcode`, helm-diff's
//! `--detailed-exitcode`):
//! - 0: success; with `--detailed-exitcode`: success and no changes;
//! - 1: error, conflict (a desired name held by an object this AKO does not
//!   own), or configuration errors;
//! - 2: only with `--detailed-exitcode`: success, changes present.
//!
//! Without the flag a plan with changes exits 0, so that a CI step that shows
//! the plan does not fail; with it, CI can gate on "nothing to apply".

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};
use miette::{IntoDiagnostic, Result, WrapErr, miette};

pub(crate) use super::connect::ControllerArgs;
use crate::client::ClientOptions;
use crate::client::read::{self, ReadEvent};
use crate::compile;
use crate::input::{self, Source};
use crate::model::{ObjectSet, Severity};
use crate::plan::{self, PlanSettings, State, StateOrigin, planfile, render};
use crate::settings::Settings;
use crate::workflow;
use crate::workflow::controller::{self, Live};
use crate::workflow::saved_plan::{RecordedInputs, inputs_fingerprint};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// terraform-style text.
    Text,
    /// Machine-readable JSON.
    Json,
    /// Markdown for a pull-request comment: a summary line and a collapsible
    /// section per object.
    Markdown,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  # Offline: every object is a create
  akoctl plan -f manifests/ --values values.yaml
  # Against a saved state, as a pull-request comment
  akoctl plan -f manifests/ --values values.yaml \\
      --state state.json -o markdown > plan.md
  # Against a controller, saved for apply
  AVI_PASSWORD=... akoctl plan -f manifests/ --values values.yaml \\
      --controller https://10.0.0.5 --ca-cert ca.pem --out demo.plan

Exit status: 0 success (with --detailed-exitcode: no changes), \
2 changes present (only with --detailed-exitcode), 1 error or conflict (an object with a \
desired name that this AKO does not own). Credentials: AVI_PASSWORD or AVI_AUTH_TOKEN, or \
--password-file; never on the command line.")]
pub struct PlanArgs {
    /// Manifest file or folder, or `-` for stdin. Repeatable.
    /// Without -f and --compiled, the cluster of the kubeconfig is read.
    #[arg(short = 'f', long = "filename")]
    pub filename: Vec<String>,
    /// Plan an object set printed by `akoctl compile -o json` instead of
    /// compiling manifests.
    #[arg(long, value_name = "FILE", conflicts_with = "filename")]
    pub compiled: Option<PathBuf>,
    /// Namespace for objects that have none [default: `default`, or the
    /// context's with a cluster]; with a cluster, also the only one read.
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
    #[command(flatten)]
    pub cluster: super::cluster::ClusterArgs,
    /// AKO's helm values.yaml.
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// Override a value, helm style: `--set L7Settings.shardVSSize=SMALL`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Controller facts (cloudType, dnsSubdomains, defaultLicenseTier, vrf).
    /// Ignored with `--controller`, which reads them.
    #[arg(long)]
    pub cloud_facts: Option<PathBuf>,
    /// Current state from a file: `akoctl compile -o json` output or an
    /// `akoctl pull` snapshot. Without `--state` and `--controller` the
    /// state is empty and every object is a create.
    #[arg(long, value_name = "FILE", conflicts_with = "controller")]
    pub state: Option<PathBuf>,
    #[command(flatten)]
    pub controller: ControllerArgs,
    /// Output format.
    #[arg(short = 'o', long, value_enum, default_value = "text")]
    pub output: PlanFormat,
    /// Save the plan (with fingerprints of inputs, settings and state) for
    /// `akoctl apply PLANFILE`. Secrets are stored as digests only.
    #[arg(long, value_name = "PLANFILE")]
    pub out: Option<PathBuf>,
    /// Exit 2 when there are changes, 0 when there are none (1 on errors).
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x.
    /// Said on stderr and recorded in the JSON plan and the plan file.
    #[arg(long, value_name = "VERSION", value_parser = crate::release::Release::parse)]
    pub ako_version: Option<crate::release::Release>,
    #[command(flatten)]
    pub gate: super::gate::GateArgs,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  AVI_PASSWORD=... akoctl pull --controller https://10.0.0.5 \\
      --ca-cert ca.pem --values values.yaml -o state.json
  akoctl plan -f manifests/ --values values.yaml --state state.json

Contacts the controller (read only). Credentials: AVI_PASSWORD or
AVI_AUTH_TOKEN, or --password-file.")]
pub struct PullArgs {
    /// AKO's helm values.yaml (cluster name, cloud, tenant, VRF settings).
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// Override a value, helm style.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    #[command(flatten)]
    pub controller: ControllerArgs,
    /// Where to write the state (`-` for stdout).
    #[arg(short = 'o', long = "output", value_name = "FILE", default_value = "-")]
    pub output: String,
}

pub(crate) use crate::workflow::files::{read_opt, read_text};

/// The settings of a values file (no cluster), their diagnostics printed;
/// an error when one is an error.
pub(crate) fn load_settings(
    values_text: &Option<(String, String)>,
    sets: &[String],
    facts_text: &Option<(String, String)>,
) -> Result<Settings> {
    let (settings, diags) =
        workflow::settings::from_values(values_text, sets, facts_text, Default::default())?;
    print_settings_diagnostics(&diags)?;
    Ok(settings)
}

/// Print the diagnostics of loading settings; an error when one is an error.
pub(crate) fn print_settings_diagnostics(diags: &[crate::model::Diagnostic]) -> Result<()> {
    for d in diags {
        eprintln!("{d}");
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(miette!("the settings have errors"));
    }
    Ok(())
}

/// [`load_settings`], from the cluster when its objects are read and no
/// values file is given (see [`super::cluster::load_settings`]).
pub(crate) fn load_settings_with_cluster(
    cluster: &super::cluster::ClusterArgs,
    from_cluster: bool,
    values_text: &Option<(String, String)>,
    sets: &[String],
    facts_text: &Option<(String, String)>,
    release: Option<crate::release::Release>,
) -> Result<Settings> {
    let loaded = super::cluster::load_settings(
        cluster,
        from_cluster,
        values_text,
        sets,
        facts_text,
        release,
    )?;
    print_settings_diagnostics(&loaded.diagnostics)?;
    Ok(loaded.settings)
}

/// Client options with the CLI's parts: the `--insecure` warning and, with
/// `-v`, the request trace on stderr.
fn finish_options(a: &ControllerArgs, mut o: ClientOptions) -> ClientOptions {
    if a.insecure {
        eprintln!("warning: --insecure: the controller's TLS certificate is not verified");
    }
    if a.verbose > 0 {
        o.trace = Some(crate::client::Trace {
            level: a.verbose,
            sink: Arc::new(|l: &str| eprintln!("debug: {l}")),
        });
    }
    o
}

/// The controller to talk to: `--controller` with credentials from the
/// environment, or, with `--controller-from-cluster`, the address in AKO's
/// ConfigMap and the credentials of its Secret `avi-secret`.
pub(crate) fn controller_target(
    a: &ControllerArgs,
    cluster: &super::cluster::ClusterArgs,
) -> Result<Option<(String, ClientOptions)>> {
    let cfg = a.config();
    if let Some(url) = &a.controller {
        let o = controller::options(&cfg, url)?;
        return Ok(Some((url.clone(), finish_options(a, o))));
    }
    if !a.controller_from_cluster {
        return Ok(None);
    }
    let found = controller::read_cluster_controller(&cluster.target(), cluster.ako_ns())?;
    let (o, note) = controller::cluster_options(&cfg, &found)?;
    eprintln!("info: {note}");
    Ok(Some((found.url.clone(), finish_options(a, o))))
}

/// Log in; a refused connection or login is explained with where the user
/// and password came from (`args`: the flags, `None` when they came from
/// the cluster's Secret).
pub(crate) fn connect(opts: ClientOptions, args: Option<&ControllerArgs>) -> Result<Live> {
    Live::connect(opts, |e| match args {
        Some(a) => super::connect::report(e, a),
        None => miette::miette!("{e}"),
    })
}

/// Read the cloud facts (into `settings`) and the state, with a progress
/// bar when stderr is a terminal.
pub(crate) fn read_state(live: &Live, settings: &mut Settings) -> Result<State> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} Reading {msg} [{bar:30}] {pos}/{len}",
        ) {
            pb.set_style(style);
        }
        pb.enable_steady_tick(Duration::from_millis(120));
        pb.set_message("controller state");
        pb
    });
    let progress: Option<read::Progress> = bar.clone().map(|pb| {
        Arc::new(move |e: ReadEvent| match e {
            ReadEvent::Started { collections } => pb.set_length(collections as u64),
            ReadEvent::Collection { kind, .. } => {
                pb.set_message(kind.to_string());
                pb.inc(1);
            }
        }) as read::Progress
    });
    let r = live.read(settings, progress);
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    r
}

pub fn run_plan(mut a: PlanArgs) -> Result<ExitCode> {
    let cfg = a.gate.repo_config()?;
    let policy = a.gate.merge(&cfg, a.controller.verbose);
    if a.ako_version.is_none() {
        a.ako_version = cfg.release()?;
    }
    let values_text = read_opt(&a.values)?;
    let facts_text = read_opt(&a.cloud_facts)?;
    let compiled_text = read_opt(&a.compiled)?;
    // Every diagnostic of the run, reported once through the policy.
    let loaded = super::cluster::load_settings(
        &a.cluster,
        compiled_text.is_none() && super::cluster::reads_cluster(&a.filename, &a.cluster),
        &values_text,
        &a.set,
        &facts_text,
        a.ako_version,
    )?;
    if a.controller.verbose > 0 {
        super::settings::print_changed(&loaded.origins);
    }
    let (mut settings, mut all_diags) = (loaded.settings, loaded.diagnostics);
    // Errors naming a missing tenant, cloud, network or SE group say who asked.
    let advice = super::advice::Ctx {
        settings: settings.clone(),
        origins: loaded.origins,
        values: a.values.as_ref().map(|p| p.display().to_string()),
        files: &a.filename,
        namespace: a.namespace.as_deref(),
    };
    let release = settings.release;
    if compiled_text.is_none() {
        eprintln!("Planning the objects of AKO {release} (--ako-version).");
    }

    let mut live = None;
    let state = if let Some((_, opts)) = controller_target(&a.controller, &a.cluster)? {
        if a.cloud_facts.is_some() {
            eprintln!(
                "warning: --cloud-facts is ignored: the cloud facts are read from the controller"
            );
        }
        let from_flags = a.controller.controller.is_some().then_some(&a.controller);
        let l = connect(opts, from_flags)?;
        let state = read_state(&l, &mut settings).map_err(|e| advice.error(e));
        if state.is_err() {
            l.close();
            return state.map(|_| ExitCode::from(1));
        }
        live = Some(l);
        state?
    } else if let Some(p) = &a.state {
        let text = read_text(p)?;
        let (state, diags) = State::from_json(
            &text,
            StateOrigin::File {
                path: p.display().to_string(),
            },
        )
        .map_err(|e| miette!("{}: {e}", p.display()))?;
        all_diags.extend(diags);
        if let Some(f) = &state.cloud_facts {
            if a.cloud_facts.is_none() {
                settings.cloud = f.clone();
            } else if *f != settings.cloud {
                eprintln!(
                    "warning: the cloud facts in {} differ from --cloud-facts; using --cloud-facts",
                    p.display()
                );
            }
        }
        state
    } else {
        State::empty()
    };

    let (desired, sources): (ObjectSet, Vec<Source>) = match &compiled_text {
        Some((name, text)) => (
            plan::state::desired_from_json(text).map_err(|e| miette!("{name}: {e}"))?,
            Vec::new(),
        ),
        None => {
            let read = super::cluster::read_input_sources(
                &a.filename,
                a.namespace.as_deref(),
                &a.cluster,
                &settings,
            )?;
            let sources = read.sources;
            let (snapshot, input_diags) = input::decode(&sources, &read.default_namespace)?;
            let compiled = compile::compile(&snapshot, &settings);
            all_diags.extend(
                read.diagnostics
                    .iter()
                    .chain(&input_diags)
                    .chain(&compiled.diagnostics)
                    .cloned(),
            );
            let outcome = policy.apply(&all_diags);
            super::gate::print(&policy, &outcome)?;
            if outcome.failed {
                if let Some(l) = live.take() {
                    l.close();
                }
                eprintln!("Planning failed: the configuration has errors (see above).");
                return Ok(ExitCode::from(1));
            }
            (compiled.objects, sources)
        }
    };
    let outcome = policy.apply(&all_diags);
    if compiled_text.is_some() {
        super::gate::print(&policy, &outcome)?;
        if outcome.failed {
            eprintln!("Planning failed: the configuration has errors (see above).");
            return Ok(ExitCode::from(1));
        }
    }

    if let Some(l) = live {
        let missing = l.missing_refs(&desired);
        l.close();
        let missing = missing.map_err(|e| advice.error(e))?;
        for m in &missing {
            eprintln!(
                "error: {} refers to {} {:?}, which does not exist on the controller; apply would fail",
                m.from, m.kind, m.name
            );
            eprintln!("hint: {}", advice.missing(m));
        }
        if !missing.is_empty() {
            eprintln!(
                "Planning failed: {} missing object(s) on the controller.",
                missing.len()
            );
            return Ok(ExitCode::from(1));
        }
    }

    let ps = PlanSettings::from_settings(&settings);
    let result = plan::plan(&desired, &state, &ps);
    let mut stdout = std::io::stdout().lock();
    let rendered = match a.output {
        PlanFormat::Json => {
            let mut doc = render::json(&result, &state.origin, &ps);
            if compiled_text.is_none() {
                doc["ako_version"] = serde_json::json!(release.to_string());
            }
            if let serde_json::Value::Object(m) = &mut doc {
                m.insert("diagnostics".into(), outcome.to_json());
            }
            let mut s = serde_json::to_string_pretty(&doc).into_diagnostic()?;
            s.push('\n');
            s
        }
        PlanFormat::Markdown => render::markdown(&result, &state.origin, &ps),
        PlanFormat::Text => {
            let color = !super::color_off() && std::io::stdout().is_terminal();
            let mut s = render::text(&result, &state.origin, &ps, render::TextOptions { color });
            if result.applyable() && result.has_changes() {
                match &a.out {
                    Some(p) => s.push_str(&format!(
                        "\nSaved the plan to: {}\nTo perform exactly these actions, run:\n    {}\n",
                        p.display(),
                        apply_hint(&a, p)
                    )),
                    None => s.push_str(
                        "\nNote: you didn't use the --out option to save this plan, so akoctl can't guarantee to take exactly these actions if you run \"akoctl apply\" now.\n",
                    ),
                }
            }
            s
        }
    };
    if let Err(e) = stdout
        .write_all(rendered.as_bytes())
        .and_then(|_| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(ExitCode::SUCCESS);
        }
        return Err(e).into_diagnostic();
    }
    if !result.applyable() {
        return Ok(ExitCode::from(1));
    }
    if let Some(p) = &a.out {
        let fp = inputs_fingerprint(&sources, &compiled_text, &values_text, &a.set, &facts_text);
        let mut doc = planfile::build(&result, &state, &ps, &settings, &desired, &fp);
        // The release whose objects were planned (also part of the settings
        // fingerprint, so `apply` refuses another one).
        doc["ako_version"] = serde_json::json!(release.to_string());
        if compiled_text.is_none() {
            doc["inputs"] = RecordedInputs::record(
                &a.filename,
                &a.values,
                &a.set,
                &a.cloud_facts,
                &a.namespace,
            );
        }
        let mut text = serde_json::to_string_pretty(&doc).into_diagnostic()?;
        text.push('\n');
        std::fs::write(p, text)
            .into_diagnostic()
            .wrap_err_with(|| format!("writing {}", p.display()))?;
    }
    let code = if a.detailed_exitcode && result.has_changes() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    };
    super::leak((result, state, desired));
    Ok(code)
}

/// Quote a word for a POSIX shell when it needs it.
fn shell_word(w: &str) -> String {
    let plain = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// The `akoctl apply` command that performs a saved plan: the plan file
/// records its inputs, so only the controller is named; credentials stay in
/// the environment.
fn apply_hint(a: &PlanArgs, planfile: &Path) -> String {
    let mut w: Vec<String> = vec!["akoctl".into(), "apply".into()];
    w.push(shell_word(&planfile.display().to_string()));
    // Manifests read from stdin cannot be read again: name them.
    if a.filename.iter().any(|f| f == "-") {
        w.push("-f FILE".into());
    }
    match &a.controller.controller {
        Some(url) => {
            w.push("--controller".into());
            w.push(shell_word(url));
        }
        None => w.push("--controller URL".into()),
    }
    if let Some(ca) = &a.controller.ca_cert {
        w.push("--ca-cert".into());
        w.push(shell_word(&ca.display().to_string()));
    }
    if a.controller.insecure {
        w.push("--insecure".into());
    }
    w.join(" ")
}

pub fn run_pull(a: PullArgs) -> Result<ExitCode> {
    let Some(url) = &a.controller.controller else {
        return Err(miette!("akoctl pull needs --controller URL"));
    };
    let values_text = read_opt(&a.values)?;
    let mut settings = load_settings(&values_text, &a.set, &None)?;
    let opts = finish_options(
        &a.controller,
        controller::options(&a.controller.config(), url)?,
    );
    let live = connect(opts, Some(&a.controller))?;
    let state = read_state(&live, &mut settings);
    live.close();
    let state = state?;
    let mut text = serde_json::to_string_pretty(&state.to_json()).into_diagnostic()?;
    text.push('\n');
    if a.output == "-" {
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(text.as_bytes())
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            return Err(e).into_diagnostic();
        }
    } else {
        std::fs::write(&a.output, text)
            .into_diagnostic()
            .wrap_err_with(|| format!("writing {}", a.output))?;
        eprintln!(
            "Wrote {} objects from {} to {}",
            state.objects.len(),
            url,
            a.output
        );
    }
    Ok(ExitCode::SUCCESS)
}
