//! The document's title, and the title lines a page repeats before the
//! body.
//!
//! When no header sentence named the document, the title comes from the
//! head of the page: a line with the collection count (`…(精选8篇)`), a
//! line the page repeats, or a file-name line (`T.docx`). Lines before the
//! title in the head of the page are page furniture (a related-search
//! title, a category), and repeats of the title collapse into one title
//! line, which segmentation reads as the collection title or as a single
//! document's own title. The declared essay count is read from the title.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::line_regex;

use super::header::split_extension;
use super::{Cleaner, Page};
use crate::text::{compare_key, is_han, parse_numeral};

static FILE_NAME_LINE: LazyLock<Regex> =
    LazyLock::new(|| line_regex(r"(?i)^(.+?)\.(?:docx|doc|pdf|pptx|ppt|xlsx|xls|txt|wps)$"));

/// `8篇`, `(通用10篇)`, `(二篇)`, `精选3篇`, `老三篇` — not `第三篇`.
static ESSAY_COUNT: LazyLock<Regex> =
    LazyLock::new(|| line_regex(r"(?:^|[^第])(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})篇"));

/// Lines of the head of the page considered for the title.
const HEAD_LINES: usize = 12;
/// Longest title line.
const MAX_TITLE: usize = 80;
/// How many head lines later a repeat of the title may come.
const REPEAT_WITHIN: usize = 3;

/// The essay count a title declares.
pub fn declared_essays(title: &str) -> Option<u32> {
    ESSAY_COUNT.captures_iter(title).filter_map(|c| parse_numeral(&c["n"])).filter(|&n| (2..=200).contains(&n)).last()
}

/// Finds the document title and collapses repeated title lines.
pub struct DocumentTitle;

impl Cleaner for DocumentTitle {
    fn name(&self) -> &'static str {
        "document-title"
    }

    fn clean(&self, page: &mut Page) {
        drop_file_name_lines(page);
        let head: Vec<usize> = page
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.text.trim().is_empty())
            .map(|(i, _)| i)
            .take(HEAD_LINES)
            .collect();
        // The head stops at the first long line: that is the body.
        let head: Vec<usize> = head
            .into_iter()
            .take_while(|&i| page.lines[i].text.trim().chars().take(MAX_TITLE + 1).count() <= MAX_TITLE)
            .collect();
        // Each head line's key, made once: the searches below compare
        // every line with several others.
        let keys: Vec<String> = head.iter().map(|&i| compare_key(page.lines[i].text.trim())).collect();
        if let Some(n) = pick_title_line(page, &head, &keys) {
            let t = head[n];
            let title = page.lines[t].text.trim().to_string();
            if page.meta.title.is_none() {
                page.meta.title = Some(without_first_marker(&title).to_string());
            }
            // Everything in the head before the title line is furniture, and
            // later copies of the title line are repeats.
            let key = &keys[n];
            let copies: Vec<usize> = head.iter().zip(&keys).filter(|(_, k)| *k == key).map(|(&i, _)| i).collect();
            let first_copy = copies.first().copied().unwrap_or(t);
            let last_copy = copies.last().copied().unwrap_or(t);
            page.drop_lines(|i, _| head.contains(&i) && i != last_copy && (i < first_copy || copies.contains(&i)));
        }
        drop_glued_repeat(page);
        if page.meta.declared_essays.is_none() {
            page.meta.declared_essays = page.meta.title.as_deref().and_then(declared_essays);
        }
    }
}

/// A collection title with the first essay's marker glued after it
/// (`演講比賽領導開場致辭(匯總16篇)篇一`), without the marker.
fn without_first_marker(title: &str) -> &str {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| {
        line_regex(
            r"(?:[【\[]?篇(?:\d{1,3}|[一二三四五六七八九十]{1,3})[】\]]?|第(?:\d{1,3}|[一二三四五六七八九十]{1,3})篇)\s*[:：]?$",
        )
    });
    match MARKER.find(title) {
        Some(m) if declared_essays(&title[..m.start()]).is_some() => title[..m.start()].trim_end(),
        _ => title,
    }
}

/// `T.docx` lines in the head of the page repeat the file name.
fn drop_file_name_lines(page: &mut Page) {
    let mut seen = 0;
    let mut found: Option<(String, String)> = None;
    let mut drop = Vec::new();
    for (i, line) in page.lines.iter().enumerate() {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        seen += 1;
        if seen > HEAD_LINES * 2 {
            break;
        }
        if let Some(c) = ends_with_extension(t).then(|| FILE_NAME_LINE.captures(t)).flatten() {
            let (title, file) = split_extension(t);
            if !c[1].contains('。') {
                found.get_or_insert((title, file.unwrap_or_default()));
                drop.push(i);
            }
        }
    }
    if let Some((title, file)) = found {
        page.meta.title.get_or_insert(title);
        if page.meta.file_name.is_none() && !file.is_empty() {
            page.meta.file_name = Some(file);
        }
    }
    page.drop_lines(|i, _| drop.contains(&i));
}

/// Whether `line` ends with one of [`FILE_NAME_LINE`]'s extensions: a
/// test of its last bytes, where the pattern reads the whole line, and a
/// dump that lost its line breaks is one line.
fn ends_with_extension(line: &str) -> bool {
    let tail = &line.as_bytes()[line.len().saturating_sub(5)..];
    memchr::memrchr(b'.', tail).is_some_and(|dot| {
        let ext = tail[dot + 1..].to_ascii_lowercase();
        matches!(&ext[..], b"docx" | b"doc" | b"pdf" | b"pptx" | b"ppt" | b"xlsx" | b"xls" | b"txt" | b"wps")
    })
}

/// The place in the head of the line that is the document's title, if
/// any: the title already known, else a line with an essay count, else a
/// repeated line. `keys` are the head lines' [`compare_key`]s.
fn pick_title_line(page: &Page, head: &[usize], keys: &[String]) -> Option<usize> {
    let text = |i: usize| page.lines[i].text.trim();
    if let Some(title) = &page.meta.title {
        let key = compare_key(title);
        if let Some(n) = keys.iter().position(|k| *k == key) {
            return Some(n);
        }
    }
    // A line that declares a collection.
    if let Some(n) = head.iter().rposition(|&i| declared_essays(text(i)).is_some() && !text(i).contains('。')) {
        return Some(n);
    }
    // A line the page shows twice, close together: sites repeat a Chinese
    // title above the body. A repeated line of an ordinary document (a
    // table row, a refrain) is not a title, and lines before it are not
    // furniture.
    keys.iter().enumerate().position(|(n, key)| {
        let looks_like_title = key.chars().count() >= 4 && key.chars().filter(|&c| is_han(c)).count() >= 2;
        looks_like_title && keys[n + 1..].iter().take(REPEAT_WITHIN).any(|k| k == key)
    })
}

/// A title glued to its own repeat at the start of the text
/// (`浅谈企业员工的培训与开发浅谈企业员工的培训与开发摘要…`), or the known
/// title followed by another title (`T 封面标题 …`): the first copy goes.
fn drop_glued_repeat(page: &mut Page) {
    let Some(i) = page.first_content_line() else {
        return;
    };
    let text = page.lines[i].text.trim_start();
    // Only the first 2 x 60 characters can hold a glued repeat: in a
    // flattened dump the line is the whole text.
    let chars: Vec<(usize, char)> = text.char_indices().take(2 * 60 + 1).collect();
    let repeat = (4..=60.min(chars.len() / 2)).rev().find_map(|len| {
        let split = chars[len].0;
        let end = chars.get(2 * len).map_or(text.len(), |c| c.0);
        (text[..split] == text[split..end]).then_some((split, len))
    });
    if let Some((split, len)) = repeat {
        page.lines[i].text = text[split..].to_string();
        page.removed(len);
        return;
    }
    // The known title, then a space, then more heading-like text.
    let after_title = page.meta.title.as_deref().and_then(|title| {
        let rest = text.strip_prefix(title)?;
        (rest.starts_with(' ') && !rest.trim_start().is_empty())
            .then(|| (rest.trim_start().to_string(), title.chars().count()))
    });
    if let Some((rest, removed)) = after_title {
        page.lines[i].text = rest;
        page.removed(removed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Page {
        let mut page = Page::from_text(text);
        DocumentTitle.clean(&mut page);
        page
    }

    #[test]
    fn essay_counts() {
        assert_eq!(declared_essays("“新质生产力”研讨交流材料及心得感悟8篇"), Some(8));
        assert_eq!(declared_essays("学校综合实践活动方案(精选8篇)"), Some(8));
        assert_eq!(declared_essays("福建培训心得体会(二篇)"), Some(2));
        assert_eq!(declared_essays("“老三篇”原文"), Some(3));
        assert_eq!(declared_essays("论第三篇文章"), None);
        assert_eq!(declared_essays("工作总结"), None);
    }

    #[test]
    fn related_title_and_repeats_before_the_collection_title() {
        // dumps/19.
        let p = run(
            "绩效考核项目计划书\n合集下载\n2024年责任书范例(二篇)\n2024年责任书范例(二篇)\n2024年责任书范例为强化市场审计功能,增强市场研究力度,确保公司物资的有效监管,发挥信息效用,充分调动职能部室的职能",
        );
        assert_eq!(p.meta.title.as_deref(), Some("2024年责任书范例(二篇)"));
        assert_eq!(p.meta.declared_essays, Some(2));
        assert!(p.text().starts_with("2024年责任书范例(二篇)\n2024年责任书范例为"));
    }

    #[test]
    fn file_name_lines_and_repeated_title_lines() {
        // dumps/03 after its chrome is gone.
        let p = run("物业管理质量手册.docx\n物业管理质量手册.docx\n物业管理质量手册\n物业管理质量手册\n目 录");
        assert_eq!(p.meta.title.as_deref(), Some("物业管理质量手册"));
        assert_eq!(p.meta.file_name.as_deref(), Some("物业管理质量手册.docx"));
        assert_eq!(p.text(), "物业管理质量手册\n目 录");
    }

    #[test]
    fn repeated_lines_of_ordinary_documents_stay() {
        // pandoc's table_header_rowspan.docx and headers.docx: a table row
        // and a refrain are not titles, and what comes before them stays.
        let table = "A B C D\n1 2 3 4\n1 2 3 4\n1 2 3 4";
        assert_eq!(run(table).text(), table);
        let refrain = "A Test of Headers\nSecond Level\nSome plain text.\nThird level\nSome plain text.";
        assert_eq!(run(refrain).text(), refrain);
        // A Chinese line repeated far apart is body text too.
        let far = "会议纪要\n一、开会\n二、讨论\n三、表决\n会议纪要";
        assert_eq!(run(far).text(), far);
    }

    #[test]
    fn marker_glued_to_the_collection_title() {
        // dumps/30.
        let p = run("演講比賽領導開場致辭(匯總16篇)篇一\n尊敬的各位評委:\n大家下午好!");
        assert_eq!(p.meta.title.as_deref(), Some("演講比賽領導開場致辭(匯總16篇)"));
        assert_eq!(p.meta.declared_essays, Some(16));
        assert!(p.text().starts_with("演講比賽領導開場致辭(匯總16篇)篇一\n"), "the marker stays for segmentation");
        assert_eq!(without_first_marker("孟子篇一"), "孟子篇一");
    }

    #[test]
    fn glued_repeat() {
        // dumps/01.
        let p = run("浅谈企业员工的培训与开发浅谈企业员工的培训与开发摘要企业管理者");
        assert_eq!(p.text(), "浅谈企业员工的培训与开发摘要企业管理者");
    }
}
