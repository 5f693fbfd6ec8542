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
        // Without `(` followed by a letter there is no annotation: the key
        // is the text itself.
        let annotated =
            text.match_indices('(').any(|(i, _)| text[i + 1..].chars().next().is_some_and(is_pinyin_letter));
        if !annotated {
            return Self { key: Cow::Borrowed(text), map: None };
        }
        let mut key = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len() + 1);
        let mut prev_han = false;
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let c = rest.chars().next().expect("char");
            if c == '(' && prev_han {
                let inner: String = rest[1..].chars().take_while(|&c| is_pinyin_letter(c)).collect();
                let n = inner.chars().count();
                let after = 1 + inner.len();
                if (1..=7).contains(&n) && rest[after..].starts_with(')') && !inner.is_ascii() {
                    i += after + 1;
                    continue;
                }
            }
            for b in 0..c.len_utf8() {
                map.push(i + b);
            }
            key.push(c);
            prev_han = crate::text::is_han(c);
            i += c.len_utf8();
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
    }
}
