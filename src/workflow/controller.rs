//! Reaching a controller: credentials, client options (from flags, or from
//! AKO's ConfigMap and Secret in the cluster), and a session on its own
//! runtime that reads the cloud facts and the state.

use std::path::PathBuf;

use miette::{IntoDiagnostic, Report, Result, WrapErr, miette};

use crate::client::read::{self, MissingRef};
use crate::client::{Client, ClientError, ClientOptions, Credential};
use crate::cluster;
use crate::model::ObjectSet;
use crate::plan::State;
use crate::settings::Settings;

/// How to log in and what to trust, as the flags give it.
#[derive(Clone, Debug)]
pub struct ControllerConfig {
    pub username: String,
    /// The password is the first line of this file.
    pub password_file: Option<PathBuf>,
    /// Trust this CA certificate (PEM).
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    /// `X-Avi-Version` to send.
    pub api_version: Option<String>,
    /// List requests in flight at once.
    pub concurrency: usize,
}

/// The credential: the first line of `password_file`, else `AVI_PASSWORD`,
/// else `AVI_AUTH_TOKEN` (token login). Never from the command line.
pub fn credential(password_file: &Option<PathBuf>) -> Result<Credential> {
    if let Some(p) = password_file {
        let text = super::files::read_text(p)?;
        let pw = text.lines().next().unwrap_or("").to_string();
        if pw.is_empty() {
            return Err(miette!("{} is empty", p.display()));
        }
        return Ok(Credential::Password(pw));
    }
    if let Ok(p) =
        std::env::var("AVI_PASSWORD").map(|p| p.trim_end_matches(['\r', '\n']).to_string())
        && !p.is_empty()
    {
        return Ok(Credential::Password(p));
    }
    if let Ok(t) = std::env::var("AVI_AUTH_TOKEN").map(|t| t.trim().to_string())
        && !t.is_empty()
    {
        return Ok(Credential::Token(t));
    }
    Err(miette!(
        "no controller credentials: set AVI_PASSWORD or AVI_AUTH_TOKEN, or pass --password-file FILE (passwords are never taken from the command line)"
    ))
}

/// Client options for `url` with `credential`; `ca_pem` is the CA of
/// `--ca-cert`, else `fallback_ca` (the CA of AKO's Secret).
fn options_with(
    cfg: &ControllerConfig,
    url: &str,
    username: &str,
    credential: Credential,
    fallback_ca: Option<&str>,
) -> Result<ClientOptions> {
    let mut o = ClientOptions::new(url, username, credential);
    o.api_version = cfg.api_version.clone();
    o.insecure = cfg.insecure;
    o.concurrency = cfg.concurrency.max(1);
    if let Some(p) = &cfg.ca_cert {
        o.ca_cert_pem = Some(
            std::fs::read(p)
                .into_diagnostic()
                .wrap_err_with(|| format!("reading {}", p.display()))?,
        );
    } else if let Some(ca) = fallback_ca.filter(|c| !c.is_empty()) {
        o.ca_cert_pem = Some(ca.as_bytes().to_vec());
    }
    Ok(o)
}

/// Client options for `url` with the credentials of `cfg`.
pub fn options(cfg: &ControllerConfig, url: &str) -> Result<ClientOptions> {
    options_with(
        cfg,
        url,
        &cfg.username,
        credential(&cfg.password_file)?,
        None,
    )
}

/// The controller AKO talks to, as read from the cluster.
pub struct ClusterController {
    /// `https://` + the ConfigMap's `controllerIP` (AKO prefixes the scheme).
    pub url: String,
    /// `ConfigMap NS/avi-k8s-config key controllerIP`.
    pub url_from: String,
    /// `NS/avi-secret`.
    pub secret_name: String,
    pub secret: cluster::ako::AviSecret,
}

/// Connect to the cluster and read the controller address of AKO's
/// ConfigMap (or AKOConfig) in namespace `ns` and the credentials of
/// `avi-secret`.
pub fn read_cluster_controller(target: &cluster::Target, ns: &str) -> Result<ClusterController> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .into_diagnostic()
        .wrap_err("cannot start the async runtime")?;
    let (read, secret) = runtime.block_on(async {
        let conn = cluster::connect(target).await?;
        let read = cluster::ako::read_ako(&conn, ns).await?;
        let secret = cluster::ako::read_avi_secret(&conn, ns).await?;
        Ok::<_, miette::Report>((read, secret))
    })?;
    let cm = crate::settings::cluster::CONFIGMAP;
    let (host, url_from) = match (&read.objects.configmap, &read.objects.akoconfig) {
        (Some(c), _) => (
            c.pointer("/data/controllerIP")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_string(),
            format!("ConfigMap {ns}/{cm} key controllerIP"),
        ),
        (None, Some(a)) => (
            a.pointer("/spec/controllerSettings/controllerIP")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_string(),
            format!("AKOConfig in {ns} spec.controllerSettings.controllerIP"),
        ),
        (None, None) => (String::new(), String::new()),
    };
    if host.trim().is_empty() {
        return Err(miette!(
            "--controller-from-cluster: no controller address in ConfigMap {ns}/{cm} (controllerIP) nor in an AKOConfig in {ns}; give --controller instead"
        ));
    }
    let host = host.trim();
    // `pkg/utils/avi_rest_utils.go`: AKO talks https to the controller host.
    let url = if host.starts_with("http://") || host.starts_with("https://") {
        host.to_string()
    } else {
        format!("https://{host}")
    };
    Ok(ClusterController {
        url,
        url_from,
        secret_name: format!("{ns}/{}", crate::settings::cluster::AVI_SECRET),
        secret,
    })
}

/// Client options for the controller read from the cluster: the Secret's
/// user (else `cfg`'s), password or auth token, and CA (unless
/// `--ca-cert`); with the sentence that says where they came from (never
/// the credentials themselves).
pub fn cluster_options(
    cfg: &ControllerConfig,
    found: &ClusterController,
) -> Result<(ClientOptions, String)> {
    let secret = &found.secret;
    let credential = if !secret.password.is_empty() {
        Credential::Password(secret.password.clone())
    } else if !secret.auth_token.is_empty() {
        Credential::Token(secret.auth_token.clone())
    } else {
        return Err(miette!(
            "--controller-from-cluster: Secret {} has neither password nor authtoken",
            found.secret_name
        ));
    };
    let username = if secret.username.is_empty() {
        cfg.username.clone()
    } else {
        secret.username.clone()
    };
    let note = format!(
        "controller {} from {}, credentials of user {:?} from Secret {}{}",
        found.url,
        found.url_from,
        username,
        found.secret_name,
        if secret.ca_pem.is_empty() {
            ""
        } else {
            " (with its CA certificate)"
        }
    );
    let o = options_with(
        cfg,
        &found.url,
        &username,
        credential,
        Some(secret.ca_pem.as_str()),
    )?;
    Ok((o, note))
}

/// A controller session on its own single-threaded runtime.
pub struct Live {
    pub rt: tokio::runtime::Runtime,
    pub client: Client,
}

impl Live {
    /// Log in; `advise` turns a refused connection or login into the error
    /// shown (the CLI knows where the user and password came from).
    pub fn connect(
        opts: ClientOptions,
        advise: impl FnOnce(ClientError) -> Report,
    ) -> Result<Live> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .into_diagnostic()?;
        let client = rt.block_on(Client::connect(opts)).map_err(advise)?;
        Ok(Live { rt, client })
    }

    /// Read the cloud facts (into `settings`) and the state, reporting each
    /// collection read to `progress`.
    pub fn read(&self, settings: &mut Settings, progress: Option<read::Progress>) -> Result<State> {
        self.rt
            .block_on(async {
                let facts = read::read_cloud_facts(&self.client, settings).await?;
                settings.cloud = facts.clone();
                if let Some(m) = crate::settings::values::nsxt_transport_zone_refusal(settings) {
                    return Err(ClientError::Decode {
                        path: format!("/api/cloud?name={}", settings.cloud_name),
                        message: format!("NetworkSettings.nsxtT1LR {m}"),
                    });
                }
                let mut state = read::read_state(&self.client, settings, progress).await?;
                state.cloud_facts = Some(facts);
                Ok::<_, ClientError>(state)
            })
            .into_diagnostic()
    }

    /// The refs of `desired` to objects the controller does not hold.
    pub fn missing_refs(&self, desired: &ObjectSet) -> Result<Vec<MissingRef>> {
        self.rt
            .block_on(read::missing_refs(&self.client, desired))
            .into_diagnostic()
    }

    /// Log out (best effort).
    pub fn close(self) {
        self.rt.block_on(self.client.logout());
    }
}
