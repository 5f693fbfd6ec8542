//! The shared corpora (`../shared/corpora`, see its README): .docx test
//! files of pandoc, docling, mammoth, Apache POI and others, with the
//! outputs those projects expect. The files are read in place, never
//! copied here; without the corpora these tests pass without checking.
//!
//! What is compared is the text wenku reads before any cleaning: the
//! blocks of `wenku::extract::extract` joined by line breaks (notes after
//! the body as `[n] text`), with comments and headers and footers off
//! unless the reference includes them. Scores are token F1 over bags of
//! tokens: runs of letters and digits (lower-cased) and single CJK
//! characters, so layout (pandoc's ASCII tables, Markdown syntax, line
//! breaks) does not count. Run with `--nocapture` to see the tables.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use wenku::convert::convert_bytes;
use wenku::extract::{ExtractError, Limits, extract};
use wenku::{Options, PunctPolicy};

use super::util::{blocks_with, corpora, text_of};

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// The bag of tokens of a text.
fn tokens(text: &str) -> HashMap<String, u32> {
    let mut bag = HashMap::new();
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_cjk(c) || !c.is_alphanumeric() {
            if !word.is_empty() {
                *bag.entry(std::mem::take(&mut word)).or_default() += 1;
            }
            if is_cjk(c) {
                *bag.entry(c.to_string()).or_default() += 1;
            }
        } else {
            word.extend(c.to_lowercase());
        }
    }
    bag
}

type Bag = HashMap<String, u32>;

/// Token F1 of `ours` against `reference` (1 when both are empty).
fn f1(a: &Bag, b: &Bag) -> f64 {
    let total: u32 = a.values().sum::<u32>() + b.values().sum::<u32>();
    if total == 0 {
        return 1.0;
    }
    let common: u32 = a.iter().map(|(t, n)| (*n).min(b.get(t).copied().unwrap_or(0))).sum();
    2.0 * f64::from(common) / f64::from(total)
}

/// The tokens one side has and the other lacks, for the report.
fn difference(a: &Bag, b: &Bag) -> (Vec<String>, Vec<String>) {
    let less = |x: &Bag, y: &Bag| {
        let mut d: Vec<String> = x
            .iter()
            .filter(|(t, n)| y.get(*t).copied().unwrap_or(0) < **n)
            .map(|(t, n)| format!("{t}×{}", n - y.get(t).copied().unwrap_or(0)))
            .collect();
        d.sort();
        d.truncate(8);
        d
    };
    (less(b, a), less(a, b))
}

struct Score {
    name: String,
    f1: f64,
    missing: Vec<String>,
    extra: Vec<String>,
}

fn score(name: String, ours: &str, reference: &str) -> Score {
    score_bags(name, &tokens(ours), &tokens(reference))
}

fn score_bags(name: String, ours: &Bag, reference: &Bag) -> Score {
    let (missing, extra) = difference(ours, reference);
    Score { name, f1: f1(ours, reference), missing, extra }
}

/// Prints the table of scores, worst first, and returns the mean.
fn report(title: &str, scores: &mut [Score]) -> f64 {
    scores.sort_by(|a, b| a.f1.total_cmp(&b.f1).then_with(|| a.name.cmp(&b.name)));
    let mean = scores.iter().map(|s| s.f1).sum::<f64>() / scores.len().max(1) as f64;
    println!("\n{title}: {} files, mean token F1 {mean:.4}", scores.len());
    for s in scores.iter() {
        println!("  {:.3}  {}", s.f1, s.name);
        if s.f1 < 0.999 {
            println!("         missing {:?}  extra {:?}", s.missing, s.extra);
        }
    }
    mean
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn docx_text(path: &Path, limits: &Limits) -> String {
    text_of(&blocks_with(&read(path), limits))
}

/// The text a user gets from `wenku text --punct keep`: read, cleaned and
/// normalised. Scoring it as well as the raw blocks shows that the
/// cleaners, built for Chinese site dumps, do not eat ordinary documents.
fn pipeline_text(path: &Path, limits: &Limits) -> String {
    let opts = Options { punct: PunctPolicy::Keep, limits: limits.clone(), ..Options::default() };
    convert_bytes(&read(path), &opts).unwrap_or_else(|e| panic!("{}: {e}", path.display())).text
}

/// The strings of pandoc's `Str "…"` inlines in a slice of a `.native`
/// file, Haskell escapes decoded (`\8217` is ’, `\&` separates nothing).
fn native_strings(native: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = native;
    while let Some(i) = rest.find("Str \"") {
        rest = &rest[i + 5..];
        let mut text = String::new();
        let mut chars = rest.char_indices();
        let mut end = rest.len();
        while let Some((at, c)) = chars.next() {
            match c {
                '"' => {
                    end = at + 1;
                    break;
                }
                '\\' => {
                    let tail = &rest[at + 1..];
                    let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
                    if digits > 0 {
                        text.extend(tail[..digits].parse().ok().and_then(char::from_u32));
                        for _ in 0..digits {
                            chars.next();
                        }
                    } else if let Some((_, escaped)) = chars.next() {
                        match escaped {
                            'n' => text.push('\n'),
                            't' => text.push('\t'),
                            '&' => {}
                            other => text.push(other),
                        }
                    }
                }
                c => text.push(c),
            }
        }
        out.push(text);
        rest = &rest[end.min(rest.len())..];
    }
    out
}

/// The slice of `s` from an opening bracket at its start to the matching
/// closing one (`(`…`)` or `[`…`]`), ignoring brackets inside strings.
fn balanced(s: &str) -> &str {
    let (open, close) = if s.starts_with('(') { ('(', ')') } else { ('[', ']') };
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            c if c == open && !in_string => depth += 1,
            c if c == close && !in_string => {
                depth -= 1;
                if depth == 0 {
                    return &s[..=i];
                }
            }
            _ => {}
        }
    }
    s
}

/// pandoc's plain text of a reader test, corrected where pandoc's plain
/// writer does not print the document's text, using pandoc's own `.native`
/// reading of the file:
///
/// * the metadata block: pandoc moves paragraphs styled Title, Subtitle,
///   Author, Date and Abstract into metadata (the same fields in a golden
///   file written from a native), which plain output without
///   `--standalone` leaves out, though they are the document's first
///   lines;
/// * pictures' alt text (`wp:docPr/@descr`), which the plain writer prints
///   in place of a picture but the page does not show (Word writes it by
///   machine, "图片包含…").
fn pandoc_reference(plain: &str, native: &str) -> Bag {
    let mut bag = tokens(plain);
    if let Some(meta) = native.strip_prefix("Pandoc (Meta") {
        let meta = balanced(meta.trim_start());
        // Only these come from paragraphs; keywords, subject and custom
        // properties live in docProps, which is not document text.
        for key in ["title", "subtitle", "author", "date", "abstract"] {
            let Some(at) = meta.find(&format!("(\"{key}\",")) else {
                continue;
            };
            for text in native_strings(balanced(&meta[at..])) {
                for (t, n) in tokens(&text) {
                    *bag.entry(t).or_default() += n;
                }
            }
        }
    }
    let mut rest = native;
    while let Some(i) = rest.find("Image (") {
        rest = &rest[i + 6..];
        let attr = balanced(rest);
        let alt = balanced(rest[attr.len()..].trim_start());
        for text in native_strings(alt) {
            for (t, n) in tokens(&text) {
                if let Some(have) = bag.get_mut(&t) {
                    *have = have.saturating_sub(n);
                }
            }
        }
        rest = &rest[attr.len()..];
    }
    bag.retain(|_, n| *n > 0);
    bag
}

/// Files below 0.85 against pandoc where pandoc's text is not the
/// document's text, and why.
const PANDOC_EXCEPTIONS: &[(&str, &str)] = &[
    (
        "enumerated_headings.docx",
        "the headings are auto-numbered 1, 1.1, 1.1.1 (Word shows the numbers); \
         pandoc drops the numbers of numbered headings",
    ),
    (
        "paragraph_insertion_deletion.docx",
        "the deleted paragraph mark joins \" split\" and \"Paragraph.\" with no space \
         between them, as Word shows once the deletion is accepted; pandoc adds a space",
    ),
    (
        "verbatim_subsuper.docx",
        "two of the four subscripts (w:vertAlign=\"subscript\" on a VerbatimChar run) \
         come out of pandoc's plain writer as superscript ²",
    ),
    ("golden/verbatim_subsuper.docx", "as verbatim_subsuper.docx, written by pandoc from the same native"),
];

#[test]
fn pandoc_reader_and_writer_files_match_pandoc_plain_text() {
    let Some(corpora) = corpora() else {
        return;
    };
    let dir = corpora.join("pandoc");
    let pairs = std::fs::read_to_string(dir.join("PAIRS.tsv")).expect("PAIRS.tsv");
    let rows: Vec<Vec<&str>> = pairs.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    // Natives that pandoc read in its "all changes" or "reject" modes hold
    // deleted text (or lack inserted text); wenku accepts changes, so the
    // golden files written from them do not compare either.
    let other_modes: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|c| c.len() > 5 && c[0] == "reader" && (c[3].contains("AllChanges") || c[3].contains("RejectChanges")))
        .map(|c| c[5])
        .collect();
    let mut scores = Vec::new();
    let mut cleaned = Vec::new();
    // The same against pandoc's plain text as it is, for the record.
    let mut uncorrected = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for cols in &rows {
        let [direction, test_fn, _name, options, input, expected, ..] = cols[..] else {
            continue;
        };
        if !matches!(test_fn, "testCompare" | "testCompareWithOpts" | "docxTest") {
            continue;
        }
        let (docx, native) = if direction == "reader" { (input, expected) } else { (expected, input) };
        // pandoc's comments test is its one "all changes" read that
        // compares: with comments read, as `--comments` does.
        let comments = native == "comments.native";
        // The citations extension replaces citation fields' results with
        // citation keys and drops the generated bibliography.
        if options.contains("Ext_citations") || (other_modes.contains(native) && !comments) {
            continue;
        }
        let plain = dir.join("plain").join(native.replace(".native", ".txt"));
        if !plain.exists() || !seen.insert((docx, native)) {
            continue;
        }
        let limits = Limits { comments, ..Limits::default() };
        let ours = tokens(&docx_text(&dir.join(docx), &limits));
        let plain = std::fs::read_to_string(&plain).expect("plain text");
        let native_text = std::fs::read_to_string(dir.join(native)).unwrap_or_default();
        uncorrected.push(f1(&ours, &tokens(&plain)));
        let reference = pandoc_reference(&plain, &native_text);
        let clean = tokens(&pipeline_text(&dir.join(docx), &limits));
        cleaned.push(score_bags(format!("{docx} ~ {native}"), &clean, &reference));
        scores.push(score_bags(format!("{docx} ~ {native}"), &ours, &reference));
    }
    let mean = report("pandoc (plain/*.txt)", &mut scores);
    let clean_mean = report("pandoc, cleaned text (wenku text --punct keep)", &mut cleaned);
    println!(
        "  (mean {:.4} against the plain text without its metadata and alt-text corrections)",
        uncorrected.iter().sum::<f64>() / uncorrected.len().max(1) as f64
    );
    assert!(scores.len() > 100, "only {} pandoc pairs found", scores.len());
    for s in &scores {
        let docx = s.name.split(" ~ ").next().unwrap_or_default();
        let excused = PANDOC_EXCEPTIONS.iter().any(|(name, _)| *name == docx);
        assert!(s.f1 >= 0.85 || excused, "{}: F1 {:.3} below 0.85", s.name, s.f1);
    }
    assert!(mean >= 0.97, "pandoc mean token F1 {mean:.4} below 0.97");
    assert!(clean_mean >= 0.97, "pandoc mean token F1 of the cleaned text {clean_mean:.4} below 0.97");
}

/// docling's Markdown ground truth without its Markdown: image
/// placeholders, link targets, HTML entities and task-list boxes are not
/// document text.
fn docling_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut rest = md;
    while let Some(i) = rest.find(['<', '[', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(end) = rest.strip_prefix("<!--").and_then(|r| r.find("-->")) {
            rest = &rest[4 + end + 3..];
        } else if rest.starts_with("[x]") || rest.starts_with("[ ]") {
            rest = &rest[3..];
        } else if let Some((text, after)) = markdown_link(rest) {
            out.push_str(text);
            rest = after;
        } else if let Some((c, len)) = [("&lt;", '<'), ("&gt;", '>'), ("&amp;", '&'), ("&quot;", '"')]
            .iter()
            .find(|(e, _)| rest.starts_with(e))
            .map(|(e, c)| (*c, e.len()))
        {
            out.push(c);
            rest = &rest[len..];
        } else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `[text](target)` → (`text`, what follows).
fn markdown_link(s: &str) -> Option<(&str, &str)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains(['[', '\n']) {
        return None;
    }
    let after = &s[close + 2..];
    let end = after.find(')')?;
    Some((text, &after[end + 1..]))
}

/// docling files below 0.85 where docling's Markdown is not the
/// document's text, and why.
const DOCLING_EXCEPTIONS: &[(&str, &str)] = &[(
    "drawingml.docx",
    "docling prints the data table of an embedded chart (word/charts/chart1.xml: \
     categories, series, values); the chart is a picture, not text of the document",
)];

#[test]
fn docling_files_match_docling_ground_truth() {
    let Some(corpora) = corpora() else {
        return;
    };
    let dir = corpora.join("docling");
    let mut scores = Vec::new();
    let mut cleaned = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("docling dir") {
        let path = entry.expect("entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).filter(|n| n.ends_with(".docx")) else {
            continue;
        };
        let truth = dir.join("groundtruth").join(format!("{name}.md"));
        let Ok(md) = std::fs::read_to_string(&truth) else {
            continue;
        };
        let ours = docx_text(&path, &Limits::default());
        let reference = docling_text(&md);
        cleaned.push(score(name.to_string(), &pipeline_text(&path, &Limits::default()), &reference));
        scores.push(score(name.to_string(), &ours, &reference));
    }
    let mean = report("docling (groundtruth/*.md)", &mut scores);
    let clean_mean = report("docling, cleaned text (wenku text --punct keep)", &mut cleaned);
    assert!(scores.len() >= 30, "only {} docling files found", scores.len());
    for s in &scores {
        let excused = DOCLING_EXCEPTIONS.iter().any(|(name, _)| *name == s.name);
        assert!(s.f1 >= 0.85 || excused, "{}: F1 {:.3} below 0.85", s.name, s.f1);
    }
    assert!(mean >= 0.95, "docling mean token F1 {mean:.4} below 0.95");
    assert!(clean_mean >= 0.95, "docling mean token F1 of the cleaned text {clean_mean:.4} below 0.95");
}

/// The text lines of an expected HTML string: block elements end lines,
/// other tags go, entities are decoded, white space is collapsed.
fn html_lines(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let tag = rest[i + 1..end.saturating_sub(1)].trim_start_matches('/');
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if matches!(
            name.as_str(),
            "p" | "li" | "dt" | "dd" | "h1" | "h2" | "h3" | "td" | "tr" | "table" | "ul" | "ol" | "dl"
        ) {
            text.push('\n');
        }
        rest = &rest[end..];
    }
    text.push_str(rest);
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.lines()
        .map(|l| l.replace('↑', "").split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn mammoth_expected_strings_are_all_present() {
    let Some(corpora) = corpora() else {
        return;
    };
    let dir = corpora.join("mammoth");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("EXPECTED.json")).expect("EXPECTED.json"))
            .expect("JSON");
    let files = json["files"].as_object().expect("files");
    let mut checked = 0;
    println!("\nmammoth (EXPECTED.json):");
    for (file, expectations) in files {
        let bytes = read(&dir.join(file));
        for e in expectations.as_array().into_iter().flatten() {
            // Expectations that depend on a JavaScript callback, and
            // mammoth's errors about external images, say nothing about
            // text.
            if e.get("note").is_some() || (e.get("expected_error_message").is_some() && !file.ends_with(".zip")) {
                continue;
            }
            if file.ends_with(".zip") {
                let err = extract(&bytes, &Limits::default()).expect_err("not a Word document");
                assert!(err.to_string().starts_with("main part missing"), "{file}: {err}");
                println!("  ok  {file}: {err}");
                checked += 1;
                continue;
            }
            let options = e["options_js"].as_str().unwrap_or("");
            let limits = Limits { comments: options.contains("comment-reference"), ..Limits::default() };
            let ours = docx_text(&dir.join(file), &limits);
            let ours = ours.split_whitespace().collect::<Vec<_>>().join(" ");
            let expected = e["expected_value"].as_str().unwrap_or("");
            let lines = html_lines(expected);
            if lines.is_empty() {
                // "Empty paragraphs are ignored": nothing to read.
                assert!(ours.trim().is_empty() || !expected.is_empty(), "{file}: expected no text, got {ours:?}");
            }
            for line in lines {
                // mammoth heads its list of comments "Comment [MW1]"; wenku
                // writes the note as "[MW1] text".
                let line = line.strip_prefix("Comment ").unwrap_or(&line);
                assert!(ours.contains(line), "{file}: {line:?} missing from {ours:?}");
                println!("  ok  {file}: {line:?}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 30, "only {checked} mammoth strings checked");
}

#[test]
fn poi_sample_doc_body_matches_poi_expected_text() {
    let Some(corpora) = corpora() else {
        return;
    };
    let dir = corpora.join("poi/document");
    let expected = std::fs::read_to_string(dir.join("SampleDoc.txt")).expect("SampleDoc.txt");
    // Metadata lines (`Author = …`) come first, then a blank line, then the
    // body text.
    let body = expected.split_once("\n\n").map_or("", |(_, body)| body);
    let lines = |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect::<Vec<_>>();
    let ours = docx_text(&dir.join("SampleDoc.docx"), &Limits::default());
    assert_eq!(lines(&ours), lines(body));
    println!("\nPOI SampleDoc: {} lines equal, F1 {:.3}", lines(body).len(), f1(&tokens(&ours), &tokens(body)));
}

/// What the manifest says about each file (`features` column).
fn manifest(corpora: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(corpora.join("MANIFEST.tsv")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Some((cols.get(3)?.to_string(), cols.get(7)?.to_string()))
        })
        .collect()
}

fn docx_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            docx_files(&path, out);
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx")) {
            out.push(path);
        }
    }
}

/// How long one file may take: 2 s, as the issue asks, in an optimised
/// build (`cargo test --release`). A plain `cargo test` runs unoptimised
/// code (zlib, UTF-8 checks and the XML reader included) 15 to 30 times
/// slower, so it only guards against runaway cases.
const TIME_LIMIT: Duration = if cfg!(debug_assertions) { Duration::from_secs(10) } else { Duration::from_secs(2) };

/// The errors a file may give: each says specifically what is wrong.
const SPECIFIC_ERRORS: &[&str] = &[
    "not a zip archive",
    "encrypted document (password protected)",
    "zip member CRC mismatch",
    "main part missing",
    "malformed XML at ",
    "XML part ",
];

#[test]
fn every_corpus_docx_gives_blocks_or_a_specific_error_quickly() {
    let Some(corpora) = corpora() else {
        return;
    };
    let features = manifest(&corpora);
    let mut files = Vec::new();
    docx_files(&corpora, &mut files);
    files.sort();
    assert!(files.len() >= 490, "only {} .docx files found", files.len());
    let limits = Limits { comments: true, headers_footers: true, ..Limits::default() };
    let (mut ok, mut failed, mut slowest) = (0, Vec::new(), (Duration::ZERO, String::new()));
    for path in &files {
        let name = path.strip_prefix(&corpora).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let bytes = read(path);
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| extract(&bytes, &limits));
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, name.clone());
        }
        assert!(took < TIME_LIMIT, "{name}: took {took:?}");
        let tags = features.get(&name).map_or("", String::as_str);
        match result {
            Err(_) => panic!("{name}: panicked"),
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                let message = e.to_string();
                assert!(SPECIFIC_ERRORS.iter().any(|p| message.starts_with(p)), "{name}: unspecific error {message}");
                // A part declaring entities (POI's XXE test) is refused on
                // purpose: entities are never expanded or fetched.
                assert!(
                    tags.contains("corrupt") || tags.contains("encrypted") || tags.contains("xml_doctype"),
                    "{name} ({tags}) is readable but failed: {message}"
                );
                if tags.contains("xml_doctype") {
                    assert!(message.contains("declares entities"), "{name}: {message}");
                }
                if tags.contains("encrypted") {
                    assert!(matches!(e, ExtractError::Encrypted | ExtractError::Docx(_)), "{name}: {message}");
                    assert!(message.starts_with("encrypted"), "{name}: {message}");
                }
                failed.push(format!("{name}: {message}"));
            }
        }
    }
    println!(
        "\ncorpora: {} .docx, {ok} read, {} refused; slowest {:?} ({})",
        files.len(),
        failed.len(),
        slowest.0,
        slowest.1
    );
    for f in &failed {
        println!("  {f}");
    }
}
