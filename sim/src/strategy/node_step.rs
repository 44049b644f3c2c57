//! [`NodeStep`]: a resume or restart, as strategies that want steps see it
//! ([`crate::nodes`], rules 3 and 7).

use weft_core::ObjectId;

/// A node event the run loop applied between two steps when its instant came: a paused node
/// resumed, or a crashed one restarted. Only for strategies that want steps
/// ([`Strategy::node_stepped`](super::Strategy::node_stepped)). It is no decision: it happens
/// at the top of the loop as soon as virtual time reaches its instant, before any candidate
/// runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeStep {
    /// The node's object (the one its tasks' steps read, [`Step::node`](super::Step::node)).
    pub node: ObjectId,
    /// For a restart: the new incarnation's number and its first task (spawned by this node
    /// step); `None` for a resume.
    pub restarted: Option<(u32, u32)>,
}
