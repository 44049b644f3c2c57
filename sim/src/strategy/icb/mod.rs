//! Iterative context bounding (Musuvathi & Qadeer, "Iterative Context Bounding for Systematic
//! Testing of Multithreaded Programs", PLDI 2007): every schedule with 0 preemptions, then
//! with at most 1, then at most 2, ..., each bound to exhaustion, so that the first failure
//! found has the fewest preemptions any failing schedule of the program needs, and the search
//! reports the largest bound it fully explored ([`Strategy::bound_reached`]).
//!
//! A preemption is what [`DecisionPoint::preempts`](super::DecisionPoint::preempts) says
//! (switching away from a task that is still runnable and did not yield); picking among the
//! runnable tasks when the last one blocked or finished, switching away from a yield, and data
//! choices (`choose`) are free.
//!
//! Two searches, with the same results at every bound (`sim/tests/bounded_por.rs` checks it
//! over random programs):
//!
//! - [`Icb::new`], the one `StrategyKind::Icb` and the CLI's `--strategy icb` use: bounded
//!   partial-order reduction (Coons, Musuvathi, McKinley, OOPSLA 2013; the `dpor` module's
//!   `bounded`): DPOR inside each bound, so schedules that only reorder independent steps
//!   are not all run, with conservative backtracking so that none within the bound is missed;
//! - [`Icb::plain`]: the paper's algorithm, every schedule of each bound exactly once
//!   ([`plain`]), kept as the reference for differential testing.

mod plain;

use self::plain::PlainIcb;
use super::dpor::BoundedPor;
use super::{DecisionPoint, Step, Strategy};

/// Iterative context bounding; see the module documentation.
#[derive(Debug)]
pub struct Icb(Inner);

#[derive(Debug)]
enum Inner {
    Bounded(Box<BoundedPor>),
    Plain(Box<PlainIcb>),
}

impl Icb {
    /// Iterative context bounding with partial-order reduction, up to `max_bound` preemptions
    /// (`None`: until the space is exhausted).
    pub fn new(max_bound: Option<u32>) -> Self {
        Icb(Inner::Bounded(Box::new(BoundedPor::new(max_bound))))
    }

    /// Plain iterative context bounding (every schedule of each bound once), up to
    /// `max_bound` preemptions.
    pub fn plain(max_bound: Option<u32>) -> Self {
        Icb(Inner::Plain(Box::new(PlainIcb::new(max_bound))))
    }

    fn inner(&self) -> &dyn Strategy {
        match &self.0 {
            Inner::Bounded(b) => &**b,
            Inner::Plain(p) => &**p,
        }
    }

    fn inner_mut(&mut self) -> &mut dyn Strategy {
        match &mut self.0 {
            Inner::Bounded(b) => &mut **b,
            Inner::Plain(p) => &mut **p,
        }
    }
}

/// How both searches describe themselves: `icb`, with the maximum bound and the bound reached.
pub(crate) fn describe(max_bound: Option<u32>, reached: Option<u32>) -> String {
    let max = max_bound.map(|m| format!("max bound {m}"));
    let reached = reached.map(|r| format!("bound reached {r}"));
    match (max, reached) {
        (None, None) => "icb".to_string(),
        (Some(m), None) => format!("icb({m})"),
        (None, Some(r)) => format!("icb({r})"),
        (Some(m), Some(r)) => format!("icb({m}, {r})"),
    }
}

/// How both searches report the bounds fully explored in their progress lines.
pub(crate) fn reached_text(reached: Option<u32>) -> String {
    match reached {
        Some(r) => format!("bounds 0..={r} explored"),
        None => "no bound explored yet".to_string(),
    }
}

impl Strategy for Icb {
    fn describe(&self) -> String {
        self.inner().describe()
    }
    fn begin(&mut self, index: u64, seed: u64) -> bool {
        self.inner_mut().begin(index, seed)
    }
    fn pick(&mut self, point: &DecisionPoint<'_>) -> Result<usize, String> {
        self.inner_mut().pick(point)
    }
    fn choose(&mut self, n: usize) -> Result<usize, String> {
        self.inner_mut().choose(n)
    }
    fn random(&mut self) -> Result<u64, String> {
        self.inner_mut().random()
    }
    fn end(&mut self, decisions: u64) {
        self.inner_mut().end(decisions)
    }
    fn wants_steps(&self) -> bool {
        self.inner().wants_steps()
    }
    fn stepped(&mut self, step: &Step<'_>) {
        self.inner_mut().stepped(step)
    }
    fn node_stepped(&mut self, step: &super::NodeStep) {
        self.inner_mut().node_stepped(step)
    }
    fn exhausted(&self) -> Option<bool> {
        self.inner().exhausted()
    }
    fn bound_reached(&self) -> Option<u32> {
        self.inner().bound_reached()
    }
    fn progress(&self) -> Option<String> {
        self.inner().progress()
    }
}
