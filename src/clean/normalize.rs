//! Normalisation that never changes what the text says: invisible
//! characters, HTML leftovers, full-width letters and digits, white space.
//! The whole text is never NFKC-normalised: that would also fold `，` into
//! `,` and `①` into `1`.

use std::sync::LazyLock;

use super::{Cleaner, Page};
use crate::text::{BmpSet, byte_positions, fold_fullwidth_alnum, is_cjk, is_han, is_invisible};

/// Removes zero-width and control characters and turns exotic spaces
/// (NBSP, ideographic space, em space …) into plain spaces.
pub struct Invisible;

impl Cleaner for Invisible {
    fn name(&self) -> &'static str {
        "invisible"
    }

    fn clean(&self, page: &mut Page) {
        for line in &mut page.lines {
            if let Some(stripped) = strip_invisible(&line.text) {
                line.text = stripped;
            }
        }
    }
}

/// `s` without invisible characters and controls (tabs stay), with odd
/// spaces made plain; `None` when there is nothing to change. Chinese
/// paragraphs open with ideographic spaces, so most lines do change: the
/// text between the characters that change is copied whole, not pushed
/// one character at a time, and found by their first bytes without
/// decoding the characters between.
fn strip_invisible(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out: Option<String> = None;
    let mut run = 0;
    // Only bytes that begin a character that changes are looked at (see
    // [`ODD_FIRST_BYTES`]), found sixteen at a time; none is a continuation
    // byte, so each begins a character.
    for at in byte_positions(bytes, ODD_FIRST_BYTES) {
        // Most are Chinese punctuation (`、。“”，`), which shares their
        // first bytes: three-byte characters are tested from their bytes.
        if bytes[at] & 0xF0 == 0xE0 && !CHANGED.contains_three_byte(bytes, at) {
            continue;
        }
        let c = s[at..].chars().next().expect("a character at a boundary");
        let dropped = is_invisible(c) || c.is_control() && c != '\t';
        if dropped || is_odd_space(c) {
            let out = out.get_or_insert_with(|| String::with_capacity(s.len()));
            out.push_str(&s[run..at]);
            if !dropped {
                out.push(' ');
            }
            run = at + c.len_utf8();
        }
    }
    let mut out = out?;
    out.push_str(&s[run..]);
    Some(out)
}

/// The bytes that begin the characters [`strip_invisible`] changes, as
/// ranges for [`byte_positions`]: ASCII controls, and the first bytes of C1
/// controls and U+00A0/U+00AD (`C2`), U+180E (`E1`), the U+2000 block's
/// spaces, marks and joiners (`E2`), U+3000 (`E3`) and U+FEFF/U+FFFC
/// (`EF`). Tested on every character.
const ODD_FIRST_BYTES: &[(u8, u8)] = &[(0x00, 0x1F), (0x7F, 0x7F), (0xC2, 0xC2), (0xE1, 0xE3), (0xEF, 0xEF)];

/// The characters of the plane [`strip_invisible`] changes.
static CHANGED: LazyLock<BmpSet> = LazyLock::new(|| BmpSet::from_fn_within(&ODD_RANGES, is_odd));

/// The ranges that hold every character [`is_odd`] is true of (tested).
const ODD_RANGES: [std::ops::RangeInclusive<char>; 6] = [
    '\0'..='\u{AD}',
    '\u{180E}'..='\u{180E}',
    '\u{2000}'..='\u{206F}',
    '\u{3000}'..='\u{3000}',
    '\u{FEFF}'..='\u{FEFF}',
    '\u{FFFC}'..='\u{FFFC}',
];

/// Whether [`strip_invisible`] changes `c`: an invisible character, a
/// control but the tab, an unusual space.
fn is_odd(c: char) -> bool {
    is_invisible(c) || c.is_control() && c != '\t' || is_odd_space(c)
}

/// Whether `s` has a full-width letter or digit: all of them begin with
/// the byte EF, which begins no other character this common.
fn has_fullwidth_alnum(s: &str) -> bool {
    memchr::memchr_iter(0xEF, s.as_bytes()).any(|i| s[i..].chars().next().is_some_and(|c| fold_fullwidth_alnum(c) != c))
}

fn is_odd_space(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{FFFC}')
}

/// Removes HTML tags left in text (`<br>`, `<p class=…>`, `</span>`) and
/// decodes entities (`&nbsp;`, `&#12345;`). Only tags with HTML element
/// names are touched, so `#include <stdio.h>` and `a<b` stay.
pub struct HtmlTags;

const HTML_NAMES: &[&str] = &[
    "a",
    "b",
    "i",
    "u",
    "p",
    "br",
    "hr",
    "div",
    "span",
    "font",
    "strong",
    "em",
    "img",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "sup",
    "sub",
    "center",
    "section",
    "article",
    "blockquote",
    "pre",
    "code",
    "small",
    "big",
    "label",
    "input",
    "form",
    "nav",
    "header",
    "footer",
    "html",
    "body",
    "head",
    "title",
    "meta",
    "link",
    "iframe",
];

impl Cleaner for HtmlTags {
    fn name(&self) -> &'static str {
        "html-tags"
    }

    fn clean(&self, page: &mut Page) {
        let mut removed = 0;
        for line in &mut page.lines {
            // One vectorised pass for both bytes (std's search is a word at
            // a time, and there were two).
            if memchr::memchr2(b'<', b'&', line.text.as_bytes()).is_none() {
                continue;
            }
            let (text, n) = strip_tags(&line.text);
            removed += n;
            line.text = text;
        }
        page.removed(removed);
    }
}

fn strip_tags(s: &str) -> (String, usize) {
    let mut out = String::with_capacity(s.len());
    let mut removed = 0;
    let mut rest = s;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            if let Some(len) = html_tag_len(rest) {
                removed += rest[..len].chars().count();
                rest = &rest[len..];
                continue;
            }
            out.push('<');
            rest = &rest[1..];
        } else {
            let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|j| j + 1);
            if let Some(semi) = end.filter(|&j| rest[j..].starts_with(';') && j > 1)
                && let Some(c) = crate::extract::html::decode_entity(&rest[1..semi])
            {
                out.push(c);
                removed += semi;
                rest = &rest[semi + 1..];
                continue;
            }
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    (out, removed)
}

/// Length in bytes of an HTML tag at the start of `s`, if it is one.
fn html_tag_len(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('<')?;
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let name_len = inner.bytes().take_while(|b| b.is_ascii_alphanumeric()).count();
    if name_len == 0 {
        return None;
    }
    let name = inner[..name_len].to_ascii_lowercase();
    if !HTML_NAMES.contains(&name.as_str()) {
        return None;
    }
    let after = &inner[name_len..];
    if !(after.starts_with('>') || after.starts_with(' ') || after.starts_with('/')) {
        return None;
    }
    let close = s.find('>')?;
    // A tag never spans a sentence: refuse absurdly long matches.
    (close < 300).then_some(close + 1)
}

/// Joins lines that an HTML source or a fixed-width copy wrapped in the
/// middle of a sentence: a deeply indented line (a tab, or six spaces or
/// more) that follows a long line without a sentence end continues it.
/// Paragraph indentation (two spaces) and short heading lines are left
/// alone.
pub struct HardWraps;

/// Shortest line, in characters, considered hard-wrapped.
const MIN_WRAPPED_LINE: usize = 40;

impl Cleaner for HardWraps {
    fn name(&self) -> &'static str {
        "hard-wraps"
    }

    fn clean(&self, page: &mut Page) {
        let mut out: Vec<super::Line> = Vec::with_capacity(page.lines.len());
        for line in std::mem::take(&mut page.lines) {
            let indent: String = line.text.chars().take_while(|c| c.is_whitespace()).collect();
            let deep = indent.contains('\t') || indent.chars().count() >= 6;
            let rest = line.text.trim_start();
            if deep
                && !rest.is_empty()
                && let Some(prev) = out.last_mut()
            {
                let p = prev.text.trim_end();
                if p.chars().count() >= MIN_WRAPPED_LINE
                    && p.chars().last().is_some_and(|c| !crate::text::is_terminal(c))
                {
                    let keep = p.len();
                    // Words of alphabetic scripts were separated by the wrap.
                    let latin = |c: Option<char>| c.is_some_and(|c| !is_cjk(c) && c.is_alphanumeric());
                    let space = latin(p.chars().last()) && latin(rest.chars().next());
                    prev.text.truncate(keep);
                    if space {
                        prev.text.push(' ');
                    }
                    prev.text.push_str(rest);
                    continue;
                }
            }
            out.push(line);
        }
        page.lines = out;
    }
}

/// Folds full-width ASCII letters and digits (`ＡＢＣ１２３`) to half
/// width. Full-width punctuation is the business of [`super::PunctWidth`].
pub struct WidthFold;

impl Cleaner for WidthFold {
    fn name(&self) -> &'static str {
        "width-fold"
    }

    fn clean(&self, page: &mut Page) {
        for line in &mut page.lines {
            if has_fullwidth_alnum(&line.text) {
                line.text = line.text.chars().map(fold_fullwidth_alnum).collect();
            }
        }
    }
}

/// Removes the spaces that PDF extraction and letter-spaced titles put
/// between Chinese characters (`投 标 书`, `学 号`, `成立 75 周年`),
/// keeping spaces that separate longer runs (`设计说明书 高校班级`), which
/// often stand for lost line breaks or table cells.
pub struct CjkSpacing;

impl Cleaner for CjkSpacing {
    fn name(&self) -> &'static str {
        "cjk-spacing"
    }

    fn clean(&self, page: &mut Page) {
        for line in &mut page.lines {
            if may_close_a_gap(&line.text) {
                line.text = close_cjk_gaps(&line.text);
            }
        }
    }
}

/// Whether some space of `s` stands where [`close_cjk_gaps`] may close
/// one: between Han characters, or between a Han character and a digit.
/// Most lines with spaces have none, and are then left without decoding
/// them whole.
fn may_close_a_gap(s: &str) -> bool {
    memchr::memchr_iter(b' ', s.as_bytes()).any(|i| {
        let (Some(prev), Some(next)) = (s[..i].chars().next_back(), s[i + 1..].chars().next()) else {
            return false;
        };
        is_han(prev) && (is_han(next) || next.is_ascii_digit()) || prev.is_ascii_digit() && is_han(next)
    })
}

/// Length in characters of the run of Han characters ending just before
/// index `end` (exclusive) in `chars`.
/// A word character: Han, or ASCII letters and digits glued to Han
/// (`以DS-7804H为例` is one run, not a lone `以`).
fn is_word(c: char) -> bool {
    is_han(c) || c.is_ascii_alphanumeric()
}

fn han_run_before(chars: &[char], end: usize) -> usize {
    chars[..end].iter().rev().take_while(|&&c| is_word(c)).count()
}

fn han_run_after(chars: &[char], start: usize) -> usize {
    chars[start..].iter().take_while(|&&c| is_word(c)).count()
}

/// A space at `i` between two Han characters is letter-spacing or a PDF
/// wrap when one side is a lone character, unless that lone character ends
/// (or starts) a letter-spaced run and the other side is a word: in
/// `投 标 书 建设单位` the last space separates two words.
fn letter_spaced_gap(chars: &[char], i: usize) -> bool {
    let before = han_run_before(chars, i);
    let after = han_run_after(chars, i + 1);
    if before == 1 && after == 1 {
        return true;
    }
    if before == 1 {
        let spaced_run_before =
            i >= 3 && chars[i - 2] == ' ' && is_han(chars[i - 3]) && han_run_before(chars, i - 2) == 1;
        return !spaced_run_before;
    }
    if after == 1 {
        let spaced_run_after = chars.get(i + 2) == Some(&' ')
            && chars.get(i + 3).is_some_and(|&c| is_han(c))
            && han_run_after(chars, i + 3) == 1;
        return !spaced_run_after;
    }
    false
}

fn close_cjk_gaps(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // The text not yet copied starts at byte `run`; only the spaces that
    // close are left out.
    let mut run = 0;
    for at in memchr::memchr_iter(b' ', s.as_bytes()) {
        if at > 0 && at + 1 < s.len() && gap_closes(&gap_window(s, at), GAP_REACH) {
            out.push_str(&s[run..at]);
            run = at + 1;
        }
    }
    out.push_str(&s[run..]);
    out
}

/// Characters on either side of a space that [`gap_closes`] reads: its
/// tests look at most six characters away (four digits, a space, a Han
/// character), and compare run lengths with 1 and digit counts with 4,
/// which a run cut at the window's edge still answers alike.
const GAP_REACH: usize = 8;

/// The characters around the space at byte `at`, the space at
/// [`GAP_REACH`]; places beyond the text hold NUL, which no test takes for
/// a word character, a digit or a space. Decoding only these, not the whole
/// line, keeps a long line with many spaces linear in its bytes.
fn gap_window(s: &str, at: usize) -> [char; 2 * GAP_REACH + 1] {
    let mut window = ['\0'; 2 * GAP_REACH + 1];
    window[GAP_REACH] = ' ';
    for (k, c) in s[..at].chars().rev().take(GAP_REACH).enumerate() {
        window[GAP_REACH - 1 - k] = c;
    }
    for (k, c) in s[at + 1..].chars().take(GAP_REACH).enumerate() {
        window[GAP_REACH + 1 + k] = c;
    }
    window
}

/// Whether the space `chars[i]` (not the first or last character) goes.
fn gap_closes(chars: &[char], i: usize) -> bool {
    let prev = chars[i - 1];
    let next = chars[i + 1];
    // One space between two Han characters, where one side is a lone
    // character: letter-spacing or a PDF wrap.
    if is_han(prev) && is_han(next) && letter_spaced_gap(chars, i) {
        return true;
    }
    // `成立 75 周年`, `2024 年 3 月`: a short number set off by spaces
    // inside Chinese prose.
    if is_han(prev) && next.is_ascii_digit() {
        let digits = chars[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let after = chars.get(i + 1 + digits).copied();
        let then = chars.get(i + 2 + digits).copied();
        if digits <= 4 && (after.is_some_and(is_han) || after == Some(' ') && then.is_some_and(is_han)) {
            return true;
        }
    }
    if prev.is_ascii_digit() && is_han(next) {
        let digits = chars[..i].iter().rev().take_while(|c| c.is_ascii_digit()).count();
        let before = (i > digits).then(|| chars[i - digits - 1]);
        if digits <= 4 && before.is_none_or(|b| !b.is_ascii_alphanumeric() && b != '.') {
            return true;
        }
    }
    false
}

/// Trims lines, folds runs of spaces and tabs into one space, and removes
/// empty lines.
pub struct WhiteSpace;

/// `s` with every run of spaces and tabs made one space. Both are ASCII, so
/// the text between runs is copied as it is, not character by character.
fn fold_spaces(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Bytes before `copied` are in `out` or folded.
    let mut copied = 0;
    for at in memchr::memchr2_iter(b' ', b'\t', bytes) {
        if at < copied {
            continue;
        }
        out.push_str(&s[copied..at]);
        out.push(' ');
        copied = at + bytes[at..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    }
    out.push_str(&s[copied..]);
    out
}

impl Cleaner for WhiteSpace {
    fn name(&self) -> &'static str {
        "white-space"
    }

    fn clean(&self, page: &mut Page) {
        for line in &mut page.lines {
            let trimmed = line.text.trim();
            // A tab, or a space before a space or a tab: one pass over
            // the spaces and tabs of the line.
            let bytes = trimmed.as_bytes();
            let needs_fold = trimmed.len() != line.text.len()
                || memchr::memchr2_iter(b' ', b'\t', bytes)
                    .any(|i| bytes[i] == b'\t' || matches!(bytes.get(i + 1), Some(b' ' | b'\t')));
            if needs_fold {
                line.text = fold_spaces(trimmed);
            }
        }
        page.lines.retain(|l| !l.text.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_checks_agree_with_the_character_tests_on_every_character() {
        let all = (0..=0x2_FFFFu32).filter_map(char::from_u32);
        for c in all {
            let one = format!("中{c}文");
            let changes = is_invisible(c) || c.is_control() && c != '\t' || is_odd_space(c);
            assert_eq!(strip_invisible(&one).is_some(), changes, "{:04X}", c as u32);
            assert_eq!(has_fullwidth_alnum(&one), fold_fullwidth_alnum(c) != c, "{:04X}", c as u32);
        }
        assert!(strip_invisible("，。“”《》、；：？！（）——…\t").is_none() && !has_fullwidth_alnum("，。（）！：；？"));
        assert_eq!(BmpSet::outside(&ODD_RANGES, is_odd), [], "characters stripped outside the ranges");
        // Stripping, against the character-by-character form.
        let by_chars = |s: &str| -> String {
            s.chars()
                .filter(|&c| !is_invisible(c) && (!c.is_control() || c == '\t'))
                .map(|c| if is_odd_space(c) { ' ' } else { c })
                .collect()
        };
        let is_odd = |c: char| is_invisible(c) || c.is_control() || is_odd_space(c);
        let mut odd: Vec<char> = (0..=0x2_FFFFu32).filter_map(char::from_u32).filter(|&c| is_odd(c)).collect();
        odd.extend(['中', 'a', '，', '“', '\u{3001}']);
        for (i, &c) in odd.iter().enumerate() {
            let d = odd[(i * 7 + 3) % odd.len()];
            let s = format!("　　{c}文{d}{c}a\t{d}");
            assert_eq!(strip_invisible(&s).unwrap_or_else(|| s.clone()), by_chars(&s), "{s:?}");
            // At every offset of the sixteen-byte steps, and across them.
            let pad = "a".repeat(i % 33);
            let s = format!("{pad}　中{c}，{d}文{c}“{pad}{d}");
            assert_eq!(strip_invisible(&s).unwrap_or_else(|| s.clone()), by_chars(&s), "{s:?}");
        }
    }

    /// Texts of the characters the space rules tell apart, from a fixed
    /// seed: Han characters, digits, letters, spaces, tabs, punctuation.
    fn spaced_texts() -> Vec<String> {
        let alphabet = ['中', '文', '学', '号', ' ', ' ', '\t', '1', '2', '0', 'a', 'B', '.', '，', '年', '（'];
        let mut state = 0x2545_F491_u32;
        (0..4000)
            .map(|n| {
                (0..n % 40 + 1)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 17;
                        state ^= state << 5;
                        alphabet[state as usize % alphabet.len()]
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn spaces_fold_as_character_by_character() {
        let by_chars = |s: &str| {
            let mut out = String::new();
            let mut last_space = false;
            for c in s.chars() {
                let space = c == ' ' || c == '\t';
                if !(space && last_space) {
                    out.push(if space { ' ' } else { c });
                }
                last_space = space;
            }
            out
        };
        for s in spaced_texts() {
            assert_eq!(fold_spaces(&s), by_chars(&s), "{s:?}");
        }
    }

    #[test]
    fn gaps_close_as_when_the_whole_line_is_read() {
        // The rules read on the whole line's characters.
        let whole_line = |s: &str| {
            let chars: Vec<char> = s.chars().collect();
            let mut out = String::new();
            for (i, &c) in chars.iter().enumerate() {
                if !(c == ' ' && i > 0 && i + 1 < chars.len() && gap_closes(&chars, i)) {
                    out.push(c);
                }
            }
            out
        };
        let mut closed = 0;
        for s in spaced_texts() {
            let got = close_cjk_gaps(&s);
            assert_eq!(got, whole_line(&s), "{s:?}");
            closed += usize::from(got != s);
        }
        // The texts exercise the rules, not only the copying.
        assert!(closed > 500, "{closed}");
        // At the window's reach: four digits, a space, then a Han character.
        for s in [
            "中 1234 年",
            "中 12345 年",
            "a1234 中",
            "中中 中 中中",
            &format!("{}1 中 {}", "中".repeat(30), "22222 年".repeat(3)),
        ] {
            assert_eq!(close_cjk_gaps(s), whole_line(s), "{s:?}");
        }
    }

    fn run(cleaner: &dyn Cleaner, text: &str) -> String {
        let mut page = Page::from_text(text);
        cleaner.clean(&mut page);
        page.text()
    }

    #[test]
    fn invisible_characters_go_and_odd_spaces_become_spaces() {
        assert_eq!(run(&Invisible, "新\u{200B}质\u{FEFF}生产力\u{3000}发展\u{00A0}!"), "新质生产力 发展 !");
    }

    #[test]
    fn html_tags_and_entities() {
        // From dumps/38: a Baidu Wenku copy inside an HTML page.
        assert_eq!(run(&HtmlTags, "投标书<br>建设单位：&nbsp;[名称]</p>"), "投标书建设单位： [名称]");
        assert_eq!(run(&HtmlTags, "#include <stdio.h> if a<b"), "#include <stdio.h> if a<b");
    }

    #[test]
    fn fullwidth_letters_and_digits_fold() {
        assert_eq!(run(&WidthFold, "２０２４年ＧＤＰ增长，"), "2024年GDP增长，");
    }

    #[test]
    fn letter_spacing_and_pdf_gaps_close() {
        // dumps/08, dumps/38, dumps/22, dumps/42.
        assert_eq!(close_cjk_gaps("学 号 1118064050 班 级"), "学号 1118064050 班级");
        assert_eq!(close_cjk_gaps("投 标 书 建设单位"), "投标书 建设单位");
        assert_eq!(close_cjk_gaps("成立 75 周年,2024 年 3 月 5 日"), "成立75周年,2024年3月5日");
        assert_eq!(close_cjk_gaps("用 户名和密码 与前端 硬盘录像 机统一"), "用户名和密码 与前端 硬盘录像 机统一");
        assert_eq!(close_cjk_gaps("设计说明书 高校班级"), "设计说明书 高校班级");
        assert_eq!(close_cjk_gaps("hello world"), "hello world");
    }

    /// Lines the quick test passes over are lines no gap closes in.
    #[test]
    fn lines_without_a_possible_gap_are_left_alone() {
        let dumps = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dumps");
        let mut lines: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(dumps).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            lines.extend(text.lines().map(String::from));
        }
        lines.extend(
            ["a 中", "中 a", "中 ", " 中", "1 2", "中 1", "1 中", "中　文", "， 中", "中 ，"].map(String::from),
        );
        let (mut skipped, mut closing) = (0, 0);
        for line in lines.iter().filter(|l| l.contains(' ')) {
            let closes = close_cjk_gaps(line) != *line;
            closing += usize::from(closes);
            if !may_close_a_gap(line) {
                skipped += 1;
                assert!(!closes, "{line:?}");
            }
        }
        assert!(skipped > 10 && closing > 5, "{skipped} skipped, {closing} closing");
    }

    #[test]
    fn html_source_wraps_are_joined() {
        // dumps/38: a Baidu Wenku text inside an indented HTML paragraph.
        let text = "1、根据已收到的招标编号为[招标文件编号 ] 的[工程名称 ]工程的招标文件，我单位经考察现场后\n        \t工程的招标文 件，遵照规定。\n  第二段缩进两格。";
        let mut page = Page::from_text(text);
        HardWraps.clean(&mut page);
        assert_eq!(page.lines.len(), 2);
        assert!(page.lines[0].text.ends_with("考察现场后工程的招标文 件，遵照规定。"));
    }

    #[test]
    fn wraps_between_latin_words_keep_a_space() {
        // pandoc's adjacent_codeblocks.docx: indented lines of a console copy.
        let text = "eth0      Link encap:Ethernet  HWaddr 00:0c:29:69:12:7c\n          inet addr:172.16.0.108";
        let mut page = Page::from_text(text);
        HardWraps.clean(&mut page);
        assert_eq!(page.lines.len(), 1);
        assert!(page.lines[0].text.ends_with("12:7c inet addr:172.16.0.108"), "{}", page.lines[0].text);
    }

    #[test]
    fn white_space_folds() {
        assert_eq!(run(&WhiteSpace, "  1.0  序言\t\t正文 \n\n  \n下一行"), "1.0 序言 正文\n下一行");
    }
}
