//! The seed dump (fixtures/seed) in four forms — UTF-8 text, GB18030 text,
//! python-docx and LibreOffice .docx — gives the records its hand-made
//! annotation (../shared/gold/seed.gold.json) describes.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::{as_csv_cell, convert, csv_rows, fixture, jsonl, root, tempdir, wenku};

/// Essay titles of the seed, from its annotation.
const SEED_TITLES: [Option<&str>; 7] = [
    Some("抓住新一轮科技革命和产业变革机遇加速形成新质生产力"),
    Some("关于新质生产力发展现状成效、存在问题"),
    Some("抓好新质生产力发展的“一二三”"),
    Some("三个维度因地制宜发畏新质生产力"),
    None,
    None,
    None,
];

/// (essay, level, label, heading) of the seed's 18 sections, from its
/// annotation. Texts keep the dump's ASCII commas (run with --punct keep).
const SEED_SECTIONS: [(u64, u64, &str, &str); 18] = [
    (1, 1, "一、", "科技革命驱动产业变革引致生产力跃迁的条件"),
    (1, 1, "二、", "新一轮科技革命和产业变革下新质生产力形成的新特点"),
    (1, 1, "三、", "加速新质生产力形成的着力点"),
    (2, 1, "一、", "发展现状成效"),
    (2, 2, "1、", "聚焦打破科技创新壁垒"),
    (2, 2, "2、", "打出人才引育组合拳"),
    (2, 1, "二、", "存在的问题"),
    (2, 2, "1、", "产学研用融合发展不足"),
    (2, 2, "2、", "科技创新与产业发展融合度仍需提升"),
    (2, 1, "三、", "相关建议"),
    (2, 2, "1、", "完善科技创新生态"),
    (2, 2, "2、", "构建现代化产业体系"),
    (4, 1, "第一,", "高质量发展是因地制宜发展新质生产力的首要任务"),
    (4, 1, "第二,", "符合地区实际是因地制宜发展新质生产力”的核心要义"),
    (4, 1, "第三,", "采用先进科技是因地制宜发展新质生产力的基本前提"),
    (4, 1, "第一,", "用好地区资源禀赋,找准具有优势基础的领域布局新赛道"),
    (4, 1, "第二,", "改造提升传统产业,打造具有地方特色的数字经济新产业"),
    (4, 1, "第三,", "依托国家项目支持,培育具有广阔前景的经济发展新动能"),
];

fn by_doc(rows: &[Value]) -> BTreeMap<String, Vec<&Value>> {
    let mut map: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for r in rows {
        map.entry(r["doc_id"].as_str().unwrap().to_string()).or_default().push(r);
    }
    map
}

#[test]
fn seed_in_every_form_gives_the_annotated_records() {
    let out = tempdir();
    assert_eq!(convert(out.path(), &[&fixture("seed")], &["--punct", "keep"]), 0);
    let docs = jsonl(&out.path().join("documents.jsonl"));
    let essays = jsonl(&out.path().join("essays.jsonl"));
    let sections = jsonl(&out.path().join("sections.jsonl"));
    let essays = by_doc(&essays);
    let sections = by_doc(&sections);
    let formats: Vec<(&str, &str)> =
        docs.iter().map(|d| (d["format"].as_str().unwrap(), d["encoding"].as_str().unwrap_or("-"))).collect();
    assert_eq!(formats, [("text", "GB18030"), ("docx", "-"), ("docx", "-"), ("text", "UTF-8")]);
    for doc in &docs {
        let source = doc["source"].as_str().unwrap();
        assert_eq!(doc["status"], "ok", "{source}");
        assert_eq!(doc["title"], "“新质生产力”研讨交流材料及心得感悟8篇", "{source}");
        assert_eq!(doc["file_name"], "“新质生产力”研讨交流材料及心得感悟8篇.docx", "{source}");
        assert_eq!(doc["site"], "课桌文档", "{source}");
        assert_eq!(doc["declared_pages"], 19, "{source}");
        assert_eq!(doc["declared_essays"], 8, "{source}");
        assert_eq!(doc["truncated"], true, "{source}");
        assert_eq!(doc["chunk_markers"], 49, "{source}");
        assert_eq!(doc["essays"], 7, "{source}");
        assert_eq!(doc["sections"], 18, "{source}");
        let id = doc["doc_id"].as_str().unwrap();
        let titles: Vec<Option<&str>> = essays[id].iter().map(|e| e["title"].as_str()).collect();
        assert_eq!(titles, SEED_TITLES, "{source}");
        let markers: Vec<&str> = essays[id].iter().map(|e| e["marker"].as_str().unwrap()).collect();
        assert_eq!(markers, ["第1篇", "第2篇", "第3篇", "第4篇", "第5篇", "第6篇", "第7篇"], "{source}");
        let got: Vec<(u64, u64, &str, &str)> = sections[id]
            .iter()
            .map(|s| {
                (
                    s["essay_no"].as_u64().unwrap(),
                    s["level"].as_u64().unwrap(),
                    s["label"].as_str().unwrap(),
                    s["heading"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, SEED_SECTIONS, "{source}");
        // Only the last essay of a truncated document is truncated.
        let truncated: Vec<bool> = essays[id].iter().map(|e| e["truncated"].as_bool().unwrap()).collect();
        assert_eq!(truncated, [false, false, false, false, false, false, true], "{source}");
    }
}

#[test]
fn boilerplate_goes_and_chunks_are_joined() {
    let out = tempdir();
    assert_eq!(convert(out.path(), &[&fixture("seed/seed.txt")], &["--punct", "keep"]), 0);
    let essays = jsonl(&out.path().join("essays.jsonl"));
    let all: String = essays.iter().map(|e| e["text"].as_str().unwrap()).collect();
    for leak in ["由会员分享", "可在线阅读", "珍藏版", "请在课桌文档上搜索"] {
        assert!(!all.contains(leak), "{leak} leaked");
    }
    // Words the chunk counters cut in two are whole again (chunks 1|2, 2|3,
    // 46|47 of the dump).
    for joined in ["人类生产力发展呈现非线性过程", "在此过程中,不断涌现的突破性", "渗透在生产力诸多要素中"]
    {
        assert!(all.contains(joined), "{joined} not joined");
    }
    // No counter is left where a chunk began.
    assert!(!all.contains("呈现2、非线性"));
    let e1 = &essays[0];
    assert!(e1["text"].as_str().unwrap().starts_with("习近平总书记在中共中央政治局第十一次集体学习时强调"));
    assert_eq!(essays[6]["text"].as_str().unwrap().chars().rev().take(7).collect::<String>(), "是就说上本根从");
}

#[test]
fn csv_jsonl_and_json_say_the_same() {
    let out = tempdir();
    assert_eq!(convert(out.path(), &[&fixture("")], &[]), 0);
    for table in ["documents", "essays", "sections"] {
        let rows = jsonl(&out.path().join(format!("{table}.jsonl")));
        let csv = csv_rows(&out.path().join(format!("{table}.csv")));
        assert_eq!(rows.len(), csv.len(), "{table}");
        for (j, c) in rows.iter().zip(&csv) {
            let j = j.as_object().unwrap();
            assert_eq!(j.keys().collect::<Vec<_>>(), c.keys().collect::<Vec<_>>(), "{table} columns");
            for (k, v) in j {
                assert_eq!(as_csv_cell(v), c[k], "{table}.{k}");
            }
        }
    }
    let docs = jsonl(&out.path().join("documents.jsonl"));
    let essays = jsonl(&out.path().join("essays.jsonl"));
    let sections = jsonl(&out.path().join("sections.jsonl"));
    let json_files = std::fs::read_dir(out.path().join("json")).unwrap().count();
    assert_eq!(json_files, docs.len());
    for doc in &docs {
        let id = doc["doc_id"].as_str().unwrap();
        let nested: Value =
            serde_json::from_str(&std::fs::read_to_string(out.path().join("json").join(format!("{id}.json"))).unwrap())
                .unwrap();
        assert_eq!(&nested["document"], doc);
        let mine: Vec<&Value> = essays.iter().filter(|e| e["doc_id"] == id).collect();
        let nested_essays = nested["essays"].as_array().unwrap();
        assert_eq!(nested_essays.len(), mine.len());
        for (n, e) in nested_essays.iter().zip(&mine) {
            assert_eq!(n["text"], e["text"]);
            assert_eq!(n["title"], e["title"]);
        }
        // Every section appears once in the nested tree.
        fn count(v: &Value) -> usize {
            v.as_array().map_or(0, |a| a.iter().map(|s| 1 + count(&s["children"])).sum())
        }
        let in_tree: usize = nested_essays.iter().map(|e| count(&e["sections"])).sum();
        assert_eq!(in_tree, sections.iter().filter(|s| s["doc_id"] == id).count());
    }
}

#[test]
fn the_number_of_jobs_does_not_change_a_byte() {
    let (a, b) = (tempdir(), tempdir());
    assert_eq!(convert(a.path(), &[&fixture("")], &["-j", "1"]), 0);
    assert_eq!(convert(b.path(), &[&fixture("")], &["-j", "3"]), 0);
    for f in ["documents.csv", "essays.csv", "sections.csv", "documents.jsonl", "essays.jsonl", "sections.jsonl"] {
        assert_eq!(std::fs::read(a.path().join(f)).unwrap(), std::fs::read(b.path().join(f)).unwrap(), "{f}");
    }
}

#[test]
fn doc_ids_are_unique_and_stable() {
    let (a, b) = (tempdir(), tempdir());
    assert_eq!(convert(a.path(), &[&fixture("")], &[]), 0);
    assert_eq!(convert(b.path(), &[&fixture("")], &[]), 0);
    let ids = |p: &std::path::Path| -> Vec<String> {
        jsonl(&p.join("documents.jsonl")).iter().map(|d| d["doc_id"].as_str().unwrap().to_string()).collect()
    };
    let (ia, ib) = (ids(a.path()), ids(b.path()));
    assert_eq!(ia, ib);
    let mut unique = ia.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ia.len());

    // Two copies of one folder under the same name (`x/dumps`, `y/dumps`):
    // each file's copies get ids of their own, and JSON files of their own.
    let (work, out) = (tempdir(), tempdir());
    for copy in ["x", "y"] {
        let dir = work.path().join(copy).join("dumps");
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(fixture("dumps")).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let inputs = [work.path().join("x/dumps"), work.path().join("y/dumps")];
    assert_eq!(convert(out.path(), &[&inputs[0], &inputs[1]], &[]), 0);
    let ids = ids(out.path());
    let files = std::fs::read_dir(fixture("dumps")).unwrap().count();
    assert_eq!(ids.len(), 2 * files);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert_eq!(std::fs::read_dir(out.path().join("json")).unwrap().count(), ids.len());
}

#[test]
fn default_run_converts_the_fixtures() {
    let out = tempdir();
    let o = wenku(&root(), &["-o", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = String::from_utf8_lossy(&o.stdout);
    assert!(summary.contains("0 failed"), "{summary}");
    let docs = jsonl(&out.path().join("documents.jsonl"));
    let sources: Vec<&str> = docs.iter().map(|d| d["source"].as_str().unwrap()).collect();
    assert!(sources.contains(&"fixtures/seed/seed.txt"), "{sources:?}");
    assert!(sources.iter().all(|s| !s.ends_with(".py") && !s.ends_with(".md")), "{sources:?}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["documents"], docs.len());
    assert!(report["skipped"].as_array().unwrap().iter().any(|s| s.as_str().unwrap().ends_with("make_fixtures.py")));
}

#[test]
fn exit_status_says_what_happened() {
    let out = tempdir();
    let bad = out.path().join("bad.pdf");
    std::fs::write(&bad, b"%PDF-1.4 not really").unwrap();
    assert_eq!(convert(&out.path().join("o1"), &[&fixture("seed/seed.txt")], &[]), 0);
    assert_eq!(convert(&out.path().join("o2"), &[&fixture("seed/seed.txt"), &bad], &[]), 1);
    let o = wenku(&root(), &["--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    let o = wenku(&root(), &["--punct", "wide", "fixtures"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn text_subcommand_prints_the_clean_text() {
    let o = wenku(&root(), &["text", "fixtures/seed/seed.gb18030.txt"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with("“新质生产力”研讨交流材料及心得感悟8篇第1篇抓住新一轮科技革命"));
    assert!(!text.contains("由会员分享"));
    // The default punctuation policy makes commas in Chinese prose
    // full-width.
    assert!(text.contains("新质生产力是创新起主导作用，摆脱传统经济增长方式"));
}

#[test]
fn excel_csv_starts_with_a_bom_and_nothing_else_changes() {
    let (a, b) = (tempdir(), tempdir());
    assert_eq!(convert(a.path(), &[&fixture("seed/seed.txt")], &[]), 0);
    assert_eq!(convert(b.path(), &[&fixture("seed/seed.txt")], &["--excel"]), 0);
    let plain = std::fs::read(a.path().join("essays.csv")).unwrap();
    let excel = std::fs::read(b.path().join("essays.csv")).unwrap();
    assert_eq!(&excel[..3], b"\xEF\xBB\xBF");
    assert_eq!(&excel[3..], &plain[..]);
}
