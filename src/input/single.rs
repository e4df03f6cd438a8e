//! The single pass: headers and typed objects from one read of the YAML.
//!
//! Nearly every manifest starts its objects with `apiVersion` and `kind`
//! (`kubectl get -o yaml` sorts its keys, and Helm charts and the Kubernetes
//! docs write them first). For such an object the kind is known after two
//! keys, so the rest of the same mapping is decoded straight into the
//! registered type ([`decode_rest`]), with the two keys handed back to it
//! first ([`Prefixed`]). A `List` whose `items` come before its `kind`, as
//! kubectl writes it, works too: each item is read the same way, and the
//! list's `kind` is checked when it arrives.
//!
//! Anything else (another key before `apiVersion` and `kind`, an item
//! without them, a value that is not a string, any YAML error) stops this
//! pass with [`fallback`]; the caller then reads the text in the two passes
//! of the module doc, which also give every error its usual message. Both
//! ways decode a typed object through the same [`decode_rest`], so the YAML
//! deserializer is instantiated once per registered type.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::MetaHeader;
use super::erased;
use super::located::FieldPath;
use super::registry::{self, Decoded, KindId, Lookup};

/// Stop the single pass: the text is read again in two passes (any error
/// of the single pass does that; this one is never shown).
fn fallback<E: de::Error>() -> E {
    E::custom("read in two passes")
}

/// One object as the single pass read it.
pub(super) struct Read {
    pub api_version: String,
    pub kind: String,
    /// For a List item: its index and position.
    pub item: Option<(usize, Location)>,
    /// The metadata of an object not decoded, for its label.
    pub meta: Option<MetaHeader>,
    /// The typed object and its unknown fields, for a registered kind.
    pub decoded: Option<(Decoded, Vec<FieldPath>)>,
}

/// One document of the single pass.
pub(super) struct ReadDoc(pub Vec<Read>);

impl<'de> Deserialize<'de> for ReadDoc {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<ReadDoc, D::Error> {
        de.deserialize_map(Head { item: false })
    }
}

/// A List item in the single pass (its position from `Spanned`).
struct ReadItem(Read);

impl<'de> Deserialize<'de> for ReadItem {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<ReadItem, D::Error> {
        let mut read = de.deserialize_map(Head { item: true })?;
        match read.0.pop() {
            Some(r) if read.0.is_empty() => Ok(ReadItem(r)),
            _ => Err(fallback()),
        }
    }
}

/// Reads a mapping's first keys; once `apiVersion` and `kind` are known,
/// decodes or skips the rest.
struct Head {
    /// A List item (no nested Lists).
    item: bool,
}

impl<'de> Visitor<'de> for Head {
    type Value = ReadDoc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ReadDoc, A::Error> {
        let mut head: Vec<(&'static str, String)> = Vec::with_capacity(2);
        let (mut api_version, mut kind): (Option<String>, Option<String>) = (None, None);
        loop {
            let Some(key) = map.next_key::<String>()? else {
                return Err(fallback());
            };
            match key.as_str() {
                "apiVersion" if api_version.is_none() => {
                    let v = map.next_value::<String>()?;
                    api_version = Some(v.clone());
                    head.push(("apiVersion", v));
                }
                "kind" if kind.is_none() => {
                    let v = map.next_value::<String>()?;
                    kind = Some(v.clone());
                    head.push(("kind", v));
                }
                // `kubectl get -o yaml` of several objects: `apiVersion`,
                // `items`, `kind: List`, `metadata`.
                "items" if !self.item && api_version.is_some() && kind.is_none() => {
                    let items = map.next_value_seed(Items)?;
                    return list_rest(map, items);
                }
                _ => return Err(fallback()),
            }
            let (Some(api_version), Some(kind)) = (&api_version, &kind) else {
                continue;
            };
            if api_version.is_empty() || kind.is_empty() {
                return Err(fallback());
            }
            if !self.item && kind.ends_with("List") {
                return list_after_kind(map, kind == "List");
            }
            let (api_version, kind) = (api_version.clone(), kind.clone());
            return match registry::lookup(&api_version, &kind) {
                Lookup::Found(k) | Lookup::Served(k, _) => {
                    let decoded = decode_rest(k.id, head, map)?;
                    Ok(ReadDoc(vec![Read {
                        api_version,
                        kind,
                        item: None,
                        meta: None,
                        decoded: Some(decoded),
                    }]))
                }
                _ => {
                    let mut meta = None;
                    while let Some(key) = map.next_key::<String>()? {
                        if key == "metadata" && meta.is_none() {
                            meta = map.next_value::<Option<MetaHeader>>()?;
                        } else {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                    Ok(ReadDoc(vec![Read {
                        api_version,
                        kind,
                        item: None,
                        meta,
                        decoded: None,
                    }]))
                }
            };
        }
    }
}

/// A List after its `apiVersion` and `kind`: its `items`, the rest skipped.
/// A typed list (`ServiceList`) without `items` is read in two passes, as
/// the single object it then is.
fn list_after_kind<'de, A: MapAccess<'de>>(mut map: A, generic: bool) -> Result<ReadDoc, A::Error> {
    let mut items = None;
    while let Some(key) = map.next_key::<String>()? {
        if key == "items" && items.is_none() {
            items = Some(map.next_value_seed(Items)?);
        } else {
            map.next_value::<IgnoredAny>()?;
        }
    }
    match items {
        Some(items) => Ok(ReadDoc(items)),
        None if generic => Ok(ReadDoc(Vec::new())),
        None => Err(fallback()),
    }
}

/// A List after its `items`: the rest skipped, its `kind` checked.
fn list_rest<'de, A: MapAccess<'de>>(mut map: A, items: Vec<Read>) -> Result<ReadDoc, A::Error> {
    let mut kind = None;
    while let Some(key) = map.next_key::<String>()? {
        if key == "kind" && kind.is_none() {
            kind = Some(map.next_value::<String>()?);
        } else if key == "items" || key == "apiVersion" {
            return Err(fallback());
        } else {
            map.next_value::<IgnoredAny>()?;
        }
    }
    match kind {
        Some(k) if k.ends_with("List") => Ok(ReadDoc(items)),
        _ => Err(fallback()),
    }
}

/// A List's `items`, each read head first with its position.
struct Items;

impl<'de> DeserializeSeed<'de> for Items {
    type Value = Vec<Read>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Vec<Read>, D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items {
    type Value = Vec<Read>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Read>, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<ReadItem>>()? {
            let mut read = item.value.0;
            read.item = Some((out.len(), item.referenced));
            out.push(read);
        }
        Ok(out)
    }
}

/// Decode the rest of a mapping as the registered kind `id`, the keys read
/// before (`head`, in their order) first; every field the type does not
/// know is recorded. The typed side sees only [`erased::Typed`], so the
/// YAML side is compiled once for all kinds; except, in optimised builds,
/// for the kinds [`direct`] names.
pub(super) fn decode_rest<'de, A: MapAccess<'de>>(
    id: KindId,
    head: Vec<(&'static str, String)>,
    map: A,
) -> Result<(Decoded, Vec<FieldPath>), A::Error> {
    let mut unknown = Vec::new();
    let rest = de::value::MapAccessDeserializer::new(Prefixed {
        head: head.into_iter(),
        value: None,
        rest: map,
    });
    let mut record = |path: serde_ignored::Path<'_>| {
        unknown.push(FieldPath::from_ignored(&path));
    };
    let de = serde_ignored::Deserializer::new(rest, &mut record);
    let obj = match id {
        #[cfg(not(debug_assertions))]
        KindId::Service => direct(de, Decoded::Service)?,
        #[cfg(not(debug_assertions))]
        KindId::Ingress => direct(de, Decoded::Ingress)?,
        #[cfg(not(debug_assertions))]
        KindId::EndpointSlice => direct(de, Decoded::EndpointSlice)?,
        _ => {
            let mut yaml = erased::Yaml(Some(de));
            id.decode(erased::Typed(&mut yaml))
                .map_err(erased::from_error)?
        }
    };
    Ok((obj, unknown))
}

/// A kind decoded by a deserializer compiled for its own types, in
/// optimised builds only.
///
/// Services, Ingresses and EndpointSlices are most of a cluster's objects.
/// Through the [`erased`] boundary, 10,000 Services + 10,000 Ingresses took
/// 8% more wall time (3.4% more instructions at 1,000 + 1,000); decoding
/// the three kinds directly adds about 27 s to the release build. Test
/// builds, which a contributor waits for, go through the boundary for
/// every kind: smaller and faster to build, and the same values and errors
/// (`erased::tests`).
#[cfg(not(debug_assertions))]
fn direct<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    de: D,
    wrap: fn(Box<T>) -> Decoded,
) -> Result<Decoded, D::Error> {
    T::deserialize(de).map(|o| wrap(Box::new(o)))
}

/// A mapping whose first entries were already read: they are given again,
/// then the rest of the mapping.
struct Prefixed<A> {
    head: std::vec::IntoIter<(&'static str, String)>,
    value: Option<String>,
    rest: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Prefixed<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some((key, value)) = self.head.next() {
            self.value = Some(value);
            return seed
                .deserialize(de::value::BorrowedStrDeserializer::new(key))
                .map(Some);
        }
        self.rest.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(HeadValue(v, std::marker::PhantomData)),
            None => self.rest.next_value_seed(seed),
        }
    }
}

/// The value of `apiVersion` or `kind` handed back: a string, also where
/// the type holds an `Option` (as a YAML string would be).
struct HeadValue<E>(String, std::marker::PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for HeadValue<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_string(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
