//! Typed decoding through one instance of the YAML deserializer.
//!
//! serde's derive gives every Rust type its own visitor, and a deserializer
//! is compiled once for every visitor and seed it is handed. The manifests
//! decode into about 300 types, so serde-saphyr and serde_ignored were
//! compiled over a thousand times: half of the crate's generated code.
//!
//! This module puts a `dyn` boundary between the two sides:
//!
//! - the typed side (the `Deserialize` impls of k8s-openapi and of
//!   `crate::kube`) sees [`Typed`], a `serde::Deserializer` over
//!   `&mut dyn DynDe`;
//! - the YAML side (serde_ignored over serde-saphyr, [`Yaml`]) sees one
//!   visitor type, [`VisitorRef`], and one seed type, [`SeedRef`].
//!
//! Each call crosses the boundary as one of the few object-safe traits here.
//! A value comes back through the slot of the visitor or seed that made it
//! (nothing is boxed), and an error stays a `serde_saphyr::Error` on both
//! sides (see [`cast`]), so messages and locations are those of a direct
//! decode.

use std::fmt;
use std::mem::ManuallyDrop;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

type Error = serde_saphyr::Error;

/// `x` as a `Y`, when `X` is `Y`.
///
/// serde's traits are generic over the error type of the deserializer they
/// are handed, so the YAML side's errors reach this module as some `X:
/// de::Error`; it is always `serde_saphyr::Error`, which this cast returns
/// unchanged (its location and snippet included).
fn cast<X, Y>(x: X) -> Result<Y, X> {
    if typeid::of::<X>() == typeid::of::<Y>() {
        let x = ManuallyDrop::new(x);
        // SAFETY: `X` and `Y` have the same type id up to lifetimes, and one
        // of them is `serde_saphyr::Error`, which has no lifetime parameters:
        // they are the same type. `x` is not dropped, so the value moves.
        Ok(unsafe { std::ptr::read(std::ptr::from_ref::<X>(&x).cast::<Y>()) })
    } else {
        Err(x)
    }
}

fn to_error<X: de::Error>(x: X) -> Error {
    cast::<X, Error>(x).unwrap_or_else(<Error as de::Error>::custom)
}

pub(super) fn from_error<X: de::Error>(e: Error) -> X {
    cast::<Error, X>(e).unwrap_or_else(X::custom)
}

/// A value that was never produced: a deserializer returned `Ok` without
/// calling its visitor or seed.
fn no_value() -> Error {
    <Error as de::Error>::custom("the YAML deserializer returned no value")
}

// ---------------------------------------------------------------------------
// The object-safe traits.

/// Which `Deserializer` method was called, with its arguments.
#[derive(Clone, Copy)]
pub(super) enum Hint {
    Any,
    Bool,
    I8,
    I16,
    I32,
    I64,
    I128,
    U8,
    U16,
    U32,
    U64,
    U128,
    F32,
    F64,
    Char,
    Str,
    String,
    Bytes,
    ByteBuf,
    Option,
    Unit,
    UnitStruct(&'static str),
    NewtypeStruct(&'static str),
    Seq,
    Tuple(usize),
    TupleStruct(&'static str, usize),
    Map,
    Struct(&'static str, &'static [&'static str]),
    Enum(&'static str, &'static [&'static str]),
    Identifier,
    IgnoredAny,
}

/// A deserializer, used once.
pub(super) trait DynDe<'de> {
    fn deserialize(&mut self, hint: Hint, v: &mut dyn DynVisitor<'de>) -> Result<(), Error>;
    fn is_human_readable(&self) -> bool;
}

/// What a visitor is handed.
///
/// Fewer kinds than `Visitor` has methods, since the typed side compiles a
/// match over them for every visitor: serde-saphyr calls the narrow
/// methods (`visit_i8`, `visit_f32`, `visit_char`, `visit_i128`, ...) only
/// from the matching `deserialize_*`, that is for a field of that very
/// type, whose visitor takes the widened value (`I64`, `F64`, `Str`) the
/// same way. A 128-bit integer beyond 64 bits is refused.
pub(super) enum Event<'a, 'de> {
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(&'a str),
    String(String),
    Bytes(&'a [u8]),
    ByteBuf(Vec<u8>),
    None,
    Some(&'a mut dyn DynDe<'de>),
    Unit,
    Newtype(&'a mut dyn DynDe<'de>),
    Seq(&'a mut dyn DynSeq<'de>),
    Map(&'a mut dyn DynMap<'de>),
    Enum(&'a mut dyn DynEnum<'de>),
}

pub(super) trait DynVisitor<'de> {
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn visit(&mut self, event: Event<'_, 'de>) -> Result<(), Error>;
}

pub(super) trait DynSeed<'de> {
    fn deserialize(&mut self, de: &mut dyn DynDe<'de>) -> Result<(), Error>;
}

pub(super) trait DynSeq<'de> {
    fn next(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<bool, Error>;
    fn size_hint(&self) -> Option<usize>;
}

pub(super) trait DynMap<'de> {
    fn next_key(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<bool, Error>;
    fn next_value(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<(), Error>;
    fn size_hint(&self) -> Option<usize>;
}

pub(super) trait DynEnum<'de> {
    fn variant(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<(), Error>;
    fn unit(&mut self) -> Result<(), Error>;
    fn newtype(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<(), Error>;
    fn tuple(&mut self, len: usize, v: &mut dyn DynVisitor<'de>) -> Result<(), Error>;
    fn struct_(
        &mut self,
        fields: &'static [&'static str],
        v: &mut dyn DynVisitor<'de>,
    ) -> Result<(), Error>;
}

// ---------------------------------------------------------------------------
// The typed side: serde's traits over the object-safe ones. Compiled once
// per visitor or seed of the typed side, and small.

/// A typed seed and, once it has run, its value.
struct SeedSlot<'de, S: DeserializeSeed<'de>> {
    seed: Option<S>,
    value: Option<S::Value>,
}

/// A typed visitor and, once it has run, its value.
struct VisitorSlot<'de, V: Visitor<'de>> {
    visitor: Option<V>,
    value: Option<V::Value>,
}

/// The value of `visitor`, handed to the YAML side by `step`.
fn through_visitor<'de, V: Visitor<'de>>(
    visitor: V,
    step: impl FnOnce(&mut dyn DynVisitor<'de>) -> Result<(), Error>,
) -> Result<V::Value, Error> {
    let mut slot = VisitorSlot {
        visitor: Some(visitor),
        value: None,
    };
    step(&mut slot)?;
    slot.value.ok_or_else(no_value)
}

/// The value of `seed`, handed to the YAML side by `step`; `None` when
/// `step` says there is none (the end of a sequence or mapping).
fn through_seed<'de, S: DeserializeSeed<'de>>(
    seed: S,
    step: impl FnOnce(&mut dyn DynSeed<'de>) -> Result<bool, Error>,
) -> Result<Option<S::Value>, Error> {
    let mut slot = SeedSlot {
        seed: Some(seed),
        value: None,
    };
    if !step(&mut slot)? {
        return Ok(None);
    }
    slot.value.ok_or_else(no_value).map(Some)
}

/// [`through_seed`] for a step that always has a value.
fn seed_value<'de, S: DeserializeSeed<'de>>(
    seed: S,
    step: impl FnOnce(&mut dyn DynSeed<'de>) -> Result<(), Error>,
) -> Result<S::Value, Error> {
    through_seed(seed, |s| step(s).map(|()| true))?.ok_or_else(no_value)
}

impl<'de, V: Visitor<'de>> DynVisitor<'de> for VisitorSlot<'de, V> {
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.visitor {
            Some(v) => v.expecting(f),
            None => f.write_str("a value"),
        }
    }

    fn visit(&mut self, event: Event<'_, 'de>) -> Result<(), Error> {
        let v = self.visitor.take().ok_or_else(no_value)?;
        let value = match event {
            Event::Bool(x) => v.visit_bool(x),
            Event::I64(x) => v.visit_i64(x),
            Event::U64(x) => v.visit_u64(x),
            Event::F64(x) => v.visit_f64(x),
            Event::Str(x) => v.visit_str(x),
            Event::String(x) => v.visit_string(x),
            Event::Bytes(x) => v.visit_bytes(x),
            Event::ByteBuf(x) => v.visit_byte_buf(x),
            Event::None => v.visit_none(),
            Event::Some(de) => v.visit_some(Typed(de)),
            Event::Unit => v.visit_unit(),
            Event::Newtype(de) => v.visit_newtype_struct(Typed(de)),
            Event::Seq(seq) => v.visit_seq(SeqRef(seq)),
            Event::Map(map) => v.visit_map(MapRef(map)),
            Event::Enum(e) => v.visit_enum(EnumRef(e)),
        }?;
        self.value = Some(value);
        Ok(())
    }
}

impl<'de, S: DeserializeSeed<'de>> DynSeed<'de> for SeedSlot<'de, S> {
    fn deserialize(&mut self, de: &mut dyn DynDe<'de>) -> Result<(), Error> {
        let seed = self.seed.take().ok_or_else(no_value)?;
        self.value = Some(seed.deserialize(Typed(de))?);
        Ok(())
    }
}

/// The deserializer the typed side is handed.
pub(super) struct Typed<'a, 'de>(pub(super) &'a mut dyn DynDe<'de>);

impl<'de> Typed<'_, 'de> {
    fn run<V: Visitor<'de>>(self, hint: Hint, visitor: V) -> Result<V::Value, Error> {
        through_visitor(visitor, |v| self.0.deserialize(hint, v))
    }
}

macro_rules! typed_methods {
    ($($method:ident => $hint:ident),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.run(Hint::$hint, visitor)
        })*
    };
}

impl<'de> Deserializer<'de> for Typed<'_, 'de> {
    type Error = Error;

    typed_methods! {
        deserialize_any => Any,
        deserialize_bool => Bool,
        deserialize_i8 => I8,
        deserialize_i16 => I16,
        deserialize_i32 => I32,
        deserialize_i64 => I64,
        deserialize_i128 => I128,
        deserialize_u8 => U8,
        deserialize_u16 => U16,
        deserialize_u32 => U32,
        deserialize_u64 => U64,
        deserialize_u128 => U128,
        deserialize_f32 => F32,
        deserialize_f64 => F64,
        deserialize_char => Char,
        deserialize_str => Str,
        deserialize_string => String,
        deserialize_bytes => Bytes,
        deserialize_byte_buf => ByteBuf,
        deserialize_option => Option,
        deserialize_unit => Unit,
        deserialize_seq => Seq,
        deserialize_map => Map,
        deserialize_identifier => Identifier,
        deserialize_ignored_any => IgnoredAny,
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.run(Hint::UnitStruct(name), visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.run(Hint::NewtypeStruct(name), visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        self.run(Hint::Tuple(len), visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.run(Hint::TupleStruct(name, len), visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.run(Hint::Struct(name, fields), visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.run(Hint::Enum(name, variants), visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

struct SeqRef<'a, 'de>(&'a mut dyn DynSeq<'de>);

impl<'de> SeqAccess<'de> for SeqRef<'_, 'de> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        through_seed(seed, |s| self.0.next(s))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct MapRef<'a, 'de>(&'a mut dyn DynMap<'de>);

impl<'de> MapAccess<'de> for MapRef<'_, 'de> {
    type Error = Error;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        through_seed(seed, |s| self.0.next_key(s))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        seed_value(seed, |s| self.0.next_value(s))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct EnumRef<'a, 'de>(&'a mut dyn DynEnum<'de>);

impl<'a, 'de> EnumAccess<'de> for EnumRef<'a, 'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let value = seed_value(seed, |s| self.0.variant(s))?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for EnumRef<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        self.0.unit()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed_value(seed, |s| self.0.newtype(s))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        through_visitor(visitor, |v| self.0.tuple(len, v))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        through_visitor(visitor, |v| self.0.struct_(fields, v))
    }
}

// ---------------------------------------------------------------------------
// The YAML side: the object-safe traits over serde's. Compiled once per
// deserializer or access type of the YAML side (a handful).

/// A YAML-side deserializer, not used yet.
pub(super) struct Yaml<D>(pub(super) Option<D>);

impl<'de, D: Deserializer<'de>> DynDe<'de> for Yaml<D> {
    fn deserialize(&mut self, hint: Hint, v: &mut dyn DynVisitor<'de>) -> Result<(), Error> {
        let de = self.0.take().ok_or_else(no_value)?;
        let v = VisitorRef(v);
        match hint {
            Hint::Any => de.deserialize_any(v),
            Hint::Bool => de.deserialize_bool(v),
            Hint::I8 => de.deserialize_i8(v),
            Hint::I16 => de.deserialize_i16(v),
            Hint::I32 => de.deserialize_i32(v),
            Hint::I64 => de.deserialize_i64(v),
            Hint::I128 => de.deserialize_i128(v),
            Hint::U8 => de.deserialize_u8(v),
            Hint::U16 => de.deserialize_u16(v),
            Hint::U32 => de.deserialize_u32(v),
            Hint::U64 => de.deserialize_u64(v),
            Hint::U128 => de.deserialize_u128(v),
            Hint::F32 => de.deserialize_f32(v),
            Hint::F64 => de.deserialize_f64(v),
            Hint::Char => de.deserialize_char(v),
            Hint::Str => de.deserialize_str(v),
            Hint::String => de.deserialize_string(v),
            Hint::Bytes => de.deserialize_bytes(v),
            Hint::ByteBuf => de.deserialize_byte_buf(v),
            Hint::Option => de.deserialize_option(v),
            Hint::Unit => de.deserialize_unit(v),
            Hint::UnitStruct(name) => de.deserialize_unit_struct(name, v),
            Hint::NewtypeStruct(name) => de.deserialize_newtype_struct(name, v),
            Hint::Seq => de.deserialize_seq(v),
            Hint::Tuple(len) => de.deserialize_tuple(len, v),
            Hint::TupleStruct(name, len) => de.deserialize_tuple_struct(name, len, v),
            Hint::Map => de.deserialize_map(v),
            Hint::Struct(name, fields) => de.deserialize_struct(name, fields, v),
            Hint::Enum(name, variants) => de.deserialize_enum(name, variants, v),
            Hint::Identifier => de.deserialize_identifier(v),
            Hint::IgnoredAny => de.deserialize_ignored_any(v),
        }
        .map_err(to_error)
    }

    fn is_human_readable(&self) -> bool {
        self.0.as_ref().is_none_or(Deserializer::is_human_readable)
    }
}

/// The one visitor type the YAML side is handed.
struct VisitorRef<'a, 'de>(&'a mut dyn DynVisitor<'de>);

impl<'de> VisitorRef<'_, 'de> {
    fn event<E: de::Error>(self, event: Event<'_, 'de>) -> Result<(), E> {
        self.0.visit(event).map_err(from_error)
    }
}

/// `Visitor` methods that hand their value on as one [`Event`], widened.
macro_rules! visit_values {
    ($($method:ident($ty:ty) => $event:ident),* $(,)?) => {
        $(fn $method<E: de::Error>(self, x: $ty) -> Result<(), E> {
            self.event(Event::$event(x.into()))
        })*
    };
}

impl<'de> Visitor<'de> for VisitorRef<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    visit_values! {
        visit_bool(bool) => Bool,
        visit_i8(i8) => I64,
        visit_i16(i16) => I64,
        visit_i32(i32) => I64,
        visit_i64(i64) => I64,
        visit_u8(u8) => U64,
        visit_u16(u16) => U64,
        visit_u32(u32) => U64,
        visit_u64(u64) => U64,
        visit_f32(f32) => F64,
        visit_f64(f64) => F64,
        visit_str(&str) => Str,
        visit_borrowed_str(&'de str) => Str,
        visit_string(String) => String,
        visit_bytes(&[u8]) => Bytes,
        visit_borrowed_bytes(&'de [u8]) => Bytes,
        visit_byte_buf(Vec<u8>) => ByteBuf,
    }

    fn visit_i128<E: de::Error>(self, x: i128) -> Result<(), E> {
        match i64::try_from(x) {
            Ok(x) => self.event(Event::I64(x)),
            Err(_) => Err(E::invalid_value(
                de::Unexpected::Other("a 128-bit integer"),
                &self,
            )),
        }
    }

    fn visit_u128<E: de::Error>(self, x: u128) -> Result<(), E> {
        match u64::try_from(x) {
            Ok(x) => self.event(Event::U64(x)),
            Err(_) => Err(E::invalid_value(
                de::Unexpected::Other("a 128-bit integer"),
                &self,
            )),
        }
    }

    fn visit_char<E: de::Error>(self, x: char) -> Result<(), E> {
        self.event(Event::Str(x.encode_utf8(&mut [0; 4])))
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.event(Event::None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.event(Event::Unit)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        self.event(Event::Some(&mut Yaml(Some(de))))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        self.event(Event::Newtype(&mut Yaml(Some(de))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.event(Event::Seq(&mut YamlSeq(seq)))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.event(Event::Map(&mut YamlMap(map)))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        self.event(Event::Enum(&mut YamlEnum {
            access: Some(data),
            variant: None,
        }))
    }
}

/// The one seed type the YAML side is handed.
struct SeedRef<'a, 'de>(&'a mut dyn DynSeed<'de>);

impl<'de> DeserializeSeed<'de> for SeedRef<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        let mut de = Yaml(Some(de));
        self.0.deserialize(&mut de).map_err(from_error)
    }
}

struct YamlSeq<A>(A);

impl<'de, A: SeqAccess<'de>> DynSeq<'de> for YamlSeq<A> {
    fn next(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<bool, Error> {
        self.0
            .next_element_seed(SeedRef(seed))
            .map(|o| o.is_some())
            .map_err(to_error)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct YamlMap<A>(A);

impl<'de, A: MapAccess<'de>> DynMap<'de> for YamlMap<A> {
    fn next_key(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<bool, Error> {
        self.0
            .next_key_seed(SeedRef(seed))
            .map(|o| o.is_some())
            .map_err(to_error)
    }

    fn next_value(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<(), Error> {
        self.0.next_value_seed(SeedRef(seed)).map_err(to_error)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct YamlEnum<'de, A: EnumAccess<'de>> {
    access: Option<A>,
    variant: Option<A::Variant>,
}

impl<'de, A: EnumAccess<'de>> YamlEnum<'de, A> {
    /// The variant [`DynEnum::variant`] read.
    fn chosen(&mut self) -> Result<A::Variant, Error> {
        self.variant.take().ok_or_else(no_value)
    }
}

impl<'de, A: EnumAccess<'de>> DynEnum<'de> for YamlEnum<'de, A> {
    fn variant(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<(), Error> {
        let access = self.access.take().ok_or_else(no_value)?;
        let ((), variant) = access.variant_seed(SeedRef(seed)).map_err(to_error)?;
        self.variant = Some(variant);
        Ok(())
    }

    fn unit(&mut self) -> Result<(), Error> {
        self.chosen()?.unit_variant().map_err(to_error)
    }

    fn newtype(&mut self, seed: &mut dyn DynSeed<'de>) -> Result<(), Error> {
        self.chosen()?
            .newtype_variant_seed(SeedRef(seed))
            .map_err(to_error)
    }

    fn tuple(&mut self, len: usize, v: &mut dyn DynVisitor<'de>) -> Result<(), Error> {
        self.chosen()?
            .tuple_variant(len, VisitorRef(v))
            .map_err(to_error)
    }

    fn struct_(
        &mut self,
        fields: &'static [&'static str],
        v: &mut dyn DynVisitor<'de>,
    ) -> Result<(), Error> {
        self.chosen()?
            .struct_variant(fields, VisitorRef(v))
            .map_err(to_error)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::{Typed, Yaml};

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Shapes {
        small: i8,
        wide: u64,
        ratio: f32,
        flag: bool,
        letter: char,
        maybe: Option<String>,
        absent: Option<u16>,
        pair: (u8, String),
        list: Vec<Inner>,
        map: BTreeMap<String, i32>,
        unit: Mode,
        newtype: Wrapped,
        tagged: Tagged,
        either: Either,
        #[serde(flatten)]
        rest: BTreeMap<String, String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        name: String,
        #[serde(default)]
        port: Option<u16>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Mode {
        Fast,
        Slow,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Wrapped(String);

    #[derive(Debug, Deserialize, PartialEq)]
    enum Tagged {
        Plain(u32),
        Point { x: i64, y: i64 },
        Pair(i8, i8),
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(untagged)]
    enum Either {
        Number(i64),
        Text(String),
    }

    const SHAPES: &str = "small: -5\nwide: 18446744073709551615\nratio: 0.1\nflag: true\n\
        letter: x\nmaybe: here\npair: [7, seven]\n\
        list:\n- name: a\n  port: 80\n- {name: b}\nmap: {one: 1, two: 2}\nunit: Slow\n\
        newtype: wrapped\ntagged: {Point: {x: 1, y: -2}}\neither: text\nextra: kept\n";

    fn direct<T: for<'de> Deserialize<'de>>(yaml: &str) -> Result<T, serde_saphyr::Error> {
        serde_saphyr::from_str(yaml)
    }

    fn erased<T: for<'de> Deserialize<'de>>(yaml: &str) -> Result<T, serde_saphyr::Error> {
        serde_saphyr::with_deserializer_from_str(yaml, |de| {
            T::deserialize(Typed(&mut Yaml(Some(de))))
        })
    }

    #[test]
    fn every_shape_decodes_as_directly() {
        let want: Shapes = direct(SHAPES).expect("decodes directly");
        assert_eq!(erased::<Shapes>(SHAPES).expect("decodes erased"), want);
        assert_eq!(want.ratio, 0.1f32);
        assert_eq!(want.unit, Mode::Slow);
        for (yaml, tagged) in [
            ("Plain: 3", Tagged::Plain(3)),
            ("Pair: [1, -1]", Tagged::Pair(1, -1)),
        ] {
            assert_eq!(direct::<Tagged>(yaml).expect("direct"), tagged);
            assert_eq!(erased::<Tagged>(yaml).expect("erased"), tagged);
        }
    }

    /// An error crosses the boundary unchanged: same message, same place.
    #[test]
    fn errors_keep_their_message_and_location() {
        for yaml in [
            SHAPES.replace("small: -5", "small: 300"),
            SHAPES.replace("unit: Slow", "unit: Medium"),
            SHAPES.replace("- {name: b}", "- {port: 1}"),
            SHAPES.replace("pair: [7, seven]", "pair: {a: 1}"),
            SHAPES.replace("map: {one: 1, two: 2}", "map: {one: 1, one: 2}"),
        ] {
            let want = direct::<Shapes>(&yaml).expect_err("direct fails");
            let got = erased::<Shapes>(&yaml).expect_err("erased fails");
            assert_eq!(got.to_string(), want.to_string(), "{yaml}");
            assert_eq!(got.location(), want.location(), "{yaml}");
        }
    }

    #[test]
    fn cast_moves_only_between_equal_types() {
        let e = <serde_saphyr::Error as serde::de::Error>::custom("kept");
        let back: serde_saphyr::Error = super::cast(e).expect("same type");
        assert_eq!(back.to_string(), "kept");
        assert!(super::cast::<String, serde_saphyr::Error>("other".into()).is_err());
    }
}
