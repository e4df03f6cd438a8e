//! `akoctl dev-controller`: an in-memory Avi controller to try akoctl against
//! (and to test with). It implements the part of the controller API akoctl
//! uses: login and CSRF, `X-Avi-Version`, tenants, uuids and URL refs in
//! answers, name refs in writes, pagination, PATCH, 409 on duplicate names,
//! 400 on dangling refs and on fields newer than `X-Avi-Version`, refusal to
//! delete a referenced object, server-side defaults. Hidden flags inject
//! faults (`--fault N:KIND`, `--latency-ms`, `--error-rate`,
//! `--expire-every`).
//!
//! Plain HTTP is served on loopback only; any other address needs `--tls`
//! (a generated self-signed certificate).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::Args;
use miette::{IntoDiagnostic, Result, WrapErr, miette};
use serde_json::json;

use crate::devctl::serve::{self, ServeOptions};
use crate::devctl::{Config, Fault, Store, seed};
use crate::workflow::files::read_text;

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  akoctl dev-controller --network vip-net --network node-net
  AVI_PASSWORD=secret akoctl dev-controller --listen 127.0.0.1:9443 \\
      --data ctl.json
  akoctl dev-controller --listen 0.0.0.0:9443 --tls --cert-out ctl.pem

The password comes from --password-file, else AVI_PASSWORD, else --password
(visible to other users of the machine: a warning is printed), else \"admin\".
The first line on stdout is the controller's URL.")]
pub struct DevControllerArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:9443", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// Load the objects from this JSON file (when it exists) and save them
    /// there after every change.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// The user that may log in.
    #[arg(long, default_value = "admin")]
    pub user: String,
    /// The user's password. Prefer AVI_PASSWORD or --password-file.
    #[arg(long)]
    pub password: Option<String>,
    /// Read the password from this file (first line).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Serve HTTPS with a generated self-signed certificate.
    #[arg(long)]
    pub tls: bool,
    /// Write the generated certificate (PEM) here, for `--ca-cert`.
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub cert_out: Option<PathBuf>,
    /// The controller version reported (and the newest `X-Avi-Version`
    /// accepted) [default: 22.1.3, or the release that introduced the
    /// newest field the objects of the -f inputs carry].
    #[arg(long = "controller-version", value_name = "VERSION")]
    pub controller_version: Option<String>,
    /// Networks to create at start (the VIP and node networks the values
    /// name). Repeatable.
    #[arg(long = "network", value_name = "NAME")]
    pub networks: Vec<String>,
    /// Tenants to create besides `admin`. Repeatable.
    #[arg(long = "tenant", value_name = "NAME")]
    pub tenants: Vec<String>,
    /// AKO's helm values.yaml: start with what AKO needs on a controller for
    /// them: the cloud (ControllerSettings.cloudName), the SE group
    /// (serviceEngineGroupName), the tenant (tenantName), the VIP and node
    /// networks (NetworkSettings) and the VRF context.
    #[arg(long, value_name = "FILE")]
    pub values: Option<PathBuf>,
    /// The cloud's type, DNS sub-domains (an IPAM/DNS profile on the cloud
    /// holds them), license tier and VRF (the cloud-facts file of `akoctl
    /// compile`).
    #[arg(long, value_name = "FILE")]
    pub cloud_facts: Option<PathBuf>,
    /// Manifests (file or folder, repeatable): also create the tenants their
    /// Namespaces name (annotation ako.vmware.com/tenant-name) and the
    /// networks and SE groups their AviInfraSettings name.
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub filename: Vec<String>,
    /// Delay every answer (benchmarks).
    #[arg(long, hide = true, default_value_t = 0)]
    pub latency_ms: u64,
    /// Answer this share of API requests with 503 (0.0–1.0).
    #[arg(long, hide = true, default_value_t = 0.0)]
    pub error_rate: f64,
    /// Expire every session after this many API requests.
    #[arg(long, hide = true)]
    pub expire_every: Option<u64>,
    /// A scripted fault on the N-th API request: `N:drop`, `N:drop-after`
    /// (after the write took effect), `N:status=503`, `N:status-after=500`,
    /// `N:delay=MS`, `N:expire`. Repeatable.
    #[arg(long = "fault", hide = true, value_name = "N:KIND", value_parser = parse_fault)]
    pub faults: Vec<(u64, Fault)>,
}

/// The controller version a dev controller reports unless told otherwise.
const DEFAULT_VERSION: &str = "22.1.3";

fn parse_fault(s: &str) -> std::result::Result<(u64, Fault), String> {
    let (n, kind) = s
        .split_once(':')
        .ok_or_else(|| format!("{s:?}: expected N:KIND"))?;
    let n: u64 = n
        .parse()
        .map_err(|_| format!("{n:?}: not a request number"))?;
    let (k, arg) = match kind.split_once('=') {
        Some((k, a)) => (k, Some(a)),
        None => (kind, None),
    };
    let num = |a: Option<&str>| -> std::result::Result<u64, String> {
        a.and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("{s:?}: {k} needs a number (`{k}=N`)"))
    };
    let status = |a: Option<&str>| -> std::result::Result<u16, String> {
        num(a).and_then(|v| {
            u16::try_from(v)
                .ok()
                .filter(|v| (100..600).contains(v))
                .ok_or_else(|| format!("{s:?}: not an HTTP status"))
        })
    };
    let f = match k {
        "drop" => Fault::Drop,
        "drop-after" => Fault::DropAfterCommit,
        "status" => Fault::Status(status(arg)?),
        "status-after" => Fault::StatusAfterCommit(status(arg)?),
        "delay" => Fault::Delay(num(arg)?),
        "expire" => Fault::ExpireSessions,
        other => {
            return Err(format!(
                "unknown fault {other:?} (drop, drop-after, status=N, status-after=N, delay=MS, expire)"
            ));
        }
    };
    Ok((n, f))
}

fn password(a: &DevControllerArgs) -> Result<String> {
    if let Some(p) = &a.password_file {
        let t = read_text(p)?;
        let pw = t.lines().next().unwrap_or("").to_string();
        if pw.is_empty() {
            return Err(miette!("{} is empty", p.display()));
        }
        return Ok(pw);
    }
    if let Ok(p) = std::env::var("AVI_PASSWORD")
        && !p.trim_end_matches(['\r', '\n']).is_empty()
    {
        return Ok(p.trim_end_matches(['\r', '\n']).to_string());
    }
    if let Some(p) = &a.password {
        eprintln!(
            "warning: --password is visible to other users of this machine; prefer AVI_PASSWORD or --password-file"
        );
        return Ok(p.clone());
    }
    eprintln!("note: no password given; the password is \"admin\"");
    Ok("admin".into())
}

pub fn run(a: DevControllerArgs) -> Result<ExitCode> {
    if !a.listen.ip().is_loopback() && !a.tls {
        return Err(miette!(
            "refusing to serve plain HTTP on {}: only loopback addresses may go without --tls",
            a.listen
        ));
    }
    if !(0.0..=1.0).contains(&a.error_rate) {
        return Err(miette!("--error-rate must be between 0 and 1"));
    }
    let seed = if a.values.is_some() || a.cloud_facts.is_some() || !a.filename.is_empty() {
        let values = super::plan::read_opt(&a.values)?;
        let facts = super::plan::read_opt(&a.cloud_facts)?;
        let (settings, diags) =
            crate::settings::values::load(&crate::settings::values::SettingsInput {
                values: values.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
                sets: &[],
                cloud_facts: facts.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
            })?;
        for d in &diags {
            eprintln!("{d}");
        }
        let inputs = if a.filename.is_empty() {
            None
        } else {
            let sources = crate::input::read_sources(&a.filename)?;
            let (snapshot, _) = crate::input::decode(&sources, "default")?;
            Some(snapshot)
        };
        let mut wants = seed::plan(&settings, inputs.as_ref(), &a.networks);
        let mut version = a.controller_version.clone();
        if let Some(snapshot) = &inputs {
            // What the compiled objects refer to besides: the profiles,
            // policies and health monitors AKO's CRDs name.
            let compiled = crate::compile::compile(snapshot, &settings);
            for w in seed::referenced(&settings, &compiled) {
                if !wants.iter().any(|x| x.kind == w.kind && x.name == w.name) {
                    wants.push(w);
                }
            }
            if version.is_none() {
                let (v, why) = seed::version_for(&compiled, DEFAULT_VERSION);
                if let Some(why) = why {
                    eprintln!("controller version {v} (for {why})");
                }
                version = Some(v);
            }
        }
        Some((settings, wants, version))
    } else {
        None
    };
    let controller_version = seed
        .as_ref()
        .and_then(|(_, _, v)| v.clone())
        .or_else(|| a.controller_version.clone())
        .unwrap_or_else(|| DEFAULT_VERSION.to_string());
    let mut config = Config {
        version: controller_version.clone(),
        users: vec![(a.user.clone(), password(&a)?)],
        tenants: a.tenants.clone(),
        ..Config::default()
    };
    if let Some((s, _, _)) = &seed {
        seed::config(&mut config, s);
    }
    let mut store = Store::new(config);
    let mut loaded = false;
    if let Some(p) = &a.data
        && p.exists()
    {
        let text = read_text(p)?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .into_diagnostic()
            .wrap_err_with(|| format!("reading {}", p.display()))?;
        store
            .load_json(&v)
            .map_err(|e| miette!("{}: {e}", p.display()))?;
        loaded = true;
    }
    if !loaded {
        for n in &a.networks {
            store.insert(
                "network",
                "admin",
                json!({"name": n, "cloud_ref": "/api/cloud/?name=Default-Cloud"}),
            );
        }
        if let Some((s, wants, _)) = &seed {
            for line in seed::apply(&mut store, s, wants) {
                eprintln!("created {line}");
            }
        }
    }
    store.faults.latency_ms = a.latency_ms;
    store.faults.error_rate = a.error_rate;
    store.faults.expire_every = a.expire_every;
    store.faults.script = a.faults.clone();
    store.faults.seed = 1;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .into_diagnostic()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(a.listen)
            .await
            .into_diagnostic()
            .wrap_err_with(|| format!("listening on {}", a.listen))?;
        let addr = listener.local_addr().into_diagnostic()?;
        let mut opts = ServeOptions {
            data: a.data.clone(),
            tls: None,
        };
        if a.tls {
            let mut hosts = vec!["localhost".to_string(), addr.ip().to_string()];
            if addr.ip().is_unspecified() {
                hosts.push("127.0.0.1".into());
            }
            let (acceptor, pem) = serve::self_signed(&hosts).map_err(|e| miette!("{e}"))?;
            if let Some(p) = &a.cert_out {
                std::fs::write(p, pem)
                    .into_diagnostic()
                    .wrap_err_with(|| format!("writing {}", p.display()))?;
            }
            opts.tls = Some(acceptor);
        }
        let scheme = if a.tls { "https" } else { "http" };
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{scheme}://{addr}");
            let _ = out.flush();
        }
        eprintln!(
            "akoctl dev-controller: serving an in-memory Avi controller {} on {scheme}://{addr} (user {:?}); Ctrl-C stops it",
            controller_version, a.user
        );
        serve::serve(listener, Arc::new(Mutex::new(store)), opts).await;
        Ok::<_, miette::Report>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
