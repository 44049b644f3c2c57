//! Optimal dynamic partial-order reduction: one execution per Mazurkiewicz trace class.
//!
//! The algorithm is Optimal-DPOR of Abdulla, Aronis, Jonsson and Sagonas, "Source Sets: A
//! Foundation for Optimal Dynamic Partial Order Reduction" (JACM 64(4), 2017, Algorithm 2):
//! a stateless depth-first search over executions with sleep sets and wakeup trees. After
//! each complete execution, every race `(e, e')` it contains is reversed into a sequence
//! `v = notdep(e, E).e'` ([`races`]) that is inserted into the wakeup tree of the prefix
//! before `e` ([`wakeup`]), unless an actor asleep there already covers it. Backtracking
//! takes the next branch of the deepest wakeup tree; the actor just explored goes to sleep
//! there, and stays asleep below while the events run are independent of its next one.
//!
//! # Event model
//!
//! - An event is one executed step ([`events`]): a task's poll from one scheduling point to
//!   the next (the operation it was parked at, then everything it noted), or a timer's
//!   firing. Dependency is [`Touch::conflicts`](weft_core::Touch::conflicts) between any two
//!   of the events' accesses ([`weft_core::object`] documents the relation per primitive);
//!   `yield_now` touches nothing and `select` touches everything.
//! - Happens-before: program order, enabling edges (spawn, wake, arm), dependency.
//! - Actors are named across executions by their creation path ([`identity`]), objects by
//!   their creating actor and creation order ([`objects`]).
//! - Blocking: failed attempts are ordinary events (FIFO primitives register waiters),
//!   except joins and single-consumer receives, whose waiting nobody observes ([`blocking`]).
//! - A race is reversed only if its reversal can run ([`races`]): a timer fires only once
//!   due, and time moves only when no task can run.
//! - A wake is an enabling edge, not a race, except when the woken task's own timer was due
//!   before the wake: then that timer firing, and the task running, before the waker is also
//!   explored ([`races::timer_reversals`]).
//! - Data choices (`choose(n)`) are part of the event ([`choices`]): each value vector of a
//!   step is a sibling event of its actor. Where an actor is picked freely every value not
//!   asleep is explored; a wakeup branch runs the values of the event it was made from; sleep
//!   sets hold (actor, values) with that value's accesses. Random draws (`rand_u64`) come from
//!   a fixed stream, as in DFS.
//! - Happens-before checks (shared-cell races, WaitGroup contracts) are computed per
//!   execution from sync-only vector clocks; sync operations are dependent events, so these
//!   clocks are the same in every linearization of a trace, and the exploration contains, per
//!   class, an execution with both accesses of any race: the checks stay complete. Data
//!   accesses conflict (a read and a write of one cell), so their orders are explored too.
//!
//! # Nodes: crashes, pauses, resumes and restarts
//!
//! The design ([`crate::nodes`], rule 7; [`crate::node_steps`]): each node is an object. Every
//! step of one of its tasks (or firing of one of their timers) reads it, as it runs only while
//! the node is up and not paused; a crash or pause writes it. So an injected crash or pause
//! conflicts with every step of that node's tasks (DPOR explores the crash before and after
//! each of them: every crash point) and commutes with the other nodes' steps. A crash's step
//! also performs what the destructors of the node's dropped tasks do (a lock released, a
//! channel end closed: its receive side goes away, while what the node sent stays on the wire,
//! a task of no node), so it is dependent with whatever it changes.
//!
//! - A crash or pause *disables* the node's runnable tasks, which the paper's model does not
//!   have (an enabled actor stays enabled until it runs): a task that could run before it and
//!   has no event after it is run first by a sequence of its own ([`disabling`]); a reversal
//!   never runs a task whose node is paused there, or after a crash or pause in it
//!   ([`races::runnable`]).
//! - A resume or restart happens at the top of the run loop when virtual time reaches its
//!   instant, before any decision: it is an event of the node's own actor ([`identity`]), made
//!   possible by the crash or pause that set its instant, that touches nothing (a restart
//!   spawns the new incarnation's first task) and is never moved: no race starting at it is
//!   reversed, and no reversal contains one, as no timer that was not yet due there is
//!   ([`races`]; time-based events keep the treatment of timers, [`timeouts`]). When the full
//!   `notdep(e, E).e'` contains one only because time moved while `e'`'s task could have run
//!   (its node paused), the reversal keeps the events `e'` needs.
//!
//! Alternatives not taken: the crash as a [`Touch::Unknown`](weft_core::Touch::Unknown) event
//! (sound, but dependent with every other node's steps: no reduction across nodes), and
//! resumes and restarts as timers (a decision for every strategy, changing DFS's schedules
//! and recorded replays).
//!
//! When a wakeup sequence turns out not to be runnable (its next actor is not a candidate:
//! the model of dependency or enabling was imprecise), it is dropped and the search goes on
//! freely; [`Stats::infeasible`] counts them. This costs redundant executions, never missed
//! classes. [`Stats::sleep_blocked`] counts decisions where every candidate was asleep (the
//! execution is then redundant). Both are zero on a precise model.
//!
//! Not yet optimal with timeouts (`sim/tests/differential.rs`, oracle 2: 46 of 10,000 random
//! programs): [`timeouts::woken_otherwise`] takes any step dependent with the timed-out task's
//! as one that would have woken it, and a `notify.give_up` that hands nothing on is the same
//! `Notify` access as one that does; and a timer that fires after its task was woken otherwise
//! and before its poll (a no-op for the task's step) is not explored as a class of its own.
//!
//! The search is stateless: each execution replays the prefix it shares with the previous
//! one; memory is proportional to the depth plus the wakeup trees.

/// Whether DPOR explores the fault decisions of `budget`: every kind. Those of the network
/// (loss, delay, ambiguous outcome, partition) are data choices of the step that meets them,
/// with what is left of the budget a shared object ([`crate::nodes`], rule 6); crashes and
/// pauses are too, and their effect on the node's tasks is in the dependency relation through
/// the node's object, the tasks they disable and the node steps (see "Nodes" above).
pub fn explores(budget: &weft_core::faults::Budget) -> bool {
    let _ = budget;
    true
}

mod blocking;
mod bounded;
mod choices;
mod disabling;
mod driver;
mod events;
mod identity;
mod objects;
mod races;
mod timeouts;
mod wakeup;

use smallvec::SmallVec;

pub(crate) use self::bounded::BoundedPor;
use self::choices::{covered, first_open, Sleeper, Values};
use self::events::{dependent, Events};
use self::identity::{ActorId, Identities, Mapping};
use self::wakeup::{Forest, Seq};
use crate::rng::SimRng;

/// One position of the current execution.
#[derive(Debug)]
struct Node {
    /// The actor the current execution runs here.
    actor: ActorId,
    /// Asleep here: inherited, plus the actors whose subtrees have been explored from here.
    sleep: Vec<Sleeper>,
    /// Wakeup sequences still to explore from here (the current actor's excluded).
    wut: Forest,
    /// The wakeup subtree the current actor was started with: followed below it.
    followed: Forest,
    /// The step's data choices, `(n, value)`.
    choices: Values,
    /// How many of `choices` the wakeup branch set (the values its event ran with); the
    /// step's further choices (the event was a failed attempt that now goes further) are
    /// enumerated over every value not asleep, like those of a step picked freely.
    fixed: usize,
}

impl Node {
    /// A node running `actor`, nothing asleep or pending.
    fn new(actor: ActorId) -> Node {
        Node {
            actor,
            sleep: Vec::new(),
            wut: Forest::new(),
            followed: Forest::new(),
            choices: Values::new(),
            fixed: 0,
        }
    }

    /// Runs the wakeup branch `branch`: its actor, its values if known.
    fn take(&mut self, branch: wakeup::WNode) {
        self.actor = branch.actor;
        self.followed = branch.children;
        self.choices = branch.values.unwrap_or_default();
        self.fixed = self.choices.len();
    }
}

/// Counters of one exploration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Races found (over all executions).
    pub races: u64,
    /// Reversals inserted into a wakeup tree.
    pub inserted: u64,
    /// Wakeup-sequence steps dropped because their actor could not run.
    pub infeasible: u64,
    /// Decisions where every candidate was asleep.
    pub sleep_blocked: u64,
}

/// Optimal DPOR; see the module documentation.
#[derive(Debug)]
pub struct Dpor {
    ids: Identities,
    mapping: Mapping,
    events: Events,
    stack: Vec<Node>,
    /// The position that changed since the previous execution (replayed below it).
    frontier: usize,
    /// Data choices made so far in the current step.
    choice_index: usize,
    /// The candidates of the current step's decision.
    candidates: Option<SmallVec<[ActorId; 4]>>,
    /// Set when a replayed step differs from the recorded one.
    diverged: Option<String>,
    exhausted: bool,
    rng: SimRng,
    stats: Stats,
}

impl Default for Dpor {
    fn default() -> Self {
        Dpor::new()
    }
}

impl Dpor {
    /// A fresh exploration.
    pub fn new() -> Self {
        Dpor {
            ids: Identities::default(),
            mapping: Mapping::default(),
            events: Events::default(),
            stack: Vec::new(),
            frontier: 0,
            choice_index: 0,
            candidates: None,
            diverged: None,
            exhausted: false,
            rng: SimRng::new(0),
            stats: Stats::default(),
        }
    }

    /// The exploration's counters so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Opens a new node at the end of the stack, for a step whose candidates are `cands`:
    /// follows the parent's wakeup subtree if it can, else picks a candidate that is not
    /// asleep (`prefer` first). Returns the actor.
    fn open(&mut self, cands: &[ActorId], prefer: &[ActorId]) -> ActorId {
        let k = self.stack.len();
        let (mut wut, sleep) = match k.checked_sub(1) {
            None => (Forest::new(), Vec::new()),
            Some(p) => {
                let parent = &self.stack[p];
                let ran = &self.events.list[p];
                let sleep = parent
                    .sleep
                    .iter()
                    .filter(|s| s.actor != ran.actor && !dependent(&s.accesses, &ran.accesses))
                    .cloned()
                    .collect();
                (parent.followed.clone(), sleep)
            }
        };
        let mut node = Node::new(ActorId::ROOT);
        node.sleep = sleep;
        wut.reverse();
        node.wut = wut;
        self.next_branch(&mut node, cands, prefer);
        node.wut.reverse();
        self.stack.push(node);
        self.stack[k].actor
    }

    /// Makes `node` run the first pending branch (of `node.wut`, stored reversed) whose actor
    /// is among `cands`, dropping infeasible ones; or, with none left, a candidate that is not
    /// asleep.
    fn next_branch(&mut self, node: &mut Node, cands: &[ActorId], prefer: &[ActorId]) {
        while let Some(branch) = node.wut.pop() {
            if asleep_branch(node, &branch) {
                continue;
            }
            if cands.contains(&branch.actor) {
                node.take(branch);
                return;
            }
            self.stats.infeasible += 1;
        }
        node.followed = Forest::new();
        node.choices.clear();
        node.fixed = 0;
        let awake = |a: &&ActorId| !covered(&node.sleep, **a, &[]);
        node.actor = match prefer
            .iter()
            .filter(|a| cands.contains(a))
            .chain(cands)
            .find(awake)
        {
            Some(a) => *a,
            None => {
                self.stats.sleep_blocked += 1;
                *prefer.first().unwrap_or(&cands[0])
            }
        };
    }

    /// The actor to run at position `k` of the current execution, given its candidates.
    fn decide(&mut self, cands: &[ActorId], prefer: &[ActorId]) -> Result<ActorId, String> {
        let k = self.events.len();
        if k >= self.stack.len() {
            return Ok(self.open(cands, prefer));
        }
        let actor = self.stack[k].actor;
        if cands.contains(&actor) {
            return Ok(actor);
        }
        if k < self.frontier {
            return Err(format!(
                "nondeterminism: step {k} ran another actor in an earlier execution with the \
                 same prefix"
            ));
        }
        // The branch chosen at backtracking cannot run here: take the next one.
        self.stats.infeasible += 1;
        let mut node = std::mem::replace(&mut self.stack[k], Node::new(actor));
        node.wut.reverse();
        self.next_branch(&mut node, cands, prefer);
        node.wut.reverse();
        let actor = node.actor;
        self.stack[k] = node;
        Ok(actor)
    }

    /// Race detection on the finished execution: inserts every reversible race's reversal
    /// into the wakeup tree before it, unless a sleeping actor covers it.
    fn detect_races(&mut self) {
        let races = self.events.finish();
        self.stats.races += races.len() as u64;
        for &(e, e2) in &races {
            if let Some(v) = races::reversal(&self.events, e, e2) {
                offer(&mut self.stack, &mut self.stats, e, v);
            }
            if let Some((w, v)) = timeouts::woken_otherwise(&self.events, &self.ids, e, e2) {
                offer(&mut self.stack, &mut self.stats, w, v);
            }
        }
        for e2 in 0..self.events.len() as u32 {
            for (e, v) in races::timer_reversals(&self.events, &self.ids, e2) {
                offer(&mut self.stack, &mut self.stats, e, v);
            }
            for v in disabling::disabled_first(&self.events, e2) {
                offer(&mut self.stack, &mut self.stats, e2, v);
            }
        }
    }

    /// Moves to the next execution: the deepest pending data choice or wakeup branch. The
    /// event just explored at a position goes to sleep there, with its values.
    fn backtrack(&mut self) {
        while let Some(k) = self.stack.len().checked_sub(1) {
            let ran = &self.events.list[k];
            let node = &mut self.stack[k];
            node.sleep.push(Sleeper {
                actor: node.actor,
                values: node.choices.clone(),
                accesses: ran.accesses.clone(),
            });
            {
                for f in (node.fixed..node.choices.len()).rev() {
                    let (n, _) = node.choices[f];
                    if let Some(v) = first_open(&node.sleep, node.actor, &node.choices[..f], n) {
                        node.choices.truncate(f);
                        node.choices.push((n, v));
                        self.frontier = k;
                        return;
                    }
                }
            }
            while !node.wut.is_empty() {
                let branch = node.wut.remove(0);
                if asleep_branch(node, &branch) {
                    continue;
                }
                node.take(branch);
                self.frontier = k;
                return;
            }
            self.stack.pop();
        }
        self.exhausted = true;
    }
}

/// Whether every event `branch` can start with is asleep at `node`: its values (those of a
/// failed attempt may be extended) all are. Such a branch was inserted before the sleepers
/// that cover it were explored.
fn asleep_branch(node: &Node, branch: &wakeup::WNode) -> bool {
    branch
        .values
        .as_ref()
        .is_some_and(|v| covered(&node.sleep, branch.actor, v))
}

/// Inserts the reversal `v` into the wakeup tree before event `e`, unless an actor asleep
/// there already covers it (a weak initial of `v`).
fn offer(stack: &mut [Node], stats: &mut Stats, e: u32, v: Seq<'_>) {
    let node = &mut stack[e as usize];
    if v.asleep(&node.sleep) {
        return;
    }
    // `node.wut` is kept in exploration order here.
    if v.insert_into(&mut node.wut) {
        stats.inserted += 1;
    }
}
