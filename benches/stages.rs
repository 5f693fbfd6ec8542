//! Throughput of each stage on the bundled fixtures, in bytes per second
//! of the stage's input: extraction of `.docx` (bytes of the file),
//! decoding of text files (bytes of the file), cleaning and segmentation
//! (bytes of text), writing the records (bytes of clean text), the whole
//! chain, and the progress bar's cost per file.
//!
//! ```text
//! cargo bench --bench stages            # all
//! cargo bench --bench stages -- clean   # one group
//! ```
//!
//! The whole-batch comparison with the physical limit is `bench/run.sh`;
//! `cargo bench --bench corpus -- DIR` splits a corpus's time by stage.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

use wenku::clean::{Page, profile};
use wenku::convert::convert_bytes;
use wenku::output::{OutputFormat, Records, SourceInfo, Writers};
use wenku::segment::{Input, segment};
use wenku::{Options, extract};

fn fixture(rel: &str) -> (String, Vec<u8>) {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (rel.to_string(), bytes)
}

const DOCX: &[&str] = &["seed/seed.python-docx.docx", "seed/seed.libreoffice.docx", "docx/cn_outline.docx"];
const TEXT: &[&str] = &["seed/seed.txt", "seed/seed.gb18030.txt", "dumps/38_gh_baiduwenku_toubiao_html.txt"];

fn extract_docx(c: &mut Criterion) {
    let opts = Options::default();
    let mut g = c.benchmark_group("extract-docx");
    for (name, bytes) in DOCX.iter().map(|f| fixture(f)) {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(&name, |b| b.iter(|| extract::extract(black_box(&bytes), &opts.limits).expect("docx")));
    }
    g.finish();
}

fn decode_text(c: &mut Criterion) {
    let opts = Options::default();
    let mut g = c.benchmark_group("decode-text");
    for (name, bytes) in TEXT.iter().map(|f| fixture(f)) {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(&name, |b| b.iter(|| extract::extract(black_box(&bytes), &opts.limits).expect("text")));
    }
    g.finish();
}

/// The page of a fixture as the cleaners receive it.
fn page_of(bytes: &[u8]) -> Page {
    Page::from_blocks(extract::extract(bytes, &Options::default().limits).expect("extract").blocks)
}

fn clean(c: &mut Criterion) {
    let opts = Options::default();
    let profile = profile("default", opts.punct).expect("profile");
    let mut g = c.benchmark_group("clean");
    for (name, bytes) in ["seed/seed.txt", "seed/seed.python-docx.docx"].iter().map(|f| fixture(f)) {
        let page = page_of(&bytes);
        let text_bytes: usize = page.lines.iter().map(|l| l.text.len() + 1).sum();
        g.throughput(Throughput::Bytes(text_bytes as u64));
        g.bench_function(&name, |b| {
            b.iter_batched(|| page.clone(), |mut p| profile.run(&mut p), BatchSize::SmallInput)
        });
    }
    g.finish();
}

fn segmentation(c: &mut Criterion) {
    let opts = Options::default();
    let mut g = c.benchmark_group("segment");
    for (name, bytes) in ["seed/seed.txt", "seed/seed.python-docx.docx"].iter().map(|f| fixture(f)) {
        let doc = convert_bytes(&bytes, &opts).expect("convert");
        g.throughput(Throughput::Bytes(doc.text.len() as u64));
        let input =
            Input { text: &doc.text, title: doc.meta.title.as_deref(), declared_essays: doc.meta.declared_essays };
        g.bench_function(&name, |b| b.iter(|| segment(black_box(&input))));
    }
    g.finish();
}

fn write(c: &mut Criterion) {
    let opts = Options::default();
    let dir = tempfile::tempdir().expect("temp dir");
    let (name, bytes) = fixture("seed/seed.txt");
    let doc = convert_bytes(&bytes, &opts).expect("convert");
    let info =
        SourceInfo { doc_id: "0123456789abcdef".into(), source: name.clone(), bytes: bytes.len() as u64, sha256: None };
    let records = Records::converted(&info, &doc);
    let mut g = c.benchmark_group("write");
    g.throughput(Throughput::Bytes(doc.text.len() as u64));
    g.bench_function("records", |b| b.iter(|| Records::converted(black_box(&info), &doc)));
    for (label, formats) in [
        ("csv", &[OutputFormat::Csv][..]),
        ("jsonl", &[OutputFormat::Jsonl][..]),
        ("json", &[OutputFormat::Json][..]),
        ("all", &[OutputFormat::Csv, OutputFormat::Jsonl, OutputFormat::Json][..]),
    ] {
        let mut writers = Writers::open(&dir.path().join(label), formats, false).expect("open");
        // A new id each time, as in a batch: rewriting one json/<id>.json
        // would time ext4's flush of a truncated file instead.
        let mut n = 0u64;
        g.bench_function(label, |b| {
            b.iter_batched(
                || {
                    n += 1;
                    let mut r = records.clone();
                    r.document.doc_id = format!("{n:016x}");
                    r
                },
                |r| writers.write(black_box(&r)).expect("write"),
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

fn whole(c: &mut Criterion) {
    let opts = Options::default();
    let mut g = c.benchmark_group("convert");
    for (name, bytes) in ["seed/seed.txt", "seed/seed.python-docx.docx"].iter().map(|f| fixture(f)) {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(&name, |b| b.iter(|| convert_bytes(black_box(&bytes), &opts).expect("convert")));
    }
    g.finish();
}

/// The progress bar's cost per file, drawing enabled (at most ten times a
/// second, to standard error): next to milliseconds per document.
fn progress(c: &mut Criterion) {
    let mut g = c.benchmark_group("progress");
    g.throughput(Throughput::Elements(1));
    let mut bar = wenku::progress::Progress::new(Some(usize::MAX), true);
    g.bench_function("file", |b| b.iter(|| bar.file(black_box(true))));
    // What a drawing formats (its write is one more system call).
    g.bench_function("line", |b| b.iter(|| bar.line(black_box(std::time::Duration::from_secs(8)))));
    g.finish();
}

criterion_group!(benches, extract_docx, decode_text, clean, segmentation, write, whole, progress);
criterion_main!(benches);
