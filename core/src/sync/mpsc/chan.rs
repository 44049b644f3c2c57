//! The state a channel's halves share, and what both kinds of sender have in common.
//!
//! One [`Chan`] per channel, behind an `Arc` each half holds. Its state, under the runtime's
//! lock: the queue of messages (each with the clock its send released), the capacity (`None`:
//! unbounded), slots reserved by ready send arms, the number of live senders, whether the
//! receiver is open, the receiver's waker, and the FIFO wait list of senders blocked on a full
//! channel. The last sender's drop releases `close_clock`, which the receive reporting the
//! channel closed acquires.
//!
//! Operations the halves' destructors perform (see [`crate::object`]): every sender drop is a
//! [`Close`](AccessKind::Close) (the order of two drops decides which one is last and closes),
//! so is the receiver's drop; a blocked or reserved send that gives up is a
//! [`Release`](AccessKind::Release) (it hands its slot on); a receive arm that lost a select
//! and puts its message back is a [`Receive`](AccessKind::Receive). Their site is the
//! channel's creation site. A sender's clone is not an operation: the cloner holds a sender,
//! so the count it raises can reach zero in no order.

use std::collections::VecDeque;
use std::panic::Location;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use crate::error::TrySendError;
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};
use crate::sync::waitlist::{wake_all, WaitList};

pub(super) struct State<R: Runtime, T: Send + 'static> {
    pub(super) queue: VecDeque<(T, R::Clock)>,
    pub(super) capacity: Option<usize>,
    /// Slots held by ready [`SendArm`](super::SendArm)s that have not delivered yet.
    pub(super) reserved: usize,
    pub(super) senders: usize,
    pub(super) receiver_open: bool,
    pub(super) receiver: Option<Waker>,
    pub(super) blocked_senders: WaitList,
    pub(super) close_clock: R::Clock,
}

impl<R: Runtime, T: Send + 'static> State<R, T> {
    /// Whether a bounded channel has no free slot (queued and reserved messages fill it).
    pub(super) fn is_full(&self) -> bool {
        self.capacity
            .is_some_and(|cap| self.queue.len() + self.reserved >= cap)
    }
}

pub(super) struct Chan<R: Runtime, T: Send + 'static> {
    pub(super) rt: R,
    pub(super) object: ObjectId,
    /// Where the channel was created: the site of the operations destructors perform.
    pub(super) site: &'static Location<'static>,
    pub(super) state: R::Lock<State<R, T>>,
}

pub(super) fn new_chan<R: Runtime, T: Send + 'static>(
    rt: &R,
    capacity: Option<usize>,
    site: &'static Location<'static>,
) -> Arc<Chan<R, T>> {
    Arc::new(Chan {
        rt: rt.clone(),
        object: rt.object(),
        site,
        state: R::Lock::new(State {
            queue: VecDeque::new(),
            capacity,
            reserved: 0,
            senders: 1,
            receiver_open: true,
            receiver: None,
            blocked_senders: WaitList::default(),
            close_clock: R::Clock::default(),
        }),
    })
}

impl<R: Runtime, T: Send + 'static> Chan<R, T> {
    /// The operation `name` on this channel.
    pub(super) fn op(
        &self,
        name: &'static str,
        access: AccessKind,
        site: &'static Location<'static>,
    ) -> Op {
        Op::on(name, self.object, access, site)
    }

    /// Notes the operation `name`, performed by a destructor, at the channel's creation site.
    pub(super) fn note_drop(&self, name: &'static str, access: AccessKind) {
        self.rt.note(self.op(name, access, self.site));
    }

    /// Pushes `value` if the receiver is open and (for a bounded channel) a slot is free.
    pub(super) fn try_push(
        &self,
        value: T,
        s: &mut State<R, T>,
    ) -> Result<Option<Waker>, TrySendError<T>> {
        if !s.receiver_open {
            return Err(TrySendError::Closed(value));
        }
        if s.is_full() {
            return Err(TrySendError::Full(value));
        }
        Ok(self.push(value, s))
    }

    /// Queues `value` with the sender's history; returns the receiver's waker, if it waits.
    pub(super) fn push(&self, value: T, s: &mut State<R, T>) -> Option<Waker> {
        let mut clock = R::Clock::default();
        self.rt.release(&mut clock);
        s.queue.push_back((value, clock));
        s.receiver.take()
    }

    pub(super) fn send_now(&self, value: T) -> Result<(), TrySendError<T>> {
        let waker = self.state.with(|s| self.try_push(value, s))?;
        if let Some(w) = waker {
            w.wake();
        }
        Ok(())
    }
}

macro_rules! sender_common {
    ($ty:ident) => {
        impl<R: Runtime, T: Send + 'static> Clone for $ty<R, T> {
            fn clone(&self) -> Self {
                self.chan.state.with(|s| s.senders += 1);
                $ty {
                    chan: self.chan.clone(),
                }
            }
        }

        impl<R: Runtime, T: Send + 'static> Drop for $ty<R, T> {
            fn drop(&mut self) {
                super::chan::drop_sender(&self.chan);
            }
        }

        impl<R: Runtime, T: Send + 'static> std::fmt::Debug for $ty<R, T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($ty)).finish_non_exhaustive()
            }
        }

        impl<R: Runtime, T: Send + 'static> $ty<R, T> {
            /// Whether the receiver has been dropped or closed. Reads the channel.
            #[track_caller]
            pub fn is_closed(&self) -> bool {
                let op = self.chan.op(
                    "mpsc.is_closed",
                    crate::object::AccessKind::Read,
                    std::panic::Location::caller(),
                );
                self.chan.rt.note(op);
                self.chan.state.with(|s| !s.receiver_open)
            }
        }
    };
}
pub(super) use sender_common;

pub(super) fn drop_sender<R: Runtime, T: Send + 'static>(chan: &Chan<R, T>) {
    chan.note_drop("mpsc.sender_drop", AccessKind::Close);
    let waker = chan.state.with(|s| {
        s.senders -= 1;
        if s.senders == 0 {
            chan.rt.release(&mut s.close_clock);
            s.receiver.take()
        } else {
            None
        }
    });
    if let Some(w) = waker {
        w.wake();
    }
}

pub(super) fn close_receiver<R: Runtime, T: Send + 'static>(chan: &Chan<R, T>) {
    let wakers = chan.state.with(|s| {
        s.receiver_open = false;
        s.blocked_senders.signal_all()
    });
    wake_all(wakers);
}

/// Pops one message, acquiring its send. `Ready(None)` = closed and drained.
pub(super) fn pop<R: Runtime, T: Send + 'static>(
    chan: &Chan<R, T>,
    cx: Option<&mut Context<'_>>,
) -> Poll<Option<T>> {
    let (result, waker) = chan.state.with(|s| {
        if let Some((v, clock)) = s.queue.pop_front() {
            chan.rt.acquire(&clock);
            return (Poll::Ready(Some(v)), s.blocked_senders.signal_one());
        }
        if s.senders == 0 {
            chan.rt.acquire(&s.close_clock);
            return (Poll::Ready(None), None);
        }
        if let Some(cx) = cx {
            s.receiver = Some(cx.waker().clone());
        }
        (Poll::Pending, None)
    });
    if let Some(w) = waker {
        w.wake();
    }
    result
}
