//! Normalisation before diffing: canonical refs, controller-filled fields,
//! set-like lists, numbers, `service_metadata`. Pure.
//!
//! The rules follow the controller-API notes §3.8 ("Normalisation before
//! diffing"): refs compare by (type, name) whatever their spelling, a field the
//! controller fills in on its own is ignored, lists whose entries carry an
//! `index` compare by index, pool servers by (ip, port), static routes by
//! (prefix, mask, next hop) without `route_id`, `service_metadata` as parsed
//! JSON.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Fields no comparison looks at: server-assigned identity and bookkeeping,
/// and AKO's own checksums (which change with every AKO release and say
/// nothing the compared fields do not).
pub const IGNORED_FIELDS: &[&str] = &[
    "uuid",
    "url",
    "_last_modified",
    "configpb_attributes",
    "cloud_config_cksum",
    "vsvip_cloud_config_cksum",
];

/// Write-only secrets: never compared (the controller never returns them in
/// clear), never shown, never saved. AKO: `internal/lib/lib.go`
/// `SSLKeyCertChecksum` leaves the key out of its checksum for the same reason.
pub const SECRET_FIELDS: &[&str] = &["key", "key_passphrase"];

/// Write-only secrets below the top level, at any depth: the OAuth client
/// secret and the introspection server secret an SSORule puts into a VS's
/// `oauth_vs_config` (AKO: `internal/nodes/crd_translator.go`, from the
/// Secrets the SSORule names). A controller never returns them in clear.
pub const NESTED_SECRET_FIELDS: &[&str] = &["client_secret", "server_secret"];

/// Remove every secret: [`SECRET_FIELDS`] at the top level and
/// [`NESTED_SECRET_FIELDS`] at any depth.
pub fn strip_secrets(v: &mut Value) {
    fn nested(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for k in NESTED_SECRET_FIELDS {
                    m.remove(*k);
                }
                m.values_mut().for_each(nested);
            }
            Value::Array(a) => a.iter_mut().for_each(nested),
            _ => {}
        }
    }
    if let Value::Object(m) = v {
        for k in SECRET_FIELDS {
            m.remove(*k);
        }
    }
    nested(v);
}

/// Refs AKO leaves to the controller when it does not set them (§3.8
/// "Server-defaulted refs"): absent on the desired side, they are not a change.
pub const SERVER_DEFAULTED: &[&str] = &[
    "tenant_ref",
    "cloud_ref",
    "se_group_ref",
    "vrf_context_ref",
    "vrf_ref",
    "analytics_profile_ref",
    "application_profile_ref",
    "network_profile_ref",
    // Object-valued fields the controller fills with its own defaults.
    "analytics_policy",
    "performance_limits",
    "oauth_vs_config",
    "saml_sp_config",
];

/// null, "", [] and {}: the same as an absent field.
pub fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Empty, false or 0: what an absent nested field reads as.
pub fn is_zero(v: &Value) -> bool {
    is_empty(v) || v.as_bool() == Some(false) || v.as_f64() == Some(0.0)
}

/// uuid -> name of the objects the current state knows, to resolve refs that
/// come back as `https://host/api/pool/pool-<uuid>` without `#name`.
pub type RefNames = HashMap<String, String>;

/// A ref in any spelling as `/api/<type>/?name=<name>`; a uuid ref whose name
/// is unknown stays `/api/<type>/<uuid>`. Accepted: `/api/t/?name=n`,
/// `/api/t?name=n` (with other query parameters, percent-encoded),
/// `/api/t/<uuid>`, `https://host[:port]/api/t/<uuid>[#n]`.
pub fn canonical_ref(s: &str, names: &RefNames) -> String {
    if s.is_empty() {
        return String::new();
    }
    let (body, fragment) = match s.rsplit_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (s, None),
    };
    let Some(api) = body.find("/api/") else {
        return s.to_string();
    };
    let rest = &body[api + 5..];
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let mut parts = path.split('/').filter(|p| !p.is_empty());
    let Some(kind) = parts.next() else {
        return s.to_string();
    };
    let slug = parts.next();
    if let Some(name) = fragment.filter(|f| !f.is_empty()) {
        return format!("/api/{kind}/?name={name}");
    }
    if let Some(q) = query {
        for pair in q.split('&') {
            if let Some(v) = pair.strip_prefix("name=") {
                return format!("/api/{kind}/?name={}", percent_decode(v));
            }
        }
    }
    match slug {
        Some(uuid) => match names.get(uuid) {
            Some(name) => format!("/api/{kind}/?name={name}"),
            None => format!("/api/{kind}/{uuid}"),
        },
        None => s.to_string(),
    }
}

/// `application/x-www-form-urlencoded` value decoding (`+` is a space).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn is_ref_field(field: &str) -> bool {
    field.ends_with("_ref")
}

fn is_refs_field(field: &str) -> bool {
    field.ends_with("_refs")
}

/// Canonical form of a body (or part of one) found under `field`: refs by
/// name, integral floats as integers, `service_metadata` parsed, set-like
/// lists sorted by their key.
pub fn canon(v: &Value, field: &str, names: &RefNames) -> Value {
    match v {
        Value::Object(o) => {
            let mut m = Map::new();
            for (k, x) in o {
                let c = match x {
                    Value::String(s) if is_ref_field(k) => Value::String(canonical_ref(s, names)),
                    Value::Array(a) if is_refs_field(k) => Value::Array(
                        a.iter()
                            .map(|e| match e {
                                Value::String(s) => Value::String(canonical_ref(s, names)),
                                other => canon(other, k, names),
                            })
                            .collect(),
                    ),
                    Value::String(s) if k == "service_metadata" => {
                        serde_json::from_str::<Value>(s).unwrap_or_else(|_| x.clone())
                    }
                    _ => canon(x, k, names),
                };
                if field == "static_routes" && k == "route_id" {
                    continue;
                }
                // A marker's values are a set: AKO lists a policy set's
                // paths in the order its model met them
                // (`internal/rest/avi_obj_httpps.go` `AviHttpPSBuild`), which
                // depends on the order AKO saw the Ingresses.
                let c = match c {
                    Value::Array(mut vals) if field == "markers" && k == "values" => {
                        vals.sort_by_cached_key(|v| v.to_string());
                        Value::Array(vals)
                    }
                    other => other,
                };
                m.insert(k.clone(), c);
            }
            Value::Object(m)
        }
        Value::Array(a) => {
            let mut items: Vec<Value> = a.iter().map(|e| canon(e, field, names)).collect();
            if let Some(kf) = list_key(field, &items) {
                items.sort_by_cached_key(kf);
            }
            Value::Array(items)
        }
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

type KeyFn = fn(&Value) -> String;

/// How a list compares: `None` in order, else keyed (and sorted) by the
/// returned function.
fn list_key(field: &str, items: &[Value]) -> Option<KeyFn> {
    match field {
        // Pool servers: (ip.addr, port). AKO sorts them by IP before building
        // the pool (`internal/nodes/avi_model_nodes.go` `AviPoolNode.CalculateCheckSum`);
        // the controller need not keep that order.
        "servers" => Some(|e| format!("{}|{}", text(e.pointer("/ip/addr")), text(e.get("port")))),
        // VRF static routes: (prefix, mask, next hop); `route_id` is random per
        // AKO boot (`internal/nodes/avi_vrf_translator.go` `addRouteForNode`).
        "static_routes" => Some(|e| {
            format!(
                "{}/{}|{}",
                text(e.pointer("/prefix/ip_addr/addr")),
                text(e.pointer("/prefix/mask")),
                text(e.pointer("/next_hop/addr"))
            )
        }),
        _ if !items.is_empty()
            && items
                .iter()
                .all(|e| e.get("index").is_some_and(Value::is_number)) =>
        {
            Some(|e| {
                format!(
                    "{:020}",
                    e.get("index").and_then(Value::as_i64).unwrap_or(0)
                )
            })
        }
        _ => None,
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The current value reshaped to the desired one: keys the desired side does
/// not have are dropped (controller-filled), an absent key whose desired value
/// is a zero value reads as that value, keyed lists are matched by key. Both
/// arguments must be canonical. `None` means absent.
pub fn project(desired: &Value, current: &Value, field: &str) -> Value {
    match (desired, current) {
        (Value::Object(d), Value::Object(c)) => {
            let mut m = Map::new();
            for (k, dv) in d {
                match c.get(k) {
                    Some(cv) if !cv.is_null() => {
                        m.insert(k.clone(), project(dv, cv, k));
                    }
                    _ if is_zero(dv) => {
                        m.insert(k.clone(), dv.clone());
                    }
                    _ => {}
                }
            }
            Value::Object(m)
        }
        (Value::Array(d), Value::Array(c)) => {
            if let Some(kf) = list_key(field, d).or_else(|| list_key(field, c)) {
                let by_key: HashMap<String, &Value> = d.iter().map(|e| (kf(e), e)).collect();
                Value::Array(
                    c.iter()
                        .map(|ce| match by_key.get(&kf(ce)).or(d.first().as_ref()) {
                            Some(de) => project(de, ce, field),
                            None => ce.clone(),
                        })
                        .collect(),
                )
            } else {
                Value::Array(
                    c.iter()
                        .enumerate()
                        .map(|(i, ce)| match d.get(i).or(d.last()) {
                            Some(de) => project(de, ce, field),
                            None => ce.clone(),
                        })
                        .collect(),
                )
            }
        }
        _ => current.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn marker_values_compare_as_sets() {
        let names = RefNames::new();
        let a = json!({"markers": [
            {"key": "clustername", "values": ["c"]},
            {"key": "Path", "values": ["/", "/foo"]}]});
        let b = json!({"markers": [
            {"key": "clustername", "values": ["c"]},
            {"key": "Path", "values": ["/foo", "/"]}]});
        assert_eq!(canon(&a, "", &names), canon(&b, "", &names));
        let c = json!({"markers": [
            {"key": "clustername", "values": ["c"]},
            {"key": "Path", "values": ["/", "/bar"]}]});
        assert_ne!(canon(&a, "", &names), canon(&c, "", &names));
    }

    #[test]
    fn refs_in_every_spelling_are_equal() {
        let mut names = RefNames::new();
        names.insert("pool-1234".into(), "p1".into());
        let want = "/api/pool/?name=p1";
        for s in [
            "/api/pool/?name=p1",
            "/api/pool?name=p1",
            "/api/pool?tenant=admin&name=p1",
            "https://10.0.0.1:9443/api/pool/pool-1234#p1",
            "https://10.0.0.1/api/pool/pool-1234",
            "/api/pool/pool-1234",
        ] {
            assert_eq!(canonical_ref(s, &names), want, "{s}");
        }
        assert_eq!(
            canonical_ref("/api/pool/pool-999", &names),
            "/api/pool/pool-999"
        );
        assert_eq!(
            canonical_ref("/api/tenant/?name=my+t%2Fx", &names),
            "/api/tenant/?name=my t/x"
        );
        assert_eq!(canonical_ref("", &names), "");
    }

    #[test]
    fn index_lists_and_servers_sort_by_key() {
        let names = RefNames::new();
        let a = canon(&json!({"rules": [{"index": 2}, {"index": 1}]}), "", &names);
        assert_eq!(a, json!({"rules": [{"index": 1}, {"index": 2}]}));
        let s = canon(
            &json!({"servers": [{"ip": {"addr": "10.0.0.2"}, "port": 80}, {"ip": {"addr": "10.0.0.1"}, "port": 80}]}),
            "",
            &names,
        );
        assert_eq!(s["servers"][0]["ip"]["addr"], "10.0.0.1");
        // Plain lists keep their order.
        let h = canon(
            &json!({"health_monitor_refs": ["/api/healthmonitor?name=b", "/api/healthmonitor?name=a"]}),
            "",
            &names,
        );
        assert_eq!(h["health_monitor_refs"][0], "/api/healthmonitor/?name=b");
    }

    #[test]
    fn projection_drops_controller_fields_and_reads_absent_as_zero() {
        let d = json!({"a": 1, "b": false, "n": {"x": "y"}, "l": [{"k": 1}]});
        let c = json!({"a": 1, "extra": 5, "n": {"x": "y", "filled": true}, "l": [{"k": 1, "ratio": 1}]});
        assert_eq!(project(&d, &c, ""), d);
        let c2 = json!({"a": 2});
        assert_eq!(project(&d, &c2, ""), json!({"a": 2, "b": false}));
    }

    #[test]
    fn floats_and_service_metadata_normalise() {
        let names = RefNames::new();
        assert_eq!(
            canon(&json!({"port": 80.0}), "", &names),
            json!({"port": 80})
        );
        let a = canon(
            &json!({"service_metadata": "{\"b\":1,\"a\":2}"}),
            "",
            &names,
        );
        let b = canon(
            &json!({"service_metadata": "{\"a\": 2, \"b\": 1}"}),
            "",
            &names,
        );
        assert_eq!(a, b);
    }

    #[test]
    fn percent_decoding_never_panics() {
        for s in ["%", "%4", "%zz", "a%2", "%e2%82%ac", "%%%"] {
            let _ = percent_decode(s);
        }
        assert_eq!(percent_decode("%e2%82%ac"), "€");
    }
}
