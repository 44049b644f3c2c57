//! The tokio primitives users port, on weft's tokio backend, and the same scenarios on real
//! `tokio::sync` where tokio's docs state the behaviour: both must observe the same thing.

mod support;

use std::pin::pin;

use support::notify_port;
use weft_core::backend::tokio::TokioRuntime;

fn block_on<F: std::future::Future>(f: impl FnOnce(TokioRuntime) -> F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async { f(TokioRuntime::new()).await })
}

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
        assert_eq!(notify_port::dropped_wakeup_is_handed_on(&rt), tokio_dropped_wakeup());
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
