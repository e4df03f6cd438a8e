//! `akoctl apply`: perform a plan against a controller.
//!
//! - [`scheduler`]: which step waits for which (dependency levels);
//! - [`execute`]: runs the steps, up to `parallelism` at a time; a step starts
//!   when every step it depends on is done. The first failure (a 4xx, or a
//!   transient error that outlasted the client's retries) stops the run:
//!   requests in flight finish, nothing new starts;
//! - [`Report`]: what was done, what failed (with the controller's message)
//!   and what was not attempted;
//! - [`Stop`]: a stop request from outside (Ctrl-C, a lost [`lock`]): nothing
//!   new starts, the writes in flight finish, the report says why;
//! - [`lock`]: the lease that keeps two appliers of one cluster apart.
//!
//! The report is exact. A write whose answer never came (dropped connection,
//! timeout, 5xx after the client's retries) may or may not have taken
//! effect, so the object is read back: a create or update that went through
//! (the object now matches the desired body, by the same comparison `plan`
//! makes) and a delete whose object is gone are reported done; otherwise the
//! step failed and the controller holds what it held before.
//!
//! Re-running converges: a create whose name exists because an earlier
//! attempt went through becomes a replace (only when the object belongs to
//! this AKO: an object another owner created between plan and apply is never
//! taken over), a delete of a missing object counts as done, and the plan is
//! recomputed from the controller's state every time.
//! No printing here; progress goes through a callback.

pub mod lock;
pub mod scheduler;

use std::sync::Arc;

use std::collections::BTreeSet;

use serde_json::Value;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::client::write::Written;
use crate::client::{Client, ClientError};
use crate::model::{AviObject, AviType, ObjectSet};
use crate::plan::normalize::{RefNames, canonical_ref};
use crate::plan::{Action, CurrentObject, PlanSettings, State};
pub use scheduler::{Step, schedule};

/// A request to stop a run, shared between the run and whoever may stop it.
/// The first reason given wins.
#[derive(Clone, Debug)]
pub struct Stop {
    tx: Arc<watch::Sender<Option<String>>>,
}

impl Default for Stop {
    fn default() -> Self {
        Stop::new()
    }
}

impl Stop {
    pub fn new() -> Stop {
        Stop {
            tx: Arc::new(watch::channel(None).0),
        }
    }

    /// Ask the run to stop, for `reason` (shown in the report).
    pub fn stop(&self, reason: &str) {
        self.tx.send_if_modified(|r| {
            if r.is_none() {
                *r = Some(reason.to_string());
                true
            } else {
                false
            }
        });
    }

    pub fn reason(&self) -> Option<String> {
        self.tx.borrow().clone()
    }

    async fn stopped(&self) {
        let mut rx = self.tx.subscribe();
        let _ = rx.wait_for(Option::is_some).await;
    }
}

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
    /// Why the run stopped early, when a [`Stop`] was requested.
    pub interrupted: Option<String>,
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
        let head = match &self.interrupted {
            Some(why) => format!("Apply stopped ({why})."),
            None => "Apply incomplete.".to_string(),
        };
        s.push_str(&format!(
            "{head} Done: {a} added, {c} changed, {d} destroyed; {} failed; {} not attempted.\n",
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

/// What a run needs besides its steps.
#[derive(Clone)]
pub struct Options {
    /// Writes in flight at once.
    pub parallelism: usize,
    /// Whose objects these are: ownership decides whether an object found
    /// under a desired name may be taken over, and which static routes of
    /// the VRF are this cluster's.
    pub plan_settings: PlanSettings,
    pub progress: Option<Progress>,
    /// Checked before each write starts.
    pub stop: Stop,
}

impl Options {
    pub fn new(parallelism: usize, plan_settings: PlanSettings) -> Options {
        Options {
            parallelism,
            plan_settings,
            progress: None,
            stop: Stop::new(),
        }
    }
}

/// Run the steps.
pub async fn execute(client: &Client, steps: Vec<Step>, opts: &Options) -> Report {
    let n = steps.len();
    let progress = &opts.progress;
    if let Some(p) = progress {
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
    let mut interrupted: Option<String> = None;
    let limit = opts.parallelism.max(1);
    let ps = Arc::new(opts.plan_settings.clone());
    loop {
        if stopped.is_none()
            && let Some(why) = opts.stop.reason()
        {
            stopped = Some(format!("not started: {why}"));
            interrupted = Some(why);
        }
        if stopped.is_none() {
            ready.sort_by_key(|&i| std::cmp::Reverse((steps[i].level, i)));
            while set.len() < limit {
                let Some(i) = ready.pop() else { break };
                let client = client.clone();
                let step = steps[i].clone();
                let ps = ps.clone();
                set.spawn(async move { (i, run_step(&client, &step, &ps).await) });
            }
        }
        let joined = tokio::select! {
            j = set.join_next() => j,
            _ = opts.stop.stopped(), if stopped.is_none() => continue,
        };
        let Some(joined) = joined else {
            break;
        };
        let (i, o) = match joined {
            Ok(r) => r,
            Err(e) => {
                // A cancelled task (or, in a test build, a panicked one):
                // its step is unknown. A release build aborts on a panic
                // (`panic = "abort"`): the steps finished by then are
                // already printed, and those in flight are unknown, as
                // after the process is killed; the next plan reads them
                // back from the controller.
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
        if let Some(p) = progress {
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
    Report {
        entries,
        interrupted,
    }
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

async fn run_step(client: &Client, step: &Step, ps: &PlanSettings) -> Outcome {
    match write(client, step, ps).await {
        Ok(w) => Outcome::Done(w),
        Err(e) if uncertain(&e) => settle(client, step, ps, &e).await,
        Err(e) => Outcome::Failed(message(&e)),
    }
}

async fn write(client: &Client, step: &Step, ps: &PlanSettings) -> Result<Written, ClientError> {
    let c = &step.change;
    let kind = c.kind.as_str();
    match (c.action, &step.body) {
        (Action::Destroy, _) => match &c.uuid {
            Some(u) => client.delete(kind, u, &c.tenant).await,
            None => match client.find_uuid(kind, &c.name, &c.tenant).await? {
                Some(u) => client.delete(kind, &u, &c.tenant).await,
                None => Ok(Written::AlreadyGone),
            },
        },
        (_, None) => Err(ClientError::Decode {
            path: c.address(),
            message: "no body to send (internal error)".into(),
        }),
        (_, Some(body)) if c.kind == AviType::Vrfcontext => {
            vrf_routes(
                client,
                c.uuid.as_deref(),
                &c.name,
                &c.tenant,
                body,
                &ps.cluster_name,
            )
            .await
        }
        (Action::Create, Some(body)) => create(client, c.kind, &c.tenant, body, ps).await,
        (Action::Update, Some(body)) if c.kind == AviType::Vsvip && c.uuid.is_some() => {
            match vsvip_update(client, c.uuid.as_deref().unwrap_or(""), &c.tenant, body).await {
                Err(e) if e.status() == Some(404) => {
                    create(client, c.kind, &c.tenant, body, ps).await
                }
                r => r,
            }
        }
        (_, Some(body)) => match &c.uuid {
            Some(u) => match client.replace(kind, u, &c.tenant, body).await {
                // Deleted since the plan was read: create it again.
                Err(e) if e.status() == Some(404) => {
                    create(client, c.kind, &c.tenant, body, ps).await
                }
                r => r,
            },
            None => create(client, c.kind, &c.tenant, body, ps).await,
        },
    }
}

/// POST; on 409 (the name exists) the object is read: when it belongs to
/// this AKO (an earlier attempt whose answer was lost, or this AKO itself),
/// it is replaced with the desired body; anything else created under the
/// name between plan and apply is left alone and the step fails.
async fn create(
    client: &Client,
    kind: AviType,
    tenant: &str,
    body: &Value,
    ps: &PlanSettings,
) -> Result<Written, ClientError> {
    let k = kind.as_str();
    let e = match client.post(k, tenant, body).await {
        Err(e) if e.status() == Some(409) => e,
        r => return r,
    };
    let name = body.get("name").and_then(Value::as_str).unwrap_or("");
    let Some(uuid) = client.find_uuid(k, name, tenant).await? else {
        return Err(e);
    };
    let cur = client.get_object(k, &uuid, tenant).await?;
    let (current, _) = current_object(kind, tenant, &cur);
    if kind != AviType::Vrfcontext
        && let Err(owner) = crate::plan::owned(&current, ps)
    {
        return Err(ClientError::Api {
            method: "POST".into(),
            path: format!("/api/{k}"),
            status: 409,
            message: format!(
                "{k}/{tenant}/{name} was created meanwhile by {}; akoctl will not take it over",
                match owner {
                    Some(o) => format!("{o:?}"),
                    None => format!("someone other than {:?}", ps.created_by),
                }
            ),
        });
    }
    client.replace(k, &uuid, tenant, body).await?;
    Ok(Written::Adopted(uuid))
}

/// An error after which the write may or may not have taken effect.
fn uncertain(e: &ClientError) -> bool {
    match e {
        ClientError::Transport { .. } | ClientError::Decode { .. } => true,
        ClientError::Api { status, .. } => *status >= 500,
        _ => false,
    }
}

/// A write whose answer was lost: read the object back and report what the
/// controller holds.
async fn settle(client: &Client, step: &Step, ps: &PlanSettings, e: &ClientError) -> Outcome {
    let c = &step.change;
    let kind = c.kind.as_str();
    let failed = |m: &str| Outcome::Failed(format!("{}{m}", message(e)));
    let found = match &c.uuid {
        Some(u) if c.action != Action::Create => {
            match client.get_object(kind, u, &c.tenant).await {
                Ok(v) => Ok(Some((u.clone(), v))),
                Err(e) if e.status() == Some(404) => Ok(None),
                Err(e) => Err(e),
            }
        }
        _ => match client.find_uuid(kind, &c.name, &c.tenant).await {
            Ok(Some(u)) => client
                .get_object(kind, &u, &c.tenant)
                .await
                .map(|v| Some((u, v))),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        },
    };
    let found = match found {
        Ok(f) => f,
        Err(v) => {
            return failed(&format!(
                "; whether it took effect is unknown (reading it back failed: {})",
                message(&v)
            ));
        }
    };
    match (c.action, found, &step.body) {
        (Action::Destroy, None, _) => Outcome::Done(Written::Deleted),
        (Action::Destroy, Some(_), _) => failed(" (not deleted)"),
        (_, Some((uuid, cur)), Some(body))
            if applied(c.kind, &c.tenant, &c.name, body, &cur, ps) =>
        {
            Outcome::Done(if c.action == Action::Create {
                Written::Created(uuid)
            } else {
                Written::Replaced(uuid)
            })
        }
        (_, None, _) if c.action == Action::Create => failed(" (not created)"),
        _ => failed(" (not applied: the controller holds the previous version)"),
    }
}

/// The object as `plan` sees it, with the uuid→name map of its refs.
fn current_object(kind: AviType, tenant: &str, v: &Value) -> (CurrentObject, RefNames) {
    let mut names = RefNames::default();
    crate::client::read::collect_names(v, &mut names);
    let mut body = v.clone();
    crate::plan::normalize::strip_secrets(&mut body);
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
    (
        CurrentObject {
            kind,
            name: s("name").unwrap_or_default(),
            tenant: tenant.to_string(),
            uuid: s("uuid"),
            last_modified: s("_last_modified"),
            body,
        },
        names,
    )
}

/// Whether the controller's object `cur` is the desired body, by the
/// comparison `plan` makes (a no-op).
fn applied(
    kind: AviType,
    tenant: &str,
    name: &str,
    desired: &Value,
    cur: &Value,
    ps: &PlanSettings,
) -> bool {
    let (current, ref_names) = current_object(kind, tenant, cur);
    let state = State {
        objects: vec![current],
        ref_names,
        ..State::default()
    };
    let want = ObjectSet {
        objects: vec![AviObject {
            kind,
            name: name.to_string(),
            tenant: tenant.to_string(),
            sources: BTreeSet::new(),
            body: desired.clone(),
        }],
    };
    let p = crate::plan::plan(&want, &state, ps);
    p.conflicts.is_empty() && p.changes.iter().all(|c| c.action == Action::NoOp)
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
    // Every cloud has a VRF context of that name: only the desired cloud's
    // is ours to edit (AKO: `internal/cache/controller_obj_cache.go`
    // `AviObjVrfCachePopulate` reads it with `cloud_ref.name`).
    let cloud = desired
        .get("cloud_ref")
        .and_then(Value::as_str)
        .map(|r| canonical_ref(r, &RefNames::new()))
        .and_then(|r| r.strip_prefix("/api/cloud/?name=").map(String::from));
    let not_found = |why: String| ClientError::Api {
        method: "GET".into(),
        path: format!("/api/vrfcontext?name={name}"),
        status: 404,
        message: format!(
            "VrfContext object not found{why}; AKO never creates a VRF context, neither does akoctl"
        ),
    };
    let uuid = match uuid {
        Some(u) => u.to_string(),
        None => {
            let mut query = vec![("name", name)];
            if let Some(c) = &cloud {
                query.push(("cloud_ref.name", c.as_str()));
            }
            let found = client.list("vrfcontext", &query, tenant).await?;
            match found
                .first()
                .and_then(|v| v.get("uuid"))
                .and_then(Value::as_str)
            {
                Some(u) => u.to_string(),
                None => {
                    return Err(not_found(
                        cloud
                            .as_deref()
                            .map(|c| format!(" in cloud {c:?}"))
                            .unwrap_or_default(),
                    ));
                }
            }
        }
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
        if let (Some(want), Some(have)) = (&cloud, cloud_name_of(&cur))
            && *want != have
        {
            return Err(not_found(format!(
                " in cloud {want:?} (uuid {uuid} is the VRF context of cloud {have:?})"
            )));
        }
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

/// The cloud name of an object read from the controller (`cloud_ref` as
/// `…/api/cloud/<uuid>#<name>` or by name).
fn cloud_name_of(v: &Value) -> Option<String> {
    let r = v.get("cloud_ref")?.as_str()?;
    canonical_ref(r, &RefNames::new())
        .strip_prefix("/api/cloud/?name=")
        .map(String::from)
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
            interrupted: None,
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
