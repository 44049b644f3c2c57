//! The tokio primitives users port, on weft's tokio backend, and the same scenarios on real
//! `tokio::sync` where tokio's docs state the behaviour: both must observe the same thing.

mod support;

use support::tokio_rt::multi_thread as block_on;

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use support::{barrier_port, notify_port, rwlock_port, semaphore_port};

#[test]
fn notify_behaves_as_tokio_documents() {
    block_on(|rt| async move {
        for _ in 0..50 {
            notify_port::all(rt.clone()).await;
        }
        assert!(rt.panics().is_empty(), "{:?}", rt.panics());
    });
}

/// [`notify_port::permit_rules`], step for step, on `tokio::sync::Notify`.
fn tokio_permit_rules() -> Vec<bool> {
    let notify = tokio::sync::Notify::new();
    let mut seen = Vec::new();
    notify.notify_one();
    notify.notify_one();
    let mut a = pin!(notify.notified());
    seen.push(a.as_mut().enable());
    let mut b = pin!(notify.notified());
    seen.push(b.as_mut().enable());
    notify.notify_one();
    seen.push(b.as_mut().enable());
    let mut c = pin!(notify.notified());
    seen.push(c.as_mut().enable());
    let mut d = pin!(notify.notified());
    seen.push(d.as_mut().enable());
    notify.notify_one();
    seen.push(d.as_mut().enable());
    seen.push(c.as_mut().enable());
    let mut e = pin!(notify.notified());
    seen.push(e.as_mut().enable());
    notify.notify_last();
    seen.push(d.as_mut().enable());
    seen.push(e.as_mut().enable());
    seen
}

/// [`notify_port::dropped_wakeup_is_handed_on`], step for step, on `tokio::sync::Notify`.
fn tokio_dropped_wakeup() -> Vec<bool> {
    let notify = tokio::sync::Notify::new();
    let mut seen = Vec::new();
    {
        let mut a = Box::pin(notify.notified());
        let mut b = pin!(notify.notified());
        seen.push(a.as_mut().enable());
        seen.push(b.as_mut().enable());
        notify.notify_one();
        drop(a);
        seen.push(b.as_mut().enable());
    }
    {
        let mut a = Box::pin(notify.notified());
        seen.push(a.as_mut().enable());
        notify.notify_one();
        drop(a);
        let mut b = pin!(notify.notified());
        seen.push(b.as_mut().enable());
    }
    seen
}

#[test]
fn notify_permit_rules_match_real_tokio() {
    assert_eq!(tokio_permit_rules(), notify_port::PERMIT_RULES);
    assert_eq!(tokio_dropped_wakeup(), notify_port::DROPPED_WAKEUP);
    block_on(|rt| async move {
        assert_eq!(notify_port::permit_rules(&rt), tokio_permit_rules());
        assert_eq!(
            notify_port::dropped_wakeup_is_handed_on(&rt),
            tokio_dropped_wakeup()
        );
    });
}

#[test]
fn notify_waiters_reaches_unpolled_on_real_tokio() {
    block_on(|_| async {
        let notify = tokio::sync::Notify::new();
        let first = notify.notified();
        let second = notify.notified();
        notify.notify_waiters();
        let mut late = pin!(notify.notified());
        first.await;
        second.await;
        assert!(!late.as_mut().enable());
    });
}

/// Polls `f` once from the current task.
async fn poll_once<F: Future>(f: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    let mut f = Some(f);
    poll_fn(|cx| Poll::Ready(f.take().expect("polled once").poll(cx))).await
}

/// Polls a pinned future once, keeping its output in `slot` once ready; whether it is ready.
macro_rules! step {
    ($fut:expr, $slot:expr) => {{
        if $slot.is_none() {
            if let Poll::Ready(v) = poll_once($fut.as_mut()).await {
                $slot = Some(v);
            }
        }
        $slot.is_some()
    }};
}

/// [`semaphore_port::acquire_many_is_fifo`], step for step, on `tokio::sync::Semaphore`.
async fn tokio_acquire_many_fifo() -> Vec<(bool, bool, usize)> {
    let sem = tokio::sync::Semaphore::new(1);
    let mut seen = Vec::new();
    let mut big = pin!(sem.acquire_many(3));
    let mut small = pin!(sem.acquire_many(1));
    let (mut big_p, mut small_p) = (None, None);
    let b = step!(big, big_p);
    let s = step!(small, small_p);
    seen.push((b, s, sem.available_permits()));
    sem.add_permits(1);
    let (b, s) = (step!(big, big_p), step!(small, small_p));
    seen.push((b, s, sem.available_permits()));
    sem.add_permits(2);
    let (b, s) = (step!(big, big_p), step!(small, small_p));
    seen.push((b, s, sem.available_permits()));
    drop(big_p);
    seen.push((true, true, sem.available_permits()));
    drop(small_p);
    seen.push((true, true, sem.available_permits()));
    seen
}

/// [`rwlock_port::writer_preferred`], step for step, on `tokio::sync::RwLock`.
async fn tokio_writer_preferred() -> (Vec<(bool, bool, bool)>, u32) {
    let lock = tokio::sync::RwLock::new(0u32);
    let mut seen = Vec::new();
    let first = lock.try_read().unwrap();
    let mut writer = pin!(lock.write());
    let mut late = pin!(lock.read());
    let (mut w_g, mut r_g) = (None, None);
    let w = step!(writer, w_g);
    let r = step!(late, r_g);
    seen.push((w, r, lock.try_read().is_ok()));
    drop(first);
    let (w, r) = (step!(writer, w_g), step!(late, r_g));
    seen.push((w, r, lock.try_read().is_ok()));
    let mut guard = w_g.take().unwrap();
    *guard = 7;
    drop(guard);
    let r = step!(late, r_g);
    seen.push((true, r, lock.try_read().is_ok()));
    let value = *r_g.take().unwrap();
    (seen, value)
}

#[test]
fn semaphore_behaves_as_tokio_documents_and_as_real_tokio() {
    block_on(|rt| async move {
        assert_eq!(
            tokio_acquire_many_fifo().await,
            semaphore_port::ACQUIRE_MANY_FIFO
        );
        assert_eq!(
            semaphore_port::acquire_many_is_fifo(rt.clone()).await,
            tokio_acquire_many_fifo().await
        );
        // Real tokio: close fails waiters and later acquires; a held permit still returns.
        let sem = tokio::sync::Semaphore::new(1);
        let held = sem.try_acquire().unwrap();
        sem.close();
        assert!(sem.acquire().await.is_err());
        assert!(matches!(
            sem.try_acquire(),
            Err(tokio::sync::TryAcquireError::Closed)
        ));
        drop(held);
        assert_eq!(sem.available_permits(), 1);
        for _ in 0..50 {
            semaphore_port::all(rt.clone()).await;
        }
        assert!(rt.panics().is_empty(), "{:?}", rt.panics());
    });
}

#[test]
fn rwlock_behaves_as_tokio_documents_and_as_real_tokio() {
    block_on(|rt| async move {
        let expected = (rwlock_port::WRITER_PREFERRED.to_vec(), 7);
        assert_eq!(tokio_writer_preferred().await, expected);
        assert_eq!(rwlock_port::writer_preferred(rt.clone()).await, expected);
        for _ in 0..50 {
            rwlock_port::all(rt.clone()).await;
        }
        assert!(rt.panics().is_empty(), "{:?}", rt.panics());
    });
}

#[test]
fn barrier_behaves_as_tokio_documents_and_as_real_tokio() {
    block_on(|rt| async move {
        // Real tokio: one leader per generation of 3, and `new(0)` acts as `new(1)`.
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(3));
        let hs: Vec<_> = (0..3)
            .map(|_| {
                let b = barrier.clone();
                tokio::spawn(async move { b.wait().await.is_leader() })
            })
            .collect();
        let mut leaders = 0;
        for h in hs {
            leaders += usize::from(h.await.unwrap());
        }
        assert_eq!(leaders, 1);
        assert!(tokio::sync::Barrier::new(0).wait().await.is_leader());
        for _ in 0..50 {
            barrier_port::all(rt.clone()).await;
        }
        assert!(rt.panics().is_empty(), "{:?}", rt.panics());
    });
}
