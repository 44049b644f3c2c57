//! `RwLock` as tokio documents it, written once and run on every backend: fair, FIFO and
//! write-preferring; `try_` forms; the reader limit; and the unlock → lock edges.
//!
//! Queue order is set up by polling select arms once from one task, as in `semaphore_port`;
//! the tokio tests run the same steps on `tokio::sync::RwLock` and compare.

use std::sync::Arc;

use super::semaphore_port::ready;
use weft_core::sync::{Arm, RwLock, SharedCell};
use weft_core::Runtime;

/// A writer waiting behind a reader holds back readers that come after it. Returns
/// `(writer ready, late reader ready, try_read succeeds)` after each step, and the value the
/// late reader saw.
pub async fn writer_preferred<R: Runtime>(rt: R) -> (Vec<(bool, bool, bool)>, u32) {
    let lock = RwLock::new(&rt, 0u32);
    let mut seen = Vec::new();
    let first = lock.try_read().unwrap();
    let mut writer = lock.write_arm();
    let mut late = lock.read_arm();
    let w = ready(&mut writer).await; // waits for the reader to leave
    let r = ready(&mut late).await; // queues behind the writer, though only readers hold
    seen.push((w, r, lock.try_read().is_ok()));
    drop(first);
    let (w, r) = (ready(&mut writer).await, ready(&mut late).await);
    seen.push((w, r, lock.try_read().is_ok()));
    let mut guard = writer.take();
    *guard = 7;
    drop(guard);
    let r = ready(&mut late).await;
    seen.push((true, r, lock.try_read().is_ok()));
    let value = *late.take();
    (seen, value)
}

/// What [`writer_preferred`] must observe.
pub const WRITER_PREFERRED: [(bool, bool, bool); 3] = [
    (false, false, false),
    (true, false, false),
    (true, true, true),
];

/// Many readers at once up to the limit, no writer beside them, `try_write` only when free.
pub async fn readers_and_limit<R: Runtime>(rt: R) {
    let lock = RwLock::with_max_readers(&rt, 5u8, 2);
    let a = lock.try_read().unwrap();
    let b = lock.read().await;
    assert_eq!((*a, *b), (5, 5));
    assert!(lock.try_read().is_err(), "max_readers is 2");
    assert!(lock.try_write().is_err());
    drop((a, b));
    let mut w = lock.try_write().unwrap();
    *w += 1;
    assert!(lock.try_read().is_err() && lock.try_write().is_err());
    drop(w);
    assert_eq!(*lock.read().await, 6);
    assert_eq!(lock.into_inner(), 6);
}

/// A writer's write is ordered before a reader that reads after it (write unlock → read
/// lock), and writers are ordered (write unlock → write lock): no data race.
pub async fn unlock_orders_lock<R: Runtime>(rt: R) {
    unlock_orders(rt, 2).await;
}

/// [`unlock_orders_lock`] with one writer (small enough for loom).
pub async fn one_writer_one_reader<R: Runtime>(rt: R) {
    unlock_orders(rt, 1).await;
}

async fn unlock_orders<R: Runtime>(rt: R, writers: u32) {
    let lock = Arc::new(RwLock::new(&rt, ()));
    let cell = Arc::new(SharedCell::new(&rt, 0u32));
    let mut hs = Vec::new();
    for i in 0..writers {
        let (lock, cell) = (lock.clone(), cell.clone());
        hs.push(rt.spawn(&format!("writer-{i}"), async move {
            let _w = lock.write().await;
            let v = cell.get();
            cell.set(v + 1);
        }));
    }
    let (l, c) = (lock.clone(), cell.clone());
    hs.push(rt.spawn("reader", async move {
        let _r = l.read().await;
        assert!(c.get() <= writers);
    }));
    for h in hs {
        h.join().await;
    }
    assert_eq!(cell.get(), writers);
}

/// [`writer_preferred`] with its expected observations, for the checkers' runners.
pub async fn writer_preferred_body<R: Runtime>(rt: R) {
    assert_eq!(writer_preferred(rt).await, (WRITER_PREFERRED.to_vec(), 7));
}

/// Every check above as one async body.
pub async fn all<R: Runtime>(rt: R) {
    writer_preferred_body(rt.clone()).await;
    readers_and_limit(rt.clone()).await;
    unlock_orders_lock(rt).await;
}
