//! How a shuttle check fails without shuttle printing anything: weft ends the execution
//! itself and raises the failure after shuttle's runner has returned.
//!
//! shuttle writes to stderr whenever it sees a failure: the schedule (unless
//! `FailurePersistence::None`), "test panicked in task ..." for a task's panic, a note on
//! deadlock, and, from a process-global panic hook installed on its first run, two lines (and
//! the schedule) for every later panic of the process, on any thread, shuttle's or not (a loom
//! test's panic prints "Tried to get ExecutionState ... NotSet"). None of that can be turned
//! off by configuration, so weft keeps shuttle from seeing a failure:
//!
//! - every task's future, and the root's, runs under [`Guarded`]: a panic is caught there and
//!   recorded in the check's [`Verdict`] (a fault raised through `Runtime::fail` is recorded
//!   as a value before it unwinds); a task about to return `Pending` while no task can run
//!   ([`Parking`]) records weft's deadlock, or leak once the root has returned;
//! - [`Stopping`] counts the scheduling steps of each execution: past the check's step bound
//!   it records a [`FailureKind::StepBound`](crate::FailureKind::StepBound) and stops the
//!   execution (shuttle's own bound is off, so shuttle never reports one);
//! - a recorded failure wakes every task; each then drops its future, in its own task (so its
//!   destructors still run inside the execution) and returns; the root returns once every task
//!   has (quiescence, as after any run), so shuttle sees an execution that finished with no
//!   task left for its teardown to drop;
//! - [`Stopping`] wraps the scheduler and ends the run before the next execution;
//! - the entry point then raises the failure, outside shuttle, with the seed and the failing
//!   execution's number appended (see `shuttle::check_random`);
//! - [`silence_hook`] removes shuttle's panic hook, once per process, before weft's first run.
//!
//! What remains: a panic shuttle itself raises (a deadlock of tasks blocked
//! outside weft's primitives, a panic in a destructor during its teardown) still goes through
//! shuttle's failure path, which prints "test panicked in task" or its deadlock note.

use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Mutex, Once};
use std::task::{Context, Poll, Wake, Waker};

use ::shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};

use super::checked::Execution;
use super::parking::{deadlock_fault, Parking};
use crate::causality::TaskIndex;
use crate::fault::Fault;

/// The check's verdict: its executions count and first failure (see `verdict`).
pub(crate) use super::verdict::Slot as Verdict;

/// What one execution needs to end early: the check's verdict, the task mirror, and how to
/// wake every task.
#[derive(Debug)]
pub(crate) struct Ending {
    pub(crate) verdict: Arc<Verdict>,
    pub(crate) parking: Parking,
    /// Each task's shuttle waker as of its last `Pending`, by task index.
    wakers: Mutex<Vec<Option<Waker>>>,
    /// Tasks not yet finished; the root waits on it for quiescence.
    pub(crate) live: Live,
}

/// Tasks of an execution not yet finished, and a condition the root waits on: shuttle ends an
/// execution when its main task returns and drops the rest unpolled, so the root waits for
/// them (quiescence), and a task blocked forever then shows as a deadlock, which weft reports
/// as a leak.
#[derive(Debug, Default)]
pub(crate) struct Live {
    pub(crate) count: ::shuttle::sync::Mutex<usize>,
    pub(crate) changed: ::shuttle::sync::Condvar,
}

impl Ending {
    /// A new execution's (inside it: the quiescence lock is shuttle's).
    pub(crate) fn new(verdict: Arc<Verdict>) -> Self {
        Ending {
            verdict,
            parking: Parking::default(),
            wakers: Mutex::default(),
            live: Live::default(),
        }
    }

    fn wakers(&self) -> std::sync::MutexGuard<'_, Vec<Option<Waker>>> {
        self.wakers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records the panic of task `task` (see `Verdict::record_panic`) and ends the execution.
    fn fail(&self, payload: &(dyn Any + Send), task: Option<String>) {
        self.verdict.record_panic(payload, task);
        self.end();
    }

    /// Records `fault`, found in task `task`, and ends the execution.
    fn fail_with(&self, fault: Fault, task: Option<String>) {
        self.verdict.record(fault, task);
        self.end();
    }

    /// Wakes every task so that the execution ends.
    fn end(&self) {
        let wakers: Vec<Waker> = self.wakers().drain(..).flatten().collect();
        for w in wakers {
            w.wake();
        }
        self.live.changed.notify_all();
    }
}

/// A task's waker as the mirror sees it: records the wake, then wakes the task in shuttle.
struct MirrorWaker {
    ending: Arc<Ending>,
    task: TaskIndex,
    inner: Waker,
}

impl Wake for MirrorWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.ending.parking.wake(self.task);
        self.inner.wake_by_ref();
    }
}

/// A task's future (or the root's) under weft's failure handling (see the module doc).
pub(crate) struct Guarded<F> {
    /// `None` once the task has ended.
    fut: Option<Pin<Box<F>>>,
    ending: Arc<Ending>,
    exec: Arc<Execution>,
    task: TaskIndex,
    /// The waker handed to `fut`, and the shuttle waker it wraps.
    waker: Option<(Waker, Waker)>,
}

impl<F> std::fmt::Debug for Guarded<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guarded").field("task", &self.task).finish()
    }
}

impl<F: Future<Output = ()>> Guarded<F> {
    /// Task `task`'s future; registers the task in the mirror.
    pub(crate) fn new(
        fut: F,
        ending: &Arc<Ending>,
        exec: &Arc<Execution>,
        task: TaskIndex,
    ) -> Self {
        ending.parking.spawned(task);
        Guarded {
            fut: Some(Box::pin(fut)),
            ending: ending.clone(),
            exec: exec.clone(),
            task,
            waker: None,
        }
    }
}

impl<F> Guarded<F> {
    fn name(&self) -> Option<String> {
        Some(self.exec.with(|t| t.name(self.task)))
    }

    /// The task ends: its future is dropped here, in its own task, where a panic of a
    /// destructor is caught like one of a poll.
    fn finish(&mut self) -> Poll<()> {
        self.ending.parking.done(self.task);
        if let Some(fut) = self.fut.take() {
            if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(fut))) {
                self.ending.fail(&*payload, self.name());
            }
        }
        Poll::Ready(())
    }
}

impl<F: Future<Output = ()>> Future for Guarded<F> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        if this.ending.verdict.failed() || this.fut.is_none() {
            return this.finish();
        }
        {
            let mut wakers = this.ending.wakers();
            if wakers.len() <= this.task {
                wakers.resize(this.task + 1, None);
            }
            wakers[this.task] = Some(cx.waker().clone());
        }
        let ours = match &this.waker {
            Some((ours, inner)) if inner.will_wake(cx.waker()) => ours.clone(),
            _ => {
                let ours = Waker::from(Arc::new(MirrorWaker {
                    ending: this.ending.clone(),
                    task: this.task,
                    inner: cx.waker().clone(),
                }));
                this.waker = Some((ours.clone(), cx.waker().clone()));
                ours
            }
        };
        let mut inner_cx = Context::from_waker(&ours);
        this.ending.parking.start_poll(this.task);
        let Some(fut) = this.fut.as_mut() else {
            return this.finish();
        };
        match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(&mut inner_cx))) {
            Ok(Poll::Ready(())) => this.finish(),
            Ok(Poll::Pending) => match this.ending.parking.park(this.task) {
                Ok(()) => Poll::Pending,
                Err(blocked) => {
                    let fault = deadlock_fault(&this.exec, &blocked);
                    this.ending.fail_with(fault, this.name());
                    this.finish()
                }
            },
            Err(payload) => {
                this.ending.fail(&*payload, this.name());
                this.finish()
            }
        }
    }
}

/// A scheduler that ends the run once the check has failed, and an execution that takes more
/// than `bound` scheduling steps (recorded as a
/// [`FailureKind::StepBound`](crate::FailureKind::StepBound)).
///
/// The inner scheduler is leaked then, not dropped: shuttle's `RandomScheduler` prints the
/// seed of the execution in progress to stderr when dropped before it ran out of iterations.
#[derive(Debug)]
pub(crate) struct Stopping<S> {
    inner: Option<S>,
    verdict: Arc<Verdict>,
    bound: usize,
    /// Scheduling steps of the current execution.
    steps: usize,
}

impl<S> Stopping<S> {
    pub(crate) fn new(inner: S, verdict: Arc<Verdict>, bound: usize) -> Self {
        Stopping {
            inner: Some(inner),
            verdict,
            bound,
            steps: 0,
        }
    }
}

impl<S: Scheduler> Scheduler for Stopping<S> {
    fn new_execution(&mut self) -> Option<Schedule> {
        if self.verdict.failed() {
            std::mem::forget(self.inner.take());
            return None;
        }
        self.steps = 0;
        self.inner.as_mut()?.new_execution()
    }

    fn next_task(
        &mut self,
        runnable_tasks: &[&Task],
        current_task: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        self.steps += 1;
        if self.steps > self.bound {
            // No task is polled again: the execution stops here, and the run after it.
            self.verdict.record(
                super::verdict::step_bound(
                    self.bound as u64,
                    "the bound is shuttle's default max_steps",
                ),
                None,
            );
            return None;
        }
        self.inner
            .as_mut()?
            .next_task(runnable_tasks, current_task, is_yielding)
    }

    fn next_u64(&mut self) -> u64 {
        self.inner.as_mut().map_or(0, |s| s.next_u64())
    }
}

/// Removes shuttle's process-global panic hook (see the module doc), once: lets shuttle
/// install it during a trivial run while a silent hook is in place, then puts the previous
/// hook back. If shuttle had already installed its hook before weft's first run, it stays.
pub(crate) fn silence_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let mut config = ::shuttle::Config::default();
        config.failure_persistence = ::shuttle::FailurePersistence::None;
        let scheduler = ::shuttle::scheduler::RandomScheduler::new_from_seed(0, 1);
        ::shuttle::Runner::new(scheduler, config).run(|| {});
        // shuttle's hook (around the silent one), installed once per process: dropped here.
        drop(std::panic::take_hook());
        std::panic::set_hook(previous);
    });
}
