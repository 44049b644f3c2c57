//! Fault budgets: which faults a checker may inject into one execution, and how many.
//!
//! A scenario declares a [`Budget`] (at most k crashes, pauses, losses, long delays,
//! ambiguous outcomes and partitions per execution). Where and whether a fault happens is a
//! decision, made at a *fault opportunity*:
//!
//! 1. [`Runtime::crash_point`](crate::Runtime::crash_point): the current node may crash here
//!    (a [`FaultKind::Crash`] decision), or, if not, pause for [`Budget::pause_for`] (a
//!    [`FaultKind::Pause`] decision).
//! 2. [`Runtime::fault`](crate::Runtime::fault): a fault of any kind with `options` ways of
//!    happening (the network's loss, delay, ambiguous outcome, partition).
//!
//! An opportunity whose kind has no budget left is no decision at all (nothing is recorded).
//! Otherwise the checker decides: exhaustive strategies try "no fault" first, then every
//! option; samplers inject with a fixed probability; the schedule records the decision, so a
//! replay injects the same faults at the same places. Each injected fault spends one unit of
//! its kind's budget.

use std::fmt;
use std::time::Duration;

/// A kind of fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FaultKind {
    /// A node crashes: its tasks are dropped where they are.
    Crash,
    /// A node stops running for [`Budget::pause_for`].
    Pause,
    /// A message is lost.
    Loss,
    /// A message is delivered late.
    Delay,
    /// An operation's outcome is unknown to its caller (applied or not).
    Ambiguous,
    /// Nodes are cut off from each other.
    Partition,
}

impl FaultKind {
    /// Every kind, in the order of their codes.
    pub const ALL: [FaultKind; 6] = [
        FaultKind::Crash,
        FaultKind::Pause,
        FaultKind::Loss,
        FaultKind::Delay,
        FaultKind::Ambiguous,
        FaultKind::Partition,
    ];

    /// Its code in a schedule string (its index in [`FaultKind::ALL`]).
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The kind with code `code`.
    pub fn from_code(code: u32) -> Option<FaultKind> {
        FaultKind::ALL.get(code as usize).copied()
    }

    /// Its name: `crash`, `pause`, `loss`, `delay`, `ambiguous` or `partition`.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Crash => "crash",
            FaultKind::Pause => "pause",
            FaultKind::Loss => "loss",
            FaultKind::Delay => "delay",
            FaultKind::Ambiguous => "ambiguous",
            FaultKind::Partition => "partition",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How long a checker-injected pause lasts unless a budget says otherwise.
pub const DEFAULT_PAUSE: Duration = Duration::from_secs(1);

/// At most this many faults of each kind per execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Per kind, indexed by [`FaultKind::code`].
    limits: [u32; 6],
    /// How long a pause injected at a crash point lasts.
    pub pause_for: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::NONE
    }
}

impl Budget {
    /// No faults.
    pub const NONE: Budget = Budget {
        limits: [0; 6],
        pause_for: DEFAULT_PAUSE,
    };

    /// This budget with at most `n` faults of `kind`.
    pub const fn with(mut self, kind: FaultKind, n: u32) -> Budget {
        self.limits[kind as usize] = n;
        self
    }

    /// This budget with injected pauses lasting `d`.
    pub const fn pausing_for(mut self, d: Duration) -> Budget {
        self.pause_for = d;
        self
    }

    /// At most this many faults of `kind`.
    pub fn get(&self, kind: FaultKind) -> u32 {
        self.limits[kind as usize]
    }

    /// Whether no fault at all may be injected.
    pub fn is_zero(&self) -> bool {
        self.limits.iter().all(|n| *n == 0)
    }

    /// Spends one fault of `kind`; `false` (and nothing spent) if none is left.
    pub fn spend(&mut self, kind: FaultKind) -> bool {
        let n = &mut self.limits[kind as usize];
        if *n == 0 {
            return false;
        }
        *n -= 1;
        true
    }
}

impl fmt::Display for Budget {
    /// `1 crash, 2 pauses`, or `no faults`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("no faults");
        }
        let mut first = true;
        for kind in FaultKind::ALL {
            let n = self.get(kind);
            if n == 0 {
                continue;
            }
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            let name = match (kind, n) {
                (FaultKind::Crash, 1) => "crash",
                (FaultKind::Crash, _) => "crashes",
                (FaultKind::Pause, 1) => "pause",
                (FaultKind::Pause, _) => "pauses",
                (FaultKind::Loss, 1) => "loss",
                (FaultKind::Loss, _) => "losses",
                (FaultKind::Delay, 1) => "long delay",
                (FaultKind::Delay, _) => "long delays",
                (FaultKind::Ambiguous, 1) => "ambiguous outcome",
                (FaultKind::Ambiguous, _) => "ambiguous outcomes",
                (FaultKind::Partition, 1) => "partition",
                (FaultKind::Partition, _) => "partitions",
            };
            write!(f, "{n} {name}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_spend_and_print() {
        let mut b = Budget::NONE
            .with(FaultKind::Crash, 1)
            .with(FaultKind::Pause, 2);
        assert_eq!(b.to_string(), "1 crash, 2 pauses");
        assert!(b.spend(FaultKind::Crash));
        assert!(!b.spend(FaultKind::Crash));
        assert!(!b.spend(FaultKind::Loss));
        assert_eq!(b.to_string(), "2 pauses");
        assert_eq!(Budget::NONE.to_string(), "no faults");
        for k in FaultKind::ALL {
            assert_eq!(FaultKind::from_code(k.code()), Some(k));
        }
        assert_eq!(FaultKind::from_code(6), None);
    }
}
