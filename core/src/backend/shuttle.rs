//! The shuttle backend: tasks are shuttle futures, internal locks are shuttle mutexes.
//!
//! Run a model with [`check_random`], [`check_pct`], [`check_dfs`] or [`replay`]; each wraps
//! the shuttle entry point of the same name and hands the body a fresh [`ShuttleRuntime`] per
//! execution. A failure is raised as one panic after shuttle's runner returns, carrying the
//! seed and the failing execution's number; shuttle itself prints nothing (see
//! `shuttle_verdict`, which also states the cases that remain shuttle's own).
//!
//! - **Exploration.** shuttle's strategies pick the next task at each internal-lock operation.
//!   Random and PCT are seeded here (shuttle's own entry points seed from the OS), so a run is
//!   repeatable and a CI failure reproduces from its seed and execution count.
//! - **Time.** Logical, as under loom: a sleep yields once, then moves time to its deadline.
//! - **Choice.** [`Runtime::choose`] and [`Runtime::rand_u64`] draw from `shuttle::rand`, so
//!   they are part of shuttle's schedule and replay with it.
//! - **Detects.** Assertion failures and panics, deadlocks (weft's report, found before
//!   shuttle's: `deadlock: ... blocked tasks: [..]`), weft's data-race and WaitGroup contract
//!   checks, and livelocks (weft counts shuttle's scheduling steps against shuttle's default
//!   bound), each as a [`Fault`] of its [`FailureKind`](crate::FailureKind): the `try_check_*`
//!   entry points return it ([`Found`]), the `check_*` ones panic with its rendered text.
//! - **Quiescence.** shuttle ends an execution when its main task returns; weft's root waits
//!   for every task it spawned first, so work after the root (a late `add`, a leaked task) is
//!   explored too. A task still blocked then is a [`FailureKind::Leak`](crate::FailureKind::Leak).
//!
//! Using this backend outside one of the entry points panics with a message that says so.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use ::shuttle::rand::{Rng, RngCore};

use super::checked::{CheckedLock, Execution, LogicalSleep};
use super::shuttle_verdict::{silence_hook, Ending, Guarded, Stopping, Verdict};
pub use super::verdict::{Checked, Found};
use crate::causality::{Contract, TaskIndex, VectorClock};
use crate::fault::Fault;
use crate::runtime::{BoxFuture, RawLock, Runtime};
use crate::time::Instant;

/// The shuttle backend's handle; the entry points hand one to the body.
#[derive(Clone, Debug)]
pub struct ShuttleRuntime {
    exec: Arc<Execution>,
    /// shuttle task id → weft task index.
    tasks: Arc<Mutex<Vec<Option<TaskIndex>>>>,
    ending: Arc<Ending>,
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
    fn new_execution(verdict: &Arc<Verdict>) -> Self {
        verdict.execution_started();
        let rt = ShuttleRuntime {
            exec: Arc::new(Execution::default()),
            tasks: Arc::default(),
            ending: Arc::new(Ending::new(verdict.clone())),
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

    /// A scheduling point: counted by the check's scheduler instead (`Stopping`), which sees
    /// every step.
    fn scheduling_point(&self) {}

    /// Records `fault`, raised by the running task, for the check; unwinds the task.
    fn raise(&self, fault: Fault) -> ! {
        let task = self.task();
        let name = self.exec.with(|t| t.name(task));
        self.ending.verdict.raise(fault, Some(name))
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

fn shuttle_yield(cx: &mut Context<'_>) -> Poll<()> {
    // shuttle's own yield: a scheduling point its strategies know as a yield (PCT demotes the
    // task), so a timer loop under logical time cannot starve the others.
    ::shuttle::thread::yield_now();
    // Then return to the task's guard once (woken at once): a loop whose only waits are
    // sleeps never returns `Pending` otherwise, so after another task's failure the guard
    // could not end it, and the execution would run into shuttle's step bound instead of
    // reporting the failure.
    cx.waker().wake_by_ref();
    Poll::Pending
}

/// One execution: the root task runs `body`, then waits for quiescence, both cut short by a
/// failure (see [`super::shuttle_verdict`]).
fn run<F, Fut>(body: &F, verdict: &Arc<Verdict>)
where
    F: Fn(ShuttleRuntime) -> Fut,
    Fut: Future<Output = ()>,
{
    let rt = ShuttleRuntime::new_execution(verdict);
    let ending = rt.ending.clone();
    let root = Guarded::new(body(rt.clone()), &ending, &rt.exec, 0);
    drop(rt);
    ::shuttle::future::block_on(root);
    // Also after a failure: every task then ends at its next poll.
    let live = &ending.live;
    let mut count = live.count.lock().unwrap_or_else(|p| p.into_inner());
    while *count > 0 {
        count = live.changed.wait(count).unwrap_or_else(|p| p.into_inner());
    }
}

/// Runs `body` under `scheduler` with shuttle silent, and returns the verdict: the executions
/// run, or the first failure with `how` to reproduce it (`shuttle random, seed 7`).
///
/// The step bound is shuttle's default one, counted by weft ([`Stopping`]) so that a livelock
/// comes back as a [`FailureKind::StepBound`](crate::FailureKind::StepBound) value; shuttle's
/// own count, which would panic with its text, is off.
fn check_with<S, F, Fut>(scheduler: S, how: String, body: F) -> Result<Checked, Box<Found>>
where
    S: ::shuttle::scheduler::Scheduler + 'static,
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    silence_hook();
    let verdict = Arc::new(Verdict::default());
    let mut config = ::shuttle::Config::default();
    let bound = match config.max_steps {
        ::shuttle::MaxSteps::FailAfter(n) | ::shuttle::MaxSteps::ContinueAfter(n) => n,
        _ => usize::MAX,
    };
    config.max_steps = ::shuttle::MaxSteps::None;
    config.failure_persistence = ::shuttle::FailurePersistence::None;
    let stopping = Stopping::new(scheduler, verdict.clone(), bound);
    let runner = ::shuttle::Runner::new(stopping, config);
    let v = verdict.clone();
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        runner.run(move || run(&body, &v));
    }));
    verdict.conclude(ran, Some(format!("shuttle {how}")))
}

/// Panics with the rendered failure, if there is one.
fn or_panic(verdict: Result<Checked, Box<Found>>) {
    if let Err(found) = verdict {
        panic!("{found}")
    }
}

/// shuttle's random scheduler over `body`, seeded: the same seed explores the same schedules
/// (shuttle's own `check_random` draws its seed from the OS). `SHUTTLE_RANDOM_SEED`, if set,
/// overrides `seed`, as in shuttle.
///
/// # Panics
/// On the first failing execution, with the failure's message followed by
/// `(shuttle random, seed S; failing execution N)`: the same seed and `iterations >= N`
/// reproduce it. shuttle itself prints nothing. [`try_check_random`] returns it instead.
pub fn check_random<F, Fut>(body: F, seed: u64, iterations: usize)
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    or_panic(try_check_random(body, seed, iterations))
}

/// [`check_random`], returning the verdict as a value.
pub fn try_check_random<F, Fut>(
    body: F,
    seed: u64,
    iterations: usize,
) -> Result<Checked, Box<Found>>
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    let scheduler = ::shuttle::scheduler::RandomScheduler::new_from_seed(seed, iterations);
    check_with(scheduler, format!("random, seed {seed}"), body)
}

/// shuttle's PCT scheduler with bug depth `depth` over `body`, seeded and reported as
/// [`check_random`] is.
pub fn check_pct<F, Fut>(body: F, seed: u64, iterations: usize, depth: usize)
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    or_panic(try_check_pct(body, seed, iterations, depth))
}

/// [`check_pct`], returning the verdict as a value.
pub fn try_check_pct<F, Fut>(
    body: F,
    seed: u64,
    iterations: usize,
    depth: usize,
) -> Result<Checked, Box<Found>>
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    let scheduler = ::shuttle::scheduler::PctScheduler::new_from_seed(seed, depth, iterations);
    check_with(scheduler, format!("pct, depth {depth}, seed {seed}"), body)
}

/// `shuttle::check_dfs` over `body` (exhaustive when `max_iterations` is `None`).
pub fn check_dfs<F, Fut>(body: F, max_iterations: Option<usize>)
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    or_panic(try_check_dfs(body, max_iterations))
}

/// [`check_dfs`], returning the verdict as a value.
pub fn try_check_dfs<F, Fut>(body: F, max_iterations: Option<usize>) -> Result<Checked, Box<Found>>
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    let scheduler = ::shuttle::scheduler::DfsScheduler::new(max_iterations, false);
    check_with(scheduler, "dfs".to_string(), body)
}

/// `shuttle::replay` of a shuttle schedule string for `body`. weft's entry points do not
/// print one (shuttle's stderr output is silenced); they report the seed and the failing
/// execution's number, which reproduce a random or PCT failure.
pub fn replay<F, Fut>(body: F, schedule: &str)
where
    F: Fn(ShuttleRuntime) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()>,
{
    let scheduler = ::shuttle::scheduler::ReplayScheduler::new_from_encoded(schedule);
    or_panic(check_with(scheduler, "replay".to_string(), body))
}

impl Runtime for ShuttleRuntime {
    type Lock<T: Send + 'static> = ShuttleLock<T>;
    type Clock = VectorClock;
    type History<C: Contract> = C::History;
    type Sleep = LogicalSleep;

    fn backend_name(&self) -> &'static str {
        "shuttle"
    }

    fn spawn_boxed(&self, name: &str, task: BoxFuture) {
        let child = self.exec.spawn(self.task(), name);
        let rt = self.clone();
        let guarded = Guarded::new(task, &self.ending, &self.exec, child);
        *self
            .ending
            .live
            .count
            .lock()
            .unwrap_or_else(|p| p.into_inner()) += 1;
        drop(::shuttle::future::spawn(async move {
            rt.register(shuttle_id(), child);
            guarded.await;
            let live = &rt.ending.live;
            *live.count.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
            live.changed.notify_all();
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
