//! [`Interval`]: ticks every `period` of the runtime's clock (`tokio::time::interval`).
//!
//! Protocol:
//!
//! - Tick `n` (from 0) is scheduled at `start + n * period`, where `start` is `rt.now()` when
//!   [`interval`] is called. [`Interval::tick`] waits until the runtime's time reaches the
//!   next scheduled instant and returns that instant, so the first tick completes at once.
//! - Missed ticks burst (tokio's default `MissedTickBehavior::Burst`, the only behaviour
//!   provided): if the caller falls behind, the overdue ticks complete at once, one per call,
//!   each returning its own scheduled instant, until the schedule has caught up.
//!   `MissedTickBehavior::Delay` and `Skip` are not provided.
//! - [`Interval::reset`] schedules the next tick one period after now.
//! - `tick` is cancel-safe: dropping its future before it completes loses no tick.
//!
//! Per backend: exact virtual time under the simulator (ticks at `0, p, 2p, ...`); tokio's
//! clock on tokio; under loom and shuttle, which have no clock, each wait is a yield after
//! which logical time is at least the scheduled instant.
//!
//! No happens-before edge: ticks synchronize with nothing.

use std::fmt;
use std::panic::Location;
use std::time::Duration;

use crate::runtime::Runtime;
use crate::time::Instant;

/// See the module documentation.
pub struct Interval<R: Runtime> {
    rt: R,
    period: Duration,
    next: Instant,
}

impl<R: Runtime> fmt::Debug for Interval<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interval")
            .field("period", &self.period)
            .field("next", &self.next)
            .finish()
    }
}

/// An interval whose first tick is now and whose ticks are `period` apart.
///
/// # Panics
/// If `period` is zero, with a message that says so (as tokio does).
#[track_caller]
pub fn interval<R: Runtime>(rt: &R, period: Duration) -> Interval<R> {
    assert!(
        !period.is_zero(),
        "weft: interval period must be non-zero (at {})",
        Location::caller()
    );
    Interval {
        rt: rt.clone(),
        period,
        next: rt.now(),
    }
}

impl<R: Runtime> Interval<R> {
    /// Waits for the next scheduled tick and returns its scheduled instant.
    pub async fn tick(&mut self) -> Instant {
        let now = self.rt.now();
        if now < self.next {
            self.rt.sleep(self.next - now).await;
        }
        let tick = self.next;
        self.next = tick + self.period;
        tick
    }

    /// Schedules the next tick one period from now.
    pub fn reset(&mut self) {
        self.next = self.rt.now() + self.period;
    }

    /// The period between ticks.
    pub fn period(&self) -> Duration {
        self.period
    }
}
