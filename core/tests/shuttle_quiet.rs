//! A failing shuttle check prints nothing of shuttle's own: the failure reaches the caller as
//! one panic whose message carries the seed. Each case runs this test binary again as a child
//! (`--exact <case> --nocapture`, so nothing is captured) and reads the child's stderr.

mod support;

use std::process::Command;
use std::sync::Arc;

use support::catch::found;
use weft_core::backend::shuttle::{check_random, try_check_pct, try_check_random, ShuttleRuntime};
use weft_core::sync::{Mutex, Notify};
use weft_core::{FailureKind, Runtime};

/// Set in the child: run the case instead of spawning.
const CHILD: &str = "WEFT_SHUTTLE_QUIET_CHILD";

/// Text only shuttle writes.
const SHUTTLE_TEXT: [&str; 7] = [
    "failing seed",
    "failing schedule",
    "test panicked in task",
    "Task failed",
    "Test deadlocked",
    "ExecutionState",
    "shuttle::replay",
];

/// Runs case `name` in a child and returns its stderr, asserting the case passed there.
fn stderr_of_child(name: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--test-threads", "1"])
        .env(CHILD, "1")
        .output()
        .expect("run the test binary again");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child {name} failed: {stdout}\n{stderr}"
    );
    stderr
}

fn assert_quiet(name: &str) {
    let stderr = stderr_of_child(name);
    for text in SHUTTLE_TEXT {
        assert!(!stderr.contains(text), "shuttle wrote {text:?}:\n{stderr}");
    }
}

async fn panics_in_a_task(rt: ShuttleRuntime) {
    let m = Arc::new(Mutex::new(&rt, 0u32));
    let m2 = m.clone();
    let t = rt.spawn("worker", async move {
        *m2.lock().await += 1;
        panic!("the failure under test");
    });
    *m.lock().await += 1;
    t.join().await;
}

async fn lock_order_deadlock(rt: ShuttleRuntime) {
    let a = Arc::new(Mutex::new(&rt, 0u32));
    let b = Arc::new(Mutex::new(&rt, 0u32));
    let (a2, b2, rt2) = (a.clone(), b.clone(), rt.clone());
    let t = rt.spawn("t", async move {
        let _gb = b2.lock().await;
        rt2.yield_now().await;
        let _ga = a2.lock().await;
    });
    {
        let _ga = a.lock().await;
        rt.yield_now().await;
        let _gb = b.lock().await;
    }
    t.join().await;
}

async fn never_notified(rt: ShuttleRuntime) {
    let n = Arc::new(Notify::new(&rt));
    let n2 = n.clone();
    rt.spawn("waiter", async move { n2.notified().await })
        .join()
        .await;
}

async fn leaks_a_waiter(rt: ShuttleRuntime) {
    let n = Arc::new(Notify::new(&rt));
    drop(rt.spawn("waiter", async move { n.notified().await }));
}

#[test]
fn a_task_panic_is_one_weft_report_with_its_seed() {
    if std::env::var_os(CHILD).is_none() {
        return assert_quiet("a_task_panic_is_one_weft_report_with_its_seed");
    }
    let (kind, msg) = found(try_check_random(panics_in_a_task, 7, 50)).expect("fails");
    assert_eq!(kind, FailureKind::Panic, "{msg}");
    assert!(msg.contains("the failure under test"), "{msg}");
    assert!(msg.contains("seed 7"), "{msg}");
    assert!(msg.contains("failing execution 1"), "{msg}");
}

#[test]
fn a_deadlock_is_weft_s_report_not_shuttle_s() {
    if std::env::var_os(CHILD).is_none() {
        return assert_quiet("a_deadlock_is_weft_s_report_not_shuttle_s");
    }
    let (kind, msg) = found(try_check_pct(lock_order_deadlock, 3, 200, 3)).expect("fails");
    assert_eq!(kind, FailureKind::Deadlock, "{msg}");
    assert!(msg.contains("blocked tasks: ["), "{msg}");
    assert!(msg.contains("seed 3"), "{msg}");
}

#[test]
fn a_task_waiting_forever_is_a_deadlock() {
    if std::env::var_os(CHILD).is_none() {
        return assert_quiet("a_task_waiting_forever_is_a_deadlock");
    }
    let (kind, msg) = found(try_check_random(never_notified, 1, 5)).expect("fails");
    assert_eq!(kind, FailureKind::Deadlock, "{msg}");
    assert!(msg.contains("blocked tasks: [main, waiter]"), "{msg}");
}

#[test]
fn a_task_blocked_after_the_root_returned_is_a_leak() {
    if std::env::var_os(CHILD).is_none() {
        return assert_quiet("a_task_blocked_after_the_root_returned_is_a_leak");
    }
    let (kind, msg) = found(try_check_random(leaks_a_waiter, 1, 5)).expect("fails");
    assert_eq!(kind, FailureKind::Leak, "{msg}");
    assert!(msg.contains("blocked tasks: [waiter]"), "{msg}");
}

/// shuttle's panic hook, once installed, wrote two lines for every panic of the process, on
/// any thread: here, a plain panic after a shuttle check.
#[test]
fn a_later_panic_elsewhere_prints_nothing_of_shuttle() {
    if std::env::var_os(CHILD).is_none() {
        return assert_quiet("a_later_panic_elsewhere_prints_nothing_of_shuttle");
    }
    check_random(|_rt| async {}, 1, 1);
    let got = std::panic::catch_unwind(|| panic!("an ordinary panic"));
    assert!(got.is_err());
}
