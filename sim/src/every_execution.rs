//! [`Sim::explore_with`]: explore with a strategy of the caller's own, and see every execution
//! end, failures included.
//!
//! [`Sim::run`] builds its strategy from [`Config::strategy`](crate::Config::strategy) and stops
//! at the first failure, which it replays and explains. A test *of* a strategy needs two things
//! it cannot give: a strategy the caller built (a wrapper that watches the [`Step`]s of a
//! built-in one, as shuttle's `Runner::new(scheduler, config)` takes any scheduler), and the
//! outcome of every execution, since a failure (a deadlock, a panic) is then an outcome to
//! compare, not the end of the run. The protocol:
//!
//! 1. Execution `i` (0-based) begins with [`Strategy::begin`]`(i, execution_seed(seed, i))`;
//!    the run ends when it returns `false` or after [`Config::iterations`](crate::Config::iterations)
//!    executions.
//! 2. Each execution runs as under [`Sim::run`] (same limits, tolerated kinds, watchdog), then
//!    [`Strategy::end`] is called, then `each` gets its [`Ended`].
//! 3. A failing execution is not replayed or explained, and nothing is read from or written to
//!    a regression file; [`Config::schedule`](crate::Config::schedule),
//!    [`Config::check_determinism`](crate::Config::check_determinism) and
//!    [`Config::capture_logs`](crate::Config::capture_logs) are not used.
//!
//! [`Step`]: crate::strategy::Step

use std::future::Future;

use weft_core::{BoxFuture, FailureKind, Fault};

use crate::backend::SimRuntime;
use crate::rng::execution_seed;
use crate::run_loop;
use crate::runner::{next_id, Report, Sim, SimError};
use crate::strategy::Strategy;
use crate::trace::{Recording, Trace};
use crate::watchdog::Watchdog;

/// How one execution of [`Sim::explore_with`] ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ended {
    /// Its index in the exploration (0-based).
    pub execution: u64,
    /// Why it failed, if it did.
    pub fault: Option<Fault>,
    /// The kinds of the checker findings it tolerated ([`Config::tolerate`](crate::Config::tolerate)),
    /// in the order first found.
    pub tolerated: Vec<FailureKind>,
}

impl Sim {
    /// Explores `body` with `strategy` instead of the configured one, giving every execution's
    /// end to `each` and going on after failures; see the [module documentation](self). The
    /// report counts every execution; [`Report::tolerated`] stays empty (`each` sees them).
    pub fn explore_with<F, Fut>(
        &self,
        mut strategy: Box<dyn Strategy>,
        body: F,
        mut each: impl FnMut(&Ended),
    ) -> Result<Report, SimError>
    where
        F: Fn(SimRuntime) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.config().validate().map_err(SimError::Config)?;
        let watchdog = Watchdog::start(self.config().watchdog);
        let run = self.with_pulse(watchdog.as_ref().map(Watchdog::pulse));
        let limits = run.limits();
        let description = strategy.describe();
        let root = |id: u64| -> BoxFuture { Box::pin(body(SimRuntime { exec_id: id })) };
        let mut executions = 0;
        while executions < self.config().iterations {
            let seed = execution_seed(self.config().seed, executions);
            if !strategy.begin(executions, seed) {
                break;
            }
            let out = run_loop::run(
                next_id(),
                seed,
                strategy,
                Trace::new(Recording::Off),
                &limits,
                root,
            );
            strategy = out.strategy;
            strategy.end(out.decisions);
            each(&Ended {
                execution: executions,
                fault: out.failure.map(|r| r.fault),
                tolerated: out.tolerated.iter().map(|(kind, _, _)| *kind).collect(),
            });
            executions += 1;
        }
        Ok(Report {
            executions,
            exhausted: strategy.exhausted(),
            strategy: description,
            tolerated: Vec::new(),
            stale: Vec::new(),
            bound_reached: strategy.bound_reached(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use weft_core::sync::{Mutex, SharedCell};
    use weft_core::{FailureKind, Runtime};

    use crate::strategy::Dfs;
    use crate::{Config, Sim};

    /// ABBA: two tasks take two locks in opposite orders, each across a scheduling point.
    /// Some interleavings deadlock; DFS explores them all, and `each` sees every one.
    #[test]
    fn every_execution_is_seen_and_failures_do_not_stop_the_run() {
        let sim = Sim::new(Config::default().iterations(10_000).progress(None));
        let mut ends = Vec::new();
        let report = sim
            .explore_with(
                Box::new(Dfs::new(None)),
                |rt| async move {
                    let (a, b) = (Arc::new(Mutex::new(&rt, ())), Arc::new(Mutex::new(&rt, ())));
                    let (a2, b2) = (a.clone(), b.clone());
                    let other = rt.spawn("other", async move {
                        let _b = b2.lock().await;
                        let _a = a2.lock().await;
                    });
                    {
                        let _a = a.lock().await;
                        let _b = b.lock().await;
                    }
                    other.join().await;
                },
                |ended| ends.push(ended.clone()),
            )
            .unwrap();
        assert_eq!(report.exhausted, Some(true));
        assert_eq!(report.executions, ends.len() as u64);
        assert!(ends
            .iter()
            .enumerate()
            .all(|(i, e)| e.execution == i as u64));
        let deadlocks = ends
            .iter()
            .filter(|e| e.fault.as_ref().map(|f| f.kind) == Some(FailureKind::Deadlock))
            .count();
        assert!(
            deadlocks > 0 && deadlocks < ends.len(),
            "{deadlocks} of {}",
            ends.len()
        );
        assert!(ends.iter().all(|e| e.tolerated.is_empty()));
    }

    /// A tolerated race is listed in the execution that found it; the run goes on.
    #[test]
    fn tolerated_findings_are_listed_per_execution() {
        let sim = Sim::new(
            Config::default()
                .iterations(10_000)
                .progress(None)
                .tolerate(FailureKind::DataRace),
        );
        let mut ends = Vec::new();
        sim.explore_with(
            Box::new(Dfs::new(None)),
            |rt| async move {
                let cell = Arc::new(SharedCell::new(&rt, 0));
                let c2 = cell.clone();
                let t = rt.spawn("writer", async move { c2.set(1) });
                cell.set(2);
                t.join().await;
            },
            |ended| ends.push(ended.clone()),
        )
        .unwrap();
        assert!(!ends.is_empty());
        assert!(ends
            .iter()
            .all(|e| e.fault.is_none() && e.tolerated == [FailureKind::DataRace]));
    }
}
