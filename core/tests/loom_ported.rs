//! The tokio primitives users port (`watch`, `JoinSet`, `timeout`, `interval`) under loom:
//! the same bodies run on tokio, shuttle and weft-sim.

mod support;

use support::catch::found;
use support::{join_set, time, watch};
use weft_core::backend::loom::{model, model_with, try_model};
use weft_core::sync::{oneshot, watch as weft_watch};
use weft_core::task::JoinSet;
use weft_core::{FailureKind, Runtime};

fn bounded() -> loom::model::Builder {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(2);
    builder
}

#[test]
fn watch_behaves_under_loom() {
    model_with(bounded(), watch::watch_semantics);
    model(watch::watch_closed_waits);
    model(watch::watch_send_orders_the_receiver);
    model(watch::watch_changed_arm);
}

#[test]
fn join_set_behaves_under_loom() {
    model_with(bounded(), join_set::join_set_completion_order);
    model(join_set::join_set_exit_orders_the_joiner);
    model_with(bounded(), join_set::join_set_abort_all);
    model_with(bounded(), join_set::join_set_abort_orders_the_joiner);
    model_with(bounded(), join_set::join_set_shutdown_and_handle_abort);
    model(join_set::join_set_drop_aborts);
}

#[test]
fn time_behaves_under_loom() {
    model(time::timeout_semantics);
    model(time::interval_semantics);
}

/// Without the send → changed edge, loom's race check reports the receiver's read.
#[test]
fn reading_before_the_change_is_a_data_race() {
    let failure = found(try_model(|rt| async move {
        use std::sync::Arc;
        use weft_core::sync::SharedCell;
        let cell = Arc::new(SharedCell::new(&rt, 0u32));
        let (tx, rx) = weft_watch::channel(&rt, 0u32);
        let c = cell.clone();
        let h = rt.spawn("writer", async move {
            c.set(1);
            tx.send(1).unwrap();
        });
        // No `changed`: the read is unordered with the write.
        let _ = cell.get();
        drop(rx);
        h.join().await;
    }));
    let (kind, msg) = failure.expect("loom must report the race");
    assert_eq!(kind, FailureKind::DataRace, "{msg}");
}

/// A task aborted while parked is woken and ends; loom does not report it as still running.
#[test]
fn an_aborted_parked_task_ends() {
    model(|rt| async move {
        let mut set = JoinSet::new(&rt);
        let r = rt.clone();
        set.spawn("parked", async move {
            let (_tx, rx) = oneshot::channel::<_, ()>(&r);
            let _ = rx.recv().await;
        });
        set.abort_all();
        assert!(set.join_next().await.unwrap().unwrap_err().is_cancelled());
        let _ = rt.backend_name();
    });
}
