//! Words and their grammatical class, for telling where a word ends.
//!
//! The table (`lexicon.txt`, made by `tools/make_lexicon.py` from jieba's
//! dictionary) holds the 60,000 most frequent Chinese words with a coarse
//! class and a log-frequency weight. [`words`] splits a short run of text
//! into its most likely words, so that a heading is never cut inside a word
//! and the grammar of the words on either side of a cut can be weighed.

use std::ops::Range;

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
/// by the word's bytes (a comment line first). Indexed by `build.rs`; read
/// here only by the tests, which check the index against it.
#[cfg(test)]
const TABLE: &str = include_str!("lexicon.txt");

/// The table's index, made by `build.rs` from `lexicon.txt`: the words in
/// the table's (byte) order, each with its class code, weight and length;
/// `COLUMNS[k - 1][i]`, the `k`-th character (from 0) of word `i`, 0 past
/// its end; and for every character of the plane, the run of words that
/// start with it. A run of words that share their first `k` characters is
/// narrowed by a binary search of one column: the words' bytes sort as
/// their characters do, a word before the longer ones it begins (0 sorts
/// first). Built at compile time: reading the table at run time was a third
/// of converting one small file.
mod index {
    #![allow(clippy::unreadable_literal)]
    include!(concat!(env!("OUT_DIR"), "/lexicon_index.rs"));
}

/// The classes by code, in `build.rs`'s order (`CLASS_LETTERS`, then
/// `Other`).
const CLASSES_BY_CODE: [Class; 13] = [
    Class::Noun,
    Class::Verb,
    Class::Adjective,
    Class::Adverb,
    Class::Pronoun,
    Class::Time,
    Class::Conjunction,
    Class::Preposition,
    Class::Locality,
    Class::Numeral,
    Class::Particle,
    Class::Idiom,
    Class::Other,
];

/// The run of words that start with `c`.
fn starting_with(c: char) -> Range<usize> {
    match index::FIRST_OF_PLANE.get(c as usize) {
        Some(&run) if run > 0 => {
            let run = usize::from(run) - 1;
            index::RUN_STARTS[run] as usize..index::RUN_ENDS[run] as usize
        }
        _ => 0..0,
    }
}

/// The words of `within` (which all begin with the same `common`
/// characters) whose next character is `c`.
fn narrow(within: Range<usize>, common: usize, c: char) -> Range<usize> {
    let (Some(column), Ok(c)) = (common.checked_sub(1).and_then(|k| index::COLUMNS.get(k)), u16::try_from(c)) else {
        return within.start..within.start;
    };
    let run = &column[within.clone()];
    let lo = run.partition_point(|&x| x < c);
    let hi = lo + run[lo..].partition_point(|&x| x == c);
    within.start + lo..within.start + hi
}

/// Class and weight of the word of `len` characters that all the words
/// of `run` begin with, when the table has it (it sorts first).
fn exact(run: &Range<usize>, len: usize) -> Option<(Class, u8)> {
    (!run.is_empty() && usize::from(index::LENS[run.start]) == len)
        .then(|| (CLASSES_BY_CODE[usize::from(index::CLASSES[run.start])], index::WEIGHTS[run.start]))
}

#[cfg(test)]
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
const MAX_WORD: usize = index::MAX_WORD;

/// The class and weight of `word`, when the table has it.
pub fn lookup(word: &str) -> Option<(Class, u8)> {
    let mut chars = word.chars();
    let mut run = starting_with(chars.next()?);
    let mut len = 1;
    for c in chars {
        run = narrow(run, len, c);
        len += 1;
    }
    exact(&run, len)
}

/// Splits `chars` into its most likely words (the path of words whose
/// log-frequencies sum highest; a character no word covers stands alone).
/// Returns the end index of every word.
pub fn words(chars: &[char]) -> Vec<usize> {
    classed_words(chars).into_iter().map(|(end, _)| end).collect()
}

/// [`words`], with the class of every word.
pub fn classed_words(chars: &[char]) -> Vec<(usize, Class)> {
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
        let mut run = starting_with(chars[start]);
        for len in 1..=MAX_WORD.min(n - start) {
            if len > 1 {
                run = narrow(run, len - 1, chars[start + len - 1]);
                if run.is_empty() {
                    break;
                }
            }
            let known = exact(&run, len);
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
