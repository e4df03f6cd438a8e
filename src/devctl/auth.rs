//! Login and sessions: `POST /login` with a password or an auth token (JSON or form
//! body), the session check with its CSRF token, and `POST /logout`.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{store::*, wire::*};

pub(super) fn login(store: &mut Store, req: &Req) -> Reply {
    let ct = req.header("content-type").unwrap_or("");
    let fields: HashMap<String, String> = if ct.contains("json") || req.body.first() == Some(&b'{')
    {
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(Value::Object(m)) => m
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                .collect(),
            _ => HashMap::new(),
        }
    } else {
        parse_query(&String::from_utf8_lossy(&req.body))
            .into_iter()
            .collect()
    };
    let user = fields.get("username").cloned().unwrap_or_default();
    let ok = match (fields.get("password"), fields.get("token")) {
        (Some(p), _) => store
            .config
            .users
            .iter()
            .any(|(u, pw)| *u == user && pw == p),
        (None, Some(t)) => store
            .config
            .tokens
            .iter()
            .any(|(u, tk)| *u == user && tk == t),
        _ => false,
    };
    if !ok {
        return error(401, "Invalid credentials");
    }
    store.counter += 1;
    let sid = format!(
        "{:032x}",
        crate::compile::common::fnv1a32(&format!("s{}", store.counter)) as u128 * 7919
            + store.counter as u128
    );
    let csrf = format!(
        "{:032x}",
        crate::compile::common::fnv1a32(&format!("c{}", store.counter)) as u128 * 104_729
            + store.counter as u128
    );
    store.sessions.insert(sid.clone(), csrf.clone());
    let tenants: Vec<Value> = store
        .objects
        .iter()
        .filter(|o| o.kind == "tenant")
        .map(|o| json!({"name": o.name, "uuid": o.uuid, "url": format!("/api/tenant/{}", o.uuid)}))
        .collect();
    let mut r = reply(
        200,
        json!({
            "version": {"Version": store.config.version, "min_version": "18.2.6", "ProductName": "Avi Cloud Controller"},
            "user": {"username": user},
            "tenants": tenants,
            "system_config": {"portal_configuration": {"allow_basic_authentication": false}},
            "controller": {"api_idle_timeout": 15},
            "session_cookie_name": store.config.session_cookie_name,
        }),
    );
    r.headers.push((
        "set-cookie".into(),
        format!("csrftoken={csrf}; Path=/; SameSite=Lax"),
    ));
    r.headers.push((
        "set-cookie".into(),
        format!(
            "{}={sid}; Path=/; HttpOnly",
            store.config.session_cookie_name
        ),
    ));
    r
}

/// The session of an API request, by its cookie: 401 without one; on unsafe
/// methods, 403 unless the CSRF token is in both the header and the cookie
/// and a `Referer` is sent.
pub(super) fn check_session(store: &Store, req: &Req) -> Result<Option<String>, Reply> {
    let sid = req
        .cookie(&store.config.session_cookie_name)
        .or_else(|| req.cookie("sessionid"))
        .or_else(|| req.cookie("avi-sessionid"));
    let Some(csrf) = sid.as_ref().and_then(|s| store.sessions.get(s)).cloned() else {
        return Err(error(401, "Authentication credentials were not provided."));
    };
    if req.method != "GET" {
        let header = req.header("x-csrftoken");
        let cookie = req.cookie("csrftoken");
        if header != Some(csrf.as_str())
            || cookie.as_deref() != Some(csrf.as_str())
            || req.header("referer").is_none()
        {
            return Err(error(403, "CSRF Failed: CSRF token missing or incorrect."));
        }
    }
    Ok(sid)
}

/// `POST /logout`: the session ends.
pub(super) fn logout(store: &mut Store, sid: Option<String>) -> Reply {
    if let Some(s) = sid {
        store.sessions.remove(&s);
    }
    reply(200, json!({}))
}
