//! `watch` semantics, written once and run on every backend.

use std::sync::Arc;
use std::time::Duration;

use weft_core::sync::{future_arm, select2, watch, Select2, SharedCell};
use weft_core::Runtime;

/// Versions, seen marks, clones, subscribe, the send variants and the closed errors.
pub async fn watch_semantics<R: Runtime>(rt: R) {
    let (tx, mut rx) = watch::channel(&rt, 0u32);
    assert_eq!(*rx.borrow(), 0);
    assert_eq!(rx.has_changed(), Ok(false), "the initial value is seen");
    tx.send(1).unwrap();
    assert_eq!(rx.has_changed(), Ok(true));
    let r = rx.borrow();
    assert!(r.has_changed() && *r == 1);
    assert_eq!(rx.has_changed(), Ok(true), "borrow does not mark seen");
    let mut clone = rx.clone();
    assert_eq!(
        clone.has_changed(),
        Ok(true),
        "a clone keeps its original's seen version"
    );
    rx.changed().await.unwrap();
    assert_eq!(rx.has_changed(), Ok(false), "changed marks seen");
    tx.send(2).unwrap();
    tx.send(3).unwrap();
    let r = rx.borrow_and_update();
    assert!(*r == 3 && r.has_changed(), "only the latest value is kept");
    assert_eq!(rx.has_changed(), Ok(false));
    clone.mark_unchanged();
    assert_eq!(clone.has_changed(), Ok(false));
    let sub = tx.subscribe();
    assert_eq!(
        sub.has_changed(),
        Ok(false),
        "a subscriber has seen the current value"
    );
    assert_eq!(tx.receiver_count(), 3);
    assert_eq!(tx.send_replace(4), 3);
    tx.send_modify(|v| *v += 1);
    assert_eq!(*tx.borrow(), 5);
    assert_eq!(*sub.borrow(), 5);
    drop((sub, clone));
    assert_eq!(tx.receiver_count(), 1);

    // A send from another task wakes a waiting `changed`; the sender's drop ends it.
    rx.mark_unchanged();
    let sender = rt.spawn("watch-sender", async move {
        tx.send(6).unwrap();
    });
    rx.changed().await.unwrap();
    assert_eq!(*rx.borrow_and_update(), 6);
    sender.join().await;
    assert_eq!(rx.changed().await, Err(watch::RecvError), "sender dropped");
    assert_eq!(rx.has_changed(), Err(watch::RecvError));
    assert_eq!(*rx.borrow(), 6, "the last value stays readable");

    // Unseen value, then the sender's drop: `changed` reports the value first.
    let (tx, mut rx) = watch::channel(&rt, 'a');
    tx.send('b').unwrap();
    drop(tx);
    assert_eq!(rx.changed().await, Ok(()));
    assert_eq!(rx.changed().await, Err(watch::RecvError));

    // No receivers: `send` fails and stores nothing; `send_replace` stores; `closed` is done.
    let (tx, rx) = watch::channel(&rt, 10u8);
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.send(11).map_err(|e| e.0), Err(11));
    assert_eq!(*tx.borrow(), 10);
    assert_eq!(tx.send_replace(12), 10);
    tx.closed().await;
}

/// `closed` waits for the last receiver, dropped by another task; that drop happens-before
/// `closed` returns.
pub async fn watch_closed_waits<R: Runtime>(rt: R) {
    let cell = Arc::new(SharedCell::new(&rt, 0u32));
    let (tx, rx) = watch::channel(&rt, ());
    let rx2 = rx.clone();
    let c = cell.clone();
    let h = rt.spawn("watch-drop", async move {
        drop(rx);
        c.set(1);
        drop(rx2);
    });
    tx.closed().await;
    assert!(tx.is_closed());
    assert_eq!(cell.get(), 1);
    h.join().await;
}

/// A send happens-before the `changed` (and `borrow`) that observes it: the receiver reads
/// what the sender wrote before sending without a data race.
pub async fn watch_send_orders_the_receiver<R: Runtime>(rt: R) {
    let cell = Arc::new(SharedCell::new(&rt, 0u32));
    let (tx, mut rx) = watch::channel(&rt, 0u32);
    let c = cell.clone();
    let h = rt.spawn("watch-writer", async move {
        c.set(7);
        tx.send(1).unwrap();
        tx
    });
    rx.changed().await.unwrap();
    assert_eq!(*rx.borrow(), 1);
    assert_eq!(cell.get(), 7);
    drop(h.join().await);
}

/// As a select arm, `changed` loses nothing: when the other arm wins, the change is still
/// unseen.
pub async fn watch_changed_arm<R: Runtime>(rt: R) {
    let (tx, mut rx) = watch::channel(&rt, 0u32);
    tx.send(1).unwrap();
    let timer = future_arm(rt.sleep(Duration::from_millis(1)));
    match select2(&rt, rx.changed_arm(), timer).await {
        Select2::First(r) => {
            r.unwrap();
            assert_eq!(rx.has_changed(), Ok(false), "the chosen arm marks seen");
        }
        Select2::Second(()) => assert_eq!(rx.has_changed(), Ok(true), "a lost arm marks nothing"),
    }
    // Nothing unseen: only the timer can win.
    rx.mark_unchanged();
    let timer = future_arm(rt.sleep(Duration::from_millis(1)));
    let got = select2(&rt, rx.changed_arm(), timer).await;
    assert!(matches!(got, Select2::Second(())), "no change, no wake-up");
    drop(tx);
}

/// Every watch check, in one body.
pub async fn all<R: Runtime>(rt: R) {
    watch_semantics(rt.clone()).await;
    watch_closed_waits(rt.clone()).await;
    watch_send_orders_the_receiver(rt.clone()).await;
    watch_changed_arm(rt).await;
}
