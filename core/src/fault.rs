//! [`Fault`]: a failure as a funnel, a primitive or a model reports it, as a value.
//!
//! A fault travels from where it is found ([`Runtime::fail`](crate::Runtime::fail)) to the
//! checker that ends the execution without being turned into text: its kind, the scenario
//! oracle it breaks (if any) and the site are fields, and the message is prose for people.
//! Reports render it at the edge.

use std::fmt;
use std::panic::Location;

use crate::error::FailureKind;

/// A scenario oracle's stable id, such as `group-limit` or `o-final`: declared by the scenario
/// as a constant, named in its expected verdicts, and carried by the [`Fault`] that breaks it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OracleId(&'static str);

impl OracleId {
    /// The oracle called `name` (lowercase words joined by `-`).
    pub const fn new(name: &'static str) -> Self {
        OracleId(name)
    }

    /// Its name.
    pub const fn name(self) -> &'static str {
        self.0
    }
}

impl fmt::Debug for OracleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OracleId({})", self.0)
    }
}

impl fmt::Display for OracleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A failure found inside an execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The scenario oracle it breaks, for [`FailureKind::Assertion`] faults raised by an oracle.
    pub oracle: Option<OracleId>,
    /// What happened, for people (sites of the accesses involved included).
    pub message: String,
    /// Where the model code reached the failing operation, when known.
    pub site: Option<&'static Location<'static>>,
}

impl Fault {
    /// A fault of `kind`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Fault {
            kind,
            oracle: None,
            message: message.into(),
            site: None,
        }
    }

    /// Oracle `oracle` does not hold: an [`FailureKind::Assertion`] fault.
    pub fn oracle(oracle: OracleId, detail: impl Into<String>) -> Self {
        Fault {
            oracle: Some(oracle),
            ..Fault::new(FailureKind::Assertion, detail)
        }
    }

    /// The same fault, found at `site`.
    pub fn at(self, site: &'static Location<'static>) -> Self {
        Fault {
            site: Some(site),
            ..self
        }
    }
}

/// The message, prefixed with `oracle NAME: ` when an oracle broke (the kind is not part of
/// it: reports print the kind in a field of its own).
impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.oracle {
            Some(o) => write!(f, "oracle {o}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Fault {}
