//! Happens-before tracking: vector clocks and the checks built on them.
//!
//! Every checking backend (weft-sim, loom, shuttle) keeps one [`VectorClock`] per task and
//! joins clocks only at the edges the primitives declare (see rule 3 of [`crate::runtime`]):
//! spawn, join, unlock→lock, send→receive, notify→notified, cancel→observe, done→wait return.
//! Because the edges come from the program's own synchronization, not from the checker's
//! internal locks, the checks below are as precise on loom and shuttle as in the simulator.
//!
//! Clocks follow FastTrack (Flanagan & Freund, PLDI 2009): a task's own component counts its
//! releases, so an access is identified by an *epoch* `c@t` (the value of `t`'s own component
//! when it accessed), and `c@t` happens-before a point whose clock is `C` iff `c <= C[t]`.
//!
//! - [`CellHistory`]: the data-race check for [`SharedCell`](crate::sync::SharedCell).
//! - [`WaitGroupHistory`]: the *predictive* WaitGroup contract check: an `add` that takes the
//!   counter from zero must happen-before every `wait` it could overlap, checked whichever of
//!   the two ran first (`shared/specs/alertmanager.md` §1.2: Go's detector reports only the
//!   blocking order).
//! - [`Tracker`]: per-task clocks for backends whose tasks are not weft's own (loom, shuttle).

mod cell;
mod clock;
mod tracker;
mod wait_group;

pub use cell::{Access, AccessRecord, CellHistory, RaceReport};
pub use clock::{Epoch, VectorClock};
pub use tracker::{TaskIndex, Tracker};
pub use wait_group::{ContractReport, WaitGroupHistory};
