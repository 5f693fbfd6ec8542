//! Chunk counters: the `1、 2、 3、…` that preview pages put at the start
//! of every chunk of about 200–500 characters.
//!
//! They are told from the document's own numbered items by their strict
//! sequence from `1、` on the first line of the text, by the regular length
//! of the chunks, and by where the chunks end: a counter cuts the text at a
//! fixed length, so chunks end mid-sentence (often mid-word), while real
//! list items end at a full stop or semicolon. A counter is removed and the
//! text on either side is joined with nothing between, because the cut
//! often splits a word. A real list item that happens to start a chunk
//! (`7、3、…`) keeps its own number: only the expected counter is removed.

use super::{Cleaner, Page};
use crate::text::decimal;

/// Shortest chunk, in characters, a site cuts (the last chunk may be
/// shorter).
const MIN_CHUNK: usize = 100;

/// Removes chunk counters and joins the chunks.
pub struct ChunkCounters;

/// The counter `n、` at the start of `text`, returning the text after it.
fn strip_counter(text: &str, n: usize) -> Option<&str> {
    // (Asked of every line: the digits are written on the stack.)
    text.strip_prefix(decimal(n, &mut [0; 20]))?.strip_prefix('、')
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

impl Cleaner for ChunkCounters {
    fn name(&self) -> &'static str {
        "chunk-counters"
    }

    fn clean(&self, page: &mut Page) {
        let Some(first) = first_counter_line(page) else {
            return;
        };
        // Line index of each counter 1, 2, 3 …
        let mut starts = vec![first];
        for (i, line) in page.lines.iter().enumerate().skip(first + 1) {
            if strip_counter(line.text.trim_start(), starts.len() + 1).is_some() {
                starts.push(i);
            }
        }
        // Length and ending of each chunk.
        let mut lengths = Vec::with_capacity(starts.len());
        let mut sentence_ends = 0usize;
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(page.lines.len());
            // The chunk is its lines trimmed and joined, less the counter
            // that opens its first line: counted piece by piece, not joined.
            let pieces = page.lines[start..end].iter().enumerate().map(|(j, l)| {
                let t = l.text.trim();
                if j == 0 { strip_counter(t, k + 1).unwrap_or(t) } else { t }
            });
            let mut length = 0;
            let mut last = "";
            for piece in pieces {
                length += chars(piece);
                if !piece.is_empty() {
                    last = piece;
                }
            }
            lengths.push(length);
            if k + 1 < starts.len() && last.ends_with(['。', '；', ';', '！', '？', '!', '?']) {
                sentence_ends += 1;
            }
        }
        if !looks_like_chunks(&lengths, sentence_ends) {
            return;
        }
        // Rebuild: the counter goes, and each chunk's first line is glued
        // to the end of the text before it.
        let mut out: Vec<super::Line> = Vec::with_capacity(page.lines.len());
        let mut removed = 0;
        let mut k = 0;
        for (i, mut line) in std::mem::take(&mut page.lines).into_iter().enumerate() {
            if k < starts.len() && starts[k] == i {
                let rest = strip_counter(line.text.trim_start(), k + 1).expect("counter").len();
                removed += decimal(k + 1, &mut [0; 20]).len() + 1;
                line.text.replace_range(..line.text.len() - rest, "");
                if k > 0 {
                    // Blank lines between chunks are not paragraph breaks.
                    while out.last().is_some_and(|l| l.text.trim().is_empty()) {
                        out.pop();
                    }
                    if let Some(prev) = out.last_mut() {
                        let trimmed_len = prev.text.trim_end().len();
                        prev.text.truncate(trimmed_len);
                        prev.text.push_str(&line.text);
                        k += 1;
                        continue;
                    }
                }
                k += 1;
            }
            out.push(line);
        }
        page.lines = out;
        page.stats.chunk_markers = starts.len();
        let mut sorted: Vec<usize> = lengths[..lengths.len().saturating_sub(1).max(1)].to_vec();
        sorted.sort_unstable();
        page.stats.chunk_chars = sorted.get(sorted.len() / 2).copied();
        page.removed(removed);
    }
}

/// The line holding counter `1、`: the first line of the text, after at
/// most a few short lines (a title or file name the page repeats before
/// the preview).
fn first_counter_line(page: &Page) -> Option<usize> {
    let mut short_lines = 0;
    for (i, line) in page.lines.iter().enumerate() {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        if strip_counter(t, 1).is_some() {
            return Some(i);
        }
        short_lines += 1;
        if t.chars().count() > 80 || short_lines > 4 {
            return None;
        }
    }
    None
}

/// Decides whether counted lines are a site's chunks.
fn looks_like_chunks(lengths: &[usize], sentence_ends: usize) -> bool {
    let full = &lengths[..lengths.len() - 1];
    if full.is_empty() {
        // A single chunk: only when it is long, as a preview's first chunk is.
        return lengths[0] >= MIN_CHUNK;
    }
    if full.iter().any(|&n| n < MIN_CHUNK) {
        return false;
    }
    // Real list items end their sentences; cuts fall anywhere.
    if sentence_ends * 2 > full.len() {
        return false;
    }
    if full.len() >= 2 {
        let min = *full.iter().min().expect("non-empty") as f64;
        let max = *full.iter().max().expect("non-empty") as f64;
        if max > min * 2.0 {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Page {
        let mut page = Page::from_text(text);
        ChunkCounters.clean(&mut page);
        page
    }

    fn filler(n: usize) -> String {
        "新质生产力是创新起主导作用".chars().cycle().take(n).collect()
    }

    #[test]
    fn a_counter_is_its_number_then_a_comma() {
        assert_eq!(strip_counter("1、正文", 1), Some("正文"));
        assert_eq!(strip_counter("12、", 12), Some(""));
        assert_eq!(strip_counter("120、正文", 120), Some("正文"));
        assert_eq!(strip_counter("12、正文", 1), None, "1 is not 12");
        assert_eq!(strip_counter("1、正文", 12), None);
        assert_eq!(strip_counter("10、正文", 1), None);
        assert_eq!(strip_counter("1,正文", 1), None);
        assert_eq!(strip_counter("１、正文", 1), None, "full-width digits are not a site's counter");
        assert_eq!(strip_counter(&format!("{}、x", usize::MAX), usize::MAX), Some("x"));
    }

    #[test]
    fn counters_go_and_cut_words_are_joined() {
        // dumps/01: the cut splits "personal".
        let text = format!("1、{}while persona\n2、l managers and {}\n3、{}", filler(280), filler(286), filler(50));
        let p = run(&text);
        assert_eq!(p.lines.len(), 1);
        assert!(p.text().contains("while personal managers"));
        assert_eq!(p.stats.chunk_markers, 3);
        assert_eq!(p.stats.boilerplate_chars, 6);
    }

    #[test]
    fn blank_lines_between_chunks_are_not_kept() {
        // dumps/05: chunks separated by an empty line.
        let text = format!("1、{}提高运作效率和降低运作\n\n2、成本是企业的当务之急。", filler(290));
        assert!(run(&text).text().ends_with("降低运作成本是企业的当务之急。"));
    }

    #[test]
    fn a_list_item_that_starts_a_chunk_keeps_its_number() {
        let text = format!("1、{}\n2、3、加强管理{}\n3、{}", filler(300), filler(296), filler(20));
        let p = run(&text);
        assert!(p.text().contains("创3、加强管理") || p.text().contains("3、加强管理"));
        assert_eq!(p.stats.chunk_markers, 3);
    }

    #[test]
    fn short_list_items_are_not_counters() {
        // dumps/24: a document's own 1、2、3、 items.
        let text = "1、将《科学》、《思品》、《信息技术》等学科纳入管理,狠抓落实,加强监管,开足开齐开好综合课程。\n2、强化科技创新思想,开展第一届校科技周活动。\n3、积极准备,努力撰写案例。";
        let p = run(text);
        assert_eq!(p.text(), text);
        assert_eq!(p.stats.chunk_markers, 0);
    }

    #[test]
    fn long_list_items_that_end_sentences_are_not_counters() {
        let item = |n: usize| format!("{n}、{}。", filler(150));
        let text = format!("{}\n{}\n{}\n{}", item(1), item(2), item(3), item(4));
        assert_eq!(run(&text).stats.chunk_markers, 0);
    }
}
