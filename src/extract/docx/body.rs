//! Streaming a WordprocessingML part into blocks.
//!
//! What counts as text, as a table:
//!
//! | element | becomes |
//! |---|---|
//! | `w:p` end | the end of a block (or of a paragraph inside a table cell) |
//! | `w:t` | its text (entities arrive as separate events) |
//! | `w:tab` in a run | `\t` |
//! | `w:br`, `w:cr` | `\n` |
//! | `w:noBreakHyphen` | `-` |
//! | `w:softHyphen` | nothing |
//! | `w:sym` | the symbol's character |
//! | `w:del`, `w:delText`, `w:moveFrom` | nothing (deleted text) |
//! | `w:instrText`, field code before `separate` | nothing (the result is kept) |
//! | `mc:Fallback` | nothing (`mc:Choice` is read) |
//! | `w:tr` end | one block: the cells' text separated by `\t` |
//! | a run with `w:vanish` | nothing (hidden text) |

use quick_xml::events::{BytesStart, Event};

use super::DocxError;
use super::styles::{Styles, attr};
use crate::extract::{Block, BlockKind, Limits};

#[derive(Default)]
struct Para {
    text: String,
    style_id: Option<String>,
    outline_level: Option<u8>,
    in_ppr: bool,
    in_run: bool,
    in_rpr: bool,
    run_hidden: bool,
}

#[derive(Default)]
struct Table {
    row: Option<Vec<String>>,
    cell: Option<String>,
    /// The current cell continues a vertical merge: its (empty) text is not
    /// repeated.
    cell_continues_merge: bool,
}

struct BodyReader<'s> {
    styles: &'s Styles,
    part: String,
    max_depth: usize,
    depth: usize,
    /// Depth of the element whose subtree is being skipped.
    skip_from: Option<usize>,
    paras: Vec<Para>,
    tables: Vec<Table>,
    /// One entry per open complex field: true while its instruction part is
    /// being read.
    fields: Vec<bool>,
    in_text: bool,
    blocks: Vec<Block>,
}

/// Reads the blocks of one part (the main document).
pub fn read_blocks(xml: &str, part: &str, styles: &Styles, limits: &Limits) -> Result<Vec<Block>, DocxError> {
    let mut state = BodyReader {
        styles,
        part: part.to_string(),
        max_depth: limits.max_depth,
        depth: 0,
        skip_from: None,
        paras: Vec::new(),
        tables: Vec::new(),
        fields: Vec::new(),
        in_text: false,
        blocks: Vec::new(),
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        let event = reader.read_event().map_err(|e| DocxError::MalformedXml {
            part: part.to_string(),
            offset: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(e) => state.start(&e)?,
            Event::Empty(e) => {
                if state.skip_from.is_none() {
                    state.leaf(&e);
                }
            }
            Event::End(e) => state.end(e.local_name().as_ref()),
            Event::Text(t) => {
                if state.collecting() {
                    state.push_text(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if state.collecting() {
                    state.push_text(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if state.collecting() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        state.push_char(c);
                    } else if let Some(c) = predefined_entity(&r.xml10_content()) {
                        state.push_char(c);
                    }
                }
            }
            Event::DocType(_) => {
                return Err(DocxError::Dtd { part: part.to_string() });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A truncated part can leave paragraphs open: keep their text.
    while !state.paras.is_empty() {
        state.end_paragraph();
    }
    Ok(state.blocks)
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Elements whose whole subtree holds no visible text.
fn skips_subtree(local: &str) -> bool {
    matches!(
        local,
        "del"
            | "moveFrom"
            | "delText"
            | "instrText"
            | "delInstrText"
            | "Fallback"
            | "sectPr"
            | "rPrChange"
            | "pPrChange"
            | "tblPrChange"
            | "trPrChange"
            | "tcPrChange"
            | "sectPrChange"
            | "numberingChange"
    )
}

impl BodyReader<'_> {
    fn collecting(&self) -> bool {
        self.in_text
            && self.skip_from.is_none()
            && !self.fields.iter().any(|&instr| instr)
            && !self.paras.last().is_some_and(|p| p.run_hidden)
    }

    fn push_text(&mut self, text: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(text);
        }
    }

    fn push_char(&mut self, c: char) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push(c);
        }
    }

    fn start(&mut self, e: &BytesStart<'_>) -> Result<(), DocxError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(DocxError::TooDeep { part: self.part.clone(), limit: self.max_depth });
        }
        if self.skip_from.is_some() {
            return Ok(());
        }
        let name = e.name();
        let local = e.local_name();
        let local = local.as_ref();
        if skips_subtree(local) {
            self.skip_from = Some(self.depth);
            return Ok(());
        }
        match local {
            "p" => self.paras.push(Para::default()),
            "pPr" => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_ppr = true;
                }
            }
            "r" => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_run = true;
                    p.run_hidden = false;
                }
            }
            "rPr" => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_rpr = true;
                }
            }
            // DrawingML `a:t` holds shape text that Word shows through
            // `w:txbxContent` instead; reading both would print it twice.
            "t" if name.prefix().is_none_or(|p| p.as_ref() != "a") => self.in_text = true,
            "tbl" => self.tables.push(Table::default()),
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Vec::new());
                }
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(String::new());
                    t.cell_continues_merge = false;
                }
            }
            _ => self.leaf(e),
        }
        Ok(())
    }

    /// Elements that matter whether written empty (`<w:tab/>`) or not.
    fn leaf(&mut self, e: &BytesStart<'_>) {
        let local = e.local_name();
        let in_run = self.paras.last().is_some_and(|p| p.in_run && !p.in_ppr);
        match local.as_ref() {
            "tab" if in_run && self.text_visible() => self.push_char('\t'),
            "br" | "cr" if self.text_visible() => self.push_char('\n'),
            "noBreakHyphen" if self.text_visible() => self.push_char('-'),
            "sym" if self.text_visible() => {
                if let Some(c) = attr(e, "char").and_then(|v| u32::from_str_radix(&v, 16).ok()).and_then(symbol_char) {
                    self.push_char(c);
                }
            }
            "fldChar" => match attr(e, "fldCharType").as_deref() {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(last) = self.fields.last_mut() {
                        *last = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            "pStyle" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_ppr) {
                    p.style_id = attr(e, "val");
                }
            }
            "outlineLvl" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_ppr && !p.in_rpr) {
                    p.outline_level = attr(e, "val").and_then(|v| v.parse().ok());
                }
            }
            "vanish" => {
                if let Some(p) = self.paras.last_mut().filter(|p| p.in_run && p.in_rpr && !p.in_ppr) {
                    p.run_hidden = !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off"));
                }
            }
            "vMerge" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell_continues_merge = !matches!(attr(e, "val").as_deref(), Some("restart"));
                }
            }
            _ => {}
        }
    }

    fn text_visible(&self) -> bool {
        self.skip_from.is_none()
            && !self.fields.iter().any(|&instr| instr)
            && !self.paras.last().is_some_and(|p| p.run_hidden)
    }

    fn end(&mut self, local: &str) {
        if let Some(from) = self.skip_from {
            if self.depth == from {
                self.skip_from = None;
            }
            self.depth = self.depth.saturating_sub(1);
            return;
        }
        self.depth = self.depth.saturating_sub(1);
        match local {
            "t" => self.in_text = false,
            "r" => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_run = false;
                    p.run_hidden = false;
                }
            }
            "pPr" => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_ppr = false;
                }
            }
            "rPr" => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_rpr = false;
                }
            }
            "p" => self.end_paragraph(),
            "tc" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(cell) = t.cell.take()
                {
                    let cell = cell.trim().to_string();
                    if !(t.cell_continues_merge && cell.is_empty())
                        && let Some(row) = t.row.as_mut()
                    {
                        row.push(cell);
                    }
                }
            }
            "tr" => {
                let Some(row) = self.tables.last_mut().and_then(|t| t.row.take()) else {
                    return;
                };
                let text = row.into_iter().filter(|c| !c.is_empty()).collect::<Vec<_>>().join("\t");
                if text.is_empty() {
                    return;
                }
                // A nested table's rows belong to the enclosing cell.
                let depth = self.tables.len();
                if depth >= 2
                    && let Some(cell) = self.tables[depth - 2].cell.as_mut()
                {
                    if !cell.is_empty() {
                        cell.push('\n');
                    }
                    cell.push_str(&text);
                    return;
                }
                self.blocks.push(Block {
                    text,
                    kind: BlockKind::TableRow,
                    style: None,
                    heading_level: None,
                    list_label: None,
                });
            }
            "tbl" => {
                self.tables.pop();
            }
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else {
            return;
        };
        // A top-level paragraph inside a table cell belongs to the cell.
        if self.paras.is_empty()
            && let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut())
        {
            let text = p.text.trim();
            if !text.is_empty() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(text);
            }
            return;
        }
        let heading_level = match p.outline_level {
            Some(level) if level < 9 => Some(level + 1),
            Some(_) => None,
            None => p.style_id.as_deref().and_then(|id| self.styles.heading_level(id)),
        };
        let style = p
            .style_id
            .as_deref()
            .map(|id| self.styles.get(id).and_then(|s| s.name.clone()).unwrap_or_else(|| id.to_string()));
        self.blocks.push(Block { text: p.text, kind: BlockKind::Paragraph, style, heading_level, list_label: None });
    }
}

/// The character of a `w:sym`. Symbol fonts store their glyphs at
/// U+F000 + code; codes in that private range that have no Unicode
/// equivalent are dropped rather than printed as private-use characters.
fn symbol_char(code: u32) -> Option<char> {
    let c = char::from_u32(code)?;
    if (0xF000..=0xF0FF).contains(&code) {
        let low = code - 0xF000;
        return match low {
            0x20..=0x7E => char::from_u32(low),
            _ => None,
        };
    }
    (!('\u{E000}'..='\u{F8FF}').contains(&c)).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Vec<Block> {
        let xml = format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        );
        read_blocks(&xml, "word/document.xml", &Styles::default(), &Limits::default()).unwrap()
    }

    fn texts(blocks: &[Block]) -> Vec<&str> {
        blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn runs_tabs_breaks_and_entities() {
        let b = read(
            r#"<w:p><w:r><w:t xml:space="preserve">一、 </w:t></w:r><w:r><w:tab/><w:t>A&amp;B</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>"#,
        );
        assert_eq!(texts(&b), ["一、 \tA&B\n第二行"]);
    }

    #[test]
    fn deleted_text_and_field_codes_are_dropped() {
        let b = read(
            r#"<w:p><w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>
               <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
               <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        );
        assert_eq!(texts(&b), ["新增3"]);
    }

    #[test]
    fn alternate_content_is_read_once() {
        let b = read(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></mc:Choice>
               <mc:Fallback><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>"#,
        );
        assert_eq!(texts(&b), ["文本框", "正文"]);
    }

    #[test]
    fn table_rows_become_tab_separated_blocks() {
        let b = read(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>年龄</w:t></w:r></w:p></w:tc></w:tr>
               <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>张三</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>30</w:t></w:r></w:p><w:p><w:r><w:t>岁</w:t></w:r></w:p></w:tc></w:tr>
               <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>31</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!(texts(&b), ["姓名\t年龄", "张三\t30 岁", "31"]);
        assert!(b.iter().all(|b| b.kind == BlockKind::TableRow));
    }

    #[test]
    fn hidden_runs_and_tab_stops_are_not_text() {
        let b = read(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:t>可见</w:t></w:r></w:p>"#,
        );
        assert_eq!(texts(&b), ["可见"]);
    }

    #[test]
    fn outline_level_makes_a_heading() {
        let b = read(r#"<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>第一章 总则</w:t></w:r></w:p>"#);
        assert_eq!(b[0].heading_level, Some(1));
    }

    #[test]
    fn a_dtd_is_refused() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><w:document><w:body><w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:body></w:document>"#;
        let err = read_blocks(xml, "word/document.xml", &Styles::default(), &Limits::default()).unwrap_err();
        assert!(matches!(err, DocxError::Dtd { .. }));
    }
}
