//! [`Causality`]: the happens-before engine every checking backend runs (weft-sim, loom,
//! shuttle).
//!
//! One value per execution holds one [`VectorClock`] and one name per task. The backend tells
//! it about the edges the primitives declare and asks it to check contract events:
//!
//! 1. The first task is registered with [`Causality::root`], every other one with
//!    [`Causality::spawn`] by the task that spawns it: the spawn happens-before the child's
//!    first step.
//! 2. [`Runtime::release`](crate::Runtime::release) becomes [`Causality::release`] (the
//!    object's clock joins the task's, and the task's own component ticks, opening a new
//!    epoch); [`Runtime::acquire`](crate::Runtime::acquire) becomes [`Causality::acquire`].
//! 3. [`Runtime::check`](crate::Runtime::check) becomes [`Causality::check`]: the event is
//!    stamped with the task, its epoch, the backend's step number and the site, and handed to
//!    the [`Contract`] with the task's current clock. A violation is turned into a
//!    [`Fault`] by [`Causality::fault`], which names tasks by their spawn names.
//!
//! The step number is the backend's: the simulator passes its scheduler step; loom and
//! shuttle, which count no steps weft can see, pass [`Causality::next_step`] (one per checked
//! event).

use std::panic::Location;

use super::clock::VectorClock;
use super::contract::{Contract, Stamp};
use crate::fault::Fault;

/// Dense index of a task inside one execution: 0 is the execution's root task.
pub type TaskIndex = usize;

/// Per-execution causality state: one clock and one name per task, and a step counter for
/// backends that count no steps of their own. See the module documentation.
#[derive(Debug, Default)]
pub struct Causality {
    clocks: Vec<VectorClock>,
    names: Vec<String>,
    step: u64,
}

impl Causality {
    /// An engine with no task yet.
    pub const fn new() -> Self {
        Causality {
            clocks: Vec::new(),
            names: Vec::new(),
            step: 0,
        }
    }

    /// An engine whose root task (index 0) is called `root`.
    pub fn with_root(root: &str) -> Self {
        let mut c = Causality::new();
        c.root(root);
        c
    }

    /// Registers the execution's first task.
    ///
    /// # Panics
    /// If a task is already registered.
    pub fn root(&mut self, name: &str) -> TaskIndex {
        assert!(self.clocks.is_empty(), "weft: a second root task");
        let mut clock = VectorClock::new();
        clock.increment(0);
        self.clocks.push(clock);
        self.names.push(name.to_string());
        0
    }

    /// Registers a task spawned by `parent`: the spawn happens-before the child's first step.
    pub fn spawn(&mut self, parent: TaskIndex, name: &str) -> TaskIndex {
        let child = self.clocks.len();
        let mut clock = self.clocks[parent].clone();
        clock.increment(child);
        self.clocks[parent].increment(parent);
        self.clocks.push(clock);
        self.names.push(name.to_string());
        child
    }

    /// How many tasks are registered.
    pub fn len(&self) -> usize {
        self.clocks.len()
    }

    /// Whether no task is registered yet.
    pub fn is_empty(&self) -> bool {
        self.clocks.is_empty()
    }

    /// The name a task was spawned with (`task#N` for an index never registered).
    pub fn name(&self, task: TaskIndex) -> String {
        self.names
            .get(task)
            .cloned()
            .unwrap_or_else(|| format!("task#{task}"))
    }

    /// The name a task was spawned with, borrowed; `None` for an index never registered.
    pub fn name_ref(&self, task: TaskIndex) -> Option<&str> {
        self.names.get(task).map(String::as_str)
    }

    /// Every task's name, by index (the engine is consumed: the execution is over).
    pub fn into_names(self) -> Vec<String> {
        self.names
    }

    /// Counts one checked event and returns its step number (for backends that count no
    /// steps of their own).
    pub fn next_step(&mut self) -> u64 {
        self.step += 1;
        self.step
    }

    /// A synchronizing write by `task` into `clock`.
    #[inline]
    pub fn release(&mut self, task: TaskIndex, clock: &mut VectorClock) {
        clock.join(&self.clocks[task]);
        self.clocks[task].increment(task);
    }

    /// A synchronizing read by `task` of `clock`.
    #[inline]
    pub fn acquire(&mut self, task: TaskIndex, clock: &VectorClock) {
        self.clocks[task].join(clock);
    }

    /// Checks `event` of contract `C`, made by `task` at backend step `step` from `site`,
    /// against `history`, and records it. `Err` carries the violation; render it with
    /// [`Causality::fault`].
    #[inline]
    pub fn check<C: Contract>(
        &self,
        task: TaskIndex,
        step: u64,
        site: &'static Location<'static>,
        history: &mut C::History,
        event: C::Event,
    ) -> Result<(), C::Violation> {
        let clock = &self.clocks[task];
        let at = Stamp {
            task,
            epoch: clock.get(task),
            step,
            site,
        };
        C::check(history, clock, at, event)
    }

    /// A violation of `C` as a fault of kind [`Contract::KIND`], naming tasks by their names.
    pub fn fault<C: Contract>(&self, violation: &C::Violation) -> Fault {
        Fault::new(C::KIND, C::describe(violation, &|t| self.name(t)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spawn_orders_the_parent_before_the_child_only() {
        let mut c = Causality::with_root("main");
        let child = c.spawn(0, "child");
        assert_eq!((child, c.name(child).as_str()), (1, "child"));
        // What the parent did before the spawn, the child has seen; not what it does after.
        let before = Stamp {
            task: 0,
            epoch: 1,
            step: 0,
            site: Location::caller(),
        };
        let after = Stamp { epoch: 2, ..before };
        assert!(before.seen_by(&c.clocks[child]));
        assert!(!after.seen_by(&c.clocks[child]));
    }

    #[test]
    fn release_then_acquire_orders_the_releaser_before_the_acquirer() {
        let mut c = Causality::with_root("main");
        let child = c.spawn(0, "child");
        let at_child = c.clocks[child].get(child);
        let mut sync = VectorClock::new();
        c.release(child, &mut sync);
        assert!(!c.clocks[0].has_seen(child, at_child));
        c.acquire(0, &sync);
        assert!(c.clocks[0].has_seen(child, at_child));
        // The release opened a new epoch of the child that the root has not seen.
        assert!(!c.clocks[0].has_seen(child, c.clocks[child].get(child)));
    }
}
