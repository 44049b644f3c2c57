//! [`Queue`]: an unbounded FIFO queue.
//!
//! `Enqueue(v)` appends `v` and returns [`QueueRet::Ok`]; `Dequeue` removes the oldest value
//! and returns `Dequeued(Some(v))`, or `Dequeued(None)` when the queue is empty (a
//! non-blocking dequeue; a blocking one that never returns is a pending operation).

use std::collections::VecDeque;
use std::fmt::Debug;
use std::marker::PhantomData;

use super::spec::SequentialSpec;

/// A FIFO queue of `V`, initially empty.
#[derive(Clone, Debug, Default)]
pub struct Queue<V>(PhantomData<V>);

impl<V> Queue<V> {
    /// The spec.
    pub fn new() -> Self {
        Queue(PhantomData)
    }
}

/// An operation on a [`Queue`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueOp<V> {
    /// Appends a value.
    Enqueue(V),
    /// Removes the oldest value, if any.
    Dequeue,
}

/// What a [`Queue`] operation returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueRet<V> {
    /// An enqueue's acknowledgement.
    Ok,
    /// A dequeue's value (`None`: the queue was empty).
    Dequeued(Option<V>),
}

impl<V: Clone + Ord + Debug> SequentialSpec for Queue<V> {
    type State = VecDeque<V>;
    type Op = QueueOp<V>;
    type Ret = QueueRet<V>;
    type Key = ();

    fn init(&self) -> VecDeque<V> {
        VecDeque::new()
    }

    fn apply(&self, state: &VecDeque<V>, op: &QueueOp<V>) -> (VecDeque<V>, QueueRet<V>) {
        let mut next = state.clone();
        match op {
            QueueOp::Enqueue(v) => {
                next.push_back(v.clone());
                (next, QueueRet::Ok)
            }
            QueueOp::Dequeue => {
                let v = next.pop_front();
                (next, QueueRet::Dequeued(v))
            }
        }
    }
}
