//! Which steps wait for which (controller-API notes §5.4 "What `akoctl apply`
//! should do"): a create or update waits for the creates and updates of every
//! object its body refers to (children before the objects that refer to
//! them); deletes run after every create and update, and a delete waits for
//! the deletes of the objects that still refer to it (the reverse order).
//! Pure and deterministic.

use std::collections::HashMap;

use serde_json::Value;

use crate::model::{AviType, ObjectSet};
use crate::plan::normalize::{canonical_ref, percent_decode};
use crate::plan::{Action, Change, Plan};

/// One write to perform.
#[derive(Clone, Debug)]
pub struct Step {
    pub change: Change,
    /// The body to send (creates and updates), with real secrets. Never
    /// printed.
    pub body: Option<Value>,
    /// Indexes of the steps that must be done first.
    pub deps: Vec<usize>,
    /// Dependency level: 0 for steps that wait for nothing.
    pub level: usize,
}

impl Step {
    pub fn address(&self) -> String {
        self.change.address()
    }
}

/// The `(type, name)` pairs a body refers to, from every `*_ref` string and
/// `*_refs` list at any depth, in the canonical `/api/<type>/?name=<name>`
/// spelling.
pub fn referenced(body: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(body, &mut |s| {
        let c = canonical_ref(s, &HashMap::new());
        if let Some(rest) = c.strip_prefix("/api/")
            && let Some((kind, name)) = rest.split_once("/?name=")
        {
            // A qualifier such as `&tenant=` is not part of the name.
            let name = name.split('&').next().unwrap_or(name);
            out.push((kind.to_string(), percent_decode(name)));
        }
    });
    out.sort();
    out.dedup();
    out
}

fn walk(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if k.ends_with("_ref") && !s.is_empty() => f(s),
                    Value::Array(a) if k.ends_with("_refs") => {
                        a.iter().filter_map(Value::as_str).for_each(&mut *f)
                    }
                    _ => walk(x, f),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
        _ => {}
    }
}

/// The steps of a plan (no-ops left out), with their dependencies. `desired`
/// supplies the bodies to send (the plan holds secret-free views only).
pub fn schedule(plan: &Plan, desired: &ObjectSet) -> Vec<Step> {
    let bodies: HashMap<(AviType, &str, &str), &Value> = desired
        .objects
        .iter()
        .map(|o| ((o.kind, o.tenant.as_str(), o.name.as_str()), &o.body))
        .collect();
    let mut steps: Vec<Step> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| Step {
            change: c.clone(),
            body: match c.action {
                Action::Create | Action::Update => bodies
                    .get(&(c.kind, c.tenant.as_str(), c.name.as_str()))
                    .map(|b| (*b).clone()),
                _ => None,
            },
            deps: Vec::new(),
            level: 0,
        })
        .collect();
    // Index of writes (creates/updates) and of deletes by (type, tenant, name).
    let mut writes: HashMap<(String, String, String), usize> = HashMap::new();
    let mut deletes: HashMap<(String, String, String), usize> = HashMap::new();
    for (i, s) in steps.iter().enumerate() {
        let key = (
            s.change.kind.as_str().to_string(),
            s.change.tenant.clone(),
            s.change.name.clone(),
        );
        if s.change.action == Action::Destroy {
            deletes.insert(key, i);
        } else {
            writes.insert(key, i);
        }
    }
    let lookup =
        |idx: &HashMap<(String, String, String), usize>, kind: &str, tenant: &str, name: &str| {
            idx.get(&(kind.to_string(), tenant.to_string(), name.to_string()))
                .or_else(|| idx.get(&(kind.to_string(), "admin".to_string(), name.to_string())))
                .copied()
        };
    let all_writes: Vec<usize> = {
        let mut v: Vec<usize> = writes.values().copied().collect();
        v.sort_unstable();
        v
    };
    for i in 0..steps.len() {
        let c = &steps[i].change;
        let mut deps = Vec::new();
        match c.action {
            Action::Create | Action::Update => {
                let body = steps[i].body.as_ref().or(c.after.as_ref());
                for (kind, name) in body.map(referenced).unwrap_or_default() {
                    if let Some(j) = lookup(&writes, &kind, &c.tenant, &name)
                        && j != i
                    {
                        deps.push(j);
                    }
                }
            }
            Action::Destroy => {
                deps.extend(all_writes.iter().copied());
                // Every object being deleted that refers to this one goes first.
                let me = (c.kind.as_str(), c.tenant.as_str(), c.name.as_str());
                for (j, o) in steps.iter().enumerate() {
                    if j == i || o.change.action != Action::Destroy {
                        continue;
                    }
                    let refers = o.change.before.as_ref().is_some_and(|b| {
                        referenced(b).iter().any(|(k, n)| {
                            k == me.0 && n == me.2 && (o.change.tenant == me.1 || me.1 == "admin")
                        })
                    });
                    if refers {
                        deps.push(j);
                    }
                }
            }
            Action::NoOp => {}
        }
        deps.sort_unstable();
        deps.dedup();
        steps[i].deps = deps;
    }
    break_cycles(&mut steps);
    levels(&mut steps);
    steps
}

/// Refs between Avi objects do not form cycles; should a malformed input
/// produce one, the edges that close it are dropped and plan order decides.
fn break_cycles(steps: &mut [Step]) {
    // Keep only edges to earlier-ranked steps when a cycle exists: Kahn's
    // algorithm finds the steps left over.
    let n = steps.len();
    let mut indeg: Vec<usize> = steps.iter().map(|s| s.deps.len()).collect();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, s) in steps.iter().enumerate() {
        for &d in &s.deps {
            users[d].push(i);
        }
    }
    let mut queue: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut seen = 0;
    while let Some(i) = queue.pop() {
        seen += 1;
        for &u in &users[i] {
            indeg[u] -= 1;
            if indeg[u] == 0 {
                queue.push(u);
            }
        }
    }
    if seen == n {
        return;
    }
    for (i, s) in steps.iter_mut().enumerate() {
        if indeg[i] > 0 {
            s.deps.retain(|&d| d < i);
        }
    }
}

fn levels(steps: &mut [Step]) {
    // deps only point backwards after break_cycles? Not necessarily; iterate
    // to a fixed point (bounded by the number of steps).
    let n = steps.len();
    for _ in 0..=n {
        let mut changed = false;
        for i in 0..n {
            let l = steps[i]
                .deps
                .iter()
                .map(|&d| steps[d].level + 1)
                .max()
                .unwrap_or(0);
            if l != steps[i].level {
                steps[i].level = l.min(n);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AviObject;
    use serde_json::json;
    use std::collections::BTreeSet;

    fn change(kind: AviType, name: &str, action: Action, before: Option<Value>) -> Change {
        Change {
            kind,
            tenant: "admin".into(),
            name: name.into(),
            action,
            sources: BTreeSet::new(),
            before,
            after: None,
            fields: Vec::new(),
            sensitive: Vec::new(),
            uuid: None,
            last_modified: None,
            reason: None,
        }
    }

    fn obj(kind: AviType, name: &str, body: Value) -> AviObject {
        AviObject {
            kind,
            name: name.into(),
            tenant: "admin".into(),
            sources: BTreeSet::new(),
            body,
        }
    }

    #[test]
    fn refs_are_found_at_any_depth_in_both_spellings() {
        let b = json!({"pool_group_ref": "/api/poolgroup?name=pg",
            "members": [{"pool_ref": "https://h/api/pool/pool-1#p%20x"}],
            "ssl_key_and_certificate_refs": ["/api/sslkeyandcertificate/?name=c"],
            "error_page_profile_ref": ""});
        let r = referenced(&b);
        assert!(r.contains(&("poolgroup".into(), "pg".into())));
        assert!(r.contains(&("sslkeyandcertificate".into(), "c".into())));
        assert_eq!(r.len(), 3, "{r:?}");
    }

    #[test]
    fn creates_wait_for_what_they_refer_to_and_deletes_run_in_reverse() {
        let plan = Plan {
            changes: vec![
                change(AviType::Pool, "p", Action::Create, None),
                change(AviType::Poolgroup, "pg", Action::Create, None),
                change(AviType::Virtualservice, "vs", Action::Update, None),
                change(AviType::Pool, "old-p", Action::Destroy, Some(json!({}))),
                change(
                    AviType::Poolgroup,
                    "old-pg",
                    Action::Destroy,
                    Some(json!({"members": [{"pool_ref": "/api/pool/?name=old-p"}]})),
                ),
                change(AviType::Pool, "same", Action::NoOp, None),
            ],
            conflicts: Vec::new(),
        };
        let desired = ObjectSet {
            objects: vec![
                obj(AviType::Pool, "p", json!({"name": "p"})),
                obj(
                    AviType::Poolgroup,
                    "pg",
                    json!({"members": [{"pool_ref": "/api/pool/?name=p"}, {"pool_ref": "/api/pool/?name=same"}]}),
                ),
                obj(
                    AviType::Virtualservice,
                    "vs",
                    json!({"pool_group_ref": "/api/poolgroup/?name=pg"}),
                ),
            ],
        };
        let s = schedule(&plan, &desired);
        let idx = |n: &str| s.iter().position(|x| x.change.name == n).unwrap();
        assert_eq!(s.len(), 5, "no-ops are not steps");
        assert_eq!(s[idx("pg")].deps, vec![idx("p")]);
        assert_eq!(s[idx("vs")].deps, vec![idx("pg")]);
        assert_eq!(s[idx("p")].level, 0);
        assert_eq!(s[idx("vs")].level, 2);
        // The old pool waits for the old pool group, which waits for all writes.
        assert!(s[idx("old-p")].deps.contains(&idx("old-pg")));
        assert!(s[idx("old-pg")].deps.contains(&idx("vs")));
        assert!(s[idx("old-p")].level > s[idx("old-pg")].level);
    }
}
