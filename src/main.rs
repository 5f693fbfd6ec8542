//! The `wenku` command: parses flags, runs the library, maps the result to
//! an exit status (0 all converted, 1 some inputs failed, 2 usage or fatal
//! error).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use wenku::batch::{DEFAULT_TIMEOUT_SECS, Resume, RunOptions};
use wenku::convert::{Options, PunctPolicy, clean_bytes};
use wenku::extract::Limits;
use wenku::output::journal::Found;
use wenku::output::{Journal, Naming, OutputDir, OutputFormat, Report, ReportError, Spool, Writers, write_marker};
use wenku::source::{DiscoverOptions, Entry, Inputs, Location, Reader, Shard, Source};

/// Turns dumps of Chinese document-sharing (文库) sites into clean essay and
/// section records (CSV, JSONL, JSON, Parquet).
#[derive(Parser)]
#[command(name = "wenku", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    convert: ConvertArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Print the clean text of one document.
    Text(TextArgs),
}

/// Limits for hostile inputs; a file that breaks one gets an error record.
#[derive(Args)]
struct LimitArgs {
    /// Longest time for one file, in seconds (0: none); a slower file is
    /// abandoned with an error record.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT_SECS, value_name = "SECONDS")]
    timeout: u64,
    /// Largest text or HTML file, in bytes.
    #[arg(long, default_value_t = Limits::default().max_text_bytes, value_name = "BYTES")]
    max_text_size: u64,
    /// Largest uncompressed XML part of a .docx, in bytes.
    #[arg(long, default_value_t = Limits::default().max_part_bytes, value_name = "BYTES")]
    max_part_size: u64,
    /// Largest total uncompressed size of one .docx, in bytes.
    #[arg(long, default_value_t = Limits::default().max_total_bytes, value_name = "BYTES")]
    max_zip_total: u64,
    /// Largest ratio of uncompressed to compressed size of a zip member
    /// above 1 MiB, or of a whole zip.
    #[arg(long, default_value_t = Limits::default().max_ratio, value_name = "N")]
    max_zip_ratio: u64,
    /// Most members of one zip (.docx or dump archive).
    #[arg(long, default_value_t = Limits::default().max_members, value_name = "N")]
    max_zip_members: usize,
    /// Deepest XML element nesting.
    #[arg(long, default_value_t = Limits::default().max_depth, value_name = "N")]
    max_xml_depth: usize,
}

impl LimitArgs {
    fn apply(&self, mut opts: Options) -> Options {
        opts.limits.max_text_bytes = self.max_text_size;
        opts.limits.max_part_bytes = self.max_part_size;
        opts.limits.max_total_bytes = self.max_zip_total;
        opts.limits.max_ratio = self.max_zip_ratio;
        opts.limits.max_members = self.max_zip_members;
        opts.limits.max_depth = self.max_xml_depth;
        opts
    }

    fn timeout(&self) -> Option<Duration> {
        (self.timeout > 0).then(|| Duration::from_secs(self.timeout))
    }
}

#[derive(Args)]
struct Common {
    #[command(flatten)]
    limits: LimitArgs,
    /// Punctuation width: keep, cjk (full-width in Chinese prose) or ascii.
    #[arg(long, default_value = "cjk", value_parser = parse_punct)]
    punct: PunctPolicy,
    /// Cleaning profile: default (文库 and 范文 sites) or plain
    /// (normalisation only).
    #[arg(long, default_value = "default")]
    profile: String,
    /// Largest input file or archive member to read, in bytes.
    #[arg(long, default_value_t = 256 << 20)]
    max_file_size: u64,
    /// Read Word comments (as notes after the body, marked in the text).
    #[arg(long)]
    comments: bool,
    /// Read Word page headers and footers (each once).
    #[arg(long)]
    headers_footers: bool,
}

#[derive(Args)]
struct ConvertArgs {
    /// Files, folders (read recursively) and .zip archives [default: fixtures/, when no --files-from either]
    inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, default_value = "output")]
    out: PathBuf,
    /// Output formats, comma-separated: csv, jsonl, json, parquet.
    #[arg(long, value_delimiter = ',', default_value = "csv,jsonl,json", value_parser = parse_format)]
    format: Vec<OutputFormat>,
    /// Convert only shard K of N (0 <= K < N): sources are split by a hash
    /// of their names, N runs together convert the batch once, and each
    /// shard's files are named `…-0000K-of-0000N.…`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<Shard>,
    /// Read inputs from FILE, one path a line (`-`: standard input), in
    /// addition to those named.
    #[arg(long, value_name = "FILE")]
    files_from: Option<PathBuf>,
    /// Read paths from standard input, one a line, and write their records
    /// to standard output as JSON lines tagged with their type; no output
    /// folder (for Spark's RDD.pipe and Hadoop Streaming).
    #[arg(long, conflicts_with_all = ["inputs", "files_from", "resume", "excel"])]
    stream: bool,
    /// Parallel jobs [default: all cores].
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Write CSV with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    excel: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
    /// Go on from where an interrupted run into the same output folder
    /// stopped: sources it finished (same name, same SHA-256) are not
    /// converted again.
    #[arg(long)]
    resume: bool,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct TextArgs {
    /// The document.
    file: PathBuf,
    #[command(flatten)]
    common: Common,
}

fn parse_punct(s: &str) -> Result<PunctPolicy, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<OutputFormat, String> {
    s.parse()
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    s.parse()
}

fn options(common: &Common) -> Result<Options> {
    if wenku::clean::profile(&common.profile, common.punct).is_none() {
        bail!("unknown profile {:?} (known: {})", common.profile, wenku::clean::PROFILES.join(", "));
    }
    Ok(Options {
        punct: common.punct,
        profile: common.profile.clone(),
        max_file_bytes: common.max_file_size,
        limits: wenku::extract::Limits {
            comments: common.comments,
            headers_footers: common.headers_footers,
            ..wenku::extract::Limits::default()
        },
    })
}

/// Makes glibc hand the memory of a huge text's copies back when they are
/// dropped. By default it maps blocks of 128 KiB and more on their own, but
/// raises that threshold to the largest block freed (up to 32 MiB): after
/// the first huge text, the next one's strings live in the heap, where what
/// is freed stays fragmented (two jobs on 31 MB texts peaked at 326 MB, 255
/// MB with this). Setting the threshold also stops the heap's trim
/// threshold from rising with it; left at its default of 128 KiB, the
/// 300-file corpus ran ~5% slower (more time in the kernel), so it is set
/// to 32 MiB, within what the dynamic rule reaches.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; no other thread runs yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 32 << 20);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(Command::Text(args)) => text(args),
        None => convert(&cli.convert),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if err
                .chain()
                .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("wenku: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn text(args: &TextArgs) -> Result<ExitCode> {
    let opts = args.common.limits.apply(options(&args.common)?);
    // Read like a batch reads: a FIFO or a huge file is refused, not read.
    let source = Source {
        name: args.file.display().to_string(),
        key: String::new(),
        location: Location::File(args.file.clone()),
        size: 0,
        problem: None,
    };
    let bytes = Reader::new()
        .read(&source, opts.max_file_bytes, opts.limits.max_ratio)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    match clean_bytes(&bytes, &opts) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.write_all(b"\n")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("wenku: {}: {e}", args.file.display());
            Ok(ExitCode::from(1))
        }
    }
}

/// What shapes the records of a run: a journal written with anything else
/// is not resumed from.
fn fingerprint(opts: &Options, timeout: Option<Duration>) -> String {
    serde_json::json!({"wenku": wenku::VERSION, "options": opts, "timeout": timeout.map(|t| t.as_secs())}).to_string()
}

/// Sets a flag on SIGINT and SIGTERM, so that the batch stops between
/// sources and leaves its journal whole; a second signal exits at once.
/// Returns the flag and the flag of SIGTERM alone (for the exit status).
fn on_signals() -> Result<(Arc<AtomicBool>, Arc<AtomicBool>)> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    let term = Arc::new(AtomicBool::new(false));
    for sig in [SIGINT, SIGTERM] {
        // Registered first, so that a second signal finds `stop` set.
        signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, Arc::clone(&stop))?;
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    signal_hook::flag::register(SIGTERM, Arc::clone(&term))?;
    Ok((stop, term))
}

fn convert(args: &ConvertArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let (stop, term) = on_signals().context("cannot install signal handlers")?;
    let opts = args.common.limits.apply(options(&args.common)?);
    let timeout = args.common.limits.timeout();
    if args.stream {
        return stream(args, &opts, timeout, &stop);
    }
    // Each input is looked at as it is read, and a listed file kept as
    // little more than its name: lists may hold millions.
    let mut inputs = Inputs::default();
    for input in &args.inputs {
        inputs.push(input);
    }
    if let Some(list) = &args.files_from {
        read_files_from(list, &mut inputs)?;
    }
    // An empty list converts nothing; no input at all converts the samples.
    if args.inputs.is_empty() && args.files_from.is_none() {
        let fixtures = PathBuf::from("fixtures");
        if !fixtures.is_dir() {
            bail!("no input given and no fixtures/ folder here (run from the wenku source folder, or name inputs)");
        }
        inputs.push(&fixtures);
    }
    let mut formats = args.format.clone();
    formats.sort();
    formats.dedup();
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let discover_opts =
        DiscoverOptions { max_archive_members: opts.limits.max_members, max_ratio: opts.limits.max_ratio };
    let naming = args.shard.map_or_else(Naming::plain, Naming::shard);
    let _lock =
        OutputDir::lock_named(&args.out, &naming).with_context(|| format!("cannot use {}", args.out.display()))?;
    let fingerprint = fingerprint(&opts, timeout);
    let (mut journal, journal_found, index) =
        Journal::open_named(&args.out, &naming.journal(), &fingerprint, args.resume)
            .with_context(|| format!("cannot write the journal in {}", args.out.display()))?;
    if args.resume && !args.quiet {
        match journal_found {
            Found::Nothing => eprintln!("wenku: nothing to resume in {}: converting everything", args.out.display()),
            Found::Mismatch => eprintln!(
                "wenku: the interrupted run in {} used another version or other options: converting everything",
                args.out.display()
            ),
            Found::Entries(_) => {}
        }
    }
    let mut writers = Writers::open_named(&args.out, &naming, &formats, args.excel)
        .with_context(|| format!("cannot create outputs in {}", args.out.display()))?;
    let mut report = Report {
        wenku_version: wenku::VERSION.to_string(),
        inputs: spool(&args.out, &naming, "inputs")?,
        options: serde_json::json!({
            "out": args.out.display().to_string(),
            "format": formats,
            "jobs": jobs,
            "punct": opts.punct,
            "profile": opts.profile,
            "excel": args.excel,
            "max_file_size": opts.max_file_bytes,
            "limits": opts.limits,
            "timeout": timeout.map(|t| t.as_secs()),
            "shard": args.shard.map(|s| s.to_string()),
        }),
        errors: spool(&args.out, &naming, "errors")?,
        ..Report::default()
    };
    for given in inputs.given() {
        report.inputs.push(&given).with_context(|| format!("cannot write the report in {}", args.out.display()))?;
    }
    // Sources are found as the batch goes (memory does not grow with their
    // number); files left alone go to the report as they are met.
    let skipped = Arc::new(std::sync::Mutex::new(spool(&args.out, &naming, "skipped")?));
    let skipping = Arc::clone(&skipped);
    let shard = args.shard;
    let entries = inputs.into_sources(&discover_opts).filter(move |e| shard.is_none_or(|s| s.keeps(e)));
    let sources = entries.filter_map(move |entry| match entry {
        Entry::Source(source) => Some(source),
        Entry::Skipped(name) => {
            let mut spool = skipping.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Err(e) = spool.push(&name) {
                eprintln!("wenku: cannot write the report's list of skipped files: {e}");
            }
            None
        }
    });
    let mut shown = Vec::new();
    let mut write_error = None;
    // Sources are found as the batch goes: the bar has no total.
    let mut progress = wenku::progress::Progress::stderr(None, args.quiet);
    let run_opts = RunOptions { jobs, timeout };
    let resume = index.map(|i| Arc::new(i) as Arc<dyn Resume>);
    let completed = wenku::batch::run(sources, &run_opts, &opts, resume, &stop, |_, outcome| {
        let r = &outcome.records;
        progress.file(r.document.status == "ok");
        report.documents += 1;
        report.input_bytes += outcome.bytes;
        report.reused += u64::from(outcome.reused);
        if r.document.status == "ok" {
            report.converted += 1;
        } else {
            report.failed += 1;
            let error = r.document.error.clone().unwrap_or_default();
            if args.quiet {
                eprintln!("wenku: {error}");
            } else if shown.len() < SHOWN_ERRORS {
                shown.push(error.clone());
            }
            let pushed = report.errors.push(&ReportError { source: r.document.source.clone(), error });
            if let Err(source) = pushed {
                let path = args.out.join(naming.report());
                write_error = Some(wenku::output::OutputError::Io { path, source });
                return false;
            }
        }
        report.essays += r.essays.len() as u64;
        report.sections += r.sections.len() as u64;
        report.chars += r.document.chars;
        report.boilerplate_chars += r.document.boilerplate_chars;
        let written = writers.write(r).and_then(|()| {
            // Reused records are in the journal already.
            if outcome.reused { Ok(()) } else { journal.append(r.document.sha256.as_deref(), r) }
        });
        match written {
            Ok(()) => true,
            Err(e) => {
                write_error = Some(e);
                false
            }
        }
    });
    progress.finish();
    // Workers still running may hold the stream (and so the spool): take
    // it, so that it is written or removed here.
    report.skipped = std::mem::take(&mut *skipped.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    if let Some(e) = write_error {
        return Err(e).context("writing outputs");
    }
    if !completed {
        // The temporary outputs go with `writers`; the journal stays.
        drop(writers);
        eprintln!(
            "wenku: interrupted after {} sources; outputs in {} are unchanged. Run again with --resume to go on.",
            report.documents,
            args.out.display()
        );
        return Ok(ExitCode::from(if term.load(Ordering::Relaxed) { 143 } else { 130 }));
    }
    report.outputs = writers.files().to_vec();
    report.outputs.push(naming.report());
    writers.commit().context("writing outputs")?;
    report.elapsed_seconds = started.elapsed().as_secs_f64();
    write_report(&args.out, &naming, &mut report)?;
    let marker = serde_json::json!({
        "shard": args.shard.map(|s| s.to_string()),
        "wenku_version": wenku::VERSION,
        "documents": report.documents,
        "failed": report.failed,
        "outputs": report.outputs,
    });
    write_marker(&args.out, &naming, &marker).context("writing the completion marker")?;
    journal.remove().context("removing the journal")?;
    if !args.quiet {
        print_summary(&report, &shown, &args.out);
    }
    Ok(if report.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A spool for one of the report's long lists, in the output folder (a
/// temporary name: a killed run's spool is removed by the next run).
fn spool(dir: &std::path::Path, naming: &Naming, what: &str) -> Result<Spool> {
    let path = dir.join(naming.spool(what));
    Spool::create(&path).with_context(|| format!("cannot write {}", path.display()))
}

/// Errors shown in the summary; all of them are in report.json.
const SHOWN_ERRORS: usize = 10;

fn write_report(dir: &std::path::Path, naming: &Naming, report: &mut Report) -> Result<()> {
    report.inputs.flush().context("writing the report")?;
    report.errors.flush().context("writing the report")?;
    report.skipped.flush().context("writing the report")?;
    let path = dir.join(naming.report());
    let mut file =
        wenku::output::AtomicFile::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    serde_json::to_writer_pretty(&mut file, report)?;
    file.write_all(b"\n")?;
    file.commit().with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn print_summary(report: &Report, shown: &[String], out: &std::path::Path) {
    let mb = report.input_bytes as f64 / 1e6;
    println!(
        "wenku {}: {} documents ({} converted, {} failed), {} essays, {} sections, {:.1} MB in {:.2} s",
        report.wenku_version,
        report.documents,
        report.converted,
        report.failed,
        report.essays,
        report.sections,
        mb,
        report.elapsed_seconds
    );
    println!("records in {}/ ({})", out.display(), report.outputs.join(", "));
    for e in shown {
        println!("  error: {e}");
    }
    if report.errors.len() > shown.len() as u64 {
        let more = report.errors.len() - shown.len() as u64;
        println!("  … {more} more errors in {}/{}", out.display(), report.outputs.last().map_or("", String::as_str));
    }
}

/// Adds the paths of `--files-from` (`-`: standard input) to `inputs`.
fn read_files_from(list: &std::path::Path, inputs: &mut Inputs) -> Result<()> {
    let each = |path: PathBuf| inputs.push(&path);
    let read = if list.as_os_str() == "-" {
        wenku::source::for_each_listed_path(std::io::stdin().lock(), each)
    } else {
        std::fs::File::open(list).and_then(|f| wenku::source::for_each_listed_path(std::io::BufReader::new(f), each))
    };
    read.with_context(|| format!("cannot read the list of inputs {}", list.display()))
}

/// `--stream`: paths on standard input, tagged records on standard output,
/// diagnostics on standard error. Failed sources are error records, not a
/// failure of the run, so the exit status is 0 unless the run was stopped
/// or could not write (engines like Hadoop Streaming fail the task on any
/// other status).
fn stream(args: &ConvertArgs, opts: &Options, timeout: Option<Duration>, stop: &AtomicBool) -> Result<ExitCode> {
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let discover = DiscoverOptions { max_archive_members: opts.limits.max_members, max_ratio: opts.limits.max_ratio };
    let quiet = args.quiet;
    let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let input = std::io::BufReader::new(std::io::stdin());
    let summary = wenku::batch::stream::stream(
        input,
        out,
        &discover,
        args.shard,
        &RunOptions { jobs, timeout },
        opts,
        stop,
        move |name| {
            if !quiet {
                eprintln!("wenku: skipped {name} (not a document)");
            }
        },
    )
    .context("writing records to standard output")?;
    if !summary.completed {
        eprintln!("wenku: interrupted after {} sources", summary.documents);
        return Ok(ExitCode::from(130));
    }
    if !quiet {
        eprintln!("wenku: {} documents ({} failed)", summary.documents, summary.failed);
    }
    Ok(ExitCode::SUCCESS)
}
