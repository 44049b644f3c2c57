//! `Notify` as tokio documents it, written once and run on every backend: the flag-then-await
//! pattern of tokio's `Notify` docs, `notify_waiters` reaching unpolled `Notified`s, and the
//! permit rules of `notify_one` with `Notified::enable`.

use std::pin::pin;
use std::sync::Arc;

use weft_core::sync::{Atomic, Notify};
use weft_core::Runtime;

/// tokio's lost-wakeup-free pattern (the `notify_waiters` and `Notified::enable` docs): the
/// waiter creates its `Notified` *before* checking the flag, then awaits it; the setter sets
/// the flag, then calls `notify_waiters`. Every interleaving completes. With `enable`, the
/// waiter also registers for `notify_one` before the check.
pub async fn flag_then_await<R: Runtime>(rt: R, enable: bool) {
    let notify = Arc::new(Notify::new(&rt));
    let flag = Arc::new(Atomic::new(&rt, false));
    let (n, f) = (notify.clone(), flag.clone());
    let waiter = rt.spawn("waiter", async move {
        let mut notified = pin!(n.notified());
        if enable {
            notified.as_mut().enable();
        }
        if f.load().await {
            return;
        }
        notified.await;
    });
    flag.store(true).await;
    notify.notify_waiters();
    waiter.join().await;
}

/// [`flag_then_await`] without `enable`.
pub async fn flag_then_await_plain<R: Runtime>(rt: R) {
    flag_then_await(rt, false).await;
}

/// [`flag_then_await`] with `enable`.
pub async fn flag_then_await_enabled<R: Runtime>(rt: R) {
    flag_then_await(rt, true).await;
}

/// `notify_waiters` completes every `Notified` created before it, polled or not (tokio's
/// `notify_waiters` docs: "created before"), and none created after it; it stores no permit.
pub async fn notify_waiters_reaches_unpolled<R: Runtime>(rt: R) {
    let notify = Notify::new(&rt);
    let first = notify.notified();
    let second = notify.notified();
    notify.notify_waiters();
    let mut late = pin!(notify.notified());
    first.await;
    second.await;
    assert!(
        !late.as_mut().enable(),
        "a Notified created after notify_waiters is not woken, and no permit was stored"
    );
}

/// The permit rules, checked synchronously with `enable` so every backend sees the same
/// sequence (the same steps run against `tokio::sync::Notify` in the tokio tests).
///
/// Returns the observations in order so the tokio test can compare them with real tokio.
pub fn permit_rules<R: Runtime>(rt: &R) -> Vec<bool> {
    let notify = Notify::new(rt);
    let mut seen = Vec::new();
    // Two notify_one with nobody enabled store one permit.
    notify.notify_one();
    notify.notify_one();
    let mut a = pin!(notify.notified());
    seen.push(a.as_mut().enable()); // true: consumes the permit
    let mut b = pin!(notify.notified());
    seen.push(b.as_mut().enable()); // false: one permit only; b is now enabled
                                    // notify_one with an enabled waiter wakes it instead of storing a permit.
    notify.notify_one();
    seen.push(b.as_mut().enable()); // true
    let mut c = pin!(notify.notified());
    seen.push(c.as_mut().enable()); // false: nothing stored
                                    // FIFO among enabled waiters: c was enabled before d.
    let mut d = pin!(notify.notified());
    seen.push(d.as_mut().enable()); // false
    notify.notify_one();
    seen.push(d.as_mut().enable()); // false: c is older
    seen.push(c.as_mut().enable()); // true
                                    // notify_last wakes the newest enabled waiter.
    let mut e = pin!(notify.notified());
    seen.push(e.as_mut().enable()); // false
    notify.notify_last();
    seen.push(d.as_mut().enable()); // false: e is newer
    seen.push(e.as_mut().enable()); // true
    seen
}

/// What [`permit_rules`] must observe (tokio's documented behaviour; the tokio tests check
/// real tokio produces the same).
pub const PERMIT_RULES: [bool; 10] = [
    true, false, true, false, false, false, true, false, false, true,
];

/// A `Notified` woken by `notify_one` and dropped before completing hands the wake-up on.
pub fn dropped_wakeup_is_handed_on<R: Runtime>(rt: &R) -> Vec<bool> {
    let notify = Notify::new(rt);
    let mut seen = Vec::new();
    {
        let mut a = Box::pin(notify.notified());
        let mut b = pin!(notify.notified());
        seen.push(a.as_mut().enable()); // false
        seen.push(b.as_mut().enable()); // false
        notify.notify_one(); // wakes a
        drop(a); // ... which hands it to b
        seen.push(b.as_mut().enable()); // true
    }
    {
        let mut a = Box::pin(notify.notified());
        seen.push(a.as_mut().enable()); // false
        notify.notify_one();
        drop(a); // nobody else waits: stored as the permit
        let mut b = pin!(notify.notified());
        seen.push(b.as_mut().enable()); // true
    }
    seen
}

/// What [`dropped_wakeup_is_handed_on`] must observe.
pub const DROPPED_WAKEUP: [bool; 5] = [false, false, true, false, true];

/// Every check above as one async body (for the backends' runners).
pub async fn all<R: Runtime>(rt: R) {
    flag_then_await(rt.clone(), false).await;
    flag_then_await(rt.clone(), true).await;
    notify_waiters_reaches_unpolled(rt.clone()).await;
    assert_eq!(permit_rules(&rt), PERMIT_RULES);
    assert_eq!(dropped_wakeup_is_handed_on(&rt), DROPPED_WAKEUP);
}
