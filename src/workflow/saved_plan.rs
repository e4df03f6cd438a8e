//! What makes a saved plan safe to apply on its own: the inputs it records
//! (paths made absolute, `--set` as given), the fingerprint of their texts,
//! and the check that nothing changed since it was made.

use std::path::PathBuf;

use miette::{Result, miette};
use serde_json::Value;

use crate::input::Source;
use crate::model::ObjectSet;
use crate::plan::{State, planfile};
use crate::settings::Settings;

/// The digest of every input text a plan was made from: the sources (name
/// and text), the compiled set, values and cloud facts files, and `--set`.
pub fn inputs_fingerprint(
    sources: &[Source],
    compiled: &Option<(String, String)>,
    values: &Option<(String, String)>,
    sets: &[String],
    facts: &Option<(String, String)>,
) -> String {
    let mut parts: Vec<&[u8]> = Vec::new();
    for s in sources {
        parts.push(s.name.as_bytes());
        parts.push(s.text.as_bytes());
    }
    for o in [compiled, values, facts] {
        match o {
            Some((_, t)) => parts.push(t.as_bytes()),
            None => parts.push(b"-"),
        }
    }
    for s in sets {
        parts.push(s.as_bytes());
    }
    planfile::digest(&parts)
}

/// The inputs of a plan, recorded in the plan file so that `akoctl apply
/// PLANFILE` finds them by itself. Only paths and settings are stored; the
/// texts stay in the files (a Secret's key is read again at apply time, and
/// the inputs fingerprint refuses files that changed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordedInputs {
    pub filename: Vec<String>,
    pub values: Option<PathBuf>,
    pub set: Vec<String>,
    pub cloud_facts: Option<PathBuf>,
    pub namespace: Option<String>,
    /// The folder the plan was made in.
    pub cwd: String,
}

impl RecordedInputs {
    /// The record of a plan's inputs, paths made absolute against the
    /// current folder.
    pub fn record(
        filename: &[String],
        values: &Option<PathBuf>,
        set: &[String],
        cloud_facts: &Option<PathBuf>,
        namespace: &Option<String>,
    ) -> Value {
        let cwd = std::env::current_dir().ok();
        let abs = |p: &str| -> String {
            if p == "-" {
                return p.to_string();
            }
            match &cwd {
                Some(d) => d.join(p).display().to_string(),
                None => p.to_string(),
            }
        };
        serde_json::json!({
            "filename": filename.iter().map(|f| abs(f)).collect::<Vec<_>>(),
            "values": values.as_ref().map(|v| abs(&v.display().to_string())),
            "set": set,
            "cloud_facts": cloud_facts.as_ref().map(|v| abs(&v.display().to_string())),
            "namespace": namespace,
            "cwd": cwd.as_ref().map(|d| d.display().to_string()),
        })
    }

    /// The inputs a saved plan records, when it records them; refused when
    /// they cannot be read again (stdin) or are gone.
    pub fn from_plan(doc: &Value) -> Result<Option<RecordedInputs>> {
        let Some(rec) = doc.get("inputs") else {
            return Ok(None);
        };
        let strs = |k: &str| -> Vec<String> {
            rec.get(k)
                .and_then(Value::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let path = |k: &str| rec.get(k).and_then(Value::as_str).map(PathBuf::from);
        let filename = strs("filename");
        if filename.iter().any(|f| f == "-") {
            return Err(miette!(
                "the plan was made from manifests on stdin, which cannot be read again: give them with -f FILE"
            ));
        }
        for f in filename
            .iter()
            .map(PathBuf::from)
            .chain(path("values"))
            .chain(path("cloud_facts"))
        {
            if !f.exists() {
                return Err(miette!(
                    "the plan was made from {:?}, which is gone: restore it, or give the inputs with -f and --values",
                    f.display().to_string()
                ));
            }
        }
        Ok(Some(RecordedInputs {
            filename,
            values: path("values"),
            set: strs("set"),
            cloud_facts: path("cloud_facts"),
            namespace: rec
                .get("namespace")
                .and_then(Value::as_str)
                .map(str::to_string),
            cwd: rec
                .get("cwd")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        }))
    }
}

/// Source names made relative to `dir` (the folder a plan was made in)
/// again, as the inputs fingerprint saw them.
pub fn relative_to(sources: &mut [Source], dir: &str) {
    if dir.is_empty() {
        return;
    }
    let prefix = format!("{}/", dir.trim_end_matches('/'));
    for s in sources {
        if let Some(rest) = s.name.strip_prefix(&prefix) {
            s.name = rest.to_string();
        }
    }
}

/// Why a saved plan `doc` no longer holds: its inputs (fingerprint
/// `inputs_fp` now), the resolved settings, the controller's state or the
/// secrets of `shown` changed. Empty when it may be applied.
pub fn stale_reasons(
    doc: &Value,
    inputs_fp: &str,
    settings: &Settings,
    state: &State,
    shown: &ObjectSet,
) -> Vec<&'static str> {
    let mut stale = Vec::new();
    let fps = doc.get("fingerprints");
    let check =
        |k: &str, now: &str| fps.and_then(|f| f.get(k)).and_then(Value::as_str) == Some(now);
    if !check("inputs", inputs_fp) {
        stale.push("the inputs (manifests, values, --set) differ from the ones planned");
    }
    if !check("settings", &planfile::settings_fingerprint(settings)) {
        stale.push("the resolved settings (or the controller's cloud facts) changed");
    }
    if !check("state", &planfile::state_fingerprint(state)) {
        stale.push("the controller state changed since the plan was made");
    }
    if doc.get("sensitive") != Some(&planfile::sensitive_digests(shown)) {
        stale.push("the secrets (TLS keys) differ from the ones planned");
    }
    stale
}
