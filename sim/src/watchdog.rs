//! The watchdog: ends the process when one step runs too long in wall time.
//!
//! A step is one poll of one task. A task that spins without calling any weft operation (`loop
//! {}` on a flag nobody sets, a blocking `std` call) never returns to the scheduler, so neither
//! the step bound nor the per-step operation bound ([`Config::max_step_ops`]) can see it. The
//! watchdog can: it is a thread, started by [`Sim::run`] for the duration of the run, that
//! watches a heartbeat published by the run loop.
//!
//! Protocol (the run loop is the only writer, the watchdog thread the only other reader):
//!
//! 1. The run loop publishes a [`Pulse`]: at the start of every execution the seed
//!    ([`Pulse::begin_execution`]), at every spawn the task's name, at the start of every step
//!    the task, the step and the decisions made so far ([`Pulse::step_started`]), at every
//!    operation the operation ([`Pulse::noted`]), and at the end of every step
//!    ([`Pulse::step_ended`]). The heartbeat counter is odd exactly while a step is running.
//!    The snapshot sits behind a `Mutex` the run loop holds only while it writes; the run
//!    loop never blocks on the watchdog for longer than the watchdog takes to copy it.
//! 2. The watchdog wakes a few times per limit. When the heartbeat is odd and has not moved
//!    for the limit, it prints the task, its last operation and site, the step, the seed and
//!    the schedule so far (which replays the execution up to the hanging step) to stderr, and
//!    ends the process with [`EXIT_STATUS`].
//! 3. Dropping the [`Watchdog`] stops and joins the thread.
//!
//! The watchdog only reads: scheduling never depends on it, so runs stay deterministic. The
//! run loop finds the pulse of the current run through a thread-local set by the guard
//! ([`current`]), read once per execution.
//!
//! [`Config::max_step_ops`]: crate::Config::max_step_ops
//! [`Sim::run`]: crate::Sim::run

// The watchdog measures wall time on purpose: it exists to notice that wall time passes while
// the simulation does not. It never feeds wall time back into the simulation.
#![allow(clippy::disallowed_methods)]

use std::cell::RefCell;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use weft_core::Op;

use crate::config::ENV_WATCHDOG;
use crate::schedule::{Decision, Schedule};

/// The exit status of a process ended by the watchdog: the status of a Rust program (and of
/// a `cargo test` binary) that panicked.
pub const EXIT_STATUS: i32 = 101;

/// What the run loop publishes for the watchdog; see the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Pulse {
    /// Bumped when a step starts and when it ends: odd while a step runs.
    beats: AtomicU64,
    snapshot: Mutex<Snapshot>,
}

#[derive(Debug, Default)]
struct Snapshot {
    seed: u64,
    names: Vec<String>,
    task: u32,
    step: u64,
    last_op: Option<Op>,
    decisions: Vec<Decision>,
}

impl Pulse {
    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        // A poisoned snapshot is still a valid snapshot: every write leaves it consistent.
        self.snapshot.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn begin_execution(&self, seed: u64) {
        let mut s = self.lock();
        s.seed = seed;
        s.names.clear();
        s.task = 0;
        s.step = 0;
        s.last_op = None;
        s.decisions.clear();
    }

    pub(crate) fn spawned(&self, name: &str) {
        self.lock().names.push(name.to_string());
    }

    /// A step of `task` starts; `decisions` are all the decisions of the execution so far
    /// (only the ones not yet published are copied).
    pub(crate) fn step_started(
        &self,
        task: u32,
        step: u64,
        last_op: Option<Op>,
        decisions: &[Decision],
    ) {
        {
            let mut s = self.lock();
            s.task = task;
            s.step = step;
            s.last_op = last_op;
            let known = s.decisions.len();
            s.decisions.extend_from_slice(&decisions[known..]);
        }
        self.beats.fetch_add(1, Ordering::Release);
    }

    /// The running task reached `op`; `decisions` as in [`Pulse::step_started`] (a data
    /// choice inside the step is a decision the replay needs).
    pub(crate) fn noted(&self, op: Op, decisions: &[Decision]) {
        let mut s = self.lock();
        s.last_op = Some(op);
        let known = s.decisions.len();
        s.decisions.extend_from_slice(&decisions[known..]);
    }

    pub(crate) fn step_ended(&self) {
        self.beats.fetch_add(1, Ordering::Release);
    }

    /// The report printed when the watchdog fires.
    fn report(&self, limit: Duration, test: &str) -> String {
        let s = self.lock();
        let task = s
            .names
            .get(s.task as usize)
            .cloned()
            .unwrap_or_else(|| format!("task#{}", s.task));
        let last = match s.last_op {
            Some(op) => format!("{} at {}", op.name, op.site),
            None => "none (the task made no weft operation yet)".to_string(),
        };
        let schedule = Schedule {
            seed: s.seed,
            decisions: s.decisions.clone(),
        }
        .encode();
        let replay = if test == "main" {
            format!("WEFT_SCHEDULE={schedule} <rerun this program>")
        } else {
            format!("WEFT_SCHEDULE={schedule} cargo test -- --exact {test}")
        };
        format!(
            "weft-sim watchdog: task '{task}' has run one step for {limit:?} of wall time without \
             returning to the scheduler (a spin loop or a blocking call that never awaits?)\n  \
             its last weft operation: {last}\n  \
             step {}, seed {}\n  \
             schedule so far: {schedule}\n  \
             replay:   {replay}\n  \
             the watchdog ends the process with status {EXIT_STATUS}; set {ENV_WATCHDOG}=off or \
             Config::watchdog(None) to turn it off, or {ENV_WATCHDOG}=<seconds> to wait longer\n",
            s.step, s.seed,
        )
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<Pulse>>> = const { RefCell::new(None) };
}

/// The pulse of the run on this thread, if its watchdog is on.
pub(crate) fn current() -> Option<Arc<Pulse>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// The running watchdog of one [`Sim::run`](crate::Sim::run); dropping it stops the thread.
pub(crate) struct Watchdog {
    previous: Option<Arc<Pulse>>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Watchdog {
    /// Starts a watchdog that fires after `limit` without a step returning; `None`: off.
    pub(crate) fn start(limit: Option<Duration>) -> Option<Watchdog> {
        let limit = limit?;
        let pulse = Arc::new(Pulse::default());
        let (stop, stopped) = mpsc::channel::<()>();
        let test = std::thread::current()
            .name()
            .unwrap_or("main")
            .to_string();
        let watched = pulse.clone();
        let thread = std::thread::Builder::new()
            .name("weft-sim-watchdog".into())
            .spawn(move || watch(&watched, limit, &stopped, &test))
            .ok()?;
        let previous = CURRENT.with(|c| c.replace(Some(pulse)));
        Some(Watchdog {
            previous,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = self.previous.take());
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn watch(pulse: &Pulse, limit: Duration, stopped: &mpsc::Receiver<()>, test: &str) {
    let tick = (limit / 4).clamp(Duration::from_millis(10), Duration::from_millis(500));
    let mut seen = pulse.beats.load(Ordering::Acquire);
    let mut since = Instant::now();
    loop {
        match stopped.recv_timeout(tick) {
            Err(RecvTimeoutError::Timeout) => {}
            // The guard dropped its sender: the run is over.
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
        let beats = pulse.beats.load(Ordering::Acquire);
        if beats != seen {
            seen = beats;
            since = Instant::now();
        } else if beats % 2 == 1 && since.elapsed() >= limit {
            let report = pulse.report(limit, test);
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(report.as_bytes());
            let _ = err.flush();
            std::process::exit(EXIT_STATUS);
        }
    }
}
