//! Bounded partial-order reduction: iterative context bounding with source-set DPOR (Coons,
//! Musuvathi, McKinley, "Bounded Partial-Order Reduction", OOPSLA 2013), so that the first
//! failure found has the fewest preemptions any failing schedule needs, in far fewer
//! executions than plain iterative context bounding ([`super::super::Icb::plain`]).
//!
//! # Protocol
//!
//! 1. Bound `b` (0 first) is one stateless depth-first exploration: source-set DPOR (Abdulla,
//!    Aronis, Jonsson, Sagonas, JACM 2017, Algorithm 1) over schedules with at most `b`
//!    preemptions. A preemption is what [`DecisionPoint::preempts`] says, decided once per
//!    decision and recorded per candidate ([`Node::costly`]).
//! 2. A fresh position runs the free choice: the running task keeps running, a yielding task
//!    gives way (the same order as [`super::super::Icb::plain`] tries first), and a data choice
//!    (`choose`) starts at 0; every value of a choice is a sibling, explored depth first.
//! 3. At the end of an execution, every race pair ([`pairs`]: every two dependent events of
//!    different actors that happen-before does not order otherwise) and every timer reversal
//!    of [`super::races`] gives a sequence `v` ([`super::races::sequence`]) that runs the later
//!    event's actor `p` before the earlier event `e`. `p` is added to the backtrack set before
//!    `e` if it is a candidate there, else `v`'s first actor, else every candidate (classic
//!    DPOR's fallback), each only if running it there keeps within the bound.
//! 4. Conservative backtracking (Coons et al.): the same actors are also added at the latest
//!    decision (two or more candidates) at or before the context switch that started `e`'s
//!    run of its actor. A switch there costs at most the preemption the execution already paid
//!    there, so it is usually within the bound when `e` is not. When `e` is out of the bound,
//!    the latest decision between the start of `e`'s context and `e` where the switch is
//!    within it is added too: a context is what the executor counts preemptions by (its
//!    current task is the last task polled), and timers firing inside one make decisions
//!    where no task is current, so switching there is free ([`context_start`]). When a
//!    point is out of the bound, the bound pruned something, and the next bound has work.
//! 5. Backtracking takes the next data value of the deepest step, else the next backtrack
//!    actor not yet explored there. When bound `b` is exhausted it is the *bound reached*; the
//!    search restarts from the empty prefix with bound `b + 1`, unless no point was pruned for
//!    the bound in bound `b` (the unbounded space is exhausted) or `b` is the maximum.
//!
//! Every bound re-runs the schedules of the bounds below it (one restart per bound, as in the
//! paper); each bound alone is much smaller than plain ICB's.
//!
//! # Why no sleep sets
//!
//! A sleep set puts an actor to sleep at a prefix because a sibling branch already explored
//! every trace that starts with it. Under a bound that is no longer true: the sibling explored
//! only the traces it could reach within the bound, and a trace that starts with the sleeping
//! actor may need fewer preemptions from here than from the sibling (the linearization the
//! sibling would use has an extra switch). Pruning it loses that trace at this bound (Coons et
//! al., section 4). So bounded POR keeps only the backtrack sets: it may run a trace class more
//! than once, never fewer than needed.
//!
//! # What bounding changes in the reduction
//!
//! Three rules of unbounded DPOR lose schedules under a bound (each found by the differential
//! test `sim/tests/bounded_por.rs`, whose seeds are kept as regressions):
//!
//! - Only *direct* races are reversed by unbounded DPOR (reversing the last one exposes the
//!   earlier ones in a later execution); under a bound that later execution may be out of
//!   reach, so every race pair is taken here.
//! - A join's completion against the exit that enabled it is not reversed by unbounded DPOR
//!   ([`super::blocking`]: running the join first only adds a failed attempt, the same trace).
//!   Under a bound that failed attempt matters: the joiner blocks, and the switch away from it
//!   is free, where the same trace without it needs a preemption. So it is reversed here.
//! - Sleep sets (above).
//!
//! Dependency, races, blocking and actor identity are [`super`]'s (one home): this module only
//! decides where backtrack points go and which are within the bound.

use smallvec::SmallVec;

use super::events::Events;
use super::identity::{ActorId, Identities, Mapping};
use super::races;
use super::wakeup::Seq;
use crate::rng::SimRng;

mod driver;
mod pairs;

/// Actors at one position.
type Actors = SmallVec<[ActorId; 4]>;

/// One position of the current execution.
#[derive(Debug)]
struct Node {
    /// The actor the current execution runs here.
    actor: ActorId,
    /// The candidates here.
    enabled: Actors,
    /// The candidates whose pick here is a preemption ([`DecisionPoint::preempts`]).
    ///
    /// [`DecisionPoint::preempts`]: crate::strategy::DecisionPoint::preempts
    costly: Actors,
    /// Preemptions of the current execution before this position.
    before: u32,
    /// Actors to explore here (those explored included).
    backtrack: Actors,
    /// Actors explored here (or being explored).
    done: Actors,
    /// The step's data choices, `(n, value)`.
    choices: Vec<(u32, u32)>,
}

impl Node {
    /// Preemptions of a schedule that runs `actor` here, counting those before.
    fn cost(&self, actor: ActorId) -> u32 {
        self.before + u32::from(self.costly.contains(&actor))
    }
}

/// Counters of one bounded exploration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct BoundedStats {
    /// Backtrack points added within the bound.
    pub(crate) added: u64,
    /// Backtrack points beyond the bound, replaced by a conservative one.
    pub(crate) pruned: u64,
}

/// Bounded partial-order reduction; see the module documentation.
#[derive(Debug)]
pub(crate) struct BoundedPor {
    /// The largest bound to explore (`None`: until the space is exhausted).
    max_bound: Option<u32>,
    /// The bound being explored.
    bound: u32,
    /// The largest bound fully explored.
    reached: Option<u32>,
    /// Whether this bound pruned a backtrack point for the bound.
    capped: bool,
    ids: Identities,
    mapping: Mapping,
    events: Events,
    stack: Vec<Node>,
    /// The position that changed since the previous execution (replayed below it).
    frontier: usize,
    /// Choices made in the current step before its node exists (a forced step).
    fresh_choices: Vec<(u32, u32)>,
    /// Data choices made so far in the current step.
    choice_index: usize,
    /// Set when a replayed step differs from the recorded one.
    diverged: Option<String>,
    done: bool,
    rng: SimRng,
    stats: BoundedStats,
}

impl BoundedPor {
    /// Bounded POR up to `max_bound` preemptions (`None`: no maximum).
    pub(crate) fn new(max_bound: Option<u32>) -> Self {
        BoundedPor {
            max_bound,
            bound: 0,
            reached: None,
            capped: false,
            ids: Identities::default(),
            mapping: Mapping::default(),
            events: Events::default(),
            stack: Vec::new(),
            frontier: 0,
            fresh_choices: Vec::new(),
            choice_index: 0,
            diverged: None,
            done: false,
            rng: SimRng::new(0),
            stats: BoundedStats::default(),
        }
    }

    /// The exploration's counters so far.
    #[cfg(test)]
    pub(crate) fn stats(&self) -> BoundedStats {
        self.stats
    }

    /// Preemptions of the current execution so far (after its last node).
    fn preemptions(&self) -> u32 {
        self.stack.last().map_or(0, |n| n.cost(n.actor))
    }

    /// Opens a node at the end of the stack running `actor`.
    fn open(&mut self, actor: ActorId, enabled: Actors, costly: Actors) {
        let before = self.preemptions();
        self.stack.push(Node {
            actor,
            enabled,
            costly,
            before,
            backtrack: SmallVec::from_slice(&[actor]),
            done: SmallVec::from_slice(&[actor]),
            choices: std::mem::take(&mut self.fresh_choices),
        });
    }

    /// Adds `actor` to the backtrack set at position `k` if it is a candidate there and the
    /// schedule stays within the bound; `false` if it is a candidate beyond the bound.
    fn add_at(&mut self, k: usize, actor: ActorId) -> bool {
        let node = &mut self.stack[k];
        if node.cost(actor) > self.bound {
            return false;
        }
        if !node.backtrack.contains(&actor) {
            node.backtrack.push(actor);
            self.stats.added += 1;
        }
        true
    }

    /// The actors to add at position `k` so that `p` runs before the event there: `p` if it
    /// is a candidate there, else the first actor of `v` (the race's reversal, an initial of
    /// it) if that one is, else every candidate (classic DPOR's fallback).
    fn selection(&self, k: usize, p: ActorId, v: Option<&Seq<'_>>) -> Actors {
        let enabled = &self.stack[k].enabled;
        let first = v.and_then(|v| match v.items.first() {
            Some(&i) => Some(v.events.list[i as usize].actor),
            None => v.tail.first().map(|(a, _)| *a),
        });
        match [Some(p), first]
            .into_iter()
            .flatten()
            .find(|a| enabled.contains(a))
        {
            Some(a) => SmallVec::from_slice(&[a]),
            None => enabled.clone(),
        }
    }

    /// Makes sure `p` runs before the event at position `e`, whose race with `p`'s event has
    /// the reversal `v` (steps 3 and 4 of the protocol): at `e` if within the bound, and at
    /// the conservative point, the latest context switch at or before `e`.
    fn offer(&mut self, events: &Events, e: usize, p: ActorId, v: Option<&Seq<'_>>) {
        let mut pruned = false;
        for a in self.selection(e, p, v) {
            if !self.add_at(e, a) {
                self.stats.pruned += 1;
                self.capped = true;
                pruned = true;
            }
        }
        if pruned {
            self.within_context(events, e, p, v);
        }
        let actor = self.stack[e].actor;
        let start = (1..=e)
            .rev()
            .find(|&j| self.stack[j - 1].actor != actor)
            .unwrap_or(0);
        // A forced switch (one candidate) offers no alternative: the decision before it.
        let j = (0..=start)
            .rev()
            .find(|&j| self.stack[j].enabled.len() > 1)
            .unwrap_or(start);
        if j < e {
            for a in self.selection(j, p, v) {
                if !self.add_at(j, a) {
                    self.capped = true;
                }
            }
        }
    }

    /// Where a switch at `e` is beyond the bound, the latest earlier decision of the same
    /// context (the executor's current task unchanged: [`context_start`]) whose switch is
    /// within it. Inside one task's run every decision costs the same preemption, except
    /// where timers fire: the task had blocked, no task was current, and picking any timer
    /// there is free (seed 10253: a task's `timeout` and another task's `sleep` due at once;
    /// firing the sleep first is free, and only the decision after the timeout fired was
    /// offered, a preemption of the woken task).
    fn within_context(&mut self, events: &Events, e: usize, p: ActorId, v: Option<&Seq<'_>>) {
        let bound = self.bound;
        for j in (context_start(events, e)..e).rev() {
            if self.stack[j].enabled.len() < 2 {
                continue;
            }
            let within: Actors = self
                .selection(j, p, v)
                .into_iter()
                .filter(|a| self.stack[j].cost(*a) <= bound)
                .collect();
            if !within.is_empty() {
                for a in within {
                    self.add_at(j, a);
                }
                return;
            }
        }
    }

    /// Race detection on the finished execution: every reversible race pair ([`pairs`]) and
    /// timer reversal is offered before its first event.
    fn detect_races(&mut self) {
        self.events.finish();
        let events = std::mem::take(&mut self.events);
        for (e, e2) in pairs::pairs(&events) {
            let p = events.list[e2 as usize].actor;
            // Not `races::reversal`: a join's completion against the exit that enabled it is
            // reversed too (see the module documentation).
            if let Some(v) = races::sequence(&events, e, e2) {
                self.offer(&events, e as usize, p, Some(&v));
            }
        }
        for e2 in 0..events.len() as u32 {
            for (e, v) in races::timer_reversals(&events, &self.ids, e2) {
                let p = events.list[e2 as usize].actor;
                self.offer(&events, e as usize, p, Some(&v));
            }
        }
        self.events = events;
    }

    /// Moves to the next execution: the deepest pending data choice or backtrack actor; when
    /// this bound is exhausted, the next bound or the end.
    fn backtrack(&mut self) {
        while let Some(k) = self.stack.len().checked_sub(1) {
            let bound = self.bound;
            let node = &mut self.stack[k];
            if let Some(f) = node.choices.iter().rposition(|&(n, v)| v + 1 < n) {
                node.choices[f].1 += 1;
                node.choices.truncate(f + 1);
                self.frontier = k;
                return;
            }
            let next = node
                .backtrack
                .iter()
                .find(|a| !node.done.contains(a) && node.cost(**a) <= bound)
                .copied();
            if let Some(a) = next {
                node.done.push(a);
                node.actor = a;
                node.choices.clear();
                self.frontier = k;
                return;
            }
            self.stack.pop();
        }
        self.reached = Some(self.bound);
        if !self.capped || self.max_bound.is_some_and(|m| self.bound >= m) {
            self.done = true;
            return;
        }
        self.bound += 1;
        self.capped = false;
        self.frontier = 0;
    }
}

/// The first position of the context event `e` runs in: the steps since the executor last
/// polled another task ([`DecisionPoint::current`] is the last task polled; a timer's firing
/// does not change it).
///
/// [`DecisionPoint::current`]: crate::strategy::DecisionPoint::current
fn context_start(events: &Events, e: usize) -> usize {
    let list = &events.list;
    let owner = (0..=e)
        .rev()
        .find(|&k| !list[k].timer)
        .map(|k| list[k].actor);
    (1..=e)
        .rev()
        .find(|&j| !list[j - 1].timer && Some(list[j - 1].actor) != owner)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
