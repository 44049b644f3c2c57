//! Runs one execution: pick, poll, repeat; then the end-of-execution oracles.
//!
//! Loop invariant: between two polls no task is borrowed from the table, so funnels called
//! from inside a poll (and wakers, and destructors) can always reach the execution state.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::task::{Context, Poll};

use weft_core::error::panic_message;
use weft_core::{BoxFuture, FailureKind};

use crate::backend::SimAbort;
use crate::context::Enter;
use crate::execution::{Exec, Recorded};
use crate::panic_hook;
use crate::schedule::{Decision, Schedule};
use crate::strategy::{Candidate, DecisionPoint, Strategy};
use crate::task::{waker, TaskState};
use crate::trace::{EventKind, Trace};
use crate::watchdog::Pulse;

/// Limits and declarations for one execution.
#[derive(Clone, Debug)]
pub(crate) struct Limits {
    pub(crate) max_steps: u64,
    /// Weft operations one step may make (spin detection inside a step).
    pub(crate) max_step_ops: u64,
    /// Name prefixes of tasks allowed to outlive the root task.
    pub(crate) allow_outlive: Vec<String>,
    /// Checker findings counted instead of failing the execution.
    pub(crate) tolerate: Vec<FailureKind>,
    /// What the run's watchdog sees, if it is on.
    pub(crate) pulse: Option<Arc<Pulse>>,
}

/// What one execution produced.
pub(crate) struct Outcome {
    pub(crate) failure: Option<Recorded>,
    pub(crate) schedule: Schedule,
    pub(crate) trace: Trace,
    pub(crate) names: Vec<String>,
    pub(crate) decisions: u64,
    pub(crate) strategy: Box<dyn Strategy>,
    /// Tolerated checker findings: (kind, count, first message).
    pub(crate) tolerated: Vec<(FailureKind, u64, String)>,
}

pub(crate) fn run(
    id: u64,
    seed: u64,
    strategy: Box<dyn Strategy>,
    trace: Trace,
    limits: &Limits,
    root: impl FnOnce(u64) -> BoxFuture,
) -> Outcome {
    panic_hook::install();
    let mut exec = Exec::new(id, seed, strategy, trace);
    exec.tolerate = limits.tolerate.clone();
    exec.max_step_ops = limits.max_step_ops;
    exec.pulse = limits.pulse.clone();
    if let Some(pulse) = &exec.pulse {
        pulse.begin_execution(seed);
    }
    let cell = RefCell::new(exec);
    let _enter = Enter::new(&cell);
    cell.borrow_mut().spawn("main", root(id));
    let mut candidates = Vec::with_capacity(8);
    loop {
        let picked = {
            let mut e = cell.borrow_mut();
            if e.failure.is_some() {
                break;
            }
            let current = e.candidates(&mut candidates);
            if candidates.is_empty() {
                if e.advance_time() {
                    continue;
                }
                end_of_execution(&mut e, limits);
                if e.failure.is_none() {
                    if let Err(msg) = e.strategy.check_finished() {
                        e.record_failure(FailureKind::Divergence, msg);
                    }
                }
                break;
            }
            e.step += 1;
            if e.step > limits.max_steps {
                let msg = format!(
                    "step bound exceeded: the execution took more than {} steps (a livelock or a \
                     spin loop?); raise the bound with WEFT_MAX_STEPS or Config::max_steps",
                    limits.max_steps
                );
                e.record_failure(FailureKind::StepBound, msg);
                break;
            }
            if candidates.len() == 1 {
                candidates[0]
            } else {
                let decision = e.decisions;
                e.decisions += 1;
                let yielding = current.is_some() && e.yielding;
                let point = DecisionPoint {
                    candidates: &candidates,
                    current,
                    yielding,
                    decision,
                };
                match e.strategy.pick(&point) {
                    Ok(i) => {
                        let c = candidates[i];
                        e.schedule.decisions.push(match c {
                            Candidate::Task(t) => Decision::Task(t),
                            Candidate::Timer(t) => Decision::Timer(t),
                        });
                        c
                    }
                    Err(msg) => {
                        e.record_failure(FailureKind::Divergence, msg);
                        break;
                    }
                }
            }
        };
        match picked {
            Candidate::Timer(t) => cell.borrow_mut().fire(t),
            Candidate::Task(t) => poll_task(&cell, id, t),
        }
    }
    teardown(&cell);
    drop(_enter);
    let e = cell.into_inner();
    Outcome {
        failure: e.failure,
        schedule: e.schedule,
        names: e.causality.into_names(),
        trace: e.trace,
        decisions: e.decisions,
        tolerated: e.tolerated,
        strategy: e.strategy,
    }
}

fn poll_task(cell: &RefCell<Exec>, id: u64, task: u32) {
    let mut future = {
        let mut e = cell.borrow_mut();
        e.current = task;
        e.yielding = false;
        e.step_ops = 0;
        e.step_last = None;
        if let Some(pulse) = &e.pulse {
            let last_op = e.tasks[task as usize].last_op;
            pulse.step_started(task, e.step, last_op, &e.schedule.decisions);
        }
        let t = &mut e.tasks[task as usize];
        t.state = TaskState::Blocked;
        t.future.take().expect("a runnable task has its future")
    };
    let waker = waker(id, task);
    let mut cx = Context::from_waker(&waker);
    let result = catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx)));
    match result {
        Ok(Poll::Pending) => {
            cell.borrow_mut().tasks[task as usize].future = Some(future);
        }
        Ok(Poll::Ready(())) => {
            {
                let mut e = cell.borrow_mut();
                e.tasks[task as usize].state = TaskState::Finished;
                e.event(EventKind::Finished);
            }
            drop_quietly(future);
        }
        Err(payload) => {
            let mut e = cell.borrow_mut();
            e.tasks[task as usize].state = TaskState::Finished;
            if !payload.is::<SimAbort>() {
                let message = panic_message(&*payload);
                let kind = FailureKind::classify(&message);
                let text = strip_tag(&message);
                let text = match panic_hook::take_site() {
                    Some(site) => format!("{text} (panicked at {site})"),
                    None => text,
                };
                e.record_failure(kind, text);
            }
            let msg = e
                .failure
                .as_ref()
                .map(|f| f.message.clone())
                .unwrap_or_default();
            e.event(EventKind::Failed(msg));
            drop(e);
            drop_quietly(future);
        }
    }
    if let Some(pulse) = &cell.borrow().pulse {
        pulse.step_ended();
    }
}

fn strip_tag(message: &str) -> String {
    match message
        .strip_prefix("[weft:")
        .and_then(|r| r.split_once("] "))
    {
        Some((_, rest)) => rest.to_string(),
        None => message.to_string(),
    }
}

fn drop_quietly(future: BoxFuture) {
    let _ = catch_unwind(AssertUnwindSafe(move || drop(future)));
}

fn end_of_execution(e: &mut Exec, limits: &Limits) {
    let root_done = e.tasks[0].state == TaskState::Finished;
    let stuck: Vec<usize> = (0..e.tasks.len())
        .filter(|i| e.tasks[*i].state != TaskState::Finished)
        .filter(|i| {
            !root_done
                || !limits
                    .allow_outlive
                    .iter()
                    .any(|p| e.causality.name_ref(*i).is_some_and(|n| n.starts_with(p)))
        })
        .collect();
    if stuck.is_empty() {
        return;
    }
    let lines: Vec<String> = stuck
        .iter()
        .map(|i| {
            let name = e.task_name(*i);
            match e.tasks[*i].last_op {
                Some(op) => format!("  task '{name}' is blocked in {} at {}", op.name, op.site),
                None => format!("  task '{name}' never ran"),
            }
        })
        .collect();
    let (kind, head) = if root_done {
        (
            FailureKind::Leak,
            "task leak: the root task finished, but at quiescence these tasks are still alive \
             and nothing can wake them",
        )
    } else {
        (
            FailureKind::Deadlock,
            "deadlock: every task is blocked and no timer is pending",
        )
    };
    e.current = stuck[0] as u32;
    e.record_failure(kind, format!("{head}:\n{}", lines.join("\n")));
}

fn teardown(cell: &RefCell<Exec>) {
    let leftovers: Vec<BoxFuture> = {
        let mut e = cell.borrow_mut();
        e.tearing_down = true;
        e.tasks.iter_mut().filter_map(|t| t.future.take()).collect()
    };
    for f in leftovers {
        drop_quietly(f);
    }
}
