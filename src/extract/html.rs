//! Reading a saved web page as text: tags removed, block elements turned
//! into line breaks, scripts and styles dropped, entities decoded.

use super::Block;

/// Elements that end a line of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "hr",
    "title",
];

/// Elements whose content is never text.
const SKIP_TAGS: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe"];

/// Converts HTML to text lines.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            push_decoded(&mut out, rest);
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && SKIP_TAGS.contains(&name.as_str()) {
            let close = format!("</{name}");
            rest = find_ci(rest, &close).map_or("", |i| {
                let after = &rest[i..];
                after.find('>').map_or("", |g| &after[g + 1..])
            });
            continue;
        }
        if BLOCK_TAGS.contains(&name.as_str()) && !out.ends_with('\n') && !out.is_empty() {
            out.push('\n');
        }
    }
    push_decoded(&mut out, rest);
    out
}

/// Finds an ASCII `needle` (lower case) in `hay`, ignoring ASCII case,
/// without copying `hay`: an unclosed `<script>` per line must not make
/// the whole page quadratic.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let first = needle.first()?;
    let mut from = 0;
    while let Some(i) = memchr::memchr2(*first, first.to_ascii_uppercase(), &hay[from..]) {
        let at = from + i;
        if hay.len() - at >= needle.len() && hay[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Appends `text` with character and the common named entities decoded.
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(|c: char| c == ';' || c.is_whitespace() || c == '&').map(|i| i + 1);
        match end {
            Some(semi) if rest[semi..].starts_with(';') && semi <= 10 => {
                match decode_entity(&rest[1..semi]) {
                    Some(c) => out.push(c),
                    None => out.push_str(&rest[..=semi]),
                }
                rest = &rest[semi + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Decodes the name of an entity (between `&` and `;`).
pub fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    // The HTML named character references that map to one character of
    // Latin-1, Greek, general punctuation or common symbols.
    Some(match name {
        "apos" => '\'',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        // Spaces of every width become plain spaces.
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "AElig" => '\u{00C6}',
        "Aacute" => '\u{00C1}',
        "Acirc" => '\u{00C2}',
        "Agrave" => '\u{00C0}',
        "Alpha" => '\u{0391}',
        "Aring" => '\u{00C5}',
        "Atilde" => '\u{00C3}',
        "Auml" => '\u{00C4}',
        "Beta" => '\u{0392}',
        "COPY" => '\u{00A9}',
        "Ccedil" => '\u{00C7}',
        "Cedilla" => '\u{00B8}',
        "Chi" => '\u{03A7}',
        "Dagger" => '\u{2021}',
        "Del" => '\u{2207}',
        "Delta" => '\u{0394}',
        "Dot" => '\u{00A8}',
        "ETH" => '\u{00D0}',
        "Eacute" => '\u{00C9}',
        "Ecirc" => '\u{00CA}',
        "Egrave" => '\u{00C8}',
        "Element" => '\u{2208}',
        "Epsilon" => '\u{0395}',
        "Eta" => '\u{0397}',
        "Euml" => '\u{00CB}',
        "Exists" => '\u{2203}',
        "ForAll" => '\u{2200}',
        "Gamma" => '\u{0393}',
        "Iacute" => '\u{00CD}',
        "Icirc" => '\u{00CE}',
        "Igrave" => '\u{00CC}',
        "Implies" => '\u{21D2}',
        "Integral" => '\u{222B}',
        "Iota" => '\u{0399}',
        "Iuml" => '\u{00CF}',
        "Kappa" => '\u{039A}',
        "Lambda" => '\u{039B}',
        "Mu" => '\u{039C}',
        "NoBreak" => '\u{2060}',
        "NotEqual" => '\u{2260}',
        "Ntilde" => '\u{00D1}',
        "Nu" => '\u{039D}',
        "OElig" => '\u{0152}',
        "Oacute" => '\u{00D3}',
        "Ocirc" => '\u{00D4}',
        "Ograve" => '\u{00D2}',
        "Omega" => '\u{03A9}',
        "Omicron" => '\u{039F}',
        "Oslash" => '\u{00D8}',
        "Otilde" => '\u{00D5}',
        "Ouml" => '\u{00D6}',
        "OverBar" => '\u{203E}',
        "PartialD" => '\u{2202}',
        "Phi" => '\u{03A6}',
        "Pi" => '\u{03A0}',
        "Prime" => '\u{2033}',
        "Product" => '\u{220F}',
        "Psi" => '\u{03A8}',
        "REG" => '\u{00AE}',
        "Rho" => '\u{03A1}',
        "Scaron" => '\u{0160}',
        "Sigma" => '\u{03A3}',
        "Sqrt" => '\u{221A}',
        "SuchThat" => '\u{220B}',
        "Sum" => '\u{2211}',
        "Superset" => '\u{2283}',
        "THORN" => '\u{00DE}',
        "TRADE" => '\u{2122}',
        "Tau" => '\u{03A4}',
        "Theta" => '\u{0398}',
        "Tilde" => '\u{223C}',
        "Uacute" => '\u{00DA}',
        "Ucirc" => '\u{00DB}',
        "Ugrave" => '\u{00D9}',
        "UpArrow" => '\u{2191}',
        "UpTee" => '\u{22A5}',
        "Upsilon" => '\u{03A5}',
        "Uuml" => '\u{00DC}',
        "Verbar" => '\u{2016}',
        "Vert" => '\u{2016}',
        "Xi" => '\u{039E}',
        "Yacute" => '\u{00DD}',
        "Yuml" => '\u{0178}',
        "Zeta" => '\u{0396}',
        "aacute" => '\u{00E1}',
        "acirc" => '\u{00E2}',
        "acute" => '\u{00B4}',
        "aelig" => '\u{00E6}',
        "af" => '\u{2061}',
        "agrave" => '\u{00E0}',
        "alpha" => '\u{03B1}',
        "and" => '\u{2227}',
        "ang" => '\u{2220}',
        "angle" => '\u{2220}',
        "angst" => '\u{00C5}',
        "ap" => '\u{2248}',
        "approx" => '\u{2248}',
        "aring" => '\u{00E5}',
        "asymp" => '\u{2248}',
        "atilde" => '\u{00E3}',
        "auml" => '\u{00E4}',
        "bdquo" => '\u{201E}',
        "beta" => '\u{03B2}',
        "bot" => '\u{22A5}',
        "bottom" => '\u{22A5}',
        "bprime" => '\u{2035}',
        "brvbar" => '\u{00A6}',
        "bsemi" => '\u{204F}',
        "bull" => '\u{2022}',
        "bullet" => '\u{2022}',
        "cap" => '\u{2229}',
        "caret" => '\u{2041}',
        "ccedil" => '\u{00E7}',
        "cedil" => '\u{00B8}',
        "cent" => '\u{00A2}',
        "chi" => '\u{03C7}',
        "circ" => '\u{02C6}',
        "circledR" => '\u{00AE}',
        "clubs" => '\u{2663}',
        "clubsuit" => '\u{2663}',
        "cong" => '\u{2245}',
        "copy" => '\u{00A9}',
        "cup" => '\u{222A}',
        "curren" => '\u{00A4}',
        "dagger" => '\u{2020}',
        "darr" => '\u{2193}',
        "dash" => '\u{2010}',
        "ddagger" => '\u{2021}',
        "deg" => '\u{00B0}',
        "delta" => '\u{03B4}',
        "diams" => '\u{2666}',
        "die" => '\u{00A8}',
        "div" => '\u{00F7}',
        "divide" => '\u{00F7}',
        "eacute" => '\u{00E9}',
        "ecirc" => '\u{00EA}',
        "egrave" => '\u{00E8}',
        "empty" => '\u{2205}',
        "emptyset" => '\u{2205}',
        "emptyv" => '\u{2205}',
        "epsi" => '\u{03B5}',
        "epsilon" => '\u{03B5}',
        "equiv" => '\u{2261}',
        "eta" => '\u{03B7}',
        "eth" => '\u{00F0}',
        "euml" => '\u{00EB}',
        "euro" => '\u{20AC}',
        "exist" => '\u{2203}',
        "fnof" => '\u{0192}',
        "forall" => '\u{2200}',
        "frac12" => '\u{00BD}',
        "frac14" => '\u{00BC}',
        "frac34" => '\u{00BE}',
        "frasl" => '\u{2044}',
        "gamma" => '\u{03B3}',
        "ge" => '\u{2265}',
        "geq" => '\u{2265}',
        "hArr" => '\u{21D4}',
        "half" => '\u{00BD}',
        "harr" => '\u{2194}',
        "hearts" => '\u{2665}',
        "hellip" => '\u{2026}',
        "horbar" => '\u{2015}',
        "hybull" => '\u{2043}',
        "hyphen" => '\u{2010}',
        "iacute" => '\u{00ED}',
        "ic" => '\u{2063}',
        "icirc" => '\u{00EE}',
        "iexcl" => '\u{00A1}',
        "iff" => '\u{21D4}',
        "igrave" => '\u{00EC}',
        "in" => '\u{2208}',
        "infin" => '\u{221E}',
        "int" => '\u{222B}',
        "iota" => '\u{03B9}',
        "iquest" => '\u{00BF}',
        "isin" => '\u{2208}',
        "isinv" => '\u{2208}',
        "it" => '\u{2062}',
        "iuml" => '\u{00EF}',
        "kappa" => '\u{03BA}',
        "lambda" => '\u{03BB}',
        "laquo" => '\u{00AB}',
        "larr" => '\u{2190}',
        "ldquo" => '\u{201C}',
        "ldquor" => '\u{201E}',
        "le" => '\u{2264}',
        "leq" => '\u{2264}',
        "loz" => '\u{25CA}',
        "lozenge" => '\u{25CA}',
        "lsaquo" => '\u{2039}',
        "lsquo" => '\u{2018}',
        "lsquor" => '\u{201A}',
        "macr" => '\u{00AF}',
        "mdash" => '\u{2014}',
        "micro" => '\u{00B5}',
        "middot" => '\u{00B7}',
        "minus" => '\u{2212}',
        "mldr" => '\u{2026}',
        "mu" => '\u{03BC}',
        "nabla" => '\u{2207}',
        "ndash" => '\u{2013}',
        "ne" => '\u{2260}',
        "ni" => '\u{220B}',
        "niv" => '\u{220B}',
        "nldr" => '\u{2025}',
        "not" => '\u{00AC}',
        "notin" => '\u{2209}',
        "notinva" => '\u{2209}',
        "ntilde" => '\u{00F1}',
        "nu" => '\u{03BD}',
        "oacute" => '\u{00F3}',
        "ocirc" => '\u{00F4}',
        "oelig" => '\u{0153}',
        "ograve" => '\u{00F2}',
        "ohm" => '\u{03A9}',
        "oline" => '\u{203E}',
        "omega" => '\u{03C9}',
        "omicron" => '\u{03BF}',
        "oplus" => '\u{2295}',
        "or" => '\u{2228}',
        "ordf" => '\u{00AA}',
        "ordm" => '\u{00BA}',
        "oslash" => '\u{00F8}',
        "otilde" => '\u{00F5}',
        "otimes" => '\u{2297}',
        "ouml" => '\u{00F6}',
        "para" => '\u{00B6}',
        "part" => '\u{2202}',
        "permil" => '\u{2030}',
        "perp" => '\u{22A5}',
        "pertenk" => '\u{2031}',
        "phi" => '\u{03C6}',
        "pi" => '\u{03C0}',
        "plusmn" => '\u{00B1}',
        "pm" => '\u{00B1}',
        "pound" => '\u{00A3}',
        "prime" => '\u{2032}',
        "prod" => '\u{220F}',
        "prop" => '\u{221D}',
        "propto" => '\u{221D}',
        "psi" => '\u{03C8}',
        "qprime" => '\u{2057}',
        "rArr" => '\u{21D2}',
        "radic" => '\u{221A}',
        "raquo" => '\u{00BB}',
        "rarr" => '\u{2192}',
        "rdquo" => '\u{201D}',
        "rdquor" => '\u{201D}',
        "reg" => '\u{00AE}',
        "rho" => '\u{03C1}',
        "rsaquo" => '\u{203A}',
        "rsquo" => '\u{2019}',
        "rsquor" => '\u{2019}',
        "sbquo" => '\u{201A}',
        "scaron" => '\u{0161}',
        "sdot" => '\u{22C5}',
        "sect" => '\u{00A7}',
        "shy" => '\u{00AD}',
        "sigma" => '\u{03C3}',
        "sigmaf" => '\u{03C2}',
        "sigmav" => '\u{03C2}',
        "sim" => '\u{223C}',
        "slarr" => '\u{2190}',
        "spades" => '\u{2660}',
        "srarr" => '\u{2192}',
        "strns" => '\u{00AF}',
        "sub" => '\u{2282}',
        "sube" => '\u{2286}',
        "subset" => '\u{2282}',
        "subseteq" => '\u{2286}',
        "sum" => '\u{2211}',
        "sup" => '\u{2283}',
        "sup1" => '\u{00B9}',
        "sup2" => '\u{00B2}',
        "sup3" => '\u{00B3}',
        "supe" => '\u{2287}',
        "supset" => '\u{2283}',
        "supseteq" => '\u{2287}',
        "szlig" => '\u{00DF}',
        "tau" => '\u{03C4}',
        "there4" => '\u{2234}',
        "theta" => '\u{03B8}',
        "thicksim" => '\u{223C}',
        "thkap" => '\u{2248}',
        "thksim" => '\u{223C}',
        "thorn" => '\u{00FE}',
        "tilde" => '\u{02DC}',
        "times" => '\u{00D7}',
        "tprime" => '\u{2034}',
        "trade" => '\u{2122}',
        "uacute" => '\u{00FA}',
        "uarr" => '\u{2191}',
        "ucirc" => '\u{00FB}',
        "ugrave" => '\u{00F9}',
        "uml" => '\u{00A8}',
        "uparrow" => '\u{2191}',
        "upsi" => '\u{03C5}',
        "upsilon" => '\u{03C5}',
        "uuml" => '\u{00FC}',
        "varsigma" => '\u{03C2}',
        "vee" => '\u{2228}',
        "vprop" => '\u{221D}',
        "wedge" => '\u{2227}',
        "xi" => '\u{03BE}',
        "yacute" => '\u{00FD}',
        "yen" => '\u{00A5}',
        "yuml" => '\u{00FF}',
        "zeta" => '\u{03B6}',
        _ => return None,
    })
}

/// Converts HTML to blocks, one per line.
pub fn blocks(html: &str) -> Vec<Block> {
    super::text::blocks(&to_text(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_elements_are_found_in_any_case_and_in_linear_time() {
        assert_eq!(to_text("a<SCRIPT>x</ScRiPt>b"), "ab");
        assert_eq!(find_ci("xx</STYLE", "</style"), Some(2));
        assert_eq!(find_ci("</styl", "</style"), None);
        // Each <script> used to copy the rest of the page.
        let hostile = "文<script>x</script>".repeat(20_000);
        let started = std::time::Instant::now();
        assert_eq!(to_text(&hostile), "文".repeat(20_000));
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    }

    #[test]
    fn tags_scripts_and_entities() {
        let html = "<html><head><style>p{}</style></head><body><p>第一段&nbsp;文字</p>\
                    <script>var s = document.createElement('script');</script><p>A&amp;B&#x4E00;</p></body></html>";
        assert_eq!(to_text(html).trim(), "第一段 文字\nA&B一");
    }

    #[test]
    fn named_references_beyond_ascii() {
        assert_eq!(to_text("Gr&ouml;&szlig;e &ndash; 5&nbsp;&euro; &hellip;"), "Größe – 5 € …");
    }

    #[test]
    fn broken_markup_does_not_lose_text() {
        assert_eq!(to_text("a < b and &unknown; c"), "a < b and &unknown; c");
    }
}
