//! The `wenku` command: parses flags, runs the library, maps the result to
//! an exit status (0 all converted, 1 some inputs failed, 2 usage or fatal
//! error).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use wenku::convert::{Options, PunctPolicy, convert_bytes};
use wenku::output::{OutputFormat, Report, ReportError, Writers};
use wenku::source::{DiscoverOptions, discover};

/// Turns dumps of Chinese document-sharing (文库) sites into clean essay and
/// section records (CSV, JSONL, JSON).
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

#[derive(Args)]
struct Common {
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
    /// Files, folders (read recursively) and .zip archives [default: fixtures/]
    inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, default_value = "output")]
    out: PathBuf,
    /// Output formats, comma-separated: csv, jsonl, json.
    #[arg(long, value_delimiter = ',', default_value = "csv,jsonl,json", value_parser = parse_format)]
    format: Vec<OutputFormat>,
    /// Parallel jobs [default: all cores].
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Write CSV with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    excel: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
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

fn main() -> ExitCode {
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
    let opts = options(&args.common)?;
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    match convert_bytes(&bytes, &opts) {
        Ok(doc) => {
            let mut out = std::io::stdout().lock();
            out.write_all(doc.text.as_bytes())?;
            out.write_all(b"\n")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("wenku: {}: {e}", args.file.display());
            Ok(ExitCode::from(1))
        }
    }
}

fn convert(args: &ConvertArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let opts = options(&args.common)?;
    let inputs = if args.inputs.is_empty() { vec![PathBuf::from("fixtures")] } else { args.inputs.clone() };
    if args.inputs.is_empty() && !inputs[0].is_dir() {
        bail!("no input given and no fixtures/ folder here (run from the wenku source folder, or name inputs)");
    }
    let mut formats = args.format.clone();
    formats.sort();
    formats.dedup();
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let found = discover(&inputs, &DiscoverOptions::default());
    let mut writers = Writers::open(&args.out, &formats, args.excel)
        .with_context(|| format!("cannot create outputs in {}", args.out.display()))?;
    let mut report = Report {
        wenku_version: wenku::VERSION.to_string(),
        inputs: inputs.iter().map(|p| p.display().to_string()).collect(),
        options: serde_json::json!({
            "out": args.out.display().to_string(),
            "format": formats,
            "jobs": jobs,
            "punct": opts.punct,
            "profile": opts.profile,
            "excel": args.excel,
            "max_file_size": opts.max_file_bytes,
        }),
        skipped: found.skipped.clone(),
        ..Report::default()
    };
    let mut write_error = None;
    let mut progress = wenku::progress::Progress::stderr(found.sources.len(), args.quiet);
    wenku::batch::run(&found.sources, jobs, &opts, |_, outcome| {
        let r = &outcome.records;
        progress.file(r.document.status == "ok");
        report.documents += 1;
        report.input_bytes += outcome.bytes;
        if r.document.status == "ok" {
            report.converted += 1;
        } else {
            report.failed += 1;
            report.errors.push(ReportError {
                source: r.document.source.clone(),
                error: r.document.error.clone().unwrap_or_default(),
            });
        }
        report.essays += r.essays.len() as u64;
        report.sections += r.sections.len() as u64;
        report.chars += r.document.chars;
        report.boilerplate_chars += r.document.boilerplate_chars;
        match writers.write(r) {
            Ok(()) => true,
            Err(e) => {
                write_error = Some(e);
                false
            }
        }
    });
    progress.finish();
    if let Some(e) = write_error {
        return Err(e).context("writing outputs");
    }
    report.outputs = writers.files().to_vec();
    report.outputs.push("report.json".into());
    writers.commit().context("writing outputs")?;
    report.elapsed_seconds = started.elapsed().as_secs_f64();
    write_report(&args.out, &report)?;
    if !args.quiet {
        print_summary(&report, &args.out);
    } else {
        for e in &report.errors {
            eprintln!("wenku: {}", e.error);
        }
    }
    Ok(if report.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn write_report(dir: &std::path::Path, report: &Report) -> Result<()> {
    let path = dir.join("report.json");
    let mut file =
        wenku::output::AtomicFile::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    serde_json::to_writer_pretty(&mut file, report)?;
    file.write_all(b"\n")?;
    file.commit().with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn print_summary(report: &Report, out: &std::path::Path) {
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
    const SHOWN: usize = 10;
    for e in report.errors.iter().take(SHOWN) {
        println!("  error: {}", e.error);
    }
    if report.errors.len() > SHOWN {
        println!("  … {} more errors in {}/report.json", report.errors.len() - SHOWN, out.display());
    }
}
