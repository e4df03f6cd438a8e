//! The HTTP API as a plain function: routing, lists with filters and
//! pages, create, replace, patch and delete.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{auth::*, faults::*, seed, store::*, versions, wire::*};

/// The whole controller: one request in, one reply out.
pub fn handle(store: &mut Store, req: &Req) -> Reply {
    let (raw_path, raw_query) = req
        .target
        .split_once('?')
        .unwrap_or((req.target.as_str(), ""));
    // Collapse `//` and drop a trailing `/` (both optional on a real controller).
    let segs: Vec<&str> = raw_path.split('/').filter(|s| !s.is_empty()).collect();
    let path = format!("/{}", segs.join("/"));
    let query = parse_query(raw_query);
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let tenant = req
        .header("x-avi-tenant")
        .or(q("tenant"))
        .unwrap_or("admin")
        .to_string();
    let r = route(store, req, &path, &segs, &query, &tenant);
    store.log.push(LogEntry {
        method: req.method.clone(),
        path: path.clone(),
        tenant,
        status: r.status,
    });
    r
}

pub(super) fn route(
    store: &mut Store,
    req: &Req,
    path: &str,
    segs: &[&str],
    query: &[(String, String)],
    tenant: &str,
) -> Reply {
    let host = req.header("host").unwrap_or("127.0.0.1");
    let base = format!(
        "{}://{host}",
        if req.scheme.is_empty() {
            "http"
        } else {
            &req.scheme
        }
    );
    let method = req.method.as_str();
    if path == "/login" && method == "POST" {
        return login(store, req);
    }
    if path == "/api/initial-data" && method == "GET" {
        return reply(
            200,
            json!({"version": {"Version": store.config.version, "min_version": "18.2.6"}}),
        );
    }
    if segs.first() != Some(&"api") && path != "/logout" {
        return error(404, "Not found");
    }
    let sid = match check_session(store, req) {
        Ok(sid) => sid,
        Err(r) => return r,
    };
    if path == "/logout" {
        return logout(store, sid);
    }
    let (n, after) = match strike_before(store) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let r = serve_api(store, req, query, tenant, segs, &base);
    strike_after(r, n, after)
}

/// An authenticated API request, after session checks and scripted faults.
pub(super) fn serve_api(
    store: &mut Store,
    req: &Req,
    query: &[(String, String)],
    tenant: &str,
    segs: &[&str],
    base: &str,
) -> Reply {
    let method = req.method.as_str();
    if method != "GET" {
        store.faults.writes += 1;
        let n = store.faults.writes;
        if let Some(&(_, status)) = store.faults.fail_write.iter().find(|(w, _)| *w == n) {
            return error(status, &format!("injected fault on write {n}"));
        }
    }
    if store.faults.error_rate > 0.0 && store.faults.next_random() < store.faults.error_rate {
        return error(503, "injected fault: controller busy");
    }
    match req.header("x-avi-version") {
        None if store.config.require_version => {
            return error(400, "X-Avi-Version header is required");
        }
        Some(v) if crate::client::version_cmp(v, &store.config.version).is_gt() => {
            return error(
                400,
                &format!(
                    "API version {v} is newer than the controller's ({})",
                    store.config.version
                ),
            );
        }
        _ => {}
    }
    if let (Some(v), "POST" | "PUT" | "PATCH") = (req.header("x-avi-version"), method)
        && let Ok(body) = serde_json::from_slice::<Value>(&req.body)
    {
        let kind = segs.get(1).copied().unwrap_or("");
        let parts: Vec<&Value> = if method == "PATCH" {
            body.as_object()
                .map(|m| m.values().collect())
                .unwrap_or_default()
        } else {
            vec![&body]
        };
        if let Some(m) = parts.iter().find_map(|b| versions::check(kind, b, v)) {
            return error(400, &m);
        }
    }
    if tenant == "*" && method != "GET" {
        return error(403, "Tenant '*' is only valid for reads");
    }
    if tenant != "*" && !store.tenant_exists(tenant) {
        return error(403, &format!("Tenant '{tenant}' does not exist!"));
    }
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let include_name = query
        .iter()
        .any(|(k, v)| k == "include_name" && v != "false");
    let kind = segs.get(1).copied().unwrap_or("");
    match (method, kind, segs.get(2)) {
        ("GET", "systemconfiguration", None) => reply(
            200,
            json!({"default_license_tier": store.config.license_tier, "portal_configuration": {"allow_basic_authentication": false}}),
        ),
        ("GET", "ipamdnsproviderprofiledomainlist", None) => {
            let cloud = q("cloud_uuid").unwrap_or("");
            if !store
                .objects
                .iter()
                .any(|o| o.kind == "cloud" && o.uuid == cloud)
            {
                return error(400, "Ipam Type invalid or configuration not found in Avi");
            }
            let domains = seed::cloud_domains(store, cloud)
                .unwrap_or_else(|| store.config.dns_domains.clone());
            reply(200, json!({ "domains": domains }))
        }
        ("GET", _, None) => {
            store.index_refs();
            list(store, kind, query, tenant, base, include_name)
        }
        ("GET", _, Some(uuid)) => match store
            .objects
            .iter()
            .find(|o| o.kind == kind && o.uuid == *uuid && visible(o, tenant))
        {
            Some(o) => reply(200, store.render(o, base, include_name)),
            None => error(404, &format!("{} object not found!", model(kind))),
        },
        ("POST", _, None) => committed(store, |s| create(s, kind, tenant, &req.body, base, true)),
        ("PUT", _, Some(uuid)) => {
            committed(store, |s| replace(s, kind, uuid, tenant, &req.body, base))
        }
        ("PATCH", _, Some(uuid)) => {
            committed(store, |s| patch(s, kind, uuid, tenant, &req.body, base))
        }
        ("DELETE", _, Some(uuid)) => committed(store, |s| delete(s, kind, uuid, tenant)),
        _ => error(405, "Method not allowed"),
    }
}

/// Run a write; mark the store dirty when it succeeded, and replace the
/// answer with an injected post-commit fault if one is queued.
pub(super) fn committed(store: &mut Store, f: impl FnOnce(&mut Store) -> Reply) -> Reply {
    let r = f(store);
    if (200..300).contains(&r.status) {
        store.dirty = true;
        if let Some(status) = store.fail_after_commit.pop_front() {
            return error(status, "injected fault after the write took effect");
        }
    }
    r
}

pub(super) fn visible(o: &Stored, tenant: &str) -> bool {
    tenant == "*"
        || o.tenant == tenant
        || (o.tenant == "admin" && SHARED_KINDS.contains(&o.kind.as_str()))
}

pub(super) fn marker_has(o: &Stored, key: &str, value: &str) -> bool {
    o.body
        .get("markers")
        .and_then(Value::as_array)
        .is_some_and(|ms| {
            ms.iter().any(|m| {
                m.get("key").and_then(Value::as_str) == Some(key)
                    && m.get("values")
                        .and_then(Value::as_array)
                        .is_some_and(|vs| vs.iter().any(|v| v.as_str() == Some(value)))
            })
        })
}

pub(super) fn list(
    store: &mut Store,
    kind: &str,
    query: &[(String, String)],
    tenant: &str,
    base: &str,
    include_name: bool,
) -> Reply {
    let q = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let page: usize = q("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let page_size: usize = match q("page_size") {
        Some(p) => match p.parse::<usize>() {
            Ok(n) if (1..=200).contains(&n) => n,
            _ => return error(400, "page_size must be between 1 and 200"),
        },
        None => store.config.default_page_size,
    };
    let cloud_ref = q("cloud_ref.name").map(|c| format!("/api/cloud/?name={c}"));
    let (name, contains, created_by) = (q("name"), q("name.contains"), q("created_by"));
    let icontains = q("name.icontains").map(str::to_lowercase);
    let label = q("label_key").zip(q("label_value"));
    let question = {
        let mut filters: Vec<&(String, String)> = query
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "page" | "page_size" | "include_name"))
            .collect();
        filters.sort();
        format!("{kind}\n{tenant}\n{filters:?}")
    };
    let stamp = store.stamp();
    let known = store
        .ref_index
        .as_ref()
        .filter(|ix| ix.stamp == stamp)
        .and_then(|ix| ix.matched.get(&question).cloned());
    let matches: Vec<usize> = if let Some(m) = known {
        m
    } else {
        // With the index: only this type's objects, clouds already canonical.
        let index = store
            .ref_index
            .as_ref()
            .filter(|i| i.stamp == store.stamp());
        let positions: Box<dyn Iterator<Item = usize>> = match index {
            Some(i) => Box::new(i.by_kind.get(kind).into_iter().flatten().copied()),
            None => Box::new(0..store.objects.len()),
        };
        positions
            .filter(|&i| {
                cloud_ref.as_ref().is_none_or(|c| match index {
                    Some(ix) => ix.clouds.get(i) == Some(c),
                    None => store
                        .objects
                        .get(i)
                        .is_some_and(|o| cloud_of(&o.body) == *c),
                })
            })
            .filter(|&i| {
                store.objects.get(i).is_some_and(|o| {
                    o.kind == kind
                        && visible(o, tenant)
                        && name.is_none_or(|n| o.name == n)
                        && contains.is_none_or(|n| o.name.contains(n))
                        && icontains
                            .as_ref()
                            .is_none_or(|n| o.name.to_lowercase().contains(n.as_str()))
                        && created_by.is_none_or(|c| {
                            o.body.get("created_by").and_then(Value::as_str) == Some(c)
                        })
                        && label.is_none_or(|(k, v)| marker_has(o, k, v))
                })
            })
            .collect()
    };
    if let Some(ix) = store.ref_index.as_mut().filter(|ix| ix.stamp == stamp) {
        ix.matched.insert(question, matches.clone());
    }
    let count = matches.len();
    let start = (page - 1).saturating_mul(page_size);
    let shown: Vec<usize> = matches
        .iter()
        .skip(start)
        .take(page_size)
        .copied()
        .collect();
    // Render what is not cached yet, then the page from the cached texts.
    let cached = |store: &Store, i: usize| {
        store
            .ref_index
            .as_ref()
            .filter(|ix| ix.stamp == store.stamp() && ix.base == base)
            .is_some_and(|ix| ix.rendered.contains_key(&(i, include_name)))
    };
    let fresh: Vec<(usize, String)> = shown
        .iter()
        .filter(|&&i| !cached(store, i))
        .filter_map(|&i| {
            let o = store.objects.get(i)?;
            Some((i, store.render(o, base, include_name).to_string()))
        })
        .collect();
    let mut body = format!("{{\"count\":{count},");
    if start + page_size < count {
        let mut nq: Vec<(String, String)> =
            query.iter().filter(|(k, _)| k != "page").cloned().collect();
        nq.push(("page".into(), (page + 1).to_string()));
        let next = format!("{base}/api/{kind}?{}", encode_query(&nq));
        body.push_str(&format!("\"next\":{},", Value::String(next)));
    }
    body.push_str("\"results\":[");
    let push = |body: &mut String, t: &str| {
        if !body.ends_with('[') {
            body.push(',');
        }
        body.push_str(t);
    };
    match store.ref_index.as_mut().filter(|ix| ix.stamp == stamp) {
        Some(ix) => {
            if ix.base != base {
                ix.rendered.clear();
                ix.base = base.to_string();
            }
            ix.rendered
                .extend(fresh.into_iter().map(|(i, t)| ((i, include_name), t)));
            let size: usize = shown
                .iter()
                .filter_map(|i| ix.rendered.get(&(*i, include_name)))
                .map(|t| t.len() + 1)
                .sum();
            body.reserve(size + 2);
            for i in &shown {
                if let Some(t) = ix.rendered.get(&(*i, include_name)) {
                    push(&mut body, t);
                }
            }
        }
        None => fresh.iter().for_each(|(_, t)| push(&mut body, t)),
    }
    body.push_str("]}");
    Reply {
        status: 200,
        body,
        ..Reply::default()
    }
}

pub(super) fn parse_body(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(error(400, "Invalid JSON body")),
    }
}

pub(super) fn create(
    store: &mut Store,
    kind: &str,
    tenant: &str,
    raw: &[u8],
    base: &str,
    check: bool,
) -> Reply {
    let m = match parse_body(raw) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let Some(name) = m.get("name").and_then(Value::as_str).map(String::from) else {
        return error(400, "Field 'name' is required");
    };
    let mut body = store.refs_by_name(Value::Object(m));
    if check && let Err(r) = check_refs(store, &body, tenant) {
        return r;
    }
    let cloud = cloud_of(&body);
    if store.objects.iter().any(|o| {
        o.kind == kind && o.tenant == tenant && o.name == name && cloud_of(&o.body) == cloud
    }) {
        return error(
            409,
            &format!(
                "{} with this Name, Tenant ref and Cloud ref already exists.",
                model(kind)
            ),
        );
    }
    Store::fill_defaults(kind, &mut body);
    store.allocate_vips(kind, &mut body);
    let uuid = store.next_uuid(kind);
    let last_modified = store.tick();
    let o = Stored {
        kind: kind.into(),
        uuid,
        tenant: tenant.into(),
        name,
        body,
        last_modified,
    };
    let out = store.render(&o, base, true);
    let new_cloud = (kind == "cloud").then(|| o.name.clone());
    store.objects.push(o);
    if let Some(c) = new_cloud {
        store.add_cloud_vrf(&c);
    }
    reply(201, out)
}

pub(super) fn replace(
    store: &mut Store,
    kind: &str,
    uuid: &str,
    tenant: &str,
    raw: &[u8],
    base: &str,
) -> Reply {
    let m = match parse_body(raw) {
        Ok(m) => m,
        Err(r) => return r,
    };
    // A VRF context of `admin` is written from the tenant that uses it (as
    // AKO writes its static routes with its own tenant).
    let Some(idx) = store.objects.iter().position(|o| {
        o.kind == kind
            && o.uuid == uuid
            && (o.tenant == tenant || (kind == "vrfcontext" && visible(o, tenant)))
    }) else {
        return error(404, &format!("{} object not found!", model(kind)));
    };
    if let Some(lm) = m.get("_last_modified").and_then(Value::as_str)
        && lm != store.objects[idx].last_modified.to_string()
    {
        return error(412, &format!("Need to reload object data {}", model(kind)));
    }
    let mut body = store.refs_by_name(Value::Object(m));
    if let Err(r) = check_refs(store, &body, tenant) {
        return r;
    }
    let new_name = body.get("name").and_then(Value::as_str).unwrap_or("");
    let cloud = cloud_of(&body);
    if store.objects.iter().any(|o| {
        o.kind == kind
            && o.uuid != uuid
            && o.tenant == tenant
            && o.name == new_name
            && cloud_of(&o.body) == cloud
    }) {
        return error(
            409,
            &format!(
                "{} with this Name, Tenant ref and Cloud ref already exists.",
                model(kind)
            ),
        );
    }
    if let Value::Object(bm) = &mut body {
        for k in ["uuid", "url", "_last_modified"] {
            bm.remove(k);
        }
    }
    Store::fill_defaults(kind, &mut body);
    store.allocate_vips(kind, &mut body);
    let last_modified = store.tick();
    let o = &mut store.objects[idx];
    o.name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(&o.name)
        .to_string();
    o.body = body;
    o.last_modified = last_modified;
    let o = store.objects[idx].clone();
    reply(200, store.render(&o, base, true))
}

pub(super) fn delete(store: &mut Store, kind: &str, uuid: &str, tenant: &str) -> Reply {
    let Some(idx) = store
        .objects
        .iter()
        .position(|o| o.kind == kind && o.uuid == uuid && o.tenant == tenant)
    else {
        return error(404, &format!("{} object not found!", model(kind)));
    };
    let o = &store.objects[idx];
    if o.name.starts_with("System-")
        || o.body.get("system_default").and_then(Value::as_bool) == Some(true)
        || o.kind == "tenant"
        || (o.kind == "cloud" && o.name == "Default-Cloud")
        || (o.kind == "serviceenginegroup" && o.name == "Default-Group")
    {
        return error(403, "Cannot delete system default object");
    }
    let target = format!("/api/{kind}/?name={}", store.objects[idx].name);
    let mut referrers: BTreeMap<String, ()> = BTreeMap::new();
    for o in &store.objects {
        let mut hit = false;
        let mut b = o.body.clone();
        map_refs(&mut b, &mut |s| {
            if s == target {
                hit = true;
            }
            s.to_string()
        });
        if hit && o.uuid != uuid {
            referrers.insert(format!("'{} {}'", model(&o.kind), o.name), ());
        }
    }
    if !referrers.is_empty() {
        let list: Vec<String> = referrers.into_keys().collect();
        return reply(
            403,
            json!({"error": format!("Cannot delete, object is referred by: [{}]", list.join(", ")), "obj_name": store.objects[idx].name}),
        );
    }
    store.objects.remove(idx);
    Reply {
        status: 204,
        ..Reply::default()
    }
}

/// `PATCH` in the legacy form (controller-API notes §3.3): `add` appends to
/// lists and sets scalars, `replace` sets, `delete` removes matching list
/// entries or resets a scalar. Top-level fields only.
pub(super) fn patch(
    store: &mut Store,
    kind: &str,
    uuid: &str,
    tenant: &str,
    raw: &[u8],
    base: &str,
) -> Reply {
    let m = match parse_body(raw) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let Some(idx) = store
        .objects
        .iter()
        .position(|o| o.kind == kind && o.uuid == uuid && o.tenant == tenant)
    else {
        return error(404, &format!("{} object not found!", model(kind)));
    };
    let mut body = store.objects[idx].body.clone();
    let Value::Object(cur) = &mut body else {
        return error(500, "stored object is not a JSON object");
    };
    for (op, fields) in &m {
        let Value::Object(fields) = store.refs_by_name(fields.clone()) else {
            return error(400, &format!("PATCH {op}: an object of fields is expected"));
        };
        for (k, v) in fields {
            match op.as_str() {
                "add" => match (cur.get_mut(&k), v) {
                    (Some(Value::Array(a)), Value::Array(more)) => a.extend(more),
                    (_, v) => {
                        cur.insert(k, v);
                    }
                },
                "replace" => {
                    cur.insert(k, v);
                }
                "delete" => match (cur.get_mut(&k), v) {
                    (Some(Value::Array(a)), Value::Array(gone)) => {
                        a.retain(|x| !gone.iter().any(|g| subset(g, x)))
                    }
                    _ => {
                        cur.remove(&k);
                    }
                },
                other => return error(400, &format!("Unsupported PATCH operation {other:?}")),
            }
        }
    }
    if let Err(r) = check_refs(store, &body, tenant) {
        return r;
    }
    Store::fill_defaults(kind, &mut body);
    let last_modified = store.tick();
    let o = &mut store.objects[idx];
    o.body = body;
    o.last_modified = last_modified;
    let o = store.objects[idx].clone();
    reply(200, store.render(&o, base, true))
}

/// Whether every field of `pattern` is equal in `v` (list entry matching for
/// PATCH delete).
pub(super) fn subset(pattern: &Value, v: &Value) -> bool {
    match (pattern, v) {
        (Value::Object(p), Value::Object(o)) => p
            .iter()
            .all(|(k, pv)| o.get(k).is_some_and(|ov| subset(pv, ov))),
        _ => pattern == v,
    }
}

/// The faults due on this API request (the n-th): an answer that replaces
/// it (queued statuses, session expiry, a scripted status or drop), or `n`
/// and the faults that strike after it took effect.
pub(super) fn strike_before(store: &mut Store) -> Result<(u64, Vec<Fault>), Reply> {
    if let Some(status) = store.fail_next.pop_front() {
        return Err(error(status, "injected fault"));
    }
    store.faults.requests += 1;
    if let Some(n) = store.faults.expire_every
        && n > 0
        && store.faults.requests.is_multiple_of(n)
    {
        store.sessions.clear();
        return Err(error(401, "Authentication credentials were not provided."));
    }
    let n = store.faults.requests;
    let mut after = Vec::new();
    let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut store.faults.script)
        .into_iter()
        .partition(|(at, _)| *at == n);
    store.faults.script = later;
    for (_, f) in now {
        match f {
            Fault::ExpireSessions => {
                store.sessions.clear();
                return Err(error(401, "Authentication credentials were not provided."));
            }
            Fault::Status(s) => return Err(error(s, &format!("injected fault on request {n}"))),
            Fault::Drop => {
                return Err(Reply {
                    close: true,
                    ..Reply::default()
                });
            }
            other => after.push(other),
        }
    }
    Ok((n, after))
}

/// The answer `r` to the n-th API request, changed by the faults that
/// strike after it took effect.
pub(super) fn strike_after(mut r: Reply, n: u64, after: Vec<Fault>) -> Reply {
    for f in after {
        match f {
            Fault::StatusAfterCommit(s) => {
                r = error(s, &format!("injected fault after request {n} took effect"));
            }
            Fault::DropAfterCommit => r.close = true,
            Fault::Delay(ms) => r.delay_ms += ms,
            _ => {}
        }
    }
    r
}

impl Store {
    /// Create an object as `POST /api/<kind>` in `tenant` would (defaults
    /// filled in, duplicates refused); returns the reply. Refs are not
    /// checked, so that tests can build a state whose pre-existing objects
    /// are missing.
    pub fn post(&mut self, kind: &str, tenant: &str, body: &Value) -> Reply {
        create(
            self,
            kind,
            tenant,
            body.to_string().as_bytes(),
            "https://127.0.0.1",
            false,
        )
    }
}
