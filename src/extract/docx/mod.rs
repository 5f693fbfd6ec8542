//! Reading Word documents (`.docx`, Office Open XML).
//!
//! The package is opened the OPC way ([`package`]): the main part is found
//! through `_rels/.rels`, part names are matched case-insensitively, and
//! every part is inflated under a size and ratio limit. The main part is
//! then streamed with quick-xml ([`body`]) into [`Block`]s: paragraphs with
//! their style, outline level and list label, and table rows.

mod body;
mod package;
mod styles;

use super::{Block, Limits};

pub use package::Package;

/// Why a `.docx` could not be read. Every message names the part and, for
/// XML errors, the byte offset.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocxError {
    /// The bytes are not a zip archive at all.
    #[error("not a zip archive")]
    NotZip,
    /// The zip directory is damaged.
    #[error("corrupt zip archive: {0}")]
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
    /// A part declares a DTD: entity expansion is never done.
    #[error("XML part {part} declares a DTD or entities (refused: entity expansion is never done)")]
    Dtd {
        /// The part.
        part: String,
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

/// What the reader returns.
#[derive(Debug, Default)]
pub struct DocxDocument {
    /// Blocks in reading order: the body, then notes.
    pub blocks: Vec<Block>,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
}

/// Reads a `.docx` from its bytes.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<DocxDocument, DocxError> {
    let mut package = Package::open(bytes, limits)?;
    let main = package.main_part()?;
    let mut warnings = Vec::new();
    let styles = match package.related_part(&main, "/styles") {
        Some(name) => match package.read_xml(&name) {
            Ok(Some(xml)) => styles::Styles::parse(&xml, &name, limits).unwrap_or_else(|e| {
                warnings.push(format!("styles ignored: {e}"));
                styles::Styles::default()
            }),
            Ok(None) => styles::Styles::default(),
            Err(e) => {
                warnings.push(format!("styles ignored: {e}"));
                styles::Styles::default()
            }
        },
        None => styles::Styles::default(),
    };
    let xml = package
        .read_xml(&main)?
        .ok_or_else(|| DocxError::MainPartMissing(format!("{main} is named in _rels/.rels but absent")))?;
    let blocks = body::read_blocks(&xml, &main, &styles, limits)?;
    Ok(DocxDocument { blocks, warnings })
}
