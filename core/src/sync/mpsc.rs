//! Multi-producer, single-consumer channels, bounded and unbounded.
//!
//! - A send happens-before the receive that takes its message; the last sender's drop
//!   happens-before the `None` that reports the channel closed.
//! - A bounded channel has a capacity of at least one: [`channel`] with capacity 0 is a misuse
//!   and panics (use [`oneshot`](crate::sync::oneshot) or [`Notify`](crate::sync::Notify) for a
//!   rendezvous). A full channel makes [`Sender::send`] wait; [`Sender::try_send`] never waits.
//! - Dropping the [`Receiver`] (or [`Receiver::close`]) makes every later send fail and return
//!   the value; messages already queued can still be received after `close`.
//! - Senders blocked on a full channel are woken in FIFO order as slots free up.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use super::select::{Arm, ArmFuture};
use super::waitlist::{wake_all, Signal, WaitList};
use crate::error::{SendError, TryRecvError, TrySendError};
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

struct State<R: Runtime, T: Send + 'static> {
    queue: VecDeque<(T, R::Clock)>,
    capacity: Option<usize>,
    /// Slots held by ready [`SendArm`]s that have not delivered yet.
    reserved: usize,
    senders: usize,
    receiver_open: bool,
    receiver: Option<Waker>,
    blocked_senders: WaitList,
    close_clock: R::Clock,
}

struct Chan<R: Runtime, T: Send + 'static> {
    rt: R,
    object: ObjectId,
    state: R::Lock<State<R, T>>,
}

fn new_chan<R: Runtime, T: Send + 'static>(rt: &R, capacity: Option<usize>) -> Arc<Chan<R, T>> {
    Arc::new(Chan {
        rt: rt.clone(),
        object: rt.object(),
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
    fn op(&self, name: &'static str, access: AccessKind, site: &'static Location<'static>) -> Op {
        Op::on(name, self.object, access, site)
    }

    /// Pushes `value` if the receiver is open and (for a bounded channel) a slot is free.
    fn try_push(&self, value: T, s: &mut State<R, T>) -> Result<Option<Waker>, TrySendError<T>> {
        if !s.receiver_open {
            return Err(TrySendError::Closed(value));
        }
        if s.capacity
            .is_some_and(|cap| s.queue.len() + s.reserved >= cap)
        {
            return Err(TrySendError::Full(value));
        }
        let mut clock = R::Clock::default();
        self.rt.release(&mut clock);
        s.queue.push_back((value, clock));
        Ok(s.receiver.take())
    }

    fn send_now(&self, value: T) -> Result<(), TrySendError<T>> {
        let waker = self.state.with(|s| self.try_push(value, s))?;
        if let Some(w) = waker {
            w.wake();
        }
        Ok(())
    }
}

/// Creates a bounded channel with room for `capacity` messages (`capacity > 0`).
#[track_caller]
pub fn channel<R: Runtime, T: Send + 'static>(
    rt: &R,
    capacity: usize,
) -> (Sender<R, T>, Receiver<R, T>) {
    assert!(
        capacity > 0,
        "weft: mpsc::channel capacity must be at least 1 (got 0 at {}); use oneshot or Notify for \
         a rendezvous",
        Location::caller()
    );
    let chan = new_chan(rt, Some(capacity));
    (Sender { chan: chan.clone() }, Receiver { chan })
}

/// Creates an unbounded channel.
pub fn unbounded<R: Runtime, T: Send + 'static>(rt: &R) -> (UnboundedSender<R, T>, Receiver<R, T>) {
    let chan = new_chan(rt, None);
    (UnboundedSender { chan: chan.clone() }, Receiver { chan })
}

/// The sending half of a bounded channel. Clone it for more producers.
pub struct Sender<R: Runtime, T: Send + 'static> {
    chan: Arc<Chan<R, T>>,
}

/// The sending half of an unbounded channel. Clone it for more producers.
pub struct UnboundedSender<R: Runtime, T: Send + 'static> {
    chan: Arc<Chan<R, T>>,
}

/// The receiving half of a channel.
pub struct Receiver<R: Runtime, T: Send + 'static> {
    chan: Arc<Chan<R, T>>,
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
                drop_sender(&self.chan);
            }
        }

        impl<R: Runtime, T: Send + 'static> fmt::Debug for $ty<R, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty)).finish_non_exhaustive()
            }
        }

        impl<R: Runtime, T: Send + 'static> $ty<R, T> {
            /// Whether the receiver has been dropped or closed.
            pub fn is_closed(&self) -> bool {
                self.chan.state.with(|s| !s.receiver_open)
            }
        }
    };
}

sender_common!(Sender);
sender_common!(UnboundedSender);

fn drop_sender<R: Runtime, T: Send + 'static>(chan: &Chan<R, T>) {
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
        let waker = self
            .chan
            .state
            .with(|s| match s.blocked_senders.remove(*self.id) {
                // We were told a slot freed up but gave up: tell the next blocked sender.
                Signal::One => s.blocked_senders.signal_one(),
                _ => None,
            });
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<R: Runtime, T: Send + 'static> UnboundedSender<R, T> {
    /// Sends `value` without waiting. Fails, returning the value, if the receiver is gone.
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let op = self
            .chan
            .op("mpsc.send", AccessKind::Send, Location::caller());
        self.chan.rt.note(op);
        self.chan
            .send_now(value)
            .map_err(|e| SendError(e.into_inner()))
    }
}

impl<R: Runtime, T: Send + 'static> fmt::Debug for Receiver<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

impl<R: Runtime, T: Send + 'static> Receiver<R, T> {
    /// Receives the next message, or `None` once the channel is empty and every sender is gone.
    /// A scheduling point.
    #[track_caller]
    pub fn recv(&mut self) -> impl Future<Output = Option<T>> + Send + '_ {
        let op = self
            .chan
            .op("mpsc.recv", AccessKind::Receive, Location::caller());
        async move {
            self.chan.rt.point(op).await;
            ArmFuture(Some(self.recv_arm())).await
        }
    }

    /// [`Receiver::recv`] as a [`select`](crate::sync::select2) arm.
    pub fn recv_arm(&mut self) -> Recv<'_, R, T> {
        Recv {
            chan: &self.chan,
            reserved: None,
        }
    }

    /// Receives a message if one is queued right now.
    #[track_caller]
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let op = self
            .chan
            .op("mpsc.try_recv", AccessKind::Receive, Location::caller());
        self.chan.rt.note(op);
        match pop(&self.chan, None) {
            Poll::Ready(Some(v)) => Ok(v),
            Poll::Ready(None) => Err(TryRecvError::Closed),
            Poll::Pending => Err(TryRecvError::Empty),
        }
    }

    /// Closes the channel for senders; queued messages can still be received.
    #[track_caller]
    pub fn close(&mut self) {
        let op = self
            .chan
            .op("mpsc.close", AccessKind::Close, Location::caller());
        self.chan.rt.note(op);
        close_receiver(&self.chan);
    }

    /// Number of queued messages.
    pub fn len(&self) -> usize {
        self.chan.state.with(|s| s.queue.len())
    }

    /// Whether no message is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn close_receiver<R: Runtime, T: Send + 'static>(chan: &Chan<R, T>) {
    let wakers = chan.state.with(|s| {
        s.receiver_open = false;
        s.blocked_senders.signal_all()
    });
    wake_all(wakers);
}

/// Pops one message, acquiring its send. `Ready(None)` = closed and drained.
fn pop<R: Runtime, T: Send + 'static>(
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

impl<R: Runtime, T: Send + 'static> Drop for Receiver<R, T> {
    fn drop(&mut self) {
        close_receiver(&self.chan);
    }
}

/// A receive; an [`Arm`]. A message it reserved but did not deliver goes back to the front.
pub struct Recv<'a, R: Runtime, T: Send + 'static> {
    chan: &'a Chan<R, T>,
    reserved: Option<Option<T>>,
}

impl<R: Runtime, T: Send + 'static> fmt::Debug for Recv<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recv")
            .field("ready", &self.reserved.is_some())
            .finish()
    }
}

impl<R: Runtime, T: Send + 'static> Arm for Recv<'_, R, T> {
    type Output = Option<T>;

    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.reserved.is_some() {
            return Poll::Ready(());
        }
        match pop(self.chan, Some(cx)) {
            Poll::Ready(v) => {
                self.reserved = Some(v);
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn take(&mut self) -> Option<T> {
        self.reserved.take().expect("Recv::take before ready")
    }
}

impl<R: Runtime, T: Send + 'static> Drop for Recv<'_, R, T> {
    fn drop(&mut self) {
        if let Some(Some(v)) = self.reserved.take() {
            // Lost a select: put the message back where it was. Its send clock was already
            // acquired; keeping that edge only over-approximates happens-before.
            self.chan
                .state
                .with(|s| s.queue.push_front((v, R::Clock::default())));
        }
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
            if s.capacity
                .is_some_and(|cap| s.queue.len() + s.reserved >= cap)
            {
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
        let waker = chan.state.with(|s| {
            s.reserved -= 1;
            if !s.receiver_open {
                return Err(value);
            }
            let mut clock = R::Clock::default();
            chan.rt.release(&mut clock);
            s.queue.push_back((value, clock));
            Ok(s.receiver.take())
        });
        match waker {
            Ok(w) => {
                if let Some(w) = w {
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
        let waker = self.chan.state.with(|s| {
            let signalled = s.blocked_senders.remove(id) == Signal::One;
            if reserved {
                s.reserved -= 1;
            }
            // A slot we held or were promised goes to the next blocked sender.
            if reserved || signalled {
                s.blocked_senders.signal_one()
            } else {
                None
            }
        });
        if let Some(w) = waker {
            w.wake();
        }
    }
}
