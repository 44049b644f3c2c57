//! Optimal DPOR (`StrategyKind::Dpor`): one execution per trace class on programs whose class
//! counts are known, and the bugs DFS finds are still found.

use std::sync::Arc;
use std::time::Duration;

use weft_core::sync::{mpsc, Atomic, Mutex, Notify};
use weft_core::time::timeout;
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

/// The outcomes DPOR reaches on `body`, which reports each execution's outcome.
fn outcomes<T, F, Fut>(body: F) -> std::collections::BTreeSet<T>
where
    T: Ord + Send + 'static,
    F: Fn(SimRuntime, Arc<std::sync::Mutex<Option<T>>>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let seen = Arc::new(std::sync::Mutex::new(std::collections::BTreeSet::new()));
    let s = seen.clone();
    explore(move |rt| {
        let slot = Arc::new(std::sync::Mutex::new(None));
        let seen = s.clone();
        let run = body(rt, slot.clone());
        async move {
            run.await;
            if let Some(v) = slot.lock().unwrap().take() {
                seen.lock().unwrap().insert(v);
            }
        }
    });
    Arc::try_unwrap(seen).ok().unwrap().into_inner().unwrap()
}

/// Found by the differential test (seed 67): the root's `timeout` registers its `Notified`
/// in the step after the one that stopped at its point and armed its timer. With the step's
/// first access taken from the last operation reached (the timer's arm), the registration
/// was invisible and the outcome "b is notified, the root times out" was never explored.
#[test]
fn a_timeout_registers_its_notified_in_the_next_step() {
    let seen = outcomes(|rt, out| async move {
        let n = Arc::new(Notify::new(&rt));
        let (n1, n2) = (n.clone(), n.clone());
        let b = rt.spawn("b", async move {
            timeout(&rt, Duration::from_millis(2), n2.notified())
                .await
                .is_ok()
        });
        let _c = rt.spawn("c", async move { n1.notify_one() });
        let root = timeout(&rt, Duration::from_millis(1), n.notified())
            .await
            .is_ok();
        *out.lock().unwrap() = Some((root, b.join().await));
    });
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        [(false, true), (true, false)]
    );
}

/// Found by the differential test (seed 164): with two messages queued, receiving before the
/// second send lets the receiver drop its end first, and the second send fails. A race
/// between a send and a receive is reversible (only a join's with its exit is not).
#[test]
fn a_receive_before_the_second_send_can_close_the_channel() {
    let seen = outcomes(|rt, out| async move {
        let (tx, mut rx) = mpsc::channel(&rt, 2);
        let sender = rt.spawn("sender", async move {
            let first = tx.send(1).await.is_ok();
            let second = tx.send(2).await.is_ok();
            (first, second)
        });
        let _receiver = rt.spawn("receiver", async move {
            let got = rx.recv().await;
            rt.yield_now().await;
            drop(rx);
            got
        });
        *out.lock().unwrap() = Some(sender.join().await);
    });
    assert!(seen.contains(&(true, false)), "{seen:?}");
    assert!(seen.contains(&(true, true)), "{seen:?}");
}

/// Found by the differential test (seed 269): the reversal of the race between the root's
/// send and b's dropping the receiver must not include a's timer, which fires after both (the
/// paper's `notdep` over the whole execution does, and that timer is not due before the send).
#[test]
fn a_timer_that_fires_later_does_not_block_a_reversal() {
    let seen = outcomes(|rt, out| async move {
        let (tx, rx) = mpsc::channel::<_, u32>(&rt, 2);
        let _a = rt.spawn("a", async move {
            let _b = rt.spawn("b", async move { drop(rx) });
            rt.sleep(Duration::from_millis(2)).await;
        });
        *out.lock().unwrap() = Some(tx.send(2).await.is_ok());
    });
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), [false, true]);
}

/// A polling loop that yields between tries: DPOR ends (one class per number of failed tries
/// before the store, and the store's position among them), as DFS does, with fewer executions.
#[test]
fn a_yielding_poll_loop_ends() {
    let body = |rt: SimRuntime| async move {
        let flag = Arc::new(Atomic::new(&rt, false));
        let f = flag.clone();
        let poller = rt.spawn("poller", async move {
            for _ in 0..3 {
                if f.load().await {
                    break;
                }
                rt.yield_now().await;
            }
        });
        let setter = rt.spawn("setter", async move { flag.store(true).await });
        poller.join().await;
        setter.join().await;
    };
    let dpor = explore(body);
    let dfs = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(1_000_000)
            .summary(false),
    )
    .run(body)
    .unwrap();
    assert_eq!(dfs.exhausted, Some(true));
    // The store comes before the first, second or third load, or after all three.
    assert_eq!(dpor.executions, 4, "dfs: {}", dfs.executions);
    assert!(dfs.executions > dpor.executions);
}

/// Found by the differential test (seed 2947): the root's sleep and b's timeout are due at the
/// same instant. When the root's timer fires first, the root's `notify_waiters` wakes b, but b
/// could also have been made runnable by its own due timer, which commutes with the notify:
/// the schedule "b's timer fires, b times out, then the notify" must be explored.
#[test]
fn a_task_woken_by_a_notify_could_have_been_woken_by_its_due_timer() {
    let seen = outcomes(|rt, out| async move {
        let n = Arc::new(Notify::new(&rt));
        let n1 = n.clone();
        let b = rt.spawn("b", async move {
            timeout(&rt, Duration::from_millis(1), n1.notified())
                .await
                .is_ok()
        });
        rt.sleep(Duration::from_millis(1)).await;
        n.notify_waiters();
        *out.lock().unwrap() = Some(b.join().await);
    });
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), [false, true]);
}
