//! Essay markers of collections: `第1篇`, `第一篇:`, `【篇一】`, `篇1:`,
//! `TITLE篇一`, `范文一`, `范本一`, `TITLE1`.
//!
//! Every family of markers is scanned; a family counts when its markers
//! number 1, 2, 3 … in order, no more than the title declares. The family
//! with the longest such chain wins. A single marker counts only in a
//! document that is a collection (its title declares a count, or speaks of
//! 范文, 汇总 …) or when it stands on a line of its own.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::line_regex;

use crate::text::{compare_key, is_han, parse_numeral, split_inclusive_at_byte};

/// Families of essay markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// `第1篇`, `第一篇:`
    DiPian,
    /// `【篇一】`
    Bracketed,
    /// `篇1:`, `篇一`, `TITLE篇一`
    Pian,
    /// `范文一`, `范本一`, `范例一`
    Model,
    /// `TITLE1` at the end of a title line
    TitleNumber,
}

/// One essay marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Byte offset where the essay starts (the title line for markers that
    /// follow their title, else the marker).
    pub essay_start: usize,
    /// Byte offset of the marker.
    pub start: usize,
    /// Byte offset after the marker and its separator.
    pub end: usize,
    /// The marker as written, without separators (`第1篇`, `篇一`).
    pub text: String,
    /// The essay number.
    pub number: u32,
    /// The family.
    pub family: Family,
    /// The title written before the marker on its line (`TITLE篇一`).
    pub title_before: Option<String>,
}

const NUM: &str = r"(?P<n>\d{1,3}|[一二三四五六七八九十百零〇两壹贰叁肆伍陆柒捌玖拾]{1,4})";

static DI_PIAN: LazyLock<Regex> = LazyLock::new(|| line_regex(&format!(r"第{NUM}篇\s*[:：]?")));
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| line_regex(&format!(r"[【\[〖]\s*篇{NUM}\s*[】\]〗]\s*[:：]?")));
static PIAN: LazyLock<Regex> = LazyLock::new(|| line_regex(&format!(r"篇{NUM}(?P<sep>\s*[:：])?")));
static MODEL: LazyLock<Regex> =
    LazyLock::new(|| line_regex(&format!(r"(?:范文|范本|范例|範文|範本){NUM}(?P<sep>\s*[:：])?")));
static TITLE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| line_regex(r"(?m)^(?P<title>[^\n]+?\p{Han})(?P<n>\d{1,2})[ \t]*$"));

/// Words that make a title a collection of essays.
const COLLECTION_WORDS: &[&str] =
    &["篇", "范文", "范本", "范例", "汇总", "匯總", "合集", "精选", "大全", "模板", "集锦", "汇编", "匯編"];

/// Longest title written on the line before a marker (`TITLE篇一`).
const MAX_TITLE_BEFORE: usize = 60;

// Line look-ups around a marker stop after a few characters: in text that
// lost its line breaks, a line is the whole document, and scanning it for
// every marker would make segmentation quadratic.

/// Only white space between the start of its line and `pos`.
fn blank_to_line_start(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end_matches(|c: char| c.is_whitespace() && c != '\n');
    before.is_empty() || before.ends_with('\n')
}

/// Only white space between `pos` and the end of its line.
fn blank_to_line_end(text: &str, pos: usize) -> bool {
    let after = text[pos..].trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
    after.is_empty() || after.starts_with('\n')
}

/// The start of the line holding `pos`, when at most `max_chars`
/// characters come before `pos` on that line.
fn short_line_start(text: &str, pos: usize, max_chars: usize) -> Option<usize> {
    let mut start = pos;
    for (n, (i, c)) in text[..pos].char_indices().rev().enumerate() {
        if c == '\n' {
            return Some(start);
        }
        if n >= max_chars {
            return None;
        }
        start = i;
    }
    Some(0)
}

/// A collection title's count (`(通用6篇)`) at its end.
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    line_regex(r"\s*[（(\[【]?[^（()）\[\]【】]{0,6}?(?:\d{1,3}|[一二两三四五六七八九十]{1,3})篇[)）\]】]?\s*$")
});

/// The title stem of a collection title: without its count (`(通用6篇)`).
pub fn title_stem(title: &str) -> String {
    let title = title.trim();
    // Every count holds 篇: a title without one needs no search (nor the
    // pattern compiled, at a small file's start-up).
    if !title.contains('篇') {
        return title.to_string();
    }
    COUNT.replace(title, "").trim().to_string()
}

/// The number (`NUM`'s group `n`) and whether a separator follows (the
/// group `sep`) of a match of the family's pattern, read off the match: a
/// number is digits or Chinese numerals, never a blank, a colon, 篇 or a
/// bracket, so it is what lies between the marker's fixed parts.
fn parts(m: &str, family: Family) -> (&str, bool) {
    let has_sep = m.ends_with([':', '：']);
    let n = match family {
        // 第 n 篇 [blank] [colon]
        Family::DiPian => m['第'.len_utf8()..].split('篇').next().unwrap_or(""),
        // bracket [blank] 篇 n [blank] bracket …
        Family::Bracketed => {
            let after = m.split_once('篇').map_or("", |(_, after)| after);
            after.split([' ', '\t', '】', ']', '〗']).next().unwrap_or("")
        }
        // 篇 n [[blank] colon] ; 范文 n [[blank] colon] (two characters of
        // three bytes)
        Family::Pian | Family::Model => {
            let skip = if family == Family::Pian { '篇'.len_utf8() } else { 6 };
            m[skip..].trim_end_matches([':', '：']).trim_end_matches([' ', '\t'])
        }
        Family::TitleNumber => m,
    };
    (n, has_sep)
}

fn candidates(text: &str) -> Vec<Marker> {
    let mut out = Vec::new();
    let mut push = |start: usize,
                    end: usize,
                    marker: &str,
                    n: &str,
                    family: Family,
                    title_before: Option<String>,
                    essay_start: usize| {
        if let Some(number) = parse_numeral(n) {
            out.push(Marker { essay_start, start, end, text: marker.to_string(), number, family, title_before });
        }
    };
    // Every family but the last needs one of these characters: most texts
    // have none, and a look for them is far cheaper than the searches.
    // (Nor is a pattern compiled for a text it cannot match: the patterns
    // are a millisecond of a small file's start-up.)
    let with_pian = text.contains('篇');
    let with_model = text.contains('范') || text.contains('範');
    // (Matches, not captures: the number and the separator are read off the
    // match, see `parts`; resolving the groups cost more than the search.)
    let di_pian = with_pian.then(|| DI_PIAN.find_iter(text)).into_iter().flatten();
    for m in di_pian {
        let (n, _) = parts(m.as_str(), Family::DiPian);
        let marker = format!("第{n}篇");
        push(m.start(), m.end(), &marker, n, Family::DiPian, None, m.start());
    }
    for m in with_pian.then(|| BRACKETED.find_iter(text)).into_iter().flatten() {
        let (n, _) = parts(m.as_str(), Family::Bracketed);
        let marker = m.as_str().trim_end_matches([':', '：', ' ']).to_string();
        push(m.start(), m.end(), &marker, n, Family::Bracketed, None, m.start());
    }
    for (re, family, present) in [(&PIAN, Family::Pian, with_pian), (&MODEL, Family::Model, with_model)] {
        for m in present.then(|| re.find_iter(text)).into_iter().flatten() {
            let (n, has_sep) = parts(m.as_str(), family);
            // `第1篇` is the other family; `这篇一` is prose.
            if family == Family::Pian
                && text[..m.start()].ends_with(|ch: char| {
                    ch == '第' || ch == '【' || ch == '[' || ch == '这' || ch == '那' || ch == '每'
                })
            {
                continue;
            }
            let at_line_start = blank_to_line_start(text, m.start());
            let at_line_end = blank_to_line_end(text, m.end());
            if !(at_line_start || at_line_end || has_sep) {
                continue;
            }
            let marker = m.as_str().trim_end_matches([':', '：', ' ']).to_string();
            if at_line_end && !at_line_start {
                let Some(ls) = short_line_start(text, m.start(), MAX_TITLE_BEFORE) else {
                    continue;
                };
                let before = text[ls..m.start()].trim();
                if before.contains('。') {
                    continue;
                }
                push(m.start(), m.end(), &marker, n, family, Some(before.to_string()), ls);
            } else {
                push(m.start(), m.end(), &marker, n, family, None, m.start());
            }
        }
    }
    // Only lines that end in a digit can match: testing the line's end
    // first spares a regex search over every line of the text.
    let mut line_start = 0;
    let numbered_lines = split_inclusive_at_byte(text, b'\n').filter_map(|line| {
        let at = line_start;
        line_start += line.len();
        let line = line.strip_suffix('\n').unwrap_or(line);
        line.trim_end_matches([' ', '\t']).ends_with(|c: char| c.is_ascii_digit()).then_some((at, line))
    });
    for (at, c) in numbered_lines.filter_map(|(at, line)| TITLE_NUMBER.captures(line).map(|c| (at, c))) {
        let essay_start = at + c.get(0).expect("m").start();
        let n = c.name("n").expect("n");
        let title = c["title"].trim();
        if !(4..=60).contains(&title.chars().count())
            || title.contains('。')
            || title.ends_with(['年', '第', '月', '日', '号', '共', '页'])
        {
            continue;
        }
        let (start, end) = (at + n.start(), at + n.end());
        push(start, end, n.as_str(), n.as_str(), Family::TitleNumber, Some(title.to_string()), essay_start);
    }
    out.sort_by_key(|m| (m.family, m.start));
    out
}

/// The essay markers of `text`, in order; empty when the text is not a
/// collection of marked essays.
pub fn find(text: &str, doc_title: Option<&str>, declared: Option<u32>) -> Vec<Marker> {
    let all = candidates(text);
    let mut best: Vec<Marker> = Vec::new();
    for family in [Family::DiPian, Family::Bracketed, Family::Pian, Family::Model, Family::TitleNumber] {
        let mut chain: Vec<Marker> = Vec::new();
        for m in all.iter().filter(|m| m.family == family) {
            let want = chain.len() as u32 + 1;
            if m.number == want && chain.last().is_none_or(|l| m.start >= l.end) {
                chain.push(m.clone());
            }
        }
        if family == Family::TitleNumber {
            chain = title_number_chain(chain, doc_title);
        }
        if let Some(d) = declared {
            chain.truncate(d as usize);
        }
        if chain.len() > best.len() {
            best = chain;
        }
    }
    let collection = declared.is_some_and(|d| d >= 2)
        || doc_title.is_some_and(|t| COLLECTION_WORDS.iter().any(|w| t.contains(w)))
        || best
            .first()
            .and_then(|m| m.title_before.as_deref())
            .is_some_and(|t| COLLECTION_WORDS.iter().any(|w| t.contains(w)));
    if best.len() == 1 {
        let m = &best[0];
        let rest_of_line = text[m.end..].split('\n').next().unwrap_or("");
        let own_line = blank_to_line_start(text, m.start) && rest_of_line.trim().chars().count() <= MAX_TITLE_BEFORE
            || m.title_before.is_some();
        // A lone `TITLE1` needs its title to be the collection's.
        let keep = if m.family == Family::TitleNumber { collection } else { collection || own_line };
        if !keep {
            best.clear();
        }
    }
    best
}

/// `TITLE1 … TITLE2`: the titles before the numbers must be the same, or,
/// for a single one, resemble the document's title.
fn title_number_chain(chain: Vec<Marker>, doc_title: Option<&str>) -> Vec<Marker> {
    let Some(first) = chain.first() else {
        return chain;
    };
    let stem = compare_key(first.title_before.as_deref().unwrap_or(""));
    if chain.len() >= 2 {
        let same: Vec<Marker> = chain
            .iter()
            .take_while(|m| compare_key(m.title_before.as_deref().unwrap_or("")) == stem)
            .cloned()
            .collect();
        return if same.len() >= 2 { same } else { Vec::new() };
    }
    let Some(title) = doc_title else {
        return Vec::new();
    };
    let title_key = compare_key(&title_stem(title));
    let shared = common_prefix(&stem, &title_key);
    if shared >= 4 && shared * 10 >= stem.chars().count() * 7 { chain } else { Vec::new() }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Removes the collection count from an essay title written before its
/// marker: `演講比賽領導開場致辭(匯總16篇)` → `演講比賽領導開場致辭`.
pub fn essay_title_before(raw: &str) -> String {
    let stem = title_stem(raw);
    let stem =
        stem.trim_end_matches(|c: char| !is_han(c) && !c.is_alphanumeric() && !matches!(c, '”' | '》' | ')' | '）'));
    if stem.is_empty() { raw.trim().to_string() } else { stem.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number and separator read off a match are those the pattern's
    /// groups capture, on every text of up to four pieces that the
    /// patterns' parts make (blanks, colons, brackets, numerals of both
    /// kinds and lengths around their limits, other characters).
    #[test]
    fn the_parts_read_off_a_match_are_its_groups() {
        let pieces = [
            "第",
            "篇",
            "范文",
            "範本",
            "【",
            "]",
            "〖",
            "〗",
            " ",
            "\t",
            ":",
            "：",
            "1",
            "23",
            "4567",
            "一",
            "十二",
            "壹贰叁肆伍",
            "x",
            "这",
            "【篇",
            "[ 篇",
        ];
        let texts = crate::text::texts_of(&pieces, 4);
        let mut matched = [0usize; 4];
        for text in &texts {
            for (k, (re, family)) in [
                (&*DI_PIAN, Family::DiPian),
                (&*BRACKETED, Family::Bracketed),
                (&*PIAN, Family::Pian),
                (&*MODEL, Family::Model),
            ]
            .into_iter()
            .enumerate()
            {
                let by_groups: Vec<_> = re
                    .captures_iter(text)
                    .map(|c| {
                        let m = c.get(0).unwrap();
                        (m.range(), c["n"].to_string(), c.name("sep").is_some())
                    })
                    .collect();
                let by_match: Vec<_> = re
                    .find_iter(text)
                    .map(|m| {
                        let (n, sep) = parts(m.as_str(), family);
                        (m.range(), n.to_string(), sep && family != Family::DiPian && family != Family::Bracketed)
                    })
                    .collect();
                let by_groups: Vec<_> = by_groups
                    .into_iter()
                    .map(|(r, n, sep)| (r, n, sep && family != Family::DiPian && family != Family::Bracketed))
                    .collect();
                assert_eq!(by_match, by_groups, "{family:?} {text:?}");
                matched[k] += by_groups.len();
            }
        }
        assert!(matched.iter().all(|&n| n > 100), "{matched:?}");
    }

    fn markers(text: &str, title: Option<&str>, declared: Option<u32>) -> Vec<(String, u32)> {
        find(text, title, declared).into_iter().map(|m| (m.text, m.number)).collect()
    }

    #[test]
    fn seed_markers_glued_in_flattened_text() {
        let text = "“新质生产力”研讨交流材料8篇第1篇抓住机遇加速形成新质生产力习近平。第2篇关于新质生产力发展现状。第3篇抓好新质生产力发展的“一二三”今年";
        assert_eq!(
            markers(text, Some("“新质生产力”研讨交流材料8篇"), Some(8)),
            [("第1篇".into(), 1), ("第2篇".into(), 2), ("第3篇".into(), 3)]
        );
    }

    #[test]
    fn other_families() {
        assert_eq!(markers("选编【篇一】为人民服务正文【篇二】纪念白求恩正文", None, Some(3)).len(), 2);
        assert_eq!(markers("汇编篇1:松宝写代码。正文篇2:年终总结", None, Some(3)).len(), 2);
        let m = find(
            "心得体会的文体和方法(专业13篇)\n心得体会的文体和方法篇一\n正文",
            Some("心得体会的文体和方法(专业13篇)"),
            Some(13),
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].title_before.as_deref(), Some("心得体会的文体和方法"));
        let m = find(
            "代理记账公司绩效考核方案1\n为提高收费岗位服务质量",
            Some("代理记账公司绩效考核方案(通用6篇)"),
            Some(6),
        );
        assert_eq!(m[0].text, "1");
        let m = find("有关福建的心得体会范本一\n庚先生亲自主持兴建的。", Some("福建培训心得体会(二篇)"), Some(2));
        assert_eq!(m[0].text, "范本一");
    }

    #[test]
    fn prose_is_not_a_marker() {
        assert!(markers("这是我读的第1篇文章,写得很好。", Some("读书笔记"), None).is_empty());
        assert!(markers("全书共分三篇,上篇一共五章。", Some("读书笔记"), None).is_empty());
    }

    /// A title without 篇 skips the count's search: the stem is still the
    /// pattern's replacement, on every stretch of up to 40 characters of
    /// the dumps' text ending at or just after a 篇, and on others.
    #[test]
    fn the_stem_is_the_count_patterns_replacement() {
        let by_regex = |t: &str| COUNT.replace(t.trim(), "").trim().to_string();
        let dumps = [
            include_str!("../../fixtures/dumps/01_taowenge_qiyepeixun.txt"),
            include_str!("../../fixtures/dumps/24_360wenmi_zonghesjian.txt"),
            include_str!("../../fixtures/dumps/30_xyvh_yanjiangbisai.txt"),
        ];
        let mut with_count = 0;
        for text in dumps {
            let chars: Vec<char> = text.chars().collect();
            for end in 1..=chars.len() {
                if !chars[end.saturating_sub(3)..end].contains(&'篇') && end % 97 != 0 {
                    continue;
                }
                for len in [1, 5, 12, 25, 40] {
                    let title: String = chars[end.saturating_sub(len)..end].iter().collect();
                    let stem = title_stem(&title);
                    assert_eq!(stem, by_regex(&title), "{title:?}");
                    with_count += usize::from(stem.len() < title.trim().len());
                }
            }
        }
        assert!(with_count > 10, "the texts hold counts: {with_count}");
    }

    #[test]
    fn essay_titles_before_markers_lose_the_count() {
        assert_eq!(essay_title_before("演講比賽領導開場致辭(匯總16篇)"), "演講比賽領導開場致辭");
        assert_eq!(essay_title_before("心得体会的文体和方法"), "心得体会的文体和方法");
        assert_eq!(title_stem("代理記賬公司績效考核方案(通用6篇)"), "代理記賬公司績效考核方案");
    }
}
