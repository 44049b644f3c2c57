//! Shrinking a non-linearizable history to a minimal non-linearizable sub-history.
//!
//! Two deterministic phases, each keeping the history non-linearizable:
//!
//! 1. **Shortest failing prefix.** Linearizability is prefix-closed (a prefix of a
//!    linearizable history, with the operations in flight at its end made pending, is
//!    linearizable: Herlihy and Wing 1990), so "the prefix up to time `t` is
//!    non-linearizable" is monotone in `t`, and a binary search over response times finds
//!    the shortest such prefix in a logarithmic number of checks.
//! 2. **Removal to a fixpoint**, in the manner of Zeller and Hildebrandt's ddmin ("Simplifying
//!    and isolating failure-inducing input", TSE 2002): try removing chunks of operations,
//!    halving the chunk size down to one, keeping every removal after which the rest still
//!    fails; then repeat single removals until none succeeds. The result is 1-minimal:
//!    removing any one of its operations makes it linearizable.
//!
//! Removing operations is always allowed (a sub-history of a well-formed history is well
//! formed); the witness may fail for a simpler reason than the original (a read of a value
//! whose write was removed), which is still a non-linearizable sub-history of what ran.

use super::history::History;
use super::spec::SequentialSpec;

/// A minimal non-linearizable sub-history of `history`, which `fails` (it is not
/// linearizable). `fails` is called on candidate sub-histories.
pub(crate) fn shrink<S: SequentialSpec>(
    history: &History<S>,
    fails: impl Fn(&History<S>) -> bool,
) -> History<S> {
    let prefix = shortest_prefix(history, &fails);
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
