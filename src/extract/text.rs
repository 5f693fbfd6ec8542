//! Decoding text files whose encoding nobody wrote down.
//!
//! Order of evidence: a byte-order mark; valid UTF-8; the zero-byte pattern
//! of UTF-16 without a mark; UTF-8 with a few damaged bytes; then
//! `chardetng`'s scores, where GB18030 (a superset of GBK and GB2312) and
//! Big5 are compared with each other first, since those are what Chinese
//! dumps use.

use encoding_rs::{BIG5, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

use super::Block;

/// Why bytes could not be read as text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes hold NULs or control characters: binary data, not text.
    #[error("not text: binary data ({0})")]
    Binary(String),
    /// Not UTF-8, UTF-16, GB18030 or Big5, and not mostly-ASCII text in a
    /// single-byte encoding either: decoding would give mojibake.
    #[error("undecodable: not text in any supported encoding ({invalid_percent}% of bytes invalid as UTF-8)")]
    Unknown {
        /// Share of bytes in invalid UTF-8 sequences, in percent.
        invalid_percent: u32,
    },
    /// Too many bytes are invalid in every candidate encoding.
    #[error("undecodable: {replaced} of {chars} characters invalid as {encoding}")]
    Undecodable {
        /// The best encoding found.
        encoding: &'static str,
        /// Characters that had to be replaced.
        replaced: usize,
        /// Characters decoded.
        chars: usize,
    },
}

/// Decoded text and what was learnt while decoding it.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding used: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `GB18030`,
    /// `Big5`, or another WHATWG name.
    pub encoding: &'static str,
    /// How many undecodable byte sequences were replaced with U+FFFD.
    pub replaced: usize,
}

impl Decoded {
    /// The warning that records replaced bytes.
    pub fn replacement_warning(&self) -> String {
        format!("{} undecodable byte sequence(s) replaced with U+FFFD ({})", self.replaced, self.encoding)
    }
}

fn name_of(enc: &'static Encoding) -> &'static str {
    if enc == GBK || enc == GB18030 {
        "GB18030"
    } else if enc == BIG5 {
        "Big5"
    } else {
        enc.name()
    }
}

/// Decodes `bytes` as text, detecting the encoding.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(enc, &bytes[bom_len..]);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        check_not_binary(text)?;
        return Ok(Decoded { text: text.to_string(), encoding: "UTF-8", replaced: 0 });
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return finish(enc, bytes);
    }
    let utf8 = utf8_damage(bytes);
    if utf8.looks_like_utf8() {
        return finish(UTF_8, bytes);
    }
    if bytes.contains(&0) {
        return Err(DecodeError::Binary("NUL bytes".into()));
    }
    let enc = guess_legacy(bytes);
    // A single-byte guess for a text that is mostly high bytes is noise or
    // damaged multi-byte text, not a Western document: mojibake would be
    // written as if it were text. (Cyrillic and Greek legacy files fall
    // here too; Chinese dumps are not written in them.)
    let high = bytes.iter().filter(|b| !b.is_ascii()).count();
    if enc.is_single_byte() && high * 5 > bytes.len() {
        let invalid_percent = (utf8.invalid_bytes * 100 / bytes.len().max(1)) as u32;
        return Err(DecodeError::Unknown { invalid_percent });
    }
    finish(enc, bytes)
}

fn finish(enc: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let enc = if enc == GBK { GB18030 } else { enc };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let replaced = if had_errors { text.chars().filter(|&c| c == '\u{FFFD}').count() } else { 0 };
    let chars = text.chars().count();
    if replaced > 0 && replaced * 20 > chars {
        return Err(DecodeError::Undecodable { encoding: name_of(enc), replaced, chars });
    }
    check_not_binary(&text)?;
    Ok(Decoded { text: text.into_owned(), encoding: name_of(enc), replaced })
}

/// Text files hold no NULs and almost no C0 controls besides tab, line
/// feed, carriage return and form feed.
fn check_not_binary(text: &str) -> Result<(), DecodeError> {
    let mut controls = 0usize;
    let mut total = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return Err(DecodeError::Binary("NUL characters".into()));
        }
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}' | '\u{0B}' | '\u{1B}')) && (c as u32) < 0x20 {
            controls += 1;
        }
    }
    if controls > 8 && controls * 100 > total {
        return Err(DecodeError::Binary(format!("{controls} control characters")));
    }
    Ok(())
}

/// UTF-16 without a byte-order mark shows as a zero byte in every pair that
/// holds an ASCII character (line breaks, digits, Latin punctuation), always
/// on the same side.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(1 << 16) & !1];
    let pairs = sample.len() / 2;
    let (mut zero_hi, mut zero_lo) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        match (pair[0] == 0, pair[1] == 0) {
            (false, true) => zero_hi += 1,
            (true, false) => zero_lo += 1,
            _ => {}
        }
    }
    let enough = |n: usize| n * 50 >= pairs && n >= 2;
    let (enc, ok) = if enough(zero_hi) && zero_lo * 4 < zero_hi {
        (UTF_16LE, true)
    } else if enough(zero_lo) && zero_hi * 4 < zero_lo {
        (UTF_16BE, true)
    } else {
        (UTF_8, false)
    };
    if !ok {
        return None;
    }
    let (_, had_errors) = enc.decode_without_bom_handling(sample);
    (!had_errors).then_some(enc)
}

/// How much of a byte string is well-formed UTF-8 beyond ASCII.
struct Utf8Damage {
    /// Bytes in valid multi-byte sequences.
    multibyte_bytes: usize,
    /// Bytes in invalid sequences.
    invalid_bytes: usize,
    /// Invalid sequences.
    invalid: usize,
}

impl Utf8Damage {
    /// UTF-8 with broken sequences (a cut-off last character, damaged
    /// bytes) is still UTF-8. Legacy encodings of Chinese read as UTF-8 are
    /// almost all invalid: about one GBK pair in ten happens to form a
    /// valid sequence.
    fn looks_like_utf8(&self) -> bool {
        self.multibyte_bytes >= 24 && (self.invalid <= 2 || self.invalid_bytes * 100 <= self.multibyte_bytes * 25)
    }
}

fn utf8_damage(bytes: &[u8]) -> Utf8Damage {
    let mut d = Utf8Damage { multibyte_bytes: 0, invalid_bytes: 0, invalid: 0 };
    let count = |s: &str| s.chars().filter(|c| !c.is_ascii()).map(char::len_utf8).sum::<usize>();
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                d.multibyte_bytes += count(s);
                return d;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                d.multibyte_bytes += std::str::from_utf8(good).map(count).unwrap_or(0);
                let skip = e.error_len().unwrap_or(bad.len()).max(1).min(bad.len());
                d.invalid += 1;
                d.invalid_bytes += skip;
                rest = &bad[skip..];
                if rest.is_empty() {
                    return d;
                }
            }
        }
    }
}

/// Bytes the detector sees: it costs about two thousand instructions a
/// byte, and a few kilobytes of Chinese tell GB18030 from Big5 as well as
/// the whole file does.
const DETECTOR_SAMPLE: usize = 16 << 10;

fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // A sample cut inside a character is not its end: the detector keeps
    // the partial sequence pending instead of counting it as an error.
    let sample = &bytes[..bytes.len().min(DETECTOR_SAMPLE)];
    detector.feed(sample, sample.len() == bytes.len());
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == GBK || guess == GB18030 || guess == BIG5 {
        return guess;
    }
    // Short or unusual texts can fool the detector into a single-byte or
    // Japanese or Korean guess; Chinese dumps are GB or Big5, so those two
    // are compared on how much of the text is common Chinese.
    let gb = chinese_score(GB18030, bytes);
    let big5 = chinese_score(BIG5, bytes);
    match (gb, big5) {
        (g, b) if g >= b && g > 0.2 => GB18030,
        (_, b) if b > 0.2 => BIG5,
        _ => guess,
    }
}

/// Share of decoded characters that are among the most common Chinese
/// characters (simplified and traditional), minus a penalty for invalid
/// bytes.
fn chinese_score(enc: &'static Encoding, bytes: &[u8]) -> f32 {
    const COMMON: &str = "的一是不了在人有我他这個个们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心她本前开開但因只从從想实實这這";
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let mut total = 0usize;
    let mut common = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        if c == '\u{FFFD}' {
            bad += 1;
        } else if !c.is_ascii() {
            total += 1;
            if COMMON.contains(c) {
                common += 1;
            }
        }
    }
    if total == 0 {
        return 0.0;
    }
    (common as f32 - 4.0 * bad as f32) / total as f32
}

/// Splits decoded text into one block per line (`\n`, `\r\n` or `\r`).
/// Blank lines are kept as empty blocks: cleaners use them.
pub fn blocks(text: &str) -> Vec<Block> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find(['\n', '\r']) {
            Some(i) => {
                out.push(Block::paragraph(&rest[..i]));
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
            }
            None => {
                out.push(Block::paragraph(rest));
                rest = "";
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "《“新质生产力”研讨交流材料及心得感悟8篇.docx》由会员分享,可在线阅读。\n1、第1篇抓住新一轮科技革命和产业变革机遇加速形成新质生产力";

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(SAMPLE.as_bytes()).unwrap();
        assert_eq!((d.encoding, d.replaced), ("UTF-8", 0));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&bom).unwrap();
        assert_eq!(d.text, SAMPLE);
    }

    #[test]
    fn utf16_with_bom() {
        let (le, _, _) = UTF_16LE.encode(SAMPLE);
        // encoding_rs encodes UTF-16 as UTF-8 (WHATWG), so build it by hand.
        assert!(!le.is_empty());
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(SAMPLE.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, "UTF-16LE"));
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(SAMPLE.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&bytes).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn utf16_without_bom_by_zero_bytes() {
        let bytes: Vec<u8> = SAMPLE.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let d = decode(&bytes).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, "UTF-16LE"));
    }

    #[test]
    fn gb18030_and_big5() {
        let (gb, _, _) = GB18030.encode(SAMPLE);
        let d = decode(&gb).unwrap();
        assert_eq!((d.text.as_str(), d.encoding, d.replaced), (SAMPLE, "GB18030", 0));
        let trad = "《企業員工的培訓與開發》由會員分享，可在線閱讀，更多相關內容請在淘文閣上搜索。第一章總則第一條為規範集團公司的人力資源規劃工作，根據公司發展需要的內、外部環境，運用科學合理的方法。";
        let (b5, _, had_errors) = BIG5.encode(trad);
        assert!(!had_errors);
        let d = decode(&b5).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (trad, "Big5"));
    }

    #[test]
    fn long_texts_are_told_apart_from_a_sample() {
        let gb_text = SAMPLE.repeat(500);
        let (gb, _, _) = GB18030.encode(&gb_text);
        assert!(gb.len() > 2 * DETECTOR_SAMPLE);
        let d = decode(&gb).unwrap();
        assert_eq!((d.encoding, d.replaced, d.text == gb_text), ("GB18030", 0, true));
        let trad = "《企業員工的培訓與開發》由會員分享，可在線閱讀。第一章總則第一條為規範集團公司的人力資源規劃工作。"
            .repeat(500);
        let (b5, _, _) = BIG5.encode(&trad);
        assert!(b5.len() > 2 * DETECTOR_SAMPLE);
        assert_eq!(decode(&b5).unwrap().encoding, "Big5");
    }

    #[test]
    fn utf8_with_a_cut_last_character_stays_utf8() {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes.extend_from_slice(&"新".as_bytes()[..2]);
        let d = decode(&bytes).unwrap();
        assert_eq!((d.encoding, d.replaced), ("UTF-8", 1));
        assert!(d.text.starts_with(SAMPLE));
    }

    #[test]
    fn damaged_utf8_stays_utf8_and_noise_is_refused() {
        let mut bytes = SAMPLE.as_bytes().to_vec().repeat(20);
        for i in (0..bytes.len()).step_by(50) {
            bytes[i] = 0xFF;
        }
        // Damaged, not mojibake: UTF-8 with replacements (too many here).
        let err = decode(&bytes).unwrap_err();
        assert!(err.to_string().contains("invalid as UTF-8"), "{err}");
        let mut noise = "中文开头".as_bytes().to_vec();
        for i in 0..400u32 {
            noise.extend_from_slice(&[0xFF, 0xC3, (i % 64) as u8 + 0x20]);
        }
        let err = decode(&noise).unwrap_err();
        assert!(matches!(err, DecodeError::Unknown { .. }), "{err}");
        // Western text in a single-byte encoding is still read.
        let latin = b"Le caf\xE9 est d\xE9j\xE0 pr\xEAt, dit-elle \xE0 la fen\xEAtre; il \xE9tait tr\xE8s t\xF4t.";
        assert_eq!(decode(latin).unwrap().text, "Le café est déjà prêt, dit-elle à la fenêtre; il était très tôt.");
    }

    #[test]
    fn binary_is_refused() {
        let bytes: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
        assert!(decode(&bytes).is_err());
    }

    #[test]
    fn lines_split_on_any_line_break() {
        let b = blocks("a\r\nb\rc\n\nd");
        let texts: Vec<_> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c", "", "d"]);
    }
}
