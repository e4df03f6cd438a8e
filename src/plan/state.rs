//! The current state a plan is computed against: empty, a saved snapshot
//! (`akoctl compile -o json` output or an `akoctl pull` file), or what the
//! controller client read. Parsing is pure: the caller reads the file.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::normalize::{RefNames, canonical_ref};
use crate::model::{AviObject, AviType, Diagnostic, ObjectSet, Severity};
use crate::settings::CloudFacts;

/// Format tag of files written by `akoctl pull`.
pub const STATE_FORMAT: &str = "akoctl-state/1";

/// One object as it exists on the controller (or in a snapshot).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CurrentObject {
    #[serde(rename = "type")]
    pub kind: AviType,
    pub name: String,
    pub tenant: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    pub body: Value,
}

/// Where the current state came from (shown in the plan header and saved in
/// plan files).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum StateOrigin {
    /// No state given: every desired object is a create.
    #[default]
    Empty,
    /// A saved snapshot file.
    File { path: String },
    /// A live controller.
    Controller { url: String, version: String },
}

/// The current state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    pub origin: StateOrigin,
    pub objects: Vec<CurrentObject>,
    /// uuid -> name of every object known (owned or referenced).
    pub ref_names: RefNames,
    /// Cloud facts read from the controller, when the state has them.
    pub cloud_facts: Option<CloudFacts>,
}

impl State {
    pub fn empty() -> State {
        State::default()
    }

    /// Add an object; its uuid becomes resolvable in refs.
    pub fn push(&mut self, obj: CurrentObject) {
        if let Some(u) = &obj.uuid {
            self.ref_names.insert(u.clone(), obj.name.clone());
        }
        self.objects.push(obj);
    }

    /// Parse a snapshot: `{"objects": [{type, name, tenant, body, ...}]}` as
    /// printed by `akoctl compile -o json` or written by `akoctl pull`. Objects
    /// of types akoctl does not manage are skipped with a warning.
    pub fn from_json(text: &str, origin: StateOrigin) -> Result<(State, Vec<Diagnostic>), String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let objects = v.get("objects").and_then(Value::as_array).ok_or(
            "no \"objects\" list: expected the output of `akoctl compile -o json` or `akoctl pull`",
        )?;
        let mut diags = Vec::new();
        let mut state = State {
            origin,
            ..State::default()
        };
        if let Some(Value::Object(refs)) = v.get("refs") {
            for (uuid, name) in refs {
                if let Some(n) = name.as_str() {
                    state.ref_names.insert(uuid.clone(), n.to_string());
                }
            }
        }
        if let Some(f) = v.get("cloud_facts").filter(|f| f.is_object()) {
            state.cloud_facts = Some(facts_from_json(f));
        }
        let mut seen: HashMap<(AviType, String, String), usize> = HashMap::new();
        for (i, o) in objects.iter().enumerate() {
            let kind_s = o.get("type").and_then(Value::as_str).unwrap_or("");
            let Some(kind) = AviType::parse(kind_s) else {
                diags.push(Diagnostic::new(
                    Severity::Warning,
                    None,
                    format!(
                        "state object #{i}: type {kind_s:?} is not one akoctl manages; ignored"
                    ),
                ));
                continue;
            };
            let body = o.get("body").cloned().unwrap_or(Value::Null);
            if !body.is_object() {
                diags.push(Diagnostic::new(
                    Severity::Warning,
                    None,
                    format!("state object #{i} ({kind_s}) has no body object; ignored"),
                ));
                continue;
            }
            let name = o
                .get("name")
                .and_then(Value::as_str)
                .or_else(|| body.get("name").and_then(Value::as_str))
                .unwrap_or("")
                .to_string();
            if name.is_empty() {
                diags.push(Diagnostic::new(
                    Severity::Warning,
                    None,
                    format!("state object #{i} ({kind_s}) has no name; ignored"),
                ));
                continue;
            }
            let tenant = o
                .get("tenant")
                .and_then(Value::as_str)
                .map(String::from)
                .or_else(|| tenant_of_body(&body, &state.ref_names))
                .unwrap_or_else(|| "admin".to_string());
            let str_of = |k: &str| {
                o.get(k)
                    .or_else(|| body.get(k))
                    .and_then(Value::as_str)
                    .map(String::from)
            };
            let key = (kind, tenant.clone(), name.clone());
            if seen.insert(key, i).is_some() {
                diags.push(Diagnostic::new(
                    Severity::Warning,
                    None,
                    format!("state lists {kind} {tenant}/{name} twice; the last one wins"),
                ));
                state
                    .objects
                    .retain(|x| !(x.kind == kind && x.tenant == tenant && x.name == name));
            }
            state.push(CurrentObject {
                kind,
                name,
                tenant,
                uuid: str_of("uuid"),
                last_modified: str_of("_last_modified").or_else(|| str_of("last_modified")),
                body: strip_secrets(body),
            });
        }
        Ok((state, diags))
    }

    /// The `akoctl pull` file: objects (secrets removed), uuid names, facts.
    pub fn to_json(&self) -> Value {
        let mut objects: Vec<&CurrentObject> = self.objects.iter().collect();
        objects.sort_by(|a, b| (a.kind, &a.tenant, &a.name).cmp(&(b.kind, &b.tenant, &b.name)));
        let refs: Map<String, Value> = {
            let mut r: Vec<_> = self.ref_names.iter().collect();
            r.sort();
            r.into_iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect()
        };
        let mut out = json!({
            "format": STATE_FORMAT,
            "origin": self.origin,
            "objects": objects,
            "refs": refs,
        });
        if let Some(f) = &self.cloud_facts {
            out["cloud_facts"] = facts_to_json(f);
        }
        out
    }
}

/// Read an object set printed by `akoctl compile -o json` (the desired side,
/// when planning a previously compiled set). Secrets are kept: they are
/// needed for the sensitive digests of a saved plan, and never printed.
pub fn desired_from_json(text: &str) -> Result<ObjectSet, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let objects = v
        .get("objects")
        .and_then(Value::as_array)
        .ok_or("no \"objects\" list: expected the output of `akoctl compile -o json`")?;
    let mut out = ObjectSet::default();
    for (i, o) in objects.iter().enumerate() {
        let kind_s = o.get("type").and_then(Value::as_str).unwrap_or("");
        let kind = AviType::parse(kind_s)
            .ok_or_else(|| format!("object #{i}: unknown type {kind_s:?}"))?;
        let body = o
            .get("body")
            .cloned()
            .filter(Value::is_object)
            .ok_or_else(|| format!("object #{i}: no body"))?;
        let name = o
            .get("name")
            .and_then(Value::as_str)
            .or_else(|| body.get("name").and_then(Value::as_str))
            .filter(|n| !n.is_empty())
            .ok_or_else(|| format!("object #{i}: no name"))?
            .to_string();
        let tenant = o
            .get("tenant")
            .and_then(Value::as_str)
            .map(String::from)
            .or_else(|| tenant_of_body(&body, &RefNames::new()))
            .unwrap_or_else(|| "admin".into());
        let sources = o
            .get("sources")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        out.objects.push(AviObject {
            kind,
            name,
            tenant,
            sources,
            body,
        });
    }
    out.sort();
    Ok(out)
}

/// Tenant name from a body's `tenant_ref` (`#name`, `?name=`, or a known uuid).
pub fn tenant_of_body(body: &Value, names: &RefNames) -> Option<String> {
    let r = body.get("tenant_ref")?.as_str()?;
    let c = canonical_ref(r, names);
    c.strip_prefix("/api/tenant/?name=")
        .map(String::from)
        .or_else(|| {
            // The admin tenant's uuid is literally `admin`.
            c.strip_prefix("/api/tenant/")
                .filter(|u| *u == "admin")
                .map(String::from)
        })
}

fn strip_secrets(mut body: Value) -> Value {
    super::normalize::strip_secrets(&mut body);
    body
}

/// Cloud facts in the key spelling of a `--cloud-facts` file.
pub fn facts_to_json(f: &CloudFacts) -> Value {
    let mut v = json!({
        "cloudType": f.cloud_type,
        "dnsSubdomains": f.dns_subdomains,
        "defaultLicenseTier": f.default_license_tier,
        "vrf": f.vrf,
    });
    if !f.nsxt_transport_zone.is_empty() {
        v["nsxtTransportZone"] = json!(f.nsxt_transport_zone);
    }
    v
}

pub fn facts_from_json(v: &Value) -> CloudFacts {
    let mut f = CloudFacts::default();
    if let Some(x) = v.get("cloudType").and_then(Value::as_str) {
        f.cloud_type = x.into();
    }
    if let Some(a) = v.get("dnsSubdomains").and_then(Value::as_array) {
        f.dns_subdomains = a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect();
    }
    if let Some(x) = v.get("defaultLicenseTier").and_then(Value::as_str) {
        f.default_license_tier = x.into();
    }
    if let Some(x) = v.get("vrf").and_then(Value::as_str) {
        f.vrf = x.into();
    }
    if let Some(x) = v.get("nsxtTransportZone").and_then(Value::as_str) {
        f.nsxt_transport_zone = x.into();
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compile_output_and_strips_keys() {
        let text = r#"{"objects":[
          {"type":"sslkeyandcertificate","name":"c--a","tenant":"t1","sources":[],
           "body":{"name":"c--a","key":"SECRET","certificate":{"certificate":"X"}}},
          {"type":"healthmonitor","name":"h","tenant":"admin","body":{}},
          {"type":"pool","name":"c--p","body":{"name":"c--p","uuid":"pool-1","tenant_ref":"https://h/api/tenant/tenant-9#red"}}
        ]}"#;
        let (s, d) = State::from_json(text, StateOrigin::Empty).unwrap();
        assert_eq!(s.objects.len(), 2);
        assert_eq!(d.len(), 1);
        assert!(s.objects[0].body.get("key").is_none());
        assert_eq!(s.objects[1].tenant, "red");
        assert_eq!(s.ref_names.get("pool-1").map(String::as_str), Some("c--p"));
        let round = State::from_json(&s.to_json().to_string(), StateOrigin::Empty)
            .unwrap()
            .0;
        assert_eq!(round.objects.len(), 2);
        assert!(!round.to_json().to_string().contains("SECRET"));
    }

    #[test]
    fn rejects_non_state_json() {
        assert!(State::from_json("[]", StateOrigin::Empty).is_err());
        assert!(State::from_json("nope", StateOrigin::Empty).is_err());
    }
}
