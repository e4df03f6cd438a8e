//! Avi controller REST client, read side (controller-API notes §1, §2).
//!
//! Session: `POST /login` (password or token), then every request carries the
//! session cookies, `X-CSRFToken`, `Referer`, `X-Avi-Version` and
//! `X-Avi-Tenant`. TLS is verified by default (`ca_cert` adds a root);
//! `insecure` turns verification off. A 401/419 logs in again once and
//! replays; 502/503/504, 429 and connection errors back off and retry within a
//! bounded budget; other errors are returned, never retried.
//!
//! No printing here: progress goes through a callback.

pub mod advice;
pub mod read;
pub mod write;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::{Mutex, Semaphore};

/// The newest API version AKO speaks (`pkg/utils/constants.go` `MaxAviVersion`).
pub const MAX_API_VERSION: &str = "30.2.1";

/// The largest page the controller serves (swagger `page_size` maximum).
pub const MAX_PAGE_SIZE: u32 = 200;

/// List reads in flight at once by default.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// How to authenticate. `Debug` never shows the secret.
#[derive(Clone)]
pub enum Credential {
    Password(String),
    Token(String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Password(_) => f.write_str("Password(<redacted>)"),
            Credential::Token(_) => f.write_str("Token(<redacted>)"),
        }
    }
}

/// Connection settings.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// `https://host[:port]` (a bare host means https).
    pub url: String,
    pub username: String,
    pub credential: Credential,
    /// `X-Avi-Version`; `None`: the controller's version capped at
    /// [`MAX_API_VERSION`], as AKO does (`pkg/utils/avi_rest_utils.go`
    /// `NewAviRestClientPool`).
    pub api_version: Option<String>,
    /// Extra trusted root certificate(s), PEM.
    pub ca_cert_pem: Option<Vec<u8>>,
    /// Do not verify the controller's certificate.
    pub insecure: bool,
    pub page_size: u32,
    /// GET requests of list reads in flight at once, over all collections
    /// and pages (1: one page at a time).
    pub concurrency: usize,
    pub timeout: Duration,
    /// Retries of transient failures (5xx other than 500, 429, connection).
    pub retries: u32,
    /// First retry delay; doubles each time.
    pub backoff: Duration,
    /// Request log (`-v`), secrets redacted.
    pub trace: Option<Trace>,
}

/// Where the request log goes: level 1 gives one line per request (method,
/// path, status, time, retries), level 2 adds the bodies. Passwords, tokens,
/// private keys and session cookies are never in it: bodies go through
/// [`redact`] and headers are not logged.
#[derive(Clone)]
pub struct Trace {
    pub level: u8,
    pub sink: Arc<dyn Fn(&str) + Send + Sync>,
}

impl fmt::Debug for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Trace(level {})", self.level)
    }
}

/// Fields whose values never reach a log (a certificate's `key` is caught
/// by its PEM text, so that markers' `key` fields stay readable).
const SECRET_KEYS: &[&str] = &["password", "token", "key_passphrase", "csrftoken"];

/// A body for the request log: JSON with secret fields and any string
/// holding a private key replaced by `<redacted>`, cut at 4000 characters;
/// a body that is not JSON is shown only when it holds nothing secret.
pub fn redact(body: &str) -> String {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    if SECRET_KEYS.contains(&k.as_str()) && !x.is_null() {
                        *x = Value::String("<redacted>".into());
                    } else {
                        walk(x);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            Value::String(s) if s.contains("PRIVATE KEY") => *s = "<redacted>".into(),
            _ => {}
        }
    }
    let text = match serde_json::from_str::<Value>(body) {
        Ok(mut v) => {
            walk(&mut v);
            v.to_string()
        }
        Err(_) if body.contains("PRIVATE KEY") || body.contains("password") => {
            "<redacted: not JSON>".to_string()
        }
        Err(_) => body.to_string(),
    };
    if text.len() > 4000 {
        let mut end = 4000;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} bytes)", &text[..end], text.len())
    } else {
        text
    }
}

impl ClientOptions {
    pub fn new(url: &str, username: &str, credential: Credential) -> ClientOptions {
        ClientOptions {
            url: url.to_string(),
            username: username.to_string(),
            credential,
            api_version: None,
            ca_cert_pem: None,
            insecure: false,
            page_size: MAX_PAGE_SIZE,
            concurrency: DEFAULT_CONCURRENCY,
            timeout: Duration::from_secs(60),
            retries: 4,
            backoff: Duration::from_millis(500),
            trace: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("invalid controller URL {0:?}")]
    Url(String),
    #[error("reading the CA certificate: {0}")]
    CaCert(String),
    #[error("login to {url} failed: {message}")]
    Login {
        url: String,
        message: String,
        /// A known cause, for a hint on what to do.
        problem: Option<ConnectProblem>,
    },
    #[error("{method} {path}: HTTP {status}: {message}")]
    Api {
        method: String,
        path: String,
        status: u16,
        message: String,
    },
    #[error("{method} {path}: {message}")]
    Transport {
        method: String,
        path: String,
        message: String,
    },
    #[error("{path}: unexpected response: {message}")]
    Decode { path: String, message: String },
}

#[derive(Clone, Debug, Default)]
struct Session {
    csrf: String,
    session_id: String,
}

/// A logged-in controller session. Cheap to share (`Arc` inside).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
    opts: ClientOptions,
    session: Mutex<Session>,
    api_version: Mutex<String>,
    controller_version: Mutex<String>,
    /// One permit per list GET in flight ([`ClientOptions::concurrency`]).
    reads: Semaphore,
}

/// Normalise the controller URL: scheme (default https), host, port; no path.
pub fn base_url(url: &str) -> Result<String, ClientError> {
    let u = url.trim().trim_end_matches('/');
    let with_scheme = if u.starts_with("https://") || u.starts_with("http://") {
        u.to_string()
    } else {
        format!("https://{u}")
    };
    let parsed = reqwest::Url::parse(&with_scheme).map_err(|_| ClientError::Url(url.into()))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| ClientError::Url(url.into()))?;
    if parsed.path() != "/" && !parsed.path().is_empty() {
        return Err(ClientError::Url(url.into()));
    }
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    Ok(match parsed.port() {
        Some(p) => format!("{}://{host}:{p}", parsed.scheme()),
        None => format!("{}://{host}", parsed.scheme()),
    })
}

/// Compare dotted versions numerically (`22.1.10` > `22.1.3`).
pub fn version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let parse = |s: &str| -> Vec<u64> {
        s.split(['.', '-'])
            .map(|p| {
                p.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0)
            })
            .collect()
    };
    parse(a).cmp(&parse(b))
}

/// The message of an error answer: its `error` or `detail` field, else the
/// body itself, shortened.
pub fn error_message(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(v) => v
            .get("error")
            .or_else(|| v.get("detail"))
            .and_then(Value::as_str)
            .map(String::from)
            .unwrap_or_else(|| truncate(body)),
        Err(_) => truncate(body),
    }
}

fn truncate(s: &str) -> String {
    let s = s.trim();
    if s.len() > 300 {
        let mut end = 300;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    } else {
        s.to_string()
    }
}

/// `name=value` pairs of the `Set-Cookie` headers.
fn set_cookies(h: &HeaderMap) -> Vec<(String, String)> {
    h.get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(cookie_pair)
        .collect()
}

/// The `name=value` pair of one `Set-Cookie` header value (attributes dropped).
pub fn cookie_pair(header: &str) -> Option<(String, String)> {
    let first = header.split(';').next()?;
    let (n, val) = first.split_once('=')?;
    Some((n.trim().to_string(), val.trim().to_string()))
}

/// What a successful `POST /login` gives: the session and the controller's
/// version (empty when the body does not say).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoginReply {
    pub csrf: String,
    pub session_id: String,
    pub version: String,
}

/// Read a login answer (pure): its JSON body (may be anything) and the
/// cookies it set. The session cookie is `sessionid`, `avi-sessionid` or the
/// name the body gives in `session_cookie_name`; without one it is an error.
pub fn parse_login(body: &str, cookies: &[(String, String)]) -> Result<LoginReply, String> {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let session_name = v.get("session_cookie_name").and_then(Value::as_str);
    let mut r = LoginReply::default();
    for (n, val) in cookies {
        match n.as_str() {
            "csrftoken" => r.csrf = val.clone(),
            "sessionid" | "avi-sessionid" => r.session_id = val.clone(),
            other if Some(other) == session_name => r.session_id = val.clone(),
            _ => {}
        }
    }
    if r.session_id.is_empty() {
        return Err("the controller set no session cookie".into());
    }
    r.version = v
        .pointer("/version/Version")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Ok(r)
}

/// One page of a collection answer.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Page {
    pub results: Vec<Value>,
    /// How many objects the whole collection holds, when the answer says.
    pub count: Option<u64>,
    /// The `next` link, when there is a further page.
    pub next: Option<String>,
}

/// Pages at least this long are parsed off the runtime's thread.
const PARSE_ELSEWHERE: usize = 32 * 1024;

/// Read a collection page (pure): `{"count": N, "results": [...], "next": "..."}`.
pub fn parse_page(text: &str) -> Result<Page, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Value::Object(mut m) = v else {
        return Err("no \"results\" list".into());
    };
    let Some(Value::Array(results)) = m.remove("results") else {
        return Err("no \"results\" list".into());
    };
    let next = match m.remove("next") {
        Some(Value::String(n)) if !n.is_empty() => Some(n),
        _ => None,
    };
    let count = m.get("count").and_then(Value::as_u64);
    Ok(Page {
        results,
        count,
        next,
    })
}

impl Client {
    /// Build the HTTP client, read the controller version and log in.
    pub async fn connect(opts: ClientOptions) -> Result<Client, ClientError> {
        let base = base_url(&opts.url)?;
        crate::tls::install_crypto_provider();
        let mut b = reqwest::Client::builder().timeout(opts.timeout);
        if let Some(pem) = &opts.ca_cert_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| ClientError::CaCert(e.to_string()))?;
            if certs.is_empty() {
                return Err(ClientError::CaCert("no certificate in the PEM file".into()));
            }
            for c in certs {
                b = b.add_root_certificate(c);
            }
        }
        if opts.insecure {
            b = b.danger_accept_invalid_certs(true);
        }
        let http = b.build().map_err(|e| ClientError::Transport {
            method: "build".into(),
            path: base.clone(),
            message: e.to_string(),
        })?;
        let reads = opts.concurrency.max(1);
        let client = Client {
            inner: Arc::new(Inner {
                http,
                base,
                opts,
                session: Mutex::new(Session::default()),
                api_version: Mutex::new(String::new()),
                controller_version: Mutex::new(String::new()),
                reads: Semaphore::new(reads),
            }),
        };
        client.login().await?;
        Ok(client)
    }

    pub fn base(&self) -> &str {
        &self.inner.base
    }

    pub fn options(&self) -> &ClientOptions {
        &self.inner.opts
    }

    /// The controller's own version (`version.Version`).
    pub async fn controller_version(&self) -> String {
        self.inner.controller_version.lock().await.clone()
    }

    /// The `X-Avi-Version` sent.
    pub async fn api_version(&self) -> String {
        self.inner.api_version.lock().await.clone()
    }

    fn trace(&self, level: u8, line: impl FnOnce() -> String) {
        if let Some(t) = &self.inner.opts.trace
            && t.level >= level
        {
            (t.sink)(&line());
        }
    }

    async fn login(&self) -> Result<(), ClientError> {
        let i = &self.inner;
        let body = match &i.opts.credential {
            Credential::Password(p) => json!({"username": i.opts.username, "password": p}),
            Credential::Token(t) => json!({"username": i.opts.username, "token": t}),
        };
        let url = format!("{}/login", i.base);
        let fail = |message: String| ClientError::Login {
            url: i.base.clone(),
            message,
            problem: None,
        };
        let known = |problem: ConnectProblem, message: String| ClientError::Login {
            url: i.base.clone(),
            message,
            problem: Some(problem),
        };
        self.trace(2, || {
            format!("POST /login body: {}", redact(&body.to_string()))
        });
        let started = std::time::Instant::now();
        let resp = i
            .http
            .post(&url)
            .header("Content-Type", "application/json")
            .header("Referer", format!("{}/", i.base))
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| {
                let m = transport_text(&e);
                self.trace(1, || format!("POST /login -> error: {m}"));
                match connect_problem(&e, i.base.starts_with("https://")) {
                    Some(p) => known(p, m),
                    None => fail(m),
                }
            })?;
        let status = resp.status();
        let cookies = set_cookies(resp.headers());
        let text = resp.text().await.unwrap_or_default();
        self.trace(1, || {
            format!(
                "POST /login -> {} ({} ms)",
                status.as_u16(),
                started.elapsed().as_millis()
            )
        });
        self.trace(2, || format!("POST /login answer: {}", redact(&text)));
        if !status.is_success() {
            let m = format!("HTTP {}: {}", status.as_u16(), error_message(&text));
            return Err(if status == StatusCode::UNAUTHORIZED {
                known(ConnectProblem::Unauthorized, m)
            } else {
                fail(m)
            });
        }
        let reply = parse_login(&text, &cookies).map_err(fail)?;
        let s = Session {
            csrf: reply.csrf,
            session_id: reply.session_id,
        };
        let version = reply.version;
        let api = match &i.opts.api_version {
            Some(a) => a.clone(),
            None if version.is_empty() => MAX_API_VERSION.to_string(),
            None if version_cmp(&version, MAX_API_VERSION).is_gt() => MAX_API_VERSION.to_string(),
            None => version.clone(),
        };
        *i.session.lock().await = s;
        *i.controller_version.lock().await = version;
        *i.api_version.lock().await = api;
        Ok(())
    }

    /// Log out (best effort): frees the session on the controller.
    pub async fn logout(&self) {
        let _ = self
            .request(Method::POST, "/logout", "admin", false, None)
            .await;
    }

    /// GET a path (`/api/...` with query) or an absolute `next` URL in
    /// `tenant` (`*` for all tenants), as JSON.
    pub async fn get(&self, path: &str, tenant: &str) -> Result<Value, ClientError> {
        let text = self.request(Method::GET, path, tenant, true, None).await?;
        serde_json::from_str(&text).map_err(|e| ClientError::Decode {
            path: path.to_string(),
            message: e.to_string(),
        })
    }

    pub(crate) async fn request(
        &self,
        method: Method,
        path: &str,
        tenant: &str,
        relogin: bool,
        body: Option<&str>,
    ) -> Result<String, ClientError> {
        let i = &self.inner;
        // A `next` link is absolute; keep the part from `/api/` on and send it
        // to our own base, as AKO does (`AviPopulateAllPools`).
        let rel = match path.find("/api/") {
            Some(p) if path.starts_with("http") => &path[p..],
            _ => path,
        };
        let url = format!("{}{}", i.base, rel);
        let mut attempt = 0u32;
        // Re-logins left for this request (a session can expire again while
        // it is replayed, or a parallel request may have logged in already).
        let mut relogins: u32 = if relogin { 3 } else { 0 };
        let mut stale_sessions: u32 = 0;
        loop {
            let s = i.session.lock().await.clone();
            let api = i.api_version.lock().await.clone();
            let cookie = format!(
                "csrftoken={}; sessionid={}; avi-sessionid={}",
                s.csrf, s.session_id, s.session_id
            );
            let mut req = i
                .http
                .request(method.clone(), &url)
                .header("Content-Type", "application/json")
                .header("Referer", format!("{}/", i.base))
                .header("X-Avi-Version", api)
                .header("X-CSRFToken", s.csrf.clone())
                .header("X-Avi-UserAgent", "akoctl");
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                req = req.header("Cookie", v);
            }
            if let Ok(v) = HeaderValue::from_str(tenant) {
                req = req.header("X-Avi-Tenant", v);
            }
            if let Some(b) = body {
                req = req.body(b.to_string());
                if !b.is_empty() {
                    self.trace(2, || format!("{method} {rel} body: {}", redact(b)));
                }
            }
            let started = std::time::Instant::now();
            let err = |message: String| ClientError::Transport {
                method: method.to_string(),
                path: rel.to_string(),
                message,
            };
            let resp = match req.send().await {
                Ok(r) => r,
                Err(e)
                    if attempt < i.opts.retries
                        && (e.is_connect() || e.is_timeout() || e.is_request()) =>
                {
                    attempt += 1;
                    let d = self.delay(attempt, None);
                    self.trace(1, || {
                        format!(
                            "{method} {rel} -> error: {}; retry {attempt} in {} ms",
                            transport_text(&e),
                            d.as_millis()
                        )
                    });
                    tokio::time::sleep(d).await;
                    continue;
                }
                Err(e) => {
                    let m = transport_text(&e);
                    self.trace(1, || format!("{method} {rel} -> error: {m}"));
                    return Err(err(m));
                }
            };
            let status = resp.status();
            let retry_after = resp
                .headers()
                .get("Retry-After")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            // The controller may rotate the CSRF token on any response.
            for (n, v) in set_cookies(resp.headers()) {
                if n == "csrftoken" && !v.is_empty() {
                    i.session.lock().await.csrf = v;
                }
            }
            let text = resp.text().await.unwrap_or_default();
            self.trace(1, || {
                format!(
                    "{method} {rel} [{tenant}] -> {} ({} ms)",
                    status.as_u16(),
                    started.elapsed().as_millis()
                )
            });
            if !text.is_empty() {
                self.trace(2, || format!("{method} {rel} answer: {}", redact(&text)));
            }
            if status.is_success() {
                return Ok(text);
            }
            if matches!(status.as_u16(), 401 | 419) && relogins > 0 && stale_sessions < 10 {
                let current = i.session.lock().await.session_id.clone();
                if current == s.session_id {
                    relogins -= 1;
                    self.login().await?;
                } else {
                    // Another request logged in meanwhile: replay with its
                    // session (bounded, in case sessions keep expiring).
                    stale_sessions += 1;
                }
                continue;
            }
            // Writes also retry a 500: PUT and DELETE are idempotent, and a
            // POST that went through comes back as 409, which the caller
            // resolves by name.
            let transient = (body.is_some() && status == StatusCode::INTERNAL_SERVER_ERROR)
                || matches!(
                    status,
                    StatusCode::BAD_GATEWAY
                        | StatusCode::SERVICE_UNAVAILABLE
                        | StatusCode::GATEWAY_TIMEOUT
                        | StatusCode::TOO_MANY_REQUESTS
                );
            if transient && attempt < i.opts.retries {
                attempt += 1;
                let d = self.delay(attempt, retry_after);
                self.trace(1, || {
                    format!("{method} {rel}: retry {attempt} in {} ms", d.as_millis())
                });
                tokio::time::sleep(d).await;
                continue;
            }
            return Err(ClientError::Api {
                method: method.to_string(),
                path: rel.to_string(),
                status: status.as_u16(),
                message: error_message(&text),
            });
        }
    }

    fn delay(&self, attempt: u32, retry_after: Option<u64>) -> Duration {
        let cap = Duration::from_secs(30);
        match retry_after {
            Some(s) => Duration::from_secs(s).min(cap),
            None => {
                (self.inner.opts.backoff * 2u32.saturating_pow(attempt.saturating_sub(1))).min(cap)
            }
        }
    }

    /// One page of a list read, holding a read permit while in flight,
    /// with `digest` of each object computed where the page is parsed.
    async fn page<T: Send + 'static>(
        &self,
        path: &str,
        tenant: &str,
        digest: fn(&Value) -> T,
    ) -> Result<Digested<T>, ClientError> {
        let text = {
            // The semaphore is never closed; without a permit, go on unbounded.
            let _permit = self.inner.reads.acquire().await.ok();
            self.request(Method::GET, path, tenant, true, None).await?
        };
        let big = text.len() >= PARSE_ELSEWHERE;
        let work = move || {
            parse_page(&text).map(|p| Digested {
                results: p
                    .results
                    .into_iter()
                    .map(|v| {
                        let d = digest(&v);
                        (v, d)
                    })
                    .collect(),
                count: p.count,
                next: p.next,
            })
        };
        // A full page is a few hundred kilobytes: parse it on the blocking
        // pool, so that pages read at once are also parsed at once (one per
        // core) while the runtime's thread goes on with the transfers.
        let parsed = if big {
            tokio::task::spawn_blocking(work)
                .await
                .unwrap_or_else(|e| Err(format!("page parser stopped: {e}")))
        } else {
            work()
        };
        parsed.map_err(|message| ClientError::Decode {
            path: path.to_string(),
            message,
        })
    }

    /// Every object of a collection query. `query` is without
    /// `include_name`, `page_size` and `page` (added here).
    ///
    /// The first page gives `count`; the other pages are then asked for at
    /// once by number (`page=2..`), at most [`ClientOptions::concurrency`]
    /// GETs in flight over the whole client. Should the last page still
    /// have a `next` link (objects created meanwhile), it is followed one
    /// page at a time; an object seen twice (objects deleted meanwhile
    /// shift the pages) is kept once.
    pub async fn list(
        &self,
        kind: &str,
        query: &[(&str, &str)],
        tenant: &str,
    ) -> Result<Vec<Value>, ClientError> {
        let objs = self.list_with(kind, query, tenant, |_| ()).await?;
        Ok(objs.into_iter().map(|(v, ())| v).collect())
    }

    /// [`Client::list`], each object with `digest` of it, computed on the
    /// thread that parses its page (so that this work also runs on every
    /// core while the pages are in flight).
    pub async fn list_with<T: Send + 'static>(
        &self,
        kind: &str,
        query: &[(&str, &str)],
        tenant: &str,
        digest: fn(&Value) -> T,
    ) -> Result<Vec<(Value, T)>, ClientError> {
        let page_size = self.inner.opts.page_size.clamp(1, MAX_PAGE_SIZE);
        let mut q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", query_escape(v)))
            .collect();
        q.push("include_name=true".into());
        q.push(format!("page_size={page_size}"));
        let base = format!("/api/{kind}?{}", q.join("&"));
        let first = self.page(&base, tenant, digest).await?;
        let mut out = first.results;
        let Some(mut next) = first.next else {
            return Ok(out);
        };
        if out.is_empty() {
            return Err(ClientError::Decode {
                path: base,
                message: "pagination does not advance".into(),
            });
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(count) = first.count.filter(|c| *c > u64::from(page_size)) {
            let pages = count.div_ceil(u64::from(page_size));
            let rest = (2..=pages).map(|p| {
                let path = format!("{base}&page={p}");
                async move { self.page(&path, tenant, digest).await }
            });
            let mut last_next = None;
            for page in futures::future::try_join_all(rest).await? {
                out.extend(page.results);
                last_next = page.next;
            }
            match last_next {
                Some(n) => next = n,
                _ => return Ok(dedup(out)),
            }
        }
        loop {
            if !seen.insert(next.clone()) {
                return Err(ClientError::Decode {
                    path: next,
                    message: "pagination does not advance".into(),
                });
            }
            let page = self.page(&next, tenant, digest).await?;
            let empty = page.results.is_empty();
            out.extend(page.results);
            match page.next {
                Some(n) if !empty => next = n,
                Some(_) => {
                    return Err(ClientError::Decode {
                        path: next,
                        message: "pagination does not advance".into(),
                    });
                }
                None => return Ok(dedup(out)),
            }
        }
    }
}

/// A parsed page with a digest of each object.
struct Digested<T> {
    results: Vec<(Value, T)>,
    count: Option<u64>,
    next: Option<String>,
}

/// Keep the first of objects with the same `uuid` (objects without one are
/// all kept).
fn dedup<T>(objs: Vec<(Value, T)>) -> Vec<(Value, T)> {
    let keep: Vec<bool> = {
        let mut seen = std::collections::HashSet::new();
        objs.iter()
            .map(|(o, _)| {
                o.get("uuid")
                    .and_then(Value::as_str)
                    .is_none_or(|u| seen.insert(u))
            })
            .collect()
    };
    if keep.iter().all(|k| *k) {
        return objs;
    }
    objs.into_iter()
        .zip(keep)
        .filter_map(|(o, k)| k.then_some(o))
        .collect()
}

/// A connection or login failure with a known cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectProblem {
    /// The controller's certificate is signed by an authority not trusted
    /// here (self-signed, or a private CA).
    UnknownIssuer,
    /// The certificate does not name the host of the URL.
    NameMismatch,
    /// The certificate is expired or not yet valid.
    Expired,
    /// An `https://` URL, but the other end answered in plain HTTP (or hung
    /// up on the TLS greeting).
    HttpsToPlain,
    /// An `http://` URL, but the other end speaks TLS.
    PlainToHttps,
    /// Nothing listens at that address and port.
    Refused,
    /// The controller refused the user and password or token (HTTP 401).
    Unauthorized,
}

/// Classify a transport error of the first request: the cause chain is
/// searched for rustls' certificate and message errors (an `io::Error`
/// hides its inner error from `source()`, so it is looked into as well),
/// and for hyper's texts when a plain-HTTP request got a TLS answer.
fn connect_problem(e: &reqwest::Error, https: bool) -> Option<ConnectProblem> {
    use rustls::{CertificateError, Error as Tls};
    let mut chain: Vec<&(dyn std::error::Error + 'static)> = Vec::new();
    let mut next = std::error::Error::source(e);
    while let Some(c) = next {
        chain.push(c);
        // `io::Error` wrapping `io::Error` wrapping rustls' error: go into
        // the wrapped error rather than to its source.
        next = match c
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => c.source(),
        };
    }
    for c in &chain {
        if let Some(t) = c.downcast_ref::<Tls>() {
            return match t {
                Tls::InvalidCertificate(CertificateError::UnknownIssuer)
                | Tls::InvalidCertificate(CertificateError::BadSignature) => {
                    Some(ConnectProblem::UnknownIssuer)
                }
                Tls::InvalidCertificate(
                    CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. },
                ) => Some(ConnectProblem::NameMismatch),
                Tls::InvalidCertificate(
                    CertificateError::Expired
                    | CertificateError::ExpiredContext { .. }
                    | CertificateError::NotValidYet
                    | CertificateError::NotValidYetContext { .. },
                ) => Some(ConnectProblem::Expired),
                Tls::InvalidMessage(_) | Tls::InappropriateMessage { .. } if https => {
                    Some(ConnectProblem::HttpsToPlain)
                }
                _ => None,
            };
        }
    }
    if e.is_connect()
        && chain.iter().any(|c| {
            c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        })
    {
        return Some(ConnectProblem::Refused);
    }
    // Hung up on the TLS greeting: a plain-text server or a wrong port.
    if https
        && e.is_connect()
        && chain.iter().any(|c| {
            c.downcast_ref::<std::io::Error>().is_some_and(|io| {
                matches!(
                    io.kind(),
                    std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::UnexpectedEof
                )
            })
        })
    {
        return Some(ConnectProblem::HttpsToPlain);
    }
    let text = transport_text(e);
    if https && text.contains("tls handshake eof") {
        return Some(ConnectProblem::HttpsToPlain);
    }
    if !https
        && (text.contains("invalid HTTP version")
            || text.contains("connection closed before message completed"))
    {
        return Some(ConnectProblem::PlainToHttps);
    }
    None
}

fn transport_text(e: &reqwest::Error) -> String {
    // reqwest's own text is terse; include the cause chain (TLS errors live there).
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

/// Percent-encode a query value (Go `url.QueryEscape`, as AKO's
/// `pkg/utils/utils.go` `GetUriEncoded`).
pub fn query_escape(s: &str) -> String {
    crate::compile::common::query_escape(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(base_url("10.0.0.1").unwrap(), "https://10.0.0.1");
        assert_eq!(
            base_url("https://ctl.example:9443/").unwrap(),
            "https://ctl.example:9443"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(base_url("https://[::1]:443").unwrap(), "https://[::1]");
        assert!(base_url("https://h/api/x").is_err());
        assert!(base_url("").is_err());
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(version_cmp("22.1.10", "22.1.3").is_gt());
        assert!(version_cmp("31.1.1", MAX_API_VERSION).is_gt());
        assert!(version_cmp("30.2.1", MAX_API_VERSION).is_eq());
    }

    #[test]
    fn logged_bodies_hold_no_secrets() {
        let pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n";
        let b = json!({"username": "admin", "password": "hunter2",
            "nested": [{"key": pem, "other": pem}], "token": "t0k"})
        .to_string();
        let r = redact(&b);
        assert!(
            !r.contains("hunter2") && !r.contains("PRIVATE") && !r.contains("t0k"),
            "{r}"
        );
        assert!(r.contains("\"username\":\"admin\""), "{r}");
        assert_eq!(redact("password=hunter2"), "<redacted: not JSON>");
        assert_eq!(redact("plain text"), "plain text");
    }

    #[test]
    fn credentials_never_debug_print() {
        let o = ClientOptions::new("h", "admin", Credential::Password("hunter2".into()));
        assert!(!format!("{o:?}").contains("hunter2"));
    }
}
