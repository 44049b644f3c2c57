//! The tokio primitives users port (`watch`, `JoinSet`, `timeout`, `interval`) under weft-sim:
//! the shared bodies with every strategy (DFS to exhaustion where small), and the simulator's
//! own guarantees: exact virtual time, explored timer ties, no leak from aborted tasks.

#[path = "../../core/tests/support/join_set.rs"]
mod join_set;
#[path = "../../core/tests/support/time.rs"]
mod time;
#[path = "../../core/tests/support/watch.rs"]
mod watch;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use weft_core::sync::{mpsc, oneshot};
use weft_core::task::JoinSet;
use weft_core::time::{timeout, Elapsed};
use weft_core::{FailureKind, Instant, Runtime};
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

fn dfs() -> Sim {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(u64::MAX),
    )
}

fn random_and_pct() -> [Sim; 2] {
    [StrategyKind::Random, StrategyKind::Pct { depth: 3 }]
        .map(|s| Sim::new(Config::default().strategy(s).iterations(300)))
}

#[test]
fn watch_behaves_under_every_strategy() {
    for sim in random_and_pct() {
        sim.check(watch::all);
    }
    let dfs = dfs();
    assert_eq!(dfs.check(watch::watch_closed_waits).exhausted, Some(true));
    assert_eq!(
        dfs.check(watch::watch_send_orders_the_receiver).exhausted,
        Some(true)
    );
    assert_eq!(dfs.check(watch::watch_changed_arm).exhausted, Some(true));
}

#[test]
fn join_set_behaves_under_every_strategy() {
    for sim in random_and_pct() {
        sim.check(join_set::all);
    }
    let dfs = dfs();
    assert_eq!(
        dfs.check(join_set::join_set_completion_order).exhausted,
        Some(true)
    );
    assert_eq!(
        dfs.check(join_set::join_set_exit_orders_the_joiner)
            .exhausted,
        Some(true)
    );
    assert_eq!(
        dfs.check(join_set::join_set_abort_all).exhausted,
        Some(true)
    );
    assert_eq!(
        dfs.check(join_set::join_set_abort_orders_the_joiner)
            .exhausted,
        Some(true)
    );
    assert_eq!(
        dfs.check(join_set::join_set_drop_aborts).exhausted,
        Some(true)
    );
}

#[test]
fn time_behaves_under_every_strategy() {
    for sim in random_and_pct() {
        sim.check(time::all);
    }
    assert_eq!(dfs().check(time::all).exhausted, Some(true));
}

/// The example: a 5 s timeout on a 10 s sleep elapses at virtual t+5s.
#[test]
fn timeout_elapses_at_virtual_five_seconds() {
    Sim::new(Config::default()).check(|rt: SimRuntime| async move {
        let got = timeout(
            &rt,
            Duration::from_secs(5),
            rt.sleep(Duration::from_secs(10)),
        )
        .await;
        assert_eq!(got, Err(Elapsed));
        assert_eq!(rt.now(), Instant::from_epoch(Duration::from_secs(5)));
    });
}

/// A message due at the deadline's instant: DFS explores both the timeout and the message.
#[test]
fn timeout_and_inner_at_the_same_instant_are_both_explored() {
    let outcomes = Arc::new(Mutex::new(BTreeSet::new()));
    let seen = outcomes.clone();
    let report = dfs().check(move |rt: SimRuntime| {
        let seen = seen.clone();
        async move {
            let (tx, mut rx) = mpsc::unbounded::<_, u8>(&rt);
            drop(rt.spawn("sender", async move {
                rt.sleep(Duration::from_secs(1)).await;
                let _ = tx.send(1);
            }));
            let got = timeout(&rt, Duration::from_secs(1), rx.recv()).await;
            assert_eq!(rt.now(), Instant::from_epoch(Duration::from_secs(1)));
            seen.lock().unwrap().insert(match got {
                Ok(Some(1)) => "message",
                Err(Elapsed) => "elapsed",
                other => panic!("unexpected {other:?}"),
            });
        }
    });
    assert_eq!(report.exhausted, Some(true));
    let outcomes = outcomes.lock().unwrap();
    assert_eq!(
        *outcomes,
        BTreeSet::from(["elapsed", "message"]),
        "both outcomes"
    );
}

/// Interval ticks at virtual 0, p, 2p.
#[test]
fn interval_ticks_at_virtual_multiples_of_the_period() {
    Sim::new(Config::default()).check(|rt: SimRuntime| async move {
        let p = Duration::from_secs(60);
        let mut iv = weft_core::time::interval(&rt, p);
        for n in 0..3u32 {
            let tick = iv.tick().await;
            assert_eq!(tick, Instant::from_epoch(p * n));
            assert_eq!(rt.now(), tick);
        }
    });
}

/// A task parked forever in a dropped JoinSet is aborted and ends: no leak. The same program
/// without the abort (the task detached) is reported as a leak.
#[test]
fn an_aborted_task_is_not_a_leak() {
    let park = |rt: SimRuntime, parked: oneshot::Sender<SimRuntime, ()>| async move {
        let (_tx, rx) = oneshot::channel::<_, ()>(&rt);
        parked.send(()).unwrap();
        let _ = rx.recv().await;
    };
    let report = dfs().check(move |rt: SimRuntime| async move {
        let mut set = JoinSet::new(&rt);
        let (parked_tx, parked_rx) = oneshot::channel(&rt);
        set.spawn("parked", park(rt, parked_tx));
        parked_rx.recv().await.unwrap();
        // Let the task park before the drop in every schedule.
        rt.sleep(Duration::from_secs(1)).await;
        drop(set);
    });
    assert_eq!(report.exhausted, Some(true));
    let err = Sim::new(Config::default())
        .run(move |rt: SimRuntime| async move {
            let (parked_tx, parked_rx) = oneshot::channel(&rt);
            drop(rt.spawn("parked", park(rt, parked_tx)));
            parked_rx.recv().await.unwrap();
        })
        .unwrap_err();
    assert_eq!(err.failure().unwrap().kind, FailureKind::Leak);
}

/// Tasks that all finish before the first join come back in the order they finished.
#[test]
fn join_next_is_in_virtual_completion_order() {
    dfs().check(|rt: SimRuntime| async move {
        let mut set = JoinSet::new(&rt);
        for (i, ms) in [30u64, 10, 20].into_iter().enumerate() {
            set.spawn(&format!("t{i}"), async move {
                rt.sleep(Duration::from_millis(ms)).await;
                i
            });
        }
        rt.sleep(Duration::from_millis(50)).await;
        let mut order = Vec::new();
        while let Some(r) = set.join_next().await {
            order.push(r.unwrap());
        }
        assert_eq!(order, [1, 2, 0]);
    });
}

/// Without the exit → join_next edge the joiner's read would race the task's write; with it,
/// DFS finds no race in any schedule (checked above); here the unordered read is caught.
#[test]
fn reading_before_join_next_is_a_data_race() {
    let err = dfs()
        .run(|rt: SimRuntime| async move {
            let cell = Arc::new(weft_core::sync::SharedCell::new(&rt, 0u32));
            let mut set = JoinSet::new(&rt);
            let c = cell.clone();
            set.spawn("writer", async move { c.set(1) });
            let _ = cell.get();
            set.join_next().await;
        })
        .unwrap_err();
    assert_eq!(err.failure().unwrap().kind, FailureKind::DataRace);
}
