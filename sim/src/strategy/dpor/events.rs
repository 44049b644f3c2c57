//! One execution as a sequence of events, with its happens-before relation in vector clocks.
//!
//! An event is one executed [`Step`]: a task's poll from one scheduling point to the next, or
//! a timer's firing. Its accesses are the [`Touch`]es of the step's operations (minus
//! `yield_now`'s [`Touch::Nothing`]); two events are *dependent* when some pair of their
//! accesses [conflicts](Touch::conflicts). A failed attempt at an unobservable await has no
//! accesses ([`super::blocking`]).
//!
//! Happens-before is the smallest transitive relation that contains
//! - program order: an actor's events in order;
//! - enabling: the step that spawned a task precedes the task's first event, the step that
//!   woke a task ([`Step::woke`]) precedes its next event, and the step that armed a timer
//!   precedes the timer's firing (not races: the later event could not run without the
//!   earlier one);
//! - dependency: of two dependent events, the earlier precedes the later.
//!
//! [`Events::finish`] computes one vector clock per event and the *races*: pairs `(e, e')` of
//! dependent events of different actors where `e` happens before `e'` through their own
//! dependency only (no other path), the candidates for reversal.

use smallvec::SmallVec;
use weft_core::{AccessKind, ObjectId, Touch};

use super::blocking::{awaits, Await};
use super::choices::Values;
use super::identity::{ActorId, Mapping};
use super::objects::ObjectNames;
use crate::strategy::{Candidate, Step, StepEnd};

/// What an event touches, for dependency.
pub(super) type Accesses = SmallVec<[Touch; 2]>;

/// Whether two access lists are dependent.
pub(super) fn dependent(a: &[Touch], b: &[Touch]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.conflicts(*y)))
}

/// One executed step.
#[derive(Debug)]
pub(super) struct Event {
    pub(super) actor: ActorId,
    /// Dense per-execution index of the actor (vector clock component).
    pub(super) dense: u32,
    pub(super) accesses: Accesses,
    /// The values of the step's data choices ([`super::choices`]).
    pub(super) values: Values,
    /// The unobservable await this event completed, if any.
    pub(super) completes: Option<(ObjectId, Await)>,
    /// A timer's firing.
    pub(super) timer: bool,
    /// A node step ([`crate::strategy::NodeStep`]): applied when its instant comes, never at
    /// a decision, so it cannot be moved ([`super::races`]).
    pub(super) scheduled: bool,
    /// The tasks a crash or pause disabled ([`super::disabling`]).
    pub(super) disabled: SmallVec<[ActorId; 2]>,
    /// The event that made this one's actor runnable (spawn, wake, arm), if after its last event.
    pub(super) enabler: Option<u32>,
    /// The actors that could run at this position (the decision's candidates).
    pub(super) enabled: SmallVec<[ActorId; 4]>,
}

/// The events of one execution; see the module documentation.
#[derive(Debug, Default)]
pub(super) struct Events {
    pub(super) list: Vec<Event>,
    /// Stable object names ([`super::objects`]): every access is recorded under them.
    names: ObjectNames,
    /// Per dense actor: the event that enabled its next event.
    next_enabler: Vec<Option<u32>>,
    /// Per dense actor: events so far.
    counts: Vec<u32>,
    /// After [`Events::finish`]: clocks, `width` entries per event.
    clocks: Vec<u32>,
    width: usize,
    /// After [`Events::finish`]: each event's 1-based index among its actor's events.
    seq: Vec<u32>,
}

impl Events {
    pub(super) fn reset(&mut self) {
        self.list.clear();
        self.names.reset();
        self.next_enabler.clear();
        self.counts.clear();
    }

    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    /// Records `step` (its actor already mapped), then maps what it spawned and armed.
    pub(super) fn push(
        &mut self,
        mapping: &mut Mapping,
        ids: &mut super::identity::Identities,
        step: &Step<'_>,
        actor: ActorId,
        enabled: SmallVec<[ActorId; 4]>,
    ) {
        let position = self.list.len() as u32;
        let dense = mapping.dense(step.actor).unwrap_or(0);
        let d = dense as usize;
        self.grow(mapping.actors());
        let first = self.counts[d] == 0;
        self.counts[d] += 1;
        self.names.created(actor, step.objects);
        let mut accesses = Accesses::new();
        for op in step.accesses {
            let touch = self.names.rename(op.touch);
            if touch != Touch::Nothing && !accesses.contains(&touch) {
                accesses.push(touch);
            }
        }
        let awaited = if first {
            None
        } else {
            step.accesses
                .first()
                .and_then(awaits)
                .map(|(o, wait)| (self.names.name(o), wait))
        };
        let failed = step.end == StepEnd::Blocked && step.accesses.len() == 1 && awaited.is_some();
        let completes = if failed {
            accesses.clear();
            None
        } else {
            if let Some(node) = step.node {
                // It runs only while its node is up and not paused (`crate::nodes`, rule 7).
                let read = Touch::Object(self.names.name(node), AccessKind::Read);
                if !accesses.contains(&read) {
                    accesses.push(read);
                }
            }
            awaited
        };
        let enabler = self.next_enabler[d].take();
        self.list.push(Event {
            actor,
            dense,
            accesses,
            values: step.choices.iter().copied().collect(),
            completes,
            timer: matches!(step.actor, Candidate::Timer(_)),
            scheduled: false,
            disabled: step
                .disabled
                .iter()
                .filter_map(|t| mapping.of(Candidate::Task(*t)))
                .collect(),
            enabler,
            enabled,
        });
        if let Candidate::Task(parent) = step.actor {
            for &child in step.spawned {
                mapping.spawned(ids, parent, child);
            }
            for &timer in step.armed {
                mapping.armed(ids, parent, timer);
            }
        }
        self.grow(mapping.actors());
        for c in step
            .spawned
            .iter()
            .chain(step.woke)
            .map(|t| Candidate::Task(*t))
            .chain(step.armed.iter().map(|t| Candidate::Timer(*t)))
        {
            if let Some(x) = mapping.dense(c) {
                self.next_enabler[x as usize] = Some(position);
            }
        }
    }

    /// The stable name of object `o` of the current execution ([`super::objects`]).
    pub(super) fn name(&mut self, o: ObjectId) -> ObjectId {
        self.names.name(o)
    }

    /// Records node step `step` of node actor `actor`, whose node's object is named `node`:
    /// no accesses (a resume or restart is no decision and commutes with nothing, see
    /// [`super::races`]); made possible by the last event that wrote the node's object (the
    /// crash or pause that set its instant); a restart spawns its incarnation's first task.
    pub(super) fn push_node(
        &mut self,
        mapping: &mut Mapping,
        ids: &mut super::identity::Identities,
        step: &crate::strategy::NodeStep,
        actor: ActorId,
        node: ObjectId,
    ) {
        let position = self.list.len() as u32;
        let dense = mapping.node_dense(actor);
        self.grow(mapping.actors());
        self.counts[dense as usize] += 1;
        let write = Touch::Object(node, AccessKind::Write);
        let enabler = self
            .list
            .iter()
            .rposition(|e| e.accesses.contains(&write))
            .map(|p| p as u32);
        self.list.push(Event {
            actor,
            dense,
            accesses: Accesses::new(),
            values: Values::new(),
            completes: None,
            timer: false,
            scheduled: true,
            disabled: SmallVec::new(),
            enabler,
            enabled: SmallVec::from_slice(&[actor]),
        });
        if let Some((incarnation, task)) = step.restarted {
            mapping.restarted(ids, actor, incarnation, task);
            self.grow(mapping.actors());
            if let Some(x) = mapping.dense(Candidate::Task(task)) {
                self.next_enabler[x as usize] = Some(position);
            }
        }
    }

    fn grow(&mut self, actors: usize) {
        if self.next_enabler.len() < actors {
            self.next_enabler.resize(actors, None);
            self.counts.resize(actors, 0);
        }
    }

    fn clock(&self, e: usize) -> &[u32] {
        &self.clocks[e * self.width..(e + 1) * self.width]
    }

    /// Whether event `a` happens before event `b` (`a < b`).
    pub(super) fn hb(&self, a: usize, b: usize) -> bool {
        self.clock(b)[self.list[a].dense as usize] >= self.seq[a]
    }

    /// Computes the clocks and returns the races `(e, e')`, `e < e'` (positions).
    pub(super) fn finish(&mut self) -> Vec<(u32, u32)> {
        let n = self.list.len();
        let w = self.counts.len().max(1);
        self.width = w;
        self.clocks.clear();
        self.clocks.resize(n * w, 0);
        self.seq.clear();
        self.seq.resize(n, 0);
        let mut last: Vec<Option<usize>> = vec![None; w];
        // Objects are named densely from 1 ([`super::objects`]).
        let mut by_object: Vec<Vec<u32>> = Vec::new();
        let mut unknown: Vec<u32> = Vec::new();
        let mut touching: Vec<u32> = Vec::new();
        let mut races = Vec::new();
        let mut preds: Vec<u32> = Vec::new();
        for j in 0..n {
            let (done, rest) = self.clocks.split_at_mut(j * w);
            let cur = &mut rest[..w];
            let ev = &self.list[j];
            let a = ev.dense as usize;
            if let Some(p) = last[a] {
                cur.copy_from_slice(&done[p * w..(p + 1) * w]);
            }
            if let Some(en) = ev.enabler {
                join(cur, &done[en as usize * w..(en as usize + 1) * w]);
            }
            self.seq[j] = last[a].map_or(0, |p| self.seq[p]) + 1;
            cur[a] = self.seq[j];
            // Earlier events that may conflict, latest first.
            preds.clear();
            for t in &ev.accesses {
                match t.object() {
                    Some(o) => {
                        preds.extend(by_object.get(o.get() as usize).into_iter().flatten());
                        preds.extend(&unknown);
                    }
                    None => preds.extend(&touching),
                }
            }
            preds.sort_unstable_by(|x, y| y.cmp(x));
            preds.dedup();
            for &i in &preds {
                let i = i as usize;
                let other = &self.list[i];
                let d = other.dense as usize;
                if d == a || cur[d] >= self.seq[i] || !dependent(&other.accesses, &ev.accesses) {
                    continue;
                }
                races.push((i as u32, j as u32));
                join(cur, &done[i * w..(i + 1) * w]);
            }
            last[a] = Some(j);
            if !ev.accesses.is_empty() {
                touching.push(j as u32);
            }
            for t in &ev.accesses {
                match t.object() {
                    Some(o) => {
                        let o = o.get() as usize;
                        if by_object.len() <= o {
                            by_object.resize_with(o + 1, Vec::new);
                        }
                        let list = &mut by_object[o];
                        if list.last() != Some(&(j as u32)) {
                            list.push(j as u32);
                        }
                    }
                    None => {
                        if unknown.last() != Some(&(j as u32)) {
                            unknown.push(j as u32);
                        }
                    }
                }
            }
        }
        races
    }
}

fn join(into: &mut [u32], from: &[u32]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a = (*a).max(*b);
    }
}
