//! Rendering a list counter in one of Word's number formats
//! (`ST_NumberFormat`): `decimal` → `3`, `upperRoman` → `III`,
//! `chineseCounting` → `三`, `chineseLegalSimplified` → `叁`,
//! `decimalEnclosedCircle` → `③` …
//!
//! Where Word and LibreOffice disagree, LibreOffice's rendering of the
//! files it writes is followed (the fixtures under `fixtures/docx/` record
//! it): cyclic formats with a fixed set of signs (甲乙丙…, 子丑寅…) fall back
//! to decimal past their last sign, and `chineseLegalSimplified` writes the
//! leading 壹 of 壹拾壹.

use std::fmt::Write;

/// A number format of a numbering level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumFmt {
    /// `1 2 3`.
    Decimal,
    /// `01 02 … 10`.
    DecimalZero,
    /// Zero-padded to a width (custom formats `001, 002, 003, ...`).
    DecimalPadded(u8),
    /// `I II III`.
    UpperRoman,
    /// `i ii iii`.
    LowerRoman,
    /// `A B … Z AA BB`.
    UpperLetter,
    /// `a b … z aa bb`.
    LowerLetter,
    /// `1st 2nd 3rd`.
    Ordinal,
    /// `One Two Three`.
    CardinalText,
    /// `First Second Third`.
    OrdinalText,
    /// `1 … 9 A B`.
    Hex,
    /// `* † ‡ §`, then doubled.
    Chicago,
    /// Digit by digit: `一〇`.
    IdeographDigital,
    /// `一 二 … 十 十一 … 百`.
    JapaneseCounting,
    /// Half-width katakana in gojūon order.
    Aiueo,
    /// Half-width katakana in iroha order.
    Iroha,
    /// `１ ２ ３`.
    DecimalFullWidth,
    /// `1 2 3`.
    DecimalHalfWidth,
    /// `壱 弐 参 … 壱拾`.
    JapaneseLegal,
    /// Digit by digit: `一〇`.
    JapaneseDigitalTenThousand,
    /// `① ② ③` (up to 20).
    DecimalEnclosedCircle,
    /// Full-width katakana in gojūon order.
    AiueoFullWidth,
    /// Full-width katakana in iroha order.
    IrohaFullWidth,
    /// `•`.
    Bullet,
    /// `가 나 다`.
    Ganada,
    /// `ㄱ ㄴ ㄷ`.
    Chosung,
    /// `⒈ ⒉ ⒊` (up to 20).
    DecimalEnclosedFullstop,
    /// `⑴ ⑵ ⑶` (up to 20).
    DecimalEnclosedParen,
    /// `㊀ ㊁ ㊂` (up to 10).
    IdeographEnclosedCircle,
    /// `甲 乙 丙` (the ten heavenly stems).
    IdeographTraditional,
    /// `子 丑 寅` (the twelve earthly branches).
    IdeographZodiac,
    /// `甲子 乙丑 丙寅` (the sexagenary cycle).
    IdeographZodiacTraditional,
    /// `一 二 … 十 十一`; digit by digit from 100.
    TaiwaneseCounting,
    /// `壹 貳 參 … 壹拾`.
    IdeographLegalTraditional,
    /// `一 二 … 十 十一 … 一百 一千`.
    TaiwaneseCountingThousand,
    /// Digit by digit: `一〇`.
    TaiwaneseDigital,
    /// `一 二 … 十 十一`; digit by digit from 100.
    ChineseCounting,
    /// `壹 贰 叁 … 壹拾`.
    ChineseLegalSimplified,
    /// `一 二 … 十 十一 … 一百 一千`.
    ChineseCountingThousand,
    /// Digit by digit: `일이`.
    KoreanDigital,
    /// `일 이 … 십 십일`.
    KoreanCounting,
    /// `하나 둘 셋` (native Korean numerals).
    KoreanLegal,
    /// `一 二 … 十 十一` (Hanja).
    KoreanDigital2,
    /// `một hai ba`.
    VietnameseCounting,
    /// `а б в`.
    RussianLower,
    /// `А Б В`.
    RussianUpper,
    /// No number.
    None,
    /// `- 1 -`.
    NumberInDash,
    /// Hebrew numerals (gematria).
    Hebrew1,
    /// Hebrew letters.
    Hebrew2,
    /// Arabic letters in alphabetical order.
    ArabicAlpha,
    /// Arabic letters in abjad order.
    ArabicAbjad,
    /// Devanagari vowels.
    HindiVowels,
    /// Devanagari consonants.
    HindiConsonants,
    /// Devanagari digits.
    HindiNumbers,
    /// Hindi number words.
    HindiCounting,
    /// Thai letters.
    ThaiLetters,
    /// Thai digits.
    ThaiNumbers,
    /// Thai number words.
    ThaiCounting,
    /// Thai words plus `บาทถ้วน`.
    BahtText,
    /// `One and 00/100`.
    DollarText,
}

impl NumFmt {
    /// The format named by a `w:numFmt/@w:val` value; `None` for an unknown
    /// name (the caller keeps its default).
    pub fn from_name(name: &str) -> Option<Self> {
        use NumFmt::*;
        Some(match name {
            "decimal" => Decimal,
            "decimalZero" => DecimalZero,
            "upperRoman" => UpperRoman,
            "lowerRoman" => LowerRoman,
            "upperLetter" => UpperLetter,
            "lowerLetter" => LowerLetter,
            "ordinal" => Ordinal,
            "cardinalText" => CardinalText,
            "ordinalText" => OrdinalText,
            "hex" => Hex,
            "chicago" => Chicago,
            "ideographDigital" => IdeographDigital,
            "japaneseCounting" => JapaneseCounting,
            "aiueo" => Aiueo,
            "iroha" => Iroha,
            "decimalFullWidth" | "decimalFullWidth2" => DecimalFullWidth,
            "decimalHalfWidth" => DecimalHalfWidth,
            "japaneseLegal" => JapaneseLegal,
            "japaneseDigitalTenThousand" => JapaneseDigitalTenThousand,
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => DecimalEnclosedCircle,
            "aiueoFullWidth" => AiueoFullWidth,
            "irohaFullWidth" => IrohaFullWidth,
            "bullet" => Bullet,
            "ganada" => Ganada,
            "chosung" => Chosung,
            "decimalEnclosedFullstop" => DecimalEnclosedFullstop,
            "decimalEnclosedParen" => DecimalEnclosedParen,
            "ideographEnclosedCircle" => IdeographEnclosedCircle,
            "ideographTraditional" => IdeographTraditional,
            "ideographZodiac" => IdeographZodiac,
            "ideographZodiacTraditional" => IdeographZodiacTraditional,
            "taiwaneseCounting" => TaiwaneseCounting,
            "ideographLegalTraditional" => IdeographLegalTraditional,
            "taiwaneseCountingThousand" => TaiwaneseCountingThousand,
            "taiwaneseDigital" => TaiwaneseDigital,
            "chineseCounting" => ChineseCounting,
            "chineseLegalSimplified" => ChineseLegalSimplified,
            "chineseCountingThousand" => ChineseCountingThousand,
            "koreanDigital" => KoreanDigital,
            "koreanCounting" => KoreanCounting,
            "koreanLegal" => KoreanLegal,
            "koreanDigital2" => KoreanDigital2,
            "vietnameseCounting" => VietnameseCounting,
            "russianLower" => RussianLower,
            "russianUpper" => RussianUpper,
            "none" => None,
            "numberInDash" => NumberInDash,
            "hebrew1" => Hebrew1,
            "hebrew2" => Hebrew2,
            "arabicAlpha" => ArabicAlpha,
            "arabicAbjad" => ArabicAbjad,
            "hindiVowels" => HindiVowels,
            "hindiConsonants" => HindiConsonants,
            "hindiNumbers" => HindiNumbers,
            "hindiCounting" => HindiCounting,
            "thaiLetters" => ThaiLetters,
            "thaiNumbers" => ThaiNumbers,
            "thaiCounting" => ThaiCounting,
            "bahtText" => BahtText,
            "dollarText" => DollarText,
            _ => return Option::None,
        })
    }

    /// The format of a Word 2010 custom format (`w:numFmt w:val="custom"
    /// w:format="001, 002, 003, ..."`), when it is one wenku can render.
    pub fn from_custom(format: &str) -> Option<Self> {
        let first = format.split(',').next()?.trim();
        if first.len() > 1 && first.bytes().all(|b| b.is_ascii_digit()) && first.ends_with('1') {
            return Some(NumFmt::DecimalPadded(first.len().min(9) as u8));
        }
        Some(match first {
            "1" => NumFmt::Decimal,
            "一" => NumFmt::ChineseCounting,
            "壹" => NumFmt::ChineseLegalSimplified,
            "甲" => NumFmt::IdeographTraditional,
            "子" => NumFmt::IdeographZodiac,
            "①" => NumFmt::DecimalEnclosedCircle,
            "１" => NumFmt::DecimalFullWidth,
            "a" => NumFmt::LowerLetter,
            "A" => NumFmt::UpperLetter,
            "i" => NumFmt::LowerRoman,
            "I" => NumFmt::UpperRoman,
            _ => return Option::None,
        })
    }
}

/// Renders `n` in `fmt`.
#[cfg(test)]
pub fn format(n: u32, fmt: NumFmt) -> String {
    let mut out = String::new();
    push(&mut out, n, fmt);
    out
}

/// Appends `n` rendered in `fmt` to `out`.
pub fn push(out: &mut String, n: u32, fmt: NumFmt) {
    use NumFmt::*;
    match fmt {
        Decimal | DecimalHalfWidth => push_decimal(out, n),
        DecimalZero => {
            let _ = write!(out, "{n:02}");
        }
        DecimalPadded(width) => {
            let _ = write!(out, "{n:0width$}", width = usize::from(width));
        }
        UpperRoman => roman(out, n, true),
        LowerRoman => roman(out, n, false),
        UpperLetter => repeated(out, n, &LATIN_UPPER),
        LowerLetter => repeated(out, n, &LATIN_LOWER),
        Ordinal => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            let _ = write!(out, "{n}{suffix}");
        }
        CardinalText => capitalised(out, &english_cardinal(n)),
        OrdinalText => capitalised(out, &english_ordinal(n)),
        Hex => {
            let _ = write!(out, "{n:X}");
        }
        Chicago => {
            const SIGNS: [char; 4] = ['*', '†', '‡', '§'];
            if n == 0 || n > 200 {
                return push_decimal(out, n);
            }
            let times = (n - 1) / 4 + 1;
            let sign = SIGNS[((n - 1) % 4) as usize];
            out.extend(std::iter::repeat_n(sign, times as usize));
        }
        IdeographDigital | TaiwaneseDigital | JapaneseDigitalTenThousand => digits(out, n, &CJK_DIGITS_ZERO),
        KoreanDigital => digits(out, n, &HANGUL_DIGITS),
        ChineseCounting | TaiwaneseCounting => {
            if n >= 100 {
                digits(out, n, &CJK_DIGITS_ZERO)
            } else {
                cjk_counting(out, n, &CJK_LOWER, '零', false)
            }
        }
        ChineseCountingThousand | TaiwaneseCountingThousand | KoreanDigital2 => {
            cjk_counting(out, n, &CJK_LOWER, '零', false)
        }
        ChineseLegalSimplified => cjk_counting(out, n, &CN_LEGAL_SIMPLIFIED, '零', true),
        IdeographLegalTraditional => cjk_counting(out, n, &CN_LEGAL_TRADITIONAL, '零', true),
        JapaneseCounting => japanese_counting(out, n),
        JapaneseLegal => cjk_counting(out, n, &JA_LEGAL, '零', true),
        KoreanCounting => korean_counting(out, n),
        KoreanLegal => korean_native(out, n),
        DecimalFullWidth => {
            for c in n.to_string().chars() {
                out.push(char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c));
            }
        }
        DecimalEnclosedCircle => enclosed(out, n, 1..=20, 0x2460, Some('⓪')),
        DecimalEnclosedFullstop => enclosed(out, n, 1..=20, 0x2488, Option::None),
        DecimalEnclosedParen => enclosed(out, n, 1..=20, 0x2474, Option::None),
        IdeographEnclosedCircle => enclosed(out, n, 1..=10, 0x3280, Option::None),
        IdeographTraditional => bounded(out, n, &HEAVENLY_STEMS),
        IdeographZodiac => bounded(out, n, &EARTHLY_BRANCHES),
        IdeographZodiacTraditional => {
            if (1..=60).contains(&n) {
                let i = (n - 1) as usize;
                out.push(HEAVENLY_STEMS[i % 10]);
                out.push(EARTHLY_BRANCHES[i % 12]);
            } else {
                push_decimal(out, n)
            }
        }
        Aiueo => repeated(out, n, &AIUEO_HALF),
        AiueoFullWidth => repeated(out, n, &AIUEO_FULL),
        Iroha => repeated(out, n, &IROHA_HALF),
        IrohaFullWidth => repeated(out, n, &IROHA_FULL),
        Ganada => repeated(out, n, &GANADA),
        Chosung => repeated(out, n, &CHOSUNG),
        RussianLower => repeated(out, n, &RUSSIAN_LOWER),
        RussianUpper => repeated(out, n, &RUSSIAN_UPPER),
        Hebrew1 => hebrew(out, n),
        Hebrew2 => repeated(out, n, &HEBREW_LETTERS),
        ArabicAlpha => repeated(out, n, &ARABIC_ALPHA),
        ArabicAbjad => repeated(out, n, &ARABIC_ABJAD),
        HindiVowels => repeated(out, n, &HINDI_VOWELS),
        HindiConsonants => repeated(out, n, &HINDI_CONSONANTS),
        HindiNumbers => native_digits(out, n, 0x0966),
        HindiCounting => {
            if (1..=10).contains(&n) {
                out.push_str(HINDI_WORDS[(n - 1) as usize]);
            } else {
                native_digits(out, n, 0x0966)
            }
        }
        ThaiLetters => repeated(out, n, &THAI_LETTERS),
        ThaiNumbers => native_digits(out, n, 0x0E50),
        ThaiCounting => thai_counting(out, n),
        BahtText => {
            thai_counting(out, n);
            out.push_str("บาทถ้วน");
        }
        DollarText => {
            capitalised(out, &english_cardinal(n));
            out.push_str(" and 00/100");
        }
        VietnameseCounting => vietnamese(out, n),
        NumberInDash => {
            let _ = write!(out, "- {n} -");
        }
        Bullet => out.push('•'),
        None => {}
    }
}

fn push_decimal(out: &mut String, n: u32) {
    let _ = write!(out, "{n}");
}

fn roman(out: &mut String, n: u32, upper: bool) {
    if n == 0 {
        return push_decimal(out, n);
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut n = n;
    // Word writes thousands as repeated M; a hostile start value must not
    // make a megabyte label.
    if n > 39_999 {
        return push_decimal(out, n);
    }
    for (value, sign) in TABLE {
        while n >= value {
            if upper {
                out.extend(sign.chars().map(|c| c.to_ascii_uppercase()));
            } else {
                out.push_str(sign);
            }
            n -= value;
        }
    }
}

/// `a … z aa … zz aaa`: Word repeats the letter rather than counting in
/// base 26. Capped so that a hostile start value cannot make a huge label.
fn repeated(out: &mut String, n: u32, signs: &[char]) {
    let len = signs.len() as u32;
    if n == 0 || n / len > 50 {
        return push_decimal(out, n);
    }
    let sign = signs[((n - 1) % len) as usize];
    let times = (n - 1) / len + 1;
    out.extend(std::iter::repeat_n(sign, times as usize));
}

/// Formats with a fixed set of signs: past the last one, decimal.
fn bounded(out: &mut String, n: u32, signs: &[char]) {
    match n.checked_sub(1).and_then(|i| signs.get(i as usize)) {
        Some(&c) => out.push(c),
        None => push_decimal(out, n),
    }
}

fn enclosed(out: &mut String, n: u32, range: std::ops::RangeInclusive<u32>, first: u32, zero: Option<char>) {
    if n == 0
        && let Some(z) = zero
    {
        return out.push(z);
    }
    if range.contains(&n)
        && let Some(c) = char::from_u32(first + n - range.start())
    {
        return out.push(c);
    }
    push_decimal(out, n)
}

fn digits(out: &mut String, n: u32, table: &[char; 10]) {
    for b in n.to_string().bytes() {
        out.push(table[usize::from(b - b'0')]);
    }
}

fn native_digits(out: &mut String, n: u32, zero: u32) {
    for b in n.to_string().bytes() {
        out.push(char::from_u32(zero + u32::from(b - b'0')).unwrap_or('?'));
    }
}

const CJK_DIGITS_ZERO: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const HANGUL_DIGITS: [char; 10] = ['영', '일', '이', '삼', '사', '오', '육', '칠', '팔', '구'];

/// Digits 1–9 and the units 十 百 千 万 of one counting system.
struct CjkNumerals {
    digits: [char; 9],
    units: [char; 4],
}

const CJK_LOWER: CjkNumerals = CjkNumerals {
    digits: ['一', '二', '三', '四', '五', '六', '七', '八', '九'],
    units: ['十', '百', '千', '万'],
};
const CN_LEGAL_SIMPLIFIED: CjkNumerals = CjkNumerals {
    digits: ['壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    units: ['拾', '佰', '仟', '万'],
};
const CN_LEGAL_TRADITIONAL: CjkNumerals = CjkNumerals {
    digits: ['壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'],
    units: ['拾', '佰', '仟', '萬'],
};
const JA_LEGAL: CjkNumerals = CjkNumerals {
    digits: ['壱', '弐', '参', '四', '伍', '六', '七', '八', '九'],
    units: ['拾', '百', '千', '万'],
};

/// Chinese counting: 十一, 二十, 一百零五, 一千零一十. `leading_one` keeps
/// the 一 of 一十 (legal numerals write 壹拾壹, counting writes 十一).
fn cjk_counting(out: &mut String, n: u32, numerals: &CjkNumerals, zero: char, leading_one: bool) {
    if n == 0 {
        return out.push(zero);
    }
    if n >= 100_000_000 {
        return push_decimal(out, n);
    }
    let high = n / 10_000;
    let low = n % 10_000;
    if high > 0 {
        below_10000(out, high, numerals, zero, leading_one);
        out.push(numerals.units[3]);
        if low == 0 {
            return;
        }
        if low < 1000 {
            out.push(zero);
            // 一万零一十: inside a number the 一 of 一十 is written.
            return below_10000(out, low, numerals, zero, true);
        }
    }
    below_10000(out, low, numerals, zero, leading_one || high > 0);
}

fn below_10000(out: &mut String, n: u32, numerals: &CjkNumerals, zero: char, leading_one: bool) {
    let places = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut started = false;
    let mut pending_zero = false;
    for (i, &d) in places.iter().enumerate() {
        if d == 0 {
            pending_zero |= started;
            continue;
        }
        if pending_zero {
            out.push(zero);
            pending_zero = false;
        }
        let unit = 3 - i;
        let drop_one = d == 1 && unit == 1 && !started && !leading_one;
        if !drop_one {
            out.push(numerals.digits[(d - 1) as usize]);
        }
        if unit > 0 {
            out.push(numerals.units[unit - 1]);
        }
        started = true;
    }
}

/// Japanese counting writes no 一 before 十, 百 or 千 and no zeros:
/// 十一, 百一, 千十.
fn japanese_counting(out: &mut String, n: u32) {
    let units = [CJK_LOWER.units[0], CJK_LOWER.units[1], CJK_LOWER.units[2]];
    counting_without_ones(out, n, &CJK_LOWER.digits, &units, &CJK_DIGITS_ZERO);
}

/// Sino-Korean counting in Hangul: 십일, 이십, 백일.
fn korean_counting(out: &mut String, n: u32) {
    const DIGITS: [char; 9] = ['일', '이', '삼', '사', '오', '육', '칠', '팔', '구'];
    const UNITS: [char; 3] = ['십', '백', '천'];
    counting_without_ones(out, n, &DIGITS, &UNITS, &HANGUL_DIGITS);
}

/// Counting below 10,000 that writes no "one" before a unit and no zeros
/// (`units`: ten, hundred, thousand); digit by digit with `fallback`
/// from 0 and 10,000.
fn counting_without_ones(
    out: &mut String,
    n: u32,
    digits_1_to_9: &[char; 9],
    units: &[char; 3],
    fallback: &[char; 10],
) {
    if n == 0 || n >= 10_000 {
        return digits(out, n, fallback);
    }
    let places = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    for (i, &d) in places.iter().enumerate() {
        if d == 0 {
            continue;
        }
        let unit = 3 - i;
        if d > 1 || unit == 0 {
            out.push(digits_1_to_9[(d - 1) as usize]);
        }
        if unit > 0 {
            out.push(units[unit - 1]);
        }
    }
}

/// Native Korean numerals (하나, 둘 … 아흔아홉); decimal from 100.
fn korean_native(out: &mut String, n: u32) {
    const ONES: [&str; 9] = ["하나", "둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉"];
    const TENS: [&str; 9] = ["열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔"];
    if n == 0 || n >= 100 {
        return push_decimal(out, n);
    }
    if n >= 10 {
        out.push_str(TENS[(n / 10 - 1) as usize]);
    }
    if n % 10 > 0 {
        out.push_str(ONES[(n % 10 - 1) as usize]);
    }
}

fn vietnamese(out: &mut String, n: u32) {
    const ONES: [&str; 10] = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
    if n == 0 || n >= 100 {
        return push_decimal(out, n);
    }
    let (tens, ones) = (n / 10, n % 10);
    match tens {
        0 => out.push_str(ONES[ones as usize]),
        1 => {
            out.push_str("mười");
            if ones > 0 {
                out.push(' ');
                out.push_str(if ones == 5 { "lăm" } else { ONES[ones as usize] });
            }
        }
        _ => {
            out.push_str(ONES[tens as usize]);
            out.push_str(" mươi");
            if ones > 0 {
                out.push(' ');
                out.push_str(match ones {
                    1 => "mốt",
                    4 => "tư",
                    5 => "lăm",
                    _ => ONES[ones as usize],
                });
            }
        }
    }
}

fn thai_counting(out: &mut String, n: u32) {
    const DIGITS: [&str; 10] = ["ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"];
    const UNITS: [&str; 4] = ["พัน", "ร้อย", "สิบ", ""];
    if n == 0 {
        return out.push_str(DIGITS[0]);
    }
    if n >= 10_000 {
        return native_digits(out, n, 0x0E50);
    }
    let places = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    for (i, &d) in places.iter().enumerate() {
        if d == 0 {
            continue;
        }
        let word = match (i, d) {
            (2, 1) => "",
            (2, 2) => "ยี่",
            (3, 1) if n > 10 => "เอ็ด",
            _ => DIGITS[d as usize],
        };
        out.push_str(word);
        out.push_str(UNITS[i]);
    }
}

fn hebrew(out: &mut String, n: u32) {
    if n == 0 || n >= 1000 {
        return push_decimal(out, n);
    }
    const HUNDREDS: [(u32, char); 4] = [(400, 'ת'), (300, 'ש'), (200, 'ר'), (100, 'ק')];
    const TENS: [char; 9] = ['י', 'כ', 'ל', 'מ', 'נ', 'ס', 'ע', 'פ', 'צ'];
    const ONES: [char; 9] = ['א', 'ב', 'ג', 'ד', 'ה', 'ו', 'ז', 'ח', 'ט'];
    let mut rest = n;
    for (value, c) in HUNDREDS {
        while rest >= value {
            out.push(c);
            rest -= value;
        }
    }
    // 15 and 16 are written ט״ו and ט״ז, never spelling a divine name.
    if rest == 15 || rest == 16 {
        out.push('ט');
        out.push(ONES[(rest - 10) as usize]);
        return;
    }
    if rest >= 10 {
        out.push(TENS[(rest / 10 - 1) as usize]);
    }
    if rest % 10 > 0 {
        out.push(ONES[(rest % 10 - 1) as usize]);
    }
}

fn capitalised(out: &mut String, words: &str) {
    let mut chars = words.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

const ONES_EN: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS_EN: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

fn english_cardinal(n: u32) -> String {
    if n >= 1_000_000 {
        return n.to_string();
    }
    let mut out = String::new();
    let thousands = n / 1000;
    let rest = n % 1000;
    if thousands > 0 {
        out.push_str(&english_below_1000(thousands));
        out.push_str(" thousand");
        if rest > 0 {
            out.push(' ');
        }
    }
    if rest > 0 || n == 0 {
        out.push_str(&english_below_1000(rest));
    }
    out
}

fn english_below_1000(n: u32) -> String {
    let mut out = String::new();
    let hundreds = n / 100;
    let rest = n % 100;
    if hundreds > 0 {
        out.push_str(ONES_EN[hundreds as usize]);
        out.push_str(" hundred");
        if rest > 0 {
            out.push(' ');
        }
    }
    if rest > 0 || n == 0 {
        if rest < 20 {
            out.push_str(ONES_EN[rest as usize]);
        } else {
            out.push_str(TENS_EN[(rest / 10) as usize]);
            if rest % 10 > 0 {
                out.push('-');
                out.push_str(ONES_EN[(rest % 10) as usize]);
            }
        }
    }
    out
}

fn english_ordinal(n: u32) -> String {
    let cardinal = english_cardinal(n);
    // Only the last word changes: twenty-one → twenty-first.
    let split = cardinal.rfind([' ', '-']).map_or(0, |i| i + 1);
    let (head, last) = cardinal.split_at(split);
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
        w if w.chars().all(|c| c.is_ascii_digit()) => return format!("{w}th"),
        w => format!("{w}th"),
    };
    format!("{head}{last}")
}

const LATIN_UPPER: [char; 26] = [
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W',
    'X', 'Y', 'Z',
];
const LATIN_LOWER: [char; 26] = [
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
    'x', 'y', 'z',
];
const HEAVENLY_STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
const EARTHLY_BRANCHES: [char; 12] = ['子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥'];
const AIUEO_FULL: [char; 46] = [
    'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ', 'チ', 'ツ', 'テ',
    'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', 'ミ', 'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ',
    'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ヲ', 'ン',
];
const AIUEO_HALF: [char; 46] = [
    'ｱ', 'ｲ', 'ｳ', 'ｴ', 'ｵ', 'ｶ', 'ｷ', 'ｸ', 'ｹ', 'ｺ', 'ｻ', 'ｼ', 'ｽ', 'ｾ', 'ｿ', 'ﾀ', 'ﾁ', 'ﾂ', 'ﾃ', 'ﾄ', 'ﾅ', 'ﾆ', 'ﾇ',
    'ﾈ', 'ﾉ', 'ﾊ', 'ﾋ', 'ﾌ', 'ﾍ', 'ﾎ', 'ﾏ', 'ﾐ', 'ﾑ', 'ﾒ', 'ﾓ', 'ﾔ', 'ﾕ', 'ﾖ', 'ﾗ', 'ﾘ', 'ﾙ', 'ﾚ', 'ﾛ', 'ﾜ', 'ｦ', 'ﾝ',
];
const IROHA_FULL: [char; 47] = [
    'イ', 'ロ', 'ハ', 'ニ', 'ホ', 'ヘ', 'ト', 'チ', 'リ', 'ヌ', 'ル', 'ヲ', 'ワ', 'カ', 'ヨ', 'タ', 'レ', 'ソ', 'ツ',
    'ネ', 'ナ', 'ラ', 'ム', 'ウ', 'ヰ', 'ノ', 'オ', 'ク', 'ヤ', 'マ', 'ケ', 'フ', 'コ', 'エ', 'テ', 'ア', 'サ', 'キ',
    'ユ', 'メ', 'ミ', 'シ', 'ヱ', 'ヒ', 'モ', 'セ', 'ス',
];
// ヰ and ヱ have no half-width forms.
const IROHA_HALF: [char; 47] = [
    'ｲ', 'ﾛ', 'ﾊ', 'ﾆ', 'ﾎ', 'ﾍ', 'ﾄ', 'ﾁ', 'ﾘ', 'ﾇ', 'ﾙ', 'ｦ', 'ﾜ', 'ｶ', 'ﾖ', 'ﾀ', 'ﾚ', 'ｿ', 'ﾂ', 'ﾈ', 'ﾅ', 'ﾗ', 'ﾑ',
    'ｳ', 'ヰ', 'ﾉ', 'ｵ', 'ｸ', 'ﾔ', 'ﾏ', 'ｹ', 'ﾌ', 'ｺ', 'ｴ', 'ﾃ', 'ｱ', 'ｻ', 'ｷ', 'ﾕ', 'ﾒ', 'ﾐ', 'ｼ', 'ヱ', 'ﾋ', 'ﾓ',
    'ｾ', 'ｽ',
];
const GANADA: [char; 14] = ['가', '나', '다', '라', '마', '바', '사', '아', '자', '차', '카', '타', '파', '하'];
const CHOSUNG: [char; 14] = ['ㄱ', 'ㄴ', 'ㄷ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅅ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];
// Word leaves out ё, й, ъ, ы and ь.
const RUSSIAN_LOWER: [char; 28] = [
    'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'к', 'л', 'м', 'н', 'о', 'п', 'р', 'с', 'т', 'у', 'ф', 'х', 'ц', 'ч',
    'ш', 'щ', 'э', 'ю', 'я',
];
const RUSSIAN_UPPER: [char; 28] = [
    'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И', 'К', 'Л', 'М', 'Н', 'О', 'П', 'Р', 'С', 'Т', 'У', 'Ф', 'Х', 'Ц', 'Ч',
    'Ш', 'Щ', 'Э', 'Ю', 'Я',
];
const HEBREW_LETTERS: [char; 22] =
    ['א', 'ב', 'ג', 'ד', 'ה', 'ו', 'ז', 'ח', 'ט', 'י', 'כ', 'ל', 'מ', 'נ', 'ס', 'ע', 'פ', 'צ', 'ק', 'ר', 'ש', 'ת'];
const ARABIC_ALPHA: [char; 28] = [
    'أ', 'ب', 'ت', 'ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز', 'س', 'ش', 'ص', 'ض', 'ط', 'ظ', 'ع', 'غ', 'ف', 'ق', 'ك', 'ل',
    'م', 'ن', 'ه', 'و', 'ي',
];
const ARABIC_ABJAD: [char; 28] = [
    'أ', 'ب', 'ج', 'د', 'ه', 'و', 'ز', 'ح', 'ط', 'ي', 'ك', 'ل', 'م', 'ن', 'س', 'ع', 'ف', 'ص', 'ق', 'ر', 'ش', 'ت', 'ث',
    'خ', 'ذ', 'ض', 'ظ', 'غ',
];
const HINDI_VOWELS: [char; 11] = ['अ', 'आ', 'इ', 'ई', 'उ', 'ऊ', 'ऋ', 'ए', 'ऐ', 'ओ', 'औ'];
const HINDI_CONSONANTS: [char; 33] = [
    'क', 'ख', 'ग', 'घ', 'ङ', 'च', 'छ', 'ज', 'झ', 'ञ', 'ट', 'ठ', 'ड', 'ढ', 'ण', 'त', 'थ', 'द', 'ध', 'न', 'प', 'फ', 'ब',
    'भ', 'म', 'य', 'र', 'ल', 'व', 'श', 'ष', 'स', 'ह',
];
const HINDI_WORDS: [&str; 10] = ["एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ", "दस"];
// Word leaves out the obsolete ฃ and ฅ.
const THAI_LETTERS: [char; 42] = [
    'ก', 'ข', 'ค', 'ฆ', 'ง', 'จ', 'ฉ', 'ช', 'ซ', 'ฌ', 'ญ', 'ฎ', 'ฏ', 'ฐ', 'ฑ', 'ฒ', 'ณ', 'ด', 'ต', 'ถ', 'ท', 'ธ', 'น',
    'บ', 'ป', 'ผ', 'ฝ', 'พ', 'ฟ', 'ภ', 'ม', 'ย', 'ร', 'ล', 'ว', 'ศ', 'ษ', 'ส', 'ห', 'ฬ', 'อ', 'ฮ',
];

#[cfg(test)]
mod tests {
    use super::NumFmt::*;
    use super::*;

    fn all(fmt: NumFmt, values: &[u32]) -> Vec<String> {
        values.iter().map(|&n| format(n, fmt)).collect()
    }

    #[test]
    fn western_formats() {
        assert_eq!(all(Decimal, &[1, 10]), ["1", "10"]);
        assert_eq!(all(DecimalZero, &[3, 12]), ["03", "12"]);
        assert_eq!(all(DecimalPadded(3), &[7]), ["007"]);
        assert_eq!(all(UpperRoman, &[4, 9, 14, 1994]), ["IV", "IX", "XIV", "MCMXCIV"]);
        assert_eq!(all(LowerRoman, &[3]), ["iii"]);
        assert_eq!(all(UpperLetter, &[1, 26, 27, 53]), ["A", "Z", "AA", "AAA"]);
        assert_eq!(all(LowerLetter, &[2, 28]), ["b", "bb"]);
        assert_eq!(
            all(Ordinal, &[1, 2, 3, 4, 11, 12, 13, 21, 102]),
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "102nd"]
        );
        assert_eq!(all(CardinalText, &[1, 21, 100, 1005]), ["One", "Twenty-one", "One hundred", "One thousand five"]);
        assert_eq!(all(OrdinalText, &[1, 2, 12, 20, 21]), ["First", "Second", "Twelfth", "Twentieth", "Twenty-first"]);
        assert_eq!(all(Hex, &[10, 255]), ["A", "FF"]);
        assert_eq!(all(Chicago, &[1, 4, 5]), ["*", "§", "**"]);
        assert_eq!(all(NumberInDash, &[2]), ["- 2 -"]);
        assert_eq!(all(DollarText, &[2]), ["Two and 00/100"]);
        assert_eq!(all(Bullet, &[3]), ["•"]);
        assert_eq!(all(None, &[3]), [""]);
    }

    #[test]
    fn chinese_counting_formats() {
        assert_eq!(all(ChineseCounting, &[1, 10, 11, 20, 21, 99]), ["一", "十", "十一", "二十", "二十一", "九十九"]);
        assert_eq!(all(ChineseCounting, &[100, 101]), ["一〇〇", "一〇一"]);
        assert_eq!(
            all(ChineseCountingThousand, &[10, 11, 100, 101, 110, 1001, 1010, 10_000, 10_010]),
            ["十", "十一", "一百", "一百零一", "一百一十", "一千零一", "一千零一十", "一万", "一万零一十"]
        );
        assert_eq!(all(TaiwaneseCountingThousand, &[1, 11, 12, 20]), ["一", "十一", "十二", "二十"]);
        assert_eq!(all(TaiwaneseCounting, &[3, 15]), ["三", "十五"]);
        assert_eq!(
            all(ChineseLegalSimplified, &[1, 10, 11, 12, 20, 105]),
            ["壹", "壹拾", "壹拾壹", "壹拾贰", "贰拾", "壹佰零伍"]
        );
        assert_eq!(all(IdeographLegalTraditional, &[2, 11, 12]), ["貳", "壹拾壹", "壹拾貳"]);
        assert_eq!(all(IdeographDigital, &[10, 105]), ["一〇", "一〇五"]);
        assert_eq!(all(TaiwaneseDigital, &[20]), ["二〇"]);
    }

    #[test]
    fn cyclic_cjk_formats_fall_back_to_decimal_past_their_signs() {
        assert_eq!(all(IdeographTraditional, &[1, 10, 11]), ["甲", "癸", "11"]);
        assert_eq!(all(IdeographZodiac, &[1, 11, 12, 13]), ["子", "戌", "亥", "13"]);
        assert_eq!(all(IdeographZodiacTraditional, &[1, 2, 11, 60, 61]), ["甲子", "乙丑", "甲戌", "癸亥", "61"]);
    }

    #[test]
    fn enclosed_and_full_width_formats() {
        assert_eq!(all(DecimalEnclosedCircle, &[1, 11, 20, 21]), ["①", "⑪", "⑳", "21"]);
        assert_eq!(all(DecimalEnclosedParen, &[1, 12]), ["⑴", "⑿"]);
        assert_eq!(all(DecimalEnclosedFullstop, &[3]), ["⒊"]);
        assert_eq!(all(IdeographEnclosedCircle, &[1, 10, 11]), ["㊀", "㊉", "11"]);
        assert_eq!(all(DecimalFullWidth, &[12]), ["１２"]);
    }

    #[test]
    fn japanese_and_korean_formats() {
        assert_eq!(all(JapaneseCounting, &[1, 10, 11, 20, 100, 101]), ["一", "十", "十一", "二十", "百", "百一"]);
        assert_eq!(all(JapaneseLegal, &[1, 11]), ["壱", "壱拾壱"]);
        assert_eq!(all(JapaneseDigitalTenThousand, &[10]), ["一〇"]);
        assert_eq!(all(AiueoFullWidth, &[1, 2, 47]), ["ア", "イ", "アア"]);
        assert_eq!(all(IrohaFullWidth, &[1, 3]), ["イ", "ハ"]);
        assert_eq!(all(Aiueo, &[1]), ["ｱ"]);
        assert_eq!(all(KoreanCounting, &[1, 10, 11, 20]), ["일", "십", "십일", "이십"]);
        assert_eq!(all(KoreanDigital, &[10]), ["일영"]);
        assert_eq!(all(KoreanLegal, &[1, 10, 11, 20]), ["하나", "열", "열하나", "스물"]);
        assert_eq!(all(KoreanDigital2, &[11]), ["十一"]);
        assert_eq!(all(Ganada, &[1, 2]), ["가", "나"]);
        assert_eq!(all(Chosung, &[3]), ["ㄷ"]);
    }

    #[test]
    fn other_scripts() {
        assert_eq!(all(RussianLower, &[1, 10]), ["а", "к"]);
        assert_eq!(all(RussianUpper, &[3]), ["В"]);
        assert_eq!(all(Hebrew1, &[1, 15, 16, 42, 400]), ["א", "טו", "טז", "מב", "ת"]);
        assert_eq!(all(Hebrew2, &[2]), ["ב"]);
        assert_eq!(all(ArabicAlpha, &[3]), ["ت"]);
        assert_eq!(all(ArabicAbjad, &[3]), ["ج"]);
        assert_eq!(all(HindiNumbers, &[12]), ["१२"]);
        assert_eq!(all(HindiCounting, &[2]), ["दो"]);
        assert_eq!(all(ThaiNumbers, &[12]), ["๑๒"]);
        assert_eq!(all(ThaiCounting, &[1, 11, 21, 100]), ["หนึ่ง", "สิบเอ็ด", "ยี่สิบเอ็ด", "หนึ่งร้อย"]);
        assert_eq!(all(ThaiLetters, &[1]), ["ก"]);
        assert_eq!(
            all(VietnameseCounting, &[1, 10, 15, 21, 24]),
            ["một", "mười", "mười lăm", "hai mươi mốt", "hai mươi tư"]
        );
    }

    #[test]
    fn every_standard_name_is_known() {
        // Every value of ECMA-376's ST_NumberFormat but `custom`.
        let names = "decimal upperRoman lowerRoman upperLetter lowerLetter ordinal cardinalText ordinalText hex chicago ideographDigital japaneseCounting aiueo iroha decimalFullWidth decimalHalfWidth japaneseLegal japaneseDigitalTenThousand decimalEnclosedCircle decimalFullWidth2 aiueoFullWidth irohaFullWidth decimalZero bullet ganada chosung decimalEnclosedFullstop decimalEnclosedParen decimalEnclosedCircleChinese ideographEnclosedCircle ideographTraditional ideographZodiac ideographZodiacTraditional taiwaneseCounting ideographLegalTraditional taiwaneseCountingThousand taiwaneseDigital chineseCounting chineseLegalSimplified chineseCountingThousand koreanDigital koreanCounting koreanLegal koreanDigital2 vietnameseCounting russianLower russianUpper none numberInDash hebrew1 hebrew2 arabicAlpha arabicAbjad hindiVowels hindiConsonants hindiNumbers hindiCounting thaiLetters thaiNumbers thaiCounting bahtText dollarText";
        for name in names.split_whitespace() {
            assert!(NumFmt::from_name(name).is_some(), "{name}");
        }
        assert_eq!(NumFmt::from_custom("001, 002, 003, ..."), Some(DecimalPadded(3)));
        assert_eq!(NumFmt::from_custom("一, 二, 三, ..."), Some(ChineseCounting));
        assert_eq!(NumFmt::from_custom("α, β, γ, ..."), Option::None);
    }

    #[test]
    fn huge_values_stay_small() {
        assert!(format(u32::MAX, UpperLetter).len() < 16);
        assert!(format(u32::MAX, UpperRoman).len() < 16);
        assert!(format(u32::MAX, ChineseCountingThousand).len() < 16);
        assert!(format(u32::MAX, Chicago).len() < 16);
    }
}
