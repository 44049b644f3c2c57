//! Semantics of every primitive, written once and run on each backend (parity).

use std::sync::Arc;
use std::time::Duration;

use weft_core::error::{TryRecvError, TrySendError};
use weft_core::sync::{
    future_arm, mpsc, oneshot, select2, select3, CancellationToken, Mutex, Notify, Select2,
    Select3, SharedCell, WaitGroup,
};
use weft_core::Runtime;

/// Two tasks increment a mutex-protected counter; the total is exact.
pub async fn mutex_counts<R: Runtime>(rt: R) {
    let m = Arc::new(Mutex::new(&rt, 0u32));
    let mut handles = Vec::new();
    for i in 0..2 {
        let m = m.clone();
        handles.push(rt.spawn(&format!("inc-{i}"), async move {
            for _ in 0..2 {
                *m.lock().await += 1;
            }
        }));
    }
    for h in handles {
        h.join().await;
    }
    assert_eq!(*m.lock().await, 4);
    let held = m.try_lock();
    assert!(held.is_some());
    assert!(m.try_lock().is_none());
    assert!(m.try_lock().is_none(), "a failed try_lock must not unlock");
}

/// A bounded channel delivers in order, reports full and closed, and `None` after senders go.
pub async fn channel_semantics<R: Runtime>(rt: R) {
    let (tx, mut rx) = mpsc::channel::<R, u32>(&rt, 1);
    tx.try_send(1).unwrap();
    assert!(matches!(tx.try_send(2), Err(TrySendError::Full(2))));
    let tx2 = tx.clone();
    let producer = rt.spawn("producer", async move {
        tx2.send(2).await.unwrap();
        tx2.send(3).await.unwrap();
    });
    assert_eq!(rx.recv().await, Some(1));
    assert_eq!(rx.recv().await, Some(2));
    assert_eq!(rx.recv().await, Some(3));
    producer.join().await;
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    drop(tx);
    assert_eq!(rx.recv().await, None);

    let (utx, mut urx) = mpsc::unbounded::<R, u32>(&rt);
    for i in 0..5 {
        utx.send(i).unwrap();
    }
    urx.close();
    assert!(utx.send(9).is_err(), "send after close fails");
    for i in 0..5 {
        assert_eq!(urx.recv().await, Some(i), "queued messages survive close");
    }
}

/// oneshot delivers once; a dropped sender is an error.
pub async fn oneshot_semantics<R: Runtime>(rt: R) {
    let (tx, rx) = oneshot::channel::<R, &'static str>(&rt);
    let h = rt.spawn("sender", async move { tx.send("hi").unwrap() });
    assert_eq!(rx.recv().await, Ok("hi"));
    h.join().await;
    let (tx, rx) = oneshot::channel::<R, u8>(&rt);
    drop(tx);
    assert!(rx.recv().await.is_err());
}

/// notify_one stores one permit; notify_waiters stores none.
pub async fn notify_semantics<R: Runtime>(rt: R) {
    let timeout = || future_arm(rt.sleep(Duration::from_secs(1)));
    let n = Notify::new(&rt);
    n.notify_one();
    n.notify_one();
    n.notified().await; // consumes the single stored permit
    let got = select2(&rt, n.notified_arm(), timeout()).await;
    assert!(
        matches!(got, Select2::Second(())),
        "notify_one stores at most one permit"
    );

    let n = Arc::new(Notify::new(&rt));
    let n2 = n.clone();
    let waiter = rt.spawn("waiter", async move { n2.notified().await });
    while !waiter.is_finished() {
        n.notify_one();
        rt.yield_now().await;
    }
    waiter.join().await;

    let n = Notify::new(&rt);
    n.notify_waiters(); // nobody waits: nothing stored
    let got = select2(&rt, n.notified_arm(), timeout()).await;
    assert!(
        matches!(got, Select2::Second(())),
        "notify_waiters stores no permit"
    );
}

/// Cancel is idempotent, cascades to children, and children of a cancelled token start
/// cancelled.
pub async fn cancel_semantics<R: Runtime>(rt: R) {
    let root = CancellationToken::new(&rt);
    let child = root.child_token();
    let grandchild = child.child_token();
    let g = grandchild.clone();
    let h = rt.spawn("watcher", async move { g.cancelled().await });
    assert!(!child.is_cancelled());
    root.cancel();
    root.cancel();
    h.join().await;
    assert!(child.is_cancelled() && grandchild.is_cancelled());
    assert!(root.child_token().is_cancelled());
    let lone = CancellationToken::new(&rt);
    let leaf = lone.child_token();
    leaf.cancel();
    assert!(!lone.is_cancelled(), "cancel does not flow upwards");
}

/// wait returns at once at zero, and after the last done otherwise.
pub async fn wait_group_semantics<R: Runtime>(rt: R) {
    let wg = Arc::new(WaitGroup::new(&rt));
    wg.wait().await; // zero: returns at once
    let cell = Arc::new(SharedCell::new(&rt, 0u32));
    let c = cell.clone();
    drop(wg.spawn("writer", async move { c.set(7) }));
    drop(wg.spawn("idle", async {}));
    wg.wait().await;
    assert_eq!(wg.count(), 0);
    assert_eq!(
        cell.get(),
        7,
        "done -> wait orders the write before this read"
    );
}

/// A select with several ready arms completes one and loses nothing from the others.
pub async fn select_loses_nothing<R: Runtime>(rt: R) {
    let (tx_a, mut rx_a) = mpsc::unbounded::<R, u32>(&rt);
    let (tx_b, mut rx_b) = mpsc::unbounded::<R, u32>(&rt);
    tx_a.send(1).unwrap();
    tx_b.send(2).unwrap();
    let token = CancellationToken::new(&rt);
    let mut got = Vec::new();
    for _ in 0..2 {
        match select3(&rt, rx_a.recv_arm(), rx_b.recv_arm(), token.cancelled_arm()).await {
            Select3::First(v) | Select3::Second(v) => got.push(v.unwrap()),
            Select3::Third(()) => unreachable!("not cancelled"),
        }
    }
    got.sort();
    assert_eq!(got, vec![1, 2], "the losing arm's message stayed queued");
}

/// Atomics: compare-and-swap succeeds once, and the winner's write is ordered before a later
/// load (the SharedCell read below is not a race).
pub async fn atomic_semantics<R: Runtime>(rt: R) {
    let state = Arc::new(weft_core::sync::Atomic::new(&rt, 0u8));
    let data = Arc::new(SharedCell::new(&rt, 0u32));
    let mut hs = Vec::new();
    for i in 1..=2u8 {
        let (state, data) = (state.clone(), data.clone());
        hs.push(rt.spawn(&format!("racer-{i}"), async move {
            if state.compare_exchange(0, 9).await.is_ok() {
                // Only the CAS winner writes; its CAS then store publish the write.
                data.set(u32::from(i));
                state.store(i).await;
                true
            } else {
                false
            }
        }));
    }
    let mut winners = 0;
    for h in hs {
        winners += usize::from(h.join().await);
    }
    assert_eq!(winners, 1);
    let winner = state.load().await;
    assert_eq!(data.get(), u32::from(winner));
    assert_eq!(state.fetch_update(|v| v + 1).await, winner);
    assert_eq!(state.swap(0).await, winner + 1);
    assert_eq!(state.peek(), 0);
}

/// A send arm delivers only when chosen; a losing send arm frees its slot.
pub async fn send_arm_semantics<R: Runtime>(rt: R) {
    let (tx, mut rx) = mpsc::channel::<R, u32>(&rt, 1);
    let done = CancellationToken::new(&rt);
    // Room for one: the send arm wins against a never-cancelled token.
    let got = select2(&rt, tx.send_arm(1), done.cancelled_arm()).await;
    assert!(matches!(got, Select2::First(Ok(()))));
    // Full now: the cancelled token wins, and the losing send delivers nothing.
    done.cancel();
    let got = select2(&rt, tx.send_arm(2), done.cancelled_arm()).await;
    assert!(matches!(got, Select2::Second(())));
    assert_eq!(rx.recv().await, Some(1));
    // The slot is free again (nothing was left reserved): a plain try_send fits.
    tx.try_send(3).unwrap();
    assert_eq!(rx.recv().await, Some(3));
    drop(rx);
    let got = select2(
        &rt,
        tx.send_arm(4),
        future_arm(rt.sleep(Duration::from_secs(1))),
    )
    .await;
    match got {
        Select2::First(Err(e)) => assert_eq!(e.0, 4, "a closed channel returns the value"),
        // Both arms may be ready; a timer win is fine too.
        Select2::Second(()) => {}
        Select2::First(Ok(())) => panic!("sent into a closed channel"),
    }
}

/// Sleeping moves the runtime's time forward.
pub async fn time_moves<R: Runtime>(rt: R) {
    let t0 = rt.now();
    rt.sleep(Duration::from_millis(5)).await;
    assert!(rt.now() - t0 >= Duration::from_millis(5));
}

/// Every check above, in one body.
pub async fn all<R: Runtime>(rt: R) {
    mutex_counts(rt.clone()).await;
    channel_semantics(rt.clone()).await;
    oneshot_semantics(rt.clone()).await;
    notify_semantics(rt.clone()).await;
    cancel_semantics(rt.clone()).await;
    wait_group_semantics(rt.clone()).await;
    select_loses_nothing(rt.clone()).await;
    atomic_semantics(rt.clone()).await;
    send_arm_semantics(rt.clone()).await;
    time_moves(rt).await;
}
