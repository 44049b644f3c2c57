//! What the loom and shuttle backends share: a per-execution [`Causality`] engine behind a
//! handle, logical time, and the funnel bodies that route to the engine.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use super::LogicalClock;
use crate::causality::{Causality, Contract, TaskIndex, VectorClock};
use crate::error::FailureKind;
use crate::fault::Fault;
use crate::runtime::Op;
use crate::time::Instant;

/// Per-execution state of a checking backend without its own task table.
#[derive(Debug)]
pub(crate) struct Execution {
    pub(crate) causality: Mutex<Causality>,
    pub(crate) time: LogicalClock,
    #[cfg(feature = "loom")]
    draws: Mutex<u64>,
}

impl Default for Execution {
    /// A new execution whose root task (index 0) is `main`.
    fn default() -> Self {
        Execution {
            causality: Mutex::new(Causality::with_root("main")),
            time: LogicalClock::default(),
            #[cfg(feature = "loom")]
            draws: Mutex::default(),
        }
    }
}

impl Execution {
    pub(crate) fn with<U>(&self, f: impl FnOnce(&mut Causality) -> U) -> U {
        f(&mut self.causality.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub(crate) fn spawn(&self, parent: TaskIndex, name: &str) -> TaskIndex {
        self.with(|t| t.spawn(parent, name))
    }

    pub(crate) fn release(&self, task: TaskIndex, clock: &mut VectorClock) {
        self.with(|t| t.release(task, clock));
    }

    pub(crate) fn acquire(&self, task: TaskIndex, clock: &VectorClock) {
        self.with(|t| t.acquire(task, clock));
    }

    /// Checks an event of contract `C` by `task`; each check counts as one step.
    pub(crate) fn check<C: Contract>(
        &self,
        task: TaskIndex,
        history: &mut C::History,
        event: C::Event,
        op: Op,
    ) -> Result<(), Fault> {
        self.with(|c| {
            let step = c.next_step();
            c.check::<C>(task, step, op.site, history, event)
                .map_err(|v| c.fault::<C>(&v))
        })
    }

    /// A deterministic pseudo-random sequence (splitmix64 over a per-execution counter); loom's
    /// `rand_u64` (shuttle draws from its own schedule).
    #[cfg(feature = "loom")]
    pub(crate) fn next_draw(&self) -> u64 {
        let mut n = self.draws.lock().unwrap_or_else(|p| p.into_inner());
        *n = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *n;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The funnels of a backend whose handle has `exec: Arc<Execution>` and `fn task(&self)`
/// (the running task's index, panicking with a clear message outside an execution): every
/// check routes to the execution's causality engine; scheduling points are the checker's own locks.
macro_rules! checked_funnels {
    () => {
        fn point(
            &self,
            _op: $crate::runtime::Op,
        ) -> impl std::future::Future<Output = ()> + Send + 'static {
            self.task();
            std::future::ready(())
        }

        fn note(&self, _op: $crate::runtime::Op) {
            self.task();
        }

        fn release(&self, clock: &mut $crate::causality::VectorClock) {
            self.exec.release(self.task(), clock);
        }

        fn acquire(&self, clock: &$crate::causality::VectorClock) {
            self.exec.acquire(self.task(), clock);
        }

        fn check<C: $crate::causality::Contract>(
            &self,
            history: &mut C::History,
            event: C::Event,
            op: $crate::runtime::Op,
        ) -> Result<(), $crate::fault::Fault> {
            self.exec.check::<C>(self.task(), history, event, op)
        }

        fn fail(&self, fault: $crate::fault::Fault) -> ! {
            $crate::backend::checked::fail(fault.kind, fault.to_string())
        }
    };
}
pub(crate) use checked_funnels;

/// Reports a failure as a panic whose message carries the kind's tag.
pub(crate) fn fail(kind: FailureKind, message: String) -> ! {
    panic!("{}{}", kind.tag(), message)
}

/// A sleep without a clock: yields once (through `yield_fn`), then moves logical time to the
/// deadline and completes. The yield lets the checker run any other task first, so a timer
/// "may fire at any later point".
pub struct LogicalSleep {
    pub(crate) deadline: Instant,
    pub(crate) exec: std::sync::Arc<Execution>,
    pub(crate) yielded: bool,
    pub(crate) yield_fn: fn(&mut Context<'_>) -> Poll<()>,
}

impl std::fmt::Debug for LogicalSleep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogicalSleep")
            .field("deadline", &self.deadline)
            .finish()
    }
}

impl LogicalSleep {
    pub(crate) fn new(
        exec: &std::sync::Arc<Execution>,
        duration: Duration,
        yield_fn: fn(&mut Context<'_>) -> Poll<()>,
    ) -> Self {
        LogicalSleep {
            deadline: exec.time.now() + duration,
            exec: exec.clone(),
            yielded: false,
            yield_fn,
        }
    }
}

impl Future for LogicalSleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !self.yielded {
            self.yielded = true;
            if (self.yield_fn)(cx).is_pending() {
                return Poll::Pending;
            }
        }
        self.exec.time.advance_to(self.deadline);
        Poll::Ready(())
    }
}

std::thread_local! {
    /// Whether the current execution's root task returned. loom and shuttle run an execution's
    /// tasks as coroutines on the thread that called the checker, so a thread-local is per run.
    static ROOT_DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// An execution starts: its root has not returned.
pub(crate) fn root_started() {
    ROOT_DONE.with(|d| d.set(false));
}

/// The execution's root returned (what follows it is the wait for quiescence).
pub(crate) fn root_returned() {
    ROOT_DONE.with(|d| d.set(true));
}

/// Whether model operations must be skipped: the thread is unwinding (a failure is being
/// reported, and the checker drops the remaining tasks; calling into it from a destructor now
/// would abort the process). Destructors then only touch the data, not the model.
pub(crate) fn unwinding() -> bool {
    std::thread::panicking()
}

/// A checker's mutex as a [`RawLock`](crate::runtime::RawLock): the model lock `M` makes each
/// access a scheduling point of the checker, the data sits in a std mutex so that destructors
/// run while unwinding can still reach it without the model.
#[derive(Debug)]
pub struct CheckedLock<M, T> {
    /// `None` only while being dropped.
    pub(crate) model: Option<M>,
    pub(crate) data: Mutex<T>,
}

impl<M, T> Drop for CheckedLock<M, T> {
    fn drop(&mut self) {
        if unwinding() {
            // The checker's object may not be dropped outside its execution: leak it.
            std::mem::forget(self.model.take());
        }
    }
}

impl<M, T> CheckedLock<M, T> {
    pub(crate) fn new(model: M, value: T) -> Self {
        CheckedLock {
            model: Some(model),
            data: Mutex::new(value),
        }
    }

    /// `f` on the data, holding the model lock (`lock` takes it) unless unwinding.
    ///
    /// The data's std guard must be gone before the model guard is dropped: releasing a
    /// checker's mutex is a scheduling point (shuttle's `MutexGuard::drop` yields), and a task
    /// parked there still holding the std mutex would block, on the one OS thread every task
    /// shares, the next task that reaches the data without the model lock: code that runs
    /// while its task unwinds (a panicking task's exit guard, a destructor of shuttle's
    /// teardown). That was a real hang, a joiner parked in its join handle's release while the
    /// joined task panicked: 3 seeds in 400 of shuttle PCT on `consul/clone-race`. Edition 2021 drops a tail expression's temporaries after the
    /// block's locals, so the order is spelled out.
    pub(crate) fn with<'a, G, U>(
        &'a self,
        lock: impl FnOnce(&'a M) -> G,
        f: impl FnOnce(&mut T) -> U,
    ) -> U {
        let model = match &self.model {
            Some(m) if !unwinding() => Some(lock(m)),
            _ => None,
        };
        let out = {
            let mut data = self.data.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut data)
        };
        drop(model);
        out
    }
}

/// Runs a whole loom or shuttle check. Their checkers call "deadlock" any state where no task
/// can run; when the root had already returned, that is weft's leak (tasks blocked forever
/// after the scenario's owner finished), and the failure is re-raised as one.
pub(crate) fn reclassify_leaks<T>(check: impl FnOnce() -> T) -> T {
    use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
    match catch_unwind(AssertUnwindSafe(check)) {
        Ok(v) => v,
        Err(payload) => {
            let msg = crate::error::panic_message(&*payload);
            if ROOT_DONE.with(|d| d.get()) && FailureKind::classify(&msg) == FailureKind::Deadlock {
                resume_unwind(Box::new(format!(
                    "{}tasks blocked forever after the root task returned (leaked at \
                     quiescence); the checker reported: {msg}",
                    FailureKind::Leak.tag()
                )))
            }
            resume_unwind(payload)
        }
    }
}
