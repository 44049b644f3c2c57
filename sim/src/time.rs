//! Virtual time: the timer table and the sleep future.
//!
//! The clock starts at zero and moves only when no task can run: it jumps to the earliest
//! pending deadline, and every timer due at that instant becomes a candidate. Which due timer
//! fires first, and whether a due timer fires before a runnable task runs, is a decision the
//! strategy makes (and a schedule records). Tasks run in zero virtual time, so a 60-second
//! reconcile timer costs one decision, not 60 seconds.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use weft_core::{Instant, Op};

use crate::context;

/// A timer's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimerState {
    /// Deadline in the future.
    Pending,
    /// Deadline reached; waiting for the strategy to fire it.
    Due,
    /// Fired: the sleeping task was woken.
    Fired,
    /// The sleep was dropped before it fired.
    Cancelled,
}

#[derive(Debug)]
pub(crate) struct Timer {
    pub(crate) deadline: Instant,
    pub(crate) task: u32,
    pub(crate) state: TimerState,
    /// The sleep that armed it (its object is the timer's).
    pub(crate) op: Op,
}

/// The future returned by [`SimRuntime::sleep`](weft_core::Runtime::sleep).
#[derive(Debug)]
pub struct SimSleep {
    pub(crate) exec_id: u64,
    pub(crate) duration: std::time::Duration,
    /// The `sleep` operation, which names the timer's object.
    pub(crate) op: Op,
    pub(crate) timer: Option<u32>,
}

impl Future for SimSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let (id, duration, timer, op) = (self.exec_id, self.duration, self.timer, self.op);
        let (timer, fired) = context::with(id, |exec| match timer {
            None => (Some(exec.add_timer(duration, op)), false),
            Some(t) => (Some(t), exec.timers[t as usize].state == TimerState::Fired),
        });
        self.timer = timer;
        if fired {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Drop for SimSleep {
    fn drop(&mut self) {
        if let Some(t) = self.timer {
            context::try_with(self.exec_id, |exec| {
                let timer = &mut exec.timers[t as usize];
                if timer.state != TimerState::Fired {
                    timer.state = TimerState::Cancelled;
                }
            });
        }
    }
}
