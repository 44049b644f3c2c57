//! A linearizability checker, as a reusable oracle.
//!
//! A concurrent object is *linearizable* (Herlihy and Wing, TOPLAS 1990) when every history of
//! it can be explained by a sequential run of its [`SequentialSpec`] in which each operation
//! takes effect at one instant between its invocation and its response; a pending operation
//! (never answered) may take effect or not. This module:
//!
//! 1. records a [`History`] from the tasks using an object, on any weft backend, with a
//!    [`Recorder`] that the simulator's partial-order reduction sees ([`recorder`]), or writes
//!    one by hand with [`History::builder`] ([`history`]);
//! 2. checks it against a spec ([`check`], [`Checker`]): Wing and Gong's search (JPDC 1993)
//!    with Lowe's just-in-time linearization ("Testing for linearizability", 2017) and
//!    Porcupine's memoization (github.com/anishathalye/porcupine), per partition where the
//!    spec partitions ([`search`], [`spec`]);
//! 3. on failure, shrinks the history to a minimal non-linearizable sub-history ([`shrink`])
//!    and renders it as a one-screen table, one column per client ([`report`]);
//! 4. turns a failed [`Verdict`] into an oracle [`Fault`](crate::Fault)
//!    ([`Verdict::fault`]).
//!
//! Specs provided: [`Register`], [`CasRegister`], [`Queue`], [`VersionedRegister`] (the ETag
//! store of `shared/specs/config-concurrency.md`), and [`Keyed`] (one independent object per
//! key, checked per key).
//!
//! ```
//! use weft_core::linearizability::{check, History, Register, RegisterOp::*, RegisterRet};
//!
//! // Client 1 reads 0 after client 0's write of 1 returned: a stale read.
//! let h = History::<Register<i32>>::builder()
//!     .call(0, Write(1), RegisterRet::Ok)
//!     .call(1, Read, RegisterRet::Value(0))
//!     .build()
//!     .unwrap();
//! let verdict = check(&Register::new(0), &h);
//! assert!(!verdict.is_linearizable());
//! println!("{verdict}");
//! ```

pub mod cas_register;
pub mod check;
mod explain;
pub mod history;
pub mod keyed;
pub mod queue;
pub mod recorder;
pub mod register;
pub mod report;
mod search;
mod shrink;
pub mod spec;
pub mod versioned;

pub use cas_register::{CasOp, CasRegister, CasRet};
pub use check::{check, Checker, Verdict, Witness, DEFAULT_MAX_STEPS, LINEARIZABLE};
pub use history::{ClientId, History, HistoryBuilder, HistoryError, Operation};
pub use keyed::Keyed;
pub use queue::{Queue, QueueOp, QueueRet};
pub use recorder::{Recorder, Ticket};
pub use register::{Register, RegisterOp, RegisterRet};
pub use report::{MAX_COLUMNS, MAX_LINES};
pub use spec::SequentialSpec;
pub use versioned::{
    Precondition, Version, VersionedOp, VersionedRegister, VersionedRet, VersionedState,
};
