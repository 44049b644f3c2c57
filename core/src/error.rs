//! Failure kinds shared by every backend, and the errors primitives return.

use std::fmt;

/// What kind of failure a checker found. Tests assert the kind, not just "it panicked".
///
/// Every backend carries it as a value, in a [`Fault`](crate::Fault), from where the failure
/// is found to the caller (under loom and shuttle: the `try_*` entry points' verdict); no
/// report text is ever parsed back into a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FailureKind {
    /// An API contract was broken (WaitGroup add-before-wait, negative counter, ...).
    ContractViolation,
    /// Two accesses to a `SharedCell`, at least one a write, not ordered by happens-before.
    DataRace,
    /// Every task blocked and no timer pending.
    Deadlock,
    /// Tasks still alive when the scenario's owner finished and the system was quiescent.
    Leak,
    /// The execution took more steps than the configured bound (livelock or spin).
    StepBound,
    /// A scenario oracle (assertion) failed.
    Assertion,
    /// A task panicked for another reason.
    Panic,
    /// The replayed program did not follow the recorded schedule.
    Divergence,
    /// The same schedule did not produce the same execution twice.
    Nondeterminism,
}

impl FailureKind {
    /// Every kind, in a stable order.
    pub const ALL: [FailureKind; 9] = [
        FailureKind::ContractViolation,
        FailureKind::DataRace,
        FailureKind::Deadlock,
        FailureKind::Leak,
        FailureKind::StepBound,
        FailureKind::Assertion,
        FailureKind::Panic,
        FailureKind::Divergence,
        FailureKind::Nondeterminism,
    ];

    /// Stable snake-case name, used in JSON and in schedule reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::ContractViolation => "contract_violation",
            FailureKind::DataRace => "data_race",
            FailureKind::Deadlock => "deadlock",
            FailureKind::Leak => "leak",
            FailureKind::StepBound => "step_bound",
            FailureKind::Assertion => "assertion",
            FailureKind::Panic => "panic",
            FailureKind::Divergence => "divergence",
            FailureKind::Nondeterminism => "nondeterminism",
        }
    }

    /// Parses [`FailureKind::as_str`].
    pub fn parse(s: &str) -> Option<FailureKind> {
        FailureKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Extracts the text of a panic payload (`&str` or `String`), or a placeholder.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic payload>".to_string()
    }
}

/// The channel's other side is gone; carries back the value that could not be delivered.
#[derive(PartialEq, Eq)]
pub struct SendError<T>(pub T);

impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SendError(..)")
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("channel closed")
    }
}

impl<T> std::error::Error for SendError<T> {}

/// Why a non-blocking send failed; carries back the value.
#[derive(PartialEq, Eq)]
pub enum TrySendError<T> {
    /// The bounded channel has no free slot.
    Full(T),
    /// The receiver is gone.
    Closed(T),
}

impl<T> TrySendError<T> {
    /// The value that was not sent.
    pub fn into_inner(self) -> T {
        match self {
            TrySendError::Full(v) | TrySendError::Closed(v) => v,
        }
    }
}

impl<T> fmt::Debug for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str("Full(..)"),
            TrySendError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Display for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str("channel full"),
            TrySendError::Closed(_) => f.write_str("channel closed"),
        }
    }
}

impl<T> std::error::Error for TrySendError<T> {}

/// Why a non-blocking receive returned nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryRecvError {
    /// No message now; senders remain.
    Empty,
    /// No message, and every sender is gone.
    Closed,
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => f.write_str("channel empty"),
            TryRecvError::Closed => f.write_str("channel closed"),
        }
    }
}

impl std::error::Error for TryRecvError {}

/// A oneshot receiver's sender was dropped without sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecvError;

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sender dropped without sending")
    }
}

impl std::error::Error for RecvError {}

/// A [`Semaphore`](crate::sync::Semaphore) acquire failed: the semaphore is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AcquireError;

impl fmt::Display for AcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("semaphore closed")
    }
}

impl std::error::Error for AcquireError {}

/// Why a non-blocking [`Semaphore`](crate::sync::Semaphore) acquire failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryAcquireError {
    /// The semaphore is closed.
    Closed,
    /// Not enough permits are free now.
    NoPermits,
}

impl fmt::Display for TryAcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryAcquireError::Closed => f.write_str("semaphore closed"),
            TryAcquireError::NoPermits => f.write_str("no permits available"),
        }
    }
}

impl std::error::Error for TryAcquireError {}

/// A non-blocking [`RwLock`](crate::sync::RwLock) lock would have had to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TryLockError;

impl fmt::Display for TryLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("operation would block")
    }
}

impl std::error::Error for TryLockError {}
