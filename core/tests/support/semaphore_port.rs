//! `Semaphore` as tokio documents it, written once and run on every backend: FIFO fairness of
//! `acquire_many`, `close`, the `try_` forms and `forget`, and the release → acquire edge.
//!
//! Queue order is set up by polling select arms once from one task (no scheduling point in
//! between), so every backend sees the same sequence; the tokio tests run the same steps on
//! `tokio::sync::Semaphore` and compare.

use std::future::poll_fn;
use std::sync::Arc;
use std::task::Poll;

use weft_core::error::{AcquireError, TryAcquireError};
use weft_core::sync::{Arm, Semaphore, SharedCell};
use weft_core::Runtime;

/// Polls `arm` once from the current task; whether it is ready.
pub async fn ready<A: Arm>(arm: &mut A) -> bool {
    poll_fn(|cx| Poll::Ready(arm.poll_arm(cx).is_ready())).await
}

/// A large `acquire_many` at the head of the queue holds back a smaller later request, and
/// collects released permits until it has all it asked for. Returns what it observed:
/// `(big ready, small ready, available permits)` after each step.
pub async fn acquire_many_is_fifo<R: Runtime>(rt: R) -> Vec<(bool, bool, usize)> {
    let sem = Semaphore::new(&rt, 1);
    let mut seen = Vec::new();
    let mut big = sem.acquire_many_arm(3);
    let mut small = sem.acquire_many_arm(1);
    let b = ready(&mut big).await; // takes the free permit, waits for 2 more
    let s = ready(&mut small).await; // behind big, though 1 permit would do
    seen.push((b, s, sem.available_permits()));
    sem.add_permits(1); // to big, not small
    let (b, s) = (ready(&mut big).await, ready(&mut small).await);
    seen.push((b, s, sem.available_permits()));
    sem.add_permits(2); // big completes with one, small gets the other
    let (b, s) = (ready(&mut big).await, ready(&mut small).await);
    seen.push((b, s, sem.available_permits()));
    let big = big.take().unwrap();
    let small = small.take().unwrap();
    assert_eq!((big.num_permits(), small.num_permits()), (3, 1));
    drop(big);
    seen.push((true, true, sem.available_permits()));
    drop(small);
    seen.push((true, true, sem.available_permits()));
    seen
}

/// What [`acquire_many_is_fifo`] must observe (tokio's behaviour; checked against tokio).
pub const ACQUIRE_MANY_FIFO: [(bool, bool, usize); 5] = [
    (false, false, 0),
    (false, false, 0),
    (true, true, 0),
    (true, true, 3),
    (true, true, 4),
];

/// `close` fails waiting and later acquires; held permits stay valid; `try_` forms and
/// `forget` behave as tokio's.
pub async fn close_and_try<R: Runtime>(rt: R) {
    let sem = Semaphore::new(&rt, 2);
    let held = sem.try_acquire().unwrap();
    assert_eq!(
        sem.try_acquire_many(2).unwrap_err(),
        TryAcquireError::NoPermits
    );
    let one = sem.try_acquire().unwrap();
    one.forget(); // gone for good
    assert_eq!(sem.available_permits(), 0);
    let mut waiter = sem.acquire_many_arm(1);
    assert!(!ready(&mut waiter).await);
    sem.close();
    assert!(sem.is_closed());
    assert!(ready(&mut waiter).await, "close wakes the waiter");
    assert_eq!(waiter.take().unwrap_err(), AcquireError);
    assert_eq!(sem.acquire().await.unwrap_err(), AcquireError);
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::Closed);
    drop(held);
    assert_eq!(
        sem.available_permits(),
        1,
        "a held permit returns after close"
    );
}

/// A one-permit semaphore orders its holders: each release happens-before the next acquire,
/// so the unsynchronized counter below is not a data race, and never more than one holder is
/// inside at once.
pub async fn permits_order_holders<R: Runtime>(rt: R) {
    let sem = Arc::new(Semaphore::new(&rt, 1));
    let cell = Arc::new(SharedCell::new(&rt, 0u32));
    let mut hs = Vec::new();
    for i in 0..2 {
        let (sem, cell) = (sem.clone(), cell.clone());
        hs.push(rt.spawn(&format!("holder-{i}"), async move {
            let _permit = sem.acquire().await.unwrap();
            let v = cell.get();
            cell.set(v + 1);
        }));
    }
    for h in hs {
        h.join().await;
    }
    assert_eq!(cell.get(), 2);
}

/// Every check above as one async body.
pub async fn all<R: Runtime>(rt: R) {
    assert_eq!(acquire_many_is_fifo(rt.clone()).await, ACQUIRE_MANY_FIFO);
    close_and_try(rt.clone()).await;
    permits_order_holders(rt).await;
}

/// [`acquire_many_is_fifo`] without its return value, for the checkers' runners.
pub async fn acquire_many_fifo_body<R: Runtime>(rt: R) {
    assert_eq!(acquire_many_is_fifo(rt).await, ACQUIRE_MANY_FIFO);
}
