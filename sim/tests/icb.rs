//! Iterative context bounding on real programs: the first failure has the fewest preemptions
//! any failing schedule needs, the failure says how many ([`Failure::preemptions`]) and which
//! bound was fully explored before it ([`Failure::bound_reached`]); without a failure, ICB
//! runs every schedule exactly once (as many executions as exhaustive DFS).

use std::sync::Arc;

use weft_core::sync::Atomic;
use weft_core::Runtime;
use weft_sim::{Config, Failure, Sim, SimRuntime, StrategyKind};

/// `tasks` tasks each increment a shared atomic with a load and a separate store (two
/// scheduling points, so an increment can be lost); the root joins them and asserts that
/// none was lost. Losing one needs one preemption (a task preempted between its load and
/// its store).
async fn increments(rt: SimRuntime, tasks: u64) {
    let a = Arc::new(Atomic::new(&rt, 0u64));
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let a = a.clone();
        handles.push(rt.spawn("inc", async move {
            let v = a.load().await;
            a.store(v + 1).await;
        }));
    }
    for h in handles {
        h.join().await;
    }
    assert_eq!(a.load().await, tasks, "an increment was lost");
}

/// `tasks` tasks each load a shared atomic and store to it: no bug, every schedule passes.
async fn stores(rt: SimRuntime, tasks: u64) {
    let a = Arc::new(Atomic::new(&rt, 0u64));
    for t in 0..tasks {
        let a = a.clone();
        rt.spawn("store", async move {
            let v = a.load().await;
            a.store(v + t).await;
        });
    }
}

/// Task `raise` raises a flag and lowers it; task `watch` reads it twice and fails if it saw
/// it raised and then lowered: `raise` must be preempted between its two stores and `watch`
/// between its two loads, so the bug needs exactly two preemptions.
async fn window(rt: SimRuntime) {
    let flag = Arc::new(Atomic::new(&rt, 0u8));
    let f = flag.clone();
    let raise = rt.spawn("raise", async move {
        f.store(1).await;
        f.store(0).await;
    });
    let watch = rt.spawn("watch", async move {
        let first = flag.load().await;
        let second = flag.load().await;
        assert!(
            !(first == 1 && second == 0),
            "saw the flag raised, then lowered"
        );
    });
    raise.join().await;
    watch.join().await;
}

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

/// Without a failure and without a maximum, ICB runs exactly the schedules exhaustive DFS
/// runs, each once.
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
    let icb = icb(None).run(|rt| stores(rt, 3)).unwrap();
    assert_eq!(dfs.exhausted, Some(true));
    assert_eq!(icb.exhausted, Some(true));
    assert_eq!(icb.executions, dfs.executions);
    assert!(icb.bound_reached.is_some());
}

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
