//! Notify a task, with tokio's permit semantics.
//!
//! - [`Notify::notify_one`] wakes the oldest waiter; with no waiter it stores one permit (at
//!   most one), which the next [`Notify::notified`] consumes at once.
//! - [`Notify::notify_waiters`] wakes every current waiter and stores no permit: a task that
//!   starts waiting afterwards is not woken (the lost-wakeup shape, on purpose).
//! - A notification happens-before the `notified` it completes.

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::task::{Context, Poll};

use super::select::{Arm, ArmFuture};
use super::waitlist::{wake_all, Signal, WaitList};
use crate::runtime::{Op, RawLock, Runtime};

struct State<R: Runtime> {
    permit: bool,
    waiters: WaitList,
    clock: R::Clock,
}

/// Wakes waiting tasks; see the module documentation.
pub struct Notify<R: Runtime> {
    rt: R,
    state: R::Lock<State<R>>,
}

impl<R: Runtime> fmt::Debug for Notify<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notify").finish_non_exhaustive()
    }
}

impl<R: Runtime> Notify<R> {
    /// Creates a notify with no stored permit.
    pub fn new(rt: &R) -> Self {
        Notify {
            rt: rt.clone(),
            state: R::Lock::new(State {
                permit: false,
                waiters: WaitList::default(),
                clock: R::Clock::default(),
            }),
        }
    }

    /// Wakes the oldest waiter, or stores a permit if none waits.
    #[track_caller]
    pub fn notify_one(&self) {
        self.rt
            .note(Op::new("notify.notify_one", Location::caller()));
        self.signal_one();
    }

    fn signal_one(&self) {
        let waker = self.state.with(|s| {
            self.rt.release(&mut s.clock);
            let w = s.waiters.signal_one();
            if w.is_none() {
                s.permit = true;
            }
            w
        });
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Wakes every task waiting now; stores no permit.
    #[track_caller]
    pub fn notify_waiters(&self) {
        self.rt
            .note(Op::new("notify.notify_waiters", Location::caller()));
        let wakers = self.state.with(|s| {
            self.rt.release(&mut s.clock);
            s.waiters.signal_all()
        });
        wake_all(wakers);
    }

    /// Waits for a notification (or consumes a stored permit). A scheduling point.
    #[track_caller]
    pub fn notified(&self) -> impl Future<Output = ()> + Send + '_ {
        let op = Op::new("notify.notified", Location::caller());
        async move {
            self.rt.point(op).await;
            ArmFuture(Some(self.notified_arm())).await
        }
    }

    /// [`Notify::notified`] as a [`select`](crate::sync::select2) arm.
    pub fn notified_arm(&self) -> Notified<'_, R> {
        Notified {
            notify: self,
            id: None,
            reserved: false,
            hand_back: false,
            taken: false,
        }
    }
}

/// A wait for a notification; an [`Arm`].
pub struct Notified<'a, R: Runtime> {
    notify: &'a Notify<R>,
    id: Option<u64>,
    reserved: bool,
    hand_back: bool,
    taken: bool,
}

impl<R: Runtime> fmt::Debug for Notified<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notified")
            .field("reserved", &self.reserved)
            .finish()
    }
}

impl<R: Runtime> Arm for Notified<'_, R> {
    type Output = ();

    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.reserved {
            return Poll::Ready(());
        }
        let n = self.notify;
        let id = &mut self.id;
        let got = n.state.with(|s| match s.waiters.take_signal(*id) {
            Signal::None if id.is_none() && s.permit => {
                s.permit = false;
                Signal::One
            }
            Signal::None => {
                s.waiters.register(id, cx.waker());
                Signal::None
            }
            signal => signal,
        });
        if got != Signal::None {
            self.id = None;
            // Only a single-waiter notification must be handed on if we lose a select.
            self.hand_back = got == Signal::One;
            self.reserved = true;
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    fn take(&mut self) {
        self.taken = true;
        let n = self.notify;
        n.state.with(|s| n.rt.acquire(&s.clock));
    }
}

impl<R: Runtime> Drop for Notified<'_, R> {
    fn drop(&mut self) {
        if self.taken {
            return;
        }
        let handed_back = if self.reserved {
            self.hand_back
        } else if self.id.is_some() {
            self.notify.state.with(|s| s.waiters.remove(self.id)) == Signal::One
        } else {
            false
        };
        if handed_back {
            // A notification chose us but we stopped waiting: hand it to the next waiter.
            self.notify.signal_one();
        }
    }
}
