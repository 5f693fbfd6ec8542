//! Splitting clean text into essays and numbered sections.
//!
//! * [`essays`] finds the markers of a collection (`第1篇`, `【篇一】` …);
//! * [`boundary`] finds where a title or heading that lost its line break
//!   ends;
//! * [`sections`] finds numbered sections with their levels and headings;
//! * [`labels`] recognises section labels.
//!
//! ```
//! use wenku::segment::{segment, Input};
//!
//! let text = "学习材料(2篇)第1篇学习心得体会今天我们学习了新思想。一、认真学习这是第一点。第2篇工作总结今年我们完成了任务。";
//! let doc = segment(&Input { text, title: Some("学习材料(2篇)"), declared_essays: Some(2) });
//! assert_eq!(doc.essays.len(), 2);
//! assert_eq!(doc.essays[0].title.as_deref(), Some("学习心得体会"));
//! assert_eq!(doc.essays[0].sections[0].heading, "认真学习");
//! assert_eq!(doc.essays[1].title.as_deref(), Some("工作总结"));
//! ```

pub mod boundary;
pub mod essays;
pub mod labels;
pub mod lexicon;
pub mod sections;

pub use sections::Section;

use crate::text::{compare_key, find_newline, is_sentence_end};
use boundary::{Mode, PairCounts, best_cut_in};

/// What segmentation needs to know about a document.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The clean text, paragraphs separated by `\n`.
    pub text: &'a str,
    /// The document's title, when the boilerplate named it.
    pub title: Option<&'a str>,
    /// The essay count the title declares.
    pub declared_essays: Option<u32>,
}

/// One essay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Essay {
    /// The marker as written (`第1篇`), none for a single document.
    pub marker: Option<String>,
    /// The essay's title, when it has one.
    pub title: Option<String>,
    /// The title as written before a marker that follows it
    /// (`T(匯總16篇)篇一`), collection count included.
    pub title_line: Option<String>,
    /// The essay's text without its marker and title.
    pub text: String,
    /// Its numbered sections, in order.
    pub sections: Vec<Section>,
}

/// The essays of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    /// Essays in order (at least one for a non-empty text).
    pub essays: Vec<Essay>,
}

/// Text before the first marker longer than this is an essay of its own,
/// not a collection title.
const MAX_PREFACE: usize = 300;

/// Splits a document into essays and sections.
pub fn segment(input: &Input<'_>) -> Segmented {
    let text = input.text;
    if text.trim().is_empty() {
        return Segmented::default();
    }
    let markers = essays::find(text, input.title, input.declared_essays);
    let mut out = Vec::new();
    if markers.is_empty() {
        // A collection whose markers the preview does not show: its title
        // line belongs to the collection, not to the essay.
        let text = match (input.title, input.declared_essays) {
            (Some(t), Some(d)) if d >= 2 => {
                let stem = compare_key(&essays::title_stem(t));
                let stripped = strip_first_line_if(text, |l| compare_key(l) == compare_key(t));
                // Only when the essay's own title follows.
                if compare_key(crate::text::prefix_chars(stripped.trim_start(), stem.chars().count() + 4))
                    .starts_with(&stem)
                {
                    stripped
                } else {
                    text
                }
            }
            _ => text,
        };
        let (title, body) = single_title(text, input.title.map(essays::title_stem).as_deref());
        out.push(essay(None, title, body));
        return Segmented { essays: out };
    }
    let preface = text[..markers[0].essay_start].trim();
    if preface.chars().count() > MAX_PREFACE && !is_collection_title(preface, input.title) {
        let (title, body) = single_title(preface, input.title);
        out.push(essay(None, title, body));
    }
    for (k, m) in markers.iter().enumerate() {
        let end = markers.get(k + 1).map_or(text.len(), |n| n.essay_start);
        let body = &text[m.end.min(end)..end];
        let (title, body) = match &m.title_before {
            Some(t) => (Some(essays::essay_title_before(t)), body),
            None => marked_title(body),
        };
        let mut e = essay(Some(m.text.clone()), title, body);
        e.title_line = m.title_before.clone();
        out.push(e);
    }
    Segmented { essays: out }
}

fn strip_first_line_if(text: &str, pred: impl Fn(&str) -> bool) -> &str {
    let text = text.trim_start();
    match text.split_once('\n') {
        Some((first, rest)) if pred(first.trim()) => rest,
        _ => text,
    }
}

fn is_collection_title(preface: &str, title: Option<&str>) -> bool {
    title.is_some_and(|t| compare_key(preface).contains(&compare_key(&essays::title_stem(t))))
}

fn essay(marker: Option<String>, title: Option<String>, body: &str) -> Essay {
    let body = body.trim_start_matches([':', '：', ' ', '\n', '\t']).trim_end();
    Essay { marker, title, title_line: None, text: body.to_string(), sections: sections::find(body) }
}

/// Longest title line, in characters.
const MAX_TITLE_LINE: usize = 60;

/// A first line that is a title: short, followed by more text, not a
/// sentence, not a numbered heading, not a salutation.
fn title_line(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let end = find_newline(text)?;
    let line = text[..end].trim();
    let rest = &text[end + 1..];
    if line.is_empty() || rest.trim().is_empty() || line.chars().count() > MAX_TITLE_LINE {
        return None;
    }
    let inner_stop = line.char_indices().any(|(i, c)| (c == '。' || c == '；') && i + c.len_utf8() < line.len());
    if inner_stop || line.ends_with(['。', '：', ':', '，', ',', '；']) {
        return None;
    }
    if labels::at_start(line).is_some_and(|l| l.style != labels::Style::Article) {
        return None;
    }
    // `TITLE一、背景分析`: the title ends where a numbered heading starts.
    if let Some(at) = hard_title_end(line) {
        let start = text.len() - text.trim_start().len();
        let offset = start + (line.as_ptr() as usize - text.trim_start().as_ptr() as usize) + at;
        return Some((&line[..at], &text[offset..]));
    }
    Some((line, rest))
}

/// The title of a marked essay: the rest of the marker's line when it is
/// short, else a title glued to the text.
fn marked_title(body: &str) -> (Option<String>, &str) {
    let body = body.trim_start_matches([':', '：', ' ', '\t']);
    if let Some((line, rest)) = title_line(body) {
        return (Some(line.to_string()), rest);
    }
    match glued_title(body, 60) {
        Some(at) => (Some(body[..at].trim().to_string()), &body[at..]),
        None => (None, body),
    }
}

/// A title glued to the text after it: ends at a section label, a
/// `目录`, or where [`best_cut`] finds enough evidence.
fn glued_title(body: &str, max_chars: usize) -> Option<usize> {
    let line_end = find_newline(body).unwrap_or(body.len());
    let line = &body[..line_end];
    // Title and first sentence end: a title never holds a full stop.
    let stop = line.char_indices().find(|&(_, c)| is_sentence_end(c)).map_or(line.len(), |(i, _)| i);
    let zone = &line[..stop];
    let limit = zone.char_indices().nth(max_chars).map_or(zone.len(), |(i, _)| i);
    let zone = &zone[..limit];
    if let Some(at) = hard_title_end(zone) {
        return Some(at);
    }
    // Do not look past the first clause break.
    let clause = zone.find(['，', ',', '；', ';']).unwrap_or(zone.len());
    let second = zone[clause..]
        .char_indices()
        .skip(1)
        .find(|&(_, c)| matches!(c, '，' | ',' | '；' | ';'))
        .map_or(zone.len(), |(i, _)| clause + i);
    let pairs = PairCounts::new(crate::text::prefix_chars(line, 2000));
    // Cuts within the first clause, with the rest of the sentence in view.
    let first = best_cut_in(zone, &pairs, zone[..clause].chars().count().min(max_chars), 3.0, Mode::Title);
    first
        .or_else(|| {
            // A title may hold one comma (`调研就像“十月怀胎”，解决问题就像“一朝分娩”`).
            if clause < zone.len() {
                best_cut_in(&zone[..second], &pairs, max_chars, 3.5, Mode::Title).filter(|c| c.at > clause)
            } else {
                None
            }
        })
        .map(|c| c.at)
}

/// Where a title glued to a numbered heading (`TITLE一、背景分析`) or to a
/// table of contents (`TITLE目录`) ends.
fn hard_title_end(zone: &str) -> Option<usize> {
    let label = labels::scan(zone).into_iter().find(|l| {
        l.start > 0
            && l.number <= 1
            && matches!(
                l.style,
                labels::Style::CnComma
                    | labels::Style::Chapter
                    | labels::Style::CnParen
                    | labels::Style::Part
                    | labels::Style::Decimal(_)
            )
    });
    let toc = ["目录", "目錄"].iter().filter_map(|m| zone.find(m)).min();
    let hard = match (label.map(|l| l.start), toc) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let at = hard.filter(|&at| zone[..at].chars().count() >= 4)?;
    // `TITLE 以DS-7804H为例 一、…`: a subtitle set off by a space is text.
    Some(sections::han_space(&zone[..at]).filter(|&s| zone[..s].chars().count() >= 4).unwrap_or(at))
}

/// The title of a single document: its first line when that is a title
/// line; else the document's title when the text starts with it (exactly
/// or nearly); else a glued title when nothing named the document.
fn single_title<'t>(text: &'t str, doc_title: Option<&str>) -> (Option<String>, &'t str) {
    let text = text.trim_start();
    if let Some((line, rest)) = title_line(text) {
        // A first line that is the start of the body (a greeting, a byline)
        // is not a title; a line resembling the document's title is.
        let resembles =
            doc_title.is_none_or(|t| similarity(&compare_key(line), &compare_key(&essays::title_stem(t))) >= 0.4);
        if resembles {
            return (Some(line.to_string()), rest);
        }
    }
    if let Some(title) = doc_title {
        if let Some(at) = title_prefix(text, title) {
            return (Some(text[..at].trim().to_string()), &text[at..]);
        }
        return (None, text);
    }
    // A document that opens with a numbered heading has no title line.
    if labels::at_start(text).is_some_and(|l| l.style != labels::Style::Article) {
        return (None, text);
    }
    match glued_title(text, 50) {
        Some(at) => (Some(text[..at].trim().to_string()), &text[at..]),
        None => (None, text),
    }
}

/// The end of the document's title at the start of `text`, matched loosely
/// (`浅谈` in front, a different bracket, a missing `游记` at the end).
fn title_prefix(text: &str, title: &str) -> Option<usize> {
    let line = &text[..find_newline(text).unwrap_or(text.len())];
    let stem = compare_key(&essays::title_stem(title));
    let full = compare_key(title);
    let n = stem.chars().count();
    if n < 2 {
        return None;
    }
    // Candidate ends: every char boundary up to the title's length plus a
    // few, never past a sentence end.
    let mut best: Option<(usize, f32)> = None;
    let mut key = String::new();
    // The key grows a character at a time: its similarity to the stem and
    // to the full title is carried along, one row of each LCS table per
    // character, not recomputed for every candidate end.
    let (mut to_stem, mut to_full) = (Lcs::new(&stem), Lcs::new(&full));
    let mut key_chars = 0;
    for (i, c) in line.char_indices() {
        if is_sentence_end(c) || matches!(c, '，' | ',') && key_chars >= n {
            break;
        }
        if key_chars > n + 8 {
            break;
        }
        for k in compare_key(&c.to_string()).chars() {
            key.push(k);
            key_chars += 1;
            to_stem.push(k);
            to_full.push(k);
        }
        let end = i + c.len_utf8();
        let sim = to_stem.ratio().max(to_full.ratio());
        // Prefer ends where the text after the title starts something new.
        let boundary_ok = line[end..]
            .chars()
            .next()
            .is_none_or(|next| !crate::text::is_han(next) || boundary_after(&key, &line[end..]));
        if sim >= 0.7 && boundary_ok && best.is_none_or(|(_, s)| sim > s + 1e-6) {
            best = Some((end, sim));
        }
    }
    best.map(|(end, _)| end)
}

/// Whether a title ending at this point is plausible from the text after
/// it (exactly equal titles always are).
fn boundary_after(_title_key: &str, after: &str) -> bool {
    let c = after.chars().next();
    c.is_some()
}

/// [`similarity`] of a growing string `a` to a fixed `b`: the last row of
/// the LCS table, extended by one character of `a` at a time.
struct Lcs {
    b: Vec<char>,
    row: Vec<u16>,
    next: Vec<u16>,
    a_len: usize,
}

impl Lcs {
    fn new(b: &str) -> Self {
        let b: Vec<char> = b.chars().collect();
        let n = b.len() + 1;
        Self { b, row: vec![0; n], next: vec![0; n], a_len: 0 }
    }

    fn push(&mut self, x: char) {
        for (j, &y) in self.b.iter().enumerate() {
            self.next[j + 1] = if x == y { self.row[j] + 1 } else { self.row[j + 1].max(self.next[j]) };
        }
        std::mem::swap(&mut self.row, &mut self.next);
        self.a_len += 1;
    }

    fn ratio(&self) -> f32 {
        if self.a_len == 0 && self.b.is_empty() {
            return 1.0;
        }
        2.0 * self.row[self.b.len()] as f32 / (self.a_len + self.b.len()) as f32
    }
}

/// Character-level similarity of two strings, 2·LCS/(|a|+|b|) (the
/// measure `difflib` calls ratio, computed exactly).
pub fn similarity(a: &str, b: &str) -> f32 {
    let mut lcs = Lcs::new(b);
    a.chars().for_each(|c| lcs.push(c));
    lcs.ratio()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str, title: Option<&str>, declared: Option<u32>) -> Segmented {
        segment(&Input { text, title, declared_essays: declared })
    }

    #[test]
    fn single_document_title_forms() {
        // dumps/03: a title line.
        let s = seg("物业管理质量手册\n目录\n1.0 序言", Some("物业管理质量手册"), None);
        assert_eq!(s.essays[0].title.as_deref(), Some("物业管理质量手册"));
        // dumps/01: the known title with 浅谈 in front, glued to the text.
        let s =
            seg("浅谈企业员工的培训与开发摘要企业管理者个人及其组织要想生存发展", Some("企业员工的培训与开发"), None);
        assert_eq!(s.essays[0].title.as_deref(), Some("浅谈企业员工的培训与开发"));
        // dumps/08: a known title the text does not start with.
        let s = seg(
            "课程设计IV 设计说明书 高校班级管理系统的数据库设计与数据操作 学生姓名",
            Some("大学课程设计之高校班级管理系统精华版"),
            None,
        );
        assert_eq!(s.essays[0].title, None);
        // dumps/22: no title known, glued.
        let s = seg("大力发展新质生产力心得体会研讨发言材料今年是中华人民共和国成立75周年,是关键一年。", None, None);
        assert_eq!(s.essays[0].title.as_deref(), Some("大力发展新质生产力心得体会研讨发言材料"));
    }

    #[test]
    fn collection_title_before_the_first_marker_is_not_an_essay() {
        let s = seg("学习材料(2篇)\n第1篇\n心得一\n正文一。\n第2篇\n心得二\n正文二。", Some("学习材料(2篇)"), Some(2));
        assert_eq!(s.essays.len(), 2);
        assert_eq!(s.essays[1].title.as_deref(), Some("心得二"));
        assert_eq!(s.essays[1].text, "正文二。");
    }

    #[test]
    fn similarity_is_difflib_ratio() {
        assert!((similarity("abcd", "abce") - 0.75).abs() < 1e-6);
        // Carried along a growing string, it is the same number.
        let b = "新质生产力研讨交流材料";
        let mut lcs = Lcs::new(b);
        let mut a = String::new();
        for c in "关于新质生产力的研讨材料心得".chars() {
            a.push(c);
            lcs.push(c);
            assert_eq!(lcs.ratio(), similarity(&a, b), "{a}");
        }
        assert_eq!(Lcs::new("").ratio(), similarity("", ""));
        assert_eq!(similarity("", ""), 1.0);
    }
}
