//! Editors' introductions of 范文 sites: `以下是小编为大家收集的…，供大家参考。`,
//! `下面我给大家整理了一些…，希望能够帮助到大家。`, `【导语】…希望大家能够喜欢。`
//! and the nested "就爱阅读网友为您分享…感谢您的支持" of mirror sites.
//!
//! An introduction is a paragraph of its own; when a line is short enough
//! to be one paragraph the whole line goes, otherwise only the sentence that
//! holds it. When no header named the document, the introduction often
//! does (`…整理的2022年〔元旦〕佳节演讲稿模板`), and sometimes the site
//! (`以下是范文社小编…`).

use std::sync::LazyLock;

use regex::Regex;

use crate::text::line_regex;

use super::pinyin::Keyed;
use super::{Cleaner, Page};

/// Who speaks: the site's editor.
static WHO: LazyLock<Regex> = LazyLock::new(|| {
    line_regex(concat!(
        r"小[编編]|(?:我|本站|笔者|筆者)(?:为|為|给|給)(?:大家|您)|(?:为|為|给|給)大家(?:收集|整理|精心整理|准备|準備|推荐|推薦|带来|帶來|分享|搜集)",
        r"|【[导導]语】|【[导導]語】|^[导導][读讀][:：]"
    ))
});

/// What for: "for your reference", "hope it helps", "welcome to read".
static PURPOSE: LazyLock<Regex> = LazyLock::new(|| {
    line_regex(concat!(
        r"[供僅仅][^。！!]{0,6}[参參]考|借[鉴鑒]|希望[^。]{0,12}(?:帮助|幫助|喜[欢歡]|有所[启啟]发|收[获穫])|[欢歡]迎[阅閱][读讀]|[查査]看[!！。]?",
        r"|感谢[^。]{0,10}支持|感謝[^。]{0,10}支持"
    ))
});

/// The nested boilerplate of mirror sites: `导读:就爱阅读网友为您分享以下
/// “T…”资讯,希望对您有所帮助,感谢您对…的支持!`
static SHARED_BY: LazyLock<Regex> =
    LazyLock::new(|| line_regex(r"[导導][读讀][:：]\s*.*?[网網]友[为為]您分享以下.*?感[谢謝]您[对對].*?的支持[!！]?"));

/// Words every match of [`SHARED_BY`] holds.
static SHARED_FINDER: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("您分享以下".as_bytes()));

/// What the editor says the page collects: `…整理的<T>，供大家参考`.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    line_regex(
        r"(?:收集|整理|推荐|推薦|准备|準備|带来|帶來|搜集)(?:了一些|的)(?P<title>[^,，。!！]+?)(?:[,，。!！]|供大家|更多|希望)",
    )
});
static SITE_EDITOR: LazyLock<Regex> =
    LazyLock::new(|| line_regex(r"(?:以下|下面)(?:就)?是(?P<site>[^\s,，。的]{2,8}?)小[编編]"));

/// Longest line removed as a whole paragraph.
const MAX_INTRO_LINE: usize = 400;

/// Removes editors' introductions.
pub struct EditorIntro;

impl Cleaner for EditorIntro {
    fn name(&self) -> &'static str {
        "editor-intro"
    }

    fn clean(&self, page: &mut Page) {
        let mut removed = 0;
        let mut named: Option<String> = None;
        let mut site: Option<String> = None;
        for line in &mut page.lines {
            let keyed = Keyed::new(&line.text);
            // Its literal middle first: a plain search is cheaper than the
            // pattern's own, which looks for the four spellings of `导读：`.
            if let Some(m) = SHARED_FINDER.find(keyed.key.as_bytes()).and_then(|_| SHARED_BY.find(&keyed.key)) {
                let (s, e) = keyed.original(m.start(), m.end());
                removed += line.text[s..e].chars().count();
                // It stood between a title and the text: keep them apart.
                line.text.replace_range(s..e, "\n");
                continue;
            }
            let key = &keyed.key;
            let Some(who) = WHO.find(key) else {
                continue;
            };
            if !PURPOSE.is_match(key) {
                continue;
            }
            if named.is_none() {
                named =
                    NAMED.captures(key).and_then(|c| c.name("title")).filter(|m| m.as_str().chars().count() <= 60).map(
                        |m| {
                            let (s, e) = keyed.original(m.start(), m.end());
                            line.text[s..e].to_string()
                        },
                    );
            }
            if site.is_none() {
                site = SITE_EDITOR
                    .captures(key)
                    .map(|c| c["site"].to_string())
                    .filter(|s| !matches!(s.as_str(), "本站" | "我" | "我们" | "笔者"));
            }
            if line.text.chars().count() <= MAX_INTRO_LINE {
                removed += line.text.chars().filter(|c| !c.is_whitespace()).count();
                line.text.clear();
            } else {
                // Only the sentence holding the introduction.
                let start = key[..who.start()].rfind(['。', '!', '！', '?', '？']).map_or(0, |i| i + '。'.len_utf8());
                let end = key[who.end()..].find('。').map_or(key.len(), |i| who.end() + i + '。'.len_utf8());
                let (s, e) = keyed.original(start, end);
                removed += line.text[s..e].chars().count();
                line.text.replace_range(s..e, "");
            }
        }
        page.removed(removed);
        page.split_embedded_breaks();
        if let Some(title) = named {
            // Tag links in 〔〕 are kept as plain words.
            let title: String = title.chars().filter(|c| !matches!(c, '〔' | '〕')).collect();
            page.meta.fallback_title = Some(title);
        }
        if page.meta.site.is_none() {
            page.meta.site = site;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Page {
        let mut page = Page::from_text(text);
        EditorIntro.clean(&mut page);
        page
    }

    #[test]
    fn intro_paragraphs_go() {
        // dumps/25.
        let p = run(
            "心得体会的文体和方法(专业13篇)\n心得体会不仅有助于个人成长。以下是小编为大家收集的心得体会范文,供大家参考。\n心得体会的文体和方法篇一",
        );
        assert_eq!(p.text(), "心得体会的文体和方法(专业13篇)\n心得体会的文体和方法篇一");
        // dumps/30, traditional.
        let p = run(
            "比賽中的緊張氛圍能夠讓我們更加充實和投入。以上是小編為大家準備的比賽總結范文,希望對大家的寫作有所幫助。\n演講",
        );
        assert_eq!(p.text(), "演講");
    }

    #[test]
    fn the_intro_names_the_document_and_the_site() {
        // dumps/31 and dumps/28.
        let p = run(
            "〔演讲稿〕是为了说明观点的。下面是我为大家整理的2022年〔元旦〕佳节演讲稿模板,更多〔节日演讲稿〕点击“节日演讲稿”查看!\n正文",
        );
        assert_eq!(p.meta.fallback_title.as_deref(), Some("2022年元旦佳节演讲稿模板"));
        let p = run("以下是范文社小编精心为您推荐的遼的心得體會模板5篇,供大家參考。\n正文");
        assert_eq!(p.meta.site.as_deref(), Some("范文社"));
        assert_eq!(p.meta.fallback_title.as_deref(), Some("遼的心得體會模板5篇"));
    }

    #[test]
    fn mirror_nested_boilerplate() {
        // dumps/14 (pinyin annotations removed here for brevity).
        let p = run(
            "浙江大華筆試導讀:就愛閱讀網友為您分享以下“浙江大華筆試,資訊,希望對您有所幫助,感謝您對的支持!首地址距離",
        );
        assert_eq!(p.text(), "浙江大華筆試\n首地址距離");
    }

    #[test]
    fn ordinary_sentences_stay() {
        let text = "我们为大家提供了学习资料。希望大家认真学习。";
        assert_eq!(run(text).text(), text);
    }
}
