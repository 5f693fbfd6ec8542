//! Where a heading or title that lost its line break ends.
//!
//! In a flattened dump `一、发展现状成效X区作为全国首批…` the heading
//! `发展现状成效` is glued to its text. [`best_cut`] scores every place
//! where the heading could end with cues that hold for Chinese prose in
//! general, not for one document:
//!
//! * the text after the cut repeats words of the heading
//!   (`低代码与无代码|低代码和无代码概念相近`);
//! * the text after the cut opens like a sentence: a time phrase
//!   (`近年来`, `今年`), a subject (`我们`, `习近平`), a connective, a
//!   policy verb (`坚持`, `加快`), `X是…`, a masked name (`X区`), a date,
//!   a quotation, a byline (`作者`, `日期`);
//! * the text before the cut ends like a heading: a genre noun (`方案`,
//!   `总结`, `有感`), a noun after `的` (`…的着力点`);
//! * a character class changes (Chinese to Latin), or a space or bracket
//!   stands there.
//!
//! Cuts that would leave a function word at either side (`的`, `和`, `了`)
//! or split a Latin word are never taken, and shorter headings are
//! preferred.

use std::cell::{Cell, OnceCell, RefCell};
use std::sync::LazyLock;

use super::lexicon::{self, Class};
use crate::text::traditional::forms;
use crate::text::{BmpSet, FxHashMap, is_cjk_punct, is_han, simplified};

/// Words that open a sentence (time, subjects, connectives, sentence-initial
/// verbs of official prose). Longer entries first where they share a prefix.
const SENTENCE_STARTS: &[&str] = &[
    "近年来",
    "近些年",
    "近几年",
    "当前",
    "目前",
    "今年",
    "去年",
    "明年",
    "今天",
    "如今",
    "现在",
    "当下",
    "最近",
    "之前",
    "以前",
    "过去",
    "此前",
    "日前",
    "近日",
    "随着",
    "为了",
    "为此",
    "对于",
    "根据",
    "按照",
    "依据",
    "通过",
    "由于",
    "因为",
    "虽然",
    "尽管",
    "如果",
    "只有",
    "只要",
    "无论",
    "不论",
    "作为",
    "自从",
    "截至",
    "截止",
    "我们",
    "我们的",
    "我国",
    "我省",
    "我市",
    "我区",
    "我县",
    "我校",
    "我院",
    "我局",
    "我公司",
    "你们",
    "他们",
    "大家",
    "同志们",
    "各位",
    "尊敬的",
    "亲爱的",
    "这是",
    "这个",
    "这些",
    "这一",
    "这里",
    "那么",
    "那是",
    "其中",
    "同时",
    "此外",
    "另外",
    "首先",
    "其次",
    "再次",
    "最后",
    "总之",
    "因此",
    "所以",
    "但是",
    "然而",
    "可见",
    "由此",
    "综上",
    "总的来说",
    "一方面",
    "另一方面",
    "有时候",
    "有的",
    "有人",
    "想要",
    "要想",
    "习近平",
    "党的",
    "党中央",
    "中央",
    "国务院",
    "总书记",
    "坚持",
    "加强",
    "加快",
    "推动",
    "推进",
    "持续",
    "着力",
    "深化",
    "完善",
    "健全",
    "建立",
    "构建",
    "强化",
    "提升",
    "提高",
    "促进",
    "实施",
    "落实",
    "积极",
    "大力",
    "全面",
    "进一步",
    "切实",
    "不断",
    "始终",
    "充分",
    "培育",
    "围绕",
    "聚焦",
    "立足",
    "坚决",
    "要把",
    "要以",
    "必须",
    "应当",
    "需要",
    "经过",
    "在此",
    "本文",
    "本次",
    "本规定",
    "本办法",
    "本制度",
    "该",
    "为什么",
    "什么是",
    "如何",
    "怎样",
    "当你",
    "当我",
    "每一",
    "每个",
    "每年",
    "一是",
    "一个",
    "所谓",
];

/// Words that open a sentence and never a heading: prepositions,
/// conjunctions and pronouns (`根据…`, `我方…`). Headings often open with a
/// verb (`坚持…`, `加强…`), so verbs are not here.
pub const SENTENCE_ONLY_STARTS: &[&str] = &[
    "在",
    "当",
    "根据",
    "按照",
    "依据",
    "依照",
    "通过",
    "由于",
    "因为",
    "虽然",
    "尽管",
    "如果",
    "假如",
    "只有",
    "只要",
    "无论",
    "不论",
    "为了",
    "对于",
    "我们",
    "我方",
    "我们的",
    "你们",
    "他们",
    "大家",
    "这是",
    "这个",
    "这些",
    "那么",
    "其中",
    "同时",
    "此外",
    "另外",
    "因此",
    "所以",
    "但是",
    "然而",
    "可见",
    "由此",
    "总之",
    "一旦",
    "经过",
    "截至",
    "截止",
    "随着",
];

/// True when `s` opens with a word that only opens sentences.
pub fn opens_sentence(s: &str) -> bool {
    let chars: Vec<char> = s.chars().take(4).map(simplified).collect();
    SENTENCE_ONLY_SET.prefix_of(&chars).is_some()
}

/// Connectives that need what follows them: a heading never ends with one.
const CONNECTIVES: &[&str] = &[
    "除非", "虽然", "如果", "因为", "但是", "而且", "并且", "或者", "以及", "只有", "只要", "无论", "不论", "尽管",
    "由于", "为了", "关于", "对于", "根据", "按照", "通过", "随着", "如何", "是否", "可以", "应当", "必须", "需要",
    "能够",
];

/// Single characters that often open a sentence.
const SENTENCE_START_CHARS: &[char] =
    &['在', '为', '从', '据', '当', '我', '你', '他', '她', '它', '这', '那', '要', '对', '经', '由', '自'];

/// Characters of text after the last possible cut that the evidence sees.
const BODY_WINDOW: usize = 64;

/// Prepositions and modal verbs that follow a clause's subject.
const SUBJECT_THEN: &[char] =
    &['在', '对', '要', '应', '将', '把', '已', '正', '能', '会', '必', '须', '还', '都', '也'];

/// Names of the parts of a document, which stand alone as headings.
const DOCUMENT_PARTS: &[&str] = &[
    "前言",
    "引言",
    "序言",
    "导言",
    "绪论",
    "绪言",
    "摘要",
    "概述",
    "概况",
    "背景",
    "简介",
    "总结",
    "小结",
    "结语",
    "结论",
    "结束语",
    "后记",
    "致谢",
    "附录",
    "总则",
    "附则",
    "参考文献",
];

/// Nouns that end titles and headings: genres of documents and the words
/// headings are made of.
const HEADING_ENDS: &[&str] = &[
    "方案",
    "计划",
    "规划",
    "总结",
    "报告",
    "材料",
    "讲话",
    "讲话稿",
    "发言",
    "发言稿",
    "致辞",
    "演讲稿",
    "心得",
    "体会",
    "心得体会",
    "感悟",
    "有感",
    "感想",
    "范文",
    "笔记",
    "手册",
    "规定",
    "办法",
    "制度",
    "条例",
    "细则",
    "通知",
    "意见",
    "决定",
    "批复",
    "公告",
    "通报",
    "纪要",
    "课件",
    "教案",
    "指南",
    "规范",
    "标准",
    "合同",
    "协议",
    "论文",
    "研究",
    "分析",
    "思考",
    "探讨",
    "对策",
    "建议",
    "措施",
    "路径",
    "策略",
    "作用",
    "意义",
    "问题",
    "条件",
    "特点",
    "要点",
    "重点",
    "难点",
    "着力点",
    "原则",
    "目标",
    "任务",
    "要求",
    "内容",
    "背景",
    "现状",
    "成效",
    "成绩",
    "经验",
    "做法",
    "不足",
    "概述",
    "概况",
    "简介",
    "前言",
    "引言",
    "序言",
    "导言",
    "结语",
    "小结",
    "总则",
    "附则",
    "职责",
    "流程",
    "程序",
    "概念",
    "定义",
    "方法",
    "途径",
    "体系",
    "机制",
    "模式",
    "能力",
    "建设",
    "管理",
    "工作",
    "生产力",
    "优势",
    "挑战",
    "机遇",
    "趋势",
    "影响",
    "关系",
    "基础",
    "保障",
    "生态",
    "壁垒",
    "组合拳",
    "提升",
    "说明",
    "须知",
    "答案",
    "习题",
    "试题",
    "练习",
    "例题",
    "案例",
    "设计",
    "说明书",
    "任务书",
    "申请书",
    "责任书",
    "承诺书",
    "倡议书",
    "计划书",
    "方法论",
    "启示",
    "反思",
    "收获",
];

/// Characters a heading never ends with.
const BAD_HEADING_END: &[char] = &[
    '的', '和', '与', '及', '在', '对', '把', '被', '将', '为', '是', '从', '向', '以', '或', '并', '且', '而', '其',
    '这', '那', '各', '每', '某', '之', '于', '让', '使', '由', '给', '跟', '同', '也', '都', '就', '才', '又', '个',
    '“', '「', '《', '(', '（', '【', '、', '：', ':', '，', ',', '；', ';',
];

/// Characters a sentence never starts with.
const BAD_BODY_START: &[char] = &[
    '的', '了', '着', '过', '们', '地', '得', '之', '等', '和', '与', '及', '或', '并', '而', '且', '也', '都', '就',
    '才', '又', '所', '于', '者', '性', '化', '是', '吗', '呢', '吧', '啊', '么', '些',
];

/// Bylines and labels that start the text after a title.
const META_WORDS: &[&str] = &[
    "作者",
    "日期",
    "时间",
    "来源",
    "发布",
    "编者按",
    "摘要",
    "导语",
    "关键词",
    "目录",
    "目錄",
    "Abstract",
    "ABSTRACT",
];

/// What is being cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A section heading after its label.
    Heading,
    /// An essay or document title.
    Title,
}

/// A scored place to cut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cut {
    /// Byte offset in the scanned string.
    pub at: usize,
    /// Evidence for the cut.
    pub score: f32,
}

/// A set of words looked up by the characters at the start or the end of
/// a text, longest match first, without allocating.
struct WordSet {
    words: FxHashMap<Box<[char]>, &'static str>,
    longest: usize,
    /// The first and the last characters of the words: a text that opens
    /// (ends) with another character has no word to look up, and most
    /// places a cut is scored at are such (`None` when a word has a
    /// character beyond the plane).
    firsts: Option<BmpSet>,
    lasts: Option<BmpSet>,
}

impl WordSet {
    fn new(words: &[&'static str]) -> Self {
        let mut map = FxHashMap::default();
        let mut longest = 0;
        for w in words {
            let chars: Box<[char]> = w.chars().collect();
            longest = longest.max(chars.len());
            map.insert(chars, *w);
        }
        let firsts = BmpSet::from_chars(words.iter().filter_map(|w| w.chars().next()));
        let lasts = BmpSet::from_chars(words.iter().filter_map(|w| w.chars().next_back()));
        Self { words: map, longest, firsts, lasts }
    }

    /// Whether `s` is one of the words.
    fn holds(&self, s: &[char]) -> bool {
        s.len() <= self.longest && self.words.contains_key(s)
    }

    fn prefix_of(&self, s: &[char]) -> Option<&'static str> {
        if let (Some(set), Some(&c)) = (&self.firsts, s.first())
            && !set.contains(c)
        {
            return None;
        }
        (1..=self.longest.min(s.len())).rev().find_map(|k| self.words.get(&s[..k]).copied())
    }

    fn suffix_of(&self, s: &[char]) -> Option<&'static str> {
        if let (Some(set), Some(&c)) = (&self.lasts, s.last())
            && !set.contains(c)
        {
            return None;
        }
        (1..=self.longest.min(s.len())).rev().find_map(|k| self.words.get(&s[s.len() - k..]).copied())
    }
}

static SENTENCE_START_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(SENTENCE_STARTS));
static SENTENCE_ONLY_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(SENTENCE_ONLY_STARTS));
static HEADING_END_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(HEADING_ENDS));
static META_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(META_WORDS));
static CONNECTIVE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(CONNECTIVES));
static DOCUMENT_PART_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(DOCUMENT_PARTS));

// The character lists as bit sets: a cut is scored at every character of a
// heading zone, and a list of fifty is fifty comparisons for a character
// that is in none of them (most).
static BAD_HEADING_END_SET: LazyLock<BmpSet> = LazyLock::new(|| char_set(BAD_HEADING_END));
static BAD_BODY_START_SET: LazyLock<BmpSet> = LazyLock::new(|| char_set(BAD_BODY_START));
static SENTENCE_START_CHAR_SET: LazyLock<BmpSet> = LazyLock::new(|| char_set(SENTENCE_START_CHARS));

fn char_set(chars: &[char]) -> BmpSet {
    BmpSet::from_chars(chars.iter().copied()).expect("characters of the plane")
}

/// Pairs of characters counted over a text, to tell recurring words.
pub struct PairCounts<'t> {
    text: &'t str,
    /// Counted on the first look-up the searches cannot afford: many texts
    /// never need it.
    counts: OnceCell<PairTable>,
    /// Bytes of the text the searches have read.
    searched: Cell<usize>,
    /// The pairs answered by searches, with their counts.
    answers: RefCell<FxHashMap<(char, char), u32>>,
}

/// Look-ups are answered by searching the text for the pair until the
/// searches have read this many times the text. Counting every pair costs
/// about as much as forty searches of the text that find nothing (memmem
/// reads ~25 GB/s of Chinese text, counting ~0.5), and most texts are asked
/// about a dozen pairs.
const SEARCH_BUDGET: usize = 16;

/// Bytes a search is charged at least: one that stops early reads little
/// but still costs setting up, so a text asked about very many common
/// pairs is counted in the end.
const MIN_CHARGE: usize = 4096;

impl<'t> PairCounts<'t> {
    /// The pairs of adjacent Chinese characters of `text`, searched for or
    /// counted when first asked for.
    pub fn new(text: &'t str) -> Self {
        Self { text, counts: OnceCell::new(), searched: Cell::new(0), answers: RefCell::default() }
    }

    /// How often the pair occurs, up to 2: the question is only whether it
    /// recurs. The pair (simplified characters) counts every pair of
    /// Chinese characters of the text that simplifies to it.
    fn get(&self, pair: (char, char)) -> u32 {
        if let Some(table) = self.counts.get() {
            return table.get(pair.0, pair.1);
        }
        if let Some(&n) = self.answers.borrow().get(&pair) {
            return n;
        }
        if self.searched.get() < SEARCH_BUDGET.saturating_mul(self.text.len()) {
            let (n, read) = occurrences_up_to_2(self.text, pair);
            self.searched.set(self.searched.get() + read.max(MIN_CHARGE));
            self.answers.borrow_mut().insert(pair, n);
            return n;
        }
        self.counts.get_or_init(|| PairTable::count(self.text)).get(pair.0, pair.1)
    }
}

/// How often a pair of Chinese characters that simplifies to `a` then `b`
/// is written in `text`, up to 2, and how many bytes the searches read.
fn occurrences_up_to_2(text: &str, (a, b): (char, char)) -> (u32, usize) {
    let (mut n, mut read) = (0, 0);
    for x in forms(a).filter(|&x| is_han(x)) {
        for y in forms(b).filter(|&y| is_han(y)) {
            let (found, bytes) = occurrences_of(text, x, y, 2 - n);
            n += found;
            read += bytes;
            if n >= 2 {
                return (2, read);
            }
        }
    }
    (n, read)
}

/// How often `a` then `b` is written in `text`, up to `limit` (occurrences
/// may overlap: `aaa` holds `aa` twice), and how many bytes were read.
fn occurrences_of(text: &str, a: char, b: char, limit: u32) -> (u32, usize) {
    let mut pair = [0u8; 8];
    let len_a = a.encode_utf8(&mut pair).len();
    let len = len_a + b.encode_utf8(&mut pair[len_a..]).len();
    let finder = memchr::memmem::Finder::new(&pair[..len]);
    let bytes = text.as_bytes();
    let (mut n, mut from) = (0, 0);
    while n < limit {
        match finder.find(&bytes[from..]) {
            Some(i) => {
                n += 1;
                from += i + len_a;
            }
            None => return (n, bytes.len()),
        }
    }
    (n, from)
}

/// Pairs of adjacent Chinese characters of a text, counted up to 2. The
/// pairs of characters of the plane (nearly all) are `u32` keys in an
/// open-addressed table with a bit per slot for "seen twice": a quarter
/// of a general map's memory, and the fewer cache misses are what
/// counting a long essay's pairs spends its time on.
struct PairTable {
    keys: Vec<u32>,
    twice: Vec<u64>,
    /// log2 of the number of slots.
    bits: u32,
    /// Slots taken.
    used: usize,
    /// Pairs with a character beyond the plane.
    wide: FxHashMap<u64, u32>,
}

impl PairTable {
    fn count(text: &str) -> Self {
        // Sized for the distinct pairs of ordinary prose (a fraction of the
        // characters), and doubled when two-thirds full: sized for the
        // worst case (every pair distinct), a long essay's table would take
        // twice its text in memory.
        let slots = (text.len() / 16 + 64).next_power_of_two();
        let mut table = Self::with_slots(slots);
        let mut prev: Option<char> = None;
        for c in text.chars() {
            // Simplified forms of Chinese characters are Chinese characters.
            if !is_han(c) {
                prev = None;
                continue;
            }
            let c = simplified(c);
            if let Some(p) = prev {
                table.add(p, c);
            }
            prev = Some(c);
        }
        table
    }

    fn with_slots(slots: usize) -> Self {
        Self {
            keys: vec![0; slots],
            twice: vec![0; slots.div_ceil(64)],
            bits: slots.trailing_zeros(),
            used: 0,
            wide: FxHashMap::default(),
        }
    }

    /// Moves every pair into a table twice the size.
    fn grow(&mut self) {
        let mut bigger = Self::with_slots(self.keys.len() * 2);
        for (i, &key) in self.keys.iter().enumerate() {
            if key != 0 {
                let at = bigger.insert(key);
                if self.twice[i / 64] & (1 << (i % 64)) != 0 {
                    bigger.twice[at / 64] |= 1 << (at % 64);
                }
            }
        }
        bigger.wide = std::mem::take(&mut self.wide);
        *self = bigger;
    }

    /// The slot of `key`, taken if it was free (`used` counts them).
    fn insert(&mut self, key: u32) -> usize {
        let mask = self.keys.len() - 1;
        let mut i = self.slot(key);
        loop {
            match self.keys[i] {
                0 => {
                    self.keys[i] = key;
                    self.used += 1;
                    return i;
                }
                k if k == key => return i,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// The key of a pair of characters of the plane (never 0: a Chinese
    /// character is not NUL).
    fn key(a: char, b: char) -> Option<u32> {
        let (a, b) = (a as u32, b as u32);
        (a < 0x1_0000 && b < 0x1_0000).then_some(a << 16 | b)
    }

    fn slot(&self, key: u32) -> usize {
        (u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    fn add(&mut self, a: char, b: char) {
        let Some(key) = Self::key(a, b) else {
            *self.wide.entry(pair_key(a, b)).or_insert(0) += 1;
            return;
        };
        let before = self.used;
        let i = self.insert(key);
        if self.used == before {
            self.twice[i / 64] |= 1 << (i % 64);
        } else if self.used * 3 > self.keys.len() * 2 {
            self.grow();
        }
    }

    fn get(&self, a: char, b: char) -> u32 {
        let Some(key) = Self::key(a, b) else {
            return self.wide.get(&pair_key(a, b)).copied().unwrap_or(0).min(2);
        };
        let mask = self.keys.len() - 1;
        let mut i = self.slot(key);
        loop {
            match self.keys[i] {
                0 => return 0,
                k if k == key => return if self.twice[i / 64] & (1 << (i % 64)) != 0 { 2 } else { 1 },
                _ => i = (i + 1) & mask,
            }
        }
    }
}

fn pair_key(a: char, b: char) -> u64 {
    (a as u64) << 32 | b as u64
}

/// A full date opens the text: `2018年1月25日`, `（一九四四年九月八日）`.
/// A year alone (`2024年经济工作`) is not enough.
fn is_date_start(s: &[char]) -> bool {
    let paren = s.first().is_some_and(|&c| c == '(' || c == '（');
    let body: &[char] = if paren { &s[1..] } else { s };
    let is_cn =
        |c: char| matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '〇' | '零' | '○');
    let year = body.iter().take_while(|c| c.is_ascii_digit()).count();
    let year = if year == 4 { 4 } else { body.iter().take_while(|&&c| is_cn(c)).count() };
    if year != 4 || body.get(4) != Some(&'年') {
        return false;
    }
    let rest = &body[5..];
    let month = rest.iter().take_while(|&&c| c.is_ascii_digit() || is_cn(c)).count();
    (1..=3).contains(&month) && rest.get(month) == Some(&'月')
}

/// The most likely split of the scanned characters into words, computed
/// once per scan: where words end, and the class of the words on either
/// side of every boundary.
struct Words {
    boundary: Vec<bool>,
    ending: Vec<Class>,
    starting: Vec<Class>,
}

impl Words {
    fn new(cs: &[char]) -> Self {
        let n = cs.len();
        let mut boundary = vec![false; n + 1];
        let mut ending = vec![Class::Other; n + 1];
        let mut starting = vec![Class::Other; n + 1];
        boundary[0] = true;
        let mut start = 0;
        for (end, class) in lexicon::classed_words(cs) {
            boundary[end] = true;
            ending[end] = class;
            starting[start] = class;
            start = end;
        }
        Self { boundary, ending, starting }
    }

    fn is_boundary(&self, at: usize) -> bool {
        self.boundary.get(at).copied().unwrap_or(true)
    }

    fn ending_at(&self, at: usize) -> Class {
        if self.is_boundary(at) { self.ending.get(at).copied().unwrap_or(Class::Other) } else { Class::Other }
    }

    fn starting_at(&self, at: usize) -> Class {
        if self.is_boundary(at) { self.starting.get(at).copied().unwrap_or(Class::Other) } else { Class::Other }
    }
}

/// Scores a cut between `head` and `body`. `pairs` counts the character
/// pairs of the surrounding text: a cut through a pair that recurs there
/// splits a word (`托|盘` in a text about 托盘).
/// A cut's score before one last piece of evidence, which needs the pair
/// counts of the whole text: whether the cut splits a pair of characters
/// that recurs there. That evidence can only lower the score, so a cut
/// that loses without it never asks.
#[derive(Debug, Clone, Copy)]
struct Score {
    /// The score if the pair does not recur: an upper bound.
    at_most: f32,
    /// The pair the cut splits, when its recurring would lower the score.
    pair: Option<(char, char)>,
}

impl Score {
    /// The score, asking `pairs` if need be.
    fn settle(self, pairs: &PairCounts<'_>) -> f32 {
        match self.pair {
            Some(pair) if pairs.get(pair) >= 2 => self.at_most - 3.0,
            _ => self.at_most,
        }
    }
}

fn score(head: &[char], body: &[char], mode: Mode, words: &Words) -> Option<Score> {
    let (&last, &first) = (head.last()?, body.first()?);
    if first.is_whitespace() {
        return None;
    }
    // The rejections that need no look-up come first.
    if BAD_HEADING_END_SET.contains(last) {
        return None;
    }
    // Never inside a Latin word, except at a camel-case seam whose right
    // side repeats the left (`video4linux|Video4linux2`).
    let camel_seam = (last.is_ascii_lowercase() || last.is_ascii_digit()) && first.is_ascii_uppercase();
    if last.is_ascii_alphanumeric() && first.is_ascii_alphanumeric() && !camel_seam {
        return None;
    }
    if (is_cjk_punct(first) && !matches!(first, '“' | '「' | '【' | '《' | '（' | '『'))
        || matches!(first, ',' | '.' | ';' | ':' | '?' | '!' | ')')
    {
        return None;
    }
    let opener = SENTENCE_START_SET.prefix_of(body);
    // A byline word counts when a colon follows it (`作者：`, `日期:`).
    let meta = META_SET
        .prefix_of(body)
        .is_some_and(|w| body.get(w.chars().count()).is_some_and(|&c| matches!(c, ':' | '：' | ' ')));
    if BAD_BODY_START_SET.contains(first) && !is_date_start(body) && opener.is_none() && !meta {
        return None;
    }
    // A heading is not a bare connective (`除非|另外…`).
    if head.len() <= 3 && SENTENCE_START_SET.prefix_of(head).is_some_and(|w| w.chars().count() == head.len())
        || CONNECTIVE_SET.suffix_of(head).is_some()
    {
        return None;
    }
    let mut s = 0.0f32;
    if is_date_start(body) {
        s += 5.0;
    }
    if meta {
        s += 5.0;
    }
    if matches!(first, '“' | '「' | '【' | '『' | '"') {
        s += 2.0;
    }
    if matches!(last, '”' | '」' | '』' | '"' | '】') && is_han(first) {
        s += 2.0;
    }
    if is_han(last) && first.is_ascii_uppercase() && body.get(1).is_some_and(|&c| is_han(c)) {
        s += 3.0; // X区, A公司: a masked name opens the sentence
    } else if is_han(last) && first.is_ascii_alphanumeric() || last.is_ascii_alphanumeric() && is_han(first) {
        s += 1.0;
    }
    // The text repeats the heading's words: its first words or its last
    // (`三角形|三角形的特点`); a word from the middle of a long phrase is
    // weak evidence.
    let mut rep = 0.0f32;
    let same = |a: &[char], b: &[char]| a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y));
    // Where the body's first character occurs in the head: the only places
    // its first words can (the head is scanned once, not once a length).
    let mut starts = [0usize; 8];
    let mut n_starts = 0;
    // (Only a Latin letter has another case to compare.)
    let fold = first.is_ascii_alphabetic();
    for (j, c) in head.iter().enumerate() {
        if *c == first || fold && c.eq_ignore_ascii_case(&first) {
            if n_starts == starts.len() {
                // Many: every place is a start, as in a plain search.
                n_starts = usize::MAX;
                break;
            }
            starts[n_starts] = j;
            n_starts += 1;
        }
    }
    let first_in = |k: usize, needle: &[char]| -> Option<usize> {
        if n_starts == usize::MAX {
            head.windows(k).position(|w| same(w, needle))
        } else {
            starts[..n_starts].iter().copied().find(|&j| j + k <= head.len() && same(&head[j..j + k], needle))
        }
    };
    for k in (2..=4usize).rev() {
        if n_starts == 0 {
            break;
        }
        if body.len() < k || !body[..k].iter().all(|&c| is_han(c) || c.is_alphanumeric()) {
            continue;
        }
        let needle = &body[..k];
        if let Some(at) = first_in(k, needle) {
            // Two-character words recur all the time; longer ones less so.
            rep = match k {
                4 => 3.0,
                3 => 2.5,
                _ => 1.0,
            };
            let at_end = head.len() >= k && same(&head[head.len() - k..], needle);
            if at == 0 {
                rep += 1.0;
            } else if at > 2 && !at_end {
                rep /= 2.0;
            }
            break;
        }
    }
    // The whole heading, three characters or more, opens the text again
    // (`第一天|第一天：日月山`): the text restates its heading. Two
    // characters could be a reduplicated verb (`讨论讨论`).
    let restated = head.len() >= 3 && body.len() >= head.len() && same(head, &body[..head.len()]);
    if restated {
        rep = rep.max(5.0);
    }
    s += rep;
    let heading_end = HEADING_END_SET.suffix_of(head);
    // A title's topic comes back in the first sentences after it
    // (`托盘货架培训课件|仓储系统…，托盘货架是…`), when the title ends
    // like one.
    if mode == Mode::Title
        && rep == 0.0
        && head.len() >= 6
        && heading_end.is_some()
        && head[..4].iter().all(|&c| is_han(c))
        && body[..body.len().min(60)].windows(4).any(|w| w == &head[..4])
    {
        s += 1.0;
    }
    // The heading is the name of a part of a document (`前言|青海…`).
    if head.len() <= 5 && DOCUMENT_PART_SET.holds(head) {
        s += 3.0;
    }
    // A Latin word repeated, case aside (`什么是video4linux|Video4linux2`).
    if last.is_ascii_alphanumeric() && first.is_ascii_alphanumeric() {
        let head_word = head.iter().rev().take_while(|c| c.is_ascii_alphanumeric()).count();
        let body_word = body.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if head_word >= 4 && body_word >= head_word && same(&head[head.len() - head_word..], &body[..head_word]) {
            s += 3.0;
        }
    }
    if let Some(w) = opener {
        s += if w.chars().count() >= 2 { 2.0 } else { 1.0 };
        // `在当前…`, `从我们…`: a preposition opening a phrase.
        if w.chars().count() == 1 && SENTENCE_START_SET.prefix_of(&body[1..]).is_some_and(|w| w.chars().count() >= 2) {
            s += 1.5;
        }
        // Short headings (`学习和成长|有时候…`) are the common case.
        if head.len() <= 6 && w.chars().count() >= 2 {
            s += 1.0;
        }
    } else if SENTENCE_START_CHAR_SET.contains(first) {
        s += 1.0;
        if SENTENCE_START_SET.prefix_of(&body[1..]).is_some_and(|w| w.chars().count() >= 2) {
            s += 1.5;
        }
    }
    // `…的作用|管理者在…`: after a heading-like noun phrase, a short
    // subject, then a preposition or a modal verb: a clause opens.
    let n = head.len();
    let noun_phrase = (2..=4).any(|k| n > k && head[n - k] == '的') || heading_end.is_some();
    if mode == Mode::Heading
        && noun_phrase
        && let Some(pos) = body.iter().take(4).position(|&c| SUBJECT_THEN.contains(&c))
        && (2..=3).contains(&pos)
        && body[..pos].iter().all(|&c| is_han(c))
        && words.starting_at(head.len()) != Class::Particle
        && body[pos - 1] != '的'
        // The character is a word of its own (`在`), not the start of one
        // (`应用`).
        && words.is_boundary(head.len() + pos)
        && words.is_boundary(head.len() + pos + 1)
    {
        s += 1.0;
    }
    // `科技是第一生产力`: a short subject, then 是.
    if let Some(pos) = body.iter().take(5).position(|&c| c == '是')
        && pos >= 1
        && body[..pos].iter().all(|&c| is_han(c))
    {
        s += 2.0;
    }
    if let Some(w) = heading_end {
        s += if mode == Mode::Title && w.chars().count() >= 2 { 2.0 } else { 1.5 };
    }
    // `…的条件`, `…的新特点`: a noun phrase closed by its head noun.
    let n = head.len();
    if is_han(last) && (2..=4).any(|k| n > k && head[n - k] == '的') {
        s += 1.0;
    }
    if head.len() < 2 {
        s -= 2.0;
    }
    // Never inside a word: by the lexicon's most likely split of the
    // characters around the cut, or by a pair of characters that recurs in
    // the paragraph (a word the lexicon does not know, `托|盘`).
    let at = head.len();
    let splits_known_word = is_han(last) && is_han(first) && !words.is_boundary(at);
    // (A restated heading makes its own seam recur.)
    let may_split_recurring_pair = is_han(last) && is_han(first) && !restated;
    if splits_known_word {
        s -= 3.0;
    }
    // The grammar on either side: a heading ends with a noun, never with a
    // particle, preposition or conjunction; a sentence opens with a
    // pronoun, a conjunction, a preposition or a time word.
    let (before, after) = (words.ending_at(at), words.starting_at(at));
    match before {
        Class::Particle | Class::Preposition | Class::Conjunction => s -= 3.0,
        Class::Noun if heading_end.is_none() => s += 0.5,
        _ => {}
    }
    match after {
        Class::Pronoun | Class::Conjunction | Class::Preposition | Class::Time if opener.is_none() => s += 1.0,
        Class::Adverb if opener.is_none() => s += 0.5,
        Class::Particle => s -= 3.0,
        Class::Locality => s -= 1.0,
        _ => {}
    }
    // `…的要求|使用、维护、保养…`: the text after the cut is an enumeration
    // that runs on from the words before it.
    if body.iter().take(4).skip(1).any(|&c| c == '、') {
        s -= 2.0;
    }
    // (Scores are sums of halves and quarters, exact in any order.)
    let pair = (!splits_known_word && may_split_recurring_pair).then_some((last, first));
    Some(Score { at_most: s, pair })
}

/// The best place to cut `s` into a heading and its text, looking at most
/// `max_chars` characters in. Returns the byte offset of the cut when the
/// evidence reaches `threshold`. Cuts never fall inside quotation marks or
/// brackets.
pub fn best_cut(s: &str, max_chars: usize, threshold: f32, mode: Mode) -> Option<Cut> {
    best_cut_in(s, &PairCounts::new(s), max_chars, threshold, mode)
}

/// The score of every possible cut of `s` (byte offset, score; `None`
/// where a cut is never taken), for tools that show how a cut was chosen.
pub fn explain_cuts(s: &str, mode: Mode) -> Vec<(usize, Option<f32>)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let cs: Vec<char> = chars.iter().map(|c| simplified(c.1)).collect();
    let pairs = PairCounts::new(s);
    let words = Words::new(&cs);
    (1..cs.len()).map(|p| (chars[p].0, score(&cs[..p], &cs[p..], mode, &words).map(|s| s.settle(&pairs)))).collect()
}

/// Keeps the cut at byte `at` (character `p`) in `best` when it reaches
/// `threshold` and beats it; `raw` turns the cut's score into its evidence.
fn consider(
    best: &mut Option<(Cut, f32)>,
    at: usize,
    p: usize,
    score: Score,
    raw: impl Fn(f32) -> f32,
    threshold: f32,
    pairs: &PairCounts<'_>,
) {
    let wins = |raw: f32, best: &Option<(Cut, f32)>| {
        raw >= threshold && best.is_none_or(|(_, adjusted)| raw - 0.12 * p as f32 > adjusted)
    };
    // The pair counts are asked only when the cut would win without them.
    if wins(raw(score.at_most), best) {
        let raw = raw(score.settle(pairs));
        if wins(raw, best) {
            *best = Some((Cut { at, score: raw }, raw - 0.12 * p as f32));
        }
    }
}

/// [`best_cut`] with the pairs of characters counted over the text `s`
/// belongs to (the essay or the line), so that recurring words are known.
pub fn best_cut_in(s: &str, pairs: &PairCounts<'_>, max_chars: usize, threshold: f32, mode: Mode) -> Option<Cut> {
    // Some evidence reads the text after a cut (a title's topic coming
    // back), so the window reaches past the last cut considered.
    // Sized once: a window is at most one character a byte.
    let window = s.len().min(max_chars + BODY_WINDOW);
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(window);
    chars.extend(s.char_indices().take(max_chars + BODY_WINDOW));
    // Cues are written in simplified characters; mirrors serve traditional.
    let cs: Vec<char> = chars.iter().map(|c| simplified(c.1)).collect();
    let words = Words::new(&cs);
    let mut depth = 0i32;
    let mut best: Option<(Cut, f32)> = None;
    for p in 1..chars.len().min(max_chars + 1) {
        match cs[p - 1] {
            '“' | '「' | '『' | '《' | '（' | '(' | '【' | '[' => depth += 1,
            '”' | '」' | '』' | '》' | '）' | ')' | '】' | ']' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth > 0 {
            continue;
        }
        // A space is a cut of its own: heading before it, text after it.
        if cs[p] == ' ' {
            // Not before a number (`工作 1-3年`): PDF spacing, not a break.
            if p + 1 < cs.len() && !cs[p - 1].is_ascii_alphanumeric() && cs[p + 1] != ' ' && !cs[p + 1].is_ascii_digit()
            {
                // The space counts only where a cut is possible at all.
                let Some(bonus) = score(&cs[..p], &cs[p + 1..], mode, &words) else {
                    continue;
                };
                consider(&mut best, chars[p].0, p, bonus, |b| 3.0 + b.clamp(0.0, 3.0), threshold, pairs);
            }
            continue;
        }
        let Some(score) = score(&cs[..p], &cs[p..], mode, &words) else {
            continue;
        };
        consider(&mut best, chars[p].0, p, score, |s| s, threshold, pairs);
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sets_hold_what_their_lists_do() {
        for c in (0..0x1_0000u32).filter_map(char::from_u32) {
            assert_eq!(BAD_HEADING_END_SET.contains(c), BAD_HEADING_END.contains(&c), "{c}");
            assert_eq!(BAD_BODY_START_SET.contains(c), BAD_BODY_START.contains(&c), "{c}");
            assert_eq!(SENTENCE_START_CHAR_SET.contains(c), SENTENCE_START_CHARS.contains(&c), "{c}");
        }
        for w in DOCUMENT_PARTS {
            let chars: Vec<char> = w.chars().collect();
            assert!(DOCUMENT_PART_SET.holds(&chars), "{w}");
        }
        assert!(!DOCUMENT_PART_SET.holds(&['前', '言', '们']));
    }

    #[test]
    fn pair_counts_are_the_pairs_of_chinese_characters_up_to_two() {
        let seed = include_str!("../../fixtures/dumps/01_taowenge_qiyepeixun.txt");
        // Traditional forms count as their simplified ones; characters
        // beyond the plane (𠀀, 𪚥) are counted too.
        let text = format!("{seed}學習学习𠀀𪚥𠀀𪚥 𪚥𠀀 a中b中c");
        let pairs = PairCounts::new(&text);
        let mut naive: std::collections::HashMap<(char, char), u32> = Default::default();
        let cs: Vec<char> = text.chars().collect();
        for w in cs.windows(2) {
            if is_han(w[0]) && is_han(w[1]) {
                *naive.entry((simplified(w[0]), simplified(w[1]))).or_default() += 1;
            }
        }
        assert!(naive.values().any(|&n| n >= 2) && naive.values().any(|&n| n == 1));
        for (&(a, b), &n) in &naive {
            assert_eq!(pairs.get((a, b)), n.min(2), "{a}{b}");
            // Asked first, before any counting: by search when it can be.
            assert_eq!(PairCounts::new(&text).get((a, b)), n.min(2), "{a}{b}, first asked");
        }
        assert!(naive.keys().any(|&(a, b)| forms(a).count() + forms(b).count() > 2), "pairs of several forms");
        assert_eq!(PairCounts::new("好好好").get(('好', '好')), 2, "overlapping");
        assert_eq!(PairCounts::new("好好").get(('好', '好')), 1);
        assert_eq!(PairCounts::new("学習学習").get(('学', '习')), 2, "習 is a form of 习");
        assert_eq!(pairs.get(('学', '习')), 2);
        assert_eq!(pairs.get(('𠀀', '𪚥')), 2);
        assert_eq!(pairs.get(('𪚥', '𠀀')), 2);
        assert_eq!(pairs.get(('中', 'b')), 0, "not Chinese on both sides");
        assert_eq!(pairs.get(('鑫', '龘')), 0);
        let table = pairs.counts.get().expect("counted");
        assert!(table.keys.len() > (text.len() / 16 + 64).next_power_of_two(), "the table grew on the way");
    }

    fn heading(s: &str) -> Option<&str> {
        best_cut(s, 40, 3.0, Mode::Heading).map(|c| &s[..c.at])
    }

    fn title(s: &str) -> Option<&str> {
        best_cut(s, 60, 3.0, Mode::Title).map(|c| &s[..c.at])
    }

    // Each case is from the seed dump (../shared/seeds) or the simulated
    // dumps (../shared/sim), whose originals show where the heading ended.
    #[test]
    fn glued_headings() {
        let cases = [
            (
                "科技革命驱动产业变革引致生产力跃迁的条件科技革命是产业变革的源头和基础动力",
                "科技革命驱动产业变革引致生产力跃迁的条件",
            ),
            ("发展现状成效X区作为全国首批国家智慧城市试点区县", "发展现状成效"),
            ("聚焦打破科技创新壁垒近年来", "聚焦打破科技创新壁垒"),
            ("产学研用融合发展不足产学研用融合发展是实施创新驱动发展战略的关键环节", "产学研用融合发展不足"),
            (
                "科技创新与产业发展融合度仍需提升想要把科技创新的成果真正运用到产业发展中",
                "科技创新与产业发展融合度仍需提升",
            ),
            ("低代码与无代码低代码和无代码概念相近", "低代码与无代码"),
            ("2020年初立的flag我们先看一下2009年的", "2020年初立的flag"),
            ("学习和成长有时候我们会问自己", "学习和成长"),
            ("前言之前我觉得商业化对于研发的同学来说距离还是很远", "前言"),
            ("前言青海敦煌大环线七日游", "前言"),
            ("第一天第一天", "第一天"),
            // dumps/01: a subject and a preposition open the text.
            ("企业培训与开发的作用管理者在对企业的发展上应该考虑到", "企业培训与开发的作用"),
        ];
        for (text, want) in cases {
            assert_eq!(heading(text), Some(want), "{text}");
        }
    }

    #[test]
    fn glued_titles() {
        let cases = [
            (
                "抓住新一轮科技革命和产业变革机遇加速形成新质生产力习近平总书记在中共中央政治局第十一次集体学习时强调",
                "抓住新一轮科技革命和产业变革机遇加速形成新质生产力",
            ),
            (
                "关于新质生产力发展现状成效、存在问题中央经济工作会议定调2024年经济工作",
                "关于新质生产力发展现状成效、存在问题",
            ),
            ("抓好新质生产力发展的“一二三”今年的政府工作报告中", "抓好新质生产力发展的“一二三”"),
            ("松宝写代码个人年终总结:未来可期作者: 松宝写代码", "松宝写代码个人年终总结:未来可期"),
            ("为人民服务（一九四四年九月八日）这是毛泽东", "为人民服务"),
            ("项目管理培训有感最近有个项目管理培训", "项目管理培训有感"),
            (
                "大力发展新质生产力心得体会研讨发言材料今年是中华人民共和国成立75周年",
                "大力发展新质生产力心得体会研讨发言材料",
            ),
            ("海康系列主机远程对讲实现方法 以DS-7804H-ST为例", "海康系列主机远程对讲实现方法"),
            // dumps/17: the title's topic comes back after the first clause.
            ("托盘货架培训课件仓储系统核心基础设施,托盘货架是现代物流中不可或缺的重要组成部分", "托盘货架培训课件"),
        ];
        for (text, want) in cases {
            assert_eq!(title(text), Some(want), "{text}");
        }
    }

    #[test]
    fn sentences_are_not_cut() {
        for text in [
            "发展新质生产力是推动高质量发展的内在要求和重要着力点",
            "“要牢牢把握高质量发展这个首要任务",
            "“新质生产力”是习近平总书记在黑龙江考察期间提出的一个令人耳目一新的词语",
        ] {
            assert_eq!(title(text), None, "{text}");
        }
    }
}
