//! Numbered sections of one essay: which label-like places really start a
//! section, at which level, and where each heading ends.
//!
//! A label starts a section when it continues a list already open (`二、`
//! after `一、`), or starts a new one (`1、`, `(一)`) where a heading can
//! start: at the start of a line, after the end of a sentence or a colon,
//! or right after the heading of the section it belongs to (flattened
//! dumps glue `二、存在的问题1、产学研用…`). A label inside a table of
//! contents does not start a section. The level of a style is fixed by the
//! order the styles first appear in the essay; a style that comes back
//! keeps its level.

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;
use std::sync::LazyLock;

use memchr::memmem;

use super::boundary::{Mode, PairCounts, best_cut_in, opens_sentence};
use super::labels::{Label, Style, scan};
// (The maps keyed by style hold a few keys the text cannot choose: the
// fast hash; those keyed by offsets or headings keep std's.)
use crate::text::{
    BmpSet, FxHashMap, count_chars_up_to, decimal, find_newline, is_han, is_sentence_end, split_inclusive_at_byte,
};

/// A numbered section of an essay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Nesting level, from 1.
    pub level: u8,
    /// The label as written (`一、`, `(1)`, `1.2`).
    pub label: String,
    /// The label's value (the last part of a decimal label).
    pub number: u32,
    /// Index (in the essay's section list) of the enclosing section.
    pub parent: Option<usize>,
    /// The heading after the label.
    pub heading: String,
    /// The section's text: after the heading, up to the next section of
    /// the same or an outer level, its subsections' labels, headings and
    /// texts included (`一、背景分析` holds `1.1行业发展趋势…`).
    pub text: String,
    /// Byte offset of the label in the essay text.
    pub start: usize,
    /// Byte offsets of the section's own text in the essay text (trimmed):
    /// from after the heading to the next section of any level.
    own: (usize, usize),
}

/// Longest distance (in bytes) after a section's label within which a new
/// list can start glued to that section's heading.
const HEADING_ZONE: usize = 40 * 3;

/// Longest heading taken from a line of its own, in characters.
const LINE_HEADING: usize = 60;

/// Longest heading taken from a line of its own without a full stop.
const LINE_HEADING_NO_STOP: usize = 100;

/// Evidence for a glued heading that outweighs the shape of the item.
const STRONG_CUT: f32 = 4.5;

/// Longest lead sentence taken as a heading, in characters.
const MAX_LEAD: usize = 300;

/// Most lists open at once (nested) while accepting labels.
const MAX_OPEN_LISTS: usize = 16;

struct Open {
    style: Style,
    number: u32,
    parts: Vec<u32>,
}

/// Finds the sections of an essay's text.
pub fn find(text: &str) -> Vec<Section> {
    let labels: Vec<Label> = scan(text);
    let toc = toc_ranges(text, &labels);
    let mut accepted = accept(text, &labels, &toc);
    rescue_chains(text, &labels, &toc, &mut accepted);
    let articles: Vec<usize> = labels.iter().filter(|l| l.style == Style::Article).map(|l| l.start).collect();
    let mut sections = build(text, &accepted, &articles);
    drop_implicit_toc(&mut sections);
    let styles = accepted_styles(&sections, &accepted);
    assign_levels(&mut sections, &styles);
    take_in_subsections(text, &mut sections);
    sections
}

/// Widens every section's text from its own text to the end of its last
/// subsection's: a section's text is all that follows its heading, up to
/// the next section of its level or an outer one. (The own texts decided
/// the tables of contents above: a heading whose subsections follow at
/// once has none.)
fn take_in_subsections(text: &str, sections: &mut [Section]) {
    for i in 0..sections.len() {
        let level = sections[i].level;
        // Subsections are the run after a section with deeper levels.
        let last = sections[i + 1..].iter().take_while(|s| s.level > level).count() + i;
        if last > i {
            let (start, _) = sections[i].own;
            let end = sections[last].own.1.max(start);
            sections[i].text = text[start..end].trim().to_string();
        }
    }
}

fn accepted_styles(sections: &[Section], accepted: &[Label]) -> Vec<Style> {
    let style_at: HashMap<usize, Style> = accepted.iter().map(|l| (l.start, l.style)).collect();
    sections.iter().map(|s| style_at.get(&s.start).copied().unwrap_or(Style::Arabic)).collect()
}

/// Byte ranges of the text (tables of contents), sorted and merged, so
/// that looking a position up costs a binary search, not a scan.
struct Ranges(Vec<(usize, usize)>);

impl Ranges {
    fn new(mut ranges: Vec<(usize, usize)>) -> Self {
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (s, e) in ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        Self(merged)
    }

    /// The range holding `pos`, if any.
    fn find(&self, pos: usize) -> Option<(usize, usize)> {
        let i = self.0.partition_point(|&(s, _)| s <= pos);
        i.checked_sub(1).map(|i| self.0[i]).filter(|&(_, e)| pos < e)
    }

    fn contains(&self, pos: usize) -> bool {
        self.find(pos).is_some()
    }

    /// True when a range ends exactly at `pos`.
    fn ends_at(&self, pos: usize) -> bool {
        let i = self.0.partition_point(|&(_, e)| e < pos);
        self.0.get(i).is_some_and(|&(_, e)| e == pos)
    }
}

/// Characters after which a new list may start.
fn opens_list(prev: Option<char>, style: Style) -> bool {
    match prev {
        None => true,
        Some(c) => {
            let after_sentence =
                is_sentence_end(c) || matches!(c, '；' | ';' | '.' | '”' | '」' | '』' | '）' | ')' | '】');
            // `第一，` after a colon enumerates inside a sentence.
            let after_colon = matches!(c, '：' | ':') && style != Style::Ordinal;
            after_sentence || after_colon || c.is_ascii_alphabetic()
        }
    }
}

fn accept(text: &str, labels: &[Label], toc: &Ranges) -> Vec<Label> {
    let mut open: Vec<Open> = Vec::new();
    let mut out: Vec<Label> = Vec::new();
    let mut last_number: FxHashMap<Style, u32> = FxHashMap::default();
    let mut first_of_style: FxHashMap<Style, usize> = FxHashMap::default();
    for l in labels {
        first_of_style.entry(l.style).or_insert(l.start);
    }
    // Entries of tables of contents, and headings already taken: the body
    // repeats them.
    // (Keyed by the document's text: std's hasher, which crafted keys
    // cannot make collide.)
    let mut seen_entries: HashSet<(Style, EntryKey)> =
        labels.iter().filter(|l| toc.contains(l.start)).map(|l| (l.style, entry_key(text, l))).collect();
    for label in labels {
        if label.style == Style::Article || toc.contains(label.start) {
            continue;
        }
        // Never two labels in a row without text between (`1、2、3、`).
        if let Some(last) = out.last()
            && text[last.end..label.start].trim().is_empty()
        {
            continue;
        }
        if text[label.end..].starts_with(['、', '，', ',']) {
            continue;
        }
        let in_heading_zone = out.last().is_some_and(|last| {
            label.start >= last.end
                && label.start - last.end <= HEADING_ZONE
                && label.style != last.style
                && !text[last.end..label.start].contains(['。', '．', '\n'])
        });
        // The body's return to an entry already seen (a TOC without a
        // `目录` marker, whose entries are dropped later).
        let key = (label.style, entry_key(text, label));
        let after_toc = toc.ends_at(label.start) || seen_entries.contains(&key);
        // `第一章` starts a chapter wherever it stands, unless prose names it
        // (`在第一章中`, `本法第一章`).
        const NAMING: &str = "在本见見按依据據照了的和与與及或至到";
        let chapter =
            matches!(label.style, Style::Chapter | Style::Part) && !label.prev.is_some_and(|p| NAMING.contains(p));
        // A label set off by a space after Latin text or a number
        // (`/dev/video0 一.什么是…`).
        let spaced = label.space_before && label.prev.is_some_and(|p| p.is_ascii_alphanumeric());
        let ctx = label.line_start
            || opens_list(label.prev, label.style)
            || in_heading_zone
            || after_toc
            || chapter
            || spaced;
        // Continuation of an open list?
        let continues = open.iter().rposition(|o| {
            o.style == label.style
                && o.number + 1 == label.number
                && (!matches!(label.style, Style::Decimal(_))
                    || o.parts[..o.parts.len() - 1] == label.parts[..label.parts.len() - 1])
        });
        if let Some(idx) = continues {
            // Mid-sentence continuations need some distance from the last
            // label and a Chinese or Latin letter after them.
            let next = text[label.end..].chars().find(|c| !c.is_whitespace());
            let plausible = ctx || next.is_some_and(|c| is_han(c) || c.is_alphanumeric() || c == '“');
            if plausible {
                open.truncate(idx + 1);
                let o = open.last_mut().expect("open");
                o.number = label.number;
                o.parts = label.parts.clone();
                last_number.insert(label.style, label.number);
                seen_entries.insert(key);
                out.push(label.clone());
                continue;
            }
        }
        // A preview that starts in the middle of a document shows lists
        // from their second or third heading on (`三、问答题`): a strong
        // heading style after a full stop may open a list at any number,
        // once per style.
        let mid_list = matches!(label.style, Style::CnComma | Style::Chapter)
            && label.prev.is_some_and(|p| is_sentence_end(p) || matches!(p, '；' | ';'))
            && first_of_style.get(&label.style) == Some(&label.start);
        // A list introduced by a colon on the line before may start at any
        // number (`从五开始的列表：\n5. …`); numbering that runs on across
        // chapters (`二、` … `第二章` … `三、`) continues its style.
        let introduced = label.line_start && text[..label.start].trim_end().ends_with(['：', ':']);
        let runs_on = ctx
            && (label.line_start || label.prev.is_some_and(is_sentence_end))
            && last_number.get(&label.style).is_some_and(|&n| n + 1 == label.number);
        let starts_list = mid_list
            || introduced
            || runs_on
            || match label.style {
                Style::Decimal(_) => {
                    let first = *label.parts.last().expect("parts") <= 1;
                    // `1.1` belongs under a section numbered 1.
                    let parent_ok = open
                        .iter()
                        .rev()
                        .find(|o| !matches!(o.style, Style::Decimal(_)) || o.parts.len() + 1 == label.parts.len())
                        .is_none_or(|o| match o.style {
                            Style::Decimal(_) => o.parts[..] == label.parts[..label.parts.len() - 1],
                            _ => o.number == label.parts[0],
                        });
                    first && parent_ok
                }
                _ => label.number == 1,
            };
        if starts_list && ctx {
            // A new list nests under the innermost open one, even in the same
            // style (`1、…2、学习和成长 1、…2、…3、… 3、具体总结`): a later number
            // continues whichever list it follows. A style that ranks above
            // the open ones (`一、` after a `1.` list) does not nest in them.
            while open.last().is_some_and(|o| outranks(label.style, o.style)) {
                open.pop();
            }
            // Real outlines are a few levels deep; a runaway stack (the same
            // `一、` again and again) would make every look-up slow.
            if open.len() >= MAX_OPEN_LISTS {
                open.remove(0);
            }
            open.push(Open { style: label.style, number: label.number, parts: label.parts.clone() });
            last_number.insert(label.style, label.number);
            seen_entries.insert(key);
            out.push(label.clone());
        }
    }
    out
}

/// True when `outer` may not hold a list of style `inner`: the Chinese
/// heading styles rank above the Arabic ones by convention (`一、` after a
/// `1.` list starts a new top section), while among Arabic styles the order
/// they first appear in decides (`1.0 序言` › `1.`).
fn outranks(inner: Style, outer: Style) -> bool {
    let chinese =
        |s: Style| matches!(s, Style::Part | Style::Chapter | Style::Section | Style::CnComma | Style::CnParen);
    chinese(inner) && rank(outer) > rank(inner)
}

/// The conventional order of heading styles in Chinese documents, from the
/// most general: 第一编 › 第一章 › 第一节 › 一、 › (一) › 1. › (1) › ①.
fn rank(style: Style) -> u8 {
    match style {
        Style::Part => 0,
        Style::Chapter => 1,
        Style::Section => 2,
        Style::CnComma | Style::Roman | Style::Ordinal => 3,
        Style::CnParen => 4,
        Style::Arabic | Style::DotDigit => 5,
        Style::Decimal(n) => 5 + n,
        Style::ArabicParen | Style::ArabicHalfParen | Style::ParenDigit => 10,
        Style::Circled => 11,
        Style::Step => 12,
        Style::Article => 13,
    }
}

/// Lists whose items stand where no context proves them headings (the
/// paragraph before ended without punctuation, so the flattened text glues
/// `…的总结1、关键词…`) are still lists when their numbers run 1, 2, 3 …
/// and every item holds sentences of its own; one-sentence items that end
/// in `；` are an enumeration inside a sentence and stay text.
/// Most labels of other styles between two items of a rescued chain.
const CHAIN_GAP: usize = 200;

fn rescue_chains(text: &str, labels: &[Label], toc: &Ranges, accepted: &mut Vec<Label>) {
    let mut rescued = Vec::new();
    let mut i = 0;
    let starts: HashSet<usize> = accepted.iter().map(|a| a.start).collect();
    let is_accepted = |l: &Label, _: &[Label]| starts.contains(&l.start);
    while i < labels.len() {
        let first = &labels[i];
        // Enclosed numerals (`⑴`, `①`) mark footnotes inside words; they
        // only count where their context says so.
        if first.number != 1
            || matches!(
                first.style,
                Style::Article
                    | Style::Decimal(_)
                    | Style::Ordinal
                    | Style::ParenDigit
                    | Style::Circled
                    | Style::DotDigit
            )
            || toc.contains(first.start)
            || is_accepted(first, accepted)
        {
            i += 1;
            continue;
        }
        let mut chain = vec![first.clone()];
        let mut last_index = i;
        // An accepted list of the same style nested in an item (`2、学习和
        // 成长…？1、…2、…3、… 3、具体总结`): its labels are passed over.
        let mut nested: Option<u32> = None;
        for (j, l) in labels.iter().enumerate().skip(i + 1) {
            if j - last_index > CHAIN_GAP {
                break; // a long run of other labels (keeps the search linear)
            }
            if l.style == first.style && is_accepted(l, accepted) {
                match nested {
                    _ if l.number == 1 => nested = Some(1),
                    Some(n) if l.number == n + 1 => nested = Some(l.number),
                    _ => break,
                }
                continue;
            }
            // A new list of the style ends this one.
            if l.style == first.style && l.number == 1 {
                break;
            }
            if l.style == first.style && l.number == chain.len() as u32 + 1 && !toc.contains(l.start) {
                chain.push(l.clone());
                last_index = j;
            }
        }
        let starts_heading = chain.iter().all(|l| {
            text[l.end..].starts_with(|c: char| is_han(c) || c.is_alphanumeric() || c == '“' || c == '《' || c == '「')
        });
        let whole_items = starts_heading
            && chain.windows(2).all(|w| {
                let item = text[w[0].end..w[1].start].trim_end();
                item.chars().count() >= 8
                    && item.contains(['。', '！', '？', '!', '?'])
                    && !item.ends_with(['；', ';', '，', ','])
            });
        let overlaps = chain.iter().any(|l| is_accepted(l, accepted));
        if chain.len() >= 2 && whole_items && !overlaps {
            i = last_index + 1;
            rescued.extend(chain);
        } else {
            i += 1;
        }
    }
    if !rescued.is_empty() {
        accepted.extend(rescued);
        accepted.sort_by_key(|l| l.start);
    }
}

/// A table of contents announced by `目录`: from the marker to where the
/// first entry comes back (the body starts), or to the end.
fn toc_ranges(text: &str, labels: &[Label]) -> Ranges {
    let mut ranges = Vec::new();
    let mut search = 0;
    while let Some(found) = find_toc_marker(&text[search..]) {
        let start = search + found;
        let after = start + "目录".len();
        // The first label after the marker and its heading's first chars.
        let from = labels.partition_point(|l| l.start < after);
        let Some((at, first)) = labels[from..].iter().enumerate().find(|(_, l)| l.style != Style::Article) else {
            ranges.push((start, text.len()));
            break;
        };
        let key = entry_key(text, first);
        let end = labels[from + at + 1..]
            .iter()
            .filter(|l| l.start > first.start && l.style == first.style && l.number == first.number)
            .find(|l| entry_key(text, l) == key)
            .map_or(text.len(), |l| l.start);
        ranges.push((start, end));
        search = end.max(after);
        if search >= text.len() {
            break;
        }
    }
    ranges.extend(listed_toc_ranges(text, labels));
    // Lines with dotted leaders and a page number are TOC lines anywhere.
    let mut pos = 0;
    for line in split_inclusive_at_byte(text, b'\n') {
        let t = line.trim_end();
        // The page number first: it rules out nearly every line at once,
        // where the four leader searches each read the whole line.
        if t.ends_with(|c: char| c.is_ascii_digit())
            && (t.contains("……") || t.contains("....") || t.contains("···") || t.contains("．．．"))
        {
            ranges.push((pos, pos + line.len()));
        }
        pos += line.len();
    }
    Ranges::new(ranges)
}

/// A table of contents without a `目录` marker: three or more lines in a
/// row, each a label and a short heading without punctuation, whose first
/// entry comes back later in the text.
fn listed_toc_ranges(text: &str, labels: &[Label]) -> Vec<(usize, usize)> {
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    for line in split_inclusive_at_byte(text, b'\n') {
        lines.push((pos, pos + line.len()));
        pos += line.len();
    }
    // The text without white space, for finding an entry's return wherever
    // line breaks and spaces fell, with where each line ends in it; built
    // once, when a run of entry-like lines first needs it.
    let mut squeezed: Option<(String, Vec<usize>)> = None;
    let mut ranges = Vec::new();
    let mut checks = 0;
    let mut flush = |run: &mut Vec<usize>, ranges: &mut Vec<(usize, usize)>| {
        // Each check searches the rest of the text; a document has a
        // table of contents or two, not hundreds.
        if run.len() >= 3 && checks < MAX_LISTED_TOC_CHECKS {
            checks += 1;
            let (text_squeezed, line_ends) = squeezed.get_or_insert_with(|| {
                let mut out = String::new();
                let ends = lines
                    .iter()
                    .map(|&(s, e)| {
                        out.extend(text[s..e].chars().filter(|c| !c.is_whitespace()));
                        out.len()
                    })
                    .collect();
                (out, ends)
            });
            let (start, first_end) = lines[run[0]];
            let last = run[run.len() - 1];
            let entry: String = text[start..first_end].chars().filter(|c| !c.is_whitespace()).take(6).collect();
            if entry.chars().count() >= 4 && text_squeezed[line_ends[last]..].contains(&entry) {
                ranges.push((start, lines[last].1));
            }
        }
        run.clear();
    };
    let mut run: Vec<usize> = Vec::new();
    let mut next_label = 0;
    for (n, &(start, end)) in lines.iter().enumerate() {
        let line = &text[start..end];
        let t = line.trim();
        while next_label < labels.len() && labels[next_label].start < start {
            next_label += 1;
        }
        let label = labels[next_label..]
            .iter()
            .take_while(|l| l.start < end)
            .find(|l| l.line_start && l.style != Style::Article);
        let no_punct = |s: &str| !s.contains(['。', '，', ',', '；', ';', '：', ':', '？', '?', '！', '!']);
        let toc_like = match label {
            Some(l) => {
                let rest = text[l.end..end].trim();
                (2..=40).contains(&rest.chars().count()) && no_punct(rest)
            }
            // An entry whose label the scan could not read (`2.32026年…`).
            None => {
                t.starts_with(|c: char| c.is_ascii_digit()) && t.chars().count() <= 40 && no_punct(t) && !run.is_empty()
            }
        } && !t.is_empty();
        if toc_like {
            run.push(n);
        } else {
            flush(&mut run, &mut ranges);
        }
    }
    flush(&mut run, &mut ranges);
    ranges
}

/// Most runs of entry-like lines checked for a return in the body.
const MAX_LISTED_TOC_CHECKS: usize = 32;

fn find_toc_marker(text: &str) -> Option<usize> {
    // One pass to the first marker, not one per spelling to the end. A
    // substring search for `目`: a search for the character stops at every
    // copy of its last byte, a continuation byte common in Chinese text.
    memchr::memmem::find_iter(text.as_bytes(), "目").find(|&i| {
        let rest = &text[i + '目'.len_utf8()..];
        ["录", "錄", " 录", "  录"].iter().any(|m| rest.starts_with(m))
    })
}

/// The label's number and the first four characters of its heading, for
/// telling a TOC entry's return in the body.
fn entry_key(text: &str, label: &Label) -> EntryKey {
    let mut key = EntryKey { bytes: [0; ENTRY_KEY_BYTES], len: 0 };
    let mut push = |s: &str| {
        let end = usize::from(key.len) + s.len();
        key.bytes[usize::from(key.len)..end].copy_from_slice(s.as_bytes());
        key.len = end as u8;
    };
    push(decimal(label.number as usize, &mut [0; 20]));
    // Only as far as needed: in flattened text the line is the whole rest.
    for c in text[label.end..].chars().take_while(|&c| c != '\n').filter(|c| !c.is_whitespace()).take(4) {
        push(c.encode_utf8(&mut [0; 4]));
    }
    key
}

/// The most bytes of an [`EntryKey`]: a `u32`'s ten digits and four
/// characters.
const ENTRY_KEY_BYTES: usize = 10 + 4 * 4;

/// What [`entry_key`] gives: the number's digits followed by the heading's
/// characters, as one string (so `1` + `23…` equals `12` + `3…`, as it did
/// when the key was a `String`), held inline: a key is made for every
/// label, and two allocations each were a tenth of accepting them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct EntryKey {
    bytes: [u8; ENTRY_KEY_BYTES],
    len: u8,
}

fn build(text: &str, labels: &[Label], articles: &[usize]) -> Vec<Section> {
    let mut out = Vec::with_capacity(labels.len());
    // Recurring character pairs of the essay: its words.
    let pairs = PairCounts::new(text);
    let mut first_of_style: FxHashMap<Style, usize> = FxHashMap::default();
    for (i, l) in labels.iter().enumerate() {
        first_of_style.entry(l.style).or_insert(i);
    }
    for (i, label) in labels.iter().enumerate() {
        let end = labels.get(i + 1).map_or(text.len(), |l| l.start);
        let seg = &text[label.end..end];
        let lead = seg.len() - seg.trim_start().len();
        let seg_trim = &seg[lead..];
        // A heading never runs into an article (`第一章总则第一条…`); an
        // article named further into a sentence is prose.
        let from = label.end + lead;
        let article = articles[articles.partition_point(|&a| a <= from)..]
            .first()
            .filter(|&&a| a < end && text[from..a].chars().count() <= 12)
            .map(|&a| a - from);
        let heading_zone = &seg_trim[..article.unwrap_or(seg_trim.len())];
        let next = match (labels.get(i + 1), article) {
            (_, Some(_)) => NextLabel::Sibling,
            (None, None) => NextLabel::None,
            (Some(n), None) if first_of_style[&n.style] == i + 1 => NextLabel::Child,
            (Some(_), None) => NextLabel::Sibling,
        };
        let heading_len = heading_end(heading_zone, next, label.style, &pairs);
        let heading = seg_trim[..heading_len]
            .trim()
            .trim_end_matches(['：', ':', '，', ',', '；', ';', '、'])
            .trim_end()
            .to_string();
        let rest = &seg_trim[heading_len..];
        let own_text = rest.trim();
        // (Where the trimmed text lies: the rest's offset plus what the
        // trim took from its start.)
        let own_start = from + heading_len + (rest.len() - rest.trim_start().len());
        out.push(Section {
            level: 1,
            label: label.as_str(text).trim().to_string(),
            number: label.number,
            parent: None,
            heading,
            text: own_text.to_string(),
            start: label.start,
            own: (own_start, own_start + own_text.len()),
        });
    }
    out
}

/// Byte length of the heading at the start of `seg` (the text after a
/// label, up to the next section).
/// What follows a section's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NextLabel {
    /// The end of the essay.
    None,
    /// A label of a list not seen before this section: its first child.
    Child,
    /// Another label: a sibling or an outer section.
    Sibling,
}

fn heading_end(seg: &str, next: NextLabel, style: Style, pairs: &PairCounts<'_>) -> usize {
    let next_is_label = next != NextLabel::None;
    let line_end = find_newline(seg).unwrap_or(seg.len());
    let line = &seg[..line_end];
    // Counted only as far as the limits below look: in a flattened dump the
    // line runs to the end of the essay.
    let line_chars = count_chars_up_to(line, LINE_HEADING_NO_STOP.max(100) + 1);
    // Sentence and clause ends outside quotation marks.
    let (sentence, clause) = sentence_and_clause(line);
    // A short line of its own is the heading (unless a sentence ends inside
    // it and more text follows); so is a short run up to the next label on
    // the same line, when no full stop ends a sentence in it.
    // `？`/`！` may sit inside a two-part heading (`…引擎？专家视角…`).
    let full_stop = find_full_stop(line).map(|i| i + '。'.len_utf8());
    let own_line = line_end < seg.len() || !next_is_label && full_stop.is_none();
    let short_run = !own_line && full_stop.is_none();
    let limit = if own_line && full_stop.is_none() { LINE_HEADING_NO_STOP } else { LINE_HEADING };
    if line_chars <= limit && (own_line || short_run) {
        // Fields of a cover page or slide, set apart by spaces
        // (`标书范本 投标书 建设单位`): the first is the heading.
        if let Some(at) = han_space(line) {
            return at;
        }
        let inner_sentence = full_stop.filter(|&s| s < line.len() && !line[s..].trim().is_empty());
        if inner_sentence.is_none() {
            if let Some((c, ch)) = clause
                && matches!(ch, '：' | ':')
                && !line[c + ch.len_utf8()..].starts_with(|x: char| x.is_ascii_alphanumeric())
                && !line[c + ch.len_utf8()..].trim().is_empty()
            {
                return c;
            }
            return line.len();
        }
    }
    // `第一，…` items: the heading is the lead sentence.
    if style == Style::Ordinal {
        return sentence.unwrap_or(line.len().min(clause.map_or(line.len(), |c| c.0)));
    }
    // A heading glued to its text within the first clause; an item that
    // opens like a sentence (`根据…`, `我方…`) is a lead sentence. Strong
    // evidence for a cut comes first, then the shapes of list items, then
    // weaker evidence.
    let clause_end = clause.map_or(sentence.unwrap_or(line.len()), |c| c.0);
    let first_clause = &line[..clause_end];
    let first_len = first_clause.chars().count();
    let cut = if opens_sentence(line) { None } else { best_cut_in(first_clause, pairs, 40, 2.5, Mode::Heading) };
    if let Some(c) = cut.filter(|c| c.score >= STRONG_CUT) {
        return c.at;
    }
    // A short first clause ending in a colon: `(1)学生基本信息管理功能:该模块…`;
    // a clause that introduces what follows (`整风经验又证明：`) is a
    // sentence, not a heading.
    const INTRODUCING: &[&str] = &[
        "证明", "指出", "强调", "认为", "表示", "规定", "如下", "包括", "说", "讲", "提出", "发现", "显示", "表明",
        "明确",
    ];
    if let Some((c, ch)) = clause
        && matches!(ch, '：' | ':')
        && first_len <= 20
        && !line[c + ch.len_utf8()..].starts_with(|x: char| x.is_ascii_alphanumeric())
        && !INTRODUCING.iter().any(|w| line[..c].ends_with(w))
    {
        return c;
    }
    // An item that is one sentence (`1、低代码专指…等。2、…`) is a list item
    // whose heading is that sentence; a heading glued to its text is
    // followed by sentences of its own, and a heading whose sub-list
    // follows may have one sentence of introduction.
    if next == NextLabel::Sibling
        && line_end == seg.len()
        && let Some(end) = sentence
        && line[end..].trim_start_matches(['。', '．']).trim().is_empty()
        && line[..end].chars().count() <= MAX_LEAD
    {
        return end;
    }
    let threshold = if first_len >= 28 { 2.5 } else { 3.0 };
    if let Some(c) = cut.filter(|c| c.score >= threshold) {
        return c.at;
    }
    match sentence {
        Some(s) if line[..s].chars().count() <= MAX_LEAD => s,
        _ => {
            if line_chars <= 100 {
                line.len()
            } else {
                clause_end
            }
        }
    }
}

/// The first space between two Chinese characters, after at least two of
/// them (letter-spacing was closed by the cleaner, so what remains
/// separates fields).
pub(crate) fn han_space(line: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    (2..chars.len().saturating_sub(1)).find_map(|k| {
        let (at, c) = chars[k];
        (c == ' ' && is_han(chars[k - 1].1) && is_han(chars[k - 2].1) && is_han(chars[k + 1].1)).then_some(at)
    })
}

/// The first `。` or `．` of `line`: searched for as bytes, since in a
/// flattened dump the line runs to the next label, hundreds of characters.
fn find_full_stop(line: &str) -> Option<usize> {
    static STOP: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("。".as_bytes()));
    static WIDE_STOP: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("．".as_bytes()));
    let stop = STOP.find(line.as_bytes());
    // (A `．` counts only before the first `。`.)
    WIDE_STOP.find(&line.as_bytes()[..stop.unwrap_or(line.len())]).or(stop)
}

/// The characters [`sentence_and_clause`] acts on (brackets, clause and
/// sentence ends): those that change a scan's state or end it, outside
/// brackets or inside. The scan skips the others without decoding them.
fn is_sentence_mark(c: char) -> bool {
    [SentenceScan::default(), SentenceScan { depth: 1, clause: None }].into_iter().any(|before| {
        let mut after = before.clone();
        after.step(0, c).is_some() || after != before
    })
}

/// Where [`is_sentence_mark`] can hold: ASCII, general punctuation, CJK
/// punctuation and the full-width forms.
const SENTENCE_MARK_RANGES: [RangeInclusive<char>; 4] =
    ['\0'..='\u{7F}', '\u{2000}'..='\u{206F}', '\u{3000}'..='\u{303F}', '\u{FF00}'..='\u{FFEF}'];

static SENTENCE_MARKS: LazyLock<BmpSet> =
    LazyLock::new(|| BmpSet::from_fn_within(&SENTENCE_MARK_RANGES, is_sentence_mark));

/// Byte offsets of the first sentence end (after `？！`, before `。`) and of
/// the first clause end (with the punctuation), outside quotation marks.
fn sentence_and_clause(line: &str) -> (Option<usize>, Option<(usize, char)>) {
    let mut scan = SentenceScan::default();
    let bytes = line.as_bytes();
    let mut at = 0;
    loop {
        // Characters other than the marks change nothing in the scan.
        at = SENTENCE_MARKS.skip_others(bytes, at);
        let Some(c) = line[at..].chars().next() else {
            break;
        };
        if let Some(end) = scan.step(at, c) {
            return (Some(end), scan.clause);
        }
        at += c.len_utf8();
    }
    (None, scan.clause)
}

/// What [`sentence_and_clause`] knows of a line so far.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct SentenceScan {
    /// Brackets and quotation marks open.
    depth: i32,
    /// The first clause end outside them.
    clause: Option<(usize, char)>,
}

impl SentenceScan {
    /// Takes in the character `c` at byte `i`; the sentence's end when `c`
    /// ends it.
    fn step(&mut self, i: usize, c: char) -> Option<usize> {
        match c {
            '“' | '「' | '『' | '《' | '（' | '(' | '【' => self.depth += 1,
            '”' | '」' | '』' | '》' | '）' | ')' | '】' => self.depth = (self.depth - 1).max(0),
            _ => {}
        }
        if self.depth > 0 {
            return None;
        }
        if self.clause.is_none() && matches!(c, '，' | ',' | '；' | ';' | '：' | ':') {
            self.clause = Some((i, c));
        }
        match c {
            '。' | '．' => Some(i),
            '？' | '！' | '?' | '!' => Some(i + c.len_utf8()),
            _ => None,
        }
    }
}

/// Runs of three or more sections with no text of their own, whose first
/// heading comes back later, are a table of contents without a `目录`
/// marker.
fn drop_implicit_toc(sections: &mut Vec<Section>) {
    let mut i = 0;
    while i < sections.len() {
        let mut j = i;
        while j < sections.len() && sections[j].text.chars().filter(|c| !c.is_whitespace()).take(4).count() <= 3 {
            j += 1;
        }
        if j - i >= 3 {
            let key = (&sections[i].label, &sections[i].heading);
            let comes_back = sections[j..]
                .iter()
                .any(|s| (&s.label, &s.heading) == key || (s.label == *key.0 && s.heading.starts_with(key.1.as_str())));
            if comes_back {
                sections.drain(i..j);
                continue;
            }
        }
        i = j.max(i + 1);
    }
}

/// Levels by order of first appearance of each style, parents by nesting.
fn assign_levels(sections: &mut [Section], styles: &[Style]) {
    let mut level_of: FxHashMap<Style, u8> = FxHashMap::default();
    let mut stack: Vec<(Style, u8, usize)> = Vec::new(); // (style, level, index)
    for (i, &style) in styles.iter().enumerate() {
        let level = match level_of.get(&style) {
            Some(&l) => l,
            None => {
                // A new style nests under the innermost open section, unless
                // it ranks above it (`一、` after a `1.` list).
                while stack.last().is_some_and(|&(s, _, _)| outranks(style, s)) {
                    stack.pop();
                }
                let l = stack.last().map_or(1, |&(_, l, _)| l + 1);
                level_of.insert(style, l);
                l
            }
        };
        while stack.last().is_some_and(|&(_, l, _)| l >= level) {
            stack.pop();
        }
        sections[i].level = level;
        sections[i].parent = stack.last().map(|&(_, _, idx)| idx);
        stack.push((style, level, i));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(text: &str) -> Vec<(u8, String, String)> {
        find(text).into_iter().map(|s| (s.level, s.label, s.heading)).collect()
    }

    /// A section's text runs to the next section of its level or an outer
    /// one: a heading followed at once by its list holds the list.
    #[test]
    fn a_section_holds_its_subsections() {
        let text =
            "一、工作目标\n1、课程\n将科学课程落实到位。\n2、质量\n提高教学质量。\n二、工作要点\n狠抓落实，注重学习。";
        let sections = find(text);
        let texts: Vec<(&str, &str, &str)> =
            sections.iter().map(|s| (s.label.as_str(), s.heading.as_str(), s.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                ("一、", "工作目标", "1、课程\n将科学课程落实到位。\n2、质量\n提高教学质量。"),
                ("1、", "课程", "将科学课程落实到位。"),
                ("2、", "质量", "提高教学质量。"),
                ("二、", "工作要点", "狠抓落实，注重学习。"),
            ]
        );
        // Flattened, with an introduction before the list.
        let text = "一、工作目标为此要求：1、将科学课程落实到位。2、提高教学质量。二、工作要点狠抓落实。";
        let first = &find(text)[0];
        assert!(first.text.contains("1、将科学课程落实到位。2、提高教学质量。"), "{:?}", first.text);
        assert!(!first.text.contains("二、"), "{:?}", first.text);
    }

    #[test]
    fn sentence_marks_lie_within_their_ranges() {
        assert_eq!(BmpSet::outside(&SENTENCE_MARK_RANGES, is_sentence_mark), Vec::<char>::new());
    }

    /// The scans that skip by bytes find what a scan of every character
    /// finds, on every short mix of marks, brackets and other text.
    #[test]
    fn sentence_scans_find_what_a_plain_scan_finds() {
        // Every character stepped through, none skipped.
        fn plain(line: &str) -> (Option<usize>, Option<(usize, char)>) {
            let mut scan = SentenceScan::default();
            for (i, c) in line.char_indices() {
                if let Some(end) = scan.step(i, c) {
                    return (Some(end), scan.clause);
                }
            }
            (None, scan.clause)
        }
        let pieces = ["新", "a", "。", "．", "，", ":", "？", "“", "”", "(", "）", "é", "😀", "、"];
        for text in crate::text::texts_of(&pieces, 4) {
            assert_eq!(sentence_and_clause(&text), plain(&text), "{text:?}");
            assert_eq!(find_full_stop(&text), text.find(['。', '．']), "{text:?}");
        }
    }

    /// The inline key is the string the key was when it was a `String`:
    /// the number's digits, then up to four characters of the heading
    /// (white space aside, to the end of its line).
    #[test]
    fn entry_keys_are_the_number_and_the_headings_first_characters() {
        let text = "一、发展 现状成效\n12、打出\n第一百二十章 总则\n(0)\n①甲乙丙丁戊";
        let labels = scan(text);
        assert_eq!(labels.len(), 5, "{labels:?}");
        for label in &labels {
            let heading: String =
                text[label.end..].chars().take_while(|&c| c != '\n').filter(|c| !c.is_whitespace()).take(4).collect();
            let key = entry_key(text, label);
            assert_eq!(&key.bytes[..usize::from(key.len)], format!("{}{heading}", label.number).as_bytes());
        }
        // `1` + `23…` and `12` + `3…` make the same key, as the strings did.
        let (one, twelve) = (Label { number: 1, ..labels[0].clone() }, Label { number: 12, ..labels[0].clone() });
        assert_eq!(
            entry_key("1、23四五", &Label { end: 4, ..one }),
            entry_key("12、3四五", &Label { end: 5, ..twelve })
        );
    }

    #[test]
    fn flattened_seed_essay() {
        // The seed's second essay, flattened.
        let text = "中央经济工作会议定调。一、发展现状成效X区作为全国首批国家智慧城市试点区县,致力于探索。城市IPo1、聚焦打破科技创新壁垒近年来,X区以制定专项政策为支撑。先后建成一批平台。2、打出人才引育组合拳X区科教资源富集、人才智力密集。近年来该区高度重视。二、存在的问题1、产学研用融合发展不足产学研用融合发展是实施创新驱动发展战略的关键环节。对企业而言是挑战。";
        let got = outline(text);
        let want = [
            (1, "一、", "发展现状成效"),
            (2, "1、", "聚焦打破科技创新壁垒"),
            (2, "2、", "打出人才引育组合拳"),
            (1, "二、", "存在的问题"),
            (2, "1、", "产学研用融合发展不足"),
        ];
        let got: Vec<(u8, &str, &str)> = got.iter().map(|(l, a, b)| (*l, a.as_str(), b.as_str())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn lines_and_lead_sentences() {
        // dumps/24 (lines) and sim/06 (lead sentences).
        let got = outline(
            "一、工作目标:\n1、将学科纳入管理。\n2、强化科技创新思想。\n二、工作要点:\n(一)狠抓落实,注重学习。\n开齐课程",
        );
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [1, 2, 2, 1, 2]);
        assert_eq!(got[0].2, "工作目标");
        let got = outline(
            "这是结论的一部分。一、党委书记要善于当“班长”。党的委员会有一二十个人,像军队的一个班。二、要把问题摆到桌面上来。不仅“班长”要这样做。",
        );
        assert_eq!(got[0].2, "党委书记要善于当“班长”");
        assert_eq!(got[1].2, "要把问题摆到桌面上来");
    }

    #[test]
    fn a_rescued_list_passes_over_a_list_nested_in_an_item() {
        // sim/08, shortened: `1、关键词` follows a sentence without its full
        // stop, so the outer list is found after the fact; the list nested
        // in its second item must not end it before `3、具体总结`.
        let got = outline(
            "四、2020总结这一年,学习了很多。我们通过一个脑图来看一下2020的总结1、关键词我们先来看看关键词:持续学习。2、学习和成长有时候我们会问自己,为啥要学习?1、去探索各种问题,学习他们的解决思路和方案。2、了解前端技术发展趋势,把握学习方向。3、结交技术圈内朋友,促进自己的技术提升。3、具体总结站高点。有时候需要站在更高高度看问题。",
        );
        let labels: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
        assert_eq!(labels, ["1、", "2、", "1、", "2、", "3、", "3、"], "{got:?}");
        assert!(got[0].2.starts_with("关键词") && got[5].2.starts_with("具体总结"), "{got:?}");
    }

    #[test]
    fn headings_restated_by_their_text() {
        // sim/11: each day's heading opens its text again, so the seam
        // `天第` recurs in the document without being a word.
        let got = outline(
            "一、第一天第一天：日月山+青海湖日月山票：40。中午吃大盘鸡。二、第二天第二天：茶卡盐湖。盐湖真大。三、第三天第三天：无人区。没有信号。",
        );
        assert_eq!(got.iter().map(|g| g.2.as_str()).collect::<Vec<_>>(), ["第一天", "第二天", "第三天"]);
    }

    #[test]
    fn inline_enumerations_and_footnote_marks_are_not_sections() {
        // sim/05: `第一，` after a colon, `⑴` footnote marks.
        assert!(
            outline("我们做了三件事：第一，决定了党的路线。第二，通过了新的党章。第三，选举了中央委员会。").is_empty()
        );
        assert!(outline("张思德⑴同志就是我们这个队伍中的一个同志。李鼎铭⑶先生提出来的。").is_empty());
        assert!(outline("要统一、规范、高效地推进工作。").is_empty());
    }

    #[test]
    fn ordinals_after_sentences_are_sections() {
        let got = outline(
            "为什么能够和下来呢？第一，军事方面，美国侵略者处于不利状态。如果不和。第二，政治方面，敌人内部有矛盾。",
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].2, "军事方面，美国侵略者处于不利状态");
    }

    #[test]
    fn toc_with_marker_is_skipped() {
        // dumps/16, shortened: the TOC entries come back in the body.
        let got = outline(
            "目錄一、创新要素成核心引擎?专家视角二、如何界定评价边界?深度解读一、创新要素成核心引擎?专家视角(一)标准制定的背景在当前经济转型升级的背景下。",
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, "一、");
        assert_eq!(got[1].1, "(一)");
    }

    #[test]
    fn decimal_labels_nest_under_their_parent() {
        let got = outline(
            "第1章培训评估概述1.1培训评估的基本概念培训评估是通过系统化的方法。1.2培训评估的目的与意义培训评估的核心目的是验证培训。",
        );
        let levels: Vec<_> = got.iter().map(|g| (g.0, g.1.as_str())).collect();
        assert_eq!(levels, [(1, "第1章"), (2, "1.1"), (2, "1.2")]);
    }
}
