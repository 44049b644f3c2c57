//! A strategy shared with its caller: `Arc<Mutex<S>>` is a [`Strategy`] that forwards every
//! call to `S`, so that a test or a tool can hand a search to the runner and still read the
//! search's own state afterwards (such as [`super::Dpor::stats`]). Every method is
//! forwarded, the optional ones included: a wrapper that forgets one (a node's resume, a
//! bound reached) silently changes the search it wraps.

use std::sync::{Arc, Mutex, MutexGuard};

use weft_core::faults::FaultKind;

use super::{Candidate, DecisionPoint, NodeStep, Step, Strategy};

/// The shared strategy; a panic of an earlier holder does not hide it.
fn held<S>(shared: &Mutex<S>) -> MutexGuard<'_, S> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<S: Strategy> Strategy for Arc<Mutex<S>> {
    fn describe(&self) -> String {
        held(self).describe()
    }
    fn begin(&mut self, index: u64, seed: u64) -> bool {
        held(self).begin(index, seed)
    }
    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        held(self).pick(point)
    }
    fn choose(&mut self, n: usize) -> Result<usize, String> {
        held(self).choose(n)
    }
    fn random(&mut self) -> Result<u64, String> {
        held(self).random()
    }
    fn fault(&mut self, kind: FaultKind, n: usize) -> Result<usize, String> {
        held(self).fault(kind, n)
    }
    fn end(&mut self, decisions: u64) {
        held(self).end(decisions)
    }
    fn wants_steps(&self) -> bool {
        held(self).wants_steps()
    }
    fn stepped(&mut self, step: &Step<'_>) {
        held(self).stepped(step)
    }
    fn forced(&mut self, actor: Candidate) {
        held(self).forced(actor)
    }
    fn node_stepped(&mut self, step: &NodeStep) {
        held(self).node_stepped(step)
    }
    fn check_finished(&self) -> Result<(), String> {
        held(self).check_finished()
    }
    fn exhausted(&self) -> Option<bool> {
        held(self).exhausted()
    }
    fn bound_reached(&self) -> Option<u32> {
        held(self).bound_reached()
    }
    fn progress(&self) -> Option<String> {
        held(self).progress()
    }
}
