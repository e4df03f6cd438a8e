//! Command line. The only module that prints or exits.
//!
//! Exit status: 0 on success, 1 when anything was reported as an error
//! (settings, input or translation), 2 for command-line usage errors.

pub mod advice;
pub mod apply;
pub mod cluster;
pub mod connect;
pub mod devctl;
pub mod docs;
pub mod explain;
pub mod gate;
pub mod plan;
pub mod settings;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use miette::{IntoDiagnostic, Result, WrapErr, miette};

use crate::compile;
use crate::model::{Diagnostic, Severity};
use crate::render::{self, Format};

const ABOUT: &str = "See the Avi objects AKO would create, before it does";

const LONG_ABOUT: &str = "\
See the Avi objects AKO would create, before it does.

akoctl reads Kubernetes manifests (Services, EndpointSlices, Ingresses, \
IngressClasses, Secrets, Nodes, ...) together with the helm values.yaml AKO \
is installed with, and compiles them offline into the virtual services, pools, \
pool groups, VIPs, HTTP policy sets and certificates that AKO (the Avi \
Kubernetes Operator) would send to the Avi controller. compile contacts no \
controller: what the controller would tell AKO at start-up (cloud type, DNS sub-domains, \
license tier, VRF) is given with --cloud-facts.

Which commands contact what: compile, explain-name, explain-code and
completions are offline (compile and explain-name read a cluster only
without -f, or with --kubeconfig/--context); snapshot reads a cluster;
plan contacts a controller only with --controller; pull and apply always
contact the controller; dev-controller serves one on loopback.";

const EXAMPLES: &str = "\
Examples:
  # Compile a folder of manifests with AKO's helm values, as a table
  akoctl compile -f manifests/ --values values.yaml -o table

  # Full JSON bodies, with controller facts, one setting overridden
  akoctl compile -f app.yaml --values values.yaml \\
      --cloud-facts cloud-facts.yaml --set L7Settings.shardVSSize=SMALL -o json

  # Straight from a cluster
  kubectl get svc,endpointslices,ingress,ingressclass -A -o yaml \\
      | akoctl compile -f -

  # In CI: warnings fail, except those the team allows
  akoctl compile -f manifests/ --values values.yaml --strict --allow AKO020

  # Shell completions
  akoctl completions bash > /etc/bash_completion.d/akoctl";

const COMPILE_EXAMPLES: &str = "\
Examples:
  akoctl compile -f manifests/ --values values.yaml
  akoctl compile -f svc.yaml -f ingress.yaml \\
      --set AKOSettings.clusterName=prod -o yaml
  akoctl compile -f - -o json < objects.yaml
  akoctl compile -f app.yaml --cloud-facts cloud-facts.yaml \\
      --set 'NetworkSettings.vipNetworkList[0].networkName=vip-net'

Output: without -o, a table when stdout is a terminal and JSON otherwise.
JSON and YAML print {\"objects\": [{type, name, tenant, sources, body}]}, sorted
in apply order; references inside bodies read /api/<type>/?name=<name>.
Warnings and errors go to stderr, one line each. Exit status: 0 on success,
1 when an error was reported.

cloud-facts.yaml holds what the controller reports to AKO at start-up:
  cloudType: CLOUD_VCENTER        # the cloud's vtype
  dnsSubdomains: [avi.internal]   # the cloud's IPAM/DNS sub-domains
  defaultLicenseTier: ENTERPRISE  # or \"\", ESSENTIALS, BASIC, ...
  vrf: global                     # the VRF AKO resolved
  nsxtTransportZone: OVERLAY      # NSX-T only: OVERLAY or VLAN";

#[derive(Parser, Debug)]
#[command(
    name = "akoctl",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// No colours (also: `NO_COLOR`, or output not a terminal).
    #[arg(long, global = true)]
    pub no_color: bool,
}

static NO_COLOR_FLAG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Colours are off: `--no-color`, or `NO_COLOR` set and not empty.
pub(crate) fn color_off() -> bool {
    NO_COLOR_FLAG.load(std::sync::atomic::Ordering::Relaxed)
        || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile Kubernetes manifests into the Avi objects AKO would create.
    #[command(after_help = COMPILE_EXAMPLES)]
    Compile(CompileArgs),
    /// Tell which Kubernetes object and naming rule produced an Avi object name.
    #[command(name = "explain-name", after_help = explain::EXAMPLES)]
    ExplainName(explain::ExplainArgs),
    /// Diff the compiled objects against an empty or saved state, or a
    /// controller (contacted only with --controller).
    Plan(plan::PlanArgs),
    /// Save what this cluster's AKO owns on a controller to a state file
    /// (contacts the controller).
    Pull(plan::PullArgs),
    /// Plan and perform it, or perform a saved plan (contacts the controller).
    Apply(apply::ApplyArgs),
    /// Run an in-memory Avi controller (for trying akoctl and for tests).
    #[command(name = "dev-controller")]
    DevController(devctl::DevControllerArgs),
    /// Write what compile would read from a cluster as manifest files.
    Snapshot(cluster::SnapshotArgs),
    /// Show each of AKO's settings, its value and where it came from
    /// (values file line, --set, ConfigMap, env, AKOConfig, default).
    Settings(settings::SettingsArgs),
    /// Explain a diagnostic code (`AKO022`), or list them all.
    #[command(
        name = "explain-code",
        after_help = "Examples:\n  akoctl explain-code\n  akoctl explain-code AKO022\n  akoctl explain-code missing-backend-service\n\nExit status: 0, or 1 when the code does not exist."
    )]
    ExplainCode {
        /// The code or its name; without it, every code is listed.
        code: Option<String>,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  akoctl completions bash > ~/.local/share/bash-completion/completions/akoctl\n  akoctl completions zsh > \"${fpath[1]}/_akoctl\"\n  akoctl completions fish > ~/.config/fish/completions/akoctl.fish"
    )]
    Completions {
        /// Shell to generate for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `akoctl gen-docs`: a maintainer command, kept out of [`Cli`] so that it
/// appears in no completion script, man page or help.
#[derive(Parser, Debug)]
#[command(
    name = "akoctl gen-docs",
    about = "Regenerate the checked-in completions/ and man/ from the command-line definition"
)]
pub struct GenDocsArgs {
    /// Folder holding completions/ and man/ (the repository root).
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Only check that the files are up to date; exit 1 when not.
    #[arg(long)]
    pub check: bool,
}

#[derive(Args, Debug)]
/// Where the Kubernetes objects and AKO's settings come from; shared by every
/// command that compiles.
pub struct InputArgs {
    /// Manifest file or folder (YAML or JSON, read recursively), or `-` for
    /// stdin. Repeatable.
    #[arg(short = 'f', long = "filename", value_name = "PATH", value_hint = clap::ValueHint::AnyPath)]
    pub filename: Vec<String>,
    /// Namespace for objects that have none [default: `default`, or the
    /// context's with a cluster]; with a cluster, also the only one read.
    #[arg(short = 'n', long)]
    pub namespace: Option<String>,
    #[command(flatten)]
    pub cluster: cluster::ClusterArgs,
    /// AKO's helm values.yaml (as given to `helm install`).
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub values: Option<PathBuf>,
    /// Override a value, helm style: `L7Settings.shardVSSize=SMALL`,
    /// `a.b[0].c=x`, `a=1,b=2`. Applied after --values, in order. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// What the Avi controller reports to AKO at start-up: YAML with
    /// cloudType, dnsSubdomains, defaultLicenseTier, vrf, nsxtTransportZone.
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub cloud_facts: Option<PathBuf>,
    /// The AKO release to model: 2.2.x (default), 2.1.x, 1.13.x or 1.12.x.
    /// Older releases build fewer fields, read their own chart's values and
    /// (1.12) core/v1 Endpoints.
    #[arg(long, value_name = "VERSION", value_parser = crate::release::Release::parse)]
    pub ako_version: Option<crate::release::Release>,
}

#[derive(Args, Debug)]
pub struct CompileArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format [default: table on a terminal, json otherwise]. `table`
    /// fits the terminal's width (sources cut to `+N more`); `wide` shows
    /// every source; `name` prints `type/name` lines.
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Format>,
    /// Print TLS private keys in the output. Without it a key is replaced by
    /// `<redacted sha256:...>`, the SHA-256 of the key.
    #[arg(long)]
    pub show_secrets: bool,
    /// Show which HostRule / HTTPRule / L4Rule / AviInfraSetting set which
    /// object field: under a top-level "rules" key with `-o json`, else on
    /// stderr after the diagnostics.
    #[arg(long)]
    pub explain_rules: bool,
    #[command(flatten)]
    pub gate: gate::GateArgs,
    /// Also print notes (infos), which are hidden by default.
    #[arg(short = 'v', long, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `-v` anywhere: an error also shows the offending lines.
    let verbose = args
        .iter()
        .take_while(|a| *a != "--")
        .filter_map(|a| a.to_str())
        .any(|a| {
            a == "--verbose"
                || (a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b == b'v'))
        });
    let r = if args.get(1).is_some_and(|a| a == "gen-docs") {
        let g = GenDocsArgs::parse_from(&args[1..]);
        run_gen_docs(&g.out, g.check)
    } else {
        match Cli::try_parse_from(&args) {
            Ok(cli) => run(cli),
            // Usage errors exit 1 (2 means "changes present" for
            // `plan --detailed-exitcode`); --help and --version exit 0.
            Err(e) => {
                let _ = e.print();
                return if e.use_stderr() {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                };
            }
        }
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            let style = Style::stderr();
            let mut text = e.to_string();
            for cause in e.chain().skip(1) {
                text.push_str(&format!(": {cause}"));
            }
            for line in text.lines() {
                eprintln!("{}: {line}", style.severity(Severity::Error));
            }
            // A marked place the one-line text does not name yet.
            if let (Some(src), Some(labels)) = (e.source_code(), e.labels()) {
                for l in labels {
                    let Ok(c) = src.read_span(l.inner(), 0, 0) else {
                        continue;
                    };
                    let place = format!(
                        "{}:{}:{}",
                        c.name().unwrap_or("<input>"),
                        c.line() + 1,
                        c.column() + 1
                    );
                    if !text.contains(&place) {
                        eprintln!("{}:   at {place}", style.severity(Severity::Error));
                    }
                }
            }
            if let Some(h) = e.help() {
                eprintln!("hint: {h}");
            } else if let Some(h) = input_hint(&text) {
                eprintln!("hint: {h}");
            }
            if verbose && e.source_code().is_some() && e.labels().is_some() {
                // With -v, the offending lines, with the place marked (the
                // one-line error above already names file, line and column).
                let theme = if style.color {
                    miette::GraphicalTheme::unicode()
                } else {
                    miette::GraphicalTheme::unicode_nocolor()
                };
                let mut snippet = String::new();
                let handler = miette::GraphicalReportHandler::new_themed(theme);
                if handler.render_report(&mut snippet, e.as_ref()).is_ok() {
                    eprint!("{}", redact_snippet(&snippet));
                }
            }
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    if cli.no_color {
        NO_COLOR_FLAG.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    match cli.command {
        Command::Compile(a) => run_compile(a),
        Command::ExplainName(a) => explain::run(a),
        Command::Plan(a) => plan::run_plan(a),
        Command::Pull(a) => plan::run_pull(a),
        Command::Apply(a) => apply::run_apply(a),
        Command::DevController(a) => devctl::run(a),
        Command::Snapshot(a) => cluster::run_snapshot(a),
        Command::Settings(a) => settings::run(a),
        Command::ExplainCode { code } => {
            let text = gate::explain_code(code.as_deref())?;
            write_stdout(text.as_bytes()).map(|()| ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "akoctl", &mut buf);
            write_stdout(&buf).map(|()| ExitCode::SUCCESS)
        }
    }
}

/// A hint for a manifest that is not one: AKO's helm values given with -f,
/// or an unrendered helm template. The file is the one the error starts
/// with (`path:line[:column]: ...`).
fn input_hint(error: &str) -> Option<&'static str> {
    let first = error.lines().next()?;
    let path = first.match_indices(':').find_map(|(i, _)| {
        first[i + 1..]
            .starts_with(|c: char| c.is_ascii_digit())
            .then(|| &first[..i])
    })?;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 4 << 20 {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    if text.contains("{{") && text.contains("}}") {
        return Some(
            "this file holds helm template expressions ({{ ... }}); render it first (helm template ...) and give the output with -f",
        );
    }
    let values_keys = [
        "AKOSettings:",
        "NetworkSettings:",
        "L7Settings:",
        "ControllerSettings:",
    ];
    if text
        .lines()
        .any(|l| values_keys.iter().any(|k| l.starts_with(k)))
    {
        return Some("this file looks like AKO's helm values: give it with --values, not -f");
    }
    None
}

/// The source lines quoted in an error snippet may sit next to a Secret's
/// data: a quoted line that mentions a private key loses its text, and any
/// run of 32 or more base64 characters in a quoted line (a Secret's data, a
/// PEM body line) is replaced by `<redacted>`. Only the quoted lines (after
/// the line-number gutter) are touched, never the message.
fn redact_snippet(text: &str) -> String {
    static GUTTER: std::sync::OnceLock<Option<(regex::Regex, regex::Regex)>> =
        std::sync::OnceLock::new();
    let Some((gutter, b64)) = GUTTER.get_or_init(|| {
        Some((
            regex::Regex::new(r"^(\s*(?:\x1b\[[0-9;]*m)*\s*\d+\s*(?:\x1b\[[0-9;]*m)*\s*│)(.*)$")
                .ok()?,
            regex::Regex::new(r"[A-Za-z0-9+/=]{32,}").ok()?,
        ))
    }) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        match gutter.captures(body) {
            Some(c) => {
                let (head, src) = (&c[1], &c[2]);
                let src = if src.contains("PRIVATE KEY") {
                    " <redacted: key material>".to_string()
                } else {
                    b64.replace_all(src, "<redacted>").into_owned()
                };
                out.push_str(head);
                out.push_str(&src);
            }
            None => out.push_str(body),
        }
        out.push_str(nl);
    }
    out
}

/// Colors for stderr: only on a terminal, and never with `NO_COLOR` set.
struct Style {
    color: bool,
}

impl Style {
    fn stderr() -> Self {
        Style {
            color: std::io::stderr().is_terminal() && !color_off(),
        }
    }

    fn severity(&self, s: Severity) -> String {
        if !self.color {
            return s.to_string();
        }
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        format!("\x1b[{code}m{s}\x1b[0m")
    }

    fn print(&self, d: &Diagnostic) {
        let text = d.to_string();
        let rest = text.strip_prefix(&d.severity.to_string()).unwrap_or(&text);
        eprintln!("{}{rest}", self.severity(d.severity));
    }
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).into_diagnostic().wrap_err("writing to stdout")
        }
        _ => Ok(()),
    }
}

/// Settings, snapshot and compile result of the inputs, with every
/// diagnostic (settings, input, compile) in one list.
pub(crate) struct Loaded {
    pub settings: crate::settings::Settings,
    pub compiled: compile::Compiled,
    pub diagnostics: Vec<Diagnostic>,
    /// Each resolved setting with its origin (printed with `-v`).
    pub origins: Vec<crate::settings::origin::Row>,
}

pub(crate) fn load_and_compile(a: &InputArgs, show_secrets: bool) -> Result<Loaded> {
    load_and_compile_as(a, show_secrets, false)
}

/// [`load_and_compile`]; `lean` compiles with [`compile::compile_lean`]
/// (the objects are then in `compiled.lean`).
fn load_and_compile_as(a: &InputArgs, show_secrets: bool, lean: bool) -> Result<Loaded> {
    let loaded = load_settings_full(a, cluster::reads_cluster(&a.filename, &a.cluster))?;
    let (mut settings, mut diagnostics) = (loaded.settings, loaded.diagnostics);
    settings.show_secrets = show_secrets;
    let (snapshot, input_diags) =
        cluster::read_input(&a.filename, a.namespace.as_deref(), &a.cluster, &settings)?;
    diagnostics.extend(input_diags);
    let compiled = if lean {
        compile::compile_lean(&snapshot, &settings)
    } else {
        compile::compile(&snapshot, &settings)
    };
    diagnostics.extend(compiled.diagnostics.iter().cloned());
    leak(snapshot);
    Ok(Loaded {
        settings,
        compiled,
        diagnostics,
        origins: loaded.origins,
    })
}

/// [`load_settings`]; `from_cluster` false never reads AKO's settings from
/// a cluster (a command that reads no inputs).
pub(crate) fn load_settings_from(
    a: &InputArgs,
    from_cluster: bool,
) -> Result<(crate::settings::Settings, Vec<Diagnostic>)> {
    let loaded = load_settings_full(a, from_cluster)?;
    Ok((loaded.settings, loaded.diagnostics))
}

/// [`load_settings_from`], with the image read and each setting's origin.
pub(crate) fn load_settings_full(
    a: &InputArgs,
    from_cluster: bool,
) -> Result<cluster::LoadedSettings> {
    let values_text = crate::workflow::files::read_opt(&a.values)?;
    let facts_text = crate::workflow::files::read_opt(&a.cloud_facts)?;
    cluster::load_settings(
        &a.cluster,
        from_cluster,
        &values_text,
        &a.set,
        &facts_text,
        a.ako_version,
    )
}

/// Print diagnostics to stderr with the default levels (notes hidden);
/// exit status 1 when one is an error.
pub(crate) fn report(diagnostics: &[Diagnostic]) -> ExitCode {
    let outcome = crate::diagnostics::Policy::default().apply(diagnostics);
    let _ = gate::print(&crate::diagnostics::Policy::default(), &outcome);
    if outcome.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_compile(mut a: CompileArgs) -> Result<ExitCode> {
    let cfg = a.gate.repo_config()?;
    let policy = a.gate.merge(&cfg, a.verbose);
    if a.input.ako_version.is_none() {
        a.input.ako_version = cfg.release()?;
    }
    let format = a.output.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    });
    // JSON is written from bodies kept as text, a seventh of the memory.
    let lean = format == Format::Json && !a.explain_rules;
    let loaded = load_and_compile_as(&a.input, a.show_secrets, lean)?;
    if a.verbose > 0 {
        settings::print_changed(&loaded.origins);
    }
    let outcome = gate::report(&policy, &loaded.diagnostics)?;
    let code = if outcome.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    if lean {
        // Written object by object: the set is never held as one text.
        let doc = render::JsonDoc::lean(&loaded.compiled.lean, a.show_secrets)
            .first(
                "format_version",
                serde_json::json!(crate::diagnostics::FORMAT_VERSION),
            )
            .field("diagnostics", outcome.to_json());
        write_stdout_with(|w| doc.write(w))?;
        leak(loaded);
        return Ok(code);
    }
    let mut text = match terminal_width() {
        Some(w) if format == Format::Table => render::table_fit(&loaded.compiled.objects, w),
        _ => render::render_with(&loaded.compiled.objects, format, a.show_secrets),
    };
    if a.explain_rules {
        let rules = &loaded.compiled.provenance;
        if format == Format::Json {
            text = with_rules(&text, rules);
        } else {
            for r in rules {
                eprintln!("rule: {r}");
            }
        }
    }
    if format == Format::Json {
        text = gate::with_diagnostics(&text, &outcome);
    }
    write_stdout(text.as_bytes())?;
    leak((loaded, text));
    Ok(code)
}

/// The width to fit a table to: only when stdout is a terminal (piped, a
/// table keeps its full rows); `COLUMNS` wins over the terminal's size.
fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
        .or_else(|| comfy_table::Table::new().width().map(usize::from))
}

/// [`write_stdout`] for output written in parts, through a buffer.
pub(crate) fn write_stdout_with(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).into_diagnostic().wrap_err("writing to stdout")
        }
        _ => Ok(()),
    }
}

/// Give up a large value without freeing it: the process ends soon after,
/// and the operating system takes the memory back at once, while freeing a
/// snapshot or an output object by object costs about a fifth of the
/// compile (`BENCHMARKS.md`, "Compile").
pub(crate) fn leak<T>(value: T) {
    std::mem::forget(value);
}

/// The JSON output with a top-level `"rules"` list added. (Read back as a
/// `serde_json::Value`, so every object's keys come out sorted: the
/// `--explain-rules` document has always looked so.)
fn with_rules(json_text: &str, rules: &[crate::compile::crd::FieldProvenance]) -> String {
    let Ok(serde_json::Value::Object(mut doc)) = serde_json::from_str(json_text) else {
        return json_text.to_string();
    };
    doc.insert(
        "rules".into(),
        serde_json::to_value(rules).unwrap_or(serde_json::Value::Null),
    );
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

fn run_gen_docs(out: &Path, check: bool) -> Result<ExitCode> {
    let files = docs::generate().map_err(|e| miette!("generating docs: {e}"))?;
    if check {
        let stale = docs::stale(out, &files);
        for f in &stale {
            eprintln!("out of date: {}", f.display());
        }
        if !stale.is_empty() {
            return Err(miette!("{}", docs::REFRESH_HINT));
        }
        return Ok(ExitCode::SUCCESS);
    }
    docs::write(out, &files).map_err(|e| miette!("writing docs under {}: {e}", out.display()))?;
    for (p, _) in &files {
        eprintln!("wrote {}", out.join(p).display());
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::redact_snippet;

    #[test]
    fn error_snippets_quote_no_key_material() {
        let snippet = "  × x.yaml:47:12: cannot decode Secret shop/web-tls\n    ╭─[x.yaml:47:12]\n 46 │   tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJxakNDQVZH\n 47 │   tls.key: [1, 2]\n    ·            ┬\n 48 │ -----BEGIN EC PRIVATE KEY-----\n 49 │ MHcCAQEEIIny2U51WJ68NL/PoYlPCRgpivv3L+O7bDp8hsKo9mFEoAoGCCqGSM49\n    ╰────\n";
        let r = redact_snippet(snippet);
        assert!(!r.contains("LS0tLS1CRUdJTiBDRVJU"), "{r}");
        assert!(
            !r.contains("PRIVATE KEY") && !r.contains("MHcCAQEEIIny2U51"),
            "{r}"
        );
        assert!(r.contains(" 47 │   tls.key: [1, 2]"), "{r}");
        assert!(r.contains("cannot decode Secret shop/web-tls"), "{r}");
        assert!(r.contains("x.yaml:47:12"), "{r}");
    }
}
