//! The [`Strategy`] trait: who decides what runs next.
//!
//! The executor calls a strategy only at real decisions (two or more candidates, or a choice
//! among two or more values). Candidates are listed in a deterministic order: runnable tasks by
//! index, then due timers by index. The contract:
//!
//! 1. [`Strategy::begin`] starts execution `index` with its seed; `false` means the strategy
//!    has nothing more to explore (DFS exhausted, replay done).
//! 2. [`Strategy::pick`] returns an index into `point.candidates`, or an error when it cannot
//!    follow the program (replay divergence).
//! 3. [`Strategy::choose`] returns a value in `0..n`; [`Strategy::random`] any `u64`.
//! 4. [`Strategy::end`] closes the execution with its number of decisions.
//!
//! One file per strategy. Planned next, and this trait is shaped for them: optimal
//! partial-order reduction (needs the same decision points plus the dependency of each step,
//! which the trace already records) and schedule shrinking (a replay that may drop decisions).

mod dfs;
mod pct;
mod random;
mod replay;

pub use dfs::Dfs;
pub use pct::Pct;
pub use random::RandomWalk;
pub use replay::Replay;

use std::fmt;

/// Something the executor can run next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Candidate {
    /// Poll this task.
    Task(u32),
    /// Fire this due timer.
    Timer(u32),
}

impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Candidate::Task(t) => write!(f, "task {t}"),
            Candidate::Timer(t) => write!(f, "timer {t}"),
        }
    }
}

/// A scheduling decision to make.
#[derive(Debug)]
pub struct DecisionPoint<'a> {
    /// What can run, in deterministic order (at least two entries).
    pub candidates: &'a [Candidate],
    /// Index in `candidates` of the task that just ran and is still runnable (it yielded at a
    /// scheduling point): picking another one is a preemption.
    pub current: Option<usize>,
    /// Whether that task yielded on purpose (`yield_now`): it asks to let others run, so
    /// strategies should not keep choosing it (a spin loop would otherwise starve the task it
    /// waits for).
    pub yielding: bool,
    /// How many decisions this execution has made so far.
    pub decision: u64,
}

/// A scheduling strategy; see the module documentation.
pub trait Strategy: Send {
    /// Short description for reports, such as `pct(d=3)`.
    fn describe(&self) -> String;
    /// Starts execution `index` (0-based) seeded with `seed`; `false` when done exploring.
    fn begin(&mut self, index: u64, seed: u64) -> bool;
    /// Picks a candidate.
    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String>;
    /// A data choice in `0..n`, `n >= 2`.
    fn choose(&mut self, n: usize) -> Result<usize, String>;
    /// A random draw.
    fn random(&mut self) -> Result<u64, String>;
    /// Ends the execution, which made `decisions` decisions.
    fn end(&mut self, decisions: u64);
    /// Called when an execution ends without a failure; a strategy that was following a
    /// script (replay) reports here that the program stopped before the script did.
    fn check_finished(&self) -> Result<(), String> {
        Ok(())
    }
    /// For exhaustive strategies: whether the whole space has been explored.
    fn exhausted(&self) -> Option<bool> {
        None
    }
    /// Where the exploration stands, for progress lines (such as DFS's depth and open
    /// branches); `None` if there is nothing to say beyond the execution count.
    fn progress(&self) -> Option<String> {
        None
    }
}

/// Which strategy a [`Config`](crate::Config) asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrategyKind {
    /// Uniform random walk.
    Random,
    /// PCT with bug depth `depth`.
    Pct {
        /// Bug depth `d` (d-1 priority change points).
        depth: usize,
    },
    /// Depth-first search, with the configured preemption bound.
    Dfs,
}

impl StrategyKind {
    /// Parses `random`, `pct`, `pct:D` or `dfs`.
    pub fn parse(s: &str) -> Result<StrategyKind, String> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "random" => Ok(StrategyKind::Random),
            "dfs" => Ok(StrategyKind::Dfs),
            "pct" => Ok(StrategyKind::Pct { depth: 3 }),
            _ => match s.strip_prefix("pct:").map(str::parse::<usize>) {
                Some(Ok(depth)) if depth >= 1 => Ok(StrategyKind::Pct { depth }),
                _ => Err(format!(
                    "unknown strategy {s:?}: expected random, pct, pct:DEPTH (DEPTH >= 1) or dfs"
                )),
            },
        }
    }
}

impl fmt::Display for StrategyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StrategyKind::Random => f.write_str("random"),
            StrategyKind::Pct { depth } => write!(f, "pct:{depth}"),
            StrategyKind::Dfs => f.write_str("dfs"),
        }
    }
}
