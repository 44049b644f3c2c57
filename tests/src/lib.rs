//! Cross-backend integration tests of weft: see the files beside this crate root.
//!
//! This library is their shared harness over the check layer ([`weft_check`]): each function
//! runs every variant of a scenario as one [`Plan`] and asserts its expected verdict
//! ([`Outcome::assert_expected`]), so that the per-system test files (`cortex.rs`,
//! `consul.rs`) say only which scenarios and budgets. Which backend fits which scenario, how
//! a backend is configured and run, and what its failures mean are the layer's.

use weft_check::{defaults, Backend, Outcome, Plan, PlanError, Search};
use weft_models::registry;
use weft_models::scenario::{Expect, Info, Variant};

/// The registered scenarios of one system (name prefix, such as `"consul/"`).
pub fn scenarios_of(prefix: &str) -> Vec<&'static Info> {
    registry::all()
        .into_iter()
        .filter(|i| i.name.starts_with(prefix))
        .collect()
}

/// The names of the scenarios of one system that `backend` can run.
pub fn fitting(prefix: &str, backend: Backend) -> Vec<&'static str> {
    scenarios_of(prefix)
        .into_iter()
        .filter(|i| backend.fits(i).is_ok())
        .map(|i| i.name)
        .collect()
}

/// Runs `plan`, which must be valid.
pub fn run(plan: Result<Plan, PlanError>) -> Outcome {
    let plan = plan.unwrap_or_else(|e| panic!("a valid plan: {e}"));
    weft_check::run(&plan).unwrap_or_else(|e| panic!("{e}"))
}

/// The outcome of every variant of the scenario `name` (those `keep` selects) with the plan
/// `plan` makes of it.
pub fn each_variant(
    name: &str,
    keep: impl Fn(&Variant) -> bool,
    plan: impl Fn(&'static Info, &'static Variant) -> Result<Plan, PlanError>,
) -> Vec<Outcome> {
    let info = registry::find(name).unwrap_or_else(|e| panic!("{e}"));
    let kept: Vec<&'static Variant> = info.variants.iter().filter(|v| keep(v)).collect();
    assert!(!kept.is_empty(), "{name}: no variant to run");
    kept.into_iter().map(|v| run(plan(info, v))).collect()
}

/// Every variant of `name` on sim with the default sampling search (weft-sim's portfolio, the
/// default seed), full scale, `iterations` executions: each gets its expected verdict.
pub fn sim_pct(name: &str, iterations: u64) {
    let outcomes = each_variant(
        name,
        |_| true,
        |i, v| Plan::sim(i, v, defaults::SEARCH, iterations),
    );
    outcomes.iter().for_each(Outcome::assert_expected);
}

/// sim's DFS with spec §5's preemption bound, minimal scale, `budget` executions.
pub fn dfs_pb2() -> Search {
    Search::Dfs {
        preemption_bound: Some(defaults::SPEC_BOUND),
    }
}

/// Every variant of `name` on sim with DFS pb2 for at most `budget` executions: each gets its
/// expected verdict, and with `must_exhaust` a passing one has exhausted its space.
pub fn sim_dfs(name: &str, budget: u64, must_exhaust: bool) {
    for out in each_variant(name, |_| true, |i, v| Plan::sim(i, v, dfs_pb2(), budget)) {
        if must_exhaust {
            out.assert_exhausted();
        }
        out.assert_expected();
    }
}

/// DFS pb2 must exhaust (and agree with the expected verdicts) for each scenario named.
pub fn exhaust(names: &[&str]) {
    for name in names {
        sim_dfs(name, u64::MAX, true);
    }
}

/// Every variant of `name` on shuttle with PCT (the default depth and seed), full scale, the
/// default budget.
pub fn shuttle_pct(name: &str) {
    let outcomes = each_variant(
        name,
        |_| true,
        |i, v| Plan::shuttle(i, v, defaults::SHUTTLE_SEARCH, defaults::SHUTTLE_SAMPLES),
    );
    outcomes.iter().for_each(Outcome::assert_expected);
}

/// Every variant of `name` on loom with this preemption bound, minimal scale.
pub fn loom(name: &str, preemption_bound: u32) {
    let outcomes = each_variant(
        name,
        |_| true,
        |i, v| Plan::loom(i, v, Some(preemption_bound)),
    );
    outcomes.iter().for_each(Outcome::assert_expected);
}

/// Every variant of `name` expected to pass passes `runs` tokio runs at full scale (on the
/// runtime the scenario needs): no panic, no hang.
pub fn tokio_passing(name: &str, runs: u64) {
    let passing = |v: &Variant| v.expect == Expect::Pass;
    for out in each_variant(name, passing, |i, v| Plan::tokio(i, v, runs)) {
        assert_eq!(out.failed_runs, Some(0), "{name}: {:?}", out.finding);
        out.assert_expected();
    }
}
