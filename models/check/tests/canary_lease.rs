//! `canary/lease-lock-no-fencing` through the check layer: the buggy lock fails its oracle
//! under DFS and PCT (a client paused past its lease after checking it), the fixed one
//! (fencing tokens) exhausts clean under DFS with its pause budget, the failure replays byte
//! for byte and its trace names the pause, every execution passes weft-sim's determinism
//! self-check, `check --all` proves the fixed variant with DPOR (which finds the bug too), and
//! the other backends refuse the scenario with one line.

use weft_check::{Finding, Outcome, Search};
use weft_core::faults::{Budget, FaultKind};
use weft_models::scenario::Info;
use weft_models::scenarios::canary::{
    LeaseLockNoFencing, LeaseLockNoFencingVariant, LEASE, NO_STALE_OVERWRITE,
};
use weft_sim::StrategyKind;

mod canary;

use canary::DFS;

const SCENARIO: &str = "canary/lease-lock-no-fencing";

fn info() -> &'static Info {
    canary::info(SCENARIO)
}

fn sim(variant: usize, search: Search, iterations: u64) -> Outcome {
    canary::sim(SCENARIO, variant, search, iterations)
}

/// The finding is a stale overwrite, and weft-sim's report names the pause of the client
/// that made the stale write, at crash point `checked` (after its lease check).
fn assert_stale_overwrite(found: &Finding) -> String {
    assert_eq!(found.oracle, Some(NO_STALE_OVERWRITE), "{found:?}");
    let report = found.sim.as_ref().expect("a sim finding").to_string();
    let pause = info().faults.budget.pause_for;
    let paused: Vec<&str> = info()
        .faults
        .nodes
        .iter()
        .copied()
        .filter(|c| {
            report.contains(&format!(
                "node {c} paused for {pause:?} (crash point checked)"
            ))
        })
        .collect();
    let [paused] = paused[..] else {
        panic!("one client paused at checked: {paused:?}\n{report}");
    };
    let (stale, _) = found
        .message
        .split_once(" overwrote ")
        .unwrap_or_else(|| panic!("{}", found.message));
    assert!(
        stale.contains(&format!(": {paused}.")),
        "the paused client {paused} made the stale write: {}",
        found.message
    );
    report
}

#[test]
fn the_scenario_declares_one_pause_longer_than_the_lease_on_two_clients() {
    let faults = info().faults;
    assert_eq!(faults.nodes, ["c1", "c2"]);
    assert_eq!(faults.budget.get(FaultKind::Pause), 1);
    assert_eq!(
        faults.budget,
        Budget::NONE
            .with(FaultKind::Pause, 1)
            .pausing_for(faults.budget.pause_for),
        "a pause, and no other fault"
    );
    assert!(faults.budget.pause_for > LEASE, "{:?}", faults.budget);
    assert!(faults.crash_points.contains(&"checked"));
}

#[test]
fn dfs_finds_the_stale_overwrite_and_it_replays_byte_for_byte() {
    let found = canary::finding(SCENARIO, 0, DFS, 10_000);
    let report = assert_stale_overwrite(&found);
    canary::assert_replays_byte_for_byte(SCENARIO, &found, NO_STALE_OVERWRITE, &report);
}

/// Measured: PCT at depth 3 finds it at execution 1, 17, 22, 2 and 3 for seeds 1 to 5.
#[test]
fn pct_finds_it_within_10000_executions() {
    canary::assert_pct_finds_it_within_10000_executions(SCENARIO, |found| {
        assert_stale_overwrite(found);
    });
}

#[test]
fn the_fixed_lock_exhausts_clean_under_dfs_with_one_pause() {
    let out = sim(1, DFS, 10_000);
    out.assert_expected();
    out.assert_exhausted();
    // Either client first; then no pause, or a pause at each crash point of either client.
    assert_eq!(out.executions, 10);
}

#[test]
fn every_execution_passes_the_determinism_self_check() {
    use LeaseLockNoFencingVariant::{Buggy, Fixed};
    canary::assert_fixed_passes_the_self_check::<LeaseLockNoFencing>(
        Fixed,
        StrategyKind::Dfs,
        10_000,
    );
    // The buggy lock still fails its oracle, not the self-check.
    canary::assert_buggy_fails_its_oracle_not_the_self_check::<LeaseLockNoFencing>(
        Buggy,
        NO_STALE_OVERWRITE,
        StrategyKind::Dfs,
        10_000,
    );
}

#[test]
fn check_all_proves_it_with_dpor_and_runs_it_on_sim_only() {
    let fixed = canary::assert_sim_only_rows_prove_the_fixed_variant_with_dpor(SCENARIO);
    assert!(!fixed.contains(&DFS), "{fixed:?}");
}

/// DPOR finds the stale overwrite and exhausts the fixed variant, in no more executions than DFS.
#[test]
fn dpor_finds_it_and_exhausts_the_fixed_variant_in_fewer_executions_than_dfs() {
    assert_stale_overwrite(&canary::finding(SCENARIO, 0, Search::Dpor, 10_000));
    canary::assert_dpor_exhausts_the_fixed_variant_within_dfs(SCENARIO, 10_000);
}

/// loom and shuttle refuse it first for its clock (the lease expires, and the pause ends, at
/// deadlines), and would for its nodes; tokio for its pause budget. One line each.
#[test]
fn other_backends_refuse_it_with_one_line() {
    canary::assert_refused_for_clock_then_nodes_and_budget(SCENARIO);
}
