//! Rendering compiled objects for people and programs. Pure: returns strings.
//!
//! JSON and YAML follow the output contract: `{"objects": [{type, name,
//! tenant, sources, body}]}` in the set's (apply) order. `table` is a summary
//! for people: type, name, tenant, sources.
//!
//! Whatever the format, a PEM private key never leaves this module: any
//! string holding one is replaced by [`REDACTED`] (translation already
//! redacts; this is the last line of defence).

use comfy_table::{Table, presets};
use serde_json::Value;

use crate::model::{AviObject, ObjectSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Yaml,
    Table,
}

/// What replaces private key material in any output.
pub const REDACTED: &str = "<redacted>";

pub fn render(objects: &ObjectSet, format: Format) -> String {
    render_with(objects, format, false)
}

/// [`render`], but with `show_secrets` the bodies are printed as they are
/// (the user asked for the private keys with `--show-secrets`).
pub fn render_with(objects: &ObjectSet, format: Format, show_secrets: bool) -> String {
    let safe = if show_secrets {
        objects.clone()
    } else {
        redact_set(objects)
    };
    match format {
        Format::Json => {
            // Serialising plain data to a string cannot fail.
            let mut s = serde_json::to_string_pretty(&safe).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Yaml => {
            let v = serde_json::to_value(&safe).unwrap_or(Value::Null);
            serde_saphyr::to_string(&v).unwrap_or_default()
        }
        Format::Table => table(&safe),
    }
}

fn table(set: &ObjectSet) -> String {
    let mut t = Table::new();
    t.load_style(presets::NOTHING).force_no_tty();
    t.set_header(["TYPE", "NAME", "TENANT", "SOURCES"]);
    for o in &set.objects {
        let sources = o
            .sources
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        t.add_row([
            o.kind.as_str(),
            o.name.as_str(),
            o.tenant.as_str(),
            sources.as_str(),
        ]);
    }
    let n = set.objects.len();
    let mut s = if n == 0 {
        String::new()
    } else {
        format!("{t}\n")
    };
    s.push_str(&format!("{n} object{}\n", if n == 1 { "" } else { "s" }));
    s
}

fn redact_set(set: &ObjectSet) -> ObjectSet {
    ObjectSet {
        objects: set
            .objects
            .iter()
            .map(|o| AviObject {
                body: redact(&o.body),
                ..o.clone()
            })
            .collect(),
    }
}

/// A copy of `v` with every string that holds a PEM private key redacted.
pub fn redact(v: &Value) -> Value {
    match v {
        Value::String(s) if holds_private_key(s) => Value::String(REDACTED.into()),
        Value::Array(a) => Value::Array(a.iter().map(redact).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), redact(x))).collect()),
        other => other.clone(),
    }
}

fn holds_private_key(s: &str) -> bool {
    s.contains("-----BEGIN") && s.contains("PRIVATE KEY")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::*;
    use crate::model::AviType;

    const KEY: &str = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n";

    fn set() -> ObjectSet {
        let obj = |kind, name: &str, body| AviObject {
            kind,
            name: name.into(),
            tenant: "admin".into(),
            sources: BTreeSet::from(["Ingress/red/web".to_string(), "Secret/red/tls".to_string()]),
            body,
        };
        ObjectSet {
            objects: vec![
                obj(
                    AviType::Sslkeyandcertificate,
                    "c--red-web",
                    json!({"name": "c--red-web", "key": KEY, "certificate": {"certificate": "-----BEGIN CERTIFICATE-----"}}),
                ),
                obj(
                    AviType::Pool,
                    "c--pool",
                    json!({"name": "c--pool", "port": 8080, "enabled": "true"}),
                ),
            ],
        }
    }

    #[test]
    fn json_follows_the_contract_and_redacts() {
        let out = render(&set(), Format::Json);
        let v: Value = serde_json::from_str(&out).expect("valid json");
        let objs = v["objects"].as_array().expect("objects");
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[0]["type"], "sslkeyandcertificate");
        assert_eq!(objs[0]["tenant"], "admin");
        assert_eq!(
            objs[0]["sources"],
            json!(["Ingress/red/web", "Secret/red/tls"])
        );
        assert_eq!(objs[0]["body"]["key"], REDACTED);
        assert_eq!(
            objs[0]["body"]["certificate"]["certificate"],
            "-----BEGIN CERTIFICATE-----"
        );
        assert!(!out.contains("PRIVATE KEY"));
    }

    #[test]
    fn yaml_round_trips_to_the_same_document() {
        let yaml = render(&set(), Format::Yaml);
        assert!(!yaml.contains("PRIVATE KEY"));
        let back: Value = serde_saphyr::from_str(&yaml).expect("valid yaml");
        let json: Value = serde_json::from_str(&render(&set(), Format::Json)).expect("valid json");
        assert_eq!(back, json);
        // A string that looks like a boolean stays a string.
        assert_eq!(back["objects"][1]["body"]["enabled"], "true");
    }

    #[test]
    fn table_lists_type_name_tenant_sources() {
        let t = render(&set(), Format::Table);
        let lines: Vec<&str> = t.lines().collect();
        assert!(
            lines[0].contains("TYPE") && lines[0].contains("SOURCES"),
            "{t}"
        );
        assert!(
            lines[1].contains("sslkeyandcertificate")
                && lines[1].contains("Ingress/red/web, Secret/red/tls"),
            "{t}"
        );
        assert_eq!(lines.last().copied(), Some("2 objects"));
        assert!(!t.contains("PRIVATE KEY"));
        assert_eq!(render(&ObjectSet::default(), Format::Table), "0 objects\n");
    }

    #[test]
    fn rendering_is_deterministic() {
        for f in [Format::Json, Format::Yaml, Format::Table] {
            assert_eq!(render(&set(), f), render(&set(), f));
        }
    }
}
