//! Signals: notify, wait group, cancellation token and barrier, each a waiter's operation
//! conflicting with the signal it waits for on the same object.

use weft_core::sync::{Barrier, CancellationToken, Notify, WaitGroup};

use crate::record::record;

#[test]
fn notify_signals_and_waits_on_one_notify_conflict() {
    let ops = record(|rt| async move {
        let (n, m) = (Notify::new(&rt), Notify::new(&rt));
        n.notify_one();
        n.notified().await;
        n.notify_waiters();
        m.notify_one();
    });
    assert_eq!(
        ops.lines(),
        [
            "notify.notify_one #1 Notify",
            "notify.notified #1 Wait",
            "notify.notified #1 Wait",
            "notify.notify_waiters #1 Notify",
            "notify.notify_one #2 Notify",
        ]
    );
    assert!(ops.conflict(("notify.notify_one", 0), ("notify.notified", 0)));
    assert!(ops.conflict(("notify.notify_one", 0), ("notify.notify_waiters", 0)));
    assert!(!ops.conflict(("notify.notify_one", 0), ("notify.notify_one", 1)));
}

#[test]
fn wait_group_add_conflicts_with_wait_and_dones_commute() {
    let ops = record(|rt| async move {
        let wg = WaitGroup::new(&rt);
        wg.add(2);
        wg.done();
        wg.done();
        wg.wait().await;
    });
    assert_eq!(
        ops.lines(),
        [
            "wait_group.add #1 Add",
            "wait_group.done #1 Release",
            "wait_group.done #1 Release",
            "wait_group.wait #1 Wait",
        ]
    );
    assert!(ops.conflict(("wait_group.add", 0), ("wait_group.wait", 0)));
    assert!(ops.conflict(("wait_group.done", 0), ("wait_group.wait", 0)));
    assert!(ops.conflict(("wait_group.add", 0), ("wait_group.done", 0)));
    assert!(!ops.conflict(("wait_group.done", 0), ("wait_group.done", 1)));
}

#[test]
fn cancel_conflicts_with_observing_and_a_child_shares_its_roots_object() {
    let ops = record(|rt| async move {
        let (root, other) = (CancellationToken::new(&rt), CancellationToken::new(&rt));
        let child = root.child_token();
        assert!(!child.is_cancelled());
        root.cancel();
        child.cancelled().await;
        assert!(!other.is_cancelled());
    });
    assert_eq!(
        ops.lines(),
        [
            "cancel.child_token #1 Observe",
            "cancel.is_cancelled #1 Observe",
            "cancel.cancel #1 Cancel",
            "cancel.cancelled #1 Observe",
            "cancel.is_cancelled #2 Observe",
        ]
    );
    // Cancelling the root changes what observing the child sees.
    assert!(ops.conflict(("cancel.cancel", 0), ("cancel.is_cancelled", 0)));
    assert!(ops.conflict(("cancel.cancel", 0), ("cancel.cancelled", 0)));
    assert!(!ops.conflict(("cancel.is_cancelled", 0), ("cancel.cancelled", 0)));
    assert!(!ops.conflict(("cancel.cancel", 0), ("cancel.is_cancelled", 1)));
}

#[test]
fn barrier_waits_conflict() {
    let ops = record(|rt| async move {
        let (b, c) = (Barrier::new(&rt, 1), Barrier::new(&rt, 1));
        assert!(b.wait().await.is_leader());
        assert!(b.wait().await.is_leader());
        assert!(c.wait().await.is_leader());
    });
    assert_eq!(
        ops.lines(),
        [
            "barrier.wait #1 Wait",
            "barrier.wait #1 Wait",
            "barrier.wait #2 Wait"
        ]
    );
    assert!(ops.conflict(("barrier.wait", 0), ("barrier.wait", 1)));
    assert!(!ops.conflict(("barrier.wait", 0), ("barrier.wait", 2)));
}
