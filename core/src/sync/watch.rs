//! A single-producer, multi-consumer channel that keeps only the latest value
//! (`tokio::sync::watch`).
//!
//! Protocol:
//!
//! - The channel holds one value and a version. Every [`Sender::send`],
//!   [`Sender::send_replace`] and [`Sender::send_modify`] replaces (or modifies) the value,
//!   bumps the version and wakes every receiver waiting in [`Receiver::changed`]. A receiver
//!   sees only the latest value: intermediate values sent while it was not looking are gone.
//! - Each [`Receiver`] remembers the version it last *marked seen*. [`Receiver::changed`]
//!   completes (and marks the current version seen) as soon as the channel's version differs
//!   from it; [`Receiver::borrow_and_update`] reads and marks seen;
//!   [`Receiver::borrow`] reads without marking; [`Receiver::mark_unchanged`] marks seen
//!   without reading. A cloned receiver starts with its original's seen version; a receiver
//!   from [`Sender::subscribe`] starts with the current version seen.
//! - [`Sender::send`] fails, leaving the value unchanged, when there are no receivers;
//!   `send_replace` and `send_modify` store the value regardless.
//! - When the sender is dropped, [`Receiver::changed`] first reports any unseen version, then
//!   returns `Err(RecvError)`; [`Receiver::has_changed`] returns `Err` once the sender is gone
//!   (both as tokio does). [`Sender::closed`] completes once every receiver is dropped.
//!
//! Happens-before edges: a send (of any kind, and the sender's drop) → every `borrow`,
//! `borrow_and_update` and `changed` that observes that version (or the drop). The last
//! receiver's drop → [`Sender::closed`] returning. [`Receiver::has_changed`] and the
//! counters are not synchronizing reads.
//!
//! Operations the halves' destructors perform ([`crate::object`]), at the channel's creation
//! site: the sender's drop and every receiver's drop are a [`Close`](AccessKind::Close) (the
//! order of two receiver drops decides which is last and closes). A receiver's clone and a
//! `changed` or `closed` wait that is dropped are not operations: the cloner holds a
//! receiver, so the count cannot reach zero in any order, and a waiter leaving a broadcast
//! wait list changes nothing another task observes. [`Sender::receiver_count`] and
//! [`Sender::is_closed`] are not operations either (a count for oracles; see
//! [`crate::object`], "Not operations").
//!
//! Difference from tokio: a [`Ref`] is a snapshot (an `Arc` of the value), not a read lock, so a
//! long-lived `Ref` never blocks the sender; it keeps showing the value it was taken from.
//! Because of that, [`Sender::send_modify`] and [`Sender::send_replace`] need `T: Clone` (they
//! clone only when a `Ref` of the current value is still alive). The sender is not `Clone` (one producer).

use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::panic::Location;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use super::select::{Arm, ArmFuture};
use super::waitlist::{wake_all, WaitList};
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

pub use crate::error::RecvError;

/// [`Sender::send`] found no receiver; carries back the value, which was not stored.
#[derive(PartialEq, Eq)]
pub struct SendError<T>(pub T);

impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SendError(..)")
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("watch channel closed: no receivers")
    }
}

impl<T> std::error::Error for SendError<T> {}

impl<R: Runtime, T: Send + Sync + 'static> Shared<R, T> {
    /// A send (of any kind) on this channel.
    fn send_op(&self, name: &'static str, site: &'static Location<'static>) -> Op {
        Op::on(name, self.object, AccessKind::Send, site)
    }

    /// Any other operation on this channel: it only observes the channel (what a receiver
    /// marks seen is its own; `subscribe` only counts receivers, which commutes).
    fn read_op(&self, name: &'static str, site: &'static Location<'static>) -> Op {
        Op::on(name, self.object, AccessKind::Read, site)
    }

    /// The drop of a half (a [`AccessKind::Close`] at the channel's creation site).
    fn note_drop(&self, name: &'static str) {
        self.rt
            .note(Op::on(name, self.object, AccessKind::Close, self.site));
    }
}

struct State<R: Runtime, T> {
    value: Arc<T>,
    version: u64,
    sender_alive: bool,
    receivers: usize,
    /// Receivers waiting in `changed`.
    changed: WaitList,
    /// The sender waiting in `closed`.
    closed: WaitList,
    /// Released by sends and the sender's drop; acquired by the reads that observe them.
    clock: R::Clock,
    /// Released by receiver drops; acquired by `closed` returning.
    closed_clock: R::Clock,
}

struct Shared<R: Runtime, T: Send + Sync + 'static> {
    rt: R,
    object: ObjectId,
    /// Where the channel was created: the site of the operations destructors perform.
    site: &'static Location<'static>,
    state: R::Lock<State<R, T>>,
}

/// Creates a watch channel holding `init` (version 0, seen by the receiver).
#[track_caller]
pub fn channel<R: Runtime, T: Send + Sync + 'static>(
    rt: &R,
    init: T,
) -> (Sender<R, T>, Receiver<R, T>) {
    let shared = Arc::new(Shared {
        rt: rt.clone(),
        object: rt.object(),
        site: Location::caller(),
        state: R::Lock::new(State {
            value: Arc::new(init),
            version: 0,
            sender_alive: true,
            receivers: 1,
            changed: WaitList::default(),
            closed: WaitList::default(),
            clock: R::Clock::default(),
            closed_clock: R::Clock::default(),
        }),
    });
    (
        Sender {
            shared: shared.clone(),
        },
        Receiver { shared, seen: 0 },
    )
}

/// The producing half; see the module documentation.
pub struct Sender<R: Runtime, T: Send + Sync + 'static> {
    shared: Arc<Shared<R, T>>,
}

/// A consuming half; see the module documentation.
pub struct Receiver<R: Runtime, T: Send + Sync + 'static> {
    shared: Arc<Shared<R, T>>,
    seen: u64,
}

/// A snapshot of the channel's value, returned by the `borrow` methods.
#[derive(Debug)]
pub struct Ref<T> {
    value: Arc<T>,
    has_changed: bool,
}

impl<T> Ref<T> {
    /// Whether this value had not been marked seen by the receiver when it was borrowed
    /// (always `false` from [`Sender::borrow`]).
    pub fn has_changed(&self) -> bool {
        self.has_changed
    }
}

impl<T> Deref for Ref<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<R: Runtime, T: Send + Sync + 'static> fmt::Debug for Sender<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("watch::Sender").finish_non_exhaustive()
    }
}

impl<R: Runtime, T: Send + Sync + 'static> fmt::Debug for Receiver<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("watch::Receiver")
            .field("seen", &self.seen)
            .finish_non_exhaustive()
    }
}

impl<R: Runtime, T: Send + Sync + 'static> Sender<R, T> {
    /// Replaces the value and notifies every receiver; if there are no receivers, returns the
    /// value back and leaves the channel unchanged.
    #[track_caller]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let op = self.shared.send_op("watch.send", Location::caller());
        let sh = &self.shared;
        sh.rt.note(op);
        let wakers = sh.state.with(|s| {
            if s.receivers == 0 {
                return Err(value);
            }
            s.value = Arc::new(value);
            Ok(Self::publish(&sh.rt, s))
        });
        wake_all(wakers.map_err(SendError)?);
        Ok(())
    }

    /// Replaces the value (even with no receivers), notifies every receiver and returns the
    /// previous value.
    #[track_caller]
    pub fn send_replace(&self, value: T) -> T
    where
        T: Clone,
    {
        let op = self
            .shared
            .send_op("watch.send_replace", Location::caller());
        let sh = &self.shared;
        sh.rt.note(op);
        let (old, wakers) = sh.state.with(|s| {
            let old = std::mem::replace(&mut s.value, Arc::new(value));
            (old, Self::publish(&sh.rt, s))
        });
        wake_all(wakers);
        Arc::try_unwrap(old).unwrap_or_else(|shared| (*shared).clone())
    }

    /// Modifies the value in place through `f` (even with no receivers) and notifies every
    /// receiver.
    #[track_caller]
    pub fn send_modify(&self, f: impl FnOnce(&mut T))
    where
        T: Clone,
    {
        let op = self.shared.send_op("watch.send_modify", Location::caller());
        let sh = &self.shared;
        sh.rt.note(op);
        let wakers = sh.state.with(|s| {
            f(Arc::make_mut(&mut s.value));
            Self::publish(&sh.rt, s)
        });
        wake_all(wakers);
    }

    /// Bumps the version, releases the sender's history and signals every `changed` waiter.
    fn publish(rt: &R, s: &mut State<R, T>) -> Vec<Waker> {
        s.version += 1;
        rt.release(&mut s.clock);
        s.changed.signal_all()
    }

    /// A snapshot of the current value. Not a synchronizing read.
    #[track_caller]
    pub fn borrow(&self) -> Ref<T> {
        let sh = &self.shared;
        sh.rt
            .note(sh.read_op("watch.sender_borrow", Location::caller()));
        Ref {
            value: sh.state.with(|s| s.value.clone()),
            has_changed: false,
        }
    }

    /// A new receiver that has seen the current value.
    #[track_caller]
    pub fn subscribe(&self) -> Receiver<R, T> {
        let sh = &self.shared;
        sh.rt
            .note(sh.read_op("watch.subscribe", Location::caller()));
        let seen = sh.state.with(|s| {
            s.receivers += 1;
            s.version
        });
        Receiver {
            shared: sh.clone(),
            seen,
        }
    }

    /// How many receivers are alive.
    pub fn receiver_count(&self) -> usize {
        self.shared.state.with(|s| s.receivers)
    }

    /// Whether every receiver is gone.
    pub fn is_closed(&self) -> bool {
        self.receiver_count() == 0
    }

    /// Completes once every receiver is dropped. A scheduling point; cancel-safe.
    #[track_caller]
    pub fn closed(&self) -> impl Future<Output = ()> + Send + '_ {
        let op = self.shared.read_op("watch.closed", Location::caller());
        async move {
            let sh = &self.shared;
            sh.rt.point(op).await;
            let mut waiter = Waiter { sh, id: None };
            std::future::poll_fn(|cx| {
                sh.state.with(|s| {
                    if s.receivers == 0 {
                        s.closed.remove(waiter.id.take());
                        sh.rt.acquire(&s.closed_clock);
                        Poll::Ready(())
                    } else {
                        s.closed.take_signal(waiter.id);
                        s.closed.register(&mut waiter.id, cx.waker());
                        Poll::Pending
                    }
                })
            })
            .await
        }
    }
}

/// Leaves the `closed` wait list when a `closed` future is dropped unfinished.
struct Waiter<'a, R: Runtime, T: Send + Sync + 'static> {
    sh: &'a Shared<R, T>,
    id: Option<u64>,
}

impl<R: Runtime, T: Send + Sync + 'static> Drop for Waiter<'_, R, T> {
    fn drop(&mut self) {
        if self.id.is_some() {
            self.sh.state.with(|s| s.closed.remove(self.id.take()));
        }
    }
}

impl<R: Runtime, T: Send + Sync + 'static> Drop for Sender<R, T> {
    fn drop(&mut self) {
        let sh = &self.shared;
        sh.note_drop("watch.sender_drop");
        let wakers = sh.state.with(|s| {
            s.sender_alive = false;
            sh.rt.release(&mut s.clock);
            s.changed.signal_all()
        });
        wake_all(wakers);
    }
}

impl<R: Runtime, T: Send + Sync + 'static> Receiver<R, T> {
    /// The latest value and its version: a synchronizing read.
    fn snapshot(&self, op: Op) -> (Arc<T>, u64) {
        let sh = &self.shared;
        sh.rt.note(op);
        sh.state.with(|s| {
            sh.rt.acquire(&s.clock);
            (s.value.clone(), s.version)
        })
    }

    /// A snapshot of the latest value, without marking it seen.
    #[track_caller]
    pub fn borrow(&self) -> Ref<T> {
        let (value, version) =
            self.snapshot(self.shared.read_op("watch.borrow", Location::caller()));
        Ref {
            value,
            has_changed: version != self.seen,
        }
    }

    /// A snapshot of the latest value, marking it seen.
    #[track_caller]
    pub fn borrow_and_update(&mut self) -> Ref<T> {
        let op = self
            .shared
            .read_op("watch.borrow_and_update", Location::caller());
        let (value, version) = self.snapshot(op);
        let has_changed = version != self.seen;
        self.seen = version;
        Ref { value, has_changed }
    }

    /// Whether the latest version is unseen; `Err` once the sender is gone. Not a
    /// synchronizing read, but a read of the channel.
    #[track_caller]
    pub fn has_changed(&self) -> Result<bool, RecvError> {
        let sh = &self.shared;
        sh.rt
            .note(sh.read_op("watch.has_changed", Location::caller()));
        self.shared.state.with(|s| {
            if s.sender_alive {
                Ok(s.version != self.seen)
            } else {
                Err(RecvError)
            }
        })
    }

    /// Marks the latest version seen without reading it (it reads the version).
    #[track_caller]
    pub fn mark_unchanged(&mut self) {
        let sh = &self.shared;
        sh.rt
            .note(sh.read_op("watch.mark_unchanged", Location::caller()));
        self.seen = self.shared.state.with(|s| s.version);
    }

    /// Waits until the version differs from the one last marked seen, then marks it seen.
    /// `Err` if the sender is dropped with nothing unseen. A scheduling point; cancel-safe.
    #[track_caller]
    pub fn changed(&mut self) -> impl Future<Output = Result<(), RecvError>> + Send + '_ {
        let op = self.shared.read_op("watch.changed", Location::caller());
        async move {
            self.shared.rt.point(op).await;
            ArmFuture(Some(self.changed_arm())).await
        }
    }

    /// [`Receiver::changed`] as a select [`Arm`]: it reserves the version it saw and marks it
    /// seen only if chosen, so losing a select loses nothing.
    pub fn changed_arm(&mut self) -> Changed<'_, R, T> {
        Changed {
            receiver: self,
            id: None,
            reserved: None,
        }
    }
}

impl<R: Runtime, T: Send + Sync + 'static> Clone for Receiver<R, T> {
    fn clone(&self) -> Self {
        self.shared.state.with(|s| s.receivers += 1);
        Receiver {
            shared: self.shared.clone(),
            seen: self.seen,
        }
    }
}

impl<R: Runtime, T: Send + Sync + 'static> Drop for Receiver<R, T> {
    fn drop(&mut self) {
        let sh = &self.shared;
        sh.note_drop("watch.receiver_drop");
        let wakers = sh.state.with(|s| {
            s.receivers -= 1;
            if s.receivers > 0 {
                return Vec::new();
            }
            sh.rt.release(&mut s.closed_clock);
            s.closed.signal_all()
        });
        wake_all(wakers);
    }
}

/// The arm of [`Receiver::changed_arm`].
pub struct Changed<'a, R: Runtime, T: Send + Sync + 'static> {
    receiver: &'a mut Receiver<R, T>,
    id: Option<u64>,
    reserved: Option<Result<u64, RecvError>>,
}

impl<R: Runtime, T: Send + Sync + 'static> fmt::Debug for Changed<'_, R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("watch::Changed")
            .field("ready", &self.reserved.is_some())
            .finish()
    }
}

impl<R: Runtime, T: Send + Sync + 'static> Arm for Changed<'_, R, T> {
    type Output = Result<(), RecvError>;

    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.reserved.is_some() {
            return Poll::Ready(());
        }
        let seen = self.receiver.seen;
        let sh = &self.receiver.shared;
        let id = &mut self.id;
        let got = sh.state.with(|s| {
            let got = if s.version != seen {
                Some(Ok(s.version))
            } else if !s.sender_alive {
                Some(Err(RecvError))
            } else {
                None
            };
            match got {
                Some(r) => {
                    s.changed.remove(id.take());
                    sh.rt.acquire(&s.clock);
                    Some(r)
                }
                None => {
                    // A stale signal (a wake this poll did not need) is dropped, so the next
                    // send signals this waiter again.
                    s.changed.take_signal(*id);
                    s.changed.register(id, cx.waker());
                    None
                }
            }
        });
        match got {
            Some(r) => {
                self.reserved = Some(r);
                Poll::Ready(())
            }
            None => Poll::Pending,
        }
    }

    fn take(&mut self) -> Self::Output {
        let version = self.reserved.take().expect("watch take before ready")?;
        self.receiver.seen = version;
        Ok(())
    }
}

impl<R: Runtime, T: Send + Sync + 'static> Drop for Changed<'_, R, T> {
    fn drop(&mut self) {
        if self.id.is_some() {
            let id = self.id.take();
            self.receiver.shared.state.with(|s| s.changed.remove(id));
        }
    }
}
