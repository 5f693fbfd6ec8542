//! Characters of symbol fonts (`w:sym w:font="Wingdings" w:char="F0FE"`).
//!
//! Symbol fonts put their glyphs at code points that mean something else
//! in Unicode (Word writes them as U+F000 + the font's byte). The tables map
//! the glyphs people actually use in documents (Greek and math signs of
//! Symbol; check boxes, bullets, arrows and circled digits of Wingdings) to
//! their Unicode characters. A code with no mapping gives nothing rather
//! than a private-use character.

/// The character `w:sym` shows: `code` is the `w:char` value, `font` the
/// `w:font` name.
pub fn sym_char(font: Option<&str>, code: u32) -> Option<char> {
    // Symbol fonts are addressed both as F0xx and as plain 00xx.
    let (byte, private) = match code {
        0xF000..=0xF0FF => (code - 0xF000, true),
        0..=0xFF => (code, false),
        _ => return char::from_u32(code).filter(|c| !is_private_use(*c)),
    };
    let font = font.unwrap_or("").trim().to_ascii_lowercase();
    match font.as_str() {
        "symbol" => symbol(byte),
        "wingdings" => wingdings(byte),
        "wingdings 2" => wingdings2(byte),
        // A glyph of another symbol font (Webdings, Wingdings 3 …): no
        // mapping.
        _ if private => None,
        // An ordinary font: the code is the character (Latin-1).
        _ => char::from_u32(byte).filter(|c| !c.is_control()),
    }
}

fn is_private_use(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// Symbol (Adobe Symbol encoding, as in Windows' Symbol font).
fn symbol(byte: u32) -> Option<char> {
    const LOW: &str =
        " !∀#∃%&∋()∗+,−./0123456789:;<=>?≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_\u{F8E5}αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼";
    const HIGH: &str =
        "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓◊〈®©™∑⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪\u{F8FF}〉∫⌠⎮⌡⎞⎟⎠⎤⎥⎦⎫⎬⎭";
    let c = match byte {
        0x20..=0x7E => LOW.chars().nth((byte - 0x20) as usize),
        0xA0..=0xFE => HIGH.chars().nth((byte - 0xA0) as usize),
        _ => None,
    }?;
    (!is_private_use(c)).then_some(c)
}

/// Wingdings: the glyphs with Unicode equivalents that documents use.
fn wingdings(byte: u32) -> Option<char> {
    Some(match byte {
        0x20 => ' ',
        0x21 => '✏',
        0x22 => '✂',
        0x23 => '✁',
        0x28 => '☎',
        0x29 => '✆',
        0x2A => '✉',
        0x36 => '⌛',
        0x37 => '⌨',
        0x3E => '✇',
        0x3F => '✍',
        0x41 => '✌',
        0x43 => '👍',
        0x44 => '👎',
        0x45 => '☜',
        0x46 => '☞',
        0x47 => '☝',
        0x48 => '☟',
        0x4A => '☺',
        0x4B => '😐',
        0x4C => '☹',
        0x4E => '☠',
        0x51 => '✈',
        0x52 => '☼',
        0x54 => '❄',
        0x56 => '✞',
        0x58 => '✠',
        0x59 => '✡',
        0x5A => '☪',
        0x5B => '☯',
        0x5C => 'ॐ',
        0x5D => '☸',
        0x5E..=0x69 => char::from_u32(0x2648 + byte - 0x5E)?, // ♈ … ♓
        0x6C => '●',
        0x6D => '❍',
        0x6E => '■',
        0x6F => '□',
        0x71 => '❑',
        0x72 => '❒',
        0x73 => '⬧',
        0x74 => '⧫',
        0x75 => '◆',
        0x76 => '❖',
        0x77 => '⬥',
        0x78 => '⌧',
        0x7A => '⌘',
        0x7B => '❀',
        0x7C => '✿',
        0x7D => '❝',
        0x7E => '❞',
        0x80 => '⓪',
        0x81..=0x8A => char::from_u32(0x2460 + byte - 0x81)?, // ① … ⑩
        0x8B => '⓿',
        0x8C..=0x95 => char::from_u32(0x2776 + byte - 0x8C)?, // ❶ … ❿
        0x9E => '·',
        0x9F => '•',
        0xA0 => '▪',
        0xA1 => '○',
        0xA4 => '◉',
        0xA5 => '◎',
        0xA7 => '▪',
        0xA8 => '◻',
        0xAA => '✦',
        0xAB => '★',
        0xAC => '✶',
        0xAD => '✴',
        0xAE => '✹',
        0xAF => '✵',
        0xB1 => '⌖',
        0xB5 => '✪',
        0xB6 => '✰',
        0xD5 => '⌫',
        0xD6 => '⌦',
        0xD8 => '➢',
        0xDF => '←',
        0xE0 => '→',
        0xE1 => '↑',
        0xE2 => '↓',
        0xE8 => '➔',
        0xEF => '⇦',
        0xF0 => '⇨',
        0xF1 => '⇧',
        0xF2 => '⇩',
        0xF3 => '⬄',
        0xF4 => '⇳',
        0xFB => '✗',
        0xFC => '✓',
        0xFD => '☒',
        0xFE => '☑',
        _ => return None,
    })
}

/// Wingdings 2: its check marks and boxes, common in Chinese forms
/// (□ 是 ☑ 否).
fn wingdings2(byte: u32) -> Option<char> {
    Some(match byte {
        0x4F => '✗',
        0x50 => '✓',
        0x51 | 0x53 | 0x54 => '☒',
        0x52 => '☑',
        0x97 | 0x98 => '●',
        0x99 => '○',
        0xA2 => '■',
        0xA3 => '□',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_font_maps_greek_and_math() {
        assert_eq!(sym_char(Some("Symbol"), 0xF061), Some('α'));
        assert_eq!(sym_char(Some("Symbol"), 0xF0B3), Some('≥'));
        assert_eq!(sym_char(Some("Symbol"), 0xF0D6), Some('√'));
        assert_eq!(sym_char(Some("Symbol"), 0xF0B7), Some('•'));
        assert_eq!(sym_char(Some("Symbol"), 0x70), Some('π'));
    }

    #[test]
    fn wingdings_maps_boxes_and_bullets() {
        assert_eq!(sym_char(Some("Wingdings"), 0xF0FE), Some('☑'));
        assert_eq!(sym_char(Some("Wingdings"), 0xF0A8), Some('◻'));
        assert_eq!(sym_char(Some("Wingdings"), 0xF0D8), Some('➢'));
        assert_eq!(sym_char(Some("Wingdings"), 0xF082), Some('②'));
        assert_eq!(sym_char(Some("Wingdings 2"), 0xF052), Some('☑'));
        assert_eq!(sym_char(Some("Wingdings 2"), 0xF0A3), Some('□'));
    }

    #[test]
    fn unmapped_codes_give_nothing() {
        assert_eq!(sym_char(Some("Wingdings"), 0xF0B9), None);
        assert_eq!(sym_char(Some("Webdings"), 0xF8FF), None);
        assert_eq!(sym_char(Some("Symbol"), 0xF0F0), None);
    }

    #[test]
    fn ordinary_fonts_and_unicode_codes_pass_through() {
        assert_eq!(sym_char(Some("宋体"), 0x2014), Some('—'));
        assert_eq!(sym_char(Some("Times New Roman"), 0x00E9), Some('é'));
        assert_eq!(sym_char(Some("Webdings"), 0xF0E6), None);
        assert_eq!(sym_char(None, 0x263A), Some('☺'));
    }
}
