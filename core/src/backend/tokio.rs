//! The production backend: real tokio tasks, tokio time, no checking cost.
//!
//! Every funnel of [`Runtime`] is a no-op that inlines away; internal state sits behind an
//! uncontended `std::sync::Mutex`. `choose` draws from a per-thread xorshift generator (it is
//! a real, unrecorded random choice, as Go's `select` makes). A failing task is recorded in
//! [`TokioRuntime::faults`] so a stress run can count failures, and tell their kinds, without
//! joining every task: a [`Runtime::fail`] as its [`Fault`], a task's own panic as a
//! [`FailureKind::Panic`] with its message.
//!
//! Create the handle inside a tokio runtime ([`TokioRuntime::new`] panics with a clear message
//! otherwise). Tokio's own time controls apply: under `tokio::time::pause` the runtime's time
//! is tokio's paused clock.

use std::cell::Cell;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use super::tokio_nodes::{self, InNode, SharedGroups};
use super::StdLock;
use crate::causality::Contract;
use crate::error::{panic_message, FailureKind};
use crate::fault::Fault;
use crate::node::{Clocks, NodeId, NodeSpec, WallTime};
use crate::object::ObjectId;
use crate::runtime::{BoxFuture, Op, Runtime};
use crate::time::Instant;

/// The tokio backend's handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct TokioRuntime {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    handle: ::tokio::runtime::Handle,
    epoch: ::tokio::time::Instant,
    faults: Mutex<Vec<Fault>>,
    /// Nodes as task groups ([`super::tokio_nodes`]).
    groups: SharedGroups,
}

impl TokioRuntime {
    /// A handle on the tokio runtime this is called from.
    ///
    /// # Panics
    /// Outside a tokio runtime, with a message that says so.
    // No `Default`: a default value that panics outside a tokio runtime would surprise.
    #[allow(clippy::new_without_default)]
    #[track_caller]
    pub fn new() -> Self {
        match ::tokio::runtime::Handle::try_current() {
            Ok(handle) => Self::from_handle(handle),
            Err(_) => panic!(
                "weft: TokioRuntime::new() called outside a tokio runtime (at {}); create it \
                 inside #[tokio::main], Runtime::block_on, or use TokioRuntime::from_handle",
                std::panic::Location::caller()
            ),
        }
    }

    /// A handle on the given tokio runtime.
    pub fn from_handle(handle: ::tokio::runtime::Handle) -> Self {
        let epoch = {
            let _guard = handle.enter();
            ::tokio::time::Instant::now()
        };
        TokioRuntime {
            inner: Arc::new(Inner {
                handle,
                epoch,
                faults: Mutex::new(Vec::new()),
                groups: SharedGroups::default(),
            }),
        }
    }

    /// The failures of this handle's tasks, in order: each [`Runtime::fail`] as its [`Fault`]
    /// (recorded when it is raised), and each other panic of a task spawned through this
    /// handle as a [`FailureKind::Panic`] with the panic's message.
    ///
    /// A panic is recorded when the task's poll returns, just after its
    /// [`JoinHandle`](crate::JoinHandle) sees it finish: a `join` may return (by panicking)
    /// an instant before the record appears here.
    pub fn faults(&self) -> Vec<Fault> {
        self.inner
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The messages of [`TokioRuntime::faults`] (each fault's `Display`), in order.
    pub fn panics(&self) -> Vec<String> {
        self.faults().iter().map(Fault::to_string).collect()
    }

    /// Spawns `body` as a task of `node`'s group.
    fn spawn_in_node(&self, node: u32, body: BoxFuture) {
        let task = CatchPanic {
            future: Box::pin(InNode { node, future: body }),
            inner: self.inner.clone(),
        };
        let handle = self.inner.handle.spawn(task);
        self.inner.groups.joined(node, handle.abort_handle());
    }

    fn record(&self, fault: Fault) {
        self.inner
            .faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(fault);
    }
}

thread_local! {
    /// Set by [`Runtime::fail`] on the thread it unwinds, just before it panics: the panic's
    /// fault is recorded already, so the task's catch does not record it again as a panic.
    static RAISED: Cell<bool> = const { Cell::new(false) };
}

thread_local! {
    static XORSHIFT: Cell<u64> = Cell::new({
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(0u64) | 1
    });
}

fn next_random() -> u64 {
    XORSHIFT.with(|s| {
        let mut x = s.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.set(x);
        x
    })
}

struct CatchPanic {
    future: BoxFuture,
    inner: Arc<Inner>,
}

impl Future for CatchPanic {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        // A flag left by a `fail` whose panic no task caught (raised outside one) is stale.
        RAISED.with(|r| r.set(false));
        match catch_unwind(AssertUnwindSafe(|| this.future.as_mut().poll(cx))) {
            Ok(p) => p,
            Err(payload) => {
                if !RAISED.with(|r| r.replace(false)) {
                    let fault = Fault::new(FailureKind::Panic, panic_message(&*payload));
                    this.inner
                        .faults
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(fault);
                }
                Poll::Ready(())
            }
        }
    }
}

impl Runtime for TokioRuntime {
    type Lock<T: Send + 'static> = StdLock<T>;
    type Clock = ();
    /// Nothing: a checked object carries no history in production (0 bytes).
    type History<C: Contract> = ();
    type Sleep = ::tokio::time::Sleep;

    fn backend_name(&self) -> &'static str {
        "tokio"
    }

    fn spawn_boxed(&self, _name: &str, task: BoxFuture) {
        if let Some(node) = tokio_nodes::polling() {
            // Spawned by a node's task: it joins the node's group.
            return self.spawn_in_node(node, task);
        }
        let inner = self.inner.clone();
        drop(self.inner.handle.spawn(CatchPanic {
            future: task,
            inner,
        }));
    }

    #[track_caller]
    fn yield_now(&self) -> impl Future<Output = ()> + Send + 'static {
        ::tokio::task::yield_now()
    }

    #[track_caller]
    fn sleep(&self, duration: Duration) -> Self::Sleep {
        ::tokio::time::sleep(duration)
    }

    fn now(&self) -> Instant {
        Instant::from_epoch(::tokio::time::Instant::now() - self.inner.epoch)
    }

    fn choose(&self, n: usize) -> usize {
        assert!(n > 0, "weft: choose(0)");
        (next_random() % n as u64) as usize
    }

    fn rand_u64(&self) -> u64 {
        next_random()
    }

    fn start_node(&self, spec: NodeSpec) -> NodeId {
        let clocks = spec.clocks[self.choose(spec.clocks.len())];
        let (id, start) = self.inner.groups.add(spec, clocks);
        self.spawn_in_node(id.0, start());
        id
    }

    fn current_node(&self) -> Option<NodeId> {
        tokio_nodes::polling().map(NodeId)
    }

    fn wall_now(&self) -> WallTime {
        self.node_clocks().wall(self.now().since_epoch())
    }

    fn local_now(&self) -> Instant {
        match tokio_nodes::polling().and_then(|n| self.inner.groups.clocks(n)) {
            Some((clocks, started)) => Instant::from_epoch(clocks.scale(started.elapsed())),
            None => self.now(),
        }
    }

    fn node_clocks(&self) -> Clocks {
        let clocks = tokio_nodes::polling().and_then(|n| self.inner.groups.clocks(n));
        clocks.map(|c| c.0).unwrap_or_default()
    }

    fn spawn_outside_nodes(&self, _name: &str, task: BoxFuture) {
        let inner = self.inner.clone();
        drop(self.inner.handle.spawn(CatchPanic {
            future: task,
            inner,
        }));
    }

    /// Aborts the node's task group at once (each task stops at its next `.await`); a
    /// restarting node's next incarnation starts after its delay.
    fn crash(&self, node: NodeId) {
        if let Some((delay, start)) = self.inner.groups.crash(node) {
            let rt = self.clone();
            drop(self.inner.handle.spawn(async move {
                ::tokio::time::sleep(delay).await;
                rt.inner.groups.restarted(node.0);
                rt.spawn_in_node(node.0, start());
            }));
        }
    }

    #[inline]
    fn object(&self) -> ObjectId {
        // tokio checks nothing: every object shares one id.
        ObjectId::FIRST
    }

    #[inline]
    fn point(&self, _op: Op) -> impl Future<Output = ()> + Send + 'static {
        std::future::ready(())
    }

    #[inline]
    fn note(&self, _op: Op) {}

    #[inline]
    fn release(&self, _clock: &mut ()) {}

    #[inline]
    fn acquire(&self, _clock: &()) {}

    #[inline]
    fn check<C: Contract>(
        &self,
        _history: &mut (),
        _event: C::Event,
        _op: Op,
    ) -> Result<(), Fault> {
        Ok(())
    }

    fn fail(&self, fault: Fault) -> ! {
        // The text is for people (the panic hook, a `join` that re-raises it); the fault is
        // recorded as a value.
        let text = format!("[weft:{}] {fault}", fault.kind);
        self.record(fault);
        RAISED.with(|r| r.set(true));
        panic!("{text}")
    }
}
