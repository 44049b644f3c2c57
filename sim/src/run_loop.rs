//! Runs one execution: pick, poll, repeat; then the end-of-execution oracles.
//!
//! Loop invariant: between two polls no task is borrowed from the table, so funnels called
//! from inside a poll (and wakers, and destructors) can always reach the execution state.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::task::{Context, Poll};

use weft_core::error::panic_message;
use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind};

use crate::backend::SimAbort;
use crate::context::Enter;
use crate::execution::{Exec, Recorded};
use crate::node_steps::{apply_crashes, apply_node_events};
use crate::panic_hook;
use crate::schedule::{Decision, Schedule};
use crate::strategy::{Candidate, DecisionPoint, Pending, Step, StepEnd, Strategy};
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
    /// The fault budget of each execution.
    pub(crate) budget: Budget,
}

/// What one execution produced.
pub(crate) struct Outcome {
    pub(crate) failure: Option<Recorded>,
    pub(crate) schedule: Schedule,
    pub(crate) trace: Trace,
    pub(crate) names: Vec<String>,
    pub(crate) decisions: u64,
    /// Preemptions the schedule made ([`DecisionPoint::preempts`]).
    pub(crate) preemptions: u32,
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
    exec.nodes.budget = limits.budget;
    exec.nodes.declared = limits.budget;
    if let Some(pulse) = &exec.pulse {
        pulse.begin_execution(seed);
    }
    let cell = RefCell::new(exec);
    let _enter = Enter::new(&cell);
    cell.borrow_mut().spawn("main", root(id));
    let mut candidates = Vec::with_capacity(8);
    loop {
        apply_node_events(&cell);
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
                if e.step_record.is_some() {
                    e.strategy.forced(candidates[0]);
                }
                (candidates[0], false)
            } else {
                let decision = e.decisions;
                e.decisions += 1;
                let yielding = current.is_some() && e.yielding;
                let e = &mut *e;
                let point = DecisionPoint {
                    candidates: &candidates,
                    pending: Pending::new(&e.tasks, &e.timers),
                    current,
                    yielding,
                    decision,
                };
                match e.strategy.pick(&point) {
                    Ok(i) => {
                        if point.preempts(i) {
                            e.preemptions += 1;
                        }
                        let c = candidates[i];
                        e.schedule.decisions.push(match c {
                            Candidate::Task(t) => Decision::Task(t),
                            Candidate::Timer(t) => Decision::Timer(t),
                        });
                        (c, true)
                    }
                    Err(msg) => {
                        e.record_failure(FailureKind::Divergence, msg);
                        break;
                    }
                }
            }
        };
        let (picked, decided) = picked;
        begin_step(&mut cell.borrow_mut(), picked);
        let end = match picked {
            Candidate::Timer(t) => {
                cell.borrow_mut().fire(t);
                StepEnd::Fired
            }
            Candidate::Task(t) => {
                poll_task(&cell, id, t);
                let mut e = cell.borrow_mut();
                let reached = e.step_last;
                let task = &mut e.tasks[t as usize];
                match task.state {
                    TaskState::Runnable => StepEnd::Yielded,
                    TaskState::Blocked => {
                        // Blocked in the last operation it reached in this step (a sleep),
                        // or, if it reached none, in the one it resumed from (a lock).
                        if reached.is_some() {
                            task.point_op = reached;
                        }
                        StepEnd::Blocked
                    }
                    TaskState::Finished => StepEnd::Finished,
                }
            }
        };
        apply_crashes(&cell);
        end_step(&mut cell.borrow_mut(), picked, end, decided);
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
        preemptions: e.preemptions,
        tolerated: e.tolerated,
        strategy: e.strategy,
    }
}

/// Starts the step log (for strategies that want steps): a task performs the operation it is
/// parked at; a timer fires on its sleep's object.
fn begin_step(e: &mut Exec, picked: Candidate) {
    let pending = Pending::new(&e.tasks, &e.timers).of(picked);
    if let Some(log) = &mut e.step_record {
        log.clear();
        log.actor = match picked {
            Candidate::Task(t) => Some(t),
            Candidate::Timer(_) => None,
        };
        log.accesses.extend(pending);
    }
}

/// Gives the finished step to the strategy, if it wants steps.
fn end_step(e: &mut Exec, actor: Candidate, end: StepEnd, decided: bool) {
    let Some(log) = e.step_record.take() else {
        return;
    };
    e.strategy.stepped(&Step {
        actor,
        accesses: &log.accesses,
        woke: &log.woke,
        spawned: &log.spawned,
        armed: &log.armed,
        choices: &log.choices,
        objects: &log.objects,
        node: e.node_of(actor),
        disabled: &log.disabled,
        end,
        decided,
    });
    e.step_record = Some(log);
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
                // Weft's own failures arrive through `Runtime::fail` (recorded, then `SimAbort`):
                // any other panic is the model's own, whatever its text says.
                let text = panic_message(&*payload);
                let text = match panic_hook::take_site() {
                    Some(site) => format!("{text} (panicked at {site})"),
                    None => text,
                };
                e.record_failure(FailureKind::Panic, text);
            }
            let msg = e
                .failure
                .as_ref()
                .map(|f| f.fault.to_string())
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

pub(crate) fn drop_quietly(future: BoxFuture) {
    let _ = catch_unwind(AssertUnwindSafe(move || drop(future)));
}

fn end_of_execution(e: &mut Exec, limits: &Limits) {
    let root_done = e.tasks[0].state == TaskState::Finished;
    let stuck: Vec<usize> = (0..e.tasks.len())
        .filter(|i| e.tasks[*i].state != TaskState::Finished)
        .filter(|i| {
            // A node's tasks are a server's: they may outlive the root (a deadlock among
            // them while the root still waits is still one).
            !root_done
                || e.tasks[*i].node.is_none()
                    && !limits
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
                // `{op:?}` names the object too (`mutex.lock #3 at ...`): which lock of an
                // ABBA deadlock each task waits on.
                Some(op) => format!("  task '{name}' is blocked in {op:?}"),
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
    // Node start functions hold what they give each incarnation (channel ends): dropped
    // here, inside the execution.
    let nodes = std::mem::take(&mut cell.borrow_mut().nodes.list);
    let _ = catch_unwind(AssertUnwindSafe(move || drop(nodes)));
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex as StdMutex};
    use std::time::Duration;

    use weft_core::sync::Mutex;
    use weft_core::{Op, Runtime};

    use super::*;
    use crate::backend::SimRuntime;
    use crate::trace::Recording;

    /// Picks the last candidate and records what every decision point offered.
    struct Last(Arc<StdMutex<Vec<Vec<Option<Op>>>>>);

    impl Strategy for Last {
        fn describe(&self) -> String {
            "last".to_string()
        }
        fn begin(&mut self, _: u64, _: u64) -> bool {
            true
        }
        fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
            let pending = point.candidates.iter().map(|c| point.pending.of(*c));
            self.0.lock().unwrap().push(pending.collect());
            Ok(point.candidates.len() - 1)
        }
        fn choose(&mut self, _: usize) -> Result<usize, String> {
            Ok(0)
        }
        fn random(&mut self) -> Result<u64, String> {
            Ok(0)
        }
        fn end(&mut self, _: u64) {}
    }

    /// Limits for the small programs of these tests.
    fn small_limits() -> Limits {
        Limits {
            max_steps: 1000,
            max_step_ops: 1000,
            allow_outlive: Vec::new(),
            tolerate: Vec::new(),
            pulse: None,
            budget: Budget::NONE,
        }
    }

    fn show(op: &Option<Op>) -> String {
        match op {
            Some(op) => format!("{} {:?}", op.name, op.touch),
            None => "not started".to_string(),
        }
    }

    /// A strategy sees each candidate's next operation: the one a task is parked at, with its
    /// object and access, and a due timer's firing on its sleep's object.
    #[test]
    fn decision_points_give_each_candidates_pending_operation() {
        let points = Arc::new(StdMutex::new(Vec::new()));
        let limits = small_limits();
        let root = |id: u64| -> BoxFuture {
            let rt = SimRuntime { exec_id: id };
            Box::pin(async move {
                let m = Arc::new(Mutex::new(&rt, 0)); // #1
                let m2 = m.clone();
                let a = rt.spawn("a", async move {
                    // task #2
                    *m2.lock().await += 1;
                    rt.sleep(Duration::from_secs(1)).await; // timer #3
                });
                *m.lock().await += 1;
                rt.sleep(Duration::from_secs(1)).await; // timer #4
                a.join().await;
            })
        };
        let out = run(
            u64::from(u32::MAX) - 7,
            0,
            Box::new(Last(points.clone())),
            Trace::new(Recording::Off),
            &limits,
            root,
        );
        assert!(out.failure.is_none());
        let points = points.lock().unwrap();
        let shown: Vec<Vec<String>> = points
            .iter()
            .map(|p| p.iter().map(show).collect())
            .collect();
        use weft_core::AccessKind::{Acquire, Arm, Fire};
        let at = |n| weft_core::ObjectId::new(n).unwrap();
        assert_eq!(
            shown[..4],
            [
                vec![
                    format!("mutex.lock {:?}", at(1).touch(Acquire)),
                    "not started".into()
                ],
                vec![
                    format!("mutex.lock {:?}", at(1).touch(Acquire)),
                    format!("mutex.lock {:?}", at(1).touch(Acquire)),
                ],
                vec![
                    format!("timer.fire {:?}", at(3).touch(Fire)),
                    format!("timer.fire {:?}", at(4).touch(Fire)),
                ],
                vec![
                    format!("sleep {:?}", at(4).touch(Arm)),
                    format!("timer.fire {:?}", at(3).touch(Fire)),
                ],
            ]
        );
        let (lock, fire3, fire4) = (points[1][0].unwrap(), points[2][0], points[2][1]);
        assert!(lock.conflicts(&points[1][1].unwrap()), "two locks of #1");
        assert!(!fire3.unwrap().conflicts(&fire4.unwrap()), "two timers");
        assert!(
            points[3][0].unwrap().conflicts(&fire4.unwrap()),
            "a sleep's arming and its firing"
        );
    }

    /// Records every step as `actor: accesses -> end` (names only).
    struct Steps(Arc<StdMutex<Vec<String>>>);

    impl Strategy for Steps {
        fn describe(&self) -> String {
            "steps".to_string()
        }
        fn begin(&mut self, _: u64, _: u64) -> bool {
            true
        }
        fn pick(&mut self, _: &DecisionPoint<'_>) -> Result<usize, String> {
            Ok(0)
        }
        fn choose(&mut self, n: usize) -> Result<usize, String> {
            Ok(n - 1)
        }
        fn random(&mut self) -> Result<u64, String> {
            Ok(0)
        }
        fn end(&mut self, _: u64) {}
        fn wants_steps(&self) -> bool {
            true
        }
        fn stepped(&mut self, step: &Step<'_>) {
            let ops: Vec<String> = step
                .accesses
                .iter()
                .map(|op| format!("{} {:?}", op.name, op.touch))
                .collect();
            self.0.lock().unwrap().push(format!(
                "{}: [{}] woke {:?} spawned {:?} choices {:?} {:?}{}",
                step.actor,
                ops.join(", "),
                step.woke,
                step.spawned,
                step.choices,
                step.end,
                if step.decided { " (decided)" } else { "" }
            ));
        }
    }

    /// A strategy that wants steps gets each one: the operation it resumed at, what it noted,
    /// whom it woke or spawned, its choices and how it ended; the scheduling point it stopped
    /// at is the next step's.
    #[test]
    fn steps_list_what_each_step_performed() {
        let steps = Arc::new(StdMutex::new(Vec::new()));
        let limits = small_limits();
        let root = |id: u64| -> BoxFuture {
            let rt = SimRuntime { exec_id: id };
            Box::pin(async move {
                let m = Arc::new(Mutex::new(&rt, 0)); // #1
                let m2 = m.clone();
                let a = rt.spawn("a", async move {
                    // task #2
                    *m2.lock().await += rt.choose(3);
                });
                *m.lock().await += 1;
                a.join().await;
            })
        };
        let out = run(
            u64::from(u32::MAX) - 8,
            0,
            Box::new(Steps(steps.clone())),
            Trace::new(Recording::Off),
            &limits,
            root,
        );
        assert!(out.failure.is_none());
        let steps = steps.lock().unwrap();
        let at = |n| weft_core::ObjectId::new(n).unwrap();
        use weft_core::AccessKind::{Acquire, Exit, Join, Release, Spawn};
        assert_eq!(
            *steps,
            [
                format!(
                    "task 0: [task.spawn {:?}] woke [] spawned [1] choices [] Yielded",
                    at(2).touch(Spawn)
                ),
                // The guard is a temporary: the unlock is in the lock's step.
                format!(
                    "task 0: [mutex.lock {:?}, mutex.unlock {:?}] woke [] spawned [] choices [] \
                     Yielded (decided)",
                    at(1).touch(Acquire),
                    at(1).touch(Release)
                ),
                format!(
                    "task 0: [task.join {:?}] woke [] spawned [] choices [] Blocked (decided)",
                    at(2).touch(Join)
                ),
                // `*guard += rt.choose(3)`: a primitive compound assignment evaluates its
                // right side first, so the choice comes before the lock.
                "task 1: [] woke [] spawned [] choices [(3, 2)] Yielded".to_string(),
                format!(
                    "task 1: [mutex.lock {:?}, mutex.unlock {:?}, task.exit {:?}] woke [0] \
                     spawned [] choices [] Finished",
                    at(1).touch(Acquire),
                    at(1).touch(Release),
                    at(2).touch(Exit)
                ),
                format!(
                    "task 0: [task.join {:?}] woke [] spawned [] choices [] Finished",
                    at(2).touch(Join)
                ),
            ]
        );
    }
}
