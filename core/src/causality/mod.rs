//! Happens-before tracking: vector clocks and the checks built on them.
//!
//! Every checking backend (weft-sim, loom, shuttle) runs one engine, [`Causality`]: one
//! [`VectorClock`] per task, joined only at the edges the primitives declare (see rule 3 of [`crate::runtime`]):
//! spawn, join, unlock→lock, send→receive, notify→notified, cancel→observe, done→wait return.
//! Because the edges come from the program's own synchronization, not from the checker's
//! internal locks, the checks below are as precise on loom and shuttle as in the simulator.
//!
//! Clocks follow FastTrack (Flanagan & Freund, PLDI 2009): a task's own component counts its
//! releases, so an access is identified by an *epoch* `c@t` (the value of `t`'s own component
//! when it accessed), and `c@t` happens-before a point whose clock is `C` iff `c <= C[t]`.
//!
//! - [`Causality`]: the engine (per-task clocks and names; spawn, release, acquire; stamped
//!   contract checks). The simulator keeps one in its execution state, loom and shuttle one
//!   per execution behind their handle.
//! - [`Contract`]: how a check plugs in. A primitive keeps a
//!   [`Runtime::History<C>`](crate::Runtime::History) and calls the one funnel
//!   [`Runtime::check`](crate::Runtime::check); no backend knows any particular contract.
//! - [`SharedCellContract`] ([`CellHistory`]): the data-race check for
//!   [`SharedCell`](crate::sync::SharedCell).
//! - [`WaitGroupContract`] ([`WaitGroupHistory`]): the *predictive* WaitGroup contract check:
//!   an `add` that takes the counter from zero must happen-before every `wait` it could
//!   overlap, checked whichever of the two ran first (`shared/specs/alertmanager.md` §1.2:
//!   Go's detector reports only the blocking order).

mod cell;
mod clock;
mod contract;
mod engine;
mod wait_group;

pub use cell::{Access, AccessRecord, CellHistory, RaceReport, SharedCellContract};
pub use clock::{Epoch, VectorClock};
pub use contract::{Contract, Stamp};
pub use engine::{Causality, TaskIndex};
pub use wait_group::{ContractReport, WaitGroupContract, WaitGroupEvent, WaitGroupHistory};
