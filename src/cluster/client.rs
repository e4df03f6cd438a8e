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
    let mut kubeconfig = kubeconfig;
    read_token_files(&mut kubeconfig, &context)?;
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
    let client = if config.proxy_url.is_none()
        && !config.accept_invalid_certs
        && config.root_cert.is_some()
    {
        ca_as_server::client(config)
    } else {
        if config.accept_invalid_certs {
            eprintln!(
                "warning: context {context:?}: insecure-skip-tls-verify is set: the API server's certificate is not verified"
            );
        }
        kube::Client::try_from(config).map_err(|e| chain(&e))
    }
    .map_err(|e| miette!("cannot set up a client for context {context:?}: {e}"))?;
    Ok(Connection {
        client,
        context,
        default_namespace,
        server,
    })
}

/// A user's `tokenFile`, read the way kubectl reads it (client-go
/// `rest.Config.BearerTokenFile`: the file's text with surrounding white
/// space trimmed), in place of kube's untrimmed read, whose trailing newline
/// makes an invalid header. An explicit `token` still wins, as in client-go.
fn read_token_files(kubeconfig: &mut Kubeconfig, context: &str) -> Result<()> {
    let user_name = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context)
        .and_then(|c| c.context.as_ref())
        .and_then(|c| c.user.clone());
    for named in &mut kubeconfig.auth_infos {
        if Some(&named.name) != user_name.as_ref() {
            continue;
        }
        let Some(user) = named.auth_info.as_mut() else {
            continue;
        };
        let Some(path) = user.token_file.take() else {
            continue;
        };
        if user.token.is_none() {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                miette!(
                    "user {:?}: cannot read its tokenFile {path}: {e}",
                    named.name
                )
            })?;
            user.token = Some(secrecy::SecretString::from(text.trim().to_string()));
        }
    }
    Ok(())
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

/// kubectl (Go's `crypto/x509`) accepts an API server certificate that is
/// itself one of the configured CA certificates (a self-signed certificate
/// with `CA:TRUE`, as some installers make); webpki refuses a CA certificate
/// as an end entity. This verifier accepts exactly that case: the presented
/// certificate is byte-identical to a configured CA certificate, is valid
/// now, and names the host; everything else is the usual verification.
mod ca_as_server {
    use std::sync::Arc;

    use kube::client::{Body, ConfigExt};
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::client::{WebPkiServerVerifier, verify_server_name};
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::server::ParsedCertificate;
    use rustls::{CertificateError, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};
    use tower::ServiceBuilder;

    #[derive(Debug)]
    pub struct Verifier {
        inner: Arc<WebPkiServerVerifier>,
        cas: Vec<CertificateDer<'static>>,
    }

    impl Verifier {
        pub fn new(cas: Vec<CertificateDer<'static>>) -> Result<Verifier, String> {
            let mut roots = RootCertStore::empty();
            for c in &cas {
                roots
                    .add(c.clone())
                    .map_err(|e| format!("a certificate-authority certificate: {e}"))?;
            }
            let inner = WebPkiServerVerifier::builder(Arc::new(roots))
                .build()
                .map_err(|e| e.to_string())?;
            Ok(Verifier { inner, cas })
        }
    }

    /// webpki's `CaUsedAsEndEntity`, which rustls passes on as an "other"
    /// certificate error. webpki checks the validity period before the
    /// basic constraints, so this error also says the certificate is valid now.
    fn is_ca_used_as_end_entity(e: &Error) -> bool {
        matches!(e, Error::InvalidCertificate(CertificateError::Other(o))
            if format!("{o:?}").contains("CaUsedAsEndEntity"))
    }

    impl ServerCertVerifier for Verifier {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp_response: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, Error> {
            match self.inner.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ) {
                Err(e)
                    if is_ca_used_as_end_entity(&e)
                        && self.cas.iter().any(|c| c.as_ref() == end_entity.as_ref()) =>
                {
                    let parsed = ParsedCertificate::try_from(end_entity)?;
                    verify_server_name(&parsed, server_name)?;
                    Ok(ServerCertVerified::assertion())
                }
                other => other,
            }
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            self.inner.verify_tls12_signature(message, cert, dss)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            self.inner.verify_tls13_signature(message, cert, dss)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.inner.supported_verify_schemes()
        }
    }

    /// The DER certificates of PEM `certificate-authority(-data)`.
    fn ders(roots: &[Vec<u8>]) -> Vec<CertificateDer<'static>> {
        roots
            .iter()
            .map(|d| CertificateDer::from(d.clone()))
            .collect()
    }

    /// The client kube would build (TLS, timeouts, base URI, auth, extra
    /// headers), with [`Verifier`] in place of the default verifier.
    pub fn client(config: kube::Config) -> Result<kube::Client, String> {
        let roots = config.root_cert.clone().unwrap_or_default();
        let mut tls = config
            .rustls_client_config()
            .map_err(|e| super::chain(&e))?;
        tls.dangerous()
            .set_certificate_verifier(Arc::new(Verifier::new(ders(&roots))?));
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(false);
        let mut builder = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http();
        if let Some(name) = &config.tls_server_name {
            let name = ServerName::try_from(name.clone())
                .map_err(|e| format!("tls-server-name {name:?}: {e}"))?;
            builder =
                builder.with_server_name_resolver(hyper_rustls::FixedServerNameResolver::new(name));
        }
        let https = builder.enable_http1().wrap_connector(http);
        let mut timeouts = hyper_timeout::TimeoutConnector::new(https);
        timeouts.set_connect_timeout(config.connect_timeout);
        timeouts.set_read_timeout(config.read_timeout);
        timeouts.set_write_timeout(config.write_timeout);
        let http_client: hyper_util::client::legacy::Client<_, Body> =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(timeouts);
        let auth = config.auth_layer().map_err(|e| super::chain(&e))?;
        let headers = config.extra_headers_layer().map_err(|e| super::chain(&e))?;
        let service = ServiceBuilder::new()
            .layer(config.base_uri_layer())
            .option_layer(auth)
            .layer(headers)
            .map_err(tower::BoxError::from)
            .service(http_client);
        Ok(kube::Client::new(service, config.default_namespace.clone()))
    }
}
