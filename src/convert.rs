//! One document through the whole chain: extract → clean → segment.

use crate::clean::{self, Meta, Page, Stats};
use crate::extract::{self, ExtractError, Extracted, Format, Limits};
use crate::segment::{self, Essay, Input};

/// How punctuation width is normalised (see [`crate::clean::PunctWidth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PunctPolicy {
    /// Leave punctuation as it is.
    Keep,
    /// Full-width punctuation in Chinese prose (the default).
    #[default]
    Cjk,
    /// ASCII punctuation everywhere.
    Ascii,
}

impl std::str::FromStr for PunctPolicy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "keep" => Ok(Self::Keep),
            "cjk" => Ok(Self::Cjk),
            "ascii" => Ok(Self::Ascii),
            other => Err(format!("unknown punctuation policy {other:?} (keep, cjk, ascii)")),
        }
    }
}

/// Options of a conversion.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Options {
    /// Punctuation width policy.
    pub punct: PunctPolicy,
    /// Name of the cleaning profile ([`crate::clean::PROFILES`]).
    pub profile: String,
    /// Limits for hostile inputs.
    pub limits: Limits,
    /// Largest input file (or archive member) read, in bytes.
    pub max_file_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            punct: PunctPolicy::Cjk,
            profile: "default".into(),
            limits: Limits::default(),
            max_file_bytes: 256 << 20,
        }
    }
}

/// A converted document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The format read.
    pub format: Format,
    /// The text encoding detected (text files).
    pub encoding: Option<&'static str>,
    /// What the boilerplate said, completed by segmentation (a single
    /// document's own title names it when nothing else did).
    pub meta: Meta,
    /// Cleaning counters.
    pub stats: Stats,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
    /// The clean text.
    pub text: String,
    /// The essays.
    pub essays: Vec<Essay>,
}

impl Document {
    /// Characters of clean text in the essays (titles and bodies).
    pub fn chars(&self) -> usize {
        self.essays.iter().map(|e| e.text.chars().count() + e.title.as_deref().map_or(0, |t| t.chars().count())).sum()
    }

    /// Number of sections in all essays.
    pub fn section_count(&self) -> usize {
        self.essays.iter().map(|e| e.sections.len()).sum()
    }
}

/// Converts the bytes of one source.
pub fn convert_bytes(bytes: &[u8], opts: &Options) -> Result<Document, ExtractError> {
    Ok(convert_extracted(extract::extract(bytes, &opts.limits)?, opts))
}

/// [`convert_bytes`], taking the bytes and dropping them as soon as they
/// are read, so that a huge source is not held beside its text.
pub fn convert_owned(bytes: Vec<u8>, opts: &Options) -> Result<Document, ExtractError> {
    let extracted = extract::extract(&bytes, &opts.limits)?;
    drop(bytes);
    Ok(convert_extracted(extracted, opts))
}

fn convert_extracted(extracted: Extracted, opts: &Options) -> Document {
    let Extracted { format, encoding, blocks, mut warnings } = extracted;
    let mut doc = finish(Page::from_blocks(blocks), opts);
    doc.format = format;
    doc.encoding = encoding;
    warnings.append(&mut doc.warnings);
    doc.warnings = warnings;
    doc
}

/// The clean text of the bytes of one source: what [`convert_bytes`] puts
/// in [`Document::text`], without the segmentation that `wenku text` does
/// not print.
pub fn clean_bytes(bytes: &[u8], opts: &Options) -> Result<String, ExtractError> {
    let extracted = extract::extract(bytes, &opts.limits)?;
    let mut page = Page::from_blocks(extracted.blocks);
    profile(opts).run(&mut page);
    Ok(page.text())
}

fn profile(opts: &Options) -> clean::Profile {
    clean::profile(&opts.profile, opts.punct)
        .or_else(|| clean::profile("default", opts.punct))
        .expect("default profile")
}

/// Converts text that is already decoded (for tests and the library API).
pub fn convert_text(text: &str, opts: &Options) -> Document {
    finish(Page::from_text(text), opts)
}

fn finish(mut page: Page, opts: &Options) -> Document {
    profile(opts).run(&mut page);
    let text = page.text();
    // Only the text is read from here on; a huge page is not held twice.
    page.lines = Vec::new();
    // A title named only by an editor's introduction still tells
    // segmentation which collection the markers belong to.
    let seg_title = page.meta.title.as_deref().or(page.meta.fallback_title.as_deref());
    let segmented = segment::segment(&Input {
        text: &text,
        title: seg_title,
        declared_essays: page.meta.declared_essays.or_else(|| seg_title.and_then(clean::declared_essays)),
    });
    let mut meta = page.meta;
    // When nothing in the boilerplate named the document: the collection
    // title written before the first marker (`T(汇总16篇)篇一`), an
    // editor's introduction, or a single document's own title line.
    if meta.title.is_none() {
        let first = segmented.essays.first();
        // The introduction's name for the collection wins when it only
        // adds to the title line (`…心得體會` + `模板5篇`).
        let line = first.and_then(|e| e.marker.as_ref().and(e.title_line.clone()));
        let line = match (line, &meta.fallback_title) {
            (Some(l), Some(f)) if extends(f, &l) => Some(f.clone()),
            (line, _) => line,
        };
        meta.title = line.or_else(|| meta.fallback_title.clone()).or_else(|| match segmented.essays.as_slice() {
            [only] => only.title.clone(),
            _ => None,
        });
        meta.declared_essays = meta.title.as_deref().and_then(clean_title_count);
    }
    clean::Truncation::after_segmentation(&mut meta, &segmented.essays, &text);
    Document {
        format: Format::Text,
        encoding: None,
        meta,
        stats: page.stats,
        warnings: page.warnings,
        text,
        essays: segmented.essays,
    }
}

/// True when `longer` is `shorter` with more after it, compared loosely.
fn extends(longer: &str, shorter: &str) -> bool {
    let (l, s) = (crate::text::compare_key(longer), crate::text::compare_key(shorter));
    l.len() > s.len() && l.starts_with(&s)
}

fn clean_title_count(title: &str) -> Option<u32> {
    clean::declared_essays(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_bytes_is_the_text_of_a_conversion() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let opts = Options::default();
        let mut seen = 0;
        for dir in ["seed", "dumps", "docx"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                let Ok(doc) = convert_bytes(&bytes, &opts) else { continue };
                assert_eq!(clean_bytes(&bytes, &opts).unwrap(), doc.text, "{}", path.display());
                seen += 1;
            }
        }
        assert!(seen >= 10, "{seen}");
    }

    #[test]
    fn the_introduction_names_the_collection_when_it_adds_to_the_title_line() {
        // dumps/28, shortened: the editor's introduction names `…模板5篇`,
        // the markers' title line only `…`.
        let text = "以下是范文社小编精心为您推荐的遼的心得體會模板5篇,供大家參考。\n遼的心得體會篇1\n這個學期通過課程的學習,有了一定的了解。\n遼的心得體會篇2\n通過學習,收穫很多。";
        let doc = convert_text(text, &Options::default());
        assert_eq!(doc.essays.len(), 2);
        assert_eq!(doc.meta.title.as_deref(), Some("遼的心得體會模板5篇"));
        assert_eq!(doc.meta.declared_essays, Some(5));
        // A different name in the introduction does not replace the line.
        let other = text.replace("遼的心得體會模板5篇", "优秀范文");
        assert_eq!(convert_text(&other, &Options::default()).meta.title.as_deref(), Some("遼的心得體會"));
    }
}
