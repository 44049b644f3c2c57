//! The state of one execution: task table, timers, clocks, the recorded schedule, the trace.
//!
//! The run loop is [`crate::run_loop`]; the `Runtime` funnels are [`crate::backend`]. Both reach
//! this state only through [`crate::context`].

use std::sync::Arc;
use std::time::Duration;

use weft_core::causality::Causality;
use weft_core::{BoxFuture, FailureKind, Fault, Instant, ObjectId, Op};

use crate::config::ENV_MAX_STEP_OPS;
use crate::nodes::Nodes;
use crate::schedule::{Decision, Schedule};
pub(crate) use crate::step_log::StepLog;
use crate::strategy::{Candidate, Strategy};
use crate::task::{Task, TaskState};
use crate::time::{Timer, TimerState};
use crate::trace::{Event, EventKind, Trace};
use crate::watchdog::Pulse;

/// A failure recorded during the execution (the first one wins).
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    /// What failed, as `Runtime::fail` (or the run loop) reported it.
    pub(crate) fault: Fault,
    pub(crate) task: Option<u32>,
    pub(crate) step: u64,
    pub(crate) time: Instant,
}

pub(crate) struct Exec {
    pub(crate) id: u64,
    pub(crate) tasks: Vec<Task>,
    /// Happens-before of the tasks (indexed like `tasks`), and their names.
    pub(crate) causality: Causality,
    pub(crate) timers: Vec<Timer>,
    pub(crate) now: Instant,
    pub(crate) step: u64,
    pub(crate) decisions: u64,
    /// Preemptions so far ([`DecisionPoint::preempts`](crate::strategy::DecisionPoint::preempts)).
    pub(crate) preemptions: u32,
    pub(crate) current: u32,
    /// The current task's last scheduling point was an explicit `yield_now`.
    pub(crate) yielding: bool,
    pub(crate) strategy: Box<dyn Strategy>,
    pub(crate) schedule: Schedule,
    pub(crate) trace: Trace,
    pub(crate) failure: Option<Recorded>,
    /// Set while the leftover tasks are dropped after the execution ended: checks are off.
    pub(crate) tearing_down: bool,
    /// Checker findings of these kinds are counted, not fatal.
    pub(crate) tolerate: Vec<FailureKind>,
    /// Tolerated findings so far: (kind, count, first message).
    pub(crate) tolerated: Vec<(FailureKind, u64, String)>,
    /// Weft operations of the running step so far (reset when a step starts).
    pub(crate) step_ops: u64,
    /// The last operation of the running step that has a name and a site.
    pub(crate) step_last: Option<Op>,
    /// More operations than this in one step fail the execution (a spin loop).
    pub(crate) max_step_ops: u64,
    /// What the watchdog of the run sees, if it is on.
    pub(crate) pulse: Option<Arc<Pulse>>,
    /// Objects created so far (the last id handed out is this number).
    pub(crate) objects: u32,
    /// What the running step did, for strategies that ask ([`Strategy::wants_steps`]).
    pub(crate) step_record: Option<StepLog>,
    /// Nodes and the fault budget left ([`crate::nodes`]).
    pub(crate) nodes: Nodes,
}

impl Exec {
    pub(crate) fn new(id: u64, seed: u64, strategy: Box<dyn Strategy>, trace: Trace) -> Exec {
        let step_record = strategy.wants_steps().then(StepLog::default);
        Exec {
            id,
            tasks: Vec::new(),
            causality: Causality::new(),
            timers: Vec::new(),
            now: Instant::ZERO,
            step: 0,
            decisions: 0,
            preemptions: 0,
            current: 0,
            yielding: false,
            strategy,
            schedule: Schedule::new(seed),
            trace,
            failure: None,
            tearing_down: false,
            tolerate: Vec::new(),
            tolerated: Vec::new(),
            step_ops: 0,
            step_last: None,
            max_step_ops: u64::MAX,
            pulse: None,
            objects: 0,
            step_record,
            nodes: Nodes::default(),
        }
    }

    /// A new object's id: numbered from 1 in creation order, afresh in every execution.
    pub(crate) fn new_object(&mut self) -> ObjectId {
        self.objects = self.objects.saturating_add(1);
        let id = ObjectId::new(self.objects).unwrap_or(ObjectId::FIRST);
        if let Some(log) = &mut self.step_record {
            log.objects.push(id);
        }
        id
    }

    /// Counts one weft operation of the running step (and shows it to the watchdog). Returns
    /// `true` when the step has exceeded [`Exec::max_step_ops`]: the step-bound failure is
    /// then recorded (the first time), and the funnel must unwind the task.
    pub(crate) fn tick(&mut self, op: Option<Op>) -> bool {
        if self.tearing_down {
            return false;
        }
        self.step_ops += 1;
        if op.is_some() {
            self.step_last = op;
        }
        if let (Some(pulse), Some(op)) = (&self.pulse, op) {
            pulse.noted(op, &self.schedule.decisions);
        }
        if self.step_ops <= self.max_step_ops {
            return false;
        }
        if self.failure.is_none() {
            let last = match self.step_last {
                Some(op) => format!("the last was {} at {}", op.name, op.site),
                None => "all of them data choices or random draws".to_string(),
            };
            let message = format!(
                "spin loop: task '{}' made more than {} weft operations in one step without \
                 reaching a scheduling point (a loop that polls a primitive without .await?); \
                 {last}; raise the bound with {ENV_MAX_STEP_OPS} or Config::max_step_ops",
                self.task_name(self.current as usize),
                self.max_step_ops,
            );
            self.record_failure(FailureKind::StepBound, message);
        }
        true
    }

    pub(crate) fn event(&mut self, kind: EventKind) {
        if !self.trace.recording() {
            // Exploring: nothing to build (most executions).
            return;
        }
        let (step, time, task) = (self.step, self.now, self.current);
        self.trace.push(Event {
            step,
            time,
            task,
            kind,
        });
    }

    /// A checker finding of `kind`: `true` if it is tolerated (counted here, the execution
    /// goes on), `false` if it must fail the execution.
    pub(crate) fn tolerated(
        &mut self,
        kind: FailureKind,
        message: impl FnOnce() -> String,
    ) -> bool {
        if !self.tolerate.contains(&kind) {
            return false;
        }
        match self.tolerated.iter_mut().find(|t| t.0 == kind) {
            Some(t) => t.1 += 1,
            None => self.tolerated.push((kind, 1, message())),
        }
        true
    }

    /// Records a failure; the first one is kept.
    pub(crate) fn record_failure(&mut self, kind: FailureKind, message: String) {
        self.record_fault(Fault::new(kind, message));
    }

    /// Records `fault` as the execution's failure, unless one is recorded already.
    pub(crate) fn record_fault(&mut self, fault: Fault) {
        if self.failure.is_none() && !self.tearing_down {
            self.failure = Some(Recorded {
                fault,
                task: Some(self.current),
                step: self.step,
                time: self.now,
            });
        }
    }

    /// Spawns a task in the running task's node ([`crate::nodes`], rule 1).
    pub(crate) fn spawn(&mut self, name: &str, future: BoxFuture) -> u32 {
        let node = self.tasks.get(self.current as usize).and_then(|t| t.node);
        let name = match node {
            Some((_, k)) if k > 1 => format!("{name}#{k}"),
            _ => name.to_string(),
        };
        self.spawn_in(&name, future, node)
    }

    /// Spawns a task in `node` (node index, incarnation), the running task its parent.
    pub(crate) fn spawn_in(
        &mut self,
        name: &str,
        future: BoxFuture,
        node: Option<(u32, u32)>,
    ) -> u32 {
        let index = if self.tasks.is_empty() {
            self.causality.root(name)
        } else {
            self.causality.spawn(self.current as usize, name)
        } as u32;
        if let Some(pulse) = &self.pulse {
            pulse.spawned(name);
        }
        self.tasks.push(Task {
            future: Some(future),
            state: TaskState::Runnable,
            last_op: None,
            point_op: None,
            node,
        });
        if let Some(log) = &mut self.step_record {
            log.spawned.push(index);
        }
        if index > 0 {
            self.event(EventKind::Spawn(index));
        }
        index
    }

    pub(crate) fn wake(&mut self, task: u32) {
        if let Some(t) = self.tasks.get_mut(task as usize) {
            if t.state == TaskState::Blocked {
                t.state = TaskState::Runnable;
                if let Some(log) = &mut self.step_record {
                    // A task that wakes itself (a scheduling point does) was not made
                    // runnable by the step: it is the step.
                    if log.actor != Some(task) {
                        log.woke.push(task);
                    }
                }
            }
        }
    }

    pub(crate) fn add_timer(&mut self, duration: Duration, op: Op) -> u32 {
        let deadline = self.now + duration;
        let state = if duration.is_zero() {
            TimerState::Due
        } else {
            TimerState::Pending
        };
        self.timers.push(Timer {
            deadline,
            task: self.current,
            state,
            op,
        });
        let index = self.timers.len() as u32 - 1;
        if let Some(log) = &mut self.step_record {
            log.armed.push(index);
        }
        index
    }

    /// Runnable tasks by index, then due timers by index; and the index of the task that just
    /// ran if it is among them.
    pub(crate) fn candidates(&self, out: &mut Vec<Candidate>) -> Option<usize> {
        out.clear();
        let mut current = None;
        for (i, t) in self.tasks.iter().enumerate() {
            if t.state == TaskState::Runnable && !self.nodes.paused(t.node.map(|n| n.0)) {
                if i as u32 == self.current {
                    current = Some(out.len());
                }
                out.push(Candidate::Task(i as u32));
            }
        }
        for (i, t) in self.timers.iter().enumerate() {
            let node = self.tasks[t.task as usize].node.map(|n| n.0);
            if t.state == TimerState::Due && !self.nodes.paused(node) {
                out.push(Candidate::Timer(i as u32));
            }
        }
        current
    }

    /// Moves time to the earliest pending deadline (a timer's, or a node's resume or
    /// restart); `false` if there is none.
    pub(crate) fn advance_time(&mut self) -> bool {
        let timers = self
            .timers
            .iter()
            .filter(|t| t.state == TimerState::Pending)
            .map(|t| t.deadline)
            .min();
        let nodes = self.next_node_deadline();
        let Some(next) = timers.into_iter().chain(nodes).min() else {
            return false;
        };
        self.now = next;
        for t in &mut self.timers {
            if t.state == TimerState::Pending && t.deadline <= next {
                t.state = TimerState::Due;
            }
        }
        true
    }

    pub(crate) fn fire(&mut self, timer: u32) {
        let t = &mut self.timers[timer as usize];
        t.state = TimerState::Fired;
        let task = t.task;
        self.wake(task);
        self.event(EventKind::TimerFired { timer, task });
    }

    /// Asks the strategy for a data choice (recorded), or answers a forced one.
    pub(crate) fn choose(&mut self, n: usize) -> usize {
        assert!(n > 0, "weft: choose(0)");
        self.tick(None);
        if n == 1 {
            return 0;
        }
        self.decisions += 1;
        match self.strategy.choose(n) {
            Ok(c) => {
                if let Some(log) = &mut self.step_record {
                    log.choices.push((n as u32, c as u32));
                }
                self.schedule.decisions.push(Decision::Choice(c as u32));
                self.event(EventKind::Choice {
                    n: n as u32,
                    chosen: c as u32,
                });
                c
            }
            Err(message) => {
                self.record_failure(FailureKind::Divergence, message);
                0
            }
        }
    }

    pub(crate) fn random(&mut self) -> u64 {
        self.tick(None);
        self.decisions += 1;
        match self.strategy.random() {
            Ok(r) => {
                self.schedule.decisions.push(Decision::Random(r));
                r
            }
            Err(message) => {
                self.record_failure(FailureKind::Divergence, message);
                0
            }
        }
    }

    /// The running task performed `op` (`Runtime::note`); `true` if the step exceeded its
    /// operation bound (see [`Exec::tick`]).
    pub(crate) fn note(&mut self, op: Op) -> bool {
        if self.tearing_down {
            // The execution is over: what the destructors of the tasks being dropped do
            // (unlocks, channel drops, exits) is no task's step and not in the trace; a
            // crash's drops are the crashing step's, for partial-order reduction.
            if let (true, Some(log)) = (self.nodes.dropping, &mut self.step_record) {
                log.accesses.push(op);
            }
            return false;
        }
        if let Some(log) = &mut self.step_record {
            log.accesses.push(op);
        }
        self.reach(op)
    }

    /// The running task reached `op`: performed it ([`Exec::note`]) or stopped at a
    /// scheduling point before it (`Runtime::point`, which performs it in the task's next
    /// step). `true` if the step exceeded its operation bound.
    pub(crate) fn reach(&mut self, op: Op) -> bool {
        self.tasks[self.current as usize].last_op = Some(op);
        self.event(EventKind::Op(op));
        self.tick(Some(op))
    }

    pub(crate) fn task_name(&self, task: usize) -> String {
        self.causality.name(task)
    }
}
