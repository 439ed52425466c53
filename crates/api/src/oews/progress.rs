//! Progress of a long import: a bar with rows per second on a terminal,
//! plain lines otherwise (a log, CI), nothing for tests.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

pub struct Progress {
    label: String,
    bar: Option<ProgressBar>,
    lines: bool,
    count: AtomicU64,
    started: Instant,
}

/// How often a plain line is printed.
const LINE_EVERY: u64 = 50_000;

impl Progress {
    /// A bar when standard error is a terminal, plain lines otherwise.
    pub fn for_stderr(label: &str) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let bar = terminal.then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}: {human_pos} rows ({per_sec})")
                    .expect("a valid template"),
            );
            bar.set_message(label.to_owned());
            bar
        });
        Self {
            label: label.to_owned(),
            bar,
            lines: !terminal,
            count: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    /// Shows nothing.
    pub fn quiet() -> Self {
        Self {
            label: String::new(),
            bar: None,
            lines: false,
            count: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    pub fn advance(&self, rows: u64) {
        let count = self.count.fetch_add(rows, Ordering::Relaxed) + rows;
        if let Some(bar) = &self.bar {
            bar.inc(rows);
        } else if self.lines && count % LINE_EVERY < rows {
            eprintln!(
                "{}: {count} rows ({:.0} rows/s)",
                self.label,
                self.rate(count)
            );
        }
    }

    /// Says what happened, and clears the bar.
    pub fn finish(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.bar.is_some() || self.lines {
            eprintln!("{message}");
        }
    }

    pub fn rows(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    pub fn seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    fn rate(&self, count: u64) -> f64 {
        count as f64 / self.seconds().max(1e-9)
    }
}
