//! Streaming one WordprocessingML story (the body, the notes part, the
//! comments part, a header or footer) into blocks.
//!
//! Elements are matched by namespace and local name, so Transitional and
//! Strict documents read alike and DrawingML's `a:t`, `a:p` or `a:tbl` are
//! never taken for Word's. What counts as text:
//!
//! | element | becomes |
//! |---|---|
//! | `w:p` end | a block (or text of the table cell it is in), with its list label in front |
//! | `w:t`, `m:t` | their text (entities arrive as separate events) |
//! | `w:tab`, `w:ptab` in a run | `\t` |
//! | `w:br`, `w:cr` | `\n` (a page or column break only between text) |
//! | `w:noBreakHyphen` / `w:softHyphen` | `-` / nothing |
//! | `w:sym` | the symbol's Unicode character ([`super::symbols`]) |
//! | superscript / subscript run of digits and signs | `²`, `₂` |
//! | `w:del`, `w:delText`, `w:moveFrom`, `*Change` | nothing (deleted or former text) |
//! | a deleted paragraph mark, a drop cap | the paragraph joins the next one |
//! | `w:instrText`, field code before `separate` | nothing (the field's result is kept) |
//! | legacy check box and drop-down form fields | `☐`/`☒`, the selected entry |
//! | `mc:AlternateContent` | its first `mc:Choice`, else its `mc:Fallback` |
//! | `w:sdtPr`, `w:sdtEndPr` | nothing (content controls are unwrapped) |
//! | `v:textpath` (WordArt, watermarks) | its `string` as a block |
//! | `w:tr` end | one block: the cells' text separated by `\t`; merged cells once |
//! | a run with `w:vanish` | nothing (hidden text) |
//! | `w:footnoteReference`, `w:endnoteReference` | `[n]`, notes numbered in order |
//! | `w:commentReference` (comments on) | `[initials n]` |
//! | OMML structures | linear math: `a/b`, `x^2`, `x_i`, `√x`, `(…)`, `∑` |

use std::collections::HashMap;

use super::DocxError;
use super::numbering::{Counters, Numbering, is_off};
use super::styles::Styles;
use super::symbols::sym_char;
use super::xml::{Tag, Token, Tokenizer, attribute_value, push_text, resolve_reference};
use crate::extract::{Block, BlockKind, Limits};

/// The namespaces whose elements mean something here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// WordprocessingML (Transitional or Strict), or an element whose
    /// prefix is not bound at all (read leniently as Word's).
    W,
    /// Office Math.
    M,
    /// Markup compatibility (`mc:AlternateContent`).
    Mc,
    /// VML.
    V,
    /// Anything else (DrawingML, Word 2010+ extensions …).
    Other,
}

fn ns_of(uri: &str) -> Ns {
    match uri {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | "http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::W,
        "http://schemas.openxmlformats.org/officeDocument/2006/math"
        | "http://purl.oclc.org/ooxml/officeDocument/math" => Ns::M,
        "http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Mc,
        "urn:schemas-microsoft-com:vml" => Ns::V,
        _ => Ns::Other,
    }
}

/// Namespace prefixes in scope. A namespace-aware reader reads every
/// element's attributes to find declarations; Word declares its namespaces
/// on the root and a few drawing elements, so attributes are read only
/// when a tag mentions `xmlns`.
struct Namespaces {
    /// (element depth, prefix, namespace); `""` is the default namespace.
    bindings: Vec<(usize, String, Ns)>,
    /// Recent lookups of short prefixes ([`short_key`]), emptied when the
    /// bindings change. Resolving runs for every start and end tag, so it
    /// compares one integer per entry rather than strings.
    cache: Vec<(u64, Ns)>,
    /// Lookups of one-letter ASCII prefixes (`w`, `m`, `v`, `a`), which
    /// name almost every element: indexed by the letter.
    letters: [Option<Ns>; 128],
}

impl Default for Namespaces {
    fn default() -> Self {
        Self { bindings: Vec::new(), cache: Vec::new(), letters: [None; 128] }
    }
}

/// A prefix of at most seven bytes packed with its length into one
/// integer (`w`, `m`, `mc`, `w14`, `wps` …); `None` for longer ones.
fn short_key(prefix: &[u8]) -> Option<u64> {
    if prefix.len() > 7 {
        return None;
    }
    let mut key = (prefix.len() as u64) << 56;
    for (i, &b) in prefix.iter().enumerate() {
        key |= u64::from(b) << (8 * i);
    }
    Some(key)
}

impl Namespaces {
    fn declare(&mut self, e: &Tag<'_>, depth: usize) {
        let raw = e.attributes.as_bytes();
        // `xmlns=""` is the shortest declaration; attributes are short, so
        // a search for `x` beats a substring searcher's set-up.
        if raw.len() < 8 || !memchr::memchr_iter(b'x', raw).any(|i| raw[i..].starts_with(b"xmlns")) {
            return;
        }
        for (key, value) in e.pairs() {
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(rest) => match rest.strip_prefix(':') {
                    Some(p) => p,
                    None => continue,
                },
                None => continue,
            };
            let uri = attribute_value(value).unwrap_or_default();
            self.bindings.push((depth, prefix.to_string(), ns_of(&uri)));
            self.forget();
        }
    }

    fn leave(&mut self, depth: usize) {
        while self.bindings.last().is_some_and(|(d, _, _)| *d >= depth) {
            self.bindings.pop();
            self.forget();
        }
    }

    /// Empties the caches (the bindings changed).
    fn forget(&mut self) {
        self.cache.clear();
        self.letters = [None; 128];
    }

    /// The namespace and local name of an element name. An undeclared
    /// prefix (or no namespace at all) is read leniently as Word's.
    #[inline]
    fn resolve<'n>(&mut self, qname: &'n str) -> (Ns, &'n str) {
        let bytes = qname.as_bytes();
        if let [letter @ 0..=127, b':', ..] = *bytes {
            let slot = usize::from(letter);
            let ns = match self.letters[slot] {
                Some(ns) => ns,
                None => {
                    let ns = self.resolve_prefix(&bytes[..1]);
                    self.letters[slot] = Some(ns);
                    ns
                }
            };
            return (ns, &qname[2..]);
        }
        self.resolve_long(qname)
    }

    /// [`Namespaces::resolve`] of names without a one-letter prefix.
    #[inline(never)]
    fn resolve_long<'n>(&mut self, qname: &'n str) -> (Ns, &'n str) {
        let colon = qname.bytes().position(|b| b == b':');
        let local = colon.map_or(qname, |i| &qname[i + 1..]);
        (self.resolve_prefix(&qname.as_bytes()[..colon.unwrap_or(0)]), local)
    }

    fn resolve_prefix(&mut self, prefix: &[u8]) -> Ns {
        let key = short_key(prefix);
        if let Some(key) = key
            && let Some((_, ns)) = self.cache.iter().find(|(k, _)| *k == key)
        {
            return *ns;
        }
        let ns = self.bindings.iter().rev().find(|(_, p, _)| p.as_bytes() == prefix).map_or(Ns::W, |(_, _, ns)| *ns);
        if let Some(key) = key {
            if self.cache.len() >= 8 {
                self.cache.clear();
            }
            self.cache.push((key, ns));
        }
        ns
    }
}

/// Which note list a reference points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// `footnotes.xml`.
    Footnote,
    /// `endnotes.xml`.
    Endnote,
}

/// A footnote or endnote reference, in the order the body makes them.
#[derive(Debug, Clone)]
pub struct NoteRef {
    /// Footnote or endnote.
    pub kind: NoteKind,
    /// `w:id`.
    pub id: String,
}

/// One `w:footnote`, `w:endnote` or `w:comment` of a notes or comments
/// part.
#[derive(Debug, Clone)]
pub struct Item {
    /// `w:id`.
    pub id: String,
    /// `w:type` (`separator`, `continuationSeparator` … for notes that are
    /// not text).
    pub kind: Option<String>,
    /// `w:initials` (comments).
    pub initials: Option<String>,
    /// Its blocks.
    pub blocks: std::ops::Range<usize>,
}

/// What reading a story gives.
#[derive(Debug, Default)]
pub struct Story {
    /// The blocks, in reading order.
    pub blocks: Vec<Block>,
    /// Notes referenced, in order (the `n` of marker `[n]` is the position
    /// plus one).
    pub note_refs: Vec<NoteRef>,
    /// Comment ids referenced, in order (when comments are read).
    pub comment_refs: Vec<String>,
    /// The items of a notes or comments part.
    pub items: Vec<Item>,
    /// `r:id`s of header and footer references, in document order.
    pub header_footer_refs: Vec<String>,
    /// `w:altChunk` `r:id`s and the block index where each belongs.
    pub alt_chunks: Vec<(usize, String)>,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
}

/// What a story reader needs from the rest of the document.
pub struct Context<'a> {
    /// Paragraph and numbering styles.
    pub styles: &'a Styles,
    /// List definitions.
    pub numbering: &'a Numbering,
    /// Depth limit.
    pub limits: &'a Limits,
    /// Comment id → initials, when comments are read (markers are written
    /// only then).
    pub comment_initials: Option<&'a HashMap<String, String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VertAlign {
    Superscript,
    Subscript,
}

#[derive(Default)]
struct Para {
    text: String,
    /// Depth of the `w:p` element.
    depth: usize,
    /// Open tables when the paragraph started: it belongs to the innermost
    /// one's current cell, if any.
    table_depth: usize,
    style_id: Option<String>,
    outline_level: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    /// The paragraph mark is a tracked deletion: the paragraph joins the
    /// next one.
    mark_deleted: bool,
    /// A drop cap frame: its letter begins the next paragraph.
    drop_cap: bool,
    in_ppr: bool,
    in_ppr_rpr: bool,
    in_numpr: bool,
    /// Depth of the open `w:r`.
    run_depth: Option<usize>,
    in_rpr: bool,
    run_hidden: bool,
    run_vert: Option<VertAlign>,
    /// Where the open run's text starts in `text`.
    run_start: usize,
}

#[derive(Default)]
struct Cell {
    text: String,
    /// The cell continues a vertical or horizontal merge: its (empty) text
    /// is not repeated.
    merge_continue: bool,
}

#[derive(Default)]
struct Row {
    cells: Vec<String>,
    cell: Option<Cell>,
    in_trpr: bool,
    deleted: bool,
}

#[derive(Default)]
struct Table {
    row: Option<Row>,
}

/// A legacy form field being read (`w:ffData` inside `w:fldChar`).
#[derive(Default)]
struct FormField {
    checkbox: Option<bool>,
    entries: Vec<String>,
    selected: usize,
    dropdown: bool,
}

/// An open OMML element; structures that write signs around their
/// arguments keep what they need.
enum MathFrame {
    /// `m:d`: delimiters, and separators between its `m:e` arguments.
    Delimiter { open: Option<String>, close: String, sep: String, args: usize },
    /// `m:nary`: its operator (written before its limits or argument;
    /// `Some("")` once written).
    Nary { op: Option<String> },
    /// `m:dPr`, `m:naryPr`: properties of the structure above.
    Props,
    /// Any other element (keeps the stack aligned with the tree).
    Plain,
}

/// What a paragraph style gives the paragraphs that use it.
#[derive(Clone, Copy)]
struct StyleFacts<'a> {
    heading_level: Option<u8>,
    /// The style's name.
    name: Option<&'a str>,
    /// List and level from the style chain.
    num_id: Option<&'a str>,
    ilvl: Option<u8>,
}

struct Reader<'c, 'a> {
    ctx: &'c Context<'a>,
    /// Facts of the paragraph styles met so far, by style id.
    style_facts: HashMap<String, StyleFacts<'a>>,
    /// The style asked about last (consecutive paragraphs mostly share
    /// one).
    last_facts: Option<(String, StyleFacts<'a>)>,
    /// Text buffers of ended paragraphs, for the next ones.
    spare: Vec<String>,
    part: &'c str,
    depth: usize,
    /// Depth of the element whose subtree is being skipped.
    skip_from: Option<usize>,
    paras: Vec<Para>,
    tables: Vec<Table>,
    /// One entry per open complex field: true while its instruction is
    /// being read.
    fields: Vec<bool>,
    form_field: Option<FormField>,
    /// One entry per open `mc:AlternateContent`: true once a branch was
    /// taken.
    alternates: Vec<bool>,
    math: Vec<MathFrame>,
    in_text: bool,
    /// Text of paragraphs joined to the next one (deleted marks, drop
    /// caps), with the table depth they were in.
    carry: Option<(String, usize)>,
    counters: Counters,
    /// The item (note or comment) being read and where its blocks start.
    item: Option<(Item, usize)>,
    story: Story,
}

/// Reads one story part.
pub fn read_story(xml: &[u8], part: &str, ctx: &Context<'_>) -> Result<Story, DocxError> {
    let mut r = Reader {
        ctx,
        style_facts: HashMap::new(),
        last_facts: None,
        spare: Vec::new(),
        part,
        depth: 0,
        skip_from: None,
        paras: Vec::new(),
        tables: Vec::new(),
        fields: Vec::new(),
        form_field: None,
        alternates: Vec::new(),
        math: Vec::new(),
        in_text: false,
        carry: None,
        counters: Counters::default(),
        item: None,
        story: Story::default(),
    };
    let mut tokens = Tokenizer::new(xml).map_err(|e| DocxError::not_well_formed(part, e))?;
    let mut namespaces = Namespaces::default();
    // Declarations are rare (Word makes them on the root), so rather than
    // test every tag's attributes for `xmlns`, one pass over the part finds
    // where the next mention is, and only the tag that reaches it is read
    // for declarations.
    let xmlns = memchr::memmem::Finder::new(b"xmlns");
    let next_after = |from: usize| xml.get(from..).and_then(|rest| xmlns.find(rest)).map_or(usize::MAX, |i| from + i);
    let mut next_xmlns = next_after(0);
    let mut declares = |namespaces: &mut Namespaces, e: &Tag<'_>, depth: usize, end: usize| {
        if next_xmlns < end {
            namespaces.declare(e, depth);
            next_xmlns = next_after(end);
        }
    };
    loop {
        let token = tokens.next_token().map_err(|e| DocxError::not_well_formed(part, e))?;
        match token {
            Token::Start(e) => {
                declares(&mut namespaces, &e, r.depth + 1, tokens.position());
                let (ns, local) = namespaces.resolve(e.name);
                r.start(ns, local, &e)?;
            }
            Token::Empty(e) => {
                declares(&mut namespaces, &e, r.depth + 1, tokens.position());
                if r.skip_from.is_none() {
                    let (ns, local) = namespaces.resolve(e.name);
                    r.empty(ns, local, &e);
                }
                namespaces.leave(r.depth + 1);
            }
            Token::End(name) => {
                let (ns, local) = namespaces.resolve(name);
                let depth = r.depth;
                r.end(ns, local);
                namespaces.leave(depth);
            }
            Token::Text(t) if r.collecting() => r.push_text(t),
            Token::CData(t) if r.collecting() => r.push_str(t),
            // Entities a DTD would define are never expanded.
            Token::Ref(name) if r.collecting() => {
                if let Some(c) = resolve_reference(name) {
                    r.push_char(c);
                }
            }
            Token::DocType => {
                r.story.warnings.push(format!("{part}: DOCTYPE ignored (entities are never expanded)"));
            }
            Token::Eof => break,
            _ => {}
        }
    }
    // A truncated part can leave paragraphs (and a note) open: keep their
    // text, and say that the part stops short.
    if r.depth > 0 {
        r.story.warnings.push(format!(
            "{part}: ends with {} element(s) still open (the part is cut short); its text up to there is kept",
            r.depth
        ));
    }
    while !r.paras.is_empty() {
        r.end_paragraph();
    }
    if let Some((mut item, start)) = r.item.take() {
        item.blocks = start..r.story.blocks.len();
        r.story.items.push(item);
    }
    if let Some((text, _)) = r.carry.take() {
        r.push_block(text, BlockKind::Paragraph);
    }
    Ok(r.story)
}

/// Word elements whose whole subtree holds no visible text, or text that
/// is no longer in the document.
fn skips_subtree(local: &str) -> bool {
    matches!(
        local,
        "del"
            | "moveFrom"
            | "delText"
            | "instrText"
            | "delInstrText"
            | "rPrChange"
            | "pPrChange"
            | "tblPrChange"
            | "trPrChange"
            | "tcPrChange"
            | "sectPrChange"
            | "tblGridChange"
            | "numberingChange"
            | "sdtPr"
            | "sdtEndPr"
            | "fldData"
            | "footnotePr"
            | "endnotePr"
    )
}

impl<'a> Reader<'_, 'a> {
    fn visible(&self) -> bool {
        self.skip_from.is_none()
            && !self.fields.iter().any(|&instr| instr)
            && !self.paras.last().is_some_and(|p| p.run_hidden)
    }

    fn collecting(&self) -> bool {
        self.in_text && self.visible()
    }

    fn push_str(&mut self, text: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(text);
        }
    }

    /// Text between markup, its line ends normalised.
    fn push_text(&mut self, text: &str) {
        if let Some(p) = self.paras.last_mut() {
            push_text(&mut p.text, text);
        }
    }

    fn push_char(&mut self, c: char) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push(c);
        }
    }

    fn start(&mut self, ns: Ns, local: &str, e: &Tag<'_>) -> Result<(), DocxError> {
        self.depth += 1;
        if self.depth > self.ctx.limits.max_depth {
            return Err(DocxError::TooDeep { part: self.part.to_string(), limit: self.ctx.limits.max_depth });
        }
        if self.skip_from.is_some() {
            return Ok(());
        }
        match ns {
            Ns::W if skips_subtree(local) => {
                self.skip_from = Some(self.depth);
                return Ok(());
            }
            Ns::Mc => {
                match local {
                    "AlternateContent" => self.alternates.push(false),
                    "Choice" | "Fallback" => match self.alternates.last_mut() {
                        Some(taken) if !*taken => *taken = true,
                        _ => self.skip_from = Some(self.depth),
                    },
                    _ => {}
                }
                return Ok(());
            }
            Ns::M => {
                self.math_start(local, e);
                return Ok(());
            }
            Ns::W => {}
            Ns::V | Ns::Other => {
                self.empty(ns, local, e);
                return Ok(());
            }
        }
        match local {
            "p" => {
                let mut p = Para { depth: self.depth, table_depth: self.tables.len(), ..Para::default() };
                match self.carry.take() {
                    Some((text, depth)) if depth == self.tables.len() => p.text = text,
                    carry => {
                        self.carry = carry;
                        p.text = self.spare.pop().unwrap_or_default();
                    }
                }
                self.paras.push(p);
            }
            "pPr" => {
                let depth = self.depth;
                if let Some(p) = self.paras.last_mut().filter(|p| p.depth + 1 == depth) {
                    p.in_ppr = true;
                }
            }
            "numPr" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_ppr) {
                    p.in_numpr = true;
                }
            }
            "r" => {
                let depth = self.depth;
                if let Some(p) = self.paras.last_mut() {
                    p.run_depth = Some(depth);
                    p.run_hidden = false;
                    p.run_vert = None;
                    p.run_start = p.text.len();
                }
            }
            "rPr" => {
                let depth = self.depth;
                if let Some(p) = self.paras.last_mut() {
                    if p.in_ppr {
                        p.in_ppr_rpr = true;
                    } else if p.run_depth.is_some_and(|d| d + 1 == depth) {
                        p.in_rpr = true;
                    }
                }
            }
            "t" => self.in_text = true,
            "tbl" => self.tables.push(Table::default()),
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Row::default());
                }
            }
            "trPr" => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    row.in_trpr = true;
                }
            }
            "tc" => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    row.cell = Some(Cell::default());
                }
            }
            "fldChar" => {
                self.empty(ns, local, e);
                if e.attr("fldCharType").as_deref() == Some("begin") {
                    self.form_field = Some(FormField::default());
                }
            }
            "footnote" | "endnote" | "comment" if self.depth == 2 => {
                let item = Item {
                    id: e.attr_owned("id").unwrap_or_default(),
                    kind: e.attr_owned("type"),
                    initials: e.attr_owned("initials"),
                    blocks: 0..0,
                };
                self.item = Some((item, self.story.blocks.len()));
            }
            _ => self.empty(ns, local, e),
        }
        Ok(())
    }

    /// Elements that matter whether written empty (`<w:tab/>`) or with
    /// content.
    fn empty(&mut self, ns: Ns, local: &str, e: &Tag<'_>) {
        match ns {
            Ns::W => {}
            Ns::M => return self.math_leaf(local, e),
            Ns::V => {
                // WordArt and watermarks keep their text in an attribute.
                if local == "textpath"
                    && let Some(text) = e.attr_owned("string").filter(|s| !s.trim().is_empty())
                    && self.visible()
                {
                    self.push_block(text, BlockKind::Paragraph);
                }
                return;
            }
            Ns::Mc | Ns::Other => return,
        }
        let in_run = self.paras.last().is_some_and(|p| p.run_depth.is_some() && !p.in_ppr);
        match local {
            "tab" | "ptab" if in_run && self.visible() => self.push_char('\t'),
            "br" if in_run && self.visible() => match e.attr("type").as_deref() {
                Some("page" | "column") => {
                    if self.paras.last().is_some_and(|p| !p.text.is_empty() && !p.text.ends_with('\n')) {
                        self.push_char('\n');
                    }
                }
                _ => self.push_char('\n'),
            },
            "cr" if in_run && self.visible() => self.push_char('\n'),
            "noBreakHyphen" if self.visible() => self.push_char('-'),
            "sym" if self.visible() => {
                let code = e.attr("char").and_then(|v| u32::from_str_radix(v.trim(), 16).ok());
                if let Some(c) = code.and_then(|code| sym_char(e.attr("font").as_deref(), code)) {
                    self.push_char(c);
                }
            }
            "fldChar" => match e.attr("fldCharType").as_deref() {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(last) = self.fields.last_mut() {
                        *last = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            "checkBox" => {
                if let Some(f) = self.form_field.as_mut() {
                    f.checkbox.get_or_insert(false);
                }
            }
            "default" | "checked" => {
                if let Some(f) = self.form_field.as_mut().filter(|f| f.checkbox.is_some()) {
                    let on = !is_off(e.attr("val").as_deref());
                    if local == "checked" || f.checkbox == Some(false) {
                        f.checkbox = Some(on);
                    }
                }
            }
            "ddList" => {
                if let Some(f) = self.form_field.as_mut() {
                    f.dropdown = true;
                }
            }
            "result" => {
                if let Some(f) = self.form_field.as_mut() {
                    f.selected = e.attr("val").and_then(|v| v.parse().ok()).unwrap_or(0);
                }
            }
            "listEntry" => {
                if let Some(f) = self.form_field.as_mut() {
                    f.entries.push(e.attr_owned("val").unwrap_or_default());
                }
            }
            "pStyle" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_ppr && !p.in_ppr_rpr) {
                    p.style_id = e.attr_owned("val");
                }
            }
            "outlineLvl" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_ppr && !p.in_ppr_rpr) {
                    p.outline_level = e.attr("val").and_then(|v| v.parse().ok());
                }
            }
            "numId" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_numpr) {
                    p.num_id = e.attr_owned("val");
                }
            }
            "ilvl" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_numpr) {
                    p.ilvl = e.attr("val").and_then(|v| v.parse().ok());
                }
            }
            "framePr" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_ppr) {
                    p.drop_cap = matches!(e.attr("dropCap").as_deref(), Some("drop" | "margin"));
                }
            }
            // An empty `w:del` is a property: a deleted paragraph mark or
            // table row (a `w:del` with content is skipped as a subtree).
            "del" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_ppr_rpr) {
                    p.mark_deleted = true;
                } else if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()).filter(|r| r.in_trpr) {
                    row.deleted = true;
                }
            }
            "vanish" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_rpr) {
                    p.run_hidden = !is_off(e.attr("val").as_deref());
                }
            }
            "vertAlign" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_rpr) {
                    p.run_vert = match e.attr("val").as_deref() {
                        Some("superscript") => Some(VertAlign::Superscript),
                        Some("subscript") => Some(VertAlign::Subscript),
                        _ => None,
                    };
                }
            }
            "vMerge" | "hMerge" => {
                let in_cell_props = self.paras.last().is_none_or(|p| p.table_depth < self.tables.len());
                if let Some(cell) = self.current_cell().filter(|_| in_cell_props) {
                    cell.merge_continue = !matches!(e.attr("val").as_deref(), Some("restart"));
                }
            }
            "footnoteReference" | "endnoteReference" if self.visible() => {
                let kind = if local == "footnoteReference" { NoteKind::Footnote } else { NoteKind::Endnote };
                if let Some(id) = e.attr_owned("id") {
                    self.story.note_refs.push(NoteRef { kind, id });
                    let marker = format!("[{}]", self.story.note_refs.len());
                    self.push_str(&marker);
                }
            }
            "commentReference" if self.visible() => {
                if let (Some(initials), Some(id)) = (self.ctx.comment_initials, e.attr_owned("id")) {
                    let marker = comment_mark(initials, &id, self.story.comment_refs.len() + 1);
                    self.story.comment_refs.push(id);
                    self.push_str(&marker);
                }
            }
            "headerReference" | "footerReference" => {
                if let Some(id) = e.attr_owned("id") {
                    self.story.header_footer_refs.push(id);
                }
            }
            "altChunk" => {
                if let Some(id) = e.attr_owned("id") {
                    self.story.alt_chunks.push((self.story.blocks.len(), id));
                }
            }
            _ => {}
        }
    }

    fn current_cell(&mut self) -> Option<&mut Cell> {
        self.tables.last_mut().and_then(|t| t.row.as_mut()).and_then(|r| r.cell.as_mut())
    }

    fn end(&mut self, ns: Ns, local: &str) {
        if let Some(from) = self.skip_from {
            if self.depth == from {
                self.skip_from = None;
            }
            self.depth = self.depth.saturating_sub(1);
            return;
        }
        let depth = self.depth;
        self.depth = self.depth.saturating_sub(1);
        match ns {
            Ns::W => {}
            Ns::M => return self.math_end(local),
            Ns::Mc => {
                if local == "AlternateContent" {
                    self.alternates.pop();
                }
                return;
            }
            Ns::V | Ns::Other => return,
        }
        match local {
            "t" => self.in_text = false,
            "r" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.run_depth == Some(depth)) {
                    if let Some(vert) = p.run_vert {
                        shift_script(&mut p.text, p.run_start, vert);
                    }
                    p.run_depth = None;
                    p.run_hidden = false;
                    p.run_vert = None;
                }
            }
            "pPr" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.depth + 1 == depth) {
                    p.in_ppr = false;
                }
            }
            "numPr" => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_numpr = false;
                }
            }
            "rPr" => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_rpr = false;
                    p.in_ppr_rpr = false;
                }
            }
            "p" if self.paras.last().is_some_and(|p| p.depth == depth) => self.end_paragraph(),
            "fldChar" => self.end_form_field(),
            "trPr" => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    row.in_trpr = false;
                }
            }
            "tc" => self.end_cell(),
            "tr" => self.end_row(),
            "tbl" => {
                self.tables.pop();
            }
            "footnote" | "endnote" | "comment" if depth == 2 => {
                if let Some((mut item, start)) = self.item.take() {
                    item.blocks = start..self.story.blocks.len();
                    self.story.items.push(item);
                }
            }
            _ => {}
        }
    }

    /// A legacy check box or drop-down shows its state, which is not in
    /// the field result.
    fn end_form_field(&mut self) {
        let Some(f) = self.form_field.take() else {
            return;
        };
        // The field's own instruction state does not hide its box.
        let hidden = self.skip_from.is_some() || self.fields.iter().rev().skip(1).any(|&instr| instr);
        if hidden {
            return;
        }
        if let Some(checked) = f.checkbox {
            self.push_char(if checked { '☒' } else { '☐' });
        } else if f.dropdown
            && let Some(entry) = f.entries.get(f.selected)
        {
            let entry = entry.clone();
            self.push_str(&entry);
        }
    }

    fn end_cell(&mut self) {
        let depth = self.tables.len();
        if let Some((text, _)) = self.carry.take_if(|(_, d)| *d == depth)
            && let Some(cell) = self.current_cell()
        {
            join(&mut cell.text, &text, " ");
        }
        let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) else {
            return;
        };
        if let Some(cell) = row.cell.take() {
            let text = cell.text.trim();
            if !(cell.merge_continue && text.is_empty()) {
                row.cells.push(text.to_string());
            }
        }
    }

    fn end_row(&mut self) {
        let Some(row) = self.tables.last_mut().and_then(|t| t.row.take()) else {
            return;
        };
        if row.deleted {
            return;
        }
        // A nested table's rows belong to the enclosing cell, its cells
        // separated by spaces so that tabs keep separating the outer cells.
        let depth = self.tables.len();
        let sep = if depth >= 2 { " " } else { "\t" };
        let mut text = String::new();
        for cell in row.cells.iter().filter(|c| !c.is_empty()) {
            join(&mut text, cell, sep);
        }
        if text.is_empty() {
            return;
        }
        if depth >= 2 {
            if let Some(cell) = self.tables[depth - 2].row.as_mut().and_then(|r| r.cell.as_mut()) {
                join(&mut cell.text, &text, " ");
            }
            return;
        }
        self.push_block(text, BlockKind::TableRow);
    }

    fn push_block(&mut self, text: String, kind: BlockKind) {
        self.story.blocks.push(Block { text, kind, style: None, heading_level: None, list_label: None });
    }

    fn end_paragraph(&mut self) {
        let Some(mut p) = self.paras.pop() else {
            return;
        };
        if p.mark_deleted || p.drop_cap {
            match self.carry.as_mut() {
                Some((text, _)) => text.push_str(&p.text),
                None => self.carry = Some((p.text, p.table_depth)),
            }
            return;
        }
        let styles = self.ctx.styles;
        let style_id = styles.paragraph_style(p.style_id.as_deref());
        let facts = style_id.map(|id| self.style_facts(id));
        let heading_level = match p.outline_level {
            Some(level) if level < 9 => Some(level + 1),
            Some(_) => None,
            None => facts.and_then(|f| f.heading_level),
        };
        let mut list_label = None;
        if let Some((num_id, ilvl)) = self.numbering_of(&p, style_id, facts)
            && let Some(label) = self.ctx.numbering.label(&mut self.counters, &num_id, ilvl, styles)
        {
            let mut text = String::with_capacity(label.text.len() + 1 + p.text.len());
            text.push_str(&label.text);
            text.push_str(label.suffix.as_str());
            text.push_str(&p.text);
            let buffer = std::mem::replace(&mut p.text, text);
            self.recycle(buffer);
            list_label = Some(label.text);
        }
        // A paragraph in a table cell (or in a text box inside one) belongs
        // to the cell. A row is one line with its cells separated by tabs,
        // so tabs and line breaks inside a cell become spaces.
        if p.table_depth > 0
            && p.table_depth == self.tables.len()
            && let Some(cell) = self.current_cell()
        {
            let text = p.text.trim();
            if text.contains(['\t', '\n']) {
                join(&mut cell.text, &text.replace(['\t', '\n'], " "), " ");
            } else {
                join(&mut cell.text, text, " ");
            }
            self.recycle(p.text);
            return;
        }
        // With a `w:pStyle`, the facts are that style's.
        let style = p.style_id.as_deref().map(|id| facts.and_then(|f| f.name).unwrap_or(id).to_string());
        // The block gets its text at its size; the buffer serves the next
        // paragraph (a paragraph's text grows run by run).
        let text = if list_label.is_some() {
            p.text
        } else {
            let text = p.text.as_str().to_owned();
            self.recycle(p.text);
            text
        };
        self.story.blocks.push(Block { text, kind: BlockKind::Paragraph, style, heading_level, list_label });
    }

    /// Keeps a paragraph's text buffer for the next paragraph.
    fn recycle(&mut self, mut text: String) {
        if self.spare.len() < 4 && text.capacity() <= 1 << 16 {
            text.clear();
            self.spare.push(text);
        }
    }

    /// What paragraphs of style `id` get from it, worked out once per
    /// style and story (every paragraph asks, most of them of one or two
    /// styles).
    fn style_facts(&mut self, id: &str) -> StyleFacts<'a> {
        if let Some((last, facts)) = &self.last_facts
            && last == id
        {
            return *facts;
        }
        let facts = self.style_facts_of(id);
        match &mut self.last_facts {
            Some((last, f)) => {
                last.clear();
                last.push_str(id);
                *f = facts;
            }
            None => self.last_facts = Some((id.to_string(), facts)),
        }
        facts
    }

    fn style_facts_of(&mut self, id: &str) -> StyleFacts<'a> {
        if let Some(facts) = self.style_facts.get(id) {
            return *facts;
        }
        let styles = self.ctx.styles;
        let facts = StyleFacts {
            heading_level: styles.heading_level(id),
            name: styles.get(id).and_then(|s| s.name.as_deref()),
            num_id: styles.inherited(id, |s| s.num_id.as_deref()),
            ilvl: styles.inherited(id, |s| s.ilvl),
        };
        self.style_facts.insert(id.to_string(), facts);
        facts
    }

    /// The list and level of a paragraph: its own `w:numPr`, else its
    /// style's. `numId` 0 switches numbering off.
    fn numbering_of(&self, p: &Para, style_id: Option<&str>, facts: Option<StyleFacts<'a>>) -> Option<(String, u8)> {
        let num_id = p.num_id.as_deref().or(facts.and_then(|f| f.num_id)).filter(|id| *id != "0")?;
        let ilvl = p
            .ilvl
            .or(facts.and_then(|f| f.ilvl))
            .or_else(|| style_id.and_then(|id| self.ctx.numbering.level_of_style(num_id, id, self.ctx.styles)))
            .unwrap_or(0);
        Some((num_id.to_string(), ilvl))
    }

    fn math_start(&mut self, local: &str, e: &Tag<'_>) {
        self.math_leaf(local, e);
        match local {
            "t" => self.in_text = true,
            // Separate an equation from text or an equation before it.
            "oMath"
                if self.visible()
                    && self
                        .paras
                        .last()
                        .is_some_and(|p| p.text.chars().next_back().is_some_and(|c| !c.is_whitespace())) =>
            {
                self.push_char(' ')
            }
            "e" => self.math_argument(),
            "sub" | "sup" => {
                self.math_operator_first();
                self.push_math(if local == "sub" { "_" } else { "^" });
            }
            "den" => self.push_math("/"),
            "rad" => self.push_math("√"),
            _ => {}
        }
        let frame = match local {
            "d" => MathFrame::Delimiter { open: None, close: ")".into(), sep: "|".into(), args: 0 },
            "nary" => MathFrame::Nary { op: None },
            "dPr" | "naryPr" => MathFrame::Props,
            _ => MathFrame::Plain,
        };
        self.math.push(frame);
    }

    /// Properties of `m:d` and `m:nary` (`m:dPr/m:begChr`, `m:naryPr/m:chr`
    /// …): the top frame is the properties element, the one below it the
    /// structure.
    fn math_leaf(&mut self, local: &str, e: &Tag<'_>) {
        let [.., structure, MathFrame::Props] = self.math.as_mut_slice() else {
            return;
        };
        let val = || e.attr_owned("val").unwrap_or_default();
        match (local, structure) {
            ("begChr", MathFrame::Delimiter { open, .. }) => *open = Some(val()),
            ("endChr", MathFrame::Delimiter { close, .. }) => *close = val(),
            ("sepChr", MathFrame::Delimiter { sep, .. }) => *sep = val(),
            ("chr", MathFrame::Nary { op }) => *op = Some(val()),
            _ => {}
        }
    }

    /// An `m:e` argument: a delimiter opens before the first and separates
    /// the next ones; an n-ary operator's argument follows its limits
    /// after a space.
    fn math_argument(&mut self) {
        let text = match self.math.last_mut() {
            Some(MathFrame::Delimiter { open, sep, args, .. }) => {
                *args += 1;
                if *args == 1 { open.get_or_insert_with(|| "(".into()).clone() } else { sep.clone() }
            }
            Some(MathFrame::Nary { op }) if op.as_deref() == Some("") => " ".to_string(),
            Some(MathFrame::Nary { .. }) => return self.math_operator_first(),
            _ => return,
        };
        self.push_math(&text);
    }

    /// Writes a pending n-ary operator (`∑`; `∫` when none is named)
    /// before its limits or argument.
    fn math_operator_first(&mut self) {
        let Some(MathFrame::Nary { op }) = self.math.last_mut() else {
            return;
        };
        if op.as_deref() == Some("") {
            return;
        }
        let text = op.replace(String::new()).unwrap_or_else(|| "∫".into());
        self.push_math(&text);
    }

    fn math_end(&mut self, local: &str) {
        if local == "t" {
            self.in_text = false;
        }
        if let Some(MathFrame::Delimiter { close, args, .. }) = self.math.pop()
            && args > 0
        {
            self.push_math(&close);
        }
    }

    fn push_math(&mut self, text: &str) {
        if self.visible() {
            self.push_str(text);
        }
    }
}

/// Word's own mark of the `n`th comment: its author's initials and its
/// number (`[MW1]`), `C` standing in for missing initials.
pub fn comment_mark(initials: &HashMap<String, String>, id: &str, n: usize) -> String {
    let initials = initials.get(id).map(String::as_str).filter(|s| !s.is_empty()).unwrap_or("C");
    format!("[{initials}{n}]")
}

fn join(out: &mut String, text: &str, sep: &str) {
    if text.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push_str(sep);
    }
    out.push_str(text);
}

/// Turns a superscript or subscript run into Unicode super- or subscript
/// characters (`m2` → `m²`, `H2O` → `H₂O`) when every character has one;
/// otherwise the run stays as written.
fn shift_script(text: &mut String, start: usize, vert: VertAlign) {
    let Some(run) = text.get(start..).filter(|r| !r.is_empty()) else {
        return;
    };
    let map = |c: char| -> Option<char> {
        Some(match (vert, c) {
            (VertAlign::Superscript, '0') => '⁰',
            (VertAlign::Superscript, '1') => '¹',
            (VertAlign::Superscript, '2') => '²',
            (VertAlign::Superscript, '3') => '³',
            (VertAlign::Superscript, '4'..='9') => char::from_u32(0x2070 + c as u32 - '0' as u32)?,
            (VertAlign::Superscript, '+') => '⁺',
            (VertAlign::Superscript, '-' | '−') => '⁻',
            (VertAlign::Superscript, '=') => '⁼',
            (VertAlign::Superscript, '(') => '⁽',
            (VertAlign::Superscript, ')') => '⁾',
            (VertAlign::Superscript, 'n') => 'ⁿ',
            (VertAlign::Subscript, '0'..='9') => char::from_u32(0x2080 + c as u32 - '0' as u32)?,
            (VertAlign::Subscript, '+') => '₊',
            (VertAlign::Subscript, '-' | '−') => '₋',
            (VertAlign::Subscript, '=') => '₌',
            (VertAlign::Subscript, '(') => '₍',
            (VertAlign::Subscript, ')') => '₎',
            _ => return None,
        })
    };
    if let Some(shifted) = run.chars().map(map).collect::<Option<String>>() {
        text.truncate(start);
        text.push_str(&shifted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

    /// A document part whose body is `body`.
    fn document(body: &str) -> String {
        format!(r#"<?xml version="1.0"?><w:document {NS}><w:body>{body}</w:body></w:document>"#)
    }

    fn story_with(body: &str, ctx: &Context<'_>) -> Story {
        read_story(document(body).as_bytes(), "word/document.xml", ctx).unwrap()
    }

    /// The story of the document part `xml`, read with default styles,
    /// numbering and limits.
    fn read_part(xml: &str) -> Story {
        let styles = Styles::default();
        let numbering = Numbering::default();
        let limits = Limits::default();
        let ctx = Context { styles: &styles, numbering: &numbering, limits: &limits, comment_initials: None };
        read_story(xml.as_bytes(), "word/document.xml", &ctx).unwrap()
    }

    fn read(body: &str) -> Vec<Block> {
        read_part(&document(body)).blocks
    }

    /// The blocks' text, empty paragraphs left out.
    fn texts(blocks: &[Block]) -> Vec<&str> {
        blocks.iter().map(|b| b.text.as_str()).filter(|t| !t.is_empty()).collect()
    }

    fn p(runs: &str) -> String {
        format!("<w:p>{runs}</w:p>")
    }

    fn r(text: &str) -> String {
        format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    /// A part cut short keeps its text so far and says so; a whole part
    /// says nothing.
    #[test]
    fn a_part_cut_short_is_read_with_a_warning() {
        let whole = document(&(p(&r("第一段")) + &p(&r("第二段"))));
        let story = read_part(&whole);
        assert_eq!(texts(&story.blocks), ["第一段", "第二段"]);
        assert!(story.warnings.is_empty(), "{:?}", story.warnings);
        let cut = &whole[..whole.find("第二段").unwrap() + "第二".len()];
        let story = read_part(cut);
        assert_eq!(texts(&story.blocks), ["第一段", "第二"]);
        assert_eq!(story.warnings.len(), 1, "{:?}", story.warnings);
        assert!(
            story.warnings[0].starts_with("word/document.xml: ends with 5 element(s) still open"),
            "{:?}",
            story.warnings
        );
    }

    #[test]
    fn runs_tabs_breaks_and_entities() {
        let b = read(
            r#"<w:p><w:r><w:t xml:space="preserve">一、 </w:t></w:r><w:r><w:tab/><w:t>A&amp;B&#x4E2D;</w:t><w:br/><w:t>第二行</w:t><w:cr/><w:t>三</w:t></w:r></w:p>"#,
        );
        assert_eq!(texts(&b), ["一、 \tA&B中\n第二行\n三"]);
    }

    // Word writes xml:space="preserve" when a w:t starts or ends with a
    // space; a producer that leaves it out still meant the space, and a
    // space too many is harmless where a missing one glues two words.
    #[test]
    fn text_is_kept_as_written_with_or_without_xml_space() {
        let b = read(&p(
            r#"<w:r><w:t xml:space="preserve">Hello </w:t></w:r><w:r><w:t>world </w:t></w:r><w:r><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/><w:t>右</w:t></w:r>"#,
        ));
        assert_eq!(texts(&b), ["Hello world \t右"]);
    }

    #[test]
    fn hyphens_and_symbols() {
        let b = read(&p(
            r#"<w:r><w:t>e</w:t><w:noBreakHyphen/><w:t>mail</w:t><w:softHyphen/><w:t>s</w:t><w:sym w:font="Wingdings" w:char="F0FE"/><w:sym w:font="Symbol" w:char="F061"/></w:r>"#,
        ));
        assert_eq!(texts(&b), ["e-mails☑α"]);
    }

    #[test]
    fn page_breaks_separate_text_but_do_not_open_a_paragraph() {
        let b = read(&(p(r#"<w:r><w:br w:type="page"/><w:t>新页</w:t><w:br w:type="page"/><w:t>再一页</w:t></w:r>"#)));
        assert_eq!(texts(&b), ["新页\n再一页"]);
    }

    #[test]
    fn deleted_text_and_moves_are_dropped_insertions_kept() {
        let b = read(&p(
            r#"<w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:moveFrom><w:r><w:t>移走</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>移到</w:t></w:r></w:moveTo>"#,
        ));
        assert_eq!(texts(&b), ["新增移到"]);
    }

    #[test]
    fn a_deleted_paragraph_mark_joins_the_next_paragraph() {
        let b = read(&format!(
            r#"<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="x"/></w:rPr></w:pPr>{}</w:p>{}"#,
            r("前半"),
            p(&r("后半"))
        ));
        assert_eq!(texts(&b), ["前半后半"]);
    }

    #[test]
    fn a_drop_cap_begins_the_next_paragraph() {
        let b = read(&format!(
            r#"<w:p><w:pPr><w:framePr w:dropCap="drop" w:lines="3"/></w:pPr>{}</w:p>{}"#,
            r("D"),
            p(&r("rop cap"))
        ));
        assert_eq!(texts(&b), ["Drop cap"]);
    }

    #[test]
    fn complex_fields_keep_the_result_not_the_instruction() {
        let b = read(&p(r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
               <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#));
        assert_eq!(texts(&b), ["3"]);
    }

    #[test]
    fn nested_fields_show_only_the_outer_result() {
        let b = read(&p(r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r>
               <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>MERGEFIELD x</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>内层</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
               <w:r><w:instrText> = 1 "是" "否"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>是</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#));
        assert_eq!(texts(&b), ["是"]);
    }

    #[test]
    fn simple_fields_show_their_result() {
        let b = read(&p(
            r#"<w:r><w:t>第</w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple><w:r><w:t>页</w:t></w:r>"#,
        ));
        assert_eq!(texts(&b), ["第2页"]);
    }

    #[test]
    fn legacy_check_boxes_and_drop_downs_show_their_state() {
        let b = read(&p(
            r#"<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:default w:val="0"/><w:checked/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText>FORMCHECKBOX</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>同意</w:t></w:r>
            <w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:ddList><w:result w:val="1"/><w:listEntry w:val="甲"/><w:listEntry w:val="乙"/></w:ddList></w:ffData></w:fldChar></w:r><w:r><w:instrText>FORMDROPDOWN</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
        ));
        assert_eq!(texts(&b), ["☒同意乙"]);
    }

    #[test]
    fn alternate_content_is_read_once() {
        let b = read(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
               <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>"#,
        );
        assert_eq!(texts(&b), ["文本框", "正文"]);
    }

    #[test]
    fn vml_text_boxes_and_word_art_are_read() {
        let b = read(&p(
            r#"<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>旧式文本框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape><v:shape><v:textpath string="内部资料"/></v:shape></w:pict></w:r>"#,
        ));
        assert_eq!(texts(&b), ["旧式文本框", "内部资料"]);
    }

    #[test]
    fn drawingml_text_is_not_word_text() {
        let b = read(&p(
            r#"<w:r><w:drawing><a:graphic><a:tbl><a:tr><a:tc><a:p><a:r><a:t>图表</a:t></a:r></a:p></a:tc></a:tr></a:tbl></a:graphic></w:drawing><w:t>正文</w:t></w:r>"#,
        ));
        assert_eq!(texts(&b), ["正文"]);
    }

    #[test]
    fn content_controls_smart_tags_custom_xml_and_hyperlinks_are_unwrapped() {
        let b = read(&p(
            r#"<w:sdt><w:sdtPr><w:alias w:val="标题"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt><w:smartTag w:uri="u" w:element="place"><w:r><w:t>北京</w:t></w:r></w:smartTag><w:customXml w:element="x"><w:r><w:t>自定义</w:t></w:r></w:customXml><w:hyperlink r:id="rId1"><w:r><w:t>链接</w:t></w:r></w:hyperlink>"#,
        ));
        assert_eq!(texts(&b), ["控件北京自定义链接"]);
    }

    #[test]
    fn block_level_and_nested_content_controls_are_unwrapped() {
        let b = read(
            r#"<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent>
            <w:p><w:r><w:t>目录</w:t></w:r></w:p><w:sdt><w:sdtContent><w:p><w:r><w:t>第一章</w:t></w:r></w:p></w:sdtContent></w:sdt></w:sdtContent><w:sdtEndPr/></w:sdt>"#,
        );
        assert_eq!(texts(&b), ["目录", "第一章"]);
    }

    #[test]
    fn table_rows_become_tab_separated_blocks() {
        let b = read(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>年龄</w:t></w:r></w:p></w:tc></w:tr>
               <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>张三</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>30</w:t></w:r></w:p><w:p><w:r><w:t>岁</w:t></w:r></w:p></w:tc></w:tr>
               <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>31</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!(texts(&b), ["姓名\t年龄", "张三\t30 岁", "31"]);
        assert!(b.iter().all(|b| b.kind == BlockKind::TableRow));
    }

    #[test]
    fn tabs_and_line_breaks_inside_a_cell_do_not_split_the_row() {
        let b = read(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>丁</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!(texts(&b), ["甲 乙 丙\t丁"]);
    }

    #[test]
    fn merged_cells_are_read_once() {
        let b = read(
            r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>合并</w:t></w:r></w:p></w:tc></w:tr>
               <w:tr><w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>横向</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!(texts(&b), ["合并", "横向"]);
    }

    #[test]
    fn nested_tables_stay_in_their_cell() {
        let b = read(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>内2</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc><w:tc><w:p><w:r><w:t>右</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!(texts(&b), ["外 内1 内2\t右"]);
    }

    #[test]
    fn deleted_table_rows_are_dropped() {
        let b = read(
            r#"<w:tbl><w:tr><w:trPr><w:del w:id="3" w:author="x"/></w:trPr><w:tc><w:p><w:del><w:r><w:delText>旧行</w:delText></w:r></w:del></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>新行</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!(texts(&b), ["新行"]);
    }

    #[test]
    fn hidden_runs_and_tab_stops_are_not_text() {
        let b = read(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:t>可见</w:t></w:r></w:p>"#,
        );
        assert_eq!(texts(&b), ["可见"]);
    }

    #[test]
    fn superscript_and_subscript_digits_become_unicode() {
        let b = read(&p(
            r#"<w:r><w:t>100m</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>2</w:t></w:r><w:r><w:t>，H</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="subscript"/></w:rPr><w:t>2</w:t></w:r><w:r><w:t>O，注</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>abc</w:t></w:r>"#,
        ));
        assert_eq!(texts(&b), ["100m²，H₂O，注abc"]);
    }

    #[test]
    fn outline_level_makes_a_heading() {
        let b = read(r#"<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>第一章 总则</w:t></w:r></w:p>"#);
        assert_eq!(b[0].heading_level, Some(1));
    }

    #[test]
    fn note_references_are_numbered_in_order() {
        let s = read_part(&document(&p(
            r#"<w:r><w:t>正文</w:t></w:r><w:r><w:endnoteReference w:id="7"/></w:r><w:r><w:t>又</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:commentReference w:id="0"/></w:r>"#,
        )));
        assert_eq!(texts(&s.blocks), ["正文[1]又[2]"]);
        assert_eq!(
            s.note_refs.iter().map(|n| (n.kind, n.id.as_str())).collect::<Vec<_>>(),
            [(NoteKind::Endnote, "7"), (NoteKind::Footnote, "2")]
        );
    }

    #[test]
    fn comment_references_are_marked_only_when_comments_are_read() {
        let styles = Styles::default();
        let numbering = Numbering::default();
        let limits = Limits::default();
        let initials = HashMap::from([("0".to_string(), "MW".to_string())]);
        let ctx =
            Context { styles: &styles, numbering: &numbering, limits: &limits, comment_initials: Some(&initials) };
        let s = story_with(
            &p(
                r#"<w:commentRangeStart w:id="0"/><w:r><w:t>Ouch</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:r><w:t>.</w:t></w:r>"#,
            ),
            &ctx,
        );
        assert_eq!(texts(&s.blocks), ["Ouch[MW1]."]);
        assert_eq!(s.comment_refs, ["0"]);
    }

    #[test]
    fn math_is_read_in_order_as_linear_text() {
        let b = read(&p(
            r#"<w:r><w:t>面积</w:t></w:r><m:oMath><m:r><m:t>A=π</m:t></m:r><m:sSup><m:e><m:r><m:t>r</m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath><m:oMath><m:f><m:num><m:r><m:t>a</m:t></m:r></m:num><m:den><m:r><m:t>b</m:t></m:r></m:den></m:f><m:d><m:dPr><m:begChr m:val="["/><m:endChr m:val="]"/></m:dPr><m:e><m:r><m:t>x</m:t></m:r></m:e></m:d><m:nary><m:naryPr><m:chr m:val="∑"/></m:naryPr><m:sub><m:r><m:t>i</m:t></m:r></m:sub><m:sup/><m:e><m:r><m:t>y</m:t></m:r></m:e></m:nary></m:oMath>"#,
        ));
        assert_eq!(texts(&b), ["面积 A=πr^2 a/b[x]∑_i y"]);
    }

    #[test]
    fn declarations_on_inner_elements_are_seen_with_or_without_a_bom() {
        let body = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>xmlns </w:t></w:r><x:r xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:t>A</x:t></x:r><w:r xmlns:w="urn:other"><w:t>B</w:t></w:r><w:r><w:t>C</w:t></w:r><x:r/></w:p></w:body></w:document>"#;
        for bom in ["", "\u{feff}"] {
            let xml = format!("{bom}{body}");
            assert_eq!(texts(&read_part(&xml).blocks), ["xmlns AC"]);
        }
    }

    #[test]
    fn strict_namespace_reads_alike() {
        let xml = r#"<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>Strict</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(texts(&read_part(xml).blocks), ["Strict"]);
    }

    #[test]
    fn a_dtd_is_ignored_and_its_entities_never_expanded() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY lol "lol">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>a&lol;b</w:t></w:r></w:p></w:body></w:document>"#;
        let s = read_part(xml);
        assert_eq!(texts(&s.blocks), ["ab"]);
        assert_eq!(s.warnings.len(), 1);
    }
}
