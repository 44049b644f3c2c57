//! `JoinSet` and task abort semantics, written once and run on every backend.

use std::sync::Arc;

use weft_core::sync::{oneshot, SharedCell};
use weft_core::task::JoinSet;
use weft_core::Runtime;

/// Parks forever: the task holds its own channel's sender, so only an abort ends it.
async fn park_forever<R: Runtime>(rt: R) {
    let (_tx, rx) = oneshot::channel::<R, ()>(&rt);
    let _ = rx.recv().await;
    unreachable!("nothing sends");
}

/// Results come back in completion order; `len` counts unjoined tasks; `None` when empty.
pub async fn join_set_completion_order<R: Runtime>(rt: R) {
    let mut set = JoinSet::new(&rt);
    assert!(set.is_empty());
    assert!(set.join_next().await.is_none());
    let (go_tx, go_rx) = oneshot::channel::<R, ()>(&rt);
    set.spawn("late", async move {
        go_rx.recv().await.unwrap();
        'L'
    });
    set.spawn("early", async { 'E' });
    assert_eq!(set.len(), 2);
    // "late" cannot finish before it is let go, so "early" is first.
    assert_eq!(set.join_next().await.unwrap().unwrap(), 'E');
    assert_eq!(set.len(), 1);
    go_tx.send(()).unwrap();
    assert_eq!(set.join_next().await.unwrap().unwrap(), 'L');
    assert!(set.join_next().await.is_none());
    assert!(set.try_join_next().is_none());
}

/// A task's exit happens-before the `join_next` that returns it.
pub async fn join_set_exit_orders_the_joiner<R: Runtime>(rt: R) {
    let cell = Arc::new(SharedCell::new(&rt, 0u32));
    let mut set = JoinSet::new(&rt);
    let c = cell.clone();
    set.spawn("writer", async move { c.set(1) });
    set.join_next().await.unwrap().unwrap();
    assert_eq!(cell.get(), 1);
}

/// `abort_all` ends a task parked forever; it is joined as cancelled. A finished task's result
/// survives an abort.
pub async fn join_set_abort_all<R: Runtime>(rt: R) {
    let mut set = JoinSet::new(&rt);
    let r = rt.clone();
    set.spawn("parked", async move {
        park_forever(r).await;
        1u8
    });
    set.spawn("quick", async { 2u8 });
    // Wait for "quick" first, so its result exists before the abort.
    assert_eq!(set.join_next().await.unwrap().unwrap(), 2);
    set.abort_all();
    let err = set.join_next().await.unwrap().unwrap_err();
    assert!(err.is_cancelled() && !err.is_panic(), "{err}");
    assert_eq!(err.task(), "parked");
    assert!(set.is_empty());
}

/// An abort happens-before the cancelled result, even when another task aborts: the joiner
/// reads what the aborter wrote before aborting without a data race.
pub async fn join_set_abort_orders_the_joiner<R: Runtime>(rt: R) {
    let cell = Arc::new(SharedCell::new(&rt, 0u32));
    let mut set = JoinSet::new(&rt);
    let abort = set.spawn("parked", park_forever(rt.clone()));
    let c = cell.clone();
    let aborter = rt.spawn("aborter", async move {
        c.set(1);
        abort.abort();
    });
    let err = set.join_next().await.unwrap().unwrap_err();
    assert!(err.is_cancelled(), "{err}");
    assert_eq!(cell.get(), 1);
    aborter.join().await;
}

/// `shutdown` aborts and joins everything; `JoinHandle::abort` cancels a parked task.
pub async fn join_set_shutdown_and_handle_abort<R: Runtime>(rt: R) {
    let mut set = JoinSet::new(&rt);
    set.spawn("parked", park_forever(rt.clone()));
    set.shutdown().await;
    assert!(set.is_empty());

    let h = rt.spawn("parked-handle", park_forever(rt.clone()));
    h.abort();
    h.abort(); // idempotent
    let err = h.try_join().await.unwrap_err();
    assert!(err.is_cancelled(), "{err}");
}

/// Dropping a set aborts its tasks, so a task parked forever is not left behind (under the
/// simulator: no leak at the end of the execution).
pub async fn join_set_drop_aborts<R: Runtime>(rt: R) {
    let mut set = JoinSet::new(&rt);
    let (parked_tx, parked_rx) = oneshot::channel::<R, ()>(&rt);
    let r = rt.clone();
    set.spawn("parked", async move {
        parked_tx.send(()).unwrap();
        park_forever(r).await;
    });
    // The task is about to park (or parked) when the set is dropped.
    parked_rx.recv().await.unwrap();
    drop(set);
}

/// Every JoinSet check, in one body.
pub async fn all<R: Runtime>(rt: R) {
    join_set_completion_order(rt.clone()).await;
    join_set_exit_orders_the_joiner(rt.clone()).await;
    join_set_abort_all(rt.clone()).await;
    join_set_abort_orders_the_joiner(rt.clone()).await;
    join_set_shutdown_and_handle_abort(rt.clone()).await;
    join_set_drop_aborts(rt).await;
}
