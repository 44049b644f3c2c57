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
//!
//! Files: `chan` holds the channel state both halves share (queue, capacity, sender count,
//! the blocked senders' wait list, closing); `bounded` is [`Sender`] (a send that waits for a
//! slot, and its select arm [`SendArm`]); `unbounded` is [`UnboundedSender`]; `receiver` is
//! [`Receiver`] and its select arm [`Recv`]. The error types live in [`crate::error`].

mod bounded;
mod chan;
mod receiver;
mod unbounded;

pub use bounded::{SendArm, Sender};
pub use receiver::{Receiver, Recv};
pub use unbounded::UnboundedSender;

use std::panic::Location;

use crate::runtime::Runtime;
use chan::new_chan;

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
    let chan = new_chan(rt, Some(capacity), Location::caller());
    (Sender { chan: chan.clone() }, Receiver { chan })
}

/// Creates an unbounded channel.
#[track_caller]
pub fn unbounded<R: Runtime, T: Send + 'static>(rt: &R) -> (UnboundedSender<R, T>, Receiver<R, T>) {
    let chan = new_chan(rt, None, Location::caller());
    (UnboundedSender { chan: chan.clone() }, Receiver { chan })
}
