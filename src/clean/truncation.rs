//! Whether the preview stops before the document does.
//!
//! Explicit evidence (`还剩N页未读`, `本资源只提供10页预览`) is recorded by
//! [`super::SiteChrome`]; without it, a text that stops mid-sentence was
//! cut: documents end at a full stop, a question or exclamation mark, or a
//! closing quote or bracket after one.

use super::{Cleaner, Page};
use crate::text::is_terminal;

/// Marks the page truncated when its text stops mid-sentence.
pub struct Truncation;

impl Cleaner for Truncation {
    fn name(&self) -> &'static str {
        "truncation"
    }

    fn clean(&self, page: &mut Page) {
        if page.meta.truncated {
            return;
        }
        let Some(last) = page
            .lines
            .iter()
            .rev()
            .map(|l| l.text.trim())
            .find(|t| !t.is_empty())
        else {
            return;
        };
        let last_char = last.chars().last().expect("non-empty");
        // A short last line that is a signature, a date or a table cell is a
        // natural end; a long run of prose that stops without punctuation
        // was cut.
        let prose_cut = !is_terminal(last_char) && last.chars().count() > 30;
        let cut_after_comma = matches!(last_char, '，' | ',' | '、' | '；' | ';' | '：' | ':');
        if prose_cut || cut_after_comma {
            page.meta.truncated = true;
            page.meta.truncation_reason = Some("text stops mid-sentence".to_string());
        }
    }
}

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
        // The seed ends "…从根本上说就是".
        assert!(truncated(
            "贯彻新发展理念，构建新发展格局，实现高质量发展，从根本上说就是要加快形成新质生产力的重要基础和根本就是"
        ));
        assert!(truncated("第一，"));
        assert!(!truncated("这是他们的全部历史的基础。"));
        assert!(!truncated(
            "（《毛泽东选集》第五卷，人民出版社1977年4月第1版，第101-106页）"
        ));
        assert!(!truncated("二〇二四年三月五日"));
    }
}
