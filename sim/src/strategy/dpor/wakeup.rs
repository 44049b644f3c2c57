//! Wakeup trees (Abdulla, Aronis, Jonsson, Sagonas, "Source Sets: A Foundation for Optimal
//! Dynamic Partial Order Reduction", JACM 64(4) 2017, section 6).
//!
//! The wakeup tree of a prefix `E` is an ordered forest of actor sequences still to explore
//! after `E`: exploring its first branch means running that branch's actors in order, then
//! continuing freely. A new sequence `v` (the reversal of a race) is inserted only if no
//! branch already covers it:
//!
//! - walk from the roots: at each level, find the first child `p` that is a *weak initial* of
//!   `v` (`v` can be reordered to start with `p`'s next event, or `p`'s next event commutes
//!   with all of `v`);
//! - if that child is a leaf, `v` is covered (exploring the leaf continues freely, and the
//!   reversal will be found again there if needed);
//! - otherwise remove `p`'s event from `v` (if it is in `v`) and descend;
//! - if no child is a weak initial, append the rest of `v` as a new branch (last in order).
//!
//! The same weak-initial test decides whether a sleeping actor already covers `v`
//! (`sleep(E') ∩ WI(v) ≠ ∅`).

use weft_core::Touch;

use super::choices::{covered, Sleeper, Values};
use super::events::{dependent, Accesses, Events};
use super::identity::ActorId;

/// A wakeup tree node: an actor, the values of its step (`None`: not known, every value is
/// explored) and its next event's accesses (as seen when it was inserted or explored), with
/// the sequences that continue it.
#[derive(Clone, Debug)]
pub(super) struct WNode {
    pub(super) actor: ActorId,
    pub(super) values: Option<Values>,
    pub(super) accesses: Accesses,
    pub(super) children: Forest,
}

/// An ordered forest of [`WNode`]s.
pub(super) type Forest = Vec<WNode>;

/// Counts the branches (leaves) of a forest.
pub(super) fn leaves(forest: &Forest) -> usize {
    forest
        .iter()
        .map(|n| {
            if n.children.is_empty() {
                1
            } else {
                leaves(&n.children)
            }
        })
        .sum()
}

/// A sequence of events of the current execution (positions, in order), read with that
/// execution's happens-before, then a `tail` of steps that did not run in it (an actor and the
/// accesses assumed for its step). A tail step is taken to happen after everything before it
/// in the sequence: it is a weak initial only at the front, which can only make insertion and
/// sleeping cover less.
pub(super) struct Seq<'a> {
    pub(super) events: &'a Events,
    pub(super) items: Vec<u32>,
    pub(super) tail: Vec<(ActorId, Accesses)>,
}

/// Where a weak initial was found.
enum Initial {
    /// The actor's first event in the sequence, at this index, has no predecessor in it.
    At(usize),
    /// The actor's first step in the sequence is the tail's first, and nothing precedes it.
    Tail,
    /// The actor has no event in the sequence and its next event commutes with all of it.
    Commutes,
}

impl Seq<'_> {
    /// Whether `actor`'s next event, with `values` (`None`: any) and `accesses`, is a weak
    /// initial of the sequence. An event of the actor with other values is a different event:
    /// then it is not.
    fn weak_initial(
        &self,
        actor: ActorId,
        values: Option<&[(u32, u32)]>,
        accesses: &[Touch],
    ) -> Option<Initial> {
        let list = &self.events.list;
        match self
            .items
            .iter()
            .position(|&e| list[e as usize].actor == actor)
        {
            Some(m) => {
                let e = self.items[m] as usize;
                if values.is_some_and(|v| v != list[e].values.as_slice()) {
                    return None;
                }
                let blocked = self.items[..m]
                    .iter()
                    .any(|&d| self.events.hb(d as usize, e));
                (!blocked).then_some(Initial::At(m))
            }
            None => match self.tail.iter().position(|(a, _)| *a == actor) {
                Some(j) => (j == 0 && self.items.is_empty()).then_some(Initial::Tail),
                // One value of a choosing step does not stand for the runs where the actor
                // chooses another ([`super::choices`]): only a step without choices commutes.
                None => (values.is_none_or(|v| v.is_empty())
                    && self
                        .items
                        .iter()
                        .all(|&e| !dependent(&list[e as usize].accesses, accesses))
                    && self.tail.iter().all(|(_, t)| !dependent(t, accesses)))
                .then_some(Initial::Commutes),
            },
        }
    }

    /// Whether an event asleep in `sleep` covers the sequence (`sleep ∩ WI(v) ≠ ∅`): a
    /// sleeper is an initial of it with the same values, or its actor has no event in it and
    /// commutes with all of it. An actor whose step chooses commutes only if every value of
    /// its step does: a maximal run after the sequence runs the actor with *some* value,
    /// and one asleep value says nothing of the runs with another ([`super::choices`]).
    pub(super) fn asleep(&self, sleep: &[Sleeper]) -> bool {
        let list = &self.events.list;
        let mut commuting: Vec<Sleeper> = Vec::new();
        let mut initial: Vec<(usize, Sleeper)> = Vec::new();
        for s in sleep {
            match self.weak_initial(s.actor, None, &s.accesses) {
                Some(Initial::At(m)) => {
                    if s.values == list[self.items[m] as usize].values {
                        return true;
                    }
                    initial.push((m, s.clone()));
                }
                Some(Initial::Tail) => return true,
                Some(Initial::Commutes) => commuting.push(s.clone()),
                None => {}
            }
        }
        // An initial whose step chose less than it may now (a failed attempt that goes on
        // and chooses) stands for every extension of its values: asleep if they all are.
        let extensions_asleep = initial.iter().any(|(m, s)| {
            let same: Vec<Sleeper> = initial
                .iter()
                .filter(|(k, _)| k == m)
                .map(|(_, s)| s.clone())
                .collect();
            covered(&same, s.actor, &list[self.items[*m] as usize].values)
        });
        extensions_asleep || commuting.iter().any(|s| covered(&commuting, s.actor, &[]))
    }

    /// Inserts the sequence into `forest` unless a branch covers it; `true` if inserted.
    pub(super) fn insert_into(mut self, mut forest: &mut Forest) -> bool {
        'level: loop {
            if self.items.is_empty() && self.tail.is_empty() {
                return false;
            }
            for i in 0..forest.len() {
                let node = &forest[i];
                if let Some(found) =
                    self.weak_initial(node.actor, node.values.as_deref(), &node.accesses)
                {
                    if node.children.is_empty() {
                        return false;
                    }
                    match found {
                        Initial::At(m) => {
                            self.items.remove(m);
                        }
                        Initial::Tail => {
                            self.tail.remove(0);
                        }
                        Initial::Commutes => {}
                    }
                    forest = &mut forest[i].children;
                    continue 'level;
                }
            }
            let mut chain: Option<WNode> = None;
            let list = &self.events.list;
            let steps = self
                .items
                .iter()
                .map(|&e| {
                    let ev = &list[e as usize];
                    (ev.actor, Some(ev.values.clone()), &ev.accesses)
                })
                .chain(self.tail.iter().map(|(a, t)| (*a, None, t)));
            for (actor, values, accesses) in steps.rev() {
                chain = Some(WNode {
                    actor,
                    values,
                    accesses: accesses.clone(),
                    children: chain.into_iter().collect(),
                });
            }
            forest.extend(chain);
            return true;
        }
    }
}
