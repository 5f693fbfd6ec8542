//! The LibreOffice-made fixtures of `fixtures/docx/` (written by
//! `make_docx_fixtures.py`): exact labels, the same lines as LibreOffice's
//! own text export of each file (`<name>.libreoffice.expected`), and the
//! sections segmentation makes of them.

use wenku::convert::{Options, PunctPolicy, convert_bytes};
use wenku::extract::Block;

use super::util::{blocks, fixture};

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The (label, text) of every non-empty block.
fn labelled(blocks: &[Block]) -> Vec<(Option<&str>, &str)> {
    blocks.iter().filter(|b| !b.text.is_empty()).map(|b| (b.list_label.as_deref(), b.text.as_str())).collect()
}

#[test]
fn chinese_outline_labels_are_exact() {
    let b = blocks(&read_fixture("cn_outline.docx"));
    assert_eq!(
        labelled(&b),
        [
            (Some("第一章"), "第一章 总则"),
            (Some("一、"), "一、总体要求"),
            (Some("（一）"), "（一）目的"),
            (Some("1."), "1. 为了规范公司管理，制定本制度。"),
            (Some("2."), "2. 适用范围"),
            (Some("(1)"), "(1)本部门"),
            (Some("(2)"), "(2)下属单位"),
            (Some("（二）"), "（二）原则"),
            (None, "本制度的正文段落，不属于任何列表。"),
            (Some("二、"), "二、组织机构"),
            (Some("（一）"), "（一）领导小组"),
            (Some("1."), "1. 组长"),
            (Some("2."), "2. 副组长"),
            (Some("第二章"), "第二章 职责"),
            (Some("三、"), "三、部门职责"),
            (Some("（一）"), "（一）制定计划"),
        ]
    );
}

#[test]
fn numbering_through_a_heading_style_keeps_the_heading_level() {
    let b = blocks(&read_fixture("cn_outline.docx"));
    let chapter = b.iter().find(|b| b.text == "第二章 职责").expect("chapter heading");
    assert_eq!(chapter.heading_level, Some(1));
    assert_eq!(chapter.style.as_deref(), Some("Heading 1"));
    let item = b.iter().find(|b| b.text == "三、部门职责").expect("list item");
    assert_eq!(item.heading_level, None);
}

#[test]
fn interrupted_lists_continue_and_new_lists_restart() {
    let b = blocks(&read_fixture("lists_restart.docx"));
    let labels: Vec<&str> = b.iter().filter_map(|b| b.list_label.as_deref()).collect();
    assert_eq!(labels, ["1.", "2.", "3.", "4.", "5.", "1.", "2.", "5.", "6.", "一、", "二、", "三、"]);
    let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
    assert!(texts.contains(&"4. 丁项"), "{texts:?}");
    assert!(texts.contains(&"6. 第六项"), "{texts:?}");
    assert!(texts.contains(&"三、生活"), "{texts:?}");
}

#[test]
fn legal_numbering_renders_every_level() {
    let b = blocks(&read_fixture("legal.docx"));
    assert_eq!(
        labelled(&b),
        [
            (Some("1."), "1. 范围"),
            (Some("1.1"), "1.1 概述"),
            (Some("1.1.1"), "1.1.1 目的"),
            (Some("1.1.2"), "1.1.2 依据"),
            (Some("1.2"), "1.2 定义"),
            (Some("2."), "2. 要求"),
            (Some("2.1"), "2.1 一般要求"),
            (Some("2.1.1"), "2.1.1 安全"),
            (None, "条款："),
            (Some("第1条"), "第1条 为了加强管理，制定本办法。"),
            (Some("第2条"), "第2条 本办法适用于全体员工。"),
        ]
    );
}

#[test]
fn libreoffice_cjk_formats_render_as_libreoffice_shows_them() {
    let b = blocks(&read_fixture("cn_formats.docx"));
    let labels: Vec<&str> = b.iter().filter_map(|b| b.list_label.as_deref()).collect();
    assert_eq!(
        labels,
        [
            "十一、",
            "十二、", // taiwaneseCountingThousand
            "壹拾壹、",
            "壹拾贰、", // chineseLegalSimplified
            "11、",
            "12、", // ideographTraditional: 甲…癸, then decimal
            "戌、",
            "亥、", // ideographZodiac
            "壹拾壹、",
            "壹拾貳、", // ideographLegalTraditional
            "⑪、",
            "⑫、", // decimalEnclosedCircle
        ]
    );
}

/// Every fixture reads as the lines LibreOffice itself exports for it,
/// labels included (white space aside: LibreOffice indents list items and
/// puts a space after every label).
#[test]
fn every_fixture_reads_as_libreoffice_exports_it() {
    for name in ["cn_outline", "lists_restart", "legal", "cn_formats"] {
        let expected = std::fs::read_to_string(fixture(&format!("{name}.libreoffice.expected"))).expect("expected");
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '\u{FEFF}').collect::<String>();
        let want: Vec<String> = expected.lines().map(squeeze).filter(|l| !l.is_empty()).collect();
        let got: Vec<String> = blocks(&read_fixture(&format!("{name}.docx")))
            .iter()
            .map(|b| squeeze(&b.text))
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

/// (level, label, heading) of each section of the single essay of a
/// fixture.
fn sections(name: &str) -> Vec<(u8, String, String)> {
    let opts = Options { punct: PunctPolicy::Keep, ..Options::default() };
    let doc = convert_bytes(&read_fixture(name), &opts).expect("convert");
    doc.essays.iter().flat_map(|e| e.sections.iter()).map(|s| (s.level, s.label.clone(), s.heading.clone())).collect()
}

fn levels(sections: &[(u8, String, String)]) -> Vec<(u8, &str)> {
    sections.iter().map(|(l, label, _)| (*l, label.as_str())).collect()
}

#[test]
fn auto_numbered_chinese_lists_become_nested_sections() {
    // 第一章 › 一、 › （一） › 1. › (1), as LibreOffice numbers them; the
    // 一、 list runs on across the chapters (二、 … 第二章 … 三、).
    let s = sections("cn_outline.docx");
    assert_eq!(
        levels(&s),
        [
            (1, "第一章"),
            (2, "一、"),
            (3, "（一）"),
            (4, "1."),
            (4, "2."),
            (5, "(1)"),
            (5, "(2)"),
            (3, "（二）"),
            (2, "二、"),
            (3, "（一）"),
            (4, "1."),
            (4, "2."),
            (1, "第二章"),
            (2, "三、"),
            (3, "（一）"),
        ]
    );
}

/// A legal list (1. › 1.1 › 1.1.1) nests by its parts; a document that
/// opens with `1. 范围` has no title line.
#[test]
fn auto_numbered_legal_lists_become_nested_sections() {
    let s = sections("legal.docx");
    assert_eq!(
        levels(&s),
        [(1, "1."), (2, "1.1"), (3, "1.1.1"), (3, "1.1.2"), (2, "1.2"), (1, "2."), (2, "2.1"), (3, "2.1.1")]
    );
}

/// Interrupted, restarted and start-at-5 lists are all sections; the
/// Chinese list after them ranks above `1.` and does not nest in it.
#[test]
fn restarted_and_continued_lists_become_sections() {
    let s = sections("lists_restart.docx");
    let labels: Vec<&str> = s.iter().map(|(_, l, _)| l.as_str()).collect();
    assert_eq!(labels, ["1.", "2.", "3.", "4.", "5.", "1.", "2.", "5.", "6.", "一、", "二、", "三、"]);
    assert!(s.iter().filter(|(_, l, _)| l.ends_with('、')).all(|(level, _, _)| *level == 1), "{s:?}");
}
