//! A one-line progress bar for long batches, on standard error.
//!
//! ```text
//! [##########----------]  3120/10000 files  412.3 files/s  2 errors  ETA 16s
//! ```
//!
//! It draws only when standard error is a terminal and the run is not
//! quiet, at most ten times a second whatever the rate of files, and
//! erases itself when the batch ends, so that it never mixes with the
//! summary, with errors, or with output redirected to a file. Counting a
//! file costs a clock read; the bar costs nothing measurable next to
//! converting a document.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Shortest time between two drawings.
const EVERY: Duration = Duration::from_millis(100);
/// Cells of the bar.
const WIDTH: usize = 20;

/// Progress of a batch, of known size or not (sources found as the batch
/// goes): without a total, the bar shows counts and elapsed time.
#[derive(Debug)]
pub struct Progress {
    total: Option<usize>,
    done: usize,
    errors: usize,
    started: Instant,
    /// When the bar was last drawn; `None` before the first drawing.
    drawn: Option<Instant>,
    enabled: bool,
}

impl Progress {
    /// A bar for `total` files (if known), drawn on standard error when
    /// that is a terminal and `quiet` is false.
    pub fn stderr(total: Option<usize>, quiet: bool) -> Self {
        Self::new(total, !quiet && std::io::stderr().is_terminal())
    }

    /// A bar for `total` files (if known), drawn only when `enabled`.
    pub fn new(total: Option<usize>, enabled: bool) -> Self {
        Self { total, done: 0, errors: 0, started: Instant::now(), drawn: None, enabled }
    }

    /// Counts one file, converted or not, and redraws when it is time.
    pub fn file(&mut self, ok: bool) {
        self.done += 1;
        self.errors += usize::from(!ok);
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        // The first drawing waits too: a short batch shows no bar at all.
        let due = self.drawn.map_or(now.duration_since(self.started) >= EVERY, |t| now.duration_since(t) >= EVERY);
        if due {
            self.drawn = Some(now);
            let line = self.line(now.duration_since(self.started));
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{line}\x1b[K");
            let _ = err.flush();
        }
    }

    /// Erases the bar, if it was drawn.
    pub fn finish(&mut self) {
        if self.enabled && self.drawn.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }

    /// The bar's text after `elapsed`.
    pub fn line(&self, elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64();
        let rate = if secs > 0.0 { self.done as f64 / secs } else { 0.0 };
        let mut line = match self.total {
            Some(total) => {
                let filled = (self.done * WIDTH).checked_div(total).unwrap_or(WIDTH).min(WIDTH);
                format!(
                    "[{}{}] {:>w$}/{} files  {:.1} files/s",
                    "#".repeat(filled),
                    "-".repeat(WIDTH - filled),
                    self.done,
                    total,
                    rate,
                    w = total.to_string().len()
                )
            }
            None => format!("{} files  {:.1} files/s", self.done, rate),
        };
        if self.errors > 0 {
            line.push_str(&format!("  {} error{}", self.errors, if self.errors == 1 { "" } else { "s" }));
        }
        match self.total {
            Some(total) if rate > 0.0 && self.done < total => {
                line.push_str(&format!("  ETA {}", clock((total - self.done) as f64 / rate)));
            }
            Some(_) => {}
            None => line.push_str(&format!("  {}", clock(secs))),
        }
        line
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `42s`, `3m05s`, `2h07m`.
fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_files_rate_errors_and_time_left() {
        let mut p = Progress::new(Some(10_000), false);
        for i in 0..3120 {
            p.file(i % 1000 != 0);
        }
        assert_eq!(
            p.line(Duration::from_secs(8)),
            "[######--------------]  3120/10000 files  390.0 files/s  4 errors  ETA 18s"
        );
        let mut done = Progress::new(Some(2), false);
        done.file(true);
        done.file(true);
        assert_eq!(done.line(Duration::from_secs(1)), "[####################] 2/2 files  2.0 files/s");
        // Sources found as the batch goes: no total, no bar, the time so far.
        let mut open = Progress::new(None, false);
        for _ in 0..125 {
            open.file(true);
        }
        assert_eq!(open.line(Duration::from_secs(65)), "125 files  1.9 files/s  1m05s");
        assert_eq!(clock(185.0), "3m05s");
        assert_eq!(clock(7620.0), "2h07m");
    }

    #[test]
    fn a_disabled_bar_only_counts() {
        let mut p = Progress::new(Some(0), false);
        p.file(false);
        assert_eq!((p.done, p.errors, p.drawn), (1, 1, None));
    }
}
