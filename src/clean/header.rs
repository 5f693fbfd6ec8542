//! The site's header sentence:
//! `《T》由会员分享,可在线阅读,更多相关《T(N页珍藏版)》请在S上搜索。`
//! and its variants (full-width or ASCII punctuation, `(本资源由会员分享…
//! 典藏版)`, titles that hold `《》` themselves, the sentence glued to the
//! text that follows it). Its title, file name, page count and site go to
//! [`super::Meta`]; the sentence itself is removed.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::line_regex;

use super::{Cleaner, Page, canonical_site};

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    line_regex(concat!(
        r"(?:《(?P<t1>[^\n]+?)》|[（(]?\s*本资源)\s*由会员分享[^《\n]*?更多相关\s*(?:内容)?\s*",
        r"(?:《(?P<t2>[^\n]+?)(?:\s*[（(]\s*(?P<pages>\d{1,5})\s*页[^)）》\n]{0,8}[)）])?\s*》)?",
        r"\s*请在\s*(?P<site>[^\n]+?)\s*上搜索\s*[。.]?",
    ))
});

/// File extensions a site shows after a document title.
const EXTENSIONS: &[&str] =
    &[".docx", ".doc", ".pdf", ".pptx", ".ppt", ".xlsx", ".xls", ".txt", ".wps", ".rtf", ".dotx", ".et", ".dps"];

/// Splits `T.docx` into (`T`, Some(`T.docx`)); a name without a known
/// extension gives (`name`, None).
pub fn split_extension(name: &str) -> (String, Option<String>) {
    let name = name.trim();
    let lower = name.to_lowercase();
    for ext in EXTENSIONS {
        if lower.ends_with(ext) && name.len() > ext.len() {
            return (name[..name.len() - ext.len()].trim().to_string(), Some(name.to_string()));
        }
    }
    (name.to_string(), None)
}

/// Removes the header sentence and keeps what it says.
pub struct SiteHeader;

impl Cleaner for SiteHeader {
    fn name(&self) -> &'static str {
        "site-header"
    }

    fn clean(&self, page: &mut Page) {
        for i in 0..page.lines.len() {
            let text = &page.lines[i].text;
            if !text.contains("由会员分享") {
                continue;
            }
            let Some(caps) = HEADER.captures(text) else {
                continue;
            };
            let whole = caps.get(0).expect("match");
            let raw_title = caps.name("t2").or_else(|| caps.name("t1")).map(|m| m.as_str().trim().to_string());
            if let Some(raw) = raw_title.filter(|t| !t.is_empty()) {
                let (title, file_name) = split_extension(&raw);
                page.meta.title = Some(title);
                page.meta.file_name = file_name;
            }
            if let Some(pages) = caps.name("pages").and_then(|m| m.as_str().parse().ok()) {
                page.meta.declared_pages = Some(pages);
            }
            if let Some(site) = caps.name("site").and_then(|m| canonical_site(m.as_str())) {
                page.meta.site = Some(site);
            }
            let removed = whole.as_str().chars().count();
            let mut rest = String::with_capacity(text.len() - whole.len());
            rest.push_str(&text[..whole.start()]);
            rest.push_str(&text[whole.end()..]);
            page.lines[i].text = rest;
            page.removed(removed);
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Page {
        let mut page = Page::from_text(text);
        SiteHeader.clean(&mut page);
        page
    }

    #[test]
    fn seed_header() {
        let p = run(
            "《“新质生产力”研讨交流材料及心得感悟8篇.docx》由会员分享,可在线阅读,更多相关《“新质生产力”研讨交流材料及心得感悟8篇.docx(19页珍藏版)》请在课桌文档上搜索。\n1、正文",
        );
        assert_eq!(p.meta.title.as_deref(), Some("“新质生产力”研讨交流材料及心得感悟8篇"));
        assert_eq!(p.meta.file_name.as_deref(), Some("“新质生产力”研讨交流材料及心得感悟8篇.docx"));
        assert_eq!(p.meta.site.as_deref(), Some("课桌文档"));
        assert_eq!(p.meta.declared_pages, Some(19));
        assert_eq!(p.text(), "1、正文");
    }

    #[test]
    fn renrendoc_variant_without_extension() {
        // sim/05: 人人文库's `(本资源…典藏版) 》` form, full-width punctuation.
        let p = run(
            "(本资源由会员分享，可在线阅读，更多相关《“老三篇”原文：为人民服务、纪念白求恩、愚公移山（7页典藏版) 》请在人人文库网上搜索。",
        );
        assert_eq!(p.meta.title.as_deref(), Some("“老三篇”原文：为人民服务、纪念白求恩、愚公移山"));
        assert_eq!(p.meta.file_name, None);
        assert_eq!(p.meta.site.as_deref(), Some("人人文库"));
        assert_eq!(p.meta.declared_pages, Some(7));
        assert_eq!(p.text(), "");
    }

    #[test]
    fn title_holding_book_brackets() {
        // sim/10.
        let p = run(
            "《《智能商业》读书笔记.docx》由会员分享，可在线阅读，更多相关《《智能商业》读书笔记.docx（3页珍藏版）》请在冰豆网上搜索。",
        );
        assert_eq!(p.meta.title.as_deref(), Some("《智能商业》读书笔记"));
        assert_eq!(p.meta.site.as_deref(), Some("冰豆网"));
    }

    #[test]
    fn slogan_after_the_site_name() {
        // dumps/01.
        let p = run(
            "《企业员工的培训与开发.doc》由会员分享,可在线阅读,更多相关《企业员工的培训与开发.doc(10页珍藏版)》请在淘文阁 - 分享文档赚钱的网站上搜索。",
        );
        assert_eq!(p.meta.site.as_deref(), Some("淘文阁"));
        assert_eq!(p.meta.file_name.as_deref(), Some("企业员工的培训与开发.doc"));
    }

    #[test]
    fn header_glued_to_text_keeps_the_text() {
        let p = run("前言《T.docx》由会员分享,可在线阅读,更多相关《T.docx(2页珍藏版)》请在课桌文档上搜索。正文开始");
        assert_eq!(p.text(), "前言正文开始");
        assert!(p.stats.boilerplate_chars > 40);
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        let p = run("本文由会员分享的经验整理而成。");
        assert_eq!(p.text(), "本文由会员分享的经验整理而成。");
        assert_eq!(p.meta.title, None);
    }
}
