//! A spin loop inside one step (no `.await`, but weft operations) fails as a step-bound
//! failure naming the task and the repeating site, instead of hanging.

#![allow(clippy::disallowed_methods)] // a generous wall-time bound on "quickly", as issue 10 asks

use std::sync::Arc;
use std::time::{Duration, Instant};

use weft_core::sync::{CancellationToken, SharedCell};
use weft_core::{FailureKind, Runtime};
use weft_sim::{Config, Failure, Sim, SimRuntime};

fn failure(config: Config, body: impl Fn(SimRuntime) -> BoxedBody) -> Failure {
    let err = Sim::new(config.iterations(10)).run(body).unwrap_err();
    err.failure().expect("a failure").clone()
}

type BoxedBody = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// `while !token.is_cancelled() {}` in a task: nobody cancels, and the loop never awaits.
fn token_spin(rt: SimRuntime) -> BoxedBody {
    Box::pin(async move {
        let token = CancellationToken::new(&rt);
        let t = token.clone();
        let h = rt.spawn("spinner", async move {
            while !t.is_cancelled() {} // SPIN SITE
        });
        h.join().await;
    })
}

fn spin_line() -> u32 {
    let src = include_str!("spin.rs");
    1 + src
        .lines()
        .position(|l| l.ends_with(concat!("// SPIN", " SITE")))
        .unwrap() as u32
}

#[test]
fn a_sync_spin_on_a_token_fails_as_step_bound_naming_task_and_site() {
    let start = Instant::now();
    let f = failure(Config::default(), token_spin);
    let took = start.elapsed();
    assert_eq!(f.kind, FailureKind::StepBound, "{f}");
    assert_eq!(f.task, "spinner", "{f}");
    let site = format!("spin.rs:{}", spin_line());
    assert!(
        f.message.contains("cancel.is_cancelled") && f.message.contains(&site),
        "the message names the operation and its site {site}: {}",
        f.message
    );
    assert!(f.message.contains("WEFT_MAX_STEP_OPS"), "{}", f.message);
    // Generous: the default bound is a million operations, run twice (explore, then replay
    // for the report) in a debug build on a shared machine.
    assert!(took < Duration::from_secs(60), "took {took:?}");
    // The report of a million-operation step still fits a screen.
    assert!(
        f.to_string().len() < 64 * 1024,
        "{} bytes",
        f.to_string().len()
    );
}

#[test]
fn a_sync_spin_on_a_shared_cell_is_caught_by_a_small_bound() {
    let f = failure(Config::default().max_step_ops(1000), |rt| {
        Box::pin(async move {
            let cell = Arc::new(SharedCell::new(&rt, 0u32));
            let c = cell.clone();
            let h = rt.spawn("poller", async move { while c.get() == 0 {} });
            h.join().await;
        })
    });
    assert_eq!(f.kind, FailureKind::StepBound, "{f}");
    assert_eq!(f.task, "poller", "{f}");
    assert!(f.message.contains("shared_cell.read"), "{}", f.message);
    assert!(
        f.message.contains("more than 1000 weft operations"),
        "{}",
        f.message
    );
}

/// Many operations in one step, then an end: a bound above them passes, one below fails.
async fn busy_step(rt: SimRuntime) {
    let token = CancellationToken::new(&rt);
    let mut seen = 0;
    for _ in 0..500 {
        seen += usize::from(token.is_cancelled());
    }
    assert_eq!(seen, 0);
    rt.yield_now().await;
}

#[test]
fn the_bound_counts_operations_since_the_last_scheduling_point() {
    Sim::new(Config::default().iterations(3).max_step_ops(600)).check(busy_step);
    let err = Sim::new(Config::default().iterations(3).max_step_ops(400))
        .run(busy_step)
        .unwrap_err();
    assert_eq!(err.failure().unwrap().kind, FailureKind::StepBound);
}

/// The counter restarts at every scheduling point: 500 operations per step over many steps
/// are fine under a bound of 600.
#[test]
fn operations_across_steps_do_not_add_up() {
    Sim::new(Config::default().iterations(3).max_step_ops(600)).check(|rt| async move {
        for _ in 0..20 {
            busy_step(rt).await;
        }
    });
}
