//! Mirror sites print pinyin after each character (`版權(quán)說明`). Rules
//! that recognise boilerplate match a key with those annotations removed
//! and map what they find back to the original text.

use std::borrow::Cow;

/// True for the letters pinyin annotations are written with.
fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase()
        || matches!(
            c,
            'ā' | 'á'
                | 'ǎ'
                | 'à'
                | 'ē'
                | 'é'
                | 'ě'
                | 'è'
                | 'ī'
                | 'í'
                | 'ǐ'
                | 'ì'
                | 'ō'
                | 'ó'
                | 'ǒ'
                | 'ò'
                | 'ū'
                | 'ú'
                | 'ǔ'
                | 'ù'
                | 'ǖ'
                | 'ǘ'
                | 'ǚ'
                | 'ǜ'
                | 'ü'
                | 'ń'
                | 'ň'
                | 'ḿ'
        )
}

/// A text with pinyin annotations removed, and the byte offset in the
/// original text of every byte of the key (plus one entry for the end).
pub struct Keyed<'t> {
    /// The text without annotations (the text itself when it has none).
    pub key: Cow<'t, str>,
    /// Byte offsets into the original; `None` when the key is the text.
    map: Option<Vec<usize>>,
}

impl<'t> Keyed<'t> {
    /// Builds the key of `text`. An annotation is `(letters)` right after a
    /// Han character, holding at least one tone mark or at most 6 letters.
    pub fn new(text: &'t str) -> Self {
        let spans = annotations(text);
        if spans.is_empty() {
            return Self { key: Cow::Borrowed(text), map: None };
        }
        let mut key = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len() + 1);
        let mut kept_from = 0;
        for &(start, end) in spans.iter().chain(std::iter::once(&(text.len(), text.len()))) {
            key.push_str(&text[kept_from..start]);
            map.extend(kept_from..start);
            kept_from = end;
        }
        map.push(text.len());
        Self { key: Cow::Owned(key), map: Some(map) }
    }

    /// The original byte range of a key byte range.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        let Some(map) = &self.map else {
            return (start, end);
        };
        let s = map[start];
        // The end maps to just after the last kept byte, so that an
        // annotation right after the match is removed with it.
        let e = if end == 0 { map[0] } else { map[end - 1] + 1 };
        let e = if end < map.len() - 1 && map[end] > e { skip_annotation_end(e, map[end]) } else { e };
        (s, e)
    }
}

/// The byte ranges of the annotations of `text`, in order. A `(` opens
/// one when the character kept before it is Han (an annotation removed
/// right before it does not count), and the letters up to `)` are 1 to 7
/// pinyin letters with at least one tone mark.
fn annotations(text: &str) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for open in memchr::memchr_iter(b'(', text.as_bytes()) {
        let kept_before = match spans.last() {
            Some(&(start, end)) if end == open => start,
            _ => open,
        };
        if !text[..kept_before].chars().next_back().is_some_and(crate::text::is_han) {
            continue;
        }
        let rest = &text[open + 1..];
        let letters: usize = rest.chars().take_while(|&c| is_pinyin_letter(c)).map(char::len_utf8).sum();
        let inner = &rest[..letters];
        if (1..=7).contains(&inner.chars().count()) && rest[letters..].starts_with(')') && !inner.is_ascii() {
            spans.push((open, open + 1 + letters + 1));
        }
    }
    spans
}

/// When a match ends on an annotated character, its annotation goes too.
fn skip_annotation_end(end: usize, next_kept: usize) -> usize {
    next_kept.max(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_are_skipped_and_mapped_back() {
        let text = "版權(quán)說明:本文";
        let k = Keyed::new(text);
        assert_eq!(k.key, "版權說明:本文");
        let start = k.key.find("版權").unwrap();
        let end = start + "版權".len();
        let (s, e) = k.original(start, end);
        assert_eq!(&text[s..e], "版權(quán)");
        assert_eq!(Keyed::new("函数f(x)与(abc)").key, "函数f(x)与(abc)");
        assert!(Keyed::new("函数f(x)与(abc)").map.is_none());
        // Two annotations in a row both go; one after a non-Han does not.
        assert_eq!(Keyed::new("版(bǎn)(quán)x(quán)").key, "版x(quán)");
        let k = Keyed::new("說(shuō)明(míng)");
        assert_eq!(k.key, "說明");
        assert_eq!(k.original(0, "說".len()), (0, "說(shuō)".len()));
        assert_eq!(k.original("說".len(), k.key.len()), ("說(shuō)".len(), "說(shuō)明".len()));
    }

    /// The character-by-character form `Keyed::new` had before it looked
    /// only at the `(`s: the key and map of both agree on every string of
    /// up to five characters from an alphabet that makes annotations.
    #[test]
    fn finds_what_a_character_walk_finds() {
        fn walk(text: &str) -> (String, Vec<usize>) {
            let (mut key, mut map, mut prev_han, mut i) = (String::new(), Vec::new(), false, 0);
            while i < text.len() {
                let rest = &text[i..];
                let c = rest.chars().next().expect("char");
                if c == '(' && prev_han {
                    let inner: String = rest[1..].chars().take_while(|&c| is_pinyin_letter(c)).collect();
                    let after = 1 + inner.len();
                    if (1..=7).contains(&inner.chars().count()) && rest[after..].starts_with(')') && !inner.is_ascii() {
                        i += after + 1;
                        continue;
                    }
                }
                map.extend(i..i + c.len_utf8());
                key.push(c);
                prev_han = crate::text::is_han(c);
                i += c.len_utf8();
            }
            map.push(text.len());
            (key, map)
        }
        let alphabet = ['版', '(', ')', 'a', 'ǎ', 'x'];
        let mut text = String::new();
        let mut stack = vec![0usize];
        let mut checked = 0;
        while let Some(n) = stack.pop() {
            // `stack` holds, per position, the next letter to try.
            if n == alphabet.len() {
                text.pop();
                continue;
            }
            stack.push(n + 1);
            text.push(alphabet[n]);
            let k = Keyed::new(&text);
            let (key, map) = walk(&text);
            assert_eq!(k.key, key, "{text}");
            let identity: Vec<usize> = (0..=text.len()).collect();
            assert_eq!(k.map.as_ref().unwrap_or(&identity), &map, "{text}");
            checked += 1;
            if text.chars().count() < 5 {
                stack.push(0);
            } else {
                text.pop();
            }
        }
        assert_eq!(checked, 6 + 36 + 216 + 1296 + 7776);
    }
}
