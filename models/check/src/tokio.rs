//! The tokio adapter: the scenario run again and again on a real tokio runtime, as a stress
//! test. The runtime is built here only: the multi-thread runtime (two workers), or for
//! [`Flavour::PausedClock`] the current-thread runtime with tokio's paused clock (time jumps
//! to the next timer when every task waits; tokio pauses its clock only there).
//!
//! A run ends when its root task finishes, when a task panics (what waits for it may wait
//! forever), or after [`defaults::TOKIO_HANG_LIMIT`], which counts as a deadlock.

#![allow(clippy::disallowed_methods)] // the stress loop waits on wall time

use std::time::{Duration, Instant};

use weft_core::backend::tokio::TokioRuntime;
use weft_core::{FailureKind, Fault, Runtime};
use weft_models::scenario::Scenario;

use crate::defaults::TOKIO_HANG_LIMIT;
use crate::finding::{self, Finding, Reproduce};
use crate::outcome::Outcome;
use crate::panic::silenced;
use crate::plan::{Flavour, Plan};

/// The runtime of `flavour`.
fn runtime(flavour: Flavour) -> ::tokio::runtime::Runtime {
    match flavour {
        Flavour::PausedClock => ::tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build(),
        Flavour::MultiThread => ::tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build(),
    }
    .expect("a tokio runtime")
}

/// Runs a tokio plan `runs` times on `flavour`.
pub(crate) fn run<S: Scenario>(plan: &Plan, runs: u64, flavour: Flavour) -> Outcome {
    let runtime = runtime(flavour);
    // Under the paused clock a poll's sleep is where time may jump, so it is long enough not
    // to walk a 60 s timer in tiny steps; it costs no wall time.
    let poll = match flavour {
        Flavour::PausedClock => Duration::from_secs(1),
        Flavour::MultiThread => Duration::from_micros(200),
    };
    let (variant, scale) = (plan.variant(), plan.scale());
    let (failed_runs, first) = silenced(|| {
        runtime.block_on(async move {
            let mut failed = 0u64;
            let mut first: Option<Finding> = None;
            for i in 1..=runs {
                let rt = TokioRuntime::new();
                let root = rt.spawn("root", S::run_variant(rt.clone(), variant, scale));
                let started = Instant::now();
                while !root.is_finished()
                    && rt.faults().is_empty()
                    && started.elapsed() < TOKIO_HANG_LIMIT
                {
                    ::tokio::time::sleep(poll).await;
                }
                let found = if let Some(fault) = rt.faults().into_iter().next() {
                    Some(of_fault(&fault, i))
                } else if !root.is_finished() {
                    Some(hung(i))
                } else {
                    // A panic is recorded just after the handle sees the task finish.
                    ::tokio::time::sleep(Duration::from_millis(1)).await;
                    rt.faults().into_iter().next().map(|f| of_fault(&f, i))
                };
                if let Some(f) = found {
                    failed += 1;
                    first.get_or_insert(f);
                }
            }
            (failed, first)
        })
    });
    runtime.shutdown_background();
    let mut out = Outcome::of(plan);
    out.executions = runs;
    out.failed_runs = Some(failed_runs);
    out.finding = first;
    out
}

/// A task's fault (a weft check, or a plain panic) in run `run` as a finding.
fn of_fault(fault: &Fault, run: u64) -> Finding {
    finding::of_fault(fault, fault.to_string(), run, Reproduce::Rerun)
}

/// Run `run` did not finish within the hang limit: a deadlock.
fn hung(run: u64) -> Finding {
    let fault = Fault::new(
        FailureKind::Deadlock,
        format!("run {run} did not finish within {TOKIO_HANG_LIMIT:?}"),
    );
    of_fault(&fault, run)
}
