//! Paragraph styles: names, outline levels and numbering, resolved through
//! `basedOn` chains; and numbering styles, which lists link to
//! (`w:numStyleLink`).

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use super::DocxError;
use crate::extract::Limits;

/// One paragraph style as written in `styles.xml`.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// `w:name`.
    pub name: Option<String>,
    /// `w:basedOn`.
    pub based_on: Option<String>,
    /// `w:outlineLvl` (0 = level 1).
    pub outline_level: Option<u8>,
    /// `w:numPr/w:numId`.
    pub num_id: Option<String>,
    /// `w:numPr/w:ilvl`.
    pub ilvl: Option<u8>,
}

/// All paragraph styles of a document, by style id.
#[derive(Debug, Clone, Default)]
pub struct Styles {
    by_id: HashMap<String, Style>,
    /// Numbering styles (`w:type="numbering"`): style id → `numId`.
    numbering: HashMap<String, String>,
    /// The default paragraph style (`w:default="1"`), which applies to
    /// paragraphs without `w:pStyle`.
    default_paragraph: Option<String>,
}

pub(crate) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

impl Styles {
    /// Parses `styles.xml`.
    pub fn parse(xml: &[u8], part: &str, limits: &Limits) -> Result<Self, DocxError> {
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut by_id = HashMap::new();
        let mut numbering = HashMap::new();
        let mut default_paragraph = None;
        let mut current: Option<(String, Style)> = None;
        // The numbering style being read, if the current style is one.
        let mut numbering_style: Option<String> = None;
        let mut depth = 0usize;
        let mut in_ppr = false;
        loop {
            let event = reader.read_event().map_err(|e| DocxError::malformed(part, &reader, e))?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let is_start = matches!(event, Event::Start(_));
                    if is_start {
                        depth += 1;
                        if depth > limits.max_depth {
                            return Err(DocxError::TooDeep { part: part.to_string(), limit: limits.max_depth });
                        }
                    }
                    match e.local_name().as_ref() {
                        "style" => {
                            let kind = attr(e, "type").unwrap_or_default();
                            let id = attr(e, "styleId");
                            numbering_style = None;
                            current = None;
                            match kind.as_str() {
                                "paragraph" => {
                                    let default = attr(e, "default");
                                    if default.is_some() && !super::numbering::is_off(default.as_deref()) {
                                        default_paragraph.clone_from(&id);
                                    }
                                    current = id.map(|id| (id, Style::default()));
                                }
                                "numbering" => numbering_style = id,
                                _ => {}
                            }
                        }
                        "pPr" if is_start => in_ppr = true,
                        "name" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.name = attr(e, "val");
                            }
                        }
                        "basedOn" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.based_on = attr(e, "val");
                            }
                        }
                        "outlineLvl" if in_ppr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.outline_level = attr(e, "val").and_then(|v| v.parse().ok());
                            }
                        }
                        "numId" if in_ppr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.num_id = attr(e, "val");
                            } else if let (Some(id), Some(num)) = (&numbering_style, attr(e, "val")) {
                                numbering.insert(id.clone(), num);
                            }
                        }
                        "ilvl" if in_ppr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.ilvl = attr(e, "val").and_then(|v| v.parse().ok());
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(ref e) => {
                    depth = depth.saturating_sub(1);
                    match e.local_name().as_ref() {
                        "pPr" => in_ppr = false,
                        "style" => {
                            if let Some((id, s)) = current.take() {
                                by_id.insert(id, s);
                            }
                            numbering_style = None;
                        }
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(Self { by_id, numbering, default_paragraph })
    }

    /// The `numId` a numbering style points to.
    pub fn numbering_style_num(&self, id: &str) -> Option<&str> {
        self.numbering.get(id).map(String::as_str)
    }

    /// The style of a paragraph: its `w:pStyle`, else the default
    /// paragraph style.
    pub fn paragraph_style<'a>(&'a self, pstyle: Option<&'a str>) -> Option<&'a str> {
        pstyle.or(self.default_paragraph.as_deref())
    }

    /// The style with this id.
    pub fn get(&self, id: &str) -> Option<&Style> {
        self.by_id.get(id)
    }

    /// Walks the `basedOn` chain from `id` (at most 16 steps, so a cycle
    /// cannot hang) and returns the first value `f` finds.
    pub fn inherited<'s, T>(&'s self, id: &str, f: impl Fn(&'s Style) -> Option<T>) -> Option<T> {
        let mut cur = Some(id);
        for _ in 0..16 {
            let style = self.by_id.get(cur?)?;
            if let Some(v) = f(style) {
                return Some(v);
            }
            cur = style.based_on.as_deref();
        }
        None
    }

    /// The heading level (1 = top) a paragraph of style `id` has: from the
    /// outline level in the style chain, or from a built-in or localised
    /// heading style name (`heading 2`, `标题 2`, `Title`).
    pub fn heading_level(&self, id: &str) -> Option<u8> {
        if let Some(level) = self.inherited(id, |s| s.outline_level) {
            return (level < 9).then_some(level + 1);
        }
        let name = self.by_id.get(id).and_then(|s| s.name.as_deref()).unwrap_or(id);
        heading_level_from_name(name)
    }
}

/// `heading 1`, `Heading1`, `标题 1`, `標題 1`, `Überschrift 1`, `Titre 1`,
/// `Title` → the level.
pub fn heading_level_from_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    if lower == "title" || lower == "标题" || lower == "標題" {
        return Some(1);
    }
    for prefix in ["heading", "标题", "標題", "überschrift", "titre", "titolo", "título", "kop", "заголовок"]
    {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let digits = rest.trim();
            if let Ok(n) = digits.parse::<u8>()
                && (1..=9).contains(&n)
            {
                return Some(n);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_names() {
        assert_eq!(heading_level_from_name("heading 2"), Some(2));
        assert_eq!(heading_level_from_name("Heading1"), Some(1));
        assert_eq!(heading_level_from_name("标题 3"), Some(3));
        assert_eq!(heading_level_from_name("Title"), Some(1));
        assert_eq!(heading_level_from_name("Normal"), None);
    }

    #[test]
    fn outline_levels_are_inherited() {
        let xml = r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:styleId="A"><w:name w:val="My Heading"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="B"><w:name w:val="Child"/><w:basedOn w:val="A"/></w:style></w:styles>"#;
        let styles = Styles::parse(xml.as_bytes(), "word/styles.xml", &Limits::default()).unwrap();
        assert_eq!(styles.heading_level("B"), Some(2));
    }
}
