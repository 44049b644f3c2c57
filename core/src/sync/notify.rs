//! Notify a task, with `tokio::sync::Notify`'s semantics.
//!
//! - [`Notify::notified`] returns a [`Notified`] future. It is registered for
//!   [`Notify::notify_waiters`] **from the moment it is created**: the notify keeps a count of
//!   `notify_waiters` calls, the `Notified` captures it at creation, and a `Notified` whose
//!   count is stale completes at its first poll (or [`Notified::enable`]) even if it was never
//!   polled when the broadcast happened. So tokio's lost-wakeup-free pattern works: create the
//!   `Notified`, check the condition, then await it; the setter sets the condition, then calls
//!   `notify_waiters`.
//! - [`Notify::notify_one`] wakes the oldest *enabled* waiter (one that was polled or
//!   [`enable`](Notified::enable)d: FIFO in the order of first poll or enable). With no enabled
//!   waiter it stores one permit (at most one), which the next first poll or enable of any
//!   `Notified` consumes at once. [`Notify::notify_last`] is the same but wakes the newest
//!   enabled waiter.
//! - [`Notify::notify_waiters`] wakes every `Notified` created before the call and stores no
//!   permit: a `Notified` created afterwards is not woken.
//! - A `Notified` that was woken by `notify_one`/`notify_last` (or consumed the permit as a
//!   [`select`](crate::sync::select2) arm) and is dropped before completing hands its
//!   notification to the oldest enabled waiter, or stores it as the permit, as tokio does. (tokio
//!   forwards a `notify_last` wake-up to the newest waiter; weft forwards every one FIFO.)
//! - Every notification happens-before the completion (or `enable` returning `true`) of the
//!   `Notified` it completes. Creating a `Notified` is not a synchronizing read.
//!
//! Awaiting a `Notified` is a scheduling point (rule 1) at its first poll, before it checks the
//! permit and the broadcast count; creating it and `enable` happen inside the current step
//! (rule 2).

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::select::Arm;
use super::waitlist::{wake_all, HandOff, Signal, WaitList};
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

struct State<R: Runtime> {
    permit: bool,
    /// How many times `notify_waiters` has been called (tokio's `notify_waiters_calls`).
    broadcasts: u64,
    waiters: WaitList,
    clock: R::Clock,
}

/// Wakes waiting tasks; see the module documentation.
pub struct Notify<R: Runtime> {
    rt: R,
    object: ObjectId,
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
            object: rt.object(),
            state: R::Lock::new(State {
                permit: false,
                broadcasts: 0,
                waiters: WaitList::default(),
                clock: R::Clock::default(),
            }),
        }
    }

    /// Wakes the oldest enabled waiter, or stores a permit if none waits.
    #[track_caller]
    pub fn notify_one(&self) {
        self.rt
            .note(self.op("notify.notify_one", AccessKind::Notify, Location::caller()));
        self.signal(WaitList::pass_on);
    }

    /// Wakes the newest enabled waiter, or stores a permit if none waits.
    #[track_caller]
    pub fn notify_last(&self) {
        self.rt
            .note(self.op("notify.notify_last", AccessKind::Notify, Location::caller()));
        self.signal(WaitList::pass_on_last);
    }

    fn op(&self, name: &'static str, access: AccessKind, site: &'static Location<'static>) -> Op {
        Op::on(name, self.object, access, site)
    }

    /// A single-waiter notification: `pick` gives it to a waiter, or it is stored as the
    /// permit.
    fn signal(&self, pick: impl FnOnce(&mut WaitList) -> HandOff) {
        self.state
            .with(|s| {
                let handoff = pick(&mut s.waiters);
                self.settle(s, handoff)
            })
            .wake();
    }

    /// Where a single-waiter notification went (`handoff`): it releases the notifier's
    /// history, and one nobody claims is stored as the permit.
    fn settle(&self, s: &mut State<R>, handoff: HandOff) -> HandOff {
        if !matches!(handoff, HandOff::Nothing) {
            self.rt.release(&mut s.clock);
        }
        if matches!(handoff, HandOff::Unclaimed) {
            s.permit = true;
        }
        handoff
    }

    /// Wakes every [`Notified`] created before this call; stores no permit.
    #[track_caller]
    pub fn notify_waiters(&self) {
        self.rt.note(self.op(
            "notify.notify_waiters",
            AccessKind::Notify,
            Location::caller(),
        ));
        let wakers = self.state.with(|s| {
            self.rt.release(&mut s.clock);
            s.broadcasts += 1;
            s.waiters.signal_all()
        });
        wake_all(wakers);
    }

    /// A future that completes at the next notification: a permit, a `notify_one` or
    /// `notify_last` after it is enabled, or a `notify_waiters` after this call. See the
    /// module documentation. Also a [`select`](crate::sync::select2) arm.
    #[track_caller]
    pub fn notified(&self) -> Notified<'_, R> {
        let op = self.op("notify.notified", AccessKind::Wait, Location::caller());
        self.rt.note(op);
        Notified {
            notify: self,
            op,
            broadcasts: self.state.with(|s| s.broadcasts),
            point: None,
            pointed: false,
            phase: Phase::Init,
            id: None,
        }
    }

    /// [`Notify::notified`], by its older name for use as a [`select`](crate::sync::select2) arm.
    #[track_caller]
    pub fn notified_arm(&self) -> Notified<'_, R> {
        self.notified()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Neither polled nor enabled.
    Init,
    /// In the wait list (`id` is set).
    Waiting,
    /// Notified, not yet committed; `hand_back` if the notification must go on when dropped.
    Reserved { hand_back: bool },
    /// Completed.
    Done,
}

/// The future [`Notify::notified`] returns; also an [`Arm`].
pub struct Notified<'a, R: Runtime> {
    notify: &'a Notify<R>,
    op: Op,
    /// `notify_waiters` calls seen at creation.
    broadcasts: u64,
    /// The scheduling point of the first poll, while it is pending.
    point: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
    pointed: bool,
    phase: Phase,
    id: Option<u64>,
}

impl<R: Runtime> fmt::Debug for Notified<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notified")
            .field("phase", &self.phase)
            .finish()
    }
}

impl<R: Runtime> Notified<'_, R> {
    /// Registers this future for `notify_one` before its first poll, as tokio's
    /// `Notified::enable` does (polling registers it too). Returns `true` if it is already
    /// notified: a `notify_waiters` happened since its creation, it consumed the stored permit
    /// (first enable or poll only), or it was woken since it was enabled. A `true` completes
    /// it: awaiting it afterwards returns at once.
    ///
    /// Takes `Pin<&mut Self>` like tokio's, so ported code compiles unchanged; `Notified` is
    /// `Unpin`, so `Pin::new(&mut notified)` works too.
    #[track_caller]
    pub fn enable(self: Pin<&mut Self>) -> bool {
        let this = self.get_mut();
        let op = this
            .notify
            .op("notify.enable", AccessKind::Wait, Location::caller());
        this.notify.rt.note(op);
        if this.check(None) {
            this.take();
        }
        this.phase == Phase::Done
    }

    /// Checks for a notification; registers `waker` (or keeps the registration) if none.
    /// Returns whether it is notified (reserved or done).
    fn check(&mut self, waker: Option<&Waker>) -> bool {
        let n = self.notify;
        match self.phase {
            Phase::Reserved { .. } | Phase::Done => return true,
            Phase::Init | Phase::Waiting => {}
        }
        let first = self.phase == Phase::Init;
        let (broadcasts, id) = (self.broadcasts, &mut self.id);
        let got = n.state.with(|s| {
            if first {
                if s.permit {
                    s.permit = false;
                    return Signal::One;
                }
                if s.broadcasts != broadcasts {
                    return Signal::All;
                }
            } else {
                let signal = s.waiters.take_signal(*id);
                if signal != Signal::None {
                    return signal;
                }
            }
            match waker {
                Some(w) => s.waiters.register(id, w),
                None if first => s.waiters.register(id, Waker::noop()),
                None => {}
            }
            Signal::None
        });
        if got == Signal::None {
            self.phase = Phase::Waiting;
            false
        } else {
            self.id = None;
            // Only a single-waiter notification must be handed on if we lose a select.
            self.phase = Phase::Reserved {
                hand_back: got == Signal::One,
            };
            true
        }
    }
}

impl<R: Runtime> Arm for Notified<'_, R> {
    type Output = ();

    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.check(Some(cx.waker())) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    fn take(&mut self) {
        if self.phase == Phase::Done {
            return;
        }
        self.phase = Phase::Done;
        let n = self.notify;
        n.state.with(|s| n.rt.acquire(&s.clock));
    }
}

impl<R: Runtime> Future for Notified<'_, R> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if this.phase == Phase::Done {
            return Poll::Ready(());
        }
        if !this.pointed {
            let op = this.op;
            let rt = &this.notify.rt;
            let point = this.point.get_or_insert_with(|| Box::pin(rt.point(op)));
            if point.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.point = None;
            this.pointed = true;
        }
        if this.check(Some(cx.waker())) {
            this.take();
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl<R: Runtime> Drop for Notified<'_, R> {
    fn drop(&mut self) {
        // A notification chose us but we stopped waiting: the wait list hands it to the next
        // waiter (or it becomes the permit). Leaving the wait list, with or without a
        // notification to hand on, is a `Notify` at the site of `notified()`: it decides whom
        // a later `notify_one` wakes and may store the permit.
        let n = self.notify;
        if matches!(
            self.phase,
            Phase::Reserved { hand_back: true } | Phase::Waiting
        ) {
            n.rt.note(n.op("notify.give_up", AccessKind::Notify, self.op.site));
        }
        match self.phase {
            // Taken out of the list already (a select arm that lost): pass it on.
            Phase::Reserved { hand_back: true } => n.signal(WaitList::pass_on),
            Phase::Waiting => n.signal(|w| w.give_up(self.id)),
            Phase::Reserved { hand_back: false } | Phase::Init | Phase::Done => {}
        }
    }
}
