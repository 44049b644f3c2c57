//! What the loom and shuttle backends share: a per-execution [`Tracker`] behind a handle,
//! logical time, and the funnel bodies that route to the tracker.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use super::LogicalClock;
use crate::causality::{Access, CellHistory, TaskIndex, Tracker, VectorClock, WaitGroupHistory};
use crate::runtime::Op;
use crate::time::Instant;

/// Per-execution state of a checking backend without its own task table.
#[derive(Debug, Default)]
pub(crate) struct Execution {
    pub(crate) tracker: Mutex<Tracker>,
    pub(crate) time: LogicalClock,
    /// Objects created so far in this execution (the last id handed out).
    objects: std::sync::atomic::AtomicU32,
    #[cfg(feature = "loom")]
    draws: Mutex<u64>,
}

impl Execution {
    pub(crate) fn with<U>(&self, f: impl FnOnce(&mut Tracker) -> U) -> U {
        f(&mut self.tracker.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub(crate) fn spawn(&self, parent: TaskIndex, name: &str) -> TaskIndex {
        self.with(|t| t.spawn(parent, name))
    }

    /// A new object's id: numbered from 1 per execution.
    pub(crate) fn next_object(&self) -> crate::object::ObjectId {
        let n = self
            .objects
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .saturating_add(1);
        crate::object::ObjectId::new(n).unwrap_or(crate::object::ObjectId::FIRST)
    }

    pub(crate) fn release(&self, task: TaskIndex, clock: &mut VectorClock) {
        self.with(|t| t.release(task, clock));
    }

    pub(crate) fn acquire(&self, task: TaskIndex, clock: &VectorClock) {
        self.with(|t| t.acquire(task, clock));
    }

    pub(crate) fn cell_access(
        &self,
        task: TaskIndex,
        meta: &mut CellHistory,
        access: Access,
        op: Op,
    ) -> Result<(), String> {
        self.with(|t| t.cell_access(task, meta, access, op.site))
    }

    pub(crate) fn add_from_zero(
        &self,
        task: TaskIndex,
        meta: &mut WaitGroupHistory,
        op: Op,
    ) -> Result<(), String> {
        self.with(|t| t.wait_group_add_from_zero(task, meta, op.site))
    }

    pub(crate) fn wait(
        &self,
        task: TaskIndex,
        meta: &mut WaitGroupHistory,
        op: Op,
    ) -> Result<(), String> {
        self.with(|t| t.wait_group_wait(task, meta, op.site))
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

/// The funnels of a backend whose handle has `exec: Arc<Execution>`, `fn task(&self)`
/// (the running task's index, panicking with a clear message outside an execution),
/// `fn scheduling_point(&self)` (counts a step against the step bound) and
/// `fn raise(&self, Fault) -> !` (records the fault for the check, then unwinds): every
/// check routes to the execution's tracker; scheduling points are the checker's own locks.
macro_rules! checked_funnels {
    () => {
        fn object(&self) -> $crate::object::ObjectId {
            self.exec.next_object()
        }

        fn point(
            &self,
            _op: $crate::runtime::Op,
        ) -> impl std::future::Future<Output = ()> + Send + 'static {
            self.task();
            self.scheduling_point();
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

        fn cell_access(
            &self,
            meta: &mut $crate::causality::CellHistory,
            access: $crate::causality::Access,
            op: $crate::runtime::Op,
        ) -> Result<(), String> {
            self.exec.cell_access(self.task(), meta, access, op)
        }

        fn wait_group_add_from_zero(
            &self,
            meta: &mut $crate::causality::WaitGroupHistory,
            op: $crate::runtime::Op,
        ) -> Result<(), String> {
            self.exec.add_from_zero(self.task(), meta, op)
        }

        fn wait_group_wait(
            &self,
            meta: &mut $crate::causality::WaitGroupHistory,
            op: $crate::runtime::Op,
        ) -> Result<(), String> {
            self.exec.wait(self.task(), meta, op)
        }

        fn fail(&self, fault: $crate::fault::Fault) -> ! {
            self.raise(fault)
        }
    };
}
pub(crate) use checked_funnels;

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
