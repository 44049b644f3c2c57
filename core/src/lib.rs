//! # weft-core: write a concurrent state machine once, check it everywhere
//!
//! Lifecycle bugs (a task stopped before it ran, an old task that outlives its replacement, a
//! shutdown racing a lazy create, a lost update) show up as rare CI flakes. weft makes them
//! deterministic. You write the state machine **once**, generic over [`Runtime`], using the
//! primitives of [`sync`]. The caller then picks where it runs:
//!
//! - in production on **tokio** ([`backend::tokio`]), at no checking cost;
//! - under **weft-sim** (crate `weft-sim`): seeded, virtual time, replayable schedule strings,
//!   happens-before race and WaitGroup checks, deadlock / leak / livelock detection;
//! - under **loom** ([`backend::loom`]) for exhaustive exploration;
//! - under **shuttle** ([`backend::shuttle`]) for randomized exploration.
//!
//! Model code never names a backend and never uses `cfg`.
//!
//! ## A state machine, once
//!
//! A component whose `run` task makes its WaitGroup's first `add` inside the task, and whose
//! `stop` cancels and waits: the Go shape behind Cortex PR 7618
//! (`shared/specs/alertmanager.md` §4 B1).
//!
//! ```
//! use std::sync::Arc;
//! use weft_core::sync::{CancellationToken, WaitGroup};
//! use weft_core::Runtime;
//!
//! struct Dispatcher<R: Runtime> {
//!     finished: WaitGroup<R>,
//!     cancel: CancellationToken<R>,
//! }
//!
//! impl<R: Runtime> Dispatcher<R> {
//!     async fn run(self: Arc<Self>) {
//!         self.finished.add(1); // the first add, inside the spawned task
//!         self.cancel.cancelled().await;
//!         self.finished.done();
//!     }
//!
//!     async fn stop(&self) {
//!         self.cancel.cancel();
//!         self.finished.wait().await; // returns at once if the counter is still zero
//!     }
//! }
//!
//! /// The owner: start the dispatcher, then stop it.
//! async fn owner<R: Runtime>(rt: R) {
//!     let d = Arc::new(Dispatcher {
//!         finished: WaitGroup::new(&rt),
//!         cancel: CancellationToken::new(&rt),
//!     });
//!     let run = rt.spawn("run", d.clone().run());
//!     d.stop().await;
//!     run.join().await;
//! }
//!
//! // In production, on tokio: it passes (almost) every time.
//! # #[cfg(feature = "tokio")] {
//! let tokio = tokio::runtime::Runtime::new().unwrap();
//! tokio.block_on(async { owner(weft_core::backend::tokio::TokioRuntime::new()).await });
//! # }
//!
//! // Under weft-sim: the WaitGroup contract violation is found in the first execution, with
//! // the schedule string that replays it and the per-task trace.
//! let sim = weft_sim::Sim::new(weft_sim::Config::default().iterations(100));
//! let failure = sim.run(owner).unwrap_err();
//! let failure = failure.failure().unwrap();
//! assert_eq!(failure.kind, weft_core::FailureKind::ContractViolation);
//! assert_eq!(failure.execution, 1);
//! println!("{failure}");
//!
//! // Replaying its schedule (the printed string decodes to it) reproduces it exactly.
//! let schedule = failure.schedule.clone();
//! let again = weft_sim::Sim::new(weft_sim::Config::default().schedule(schedule)).run(owner);
//! assert_eq!(again.unwrap_err().failure().unwrap().trace_report(), failure.trace_report());
//! ```
//!
//! The fix (PR 7618's barrier) is a "loaded" signal the owner waits for before `stop`, so the
//! add happens-before the wait; weft-sim's DFS then explores every schedule and passes.
//!
//! Under loom the same `owner` runs as `weft_core::backend::loom::model(owner)`, and under
//! shuttle as `weft_core::backend::shuttle::check_pct(owner, seed, 1000, 3)`; both report the
//! violation as a panic whose text starts `[weft:contract_violation]`, and their `try_*` twins
//! (`loom::try_model`, `shuttle::try_check_pct`) return it as a value.
//!
//! ## What to read next
//!
//! - [`runtime`]: the trait, and the funnels every primitive goes through (for backend authors).
//! - [`sync`]: which primitive to use, its Go/tokio counterpart, and its happens-before edges.
//! - [`backend`]: what each backend can detect, and what time means there.
//! - [`causality`]: the vector-clock checks (data races on [`sync::SharedCell`], the
//!   predictive WaitGroup contract).

#![warn(missing_docs)]

pub mod backend;
pub mod causality;
pub mod error;
pub mod fault;
pub mod faults;
pub mod linearizability;
pub mod net;
pub mod node;
pub mod object;
pub mod runtime;
pub mod sync;
pub mod task;
pub mod time;

pub use error::FailureKind;
pub use fault::{Fault, OracleId};
pub use object::{AccessKind, ObjectId, Touch};
pub use runtime::{BoxFuture, Op, RawLock, Runtime};
pub use task::JoinHandle;
pub use time::Instant;
