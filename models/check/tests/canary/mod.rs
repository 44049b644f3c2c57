//! What every canary test does the same way: run a variant on weft-sim through the check
//! layer, replay a finding twice and compare the traces, run with the determinism self-check,
//! list the scenario's `check --all` rows, and check the other backends' one-line refusals.

#![allow(dead_code)] // each test binary uses part of it

use std::future::Future;

use weft_check::{all_plans, run, Backend, Finding, Outcome, Plan, Reproduce, Search, Unfit};
use weft_core::OracleId;
use weft_models::registry;
use weft_models::scenario::Info;
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

/// The `check --all` rows of scenario `name`.
pub fn rows(name: &str) -> Vec<Plan> {
    all_plans()
        .into_iter()
        .filter(|p| p.scenario().name == name)
        .collect()
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

/// `info` as a scenario that needs no clock (to see the refusal that comes after the clock's).
pub fn clockless(info: &'static Info) -> &'static Info {
    Box::leak(Box::new(Info {
        needs_clock: false,
        ..*info
    }))
}
