//! A single-value channel. Sending happens-before the receive that takes the value.
//!
//! Operations the halves' destructors perform ([`crate::object`]), at the channel's creation
//! site: dropping the sender unsent is a [`Close`](AccessKind::Close) (the receive then fails);
//! dropping the receiver while the sender lives is a `Close` too (the send then fails); a
//! receive arm that lost a select and puts the value back is a
//! [`Receive`](AccessKind::Receive).

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use super::select::{Arm, ArmFuture};
use crate::error::RecvError;
use crate::object::{AccessKind, ObjectId};
use crate::runtime::{Op, RawLock, Runtime};

struct State<R: Runtime, T: Send + 'static> {
    value: Option<T>,
    sender_alive: bool,
    receiver_alive: bool,
    waker: Option<Waker>,
    clock: R::Clock,
}

struct Shared<R: Runtime, T: Send + 'static> {
    rt: R,
    object: ObjectId,
    /// Where the channel was created: the site of the operations destructors perform.
    site: &'static Location<'static>,
    state: R::Lock<State<R, T>>,
}

/// Creates a oneshot channel.
#[track_caller]
pub fn channel<R: Runtime, T: Send + 'static>(rt: &R) -> (Sender<R, T>, Receiver<R, T>) {
    let shared = Arc::new(Shared {
        rt: rt.clone(),
        object: rt.object(),
        site: Location::caller(),
        state: R::Lock::new(State {
            value: None,
            sender_alive: true,
            receiver_alive: true,
            waker: None,
            clock: R::Clock::default(),
        }),
    });
    (
        Sender {
            shared: Some(shared.clone()),
        },
        Receiver {
            shared,
            reserved: None,
        },
    )
}

/// Sends the one value.
pub struct Sender<R: Runtime, T: Send + 'static> {
    shared: Option<Arc<Shared<R, T>>>,
}

/// Receives the one value; an [`Arm`] and, through [`Receiver::recv`], a future.
pub struct Receiver<R: Runtime, T: Send + 'static> {
    shared: Arc<Shared<R, T>>,
    reserved: Option<Result<T, RecvError>>,
}

impl<R: Runtime, T: Send + 'static> fmt::Debug for Sender<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("oneshot::Sender").finish_non_exhaustive()
    }
}

impl<R: Runtime, T: Send + 'static> fmt::Debug for Receiver<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("oneshot::Receiver").finish_non_exhaustive()
    }
}

impl<R: Runtime, T: Send + 'static> Sender<R, T> {
    /// Sends `value`; returns it back if the receiver is gone.
    #[track_caller]
    pub fn send(mut self, value: T) -> Result<(), T> {
        let shared = self.shared.take().expect("sender used once");
        shared.rt.note(Op::on(
            "oneshot.send",
            shared.object,
            AccessKind::Send,
            Location::caller(),
        ));
        let waker = shared.state.with(|s| {
            s.sender_alive = false;
            if !s.receiver_alive {
                return Err(value);
            }
            s.value = Some(value);
            shared.rt.release(&mut s.clock);
            Ok(s.waker.take())
        })?;
        if let Some(w) = waker {
            w.wake();
        }
        Ok(())
    }

    /// Whether the receiver is gone. Reads the channel.
    #[track_caller]
    pub fn is_closed(&self) -> bool {
        let site = Location::caller();
        self.shared.as_ref().is_none_or(|sh| {
            sh.rt.note(Op::on(
                "oneshot.is_closed",
                sh.object,
                AccessKind::Read,
                site,
            ));
            sh.state.with(|s| !s.receiver_alive)
        })
    }
}

impl<R: Runtime, T: Send + 'static> Shared<R, T> {
    /// Notes the operation `name`, performed by a destructor, at the channel's creation site.
    fn note_drop(&self, name: &'static str, access: AccessKind) {
        self.rt.note(Op::on(name, self.object, access, self.site));
    }
}

impl<R: Runtime, T: Send + 'static> Drop for Sender<R, T> {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            shared.note_drop("oneshot.sender_drop", AccessKind::Close);
            let waker = shared.state.with(|s| {
                s.sender_alive = false;
                shared.rt.release(&mut s.clock);
                s.waker.take()
            });
            if let Some(w) = waker {
                w.wake();
            }
        }
    }
}

impl<R: Runtime, T: Send + 'static> Receiver<R, T> {
    /// Waits for the value; `Err` if the sender was dropped without sending. A scheduling point.
    #[track_caller]
    pub fn recv(self) -> impl Future<Output = Result<T, RecvError>> + Send {
        let op = Op::on(
            "oneshot.recv",
            self.shared.object,
            AccessKind::Receive,
            Location::caller(),
        );
        async move {
            self.shared.rt.point(op).await;
            ArmFuture(Some(self)).await
        }
    }
}

impl<R: Runtime, T: Send + 'static> Arm for Receiver<R, T> {
    type Output = Result<T, RecvError>;

    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.reserved.is_some() {
            return Poll::Ready(());
        }
        let shared = &self.shared;
        let got = shared.state.with(|s| {
            if let Some(v) = s.value.take() {
                shared.rt.acquire(&s.clock);
                Some(Ok(v))
            } else if !s.sender_alive {
                shared.rt.acquire(&s.clock);
                Some(Err(RecvError))
            } else {
                s.waker = Some(cx.waker().clone());
                None
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
        self.reserved.take().expect("oneshot take before ready")
    }
}

impl<R: Runtime, T: Send + 'static> Drop for Receiver<R, T> {
    fn drop(&mut self) {
        let reserved = self.reserved.take();
        let shared = &self.shared;
        let op = shared.state.with(|s| {
            if let Some(Ok(v)) = reserved {
                // Lost a select: the value stays in the channel.
                s.value = Some(v);
                Some(("oneshot.recv_cancel", AccessKind::Receive))
            } else {
                s.receiver_alive = false;
                // Only a live sender can observe it (its send fails, `is_closed`).
                s.sender_alive
                    .then_some(("oneshot.receiver_drop", AccessKind::Close))
            }
        });
        if let Some((name, access)) = op {
            shared.note_drop(name, access);
        }
    }
}

impl<R: Runtime, T: Send + 'static> Arm for &mut Receiver<R, T> {
    type Output = Result<T, RecvError>;
    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        (**self).poll_arm(cx)
    }
    fn take(&mut self) -> Self::Output {
        (**self).take()
    }
}
