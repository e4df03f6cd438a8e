//! Serving the in-memory controller over HTTP/1, plain or TLS (a generated
//! self-signed certificate), with optional persistence to a JSON file.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use hyper::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::{Store, serve_one};

#[derive(Clone, Default)]
pub struct ServeOptions {
    /// Save the objects here after every write.
    pub data: Option<PathBuf>,
    /// Serve HTTPS with this acceptor.
    pub tls: Option<TlsAcceptor>,
}

/// A self-signed certificate for `hosts` (DNS names or IP addresses): the
/// TLS acceptor and the certificate in PEM (for the client's `--ca-cert`).
pub fn self_signed(hosts: &[String]) -> Result<(TlsAcceptor, String), String> {
    let ck = rcgen::generate_simple_self_signed(hosts.to_vec()).map_err(|e| e.to_string())?;
    let cert_pem = ck.cert.pem();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(ck.cert.der().to_vec())], key)
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((TlsAcceptor::from(Arc::new(config)), cert_pem))
}

/// A connection closed without an answer (fault injection): hyper drops the
/// connection when the service fails.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped (injected fault)")
    }
}

impl std::error::Error for Dropped {}

/// Accept connections forever.
pub async fn serve(listener: TcpListener, store: Arc<Mutex<Store>>, opts: ServeOptions) {
    let opts = Arc::new(opts);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let store = store.clone();
        let opts = opts.clone();
        tokio::spawn(async move {
            let scheme = if opts.tls.is_some() { "https" } else { "http" };
            let svc = {
                let opts = opts.clone();
                service_fn(move |r: Request<Incoming>| {
                    let store = store.clone();
                    let opts = opts.clone();
                    async move { serve_one(&store, r, scheme, opts.data.as_deref()).await }
                })
            };
            match &opts.tls {
                Some(acceptor) => {
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), svc)
                        .await;
                }
                None => {
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                }
            }
        });
    }
}
