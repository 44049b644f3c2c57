//! Stable actor identities: the same task or timer gets the same [`ActorId`] in every
//! execution, whatever the interleaving.
//!
//! The executor numbers tasks and timers in creation order per execution, so under a different
//! interleaving task 3 may be another task. Wakeup sequences and sleep sets outlive one
//! execution, so they name actors by where they come from instead:
//!
//! - the root task is [`ActorId::ROOT`];
//! - a task is (its parent's identity, the ordinal of the spawn among the parent's spawns);
//! - a timer is (the identity of the task that armed it, the ordinal of the arm among that
//!   task's arms);
//! - a node's actor, whose steps are its resumes and restarts ([`crate::strategy::NodeStep`]),
//!   is named by its node's object (itself named by the step that started the node,
//!   [`super::objects`]);
//! - a restarted incarnation's first task is (its node's actor, the incarnation's number).
//!
//! A task's spawns and arms happen in its own program order, so these paths are the same in
//! every execution of a deterministic program. Identities are interned into small integers
//! once per exploration ([`Identities`]); [`Mapping`] maps one execution's task and timer
//! indices to them (and to a dense per-execution index for vector clocks).

use std::collections::BTreeMap;

use crate::strategy::Candidate;

/// An actor (task or timer) named by its creation path; see the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct ActorId(u32);

impl ActorId {
    /// The root task.
    pub(super) const ROOT: ActorId = ActorId(0);
}

/// How an actor was created: by a spawn or by an arm, `ordinal`-th of its kind in `parent`;
/// a node's actor (`ordinal`: the node object's stable name); a restart (`ordinal`: the
/// incarnation) by its node's actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Origin {
    parent: ActorId,
    kind: Kind,
    ordinal: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Spawn,
    Arm,
    Node,
    Restart,
}

/// The interned identities of one exploration.
#[derive(Debug, Default)]
pub(super) struct Identities {
    known: BTreeMap<Origin, ActorId>,
    /// The origin of each identity but the root's, by identity minus one.
    origins: Vec<Origin>,
    count: u32,
}

impl Identities {
    fn intern(&mut self, origin: Origin) -> ActorId {
        let (next, origins) = (&mut self.count, &mut self.origins);
        *self.known.entry(origin).or_insert_with(|| {
            *next += 1;
            origins.push(origin);
            ActorId(*next)
        })
    }

    /// The task that armed `timer`, if `timer` is a timer.
    pub(super) fn armed_by(&self, timer: ActorId) -> Option<ActorId> {
        let origin = self.origins.get(timer.0.checked_sub(1)? as usize)?;
        (origin.kind == Kind::Arm).then_some(origin.parent)
    }

    /// The actor of the node whose object is named `node` (stable name).
    pub(super) fn node(&mut self, node: weft_core::ObjectId) -> ActorId {
        self.intern(Origin {
            parent: ActorId::ROOT,
            kind: Kind::Node,
            ordinal: node.get(),
        })
    }
}

/// One execution's task and timer indices, mapped to identities and dense indices.
#[derive(Debug, Default)]
pub(super) struct Mapping {
    /// Identity of each task index.
    tasks: Vec<ActorId>,
    /// Identity of each timer index.
    timers: Vec<ActorId>,
    /// Dense (per execution, order of creation) index of each task and timer index.
    dense_tasks: Vec<u32>,
    dense_timers: Vec<u32>,
    /// Spawns and arms each task index made so far.
    spawns: Vec<u32>,
    arms: Vec<u32>,
    /// Node actors of this execution with their dense indices.
    nodes: Vec<(ActorId, u32)>,
    /// Actors of this execution by dense index.
    actors: u32,
}

impl Mapping {
    /// A fresh execution: only the root task exists.
    pub(super) fn reset(&mut self) {
        self.tasks.clear();
        self.timers.clear();
        self.dense_tasks.clear();
        self.dense_timers.clear();
        self.spawns.clear();
        self.arms.clear();
        self.nodes.clear();
        self.tasks.push(ActorId::ROOT);
        self.dense_tasks.push(0);
        self.spawns.push(0);
        self.arms.push(0);
        self.actors = 1;
    }

    /// The identity of candidate `c`, if the execution has created it.
    pub(super) fn of(&self, c: Candidate) -> Option<ActorId> {
        match c {
            Candidate::Task(t) => self.tasks.get(t as usize).copied(),
            Candidate::Timer(t) => self.timers.get(t as usize).copied(),
        }
    }

    /// The dense index of candidate `c` (for vector clocks).
    pub(super) fn dense(&self, c: Candidate) -> Option<u32> {
        match c {
            Candidate::Task(t) => self.dense_tasks.get(t as usize).copied(),
            Candidate::Timer(t) => self.dense_timers.get(t as usize).copied(),
        }
    }

    /// Actors created so far in this execution.
    pub(super) fn actors(&self) -> usize {
        self.actors as usize
    }

    /// Task `parent` spawned task index `child` (its next spawn in program order).
    pub(super) fn spawned(&mut self, ids: &mut Identities, parent: u32, child: u32) {
        let p = parent as usize;
        let origin = Origin {
            parent: self.tasks[p],
            kind: Kind::Spawn,
            ordinal: self.spawns[p],
        };
        self.spawns[p] += 1;
        self.add_task(ids.intern(origin), child);
    }

    /// Node actor `node` restarted its node as incarnation `incarnation`, whose first task is
    /// task index `child`.
    pub(super) fn restarted(
        &mut self,
        ids: &mut Identities,
        node: ActorId,
        incarnation: u32,
        child: u32,
    ) {
        let origin = Origin {
            parent: node,
            kind: Kind::Restart,
            ordinal: incarnation,
        };
        self.add_task(ids.intern(origin), child);
    }

    /// The dense index of node actor `node` in this execution (given at its first step).
    pub(super) fn node_dense(&mut self, node: ActorId) -> u32 {
        if let Some((_, d)) = self.nodes.iter().find(|(a, _)| *a == node) {
            return *d;
        }
        let d = self.actors;
        self.actors += 1;
        self.nodes.push((node, d));
        d
    }

    fn add_task(&mut self, id: ActorId, child: u32) {
        let c = child as usize;
        if self.tasks.len() <= c {
            self.tasks.resize(c + 1, ActorId::ROOT);
            self.dense_tasks.resize(c + 1, 0);
            self.spawns.resize(c + 1, 0);
            self.arms.resize(c + 1, 0);
        }
        self.tasks[c] = id;
        self.dense_tasks[c] = self.actors;
        self.actors += 1;
    }

    /// Task `task` armed timer index `timer` (its next arm in program order).
    pub(super) fn armed(&mut self, ids: &mut Identities, task: u32, timer: u32) {
        let p = task as usize;
        let origin = Origin {
            parent: self.tasks[p],
            kind: Kind::Arm,
            ordinal: self.arms[p],
        };
        self.arms[p] += 1;
        let id = ids.intern(origin);
        let t = timer as usize;
        if self.timers.len() <= t {
            self.timers.resize(t + 1, ActorId::ROOT);
            self.dense_timers.resize(t + 1, 0);
        }
        self.timers[t] = id;
        self.dense_timers[t] = self.actors;
        self.actors += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two executions that create the same tasks in a different order give them the same
    /// identities.
    #[test]
    fn identities_follow_the_creation_path_not_the_index() {
        let mut ids = Identities::default();
        let mut m = Mapping::default();
        // Execution 1: root spawns a (task 1) and b (task 2); a spawns c (task 3); b arms a timer.
        m.reset();
        m.spawned(&mut ids, 0, 1);
        m.spawned(&mut ids, 0, 2);
        m.spawned(&mut ids, 1, 3);
        m.armed(&mut ids, 2, 0);
        let (a, b, c) = (
            m.of(Candidate::Task(1)).unwrap(),
            m.of(Candidate::Task(2)).unwrap(),
            m.of(Candidate::Task(3)).unwrap(),
        );
        let timer = m.of(Candidate::Timer(0)).unwrap();
        // Execution 2: a runs first and spawns c before root spawns b: c is task 2 now.
        m.reset();
        m.spawned(&mut ids, 0, 1);
        m.spawned(&mut ids, 1, 2);
        m.spawned(&mut ids, 0, 3);
        m.armed(&mut ids, 3, 0);
        assert_eq!(m.of(Candidate::Task(1)), Some(a));
        assert_eq!(m.of(Candidate::Task(2)), Some(c));
        assert_eq!(m.of(Candidate::Task(3)), Some(b));
        assert_eq!(m.of(Candidate::Timer(0)), Some(timer));
        assert_eq!(m.of(Candidate::Task(0)), Some(ActorId::ROOT));
        assert_eq!(ids.armed_by(timer), Some(b));
        assert_eq!(ids.armed_by(c), None);
        assert_eq!(ids.armed_by(ActorId::ROOT), None);
        assert_eq!(m.dense(Candidate::Timer(0)), Some(4));
        assert_eq!(m.actors(), 5);
        assert!(a != b && b != c && c != timer);
    }
}
