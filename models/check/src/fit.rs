//! The backends a plan can run on, and which scenarios each can take: the backend-fit rules,
//! written once.
//!
//! A scenario declares what it needs ([`Info::max_tasks`], [`Info::needs_quiescence`],
//! [`Info::needs_clock`], [`Info::tolerates`], [`Info::faults`]); [`Backend::fits`] says whether a backend offers
//! it, and if not, why ([`Unfit`], whose `Display` is the one-line reason the CLI prints). Every
//! plan constructor asks it, so a plan for a backend that cannot run its scenario does not exist.

use std::fmt;

use weft_core::faults::Budget;
use weft_core::FailureKind;
use weft_models::scenario::Info;

/// loom's thread table has this many slots per execution (loom 0.7 `MAX_THREADS`), and a
/// finished thread does not give its slot back.
pub const LOOM_MAX_THREADS: usize = 5;

/// Where a scenario runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Backend {
    /// weft-sim: seeded, virtual time, replayable.
    Sim,
    /// shuttle (random, PCT or DFS).
    Shuttle,
    /// loom (exhaustive DFS with DPOR; preemption bound optional).
    Loom,
    /// tokio, run N times as a stress test: the multi-thread runtime, or the current-thread
    /// runtime with tokio's paused clock for scenarios whose verdict needs a clock.
    Tokio,
}

/// Why a backend cannot run a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unfit {
    /// It spawns more tasks than loom has thread slots.
    TooManyTasks {
        /// The scenario's [`Info::max_tasks`].
        tasks: usize,
    },
    /// Its bug is a task blocked forever after the root returns, which loom aborts on.
    NeedsQuiescence,
    /// Its verdict needs a clock that advances only when the system is idle.
    NeedsClock,
    /// It counts these checker findings and goes on; this backend stops at the first.
    Tolerates(&'static [FailureKind]),
    /// It starts nodes (crash, restart, pause, own clocks), which this backend cannot model.
    Nodes,
    /// It declares a fault budget, and this backend cannot inject faults as decisions.
    FaultBudget(Budget),
}

/// A backend that cannot run a scenario, and why: `backend loom does not support scenario
/// NAME: REASON`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unsupported {
    /// The backend.
    pub backend: Backend,
    /// The scenario's name.
    pub scenario: &'static str,
    /// Why.
    pub why: Unfit,
}

impl Backend {
    /// Every backend, in `weft list` order.
    pub const ALL: [Backend; 4] = [
        Backend::Sim,
        Backend::Shuttle,
        Backend::Loom,
        Backend::Tokio,
    ];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sim => "sim",
            Backend::Shuttle => "shuttle",
            Backend::Loom => "loom",
            Backend::Tokio => "tokio",
        }
    }

    /// `Err` when this backend cannot run `info`: the fit rules, in the order they are
    /// reported.
    pub fn fits(self, info: &'static Info) -> Result<(), Unsupported> {
        let why = match self {
            Backend::Loom if info.max_tasks > LOOM_MAX_THREADS => Unfit::TooManyTasks {
                tasks: info.max_tasks,
            },
            Backend::Loom if info.needs_quiescence => Unfit::NeedsQuiescence,
            Backend::Loom | Backend::Shuttle if info.needs_clock => Unfit::NeedsClock,
            Backend::Loom | Backend::Shuttle if !info.tolerates.is_empty() => {
                Unfit::Tolerates(info.tolerates)
            }
            Backend::Loom | Backend::Shuttle if !info.faults.nodes.is_empty() => Unfit::Nodes,
            Backend::Loom | Backend::Shuttle | Backend::Tokio if info.any_budget().is_some() => {
                Unfit::FaultBudget(info.any_budget().unwrap_or(info.faults.budget))
            }
            _ => return Ok(()),
        };
        Err(Unsupported {
            backend: self,
            scenario: info.name,
            why,
        })
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.backend;
        write!(
            f,
            "backend {b} does not support scenario {}: ",
            self.scenario
        )?;
        match self.why {
            Unfit::TooManyTasks { tasks } => write!(
                f,
                "it runs up to {tasks} tasks per execution and loom at most {LOOM_MAX_THREADS} \
                 threads"
            ),
            Unfit::NeedsQuiescence => f.write_str(
                "its bug is a task blocked forever after the root returns, and loom 0.7 aborts \
                 the process (a panic inside its block_on teardown) instead of reporting that \
                 deadlock",
            ),
            Unfit::NeedsClock => write!(
                f,
                "its verdict needs timers that fire at their deadlines when the system is idle, \
                 and {b}'s logical time lets a timer fire at any later point (use sim, or \
                 tokio's paused clock)"
            ),
            Unfit::Nodes => write!(
                f,
                "it starts nodes (task groups with their own clocks, which a fault budget may \
                 crash or pause), and {b} cannot model nodes (use sim, or tokio without a fault \
                 budget)"
            ),
            Unfit::FaultBudget(budget) => write!(
                f,
                "it explores a fault budget ({budget}) as decisions, and {b} cannot inject faults \
                 (use sim)"
            ),
            Unfit::Tolerates(kinds) => write!(
                f,
                "it counts {} findings and goes on, and {b} stops at the first",
                kinds
                    .iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        }
    }
}

impl std::error::Error for Unsupported {}
