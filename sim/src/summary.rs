//! The one-line summary of a passing run: [`Report`]'s `Display`, and when
//! [`Sim::check`](crate::Sim::check) prints it.
//!
//! ```text
//! weft-sim: passed 1000 executions, strategy pct(d=3)
//! weft-sim: passed 20 executions, exhausted, strategy dfs
//! ```
//!
//! `Sim::check` prints it on stdout when [`Config::summary`](crate::Config::summary) says so;
//! by default, when the check runs in a `cargo test` test thread, whose stdout the test harness
//! captures: it is then seen with `--nocapture` (or in the output of a failing test) and
//! nowhere else. Benchmarks and programs (the main thread) print nothing unless asked.

use std::fmt;

use crate::runner::Report;

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "weft-sim: passed {} executions", self.executions)?;
        match self.exhausted {
            Some(true) => f.write_str(", exhausted")?,
            Some(false) => f.write_str(", not exhausted")?,
            None => {}
        }
        write!(f, ", strategy {}", self.strategy)?;
        for t in &self.tolerated {
            write!(
                f,
                ", tolerated {} {} finding(s) in {} execution(s)",
                t.findings, t.kind, t.executions
            )?;
        }
        Ok(())
    }
}

/// Whether to print the summary: as configured, else when on a test harness thread (the test
/// harness names its threads after the tests; a program's main thread is `main`).
pub(crate) fn wanted(configured: Option<bool>) -> bool {
    configured.unwrap_or_else(|| std::thread::current().name().is_some_and(|n| n != "main"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(exhausted: Option<bool>) -> Report {
        Report {
            executions: 20,
            exhausted,
            bound_reached: None,
            strategy: "dfs".into(),
            tolerated: Vec::new(),
            stale: Vec::new(),
        }
    }

    #[test]
    fn one_line_per_kind_of_strategy() {
        assert_eq!(
            report(Some(true)).to_string(),
            "weft-sim: passed 20 executions, exhausted, strategy dfs"
        );
        assert_eq!(
            report(Some(false)).to_string(),
            "weft-sim: passed 20 executions, not exhausted, strategy dfs"
        );
        assert_eq!(
            report(None).to_string(),
            "weft-sim: passed 20 executions, strategy dfs"
        );
    }

    #[test]
    fn a_test_thread_wants_it_unless_configured_off() {
        assert!(wanted(None), "libtest runs this test on a named thread");
        assert!(!wanted(Some(false)));
        let main_like = std::thread::Builder::new()
            .name("main".into())
            .spawn(|| wanted(None))
            .unwrap();
        assert!(!main_like.join().unwrap());
    }
}
