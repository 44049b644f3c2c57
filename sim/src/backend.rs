//! `impl weft_core::Runtime for SimRuntime`: every funnel routes to the current execution.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use weft_core::backend::StdLock;
use weft_core::causality::{Contract, VectorClock};
use weft_core::faults::{Budget, FaultKind};
use weft_core::node::{Clocks, NodeId, NodeSpec, WallTime};
use weft_core::{AccessKind, BoxFuture, FailureKind, Fault, Instant, ObjectId, Op, Runtime, Touch};

use crate::context;
use crate::execution::Exec;
use crate::time::SimSleep;

/// The simulator's runtime handle, handed to the body of each execution.
///
/// It is valid only inside the execution that created it; used anywhere else it panics with
/// a message that says so.
#[derive(Clone, Copy, Debug)]
pub struct SimRuntime {
    pub(crate) exec_id: u64,
}

/// Unwinds out of the running task after a failure was recorded (never printed).
pub(crate) struct SimAbort;

impl SimRuntime {
    fn with<R>(&self, f: impl FnOnce(&mut Exec) -> R) -> R {
        context::with(self.exec_id, f)
    }

    /// Reaches `op`; unwinds the task if its step exceeded the operation bound.
    fn note_op(&self, op: Op) {
        if self.with(|e| e.note(op)) {
            abort_spinning();
        }
    }

    fn abort_if_failed(&self) {
        if self.with(|e| e.failure.is_some() && !e.tearing_down) {
            std::panic::resume_unwind(Box::new(SimAbort));
        }
    }
}

/// Unwinds the running task, whose step exceeded the operation bound (the failure is
/// recorded): it would otherwise spin forever. Not while already unwinding (a destructor that
/// spins is left to the watchdog).
fn abort_spinning() {
    if !std::thread::panicking() {
        std::panic::resume_unwind(Box::new(SimAbort));
    }
}

/// A scheduling point: yields once to the strategy.
struct Point {
    exec_id: u64,
    op: Option<Op>,
    /// An explicit `yield_now`: the task asks the strategy to let others run first.
    yielding: bool,
}

impl Future for Point {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.op.take() {
            Some(op) => {
                // A scheduling point: the step ends here whatever the operation count says.
                context::with(self.exec_id, |e| {
                    e.reach(op);
                    e.tasks[e.current as usize].point_op = Some(op);
                    e.yielding = self.yielding;
                });
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            None => Poll::Ready(()),
        }
    }
}

/// A crash point ([`Runtime::crash_point`]): decides once, at its first poll.
struct CrashPoint {
    exec_id: u64,
    name: &'static str,
    /// 0: not decided; 1: paused here (ready at the next poll); 2: crashed (never ready).
    state: u8,
}

impl Future for CrashPoint {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.state {
            0 => {}
            1 => return Poll::Ready(()),
            _ => return Poll::Pending,
        }
        let name = self.name;
        let (state, failed) = context::with(self.exec_id, |e| {
            let state = match e.current_node() {
                None => 0,
                Some(n) if e.fault(FaultKind::Crash, 1).is_some() => {
                    e.crash_node(NodeId(n), Some(name));
                    2
                }
                Some(n) if e.fault(FaultKind::Pause, 1).is_some() => {
                    let d = e.nodes.budget.pause_for;
                    e.pause_node(NodeId(n), d, Some(name));
                    1
                }
                Some(_) => 0,
            };
            (state, e.failure.is_some() && !e.tearing_down)
        });
        if failed {
            std::panic::resume_unwind(Box::new(SimAbort));
        }
        self.state = state;
        match state {
            0 => Poll::Ready(()),
            // Paused: the step ends here; the node's tasks run again when it resumes.
            1 => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            // Crashed: dropped when the step ends.
            _ => Poll::Pending,
        }
    }
}

impl Runtime for SimRuntime {
    type Lock<T: Send + 'static> = StdLock<T>;
    type Clock = VectorClock;
    type History<C: Contract> = C::History;
    type Sleep = SimSleep;

    fn backend_name(&self) -> &'static str {
        "sim"
    }

    fn spawn_boxed(&self, name: &str, task: BoxFuture) {
        self.with(|e| e.spawn(name, task));
    }

    #[track_caller]
    fn yield_now(&self) -> impl Future<Output = ()> + Send + 'static {
        Point {
            exec_id: self.exec_id,
            // A yield touches no shared state.
            op: Some(Op::new(
                "yield_now",
                Touch::Nothing,
                std::panic::Location::caller(),
            )),
            yielding: true,
        }
    }

    #[track_caller]
    fn sleep(&self, duration: Duration) -> SimSleep {
        // A sleep touches its own timer: arming it here, firing it later.
        let op = Op::on(
            "sleep",
            self.object(),
            AccessKind::Arm,
            std::panic::Location::caller(),
        );
        self.note_op(op);
        SimSleep {
            exec_id: self.exec_id,
            duration,
            op,
            timer: None,
        }
    }

    fn now(&self) -> Instant {
        self.with(|e| e.now)
    }

    fn choose(&self, n: usize) -> usize {
        let c = self.with(|e| e.choose(n));
        self.abort_if_failed();
        c
    }

    fn rand_u64(&self) -> u64 {
        let r = self.with(|e| e.random());
        self.abort_if_failed();
        r
    }

    fn object(&self) -> ObjectId {
        self.with(|e| e.new_object())
    }

    fn start_node(&self, spec: NodeSpec) -> NodeId {
        // A declared set of clocks is the checker's data choice.
        let clocks = spec.clocks[self.choose(spec.clocks.len())];
        let (id, start) = self.with(|e| e.add_node(spec, clocks));
        let body = start();
        self.with(|e| e.spawn_incarnation(id.0, body));
        id
    }

    fn current_node(&self) -> Option<NodeId> {
        self.with(|e| e.current_node()).map(NodeId)
    }

    fn wall_now(&self) -> WallTime {
        self.with(|e| e.wall_now())
    }

    fn local_now(&self) -> Instant {
        self.with(|e| e.local_now())
    }

    fn node_clocks(&self) -> Clocks {
        self.with(|e| e.current_clocks().0)
    }

    fn spawn_outside_nodes(&self, name: &str, task: BoxFuture) {
        self.with(|e| e.spawn_in(name, task, None));
    }

    fn crash(&self, node: NodeId) {
        self.with(|e| e.crash_node(node, None));
        self.abort_if_failed();
    }

    fn pause(&self, node: NodeId, duration: Duration) {
        self.with(|e| e.pause_node(node, duration, None));
        self.abort_if_failed();
    }

    fn crash_point(&self, name: &'static str) -> impl Future<Output = ()> + Send + 'static {
        CrashPoint {
            exec_id: self.exec_id,
            name,
            state: 0,
        }
    }

    fn fault(&self, kind: FaultKind, options: usize) -> Option<usize> {
        let f = self.with(|e| e.fault(kind, options));
        self.abort_if_failed();
        f
    }

    fn budget(&self) -> Budget {
        self.with(|e| e.nodes.budget)
    }

    fn point(&self, op: Op) -> impl Future<Output = ()> + Send + 'static {
        Point {
            exec_id: self.exec_id,
            op: Some(op),
            yielding: false,
        }
    }

    fn note(&self, op: Op) {
        self.note_op(op);
    }

    fn release(&self, clock: &mut VectorClock) {
        self.with(|e| {
            if e.tearing_down {
                return;
            }
            e.causality.release(e.current as usize, clock);
        });
    }

    fn acquire(&self, clock: &VectorClock) {
        self.with(|e| {
            if !e.tearing_down {
                e.causality.acquire(e.current as usize, clock);
            }
        });
    }

    /// Runs the check for the current task (skipped during teardown); a violation is
    /// rendered with the execution's task names, and counted instead when its kind is
    /// tolerated ([`crate::Config::tolerate`]).
    ///
    /// A check counts as an operation of the step. When it exceeds the step's operation bound
    /// the step-bound failure is recorded and the check answers `Err`: the primitive then
    /// unwinds the task through [`Runtime::fail`] after releasing its own lock (the recorded
    /// failure stays the step-bound one).
    fn check<C: Contract>(
        &self,
        history: &mut C::History,
        event: C::Event,
        op: Op,
    ) -> Result<(), Fault> {
        self.with(|e| {
            if e.tearing_down {
                return Ok(());
            }
            if e.tick(Some(op)) {
                return Err(Fault::new(FailureKind::StepBound, "step bound exceeded"));
            }
            let task = e.current as usize;
            match e
                .causality
                .check::<C>(task, e.step, op.site, history, event)
            {
                Ok(()) => Ok(()),
                Err(violation) => {
                    let fault = e.causality.fault::<C>(&violation);
                    if e.tolerated(C::KIND, || fault.message.clone()) {
                        Ok(())
                    } else {
                        Err(fault)
                    }
                }
            }
        })
    }

    fn fail(&self, fault: Fault) -> ! {
        self.with(|e| e.record_fault(fault));
        std::panic::resume_unwind(Box::new(SimAbort))
    }
}
