//! [`timeout`]: bound a future by a deadline on the runtime's clock (`tokio::time::timeout`).
//!
//! Protocol:
//!
//! - The deadline is `rt.now() + duration`, taken when [`timeout`] is called (as tokio does),
//!   not when the returned future is first polled.
//! - Each poll polls the inner future first: if it is ready, its output is returned, even when
//!   the deadline has also passed (tokio's order). Otherwise, once the runtime's time reaches
//!   the deadline, the inner future is dropped and `Err(Elapsed)` is returned.
//! - A zero or past deadline still gives the inner future one poll.
//!
//! What "reaches the deadline" means per backend:
//!
//! - **Simulator**: exact virtual time. `timeout(5 s, sleep(10 s))` returns `Elapsed` at
//!   virtual `t+5s`. When the inner future would complete at the very instant the deadline
//!   falls (say a message sent by a task whose own timer is due then), which timer fires first
//!   is a decision the strategy explores, so both outcomes are reachable; once both are ready
//!   in the same poll, the inner future wins.
//! - **tokio**: tokio's clock (its paused clock under `tokio::time::pause`), with tokio's
//!   results for the same program.
//! - **loom and shuttle**: no clock. The timer "may fire at any later point": either outcome
//!   may happen for any inner future that is not ready on its first poll, and a model must
//!   accept both. The logical clock still never reports a time before the deadline on
//!   `Elapsed`.
//!
//! No happens-before edge: a timeout synchronizes with nothing (the inner future's own
//! operations create whatever edges they create).

use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use crate::runtime::Runtime;

/// The deadline of a [`timeout`] passed before the inner future completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed;

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

/// Runs `future` until it completes or `duration` of the runtime's time passes; see the module
/// documentation. The returned future is `Send` (or `'static`) when `future` is.
pub fn timeout<R, F>(
    rt: &R,
    duration: Duration,
    future: F,
) -> impl Future<Output = Result<F::Output, Elapsed>>
where
    R: Runtime,
    F: Future,
{
    let rt = rt.clone();
    let deadline = rt.now() + duration;
    async move {
        let mut future = pin!(future);
        // Created on the first poll that needs it, for what is left of the duration: the
        // simulator starts a sleep's timer when it is first polled.
        let mut sleep = pin!(None::<R::Sleep>);
        poll_fn(|cx| {
            if let Poll::Ready(v) = future.as_mut().poll(cx) {
                return Poll::Ready(Ok(v));
            }
            if sleep.is_none() {
                let left = deadline.saturating_duration_since(rt.now());
                sleep.set(Some(rt.sleep(left)));
            }
            let timer = sleep.as_mut().as_pin_mut().expect("set above");
            match timer.poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(Elapsed)),
                Poll::Pending => Poll::Pending,
            }
        })
        .await
    }
}
