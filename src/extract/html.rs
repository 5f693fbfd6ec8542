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
    Some(match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "yen" => '¥',
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
    fn broken_markup_does_not_lose_text() {
        assert_eq!(to_text("a < b and &unknown; c"), "a < b and &unknown; c");
    }
}
