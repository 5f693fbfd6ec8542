//! Numerals as they appear in Chinese section labels: Arabic (`12`),
//! Chinese (`十二`, `一百零五`, financial `壹拾贰`), circled (`⑫`),
//! parenthesised (`⑿`) and Roman (`Ⅻ`).

/// The value of one Chinese digit character, financial and traditional
/// forms included.
#[inline]
pub fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' | 'Ｏ' => 0,
        '一' | '壹' | '弌' => 1,
        '二' | '贰' | '貳' | '两' | '兩' | '弍' => 2,
        '三' | '叁' | '參' | '叄' | '弎' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// The multiplier of a Chinese unit character (`十` = 10 …).
#[inline]
fn chinese_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        '万' | '萬' => 10_000,
        _ => return None,
    })
}

/// True when `c` can be part of a Chinese numeral.
#[inline]
pub fn is_chinese_numeral_char(c: char) -> bool {
    chinese_digit(c).is_some() || chinese_unit(c).is_some()
}

/// Parses a whole string as a Chinese numeral: `十二` → 12, `二十` → 20,
/// `一百零五` → 105, `三〇` → 30 (digit-by-digit form).
pub fn parse_chinese(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    // Digit-by-digit form (`二〇二四`, `三〇`): only digits, more than one.
    if s.chars().count() > 1 && s.chars().all(|c| chinese_digit(c).is_some()) {
        let mut v: u32 = 0;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(chinese_digit(c)?)?;
        }
        return Some(v);
    }
    let mut total: u32 = 0;
    let mut section: u32 = 0;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        if let Some(d) = chinese_digit(c) {
            // `零` only holds a place: `一百零五`.
            if d == 0 {
                continue;
            }
            if digit.is_some() {
                return None; // two digits in a row without a unit: not a numeral
            }
            digit = Some(d);
        } else if let Some(unit) = chinese_unit(c) {
            if unit == 10_000 {
                section = section.checked_add(digit.unwrap_or(0))?;
                total = total.checked_add(section.checked_mul(unit)?)?;
                section = 0;
            } else {
                // `十二` has an implicit 1 before 十.
                section = section.checked_add(digit.unwrap_or(1).checked_mul(unit)?)?;
            }
            digit = None;
        } else {
            return None;
        }
    }
    Some(total + section + digit.unwrap_or(0))
}

/// Parses ASCII digits.
pub fn parse_arabic(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The value of a single enclosed or Roman numeral character: `①` → 1,
/// `⑴` → 1, `⒈` → 1, `Ⅲ` → 3, `ⅲ` → 3.
pub fn enclosed_value(c: char) -> Option<u32> {
    let u = c as u32;
    Some(match u {
        0x2460..=0x2473 => u - 0x2460 + 1,  // ① … ⑳
        0x3251..=0x325F => u - 0x3251 + 21, // ㉑ … ㉟
        0x32B1..=0x32BF => u - 0x32B1 + 36, // ㊱ … ㊿
        0x2474..=0x2487 => u - 0x2474 + 1,  // ⑴ … ⒇
        0x2488..=0x249B => u - 0x2488 + 1,  // ⒈ … ⒛
        0x2776..=0x277F => u - 0x2776 + 1,  // ❶ … ❿
        0x2780..=0x2789 => u - 0x2780 + 1,  // ➀ … ➉
        0x278A..=0x2793 => u - 0x278A + 1,  // ➊ … ➓
        0x24F5..=0x24FE => u - 0x24F5 + 1,  // ⓵ … ⓾
        0x2160..=0x216B => u - 0x2160 + 1,  // Ⅰ … Ⅻ
        0x2170..=0x217B => u - 0x2170 + 1,  // ⅰ … ⅻ
        _ => return None,
    })
}

/// Parses any of the numeral forms above.
pub fn parse_numeral(s: &str) -> Option<u32> {
    if let Some(v) = parse_arabic(s) {
        return Some(v);
    }
    let mut it = s.chars();
    if let (Some(c), None) = (it.next(), it.next())
        && let Some(v) = enclosed_value(c)
    {
        return Some(v);
    }
    parse_chinese(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        let cases = [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百零五", 105),
            ("壹拾贰", 12),
            ("三〇", 30),
            ("二〇二四", 2024),
            ("两", 2),
            ("壹", 1),
        ];
        for (s, v) in cases {
            assert_eq!(parse_chinese(s), Some(v), "{s}");
        }
        assert_eq!(parse_chinese("一二三"), Some(123));
        assert_eq!(parse_chinese("个"), None);
        assert_eq!(parse_chinese(""), None);
    }

    #[test]
    fn enclosed_and_roman() {
        assert_eq!(parse_numeral("①"), Some(1));
        assert_eq!(parse_numeral("⑳"), Some(20));
        assert_eq!(parse_numeral("⑴"), Some(1));
        assert_eq!(parse_numeral("Ⅳ"), Some(4));
        assert_eq!(parse_numeral("12"), Some(12));
        assert_eq!(parse_numeral("12a"), None);
    }
}
