//! Punctuation width, by policy ([`PunctPolicy`]):
//!
//! * `cjk`: `, ; : ? ! ( )` become full-width where they sit in Chinese
//!   prose (a Chinese character on the left, and on the right a Chinese
//!   character, the end of the line, or an opening quote), and are left
//!   alone in numbers (`1,000`), Latin text and code. A pair of ASCII
//!   parentheses becomes full-width when it encloses Chinese text.
//! * `ascii`: the reverse: full-width `，；：？！（）` become ASCII.
//! * `keep`: nothing changes.

use super::{Cleaner, Page};
use crate::PunctPolicy;
use crate::text::{byte_positions, is_cjk, is_han};

/// Applies the punctuation policy.
pub struct PunctWidth(pub PunctPolicy);

impl Cleaner for PunctWidth {
    fn name(&self) -> &'static str {
        "punct-width"
    }

    fn clean(&self, page: &mut Page) {
        // One list of marks for all lines: a list per line was an
        // allocation and a few regrowths per line.
        let mut marks = Vec::new();
        for line in &mut page.lines {
            match self.0 {
                PunctPolicy::Keep => {}
                PunctPolicy::Cjk => {
                    marks.clear();
                    // (A loop: `extend` took the stage from 0.16 to 0.26 s.)
                    for at in byte_positions(line.text.as_bytes(), MARKS) {
                        marks.push(at);
                    }
                    if let Some(converted) = (!marks.is_empty()).then(|| widen(&line.text, &marks)).flatten() {
                        line.text = converted;
                    }
                }
                PunctPolicy::Ascii => {
                    if line.text.contains(['，', '；', '：', '？', '！', '（', '）']) {
                        line.text = to_ascii(&line.text);
                    }
                }
            }
        }
    }
}

fn full_width(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        other => other,
    }
}

/// Converts ASCII punctuation in Chinese prose to full width (what the
/// cleaner does to each line, as one call for the tests).
#[cfg(test)]
fn to_cjk(s: &str) -> String {
    widen(s, &mark_positions(s.as_bytes())).unwrap_or_else(|| s.to_string())
}

/// The byte positions of the ASCII marks of `bytes`.
#[cfg(test)]
fn mark_positions(bytes: &[u8]) -> Vec<usize> {
    byte_positions(bytes, MARKS).collect()
}

/// The ASCII marks the `cjk` policy may widen, `, ; : ? ! ( )`, as ranges
/// for [`byte_positions`], which finds them sixteen bytes at a time (`(`
/// and `)` are adjacent, so are `:` and `;`).
const MARKS: &[(u8, u8)] = &[(b'!', b'!'), (b'(', b')'), (b',', b','), (b':', b';'), (b'?', b'?')];

/// Converts the ASCII punctuation of Chinese prose at `marks` (the byte
/// positions of the marks of `s`) to full width; `None` when none changes.
///
/// Works on the byte positions of the ASCII marks (one byte each) and
/// copies the text between them: most lines have a few marks, and
/// decoding every character of them was a clean pass's largest cost.
fn widen(s: &str, marks: &[usize]) -> Option<String> {
    let bytes = s.as_bytes();
    let mut converted = vec![false; marks.len()];
    // Parentheses: convert a matched pair that encloses Chinese text.
    let mut stack = Vec::new();
    for (k, &close) in marks.iter().enumerate() {
        match bytes[close] {
            b'(' => stack.push(k),
            b')' => {
                if let Some(o) = stack.pop() {
                    let open = marks[o];
                    let inner = &s[open + 1..close];
                    let left_han = s[..open].chars().next_back().is_some_and(is_han);
                    let inner_han = inner.chars().any(is_han);
                    let inner_code = inner.bytes().any(|b| matches!(b, b'=' | b'{' | b'}' | b';' | b'"'));
                    if inner_han && !inner_code || (left_han && inner.is_empty()) {
                        converted[o] = true;
                        converted[k] = true;
                    }
                }
            }
            _ => {}
        }
    }
    // The other marks, left to right: a mark sees its left neighbour as
    // already converted, its right one with only parentheses converted.
    for k in 0..marks.len() {
        let i = marks[k];
        if matches!(bytes[i], b'(' | b')') {
            continue;
        }
        let shown = |j: usize| {
            let c = char::from(bytes[marks[j]]);
            if converted[j] { full_width(c) } else { c }
        };
        let prev = if k > 0 && marks[k - 1] + 1 == i { Some(shown(k - 1)) } else { s[..i].chars().next_back() };
        let next =
            if k + 1 < marks.len() && marks[k + 1] == i + 1 { Some(shown(k + 1)) } else { s[i + 1..].chars().next() };
        let prev_cjk = prev.is_some_and(is_cjk);
        let next_ok = next.is_none_or(|n| is_cjk(n) || n == '"');
        // `1,000`, `a, b`, `http://` and `std::` stay as they are.
        if prev_cjk && next_ok {
            converted[k] = true;
        }
    }
    if !converted.contains(&true) {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 2 * marks.len());
    let mut run = 0;
    for (k, &i) in marks.iter().enumerate() {
        if converted[k] {
            out.push_str(&s[run..i]);
            out.push(full_width(char::from(bytes[i])));
            run = i + 1;
        }
    }
    out.push_str(&s[run..]);
    Some(out)
}

/// Converts full-width punctuation to ASCII.
pub fn to_ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '？' => '?',
            '！' => '!',
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_policy() {
        assert_eq!(to_cjk("新质生产力是创新,摆脱传统:包括(一)内容?"), "新质生产力是创新，摆脱传统：包括（一）内容？");
        assert_eq!(to_cjk("增长1,000亿元,达到3.5%"), "增长1,000亿元，达到3.5%");
        assert_eq!(to_cjk("call f(x, y); see http://a.b"), "call f(x, y); see http://a.b");
        assert_eq!(to_cjk("协会(IPTD)指出"), "协会(IPTD)指出");
        assert_eq!(to_cjk("int i=0;i<n;i++) 循环"), "int i=0;i<n;i++) 循环");
    }

    /// The first form of [`to_cjk`], one character at a time: the oracle.
    fn to_cjk_by_chars(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out: Vec<char> = chars.clone();
        // Parentheses: convert a matched pair that encloses Chinese text.
        let mut stack = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '(' => stack.push(i),
                ')' => {
                    if let Some(open) = stack.pop() {
                        let inner = &chars[open + 1..i];
                        let left_han = open > 0 && is_han(chars[open - 1]);
                        let inner_han = inner.iter().any(|&c| is_han(c));
                        let inner_code = inner.iter().any(|&c| matches!(c, '=' | '{' | '}' | ';' | '"'));
                        if inner_han && !inner_code || (left_han && inner.is_empty()) {
                            out[open] = '（';
                            out[i] = '）';
                        }
                    }
                }
                _ => {}
            }
        }
        for i in 0..chars.len() {
            let c = chars[i];
            if !matches!(c, ',' | ';' | ':' | '?' | '!') {
                continue;
            }
            let prev = if i > 0 { Some(out[i - 1]) } else { None };
            let next = out.get(i + 1).copied();
            let prev_cjk = prev.is_some_and(is_cjk);
            let next_ok = next.is_none_or(|n| is_cjk(n) || n == '"');
            // `1,000`, `a, b`, `http://` and `std::` stay as they are.
            if prev_cjk && next_ok {
                out[i] = full_width(c);
            }
        }
        out.into_iter().collect()
    }

    #[test]
    fn widening_by_positions_is_widening_by_characters() {
        let pieces = [
            "中",
            "文",
            "a",
            "1",
            " ",
            ",",
            ";",
            ":",
            "?",
            "!",
            "(",
            ")",
            "（",
            "）",
            "“",
            "\"",
            "=",
            "，",
            "é",
            "\u{20000}",
        ];
        // Every string of up to four pieces, and longer ones cycled through.
        let mut cases = vec![String::new()];
        for _ in 0..4 {
            cases = cases.iter().flat_map(|c| pieces.iter().map(move |p| format!("{c}{p}"))).collect();
            for c in &cases {
                assert_eq!(to_cjk(c), to_cjk_by_chars(c), "{c:?}");
            }
        }
        for start in 0..pieces.len() {
            let long: String = pieces.iter().cycle().skip(start).step_by(3).take(60).copied().collect();
            assert_eq!(to_cjk(&long), to_cjk_by_chars(&long), "{long:?}");
        }
    }

    fn is_mark(b: u8) -> bool {
        matches!(b, b',' | b';' | b':' | b'?' | b'!' | b'(' | b')')
    }

    #[test]
    fn marks_are_found_at_every_offset() {
        for (len, background) in (0..36).flat_map(|len| [0xE4u8, 0x80, 0x41, 0x40, 0x2C].map(|g| (len, g))) {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![background; len];
                    bytes[at] = b;
                    let naive: Vec<usize> = (0..len).filter(|&i| is_mark(bytes[i])).collect();
                    assert_eq!(mark_positions(&bytes), naive, "{b:02X} at {at} of {len}");
                }
            }
        }
        let text = "新质,生产力: a (b) ; 1!2?x".repeat(3);
        let naive: Vec<usize> = text.bytes().enumerate().filter(|&(_, b)| is_mark(b)).map(|(i, _)| i).collect();
        assert_eq!(mark_positions(text.as_bytes()), naive);
    }

    #[test]
    fn ascii_policy() {
        assert_eq!(to_ascii("总结，（一）问题：？"), "总结,(一)问题:?");
    }
}
