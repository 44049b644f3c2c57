//! [`SequentialSpec`]: the sequential object a concurrent history is checked against.
//!
//! A spec is a plain deterministic state machine: a [`State`](SequentialSpec::State) that
//! starts at [`init`](SequentialSpec::init), and [`apply`](SequentialSpec::apply), which runs
//! one operation on a state and returns the next state and the operation's return value. The
//! checker compares that return value with the one the concurrent object gave; a pending
//! operation (never answered) matches any return value.
//!
//! Specs are total: `apply` answers every operation in every state (an operation that fails
//! on the real object, such as a dequeue of an empty queue, returns a value saying so).
//!
//! # Partitioning
//!
//! [`partition`](SequentialSpec::partition) says which operations are independent (P-compositionality,
//! as in Porcupine's `Partition` and Lowe's "Testing for linearizability", 2017, §5): when it
//! returns `Some(key)` for every operation of a history, the history is linearizable exactly
//! when each key's sub-history is, and the checker checks each key on its own (much cheaper:
//! the search is exponential in the number of concurrent operations it must order). One
//! operation answering `None` (it touches every key, or the spec does not partition) makes the
//! whole history one partition.

use std::fmt::Debug;

/// A sequential specification: see the module documentation.
pub trait SequentialSpec {
    /// The object's state. `Ord` lets the checker memoize (linearized set, state) pairs in a
    /// `BTreeSet`.
    type State: Clone + Ord + Debug;
    /// An operation with its arguments, as a client invokes it.
    type Op: Clone + Debug;
    /// What an operation returns.
    type Ret: Clone + Eq + Debug;
    /// A partition key ([`SequentialSpec::partition`]); `()` for a spec that does not
    /// partition.
    type Key: Clone + Ord + Debug;

    /// The initial state.
    fn init(&self) -> Self::State;

    /// Runs `op` on `state`: the next state and what `op` returns.
    fn apply(&self, state: &Self::State, op: &Self::Op) -> (Self::State, Self::Ret);

    /// The partition `op` belongs to, or `None` if it may interact with every operation. The
    /// default never partitions.
    fn partition(&self, op: &Self::Op) -> Option<Self::Key> {
        let _ = op;
        None
    }
}
