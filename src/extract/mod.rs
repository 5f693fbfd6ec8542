//! Turning the bytes of one source into [`Block`]s of text.
//!
//! * [`text`] decodes text files in any common Chinese encoding.
//! * [`html`] reads saved web pages as text.
//! * [`docx`] streams a Word document's XML into paragraphs, table rows and
//!   notes.
//!
//! [`extract`] picks the reader from what the bytes are ([`crate::source::sniff`]),
//! not from the file name.

pub mod docx;
pub mod html;
pub mod text;

use std::io::Cursor;

use crate::source::{Sniffed, SourceError, ZipLimits, guard, sniff};

/// What kind of text a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A paragraph (or one line of a text file).
    Paragraph,
    /// One table row: its cells' text separated by tabs.
    TableRow,
    /// A footnote, endnote or comment, after the body.
    Note,
    /// Page header or footer text.
    HeaderFooter,
}

/// One paragraph-like unit of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The text, with the rendered list label (if any) in front. May hold
    /// `\n` for manual line breaks and `\t` for tabs.
    pub text: String,
    /// What the block is.
    pub kind: BlockKind,
    /// The paragraph style's name (`Heading 1`, `标题 1` …) when it has one.
    pub style: Option<String>,
    /// Heading level from the style or the paragraph's outline level
    /// (1 = top), when the paragraph is a heading.
    pub heading_level: Option<u8>,
    /// The automatic list label rendered in front of the text (`一、`,
    /// `(1)`), when the paragraph is auto-numbered.
    pub list_label: Option<String>,
}

impl Block {
    /// A plain paragraph holding `text`.
    pub fn paragraph(text: impl Into<String>) -> Self {
        Self { text: text.into(), kind: BlockKind::Paragraph, style: None, heading_level: None, list_label: None }
    }
}

/// The source formats wenku reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Office Open XML word processing document.
    Docx,
    /// A text file.
    Text,
    /// An HTML page.
    Html,
}

impl Format {
    /// The name written into records.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Text => "text",
            Format::Html => "html",
        }
    }
}

/// The result of extraction.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The format that was read.
    pub format: Format,
    /// The text encoding that was detected (text and HTML only).
    pub encoding: Option<&'static str>,
    /// The document's blocks in reading order.
    pub blocks: Vec<Block>,
    /// Non-fatal problems (undecodable bytes replaced, an optional part
    /// that could not be read …).
    pub warnings: Vec<String>,
}

/// Why a source could not be extracted. Each message is one line that says
/// what the file is and why it was not converted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// The file is empty.
    #[error("empty file")]
    Empty,
    /// A password-protected Office document.
    #[error("encrypted document (password protected)")]
    Encrypted,
    /// A legacy binary Word document.
    #[error("legacy Word .doc format is not supported (save it as .docx)")]
    LegacyDoc,
    /// Another format wenku does not read.
    #[error("unsupported format: {0}")]
    Unsupported(&'static str),
    /// The Word reader failed.
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
    /// The bytes are not text in any supported encoding.
    #[error(transparent)]
    Decode(#[from] text::DecodeError),
    /// The zip container breaks a limit (a zip bomb, too many members).
    #[error(transparent)]
    Package(#[from] SourceError),
    /// A text or HTML file, or the text of a Word document, larger than
    /// the text limit.
    #[error("text too large: {size} bytes (limit {limit}; raise it with --max-text-size)")]
    TextTooLarge {
        /// Size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
}

/// Limits that keep one hostile file from exhausting memory or time. Each
/// has a command-line flag; a file that breaks one gets an error record
/// naming the limit and its flag.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Limits {
    /// Largest uncompressed XML part of a `.docx` (`--max-part-size`).
    pub max_part_bytes: u64,
    /// Largest total of uncompressed sizes of one `.docx`: declared by all
    /// its members, and read from its parts (`--max-zip-total`).
    pub max_total_bytes: u64,
    /// Largest ratio of uncompressed to compressed size of one zip member
    /// above 1 MiB, or of a whole zip (`--max-zip-ratio`).
    pub max_ratio: u64,
    /// Deepest XML element nesting (`--max-xml-depth`).
    pub max_depth: usize,
    /// Most members of one zip: a `.docx` or a dump archive
    /// (`--max-zip-members`).
    pub max_members: usize,
    /// Largest text or HTML file, and largest text read from a Word
    /// document (`--max-text-size`). Converting takes about ten times the
    /// text's size in memory (330 MB for 32 MB of text, in 2 s), so this
    /// bounds one file's memory.
    pub max_text_bytes: u64,
    /// Read comments into notes.
    pub comments: bool,
    /// Read page headers and footers.
    pub headers_footers: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_part_bytes: 64 << 20,
            max_total_bytes: 512 << 20,
            // Real documents stay under 50 (the densest part in 300
            // corpus files is 41); deflate tops out near 1030.
            max_ratio: 100,
            max_depth: 256,
            max_members: 100_000,
            max_text_bytes: 32 << 20,
            comments: false,
            headers_footers: false,
        }
    }
}

/// Checks a zip container before the Word reader inflates anything (see
/// [`guard`]), and names the zip formats that are not Word documents.
fn check_package(bytes: &[u8], limits: &Limits) -> Result<(), ExtractError> {
    // A zip whose directory cannot be read is the Word reader's to explain.
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let zip_limits = ZipLimits {
        max_members: limits.max_members,
        max_ratio: Some(limits.max_ratio),
        max_total: Some(limits.max_total_bytes),
    };
    guard::check(&mut zip, bytes.len() as u64, &zip_limits)?;
    let mut names = Vec::with_capacity(zip.len());
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(index) else {
            continue;
        };
        names.push(String::from_utf8_lossy(entry.name_raw()).to_lowercase());
    }
    let has = |n: &str| names.iter().any(|m| m.trim_start_matches('/') == n);
    if has("word/document.xml") || names.iter().any(|m| m.starts_with("word/")) {
        return Ok(());
    }
    // OpenDocument and EPUB store their media type uncompressed first.
    let mimetype = bytes.get(30..).filter(|rest| rest.starts_with(b"mimetype")).map(|rest| &rest[8..]);
    let kind = match mimetype {
        Some(m) if m.starts_with(b"application/vnd.oasis.opendocument.text") => Some("OpenDocument text (.odt)"),
        Some(m) if m.starts_with(b"application/vnd.oasis.opendocument") => Some("OpenDocument file"),
        Some(m) if m.starts_with(b"application/epub+zip") => Some("EPUB e-book"),
        _ if has("xl/workbook.xml") => Some("Excel workbook (.xlsx)"),
        _ if has("ppt/presentation.xml") => Some("PowerPoint presentation (.pptx)"),
        _ => None,
    };
    match kind {
        Some(what) => Err(ExtractError::Unsupported(what)),
        None => Ok(()),
    }
}

/// Decodes a text or HTML file under the text size limit. A file that
/// decodes to nothing but white space (a lone byte-order mark) is empty.
fn decode_text(bytes: &[u8], limits: &Limits) -> Result<text::Decoded, ExtractError> {
    if bytes.len() as u64 > limits.max_text_bytes {
        return Err(ExtractError::TextTooLarge { size: bytes.len() as u64, limit: limits.max_text_bytes });
    }
    let decoded = text::decode(bytes)?;
    if decoded.text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(decoded)
}

/// Extracts blocks from the bytes of one source, choosing the reader from
/// the bytes themselves.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let sniffed = sniff(bytes);
    match sniffed {
        Sniffed::Empty => Err(ExtractError::Empty),
        Sniffed::Zip => {
            check_package(bytes, limits)?;
            let doc = docx::read(bytes, limits)?;
            let size: u64 = doc.blocks.iter().map(|b| b.text.len() as u64).sum();
            if size > limits.max_text_bytes {
                return Err(ExtractError::TextTooLarge { size, limit: limits.max_text_bytes });
            }
            Ok(Extracted { format: Format::Docx, encoding: None, blocks: doc.blocks, warnings: doc.warnings })
        }
        Sniffed::EncryptedOffice => Err(ExtractError::Encrypted),
        Sniffed::LegacyWord => Err(ExtractError::LegacyDoc),
        Sniffed::OtherOle => Err(ExtractError::Unsupported("OLE compound file (legacy Office format)")),
        Sniffed::Pdf => Err(ExtractError::Unsupported("PDF")),
        Sniffed::Rtf => Err(ExtractError::Unsupported("RTF")),
        Sniffed::Binary(what) => Err(ExtractError::Unsupported(what)),
        Sniffed::Html | Sniffed::Text => {
            let html = matches!(sniffed, Sniffed::Html);
            let decoded = decode_text(bytes, limits)?;
            let mut warnings = Vec::new();
            if decoded.replaced > 0 {
                warnings.push(decoded.replacement_warning());
            }
            Ok(Extracted {
                format: if html { Format::Html } else { Format::Text },
                encoding: Some(decoded.encoding),
                blocks: if html { html::blocks(&decoded.text) } else { text::blocks(&decoded.text) },
                warnings,
            })
        }
    }
}
