//! The hunt (`StrategyKind::Hunt`): ICB and DPOR in alternation. A bug either member finds
//! within `e` of its own executions is found within `2 e + 1` executions; a bug-free space is
//! exhausted as soon as the smaller of the two searches is; the failure keeps ICB's bound.

mod programs;

use std::sync::Arc;

use programs::{increments, stores, window};
use weft_core::sync::Atomic;
use weft_core::Runtime;
use weft_sim::{Config, Report, Sim, SimRuntime, StrategyKind};

/// An order violation behind a noisy tail: `reader` fails if it runs before `writer`, a free
/// choice at bound 0, while four `noise` tasks race on a counter of their own. DPOR reverses
/// the reader/writer race only after every class of the noise's races (it backtracks from
/// the end of the execution); ICB's bound 0 holds only the noise's 24 task orders.
async fn order_behind_noise(rt: SimRuntime) {
    let flag = Arc::new(Atomic::new(&rt, 0u8));
    let counter = Arc::new(Atomic::new(&rt, 0u64));
    let f = flag.clone();
    let writer = rt.spawn("writer", async move { f.store(1).await });
    let reader = rt.spawn("reader", async move {
        assert_eq!(flag.load().await, 1, "read before the write");
    });
    let mut noise = Vec::new();
    for _ in 0..4 {
        let c = counter.clone();
        noise.push(rt.spawn("noise", async move {
            let v = c.load().await;
            c.store(v + 1).await;
        }));
    }
    writer.join().await;
    reader.join().await;
    for n in noise {
        n.join().await;
    }
}

fn sim(strategy: StrategyKind) -> Sim {
    Sim::new(
        Config::default()
            .strategy(strategy)
            .iterations(u64::MAX)
            .summary(false),
    )
}

/// Executions to the first failure (and its preemptions and bound reached).
fn found<Fut>(strategy: StrategyKind, body: impl Fn(SimRuntime) -> Fut) -> (u64, u32, Option<u32>)
where
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let err = sim(strategy).run(body).expect_err("the bug is found");
    let f = err.failure().expect("a failure");
    (f.execution, f.preemptions, f.bound_reached)
}

fn exhaust<Fut>(strategy: StrategyKind, body: impl Fn(SimRuntime) -> Fut) -> Report
where
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let report = sim(strategy).run(body).expect("no bug");
    assert_eq!(report.exhausted, Some(true), "{strategy}");
    report
}

/// The hunt finds the bug of `body` within twice the executions of the faster member (plus
/// the one the other member runs first), and the bound it reports is ICB's as it stood.
fn found_by_either<Fut>(name: &str, body: impl Fn(SimRuntime) -> Fut + Copy)
where
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (icb, ..) = found(StrategyKind::Icb, body);
    let (dpor, ..) = found(StrategyKind::Dpor, body);
    let (hunt, preemptions, bound) = found(StrategyKind::Hunt, body);
    let faster = icb.min(dpor);
    eprintln!("{name}: hunt {hunt}, icb {icb}, dpor {dpor}");
    assert!(
        hunt <= 2 * faster + 1,
        "{name}: hunt {hunt}, icb {icb}, dpor {dpor}"
    );
    // Whichever member found it, no failing schedule has the bound reached's preemptions or
    // fewer.
    if let Some(b) = bound {
        assert!(
            preemptions > b,
            "{name}: {preemptions} preemptions, bound {b}"
        );
    }
}

#[test]
fn a_bug_is_found_within_twice_the_faster_members_executions() {
    found_by_either("increments", |rt| increments(rt, 3));
    found_by_either("window", window);
    found_by_either("order behind noise", order_behind_noise);
}

#[test]
fn a_bug_free_space_is_exhausted_by_the_smaller_search() {
    let icb = exhaust(StrategyKind::Icb, |rt| stores(rt, 3)).executions;
    let dpor = exhaust(StrategyKind::Dpor, |rt| stores(rt, 3)).executions;
    let hunt = exhaust(StrategyKind::Hunt, |rt| stores(rt, 3));
    let smaller = icb.min(dpor);
    eprintln!("stores: hunt {}, icb {icb}, dpor {dpor}", hunt.executions);
    assert!(
        (2 * smaller - 1..=2 * smaller + 1).contains(&hunt.executions),
        "hunt {}, icb {icb}, dpor {dpor}",
        hunt.executions
    );
    assert!(hunt.strategy.starts_with("hunt(icb"), "{}", hunt.strategy);
}

#[test]
fn hunt_parses_and_takes_a_preemption_bound() {
    assert_eq!(StrategyKind::parse("hunt"), Ok(StrategyKind::Hunt));
    assert_eq!(StrategyKind::Hunt.to_string(), "hunt");
    assert!(StrategyKind::Hunt.takes_preemption_bound());
}
