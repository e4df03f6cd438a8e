//! Writing objects (controller-API notes §3): POST to create, PUT to replace,
//! DELETE to remove. Refs in bodies are by name; the controller resolves them.

use reqwest::Method;
use serde_json::Value;

use super::{Client, ClientError, query_escape};

/// The outcome of a write the caller can report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// Created; the new uuid.
    Created(String),
    /// Created by an earlier attempt (409 on POST), then replaced by uuid.
    Adopted(String),
    Replaced(String),
    Deleted,
    /// DELETE answered 404: already gone (AKO and terraform treat it as done).
    AlreadyGone,
}

fn decode(path: &str, text: &str) -> Result<Value, ClientError> {
    serde_json::from_str(text).map_err(|e| ClientError::Decode {
        path: path.to_string(),
        message: e.to_string(),
    })
}

fn uuid_of(path: &str, v: &Value) -> Result<String, ClientError> {
    v.get("uuid")
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| ClientError::Decode {
            path: path.to_string(),
            message: "no \"uuid\" in the response".into(),
        })
}

impl ClientError {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl Client {
    /// The uuid of `kind` named `name` in `tenant`, if it exists.
    pub async fn find_uuid(
        &self,
        kind: &str,
        name: &str,
        tenant: &str,
    ) -> Result<Option<String>, ClientError> {
        let path = format!("/api/{kind}?name={}&include_name=true", query_escape(name));
        let v = self.get(&path, tenant).await?;
        let found = v
            .get("results")
            .and_then(Value::as_array)
            .and_then(|r| {
                r.iter().find(|o| {
                    o.get("name").and_then(Value::as_str) == Some(name)
                        && o.get("tenant_ref").and_then(Value::as_str).is_none_or(|t| {
                            t.rsplit('#').next() == Some(tenant) || !t.contains('#')
                        })
                })
            })
            .and_then(|o| o.get("uuid").and_then(Value::as_str))
            .map(String::from);
        Ok(found)
    }

    /// GET one object by uuid.
    pub async fn get_object(
        &self,
        kind: &str,
        uuid: &str,
        tenant: &str,
    ) -> Result<Value, ClientError> {
        self.get(&format!("/api/{kind}/{uuid}?include_name=true"), tenant)
            .await
    }

    /// Create with POST. A 409 (the name exists, e.g. because an earlier
    /// attempt went through before its answer was lost) is resolved by
    /// looking the object up by name and replacing it with PUT (controller-API
    /// notes §1.7, §3.7).
    pub async fn create(
        &self,
        kind: &str,
        tenant: &str,
        body: &Value,
    ) -> Result<Written, ClientError> {
        let path = format!("/api/{kind}");
        let text = body.to_string();
        match self
            .request(Method::POST, &path, tenant, true, Some(&text))
            .await
        {
            Ok(t) => Ok(Written::Created(uuid_of(&path, &decode(&path, &t)?)?)),
            Err(e) if e.status() == Some(409) => {
                let name = body.get("name").and_then(Value::as_str).unwrap_or("");
                match self.find_uuid(kind, name, tenant).await? {
                    Some(uuid) => {
                        self.replace(kind, &uuid, tenant, body).await?;
                        Ok(Written::Adopted(uuid))
                    }
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Create with POST and nothing else: a 409 (the name exists) is
    /// returned to the caller, which decides whether the object may be
    /// taken over.
    pub async fn post(
        &self,
        kind: &str,
        tenant: &str,
        body: &Value,
    ) -> Result<Written, ClientError> {
        let path = format!("/api/{kind}");
        let text = body.to_string();
        let t = self
            .request(Method::POST, &path, tenant, true, Some(&text))
            .await?;
        Ok(Written::Created(uuid_of(&path, &decode(&path, &t)?)?))
    }

    /// PUT a body and return the object the controller answers (with its
    /// new `_last_modified`).
    pub async fn put_object(
        &self,
        kind: &str,
        uuid: &str,
        tenant: &str,
        body: &Value,
    ) -> Result<Value, ClientError> {
        let path = format!("/api/{kind}/{uuid}");
        let text = body.to_string();
        let t = self
            .request(Method::PUT, &path, tenant, true, Some(&text))
            .await?;
        decode(&path, &t)
    }

    /// Replace with PUT (full replace).
    pub async fn replace(
        &self,
        kind: &str,
        uuid: &str,
        tenant: &str,
        body: &Value,
    ) -> Result<Written, ClientError> {
        let path = format!("/api/{kind}/{uuid}");
        let text = body.to_string();
        self.request(Method::PUT, &path, tenant, true, Some(&text))
            .await?;
        Ok(Written::Replaced(uuid.to_string()))
    }

    /// Delete by uuid; 404 counts as done.
    pub async fn delete(
        &self,
        kind: &str,
        uuid: &str,
        tenant: &str,
    ) -> Result<Written, ClientError> {
        let path = format!("/api/{kind}/{uuid}");
        match self
            .request(Method::DELETE, &path, tenant, true, Some(""))
            .await
        {
            Ok(_) => Ok(Written::Deleted),
            Err(e) if e.status() == Some(404) => Ok(Written::AlreadyGone),
            Err(e) => Err(e),
        }
    }
}
