//! The shuttle backend: tasks are shuttle futures, internal locks are shuttle mutexes.
//!
//! Run a model with [`check_random`], [`check_pct`], [`check_dfs`] or [`replay`]; each wraps
//! the shuttle entry point of the same name and hands the body a fresh [`ShuttleRuntime`] per
//! execution. shuttle prints a schedule string on failure; pass it to [`replay`].
//!
//! - **Exploration.** shuttle's strategies pick the next task at each internal-lock operation.
//!   Random and PCT are seeded here (shuttle's own entry points seed from the OS), so a run is
//!   repeatable and a CI failure reproduces from its seed and execution count.
//! - **Time.** Logical, as under loom: a sleep yields once, then moves time to its deadline.
//! - **Choice.** [`Runtime::choose`] and [`Runtime::rand_u64`] draw from `shuttle::rand`, so
//!   they are part of shuttle's schedule and replay with it.
//! - **Detects.** Assertion failures and panics, deadlocks (shuttle's report), and weft's
//!   data-race and WaitGroup contract checks as panics tagged with their [`FailureKind`].
//! - **Quiescence.** shuttle ends an execution when its main task returns; weft's root waits
//!   for every task it spawned first, so work after the root (a late `add`, a leaked task) is
//!   explored too. A task still blocked then is a deadlock to shuttle and a
//!   [`FailureKind::Leak`] to weft.
//!
//! Using this backend outside one of the entry points panics with a message that says so.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use ::shuttle::rand::{Rng, RngCore};

use super::checked::{CheckedLock, Execution, LogicalSleep};
use crate::causality::{CellHistory, TaskIndex, VectorClock, WaitGroupHistory};
use crate::runtime::{BoxFuture, RawLock, Runtime};
use crate::time::Instant;

/// The shuttle backend's handle; the entry points hand one to the body.
#[derive(Clone, Debug)]
pub struct ShuttleRuntime {
    exec: Arc<Execution>,
    /// shuttle task id → weft task index.
    tasks: Arc<Mutex<Vec<Option<TaskIndex>>>>,
    live: Arc<Live>,
}

/// A shuttle mutex as a [`RawLock`]: taking it is a shuttle scheduling point.
pub type ShuttleLock<T> = CheckedLock<::shuttle::sync::Mutex<()>, T>;

impl<T: Send> RawLock<T> for ShuttleLock<T> {
    fn new(value: T) -> Self {
        CheckedLock::new(::shuttle::sync::Mutex::new(()), value)
    }
    fn with<U>(&self, f: impl FnOnce(&mut T) -> U) -> U {
        CheckedLock::with(self, |m| m.lock().unwrap_or_else(|p| p.into_inner()), f)
    }
}

/// Tasks of an execution not yet finished, and a condition the root waits on: shuttle ends an
/// execution when its main task returns and drops the rest unpolled, so the root waits for
/// them (quiescence), and a task blocked forever then shows as shuttle's deadlock, which
/// weft reports as a leak.
#[derive(Debug, Default)]
struct Live {
    count: ::shuttle::sync::Mutex<usize>,
    changed: ::shuttle::sync::Condvar,
}

const OUTSIDE: &str = "weft: the shuttle backend was used outside a weft_core::backend::shuttle \
                       entry point (check_random, check_pct, check_dfs, replay)";

fn shuttle_id() -> usize {
    match ::shuttle::current::try_get_current_task() {
        Some(id) => usize::from(id),
        None if super::checked::unwinding() => 0,
        None => panic!("{OUTSIDE}"),
    }
}

impl ShuttleRuntime {
    fn new_execution() -> Self {
        let rt = ShuttleRuntime {
            exec: Arc::new(Execution::default()),
            tasks: Arc::default(),
            live: Arc::default(),
        };
        rt.register(shuttle_id(), 0);
        rt
    }

    fn register(&self, shuttle: usize, task: TaskIndex) {
        let mut map = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() <= shuttle {
            map.resize(shuttle + 1, None);
        }
        map[shuttle] = Some(task);
    }

    fn task(&self) -> TaskIndex {
        let id = shuttle_id();
        let map = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(id).copied().flatten() {
            Some(t) => t,
            None if super::checked::unwinding() => 0,
            None => panic!("{OUTSIDE} (this task was not started by weft, or the handle is stale)"),
        }
    }
}

fn shuttle_yield(_cx: &mut Context<'_>) -> Poll<()> {
    // shuttle's own yield: a scheduling point its strategies know as a yield (PCT demotes the
    // task), so a timer loop under logical time cannot starve the others.
    ::shuttle::thread::yield_now();
    Poll::Ready(())
}

fn run<F, Fut>(body: &F)
where
    F: Fn(ShuttleRuntime) -> Fut,
    Fut: Future<Output = ()>,
{
    let rt = ShuttleRuntime::new_execution();
    super::checked::root_started();
    let live = rt.live.clone();
    ::shuttle::future::block_on(body(rt));
    super::checked::root_returned();
    let mut count = live.count.lock().unwrap_or_else(|p| p.into_inner());
    while *count > 0 {
        count = live.changed.wait(count).unwrap_or_else(|p| p.into_inner());
    }
}

/// shuttle's random scheduler over `body`, seeded: the same seed explores the same schedules
/// (shuttle's own `check_random` draws its seed from the OS). `SHUTTLE_RANDOM_SEED`, if set,
/// overrides `seed`, as in shuttle.
pub fn check_random<F, Fut>(body: F, seed: u64, iterations: usize)
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    let scheduler = ::shuttle::scheduler::RandomScheduler::new_from_seed(seed, iterations);
    check_with(scheduler, body)
}

/// shuttle's PCT scheduler with bug depth `depth` over `body`, seeded as [`check_random`] is.
pub fn check_pct<F, Fut>(body: F, seed: u64, iterations: usize, depth: usize)
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    let scheduler = ::shuttle::scheduler::PctScheduler::new_from_seed(seed, depth, iterations);
    check_with(scheduler, body)
}

fn check_with<S, F, Fut>(scheduler: S, body: F)
where
    S: ::shuttle::scheduler::Scheduler + 'static,
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    let runner = ::shuttle::Runner::new(scheduler, ::shuttle::Config::default());
    super::checked::reclassify_leaks(|| {
        runner.run(move || run(&body));
    })
}

/// `shuttle::check_dfs` over `body` (exhaustive when `max_iterations` is `None`).
pub fn check_dfs<F, Fut>(body: F, max_iterations: Option<usize>)
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    super::checked::reclassify_leaks(|| ::shuttle::check_dfs(move || run(&body), max_iterations))
}

/// `shuttle::replay` of a schedule string that shuttle printed for `body`.
pub fn replay<F, Fut>(body: F, schedule: &str)
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    super::checked::reclassify_leaks(|| ::shuttle::replay(move || run(&body), schedule))
}

impl Runtime for ShuttleRuntime {
    type Lock<T: Send + 'static> = ShuttleLock<T>;
    type Clock = VectorClock;
    type CellMeta = CellHistory;
    type WaitGroupMeta = WaitGroupHistory;
    type Sleep = LogicalSleep;

    fn backend_name(&self) -> &'static str {
        "shuttle"
    }

    fn spawn_boxed(&self, name: &str, task: BoxFuture) {
        let child = self.exec.spawn(self.task(), name);
        let rt = self.clone();
        *self.live.count.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        drop(::shuttle::future::spawn(async move {
            rt.register(shuttle_id(), child);
            task.await;
            *rt.live.count.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
            rt.live.changed.notify_all();
        }));
    }

    #[track_caller]
    fn yield_now(&self) -> impl Future<Output = ()> + Send + 'static {
        self.task();
        ::shuttle::future::yield_now()
    }

    #[track_caller]
    fn sleep(&self, duration: Duration) -> LogicalSleep {
        self.task();
        LogicalSleep::new(&self.exec, duration, shuttle_yield)
    }

    fn now(&self) -> Instant {
        self.exec.time.now()
    }

    fn choose(&self, n: usize) -> usize {
        assert!(n > 0, "weft: choose(0)");
        self.task();
        ::shuttle::rand::thread_rng().gen_range(0..n)
    }

    fn rand_u64(&self) -> u64 {
        self.task();
        ::shuttle::rand::thread_rng().next_u64()
    }

    super::checked::checked_funnels!();
}
