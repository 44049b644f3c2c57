//! Optimal DPOR (`StrategyKind::Dpor`): one execution per trace class on programs whose class
//! counts are known, and the bugs DFS finds are still found.

use std::sync::Arc;
use std::time::Duration;

use weft_core::sync::{Atomic, Mutex, Notify};
use weft_core::{FailureKind, Runtime};
use weft_sim::{Config, Report, Sim, SimRuntime, StrategyKind};

fn dpor() -> Sim {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Dpor)
            .iterations(1_000_000)
            .summary(false),
    )
}

fn explore<F, Fut>(body: F) -> Report
where
    F: Fn(SimRuntime) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let report = dpor().run(body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.exhausted, Some(true), "{report:?}");
    report
}

/// `tasks` tasks each lock one mutex `increments` times; the root joins them all (the
/// benches' `weft_mutex_counter`, inlined).
async fn mutex_counter(rt: SimRuntime, tasks: usize, increments: usize) {
    let m = Arc::new(Mutex::new(&rt, 0usize));
    let mut hs = Vec::with_capacity(tasks);
    for i in 0..tasks {
        let m = m.clone();
        hs.push(rt.spawn(&format!("t{i}"), async move {
            for _ in 0..increments {
                *m.lock().await += 1;
            }
        }));
    }
    for h in hs {
        h.join().await;
    }
    assert_eq!(*m.lock().await, tasks * increments);
}

/// 3 tasks x 2 increments: the six critical sections in any order that keeps each task's two
/// in program order, 6!/(2!2!2!) = 90 classes (plain DFS needs 92,330 executions).
#[test]
fn mutex_counter_3x2_has_90_classes() {
    assert_eq!(explore(|rt| mutex_counter(rt, 3, 2)).executions, 90);
}

#[test]
fn mutex_counter_small_counts() {
    assert_eq!(explore(|rt| mutex_counter(rt, 1, 3)).executions, 1);
    assert_eq!(explore(|rt| mutex_counter(rt, 2, 1)).executions, 2);
    assert_eq!(explore(|rt| mutex_counter(rt, 2, 2)).executions, 6);
    assert_eq!(explore(|rt| mutex_counter(rt, 3, 1)).executions, 6);
}

/// The first failure DPOR finds in `body`.
fn failure<F, Fut>(body: F) -> weft_sim::Failure
where
    F: Fn(SimRuntime) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    match dpor().run(body) {
        Ok(report) => panic!("no failure found: {report:?}"),
        Err(e) => e.failure().cloned().unwrap_or_else(|| panic!("{e}")),
    }
}

/// Spawns `a` and `b` and joins them.
async fn both<A, B>(rt: &SimRuntime, a: A, b: B)
where
    A: std::future::Future<Output = ()> + Send + 'static,
    B: std::future::Future<Output = ()> + Send + 'static,
{
    let ha = rt.spawn("a", a);
    let hb = rt.spawn("b", b);
    ha.join().await;
    hb.join().await;
}

#[test]
fn two_writers_of_one_cell_have_two_classes() {
    let report = explore(|rt| async move {
        let x = Arc::new(Atomic::new(&rt, 0u32));
        let (xa, xb) = (x.clone(), x.clone());
        both(&rt, async move { xa.store(1).await }, async move {
            xb.store(2).await
        })
        .await;
        assert!(x.peek() > 0);
    });
    assert_eq!(report.executions, 2);
}

#[test]
fn writers_of_disjoint_cells_have_one_class() {
    let report = explore(|rt| async move {
        let (x, y) = (
            Arc::new(Atomic::new(&rt, 0u32)),
            Arc::new(Atomic::new(&rt, 0u32)),
        );
        let (xa, yb) = (x.clone(), y.clone());
        both(&rt, async move { xa.store(1).await }, async move {
            yb.store(2).await
        })
        .await;
    });
    assert_eq!(report.executions, 1);
}

#[test]
fn readers_only_have_one_class() {
    let report = explore(|rt| async move {
        let x = Arc::new(Atomic::new(&rt, 7u32));
        let (xa, xb) = (x.clone(), x.clone());
        both(
            &rt,
            async move {
                assert_eq!(xa.load().await, 7);
                assert_eq!(xa.load().await, 7);
            },
            async move {
                assert_eq!(xb.load().await, 7);
            },
        )
        .await;
    });
    assert_eq!(report.executions, 1);
}

/// Each of the three values of a's choice meets both orders of the two stores: 3 x 2.
#[test]
fn a_choice_times_a_race_is_the_sum_over_values() {
    let report = explore(|rt| async move {
        let x = Arc::new(Atomic::new(&rt, 0usize));
        let (xa, xb) = (x.clone(), x.clone());
        let ra = rt;
        both(
            &rt,
            async move {
                let v = ra.choose(3);
                xa.store(v).await;
            },
            async move { xb.store(9).await },
        )
        .await;
    });
    assert_eq!(report.executions, 6);
}

/// A sleeping task's timer and another task's store touch nothing in common: one class.
#[test]
fn a_timer_and_an_unrelated_task_have_one_class() {
    let report = explore(|rt| async move {
        let (x, y) = (
            Arc::new(Atomic::new(&rt, 0u32)),
            Arc::new(Atomic::new(&rt, 0u32)),
        );
        let (xa, yb) = (x.clone(), y.clone());
        let ra = rt;
        both(
            &rt,
            async move {
                ra.sleep(Duration::from_secs(1)).await;
                xa.store(1).await;
            },
            async move { yb.store(2).await },
        )
        .await;
    });
    assert_eq!(report.executions, 1);
}

/// Two tasks take two locks in opposite orders: DPOR finds the deadlock.
#[test]
fn abba_locks_deadlock() {
    let f = failure(|rt| async move {
        let (p, q) = (Arc::new(Mutex::new(&rt, ())), Arc::new(Mutex::new(&rt, ())));
        let (pa, qa, pb, qb) = (p.clone(), q.clone(), p.clone(), q.clone());
        both(
            &rt,
            async move {
                let _p = pa.lock().await;
                let _q = qa.lock().await;
            },
            async move {
                let _q = qb.lock().await;
                let _p = pb.lock().await;
            },
        )
        .await;
    });
    assert_eq!(f.kind, FailureKind::Deadlock, "{f}");
}

/// The waiter checks a flag, then (after a scheduling point) waits; the setter sets it and
/// wakes the waiters present: when the wakeup comes between the check and the wait, it is
/// lost. (Without the yield, the check and the creation of the `Notified` are one step.) The
/// setter is spawned first, so the first execution runs it first: the bug needs a reversal.
#[test]
fn a_notify_waiters_between_check_and_wait_is_lost() {
    let f = failure(|rt| async move {
        let flag = Arc::new(Atomic::new(&rt, false));
        let n = Arc::new(Notify::new(&rt));
        let (fw, nw, fs, ns) = (flag.clone(), n.clone(), flag.clone(), n.clone());
        let rw = rt;
        both(
            &rt,
            async move {
                fs.store(true).await;
                ns.notify_waiters();
            },
            async move {
                if !fw.load().await {
                    rw.yield_now().await;
                    nw.notified().await;
                }
            },
        )
        .await;
    });
    assert_eq!(f.kind, FailureKind::Deadlock, "{f}");
}
