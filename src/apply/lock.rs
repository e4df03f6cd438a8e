//! The apply lock: a lease object on the controller that keeps two
//! `akoctl apply` runs for the same cluster apart.
//!
//! The lease is an `ipaddrgroup` (a type every controller has and AKO never
//! writes, so `plan` never reads it) named `akoctl-apply-lock--<cluster>` in
//! AKO's tenant. Its `description` holds a small JSON document: who holds it
//! (`holder`: user, host, process and a per-run token), when it was taken and
//! when it expires (Unix seconds, the holder's clock).
//!
//! - **Taking it** is a `POST`: the controller refuses a second object of the
//!   same name (409), so exactly one of two concurrent appliers gets it. The
//!   loser reads the lease and stops with a message naming the holder.
//! - **A dead holder** (killed, crashed, lost network) leaves a lease behind;
//!   once it is past its expiry plus a margin for clock skew, or at once
//!   when the holder ran on this machine and its process is gone (Linux),
//!   it is taken over with a `PUT` carrying the lease's `_last_modified`: if
//!   two appliers try at once the controller lets one through and answers
//!   the other 412.
//! - **Holding it**: the holder renews the lease (same compare-and-swap
//!   `PUT`) while it writes; a renewal that fails with 412 or 404 means the
//!   lease was taken over or removed, and the run stops starting writes.
//! - **Releasing it**: `DELETE`, only while the lease still names this run.
//!
//! The lock guards the whole apply: it is taken before the controller's state
//! is read, so the plan an applier performs was computed while no other
//! applier could write.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use super::Stop;
use crate::client::{Client, ClientError};

/// The lease's object type.
pub const LOCK_KIND: &str = "ipaddrgroup";

/// The lease's name for a cluster.
pub fn lock_name(cluster: &str) -> String {
    format!("akoctl-apply-lock--{cluster}")
}

/// Timings of the lease.
#[derive(Clone, Debug)]
pub struct LeaseOptions {
    /// How long a lease lives without renewal.
    pub ttl: Duration,
    /// How often the holder renews it.
    pub renew_every: Duration,
    /// Extra time before another applier treats an expired lease as dead
    /// (clock skew between machines).
    pub skew: Duration,
}

impl Default for LeaseOptions {
    fn default() -> Self {
        LeaseOptions {
            ttl: Duration::from_secs(120),
            renew_every: Duration::from_secs(30),
            skew: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another applier holds the lease.
    #[error(
        "another `akoctl apply` is applying to cluster {cluster:?} on this controller (held by {holder}, since {since}, lease until {until}; lock object {kind}/{tenant}/{name})"
    )]
    Held {
        cluster: String,
        holder: String,
        since: String,
        until: String,
        kind: String,
        tenant: String,
        name: String,
    },
    /// The lease was taken over or removed while this run held it.
    #[error("the apply lock {name:?} was taken over or removed by someone else")]
    Lost { name: String },
    #[error("apply lock: {0}")]
    Client(#[from] ClientError),
}

/// A held lease.
pub struct Lease {
    client: Client,
    uuid: String,
    tenant: String,
    name: String,
    cluster: String,
    holder: String,
    token: String,
    acquired: u64,
    opts: LeaseOptions,
    last_modified: Mutex<String>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `1970-01-01T00:00:00Z` style UTC time of Unix seconds.
pub fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// This machine's name (`HOSTNAME`, else `/etc/hostname`).
fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".into())
}

/// Who is applying, for the other applier's message.
fn holder_name(client: &Client) -> String {
    format!(
        "{}@{} (akoctl pid {})",
        client.options().username,
        host_name(),
        std::process::id()
    )
}

/// Whether process `pid` of this machine is gone (`false` when unknown).
fn process_gone(pid: u64) -> bool {
    if cfg!(target_os = "linux") {
        pid > 0 && !std::path::Path::new(&format!("/proc/{pid}")).exists()
    } else {
        false
    }
}

/// A token unique to this run (time, process, address of a local).
fn run_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    h.write_u128(t);
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

fn description(holder: &str, token: &str, acquired: u64, expires: u64) -> String {
    json!({
        "akoctl": "apply lock",
        "holder": holder,
        "host": host_name(),
        "pid": std::process::id(),
        "token": token,
        "acquired": acquired,
        "expires": expires,
    })
    .to_string()
}

/// The lease document of a lease object (`None` when it is not one).
fn lease_doc(v: &Value) -> Option<Value> {
    let d = v.get("description").and_then(Value::as_str)?;
    serde_json::from_str::<Value>(d)
        .ok()
        .filter(|d| d.get("akoctl").is_some())
}

fn body(name: &str, cluster: &str, description: String) -> Value {
    json!({
        "name": name,
        "description": description,
        "markers": [{"key": "akoctl-apply-lock", "values": [cluster]}],
    })
}

/// Take the lease for `cluster` in `tenant`.
pub async fn acquire(
    client: &Client,
    cluster: &str,
    tenant: &str,
    opts: &LeaseOptions,
) -> Result<Lease, LockError> {
    let name = lock_name(cluster);
    let holder = holder_name(client);
    let token = run_token();
    let path = format!("/api/{LOCK_KIND}");
    for _ in 0..3 {
        let acquired = now();
        let expires = acquired + opts.ttl.as_secs();
        let b = body(
            &name,
            cluster,
            description(&holder, &token, acquired, expires),
        );
        let lease = |uuid: String, last_modified: String| Lease {
            client: client.clone(),
            uuid,
            tenant: tenant.to_string(),
            name: name.clone(),
            cluster: cluster.to_string(),
            holder: holder.clone(),
            token: token.clone(),
            acquired,
            opts: opts.clone(),
            last_modified: Mutex::new(last_modified),
        };
        let err = match client
            .request(Method::POST, &path, tenant, true, Some(&b.to_string()))
            .await
        {
            Ok(text) => {
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                if s("uuid").is_empty() {
                    return Err(LockError::Client(ClientError::Decode {
                        path,
                        message: "no \"uuid\" in the response".into(),
                    }));
                }
                return Ok(lease(s("uuid"), s("_last_modified")));
            }
            Err(e) => e,
        };
        if err.status() != Some(409) {
            return Err(err.into());
        }
        // Someone holds it (or held it and died): read the lease.
        let Some(uuid) = client.find_uuid(LOCK_KIND, &name, tenant).await? else {
            continue; // released meanwhile: try again
        };
        let cur = match client.get_object(LOCK_KIND, &uuid, tenant).await {
            Ok(v) => v,
            Err(e) if e.status() == Some(404) => continue,
            Err(e) => return Err(e.into()),
        };
        let doc = lease_doc(&cur).unwrap_or(Value::Null);
        let num = |k: &str| doc.get(k).and_then(Value::as_u64);
        let txt = |k: &str| doc.get(k).and_then(Value::as_str).map(String::from);
        if txt("token").as_deref() == Some(token.as_str()) {
            // Our own POST went through, its answer was lost.
            let lm = cur
                .get("_last_modified")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            return Ok(lease(uuid, lm));
        }
        let held_until = num("expires").unwrap_or(u64::MAX);
        // A holder on this machine whose process is gone (killed, crashed,
        // interrupted at the confirmation prompt) is dead whatever the
        // lease says.
        let dead_here = txt("host").as_deref() == Some(host_name().as_str())
            && num("pid").is_some_and(|p| p != u64::from(std::process::id()) && process_gone(p));
        if !dead_here && held_until.saturating_add(opts.skew.as_secs()) > acquired {
            return Err(LockError::Held {
                cluster: cluster.to_string(),
                holder: txt("holder").unwrap_or_else(|| "an unknown holder".into()),
                since: num("acquired").map(utc).unwrap_or_else(|| "?".into()),
                until: if held_until == u64::MAX {
                    "never".into()
                } else {
                    utc(held_until)
                },
                kind: LOCK_KIND.into(),
                tenant: tenant.to_string(),
                name: name.clone(),
            });
        }
        // Expired: take it over, compare-and-swap on `_last_modified`.
        let mut b = b;
        if let (Value::Object(m), Some(lm)) = (&mut b, cur.get("_last_modified")) {
            m.insert("_last_modified".into(), lm.clone());
        }
        match client.put_object(LOCK_KIND, &uuid, tenant, &b).await {
            Ok(v) => {
                let lm = v
                    .get("_last_modified")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                return Ok(lease(uuid, lm));
            }
            // Another applier took it over (412) or it was released (404):
            // look again.
            Err(e) if matches!(e.status(), Some(412) | Some(404)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(LockError::Client(ClientError::Decode {
        path,
        message: "the apply lock changed hands too often; try again".into(),
    }))
}

impl Lease {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn options(&self) -> &LeaseOptions {
        &self.opts
    }

    /// Extend the lease (compare-and-swap). `Lost` when it was taken over or
    /// removed.
    pub async fn renew(&self) -> Result<(), LockError> {
        let mut lm = self.last_modified.lock().await;
        let mut b = body(
            &self.name,
            &self.cluster,
            description(
                &self.holder,
                &self.token,
                self.acquired,
                now() + self.opts.ttl.as_secs(),
            ),
        );
        if let Value::Object(m) = &mut b {
            m.insert("_last_modified".into(), json!(lm.clone()));
        }
        match self
            .client
            .put_object(LOCK_KIND, &self.uuid, &self.tenant, &b)
            .await
        {
            Ok(v) => {
                *lm = v
                    .get("_last_modified")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                Ok(())
            }
            Err(e) if e.status() == Some(412) => {
                // Changed since: by our own renewal whose answer was lost
                // (the lease still carries our token), or by a takeover.
                let cur = self
                    .client
                    .get_object(LOCK_KIND, &self.uuid, &self.tenant)
                    .await
                    .map_err(|e| match e.status() {
                        Some(404) => LockError::Lost {
                            name: self.name.clone(),
                        },
                        _ => e.into(),
                    })?;
                let ours = lease_doc(&cur)
                    .and_then(|d| d.get("token").and_then(Value::as_str).map(String::from))
                    .is_some_and(|t| t == self.token);
                if !ours {
                    return Err(LockError::Lost {
                        name: self.name.clone(),
                    });
                }
                *lm = cur
                    .get("_last_modified")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                Ok(())
            }
            Err(e) if e.status() == Some(404) => Err(LockError::Lost {
                name: self.name.clone(),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// Renew every `renew_every` until the returned future is dropped;
    /// stop the run when the lease is lost, or when renewals keep failing
    /// until the lease would expire.
    pub async fn keep_alive(&self, stop: Stop) {
        let mut last_ok = tokio::time::Instant::now();
        loop {
            tokio::time::sleep(self.opts.renew_every).await;
            match self.renew().await {
                Ok(()) => last_ok = tokio::time::Instant::now(),
                Err(LockError::Lost { .. }) => {
                    stop.stop("the apply lock was taken over or removed by someone else");
                    return;
                }
                Err(_) if last_ok.elapsed() + self.opts.renew_every >= self.opts.ttl => {
                    stop.stop("the apply lock could not be renewed before it expires");
                    return;
                }
                Err(_) => {}
            }
        }
    }

    /// Remove the lease if it still names this run. Errors are returned for
    /// a warning: an unreleased lease expires on its own.
    pub async fn release(self) -> Result<(), LockError> {
        let cur = match self
            .client
            .get_object(LOCK_KIND, &self.uuid, &self.tenant)
            .await
        {
            Ok(v) => v,
            Err(e) if e.status() == Some(404) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let ours = lease_doc(&cur)
            .and_then(|d| d.get("token").and_then(Value::as_str).map(String::from))
            .is_some_and(|t| t == self.token);
        if !ours {
            return Ok(());
        }
        self.client
            .delete(LOCK_KIND, &self.uuid, &self.tenant)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn lease_documents_are_recognised() {
        let d = description("me@h", "t", 1, 2);
        assert!(lease_doc(&json!({ "description": d })).is_some());
        assert!(lease_doc(&json!({"description": "some group"})).is_none());
    }
}
