//! Nodes as partial-order reduction sees them ([`crate::nodes`], rule 7): the node objects,
//! the accesses of crashes and pauses, the crash's dropped tasks as part of the crashing step,
//! and resumes and restarts reported as node steps.
//!
//! Protocol, as the run loop applies it:
//!
//! 1. Node `i`'s object is [`node_object`]`(i)`, a number no execution reaches otherwise; the
//!    step that starts the node lists it among the objects it created, so a strategy names it
//!    by its creator like any object.
//! 2. A step of a task of node `i`, or the firing of one of its timers, reads it
//!    ([`Step::node`](crate::strategy::Step::node)). A crash or pause writes it
//!    ([`Exec::crash_node`], [`Exec::pause_node`]), and lists the node's unfinished tasks as
//!    the step's disabled ones ([`Step::disabled`](crate::strategy::Step::disabled)): those
//!    that could run before it cannot after it (until a resume).
//! 3. The crashed tasks are dropped ([`apply_crashes`]) before the step is given to the
//!    strategy: what their destructors note (unlocks, channel closes, exits) and whom they
//!    wake are the crashing step's.
//! 4. At the top of the loop, before any candidate is computed, due resumes and restarts are
//!    applied ([`apply_node_events`]); each is given to the strategy as a [`NodeStep`], a
//!    restart with the first task of its incarnation.

use std::cell::RefCell;
use std::panic::Location;

use weft_core::{AccessKind, ObjectId, Op};

use crate::execution::Exec;
use crate::strategy::{Candidate, NodeStep};
use crate::task::TaskState;

/// The object standing for node `node` (rule 1): below the fault budgets' objects
/// ([`crate::nodes::budget_object`]), far above any object an execution creates.
pub(crate) fn node_object(node: u32) -> ObjectId {
    ObjectId::new(u32::MAX - 1024 - node).expect("nonzero")
}

impl Exec {
    /// Records, for partial-order reduction only (no trace line), an access of node `node`'s
    /// object by the running step (rule 2).
    pub(crate) fn node_access(&mut self, node: u32, access: AccessKind) {
        if let Some(log) = &mut self.step_record {
            let op = Op::on("node", node_object(node), access, Location::caller());
            log.accesses.push(op);
        }
    }

    /// Records that the running step crashed or paused node `node`: a write of its object,
    /// and its unfinished tasks disabled ([`Step::disabled`](crate::strategy::Step::disabled)).
    pub(crate) fn node_disabled(&mut self, node: u32) {
        self.node_access(node, AccessKind::Write);
        if let Some(log) = &mut self.step_record {
            let tasks = self.tasks.iter().enumerate();
            log.disabled.extend(
                tasks
                    .filter(|(_, t)| t.state != TaskState::Finished)
                    .filter(|(_, t)| t.node.is_some_and(|(n, _)| n == node))
                    .map(|(i, _)| i as u32),
            );
        }
    }

    /// The object of the node whose step `actor` is: a task's node, or a timer's task's.
    pub(crate) fn node_of(&self, actor: Candidate) -> Option<ObjectId> {
        let task = match actor {
            Candidate::Task(t) => t,
            Candidate::Timer(t) => self.timers[t as usize].task,
        };
        let (node, _) = self.tasks.get(task as usize)?.node?;
        Some(node_object(node))
    }

    /// Gives node step `step` to the strategy, if it wants steps.
    fn node_stepped(&mut self, step: NodeStep) {
        if self.step_record.is_some() {
            self.strategy.node_stepped(&step);
        }
    }
}

/// Drops the tasks of the nodes that crashed in the step that just ended, with checks off
/// ([`crate::nodes`], rule 2); what their destructors note is the step's (rule 3).
pub(crate) fn apply_crashes(cell: &RefCell<Exec>) {
    let dropped = cell.borrow_mut().crashed_tasks();
    if dropped.is_empty() {
        return;
    }
    {
        let mut e = cell.borrow_mut();
        e.tearing_down = true;
        e.nodes.dropping = true;
    }
    for f in dropped {
        crate::run_loop::drop_quietly(f);
    }
    let mut e = cell.borrow_mut();
    e.tearing_down = false;
    e.nodes.dropping = false;
}

/// Applies the resumes and restarts due now and gives each to the strategy (rule 4).
pub(crate) fn apply_node_events(cell: &RefCell<Exec>) {
    let (resumed, restarts) = cell.borrow_mut().node_events();
    for node in resumed {
        cell.borrow_mut().node_stepped(NodeStep {
            node: node_object(node),
            restarted: None,
        });
    }
    for r in restarts {
        let node = r.node;
        let task = r.spawn(cell);
        let mut e = cell.borrow_mut();
        let incarnation = e.nodes.list[node as usize].incarnation;
        e.node_stepped(NodeStep {
            node: node_object(node),
            restarted: Some((incarnation, task)),
        });
    }
}
