//! [`UnboundedSender`]: the sending half of an unbounded channel; a send never waits.

use std::panic::Location;
use std::sync::Arc;

use super::chan::{sender_common, Chan};
use crate::error::SendError;
use crate::object::AccessKind;
use crate::runtime::{RawLock, Runtime};

/// The sending half of an unbounded channel. Clone it for more producers.
pub struct UnboundedSender<R: Runtime, T: Send + 'static> {
    pub(super) chan: Arc<Chan<R, T>>,
}

sender_common!(UnboundedSender);

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
