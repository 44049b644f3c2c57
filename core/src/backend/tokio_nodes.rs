//! Nodes on tokio: a node is a task group ([`crate::node`]).
//!
//! Protocol:
//!
//! 1. Every task of a node runs inside [`InNode`], which marks the node on the polling thread
//!    for the duration of each poll; a task spawned during that poll joins the same group.
//! 2. A crash aborts every task of the group (tokio's abort: each is dropped at its next
//!    `.await`, with its `JoinHandle` reporting it dropped unfinished), then, for
//!    [`Restart::After`], spawns a timer task that starts the next incarnation.
//! 3. A pause cannot be real on tokio (its scheduler has no way to hold a group's tasks):
//!    [`crate::Runtime::pause`] is refused with one line, as is a fault budget (the check
//!    layer refuses such scenarios before they run).
//! 4. Clocks: a node's wall clock and monotonic clock apply its [`Clocks`] to tokio's time
//!    since the handle's epoch (a declared set is chosen from at random, unrecorded).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use crate::node::{Clocks, NodeId, NodeSpec, Restart, Start};
use crate::runtime::BoxFuture;

thread_local! {
    /// The node whose task this thread is polling (index + 1; 0 for none).
    static POLLING: Cell<u32> = const { Cell::new(0) };
}

/// The node of the task being polled on this thread.
pub(crate) fn polling() -> Option<u32> {
    POLLING.with(|p| p.get().checked_sub(1))
}

/// One node's group.
pub(crate) struct Group {
    start: Start,
    restart: Restart,
    pub(crate) clocks: Clocks,
    pub(crate) started: ::tokio::time::Instant,
    tasks: Vec<::tokio::task::AbortHandle>,
}

/// Every node of a handle.
#[derive(Default)]
pub(crate) struct Groups {
    list: Mutex<Vec<Group>>,
}

impl std::fmt::Debug for Groups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Groups").finish_non_exhaustive()
    }
}

/// A node's task: marks its node while it is polled.
pub(crate) struct InNode {
    pub(crate) node: u32,
    pub(crate) future: BoxFuture,
}

impl Future for InNode {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let previous = POLLING.with(|p| p.replace(self.node + 1));
        let out = self.future.as_mut().poll(cx);
        POLLING.with(|p| p.set(previous));
        out
    }
}

impl Groups {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Group>> {
        self.list.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a node; returns its id and its start function.
    pub(crate) fn add(&self, spec: NodeSpec, clocks: Clocks) -> (NodeId, Start) {
        let mut list = self.lock();
        let id = list.len() as u32;
        let start = spec.start.clone();
        list.push(Group {
            start: spec.start,
            restart: spec.restart,
            clocks,
            started: ::tokio::time::Instant::now(),
            tasks: Vec::new(),
        });
        (NodeId(id), start)
    }

    /// Records a task of `node` (to abort on a crash).
    pub(crate) fn joined(&self, node: u32, task: ::tokio::task::AbortHandle) {
        if let Some(g) = self.lock().get_mut(node as usize) {
            g.tasks.retain(|t| !t.is_finished());
            g.tasks.push(task);
        }
    }

    /// Aborts the group; returns what restarts it, if it restarts.
    pub(crate) fn crash(&self, node: NodeId) -> Option<(std::time::Duration, Start)> {
        let mut list = self.lock();
        let g = list.get_mut(node.0 as usize)?;
        for t in g.tasks.drain(..) {
            t.abort();
        }
        match g.restart {
            Restart::Never => None,
            Restart::After(d) => Some((d, g.start.clone())),
        }
    }

    /// Marks a fresh incarnation's start time.
    pub(crate) fn restarted(&self, node: u32) {
        if let Some(g) = self.lock().get_mut(node as usize) {
            g.started = ::tokio::time::Instant::now();
        }
    }

    /// The clocks and incarnation start of `node`.
    pub(crate) fn clocks(&self, node: u32) -> Option<(Clocks, ::tokio::time::Instant)> {
        self.lock()
            .get(node as usize)
            .map(|g| (g.clocks, g.started))
    }
}

/// Shared by the handle: the groups.
pub(crate) type SharedGroups = Arc<Groups>;
