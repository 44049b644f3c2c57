//! A WaitGroup with Go's semantics and a checked contract.
//!
//! - [`WaitGroup::add`] adds to the counter; [`WaitGroup::done`] subtracts one. A negative
//!   counter is a contract violation (Go panics).
//! - [`WaitGroup::wait`] returns **at once** when the counter is zero: it does not wait for adds
//!   that have not happened yet. Otherwise it waits until a `done` brings the counter to zero.
//! - Each `done` happens-before the return of the `wait` it releases. An `add` creates no
//!   happens-before edge, and neither does the WaitGroup's internal state.
//! - The contract ("an add with a positive delta made while the counter is zero must
//!   happen-before wait"; `shared/specs/alertmanager.md` §1.2) is reported to the runtime at
//!   every such add and every wait, so a checker can verify it in both orders.
//!
//! The Stop-before-Run bug is an `add` from zero inside a freshly spawned task racing a `wait`
//! in the task that spawned it: no lock the owner holds can order them.

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::select::{Arm, ArmFuture};
use super::waitlist::{wake_all, Signal, WaitList};
use crate::causality::{WaitGroupContract, WaitGroupEvent};
use crate::error::FailureKind;
use crate::fault::Fault;
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};
use crate::task::JoinHandle;

struct State<R: Runtime> {
    counter: i64,
    waiters: WaitList,
    done_clock: R::Clock,
    history: R::History<WaitGroupContract>,
}

/// Go's `sync.WaitGroup`; see the module documentation.
pub struct WaitGroup<R: Runtime> {
    rt: R,
    object: ObjectId,
    state: R::Lock<State<R>>,
}

impl<R: Runtime> fmt::Debug for WaitGroup<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitGroup").finish_non_exhaustive()
    }
}

impl<R: Runtime> WaitGroup<R> {
    /// A WaitGroup whose counter is zero.
    pub fn new(rt: &R) -> Self {
        WaitGroup {
            rt: rt.clone(),
            object: rt.object(),
            state: R::Lock::new(State {
                counter: 0,
                waiters: WaitList::default(),
                done_clock: R::Clock::default(),
                history: Default::default(),
            }),
        }
    }

    /// Adds `n` to the counter (Go's `Add(n)`).
    #[track_caller]
    pub fn add(&self, n: usize) {
        let op = Op::on(
            "wait_group.add",
            self.object,
            AccessKind::Add,
            Location::caller(),
        );
        self.rt.note(op);
        let checked = self.state.with(|s| {
            let from_zero = s.counter == 0 && n > 0;
            s.counter += n as i64;
            if from_zero {
                self.rt
                    .check::<WaitGroupContract>(&mut s.history, WaitGroupEvent::AddFromZero, op)
            } else {
                Ok(())
            }
        });
        if let Err(fault) = checked {
            self.rt.fail(fault);
        }
    }

    /// Subtracts one from the counter (Go's `Done()`); wakes the waiters when it reaches zero.
    #[track_caller]
    pub fn done(&self) {
        let op = Op::on(
            "wait_group.done",
            self.object,
            AccessKind::Release,
            Location::caller(),
        );
        self.rt.note(op);
        let outcome = self.state.with(|s| {
            s.counter -= 1;
            if s.counter < 0 {
                s.counter = 0;
                return Err(());
            }
            self.rt.release(&mut s.done_clock);
            Ok(if s.counter == 0 {
                s.waiters.signal_all()
            } else {
                Vec::new()
            })
        });
        match outcome {
            Ok(wakers) => wake_all(wakers),
            Err(()) => self.rt.fail(Fault::new(
                FailureKind::ContractViolation,
                format!(
                    "negative WaitGroup counter: done() at {} without a matching add",
                    op.site
                ),
            )),
        }
    }

    /// The counter's current value (for oracles and tests; not a synchronizing read).
    pub fn count(&self) -> usize {
        self.state.with(|s| s.counter.max(0) as usize)
    }

    /// Waits until the counter is zero; returns at once if it is zero now. A scheduling point.
    #[track_caller]
    pub fn wait(&self) -> impl Future<Output = ()> + Send + '_ {
        let op = self.wait_op(Location::caller());
        async move {
            self.rt.point(op).await;
            ArmFuture(Some(self.wait_arm_at(op))).await
        }
    }

    /// [`WaitGroup::wait`] as a [`select`](crate::sync::select2) arm.
    #[track_caller]
    pub fn wait_arm(&self) -> Wait<'_, R> {
        self.wait_arm_at(self.wait_op(Location::caller()))
    }

    fn wait_op(&self, site: &'static Location<'static>) -> Op {
        Op::on("wait_group.wait", self.object, AccessKind::Wait, site)
    }

    fn wait_arm_at(&self, op: Op) -> Wait<'_, R> {
        Wait {
            wg: self,
            op,
            checked: false,
            id: None,
            ready: false,
        }
    }

    /// Go 1.25's `wg.Go(f)`: `add(1)` in the caller, then spawn `future` and `done()` after it.
    #[track_caller]
    pub fn spawn<F>(self: &Arc<Self>, name: &str, future: F) -> JoinHandle<R, F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.add(1);
        let wg = self.clone();
        self.rt.spawn(name, async move {
            let out = future.await;
            wg.done();
            out
        })
    }
}

/// A wait for the counter to reach zero; an [`Arm`].
pub struct Wait<'a, R: Runtime> {
    wg: &'a WaitGroup<R>,
    op: Op,
    checked: bool,
    id: Option<u64>,
    ready: bool,
}

impl<R: Runtime> fmt::Debug for Wait<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait").field("ready", &self.ready).finish()
    }
}

impl<R: Runtime> Arm for Wait<'_, R> {
    type Output = ();

    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.ready {
            return Poll::Ready(());
        }
        let wg = self.wg;
        let first = !self.checked;
        self.checked = true;
        let (ready, check) = wg.state.with(|s| {
            let check = if first {
                wg.rt
                    .check::<WaitGroupContract>(&mut s.history, WaitGroupEvent::Wait, self.op)
            } else {
                Ok(())
            };
            let ready = s.waiters.take_signal(self.id) != Signal::None
                || (self.id.is_none() && s.counter == 0);
            if !ready {
                s.waiters.register(&mut self.id, cx.waker());
            }
            (ready, check)
        });
        if let Err(fault) = check {
            wg.rt.fail(fault);
        }
        if ready {
            self.ready = true;
            self.id = None;
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    fn take(&mut self) {
        let wg = self.wg;
        wg.state.with(|s| wg.rt.acquire(&s.done_clock));
    }
}

impl<R: Runtime> Drop for Wait<'_, R> {
    fn drop(&mut self) {
        if self.id.is_some() {
            self.wg.state.with(|s| s.waiters.remove(self.id));
        }
    }
}
