//! Serving the in-memory controller over HTTP/1, plain or TLS (a generated
//! self-signed certificate), with optional persistence to a JSON file; and
//! [`FakeController`], the same on a free loopback port for tests.

use std::net::SocketAddr;
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

use http_body_util::{BodyExt, Full, Limited};
use hyper::Response;
use hyper::body::Bytes;
use serde_json::json;

use super::{Config, Req, Store, handle};

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

/// A fake controller serving HTTP/1 on 127.0.0.1 (loopback only).
#[derive(Clone)]
pub struct FakeController {
    pub store: Arc<Mutex<Store>>,
    pub addr: SocketAddr,
}

impl FakeController {
    /// Bind 127.0.0.1 on a free port and serve on the current tokio runtime.
    pub async fn start(config: Config) -> std::io::Result<FakeController> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let store = Arc::new(Mutex::new(Store::new(config)));
        tokio::spawn(serve(listener, store.clone(), ServeOptions::default()));
        Ok(FakeController { store, addr })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Run `f` on the store (seeding, fault injection, inspection).
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        let mut g = match self.store.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&mut g)
    }
}

pub(super) async fn serve_one(
    store: &Mutex<Store>,
    r: Request<Incoming>,
    scheme: &str,
    data: Option<&std::path::Path>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = r.into_parts();
    let body = match Limited::new(body, 16 << 20).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    let req = Req {
        method: parts.method.to_string(),
        target: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into()),
        headers: parts
            .headers
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    k.as_str().to_ascii_lowercase(),
                    v.to_str().ok()?.to_string(),
                ))
            })
            .collect(),
        body,
        scheme: scheme.into(),
    };
    let write = req.method != "GET";
    let latency = {
        let mut g = match store.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if write {
            g.writes_in_flight += 1;
            g.max_writes_in_flight = g.max_writes_in_flight.max(g.writes_in_flight);
        } else {
            g.reads_in_flight += 1;
            g.max_reads_in_flight = g.max_reads_in_flight.max(g.reads_in_flight);
        }
        g.faults.latency_ms
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let rep = {
        let mut g = match store.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if write {
            g.writes_in_flight = g.writes_in_flight.saturating_sub(1);
        } else {
            g.reads_in_flight = g.reads_in_flight.saturating_sub(1);
        }
        let r = handle(&mut g, &req);
        if g.dirty {
            g.dirty = false;
            if let Some(path) = data {
                let text = g.to_json().to_string();
                // Write a temporary file, then rename: a crash never leaves
                // half a file.
                let tmp = path.with_extension("tmp");
                if std::fs::write(&tmp, text)
                    .and_then(|_| std::fs::rename(&tmp, path))
                    .is_err()
                {
                    return Ok(Response::builder()
                        .status(500)
                        .body(Full::new(Bytes::from(
                            json!({"error": "could not persist the data file"}).to_string(),
                        )))
                        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()))));
                }
            }
        }
        r
    };
    if rep.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(rep.delay_ms)).await;
    }
    if rep.close {
        return Err(Dropped);
    }
    let mut b = Response::builder().status(rep.status);
    if !rep.body.is_empty() {
        b = b.header("content-type", "application/json");
    }
    for (k, v) in &rep.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    Ok(b.body(Full::new(Bytes::from(rep.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()))))
}
