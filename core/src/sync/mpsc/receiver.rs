//! [`Receiver`]: the receiving half of a channel, and [`Recv`], a receive as a select arm.

use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::chan::{close_receiver, pop, Chan};
use crate::error::TryRecvError;
use crate::object::AccessKind;
use crate::runtime::{RawLock, Runtime};
use crate::sync::select::{Arm, ArmFuture};

/// The receiving half of a channel.
pub struct Receiver<R: Runtime, T: Send + 'static> {
    pub(super) chan: Arc<Chan<R, T>>,
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
            ArmFuture(Some(Recv {
                chan: &self.chan,
                reserved: None,
            }))
            .await
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

    /// Number of queued messages. Reads the channel.
    #[track_caller]
    pub fn len(&self) -> usize {
        let op = self
            .chan
            .op("mpsc.len", AccessKind::Read, Location::caller());
        self.chan.rt.note(op);
        self.chan.state.with(|s| s.queue.len())
    }

    /// Whether no message is queued. Reads the channel.
    #[track_caller]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<R: Runtime, T: Send + 'static> Drop for Receiver<R, T> {
    fn drop(&mut self) {
        self.chan.note_drop("mpsc.receiver_drop", AccessKind::Close);
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
            self.chan.note_drop("mpsc.recv_cancel", AccessKind::Receive);
            self.chan
                .state
                .with(|s| s.queue.push_front((v, R::Clock::default())));
        }
    }
}
