//! Names of hosting sites: the brand a user would recognise, from what a
//! header sentence or a page banner says.

/// Known site spellings (as they appear in headers, banners and domains)
/// and the short brand name wenku records for them.
const KNOWN: &[(&str, &str)] = &[
    ("人人文库", "人人文库"),
    ("renrendoc", "人人文库"),
    ("课桌文档", "课桌文档"),
    ("原创力文档", "原创力文档"),
    ("book118", "原创力文档"),
    ("道客巴巴", "道客巴巴"),
    ("doc88", "道客巴巴"),
    ("豆丁", "豆丁网"),
    ("docin", "豆丁网"),
    ("金锄头文库", "金锄头文库"),
    ("淘文阁", "淘文阁"),
    ("taowenge", "淘文阁"),
    ("冰豆网", "冰豆网"),
    ("bdocx", "冰豆网"),
    ("三一文库", "三一文库"),
    ("31doc", "三一文库"),
    ("三一办公", "三一办公"),
    ("31ppt", "三一办公"),
    ("咨信网", "咨信网"),
    ("淘豆网", "淘豆网"),
    ("taodocs", "淘豆网"),
    ("百度文库", "百度文库"),
    ("wenku.baidu", "百度文库"),
    ("爱问共享资料", "爱问共享资料"),
    ("ishare", "爱问共享资料"),
    ("文秘之友", "文秘之友"),
    ("范文社", "范文社"),
    ("得力文库", "得力文库"),
    ("装配图网", "装配图网"),
    ("毕设资料网", "毕设资料网"),
    ("文档之家", "文档之家"),
    ("第一范文网", "第一范文网"),
];

/// The short brand name of a site as written in a header (`人人文库网`,
/// `淘文阁 - 分享文档赚钱的网站`, `www.taodocs.com`).
pub fn canonical_site(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_matches(|c: char| c == '“' || c == '”' || c == '"');
    if raw.is_empty() {
        return None;
    }
    let lower = raw.to_lowercase();
    for (needle, brand) in KNOWN {
        if lower.contains(needle) {
            return Some((*brand).to_string());
        }
    }
    // An unknown site: its name before any slogan (`X - 分享文档赚钱的网站`),
    // without a trailing `网站`/`平台`, and `X文库网` → `X文库`.
    let name = raw.split([' ', '-', '—', '|', '｜', '(', '（']).find(|s| !s.is_empty()).unwrap_or(raw);
    let name = name.strip_suffix("网站").or_else(|| name.strip_suffix("平台")).unwrap_or(name);
    let name = if name.ends_with("文库网") { name.strip_suffix('网').unwrap_or(name) } else { name };
    let count = name.chars().count();
    (1..=16).contains(&count).then(|| name.to_string())
}

/// A site named in the text by its domain or a banner line, e.g.
/// `来自淘豆网www.taodocs.com` or `欢迎来到三一办公!`.
pub fn site_in_text(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    KNOWN.iter().find(|(needle, _)| lower.contains(needle)).map(|(_, brand)| (*brand).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands() {
        assert_eq!(canonical_site("人人文库网").as_deref(), Some("人人文库"));
        assert_eq!(canonical_site("淘文阁 - 分享文档赚钱的网站").as_deref(), Some("淘文阁"));
        assert_eq!(canonical_site("课桌文档").as_deref(), Some("课桌文档"));
        assert_eq!(canonical_site("冰豆网").as_deref(), Some("冰豆网"));
        assert_eq!(canonical_site("星火文库网").as_deref(), Some("星火文库"));
        assert_eq!(canonical_site("某某资料 - 专业文档分享平台").as_deref(), Some("某某资料"));
    }
}
