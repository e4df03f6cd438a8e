//! Rendering compiled objects for people and programs. Pure: returns strings
//! or writes to a caller's writer.
//!
//! JSON and YAML follow the output contract: `{"objects": [{type, name,
//! tenant, sources, body}]}` in the set's (apply) order. `table` is a summary
//! for people: type, name, tenant, sources.
//!
//! JSON is written object by object ([`JsonDoc`]): the set is neither copied
//! nor turned into one large string first, and on a machine with more than
//! one core batches of objects are serialised on worker threads and written
//! in order, so the bytes are the same as one `serde_json` pretty print.
//!
//! Whatever the format, a PEM private key never leaves this module: any
//! string holding one is replaced by [`REDACTED`] while it is serialised
//! (translation already redacts; this is the last line of defence).

use std::collections::BTreeSet;
use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::model::{AviObject, AviType, LeanObject, ObjectSet};

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
    match format {
        Format::Json => {
            let mut buf = Vec::new();
            // Writing to memory cannot fail.
            let _ = JsonDoc::new(objects, show_secrets).write(&mut buf);
            String::from_utf8(buf).unwrap_or_default()
        }
        Format::Yaml => {
            // The objects themselves, not a `Value`: the fields keep the
            // JSON order (type, name, tenant, sources, body).
            let doc = YamlDoc {
                objects: objects
                    .objects
                    .iter()
                    .map(|o| View::new(o, show_secrets))
                    .collect(),
            };
            serde_saphyr::to_string(&doc).unwrap_or_default()
        }
        // The table shows no bodies: nothing to redact.
        Format::Table | Format::Wide => table(objects, None),
        Format::Name => objects
            .objects
            .iter()
            .map(|o| format!("{}/{}\n", o.kind.as_str(), o.name))
            .collect(),
    }
}

#[derive(Serialize)]
struct YamlDoc<'a> {
    objects: Vec<View<'a>>,
}

/// The JSON document of a compiled set: `{"objects": [...]}` plus any other
/// top-level keys added with [`JsonDoc::field`], in the order added, pretty
/// printed as `serde_json::to_string_pretty` would, with a final newline.
pub struct JsonDoc<'a> {
    objects: Objects<'a>,
    show_secrets: bool,
    /// Keys written before `objects`, then after it.
    head: Vec<(String, Value)>,
    fields: Vec<(String, Value)>,
}

/// The objects of a [`JsonDoc`]: with `Value` bodies, or lean (bodies as
/// compact JSON text, laid out again without being parsed).
#[derive(Clone, Copy)]
enum Objects<'a> {
    Trees(&'a [AviObject]),
    Lean(&'a [LeanObject]),
}

impl Objects<'_> {
    fn len(&self) -> usize {
        match self {
            Objects::Trees(o) => o.len(),
            Objects::Lean(o) => o.len(),
        }
    }
}

/// Objects serialised per batch: each worker thread serialises every
/// `threads`-th batch and runs at most two batches ahead of the writer,
/// which bounds the text held in memory before it is written.
const BATCH: usize = 512;

impl<'a> JsonDoc<'a> {
    pub fn new(objects: &'a ObjectSet, show_secrets: bool) -> Self {
        JsonDoc {
            objects: Objects::Trees(&objects.objects),
            show_secrets,
            head: Vec::new(),
            fields: Vec::new(),
        }
    }

    /// The document of a lean compile (`compile::compile_lean`): the same
    /// bytes as [`JsonDoc::new`] on the same objects with `Value` bodies.
    pub fn lean(objects: &'a [LeanObject], show_secrets: bool) -> Self {
        JsonDoc {
            objects: Objects::Lean(objects),
            show_secrets,
            head: Vec::new(),
            fields: Vec::new(),
        }
    }

    /// Add a top-level key before `objects` (and after the keys added before).
    pub fn first(mut self, key: impl Into<String>, value: Value) -> Self {
        self.head.push((key.into(), value));
        self
    }

    /// Add a top-level key after `objects` (and after the keys added before).
    pub fn field(mut self, key: impl Into<String>, value: Value) -> Self {
        self.fields.push((key.into(), value));
        self
    }

    /// Write the document to `w` (unbuffered writers should be wrapped in a
    /// `BufWriter` by the caller).
    pub fn write<W: Write + ?Sized>(&self, w: &mut W) -> io::Result<()> {
        w.write_all(b"{")?;
        for (key, value) in &self.head {
            w.write_all(b"\n  ")?;
            serde_json::to_writer(&mut *w, key)?;
            w.write_all(b": ")?;
            let mut ser = serde_json::Serializer::with_formatter(&mut *w, Pretty::at(1));
            value.serialize(&mut ser)?;
            w.write_all(b",")?;
        }
        w.write_all(b"\n  \"objects\": ")?;
        let len = self.objects.len();
        if len == 0 {
            w.write_all(b"[]")?;
        } else {
            w.write_all(b"[")?;
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
            // Batch `b` is written by worker `b % threads` (0: this thread);
            // the workers start once and run at most two batches ahead.
            let batches = len.div_ceil(BATCH);
            let range = |b: usize| b * BATCH..((b + 1) * BATCH).min(len);
            std::thread::scope(|s| -> io::Result<()> {
                let workers: Vec<_> = (1..threads.min(batches))
                    .map(|t| {
                        let (tx, rx) = std::sync::mpsc::sync_channel(2);
                        s.spawn(move || {
                            for b in (t..batches).step_by(threads) {
                                if tx.send(self.objects_text(range(b))).is_err() {
                                    break;
                                }
                            }
                        });
                        rx
                    })
                    .collect();
                for b in 0..batches {
                    let t = b % threads;
                    let part = match t.checked_sub(1).and_then(|i| workers.get(i)) {
                        Some(rx) => rx
                            .recv()
                            .map_err(|_| io::Error::other("a rendering thread stopped"))?,
                        None => self.objects_text(range(b)),
                    };
                    if b > 0 {
                        w.write_all(b",")?;
                    }
                    w.write_all(&part)?;
                }
                Ok(())
            })?;
            w.write_all(b"\n  ]")?;
        }
        for (key, value) in &self.fields {
            w.write_all(b",\n  ")?;
            serde_json::to_writer(&mut *w, key)?;
            w.write_all(b": ")?;
            let mut ser = serde_json::Serializer::with_formatter(&mut *w, Pretty::at(1));
            value.serialize(&mut ser)?;
        }
        w.write_all(b"\n}\n")
    }

    /// `objects` as they appear inside the `objects` array: each on a new
    /// line at depth 2, separated by commas (none before the first).
    fn objects_text(&self, range: std::ops::Range<usize>) -> Vec<u8> {
        let mut buf = Vec::with_capacity(range.len() * 2048);
        for (i, at) in range.enumerate() {
            buf.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
            match self.objects {
                Objects::Trees(objects) => self.object_text(&objects[at], &mut buf),
                Objects::Lean(objects) => self.lean_text(&objects[at], &mut buf),
            }
        }
        buf
    }

    fn object_text(&self, o: &AviObject, buf: &mut Vec<u8>) {
        let mut ser = serde_json::Serializer::with_formatter(buf, Pretty::at(2));
        // Plain data into memory: cannot fail.
        let _ = View::new(o, self.show_secrets).serialize(&mut ser);
    }

    /// A lean object as [`JsonDoc::object_text`] writes it: the fields
    /// before `body` through `serde_json`, the body's text laid out again.
    /// A body that holds a private key to redact goes the `Value` way.
    fn lean_text(&self, l: &LeanObject, buf: &mut Vec<u8>) {
        if !self.show_secrets && holds_private_key(&l.body) {
            return self.object_text(&l.to_object(), buf);
        }
        #[derive(Serialize)]
        struct Head<'a> {
            #[serde(rename = "type")]
            kind: AviType,
            name: &'a str,
            tenant: &'a str,
            sources: &'a [String],
        }
        let head = Head {
            kind: l.kind,
            name: &l.name,
            tenant: &l.tenant,
            sources: &l.sources,
        };
        let start = buf.len();
        let mut ser = serde_json::Serializer::with_formatter(&mut *buf, Pretty::at(2));
        let _ = head.serialize(&mut ser);
        // `{ ... \n    }`: the body goes before the closing line.
        let close = b"\n    }";
        if buf.len() >= start + close.len() && buf.ends_with(close) {
            buf.truncate(buf.len() - close.len());
        }
        buf.extend_from_slice(b",\n      \"body\": ");
        pretty_from_compact(&l.body, 3, buf);
        buf.extend_from_slice(close);
    }
}

/// How one object is written: the fields of [`AviObject`] in its order, the
/// body redacted unless secrets were asked for.
#[derive(Serialize)]
struct View<'a> {
    #[serde(rename = "type")]
    kind: AviType,
    name: &'a str,
    tenant: &'a str,
    sources: &'a BTreeSet<String>,
    body: Body<'a>,
}

impl<'a> View<'a> {
    fn new(o: &'a AviObject, show_secrets: bool) -> Self {
        let AviObject {
            kind,
            name,
            tenant,
            sources,
            body,
        } = o;
        View {
            kind: *kind,
            name,
            tenant,
            sources,
            body: Body {
                value: body,
                redact: !show_secrets,
            },
        }
    }
}

/// A body serialised with every string that holds a PEM private key
/// replaced by [`REDACTED`] (when `redact`).
struct Body<'a> {
    value: &'a Value,
    redact: bool,
}

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !self.redact {
            return self.value.serialize(s);
        }
        match self.value {
            Value::String(v) if holds_private_key(v) => s.serialize_str(REDACTED),
            Value::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for x in a {
                    seq.serialize_element(&Body {
                        value: x,
                        redact: true,
                    })?;
                }
                seq.end()
            }
            Value::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, x) in m {
                    map.serialize_entry(
                        k,
                        &Body {
                            value: x,
                            redact: true,
                        },
                    )?;
                }
                map.end()
            }
            other => other.serialize(s),
        }
    }
}

/// Compact JSON text (as `serde_json` writes a `Value`) laid out as
/// [`Pretty::at`]`(depth)` lays out that value, without parsing it: a line
/// break and indent after `{`, `[` and `,`, before `}` and `]`, a space
/// after `:`, and empty `{}` and `[]` kept as they are.
fn pretty_from_compact(text: &str, depth: usize, out: &mut Vec<u8>) {
    fn newline(out: &mut Vec<u8>, indent: usize) {
        out.push(b'\n');
        out.resize(out.len() + indent * 2, b' ');
    }
    let b = text.as_bytes();
    let mut indent = depth;
    let mut i = 0;
    let mut start = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                // To the closing quote: the next quote or backslash, past
                // each escape.
                i += 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', b.get(i..).unwrap_or_default()) {
                        Some(at) if b[i + at] == b'\\' => i += at + 2,
                        Some(at) => {
                            i += at + 1;
                            break;
                        }
                        None => {
                            i = b.len();
                            break;
                        }
                    }
                }
            }
            b'{' | b'[' if matches!(b.get(i + 1), Some(b'}' | b']')) => i += 2,
            b'{' | b'[' => {
                out.extend_from_slice(&b[start..=i]);
                indent += 1;
                newline(out, indent);
                i += 1;
                start = i;
            }
            b'}' | b']' => {
                out.extend_from_slice(&b[start..i]);
                indent = indent.saturating_sub(1);
                newline(out, indent);
                out.push(b[i]);
                i += 1;
                start = i;
            }
            b',' => {
                out.extend_from_slice(&b[start..=i]);
                newline(out, indent);
                i += 1;
                start = i;
            }
            b':' => {
                out.extend_from_slice(&b[start..=i]);
                out.push(b' ');
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.extend_from_slice(&b[start.min(b.len())..]);
}

/// `serde_json`'s pretty layout (two spaces per level) starting at a given
/// depth, so that a value written on its own lines up inside the document.
struct Pretty {
    indent: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Self {
        Pretty {
            indent: depth,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        w.write_all(b"\n")?;
        let mut n = self.indent * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
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

    /// Many objects of varied shapes (more than one batch, so several
    /// threads), some with keys.
    fn many(n: usize) -> ObjectSet {
        let objects = (0..n)
            .map(|i| AviObject {
                kind: AviType::ALL[i % AviType::ALL.len()],
                name: format!("obj-{i}"),
                tenant: if i % 3 == 0 { "admin" } else { "t\"1" }.into(),
                sources: (0..i % 3).map(|j| format!("Service/ns/s{j}")).collect(),
                body: match i % 4 {
                    0 => {
                        json!({"name": format!("obj-{i}"), "key": KEY, "list": [1, {"a": []}, {}]})
                    }
                    1 => json!({"nested": {"deep": [[], [KEY, "x\ny"], {"k": null, "f": 1.5}]}}),
                    2 => json!({}),
                    _ => json!([]),
                },
            })
            .collect();
        ObjectSet { objects }
    }

    /// The streamed document is byte for byte `serde_json`'s pretty print of
    /// the set (redacted as [`redact`] does), at any size.
    #[test]
    fn json_is_serde_json_pretty_print() {
        for n in [0, 1, 2, 7, BATCH * 2 + 3, BATCH * 9 + 1] {
            let set = many(n);
            let mut want = serde_json::to_string_pretty(&set).expect("json");
            want.push('\n');
            assert_eq!(render_with(&set, Format::Json, true), want, "n = {n}");
            let redacted = ObjectSet {
                objects: set
                    .objects
                    .iter()
                    .map(|o| AviObject {
                        body: redact(&o.body),
                        ..o.clone()
                    })
                    .collect(),
            };
            let mut want = serde_json::to_string_pretty(&redacted).expect("json");
            want.push('\n');
            let got = render(&set, Format::Json);
            assert_eq!(got, want, "n = {n}");
            assert!(!got.contains("PRIVATE KEY"));
        }
    }

    /// Extra top-level keys follow `objects`, in the order added, laid out as
    /// one pretty print of the whole document would.
    #[test]
    fn json_takes_more_top_level_keys() {
        for n in [0, 3] {
            let set = many(n);
            let extra = json!([{"severity": "warning", "message": "m"}, []]);
            let mut buf = Vec::new();
            JsonDoc::new(&set, true)
                .field("diagnostics", extra.clone())
                .field("format_version", json!(1))
                .field("empty", json!({}))
                .write(&mut buf)
                .expect("write");
            // Each value pretty printed on its own, one level in, in the
            // order added.
            let values = [
                ("objects", serde_json::to_string_pretty(&set.objects)),
                ("diagnostics", serde_json::to_string_pretty(&extra)),
                ("format_version", serde_json::to_string_pretty(&json!(1))),
                ("empty", serde_json::to_string_pretty(&json!({}))),
            ];
            let mut want = String::from("{\n");
            for (i, (k, v)) in values.into_iter().enumerate() {
                let v = v.expect("json").replace('\n', "\n  ");
                want.push_str(&format!("  \"{k}\": {v}"));
                want.push_str(if i < 3 { ",\n" } else { "\n" });
            }
            want.push_str("}\n");
            assert_eq!(String::from_utf8(buf).expect("utf-8"), want, "n = {n}");
        }
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

    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            // Strings with the characters the layout looks at.
            "[a-z{}\\[\\]:,\"\\\\\n é]{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                proptest::collection::btree_map("[a-z:,{}\"]{0,6}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Laying compact text out again gives what `serde_json` writes
        /// for the value with the same formatter, at any depth.
        #[test]
        fn compact_text_lays_out_as_serde_json(v in json_value(), depth in 0usize..4) {
            let mut want = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(&mut want, Pretty::at(depth));
            v.serialize(&mut ser).unwrap();
            let mut got = Vec::new();
            pretty_from_compact(&v.to_string(), depth, &mut got);
            proptest::prop_assert_eq!(String::from_utf8(got).unwrap(), String::from_utf8(want).unwrap());
        }
    }
}
