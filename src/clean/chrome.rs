//! Site chrome: the page furniture that a copy of a document page drags
//! along — upload metadata, thumbnail captions, page counters, "read more"
//! and download prompts, copyright notices, login forms, navigation bars,
//! advertising scripts.
//!
//! Each rule is a pattern on one line (matched on the line with pinyin
//! annotations removed, see [`super::pinyin`]). Whole-line rules drop the
//! line; inline rules cut only the matched span, since flattened pages glue
//! chrome to the text. What the chrome tells (page count, title, that the
//! preview is cut) is kept in [`super::Meta`].

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use regex::Regex;

use crate::text::{LazyRegex, first_and_last_chars, has_byte_in, line_regex};

use super::header::split_extension;
use super::pinyin::Keyed;
use super::sites::site_in_text;
use super::{Cleaner, Page};

/// What a rule does with what it matches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    /// Drop the whole line.
    Line,
    /// Cut the matched span only.
    Span,
}

struct Rule {
    name: &'static str,
    pattern: LazyRegex,
    action: Action,
    /// The match means the preview stops before the document does.
    truncates: bool,
    /// Words one of which every match holds: a line without them is not
    /// searched (most lines of a document).
    needles: &'static [&'static str],
    /// Every match holds an ASCII lowercase letter: a line without one (all
    /// but a few lines of Chinese text) is not searched.
    needs_lowercase: bool,
    /// Every match holds an ASCII digit: a line without one (half the lines
    /// of Chinese prose) is not searched for the needles.
    needs_digit: bool,
    /// Longest line the rule applies to: page furniture is short.
    max_chars: usize,
    /// The characters a line must begin with, sorted (see
    /// [`crate::text::first_chars`]).
    first_chars: Option<Vec<char>>,
    /// The characters a line must end with, sorted (see
    /// [`crate::text::last_chars`]).
    last_chars: Option<Vec<char>>,
}

fn rule(name: &'static str, action: Action, truncates: bool, pattern: &'static str) -> Rule {
    let (first_chars, last_chars) = first_and_last_chars(pattern);
    Rule {
        name,
        pattern: LazyRegex::new(pattern),
        action,
        truncates,
        needles: &[],
        needs_lowercase: false,
        needs_digit: false,
        max_chars: usize::MAX,
        first_chars,
        last_chars,
    }
}

impl Rule {
    fn needing(mut self, needles: &'static [&'static str]) -> Self {
        self.needles = needles;
        self
    }

    fn needing_a_lowercase_letter(mut self) -> Self {
        self.needs_lowercase = true;
        self
    }

    fn needing_a_digit(mut self) -> Self {
        self.needs_digit = true;
        self
    }

    fn at_most(mut self, chars: usize) -> Self {
        self.max_chars = chars;
        self
    }

    /// Whether the rule, which [`Gates`] let through for the line `key`,
    /// can match it: `present` knows or finds the line's needles, `chars`
    /// caches its length in characters, counted only when its length in
    /// bytes does not settle a rule's longest line.
    fn may_match(&self, present: &mut Present<'_>, mask: u64, key: &str, chars: &mut Option<usize>) -> bool {
        // (A character is one to four bytes: most lines are decided by
        // their byte length alone, not counted.)
        (key.len() <= self.max_chars
            || key.len() <= self.max_chars.saturating_mul(4)
                && *chars.get_or_insert_with(|| key.chars().count()) <= self.max_chars)
            && (!self.needs_digit || present.digit())
            && (self.needles.is_empty() || present.any(mask))
            && (!self.needs_lowercase || present.lowercase())
    }
}

/// The rules a line's first and last characters let through, as bits of
/// [`RULES`]: one look-up per line and edge, where asking every rule for
/// its characters (two decodings and two binary searches a rule) cost as
/// much as the needle searches.
struct Gates {
    first: EdgeGate,
    last: EdgeGate,
}

impl Gates {
    fn new(rules: &[Rule]) -> Self {
        assert!(rules.len() <= 64, "rules fit a u64");
        Self {
            first: EdgeGate::new(rules.iter().map(|r| r.first_chars.as_deref())),
            last: EdgeGate::new(rules.iter().map(|r| r.last_chars.as_deref())),
        }
    }

    /// The rules that may match `key`.
    fn admit(&self, key: &str) -> u64 {
        self.first.admit(key.chars().next()) & self.last.admit(key.chars().next_back())
    }
}

/// The rules one edge of a line lets through.
struct EdgeGate {
    /// Rules that take any character there.
    open: u64,
    /// Every character some rule asks for there, sorted, with the rules
    /// that take it.
    by_char: Vec<(char, u64)>,
}

impl EdgeGate {
    /// From each rule's characters at this edge (`None`: any).
    fn new<'a>(sets: impl Iterator<Item = Option<&'a [char]>>) -> Self {
        let mut open = 0;
        let mut by_char: Vec<(char, u64)> = Vec::new();
        for (i, set) in sets.enumerate() {
            match set {
                None => open |= 1 << i,
                Some(set) => by_char.extend(set.iter().map(|&c| (c, 1 << i))),
            }
        }
        by_char.sort_unstable_by_key(|e| e.0);
        by_char.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 |= next.1;
            }
            same
        });
        Self { open, by_char }
    }

    fn admit(&self, c: Option<char>) -> u64 {
        let asked =
            c.and_then(|c| self.by_char.binary_search_by_key(&c, |e| e.0).ok()).map_or(0, |i| self.by_char[i].1);
        self.open | asked
    }
}

static GATES: LazyLock<Gates> = LazyLock::new(|| Gates::new(&RULES));

/// Every rule's needles in one searcher, and the bits of each rule's
/// needles: a line is read once for all of them (a searcher per needle
/// read a line seven times on average, a third of the cleaner's time on
/// the corpus .docx).
struct Needles {
    /// Leftmost-first over the needles, which are prefix-free (tested):
    /// no two can match at one place, so a search restarted a byte after
    /// each match finds every needle the line holds.
    searcher: AhoCorasick,
    /// For every rule of [`RULES`], the bits of its needles.
    masks: Vec<u64>,
}

impl Needles {
    /// The bits of the needles `key` holds.
    fn found_in(&self, key: &[u8]) -> u64 {
        let mut found = 0;
        let mut input = Input::new(key);
        while let Some(m) = self.searcher.find(input.clone()) {
            found |= 1 << m.pattern().as_usize();
            input.set_start(m.start() + 1);
        }
        found
    }
}

/// Every needle of [`RULES`], sorted, once each.
fn all_needles() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = RULES.iter().flat_map(|r| r.needles.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    all
}

static NEEDLES: LazyLock<Needles> = LazyLock::new(|| {
    let all = all_needles();
    assert!(all.len() <= 64, "needles fit a u64");
    let masks = RULES
        .iter()
        .map(|r| r.needles.iter().map(|n| 1u64 << all.binary_search(n).expect("listed")).fold(0, |a, b| a | b))
        .collect();
    let searcher = AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(&all).expect("literal needles");
    Needles { searcher, masks }
});

/// The needles a line holds, found when a rule first needs them: the
/// rules a line's edges or length rule out never search.
struct Present<'k> {
    key: &'k [u8],
    /// Bits of the needles the line holds, once asked.
    found: Option<u64>,
    /// Whether the line holds an ASCII lowercase letter, once asked.
    lowercase: Option<bool>,
    /// Whether the line holds an ASCII digit, once asked.
    digit: Option<bool>,
}

impl<'k> Present<'k> {
    fn new(key: &'k str) -> Self {
        Self { key: key.as_bytes(), found: None, lowercase: None, digit: None }
    }

    /// Whether the line holds one of the needles of `mask`.
    fn any(&mut self, mask: u64) -> bool {
        let key = self.key;
        *self.found.get_or_insert_with(|| NEEDLES.found_in(key)) & mask != 0
    }

    /// Whether the line holds an ASCII lowercase letter (sixteen bytes a
    /// step).
    fn lowercase(&mut self) -> bool {
        let key = self.key;
        *self.lowercase.get_or_insert_with(|| has_byte_in(key, b'a', b'z'))
    }

    /// Whether the line holds an ASCII digit.
    fn digit(&mut self) -> bool {
        let key = self.key;
        *self.digit.get_or_insert_with(|| has_byte_in(key, b'0', b'9'))
    }
}

// Character classes that accept simplified and traditional forms.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    use Action::*;
    vec![
        // "已阅读5页,还剩13页未读 继续免费阅读", "还剩48页未读,继续阅读".
        rule(
            "read-more",
            Span,
            true,
            r"(?:已[阅閱][读讀]\s*\d+\s*[页頁]\s*[,，]?\s*)?还?[剩還]?剩?\s*\d+\s*[页頁]\s*未[读讀]\s*[,，.。]?\s*(?:[继繼][续續](?:免[费費])?[阅閱][读讀])?\s*[.。]?",
        )
        .needing(&["未读", "未讀"])
        .needing_a_digit(),
        rule("preview-only", Line, true, r"^本[资資]源只提供\s*\d+\s*[页頁]预览"),
        rule("text-content-label", Line, false, r"^文本[内內]容[:：]?\s*$"),
        // Baidu Wenku reader chrome, often flattened into the text.
        rule("download-to-computer", Span, false, r"下[载載]文[档檔]到[电電][脑腦]\s*[，,]?\s*[查査]找使用更方便")
            .needing(&["使用更方便"]),
        rule("download-coupons", Span, false, r"\d+\s*下[载載][券劵]\s*\d+\s*人已下[载載](?:\s+下[载載](?:\s|$))?")
            .needing(&["人已下"])
            .needing_a_digit(),
        rule("like-it-download", Span, false, r"喜[欢歡]就下[载載]吧\s*[,，]?\s*[查査]找使用更方便")
            .needing(&["使用更方便"]),
        // Upload metadata (冰豆网, 三一文库 templates).
        rule("upload-meta", Line, false, r"^上[传傳]人[:：].*(?:文[档檔]编号|上[传傳][时時][间間]|格式|[页頁]数|大小)"),
        rule("uploader", Line, false, r"^上[传傳]者[:：]"),
        rule("doc-id", Line, false, r"^(?:ID|资源ID|文档编号)[:：]\s*\d+\s*$"),
        rule(
            "upload-time",
            Line,
            false,
            r"^(?:上[传傳][时時][间間][:：]\s*\d{4}-\d{1,2}-\d{1,2}|[时時][间間][:：]\s*\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}:\d{2})",
        ),
        rule("date-line", Line, false, r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
        rule("thumbnail", Line, false, r"^.+?_第\s*\d+\s*[页頁]$").needing(&["_第"]),
        rule("page-of", Line, false, r"^第\s*\d+\s*[页頁]\s*/\s*共\s*\d+\s*[页頁]$"),
        rule(
            "ui-words",
            Line,
            false,
            r"^(?:•\s*)?(?:点击查看更多>*|點擊查看更多>*|下[载載]资源|资源描述|[资資]源描述|文[档檔]简介|文[檔档]簡介|下[载載]本文[档檔]|合集下[载載]|相[关關]推[荐薦]|附件列表|文[档檔]列表\s*文[档檔]介[绍紹]|开通vip|開通vip|举报|舉報|LOGO|下[载載]|收藏|分享|返回|换一换|換一換|全部分类|帮助中心|友情提示|温馨提示[:：]?|文本预览|在线阅读|免费下[载載]|立即下[载載]|VIP专享|加入VIP免费专享|忘记密码\??|[账帐]号[:：]|密码[:：]|验证码[:：].*|邮箱/手机[:：]|支付方式[:：].*|ImageVerifierCode.*)$",
        ),
        rule("download-related-report", Line, false, r"^(?:返回\s*)?下[载載]\s*相[关關]\s*[举舉][报報](?:\s*收藏)?$"),
        rule("doc-intro-prefix", Span, false, r"^文[档檔]列表\s*文[档檔]介[绍紹]\s*").needing(&["列表"]),
        rule(
            "copyright-notice",
            Line,
            false,
            r"^(?:版[权權]说明|版[權权]說明|版[权權]声明|免[责責]声明)[:：].*?(?:侵[权權]|[举舉][报報]|提供方|所有|[删刪]除)",
        ),
        rule(
            "download-notice",
            Line,
            false,
            r"^\d*、?.*?(?:(?:浏览器|迅雷).*?下[载載]|下[载載].*?(?:浏览器|迅雷)|本站资源下[载載]|试题试卷类文档|PDF文件下[载載]后|本站不支持)",
        )
        .at_most(180)
        .needing(&["浏览器", "迅雷", "本站", "试题试卷", "PDF文件"]),
        rule(
            "download-cost",
            Line,
            false,
            r"(?:下[载載]积分|下[载載]资源需要|[下載载]+[券劵])\s*[:：]?\s*\d+\s*(?:金[币幣]|积分|分)?\s*$",
        )
            .needing(&["积分", "需要", "券", "劵"]),
        rule("login", Line, false, r"^(?:快捷下[载載]|游客一键下[载載]|会员登录下[载載]|三方登录下[载載]).*$"),
        rule("login-hint", Line, false, r"^用户名和密码都是您填写的").at_most(80),
        rule("category-bullet", Line, false, r"^•\s*\S{1,12}>\s*$"),
        rule("resource-meta", Line, false, r"^•?\s*[资資]源(?:ID|大小|格式)[:：]"),
        rule("breadcrumb", Line, false, r"^首[页頁]\s+\S").at_most(140),
        rule("welcome-banner", Line, false, r"^(?:欢迎来到|歡迎來到).+?[!！]").at_most(60),
        rule("recommend-score", Line, false, r"^-?\s*.+?推[荐薦]度[:：]\s*$").at_most(90).needing(&["推荐度", "推薦度"]),
        rule("related-recommend", Line, false, r"^-?\s*相[关關]推[荐薦]\s*$"),
        rule(
            "script",
            Line,
            false,
            r"(?:document\.createElement|\.appendChild\(|<script|baichuan/ns\.js|google_ad|adsbygoogle)",
        )
        .needing_a_lowercase_letter(),
        rule("taodocs-tail", Span, false, r"来自淘豆网\s*(?:www\.taodocs\.com)?\s*转载请标明出处[.。]?")
            .needing(&["淘豆网"]),
        rule(
            "doc88-meta",
            Span,
            false,
            r"文[档檔]格式[:：]\s*\w+\s*\|\s*[页頁]数[:：]\s*\d+\s*\|\s*浏览次数[:：]\s*\d+\s*\|?",
        )
        .needing(&["浏览次数"])
        .needing_a_digit(),
        rule(
            "read-on",
            Line,
            true,
            r"^(?:继续阅读|繼續閱讀|继续免费阅读|繼續免費閱讀|展开阅读全文|阅读全文)\s*[>》]*$",
        ),
    ]
});

static PAGES_IN_META: LazyLock<Regex> =
    LazyLock::new(|| line_regex(r"(?:[页頁]数|全文[页頁]数|共)\s*[:：]?\s*(\d{1,5})\s*[页頁]?"));
static PAGE_OF: LazyLock<Regex> = LazyLock::new(|| line_regex(r"^第\s*\d+\s*[页頁]\s*/\s*共\s*(\d+)\s*[页頁]$"));
static THUMBNAIL: LazyLock<Regex> = LazyLock::new(|| line_regex(r"^(.+?)_第\s*\d+\s*[页頁]$"));
static DOC88_PREVIEW: LazyLock<Regex> = LazyLock::new(|| {
    line_regex(
        r"下[载載]积分\s*[:：]\s*\d+\s*内容提示\s*[:：].*?(?P<meta>文[档檔]格式[:：]\s*\w+\s*\|\s*[页頁]数[:：]\s*(?P<pages>\d+)\s*\|\s*浏览次数[:：]\s*\d+\s*\|?)",
    )
});
/// The full-width bar, searched for in every line's head: built once
/// (`memmem::find` builds a searcher at every call).
static WIDE_BAR: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("｜".as_bytes()));
static NAV_BAR: LazyLock<Regex> = LazyLock::new(|| line_regex(r"^[^|｜]{1,12}(?:[|｜][^|｜]{1,12}){3,}[|｜]?$"));
static MARKDOWN_H1: LazyLock<Regex> = LazyLock::new(|| line_regex(r"^#\s+(.+?)\s*$"));
static TAODOCS_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    line_regex(r"(?P<title>\S{2,80})\s*来自淘豆网\s*(?:www\.taodocs\.com)?\s*转载请标明出处[.。]?\s*$")
});

/// Removes site chrome. Its page counts, thumbnail titles and "read more"
/// prompts are kept in the page's metadata.
pub struct SiteChrome;

impl Cleaner for SiteChrome {
    fn name(&self) -> &'static str {
        "site-chrome"
    }

    fn clean(&self, page: &mut Page) {
        join_split_read_more(page);
        doc88_preview(page);
        taodocs_title(page);
        markdown_title(page);
        let mut removed = 0;
        let mut keep = Vec::with_capacity(page.lines.len());
        for mut line in std::mem::take(&mut page.lines) {
            let trimmed = line.text.trim();
            if trimmed.is_empty() {
                keep.push(line);
                continue;
            }
            // (Both patterns need a character a line rarely has: a look for
            // it is cheaper than a regex search. A bar of a navigation bar
            // comes within its first 13 characters, 52 bytes at most.)
            let head = &trimmed.as_bytes()[..trimmed.len().min(52)];
            let bar = memchr::memchr(b'|', head).is_some() || WIDE_BAR.find(head).is_some();
            if bar && NAV_BAR.is_match(trimmed) && trimmed.chars().count() <= 80 {
                if page.meta.site.is_none() {
                    page.meta.site = site_in_text(trimmed).or_else(|| {
                        trimmed.split(['|', '｜']).next().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
                    });
                }
                removed += count(trimmed);
                continue;
            }
            // (The pattern's two ends first: headings open with 第 too.)
            if trimmed.starts_with('第')
                && trimmed.ends_with(['页', '頁'])
                && let Some(caps) = PAGE_OF.captures(trimmed)
            {
                page.meta.declared_pages = page.meta.declared_pages.or(caps[1].parse().ok());
            }
            if trimmed.ends_with(['页', '頁'])
                && trimmed.contains("_第")
                && let Some(caps) = THUMBNAIL.captures(trimmed)
            {
                let (title, file) = split_extension(&caps[1]);
                page.meta.title.get_or_insert(title);
                if page.meta.file_name.is_none() {
                    page.meta.file_name = file;
                }
            }
            // Borrowed until a rule cuts a span: most lines are kept whole.
            let mut text = Cow::Borrowed(trimmed);
            let mut dropped = false;
            let (rules, needles, gates) = (&*RULES, &*NEEDLES, &*GATES);
            let mut next_rule = 0;
            'rules: while next_rule < rules.len() {
                let keyed = Keyed::new(&text);
                let mut present = Present::new(&keyed.key);
                let mut chars = None;
                let mut cut = None;
                // The rules from `next_rule` on that the line's edges let through.
                let mut admitted = gates.admit(&keyed.key) & (u64::MAX << next_rule);
                next_rule = rules.len();
                while admitted != 0 {
                    let i = admitted.trailing_zeros() as usize;
                    admitted &= admitted - 1;
                    next_rule = i + 1;
                    let rule = &rules[i];
                    if !rule.may_match(&mut present, needles.masks[i], &keyed.key, &mut chars) {
                        continue;
                    }
                    let Some(m) = rule.pattern.get().find(&keyed.key) else {
                        continue;
                    };
                    if rule.truncates {
                        page.meta.truncated = true;
                        page.meta.truncation_reason.get_or_insert_with(|| format!("site chrome ({})", rule.name));
                    }
                    if rule.name == "upload-meta" || rule.name == "resource-meta" {
                        if let Some(caps) = PAGES_IN_META.captures(&keyed.key) {
                            page.meta.declared_pages = page.meta.declared_pages.or(caps[1].parse().ok());
                        }
                    }
                    if rule.name == "welcome-banner" && page.meta.site.is_none() {
                        page.meta.site = site_in_text(&keyed.key);
                    }
                    // 人人文库's page template (also copied by its mirrors) carries
                    // this notice; the header sentence, when present, names the
                    // site anyway.
                    if rule.name == "copyright-notice" && keyed.key.contains("收益") && page.meta.site.is_none() {
                        page.meta.site = Some("人人文库".to_string());
                    }
                    // Baidu Wenku's reader: download coupons (下载券).
                    if matches!(rule.name, "download-coupons" | "download-to-computer") && page.meta.site.is_none() {
                        page.meta.site = Some("百度文库".to_string());
                    }
                    match rule.action {
                        Action::Line => {
                            removed += count(&text);
                            dropped = true;
                            break 'rules;
                        }
                        Action::Span => {
                            cut = Some(keyed.original(m.start(), m.end()));
                            break;
                        }
                    }
                }
                // The rules after a cut look at the text without it.
                let Some((s, e)) = cut else { break };
                drop(keyed);
                removed += count(&text[s..e]);
                text.to_mut().replace_range(s..e, "");
            }
            if dropped {
                continue;
            }
            if text.trim().is_empty() {
                continue;
            }
            if text.len() != line.text.len() {
                let text = text.into_owned();
                line.text = text;
            }
            keep.push(line);
        }
        page.lines = keep;
        page.removed(removed);
        drop_site_name_lines(page);
        drop_preview_descriptions(page);
    }
}

/// A page's description of the document: the opening of the text, cut
/// with `...`, shown before the text itself (爱问共享资料, 道客巴巴).
fn drop_preview_descriptions(page: &mut Page) {
    let ends_cut = |l: &super::Line| l.text.trim_end().ends_with("...") || l.text.trim_end().ends_with('…');
    if !page.lines.iter().take(20).any(ends_cut) {
        return;
    }
    let keys: Vec<String> = page.lines.iter().map(|l| crate::text::compare_key(&l.text)).collect();
    let mut drop = Vec::new();
    for (i, line) in page.lines.iter().enumerate().take(20) {
        let t = line.text.trim_end();
        let Some(body) = t.strip_suffix("...").or_else(|| t.strip_suffix('…')) else {
            continue;
        };
        let key = crate::text::compare_key(body);
        if key.chars().count() < 20 {
            continue;
        }
        let later: String = keys[i + 1..].concat();
        if later.contains(&key) {
            drop.push(i);
        }
    }
    page.drop_lines(|i, _| drop.contains(&i));
}

/// A line holding only the site's name (a logo's alt text) in the head of
/// the page.
fn drop_site_name_lines(page: &mut Page) {
    let Some(site) = page.meta.site.clone() else {
        return;
    };
    let head = page.lines.iter().take_while(|l| l.text.trim().chars().count() <= 80).count();
    page.drop_lines(|i, line| i < head && line.text.trim() == site);
}

fn count(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Baidu Wenku's "还剩 N页未读" is sometimes broken across two lines.
fn join_split_read_more(page: &mut Page) {
    let mut i = 0;
    while i + 1 < page.lines.len() {
        let ends = page.lines[i].text.trim_end().ends_with("还剩");
        let next = page.lines[i + 1].text.trim_start();
        if ends && next.chars().next().is_some_and(|c| c.is_ascii_digit()) && next.contains("页未读") {
            let next = next.to_string();
            page.lines[i].text = format!("{}{}", page.lines[i].text.trim_end(), next);
            page.lines.remove(i + 1);
        }
        i += 1;
    }
}

/// 道客巴巴's summary: `下载积分: 1500 内容提示: <a preview> 文档格式:DOCX |
/// 页数:20 | 浏览次数:17 | <the text>`. The preview repeats the text's
/// opening, so everything up to the metadata goes.
fn doc88_preview(page: &mut Page) {
    for line in page.lines.iter_mut().take(10) {
        // (A search for a word every match holds is far cheaper than the
        // pattern's, which captures.)
        if !line.text.contains("内容提示") {
            continue;
        }
        let Some(caps) = DOC88_PREVIEW.captures(&line.text) else {
            continue;
        };
        let whole = caps.get(0).expect("match");
        if let Some(pages) = caps.name("pages").and_then(|m| m.as_str().parse().ok()) {
            page.meta.declared_pages.get_or_insert(pages);
        }
        page.meta.site.get_or_insert_with(|| "道客巴巴".to_string());
        // The first words after 内容提示 are the document's title.
        let preview = &line.text[whole.start()..whole.end()];
        if let Some(after) = preview.split_once("内容提示").map(|(_, a)| a.trim_start_matches([':', '：', ' '])) {
            let title: String = after.split(' ').next().unwrap_or("").to_string();
            if !title.is_empty() && title.chars().count() <= 60 {
                page.meta.title.get_or_insert(title);
            }
        }
        let removed = count(&line.text[whole.start()..whole.end()]);
        line.text.replace_range(whole.start()..whole.end(), "");
        page.stats.boilerplate_chars += removed;
        break;
    }
}

/// 淘豆网 summaries end with `TITLE 来自淘豆网www.taodocs.com转载请标明出处.`
fn taodocs_title(page: &mut Page) {
    let Some(last) = page.lines.iter_mut().rev().find(|l| !l.text.trim().is_empty()) else {
        return;
    };
    if !last.text.contains("来自淘豆网") {
        return;
    }
    let Some(caps) = TAODOCS_TITLE.captures(&last.text) else {
        return;
    };
    let whole = caps.get(0).expect("match");
    let title = caps["title"].trim().to_string();
    page.meta.site.get_or_insert_with(|| "淘豆网".to_string());
    page.meta.title.get_or_insert(title);
    let removed = count(&last.text[whole.start()..whole.end()]);
    last.text.replace_range(whole.start()..whole.end(), "");
    page.stats.boilerplate_chars += removed;
}

/// A Markdown copy of a blog post starts with `# TITLE - AUTHOR - 博客园`:
/// the title is the document's, the rest is the blog's.
fn markdown_title(page: &mut Page) {
    let Some(i) = page.first_content_line() else {
        return;
    };
    let line = page.lines[i].text.trim();
    let Some(caps) = line.starts_with('#').then(|| MARKDOWN_H1.captures(line)).flatten() else {
        return;
    };
    let heading = caps[1].to_string();
    let title = heading.split(" - ").next().unwrap_or(&heading).trim().to_string();
    if title.is_empty() {
        return;
    }
    // The blog's suffix goes; the title stays as the text's title line.
    let removed = count(&page.lines[i].text) - count(&title);
    page.lines[i].text = title.clone();
    page.meta.title.get_or_insert(title);
    page.stats.boilerplate_chars += removed;
}

#[cfg(test)]
mod tests {
    use super::*;

    use regex_syntax::hir::{Class, Hir, HirKind};

    fn holds_one_of(text: &[u8], needles: &[&str]) -> bool {
        needles.iter().any(|n| text.windows(n.len()).any(|w| w == n.as_bytes()))
    }

    /// The few strings `hir` matches, when it is a literal or a class of a
    /// few characters (`[读讀]`).
    fn few_strings(hir: &Hir) -> Option<Vec<Vec<u8>>> {
        match hir.kind() {
            HirKind::Literal(lit) => Some(vec![lit.0.to_vec()]),
            HirKind::Class(Class::Unicode(class)) => {
                let chars: Vec<char> = class.iter().flat_map(|r| r.start()..=r.end()).take(5).collect();
                (chars.len() <= 4).then(|| chars.iter().map(|c| c.to_string().into_bytes()).collect())
            }
            HirKind::Capture(cap) => few_strings(&cap.sub),
            _ => None,
        }
    }

    /// Whether every match of `hir` holds one of `needles`.
    fn needs_one_of(hir: &Hir, needles: &[&str]) -> bool {
        match hir.kind() {
            HirKind::Literal(lit) => holds_one_of(&lit.0, needles),
            HirKind::Concat(items) => {
                // Runs of literals and small classes spell a few strings
                // (`未[读讀]`: 未读, 未讀), any of which a match holds.
                let spelled = |run: &Option<Vec<Vec<u8>>>| {
                    run.as_ref().is_some_and(|r| r.iter().all(|s| holds_one_of(s, needles)))
                };
                let mut run: Option<Vec<Vec<u8>>> = None;
                for item in items {
                    if needs_one_of(item, needles) {
                        return true;
                    }
                    match few_strings(item) {
                        Some(next) => {
                            let joined = match run.take() {
                                None => next,
                                Some(r) => r
                                    .iter()
                                    .flat_map(|a| next.iter().map(move |b| [a.as_slice(), b].concat()))
                                    .collect(),
                            };
                            run = Some(joined);
                        }
                        None => {
                            if spelled(&run) {
                                return true;
                            }
                            run = None;
                        }
                    }
                }
                spelled(&run)
            }
            HirKind::Alternation(branches) => branches.iter().all(|h| needs_one_of(h, needles)),
            HirKind::Repetition(rep) => rep.min >= 1 && needs_one_of(&rep.sub, needles),
            HirKind::Capture(cap) => needs_one_of(&cap.sub, needles),
            // A class all of whose characters are needles (`[0-9]`).
            HirKind::Class(Class::Unicode(class)) => {
                let chars: Vec<char> = class.iter().flat_map(|r| r.start()..=r.end()).take(129).collect();
                chars.len() <= 128 && chars.iter().all(|c| holds_one_of(c.to_string().as_bytes(), needles))
            }
            HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => false,
        }
    }

    /// A rule's needles only skip lines it cannot match: every match of
    /// its pattern holds one of them.
    #[test]
    fn every_match_of_a_rule_holds_one_of_its_needles() {
        for rule in RULES.iter().filter(|r| !r.needles.is_empty()) {
            let hir = regex_syntax::parse(rule.pattern.get().as_str()).expect("the rule's pattern");
            assert!(needs_one_of(&hir, rule.needles), "{}: a match may hold none of {:?}", rule.name, rule.needles);
        }
        // The check itself tells a needle the pattern needs from one it
        // does not.
        let hir = regex_syntax::parse("a(?:bc|bd)e?").unwrap();
        assert!(needs_one_of(&hir, &["bc", "bd"]));
        assert!(!needs_one_of(&hir, &["bc"]));
        assert!(!needs_one_of(&hir, &["e"]));
        let hir = regex_syntax::parse(r"\d+未[读讀]").unwrap();
        assert!(needs_one_of(&hir, &["未读", "未讀"]));
        assert!(!needs_one_of(&hir, &["未读"]));
    }

    /// A rule that needs a lowercase letter or a digit only skips lines
    /// it cannot match: every match of its pattern holds one.
    #[test]
    fn every_match_of_a_rule_that_needs_a_letter_or_a_digit_holds_one() {
        let strings = |chars: std::ops::RangeInclusive<char>| chars.map(String::from).collect::<Vec<_>>();
        let (letters, digits) = (strings('a'..='z'), strings('0'..='9'));
        let letters: Vec<&str> = letters.iter().map(String::as_str).collect();
        let digits: Vec<&str> = digits.iter().map(String::as_str).collect();
        let needs_lowercase: fn(&Rule) -> bool = |r| r.needs_lowercase;
        let needs_digit: fn(&Rule) -> bool = |r| r.needs_digit;
        for (needs, needles) in [(needs_lowercase, &letters), (needs_digit, &digits)] {
            let rules: Vec<&Rule> = RULES.iter().filter(|r| needs(r)).collect();
            assert!(!rules.is_empty());
            for rule in rules {
                let hir = regex_syntax::parse(rule.pattern.get().as_str()).expect("the rule's pattern");
                assert!(needs_one_of(&hir, needles), "{}: a match may hold none of {needles:?}", rule.name);
            }
        }
        assert!(!needs_one_of(&regex_syntax::parse("(?:<script|<SCRIPT)").unwrap(), &letters));
        assert!(needs_one_of(&regex_syntax::parse("x[0-9]+").unwrap(), &digits));
        assert!(!needs_one_of(&regex_syntax::parse("x[0-9]*").unwrap(), &digits));
        assert!(!needs_one_of(&regex_syntax::parse("(?:已[0-9]+)?未").unwrap(), &digits));
    }

    /// A rule's edge characters, found with one parse of its pattern, are
    /// those of the two functions that parse it for one edge each.
    #[test]
    fn a_rules_edge_characters_are_found_with_one_parse() {
        for rule in RULES.iter() {
            let pattern = rule.pattern.source();
            assert_eq!(rule.first_chars, crate::text::first_chars(pattern), "{}", rule.name);
            assert_eq!(rule.last_chars, crate::text::last_chars(pattern), "{}", rule.name);
        }
        assert!(RULES.iter().any(|r| r.first_chars.is_some()) && RULES.iter().any(|r| r.last_chars.is_some()));
    }

    /// The first- and last-character filters never turn away a line a rule
    /// matches: checked on every line of the bundled dumps (17 and 19
    /// matches).
    #[test]
    fn every_match_of_a_rule_begins_and_ends_with_one_of_its_characters() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dumps");
        let (mut matched, mut matched_at_end) = (0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let Ok(extracted) = crate::extract::extract(&bytes, &Default::default()) else { continue };
            for line in Page::from_blocks(extracted.blocks).lines {
                let key = line.text.trim();
                for rule in RULES.iter() {
                    let (Some(chars), Some(m)) = (&rule.first_chars, rule.pattern.get().find(key)) else { continue };
                    matched += 1;
                    let first = key[m.start()..].chars().next();
                    assert!(first.is_some_and(|c| chars.contains(&c)), "{}: {key:?}", rule.name);
                }
                for rule in RULES.iter() {
                    let (Some(chars), Some(m)) = (&rule.last_chars, rule.pattern.get().find(key)) else { continue };
                    matched_at_end += 1;
                    let last = key[..m.end()].chars().next_back();
                    assert!(last.is_some_and(|c| chars.contains(&c)), "{}: {key:?}", rule.name);
                }
            }
        }
        assert!(matched >= 15, "{matched}");
        assert!(matched_at_end >= 15, "{matched_at_end}");
    }

    /// The gates let a rule through exactly when the line begins and ends
    /// with characters the rule takes there: tried on every pair of the
    /// characters the rules ask for, and a few no rule does.
    #[test]
    fn the_gates_admit_what_the_rules_characters_do() {
        let gates = &*GATES;
        let mut chars: Vec<char> = RULES
            .iter()
            .flat_map(|r| r.first_chars.iter().chain(&r.last_chars).flatten().copied())
            .chain(['a', '一', '。', ' '])
            .collect();
        chars.sort_unstable();
        chars.dedup();
        assert!(chars.len() > 20, "{}", chars.len());
        let takes = |set: &Option<Vec<char>>, c: char| set.as_ref().is_none_or(|set| set.contains(&c));
        for &a in &chars {
            for &b in &chars {
                for line in [format!("{a}"), format!("{a}中{b}")] {
                    let last = line.chars().next_back().unwrap();
                    let expected = RULES.iter().enumerate().fold(0u64, |bits, (i, r)| {
                        bits | u64::from(takes(&r.first_chars, a) && takes(&r.last_chars, last)) << i
                    });
                    assert_eq!(gates.admit(&line), expected, "{line:?}");
                }
            }
        }
        assert_eq!(gates.admit(""), gates.first.open & gates.last.open);
    }

    /// One pass finds every needle a line holds: the needles are
    /// prefix-free, and on lines holding every pair of them (adjacent,
    /// repeated, overlapping where two can) and on every line of the
    /// bundled dumps the bits are exactly the needles the line contains.
    #[test]
    fn one_search_finds_every_needle_a_line_holds() {
        let all = all_needles();
        for a in &all {
            for b in &all {
                assert!(a == b || !b.starts_with(a), "{a} is a prefix of {b}");
            }
        }
        let expected =
            |line: &str| all.iter().enumerate().fold(0u64, |bits, (i, n)| bits | u64::from(line.contains(n)) << i);
        let mut lines: Vec<String> = Vec::new();
        for a in &all {
            for b in &all {
                lines.push(format!("{a}{b}"));
                lines.push(format!("前{a}中{b}{a}后"));
                // `b` starting inside `a`'s span, where they overlap.
                for k in 1..a.len() {
                    if a.is_char_boundary(k) && b.starts_with(&a[k..]) {
                        lines.push(format!("{}{b}", &a[..k]));
                    }
                }
            }
        }
        for file in std::fs::read_dir("fixtures/dumps").expect("fixtures") {
            let text = std::fs::read_to_string(file.expect("entry").path()).expect("UTF-8 dump");
            lines.extend(text.lines().map(String::from));
        }
        let mut holding = 0;
        for line in &lines {
            let bits = NEEDLES.found_in(line.as_bytes());
            assert_eq!(bits, expected(line), "{line:?}");
            holding += usize::from(bits != 0);
        }
        assert!(holding > all.len() * all.len(), "{holding}");
    }

    fn run(text: &str) -> Page {
        let mut page = Page::from_text(text);
        SiteChrome.clean(&mut page);
        page
    }

    #[test]
    fn bdocx_template() {
        // dumps/03 (冰豆网, mobile).
        let p = run(
            "物业管理质量手册.docx\n\n上传人:b****6 文档编号:6685198 上传时间:2023-01-08 格式:DOCX 页数:58 大小:135.61KB\n下载 相关 举报\n物业管理质量手册.docx_第1页\n第1页 / 共58页\n点击查看更多>>\n下载资源\n资源描述\n\n物业管理质量手册",
        );
        assert_eq!(p.text(), "物业管理质量手册.docx\n物业管理质量手册");
        assert_eq!(p.meta.declared_pages, Some(58));
        assert_eq!(p.meta.title.as_deref(), Some("物业管理质量手册"));
        assert_eq!(p.meta.file_name.as_deref(), Some("物业管理质量手册.docx"));
    }

    #[test]
    fn renrendoc_read_more_and_copyright() {
        // dumps/09 and the pinyin-annotated mirror dumps/14.
        let p = run(
            "企业培训评估手册(标准版)_第1页\n已阅读5页,还剩13页未读 继续免费阅读\n\n下载本文档\n\n版权说明:本文档由用户提供并上传,收益归属内容提供方,若内容存在侵权,请进行举报或认领\n\n文档简介\n\n企业培训评估手册(标准版)第1章",
        );
        assert_eq!(p.text(), "企业培训评估手册(标准版)第1章");
        assert!(p.meta.truncated);
        assert_eq!(p.meta.title.as_deref(), Some("企业培训评估手册(标准版)"));
        let p = run(
            "版權(quán)說明:本文檔由用戶提供并上傳,收益歸屬內(nèi)容提供方,若內(nèi)容存在侵權(quán),請進(jìn)行舉報或認(rèn)領(lǐng)\n文檔簡介\n正文",
        );
        assert_eq!(p.text(), "正文");
    }

    #[test]
    fn baidu_chrome_flattened_into_a_sentence() {
        // dumps/38: the chrome sits at the end of the last sentence, and its
        // "还剩" is broken across lines.
        let p = run(
            "开户行地址：[开户行地址] 下载文档到电脑，查找使用更方便 1下载券 6681人已下载 下载 还剩\n        \t 15页未读，继续阅读.",
        );
        assert_eq!(p.text().split_whitespace().collect::<Vec<_>>(), ["开户行地址：[开户行地址]"]);
        assert!(p.meta.truncated);
    }

    #[test]
    fn doc88_summary() {
        // dumps/40.
        let p = run(
            "下载积分: 1500 内容提示: 海康全数字可视对讲系统设计方案——客户版 海康威视 目录 文档格式:DOCX | 页数:20 | 浏览次数:17 | 海康全数字可视对讲系统设计方案——客户版 海康威视全数字可视对讲系统",
        );
        assert_eq!(p.meta.declared_pages, Some(20));
        assert_eq!(p.meta.title.as_deref(), Some("海康全数字可视对讲系统设计方案——客户版"));
        assert_eq!(p.text().trim(), "海康全数字可视对讲系统设计方案——客户版 海康威视全数字可视对讲系统");
    }

    #[test]
    fn markdown_blog_title() {
        let p = run("\n# V4L2 驱动框架详解 - 某作者 - 博客园\n正文第一段。");
        assert_eq!(p.meta.title.as_deref(), Some("V4L2 驱动框架详解"));
        assert_eq!(p.text(), "V4L2 驱动框架详解\n正文第一段。");
        // A heading that is not the first line is the text's own.
        let p = run("正文\n# 小节 - 说明");
        assert_eq!((p.meta.title.as_deref(), p.text().as_str()), (None, "正文\n# 小节 - 说明"));
    }

    #[test]
    fn taodocs_tail_and_nav_bar() {
        let p = run(
            "文档列表 文档介绍 海康威视 设计方案 安防报警功 能. 海康全数字可视对讲系统设计方案——客户版 来自淘豆网www.taodocs.com转载请标明出处.",
        );
        assert_eq!(p.meta.title.as_deref(), Some("海康全数字可视对讲系统设计方案——客户版"));
        assert_eq!(p.meta.site.as_deref(), Some("淘豆网"));
        assert_eq!(p.text().trim(), "海康威视 设计方案 安防报警功 能.");
        let p = run("文秘之友|原創(chuàng)|范文|素材|寫作|PPT|\n正文");
        assert_eq!(p.meta.site.as_deref(), Some("文秘之友"));
        assert_eq!(p.text(), "正文");
    }

    #[test]
    fn content_lines_survive() {
        let text = "一、工作目标:\n1、将《科学》、《思品》、《信息技术》等学科纳入管理。\n下载的文件要及时整理,这是第一条要求,内容很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。";
        let p = run(text);
        assert_eq!(p.text(), text);
        assert!(!p.meta.truncated);
    }

    #[test]
    fn advertising_scripts() {
        // Lines of a copied page's ad code go, wherever they stand.
        let p = run(
            "(adsbygoogle = window.adsbygoogle || []).push({});\n第一章 总则\nvar s = document.createElement(\"script\");\n正文",
        );
        assert_eq!(p.text(), "第一章 总则\n正文");
    }
}
