//! [`StepLog`]: what the running step did so far, the raw material of a
//! [`Step`](crate::strategy::Step) for strategies that want steps.

use weft_core::{ObjectId, Op};

/// What the running step did so far: the raw material of a [`Step`](crate::strategy::Step).
#[derive(Debug, Default)]
pub(crate) struct StepLog {
    /// The task whose step this is (`None` for a timer's).
    pub(crate) actor: Option<u32>,
    pub(crate) accesses: Vec<Op>,
    pub(crate) woke: Vec<u32>,
    pub(crate) spawned: Vec<u32>,
    pub(crate) armed: Vec<u32>,
    pub(crate) choices: Vec<(u32, u32)>,
    pub(crate) objects: Vec<ObjectId>,
    /// Tasks of the nodes the step crashed or paused ([`crate::nodes`], rule 7).
    pub(crate) disabled: Vec<u32>,
}

impl StepLog {
    pub(crate) fn clear(&mut self) {
        self.accesses.clear();
        self.woke.clear();
        self.spawned.clear();
        self.armed.clear();
        self.choices.clear();
        self.objects.clear();
        self.disabled.clear();
    }
}
