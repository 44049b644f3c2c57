//! `canary/wal-ack-before-durable` through the check layer: the buggy WAL fails its oracle
//! under DFS and PCT (a crash after the acknowledgement), the fixed one exhausts clean under
//! DFS with its crash budget, the failure replays byte for byte and its trace names the
//! crash, `check --all` proves the fixed variant with DPOR (which finds the bug too), and the
//! other backends refuse the scenario with one line.

use weft_check::{Finding, Outcome, Search};
use weft_core::faults::{Budget, FaultKind};
use weft_models::scenario::Info;
use weft_models::scenarios::canary::ACKED_WRITE_SURVIVES;

mod canary;

use canary::DFS;

const SCENARIO: &str = "canary/wal-ack-before-durable";

fn info() -> &'static Info {
    canary::info(SCENARIO)
}

fn sim(variant: usize, search: Search, iterations: u64) -> Outcome {
    canary::sim(SCENARIO, variant, search, iterations)
}

/// The finding is the lost acknowledged write, and weft-sim's report names the crash.
fn assert_lost_write(found: &Finding) -> String {
    assert_eq!(found.oracle, Some(ACKED_WRITE_SURVIVES), "{found:?}");
    let report = found.sim.as_ref().expect("a sim finding").to_string();
    assert!(
        report.contains("node wal crashed at step") && report.contains("(crash point acked)"),
        "{report}"
    );
    report
}

#[test]
fn the_scenario_declares_one_crash_on_node_wal() {
    let faults = info().faults;
    assert_eq!(faults.nodes, ["wal"]);
    assert_eq!(faults.budget, Budget::NONE.with(FaultKind::Crash, 1));
    assert!(faults.crash_points.contains(&"acked"));
}

#[test]
fn dfs_finds_the_lost_write_and_it_replays_byte_for_byte() {
    let found = canary::finding(SCENARIO, 0, DFS, 10_000);
    let report = assert_lost_write(&found);
    canary::assert_replays_byte_for_byte(SCENARIO, &found, ACKED_WRITE_SURVIVES, &report);
}

#[test]
fn pct_finds_it_within_10000_executions() {
    canary::assert_pct_finds_it_within_10000_executions(SCENARIO, |found| {
        assert_lost_write(found);
    });
}

#[test]
fn the_fixed_wal_exhausts_clean_under_dfs_with_one_crash() {
    let out = sim(1, DFS, 10_000);
    out.assert_expected();
    out.assert_exhausted();
    // No crash, and a crash at each crash point the fixed server reaches.
    assert!(out.executions >= 4, "{}", out.executions);
}

#[test]
fn check_all_proves_it_with_dpor_and_runs_it_on_sim_only() {
    let fixed = canary::assert_sim_only_rows_prove_the_fixed_variant_with_dpor(SCENARIO);
    assert!(!fixed.contains(&DFS), "{fixed:?}");
}

/// DPOR finds the lost write and exhausts the fixed variant, in no more executions than DFS.
#[test]
fn dpor_finds_it_and_exhausts_the_fixed_variant_in_fewer_executions_than_dfs() {
    assert_lost_write(&canary::finding(SCENARIO, 0, Search::Dpor, 10_000));
    canary::assert_dpor_exhausts_the_fixed_variant_within_dfs(SCENARIO, 10_000);
}

/// loom and shuttle refuse it first for its clock (the client's settle sleep must fire after
/// the restart), and would for its node; tokio for its crash budget. One line each.
#[test]
fn other_backends_refuse_it_with_one_line() {
    canary::assert_refused_for_clock_then_nodes_and_budget(SCENARIO);
}
