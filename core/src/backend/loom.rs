//! The loom backend: every task is a loom thread, every primitive's internal lock a loom mutex.
//!
//! Run a model with [`model`] (or [`model_with`] for a configured `loom::model::Builder`):
//!
//! ```
//! # #[cfg(feature = "loom")]
//! weft_core::backend::loom::model(|rt| async move {
//!     use weft_core::Runtime;
//!     let task = rt.spawn("child", async { 1 + 1 });
//!     assert_eq!(task.join().await, 2);
//! });
//! ```
//!
//! - **Exploration.** loom explores every interleaving of the internal-lock operations (DPOR,
//!   bounded by `LOOM_MAX_PREEMPTIONS`); a weft scheduling point is one of them.
//! - **Time.** Logical: a sleep yields once and then moves time to its deadline, so a timer may
//!   fire at any later point. There is no timeout that "waits".
//! - **Choice.** loom explores no data choices: [`Runtime::choose`] returns 0 and
//!   [`Runtime::rand_u64`] a fixed sequence. Which select arms are ready still depends on the
//!   interleaving.
//! - **Detects.** Assertion failures and panics, deadlocks, and weft's data-race and WaitGroup
//!   contract checks ([`crate::causality`]), each as a [`Fault`] of its
//!   [`FailureKind`](crate::FailureKind). A deadlock is weft's own report (`deadlock: ... blocked
//!   tasks: [..]`), found before loom's: each task runs on weft's `block_on`, which sees the last
//!   runnable task about to park (`loom_park`). loom's own report unwound through loom objects
//!   whose destructors panicked again, and that aborted the whole test binary. Tasks blocked
//!   forever after the root returned are a [`FailureKind::Leak`](crate::FailureKind::Leak).
//! - **Failures return.** Every failure above comes back as a value from [`try_model_with`]
//!   ([`Found`]: fault, task, execution; [`Checked`] counts the executions of a pass), or as a
//!   panic out of [`model`] that the caller can catch; the other tests of the binary run on. The
//!   limit that remains: a body that blocks a loom thread outside weft's primitives (a raw `loom`
//!   mutex, condvar or join) can still reach loom's own deadlock report, and loom then aborts the
//!   process.
//! - **Exploration cost.** weft's `block_on` wakes through a `std::sync::Arc`, so waker clones
//!   and drops are not scheduling points as they are under `loom::future::block_on` (whose
//!   `loom::sync::Arc` refcount steps touch no weft state): loom explores fewer, not fewer
//!   distinct, interleavings.
//! - **Limits.** loom allows a handful of threads (at most 4 spawned tasks plus the root);
//!   keep task counts small and configurable.
//!
//! Using this backend outside [`model`] panics with a message that says so.

use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use super::checked::{CheckedLock, Execution, LogicalSleep};
use super::loom_park::block_on;
use super::parking::Parking;
use super::verdict::Slot;
pub use super::verdict::{Checked, Found};
use crate::causality::{Contract, TaskIndex, VectorClock};
use crate::fault::Fault;
use crate::runtime::{BoxFuture, RawLock, Runtime};
use crate::time::Instant;

std::thread_local! {
    static CURRENT: std::cell::RefCell<Option<LoomRuntime>> = const { std::cell::RefCell::new(None) };
}

::loom::thread_local! {
    static TASK: Cell<TaskIndex> = Cell::new(0);
}

/// The loom backend's handle; obtain it from [`model`] or [`LoomRuntime::current`].
#[derive(Clone, Debug)]
pub struct LoomRuntime {
    exec: Arc<Execution>,
    parking: Arc<Parking>,
    /// The check's executions count and first failure.
    slot: Arc<Slot>,
    /// This execution's scheduling steps.
    steps: Arc<Steps>,
}

/// How many of loom's branches weft allows an execution per scheduling step it counts: the
/// entry point sets loom's own `max_branches` to this multiple of the builder's, so that
/// weft's step bound (the builder's `max_branches`, in weft's steps) fires first and a
/// livelock comes back as a typed [`FailureKind::StepBound`](crate::FailureKind::StepBound),
/// not as loom's panic. A step (a primitive's scheduling point, a yield, a park) makes one to
/// three loom branches (the internal locks it takes, the park's notify).
const BRANCHES_PER_STEP: usize = 4;

/// One execution's scheduling steps, against the check's step bound.
#[derive(Debug)]
struct Steps {
    taken: std::sync::atomic::AtomicU64,
    bound: u64,
}

/// A loom mutex as a [`RawLock`]: taking it is a loom scheduling point.
pub type LoomLock<T> = CheckedLock<::loom::sync::Mutex<()>, T>;

impl<T: Send> RawLock<T> for LoomLock<T> {
    fn new(value: T) -> Self {
        CheckedLock::new(::loom::sync::Mutex::new(()), value)
    }
    fn with<U>(&self, f: impl FnOnce(&mut T) -> U) -> U {
        CheckedLock::with(self, |m| m.lock().unwrap_or_else(|p| p.into_inner()), f)
    }
}

const OUTSIDE: &str = "weft: the loom backend was used outside weft_core::backend::loom::model; \
                       loom primitives only exist inside a loom model execution";

impl LoomRuntime {
    /// The handle of the loom execution running on this thread.
    ///
    /// # Panics
    /// Outside [`model`], with a message that says so.
    pub fn current() -> LoomRuntime {
        CURRENT
            .with(|c| c.borrow().clone())
            .unwrap_or_else(|| panic!("{OUTSIDE}"))
    }

    fn task(&self) -> TaskIndex {
        let inside = CURRENT.with(|c| {
            c.borrow()
                .as_ref()
                .is_some_and(|rt| Arc::ptr_eq(&rt.exec, &self.exec))
        });
        if !inside && !super::checked::unwinding() {
            panic!("{OUTSIDE} (this handle belongs to an execution that has ended)");
        }
        TASK.with(|t| t.get())
    }
}

impl LoomRuntime {
    /// Runs task `task` of this execution on the current loom thread.
    fn block_on<F: Future>(&self, task: TaskIndex, fut: F) -> F::Output {
        block_on(&self.parking, &self.exec, &self.slot, task, fut, || {
            self.scheduling_point()
        })
    }

    /// A scheduling step of the running task (a primitive's scheduling point, a yield, a
    /// park): past the check's bound, the execution fails with a step bound.
    fn scheduling_point(&self) {
        if super::checked::unwinding() {
            return;
        }
        let taken = self
            .steps
            .taken
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        if taken > self.steps.bound {
            self.raise(super::verdict::step_bound(
                self.steps.bound,
                "raise the bound with the loom builder's max_branches (LOOM_MAX_BRANCHES)",
            ));
        }
    }

    /// Records `fault`, raised by the running task, for the check; unwinds the task.
    fn raise(&self, fault: Fault) -> ! {
        let task = TASK.with(|t| t.get());
        let name = self.exec.with(|t| t.name(task));
        self.slot.raise(fault, Some(name))
    }
}

fn loom_yield(_cx: &mut Context<'_>) -> Poll<()> {
    ::loom::thread::yield_now();
    Poll::Ready(())
}

/// Runs `body` under `loom::model` with the default builder (which reads `LOOM_*` env vars).
///
/// # Panics
/// On the first failure, with the rendered [`Found`] (`[weft:KIND] message`).
pub fn model<F, Fut>(body: F)
where
    F: Fn(LoomRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    model_with(::loom::model::Builder::new(), body)
}

/// Runs `body` under the given loom builder (preemption bound, branch limit, ...).
///
/// # Panics
/// On the first failure, with the rendered [`Found`] (`[weft:KIND] message`).
pub fn model_with<F, Fut>(builder: ::loom::model::Builder, body: F)
where
    F: Fn(LoomRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    if let Err(found) = try_model_with(builder, body) {
        panic!("{found}")
    }
}

/// [`model`], returning the verdict as a value (see [`try_model_with`]).
pub fn try_model<F, Fut>(body: F) -> Result<Checked, Box<Found>>
where
    F: Fn(LoomRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    try_model_with(::loom::model::Builder::new(), body)
}

/// Runs `body` under the given loom builder and returns the verdict as a value: how many
/// executions loom ran, or the first failure ([`Found`]: its [`Fault`], task and execution).
pub fn try_model_with<F, Fut>(
    builder: ::loom::model::Builder,
    body: F,
) -> Result<Checked, Box<Found>>
where
    F: Fn(LoomRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            CURRENT.with(|c| *c.borrow_mut() = None);
        }
    }
    // Cleared when the whole model ends (not when one execution's root returns: loom runs the
    // other threads to completion after that).
    let _reset = Reset;
    let mut builder = builder;
    let bound = builder.max_branches as u64;
    builder.max_branches = builder.max_branches.saturating_mul(BRANCHES_PER_STEP);
    let slot = Arc::new(Slot::default());
    let check_slot = slot.clone();
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        builder.check(move || {
            check_slot.execution_started();
            let rt = LoomRuntime {
                exec: Arc::new(Execution::default()),
                parking: Arc::default(),
                slot: check_slot.clone(),
                steps: Arc::new(Steps {
                    taken: Default::default(),
                    bound,
                }),
            };
            CURRENT.with(|c| *c.borrow_mut() = Some(rt.clone()));
            rt.parking.spawned(0);
            rt.clone().block_on(0, body(rt));
        })
    }));
    slot.conclude(ran, None)
}

impl Runtime for LoomRuntime {
    type Lock<T: Send + 'static> = LoomLock<T>;
    type Clock = VectorClock;
    type History<C: Contract> = C::History;
    type Sleep = LogicalSleep;

    fn backend_name(&self) -> &'static str {
        "loom"
    }

    fn spawn_boxed(&self, name: &str, task: BoxFuture) {
        let child = self.exec.spawn(self.task(), name);
        self.parking.spawned(child);
        let rt = self.clone();
        let builder = ::loom::thread::Builder::new().name(name.to_string());
        let spawned = builder.spawn(move || {
            TASK.with(|t| t.set(child));
            rt.block_on(child, task);
        });
        drop(spawned.expect("loom thread spawn"));
    }

    #[track_caller]
    fn yield_now(&self) -> impl Future<Output = ()> + Send + 'static {
        self.task();
        self.scheduling_point();
        std::future::poll_fn(loom_yield)
    }

    #[track_caller]
    fn sleep(&self, duration: Duration) -> LogicalSleep {
        self.task();
        self.scheduling_point();
        LogicalSleep::new(&self.exec, duration, loom_yield)
    }

    fn now(&self) -> Instant {
        self.exec.time.now()
    }

    fn choose(&self, n: usize) -> usize {
        assert!(n > 0, "weft: choose(0)");
        0
    }

    fn rand_u64(&self) -> u64 {
        self.exec.next_draw()
    }

    super::checked::checked_funnels!();
}
