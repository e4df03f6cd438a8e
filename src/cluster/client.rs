//! From a kubeconfig and a context to an authenticated client.

use std::path::PathBuf;
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig};
use miette::{Result, miette};

/// Which cluster to talk to, as on kubectl's command line.
#[derive(Clone, Debug, Default)]
pub struct Target {
    /// `--kubeconfig`; `None` reads `KUBECONFIG` (a list of files, merged), else
    /// `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`; `None` uses the kubeconfig's `current-context`.
    pub context: Option<String>,
}

/// A client for one context.
#[derive(Clone)]
pub struct Connection {
    pub client: kube::Client,
    /// The context name.
    pub context: String,
    /// The context's namespace, `default` when it names none.
    pub default_namespace: String,
    /// The API server URL.
    pub server: String,
}

/// How long one response may take to arrive once the request is sent.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

pub use crate::tls::install_crypto_provider;

/// Load the kubeconfig, resolve the context and build a client (no request is
/// sent yet). Must run inside a Tokio runtime.
pub async fn connect(target: &Target) -> Result<Connection> {
    install_crypto_provider();
    let (kubeconfig, where_) = match &target.kubeconfig {
        Some(path) => (
            Kubeconfig::read_from(path)
                .map_err(|e| miette!("cannot read kubeconfig {}: {}", path.display(), chain(&e)))?,
            path.display().to_string(),
        ),
        None => (
            Kubeconfig::read().map_err(|e| {
                miette!(
                    "cannot read the kubeconfig (KUBECONFIG, else ~/.kube/config): {}",
                    chain(&e)
                )
            })?,
            "the kubeconfig".to_string(),
        ),
    };
    let context = match target
        .context
        .clone()
        .or_else(|| kubeconfig.current_context.clone())
        .filter(|c| !c.is_empty())
    {
        Some(c) => c,
        None => {
            return Err(miette!(
                "{where_} has no current-context; choose one with --context ({})",
                context_names(&kubeconfig)
            ));
        }
    };
    if !kubeconfig.contexts.iter().any(|c| c.name == context) {
        return Err(miette!(
            "context {context:?} is not in {where_} ({})",
            context_names(&kubeconfig)
        ));
    }
    let options = KubeConfigOptions {
        context: Some(context.clone()),
        cluster: None,
        user: None,
    };
    let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| miette!("kubeconfig context {context:?}: {}", chain(&e)))?;
    config.read_timeout = Some(READ_TIMEOUT);
    let default_namespace = config.default_namespace.clone();
    let server = config.cluster_url.to_string();
    let client = kube::Client::try_from(config).map_err(|e| {
        miette!(
            "cannot set up a client for context {context:?}: {}",
            chain(&e)
        )
    })?;
    Ok(Connection {
        client,
        context,
        default_namespace,
        server,
    })
}

fn context_names(kubeconfig: &Kubeconfig) -> String {
    let names: Vec<&str> = kubeconfig
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    if names.is_empty() {
        "it defines no context".to_string()
    } else {
        format!("contexts: {}", names.join(", "))
    }
}

/// An error and its causes, `outer: inner: innermost`, without repeats.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = s.source();
    }
    out
}
