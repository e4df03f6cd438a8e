//! Fields newer than the request's `X-Avi-Version` are refused, as a real
//! controller does (controller-API notes §1.8, §4, §7.1): 400 `Incoming
//! request (vA_B_C) has field (f) introduced in later versions(vX_Y_Z).`
//!
//! `field_versions.json` is the version in which each field of the types
//! akoctl writes (and of the nested objects it reaches) was introduced,
//! taken from the `introduced` notes of vmware/alb-sdk's swagger files (API
//! 30.2.1). A field introduced in several releases (a backport, e.g.
//! `18.1.5, 18.2.1`) is accepted from the listed release of the request's
//! own major.minor branch, and from the newest listed release otherwise.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::client::version_cmp;

/// `[introduced, nested definition]` per field.
type Fields = HashMap<String, (String, String)>;

struct Table {
    types: HashMap<String, Fields>,
    definitions: HashMap<String, Fields>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let v: Value =
            serde_json::from_str(include_str!("field_versions.json")).unwrap_or(Value::Null);
        let fields = |m: Option<&Value>| -> HashMap<String, Fields> {
            m.and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(t, fs)| {
                            let fs = fs
                                .as_object()
                                .map(|fs| {
                                    fs.iter()
                                        .map(|(f, e)| {
                                            let s = |i: usize| {
                                                e.get(i)
                                                    .and_then(Value::as_str)
                                                    .unwrap_or("")
                                                    .to_string()
                                            };
                                            (f.clone(), (s(0), s(1)))
                                        })
                                        .collect()
                                })
                                .unwrap_or_default();
                            (t.clone(), fs)
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        Table {
            types: fields(v.get("types")),
            definitions: fields(v.get("definitions")),
        }
    })
}

/// `major.minor` of a version.
fn branch(v: &str) -> String {
    v.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// The release from which a field is accepted for a request of version
/// `req`, or `None` when `req` has it.
fn too_new<'a>(req: &str, introduced: &'a str) -> Option<&'a str> {
    let listed: Vec<&str> = introduced
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let newest = listed.iter().copied().max_by(|a, b| version_cmp(a, b))?;
    if version_cmp(req, newest).is_ge() {
        return None;
    }
    match listed.iter().find(|v| branch(v) == branch(req)) {
        Some(v) if version_cmp(req, v).is_ge() => None,
        Some(v) => Some(v),
        None => Some(newest),
    }
}

fn underscored(v: &str) -> String {
    format!("v{}", v.replace('.', "_"))
}

/// The 400 message for the first field of `body` (of type `kind`) that is
/// newer than `req`, if any. Unknown types and fields pass.
pub fn check(kind: &str, body: &Value, req: &str) -> Option<String> {
    let t = table();
    let fields = t.types.get(kind)?;
    walk(t, fields, body, req)
}

fn walk(t: &Table, fields: &Fields, v: &Value, req: &str) -> Option<String> {
    let Value::Object(m) = v else { return None };
    for (k, x) in m {
        let Some((introduced, def)) = fields.get(k) else {
            continue;
        };
        if let Some(newer) = too_new(req, introduced) {
            return Some(format!(
                "Incoming request ({}) has field ({k}) introduced in later versions({}).",
                underscored(req),
                underscored(newer)
            ));
        }
        if let Some(nested) = t.definitions.get(def) {
            let found = match x {
                Value::Array(a) => a.iter().find_map(|e| walk(t, nested, e, req)),
                other => walk(t, nested, other, req),
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn backported_fields_follow_the_request_branch() {
        assert_eq!(too_new("18.2.8", "20.1.1"), Some("20.1.1"));
        assert_eq!(too_new("20.1.1", "20.1.1"), None);
        assert_eq!(too_new("18.1.6", "18.1.5, 18.2.1"), None);
        assert_eq!(too_new("18.1.4", "18.1.5, 18.2.1"), Some("18.1.5"));
        assert_eq!(too_new("18.2.0", "18.1.5, 18.2.1"), Some("18.2.1"));
        assert_eq!(too_new("17.2.1", "18.1.5, 18.2.1"), Some("18.2.1"));
        assert_eq!(too_new("22.1.3", ""), None);
    }

    #[test]
    fn nested_fields_are_checked() {
        let vs = json!({"name": "v", "services": [{"port": 80, "enable_http2": true}]});
        assert_eq!(
            check("virtualservice", &vs, "18.2.8").as_deref(),
            Some(
                "Incoming request (v18_2_8) has field (enable_http2) introduced in later versions(v20_1_1)."
            )
        );
        assert_eq!(check("virtualservice", &vs, "22.1.3"), None);
        let pool = json!({"name": "p", "markers": [{"key": "clustername", "values": ["c"]}]});
        assert!(check("pool", &pool, "20.1.4").is_some());
        assert!(check("pool", &pool, "20.1.5").is_none());
        assert!(check("unknowntype", &pool, "10.0.0").is_none());
    }
}
