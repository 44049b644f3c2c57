//! Virtual time: long timers cost nothing, and timer order is a decision the strategy explores.

use std::sync::Arc;
use std::time::Duration;

use weft_core::sync::{future_arm, mpsc, select2, Select2, SharedCell};
use weft_core::{FailureKind, Fault, Runtime};
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

#[test]
#[allow(clippy::disallowed_methods)] // measures wall time on purpose
fn an_hour_of_timers_takes_no_wall_time() {
    let start = std::time::Instant::now();
    Sim::new(Config::default().iterations(100)).check(|rt: SimRuntime| async move {
        let t0 = rt.now();
        for _ in 0..60 {
            rt.sleep(Duration::from_secs(60)).await;
        }
        assert_eq!(rt.now() - t0, Duration::from_secs(3600));
    });
    // 100 executions x 60 one-minute timers: well under a second of wall time even in debug.
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn simultaneous_timers_fire_in_every_order_under_dfs() {
    // Two tasks sleep until the same instant, then append their name: DFS sees both orders.
    let orders = Arc::new(std::sync::Mutex::new(std::collections::BTreeSet::new()));
    let seen = orders.clone();
    let report = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(u64::MAX),
    )
    .check(move |rt: SimRuntime| {
        let seen = seen.clone();
        async move {
            let (tx, mut rx) = mpsc::unbounded::<_, char>(&rt);
            for name in ['a', 'b'] {
                let (tx, rt2) = (tx.clone(), rt);
                drop(rt.spawn(&name.to_string(), async move {
                    rt2.sleep(Duration::from_secs(5)).await;
                    tx.send(name).unwrap();
                }));
            }
            drop(tx);
            let mut order = String::new();
            while let Some(n) = rx.recv().await {
                order.push(n);
            }
            seen.lock().unwrap().insert(order);
        }
    });
    assert_eq!(report.exhausted, Some(true));
    let orders = orders.lock().unwrap();
    assert!(orders.contains("ab") && orders.contains("ba"), "{orders:?}");
}

#[test]
fn timeout_versus_message_is_explored() {
    // A select between a message and a timeout at the same instant: DFS finds the timeout win.
    let err = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(u64::MAX),
    )
    .run(|rt: SimRuntime| async move {
        let (tx, mut rx) = mpsc::unbounded::<_, u8>(&rt);
        let rt2 = rt;
        drop(rt.spawn("sender", async move {
            rt2.sleep(Duration::from_secs(1)).await;
            tx.send(1).unwrap();
        }));
        let timer = future_arm(rt.sleep(Duration::from_secs(1)));
        let got = select2(&rt, rx.recv_arm(), timer).await;
        if !matches!(got, Select2::First(Some(1))) {
            rt.fail(Fault::new(FailureKind::Assertion, "timed out"));
        }
    })
    .unwrap_err();
    assert_eq!(err.failure().unwrap().kind, FailureKind::Assertion);
}

#[test]
fn unordered_shared_cell_accesses_are_a_data_race() {
    let err = Sim::new(Config::default()).run(|rt: SimRuntime| async move {
        let cell = Arc::new(SharedCell::new(&rt, 0));
        let c = cell.clone();
        let h = rt.spawn("writer", async move { c.set(1) });
        let _ = cell.get();
        h.join().await;
    });
    let f = err.unwrap_err();
    let f = f.failure().unwrap();
    assert_eq!(f.kind, FailureKind::DataRace, "{f}");
    assert!(
        f.message.contains("task 'writer'") && f.message.contains("task 'main'"),
        "{}",
        f.message
    );
}

/// With `tolerate`, the same race is counted and the execution goes on to the model's own
/// assertions, which still fail it (Go's race detector without `halt_on_error`).
#[test]
fn a_tolerated_data_race_is_counted_and_the_execution_goes_on() {
    let racy = |rt: SimRuntime| async move {
        let cell = Arc::new(SharedCell::new(&rt, 0));
        let c = cell.clone();
        let h = rt.spawn("writer", async move { c.set(1) });
        let _ = cell.get();
        h.join().await;
        assert_eq!(cell.get(), 1, "the write happened");
    };
    let config = Config::default()
        .iterations(50)
        .tolerate(FailureKind::DataRace);
    let report = Sim::new(config.clone()).run(racy).unwrap();
    let [t] = &report.tolerated[..] else {
        panic!("one kind tolerated: {:?}", report.tolerated)
    };
    assert_eq!(t.kind, FailureKind::DataRace);
    assert!(
        t.executions > 0 && t.executions <= 50 && t.findings >= t.executions,
        "{t:?}"
    );
    assert!(t.first.contains("task 'writer'"), "{}", t.first);

    // Tolerating races does not silence the model's assertions.
    let err = Sim::new(config)
        .run(|rt: SimRuntime| async move {
            let cell = Arc::new(SharedCell::new(&rt, 0));
            let c = cell.clone();
            let h = rt.spawn("writer", async move { c.set(1) });
            let _ = cell.get();
            h.join().await;
            assert_eq!(cell.get(), 2, "oracle");
        })
        .unwrap_err();
    let f = err.failure().unwrap();
    assert_eq!(f.kind, FailureKind::Panic, "{f}");
    assert!(f.message.contains("oracle"), "{}", f.message);
}
