//! The simulator's node table: crashes, restarts, pauses and per-node clocks
//! ([`weft_core::node`]), and fault decisions under the budget ([`weft_core::faults`]).
//!
//! Protocol, as the run loop applies it:
//!
//! 1. A task belongs to the node of the task that spawned it ([`Exec::spawn`]); a node's first
//!    task of incarnation `k` is spawned by the run loop (for a restart) or by
//!    [`start_node`](weft_core::Runtime::start_node), and is named `NAME` (incarnation 1) or
//!    `NAME#k`.
//! 2. A crash is marked during a step and applied when the step ends ([`Exec::crashed_tasks`]):
//!    the node's unfinished tasks are marked finished and their futures dropped outside the
//!    execution's borrow, with checks off (a crashed task's destructors are not its steps: the
//!    process is gone; what they release, such as a lock or a channel end, is released).
//!    Their timers are cancelled by the drop.
//! 3. A paused node's tasks are not candidates and its due timers do not fire until it
//!    resumes; a node's resume and restart instants are deadlines time can advance to, like
//!    timers ([`Exec::next_node_deadline`]). Both are applied at the top of the run loop
//!    ([`Exec::node_events`]).
//! 4. A restart spawns the new incarnation as a child of the task that started the node
//!    (happens-before: what that task had done before it started the node; a restart does not
//!    inherit anything from the crashed incarnation).
//! 5. A fault opportunity whose kind has no budget left is no decision; otherwise the strategy
//!    decides ([`Strategy::fault`](crate::strategy::Strategy::fault)), the schedule records
//!    [`Decision::Fault`], and an injected fault spends its budget.
//! 6. For partial-order reduction, what is left of each kind's budget is an object
//!    ([`budget_object`]): an opportunity reads it (whether it is a decision depends on it),
//!    an injected fault updates it. So two opportunities of one kind commute unless one of
//!    them injects, and DPOR explores which of two messages takes the last loss. Kinds the
//!    execution declared no budget of are left out.
//! 7. For partial-order reduction, each node is an object too ([`node_object`], created by the
//!    step that starts the node): every step of one of its tasks (and every firing of one of
//!    their timers) reads it ([`Step::node`](crate::strategy::Step::node)): it can run only
//!    while the node is up and not paused. A crash or a pause writes it (a crash or pause of
//!    a node already down reads it), and a crash's step also performs what the destructors
//!    of the node's dropped tasks do (rule 2: a lock released, a channel end closed, a task
//!    exit): those are accesses of the crashing step ([`crate::node_steps`]). A resume or
//!    restart is a step of no task: it is reported to the strategy as a node step
//!    ([`Strategy::node_stepped`](crate::strategy::Strategy::node_stepped)).

use std::time::Duration;

use std::panic::Location;
use weft_core::faults::{Budget, FaultKind};
use weft_core::node::{Clocks, NodeId, NodeSpec, Restart, Start, WallTime};

use weft_core::{AccessKind, BoxFuture, FailureKind, Instant, ObjectId, Op};

use crate::execution::Exec;
use crate::node_steps::node_object;
use crate::schedule::Decision;
use crate::task::TaskState;
use crate::trace::{EventKind, NodeEvent};

/// One node of an execution.
pub(crate) struct Node {
    pub(crate) name: String,
    start: Start,
    restart: Restart,
    clocks: Clocks,
    /// Incarnations so far (1 after the start).
    pub(crate) incarnation: u32,
    /// When the current incarnation started (its monotonic clock's zero).
    started_at: Instant,
    /// Down since a crash; restarts at this instant if it restarts.
    down: Option<Option<Instant>>,
    /// A crash marked in the running step, applied when it ends.
    crash_pending: bool,
    /// Paused until this instant.
    pub(crate) paused_until: Option<Instant>,
    /// The task that started the node: the parent of every incarnation's first task.
    starter: u32,
}

/// Every node of an execution and what is left of the fault budget.
#[derive(Default)]
pub(crate) struct Nodes {
    pub(crate) list: Vec<Node>,
    pub(crate) budget: Budget,
    /// The budget the execution started with.
    pub(crate) declared: Budget,
    /// Set while a crash's tasks are dropped: what their destructors do is noted in the
    /// crashing step (rule 7).
    pub(crate) dropping: bool,
}

/// A restart to spawn: the start function is called outside the execution's borrow.
pub(crate) struct Restarting {
    pub(crate) node: u32,
    start: Start,
}

impl Nodes {
    /// Whether node `n` is paused now.
    pub(crate) fn paused(&self, node: Option<u32>) -> bool {
        node.is_some_and(|n| self.list[n as usize].paused_until.is_some())
    }
}

impl Exec {
    /// Registers `spec` (started by the current task) with `clocks`; returns its id and the
    /// start function of its first incarnation.
    pub(crate) fn add_node(&mut self, spec: NodeSpec, clocks: Clocks) -> (NodeId, Start) {
        let id = self.nodes.list.len() as u32;
        let start = spec.start.clone();
        self.nodes.list.push(Node {
            name: spec.name,
            start: spec.start,
            restart: spec.restart,
            clocks,
            incarnation: 1,
            started_at: self.now,
            down: None,
            crash_pending: false,
            paused_until: None,
            starter: self.current,
        });
        if let Some(log) = &mut self.step_record {
            // Named by the starting step, like the objects it creates (rule 7).
            log.objects.push(node_object(id));
        }
        (NodeId(id), start)
    }

    /// Spawns the first task of node `node`'s current incarnation.
    pub(crate) fn spawn_incarnation(&mut self, node: u32, future: BoxFuture) -> u32 {
        let n = &self.nodes.list[node as usize];
        let k = n.incarnation;
        let name = if k == 1 {
            n.name.clone()
        } else {
            format!("{}#{k}", n.name)
        };
        let parent = n.starter;
        let current = std::mem::replace(&mut self.current, parent);
        let task = self.spawn_in(&name, future, Some((node, k)));
        self.current = current;
        task
    }

    /// The node of the running task.
    pub(crate) fn current_node(&self) -> Option<u32> {
        self.tasks
            .get(self.current as usize)
            .and_then(|t| t.node)
            .map(|(n, _)| n)
    }

    /// The clocks and incarnation start of the running task's node.
    pub(crate) fn current_clocks(&self) -> (Clocks, Instant) {
        match self.current_node() {
            Some(n) => {
                let n = &self.nodes.list[n as usize];
                (n.clocks, n.started_at)
            }
            None => (Clocks::EXACT, Instant::ZERO),
        }
    }

    /// The running task's node's wall clock.
    pub(crate) fn wall_now(&self) -> WallTime {
        self.current_clocks().0.wall(self.now.since_epoch())
    }

    /// The running task's node's monotonic clock.
    pub(crate) fn local_now(&self) -> Instant {
        let (clocks, started) = self.current_clocks();
        Instant::from_epoch(clocks.scale(self.now - started))
    }

    fn node_index(&mut self, node: NodeId) -> Option<usize> {
        let i = node.0 as usize;
        if i < self.nodes.list.len() {
            return Some(i);
        }
        self.record_failure(
            FailureKind::Panic,
            format!(
                "{node} does not exist (this execution started {} nodes)",
                self.nodes.list.len()
            ),
        );
        None
    }

    /// Marks `node` to crash when the running step ends (a node already down stays down).
    pub(crate) fn crash_node(&mut self, node: NodeId, at: Option<&'static str>) {
        let Some(i) = self.node_index(node) else {
            return;
        };
        let n = &mut self.nodes.list[i];
        if n.down.is_some() || n.crash_pending {
            self.node_access(i as u32, AccessKind::Read);
            return;
        }
        n.crash_pending = true;
        self.node_disabled(i as u32);
        let n = &self.nodes.list[i];
        let event = NodeEvent::Crashed {
            node: n.name.clone(),
            step: self.step,
            at,
        };
        self.event(EventKind::Node(event));
    }

    /// Pauses `node` for `duration` from now (a pause of a paused node extends it); `at` is
    /// the crash point the checker paused it at, if it was one.
    pub(crate) fn pause_node(
        &mut self,
        node: NodeId,
        duration: Duration,
        at: Option<&'static str>,
    ) {
        let Some(i) = self.node_index(node) else {
            return;
        };
        let until = self.now + duration;
        if duration.is_zero() {
            return;
        }
        if self.nodes.list[i].down.is_some() {
            self.node_access(i as u32, AccessKind::Read);
            return;
        }
        self.node_disabled(i as u32);
        let n = &mut self.nodes.list[i];
        n.paused_until = Some(n.paused_until.map_or(until, |u| u.max(until)));
        let event = NodeEvent::Paused {
            node: n.name.clone(),
            duration,
            at,
        };
        self.event(EventKind::Node(event));
    }

    /// Applies the crashes marked in the step that just ended: the crashed nodes' unfinished
    /// tasks are finished, and their futures returned, to be dropped outside the borrow.
    pub(crate) fn crashed_tasks(&mut self) -> Vec<BoxFuture> {
        let mut dropped = Vec::new();
        for (i, n) in self.nodes.list.iter_mut().enumerate() {
            if !n.crash_pending {
                continue;
            }
            n.crash_pending = false;
            n.paused_until = None;
            n.down = Some(match n.restart {
                Restart::Never => None,
                Restart::After(d) => Some(self.now + d),
            });
            for t in &mut self.tasks {
                if t.node.is_some_and(|(node, _)| node == i as u32)
                    && t.state != TaskState::Finished
                {
                    t.state = TaskState::Finished;
                    dropped.extend(t.future.take());
                }
            }
        }
        dropped
    }

    /// The earliest resume or restart instant, if any.
    pub(crate) fn next_node_deadline(&self) -> Option<Instant> {
        self.nodes
            .list
            .iter()
            .filter_map(|n| n.paused_until.or(n.down.flatten()))
            .min()
    }

    /// Resumes the nodes whose pause ended by now, and returns them and the restarts due by
    /// now (their incarnation counted; the caller spawns them with [`Restarting::spawn`]).
    pub(crate) fn node_events(&mut self) -> (Vec<u32>, Vec<Restarting>) {
        let now = self.now;
        let mut resumed = Vec::new();
        let mut restarts = Vec::new();
        let mut events = Vec::new();
        for (i, n) in self.nodes.list.iter_mut().enumerate() {
            if n.paused_until.is_some_and(|u| u <= now) {
                n.paused_until = None;
                resumed.push(i as u32);
                events.push(NodeEvent::Resumed {
                    node: n.name.clone(),
                });
            }
            if n.down.flatten().is_some_and(|at| at <= now) {
                n.down = None;
                n.incarnation += 1;
                n.started_at = now;
                events.push(NodeEvent::Restarted {
                    node: n.name.clone(),
                    incarnation: n.incarnation,
                });
                restarts.push(Restarting {
                    node: i as u32,
                    start: n.start.clone(),
                });
            }
        }
        for e in events {
            self.event(EventKind::Node(e));
        }
        (resumed, restarts)
    }

    /// A fault opportunity of `kind` with `options` ways of happening (see the module docs,
    /// rule 5): `Some(option)` if the strategy injects one.
    pub(crate) fn fault(&mut self, kind: FaultKind, options: usize) -> Option<usize> {
        if self.tearing_down || options == 0 {
            return None;
        }
        if self.nodes.budget.get(kind) == 0 {
            // What is left of the budget decides that there is no decision: a read of it.
            self.budget_access(kind, AccessKind::Read);
            return None;
        }
        self.tick(None);
        self.decisions += 1;
        match self.strategy.fault(kind, options + 1) {
            Ok(chosen) => {
                self.schedule.decisions.push(Decision::Fault {
                    kind,
                    chosen: chosen as u32,
                });
                // A data choice of the step, as partial-order reduction sees it.
                if let Some(log) = &mut self.step_record {
                    log.choices.push((options as u32 + 1, chosen as u32));
                }
                if chosen == 0 {
                    self.budget_access(kind, AccessKind::Read);
                    return None;
                }
                self.budget_access(kind, AccessKind::Update);
                self.nodes.budget.spend(kind);
                if !matches!(kind, FaultKind::Crash | FaultKind::Pause) {
                    // A crash or pause is shown as what it does to its node.
                    self.event(EventKind::Fault {
                        kind,
                        option: chosen as u32 - 1,
                        options: options as u32,
                    });
                }
                Some(chosen - 1)
            }
            Err(message) => {
                self.record_failure(FailureKind::Divergence, message);
                None
            }
        }
    }
}

impl Exec {
    /// Records, for partial-order reduction only (no trace line), that the running step read
    /// or spent what is left of `kind`'s budget (rule 6). Nothing for a kind the execution
    /// declared no budget of: its opportunities are constant.
    fn budget_access(&mut self, kind: FaultKind, access: AccessKind) {
        if self.nodes.declared.get(kind) == 0 {
            return;
        }
        if let Some(log) = &mut self.step_record {
            log.accesses.push(Op::on(
                "fault.budget",
                budget_object(kind),
                access,
                Location::caller(),
            ));
        }
    }
}

/// The object standing for what is left of `kind`'s budget: a number no execution reaches
/// (`ObjectId`s count from 1 in creation order), so it is named alike in every execution.
pub(crate) fn budget_object(kind: FaultKind) -> ObjectId {
    ObjectId::new(u32::MAX - kind.code()).expect("nonzero")
}

impl Restarting {
    /// Spawns the restart: calls the start function outside the borrow, then spawns its body;
    /// returns its first task.
    pub(crate) fn spawn(self, cell: &std::cell::RefCell<Exec>) -> u32 {
        let body = (self.start)();
        cell.borrow_mut().spawn_incarnation(self.node, body)
    }
}
