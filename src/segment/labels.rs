//! Section labels: `一、` `(一)` `1、` `1.` `(1)` `1)` `⑴` `①` `第一,`
//! `第一章` `第二节` `第一部分` `第一步` `1.1` `1.1.1`.
//!
//! [`scan`] finds every place in a text that looks like a label, without
//! judging whether it really starts a section; [`super::sections`] decides
//! that from the sequence the labels form and the context they stand in.

use std::sync::LazyLock;

use crate::text::BmpSet;
use crate::text::numeral::{chinese_digit, enclosed_value, is_chinese_numeral_char, parse_chinese};

/// The kind of a label: labels of one style number one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    /// `一、` `一.` `一，`
    CnComma,
    /// `(一)` `（一）`
    CnParen,
    /// `第一，` `第一、` `第一：`
    Ordinal,
    /// `第一章`
    Chapter,
    /// `第一节`
    Section,
    /// `第一部分`, `第一编`, `第一卷`
    Part,
    /// `第一步`
    Step,
    /// `1、` `1.` `1．` (one list: documents mix the separators)
    Arabic,
    /// `(1)` `（1）`
    ArabicParen,
    /// `1)` `1）` at the start of a line
    ArabicHalfParen,
    /// `①`
    Circled,
    /// `⑴`
    ParenDigit,
    /// `⒈`
    DotDigit,
    /// `Ⅰ、` `Ⅰ.`
    Roman,
    /// `1.1` (2 parts), `1.1.1` (3 parts) …
    Decimal(u8),
    /// `第一条`: never a section here, but a heading never runs past it.
    Article,
}

/// One place that looks like a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Byte offset where the label starts.
    pub start: usize,
    /// Byte offset just after the label (and its separator).
    pub end: usize,
    /// The label's style.
    pub style: Style,
    /// Its value (the last part for decimal labels).
    pub number: u32,
    /// The parts of a decimal label (`1.2.3` → [1, 2, 3]).
    pub parts: Vec<u32>,
    /// Only white space stands between the start of the line and the label.
    pub line_start: bool,
    /// The closest character before the label that is not white space.
    pub prev: Option<char>,
    /// White space stands right before the label.
    pub space_before: bool,
}

impl Label {
    /// The label as written in `text`.
    pub fn as_str<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Characters that keep a number from being a label when they follow it
/// (`3.5%`, `1.2亿元`, `2、3季度` are amounts, not labels).
fn is_unit(c: char) -> bool {
    matches!(
        c,
        '%' | '％'
            | '亿'
            | '万'
            | '元'
            | '倍'
            | '个'
            | '年'
            | '月'
            | '日'
            | '号'
            | '次'
            | '米'
            | '吨'
            | '斤'
            | '岁'
            | '季'
            | '天'
            | '名'
            | '人'
            | '家'
            | '项'
            | '条'
            | '位'
            | '版'
            | '期'
            | '届'
            | '级'
            | '班'
            | '时'
            | '分'
            | '秒'
    )
}

fn parse_digits(s: &str) -> (usize, Option<u32>) {
    let len = s.bytes().take_while(|b| b.is_ascii_digit()).count();
    (len, if len == 0 || len > 3 { None } else { s[..len].parse().ok() })
}

/// Finds every label-like place in `text`.
pub fn scan(text: &str) -> Vec<Label> {
    let bytes = text.as_bytes();
    // (Forced once here, not at every character.)
    let openers: &BmpSet = &OPENERS;
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        // Nearly every character opens no label: the line and the
        // characters before one are looked at only where one may open.
        // ASCII and Chinese characters are tested without decoding.
        i = openers.skip_others(bytes, i);
        if i >= bytes.len() {
            break;
        }
        let at = i;
        let c = text[at..].chars().next().expect("a character at a boundary");
        i += c.len_utf8();
        if !may_open(c) {
            continue;
        }
        let before = &text[..at];
        let prev_raw = before.chars().next_back();
        if let Some(mut label) = label_at(text, at, c, prev_raw) {
            // The last character before the label on its line, white space
            // aside; none at the start of a line.
            label.prev = before.chars().rev().take_while(|&c| c != '\n').find(|c| !c.is_whitespace());
            label.line_start = label.prev.is_none();
            label.space_before = prev_raw.is_some_and(char::is_whitespace);
            out.push(label);
        }
    }
    out
}

/// Characters of the Basic Multilingual Plane that can open a label:
/// nearly every character of a text opens none, and one bit test is far
/// cheaper than [`label_at`]'s checks.
static OPENERS: LazyLock<BmpSet> = LazyLock::new(|| BmpSet::from_fn_within(&OPENER_RANGES, opens));

/// The ranges that hold every character that can open a label (tested):
/// ASCII digits and brackets, Roman and enclosed numerals, `○`, `〇`, the
/// unified ideographs, the full-width bracket and letter O.
const OPENER_RANGES: [std::ops::RangeInclusive<char>; 9] = [
    '('..='9',
    '\u{2160}'..='\u{24FF}',
    '\u{25CB}'..='\u{25CB}',
    '\u{2776}'..='\u{2793}',
    '\u{3007}'..='\u{3007}',
    '\u{3251}'..='\u{32BF}',
    '\u{4E00}'..='\u{9FFF}',
    '\u{FF08}'..='\u{FF08}',
    '\u{FF2F}'..='\u{FF2F}',
];

/// Whether `c` can open a label: what [`label_at`] looks for first.
fn opens(c: char) -> bool {
    matches!(c, '第' | '(' | '（' | '0'..='9' | '十') || enclosed_value(c).is_some() || chinese_digit(c).is_some()
}

/// True when `c` may open a label (the first test of [`label_at`]).
fn may_open(c: char) -> bool {
    c as u32 >= 0x1_0000 || OPENERS.contains(c)
}

/// The label at the very start of `text`, if one starts there (what
/// [`scan`] would find first at offset 0, without scanning the rest).
pub fn at_start(text: &str) -> Option<Label> {
    let c = text.chars().next()?;
    let mut label = label_at(text, 0, c, None)?;
    label.line_start = true;
    Some(label)
}

fn label_at(text: &str, i: usize, c: char, prev_raw: Option<char>) -> Option<Label> {
    let rest = &text[i..];
    let make = |len: usize, style: Style, number: u32, parts: Vec<u32>| Label {
        start: i,
        end: i + len,
        style,
        number,
        parts,
        line_start: false,
        prev: None,
        space_before: false,
    };
    match c {
        '第' => {
            let after = &rest['第'.len_utf8()..];
            let (num_len, number) = numeral_prefix(after)?;
            let tail = &after[num_len..];
            let base = '第'.len_utf8() + num_len;
            let next = tail.chars().next()?;
            let style = match next {
                '章' => Style::Chapter,
                '节' | '節' => Style::Section,
                '部' if tail.starts_with("部分") => Style::Part,
                '编' | '編' | '卷' => Style::Part,
                '步' => Style::Step,
                '条' | '條' => Style::Article,
                '，' | ',' | '、' | '：' | ':' if after.chars().next().is_some_and(is_chinese_numeral_char) => {
                    Style::Ordinal
                }
                _ => return None,
            };
            let mut len = base
                + match style {
                    Style::Part if tail.starts_with("部分") => "部分".len(),
                    _ => next.len_utf8(),
                };
            // A colon after `第一步` belongs to the label as written.
            if style == Style::Step
                && let Some(colon) = text[i + len..].chars().next().filter(|c| matches!(c, ':' | '：'))
            {
                len += colon.len_utf8();
            }
            Some(make(len, style, number, Vec::new()))
        }
        '(' | '（' => {
            let inner = &rest[c.len_utf8()..];
            let (len, number, style) = if inner.starts_with(|c: char| c.is_ascii_digit()) {
                let (len, n) = parse_digits(inner);
                (len, n?, Style::ArabicParen)
            } else {
                let (len, n) = numeral_prefix(inner)?;
                (len, n, Style::CnParen)
            };
            let close = inner[len..].chars().next()?;
            if !matches!(close, ')' | '）') {
                return None;
            }
            Some(make(c.len_utf8() + len + close.len_utf8(), style, number, Vec::new()))
        }
        '0'..='9' => {
            if prev_raw.is_some_and(|p| p.is_ascii_digit() || p == '.' || p == '．' || p == '-' || p == '/') {
                return None;
            }
            let (len, number) = parse_digits(rest);
            let number = number?;
            let after = &rest[len..];
            let sep = after.chars().next()?;
            match sep {
                '、' => {
                    let next = after['、'.len_utf8()..].chars().next();
                    if next.is_some_and(|n| n.is_ascii_digit()) {
                        return None;
                    }
                    Some(make(len + sep.len_utf8(), Style::Arabic, number, Vec::new()))
                }
                '.' | '．' => {
                    let tail = &after[sep.len_utf8()..];
                    if tail.starts_with(|c: char| c.is_ascii_digit()) {
                        decimal_label(rest).map(|(len, parts)| {
                            let number = *parts.last().expect("parts");
                            let style = Style::Decimal(parts.len() as u8);
                            make(len, style, number, parts)
                        })
                    } else {
                        let next = tail.chars().next();
                        // `1.` then text; not `Fig. 1.` nor a number at the end
                        // of a sentence (`共3.`).
                        if next.is_none_or(|n| n == '\n' || is_unit(n)) {
                            return None;
                        }
                        Some(make(len + sep.len_utf8(), Style::Arabic, number, Vec::new()))
                    }
                }
                ')' | '）' if !prev_raw.is_some_and(|p| p == '(' || p == '（') => {
                    Some(make(len + sep.len_utf8(), Style::ArabicHalfParen, number, Vec::new()))
                }
                _ => None,
            }
        }
        _ => {
            if let Some(n) = enclosed_value(c) {
                let style = match c as u32 {
                    0x2460..=0x2473 | 0x3251..=0x325F | 0x32B1..=0x32BF | 0x2776..=0x2793 | 0x24F5..=0x24FE => {
                        Style::Circled
                    }
                    0x2474..=0x2487 => Style::ParenDigit,
                    0x2488..=0x249B => Style::DotDigit,
                    _ => {
                        // Roman numerals need a separator.
                        let sep = rest[c.len_utf8()..].chars().next()?;
                        if !matches!(sep, '、' | '.' | '．') {
                            return None;
                        }
                        return Some(make(c.len_utf8() + sep.len_utf8(), Style::Roman, n, Vec::new()));
                    }
                };
                return Some(make(c.len_utf8(), style, n, Vec::new()));
            }
            if chinese_digit(c).is_some() || c == '十' {
                if prev_raw.is_some_and(|p| is_chinese_numeral_char(p) || p == '第' || p == '其' || p == '之') {
                    return None;
                }
                // The separator first: nearly every numeral in prose is
                // followed by a word (`一个`), and the numeral's value is
                // only needed for a label.
                let len = chinese_numeral_len(rest);
                let sep = rest[len..].chars().next()?;
                if !matches!(sep, '、' | '.' | '．' | '，' | ',') {
                    return None;
                }
                let number = parse_chinese(&rest[..len]).filter(|&n| n > 0)?;
                // `一.5`, `一,二`, `一、二` are not labels; `三、2020年总结` is.
                let next = rest[len + sep.len_utf8()..].chars().next();
                if next.is_none_or(|n| n.is_ascii_digit() && sep != '、' || is_chinese_numeral_char(n) || n == '\n') {
                    return None;
                }
                return Some(make(len + sep.len_utf8(), Style::CnComma, number, Vec::new()));
            }
            None
        }
    }
}

/// A Chinese or Arabic numeral at the start of `s`: (byte length, value).
fn numeral_prefix(s: &str) -> Option<(usize, u32)> {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        let (len, n) = parse_digits(s);
        return n.map(|n| (len, n));
    }
    let len = chinese_numeral_len(s);
    if len == 0 {
        return None;
    }
    parse_chinese(&s[..len]).filter(|&n| n > 0).map(|n| (len, n))
}

/// Bytes of the Chinese numeral characters (five at most) `s` begins with.
fn chinese_numeral_len(s: &str) -> usize {
    s.chars().take_while(|&c| is_chinese_numeral_char(c)).take(5).map(char::len_utf8).sum()
}

/// `1.2` or `1.2.3` at the start of `s`, with an optional trailing `.`.
fn decimal_label(s: &str) -> Option<(usize, Vec<u32>)> {
    let mut parts = Vec::new();
    let mut pos = 0;
    loop {
        let (len, n) = parse_digits(&s[pos..]);
        parts.push(n?);
        pos += len;
        let rest = &s[pos..];
        let Some(sep) = rest.chars().next().filter(|c| matches!(c, '.' | '．')) else {
            break;
        };
        if !rest[sep.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()) {
            // A trailing dot closes the label: `1.1.`
            pos += sep.len_utf8();
            break;
        }
        pos += sep.len_utf8();
        if parts.len() == 4 {
            return None;
        }
    }
    if parts.len() < 2 || parts.iter().any(|&p| p > 99) {
        return None;
    }
    let next = s[pos..].chars().next();
    if next.is_some_and(|n| is_unit(n) || n.is_ascii_alphanumeric() && !n.is_ascii_uppercase() || n == '/') {
        return None;
    }
    Some((pos, parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_openers_start_labels() {
        // The bitmap must never hide a label: no character outside it opens
        // one, whatever follows.
        let tails = ["、文", ".文", "．文", "章", "条", "一章", "1)", ")", "）", "，文"];
        let mut openers = 0;
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            if may_open(c) {
                openers += 1;
                continue;
            }
            for tail in tails {
                let text = format!("{c}{tail}");
                assert!(label_at(&text, 0, c, None).is_none(), "{text}");
            }
        }
        assert!((60..300).contains(&openers), "{openers}");
        assert_eq!(BmpSet::outside(&OPENER_RANGES, opens), [], "characters that open labels outside the ranges");
    }

    fn labels(text: &str) -> Vec<(String, Style, u32)> {
        scan(text).into_iter().map(|l| (l.as_str(text).to_string(), l.style, l.number)).collect()
    }

    #[test]
    fn label_styles() {
        let text =
            "一、总则(一)目的1、范围1.适用(1)对象⑴人员①员工第一，原则第二章 组织第三节 机构1.1概念1.2.1定义第一步:打开";
        let got = labels(text);
        let styles: Vec<Style> = got.iter().map(|g| g.1).collect();
        assert_eq!(
            styles,
            [
                Style::CnComma,
                Style::CnParen,
                Style::Arabic,
                Style::Arabic,
                Style::ArabicParen,
                Style::ParenDigit,
                Style::Circled,
                Style::Ordinal,
                Style::Chapter,
                Style::Section,
                Style::Decimal(2),
                Style::Decimal(3),
                Style::Step,
            ]
        );
        assert_eq!(got[12].0, "第一步:");
        assert_eq!(got[10].0, "1.1");
    }

    #[test]
    fn numbers_that_are_not_labels() {
        assert!(labels("增长3.5%，达到1.2亿元，共2、3季度").is_empty());
        assert!(labels("十一、").is_empty() || labels("十一、二")[0].2 == 11);
        assert_eq!(labels("十一、改革")[0].2, 11);
        assert!(labels("之一、其一、第一条").iter().all(|l| l.1 == Style::Article));
    }

    #[test]
    fn context_is_recorded() {
        let text = "正文。\n  二、标题";
        let l = &scan(text)[0];
        assert!(l.line_start);
        assert_eq!(l.prev, None);
        let l = &scan("发力。一、科技")[0];
        assert_eq!(l.prev, Some('。'));
        assert!(!l.line_start);
    }
}
