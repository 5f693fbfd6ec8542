//! Character classes for Chinese text.

use std::ops::RangeInclusive;

/// True for CJK ideographs (the unified blocks, extensions and
/// compatibility ideographs), plus `〇`.
#[inline]
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '〇')
}

/// True for full-width / CJK punctuation that sits inside Chinese prose:
/// `，。、；：？！“”‘’（）《》〈〉【】「」『』…—～·` and friends.
#[inline]
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '“' | '”' | '‘' | '’' | '…' | '—' | '·' | '•')
}

/// True for a character that belongs to Chinese prose: an ideograph or CJK
/// punctuation.
#[inline]
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// True for characters that end a sentence in Chinese or Western text.
#[inline]
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '．')
}

/// True for characters after which a text may stop without being cut:
/// sentence ends plus closing quotes and brackets that follow them.
#[inline]
pub fn is_terminal(c: char) -> bool {
    is_sentence_end(c)
        || matches!(c, '”' | '’' | '"' | '\'' | '」' | '』' | '）' | ')' | '】' | ']' | '》' | '.' | '～' | '~')
}

/// True for clause punctuation inside a sentence (full-width or ASCII).
#[inline]
pub fn is_clause_punct(c: char) -> bool {
    matches!(c, '，' | ',' | '；' | ';' | '：' | ':' | '、')
}

/// True for zero-width and other invisible format characters that carry no
/// text: ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, bidi marks.
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{180E}')
}

/// Width of a string in characters (not bytes).
#[inline]
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The byte offset of the first line break of `s`: `s.find('\n')`, with
/// the vector search of the memchr crate (the line of a flattened dump
/// runs to the end of an essay).
#[inline]
pub fn find_newline(s: &str) -> Option<usize> {
    memchr::memchr(b'\n', s.as_bytes())
}

/// The prefix of `s` holding at most `n` characters.
pub fn prefix_chars(s: &str, n: usize) -> &str {
    &s[..prefix_len(s.as_bytes(), n)]
}

/// The number of characters of `s`, counted up to `n`: `s.chars().take(n).count()`
/// without decoding them.
pub fn count_chars_up_to(s: &str, n: usize) -> usize {
    if prefix_len(s.as_bytes(), n) < s.len() { n } else { s.chars().count() }
}

/// The byte length of the first `n` characters of UTF-8 `bytes` (all of
/// them when there are fewer). Characters are counted eight bytes at a
/// time, as the bytes that do not continue one (`0b10xx_xxxx`): a title
/// search takes the first 2,000 characters of a line, and walking them one
/// by one cost more than the search.
fn prefix_len(bytes: &[u8], n: usize) -> usize {
    if bytes.len() <= n {
        return bytes.len();
    }
    const LOW: u64 = 0x0101_0101_0101_0101;
    let mut seen = 0;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Bit 0 of each byte: its bit 7 is clear, or its bit 6 is set.
        let starts = ((!word >> 7) | (word >> 6)) & LOW;
        let here = starts.count_ones() as usize;
        if seen + here > n {
            break;
        }
        seen += here;
        i += 8;
    }
    for (at, &b) in bytes.iter().enumerate().skip(i) {
        if b & 0xC0 != 0x80 {
            if seen == n {
                return at;
            }
            seen += 1;
        }
    }
    bytes.len()
}

/// The suffix of `s` holding at most `n` characters.
pub fn suffix_chars(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    match s.char_indices().nth(count - n) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

/// Folds a full-width ASCII letter or digit (`Ａ`, `１`) to its ASCII form;
/// other characters are returned unchanged.
#[inline]
pub fn fold_fullwidth_alnum(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A canonical key for comparing titles and headings: no white space, no
/// quotes, full-width letters and digits folded, ASCII punctuation mapped to
/// its full-width form.
pub fn compare_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’'))
        .map(|c| match fold_fullwidth_alnum(c) {
            '(' => '（',
            ')' => '）',
            ',' => '，',
            ':' => '：',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            other => other,
        })
        .collect()
}

/// A set of characters of the Basic Multilingual Plane, one bit each, for
/// tests run on nearly every character of a text: one load instead of a
/// function's checks.
pub struct BmpSet(Box<[u64; 1024]>);

impl BmpSet {
    /// The characters of the plane for which `member` holds.
    pub fn from_fn(member: impl Fn(char) -> bool) -> Self {
        let mut bits = Box::new([0u64; 1024]);
        for c in (0..0x1_0000u32).filter_map(char::from_u32).filter(|&c| member(c)) {
            bits[c as usize / 64] |= 1 << (c as u32 % 64);
        }
        Self(bits)
    }

    /// The characters of `within` for which `member` holds: for a set whose
    /// members all lie in a few ranges, built at start-up without asking
    /// all 65,536 characters of the plane. The caller's tests check
    /// that `member` holds nowhere else ([`BmpSet::outside`]).
    pub fn from_fn_within(within: &[RangeInclusive<char>], member: impl Fn(char) -> bool) -> Self {
        let mut bits = Box::new([0u64; 1024]);
        for c in within.iter().flat_map(|r| r.clone()).filter(|&c| (c as u32) < 0x1_0000 && member(c)) {
            bits[c as usize / 64] |= 1 << (c as u32 % 64);
        }
        Self(bits)
    }

    /// The characters of the plane outside `within` for which `member`
    /// holds: none, for a set [`BmpSet::from_fn_within`] may build.
    #[cfg(test)]
    pub fn outside(within: &[RangeInclusive<char>], member: impl Fn(char) -> bool) -> Vec<char> {
        (0..0x1_0000u32)
            .filter_map(char::from_u32)
            .filter(|c| !within.iter().any(|r| r.contains(c)) && member(*c))
            .collect()
    }

    /// The set of `chars`, or `None` when one of them is beyond the plane.
    pub fn from_chars(chars: impl IntoIterator<Item = char>) -> Option<Self> {
        let mut bits = Box::new([0u64; 1024]);
        for c in chars {
            let u = c as u32;
            if u >= 0x1_0000 {
                return None;
            }
            bits[u as usize / 64] |= 1 << (u % 64);
        }
        Some(Self(bits))
    }

    /// True when `c` is in the set; never for a character beyond the plane.
    #[inline]
    pub fn contains(&self, c: char) -> bool {
        self.contains_code(c as u32)
    }

    /// True when the character of code point `u` is in the set.
    #[inline]
    pub fn contains_code(&self, u: u32) -> bool {
        u < 0x1_0000 && self.0[u as usize / 64] & (1 << (u % 64)) != 0
    }

    /// True when the three-byte UTF-8 sequence starting at `bytes[at]`
    /// (which the caller knows to be one: valid UTF-8 whose byte there is
    /// `0xE0..=0xEF`) encodes a character of the set. Tested from the
    /// bytes: a scan for the few characters of a set through Chinese text,
    /// where nearly every character has three bytes, need not decode them.
    #[inline]
    pub fn contains_three_byte(&self, bytes: &[u8], at: usize) -> bool {
        let Some(&[lead, second, third]) = bytes.get(at..at + 3) else {
            return false;
        };
        self.holds_three_byte(lead, second, third)
    }

    /// Whether the three-byte character of these bytes is in the set. The
    /// code point's bits above the last six index the set's words, the last
    /// six a bit: no code point is built, and the index is below 1,024 by
    /// construction (no bounds check).
    #[inline]
    fn holds_three_byte(&self, lead: u8, second: u8, third: u8) -> bool {
        self.0[usize::from(lead & 0x0F) << 6 | usize::from(second & 0x3F)] >> (third & 0x3F) & 1 != 0
    }

    /// The first offset from `at` on that does not begin an ASCII or
    /// three-byte character outside the set (the end of `bytes` at most):
    /// where a scan for the set's characters must look next. Chinese
    /// characters are tested without decoding, and the ASCII marks between
    /// them (commas, spaces) no longer end the skip. A loop of its own, so
    /// that it keeps the text and the set in registers (inside a scan's
    /// loop it reloaded both at every character).
    #[inline]
    pub fn skip_others(&self, bytes: &[u8], mut at: usize) -> usize {
        loop {
            // (Chunks of three: the loop then tests no bounds.)
            let run = bytes[at..]
                .chunks_exact(3)
                .take_while(|c| c[0] & 0xF0 == 0xE0 && !self.holds_three_byte(c[0], c[1], c[2]))
                .count();
            at += 3 * run;
            match bytes.get(at) {
                Some(&b) if b < 0x80 && self.0[usize::from(b >> 6)] >> (b & 0x3F) & 1 == 0 => at += 1,
                Some(_) => return at,
                None => return bytes.len(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_asked_alike_by_character_and_by_bytes() {
        let set =
            BmpSet::from_fn(|c| matches!(c, '一' | '第' | '（' | '①' | '\u{800}' | '\u{FFFF}') || c.is_ascii_digit());
        let mut members = 0;
        for c in (0x800..0x1_0000u32).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            let text = [b"x".as_slice(), bytes].concat();
            assert_eq!(set.contains_three_byte(&text, 1), set.contains(c), "{c:?}");
            members += usize::from(set.contains(c));
        }
        assert_eq!(members, 6);
    }

    #[test]
    fn a_set_built_within_ranges_holds_their_members_only() {
        let member = |c: char| c.is_ascii_digit() || matches!(c, '一' | '①');
        let within = ['0'..='9', '\u{2460}'..='\u{2473}', '一'..='一'];
        let set = BmpSet::from_fn_within(&within, member);
        let whole = BmpSet::from_fn(member);
        assert!((0..0x1_0000u32).filter_map(char::from_u32).all(|c| set.contains(c) == whole.contains(c)));
        assert!(BmpSet::outside(&within, member).is_empty());
        assert_eq!(BmpSet::outside(&within[..2], member), ['一']);
    }

    /// The skip stops where a character-by-character scan would: at the
    /// first character that is not an ASCII or three-byte non-member, or
    /// the end.
    #[test]
    fn a_skip_stops_where_a_scan_would() {
        let set = BmpSet::from_fn(|c| matches!(c, '一' | '第' | '（' | '①') || c.is_ascii_digit());
        let pieces = ["中", "文", "一", "第", "（", "①", "a", "7", "é", "😀", "\u{800}", "\u{FFFF}"];
        // Every text of up to four pieces, from every character boundary.
        let texts = crate::text::texts_of(&pieces, 4);
        for text in &texts {
            for (from, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let expected = text[from..]
                    .char_indices()
                    .find(|&(_, c)| !matches!(c.len_utf8(), 1 | 3) || set.contains(c))
                    .map_or(text.len(), |(i, _)| from + i);
                assert_eq!(set.skip_others(text.as_bytes(), from), expected, "{text:?} from {from}");
            }
        }
    }

    #[test]
    fn classes() {
        assert!(is_han('新') && is_han('〇') && !is_han('a'));
        assert!(is_cjk_punct('，') && is_cjk_punct('“') && !is_cjk_punct(','));
        assert!(is_invisible('\u{200B}') && is_invisible('\u{FEFF}') && !is_invisible(' '));
    }

    #[test]
    fn fullwidth_folding() {
        let s: String = "ＡＢｃ１２３，".chars().map(fold_fullwidth_alnum).collect();
        assert_eq!(s, "ABc123，");
    }

    #[test]
    fn prefixes_and_suffixes_count_chars() {
        assert_eq!(prefix_chars("新质生产力", 2), "新质");
        assert_eq!(suffix_chars("新质生产力", 3), "生产力");
        assert_eq!(prefix_chars("ab", 5), "ab");
    }

    #[test]
    fn prefixes_count_as_char_indices_do() {
        // Every mix of one- to four-byte characters, long enough to fill
        // a few eight-byte words, and a real line.
        let mut texts = crate::text::texts_of(&["a", "é", "新", "𠀀", "abcdefg"], 5);
        texts.push("《“新质生产力”研讨交流材料及心得感悟8篇.docx》由会员分享,可在线阅读".to_string());
        for text in &texts {
            for n in 0..=text.chars().count() + 9 {
                let expected = text.char_indices().nth(n).map_or(text.as_str(), |(i, _)| &text[..i]);
                assert_eq!(prefix_chars(text, n), expected, "{text:?} {n}");
                assert_eq!(count_chars_up_to(text, n), text.chars().take(n).count(), "{text:?} {n}");
            }
        }
    }

    #[test]
    fn compare_key_ignores_width_and_quotes() {
        assert_eq!(compare_key("“新质”(8篇)"), compare_key("\"新质\"（8篇）"));
    }
}
