//! `plan(desired, current, settings) -> Plan`: what `akoctl apply` would do.
//! Pure and deterministic; one pass over hash maps (no quadratic step).
//!
//! Rules (controller-API notes §2.6, §2.7, §3.8):
//! - objects are keyed by (type, tenant, name);
//! - only objects this cluster's AKO owns are updated or destroyed; an object
//!   with a desired name that someone else owns is a conflict, never adopted;
//! - the VRF is never created or destroyed by AKO: only its static routes
//!   labelled `clustername=<cluster>` are compared, in the VRF context of
//!   the configured cloud; a missing one is a conflict, never a create;
//! - fields compare after normalisation ([`normalize`]).

pub mod managed;
pub mod normalize;
pub mod planfile;
pub mod render;
pub mod state;

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{AviObject, AviType, ObjectSet};
use crate::settings::Settings;
use normalize::{IGNORED_FIELDS, RefNames, SECRET_FIELDS, SERVER_DEFAULTED, canon, project};
pub use state::{CurrentObject, State, StateOrigin};

/// What the plan needs to know about the AKO instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanSettings {
    pub cluster_name: String,
    /// `created_by` of this AKO (`ako-<cluster>` or `ako-<cluster>-<namespace>`).
    pub created_by: String,
    /// `created_by` of the Gateway API container running next to it
    /// (`featureGates.GatewayAPI`), whose objects are this AKO's too.
    pub gateway_created_by: Option<String>,
}

impl PlanSettings {
    pub fn from_settings(s: &Settings) -> PlanSettings {
        PlanSettings {
            cluster_name: s.cluster_name.clone(),
            created_by: s.created_by(),
            gateway_created_by: s
                .gateway_api
                .then(|| crate::compile::gateway::created_by(s)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Create,
    Update,
    Destroy,
    NoOp,
}

impl Action {
    /// terraform's `actions` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Destroy => "delete",
            Action::NoOp => "no-op",
        }
    }
}

/// One top-level field that differs. `None` = absent on that side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldDiff {
    pub field: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// A secret: values are never shown, only that it changes.
    pub sensitive: bool,
}

/// One object's planned change. `before` and `after` are normalised bodies
/// with secrets removed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    #[serde(rename = "type")]
    pub kind: AviType,
    pub tenant: String,
    pub name: String,
    pub action: Action,
    pub sources: BTreeSet<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// Differing fields (updates only).
    pub fields: Vec<FieldDiff>,
    /// Secret fields the desired body sets (shown as "(sensitive value)").
    pub sensitive: Vec<String>,
    /// Controller identity of the current object, for `apply` staleness checks.
    pub uuid: Option<String>,
    pub last_modified: Option<String>,
    /// Why: e.g. "no Kubernetes object produces it any more".
    pub reason: Option<String>,
}

impl Change {
    /// `type/tenant/name`.
    pub fn address(&self) -> String {
        format!("{}/{}/{}", self.kind, self.tenant, self.name)
    }
}

/// A desired object whose name is taken by an object this AKO does not own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    #[serde(rename = "type")]
    pub kind: AviType,
    pub tenant: String,
    pub name: String,
    /// The current owner's `created_by` (or `None`).
    pub owner: Option<String>,
    pub message: String,
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub add: usize,
    pub change: usize,
    pub destroy: usize,
}

/// The plan: changes in apply order (creates and updates in dependency order,
/// then destroys in reverse dependency order), no-ops included.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub conflicts: Vec<Conflict>,
}

impl Plan {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for c in &self.changes {
            match c.action {
                Action::Create => s.add += 1,
                Action::Update => s.change += 1,
                Action::Destroy => s.destroy += 1,
                Action::NoOp => {}
            }
        }
        s
    }

    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| c.action != Action::NoOp)
    }

    /// A plan with conflicts cannot be applied.
    pub fn applyable(&self) -> bool {
        self.conflicts.is_empty()
    }
}

type Key<'a> = (AviType, &'a str, &'a str);

/// Compute the plan. Pure, deterministic, O(n) in the number of objects plus
/// the sort of the result.
pub fn plan(desired: &ObjectSet, current: &State, settings: &PlanSettings) -> Plan {
    let names = &current.ref_names;
    let by_key: HashMap<Key, &CurrentObject> = current
        .objects
        .iter()
        .map(|o| ((o.kind, o.tenant.as_str(), o.name.as_str()), o))
        .collect();
    let mut out = Plan::default();
    let mut desired_keys: HashMap<Key, ()> = HashMap::with_capacity(desired.objects.len());
    let mut ordered: Vec<&AviObject> = desired.objects.iter().collect();
    ordered.sort_by(|a, b| {
        (a.apply_rank(), &a.name, &a.tenant).cmp(&(b.apply_rank(), &b.name, &b.tenant))
    });
    for d in ordered {
        let key = (d.kind, d.tenant.as_str(), d.name.as_str());
        desired_keys.insert(key, ());
        let after = clean(d.kind, &d.body, names, settings);
        let sensitive = secrets_set(d.kind, &d.body);
        let found = by_key
            .get(&key)
            .filter(|c| d.kind != AviType::Vrfcontext || same_cloud(&d.body, &c.body, names));
        if d.kind == AviType::Vrfcontext && found.is_none() && current.origin != StateOrigin::Empty
        {
            out.conflicts.push(missing_vrf(d));
            continue;
        }
        let Some(c) = found else {
            out.changes.push(Change {
                kind: d.kind,
                tenant: d.tenant.clone(),
                name: d.name.clone(),
                action: Action::Create,
                sources: d.sources.clone(),
                before: None,
                after: Some(after),
                fields: Vec::new(),
                sensitive,
                uuid: None,
                last_modified: None,
                reason: None,
            });
            continue;
        };
        if d.kind != AviType::Vrfcontext
            && let Err(owner) = owned(c, settings)
        {
            out.conflicts.push(Conflict {
                kind: d.kind,
                tenant: d.tenant.clone(),
                name: d.name.clone(),
                message: match &owner {
                    Some(o) => format!(
                        "{} exists but belongs to {o:?}, not {:?}; akoctl will not take it over",
                        key_text(key),
                        settings.created_by
                    ),
                    None => format!(
                        "{} exists but was not created by {:?}; akoctl will not take it over",
                        key_text(key),
                        settings.created_by
                    ),
                },
                owner,
            });
            continue;
        }
        let cur = clean(c.kind, &c.body, names, settings);
        let (before, fields) = compare(d.kind, &after, &cur);
        let mut fields = fields;
        if d.kind == AviType::Sslkeyandcertificate
            && fields.iter().any(|f| f.field == "certificate")
            && !sensitive.is_empty()
        {
            // The key is unreadable; it changes together with the certificate.
            for s in &sensitive {
                fields.push(FieldDiff {
                    field: s.clone(),
                    before: None,
                    after: None,
                    sensitive: true,
                });
            }
            fields.sort_by(|a, b| a.field.cmp(&b.field));
        }
        out.changes.push(Change {
            kind: d.kind,
            tenant: d.tenant.clone(),
            name: d.name.clone(),
            action: if fields.is_empty() {
                Action::NoOp
            } else {
                Action::Update
            },
            sources: d.sources.clone(),
            before: Some(before),
            after: Some(after),
            fields,
            sensitive,
            uuid: c.uuid.clone(),
            last_modified: c.last_modified.clone(),
            reason: None,
        });
    }
    // Owned objects nobody wants any more, VsVips included: a shard VS that
    // no longer exists leaves no VsVip behind, so that the controller ends
    // as a fresh apply of the same input leaves it and the IPAM address is
    // released. (AKO itself keeps a shard VsVip, trimmed to its default
    // FQDN: `internal/rest/dequeue_nodes.go` `VSVipDelete` and
    // `internal/cache/controller_obj_cache.go` `DeleteUnmarked` with
    // `lib.IsShardVS`.)
    let mut gone: Vec<&CurrentObject> = current
        .objects
        .iter()
        .filter(|c| !desired_keys.contains_key(&(c.kind, c.tenant.as_str(), c.name.as_str())))
        .filter(|c| c.kind != AviType::Vrfcontext && owned(c, settings).is_ok())
        .collect();
    gone.sort_by(|a, b| {
        (destroy_rank(b), &a.name, &a.tenant).cmp(&(destroy_rank(a), &b.name, &b.tenant))
    });
    for c in gone {
        let before = managed_view(c.kind, &clean(c.kind, &c.body, names, settings));
        out.changes.push(Change {
            kind: c.kind,
            tenant: c.tenant.clone(),
            name: c.name.clone(),
            action: Action::Destroy,
            sources: BTreeSet::new(),
            before: Some(before),
            after: None,
            fields: Vec::new(),
            sensitive: Vec::new(),
            uuid: c.uuid.clone(),
            last_modified: c.last_modified.clone(),
            reason: Some(format!(
                "no Kubernetes object produces it any more; created_by = {:?}",
                settings.created_by
            )),
        });
    }
    out.conflicts
        .sort_by(|a, b| (a.kind, &a.tenant, &a.name).cmp(&(b.kind, &b.tenant, &b.name)));
    out
}

/// Whether a current VRF context is in the cloud of the desired one (every
/// cloud has its own `global`; AKO reads and writes only its cloud's:
/// `internal/cache/controller_obj_cache.go` `AviObjVrfCachePopulate`
/// filters by `cloud_ref.name`). A side without `cloud_ref` does not decide.
fn same_cloud(desired: &Value, current: &Value, names: &RefNames) -> bool {
    let cloud = |b: &Value| {
        b.get("cloud_ref")
            .and_then(Value::as_str)
            .filter(|r| !r.is_empty())
            .map(|r| normalize::canonical_ref(r, names))
    };
    match (cloud(desired), cloud(current)) {
        (Some(d), Some(c)) => d == c,
        _ => true,
    }
}

/// The desired VRF context does not exist in the configured cloud. AKO never
/// creates one: without it in its cache AKO syncs no static routes
/// (`internal/rest/dequeue_nodes.go` `vrfCU`), so planning stops here
/// instead of creating a VRF context or writing to another cloud's.
fn missing_vrf(d: &AviObject) -> Conflict {
    let cloud = d
        .body
        .get("cloud_ref")
        .and_then(Value::as_str)
        .map(|r| normalize::canonical_ref(r, &RefNames::new()))
        .and_then(|r| r.strip_prefix("/api/cloud/?name=").map(String::from))
        .unwrap_or_else(|| "(no cloud_ref)".into());
    Conflict {
        kind: d.kind,
        tenant: d.tenant.clone(),
        name: d.name.clone(),
        owner: None,
        message: format!(
            "{}/{}/{}: the controller has no VRF context {:?} in cloud {cloud:?}; AKO never creates a VRF context (it syncs no static routes without one), so akoctl will not either; check ControllerSettings.cloudName and NetworkSettings.vrfName",
            d.kind, d.tenant, d.name, d.name
        ),
    }
}

fn key_text(k: Key) -> String {
    format!("{}/{}/{}", k.0, k.1, k.2)
}

/// Destroy order: child VSes first, then parents, then the rest in reverse
/// apply order (controller-API notes §5.2).
fn destroy_rank(c: &CurrentObject) -> (AviType, u8) {
    let child = c.kind == AviType::Virtualservice
        && c.body
            .get("vh_parent_vs_ref")
            .is_some_and(|v| !normalize::is_empty(v));
    (c.kind, child as u8)
}

/// Whether this AKO owns `c`. `Err(owner)` names the `created_by` found.
///
/// - types with `created_by`: it must equal this AKO's exactly (a prefix match
///   would take another cluster's objects: `ako-c` is a prefix of `ako-c2`);
///   AKO: `internal/cache/controller_obj_cache.go` populates with
///   `created_by=<AKOUser>`; `internal/lib/lib.go` `SetAKOUser`;
/// - VsVip has no `created_by`: the `clustername` marker decides, or, for
///   objects without markers (AKO before 1.5.1), the `<cluster>--` name prefix
///   AKO itself uses (`AviPopulateAllVSVips`);
/// - StringGroup: the `created_by` marker (`AviPopulateAllStringGroups`);
/// - ApplicationPersistenceProfile (gateway container only): the
///   `ako-gw-<cluster>--` name prefix and the `clustername` marker;
/// - with `featureGates.GatewayAPI`, the gateway container's `created_by`
///   (`ako-gw-<cluster>-<namespace>`) counts as this AKO's as well;
/// - a `clustername` marker naming another cluster always means not ours.
pub fn owned(c: &CurrentObject, s: &PlanSettings) -> Result<(), Option<String>> {
    let marker = |key: &str| -> Option<Vec<String>> {
        c.body.get("markers")?.as_array()?.iter().find_map(|m| {
            (m.get("key")?.as_str()? == key).then(|| {
                m.get("values")
                    .and_then(Value::as_array)
                    .map(|v| {
                        v.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            })
        })
    };
    let mine = |cb: &str| cb == s.created_by || s.gateway_created_by.as_deref() == Some(cb);
    let cluster_ok = match marker("clustername") {
        Some(v) => v.len() == 1 && v[0] == s.cluster_name,
        None => true,
    };
    match c.kind {
        AviType::Vrfcontext => Err(None),
        AviType::Vsvip => {
            let by_marker = marker("clustername").is_some();
            if (by_marker && cluster_ok)
                || (!by_marker && c.name.starts_with(&format!("{}--", s.cluster_name)))
            {
                Ok(())
            } else {
                Err(marker("clustername").map(|v| format!("clustername={}", v.join(","))))
            }
        }
        // No `created_by`: AKO reads its profiles back by name prefix
        // (`internal/cache/controller_obj_cache.go`, `name.contains=` the
        // gateway container's prefix); the `clustername` marker must agree.
        AviType::Applicationpersistenceprofile => {
            let prefix = format!("ako-gw-{}--", s.cluster_name);
            if s.gateway_created_by.is_some() && c.name.starts_with(&prefix) && cluster_ok {
                Ok(())
            } else {
                Err(marker("clustername").map(|v| format!("clustername={}", v.join(","))))
            }
        }
        AviType::Stringgroup => match marker("created_by") {
            Some(v) if v.len() == 1 && mine(&v[0]) && cluster_ok => Ok(()),
            Some(v) => Err(Some(v.join(","))),
            None => Err(None),
        },
        _ => match c.body.get("created_by").and_then(Value::as_str) {
            Some(cb) if mine(cb) && cluster_ok => Ok(()),
            Some(cb) if mine(cb) => {
                Err(marker("clustername").map(|v| format!("clustername={}", v.join(","))))
            }
            Some(cb) => Err(Some(cb.to_string())),
            None => Err(None),
        },
    }
}

/// The secret fields a desired body sets.
fn secrets_set(kind: AviType, body: &Value) -> Vec<String> {
    if kind != AviType::Sslkeyandcertificate {
        return Vec::new();
    }
    SECRET_FIELDS
        .iter()
        .filter(|k| body.get(**k).is_some_and(|v| !normalize::is_empty(v)))
        .map(|k| k.to_string())
        .collect()
}

/// Canonical body without ignored and secret fields. For the VRF only this
/// cluster's static routes (label `clustername=<cluster>`) remain: AKO edits
/// nothing else of it (`internal/rest/avi_obj_vrf.go` `AviVrfBuild`).
fn clean(kind: AviType, body: &Value, names: &RefNames, s: &PlanSettings) -> Value {
    let mut v = canon(body, "", names);
    normalize::strip_secrets(&mut v);
    if let Value::Object(m) = &mut v {
        for k in IGNORED_FIELDS {
            m.remove(*k);
        }
        if kind == AviType::Vrfcontext {
            let routes: Vec<Value> = m
                .get("static_routes")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter(|r| route_is_ours(r, &s.cluster_name))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let mut only = Map::new();
            only.insert("static_routes".into(), Value::Array(routes));
            *m = only;
        }
    }
    v
}

fn route_is_ours(r: &Value, cluster: &str) -> bool {
    r.get("labels").and_then(Value::as_array).is_some_and(|ls| {
        ls.iter().any(|l| {
            l.get("key").and_then(Value::as_str) == Some("clustername")
                && l.get("value").and_then(Value::as_str) == Some(cluster)
        })
    })
}

/// Only the fields AKO writes (for showing what a destroy removes).
fn managed_view(kind: AviType, v: &Value) -> Value {
    let Value::Object(m) = v else {
        return v.clone();
    };
    let fields = managed::fields(kind);
    Value::Object(
        m.iter()
            .filter(|(k, _)| fields.iter().any(|(f, _)| f == k))
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect(),
    )
}

/// Compare a desired (canonical) body with a current (canonical) one. Returns
/// the current body as the plan shows it (projected onto the desired shape,
/// plus AKO-written fields the desired body no longer sets) and the differing
/// top-level fields.
fn compare(kind: AviType, after: &Value, cur: &Value) -> (Value, Vec<FieldDiff>) {
    let mut before = project(after, cur, "");
    if let (Value::Object(b), Value::Object(c), Value::Object(a)) = (&mut before, cur, after) {
        for (field, default) in managed::fields(kind) {
            if a.contains_key(*field)
                || SERVER_DEFAULTED.contains(field)
                || SECRET_FIELDS.contains(field)
            {
                continue;
            }
            if let Some(cv) = c.get(*field)
                && !default.matches(cv)
            {
                b.insert(field.to_string(), cv.clone());
            }
        }
    }
    let mut fields = Vec::new();
    if let (Value::Object(b), Value::Object(a)) = (&before, after) {
        let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
        for k in keys {
            let (bv, av) = (b.get(k), a.get(k));
            let same = match (bv, av) {
                (Some(x), Some(y)) => x == y,
                (Some(x), None) | (None, Some(x)) => normalize::is_empty(x),
                (None, None) => true,
            };
            if !same {
                fields.push(FieldDiff {
                    field: k.clone(),
                    before: bv.cloned(),
                    after: av.cloned(),
                    sensitive: false,
                });
            }
        }
    }
    (before, fields)
}

#[cfg(test)]
mod tests;
