//! [`Sender`]: the sending half of a bounded channel. A send waits, FIFO with the other
//! blocked senders, for a free slot; [`SendArm`] is a send as a select arm, which holds a slot
//! while ready and delivers only if chosen.

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::chan::{sender_common, Chan};
use crate::error::{SendError, TrySendError};
use crate::object::AccessKind;
use crate::runtime::{RawLock, Runtime};
use crate::sync::select::Arm;

/// The sending half of a bounded channel. Clone it for more producers.
pub struct Sender<R: Runtime, T: Send + 'static> {
    pub(super) chan: Arc<Chan<R, T>>,
}

sender_common!(Sender);

impl<R: Runtime, T: Send + 'static> Sender<R, T> {
    /// Sends `value`, waiting for a free slot. Fails, returning the value, if the receiver is
    /// gone. A scheduling point.
    #[track_caller]
    pub fn send(&self, value: T) -> impl Future<Output = Result<(), SendError<T>>> + Send + '_ {
        let op = self
            .chan
            .op("mpsc.send", AccessKind::Send, Location::caller());
        async move {
            self.chan.rt.point(op).await;
            let mut slot = Some(value);
            let mut id = None;
            let mut guard = SendGuard {
                chan: &self.chan,
                id: &mut id,
            };
            std::future::poll_fn(|cx| guard.poll_send(&mut slot, cx)).await
        }
    }

    /// A send as a [`select`](crate::sync::select2) arm (Go's `case ch <- value:`). When ready
    /// it holds a slot for `value`; it delivers only if chosen, and frees the slot otherwise.
    /// A closed channel makes it ready with `Err(value)`.
    pub fn send_arm(&self, value: T) -> SendArm<'_, R, T> {
        SendArm {
            chan: &self.chan,
            value: Some(value),
            id: None,
            reserved: false,
            closed: false,
        }
    }

    /// Sends `value` if a slot is free right now (Go's `select` with a `default` arm).
    #[track_caller]
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let op = self
            .chan
            .op("mpsc.try_send", AccessKind::Send, Location::caller());
        self.chan.rt.note(op);
        self.chan.send_now(value)
    }
}

struct SendGuard<'a, R: Runtime, T: Send + 'static> {
    chan: &'a Chan<R, T>,
    id: &'a mut Option<u64>,
}

impl<R: Runtime, T: Send + 'static> SendGuard<'_, R, T> {
    fn poll_send(
        &mut self,
        slot: &mut Option<T>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), SendError<T>>> {
        let value = slot.take().expect("send polled after completion");
        let id = &mut *self.id;
        let outcome = self.chan.state.with(|s| {
            s.blocked_senders.remove(*id);
            match self.chan.try_push(value, s) {
                Ok(waker) => {
                    *id = None;
                    Ok(Ok(waker))
                }
                Err(TrySendError::Closed(v)) => {
                    *id = None;
                    Ok(Err(v))
                }
                Err(TrySendError::Full(v)) => {
                    s.blocked_senders.register(id, cx.waker());
                    Err(v)
                }
            }
        });
        match outcome {
            Ok(Ok(waker)) => {
                if let Some(w) = waker {
                    w.wake();
                }
                Poll::Ready(Ok(()))
            }
            Ok(Err(v)) => Poll::Ready(Err(SendError(v))),
            Err(v) => {
                *slot = Some(v);
                Poll::Pending
            }
        }
    }
}

impl<R: Runtime, T: Send + 'static> Drop for SendGuard<'_, R, T> {
    fn drop(&mut self) {
        if self.id.is_none() {
            return;
        }
        // We may have been told a slot freed up and given up: the wait list tells the next
        // blocked sender (unclaimed, the slot simply stays free).
        self.chan.note_drop("mpsc.send_cancel", AccessKind::Release);
        let id = *self.id;
        self.chan
            .state
            .with(|s| s.blocked_senders.give_up(id))
            .wake();
    }
}

/// A send; an [`Arm`]. See [`Sender::send_arm`].
pub struct SendArm<'a, R: Runtime, T: Send + 'static> {
    chan: &'a Chan<R, T>,
    value: Option<T>,
    id: Option<u64>,
    reserved: bool,
    closed: bool,
}

impl<R: Runtime, T: Send + 'static> fmt::Debug for SendArm<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendArm")
            .field("reserved", &self.reserved)
            .finish()
    }
}

impl<R: Runtime, T: Send + 'static> Arm for SendArm<'_, R, T> {
    type Output = Result<(), SendError<T>>;

    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.reserved || self.closed {
            return Poll::Ready(());
        }
        let id = &mut self.id;
        let (reserved, closed) = self.chan.state.with(|s| {
            s.blocked_senders.remove(*id);
            *id = None;
            if !s.receiver_open {
                return (false, true);
            }
            if s.is_full() {
                s.blocked_senders.register(id, cx.waker());
                return (false, false);
            }
            s.reserved += 1;
            (true, false)
        });
        self.reserved = reserved;
        self.closed = closed;
        if reserved || closed {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    fn take(&mut self) -> Self::Output {
        let value = self.value.take().expect("SendArm::take twice");
        if self.closed {
            return Err(SendError(value));
        }
        self.reserved = false;
        let chan = self.chan;
        // The reserved slot becomes the message's.
        let pushed = chan.state.with(|s| {
            s.reserved -= 1;
            if !s.receiver_open {
                return Err(value);
            }
            Ok(chan.push(value, s))
        });
        match pushed {
            Ok(waker) => {
                if let Some(w) = waker {
                    w.wake();
                }
                Ok(())
            }
            Err(v) => Err(SendError(v)),
        }
    }
}

impl<R: Runtime, T: Send + 'static> Drop for SendArm<'_, R, T> {
    fn drop(&mut self) {
        let (reserved, id) = (self.reserved, self.id);
        if !reserved && id.is_none() {
            return;
        }
        self.chan.note_drop("mpsc.send_cancel", AccessKind::Release);
        self.chan
            .state
            .with(|s| {
                if reserved {
                    // A slot we held (we left the wait list when we took it) is free again.
                    s.reserved -= 1;
                    s.blocked_senders.pass_on()
                } else {
                    // A slot we were promised goes on through the wait list.
                    s.blocked_senders.give_up(id)
                }
            })
            .wake();
    }
}
