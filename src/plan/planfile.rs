//! Saved plans (`akoctl plan --out PLANFILE`), for a later `akoctl apply
//! PLANFILE`. A plan file is the JSON plan plus fingerprints that let `apply`
//! refuse a stale plan:
//!
//! - `inputs`: SHA-256 over the manifests, values, `--set` overrides and cloud
//!   facts as read;
//! - `settings`: SHA-256 of the resolved settings;
//! - `state`: SHA-256 of the current state the plan was computed against;
//! - per object touched: the controller's uuid and `_last_modified` (in
//!   `resource_changes`), to re-check before writing;
//! - `sensitive`: SHA-256 of each secret field of each desired object. The
//!   secrets themselves are never written: `apply` recompiles the inputs and
//!   compares digests.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::state::State;
use super::{Plan, PlanSettings};
use crate::model::{AviType, ObjectSet};
use crate::settings::Settings;

pub const PLAN_FORMAT: &str = "akoctl-plan/1";

/// Read a saved plan file: JSON whose `format` is [`PLAN_FORMAT`], with a
/// `fingerprints` object of strings. Pure; the message says what is wrong.
pub fn parse(text: &str) -> Result<Value, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not a plan file: {e}"))?;
    if v.get("format").and_then(Value::as_str) != Some(PLAN_FORMAT) {
        return Err(format!(
            "not an akoctl plan file (format {PLAN_FORMAT:?} expected)"
        ));
    }
    match v.get("fingerprints") {
        Some(Value::Object(f)) if f.values().all(Value::is_string) => Ok(v),
        _ => Err("not an akoctl plan file (no \"fingerprints\" object of strings)".into()),
    }
}

/// SHA-256 over length-prefixed parts, lower-case hex.
pub fn digest(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub fn settings_fingerprint(s: &Settings) -> String {
    digest(&[serde_json::to_string(s).unwrap_or_default().as_bytes()])
}

pub fn state_fingerprint(s: &State) -> String {
    digest(&[s.to_json().to_string().as_bytes()])
}

/// Digests of the secret fields of the desired objects, keyed by address.
pub fn sensitive_digests(desired: &ObjectSet) -> Value {
    let mut out = Map::new();
    for o in &desired.objects {
        if o.kind != AviType::Sslkeyandcertificate {
            continue;
        }
        let mut m = Map::new();
        for k in super::normalize::SECRET_FIELDS {
            if let Some(Value::String(s)) = o.body.get(*k) {
                m.insert(k.to_string(), Value::String(digest(&[s.as_bytes()])));
            }
        }
        if !m.is_empty() {
            out.insert(
                format!("{}/{}/{}", o.kind, o.tenant, o.name),
                Value::Object(m),
            );
        }
    }
    Value::Object(out)
}

/// The plan file document.
pub fn build(
    plan: &Plan,
    state: &State,
    settings: &PlanSettings,
    full_settings: &Settings,
    desired: &ObjectSet,
    inputs_fingerprint: &str,
) -> Value {
    let mut doc = super::render::json(plan, &state.origin, settings);
    doc["format"] = json!(PLAN_FORMAT);
    doc["fingerprints"] = json!({
        "inputs": inputs_fingerprint,
        "settings": settings_fingerprint(full_settings),
        "state": state_fingerprint(state),
    });
    doc["sensitive"] = sensitive_digests(desired);
    doc
}
