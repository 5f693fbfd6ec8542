//! Page footers and furniture inside the text: `第1页共18页` glued into a
//! sentence, `第二页，共31页。`, Word's `—PAGE—` field leftovers, `- 3 -`
//! lines, lone page numbers between blank lines, and paywall markers
//! (`此处隐藏2790个字。VIP会员可见`).

use std::sync::LazyLock;

use memchr::memmem;
use regex::Regex;

use crate::text::{LazyRegex, first_bytes, line_regex};

use super::{Cleaner, Page};

/// A word every match of an inline pattern holds: a line without it is
/// not searched. Most lines hold none, and a vectorised search is far
/// cheaper than a regex search, which costs 50 to 100 ns even when it
/// finds nothing.
#[derive(Clone, Copy)]
enum Needs {
    /// `共`.
    Gong,
    /// `PAGE`.
    Page,
    /// `p` or `P` (no other character folds to either).
    LatinP,
    /// `隐藏`.
    Hidden,
}

/// What a line holds of the words of [`Needs`], each looked for once,
/// when a pattern first asks: the three patterns with a Latin word all
/// need a `p` or `P`, which nearly no line of Chinese text holds.
#[derive(Default)]
struct Holds {
    gong: Option<bool>,
    latin_p: Option<bool>,
    page: Option<bool>,
    hidden: Option<bool>,
}

impl Holds {
    fn needs(&mut self, needs: Needs, line: &[u8]) -> bool {
        static GONG: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("共".as_bytes()));
        static PAGE: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"PAGE"));
        static HIDDEN: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("隐藏".as_bytes()));
        match needs {
            Needs::Gong => *self.gong.get_or_insert_with(|| GONG.find(line).is_some()),
            Needs::LatinP => *self.latin_p.get_or_insert_with(|| memchr::memchr2(b'p', b'P', line).is_some()),
            Needs::Page => {
                self.needs(Needs::LatinP, line) && *self.page.get_or_insert_with(|| PAGE.find(line).is_some())
            }
            Needs::Hidden => *self.hidden.get_or_insert_with(|| HIDDEN.find(line).is_some()),
        }
    }
}

/// The inline patterns, each with the word it needs, compiled when a line
/// first holds that word.
static INLINE: [(Needs, LazyRegex); 5] = [
    // 第1页共18页, 第 1 页 共 18 页, 第二页，共31页。
    (
        Needs::Gong,
        LazyRegex::new(
            r"第\s*[0-9一二三四五六七八九十百零〇]+\s*[页頁]\s*[,，]?\s*共\s*[0-9一二三四五六七八九十百零〇]+\s*[页頁][。.]?",
        ),
    ),
    // Word field leftovers.
    (Needs::Page, LazyRegex::new(r"[—–\-]{1,2}\s*PAGE\s*[—–\-]{1,2}")),
    (Needs::Page, LazyRegex::new(r"\{\s*PAGE\s*\}")),
    // Page N of M.
    (Needs::LatinP, LazyRegex::new(r"(?i)\bpage\s+\d+\s+of\s+\d+\b")),
    // Paywalls.
    (
        Needs::Hidden,
        LazyRegex::new(
            r"此[处處]隐藏\s*\d+\s*个字\s*[。.]?\s*(?:VIP会员可见|会员可见|开通VIP.{0,10}|付费.{0,10})?[。.]?",
        ),
    ),
];

const PAGE_NUMBER: &str = r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*[页頁]|\d{1,3})$";
static PAGE_NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| line_regex(PAGE_NUMBER));
/// The first bytes of a page number line.
static PAGE_NUMBER_FIRST: LazyLock<Box<[bool; 256]>> =
    LazyLock::new(|| first_bytes(PAGE_NUMBER).expect("the pattern is anchored and opens with literals"));

/// Removes page footers and paywall markers.
pub struct PageFooters;

impl Cleaner for PageFooters {
    fn name(&self) -> &'static str {
        "page-footers"
    }

    fn clean(&self, page: &mut Page) {
        let mut removed = 0;
        for line in &mut page.lines {
            let mut holds = Holds::default();
            for (needs, re) in &INLINE {
                if !holds.needs(*needs, line.text.as_bytes()) {
                    continue;
                }
                let re = re.get();
                if re.is_match(&line.text) {
                    let before = line.text.chars().count();
                    line.text = re.replace_all(&line.text, "").into_owned();
                    removed += before - line.text.chars().count();
                    // What the line holds is asked of the new text.
                    holds = Holds::default();
                }
            }
        }
        page.removed(removed);
        // A lone page number stands between blank lines; a number inside a
        // run of text lines (a table, a list of values) is content.
        let blank: Vec<bool> = page.lines.iter().map(|l| l.text.trim().is_empty()).collect();
        let n = page.lines.len();
        page.drop_lines(|i, line| {
            let t = line.text.trim();
            let first = t.as_bytes().first().is_some_and(|&b| PAGE_NUMBER_FIRST[usize::from(b)]);
            if !first || !PAGE_NUMBER_LINE.is_match(t) {
                return false;
            }
            let dashed = !t.chars().all(|c| c.is_ascii_digit());
            let before = i == 0 || blank[i - 1];
            let after = i + 1 == n || blank[i + 1];
            dashed || (before && after)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns are compiled when a line needs them: a bad one must fail
    /// here rather than on the first document that holds its word.
    #[test]
    fn every_inline_pattern_compiles() {
        for (_, re) in &INLINE {
            assert!(!re.get().as_str().is_empty());
        }
    }

    fn run(text: &str) -> String {
        let mut page = Page::from_text(text);
        PageFooters.clean(&mut page);
        page.text()
    }

    #[test]
    fn footers_glued_into_sentences() {
        assert_eq!(run("我们要加强第1页共18页学习"), "我们要加强学习");
        assert_eq!(run("工作第二页，共31页。总结"), "工作总结");
        assert_eq!(run("—PAGE—《GB/T29186.4-2021》实施指南"), "《GB/T29186.4-2021》实施指南");
        assert_eq!(run("正文此处隐藏2790个字。VIP会员可见后文"), "正文后文");
        assert_eq!(run("见下表{ PAGE }如下"), "见下表如下");
        assert_eq!(run("总结 Page 3 of 12 结束，page 4 of 12"), "总结  结束，");
        // One line with several: each pattern reads what the last left.
        assert_eq!(run("甲第1页共2页乙—PAGE—丙{PAGE}丁"), "甲乙丙丁");
    }

    #[test]
    fn lone_page_numbers_between_blank_lines() {
        // dumps/12: a lone `1` after the table of contents.
        assert_eq!(run("目录\n\n1\n\n会议接待流程"), "目录\n会议接待流程");
        assert_eq!(run("数量\n1\n2\n单价"), "数量\n1\n2\n单价");
        assert_eq!(run("正文\n- 3 -\n续"), "正文\n续");
    }

    #[test]
    fn ordinary_mentions_stay() {
        assert_eq!(run("本书共有18页插图。"), "本书共有18页插图。");
    }
}
