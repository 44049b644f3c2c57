//! `canary/retry-duplicate-apply` through the check layer: the buggy client (a retry is a new
//! request) fails its oracle under DFS and PCT when a response is lost or a request is late,
//! and the trace names the fault and the message it hit; the fixed client (every retry under
//! the operation's idempotency key) exhausts clean under DFS with its loss-and-delay budget;
//! the failure replays byte for byte; every execution passes weft-sim's determinism
//! self-check; `check --all` proves the fixed variant with DPOR, which reduces the
//! network's faults (far fewer executions than DFS); the other backends refuse it
//! with one line.

use weft_check::{Backend, Finding, Outcome, Search, Unfit};
use weft_core::faults::{Budget, FaultKind};
use weft_models::scenario::Info;
use weft_models::scenarios::canary::{
    RetryDuplicateApply, RetryDuplicateApplyVariant, APPLIED_ONCE,
};
use weft_sim::StrategyKind;

mod canary;

use canary::DFS;

const SCENARIO: &str = "canary/retry-duplicate-apply";

fn info() -> &'static Info {
    canary::info(SCENARIO)
}

fn sim(variant: usize, search: Search, iterations: u64) -> Outcome {
    canary::sim(SCENARIO, variant, search, iterations)
}

/// The finding is an operation applied more than once, and weft-sim's report names the network fault
/// that made the client retry, on a message of the wire.
fn assert_duplicate(found: &Finding) -> String {
    assert_eq!(found.oracle, Some(APPLIED_ONCE), "{found:?}");
    // Twice, or three times when both the loss and the delay hit one operation.
    assert!(
        ["was applied 2 times", "was applied 3 times"]
            .iter()
            .any(|m| found.message.contains(m)),
        "{}",
        found.message
    );
    let report = found.sim.as_ref().expect("a sim finding").to_string();
    let faulted = report.lines().any(|l| {
        (l.contains("net counter->client") || l.contains("net client->counter"))
            && (l.contains("fault: loss") || l.contains("fault: delay"))
    });
    assert!(faulted, "{report}");
    report
}

#[test]
fn the_scenario_declares_one_loss_and_one_delay_on_the_counter() {
    let faults = info().faults;
    assert_eq!(faults.nodes, ["counter"]);
    assert_eq!(
        faults.budget,
        Budget::NONE
            .with(FaultKind::Loss, 1)
            .with(FaultKind::Delay, 1)
    );
}

#[test]
fn dfs_finds_the_duplicate_and_it_replays_byte_for_byte() {
    let found = canary::finding(SCENARIO, 0, DFS, 10_000);
    let report = assert_duplicate(&found);
    canary::assert_replays_byte_for_byte(SCENARIO, &found, APPLIED_ONCE, &report);
}

/// Measured: PCT at depth 3 finds it at execution 2, 1, 1, 3 and 2 for seeds 1 to 5 (each
/// message's loss and delay are fault opportunities, injected with odds 1/8).
#[test]
fn pct_finds_it_within_10000_executions() {
    canary::assert_pct_finds_it_within_10000_executions(SCENARIO, |found| {
        assert_duplicate(found);
    });
}

#[test]
fn the_fixed_client_exhausts_clean_under_dfs() {
    let out = sim(1, DFS, 100_000);
    out.assert_expected();
    out.assert_exhausted();
    // Every order of the messages and timers, times every placement of one loss and one
    // delay: plain DFS, no reduction.
    assert_eq!(out.executions, 30_718);
}

#[test]
fn dpor_finds_it_and_exhausts_the_fixed_client_in_far_fewer_executions() {
    assert_duplicate(&canary::finding(SCENARIO, 0, Search::Dpor, 100_000));
    let out = sim(1, Search::Dpor, 100_000);
    out.assert_expected();
    out.assert_exhausted();
    // Measured: 14 executions, against DFS's 30,718.
    assert_eq!(out.executions, 14);
}

#[test]
fn every_execution_passes_the_determinism_self_check() {
    use RetryDuplicateApplyVariant::{Buggy, Fixed};
    canary::assert_fixed_passes_the_self_check::<RetryDuplicateApply>(
        Fixed,
        StrategyKind::Dfs,
        100_000,
    );
    // The buggy client still fails its oracle, not the self-check.
    canary::assert_buggy_fails_its_oracle_not_the_self_check::<RetryDuplicateApply>(
        Buggy,
        APPLIED_ONCE,
        StrategyKind::Dfs,
        10_000,
    );
}

/// DPOR explores the network's faults (not a node's crash or pause).
#[test]
fn check_all_proves_it_with_dpor_and_runs_it_on_sim_only() {
    canary::assert_sim_only_rows_prove_the_fixed_variant_with_dpor(SCENARIO);
}

/// loom refuses it first for its tasks (two per message on the wire: more threads than loom
/// allows), shuttle for its clock (the client's patience is a deadline), and would for its
/// nodes; tokio for its fault budget. One line each.
#[test]
fn other_backends_refuse_it_with_one_line() {
    let info = info();
    let clockless = canary::clockless(info);
    canary::assert_refusals(
        SCENARIO,
        &[
            (Backend::Loom, info, Unfit::TooManyTasks { tasks: 8 }),
            (Backend::Shuttle, info, Unfit::NeedsClock),
            (Backend::Shuttle, clockless, Unfit::Nodes),
            (Backend::Tokio, info, Unfit::FaultBudget(info.faults.budget)),
        ],
    );
}
