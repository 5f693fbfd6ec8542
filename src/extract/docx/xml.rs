//! A pull tokenizer for the XML of stories (`document.xml`, notes, comments,
//! headers): the hot loop of `.docx` reading.
//!
//! quick-xml (which reads the package's small parts: styles, numbering,
//! relationships) checks that every event it emits is UTF-8 as it goes;
//! on Chinese text that check alone was a sixth of reading a `.docx`. Here
//! the part is checked once, whole, with SIMD, and then cut only at ASCII
//! markup, so every token is a `&str` slice of it for free. The tokens carry what the
//! story reader needs and nothing more: tags with their raw attributes
//! (parsed only when an attribute is asked for), text between markup,
//! entity and character references, CDATA.
//!
//! Behaviour follows quick-xml's for well-formed parts, so both read a part
//! alike: a leading byte-order mark is skipped, an end tag must close the
//! open element, `&` must start a reference closed by `;`, DTD entities are
//! never expanded (a `<!DOCTYPE` is reported and skipped), and a part that
//! simply stops (a truncated download) ends its open elements silently.

use std::borrow::Cow;

/// Why a part is not well-formed XML, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    /// Byte offset in the part.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl XmlError {
    fn at(offset: usize, message: impl Into<String>) -> Self {
        Self { offset, message: message.into() }
    }
}

/// A start or empty-element tag.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tag<'x> {
    /// The qualified name (`w:p`).
    pub name: &'x str,
    /// Everything between the name and the closing `>` or `/>`.
    pub attributes: &'x str,
}

/// One token of a part.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token<'x> {
    /// `<name …>`.
    Start(Tag<'x>),
    /// `<name …/>`.
    Empty(Tag<'x>),
    /// `</name>`: the qualified name.
    End(&'x str),
    /// Text between markup, without references; line ends not normalised
    /// (see [`push_text`]).
    Text(&'x str),
    /// A reference `&…;`: what is between `&` and `;`.
    Ref(&'x str),
    /// The content of a CDATA section, as written.
    CData(&'x str),
    /// A document type declaration (skipped).
    DocType,
    /// The end of the part.
    Eof,
}

/// Reads the tokens of one part.
pub(crate) struct Tokenizer<'x> {
    xml: &'x str,
    pos: usize,
    /// Names of the open elements, to check end tags against.
    open: Vec<&'x str>,
}

impl<'x> Tokenizer<'x> {
    /// A tokenizer over `bytes`, which must be UTF-8 (a leading byte-order
    /// mark is skipped).
    pub fn new(bytes: &'x [u8]) -> Result<Self, XmlError> {
        // simdutf8 checks Chinese text ~10x faster than `str::from_utf8`,
        // which took a sixth of reading a `.docx`; std says where it fails.
        let xml = simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes)).map_err(|e| {
            XmlError::at(e.valid_up_to(), format!("invalid UTF-8 sequence at byte {}", e.valid_up_to()))
        })?;
        let pos = if xml.starts_with('\u{FEFF}') { 3 } else { 0 };
        Ok(Self { xml, pos, open: Vec::new() })
    }

    /// The byte offset just after the last token read.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The next token.
    pub fn next_token(&mut self) -> Result<Token<'x>, XmlError> {
        // Comments and processing instructions are skipped in a loop, not
        // by recursion: a part of a million comments must not overflow the
        // stack.
        loop {
            if let Some(token) = self.token_or_skip()? {
                return Ok(token);
            }
        }
    }

    /// The next token, or `None` after skipping a comment or processing
    /// instruction.
    fn token_or_skip(&mut self) -> Result<Option<Token<'x>>, XmlError> {
        let bytes = self.xml.as_bytes();
        let start = self.pos;
        match bytes.get(start) {
            None => Ok(Some(Token::Eof)),
            Some(b'<') => self.markup(start),
            Some(b'&') => {
                let rest = &bytes[start + 1..];
                match memchr::memchr3(b';', b'&', b'<', rest) {
                    Some(i) if rest[i] == b';' => {
                        self.pos = start + 1 + i + 1;
                        Ok(Some(Token::Ref(&self.xml[start + 1..start + 1 + i])))
                    }
                    _ => {
                        // Stop here for good, as a reader that cannot go on.
                        self.pos = bytes.len();
                        Err(XmlError::at(start, "unclosed reference: `&` without `;`"))
                    }
                }
            }
            Some(_) => {
                let end = memchr::memchr2(b'<', b'&', &bytes[start..]).map_or(bytes.len(), |i| start + i);
                self.pos = end;
                Ok(Some(Token::Text(&self.xml[start..end])))
            }
        }
    }

    /// The markup that starts at `lt` (a `<`).
    fn markup(&mut self, lt: usize) -> Result<Option<Token<'x>>, XmlError> {
        let bytes = self.xml.as_bytes();
        let after = lt + 1;
        match bytes.get(after) {
            Some(b'/') => {
                let gt = self.find(b">", after, "unclosed end tag")?;
                self.pos = gt + 1;
                let name = self.xml[after + 1..gt].trim_end_matches(is_xml_space);
                match self.open.pop() {
                    Some(open) if open == name => Ok(Some(Token::End(name))),
                    Some(open) => Err(XmlError::at(lt, format!("expected `</{open}>`, but `</{name}>` was found"))),
                    None => Err(XmlError::at(lt, format!("close tag `</{name}>` does not match any open tag"))),
                }
            }
            Some(b'?') => {
                let end = self.find(b"?>", after, "unclosed processing instruction")?;
                self.pos = end + 2;
                Ok(None)
            }
            Some(b'!') => self.bang(lt),
            _ => self.tag(lt).map(Some),
        }
    }

    /// A start or empty-element tag at `lt`. A `>` inside a quoted
    /// attribute value does not end the tag.
    fn tag(&mut self, lt: usize) -> Result<Token<'x>, XmlError> {
        let bytes = self.xml.as_bytes();
        let mut at = lt + 1;
        let gt = loop {
            match memchr::memchr3(b'>', b'"', b'\'', &bytes[at..]) {
                Some(i) if bytes[at + i] == b'>' => break at + i,
                Some(i) => {
                    let quote = bytes[at + i];
                    match memchr::memchr(quote, &bytes[at + i + 1..]) {
                        Some(j) => at = at + i + 1 + j + 1,
                        None => return Err(XmlError::at(lt, "unclosed attribute value")),
                    }
                }
                None => return Err(XmlError::at(lt, "unclosed tag")),
            }
        };
        self.pos = gt + 1;
        let empty = bytes[gt - 1] == b'/' && gt - 1 > lt;
        let content = &self.xml[lt + 1..if empty { gt - 1 } else { gt }];
        let name_end = content.bytes().position(|b| is_xml_space(b as char)).unwrap_or(content.len());
        let tag = Tag { name: &content[..name_end], attributes: &content[name_end..] };
        if empty {
            Ok(Token::Empty(tag))
        } else {
            self.open.push(tag.name);
            Ok(Token::Start(tag))
        }
    }

    /// `<!--`, `<![CDATA[` or `<!DOCTYPE` at `lt`.
    fn bang(&mut self, lt: usize) -> Result<Option<Token<'x>>, XmlError> {
        let rest = &self.xml.as_bytes()[lt..];
        if rest.starts_with(b"<!--") {
            let end = self.find(b"-->", lt + 4, "unclosed comment")?;
            self.pos = end + 3;
            Ok(None)
        } else if rest.starts_with(b"<![CDATA[") {
            let end = self.find(b"]]>", lt + 9, "unclosed CDATA section")?;
            self.pos = end + 3;
            Ok(Some(Token::CData(&self.xml[lt + 9..end])))
        } else if rest.len() >= 9 && rest[2..9].eq_ignore_ascii_case(b"DOCTYPE") {
            // Skip to the `>` that closes the declaration, past the `<…>`
            // of an internal subset.
            let mut depth = 0usize;
            for (i, &b) in rest.iter().enumerate().skip(9) {
                match b {
                    b'<' => depth += 1,
                    b'>' if depth == 0 => {
                        self.pos = lt + i + 1;
                        return Ok(Some(Token::DocType));
                    }
                    b'>' => depth -= 1,
                    _ => {}
                }
            }
            self.pos = self.xml.len();
            Err(XmlError::at(lt, "unclosed DOCTYPE"))
        } else {
            self.pos = self.xml.len();
            Err(XmlError::at(lt, "unknown or missed symbol in markup"))
        }
    }

    /// The offset of `needle` at or after `from`; an error naming `what`
    /// (and the end of reading) when there is none.
    fn find(&mut self, needle: &[u8], from: usize, what: &str) -> Result<usize, XmlError> {
        let bytes = self.xml.as_bytes();
        let found = if needle.len() == 1 {
            memchr::memchr(needle[0], &bytes[from.min(bytes.len())..])
        } else {
            memchr::memmem::find(&bytes[from.min(bytes.len())..], needle)
        };
        match found {
            Some(i) => Ok(from + i),
            None => {
                let lt = self.pos;
                self.pos = bytes.len();
                Err(XmlError::at(lt, what))
            }
        }
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

impl<'x> Tag<'x> {
    /// The attributes as (qualified name, raw value) pairs, in order. A
    /// malformed attribute ends the list.
    pub fn pairs(&self) -> Pairs<'x> {
        Pairs { rest: self.attributes }
    }

    /// The normalised value of the first attribute whose local name is
    /// `local` (any prefix); `None` also when its value has an unknown
    /// entity.
    pub fn attr(&self, local: &str) -> Option<Cow<'x, str>> {
        self.pairs().find(|(key, _)| local_name(key) == local).and_then(|(_, value)| attribute_value(value))
    }

    /// [`Tag::attr`], owned.
    pub fn attr_owned(&self, local: &str) -> Option<String> {
        self.attr(local).map(Cow::into_owned)
    }
}

/// The part of a qualified name after its prefix.
pub(crate) fn local_name(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, local)| local)
}

/// Iterator over a tag's attributes (see [`Tag::pairs`]).
pub(crate) struct Pairs<'x> {
    rest: &'x str,
}

impl<'x> Iterator for Pairs<'x> {
    type Item = (&'x str, &'x str);

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.rest.trim_start_matches(is_xml_space);
        let eq = s.find('=')?;
        let key = s[..eq].trim_end_matches(is_xml_space);
        let after = s[eq + 1..].trim_start_matches(is_xml_space);
        let quote = after.chars().next().filter(|&q| q == '"' || q == '\'')?;
        let close = after[1..].find(quote)?;
        self.rest = &after[1 + close + 1..];
        (!key.is_empty() && !key.contains(is_xml_space)).then_some((key, &after[1..1 + close]))
    }
}

/// An attribute value as XML normalises it: references resolved, each
/// tab, line feed, carriage return (or CR LF) one space. `None` when it
/// has a reference that is not a character reference or a predefined
/// entity.
pub(crate) fn attribute_value(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.bytes().any(|b| matches!(b, b'&' | b'\t' | b'\r' | b'\n')) {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '&' => {
                let end = raw[i..].find(';')?;
                out.push(resolve_reference(&raw[i + 1..i + end])?);
                while chars.next_if(|&(j, _)| j <= i + end).is_some() {}
            }
            '\r' => {
                chars.next_if(|&(_, c)| c == '\n');
                out.push(' ');
            }
            '\t' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

/// The character a reference stands for (`#20`, `#x4E00`, `amp` …);
/// `None` for other entities, which only a DTD could define.
pub(crate) fn resolve_reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let (digits, radix) = number.strip_prefix('x').map_or((number, 10), |hex| (hex, 16));
        // `u32::from_str_radix` takes a sign; XML does not.
        if digits.starts_with(['+', '-']) {
            return None;
        }
        let code = u32::from_str_radix(digits, radix).ok()?;
        // `&#0;` is not a character XML allows.
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// Appends `text` with its line ends normalised as XML 1.0 does (CR LF
/// and lone CR become LF).
pub(crate) fn push_text(out: &mut String, text: &str) {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        out.push_str(text);
        return;
    }
    let mut rest = text;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = rest[i + 1..].strip_prefix('\n').unwrap_or(&rest[i + 1..]);
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(xml: &str) -> Result<Vec<String>, XmlError> {
        let mut t = Tokenizer::new(xml.as_bytes())?;
        let mut out = Vec::new();
        loop {
            let token = t.next_token()?;
            out.push(match token {
                Token::Start(tag) => format!("<{}|{}>", tag.name, tag.attributes),
                Token::Empty(tag) => format!("<{}|{}/>", tag.name, tag.attributes),
                Token::End(name) => format!("</{name}>"),
                Token::Text(s) => format!("T:{s}"),
                Token::Ref(s) => format!("&{s};"),
                Token::CData(s) => format!("C:{s}"),
                Token::DocType => "DOCTYPE".into(),
                Token::Eof => break,
            });
        }
        Ok(out)
    }

    #[test]
    fn tags_text_references_and_cdata() {
        let got = tokens(
            "\u{FEFF}<?xml version=\"1.0\"?><a x=\"1>2\" y='z'><b/>\u{4E2D}&amp;&#x4E00;<!-- c --><![CDATA[<&>]]></a >",
        )
        .unwrap();
        assert_eq!(got, ["<a| x=\"1>2\" y='z'>", "<b|/>", "T:\u{4E2D}", "&amp;", "&#x4E00;", "C:<&>", "</a>"]);
    }

    #[test]
    fn a_million_comments_are_skipped_without_recursion() {
        let xml = format!("<a>{}x</a>", "<!---->".repeat(1_000_000));
        assert_eq!(tokens(&xml).unwrap(), ["<a|>", "T:x", "</a>"]);
    }

    #[test]
    fn a_doctype_with_an_internal_subset_is_one_token() {
        let got = tokens("<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>").unwrap();
        assert_eq!(got, ["DOCTYPE", "<r|>", "&x;", "</r>"]);
    }

    #[test]
    fn ill_formed_parts_are_errors_with_their_offset() {
        let err = |xml: &str| tokens(xml).unwrap_err();
        assert_eq!(err("<a></b>").offset, 3);
        assert!(err("<a></b>").message.contains("</a>"));
        assert!(err("</a>").message.contains("does not match"));
        assert!(err("<a>x & y</a>").message.contains("unclosed reference"));
        assert!(err("<a b=\"1></a>").message.contains("unclosed attribute"));
        assert!(err("<a><!-- x").message.contains("unclosed comment"));
        assert!(err("<a><!x></a>").message.contains("unknown"));
        let bad = Tokenizer::new(b"<a>\xE4\xB8\xAD\xFF</a>").err().expect("invalid UTF-8");
        assert_eq!(bad.offset, 6);
        let cut = Tokenizer::new(b"<a>\xE4\xB8").err().expect("a cut character");
        assert_eq!(cut.offset, 3);
    }

    #[test]
    fn a_part_that_stops_ends_quietly_unless_inside_markup() {
        assert_eq!(tokens("<a><b>text").unwrap(), ["<a|>", "<b|>", "T:text"]);
        assert!(tokens("<a><b").unwrap_err().message.contains("unclosed tag"));
    }

    #[test]
    fn attributes_are_found_by_local_name_and_normalised() {
        let mut t = Tokenizer::new(b"<w:x w:val=\"a&amp;b\tc\r\nd\" r:id = 'x' w:font=\"&bogus;\"/>").unwrap();
        let Token::Empty(tag) = t.next_token().unwrap() else { panic!("an empty tag") };
        assert_eq!(tag.attr("val").as_deref(), Some("a&b c d"));
        assert_eq!(tag.attr("id").as_deref(), Some("x"));
        assert_eq!(tag.attr("font"), None);
        assert_eq!(tag.attr("missing"), None);
        assert_eq!(tag.pairs().map(|(k, _)| k).collect::<Vec<_>>(), ["w:val", "r:id", "w:font"]);
    }

    #[test]
    fn references_and_line_ends() {
        assert_eq!(resolve_reference("#65"), Some('A'));
        assert_eq!(resolve_reference("#x4e00"), Some('\u{4E00}'));
        assert_eq!(resolve_reference("#0"), None);
        assert_eq!(resolve_reference("#+65"), None);
        assert_eq!(resolve_reference("#xD800"), None);
        assert_eq!(resolve_reference("nbsp"), None);
        let mut s = String::new();
        push_text(&mut s, "a\r\nb\rc\n");
        assert_eq!(s, "a\nb\nc\n");
    }

    /// Damaged parts (bytes cut, dropped, doubled or replaced at random
    /// places of a real one) end in a token stream or an error, never a
    /// panic or a loop: every token moves forward.
    #[test]
    fn damaged_parts_end_without_panic() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="u"><w:body><w:p><w:r><w:t xml:space="preserve">中 &amp; &#x4E00;</w:t></w:r><![CDATA[<x>]]><!-- c --><w:br w:type='page'/></w:p></w:body></w:document>"#.as_bytes();
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut read = 0;
        let specials = [b'<', b'>', b'&', b';', b'/', b'!', b'?', b'"', b'\'', b'[', b']', b'-', 0xE4, 0xB8, 0xFF];
        for _ in 0..20_000 {
            let mut bytes = xml.to_vec();
            for _ in 0..1 + next() % 4 {
                let at = (next() as usize) % bytes.len();
                match next() % 4 {
                    0 => bytes.truncate(at),
                    1 => drop(bytes.remove(at)),
                    2 => bytes.insert(at, bytes[at]),
                    _ => bytes[at] = specials[(next() as usize) % specials.len()],
                }
                if bytes.is_empty() {
                    break;
                }
            }
            let Ok(mut t) = Tokenizer::new(&bytes) else { continue };
            read += 1;
            let mut last = t.position();
            for _ in 0..=bytes.len() {
                match t.next_token() {
                    Ok(Token::Eof) | Err(_) => break,
                    Ok(Token::Start(tag) | Token::Empty(tag)) => {
                        let _ = tag.pairs().count();
                        let _ = tag.attr("type");
                    }
                    Ok(_) => {}
                }
                assert!(t.position() > last, "no progress in {:?}", String::from_utf8_lossy(&bytes));
                last = t.position();
            }
        }
        assert!(read > 10_000, "only {read} damaged parts were UTF-8");
    }

    /// A token stream as text, from either reader, for comparing them.
    fn ours(xml: &[u8]) -> (Vec<String>, bool) {
        let mut out = Vec::new();
        let Ok(mut t) = Tokenizer::new(xml) else { return (out, true) };
        loop {
            match t.next_token() {
                Ok(Token::Start(tag)) => out.push(format!("<{}{}>", tag.name, tag.attributes)),
                Ok(Token::Empty(tag)) => out.push(format!("<{}{}/>", tag.name, tag.attributes)),
                Ok(Token::End(name)) => out.push(format!("</{name}>")),
                Ok(Token::Text(s)) => {
                    let mut text = String::new();
                    push_text(&mut text, s);
                    out.push(text);
                }
                Ok(Token::Ref(s)) => out.push(format!("&{s};")),
                Ok(Token::CData(s)) => out.push(format!("C:{s}")),
                Ok(Token::DocType) => out.push("DOCTYPE".into()),
                Ok(Token::Eof) => return (out, false),
                Err(_) => return (out, true),
            }
        }
    }

    fn quick_xml(xml: &[u8]) -> (Vec<String>, bool) {
        use quick_xml::events::Event;
        let mut out = Vec::new();
        let mut reader = quick_xml::Reader::from_reader(xml);
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) => out.push(format!("<{}{}>", e.name().as_ref(), e.attributes_raw())),
                Ok(Event::Empty(e)) => out.push(format!("<{}{}/>", e.name().as_ref(), e.attributes_raw())),
                Ok(Event::End(e)) => out.push(format!("</{}>", e.name().as_ref())),
                Ok(Event::Text(e)) => out.push(e.xml10_content().into_owned()),
                Ok(Event::GeneralRef(e)) => out.push(format!("&{};", &*e)),
                Ok(Event::CData(e)) => out.push(format!("C:{}", &*e)),
                Ok(Event::DocType(_)) => out.push("DOCTYPE".into()),
                Ok(Event::Eof) => return (out, false),
                Ok(_) => {}
                Err(_) => return (out, true),
            }
        }
    }

    /// Every story part of the shared corpora (`../shared/corpora`) reads
    /// into the same tokens as with quick-xml, and fails where it fails.
    /// Without the corpora there is nothing to compare.
    #[test]
    fn reads_the_corpora_parts_as_quick_xml_does() {
        let beside = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
        let Some(root) = [beside, "/work/shared/corpora".into()].into_iter().find(|p| p.is_dir()) else {
            return;
        };
        let mut stack = vec![root];
        let mut parts = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "docx") {
                    continue;
                }
                let Ok(mut zip) =
                    std::fs::File::open(&path).map_err(|_| ()).and_then(|f| zip::ZipArchive::new(f).map_err(|_| ()))
                else {
                    continue;
                };
                for i in 0..zip.len() {
                    let Ok(mut member) = zip.by_index(i) else { continue };
                    let Ok(name) = member.name().map(|n| n.to_string()) else { continue };
                    let story = ["document", "footnotes", "endnotes", "comments", "header", "footer"]
                        .iter()
                        .any(|s| name.starts_with(&format!("word/{s}")));
                    if !story || !name.ends_with(".xml") || member.size() > 64 << 20 {
                        continue;
                    }
                    let mut xml = Vec::new();
                    if std::io::Read::read_to_end(&mut member, &mut xml).is_err() {
                        continue;
                    }
                    let (a, b) = (ours(&xml), quick_xml(&xml));
                    assert_eq!(a.1, b.1, "{}:{name}: one reader failed, the other did not", path.display());
                    if !a.1 {
                        assert!(a.0 == b.0, "{}:{name}: tokens differ", path.display());
                    }
                    parts += 1;
                }
            }
        }
        assert!(parts > 400, "only {parts} story parts found");
    }
}
