//! Progress lines for long runs, on stderr.
//!
//! The runner calls [`Progress::tick`] after every execution. The first line appears only once
//! the run has lasted one interval (so a short test prints nothing), then at most one line per
//! interval:
//!
//! ```text
//! weft-sim [my_test]: 48210 executions, 9642/s, dfs depth 37, 112 branches open, 5.0s elapsed
//! ```
//!
//! The bracket names the thread of the run (under `cargo test`, the test), so the lines of
//! tests running in parallel can be told apart; a program's main thread is not named.
//!
//! The strategy adds its own part ([`Strategy::progress`]). Wall time is only read here and
//! only printed: it never reaches the simulation.

// Progress is reported in wall time on purpose (executions per second, elapsed); it never
// feeds back into scheduling.
#![allow(clippy::disallowed_methods)]

use std::io::Write;
use std::time::{Duration, Instant};

use crate::strategy::Strategy;

/// Prints progress lines to a writer (stderr in a run).
pub(crate) struct Progress<W: Write> {
    /// `weft-sim`, with the thread's name in brackets unless it is `main`.
    label: String,
    interval: Duration,
    start: Instant,
    next: Instant,
    out: W,
}

impl Progress<std::io::Stderr> {
    /// Progress on stderr every `interval`; `None`: off.
    pub(crate) fn stderr(interval: Option<Duration>) -> Option<Self> {
        let label = match std::thread::current().name() {
            Some(name) if name != "main" => format!("weft-sim [{name}]"),
            _ => "weft-sim".to_string(),
        };
        interval.map(|i| Progress::new(label, i, std::io::stderr()))
    }
}

impl<W: Write> Progress<W> {
    pub(crate) fn new(label: String, interval: Duration, out: W) -> Self {
        let start = Instant::now();
        Progress {
            label,
            interval,
            start,
            next: start + interval,
            out,
        }
    }

    /// After `executions` executions: prints a line if the interval has passed.
    pub(crate) fn tick(&mut self, executions: u64, strategy: &dyn Strategy) {
        let now = Instant::now();
        if now < self.next {
            return;
        }
        self.next = now + self.interval;
        let elapsed = now - self.start;
        let rate = executions as f64 / elapsed.as_secs_f64().max(1e-9);
        let detail = match strategy.progress() {
            Some(d) => format!("{} {d}, ", strategy.describe()),
            None => format!("{}, ", strategy.describe()),
        };
        // A failed write to stderr is not worth failing the run for.
        let _ = writeln!(
            self.out,
            "{}: {executions} executions, {rate:.0}/s, {detail}{:.1}s elapsed",
            self.label,
            elapsed.as_secs_f64()
        );
    }

    #[cfg(test)]
    fn into_inner(self) -> W {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::{Dfs, RandomWalk};

    #[test]
    fn nothing_before_the_first_interval() {
        let mut p = Progress::new("weft-sim".into(), Duration::from_secs(3600), Vec::new());
        for i in 0..1000 {
            p.tick(i, &RandomWalk::default());
        }
        assert!(p.into_inner().is_empty());
    }

    #[test]
    fn a_line_per_interval_with_the_strategy_part() {
        let mut p = Progress::new("weft-sim".into(), Duration::from_millis(5), Vec::new());
        let dfs = Dfs::new(None);
        std::thread::sleep(Duration::from_millis(6));
        p.tick(10, &dfs);
        p.tick(11, &dfs); // within the interval: no line
        std::thread::sleep(Duration::from_millis(6));
        p.tick(20, &dfs);
        let out = String::from_utf8(p.into_inner()).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(
            lines[0].starts_with("weft-sim: 10 executions, ") && lines[0].contains("/s, dfs "),
            "{out}"
        );
        assert!(
            lines[0].contains("depth") && lines[0].ends_with("s elapsed"),
            "{out}"
        );
        assert!(lines[1].starts_with("weft-sim: 20 executions"), "{out}");
    }
}
