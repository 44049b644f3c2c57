//! Iterative context bounding on real programs: the first failure has the fewest preemptions
//! any failing schedule needs, the failure says how many ([`Failure::preemptions`]) and which
//! bound was fully explored before it ([`Failure::bound_reached`]); without a failure, ICB
//! runs every schedule exactly once (as many executions as exhaustive DFS) when plain, and
//! fewer with partial-order reduction (the default), failing from the same bound.

mod programs;

use programs::{increments, stores, window};
use weft_core::sync::Atomic;
use weft_sim::strategy::Icb;
use weft_sim::{Config, Failure, Sim, SimRuntime, StrategyKind};

fn icb(max_bound: Option<u32>) -> Sim {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Icb)
            .preemption_bound(max_bound)
            .iterations(u64::MAX)
            .summary(false),
    )
}

fn failure<Fut>(sim: &Sim, body: impl Fn(SimRuntime) -> Fut) -> Failure
where
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let err = sim.run(body).expect_err("the bug is found");
    err.failure().expect("a failure").clone()
}

#[test]
fn a_one_preemption_bug_is_found_at_bound_one() {
    let f = failure(&icb(None), |rt| increments(rt, 2));
    assert_eq!(f.preemptions, 1, "{f}");
    assert_eq!(f.bound_reached, Some(0), "{f}");
    let report = f.to_string();
    assert!(report.contains("strategy icb, 1 preemption(s)"), "{report}");
    assert!(report.contains("bound reached 0"), "{report}");
}

#[test]
fn a_two_preemption_bug_is_found_at_bound_two() {
    let f = failure(&icb(None), window);
    assert_eq!(f.preemptions, 2, "{f}");
    assert_eq!(f.bound_reached, Some(1), "{f}");
}

#[test]
fn a_maximum_bound_below_the_bug_passes_and_says_so() {
    let report = icb(Some(1))
        .run(window)
        .expect("no schedule with at most one preemption shows the window");
    assert_eq!(report.exhausted, Some(true));
    assert_eq!(report.bound_reached, Some(1));
    assert_eq!(report.strategy, "icb(max bound 1, bound reached 1)");
}

/// Explores `body` with `strategy` to the end, going on after failures: the report, and how
/// many executions failed.
fn every<Fut>(strategy: Icb, body: impl Fn(SimRuntime) -> Fut) -> (weft_sim::Report, u64)
where
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut failed = 0;
    let sim = Sim::new(Config::default().iterations(u64::MAX).summary(false));
    let report = sim
        .explore_with(Box::new(strategy), body, |ended| {
            failed += u64::from(ended.fault.is_some())
        })
        .unwrap();
    (report, failed)
}

/// Without a failure and without a maximum, plain ICB runs exactly the schedules exhaustive
/// DFS runs, each once; ICB with partial-order reduction (the default) explores the same
/// space to its end and reaches the same bound (here in more executions: it restarts at each
/// of the 7 bounds, each one smaller than plain ICB's; see `benches/checkers.rs`).
#[test]
fn without_a_bug_icb_runs_each_schedule_once() {
    let dfs = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(u64::MAX)
            .summary(false),
    )
    .run(|rt| stores(rt, 3))
    .unwrap();
    let (plain, _) = every(Icb::plain(None), |rt| stores(rt, 3));
    assert_eq!(dfs.exhausted, Some(true));
    assert_eq!(plain.exhausted, Some(true));
    assert_eq!(plain.executions, dfs.executions);
    assert!(plain.bound_reached.is_some());
    let icb = icb(None).run(|rt| stores(rt, 3)).unwrap();
    assert_eq!(icb.exhausted, Some(true));
    assert_eq!(
        icb.bound_reached, plain.bound_reached,
        "{icb:?} vs {plain:?}"
    );
}

/// Bounded POR and plain ICB find the same bugs at the same bound: at each bound below the
/// bug's minimum neither fails, at the minimum both do; POR with fewer executions.
#[test]
fn bounded_por_and_plain_icb_fail_from_the_same_bound() {
    for (minimum, body) in [
        (
            1,
            (|rt| Box::pin(increments(rt, 3))) as fn(SimRuntime) -> Body,
        ),
        (2, |rt| Box::pin(window(rt))),
    ] {
        for b in 0..=minimum {
            let (plain, plain_failed) = every(Icb::plain(Some(b)), body);
            let (por, por_failed) = every(Icb::new(Some(b)), body);
            assert_eq!(plain.bound_reached, Some(b));
            assert_eq!(por.bound_reached, Some(b));
            assert_eq!(plain_failed > 0, b == minimum, "plain ICB at bound {b}");
            assert_eq!(por_failed > 0, b == minimum, "bounded POR at bound {b}");
            assert!(
                por.executions <= plain.executions,
                "bound {b}: {por:?} vs {plain:?}"
            );
        }
    }
}

type Body = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Other strategies count preemptions too: the count is the executor's, from the decisions.
#[test]
fn every_strategy_reports_the_preemptions_of_its_failure() {
    let random = Sim::new(
        Config::default()
            .strategy(StrategyKind::Random)
            .iterations(10_000)
            .summary(false),
    );
    let f = failure(&random, |rt| increments(rt, 2));
    assert!(f.preemptions >= 1, "{f}");
    assert_eq!(f.bound_reached, None);
    // Replaying its schedule gives the same count.
    let replayed = Sim::new(
        Config::default()
            .schedule(f.schedule.clone())
            .summary(false),
    )
    .run(|rt| increments(rt, 2))
    .expect_err("the schedule fails again");
    assert_eq!(replayed.failure().unwrap().preemptions, f.preemptions);
}

/// A failure in the last execution of its bound: the bound reached is the one below it
/// (none here), not the bound the failing execution completed. The runner reads it before
/// closing the execution.
#[test]
fn a_failure_that_ends_its_bound_reports_the_bound_below() {
    let f = failure(&icb(None), |rt| async move {
        let a = Atomic::new(&rt, 1u8);
        assert_eq!(a.load().await, 0, "fails in every schedule");
    });
    assert_eq!(f.preemptions, 0, "{f}");
    assert_eq!(f.bound_reached, None, "{f}");
}
