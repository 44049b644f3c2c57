//! Canaries: deliberately broken programs that every strategy must catch, with the right
//! failure kind, and their correct twins, which must pass. If a canary stops failing, the
//! harness has lost the ability to see that class of bug.

use std::sync::Arc;

use weft_core::sync::{CancellationToken, Mutex, Notify, SharedCell};
use weft_core::{FailureKind, Runtime};
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

const STRATEGIES: [StrategyKind; 3] = [
    StrategyKind::Random,
    StrategyKind::Pct { depth: 3 },
    StrategyKind::Dfs,
];

fn sim(strategy: StrategyKind) -> Sim {
    Sim::new(
        Config::default()
            .strategy(strategy)
            .iterations(2000)
            .max_steps(5_000),
    )
}

fn expect<F, Fut>(kind: FailureKind, body: F)
where
    F: Fn(SimRuntime) -> Fut + Copy,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    for strategy in STRATEGIES {
        let err = sim(strategy)
            .run(body)
            .expect_err(&format!("{strategy} must catch it"));
        let f = err.failure().expect("a failure");
        assert_eq!(f.kind, kind, "{strategy}: {f}");
    }
}

fn pass<F, Fut>(body: F)
where
    F: Fn(SimRuntime) -> Fut + Copy,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    for strategy in STRATEGIES {
        sim(strategy).check(body);
    }
}

// ----- lost update -----------------------------------------------------------------------

async fn lost_update(rt: SimRuntime, locked: bool) {
    let cell = Arc::new(SharedCell::new(&rt, 0u32));
    let lock = Arc::new(Mutex::new(&rt, ()));
    let mut hs = Vec::new();
    for i in 0..2 {
        let (cell, lock) = (cell.clone(), lock.clone());
        hs.push(rt.spawn(&format!("inc-{i}"), async move {
            let _g = if locked {
                Some(lock.lock().await)
            } else {
                None
            };
            let v = cell.get();
            cell.set(v + 1);
        }));
    }
    for h in hs {
        h.join().await;
    }
    assert_eq!(cell.get(), 2);
}

#[test]
fn lost_update_is_a_data_race() {
    expect(FailureKind::DataRace, |rt| lost_update(rt, false));
    pass(|rt| lost_update(rt, true));
}

// ----- deadlock: lock-order inversion ----------------------------------------------------

async fn lock_order(rt: SimRuntime, inverted: bool) {
    let a = Arc::new(Mutex::new(&rt, ()));
    let b = Arc::new(Mutex::new(&rt, ()));
    let (a2, b2) = (a.clone(), b.clone());
    let h = rt.spawn("other", async move {
        if inverted {
            let _y = b2.lock().await;
            let _x = a2.lock().await;
        } else {
            let _x = a2.lock().await;
            let _y = b2.lock().await;
        }
    });
    {
        let _x = a.lock().await;
        let _y = b.lock().await;
    }
    h.join().await;
}

#[test]
fn lock_order_inversion_is_a_deadlock() {
    expect(FailureKind::Deadlock, |rt| lock_order(rt, true));
    pass(|rt| lock_order(rt, false));
}

// ----- lost wakeup -----------------------------------------------------------------------

async fn wakeup(rt: SimRuntime, broadcast: bool) {
    let flag = Arc::new(Mutex::new(&rt, false));
    let notify = Arc::new(Notify::new(&rt));
    let (f2, n2) = (flag.clone(), notify.clone());
    let waiter = rt.spawn("waiter", async move {
        let ready = *f2.lock().await;
        if !ready {
            // Any await between the check and creating the `Notified` opens the window (tokio's
            // docs say to create the `Notified` before the check; `notify_port` does).
            drop(f2.lock().await);
            n2.notified().await;
        }
    });
    *flag.lock().await = true;
    if broadcast {
        // notify_waiters stores no permit and reaches only `Notified`s created before it: a
        // waiter between its check and creating its `Notified` misses it.
        notify.notify_waiters();
    } else {
        notify.notify_one();
    }
    waiter.join().await;
}

#[test]
fn lost_wakeup_is_a_deadlock() {
    expect(FailureKind::Deadlock, |rt| wakeup(rt, true));
    pass(|rt| wakeup(rt, false));
}

// ----- leaked task -----------------------------------------------------------------------

async fn leak(rt: SimRuntime, cancel_on_exit: bool) {
    let token = CancellationToken::new(&rt);
    let t = token.clone();
    drop(rt.spawn("watcher", async move { t.cancelled().await }));
    rt.yield_now().await;
    if cancel_on_exit {
        token.cancel();
    }
}

#[test]
fn forgotten_task_is_a_leak() {
    expect(FailureKind::Leak, |rt| leak(rt, false));
    pass(|rt| leak(rt, true));
}

#[test]
fn declared_daemons_are_not_leaks() {
    Sim::new(Config::default().allow_outlive("watcher")).check(|rt| leak(rt, false));
}

// ----- spin loop -------------------------------------------------------------------------

async fn spin(rt: SimRuntime, someone_sets_it: bool) {
    let flag = Arc::new(Mutex::new(&rt, false));
    if someone_sets_it {
        let f = flag.clone();
        drop(rt.spawn("setter", async move { *f.lock().await = true }));
    }
    while !*flag.lock().await {
        rt.yield_now().await;
    }
}

#[test]
fn spin_without_progress_hits_the_step_bound() {
    expect(FailureKind::StepBound, |rt| spin(rt, false));
    pass(|rt| spin(rt, true));
}

// ----- panics and assertions -------------------------------------------------------------

#[test]
fn a_panicking_task_is_reported_with_its_site() {
    let err = Sim::new(Config::default())
        .run(|rt: SimRuntime| async move {
            let h = rt.spawn("boom", async { panic!("kaboom") });
            h.join().await;
        })
        .unwrap_err();
    let f = err.failure().unwrap();
    assert_eq!(f.kind, FailureKind::Panic);
    assert_eq!(f.task, "boom");
    assert!(
        f.message.contains("kaboom") && f.message.contains("canary.rs"),
        "{}",
        f.message
    );
}
