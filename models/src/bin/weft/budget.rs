//! Every default of a `weft check` run, in one table: the budgets of a one-scenario check and
//! of the `check --all` table, the seed, and the rows `--all` runs.
//!
//! A budget is the number of executions (sim, shuttle) or runs (tokio), and the preemption
//! bound of the exhaustive strategies. Every budget is finite: a check without `--iterations`
//! ends, and says `not exhausted` when an exhaustive search ran out of budget first. loom is the
//! exception by design: its DPOR has no execution budget (the CLI bounds it by preemptions).
//!
//! `--all` differs from a one-scenario check on purpose in three places, each named below: it
//! runs DFS longer and with a bound (to show exhaustion where the space allows it), loom with a
//! smaller bound, and tokio fewer times (so the whole table takes about a minute on two cores).

use weft_models::registry;
use weft_models::scenario::{Info, Variant};
use weft_sim::strategy::PCT_DEFAULT_DEPTH;
use weft_sim::StrategyKind;

use crate::backend::Backend;
use crate::run::{self, Job};

/// The backend of a check that names none.
pub const BACKEND: Backend = Backend::Sim;

/// The seed of every seeded run that names none.
pub const SEED: u64 = 1;

/// Which command the budget is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// `weft check SCENARIO`: a quick answer; `--iterations` raises it.
    Check,
    /// One row of `weft check --all`.
    All,
}

/// A run's default budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Executions (sim, shuttle) or runs (tokio); unused by loom, which explores until done.
    pub iterations: u64,
    /// The preemption bound of sim's DFS and of loom (`None`: unbounded).
    pub preemption_bound: Option<u32>,
}

/// sim's DFS in a one-scenario check: about a second in release on the largest minimal model
/// (`cortex/tenant-lifecycle`, which no budget exhausts without partial-order reduction).
pub const SIM_DFS_CHECK: u64 = 100_000;
/// sim's DFS in `--all`, with preemption bound 2: enough to exhaust every minimal model that
/// bound 2 can exhaust (the largest, `consul/fix-combinations` variant `2`, takes 117,148
/// executions), about 10 s on each of the two that it cannot.
pub const SIM_DFS_ALL: u64 = 1_000_000;
/// loom's preemption bound: 2 is spec §5's bound; `--all` uses 1, since bound 2 takes 1.9M
/// executions (2 min in release) for `cortex/shutdown-vs-lazy-create` (that run is the
/// `--ignored` loom test in `tests/cortex.rs`).
pub const LOOM_BOUND_CHECK: u32 = 2;
/// See [`LOOM_BOUND_CHECK`].
pub const LOOM_BOUND_ALL: u32 = 1;

/// The default budget of a run of `strategy` on `backend`.
pub fn budget(purpose: Purpose, backend: Backend, strategy: StrategyKind) -> Budget {
    let (iterations, preemption_bound) = match (purpose, backend, strategy) {
        (Purpose::Check, Backend::Sim, StrategyKind::Dfs) => (SIM_DFS_CHECK, None),
        (Purpose::All, Backend::Sim, StrategyKind::Dfs) => (SIM_DFS_ALL, Some(2)),
        (_, Backend::Sim, _) => (10_000, None),
        // shuttle's executions cost about ten of sim's.
        (_, Backend::Shuttle, _) => (1_000, None),
        (Purpose::Check, Backend::Loom, _) => (0, Some(LOOM_BOUND_CHECK)),
        (Purpose::All, Backend::Loom, _) => (0, Some(LOOM_BOUND_ALL)),
        (Purpose::Check, Backend::Tokio, _) => (1_000, None),
        // A hang costs a tokio run 10 s, so the table runs tokio a tenth as often.
        (Purpose::All, Backend::Tokio, _) => (100, None),
    };
    Budget {
        iterations,
        preemption_bound,
    }
}

/// The strategy a one-scenario check runs on `backend` when `--strategy` is not given. loom's
/// is its DPOR, which the table records as DFS (it explores the minimal model).
pub fn default_strategy(backend: Backend) -> StrategyKind {
    match backend {
        Backend::Loom => StrategyKind::Dfs,
        Backend::Sim | Backend::Shuttle | Backend::Tokio => StrategyKind::Pct {
            depth: PCT_DEFAULT_DEPTH,
        },
    }
}

/// One job with `purpose`'s defaults for everything the caller does not set.
pub fn job(
    purpose: Purpose,
    scenario: &'static Info,
    variant: &'static Variant,
    backend: Backend,
    strategy: StrategyKind,
) -> Job {
    let b = budget(purpose, backend, strategy);
    Job {
        scenario: scenario.name,
        variant,
        backend,
        strategy,
        seed: SEED,
        iterations: b.iterations,
        preemption_bound: b.preemption_bound,
        scale: run::scale_for(backend, strategy),
        schedule: None,
        progress: purpose == Purpose::Check,
    }
}

/// The rows of `check --all`: every scenario × variant on sim with PCT and with DFS, and on
/// every other backend that can run it (shuttle with PCT, loom, tokio).
pub fn all_jobs() -> Vec<Job> {
    let mut jobs = Vec::new();
    for info in registry::all() {
        for variant in info.variants {
            let pct = default_strategy(Backend::Sim);
            let rows = [
                (Backend::Sim, pct),
                (Backend::Sim, StrategyKind::Dfs),
                (Backend::Shuttle, pct),
                (Backend::Loom, default_strategy(Backend::Loom)),
                (Backend::Tokio, default_strategy(Backend::Tokio)),
            ];
            for (backend, strategy) in rows {
                if backend.supports(info).is_ok() {
                    jobs.push(job(Purpose::All, info, variant, backend, strategy));
                }
            }
        }
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every budget a run can default to ends: none is `u64::MAX` (DFS's was, before there was
    /// this table), and each is small enough to finish in seconds to minutes.
    #[test]
    fn every_default_budget_is_finite() {
        let strategies = [
            StrategyKind::Random,
            StrategyKind::Pct { depth: 3 },
            StrategyKind::Dfs,
        ];
        for purpose in [Purpose::Check, Purpose::All] {
            for backend in Backend::ALL {
                for strategy in strategies {
                    let b = budget(purpose, backend, strategy);
                    match backend {
                        Backend::Loom => assert!(b.preemption_bound.is_some()),
                        _ => assert!(
                            (1..=SIM_DFS_ALL).contains(&b.iterations),
                            "{purpose:?} {backend} {strategy}: {b:?}"
                        ),
                    }
                }
            }
        }
        assert_eq!(
            budget(Purpose::Check, Backend::Sim, StrategyKind::Dfs).iterations,
            100_000
        );
    }

    #[test]
    fn all_runs_every_supported_backend_once_per_variant() {
        let jobs = all_jobs();
        let variants: usize = registry::all().iter().map(|i| i.variants.len()).sum();
        // sim twice and tokio once for every variant, shuttle and loom where supported.
        assert!(jobs.len() >= 3 * variants, "{} rows", jobs.len());
        assert!(jobs
            .iter()
            .all(|j| j.iterations > 0 || j.backend == Backend::Loom));
    }
}
