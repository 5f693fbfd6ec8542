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

/// Compiles a pattern for matching one line of text, with the ASCII forms
/// of `\d`, `\s` and `\S` (`[0-9]`, `[ \t]`, `[^ \t]`): their Unicode
/// classes make the automata ten times larger and slower to build, and the
/// texts they match (page counts, dates, spaces between fields) are ASCII
/// after normalisation. Panics on an invalid pattern: patterns are
/// constants, so a bad one is a bug caught by the first test that uses it.
pub fn line_regex(pattern: &str) -> regex::Regex {
    let ascii = pattern.replace(r"\d", "[0-9]").replace(r"\s", "[ \t]").replace(r"\S", "[^ \t]");
    regex::Regex::new(&ascii).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
}
