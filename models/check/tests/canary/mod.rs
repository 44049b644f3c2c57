//! What every canary test (and the `mimir_*` tests built the same way) does the same way: run a
//! variant on weft-sim through the check layer, replay a finding twice and compare the traces,
//! run with the determinism self-check, list the scenario's `check --all` rows, and check the
//! other backends' one-line refusals.

#![allow(dead_code)] // each test binary uses part of it

use std::future::Future;

use weft_check::{
    all_plans, run, Backend, BackendPlan, Finding, Outcome, Plan, Reproduce, Search, Unfit,
};
use weft_core::{FailureKind, OracleId};
use weft_models::registry;
use weft_models::scenario::{Info, Scale, Scenario, VariantId};
use weft_sim::{Config, Sim, SimError, SimRuntime, StrategyKind};

/// Unbounded DFS.
pub const DFS: Search = Search::Dfs {
    preemption_bound: None,
};

/// The registered scenario `name`.
pub fn info(name: &str) -> &'static Info {
    registry::find(name).unwrap()
}

/// Variant `variant` of scenario `name` on weft-sim with `search`.
pub fn sim(name: &str, variant: usize, search: Search, iterations: u64) -> Outcome {
    let info = info(name);
    let plan = Plan::sim(info, &info.variants[variant], search, iterations)
        .unwrap()
        .with_progress(false);
    run(&plan).unwrap()
}

/// Runs variant `variant` of scenario `name` on weft-sim with `search`: the verdict is the
/// expected one, and a failure is found. Returns it.
pub fn finding(name: &str, variant: usize, search: Search, iterations: u64) -> Finding {
    let out = sim(name, variant, search, iterations);
    out.assert_expected();
    out.finding
        .unwrap_or_else(|| panic!("{name} [{variant}] {search:?}: a failure is found"))
}

/// PCT at depth 3 finds a failure of the buggy variant (0) of scenario `name` within 10,000
/// executions for each of seeds 1 to 5; `check` checks each finding.
pub fn assert_pct_finds_it_within_10000_executions(name: &str, check: impl Fn(&Finding)) {
    for seed in 1..=5 {
        check(&finding(name, 0, Search::Pct { depth: 3, seed }, 10_000));
    }
}

/// Replays `found` (of variant 0, the buggy one) twice: each replay fails with `oracle` and
/// the same message, both traces are the same, and `report` contains it. Returns the trace.
pub fn assert_replays_byte_for_byte(
    name: &str,
    found: &Finding,
    oracle: OracleId,
    report: &str,
) -> String {
    assert_variant_replays_byte_for_byte(name, 0, found, oracle, report)
}

/// [`assert_replays_byte_for_byte`] for a finding of variant `variant`.
pub fn assert_variant_replays_byte_for_byte(
    name: &str,
    variant: usize,
    found: &Finding,
    oracle: OracleId,
    report: &str,
) -> String {
    let Reproduce::Sim {
        schedule, scale, ..
    } = &found.reproduce
    else {
        panic!("a sim finding replays: {:?}", found.reproduce);
    };
    let info = info(name);
    let replay = || {
        let plan = Plan::replay(info, &info.variants[variant], *scale, schedule.clone())
            .unwrap()
            .with_progress(false);
        let out = run(&plan).unwrap();
        let again = out.finding.expect("the replay fails again");
        assert_eq!(again.oracle, Some(oracle));
        assert_eq!(again.message, found.message);
        again.sim.unwrap().trace_report()
    };
    let (first, second) = (replay(), replay());
    assert_eq!(first, second);
    assert!(report.contains(&first), "{report}\n---\n{first}");
    first
}

/// Runs `body` on weft-sim with scenario `name`'s budget and the determinism self-check on:
/// every passing execution is replayed twice and the traces compared.
pub fn self_checked<F, Fut>(
    name: &str,
    strategy: StrategyKind,
    iterations: u64,
    body: F,
) -> Result<weft_sim::Report, SimError>
where
    F: Fn(SimRuntime) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let config = Config::default()
        .strategy(strategy)
        .iterations(iterations)
        .faults(info(name).faults.budget)
        .check_determinism(true)
        .progress(None);
    Sim::new(config).run(body)
}

/// Runs `variant` of scenario `S` at `scale` with `S`'s budget and the determinism self-check
/// on (see [`self_checked`]).
pub fn self_checked_variant<S: Scenario>(
    variant: S::Variant,
    scale: Scale,
    strategy: StrategyKind,
    iterations: u64,
) -> Result<weft_sim::Report, SimError> {
    let description = variant.describe();
    self_checked(S::INFO.name, strategy, iterations, move |rt: SimRuntime| {
        S::run_variant(rt, description, scale)
    })
}

/// Every execution of the `fixed` variant passes the determinism self-check: at the minimal
/// scale `strategy` exhausts it within `iterations`, and 500 PCT executions (depth 3) pass at
/// full scale.
pub fn assert_fixed_passes_the_self_check<S: Scenario>(
    fixed: S::Variant,
    strategy: StrategyKind,
    iterations: u64,
) {
    let report = self_checked_variant::<S>(fixed, Scale::Minimal, strategy, iterations)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.exhausted, Some(true));
    self_checked_variant::<S>(fixed, Scale::Full, StrategyKind::Pct { depth: 3 }, 500)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// With the determinism self-check on, the `buggy` variant (minimal scale) still fails its
/// oracle `oracle` with an assertion, not the self-check.
pub fn assert_buggy_fails_its_oracle_not_the_self_check<S: Scenario>(
    buggy: S::Variant,
    oracle: OracleId,
    strategy: StrategyKind,
    iterations: u64,
) {
    let err = self_checked_variant::<S>(buggy, Scale::Minimal, strategy, iterations).unwrap_err();
    let f = err.failure().expect("a failure");
    assert_eq!(f.kind, FailureKind::Assertion, "{f}");
    assert_eq!(f.oracle, Some(oracle), "{f}");
}

/// DPOR exhausts the fixed variant (1) of scenario `name` within `iterations`, in no more
/// executions than DFS.
pub fn assert_dpor_exhausts_the_fixed_variant_within_dfs(name: &str, iterations: u64) {
    let dpor = sim(name, 1, Search::Dpor, iterations);
    dpor.assert_expected();
    dpor.assert_exhausted();
    let dfs = sim(name, 1, DFS, iterations);
    assert!(
        dpor.executions <= dfs.executions,
        "dpor {}, dfs {}",
        dpor.executions,
        dfs.executions
    );
}

/// The `check --all` rows of scenario `name`.
pub fn rows(name: &str) -> Vec<Plan> {
    all_plans()
        .into_iter()
        .filter(|p| p.scenario().name == name)
        .collect()
}

/// Scenario `name` has two sim rows per variant in `check --all` and nothing else, and DPOR is
/// among the fixed variant's searches (weft-sim's DPOR explores the scenario's fault budget: the
/// proof is DPOR's). Returns the fixed variant's searches.
pub fn assert_sim_only_rows_prove_the_fixed_variant_with_dpor(name: &str) -> Vec<Search> {
    let rows = rows(name);
    assert_eq!(rows.len(), 4, "two sim rows per variant, nothing else");
    for p in &rows {
        assert_eq!(p.backend().backend(), Backend::Sim);
    }
    let fixed: Vec<Search> = rows
        .iter()
        .filter(|p| p.variant().name == "fixed")
        .map(|p| match p.backend() {
            BackendPlan::Sim { search, .. } => *search,
            other => panic!("a sim row: {other:?}"),
        })
        .collect();
    assert!(fixed.contains(&Search::Dpor), "{fixed:?}");
    fixed
}

/// Each backend refuses `info` (scenario `name`) for the reason given, in one line that names
/// the scenario.
pub fn assert_refusals(name: &str, refusals: &[(Backend, &'static Info, Unfit)]) {
    for (backend, info, why) in refusals {
        let e = backend.fits(info).unwrap_err();
        assert_eq!(&e.why, why, "{backend}");
        let text = e.to_string();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains(name), "{text}");
    }
}

/// loom and shuttle refuse scenario `name` first for its clock, and would for its nodes; tokio
/// for its fault budget. One line each.
pub fn assert_refused_for_clock_then_nodes_and_budget(name: &str) {
    let info = info(name);
    let clockless = clockless(info);
    assert_refusals(
        name,
        &[
            (Backend::Loom, info, Unfit::NeedsClock),
            (Backend::Shuttle, info, Unfit::NeedsClock),
            (Backend::Loom, clockless, Unfit::Nodes),
            (Backend::Shuttle, clockless, Unfit::Nodes),
            (Backend::Tokio, info, Unfit::FaultBudget(info.faults.budget)),
        ],
    );
}

/// `info` as a scenario that needs no clock (to see the refusal that comes after the clock's).
pub fn clockless(info: &'static Info) -> &'static Info {
    Box::leak(Box::new(Info {
        needs_clock: false,
        ..*info
    }))
}

/// How every `mimir/*` scenario named is refused, one line each: loom for its tasks (more than
/// its thread slots), shuttle first for its clock, then for its nodes; tokio, where the scenario
/// has a fault budget, for that budget.
pub fn assert_mimir_refusals<'a>(names: impl IntoIterator<Item = &'a str>) {
    for name in names {
        let info = info(name);
        let clockless = clockless(info);
        let tasks = Unfit::TooManyTasks {
            tasks: info.max_tasks,
        };
        let mut refusals = vec![
            (Backend::Loom, info, tasks),
            (Backend::Shuttle, info, Unfit::NeedsClock),
            (Backend::Shuttle, clockless, Unfit::Nodes),
        ];
        if !info.faults.budget.is_zero() {
            let why = Unfit::FaultBudget(info.faults.budget);
            refusals.push((Backend::Tokio, info, why));
        }
        assert_refusals(name, &refusals);
    }
}

/// A sim finding with an assertion failure of `oracle` (scenario `name`), whose weft-sim report
/// names `trace` where one is given. Returns the report.
pub fn assert_sim_finding(
    name: &str,
    oracle: OracleId,
    trace: Option<&str>,
    found: &Finding,
) -> String {
    assert_eq!(found.kind, FailureKind::Assertion, "{found:?}");
    assert_eq!(found.oracle, Some(oracle), "{name}: {found:?}");
    let report = found.sim.as_ref().expect("a sim finding").to_string();
    if let Some(trace) = trace {
        assert!(report.contains(trace), "{name}: no {trace:?} in\n{report}");
    }
    report
}

/// [`assert_sim_finding`], and the finding (of variant `variant`) replays byte for byte.
pub fn assert_sim_finding_replays(
    name: &str,
    variant: usize,
    oracle: OracleId,
    trace: Option<&str>,
    found: &Finding,
) {
    let report = assert_sim_finding(name, oracle, trace, found);
    assert_variant_replays_byte_for_byte(name, variant, found, oracle, &report);
}
