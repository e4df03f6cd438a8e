//! `akoctl apply`: plan against a controller and perform the plan.
//!
//! - `akoctl apply -f … --values … --controller URL`: plans, shows the plan,
//!   asks for confirmation on a terminal (`--auto-approve` skips it; without a
//!   terminal and without `--auto-approve` it refuses);
//! - `akoctl apply PLANFILE -f … --values … --controller URL`: performs a
//!   plan saved by `akoctl plan --out`, after checking that the inputs, the
//!   settings, the controller state and the secrets' digests still match the
//!   plan's fingerprints. The inputs are named again because a plan file
//!   never holds secrets: the private keys are read from the inputs.
//!
//! Exit status: 0 when everything was done (or nothing was to do), 1 on any
//! failure, refusal or error.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use miette::{Result, miette};
use serde_json::Value;

use super::plan::{ControllerArgs, connect, read_opt, read_state, read_text};
use crate::apply::{self, Event, lock};
use crate::compile;
use crate::input;
use crate::model::{ObjectSet, Severity};
use crate::plan::{self, PlanSettings, planfile, render};
use crate::workflow::controller::Live;
use crate::workflow::saved_plan::{self, RecordedInputs, inputs_fingerprint};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  akoctl dev-controller --network vip-net --network node-net &
  export AVI_PASSWORD=admin
  akoctl plan -f manifests/ --values values.yaml \\
      --controller http://127.0.0.1:9443 --out demo.plan
  akoctl apply demo.plan --controller http://127.0.0.1:9443

Exit status: 0 everything done (or nothing to do), 1 failure, refusal or error.
Credentials: AVI_PASSWORD or AVI_AUTH_TOKEN, or --password-file.")]
pub struct ApplyArgs {
    /// A plan saved by `akoctl plan --out`. It is refused when the inputs,
    /// settings or controller state changed since.
    #[arg(value_name = "PLANFILE")]
    pub planfile: Option<PathBuf>,
    /// Manifest file or folder, or `-` for stdin. Repeatable. Without -f,
    /// the cluster of the kubeconfig is read.
    #[arg(short = 'f', long = "filename")]
    pub filename: Vec<String>,
    /// Namespace for objects that have none [default: `default`, or the
    /// context's with a cluster]; with a cluster, also the only one read.
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
    #[command(flatten)]
    pub cluster: super::cluster::ClusterArgs,
    /// AKO's helm values.yaml.
    #[arg(long)]
    pub values: Option<PathBuf>,
    /// Override a value, helm style.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Accepted for symmetry with `akoctl plan` (a plan file made with it
    /// records it); the cloud facts are read from the controller.
    #[arg(long, value_name = "FILE")]
    pub cloud_facts: Option<PathBuf>,
    #[command(flatten)]
    pub controller: ControllerArgs,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Writes in flight at once (independent objects only).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub parallelism: usize,
    /// The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x;
    /// with a PLANFILE, the one it records unless given.
    #[arg(long, value_name = "VERSION", value_parser = crate::release::Release::parse)]
    pub ako_version: Option<crate::release::Release>,
}

fn compile_inputs(
    sources: &[input::Source],
    namespace: &str,
    settings: &crate::settings::Settings,
) -> Result<Option<ObjectSet>> {
    let (snapshot, input_diags) = input::decode(sources, namespace)?;
    let compiled = compile::compile(&snapshot, settings);
    // Reported once (for the compile with redacted keys), with the default
    // levels: notes hidden and counted.
    let mut failed = false;
    if !settings.show_secrets {
        let diags: Vec<_> = input_diags
            .iter()
            .chain(&compiled.diagnostics)
            .cloned()
            .collect();
        let policy = crate::diagnostics::Policy::default();
        let outcome = policy.apply(&diags);
        super::gate::print(&policy, &outcome)?;
        failed = outcome.failed;
    } else {
        failed |= input_diags
            .iter()
            .chain(&compiled.diagnostics)
            .any(|d| d.severity == Severity::Error);
    }
    Ok((!failed).then_some(compiled.objects))
}

/// Take the inputs a saved plan recorded when none are given: `akoctl
/// apply PLANFILE --controller URL` needs nothing else. Returns the folder
/// the plan was made in when they were taken (source names are made
/// relative to it again, as the inputs fingerprint saw them).
fn inputs_from_plan(a: &mut ApplyArgs, doc: &Value) -> Result<Option<String>> {
    let given =
        !a.filename.is_empty() || a.values.is_some() || !a.set.is_empty() || a.cluster.given();
    if given {
        return Ok(None);
    }
    let Some(rec) = RecordedInputs::from_plan(doc)? else {
        return Ok(None);
    };
    a.filename = rec.filename;
    a.values = rec.values;
    a.cloud_facts = rec.cloud_facts;
    a.set = rec.set;
    if a.namespace.is_none() {
        a.namespace = rec.namespace;
    }
    let files = a.filename.join(", ");
    eprintln!("Reading the inputs recorded in the plan: {files}");
    Ok(Some(rec.cwd))
}

pub fn run_apply(mut a: ApplyArgs) -> Result<ExitCode> {
    let Some((_url, opts)) = super::plan::controller_target(&a.controller, &a.cluster)? else {
        return Err(miette!(
            "akoctl apply needs --controller URL or --controller-from-cluster"
        ));
    };
    let saved: Option<Value> = match &a.planfile {
        Some(p) => {
            let text = read_text(p)?;
            let v = planfile::parse(&text).map_err(|e| miette!("{}: {e}", p.display()))?;
            Some(v)
        }
        None => None,
    };
    let plan_dir = match &saved {
        Some(doc) => inputs_from_plan(&mut a, doc)?,
        None => None,
    };
    let from_plan = plan_dir.is_some();
    let values_text = read_opt(&a.values)?;
    let facts_text = read_opt(&a.cloud_facts)?;
    if a.cloud_facts.is_some() && !from_plan {
        eprintln!(
            "warning: --cloud-facts is ignored: the cloud facts are read from the controller"
        );
    }
    // The release: the flag, else the one the saved plan records, else
    // (reading the cluster) the tag of AKO's image, else the default.
    let configured = super::gate::GateArgs::default().repo_config()?.release()?;
    let release = a
        .ako_version
        .or_else(|| {
            saved
                .as_ref()
                .and_then(|v| v.get("ako_version"))
                .and_then(Value::as_str)
                .and_then(|s| crate::release::Release::parse(s).ok())
        })
        .or(configured);
    let mut settings = super::plan::load_settings_with_cluster(
        &a.cluster,
        super::cluster::reads_cluster(&a.filename, &a.cluster),
        &values_text,
        &a.set,
        &None,
        release,
    )?;
    eprintln!(
        "Applying the objects of AKO {} (--ako-version).",
        settings.release
    );
    let read = super::cluster::read_input_sources(
        &a.filename,
        a.namespace.as_deref(),
        &a.cluster,
        &settings,
    )?;
    for d in &read.diagnostics {
        eprintln!("{d}");
    }
    let (mut sources, namespace) = (read.sources, read.default_namespace);
    if let Some(dir) = &plan_dir {
        saved_plan::relative_to(&mut sources, dir);
    }

    let from_flags = a.controller.controller.is_some().then_some(&a.controller);
    let live = connect(opts, from_flags)?;
    // The apply lock: taken before the state is read, released at the end
    // whatever happens (an unreleased lease expires on its own).
    let lease = match live.rt.block_on(lock::acquire(
        &live.client,
        &settings.cluster_name,
        &settings.tenant_name,
        &lock::LeaseOptions::default(),
    )) {
        Ok(l) => l,
        Err(e @ lock::LockError::Held { .. }) => {
            live.close();
            eprintln!("Error: {e}; nothing was applied.");
            eprintln!(
                "Wait for it to finish and run `akoctl apply` again. A lease left behind by a run that died expires on its own at the time shown."
            );
            return Ok(ExitCode::from(1));
        }
        Err(e) => {
            live.close();
            return Err(advice(&a, &settings).error(miette!("{e}")));
        }
    };
    let inputs = Inputs {
        saved: &saved,
        values_text: &values_text,
        facts_text: &facts_text,
        sources: &sources,
        namespace: &namespace,
    };
    let r = apply_locked(&a, &live, &lease, &mut settings, &inputs);
    if let Err(e) = live.rt.block_on(lease.release()) {
        eprintln!(
            "warning: could not release the apply lock ({e}); it expires on its own within {}s",
            lock::LeaseOptions::default().ttl.as_secs()
        );
    }
    live.close();
    r
}

/// What `apply_locked` reads besides the arguments.
struct Inputs<'a> {
    saved: &'a Option<Value>,
    values_text: &'a Option<(String, String)>,
    facts_text: &'a Option<(String, String)>,
    sources: &'a [input::Source],
    namespace: &'a str,
}

/// Read, plan, confirm and perform, while holding the apply lock.
fn apply_locked(
    a: &ApplyArgs,
    live: &Live,
    lease: &lock::Lease,
    settings: &mut crate::settings::Settings,
    inputs: &Inputs,
) -> Result<ExitCode> {
    let Inputs {
        saved,
        values_text,
        facts_text,
        sources,
        namespace,
    } = *inputs;
    let state = read_state(live, settings).map_err(|e| advice(a, settings).error(e))?;
    // What plan shows (keys redacted) and what is sent (the real keys, never
    // printed nor stored).
    settings.show_secrets = false;
    let Some(shown) = compile_inputs(sources, namespace, settings)? else {
        eprintln!("Apply failed: the configuration has errors (see above).");
        return Ok(ExitCode::from(1));
    };
    let mut secret_settings = settings.clone();
    secret_settings.show_secrets = true;
    let Some(sent) = compile_inputs(sources, namespace, &secret_settings)? else {
        return Ok(ExitCode::from(1));
    };

    let missing = live
        .missing_refs(&shown)
        .map_err(|e| advice(a, settings).error(e))?;
    for m in &missing {
        eprintln!(
            "error: {} refers to {} {:?}, which does not exist on the controller",
            m.from, m.kind, m.name
        );
        eprintln!("hint: {}", advice(a, settings).missing(m));
    }
    if !missing.is_empty() {
        eprintln!(
            "Apply failed: {} missing object(s) on the controller.",
            missing.len()
        );
        return Ok(ExitCode::from(1));
    }

    let ps = PlanSettings::from_settings(settings);
    let result = plan::plan(&shown, &state, &ps);

    if let Some(doc) = saved {
        let fp = inputs_fingerprint(sources, &None, values_text, &a.set, facts_text);
        let stale = saved_plan::stale_reasons(doc, &fp, settings, &state, &shown);
        if !stale.is_empty() {
            eprintln!("Error: the saved plan is stale; nothing was applied:");
            for s in &stale {
                eprintln!("  - {s}");
            }
            eprintln!("Run `akoctl plan` again (with --out) and apply the new plan.");
            return Ok(ExitCode::from(1));
        }
    }

    let color = !super::color_off() && std::io::stdout().is_terminal();
    {
        let text = render::text(&result, &state.origin, &ps, render::TextOptions { color });
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    }
    if !result.applyable() {
        eprintln!("Apply refused: the plan has conflicts (see above).");
        return Ok(ExitCode::from(1));
    }
    if !result.has_changes() {
        return Ok(ExitCode::SUCCESS);
    }
    if saved.is_none() && !a.auto_approve {
        if !std::io::stdin().is_terminal() {
            eprintln!(
                "Error: no terminal to confirm the plan on; nothing was applied. Pass --auto-approve, or save the plan with `akoctl plan --out PLANFILE` and run `akoctl apply PLANFILE`."
            );
            return Ok(ExitCode::from(1));
        }
        print!(
            "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: "
        );
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if answer.trim() != "yes" {
            println!("\nApply cancelled.");
            return Ok(ExitCode::from(1));
        }
    }

    let steps = apply::schedule(&result, &sent);
    let bar = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new(steps.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} Applying [{bar:30}] {pos}/{len} {msg}",
        ) {
            pb.set_style(style);
        }
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    });
    let progress: apply::Progress = {
        let bar = bar.clone();
        Arc::new(move |e: Event| {
            if let Event::Finished {
                address,
                action,
                outcome,
            } = e
            {
                let l = apply::line(&address, action, &outcome);
                match &bar {
                    Some(pb) => {
                        pb.println(&l);
                        pb.inc(1);
                    }
                    None => println!("{l}"),
                }
            }
        })
    };
    // The lease may have aged while the plan was shown or confirmed: renew
    // it (or find it lost) before the first write.
    if let Err(e) = live.rt.block_on(lease.renew()) {
        if let Some(pb) = bar {
            pb.finish_and_clear();
        }
        eprintln!("Error: {e}; nothing was applied.");
        return Ok(ExitCode::from(1));
    }
    let mut opts = apply::Options::new(a.parallelism, ps.clone());
    opts.progress = Some(progress);
    let stop = opts.stop.clone();
    let in_flight_bar = bar.clone();
    let report = live.rt.block_on(async {
        // Ctrl-C: nothing new starts, the writes in flight finish, the
        // report says what was done.
        let interrupt = {
            let stop = stop.clone();
            async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    let msg = "Interrupted: waiting for the writes in flight; nothing new starts.";
                    match &in_flight_bar {
                        Some(pb) => pb.println(msg),
                        None => eprintln!("{msg}"),
                    }
                    stop.stop(INTERRUPTED);
                }
                std::future::pending::<apply::Report>().await
            }
        };
        let keep_alive = async {
            lease.keep_alive(stop.clone()).await;
            std::future::pending::<apply::Report>().await
        };
        tokio::select! {
            r = apply::execute(&live.client, steps, &opts) => r,
            // Both run until the run ends; neither finishes on its own.
            r = interrupt => r,
            r = keep_alive => r,
        }
    });
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    print!("\n{}", report.text());
    let _ = std::io::stdout().flush();
    Ok(if report.success() {
        ExitCode::SUCCESS
    } else if report.interrupted.as_deref() == Some(INTERRUPTED) {
        // 128 + SIGINT, as a shell reports a process stopped by Ctrl-C.
        ExitCode::from(130)
    } else {
        ExitCode::from(1)
    })
}

/// The stop reason of Ctrl-C.
const INTERRUPTED: &str = "interrupted by Ctrl-C";

/// Hints for a controller that lacks what the settings or inputs name
/// (the origins of the values file and `--set`s; a value from neither that
/// is not the default came from AKO's settings in the cluster).
fn advice<'a>(a: &'a ApplyArgs, settings: &crate::settings::Settings) -> super::advice::Ctx<'a> {
    let values_text = a
        .values
        .as_ref()
        .and_then(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)));
    let input = crate::settings::values::SettingsInput {
        values: values_text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        sets: &a.set,
        cloud_facts: None,
    };
    let mut origins = super::cluster::origins(None, &input, settings);
    for r in &mut origins {
        // Not from the values file nor --set, yet not the default: read
        // from AKO's settings in the cluster.
        if r.changed && r.origin == "default" {
            r.origin = if r.setting.starts_with("cloudFacts.") {
                "read from the controller".into()
            } else {
                "AKO's settings in the cluster".into()
            };
        }
    }
    super::advice::Ctx {
        settings: settings.clone(),
        origins,
        values: a.values.as_ref().map(|p| p.display().to_string()),
        files: &a.filename,
        namespace: a.namespace.as_deref(),
    }
}
