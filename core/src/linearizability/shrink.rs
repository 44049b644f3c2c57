//! Shrinking a non-linearizable history to a minimal non-linearizable sub-history.
//!
//! Deterministic phases, each keeping the history non-linearizable:
//!
//! 1. **Shortest failing prefix.** Linearizability is prefix-closed (a prefix of a
//!    linearizable history, with the operations in flight at its end made pending, is
//!    linearizable: Herlihy and Wing 1990), so "the prefix up to time `t` is
//!    non-linearizable" is monotone in `t`, and a binary search over response times finds
//!    the shortest such prefix in a logarithmic number of checks.
//! 2. **A return value nothing explains.** If some operation's return value is produced by
//!    no sequence of the prefix's operations ([`explain`](super::explain)), that operation
//!    alone is the witness (a read of a value never written, or written only later).
//! 3. **Removal to a fixpoint**, in the manner of Zeller and Hildebrandt's ddmin ("Simplifying
//!    and isolating failure-inducing input", TSE 2002): try removing chunks of operations,
//!    halving the chunk size down to one, keeping every removal after which the rest still
//!    fails *and* stays explainable; then repeat single removals until none succeeds. The
//!    result is minimal: removing any one of its operations makes it linearizable, or leaves
//!    a return value no sequence of the rest produces (the removed operation was its cause).
//!
//! Explainability is a bounded walk ([`explain`](super::explain)): past its budget a
//! candidate counts as explainable, so large candidates cost at most the budget, and the small
//! ones near the end, where a removed write would go unnoticed, are walked in full.
//!
//! Removing operations keeps a history well formed. Without the explainability condition,
//! shrinking would end at a lone read of a value whose write was removed: minimal, and
//! useless for finding the bug.

use super::explain::{explain, Explained};
use super::history::History;
use super::spec::SequentialSpec;

/// The budget of spec applications of one explainability walk (past it, a candidate counts
/// as explainable: large candidates almost always are, and the small final ones are walked
/// in full).
const EXPLAIN_BUDGET: u64 = 50_000;

/// A minimal non-linearizable sub-history of `history`, which `fails` (it is not
/// linearizable). `fails` is called on candidate sub-histories.
pub(crate) fn shrink<S: SequentialSpec>(
    spec: &S,
    history: &History<S>,
    fails: impl Fn(&History<S>) -> bool,
) -> History<S> {
    let prefix = shortest_prefix(history, &fails);
    if let Explained::Not(i) = explain(spec, prefix.ops(), EXPLAIN_BUDGET) {
        return prefix.subset(&[i]);
    }
    let fails = |h: &History<S>| {
        fails(h) && !matches!(explain(spec, h.ops(), EXPLAIN_BUDGET), Explained::Not(_))
    };
    let mut keep: Vec<usize> = (0..prefix.len()).collect();
    let mut chunk = keep.len() / 2;
    while chunk >= 1 {
        remove_chunks(&prefix, &mut keep, chunk, &fails);
        chunk /= 2;
    }
    while remove_chunks(&prefix, &mut keep, 1, &fails) {}
    prefix.subset(&keep)
}

/// The shortest failing prefix (by response time) of a failing `history`.
fn shortest_prefix<S: SequentialSpec>(
    history: &History<S>,
    fails: &impl Fn(&History<S>) -> bool,
) -> History<S> {
    let mut ends: Vec<u64> = history
        .ops()
        .iter()
        .filter_map(|o| o.ret.as_ref().map(|(t, _)| t + 1))
        .collect();
    ends.sort_unstable();
    // Invariant: the prefix up to ends[hi] fails (the whole history does); ends[lo-1] passes.
    let (mut lo, mut hi) = (0, ends.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fails(&history.prefix(ends[mid])) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    match ends.get(lo) {
        Some(&t) => history.prefix(t),
        None => history.clone(),
    }
}

/// One pass removing chunks of `chunk` kept operations where the rest still fails; whether
/// anything was removed.
fn remove_chunks<S: SequentialSpec>(
    history: &History<S>,
    keep: &mut Vec<usize>,
    chunk: usize,
    fails: &impl Fn(&History<S>) -> bool,
) -> bool {
    let mut removed = false;
    let mut i = 0;
    while i < keep.len() {
        let end = (i + chunk).min(keep.len());
        let candidate: Vec<usize> = keep[..i].iter().chain(&keep[end..]).copied().collect();
        if fails(&history.subset(&candidate)) {
            *keep = candidate;
            removed = true;
        } else {
            i = end;
        }
    }
    removed
}
