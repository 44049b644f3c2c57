//! Every default of a check, in one table: the backend and seed of a check that names none,
//! PCT's depth, the budgets of a one-scenario check and of the `check --all` table per backend,
//! the preemption bounds, tokio's runs and its hang limit.
//!
//! A budget is the number of executions (sim, shuttle) or runs (tokio), and the preemption
//! bound of the exhaustive strategies. Every budget is finite: a check without `--iterations`
//! ends, and says `not exhausted` when an exhaustive search ran out of budget first. loom is the
//! exception by design: its DPOR has no execution budget (it is bounded by preemptions).
//!
//! `--all` differs from a one-scenario check on purpose in three places, each named below
//! ([`Purpose::All`]): its exhaustive sim search is DPOR or the hunt by the variant's
//! expectation ([`exhaustive_all`]; DFS and ICB instead under a budget of crashes or pauses;
//! DPOR capped at [`SIM_DPOR_ALL`] executions, DFS and ICB at [`SIM_DFS_ALL`], the hunt at
//! both, one per member), loom runs with a smaller bound, and tokio fewer times.

use std::time::Duration;

use weft_models::scenario::{Expect, Info, Variant};

use crate::fit::Backend;
use crate::plan::Search;

/// The backend of a check that names none.
pub const BACKEND: Backend = Backend::Sim;

/// The seed of every seeded run that names none.
pub const SEED: u64 = 1;

/// PCT's bug depth when none is named. Its value is weft-sim's own default (which
/// `WEFT_STRATEGY=pct` uses too), defined there once; every check reads it from here.
pub const PCT_DEPTH: usize = weft_sim::strategy::PCT_DEFAULT_DEPTH;

/// The preemption bound of spec §5: loom's in a one-scenario check, sim's DFS in `--all` and
/// the exhaustive searches of the acceptance tests.
pub const SPEC_BOUND: u32 = 2;

/// loom's preemption bound in `--all`: bound [`SPEC_BOUND`] takes 1.9M executions (2 min in
/// release) for `cortex/shutdown-vs-lazy-create` (that run is the `--ignored` loom test in
/// `tests/cortex.rs`).
pub const LOOM_BOUND_ALL: u32 = 1;

/// loom's limit on branches per execution (loom's own default, 1,000, is too small for the
/// full models' loops).
pub const LOOM_MAX_BRANCHES: usize = 100_000;

/// sim's random and PCT executions, in a check and in `--all`.
pub const SIM_SAMPLES: u64 = 10_000;

/// sim's DFS in a one-scenario check: about a second in release on the largest minimal model
/// (`cortex/tenant-lifecycle`, which no budget exhausts without partial-order reduction).
pub const SIM_DFS_CHECK: u64 = 100_000;

/// sim's DFS and ICB in `--all`: ICB's deepest find in the table is 1,371 executions, and the
/// DFS rows (variants expected to pass under a budget of crashes or pauses) exhaust in tens.
/// It was 1,000,000 until the `mimir/*` models, whose executions are 60 to 90 steps over two
/// networks and cost about a millisecond each: a million of them is a quarter of an hour per
/// row.
pub const SIM_DFS_ALL: u64 = 20_000;

/// sim's DPOR in a one-scenario check (its exhaustive search, one execution per trace
/// class): the cap on the models whose class count is larger.
pub const SIM_DPOR: u64 = 100_000;

/// sim's DPOR in `--all`: every row the table exhausts does so within 16,384 executions; the
/// rest (`cortex/tenant-lifecycle`, the Consul fixes, the larger `mimir/*` fixes) are reported
/// `not exhausted` at this cap, and a one-scenario check runs them to [`SIM_DPOR`].
pub const SIM_DPOR_ALL: u64 = 20_000;

/// shuttle's executions, which cost about ten of sim's.
pub const SHUTTLE_SAMPLES: u64 = 1_000;

/// tokio's runs in a one-scenario check.
pub const TOKIO_RUNS_CHECK: u64 = 1_000;

/// tokio's runs in `--all`: a hang costs a run [`TOKIO_HANG_LIMIT`], so the table runs tokio a
/// tenth as often.
pub const TOKIO_RUNS_ALL: u64 = 100;

/// How long one tokio run may take before it counts as hung (a deadlock). A run of any
/// scenario takes milliseconds (the paused clock's minutes of timers cost no wall time), so
/// 10 s is a thousandfold margin even in a debug build on a loaded machine; the tests used 20 s
/// and the CLI 10 s, and the shorter one keeps a hanging row of `--all` cheap.
pub const TOKIO_HANG_LIMIT: Duration = Duration::from_secs(10);

/// Which command a default is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// `weft check SCENARIO`: a quick answer; `--iterations` raises it.
    Check,
    /// One row of `weft check --all`.
    All,
}

/// The exhaustive sim search of a `check --all` row, by what the variant is expected to do.
/// A variant expected to pass is explored with DPOR (one execution per trace class, to
/// exhaustion where [`SIM_DPOR_ALL`] allows): the proof. A variant expected to fail is hunted
/// ([`Search::Hunt`]: ICB and DPOR in alternation), because neither finds every bug first:
/// depth-first DPOR can spend its whole budget under one deep branch before it reaches a
/// shallow bug (`consul/fix-combinations` `none`: not found in 2,000,000 DPOR executions,
/// found by ICB with 1 preemption at execution 966), while in message-passing models nearly
/// every switch follows a blocking `await`, so ICB's bound 0 is almost the whole space
/// (`mimir/r6-double-steal`: DPOR 1,389 executions, a 0-preemption schedule; ICB none in
/// 20,000, still inside bound 0). The hunt finds each within twice the faster member's count.
///
/// A variant with a fault budget ([`Info::faults`]) is searched the same way: weft-sim's DPOR
/// explores every fault kind ([`weft_sim::strategy::dpor_explores`]): the network's as data
/// choices of the steps that meet them, crashes and pauses through each node's object in its
/// dependency relation. A budget it did not explore would be proved with unbounded DFS and
/// hunted with plain ICB. Under a fault budget the hunt's ICB is plain ICB (bounded POR does
/// not see fault decisions).
pub fn exhaustive_all(info: &Info, variant: &Variant) -> Search {
    match variant.expect {
        Expect::Pass if weft_sim::strategy::dpor_explores(&info.budget(variant)) => Search::Dpor,
        Expect::Pass => Search::Dfs {
            preemption_bound: None,
        },
        Expect::Fail(..) | Expect::FailAny
            if weft_sim::strategy::dpor_explores(&info.budget(variant)) =>
        {
            Search::Hunt { max_bound: None }
        }
        Expect::Fail(..) | Expect::FailAny => Search::Icb { max_bound: None },
    }
}

/// The search a sim check runs when it names none: weft-sim's default sampling strategy
/// ([`weft_sim::strategy::DEFAULT_SAMPLING`], the portfolio), at the default seed.
pub const SEARCH: Search = Search::sampling(weft_sim::strategy::DEFAULT_SAMPLING, SEED);

/// The search a shuttle check runs when it names none: PCT at the default depth and seed
/// (the portfolio is weft-sim's; shuttle has random and PCT).
pub const SHUTTLE_SEARCH: Search = Search::Pct {
    depth: PCT_DEPTH,
    seed: SEED,
};

/// The default search of `backend` ([`SHUTTLE_SEARCH`] for shuttle, [`SEARCH`] otherwise).
pub fn search(backend: Backend) -> Search {
    match backend {
        Backend::Shuttle => SHUTTLE_SEARCH,
        Backend::Sim | Backend::Loom | Backend::Tokio => SEARCH,
    }
}

/// sim's executions for `search`.
pub fn sim_iterations(purpose: Purpose, search: &Search) -> u64 {
    match (purpose, search) {
        (Purpose::Check, Search::Dfs { .. } | Search::Icb { .. }) => SIM_DFS_CHECK,
        (Purpose::All, Search::Dfs { .. } | Search::Icb { .. }) => SIM_DFS_ALL,
        (Purpose::Check, Search::Dpor) => SIM_DPOR,
        (Purpose::All, Search::Dpor) => SIM_DPOR_ALL,
        (Purpose::Check, Search::Hunt { .. }) => SIM_DFS_CHECK + SIM_DPOR,
        (Purpose::All, Search::Hunt { .. }) => SIM_DFS_ALL + SIM_DPOR_ALL,
        (_, Search::Random { .. } | Search::Pct { .. } | Search::Portfolio { .. }) => SIM_SAMPLES,
    }
}

/// sim's DFS preemption bound (`None`: unbounded).
pub fn sim_dfs_bound(purpose: Purpose) -> Option<u32> {
    match purpose {
        Purpose::Check => None,
        Purpose::All => Some(SPEC_BOUND),
    }
}

/// loom's preemption bound.
pub fn loom_bound(purpose: Purpose) -> u32 {
    match purpose {
        Purpose::Check => SPEC_BOUND,
        Purpose::All => LOOM_BOUND_ALL,
    }
}

/// tokio's runs.
pub fn tokio_runs(purpose: Purpose) -> u64 {
    match purpose {
        Purpose::Check => TOKIO_RUNS_CHECK,
        Purpose::All => TOKIO_RUNS_ALL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every budget a run can default to ends, and is small enough to finish in seconds to
    /// minutes (DFS's was `u64::MAX` before there was this table).
    #[test]
    fn every_default_budget_is_finite() {
        let searches = [
            Search::Random { seed: SEED },
            SEARCH,
            Search::Dfs {
                preemption_bound: None,
            },
            Search::Dpor,
            Search::Icb { max_bound: None },
        ];
        // The largest default of one search: a one-scenario check's DPOR and DFS.
        let largest = SIM_DPOR.max(SIM_DFS_CHECK);
        for purpose in [Purpose::Check, Purpose::All] {
            for search in &searches {
                assert!((1..=largest).contains(&sim_iterations(purpose, search)));
            }
            assert!((1..=largest).contains(&tokio_runs(purpose)));
            assert!(loom_bound(purpose) >= 1);
        }
        // `--all` runs each row with no more than its exhaustive cap.
        for search in &searches {
            assert!(sim_iterations(Purpose::All, search) <= SIM_DPOR_ALL.max(SIM_DFS_ALL));
        }
        // The hunt runs two of them in alternation, each with its own cap.
        let hunt = Search::Hunt { max_bound: None };
        assert_eq!(
            sim_iterations(Purpose::Check, &hunt),
            SIM_DFS_CHECK + SIM_DPOR
        );
        assert_eq!(
            sim_iterations(Purpose::All, &hunt),
            SIM_DFS_ALL + SIM_DPOR_ALL
        );
        assert!((1..=largest).contains(&SHUTTLE_SAMPLES));
        let dfs = Search::Dfs {
            preemption_bound: None,
        };
        assert_eq!(sim_iterations(Purpose::Check, &dfs), 100_000);
    }
}
