//! A multi-way wait with Go `select` semantics.
//!
//! Every blocking receive-like operation of [`crate::sync`] is an [`Arm`]. [`select2`],
//! [`select3`] and [`select4`] poll every arm; when several are ready at once, which one wins
//! is [`Runtime::choose`]: random on tokio, a recorded decision the checkers explore and
//! replay. The arms that lose give back what they reserved (a message goes back to the front of
//! its queue, a notification to the next waiter), so losing an arm never loses data.
//!
//! Models never use `tokio::select!`: its choice comes from a hidden thread-local RNG that no
//! checker can see or replay.

use std::future::{poll_fn, Future};
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::object::Touch;
use crate::runtime::{Op, Runtime};

/// One arm of a [`select2`]-style wait.
///
/// Protocol: [`Arm::poll_arm`] returns `Ready` once the arm can complete, having reserved its
/// output inside the arm (it registers the waker otherwise). [`Arm::take`] is called at most
/// once, after `Ready`, to commit. An arm dropped while holding a reservation it was never asked
/// to commit must give the reservation back.
pub trait Arm: Send {
    /// What the arm yields when chosen.
    type Output;
    /// Polls for readiness; see the trait documentation.
    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()>;
    /// Commits the reserved output.
    fn take(&mut self) -> Self::Output;
}

/// Any arm, awaited on its own.
#[derive(Debug)]
pub struct ArmFuture<A>(pub(crate) Option<A>);

// An arm is never pinned: its methods take `&mut self`.
impl<A> Unpin for ArmFuture<A> {}

impl<A: Arm> Future for ArmFuture<A> {
    type Output = A::Output;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<A::Output> {
        let this = self.get_mut();
        let arm = this.0.as_mut().expect("ArmFuture polled after completion");
        match arm.poll_arm(cx) {
            Poll::Ready(()) => {
                let out = arm.take();
                this.0 = None;
                Poll::Ready(out)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Turns a future into an arm. Its completion is its reservation, so use it only for futures
/// whose completion loses nothing when another arm wins: timers ([`Runtime::sleep`]), joins,
/// WaitGroup waits.
pub fn future_arm<F: Future + Send>(future: F) -> FutureArm<F>
where
    F::Output: Send,
{
    FutureArm {
        future: Box::pin(future),
        output: None,
    }
}

/// See [`future_arm`].
pub struct FutureArm<F: Future> {
    future: Pin<Box<F>>,
    output: Option<F::Output>,
}

impl<F: Future> std::fmt::Debug for FutureArm<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FutureArm")
            .field("ready", &self.output.is_some())
            .finish()
    }
}

impl<F: Future + Send> Arm for FutureArm<F>
where
    F::Output: Send,
{
    type Output = F::Output;
    fn poll_arm(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.output.is_some() {
            return Poll::Ready(());
        }
        match self.future.as_mut().poll(cx) {
            Poll::Ready(v) => {
                self.output = Some(v);
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }
    fn take(&mut self) -> F::Output {
        self.output.take().expect("FutureArm::take before ready")
    }
}

macro_rules! define_select {
    ($(#[$doc:meta])* $fn:ident, $enum:ident, $n:literal, $(($A:ident, $a:ident, $V:ident, $i:tt)),+) => {
        /// Which arm of a select won, with its output.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $enum<$($A),+> {
            $(
                #[allow(missing_docs)]
                $V($A),
            )+
        }

        $(#[$doc])*
        #[track_caller]
        pub fn $fn<R: Runtime, $($A: Arm),+>(
            rt: &R,
            $(mut $a: $A,)+
        ) -> impl Future<Output = $enum<$($A::Output),+>> + Send
        where $($A::Output: Send),+
        {
            let rt = rt.clone();
            // The arms are opaque (any future can be one): the select may touch anything.
            let op = Op::new(concat!("select", $n), Touch::Unknown, Location::caller());
            async move {
                rt.point(op).await;
                poll_fn(move |cx| {
                    let mut ready = [false; $n];
                    $( ready[$i] = $a.poll_arm(cx).is_ready(); )+
                    let count = ready.iter().filter(|r| **r).count();
                    if count == 0 {
                        return Poll::Pending;
                    }
                    let mut pick = if count == 1 { 0 } else { rt.choose(count) };
                    let mut winner = usize::MAX;
                    for (i, r) in ready.iter().enumerate() {
                        if *r {
                            if pick == 0 {
                                winner = i;
                                break;
                            }
                            pick -= 1;
                        }
                    }
                    $( if winner == $i { return Poll::Ready($enum::$V($a.take())); } )+
                    unreachable!("select winner {winner} out of range")
                })
                .await
            }
        }
    };
}

define_select!(
    /// Waits on two arms; see the module documentation.
    select2, Select2, 2, (A, a, First, 0), (B, b, Second, 1)
);
define_select!(
    /// Waits on three arms; see the module documentation.
    select3, Select3, 3, (A, a, First, 0), (B, b, Second, 1), (C, c, Third, 2)
);
define_select!(
    /// Waits on four arms; see the module documentation.
    select4, Select4, 4, (A, a, First, 0), (B, b, Second, 1), (C, c, Third, 2), (D, d, Fourth, 3)
);
