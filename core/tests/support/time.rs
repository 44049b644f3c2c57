//! `timeout` and `interval` semantics, written once and run on every backend.
//!
//! Exact instants are asserted only where the clock is exact (the simulator's virtual time);
//! elsewhere the checks are what every backend guarantees: a timeout never reports `Elapsed`
//! before its deadline, and ticks return their scheduled instants, never early.

use std::time::Duration;

use weft_core::time::{interval, timeout, Elapsed};
use weft_core::Runtime;

fn exact_clock<R: Runtime>(rt: &R) -> bool {
    rt.backend_name() == "sim"
}

const MS: Duration = Duration::from_millis(1);

/// A timeout of 5 ms on a 10 ms sleep elapses (at exactly 5 ms under the simulator); under
/// loom and shuttle either outcome may happen, but never before its time.
pub async fn timeout_semantics<R: Runtime>(rt: R) {
    let t0 = rt.now();
    let got = timeout(&rt, 5 * MS, rt.sleep(10 * MS)).await;
    let waited = rt.now() - t0;
    match got {
        Err(Elapsed) => assert!(waited >= 5 * MS, "elapsed early: {waited:?}"),
        Ok(()) => assert!(waited >= 10 * MS, "inner sleep ended early: {waited:?}"),
    }
    if exact_clock(&rt) {
        assert_eq!(got, Err(Elapsed));
        assert_eq!(waited, 5 * MS, "elapses at the deadline exactly");
    }

    // A ready future wins even against a zero deadline.
    assert_eq!(timeout(&rt, Duration::ZERO, async { 7 }).await, Ok(7));

    // An inner future that completes first returns its output, at its own time.
    let t0 = rt.now();
    let got = timeout(&rt, 10 * MS, rt.sleep(5 * MS)).await;
    if exact_clock(&rt) {
        assert_eq!(got, Ok(()));
        assert_eq!(rt.now() - t0, 5 * MS);
    }
}

/// Ticks at start, start + p, start + 2p; the first at once; missed ticks burst.
pub async fn interval_semantics<R: Runtime>(rt: R) {
    let p = 3 * MS;
    let before = rt.now();
    let mut iv = interval(&rt, p);
    assert_eq!(iv.period(), p);
    // The schedule starts when the interval is created (the same instant as `before` where
    // the clock is exact).
    let t0 = iv.tick().await;
    assert!(t0 >= before);
    if exact_clock(&rt) {
        assert_eq!(
            (t0, rt.now()),
            (before, before),
            "the first tick is at once"
        );
    }
    for n in 1..3u32 {
        let tick = iv.tick().await;
        assert_eq!(tick, t0 + p * n, "tick {n} is scheduled at start + {n}p");
        assert!(rt.now() >= tick, "tick {n} completed early");
        if exact_clock(&rt) {
            assert_eq!(rt.now(), tick, "tick {n} completes at its instant");
        }
    }
    // Fall behind by 3.5 periods: ticks 3, 4 and 5 are overdue and burst out at once.
    rt.sleep(p * 7 / 2).await;
    let late = rt.now();
    for n in 3..6u32 {
        assert_eq!(iv.tick().await, t0 + p * n);
        if exact_clock(&rt) {
            assert_eq!(rt.now(), late, "an overdue tick does not wait");
        }
    }
    assert_eq!(iv.tick().await, t0 + p * 6, "then the schedule resumes");
    // Reset: the next tick is one period from now.
    let reset_at = rt.now();
    iv.reset();
    let tick = iv.tick().await;
    assert!(tick >= reset_at + p);
    if exact_clock(&rt) {
        assert_eq!(tick, reset_at + p);
    }
}

/// Every time check, in one body.
pub async fn all<R: Runtime>(rt: R) {
    timeout_semantics(rt.clone()).await;
    interval_semantics(rt).await;
}
