//! Where the time goes on a whole corpus, stage by stage and cleaner by
//! cleaner, on one thread.
//!
//! ```text
//! cargo bench --bench corpus -- DIR|FILE... [--repeat N] [--only extract|clean-segment]
//! ```
//!
//! Without inputs it reads `fixtures/`. Every source goes through the same
//! chain as `wenku::convert::convert_bytes` and the writers, with a clock
//! around each stage; the table gives each stage's seconds, share and
//! throughput in MB/s of its input (bytes of the source for reading,
//! hashing and extraction; bytes of text for cleaning, segmentation and
//! records). Read it beside a profile: it says which stage to look at,
//! `perf` says which function.
//!
//! `--only extract` reads and extracts every source and nothing else, the
//! same work as `docx-limit scan` plus what a complete Word reader does;
//! `--only clean-segment` decodes outside the clock and times cleaning and
//! segmentation alone. Both print `BENCH_S=<seconds of the median pass>`
//! and the throughput, for `bench/run.sh`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use wenku::clean::{self, Cleaner, Page};
use wenku::output::{OutputFormat, Records, SourceInfo, Writers};
use wenku::source::{DiscoverOptions, Reader, discover};
use wenku::{Options, extract, segment};

#[derive(Default)]
struct Stage {
    name: String,
    time: Duration,
    bytes: u64,
}

struct Clock {
    stages: Vec<Stage>,
}

impl Clock {
    fn add(&mut self, name: &str, time: Duration, bytes: u64) {
        match self.stages.iter_mut().find(|s| s.name == name) {
            Some(s) => {
                s.time += time;
                s.bytes += bytes;
            }
            None => self.stages.push(Stage { name: name.to_string(), time, bytes }),
        }
    }

    fn time<T>(&mut self, name: &str, bytes: u64, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.add(name, t.elapsed(), bytes);
        out
    }
}

/// The cleaners of the `default` profile, one by one (checked against
/// the profile's own list so the two cannot drift apart).
fn cleaners(opts: &Options) -> Vec<Box<dyn Cleaner>> {
    use clean::*;
    let list: Vec<Box<dyn Cleaner>> = vec![
        Box::new(Invisible),
        Box::new(HtmlTags),
        Box::new(HardWraps),
        Box::new(WidthFold),
        Box::new(SiteHeader),
        Box::new(SiteChrome),
        Box::new(ChunkCounters),
        Box::new(PageFooters),
        Box::new(EditorIntro),
        Box::new(DocumentTitle),
        Box::new(CjkSpacing),
        Box::new(WhiteSpace),
        Box::new(PunctWidth(opts.punct)),
        Box::new(Truncation),
    ];
    let names: Vec<_> = list.iter().map(|c| c.name()).collect();
    let profile = clean::profile("default", opts.punct).expect("default profile");
    assert_eq!(names, profile.cleaner_names(), "benches/corpus.rs: update the cleaner list");
    list
}

fn main() {
    let mut inputs = Vec::new();
    let mut repeat = 1usize;
    let mut only = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).expect("--repeat N"),
            "--only" => only = args.next(),
            "--bench" => {}
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    if inputs.is_empty() {
        inputs.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures"));
    }
    let found = discover(&inputs, &DiscoverOptions::default());
    let opts = Options::default();
    match only.as_deref() {
        None => {}
        Some("extract") => return only_extract(&found.sources, &opts, repeat),
        Some("clean-segment") => return only_clean_segment(&found.sources, &opts, repeat),
        Some(other) => panic!("--only {other}: extract or clean-segment"),
    }
    let cleaners = cleaners(&opts);
    let out = std::env::temp_dir().join(format!("wenku-bench-corpus-{}", std::process::id()));
    let mut clock = Clock { stages: Vec::new() };
    let mut reader = Reader::new();
    let started = Instant::now();
    let (mut docs, mut source_bytes, mut text_bytes) = (0u64, 0u64, 0u64);
    for _ in 0..repeat {
        let formats = [OutputFormat::Csv, OutputFormat::Jsonl, OutputFormat::Json];
        let mut writers = Writers::open(&out, &formats, false).expect("open outputs");
        for source in &found.sources {
            let Ok(bytes) = clock.time("read", 0, || reader.read(source, opts.max_file_bytes, opts.limits.max_ratio))
            else {
                continue;
            };
            let n = bytes.len() as u64;
            clock.add("read", Duration::ZERO, n);
            let sha = clock.time("sha256", n, || {
                use sha2::Digest;
                sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>()
            });
            let Ok(extracted) = clock.time("extract", n, || extract::extract(&bytes, &opts.limits)) else {
                continue;
            };
            drop(bytes);
            let raw: u64 = extracted.blocks.iter().map(|b| b.text.len() as u64 + 1).sum();
            let mut page = clock.time("page", raw, || Page::from_blocks(extracted.blocks));
            for c in &cleaners {
                clock.time(&format!("clean/{}", c.name()), raw, || c.clean(&mut page));
            }
            let text = clock.time("page-text", raw, || page.text());
            let t = text.len() as u64;
            let seg_title = page.meta.title.as_deref().or(page.meta.fallback_title.as_deref());
            let declared = page.meta.declared_essays.or_else(|| seg_title.and_then(clean::declared_essays));
            let input = segment::Input { text: &text, title: seg_title, declared_essays: declared };
            let segmented = clock.time("segment", t, || segment::segment(&input));
            let doc = wenku::convert::Document {
                format: extract::Format::Docx,
                encoding: None,
                meta: page.meta.clone(),
                stats: page.stats.clone(),
                warnings: Vec::new(),
                text: text.clone(),
                essays: segmented.essays,
            };
            let info =
                SourceInfo { doc_id: sha[..16].to_string(), source: source.name.clone(), bytes: n, sha256: Some(sha) };
            // As the batch does: the document moves into its records.
            let records = clock.time("records", t, || Records::from_document(&info, doc));
            clock.time("write", t, || writers.write(&records).expect("write"));
            docs += 1;
            source_bytes += n;
            text_bytes += t;
        }
        clock.time("commit", 0, || writers.commit().expect("commit"));
    }
    let wall = started.elapsed();
    let _ = std::fs::remove_dir_all(&out);
    let total: Duration = clock.stages.iter().map(|s| s.time).sum();
    println!(
        "{docs} documents, {:.1} MB read, {:.1} MB clean text, {:.3} s ({:.1} MB/s of input, {:.1} MB/s of text)",
        source_bytes as f64 / 1e6,
        text_bytes as f64 / 1e6,
        wall.as_secs_f64(),
        source_bytes as f64 / 1e6 / wall.as_secs_f64(),
        text_bytes as f64 / 1e6 / wall.as_secs_f64()
    );
    println!("{:<22} {:>9} {:>7} {:>10}", "stage", "seconds", "share", "MB/s");
    for s in &clock.stages {
        let secs = s.time.as_secs_f64();
        let rate = if s.bytes > 0 && secs > 0.0 { format!("{:.1}", s.bytes as f64 / 1e6 / secs) } else { "-".into() };
        println!("{:<22} {:>9.3} {:>6.1}% {:>10}", s.name, secs, 100.0 * secs / total.as_secs_f64(), rate);
    }
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Reading and extraction only, pass after pass.
fn only_extract(sources: &[wenku::source::Source], opts: &Options, repeat: usize) {
    let mut reader = Reader::new();
    let (mut files, mut bytes, mut text) = (0u64, 0u64, 0u64);
    let mut times = Vec::new();
    for _ in 0..repeat.max(1) {
        (files, bytes, text) = (0, 0, 0);
        let t = Instant::now();
        for source in sources {
            let Ok(data) = reader.read(source, opts.max_file_bytes, opts.limits.max_ratio) else { continue };
            if let Ok(x) = extract::extract(&data, &opts.limits) {
                files += 1;
                bytes += data.len() as u64;
                text += x.blocks.iter().map(|b| b.text.len() as u64 + 1).sum::<u64>();
            }
        }
        times.push(t.elapsed().as_secs_f64());
    }
    let s = median(times);
    println!(
        "extract: {files} files, {:.1} MB, {:.1} MB text, {s:.4} s, {:.1} files/s, {:.1} MB/s, {:.1} MB/s of text",
        bytes as f64 / 1e6,
        text as f64 / 1e6,
        files as f64 / s,
        bytes as f64 / 1e6 / s,
        text as f64 / 1e6 / s
    );
    println!("BENCH_S={s:.6}");
}

/// Cleaning and segmentation only, on pages extracted beforehand.
fn only_clean_segment(sources: &[wenku::source::Source], opts: &Options, repeat: usize) {
    let mut reader = Reader::new();
    let pages: Vec<Page> = sources
        .iter()
        .filter_map(|s| reader.read(s, opts.max_file_bytes, opts.limits.max_ratio).ok())
        .filter_map(|b| extract::extract(&b, &opts.limits).ok())
        .map(|x| Page::from_blocks(x.blocks))
        .collect();
    let bytes: u64 = pages.iter().flat_map(|p| &p.lines).map(|l| l.text.len() as u64 + 1).sum();
    let profile = clean::profile(&opts.profile, opts.punct).expect("profile");
    let mut times = Vec::new();
    for _ in 0..repeat.max(1) {
        let mut work = pages.clone();
        let t = Instant::now();
        for page in &mut work {
            profile.run(page);
            let text = page.text();
            let title = page.meta.title.as_deref().or(page.meta.fallback_title.as_deref());
            let declared = page.meta.declared_essays.or_else(|| title.and_then(clean::declared_essays));
            std::hint::black_box(segment::segment(&segment::Input { text: &text, title, declared_essays: declared }));
        }
        times.push(t.elapsed().as_secs_f64());
    }
    let s = median(times);
    println!(
        "clean+segment: {} documents, {:.2} MB text, {s:.4} s, {:.1} MB/s of text",
        pages.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / s
    );
    println!("BENCH_S={s:.6}");
}
