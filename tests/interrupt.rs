//! Killing runs at random points (SIGKILL, SIGTERM, SIGINT): every output
//! is the previous complete version or absent (or the new complete one,
//! once renamed), and `--resume` finishes to the same bytes as one
//! uninterrupted run, without converting again what was finished.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{fixture, tempdir};

/// Every output file of a folder (json/ files as `json/<name>`), with its
/// bytes; the journal, the lock and report.json are left out.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name == "json" {
            for j in std::fs::read_dir(&path).unwrap().flatten() {
                files.insert(format!("json/{}", j.file_name().to_string_lossy()), std::fs::read(j.path()).unwrap());
            }
        } else if path.is_file() && !name.starts_with('.') && name != "report.json" {
            files.insert(name, std::fs::read(&path).unwrap());
        }
    }
    files
}

fn json_files(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<&String, &Vec<u8>> {
    files.iter().filter(|(k, _)| k.starts_with("json/")).collect()
}

/// Checks that each output in `dir` is one of the complete versions.
fn check_whole(dir: &Path, versions: &[&BTreeMap<String, Vec<u8>>], when: &str) {
    let now = outputs(dir);
    for (name, bytes) in now.iter().filter(|(k, _)| !k.starts_with("json/")) {
        assert!(
            versions.iter().any(|v| v.get(name) == Some(bytes)),
            "{when}: {name} is neither a previous complete version nor the new one ({} bytes)",
            bytes.len()
        );
    }
    let json = json_files(&now);
    if dir.join("json").exists() {
        assert!(versions.iter().any(|v| json_files(v) == json), "{when}: json/ is a mix ({} files)", json.len());
    }
    let report = dir.join("report.json");
    if report.exists() {
        let text = std::fs::read_to_string(&report).unwrap();
        assert!(serde_json::from_str::<Value>(&text).is_ok(), "{when}: report.json is cut");
    }
}

/// A small deterministic generator (the seed is printed, to replay a
/// failure).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn wenku(cwd: &Path, out: &str, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wenku"));
    cmd.args(["-q", "-j", "2", "-o", out]).args(extra).arg("in").current_dir(cwd);
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    cmd
}

fn journal_entries(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join(".wenku-journal")).map_or(0, |j| j.lines().count().saturating_sub(1))
}

fn report(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap()
}

#[test]
fn killed_runs_leave_whole_outputs_and_resume_to_the_same_bytes() {
    let tmp = tempdir();
    let root: PathBuf = tmp.path().to_path_buf();
    // Enough sources that kills land mid-run: the fixtures many times over,
    // more copies on a faster machine or build (a release build converts
    // three copies in about 0.1 s, too quick to hit).
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let mut n = 0;
    let mut copies = 0;
    let full = loop {
        for copy in copies..copies + 3 {
            for dir in ["dumps", "seed"] {
                for entry in std::fs::read_dir(fixture(dir)).unwrap().flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".txt") || name.ends_with(".docx") {
                        let sub = input.join(format!("c{copy}"));
                        std::fs::create_dir_all(&sub).unwrap();
                        std::fs::copy(entry.path(), sub.join(format!("{dir}_{name}"))).unwrap();
                        n += 1;
                    }
                }
            }
        }
        copies += 3;
        // The reference: one uninterrupted run.
        let _ = std::fs::remove_dir_all(root.join("ref"));
        let started = Instant::now();
        let o = wenku(&root, "ref", &[]).output().unwrap();
        let full = started.elapsed();
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        if full >= Duration::from_millis(800) || copies >= 60 {
            break full;
        }
    };
    let new = outputs(&root.join("ref"));
    // The previous version in the output folder: a run over a part.
    let part = root.join("part");
    std::fs::create_dir_all(part.join("in")).unwrap();
    std::fs::copy(fixture("seed/seed.txt"), part.join("in/seed.txt")).unwrap();
    assert_eq!(wenku(&part, "../out", &[]).output().unwrap().status.code(), Some(0));
    let old = outputs(&root.join("out"));
    assert!(!old.is_empty());

    let seed = std::env::var("WENKU_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("{n} sources, uninterrupted run {:.2} s, kill seed {seed} (WENKU_KILL_SEED)", full.as_secs_f64());
    let mut rng = Lcg(seed);
    let signals = [libc::SIGKILL, libc::SIGTERM, libc::SIGINT];
    let (mut killed, mut completed, mut graceful) = (0, 0, 0);
    let rounds = 26;
    for round in 0..rounds {
        let sig = signals[round % 3];
        // Aim within what is left to do: a resumed run skips what the
        // journal holds.
        let before = journal_entries(&root.join("out"));
        let left = full.as_millis() as u64 * (n - before.min(n)) as u64 / n as u64;
        // One round in five aims at the end, where outputs are renamed.
        let delay = if round % 5 == 4 {
            Duration::from_millis(left * 8 / 10 + rng.next() % (left * 3 / 10).max(30))
        } else {
            Duration::from_millis(20 + rng.next() % (left * 9 / 10).max(30))
        };
        let mut child = wenku(&root, "out", &["--resume"]).spawn().unwrap();
        std::thread::sleep(delay);
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, sig) };
        let status = child.wait().unwrap();
        let when = format!("round {round}, signal {sig} after {delay:?}");
        match status.code() {
            Some(0) => completed += 1,
            Some(130) | Some(143) => {
                graceful += 1;
                // A graceful stop keeps what it finished and leaves no
                // temporary files.
                assert!(journal_entries(&root.join("out")) >= before, "{when}: journal lost entries");
                let litter: Vec<String> = std::fs::read_dir(root.join("out"))
                    .unwrap()
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
                    .collect();
                assert!(litter.is_empty(), "{when}: left {litter:?}");
            }
            None => killed += 1,
            Some(other) => panic!("{when}: exit status {other}"),
        }
        check_whole(&root.join("out"), &[&old, &new], &when);
    }
    eprintln!(
        "{rounds} rounds: {killed} killed, {graceful} stopped gracefully, {completed} completed before the signal"
    );
    assert!(killed + graceful >= 20, "kills must land mid-run: only {} did", killed + graceful);

    // One more interrupted run, then a resume that reuses all it finished.
    let mut child = wenku(&root, "out", &[]).spawn().unwrap();
    std::thread::sleep(full / 2);
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    child.wait().unwrap();
    let finished = journal_entries(&root.join("out"));
    let o = wenku(&root, "out", &["--resume"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(outputs(&root.join("out")), new, "resumed outputs differ from an uninterrupted run");
    let (r, reference) = (report(&root.join("out")), report(&root.join("ref")));
    assert_eq!(r["reused"].as_u64().unwrap() as usize, finished, "finished sources are not converted again");
    for key in ["documents", "converted", "failed", "essays", "sections", "chars", "errors", "outputs"] {
        assert_eq!(r[key], reference[key], "report.json {key}");
    }
    assert!(!root.join("out/.wenku-journal").exists(), "a complete run removes its journal");
}
