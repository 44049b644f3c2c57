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
//! partial-order reduction (needs the same decision points plus the dependency of each step:
//! [`DecisionPoint::pending`] gives each candidate's next operation with its object and
//! access, and [`weft_core::object`] the relation between them) and schedule shrinking (a
//! replay that may drop decisions).

mod dfs;
mod dpor;
mod hunt;
mod icb;
mod node_step;
mod pct;
mod portfolio;
mod random;
mod replay;
mod shared;

pub use dfs::Dfs;
pub use dpor::{explores as dpor_explores, Dpor, Stats as DporStats};
pub use hunt::Hunt;
pub use icb::Icb;
pub use node_step::NodeStep;
pub use pct::{Pct, DEFAULT_DEPTH as PCT_DEFAULT_DEPTH, DEPTHS as PCT_DEPTHS};
pub use portfolio::{Member as PortfolioMember, Portfolio, MEMBERS as PORTFOLIO_MEMBERS};
pub use random::RandomWalk;
pub use replay::Replay;

use std::fmt;

use weft_core::faults::FaultKind;
use weft_core::{AccessKind, Op};

use crate::rng::SimRng;
use crate::task::Task;
use crate::time::Timer;

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

/// What the candidates of a decision point do next, read from the execution when asked (no
/// copy is made at decisions that do not ask).
#[derive(Clone, Copy)]
pub struct Pending<'a> {
    tasks: &'a [Task],
    timers: &'a [Timer],
}

impl<'a> Pending<'a> {
    pub(crate) fn new(tasks: &'a [Task], timers: &'a [Timer]) -> Self {
        Pending { tasks, timers }
    }

    /// Nothing known (for strategies' own tests).
    #[cfg(test)]
    pub(crate) fn unknown() -> Pending<'static> {
        Pending {
            tasks: &[],
            timers: &[],
        }
    }

    /// What candidate `c` does when picked: a task's pending operation, the one of the
    /// scheduling point it is parked at (for a blocked task that was woken: the operation it
    /// blocked in, performed again), with the object it touches and how ([`Op::touch`]; `None`
    /// for a task that has not reached a scheduling point yet); a due timer's firing
    /// (`timer.fire`, [`AccessKind::Fire`] on the object of the sleep that armed it). Two candidates whose pending operations
    /// [conflict](Op::conflicts) do not commute.
    pub fn of(&self, c: Candidate) -> Option<Op> {
        match c {
            Candidate::Task(t) => self.tasks.get(t as usize)?.point_op,
            Candidate::Timer(t) => {
                let sleep = self.timers.get(t as usize)?.op;
                let object = sleep.touch.object()?;
                Some(Op::on("timer.fire", object, AccessKind::Fire, sleep.site))
            }
        }
    }
}

impl fmt::Debug for Pending<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending").finish_non_exhaustive()
    }
}

/// A scheduling decision to make.
#[derive(Debug)]
pub struct DecisionPoint<'a> {
    /// What can run, in deterministic order (at least two entries).
    pub candidates: &'a [Candidate],
    /// What each candidate does when picked ([`Pending::of`]): what dynamic partial-order
    /// reduction needs to tell which candidates commute.
    pub pending: Pending<'a>,
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

impl DecisionPoint<'_> {
    /// Whether picking `chosen` (an index into `candidates`) is a preemption: the task that
    /// just ran is still runnable, did not yield, and something else is picked. The one rule
    /// for counting preemptions: the executor counts a schedule's with it
    /// ([`Failure::preemptions`](crate::Failure::preemptions)), bounded DFS and iterative
    /// context bounding ([`Icb`]) bound them with it. A yield (`yield_now`) asks others to
    /// run, so switching away from it is not a preemption (as in CHESS).
    pub fn preempts(&self, chosen: usize) -> bool {
        !self.yielding && self.current.is_some_and(|c| c != chosen)
    }
}

/// How a [`Step`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepEnd {
    /// The task stopped at a scheduling point and can run again at once.
    Yielded,
    /// The task is parked until something wakes it.
    Blocked,
    /// The task returned or panicked.
    Finished,
    /// A timer fired (its task is woken).
    Fired,
}

/// One executed step: a task's poll from one scheduling point to the next, or a timer's
/// firing. Given to strategies that ask for it ([`Strategy::wants_steps`]), after every step,
/// decisions or not: the events dynamic partial-order reduction reasons about.
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    /// What ran.
    pub actor: Candidate,
    /// The operations the step performed, in order: the one the task was parked at when the
    /// step started (performed now), then every operation it noted while it ran (`Runtime::note`:
    /// data accesses, spawns, exits, non-blocking operations). The operation of the scheduling
    /// point the step stopped at is not in it: the task performs that one in its next step
    /// ([`Pending::of`] shows it). A timer's step is its `timer.fire`.
    pub accesses: &'a [Op],
    /// Tasks the step made runnable (blocked before, runnable after), in wake order.
    pub woke: &'a [u32],
    /// Tasks the step spawned, in spawn order.
    pub spawned: &'a [u32],
    /// Timers the step armed (a sleep's first poll), in arming order: the timer indices of
    /// later [`Candidate::Timer`]s.
    pub armed: &'a [u32],
    /// The data choices the step made, in order: `(n, value)` for each `choose(n)` with `n >= 2`.
    pub choices: &'a [(u32, u32)],
    /// The objects the step created (primitives, task handles, timers), in creation order.
    /// Object ids are numbered per execution; a strategy that compares objects across
    /// executions names them by their creating actor and this order.
    pub objects: &'a [weft_core::ObjectId],
    /// The object of the node the step's task (a timer's: its task) belongs to, if any: the
    /// step reads it, as it can run only while the node is up and not paused
    /// ([`crate::nodes`], rule 7). A failed attempt at an await nobody observes reads nothing.
    pub node: Option<weft_core::ObjectId>,
    /// The unfinished tasks of the nodes the step crashed or paused: those of them that could
    /// run before it cannot after it (a crashed task never again, a paused one not until its
    /// node resumes).
    pub disabled: &'a [u32],
    /// How the step ended.
    pub end: StepEnd,
    /// Whether the strategy picked this step at a decision (two or more candidates).
    pub decided: bool,
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
    /// A fault decision in `0..n` (`n >= 2`): 0 is "no fault", `k >= 1` injects a fault of
    /// `kind` with option `k - 1` ([`weft_core::faults`]). The default is a data choice, which
    /// exhaustive strategies explore ("no fault" first); samplers inject with probability
    /// [`FAULT_ODDS`] ([`sample_fault`]).
    fn fault(&mut self, kind: FaultKind, n: usize) -> Result<usize, String> {
        let _ = kind;
        self.choose(n)
    }
    /// Ends the execution, which made `decisions` decisions.
    fn end(&mut self, decisions: u64);
    /// Whether the strategy wants every executed [`Step`] ([`Strategy::stepped`]). Asked once
    /// per execution; `false` (the default) costs the executor nothing.
    fn wants_steps(&self) -> bool {
        false
    }
    /// One step has run (only if [`Strategy::wants_steps`]).
    fn stepped(&mut self, _step: &Step<'_>) {}
    /// The only candidate, `actor`, is about to run a step: no decision is asked (only if
    /// [`Strategy::wants_steps`]). Its data choices follow.
    fn forced(&mut self, _actor: Candidate) {}
    /// A node resumed or restarted between two steps (only if [`Strategy::wants_steps`]).
    fn node_stepped(&mut self, _step: &NodeStep) {}
    /// Called when an execution ends without a failure; a strategy that was following a
    /// script (replay) reports here that the program stopped before the script did.
    fn check_finished(&self) -> Result<(), String> {
        Ok(())
    }
    /// For exhaustive strategies: whether the whole space has been explored.
    fn exhausted(&self) -> Option<bool> {
        None
    }
    /// For strategies that explore by increasing preemption bound ([`Icb`]): the largest
    /// bound fully explored so far (every schedule with at most that many preemptions ran).
    fn bound_reached(&self) -> Option<u32> {
        None
    }
    /// Where the exploration stands, for progress lines (such as DFS's depth and open
    /// branches); `None` if there is nothing to say beyond the execution count.
    fn progress(&self) -> Option<String> {
        None
    }
}

/// How likely a sampling strategy (random walk, PCT) injects a fault at an opportunity that
/// has budget left: 1 in `FAULT_ODDS` (the one home of that rate).
pub const FAULT_ODDS: u64 = 8;

/// A sampler's fault decision in `0..n` ([`Strategy::fault`]): "no fault" with probability
/// `1 - 1/FAULT_ODDS`, otherwise one of the `n - 1` options uniformly.
pub fn sample_fault(rng: &mut SimRng, n: usize) -> usize {
    if n < 2 || rng.below(FAULT_ODDS as usize) != 0 {
        0
    } else {
        1 + rng.below(n - 1)
    }
}

/// Which strategy a [`Config`](crate::Config) asks for. Build a PCT one from input with
/// [`StrategyKind::pct`] (or [`StrategyKind::parse`]), which range-checks the depth; a value
/// built directly can be checked with [`StrategyKind::validate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrategyKind {
    /// Uniform random walk.
    Random,
    /// PCT with bug depth `depth`.
    Pct {
        /// Bug depth `d` (d-1 priority change points), in [`PCT_DEPTHS`].
        depth: usize,
    },
    /// Depth-first search, with the configured preemption bound.
    Dfs,
    /// Random walk and PCT of several depths in rotation ([`Portfolio`]).
    Portfolio,
    /// Optimal dynamic partial-order reduction ([`Dpor`]): one execution per trace class,
    /// exhaustive (no preemption bound).
    Dpor,
    /// Iterative context bounding ([`Icb`]): bound 0, 1, 2, ... each to exhaustion, up to
    /// the configured preemption bound.
    Icb,
    /// ICB and DPOR in alternation ([`Hunt`]): the first failure either finds, exhausted
    /// when either is; the preemption bound is ICB's largest.
    Hunt,
}

/// The sampling strategy of a run that names none ([`Config::default`](crate::Config), and
/// weft-check's default search): the [`Portfolio`], which finds every bug of the `sct/*` suite
/// within 10,000 executions on seeds 1 to 10 (`tests/sct.rs`), where PCT of depth 3 alone
/// does not.
pub const DEFAULT_SAMPLING: StrategyKind = StrategyKind::Portfolio;

/// A strategy that cannot be built: an unknown name or a knob out of range. One line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrategyError(String);

impl fmt::Display for StrategyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StrategyError {}

/// The message for a PCT depth outside [`PCT_DEPTHS`]; `depth` as the user wrote it.
fn depth_out_of_range(depth: &str) -> StrategyError {
    StrategyError(format!(
        "PCT depth {depth} is out of range: expected {}..={} (the bug depth d; PCT draws d-1 \
         priority change points per execution)",
        PCT_DEPTHS.start(),
        PCT_DEPTHS.end()
    ))
}

impl StrategyKind {
    /// PCT with bug depth `depth`, which must be in [`PCT_DEPTHS`].
    pub fn pct(depth: usize) -> Result<StrategyKind, StrategyError> {
        if PCT_DEPTHS.contains(&depth) {
            Ok(StrategyKind::Pct { depth })
        } else {
            Err(depth_out_of_range(&depth.to_string()))
        }
    }

    /// Whether [`Config::preemption_bound`](crate::Config::preemption_bound) applies: DFS's
    /// bound, ICB's largest bound. The one home of that rule (configuration, regression file).
    pub fn takes_preemption_bound(&self) -> bool {
        matches!(
            self,
            StrategyKind::Dfs | StrategyKind::Icb | StrategyKind::Hunt
        )
    }

    /// Checks the knobs of a strategy value that was built directly.
    pub fn validate(&self) -> Result<(), StrategyError> {
        match *self {
            StrategyKind::Pct { depth } => StrategyKind::pct(depth).map(drop),
            StrategyKind::Random
            | StrategyKind::Dfs
            | StrategyKind::Portfolio
            | StrategyKind::Dpor
            | StrategyKind::Icb
            | StrategyKind::Hunt => Ok(()),
        }
    }

    /// Parses `random`, `pct` (depth [`PCT_DEFAULT_DEPTH`]), `pct:D`, `dfs`, `dpor`, `icb`,
    /// `hunt` or `portfolio`.
    pub fn parse(s: &str) -> Result<StrategyKind, StrategyError> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "random" => Ok(StrategyKind::Random),
            "dfs" => Ok(StrategyKind::Dfs),
            "portfolio" => Ok(StrategyKind::Portfolio),
            "dpor" => Ok(StrategyKind::Dpor),
            "icb" => Ok(StrategyKind::Icb),
            "hunt" => Ok(StrategyKind::Hunt),
            "pct" => StrategyKind::pct(PCT_DEFAULT_DEPTH),
            _ => match s.strip_prefix("pct:") {
                Some(d) if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => {
                    // Too many digits for a usize is out of range too, not an unknown name.
                    d.parse()
                        .map_err(|_| depth_out_of_range(d))
                        .and_then(StrategyKind::pct)
                }
                _ => Err(StrategyError(format!(
                    "unknown strategy {s:?}: expected random, pct, pct:DEPTH (DEPTH in {}..={}), \
                     dfs, dpor, icb, hunt or portfolio",
                    PCT_DEPTHS.start(),
                    PCT_DEPTHS.end()
                ))),
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
            StrategyKind::Portfolio => f.write_str("portfolio"),
            StrategyKind::Dpor => f.write_str("dpor"),
            StrategyKind::Icb => f.write_str("icb"),
            StrategyKind::Hunt => f.write_str("hunt"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pct_depth_is_range_checked_in_one_place() {
        assert_eq!(StrategyKind::pct(1), Ok(StrategyKind::Pct { depth: 1 }));
        assert_eq!(StrategyKind::pct(64), Ok(StrategyKind::Pct { depth: 64 }));
        for depth in [0, 65, 99_999_999_999] {
            let e = StrategyKind::pct(depth).unwrap_err().to_string();
            assert_eq!(e.lines().count(), 1, "{e}");
            assert!(
                e.starts_with(&format!(
                    "PCT depth {depth} is out of range: expected 1..=64"
                )),
                "{e}"
            );
            assert_eq!(
                StrategyKind::Pct { depth }
                    .validate()
                    .unwrap_err()
                    .to_string(),
                e
            );
        }
        assert_eq!(StrategyKind::Dfs.validate(), Ok(()));
    }

    #[test]
    fn parse_uses_the_same_range() {
        assert_eq!(
            StrategyKind::parse(" PCT "),
            Ok(StrategyKind::Pct {
                depth: PCT_DEFAULT_DEPTH
            })
        );
        assert_eq!(
            StrategyKind::parse("pct:64"),
            Ok(StrategyKind::Pct { depth: 64 })
        );
        assert_eq!(StrategyKind::parse(" DPOR"), Ok(StrategyKind::Dpor));
        assert_eq!(StrategyKind::Dpor.to_string(), "dpor");
        for (input, expected) in [
            ("pct:99999999999", "PCT depth 99999999999 is out of range"),
            ("pct:0", "PCT depth 0 is out of range"),
            (
                "pct:99999999999999999999999999",
                "PCT depth 99999999999999999999999999 is out of range",
            ),
            ("pct:x", "unknown strategy \"pct:x\""),
            ("pct:-1", "unknown strategy \"pct:-1\""),
            ("bfs", "unknown strategy \"bfs\""),
        ] {
            let e = StrategyKind::parse(input).unwrap_err().to_string();
            assert!(e.starts_with(expected), "{input}: {e}");
            assert!(e.contains("1..=64"), "{input}: {e}");
            assert_eq!(e.lines().count(), 1, "{input}: {e}");
        }
    }

    /// The largest accepted depth costs nothing noticeable: an execution draws 63 change points.
    #[test]
    fn the_largest_depth_runs() {
        let mut pct = Pct::new(*PCT_DEPTHS.end());
        let candidates = [Candidate::Task(0), Candidate::Task(1)];
        for execution in 0..100 {
            assert!(pct.begin(execution, execution));
            for decision in 0..200 {
                let point = DecisionPoint {
                    candidates: &candidates,
                    pending: Pending::unknown(),
                    current: Some(0),
                    yielding: false,
                    decision,
                };
                assert!(pct.pick(&point).unwrap() < 2);
            }
            pct.end(200);
        }
    }
}
