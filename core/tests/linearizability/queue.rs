//! FIFO queues.

use weft_core::linearizability::{History, Queue, QueueOp::*, QueueRet::*};

use crate::support::{linearizable, not_linearizable};

type Q = Queue<u32>;

#[test]
fn concurrent_enqueues_may_come_out_in_either_order() {
    let h = History::<Q>::builder()
        .invoke(0, Enqueue(1))
        .invoke(1, Enqueue(2))
        .respond(0, Ok)
        .respond(1, Ok)
        .call(2, Dequeue, Dequeued(Some(2)))
        .call(2, Dequeue, Dequeued(Some(1)))
        .call(2, Dequeue, Dequeued(None))
        .build()
        .unwrap();
    linearizable(&Q::new(), &h);
}

#[test]
fn sequential_enqueues_must_come_out_in_order() {
    let h = History::<Q>::builder()
        .call(0, Enqueue(1), Ok)
        .call(1, Enqueue(2), Ok)
        .call(2, Dequeue, Dequeued(Some(2)))
        .build()
        .unwrap();
    let w = not_linearizable(&Q::new(), &h);
    assert_eq!(w.history.len(), 3, "{}", w.report());
}

#[test]
fn a_value_dequeued_twice_is_not_linearizable() {
    let h = History::<Q>::builder()
        .call(0, Enqueue(1), Ok)
        .invoke(1, Dequeue)
        .invoke(2, Dequeue)
        .respond(1, Dequeued(Some(1)))
        .respond(2, Dequeued(Some(1)))
        .build()
        .unwrap();
    not_linearizable(&Q::new(), &h);
}

#[test]
fn an_empty_dequeue_overlapping_the_enqueue_is_linearizable_after_it_is_not() {
    let overlapping = History::<Q>::builder()
        .invoke(0, Enqueue(1))
        .call(1, Dequeue, Dequeued(None))
        .respond(0, Ok)
        .build()
        .unwrap();
    linearizable(&Q::new(), &overlapping);
    let after = History::<Q>::builder()
        .call(0, Enqueue(1), Ok)
        .call(1, Dequeue, Dequeued(None))
        .build()
        .unwrap();
    not_linearizable(&Q::new(), &after);
}
