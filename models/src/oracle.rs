//! Scenario oracles: how a model reports that a bug-specific invariant broke.
//!
//! An oracle is an [`OracleId`] constant, declared once next to the model or scenario code
//! that checks it (`GROUP_LIMIT`, `O_FINAL`, ...) and listed in the [`Info::oracles`] of each
//! scenario that arms it. A violation is an [`FailureKind::Assertion`](weft_core::FailureKind)
//! [`Fault`] carrying the id ([`Fault::oracle`]): reports, JSON output and tests read the id,
//! never the message. The message still reads `oracle <name>: <detail>` for people.
//!
//! [`Info::oracles`]: crate::scenario::Info::oracles

use weft_core::{Fault, OracleId, Runtime};

/// Fails the execution: oracle `oracle` does not hold; `detail` says how, for people.
pub fn violated<R: Runtime>(rt: &R, oracle: OracleId, detail: impl Into<String>) -> ! {
    rt.fail(Fault::oracle(oracle, detail))
}
