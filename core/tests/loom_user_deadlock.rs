//! A user's deadlock under loom is a weft failure report, not an abort of the test binary.
//!
//! loom finds a deadlock in the park of the last runnable thread; unwinding from there, loom's
//! own destructors panicked again and the process aborted (SIGABRT), losing every other
//! test's result. weft now finds the deadlock first (`backend::loom_park`).
//! `the_binary_survives` runs this binary again with the deadlocking cases and a passing one
//! side by side, and checks that it exits normally and reports all of them.

mod support;

use std::process::Command;
use std::sync::Arc;

use support::catch::found;
use weft_core::backend::loom::{model, model_with, try_model, LoomRuntime};
use weft_core::sync::{Mutex, Notify};
use weft_core::{FailureKind, Runtime};

async fn opposite_order(rt: LoomRuntime) {
    let a = Arc::new(Mutex::new(&rt, 0u32));
    let b = Arc::new(Mutex::new(&rt, 0u32));
    let (a2, b2) = (a.clone(), b.clone());
    let t = rt.spawn("t", async move {
        let _gb = b2.lock().await;
        let _ga = a2.lock().await;
    });
    {
        let _ga = a.lock().await;
        let _gb = b.lock().await;
    }
    t.join().await;
}

async fn never_notified(rt: LoomRuntime) {
    let n = Arc::new(Notify::new(&rt));
    let n2 = n.clone();
    rt.spawn("waiter", async move { n2.notified().await })
        .join()
        .await;
}

async fn leaks_a_waiter(rt: LoomRuntime) {
    let n = Arc::new(Notify::new(&rt));
    drop(rt.spawn("waiter", async move { n.notified().await }));
}

#[test]
#[should_panic(expected = "[weft:deadlock]")]
fn lock_order_deadlock() {
    model(opposite_order);
}

#[test]
fn notify_nobody_sends_is_a_deadlock_naming_the_tasks() {
    let (kind, msg) = found(try_model(never_notified)).expect("deadlocks");
    assert_eq!(kind, FailureKind::Deadlock, "{msg}");
    assert!(msg.contains("blocked tasks: [main, waiter]"), "{msg}");
}

#[test]
fn a_task_blocked_after_the_root_returned_is_a_leak() {
    let (kind, msg) = found(try_model(leaks_a_waiter)).expect("leaks");
    assert_eq!(kind, FailureKind::Leak, "{msg}");
    assert!(msg.contains("blocked tasks: [waiter]"), "{msg}");
}

#[test]
fn a_passing_model_still_passes() {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    model_with(builder, support::primitives::mutex_counts);
}

/// Set in the child run of `the_binary_survives`.
const CHILD: &str = "WEFT_LOOM_DEADLOCK_CHILD";

#[test]
fn the_binary_survives() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        // Every test but this one, in parallel, as a user's `cargo test` runs them.
        .args(["--skip", "the_binary_survives"])
        .env(CHILD, "1")
        .output()
        .expect("run the test binary again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the test binary did not exit normally ({:?}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains("test result: ok. 4 passed"), "{stdout}");
}
