//! Every Avi object name formula of AKO, written once.
//!
//! A [`Formula`] is a small declarative description: a template of literal
//! text and named parts (`<namespace>`, optional groups `[<infra>-]`), the
//! kind of text each part accepts, whether and how the name is hashed, and
//! the AKO file and function it follows. The compile side builds names with
//! [`format`]; `explain-name` reads them back with [`parse`], which returns
//! every reading (names, namespaces and hosts contain `-`, so a name may
//! split in several ways). The formulas themselves are in [`table`].
//!
//! Template syntax: `<key>` or `<key:kind>` is a part (the kind says what
//! text it accepts when parsing, see [`Kind`]); `[...]` is an optional
//! group, written when every part in it is non-empty; anything else is
//! literal. The formula shown to people is the template without the kinds.
//!
//! Pure: no IO, nothing from `compile`.

pub mod table;

#[cfg(test)]
mod tests;

use sha1::{Digest, Sha1};

/// How a formula's name relates to its template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    /// The name is the filled template.
    Plain,
    /// `internal/lib/lib.go` `Encode`: with EVH on, the name is
    /// `<cluster>--` + sha1 of the filled template (which starts with the
    /// same prefix), unless that is already an encoded name.
    Evh,
    /// The name is the given outer template, whose `<sha1>` part is the
    /// sha1 of the filled inner template (always hashed, e.g. the Gateway
    /// API's `EncodeWithPrefix`).
    Always(&'static str),
}

/// One AKO naming formula.
#[derive(Debug)]
pub struct Formula {
    /// Short name of the rule, e.g. `L4 pool (one per Service port)`.
    pub rule: &'static str,
    /// The template (the hashed text's template for [`Hash::Always`]).
    pub template: &'static str,
    /// Where AKO writes it: file and function.
    pub spec: &'static str,
    /// Avi object types named by it.
    pub types: &'static [&'static str],
    pub hash: Hash,
    /// Part keys whose start offsets order the readings of one name (an
    /// earlier start first); empty: the order [`parse`] finds them in.
    pub order: &'static [&'static str],
    /// Whether the `cluster` part is reported among the parts.
    pub cluster_part: bool,
    /// The formula as shown, when it is not the template itself.
    pub display: Option<&'static str>,
}

/// What text a part accepts when a name is read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Any non-empty text.
    Any,
    /// Any text, also empty.
    Text,
    /// The cluster name: the known one, else text without `--`.
    Cluster,
    /// The cluster name inside an AKO user `ako-<cluster>[-<namespace>]`.
    User,
    /// RFC 1123 label (namespaces, Service names).
    Label,
    /// RFC 1123 subdomain (most object names).
    Subdomain,
    /// A subdomain without a dot (an infra setting before a host).
    InfraName,
    /// Text without a dot (an infra setting before a host and a path).
    NoDot,
    /// A host as AKO uses it: with a dot, may start with `*.`.
    Host,
    /// A path with `/` written as `_`: empty or starting with `_`.
    Path,
    /// Decimal digits.
    Digits,
    /// 40 lower-case hex digits.
    Hex40,
    /// `TCP`, `UDP` or `SCTP`.
    Protocol,
    /// `router-certs-default` or `router-certs-default-alt`.
    DefaultCert,
    /// An AKO user of the Gateway API container: `ako-gw-...` without `--`.
    GatewayUser,
}

impl Kind {
    fn from_name(s: &str) -> Kind {
        match s {
            "cluster" => Kind::Cluster,
            "user" => Kind::User,
            "label" => Kind::Label,
            "sub" => Kind::Subdomain,
            "infra" => Kind::InfraName,
            "nodot" => Kind::NoDot,
            "host" => Kind::Host,
            "path" => Kind::Path,
            "digits" => Kind::Digits,
            "hex" => Kind::Hex40,
            "proto" => Kind::Protocol,
            "defaultcert" => Kind::DefaultCert,
            "gwuser" => Kind::GatewayUser,
            "text" => Kind::Text,
            _ => Kind::Any,
        }
    }

    fn accepts(self, v: &str, cluster: Option<&str>) -> bool {
        match self {
            Kind::Path => v.is_empty() || v.starts_with('_'),
            Kind::Text => true,
            _ if v.is_empty() => false,
            Kind::Any => true,
            Kind::Cluster => match cluster {
                Some(k) => v == k,
                None => !v.contains("--"),
            },
            Kind::User => cluster.is_none_or(|k| v == k || v.starts_with(&format!("{k}-"))),
            Kind::Label => is_dns_label(v),
            Kind::Subdomain => is_dns_subdomain(v),
            Kind::InfraName => !v.contains('.') && is_dns_subdomain(v),
            Kind::NoDot => !v.contains('.'),
            Kind::Host => is_host(v),
            Kind::Digits => v.bytes().all(|b| b.is_ascii_digit()),
            Kind::Hex40 => is_hex40(v),
            Kind::Protocol => matches!(v, "TCP" | "UDP" | "SCTP"),
            Kind::DefaultCert => matches!(v, "router-certs-default" | "router-certs-default-alt"),
            Kind::GatewayUser => {
                v.starts_with("ako-gw-") && v.len() > 7 && !v.contains("--") && !v.ends_with('-')
            }
        }
    }

    /// The part's value as read from the name.
    fn value(self, v: &str) -> String {
        match self {
            Kind::Path => v.replace('_', "/"),
            Kind::DefaultCert => "router-certs-default".into(),
            _ => v.to_string(),
        }
    }
}

/// RFC 1123 label: lower-case alphanumerics and `-`, alphanumeric at both
/// ends, at most 63 bytes.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// RFC 1123 subdomain: labels joined by `.`.
pub fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// A host as AKO uses it: has a dot, host characters, may start with `*.`.
pub fn is_host(s: &str) -> bool {
    let h = s.strip_prefix("*.").unwrap_or(s);
    h.contains('.')
        && h.split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// 40 lower-case hex digits (a SHA-1).
pub fn is_hex40(s: &str) -> bool {
    s.len() == 40
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Lower-case hex SHA-1.
pub fn sha1_hex(s: &str) -> String {
    let d = Sha1::digest(s.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// `internal/lib/lib.go` `IsNameEncoded`: exactly two `--` parts, the
/// second hex.
pub fn is_name_encoded(name: &str) -> bool {
    let parts: Vec<&str> = name.split("--").collect();
    parts.len() == 2 && !parts[1].is_empty() && parts[1].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The key under which a placeholder's value is given and reported, when
/// it is not the placeholder itself.
const KEYS: &[(&str, &str)] = &[
    ("infra", "infrasetting"),
    ("ako-ns", "ako-namespace"),
    ("n", "shard"),
    ("path_", "path"),
    ("PROTOCOL", "protocol"),
    ("shared-vip key", "shared-vip"),
    ("gateway namespace", "namespace"),
];

fn key_of(placeholder: &'static str) -> &'static str {
    KEYS.iter()
        .find(|(p, _)| *p == placeholder)
        .map_or(placeholder, |(_, k)| k)
}

/// One piece of a template.
#[derive(Clone, Debug)]
enum Tok {
    Lit(&'static str),
    Part(&'static str, Kind),
    Opt(Vec<Tok>),
}

fn tokens(t: &'static str) -> Vec<Tok> {
    fn group(t: &'static str, i: &mut usize) -> Vec<Tok> {
        let mut out = Vec::new();
        let b = t.as_bytes();
        let mut lit = *i;
        while *i < b.len() {
            match b[*i] {
                b'<' | b'[' | b']' => {
                    if lit < *i {
                        out.push(Tok::Lit(&t[lit..*i]));
                    }
                    if b[*i] == b']' {
                        *i += 1;
                        return out;
                    }
                    if b[*i] == b'[' {
                        *i += 1;
                        out.push(Tok::Opt(group(t, i)));
                    } else {
                        let end = t[*i..].find('>').map_or(b.len(), |e| *i + e);
                        let inner = &t[*i + 1..end];
                        let (key, kind) = match inner.split_once(':') {
                            Some((k, kind)) => (k, Kind::from_name(kind)),
                            None if inner == "cluster" => (inner, Kind::Cluster),
                            None => (inner, Kind::Any),
                        };
                        out.push(Tok::Part(key_of(key), kind));
                        *i = end + 1;
                    }
                    lit = *i;
                }
                _ => *i += 1,
            }
        }
        if lit < b.len() {
            out.push(Tok::Lit(&t[lit..]));
        }
        out
    }
    group(t, &mut 0)
}

/// The template as shown: kinds dropped.
fn shown(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    let mut skip = false;
    for c in t.chars() {
        match c {
            ':' if !skip && s.rfind('<') > s.rfind('>') => skip = true,
            '>' => {
                skip = false;
                s.push(c);
            }
            _ if skip => {}
            _ => s.push(c),
        }
    }
    s
}

impl Formula {
    /// The formula as people read it, e.g.
    /// `<cluster>--[<infra>-]<namespace>-<host><path_>-<ingress>`.
    pub fn formula(&self) -> String {
        if let Some(d) = self.display {
            return d.to_string();
        }
        match self.hash {
            Hash::Always(outer) => {
                shown(outer).replace("<sha1>", &format!("sha1({})", shown(self.template)))
            }
            _ => shown(self.template),
        }
    }

    /// The formula of the hashed name, e.g.
    /// `<cluster>--sha1(<cluster>--<namespace>-<service>)` for one through
    /// `Encode`.
    pub fn hashed_formula(&self) -> String {
        match self.hash {
            Hash::Evh if self.display.is_none() => {
                format!("<cluster>--sha1({})", shown(self.template))
            }
            _ => self.formula(),
        }
    }

    /// The keys of the parts, in template order.
    pub fn keys(&self) -> Vec<&'static str> {
        fn walk(ts: &[Tok], out: &mut Vec<&'static str>) {
            for t in ts {
                match t {
                    Tok::Part(k, _) => out.push(k),
                    Tok::Opt(g) => walk(g, out),
                    Tok::Lit(_) => {}
                }
            }
        }
        let mut v = Vec::new();
        walk(&tokens(self.template), &mut v);
        v
    }
}

/// The text of a template with `parts` filled in; a missing part is empty,
/// and an optional group with an empty part is left out. Paths are written
/// with `/` as `_`.
fn fill(template: &'static str, parts: &[(&str, &str)]) -> String {
    fn walk(ts: &[Tok], parts: &[(&str, &str)], out: &mut String) -> bool {
        let mut all = true;
        for t in ts {
            match t {
                Tok::Lit(s) => out.push_str(s),
                Tok::Part(k, kind) => {
                    let v = parts.iter().find(|(p, _)| p == k).map_or("", |(_, v)| *v);
                    all &= !v.is_empty();
                    if *kind == Kind::Path {
                        out.push_str(&v.replace('/', "_"));
                    } else {
                        out.push_str(v);
                    }
                }
                Tok::Opt(g) => {
                    let mut s = String::new();
                    if walk(g, parts, &mut s) {
                        out.push_str(&s);
                    }
                }
            }
        }
        all
    }
    /// [`tokens`] of each template filled on this thread, by address: a
    /// compile fills the same few templates for every object.
    type Cache = std::collections::HashMap<(usize, usize), std::rc::Rc<[Tok]>>;
    thread_local! {
        static TOKENS: std::cell::RefCell<Cache> = std::cell::RefCell::default();
    }
    let key = (template.as_ptr() as usize, template.len());
    let toks = TOKENS.with(|m| {
        m.borrow_mut()
            .entry(key)
            .or_insert_with(|| tokens(template).into())
            .clone()
    });
    let mut out = String::new();
    walk(&toks, parts, &mut out);
    out
}

/// The name `f` gives for `parts` (`evh`: whether AKO runs with EVH on,
/// for [`Hash::Evh`]).
pub fn format(f: &Formula, parts: &[(&str, &str)], evh: bool) -> String {
    let text = fill(f.template, parts);
    match f.hash {
        Hash::Plain => text,
        Hash::Evh => encode(parts_cluster(parts), &text, evh),
        Hash::Always(outer) => {
            let h = sha1_hex(&text);
            let mut p: Vec<(&str, &str)> = parts.to_vec();
            p.push(("sha1", &h));
            fill(outer, &p)
        }
    }
}

/// The text `f` hashes for `parts` ([`Hash::Always`]) or would hash
/// ([`Hash::Evh`]): the filled template.
pub fn hashed_text(f: &Formula, parts: &[(&str, &str)]) -> String {
    fill(f.template, parts)
}

fn parts_cluster<'a>(parts: &[(&str, &'a str)]) -> &'a str {
    parts
        .iter()
        .find(|(k, _)| *k == "cluster")
        .map_or("", |(_, v)| v)
}

/// `internal/lib/lib.go` `Encode`: with EVH on, `<cluster>--sha1(name)`
/// unless `name` is already encoded; `name` otherwise.
pub fn encode(cluster: &str, name: &str, evh: bool) -> String {
    if evh && !is_name_encoded(name) {
        format!("{cluster}--{}", sha1_hex(name))
    } else {
        name.to_string()
    }
}

/// What a hashed name was made from, recorded where the name is built so
/// that `explain-name` shows it without guessing.
#[derive(Clone, Debug)]
pub struct Hashed {
    pub formula: &'static Formula,
    /// The text whose sha1 the name holds.
    pub text: String,
    /// The parts of that text, in template order (paths with `/`).
    pub parts: Vec<(&'static str, String)>,
    /// What the parts were made from, where a part is itself a hash (a
    /// Gateway API rule: its index and the text its FNV-1a is taken of).
    pub detail: Vec<(&'static str, String)>,
}

/// The hash input of the name `f` gives for `parts`, when that name is
/// hashed (always for [`Hash::Always`], in EVH mode for [`Hash::Evh`]).
pub fn hashed(f: &'static Formula, parts: &[(&str, &str)], evh: bool) -> Option<Hashed> {
    let text = fill(f.template, parts);
    let is_hashed = match f.hash {
        Hash::Plain => false,
        Hash::Evh => evh && !is_name_encoded(&text),
        Hash::Always(_) => true,
    };
    if !is_hashed {
        return None;
    }
    let keys: Vec<&'static str> = f.keys();
    let parts = keys
        .iter()
        .filter_map(|k| {
            parts
                .iter()
                .find(|(p, _)| p == k)
                .filter(|(_, v)| !v.is_empty())
                .map(|(_, v)| (*k, v.to_string()))
        })
        .filter(|(k, _)| *k != "cluster" || f.cluster_part)
        .collect();
    Some(Hashed {
        formula: f,
        text,
        parts,
        detail: Vec::new(),
    })
}

/// One reading of a name by a formula.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The parts, in template order (`cluster` only when the formula
    /// reports it); paths with `/` again.
    pub parts: Vec<(&'static str, String)>,
    /// The cluster part, when the template has one.
    pub cluster: Option<String>,
    /// The sort key: the start offsets of the formula's `order` parts.
    pub key: Vec<usize>,
}

/// Every reading of `name` by `f`'s name template (the outer one for
/// [`Hash::Always`]), ordered by the formula's `order`. `cluster` is the
/// cluster name when known.
pub fn parse(f: &Formula, name: &str, cluster: Option<&str>) -> Vec<Parsed> {
    let template = match f.hash {
        Hash::Always(outer) => outer,
        _ => f.template,
    };
    parse_template(f, template, name, cluster)
}

/// Every reading of the hashed text of a [`Hash::Always`] formula (or the
/// un-hashed name of a [`Hash::Evh`] one).
pub fn parse_text(f: &Formula, text: &str, cluster: Option<&str>) -> Vec<Parsed> {
    parse_template(f, f.template, text, cluster)
}

type Found = Vec<(&'static str, Kind, usize, usize)>;

fn parse_template(
    f: &Formula,
    template: &'static str,
    name: &str,
    cluster: Option<&str>,
) -> Vec<Parsed> {
    let mut found: Vec<Found> = Vec::new();
    walk(
        &tokens(template),
        name,
        0,
        cluster,
        &mut Vec::new(),
        &mut found,
    );
    let mut out: Vec<Parsed> = found
        .into_iter()
        .map(|fs| {
            let key = f
                .order
                .iter()
                .filter_map(|k| fs.iter().find(|p| p.0 == *k).map(|p| p.2))
                .collect();
            let cluster_v = fs
                .iter()
                .find(|p| p.0 == "cluster")
                .map(|p| name[p.2..p.3].to_string());
            let parts = fs
                .iter()
                .filter(|p| p.0 != "cluster" || f.cluster_part)
                .map(|&(k, kind, a, b)| (k, kind.value(&name[a..b])))
                .collect();
            Parsed {
                parts,
                cluster: cluster_v,
                key,
            }
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out.dedup();
    out
}

fn walk(
    ts: &[Tok],
    s: &str,
    pos: usize,
    cluster: Option<&str>,
    acc: &mut Found,
    out: &mut Vec<Found>,
) {
    let Some((t, rest)) = ts.split_first() else {
        if pos == s.len() {
            out.push(acc.clone());
        }
        return;
    };
    match t {
        Tok::Lit(l) => {
            if s[pos..].starts_with(l) {
                walk(rest, s, pos + l.len(), cluster, acc, out);
            }
        }
        Tok::Opt(g) => {
            walk(rest, s, pos, cluster, acc, out);
            let mut joined = g.clone();
            joined.extend_from_slice(rest);
            let n = acc.len();
            walk(&joined, s, pos, cluster, acc, out);
            acc.truncate(n);
        }
        Tok::Part(k, kind) => {
            let ends: Vec<usize> = match rest.first() {
                None => vec![s.len()],
                Some(Tok::Lit(l)) => s[pos..].match_indices(l).map(|(i, _)| pos + i).collect(),
                Some(_) => (pos..=s.len()).filter(|&i| s.is_char_boundary(i)).collect(),
            };
            for end in ends {
                let v = &s[pos..end];
                if kind.accepts(v, cluster) {
                    acc.push((k, *kind, pos, end));
                    walk(rest, s, end, cluster, acc, out);
                    acc.pop();
                }
            }
        }
    }
}
