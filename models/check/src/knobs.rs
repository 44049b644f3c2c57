//! The per-run settings of a check as a person gives them (`weft check` flags), which of them
//! apply to which backend and strategy ([`Knob::applies`]), and how the ones given become a
//! [`Plan`] ([`Knobs::plan`]), defaults from [`crate::defaults`] filled in.
//!
//! A setting that the run would ignore is bad input ([`PlanError::DoesNotApply`]), never
//! silently dropped: a `--seed` that changes nothing reads as "tried another seed". The
//! table, by what each backend's adapter really uses:
//!
//! | flag                 | sim                   | shuttle          | loom | tokio |
//! |----------------------|-----------------------|------------------|------|-------|
//! | `--strategy`         | yes                   | not dpor, icb, hunt, portfolio | no | no |
//! | `--depth`            | pct                   | pct              | no   | no    |
//! | `--seed`             | random, pct, portfolio | random, pct     | no   | no    |
//! | `--iterations`       | yes                   | yes              | no   | yes   |
//! | `--preemption-bound` | dfs, icb, hunt (max bound) | no          | yes  | no    |
//!
//! `check --all` runs its own table of budgets and takes none of these (nor `--variant` or
//! `--backend`): [`Knobs::for_all`].

use weft_models::scenario::{Info, Variant};

use crate::defaults::{self, Purpose};
use crate::error::PlanError;
use crate::fit::Backend;
use crate::plan::{Plan, Search};

/// `--strategy`: how sim and shuttle explore.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StrategyChoice {
    // (Plain comments: a doc comment would become clap's help of the value.)
    // A seeded random walk.
    Random,
    // PCT, seeded, with a bug depth.
    Pct,
    // Depth-first search.
    Dfs,
    // weft-sim's portfolio: random walk and PCT of several depths in rotation, seeded.
    Portfolio,
    // Optimal dynamic partial-order reduction (sim): one execution per trace class.
    Dpor,
    // Iterative context bounding: fewest preemptions first.
    Icb,
    // ICB and DPOR in alternation (sim): the first failure either finds.
    Hunt,
}

impl StrategyChoice {
    /// Its `--strategy` value.
    pub fn name(self) -> &'static str {
        match self {
            StrategyChoice::Random => "random",
            StrategyChoice::Pct => "pct",
            StrategyChoice::Dfs => "dfs",
            StrategyChoice::Portfolio => "portfolio",
            StrategyChoice::Dpor => "dpor",
            StrategyChoice::Icb => "icb",
            StrategyChoice::Hunt => "hunt",
        }
    }
}

/// A per-run setting of `weft check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Knob {
    /// `--variant`.
    Variant,
    /// `--backend`.
    Backend,
    /// `--strategy`.
    Strategy,
    /// `--depth`.
    Depth,
    /// `--seed`.
    Seed,
    /// `--iterations`.
    Iterations,
    /// `--preemption-bound`.
    PreemptionBound,
}

impl Knob {
    /// Every knob, in `--help` order.
    pub const ALL: [Knob; 7] = [
        Knob::Variant,
        Knob::Backend,
        Knob::Strategy,
        Knob::Depth,
        Knob::Seed,
        Knob::Iterations,
        Knob::PreemptionBound,
    ];

    /// Its flag.
    pub fn flag(self) -> &'static str {
        match self {
            Knob::Variant => "--variant",
            Knob::Backend => "--backend",
            Knob::Strategy => "--strategy",
            Knob::Depth => "--depth",
            Knob::Seed => "--seed",
            Knob::Iterations => "--iterations",
            Knob::PreemptionBound => "--preemption-bound",
        }
    }

    /// `Err(why)` when this knob does nothing on `backend` running `strategy`: the table of
    /// the module documentation.
    pub fn applies(self, backend: Backend, strategy: StrategyChoice) -> Result<(), &'static str> {
        use {Backend as B, Knob as K, StrategyChoice as S};
        match (self, backend, strategy) {
            (K::Variant | K::Backend, ..) => Ok(()),
            (K::Strategy | K::Seed | K::Depth, B::Shuttle, S::Portfolio) => Err(
                "the portfolio is weft-sim's; shuttle runs random or pct (or use --backend sim)",
            ),
            (K::Strategy, B::Shuttle, S::Dpor) => {
                Err("shuttle has no DPOR (use --backend sim, or --backend loom for loom's)")
            }
            (K::Seed, B::Sim | B::Shuttle, S::Dpor) => {
                Err("DPOR is deterministic and draws nothing from a seed")
            }
            (K::PreemptionBound, B::Sim | B::Shuttle, S::Dpor) => Err(
                "DPOR explores every trace class without a preemption bound (use --strategy                  dfs for a bounded search)",
            ),
            (K::Strategy, B::Shuttle, S::Icb) => {
                Err("shuttle has no iterative context bounding (use --backend sim)")
            }
            (K::Strategy, B::Shuttle, S::Hunt) => {
                Err("shuttle has no iterative context bounding and no DPOR (use --backend sim)")
            }
            (K::Strategy | K::Iterations, B::Sim | B::Shuttle, _) => Ok(()),
            (K::Depth, B::Sim | B::Shuttle, S::Pct) => Ok(()),
            (K::Seed, B::Sim | B::Shuttle, S::Random | S::Pct | S::Portfolio) => Ok(()),
            (K::PreemptionBound, B::Sim, S::Dfs | S::Icb | S::Hunt)
            | (K::PreemptionBound, B::Loom, _) => Ok(()),
            (K::Iterations, B::Tokio, _) => Ok(()),
            (K::Strategy | K::Depth | K::Seed, B::Loom, _) => Err(
                "loom always explores with its DPOR, which is deterministic and has no \
                 strategy, depth or seed",
            ),
            (K::Iterations, B::Loom, _) => Err(
                "loom explores until its DPOR is done and has no execution budget (bound it \
                 with --preemption-bound)",
            ),
            (K::Strategy | K::Depth | K::Seed | K::PreemptionBound, B::Tokio, _) => Err(
                "tokio runs the scenario --iterations times on its own scheduler, which takes \
                 no strategy, depth, seed or preemption bound",
            ),
            (
                K::Depth,
                B::Sim | B::Shuttle,
                S::Random | S::Dfs | S::Dpor | S::Icb | S::Hunt | S::Portfolio,
            ) => Err("it is PCT's bug depth (use --strategy pct)"),
            (K::Seed, B::Sim | B::Shuttle, S::Dfs) => {
                Err("DFS is deterministic and draws nothing from a seed")
            }
            (K::Seed, B::Sim | B::Shuttle, S::Icb) => {
                Err("ICB is deterministic and draws nothing from a seed")
            }
            (K::Seed, B::Sim | B::Shuttle, S::Hunt) => {
                Err("the hunt (ICB and DPOR) is deterministic and draws nothing from a seed")
            }
            (K::PreemptionBound, B::Sim, S::Random | S::Pct | S::Portfolio) => {
                Err("only DFS, ICB and the hunt's ICB bound preemptions (use --strategy dfs or --strategy icb)")
            }
            (K::PreemptionBound, B::Shuttle, _) => Err(
                "shuttle's strategies take no preemption bound here (use --backend sim \
                 --strategy dfs, or --backend loom)",
            ),
        }
    }
}

/// The per-run settings as given (`None`, `false`: not given).
#[derive(Clone, Copy, Debug, Default)]
pub struct Knobs {
    /// Whether `--variant` was given.
    pub variant: bool,
    /// `--backend`.
    pub backend: Option<Backend>,
    /// `--strategy`.
    pub strategy: Option<StrategyChoice>,
    /// `--depth`.
    pub depth: Option<usize>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--iterations`.
    pub iterations: Option<u64>,
    /// `--preemption-bound`.
    pub preemption_bound: Option<u32>,
}

impl Knobs {
    /// The knobs given.
    fn given(&self) -> Vec<Knob> {
        [
            (self.variant, Knob::Variant),
            (self.backend.is_some(), Knob::Backend),
            (self.strategy.is_some(), Knob::Strategy),
            (self.depth.is_some(), Knob::Depth),
            (self.seed.is_some(), Knob::Seed),
            (self.iterations.is_some(), Knob::Iterations),
            (self.preemption_bound.is_some(), Knob::PreemptionBound),
        ]
        .into_iter()
        .filter_map(|(given, knob)| given.then_some(knob))
        .collect()
    }

    /// `check --all`: `Err` naming every knob given, since `--all` would ignore them.
    pub fn for_all(&self) -> Result<(), PlanError> {
        let given = self.given();
        if given.is_empty() {
            return Ok(());
        }
        Err(PlanError::AllTakesNoKnobs(given))
    }

    /// The plan of one scenario's check of `variant`: `Err` when a knob does not apply to the
    /// backend and strategy or is out of range, or the backend cannot run the scenario.
    pub fn plan(
        &self,
        scenario: &'static Info,
        variant: &'static Variant,
    ) -> Result<Plan, PlanError> {
        let backend = self.backend.unwrap_or(defaults::BACKEND);
        let strategy = self.strategy.unwrap_or(defaults::search(backend).choice());
        for knob in self.given() {
            knob.applies(backend, strategy)
                .map_err(|_| PlanError::DoesNotApply {
                    knob,
                    backend,
                    strategy: self.strategy,
                })?;
        }
        let seed = self.seed.unwrap_or(defaults::SEED);
        let search = match strategy {
            StrategyChoice::Random => Search::Random { seed },
            StrategyChoice::Pct => Search::Pct {
                depth: self.depth.unwrap_or(defaults::PCT_DEPTH),
                seed,
            },
            StrategyChoice::Portfolio => Search::Portfolio { seed },
            StrategyChoice::Dfs => Search::Dfs {
                preemption_bound: self
                    .preemption_bound
                    .or(defaults::sim_dfs_bound(Purpose::Check)),
            },
            StrategyChoice::Dpor => Search::Dpor,
            StrategyChoice::Icb => Search::Icb {
                max_bound: self.preemption_bound,
            },
            StrategyChoice::Hunt => Search::Hunt {
                max_bound: self.preemption_bound,
            },
        };
        let plan = match backend {
            Backend::Sim => {
                let iterations = defaults::sim_iterations(Purpose::Check, &search);
                Plan::sim(
                    scenario,
                    variant,
                    search,
                    self.iterations.unwrap_or(iterations),
                )
            }
            Backend::Shuttle => Plan::shuttle(
                scenario,
                variant,
                search,
                self.iterations.unwrap_or(defaults::SHUTTLE_SAMPLES),
            ),
            Backend::Loom => Plan::loom(
                scenario,
                variant,
                Some(
                    self.preemption_bound
                        .unwrap_or(defaults::loom_bound(Purpose::Check)),
                ),
            ),
            Backend::Tokio => Plan::tokio(
                scenario,
                variant,
                self.iterations
                    .unwrap_or(defaults::tokio_runs(Purpose::Check)),
            ),
        };
        Ok(plan?.with_progress(true))
    }
}
