//! Channels: mpsc, oneshot and watch, a send conflicting with a receive on one channel and
//! not on another; watch's reads commute.

use weft_core::sync::{mpsc, oneshot, watch};

use crate::record::record;

#[test]
fn mpsc_sends_and_receives_on_one_channel_conflict_and_on_two_do_not() {
    let ops = record(|rt| async move {
        let (tx, mut rx) = mpsc::channel(&rt, 2);
        let (utx, mut urx) = mpsc::unbounded(&rt);
        tx.send(1).await.unwrap();
        tx.try_send(2).unwrap();
        utx.send(3).unwrap();
        assert_eq!(rx.recv().await, Some(1));
        assert_eq!(urx.try_recv(), Ok(3));
        rx.close();
    });
    assert_eq!(
        ops.lines(),
        [
            "mpsc.send #1 Send",
            "mpsc.try_send #1 Send",
            "mpsc.send #2 Send",
            "mpsc.recv #1 Receive",
            "mpsc.try_recv #2 Receive",
            "mpsc.close #1 Close",
            // Dropped in reverse order of declaration: urx, utx, rx, tx.
            "mpsc.receiver_drop #2 Close",
            "mpsc.sender_drop #2 Close",
            "mpsc.receiver_drop #1 Close",
            "mpsc.sender_drop #1 Close",
        ]
    );
    assert!(ops.conflict(("mpsc.sender_drop", 0), ("mpsc.try_recv", 0)));
    assert!(!ops.conflict(("mpsc.sender_drop", 0), ("mpsc.recv", 0)));
    assert!(ops.conflict(("mpsc.send", 0), ("mpsc.try_send", 0)));
    assert!(!ops.conflict(("mpsc.send", 0), ("mpsc.send", 1)));
    assert!(ops.conflict(("mpsc.send", 0), ("mpsc.recv", 0)));
    assert!(!ops.conflict(("mpsc.recv", 0), ("mpsc.try_recv", 0)));
    assert!(ops.conflict(("mpsc.send", 1), ("mpsc.try_recv", 0)));
    assert!(ops.conflict(("mpsc.close", 0), ("mpsc.send", 0)));
}

#[test]
fn oneshot_send_and_receive_conflict() {
    let ops = record(|rt| async move {
        let (tx, rx) = oneshot::channel(&rt);
        let (other, _keep) = oneshot::channel::<_, u8>(&rt);
        tx.send(1).unwrap();
        assert_eq!(rx.recv().await, Ok(1));
        let _ = other.send(2);
    });
    assert_eq!(
        ops.lines(),
        [
            "oneshot.send #1 Send",
            "oneshot.recv #1 Receive",
            "oneshot.send #2 Send",
        ]
    );
    assert!(ops.conflict(("oneshot.send", 0), ("oneshot.recv", 0)));
    assert!(!ops.conflict(("oneshot.send", 1), ("oneshot.recv", 0)));
}

#[test]
fn watch_reads_commute_and_a_send_conflicts_with_them() {
    let ops = record(|rt| async move {
        let (tx, mut rx) = watch::channel(&rt, 0);
        let rx2 = tx.subscribe();
        tx.send(1).unwrap();
        rx.changed().await.unwrap();
        assert_eq!(*rx.borrow_and_update(), 1);
        assert_eq!(*rx2.borrow(), 1);
        tx.send_modify(|v| *v += 1);
    });
    assert_eq!(
        ops.lines(),
        [
            "watch.subscribe #1 Read",
            "watch.send #1 Send",
            "watch.changed #1 Read",
            "watch.borrow_and_update #1 Read",
            "watch.borrow #1 Read",
            "watch.send_modify #1 Send",
            "watch.receiver_drop #1 Close",
            "watch.receiver_drop #1 Close",
            "watch.sender_drop #1 Close",
        ]
    );
    assert!(ops.conflict(("watch.receiver_drop", 0), ("watch.receiver_drop", 1)));
    assert!(ops.conflict(("watch.sender_drop", 0), ("watch.changed", 0)));
    assert!(!ops.conflict(("watch.changed", 0), ("watch.borrow", 0)));
    assert!(!ops.conflict(("watch.subscribe", 0), ("watch.borrow", 0)));
    assert!(ops.conflict(("watch.send", 0), ("watch.borrow", 0)));
    assert!(ops.conflict(("watch.send", 0), ("watch.send_modify", 0)));
}
