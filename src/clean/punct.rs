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
use crate::text::{is_cjk, is_han};

/// Applies the punctuation policy.
pub struct PunctWidth(pub PunctPolicy);

impl Cleaner for PunctWidth {
    fn name(&self) -> &'static str {
        "punct-width"
    }

    fn clean(&self, page: &mut Page) {
        for line in &mut page.lines {
            match self.0 {
                PunctPolicy::Keep => {}
                PunctPolicy::Cjk => {
                    if line.text.contains([',', ';', ':', '?', '!', '(', ')']) {
                        line.text = to_cjk(&line.text);
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

/// Converts ASCII punctuation in Chinese prose to full width.
pub fn to_cjk(s: &str) -> String {
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

    #[test]
    fn ascii_policy() {
        assert_eq!(to_ascii("总结，（一）问题：？"), "总结,(一)问题:?");
    }
}
