//! Converting many sources: in parallel, with output in source order, a
//! time limit per source, and panics turned into error records.
//!
//! Workers take sources in order from a shared queue and convert them; the
//! caller's sink receives the results strictly in source order, so outputs
//! are the same whatever the number of jobs. At most a bounded window of
//! results waits for its turn, so memory does not grow with the number of
//! sources. That window is bounded in bytes too
//! ([`PENDING_BYTES_PER_JOB`]): a document's records hold its text
//! several times, and a slow document would otherwise let the other
//! workers pile up finished outcomes behind it.
//!
//! **Time limit.** Threads cannot be killed in Rust, so a conversion that
//! takes longer than [`RunOptions::timeout`] is *abandoned*, not stopped:
//! the supervisor (the thread that called [`run`]) writes that source's
//! error record, marks its worker abandoned and starts a fresh worker in
//! its place, so the batch goes on at full width. The abandoned thread
//! keeps its CPU time and memory until its conversion returns, then drops
//! the result and ends; if it never returns, it ends when the process
//! exits. Every conversion is bounded by the size limits, so what one
//! abandoned worker holds is bounded too; many stuck at once are reported
//! on stderr.
//!
//! **Panics** (there should be none) are caught per source and become that
//! source's error record with the panic's message and place; the default
//! panic hook's report is not printed for them, so a batch of bad files
//! does not flood stderr.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub mod stream;

use crate::convert::{Options, convert_owned};
use crate::output::{Records, SourceInfo};
use crate::source::{Reader, Source};

/// What converting one source gave.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The records to write.
    pub records: Records,
    /// Bytes read.
    pub bytes: u64,
    /// The records were taken from an earlier run's journal
    /// ([`Resume`]), not converted again.
    pub reused: bool,
}

/// Records of sources an earlier, interrupted run already converted, by
/// source name and SHA-256 of its bytes (see `output::journal`).
pub trait Resume: Send + Sync {
    /// The records of `name` when its bytes still have this `sha256`.
    fn lookup(&self, name: &str, sha256: &str) -> Option<Records>;
}

/// How [`run`] runs.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Worker threads.
    pub jobs: usize,
    /// Longest time for reading and converting one source; `None` for no
    /// limit.
    pub timeout: Option<Duration>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self { jobs: 1, timeout: Some(Duration::from_secs(DEFAULT_TIMEOUT_SECS)) }
    }
}

/// Bytes of finished outcomes, per job, that may wait for the sink before
/// workers hold back (besides the source the sink waits for and
/// [`AHEAD_PER_JOB`] per job after it). Without it a slow document let the
/// other workers run up to the whole window ahead, and peak RSS grew with
/// the length of the batch (issue 4: -j 2, 50.9 MB for 300 files, 88.2 MB
/// for 10,000). The sources just after the one the sink waits for start
/// whatever it holds (see `Taken::admits`), so the sink can write one
/// large document while the worker converts the next: with the budget
/// alone, one such document filled it and at `-j 1` worker and writer took
/// turns (300 files: 3.3 s; 2.5 s with a budget of 8 MiB, which let peak RSS
/// grow 1.24x from 300 to 10,000 files).
pub const PENDING_BYTES_PER_JOB: usize = 2 << 20;

/// Sources per job after the one the sink waits for that start whatever
/// the budget (under [`AHEAD_BYTES_PER_JOB`]). One let the worker convert
/// the next source while the sink wrote one, but at a document whose
/// records are large for its conversion time the sink was still writing
/// when the worker was done with the next: at `-j 1` the worker waited
/// ~0.38 s of a 2 s run (300 files). With two it waits ~0.18 s; the run
/// takes 2.13 s instead of 2.40 (medians of 7 interleaved pairs on a busy
/// machine) and peak RSS is unchanged for 300 files, 38.0 MB instead of
/// 35.6 for 10,000 at `-j 1` and 52.7 instead of 51.6 at `-j 2`. (A
/// budget of 8 MiB a job did better still at `-j 1`, 1.73 s instead of
/// 2.03, but 10,000 files then peaked at 47 and 74 MB.)
pub const AHEAD_PER_JOB: usize = 2;

/// Bytes of waiting outcomes, per job, under which the sources just after
/// the one the sink waits for start anyway: a few ordinary documents'
/// records, but not a huge text's, whose records and the next conversion
/// would otherwise be in memory at once (three 27 MB `.txt` files at
/// `-j 1`: peak RSS 246 MB, 276-282 MB without this cap).
pub const AHEAD_BYTES_PER_JOB: usize = 16 << 20;

/// The default time limit per source, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// The document id: the first 16 hex digits of SHA-256 over the source's
/// key (see [`Source::key`]) and the SHA-256 of its bytes. The same file in
/// the same place of a batch gets the same id on every run (and, below a
/// folder input, every machine); a changed file gets a new one.
pub fn doc_id(key: &str, sha256: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(key.as_bytes());
    h.update([0u8]);
    h.update(sha256.unwrap_or("").as_bytes());
    hex(&h.finalize()[..8])
}

thread_local! {
    /// Set while this thread converts a source under `catch_unwind`: the
    /// panic hook then keeps quiet and leaves the report here.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Installs (once per process) a panic hook that stays silent for panics
/// inside a conversion and passes every other panic to the previous hook.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let caught = CAUGHT.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        let place =
                            info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                        let what = info
                            .payload()
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| info.payload().downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "unknown panic".into());
                        *slot = Some(format!("{what}{place}"));
                        true
                    }
                    None => false,
                }
            });
            if !caught {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err` with its message and place, without
/// printing the panic report.
fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_panic_hook();
    CAUGHT.with(|c| *c.borrow_mut() = Some(None));
    let result = catch_unwind(AssertUnwindSafe(f));
    let report = CAUGHT.with(|c| c.borrow_mut().take()).flatten();
    result.map_err(|_| report.unwrap_or_else(|| "unknown panic".into()))
}

/// Test hooks of debug builds, so that tests can make a conversion panic or
/// hang: `WENKU_TEST_PANIC=pattern` and `WENKU_TEST_HANG=pattern` act on
/// sources whose name contains the pattern. Release builds have none.
#[cfg(debug_assertions)]
fn test_hooks(source: &Source) {
    use std::sync::OnceLock;
    static HOOKS: OnceLock<(Option<String>, Option<String>)> = OnceLock::new();
    let (panic_on, hang_on) =
        HOOKS.get_or_init(|| (std::env::var("WENKU_TEST_PANIC").ok(), std::env::var("WENKU_TEST_HANG").ok()));
    if let Some(p) = panic_on
        && source.name.contains(p.as_str())
    {
        panic!("test panic (WENKU_TEST_PANIC)");
    }
    if let Some(p) = hang_on
        && source.name.contains(p.as_str())
    {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

#[cfg(not(debug_assertions))]
fn test_hooks(_: &Source) {}

/// What a worker has learnt about the source it is converting, so that the
/// supervisor can write a full error record if it abandons it.
#[derive(Debug, Clone, Default)]
struct Progress {
    bytes: u64,
    sha256: Option<String>,
}

fn info_of(source: &Source, progress: &Progress) -> SourceInfo {
    SourceInfo {
        doc_id: doc_id(&source.key, progress.sha256.as_deref()),
        source: source.name.clone(),
        bytes: if progress.sha256.is_some() { progress.bytes } else { source.size },
        sha256: progress.sha256.clone(),
    }
}

/// Converts one source into its records. Never panics and never fails: a
/// bad source gives an error record.
pub fn convert_source(source: &Source, reader: &mut Reader, opts: &Options) -> Outcome {
    convert_tracked(source, reader, opts, None, &mut |_| {})
}

fn convert_tracked(
    source: &Source,
    reader: &mut Reader,
    opts: &Options,
    resume: Option<&dyn Resume>,
    progress: &mut dyn FnMut(&Progress),
) -> Outcome {
    if let Some(problem) = &source.problem {
        let info = info_of(source, &Progress::default());
        let info = SourceInfo { bytes: 0, ..info };
        return Outcome { records: Records::failed(&info, problem), bytes: 0, reused: false };
    }
    let read = quietly(|| reader.read(source, opts.max_file_bytes, opts.limits.max_ratio));
    let bytes = match read {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            let info = info_of(source, &Progress::default());
            return Outcome { records: Records::failed(&info, &e.to_string()), bytes: 0, reused: false };
        }
        Err(panic) => {
            // The reader's open archives may be in any state.
            *reader = Reader::new();
            let info = info_of(source, &Progress::default());
            let msg = format!("internal error while reading (please report): {panic}");
            return Outcome { records: Records::failed(&info, &msg), bytes: 0, reused: false };
        }
    };
    let seen = Progress { bytes: bytes.len() as u64, sha256: Some(hex(&Sha256::digest(&bytes))) };
    progress(&seen);
    let info = info_of(source, &seen);
    let sha = seen.sha256.as_deref().unwrap_or_default();
    if let Some(records) = resume.and_then(|r| r.lookup(&source.name, sha)) {
        return Outcome { records, bytes: seen.bytes, reused: true };
    }
    let converted = quietly(|| {
        test_hooks(source);
        convert_owned(bytes, opts)
    });
    let records = match converted {
        Ok(Ok(doc)) => Records::from_document(&info, doc),
        Ok(Err(e)) => Records::failed(&info, &e.to_string()),
        Err(panic) => Records::failed(&info, &format!("internal error while converting (please report): {panic}")),
    };
    Outcome { records, bytes: seen.bytes, reused: false }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What one worker is doing.
#[derive(Default)]
struct Slot {
    /// The source being converted: its index, itself, when it started and
    /// what is known of it.
    current: Option<(usize, Source, Instant, Progress)>,
    /// The supervisor gave up on this worker: its result is dropped.
    abandoned: bool,
}

/// State shared by the supervisor and the workers.
struct Shared {
    /// Sources not yet taken, with the index of the next one; `None` once
    /// the sources are exhausted.
    queue: Mutex<(Box<dyn Iterator<Item = Source> + Send>, usize, bool)>,
    /// How far the sink is: workers stay within `window` sources of it,
    /// and only the source it waits for starts while finished outcomes
    /// hold `budget` bytes or more.
    taken: Mutex<Taken>,
    taken_cv: Condvar,
    window: usize,
    budget: usize,
    /// Jobs: sources after the one the sink waits for start whatever the
    /// budget, [`AHEAD_PER_JOB`] per job.
    jobs: usize,
    stop: AtomicBool,
    opts: Options,
    resume: Option<Arc<dyn Resume>>,
    /// Abandoned workers that have not ended yet.
    abandoned_alive: AtomicUsize,
}

/// The sink's place in the sources, and what waits for it.
#[derive(Debug, Default)]
struct Taken {
    /// Outcomes the sink has taken.
    count: usize,
    /// Estimated bytes of outcomes finished but not taken yet.
    pending_bytes: usize,
}

impl Taken {
    /// Source `i` may start. The source the sink waits for always may, so
    /// the batch goes on however large one outcome is; so may the
    /// [`AHEAD_PER_JOB`] per job after it while the outcomes waiting hold
    /// less than [`AHEAD_BYTES_PER_JOB`] per job, so that the sink writes
    /// one outcome while the workers convert the next ones; further sources
    /// wait for the byte budget.
    fn admits(&self, i: usize, window: usize, budget: usize, jobs: usize) -> bool {
        i == self.count
            || i <= self.count + AHEAD_PER_JOB * jobs && self.pending_bytes < AHEAD_BYTES_PER_JOB * jobs
            || (i < self.count + window && self.pending_bytes < budget)
    }
}

/// Estimated heap bytes of an outcome: its strings, which hold nearly all
/// of it (the text, once per essay and once per section), and its rows.
fn outcome_bytes(o: &Outcome) -> usize {
    use std::mem::size_of;
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
    let d = &o.records.document;
    let document = [&d.doc_id, &d.source, &d.status, &d.wenku_version].iter().map(|s| s.capacity()).sum::<usize>()
        + [&d.format, &d.encoding, &d.sha256, &d.title, &d.file_name, &d.site, &d.warnings, &d.error]
            .iter()
            .map(|s| opt(s))
            .sum::<usize>();
    let essays =
        o.records.essays.iter().map(|e| e.doc_id.capacity() + opt(&e.marker) + opt(&e.title) + e.text.capacity());
    let sections = o
        .records
        .sections
        .iter()
        .map(|s| s.doc_id.capacity() + s.label.capacity() + s.heading.capacity() + s.text.capacity());
    size_of::<Outcome>()
        + document
        + essays.sum::<usize>()
        + sections.sum::<usize>()
        + o.records.essays.capacity() * size_of::<crate::output::EssayRecord>()
        + o.records.sections.capacity() * size_of::<crate::output::SectionRecord>()
}

enum Msg {
    /// An outcome and its [`outcome_bytes`], counted in
    /// [`Taken::pending_bytes`].
    Done(usize, Box<Outcome>, usize),
    /// The queue ran out after this many sources.
    Exhausted(usize),
}

fn spawn_worker(shared: &Arc<Shared>, tx: &mpsc::Sender<Msg>) -> Option<Arc<Mutex<Slot>>> {
    let slot = Arc::new(Mutex::new(Slot::default()));
    let (shared, tx, mine) = (Arc::clone(shared), tx.clone(), Arc::clone(&slot));
    // A larger stack than the default 2 MiB: deep recursion on a hostile
    // document must not overflow (which aborts the whole process).
    let spawned = std::thread::Builder::new()
        .name("wenku-worker".into())
        .stack_size(64 << 20)
        .spawn(move || work(&shared, &tx, &mine));
    spawned.ok().map(|_| slot)
}

fn work(shared: &Shared, tx: &mpsc::Sender<Msg>, slot: &Mutex<Slot>) {
    let mut reader = Reader::new();
    loop {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let (i, source) = {
            let mut q = lock(&shared.queue);
            if q.2 {
                return;
            }
            // Finding sources walks folders and archives; a panic there
            // (there should be none) ends the sources rather than leaving
            // the supervisor waiting for them.
            let next = catch_unwind(AssertUnwindSafe(|| q.0.next())).unwrap_or_else(|_| {
                eprintln!("wenku: internal error while finding inputs (please report); the batch ends here");
                None
            });
            match next {
                Some(s) => {
                    q.1 += 1;
                    (q.1 - 1, s)
                }
                None => {
                    q.2 = true;
                    let _ = tx.send(Msg::Exhausted(q.1));
                    return;
                }
            }
        };
        {
            let mut taken = lock(&shared.taken);
            while !taken.admits(i, shared.window, shared.budget, shared.jobs) && !shared.stop.load(Ordering::Relaxed) {
                taken = shared.taken_cv.wait(taken).unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        }
        lock(slot).current = Some((i, source.clone(), Instant::now(), Progress::default()));
        let resume = shared.resume.as_deref();
        let outcome = convert_tracked(&source, &mut reader, &shared.opts, resume, &mut |p| {
            if let Some(cur) = lock(slot).current.as_mut() {
                cur.3 = p.clone();
            }
        });
        let mut s = lock(slot);
        if s.abandoned {
            drop(s);
            shared.abandoned_alive.fetch_sub(1, Ordering::Relaxed);
            return;
        }
        s.current = None;
        drop(s);
        let size = outcome_bytes(&outcome);
        lock(&shared.taken).pending_bytes += size;
        if tx.send(Msg::Done(i, Box::new(outcome), size)).is_err() {
            return;
        }
    }
}

/// Converts `sources` and hands every outcome to `sink` in source order.
/// The sink returns `false` to stop the batch early (for example when an
/// output cannot be written). `interrupt` stops the batch when set (a
/// signal handler's flag); outcomes handed over until then are complete.
/// Returns `true` when every source was handed to the sink.
pub fn run(
    sources: impl Iterator<Item = Source> + Send + 'static,
    run_opts: &RunOptions,
    opts: &Options,
    resume: Option<Arc<dyn Resume>>,
    interrupt: &AtomicBool,
    sink: impl FnMut(usize, Outcome) -> bool,
) -> bool {
    let budget = PENDING_BYTES_PER_JOB * run_opts.jobs.max(1);
    run_budgeted(sources, run_opts, opts, resume, interrupt, budget, sink)
}

/// [`run`] with `budget` bytes of finished outcomes waiting for the sink
/// before workers hold back.
fn run_budgeted(
    sources: impl Iterator<Item = Source> + Send + 'static,
    run_opts: &RunOptions,
    opts: &Options,
    resume: Option<Arc<dyn Resume>>,
    interrupt: &AtomicBool,
    budget: usize,
    mut sink: impl FnMut(usize, Outcome) -> bool,
) -> bool {
    let jobs = run_opts.jobs.max(1);
    let shared = Arc::new(Shared {
        queue: Mutex::new((Box::new(sources), 0, false)),
        taken: Mutex::new(Taken::default()),
        taken_cv: Condvar::new(),
        window: 8 * jobs + 16,
        budget,
        jobs,
        stop: AtomicBool::new(false),
        opts: opts.clone(),
        resume,
        abandoned_alive: AtomicUsize::new(0),
    });
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut slots: Vec<Arc<Mutex<Slot>>> = (0..jobs).filter_map(|_| spawn_worker(&shared, &tx)).collect();
    // Outcomes waiting for their turn, with their counted bytes.
    let mut pending: BTreeMap<usize, (Outcome, usize)> = BTreeMap::new();
    let mut expect = 0usize;
    let mut total: Option<usize> = None;
    let mut warned_stuck = false;
    let finish = |shared: &Shared| {
        shared.stop.store(true, Ordering::Relaxed);
        shared.taken_cv.notify_all();
    };
    loop {
        if total.is_some_and(|t| expect >= t) {
            finish(&shared);
            return true;
        }
        if interrupt.load(Ordering::Relaxed) {
            finish(&shared);
            return false;
        }
        // Wake at the next deadline, and often enough to see `interrupt`.
        let now = Instant::now();
        let mut wait = Duration::from_millis(200);
        if let Some(limit) = run_opts.timeout {
            for slot in &slots {
                if let Some((_, _, started, _)) = &lock(slot).current {
                    wait = wait.min((*started + limit).saturating_duration_since(now));
                }
            }
        }
        match rx.recv_timeout(wait) {
            Ok(Msg::Done(i, outcome, size)) => {
                pending.insert(i, (*outcome, size));
            }
            Ok(Msg::Exhausted(n)) => total = Some(n),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // Cannot happen while `tx` lives; stop rather than spin.
                finish(&shared);
                return false;
            }
        }
        if let Some(limit) = run_opts.timeout {
            let now = Instant::now();
            let mut replace = 0;
            for slot in &slots {
                let mut s = lock(slot);
                let expired = matches!(&s.current, Some((_, _, started, _)) if now.duration_since(*started) >= limit);
                if expired && let Some((i, source, _, progress)) = s.current.take() {
                    s.abandoned = true;
                    shared.abandoned_alive.fetch_add(1, Ordering::Relaxed);
                    let msg = format!(
                        "took longer than {} s and was abandoned (raise the limit with --timeout)",
                        limit.as_secs_f64()
                    );
                    let records = Records::failed(&info_of(&source, &progress), &msg);
                    pending.insert(i, (Outcome { records, bytes: progress.bytes, reused: false }, 0));
                    replace += 1;
                }
            }
            if replace > 0 {
                slots.retain(|s| !lock(s).abandoned);
                slots.extend((0..replace).filter_map(|_| spawn_worker(&shared, &tx)));
                let stuck = shared.abandoned_alive.load(Ordering::Relaxed);
                if stuck > 2 * jobs && !warned_stuck {
                    warned_stuck = true;
                    eprintln!(
                        "wenku: warning: {stuck} abandoned conversions are still running; they hold CPU and memory \
                         until they finish or wenku exits"
                    );
                }
            }
        }
        while let Some((outcome, size)) = pending.remove(&expect) {
            let go_on = sink(expect, outcome);
            expect += 1;
            {
                let mut taken = lock(&shared.taken);
                taken.count = expect;
                taken.pending_bytes -= size;
            }
            shared.taken_cv.notify_all();
            if !go_on {
                finish(&shared);
                return false;
            }
        }
        if slots.is_empty() {
            // Threads could not be spawned at all: convert here, in order.
            let Some(slot) = spawn_worker(&shared, &tx) else {
                eprintln!("wenku: cannot start a worker thread");
                finish(&shared);
                return false;
            };
            slots.push(slot);
        }
    }
}

/// Converts a list of sources with `jobs` threads and no time limit: the
/// simple form of [`run`] for library users and tests.
pub fn run_all(sources: &[Source], jobs: usize, opts: &Options, sink: impl FnMut(usize, Outcome) -> bool) -> bool {
    let run_opts = RunOptions { jobs, timeout: None };
    // Workers may outlive this call (see the module's notes), so they get
    // their own copy of the list.
    let owned: Vec<Source> = sources.to_vec();
    run(owned.into_iter(), &run_opts, opts, None, &AtomicBool::new(false), sink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Location;

    #[test]
    fn ids_are_stable_and_depend_on_place_and_content() {
        let a = doc_id("dumps/a.txt", Some("00"));
        assert_eq!(a, doc_id("dumps/a.txt", Some("00")));
        assert_eq!(a.len(), 16);
        assert_ne!(a, doc_id("dumps/b.txt", Some("00")));
        assert_ne!(a, doc_id("dumps/a.txt", Some("01")));
    }

    #[test]
    fn a_panic_is_caught_quietly_with_its_place() {
        let err = quietly(|| -> u32 { panic!("boom {}", 42) }).unwrap_err();
        assert!(err.starts_with("boom 42 at src/batch.rs:"), "{err}");
        assert_eq!(quietly(|| 7).unwrap(), 7);
    }

    fn problem(name: &str) -> Source {
        Source {
            name: name.into(),
            key: name.into(),
            location: Location::File(name.into()),
            size: 0,
            problem: Some("missing".into()),
        }
    }

    #[test]
    fn outcomes_come_in_source_order_whatever_the_jobs() {
        let sources: Vec<Source> = (0..200).map(|i| problem(&format!("s{i:03}"))).collect();
        for jobs in [1, 3, 8] {
            let mut seen = Vec::new();
            run_all(&sources, jobs, &Options::default(), |i, o| {
                seen.push((i, o.records.document.source));
                true
            });
            let expected: Vec<(usize, String)> = (0..200).map(|i| (i, format!("s{i:03}"))).collect();
            assert_eq!(seen, expected, "jobs {jobs}");
        }
    }

    #[test]
    fn the_source_the_sink_waits_for_starts_whatever_is_pending() {
        let over = Taken { count: 5, pending_bytes: 100 };
        assert!(over.admits(5, 4, 10, 0), "the next source must start, or the batch would stall");
        assert!(!over.admits(6, 4, 10, 0), "others wait while the budget is spent");
        for jobs in 1..=3 {
            let last = 5 + AHEAD_PER_JOB * jobs;
            assert!(over.admits(last, 4, 10, jobs), "two per job start while the sink writes");
            assert!(!over.admits(last + 1, 4, 10, jobs), "and no more");
            let huge = Taken { count: 5, pending_bytes: AHEAD_BYTES_PER_JOB * jobs };
            assert!(huge.admits(5, 4, 10, jobs) && !huge.admits(6, 4, 10, jobs), "not beside a huge outcome");
        }
        let under = Taken { count: 5, pending_bytes: 9 };
        assert!(under.admits(8, 4, 10, 1));
        assert!(!under.admits(9, 4, 10, 1), "the window holds whatever the bytes");
    }

    #[test]
    fn outcome_bytes_count_the_text_of_every_record() {
        let info = SourceInfo { doc_id: "d".into(), source: "s".into(), bytes: 0, sha256: None };
        let mut outcome = Outcome { records: Records::failed(&info, "e"), bytes: 0, reused: false };
        let small = outcome_bytes(&outcome);
        let mut essay = crate::output::EssayRecord {
            doc_id: "d".into(),
            essay_no: 1,
            marker: None,
            title: None,
            text: "文".repeat(10_000),
            chars: 10_000,
            sections: 0,
            truncated: false,
        };
        outcome.records.essays.push(essay.clone());
        essay.text = "字".repeat(5_000);
        outcome.records.essays.push(essay);
        assert!(outcome_bytes(&outcome) >= small + 45_000, "{} vs {small}", outcome_bytes(&outcome));
    }

    /// Real documents (their records hold text) in source order, named by
    /// index, `copies` times over.
    fn documents(copies: usize) -> (Vec<Source>, Vec<String>) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dumps");
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.retain(|p| p.extension().is_some_and(|x| x == "txt"));
        files.sort();
        let mut sources = Vec::new();
        for i in 0..copies * files.len() {
            let path = &files[i % files.len()];
            let size = std::fs::metadata(path).unwrap().len();
            let name = format!("{i:03}-{}", path.file_name().unwrap().to_string_lossy());
            sources.push(Source {
                name: name.clone(),
                key: name,
                location: Location::File(path.clone()),
                size,
                problem: None,
            });
        }
        let names = sources.iter().map(|s| s.name.clone()).collect();
        (sources, names)
    }

    /// Runs `sources` with `jobs` threads and `budget` bytes; returns
    /// whether every source reached the sink, and what it received.
    fn run_collecting(sources: Vec<Source>, jobs: usize, budget: usize) -> (bool, Vec<(usize, Records)>) {
        let run_opts = RunOptions { jobs, timeout: None };
        let mut got = Vec::new();
        let all = run_budgeted(
            sources.into_iter(),
            &run_opts,
            &Options::default(),
            None,
            &AtomicBool::new(false),
            budget,
            |i, o| {
                got.push((i, o.records));
                true
            },
        );
        (all, got)
    }

    #[test]
    fn a_budget_smaller_than_any_outcome_neither_stalls_nor_reorders() {
        let (sources, names) = documents(3);
        assert!(sources.len() >= 6, "fixtures/dumps has text dumps");
        let (all, unbounded) = run_collecting(sources.clone(), 1, usize::MAX);
        assert!(all);
        let unbounded: Vec<Records> = unbounded.into_iter().map(|(_, r)| r).collect();
        assert!(unbounded.iter().any(|r| !r.essays.is_empty()), "some fixtures convert to text");
        for jobs in [1, 2, 4] {
            let (all, got) = run_collecting(sources.clone(), jobs, 1);
            assert!(all, "jobs {jobs}");
            let order: Vec<String> = got.iter().map(|(_, r)| r.document.source.clone()).collect();
            assert_eq!(order, names, "jobs {jobs}");
            assert!(got.iter().enumerate().all(|(n, (i, _))| n == *i), "jobs {jobs}");
            let records: Vec<Records> = got.into_iter().map(|(_, r)| r).collect();
            assert_eq!(records, unbounded, "jobs {jobs}: the budget changes no record");
        }
    }

    #[test]
    fn the_sink_can_stop_the_batch() {
        let sources: Vec<Source> = (0..100).map(|i| problem(&format!("s{i:03}"))).collect();
        let mut n = 0;
        run_all(&sources, 4, &Options::default(), |_, _| {
            n += 1;
            n < 10
        });
        assert_eq!(n, 10);
    }
}
