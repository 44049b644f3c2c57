//! Scenario oracles: how a model reports that a bug-specific invariant broke.
//!
//! An oracle violation is an [`FailureKind::Assertion`] whose message starts with
//! `oracle <name>:`, so reports, JSON output and tests can tell the oracles apart
//! (`inhibited-notification`, `group-limit`, `post-shutdown-registration`, ...).

use weft_core::{FailureKind, Fault, Runtime};

/// Fails the execution: oracle `what` (already `"<name>: <detail>"`) does not hold.
pub fn violated<R: Runtime>(rt: &R, what: &str) -> ! {
    rt.fail(Fault::new(FailureKind::Assertion, format!("oracle {what}")))
}

/// The oracle name of a failure message produced by [`violated`], if it is one.
pub fn name_of(message: &str) -> Option<&str> {
    let rest = &message[message.find("oracle ")? + 7..];
    rest.split(':').next().filter(|n| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
    })
}
