//! Words and their grammatical class, for telling where a word ends.
//!
//! The table (`lexicon.txt`, made by `tools/make_lexicon.py` from jieba's
//! dictionary) holds the 60,000 most frequent Chinese words with a coarse
//! class and a log-frequency weight. [`words`] splits a short run of text
//! into its most likely words, so that a heading is never cut inside a word
//! and the grammar of the words on either side of a cut can be weighed.

use std::ops::Range;
use std::sync::LazyLock;

/// Coarse word classes (see `tools/make_lexicon.py` for the jieba tags
/// behind them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Nouns.
    Noun,
    /// Verbs.
    Verb,
    /// Adjectives.
    Adjective,
    /// Adverbs.
    Adverb,
    /// Pronouns.
    Pronoun,
    /// Time words.
    Time,
    /// Conjunctions.
    Conjunction,
    /// Prepositions.
    Preposition,
    /// Localities (`上`, `中`, `之后`).
    Locality,
    /// Numerals and measure words.
    Numeral,
    /// Particles and interjections (`的`, `了`).
    Particle,
    /// Idioms and set phrases.
    Idiom,
    /// Anything else, or not in the table.
    Other,
}

/// The table's text, one `word<TAB>class<TAB>weight` line per word, sorted
/// by the word's bytes (a comment line first).
const TABLE: &str = include_str!("lexicon.txt");

/// The table's words, in its (byte) order, with an index from a word's
/// first character to the run of words that start with it.
struct Table {
    /// The class and weight of every word.
    entries: Vec<(Class, u8)>,
    /// The length of every word, in characters.
    lens: Vec<u8>,
    /// `columns[k - 1][i]`: the `k`-th character (from 0) of word `i`, 0
    /// past its end. A run of words that share their first `k` characters
    /// is narrowed by a binary search of one column: the words' bytes sort
    /// as their characters do, a word before the longer ones it begins
    /// (0 sorts first). Reading the table's text at every probe, and
    /// packing its bytes, was most of splitting.
    columns: [Vec<u32>; MAX_WORD - 1],
    /// For every distinct first character, in order: (character, first
    /// word, one past the last word).
    first: Vec<(char, u32, u32)>,
    /// For every character of the plane, one plus its entry in `first`
    /// (0: no word starts with it): the word splitter asks at every
    /// character, and a binary search of `first` was a fifth of its time.
    first_of_plane: Vec<u32>,
}

/// Found with one scan of the table the first time a word is looked up
/// (about a millisecond), where parsing every line into a hash table took
/// tens.
static TABLE_INDEX: LazyLock<Table> = LazyLock::new(|| {
    let bytes = TABLE.as_bytes();
    let mut entries = Vec::with_capacity(60_000);
    let mut lens = Vec::with_capacity(60_000);
    let mut columns: [Vec<u32>; MAX_WORD - 1] = std::array::from_fn(|_| Vec::with_capacity(60_000));
    let mut first: Vec<(char, u32, u32)> = Vec::with_capacity(6_000);
    // One pass over the bytes: a line is ~12 bytes, too short for memchr's
    // set-up to pay (two calls a line were 6 M of the table's 23 M
    // instructions, which start-up spends).
    let mut at = 0usize;
    while at < bytes.len() {
        let tab = at + bytes[at..].iter().position(|&b| b == b'\t' || b == b'\n').unwrap_or(bytes.len() - at);
        let end = tab + bytes[tab..].iter().position(|&b| b == b'\n').unwrap_or(bytes.len() - tab);
        if bytes[at] != b'#' && bytes.get(tab) == Some(&b'\t') {
            let word = &TABLE[at..tab];
            let mut chars = word.chars();
            let c = chars.next().expect("a word");
            let index = entries.len() as u32;
            match first.last_mut() {
                Some(last) if last.0 == c => last.2 = index + 1,
                _ => first.push((c, index, index + 1)),
            }
            let mut len = 1u8;
            for column in &mut columns {
                let next = chars.next();
                len += u8::from(next.is_some());
                column.push(next.map_or(0, u32::from));
            }
            debug_assert!(chars.next().is_none(), "a word of more than {MAX_WORD} characters: {word}");
            lens.push(len);
            // After the word: `<TAB>class<TAB>weight`, one character each.
            let class = class_of(TABLE.get(tab + 1..tab + 2).unwrap_or(""));
            let weight = bytes.get(tab + 3).map_or(0, |b| b.wrapping_sub(b'0').min(9));
            entries.push((class, weight));
        }
        at = end + 1;
    }
    let mut first_of_plane = vec![0u32; 0x1_0000];
    for (i, &(c, _, _)) in first.iter().enumerate() {
        if let (Some(slot), Ok(entry)) = (first_of_plane.get_mut(c as usize), u32::try_from(i + 1)) {
            *slot = entry;
        }
    }
    Table { entries, lens, columns, first, first_of_plane }
});

impl Table {
    /// The run of words that start with `c`.
    fn starting_with(&self, c: char) -> Range<usize> {
        let entry = match self.first_of_plane.get(c as usize) {
            Some(&0) => return 0..0,
            Some(&entry) => Some(entry as usize - 1),
            None => self.first.binary_search_by_key(&c, |f| f.0).ok(),
        };
        entry.map_or(0..0, |i| self.first[i].1 as usize..self.first[i].2 as usize)
    }

    /// The words of `within` (which all begin with the same `common`
    /// characters) whose next character is `c`.
    fn narrow(&self, within: Range<usize>, common: usize, c: char) -> Range<usize> {
        let Some(column) = common.checked_sub(1).and_then(|k| self.columns.get(k)) else {
            return within.start..within.start;
        };
        let run = &column[within.clone()];
        let c = u32::from(c);
        let lo = run.partition_point(|&x| x < c);
        let hi = lo + run[lo..].partition_point(|&x| x == c);
        within.start + lo..within.start + hi
    }

    /// Class and weight of the word of `len` characters that all the words
    /// of `run` begin with, when the table has it (it sorts first).
    fn exact(&self, run: &Range<usize>, len: usize) -> Option<(Class, u8)> {
        (!run.is_empty() && usize::from(self.lens[run.start]) == len).then(|| self.entries[run.start])
    }
}

fn class_of(code: &str) -> Class {
    match code {
        "N" => Class::Noun,
        "V" => Class::Verb,
        "A" => Class::Adjective,
        "D" => Class::Adverb,
        "R" => Class::Pronoun,
        "T" => Class::Time,
        "C" => Class::Conjunction,
        "P" => Class::Preposition,
        "F" => Class::Locality,
        "M" => Class::Numeral,
        "U" => Class::Particle,
        "I" => Class::Idiom,
        _ => Class::Other,
    }
}

/// Longest word in the table, in characters.
const MAX_WORD: usize = 6;

/// The class and weight of `word`, when the table has it.
pub fn lookup(word: &str) -> Option<(Class, u8)> {
    let table = &*TABLE_INDEX;
    let mut chars = word.chars();
    let mut run = table.starting_with(chars.next()?);
    let mut len = 1;
    for c in chars {
        run = table.narrow(run, len, c);
        len += 1;
    }
    table.exact(&run, len)
}

/// Splits `chars` into its most likely words (the path of words whose
/// log-frequencies sum highest; a character no word covers stands alone).
/// Returns the end index of every word.
pub fn words(chars: &[char]) -> Vec<usize> {
    classed_words(chars).into_iter().map(|(end, _)| end).collect()
}

/// [`words`], with the class of every word.
pub fn classed_words(chars: &[char]) -> Vec<(usize, Class)> {
    let table = &*TABLE_INDEX;
    let n = chars.len();
    // best[i] = (score of the best split of chars[..i], start of its last
    // word, that word's class)
    let mut best: Vec<(f32, usize, Class)> = vec![(f32::NEG_INFINITY, 0, Class::Other); n + 1];
    best[0] = (0.0, 0, Class::Other);
    for start in 0..n {
        if best[start].0 == f32::NEG_INFINITY {
            continue;
        }
        // Words that start with the candidate: each longer candidate
        // searches only among them, and none left means no longer word
        // either.
        let mut run = table.starting_with(chars[start]);
        for len in 1..=MAX_WORD.min(n - start) {
            if len > 1 {
                run = table.narrow(run, len - 1, chars[start + len - 1]);
                if run.is_empty() {
                    break;
                }
            }
            let known = table.exact(&run, len);
            // A word costs its improbability; unknown single characters
            // cost most, so known words win.
            let (cost, class) = match known {
                Some((class, w)) => (10.0 - w as f32, class),
                None if len == 1 => (12.0, Class::Other),
                None => continue,
            };
            let score = best[start].0 - cost;
            if score > best[start + len].0 {
                best[start + len] = (score, start, class);
            }
        }
    }
    let mut ends = Vec::new();
    let mut i = n;
    while i > 0 {
        ends.push((i, best[i].2));
        i = best[i].1;
    }
    ends.reverse();
    ends
}

/// True when a cut before `chars[at]` falls between two words of the most
/// likely split of the characters around it.
pub fn is_word_boundary(chars: &[char], at: usize) -> bool {
    let from = at.saturating_sub(MAX_WORD * 2);
    let to = (at + MAX_WORD * 2).min(chars.len());
    words(&chars[from..to]).contains(&(at - from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut start = 0;
        for end in words(&chars) {
            out.push(chars[start..end].iter().collect());
            start = end;
        }
        out
    }

    #[test]
    fn common_words() {
        assert_eq!(split("新一轮科技革命和产业变革"), ["新", "一轮", "科技", "革命", "和", "产业", "变革"]);
        assert_eq!(lookup("今年").map(|c| c.0), Some(Class::Time));
        assert_eq!(lookup("我们").map(|c| c.0), Some(Class::Pronoun));
    }

    /// The column search finds every word of the table with its own
    /// entry, and no word that is only the beginning of others.
    #[test]
    fn every_word_of_the_table_is_found() {
        let mut words = std::collections::HashSet::new();
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (word, class, weight) = (fields.next().unwrap(), fields.next().unwrap(), fields.next().unwrap());
            let weight = weight.as_bytes()[0] - b'0';
            assert_eq!(lookup(word), Some((class_of(class), weight)), "{word}");
            words.insert(word);
        }
        assert!(words.len() > 50_000);
        for word in &words {
            for (at, _) in word.char_indices().skip(1) {
                let prefix = &word[..at];
                assert_eq!(lookup(prefix).is_some(), words.contains(prefix), "{prefix}");
            }
        }
        assert_eq!(lookup("中华人民共和国万岁万岁"), None);
    }

    #[test]
    fn boundaries() {
        let chars: Vec<char> = "我们的一切实际工作".chars().collect();
        assert!(!is_word_boundary(&chars, 4)); // 一|切
        assert!(is_word_boundary(&chars, 3)); // 的|一切
    }
}
