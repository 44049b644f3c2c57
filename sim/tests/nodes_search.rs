//! Fault placements are decisions the strategies explore: DFS finds a bug that needs exactly
//! one crash at one crash point, and not without a crash budget; random walk and PCT sample
//! it; the fixed twin exhausts clean; icb (plain under a budget) finds it too; so does dpor,
//! which exhausts the fixed twin; a pause budget pauses a node at a crash point, which the
//! trace names.

mod nodes_system;

use std::time::Duration;

use nodes_system::{system, ONE_CRASH};
use weft_core::faults::{Budget, FaultKind};
use weft_core::node::NodeSpec;
use weft_core::{FailureKind, Fault, Runtime};
use weft_sim::{Config, Decision, Sim, SimRuntime, StrategyKind};

fn dfs(budget: Budget) -> Config {
    Config::default()
        .strategy(StrategyKind::Dfs)
        .iterations(100_000)
        .faults(budget)
}

#[test]
fn dfs_finds_the_lost_write_with_one_crash_at_the_acked_point() {
    let err = Sim::new(dfs(ONE_CRASH))
        .run(|rt: SimRuntime| system(rt, true))
        .unwrap_err();
    let f = err.failure().expect("a failure");
    assert_eq!(f.kind, FailureKind::Assertion, "{f}");
    assert_eq!(f.message, "acknowledged write 7 lost");
    let crashes: Vec<&Decision> = f
        .schedule
        .decisions
        .iter()
        .filter(|d| matches!(d, Decision::Fault { chosen: 1, .. }))
        .collect();
    assert_eq!(crashes.len(), 1, "{:?}", f.schedule.decisions);
    assert!(
        f.trace_report().contains("(crash point acked)"),
        "{}",
        f.trace_report()
    );
}

#[test]
fn without_a_crash_budget_dfs_exhausts_clean() {
    let report = Sim::new(dfs(Budget::NONE))
        .run(|rt: SimRuntime| system(rt, true))
        .expect("no crash, no bug");
    assert_eq!(report.exhausted, Some(true));
}

#[test]
fn the_fixed_server_exhausts_clean_with_one_crash() {
    let report = Sim::new(dfs(ONE_CRASH))
        .run(|rt: SimRuntime| system(rt, false))
        .expect("the fixed server loses nothing");
    assert_eq!(report.exhausted, Some(true));
    // Every placement ran: no crash, and a crash at each of the crash points reached.
    assert!(report.executions >= 4, "{}", report.executions);
}

#[test]
fn random_and_pct_find_it_within_10000_executions() {
    for strategy in [StrategyKind::Random, StrategyKind::Pct { depth: 3 }] {
        for seed in 1..=5 {
            let config = Config::default()
                .strategy(strategy)
                .seed(seed)
                .iterations(10_000)
                .faults(ONE_CRASH);
            let err = Sim::new(config)
                .run(|rt: SimRuntime| system(rt, true))
                .expect_err("found");
            assert_eq!(err.failure().unwrap().kind, FailureKind::Assertion);
        }
    }
}

/// DPOR explores crash placements (each node's object, `weft_sim::nodes` rule 7): it finds
/// the lost write with the one crash at `acked`, and exhausts the fixed twin in fewer
/// executions than DFS.
#[test]
fn dpor_finds_the_lost_write_and_exhausts_the_fixed_server() {
    let dpor = || {
        Config::default()
            .strategy(StrategyKind::Dpor)
            .iterations(100_000)
            .faults(ONE_CRASH)
    };
    let err = Sim::new(dpor())
        .run(|rt: SimRuntime| system(rt, true))
        .unwrap_err();
    let f = err.failure().expect("a failure");
    assert_eq!(f.message, "acknowledged write 7 lost");
    assert!(
        f.trace_report().contains("(crash point acked)"),
        "{}",
        f.trace_report()
    );
    let reduced = Sim::new(dpor())
        .run(|rt: SimRuntime| system(rt, false))
        .expect("the fixed server loses nothing");
    assert_eq!(reduced.exhausted, Some(true));
    let plain = Sim::new(dfs(ONE_CRASH))
        .run(|rt: SimRuntime| system(rt, false))
        .expect("the fixed server loses nothing");
    assert!(
        reduced.executions <= plain.executions,
        "dpor {} executions, dfs {}",
        reduced.executions,
        plain.executions
    );
}

/// `icb` under a fault budget runs plain iterative context bounding (bounded POR does not see
/// fault decisions yet): it finds the lost write and exhausts the fixed twin.
#[test]
fn icb_explores_fault_placements() {
    let icb = || {
        Config::default()
            .strategy(StrategyKind::Icb)
            .iterations(100_000)
            .faults(ONE_CRASH)
    };
    let err = Sim::new(icb())
        .run(|rt: SimRuntime| system(rt, true))
        .unwrap_err();
    let f = err.failure().expect("a failure");
    assert_eq!(f.message, "acknowledged write 7 lost");
    let report = Sim::new(icb())
        .run(|rt: SimRuntime| system(rt, false))
        .expect("the fixed server loses nothing");
    assert_eq!(report.exhausted, Some(true));
}

/// Under a pause budget, DFS pauses the node at its crash point: the node's next step runs
/// `pause_for` later, and the trace names the pause and the crash point, as it does a crash.
#[test]
fn a_pause_at_a_crash_point_is_named_in_the_trace() {
    let pause = Duration::from_secs(3);
    let config = Config::default()
        .strategy(StrategyKind::Dfs)
        .iterations(100)
        .faults(Budget::NONE.with(FaultKind::Pause, 1).pausing_for(pause));
    let err = Sim::new(config)
        .run(|rt: SimRuntime| async move {
            rt.start_node(NodeSpec::new("s1", move || {
                Box::pin(async move {
                    rt.crash_point("checked").await;
                    let now = rt.now().since_epoch();
                    if !now.is_zero() {
                        rt.fail(Fault::new(
                            FailureKind::Assertion,
                            format!("resumed after {now:?}"),
                        ));
                    }
                })
            }));
            rt.sleep(Duration::from_secs(10)).await;
        })
        .unwrap_err();
    let f = err.failure().expect("a failure");
    assert_eq!(f.message, "resumed after 3s");
    // No pause first, then the pause.
    assert_eq!(f.execution, 2);
    assert!(
        f.trace_report()
            .contains("node s1 paused for 3s (crash point checked)"),
        "{}",
        f.trace_report()
    );
}
