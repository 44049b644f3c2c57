//! Async primitives for models, each written once over the [`Runtime`](crate::Runtime) funnels.
//!
//! Which one to use, and what each guarantees:
//!
//! | primitive | Go / tokio counterpart | happens-before edge |
//! |---|---|---|
//! | [`Atomic`] | Go `sync/atomic` (sequentially consistent) | an operation → the next one that observes it |
//! | [`Mutex`] | `sync.Mutex`, `tokio::sync::Mutex` (FIFO hand-off) | unlock → next lock |
//! | [`Notify`] | `tokio::sync::Notify` (one stored permit; a [`Notified`] receives `notify_waiters` from creation; `enable`) | notify → the `Notified` (or `enable`) it completes |
//! | [`RwLock`] | `tokio::sync::RwLock` (fair: FIFO, write-preferring), `sync.RWMutex` | write unlock → every later lock; read unlock → every later write lock (not read → read) |
//! | [`Semaphore`] | `tokio::sync::Semaphore` (FIFO: a large `acquire_many` at the head blocks later ones; `close`) | permit release, `add_permits`, `close` → every later acquire |
//! | [`Barrier`] | `tokio::sync::Barrier` (reusable, one leader per generation) | every arrival of a generation → every return of its `wait` |
//! | [`mpsc::channel`], [`mpsc::unbounded`] | buffered Go channel, `tokio::sync::mpsc` | send → receive; last sender drop → `None` |
//! | [`oneshot::channel`] | `tokio::sync::oneshot` | send (or sender drop) → receive |
//! | [`CancellationToken`] | `context.WithCancel` (idempotent, cascading) | cancel → observed |
//! | [`WaitGroup`] | `sync.WaitGroup` (Go 1.25 semantics, checked contract) | done → wait returns |
//! | [`SharedCell`] | a plain struct field (checked for data races) | none |
//! | [`select2`]/[`select3`]/[`select4`] | Go `select` (choice among ready arms is the runtime's) | that of the winning arm |
//! | [`watch::channel`] | `tokio::sync::watch` (latest value, per-receiver seen version) | send → the `borrow`/`changed` that observes it; sender drop → `changed` error; last receiver drop → `closed` |
//! | [`JoinSet`](crate::task::JoinSet), [`JoinHandle::abort`](crate::JoinHandle::abort) | `tokio::task::JoinSet` (completion order; drop aborts) | task exit → the `join_next` that returns it; abort → the cancelled result |
//! | [`time::timeout`](crate::time::timeout), [`time::interval`](crate::time::interval) | `tokio::time::timeout`, `tokio::time::interval` (`Burst`) | none (time synchronizes nothing) |
//!
//! Not provided, because no model needs them yet: rendezvous (zero-capacity) channels.
//!
//! Every waiting operation is first a scheduling point ([`Runtime::point`](crate::Runtime::point));
//! every non-waiting one is recorded in the current step ([`Runtime::note`](crate::Runtime::note)).
//! Each primitive is an object with an id stable per execution, and each of those operations
//! names it and how it touches it ([`crate::object`]: the dependency relation partial-order
//! reduction uses). So does every change a destructor makes (an unlock by a guard's drop, a
//! permit's return, a channel half's drop, a queued acquire that gives up): it is noted in the
//! step that runs the destructor ([`crate::object`], "Operations destructors perform").

mod atomic;
mod barrier;
mod batch;
mod cancel;
pub mod mpsc;
mod mutex;
mod notify;
pub mod oneshot;
mod rwlock;
mod select;
mod semaphore;
mod shared_cell;
mod wait_group;
mod waitlist;
pub mod watch;

pub use atomic::Atomic;
pub use barrier::{Barrier, BarrierWaitResult};
pub use cancel::{CancellationToken, Cancelled};
pub use mutex::{Mutex, MutexGuard};
pub use notify::{Notified, Notify};
pub use rwlock::{ReadArm, RwLock, RwLockReadGuard, RwLockWriteGuard, WriteArm};
pub use select::{
    future_arm, select2, select3, select4, Arm, ArmFuture, FutureArm, Select2, Select3, Select4,
};
pub use semaphore::{Acquire, Semaphore, SemaphorePermit};
pub use shared_cell::SharedCell;
pub use wait_group::{Wait, WaitGroup};
