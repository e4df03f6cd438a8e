//! A fake Kubernetes API server for tests: HTTPS on 127.0.0.1 with a CA made
//! for the test, legacy discovery (`/api`, `/apis`, resource lists), paginated
//! lists (`limit`/`continue`) and gets, a 403 for resources marked forbidden,
//! and a plain-text 404 for API groups it does not serve, as a real API server
//! answers for an unknown path.
//!
//! Auth: a bearer token from `tokens`, or a client certificate signed by the
//! test CA. Anything else gets a 401 Status.
//!
//! The server runs on its own thread and stops when dropped.

#![allow(dead_code)]

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
    SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{Value, json};
use tokio_rustls::TlsAcceptor;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// One resource the fake serves.
#[derive(Clone, Debug)]
pub struct FakeResource {
    pub group: String,
    pub version: String,
    pub plural: String,
    pub kind: String,
    pub namespaced: bool,
    /// Objects as stored, with `apiVersion` and `kind`.
    pub items: Vec<Value>,
    /// Lists and gets answer 403.
    pub forbidden: bool,
}

impl FakeResource {
    pub fn new(api_version: &str, plural: &str, kind: &str, namespaced: bool) -> FakeResource {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        FakeResource {
            group: group.into(),
            version: version.into(),
            plural: plural.into(),
            kind: kind.into(),
            namespaced,
            items: Vec::new(),
            forbidden: false,
        }
    }

    fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// What the fake serves.
#[derive(Clone, Debug, Default)]
pub struct FakeCluster {
    pub resources: Vec<FakeResource>,
    /// Most items per list page, whatever `limit` asks (real servers may send
    /// fewer than asked).
    pub page_size: usize,
    /// Bearer tokens accepted.
    pub tokens: Vec<String>,
    /// Wait this long before answering each request (to watch progress).
    pub delay: std::time::Duration,
    /// Answer the first continued list request with 410 Gone (an expired
    /// continue token), as a real server does after compaction.
    pub expire_first_continue: bool,
}

/// A request as the fake saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// Path and query, as sent.
    pub uri: String,
    /// `token`, `cert` or `none`.
    pub auth: String,
}

/// The test CA and certificates, PEM.
pub struct Pki {
    pub ca_pem: String,
    pub server_cert_pem: String,
    pub server_key_pem: String,
    pub client_cert_pem: String,
    pub client_key_pem: String,
}

impl Pki {
    /// A CA, a server certificate for 127.0.0.1 and localhost, and a client
    /// certificate for user `cert-user`, all signed by the CA.
    pub fn generate() -> Result<Pki, Error> {
        let ca_key = KeyPair::generate()?;
        let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "fake-apiserver-ca");
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key)?;

        let server_key = KeyPair::generate()?;
        let mut server_params = CertificateParams::new(vec!["localhost".to_string()])?;
        server_params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        server_params
            .distinguished_name
            .push(DnType::CommonName, "kube-apiserver");
        let server_cert = server_params.signed_by(&server_key, &ca)?;

        let client_key = KeyPair::generate()?;
        let mut client_params = CertificateParams::new(Vec::<String>::new())?;
        client_params
            .distinguished_name
            .push(DnType::CommonName, "cert-user");
        let client_cert = client_params.signed_by(&client_key, &ca)?;

        Ok(Pki {
            ca_pem: ca.pem(),
            server_cert_pem: server_cert.pem(),
            server_key_pem: server_key.serialize_pem(),
            client_cert_pem: client_cert.pem(),
            client_key_pem: client_key.serialize_pem(),
        })
    }
}

impl Pki {
    /// A self-signed certificate with `CA:TRUE` for 127.0.0.1 and localhost
    /// that is at once the CA and the server certificate (as some installers
    /// make them), and a client certificate it signs.
    pub fn generate_ca_as_server() -> Result<Pki, Error> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "self-signed-apiserver");
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        let key_pem = key.serialize_pem();
        let ca = CertifiedIssuer::self_signed(params, key)?;
        let client_key = KeyPair::generate()?;
        let mut client_params = CertificateParams::new(Vec::<String>::new())?;
        client_params
            .distinguished_name
            .push(DnType::CommonName, "cert-user");
        let client_cert = client_params.signed_by(&client_key, &ca)?;
        Ok(Pki {
            ca_pem: ca.pem(),
            server_cert_pem: ca.pem(),
            server_key_pem: key_pem,
            client_cert_pem: client_cert.pem(),
            client_key_pem: client_key.serialize_pem(),
        })
    }
}

/// A running fake API server.
pub struct FakeApiServer {
    pub addr: SocketAddr,
    pub pki: Pki,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeApiServer {
    pub fn start(cluster: FakeCluster) -> Result<FakeApiServer, Error> {
        Self::start_with(cluster, Pki::generate()?)
    }

    /// [`FakeApiServer::start`] with these certificates.
    pub fn start_with(cluster: FakeCluster, pki: Pki) -> Result<FakeApiServer, Error> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let acceptor = acceptor(&pki)?;
        let std_listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
        let state = Arc::new(State {
            expired: Mutex::new(!cluster.expire_first_continue),
            cluster,
            seen: seen.clone(),
            addr,
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) else {
                    return;
                };
                loop {
                    tokio::select! {
                        _ = &mut stop_rx => break,
                        accepted = listener.accept() => {
                            let Ok((tcp, _)) = accepted else { continue };
                            let acceptor = acceptor.clone();
                            let state = state.clone();
                            tokio::spawn(async move {
                                let Ok(tls) = acceptor.accept(tcp).await else { return };
                                let has_cert = tls
                                    .get_ref()
                                    .1
                                    .peer_certificates()
                                    .is_some_and(|c| !c.is_empty());
                                let service = service_fn(move |req| {
                                    let state = state.clone();
                                    async move {
                                        if !state.cluster.delay.is_zero() {
                                            tokio::time::sleep(state.cluster.delay).await;
                                        }
                                        Ok::<_, Infallible>(state.handle(req, has_cert))
                                    }
                                });
                                let _ = hyper::server::conn::http1::Builder::new()
                                    .serve_connection(TokioIo::new(tls), service)
                                    .await;
                            });
                        }
                    }
                }
            });
        });
        Ok(FakeApiServer {
            addr,
            pki,
            seen,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn clear_seen(&self) {
        if let Ok(mut s) = self.seen.lock() {
            s.clear();
        }
    }
}

impl Drop for FakeApiServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn acceptor(pki: &Pki) -> Result<TlsAcceptor, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for c in pem_certs(&pki.ca_pem)? {
        roots.add(c)?;
    }
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .allow_unauthenticated()
    .build()?;
    let key = pem_block(&pki.server_key_pem, "PRIVATE KEY")?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            pem_certs(&pki.server_cert_pem)?,
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
        )?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

fn pem_certs(pem: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
    Ok(vec![CertificateDer::from(pem_block(pem, "CERTIFICATE")?)])
}

/// The DER bytes of the first PEM block with this label.
fn pem_block(pem: &str, label: &str) -> Result<Vec<u8>, Error> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin).ok_or("no PEM block")? + begin.len();
    let stop = pem[start..].find(&end).ok_or("unterminated PEM block")? + start;
    let b64: String = pem[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64_decode(&b64)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(s: &str) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = B64.iter().position(|&x| x == c).ok_or("bad base64")? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

struct State {
    cluster: FakeCluster,
    expired: Mutex<bool>,
    seen: Arc<Mutex<Vec<Seen>>>,
    addr: SocketAddr,
}

type Resp = Response<Full<Bytes>>;

fn json_response(code: StatusCode, body: &Value) -> Resp {
    let mut r = Response::new(Full::new(Bytes::from(body.to_string())));
    *r.status_mut() = code;
    r.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    r
}

fn status(code: StatusCode, reason: &str, message: &str) -> Resp {
    json_response(
        code,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": message, "reason": reason, "code": code.as_u16()}),
    )
}

/// What a real API server sends for a path it has no handler for.
fn page_not_found() -> Resp {
    let mut r = Response::new(Full::new(Bytes::from_static(b"404 page not found\n")));
    *r.status_mut() = StatusCode::NOT_FOUND;
    r.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1..i + 3)) {
            (b'%', Some(hex)) => match std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(v) => {
                    out.push(v);
                    i += 3;
                    continue;
                }
                None => out.push(b'%'),
            },
            (b'+', _) => out.push(b' '),
            (c, _) => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (percent_decode(k) == key).then(|| percent_decode(v))
    })
}

/// Opaque-looking continue token with characters that need escaping.
fn token_for(offset: usize) -> String {
    format!(
        "c/{offset}+{}==",
        base64(format!("after:{offset}").as_bytes())
    )
}

fn offset_of(token: &str) -> Option<usize> {
    token.strip_prefix("c/")?.split('+').next()?.parse().ok()
}

impl State {
    fn handle(&self, req: Request<Incoming>, has_cert: bool) -> Resp {
        let uri = req
            .uri()
            .path_and_query()
            .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
        let token = req
            .headers()
            .get(hyper::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_string);
        let auth = match (&token, has_cert) {
            (Some(t), _) if self.cluster.tokens.contains(t) => "token",
            (None, true) => "cert",
            _ => "none",
        };
        if let Ok(mut s) = self.seen.lock() {
            s.push(Seen {
                method: req.method().to_string(),
                uri: uri.clone(),
                auth: auth.to_string(),
            });
        }
        if auth == "none" {
            return status(StatusCode::UNAUTHORIZED, "Unauthorized", "Unauthorized");
        }
        if req.method() != hyper::Method::GET {
            return status(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "the fake API server is read-only",
            );
        }
        let path = req.uri().path();
        let query = req.uri().query().unwrap_or("");
        let segs: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(percent_decode)
            .collect();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        match segs.as_slice() {
            ["api"] => json_response(
                StatusCode::OK,
                &json!({"kind": "APIVersions", "versions": ["v1"],
                        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": self.addr.to_string()}]}),
            ),
            ["apis"] => self.group_list(),
            ["version"] => json_response(
                StatusCode::OK,
                &json!({"major": "1", "minor": "33", "gitVersion": "v1.33.0", "platform": "linux/amd64"}),
            ),
            ["api", version] => self.resource_list("", version),
            ["apis", group, version] => self.resource_list(group, version),
            ["api", version, rest @ ..] => self.resource("", version, rest, query),
            ["apis", group, version, rest @ ..] => self.resource(group, version, rest, query),
            _ => page_not_found(),
        }
    }

    fn group_list(&self) -> Resp {
        let mut names: Vec<&str> = Vec::new();
        for r in &self.cluster.resources {
            if !r.group.is_empty() && !names.contains(&r.group.as_str()) {
                names.push(&r.group);
            }
        }
        let groups: Vec<Value> = names
            .into_iter()
            .map(|g| {
                let mut versions: Vec<&str> = Vec::new();
                for r in self.cluster.resources.iter().filter(|r| r.group == g) {
                    if !versions.contains(&r.version.as_str()) {
                        versions.push(&r.version);
                    }
                }
                let versions: Vec<Value> = versions
                    .into_iter()
                    .map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
                    .collect();
                let preferred = versions.first().cloned().unwrap_or(Value::Null);
                json!({"name": g, "versions": versions, "preferredVersion": preferred})
            })
            .collect();
        json_response(
            StatusCode::OK,
            &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
        )
    }

    fn resource_list(&self, group: &str, version: &str) -> Resp {
        let resources: Vec<Value> = self
            .cluster
            .resources
            .iter()
            .filter(|r| r.group == group && r.version == version)
            .map(|r| {
                json!({"name": r.plural, "singularName": r.kind.to_lowercase(), "namespaced": r.namespaced,
                       "kind": r.kind, "verbs": ["get", "list", "watch"]})
            })
            .collect();
        if resources.is_empty() {
            return page_not_found();
        }
        let gv = if group.is_empty() {
            version.to_string()
        } else {
            format!("{group}/{version}")
        };
        json_response(
            StatusCode::OK,
            &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}),
        )
    }

    /// True once, on the first call, when the cluster asks for an expired token.
    fn expire_now(&self) -> bool {
        match self.expired.lock() {
            Ok(mut done) if !*done => {
                *done = true;
                true
            }
            _ => false,
        }
    }

    fn find(&self, group: &str, version: &str, plural: &str) -> Option<&FakeResource> {
        self.cluster
            .resources
            .iter()
            .find(|r| r.group == group && r.version == version && r.plural == plural)
    }

    fn resource(&self, group: &str, version: &str, rest: &[&str], query: &str) -> Resp {
        // (plural, namespace, name)
        let (plural, ns, name) = match rest {
            [plural] => (*plural, None, None),
            ["namespaces", ns, plural] => (*plural, Some(*ns), None),
            ["namespaces", ns, plural, name] => (*plural, Some(*ns), Some(*name)),
            [plural, name] => (*plural, None, Some(*name)),
            _ => return page_not_found(),
        };
        let Some(r) = self.find(group, version, plural) else {
            return page_not_found();
        };
        if ns.is_some() && !r.namespaced {
            return page_not_found();
        }
        let verb = if name.is_some() { "get" } else { "list" };
        if r.forbidden {
            let scope = match ns {
                Some(ns) => format!("in the namespace \"{ns}\""),
                None => "at the cluster scope".to_string(),
            };
            return status(
                StatusCode::FORBIDDEN,
                "Forbidden",
                &format!(
                    "{plural} is forbidden: User \"test\" cannot {verb} resource \"{plural}\" in API group \"{group}\" {scope}"
                ),
            );
        }
        let in_scope =
            |v: &&Value| ns.is_none_or(|ns| v["metadata"]["namespace"].as_str() == Some(ns));
        if let Some(name) = name {
            return match r
                .items
                .iter()
                .filter(in_scope)
                .find(|v| v["metadata"]["name"].as_str() == Some(name))
            {
                Some(v) => json_response(StatusCode::OK, v),
                None => status(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    &format!("{plural} \"{name}\" not found"),
                ),
            };
        }
        let mut items: Vec<&Value> = r.items.iter().filter(in_scope).collect();
        items.sort_by_key(|v| {
            (
                v["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                v["metadata"]["name"].as_str().unwrap_or("").to_string(),
            )
        });
        let start = match query_param(query, "continue").filter(|t| !t.is_empty()) {
            Some(_) if self.expire_now() => {
                return status(
                    StatusCode::GONE,
                    "Expired",
                    "The provided continue parameter is too old to display a consistent list result.",
                );
            }
            Some(t) => match offset_of(&t) {
                Some(o) => o,
                None => {
                    return status(
                        StatusCode::BAD_REQUEST,
                        "BadRequest",
                        "continue key is not valid",
                    );
                }
            },
            None => 0,
        };
        let limit = query_param(query, "limit")
            .and_then(|l| l.parse::<usize>().ok())
            .filter(|&l| l > 0)
            .unwrap_or(usize::MAX);
        let page = limit.min(self.cluster.page_size.max(1));
        let end = items.len().min(start.saturating_add(page));
        let mut meta = json!({"resourceVersion": "4242"});
        if end < items.len() {
            meta["continue"] = Value::String(token_for(end));
            meta["remainingItemCount"] = json!(items.len() - end);
        }
        // Built-in kinds come without apiVersion and kind in lists; custom
        // resources keep them.
        let builtin = !r.group.contains('.')
            || r.group.ends_with(".k8s.io") && !r.group.starts_with("gateway.");
        let page_items: Vec<Value> = items
            .get(start..end)
            .unwrap_or(&[])
            .iter()
            .map(|v| {
                let mut v = (*v).clone();
                if builtin && let Some(m) = v.as_object_mut() {
                    m.remove("apiVersion");
                    m.remove("kind");
                }
                v
            })
            .collect();
        json_response(
            StatusCode::OK,
            &json!({"kind": format!("{}List", r.kind), "apiVersion": r.api_version(),
                    "metadata": meta, "items": page_items}),
        )
    }
}
