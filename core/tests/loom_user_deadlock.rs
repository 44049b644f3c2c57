//! repro
mod support;
use std::sync::Arc;
use weft_core::backend::loom::{model, LoomRuntime};
use weft_core::sync::{Mutex, Notify};
use weft_core::Runtime;

async fn opposite_order(rt: LoomRuntime) {
    let a = Arc::new(Mutex::new(&rt, 0u32));
    let b = Arc::new(Mutex::new(&rt, 0u32));
    let (a2, b2) = (a.clone(), b.clone());
    let t = rt.spawn("t", async move {
        let _gb = b2.lock().await;
        let _ga = a2.lock().await;
    });
    {
        let _ga = a.lock().await;
        let _gb = b.lock().await;
    }
    t.join().await;
}

async fn never_notified(rt: LoomRuntime) {
    let n = Arc::new(Notify::new(&rt));
    let n2 = n.clone();
    let t = rt.spawn("waiter", async move { n2.notified().await });
    t.join().await;
}

#[test]
#[should_panic(expected = "deadlock")]
fn lock_order_deadlock() {
    model(opposite_order);
}

#[test]
#[should_panic(expected = "deadlock")]
fn notify_deadlock() {
    model(never_notified);
}

#[test]
fn passes_1() {
    model(support::primitives::mutex_counts);
}
#[test]
fn passes_2() {
    model(support::primitives::oneshot_semantics);
}
