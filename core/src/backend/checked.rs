//! What the loom and shuttle backends share, one concept per file, re-exported here: the
//! per-execution state ([`Execution`], `checked_exec.rs`), the funnels ([`checked_funnels`],
//! `checked_funnels.rs`), the internal lock ([`CheckedLock`] and [`unwinding`],
//! `checked_lock.rs`) and the clockless sleep ([`LogicalSleep`], `logical_sleep.rs`). How a
//! check's failure comes back as a value is `verdict.rs`; how a deadlock or leak is told apart
//! is `parking.rs`.

pub(crate) use super::checked_exec::Execution;
pub(crate) use super::checked_funnels::checked_funnels;
pub(crate) use super::checked_lock::{unwinding, CheckedLock};
pub use super::logical_sleep::LogicalSleep;
