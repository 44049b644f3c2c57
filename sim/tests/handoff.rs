//! Hand-off after cancellation (the wait list's rule, `core/src/sync/waitlist.rs`): a waiter
//! chosen by a single-waiter signal and dropped before it takes it passes the signal on, so
//! the next waiter is not stranded. Every schedule is explored; without the hand-off some
//! schedule deadlocks. (`Notify`'s hand-off is covered by the tokio port's notify test.)

use std::sync::Arc;

use weft_core::sync::{mpsc, Mutex};
use weft_core::Runtime;
use weft_sim::{Config, Sim, StrategyKind};

fn every_schedule() -> Sim {
    Sim::new(
        Config::default()
            .strategy(StrategyKind::Dfs)
            .iterations(u64::MAX),
    )
}

/// The unlock hands the mutex to the oldest waiter, which is aborted before it runs: the lock
/// must go on to the next waiter.
#[test]
fn a_mutex_handed_to_an_aborted_waiter_goes_on_to_the_next() {
    let report = every_schedule().check(|rt| async move {
        let m = Arc::new(Mutex::new(&rt, 0));
        let held = m.lock().await;
        let (mb, mc) = (m.clone(), m.clone());
        let b = rt.spawn("b", async move { *mb.lock().await += 1 });
        let c = rt.spawn("c", async move { *mc.lock().await += 10 });
        rt.yield_now().await;
        drop(held);
        b.abort();
        c.join().await;
        assert!(*m.lock().await >= 10);
    });
    assert_eq!(report.exhausted, Some(true));
}

/// A receive frees a slot and tells the oldest blocked sender, which is aborted before it
/// runs: the slot must go on to the next blocked sender.
#[test]
fn a_channel_slot_promised_to_an_aborted_sender_goes_on_to_the_next() {
    let report = every_schedule().check(|rt| async move {
        let (tx, mut rx) = mpsc::channel(&rt, 1);
        tx.send(0).await.unwrap();
        let (tb, tc) = (tx.clone(), tx.clone());
        let b = rt.spawn("b", async move { tb.send(1).await.unwrap() });
        let c = rt.spawn("c", async move { tc.send(2).await.unwrap() });
        rt.yield_now().await;
        assert_eq!(rx.recv().await, Some(0));
        b.abort();
        c.join().await;
        let next = rx.recv().await;
        assert!(next == Some(2) || next == Some(1), "{next:?}");
    });
    assert_eq!(report.exhausted, Some(true));
}
