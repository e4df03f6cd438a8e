//! A YAML tree that remembers where each node came from (file line or a
//! `--set` argument), and helm-style `--set` overrides applied to it.
//!
//! Pure: parses texts handed in by the caller.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// Where a node was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Src {
    /// 1-based line in the values file (0 when the parser could not tell).
    Line(u64),
    /// The `--set` argument that wrote it.
    Set(String),
    /// Read from the cluster: `ConfigMap avi-system/avi-k8s-config key
    /// cloudName`, `env CLOUD_NAME of container ako`, ...
    Cluster(String),
}

/// One YAML node with its origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub src: Src,
    pub val: Val,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    /// A number, as helm's `quote` would print it.
    Num(String),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in file order; a later duplicate replaces an earlier one.
    Map(Vec<(String, Node)>),
}

impl Val {
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "a boolean",
            Val::Num(_) => "a number",
            Val::Str(_) => "a string",
            Val::Seq(_) => "a list",
            Val::Map(_) => "a mapping",
        }
    }

    /// The text helm's `quote` renders for a scalar (`None` for lists and
    /// mappings). `null` renders as the empty string.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Val::Null => Some(String::new()),
            Val::Bool(b) => Some(b.to_string()),
            Val::Num(n) | Val::Str(n) => Some(n.clone()),
            Val::Seq(_) | Val::Map(_) => None,
        }
    }
}

impl Node {
    pub fn new(src: Src, val: Val) -> Self {
        Node { src, val }
    }

    /// The entry `key` of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.val {
            Val::Map(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s: Spanned<Val> = Spanned::deserialize(d)?;
        Ok(Node {
            src: Src::Line(s.referenced.line()),
            val: s.value,
        })
    }
}

/// A mapping key: any scalar, as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Val::deserialize(d)? {
            Val::Seq(_) | Val::Map(_) => Err(de::Error::custom("mapping keys must be scalars")),
            v => Ok(Key(v.as_text().unwrap_or_default())),
        }
    }
}

impl<'de> Deserialize<'de> for Val {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValVisitor)
    }
}

struct ValVisitor;

impl<'de> Visitor<'de> for ValVisitor {
    type Value = Val;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Val, E> {
        Ok(Val::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Val, E> {
        Ok(Val::Num(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Val, E> {
        Ok(Val::Num(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Val, E> {
        Ok(Val::Num(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Val, E> {
        Ok(Val::Num(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Val, E> {
        Ok(Val::Num(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Val, E> {
        Ok(Val::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Val, E> {
        Ok(Val::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Val, E> {
        Ok(Val::Null)
    }
    fn visit_none<E>(self) -> Result<Val, E> {
        Ok(Val::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Val, D::Error> {
        Val::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Val, A::Error> {
        let mut out = Vec::new();
        while let Some(n) = a.next_element::<Node>()? {
            out.push(n);
        }
        Ok(Val::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Val, A::Error> {
        let mut out: Vec<(String, Node)> = Vec::new();
        while let Some((k, v)) = a.next_entry::<Key, Node>()? {
            // The parser refuses duplicate keys, so each key comes once.
            out.push((k.0, v));
        }
        Ok(Val::Map(out))
    }
}

/// Parser limits for a values file: the library's defaults, but no more
/// nodes or events than an honest file of this size can hold (every node
/// takes at least a byte), so that alias expansion ("billion laughs") stops
/// after work proportional to the text.
fn options(len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.min(len.saturating_add(1024));
    budget.max_events = budget
        .max_events
        .min(len.saturating_mul(2).saturating_add(2048));
    let mut opts = serde_saphyr::Options::default();
    opts.budget = Some(budget);
    opts
}

/// Parse one YAML document. An empty document is an empty mapping.
/// Errors carry `file:line:column` when the parser knows them.
pub fn parse(file: &str, text: &str) -> Result<Node, String> {
    let only_comments = text
        .lines()
        .all(|l| matches!(l.trim_start().chars().next(), None | Some('#')));
    if only_comments {
        return Ok(Node::new(Src::Line(1), Val::Map(Vec::new())));
    }
    match serde_saphyr::from_str_with_options::<Node>(text, options(text.len())) {
        Ok(n) if n.val == Val::Null => Ok(Node::new(Src::Line(1), Val::Map(Vec::new()))),
        Ok(n) => Ok(n),
        Err(e) => {
            let message = crate::input::yaml_message(&e);
            let message = first_line(&message);
            Err(match e.location() {
                Some(l) if l.line() > 0 => {
                    format!("{file}:{}:{}: {message}", l.line(), l.column())
                }
                _ => format!("{file}: {message}"),
            })
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

// ---------------------------------------------------------------------------
// --set
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Apply one `--set` argument (`a.b=c`, `a.b[0].c=x`, `a=1,b=2`, `a={x,y}`,
/// `\` escapes `.`, `,`, `=`, `[`) to `root`, the way helm's `--set` does:
/// `true`/`false` become booleans, integers numbers, `null` removes the key,
/// anything else stays a string.
pub fn apply_set(root: &mut Node, arg: &str) -> Result<(), String> {
    for assignment in split_unescaped(arg, ',', true) {
        if assignment.is_empty() {
            continue;
        }
        let (path, value) = split_assignment(&assignment)
            .ok_or_else(|| format!("--set {arg}: expected KEY=VALUE, got {assignment:?}"))?;
        let segs = parse_path(&path).map_err(|e| format!("--set {arg}: {e}"))?;
        let src = Src::Set(arg.to_string());
        let val = typed_value(&value, &src);
        set_path(root, &segs, val, &src).map_err(|e| format!("--set {arg}: {e}"))?;
    }
    Ok(())
}

/// Split on `sep` outside `{...}` and not escaped by `\`. Escapes are kept
/// (they are resolved later) unless `keep_escapes` is false.
fn split_unescaped(s: &str, sep: char, keep_escapes: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if keep_escapes {
                    cur.push('\\');
                }
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '{' => {
                depth += 1;
                cur.push(c);
            }
            '}' => {
                depth = depth.saturating_sub(1);
                cur.push(c);
            }
            c if c == sep && depth == 0 => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// `path=value` at the first unescaped `=`.
fn split_assignment(s: &str) -> Option<(String, String)> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '=' => return Some((s[..i].to_string(), s[i + 1..].to_string())),
            _ => {}
        }
    }
    None
}

fn parse_path(path: &str) -> Result<Vec<Seg>, String> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    let mut after_index = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '.' => {
                if cur.is_empty() && !after_index {
                    return Err(format!("empty key in {path:?}"));
                }
                if !cur.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut cur)));
                }
                after_index = false;
            }
            '[' => {
                if !cur.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut cur)));
                }
                let mut num = String::new();
                loop {
                    match chars.next() {
                        Some(']') => break,
                        Some(d) => num.push(d),
                        None => return Err(format!("unclosed '[' in {path:?}")),
                    }
                }
                let i: usize = num
                    .trim()
                    .parse()
                    .map_err(|_| format!("bad list index [{num}] in {path:?}"))?;
                if i > 65535 {
                    return Err(format!("list index [{i}] too large in {path:?}"));
                }
                segs.push(Seg::Index(i));
                after_index = true;
            }
            c => {
                if after_index {
                    return Err(format!("expected '.' or '[' after ']' in {path:?}"));
                }
                cur.push(c);
            }
        }
    }
    if !cur.is_empty() {
        segs.push(Seg::Key(cur));
    }
    match segs.first() {
        None => Err("empty key".into()),
        Some(Seg::Index(_)) => Err(format!("{path:?} must start with a key")),
        Some(Seg::Key(_)) => Ok(segs),
    }
}

/// Helm's `typedVal` for `--set`: `true`/`false` (any case), `null`, integers
/// without a leading zero; everything else is a string. `{a,b}` is a list.
fn typed_value(v: &str, src: &Src) -> Val {
    if let Some(inner) = v.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
        if inner.is_empty() {
            return Val::Seq(Vec::new());
        }
        let items = split_unescaped(inner, ',', false)
            .into_iter()
            .map(|x| Node::new(src.clone(), typed_value(&x, src)))
            .collect();
        return Val::Seq(items);
    }
    let v = unescape(v);
    if v.eq_ignore_ascii_case("true") {
        return Val::Bool(true);
    }
    if v.eq_ignore_ascii_case("false") {
        return Val::Bool(false);
    }
    if v.eq_ignore_ascii_case("null") {
        return Val::Null;
    }
    let digits = v.strip_prefix('-').unwrap_or(&v);
    let is_int = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && v.parse::<i64>().is_ok();
    if is_int { Val::Num(v) } else { Val::Str(v) }
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn set_path(node: &mut Node, segs: &[Seg], val: Val, src: &Src) -> Result<(), String> {
    let Some((first, rest)) = segs.split_first() else {
        *node = Node::new(src.clone(), val);
        return Ok(());
    };
    match first {
        Seg::Key(k) => {
            if !matches!(node.val, Val::Map(_)) {
                *node = Node::new(src.clone(), Val::Map(Vec::new()));
            }
            let Val::Map(m) = &mut node.val else {
                return Ok(());
            };
            if rest.is_empty() && val == Val::Null {
                m.retain(|(x, _)| x != k);
                return Ok(());
            }
            let pos = match m.iter().position(|(x, _)| x == k) {
                Some(p) => p,
                None => {
                    m.push((k.clone(), Node::new(src.clone(), Val::Null)));
                    m.len() - 1
                }
            };
            set_path(&mut m[pos].1, rest, val, src)
        }
        Seg::Index(i) => {
            if !matches!(node.val, Val::Seq(_)) {
                *node = Node::new(src.clone(), Val::Seq(Vec::new()));
            }
            let Val::Seq(items) = &mut node.val else {
                return Ok(());
            };
            while items.len() <= *i {
                items.push(Node::new(src.clone(), Val::Null));
            }
            set_path(&mut items[*i], rest, val, src)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(yaml: &str) -> Node {
        parse("v.yaml", yaml).expect("test yaml parses")
    }

    /// Found by the `values` fuzz target: an alias bomb ran to the library's
    /// 250 000-node limit (seconds under instrumentation); the values budget
    /// stops it after work proportional to the text.
    #[test]
    fn alias_bomb_stops_within_the_text_budget() {
        let text = include_str!("../../testdata/fuzz-regressions/values/alias-bomb-timeout.yaml");
        let err = parse("v.yaml", text).err().unwrap_or_default();
        let nodes: usize = err
            .split("nodes: ")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(usize::MAX);
        assert!(nodes <= text.len() + 1025, "{err}");
    }

    #[test]
    fn honest_values_fit_the_budget() {
        let text = include_str!("../../testdata/settings/ako-values.yaml");
        assert!(parse("v.yaml", text).is_ok());
    }

    #[test]
    fn lines_are_recorded() {
        let n = root("a:\n  b: 1\n  c: [x, y]\n");
        let b = n.get("a").and_then(|a| a.get("b")).expect("a.b");
        assert_eq!(b.src, Src::Line(2));
        assert_eq!(b.val, Val::Num("1".into()));
    }

    #[test]
    fn empty_document_is_empty_map() {
        assert_eq!(root("# only a comment\n").val, Val::Map(Vec::new()));
        assert_eq!(root("").val, Val::Map(Vec::new()));
    }

    #[test]
    fn parse_error_names_file_and_line() {
        let e = parse("v.yaml", "a: [1, 2\nb: 3\n").expect_err("must fail");
        assert!(e.starts_with("v.yaml:"), "{e}");
    }

    #[test]
    fn set_types_like_helm() {
        let mut n = root("{}");
        apply_set(&mut n, "a.b=true,a.c=007,a.d=12,a.e=x\\,y,a.f={p,q}").expect("set");
        let a = n.get("a").expect("a");
        assert_eq!(a.get("b").map(|x| &x.val), Some(&Val::Bool(true)));
        assert_eq!(a.get("c").map(|x| &x.val), Some(&Val::Str("007".into())));
        assert_eq!(a.get("d").map(|x| &x.val), Some(&Val::Num("12".into())));
        assert_eq!(a.get("e").map(|x| &x.val), Some(&Val::Str("x,y".into())));
        let Some(Val::Seq(f)) = a.get("f").map(|x| &x.val) else {
            panic!("f is a list")
        };
        assert_eq!(f.len(), 2);
    }

    #[test]
    fn set_indexes_and_null() {
        let mut n = root("l:\n- name: a\n  x: 1\n");
        apply_set(&mut n, "l[0].name=b").expect("set");
        apply_set(&mut n, "l[1].name=c").expect("set");
        apply_set(&mut n, "l[0].x=null").expect("set");
        let Some(Val::Seq(items)) = n.get("l").map(|x| &x.val) else {
            panic!("list")
        };
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0].get("name").map(|x| &x.val),
            Some(&Val::Str("b".into()))
        );
        assert!(items[0].get("x").is_none());
        assert_eq!(
            items[1].get("name").map(|x| &x.src),
            Some(&Src::Set("l[1].name=c".into()))
        );
    }

    #[test]
    fn set_rejects_garbage() {
        let mut n = root("{}");
        assert!(apply_set(&mut n, "novalue").is_err());
        assert!(apply_set(&mut n, "a[x]=1").is_err());
        assert!(apply_set(&mut n, "[0]=1").is_err());
        assert!(apply_set(&mut n, "a..b=1").is_err());
    }
}
