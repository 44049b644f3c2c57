//! [`Contract`]: a check decided by happens-before alone, plugged into every checking backend
//! through one funnel, [`Runtime::check`](crate::Runtime::check).
//!
//! A contract says what it keeps per object ([`Contract::History`]), what one operation tells
//! it ([`Contract::Event`]), what a broken contract is ([`Contract::Violation`]), the
//! [`FailureKind`] it is reported as, and how a violation reads with task names. The protocol:
//!
//! 1. A primitive keeps one [`Runtime::History<C>`](crate::Runtime::History) per object, next
//!    to its state (the production backend makes it `()`).
//! 2. At each checked operation it calls `rt.check::<C>(&mut history, event, op)` inside its
//!    internal lock, then releases the lock and passes an `Err` to
//!    [`Runtime::fail`](crate::Runtime::fail).
//! 3. The backend stamps the event ([`Stamp`]: task, epoch, step, site) and asks
//!    [`Contract::check`] with the task's current clock; the contract compares the stamp with
//!    what the history recorded, records it, and answers.
//!
//! A new contract is a type implementing this trait, in any crate: no backend changes. The
//! contracts weft ships are [`SharedCellContract`](super::SharedCellContract) (data races) and
//! [`WaitGroupContract`](super::WaitGroupContract).

use std::panic::Location;

use super::cell::{Access, AccessRecord};
use super::clock::{Epoch, VectorClock};
use super::engine::TaskIndex;
use crate::error::FailureKind;

/// Who made a checked event, when and where: the task, its own clock component (its epoch:
/// the event happens-before any point whose clock has seen it), the backend's step, the site.
#[derive(Clone, Copy, Debug)]
pub struct Stamp {
    /// Dense task index of the task making the event.
    pub task: TaskIndex,
    /// The task's own clock component at the event.
    pub epoch: Epoch,
    /// The backend's step number at the event.
    pub step: u64,
    /// Source location of the operation.
    pub site: &'static Location<'static>,
}

impl Stamp {
    /// Whether this event happens-before a point whose clock is `clock`.
    #[inline]
    pub fn seen_by(&self, clock: &VectorClock) -> bool {
        clock.has_seen(self.task, self.epoch)
    }

    /// The stamp as an access of kind `access`.
    pub fn access(self, access: Access) -> AccessRecord {
        AccessRecord {
            task: self.task,
            epoch: self.epoch,
            step: self.step,
            site: self.site,
            access,
        }
    }
}

/// A contract checked from happens-before; see the module documentation.
pub trait Contract: 'static {
    /// What the contract keeps per object.
    type History: Default + Send + Sync + 'static;
    /// What one checked operation tells the contract.
    type Event: Copy + Send + 'static;
    /// A broken contract (typically the two events happens-before does not order).
    type Violation;
    /// The kind of failure a violation is.
    const KIND: FailureKind;

    /// Checks `event`, stamped `at` by a task whose current clock is `clock`, against
    /// `history`, and records it.
    fn check(
        history: &mut Self::History,
        clock: &VectorClock,
        at: Stamp,
        event: Self::Event,
    ) -> Result<(), Self::Violation>;

    /// Renders a violation for people, naming task `t` as `name(t)`.
    fn describe(violation: &Self::Violation, name: &dyn Fn(TaskIndex) -> String) -> String;
}
