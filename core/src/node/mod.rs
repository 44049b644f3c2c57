//! Nodes: named groups of tasks with their own clocks, that can crash, restart and pause.
//!
//! A node is what a server process is in a distributed system. Protocol:
//!
//! 1. [`Runtime::start_node`](crate::Runtime::start_node) registers a [`NodeSpec`] and runs its
//!    start function as the node's first task (incarnation 1). Every task spawned from a node's
//!    task belongs to the same node and incarnation.
//! 2. A **crash** ([`Runtime::crash`](crate::Runtime::crash), or the checker's decision at a
//!    [`Runtime::crash_point`](crate::Runtime::crash_point)) takes effect at the end of the
//!    current step: every task of the node is dropped at the point it reached (its volatile
//!    state is gone). What its tasks already handed to other objects (a sent message, a
//!    released lock) stays.
//! 3. A crashed node with [`Restart::After`] starts again after that delay: a fresh
//!    incarnation `k` runs the start function, its first task named `NAME#k`.
//! 4. A **pause** ([`Runtime::pause`](crate::Runtime::pause)) stops every task of the node for a
//!    duration: they do not run, and its timers that fall due in the meantime fire late, after
//!    the node resumes.
//! 5. Each node has [`Clocks`]: a wall-clock offset and a monotonic drift rate
//!    (`wall = offset + (1 + drift)·τ`, `monotonic = (1 + drift)·(τ − τ_start)`, spec
//!    `config-concurrency.md` §7.3, where τ is the runtime's time,
//!    [`Runtime::now`](crate::Runtime::now)). A spec may list several [`Clocks`]
//!    ([`NodeSpec::clocks_from`]): the checker then chooses one as a data choice it explores.
//!
//! Backends: the simulator models all of it; tokio runs a node as a task group (a crash
//! aborts the group); loom and shuttle cannot, and the check layer refuses such scenarios
//! there with one line.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::runtime::BoxFuture;

/// A node's id: its index in creation order, per execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "node {}", self.0)
    }
}

/// What a crashed node does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restart {
    /// It stays down.
    Never,
    /// A fresh incarnation starts this long after the crash.
    After(Duration),
}

/// One drift unit: a part per million.
pub const PPM: i64 = 1_000_000;

/// A node's clocks: a wall-clock offset and a monotonic drift rate (module docs, rule 5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clocks {
    /// Wall-clock offset in nanoseconds (negative: the node's wall clock is behind).
    pub offset_ns: i64,
    /// Drift of both clocks in parts per million (`1000` is `+1e-3`: fast).
    pub drift_ppm: i64,
}

impl Clocks {
    /// Exact clocks: no offset, no drift.
    pub const EXACT: Clocks = Clocks {
        offset_ns: 0,
        drift_ppm: 0,
    };

    /// The spec's declared clock faults (`config-concurrency.md` §7.2) for a tolerance `t`:
    /// every pair of a wall offset in `{-(t+1), 0, +(t+1)}` and a drift in `{0, ±1e-3}`, the
    /// exact clocks first.
    pub fn spec_set(t: Duration) -> Vec<Clocks> {
        let off = i64::try_from((t + Duration::from_nanos(1)).as_nanos()).unwrap_or(i64::MAX);
        let mut set = Vec::with_capacity(9);
        for offset_ns in [0, -off, off] {
            for drift_ppm in [0, -1000, 1000] {
                set.push(Clocks {
                    offset_ns,
                    drift_ppm,
                });
            }
        }
        set
    }

    /// `d` as this node's clocks measure it: `(1 + drift)·d`.
    pub fn scale(&self, d: Duration) -> Duration {
        let ns = d.as_nanos() as i128;
        let scaled = ns + ns * i128::from(self.drift_ppm) / i128::from(PPM);
        Duration::from_nanos(scaled.clamp(0, i128::from(u64::MAX)) as u64)
    }

    /// The runtime time that this node's clocks measure as `local`: the inverse of
    /// [`Clocks::scale`], rounded up, so that a timer of `unscale(d)` has run for at least `d`
    /// on the node's clock when it fires.
    pub fn unscale(&self, local: Duration) -> Duration {
        let ns = local.as_nanos() as i128;
        let rate = i128::from(PPM) + i128::from(self.drift_ppm);
        if rate <= 0 {
            return Duration::MAX;
        }
        let runtime = (ns * i128::from(PPM) + rate - 1) / rate;
        Duration::from_nanos(runtime.clamp(0, i128::from(u64::MAX)) as u64)
    }

    /// The wall clock at runtime time `tau` (time since the runtime's epoch).
    pub fn wall(&self, tau: Duration) -> WallTime {
        WallTime(i128::from(self.offset_ns) + self.scale(tau).as_nanos() as i128)
    }
}

impl fmt::Display for Clocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wall offset {}ns, drift {}ppm",
            self.offset_ns, self.drift_ppm
        )
    }
}

/// A node's wall-clock reading: nanoseconds since the runtime's epoch as the node believes
/// it (it may be negative, and differ between nodes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WallTime(pub i128);

impl WallTime {
    /// `self - earlier` in nanoseconds (negative if `earlier` is later).
    pub fn nanos_since(self, earlier: WallTime) -> i128 {
        self.0 - earlier.0
    }
}

/// A node's start function: builds the body of each incarnation's first task.
pub type Start = Arc<dyn Fn() -> BoxFuture + Send + Sync>;

/// What a node is: its name, how it starts and restarts, its clocks.
#[derive(Clone)]
pub struct NodeSpec {
    /// Its name in traces (`node s1 crashed at step 41`).
    pub name: String,
    /// Builds the body of each incarnation's first task.
    pub start: Start,
    /// What happens after a crash.
    pub restart: Restart,
    /// Its clocks: one entry is fixed; several are a set the checker chooses from.
    pub clocks: Vec<Clocks>,
}

impl NodeSpec {
    /// A node called `name` whose incarnations run `start`; it never restarts, its clocks are
    /// exact.
    pub fn new<F>(name: &str, start: F) -> NodeSpec
    where
        F: Fn() -> BoxFuture + Send + Sync + 'static,
    {
        NodeSpec {
            name: name.to_string(),
            start: Arc::new(start),
            restart: Restart::Never,
            clocks: vec![Clocks::EXACT],
        }
    }

    /// Restarts after `delay` when crashed.
    pub fn restart_after(mut self, delay: Duration) -> NodeSpec {
        self.restart = Restart::After(delay);
        self
    }

    /// Runs with these clocks.
    pub fn clocks(mut self, clocks: Clocks) -> NodeSpec {
        self.clocks = vec![clocks];
        self
    }

    /// Runs with clocks the checker chooses from `set` (an empty set means exact clocks).
    pub fn clocks_from(mut self, set: Vec<Clocks>) -> NodeSpec {
        self.clocks = if set.is_empty() {
            vec![Clocks::EXACT]
        } else {
            set
        };
        self
    }
}

impl fmt::Debug for NodeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodeSpec")
            .field("name", &self.name)
            .field("restart", &self.restart)
            .field("clocks", &self.clocks)
            .finish_non_exhaustive()
    }
}
