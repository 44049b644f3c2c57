//! The [`Runtime`] trait: what a backend provides, and the funnels every primitive goes through.
//!
//! A runtime handle is a small `Clone` value (a zero-sized type or an `Arc`) that model code
//! receives from the caller and passes to what it creates. Model code is generic over
//! `R: Runtime`; it never names a backend.
//!
//! The trait has two halves:
//!
//! 1. **The user half**: [`spawn`](Runtime::spawn), [`yield_now`](Runtime::yield_now),
//!    [`sleep`](Runtime::sleep), [`now`](Runtime::now), [`choose`](Runtime::choose) and
//!    [`rand_u64`](Runtime::rand_u64). Time is always the runtime's (virtual under the
//!    simulator), never the wall clock; random draws are the runtime's, so checkers can
//!    record, explore and replay them.
//! 2. **The backend half** (the *funnels*): every primitive in [`crate::sync`] is built once,
//!    here, on top of these few methods. A checking backend sees every scheduling point, every
//!    happens-before edge and every checked access through them; the production backend makes
//!    them compile to nothing. The protocol, as numbered rules:
//!    1. An operation that may be interleaved with other tasks awaits [`Runtime::point`] first.
//!       A backend whose [`Runtime::Lock`] is itself a scheduling point (loom, shuttle) returns
//!       a ready future; the simulator yields to its strategy there.
//!    2. Synchronous operations (WaitGroup `add`/`done`, cancel, notify, `SharedCell` access,
//!       non-blocking sends) call [`Runtime::note`]; they happen inside the current step.
//!    3. A synchronizing write (unlock, send, notify, cancel, done, task exit) calls
//!       [`Runtime::release`] on the object's [`Runtime::Clock`]; the matching synchronizing read
//!       (lock, receive, notified, observe cancel, wait return, join) calls
//!       [`Runtime::acquire`]. Nothing else creates a happens-before edge: in particular a
//!       WaitGroup `add` does not, so the WaitGroup's own state never hides a contract violation
//!       (the rule Go's race detector follows; `shared/specs/alertmanager.md` §1.2, §5).
//!    4. Internal state is kept in a [`Runtime::Lock`], held for a short, non-blocking critical
//!       section. Wakers are woken after the lock is released.
//!    5. A contract decided by happens-before (a data race on a `SharedCell`, the WaitGroup
//!       contract, any [`Contract`]) keeps a [`Runtime::History`] per object and reports each
//!       checked operation to [`Runtime::check`]: one funnel for every contract, so a new one
//!       widens no backend.
//!    6. A misuse that Go would panic on, or a checked contract that fails, goes to
//!       [`Runtime::fail`], which never returns.
//!
//! Each primitive gets an [`ObjectId`] from [`Runtime::object`] when it is created, and every
//! [`Op`] it passes to [`Runtime::point`] and [`Runtime::note`] names that object and its
//! [`AccessKind`] ([`crate::object`]: the dependency relation partial-order reduction uses).

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::time::Duration;

use crate::causality::Contract;
use crate::error::FailureKind;
use crate::fault::Fault;
use crate::faults::{Budget, FaultKind};
use crate::node::{Clocks, NodeId, NodeSpec, WallTime};
use crate::object::{AccessKind, ObjectId, Touch};
use crate::task::JoinHandle;
use crate::time::Instant;

/// A boxed, type-erased task body, as handed to [`Runtime::spawn_boxed`].
pub type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// What a primitive operation is, for traces, reports and strategies: a static name, the
/// caller's site, and what it touches (the object and the access kind; see [`crate::object`]).
#[derive(Clone, Copy)]
pub struct Op {
    /// Short operation name, such as `"mutex.lock"` or `"wait_group.add"`.
    pub name: &'static str,
    /// Where the model code called the operation.
    pub site: &'static Location<'static>,
    /// The object it touches and how.
    pub touch: Touch,
}

impl Op {
    /// Names an operation called at `site` that touches `touch`.
    pub fn new(name: &'static str, touch: Touch, site: &'static Location<'static>) -> Self {
        Op { name, site, touch }
    }

    /// Names an operation called at `site` that touches `object` with `access`.
    pub fn on(
        name: &'static str,
        object: ObjectId,
        access: AccessKind,
        site: &'static Location<'static>,
    ) -> Self {
        Op::new(name, Touch::Object(object, access), site)
    }

    /// Whether this operation and `other` are dependent ([`Touch::conflicts`]).
    pub fn conflicts(&self, other: &Op) -> bool {
        self.touch.conflicts(other.touch)
    }
}

impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.touch.object() {
            Some(o) => write!(f, "{} {o} at {}", self.name, self.site),
            None => write!(f, "{} at {}", self.name, self.site),
        }
    }
}

/// A short critical-section lock for a primitive's internal state (rule 4 of the module docs).
///
/// On loom and shuttle this is the checker's own mutex, so taking it is a scheduling point the
/// checker explores; on tokio it is a plain OS mutex; under the simulator it never contends.
pub trait RawLock<T>: Send + Sync {
    /// Creates the lock around `value`.
    fn new(value: T) -> Self;
    /// Runs `f` with exclusive access to the value. `f` must not block or re-enter the lock.
    fn with<U>(&self, f: impl FnOnce(&mut T) -> U) -> U;
}

/// The abstract scheduler a model is written against. See the module documentation.
pub trait Runtime: Clone + Send + Sync + 'static {
    /// Lock for primitives' internal state.
    type Lock<T: Send + 'static>: RawLock<T>;
    /// Happens-before summary stored in a synchronizing object (a vector clock, or nothing).
    type Clock: Default + Send + Sync + 'static;
    /// What one object keeps for contract `C` (its [`Contract::History`] on a checking
    /// backend, `()` on the production one).
    type History<C: Contract>: Default + Send + Sync + 'static;
    /// The future returned by [`Runtime::sleep`].
    type Sleep: Future<Output = ()> + Send + 'static;

    /// Short backend name, such as `"tokio"` or `"sim"`, for reports.
    fn backend_name(&self) -> &'static str;

    // ----- the user half -------------------------------------------------------------------

    /// Starts `task` as a new named task. The spawn happens-before the task's first step.
    /// Prefer [`Runtime::spawn`], which returns a typed [`JoinHandle`].
    fn spawn_boxed(&self, name: &str, task: BoxFuture);

    /// Starts a named task and returns a handle to await its output.
    ///
    /// Nothing the spawner does after this call is ordered with the task: the task may first run
    /// at any later point, including after every other task has finished.
    #[track_caller]
    fn spawn<F>(&self, name: &str, future: F) -> JoinHandle<Self, F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        crate::task::spawn(self, name, future)
    }

    /// Lets other tasks run. A scheduling point on every backend.
    #[track_caller]
    fn yield_now(&self) -> impl Future<Output = ()> + Send + 'static;

    /// Completes after `duration` of the runtime's time. Under loom and shuttle, which have no
    /// clock, a sleep is a yield and may complete at any later point.
    #[track_caller]
    fn sleep(&self, duration: Duration) -> Self::Sleep;

    /// The runtime's current time (virtual under the simulator).
    fn now(&self) -> Instant;

    /// A uniformly distributed choice in `0..n` (`n > 0`) that checkers record and replay, and
    /// that exhaustive strategies explore where they can.
    fn choose(&self, n: usize) -> usize;

    /// A random `u64` that checkers record and replay.
    fn rand_u64(&self) -> u64;

    // ----- nodes and faults (`crate::node`, `crate::faults`) -------------------------------

    /// Starts a node: registers `spec` and runs its start function as the node's first task
    /// (see [`crate::node`]). A backend that cannot model nodes fails the execution with one
    /// line (the check layer refuses such scenarios there before they run).
    fn start_node(&self, spec: NodeSpec) -> NodeId {
        self.fail(refusal(
            self.backend_name(),
            &format!("node {:?}", spec.name),
        ))
    }

    /// The node the current task belongs to, if any.
    fn current_node(&self) -> Option<NodeId> {
        None
    }

    /// The current node's wall clock (exact clocks outside a node): its offset plus its
    /// drifted reading of [`Runtime::now`].
    fn wall_now(&self) -> WallTime {
        Clocks::EXACT.wall(self.now().since_epoch())
    }

    /// The current node's monotonic clock: its drifted reading of the time since the node's
    /// incarnation started ([`Runtime::now`] outside a node).
    fn local_now(&self) -> Instant {
        self.now()
    }

    /// The current node's clocks ([`Clocks::EXACT`] outside a node): what
    /// [`Runtime::wall_now`] and [`Runtime::local_now`] apply, and what a timeout measured on
    /// the node's own clock converts with ([`Clocks::unscale`]).
    fn node_clocks(&self) -> Clocks {
        Clocks::EXACT
    }

    /// Starts `task` as a task of no node: it survives a crash of the spawner's node, as a
    /// message already on the wire does. The network ([`crate::net`]) carries each message in
    /// such a task. On a backend without nodes it is [`Runtime::spawn_boxed`].
    fn spawn_outside_nodes(&self, name: &str, task: BoxFuture) {
        self.spawn_boxed(name, task)
    }

    /// Crashes `node` at the end of the current step (see [`crate::node`], rule 2).
    fn crash(&self, node: NodeId) {
        self.fail(refusal(self.backend_name(), &format!("a crash of {node}")))
    }

    /// Pauses `node` for `duration` (see [`crate::node`], rule 4).
    fn pause(&self, node: NodeId, duration: Duration) {
        let _ = duration;
        self.fail(refusal(self.backend_name(), &format!("a pause of {node}")))
    }

    /// A place where the checker may crash (or pause) the current node, under the fault
    /// budget ([`crate::faults`], rule 1). `name` is for traces. If the node crashes here, the
    /// future never completes: the task is dropped at this point.
    #[track_caller]
    fn crash_point(&self, name: &'static str) -> impl Future<Output = ()> + Send + 'static {
        let _ = name;
        std::future::ready(())
    }

    /// A fault opportunity of `kind` with `options` ways of happening ([`crate::faults`],
    /// rule 2): `None` for no fault, `Some(i)` (`i < options`) for a fault of option `i`,
    /// which spends one unit of the budget. Backends without a budget answer `None`.
    fn fault(&self, kind: FaultKind, options: usize) -> Option<usize> {
        let _ = (kind, options);
        None
    }

    /// The fault budget of this execution (what is left of it); [`Budget::NONE`] on backends
    /// that inject no faults.
    fn budget(&self) -> Budget {
        Budget::NONE
    }

    // ----- the backend half: funnels used by `crate::sync` -----------------------------------

    /// A new object's id, stable per execution (see [`crate::object`]); each primitive's
    /// constructor calls it once.
    fn object(&self) -> ObjectId;

    /// A scheduling point before the operation `op` (rule 1).
    fn point(&self, op: Op) -> impl Future<Output = ()> + Send + 'static;

    /// Records a synchronous operation inside the current step (rule 2).
    fn note(&self, op: Op);

    /// Joins the current task's causal history into `clock` (a synchronizing write).
    fn release(&self, clock: &mut Self::Clock);

    /// Joins `clock` into the current task's causal history (a synchronizing read).
    fn acquire(&self, clock: &Self::Clock);

    /// Checks `event` of contract `C`, made by the current task at `op`, against the object's
    /// `history`, and records it (rule 5; the protocol is [`crate::causality::Contract`]'s).
    /// `Err` carries the violation as a [`Fault`] of kind [`Contract::KIND`]; the caller
    /// releases its locks and passes it to [`Runtime::fail`].
    fn check<C: Contract>(
        &self,
        history: &mut Self::History<C>,
        event: C::Event,
        op: Op,
    ) -> Result<(), Fault>;

    /// Reports a failure found by a primitive (a contract violation, a data race) and never
    /// returns. Checkers turn it into a failed execution; production panics with `message`.
    fn fail(&self, fault: Fault) -> !;
}

/// The one-line failure of a backend asked to model a node or a fault it cannot.
fn refusal(backend: &str, what: &str) -> Fault {
    Fault::new(
        FailureKind::Panic,
        format!("backend {backend} cannot model {what}: nodes and faults run on sim (and nodes on tokio)"),
    )
}
