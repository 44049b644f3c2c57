//! [`Tracker`]: per-task vector clocks for backends that own no task table (loom, shuttle).

use std::panic::Location;

use super::cell::{Access, AccessRecord, CellHistory};
use super::clock::VectorClock;
use super::wait_group::WaitGroupHistory;

/// Dense index of a task inside one execution: 0 is the execution's root task.
pub type TaskIndex = usize;

/// Per-execution causality state: one clock and one name per task, and a step counter.
///
/// A backend creates one per execution, registers each spawned task with [`Tracker::spawn`],
/// and routes the [`Runtime`](crate::Runtime) funnels to the methods below with the index of
/// the task that is running.
#[derive(Debug)]
pub struct Tracker {
    clocks: Vec<VectorClock>,
    names: Vec<String>,
    step: u64,
}

impl Default for Tracker {
    fn default() -> Self {
        Tracker::new("main")
    }
}

impl Tracker {
    /// A tracker whose root task (index 0) is called `root`.
    pub fn new(root: &str) -> Self {
        let mut clock = VectorClock::new();
        clock.increment(0);
        Tracker {
            clocks: vec![clock],
            names: vec![root.to_string()],
            step: 0,
        }
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

    /// The name a task was spawned with.
    pub fn name(&self, task: TaskIndex) -> String {
        self.names
            .get(task)
            .cloned()
            .unwrap_or_else(|| format!("task#{task}"))
    }

    /// Counts one operation and returns its step number.
    pub fn step(&mut self) -> u64 {
        self.step += 1;
        self.step
    }

    /// A synchronizing write by `task` into `clock`.
    pub fn release(&mut self, task: TaskIndex, clock: &mut VectorClock) {
        clock.join(&self.clocks[task]);
        self.clocks[task].increment(task);
    }

    /// A synchronizing read by `task` of `clock`.
    pub fn acquire(&mut self, task: TaskIndex, clock: &VectorClock) {
        self.clocks[task].join(clock);
    }

    fn record(
        &mut self,
        task: TaskIndex,
        access: Access,
        site: &'static Location<'static>,
    ) -> AccessRecord {
        let step = self.step();
        AccessRecord {
            task,
            epoch: self.clocks[task].get(task),
            step,
            site,
            access,
        }
    }

    /// Checks a cell access; `Err` carries the rendered data-race report.
    pub fn cell_access(
        &mut self,
        task: TaskIndex,
        meta: &mut CellHistory,
        access: Access,
        site: &'static Location<'static>,
    ) -> Result<(), String> {
        let record = self.record(task, access, site);
        meta.check(&self.clocks[task], record)
            .map_err(|r| r.describe(|t| self.name(t)))
    }

    /// Checks an add from zero; `Err` carries the rendered contract report.
    pub fn wait_group_add_from_zero(
        &mut self,
        task: TaskIndex,
        meta: &mut WaitGroupHistory,
        site: &'static Location<'static>,
    ) -> Result<(), String> {
        let record = self.record(task, Access::Write, site);
        meta.add_from_zero(&self.clocks[task], record)
            .map_err(|r| r.describe(|t| self.name(t)))
    }

    /// Checks a wait; `Err` carries the rendered contract report.
    pub fn wait_group_wait(
        &mut self,
        task: TaskIndex,
        meta: &mut WaitGroupHistory,
        site: &'static Location<'static>,
    ) -> Result<(), String> {
        let record = self.record(task, Access::Read, site);
        meta.wait(&self.clocks[task], record)
            .map_err(|r| r.describe(|t| self.name(t)))
    }
}
