//! `canary/replica-read-lag` through the check layer: the buggy register (the primary
//! acknowledges a write, then replicates it to the replica that serves reads) fails the
//! linearizability oracle under DPOR, DFS and PCT with no fault budget; the failure replays
//! byte for byte and its message is the checker's one-screen table; the fixed register
//! (acknowledge once the replica applied the write) exhausts clean under DPOR; DPOR explores
//! the nodes and the network's courier tasks without an infeasible step and reaches every
//! stale read a sampler reaches; every execution passes weft-sim's determinism self-check;
//! `check --all` proves the fixed variant with DPOR; loom and shuttle refuse the scenario with
//! one line, and tokio runs it as a stress test (nodes without a fault budget).
//!
//! Two exhaustive DFS runs are `#[ignore]`d for their cost (run them with `--release
//! --ignored`): the fixed register under DFS without preemptions, and under one delay.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex as StdMutex};

use weft_check::{
    run, Backend, BackendPlan, Finding, Outcome, Plan, Reproduce, Search, Unfit, Verdict,
};
use weft_core::faults::{Budget, FaultKind};
use weft_core::linearizability::{LINEARIZABLE, MAX_COLUMNS, MAX_LINES};
use weft_core::FailureKind;
use weft_models::scenario::{Expect, Info, Scale, Scenario, VariantId};
use weft_models::scenarios::canary::{ReplicaReadLag, ReplicaReadLagVariant};
use weft_sim::strategy::{Dpor, DporStats, Pct, Strategy};
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

mod canary;

use canary::DFS;

const SCENARIO: &str = "canary/replica-read-lag";

fn info() -> &'static Info {
    canary::info(SCENARIO)
}

fn sim(variant: usize, search: Search, iterations: u64) -> Outcome {
    canary::sim(SCENARIO, variant, search, iterations)
}

/// The linearizability report of a finding's message (the fault's `oracle NAME: ` prefix
/// removed).
fn table(found: &Finding) -> &str {
    found
        .message
        .strip_prefix(&format!("oracle {LINEARIZABLE}: "))
        .unwrap_or_else(|| panic!("{}", found.message))
}

/// The finding is a stale read: the checker's one-screen table shows the writer's
/// acknowledged `Write(1)` and, in the reader's column, a later read of 0 that cannot be
/// ordered; weft-sim's report names the network's courier tasks. Returns the report.
fn assert_stale_read(found: &Finding) -> String {
    assert_eq!(found.kind, FailureKind::Assertion, "{found:?}");
    assert_eq!(found.oracle, Some(LINEARIZABLE), "{found:?}");
    let table = table(found);
    assert!(table.starts_with("not linearizable: "), "{table}");
    assert!(table.lines().count() <= MAX_LINES, "{table}");
    for line in table.lines() {
        assert!(line.chars().count() <= MAX_COLUMNS, "{line:?}");
    }
    let rows: Vec<&str> = table.lines().collect();
    assert!(
        rows[1].contains("| client 0") && rows[1].contains("| client 1"),
        "one column per client: {table}"
    );
    let write = rows.iter().position(|r| r.contains("|   Write(1) -> Ok"));
    let read = rows.iter().position(|r| r.contains("| ! Read -> Value(0)"));
    assert!(
        matches!((write, read), (Some(w), Some(r)) if w < r),
        "the acknowledged write, then the stale read: {table}"
    );
    assert!(
        table.contains("longest linearization: c0 Write(1) -> Ok"),
        "{table}"
    );
    let report = found.sim.as_ref().expect("a sim finding").to_string();
    for courier in [
        "net writer->primary",
        "net primary->replica",
        "net reader->replica",
    ] {
        assert!(report.contains(courier), "{courier}: {report}");
    }
    report
}

#[test]
fn the_scenario_declares_two_nodes_no_fault_budget_and_the_linearizability_oracle() {
    let info = info();
    assert_eq!(info.faults.nodes, ["primary", "replica"]);
    assert_eq!(info.faults.budget, Budget::NONE);
    assert!(info.faults.crash_points.is_empty());
    assert_eq!(info.oracles, [LINEARIZABLE]);
    assert_eq!(
        info.variants[0].expect,
        Expect::Fail(FailureKind::Assertion, Some(LINEARIZABLE))
    );
    assert_eq!(info.variants[1].expect, Expect::Pass);
    assert!(!info.needs_clock && !info.needs_quiescence);
}

/// Measured: DPOR finds it at execution 3.
#[test]
fn dpor_finds_the_stale_read_and_it_replays_byte_for_byte() {
    let out = sim(0, Search::Dpor, 100_000);
    out.assert_expected();
    assert_eq!(out.executions, 3);
    let found = out.finding.as_ref().expect("the stale read is found");
    let report = assert_stale_read(found);
    let Reproduce::Sim { scale, .. } = &found.reproduce else {
        panic!("a sim finding replays: {:?}", found.reproduce);
    };
    assert_eq!(*scale, Scale::Minimal);
    canary::assert_replays_byte_for_byte(SCENARIO, found, LINEARIZABLE, &report);
}

/// Measured: unbounded DFS finds it at execution 37,469 (with preemption bound 2, the `weft`
/// CLI test's, at 8,143; without preemptions at 127).
#[test]
fn dfs_finds_it_too() {
    assert_stale_read(&canary::finding(SCENARIO, 0, DFS, 100_000));
}

/// Measured: PCT at depth 3 (full scale) finds it at execution 3, 9, 3, 35 and 12 for seeds
/// 1 to 5.
#[test]
fn pct_finds_it_within_10000_executions() {
    canary::assert_pct_finds_it_within_10000_executions(SCENARIO, |found| {
        assert_eq!(found.oracle, Some(LINEARIZABLE), "{found:?}");
        assert!(
            table(found).contains("! Read -> Value("),
            "{}",
            found.message
        );
    });
}

#[test]
fn the_fixed_register_exhausts_clean_under_dpor() {
    let out = sim(1, Search::Dpor, 100_000);
    out.assert_expected();
    out.assert_exhausted();
    assert_eq!(out.executions, 18);
}

/// Unbounded DFS does not exhaust this model (3,000,000 executions are not enough: one courier
/// task per message multiplies the interleavings DFS does not reduce); without preemptions it
/// does, in 1,384,989 executions (about 15 s in release).
#[test]
#[ignore = "1,384,989 executions: about 15 s in release, minutes in debug"]
fn the_fixed_register_exhausts_clean_under_dfs_without_preemptions() {
    let out = sim(
        1,
        Search::Dfs {
            preemption_bound: Some(0),
        },
        2_000_000,
    );
    out.assert_expected();
    out.assert_exhausted();
    assert_eq!(out.executions, 1_384_989);
}

/// The module documentation's claim that a delay adds no verdict, under DFS without
/// preemptions and a budget of one delay: the fixed register still exhausts clean (3,620,427
/// executions, about 40 s in release), and the buggy one still fails its oracle.
#[test]
#[ignore = "3,620,427 executions: about 40 s in release"]
fn one_delay_adds_no_verdict() {
    let run = |variant: ReplicaReadLagVariant| {
        let config = Config::default()
            .strategy(StrategyKind::Dfs)
            .preemption_bound(Some(0))
            .iterations(5_000_000)
            .faults(Budget::NONE.with(FaultKind::Delay, 1))
            .progress(None);
        let description = variant.describe();
        Sim::new(config)
            .run(move |rt: SimRuntime| ReplicaReadLag::run_variant(rt, description, Scale::Minimal))
    };
    let report = run(ReplicaReadLagVariant::Fixed).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.exhausted, Some(true));
    let err = run(ReplicaReadLagVariant::Buggy).unwrap_err();
    assert_eq!(err.failure().unwrap().oracle, Some(LINEARIZABLE), "{err}");
}

/// What a whole exploration of `variant` at `scale` with `strategy` saw: executions, whether
/// it exhausted, and the distinct stale reads (each failure's table without its time column,
/// which numbers events and so differs between executions of one trace class).
struct Explored {
    executions: u64,
    exhausted: Option<bool>,
    failures: u64,
    stale_reads: BTreeSet<String>,
}

fn explore(
    strategy: Box<dyn Strategy>,
    variant: ReplicaReadLagVariant,
    scale: Scale,
    iterations: u64,
) -> Explored {
    let sim = Sim::new(Config::default().iterations(iterations).progress(None));
    let description = variant.describe();
    let (mut failures, mut stale_reads) = (0, BTreeSet::new());
    let report = sim
        .explore_with(
            strategy,
            move |rt: SimRuntime| ReplicaReadLag::run_variant(rt, description, scale),
            |ended| {
                let Some(fault) = &ended.fault else { return };
                assert_eq!(fault.oracle, Some(LINEARIZABLE), "{fault}");
                failures += 1;
                let shape: Vec<&str> = fault
                    .message
                    .lines()
                    .map(|l| l.split_once('|').map_or(l, |(_, rest)| rest))
                    .collect();
                stale_reads.insert(shape.join("\n"));
            },
        )
        .unwrap();
    Explored {
        executions: report.executions,
        exhausted: report.exhausted,
        failures,
        stale_reads,
    }
}

/// DPOR with its counters in view.
fn dpor(variant: ReplicaReadLagVariant, scale: Scale) -> (Explored, DporStats) {
    let dpor = Arc::new(StdMutex::new(Dpor::new()));
    let explored = explore(Box::new(dpor.clone()), variant, scale, 100_000);
    assert_eq!(explored.exhausted, Some(true), "{variant:?} {scale:?}");
    let stats = dpor.lock().unwrap().stats();
    (explored, stats)
}

/// DPOR runs on the nodes' tasks and the network's couriers (tasks of no node, named
/// `net FROM->TO`) without a wakeup step its model could not run (`infeasible`), and at the
/// minimal scale without a decision where every candidate was asleep (`sleep_blocked`: a
/// redundant execution). Measured: minimal, buggy 29 executions (8 stale), fixed 18; full,
/// buggy 632 (222 stale; 51 sleep-blocked decisions, redundant executions of the known gap
/// of `sim/tests/differential.rs`, not missed classes), fixed 290.
#[test]
fn dpor_explores_nodes_and_couriers_without_infeasible_steps() {
    use ReplicaReadLagVariant::{Buggy, Fixed};
    for (variant, scale, executions, failures) in [
        (Buggy, Scale::Minimal, 29, 8),
        (Fixed, Scale::Minimal, 18, 0),
        (Buggy, Scale::Full, 632, 222),
        (Fixed, Scale::Full, 290, 0),
    ] {
        let (explored, stats) = dpor(variant, scale);
        let what = format!("{variant:?} {scale:?}: {stats:?}");
        assert_eq!(explored.executions, executions, "{what}");
        assert_eq!(explored.failures, failures, "{what}");
        assert_eq!(stats.infeasible, 0, "{what}");
        if scale == Scale::Minimal || variant == Fixed {
            assert_eq!(stats.sleep_blocked, 0, "{what}");
        }
    }
}

/// Every stale read PCT samples in 10,000 executions of the full workload, DPOR's exhaustive
/// exploration reaches too: a read of 0 after `Write(1)` returned, and a read of 1 after
/// `Write(2)` returned.
#[test]
fn dpor_reaches_every_stale_read_pct_reaches() {
    let (by_dpor, _) = dpor(ReplicaReadLagVariant::Buggy, Scale::Full);
    let by_pct = explore(
        Box::new(Pct::new(3)),
        ReplicaReadLagVariant::Buggy,
        Scale::Full,
        10_000,
    );
    assert!(by_pct.failures > 0);
    assert!(
        by_pct.stale_reads.is_subset(&by_dpor.stale_reads),
        "PCT: {:#?}\nDPOR: {:#?}",
        by_pct.stale_reads,
        by_dpor.stale_reads
    );
    assert_eq!(by_dpor.stale_reads.len(), 2, "{:#?}", by_dpor.stale_reads);
    assert!(by_dpor
        .stale_reads
        .iter()
        .any(|s| s.contains("! Read -> Value(1)")));
}

#[test]
fn every_execution_passes_the_determinism_self_check() {
    use ReplicaReadLagVariant::{Buggy, Fixed};
    canary::assert_fixed_passes_the_self_check::<ReplicaReadLag>(
        Fixed,
        StrategyKind::Dpor,
        100_000,
    );
    // The buggy register still fails its oracle, not the self-check.
    canary::assert_buggy_fails_its_oracle_not_the_self_check::<ReplicaReadLag>(
        Buggy,
        LINEARIZABLE,
        StrategyKind::Dpor,
        100_000,
    );
}

/// No fault budget: `check --all` proves the fixed register with DPOR and hunts the buggy one
/// with the hunt (ICB and DPOR in alternation); tokio has a row per variant, loom and shuttle none.
#[test]
fn check_all_proves_it_with_dpor_and_runs_it_on_sim_and_tokio() {
    let rows = canary::rows(SCENARIO);
    assert_eq!(rows.len(), 6, "two sim rows and a tokio row per variant");
    for variant in ["buggy", "fixed"] {
        let backends: Vec<Backend> = rows
            .iter()
            .filter(|p| p.variant().name == variant)
            .map(|p| p.backend().backend())
            .collect();
        assert_eq!(backends, [Backend::Sim, Backend::Sim, Backend::Tokio]);
    }
    let exhaustive = |variant: &str| -> Vec<Search> {
        rows.iter()
            .filter(|p| p.variant().name == variant)
            .filter_map(|p| match p.backend() {
                BackendPlan::Sim { search, .. } => Some(*search),
                _ => None,
            })
            .collect()
    };
    assert!(
        exhaustive("fixed").contains(&Search::Dpor),
        "{:?}",
        exhaustive("fixed")
    );
    assert!(
        exhaustive("buggy").contains(&Search::Hunt { max_bound: None }),
        "{:?}",
        exhaustive("buggy")
    );
}

/// loom refuses it first for its tasks (13, loom has 5 threads) and would for its nodes;
/// shuttle for its nodes. One line each.
#[test]
fn loom_and_shuttle_refuse_it_with_one_line() {
    let info = info();
    let few_tasks: &'static Info = Box::leak(Box::new(Info {
        max_tasks: 5,
        ..*info
    }));
    canary::assert_refusals(
        SCENARIO,
        &[
            (Backend::Loom, info, Unfit::TooManyTasks { tasks: 13 }),
            (Backend::Loom, few_tasks, Unfit::Nodes),
            (Backend::Shuttle, info, Unfit::Nodes),
        ],
    );
}

/// tokio runs nodes as task groups and takes a scenario without a fault budget: the fixed
/// register passes every run; the buggy one fails the oracle or, as a stress run may, is not
/// observed (measured: not observed in 1,000 runs, the reader's read almost always starting
/// before the write's acknowledgement).
#[test]
fn tokio_runs_it_as_a_stress_test() {
    let info = info();
    assert!(Backend::Tokio.fits(info).is_ok());
    let fixed = run(&Plan::tokio(info, &info.variants[1], 50).unwrap()).unwrap();
    assert_eq!(fixed.verdict(), Verdict::Expected, "{:?}", fixed.finding);
    let buggy = run(&Plan::tokio(info, &info.variants[0], 50).unwrap()).unwrap();
    assert!(buggy.verdict().is_ok(), "{:?}", buggy.finding);
    if let Some(f) = &buggy.finding {
        assert_eq!(f.oracle, Some(LINEARIZABLE), "{f:?}");
    }
}
