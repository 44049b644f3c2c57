//! The watchdog: ends the process when one step runs too long in wall time.
//!
//! A step is one poll of one task. A task that spins without calling any weft operation (`loop
//! {}` on a flag nobody sets, a blocking `std` call) never returns to the scheduler, so neither
//! the step bound nor the per-step operation bound ([`Config::max_step_ops`]) can see it. The
//! watchdog can: a thread that watches a heartbeat published by the run loop of every
//! [`Sim::run`] in progress.
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
//! 2. The watchdog thread (one per process, shared by all runs, asleep while no run is
//!    watched) wakes a few times per limit. When a run's heartbeat is odd and has not moved
//!    for the limit, it prints the task, its last operation and site, the step, the seed and
//!    the schedule so far (which replays the execution up to the hanging step) to stderr, and
//!    ends the process with [`EXIT_STATUS`].
//! 3. Dropping the run's [`Watchdog`] unregisters the run.
//!
//! The watchdog only reads: scheduling never depends on it, so runs stay deterministic. The
//! run loop gets the pulse of the current run with the execution's limits (the run's
//! [`Watchdog::pulse`]); no thread-local is involved.
//!
//! [`Config::max_step_ops`]: crate::Config::max_step_ops
//! [`Sim::run`]: crate::Sim::run

// The watchdog measures wall time on purpose: it exists to notice that wall time passes while
// the simulation does not. It never feeds wall time back into the simulation.
#![allow(clippy::disallowed_methods)]

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Once};
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
    /// Set when the run ends; the watchdog thread then forgets the run.
    finished: AtomicBool,
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
        self.beat();
    }

    /// The run loop is the only writer: a load and a store, no read-modify-write.
    fn beat(&self) {
        let b = self.beats.load(Ordering::Relaxed);
        self.beats.store(b + 1, Ordering::Release);
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
        self.beat();
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

/// One watched run.
struct Entry {
    pulse: Arc<Pulse>,
    limit: Duration,
    /// The test (thread) name, for the replay command.
    test: String,
    /// The heartbeat last seen, and since when.
    seen: u64,
    since: Instant,
}

struct Watched {
    entries: Vec<Entry>,
    /// The watchdog thread waits for a first entry (it must be woken).
    idle: bool,
}

/// The runs being watched, and the condition variable the watchdog thread sleeps on while
/// there are none. A run registers itself under the lock and marks itself finished without
/// it, so a short run takes the lock once.
static WATCHED: Mutex<Watched> = Mutex::new(Watched {
    entries: Vec::new(),
    idle: false,
});
static CHANGED: Condvar = Condvar::new();
static THREAD: Once = Once::new();

fn watched() -> MutexGuard<'static, Watched> {
    WATCHED.lock().unwrap_or_else(|e| e.into_inner())
}

/// The watchdog of one [`Sim::run`](crate::Sim::run): registered with the process's watchdog
/// thread while it lives.
///
/// One thread serves every run of the process: it is started by the first run that wants it
/// and sleeps on a condition variable while no run is watched. (A thread per run cost a spawn
/// and a join per run: on a loaded machine that multiplied the time of a short 100-execution
/// run several times.)
pub(crate) struct Watchdog {
    pulse: Arc<Pulse>,
}

impl Watchdog {
    /// Watches the run on this thread, firing after `limit` without a step returning; `None`:
    /// off.
    pub(crate) fn start(limit: Option<Duration>) -> Option<Watchdog> {
        let limit = limit?;
        let pulse = Arc::new(Pulse::default());
        let test = std::thread::current().name().unwrap_or("main").to_string();
        let mut started = true;
        THREAD.call_once(|| {
            started = std::thread::Builder::new()
                .name("weft-sim-watchdog".into())
                .spawn(watch)
                .is_ok();
        });
        if !started {
            return None;
        }
        let wake = {
            let mut w = watched();
            w.entries.push(Entry {
                pulse: pulse.clone(),
                limit,
                test,
                seen: 0,
                since: Instant::now(),
            });
            std::mem::replace(&mut w.idle, false)
        };
        if wake {
            CHANGED.notify_one();
        }
        Some(Watchdog { pulse })
    }

    /// What the run's executions publish to (the run hands it to each one through its
    /// [`Limits`](crate::run_loop::Limits)).
    pub(crate) fn pulse(&self) -> Arc<Pulse> {
        self.pulse.clone()
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.pulse.finished.store(true, Ordering::Release);
    }
}

/// The watchdog thread: checks every watched run a few times per limit; sleeps while none is.
fn watch() {
    let mut w = watched();
    loop {
        w.entries
            .retain(|e| !e.pulse.finished.load(Ordering::Acquire));
        if w.entries.is_empty() {
            w.idle = true;
            w = CHANGED.wait(w).unwrap_or_else(|e| e.into_inner());
            continue;
        }
        let now = Instant::now();
        for e in &mut w.entries {
            let beats = e.pulse.beats.load(Ordering::Acquire);
            if beats != e.seen {
                e.seen = beats;
                e.since = now;
            } else if beats % 2 == 1 && now - e.since >= e.limit {
                let report = e.pulse.report(e.limit, &e.test);
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(report.as_bytes());
                let _ = err.flush();
                std::process::exit(EXIT_STATUS);
            }
        }
        let shortest = w.entries.iter().map(|e| e.limit).min().unwrap_or_default();
        let tick = (shortest / 4).clamp(Duration::from_millis(10), Duration::from_millis(500));
        w = CHANGED
            .wait_timeout(w, tick)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}
