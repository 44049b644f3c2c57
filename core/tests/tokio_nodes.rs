//! Nodes on tokio are task groups: a crash aborts every task of the node (those it spawned
//! too), a restarting node runs a fresh incarnation after its delay, and what tokio cannot
//! make real (a pause, a fault budget) is refused or absent, each refusal one line.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use weft_core::backend::tokio::TokioRuntime;
use weft_core::faults::FaultKind;
use weft_core::node::{Clocks, NodeSpec};
use weft_core::{FailureKind, Runtime};

const SEC: Duration = Duration::from_secs(1);

/// A node whose task and its child each count once a second.
fn ticking(rt: &TokioRuntime, starts: Arc<AtomicU32>, ticks: Arc<AtomicU32>) -> NodeSpec {
    let rt = rt.clone();
    NodeSpec::new("s1", move || {
        let (rt, starts, ticks) = (rt.clone(), starts.clone(), ticks.clone());
        Box::pin(async move {
            starts.fetch_add(1, Ordering::SeqCst);
            // Detached: the crash must abort it as a member of the group.
            let _child = {
                let (rt, ticks) = (rt.clone(), ticks.clone());
                rt.clone().spawn("child", async move {
                    loop {
                        rt.sleep(SEC).await;
                        ticks.fetch_add(1, Ordering::SeqCst);
                    }
                })
            };
            loop {
                rt.sleep(SEC).await;
                ticks.fetch_add(1, Ordering::SeqCst);
            }
        })
    })
}

#[tokio::test(start_paused = true)]
async fn a_crash_aborts_the_nodes_task_group() {
    let rt = TokioRuntime::new();
    let (starts, ticks) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
    let s1 = rt.start_node(ticking(&rt, starts.clone(), ticks.clone()));
    tokio::time::sleep(SEC * 5 + SEC / 2).await;
    let before = ticks.load(Ordering::SeqCst);
    assert!(before >= 8, "both tasks ticked: {before}");
    rt.crash(s1);
    tokio::time::sleep(SEC * 10).await;
    assert_eq!(
        ticks.load(Ordering::SeqCst),
        before,
        "no task of s1 runs after the crash"
    );
    assert_eq!(starts.load(Ordering::SeqCst), 1);
    assert!(rt.faults().is_empty(), "{:?}", rt.faults());
}

#[tokio::test(start_paused = true)]
async fn a_restarting_node_runs_a_fresh_incarnation() {
    let rt = TokioRuntime::new();
    let (starts, ticks) = (Arc::new(AtomicU32::new(0)), Arc::new(AtomicU32::new(0)));
    let spec = ticking(&rt, starts.clone(), ticks.clone()).restart_after(SEC * 3);
    let s1 = rt.start_node(spec);
    tokio::time::sleep(SEC / 2).await;
    rt.crash(s1);
    tokio::time::sleep(SEC * 2).await;
    assert_eq!(starts.load(Ordering::SeqCst), 1);
    tokio::time::sleep(SEC * 2).await;
    assert_eq!(starts.load(Ordering::SeqCst), 2, "incarnation 2 started");
}

#[tokio::test(start_paused = true)]
async fn a_node_reads_its_clocks() {
    let rt = TokioRuntime::new();
    let seen = Arc::new(std::sync::Mutex::new(None));
    let spec = {
        let (rt, seen) = (rt.clone(), seen.clone());
        NodeSpec::new("s1", move || {
            let (rt, seen) = (rt.clone(), seen.clone());
            Box::pin(async move {
                rt.sleep(SEC * 10).await;
                *seen.lock().unwrap() = Some((rt.current_node(), rt.wall_now()));
            })
        })
        .clocks(Clocks {
            offset_ns: 5_000_000_000,
            drift_ppm: 0,
        })
    };
    let s1 = rt.start_node(spec);
    tokio::time::sleep(SEC * 11).await;
    let (node, wall) = seen.lock().unwrap().unwrap();
    assert_eq!(node, Some(s1));
    assert_eq!(wall.0 / 1_000_000_000, 15);
    assert_eq!(rt.current_node(), None);
}

/// tokio injects no faults: no budget, no fault decision, a crash point is a no-op; a pause
/// (which tokio's scheduler cannot make real) fails the task with one line.
#[tokio::test(start_paused = true)]
async fn faults_are_absent_and_a_pause_is_refused_with_one_line() {
    let rt = TokioRuntime::new();
    assert!(rt.budget().is_zero());
    assert_eq!(rt.fault(FaultKind::Loss, 3), None);
    rt.crash_point("anywhere").await;
    let spec = {
        let rt = rt.clone();
        NodeSpec::new("s1", move || {
            let rt = rt.clone();
            Box::pin(async move { rt.sleep(SEC * 100).await })
        })
    };
    let s1 = rt.start_node(spec);
    let r2 = rt.clone();
    let pausing = rt.spawn("pauser", async move { r2.pause(s1, SEC) });
    assert!(pausing.try_join().await.is_err());
    let faults = rt.faults();
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert_eq!(faults[0].kind, FailureKind::Panic);
    let text = faults[0].to_string();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("backend tokio cannot model a pause of node 0"),
        "{text}"
    );
}
