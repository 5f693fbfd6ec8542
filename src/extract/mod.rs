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

use crate::source::{Sniffed, sniff};

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
}

/// Limits that keep one hostile file from exhausting memory or time.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest uncompressed XML part of a `.docx`.
    pub max_part_bytes: u64,
    /// Largest total of uncompressed parts read from one `.docx`.
    pub max_total_bytes: u64,
    /// Largest ratio of uncompressed to compressed size of one part.
    pub max_ratio: u64,
    /// Deepest XML element nesting.
    pub max_depth: usize,
    /// Read comments into notes.
    pub comments: bool,
    /// Read page headers and footers.
    pub headers_footers: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_part_bytes: 256 << 20,
            max_total_bytes: 512 << 20,
            max_ratio: 1000,
            max_depth: 256,
            comments: false,
            headers_footers: false,
        }
    }
}

/// Extracts blocks from the bytes of one source, choosing the reader from
/// the bytes themselves.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, ExtractError> {
    let sniffed = sniff(bytes);
    match sniffed {
        Sniffed::Empty => Err(ExtractError::Empty),
        Sniffed::Zip => {
            let doc = docx::read(bytes, limits)?;
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
            let decoded = text::decode(bytes)?;
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
