//! Reading Kubernetes manifests into a [`Snapshot`].
//!
//! Two halves: [`read_sources`] does the IO (files, folders, standard input) and
//! [`decode`] turns the texts into typed objects without touching the outside
//! world.
//!
//! # How a text is decoded
//!
//! Every text is a YAML stream (JSON is YAML too) of one or more documents.
//!
//! **One pass, as a rule** ([`single`]): when each object starts with
//! `apiVersion` and `kind` (as kubectl, Helm and the Kubernetes docs write
//! them), the kind is known after two keys, and the rest of the same mapping
//! is deserialized straight from the YAML events into its k8s-openapi type
//! through `serde_ignored`, which records every field the type does not
//! know. A `List` is read item by item the same way.
//!
//! **Two passes otherwise**, and whenever the single pass meets an error (so
//! that errors read the same either way). Both are linear in the text:
//!
//! 1. **Headers.** Each document is read into a small `Header`: `apiVersion`,
//!    `kind`, `metadata.name`/`namespace`, and for lists the same per item, with
//!    the position of every document and item. Syntax errors surface here.
//! 2. **Typed objects.** The stream is read again, and each document (or List
//!    item) is decoded as in the single pass. The plan from pass 1 reaches the
//!    per-document deserializer through a thread-local, since serde-saphyr's
//!    multi-document API takes a plain `Deserialize` type. A wrong field type
//!    fails here with the exact line and column from serde-saphyr, rendered by
//!    miette with a snippet.
//!
//! Either way the headers decide, per object, which registered kind to decode
//! it as ([`registry::lookup`] by API group and kind), or to skip it (unknown
//! kind: an Info diagnostic; known kind in another version: a Warning).
//!
//! Unknown fields under `status` are expected (a dump carries what controllers
//! wrote) and not reported.
//!
//! Only when some field was unknown, a third pass reads the stream into a light
//! tree of key positions (`located::Node`) to put each Warning at the line of
//! the unknown key.
//!
//! Then, per object: namespaced kinds without a namespace get the default one,
//! Secret `stringData` is merged into `data` (as the API server does on write),
//! objects without a name are rejected, values the API server would refuse
//! (ports, Ingress hosts, broken PEM; `validate.rs`) are errors at the line and
//! column of their key, and the same (kind, namespace, name) twice is an error
//! naming both places.
//!
//! Parsing limits: nesting deeper than 64 levels, alias bombs and the like are
//! clean errors from serde-saphyr's budget; counts of documents, events and nodes
//! scale with the input size instead of failing on large but honest inputs.
//!
//! Adding a kind (an AKO CRD, an OpenShift Route) is one line in
//! [`registry`], plus a field in [`Snapshot`].

mod erased;
mod located;
mod read;
pub mod registry;
mod single;
mod validate;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use k8s_openapi::ByteString;
use miette::{NamedSource, Result, SourceSpan};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::model::{Diagnostic, Origin, Severity, Snapshot};
use located::{FieldPath, Node, Seg};
use registry::{Decoded, Kind, KindId, Lookup};

pub use read::{MAX_FILE_BYTES, STDIN_NAME, read_sources, to_source};

/// One input text with the name shown in messages (a path or `<stdin>`).
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// Decode every source into one snapshot (pure: the caller reads the files).
///
/// Returns the snapshot and Info/Warning diagnostics; malformed input is an error.
pub fn decode(sources: &[Source], default_namespace: &str) -> Result<(Snapshot, Vec<Diagnostic>)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    on_decode_stack(|| decode_with(sources, default_namespace, threads))
}

/// The stack of a decoding thread. Every level of a nested value passes
/// the typed/YAML boundary of [`erased`] twice; serde-saphyr stops at 64
/// levels (its `Budget::max_depth`), which an unoptimised build's frames
/// take beyond the 2 MiB of a default thread. Only touched pages are used.
const DECODE_STACK: usize = 64 << 20;

/// A decoding thread's builder: [`DECODE_STACK`].
fn decoding_thread() -> std::thread::Builder {
    std::thread::Builder::new().stack_size(DECODE_STACK)
}

/// Run `f` on a thread with [`DECODE_STACK`] (on this one if none can start).
fn on_decode_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let mut f = Some(f);
    let mut run = || f.take().map(|f| f());
    let out = std::thread::scope(|s| {
        let thread = decoding_thread().spawn_scoped(s, &mut run);
        thread
            .ok()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    match out.flatten() {
        Some(t) => t,
        None => run().expect("runs once"),
    }
}

/// [`decode`] on up to `threads` threads.
///
/// The texts are cut into pieces at document starts ([`pieces`]), and the
/// pieces are decoded on the threads, each taking the next piece left; the
/// results are put together in source and piece order, so objects and
/// diagnostics come out exactly as from one pass over the sources. A source
/// one of whose pieces fails is decoded again whole, on one thread, so that
/// its error is the one a single pass gives.
fn decode_with(
    sources: &[Source],
    default_namespace: &str,
    threads: usize,
) -> Result<(Snapshot, Vec<Diagnostic>)> {
    let files: Vec<Arc<str>> = sources.iter().map(|s| Arc::from(s.name.as_str())).collect();
    let work: Vec<(usize, Piece<'_>)> = sources
        .iter()
        .enumerate()
        .flat_map(|(i, s)| pieces(&s.text, threads).into_iter().map(move |p| (i, p)))
        .collect();
    let decode_piece = |&(index, piece): &(usize, Piece<'_>)| {
        let mut objects = Vec::new();
        let mut diags = Diags::default();
        let src = &sources[index];
        decode_source(
            index,
            src,
            &files[index],
            piece,
            default_namespace,
            &mut objects,
            &mut diags,
        )
        .map(|()| (objects, diags))
    };
    let threads = threads.min(work.len()).max(1);
    let results: Vec<PieceResult> = if threads == 1 {
        work.iter().map(decode_piece).collect()
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let slots: Vec<std::sync::Mutex<Option<PieceResult>>> =
            work.iter().map(|_| std::sync::Mutex::new(None)).collect();
        let run = || {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(w) = work.get(i) else { break };
                let r = decode_piece(w);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(r);
                }
            }
        };
        std::thread::scope(|s| {
            let helpers: Vec<_> = (1..threads)
                .filter_map(|_| decoding_thread().spawn_scoped(s, run).ok())
                .collect();
            run();
            for h in helpers {
                if let Err(e) = h.join() {
                    std::panic::resume_unwind(e);
                }
            }
        });
        slots
            .into_iter()
            .map(|m| {
                m.into_inner()
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| Err(miette::miette!("a decoding thread stopped early")))
            })
            .collect()
    };

    let mut diags = Vec::new();
    let mut objects = Vec::new();
    // Every file is decoded, so that one run reports every problem.
    let mut errors = Vec::new();
    let mut results = work.iter().map(|(i, _)| *i).zip(results).peekable();
    while let Some((index, first)) = results.next() {
        let mut parts = vec![first];
        while let Some((_, r)) = results.next_if(|(i, _)| *i == index) {
            parts.push(r);
        }
        if parts.iter().all(Result::is_ok) {
            // A single pass reports a source's kinds first, then its fields.
            let mut fields = Vec::new();
            for (o, d) in parts.into_iter().flatten() {
                objects.extend(o);
                diags.extend(d.kinds);
                fields.extend(d.fields);
            }
            diags.extend(fields);
        } else {
            let src = &sources[index];
            let whole = Piece {
                text: &src.text,
                line_base: 0,
                offset_base: 0,
            };
            let mut d = Diags::default();
            if let Err(e) = decode_source(
                index,
                src,
                &files[index],
                whole,
                default_namespace,
                &mut objects,
                &mut d,
            ) {
                errors.push(e);
            }
            diags.extend(d.kinds);
            diags.extend(d.fields);
        }
    }
    if let Err(e) = check_duplicates(sources, &objects) {
        errors.push(e);
    }
    if let Some(e) = all_errors(errors) {
        return Err(e);
    }
    let mut snap = Snapshot::default();
    for o in objects {
        o.obj.insert(&mut snap, o.origin);
    }
    Ok((snap, diags))
}

/// A part of a source text made of whole documents, with its place in the
/// source: the lines before it and its byte offset.
#[derive(Clone, Copy, Debug)]
struct Piece<'a> {
    text: &'a str,
    line_base: usize,
    offset_base: usize,
}

/// Texts below twice this size are not cut: a thread costs more than it
/// saves. (Smaller in unit tests, so that small texts exercise the cutting.)
const PIECE_MIN: usize = if cfg!(test) { 16 * 1024 } else { 256 * 1024 };

/// Pieces per thread: small pieces leave little for one thread to finish
/// alone while the others wait (a 2.6 MB text in 8 pieces ended with one
/// thread decoding for 23 ms of 200; in 32, for about 6).
const PIECES_PER_THREAD: usize = 16;

/// The smallest piece, when a text is cut: starting a piece (a parser and
/// its document) costs next to nothing against decoding 32 KiB.
const PIECE_FLOOR: usize = if cfg!(test) { 4 * 1024 } else { 32 * 1024 };

/// `text` cut into pieces of whole documents, about
/// [`PIECES_PER_THREAD`] per thread and at least [`PIECE_FLOOR`] bytes
/// each, so that threads finishing early take more.
///
/// A cut is made only before a document start marker, a line that is `---`
/// alone or followed by a space or tab: YAML does not allow such a line
/// inside a document (not even inside a block or quoted scalar; it ends
/// the document), and JSON text has no line breaks inside its strings.
/// Directives (`%YAML`, `%TAG`) belong to the document after them, so a text
/// with a line starting with `%` is not cut.
fn pieces(text: &str, threads: usize) -> Vec<Piece<'_>> {
    let whole = Piece {
        text,
        line_base: 0,
        offset_base: 0,
    };
    let want = threads.saturating_mul(PIECES_PER_THREAD);
    if threads < 2 || text.len() < 2 * PIECE_MIN || text.starts_with('%') || text.contains("\n%") {
        return vec![whole];
    }
    let target = (text.len() / want).max(PIECE_FLOOR);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(want);
    let (mut start, mut lines) = (0, 0);
    let mut from = target;
    while from < text.len() {
        // The next document start at or after `from`.
        let Some(cut) = next_document_start(bytes, from) else {
            break;
        };
        let piece = &text[start..cut];
        out.push(Piece {
            text: piece,
            line_base: lines,
            offset_base: start,
        });
        lines += piece.bytes().filter(|&b| b == b'\n').count();
        start = cut;
        from = cut + target;
    }
    out.push(Piece {
        text: &text[start..],
        line_base: lines,
        offset_base: start,
    });
    out
}

/// Offset of the first line at or after `from` that starts a document
/// (`---` alone or followed by a blank), if any.
fn next_document_start(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let line = i + memchr::memmem::find(bytes.get(i..)?, b"\n---")? + 1;
        if matches!(
            bytes.get(line + 3),
            None | Some(b'\n' | b'\r' | b' ' | b'\t')
        ) {
            return Some(line);
        }
        i = line;
    }
}

/// The diagnostics of a piece: about kinds (skipped or other versions, from
/// the headers) and about fields (unknown ones, from the typed objects).
#[derive(Default)]
struct Diags {
    kinds: Vec<Diagnostic>,
    fields: Vec<Diagnostic>,
}

/// What decoding a piece gives: its objects and diagnostics, or an error.
type PieceResult = Result<(Vec<Loaded>, Diags)>;

/// A decoded object with everything needed for later checks.
struct Loaded {
    kind: &'static Kind,
    obj: Decoded,
    origin: Origin,
    source: usize,
    /// Byte offset of the object in its source (for error snippets).
    offset: usize,
}

// ---------------------------------------------------------------------------
// Pass 1: headers

/// The few fields read before choosing a type.
#[derive(Debug, Default, Deserialize)]
struct Header {
    #[serde(rename = "apiVersion", default)]
    api_version: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    metadata: Option<MetaHeader>,
    #[serde(default)]
    items: Option<Vec<Spanned<ItemHeader>>>,
}

/// A List item's header (no nested lists).
#[derive(Debug, Default, Deserialize)]
struct ItemHeader {
    #[serde(rename = "apiVersion", default)]
    api_version: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    metadata: Option<MetaHeader>,
}

#[derive(Debug, Default, Deserialize)]
struct MetaHeader {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
}

impl MetaHeader {
    /// (namespace, name), as far as given.
    fn parts(meta: Option<&MetaHeader>) -> (Option<&str>, Option<&str>) {
        meta.map_or((None, None), |m| {
            (m.namespace.as_deref(), m.name.as_deref())
        })
    }
}

/// An object's label (`Kind ns/name`) and the registered kind to decode it
/// as, or `None` with a diagnostic saying why not ([`choose`]).
fn decide(
    api_version: &str,
    kind: &str,
    (namespace, name): (Option<&str>, Option<&str>),
    default_namespace: &str,
    origin: &Origin,
    diags: &mut Vec<Diagnostic>,
) -> (String, Chosen) {
    let ns = default_ns(api_version, kind, default_namespace);
    let label = format!("{kind} {}", label_of(namespace, name, ns));
    let id = choose(api_version, kind, &label, origin, diags);
    (label, id)
}

/// `ns/name` for messages, with `default_ns` when the object has no
/// namespace.
fn label_of(namespace: Option<&str>, name: Option<&str>, default_ns: &str) -> String {
    let (ns, name) = (namespace.unwrap_or(""), name.unwrap_or(""));
    let ns = if ns.is_empty() { default_ns } else { ns };
    match (ns, name) {
        (_, "") => "(no name)".to_string(),
        ("", n) => n.to_string(),
        (ns, n) => format!("{ns}/{n}"),
    }
}

/// What pass 2 does with one document.
#[derive(Debug, Default)]
enum DocPlan {
    #[default]
    Skip,
    One(KindId),
    /// Per item: decode as this kind, or skip.
    List(Vec<Option<KindId>>),
}

/// An object pass 2 will produce, in order.
struct Planned {
    kind: &'static Kind,
    origin: Origin,
    offset: usize,
    /// `Kind ns/name` as the header read it, for messages.
    label: String,
    doc: usize,
    item: Option<usize>,
    /// Written in a further served version (fields it lacks are pruned).
    served: Option<&'static registry::Served>,
}

/// Position of a node of `piece` in its source: 1-based line and the byte
/// offset.
fn pos(loc: &serde_saphyr::Location, piece: Piece<'_>) -> (usize, usize) {
    let line = usize::try_from(loc.line()).unwrap_or(0).max(1);
    let offset = loc
        .span()
        .byte_offset()
        .and_then(|b| usize::try_from(b).ok())
        .unwrap_or(0);
    (line + piece.line_base, offset + piece.offset_base)
}

// ---------------------------------------------------------------------------
// Pass 2: typed objects

/// State handed from [`decode_source`] to [`TypedDoc`]'s `Deserialize`.
#[derive(Default)]
struct Pass2 {
    plans: Vec<DocPlan>,
    next: usize,
    /// The object being decoded, for error messages.
    current: Option<(usize, Option<usize>)>,
}

thread_local! {
    static PASS2: RefCell<Pass2> = RefCell::default();
}

/// One document's decoded objects (several for a List).
struct TypedDoc(Vec<(Decoded, Vec<FieldPath>)>);

impl<'de> Deserialize<'de> for TypedDoc {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<TypedDoc, D::Error> {
        let (doc, plan) = PASS2.with(|p| {
            let mut p = p.borrow_mut();
            let doc = p.next;
            p.next += 1;
            let plan = p.plans.get_mut(doc).map(std::mem::take).unwrap_or_default();
            (doc, plan)
        });
        match plan {
            DocPlan::Skip => {
                IgnoredAny::deserialize(de)?;
                Ok(TypedDoc(Vec::new()))
            }
            DocPlan::One(id) => Ok(TypedDoc(vec![
                ObjectSeed {
                    id,
                    doc,
                    item: None,
                }
                .deserialize(de)?,
            ])),
            DocPlan::List(items) => de.deserialize_map(ListVisitor { items, doc }),
        }
    }
}

/// Decodes one object as a given kind, collecting unknown fields.
struct ObjectSeed {
    id: KindId,
    doc: usize,
    item: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for ObjectSeed {
    type Value = (Decoded, Vec<FieldPath>);

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        PASS2.with(|p| p.borrow_mut().current = Some((self.doc, self.item)));
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed {
    type Value = (Decoded, Vec<FieldPath>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes object")
    }

    /// The same step as the single pass's, so that each registered type is
    /// decoded from one deserializer type.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        single::decode_rest(self.id, Vec::new(), map)
    }
}

/// Walks a List document, decoding `items` by plan and skipping the rest.
struct ListVisitor {
    items: Vec<Option<KindId>>,
    doc: usize,
}

impl<'de> Visitor<'de> for ListVisitor {
    type Value = TypedDoc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a List object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TypedDoc, A::Error> {
        let mut out = Vec::new();
        let mut items = Some(self.items);
        while let Some(key) = map.next_key::<String>()? {
            match (key.as_str(), items.take()) {
                ("items", Some(plan)) => {
                    out = map.next_value_seed(ItemsSeed {
                        items: plan,
                        doc: self.doc,
                    })?;
                }
                (_, plan) => {
                    items = plan;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(TypedDoc(out))
    }
}

struct ItemsSeed {
    items: Vec<Option<KindId>>,
    doc: usize,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed {
    type Value = Vec<(Decoded, Vec<FieldPath>)>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed {
    type Value = Vec<(Decoded, Vec<FieldPath>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        for (i, plan) in self.items.into_iter().enumerate() {
            let got = match plan {
                Some(id) => seq
                    .next_element_seed(ObjectSeed {
                        id,
                        doc: self.doc,
                        item: Some(i),
                    })?
                    .map(|o| out.push(o)),
                None => seq.next_element::<IgnoredAny>()?.map(|_| ()),
            };
            if got.is_none() {
                return Err(de::Error::invalid_length(i, &"the items read before"));
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(out)
    }
}

// ---------------------------------------------------------------------------
// Putting it together

/// serde-saphyr options: its default budget, except that counts which grow
/// with honest input (documents, events, nodes, scalar bytes) scale with the
/// text size:
/// large texts may hold more than the defaults, and small ones no more nodes
/// than a few per byte (alias expansion, "billion laughs", stops early).
fn options(len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_documents = budget.max_documents.max(len / 4 + 1);
    budget.max_events = budget.max_events.max(len.saturating_mul(2));
    budget.max_nodes = len
        .saturating_mul(4)
        .saturating_add(10_000)
        .min(budget.max_nodes)
        .max(len);
    // The scalars of a text are never longer than the text (aliases are
    // bounded by the node count above).
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(len);
    let mut opts = serde_saphyr::Options::default();
    opts.budget = Some(budget);
    // No type read here keeps comments: the parser still checks them but
    // does not hand each one to the deserializer.
    opts.emit_comments = false;
    opts
}

/// What a piece's objects are: each planned object with its typed value.
type Objects = (Vec<Planned>, Vec<(Decoded, Vec<FieldPath>)>);

/// The single pass ([`single`]): the piece's objects and the diagnostics
/// about their kinds, or `None` when the text must be read in two passes.
fn single_pass(
    file: &Arc<str>,
    piece: Piece<'_>,
    default_namespace: &str,
) -> Option<(Objects, Vec<Diagnostic>)> {
    let text = piece.text;
    let docs = serde_saphyr::from_multiple_with_options::<Spanned<single::ReadDoc>>(
        text,
        options(text.len()),
    )
    .ok()?;
    let mut kinds = Vec::new();
    let mut planned = Vec::new();
    let mut decoded = Vec::new();
    for (doc, d) in docs.into_iter().enumerate() {
        let at_doc = pos(&d.referenced, piece);
        for r in d.value.0 {
            let (line, offset) = r.item.as_ref().map_or(at_doc, |(_, loc)| pos(loc, piece));
            let origin = Origin {
                file: file.clone(),
                line,
            };
            let meta = match &r.decoded {
                Some((o, _)) => (o.meta().namespace.as_deref(), o.meta().name.as_deref()),
                None => MetaHeader::parts(r.meta.as_ref()),
            };
            let (label, id) = decide(
                &r.api_version,
                &r.kind,
                meta,
                default_namespace,
                &origin,
                &mut kinds,
            );
            match (id, r.decoded) {
                (Some((kind, served)), Some(d)) => {
                    planned.push(Planned {
                        kind,
                        origin,
                        offset,
                        label,
                        doc,
                        item: r.item.map(|(i, _)| i),
                        served,
                    });
                    decoded.push(d);
                }
                (None, None) => {}
                // Both come from `registry::lookup`: never apart.
                _ => return None,
            }
        }
    }
    Some(((planned, decoded), kinds))
}

/// The two passes of the module doc: headers, then typed objects.
fn two_passes(
    src: &Source,
    file: &Arc<str>,
    piece: Piece<'_>,
    default_namespace: &str,
    kinds: &mut Vec<Diagnostic>,
) -> Result<Objects> {
    let text = piece.text;
    // Pass 1.
    let headers: Vec<Spanned<Header>> =
        serde_saphyr::from_multiple_with_options(text, options(text.len()))
            .map_err(|e| yaml_error(&e, src, "not a valid YAML or JSON manifest"))?;
    let (plans, planned) = plan(src, file, piece, default_namespace, headers, kinds)?;
    if planned.is_empty() {
        return Ok((planned, Vec::new()));
    }

    // Pass 2.
    PASS2.with(|p| {
        *p.borrow_mut() = Pass2 {
            plans,
            next: 0,
            current: None,
        }
    });
    let typed = serde_saphyr::from_multiple_with_options::<TypedDoc>(text, options(text.len()));
    let state = PASS2.with(|p| std::mem::take(&mut *p.borrow_mut()));
    let typed = typed.map_err(|e| {
        let what = state
            .current
            .and_then(|(doc, item)| planned.iter().find(|p| p.doc == doc && p.item == item))
            .map_or_else(
                || "cannot decode object".to_string(),
                |p| format!("cannot decode {}", p.label),
            );
        yaml_error(&e, src, &what)
    })?;
    let decoded: Vec<(Decoded, Vec<FieldPath>)> = typed.into_iter().flat_map(|d| d.0).collect();
    if decoded.len() != planned.len() {
        return Err(miette::miette!(
            "{}: read {} objects but expected {}; the file changed between passes?",
            src.name,
            decoded.len(),
            planned.len()
        ));
    }
    Ok((planned, decoded))
}

/// Decode `piece` of source `index` (its whole text, or whole documents of
/// it: lines and offsets are counted from the start of the source).
fn decode_source(
    index: usize,
    src: &Source,
    file: &Arc<str>,
    piece: Piece<'_>,
    default_namespace: &str,
    out: &mut Vec<Loaded>,
    diags: &mut Diags,
) -> Result<()> {
    let file = file.clone();
    let text = piece.text;

    let (planned, decoded) = match single_pass(&file, piece, default_namespace) {
        Some(((planned, decoded), kinds)) => {
            diags.kinds.extend(kinds);
            (planned, decoded)
        }
        None => two_passes(src, &file, piece, default_namespace, &mut diags.kinds)?,
    };

    // Pass 3, only for unknown fields and refused values: key positions.
    let mut tree: Option<Vec<Node>> = None;
    let mut tree_read = false;
    let mut read_tree = |tree: &mut Option<Vec<Node>>| {
        if !tree_read {
            tree_read = true;
            *tree = serde_saphyr::from_multiple_with_options(text, options(text.len())).ok();
        }
    };
    let find = |tree: &Option<Vec<Node>>, p: &Planned, path: &[Seg]| {
        object_node(tree, p).and_then(|n| n.find(path))
    };

    for (p, (mut obj, mut unknown)) in planned.into_iter().zip(decoded) {
        // A `status` is what a controller wrote, expected in any dump
        // (`kubectl get -o yaml`); the parts of it AKO reads (its CRDs'
        // `status.status`) are typed fields, the rest is not input.
        unknown.retain(|path| !matches!(path.0.first(), Some(Seg::Key(k)) if k == "status"));
        if !unknown.is_empty() {
            read_tree(&mut tree);
        }
        for path in unknown {
            let at = find(&tree, &p, &path.0);
            let origin = Origin {
                file: file.clone(),
                line: at.map_or(p.origin.line, |a| a.line + piece.line_base),
            };
            let message = match at {
                Some(a) => format!("unknown field `{path}` (column {}) is ignored", a.column),
                None => format!("unknown field `{path}` is ignored"),
            };
            diags.fields.push(
                Diagnostic::new(Severity::Warning, Some(p.label.clone()), message).at(&origin),
            );
        }
        if let Some(served) = p.served.filter(|s| !s.pruned.is_empty()) {
            read_tree(&mut tree);
            let present: Vec<(Vec<Seg>, located::Pos)> = object_node(&tree, &p)
                .map(|n| served.pruned.iter().flat_map(|pat| n.expand(pat)).collect())
                .unwrap_or_default();
            if !present.is_empty() {
                obj = prune(obj, p.kind.id, &present).map_err(|e| {
                    located_error(src, p.offset, format!("{}: {e}", p.origin), "cannot prune")
                })?;
            }
            for (path, at) in present {
                let origin = Origin {
                    file: file.clone(),
                    line: at.line,
                };
                diags.fields.push(
                    Diagnostic::new(
                        Severity::Warning,
                        Some(p.label.clone()),
                        format!(
                            "field `{}` (column {}) is not in the {}/{} schema of {} ({}): the API server prunes it when the object is written; write it as {} to keep it",
                            FieldPath(path),
                            at.column,
                            p.kind.group,
                            served.version,
                            p.kind.kind,
                            served.source,
                            p.kind.api_version(),
                        ),
                    )
                    .at(&origin),
                );
            }
        }
        normalize(&mut obj, p.kind, default_namespace);
        if obj.meta().name.as_deref().unwrap_or("").is_empty() {
            return Err(located_error(
                src,
                p.offset,
                format!("{}: {} has no metadata.name", p.origin, p.kind.kind),
                "object without a name",
            ));
        }
        let problems = validate::check(&obj);
        if !problems.is_empty() {
            read_tree(&mut tree);
            return Err(refused(src, &p, &problems, |path| {
                find(&tree, &p, path).or_else(|| {
                    // A Secret value may come from `stringData`.
                    let (first, rest) = path.split_first()?;
                    (*first == Seg::Key("data".into())).then_some(())?;
                    let mut alt = vec![Seg::Key("stringData".into())];
                    alt.extend_from_slice(rest);
                    find(&tree, &p, &alt)
                })
            }));
        }
        out.push(Loaded {
            kind: p.kind,
            obj,
            origin: p.origin,
            source: index,
            offset: p.offset,
        });
    }
    Ok(())
}

/// The key tree of one planned object (a document or a List item).
fn object_node<'t>(tree: &'t Option<Vec<Node>>, p: &Planned) -> Option<&'t Node> {
    let n = tree.as_ref()?.get(p.doc)?;
    match p.item {
        Some(i) => n.get(&Seg::Key("items".into()))?.get(&Seg::Index(i)),
        None => Some(n),
    }
}

/// Drop the fields at `paths` from an object written in a further served
/// version, as the API server's pruning by that version's schema does; the
/// registered type's defaults then fill them as for an absent field.
///
/// The pruned object is read back from its JSON text (JSON is YAML) through
/// the same step as a document, so that no second deserializer is built
/// for every registered type.
fn prune(obj: Decoded, id: KindId, paths: &[(Vec<Seg>, located::Pos)]) -> Result<Decoded, String> {
    let mut value = obj.to_json().map_err(|e| e.to_string())?;
    for (path, _) in paths {
        remove_at(&mut value, path);
    }
    let text = value.to_string();
    let before = PASS2.with(|p| {
        std::mem::replace(
            &mut *p.borrow_mut(),
            Pass2 {
                plans: vec![DocPlan::One(id)],
                ..Pass2::default()
            },
        )
    });
    let read = serde_saphyr::from_str_with_options::<TypedDoc>(&text, options(text.len()));
    PASS2.with(|p| *p.borrow_mut() = before);
    match read.map_err(|e| yaml_message(&e))?.0.pop() {
        Some((obj, _)) => Ok(obj),
        None => Err("the pruned object is empty".into()),
    }
}

/// Remove the value at `path` from a JSON value, if there.
fn remove_at(value: &mut serde_json::Value, path: &[Seg]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = value;
    for seg in parents {
        let next = match seg {
            Seg::Key(k) => at.get_mut(k.as_str()),
            Seg::Index(i) => at.get_mut(*i),
        };
        match next {
            Some(n) => at = n,
            None => return,
        }
    }
    if let (Seg::Key(k), Some(map)) = (last, at.as_object_mut()) {
        map.remove(k.as_str());
    }
}

/// Decide per document what pass 2 does; report skipped kinds.
fn plan(
    src: &Source,
    file: &Arc<str>,
    piece: Piece<'_>,
    default_namespace: &str,
    headers: Vec<Spanned<Header>>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<DocPlan>, Vec<Planned>)> {
    let mut plans = Vec::with_capacity(headers.len());
    let mut planned = Vec::new();
    for (doc, h) in headers.into_iter().enumerate() {
        let (line, offset) = pos(&h.referenced, piece);
        let origin = Origin {
            file: file.clone(),
            line,
        };
        let h = h.value;
        let Some(kind) = h.kind.as_deref().filter(|k| !k.is_empty()) else {
            return Err(located_error(
                src,
                offset,
                format!("{origin}: object has no `kind`"),
                "no kind",
            ));
        };
        let Some(api_version) = h.api_version.as_deref().filter(|v| !v.is_empty()) else {
            return Err(located_error(
                src,
                offset,
                format!("{origin}: {kind} has no `apiVersion`"),
                "no apiVersion",
            ));
        };
        let list_of = kind
            .strip_suffix("List")
            .filter(|k| k.is_empty() || h.items.is_some());
        let Some(list_of) = list_of else {
            let (label, id) = decide(
                api_version,
                kind,
                MetaHeader::parts(h.metadata.as_ref()),
                default_namespace,
                &origin,
                diags,
            );
            if let Some((k, served)) = id {
                planned.push(Planned {
                    kind: k,
                    origin,
                    offset,
                    label,
                    doc,
                    item: None,
                    served,
                });
            }
            plans.push(id.map_or(DocPlan::Skip, |(k, _)| DocPlan::One(k.id)));
            continue;
        };
        // A `List`, or a typed list like `ServiceList` whose items may leave out
        // apiVersion and kind.
        let mut item_plans = Vec::new();
        for (item, ih) in h.items.into_iter().flatten().enumerate() {
            let (line, offset) = pos(&ih.referenced, piece);
            let origin = Origin {
                file: file.clone(),
                line,
            };
            let ih = ih.value;
            let default_kind = Some(list_of).filter(|k| !k.is_empty());
            let default_version = default_kind.map(|_| api_version);
            let item_kind = ih
                .kind
                .as_deref()
                .filter(|k| !k.is_empty())
                .or(default_kind);
            let item_version = ih
                .api_version
                .as_deref()
                .filter(|v| !v.is_empty())
                .or(default_version);
            let (Some(item_kind), Some(item_version)) = (item_kind, item_version) else {
                return Err(located_error(
                    src,
                    offset,
                    format!("{origin}: {kind} item {item} has no `kind` or `apiVersion`"),
                    "incomplete item",
                ));
            };
            let (label, id) = decide(
                item_version,
                item_kind,
                MetaHeader::parts(ih.metadata.as_ref()),
                default_namespace,
                &origin,
                diags,
            );
            if let Some((k, served)) = id {
                planned.push(Planned {
                    kind: k,
                    origin,
                    offset,
                    label,
                    doc,
                    item: Some(item),
                    served,
                });
            }
            item_plans.push(id.map(|(k, _)| k.id));
        }
        plans.push(DocPlan::List(item_plans));
    }
    Ok((plans, planned))
}

/// The namespace shown for an object without one: the default for registered
/// namespaced kinds, none otherwise.
fn default_ns<'a>(api_version: &str, kind: &str, default_namespace: &'a str) -> &'a str {
    match registry::lookup(api_version, kind) {
        Lookup::Found(k) | Lookup::Served(k, _) if k.namespaced => default_namespace,
        _ => "",
    }
}

/// The registered kind an object is decoded as, and the further served
/// version it is written in.
type Chosen = Option<(&'static Kind, Option<&'static registry::Served>)>;

/// The registered kind to decode an object as (and the further served version
/// it is written in), or a diagnostic saying why not.
fn choose(
    api_version: &str,
    kind: &str,
    label: &str,
    origin: &Origin,
    diags: &mut Vec<Diagnostic>,
) -> Chosen {
    match registry::lookup(api_version, kind) {
        Lookup::Found(k) => Some((k, None)),
        Lookup::Served(k, s) => Some((k, Some(s))),
        // vmware-tanzu/service-apis: AKO's advanced L4 mode, served in
        // vSphere with Tanzu clusters but not modelled.
        Lookup::OtherVersion(k) if api_version == "networking.x-k8s.io/v1alpha1pre1" => {
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    Some(label.to_string()),
                    format!(
                        "apiVersion {api_version} is not read (only {}); object ignored (advanced L4 for vSphere with Tanzu is not modelled by akoctl)",
                        k.api_version(),
                    ),
                )
                .at(origin),
            );
            None
        }
        // The kind's own group in a version its CRD (or Kubernetes) does not
        // serve: the API server refuses the object ("no matches for kind"),
        // so it can be in no cluster AKO reads.
        Lookup::OtherVersion(k)
            if api_version.rsplit_once('/').map_or("", |(g, _)| g) == k.group =>
        {
            diags.push(
                Diagnostic::new(
                    Severity::Error,
                    Some(label.to_string()),
                    format!(
                        "apiVersion {api_version} is not served for {kind}: the API server serves {} and refuses this object (no matches for kind); object ignored",
                        k.served_versions().join(", "),
                    ),
                )
                .at(origin),
            );
            None
        }
        Lookup::OtherVersion(k) => {
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    Some(label.to_string()),
                    format!(
                        "apiVersion {api_version} is not read (only {}); object ignored",
                        k.served_versions().join(", "),
                    ),
                )
                .at(origin),
            );
            None
        }
        Lookup::Unknown => {
            diags.push(
                Diagnostic::new(
                    Severity::Info,
                    Some(label.to_string()),
                    format!("kind {kind} ({api_version}) is not used; object ignored"),
                )
                .at(origin),
            );
            None
        }
    }
}

/// Fill what the API server would: the default namespace and Secret `data`.
fn normalize(obj: &mut Decoded, kind: &Kind, default_namespace: &str) {
    if kind.namespaced {
        let meta = obj.meta_mut();
        if meta.namespace.as_deref().unwrap_or("").is_empty() {
            meta.namespace = Some(default_namespace.to_string());
        }
    }
    if let Decoded::Secret(secret) = obj {
        // The API server merges `stringData` into `data` on write, the
        // `stringData` value winning, and never returns `stringData`.
        if let Some(string_data) = secret.string_data.take() {
            let data = secret.data.get_or_insert_with(Default::default);
            for (k, v) in string_data {
                data.insert(k, ByteString(v.into_bytes()));
            }
        }
    }
}

/// The same (kind, namespace, name) twice is an error naming both places.
fn check_duplicates(sources: &[Source], objects: &[Loaded]) -> Result<()> {
    let mut seen: HashMap<(&str, &str, &str, &str), &Loaded> =
        HashMap::with_capacity(objects.len());
    let mut dups = Vec::new();
    for o in objects {
        let meta = o.obj.meta();
        let ns = if o.kind.namespaced {
            meta.namespace.as_deref().unwrap_or("")
        } else {
            ""
        };
        let name = meta.name.as_deref().unwrap_or("");
        if let Some(first) = seen.insert((o.kind.group, o.kind.kind, ns, name), o) {
            let id = if ns.is_empty() {
                name.to_string()
            } else {
                format!("{ns}/{name}")
            };
            dups.push((format!("{} {id}", o.kind.kind), first, o));
        }
    }
    let Some((_, first, again)) = dups.first() else {
        return Ok(());
    };
    let mut message = String::new();
    for (label, first, again) in &dups {
        if !message.is_empty() {
            message.push('\n');
        }
        message.push_str(&format!(
            "{label} is defined twice:\n  first at {}\n  again at {}",
            first.origin, again.origin
        ));
    }
    match sources.get(again.source) {
        Some(src) => Err(located_error(
            src,
            again.offset,
            message,
            &format!("defined again here (first at {})", first.origin),
        )),
        None => Err(miette::miette!("{message}")),
    }
}

// ---------------------------------------------------------------------------
// Errors

/// An input error pointing into a source text.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
struct LocatedError {
    message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    at: SourceSpan,
    label: String,
}

fn located_error(src: &Source, offset: usize, message: String, label: &str) -> miette::Report {
    let offset = offset.min(src.text.len());
    miette::Report::new(LocatedError {
        message,
        src: NamedSource::new(src.name.clone(), src.text.clone()),
        at: SourceSpan::from((offset, 0)),
        label: label.to_string(),
    })
}

/// Values the API server would refuse, as one error: a line
/// `file:line:column: Kind ns/name: message` per problem, the snippet at the
/// first.
fn refused(
    src: &Source,
    p: &Planned,
    problems: &[validate::Problem],
    locate: impl Fn(&[Seg]) -> Option<located::Pos>,
) -> miette::Report {
    let mut message = String::new();
    let mut first = None;
    for pr in problems {
        let at = locate(&pr.path);
        if first.is_none() {
            first = Some(at.map_or(p.offset, |a| offset_at(&src.text, a)));
        }
        if !message.is_empty() {
            message.push('\n');
        }
        let path = FieldPath(pr.path.clone());
        match at {
            Some(a) => message.push_str(&format!(
                "{}:{}:{}: {}: {path}: {}",
                src.name, a.line, a.column, p.label, pr.message
            )),
            None => message.push_str(&format!(
                "{}: {}: {path}: {}",
                p.origin, p.label, pr.message
            )),
        }
    }
    let label = problems
        .first()
        .map_or_else(String::new, |pr| pr.message.clone());
    located_error(src, first.unwrap_or(p.offset), message, &label)
}

/// Byte offset of a 1-based line and column (in characters) in `text`.
fn offset_at(text: &str, at: located::Pos) -> usize {
    let mut start = 0;
    for _ in 1..at.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line = &text[start..];
    start
        + line
            .char_indices()
            .nth(at.column.saturating_sub(1))
            .map_or(line.len(), |(i, _)| i)
}

/// Messages of YAML errors for people: the parser's user wording, with the
/// limits (nesting depth, sizes) said plainly.
pub(crate) struct YamlMessages;

impl serde_saphyr::MessageFormatter for YamlMessages {
    fn format_message<'a>(&self, err: &'a serde_saphyr::Error) -> std::borrow::Cow<'a, str> {
        use serde_saphyr::budget::BudgetBreach;
        let mut inner = err;
        while let serde_saphyr::Error::AliasError { error, .. }
        | serde_saphyr::Error::WithSnippet { error, .. } = inner
        {
            inner = error;
        }
        match inner {
            serde_saphyr::Error::Budget {
                breach: BudgetBreach::Depth { depth },
                ..
            } => format!("nested deeper than {} levels", depth.saturating_sub(1)).into(),
            serde_saphyr::Error::Budget { breach, .. } => {
                format!("the document is too large or too complex (limit reached: {breach:?})")
                    .into()
            }
            other => {
                let text = serde_saphyr::UserMessageFormatter.format_message(other);
                if let Some(words) = base64_words(&text) {
                    words.into()
                } else if text.contains("recursion limit exceeded") {
                    "nested too deeply (recursion limit exceeded)".into()
                } else {
                    text
                }
            }
        }
    }
}

/// The base64 decoder's texts (a Secret's `data`, a ConfigMap's
/// `binaryData`) in plain words: which character at which position.
fn base64_words(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches('.');
    let symbol_at = |rest: &str| -> Option<(u8, usize)> {
        let (sym, off) = rest.split_once(", offset ")?;
        Some((sym.trim().parse().ok()?, off.trim().parse().ok()?))
    };
    let shown = |b: u8| {
        if b.is_ascii_graphic() {
            format!("'{}'", b as char)
        } else {
            format!("byte {b}")
        }
    };
    const WHAT: &str = "not valid base64 (values under `data` are base64-encoded; plain text goes under `stringData`)";
    if let Some(rest) = t.strip_prefix("Invalid last symbol ") {
        let (b, off) = symbol_at(rest)?;
        return Some(format!(
            "{WHAT}: the last character {} (position {}) leaves stray bits; the value is cut or not base64",
            shown(b),
            off + 1
        ));
    }
    if let Some(rest) = t.strip_prefix("Invalid symbol ") {
        let (b, off) = symbol_at(rest)?;
        return Some(format!(
            "{WHAT}: {} at position {} is not a base64 character",
            shown(b),
            off + 1
        ));
    }
    if let Some(rest) = t.strip_prefix("Invalid input length: ") {
        return Some(format!(
            "{WHAT}: {} characters cannot be base64 (a missing or extra character?)",
            rest.trim()
        ));
    }
    if t == "Invalid padding" {
        return Some(format!("{WHAT}: wrong `=` padding at the end"));
    }
    None
}

/// The dotted key path of the `key: value` on 1-based `line` of a block
/// YAML text (parents found by indentation), when the line is one.
fn key_path_at(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let key_of = |l: &str| -> Option<(usize, String)> {
        // A list item's keys sit at the column after its `- `.
        let trimmed = l.trim_start();
        let body = trimmed.trim_start_matches("- ");
        let indent = l.len() - body.len();
        let (k, _) = body.split_once(':')?;
        let k = k.trim().trim_matches(['"', '\'']);
        (!k.is_empty() && !k.contains([' ', '{', '[', '#'])).then(|| (indent, k.to_string()))
    };
    let (mut indent, key) = key_of(lines.get(line.checked_sub(1)?)?)?;
    let mut path = vec![key];
    for l in lines[..line - 1].iter().rev() {
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        if let Some((i, k)) = key_of(l)
            && i < indent
        {
            path.push(k);
            indent = i;
            if i == 0 {
                break;
            }
        }
    }
    path.reverse();
    Some(path.join("."))
}

/// The one-line message of a YAML error, without location.
pub(crate) fn yaml_message(err: &serde_saphyr::Error) -> String {
    use serde_saphyr::MessageFormatter;
    YamlMessages.format_message(err).into_owned()
}

/// A serde-saphyr error as a miette report with the snippet of `src`, headed by
/// `file:line:column: what`.
/// One report for all errors of a run: a single error as it is (with its
/// marked place for `-v`), several as one line each, the place appended
/// where the line does not name it.
fn all_errors(mut errors: Vec<miette::Report>) -> Option<miette::Report> {
    if errors.len() <= 1 {
        return errors.pop();
    }
    let lines: Vec<String> = errors.iter().map(one_line).collect();
    Some(miette::miette!("{}", lines.join("\n")))
}

/// An error as one line: its text and causes, and the `FILE:LINE:COLUMN`
/// of its first marked place when the text lacks it.
fn one_line(e: &miette::Report) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        text.push_str(&format!(": {cause}"));
    }
    let mut text = text.replace('\n', " ");
    if let (Some(src), Some(mut labels)) = (e.source_code(), e.labels())
        && let Some(l) = labels.next()
        && let Ok(c) = src.read_span(l.inner(), 0, 0)
    {
        let place = format!(
            "{}:{}:{}",
            c.name().unwrap_or("<input>"),
            c.line() + 1,
            c.column() + 1
        );
        if !text.contains(&place) {
            text.push_str(&format!(" (at {place})"));
        }
    }
    text
}

fn yaml_error(err: &serde_saphyr::Error, src: &Source, what: &str) -> miette::Report {
    let message = yaml_message(err);
    let report = match err
        .location()
        .and_then(|l| Some((l, located::Pos::of(&l)?)))
    {
        Some((l, at)) => {
            let offset = offset_at(&src.text, at);
            // The span's length is counted in characters; at least one is marked.
            let chars = usize::try_from(l.span().len()).unwrap_or(0).max(1);
            let rest = &src.text[offset..];
            let len = rest
                .char_indices()
                .nth(chars)
                .map_or(rest.len(), |(i, _)| i);
            miette::Report::new(LocatedError {
                message: message.clone(),
                src: NamedSource::new(src.name.clone(), src.text.clone()),
                at: SourceSpan::from((offset, len)),
                label: message,
            })
        }
        None => miette::miette!("{message}"),
    };
    // A refused value names its field (`data.tls.crt`).
    let field = err
        .location()
        .filter(|_| yaml_message(err).starts_with("not valid base64"))
        .and_then(|l| key_path_at(&src.text, usize::try_from(l.line()).ok()?))
        .map(|k| format!(": field `{k}`"))
        .unwrap_or_default();
    let what = format!("{what}{field}");
    let head = match err.location() {
        Some(l) if l.line() > 0 => format!("{}:{}:{}: {what}", src.name, l.line(), l.column()),
        _ => format!("{}: {what}", src.name),
    };
    report.wrap_err(head)
}

#[cfg(test)]
mod tests;
