//! [`LogicalClock`]: time for backends without a clock (loom, shuttle).

use std::sync::Mutex;
use std::time::Duration;

use crate::time::Instant;

/// A clock that only sleeps advance: a sleep of `d` started at `t` moves time to at least
/// `t + d` when it completes. Monotonic; shared by every task of one execution.
#[derive(Debug, Default)]
pub struct LogicalClock {
    now: Mutex<Duration>,
}

impl LogicalClock {
    /// The current logical time.
    pub fn now(&self) -> Instant {
        Instant::from_epoch(*self.now.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Advances to `deadline` if it is later than now.
    pub fn advance_to(&self, deadline: Instant) {
        let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
        if deadline.since_epoch() > *now {
            *now = deadline.since_epoch();
        }
    }
}
