//! Reading Word documents (`.docx`, Office Open XML).
//!
//! The package is opened the OPC way ([`Package`]): the main part is found
//! through `_rels/.rels`, part names are matched case-insensitively, and
//! every part is inflated under a size and ratio limit. Styles and list
//! definitions (`numbering`, rendered by `numfmt`) are read first, with
//! quick-xml; then each story is streamed (`body`, through the story
//! tokenizer of `xml`, which checks a part's UTF-8 once rather than per
//! event) into [`Block`]s, in this order:
//!
//! 1. headers (only with [`Limits::headers_footers`]), each part once;
//! 2. the body: paragraphs with their style, heading level and rendered
//!    list label, table rows, text boxes, and `w:altChunk` parts read in
//!    place (an embedded `.docx`, HTML or text);
//! 3. footnotes and endnotes as [`BlockKind::Note`] blocks `[n] text`, in
//!    the order the body refers to them (the body carries the `[n]`
//!    marker);
//! 4. comments (only with [`Limits::comments`]) as notes `[initials n]
//!    text`, with the same marker in the body;
//! 5. footers (only with [`Limits::headers_footers`]), each part once.

mod body;
#[doc(hidden)]
pub mod fuzzing;
mod numbering;
mod numfmt;
mod package;
mod styles;
mod symbols;
mod xml;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::{Block, BlockKind, Limits};
use body::{Context, Item, NoteKind};

pub use package::{Package, Relationship};

/// Why a `.docx` could not be read. Every message names the part and, for
/// XML errors, the byte offset.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocxError {
    /// The bytes are not a zip archive at all.
    #[error("not a zip archive")]
    NotZip,
    /// The zip directory is damaged.
    #[error("not a zip archive: damaged zip directory ({0})")]
    CorruptZip(String),
    /// A member's data does not match its checksum or cannot be inflated.
    #[error("zip member CRC mismatch or bad data: {part}")]
    BadMember {
        /// The part that failed.
        part: String,
    },
    /// A zip member is encrypted.
    #[error("encrypted document (password protected)")]
    Encrypted,
    /// No main document part.
    #[error("main part missing: not a Word document ({0})")]
    MainPartMissing(String),
    /// A part declares entities in a DTD (billion laughs, external
    /// entities): refused, never expanded nor fetched.
    #[error("XML part {part} declares entities in a DTD (refused: entities are never expanded or fetched)")]
    Entities {
        /// The part.
        part: String,
    },
    /// An XML part is not well-formed.
    #[error("malformed XML at {part}:{offset}: {message}")]
    MalformedXml {
        /// The part.
        part: String,
        /// Byte offset of the error in the part.
        offset: u64,
        /// What the parser said.
        message: String,
    },
    /// Elements nested deeper than the limit.
    #[error("XML part {part} nests elements deeper than {limit}")]
    TooDeep {
        /// The part.
        part: String,
        /// The limit.
        limit: usize,
    },
    /// A part inflates to more than the limits allow (zip bomb).
    #[error("part {part} too large: {size} bytes uncompressed ({why})")]
    TooLarge {
        /// The part.
        part: String,
        /// Declared or actual uncompressed size.
        size: u64,
        /// Which limit was hit.
        why: String,
    },
}

impl DocxError {
    /// What `reader` failed on, at its position in `part`.
    fn malformed<R>(part: &str, reader: &quick_xml::Reader<R>, error: quick_xml::Error) -> Self {
        Self::MalformedXml { part: part.to_string(), offset: reader.error_position(), message: error.to_string() }
    }

    /// What the story tokenizer failed on in `part`.
    fn not_well_formed(part: &str, error: xml::XmlError) -> Self {
        Self::MalformedXml { part: part.to_string(), offset: error.offset as u64, message: error.message }
    }
}

/// What the reader returns.
#[derive(Debug, Default)]
pub struct DocxDocument {
    /// Blocks in reading order: the body, then notes.
    pub blocks: Vec<Block>,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
}

/// How deep `.docx` files embedded as `w:altChunk` are followed.
const MAX_EMBEDDING: usize = 2;

/// Reads a `.docx` from its bytes.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<DocxDocument, DocxError> {
    read_embedded(bytes, limits, 0)
}

fn read_embedded(bytes: &[u8], limits: &Limits, embedding: usize) -> Result<DocxDocument, DocxError> {
    let mut package = Package::open(bytes, limits)?;
    let main = package.main_part()?;
    let mut warnings = Vec::new();
    if package.salvaged() {
        warnings.push("zip directory damaged: parts read from their local headers".to_string());
    }
    let rels = package.relationships(&main);
    let related =
        |suffix: &str| rels.iter().find(|r| r.kind.ends_with(suffix) && !r.external).map(|r| r.target.clone());

    let styles = read_styles(&mut package, related("/styles"), limits, &mut warnings);
    let numbering = optional(&mut package, related("/numbering"), &mut warnings, |xml, part| {
        numbering::Numbering::parse(xml, part, limits)
    })
    .unwrap_or_default();
    let mut ctx = Context { styles: &styles, numbering: &numbering, limits, comment_initials: None };

    // Comments are read before the body: its markers carry their authors'
    // initials.
    let comments =
        if limits.comments { read_items(&mut package, related("/comments"), &ctx, &mut warnings) } else { None };
    let initials: HashMap<String, String> = comments
        .iter()
        .flat_map(|(items, _)| items.iter())
        .map(|i| (i.id.clone(), i.initials.clone().unwrap_or_default()))
        .collect();
    if limits.comments {
        ctx.comment_initials = Some(&initials);
    }

    let xml = package
        .read_xml(&main)?
        .ok_or_else(|| DocxError::MainPartMissing(format!("{main} is named in _rels/.rels but absent")))?;
    let mut story = package::parse_xml(&xml, |xml| body::read_story(xml, &main, &ctx))?;
    drop(xml);
    warnings.append(&mut story.warnings);

    let mut blocks = Vec::with_capacity(story.blocks.len() + story.note_refs.len());
    let (headers, footers) = if limits.headers_footers {
        read_headers_footers(&mut package, &rels, &story.header_footer_refs, &ctx, &mut warnings)
    } else {
        Default::default()
    };
    blocks.extend(headers);
    let body = std::mem::take(&mut story.blocks);
    append_body(&mut blocks, body, &story.alt_chunks, &mut package, &rels, limits, embedding, &mut warnings);

    if !story.note_refs.is_empty() {
        let footnotes = read_items(&mut package, related("/footnotes"), &ctx, &mut warnings);
        let endnotes = read_items(&mut package, related("/endnotes"), &ctx, &mut warnings);
        let footnotes = item_texts(footnotes.as_ref());
        let endnotes = item_texts(endnotes.as_ref());
        for (i, note) in story.note_refs.iter().enumerate() {
            let texts = if note.kind == NoteKind::Footnote { &footnotes } else { &endnotes };
            let text = texts.get(note.id.as_str()).map_or("", String::as_str);
            blocks.push(note_block(format!("[{}] {text}", i + 1)));
        }
    }
    if !story.comment_refs.is_empty() {
        let texts = item_texts(comments.as_ref());
        for (i, id) in story.comment_refs.iter().enumerate() {
            let text = texts.get(id.as_str()).map_or("", String::as_str);
            let mark = body::comment_mark(&initials, id, i + 1);
            blocks.push(note_block(format!("{mark} {text}")));
        }
    }
    blocks.extend(footers);
    Ok(DocxDocument { blocks, warnings })
}

fn note_block(text: String) -> Block {
    Block {
        text: text.trim_end().to_string(),
        kind: BlockKind::Note,
        style: None,
        heading_level: None,
        list_label: None,
    }
}

/// The styles part last parsed on this thread, known by its stored bytes.
struct KnownStyles {
    /// The compressed bytes, method, CRC and size as stored in the zip.
    raw: Vec<u8>,
    method: zip::CompressionMethod,
    crc32: u32,
    size: u64,
    /// The depth limit it was parsed under.
    max_depth: usize,
    /// Uncompressed bytes reading it counted towards the total limit.
    counted: u64,
    styles: Rc<styles::Styles>,
}

thread_local! {
    static LAST_STYLES: RefCell<Option<KnownStyles>> = const { RefCell::new(None) };
}

/// Reads the styles part. The documents of a batch mostly come from one
/// template: python-docx writes the same 350 KB `styles.xml` into every
/// file, whose inflating and parsing cost more than the text of a small
/// document. A part whose stored bytes are exactly those of the last one
/// parsed on this thread is not read again (the same compressed bytes
/// inflate to the same XML, so the result is the same, whatever the order
/// or the number of jobs).
fn read_styles(
    package: &mut Package<'_>,
    part: Option<String>,
    limits: &Limits,
    warnings: &mut Vec<String>,
) -> Rc<styles::Styles> {
    let Some(part) = part else {
        return Rc::default();
    };
    let raw = package.raw_member(&part).ok().flatten();
    if let Some(raw) = raw {
        let known = LAST_STYLES.with_borrow(|k| {
            k.as_ref()
                .filter(|k| {
                    (k.method, k.crc32, k.size, k.max_depth) == (raw.method, raw.crc32, raw.size, limits.max_depth)
                        && k.raw == raw.data
                })
                .map(|k| (k.styles.clone(), k.counted))
        });
        if let Some((styles, counted)) = known {
            package.account(counted);
            return styles;
        }
    }
    let before = package.total();
    let parsed = optional(package, Some(part), warnings, |xml, part| styles::Styles::parse(xml, part, limits));
    let Some(parsed) = parsed else {
        return Rc::default();
    };
    let styles = Rc::new(parsed);
    if let Some(raw) = raw {
        let known = KnownStyles {
            raw: raw.data.to_vec(),
            method: raw.method,
            crc32: raw.crc32,
            size: raw.size,
            max_depth: limits.max_depth,
            counted: package.total() - before,
            styles: styles.clone(),
        };
        LAST_STYLES.with_borrow_mut(|k| *k = Some(known));
    }
    styles
}

/// Reads an optional part (styles, numbering): a missing one gives
/// `None`, a damaged one a warning.
fn optional<T>(
    package: &mut Package<'_>,
    part: Option<String>,
    warnings: &mut Vec<String>,
    parse: impl Fn(&[u8], &str) -> Result<T, DocxError>,
) -> Option<T> {
    let part = part?;
    let parsed = package
        .read_xml(&part)
        .and_then(|xml| xml.map(|xml| package::parse_xml(&xml, |xml| parse(xml, &part))).transpose());
    match parsed {
        Ok(value) => value,
        Err(e) => {
            warnings.push(format!("{part} ignored: {e}"));
            None
        }
    }
}

/// Reads a notes or comments part into its items and their blocks.
fn read_items(
    package: &mut Package<'_>,
    part: Option<String>,
    ctx: &Context<'_>,
    warnings: &mut Vec<String>,
) -> Option<(Vec<Item>, Vec<Block>)> {
    let story = optional(package, part, warnings, |xml, part| {
        // Notes and comments carry no markers of their own.
        let ctx = Context { comment_initials: None, ..*ctx };
        body::read_story(xml, part, &ctx)
    })?;
    warnings.extend(story.warnings);
    Some((story.items, story.blocks))
}

/// Each item's text: its blocks joined by line breaks. Separator notes
/// (`w:type="separator"` …) are not text.
fn item_texts(items: Option<&(Vec<Item>, Vec<Block>)>) -> HashMap<&str, String> {
    let Some((items, blocks)) = items else {
        return HashMap::new();
    };
    items
        .iter()
        .filter(|i| i.kind.as_deref().is_none_or(|k| k == "normal"))
        .map(|i| {
            let texts = blocks.get(i.blocks.clone()).unwrap_or_default();
            let mut text = String::new();
            for block in texts.iter().filter(|b| !b.text.trim().is_empty()) {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(block.text.trim());
            }
            (i.id.as_str(), text)
        })
        .collect()
}

/// The header and footer parts the sections refer to, in document order,
/// each part once.
fn read_headers_footers(
    package: &mut Package<'_>,
    rels: &[Relationship],
    refs: &[String],
    ctx: &Context<'_>,
    warnings: &mut Vec<String>,
) -> (Vec<Block>, Vec<Block>) {
    let mut seen = HashSet::new();
    let (mut headers, mut footers) = (Vec::new(), Vec::new());
    // Without section references (some producers write none), every
    // header and footer part the document relates to, in relationship
    // order.
    let all: Vec<String>;
    let refs = if refs.is_empty() {
        all = rels
            .iter()
            .filter(|r| r.kind.ends_with("/header") || r.kind.ends_with("/footer"))
            .map(|r| r.id.clone())
            .collect();
        &all
    } else {
        refs
    };
    for id in refs {
        let Some(rel) = rels.iter().find(|r| &r.id == id && !r.external) else {
            continue;
        };
        if !seen.insert(rel.target.clone()) {
            continue;
        }
        let out = if rel.kind.ends_with("/footer") { &mut footers } else { &mut headers };
        let ctx = Context { comment_initials: None, ..*ctx };
        if let Some(story) =
            optional(package, Some(rel.target.clone()), warnings, |xml, part| body::read_story(xml, part, &ctx))
        {
            warnings.extend(story.warnings);
            out.extend(story.blocks.into_iter().filter(|b| !b.text.trim().is_empty()).map(|mut b| {
                b.kind = BlockKind::HeaderFooter;
                b
            }));
        }
    }
    (headers, footers)
}

/// The body's blocks, with each `w:altChunk` part read in its place. The
/// blocks are moved, not cloned: a body holds most of a document's text.
#[allow(clippy::too_many_arguments)]
fn append_body(
    out: &mut Vec<Block>,
    body: Vec<Block>,
    alt_chunks: &[(usize, String)],
    package: &mut Package<'_>,
    rels: &[Relationship],
    limits: &Limits,
    embedding: usize,
    warnings: &mut Vec<String>,
) {
    let total = body.len();
    let mut body = body.into_iter();
    let mut next = 0;
    for (at, id) in alt_chunks {
        let at = (*at).clamp(next, total);
        out.extend(body.by_ref().take(at - next));
        next = at;
        let Some(rel) = rels.iter().find(|r| &r.id == id && !r.external) else {
            warnings.push(format!("altChunk {id}: no such relationship"));
            continue;
        };
        match package.read_bytes(&rel.target) {
            Ok(Some(bytes)) => out.extend(alt_chunk_blocks(&bytes, &rel.target, limits, embedding, warnings)),
            Ok(None) => warnings.push(format!("altChunk {}: part missing", rel.target)),
            Err(e) => warnings.push(format!("altChunk {} ignored: {e}", rel.target)),
        }
    }
    out.extend(body);
}

/// The blocks of an imported part: a Word document, an HTML page or text.
fn alt_chunk_blocks(
    bytes: &[u8],
    part: &str,
    limits: &Limits,
    embedding: usize,
    warnings: &mut Vec<String>,
) -> Vec<Block> {
    use crate::source::{Sniffed, sniff};
    match sniff(bytes) {
        Sniffed::Zip if embedding < MAX_EMBEDDING => match read_embedded(bytes, limits, embedding + 1) {
            Ok(doc) => {
                warnings.extend(doc.warnings);
                doc.blocks
            }
            Err(e) => {
                warnings.push(format!("altChunk {part} ignored: {e}"));
                Vec::new()
            }
        },
        Sniffed::Html | Sniffed::Text => match crate::extract::text::decode(bytes) {
            Ok(decoded) if matches!(sniff(bytes), Sniffed::Html) => crate::extract::html::blocks(&decoded.text),
            Ok(decoded) => crate::extract::text::blocks(&decoded.text),
            Err(e) => {
                warnings.push(format!("altChunk {part} ignored: {e}"));
                Vec::new()
            }
        },
        Sniffed::Empty => Vec::new(),
        _ => {
            warnings.push(format!("altChunk {part} ignored: not a Word document, HTML or text"));
            Vec::new()
        }
    }
}
