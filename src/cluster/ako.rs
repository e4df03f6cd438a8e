//! Reading AKO's own objects from its namespace: the ConfigMap
//! `avi-k8s-config`, the StatefulSet `ako`, the ako-operator's `AKOConfig`
//! (for the settings, see [`crate::settings::cluster`]) and, only when asked,
//! the Secret `avi-secret` with the controller credentials.

use std::fmt;

use miette::{Result, miette};
use serde_json::Value;

use super::client::{Connection, chain};
use crate::model::{Diagnostic, Severity};
use crate::settings::cluster::{AVI_SECRET, AkoObjects, CONFIGMAP, STATEFULSET};

/// AKO's namespace when none is named (`helm install -n avi-system`; the
/// ako-operator's `AviSystemNS`).
pub const DEFAULT_NAMESPACE: &str = "avi-system";

/// What was read, and what could not be.
#[derive(Clone, Debug, Default)]
pub struct AkoRead {
    pub objects: AkoObjects,
    pub diagnostics: Vec<Diagnostic>,
}

enum Reply {
    Ok(Value),
    Status(u16, String),
}

async fn get_json(conn: &Connection, path: &str) -> Result<Reply> {
    let req = http::Request::get(path)
        .header(http::header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|e| miette!("bad request path {path}: {e}"))?;
    match conn.client.request_text(req).await {
        Ok(text) => serde_json::from_str(&text)
            .map(Reply::Ok)
            .map_err(|e| miette!("{path}: the server's answer is not JSON: {e}")),
        Err(kube::Error::Api(status)) => Ok(Reply::Status(status.code, status.message.clone())),
        Err(e) => Err(miette!(
            "cannot reach the API server of context {:?} ({}): {}",
            conn.context,
            conn.server,
            chain(&e)
        )),
    }
}

/// One object; `None` when it is not there (or its API is not served), a
/// Warning in `diags` when the user may not read it.
async fn get_opt(
    conn: &Connection,
    path: &str,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Value>> {
    match get_json(conn, path).await? {
        Reply::Ok(v) => Ok(Some(v)),
        Reply::Status(404, _) => Ok(None),
        Reply::Status(403, message) => {
            diags.push(Diagnostic::new(
                Severity::Warning,
                None,
                format!(
                    "cannot read {what} (HTTP 403: {message}); AKO's settings are taken without it"
                ),
            ));
            Ok(None)
        }
        Reply::Status(code, message) => Err(miette!(
            "context {:?}: reading {what}: HTTP {code} ({message})",
            conn.context
        )),
    }
}

/// Read AKO's ConfigMap and StatefulSet in `namespace`, and its `AKOConfig`
/// when there is no ConfigMap.
pub async fn read_ako(conn: &Connection, namespace: &str) -> Result<AkoRead> {
    let ns = super::encode(namespace);
    let mut diagnostics = Vec::new();
    let configmap = get_opt(
        conn,
        &format!("/api/v1/namespaces/{ns}/configmaps/{CONFIGMAP}"),
        &format!("ConfigMap {namespace}/{CONFIGMAP}"),
        &mut diagnostics,
    )
    .await?;
    let statefulset = get_opt(
        conn,
        &format!("/apis/apps/v1/namespaces/{ns}/statefulsets/{STATEFULSET}"),
        &format!("StatefulSet {namespace}/{STATEFULSET}"),
        &mut diagnostics,
    )
    .await?;
    let akoconfig = if configmap.is_none() {
        // `ako-operator/api/v1beta1`; the operator builds the ConfigMap from it.
        get_opt(
            conn,
            &format!("/apis/ako.vmware.com/v1beta1/namespaces/{ns}/akoconfigs"),
            &format!("AKOConfigs in {namespace}"),
            &mut diagnostics,
        )
        .await?
        .and_then(|list| {
            let mut items = list.get("items")?.as_array()?.clone();
            items.sort_by(|a, b| {
                let n = |v: &Value| {
                    v.pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                n(a).cmp(&n(b))
            });
            items.into_iter().next()
        })
    } else {
        None
    };
    Ok(AkoRead {
        objects: AkoObjects {
            namespace: namespace.to_string(),
            configmap,
            statefulset,
            akoconfig,
        },
        diagnostics,
    })
}

/// The controller credentials of `avi-secret` (`helm/ako/templates/secret.yaml`:
/// `username`, `password`, `authtoken`, `certificateAuthorityData`). Never
/// printed: `Debug` shows only which fields are set.
#[derive(Clone, Default)]
pub struct AviSecret {
    pub username: String,
    pub password: String,
    pub auth_token: String,
    /// PEM of the controller's CA, empty when not set.
    pub ca_pem: String,
}

impl fmt::Debug for AviSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AviSecret")
            .field("username", &(!self.username.is_empty()))
            .field("password", &(!self.password.is_empty()))
            .field("auth_token", &(!self.auth_token.is_empty()))
            .field("ca_pem", &(!self.ca_pem.is_empty()))
            .finish()
    }
}

/// Read `avi-secret` in `namespace`. A refusal (HTTP 403) is an error that
/// names the Secret and the permission missing.
pub async fn read_avi_secret(conn: &Connection, namespace: &str) -> Result<AviSecret> {
    let path = format!(
        "/api/v1/namespaces/{}/secrets/{AVI_SECRET}",
        super::encode(namespace)
    );
    let v = match get_json(conn, &path).await? {
        Reply::Ok(v) => v,
        Reply::Status(403, _) => {
            return Err(miette!(
                "--controller-from-cluster: the user of context {:?} may not get Secret {namespace}/{AVI_SECRET} (HTTP 403); ask for `get secrets` in {namespace}, or give --controller and credentials instead",
                conn.context
            ));
        }
        Reply::Status(404, _) => {
            return Err(miette!(
                "--controller-from-cluster: there is no Secret {namespace}/{AVI_SECRET} (AKO's chart creates it); give --controller and credentials instead"
            ));
        }
        Reply::Status(code, _) => {
            return Err(miette!(
                "--controller-from-cluster: reading Secret {namespace}/{AVI_SECRET}: HTTP {code}"
            ));
        }
    };
    let secret: k8s_openapi::api::core::v1::Secret = serde_json::from_value(v)
        .map_err(|e| miette!("Secret {namespace}/{AVI_SECRET}: cannot decode its data: {e}"))?;
    let data = secret.data.unwrap_or_default();
    let field = |k: &str| -> Result<String> {
        match data.get(k) {
            None => Ok(String::new()),
            Some(bytes) => String::from_utf8(bytes.0.clone())
                .map(|s| s.trim_end_matches(['\r', '\n']).to_string())
                .map_err(|_| miette!("Secret {namespace}/{AVI_SECRET}: {k} is not UTF-8")),
        }
    };
    Ok(AviSecret {
        username: field("username")?,
        password: field("password")?,
        auth_token: field("authtoken")?,
        ca_pem: field("certificateAuthorityData")?,
    })
}
