//! Nodes under the simulator: a crash drops the node's tasks where they are (what they sent
//! stays), a restart runs a fresh incarnation, a pause delays the node's tasks and timers, and
//! each node reads its own clocks.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::node::{Clocks, NodeSpec};
use weft_core::sync::mpsc;
use weft_core::{FailureKind, Fault, Runtime};
use weft_sim::{Config, Sim, SimRuntime, StrategyKind};

const SEC: Duration = Duration::from_secs(1);

/// A node sends `a`, sleeps, would send `b` and count; the root crashes it once `a` arrived.
/// In every execution `a` is delivered, `b` never is, and the count stays 0.
#[test]
fn a_crash_drops_the_tasks_where_they_are_and_keeps_what_they_sent() {
    Sim::new(Config::default().iterations(200)).check(|rt: SimRuntime| async move {
        let after = Arc::new(AtomicU32::new(0));
        let (tx, mut rx) = mpsc::unbounded::<_, char>(&rt);
        let spec = {
            let (rt, after) = (rt, after.clone());
            NodeSpec::new("s1", move || {
                let (tx, after) = (tx.clone(), after.clone());
                Box::pin(async move {
                    tx.send('a').unwrap();
                    rt.sleep(10 * SEC).await;
                    tx.send('b').unwrap();
                    after.fetch_add(1, Ordering::SeqCst);
                })
            })
        };
        let s1 = rt.start_node(spec);
        assert_eq!(rx.recv().await, Some('a'));
        rt.crash(s1);
        rt.sleep(20 * SEC).await;
        assert!(rx.try_recv().is_err(), "nothing after the crash");
        assert_eq!(after.load(Ordering::SeqCst), 0);
    });
}

/// A node that restarts after 5 s runs its start function again as incarnation 2, whose tasks
/// are named `NAME#2`; the trace names the crash and the restart.
#[test]
fn a_restart_runs_a_fresh_incarnation_and_the_trace_says_so() {
    let err = Sim::new(Config::default().iterations(1))
        .run(|rt: SimRuntime| async move {
            let starts = Arc::new(AtomicU32::new(0));
            let spec = {
                let (rt, starts) = (rt, starts.clone());
                NodeSpec::new("s1", move || {
                    let starts = starts.clone();
                    Box::pin(async move {
                        starts.fetch_add(1, Ordering::SeqCst);
                        let h = rt.spawn("worker", async move {
                            rt.sleep(100 * SEC).await;
                        });
                        h.join().await;
                    })
                })
                .restart_after(5 * SEC)
            };
            let s1 = rt.start_node(spec);
            rt.sleep(SEC).await;
            rt.crash(s1);
            rt.sleep(10 * SEC).await;
            let n = starts.load(Ordering::SeqCst);
            rt.fail(Fault::new(FailureKind::Assertion, format!("starts: {n}")));
        })
        .unwrap_err();
    let f = err.failure().unwrap();
    assert_eq!(f.message, "starts: 2");
    let trace = f.trace_report();
    assert!(trace.contains("node s1 crashed at step"), "{trace}");
    assert!(
        trace.contains("node s1 restarted (incarnation 2)"),
        "{trace}"
    );
    assert!(f.tasks.iter().any(|t| t == "s1#2"), "{:?}", f.tasks);
    assert!(f.tasks.iter().any(|t| t == "worker#2"), "{:?}", f.tasks);
}

/// A node paused for 5 s at time 0: its runnable task first runs at 5 s, and its 1 s timer
/// fires late, at 5 s too.
#[test]
fn a_pause_delays_the_nodes_tasks_and_timers() {
    Sim::new(Config::default().iterations(50)).check(|rt: SimRuntime| async move {
        let seen = Arc::new(StdMutex::new(Vec::new()));
        let spec = {
            let (rt, seen) = (rt, seen.clone());
            NodeSpec::new("s1", move || {
                let seen = seen.clone();
                Box::pin(async move {
                    seen.lock().unwrap().push(rt.now().since_epoch());
                    rt.sleep(SEC).await;
                    seen.lock().unwrap().push(rt.now().since_epoch());
                })
            })
        };
        let s1 = rt.start_node(spec);
        rt.pause(s1, 5 * SEC);
        rt.sleep(10 * SEC).await;
        assert_eq!(*seen.lock().unwrap(), [5 * SEC, 6 * SEC]);
    });
    // A timer armed before the pause fires late.
    Sim::new(Config::default().iterations(50)).check(|rt: SimRuntime| async move {
        let woke = Arc::new(StdMutex::new(None));
        let spec = {
            let (rt, woke) = (rt, woke.clone());
            NodeSpec::new("s1", move || {
                let woke = woke.clone();
                Box::pin(async move {
                    rt.sleep(SEC).await;
                    *woke.lock().unwrap() = Some(rt.now().since_epoch());
                })
            })
        };
        let s1 = rt.start_node(spec);
        rt.sleep(SEC / 2).await;
        rt.pause(s1, 5 * SEC);
        rt.sleep(10 * SEC).await;
        assert_eq!(*woke.lock().unwrap(), Some(SEC / 2 + 5 * SEC));
    });
}

/// A node's wall clock is `offset + (1 + drift)·τ` and its monotonic clock
/// `(1 + drift)·(τ − start)`; outside a node both are exact.
#[test]
fn a_node_reads_its_own_offset_and_drifted_clocks() {
    Sim::new(Config::default().iterations(5)).check(|rt: SimRuntime| async move {
        let read = Arc::new(StdMutex::new(None));
        rt.sleep(2 * SEC).await;
        let spec = {
            let (rt, read) = (rt, read.clone());
            NodeSpec::new("s1", move || {
                let read = read.clone();
                Box::pin(async move {
                    rt.sleep(10 * SEC).await;
                    *read.lock().unwrap() = Some((rt.wall_now(), rt.local_now()));
                })
            })
            .clocks(Clocks {
                offset_ns: -3_000_000_000,
                drift_ppm: 1000,
            })
        };
        rt.start_node(spec);
        rt.sleep(20 * SEC).await;
        let (wall, local) = read.lock().unwrap().unwrap();
        // τ = 12 s: wall = -3 s + 12.012 s; monotonic = 10 s · 1.001.
        assert_eq!(wall.0, 9_012_000_000);
        assert_eq!(local.since_epoch(), Duration::from_millis(10_010));
        assert_eq!(rt.wall_now().0, 22_000_000_000);
    });
}

/// Clocks chosen from the spec's declared set (§7.2) are a data choice: DFS runs each of the
/// nine offset and drift pairs.
#[test]
fn dfs_runs_every_declared_clock() {
    let seen = Arc::new(StdMutex::new(BTreeSet::new()));
    let s = seen.clone();
    let report = Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(1000),
    )
    .check(move |rt: SimRuntime| {
        let s = s.clone();
        async move {
            let spec = NodeSpec::new("s1", move || {
                let s = s.clone();
                Box::pin(async move {
                    s.lock().unwrap().insert((rt.wall_now().0, rt.local_now()));
                })
            })
            .clocks_from(Clocks::spec_set(SEC));
            rt.sleep(SEC).await;
            rt.start_node(spec);
        }
    });
    assert_eq!(report.exhausted, Some(true));
    assert_eq!(report.executions, 9);
    let seen = seen.lock().unwrap();
    let walls: BTreeSet<i128> = seen.iter().map(|(w, _)| *w).collect();
    // τ = 1 s; offsets 0, ±(1 s + 1 ns); drifts 0, ±1e-3.
    assert_eq!(walls.len(), 9, "{seen:?}");
    assert!(walls.contains(&(1_000_000_000 + 1_000_000 + 1_000_000_001)));
}
