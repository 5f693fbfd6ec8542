//! Whether the preview stops before the document does.
//!
//! Explicit evidence (`还剩N页未读`, `本资源只提供10页预览`) is recorded by
//! [`super::SiteChrome`]; without it, a text that stops mid-sentence was
//! cut: documents end at a full stop, a question or exclamation mark, or a
//! closing quote or bracket after one.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::line_regex;

use super::{Cleaner, Meta, Page};
use crate::segment::Essay;
use crate::text::is_terminal;

/// Marks the page truncated when its text stops mid-sentence.
pub struct Truncation;

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    line_regex(
        r"^[0-9〇零一二三四五六七八九○]{4}\s*年\s*[0-9一二三四五六七八九十]{1,2}\s*月(?:\s*[0-9一二三四五六七八九十]{1,3}\s*日)?$",
    )
});

impl Cleaner for Truncation {
    fn name(&self) -> &'static str {
        "truncation"
    }

    fn clean(&self, page: &mut Page) {
        // A preview that ends in ` ...` was cut, and says so.
        if let Some(last) = page.lines.iter_mut().rev().find(|l| !l.text.trim().is_empty()) {
            let t = last.text.trim_end();
            for tail in [" ...", " …", " ……", "..."] {
                if t.ends_with(tail) && t.len() > tail.len() && (tail != "..." || t.ends_with(" ...")) {
                    let keep = t.len() - tail.len();
                    last.text.truncate(keep);
                    page.meta.truncated = true;
                    page.meta.truncation_reason.get_or_insert_with(|| "preview ends with an ellipsis".into());
                    break;
                }
            }
        }
        if page.meta.truncated {
            return;
        }
        let Some(last) = page.lines.iter().rev().map(|l| l.text.trim()).find(|t| !t.is_empty()) else {
            return;
        };
        let mut tail = last.chars().rev();
        let last_char = tail.next().expect("non-empty");
        // An ASCII period ends Latin sentences; after Chinese it is a page
        // leader or a cut (`安防报警功 能.`).
        let ascii_stop_after_han =
            last_char == '.' && tail.find(|c| !c.is_whitespace()).is_some_and(crate::text::is_han);
        // Documents end at a full stop, a question or exclamation mark, a
        // closing quote or bracket, or a date line; anything else was cut.
        if (!is_terminal(last_char) || ascii_stop_after_han) && !DATE_LINE.is_match(last) {
            page.meta.truncated = true;
            page.meta.truncation_reason = Some("text stops mid-sentence".to_string());
        }
    }
}

impl Truncation {
    /// Evidence only segmentation can give: a collection showing fewer
    /// essays than its title declares, or far less text than its declared
    /// page count holds, is a preview of a longer document.
    pub fn after_segmentation(meta: &mut Meta, essays: &[Essay], text: &str) {
        if meta.truncated {
            return;
        }
        if meta.declared_essays.is_some_and(|d| d as usize > essays.len()) {
            meta.truncated = true;
            meta.truncation_reason = Some("fewer essays than the title declares".into());
            return;
        }
        if let Some(pages) = meta.declared_pages.filter(|&p| p >= 3) {
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            if chars < pages as usize * MIN_CHARS_PER_PAGE {
                meta.truncated = true;
                meta.truncation_reason = Some("far less text than the declared pages hold".into());
            }
        }
    }
}

/// A page of a Chinese document holds 500–1000 characters; a preview that
/// shows less than this per declared page is incomplete.
const MIN_CHARS_PER_PAGE: usize = 250;

#[cfg(test)]
mod tests {
    use super::*;

    fn truncated(text: &str) -> bool {
        let mut page = Page::from_text(text);
        Truncation.clean(&mut page);
        page.meta.truncated
    }

    #[test]
    fn mid_sentence_ends_are_cut() {
        // The seed ends "…从根本上说就是"; dumps/19 ends with the fragment "绩效".
        assert!(truncated("贯彻新发展理念，构建新发展格局，实现高质量发展，从根本上说就是"));
        assert!(truncated("6. 处理率每±____%,影响考核____分。\n绩效"));
        assert!(truncated("第一，"));
        assert!(truncated("一年复始。十年的锲 ..."));
        assert!(!truncated("这是他们的全部历史的基础。"));
        assert!(!truncated("（《毛泽东选集》第五卷，人民出版社1977年4月第1版，第101-106页）"));
        assert!(!truncated("此复。\n二〇二四年三月五日"));
    }

    #[test]
    fn collections_and_page_counts() {
        let mut meta = Meta { declared_essays: Some(8), ..Meta::default() };
        Truncation::after_segmentation(&mut meta, &[], "正文。");
        assert!(meta.truncated);
        let mut meta = Meta { declared_pages: Some(10), ..Meta::default() };
        Truncation::after_segmentation(&mut meta, &[], "短短一段话。");
        assert!(meta.truncated);
    }
}
