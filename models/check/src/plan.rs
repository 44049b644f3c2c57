//! [`Plan`]: what one check runs, every choice made and checked before anything runs.
//!
//! A plan is a scenario, one of its variants, the scale of its workload, and a
//! [`BackendPlan`] that carries exactly the settings its backend uses: a sim search carries a
//! seed only when it draws from one and a preemption bound only when it is DFS ([`Search`]), a
//! replay carries its schedule and nothing else, loom only its bound, tokio its runs and the
//! runtime flavour the scenario needs. The constructors are the only way to make one, and
//! each checks what it is given:
//!
//! 1. the backend can run the scenario ([`Backend::fits`]);
//! 2. a budget is at least one execution, a PCT depth is in range;
//! 3. shuttle's DFS takes no preemption bound, and shuttle has no DPOR and no ICB.
//!
//! The scale follows the search: the minimal model for the exhaustive ones (DFS, loom), the
//! full workload for sampling (random, PCT, tokio); a replay names its own.

use weft_models::scenario::{Info, Scale, Variant};
use weft_sim::{Schedule, StrategyKind};

use crate::error::PlanError;
use crate::fit::Backend;
use crate::knobs::{Knob, StrategyChoice};

/// How a sim or shuttle run explores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    /// A random walk, seeded.
    Random {
        /// The seed.
        seed: u64,
    },
    /// PCT with bug depth `depth`, seeded.
    Pct {
        /// PCT's bug depth.
        depth: usize,
        /// The seed.
        seed: u64,
    },
    /// weft-sim's portfolio (random walk and PCT of several depths in rotation), seeded; sim
    /// only (shuttle has no portfolio).
    Portfolio {
        /// The seed.
        seed: u64,
    },
    /// Depth-first search: deterministic, optionally bounded in preemptions (sim only).
    Dfs {
        /// The preemption bound (`None`: unbounded).
        preemption_bound: Option<u32>,
    },
    /// Optimal dynamic partial-order reduction: deterministic, one execution per trace class,
    /// no preemption bound (sim only).
    Dpor,
    /// Iterative context bounding (sim only): every schedule with 0 preemptions, then 1, ...,
    /// so the first failure has the fewest preemptions; deterministic.
    Icb {
        /// The largest bound to explore (`None`: until the budget or the space ends).
        max_bound: Option<u32>,
    },
    /// ICB and DPOR in alternation (sim only, weft-sim's `hunt`): the first failure either
    /// finds, exhausted when either is; deterministic.
    Hunt {
        /// ICB's largest bound (`None`: until the budget or the space ends).
        max_bound: Option<u32>,
    },
}

impl Search {
    /// The seeded sampling search of weft-sim's strategy `kind` (a compile-time error for DFS,
    /// DPOR and ICB, which are exhaustive).
    pub const fn sampling(kind: StrategyKind, seed: u64) -> Search {
        match kind {
            StrategyKind::Random => Search::Random { seed },
            StrategyKind::Pct { depth } => Search::Pct { depth, seed },
            StrategyKind::Portfolio => Search::Portfolio { seed },
            StrategyKind::Dfs | StrategyKind::Dpor | StrategyKind::Icb | StrategyKind::Hunt => {
                panic!("an exhaustive search is not a sampling strategy")
            }
        }
    }

    /// The strategy as weft-sim names it.
    pub fn kind(&self) -> StrategyKind {
        match *self {
            Search::Random { .. } => StrategyKind::Random,
            Search::Pct { depth, .. } => StrategyKind::Pct { depth },
            Search::Portfolio { .. } => StrategyKind::Portfolio,
            Search::Dfs { .. } => StrategyKind::Dfs,
            Search::Dpor => StrategyKind::Dpor,
            Search::Icb { .. } => StrategyKind::Icb,
            Search::Hunt { .. } => StrategyKind::Hunt,
        }
    }

    /// Its seed, if it draws from one.
    pub fn seed(&self) -> Option<u64> {
        match *self {
            Search::Random { seed } | Search::Pct { seed, .. } | Search::Portfolio { seed } => {
                Some(seed)
            }
            Search::Dfs { .. } | Search::Dpor | Search::Icb { .. } | Search::Hunt { .. } => None,
        }
    }

    /// The `--strategy` that names it.
    pub fn choice(&self) -> StrategyChoice {
        match self {
            Search::Random { .. } => StrategyChoice::Random,
            Search::Pct { .. } => StrategyChoice::Pct,
            Search::Portfolio { .. } => StrategyChoice::Portfolio,
            Search::Dfs { .. } => StrategyChoice::Dfs,
            Search::Dpor => StrategyChoice::Dpor,
            Search::Icb { .. } => StrategyChoice::Icb,
            Search::Hunt { .. } => StrategyChoice::Hunt,
        }
    }

    /// The scale it explores: the minimal model for exhaustive search, the full workload for
    /// sampling.
    fn scale(&self) -> Scale {
        match self {
            Search::Dfs { .. } | Search::Dpor | Search::Icb { .. } | Search::Hunt { .. } => {
                Scale::Minimal
            }
            Search::Random { .. } | Search::Pct { .. } | Search::Portfolio { .. } => Scale::Full,
        }
    }
}

/// Which tokio runtime a stress run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// The multi-thread runtime (two workers).
    MultiThread,
    /// The current-thread runtime with tokio's paused clock (time jumps to the next timer when
    /// every task waits), for scenarios whose verdict needs a clock ([`Info::needs_clock`]).
    PausedClock,
}

/// What a backend runs, with only the settings it uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendPlan {
    /// weft-sim searching.
    Sim {
        /// How.
        search: Search,
        /// Executions at most (DFS stops earlier when exhausted).
        iterations: u64,
    },
    /// weft-sim replaying one recorded schedule.
    Replay {
        /// The schedule.
        schedule: Schedule,
    },
    /// shuttle searching (its DFS has no preemption bound).
    Shuttle {
        /// How.
        search: Search,
        /// Executions at most.
        iterations: u64,
    },
    /// loom's DPOR, to exhaustion.
    Loom {
        /// The preemption bound (`None`: unbounded).
        preemption_bound: Option<u32>,
    },
    /// tokio, as a stress loop.
    Tokio {
        /// How many runs.
        runs: u64,
        /// On which runtime.
        flavour: Flavour,
    },
}

impl BackendPlan {
    /// The backend it runs on.
    pub fn backend(&self) -> Backend {
        match self {
            BackendPlan::Sim { .. } | BackendPlan::Replay { .. } => Backend::Sim,
            BackendPlan::Shuttle { .. } => Backend::Shuttle,
            BackendPlan::Loom { .. } => Backend::Loom,
            BackendPlan::Tokio { .. } => Backend::Tokio,
        }
    }
}

/// One check: see the module documentation.
#[derive(Clone, Debug)]
pub struct Plan {
    scenario: &'static Info,
    variant: &'static Variant,
    scale: Scale,
    backend: BackendPlan,
    progress: bool,
}

impl Plan {
    fn new(
        scenario: &'static Info,
        variant: &'static Variant,
        scale: Scale,
        backend: BackendPlan,
    ) -> Result<Plan, PlanError> {
        backend.backend().fits(scenario)?;
        Ok(Plan {
            scenario,
            variant,
            scale,
            backend,
            progress: false,
        })
    }

    /// weft-sim exploring with `search` for at most `iterations` executions.
    pub fn sim(
        scenario: &'static Info,
        variant: &'static Variant,
        search: Search,
        iterations: u64,
    ) -> Result<Plan, PlanError> {
        check_search(&search)?;
        let backend = BackendPlan::Sim {
            search,
            iterations: at_least_one(iterations)?,
        };
        Plan::new(scenario, variant, search.scale(), backend)
    }

    /// weft-sim replaying `schedule`, recorded at `scale`.
    pub fn replay(
        scenario: &'static Info,
        variant: &'static Variant,
        scale: Scale,
        schedule: Schedule,
    ) -> Result<Plan, PlanError> {
        Plan::new(scenario, variant, scale, BackendPlan::Replay { schedule })
    }

    /// weft-sim replaying a schedule string printed by a check.
    pub fn replay_encoded(
        scenario: &'static Info,
        variant: &'static Variant,
        scale: Scale,
        schedule: &str,
    ) -> Result<Plan, PlanError> {
        let schedule = Schedule::decode(schedule.trim()).map_err(PlanError::BadSchedule)?;
        Plan::replay(scenario, variant, scale, schedule)
    }

    /// shuttle exploring with `search` (DFS without a bound) for at most `iterations`.
    pub fn shuttle(
        scenario: &'static Info,
        variant: &'static Variant,
        search: Search,
        iterations: u64,
    ) -> Result<Plan, PlanError> {
        check_search(&search)?;
        let knob = match search {
            Search::Dfs {
                preemption_bound: Some(_),
            } => Some(Knob::PreemptionBound),
            Search::Portfolio { .. } => Some(Knob::Strategy),
            _ => None,
        };
        if let Some(knob) = knob {
            return Err(PlanError::DoesNotApply {
                knob,
                backend: Backend::Shuttle,
                strategy: Some(search.choice()),
            });
        }
        if search == Search::Dpor {
            return Err(PlanError::DoesNotApply {
                knob: Knob::Strategy,
                backend: Backend::Shuttle,
                strategy: Some(StrategyChoice::Dpor),
            });
        }
        if let Search::Icb { .. } | Search::Hunt { .. } = search {
            return Err(PlanError::DoesNotApply {
                knob: Knob::Strategy,
                backend: Backend::Shuttle,
                strategy: Some(search.choice()),
            });
        }
        let backend = BackendPlan::Shuttle {
            search,
            iterations: at_least_one(iterations)?,
        };
        Plan::new(scenario, variant, search.scale(), backend)
    }

    /// loom's DPOR on the minimal model, bounded by `preemption_bound`.
    pub fn loom(
        scenario: &'static Info,
        variant: &'static Variant,
        preemption_bound: Option<u32>,
    ) -> Result<Plan, PlanError> {
        let backend = BackendPlan::Loom { preemption_bound };
        Plan::new(scenario, variant, Scale::Minimal, backend)
    }

    /// tokio, `runs` times at full scale, on the runtime the scenario needs.
    pub fn tokio(
        scenario: &'static Info,
        variant: &'static Variant,
        runs: u64,
    ) -> Result<Plan, PlanError> {
        let flavour = if scenario.needs_clock {
            Flavour::PausedClock
        } else {
            Flavour::MultiThread
        };
        let backend = BackendPlan::Tokio {
            runs: at_least_one(runs)?,
            flavour,
        };
        Plan::new(scenario, variant, Scale::Full, backend)
    }

    /// The same plan, printing weft-sim's progress lines on stderr during a long sim run (a
    /// single check; `check --all` shows its own progress bar instead).
    pub fn with_progress(self, progress: bool) -> Plan {
        Plan { progress, ..self }
    }

    /// The scenario.
    pub fn scenario(&self) -> &'static Info {
        self.scenario
    }

    /// The variant.
    pub fn variant(&self) -> &'static Variant {
        self.variant
    }

    /// The workload's scale.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// What the backend runs.
    pub fn backend(&self) -> &BackendPlan {
        &self.backend
    }

    /// Whether a sim run prints its progress lines.
    pub fn progress(&self) -> bool {
        self.progress
    }
}

fn check_search(search: &Search) -> Result<(), PlanError> {
    search.kind().validate().map_err(PlanError::Depth)
}

fn at_least_one(n: u64) -> Result<u64, PlanError> {
    if n == 0 {
        return Err(PlanError::ZeroIterations);
    }
    Ok(n)
}
