//! Rendering compiled objects for people and programs. Pure: returns strings.
//!
//! JSON and YAML follow the output contract: `{"objects": [{type, name,
//! tenant, sources, body}]}` in the set's (apply) order. `table` is a summary
//! for people: type, name, tenant, sources.
//!
//! Whatever the format, a PEM private key never leaves this module: any
//! string holding one is replaced by [`REDACTED`] (translation already
//! redacts; this is the last line of defence).

use comfy_table::{ContentArrangement, Table, presets};
use serde_json::Value;

use crate::model::{AviObject, ObjectSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Yaml,
    /// type, name, tenant, sources; fitted to the terminal's width.
    Table,
    /// The table with every source, whatever the width.
    Wide,
    /// One `type/name` per line (kubectl's `-o name`).
    Name,
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
            // The set itself, not a `Value`: the fields keep the JSON order
            // (type, name, tenant, sources, body).
            serde_saphyr::to_string(&safe).unwrap_or_default()
        }
        Format::Table | Format::Wide => table(&safe, None),
        Format::Name => safe
            .objects
            .iter()
            .map(|o| format!("{}/{}\n", o.kind.as_str(), o.name))
            .collect(),
    }
}

/// The table fitted to `width` columns: the sources column is cut to the
/// sources that fit, followed by `+N more`; a name too long for the rest
/// wraps (comfy-table's dynamic arrangement). Lines carry no trailing spaces.
pub fn table_fit(objects: &ObjectSet, width: usize) -> String {
    table(objects, Some(width))
}

/// Gap between columns.
const GAP: usize = 2;
/// The sources column never gets narrower than this.
const MIN_SOURCES: usize = 20;

fn table(set: &ObjectSet, width: Option<usize>) -> String {
    let header = ["TYPE", "NAME", "TENANT", "SOURCES"];
    let col = |f: &dyn Fn(&AviObject) -> usize, h: &str| {
        set.objects
            .iter()
            .map(f)
            .chain([h.chars().count()])
            .max()
            .unwrap_or(0)
    };
    let name = col(&|o| o.name.chars().count(), header[1]);
    let others = col(&|o| o.kind.as_str().chars().count(), header[0])
        + col(&|o| o.tenant.chars().count(), header[2])
        + 3 * GAP;
    // What the names leave, but at least two fifths of the room after type
    // and tenant (a long name wraps rather than hiding every source).
    let room = width.map(|w| {
        let rest = w.saturating_sub(others);
        rest.saturating_sub(name).max(rest * 2 / 5).max(MIN_SOURCES)
    });
    let mut t = Table::new();
    t.load_style(presets::NOTHING).force_no_tty();
    t.set_header(header);
    for o in &set.objects {
        let sources: Vec<&str> = o.sources.iter().map(String::as_str).collect();
        let sources = match room {
            Some(r) => fit_sources(&sources, r),
            None => sources.join(", "),
        };
        t.add_row([
            o.kind.as_str(),
            o.name.as_str(),
            o.tenant.as_str(),
            sources.as_str(),
        ]);
    }
    let last = header.len() - 1;
    for (i, c) in t.column_iter_mut().enumerate() {
        c.set_padding((0, if i == last { 0 } else { GAP as u16 }));
    }
    if let Some(w) = width {
        t.set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(w.min(u16::MAX as usize) as u16);
    }
    let n = set.objects.len();
    let mut s = String::new();
    if n > 0 {
        for line in t.to_string().lines() {
            s.push_str(line.trim_end());
            s.push('\n');
        }
    }
    s.push_str(&format!("{n} object{}\n", if n == 1 { "" } else { "s" }));
    s
}

/// As many sources as fit in `room` characters, then `+N more`.
fn fit_sources(sources: &[&str], room: usize) -> String {
    let all = sources.join(", ");
    if all.chars().count() <= room {
        return all;
    }
    let mut kept = 0;
    let mut len = 0;
    for (i, s) in sources.iter().enumerate() {
        let more = format!("+{} more", sources.len() - i - 1);
        let add = s.chars().count() + if i == 0 { 0 } else { 2 };
        let tail = if i + 1 == sources.len() {
            0
        } else {
            2 + more.chars().count()
        };
        if len + add + tail > room {
            break;
        }
        len += add;
        kept = i + 1;
    }
    let more = sources.len() - kept;
    let mut out = sources[..kept].join(", ");
    if more > 0 {
        if kept > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!("+{more} more"));
    }
    out
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
    fn sources_are_cut_to_what_fits() {
        let s = ["Ingress/red/web", "Secret/red/tls", "Service/red/web"];
        assert_eq!(fit_sources(&s, 100), s.join(", "));
        assert_eq!(
            fit_sources(&s, 40),
            "Ingress/red/web, Secret/red/tls, +1 more"
        );
        assert_eq!(fit_sources(&s, 30), "Ingress/red/web, +2 more");
        assert_eq!(fit_sources(&s, 5), "+3 more");
        let t = table_fit(&set(), 60);
        assert!(
            t.lines()
                .all(|l| l.chars().count() <= 60 && l == l.trim_end()),
            "{t}"
        );
        assert!(t.contains("+2 more"), "{t}");
        assert_eq!(
            render(&set(), Format::Name),
            "sslkeyandcertificate/c--red-web\npool/c--pool\n"
        );
        let yaml = render(&set(), Format::Yaml);
        let order: Vec<usize> = ["type:", "name:", "tenant:", "sources:", "body:"]
            .iter()
            .map(|k| yaml.find(k).unwrap_or(usize::MAX))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{yaml}");
    }

    #[test]
    fn rendering_is_deterministic() {
        for f in [
            Format::Json,
            Format::Yaml,
            Format::Table,
            Format::Wide,
            Format::Name,
        ] {
            assert_eq!(render(&set(), f), render(&set(), f));
        }
    }
}
