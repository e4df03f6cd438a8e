//! `akoctl apply`: perform a plan against a controller.
//!
//! - [`scheduler`]: which step waits for which (dependency levels);
//! - [`execute`]: runs the steps, up to `parallelism` at a time; a step starts
//!   when every step it depends on is done. The first failure (a 4xx, or a
//!   transient error that outlasted the client's retries) stops the run:
//!   requests in flight finish, nothing new starts;
//! - [`Report`]: what was done, what failed (with the controller's message)
//!   and what was not attempted.
//!
//! Re-running converges: a create whose name exists (an earlier attempt went
//! through) becomes a replace, a delete of a missing object counts as done,
//! and the plan is recomputed from the controller's state every time.
//! No printing here; progress goes through a callback.

pub mod scheduler;

use std::sync::Arc;

use serde_json::Value;
use tokio::task::JoinSet;

use crate::client::write::Written;
use crate::client::{Client, ClientError};
use crate::model::AviType;
use crate::plan::Action;
pub use scheduler::{Step, schedule};

/// What happened to one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done(Written),
    Failed(String),
    /// Not started: `reason`.
    NotAttempted(String),
}

/// Progress events, for a progress bar or CI log lines.
#[derive(Clone, Debug)]
pub enum Event {
    Started {
        steps: usize,
    },
    Finished {
        address: String,
        action: Action,
        outcome: Outcome,
    },
}

pub type Progress = Arc<dyn Fn(Event) + Send + Sync>;

/// One line of the report.
#[derive(Clone, Debug)]
pub struct Entry {
    pub address: String,
    pub action: Action,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub entries: Vec<Entry>,
}

impl Report {
    pub fn done(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.outcome, Outcome::Done(_)))
    }
    pub fn failed(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.outcome, Outcome::Failed(_)))
    }
    pub fn not_attempted(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.outcome, Outcome::NotAttempted(_)))
    }
    pub fn success(&self) -> bool {
        self.failed().next().is_none() && self.not_attempted().next().is_none()
    }
    /// `(added, changed, destroyed)` among the steps done.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for e in self.done() {
            match e.action {
                Action::Create => c.0 += 1,
                Action::Update => c.1 += 1,
                Action::Destroy => c.2 += 1,
                Action::NoOp => {}
            }
        }
        c
    }

    /// The report as text (no secrets: it only holds addresses and
    /// controller messages).
    pub fn text(&self) -> String {
        let mut s = String::new();
        let (a, c, d) = self.counts();
        let failed: Vec<&Entry> = self.failed().collect();
        let skipped: Vec<&Entry> = self.not_attempted().collect();
        if failed.is_empty() && skipped.is_empty() {
            s.push_str(&format!(
                "Apply complete! Objects: {a} added, {c} changed, {d} destroyed.\n"
            ));
            return s;
        }
        s.push_str(&format!(
            "Apply incomplete. Done: {a} added, {c} changed, {d} destroyed; {} failed; {} not attempted.\n",
            failed.len(),
            skipped.len()
        ));
        for e in &failed {
            if let Outcome::Failed(m) = &e.outcome {
                s.push_str(&format!(
                    "  failed: {} {}: {m}\n",
                    verb(e.action),
                    e.address
                ));
            }
        }
        for e in &skipped {
            if let Outcome::NotAttempted(m) = &e.outcome {
                s.push_str(&format!(
                    "  not attempted: {} {} ({m})\n",
                    verb(e.action),
                    e.address
                ));
            }
        }
        s.push_str(
            "Nothing that was done is lost: run `akoctl apply` again to finish once the cause is fixed.\n",
        );
        s
    }
}

pub fn verb(a: Action) -> &'static str {
    match a {
        Action::Create => "create",
        Action::Update => "update",
        Action::Destroy => "delete",
        Action::NoOp => "no-op",
    }
}

/// One CI log line for a finished step.
pub fn line(address: &str, action: Action, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Done(w) => {
            let what = match w {
                Written::Created(u) => format!("created ({u})"),
                Written::Adopted(u) => format!("created (existing {u} replaced)"),
                Written::Replaced(u) => format!("updated ({u})"),
                Written::Deleted => "deleted".to_string(),
                Written::AlreadyGone => "deleted (was already gone)".to_string(),
            };
            format!("{address}: {what}")
        }
        Outcome::Failed(m) => format!("{address}: {} failed: {m}", verb(action)),
        Outcome::NotAttempted(m) => format!("{address}: {} not attempted ({m})", verb(action)),
    }
}

/// Run the steps. `cluster` is this AKO's cluster name (for the VRF's static
/// routes, the only part of the VRF akoctl edits).
pub async fn execute(
    client: &Client,
    steps: Vec<Step>,
    parallelism: usize,
    cluster: &str,
    progress: Option<Progress>,
) -> Report {
    let n = steps.len();
    if let Some(p) = &progress {
        p(Event::Started { steps: n });
    }
    let mut outcome: Vec<Option<Outcome>> = vec![None; n];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = steps.iter().map(|s| s.deps.len()).collect();
    for (i, s) in steps.iter().enumerate() {
        for &d in &s.deps {
            users[d].push(i);
        }
    }
    let steps: Vec<Arc<Step>> = steps.into_iter().map(Arc::new).collect();
    // Ready steps, lowest level and plan order first.
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut set: JoinSet<(usize, Outcome)> = JoinSet::new();
    let mut stopped: Option<String> = None;
    let limit = parallelism.max(1);
    loop {
        if stopped.is_none() {
            ready.sort_by_key(|&i| std::cmp::Reverse((steps[i].level, i)));
            while set.len() < limit {
                let Some(i) = ready.pop() else { break };
                let client = client.clone();
                let step = steps[i].clone();
                let cluster = cluster.to_string();
                set.spawn(async move { (i, run_step(&client, &step, &cluster).await) });
            }
        }
        let Some(joined) = set.join_next().await else {
            break;
        };
        let (i, o) = match joined {
            Ok(r) => r,
            Err(e) => {
                // A panicked or cancelled task: its step is unknown.
                stopped.get_or_insert_with(|| format!("internal error: {e}"));
                continue;
            }
        };
        if let Outcome::Failed(_) = &o {
            stopped.get_or_insert_with(|| format!("stopped after {} failed", steps[i].address()));
        } else {
            for &u in &users[i] {
                waiting[u] -= 1;
                if waiting[u] == 0 {
                    ready.push(u);
                }
            }
        }
        if let Some(p) = &progress {
            p(Event::Finished {
                address: steps[i].address(),
                action: steps[i].change.action,
                outcome: o.clone(),
            });
        }
        outcome[i] = Some(o);
    }
    let failed: Vec<bool> = outcome
        .iter()
        .map(|o| matches!(o, Some(Outcome::Failed(_))))
        .collect();
    let mut entries = Vec::with_capacity(n);
    for (i, o) in outcome.into_iter().enumerate() {
        let o = o.unwrap_or_else(|| {
            let failed_dep = steps[i].deps.iter().find(|&&d| failed[d]);
            Outcome::NotAttempted(match (failed_dep, &stopped) {
                (Some(&d), _) => format!("depends on {}, which failed", steps[d].address()),
                (None, Some(m)) => m.clone(),
                (None, None) => "not reached".to_string(),
            })
        });
        entries.push(Entry {
            address: steps[i].address(),
            action: steps[i].change.action,
            outcome: o,
        });
    }
    Report { entries }
}

fn message(e: &ClientError) -> String {
    match e {
        ClientError::Api {
            method,
            status,
            message,
            ..
        } => format!("{method} HTTP {status}: {message}"),
        other => other.to_string(),
    }
}

async fn run_step(client: &Client, step: &Step, cluster: &str) -> Outcome {
    let c = &step.change;
    let kind = c.kind.as_str();
    let r = match (c.action, &step.body) {
        (Action::Destroy, _) => match &c.uuid {
            Some(u) => client.delete(kind, u, &c.tenant).await,
            None => match client.find_uuid(kind, &c.name, &c.tenant).await {
                Ok(Some(u)) => client.delete(kind, &u, &c.tenant).await,
                Ok(None) => Ok(Written::AlreadyGone),
                Err(e) => Err(e),
            },
        },
        (_, None) => return Outcome::Failed("no body to send (internal error)".into()),
        (_, Some(body)) if c.kind == AviType::Vrfcontext => {
            vrf_routes(client, c.uuid.as_deref(), &c.name, &c.tenant, body, cluster).await
        }
        (Action::Create, Some(body)) => client.create(kind, &c.tenant, body).await,
        (Action::Update, Some(body)) if c.kind == AviType::Vsvip && c.uuid.is_some() => {
            match vsvip_update(client, c.uuid.as_deref().unwrap_or(""), &c.tenant, body).await {
                Err(e) if e.status() == Some(404) => client.create(kind, &c.tenant, body).await,
                r => r,
            }
        }
        (_, Some(body)) => match &c.uuid {
            Some(u) => match client.replace(kind, u, &c.tenant, body).await {
                // Deleted since the plan was read: create it again.
                Err(e) if e.status() == Some(404) => client.create(kind, &c.tenant, body).await,
                r => r,
            },
            None => client.create(kind, &c.tenant, body).await,
        },
    };
    match r {
        Ok(w) => Outcome::Done(w),
        Err(e) => Outcome::Failed(message(&e)),
    }
}

/// Fields of a VIP the controller allocates when `auto_allocate_ip` is set.
const ALLOCATED_VIP_FIELDS: &[&str] = &["ip_address", "ip6_address", "floating_ip", "floating_ip6"];

/// A VsVip update keeps the addresses the controller allocated: GET it, carry
/// the allocated addresses of each `vip_id` over into the new body, PUT it
/// with its `_last_modified` (a 412 re-reads and retries). Without this a
/// PUT of the freshly built body could move the VIP to a new address.
/// AKO: `internal/rest/avi_obj_vsvip.go` `AviVsVipBuild` (GET, modify, PUT).
async fn vsvip_update(
    client: &Client,
    uuid: &str,
    tenant: &str,
    desired: &Value,
) -> Result<Written, ClientError> {
    let mut attempt = 0;
    loop {
        let cur = client.get_object("vsvip", uuid, tenant).await?;
        let mut body = desired.clone();
        let current_vips = cur.get("vip").and_then(Value::as_array);
        if let Some(Value::Array(vips)) = body.get_mut("vip") {
            for v in vips.iter_mut() {
                let id = v.get("vip_id").cloned();
                let auto = v.get("auto_allocate_ip").and_then(Value::as_bool) == Some(true);
                let Some(old) =
                    current_vips.and_then(|c| c.iter().find(|o| o.get("vip_id").cloned() == id))
                else {
                    continue;
                };
                if let (true, Value::Object(m)) = (auto, v) {
                    for f in ALLOCATED_VIP_FIELDS {
                        if !m.contains_key(*f)
                            && let Some(x) = old.get(*f)
                        {
                            m.insert(f.to_string(), x.clone());
                        }
                    }
                }
            }
        }
        if let (Value::Object(m), Some(lm)) = (&mut body, cur.get("_last_modified")) {
            m.insert("_last_modified".into(), lm.clone());
        }
        match client.replace("vsvip", uuid, tenant, &body).await {
            Err(e) if e.status() == Some(412) && attempt < 3 => attempt += 1,
            r => return r,
        }
    }
}

/// The VRF is shared: GET it, keep every static route that is not labelled
/// for this cluster, add this cluster's, PUT it back with its
/// `_last_modified`; a 412 (changed meanwhile) re-reads and retries.
/// AKO: `internal/rest/avi_obj_vrf.go` `AviVrfBuild`.
async fn vrf_routes(
    client: &Client,
    uuid: Option<&str>,
    name: &str,
    tenant: &str,
    desired: &Value,
    cluster: &str,
) -> Result<Written, ClientError> {
    let uuid = match uuid {
        Some(u) => u.to_string(),
        None => match client.find_uuid("vrfcontext", name, tenant).await? {
            Some(u) => u,
            None => {
                return Err(ClientError::Api {
                    method: "GET".into(),
                    path: format!("/api/vrfcontext?name={name}"),
                    status: 404,
                    message: "VrfContext object not found!".into(),
                });
            }
        },
    };
    let ours = |r: &Value| {
        r.get("labels").and_then(Value::as_array).is_some_and(|ls| {
            ls.iter().any(|l| {
                l.get("key").and_then(Value::as_str) == Some("clustername")
                    && l.get("value").and_then(Value::as_str) == Some(cluster)
            })
        })
    };
    let want: Vec<Value> = desired
        .get("static_routes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter(|r| ours(r)).cloned().collect())
        .unwrap_or_default();
    let mut attempt = 0;
    loop {
        let mut cur = client.get_object("vrfcontext", &uuid, tenant).await?;
        let mut routes: Vec<Value> = cur
            .get("static_routes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter(|r| !ours(r)).cloned().collect())
            .unwrap_or_default();
        routes.extend(want.iter().cloned());
        if let Value::Object(m) = &mut cur {
            m.insert("static_routes".into(), Value::Array(routes));
        }
        match client.replace("vrfcontext", &uuid, tenant, &cur).await {
            Err(e) if e.status() == Some(412) && attempt < 3 => attempt += 1,
            r => return r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lists_failures_and_skips() {
        let r = Report {
            entries: vec![
                Entry {
                    address: "pool/admin/a".into(),
                    action: Action::Create,
                    outcome: Outcome::Done(Written::Created("pool-1".into())),
                },
                Entry {
                    address: "poolgroup/admin/b".into(),
                    action: Action::Create,
                    outcome: Outcome::Failed("POST HTTP 400: Pool object not found!".into()),
                },
                Entry {
                    address: "virtualservice/admin/c".into(),
                    action: Action::Update,
                    outcome: Outcome::NotAttempted(
                        "depends on poolgroup/admin/b, which failed".into(),
                    ),
                },
            ],
        };
        assert!(!r.success());
        assert_eq!(r.counts(), (1, 0, 0));
        let t = r.text();
        assert!(t.contains("1 failed; 1 not attempted"), "{t}");
        assert!(t.contains("Pool object not found!"), "{t}");
        assert!(
            t.contains("not attempted: update virtualservice/admin/c"),
            "{t}"
        );
    }
}
