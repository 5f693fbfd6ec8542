//! Automatic numbering: `numbering.xml` read into list definitions, and
//! the counters that turn a numbered paragraph into its label (`一、`,
//! `（二）`, `1.1.3`, `第5条`).
//!
//! A paragraph names a list instance (`w:num`, by `numId`) and a level
//! (`ilvl`, 0–8), directly or through its style. The instance points to an
//! abstract definition (`w:abstractNum`) whose levels say how to count
//! (`start`, `lvlRestart`) and what to print (`numFmt`, `lvlText` with `%1`…
//! `%9` standing for the counters of levels 1–9, `isLgl`, `suff`). An
//! instance may override a level's start (`startOverride`) or the whole
//! level (`lvlOverride/lvl`).
//!
//! Counters are kept per abstract definition, not per instance: Word
//! continues a list across instances of the same definition, and a
//! `startOverride` restarts it at the first paragraph of the overriding
//! instance. LibreOffice relies on this when it writes a list that starts
//! at 5 (see `fixtures/docx/lists_restart.docx`).

use std::collections::{HashMap, HashSet};

use quick_xml::events::Event;

use super::DocxError;
use super::numfmt::{self, NumFmt};
use super::styles::{Styles, attr};
use crate::extract::Limits;

const LEVELS: usize = 9;

/// What follows a label before the paragraph text (`w:suff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Suffix {
    /// A tab (Word's default).
    #[default]
    Tab,
    /// A space.
    Space,
    /// Nothing.
    Nothing,
}

impl Suffix {
    /// The separator as text.
    pub fn as_str(self) -> &'static str {
        match self {
            Suffix::Tab => "\t",
            Suffix::Space => " ",
            Suffix::Nothing => "",
        }
    }
}

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    /// `w:start`; the specification makes an absent start 0.
    start: u32,
    fmt: NumFmt,
    /// `w:lvlText`; no label without it.
    text: Option<String>,
    /// `w:lvlRestart` (one-based level, 0 = never restart).
    restart: Option<u32>,
    /// `w:isLgl`: every counter in the label as a decimal number.
    legal: bool,
    suffix: Suffix,
    /// `w:pStyle`: the paragraph style linked to this level.
    pstyle: Option<String>,
    /// `w:rPr/w:vanish`: the label is hidden (the counter still counts).
    hidden: bool,
    /// A custom format was read (from `mc:Choice`); the `mc:Fallback`
    /// format must not replace it.
    custom_fmt: bool,
}

impl Default for Level {
    fn default() -> Self {
        Self {
            start: 0,
            fmt: NumFmt::Decimal,
            text: None,
            restart: None,
            legal: false,
            suffix: Suffix::Tab,
            pstyle: None,
            hidden: false,
            custom_fmt: false,
        }
    }
}

#[derive(Debug, Clone, Default)]
struct AbstractNum {
    levels: [Option<Level>; LEVELS],
    /// `w:numStyleLink`: the levels live in the list a numbering style
    /// points to.
    num_style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    start_overrides: [Option<u32>; LEVELS],
    level_overrides: [Option<Level>; LEVELS],
}

/// The list definitions of a document.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    abstracts: HashMap<String, AbstractNum>,
    nums: HashMap<String, Num>,
}

/// A rendered label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The label itself (`一、`).
    pub text: String,
    /// What separates it from the paragraph text.
    pub suffix: Suffix,
}

/// List counters of one story (the body, or one header, note …).
#[derive(Debug, Default)]
pub struct Counters {
    /// Counters per abstract definition id.
    lists: HashMap<String, [Option<u32>; LEVELS]>,
    /// `(numId, ilvl)` whose `startOverride` has been applied.
    overridden: HashSet<(String, u8)>,
}

/// Where a level's values are being read into.
enum Target {
    None,
    Abstract(String, usize),
    Override(String, usize),
}

impl Numbering {
    /// Parses `numbering.xml`.
    pub fn parse(xml: &[u8], part: &str, limits: &Limits) -> Result<Self, DocxError> {
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut numbering = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut override_level: Option<usize> = None;
        let mut target = Target::None;
        let mut level = Level::default();
        let mut depth = 0usize;
        let mut in_rpr = false;
        loop {
            let event = reader.read_event().map_err(|e| DocxError::malformed(part, &reader, e))?;
            let (e, is_start) = match &event {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    depth = depth.saturating_sub(1);
                    match e.local_name().as_ref() {
                        "lvl" => numbering.store_level(&mut target, std::mem::take(&mut level)),
                        "rPr" => in_rpr = false,
                        "lvlOverride" => override_level = None,
                        "abstractNum" => abstract_id = None,
                        "num" => num_id = None,
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if is_start {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(DocxError::TooDeep { part: part.to_string(), limit: limits.max_depth });
                }
            }
            let in_level = !matches!(target, Target::None);
            match e.local_name().as_ref() {
                "abstractNum" => {
                    let id = attr(e, "abstractNumId");
                    if let Some(id) = &id {
                        numbering.abstracts.insert(id.clone(), AbstractNum::default());
                    }
                    abstract_id = id.filter(|_| is_start);
                }
                "num" => {
                    let id = attr(e, "numId");
                    if let Some(id) = &id {
                        numbering.nums.insert(id.clone(), Num::default());
                    }
                    num_id = id.filter(|_| is_start);
                }
                "abstractNumId" => {
                    if let Some(num) = num_id.as_ref().and_then(|id| numbering.nums.get_mut(id)) {
                        num.abstract_id = attr(e, "val").unwrap_or_default();
                    }
                }
                "numStyleLink" => {
                    if let Some(a) = abstract_id.as_ref().and_then(|id| numbering.abstracts.get_mut(id)) {
                        a.num_style_link = attr(e, "val");
                    }
                }
                "lvlOverride" => override_level = ilvl_attr(e),
                "startOverride" => {
                    if let (Some(num), Some(l)) =
                        (num_id.as_ref().and_then(|id| numbering.nums.get_mut(id)), override_level)
                    {
                        num.start_overrides[l] = attr(e, "val").and_then(|v| v.parse().ok());
                    }
                }
                "lvl" => {
                    level = Level::default();
                    target = match (ilvl_attr(e), &num_id, &abstract_id, override_level) {
                        (Some(l), Some(num), _, Some(_)) => Target::Override(num.clone(), l),
                        (Some(l), None, Some(a), _) => Target::Abstract(a.clone(), l),
                        _ => Target::None,
                    };
                    if !is_start {
                        numbering.store_level(&mut target, std::mem::take(&mut level));
                    }
                }
                "rPr" if in_level && is_start => in_rpr = true,
                "vanish" if in_level && in_rpr => level.hidden = !is_off(attr(e, "val").as_deref()),
                _ if !in_level || in_rpr => {}
                "start" => level.start = attr(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0),
                "numFmt" => match attr(e, "val").as_deref() {
                    Some("custom") => {
                        if let Some(fmt) = attr(e, "format").as_deref().and_then(NumFmt::from_custom) {
                            level.fmt = fmt;
                            level.custom_fmt = true;
                        }
                    }
                    Some(name) if !level.custom_fmt => {
                        if let Some(fmt) = NumFmt::from_name(name) {
                            level.fmt = fmt;
                        }
                    }
                    _ => {}
                },
                "lvlText" => level.text = attr(e, "val"),
                "lvlRestart" => level.restart = attr(e, "val").and_then(|v| v.parse().ok()),
                "isLgl" => level.legal = !is_off(attr(e, "val").as_deref()),
                "suff" => {
                    level.suffix = match attr(e, "val").as_deref() {
                        Some("space") => Suffix::Space,
                        Some("nothing") => Suffix::Nothing,
                        _ => Suffix::Tab,
                    }
                }
                "pStyle" => level.pstyle = attr(e, "val"),
                _ => {}
            }
        }
        Ok(numbering)
    }

    fn store_level(&mut self, target: &mut Target, level: Level) {
        match std::mem::replace(target, Target::None) {
            Target::Abstract(id, l) => {
                if let Some(a) = self.abstracts.get_mut(&id) {
                    a.levels[l] = Some(level);
                }
            }
            Target::Override(id, l) => {
                if let Some(n) = self.nums.get_mut(&id) {
                    n.level_overrides[l] = Some(level);
                }
            }
            Target::None => {}
        }
    }

    /// The abstract definition behind instance `num_id`, following
    /// `numStyleLink` through numbering styles (a few steps at most, so a
    /// cycle cannot hang).
    fn resolve(&self, num_id: &str, styles: &Styles) -> Option<(&Num, &str, &AbstractNum)> {
        let num = self.nums.get(num_id)?;
        let mut abstract_id = num.abstract_id.as_str();
        for _ in 0..4 {
            let a = self.abstracts.get(abstract_id)?;
            let Some(link) = &a.num_style_link else {
                return Some((num, abstract_id, a));
            };
            let linked_num = styles.numbering_style_num(link).and_then(|id| self.nums.get(id))?;
            abstract_id = linked_num.abstract_id.as_str();
        }
        None
    }

    fn level<'a>(num: &'a Num, a: &'a AbstractNum, ilvl: usize) -> Option<&'a Level> {
        num.level_overrides[ilvl].as_ref().or(a.levels[ilvl].as_ref())
    }

    /// The level of list `num_id` linked to paragraph style `style_id`
    /// (`w:lvl/w:pStyle`): a heading style numbered through its style
    /// takes the level that names it.
    pub fn level_of_style(&self, num_id: &str, style_id: &str, styles: &Styles) -> Option<u8> {
        let (num, _, a) = self.resolve(num_id, styles)?;
        (0..LEVELS)
            .find(|&l| Self::level(num, a, l).and_then(|lv| lv.pstyle.as_deref()) == Some(style_id))
            .map(|l| l as u8)
    }

    /// Counts one paragraph of list `num_id` at level `ilvl` and renders
    /// its label. `None` when the list or level does not exist or shows no
    /// label (a `none` format with no literal text, a hidden label); the
    /// counter still counts then, as in Word.
    pub fn label(&self, counters: &mut Counters, num_id: &str, ilvl: u8, styles: &Styles) -> Option<Label> {
        let ilvl = usize::from(ilvl).min(LEVELS - 1);
        let (num, abstract_id, a) = self.resolve(num_id, styles)?;
        let level = Self::level(num, a, ilvl)?;
        if !counters.lists.contains_key(abstract_id) {
            counters.lists.insert(abstract_id.to_string(), [None; LEVELS]);
        }
        let values = counters.lists.get_mut(abstract_id)?;
        let value = match num.start_overrides[ilvl] {
            Some(start) if counters.overridden.insert((num_id.to_string(), ilvl as u8)) => start,
            _ => values[ilvl].map_or(level.start, |v| v.saturating_add(1)),
        };
        values[ilvl] = Some(value);
        // A level shown before its parents were used makes them used at
        // their start values: after 2 › 2.1.1 the next second-level item is
        // 2.2 (Word and LibreOffice agree).
        for (j, slot) in values.iter_mut().enumerate().take(ilvl) {
            if slot.is_none() {
                *slot = Self::level(num, a, j).map(|l| l.start);
            }
        }
        for (deeper, slot) in values.iter_mut().enumerate().skip(ilvl + 1) {
            let restart = Self::level(num, a, deeper).and_then(|l| l.restart);
            let resets = match restart {
                Some(0) => false,
                // The named level (one-based) or an earlier one was used.
                Some(r) if (r as usize) <= deeper => ilvl < r as usize,
                _ => true,
            };
            if resets {
                *slot = None;
            }
        }
        if level.hidden {
            return None;
        }
        let template = level.text.as_deref().filter(|t| !t.is_empty())?;
        if level.fmt == NumFmt::Bullet {
            return Some(Label { text: "•".to_string(), suffix: level.suffix });
        }
        let mut text = String::with_capacity(template.len() + 8);
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            let placeholder = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=9).contains(d));
            let (true, Some(d)) = (c == '%', placeholder) else {
                text.push(c);
                continue;
            };
            chars.next();
            let j = (d - 1) as usize;
            let other = Self::level(num, a, j);
            let n = values[j].or(other.map(|l| l.start)).unwrap_or(0);
            let fmt = match other.map_or(NumFmt::Decimal, |l| l.fmt) {
                // A bullet level named in a number template writes nothing.
                NumFmt::Bullet => continue,
                NumFmt::None => NumFmt::None,
                _ if level.legal => NumFmt::Decimal,
                fmt => fmt,
            };
            numfmt::push(&mut text, n, fmt);
        }
        (!text.trim().is_empty()).then_some(Label { text, suffix: level.suffix })
    }
}

fn ilvl_attr(e: &quick_xml::events::BytesStart<'_>) -> Option<usize> {
    attr(e, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|&l| l < LEVELS)
}

/// `w:val="0"`, `"false"`, `"off"` turn an on/off property off.
pub(crate) fn is_off(val: Option<&str>) -> bool {
    matches!(val, Some("0" | "false" | "off"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbering(body: &str) -> Numbering {
        let xml = format!(
            r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{body}</w:numbering>"#
        );
        Numbering::parse(xml.as_bytes(), "word/numbering.xml", &Limits::default()).unwrap()
    }

    fn labels(n: &Numbering, items: &[(&str, u8)]) -> Vec<String> {
        let mut counters = Counters::default();
        let styles = Styles::default();
        items
            .iter()
            .map(|&(num, l)| n.label(&mut counters, num, l, &styles).map(|l| l.text).unwrap_or_default())
            .collect()
    }

    const CHINESE: &str = r#"<w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%4)"/></w:lvl></w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#;

    #[test]
    fn chinese_levels_count_and_restart_below() {
        let n = numbering(CHINESE);
        let got =
            labels(&n, &[("1", 0), ("1", 1), ("1", 2), ("1", 3), ("1", 3), ("1", 2), ("1", 1), ("1", 0), ("1", 1)]);
        assert_eq!(got, ["一、", "（一）", "1.", "(1)", "(2)", "2.", "（二）", "二、", "（一）"]);
    }

    #[test]
    fn legal_multi_level_templates() {
        let n = numbering(
            r#"<w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2"/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/></w:lvl></w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        );
        let got = labels(&n, &[("1", 0), ("1", 1), ("1", 2), ("1", 2), ("1", 0), ("1", 1)]);
        assert_eq!(got, ["I.", "1.1", "I.1.1", "I.1.2", "II.", "2.1"]);
    }

    #[test]
    fn start_override_restarts_the_list_once() {
        let n = numbering(&format!(
            r#"{CHINESE}<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#
        ));
        let got = labels(&n, &[("1", 0), ("1", 0), ("2", 0), ("2", 0), ("1", 0)]);
        assert_eq!(got, ["一、", "二、", "一、", "二、", "三、"]);
    }

    #[test]
    fn level_override_replaces_the_level() {
        let n = numbering(&format!(
            r#"{CHINESE}<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:lvlOverride></w:num>"#
        ));
        assert_eq!(labels(&n, &[("3", 0), ("3", 0)]), ["C)", "D)"]);
    }

    #[test]
    fn lvl_restart_zero_keeps_counting_across_parents() {
        let n = numbering(
            r#"<w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="第%1章"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:lvlRestart w:val="0"/><w:numFmt w:val="decimal"/><w:lvlText w:val="第%2条"/></w:lvl></w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        );
        let got = labels(&n, &[("1", 0), ("1", 1), ("1", 1), ("1", 0), ("1", 1)]);
        assert_eq!(got, ["第1章", "第1条", "第2条", "第2章", "第3条"]);
    }

    #[test]
    fn bullets_none_hidden_and_custom_formats() {
        let n = numbering(
            r#"<w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="none"/><w:lvlText w:val="%2"/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:rPr><w:vanish/></w:rPr></w:lvl>
            <w:lvl w:ilvl="3"><w:start w:val="1"/>
              <mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>
              <w:lvlText w:val="%4"/></w:lvl></w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        );
        assert_eq!(labels(&n, &[("1", 0), ("1", 1), ("1", 2), ("1", 3)]), ["•", "", "", "001"]);
    }

    #[test]
    fn a_skipped_level_counts_as_used() {
        let n = numbering(
            r#"<w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:lvlText w:val="%1."/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:lvlText w:val="%1.%2."/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:lvlText w:val="%1.%2.%3."/></w:lvl></w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        );
        assert_eq!(labels(&n, &[("1", 0), ("1", 2), ("1", 1)]), ["1.", "1.1.1.", "1.2."]);
    }

    #[test]
    fn missing_lists_give_no_label() {
        let n = numbering(CHINESE);
        assert_eq!(labels(&n, &[("9", 0), ("1", 7)]), ["", ""]);
    }
}
