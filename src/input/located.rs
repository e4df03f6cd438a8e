//! Finding where a field sits in the YAML text.
//!
//! `serde_ignored` reports the path of every field a type does not know, but not
//! its position. When there are such fields, the documents are read once more
//! into a light tree that keeps only mapping keys and their positions, and each
//! path is looked up there.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A field path inside one object, e.g. `spec.rules[0].http`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn from_ignored(path: &serde_ignored::Path<'_>) -> FieldPath {
        let mut segs = Vec::new();
        let mut p = path;
        loop {
            match p {
                serde_ignored::Path::Root => break,
                serde_ignored::Path::Seq { parent, index } => {
                    segs.push(Seg::Index(*index));
                    p = parent;
                }
                serde_ignored::Path::Map { parent, key } => {
                    segs.push(Seg::Key(key.clone()));
                    p = parent;
                }
                serde_ignored::Path::Some { parent }
                | serde_ignored::Path::NewtypeStruct { parent }
                | serde_ignored::Path::NewtypeVariant { parent } => p = parent,
            }
        }
        segs.reverse();
        FieldPath(segs)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub(crate) fn of(loc: &serde_saphyr::Location) -> Option<Pos> {
        let line = usize::try_from(loc.line()).ok().filter(|&l| l > 0)?;
        let column = usize::try_from(loc.column()).ok()?;
        Some(Pos { line, column })
    }
}

/// A YAML node reduced to its structure and key positions.
#[derive(Debug)]
pub enum Node {
    Map(Vec<(Spanned<KeyText>, Node)>),
    Seq(Vec<Spanned<Node>>),
    Leaf,
}

impl Node {
    /// Position of the last key of `path` below this node.
    pub fn find(&self, path: &[Seg]) -> Option<Pos> {
        let (first, rest) = path.split_first()?;
        match (self, first) {
            (Node::Map(entries), Seg::Key(k)) => {
                // The last entry wins, as it does for duplicate keys in the decode.
                let (key, child) = entries
                    .iter()
                    .rev()
                    .find(|(key, _)| key.value.0.as_deref() == Some(k))?;
                if rest.is_empty() {
                    Pos::of(&key.referenced)
                } else {
                    child.find(rest)
                }
            }
            (Node::Seq(items), Seg::Index(i)) => {
                let item = items.get(*i)?;
                if rest.is_empty() {
                    Pos::of(&item.referenced)
                } else {
                    item.value.find(rest)
                }
            }
            _ => None,
        }
    }

    /// Every key present below this node that `pattern` names, with its
    /// position: a dotted path whose `name[]` steps into every element of the
    /// list `name`.
    pub fn expand(&self, pattern: &str) -> Vec<(Vec<Seg>, Pos)> {
        let steps: Vec<&str> = pattern.split('.').collect();
        let mut out = Vec::new();
        self.expand_into(&steps, &mut Vec::new(), &mut out);
        out
    }

    fn expand_into(&self, steps: &[&str], at: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, Pos)>) {
        let Some((step, rest)) = steps.split_first() else {
            return;
        };
        let (key, each) = match step.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (*step, false),
        };
        let seg = Seg::Key(key.to_string());
        let Some(child) = self.get(&seg) else {
            return;
        };
        let pos = self.find(std::slice::from_ref(&seg));
        at.push(seg);
        match (each, child) {
            (false, _) if rest.is_empty() => {
                if let Some(pos) = pos {
                    out.push((at.clone(), pos));
                }
            }
            (false, _) => child.expand_into(rest, at, out),
            (true, Node::Seq(items)) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(Seg::Index(i));
                    item.value.expand_into(rest, at, out);
                    at.pop();
                }
            }
            (true, _) => {}
        }
        at.pop();
    }

    /// The node at `path` (used to step into a List item).
    pub fn get(&self, seg: &Seg) -> Option<&Node> {
        match (self, seg) {
            (Node::Map(entries), Seg::Key(k)) => entries
                .iter()
                .rev()
                .find(|(key, _)| key.value.0.as_deref() == Some(k))
                .map(|(_, n)| n),
            (Node::Seq(items), Seg::Index(i)) => items.get(*i).map(|s| &s.value),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Node, D::Error> {
        de.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Node, D::Error> {
        Node::deserialize(de)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<Node, D::Error> {
        Node::deserialize(de)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// A mapping key as text when it is a string; `None` for other keys.
#[derive(Debug)]
pub struct KeyText(pub Option<String>);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<KeyText, D::Error> {
        de.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyText;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
        Ok(KeyText(Some(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<KeyText, E> {
        Ok(KeyText(Some(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
        Ok(KeyText(Some(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
        Ok(KeyText(Some(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
        Ok(KeyText(Some(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<KeyText, E> {
        Ok(KeyText(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
        Ok(KeyText(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<KeyText, E> {
        Ok(KeyText(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<KeyText, D::Error> {
        KeyText::deserialize(de)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyText, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(KeyText(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyText, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(KeyText(None))
    }
}
