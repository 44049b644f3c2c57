//! Backends: what each one provides, what time means there, and what it can detect.
//!
//! Each backend is a thin adapter behind an additive Cargo feature of `weft-core`; model code
//! never names one. The simulator backend lives in the `weft-sim` crate.
//!
//! | backend | feature | tasks | time | finds |
//! |---|---|---|---|---|
//! | [`tokio`](self::tokio) | `tokio` | real tokio tasks (multi-thread or current-thread) | tokio's clock | only what crashes or what the scenario asserts; no checking cost |
//! | [`loom`](self::loom) | `loom` | one loom thread per task, driven by `loom::future::block_on` | logical: a sleep is a yield; a timer may fire at any later point | every interleaving (DPOR, bounded by `LOOM_MAX_PREEMPTIONS`): assertion failures, deadlocks, plus weft's data-race and WaitGroup contract checks |
//! | [`shuttle`](self::shuttle) | `shuttle` | shuttle futures | logical, as for loom | random / PCT / DFS schedules, replayable: the same failures as loom, sampled |
//! | `weft_sim::Sim` | (crate `weft-sim`) | weft's single-threaded executor | virtual; jumps to the next deadline | all of the above, plus leaks, step bound, timer-order exploration and schedule strings |
//!
//! A failure under loom or shuttle is a value out of the `try_*` entry points
//! ([`verdict::Found`]: the [`Fault`](crate::Fault), task and execution number), or one panic
//! out of the panicking ones, carrying the rendered report (`[weft:kind] message`; under
//! shuttle followed by the seed and the failing execution's number): never an abort of the
//! test binary, and nothing written by the checker itself.
//! weft finds deadlocks before either checker does, from a mirror of which tasks can still run
//! (`parking`), and under shuttle catches task panics itself and ends the run (see
//! `shuttle_verdict`; shuttle's process-global panic hook is removed on weft's first shuttle
//! run). What remains is the checkers' own: under loom, a thread blocked outside weft's
//! primitives still reaches loom's deadlock report, which aborts; under shuttle, its step bound
//! and panics in its teardown go through shuttle's failure path, which writes to stderr.
//!
//! The data-race and WaitGroup checks are the same code on every checking backend
//! ([`crate::causality`]); they use only the happens-before edges the primitives declare, so a
//! checker's own internal locks never hide a violation.
//!
//! Choice under loom: loom explores interleavings only, not data; [`Runtime::choose`] there
//! returns 0, so a select takes the first ready arm in declaration order. Which arms are ready
//! still varies with the interleaving. Use shuttle or weft-sim to explore choices.
//!
//! Thread-local state: the backends keep four thread-locals (loom's current model and running
//! task, the loom/shuttle "root returned" flag, tokio's per-thread random generator), and
//! weft-sim two (its scoped execution context and the panic site). Every one of them is
//! listed, with the reason it cannot be an argument, in one table: the module documentation
//! of weft-sim's `context` module (`sim/src/context.rs`).
//!
//! [`Runtime::choose`]: crate::Runtime::choose

#[cfg(feature = "loom")]
pub mod loom;
#[cfg(feature = "loom")]
mod loom_park;
#[cfg(feature = "shuttle")]
pub mod shuttle;
#[cfg(feature = "shuttle")]
mod shuttle_verdict;
#[cfg(feature = "tokio")]
pub mod tokio;
#[cfg(feature = "tokio")]
mod tokio_nodes;

#[cfg(any(feature = "loom", feature = "shuttle"))]
mod checked;
#[cfg(any(feature = "loom", feature = "shuttle"))]
mod checked_exec;
#[cfg(any(feature = "loom", feature = "shuttle"))]
mod checked_funnels;
#[cfg(any(feature = "loom", feature = "shuttle"))]
mod checked_lock;
#[cfg(any(feature = "loom", feature = "shuttle"))]
mod logical_sleep;
mod logical_time;
#[cfg(any(feature = "loom", feature = "shuttle"))]
mod parking;
mod std_lock;
#[cfg(any(feature = "loom", feature = "shuttle"))]
pub mod verdict;

#[cfg(any(feature = "loom", feature = "shuttle"))]
pub use logical_sleep::LogicalSleep;
pub use logical_time::LogicalClock;
pub use std_lock::StdLock;
