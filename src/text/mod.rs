//! Character classes and numerals shared by the cleaning and segmentation
//! stages.
//!
//! Everything here works on `char`s or `&str` slices and never allocates
//! unless it returns a `String`.

pub mod chars;
pub mod numeral;
pub mod traditional;

pub use chars::*;
pub use numeral::{parse_arabic, parse_chinese, parse_numeral};
pub use traditional::simplified;

/// A fast hasher for small keys (characters, short strings) in tables that
/// never see untrusted keys in adversarial amounts: the multiply-rotate
/// hash of rustc's `FxHasher`.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(buf));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// The pieces of `s` between copies of the ASCII byte `sep`, as
/// `s.split(sep as char)` gives them, found by a vectorised search (std's
/// searches a word at a time, and most texts hold no `sep` at all).
pub fn split_at_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii(), "an ASCII byte never falls inside a character");
    let mut start = 0;
    memchr::memchr_iter(sep, s.as_bytes()).map(Some).chain(std::iter::once(None)).map(move |end| {
        let end = end.unwrap_or(s.len());
        let piece = &s[start..end];
        start = end + 1;
        piece
    })
}

/// The pieces of `s` each ending with (and holding) a copy of the ASCII
/// byte `sep`, the last one without when `s` does not end with it, as
/// `s.split_inclusive(sep as char)` gives them: found by a vectorised
/// search, where std's searches a word at a time (a tenth of the section
/// finder's time in a .docx's long paragraphs).
pub fn split_inclusive_at_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii(), "an ASCII byte never falls inside a character");
    let mut start = 0;
    memchr::memchr_iter(sep, s.as_bytes()).map(|at| at + 1).chain(std::iter::once(s.len())).filter_map(move |end| {
        let piece = &s[start..end];
        start = end;
        (!piece.is_empty()).then_some(piece)
    })
}

/// A bit for every byte of `chunk` that lies in one of `ranges` (each
/// inclusive), found by SSE2 compares, sixteen bytes at once (byte by byte
/// where there is no SSE2). For scans that look for a few kinds of byte
/// where a table look-up per byte was the cost: `ranges` is a constant of
/// the caller, so the loop over it unrolls.
#[inline]
pub fn byte_mask16(chunk: &[u8; 16], ranges: &[(u8, u8)]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
            _mm_setzero_si128, _mm_sub_epi8,
        };
        // SAFETY: SSE2 is part of every x86_64 processor, and the load
        // reads the sixteen bytes of `chunk` (unaligned loads allowed).
        unsafe {
            let x = _mm_loadu_si128(chunk.as_ptr().cast());
            let mut hits = _mm_setzero_si128();
            for &(low, high) in ranges {
                let hit = if low == high {
                    _mm_cmpeq_epi8(x, _mm_set1_epi8(low as i8))
                } else {
                    // Unsigned `x - low <= high - low` as `min(d, high - low) == d`.
                    let d = _mm_sub_epi8(x, _mm_set1_epi8(low as i8));
                    _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(high.wrapping_sub(low) as i8)), d)
                };
                hits = _mm_or_si128(hits, hit);
            }
            _mm_movemask_epi8(hits) as u32
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    byte_mask16_bytewise(chunk, ranges)
}

/// [`byte_mask16`] one byte at a time.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn byte_mask16_bytewise(chunk: &[u8; 16], ranges: &[(u8, u8)]) -> u32 {
    chunk.iter().enumerate().filter(|&(_, &b)| in_ranges(b, ranges)).fold(0, |mask, (i, _)| mask | 1 << i)
}

fn in_ranges(b: u8, ranges: &[(u8, u8)]) -> bool {
    ranges.iter().any(|&(low, high)| (low..=high).contains(&b))
}

/// The positions, in order, of the bytes of `bytes` that lie in one of
/// `ranges`: [`byte_mask16`] sixteen bytes at a time, the last few one by
/// one.
pub fn byte_positions<'a>(bytes: &'a [u8], ranges: &'a [(u8, u8)]) -> impl Iterator<Item = usize> + 'a {
    let chunks = bytes.chunks_exact(16);
    let tail = bytes.len() - chunks.remainder().len();
    let in_chunks = chunks.enumerate().flat_map(move |(n, chunk)| {
        let mut mask = byte_mask16(chunk.try_into().expect("sixteen bytes"), ranges);
        std::iter::from_fn(move || {
            let at = n * 16 + mask.trailing_zeros() as usize;
            (mask != 0).then(|| {
                mask &= mask - 1;
                at
            })
        })
    });
    in_chunks.chain((tail..bytes.len()).filter(move |&i| in_ranges(bytes[i], ranges)))
}

/// Whether `bytes` holds a byte in `low..=high`, sixteen bytes a step (a
/// loop that stops at the first, where [`byte_positions`]' iterator was not
/// always inlined and cost three times as much).
pub fn has_byte_in(bytes: &[u8], low: u8, high: u8) -> bool {
    let chunks = bytes.chunks_exact(16);
    let tail = chunks.remainder();
    for chunk in chunks {
        if byte_mask16(chunk.try_into().expect("sixteen bytes"), &[(low, high)]) != 0 {
            return true;
        }
    }
    tail.iter().any(|b| (low..=high).contains(b))
}

/// The decimal digits of `n`, written into the end of `buf` (for hot
/// paths, where formatting into a new `String` would allocate).
pub fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).expect("ASCII digits")
}

/// Whether `s` holds the ASCII byte `b`, by a vectorised search.
pub fn has_byte(s: &str, b: u8) -> bool {
    memchr::memchr(b, s.as_bytes()).is_some()
}

/// Compiles a pattern for matching one line of text, with the ASCII forms
/// of `\d`, `\s` and `\S` (`[0-9]`, `[ \t]`, `[^ \t]`): their Unicode
/// classes make the automata ten times larger and slower to build, and the
/// texts they match (page counts, dates, spaces between fields) are ASCII
/// after normalisation. Panics on an invalid pattern: patterns are
/// constants, so a bad one is a bug caught by the first test that uses it.
pub fn line_regex(pattern: &str) -> regex::Regex {
    regex::Regex::new(&ascii_classes(pattern)).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
}

/// A pattern compiled by [`line_regex`] the first time it is used: for
/// lists of patterns each of which only some lines need (those that hold
/// a word, or get past a rule's gates), so that a document needing none
/// compiles none. Compiling all the site-chrome rules was 17 M of the 73 M
/// instructions of converting one small file.
pub struct LazyRegex {
    source: &'static str,
    compiled: std::sync::OnceLock<regex::Regex>,
}

impl LazyRegex {
    /// The pattern `source`, not compiled yet.
    pub const fn new(source: &'static str) -> Self {
        Self { source, compiled: std::sync::OnceLock::new() }
    }

    /// The compiled pattern.
    pub fn get(&self) -> &regex::Regex {
        self.compiled.get_or_init(|| line_regex(self.source))
    }

    /// The pattern as written.
    pub fn source(&self) -> &'static str {
        self.source
    }
}

fn ascii_classes(pattern: &str) -> String {
    pattern.replace(r"\d", "[0-9]").replace(r"\s", "[ \t]").replace(r"\S", "[^ \t]")
}

/// The bytes a text must begin with for `pattern` (compiled by
/// [`line_regex`]) to match it, when the pattern is anchored at the start
/// (`^`) and opens with a few literals; `None` when it may match whatever
/// the first byte. A regex search costs some 50 to 100 ns even when it
/// fails on the first byte, and a cleaner tries dozens of anchored
/// patterns on every line: a look at the first byte skips most of them.
/// The first bytes of [`first_chars`].
pub fn first_bytes(pattern: &str) -> Option<Box<[bool; 256]>> {
    let mut bytes = Box::new([false; 256]);
    for c in first_chars(pattern)? {
        bytes[usize::from(c.encode_utf8(&mut [0; 4]).as_bytes()[0])] = true;
    }
    Some(bytes)
}

/// The characters a text must begin with for `pattern` (compiled by
/// [`line_regex`]) to match it, sorted, when the pattern is anchored at the
/// start (`^`) and opens with a finite set of literals; `None` when it may
/// match whatever the first character. Finer than [`first_bytes`]: the
/// first byte of a Chinese character is shared by thousands of others, so
/// a byte lets nearly every Chinese line through.
pub fn first_chars(pattern: &str) -> Option<Vec<char>> {
    edge_chars(pattern, Edge::Start)
}

/// The characters a text must end with for `pattern` (compiled by
/// [`line_regex`]) to match it, sorted, when the pattern is anchored at the
/// end (`$`) and closes with a finite set of literals; `None` when it may
/// match whatever the last character. The mirror of [`first_chars`], for
/// patterns open at the start (`^.+?_第\d+页$`), which only a look at the
/// end of a line can turn away without a search.
pub fn last_chars(pattern: &str) -> Option<Vec<char>> {
    edge_chars(pattern, Edge::End)
}

/// The end of a text [`edge_chars`] looks at.
#[derive(Clone, Copy)]
enum Edge {
    Start,
    End,
}

fn edge_chars(pattern: &str, edge: Edge) -> Option<Vec<char>> {
    let hir = anchored_at(pattern, edge).then(|| regex_syntax::parse(&ascii_classes(pattern)).ok()).flatten()?;
    edge_chars_of(&hir, edge)
}

/// [`first_chars`] and [`last_chars`] of `pattern`, parsing it once.
pub fn first_and_last_chars(pattern: &str) -> (Option<Vec<char>>, Option<Vec<char>>) {
    let (start, end) = (anchored_at(pattern, Edge::Start), anchored_at(pattern, Edge::End));
    let Some(hir) = (start || end).then(|| regex_syntax::parse(&ascii_classes(pattern)).ok()).flatten() else {
        return (None, None);
    };
    let of = |anchored: bool, edge| if anchored { edge_chars_of(&hir, edge) } else { None };
    (of(start, Edge::Start), of(end, Edge::End))
}

/// Whether `pattern` may be anchored at `edge`: only `^` and `\A` (`$`,
/// `\z`) anchor one, and a pattern without one is not parsed (at
/// start-up, 3 M instructions of the 13 M these took).
fn anchored_at(pattern: &str, edge: Edge) -> bool {
    let anchors: &[&str] = match edge {
        Edge::Start => &["^", r"\A"],
        Edge::End => &["$", r"\z"],
    };
    anchors.iter().any(|a| pattern.contains(a))
}

fn edge_chars_of(hir: &regex_syntax::hir::Hir, edge: Edge) -> Option<Vec<char>> {
    use regex_syntax::hir::Look;
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let (anchored, kind) = match edge {
        Edge::Start => (hir.properties().look_set_prefix().contains(Look::Start), ExtractKind::Prefix),
        Edge::End => (hir.properties().look_set_suffix().contains(Look::End), ExtractKind::Suffix),
    };
    if !anchored {
        return None;
    }
    // The limits are raised from their defaults so that a long list of
    // words (`^(?:下[载載]资源|…)$`, ~60 literals) stays finite.
    let literals = Extractor::new().kind(kind).limit_total(4096).extract(hir);
    let mut chars = Vec::new();
    for literal in literals.literals()? {
        // The literal's first (last) character, which it must hold whole.
        let mut chunks = literal.as_bytes().utf8_chunks();
        let c = match edge {
            Edge::Start => chunks.next()?.valid().chars().next()?,
            Edge::End => {
                let last = chunks.last().filter(|chunk| chunk.invalid().is_empty())?;
                last.valid().chars().next_back()?
            }
        };
        chars.push(c);
    }
    chars.sort_unstable();
    chars.dedup();
    Some(chars)
}

/// Every text of up to `most` of `pieces`, each once: for tests that
/// compare two ways of reading text on all short inputs.
#[cfg(test)]
pub(crate) fn texts_of(pieces: &[&str], most: usize) -> Vec<String> {
    let mut texts = vec![String::new()];
    let mut longest = vec![String::new()];
    for _ in 0..most {
        longest = longest.iter().flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}"))).collect();
        texts.extend(longest.iter().cloned());
    }
    texts.sort();
    texts.dedup();
    texts
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_digits_are_those_formatting_writes() {
        for n in [0, 1, 9, 10, 99, 100, 4_294_967_295, usize::MAX] {
            assert_eq!(super::decimal(n, &mut [0; 20]), n.to_string());
        }
    }

    /// Found in a chunk of sixteen and in the tail, at both ends of the
    /// range, and not for the bytes just outside it.
    #[test]
    fn a_byte_in_a_range_is_found_wherever_it_stands() {
        for len in [0, 1, 15, 16, 17, 40] {
            let text = vec![b'x'; len];
            assert!(!super::has_byte_in(&text, b'0', b'9'));
            for at in 0..len {
                for (b, inside) in [(b'0', true), (b'9', true), (b'/', false), (b':', false), (0xE4, false)] {
                    let mut text = text.clone();
                    text[at] = b;
                    assert_eq!(super::has_byte_in(&text, b'0', b'9'), inside, "{len} {at} {b}");
                }
            }
        }
    }

    #[test]
    fn splits_at_a_byte_are_splits_by_the_character() {
        for s in ["", "\n", "a", "a\nb", "\n\n", "一\n二\n", "\n三", "四五", "a\n\nb\n"] {
            assert_eq!(super::split_at_byte(s, b'\n').collect::<Vec<_>>(), s.split('\n').collect::<Vec<_>>(), "{s:?}");
            assert_eq!(
                super::split_inclusive_at_byte(s, b'\n').collect::<Vec<_>>(),
                s.split_inclusive('\n').collect::<Vec<_>>(),
                "{s:?}"
            );
            assert_eq!(super::has_byte(s, b'\n'), s.contains('\n'), "{s:?}");
            assert_eq!(super::has_byte_in(s.as_bytes(), b'\n', b'\n'), s.contains('\n'), "{s:?}");
        }
    }

    use super::*;

    #[test]
    fn first_chars_of_anchored_patterns() {
        let set = |p: &str| first_chars(p).map(|c| c.into_iter().collect::<String>());
        assert_eq!(set("^上[传傳]人[:：]").as_deref(), Some("上"));
        assert_eq!(set(r"^\d{4}-\d{1,2}").as_deref(), Some("0123456789"));
        assert_eq!(set("^(?:ID|资源ID|文档编号)[:：]").as_deref(), Some("I文资"));
        assert_eq!(set("^(?:•\\s*)?(?:[资資]源|下[载載])$").as_deref(), Some("•下資资"));
        // A long list of words stays finite.
        let words: Vec<String> = (0..60u32).map(|i| char::from_u32(0x4e00 + i).unwrap().to_string() + "词").collect();
        assert_eq!(first_chars(&format!("^(?:{})$", words.join("|"))).map(|c| c.len()), Some(60));
        // Not anchored, or open at the start: no filter.
        assert_eq!(set("下[载載]积分"), None);
        assert_eq!(set("^.+?_第"), None);
        assert_eq!(set(r"^\S{1,12}>"), None);
        assert_eq!(set("^x?"), None, "matches the empty string");
        // Every pattern that passes the filter matches only texts that
        // begin with one of its characters.
        let re = line_regex("^(?:•\\s*)?(?:[资資]源|下[载載])$");
        let chars = first_chars("^(?:•\\s*)?(?:[资資]源|下[载載])$").unwrap();
        for t in ["资源", "資源", "下载", "• 下載", "•下载", "源", "上载"] {
            let first = t.chars().next().unwrap();
            assert!(!re.is_match(t) || chars.contains(&first), "{t}");
        }
    }

    #[test]
    fn the_sixteen_byte_mask_marks_the_bytes_in_the_ranges() {
        let sets: [&[(u8, u8)]; 4] =
            [&[(0x00, 0x1F), (b'"', b'"')], &[(0xE1, 0xE3), (0x7F, 0x7F), (0xFF, 0xFF)], &[(0x00, 0xFF)], &[]];
        for ranges in sets {
            for background in [0x00, 0x1F, 0x20, b'"', 0x7F, 0x80, 0xE0, 0xE1, 0xE3, 0xE4, 0xFF] {
                for at in 0..16 {
                    for b in 0..=255u8 {
                        let mut chunk = [background; 16];
                        chunk[at] = b;
                        let (got, want) = (byte_mask16(&chunk, ranges), byte_mask16_bytewise(&chunk, ranges));
                        assert_eq!(got, want, "{ranges:?} {background:#x} {b:#x} at {at}");
                    }
                }
            }
            // Positions over every length around two steps.
            for len in 0..40 {
                let bytes: Vec<u8> = (0..len).map(|i| [0x00, 0x20, 0x7F, 0xE2, 0xE4, 0xFF, b'"'][i * 5 % 7]).collect();
                let want: Vec<usize> = (0..len).filter(|&i| in_ranges(bytes[i], ranges)).collect();
                assert_eq!(byte_positions(&bytes, ranges).collect::<Vec<_>>(), want, "{ranges:?} {len}");
            }
        }
    }

    #[test]
    fn last_chars_of_patterns_anchored_at_the_end() {
        let set = |p: &str| last_chars(p).map(|c| c.into_iter().collect::<String>());
        assert_eq!(set(r"^.+?_第\s*\d+\s*[页頁]$").as_deref(), Some("頁页"));
        assert_eq!(set(r"^-?\s*.+?推[荐薦]度[:：]\s*$").as_deref(), Some("\t :："));
        assert_eq!(
            set(r"(?:下[载載]积分|[下載载]+[券劵])\s*[:：]?\s*\d+\s*(?:金[币幣]|积分|分)?\s*$").as_deref(),
            Some("\t 0123456789分币幣")
        );
        // Not anchored, or open at the end: no filter.
        assert_eq!(set("下[载載]积分"), None);
        assert_eq!(set(r"^第\s*\d+"), None);
        assert_eq!(set(r"_\S+$"), None);
        assert_eq!(set("x?$"), None, "matches the empty string");
        // Every pattern that passes the filter matches only texts that end
        // with one of its characters.
        let pattern = r"^.+?_第\s*\d+\s*[页頁]$";
        let (re, chars) = (line_regex(pattern), last_chars(pattern).unwrap());
        for t in ["封面_第1页", "封面_第 12 頁", "封面_第1页 ", "_第1页", "封面_第一页", "第1页"] {
            let last = t.chars().next_back().unwrap();
            assert!(!re.is_match(t) || chars.contains(&last), "{t}");
        }
    }

    #[test]
    fn first_bytes_of_anchored_patterns() {
        let set = |p: &str| first_bytes(p).map(|b| (0..=255u8).filter(|&i| b[usize::from(i)]).collect::<Vec<u8>>());
        assert_eq!(set("^上[传傳]人[:：]"), Some("上".as_bytes()[..1].to_vec()));
        assert_eq!(set(r"^\d{4}-\d{1,2}"), Some((b'0'..=b'9').collect()));
        let mut id = vec![b'I', "资".as_bytes()[0], "文".as_bytes()[0]];
        id.sort_unstable();
        id.dedup();
        assert_eq!(set("^(?:ID|资源ID|文档编号)[:：]"), Some(id));
        // Not anchored, or open at the start: no filter.
        assert_eq!(set("下[载載]积分"), None);
        assert_eq!(set("^.+?_第"), None);
        assert_eq!(set("^x?"), None, "matches the empty string");
        assert_eq!(set("^(?:a|)b"), Some(vec![b'a', b'b']));
        // `\s` is a space or a tab here.
        assert_eq!(set(r"^\s*相"), Some(vec![b'\t', b' ', "相".as_bytes()[0]]));
    }
}
