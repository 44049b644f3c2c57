//! The runtime's time: an instant measured from the runtime's own epoch.
//!
//! [`Instant`] is what [`Runtime::now`](crate::Runtime::now) returns. On tokio it is tokio's
//! clock since the runtime handle was created; under the simulator it is virtual time since the
//! execution started; under loom and shuttle it is a logical clock that only sleeps advance.
//! It is never the wall clock, so a model that reads it is replayable.
//!
//! Built on [`Runtime::sleep`](crate::Runtime::sleep) and [`Runtime::now`](crate::Runtime::now)
//! once, for every backend:
//!
//! - [`timeout`]: `tokio::time::timeout` (the inner future is polled first; `Err(Elapsed)` once
//!   the deadline passes);
//! - [`interval`]: `tokio::time::interval` with `MissedTickBehavior::Burst` (the first tick
//!   completes at once).
//!
//! What a deadline means depends on the backend's clock: exact virtual time under the
//! simulator (where a timer due at the same instant as other work is a decision the strategy
//! explores), tokio's clock on tokio, and under loom and shuttle, which have no clock, "at
//! any later point": each module says what that implies.

mod interval;
mod timeout;

pub use interval::{interval, Interval};
pub use timeout::{timeout, Elapsed};

use std::fmt;
use std::ops::{Add, Sub};
use std::time::Duration;

/// A point on the runtime's clock, as the time elapsed since the runtime's epoch.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(Duration);

impl Instant {
    /// The runtime's epoch.
    pub const ZERO: Instant = Instant(Duration::ZERO);

    /// The instant `since_epoch` after the epoch.
    pub const fn from_epoch(since_epoch: Duration) -> Self {
        Instant(since_epoch)
    }

    /// Time elapsed since the epoch.
    pub const fn since_epoch(self) -> Duration {
        self.0
    }

    /// `self - earlier`, or zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Instant) -> Duration {
        self.0.saturating_sub(earlier.0)
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, rhs: Duration) -> Instant {
        Instant(self.0 + rhs)
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    fn sub(self, rhs: Instant) -> Duration {
        self.saturating_duration_since(rhs)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t+{:?}", self.0)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
