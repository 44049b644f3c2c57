//! Small programs shared by the strategy tests (`icb.rs`, `hunt.rs`).

#![allow(dead_code)] // each test binary uses part of it

use std::sync::Arc;

use weft_core::sync::Atomic;
use weft_core::Runtime;
use weft_sim::SimRuntime;

/// `tasks` tasks each increment a shared atomic with a load and a separate store (two
/// scheduling points, so an increment can be lost); the root joins them and asserts that
/// none was lost. Losing one needs one preemption (a task preempted between its load and
/// its store).
pub async fn increments(rt: SimRuntime, tasks: u64) {
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
pub async fn stores(rt: SimRuntime, tasks: u64) {
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
pub async fn window(rt: SimRuntime) {
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
