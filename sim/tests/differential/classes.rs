//! An independent count of trace classes: watch plain DFS's steps and put each execution in a
//! canonical form of its partial order (Mazurkiewicz trace), so that two executions have the
//! same form exactly when they are the same trace up to reordering independent events.
//!
//! [`Recorder`] wraps any strategy, asks for its [`Step`]s and, at the end of each execution,
//! pushes that execution's [`Form`] to a shared list. The canonical form:
//!
//! - **Events.** Each step is an event, except some failed attempts. A *failed attempt* is a
//!   step that only tried a blocking operation and parked (it ended [`StepEnd::Blocked`],
//!   performed exactly the one operation it was parked at, and woke, spawned and chose
//!   nothing) and is followed by a step of the same task that starts by performing that same
//!   operation again (the retry). Which failed attempts are left out is the [`Model`]:
//!   [`Model::Godot`] leaves out those of joins and single-consumer receives, whose waiting
//!   nobody but the waker observes (Jonsson, Lang, Sagonas, "Awaiting for Godot", FMCAD 2022;
//!   the model weft's DPOR documents); [`Model::Retried`] leaves out every one (the
//!   request/wait split: whether a lock was tried in vain before it was taken is not part of
//!   the trace, only the order in which the lock was taken). `Retried` is coarser; the
//!   test checks that the outcome is a function of its classes too, so its count is a lower
//!   bound no sound reduction over steps can beat.
//! - **Actors**, stable across executions: a task is named by its spawn path (the root is
//!   `[]`, the `k`-th task spawned by task `p` is `p ++ [k]`); a timer by the task that armed
//!   it and how many timers that task had armed before (it is found through the object of the
//!   `Arm` access that names it). Object ids are not used: they are numbered per execution.
//! - **Order.** Event `e` precedes event `f` (`e` earlier in the execution) when they belong to
//!   one actor (program order), when an access of `e` [conflicts](weft_core::Op::conflicts)
//!   with an access of `f`, when `e` woke `f`'s task and `f` is that task's next event, or when
//!   `e` spawned `f`'s task and `f` is its first event, or when `e` is a timer's firing and
//!   `f` is the next event of the task that armed it (that step observes the timer, fired or
//!   not, whether or not the firing is what woke it: a `timeout` whose inner future was ready
//!   too); then the transitive closure.
//! - **Form.** The set of events, each as (actor, index in the actor, what it did: operation
//!   names, access kinds and the values it chose, and its vector clock: for every actor, how many
//!   of its events precede it). Equal forms are equal partial orders over equal events.
//!
//! Data choices are in the events, so executions that chose differently are different
//! classes: the count is the sum, over the choice vectors, of the trace classes of each.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex as StdMutex};

use weft_core::{AccessKind, ObjectId, Op};
use weft_sim::strategy::{Candidate, DecisionPoint, Step, StepEnd, Strategy};

/// Which failed attempts are not events; see the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// Failed attempts at joins and single-consumer receives are not events.
    Godot,
    /// No failed attempt is an event.
    Retried,
}

/// Both models, in the order [`Recorder`] records their forms.
pub const MODELS: [Model; 2] = [Model::Godot, Model::Retried];

impl Model {
    /// Whether a failed attempt at `op` is left out.
    fn leaves_out(self, op: &Op) -> bool {
        match self {
            Model::Retried => true,
            Model::Godot => match op.touch.access() {
                Some(AccessKind::Join) => true,
                Some(AccessKind::Receive) => matches!(op.name, "mpsc.recv" | "oneshot.recv"),
                _ => false,
            },
        }
    }
}

/// Who performs an event, stable across executions; see the module documentation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    /// A task, by spawn path.
    Task(Vec<u32>),
    /// A timer, by the task that armed it and how many it had armed before.
    Timer(Vec<u32>, u32),
}

/// What an event did, without object ids.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Content {
    ops: Vec<(&'static str, Option<AccessKindKey>)>,
    choices: Vec<(u32, u32)>,
}

/// [`AccessKind`] as an ordered key (it is not `Ord`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccessKindKey(String);

/// One event of a [`Form`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Event {
    actor: Actor,
    index: u32,
    content: Content,
    clock: Vec<(Actor, u32)>,
}

/// The canonical form of one execution: its events, sorted.
pub type Form = Vec<Event>;

/// A step as recorded, before canonicalization.
#[derive(Debug)]
struct Raw {
    actor: usize,
    task: Option<u32>,
    accesses: Vec<Op>,
    woke: Vec<u32>,
    spawned: Vec<u32>,
    choices: Vec<(u32, u32)>,
    dropped: bool,
}

fn same_op(a: &Op, b: &Op) -> bool {
    a.name == b.name && a.touch == b.touch && a.site == b.site
}

/// Builds the form of the execution under way.
#[derive(Debug)]
struct Builder {
    model: Model,
    actors: Vec<Actor>,
    /// Actor index of each task, by task index.
    task_actor: BTreeMap<u32, usize>,
    /// How many tasks each task has spawned.
    spawns: BTreeMap<u32, u32>,
    /// The timer actor index of each armed object.
    timers: BTreeMap<ObjectId, usize>,
    /// How many timers each task has armed.
    arms: BTreeMap<u32, u32>,
    steps: Vec<Raw>,
    /// Each task's last kept step, if it ended blocked after one operation.
    parked: BTreeMap<u32, usize>,
}

impl Builder {
    fn new(model: Model) -> Builder {
        Builder {
            model,
            actors: Vec::new(),
            task_actor: BTreeMap::new(),
            spawns: BTreeMap::new(),
            timers: BTreeMap::new(),
            arms: BTreeMap::new(),
            steps: Vec::new(),
            parked: BTreeMap::new(),
        }
    }

    fn actor(&mut self, a: Actor) -> usize {
        self.actors.push(a);
        self.actors.len() - 1
    }

    fn task_actor(&mut self, t: u32) -> usize {
        if let Some(a) = self.task_actor.get(&t) {
            return *a;
        }
        // Only the root can be met without having been spawned.
        assert_eq!(t, 0, "task {t} ran before it was spawned");
        let a = self.actor(Actor::Task(Vec::new()));
        self.task_actor.insert(t, a);
        a
    }

    fn step(&mut self, step: &Step<'_>) {
        let (actor, task) = match step.actor {
            Candidate::Task(t) => (self.task_actor(t), Some(t)),
            Candidate::Timer(_) => {
                let object = step.accesses.first().and_then(|op| op.touch.object());
                let a = object.and_then(|o| self.timers.get(&o).copied());
                (
                    a.expect("a timer fires on the object of the sleep that armed it"),
                    None,
                )
            }
        };
        if let Some(t) = task {
            let path = match &self.actors[actor] {
                Actor::Task(p) => p.clone(),
                Actor::Timer(..) => unreachable!("a task's actor is a task"),
            };
            for child in step.spawned {
                let k = self.spawns.entry(t).or_default();
                let mut p = path.clone();
                p.push(*k);
                *k += 1;
                let a = self.actor(Actor::Task(p));
                self.task_actor.insert(*child, a);
            }
            for op in step.accesses {
                if let (Some(o), Some(AccessKind::Arm)) = (op.touch.object(), op.touch.access()) {
                    if !self.timers.contains_key(&o) {
                        let k = self.arms.entry(t).or_default();
                        let a = Actor::Timer(path.clone(), *k);
                        *k += 1;
                        let a = self.actor(a);
                        self.timers.insert(o, a);
                    }
                }
            }
            // A parked attempt retried by this step is not an event.
            if let Some(prev) = self.parked.remove(&t) {
                let attempted = &self.steps[prev].accesses[0];
                let retried = step
                    .accesses
                    .first()
                    .is_some_and(|op| same_op(op, attempted));
                if retried {
                    self.steps[prev].dropped = true;
                }
            }
            let attempt = step.end == StepEnd::Blocked
                && step.accesses.len() == 1
                && self.model.leaves_out(&step.accesses[0])
                && step.woke.is_empty()
                && step.spawned.is_empty()
                && step.choices.is_empty();
            if attempt {
                self.parked.insert(t, self.steps.len());
            }
        }
        self.steps.push(Raw {
            actor,
            task,
            accesses: step.accesses.to_vec(),
            woke: step.woke.to_vec(),
            spawned: step.spawned.to_vec(),
            choices: step.choices.to_vec(),
            dropped: false,
        });
    }

    /// The canonical form of the execution recorded so far.
    fn form(&self) -> Form {
        let kept: Vec<&Raw> = self.steps.iter().filter(|s| !s.dropped).collect();
        let n = kept.len();
        let nactors = self.actors.len();
        // Index of each event in its actor.
        let mut index = vec![0u32; n];
        let mut count = vec![0u32; nactors];
        for (i, s) in kept.iter().enumerate() {
            index[i] = count[s.actor];
            count[s.actor] += 1;
        }
        // Direct predecessors (other actors), then clocks in execution order.
        let mut clocks: Vec<Vec<u32>> = Vec::with_capacity(n);
        let mut last_of: Vec<Option<usize>> = vec![None; nactors];
        for (j, f) in kept.iter().enumerate() {
            let mut clock = match last_of[f.actor] {
                Some(p) => clocks[p].clone(),
                None => vec![0; nactors],
            };
            let first_of_task = last_of[f.actor].is_none();
            for (i, e) in kept[..j].iter().enumerate() {
                if e.actor == f.actor {
                    continue;
                }
                let conflict = e
                    .accesses
                    .iter()
                    .any(|a| f.accesses.iter().any(|b| a.conflicts(b)));
                let woke = f.task.is_some_and(|t| {
                    e.woke.contains(&t) && !kept[i + 1..j].iter().any(|m| m.task == Some(t))
                });
                let spawned = first_of_task && f.task.is_some_and(|t| e.spawned.contains(&t));
                let fired = match (&self.actors[e.actor], &self.actors[f.actor]) {
                    (Actor::Timer(armer, _), Actor::Task(task)) => {
                        armer == task && !kept[i + 1..j].iter().any(|m| m.actor == f.actor)
                    }
                    _ => false,
                };
                if conflict || woke || spawned || fired {
                    for (c, x) in clock.iter_mut().zip(&clocks[i]) {
                        *c = (*c).max(*x);
                    }
                }
            }
            clock[f.actor] = index[j] + 1;
            clocks.push(clock);
            last_of[f.actor] = Some(j);
        }
        let mut form: Form = kept
            .iter()
            .enumerate()
            .map(|(i, s)| Event {
                actor: self.actors[s.actor].clone(),
                index: index[i],
                content: Content {
                    ops: s
                        .accesses
                        .iter()
                        .map(|op| {
                            (
                                op.name,
                                op.touch.access().map(|k| AccessKindKey(format!("{k:?}"))),
                            )
                        })
                        .collect(),
                    choices: s.choices.clone(),
                },
                clock: {
                    let mut c: Vec<(Actor, u32)> = clocks[i]
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| **n > 0)
                        .map(|(a, n)| (self.actors[a].clone(), *n))
                        .collect();
                    c.sort();
                    c
                },
            })
            .collect();
        form.sort();
        form
    }
}

/// The forms of one execution, one per model of [`MODELS`].
pub type Forms = [Form; 2];

/// Wraps a strategy, records every execution's [`Forms`] into a shared list; see the module
/// documentation.
pub struct Recorder<S> {
    inner: S,
    building: [Builder; 2],
    forms: Arc<StdMutex<Vec<Forms>>>,
}

impl<S: Strategy> Recorder<S> {
    /// Records the executions `inner` explores into `forms` (one entry per execution, in
    /// order).
    pub fn new(inner: S, forms: Arc<StdMutex<Vec<Forms>>>) -> Self {
        Recorder {
            inner,
            building: MODELS.map(Builder::new),
            forms,
        }
    }
}

impl<S: Strategy> Strategy for Recorder<S> {
    fn describe(&self) -> String {
        format!("{} (recording trace classes)", self.inner.describe())
    }
    fn begin(&mut self, index: u64, seed: u64) -> bool {
        self.building = MODELS.map(Builder::new);
        self.inner.begin(index, seed)
    }
    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        self.inner.pick(point)
    }
    fn choose(&mut self, n: usize) -> Result<usize, String> {
        self.inner.choose(n)
    }
    fn random(&mut self) -> Result<u64, String> {
        self.inner.random()
    }
    fn end(&mut self, decisions: u64) {
        let forms = [self.building[0].form(), self.building[1].form()];
        self.forms.lock().unwrap().push(forms);
        self.inner.end(decisions);
    }
    fn wants_steps(&self) -> bool {
        true
    }
    fn forced(&mut self, actor: Candidate) {
        if self.inner.wants_steps() {
            self.inner.forced(actor);
        }
    }
    fn stepped(&mut self, step: &Step<'_>) {
        for b in &mut self.building {
            b.step(step);
        }
        if self.inner.wants_steps() {
            self.inner.stepped(step);
        }
    }
    fn check_finished(&self) -> Result<(), String> {
        self.inner.check_finished()
    }
    fn exhausted(&self) -> Option<bool> {
        self.inner.exhausted()
    }
    fn progress(&self) -> Option<String> {
        self.inner.progress()
    }
}

/// How many distinct forms of `model` `forms` holds.
pub fn count(forms: &[Forms], model: Model) -> usize {
    let i = MODELS.iter().position(|m| *m == model).expect("a model");
    forms.iter().map(|f| &f[i]).collect::<BTreeSet<_>>().len()
}
