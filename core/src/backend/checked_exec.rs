//! [`Execution`]: the per-execution state of a checking backend that owns no task table
//! (loom, shuttle): the [`Causality`] engine, logical time, and loom's draw counter. A handle
//! holds it in an `Arc`; the funnels ([`checked_funnels`](super::checked::checked_funnels))
//! route every happens-before edge and every contract check to it.

use std::sync::Mutex;

use super::LogicalClock;
use crate::causality::{Causality, Contract, TaskIndex, VectorClock};
use crate::fault::Fault;
use crate::runtime::Op;

/// Per-execution state of a checking backend without its own task table.
#[derive(Debug)]
pub(crate) struct Execution {
    pub(crate) causality: Mutex<Causality>,
    pub(crate) time: LogicalClock,
    /// Objects created so far in this execution (the last id handed out).
    objects: std::sync::atomic::AtomicU32,
    #[cfg(feature = "loom")]
    draws: Mutex<u64>,
}

impl Default for Execution {
    /// A new execution whose root task (index 0) is `main`.
    fn default() -> Self {
        Execution {
            causality: Mutex::new(Causality::with_root("main")),
            time: LogicalClock::default(),
            objects: std::sync::atomic::AtomicU32::new(0),
            #[cfg(feature = "loom")]
            draws: Mutex::default(),
        }
    }
}

impl Execution {
    pub(crate) fn with<U>(&self, f: impl FnOnce(&mut Causality) -> U) -> U {
        f(&mut self.causality.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub(crate) fn spawn(&self, parent: TaskIndex, name: &str) -> TaskIndex {
        self.with(|t| t.spawn(parent, name))
    }

    /// A new object's id: numbered from 1 per execution.
    pub(crate) fn next_object(&self) -> crate::object::ObjectId {
        let n = self
            .objects
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .saturating_add(1);
        crate::object::ObjectId::new(n).unwrap_or(crate::object::ObjectId::FIRST)
    }

    pub(crate) fn release(&self, task: TaskIndex, clock: &mut VectorClock) {
        self.with(|t| t.release(task, clock));
    }

    pub(crate) fn acquire(&self, task: TaskIndex, clock: &VectorClock) {
        self.with(|t| t.acquire(task, clock));
    }

    /// Checks an event of contract `C` by `task`; each check counts as one step.
    pub(crate) fn check<C: Contract>(
        &self,
        task: TaskIndex,
        history: &mut C::History,
        event: C::Event,
        op: Op,
    ) -> Result<(), Fault> {
        self.with(|c| {
            let step = c.next_step();
            c.check::<C>(task, step, op.site, history, event)
                .map_err(|v| c.fault::<C>(&v))
        })
    }

    /// A deterministic pseudo-random sequence (splitmix64 over a per-execution counter); loom's
    /// `rand_u64` (shuttle draws from its own schedule).
    #[cfg(feature = "loom")]
    pub(crate) fn next_draw(&self) -> u64 {
        let mut n = self.draws.lock().unwrap_or_else(|p| p.into_inner());
        *n = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *n;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
