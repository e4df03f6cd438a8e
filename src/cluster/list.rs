//! Listing and fetching objects, concurrently and page by page.

use std::collections::BTreeSet;

use futures::stream::{self, StreamExt};
use serde::Deserialize;
use serde_json::Value;

use miette::{Result, miette};

use super::client::{Connection, chain};
use super::{ClusterObject, ClusterRead, How, Progress, RESOURCES, ResourceDef, Scope, clean};
use crate::model::{Diagnostic, Severity};

/// Objects asked for per page.
const PAGE_LIMIT: usize = 500;

/// Requests in flight at once.
const CONCURRENCY: usize = 8;

/// Name of the default route certificate Secret, read from AKO's namespace
/// (AKO: `internal/lib/constants.go` `DefaultRouteCert`).
pub const DEFAULT_ROUTE_CERT: &str = "router-certs-default";

/// Antrea's NodePortLocal annotation on Pods, the only reason Pods are read
/// (AKO: `internal/nodes/avi_model_l4_translator.go` `PopulateServersForNPL`).
const NPL_ANNOTATION: &str = "nodeportlocal.antrea.io";

/// `(namespace, name)` of one object.
type NsName = (String, String);

/// How one request ended, short of a hard error.
enum Got<T> {
    Ok(T),
    /// HTTP 404: the API (or the object) is not there.
    NotFound,
    /// HTTP 403, with the server's message.
    Forbidden(String),
}

/// Read everything translation needs from the cluster behind `conn`.
///
/// A transport or TLS failure, refused credentials (HTTP 401) or a server
/// error is an error; a forbidden or missing kind is a diagnostic and the read
/// goes on without it.
pub async fn read(
    conn: &Connection,
    scope: &Scope,
    progress: &dyn Progress,
) -> Result<ClusterRead> {
    let mut out = ClusterRead {
        context: conn.context.clone(),
        default_namespace: conn.default_namespace.clone(),
        ..ClusterRead::default()
    };
    let ns = scope.namespace.as_deref();

    // Phase 1: every listed kind, concurrently.
    let wanted: Vec<&'static ResourceDef> = RESOURCES
        .iter()
        .filter(|r| match r.how {
            How::List => true,
            How::NodePortLocal => scope.pods,
            How::ByName => false,
            How::Cni(plugin) => scope.cni_plugin == plugin,
        })
        .collect();
    progress.add(wanted.len() as u64);
    let lists: Vec<(&'static ResourceDef, Result<Got<Vec<Value>>>)> = stream::iter(wanted)
        .map(|r| async move {
            let got = match (r.namespaced, r.kind, ns) {
                // With -n, the one Namespace object instead of all of them.
                (false, "Namespace", Some(name)) => get(conn, r, None, name)
                    .await
                    .map(|g| map_got(g, |v| vec![v])),
                _ => list(conn, r, ns).await,
            };
            progress.done(r.plural);
            (r, got)
        })
        .buffered(CONCURRENCY)
        .collect()
        .await;
    let mut missing_apis: Vec<&'static ResourceDef> = Vec::new();
    for (r, got) in lists {
        match got? {
            Got::Ok(items) => {
                for mut value in items {
                    if r.how == How::NodePortLocal && !has_annotation(&value, NPL_ANNOTATION) {
                        continue;
                    }
                    fill_type(&mut value, r);
                    clean(&mut value);
                    out.objects.push(ClusterObject { resource: r, value });
                }
            }
            Got::NotFound => missing_apis.push(r),
            Got::Forbidden(message) => {
                out.diagnostics
                    .push(forbidden(r, "list", ns.filter(|_| r.namespaced), &message));
            }
        }
    }

    out.diagnostics.extend(missing(&missing_apis));

    // Phase 2: the Secrets Ingresses refer to, and the default certificate.
    if let Some(secrets) = RESOURCES.iter().find(|r| r.how == How::ByName) {
        let names = secret_names(&out.objects, &scope.ako_namespace);
        progress.add(names.len() as u64);
        let fetched: Vec<(NsName, Result<Got<Value>>)> = stream::iter(names)
            .map(|(ns, name)| async move {
                let got = get(conn, secrets, Some(&ns), &name).await;
                progress.done(secrets.plural);
                ((ns, name), got)
            })
            .buffered(CONCURRENCY)
            .collect()
            .await;
        for ((ns, name), got) in fetched {
            match got? {
                Got::Ok(mut value) => {
                    fill_type(&mut value, secrets);
                    clean(&mut value);
                    out.objects.push(ClusterObject {
                        resource: secrets,
                        value,
                    });
                }
                // Translation reports the missing Secrets it needs.
                Got::NotFound => {}
                Got::Forbidden(message) => out.diagnostics.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Some(format!("Secret {ns}/{name}")),
                        format!(
                            "forbidden: the user of context {:?} may not `get` secrets in namespace {ns}; the Secret is left out ({message})",
                            conn.context
                        ),
                    ),
                ),
            }
        }
    }

    // Objects without a name cannot be keyed; the API server never sends them.
    out.objects.retain(|o| !o.name().is_empty());
    out.objects.sort_by(|a, b| {
        (rank(a.resource), a.namespace(), a.name()).cmp(&(
            rank(b.resource),
            b.namespace(),
            b.name(),
        ))
    });
    out.objects.dedup_by(|a, b| {
        a.resource == b.resource && a.namespace() == b.namespace() && a.name() == b.name()
    });
    Ok(out)
}

fn map_got<T, U>(g: Got<T>, f: impl FnOnce(T) -> U) -> Got<U> {
    match g {
        Got::Ok(t) => Got::Ok(f(t)),
        Got::NotFound => Got::NotFound,
        Got::Forbidden(m) => Got::Forbidden(m),
    }
}

/// Position of a kind in [`RESOURCES`].
fn rank(r: &ResourceDef) -> usize {
    RESOURCES.iter().position(|x| x == r).unwrap_or(usize::MAX)
}

fn has_annotation(v: &Value, key: &str) -> bool {
    v.get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(key))
        .is_some()
}

/// List items come without `apiVersion` and `kind`.
fn fill_type(v: &mut Value, r: &ResourceDef) {
    if let Some(map) = v.as_object_mut() {
        map.insert("apiVersion".into(), Value::String(r.api_version()));
        map.insert("kind".into(), Value::String(r.kind.into()));
    }
}

/// `(namespace, name)` of the Secrets to fetch: every Ingress `tls[].secretName`
/// in the Ingress's namespace, every Gateway listener certificateRef, and the
/// default route certificate in AKO's
/// namespace (AKO: `internal/lib/constants.go` `DefaultRouteCert`).
fn secret_names(objects: &[ClusterObject], ako_namespace: &str) -> BTreeSet<NsName> {
    let mut names = BTreeSet::new();
    for o in objects.iter().filter(|o| o.resource.kind == "Ingress") {
        let tls = o
            .value
            .get("spec")
            .and_then(|s| s.get("tls"))
            .and_then(Value::as_array);
        for t in tls.into_iter().flatten() {
            if let Some(name) = t.get("secretName").and_then(Value::as_str)
                && !name.is_empty()
                && !o.namespace().is_empty()
            {
                names.insert((o.namespace().to_string(), name.to_string()));
            }
        }
    }
    // Gateway listener certificates: AKO's gateway container checks that the
    // Secret exists in the Gateway's namespace and reads it from the
    // certificateRef's (`ako-gateway-api/k8s/validator.go` `isValidListener`,
    // `nodes/gateway_model.go` `BuildTLSNodesForGateway`).
    for o in objects.iter().filter(|o| o.resource.kind == "Gateway") {
        let listeners = o
            .value
            .get("spec")
            .and_then(|s| s.get("listeners"))
            .and_then(Value::as_array);
        for l in listeners.into_iter().flatten() {
            let refs = l
                .get("tls")
                .and_then(|t| t.get("certificateRefs"))
                .and_then(Value::as_array);
            for r in refs.into_iter().flatten() {
                let Some(name) = r.get("name").and_then(Value::as_str) else {
                    continue;
                };
                if name.is_empty() || o.namespace().is_empty() {
                    continue;
                }
                names.insert((o.namespace().to_string(), name.to_string()));
                if let Some(ns) = r.get("namespace").and_then(Value::as_str)
                    && !ns.is_empty()
                {
                    names.insert((ns.to_string(), name.to_string()));
                }
            }
        }
    }
    if !ako_namespace.is_empty() {
        names.insert((ako_namespace.to_string(), DEFAULT_ROUTE_CERT.to_string()));
    }
    names
}

/// One diagnostic per API group whose resources the cluster does not serve:
/// Info for optional APIs (OpenShift, CRDs), Warning for the others.
fn missing(resources: &[&ResourceDef]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut groups: Vec<(&str, bool)> = Vec::new();
    for r in resources {
        if !groups.contains(&(r.group, r.optional)) {
            groups.push((r.group, r.optional));
        }
    }
    for (group, optional) in groups {
        let these: Vec<&&ResourceDef> = resources
            .iter()
            .filter(|r| r.group == group && r.optional == optional)
            .collect();
        let names: Vec<String> = these
            .iter()
            .map(|r| format!("{}/{}", r.api_version(), r.plural))
            .collect();
        let kinds: Vec<&str> = these.iter().map(|r| r.kind).collect();
        let (severity, tail) = if optional {
            (Severity::Info, "")
        } else {
            (
                Severity::Warning,
                "; translation goes on without them, which is not what AKO would see",
            )
        };
        out.push(Diagnostic::new(
            severity,
            None,
            format!(
                "the cluster does not serve {}; {} objects are not read{tail}",
                names.join(", "),
                kinds.join(", ")
            ),
        ));
    }
    out
}

fn forbidden(r: &ResourceDef, verb: &str, ns: Option<&str>, message: &str) -> Diagnostic {
    let place = match ns {
        Some(ns) => format!("in namespace {ns}"),
        None => "cluster-wide".to_string(),
    };
    let detail = if message.is_empty() {
        String::new()
    } else {
        format!(" (server: {message})")
    };
    Diagnostic::new(
        Severity::Warning,
        None,
        format!(
            "forbidden: the user may not `{verb}` {} {place}; {} objects are left out{detail}",
            r.resource_name(),
            r.kind
        ),
    )
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    metadata: PageMeta,
    #[serde(default)]
    items: Option<Vec<Value>>,
}

#[derive(Default, Deserialize)]
struct PageMeta {
    #[serde(rename = "continue", default)]
    next: Option<String>,
}

/// Every object of a kind, following `continue` tokens. An expired token
/// (HTTP 410) restarts the list once from the beginning.
async fn list(conn: &Connection, r: &ResourceDef, ns: Option<&str>) -> Result<Got<Vec<Value>>> {
    let base = r.collection_path(ns);
    let mut restarted = false;
    'again: loop {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut path = format!("{base}?limit={PAGE_LIMIT}");
            if let Some(t) = &token {
                path.push_str("&continue=");
                path.push_str(&super::encode(t));
            }
            let text = match request(conn, &path).await? {
                Reply::Ok(text) => text,
                Reply::Status(410, _) if token.is_some() && !restarted => {
                    restarted = true;
                    continue 'again;
                }
                Reply::Status(404, _) => return Ok(Got::NotFound),
                Reply::Status(403, message) => return Ok(Got::Forbidden(message)),
                Reply::Status(code, message) => {
                    return Err(status_error(
                        conn,
                        &format!("listing {}", r.resource_name()),
                        code,
                        &message,
                    ));
                }
            };
            let page: Page = serde_json::from_str(&text).map_err(|e| {
                miette!(
                    "context {:?}: listing {}: the server's answer is not a list: {e}",
                    conn.context,
                    r.resource_name()
                )
            })?;
            items.extend(page.items.unwrap_or_default());
            match page.metadata.next.filter(|t| !t.is_empty()) {
                Some(next) if token.as_deref() == Some(next.as_str()) => {
                    return Err(miette!(
                        "context {:?}: listing {}: the server sent the same continue token twice",
                        conn.context,
                        r.resource_name()
                    ));
                }
                Some(next) => token = Some(next),
                None => return Ok(Got::Ok(items)),
            }
        }
    }
}

/// One object by name.
async fn get(
    conn: &Connection,
    r: &ResourceDef,
    ns: Option<&str>,
    name: &str,
) -> Result<Got<Value>> {
    let path = format!("{}/{}", r.collection_path(ns), super::encode(name));
    match request(conn, &path).await? {
        Reply::Ok(text) => serde_json::from_str(&text).map(Got::Ok).map_err(|e| {
            miette!(
                "context {:?}: reading {} {name}: the server's answer is not an object: {e}",
                conn.context,
                r.resource_name()
            )
        }),
        Reply::Status(404, _) => Ok(Got::NotFound),
        Reply::Status(403, message) => Ok(Got::Forbidden(message)),
        Reply::Status(code, message) => Err(status_error(
            conn,
            &format!("reading {} {name}", r.resource_name()),
            code,
            &message,
        )),
    }
}

enum Reply {
    Ok(String),
    /// HTTP error status and the server's message.
    Status(u16, String),
}

async fn request(conn: &Connection, path: &str) -> Result<Reply> {
    let req = http::Request::get(path)
        .header(http::header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|e| miette!("bad request path {path}: {e}"))?;
    match conn.client.request_text(req).await {
        Ok(text) => Ok(Reply::Ok(text)),
        Err(kube::Error::Api(status)) => Ok(Reply::Status(status.code, status.message.clone())),
        Err(e) => Err(miette!(
            "cannot reach the API server of context {:?} ({}): {}",
            conn.context,
            conn.server,
            chain(&e)
        )),
    }
}

fn status_error(conn: &Connection, what: &str, code: u16, message: &str) -> miette::Report {
    let hint = match code {
        401 => ": the credentials were refused (expired token or certificate?)",
        _ => "",
    };
    miette!(
        "context {:?}: {what}: HTTP {code}{hint}{}",
        conn.context,
        if message.is_empty() {
            String::new()
        } else {
            format!(" ({message})")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::resource_of;
    use serde_json::json;

    fn obj(kind: &str, group: &str, value: Value) -> Option<ClusterObject> {
        Some(ClusterObject {
            resource: resource_of(group, kind)?,
            value,
        })
    }

    #[test]
    fn secrets_from_ingress_tls_and_default_cert() {
        let objects: Vec<ClusterObject> = [
            obj(
                "Ingress",
                "networking.k8s.io",
                json!({"metadata": {"namespace": "a", "name": "i"},
                       "spec": {"tls": [{"secretName": "s1"}, {"hosts": ["x"]}, {"secretName": ""}]}}),
            ),
            obj(
                "Ingress",
                "networking.k8s.io",
                json!({"metadata": {"namespace": "b", "name": "j"}, "spec": {"tls": [{"secretName": "s1"}]}}),
            ),
            obj(
                "Service",
                "",
                json!({"metadata": {"namespace": "c", "name": "k"}, "spec": {"tls": [{"secretName": "no"}]}}),
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        let names: Vec<(String, String)> =
            secret_names(&objects, "avi-system").into_iter().collect();
        let want: Vec<(String, String)> =
            [("a", "s1"), ("avi-system", DEFAULT_ROUTE_CERT), ("b", "s1")]
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        assert_eq!(names, want);
    }

    #[test]
    fn secrets_from_gateway_listener_certificate_refs() {
        let objects: Vec<ClusterObject> = obj(
            "Gateway",
            "gateway.networking.k8s.io",
            json!({"metadata": {"namespace": "g", "name": "gw"},
                   "spec": {"listeners": [{"name": "a", "tls": {"certificateRefs": [{"name": "own"}, {"name": "far", "namespace": "certs"}]}},
                                          {"name": "b"}]}}),
        )
        .into_iter()
        .collect();
        let names: Vec<(String, String)> = secret_names(&objects, "").into_iter().collect();
        let want: Vec<(String, String)> = [("certs", "far"), ("g", "far"), ("g", "own")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(names, want);
    }

    #[test]
    fn messages_name_verb_and_resource() {
        let gone: Vec<&ResourceDef> = [
            ("route.openshift.io", "Route"),
            ("ako.vmware.com", "L4Rule"),
            ("ako.vmware.com", "SSORule"),
            ("discovery.k8s.io", "EndpointSlice"),
        ]
        .iter()
        .filter_map(|(g, k)| resource_of(g, k))
        .collect();
        let d = missing(&gone);
        let texts: Vec<(Severity, &str)> =
            d.iter().map(|d| (d.severity, d.message.as_str())).collect();
        assert_eq!(
            texts,
            [
                (
                    Severity::Info,
                    "the cluster does not serve route.openshift.io/v1/routes; Route objects are not read"
                ),
                (
                    Severity::Info,
                    "the cluster does not serve ako.vmware.com/v1alpha2/l4rules, ako.vmware.com/v1alpha2/ssorules; L4Rule, SSORule objects are not read"
                ),
                (
                    Severity::Warning,
                    "the cluster does not serve discovery.k8s.io/v1/endpointslices; EndpointSlice objects are not read; translation goes on without them, which is not what AKO would see"
                ),
            ]
        );
        let svc = resource_of("", "Service").map(|r| forbidden(r, "list", None, ""));
        assert!(svc.is_some_and(|d| d.severity == Severity::Warning
            && d.message.contains("`list` services cluster-wide")));
    }
}
