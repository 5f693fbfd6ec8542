//! Removing the hosting site's boilerplate and normalising the text.
//!
//! A document enters as [`Page`]: its lines (one per paragraph or text
//! line) plus the metadata found so far. Each [`Cleaner`] is one small,
//! named rule in its own file; a [`Profile`] chains them in order, and
//! [`profile`] looks a profile up by name:
//!
//! ```
//! use wenku::clean::{Page, profile};
//! use wenku::PunctPolicy;
//!
//! // A preview chunk that the site cut in the middle of a word (体|会).
//! let body = "今天我们学习了新质生产力的有关论述。".repeat(10);
//! let dump = format!(
//!     "《心得.docx》由会员分享,可在线阅读,更多相关《心得.docx(3页珍藏版)》请在课桌文档上搜索。\n1、学习心得{body}体\n2、会",
//! );
//! let mut page = Page::from_text(&dump);
//! profile("default", PunctPolicy::Keep).unwrap().run(&mut page);
//! // The header and the chunk counters are gone; the cut word is whole.
//! assert_eq!(page.text(), format!("学习心得{body}体会"));
//! assert_eq!(page.meta.title.as_deref(), Some("心得"));
//! assert_eq!(page.meta.declared_pages, Some(3));
//! assert!(page.meta.truncated);
//! ```
//!
//! Cleaners only remove what they recognise and record how many characters
//! they removed, so that `boilerplate_chars` on the document record says
//! how much was taken away.

mod chrome;
mod chunks;
mod footers;
mod header;
mod intro;
mod normalize;
mod pinyin;
mod punct;
mod sites;
mod title;
mod truncation;

pub use chrome::SiteChrome;
pub use chunks::ChunkCounters;
pub use footers::PageFooters;
pub use header::SiteHeader;
pub use intro::EditorIntro;
pub use normalize::{CjkSpacing, HardWraps, HtmlTags, Invisible, WhiteSpace, WidthFold};
pub use punct::PunctWidth;
pub use sites::canonical_site;
pub use title::{DocumentTitle, declared_essays};
pub use truncation::Truncation;

use crate::PunctPolicy;
use crate::extract::{Block, BlockKind};
use crate::text::{has_byte, split_at_byte};

/// One line of a document being cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The text, without the line break.
    pub text: String,
    /// Heading level carried from the source (a `.docx` heading style).
    pub heading_level: Option<u8>,
    /// What kind of block the line came from.
    pub kind: BlockKind,
}

impl Line {
    /// A plain text line.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into(), heading_level: None, kind: BlockKind::Paragraph }
    }
}

/// What the boilerplate told about the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Document title, without file extension.
    pub title: Option<String>,
    /// File name as the site shows it (`T.docx`).
    pub file_name: Option<String>,
    /// Short brand name of the hosting site (`课桌文档`).
    pub site: Option<String>,
    /// Page count the site states.
    pub declared_pages: Option<u32>,
    /// Essay count the title declares (`8篇`, `(通用10篇)`).
    pub declared_essays: Option<u32>,
    /// The preview stops before the document does.
    pub truncated: bool,
    /// Why the document is considered truncated.
    pub truncation_reason: Option<String>,
    /// A title named only indirectly (an editor's introduction: "以下是…
    /// 整理的T"), used when nothing better names the document.
    pub fallback_title: Option<String>,
}

/// Counters kept while cleaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Characters of boilerplate removed (not counting white space
    /// folding).
    pub boilerplate_chars: usize,
    /// Chunk counters removed.
    pub chunk_markers: usize,
    /// The site's chunk length, when chunk counters were found.
    pub chunk_chars: Option<usize>,
}

/// A document being cleaned.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The lines, in order.
    pub lines: Vec<Line>,
    /// Metadata found so far.
    pub meta: Meta,
    /// Counters.
    pub stats: Stats,
    /// Non-fatal observations.
    pub warnings: Vec<String>,
}

impl Page {
    /// A page made of extracted blocks; a block holding `\n` becomes several
    /// lines. The blocks are taken, not copied: a block of one line gives
    /// its text to the line, so a huge text is not held twice.
    pub fn from_blocks(blocks: Vec<Block>) -> Self {
        let mut lines = Vec::with_capacity(blocks.len());
        for block in blocks {
            if !has_byte(&block.text, b'\n') {
                lines.push(Line { text: block.text, heading_level: block.heading_level, kind: block.kind });
                continue;
            }
            for (i, part) in split_at_byte(&block.text, b'\n').enumerate() {
                lines.push(Line {
                    text: part.to_string(),
                    heading_level: if i == 0 { block.heading_level } else { None },
                    kind: block.kind,
                });
            }
        }
        Self { lines, ..Self::default() }
    }

    /// A page made of a text's lines.
    pub fn from_text(text: &str) -> Self {
        Self::from_blocks(crate::extract::text::blocks(text))
    }

    /// The text: lines joined with `\n`, empty lines dropped.
    pub fn text(&self) -> String {
        // Sized first: growing by doubling would hold up to twice a huge
        // text at the last step.
        let len = self.lines.iter().map(|l| l.text.len() + 1).sum::<usize>();
        let mut out = String::with_capacity(len);
        for line in self.lines.iter().filter(|l| !l.text.is_empty()) {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&line.text);
        }
        out
    }

    /// Records `n` characters of removed boilerplate.
    pub fn removed(&mut self, n: usize) {
        self.stats.boilerplate_chars += n;
    }

    /// Removes the lines for which `drop` is true, counting their
    /// characters as boilerplate.
    pub fn drop_lines(&mut self, mut drop: impl FnMut(usize, &Line) -> bool) {
        let mut removed = 0;
        let mut i = 0;
        self.lines.retain(|line| {
            let keep = !drop(i, line);
            if !keep {
                removed += line.text.chars().filter(|c| !c.is_whitespace()).count();
            }
            i += 1;
            keep
        });
        self.removed(removed);
    }

    /// Splits lines holding `\n` (left by a cleaner that replaced
    /// boilerplate between a title and its text with a line break).
    pub fn split_embedded_breaks(&mut self) {
        if !self.lines.iter().any(|l| has_byte(&l.text, b'\n')) {
            return;
        }
        let mut out = Vec::with_capacity(self.lines.len() + 4);
        for line in std::mem::take(&mut self.lines) {
            if !has_byte(&line.text, b'\n') {
                out.push(line);
                continue;
            }
            for (i, part) in split_at_byte(&line.text, b'\n').enumerate() {
                out.push(Line {
                    text: part.to_string(),
                    heading_level: if i == 0 { line.heading_level } else { None },
                    kind: line.kind,
                });
            }
        }
        self.lines = out;
    }

    /// Index of the first line that is not blank.
    pub fn first_content_line(&self) -> Option<usize> {
        self.lines.iter().position(|l| !l.text.trim().is_empty())
    }
}

/// One cleaning rule.
pub trait Cleaner: Send + Sync {
    /// A short name for reports and debugging.
    fn name(&self) -> &'static str;
    /// Applies the rule to the page.
    fn clean(&self, page: &mut Page);
}

/// A named chain of cleaners.
pub struct Profile {
    name: &'static str,
    cleaners: Vec<Box<dyn Cleaner>>,
}

impl Profile {
    /// An empty profile called `name`.
    pub fn new(name: &'static str) -> Self {
        Self { name, cleaners: Vec::new() }
    }

    /// Appends a cleaner.
    pub fn with(mut self, cleaner: impl Cleaner + 'static) -> Self {
        self.cleaners.push(Box::new(cleaner));
        self
    }

    /// The profile's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Names of the cleaners, in order.
    pub fn cleaner_names(&self) -> Vec<&'static str> {
        self.cleaners.iter().map(|c| c.name()).collect()
    }

    /// Runs every cleaner in order.
    pub fn run(&self, page: &mut Page) {
        for cleaner in &self.cleaners {
            cleaner.clean(page);
        }
    }
}

/// Names of the built-in profiles.
pub const PROFILES: &[&str] = &["default", "plain"];

/// A built-in profile by name:
///
/// * `default`: every boilerplate cleaner, for dumps of 文库 and 范文 sites;
/// * `plain`: normalisation only, for documents that never were on a site.
pub fn profile(name: &str, punct: PunctPolicy) -> Option<Profile> {
    let normalise_front = |p: Profile| p.with(Invisible).with(HtmlTags).with(HardWraps).with(WidthFold);
    let normalise_back = |p: Profile| p.with(CjkSpacing).with(WhiteSpace).with(PunctWidth(punct));
    match name {
        "default" => Some(
            normalise_back(
                normalise_front(Profile::new("default"))
                    .with(SiteHeader)
                    .with(SiteChrome)
                    .with(ChunkCounters)
                    .with(PageFooters)
                    .with(EditorIntro)
                    .with(DocumentTitle),
            )
            .with(Truncation),
        ),
        "plain" => Some(normalise_back(normalise_front(Profile::new("plain")))),
        _ => None,
    }
}
