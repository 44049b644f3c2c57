//! [`Checker`]: checks a [`History`] against a [`SequentialSpec`] and returns a [`Verdict`].
//!
//! The protocol: split the history into the spec's partitions
//! ([`SequentialSpec::partition`]), search each for a linearization in key order
//! ([`search`](super::search)), and at the first partition with none, shrink it to a minimal
//! non-linearizable sub-history ([`shrink`](super::shrink)) and keep that as the
//! [`Witness`], with a longest partial linearization of it for the report
//! ([`report`](super::report)). Every search is bounded by [`Checker::max_steps`] spec
//! applications; a history that needs more gets [`Verdict::Inconclusive`], never a hang.
//!
//! As an oracle: [`Verdict::fault`] turns a failed verdict into an
//! [`Assertion`](crate::FailureKind::Assertion) [`Fault`] naming the oracle (the kind every
//! scenario oracle uses: a linearizability violation is a broken oracle, not a new kind of
//! failure), whose message is the one-screen report.

use std::collections::BTreeMap;
use std::fmt;

use super::history::History;
use super::search::{search, Outcome};
use super::shrink::shrink;
use super::spec::SequentialSpec;
use crate::fault::{Fault, OracleId};

/// The oracle id a linearizability check reports under unless the caller names its own.
pub const LINEARIZABLE: OracleId = OracleId::new("linearizable");

/// The default budget of spec applications per partition search.
pub const DEFAULT_MAX_STEPS: u64 = 50_000_000;

/// The outcome of a check.
pub enum Verdict<S: SequentialSpec> {
    /// Every partition has a linearization.
    Linearizable,
    /// A partition has none; the witness is a minimal sub-history of it.
    NotLinearizable(Box<Witness<S>>),
    /// A search ran out of its budget of spec applications before deciding.
    Inconclusive {
        /// The budget that ran out.
        max_steps: u64,
    },
}

/// A minimal non-linearizable sub-history, and what the search could do with it.
pub struct Witness<S: SequentialSpec> {
    /// The partition it comes from (`None`: the history was not partitioned).
    pub partition: Option<S::Key>,
    /// The sub-history: removing any one operation makes it linearizable, or leaves a return
    /// value no sequence of the rest produces ([`shrink`](super::shrink)).
    pub history: History<S>,
    /// A longest partial linearization of it (indexes into `history.ops()`, in order).
    pub linearized: Vec<usize>,
    /// How many operations the checked partition had before shrinking.
    pub original_len: usize,
}

impl<S: SequentialSpec> Witness<S> {
    /// The operations no longest partial linearization could place (indexes into
    /// `history.ops()`): where the ordering breaks. Pending operations are left out (they
    /// need not take effect).
    pub fn unordered(&self) -> Vec<usize> {
        (0..self.history.len())
            .filter(|i| !self.linearized.contains(i) && !self.history.ops()[*i].is_pending())
            .collect()
    }

    /// The one-screen report (at most [`MAX_LINES`](super::report::MAX_LINES) lines of
    /// [`MAX_COLUMNS`](super::report::MAX_COLUMNS) columns).
    pub fn report(&self) -> String {
        super::report::render(self)
    }
}

impl<S: SequentialSpec> fmt::Debug for Verdict<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Linearizable => f.write_str("Linearizable"),
            Verdict::NotLinearizable(w) => f.debug_tuple("NotLinearizable").field(w).finish(),
            Verdict::Inconclusive { max_steps } => f
                .debug_struct("Inconclusive")
                .field("max_steps", max_steps)
                .finish(),
        }
    }
}

impl<S: SequentialSpec> fmt::Debug for Witness<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Witness")
            .field("partition", &self.partition)
            .field("history", &self.history)
            .field("linearized", &self.linearized)
            .field("original_len", &self.original_len)
            .finish()
    }
}

impl<S: SequentialSpec> Verdict<S> {
    /// Whether the verdict is [`Verdict::Linearizable`].
    pub fn is_linearizable(&self) -> bool {
        matches!(self, Verdict::Linearizable)
    }

    /// The witness of a failed verdict.
    pub fn witness(&self) -> Option<&Witness<S>> {
        match self {
            Verdict::NotLinearizable(w) => Some(w),
            Verdict::Linearizable | Verdict::Inconclusive { .. } => None,
        }
    }

    /// The failure to report as oracle `oracle`: an assertion fault whose message is the
    /// report, for [`Verdict::NotLinearizable`]; `None` otherwise (an inconclusive check is
    /// not a failure of the object: raise the budget, or shorten the history).
    pub fn fault(&self, oracle: OracleId) -> Option<Fault> {
        self.witness().map(|w| Fault::oracle(oracle, w.report()))
    }
}

impl<S: SequentialSpec> fmt::Display for Verdict<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Linearizable => f.write_str("linearizable"),
            Verdict::NotLinearizable(w) => f.write_str(&w.report()),
            Verdict::Inconclusive { max_steps } => write!(
                f,
                "inconclusive: the linearizability search used its {max_steps} steps"
            ),
        }
    }
}

/// The checker's settings; see the module documentation.
#[derive(Clone, Copy, Debug)]
pub struct Checker {
    max_steps: u64,
}

impl Default for Checker {
    fn default() -> Self {
        Checker {
            max_steps: DEFAULT_MAX_STEPS,
        }
    }
}

/// Checks `history` against `spec` with the default settings ([`Checker::check`]).
pub fn check<S: SequentialSpec>(spec: &S, history: &History<S>) -> Verdict<S> {
    Checker::default().check(spec, history)
}

impl Checker {
    /// The default checker.
    pub fn new() -> Checker {
        Checker::default()
    }

    /// The budget of spec applications for each search ([`DEFAULT_MAX_STEPS`] by default).
    pub fn max_steps(self, max_steps: u64) -> Checker {
        Checker { max_steps }
    }

    /// Checks `history` against `spec`: see the module documentation.
    pub fn check<S: SequentialSpec>(&self, spec: &S, history: &History<S>) -> Verdict<S> {
        for (key, part) in partitions(spec, history) {
            match self.decide(spec, &part) {
                Some(true) => {}
                Some(false) => {
                    let witness = shrink(spec, &part, |h| self.decide(spec, h) == Some(false));
                    let linearized = match search(spec, witness.ops(), self.max_steps, true) {
                        Outcome::Not { longest } => longest,
                        Outcome::Linearizable | Outcome::OutOfBudget => Vec::new(),
                    };
                    return Verdict::NotLinearizable(Box::new(Witness {
                        partition: key,
                        history: witness,
                        linearized,
                        original_len: part.len(),
                    }));
                }
                None => {
                    return Verdict::Inconclusive {
                        max_steps: self.max_steps,
                    }
                }
            }
        }
        Verdict::Linearizable
    }

    /// Whether one partition is linearizable (`None`: out of budget).
    pub(crate) fn decide<S: SequentialSpec>(&self, spec: &S, part: &History<S>) -> Option<bool> {
        match search(spec, part.ops(), self.max_steps, false) {
            Outcome::Linearizable => Some(true),
            Outcome::Not { .. } => Some(false),
            Outcome::OutOfBudget => None,
        }
    }
}

/// The history split per key, in key order, if every operation has a key; otherwise the
/// whole history as one unkeyed partition.
fn partitions<S: SequentialSpec>(
    spec: &S,
    history: &History<S>,
) -> Vec<(Option<S::Key>, History<S>)> {
    let mut parts: BTreeMap<S::Key, Vec<usize>> = BTreeMap::new();
    for (i, o) in history.ops().iter().enumerate() {
        match spec.partition(&o.op) {
            Some(k) => parts.entry(k).or_default().push(i),
            None => return vec![(None, history.clone())],
        }
    }
    parts
        .into_iter()
        .map(|(k, keep)| (Some(k), history.subset(&keep)))
        .collect()
}
