//! [`LogicalSleep`]: a sleep for checkers without a clock (loom, shuttle).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::checked_exec::Execution;
use crate::time::Instant;

/// A sleep without a clock: yields once (through `yield_fn`), then moves logical time to the
/// deadline and completes. The yield lets the checker run any other task first, so a timer
/// "may fire at any later point".
pub struct LogicalSleep {
    pub(crate) deadline: Instant,
    pub(crate) exec: std::sync::Arc<Execution>,
    pub(crate) yielded: bool,
    pub(crate) yield_fn: fn(&mut Context<'_>) -> Poll<()>,
}

impl std::fmt::Debug for LogicalSleep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogicalSleep")
            .field("deadline", &self.deadline)
            .finish()
    }
}

impl LogicalSleep {
    pub(crate) fn new(
        exec: &std::sync::Arc<Execution>,
        duration: Duration,
        yield_fn: fn(&mut Context<'_>) -> Poll<()>,
    ) -> Self {
        LogicalSleep {
            deadline: exec.time.now() + duration,
            exec: exec.clone(),
            yielded: false,
            yield_fn,
        }
    }
}

impl Future for LogicalSleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !self.yielded {
            self.yielded = true;
            if (self.yield_fn)(cx).is_pending() {
                return Poll::Pending;
            }
        }
        self.exec.time.advance_to(self.deadline);
        Poll::Ready(())
    }
}
