//! Pending operations (never answered) may take effect or not.

use weft_core::linearizability::{
    History, Queue, QueueOp, QueueRet, Register, RegisterOp::*, RegisterRet::*,
};

use crate::support::{linearizable, not_linearizable};

type R = Register<i32>;

#[test]
fn a_pending_write_that_took_effect() {
    let h = History::<R>::builder()
        .invoke(0, Write(1))
        .call(1, Read, Value(1))
        .build()
        .unwrap();
    assert!(h.ops()[0].is_pending());
    linearizable(&R::new(0), &h);
}

#[test]
fn a_pending_write_that_did_not_take_effect() {
    let h = History::<R>::builder()
        .invoke(0, Write(1))
        .call(1, Read, Value(0))
        .call(1, Read, Value(0))
        .build()
        .unwrap();
    linearizable(&R::new(0), &h);
}

#[test]
fn a_pending_write_cannot_take_effect_and_then_be_undone() {
    let h = History::<R>::builder()
        .invoke(0, Write(1))
        .call(1, Read, Value(1))
        .call(1, Read, Value(0))
        .build()
        .unwrap();
    let w = not_linearizable(&R::new(0), &h);
    assert!(w.report().contains("(pending)"), "{}", w.report());
}

#[test]
fn a_pending_operation_cannot_take_effect_before_its_invocation() {
    let h = History::<R>::builder()
        .call(1, Read, Value(1))
        .invoke(0, Write(1))
        .build()
        .unwrap();
    not_linearizable(&R::new(0), &h);
}

#[test]
fn pending_enqueues_may_be_dequeued_or_not() {
    type Q = Queue<u32>;
    let h = History::<Q>::builder()
        .invoke(0, QueueOp::Enqueue(1))
        .invoke(1, QueueOp::Enqueue(2))
        .call(2, QueueOp::Dequeue, QueueRet::Dequeued(Some(2)))
        .call(2, QueueOp::Dequeue, QueueRet::Dequeued(None))
        .build()
        .unwrap();
    linearizable(&Q::new(), &h);
}

#[test]
fn a_pending_dequeue_may_take_a_value() {
    type Q = Queue<u32>;
    // c1's dequeue never returned, yet the value is gone: it took it.
    let h = History::<Q>::builder()
        .call(0, QueueOp::Enqueue(1), QueueRet::Ok)
        .invoke(1, QueueOp::Dequeue)
        .call(2, QueueOp::Dequeue, QueueRet::Dequeued(None))
        .build()
        .unwrap();
    linearizable(&Q::new(), &h);
}

/// A client that abandons a write (a timed-out call) goes on: the write stays pending and may
/// take effect after the client's next operation, as a request still in flight can.
#[test]
fn an_abandoned_write_may_land_after_the_clients_next_operation() {
    let h = History::<R>::builder()
        .invoke(0, Write(1))
        .abandon(0)
        .call(0, Read, Value(0))
        .call(1, Read, Value(1))
        .build()
        .unwrap();
    assert!(h.ops()[0].is_pending());
    linearizable(&R::new(0), &h);
}

/// It may not take effect before its invocation.
#[test]
fn an_abandoned_write_cannot_precede_its_invocation() {
    let h = History::<R>::builder()
        .call(1, Read, Value(1))
        .invoke(0, Write(1))
        .abandon(0)
        .build()
        .unwrap();
    not_linearizable(&R::new(0), &h);
}

#[test]
fn abandoning_with_nothing_open_is_a_one_line_error() {
    let e = History::<R>::builder()
        .call(0, Read, Value(0))
        .abandon(0)
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "malformed history: client 0 abandons an operation but has none open"
    );
}
