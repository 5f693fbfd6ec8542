//! The record contract: one row type per output table, the same columns in
//! CSV and JSONL, in this order.

use serde::{Deserialize, Serialize};

use super::schema::SCHEMA_VERSION;
use crate::convert::Document;

/// One source document (converted or not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    /// Stable id: the same source (name below its input, and content) gets
    /// the same id on every run and machine.
    pub doc_id: String,
    /// The source as named by the user (`archive.zip!/inner/path` for
    /// archive members).
    pub source: String,
    /// `docx`, `text` or `html`; empty when the source could not be read.
    pub format: Option<String>,
    /// Text encoding detected (text and HTML files).
    pub encoding: Option<String>,
    /// Size of the source in bytes.
    pub bytes: u64,
    /// SHA-256 of the source's bytes (hex).
    pub sha256: Option<String>,
    /// Document title, without file extension.
    pub title: Option<String>,
    /// File name as the hosting site shows it.
    pub file_name: Option<String>,
    /// Hosting site (short brand name).
    pub site: Option<String>,
    /// Page count the site states.
    pub declared_pages: Option<u32>,
    /// Essay count the title declares.
    pub declared_essays: Option<u32>,
    /// Essays found.
    pub essays: u32,
    /// Sections found in all essays.
    pub sections: u32,
    /// Characters of clean text (essay titles and texts).
    pub chars: u64,
    /// The text stops before the document does.
    pub truncated: bool,
    /// Characters of boilerplate removed.
    pub boilerplate_chars: u64,
    /// Chunk counters removed.
    pub chunk_markers: u32,
    /// Non-fatal problems, separated by `; `.
    pub warnings: Option<String>,
    /// `ok` or `error`.
    pub status: String,
    /// Why the source was not converted (one line naming the file).
    pub error: Option<String>,
    /// Version of the record contract ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Version of wenku that wrote the record.
    pub wenku_version: String,
}

/// One essay of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EssayRecord {
    /// The document's id.
    pub doc_id: String,
    /// Position of the essay in the document, from 1.
    pub essay_no: u32,
    /// The essay marker as written (`第1篇`); empty for a single document.
    pub marker: Option<String>,
    /// The essay's title.
    pub title: Option<String>,
    /// The essay's clean text, without marker and title.
    pub text: String,
    /// Characters of `text`.
    pub chars: u64,
    /// Sections in the essay.
    pub sections: u32,
    /// The essay stops before it ends (the last essay of a truncated
    /// document).
    pub truncated: bool,
}

/// One numbered section of an essay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionRecord {
    /// The document's id.
    pub doc_id: String,
    /// The essay the section belongs to.
    pub essay_no: u32,
    /// Position of the section in the document, from 1.
    pub section_no: u32,
    /// Nesting level, from 1.
    pub level: u8,
    /// The label as written (`一、`).
    pub label: String,
    /// The label's integer value.
    pub number: u32,
    /// `section_no` of the enclosing section.
    pub parent_no: Option<u32>,
    /// The heading after the label.
    pub heading: String,
    /// The section's text after its heading, its subsections included, up
    /// to the next section of its level or an outer one.
    pub text: String,
    /// Characters of `text`.
    pub chars: u64,
}

/// All records of one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Records {
    /// The document row.
    pub document: DocumentRecord,
    /// Its essays.
    pub essays: Vec<EssayRecord>,
    /// Its sections.
    pub sections: Vec<SectionRecord>,
}

/// Identity of a source for the records.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    /// Document id.
    pub doc_id: String,
    /// Source name.
    pub source: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 hex, when the bytes were read.
    pub sha256: Option<String>,
}

fn chars(s: &str) -> u64 {
    s.chars().count() as u64
}

impl Records {
    /// Records of a converted document.
    pub fn converted(info: &SourceInfo, doc: &Document) -> Self {
        Self::from_document(info, doc.clone())
    }

    /// [`Records::converted`], moving the document's texts into the
    /// records rather than copying them (a batch's conversions are dropped
    /// as soon as their records are made).
    pub fn from_document(info: &SourceInfo, doc: Document) -> Self {
        let n_essays = doc.essays.len();
        let truncated = doc.meta.truncated;
        let mut essays = Vec::with_capacity(n_essays);
        let mut sections = Vec::new();
        let mut section_no = 0u32;
        let mut doc_chars = 0u64;
        let Document { format, encoding, meta, stats, warnings, text: _, essays: doc_essays } = doc;
        for (e, essay) in doc_essays.into_iter().enumerate() {
            let essay_no = e as u32 + 1;
            let first_no = section_no + 1;
            let n_sections = essay.sections.len() as u32;
            for s in essay.sections {
                section_no += 1;
                let chars = chars(&s.text);
                sections.push(SectionRecord {
                    doc_id: info.doc_id.clone(),
                    essay_no,
                    section_no,
                    level: s.level,
                    label: s.label,
                    number: s.number,
                    parent_no: s.parent.map(|p| first_no + p as u32),
                    heading: s.heading,
                    text: s.text,
                    chars,
                });
            }
            let chars = chars(&essay.text);
            // The document's characters: its essays' texts and titles.
            doc_chars += chars + essay.title.as_deref().map_or(0, self::chars);
            essays.push(EssayRecord {
                doc_id: info.doc_id.clone(),
                essay_no,
                marker: essay.marker,
                title: essay.title,
                text: essay.text,
                chars,
                sections: n_sections,
                truncated: truncated && e + 1 == n_essays,
            });
        }
        let warnings = (!warnings.is_empty()).then(|| warnings.join("; "));
        let document = DocumentRecord {
            doc_id: info.doc_id.clone(),
            source: info.source.clone(),
            format: Some(format.as_str().to_string()),
            encoding: encoding.map(str::to_string),
            bytes: info.bytes,
            sha256: info.sha256.clone(),
            title: meta.title,
            file_name: meta.file_name,
            site: meta.site,
            declared_pages: meta.declared_pages,
            declared_essays: meta.declared_essays,
            essays: n_essays as u32,
            sections: sections.len() as u32,
            chars: doc_chars,
            truncated,
            boilerplate_chars: stats.boilerplate_chars as u64,
            chunk_markers: stats.chunk_markers as u32,
            warnings,
            status: "ok".into(),
            error: None,
            schema_version: SCHEMA_VERSION,
            wenku_version: crate::VERSION.into(),
        };
        Self { document, essays, sections }
    }

    /// The record of a source that could not be converted.
    pub fn failed(info: &SourceInfo, error: &str) -> Self {
        let document = DocumentRecord {
            doc_id: info.doc_id.clone(),
            source: info.source.clone(),
            format: None,
            encoding: None,
            bytes: info.bytes,
            sha256: info.sha256.clone(),
            title: None,
            file_name: None,
            site: None,
            declared_pages: None,
            declared_essays: None,
            essays: 0,
            sections: 0,
            chars: 0,
            truncated: false,
            boilerplate_chars: 0,
            chunk_markers: 0,
            warnings: None,
            status: "error".into(),
            error: Some(format!("{}: {}", info.source, error.replace(['\n', '\r'], " "))),
            schema_version: SCHEMA_VERSION,
            wenku_version: crate::VERSION.into(),
        };
        Self { document, essays: Vec::new(), sections: Vec::new() }
    }
}
