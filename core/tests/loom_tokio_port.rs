//! The tokio primitives users port, under loom's exhaustive search (the same bodies run on
//! tokio, shuttle and weft-sim). loom allows a handful of threads, so each body is small.

mod support;

use std::sync::{Arc, Mutex};

use support::{barrier_port, notify_port, rwlock_port, semaphore_port};
use weft_core::backend::loom::{model, model_with, LoomRuntime};

/// Runs `body` exhaustively (no preemption bound) and returns how many executions loom ran.
fn exhaustive<Fut: std::future::Future<Output = ()> + 'static>(
    body: fn(LoomRuntime) -> Fut,
) -> usize {
    let executions = Arc::new(Mutex::new(0usize));
    let counter = executions.clone();
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = None;
    model_with(builder, move |rt| {
        *counter.lock().unwrap() += 1;
        body(rt)
    });
    let n = *executions.lock().unwrap();
    n
}

#[test]
fn notify_flag_then_await_passes_exhaustively() {
    let plain = exhaustive(notify_port::flag_then_await_plain);
    let enabled = exhaustive(notify_port::flag_then_await_enabled);
    eprintln!("loom explored {plain} (plain) and {enabled} (enabled) executions");
    assert!(plain > 1 && enabled > 1);
}

#[test]
fn notify_behaves_as_tokio_documents() {
    model(notify_port::notify_waiters_reaches_unpolled);
    model(|rt| async move {
        assert_eq!(notify_port::permit_rules(&rt), notify_port::PERMIT_RULES);
        assert_eq!(
            notify_port::dropped_wakeup_is_handed_on(&rt),
            notify_port::DROPPED_WAKEUP
        );
    });
}

/// Exhaustive loom over these multi-task bodies takes minutes; one preemption keeps each under
/// a few seconds while still interleaving every pair of operations once.
fn bounded() -> loom::model::Builder {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(1);
    builder
}

#[test]
fn semaphore_behaves_as_tokio_documents() {
    model(semaphore_port::acquire_many_fifo_body);
    model(semaphore_port::close_and_try);
    model_with(bounded(), semaphore_port::permits_order_holders);
}

#[test]
fn rwlock_behaves_as_tokio_documents() {
    model(rwlock_port::writer_preferred_body);
    model(rwlock_port::readers_and_limit);
    // Two writers and a reader are too many threads for loom; one of each, bounded.
    model_with(bounded(), rwlock_port::one_writer_one_reader);
}

#[test]
fn barrier_behaves_as_tokio_documents() {
    model(barrier_port::trivial_barriers);
    model_with(bounded(), barrier_port::two_parties);
}
